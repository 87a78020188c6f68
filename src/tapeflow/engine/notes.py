"""A tape's light record: what ``explain`` and ``to_dot`` need, with no arrays in it.

It keeps the spans of tensor ids created while the tape recorded or was paused (ids grow
monotonically, so an id tells when a tensor was made), the places where a gradient path was cut
(non-differentiable ops and dtypes, ``stop_gradient``, NumPy, ``assign``) with the user's line,
the ops that ran downstream of a cut (ids only: the "shadow" of the cut, so ``explain`` can tell
whether the target lies beyond it), and, once a non-persistent tape releases its entries, their
array-free part. Nothing here costs anything until some watched value is cut.
"""

from ..framework.tensor import _next_id, tape_id
from .core import user_location


class Notes:
    __slots__ = ("watched", "spans", "cuts", "shadow", "graph", "leaf_dtypes")

    def __init__(self, watched):
        self.watched = watched   # the tape's set of watched ids (kept after release)
        self.spans = []          # [first id, last id, kind, opened at, closed at]; kind is
        #                          "recording", "stop_recording" or "reset" (recording again)
        self.cuts = []           # (kind, input ids, output ids, where, when); kind None: shadow
        #                          edge; when: an id taken at the cut, so later tensors have larger
        self.shadow = set()      # ids computed from a cut value
        self.graph = None        # entries without saved values, once released
        self.leaf_dtypes = {}    # id -> dtype of the inputs no recorded op produced (for to_dot)

    def open_span(self, kind):
        self.spans.append([_next_id(), None, kind, user_location(), None])

    def close_span(self):
        if self.spans and self.spans[-1][1] is None:
            self.spans[-1][1] = _next_id()
            self.spans[-1][4] = user_location()

    def cut(self, kind, inputs, outputs):
        out_ids = tuple(tape_id(t) for t in outputs)
        self.cuts.append((kind, tuple(tape_id(t) for t in inputs), out_ids, user_location(),
                          _next_id()))
        self.shadow.update(out_ids)

    def follow(self, inputs, outputs):
        """An op on values downstream of a cut: extend the shadow (no reason, no location)."""
        in_ids = tuple(tape_id(t) for t in inputs)
        if self.shadow.intersection(in_ids):
            out_ids = tuple(tape_id(t) for t in outputs)
            self.cuts.append((None, in_ids, out_ids, None, None))
            self.shadow.update(out_ids)

    def release(self, entries):
        """Keep the array-free part of the entries (ops, ids, shapes, dtypes)."""
        self.graph = [e[:5] for e in entries]

