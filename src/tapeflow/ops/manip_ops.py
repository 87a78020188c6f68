"""Array manipulation: concat/stack/split, tile, pad, gather/scatter, segments, sorting, clipping.

Few primitives: gathers and scatters are transposes of each other (``GatherNd`` <-> ``ScatterNd``),
and most public ops are composites of them and of the slicing/reshape primitives of array_ops.
"""

import collections
import functools

import numpy as np

from ..engine.core import apply, not_differentiable, primitive
from ..framework import dtypes, errors
from ..framework.tensor import Tensor, convert_to_tensor, wrap
from ..framework.variable import Variable
from . import _k, math_ops
from ._helpers import _kind_name, like, tensor
from .array_ops import RESHAPE, STRIDED_SLICE, broadcast_to, cast, getitem, reshape, transpose
from .math_ops import EQUAL, MAXIMUM, WHERE
from .reduction_ops import SUM, reduce_sum


class _EachInput:
    """VJP rules of a variadic op: input ``i``'s rule is ``rule(i, g, ans, *inputs, **attrs)``."""

    def __init__(self, rule):
        self._rule = rule

    def __getitem__(self, i):
        return functools.partial(self._rule, i)


def _derived(x, fn):
    """A non-differentiable value computed from ``x``'s raw value, in ``x``'s mode."""
    if isinstance(x, Tensor):
        return wrap(fn(x._value))
    return fn(x)


def _error(op_type, text, kernel=True, name=""):
    return errors.op_error(op_type, text, kernel=kernel, name=name)


def _dims(shape):
    return ",".join(str(d) for d in shape)


def _axis_value(axis):
    return int(np.asarray(axis)) if isinstance(axis, Tensor | Variable) else int(axis)


def _int_list(values):
    return [int(v) for v in np.asarray(values).reshape(-1)]


# --- concat, stack, unstack, split ---------------------------------------------------------------

def _concat_grad(i, g, ans, *xs, axis):
    start = sum(_k.shape_of(x)[axis] for x in xs[:i])
    stop = start + _k.shape_of(xs[i])[axis]
    return STRIDED_SLICE(g, key=(slice(None),) * axis + (slice(start, stop),))


CONCAT = primitive("ConcatV2", lambda *xs, axis: np.concatenate(xs, axis), save=())
CONCAT.vjps = _EachInput(_concat_grad)


def _stacked(ts, axis):
    """Primitive-level stack (works on arrays and Tensors): concat of length-1 expansions."""
    expanded = []
    for t in ts:
        s = _k.shape_of(t)
        expanded.append(RESHAPE(t, shape=s[:axis] + (1,) + s[axis:]))
    return CONCAT(*expanded, axis=axis)


UNPACK = primitive("Unpack", lambda x, num, axis: tuple(np.moveaxis(x, axis, 0)), save=(),
                   multi=True).defvjp(lambda g, ans, x, num, axis: _stacked(g, axis))

SPLIT = primitive("SplitV", lambda x, sizes, axis: tuple(
    np.split(x, np.cumsum(sizes)[:-1], axis)), save=(), multi=True).defvjp(
    lambda g, ans, x, sizes, axis: CONCAT(*g, axis=axis))


def _same_dtype(values, op_type, name):
    """Convert operands TF's way: the first tensor's dtype (else the first value's) rules."""
    ts = [convert_to_tensor(v) if isinstance(v, Tensor | Variable) else v for v in values]
    ref = next((t for t in ts if isinstance(t, Tensor)), None)
    if ref is None:
        ref = ts[0] = convert_to_tensor(ts[0])
    out = []
    for i, t in enumerate(ts):
        if not isinstance(t, Tensor):
            t = like(t, ref)
        elif t._value.dtype != ref._value.dtype:
            raise _error(op_type, f"cannot compute {op_type} as input #{i}(zero-based) was "
                         f"expected to be a {_kind_name(ref._value.dtype)} tensor but is a "
                         f"{_kind_name(t._value.dtype)} tensor", kernel=None, name=name)
        out.append(t)
    return out


def _check_axis(axis, rank):
    if not -rank <= axis < rank:
        raise ValueError(f"Argument `axis` = {axis} not in range [{-rank}, {rank})")
    return axis % rank if rank else axis


def concat(values, axis, name="concat"):
    """``tf.concat``: join tensors along an existing axis."""
    if not isinstance(values, list | tuple):
        values = [values]
    ts = _same_dtype(values, "ConcatV2", name)
    if len(ts) == 1:
        return math_ops.identity(ts[0])
    kernel = f"ConcatV2_N_{len(ts)}"
    shapes = [t._value.shape for t in ts]
    rank = len(shapes[0])
    axis = _axis_value(axis)
    if not -rank <= axis < rank:
        raise _error("ConcatV2", f"ConcatOp : Expected concatenating dimensions in the range "
                     f"[{-rank}, {rank}), but got {axis}", kernel=kernel, name=name)
    axis %= rank
    for i, s in enumerate(shapes[1:], 1):
        if len(s) != rank:
            raise _error("ConcatV2", f"ConcatOp : Ranks of all input tensors should match: "
                         f"shape[0] = [{_dims(shapes[0])}] vs. shape[{i}] = [{_dims(s)}]",
                         kernel=kernel, name=name)
        for d in range(rank):
            if d != axis and s[d] != shapes[0][d]:
                raise _error("ConcatV2", f"ConcatOp : Dimension {d} in both shapes must be equal: "
                             f"shape[0] = [{_dims(shapes[0])}] vs. shape[{i}] = [{_dims(s)}]",
                             kernel=kernel, name=name)
    return apply(CONCAT, tuple(ts), {"axis": axis})


def stack(values, axis=0, name="stack"):
    """``tf.stack``: join same-shaped tensors along a new axis."""
    axis = _axis_value(axis)
    if axis == 0 and not any(isinstance(v, Tensor | Variable) for v in values):
        return convert_to_tensor(values)
    ts = _same_dtype(values, "Pack", name)
    rank = ts[0]._value.ndim
    axis = _check_axis(axis, rank + 1)
    for i, t in enumerate(ts[1:], 1):
        if t._value.shape != ts[0]._value.shape:
            raise _error("Pack", f"Shapes of all inputs must match: values[0].shape = "
                         f"[{_dims(ts[0]._value.shape)}] != values[{i}].shape = "
                         f"[{_dims(t._value.shape)}]", kernel=f"Pack_N_{len(ts)}", name=name)
    return _stacked(ts, axis)


def unstack(value, num=None, axis=0, name="unstack"):
    """``tf.unstack``: the slices along ``axis`` as a list."""
    x = tensor(value)
    shape = x._value.shape
    axis = _check_axis(_axis_value(axis), len(shape))
    if num is not None and num != shape[axis]:
        raise _error("Unpack", f"Input shape axis {axis} must equal {num}, got shape "
                     f"[{_dims(shape)}]", kernel=f"Unpack_num_{num}", name=name)
    return list(apply(UNPACK, (x,), {"num": shape[axis], "axis": axis}))


def split(value, num_or_size_splits, axis=0, num=None, name="split"):
    """``tf.split``: ``num_or_size_splits`` equal pieces, or pieces of the given sizes (one -1)."""
    x = tensor(value)
    shape = x._value.shape
    axis = _check_axis(_axis_value(axis), len(shape))
    n = shape[axis]
    if np.ndim(num_or_size_splits) == 0:
        parts = int(num_or_size_splits)
        if parts <= 0 or n % parts:
            raise _error("Split", f"Number of ways to split should evenly divide the split "
                         f"dimension, but got split_dim {axis} (size = {n}) and num_split {parts}",
                         kernel=f"Split_num_split_{parts}", name=name)
        sizes = (n // parts,) * parts
    else:
        sizes = _int_list(num_or_size_splits)
        known = sum(s for s in sizes if s != -1)
        inferred = -1 in sizes
        if known > n if inferred else known != n:
            raise _error("SplitV", "Determined shape must either match input shape along split_dim "
                         "exactly if fully specified, or be less than the size of the input along "
                         f"split_dim if not fully specified.  Got: {known}",
                         kernel=f"SplitV_num_split_{len(sizes)}", name=name)
        if inferred:
            sizes[sizes.index(-1)] = n - known
    return list(apply(SPLIT, (x,), {"sizes": tuple(sizes), "axis": axis}))


# --- tile and pad --------------------------------------------------------------------------------

def _tile_grad(g, ans, x, multiples):
    shape = _k.shape_of(x)
    pairs = tuple(d for m, n in zip(multiples, shape) for d in (m, n))
    summed = SUM(RESHAPE(g, shape=pairs), axis=tuple(range(0, len(pairs), 2)), keepdims=False)
    return RESHAPE(summed, shape=shape)


TILE = primitive("Tile", lambda x, multiples: np.tile(x, multiples), save=()).defvjp(_tile_grad)


def tile(input, multiples, name=None):  # noqa: A002 - TF's name
    """``tf.tile``: repeat the tensor ``multiples[i]`` times along axis ``i``."""
    x = tensor(input)
    multiples = _int_list(multiples)
    if len(multiples) != x._value.ndim:
        raise _error("Tile", f"Expected multiples argument to be a vector of length "
                     f"{x._value.ndim} but got length {len(multiples)}", name=None)
    for i, m in enumerate(multiples):
        if m < 0:
            raise _error("Tile", f"Expected multiples[{i}] >= 0, but got {m}", name=None)
    return apply(TILE, (x,), {"multiples": tuple(multiples)})


def _unpad_key(paddings, shape):
    return tuple(slice(b, b + n) for (b, _), n in zip(paddings, shape))


PAD = primitive("Pad", lambda x, paddings, constant_values: np.pad(
    x, paddings, constant_values=constant_values), save=()).defvjp(
    lambda g, ans, x, paddings, constant_values: STRIDED_SLICE(
        g, key=_unpad_key(paddings, _k.shape_of(x))))


def _mirror_pad_grad_forward(g, paddings, mode):
    # Each padded position adds into the input position it was copied from, axis by axis.
    for axis, (before, after) in enumerate(paddings):
        n = g.shape[axis] - before - after
        source = np.pad(np.arange(n), (before, after), mode=mode)
        out = np.zeros(g.shape[:axis] + (n,) + g.shape[axis + 1:], g.dtype)
        np.add.at(out, (slice(None),) * axis + (source,), g)
        g = out
    return g


MIRROR_PAD = primitive("MirrorPad", lambda x, paddings, mode: np.pad(x, paddings, mode=mode),
                       save=()).defvjp(
    lambda g, ans, x, paddings, mode: MIRROR_PAD_GRAD(g, paddings=paddings, mode=mode))
MIRROR_PAD_GRAD = primitive("MirrorPadGrad", _mirror_pad_grad_forward, save=()).defvjp(
    lambda g, ans, dy, paddings, mode: MIRROR_PAD(g, paddings=paddings, mode=mode))


def pad(tensor_, paddings, mode="CONSTANT", constant_values=0, name=None):
    """``tf.pad``: CONSTANT (with ``constant_values``), REFLECT or SYMMETRIC padding."""
    x = tensor(tensor_)
    mode_ = str(mode).upper()
    if mode_ not in ("CONSTANT", "REFLECT", "SYMMETRIC"):
        raise ValueError('Value of argument `mode` expected to be one of "CONSTANT", "REFLECT", or '
                         f'"SYMMETRIC". Received `mode` = {mode}')
    op_type = "Pad" if mode_ == "CONSTANT" else "MirrorPad"
    pads = np.asarray(paddings)
    shape = x._value.shape
    if pads.ndim != 2 or pads.shape != (len(shape), 2):
        raise _error(op_type, f"The first dimension of paddings must be the rank of inputs"
                     f"[{_dims(pads.shape)}] [{_dims(shape)}]", name=None)
    pads = tuple((int(b), int(a)) for b, a in pads)
    for (b, a), n in zip(pads, shape):
        if b < 0 or a < 0:
            raise _error(op_type, f"Paddings must be non-negative: {b} {a}", name=None)
        if mode_ == "REFLECT" and (b >= n or a >= n):
            raise _error(op_type, f"paddings must be less than the dimension size: {b}, {a} not "
                         f"less than {n}", name=None)
        if mode_ == "SYMMETRIC" and (b > n or a > n):
            raise _error(op_type, f"paddings must be no greater than the dimension size: {b}, {a} "
                         f"greater than {n}", name=None)
    if mode_ != "CONSTANT":
        return apply(MIRROR_PAD, (x,), {"paddings": pads, "mode": mode_.lower()})
    value = constant_values
    value = convert_to_tensor(value, x.dtype) if isinstance(value, Tensor | Variable) else \
        like(value, x)
    return apply(PAD, (x,), {"paddings": pads, "constant_values": value._value.item()})


# --- gather and scatter --------------------------------------------------------------------------

def _nd_key(indices):
    """The tuple of per-axis index arrays for nd indices of shape ``batch + [k]``."""
    return tuple(np.moveaxis(indices, -1, 0))


def _scatter_add(out, key, updates):
    """``out[key] += updates``, adding repeated positions (np.add.at, the slow path, only then)."""
    flat = np.ravel_multi_index(np.broadcast_arrays(*key), out.shape[:len(key)]).ravel()
    if np.unique(flat).size == flat.size:
        out[key] += updates
    else:
        np.add.at(out, key, updates)
    return out


def _scatter_nd_forward(indices, updates, shape):
    return _scatter_add(np.zeros(shape, updates.dtype), _nd_key(indices), updates)


def _tensor_scatter_update_forward(x, indices, updates):
    out = x.copy()
    out[_nd_key(indices)] = updates
    return out


def _tensor_scatter_add_forward(x, indices, updates):
    return _scatter_add(x.copy(), _nd_key(indices), updates)


GATHER_ND = primitive("GatherNd", lambda params, indices: params[_nd_key(indices)],
                      save=("inputs",)).defvjp(
    lambda g, ans, params, indices: SCATTER_ND(indices, g, shape=_k.shape_of(params)))
SCATTER_ND = primitive("ScatterNd", _scatter_nd_forward, save=("inputs",)).defvjp(
    None, lambda g, ans, indices, updates, shape: GATHER_ND(g, indices))
TENSOR_SCATTER_UPDATE = primitive("TensorScatterUpdate", _tensor_scatter_update_forward,
                                  save=("inputs",)).defvjp(
    lambda g, ans, x, indices, updates: TENSOR_SCATTER_UPDATE(g, indices, _k.zeros_like(updates)),
    None,
    lambda g, ans, x, indices, updates: GATHER_ND(g, indices))
TENSOR_SCATTER_ADD = primitive("TensorScatterAdd", _tensor_scatter_add_forward,
                               save=("inputs",)).defvjp(
    lambda g, ans, x, indices, updates: g,
    None,
    lambda g, ans, x, indices, updates: GATHER_ND(g, indices))


def _gather_key(shape, indices, axis, batch_dims):
    """Index arrays with ``params[key]`` equal to the gather (``shape`` is the params' shape).

    The batch and pre-``axis`` dimensions become explicit aranges, so stacking the key gives nd
    indices that scatter the gradient back.
    """
    lead = shape[:axis]
    inner = indices.shape[batch_dims:]
    idx = indices.reshape(indices.shape[:batch_dims] + (1,) * (axis - batch_dims) + inner)
    rest = len(lead) + len(inner)
    grids = tuple(np.arange(d).reshape((-1,) + (1,) * (rest - 1 - k)) for k, d in enumerate(lead))
    return grids + (idx,)


def _gather_nd_indices(shape, indices, axis, batch_dims):
    return np.stack(np.broadcast_arrays(*_gather_key(shape, indices, axis, batch_dims)), -1)


GATHER = primitive("GatherV2", lambda params, indices, axis, batch_dims: params[
    _gather_key(params.shape, indices, axis, batch_dims)], save=("inputs",)).defvjp(
    lambda g, ans, params, indices, axis, batch_dims: SCATTER_ND(
        _derived(indices, lambda i: _gather_nd_indices(_k.shape_of(params), i, axis, batch_dims)),
        g, shape=_k.shape_of(params)))


def _indices(value, op_type, attr="Tindices", allowed="int16, int32, int64"):
    t = tensor(value)
    if t._value.dtype.kind not in "iu":
        kind = _kind_name(t._value.dtype)
        raise errors.op_error(op_type, f"Value for attr '{attr}' of {kind} is not in the list of "
                              f"allowed values: {allowed}")
    return t


def _check_range(indices, n, op_type, name):
    bad = (indices < 0) | (indices >= n)
    if bad.any():
        pos = tuple(int(i) for i in np.argwhere(bad)[0])
        raise _error(op_type, f"indices[{_dims(pos)}] = {indices[pos]} is not in [0, {n})",
                     name=name)


def _gather(params, indices, axis, batch_dims, name=None):
    params = tensor(params)
    indices = _indices(indices, "GatherV2")
    rank = params._value.ndim
    if batch_dims < 0:
        batch_dims += indices._value.ndim
    axis = batch_dims if axis is None else _axis_value(axis)
    if axis < 0:
        axis += rank
    if axis >= rank:
        raise _error("GatherV2", f"Shape must be at least rank {axis + 1} but is rank {rank}",
                     name=None)
    _check_range(indices._value, params._value.shape[axis], "GatherV2", name)
    return apply(GATHER, (params, indices), {"axis": axis, "batch_dims": batch_dims})


def gather(params, indices, validate_indices=None, axis=None, batch_dims=0, name=None):
    """``tf.gather``: slices of ``params`` along ``axis`` at ``indices`` (with ``batch_dims``)."""
    return _gather(params, indices, axis, int(batch_dims), name=None)


def _check_nd(indices, shape, op_type, what, suffix=""):
    k = indices.shape[-1]
    rows = indices.reshape(-1, k)
    bad = ((rows < 0) | (rows >= np.asarray(shape[:k], dtype=np.int64))).any(axis=1)
    if bad.any():
        i = int(np.argmax(bad))
        listed = ", ".join(str(int(v)) for v in rows[i])
        raise _error(op_type, f"indices[{i}] = [{listed}] does not index into {what} "
                     f"[{_dims(shape)}]{suffix}", name=None)


def gather_nd(params, indices, batch_dims=0, name=None):
    """``tf.gather_nd``: ``params`` at the index tuples in the last axis of ``indices``."""
    params = tensor(params)
    indices = _indices(indices, "GatherNd")
    shape = params._value.shape
    b = int(batch_dims)
    if b:
        # Prepend the batch coordinates so the plain nd gather (and its scatter) does the rest.
        idx = indices._value
        grids = np.meshgrid(*[np.arange(d) for d in idx.shape[:-1]], indexing="ij")[:b]
        indices = wrap(np.concatenate([np.stack(grids, -1).astype(idx.dtype), idx], -1))
    _check_nd(indices._value, shape, "GatherNd", "param shape", ", node name: GatherNd")
    return apply(GATHER_ND, (params, indices), {})


def _check_updates(indices, updates, shape, op_type):
    k = indices.shape[-1]
    outer = indices.ndim - 1
    expected = indices.shape[:-1] + tuple(shape[k:])
    if updates.shape != expected:
        raise _error(op_type, f"Dimensions [0,{outer}) of indices[shape=[{_dims(indices.shape)}]] "
                     f"must match dimensions [0,{outer}) of "
                     f"updates[shape=[{_dims(updates.shape)}]]",
                     name=None)


def scatter_nd(indices, updates, shape, name=None):
    """``tf.scatter_nd``: zeros of ``shape`` with ``updates`` added at ``indices`` (repeats add)."""
    indices = _indices(indices, "ScatterNd")
    updates = tensor(updates)
    shape = tuple(_int_list(shape))
    _check_nd(indices._value, shape, "ScatterNd", "shape")
    _check_updates(indices._value, updates._value, shape, "ScatterNd")
    return apply(SCATTER_ND, (indices, updates), {"shape": shape})


def _tensor_scatter(prim, tensor_, indices, updates):
    x = tensor(tensor_)
    indices = _indices(indices, prim.name)
    updates = convert_to_tensor(updates, x.dtype) if isinstance(updates, Tensor | Variable) else \
        like(updates, x)
    _check_nd(indices._value, x._value.shape, prim.name, "shape")
    _check_updates(indices._value, updates._value, x._value.shape, prim.name)
    return apply(prim, (x, indices, updates), {})


def tensor_scatter_nd_update(tensor, indices, updates, name=None):  # noqa: F811 - TF's name
    """``tf.tensor_scatter_nd_update``: a copy of ``tensor`` with ``updates`` written in."""
    return _tensor_scatter(TENSOR_SCATTER_UPDATE, tensor, indices, updates)


def tensor_scatter_nd_add(tensor, indices, updates, name=None):  # noqa: F811 - TF's name
    """``tf.tensor_scatter_nd_add``: a copy of ``tensor`` with ``updates`` added at ``indices``."""
    return _tensor_scatter(TENSOR_SCATTER_ADD, tensor, indices, updates)


def boolean_mask(tensor_, mask, axis=None, name="boolean_mask"):
    """``tf.boolean_mask``: the entries (or slices from ``axis`` on) where ``mask`` is True."""
    x = tensor(tensor_)
    m = np.asarray(tensor(mask)._value, dtype=bool)
    if m.ndim == 0:
        raise ValueError("mask cannot be scalar.")
    axis = 0 if axis is None else _axis_value(axis) % max(x._value.ndim, 1)
    shape = x._value.shape
    part = shape[axis:axis + m.ndim]
    if part != m.shape:
        raise ValueError(f"Shapes {part} and {m.shape} are incompatible")
    flat = reshape(x, shape[:axis] + (-1,) + shape[axis + m.ndim:])
    return apply(GATHER, (flat, wrap(np.flatnonzero(m))), {"axis": axis, "batch_dims": 0})


# --- reverse and slicing (all through the StridedSlice primitive) --------------------------------

def reverse(tensor_, axis, name=None):
    """``tf.reverse``: flip the listed axes."""
    x = tensor(tensor_)
    rank = x._value.ndim
    flipped = set()
    for i, a in enumerate(_int_list(axis)):
        if not -rank <= a < rank:
            raise _error("ReverseV2", f"'axis'[{i}] = {a} is out of valid range [0, {rank - 1}",
                         name=None)
        if a % rank in flipped:
            raise _error("ReverseV2", f"axis {a % rank} specified more than once.", name=None)
        flipped.add(a % rank)
    key = tuple(slice(None, None, -1) if d in flipped else slice(None) for d in range(rank))
    return apply(STRIDED_SLICE, (x,), {"key": key})


def slice_(input_, begin, size, name=None):
    """``tf.slice``: ``size[i]`` elements from ``begin[i]`` on each axis (-1: to the end)."""
    x = tensor(input_)
    shape = x._value.shape
    begin, size = _int_list(begin), _int_list(size)
    if len(begin) != len(shape) or len(size) != len(shape):
        raise _error("Slice", f"Expected begin and size arguments to be 1-D tensors of size "
                     f"{len(shape)}, but got shapes [{len(begin)}] and [{len(size)}] instead.",
                     name=None)
    key = []
    for i, (b, s, n) in enumerate(zip(begin, size, shape)):
        if not 0 <= b <= n:
            raise _error("Slice", f"Expected begin[{i}] in [0, {n}], but got {b}", name=None)
        s = n - b if s == -1 else s
        if not 0 <= s <= n - b:
            raise _error("Slice", f"Expected size[{i}] in [0, {n - b}], but got {s}", name=None)
        key.append(slice(b, b + s))
    return apply(STRIDED_SLICE, (x,), {"key": tuple(key)})


def strided_slice(input_, begin, end, strides=None, begin_mask=0, end_mask=0, ellipsis_mask=0,
                  new_axis_mask=0, shrink_axis_mask=0, var=None, name=None):
    """``tf.strided_slice``: the masks turned into the equivalent ``input_[key]``."""
    begin, end = _int_list(begin), _int_list(end)
    strides = [1] * len(begin) if strides is None else _int_list(strides)
    key = []
    for i, (b, e, s) in enumerate(zip(begin, end, strides)):
        bit = 1 << i
        if ellipsis_mask & bit:
            key.append(Ellipsis)
        elif new_axis_mask & bit:
            key.append(None)
        elif shrink_axis_mask & bit:
            key.append(b)
        else:
            if s == 0:
                raise _error("StridedSlice", f"strides[{i}] must be non-zero", name=None)
            key.append(slice(None if begin_mask & bit else b, None if end_mask & bit else e, s))
    return getitem(input_, tuple(key))



# --- one_hot (not differentiable) ----------------------------------------------------------------

def _one_hot_forward(indices, on, off, depth, axis):
    hit = indices[..., None] == np.arange(depth)
    return np.moveaxis(np.where(hit, on, off), -1, axis)


ONE_HOT = not_differentiable(primitive("OneHot", _one_hot_forward, save=()))


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    """``tf.one_hot``: ``on_value`` where the new axis equals the index, else ``off_value``."""
    indices = _indices(indices, "OneHot", "TI", "uint8, int8, int32, int64")
    on = None if on_value is None else tensor(on_value)
    off = None if off_value is None else tensor(off_value)
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
        for label, v in (("on_value", on), ("off_value", off)):
            if v is not None and v.dtype is not dtype:
                raise TypeError(f"dtype {v.dtype!r} of {label} does not match dtype parameter "
                                f"{dtype!r}")
    elif on is not None and off is not None and on.dtype is not off.dtype:
        raise TypeError(f"dtype {on.dtype!r} of on_value does not match dtype {off.dtype!r} of "
                        f"off_value")
    if dtype is None:
        dtype = on.dtype if on is not None else off.dtype if off is not None else dtypes.float32
    np_dtype = dtype._np
    on = wrap(np.array(1, np_dtype)) if on is None else on
    off = wrap(np.array(0, np_dtype)) if off is None else off
    nd = indices._value.ndim + 1
    axis = nd - 1 if axis is None or axis == -1 else int(axis)
    return apply(ONE_HOT, (indices, on, off), {"depth": int(depth), "axis": axis})


# --- clipping ------------------------------------------------------------------------------------

def _same_shape(result, x):
    if result._value.shape != x._value.shape:
        raise ValueError(f"Shapes {x._value.shape} and {result._value.shape} are incompatible")
    return result


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    """``tf.clip_by_value``: ``maximum(minimum(t, max), min)``; ties keep the gradient in ``t``."""
    x = tensor(t)
    upper = _same_shape(math_ops.minimum(x, clip_value_max), x)
    return _same_shape(math_ops.maximum(upper, clip_value_min), x)


def clip_by_norm(t, clip_norm, axes=None, name=None):
    """``tf.clip_by_norm``: rescale so the L2 norm over ``axes`` is at most ``clip_norm``."""
    if isinstance(t, IndexedSlices):
        return IndexedSlices(clip_by_norm(t.values, clip_norm, axes), t.indices, t.dense_shape)
    x = tensor(t)
    clip = convert_to_tensor(clip_norm, x.dtype) if isinstance(clip_norm, Tensor | Variable) else \
        like(clip_norm, x)
    l2sum = reduce_sum(x * x, axes, keepdims=True)
    positive = l2sum > 0
    # The double where keeps the gradient finite for an all-zero input (spec 7.4).
    safe = math_ops.where(positive, l2sum, _k.ones_like(l2sum))
    l2norm = math_ops.where(positive, math_ops.sqrt(safe), l2sum)
    return x * clip / math_ops.maximum(l2norm, clip)


def global_norm(t_list, name=None):
    """``tf.linalg.global_norm``: the L2 norm of all the tensors together (None entries skipped)."""
    if not isinstance(t_list, list | tuple):
        raise TypeError(f"`t_list` should be a sequence of tensors. Received {type(t_list)}.")
    squares = [reduce_sum(x * x) for x in (tensor(v.values if isinstance(v, IndexedSlices) else v)
                                           for v in t_list if v is not None)]
    return math_ops.sqrt(reduce_sum(stack(squares)))


def clip_by_global_norm(t_list, clip_norm, use_norm=None, name=None):
    """``tf.clip_by_global_norm``: scale all by ``clip_norm / max(global_norm, clip_norm)``.

    Returns ``(list_clipped, global_norm)``; an infinite or NaN norm gives NaN values, as in TF.
    """
    if not isinstance(t_list, list | tuple):
        raise TypeError(f"`t_list` should be a sequence of tensors. Received {type(t_list)}.")
    norm = global_norm(t_list) if use_norm is None else tensor(use_norm)
    clip = like(clip_norm, norm) if not isinstance(clip_norm, Tensor | Variable) else \
        convert_to_tensor(clip_norm, norm.dtype)
    with np.errstate(invalid="ignore", over="ignore"):  # an infinite norm gives NaN, as in TF
        scale = clip * math_ops.minimum(1.0 / norm, 1.0 / clip) + (norm - norm)
    clipped = []
    for v in t_list:
        if v is None:
            clipped.append(None)
        elif isinstance(v, IndexedSlices):
            clipped.append(IndexedSlices(v.values * cast(scale, v.dtype), v.indices,
                                         v.dense_shape))
        else:
            v = tensor(v)
            clipped.append(v * cast(scale, v.dtype))
    return clipped, norm


# --- meshgrid ------------------------------------------------------------------------------------

def meshgrid(*args, **kwargs):
    """``tf.meshgrid``: N-D coordinate grids; ``indexing='xy'`` swaps the first two axes."""
    indexing = kwargs.pop("indexing", "xy")
    kwargs.pop("name", None)
    if kwargs:
        raise TypeError(f"'{next(iter(kwargs))}' is an invalid keyword argument for this function")
    if indexing not in ("xy", "ij"):
        raise ValueError(f"Argument `indexing` parameter must be either 'xy' or 'ij', got "
                         f"'{indexing}'")
    flat = [reshape(a, (-1,)) for a in args]
    sizes = [f._value.shape[0] for f in flat]
    n = len(flat)
    order = list(range(n))
    if indexing == "xy" and n > 1:
        order[0], order[1] = 1, 0
    full = tuple(sizes[order[d]] for d in range(n))
    grids = []
    for i, f in enumerate(flat):
        shape = [1] * n
        shape[order.index(i)] = -1
        grids.append(broadcast_to(reshape(f, shape), full))
    return grids


# --- sorting (gathers of the sorted positions, so gradients scatter back) ------------------------

def _check_direction(direction):
    if direction not in ("ASCENDING", "DESCENDING"):
        raise ValueError("Argument `direction` should be one of ASCENDING, DESCENDING. Received: "
                         f"direction={direction}")


def _order(values, descending):
    """Stable ordering along the last axis; ties keep the lower index first in both directions."""
    if descending:
        values = ~values if values.dtype.kind in "iu" else -values
    return np.argsort(values, axis=-1, kind="stable")


def _take_last(x, order):
    """``x``'s entries along its last axis at ``order`` (a differentiable gather)."""
    nd = x._value.ndim
    return apply(GATHER, (x, wrap(order)), {"axis": nd - 1, "batch_dims": nd - 1})


def _sort_axis(x, axis):
    rank = x._value.ndim
    axis = int(axis)
    if not -rank <= axis < rank:
        raise _error("StridedSlice", f"slice index {axis} of dimension 0 out of bounds.",
                     name="strided_slice/")
    perm = list(range(rank))
    perm[axis % rank], perm[-1] = perm[-1], perm[axis % rank]
    return perm


def sort(values, axis=-1, direction="ASCENDING", name=None):
    """``tf.sort`` along ``axis`` (differentiable: the gradient goes back to each value's place)."""
    _check_direction(direction)
    x = tensor(values)
    perm = _sort_axis(x, axis)
    moved = transpose(x, perm)
    out = _take_last(moved, _order(moved._value, direction == "DESCENDING"))
    return transpose(out, perm)


def argsort(values, axis=-1, direction="ASCENDING", stable=False, name=None):
    """``tf.argsort``: int32 positions that sort ``values`` (ties in index order; no gradient)."""
    _check_direction(direction)
    x = tensor(values)
    perm = _sort_axis(x, axis)
    order = _order(np.transpose(x._value, perm), direction == "DESCENDING")
    return wrap(np.transpose(order, perm).astype(np.int32))


TopKV2 = collections.namedtuple("TopKV2", ["values", "indices"])


def top_k(input, k=1, sorted=True, index_type=dtypes.int32, name=None):  # noqa: A002
    """``tf.math.top_k``: the ``k`` largest entries of the last axis and their positions.

    Ties go to the lower index. The result is always sorted (TF leaves the order unspecified when
    ``sorted=False``).
    """
    x = tensor(input)
    k = int(k)
    n = x._value.shape[-1] if x._value.ndim else 0
    if k < 0:
        raise _error("TopKV2", f"Need k >= 0, got {k}")
    if k > n:
        raise _error("TopKV2", f"input must have at least k columns. Had {n}, needed {k}")
    order = _order(x._value, True)[..., :k]
    return TopKV2(_take_last(x, order), wrap(order.astype(dtypes.as_dtype(index_type)._np)))


# --- segment reductions --------------------------------------------------------------------------

def _segment_sum(data, ids, num):
    """Sum of ``data`` rows into ``num`` segments; ``ids`` is a valid non-negative int array."""
    shape = (num,) + data._value.shape[ids.ndim:]
    return apply(SCATTER_ND, (wrap(ids[..., None]), data), {"shape": shape})


def _segments(data, segment_ids, num_segments, op_type):
    """Validated ``(data, ids, num)``; rows with negative ids are dropped, as TF ignores them."""
    data = tensor(data)
    ids = _indices(segment_ids, op_type, "Tindices", "int32, int64")._value
    num = int(np.asarray(num_segments))
    shape = data._value.shape
    if shape[:ids.ndim] != ids.shape:
        raise _error(op_type, f"data.shape = [{_dims(shape)}] does not start with "
                     f"segment_ids.shape = [{_dims(ids.shape)}]", name=None)
    if (ids >= num).any():
        i = int(np.argmax((ids >= num).ravel()))
        raise _error(op_type, f"segment_ids[{i}] = {ids.ravel()[i]} is out of range [0, {num})",
                     name=None)
    if (ids < 0).any():
        keep = np.flatnonzero(ids >= 0)
        rows = reshape(data, (-1,) + shape[ids.ndim:])
        data = apply(GATHER, (rows, wrap(keep)), {"axis": 0, "batch_dims": 0})
        ids = ids.ravel()[keep]
    return data, ids, num


def unsorted_segment_sum(data, segment_ids, num_segments, name=None):
    """``tf.math.unsorted_segment_sum``: sums of the rows sharing an id (negative ids dropped)."""
    return _segment_sum(*_segments(data, segment_ids, num_segments, "UnsortedSegmentSum"))


def unsorted_segment_mean(data, segment_ids, num_segments, name=None):
    """``tf.math.unsorted_segment_mean``: empty segments give 0; integer data gives float64."""
    data, ids, num = _segments(data, segment_ids, num_segments, "UnsortedSegmentSum")
    counts = np.maximum(np.bincount(ids.ravel(), minlength=num), 1)
    counts = counts.reshape((num,) + (1,) * (data._value.ndim - ids.ndim))
    return math_ops.truediv(_segment_sum(data, ids, num), wrap(counts.astype(data._value.dtype)))


def _segment_max_forward(data, ids, num_segments):
    kind = np.finfo if data.dtype.kind in "fc" else np.iinfo
    out = np.full((num_segments,) + data.shape[ids.ndim:], kind(data.dtype).min, data.dtype)
    np.maximum.at(out, ids, data)
    return out


def _segment_max_grad(g, ans, data, ids, num_segments):
    # TF: ties within a segment share its gradient evenly.
    hit = EQUAL(data, GATHER(ans, ids, axis=0, batch_dims=0))
    ones = WHERE(hit, _k.ones_like(data), _k.zeros_like(data))
    count = SCATTER_ND(_derived(ids, lambda i: i[..., None]), ones, shape=_k.shape_of(ans))
    share = g / MAXIMUM(count, _k.ones_like(count))
    return WHERE(hit, GATHER(share, ids, axis=0, batch_dims=0), _k.zeros_like(data))


UNSORTED_SEGMENT_MAX = primitive("UnsortedSegmentMax", _segment_max_forward).defvjp(
    _segment_max_grad)


def unsorted_segment_max(data, segment_ids, num_segments, name=None):
    """``tf.math.unsorted_segment_max``: empty segments hold the dtype's lowest value."""
    data, ids, num = _segments(data, segment_ids, num_segments, "UnsortedSegmentMax")
    return apply(UNSORTED_SEGMENT_MAX, (data, wrap(ids)), {"num_segments": num})


def segment_sum(data, segment_ids, name=None):
    """``tf.math.segment_sum``: ``segment_ids`` sorted, 1-D, one per row of ``data``."""
    data = tensor(data)
    ids = _indices(segment_ids, "SegmentSum", "Tindices", "int32, int64")._value
    if ids.ndim != 1 or (data._value.ndim and ids.shape[0] != data._value.shape[0]):
        raise _error("SegmentSum", "segment_ids should be the same size as dimension 0 of input.",
                     name=None)
    num = int(ids[-1]) + 1 if ids.size else 0
    if (np.diff(ids) < 0).any():
        raise _error("SegmentSum", "segment ids are not increasing", name=None)
    if ids.size and ids[0] < 0:
        raise _error("SegmentSum", f"Segment id {ids[0]} out of range [0, {num}), possibly "
                     "because 'segment_ids' input is not sorted.", name=None)
    return _segment_sum(data, ids, num)


# --- embedding lookup and IndexedSlices ----------------------------------------------------------

def embedding_lookup(params, ids, max_norm=None, name=None):
    """``tf.nn.embedding_lookup``: rows of ``params`` (a tensor, or shards joined in order)."""
    if isinstance(params, list | tuple):
        params = concat(list(params), 0) if len(params) > 1 else params[0]
    out = _gather(params, ids, 0, 0, name="")
    if max_norm is not None:
        out = clip_by_norm(out, max_norm, axes=list(range(np.ndim(ids), out._value.ndim)))
    return out


class IndexedSlices:
    """``tf.IndexedSlices``: rows ``values`` at ``indices`` of a tensor of shape ``dense_shape``.

    ``tf.convert_to_tensor`` sums them into a dense tensor (repeated indices add). tapeflow's
    gradients are always dense (spec 4.5.10); this class is for user code that builds slices.
    """

    def __init__(self, values, indices, dense_shape=None):
        self._values = tensor(values)
        self._indices = tensor(indices)
        self._dense_shape = None if dense_shape is None else tensor(dense_shape)

    values = property(lambda self: self._values)
    indices = property(lambda self: self._indices)
    dense_shape = property(lambda self: self._dense_shape)
    dtype = property(lambda self: self._values.dtype)
    device = property(lambda self: self._values.device)

    @property
    def shape(self):
        from ..framework.shape import TensorShape
        if self._dense_shape is None:
            return TensorShape([None] + list(self._values.shape[1:]))
        return TensorShape(_int_list(self._dense_shape._value))

    @property
    def name(self):
        raise AttributeError("Tensor.name is undefined when eager execution is enabled.")

    def __neg__(self):
        return IndexedSlices(-self._values, self._indices, self._dense_shape)

    def __str__(self):
        shape = "" if self._dense_shape is None else f", dense_shape={self._dense_shape!s}"
        return f"IndexedSlices(indices={self._indices!s}, values={self._values!s}{shape})"

    # convert_to_tensor reads any object with ``_dense_read`` (the Variable protocol).
    def _dense_read(self):
        if self._dense_shape is None:
            raise ValueError("Tensor conversion requested for IndexedSlices for argument `value` "
                             f"without dense_shape: {self}")
        num = int(self._dense_shape._value[0])
        return _segment_sum(self._values, np.asarray(self._indices._value), num)


EXPORTS = {
    "": ["argsort", "boolean_mask", "clip_by_global_norm", "clip_by_norm", "clip_by_value",
         "concat", "gather", "gather_nd", "IndexedSlices", "meshgrid", "one_hot", "pad", "reverse",
         ("slice", "slice_"), "sort", "split", "stack", "strided_slice", "scatter_nd",
         "tensor_scatter_nd_add", "tensor_scatter_nd_update", "tile", "unstack"],
    "math": ["top_k", "segment_sum", "unsorted_segment_max", "unsorted_segment_mean",
             "unsorted_segment_sum"],
    "nn": ["embedding_lookup"],
    "linalg": ["global_norm"],
}
