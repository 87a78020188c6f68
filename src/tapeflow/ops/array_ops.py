"""Shapes, slicing, casting and factories (``tf.reshape``, ``tf.transpose``, ``t[...]``, …)."""

import numpy as np

from ..engine.core import apply, batched, primitive
from ..framework import dtypes, errors
from ..framework.shape import TensorShape
from ..framework.tensor import Tensor, wrap
from ..framework.variable import Variable
from . import _k
from ._helpers import tensor

# --- shape changes -------------------------------------------------------------------------------

# Rules keep a vectorized jacobian's leading cotangent axes (_k.lead) in front of shapes and keys.
RESHAPE = primitive("Reshape", lambda x, shape: np.reshape(x, shape), save=()).defvjp(
    lambda g, ans, x, shape: RESHAPE(g, shape=_k.lead(g) + _k.shape_of(x)))
RESHAPE.defjvp(lambda t, ans, x, shape: RESHAPE(t, shape=shape))


def _transpose_grad(g, ans, x, perm):
    n = len(_k.lead(g))
    return TRANSPOSE(g, perm=tuple(range(n)) + tuple(n + int(p) for p in np.argsort(perm)))


TRANSPOSE = primitive("Transpose", lambda x, perm: x.transpose(perm), save=()).defvjp(
    _transpose_grad)
TRANSPOSE.defjvp(lambda t, ans, x, perm: TRANSPOSE(t, perm=perm))

# The engine sums the cotangent back down to the input's shape: nothing else to do here.
BROADCAST_TO = primitive("BroadcastTo", lambda x, shape: np.broadcast_to(x, shape),
                         save=()).defvjp(lambda g, ans, x, shape: g)
BROADCAST_TO.defjvp(lambda t, ans, x, shape: BROADCAST_TO(t, shape=shape))


def _shape_tuple(shape):
    if isinstance(shape, Tensor | Variable):
        return tuple(int(d) for d in np.asarray(shape).reshape(-1))
    if isinstance(shape, TensorShape):
        return tuple(shape.as_list())
    if isinstance(shape, int | np.integer):
        return (int(shape),)
    return tuple(int(d) for d in shape)


def reshape(tensor_, shape, name=None):
    """``tf.reshape``: one dimension may be -1."""
    x = tensor(tensor_)
    shape = _shape_tuple(shape)
    try:
        return apply(RESHAPE, (x,), {"shape": shape})
    except errors.InvalidArgumentError:
        raise errors.op_error("Reshape", f"Input to reshape is a tensor with {x._value.size} "
                              "values, "
                              f"but the requested shape has {int(np.prod(shape))}", kernel=True,
                              name=None) from None


def transpose(a, perm=None, conjugate=False, name=None):
    """``tf.transpose``: reverses the axes unless ``perm`` is given."""
    x = tensor(a)
    perm = tuple(range(x._value.ndim))[::-1] if perm is None else _shape_tuple(perm)
    out = apply(TRANSPOSE, (x,), {"perm": perm})
    if conjugate and out._value.dtype.kind == "c":
        from .math_ops import CONJ
        out = CONJ(out)
    return out


def broadcast_to(input, shape, name=None):  # noqa: A002 - TF's name
    """``tf.broadcast_to``."""
    return apply(BROADCAST_TO, (tensor(input),), {"shape": _shape_tuple(shape)})


def expand_dims(input, axis, name=None):  # noqa: A002
    """``tf.expand_dims``: insert a length-1 axis at ``axis``."""
    x = tensor(input)
    ndim = x._value.ndim
    if not -ndim - 1 <= int(axis) <= ndim:
        raise errors.op_error("ExpandDims", f"Tried to expand dim index {int(axis)} for tensor "
                              f"with {ndim} dimensions.", kernel=True)
    return reshape(x, np.expand_dims(np.empty(x._value.shape, np.bool_), int(axis)).shape)


def squeeze(input, axis=None, name=None):  # noqa: A002
    """``tf.squeeze``: drop length-1 axes (all of them, or those in ``axis``)."""
    x = tensor(input)
    ax = None if axis is None else tuple(np.atleast_1d(axis).tolist())
    shape, ndim = x._value.shape, x._value.ndim
    for a in ax or ():
        if not -ndim <= a < ndim:
            raise errors.op_error("Squeeze", f"Tried to squeeze dim index {a} for tensor with "
                                  f"{ndim} dimensions.", kernel=True)
        if shape[a] != 1:
            raise errors.op_error("Squeeze", f"Can not squeeze dim[{a % ndim}], expected a "
                                  f"dimension of 1, got {shape[a]}", kernel=True)
    return reshape(x, np.squeeze(np.empty(x._value.shape, np.bool_), ax).shape)


# --- slicing -------------------------------------------------------------------------------------

def _slice_grad_forward(g, shape, key):
    out = np.zeros(shape, dtype=g.dtype)
    out[key] = g
    return out


def _lead_key(g, key):
    return (slice(None),) * len(_k.lead(g)) + key


STRIDED_SLICE = primitive("StridedSlice", lambda x, key: x[key], save=()).defvjp(
    lambda g, ans, x, key: STRIDED_SLICE_GRAD(g, shape=_k.lead(g) + _k.shape_of(x),
                                              key=_lead_key(g, key)))
STRIDED_SLICE.defjvp(lambda t, ans, x, key: STRIDED_SLICE(t, key=key))

STRIDED_SLICE_GRAD = primitive("StridedSliceGrad", _slice_grad_forward, save=()).defvjp(
    lambda g, ans, dy, shape, key: STRIDED_SLICE(g, key=_lead_key(g, key)))
STRIDED_SLICE_GRAD.defjvp(
    lambda t, ans, dy, shape, key: STRIDED_SLICE_GRAD(t, shape=shape, key=key))

_INDEX_ERROR = ("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar "
                "tf.int32/tf.int64 tensors are valid indices, got {!r}")


def _index_item(item):
    if item is None or item is Ellipsis or isinstance(item, slice | int | np.integer) and \
            not isinstance(item, bool):
        if isinstance(item, slice):
            return slice(*(None if v is None else _index_item(v) for v in (
                item.start, item.stop, item.step)))
        return item if item is None or item is Ellipsis else int(item)
    if isinstance(item, Tensor | Variable):
        v = np.asarray(item)
        if v.ndim == 0 and v.dtype.kind in "iu":
            return int(v)
    raise TypeError(_INDEX_ERROR.format(item))


def getitem(x, key):
    """``t[key]``: basic and strided slicing, ``...`` and ``tf.newaxis``; differentiable."""
    x = tensor(x)
    if not isinstance(key, tuple):
        key = tuple(key) if isinstance(key, list) else (key,)
    key = tuple(_index_item(k) for k in key)
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
        if isinstance(k, int) and not -shape[axis] <= k < shape[axis]:
            # TF reports a negative index after adding the dimension's size once
            raise _slice_error(f"slice index {k + shape[axis] if k < 0 else k} of dimension "
                               f"{axis} out of bounds.")
        if isinstance(k, slice) and k.step == 0:
            raise _slice_error(f"strides[{i}] must be non-zero")
        axis += 1
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
    if src.kind not in "fc":
        return None
    return CAST(g, dtype=src) if _k.dtype_of(g) != src else g


CAST = primitive("Cast", _cast_forward, save=("inputs",)).defvjp(_cast_grad)
CAST.defjvp(lambda t, ans, x, dtype: CAST(t, dtype=dtype) if np.dtype(dtype).kind in "fc" else None)


def cast(x, dtype, name=None):
    """``tf.cast``: the only way to change dtype. The same object when the dtype already matches."""
    dtype = dtypes.as_dtype(dtype)
    if isinstance(x, Tensor | Variable) and x.dtype is dtype:
        return x
    x = tensor(x)
    if x.dtype is dtype:
        return x
    return apply(CAST, (x,), {"dtype": dtype._np})


# --- factories (not differentiable: they make new values) -----------------------------------------

def _dtype(dtype, default=dtypes.float32):
    return (default if dtype is None else dtypes.as_dtype(dtype))._np


def zeros(shape, dtype=dtypes.float32, name=None, layout=None):
    return wrap(np.zeros(_shape_tuple(shape), _dtype(dtype)))


def ones(shape, dtype=dtypes.float32, name=None, layout=None):
    return wrap(np.ones(_shape_tuple(shape), _dtype(dtype)))


def zeros_like(input, dtype=None, name=None, layout=None):  # noqa: A002
    x = tensor(input)
    return wrap(np.zeros_like(x._value, dtype=None if dtype is None else _dtype(dtype)))


def ones_like(input, dtype=None, name=None, layout=None):  # noqa: A002
    x = tensor(input)
    return wrap(np.ones_like(x._value, dtype=None if dtype is None else _dtype(dtype)))


def fill(dims, value, name=None, layout=None):
    v = tensor(value)
    return wrap(np.full(_shape_tuple(dims), v._value, dtype=v._value.dtype))


def range(start, limit=None, delta=1, dtype=None, name="range"):  # noqa: A001 - TF's name
    """``tf.range``: int32 for integer arguments, float32 when any is a float."""
    if limit is None:
        start, limit = 0, start
    values = [np.asarray(v) for v in (start, limit, delta)]
    if dtype is None:
        kinds = {v.dtype.kind for v in values}
        np_dtype = np.float32 if "f" in kinds else np.int32
        for v in (start, limit, delta):
            if isinstance(v, Tensor | Variable):
                np_dtype = np.result_type(np_dtype, np.asarray(v).dtype)
    else:
        np_dtype = _dtype(dtype)
    return wrap(np.arange(*[v.item() for v in values]).astype(np_dtype))


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
    return apply(LINSPACE, (start, stop), {"num": int(num), "axis": axis})


def eye(num_rows, num_columns=None, batch_shape=None, dtype=dtypes.float32, name=None):
    columns = None if num_columns is None else int(num_columns)
    out = np.eye(int(num_rows), columns, dtype=_dtype(dtype))
    if batch_shape is not None:
        out = np.broadcast_to(out, _shape_tuple(batch_shape) + out.shape).copy()
    return wrap(out)


def shape(input, out_type=dtypes.int32, name=None):  # noqa: A002
    return wrap(np.array(tensor(input)._value.shape, _dtype(out_type)))


def size(input, out_type=dtypes.int32, name=None):  # noqa: A002
    return wrap(np.array(tensor(input)._value.size, _dtype(out_type)))


def rank(input, name=None):  # noqa: A002
    return wrap(np.array(tensor(input)._value.ndim, np.int32))


EXPORTS = {
    "": ["broadcast_to", "cast", "expand_dims", "eye", "fill", "linspace", "ones", "ones_like",
         "range", "rank", "reshape", "shape", "size", "squeeze", "transpose", "zeros",
         "zeros_like"],
    "math": [],
}

batched(RESHAPE, TRANSPOSE, BROADCAST_TO, STRIDED_SLICE, STRIDED_SLICE_GRAD, CAST, LINSPACE)
