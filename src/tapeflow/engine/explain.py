"""Why is my gradient None? One plain sentence per source, from the tape's light record.

Reads only ids, spans and cut notes (see ``notes.py``), so it works after a non-persistent tape
has released its arrays.
"""

import os

from ..framework.tensor import Tensor, tape_id, value_of
from ..framework.variable import Variable

_NON_DIFFERENTIABLE = "has no gradient (TensorFlow registers it as non-differentiable)"


def _where(location):
    if not location:
        return ""
    filename, line = location
    return f" at {os.path.basename(filename)}:{line}"


def _name(source):
    if isinstance(source, Variable):
        return f"the Variable '{source.name}'"
    return "this tensor"


def _graph(tape):
    """(input ids, output ids) of every recorded op, then of every op beyond a cut, in order."""
    entries = tape._entries if tape._entries is not None else (tape._notes.graph or [])
    edges = [(e[1], e[3]) for e in entries]
    edges += [(c[1], c[2]) for c in tape._notes.cuts if c[0] is None]
    return sorted(edges, key=_first_out)  # creation order, so one forward sweep finds all


def _first_out(edge):
    outs = [i for i in edge[1] if i is not None]
    return min(outs) if outs else 0


def _downstream(graph, start):
    """Ids reachable from ``start`` through recorded ops."""
    reach = set(start)
    for in_ids, out_ids in graph:
        if any(i in reach for i in in_ids):
            reach.update(i for i in out_ids if i is not None)
    return reach


def explain(tape, targets, sources):
    """For each source: None if a gradient flows to it from ``targets``, else the reason."""
    notes = tape._notes
    if notes is None:
        return ["the tape never recorded anything: compute the target inside "
                "`with tf.GradientTape() as tape:`" for _ in sources]
    graph = _graph(tape)
    targets = [t for t in targets if isinstance(t, Tensor | Variable)]
    target_ids = {tape_id(t) for t in targets}
    produced = {i for _, outs in graph for i in outs if i is not None}
    return [_explain_one(tape, notes, graph, produced, target_ids, targets, s) for s in sources]


def _dtype(x):
    return value_of(x).dtype


def _explain_one(tape, notes, graph, produced, target_ids, targets, source):
    if not isinstance(source, Tensor | Variable):
        return f"{source!r} is not a Tensor or Variable, so it cannot have a gradient"
    dtype = _dtype(source)
    if dtype.kind not in "fcV":
        return (f"{_name(source)} has dtype {dtype}: only floating-point and complex "
                "tensors have gradients (cast it to a float dtype before computing with it)")
    sid = tape_id(source)
    if sid in target_ids:
        return None
    if targets and all(_dtype(t).kind not in "fcV" for t in targets):
        dtype = _dtype(targets[0])
        return (f"the target has dtype {dtype}: only floating-point and complex targets have "
                "gradients")
    watched = sid in notes.watched
    # A trainable Variable the tape would have watched had it read it: look for why it did not.
    auto = (isinstance(source, Variable) and source.trainable and tape._watch_accessed_variables)
    if not watched and not auto:
        return _unwatched(tape, notes, source)
    reach = _downstream(graph, {sid}) if watched else {sid}
    if reach & target_ids:
        return None
    for target in targets:
        reason = _target_outside(notes, produced, target)
        if reason:
            return reason
    # Follow the path across each cut: if the target lies beyond one, that cut is the cause.
    for kind, ins, outs, where, _ in notes.cuts:
        if kind is None or kind == "numpy" or not reach.intersection(ins):
            continue
        if _downstream(graph, reach | set(outs)) & target_ids:
            return _cut_reason(kind, where)
    # NumPy hands back no ids to follow: blame an export made before the target was computed.
    latest = max((tape_id(t) if isinstance(t, Tensor) else float("inf") for t in targets),
                 default=0)
    for kind, ins, _, where, when in notes.cuts:
        if kind == "numpy" and reach.intersection(ins) and when < latest:
            return (f"no recorded operation leads from {_name(source)} to the target: its "
                    "value (or one computed from it) left tapeflow through NumPy (`.numpy()`, "
                    f"`np.*` or `float()`){_where(where)}, and what comes back from NumPy is a "
                    "constant with no history")
    if not watched:
        return (f"{_name(source)} was never read {_recording_site(notes)}, so nothing connects "
                "it to the target (reads inside tf.stop_gradient or tape.stop_recording() are "
                "not recorded)")
    return (f"{_name(source)} is not connected to the target: no recorded operation leads from "
            "it to the target")


def _recording_site(notes):
    if not notes.spans:
        return "while the tape was recording"
    kind, where = notes.spans[0][2], notes.spans[0][3]
    if kind == "reset":
        return f"since tape.reset(){_where(where)}, which forgot everything recorded before it"
    return f"while the tape was recording (the `with` block{_where(where)})"


def _unwatched(tape, notes, source):
    if isinstance(source, Variable):
        if not source.trainable:
            return (f"{_name(source)} is not trainable (trainable=False), so the tape does not "
                    "watch it automatically: call tape.watch() on it")
        return (f"the tape was created with watch_accessed_variables=False and "
                f"{_name(source)} was never passed to tape.watch()")
    origin = getattr(source, "_origin", None)
    if origin is not None:
        name, where = origin
        short = name.split(":")[0]
        short = short if short.isidentifier() else "x"
        return (f"this tensor was computed from the Variable '{name}'{_where(where)} (as in "
                f"`{short} = {short} + 1`), which replaced the Variable with a Tensor; update a "
                f"Variable in place with {short}.assign_add(...) or {short}.assign(...) instead")
    site = _recording_site(notes).replace("while the tape was recording ", "").strip("()")
    return ("this tensor was never watched: only trainable Variables are watched automatically, "
            f"so call tape.watch() on it (the tape's record starts at {site})")


def _target_outside(notes, produced, target):
    if not isinstance(target, Tensor) or target._id in produced:
        return None
    tid = target._id
    for first, last, kind, where, _ in notes.spans:
        if first < tid and (last is None or tid < last):
            if kind == "stop_recording":
                return ("the target was computed inside tape.stop_recording() (entered"
                        f"{_where(where)}), so nothing leading to it was recorded")
            return None
    if notes.spans and tid < notes.spans[0][0]:
        return ("the target was computed before the tape started recording (the `with` block"
                f"{_where(notes.spans[0][3])})")
    return ("the target was computed after the tape stopped recording (the `with` block"
            f"{_where(notes.spans[-1][4])} had ended)")


def _cut_reason(kind, where):
    at = _where(where)
    if kind == "StopGradient":
        return f"the path to the target goes through tf.stop_gradient{at}"
    if kind == "assign":
        return (f"the path to the target goes through a Variable assignment{at}: assign, "
                "assign_add and assign_sub change state and are not differentiable")
    if " to " in kind:  # a cast (or other op) whose output is not floating
        op, dtype = kind.split(" to ")
        return (f"the path to the target goes through {op} to {dtype}{at}: integer and bool "
                "tensors carry no gradient")
    return f"the path to the target goes through {kind}{at}, which {_NON_DIFFERENTIABLE}"
