"""Derivatives of every order for graph ops that run a loop (``While``, ``map_fn``, ``scan``…).

Such an op's forward is a compiled program; its derivatives come from an *eager* function ``fn``
that computes the same outputs op by op (the loop replayed under a tape). The VJP of the op is
another primitive, run when the graph runs, that replays ``fn`` under a GradientTape; its own VJP
is built the same way from that replay, and so on, so gradients nest to any order. The JVP (for
``ForwardAccumulator``) replays ``fn`` under a forward accumulator, likewise differentiable.

:func:`record_region` lets the tapes see a stretch of graph nodes built with the tapes paused
(a loop carrying TensorArrays, whose list-valued flows tapes cannot follow) as one op from its
outside inputs to its results, differentiated by replaying those nodes.
"""

import numpy as np

from ..engine import core
from ..engine.tape import GradientTape, UnconnectedGradients
from ..framework.context import state
from ..framework.tensor import wrap
from ..framework.shape import TensorShape
from .ir import is_symbolic
from .replay import replay

_ZERO = UnconnectedGradients.ZERO


def _floating(t):
    return t.dtype.is_floating or t.dtype.is_complex


def _eagerly(fn, tensors):
    """``fn(*tensors)`` op by op, outside any trace and hidden from the active recorders."""
    saved = state.stack, state.graph, state.batch
    state.stack, state.graph, state.batch = [], None, 0
    try:
        return fn(*tensors)
    finally:
        state.stack, state.graph, state.batch = saved


def function_prim(name, fn):
    """A primitive whose forward runs the eager ``fn(*tensors) -> tensors`` on its inputs, with
    derivatives of every order (see :func:`with_derivatives`)."""
    def forward(*arrays):
        return tuple(o._value for o in _eagerly(fn, [wrap(a) for a in arrays]))
    return with_derivatives(core.Primitive(name, forward, multi=True), fn)


def with_derivatives(prim, fn):
    """Give the multi-output ``prim`` the VJP and JVP of the eager function ``fn`` that computes
    its outputs from its inputs."""
    prim.tensor_rules = prim.joint = True
    prim.defvjp(_vjp_rule(prim.name, fn))
    prim.defjvp(_jvp_rule(prim.name, fn))
    return prim


def _grad_name(name):
    return name if name.endswith("Grad") else f"{name}Grad"


def exact_shapes(compiled, replaying):
    """A VJP rule that builds ``compiled`` graph loops while tracing when every input's static
    shape is fully known, else ``replaying`` (the traced backward ops take broadcasting and
    reductions from the trace's example shapes, which an unknown dim's stand-in need not match;
    the replay runs on the values themselves)."""
    def rule(gs, ans, *inputs):
        if state.graph is not None and all(t.shape.is_fully_defined() for t in inputs):
            return compiled(gs, ans, *inputs)
        return replaying(gs, ans, *inputs)
    return rule


def _derived(made, make, inputs, wrt, outs, extra, like):
    """Apply the derivative primitive ``make(m, wrt, outs)`` (built once per key) to the op's
    inputs and ``extra`` (cotangents or tangents); its results are shaped as the tensors
    ``like``. While tracing it is not run: its example results are zeros (running it would
    replay the loop on the trace's examples, side effects included)."""
    key = (len(inputs), wrt, outs)
    prim = made.get(key)
    if prim is None:
        prim = made[key] = make(*key)
    if state.graph is None:
        return core.apply(prim, (*inputs, *extra), {})
    outputs = core.traced(prim, (*inputs, *extra), {},
                          [np.zeros_like(t._value) for t in like])
    # its example results are not its values: the program must run it on the first call too
    state.graph.producer[outputs[0]._id].stateful = True
    for o, t in zip(outputs, like):
        if is_symbolic(o):
            o._origin.shape = TensorShape(t.shape)
    return outputs


def _placed(n, where, values):
    out = [None] * n
    for k, v in zip(where, values):
        out[k] = v
    return out


def _vjp_rule(name, fn):
    made = {}  # one gradient primitive per (inputs, differentiable inputs and outputs)

    def rule(gs, ans, *inputs):
        wrt = tuple(k for k, t in enumerate(inputs) if _floating(t))
        seeds = tuple(k for k, a in enumerate(ans) if _floating(a))
        if not wrt or not seeds:
            return [None] * len(inputs)
        grads = _derived(made, lambda *key: _vjp_prim(_grad_name(name), fn, *key), inputs,
                         wrt, seeds, [gs[k] for k in seeds], [inputs[k] for k in wrt])
        return _placed(len(inputs), wrt, grads)
    return rule


def _vjp_prim(name, replay_loop, m, wrt, seeds):
    """The VJP of the eager ``replay_loop`` as a :func:`function_prim` (its forward names what
    it differentiates, which a SavedModel writer may read)."""
    def forward(*arrays):
        vjp = _vjp_fn(replay_loop, m, wrt, seeds)
        return tuple(o._value for o in _eagerly(vjp, [wrap(a) for a in arrays]))
    return with_derivatives(core.Primitive(name, forward, multi=True),
                            _vjp_fn(replay_loop, m, wrt, seeds))


def _vjp_fn(fn, m, wrt, seeds):
    def vjp(*tensors):
        ins = list(tensors[:m])
        with GradientTape() as tape:
            tape.watch([ins[k] for k in wrt])
            outs = fn(*ins)
        return tape.gradient([outs[k] for k in seeds], [ins[k] for k in wrt],
                             list(tensors[m:]), unconnected_gradients=_ZERO)
    return vjp


def _jvp_rule(name, fn):
    made = {}

    def rule(tangents, ans, *inputs):
        wrt = tuple(k for k, t in enumerate(tangents) if t is not None and _floating(inputs[k]))
        outs = tuple(k for k, a in enumerate(ans) if _floating(a))
        if not wrt or not outs:
            return [None] * len(ans)
        jvps = _derived(made, lambda *key: function_prim(f"{name}Jvp", _jvp_fn(fn, *key)),
                        inputs, wrt, outs, [tangents[k] for k in wrt], [ans[k] for k in outs])
        return _placed(len(ans), outs, jvps)
    return rule


def _jvp_fn(fn, m, wrt, outs):
    from ..engine.forwardprop import ForwardAccumulator

    def jvp(*tensors):
        ins = list(tensors[:m])
        with ForwardAccumulator([ins[k] for k in wrt], list(tensors[m:])) as acc:
            results = fn(*ins)
        return [acc.jvp(results[k], unconnected_gradients=_ZERO) for k in outs]
    return jvp


# --- a stretch of graph nodes seen by the tapes as one op ----------------------------------------

class _Region:
    """Nodes of a graph, replayable on their own (:func:`replay` reads ``nodes``/``captures``)."""

    def __init__(self, nodes):
        self.nodes = nodes
        self.captures = {}


def graph_slice(graph, out_ids, bound):
    """The nodes of ``graph`` that ``out_ids`` need when the ids in ``bound`` are given (a node
    whose outputs are all given is not needed), and the ids they read from outside."""
    needed = set(out_ids)
    nodes = []
    for node in reversed(graph.nodes):
        if any(o in needed for o in node.outputs) and not all(o in bound for o in node.outputs):
            nodes.append(node)
            needed.update(node.inputs)
    nodes.reverse()
    produced = {o for n in nodes for o in n.outputs}
    return _Region(nodes), needed - produced


def paused_tapes():
    """The recorders other than the graph being traced, removed from the stack until
    :func:`record_region` puts them back."""
    saved = state.stack
    state.stack = [r for r in saved if r is state.graph]
    return saved


def record_region(saved, start, outputs, name):
    """Put the recorders ``saved`` back and let them see ``graph.nodes[start:]`` as one op
    giving ``outputs``. Variable reads made in the stretch stay reads the tapes see."""
    state.stack = saved
    graph = state.graph
    tapes = [r for r in saved if r is not graph]
    for n in graph.nodes[start:]:
        if n.kind == "read":
            variable = graph.variables[n.attrs["handle"].id]
            for rec in tapes:
                rec.record_read(variable, graph.tensors[n.outputs[0]])
    return region_op(graph, [n for n in graph.nodes[start:] if n.kind != "read"], outputs,
                     name, tapes, True)


def region_op(graph, nodes, outputs, name, tapes, alone):
    """Record on ``tapes`` one op from the outside inputs of ``nodes`` to ``outputs``, whose
    derivatives replay the nodes; noted in ``graph.loop_regions`` for ``tf.gradients`` (with
    ``alone``, the nodes are not differentiated one by one there). Returns the op's primitive
    and the ids of its inputs."""
    produced = {o for n in nodes for o in n.outputs}
    ext = list(dict.fromkeys(i for n in nodes for i in n.inputs if i not in produced))
    inputs = tuple(graph.lookup(i) for i in ext)
    out_ids = [o._id for o in outputs]
    region = _Region(nodes)

    def fn(*tensors):
        return replay(region, dict(zip(ext, tensors)), out_ids)
    prim = function_prim(name, fn)
    graph.__dict__.setdefault("loop_regions", []).append(
        (nodes, prim, inputs, tuple(outputs), alone))
    for rec in tapes:
        rec.record(prim, inputs, tuple(outputs), {})
    return prim, ext


# --- jacobians of traced targets of unknown size -------------------------------------------------

def graph_jacobian(entries, target, sources, watched, zero_unconnected, batch=False):
    """``tape.jacobian`` while tracing, for a target whose size is known only when the graph
    runs: the backward pass for each one-hot seed, traced once as the body of a ``map_fn`` over
    the seeds' indices. Returns, per source, ``target.shape + source.shape`` (with ``batch``,
    ``tape.batch_jacobian``: each seed is one-hot in every example, the result
    ``target.shape + source.shape[1:]``)."""
    from ..engine import backprop
    from ..framework.tensor import tape_id, value_of
    from ..ops.array_ops import broadcast_to, cast, range as arange, reshape, shape, size
    from ..ops.array_ops import transpose, zeros_like
    from ..ops.manip_ops import concat
    from ..ops.math_ops import equal
    from ..ops.reduction_ops import reduce_prod
    from .functional_ops import map_fn
    source_ids = [tape_id(s) for s in sources]
    floating = [_floating(s) for s in sources]
    kept, reach = backprop.prune(entries, set(source_ids) & watched)
    target_shape = shape(target)
    inner = target_shape[1:] if batch else target_shape
    n = reduce_prod(inner) if batch else size(target)
    reached = [False] * len(sources)

    def row(i):
        seed = reshape(cast(equal(arange(n), i), target.dtype), inner)
        grads = {tape_id(target): broadcast_to(seed, target_shape) if batch else seed}
        backprop.propagate(kept, reach, grads, True, set(source_ids))
        out = []
        for k, (s, sid) in enumerate(zip(sources, source_ids)):
            g = grads.get(sid) if floating[k] else None
            reached[k] = reached[k] or g is not None
            out.append(zeros_like(s) if g is None else backprop._as_source_dtype(g, value_of(s)))
        return out

    rows = map_fn(row, arange(n), fn_output_signature=[s.dtype for s in sources])
    result = []
    for k, (s, r) in enumerate(zip(sources, rows)):
        if not (reached[k] or zero_unconnected and floating[k]):
            result.append(None)
            continue
        if batch:  # (n, b, *source[1:]) -> (b, n, *source[1:])
            r = transpose(r, [1, 0, *range(2, len(s.shape) + 1)])
            j = reshape(r, concat([target_shape, shape(s)[1:]], 0))
            j._origin.shape = target.shape.concatenate(s.shape[1:])
        else:
            j = reshape(r, concat([target_shape, shape(s)], 0))
            j._origin.shape = target.shape.concatenate(s.shape)
        result.append(j)
    return result


def _install():
    from ..engine import backprop
    from . import gradients  # noqa: F401 - installs tf.gradients' graph form
    backprop.kernels["graph_jacobian"] = graph_jacobian


_install()
