"""``keras.ops.numpy``: Keras 3's NumPy-like functions, built from differentiable tapeflow ops.

Argument names and dtype rules follow Keras 3 on the TensorFlow backend (``mean`` of integers is
``float32``, ``sum`` of ``int8`` is ``int32``, mixed dtypes promote as in ``_base``). The few
functions whose output shape depends on values (``unique``, ``nonzero``, ``histogram``...)
compute on NumPy and return constants, as they are not differentiable anyway.
"""

import builtins as _builtins
import math as _math
import warnings as _warnings

import numpy as _np

import tapeflow as _tf

from ._base import host as _host
from ._base import make_symbolic as _make_symbolic
from ._base import axis_list as _axis
from ._base import floating as _floating
from ._base import float_of as _float_of
from ._base import promote as _promote
from ._base import result_type as _result_type
from ._base import tensor as _t
from ._base import _FLOATX


def _const(value, dtype=None):
    value = _np.asarray(value)
    return _tf.constant(value if dtype is None else value.astype(dtype))


def _floatx(dtype):
    return _FLOATX[0] if dtype is None else _tf.as_dtype(dtype).name


def _unary_float(fn):
    def op(x):
        return fn(_floating(x))
    return op


def _binary(fn):
    def op(x1, x2):
        return fn(*_promote(x1, x2))
    return op


def _binary_float(fn):
    def op(x1, x2):
        dtype = _float_of(x1, x2)
        return fn(_t(x1, dtype), _t(x2, dtype))
    return op


def _name(fn, name):
    fn.__name__ = fn.__qualname__ = name
    return fn


# ---- elementwise ----------------------------------------------------------------------------

def abs(x):
    x = _t(x)
    return x if x.dtype.is_bool else _tf.abs(x)


absolute = _name(lambda x: abs(x), "absolute")
fabs = _name(lambda x: _tf.abs(_floating(x)), "fabs")

for _n, _f in [("sqrt", _tf.sqrt), ("exp", _tf.exp), ("expm1", _tf.math.expm1),
               ("log", _tf.math.log), ("log1p", _tf.math.log1p), ("sin", _tf.sin),
               ("cos", _tf.cos), ("tan", _tf.tan), ("sinh", _tf.sinh), ("cosh", _tf.cosh),
               ("tanh", _tf.tanh), ("arcsin", _tf.asin), ("arccos", _tf.acos),
               ("arctan", _tf.atan), ("arcsinh", _tf.asinh), ("arccosh", _tf.acosh),
               ("arctanh", _tf.atanh), ("floor", _tf.floor), ("ceil", _tf.math.ceil),
               ("i0", _tf.math.bessel_i0)]:
    globals()[_n] = _name(_unary_float(_f), _n)


def log2(x):
    x = _floating(x)
    return _tf.math.log(x) / _tf.cast(_math.log(2.0), x.dtype)


def log10(x):
    x = _floating(x)
    return _tf.math.log(x) / _tf.cast(_math.log(10.0), x.dtype)


def exp2(x):
    x = _floating(x)
    return _tf.pow(_tf.cast(2.0, x.dtype), x)


def cbrt(x):
    x = _floating(x)
    return _tf.sign(x) * _tf.pow(_tf.abs(x), _tf.cast(1.0 / 3.0, x.dtype))


def reciprocal(x):
    return _tf.math.reciprocal(_t(x))


def negative(x):
    return _tf.negative(_t(x))


def square(x):
    x = _t(x)
    return _tf.square(_tf.cast(x, "int32") if x.dtype.is_bool else x)


def sign(x):
    return _tf.sign(_t(x))


def round(x, decimals=0):
    x = _t(x)
    if decimals == 0:
        return _tf.round(x) if x.dtype.is_floating else x
    scale = _tf.cast(10.0 ** decimals, x.dtype) if x.dtype.is_floating else None
    if scale is None:
        factor = 10 ** (-decimals) if decimals < 0 else 1
        return _tf.cast(_tf.round(_tf.cast(x, "float32") / factor) * factor, x.dtype)
    return _tf.round(x * scale) / scale


def trunc(x):
    x = _t(x)
    return _tf.where(x < 0, _tf.math.ceil(x), _tf.floor(x)) if x.dtype.is_floating else x


def signbit(x):
    x = _t(x)
    if x.dtype.is_bool:
        return _tf.zeros_like(x)
    if x.dtype.is_floating:  # the sign bit of the bytes (-0.0 and -nan too): ops a graph runs
        return _tf.bitcast(x, {2: "int16", 4: "int32", 8: "int64"}[x.dtype.size]) < 0
    return x < 0


def sinc(x):
    x = _floating(x)
    pix = _tf.cast(_math.pi, x.dtype) * x
    safe = _tf.where(_tf.equal(x, 0), _tf.ones_like(x), pix)
    return _tf.where(_tf.equal(x, 0), _tf.ones_like(x), _tf.sin(safe) / safe)


def deg2rad(x):
    x = _floating(x)
    return x * _tf.cast(_math.pi / 180.0, x.dtype)


def rad2deg(x):
    x = _floating(x)
    return x * _tf.cast(180.0 / _math.pi, x.dtype)


def real(x):
    x = _t(x)
    return _tf.math.real(x) if x.dtype.is_complex else x


def imag(x):
    x = _t(x)
    return _tf.math.imag(x) if x.dtype.is_complex else _tf.zeros_like(x)


def conj(x):
    x = _t(x)
    return _tf.math.conj(x) if x.dtype.is_complex else x


conjugate = _name(lambda x: conj(x), "conjugate")


def angle(x):
    x = _t(x)
    if x.dtype.is_complex:
        return _tf.math.angle(x)
    x = _floating(x)
    return _tf.where(x < 0, _tf.cast(_math.pi, x.dtype) * _tf.ones_like(x), _tf.zeros_like(x))


def isfinite(x):
    x = _t(x)
    return _tf.math.is_finite(x) if x.dtype.is_floating else _tf.ones_like(x, dtype="bool")


def isinf(x):
    x = _t(x)
    return _tf.math.is_inf(x) if x.dtype.is_floating else _tf.zeros_like(x, dtype="bool")


def isnan(x):
    x = _t(x)
    return _tf.math.is_nan(x) if x.dtype.is_floating else _tf.zeros_like(x, dtype="bool")


def isposinf(x):
    x = _t(x)
    return _tf.logical_and(isinf(x), x > 0) if x.dtype.is_floating else isinf(x)


def isneginf(x):
    x = _t(x)
    return _tf.logical_and(isinf(x), x < 0) if x.dtype.is_floating else isinf(x)


def isreal(x):
    x = _t(x)
    return _tf.equal(_tf.math.imag(x), 0) if x.dtype.is_complex else _tf.ones_like(x, "bool")


def nan_to_num(x, nan=0.0, posinf=None, neginf=None):
    x = _t(x)
    if not x.dtype.is_floating:
        return x
    big = _np.finfo(x.dtype.name).max
    x = _tf.where(_tf.math.is_nan(x), _tf.cast(nan, x.dtype), x)
    x = _tf.where(isposinf(x), _tf.cast(big if posinf is None else posinf, x.dtype), x)
    return _tf.where(isneginf(x), _tf.cast(-big if neginf is None else neginf, x.dtype), x)


def clip(x, x_min, x_max):
    x = _t(x)
    if x.dtype.is_bool:
        x = _tf.cast(x, "int32")
    return _tf.clip_by_value(x, _tf.cast(x_min, x.dtype), _tf.cast(x_max, x.dtype))


# ---- binary ---------------------------------------------------------------------------------

add = _name(_binary(_tf.add), "add")
subtract = _name(_binary(_tf.subtract), "subtract")
multiply = _name(_binary(_tf.multiply), "multiply")
maximum = _name(_binary(_tf.maximum), "maximum")
minimum = _name(_binary(_tf.minimum), "minimum")
fmax = _name(lambda x1, x2: _nan_aware(_tf.maximum, x1, x2), "fmax")
fmin = _name(lambda x1, x2: _nan_aware(_tf.minimum, x1, x2), "fmin")
equal = _name(_binary(_tf.equal), "equal")
not_equal = _name(_binary(_tf.not_equal), "not_equal")
greater = _name(_binary(_tf.greater), "greater")
greater_equal = _name(_binary(_tf.greater_equal), "greater_equal")
less = _name(_binary(_tf.less), "less")
less_equal = _name(_binary(_tf.less_equal), "less_equal")
divide = _name(_binary_float(_tf.divide), "divide")
true_divide = _name(lambda x1, x2: divide(x1, x2), "true_divide")
divide_no_nan = _name(_binary_float(_tf.math.divide_no_nan), "divide_no_nan")
arctan2 = _name(_binary_float(_tf.atan2), "arctan2")
nextafter = _name(_binary_float(_tf.math.nextafter), "nextafter")


def _nan_aware(fn, x1, x2):
    x1, x2 = _promote(x1, x2)
    if not x1.dtype.is_floating:
        return fn(x1, x2)
    return _tf.where(_tf.math.is_nan(x1), x2, _tf.where(_tf.math.is_nan(x2), x1, fn(x1, x2)))


def power(x1, x2):
    x1, x2 = _promote(x1, x2)
    return _tf.pow(x1, x2)


def floor_divide(x1, x2):
    x1, x2 = _promote(x1, x2)
    if x1.dtype.is_bool:
        x1, x2 = _tf.cast(x1, "int32"), _tf.cast(x2, "int32")
    return _tf.math.floordiv(x1, x2)


def mod(x1, x2):
    x1, x2 = _promote(_t(x1), _t(x2))
    if x1.dtype.is_bool:
        x1, x2 = _tf.cast(x1, "int32"), _tf.cast(x2, "int32")
    return _tf.math.floormod(x1, x2)


def fmod(x1, x2):
    x1, x2 = _promote(_t(x1), _t(x2))
    if x1.dtype.is_bool:
        x1, x2 = _tf.cast(x1, "int32"), _tf.cast(x2, "int32")
    return _tf.truncatemod(x1, x2)


def hypot(x1, x2):
    dtype = _float_of(x1, x2)
    x1, x2 = _t(x1, dtype), _t(x2, dtype)
    return _tf.sqrt(_tf.square(x1) + _tf.square(x2))


def logaddexp(x1, x2):
    dtype = _float_of(x1, x2)
    x1, x2 = _t(x1, dtype), _t(x2, dtype)
    big = _tf.maximum(x1, x2)
    return big + _tf.math.log1p(_tf.exp(-_tf.abs(x1 - x2)))


def logaddexp2(x1, x2):
    dtype = _float_of(x1, x2)
    ln2 = _tf.cast(_math.log(2.0), dtype)
    return logaddexp(_t(x1, dtype) * ln2, _t(x2, dtype) * ln2) / ln2


def heaviside(x1, x2):
    x1, x2 = _promote(x1, x2)
    if x1.dtype.is_bool or x1.dtype.is_integer:
        x1, x2 = _tf.cast(x1, _FLOATX[0]), _tf.cast(x2, _FLOATX[0])
    return _tf.where(x1 > 0, _tf.ones_like(x1), _tf.where(_tf.equal(x1, 0), x2,
                                                          _tf.zeros_like(x1)))


def ldexp(x1, x2):
    x1 = _floating(x1)
    return x1 * _tf.pow(_tf.cast(2.0, x1.dtype), _tf.cast(x2, x1.dtype))


def _integer_binary(fn, name):
    """An integer function computed by NumPy on the promoted values (not differentiable)."""
    def op(x1, x2):
        x1, x2 = _promote(x1, x2)
        return _const(fn(_host(x1), _host(x2)))
    return _name(op, name)


gcd = _integer_binary(_np.gcd, "gcd")
lcm = _integer_binary(_np.lcm, "lcm")


def _bool(x):
    x = _t(x)
    return x if x.dtype.is_bool else _tf.not_equal(x, _tf.zeros_like(x))


def logical_and(x1, x2):
    return _tf.logical_and(_bool(x1), _bool(x2))


def logical_or(x1, x2):
    return _tf.logical_or(_bool(x1), _bool(x2))


def logical_xor(x1, x2):
    return _tf.math.logical_xor(_bool(x1), _bool(x2))


def logical_not(x):
    return _tf.logical_not(_bool(x))


def _bitwise(fn):
    def op(x, y):
        x, y = _promote(x, y)
        return fn(x, y)
    return op


bitwise_and = _name(_bitwise(_tf.bitwise.bitwise_and), "bitwise_and")
bitwise_or = _name(_bitwise(_tf.bitwise.bitwise_or), "bitwise_or")
bitwise_xor = _name(_bitwise(_tf.bitwise.bitwise_xor), "bitwise_xor")


def bitwise_invert(x):
    x = _t(x)
    return _tf.logical_not(x) if x.dtype.is_bool else _tf.bitwise.invert(x)


bitwise_not = _name(lambda x: bitwise_invert(x), "bitwise_not")


bitwise_left_shift = _integer_binary(_np.left_shift, "bitwise_left_shift")
bitwise_right_shift = _integer_binary(_np.right_shift, "bitwise_right_shift")


left_shift = _name(lambda x, y: bitwise_left_shift(x, y), "left_shift")
right_shift = _name(lambda x, y: bitwise_right_shift(x, y), "right_shift")


def isclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    x1, x2 = _promote(x1, x2)
    if not x1.dtype.is_floating:
        return _tf.equal(x1, x2)
    close = _tf.abs(x1 - x2) <= _tf.cast(atol, x1.dtype) + _tf.cast(rtol, x1.dtype) * _tf.abs(x2)
    close = _tf.logical_or(close, _tf.equal(x1, x2))
    if equal_nan:
        close = _tf.logical_or(close, _tf.logical_and(_tf.math.is_nan(x1), _tf.math.is_nan(x2)))
    return close


def allclose(x1, x2, rtol=1e-5, atol=1e-8, equal_nan=False):
    return _tf.reduce_all(isclose(x1, x2, rtol, atol, equal_nan))


def isin(x1, x2, assume_unique=False, invert=False):
    x1, x2 = _promote(x1, x2)
    found = _tf.reduce_any(_tf.equal(_tf.expand_dims(x1, -1), _tf.reshape(x2, [-1])), axis=-1)
    return _tf.logical_not(found) if invert else found


# ---- reductions -----------------------------------------------------------------------------

def _sum_dtype(x):
    name = x.dtype.name
    return {"bool": "int32", "int8": "int32", "int16": "int32", "uint8": "uint32",
            "uint16": "uint32"}.get(name, name)


def sum(x, axis=None, keepdims=False):
    x = _t(x)
    return _tf.reduce_sum(_tf.cast(x, _sum_dtype(x)), axis=_axis(axis), keepdims=keepdims)


def prod(x, axis=None, keepdims=False, dtype=None):
    x = _t(x)
    x = _tf.cast(x, dtype or _sum_dtype(x))
    return _tf.reduce_prod(x, axis=_axis(axis), keepdims=keepdims)


def mean(x, axis=None, keepdims=False):
    return _tf.reduce_mean(_floating(x), axis=_axis(axis), keepdims=keepdims)


def var(x, axis=None, keepdims=False):
    return _tf.math.reduce_variance(_floating(x), axis=_axis(axis), keepdims=keepdims)


def std(x, axis=None, keepdims=False):
    return _tf.math.reduce_std(_floating(x), axis=_axis(axis), keepdims=keepdims)


def _minmax(fn, x, axis, keepdims, initial, other):
    x = _t(x)
    cast = x.dtype.is_bool
    y = fn(_tf.cast(x, "int32") if cast else x, axis=_axis(axis), keepdims=keepdims)
    if initial is not None:
        y = other(y, _tf.cast(initial, y.dtype))
    return _tf.cast(y, "bool") if cast else y


def max(x, axis=None, keepdims=False, initial=None):
    return _minmax(_tf.reduce_max, x, axis, keepdims, initial, _tf.maximum)


def min(x, axis=None, keepdims=False, initial=None):
    return _minmax(_tf.reduce_min, x, axis, keepdims, initial, _tf.minimum)


amax = _name(lambda x, axis=None, keepdims=False: max(x, axis, keepdims), "amax")
amin = _name(lambda x, axis=None, keepdims=False: min(x, axis, keepdims), "amin")


def ptp(x, axis=None, keepdims=False):
    return max(x, axis, keepdims) - min(x, axis, keepdims)


def all(x, axis=None, keepdims=False):
    return _tf.reduce_all(_t(x, "bool"), axis=_axis(axis), keepdims=keepdims)


def any(x, axis=None, keepdims=False):
    return _tf.reduce_any(_t(x, "bool"), axis=_axis(axis), keepdims=keepdims)


def count_nonzero(x, axis=None):
    x = _t(x)
    return _tf.reduce_sum(_tf.cast(_tf.not_equal(x, _tf.zeros_like(x)), "int32"),
                          axis=_axis(axis))


def average(x, axis=None, weights=None):
    if weights is None:
        return mean(x, axis)
    dtype = _float_of(x, weights)
    x, weights = _t(x, dtype), _t(weights, dtype)
    if weights.shape.rank == 1 and x.shape.rank > 1 and axis is not None:
        shape = [1] * x.shape.rank
        shape[axis] = -1
        weights = _tf.reshape(weights, shape)
    return (_tf.reduce_sum(x * weights, axis=axis) /
            _tf.reduce_sum(weights * _tf.ones_like(x), axis=axis))


def _argreduce(fn, x, axis, keepdims):
    x = _t(x)
    if x.dtype.is_bool:
        x = _tf.cast(x, "int32")
    if axis is None:
        out = fn(_tf.reshape(x, [-1]), axis=0, output_type="int32")
        return _tf.reshape(out, [1] * x.shape.rank) if keepdims else out
    out = fn(x, axis=axis, output_type="int32")
    return _tf.expand_dims(out, axis) if keepdims else out


def argmax(x, axis=None, keepdims=False):
    return _argreduce(_tf.argmax, x, axis, keepdims)


def argmin(x, axis=None, keepdims=False):
    return _argreduce(_tf.argmin, x, axis, keepdims)


def _cumulative(fn, x, axis, dtype):
    x = _t(x, dtype)
    if x.dtype.is_bool:
        x = _tf.cast(x, "int32")
    if axis is None:
        x, axis = _tf.reshape(x, [-1]), 0
    return fn(x, axis=axis)


def cumsum(x, axis=None, dtype=None):
    return _cumulative(_tf.cumsum, x, axis, dtype)


def cumprod(x, axis=None, dtype=None):
    return _cumulative(_tf.math.cumprod, x, axis, dtype)


def _quiet(fn, *args, **kwargs):
    """``fn`` without NumPy's warnings (an all-NaN slice gives NaN, as in Keras)."""
    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore", RuntimeWarning)
        return fn(*args, **kwargs)


def _quantile_np(fn, x, q, axis, method, keepdims):
    x = _floating(x)
    out = _quiet(fn, _host(x), _np.asarray(q), axis=axis, method=method, keepdims=keepdims)
    return _const(out, x.dtype.name)


def quantile(x, q, axis=None, method="linear", keepdims=False):
    """Quantiles from a sort and a gather (differentiable, traceable): ``q``'s axes come first,
    as in NumPy; ``method`` is linear, lower, higher, midpoint or nearest."""
    x = _floating(x)
    q = _t(q, x.dtype)
    rank = x.shape.rank
    axes = list(range(rank)) if axis is None else \
        sorted(a % rank for a in (axis if isinstance(axis, (list, tuple)) else [axis]))
    kept = [a for a in range(rank) if a not in axes]
    moved = _tf.transpose(x, kept + axes)
    flat = _tf.reshape(moved, [x.shape[a] for a in kept] + [-1])
    ordered = _tf.sort(flat, axis=-1)
    n = flat.shape[-1]
    position = _tf.reshape(q, [-1]) * (n - 1)
    low, high = _tf.floor(position), _tf.math.ceil(position)

    def pick(index):
        return _tf.gather(ordered, _tf.cast(index, "int32"), axis=-1)
    if method == "linear":
        out = pick(low) + (pick(high) - pick(low)) * (position - low)
    elif method == "lower":
        out = pick(low)
    elif method == "higher":
        out = pick(high)
    elif method == "midpoint":
        out = (pick(low) + pick(high)) / 2
    elif method == "nearest":
        out = pick(_tf.round(position))
    else:
        raise ValueError("`method` must be one of 'linear', 'lower', 'higher', 'midpoint' or "
                         f"'nearest'. Received: method={method}")
    out = _tf.transpose(out, [out.shape.rank - 1] + list(range(out.shape.rank - 1)))
    if keepdims:
        shape = [1 if a in axes else x.shape[a] for a in range(rank)]
        out = _tf.reshape(out, [-1] + shape)
    return _tf.reshape(out, list(q.shape) + list(out.shape[1:]))


def percentile(x, q, axis=None, method="linear", keepdims=False):
    x = _floating(x)
    return quantile(x, _t(q, x.dtype) / 100.0, axis, method, keepdims)


def median(x, axis=None, keepdims=False):
    return quantile(x, 0.5, axis=axis, keepdims=keepdims)


def _nan_reduce(fn, x, fill, axis, keepdims, **kw):
    x = _t(x)
    if x.dtype.is_floating:
        x = _tf.where(_tf.math.is_nan(x), _tf.cast(fill, x.dtype), x)
    return fn(x, axis=axis, keepdims=keepdims, **kw)


def nansum(x, axis=None, keepdims=False):
    return _nan_reduce(sum, x, 0, axis, keepdims)


def nanprod(x, axis=None, keepdims=False):
    return _nan_reduce(prod, x, 1, axis, keepdims)


def _valid(x):
    x = _floating(x)
    return x, _tf.logical_not(_tf.math.is_nan(x))


def nanmean(x, axis=None, keepdims=False):
    x, ok = _valid(x)
    total = _tf.reduce_sum(_tf.where(ok, x, _tf.zeros_like(x)), axis=_axis(axis),
                           keepdims=keepdims)
    return total / _tf.reduce_sum(_tf.cast(ok, x.dtype), axis=_axis(axis), keepdims=keepdims)


def nanvar(x, axis=None, keepdims=False):
    x, ok = _valid(x)
    centred = x - nanmean(x, axis, keepdims=True)
    return nanmean(_tf.where(ok, _tf.square(centred), centred), axis, keepdims)


def nanstd(x, axis=None, keepdims=False):
    return _tf.sqrt(nanvar(x, axis, keepdims))


def _nan_np(fn, x, axis, keepdims):
    x = _t(x)
    return _const(_quiet(fn, _host(x), axis=_axis(axis), keepdims=keepdims), x.dtype.name)


def nanmax(x, axis=None, keepdims=False):
    return _nan_np(_np.nanmax, x, axis, keepdims)


def nanmin(x, axis=None, keepdims=False):
    return _nan_np(_np.nanmin, x, axis, keepdims)


def nanmedian(x, axis=None, keepdims=False):
    x = _floating(x)
    return _nan_np(_np.nanmedian, x, axis, keepdims)


def nanquantile(x, q, axis=None, method="linear", keepdims=False):
    return _quantile_np(_np.nanquantile, x, _host(_t(q)), axis, method, keepdims)


def nanpercentile(x, q, axis=None, method="linear", keepdims=False):
    return _quantile_np(_np.nanpercentile, x, _host(_t(q)), axis, method, keepdims)


def nanargmax(x, axis=None, keepdims=False):
    x = _t(x)
    return _const(_np.nanargmax(_host(x), axis=axis, keepdims=keepdims), "int32")


def nanargmin(x, axis=None, keepdims=False):
    x = _t(x)
    return _const(_np.nanargmin(_host(x), axis=axis, keepdims=keepdims), "int32")


def nancumsum(x, axis=None, dtype=None):
    x = _t(x, dtype)
    if x.dtype.is_floating:
        x = _tf.where(_tf.math.is_nan(x), _tf.zeros_like(x), x)
    return cumsum(x, axis)


def nancumprod(x, axis=None, dtype=None):
    x = _t(x, dtype)
    if x.dtype.is_floating:
        x = _tf.where(_tf.math.is_nan(x), _tf.ones_like(x), x)
    return cumprod(x, axis)


# ---- creation -------------------------------------------------------------------------------

def array(x, dtype=None):
    return _t(x, dtype)


def copy(x):
    return _tf.identity(_t(x))


def zeros(shape, dtype=None):
    return _tf.zeros(shape, dtype=_floatx(dtype))


def ones(shape, dtype=None):
    return _tf.ones(shape, dtype=_floatx(dtype))


def empty(shape, dtype=None):
    return zeros(shape, dtype)


def full(shape, fill_value, dtype=None):
    return _tf.fill(shape, _t(fill_value, _floatx(dtype)))


def zeros_like(x, dtype=None):
    return _tf.zeros_like(_t(x), dtype=dtype)


def ones_like(x, dtype=None):
    return _tf.ones_like(_t(x), dtype=dtype)


def empty_like(x, dtype=None):
    return zeros_like(x, dtype)


def full_like(x, fill_value, dtype=None):
    x = _t(x)
    return _tf.fill(_tf.shape(x), _t(fill_value, dtype or x.dtype))


def identity(n, dtype=None):
    return eye(n, dtype=dtype)


def eye(N, M=None, k=0, dtype=None):
    return _const(_np.eye(N, M, k), _floatx(dtype))


def tri(N, M=None, k=0, dtype=None):
    return _const(_np.tri(N, M, k), _floatx(dtype))


def arange(start, stop=None, step=None, dtype=None):
    if dtype is None:
        dtype = _result_type(*(v for v in (start, stop, step) if v is not None))
    if stop is None:
        start, stop = 0, start
    return _tf.range(start, stop, 1 if step is None else step, dtype=dtype)


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    dtype = dtype or _float_of(start, stop)
    start, stop = _t(start, dtype), _t(stop, dtype)
    if endpoint:
        out = _tf.linspace(start, stop, num, axis=axis)
        step = (stop - start) / _builtins.max(num - 1, 1)
    else:
        step = (stop - start) / num
        out = _tf.linspace(start, stop - step, num, axis=axis) if num > 1 else \
            _tf.linspace(start, stop, num, axis=axis)
    out = _tf.cast(out, dtype)
    return (out, step) if retstep else out


def logspace(start, stop, num=50, endpoint=True, base=10, dtype=None, axis=0):
    dtype = dtype or _float_of(start, stop)
    exps = linspace(start, stop, num, endpoint=endpoint, dtype=dtype, axis=axis)
    return _tf.pow(_tf.cast(base, dtype), exps)


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    dtype = dtype or _float_of(start, stop)
    start, stop = _t(start, dtype), _t(stop, dtype)
    exps = linspace(_tf.math.log(start), _tf.math.log(stop), num, endpoint=endpoint,
                    dtype=dtype, axis=axis)
    return _tf.exp(exps)


def meshgrid(*x, indexing="xy"):
    return _tf.meshgrid(*(_t(v) for v in x), indexing=indexing)


def _window(fn, x):
    return _const(fn(int(x)), _FLOATX[0])


def bartlett(x):
    return _window(_np.bartlett, x)


def blackman(x):
    return _window(_np.blackman, x)


def hamming(x):
    return _window(_np.hamming, x)


def hanning(x):
    return _window(_np.hanning, x)


def kaiser(x, beta):
    return _const(_np.kaiser(int(x), beta), _FLOATX[0])


def vander(x, N=None, increasing=False):
    x = _t(x)
    n = x.shape[0] if N is None else N
    powers = _tf.range(n) if increasing else _tf.range(n - 1, -1, -1)
    if x.dtype.is_integer:
        return _tf.pow(_tf.expand_dims(x, -1), _tf.cast(powers, x.dtype))
    return _tf.pow(_tf.expand_dims(x, -1), _tf.cast(powers, x.dtype))


# ---- shape and indexing ---------------------------------------------------------------------

def ndim(x):
    return len(x.shape) if hasattr(x, "shape") else _t(x).shape.rank


def size(x):
    return _tf.size(_t(x), out_type="int32")


def reshape(x, newshape):
    return _tf.reshape(_t(x), [newshape] if isinstance(newshape, int) else newshape)


def ravel(x):
    return _tf.reshape(_t(x), [-1])


def transpose(x, axes=None):
    return _tf.transpose(_t(x), perm=axes)


def swapaxes(x, axis1, axis2):
    x = _t(x)
    perm = list(range(x.shape.rank))
    perm[axis1], perm[axis2] = perm[axis2], perm[axis1]
    return _tf.transpose(x, perm)


def moveaxis(x, source, destination):
    x = _t(x)
    rank = x.shape.rank
    source = [source] if isinstance(source, int) else list(source)
    destination = [destination] if isinstance(destination, int) else list(destination)
    source = [s % rank for s in source]
    destination = [d % rank for d in destination]
    perm = [i for i in range(rank) if i not in source]
    for d, s in sorted(zip(destination, source)):
        perm.insert(d, s)
    return _tf.transpose(x, perm)


def expand_dims(x, axis):
    x = _t(x)
    for a in sorted(axis) if isinstance(axis, (list, tuple)) else [axis]:
        x = _tf.expand_dims(x, a)
    return x


def squeeze(x, axis=None):
    return _tf.squeeze(_t(x), axis=axis)


def broadcast_to(x, shape):
    return _tf.broadcast_to(_t(x), shape)


def concatenate(xs, axis=0):
    xs = _promote(*xs)
    if axis is None:
        xs, axis = [_tf.reshape(x, [-1]) for x in xs], 0
    return _tf.concat(xs, axis=axis)


def append(x1, x2, axis=None):
    return concatenate([x1, x2], axis)


def stack(x, axis=0):
    return _tf.stack(_promote(*x), axis=axis)


def hstack(xs):
    xs = _promote(*xs)
    return _tf.concat(xs, axis=0 if xs[0].shape.rank == 1 else 1)


def vstack(xs):
    return _tf.concat(_promote(*xs), axis=0)


def dstack(xs):
    out = []
    for x in _promote(*xs):
        x = _tf.reshape(x, [1, -1, 1]) if x.shape.rank == 1 else x
        out.append(_tf.expand_dims(x, -1) if x.shape.rank == 2 else x)
    return _tf.concat(out, axis=2)


def split(x, indices_or_sections, axis=0):
    x = _t(x)
    if isinstance(indices_or_sections, int):
        return _tf.split(x, indices_or_sections, axis=axis)
    bounds = [0, *indices_or_sections, x.shape[axis]]
    return _tf.split(x, [b - a for a, b in zip(bounds, bounds[1:])], axis=axis)


def array_split(x, indices_or_sections, axis=0):
    x = _t(x)
    n, k = x.shape[axis], indices_or_sections
    sizes = [n // k + (1 if i < n % k else 0) for i in range(k)]
    return _tf.split(x, sizes, axis=axis)


def hsplit(x, indices_or_sections):
    return split(x, indices_or_sections, axis=0 if _t(x).shape.rank == 1 else 1)


def vsplit(x, indices_or_sections):
    return split(x, indices_or_sections, axis=0)


def dsplit(x, indices_or_sections):
    return split(x, indices_or_sections, axis=2)


def flip(x, axis=None):
    x = _t(x)
    axes = list(range(x.shape.rank)) if axis is None else \
        list(axis) if isinstance(axis, (list, tuple)) else [axis]
    return _tf.reverse(x, axes)


fliplr = _name(lambda x: flip(x, 1), "fliplr")
flipud = _name(lambda x: flip(x, 0), "flipud")


def rot90(array, k=1, axes=(0, 1)):
    x = _t(array)
    k %= 4
    a, b = axes
    for _ in range(k):
        x = swapaxes(flip(x, b), a, b)
    return x


def roll(x, shift, axis=None):
    x = _t(x)
    if axis is None:
        return _tf.reshape(_tf.roll(_tf.reshape(x, [-1]), shift, 0), _tf.shape(x))
    return _tf.roll(x, shift, axis)


def tile(x, repeats):
    x = _t(x)
    repeats = [repeats] if isinstance(repeats, int) else list(repeats)
    while len(repeats) < x.shape.rank:
        repeats.insert(0, 1)
    while x.shape.rank < len(repeats):
        x = _tf.expand_dims(x, 0)
    return _tf.tile(x, repeats)


def repeat(x, repeats, axis=None):
    x = _t(x)
    if axis is None:
        x, axis = _tf.reshape(x, [-1]), 0
    return _tf.repeat(x, repeats, axis=axis)


def pad(x, pad_width, mode="constant", constant_values=None):
    x = _t(x)
    pad_width = _np.broadcast_to(_np.asarray(pad_width), (x.shape.rank, 2)).tolist()
    if mode == "constant":
        return _tf.pad(x, pad_width, constant_values=constant_values or 0)
    if constant_values is not None:
        raise ValueError("Argument `constant_values` can only be provided when `mode == "
                         f"'constant'`. Received: mode={mode}")
    return _tf.pad(x, pad_width, mode=mode.upper())


def take(x, indices, axis=None):
    x, indices = _t(x), _t(indices)
    if axis is None:
        x, axis = _tf.reshape(x, [-1]), 0
    n = _tf.shape(x)[axis]
    indices = _tf.where(indices < 0, indices + _tf.cast(n, indices.dtype), indices)
    return _tf.gather(x, indices, axis=axis)


def take_along_axis(x, indices, axis=None):
    x, indices = _t(x), _t(indices)
    if axis is None:
        x, axis = _tf.reshape(x, [-1]), 0
    axis %= x.shape.rank
    n = x.shape[axis]
    indices = _tf.where(indices < 0, indices + n, indices)
    shape = _np.broadcast_shapes(
        tuple(x.shape[:axis]) + (1,) + tuple(x.shape[axis + 1:]),
        tuple(indices.shape[:axis]) + (1,) + tuple(indices.shape[axis + 1:]))
    x = _tf.broadcast_to(x, shape[:axis] + (n,) + shape[axis + 1:])
    indices = _tf.broadcast_to(indices, shape[:axis] + (indices.shape[axis],) +
                               shape[axis + 1:])
    moved = moveaxis(x, axis, -1)
    out = _tf.gather(moved, moveaxis(indices, axis, -1), batch_dims=len(shape) - 1)
    return moveaxis(out, -1, axis)


def get_item(x, key):
    return _t(x)[key]


def where(condition, x1=None, x2=None):
    condition = _t(condition, "bool")
    if x1 is None and x2 is None:
        return nonzero(condition)
    if x1 is None or x2 is None:
        raise ValueError("`x1` and `x2` either both should be `None` or both should have "
                         "non-None value.")
    x1, x2 = _promote(x1, x2)
    return _tf.where(condition, x1, x2)


def select(condlist, choicelist, default=0):
    out = _t(default)
    choices = _promote(*choicelist, default)
    out = choices[-1]
    for cond, choice in reversed(list(zip(condlist, choices[:-1]))):
        out = _tf.where(_t(cond, "bool"), choice, out)
    return out


def nonzero(x):
    return tuple(_const(i, "int32") for i in _np.nonzero(_host(_t(x))))


def unravel_index(indices, shape):
    indices = _t(indices)
    return tuple(_const(i, indices.dtype.name)
                 for i in _np.unravel_index(_host(indices), shape))


def diag(x, k=0):
    x = _t(x)
    if x.shape.rank == 1:
        return _tf.linalg.diag(x, k=k)
    return diagonal(x, offset=k)


def diagflat(x, k=0):
    return diag(_tf.reshape(_t(x), [-1]), k)


def diagonal(x, offset=0, axis1=0, axis2=1):
    x = moveaxis(_t(x), (axis1, axis2), (-2, -1))
    return _tf.linalg.diag_part(x, k=offset)


def trace(x, offset=0, axis1=0, axis2=1):
    x = _t(x)
    return sum(diagonal(x, offset, axis1, axis2), axis=-1)


def tril(x, k=0):
    x = _t(x)
    rows, cols = x.shape[-2], x.shape[-1]
    return _tf.where(_const(_np.tri(rows, cols, k, dtype=bool)), x, _tf.zeros_like(x))


def triu(x, k=0):
    x = _t(x)
    rows, cols = x.shape[-2], x.shape[-1]
    return _tf.where(_const(_np.tri(rows, cols, k - 1, dtype=bool)), _tf.zeros_like(x), x)


def sort(x, axis=-1):
    x = _t(x)
    return _tf.sort(x, axis=axis) if not x.dtype.is_bool else \
        _tf.cast(_tf.sort(_tf.cast(x, "int32"), axis=axis), "bool")


def argsort(x, axis=-1):
    x = _t(x)
    if axis is None:
        x, axis = _tf.reshape(x, [-1]), 0
    if x.dtype.is_bool:
        x = _tf.cast(x, "int32")
    return _tf.argsort(x, axis=axis, stable=True)


def argpartition(x, kth, axis=-1):
    x = _t(x)
    return _const(_np.argpartition(_host(x), kth, axis=axis), "int32")


def searchsorted(sorted_sequence, values, side="left"):
    sorted_sequence, values = _promote(sorted_sequence, values)
    return _tf.searchsorted(sorted_sequence, values, side=side, out_type="int32")


def digitize(x, bins):
    x, bins = _t(x), _t(bins)
    return _tf.searchsorted(_tf.cast(bins, x.dtype), _tf.reshape(x, [-1]), side="right",
                            out_type="int32") if x.shape.rank == 1 else \
        _tf.reshape(digitize(_tf.reshape(x, [-1]), bins), _tf.shape(x))


def unique(x, sorted=True, return_inverse=False, return_counts=False, axis=None,
           size=None, fill_value=None):
    x = _t(x)
    out = _np.unique(_host(x), return_inverse=return_inverse, return_counts=return_counts,
                     axis=axis)
    if not isinstance(out, tuple):
        return _const(out, x.dtype.name)
    values, *rest = out
    return (_const(values, x.dtype.name), *(_const(r, "int32") for r in rest))


def bincount(x, weights=None, minlength=0, sparse=False):
    x = _t(x)
    w = None if weights is None else _t(weights)
    counts = _np.bincount(_host(x).reshape(-1) if x.shape.rank == 1 else _host(x),
                          None if w is None else _host(w), minlength) if x.shape.rank == 1 \
        else _np.stack([_np.bincount(r, None if w is None else wr, minlength)
                        for r, wr in zip(_host(x), (_host(w) if w is not None else
                                                     [None] * x.shape[0]))])
    return _const(counts, w.dtype.name if w is not None else x.dtype.name)


def histogram(x, bins=10, range=None):
    x = _t(x)
    counts, edges = _np.histogram(_host(x), bins=bins, range=range)
    return _const(counts, _FLOATX[0]), _const(edges, x.dtype.name)


# ---- products -------------------------------------------------------------------------------

def matmul(x1, x2):
    x1, x2 = _promote(x1, x2)
    if x1.shape.rank == 1 or x2.shape.rank == 1:
        return _tf.tensordot(x1, x2, [[x1.shape.rank - 1], [_builtins.max(
            x2.shape.rank - 2, 0)]])
    if x1.dtype.is_integer and x1.dtype.size < 4:
        return _tf.matmul(_tf.cast(x1, "int32"), _tf.cast(x2, "int32"))
    return _tf.matmul(x1, x2)


def dot(x1, x2):
    x1, x2 = _promote(x1, x2)
    if x1.shape.rank == 0 or x2.shape.rank == 0:
        return x1 * x2
    if x2.shape.rank == 1:
        return _tf.tensordot(x1, x2, [[x1.shape.rank - 1], [0]])
    return _tf.tensordot(x1, x2, [[x1.shape.rank - 1], [x2.shape.rank - 2]])


def vdot(x1, x2):
    x1, x2 = _promote(x1, x2)
    return _tf.reduce_sum(conj(_tf.reshape(x1, [-1])) * _tf.reshape(x2, [-1]))


def inner(x1, x2):
    x1, x2 = _promote(x1, x2)
    if x1.shape.rank == 0 or x2.shape.rank == 0:
        return x1 * x2
    return _tf.tensordot(x1, x2, [[-1], [-1]])


def outer(x1, x2):
    x1, x2 = _promote(x1, x2)
    return _tf.reshape(x1, [-1, 1]) * _tf.reshape(x2, [1, -1])


def tensordot(x1, x2, axes=2):
    x1, x2 = _promote(x1, x2)
    return _tf.tensordot(x1, x2, axes)


def einsum(subscripts, *operands, **kwargs):
    return _tf.einsum(subscripts, *_promote(*operands))


def kron(x1, x2):
    x1, x2 = _promote(x1, x2)
    rank = _builtins.max(x1.shape.rank, x2.shape.rank)
    x1 = _tf.reshape(x1, [1] * (rank - x1.shape.rank) + list(x1.shape))
    x2 = _tf.reshape(x2, [1] * (rank - x2.shape.rank) + list(x2.shape))
    a = _tf.reshape(x1, [d for s in x1.shape for d in (s, 1)])
    b = _tf.reshape(x2, [d for s in x2.shape for d in (1, s)])
    return _tf.reshape(a * b, [p * q for p, q in zip(x1.shape, x2.shape)])


def cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None):
    if axis is not None:
        axisa = axisb = axisc = axis
    x1, x2 = _promote(x1, x2)
    a, b = moveaxis(x1, axisa, -1), moveaxis(x2, axisb, -1)
    if a.shape[-1] == 2:
        a = _tf.concat([a, _tf.zeros_like(a[..., :1])], -1)
    if b.shape[-1] == 2:
        b = _tf.concat([b, _tf.zeros_like(b[..., :1])], -1)
    a, b = _tf.broadcast_to(a, _tf.broadcast_static_shape(a.shape, b.shape)), \
        _tf.broadcast_to(b, _tf.broadcast_static_shape(a.shape, b.shape))
    out = _tf.linalg.cross(a, b)
    if x1.shape[axisa] == 2 and x2.shape[axisb] == 2:
        return out[..., 2]
    return moveaxis(out, -1, axisc)


def correlate(x1, x2, mode="valid"):
    dtype = _float_of(x1, x2)
    a, b = _host(_t(x1, dtype)), _host(_t(x2, dtype))
    return _const(_np.correlate(a, b, mode=mode), dtype)


def corrcoef(x):
    x = _floating(x)
    centred = x - _tf.reduce_mean(x, axis=-1, keepdims=True)
    cov = _tf.matmul(centred, centred, transpose_b=True)
    d = _tf.sqrt(_tf.linalg.diag_part(cov))
    return _tf.clip_by_value(cov / (d[:, None] * d[None, :]), -1.0, 1.0)


def diff(a, n=1, axis=-1):
    x = _t(a)
    for _ in range(n):
        hi = [slice(None)] * x.shape.rank
        lo = [slice(None)] * x.shape.rank
        hi[axis], lo[axis] = slice(1, None), slice(None, -1)
        x = x[tuple(hi)] - x[tuple(lo)]
    return x


def trapezoid(y, x=None, dx=1.0, axis=-1):
    y = _floating(y)
    rank = y.shape.rank
    hi = [slice(None)] * rank
    lo = [slice(None)] * rank
    hi[axis], lo[axis] = slice(1, None), slice(None, -1)
    d = diff(_t(x, y.dtype), axis=axis if _t(x).shape.rank > 1 else 0) if x is not None \
        else _tf.cast(dx, y.dtype)
    return _tf.reduce_sum(d * (y[tuple(hi)] + y[tuple(lo)]) / 2.0, axis=axis)


def slogdet(x):
    return tuple(_tf.linalg.slogdet(_floating(x)))


def vectorize(pyfunc, *, excluded=None, signature=None):
    def vectorized(*args):
        args = [_t(a) for a in args]
        shape = _tf.broadcast_static_shape(*[a.shape for a in args]) if len(args) > 1 \
            else args[0].shape
        flat = [_tf.reshape(_tf.broadcast_to(a, shape), [-1]) for a in args]
        out = _tf.map_fn(lambda xs: pyfunc(*xs), tuple(flat),
                         fn_output_signature=flat[0].dtype)
        return _tf.reshape(out, shape)
    return vectorized


def view(x, dtype=None):
    x = _t(x)
    return x if dtype is None else _const(_host(x).view(_tf.as_dtype(dtype).name))


del _n, _f


_make_symbolic(globals())
