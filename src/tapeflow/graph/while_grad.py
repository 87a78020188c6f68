"""The gradient of a traced ``tf.while_loop`` as graph loops (compiled, as TF's is).

One loop runs the forward loop again, keeping the loop variables each iteration starts from
(stacked, one row per iteration); a second runs the iterations backwards, replaying the body's
ops (those the loop variables need: no side effect runs again) under a tape at the kept row and
carrying the loop variables' cotangents, the captured tensors' gradients summed as it goes. The
loops are ordinary graph loops, so their own gradients (second order) are built the same way.
"""

import numpy as np

from ..engine.tape import GradientTape
from ..framework.shape import TensorShape
from ..framework.tensor import convert_to_tensor
from .replay import replay


def _floating(t):
    return t.dtype.is_floating or t.dtype.is_complex


def only_needed(graph, out_ids):
    """The nodes ``out_ids`` need (no print, assign or other side effect run again)."""
    from .loop_ops import graph_slice
    nodes, _ = graph_slice(graph, out_ids, set(graph.inputs))
    nodes.captures = graph.captures
    return nodes


def while_vjp(sub_c, sub_b, invariants, n, limited):
    """The VJP rule of a ``While`` op over the traced condition ``sub_c`` and body ``sub_b``
    (``n`` loop variables), while tracing."""
    c_out = [sub_c.graph.ref(sub_c.outputs[0])]
    b_out = [sub_b.graph.ref(t) for t in sub_b.outputs]
    c_ph = [p._id for p in sub_c.placeholders]
    b_ph = [p._id for p in sub_b.placeholders]
    nc = len(sub_c.captured)

    def rule(gs, ans, *inputs):
        values = list(inputs[:n])
        fv = [k for k in range(n) if _floating(values[k])]
        if not fv:
            return [None] * len(inputs)
        from ..ops.array_ops import zeros_like
        from ..ops.math_ops import logical_and
        from .control_flow import while_loop
        from .functional_ops import _row_at
        from .tensor_array import TensorArray
        rest = list(inputs[n:])
        limit = rest.pop(0) if limited else None
        c_caps, b_caps = rest[:nc], rest[nc:]
        c_bind = {t._id: v for t, v in zip(sub_c.captured, c_caps)}
        b_bind = {t._id: v for t, v in zip(sub_b.captured, b_caps)}
        cap_f = [k for k, c in enumerate(b_caps) if _floating(c)]

        def body(vals, keep=None):
            outs = b_out if keep is None else [b_out[k] for k in keep]
            return list(replay(only_needed(sub_b.graph, outs), {**b_bind, **dict(zip(b_ph, vals))},
                               outs))

        def fcond(count, *vs):
            pred = replay(only_needed(sub_c.graph, c_out), {**c_bind, **dict(zip(c_ph, vs[:n]))},
                          c_out)[0]
            return pred if limit is None else logical_and(pred, count < limit)

        def fbody(count, *vs):
            new = body(vs[:n])
            return (count + 1, *new, *[ta.write(count + 1, v) for ta, v in zip(vs[n:], new)])

        # row j: the values iteration j starts from (the first row written before the loop, so
        # the list is never empty, not even for a SavedModel loader retracing these ops)
        tas = [TensorArray(v.dtype, size=0, dynamic_size=True).write(0, v) for v in values]
        done = while_loop(fcond, fbody, (convert_to_tensor(np.int32(0)), *values, *tas),
                          shape_invariants=[TensorShape([]), *invariants, *[None] * n])
        history = []
        for v, inv, ta in zip(values, invariants, done[1 + n:]):
            h = ta.stack()
            h._value = np.zeros((1, *v._value.shape), v._value.dtype)  # one example row
            h._origin.shape = TensorShape([None]).concatenate(inv)
            history.append(h)

        def bbody(j, *rest):
            d, dc = rest[:len(fv)], rest[len(fv):]
            vals = [_row_at(h, j) for h in history]
            for v, inv in zip(vals, invariants):
                v._origin.shape = inv
            watched = [vals[k] for k in fv] + [b_caps[k] for k in cap_f]
            with GradientTape() as tape:
                tape.watch(watched)
                new = body(vals, fv)
            grads = [zeros_like(w) if g is None else g
                     for w, g in zip(watched, tape.gradient(new, watched, list(d)))]
            m = len(fv)
            return (j - 1, *grads[:m], *[a + g for a, g in zip(dc, grads[m:])])

        start = (done[0] - 1, *[gs[k] for k in fv], *[zeros_like(b_caps[k]) for k in cap_f])
        back = while_loop(lambda j, *rest: j >= 0, bbody, start, shape_invariants=[
            TensorShape([]), *[invariants[k] for k in fv], *[b_caps[k].shape for k in cap_f]])
        out = [None] * len(inputs)
        for k, g in zip(fv, back[1:1 + len(fv)]):
            out[k] = g
        first_cap = n + (1 if limited else 0) + nc
        for k, g in zip(cap_f, back[1 + len(fv):]):
            out[first_cap + k] = g
        return out
    return rule
