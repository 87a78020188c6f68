"""Array manipulation: concat/stack/split, tile, pad, reverse and slicing, clipping, meshgrid.

Few primitives: most public ops are composites of the slicing/reshape primitives of array_ops.
The index-based ops (gather/scatter, sorting, segments, IndexedSlices) are in index_ops.
"""

import functools

import numpy as np

from ..engine.core import apply, primitive
from ..framework import dtypes, errors
from ..framework.tensor import Tensor, convert_to_tensor
from ..framework.variable import Variable
from . import _k, math_ops
from ._helpers import _kind_name, axis_arg, fallback, index_arg, like, tensor
from .array_ops import (EXPAND_DIMS, RESHAPE, STRIDED_SLICE, _run_time_shape, broadcast_to,
                        cast, getitem, reshape, reshape_like, size)
from .reduction_ops import SUM, _sum_forward, reduce_sum



class _EachInput:
    """VJP rules of a variadic op: input ``i``'s rule is ``rule(i, g, ans, *inputs, **attrs)``."""

    def __init__(self, rule):
        self._rule = rule

    def __getitem__(self, i):
        return functools.partial(self._rule, i)


def _error(op_type, text, kernel=True, name=""):
    return errors.op_error(op_type, text, kernel=kernel, name=name)


def _dims(shape):
    return ",".join(str(d) for d in shape)


def _axis_value(axis, op_type=None, attr="Tidx", hint=True):
    """A scalar axis argument as an int; with ``op_type``, refused as that op refuses it."""
    if type(axis) is int:
        return axis
    if op_type is None:
        if isinstance(axis, str):  # TF compares the axis with ints in Python: the same TypeError
            raise TypeError("'<' not supported between instances of 'str' and 'int'")
        return int(np.asarray(axis)) if isinstance(axis, Tensor | Variable) else int(axis)
    return axis_arg(axis, op_type, attr, hint)


def _int_list(values, op_type=None, attr="T"):
    """A vector argument as a list of ints; with ``op_type``, refused as that op refuses it."""
    if op_type is not None:
        return [int(v) for v in index_arg(values, op_type, attr).reshape(-1)]
    return [int(v) for v in np.asarray(values).reshape(-1)]


# --- concat, stack, unstack, split ---------------------------------------------------------------

def _static_size(x, axis):
    """``x``'s size along ``axis``, None where a traced graph's tensor has it unknown."""
    return x.shape[axis] if _k.symbolic(x) else _k.shape_of(x)[axis]


def _concat_grad(i, g, ans, *xs, axis):
    sizes = [_static_size(x, axis) for x in xs]
    before, own, after = sizes[:i], sizes[i], sizes[i + 1:]
    if None not in before and own is not None:
        start = sum(before)
        key = slice(start, start + own)
    elif None not in after and own is not None:  # counted from the end: unknown sizes before
        end = sum(after)
        key = slice(-(end + own), -end or None) if end + own else slice(0, 0)
    elif None not in before and None not in after:  # only its own size unknown
        key = slice(sum(before), -sum(after) or None)
    else:  # unknown sizes on both sides (a traced graph's): the offsets when it runs
        return CONCAT_PIECE(g, *xs, i=i, axis=axis)
    return STRIDED_SLICE(g, key=(slice(None),) * axis + (key,))


def _piece_key(xs, i, axis):
    start = sum(x.shape[axis] for x in xs[:i])
    return (slice(None),) * axis + (slice(start, start + xs[i].shape[axis]),)


def _piece_back(gg, like, *xs, i, axis):
    out = np.zeros(like.shape, gg.dtype)
    out[_piece_key(xs, i, axis)] = gg
    return out


class _FirstInput:
    """VJP rules of a variadic op differentiable in its first input only."""

    def __init__(self, rule):
        self._rule = rule

    def __getitem__(self, i):
        return self._rule if i == 0 else lambda *a, **k: None


# Input i's part of a concat's cotangent, with the offsets read from the inputs when the op runs
# (TF's ConcatOffset and Slice), and its transpose: zeros around the part.
CONCAT_PIECE = primitive("ConcatPiece", lambda g, *xs, i, axis: g[_piece_key(xs, i, axis)],
                         save=("inputs",))
CONCAT_PIECE_BACK = primitive("ConcatPieceBack", _piece_back, save=("inputs",))
CONCAT_PIECE.vjps = _FirstInput(lambda gg, ans, g, *xs, i, axis: CONCAT_PIECE_BACK(
    gg, g, *xs, i=i, axis=axis))
CONCAT_PIECE_BACK.vjps = _FirstInput(lambda gg, ans, g, like, *xs, i, axis: CONCAT_PIECE(
    gg, *xs, i=i, axis=axis))


CONCAT = primitive("ConcatV2", lambda *xs, axis: np.concatenate(xs, axis), save=())
CONCAT.vjps = _EachInput(_concat_grad)


def _stacked(ts, axis):
    """Primitive-level stack (works on arrays and Tensors): concat of length-1 expansions."""
    expanded = []
    for t in ts:
        expanded.append(EXPAND_DIMS(t, axis=(axis - len(_k.shape_of(t)) - 1,)))
    return CONCAT(*expanded, axis=axis)


UNPACK = primitive("Unpack", lambda x, num, axis: tuple(np.moveaxis(x, axis, 0)), save=(),
                   multi=True).defvjp(lambda g, ans, x, num, axis: _stacked(g, axis))

def _split_forward(x, sizes, axis):
    if -1 in sizes:  # a traced graph's unknown size along axis: the rest, when it runs
        sizes = [x.shape[axis] - sum(sizes) - 1 if s == -1 else s for s in sizes]
    return tuple(np.split(x, np.cumsum(sizes)[:-1], axis))


SPLIT = primitive("SplitV", _split_forward, save=(), multi=True).defvjp(
    lambda g, ans, x, sizes, axis: CONCAT(*g, axis=axis))
# Equal pieces of a traced graph's unknown size along axis (TF's Split).
SPLIT_EVEN = primitive("Split", lambda x, num, axis: tuple(np.split(x, num, axis)), save=(),
                       multi=True).defvjp(lambda g, ans, x, num, axis: CONCAT(*g, axis=axis))


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
    if not values:  # TF's kernel lookup fails: no dtype to pick a kernel by
        raise _error("ConcatV2", "OpKernel 'ConcatV2' has constraint on attr 'T' not in NodeDef "
                     "'[N=0, Tidx=DT_INT32]', KernelDef: 'goo.gle/debugonly    op: \"ConcatV2\" "
                     "device_type: \"CPU\" constraint { name: \"T\" allowed_values { list { "
                     "type: DT_QINT32 } } } host_memory_arg: \"axis\"'", kernel=False, name=name)
    try:
        ts = _same_dtype(values, "ConcatV2", name)
    except (TypeError, ValueError) as e:  # a RaggedTensor (see _helpers.fallback)
        return fallback(concat, e, values, axis, name)
    if len(ts) == 1:
        return math_ops.identity(ts[0])
    kernel = f"ConcatV2_N_{len(ts)}"
    shapes = [t._value.shape for t in ts]
    rank = len(shapes[0])
    axis = _axis_value(axis, "ConcatV2")
    if not rank:
        raise _error("ConcatV2", "ConcatOp : Can't concatenate scalars (use tf.stack instead)",
                     kernel=kernel, name=name)
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
    try:
        if axis == 0 and not any(isinstance(v, Tensor | Variable) for v in values):
            return convert_to_tensor(values)
        ts = _same_dtype(values, "Pack", name)
    except (TypeError, ValueError) as e:  # a RaggedTensor (see _helpers.fallback)
        return fallback(stack, e, values, axis, name)
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
    try:
        x = tensor(value)
    except (TypeError, ValueError) as e:  # a RaggedTensor (see _helpers.fallback)
        return fallback(split, e, value, num_or_size_splits, axis, num, name)
    shape = x._value.shape
    axis = _axis_value(axis)
    if not -len(shape) <= axis < len(shape):
        op_type = "Split" if np.ndim(num_or_size_splits) == 0 else "SplitV"
        n_split = num_or_size_splits if op_type == "Split" else len(num_or_size_splits)
        raise _error(op_type, f"-input rank(-{len(shape)}) <= split_dim < input rank "
                     f"({len(shape)}), but got {axis}", kernel=f"{op_type}_num_split_{n_split}",
                     name=name)
    axis %= len(shape)
    n = shape[axis]
    unknown = _k.symbolic(x) and x.shape[axis] is None  # a traced graph's None dim
    if isinstance(num_or_size_splits, float):
        raise ValueError("Rank-0 tensors are not supported as the num_or_size_splits argument "
                         f"to split. Argument provided: {num_or_size_splits}")
    if np.ndim(num_or_size_splits) == 0:
        parts = int(num_or_size_splits)
        if parts <= 0 or n % parts:
            raise _error("Split", f"Number of ways to split should evenly divide the split "
                         f"dimension, but got split_dim {axis} (size = {n}) and num_split {parts}",
                         kernel=f"Split_num_split_{parts}", name=name)
        if unknown:
            return list(apply(SPLIT_EVEN, (x,), {"num": parts, "axis": axis}))
        sizes = (n // parts,) * parts
    else:
        sizes = _int_list(num_or_size_splits)
        if sizes.count(-1) > 1:
            raise _error("SplitV", "There can only be one -1 in the input.",
                         kernel=f"SplitV_num_split_{len(sizes)}", name=name)
        known = sum(s for s in sizes if s != -1)
        inferred = -1 in sizes
        if known > n if inferred else known != n:
            raise _error("SplitV", "Determined shape must either match input shape along split_dim "
                         "exactly if fully specified, or be less than the size of the input along "
                         f"split_dim if not fully specified.  Got: {known}",
                         kernel=f"SplitV_num_split_{len(sizes)}", name=name)
        if inferred and not unknown:  # (else the op infers it when the graph runs)
            sizes[sizes.index(-1)] = n - known
    return list(apply(SPLIT, (x,), {"sizes": tuple(sizes), "axis": axis}))


# --- tile and pad --------------------------------------------------------------------------------

def _tile_grad(g, ans, x, multiples):
    if _k.symbolic(x):  # a traced graph: x's shape when it runs (TF reads it there too)
        return TILE_GRAD(g, x, multiples=multiples)
    pairs = tuple(d for m, n in zip(multiples, _k.shape_of(x)) for d in (m, n))
    summed = SUM(RESHAPE(g, shape=pairs), axis=tuple(range(0, len(pairs), 2)), keepdims=False)
    return reshape_like(summed, x)


def _tile_grad_forward(g, like, multiples):
    """The eager rule's Reshape and Sum, with the sizes of ``like`` (the tiled input)."""
    pairs = tuple(d for m, n in zip(multiples, like.shape) for d in (m, n))
    return _sum_forward(g.reshape(pairs), tuple(range(0, len(pairs), 2)), False)


TILE = primitive("Tile", lambda x, multiples: np.tile(x, multiples), save=()).defvjp(_tile_grad)
TILE_GRAD = primitive("TileGrad", _tile_grad_forward, save=()).defvjp(
    lambda g, ans, dy, like, multiples: TILE(g, multiples=multiples), lambda *a, **k: None)


# tf.tile with multiples a traced graph computes: an input read when the graph runs (TF's)
TILE_DYNAMIC = primitive("TileDynamic", lambda x, m: np.tile(x, m.tolist()),
                         save=("inputs",)).defvjp(
    lambda g, ans, x, m: TILE_GRAD_DYNAMIC(g, x, m), lambda *a, **k: None)
TILE_GRAD_DYNAMIC = primitive(
    "TileGradDynamic", lambda dy, like, m: _tile_grad_forward(dy, like, m.tolist()),
    save=("inputs",)).defvjp(lambda g, ans, dy, like, m: TILE_DYNAMIC(g, m),
                             lambda *a, **k: None, lambda *a, **k: None)


def tile(input, multiples, name=None):  # noqa: A002 - TF's name
    """``tf.tile``: repeat the tensor ``multiples[i]`` times along axis ``i``."""
    try:
        x = tensor(input)
    except (TypeError, ValueError) as e:  # a RaggedTensor (see _helpers.fallback)
        return fallback(tile, e, input, multiples, name)
    dynamic = _run_time_shape(multiples)
    if dynamic is not None:
        if dynamic.shape.rank != 1 or dynamic.shape[0] not in (None, x._value.ndim):
            raise _error("Tile", f"Expected multiples argument to be a vector of length "
                         f"{x._value.ndim} but got shape {dynamic.shape}", name=None)
        return apply(TILE_DYNAMIC, (x, cast(dynamic, dtypes.int64)), {})
    multiples = index_arg(multiples, "Tile", "Tmultiples")
    if multiples.ndim != 1:
        raise _error("Tile", "Expected multiples to be 1-D, but got shape "
                     f"[{_dims(multiples.shape)}]")
    multiples = multiples.tolist()
    if len(multiples) != x._value.ndim:
        raise _error("Tile", f"Expected multiples argument to be a vector of length "
                     f"{x._value.ndim} but got length {len(multiples)}", name=None)
    for i, m in enumerate(multiples):
        if m < 0:
            raise _error("Tile", f"Expected multiples[{i}] >= 0, but got {m}", name=None)
    return apply(TILE, (x,), {"multiples": tuple(multiples)})


def _unpad_key(paddings):
    """The slice that drops the padding (from the paddings alone: no size is baked in)."""
    return tuple(slice(b, -a if a else None) for b, a in paddings)


PAD = primitive("Pad", lambda x, paddings, constant_values: np.pad(
    x, paddings, constant_values=np.array(constant_values, x.dtype)), save=()).defvjp(
    lambda g, ans, x, paddings, constant_values: STRIDED_SLICE(g, key=_unpad_key(paddings)))


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
                         f'"SYMMETRIC". Received `mode` = {mode_}')
    op_type = "Pad" if mode_ == "CONSTANT" else "MirrorPad"
    pads = index_arg(paddings, op_type, "Tpaddings")
    shape = x._value.shape
    if pads.ndim != 2 or pads.shape[1] != 2:
        raise _error(op_type, f"paddings must be a matrix with 2 columns: [{_dims(pads.shape)}]",
                     name=None)
    if pads.shape[0] != len(shape):
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
    if x._value.dtype.kind == "O" and type(value) is int and value == 0:
        value = b""  # strings pad with the empty string by default, as in TF
    value = convert_to_tensor(value, x.dtype) if isinstance(value, Tensor | Variable) else \
        like(value, x)
    return apply(PAD, (x,), {"paddings": pads, "constant_values": value._trace_value().item()})


# --- reverse and slicing (all through the StridedSlice primitive) --------------------------------

def reverse(tensor_, axis, name=None):
    """``tf.reverse``: flip the listed axes."""
    try:
        x = tensor(tensor_)
    except (TypeError, ValueError) as e:  # a RaggedTensor (see _helpers.fallback)
        return fallback(reverse, e, tensor_, axis, name)
    rank = x._value.ndim
    flipped = set()
    axes = index_arg(axis, "ReverseV2", "Tidx")
    if axes.ndim != 1:
        raise _error("ReverseV2", f"'dims' must be 1-dimension, not {axes.ndim}")
    for i, a in enumerate(axes.tolist()):
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
    if not (_known(begin) and _known(size)):
        return _run_time_slice(x, begin, size)
    shape = _k.static_dims(x)  # a traced tensor's unknown dims are checked when it runs
    begin, size = _int_list(begin, "Slice", "Index"), _int_list(size, "Slice", "Index")
    if len(begin) != len(shape) or len(size) != len(shape):
        raise _error("Slice", f"Expected begin and size arguments to be 1-D tensors of size "
                     f"{len(shape)}, but got shapes [{len(begin)}] and [{len(size)}] instead.",
                     name=None)
    key = []
    for i, (b, s, n) in enumerate(zip(begin, size, shape)):
        if n is not None and not 0 <= b <= n:
            raise _error("Slice", f"Expected begin[{i}] in [0, {n}], but got {b}", name=None)
        if s == -1:  # to the end, whatever the size when a traced graph runs
            key.append(slice(b, None))
            continue
        if n is not None and not 0 <= s <= n - b:
            raise _error("Slice", f"Expected size[{i}] in [0, {n - b}], but got {s}", name=None)
        key.append(slice(b, b + s))
    out = apply(STRIDED_SLICE, (x,), {"key": tuple(key)})
    return _k.refine(out, [None if s == -1 else s for s in size])


def _known(v):
    """Whether a (list of) begin/size value(s) is known while tracing."""
    if isinstance(v, list | tuple):
        return all(_known(e) for e in v)
    return _k.trace_known(v)


def _run_time_slice(x, begin, size):
    """``tf.slice`` with a begin or size a traced graph computes: ``x[b:b + s]`` per axis, the
    bounds read when it runs (a size of -1 runs to the end)."""
    key = []
    for i in range(len(_k.static_dims(x))):
        b, n = begin[i], size[i]
        if type(n) is int:
            key.append(slice(b, None if n == -1 else b + n))
            continue
        n = cast(n, dtypes.int64)
        end = math_ops.add(cast(b, dtypes.int64), n)
        key.append(slice(b, math_ops.where(n < 0, cast(_k.run_size(x, i), dtypes.int64), end)))
    return getitem(x, tuple(key))


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



# --- clipping ------------------------------------------------------------------------------------

def _same_shape(result, x):
    if result._value.shape != x._value.shape:
        raise ValueError(f"Shapes {x._value.shape} and {result._value.shape} are incompatible")
    return result


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    """``tf.clip_by_value``: ``maximum(minimum(t, max), min)``; ties keep the gradient in ``t``."""
    try:
        x = tensor(t)
    except (TypeError, ValueError) as e:  # a RaggedTensor (see _helpers.fallback)
        return fallback(clip_by_value, e, t, clip_value_min, clip_value_max, name)
    upper = _same_shape(math_ops.minimum(x, clip_value_max), x)
    return _same_shape(math_ops.maximum(upper, clip_value_min), x)


def clip_by_norm(t, clip_norm, axes=None, name=None):
    """``tf.clip_by_norm``: rescale so the L2 norm over ``axes`` is at most ``clip_norm``."""
    from .index_ops import IndexedSlices  # not at the top: index_ops imports this module
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
    from .index_ops import IndexedSlices  # not at the top: index_ops imports this module
    if not isinstance(t_list, list | tuple):
        raise TypeError(f"`t_list` should be a sequence of tensors. Received {type(t_list)}.")
    squares = [reduce_sum(x * x) for x in (tensor(v.values if isinstance(v, IndexedSlices) else v)
                                           for v in t_list if v is not None)]
    return math_ops.sqrt(reduce_sum(stack(squares)))


def clip_by_global_norm(t_list, clip_norm, use_norm=None, name=None):
    """``tf.clip_by_global_norm``: scale all by ``clip_norm / max(global_norm, clip_norm)``.

    Returns ``(list_clipped, global_norm)``; an infinite or NaN norm gives NaN values, as in TF.
    """
    from .index_ops import IndexedSlices  # not at the top: index_ops imports this module
    if not isinstance(t_list, list | tuple):
        raise TypeError(f"`t_list` should be a sequence of tensors. Received {type(t_list)}.")
    norm = global_norm(t_list) if use_norm is None else tensor(use_norm)
    clip = like(clip_norm, norm) if not isinstance(clip_norm, Tensor | Variable) else \
        convert_to_tensor(clip_norm, norm.dtype)
    # an infinite norm gives NaN, as in TF
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
    # A traced graph's input gives its run-time size (a tensor), so None dims broadcast right.
    sizes = [size(f) if _k.symbolic(f) else f._value.shape[0] for f in flat]
    n = len(flat)
    order = list(range(n))
    if indexing == "xy" and n > 1:
        order[0], order[1] = 1, 0
    full = [sizes[order[d]] for d in range(n)]
    grids = []
    for i, f in enumerate(flat):
        shape = [1] * n
        shape[order.index(i)] = -1
        grids.append(broadcast_to(reshape(f, shape), full))
    return grids


EXPORTS = {
    "": ["clip_by_global_norm", "clip_by_norm", "clip_by_value", "concat", "meshgrid", "pad",
         "reverse", ("slice", "slice_"), "split", "stack", "strided_slice", "tile", "unstack"],
    "linalg": ["global_norm"],
}
