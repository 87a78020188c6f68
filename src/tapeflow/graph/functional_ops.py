"""``tf.map_fn``, ``tf.scan``, ``tf.foldl``, ``tf.foldr``: loops over the leading dimension.

Eagerly they run the Python function once per element, every step an ordinary op. While a
``tf.function`` is traced they become one graph ``while_loop`` over ``tf.shape(elems)[0]``
(traced once, whatever the number of elements), each element read with a gather and each result
written into a ``TensorArray`` that is stacked after the loop, as TF builds them. Tapes see the
whole construction as one op, differentiated (to any order) by replaying it op by op.
"""

import numpy as np

from ..framework import dtypes, errors, nest
from ..framework.context import state
from ..framework.shape import TensorShape
from ..framework.tensor import Tensor, convert_to_tensor
from ..framework.tensor_spec import TensorSpec
from .loop_ops import exact_shapes, paused_tapes, record_region


def _elements(elems, what="elems"):
    """The flat tensors of ``elems`` and their (static) common leading dimension."""
    flat = [convert_to_tensor(e) for e in nest.flatten(elems)]
    if not flat:
        raise ValueError(f"{what} must not be empty")
    n = None
    for t in flat:
        shape = t.shape
        if shape.rank is not None and shape.rank < 1:
            raise ValueError("Elements in elems must be 1+ dimensional Tensors, not scalars")
        d = None if shape.rank is None else shape[0]
        if d is not None:
            if n is not None and d != n:
                raise ValueError(f"Dimensions {n} and {d} are not compatible")
            n = d
    return flat, n


# --- what the function must return ---------------------------------------------------------------

def _specs(signature, elems, flat):
    """(structure, [(dtype, shape or None)]) that ``fn``'s results must match."""
    if signature is None:
        return elems, [(t.dtype, None) for t in flat]

    def spec(s):
        if isinstance(s, TensorSpec):
            return (s.dtype, s.shape)
        return (dtypes.as_dtype(s), None)
    leaves = nest.flatten(signature)
    return signature, [spec(s) for s in leaves]


def _check_result(structure, specs, result, graph):
    """``fn``'s result as flat tensors, checked as TF checks a TensorArray write."""
    if isinstance(result, Tensor) and not nest.is_nested(structure):
        leaves = [result]  # the usual case, checked without the structure walk
    else:
        from ..nest import assert_same_structure
        assert_same_structure(structure, result, check_types=False)
        leaves = nest.flatten(result)
    out = []
    for (dtype, shape), value in zip(specs, leaves):
        if value is None:
            raise ValueError("None values not supported." if graph else
                             "Attempt to convert a value (None) with an unsupported type "
                             "(<class 'NoneType'>) to a Tensor.")
        if not isinstance(value, Tensor):
            value = convert_to_tensor(value, dtype=dtype)
        if value.dtype != dtype:
            raise errors.InvalidArgumentError(
                None, None,
                f"Invalid data types; op elements {value.dtype._op_name} but list elements "
                f"{dtype._op_name}" if graph else f"TensorArray dtype is {dtype.name} but Op is "
                f"trying to write dtype {value.dtype.name} ")
        if shape is not None and (graph or shape != value._value.shape) and not TensorShape(
                shape).is_compatible_with(value.shape):
            raise ValueError(f"Inconsistent shapes: saw {value.shape} but expected {shape} "
                             if graph else f"Incompatible shape for value ({value.shape}), "
                             f"expected ({shape})")
        out.append(value)
    return out


# --- the loop, eagerly and in a graph ------------------------------------------------------------

def _run(step, flat, n_static, acc, start, reverse, writes, kind=None):
    """``acc, outs = step(acc, xs)`` for each element ``xs`` (flat slices of ``flat``) from index
    ``start`` (counted from the end when ``reverse``); returns the last ``acc`` and the stacked
    ``outs`` (``writes``: their (dtype, shape) specs). With ``start`` 1, the initial ``acc`` is
    the first row of the outputs (a scan without initializer). ``kind`` ("map", "scan",
    "fold": the outputs are ``step``'s results, its accumulators, or none) lets a traced loop
    have a compiled gradient; other loops' gradients replay them."""
    if state.graph is None:
        return _eager(step, flat, acc, start, reverse, writes)
    return _traced(step, flat, n_static, acc, start, reverse, writes, kind)


def _eager(step, flat, acc, start, reverse, writes):
    from ..ops.manip_ops import stack
    n = flat[0]._value.shape[0]
    rows = {}
    if start:
        acc = [_first(t, reverse) for t in flat]
        if writes:
            rows[n - 1 if reverse else 0] = acc
    order = range(n - 1 - start, -1, -1) if reverse else range(start, n)
    for i in order:
        acc, outs = step(acc, [t[i] for t in flat], i)
        rows[i] = outs
    if not rows:
        return acc, [convert_to_tensor(np.zeros((0, *(s or ())), d.as_numpy_dtype))
                     for d, s in writes]
    ordered = [rows[i] for i in sorted(rows)]
    return acc, [stack([r[k] for r in ordered]) for k in range(len(writes))]


def _traced(step, flat, n_static, acc, start, reverse, writes, kind):
    from ..ops.array_ops import shape
    from ..ops.manip_ops import reverse as flip
    from ..ops.math_ops import minimum
    from .control_flow import while_loop
    from .tensor_array import TensorArray
    graph = state.graph
    saved = paused_tapes()
    first = len(graph.nodes)
    try:
        n = shape(flat[0])[0]
        last = n - 1
        i0 = n - (1 + start) if reverse else convert_to_tensor(np.int32(start))
        if start:  # inside the region, whose gradient does not bake the example's size
            acc = [_first(t, reverse) for t in flat]
        tas = [TensorArray(d, size=0, dynamic_size=True, element_shape=s) for d, s in writes]
        if start and writes:  # reversed, rows are written last first (appended), then flipped
            tas = [ta.write(0, a) for ta, a in zip(tas, acc)]
        k = len(acc)
        examples, traced, carried = [], [], []
        initial = list(acc)

        def cond(i, *rest):
            return i >= 0 if reverse else i < n

        def body(i, *rest):
            # (never past the end when run; a SavedModel's loader retraces this body op by op
            # from an example index that may be)
            row = minimum(i, last)
            xs = [_row_at(t, row) for t in flat]
            new_acc, outs = step(list(rest[:k]), xs, i)
            examples[:] = outs
            traced[:] = xs
            carried[:] = [list(rest[:k]), new_acc]
            at = n - 1 - i if reverse else i
            arrays = [ta.write(at, o) for ta, o in zip(rest[k:], outs)]
            return (i - 1 if reverse else i + 1, *new_acc, *arrays)

        result = while_loop(cond, body, (i0, *acc, *tas))
        acc = list(result[1:1 + k])
        stacked = []
        rows = flat[0]._value.shape[0]
        for ta, o in zip(result[1 + k:], examples):
            t = ta.stack()
            t._value = np.zeros((rows, *o._value.shape), o._value.dtype)  # the example's size
            if reverse:
                t = flip(t, [0])
            t._origin.shape = TensorShape([n_static]).concatenate(o.shape)
            stacked.append(t)
    except BaseException:
        state.stack = saved
        raise
    prim, ext = record_region(saved, first, acc + stacked, "While")
    body = graph.producer[result[0]._id].target[1].graph
    if kind == "map":  # its gradient is a map too
        prim.defvjp(exact_shapes(_map_vjp(body, traced, examples, flat, ext), prim.vjps[0]))
    elif kind is not None:  # a scan or fold: its gradient is a loop the other way
        prim.defvjp(exact_shapes(_fold_vjp(body, traced, carried, flat,
                                           None if start else initial, ext, reverse,
                                           kind == "scan"), prim.vjps[0]))
    return acc, stacked


def _fold_vjp(body, xs, carried, flat, initial, ext, reverse, scan):
    """The VJP of a traced ``scan``/fold as graph loops: one recomputes the accumulator before
    each step, one runs the other way carrying the accumulator's cotangent, each row
    differentiating the body's ops (replayed under a tape) from the accumulator and the row."""
    from ..engine.tape import GradientTape
    from ..ops.array_ops import shape, zeros_like
    from ..ops.math_ops import equal, where
    from .loop_ops import _floating, graph_slice
    from .replay import replay
    acc_in, acc_out = carried
    k = len(acc_in)
    x_ids, in_ids = [x._id for x in xs], [a._id for a in acc_in]
    fa = [j for j in range(k) if _floating(acc_in[j])]
    wrt_x = [j for j, t in enumerate(flat) if _floating(t)]
    out_ids = [acc_out[j]._id for j in fa]
    nodes, reads = graph_slice(body, [a._id for a in acc_out], set(x_ids) | set(in_ids))

    def rule(gs, ans, *inputs):
        if not fa:
            return [None] * len(inputs)
        env = dict(zip(ext, inputs))
        caps = {c: env.get(c, t) for c, t in body.captures.items() if c in reads}
        cap_ids = [c for c in caps if c in env and _floating(env[c])]
        elems = [env[t._id] for t in flat]
        n_x = len(elems)

        def run_body(acc, rows):
            return replay(nodes, {**caps, **dict(zip(x_ids, rows)), **dict(zip(in_ids, acc))},
                          [a._id for a in acc_out])

        def before(acc, rows, i):  # write the accumulator each step starts from
            return run_body(acc, rows), acc

        inits = None if initial is None else [env[t._id] for t in initial]
        _, starts = _run(before, elems, None, inits or [], 0 if inits else 1, reverse,
                         [(a.dtype, a.shape) for a in acc_in])
        rows = elems + [starts[j] for j in fa] + ([gs[k + j] for j in fa] if scan else [])
        first = None if initial is None else -1  # the row that was the first accumulator
        if initial is None:
            first = shape(elems[0])[0] - 1 if reverse else 0

        def back(acc, r, i):
            d, dc = acc[:len(fa)], acc[len(fa):]
            x_r, b_r, g_r = r[:n_x], r[n_x:n_x + len(fa)], r[n_x + len(fa):]
            total = [a + g for a, g in zip(d, g_r)] if scan else d
            full = list(acc_in)
            for j, b in zip(fa, b_r):
                full[j] = b
            watched = list(b_r) + [x_r[j] for j in wrt_x] + [caps[c] for c in cap_ids]
            with GradientTape() as tape:
                tape.watch(watched)
                new = replay(nodes, {**caps, **dict(zip(x_ids, x_r)), **dict(zip(in_ids, full))},
                             out_ids)
            grads = [zeros_like(w) if g is None else g
                     for w, g in zip(watched, tape.gradient(new, watched, total))]
            m = len(fa) + len(wrt_x)
            d, dx, dcaps = grads[:len(fa)], grads[len(fa):m], grads[m:]
            if initial is None:  # no step at the first row: its cotangent is the carried one
                at_first = equal(i, first)
                d = [where(at_first, t, g) for t, g in zip(total, d)]
                own = dict(zip(fa, total))
                dx = [where(at_first, own[j] if j in own else zeros_like(g), g)
                      for j, g in zip(wrt_x, dx)]
                dcaps = [where(at_first, zeros_like(g), g) for g in dcaps]
            return d + [a + g for a, g in zip(dc, dcaps)], dx

        acc0 = [gs[j] for j in fa] + [zeros_like(caps[c]) for c in cap_ids]
        acc, dxs = _run(back, rows, None, acc0, 0, not reverse,
                        [(flat[j].dtype, flat[j].shape[1:]) for j in wrt_x])
        grads = list(zip(cap_ids, acc[len(fa):])) + [(flat[j]._id, dx)
                                                    for j, dx in zip(wrt_x, dxs)]
        if initial is not None:
            grads += [(initial[j]._id, d) for j, d in zip(fa, acc[:len(fa)])]
        out = [None] * len(inputs)
        for tid, g in grads:
            if tid in ext:
                pos = ext.index(tid)
                out[pos] = g if out[pos] is None else out[pos] + g
        return out
    return rule


def _map_vjp(body, xs, outs, flat, ext):
    """The VJP of a traced ``map_fn`` as another graph loop over the elements and their
    cotangents: row ``i`` differentiates the body's ops from the row to the result (replayed
    under a tape, so traced and compiled once), the captured tensors' gradients summed in the
    loop."""
    from ..engine.tape import GradientTape
    from ..ops.array_ops import zeros_like
    from .loop_ops import _floating, graph_slice
    from .replay import replay
    x_ids = [x._id for x in xs]
    wrt_x = [k for k, t in enumerate(flat) if _floating(t)]

    def rule(gs, ans, *inputs):
        seeds = [k for k, a in enumerate(ans) if _floating(a)]
        if not seeds:
            return [None] * len(inputs)
        env = dict(zip(ext, inputs))
        nodes, reads = graph_slice(body, [outs[k]._id for k in seeds], set(x_ids))
        caps = {c: env.get(c, t) for c, t in body.captures.items() if c in reads}
        cap_ids = [c for c in caps if c in env and _floating(env[c])]
        elems = [env[t._id] for t in flat]

        def step(acc, rows, i):
            x_rows, g_rows = rows[:len(elems)], rows[len(elems):]
            watched = [x_rows[k] for k in wrt_x] + [caps[c] for c in cap_ids]
            with GradientTape() as tape:
                tape.watch(watched)
                ys = replay(nodes, {**caps, **dict(zip(x_ids, x_rows))},
                            [outs[k]._id for k in seeds])
            grads = [zeros_like(w) if g is None else g  # zeros of the run-time shape
                     for w, g in zip(watched, tape.gradient(ys, watched, g_rows))]
            return ([a + g for a, g in zip(acc, grads[len(wrt_x):])],
                    list(grads[:len(wrt_x)]))

        acc, dxs = _run(step, elems + [gs[k] for k in seeds], None,
                        [zeros_like(caps[c]) for c in cap_ids], 0, False,
                        [(flat[k].dtype, flat[k].shape[1:]) for k in wrt_x])
        out = [None] * len(inputs)
        for tid, g in [(flat[k]._id, d) for k, d in zip(wrt_x, dxs)] + list(zip(cap_ids, acc)):
            pos = ext.index(tid)
            out[pos] = g if out[pos] is None else out[pos] + g
        return out
    return rule


# --- the public functions ------------------------------------------------------------------------

def map_fn(fn, elems, dtype=None, parallel_iterations=None, back_prop=True, swap_memory=False,
           infer_shape=True, name=None, fn_output_signature=None):
    """``tf.map_fn``: ``fn`` on each element along axis 0, results stacked."""
    if hasattr(elems, "_tf_fields"):  # a batch of extension type values: fn on each row
        return _map_extension_type(fn, elems, fn_output_signature or dtype)
    if fn_output_signature is None:
        fn_output_signature = dtype
    try:
        flat, n = _elements(elems)
    except ValueError:
        from ..ops.ragged_ops import RaggedTensor, map_rows
        if not isinstance(elems, RaggedTensor):
            raise
        return map_rows(fn, elems, fn_output_signature)
    structure, specs = _specs(fn_output_signature, elems, flat)
    graph = state.graph is not None

    def step(acc, xs, i):
        result = fn(nest.pack_sequence_as(elems, xs))
        return acc, _check_result(structure, specs, result, graph)

    _, outs = _run(step, flat, n, [], 0, False, specs, "map")
    return nest.pack_sequence_as(structure, outs)


def _map_extension_type(fn, elems, signature):
    """``map_fn`` over a batchable extension type value: ``fn`` on each row, the results
    stacked; without a signature ``fn`` must return the type it takes (TF's error)."""
    from ..experimental.extension_type import ExtensionType, _spec_of, stack_values, unstack
    from ..ops.manip_ops import stack
    results = []
    for row in unstack(elems):
        result = fn(row)
        if signature is None and type(result) is not type(row):
            raise ValueError(f"Error in map_fn:\n  Expected `fn` to return a:\n    "
                             f"{row._type_spec!r}\n  But it returned a:\n    "
                             f"{_spec_of(result)!r}\n    (value={result!s})\n  To fix, update "
                             "the `fn_output_signature` (or `dtype`) argument to `map_fn`.")
        results.append(result)
    if results and isinstance(results[0], ExtensionType):
        return stack_values(results)
    return stack(results)


def vectorized_map(fn, elems, fallback_to_while_loop=True, warn=True):
    """``tf.vectorized_map``: the values of ``map_fn(fn, elems)`` with results typed as ``fn``
    returns them (TF vectorizes with pfor; here every element is one call of ``fn``, as TF's own
    while-loop fallback does)."""
    flat, n = _elements(elems)
    if state.graph is not None:
        return map_fn(fn, elems, fn_output_signature=_traced_signature(fn, elems, flat))
    from ..ops.manip_ops import stack
    results = [fn(nest.pack_sequence_as(elems, [t[i] for t in flat]))
               for i in range(flat[0]._value.shape[0])]
    if not results:
        return map_fn(fn, elems)
    leaves = [nest.flatten(r) for r in results]
    return nest.pack_sequence_as(results[0], [stack([r[k] for r in leaves])
                                              for k in range(len(leaves[0]))])


def _traced_signature(fn, elems, flat):
    """The dtypes ``fn`` returns for one element, found by tracing it into a throwaway graph."""
    from .control_flow import SubGraph
    probe = SubGraph(lambda *xs: fn(nest.pack_sequence_as(elems, list(xs))),
                     [_row(t) for t in flat], "vectorized_map_probe",
                     [t.shape[1:] for t in flat])
    state.graph.children.remove(probe.graph)
    return nest.map_structure(lambda t: convert_to_tensor(t).dtype, probe.structure)


def _row(t):
    value = t._value
    return convert_to_tensor(value[0] if value.shape[0] else np.zeros(value.shape[1:],
                                                                      value.dtype))


def scan(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False,
         infer_shape=True, reverse=False, name=None):
    """``tf.scan``: the running ``fn(acc, x)`` over axis 0, every accumulator stacked."""
    flat, n = _elements(elems)
    graph = state.graph is not None
    if initializer is None:
        structure = elems
        init = None
        specs = [(t.dtype, t.shape[1:] if graph else t._value.shape[1:]) for t in flat]
        start = 1
    else:
        structure = initializer
        init = [convert_to_tensor(t) for t in nest.flatten(initializer)]
        specs = [(t.dtype, t.shape if graph else t._value.shape) for t in init]
        start = 0

    def step(acc, xs, i):
        new = fn(nest.pack_sequence_as(structure, acc), nest.pack_sequence_as(elems, xs))
        new = _check_result(structure, specs, new, graph)
        return new, new

    _, outs = _run(step, flat, n, init, start, reverse, specs, "scan")
    return nest.pack_sequence_as(structure, outs)


def _first(t, reverse):
    if state.graph is None:
        if not t._value.shape[0]:
            raise errors.OutOfRangeError(None, None, "Tried to read from index 0 but array "
                                         "size is: 0 ")
        return t[-1] if reverse else t[0]
    from ..ops.array_ops import shape
    return _row_at(t, shape(t)[0] - 1 if reverse else convert_to_tensor(np.int32(0)))


def _row_at(t, i):
    """Row ``i`` of ``t`` in a graph being traced: a gather node, its example taken as row 0
    (the trace's index need not be in range of the trace's example, which may have no rows)."""
    from ..engine import core
    from ..ops.index_ops import GATHER
    value = t._value
    example = value[0] if value.shape[0] else np.zeros(value.shape[1:], value.dtype)
    (x,) = core.traced(GATHER, (t, i), {"axis": 0, "batch_dims": 0}, [example])
    x._origin.shape = t.shape[1:]
    return x


def _fold(fn, elems, initializer, reverse):
    flat, n = _elements(elems)
    if initializer is None:
        structure = elems
        init = None
        start = 1
    else:
        structure = initializer
        init = [convert_to_tensor(t) for t in nest.flatten(initializer)]
        start = 0

    def step(acc, xs, i):
        new = fn(nest.pack_sequence_as(structure, acc), nest.pack_sequence_as(elems, xs))
        from ..nest import assert_same_structure
        assert_same_structure(structure, new, check_types=False)
        return [convert_to_tensor(t) for t in nest.flatten(new)], []

    acc, _ = _run(step, flat, n, init, start, reverse, [], "fold")
    return nest.pack_sequence_as(structure, acc)


def foldl(fn, elems, initializer=None, parallel_iterations=10, back_prop=True,
          swap_memory=False, name=None):
    """``tf.foldl``: ``fn(acc, x)`` left to right along axis 0."""
    return _fold(fn, elems, initializer, False)


def foldr(fn, elems, initializer=None, parallel_iterations=10, back_prop=True,
          swap_memory=False, name=None):
    """``tf.foldr``: ``fn(acc, x)`` right to left along axis 0."""
    return _fold(fn, elems, initializer, True)
