"""Reductions and scans: reduce_sum/mean/max/min/prod, cumsum, cumprod."""

import numpy as np

from ..engine.core import apply, batched, not_differentiable, primitive
from ..framework import errors
from . import _k
from ._helpers import axis_arg, fallback, index_dtype_error, normalize_axis, tensor
from .array_ops import EXPAND_DIMS, RESHAPE, RESHAPE_LIKE, TRANSPOSE, broadcast_like
from .math_ops import EQUAL, WHERE


def _kept_shape(shape, axis):
    """The reduced shape with the reduced axes kept as 1 (what broadcasting back needs)."""
    if axis is None:
        return (1,) * len(shape)
    return tuple(1 if i in axis else d for i, d in enumerate(shape))


def _with_kept_axes(t, x, axis, keepdims, lead=()):
    """A reduction's result (or cotangent, with ``lead`` batch axes) with its reduced axes back
    as length 1. In a traced graph by inserting axes, never from x's example shape (None dims)."""
    shape = _k.shape_of(x)
    if not _k.symbolic(x):
        return RESHAPE(t, shape=lead + _kept_shape(shape, axis))
    if keepdims:
        return t
    ndim = len(shape)
    return EXPAND_DIMS(t, axis=tuple(i - ndim for i in (range(ndim) if axis is None else axis)))


def _broadcast_back(g, x, axis, keepdims):
    """A reduction's cotangent spread back over the input's shape (batch axes kept in front)."""
    return broadcast_like(_with_kept_axes(g, x, axis, keepdims, _k.lead(g)), x)


def _sum_forward(x, axis, keepdims):
    # The ufunc's reduce directly: np.sum's Python wrapper costs more than a small sum, and
    # dtype= keeps int32 from widening to int64.
    return np.add.reduce(x, axis=axis, keepdims=keepdims, dtype=x.dtype)


SUM = primitive("Sum", _sum_forward, save=()).defvjp(
    lambda g, ans, x, axis, keepdims: _broadcast_back(g, x, axis, keepdims))
SUM.defjvp(lambda t, ans, x, axis, keepdims: SUM(t, axis=axis, keepdims=keepdims))


def _mean_forward(x, axis, keepdims):
    if x.dtype.kind in "iu":
        if not x.size:  # TF's integer mean of nothing is 0
            return np.add.reduce(x, axis=axis, keepdims=keepdims, dtype=x.dtype)
        return np.trunc(np.mean(x, axis=axis, keepdims=keepdims)).astype(x.dtype)
    if x.dtype.kind == "V":  # bfloat16: summed and divided in float32, rounded once (TF)
        total = np.add.reduce(x, axis=axis, keepdims=keepdims, dtype=np.float32)
        return (total / _count(x.shape, axis)).astype(x.dtype)
    # sum / count with the ufunc's reduce: np.mean's Python layer costs more than a small mean.
    return np.add.reduce(x, axis=axis, keepdims=keepdims) / _count(x.shape, axis)


def _count(shape, axis):
    n = 1
    for i, d in enumerate(shape):
        if axis is None or i in axis:
            n *= d
    return n


# The number of elements a mean folds into each result, read from x when a traced graph runs.
_REDUCED_COUNT = not_differentiable(primitive(
    "ReducedCount", lambda x, axis: np.asarray(_count(x.shape, axis), x.dtype), save=()))


def _mean_grad(g, ans, x, axis, keepdims):
    n = _REDUCED_COUNT(x, axis=axis) if _k.symbolic(x) else _count(_k.shape_of(x), axis)
    return _broadcast_back(g, x, axis, keepdims) / n


MEAN = primitive("Mean", _mean_forward, save=()).defvjp(_mean_grad)
MEAN.defjvp(lambda t, ans, x, axis, keepdims: MEAN(t, axis=axis, keepdims=keepdims))


def _extreme_weights(ans, x, axis, keepdims):
    """1/k at each of the k tied extremes of a reduction, 0 elsewhere (TF splits evenly)."""
    y = _with_kept_axes(ans, x, axis, keepdims)
    indicators = WHERE(EQUAL(y, x), _k.ones_like(x), _k.zeros_like(x))
    return indicators / SUM(indicators, axis=axis, keepdims=True)


def _extreme_grad(g, ans, x, axis, keepdims):
    return _broadcast_back(g, x, axis, keepdims) * _extreme_weights(ans, x, axis, keepdims)


def _extreme_jvp(t, ans, x, axis, keepdims):
    return SUM(t * _extreme_weights(ans, x, axis, keepdims), axis=axis, keepdims=keepdims)


def _extreme_forward(fn, x, axis, keepdims):
    if x.size == 0:  # TF's identity: the dtype's lowest value for Max, its highest for Min
        if x.dtype.kind in "fV":
            initial = np.inf if fn is np.min else -np.inf
        else:
            initial = np.iinfo(x.dtype).max if fn is np.min else np.iinfo(x.dtype).min
        return fn(x, axis=axis, keepdims=keepdims, initial=initial)
    return fn(x, axis=axis, keepdims=keepdims)


MAX = primitive("Max", lambda x, axis, keepdims: _extreme_forward(np.max, x, axis, keepdims))
MAX.defvjp(_extreme_grad).defjvp(_extreme_jvp)
MIN = primitive("Min", lambda x, axis, keepdims: _extreme_forward(np.min, x, axis, keepdims))
MIN.defvjp(_extreme_grad).defjvp(_extreme_jvp)


def _cum_forward(fn, x, axis, exclusive, reverse):
    if reverse:
        x = np.flip(x, axis)
    out = fn(x, axis=axis, dtype=x.dtype)  # dtype=: int32 stays int32, as in TF
    if exclusive and out.shape[axis]:
        identity = 0 if fn is np.cumsum else 1
        out = np.concatenate([np.full_like(np.take(out, [0], axis=axis), identity),
                              np.delete(out, -1, axis=axis)], axis=axis)
    return np.flip(out, axis) if reverse else out


CUMSUM = primitive("Cumsum", lambda x, axis, exclusive, reverse: _cum_forward(
    np.cumsum, x, axis, exclusive, reverse), save=()).defvjp(
    lambda g, ans, x, axis, exclusive, reverse: CUMSUM(
        g, axis=axis + len(_k.lead(g)), exclusive=exclusive, reverse=not reverse))
CUMSUM.defjvp(lambda t, ans, x, axis, exclusive, reverse: CUMSUM(
    t, axis=axis, exclusive=exclusive, reverse=reverse))


def _div_no_nan(a, b):
    # 0 where b == 0; the inner where keeps higher derivatives finite there too.
    zero = b == 0
    return WHERE(zero, _k.zeros_like(a), a / WHERE(zero, _k.ones_like(b), b))


CUMPROD = primitive("Cumprod", lambda x, axis, exclusive, reverse: _cum_forward(
    np.cumprod, x, axis, exclusive, reverse)).defvjp(
    # TF's rule divides with div_no_nan: 0 (not the true value) at zeros of x, never nan.
    lambda g, ans, x, axis, exclusive, reverse: _div_no_nan(CUMSUM(
        ans * g, axis=axis + len(_k.lead(g)), exclusive=exclusive, reverse=not reverse),
        _k.conj(x)))


def _flat_shape(x, shape, red, keep):
    """(reduced, kept) element counts; not -1 in eager code (n_red may be 0), and -1 for the side
    a traced graph's None dims leave unknown."""
    if not _k.symbolic(x):
        return (_count(shape, red), _count(shape, keep))
    dims = x.shape.as_list()

    def unknown(axes):
        return None in [dims[i] for i in axes]

    if unknown(red):  # both unknown: (-1, example count) fails loudly when the graph runs
        return (-1, _count(shape, keep))
    return (_count(shape, red), -1 if unknown(keep) else _count(shape, keep))


def _prod_grad(g, ans, x, axis, keepdims):
    # TF: products of everything but x_i via exclusive cumulative products, never ans / x,
    # so zeros in x give finite, correct gradients.
    shape = _k.shape_of(x)
    ndim = len(shape)
    red = tuple(range(ndim)) if axis is None else axis
    keep = tuple(i for i in range(ndim) if i not in red)
    perm = red + keep
    moved = TRANSPOSE(x, perm=perm)
    flat = RESHAPE(moved, shape=_flat_shape(x, shape, red, keep))
    left = CUMPROD(flat, axis=0, exclusive=True, reverse=False)
    right = CUMPROD(flat, axis=0, exclusive=True, reverse=True)
    if _k.symbolic(x):
        others = RESHAPE_LIKE(left * right, moved, lead=0)
    else:
        others = RESHAPE(left * right, shape=tuple(shape[i] for i in perm))
    inverse = tuple(np.argsort(perm))
    return _broadcast_back(g, x, axis, keepdims) * _k.conj(TRANSPOSE(others, perm=inverse))


PROD = primitive("Prod", lambda x, axis, keepdims: np.prod(x, axis=axis, keepdims=keepdims,
                                                           dtype=x.dtype),
                 save=("inputs",)).defvjp(_prod_grad)


_NUMBER_T = ("float, double, int32, uint8, int16, int8, complex64, int64, qint8, quint8, qint32, "
             "bfloat16, qint16, quint16, uint16, complex128, half, uint32, uint64")
_REAL_T = ("float, double, int32, uint8, int16, int8, int64, bfloat16, uint16, half, uint32, "
           "uint64, qint8, quint8, qint32, qint16, quint16")


def _check_reduction_dtype(x, op_type, kinds):
    """TF's kernel-registration error for a reduction of bool (or string) values."""
    if x._value.dtype.kind in kinds:
        return
    allowed = _REAL_T if "c" not in kinds else _NUMBER_T
    dts = ", ".join("DT_" + n.upper() for n in allowed.split(", "))
    raise errors.op_error(op_type, f"Value for attr 'T' of {x.dtype._op_name} is not in the list "
                          f"of allowed values: {allowed}\n\t; NodeDef: {{{{node {op_type}}}}}; "
                          f"Op<name={op_type}; signature=input:T, reduction_indices:Tidx -> "
                          f"output:T; attr=keep_dims:bool,default=false; "
                          f"attr=T:type,allowed=[{dts}]; "
                          f"attr=Tidx:type,default=DT_INT32,allowed=[DT_INT32, DT_INT64]>")


def _reduction(prim, doc, kinds="fiucV"):  # V: bfloat16
    def op(input_tensor, axis=None, keepdims=False, name=None):
        try:
            x = tensor(input_tensor)
        except (TypeError, ValueError) as e:  # a RaggedTensor's reduction (see _helpers)
            return fallback(op, e, input_tensor, axis, keepdims, name)
        _check_reduction_dtype(x, prim.name, kinds)
        return apply(prim, (x,), {"axis": normalize_axis(axis, x._value.ndim, prim.name),
                                  "keepdims": bool(keepdims)})
    op.__doc__ = doc
    return op


reduce_sum = _reduction(SUM, "``tf.reduce_sum``: the sum over ``axis`` (all axes when None).")
reduce_mean = _reduction(MEAN, "``tf.reduce_mean``: the mean over ``axis`` (integers truncate).")
reduce_max = _reduction(MAX, "``tf.reduce_max``: ties share the gradient evenly.", "fiuV")
reduce_min = _reduction(MIN, "``tf.reduce_min``: ties share the gradient evenly.", "fiuV")
reduce_prod = _reduction(PROD, "``tf.reduce_prod``: finite gradients even with zeros.")


def _scan(prim, doc):
    def op(x, axis=0, exclusive=False, reverse=False, name=None):
        try:
            x = tensor(x)
        except (TypeError, ValueError) as e:  # a RaggedTensor's scan (see _helpers)
            return fallback(op, e, x, axis, exclusive, reverse, name)
        if x._value.dtype.kind not in "fiucV":
            raise index_dtype_error(prim.name, "T", x.dtype, "")
        ndim = x._value.ndim
        axis = axis_arg(axis, prim.name, not_scalar="ScanOp: axis must be a scalar, not [{}]",
                        strict=True)
        if not -ndim <= axis < ndim:
            raise errors.op_error(prim.name, f"ScanOp: Expected scan axis in the range [{-ndim}, "
                                  f"{ndim}), but got {axis}", kernel=True)
        return apply(prim, (x,), {"axis": axis % max(ndim, 1),
                                  "exclusive": bool(exclusive), "reverse": bool(reverse)})
    op.__doc__ = doc
    return op


cumsum = _scan(CUMSUM, "``tf.math.cumsum`` along ``axis`` (optionally exclusive / reversed).")
cumprod = _scan(CUMPROD, "``tf.math.cumprod`` along ``axis`` (optionally exclusive / reversed).")

EXPORTS = {
    "": ["reduce_max", "reduce_mean", "reduce_min", "reduce_prod", "reduce_sum"],
    "math": ["reduce_max", "reduce_mean", "reduce_min", "reduce_prod", "reduce_sum", "cumsum",
             "cumprod"],
}

batched(SUM, MEAN, MAX, MIN, CUMSUM, CUMPROD, PROD)
