"""``tf.cond``, ``tf.case``, ``tf.switch_case``, ``tf.while_loop`` — eagerly and in graphs.

Eagerly they are Python ``if`` and ``while`` over the ops (so tapes see every op). While a
``tf.function`` is traced, each branch / the loop's condition and body is traced into its own
sub-graph and compiled to its own program; the op that runs them is one node of the outer graph.
A branch op is differentiable: its gradient is another branch op whose branches replay the
original ones under a tape.
"""

import numpy as np

from ..engine import core
from ..engine.tape import GradientTape, UnconnectedGradients
from ..framework import dtypes, nest
from ..framework.context import state
from ..framework.shape import TensorShape
from ..framework.tensor import Tensor, convert_to_tensor
from ..framework.variable import Variable
from .executor import compile_graph, compile_loop
from .ir import Graph, SymbolicTensor
from .loop_ops import exact_shapes, with_derivatives
from .while_grad import only_needed, while_vjp
from .replay import replay


# --- structures with TensorArrays ----------------------------------------------------------------

def flatten(structure):
    """Leaves of ``structure`` with each TensorArray as its one flow tensor."""
    return [x.flow if hasattr(x, "_tensor_array") else x for x in nest.flatten(structure)]


def pack(structure, flat):
    """The inverse of :func:`flatten`."""
    leaves = nest.flatten(structure)
    out = [x._with_flow(f) if hasattr(x, "_tensor_array") else f for x, f in zip(leaves, flat)]
    return nest.pack_sequence_as(structure, out)


def same_structure(a, b):
    """Whether two nests have the same shape of containers (leaves may differ)."""
    if nest.is_nested(a) != nest.is_nested(b):
        return False
    if not nest.is_nested(a):
        return True
    if isinstance(a, dict) != isinstance(b, dict) or len(a) != len(b):
        return False
    if isinstance(a, dict):
        return sorted(a) == sorted(b) and all(same_structure(a[k], b[k]) for k in a)
    return all(same_structure(x, y) for x, y in zip(a, b))


def _as_tensor(x):
    if isinstance(x, Tensor):
        return x
    if isinstance(x, Variable):
        return x.read_value()
    return convert_to_tensor(x)


# --- sub-graphs ----------------------------------------------------------------------------------

class SubGraph:
    """A function traced into a child graph of the graph being built."""

    def __init__(self, fn, args, name, shapes=None):
        parent = state.graph
        g = self.graph = Graph(name, parent=parent)
        g.shadow = dict(parent.shadow)
        saved = state.stack, state.graph
        state.stack, state.graph = [g], g
        try:
            self.placeholders = [
                g.placeholder(a._value, a.shape if shapes is None else shapes[k], f"arg{k}")
                for k, a in enumerate(args)]
            self.structure = fn(*self.placeholders)
            flat = flatten(self.structure)
            self.outputs = [None if x is None else _as_tensor(x) for x in flat]
            for t in self.outputs:  # an output from outside (passed through) is a capture too
                if t is not None:
                    g.ref(t)
        finally:
            state.stack, state.graph = saved
        hoisted = g.hoist_reads()
        if hoisted:
            self.outputs = [hoisted.get(t._id, t) if t is not None else None
                            for t in self.outputs]
        self.captured = [t for tid, t in g.captures.items() if isinstance(t, SymbolicTensor)]

    def compile(self):
        ins = [p._id for p in self.placeholders] + [t._id for t in self.captured]
        outs = [self.graph.ref(t) for t in self.outputs if t is not None]
        return compile_graph(self.graph, ins, outs).run


def _merge_shapes(shapes):
    first = shapes[0]
    for s in shapes[1:]:
        if first.rank is None or s.rank is None or first.rank != s.rank:
            return TensorShape(None)
        first = TensorShape([a if a == b else None for a, b in zip(first, s)])
    return first


# --- cond / case ---------------------------------------------------------------------------------

def cond(pred, true_fn=None, false_fn=None, name=None):
    """``tf.cond``: ``true_fn()`` if ``pred`` else ``false_fn()``."""
    if true_fn is None or false_fn is None:
        raise TypeError("true_fn and false_fn arguments to tf.cond must be callable.")
    if state.graph is None or type(pred) is not SymbolicTensor:
        return true_fn() if _truth(pred) else false_fn()
    index = core.apply(_BOOL_INDEX, (pred,), {})
    return _branches(index, [false_fn, true_fn], "If", ("main", "else"), (1, 0))


def _truth(pred):
    if isinstance(pred, Tensor | Variable):
        return bool(np.asarray(pred._value if isinstance(pred, Tensor) else pred.numpy()))
    return bool(pred)


_BOOL_INDEX = core.not_differentiable(core.Primitive(
    "Cast", lambda p: np.asarray(p, np.int32), save=()))


def switch_case(branch_index, branch_fns, default=None, name=None):
    """``tf.switch_case``: ``branch_fns[branch_index]()``, ``default`` (or the last) when out of
    range."""
    if isinstance(branch_fns, dict):
        items = sorted(branch_fns.items())
        fns = [f for _, f in items]
        keys = [k for k, _ in items]
    else:
        fns = list(branch_fns)
        keys = list(range(len(fns)))
    if default is None:
        default = fns[-1]
    if state.graph is None or type(branch_index) is not SymbolicTensor:
        i = int(np.asarray(branch_index))
        return fns[keys.index(i)]() if i in keys else default()
    lookup = {k: j for j, k in enumerate(keys)}
    n = len(fns)
    prim = core.not_differentiable(core.Primitive(
        "BranchIndex", lambda i: np.int32(lookup.get(int(i), n)), save=()))
    index = core.apply(prim, (branch_index,), {})
    return _branches(index, fns + [default], "Case", None, tuple(range(n + 1)))


def case(pred_fn_pairs, default=None, exclusive=False, strict=False, name="case"):
    """``tf.case``: the function of the first true predicate, else ``default``."""
    pairs = list(pred_fn_pairs.items() if isinstance(pred_fn_pairs, dict) else pred_fn_pairs)
    if not pairs:
        return default()

    def chain(k):
        if k == len(pairs):
            return default() if default is not None else pairs[-1][1]()
        pred, fn = pairs[k]
        return cond(pred, fn, lambda: chain(k + 1))
    return chain(0)


def _branches(index, fns, op_type, labels, order):
    """One op running ``fns[index]()``, traced branch by branch into sub-graphs."""
    subs = [None] * len(fns)
    for k in order:  # TF traces the true branch first
        subs[k] = SubGraph(fns[k], (), f"{op_type.lower()}_branch_{k}")
    _check_branches(subs, labels, order)
    return run_branches(index, subs, op_type)


def run_branches(index, subs, op_type):
    """The op running branch ``subs[index]`` (traced sub-graphs with matching outputs)."""
    captured = []
    for s in subs:
        for t in s.captured:
            if all(t is not c for c in captured):
                captured.append(t)
    programs = [s.compile() for s in subs]
    picks = [[next(j for j, c in enumerate(captured) if c is t) for t in s.captured]
             for s in subs]

    def run(i, *caps):
        k = int(i)
        return programs[k](*[caps[j] for j in picks[k]])

    prim = core.Primitive(op_type, run, multi=True, save=("inputs", "output"))
    prim.tensor_rules = True
    prim.joint = True
    prim.defvjp(_branch_grad(subs, captured))
    chosen = subs[int(index._value)]
    live = [t for t in chosen.outputs if t is not None]
    outs = core.traced(prim, (index, *captured), {}, [t._value for t in live])
    state.graph.nodes[-1].target = subs  # for saved_model
    shapes = [_merge_shapes([s.outputs[k].shape for s in subs])
              for k, t in enumerate(chosen.outputs) if t is not None]
    for o, shape in zip(outs, shapes):
        if isinstance(o, SymbolicTensor):
            o._origin.shape = shape
    it = iter(outs)
    flat = [None if t is None else next(it) for t in chosen.outputs]
    return pack(chosen.structure, flat)


def _check_branches(subs, labels, order):
    """TF's errors for branches whose results differ in structure or dtype."""
    first = subs[order[0]]
    for k in order[1:]:
        other = subs[k]
        if not same_structure(first.structure, other.structure):
            raise ValueError(
                "true_fn and false_fn arguments to tf.cond must have the same number, type, and "
                "overall structure of return values.") from None
        for a, b in zip(first.outputs, other.outputs):
            if (a is None) != (b is None) or a is not None and a.dtype != b.dtype:
                what = (f"{a.dtype.name if a is not None else None} and "
                        f"{b.dtype.name if b is not None else None}")
                raise TypeError(f"Cannot reconcile tf.cond outputs of dtypes {what}"
                                if labels is None else
                                f"branch outputs have different dtypes: {what}")


def _branch_grad(subs, captured):
    """The joint VJP of a branch op: another branch op over the same index whose branch ``k``
    differentiates branch ``k``'s graph (replayed under a tape) at the same inputs."""
    floating = [k for k, t in enumerate(captured) if t.dtype.is_floating or t.dtype.is_complex]

    def rule(gs, ans, index, *caps):
        def grad_of(s):
            def f():
                xs = [caps[k] for k in floating]
                with GradientTape() as tape:
                    tape.watch(xs)
                    bindings = {t._id: caps[j] for j, t in enumerate(captured)}
                    outs = replay(s.graph, bindings, [s.graph.ref(t) for t in s.outputs
                                                      if t is not None])
                seeds = [g for g, o in zip(gs, outs)]
                pairs = [(o, g) for o, g in zip(outs, seeds)
                         if o.dtype.is_floating or o.dtype.is_complex]
                if not pairs:
                    return [convert_to_tensor(np.zeros_like(x._value)) for x in xs]
                return tape.gradient([o for o, _ in pairs], xs, [g for _, g in pairs],
                                     unconnected_gradients=UnconnectedGradients.ZERO)
            return f
        if not floating:
            return [None] * (1 + len(caps))
        fns = [grad_of(s) for s in subs]
        if type(index) is SymbolicTensor and state.graph is not None:
            grads = _branches(index, fns, "If" if len(fns) == 2 else "Case", None,
                              tuple(range(len(fns))))
        else:
            grads = fns[int(np.asarray(index._value))]()
        out = [None] * (1 + len(caps))
        for k, g in zip(floating, grads):
            out[1 + k] = g
        return out
    return rule


# --- while_loop ----------------------------------------------------------------------------------

def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10,
               back_prop=True, swap_memory=False, maximum_iterations=None, name=None):
    """``tf.while_loop``: repeat ``body`` while ``cond`` holds (at most ``maximum_iterations``)."""
    if not callable(cond):
        raise TypeError("'cond' must be callable.")
    if not callable(body):
        raise TypeError("'body' must be callable.")
    single = not isinstance(loop_vars, list | tuple)
    structure = [loop_vars] if single else loop_vars
    if state.graph is None:
        return _eager_loop(cond, body, structure, maximum_iterations, single)
    return _graph_loop(cond, body, structure, shape_invariants, maximum_iterations, single)


def _call_body(body, structure, values, single):
    out = body(*values)
    if single or (len(structure) == 1 and not isinstance(out, list | tuple)):
        out = [out]
    return type(structure)(out) if isinstance(structure, list | tuple) else out


def _eager_loop(cond, body, structure, maximum_iterations, single):
    values = structure
    n = 0
    limit = None if maximum_iterations is None else int(np.asarray(maximum_iterations))
    while (limit is None or n < limit) and _truth(cond(*values)):
        values = _call_body(body, structure, values, single)
        n += 1
    return values[0] if single else values


def _graph_loop(cond, body, structure, shape_invariants, maximum_iterations, single,
                labels=None):
    structure = nest.map_structure(
        lambda x: x if hasattr(x, "_tensor_array") else _as_tensor(x), structure)
    flat = flatten(structure)
    if shape_invariants is not None:
        invariants = [TensorShape(s) for s in nest.flatten(
            [shape_invariants] if single else shape_invariants)]
    else:
        invariants = [t.shape for t in flat]
    sub_c = SubGraph(lambda *a: cond(*pack(structure, a)), flat, "while_cond", invariants)
    sub_b = SubGraph(lambda *a: _call_body(body, structure, pack(structure, a), False), flat,
                     "while_body", invariants)
    pred = sub_c.outputs[0]
    if pred is None or pred.dtype != dtypes.bool or pred.shape.rank not in (0, None):
        raise TypeError("cond must return a boolean scalar tensor.")
    if not same_structure(list(structure), list(sub_b.structure)):
        raise ValueError("The two structures don't have the same nested structure.\n\nFirst "
                         f"structure: {structure}\n\nSecond structure: {sub_b.structure}")
    for k, (before, after, inv) in enumerate(zip(flat, sub_b.outputs, invariants)):
        if labels is not None:  # AutoGraph's words, naming the Python variable
            if after.dtype != before.dtype:
                raise TypeError(f"'{labels[k]}' has dtype {before.dtype.name} before the loop, "
                                f"but dtype {after.dtype.name} after one iteration")
            if not inv.is_compatible_with(after.shape):
                raise ValueError(f"'{labels[k]}' has shape {inv} before the loop, but shape "
                                 f"{after.shape} after one iteration. Use tf.autograph."
                                 "experimental.set_loop_options to set shape invariants.")
        if after.dtype != before.dtype:
            raise TypeError(
                f"Input tensor `{_label(before)}` enters the loop with dtype "
                f"{before.dtype.name}, but has dtype {after.dtype.name} after one iteration.")
        if not inv.is_compatible_with(after.shape):
            raise ValueError(
                f"Input tensor `{_label(before)}` enters the loop with shape {inv}, but has shape "
                f"{after.shape} after one iteration. To allow the shape to vary across "
                "iterations, use the `shape_invariants` argument of tf.while_loop to specify a "
                "less-specific shape.")
    run = _loop_runner(sub_c, sub_b, len(flat), maximum_iterations is not None)
    prim = core.Primitive("While", run, multi=True, save=("inputs",))
    extra = [] if maximum_iterations is None else [_as_tensor(maximum_iterations)]
    replay_loop = _loop_replay(sub_c, sub_b, invariants, len(flat), bool(extra))
    with_derivatives(prim, _loop_replay(sub_c, sub_b, invariants, len(flat), bool(extra),
                                        effects=False))
    if shape_invariants is None and all(t._value.dtype.kind != "O" for t in flat):
        # (rows of equal shapes can be kept, and no TensorArray is carried)
        prim.defvjp(exact_shapes(while_vjp(sub_c, sub_b, invariants, len(flat), bool(extra)),
                                 prim.vjps[0]))
    inputs = (*flat, *extra, *sub_c.captured, *sub_b.captured)
    outs = core.traced(prim, inputs, {}, [t._value for t in flat])
    state.graph.nodes[-1].target = (sub_c, sub_b)  # for saved_model
    for o, inv in zip(outs, invariants):
        if isinstance(o, SymbolicTensor):
            o._origin.shape = inv
    node = state.graph.producer[outs[0]._id] if outs else None
    if node is not None:
        node.replay = replay_loop
    result = pack(structure, list(outs))
    return result[0] if single else result


def _label(t):
    return t.name if isinstance(t, SymbolicTensor) else "loop_var"


def _loop_runner(sub_c, sub_b, n, limited):
    return compile_loop(sub_c, sub_b, n, limited).run


def _floating(t):
    return t.dtype.is_floating or t.dtype.is_complex


def _loop_replay(sub_c, sub_b, invariants, n, limited, effects=True):
    """The loop run op by op on tensors (under a tape: differentiable as an unrolled loop;
    while another graph is traced: a new graph loop over the replayed condition and body).
    Without ``effects`` (for derivatives) only the ops the loop variables need run."""
    c_out = [sub_c.graph.ref(sub_c.outputs[0])]
    b_out = [sub_b.graph.ref(t) for t in sub_b.outputs]
    c_graph, b_graph = sub_c.graph, sub_b.graph
    if not effects:
        c_graph, b_graph = only_needed(c_graph, c_out), only_needed(b_graph, b_out)

    def run(*args):
        values = list(args[:n])
        rest = list(args[n:])
        limit = rest.pop(0) if limited else None
        cc, bc = rest[:len(sub_c.captured)], rest[len(sub_c.captured):]
        c_bind = {t._id: v for t, v in zip(sub_c.captured, cc)}
        b_bind = {t._id: v for t, v in zip(sub_b.captured, bc)}
        if state.graph is not None:
            return tuple(while_loop(
                lambda *v: replay(c_graph, {**c_bind, **dict(
                    zip([p._id for p in sub_c.placeholders], v))}, c_out)[0],
                lambda *v: replay(b_graph, {**b_bind, **dict(
                    zip([p._id for p in sub_b.placeholders], v))}, b_out),
                values, shape_invariants=invariants, maximum_iterations=limit))
        limit = None if limit is None else int(np.asarray(limit._value))
        i = 0
        while True:
            bind = {**c_bind, **{p._id: v for p, v in zip(sub_c.placeholders, values)}}
            if not _truth(replay(c_graph, bind, c_out)[0]):
                break
            if limit is not None and i >= limit:
                break
            bind = {**b_bind, **{p._id: v for p, v in zip(sub_b.placeholders, values)}}
            values = replay(b_graph, bind, b_out)
            i += 1
        return tuple(values)
    return run

