"""Shapes, slicing, casting and factories (``tf.reshape``, ``tf.transpose``, ``t[...]``, …)."""

import builtins
import math

import numpy as np

from ..engine.core import apply, batched, not_differentiable, primitive
from ..framework import dtypes, errors
from ..framework.shape import TensorShape
from ..framework.tensor import EagerTensor, Tensor, to_array, wrap
from ..framework.variable import Variable
from . import _k
from ._helpers import axis_arg, check_kind, fallback, index_arg, index_dtype_error, tensor

# --- shape changes -------------------------------------------------------------------------------

# Rules keep a vectorized jacobian's leading cotangent axes (_k.lead) in front of shapes and keys.
RESHAPE = primitive("Reshape", lambda x, shape: np.reshape(x, shape), save=()).defvjp(
    lambda g, ans, x, shape: reshape_like(g, x))
RESHAPE.defjvp(lambda t, ans, x, shape: RESHAPE(t, shape=shape))


def _transpose_grad(g, ans, x, perm):
    n = len(_k.lead(g))
    return TRANSPOSE(g, perm=tuple(builtins.range(n)) + tuple(n + int(p) for p in np.argsort(perm)))


TRANSPOSE = primitive("Transpose", lambda x, perm: x.transpose(perm), save=()).defvjp(
    _transpose_grad)
TRANSPOSE.defjvp(lambda t, ans, x, perm: TRANSPOSE(t, perm=perm))

# The engine sums the cotangent back down to the input's shape: nothing else to do here.
BROADCAST_TO = primitive("BroadcastTo", lambda x, shape: np.broadcast_to(x, shape),
                         save=()).defvjp(lambda g, ans, x, shape: g)
BROADCAST_TO.defjvp(lambda t, ans, x, shape: BROADCAST_TO(t, shape=shape))

# Shapes taken from a tensor when the op runs (TF's ReshapeGrad reads the input's dynamic shape):
# gradient rules use them in a traced graph, whose inputs may have None dims, so the graph works
# for every size instead of the example's. ``lead``: the cotangent's extra leading axes, kept.
RESHAPE_LIKE = primitive("ReshapeLike", lambda x, like, lead: np.reshape(
    x, x.shape[:lead] + like.shape), save=("inputs",)).defvjp(
    lambda g, ans, x, like, lead: RESHAPE_LIKE(g, x, lead=len(_k.lead(g))), lambda *a, **k: None)
BROADCAST_LIKE = primitive("BroadcastLike", lambda x, like, lead: np.broadcast_to(
    x, x.shape[:lead] + like.shape), save=()).defvjp(lambda g, ans, x, like, lead: g,
                                                     lambda *a, **k: None)


def _unbroadcast_like(g, like):
    """``g`` summed down to ``like``'s shape as the engine's unbroadcast does, decided by the
    shapes when the op runs (a traced graph's cotangent whose broadcast its example hid)."""
    if g.shape == like.shape:
        return g
    lead = g.ndim - like.ndim
    ones = tuple(lead + i for i, n in enumerate(like.shape) if n == 1 and g.shape[lead + i] != 1)
    if ones:
        g = np.add.reduce(g, axis=ones, keepdims=True, dtype=g.dtype)
    if lead > 0:
        g = np.add.reduce(g, axis=tuple(builtins.range(lead)), keepdims=False, dtype=g.dtype)
    return g


UNBROADCAST_LIKE = primitive("UnbroadcastLike", _unbroadcast_like, save=("inputs",)).defvjp(
    lambda gg, ans, g, like: BROADCAST_LIKE(gg, g, lead=0), lambda *a, **k: None)


def reshape_like(g, x):
    """``g`` (with its leading batch axes) reshaped to ``x``'s shape: the example's as an
    attribute for eager values, ``x``'s at run time for a traced graph's tensor."""
    if _k.symbolic(x):
        return RESHAPE_LIKE(g, x, lead=len(_k.lead(g)))
    return RESHAPE(g, shape=_k.lead(g) + _k.shape_of(x))


def broadcast_like(g, x):
    """``g`` (with its leading batch axes) broadcast to ``x``'s shape (see reshape_like)."""
    if _k.symbolic(x):
        return BROADCAST_LIKE(g, x, lead=len(_k.lead(g)))
    return BROADCAST_TO(g, shape=_k.lead(g) + _k.shape_of(x))


def _dims(shape):
    return ",".join(str(d) for d in shape)


def _shape_tuple(shape, op_type=None, attr="T"):
    """A shape argument as a tuple of ints. Floats are refused as TF refuses them: a TypeError
    for the Python-side conversions (``op_type`` None), else the op's attr error."""
    if isinstance(shape, TensorShape):
        shape = shape.as_list()
    if isinstance(shape, int | np.integer) and not isinstance(shape, bool):
        return (int(shape),)
    if isinstance(shape, tuple | list) and all(type(d) is int for d in shape):
        return tuple(shape)  # the common case
    is_tensor = isinstance(shape, Tensor | Variable)
    arr = np.asarray(shape) if is_tensor else dtypes.infer_numpy(shape)
    if arr.dtype.kind == "b" and not is_tensor:  # Python bools are ints to TF's conversion
        arr = arr.astype(np.int32)
    if arr.size and arr.dtype.kind not in "iu":
        dtype = dtypes.from_numpy(arr.dtype)
        if op_type is None:
            if is_tensor:  # tf.zeros/ones hand a tensor to Fill as its dims
                raise index_dtype_error("Fill", "index_type", dtype, "")
            raise TypeError(f"Cannot convert {shape!r} to EagerTensor of dtype int32")
        raise index_dtype_error(op_type, attr, dtype, "" if is_tensor else False)
    if arr.ndim > 1 and (op_type or "Fill") in _NOT_A_VECTOR:
        text, name = _NOT_A_VECTOR[op_type or "Fill"]
        raise errors.op_error(op_type or "Fill", text.format(_dims(arr.shape)), kernel=True,
                              name=name)
    return tuple(int(d) for d in arr.reshape(-1))


# The kernels' texts for a shape argument that is no vector (and their `` name: `` suffix).
_NOT_A_VECTOR = {"Fill": ("dims must represent a vector, got shape [{}]", ""),
                 "Reshape": ("sizes input must be 1-D, not [{}]", None)}


def _check_sizes(shape):
    """TF's errors for a reshape size below -1 or a second -1 (looked for once NumPy failed)."""
    unknown = None
    for i, d in enumerate(shape):
        if d < -1:
            raise errors.op_error("Reshape", f"Size {i} must be non-negative, not {d}",
                                  kernel=True, name=None)
        if d == -1:
            if unknown is not None:
                raise errors.op_error("Reshape", "Only one input size may be -1, not both "
                                      f"{unknown} and {i}", kernel=True, name=None)
            unknown = i


# A shape given as a traced graph's tensor (``tf.shape(y)``, ``[tf.shape(y)[0], -1]``) is an
# input, read when the graph runs, instead of the example's value as an attribute.
RESHAPE_TO = primitive("ReshapeTo", lambda x, shape: np.reshape(x, tuple(shape.tolist())),
                       save=()).defvjp(lambda g, ans, x, shape: reshape_like(g, x),
                                       lambda *a, **k: None)
BROADCAST_TO_SHAPE = primitive(
    "BroadcastToShape", lambda x, shape: np.broadcast_to(x, tuple(shape.tolist())),
    save=()).defvjp(lambda g, ans, x, shape: g, lambda *a, **k: None)


def _graph_shape(shape):
    """A shape argument that a traced graph computes, as one int tensor; None otherwise."""
    if type(shape) is list or type(shape) is tuple:
        for d in shape:  # the common case, all Python ints, in one cheap pass
            if type(d) is not int and _k.symbolic(d):
                from .manip_ops import stack
                return stack([cast(d, dtypes.int32) if isinstance(d, Tensor) else d
                              for d in shape])
        return None
    return shape if _k.symbolic(shape) else None


def _run_time_shape(shape):
    """A shape argument that a traced graph knows only when it runs (``tf.shape(x)`` of an
    unknown batch), as one int tensor; None for a shape known while tracing."""
    dims = _graph_shape(shape)
    return None if dims is None or _k.trace_known(dims) else dims


def reshape(tensor_, shape, name=None):
    """``tf.reshape``: one dimension may be -1."""
    given = shape
    try:
        x = tensor(tensor_)
        dynamic = _graph_shape(shape)
        if dynamic is not None:
            return apply(RESHAPE_TO, (x, dynamic), {})
        shape = _shape_tuple(shape, "Reshape", "Tshape")
    except (TypeError, ValueError) as e:  # a DynamicRaggedShape (see _helpers.fallback)
        return fallback(reshape, e, tensor_, given, name)
    if math.prod(d for d in shape if d != -1) > 2**63 - 1:  # TF counts in int64
        raise errors.op_error("Reshape", f"Shape {list(shape)} has too many elements",
                              kernel=True, name=None)
    if shape and min(shape) < -1:  # NumPy would read any negative size as the unknown one
        _check_sizes(shape)
    try:
        return apply(RESHAPE, (x,), {"shape": shape})
    except errors.InvalidArgumentError:
        _check_sizes(shape)
        resolved = _resolve_unknown(x._value.shape, shape)
    return apply(RESHAPE, (x,), {"shape": resolved})


def _resolve_unknown(given, shape):
    """``shape`` with its -1 worked out as TF's Reshape kernel does (NumPy refused it), or TF's
    error. Zero sizes are left out of both products when ``shape`` has one, so an empty tensor
    still gets its other sizes: [0, 3] to [-1, 0] is [3, 0]."""
    size = math.prod(given)
    shape = list(shape)
    if -1 in shape:
        has_zero = 0 in shape
        product = math.prod(d for d in shape if d > 0)
        known = math.prod(d for d in given if d > 0 or not has_zero)
        missing = known // product
        if not (has_zero and 0 in given) and product * missing != known:
            raise errors.op_error("Reshape", f"Input to reshape is a tensor with {known} values, "
                                  f"but the requested shape requires a multiple of {product}",
                                  kernel=True, name=None)
        shape[shape.index(-1)] = missing
    if math.prod(shape) != size:
        raise errors.op_error("Reshape", f"Input to reshape is a tensor with {size} values, but "
                              f"the requested shape has {math.prod(shape)}", kernel=True,
                              name=None)
    return tuple(shape)


def _perm(perm, ndim):
    """An explicit ``perm`` as a tuple of non-negative axes, refused as TF's Transpose does."""
    if not (type(perm) in (tuple, list) and all(type(p) is int for p in perm)):
        perm = index_arg(perm, "Transpose", "Tperm")
        if perm.ndim != 1:
            raise errors.op_error("Transpose", "perm must be rank 1, got shape "
                                  f"[{_dims(perm.shape)}]", kernel=True)
        perm = perm.tolist()
    if len(perm) != ndim:
        raise errors.op_error("Transpose", f"transpose expects a vector of size {ndim}. But "
                              f"input(1) is a vector of size {len(perm)}", kernel=True, name=None)
    for p in perm:
        if not -ndim <= p < ndim:  # TF accepts negative entries as counted from the end
            raise errors.op_error("Transpose", f"{p} is out of range [0 .. {ndim})",
                                  kernel=True, name=None)
    perm = tuple(p % ndim for p in perm)
    for i in builtins.range(ndim):
        if i not in perm:
            raise errors.op_error("Transpose", f"{i} is missing from "
                                  f"{{{','.join(map(str, perm))}}}.", kernel=True, name=None)
    return perm


def transpose(a, perm=None, conjugate=False, name=None):
    """``tf.transpose``: reverses the axes unless ``perm`` is given."""
    x = tensor(a)
    ndim = x._value.ndim
    perm = tuple(builtins.range(ndim))[::-1] if perm is None else _perm(perm, ndim)
    out = apply(TRANSPOSE, (x,), {"perm": perm})
    if conjugate and out._value.dtype.kind == "c":
        from .math_ops import CONJ
        out = CONJ(out)
    return out


def broadcast_to(input, shape, name=None):  # noqa: A002 - TF's name
    """``tf.broadcast_to``."""
    given = shape
    try:
        x = tensor(input)
        dynamic = _graph_shape(shape)
        if dynamic is not None:
            return apply(BROADCAST_TO_SHAPE, (x, dynamic), {})
        shape = _shape_tuple(shape, "BroadcastTo", "Tidx")
    except (TypeError, ValueError) as e:  # a DynamicRaggedShape (see _helpers.fallback)
        return fallback(broadcast_to, e, input, given, name)
    for d in shape:
        if d < 0:
            raise errors.op_error("BroadcastTo", f"Dimension {d} must be >= 0", kernel=True,
                                  name=None)
    try:
        return apply(BROADCAST_TO, (x,), {"shape": shape})
    except errors.InvalidArgumentError:
        raise errors.op_error("BroadcastTo", f"Incompatible shapes: [{_dims(x._value.shape)}] vs. "
                              f"[{_dims(shape)}]", kernel=True, name=None) from None


# Axes are kept negative (counted from the end), so the rules also serve cotangents with extra
# leading batch axes, and the shape is the input's when the op runs (a traced graph's None dims).
EXPAND_DIMS = primitive("ExpandDims", lambda x, axis: np.expand_dims(x, axis), save=()).defvjp(
    lambda g, ans, x, axis: SQUEEZE(g, axis=axis))
SQUEEZE = primitive("Squeeze", lambda x, axis: np.squeeze(x, axis), save=()).defvjp(
    lambda g, ans, x, axis: reshape_like(g, x) if axis is None else EXPAND_DIMS(g, axis=axis))
EXPAND_DIMS.defjvp(lambda t, ans, x, axis: EXPAND_DIMS(t, axis=axis))
SQUEEZE.defjvp(lambda t, ans, x, axis: SQUEEZE(t, axis=axis))


def expand_dims(input, axis, name=None):  # noqa: A002
    """``tf.expand_dims``: insert a length-1 axis at ``axis``."""
    try:
        x = tensor(input)
    except (TypeError, ValueError) as e:  # a RaggedTensor (see _helpers.fallback)
        return fallback(expand_dims, e, input, axis, name)
    ndim = x._value.ndim
    axis = axis_arg(axis, "ExpandDims", "Tdim",
                    not_scalar="'dim' must be a tensor with a single value")
    if not -ndim - 1 <= axis <= ndim:
        raise errors.op_error("ExpandDims", f"Tried to expand dim index {axis} for tensor "
                              f"with {ndim} dimensions.", kernel=True)
    return apply(EXPAND_DIMS, (x,), {"axis": (axis - ndim - 1 if axis >= 0 else axis,)})


def squeeze(input, axis=None, name=None):  # noqa: A002
    """``tf.squeeze``: drop length-1 axes (all of them, or those in ``axis``)."""
    try:
        x = tensor(input)
    except (TypeError, ValueError) as e:  # a RaggedTensor (see _helpers.fallback)
        return fallback(squeeze, e, input, axis, name)
    if _k.symbolic(axis):  # an attr of TF's op: a graph tensor cannot be one
        raise TypeError(f"Expected list for 'axis' argument to 'squeeze' Op, not {axis!r}.")
    ax = None if axis is None else tuple(dict.fromkeys(int(a) for a in np.atleast_1d(axis)))
    shape, ndim = x._value.shape, x._value.ndim
    for a in ax or ():
        if not -ndim <= a < ndim:
            raise errors.op_error("Squeeze", f"Tried to squeeze dim index {a} for tensor with "
                                  f"{ndim} dimensions.", kernel=True)
        if shape[a] != 1:
            raise errors.op_error("Squeeze", f"Can not squeeze dim[{a % ndim}], expected a "
                                  f"dimension of 1, got {shape[a]}", kernel=True)
    if ax is None:
        if _k.symbolic(x) and (x.shape.rank is None or None in x.shape.as_list()):  # at run time
            return apply(SQUEEZE, (x,), {"axis": None})
        ax = tuple(i for i, d in enumerate(shape) if d == 1)
    neg = tuple(sorted({int(a) % ndim - ndim for a in ax}))
    return apply(SQUEEZE, (x,), {"axis": neg})


# --- slicing -------------------------------------------------------------------------------------

def _slice_grad_forward(g, shape, key):
    out = np.zeros(shape, dtype=g.dtype)
    out[key] = g
    return out


def _lead_key(g, key):
    return (slice(None),) * len(_k.lead(g)) + key


def _strided_slice_grad(g, ans, x, key):
    if _k.symbolic(x):  # a traced graph: x's shape when it runs
        return STRIDED_SLICE_GRAD_LIKE(g, x, key=_lead_key(g, key), lead=len(_k.lead(g)))
    return STRIDED_SLICE_GRAD(g, shape=_k.lead(g) + _k.shape_of(x), key=_lead_key(g, key))


STRIDED_SLICE = primitive("StridedSlice", lambda x, key: x[key], save=()).defvjp(
    _strided_slice_grad)
STRIDED_SLICE.defjvp(lambda t, ans, x, key: STRIDED_SLICE(t, key=key))

STRIDED_SLICE_GRAD = primitive("StridedSliceGrad", _slice_grad_forward, save=()).defvjp(
    lambda g, ans, dy, shape, key: STRIDED_SLICE(g, key=_lead_key(g, key)))
STRIDED_SLICE_GRAD.defjvp(
    lambda t, ans, dy, shape, key: STRIDED_SLICE_GRAD(t, shape=shape, key=key))
STRIDED_SLICE_GRAD_LIKE = primitive(
    "StridedSliceGradLike", lambda dy, like, key, lead: _slice_grad_forward(
        dy, dy.shape[:lead] + like.shape, key), save=()).defvjp(
    lambda g, ans, dy, like, key, lead: STRIDED_SLICE(g, key=_lead_key(g, key)),
    lambda *a, **k: None)

def _filled_key(key, bounds):
    """``key`` with its run-time entries (``"?k"``) replaced by ``bounds[k]``."""
    def value(v):
        return int(bounds[int(v[1:])]) if isinstance(v, str) else v
    return tuple(slice(value(k.start), value(k.stop), value(k.step)) if isinstance(k, slice)
                 else value(k) for k in key)


def _dynamic_slice_forward(x, bounds, key):
    key = _filled_key(key, bounds)
    try:
        return x[key]
    except IndexError:  # an integer index out of range, found when the graph runs
        raise _slice_error("slice index out of bounds of the dimension it indexes") from None


def _dynamic_slice_grad(g, ans, x, bounds, key):
    return STRIDED_SLICE_GRAD_DYNAMIC(g, x, bounds, key=_lead_key(g, key),
                                      lead=len(_k.lead(g)))


# x[key] where the traced graph computes some bounds (``x[:tf.shape(x)[0] // 2]``): they are an
# input read when the graph runs (TF's begin/end/strides tensors), key holds "?k" in their places
STRIDED_SLICE_DYNAMIC = primitive("StridedSliceDynamic", _dynamic_slice_forward,
                                  save=("inputs",)).defvjp(_dynamic_slice_grad,
                                                           lambda *a, **k: None)
STRIDED_SLICE_GRAD_DYNAMIC = primitive(
    "StridedSliceGradDynamic", lambda dy, like, bounds, key, lead: _slice_grad_forward(
        dy, dy.shape[:lead] + like.shape, _filled_key(key, bounds)), save=("inputs",)).defvjp(
    lambda g, ans, dy, like, bounds, key, lead: STRIDED_SLICE_DYNAMIC(
        g, bounds, key=_lead_key(g, key)),
    lambda *a, **k: None, lambda *a, **k: None)

_INDEX_ERROR = ("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar "
                "tf.int32/tf.int64 tensors are valid indices, got {!r}")


def _index_item(item, run_time=None):
    """A key entry as Python; a traced scalar the graph knows only when it runs becomes
    ``"?k"``, the tensor appended to ``run_time`` (when given)."""
    if item is None or item is Ellipsis or isinstance(item, slice | int | np.integer) and \
            not isinstance(item, bool):
        if isinstance(item, slice):
            return slice(*(None if v is None else _index_item(v, run_time) for v in (
                item.start, item.stop, item.step)))
        return item if item is None or item is Ellipsis else int(item)
    if isinstance(item, Tensor | Variable):
        if (run_time is not None and isinstance(item, Tensor) and not _k.trace_known(item) and
                item.shape.rank == 0 and item.dtype.is_integer):
            run_time.append(item)
            return f"?{len(run_time) - 1}"
        v = np.asarray(item)
        if v.ndim == 0 and v.dtype.kind in "iu":
            return int(v)
    raise TypeError(_INDEX_ERROR.format(item))


def getitem(x, key):
    """``t[key]``: basic and strided slicing, ``...`` and ``tf.newaxis``; differentiable. A
    boolean tensor or NumPy array (or a Python bool) is a mask, as ``tf.boolean_mask``."""
    x = tensor(x)
    if isinstance(key, bool) or isinstance(key, Tensor | np.ndarray) and key.dtype in (
            dtypes.bool, np.bool_):
        from .index_ops import boolean_mask
        return boolean_mask(x, key)
    if isinstance(key, Tensor) and type(key) is not EagerTensor:  # a graph's index: dynamic
        from .index_ops import gather
        return gather(x, key)
    if not isinstance(key, tuple):
        key = tuple(key) if isinstance(key, list) else (key,)
    run_time = []
    key = tuple(_index_item(k, run_time) for k in key)
    shape = x._value.shape
    if sum(k is Ellipsis for k in key) > 1:
        raise _slice_error("Multiple ellipses in slice spec not allowed")
    if not shape and any(k is not None and k is not Ellipsis for k in key):
        raise _slice_error("Attempting to slice scalar input.")
    axis = 0
    for i, k in enumerate(key):  # TF raises on out-of-range integer indices
        if k is Ellipsis:
            axis = len(shape) - sum(1 for j in key if j is not None and j is not Ellipsis) + axis
            continue
        if k is None:
            continue
        if axis >= len(shape):
            raise _slice_error(f"Index out of range using input dim {axis}; input has only "
                               f"{len(shape)} dims")
        if type(k) is int and not -shape[axis] <= k < shape[axis] and (
                _k.static_dims(x)[axis] is not None):  # a traced unknown dim: when run
            # TF reports a negative index after adding the dimension's size once
            raise _slice_error(f"slice index {k + shape[axis] if k < 0 else k} of dimension "
                               f"{axis} out of bounds.")
        if isinstance(k, slice) and k.step == 0:
            raise _slice_error(f"strides[{i}] must be non-zero")
        axis += 1
    if run_time:
        from .manip_ops import stack
        bounds = stack([cast(t, dtypes.int64) for t in run_time])
        return apply(STRIDED_SLICE_DYNAMIC, (x, bounds), {"key": key})
    return apply(STRIDED_SLICE, (x,), {"key": key})


def _slice_error(text):
    return errors.op_error("StridedSlice", text, kernel=True, name="strided_slice/")


# --- casting -------------------------------------------------------------------------------------

def _cast_forward(x, dtype):
    if x.dtype.kind == "c" and dtype.kind != "c":
        x = x.real
    return x.astype(dtype)


def _cast_grad(g, ans, x, dtype):
    src = _k.dtype_of(x)
    if src.kind not in "fcV":  # V: bfloat16
        return None
    return CAST(g, dtype=src) if _k.dtype_of(g) != src else g


CAST = primitive("Cast", _cast_forward, save=("inputs",)).defvjp(_cast_grad)
CAST.defjvp(lambda t, ans, x, dtype: CAST(t, dtype=dtype) if np.dtype(dtype).kind in "fcV"
             else None)


def cast(x, dtype, name=None):
    """``tf.cast``: the only way to change dtype. The same object when the dtype already matches."""
    dtype = dtypes.as_dtype(dtype)
    if isinstance(x, Tensor | Variable) and x.dtype is dtype:
        return x
    try:
        x = tensor(x)
    except (TypeError, ValueError) as e:  # a RaggedTensor (see _helpers.fallback)
        return fallback(cast, e, x, dtype, name)
    if x.dtype is dtype:
        return x
    if dtypes.string in (x.dtype, dtype):  # TF has no string <-> number casts
        raise errors.op_error("Cast", f"Cast {x.dtype._op_name} to {dtype._op_name} is not "
                              "supported", cls=errors.UnimplementedError, kernel=True)
    return apply(CAST, (x,), {"dtype": dtype._np})


# --- factories: primitives like every other op, so tapes and traces see them ---------------------

def _dtype(dtype, default=dtypes.float32):
    return (default if dtype is None else dtypes.as_dtype(dtype))._np


def _check_dims(shape, op_type="Fill", name=""):
    """TF's error for a negative dimension in a shape argument."""
    for d in shape:
        if d < 0:
            raise errors.op_error(op_type, f"Dimension {d} must be >= 0", kernel=True, name=name)


def _fill_forward(dims, value):
    return np.full(tuple(dims.tolist()), value, value.dtype)


# The engine sums the cotangent down to the scalar value (keeping a jacobian's batch axes).
FILL = primitive("Fill", _fill_forward, save=()).defvjp(None, lambda g, ans, dims, value: g)
FILL.defjvp(None, lambda t, ans, dims, value: BROADCAST_TO(t, shape=_k.shape_of(ans)))


def _fill(shape, value, op_type="Fill", name=""):
    _check_dims(shape, op_type, name)
    return apply(FILL, (wrap(np.array(shape, np.int64 if shape and max(shape) > 2**31 - 1
                                      else np.int32)), value), {})


def _scalar(value, np_dtype):
    """A constant scalar of a dtype: 0 and 1 are b'' and an error for strings, as in TF."""
    if np_dtype.kind == "O":
        if value:
            raise TypeError(f"Cannot convert {value} to EagerTensor of dtype string")
        return wrap(np.array(b"", object))
    return wrap(np.array(value, np_dtype))


def _filled(shape, value, op_type=None, attr="T"):
    """A Fill of ``shape``: a shape that a traced graph computes (``[tf.shape(x)[0], 3]``) is
    the op's input, read when the graph runs, instead of the example's value."""
    dynamic = _graph_shape(shape)
    if dynamic is not None:
        return apply(FILL, (dynamic, value), {})
    return _fill(_shape_tuple(shape, op_type, attr), value, name=None if op_type else "")


def zeros(shape, dtype=dtypes.float32, name=None, layout=None):
    """``tf.zeros``: a Fill, as in TF (a shape with floats is a TypeError)."""
    if layout is not None:  # a DTensor (tapeflow.dtensor)
        return layout._place(zeros(shape, dtype, name))
    try:
        return _filled(shape, _scalar(0, _dtype(dtype)))
    except (TypeError, ValueError) as e:  # a DynamicRaggedShape (see _helpers.fallback)
        return fallback(zeros, e, shape, dtype, name)


def ones(shape, dtype=dtypes.float32, name=None, layout=None):
    if layout is not None:
        return layout._place(ones(shape, dtype, name))
    try:
        return _filled(shape, _scalar(1, _dtype(dtype)))
    except (TypeError, ValueError) as e:  # a DynamicRaggedShape (see _helpers.fallback)
        return fallback(ones, e, shape, dtype, name)


def _like_forward(value):
    def forward(x, dtype):
        return np.full(x.shape, value, dtype=x.dtype if dtype is None else dtype)
    return forward


# TF registers both as non-differentiable: a gradient through them is None.
ZEROS_LIKE = not_differentiable(primitive("ZerosLike", _like_forward(0), save=()))
ONES_LIKE = not_differentiable(primitive("OnesLike", _like_forward(1), save=()))


def zeros_like(input, dtype=None, name=None, layout=None):  # noqa: A002
    if layout is not None:
        return layout._place(zeros_like(input, dtype, name))
    try:
        x = tensor(input)
    except (TypeError, ValueError) as e:  # a RaggedTensor (see _helpers.fallback)
        return fallback(zeros_like, e, input, dtype, name)
    np_dtype = None if dtype is None else _dtype(dtype)
    if (x._value.dtype if np_dtype is None else np_dtype).kind == "O":
        return _fill(x._value.shape, _scalar(0, np.dtype(object)))
    return apply(ZEROS_LIKE, (x,), {"dtype": np_dtype})


def ones_like(input, dtype=None, name=None, layout=None):  # noqa: A002
    if layout is not None:
        return layout._place(ones_like(input, dtype, name))
    try:
        x = tensor(input)
    except (TypeError, ValueError) as e:  # a RaggedTensor (see _helpers.fallback)
        return fallback(ones_like, e, input, dtype, name)
    np_dtype = None if dtype is None else _dtype(dtype)
    if x._value.dtype.kind == "O":
        check_kind(x, "fciub", "OnesLike")
    return apply(ONES_LIKE, (x,), {"dtype": np_dtype})


def fill(dims, value, name=None, layout=None):
    """``tf.fill``: differentiable in ``value`` (the sum of the cotangent)."""
    if layout is not None:
        return layout._place(fill(dims, value, name))
    value = tensor(value)
    if value._value.ndim:
        _shape_tuple(dims, "Fill", "index_type")  # its errors first, as TF's
        raise errors.op_error("Fill", "value must represent a scalar, got shape "
                              f"[{_dims(value._value.shape)}]", kernel=True, name=None)
    try:
        return _filled(dims, value, "Fill", "index_type")
    except (TypeError, ValueError) as e:  # a DynamicRaggedShape (see _helpers.fallback)
        return fallback(fill, e, dims, value, name)


def _range_text(v):
    text = str(v)
    return text[:-2] if text.endswith(".0") else text


def _range_forward(start, limit, delta):
    s, e, d = start.item(), limit.item(), delta.item()
    if d == 0:
        raise errors.op_error("Range", f"Requires delta != 0: {_range_text(d)}", kernel=True)
    if (e - s) * d < 0:
        sign, rel = (">", "<=") if d > 0 else ("<", ">=")
        raise errors.op_error("Range", f"Requires start {rel} limit when delta {sign} 0: "
                              f"{_range_text(s)}/{_range_text(e)}", kernel=True)
    if start.dtype.kind in "iu":
        n = (abs(e - s) + abs(d) - 1) // abs(d)
    else:  # in the dtype itself, as TF's kernel: float32 bounds can collapse
        n = int(np.ceil(np.abs((limit - start) / delta)))
    steps = np.full(n, delta, start.dtype)
    if n:
        steps[0] = start
    return np.cumsum(steps, dtype=start.dtype)  # accumulated, as TF's kernel: 0.3 * 3 != 0.9


RANGE = not_differentiable(primitive("Range", _range_forward, save=()))

_RANGE_ORDER = (dtypes.int32, dtypes.int64, dtypes.float16, dtypes.float32, dtypes.float64)


def range(start, limit=None, delta=1, dtype=None, name="range"):  # noqa: A001 - TF's name
    """``tf.range``: the widest of its arguments' dtypes (int32 < int64 < float32 < float64),
    each Python number converted as ``tf.constant`` would (2**31 is int64)."""
    if limit is None:
        start, limit = 0, start
    if dtype is None:
        args = [tensor(v) for v in (start, limit, delta)]
        target = max((a.dtype for a in args),
                     key=lambda d: _RANGE_ORDER.index(d) if d in _RANGE_ORDER else 0)
    else:
        target = dtypes.as_dtype(dtype)
        args = [v if isinstance(v, Tensor | Variable) else tensor(to_array(v, target))
                for v in (start, limit, delta)]
    if target._np.kind not in "fiV" and target is not dtypes.uint16 and \
            target is not dtypes.uint32 and target is not dtypes.uint64:
        raise index_dtype_error("Range", "Tidx", target)
    args = [cast(a, target) for a in args]
    return apply(RANGE, tuple(args), {})


def _linspace_weights(g, num, axis, ndim, towards_stop):
    """How much each output leans on stop (or on start): i/(num-1) (or 1 - that) along ``axis``,
    shaped to broadcast against the cotangent, in its mode."""
    frac = np.linspace(0.0, 1.0, num) if num > 1 else np.zeros(num)
    shape = [1] * ndim
    shape[axis] = num
    weights = (frac if towards_stop else 1.0 - frac).reshape(shape).astype(_k.dtype_of(g))
    return wrap(weights) if isinstance(g, Tensor) else weights


def _linspace_grad(towards_stop):
    def rule(g, ans, start, stop, num, axis):
        from .reduction_ops import SUM  # reduction_ops imports this module
        lead = len(_k.lead(g))
        weights = _linspace_weights(g, num, axis, len(_k.shape_of(g)) - lead, towards_stop)
        return SUM(g * weights, axis=(axis + lead,), keepdims=False)
    return rule


LINSPACE = primitive("LinSpace", lambda start, stop, num, axis: np.linspace(
    start, stop, num, axis=axis).astype(start.dtype), save=()).defvjp(
    _linspace_grad(False), _linspace_grad(True))


def linspace(start, stop, num, name=None, axis=0):
    """``tf.linspace``: float32 for Python floats; ``num`` evenly spaced values, differentiable
    in ``start`` and ``stop``."""
    start, stop = tensor(start), tensor(stop)
    if start._value.dtype.kind in "iu":  # TF computes integer end points in float64
        start, stop = cast(start, dtypes.float64), cast(stop, dtypes.float64)
    axis = int(axis) % (start._value.ndim + 1)
    if isinstance(num, float):
        raise TypeError("Argument `tensor` (name: num) must be of type integer. Received "
                        f"`tensor` = {num} of dtype: <dtype: 'float32'>")
    if not _k.trace_known(num):
        return _run_time_linspace(start, stop, num, axis)
    return apply(LINSPACE, (start, stop), {"num": int(num), "axis": axis})


def _run_time_linspace(start, stop, num, axis):
    """``tf.linspace`` of a count a traced graph computes, built as TF builds it: start,
    start + k (stop - start) / (num - 1) for 0 < k < num - 1, stop, cut to ``num`` along
    ``axis`` (the same values as the LinSpace kernel; differentiable in start and stop)."""
    from .manip_ops import concat, slice_, stack  # manip_ops imports this module
    from .math_ops import maximum
    dtype = dtypes.as_dtype(start._value.dtype)
    num = cast(num, dtypes.int32)
    steps = maximum(num - 1, 1)
    first, last = expand_dims(start, axis), expand_dims(stop, axis)
    along = [1] * (start._value.ndim + 1)
    along[axis] = -1
    k = reshape(cast(range(1, steps), dtype), along)
    middle = first + k * ((last - first) / cast(steps, dtype))
    whole = concat([first, middle, last], axis)
    size = [-1] * len(along)
    size[axis] = num
    return slice_(whole, [0] * len(along), stack(size))


def eye(num_rows, num_columns=None, batch_shape=None, dtype=dtypes.float32, name=None):
    """``tf.eye``: ones on a diagonal, as TF builds it (a Fill, then MatrixDiagV3)."""
    columns = num_rows if num_columns is None else num_columns
    for n in (num_rows, columns):
        if not isinstance(n, int | np.integer | Tensor | Variable) or isinstance(n, bool):
            raise TypeError("Arguments `num_rows` and `num_columns` must be positive integer "
                            f"values. Received: num_rows={num_rows}, num_columns={columns}")
    if not (_k.trace_known(num_rows) and _k.trace_known(columns)):
        return _run_time_eye(num_rows, columns, batch_shape, _dtype(dtype))
    rows, columns = int(num_rows), int(columns)
    batch = () if batch_shape is None else _shape_tuple(batch_shape)
    _check_dims(batch + (rows, columns))
    from .linalg_ops import MATRIX_DIAG  # linalg_ops imports this module
    diagonal = _fill(batch + (min(rows, columns),), _scalar(1, _dtype(dtype)))
    return apply(MATRIX_DIAG, (diagonal,), {"k": 0, "num_rows": rows, "num_cols": columns,
                                            "padding_value": 0})


def _run_time_eye(rows, columns, batch_shape, np_dtype):
    """``tf.eye`` of sizes a traced graph computes: row index == column index, when it runs."""
    from .math_ops import equal
    same = equal(expand_dims(range(rows), 1), expand_dims(range(columns), 0))
    out = cast(same, dtypes.as_dtype(np_dtype))
    if batch_shape is not None:
        out = broadcast_to(out, list(_shape_tuple(batch_shape)) + [shape(out)[0], shape(out)[1]])
    return out


def _metadata(name, fn):
    return not_differentiable(primitive(name, lambda x, out_type: np.array(fn(x), out_type),
                                        save=()))


SHAPE = _metadata("Shape", lambda x: x.shape)
SIZE = _metadata("Size", lambda x: x.size)
RANK = _metadata("Rank", lambda x: x.ndim)


def _metadata_op(prim, input, out_type):  # noqa: A002
    out = dtypes.as_dtype(out_type)
    if out not in (dtypes.int32, dtypes.int64):
        raise index_dtype_error(prim.name, "out_type", out)
    return apply(prim, (tensor(input),), {"out_type": out._np})


def shape(input, out_type=dtypes.int32, name=None):  # noqa: A002
    try:
        return _metadata_op(SHAPE, input, out_type)
    except (TypeError, ValueError) as e:  # a RaggedTensor (see _helpers.fallback)
        return fallback(shape, e, input, out_type, name)


def size(input, out_type=dtypes.int32, name=None):  # noqa: A002
    try:
        return _metadata_op(SIZE, input, out_type)
    except (TypeError, ValueError) as e:  # a RaggedTensor (see _helpers.fallback)
        return fallback(size, e, input, out_type, name)


def rank(input, name=None):  # noqa: A002
    try:
        return apply(RANK, (tensor(input),), {"out_type": np.int32})
    except (TypeError, ValueError) as e:  # a RaggedTensor (see _helpers.fallback)
        return fallback(rank, e, input, name)


EXPORTS = {
    "": ["broadcast_to", "cast", "expand_dims", "eye", "fill", "linspace", "ones", "ones_like",
         "range", "rank", "reshape", "shape", "size", "squeeze", "transpose", "zeros",
         "zeros_like"],
    "math": [],
}

batched(RESHAPE, TRANSPOSE, BROADCAST_TO, RESHAPE_LIKE, BROADCAST_LIKE, RESHAPE_TO,
        BROADCAST_TO_SHAPE, EXPAND_DIMS, SQUEEZE,
        STRIDED_SLICE, STRIDED_SLICE_GRAD, STRIDED_SLICE_GRAD_LIKE, CAST, LINSPACE, FILL)
