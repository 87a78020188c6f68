"""``tf.gradients`` and ``tf.hessians`` while a ``tf.function`` is traced (TF's graph-mode API).

The graph built so far is walked as a tape would have recorded it: each differentiable node is
an entry over its example shapes and symbolic tensors, a Variable read an entry from the
Variable, and a loop whose TensorArray flows no tape can follow (``map_fn``, ``scan``…) one
entry for the whole loop (``graph.loop_regions``). The ordinary backward walk then traces the
gradient ops into the same graph.
"""

from ..engine import backprop
from ..framework import nest
from ..framework.context import state
from ..framework.tensor import tape_id


def _entry(prim, inputs, outputs, attrs):
    def ids(ts):
        return tuple(t._id if t._value.dtype.kind in "fcV" else None for t in ts)
    return (prim, ids(inputs), [t._value.shape for t in inputs], ids(outputs),
            [(t._value.shape, t._value.dtype) for t in outputs], inputs, outputs, attrs)


def _entries(graph):
    """The graph's nodes as tape entries, in program order."""
    found = graph.__dict__.get("loop_regions", ())
    inside = {id(n) for nodes, *_, alone in found if alone for n in nodes}
    regions = {}
    for nodes, prim, inputs, outputs, alone in found:
        if alone or id(nodes[-1]) not in inside:  # (a read inside a loop region is in it)
            regions.setdefault(id(nodes[-1]), []).append((prim, inputs, outputs))
    entries = []
    for node in graph.nodes:
        if node.kind == "read":
            t = graph.tensors[node.outputs[0]]
            if t._value.dtype.kind in "fcV":
                entries.append((backprop.READ, (node.attrs["handle"].id,), (t._value.shape,),
                                (t._id,), ((t._value.shape, t._value.dtype),), None, None, {}))
            continue
        for prim, inputs, outputs in regions.get(id(node), ()):
            entries.append(_entry(prim, inputs, outputs, {}))
        if id(node) in inside:
            continue
        prim = node.prim
        if prim is None or not prim.differentiable:
            continue
        entries.append(_entry(prim, [graph.lookup(i) for i in node.inputs],
                              [graph.tensors[o] for o in node.outputs], node.attrs))
    return entries


def gradients(ys, xs, grad_ys=None, stop_gradients=None, unconnected_gradients="none"):
    """``tf.gradients`` in a graph being traced: one gradient (or None) per ``xs`` entry."""
    ys, xs = nest.flatten(ys), nest.flatten(xs)
    grad_ys = None if grad_ys is None else nest.flatten(grad_ys)
    entries = _entries(state.graph)
    if stop_gradients is not None:
        stops = {tape_id(t) for t in nest.flatten(stop_gradients)}
        entries = [e for e in entries if not stops & set(e[3])]
    source_ids = {tape_id(x) for x in xs}
    zero = str(getattr(unconnected_gradients, "value", unconnected_gradients)) == "zero"
    return backprop.gradients(entries, ys, xs, grad_ys, zero, source_ids)


def hessians(ys, xs):
    """``tf.hessians`` in a graph being traced: per ``xs`` entry, the Jacobian of the gradient
    of ``sum(ys)`` (shape ``x.shape + x.shape``)."""
    out = []
    for x in nest.flatten(xs):
        (g,) = gradients(ys, [x])
        if g is None:
            out.append(None)
            continue
        (h,) = backprop.jacobian(_entries(state.graph), g, [x], {tape_id(x)}, False, True)
        out.append(h)
    return out


backprop.kernels["graph_gradients"] = gradients
backprop.kernels["graph_hessians"] = hessians
