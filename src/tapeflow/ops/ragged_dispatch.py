"""TF's ops on RaggedTensors: every elementwise op (a dense operand broadcast against the rows),
the reductions over any axis, and the array ops TF dispatches (concat, stack, tile, gather,
boolean_mask, where, reverse, expand_dims, size, rank, ...), with the Python operators.

A handler is called only once the op failed to convert an argument (see
``_helpers.fallback``): dense calls never pass through here. Values are computed with tapeflow
ops on the flat values (gathers and segment reductions), so gradients reach them.
"""

import numpy as np

from ..framework import dtypes, errors
from ..framework.tensor import Tensor, convert_to_tensor, wrap
from . import (_k, array_extra_ops, array_ops, complex_ops, index_ops, manip_ops, math_ops, nn_ops,
               reduction_ops, special_ops, string_ops)
from ._helpers import BINARY_OPS, UNARY_OPS, dispatch_on_failure, like, tensor
from .ragged_ops import RaggedTensor, _ragged_rows, _rowids, _splits_of, _take


def _ragged_in(*values):
    for v in values:
        if isinstance(v, RaggedTensor) or isinstance(v, list | tuple) and any(
                isinstance(x, RaggedTensor) for x in v):
            return True
    return False


# --- elementwise ---------------------------------------------------------------------------------

def _unary(api):
    def handler(x, *args, **kwargs):
        if not isinstance(x, RaggedTensor):
            return NotImplemented
        return x.with_flat_values(api(x.flat_values, *args, **kwargs))
    return handler


def _binary(api):
    def handler(x, y, *args, **kwargs):
        if not (isinstance(x, RaggedTensor) or isinstance(y, RaggedTensor)):
            return NotImplemented
        return elementwise(api, x, y, *args, **kwargs)
    return handler


def _rows_differ():
    """TF's error for operands with different numbers of rows (its check of their shapes)."""
    raise errors.InvalidArgumentError(None, None, "Condition x == y did not hold.\n"
                                      "First 1 elements of x:\n[False]\n"
                                      "First 1 elements of y:\n[ True]")


def _uneven(x, y):
    """TF's error for partitions that differ: its splits compared with ``assert_equal``."""
    from .assert_ops import assert_equal
    if x.shape != y.shape:
        _rows_differ()
    assert_equal(wrap(x), wrap(y))


def _same_partitions(x, y):
    while isinstance(x, RaggedTensor) and isinstance(y, RaggedTensor):
        if x.row_splits is not y.row_splits:
            sx, sy = x._splits(), y._splits()
            if not np.array_equal(sx, sy):
                _uneven(sx, sy)
        x, y = x.values, y.values
    if isinstance(x, RaggedTensor) or isinstance(y, RaggedTensor):
        raise NotImplementedError("tapeflow broadcasts RaggedTensors of one ragged_rank only")


def broadcast_to_rows(d, rt):
    """Dense ``d`` laid out like ``rt``'s flat values: as it is when it covers only their inner
    axes, else gathered along the partitions (its size-1 axes repeat; others must match)."""
    flat = rt.flat_values
    inner = flat._value.ndim - 1
    nd = d._value.ndim
    if nd <= inner:
        return d
    outer = rt.ragged_rank + 1
    shape = (1,) * (outer + inner - nd) + tuple(d._value.shape)
    if len(shape) > outer + inner:
        raise ValueError(f"A dense operand of rank {nd} does not broadcast with a ragged one of "
                         f"rank {outer + inner}")
    n = rt.nrows_int()
    if shape[0] not in (1, n):
        _rows_differ()
    cols = [np.zeros(n, np.int64) if shape[0] == 1 else np.arange(n)]
    level = rt
    for k in range(1, outer):
        s = level._splits()
        ids = _rowids(s)
        cols = [c[ids] for c in cols]
        if shape[k] == 1:
            cols.append(np.zeros(len(ids), np.int64))
        else:
            uniform = np.arange(len(s)) * shape[k]
            if not np.array_equal(uniform, s):
                _uneven(uniform, s)
            cols.append(np.arange(len(ids)) - s[ids])
        level = level.values
    d = array_ops.reshape(d, shape) if len(shape) != nd else d
    return index_ops.gather_nd(d, wrap(np.stack(cols, 1).astype(np.int64)))


def _flat_operand(v, rt):
    """An operand of an elementwise op with RaggedTensor ``rt``, laid out like its flat values."""
    if isinstance(v, RaggedTensor):
        _same_partitions(rt, v)
        return v.flat_values
    if not isinstance(v, Tensor) and np.ndim(v) <= rt.flat_values._value.ndim - 1:
        return v  # a Python scalar or small list: converted by the op, as for dense operands
    t = v if isinstance(v, Tensor) else like(v, rt.flat_values)
    return broadcast_to_rows(t, rt)


def elementwise(api, x, y, *args, **kwargs):
    """``api(x, y)`` for a RaggedTensor ``x`` or ``y`` (the other broadcast against it)."""
    rt = x if isinstance(x, RaggedTensor) else y
    return rt.with_flat_values(api(_flat_operand(x, rt), _flat_operand(y, rt), *args, **kwargs))


def _add_n(inputs, name=None):
    if not _ragged_in(inputs):
        return NotImplemented
    out = inputs[0]
    for x in inputs[1:]:
        out = elementwise(math_ops.add, out, x)
    return out


def _where(condition, x=None, y=None, name=None):
    if not _ragged_in(condition, x, y) or x is None or y is None:
        return NotImplemented
    rt = next(v for v in (condition, x, y) if isinstance(v, RaggedTensor))
    kind = next((v for v in (x, y) if isinstance(v, RaggedTensor | Tensor)), None)

    def flat(v):
        if not isinstance(v, RaggedTensor | Tensor) and kind is not None:
            v = convert_to_tensor(v, (kind.dtype))
        return _flat_operand(v, rt)
    return rt.with_flat_values(math_ops.where(flat(condition), flat(x), flat(y)))


# --- reductions ----------------------------------------------------------------------------------

def _any_segments(data, ids, num):
    counts = index_ops.unsorted_segment_sum(array_ops.cast(data, dtypes.int32), ids, num)
    return math_ops.greater(counts, 0)


def _all_segments(data, ids, num):
    misses = index_ops.unsorted_segment_sum(
        array_ops.cast(math_ops.logical_not(data), dtypes.int32), ids, num)
    return math_ops.equal(misses, 0)


_REDUCTIONS = {  # kind: (the dense reduction, the segment reduction)
    "sum": (reduction_ops.reduce_sum, index_ops.unsorted_segment_sum),
    "max": (reduction_ops.reduce_max, index_ops.unsorted_segment_max),
    "min": (reduction_ops.reduce_min, array_extra_ops.unsorted_segment_min),
    "prod": (reduction_ops.reduce_prod, array_extra_ops.unsorted_segment_prod),
    "any": (special_ops.reduce_any, _any_segments),
    "all": (special_ops.reduce_all, _all_segments),
}


_SORTED = {"sum": index_ops.segment_sum, "max": array_extra_ops.segment_max,
           "min": array_extra_ops.segment_min}
_GRAPH_KINDS = ("sum", "max", "min", "any", "all")  # segment_prod reads its ids by value


def _neutral(kind, np_dtype):
    if kind == "sum":
        return np.zeros((), np_dtype)
    info = np.finfo(np_dtype) if np_dtype.kind == "f" else np.iinfo(np_dtype)
    return np.asarray(info.min if kind == "max" else info.max, np_dtype)


def _graph_segment(kind, values, ids, num):
    """A segment reduction whose ids and count a traced graph knows only when it runs: each
    segment gets one neutral value (so none is missing), then TF's sorted segment op."""
    if kind in ("any", "all"):  # counts of true (any) or false (all) values
        flags = values if kind == "any" else math_ops.logical_not(values)
        counts = _graph_segment("sum", array_ops.cast(flags, dtypes.int32), ids, num)
        return math_ops.greater(counts, 0) if kind == "any" else math_ops.equal(counts, 0)
    ids = array_ops.cast(ids, dtypes.int64)
    all_ids = manip_ops.concat([ids, array_ops.range(num, dtype=dtypes.int64)], 0)
    dims = manip_ops.concat([array_ops.reshape(num, [1]),
                             array_ops.shape(values, dtypes.int64)[1:]], 0)
    filler = array_ops.fill(dims, wrap(_neutral(kind, values._value.dtype)))
    order = index_ops.argsort(all_ids, stable=True)
    data = index_ops.gather(manip_ops.concat([values, filler], 0), order)
    return _SORTED[kind](data, index_ops.gather(all_ids, order))


def _graph_reduce_axis(kind, rt, axis):
    """``_reduce_axis`` of a traced graph's RaggedTensor (splits known when it runs) over
    dense values: the row ids come from the splits by ops."""
    splits = array_ops.cast(rt.row_splits, dtypes.int64)
    nvals = array_ops.shape(rt.values, dtypes.int64)[0]
    rows = array_extra_ops.searchsorted(splits[1:], array_ops.range(nvals, dtype=dtypes.int64),
                                        side="right", out_type=dtypes.int64)
    if axis == 1:
        return _graph_segment(kind, rt.values, rows, array_ops.shape(splits, dtypes.int64)[0] - 1)
    positions = array_ops.range(nvals, dtype=dtypes.int64) - index_ops.gather(splits, rows)
    width = reduction_ops.reduce_max(manip_ops.concat(
        [splits[1:] - splits[:-1], wrap(np.zeros(1, np.int64))], 0))
    return _graph_segment(kind, rt.values, positions, width)


def _segment(values, ids, num, segment):
    """Rows of ``values`` sharing an id in ``ids`` reduced into one; ragged rows are combined
    position by position (the result row as long as the longest)."""
    if not isinstance(values, RaggedTensor):
        return segment(values, wrap(ids.astype(np.int64)), int(num))
    s = values._splits()
    width = np.zeros(int(num), np.int64)
    np.maximum.at(width, ids, np.diff(s))
    offsets = _splits_of(width)
    rows = _rowids(s)
    inner = offsets[ids[rows]] + (np.arange(len(rows)) - s[rows])
    return RaggedTensor.from_row_splits(_segment(values.values, inner, offsets[-1], segment),
                                        offsets, validate=False)


def _reduce_axis(kind, rt, axis):
    dense, segment = _REDUCTIONS[kind]
    if not isinstance(rt, RaggedTensor):
        return dense(rt, axis=axis)
    if axis in (0, 1) and kind in _GRAPH_KINDS and not isinstance(rt.values, RaggedTensor) and (
            not _k.trace_known(rt.row_splits)):
        return _graph_reduce_axis(kind, rt, axis)
    if axis == 0:  # the rows combined position by position
        s = rt._splits()
        lengths = np.diff(s)
        rows = _rowids(s)
        return _segment(rt.values, np.arange(len(rows)) - s[rows],
                        lengths.max() if lengths.size else 0, segment)
    if axis == 1:
        return _segment(rt.values, _rowids(rt._splits()), rt.nrows_int(), segment)
    if axis <= rt.ragged_rank:
        return rt.with_values(_reduce_axis(kind, rt.values, axis - 1))
    return rt.with_flat_values(dense(rt.flat_values, axis=axis - rt.ragged_rank))


def _axes(rt, axis):
    rank = rt.shape.rank
    if isinstance(axis, Tensor):
        axis = np.asarray(axis).tolist()
    axes = [axis] if isinstance(axis, int | np.integer) else list(axis)
    out = []
    for a in axes:
        if not -rank <= int(a) < rank:
            raise ValueError(f"axis={a} out of bounds: expected {-rank}<=axis<{rank}")
        out.append(int(a) % rank)
    return sorted(set(out), reverse=True)


def reduce(kind, rt, axis=None, keepdims=False):
    """``tf.reduce_<kind>`` of a RaggedTensor (``mean``: the sum over the count, as TF)."""
    if kind == "mean":
        ones = rt.with_flat_values(array_ops.ones_like(rt.flat_values))
        total, count = reduce("sum", rt, axis, keepdims), reduce("sum", ones, axis, keepdims)
        if isinstance(total, RaggedTensor):
            return elementwise(math_ops.truediv, total, count)
        return math_ops.truediv(total, count)
    if axis is None:
        return _REDUCTIONS[kind][0](rt.flat_values)
    axes = _axes(rt, axis)
    out = rt
    for a in axes:
        out = _reduce_axis(kind, out, a)
    if keepdims:
        if isinstance(out, RaggedTensor):
            raise NotImplementedError("tapeflow's ragged reductions keep dense results' axes only")
        for a in sorted(axes):
            out = array_ops.expand_dims(out, a)
    return out


def _reduction(kind):
    def handler(input_tensor, axis=None, keepdims=False, name=None):
        if not isinstance(input_tensor, RaggedTensor):
            return NotImplemented
        return reduce(kind, input_tensor, axis, keepdims)
    return handler


def _variance(input_tensor, axis=None, keepdims=False, name=None):
    """TF's ragged variance: ``max(mean(x ** 2) - mean(x) ** 2, 0)``."""
    if not isinstance(input_tensor, RaggedTensor):
        return NotImplemented
    if input_tensor.dtype.is_complex:
        raise ValueError("reduce_variance is not supported for RaggedTensors with complex "
                         "dtypes.")
    squares = input_tensor.with_flat_values(math_ops.square(input_tensor.flat_values))
    spread = math_ops.subtract(reduce("mean", squares, axis, keepdims),
                               math_ops.square(reduce("mean", input_tensor, axis, keepdims)))
    return math_ops.maximum(spread, 0)


def _std(input_tensor, axis=None, keepdims=False, name=None):
    variance = _variance(input_tensor, axis, keepdims)
    return variance if variance is NotImplemented else math_ops.sqrt(variance)


def _innermost(rt, axis):
    """``axis`` as a non-negative int; whether it is ``rt``'s innermost ragged axis (others than
    that and the flat values' own axes are refused)."""
    axis = int(axis) % rt.shape.rank
    if axis < rt.ragged_rank:
        raise NotImplementedError("tapeflow computes this along a RaggedTensor's innermost "
                                  "ragged axis or a uniform inner one only")
    return axis, axis == rt.ragged_rank


def _per_value(per_row, rt):
    """``per_row`` (one entry per row of ``rt``'s innermost partition) repeated for each value
    of its row: laid out like ``rt``'s flat values."""
    flat = per_row.flat_values if isinstance(per_row, RaggedTensor) else per_row
    return index_ops.gather(flat, wrap(_rowids(rt._innermost()._splits())))


def _softmax(logits, axis=None, name=None):
    rt = logits
    if not isinstance(rt, RaggedTensor):
        return NotImplemented
    axis, ragged = _innermost(rt, -1 if axis is None else axis)
    if not ragged:
        return rt.with_flat_values(nn_ops.softmax(rt.flat_values, axis - rt.ragged_rank))
    top = _per_value(reduce("max", rt, axis), rt)
    exps = math_ops.exp(math_ops.subtract(rt.flat_values, top))
    total = _per_value(reduce("sum", rt.with_flat_values(exps), axis), rt)
    return rt.with_flat_values(math_ops.truediv(exps, total))


def _logsumexp(input_tensor, axis=None, keepdims=False, name=None):
    rt = input_tensor
    if not isinstance(rt, RaggedTensor):
        return NotImplemented
    if axis is None:
        return nn_ops.reduce_logsumexp(rt.flat_values)
    if rt.shape.rank != 2:  # TF's composite needs a dense max of the rows: 2-D only
        raise ValueError(RaggedTensor._conversion_error)
    axis, _ = _innermost(rt, axis)
    top = reduce("max", rt, axis)
    shift = math_ops.stop_gradient(math_ops.where(special_ops.is_finite(top), top,
                                                  array_ops.zeros_like(top)))
    exps = math_ops.exp(math_ops.subtract(rt.flat_values, _per_value(shift, rt)))
    return math_ops.add(math_ops.log(reduce("sum", rt.with_flat_values(exps), axis, keepdims)),
                        shift)


def _cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    """TF's ragged cumsum along the innermost ragged axis: a cumsum of the flat values less
    each row's start."""
    rt = x
    if not isinstance(rt, RaggedTensor):
        return NotImplemented
    axis, ragged = _innermost(rt, axis)
    flat = rt.flat_values
    if not ragged:
        return rt.with_flat_values(reduction_ops.cumsum(flat, axis - rt.ragged_rank, exclusive,
                                                        reverse))
    s = rt._innermost()._splits()
    rows = _rowids(s)
    running = reduction_ops.cumsum(flat, 0, exclusive=True, reverse=reverse)
    first = s[rows + 1] - 1 if reverse else s[rows]  # each row's first value in the scan
    out = math_ops.subtract(running, index_ops.gather(running, wrap(first.astype(np.int64))))
    return rt.with_flat_values(out if exclusive else math_ops.add(out, flat))


# --- array ops -----------------------------------------------------------------------------------

def _as_ragged(v, like_rt):
    """``v`` (a RaggedTensor or dense) as a RaggedTensor of ``like_rt``'s ragged_rank."""
    if isinstance(v, RaggedTensor):
        return v
    t = tensor(v) if isinstance(v, Tensor) else convert_to_tensor(v, like_rt.dtype)
    return RaggedTensor.from_tensor(t, ragged_rank=like_rt.ragged_rank)


def _lengths_and_starts(rt):
    s = rt._splits()
    return np.diff(s), s[:-1]


def _concat_rows(parts):
    """The rows of the RaggedTensors ``parts`` joined row by row (axis 1)."""
    from .assert_ops import assert_equal
    n = parts[0].nrows_int()
    lengths = [np.diff(p._splits()) for p in parts]
    for i, k in enumerate(lengths[1:], 1):
        if len(k) != n:  # TF's check of the row counts
            assert_equal(wrap(np.asarray([n])), wrap(np.asarray(len(k))), message=(
                f"Input tensors at index 0 (=x) and {i} (=y) have incompatible shapes."))
    offsets = np.cumsum([0] + [int(p._splits()[-1]) for p in parts])
    order = []
    for i in range(n):
        for p, k, off in zip(parts, lengths, offsets):
            start = int(p._splits()[i])
            order.append(np.arange(start, start + k[i]) + off)
    values = _concat_values([p.values for p in parts])
    order = np.concatenate(order) if order else np.zeros(0, np.int64)
    return RaggedTensor.from_row_lengths(_take(values, order), np.sum(lengths, 0))


def _concat_values(values):
    """Tensors or RaggedTensors joined along their first axis."""
    if not isinstance(values[0], RaggedTensor):
        return manip_ops.concat(list(values), 0)
    inner = _concat_values([v.values for v in values])
    splits = [values[0]._splits()]
    for v in values[1:]:
        splits.append(v._splits()[1:] + splits[-1][-1])
    return RaggedTensor.from_row_splits(inner, np.concatenate(splits), validate=False)


def _concat(values, axis, name="concat"):
    if not _ragged_in(values):
        return NotImplemented
    first = next(v for v in values if isinstance(v, RaggedTensor))
    parts = [_as_ragged(v, first) for v in values]
    rank = first.shape.rank
    axis = int(axis) % rank
    if axis == 0:
        return _concat_values(parts)
    if axis == 1:
        return _concat_rows(parts)
    for p in parts[1:]:
        _same_partitions_outer(parts[0], p)
    return parts[0].with_values(_concat(
        [p.values for p in parts], axis - 1) if isinstance(parts[0].values, RaggedTensor) else
        manip_ops.concat([p.values for p in parts], axis - 1))


def _same_partitions_outer(x, y):
    if not np.array_equal(x._splits(), y._splits()):
        _uneven(x._splits(), y._splits())


def expand_dims(input, axis, name=None):  # noqa: A002 - TF's name
    rt = input
    if not isinstance(rt, RaggedTensor):
        return NotImplemented
    axis = int(axis) % (rt.shape.rank + 1)
    n = rt.nrows_int()
    if axis == 0:
        return RaggedTensor(rt, wrap(np.asarray([0, n], np.int64)), n)
    if axis == 1:
        return RaggedTensor(rt, wrap(np.arange(n + 1, dtype=np.int64)), 1)
    values = rt.values
    inner = expand_dims(values, axis - 1) if isinstance(values, RaggedTensor) else \
        array_ops.expand_dims(values, axis - 1)
    return rt.with_values(inner)


def stack_rows(values):
    """Each of ``values`` (tensors or RaggedTensors, of any number of rows) one row of a new
    outer dimension."""
    first = next((v for v in values if isinstance(v, RaggedTensor)), None)
    if first is None:
        parts = manip_ops._same_dtype(values, "Pack", None)
        lengths = [p._value.shape[0] for p in parts]
        inner = manip_ops.concat(parts, 0)
    else:
        parts = [_as_ragged(v, first) for v in values]
        lengths = [p.nrows_int() for p in parts]
        inner = _concat_values(parts)
    return RaggedTensor.from_row_lengths(inner, lengths)


def _stack(values, axis=0, name="stack"):
    if not _ragged_in(values):
        return NotImplemented
    first = next(v for v in values if isinstance(v, RaggedTensor))
    axis = int(axis) % (first.shape.rank + 1)
    if axis == 0:
        return stack_rows(values)
    expanded = [expand_dims(_as_ragged(v, first), axis) for v in values]
    out = _concat(expanded, axis)
    return RaggedTensor(out.values, out.row_splits) if axis == 1 else out


def _tile(input, multiples, name=None):  # noqa: A002 - TF's name
    rt = input
    if not isinstance(rt, RaggedTensor):
        return NotImplemented
    m = [int(v) for v in np.asarray(tensor(multiples)._trace_value()).reshape(-1)]
    if rt.ragged_rank != 1:
        raise NotImplementedError("tapeflow tiles RaggedTensors of ragged_rank 1")
    values = rt.values
    if len(m) > 2:
        values = manip_ops.tile(values, [1] + m[2:])
    lengths, starts = _lengths_and_starts(rt)
    picked = [np.tile(np.arange(a, a + k), m[1]) for a, k in zip(starts, lengths)]
    picked = np.concatenate(picked).astype(np.int64) if picked else np.zeros(0, np.int64)
    inner = RaggedTensor.from_row_lengths(_take(values, picked), lengths * m[1])
    return _ragged_rows(inner, np.tile(np.arange(rt.nrows_int()), m[0]))


def _gather(params, indices, validate_indices=None, axis=None, batch_dims=0, name=None):
    if isinstance(indices, RaggedTensor) and not isinstance(params, RaggedTensor):
        return indices.with_flat_values(index_ops.gather(params, indices.flat_values, axis=axis,
                                                         batch_dims=batch_dims))
    if not isinstance(params, RaggedTensor):
        return NotImplemented
    if axis not in (None, 0) or batch_dims:
        raise NotImplementedError("tapeflow gathers a RaggedTensor's rows (axis 0) only")
    if isinstance(indices, RaggedTensor):
        return indices.with_flat_values(_gather(params, indices.flat_values))
    idx = np.asarray(tensor(indices)._trace_value(), np.int64)
    n = params.nrows_int()
    out = _ragged_rows(params, np.where(idx < 0, idx + n, idx).reshape(-1))
    for width in reversed(idx.shape[1:]):  # more index axes: more (even) partitions
        out = RaggedTensor(out, wrap(np.arange(0, out.nrows_int() + 1, width, dtype=np.int64)))
    return out


def boolean_mask(data, mask):
    """``tf.ragged.boolean_mask`` of a RaggedTensor ``data`` or ``mask`` (``mask``'s shape a
    prefix of ``data``'s): the kept values, in the mask's partitions."""
    if not isinstance(mask, RaggedTensor):
        rows = np.flatnonzero(np.asarray(tensor(mask)._trace_value(), bool))
        return _ragged_rows(data, rows)
    keep = np.asarray(mask.flat_values._trace_value(), bool).reshape(-1)
    if isinstance(data, RaggedTensor):
        inner, level = data, mask
        while isinstance(level, RaggedTensor):
            if not np.array_equal(inner._splits(), level._splits()):
                _uneven(inner._splits(), level._splits())
            inner, level = inner.values, level.values
    else:
        inner = broadcast_to_rows(tensor(data), mask)
    return _masked_partitions(mask, keep, _take(inner, np.flatnonzero(keep)))


def _boolean_mask(tensor_, mask, axis=None, name="boolean_mask"):
    if not _ragged_in(tensor_, mask):
        return NotImplemented
    # TF 2.21 does not dispatch tf.boolean_mask: converting the RaggedTensor fails so
    raise ValueError("TypeError: object of type 'RaggedTensor' has no len()\n")


def _masked_partitions(mask, keep, values):
    """The partitions of ``mask`` with only its true values kept, over ``values``."""
    if isinstance(mask.values, RaggedTensor):
        inner = _masked_partitions(mask.values, keep, values)
        return RaggedTensor.from_row_splits(inner, mask.row_splits, validate=False)
    s = mask._splits()
    counts = np.add.reduceat(keep.astype(np.int64), s[:-1]) if len(keep) else np.zeros(
        len(s) - 1, np.int64)
    counts = np.where(np.diff(s) > 0, counts, 0)
    return RaggedTensor.from_row_lengths(values, counts)


def _reverse(tensor_, axis, name=None):
    rt = tensor_
    if not isinstance(rt, RaggedTensor):
        return NotImplemented
    for a in _axes(rt, axis):
        rt = _reverse_axis(rt, a)
    return rt


def _reverse_axis(rt, axis):
    if axis == 0:
        return _ragged_rows(rt, np.arange(rt.nrows_int())[::-1])
    if axis == 1:
        lengths, starts = _lengths_and_starts(rt)
        picked = [np.arange(a, a + k)[::-1] for a, k in zip(starts, lengths)]
        picked = np.concatenate(picked).astype(np.int64) if picked else np.zeros(0, np.int64)
        return RaggedTensor.from_row_lengths(_take(rt.values, picked), lengths)
    if axis <= rt.ragged_rank:
        return rt.with_values(_reverse_axis(rt.values, axis - 1))
    return rt.with_flat_values(manip_ops.reverse(rt.flat_values, [axis - rt.ragged_rank]))


def _size(input, out_type=dtypes.int32, name=None):  # noqa: A002 - TF's name
    if not isinstance(input, RaggedTensor):
        return NotImplemented
    return array_ops.size(input.flat_values, out_type)


def _rank(input, name=None):  # noqa: A002 - TF's name
    if not isinstance(input, RaggedTensor):
        return NotImplemented
    return wrap(np.asarray(input.shape.rank, np.int32))


def _embedding_lookup(params, ids, max_norm=None, name=None):
    if not isinstance(ids, RaggedTensor):
        return NotImplemented
    return ids.with_flat_values(index_ops.embedding_lookup(params, ids.flat_values, max_norm))


def _squeeze(input, axis=None, name=None):  # noqa: A002 - TF's name
    rt = input
    if not isinstance(rt, RaggedTensor):
        return NotImplemented
    if axis is None:
        raise ValueError("Ragged.squeeze must have an axis argument.")
    axes = []
    for a in np.atleast_1d(axis):
        position = int(a) % rt.shape.rank
        if position <= rt.ragged_rank:
            raise errors.InvalidArgumentError(
                None, None, "Expected 'tf.Tensor(False, shape=(), dtype=bool)' to be true. "
                f"Summarized data: b'the given axis (axis = {position}) is not squeezable!'")
        axes.append(position - rt.ragged_rank)
    return rt.with_flat_values(array_ops.squeeze(rt.flat_values, axes))


def _one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    if not isinstance(indices, RaggedTensor):
        return NotImplemented
    if axis not in (None, -1):
        raise NotImplementedError("tapeflow's ragged one_hot adds the last axis only")
    return indices.with_flat_values(index_ops.one_hot(indices.flat_values, depth, on_value,
                                                      off_value, None, dtype))


def _split(value, num_or_size_splits, axis=0, num=None, name="split"):
    if not isinstance(value, RaggedTensor):
        return NotImplemented
    if int(axis) % value.shape.rank:
        raise NotImplementedError("tapeflow splits a RaggedTensor along its rows only")
    n = value.nrows_int()
    if np.ndim(num_or_size_splits) == 0:
        k = int(num_or_size_splits)
        if n % k:
            from .assert_ops import assert_equal
            assert_equal(wrap(np.asarray([n])), wrap(np.asarray(k * (n // k))), message=(
                "Cannot exactly split the `axis` dimension of `value` with the given "
                "`num_or_size_split`."))
        sizes = [n // k] * k
    else:
        sizes = [int(v) for v in np.asarray(num_or_size_splits).reshape(-1)]
    ends = np.cumsum(sizes)
    return [_ragged_rows(value, np.arange(end - size, end)) for size, end in zip(sizes, ends)]


def _bincount(arr, weights=None, minlength=None, maxlength=None, dtype=dtypes.int32, name=None,
              axis=None, binary_output=False):
    if not isinstance(arr, RaggedTensor):
        return NotImplemented
    if axis not in (None, 0):
        raise NotImplementedError("tapeflow counts a RaggedTensor's values over all its rows")
    if isinstance(weights, RaggedTensor):
        weights = weights.flat_values
    return array_extra_ops.bincount(arr.flat_values, weights, minlength, maxlength, dtype,
                                    binary_output=binary_output)


def _gather_nd(params, indices, batch_dims=0, name=None):
    """Each index tuple's item of a RaggedTensor ``params`` (``rt[i, j, ...]``), stacked."""
    if not isinstance(params, RaggedTensor):
        return NotImplemented
    if batch_dims or isinstance(indices, RaggedTensor):
        raise NotImplementedError("tapeflow's ragged gather_nd takes dense indices, no "
                                  "batch_dims")
    idx = np.asarray(tensor(indices)._trace_value(), np.int64)
    parts = [params[tuple(int(i) for i in row)] for row in idx.reshape(-1, idx.shape[-1])]
    if idx.shape[-1] <= params.ragged_rank:  # rows of a ragged dimension
        if idx.ndim != 2:
            raise NotImplementedError("tapeflow's ragged gather_nd of rows takes a matrix of "
                                      "indices")
        return stack_rows(parts)
    if not parts:
        return array_ops.reshape(params.flat_values[:0], idx.shape[:-1])
    out = manip_ops.stack(parts)
    return array_ops.reshape(out, idx.shape[:-1] + tuple(parts[0]._value.shape))


def _segment_op(api):
    def handler(data, segment_ids, num_segments, name=None):
        if not _ragged_in(data, segment_ids):
            return NotImplemented
        if isinstance(data, RaggedTensor) and isinstance(segment_ids, RaggedTensor):
            _same_partitions(data, segment_ids)
            return api(data.flat_values, segment_ids.flat_values, num_segments)
        raise NotImplementedError("tapeflow's segment ops take ragged data with ragged ids of "
                                  "the same rows")
    return handler


def _string_join(inputs, separator="", name=None):
    if not _ragged_in(inputs):
        return NotImplemented
    rt = next(v for v in inputs if isinstance(v, RaggedTensor))
    flats = [_flat_operand(v, rt) for v in inputs]
    return rt.with_flat_values(string_ops.join(flats, separator))


# --- registration --------------------------------------------------------------------------------

for _op in UNARY_OPS:
    dispatch_on_failure(_op, _unary(_op))
for _op in BINARY_OPS:
    dispatch_on_failure(_op, _binary(_op))
# Ops calling ``fallback`` themselves (math_ops.equal, divide, ... go through these):
for _op in (math_ops.abs, math_ops.identity, array_ops.ones_like, array_ops.zeros_like,
            array_ops.cast):
    dispatch_on_failure(_op, _unary(_op), inline=True)
dispatch_on_failure(math_ops.truediv, _binary(math_ops.truediv), inline=True)
for _op, _handler in ((math_ops.where, _where), (manip_ops.concat, _concat),
                      (manip_ops.stack, _stack), (index_ops.gather, _gather),
                      (array_ops.expand_dims, expand_dims)):
    dispatch_on_failure(_op, _handler, inline=True)
for _op, _handler in ((manip_ops.tile, _tile), (manip_ops.reverse, _reverse),
                      (array_ops.size, _size), (array_ops.rank, _rank),
                      (index_ops.one_hot, _one_hot), (manip_ops.split, _split),
                      (index_ops.gather_nd, _gather_nd),
                      (nn_ops.softmax, _softmax), (reduction_ops.cumsum, _cumsum),
                      (nn_ops.dropout, _unary(nn_ops.dropout)),
                      (manip_ops.clip_by_value, _unary(manip_ops.clip_by_value)),
                      (array_ops.squeeze, _squeeze), (math_ops.stop_gradient,
                                                      _unary(math_ops.stop_gradient))):
    dispatch_on_failure(_op, _handler, inline=True)
# Others: wrapped where they are exported
for _op, _handler in ((special_ops.reduce_variance, _variance),
                      (special_ops.reduce_std, _std), (nn_ops.reduce_logsumexp, _logsumexp),
                      (array_extra_ops.bincount, _bincount),
                      (string_ops.split, _unary(string_ops.split)),
                      (string_ops.unicode_split, _unary(string_ops.unicode_split)),
                      (string_ops.unicode_decode, _unary(string_ops.unicode_decode)),
                      (array_extra_ops.as_string, _unary(array_extra_ops.as_string)),
                      (string_ops.join, _string_join)):
    dispatch_on_failure(_op, _handler)
for _op in (index_ops.unsorted_segment_sum, index_ops.unsorted_segment_max,
            index_ops.unsorted_segment_mean, array_extra_ops.unsorted_segment_min,
            array_extra_ops.unsorted_segment_prod, array_extra_ops.unsorted_segment_sqrt_n):
    dispatch_on_failure(_op, _segment_op(_op))
for _op in (complex_ops.conj, complex_ops.imag, complex_ops.real, nn_ops.log_sigmoid):
    dispatch_on_failure(_op, _unary(_op))
for _op in (special_ops.divide_no_nan, special_ops.multiply_no_nan):
    dispatch_on_failure(_op, _binary(_op))
for _kind, _op in (("sum", reduction_ops.reduce_sum), ("mean", reduction_ops.reduce_mean),
                   ("max", reduction_ops.reduce_max), ("min", reduction_ops.reduce_min),
                   ("prod", reduction_ops.reduce_prod), ("any", special_ops.reduce_any),
                   ("all", special_ops.reduce_all)):
    dispatch_on_failure(_op, _reduction(_kind), inline=True)
for _op, _handler in ((math_ops.add_n, _add_n), (index_ops.boolean_mask, _boolean_mask),
                      (index_ops.embedding_lookup, _embedding_lookup)):
    dispatch_on_failure(_op, _handler)


# --- operators -----------------------------------------------------------------------------------

def _operator(api, reflected=False):
    if reflected:
        def method(self, other):
            return elementwise(api, other, self)
    else:
        def method(self, other):
            return elementwise(api, self, other)
    return method


for _name, _api in (("add", math_ops.add), ("sub", math_ops.subtract),
                    ("mul", math_ops.multiply), ("truediv", math_ops.truediv),
                    ("floordiv", math_ops.floordiv), ("mod", math_ops.floormod),
                    ("pow", math_ops.pow), ("and", math_ops.logical_and),
                    ("or", math_ops.logical_or), ("xor", math_ops.logical_xor)):
    setattr(RaggedTensor, f"__{_name}__", _operator(_api))
    setattr(RaggedTensor, f"__r{_name}__", _operator(_api, True))
for _name, _api in (("lt", math_ops.less), ("le", math_ops.less_equal),
                    ("gt", math_ops.greater), ("ge", math_ops.greater_equal)):
    setattr(RaggedTensor, f"__{_name}__", _operator(_api))


def _equality(api, none):
    """``==`` / ``!=``: elementwise, but ``none`` against None (as TF's tensor_equals)."""
    def method(self, other):
        return none if other is None else elementwise(api, self, other)
    return method


RaggedTensor.__eq__ = _equality(math_ops.equal, False)
RaggedTensor.__ne__ = _equality(math_ops.not_equal, True)
for _name, _api in (("neg", math_ops.negative), ("abs", math_ops.abs),
                    ("invert", math_ops.logical_not)):
    setattr(RaggedTensor, f"__{_name}__", _unary(_api))


def _unhashable(self):
    raise TypeError("RaggedTensor is unhashable.")


RaggedTensor.__hash__ = _unhashable
