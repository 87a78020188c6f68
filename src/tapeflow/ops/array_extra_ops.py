"""Top-level array ops and ``tf.math`` extras that TF code reaches for: roll, repeat, unique,
sequence_mask, searchsorted, histograms, as_string, reverse_sequence, dynamic partition/stitch,
segment reductions, bincount, confusion_matrix, in_top_k, polyval, ...

Differentiable ones are compositions of registered primitives (mostly one ``GatherV2`` through an
index map, see ``remap``), so first and higher derivatives, forward mode and batched jacobians come
from those primitives' rules.
"""

import collections

import numpy as np

from ..engine.core import apply, batched, no_gradient, not_differentiable, primitive, quiet
from ..framework import dtypes, errors
from ..framework.shape import TensorShape
from ..framework.tensor import Tensor, convert_to_tensor, wrap
from . import _k
from ._helpers import REAL, binary_op, tensor
from .array_ops import (RESHAPE, broadcast_to, cast, expand_dims, reshape, shape, size,
                        zeros_like)
from .index_ops import GATHER, tensor_scatter_nd_add, top_k
from .index_ops import (SEGMENT_MAX, SEGMENT_MIN, SEGMENT_SUM, UNSORTED_SEGMENT_MIN, _segments,
                        segment_means, unsorted_segment_mean, unsorted_segment_sum)
from .manip_ops import concat, pad
from .math_ops import LOG, REALDIV, add_n, divide, exp, negative, where
from .math_ops import floor  # noqa: F401 - re-exported at the top level
from .nn_ops import sigmoid  # noqa: F401 - re-exported at the top level
from .reduction_ops import cumsum, reduce_max, reduce_mean, reduce_prod, reduce_sum
from .complex_ops import complex  # noqa: F401 - re-exported as tf.dtypes.complex
from .special_ops import divide_no_nan, is_finite, lgamma


def _np(x):
    """An argument's value read in Python (ids, shifts, sizes): a traced graph refuses one it
    only knows when it runs, rather than baking in the example's."""
    return np.asarray(x._trace_value() if isinstance(x, Tensor) else x)


def remap(x, index, fill=None):
    """``x`` rearranged: ``out[p] = x.flat[index[p]]`` for an int array ``index`` (any shape);
    with ``fill``, index ``-1`` takes that value. Differentiable through GatherV2."""
    x = tensor(x)
    flat = apply(RESHAPE, (x,), {"shape": (-1,)})
    index = np.asarray(index, np.int64)
    if fill is not None:
        pad = wrap(np.full((1,), fill, x._value.dtype))
        flat = concat([flat, pad], 0)
        index = np.where(index < 0, x._value.size, index)
    out = apply(GATHER, (flat, wrap(index.reshape(-1))), {"axis": 0, "batch_dims": 0})
    return apply(RESHAPE, (out,), {"shape": index.shape})


def remap_tail(x, index, k, fill=None):
    """``x`` rearranged in its last ``k`` axes alike for every leading index: ``out[..., p] =
    x[..., :].flat[index[p]]`` over those ``k`` axes (``-1`` takes ``fill``). The leading axes
    are only carried along, so a traced graph runs it for every batch size."""
    x = tensor(x)
    nd = x._value.ndim
    if k > 1:  # the last k axes merged into one
        lead = shape(x)[:nd - k] if _k.symbolic(x) else x._value.shape[:nd - k]
        x = reshape(x, concat([lead, [-1]], 0) if _k.symbolic(x) else lead + (-1,))
    index = np.asarray(index, np.int64)
    if fill is not None:  # one more entry at the end, holding the fill value
        index = np.where(index < 0, x._value.shape[-1], index)
        x = pad(x, [(0, 0)] * (nd - k) + [(0, 1)], constant_values=fill)
    return apply(GATHER, (x, wrap(index)), {"axis": nd - k, "batch_dims": 0})


def positions(shape):
    """The flat position of every element of an array of ``shape``."""
    return np.arange(int(np.prod(shape)), dtype=np.int64).reshape(shape)


# --- aliases TF exports at the top level ---------------------------------------------------------

realdiv = binary_op(REALDIV, "fc")

TRUNCATE_MOD = no_gradient(primitive("TruncateMod", quiet(np.fmod), save=()))
truncatemod = binary_op(TRUNCATE_MOD, "fiu")


# --- shuffles of elements ------------------------------------------------------------------------

def _axes(axis, ndim):
    return [int(a) % ndim for a in np.atleast_1d(_np(axis))]


def roll(input, shift, axis, name=None):  # noqa: A002 - TF's name
    """``tf.roll``: elements shifted along ``axis`` (wrapping around); differentiable."""
    x = tensor(input)
    shifts = np.atleast_1d(_np(shift)).astype(int)
    axes = _axes(axis, x._value.ndim)
    if len(shifts) != len(axes):
        raise errors.op_error("Roll", "shift and axis must have the same size", kernel=True)
    ndim = x._value.ndim
    return apply(ROLL, (x,), {"shift": tuple(int(s) for s in shifts),
                              "axis": tuple(a - ndim for a in axes)})


# Its own op (TF's Roll), not a gather with an index table made from the example's shape: the
# shifts wrap around the run-time length in a traced graph. Negative axes serve batched rules.
ROLL = primitive("Roll", lambda x, shift, axis: np.roll(x, shift, axis), save=()).defvjp(
    lambda g, ans, x, shift, axis: ROLL(g, shift=tuple(-s for s in shift), axis=axis))
ROLL.defjvp(lambda t, ans, x, shift, axis: ROLL(t, shift=shift, axis=axis))
batched(ROLL)


def _index_table(prim, values, x, attrs, traced):
    """An index table into ``x`` computed from ``values`` and ``x``'s shape: now (eagerly, or
    from what a trace knows), or by ``prim``'s op in a ``traced`` graph (each run's values
    count, not the trace's example)."""
    if traced:
        return apply(prim, (tensor(values), x), attrs)
    return wrap(prim.fwd(_np(values), x._value, **attrs))


def _repeat_table(reps, x, axis):
    """Each index along ``axis`` of ``x`` repeated ``reps`` times (one count, or one each)."""
    return np.repeat(np.arange(x.shape[axis]), reps if reps.ndim else int(reps))


# Tables of run-time sizes (no TF op of their own): a traced graph builds them from each run's
# values, so tf.repeat and tf.reverse_sequence compute there (as TF's graph does).
REPEAT_TABLE = not_differentiable(primitive("RepeatTable", _repeat_table, save=()))


def repeat(input, repeats, axis=None, name=None):  # noqa: A002
    """``tf.repeat``: each element (or slice along ``axis``) repeated; differentiable."""
    x = tensor(input)
    if axis is None:
        x = reshape(x, (-1,))
        if not _k.symbolic(repeats) and _np(repeats).size == 1:
            # each element r times, whatever x's run-time size: no index table
            n = size(x) if _k.symbolic(x) else x._value.size
            return reshape(broadcast_to(expand_dims(x, -1), [n, int(_np(repeats).reshape(()))]),
                           (-1,))
        axis = 0
    axis = int(axis) % x._value.ndim
    # A gather along ``axis`` with a table made from that axis' length and the repeats.
    traced = _k.symbolic(repeats) or _k.symbolic(x)
    if traced and _k.trace_known(repeats) and _np(repeats).ndim == 0:
        traced = _k.static_dims(x)[axis] is None  # else a table of known length (TF's shape)
    table = _index_table(REPEAT_TABLE, repeats, x, {"axis": axis}, traced)
    return apply(GATHER, (x, table), {"axis": axis, "batch_dims": 0})


def _reverse_table(lengths, x, seq_axis, batch_axis):
    """The flat position each element of ``x`` takes its value from."""
    index = np.moveaxis(positions(x.shape), (batch_axis, seq_axis), (0, 1)).copy()
    for b, n in enumerate(lengths.astype(np.int64)):
        if n > index.shape[1] or n < 0:
            raise errors.op_error("ReverseSequence", f"seq_lens(0) > input.dim({seq_axis})",
                                  kernel=True)
        index[b, :n] = index[b, :n][::-1]
    return np.moveaxis(index, (0, 1), (batch_axis, seq_axis)).reshape(-1)


REVERSE_TABLE = not_differentiable(primitive("ReverseSequenceTable", _reverse_table, save=()))


def reverse_sequence(input, seq_lengths, seq_axis=None, batch_axis=None, name=None):  # noqa: A002
    """``tf.reverse_sequence``: the first ``seq_lengths[b]`` entries of batch ``b`` reversed."""
    x = tensor(input)
    table = _index_table(REVERSE_TABLE, seq_lengths, x,
                         {"seq_axis": int(seq_axis), "batch_axis": int(batch_axis or 0)},
                         _k.symbolic(seq_lengths) or _k.symbolic(x))
    flat = apply(RESHAPE, (x,), {"shape": (-1,)})
    out = apply(GATHER, (flat, table), {"axis": 0, "batch_dims": 0})
    if _k.symbolic(x):
        return reshape(out, shape(x))
    return apply(RESHAPE, (out,), {"shape": x._value.shape})


def _partition_rows(parts, num_partitions):
    """The rows (leading elements, flattened over ``parts``' axes) each partition takes."""
    flat = parts.reshape(-1)
    rows = np.arange(flat.size)
    return tuple(rows[flat == p] for p in range(num_partitions))


# An op of a traced graph (no TF op of its own: TF's DynamicPartition takes the partitions as an
# input): each run's rows per partition, gathered from the data (so differentiable).
PARTITION_ROWS = not_differentiable(primitive("DynamicPartitionRows", _partition_rows,
                                              multi=True, save=()))


def dynamic_partition(data, partitions, num_partitions, name=None):
    """``tf.dynamic_partition``: ``data`` split by a partition index per leading element."""
    x = tensor(data)
    if _k.symbolic(x) or _k.symbolic(partitions):
        parts = tensor(partitions)
        lead = parts._value.ndim
        flat = reshape(x, concat([[-1], shape(x)[lead:]], 0))
        return [apply(GATHER, (flat, rows), {"axis": 0, "batch_dims": 0}) for rows in apply(
            PARTITION_ROWS, (parts,), {"num_partitions": int(num_partitions)})]
    parts = _np(partitions)
    rows = positions(x._value.shape).reshape(parts.shape + (-1,) if parts.ndim else (1, -1))
    flat_parts = parts.reshape(-1)
    rest = x._value.shape[parts.ndim:]
    return [remap(x, rows.reshape(flat_parts.size, -1)[flat_parts == p].reshape((-1,) + rest))
            for p in range(int(num_partitions))]


def dynamic_stitch(indices, data, name=None):
    """``tf.dynamic_stitch``: ``out[indices[m][i]] = data[m][i]`` (later entries win)."""
    idx = [_np(i).astype(np.int64) for i in indices]
    data = list(data)
    typed = next((d for d in data if isinstance(d, Tensor)), None)
    dtype = (typed if typed is not None else tensor(data[-1] if len(data) > 1 else data[0])).dtype
    if any(tensor(d).dtype.is_floating for d in data) and not dtype.is_floating:
        dtype = dtypes.float32
    data = [convert_to_tensor(d, dtype=dtype) if not isinstance(d, Tensor) else d for d in data]
    rest = data[0]._value.shape[idx[0].ndim:]
    flat = concat([reshape(d, (-1,) + rest) for d in data], 0)
    every = np.concatenate([i.reshape(-1) for i in idx])
    n = int(every.max()) + 1 if every.size else 0
    source = np.zeros(n, np.int64)
    source[every] = np.arange(every.size)
    inner = int(np.prod(rest))
    out = remap(flat, (source[:, None] * inner + np.arange(inner)).reshape((n,) + rest))
    if len(np.unique(every)) == every.size:
        return out
    # A repeated index keeps the later value, but TF's gradient reaches every entry mapped to
    # it: the value comes from ``out``, the gradient from S, the scatter-sum of all entries.
    from .math_ops import stop_gradient
    summed = unsorted_segment_sum(flat, wrap(every.astype(np.int64)), n)
    return stop_gradient(out) + (summed - stop_gradient(summed))


def tensor_scatter_nd_sub(tensor_, indices, updates, name=None):
    """``tf.tensor_scatter_nd_sub``: ``tensor_scatter_nd_add`` of the negated updates."""
    return tensor_scatter_nd_add(tensor_, indices, negative(updates))


def _scatter_extreme(fn, op_type):
    def forward(t, indices, updates):
        from .index_ops import _check_nd
        _check_nd(indices, t.shape, op_type, "shape")
        out = np.array(t)
        fn.at(out, tuple(np.moveaxis(indices.astype(np.int64), -1, 0)), updates)
        return out
    return forward


# Ops (TF's TensorScatterMax/Min): a traced graph scatters each run's values.
SCATTER_MAX, SCATTER_MIN = (
    not_differentiable(primitive(op, _scatter_extreme(fn, op), save=()))
    for fn, op in ((np.maximum, "TensorScatterMax"), (np.minimum, "TensorScatterMin")))


def tensor_scatter_nd_max(tensor_, indices, updates, name=None):
    """``tf.tensor_scatter_nd_max`` (values; no gradient in tapeflow yet)."""
    return apply(SCATTER_MAX, (tensor(tensor_), tensor(indices), tensor(updates)), {})


def tensor_scatter_nd_min(tensor_, indices, updates, name=None):
    """``tf.tensor_scatter_nd_min`` (values; no gradient in tapeflow yet)."""
    return apply(SCATTER_MIN, (tensor(tensor_), tensor(indices), tensor(updates)), {})


# --- non-differentiable array helpers -------------------------------------------------------------

Unique = collections.namedtuple("Unique", ["y", "idx"])
UniqueWithCounts = collections.namedtuple("UniqueWithCounts", ["y", "idx", "count"])


def _unique_forward(x, out_idx):
    values, first, inverse, counts = np.unique(x, return_index=True, return_inverse=True,
                                               return_counts=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty(order.size, out_idx)  # each distinct value's place by first appearance
    rank[order] = np.arange(order.size)
    return values[order], rank[inverse.reshape(-1)], counts[order].astype(out_idx, copy=False)


# Ops (TF's Unique/UniqueWithCounts, no gradient): a traced graph finds each run's values.
UNIQUE = {op: no_gradient(primitive(op, fwd, multi=True, save=())) for op, fwd in (
    ("Unique", lambda x, out_idx: _unique_forward(x, out_idx)[:2]),
    ("UniqueWithCounts", _unique_forward))}


def _unique(x, out_idx, op_type):
    x = tensor(x)
    if x._value.ndim != 1:
        raise errors.op_error(op_type, "unique expects a 1D vector.", kernel=True)
    return apply(UNIQUE[op_type], (x,), {"out_idx": dtypes.as_dtype(out_idx)._np})


def unique(x, out_idx=dtypes.int32, name=None):
    """``tf.unique``: distinct values in order of first appearance, and each element's index."""
    return Unique(*_unique(x, out_idx, "Unique"))


def unique_with_counts(x, out_idx=dtypes.int32, name=None):
    return UniqueWithCounts(*_unique(x, out_idx, "UniqueWithCounts"))


def sequence_mask(lengths, maxlen=None, dtype=dtypes.bool, name=None):
    """``tf.sequence_mask``: ``mask[..., j] = j < lengths[...]``."""
    if maxlen is not None or _k.symbolic(lengths):  # ops: a graph masks each run's lengths
        from .math_ops import less
        lengths = tensor(lengths)
        if maxlen is not None and _k.trace_known(maxlen):
            steps = wrap(np.arange(int(_np(maxlen)), dtype=lengths._value.dtype))
        else:  # the width read when the graph runs: maxlen, or the longest length (TF's)
            from .array_ops import range as steps_to
            from .math_ops import maximum
            if maxlen is None:
                maxlen = maximum(reduce_max(lengths), 0)
            steps = steps_to(cast(maxlen, lengths.dtype), dtype=lengths.dtype)
        return cast(less(steps, expand_dims(lengths, -1)), dtype)
    n = _np(lengths)  # the mask's width is the longest length: read by value
    mask = np.arange(int(n.max()) if n.size else 0) < n[..., None]
    return wrap(mask.astype(dtypes.as_dtype(dtype)._np))


def _bounds(side):
    def forward(seq, vals, out_type):
        lead = seq.shape[:-1]
        out = np.stack([np.searchsorted(s, v, side=side) for s, v in
                        zip(seq.reshape(-1, seq.shape[-1]), vals.reshape(-1, vals.shape[-1]))])
        return out.reshape(lead + vals.shape[-1:]).astype(out_type)
    return forward


# Ops (TF's LowerBound/UpperBound): a traced graph searches each run's values.
SEARCHSORTED = {side: not_differentiable(primitive(op, _bounds(side), save=()))
                for side, op in (("left", "LowerBound"), ("right", "UpperBound"))}


def searchsorted(sorted_sequence, values, side="left", out_type=dtypes.int32, name=None):
    """``tf.searchsorted``: insertion points along the last axis (leading axes are a batch)."""
    if side not in ("left", "right"):
        raise ValueError(f"Argument `side` must be either 'right' or 'left'. Received: `side` = "
                         f"{side}.")
    return apply(SEARCHSORTED[side], (tensor(sorted_sequence), tensor(values)),
                 {"out_type": dtypes.as_dtype(out_type)._np})


def _bins(values, value_range, nbins, dtype):
    v = values.astype(np.float64)
    lo, hi = (float(b) for b in value_range)
    with np.errstate(all="ignore"):
        b = np.floor((v - lo) / (hi - lo) * nbins)
    return np.clip(np.nan_to_num(b), 0, nbins - 1).astype(np.int64).astype(dtype)


def _histogram(values, value_range, nbins, dtype):
    b = _bins(values, value_range, nbins, np.int64).reshape(-1)
    return np.bincount(b, minlength=nbins).astype(dtype)


# Ops (TF's HistogramFixedWidth; its bins' op): a traced graph bins each run's values.
HISTOGRAM_BINS = not_differentiable(primitive("HistogramFixedWidthBins", _bins, save=()))
HISTOGRAM = not_differentiable(primitive("HistogramFixedWidth", _histogram, save=()))


def histogram_fixed_width_bins(values, value_range, nbins=100, dtype=dtypes.int32, name=None):
    """``tf.histogram_fixed_width_bins``: each value's bin (outliers in the end bins)."""
    return apply(HISTOGRAM_BINS, (tensor(values), tensor(value_range)),
                 {"nbins": int(nbins), "dtype": dtypes.as_dtype(dtype)._np})


def histogram_fixed_width(values, value_range, nbins=100, dtype=dtypes.int32, name=None):
    """``tf.histogram_fixed_width``: counts per bin of ``nbins`` equal bins over the range."""
    return apply(HISTOGRAM, (tensor(values), tensor(value_range)),
                 {"nbins": int(nbins), "dtype": dtypes.as_dtype(dtype)._np})


def _format_float(v, precision, scientific, shortest, width, fill):
    if shortest:
        text = repr(float(v)) if v.dtype == np.float64 else str(v)
        text = text[:-2] if text.endswith(".0") else text
    else:
        p = 6 if precision < 0 else precision
        text = f"{float(v):.{p}{'e' if scientific else 'f'}}"
    return text


def as_string(input, precision=-1, scientific=False, shortest=False, width=-1,  # noqa: A002
              fill="", name=None):
    """``tf.as_string``: each element formatted as text (TF's printf-style rules)."""
    return apply(AS_STRING, [tensor(input)], {"precision": precision, "scientific": scientific,
                                              "shortest": shortest, "width": width,
                                              "fill": fill})


def _as_string(arr, precision, scientific, shortest, width, fill):
    kind = arr.dtype.kind

    def pad(text):
        if width > 0 and len(text) < width:
            if fill == "0" and text.startswith("-"):
                return "-" + text[1:].rjust(width - 1, "0")
            return text.rjust(width, fill or " ")
        return text

    def one(v):
        if kind == "b":
            return "true" if v else "false"
        if kind in "iu":
            return pad(str(int(v)))
        if kind == "f":
            return pad(_format_float(v, precision, scientific, shortest, width, fill))
        if kind == "c":
            return "(" + ",".join(_format_float(part, precision, scientific, shortest, width,
                                                fill) for part in (v.real, v.imag)) + ")"
        return v.decode() if isinstance(v, bytes) else str(v)

    out = np.empty(arr.shape, object)
    for i, v in np.ndenumerate(arr):
        out[i] = one(v).encode()
    return out


AS_STRING = not_differentiable(primitive("AsString", _as_string, save=()))
AS_STRING.shape_fn = lambda x, **attrs: (x.dims, np.dtype(object))  # a primitive: traced


def _bitcast(arr, type):  # noqa: A002 - TF's attr name
    target = np.dtype(type)
    a, b = arr.dtype.itemsize, target.itemsize
    if a == b:
        return arr.view(target)
    if a > b:
        return np.ascontiguousarray(arr).view(target).reshape(arr.shape + (a // b,))
    if arr.shape[-1:] != (b // a,):
        raise errors.op_error("Bitcast", "Cannot bitcast from "
                              f"{dtypes.from_numpy(arr.dtype).as_datatype_enum} to "
                              f"{dtypes.from_numpy(target).as_datatype_enum}", kernel=True)
    return np.ascontiguousarray(arr).view(target).reshape(arr.shape[:-1])


# An op (TF's Bitcast): a traced graph reads the bytes of each run's values.
BITCAST = not_differentiable(primitive("Bitcast", _bitcast, save=()))


def bitcast(input, type, name=None):  # noqa: A002
    """``tf.bitcast``: the same bytes read as another dtype (the last axis grows or shrinks)."""
    return apply(BITCAST, (tensor(input),), {"type": dtypes.as_dtype(type)._np})


def broadcast_static_shape(shape_x, shape_y):
    """``tf.broadcast_static_shape``: the broadcast of two TensorShapes."""
    a, b = TensorShape(shape_x), TensorShape(shape_y)
    try:
        return TensorShape(np.broadcast_shapes(tuple(a.as_list()), tuple(b.as_list())))
    except ValueError as e:
        raise ValueError("Incompatible shapes for broadcasting. Two shapes are compatible if for "
                         "each dimension pair they are either equal or one of them is 1. "
                         f"Received: {a} and {b}.") from e


def _broadcast_args(a, b):
    sa, sb = a.tolist(), b.tolist()
    try:
        out = np.broadcast_shapes(tuple(sa), tuple(sb))
    except ValueError as e:
        raise errors.op_error("BroadcastArgs", f"Incompatible shapes: {sa} vs. {sb}",
                              kernel=True, name=None) from e
    return np.asarray(out, a.dtype)


# An op (TF's BroadcastArgs) for shapes a traced graph knows only when it runs.
BROADCAST_ARGS = not_differentiable(primitive("BroadcastArgs", _broadcast_args, save=()))


def broadcast_dynamic_shape(shape_x, shape_y):
    """``tf.broadcast_dynamic_shape``: the broadcast of two shape vectors, as a tensor."""
    a, b = tensor(shape_x), tensor(shape_y)
    if _k.trace_known(a) and _k.trace_known(b):  # eagerly, or shapes a trace knows: a constant
        return wrap(_broadcast_args(_np(a), _np(b)))
    return apply(BROADCAST_ARGS, (a, b), {})


def shape_n(input, out_type=dtypes.int32, name=None):  # noqa: A002
    """``tf.shape_n``: the shape of each tensor."""
    return [shape(tensor(t), out_type) for t in input]  # Shape ops: a graph's run-time sizes


def parallel_stack(values, name="parallel_stack"):
    """``tf.parallel_stack``: graph mode only in TF, so eager code gets TF's RuntimeError."""
    raise RuntimeError("tf.parallel_stack() is not compatible with eager execution.")


def _unravel(flat, shape):
    if (flat < 0).any() or (flat >= np.prod(shape)).any():
        raise errors.op_error("UnravelIndex", "index is out of bound as with dims", kernel=True)
    return np.asarray(np.unravel_index(flat, tuple(shape)), flat.dtype)


# An op (TF's UnravelIndex): a traced graph unravels each run's indices by each run's dims.
UNRAVEL_INDEX = not_differentiable(primitive("UnravelIndex", _unravel, save=()))


def unravel_index(indices, dims, name=None):
    """``tf.unravel_index``: flat indices as coordinates, one row per dimension."""
    idx = tensor(indices)
    if _k.symbolic(idx) or _k.symbolic(dims):
        return apply(UNRAVEL_INDEX, (idx, tensor(dims)), {})
    return wrap(_unravel(idx._value, _np(dims)))


def ensure_shape(x, shape, name=None):
    """``tf.ensure_shape``: ``x`` unchanged, or TF's error when its shape does not fit."""
    from .math_ops import identity
    x = tensor(x)
    want = TensorShape(shape)
    if not want.is_compatible_with(x.shape):
        def dims(s):
            return "[" + ",".join("?" if d is None else str(d) for d in s.as_list()) + "]"
        raise errors.op_error("EnsureShape", f"Shape of tensor input {dims(x.shape)} is not "
                              f"compatible with expected shape {dims(want)}.", kernel=True)
    return identity(x)


def saturate_cast(value, dtype, name=None):
    """``tf.dtypes.saturate_cast``: clip to the target dtype's range, then cast."""
    from .manip_ops import clip_by_value
    x = tensor(value)
    target = dtypes.as_dtype(dtype)
    if x._value.dtype.kind in "fiu" and target._np.kind in "iu":
        info = np.iinfo(target._np)
        lo = max(float(info.min), float(np.finfo(np.float64).min))
        hi = float(info.max)
        if x._value.dtype.kind == "f":
            # the largest value of x's dtype that does not exceed the target's max
            hi = float(np.nextafter(x._value.dtype.type(hi), x._value.dtype.type(0))) if \
                float(x._value.dtype.type(hi)) > info.max else hi
        elif x._value.dtype.kind in "iu":
            src = np.iinfo(x._value.dtype)
            lo, hi = max(lo, src.min), min(hi, src.max)
        x = clip_by_value(x, x._value.dtype.type(lo), x._value.dtype.type(hi))
    return cast(x, target)


# --- tf.math extras ------------------------------------------------------------------------------

def reciprocal_no_nan(x, name=None):
    """``tf.math.reciprocal_no_nan``: 1/x, with 0 where x is 0."""
    x = tensor(x)
    return divide_no_nan(_k.ones_like(x), x)


def xlog1py(x, y, name=None):
    """``tf.math.xlog1py``: x * log1p(y), 0 where x is 0."""
    from .math_ops import log1p
    from .special_ops import multiply_no_nan
    return multiply_no_nan(log1p(y), x)


def lbeta(x, name=None):
    """``tf.math.lbeta``: log|B(x)| over the last axis."""
    x = tensor(x)
    return reduce_sum(lgamma(x), -1) - lgamma(reduce_sum(x, -1))


def polyval(coeffs, x, name=None):
    """``tf.math.polyval``: Horner's rule, highest power first."""
    x = tensor(x)
    if not coeffs:
        return wrap(np.zeros_like(x._value))
    out = tensor(coeffs[0])
    for c in coeffs[1:]:
        out = out * x + c
    return out


def accumulate_n(inputs, shape=None, tensor_dtype=None, name=None):
    """``tf.math.accumulate_n``: ``add_n``."""
    return add_n(inputs)


def zero_fraction(value, name=None):
    """``tf.math.zero_fraction``: the fraction of zeros, as a float32 scalar."""
    x = tensor(value)
    if x.shape.num_elements() == 0:
        return wrap(np.float32(np.nan))
    from .math_ops import equal
    return reduce_mean(cast(equal(x, zeros_like(x)), dtypes.float32))  # ops: a graph reruns them


def count_nonzero(input, axis=None, keepdims=None, dtype=dtypes.int64, name=None):  # noqa: A002
    """``tf.math.count_nonzero``."""
    x = tensor(input)
    from .math_ops import not_equal
    nz = cast(not_equal(x, zeros_like(x)), dtypes.int64)  # ops: a graph reruns them
    ax = None if axis is None else _axes(axis, x._value.ndim)
    return cast(reduce_sum(nz, axis=ax, keepdims=bool(keepdims)), dtype)


def cumulative_logsumexp(x, axis=0, exclusive=False, reverse=False, name=None):
    """``tf.math.cumulative_logsumexp``: log(cumsum(exp(x))), computed stably."""
    x = tensor(x)
    top = reduce_max(x, axis=axis, keepdims=True)
    from .math_ops import stop_gradient
    top = stop_gradient(where(is_finite(top), top, zeros_like(top)))  # ops: a graph reruns them
    total = cumsum(exp(x - top), axis=axis, exclusive=exclusive, reverse=reverse)
    return apply(LOG, (total,), {}) + top


def _invert_permutation(p):
    if p.ndim != 1 or sorted(p.tolist()) != list(range(p.size)):
        raise errors.op_error("InvertPermutation", "invert_permutation requires input to be a "
                              "permutation" if p.ndim == 1 else "x must be a vector",
                              kernel=True)
    out = np.empty_like(p)
    out[p] = np.arange(p.size, dtype=p.dtype)
    return out


# An op (TF's InvertPermutation): a traced graph inverts each run's permutation.
INVERT_PERMUTATION = not_differentiable(primitive("InvertPermutation", _invert_permutation,
                                                  save=()))


def invert_permutation(x, name=None):
    """``tf.math.invert_permutation``."""
    return apply(INVERT_PERMUTATION, (tensor(x),), {})


NEXT_AFTER = primitive("NextAfter", np.nextafter, save=()).defvjp(
    lambda g, ans, x1, x2: g, lambda g, ans, x1, x2: _k.zeros_like(g))
nextafter = binary_op(NEXT_AFTER, REAL)
batched(NEXT_AFTER)  # elementwise rules: extra leading cotangent axes pass through


def in_top_k(targets, predictions, k, name=None):
    """``tf.math.in_top_k``: whether each target's prediction is among the row's ``k`` largest
    (ties at the boundary count as in)."""
    if _k.trace_known(k):
        return apply(IN_TOP_K, (tensor(predictions), tensor(targets)), {"k": int(_np(k))})
    # a graph's k known when it runs: an input of the op (as TF's), not an attribute
    return apply(IN_TOP_K, (tensor(predictions), tensor(targets), tensor(k)), {})


def _in_top_k(p, t, k):
    inside = (t >= 0) & (t < p.shape[1])  # a target out of range is never in (TF)
    mine = p[np.arange(p.shape[0]), np.where(inside, t, 0)]
    above = np.sum(p > mine[:, None], axis=1)
    return (above < k) & np.isfinite(mine) & inside


# An op (TF's InTopKV2): a traced graph ranks each run's predictions.
IN_TOP_K = not_differentiable(primitive("InTopKV2", _in_top_k, save=()))


def _bincount(a, w=None, *, minlength, maxlength, dtype, rows, binary_output):
    """Counts (or summed weights) of each value of ``a`` (per row with ``rows``), from the
    values when the op runs: as many bins as the largest value plus one, within the bounds."""
    a = a.astype(np.int64)
    if a.size and a.min() < 0:
        raise errors.op_error("Bincount" if w is None else "DenseBincount",
                              "Input arr must be non-negative!", kernel=True)
    n = int(a.max()) + 1 if a.size else 0
    if minlength is not None:
        n = max(n, minlength)
    if maxlength is not None:
        n = min(n, maxlength)

    def count(row, wrow):
        if maxlength is not None:  # only a maximum drops values
            keep = row < n
            row, wrow = row[keep], None if wrow is None else wrow[keep]
        c = np.bincount(row, wrow, minlength=n)
        return (c > 0) if binary_output else c

    if rows:
        out = np.stack([count(r, None if w is None else w[i]) for i, r in enumerate(a)])
    else:
        out = count(a.reshape(-1), None if w is None else w.reshape(-1))
    return out.astype(dtype if w is None else w.dtype)


# Ops (TF's Bincount/DenseBincount, no gradient): a traced graph counts each run's values.
BINCOUNT = {op: no_gradient(primitive(op, _bincount, save=()))
            for op in ("Bincount", "DenseBincount")}


def bincount(arr, weights=None, minlength=None, maxlength=None, dtype=dtypes.int32, name=None,
             axis=None, binary_output=False):
    """``tf.math.bincount`` of a 1-D or N-D (flattened) array, or per row with ``axis=-1``."""
    a = tensor(arr)
    attrs = {"minlength": None if minlength is None else int(_np(minlength)),
             "maxlength": None if maxlength is None else int(_np(maxlength)),
             "dtype": dtypes.as_dtype(dtype)._np, "binary_output": bool(binary_output),
             "rows": axis in (-1, 1) and a._value.ndim == 2}
    if weights is None:
        return apply(BINCOUNT["Bincount"], (a,), attrs)
    return apply(BINCOUNT["DenseBincount"], (a, tensor(weights)), attrs)


def _confusion(labels, predictions, weights=None, *, num_classes, dtype):
    lab, pred = labels.astype(np.int64), predictions.astype(np.int64)
    n = int(max(lab.max(initial=-1), pred.max(initial=-1))) + 1 if num_classes is None \
        else num_classes
    out = np.zeros((n, n), np.float64)
    np.add.at(out, (lab, pred), np.ones(lab.shape) if weights is None else weights)
    return out.astype(dtype)


# An op of a traced graph (TF's graph scatters into a matrix of the run's class count).
CONFUSION = not_differentiable(primitive("ConfusionMatrix", _confusion, save=()))


def confusion_matrix(labels, predictions, num_classes=None, weights=None, dtype=dtypes.int32,
                     name=None):
    """``tf.math.confusion_matrix``: rows are labels, columns predictions."""
    attrs = {"num_classes": None if num_classes is None else int(_np(num_classes)),
             "dtype": dtypes.as_dtype(dtype)._np}
    if _k.symbolic(labels) or _k.symbolic(predictions) or _k.symbolic(weights):
        # the counts (and the class count) of each run
        ins = (labels, predictions) + (() if weights is None else (weights,))
        return apply(CONFUSION, tuple(tensor(t) for t in ins), attrs)
    return wrap(_confusion(_np(labels), _np(predictions),
                           None if weights is None else _np(weights), **attrs))


def float_kernel_only(x, op_type, signature, default=False, name=""):
    """TF's error for an input other than float16/float32 to a kernel registered for those."""
    if x.dtype.name in ("float16", "float32"):
        return
    t_attr = "attr=T:type," + ("default=DT_FLOAT," if default else "")
    raise errors.op_error(op_type, f"Value for attr 'T' of {x.dtype._op_name} is not in the list "
                          "of allowed values: half, bfloat16, float\n\t; NodeDef: "
                          f"{{{{node {op_type}}}}}; Op<name={op_type}; {signature}; {t_attr}"
                          "allowed=[DT_HALF, DT_BFLOAT16, DT_FLOAT]>", name=name)


_APPROX_TOP_K_SIGNATURE = (
    "signature=input:T -> values:T, indices:int32; attr=k:int,min=0; "
    "attr=reduction_dimension:int,default=-1; attr=recall_target:float,default=0.95; "
    "attr=is_max_k:bool,default=true; attr=reduction_input_size_override:int,default=-1; "
    "attr=aggregate_to_topk:bool,default=true")


def _approx_k(operand, k, reduction_dimension, largest):
    x = tensor(operand)
    float_kernel_only(x, "ApproxTopK", _APPROX_TOP_K_SIGNATURE)
    return exact_k(x, k, reduction_dimension, largest)


def exact_k(x, k, reduction_dimension, largest):
    """The ``k`` largest (or smallest) along an axis, sorted, with indices (differentiable)."""
    axis = int(reduction_dimension) % x._value.ndim
    last = x._value.ndim - 1
    perm = list(range(x._value.ndim))
    perm[axis], perm[last] = last, axis
    from .array_ops import transpose
    moved = transpose(x, perm)
    values, idx = top_k(moved if largest else negative(moved), int(k))
    values = values if largest else negative(values)
    return transpose(values, perm), transpose(idx, perm)


def approx_max_k(operand, k, reduction_dimension=-1, recall_target=0.95,
                 reduction_input_size_override=-1, aggregate_to_topk=True, name=None):
    """``tf.math.approx_max_k``: exact here (the k largest, sorted), with their indices."""
    return _approx_k(operand, k, reduction_dimension, True)


def approx_min_k(operand, k, reduction_dimension=-1, recall_target=0.95,
                 reduction_input_size_override=-1, aggregate_to_topk=True, name=None):
    """``tf.math.approx_min_k``: exact here (the k smallest, sorted), with their indices."""
    return _approx_k(operand, k, reduction_dimension, False)


# --- segment reductions --------------------------------------------------------------------------

def _num_sorted(segment_ids, op_type):
    """The segment count of sorted ids (their largest plus one); unsorted ones are TF's error."""
    ids = _np(segment_ids)
    if (np.diff(ids.reshape(-1)) < 0).any():
        raise errors.op_error(op_type, "segment ids are not increasing", kernel=True,
                              name=None)
    return int(ids.max()) + 1 if ids.size else 0


def unsorted_segment_min(data, segment_ids, num_segments, name=None):
    """``tf.math.unsorted_segment_min``: empty segments hold the dtype's largest value."""
    data, ids, num = _segments(data, segment_ids, num_segments, "UnsortedSegmentMin", True)
    return apply(UNSORTED_SEGMENT_MIN, (data, ids if isinstance(ids, Tensor) else wrap(ids)),
                 {"num_segments": num})


def _graph_ids(segment_ids, op):
    """A traced graph's ids (their values known when it runs), else None; ``op`` None: the op
    cannot take them so (its result's layout comes from the ids' values), so the caller reads
    them by value (the guarded ``_np``: a graph retraces per value, or refuses)."""
    if not _k.symbolic(segment_ids) or op is None:
        return None
    return segment_ids


def _grouped(data, segment_ids, num, fill):
    """``data``'s rows gathered into ``[num, longest segment, ...]``, padded with ``fill``."""
    x = tensor(data)
    ids = _np(segment_ids).reshape(-1)
    rest = x._value.shape[_np(segment_ids).ndim:]
    inner = int(np.prod(rest))
    counts = np.bincount(ids[ids >= 0], minlength=num)[:num]
    width = max(int(counts.max(initial=0)), 1)
    index = -np.ones((num, width, inner), np.int64)
    slot = np.zeros(num, np.int64)
    for row, s in enumerate(ids):
        if 0 <= s < num:
            index[s, slot[s]] = row * inner + np.arange(inner)
            slot[s] += 1
    return remap(x, index.reshape((num, width) + rest), fill=fill)


def unsorted_segment_prod(data, segment_ids, num_segments, name=None):
    """``tf.math.unsorted_segment_prod``: empty segments give 1; differentiable."""
    _graph_ids(segment_ids, None)
    return reduce_prod(_grouped(data, segment_ids, int(num_segments), 1), axis=1)


def unsorted_segment_sqrt_n(data, segment_ids, num_segments, name=None):
    """``tf.math.unsorted_segment_sqrt_n``: the sum divided by sqrt(count)."""
    _graph_ids(segment_ids, None)
    x = tensor(data)
    ids = _np(segment_ids)
    num = int(num_segments)
    counts = np.bincount(ids[ids >= 0].reshape(-1), minlength=num)[:num]
    scale = np.sqrt(np.maximum(counts, 1)).astype(x._value.dtype)
    scale = scale.reshape((num,) + (1,) * (x._value.ndim - ids.ndim))
    return divide(unsorted_segment_sum(x, segment_ids, num), wrap(scale))


def _sorted_extreme(prim, data, segment_ids):
    """TF's SegmentMax/SegmentMin: eager ids checked as the unsorted op checks them; the
    segments counted when the op runs, empty ones 0."""
    ids = _graph_ids(segment_ids, prim)
    if ids is not None:  # counted, and empty segments found, when the graph runs
        return apply(prim, (tensor(data), ids), {})
    num = _num_sorted(segment_ids, prim.name)
    data, checked, _ = _segments(data, segment_ids, num, prim.name, True)
    return apply(prim, (data, wrap(checked)), {})


def segment_max(data, segment_ids, name=None):
    """``tf.math.segment_max`` (sorted ids): empty segments give 0."""
    return _sorted_extreme(SEGMENT_MAX, data, segment_ids)


def segment_min(data, segment_ids, name=None):
    return _sorted_extreme(SEGMENT_MIN, data, segment_ids)


def segment_mean(data, segment_ids, name=None):
    if _graph_ids(segment_ids, SEGMENT_SUM) is not None:  # sums and counts when it runs
        return segment_means(tensor(data), lambda t: apply(SEGMENT_SUM, (t, segment_ids), {}))
    return unsorted_segment_mean(data, segment_ids, _num_sorted(segment_ids, "SegmentMean"))


def segment_prod(data, segment_ids, name=None):
    _graph_ids(segment_ids, None)
    return unsorted_segment_prod(data, segment_ids, _num_sorted(segment_ids, "SegmentProd"))


EXPORTS = {
    "": ["floor", "sigmoid", "cumsum", "realdiv", "truncatemod", "roll", "repeat",
         "reverse_sequence", "dynamic_partition", "dynamic_stitch", "tensor_scatter_nd_sub",
         "tensor_scatter_nd_max", "tensor_scatter_nd_min", "unique", "unique_with_counts",
         "sequence_mask", "searchsorted", "histogram_fixed_width", "histogram_fixed_width_bins",
         "as_string", "bitcast", "broadcast_static_shape", "broadcast_dynamic_shape", "shape_n",
         "parallel_stack", "unravel_index", "ensure_shape"],
    "dtypes": ["saturate_cast", "cast", "complex"],
    "math": ["reciprocal_no_nan", "xlog1py", "lbeta", "polyval", "accumulate_n",
             "zero_fraction", "count_nonzero", "cumulative_logsumexp", "invert_permutation",
             "nextafter", "in_top_k", "bincount", "confusion_matrix", "approx_max_k",
             "approx_min_k", "unsorted_segment_min", "unsorted_segment_prod",
             "unsorted_segment_sqrt_n", "segment_max", "segment_min", "segment_mean",
             "segment_prod"],
    "nn": ["in_top_k", "approx_max_k", "approx_min_k", "zero_fraction", ("top_k", "top_k")],
}
