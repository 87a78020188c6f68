"""The functions of ``tf.experimental.numpy`` built on tapeflow's ops (so they differentiate and
trace like any other op): arguments are converted and promoted as NumPy would, then the op runs."""

import builtins
import math as _math

import numpy as np

import tapeflow as tf

from ._dtypes import default_float, np_result_type, result_type, tf_dtype

_Tensor = (tf.Tensor, tf.Variable)
_DEVICE = "/job:localhost/replica:0/task:0/device:CPU:0"


def _contains_tensor(x):
    if isinstance(x, _Tensor):
        return True
    return isinstance(x, (list, tuple)) and builtins.any(_contains_tensor(i) for i in x)


def asarray(a, dtype=None):
    """``a`` as a tensor: a tensor of the wanted dtype is returned as it is."""
    if isinstance(a, _Tensor):
        if dtype is None or tf_dtype(dtype) == a.dtype:
            return tf.convert_to_tensor(a)
        return tf.cast(a, tf_dtype(dtype))
    if dtype is None:
        dtype = np_result_type(a) if not isinstance(a, (str, bytes)) else None
    if isinstance(a, (list, tuple)) and _contains_tensor(a):
        parts = [asarray(i, dtype) for i in a]
        return tf.stack(parts) if parts else tf.constant([], tf_dtype(dtype))
    value = np.asarray(a, dtype=None if dtype is None else np.dtype(_to_np_type(dtype)))
    return tf.constant(value)


def array(val, dtype=None, copy=True, ndmin=0):
    out = asarray(val, dtype)
    if copy and out is val:
        out = tf.identity(out)
    if ndmin > out.shape.rank:
        out = tf.reshape(out, [1] * (ndmin - out.shape.rank) + list(tf.shape(out)))
    return out


asanyarray = ascontiguousarray = asarray


def copy(a):
    return tf.identity(asarray(a))


def _promote(*arrays, numpy_rules=False):
    dtype = result_type(*arrays, numpy_rules=numpy_rules)
    return [asarray(a, dtype) for a in arrays]


def _is_inexact(t):
    return t.dtype.is_floating or t.dtype.is_complex


def _unary(fn, to_float=False):
    def op(x):
        x = asarray(x)
        if to_float and not _is_inexact(x):
            x = tf.cast(x, tf_dtype(default_float()))
        return fn(x)
    return op


def _binary(fn):
    def op(x1, x2):
        return fn(*_promote(x1, x2, numpy_rules=True))
    return op


def _by_bool(logical, arith):
    return lambda x, y: (logical if x.dtype == tf.bool else arith)(x, y)


# --- elementwise ------------------------------------------------------------------------------

sin, cos, tan = _unary(tf.sin, True), _unary(tf.cos, True), _unary(tf.tan, True)
sinh, cosh, tanh = _unary(tf.sinh, True), _unary(tf.cosh, True), _unary(tf.tanh, True)
arcsin, arccos, arctan = _unary(tf.asin, True), _unary(tf.acos, True), _unary(tf.atan, True)
arcsinh, arccosh, arctanh = _unary(tf.asinh, True), _unary(tf.acosh, True), _unary(tf.atanh, True)
exp, expm1, log, log1p = (_unary(tf.exp, True), _unary(tf.math.expm1, True),
                          _unary(tf.math.log, True), _unary(tf.math.log1p, True))
sqrt, ceil, floor = _unary(tf.sqrt, True), _unary(tf.math.ceil, True), _unary(tf.floor, True)
isnan, isfinite = _unary(tf.math.is_nan, True), _unary(tf.math.is_finite, True)
isinf = _unary(tf.math.is_inf, True)
abs = absolute = _unary(tf.abs)  # noqa: A001
negative = _unary(tf.negative)
conj = conjugate = _unary(tf.math.conj)
square = _unary(tf.square)
reciprocal = _unary(tf.math.reciprocal)
fabs = _unary(tf.abs, True)
positive = _unary(lambda x: x)
sign = _unary(tf.sign)
exp2 = _unary(lambda x: tf.pow(tf.cast(2, x.dtype), x), True)
log2 = _unary(lambda x: tf.math.log(x) / tf.math.log(tf.cast(2, x.dtype)), True)
log10 = _unary(lambda x: tf.math.log(x) / tf.math.log(tf.cast(10, x.dtype)), True)
deg2rad = _unary(lambda x: x * tf.constant(np.pi / 180, x.dtype), True)
rad2deg = _unary(lambda x: x * tf.constant(180 / np.pi, x.dtype), True)
cbrt = _unary(lambda x: tf.sign(x) * tf.pow(tf.abs(x), tf.constant(1 / 3, x.dtype)), True)
fix = _unary(lambda x: tf.where(x < 0, tf.math.ceil(x), tf.floor(x)), True)
isneginf = _unary(lambda x: tf.equal(x, tf.constant(-np.inf, x.dtype)), True)
isposinf = _unary(lambda x: tf.equal(x, tf.constant(np.inf, x.dtype)), True)
signbit = _unary(lambda x: tf.less(x, tf.zeros_like(x)) if x.dtype != tf.bool
                 else tf.zeros_like(x))
bitwise_not = _unary(lambda x: tf.logical_not(x) if x.dtype == tf.bool
                     else tf.bitwise.invert(x))


def _sinc(x):
    safe = tf.where(tf.equal(x, 0), tf.ones_like(x), x) * tf.constant(np.pi, x.dtype)
    return tf.where(tf.equal(x, 0), tf.ones_like(x), tf.sin(safe) / safe)


sinc = _unary(_sinc, True)


def angle(z, deg=False):
    out = _unary(lambda x: tf.math.angle(x) if x.dtype.is_complex
                 else tf.where(x < 0, tf.constant(np.pi, x.dtype), tf.zeros_like(x)), True)(z)
    return rad2deg(out) if deg else out


def real(val):
    val = asarray(val)
    return tf.math.real(val) if val.dtype.is_complex else val


def imag(val):
    val = asarray(val)
    return tf.math.imag(val) if val.dtype.is_complex else tf.zeros_like(val)


def around(a, decimals=0):
    a = asarray(a)
    if not _is_inexact(a):
        if decimals >= 0:
            return a
        f = 10 ** -decimals
        return tf.cast(tf.round(tf.cast(a, tf.float64) / f) * f, a.dtype)
    f = tf.constant(10.0 ** decimals, a.dtype)
    return tf.round(a * f) / f


round = around  # noqa: A001

add = _binary(_by_bool(tf.logical_or, tf.add))
subtract = _binary(tf.subtract)
multiply = _binary(_by_bool(tf.logical_and, tf.multiply))
power = _binary(tf.pow)
arctan2 = _binary(tf.atan2)
nextafter = _binary(tf.math.nextafter)
maximum = _binary(_by_bool(tf.logical_or, tf.maximum))
minimum = _binary(_by_bool(tf.logical_and, tf.minimum))
equal = _binary(tf.equal)
not_equal = _binary(tf.not_equal)
greater = _binary(tf.greater)
greater_equal = _binary(tf.greater_equal)
less = _binary(tf.less)
less_equal = _binary(tf.less_equal)
bitwise_and = _binary(_by_bool(tf.logical_and, tf.bitwise.bitwise_and))
bitwise_or = _binary(_by_bool(tf.logical_or, tf.bitwise.bitwise_or))
bitwise_xor = _binary(_by_bool(tf.math.logical_xor, tf.bitwise.bitwise_xor))


def _logical(fn):
    return lambda x1, x2: fn(asarray(x1, bool), asarray(x2, bool))


logical_and = _logical(tf.logical_and)
logical_or = _logical(tf.logical_or)
logical_xor = _logical(tf.math.logical_xor)


def logical_not(x):
    return tf.logical_not(asarray(x, bool))


def _to_float_pair(x1, x2):
    x1, x2 = _promote(x1, x2)
    if not _is_inexact(x1):
        x1, x2 = (tf.cast(v, tf_dtype(np.float64)) for v in (x1, x2))
    return x1, x2


def true_divide(x1, x2):
    return tf.math.truediv(*_to_float_pair(x1, x2))


divide = true_divide


def floor_divide(x1, x2):
    x1, x2 = _promote(x1, x2)
    if x1.dtype == tf.bool:
        x1, x2 = tf.cast(x1, tf.int8), tf.cast(x2, tf.int8)
    return tf.math.floordiv(x1, x2)


def mod(x1, x2):
    x1, x2 = _promote(x1, x2)
    if x1.dtype == tf.bool:
        x1, x2 = tf.cast(x1, tf.int8), tf.cast(x2, tf.int8)
    return tf.math.floormod(x1, x2)


remainder = mod


def divmod(x1, x2):  # noqa: A001
    return floor_divide(x1, x2), mod(x1, x2)


def float_power(x1, x2):
    x1, x2 = _promote(x1, x2)
    wide = tf.complex128 if x1.dtype.is_complex else tf.float64
    return tf.pow(tf.cast(x1, wide), tf.cast(x2, wide))


def heaviside(x1, x2):
    x1, x2 = _promote(x1, x2)
    step = tf.where(x1 > 0, tf.ones_like(x1), tf.zeros_like(x1))
    out = tf.where(tf.equal(x1, 0), tf.broadcast_to(x2, tf.shape(step + x2)), step + x2 * 0)
    return tf.cast(out, x1.dtype) if x1.dtype != tf.bool else tf.cast(out, tf.bool)


def hypot(x1, x2):
    x1, x2 = _to_float_pair(x1, x2)
    return tf.sqrt(tf.square(x1) + tf.square(x2))


def logaddexp(x1, x2):
    x1, x2 = _to_float_pair(x1, x2)
    big = tf.maximum(x1, x2)
    return big + tf.math.log1p(tf.exp(-tf.abs(x1 - x2)))


def logaddexp2(x1, x2):
    x1, x2 = _to_float_pair(x1, x2)
    ln2 = tf.constant(np.log(2), x1.dtype)
    big = tf.maximum(x1, x2)
    return big + tf.math.log1p(tf.pow(tf.cast(2, x1.dtype), -tf.abs(x1 - x2))) / ln2


def _gcd(x1, x2):
    a, b = tf.abs(x1), tf.abs(x2)

    def body(a, b):
        nz = tf.not_equal(b, 0)
        safe = tf.where(nz, b, tf.ones_like(b))
        return tf.where(nz, b, a), tf.where(nz, tf.math.floormod(a, safe), tf.zeros_like(b))

    a, b = tf.broadcast_to(a, tf.shape(a + b)), tf.broadcast_to(b, tf.shape(a + b))
    a, b = tf.while_loop(lambda a, b: tf.reduce_any(tf.not_equal(b, 0)), body, (a, b))
    return a


def gcd(x1, x2):
    return _gcd(*_promote(x1, x2))


def lcm(x1, x2):
    x1, x2 = _promote(x1, x2)
    g = _gcd(x1, x2)
    safe = tf.where(tf.equal(g, 0), tf.ones_like(g), g)
    return tf.where(tf.equal(g, 0), tf.zeros_like(g), tf.abs(x1 // safe * x2))


def clip(a, a_min, a_max):
    if a_min is None and a_max is None:
        raise ValueError("Not more than one of `a_min` and `a_max` may be `None`.")
    if a_min is None:
        return minimum(a, a_max)
    if a_max is None:
        return maximum(a, a_min)
    a, a_min, a_max = _promote(a, a_min, a_max)
    return tf.clip_by_value(*tf_broadcast_arrays(a, a_min, a_max))


def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    a, b = _promote(a, b)
    if not _is_inexact(a):
        return tf.equal(a, b)
    close = tf.abs(a - b) <= tf.constant(atol, a.dtype) + tf.constant(rtol, a.dtype) * tf.abs(b)
    close = tf.logical_or(close, tf.equal(a, b))  # equal infinities
    if equal_nan:
        close = tf.logical_or(close, tf.logical_and(tf.math.is_nan(a), tf.math.is_nan(b)))
    return close


def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    return tf.reduce_all(isclose(a, b, rtol, atol, equal_nan))


def array_equal(a1, a2):
    a1, a2 = _promote(a1, a2)
    if a1.shape != a2.shape:
        return tf.constant(False)
    return tf.reduce_all(tf.equal(a1, a2))


def iscomplex(x):
    return tf.not_equal(imag(x), 0)


def isreal(x):
    return tf.equal(imag(x), 0)


def iscomplexobj(x):
    return asarray(x).dtype.is_complex


def isrealobj(x):
    return not iscomplexobj(x)


def isscalar(num):
    return isinstance(num, (bool, int, float, complex, str, bytes, np.generic)) or (
        isinstance(num, _Tensor) and num.shape.rank == 0)


def where(condition, x=None, y=None):
    condition = asarray(condition, bool)
    if x is None and y is None:
        return nonzero(condition)
    if x is None or y is None:
        raise ValueError("Both x and y must be ndarrays, or both must be None.")
    x, y = _promote(x, y)
    return tf.where(condition, x, y)


def select(condlist, choicelist, default=0):
    if len(condlist) != len(choicelist):
        raise ValueError("condlist must have length equal to choicelist "
                         f"({len(condlist)} vs {len(choicelist)})")
    out = asarray(default, result_type(*choicelist, default))
    for cond, choice in reversed(list(zip(condlist, choicelist))):
        c, out = _promote(choice, out)
        cond = asarray(cond, bool)
        out = tf.where(cond, *tf_broadcast_arrays(c, out))
    return out


# --- linear algebra ---------------------------------------------------------------------------

def matmul(x1, x2):
    x1, x2 = _promote(x1, x2)
    if x1.shape.rank == 0 or x2.shape.rank == 0:  # TF's words, from its MatMul kernel
        raise ValueError(f"{{{{function_node __wrapped__MatMul_device_{_DEVICE}}}}} In[0] and "
                         "In[1] ndims must be == 2: 0 [Op:MatMul] name: ")
    if x1.shape.rank == 1 and x2.shape.rank == 1:
        return tf.tensordot(x1, x2, 1)
    if x1.shape.rank == 1:
        return tf.squeeze(tf.matmul(x1[None], x2), -2)
    if x2.shape.rank == 1:
        return tf.squeeze(tf.matmul(x1, x2[:, None]), -1)
    return tf.matmul(x1, x2)


def dot(a, b):
    a, b = _promote(a, b)
    if a.shape.rank == 0 or b.shape.rank == 0:
        return a * b
    if b.shape.rank == 1:
        return tf.tensordot(a, b, [[-1], [0]])
    return tf.tensordot(a, b, [[-1], [b.shape.rank - 2]])


def tensordot(a, b, axes=2):
    a, b = _promote(a, b)
    return tf.tensordot(a, b, axes)


def inner(a, b):
    a, b = _promote(a, b)
    if a.shape.rank == 0 or b.shape.rank == 0:
        return a * b
    return tf.tensordot(a, b, [[-1], [-1]])


def outer(a, b):
    a, b = _promote(a, b)
    return tf.reshape(a, [-1, 1]) * tf.reshape(b, [1, -1])


def vdot(a, b):
    a, b = _promote(a, b)
    return tf.reduce_sum(tf.math.conj(tf.reshape(a, [-1])) * tf.reshape(b, [-1]))


def kron(a, b):
    a, b = _promote(a, b)
    rank = builtins.max(a.shape.rank, b.shape.rank)
    a = tf.reshape(a, [1] * (rank - a.shape.rank) + a.shape.as_list())
    b = tf.reshape(b, [1] * (rank - b.shape.rank) + b.shape.as_list())
    sa, sb = a.shape.as_list(), b.shape.as_list()
    inter_a, inter_b = [], []
    for d in sa:
        inter_a += [d, 1]
    for d in sb:
        inter_b += [1, d]
    out = tf.reshape(a, inter_a) * tf.reshape(b, inter_b)
    return tf.reshape(out, [x * y for x, y in zip(sa, sb)])


def cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    if axis is not None:
        axisa = axisb = axisc = axis
    a, b = _promote(a, b)
    a, b = moveaxis(a, axisa, -1), moveaxis(b, axisb, -1)
    if a.shape[-1] == 2:
        a = tf.concat([a, tf.zeros_like(a[..., :1])], -1)
    if b.shape[-1] == 2:
        b = tf.concat([b, tf.zeros_like(b[..., :1])], -1)
    a0, a1, a2 = a[..., 0], a[..., 1], a[..., 2]
    b0, b1, b2 = b[..., 0], b[..., 1], b[..., 2]
    out = tf.stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], -1)
    return moveaxis(out, -1, axisc)


def einsum(subscripts, *operands, **kwargs):
    operands = _promote(*operands)
    return tf.einsum(subscripts, *operands)


def polyval(p, x):
    p, x = _promote(p, x)
    out = tf.zeros_like(x)
    for i in range(p.shape[0]):
        out = out * x + p[i]
    return out


def trace(a, offset=0, axis1=0, axis2=1, dtype=None):
    d = diagonal(a, offset, axis1, axis2)
    return tf.reduce_sum(d if dtype is None else tf.cast(d, tf_dtype(dtype)), axis=-1)


# --- reductions -------------------------------------------------------------------------------

def _axis(axis):
    return list(axis) if isinstance(axis, tuple) else axis


def _reduce(fn, a, axis, dtype, keepdims, promote_int=False):
    a = asarray(a)
    if dtype is not None:
        a = tf.cast(a, tf_dtype(dtype))
    elif promote_int and (a.dtype.is_integer or a.dtype == tf.bool):
        a = tf.cast(a, tf.uint64 if a.dtype.is_unsigned else tf.int64)
    return fn(a, axis=_axis(axis), keepdims=builtins.bool(keepdims))


def sum(a, axis=None, dtype=None, keepdims=None):  # noqa: A001
    return _reduce(tf.reduce_sum, a, axis, dtype, keepdims, True)


def prod(a, axis=None, dtype=None, keepdims=None):
    return _reduce(tf.reduce_prod, a, axis, dtype, keepdims, True)


def _float_input(a, dtype):
    a = asarray(a)
    if dtype is not None:
        return tf.cast(a, tf_dtype(dtype))
    return a if _is_inexact(a) else tf.cast(a, tf_dtype(default_float()))


def mean(a, axis=None, dtype=None, out=None, keepdims=None):
    a = _float_input(a, dtype)
    return tf.reduce_mean(a, axis=_axis(axis), keepdims=builtins.bool(keepdims))


def average(a, axis=None, weights=None, returned=False):
    if weights is None:
        avg = mean(a, axis)
        count = tf.cast(tf.size(asarray(a)) // tf.size(avg), avg.dtype)
        wsum = tf.broadcast_to(count, tf.shape(avg))
    else:
        a, weights = _promote(_float_input(a, None), weights)
        if weights.shape.rank != a.shape.rank and axis is not None:
            shape = [1] * a.shape.rank
            shape[axis] = -1
            weights = tf.reshape(weights, shape)
        wsum = tf.reduce_sum(tf.broadcast_to(weights, tf.shape(a)), axis=_axis(axis))
        avg = tf.reduce_sum(a * weights, axis=_axis(axis)) / wsum
    return (avg, wsum) if returned else avg


def var(a, axis=None, dtype=None, out=None, ddof=0, keepdims=None):
    a = _float_input(a, dtype)
    m = tf.reduce_mean(a, axis=_axis(axis), keepdims=True)
    d = a - m
    sq = tf.math.real(d * tf.math.conj(d)) if a.dtype.is_complex else tf.square(d)
    n = tf.cast(tf.size(a) // tf.size(m), sq.dtype)
    return (tf.reduce_sum(sq, axis=_axis(axis), keepdims=builtins.bool(keepdims))
            / (n - tf.cast(ddof, sq.dtype)))


def std(a, axis=None, keepdims=None):
    return tf.sqrt(var(a, axis=axis, keepdims=keepdims))


def _minmax(fn):
    def op(a, axis=None, keepdims=None):
        a = asarray(a)
        if a.dtype == tf.bool:
            logical = tf.reduce_any if fn is tf.reduce_max else tf.reduce_all
            return logical(a, axis=_axis(axis), keepdims=builtins.bool(keepdims))
        return fn(a, axis=_axis(axis), keepdims=builtins.bool(keepdims))
    return op


amax = max = _minmax(tf.reduce_max)  # noqa: A001
amin = min = _minmax(tf.reduce_min)  # noqa: A001


def ptp(a, axis=None, keepdims=None):
    return amax(a, axis, keepdims) - amin(a, axis, keepdims)


def all(a, axis=None, keepdims=None):  # noqa: A001
    return tf.reduce_all(asarray(a, bool), axis=_axis(axis), keepdims=builtins.bool(keepdims))


def any(a, axis=None, keepdims=None):  # noqa: A001
    return tf.reduce_any(asarray(a, bool), axis=_axis(axis), keepdims=builtins.bool(keepdims))


def count_nonzero(a, axis=None):
    return tf.math.count_nonzero(asarray(a), axis=_axis(axis), dtype=tf.int64)


def _nan_reduction(fn, fill):
    def op(a, axis=None, dtype=None, keepdims=False):
        a = asarray(a)
        if _is_inexact(a):
            a = tf.where(tf.math.is_nan(a), tf.constant(fill, a.dtype), a)
        return fn(a, axis=axis, dtype=dtype, keepdims=keepdims)
    return op


nansum = _nan_reduction(sum, 0)
nanprod = _nan_reduction(prod, 1)


def nanmean(a, axis=None, dtype=None, keepdims=None):
    a = _float_input(a, dtype)
    if not _is_inexact(a):
        return mean(a, axis, dtype, keepdims=keepdims)
    keep = tf.logical_not(tf.math.is_nan(a))
    total = tf.reduce_sum(tf.where(keep, a, tf.zeros_like(a)), _axis(axis), builtins.bool(keepdims))
    count = tf.reduce_sum(tf.cast(keep, a.dtype), _axis(axis), builtins.bool(keepdims))
    return total / count


def _cum(fn):
    def op(a, axis=None, dtype=None):
        a = asarray(a)
        if dtype is not None:
            a = tf.cast(a, tf_dtype(dtype))
        elif a.dtype.is_integer:
            a = tf.cast(a, tf.uint64 if a.dtype.is_unsigned else tf.int64)
        if axis is None:
            a, axis = tf.reshape(a, [-1]), 0
        return fn(a, axis=axis)
    return op


cumsum = _cum(tf.math.cumsum)
cumprod = _cum(tf.math.cumprod)


def argmax(a, axis=None):
    a = asarray(a)
    if axis is None:
        a, axis = tf.reshape(a, [-1]), 0
    return tf.argmax(a, axis=axis)


def argmin(a, axis=None):
    a = asarray(a)
    if axis is None:
        a, axis = tf.reshape(a, [-1]), 0
    return tf.argmin(a, axis=axis)


def sort(a, axis=-1, kind="quicksort", order=None):
    a = asarray(a)
    if axis is None:
        a, axis = tf.reshape(a, [-1]), 0
    return tf.sort(a, axis=axis)


def argsort(a, axis=-1, kind="quicksort", order=None):
    a = asarray(a)
    if axis is None:
        a, axis = tf.reshape(a, [-1]), 0
    return tf.cast(tf.argsort(a, axis=axis, stable=True), tf.int64)


def diff(a, n=1, axis=-1):
    a = asarray(a)
    for _ in range(n):
        a = _take_slice(a, axis, 1, None) - _take_slice(a, axis, None, -1)
    return a


def _take_slice(a, axis, start, stop):
    key = [slice(None)] * a.shape.rank
    key[axis] = slice(start, stop)
    return a[tuple(key)]


# --- creation ---------------------------------------------------------------------------------

def _creation(dtype):
    """A creation function's dtype: ``float`` (the default) is tnp's default float."""
    return tf_dtype(result_type(dtype))


def zeros(shape, dtype=float):
    return tf.zeros(_shape(shape), _creation(dtype))


def ones(shape, dtype=float):
    return tf.ones(_shape(shape), _creation(dtype))


empty = zeros


def _shape(shape):
    if isinstance(shape, _Tensor):
        return shape
    return [shape] if isinstance(shape, (int, np.integer)) else list(shape)


def _like_dtype(a, dtype):
    return tf_dtype(result_type(dtype)) if dtype is not None else asarray(a).dtype


def zeros_like(a, dtype=None):
    return tf.zeros_like(asarray(a), dtype=_like_dtype(a, dtype))


def ones_like(a, dtype=None):
    return tf.ones_like(asarray(a), dtype=_like_dtype(a, dtype))


empty_like = zeros_like


def full(shape, fill_value, dtype=None):
    fill = asarray(fill_value, dtype)
    return tf.broadcast_to(fill, _shape(shape))


def full_like(a, fill_value, dtype=None, order="K", subok=True, shape=None):
    a = asarray(a)
    dtype = _like_dtype(a, dtype)
    return tf.broadcast_to(asarray(fill_value, dtype),
                           tf.shape(a) if shape is None else _shape(shape))


def identity(n, dtype=float):
    return eye(n, dtype=dtype)


def eye(N, M=None, k=0, dtype=float):
    dtype = _creation(dtype)
    M = N if M is None else M
    rows = tf.range(N)[:, None]
    cols = tf.range(M)[None, :]
    return tf.cast(tf.equal(cols - rows, k), dtype)


def tri(N, M=None, k=0, dtype=None):
    M = N if M is None else M
    dtype = _creation(float if dtype is None else dtype)
    return tf.cast(tf.range(M)[None, :] - tf.range(N)[:, None] <= k, dtype)


def _lower(m, k):
    """Where column - row <= k in ``m``'s last two axes (sizes read at run time)."""
    shape = tf.shape(m)
    return tri(shape[-2], shape[-1], k, bool)


def tril(m, k=0):
    m = asarray(m)
    return tf.where(_lower(m, k), m, tf.zeros_like(m))


def triu(m, k=0):
    m = asarray(m)
    return tf.where(_lower(m, k - 1), tf.zeros_like(m), m)


def arange(start, stop=None, step=1, dtype=None):
    if stop is None:
        start, stop = 0, start
    dtype = tf_dtype(result_type(start, stop, step) if dtype is None else dtype)
    if step == 0:
        raise ValueError("step must be non-zero.")
    if dtype.is_integer:
        return tf.range(start, stop, step, dtype=dtype)
    n = builtins.max(int(_math.ceil((float(stop) - float(start)) / float(step))), 0)
    return tf.cast(tf.range(n, dtype=tf.float64) * float(step) + float(start), dtype)


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=float, axis=0):
    # With NumPy 2, TF's tnp takes the dtype from ``start * 1.0`` and ``stop * 1.0``.
    dtype = tf_dtype(result_type(start, stop, 1.0))
    if num < 0:
        raise ValueError("Argument `num` (number of samples) must be a non-negative integer. "
                         f"Received: num={num}")
    start, stop = asarray(start, dtype), asarray(stop, dtype)
    div = (num - 1) if endpoint else num
    step = (stop - start) / tf.cast(builtins.max(div, 1), dtype)
    idx = tf.reshape(tf.cast(tf.range(num), dtype), [-1] + [1] * start.shape.rank)
    out = start + idx * step
    if endpoint and num > 1:
        out = tf.concat([out[:-1], stop[None]], 0)
    if axis != 0:
        out = moveaxis(out, 0, axis)
    if retstep:
        return out, (step if div > 0 else tf.constant(np.nan, dtype))
    return out


def logspace(start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0):
    exponent = linspace(start, stop, num, endpoint, axis=axis)
    return tf.pow(tf.constant(base, exponent.dtype), exponent)


def geomspace(start, stop, num=50, endpoint=True, dtype=None, axis=0):
    dtype = tf_dtype(dtype if dtype else result_type(start, stop, float(num), default_float()))
    work = tf_dtype(np.promote_types(dtype.as_numpy_dtype, np.float32))
    s, e = asarray(start, work), asarray(stop, work)
    exponent = linspace(tf.math.log(s) / np.log(10), tf.math.log(e) / np.log(10), num, endpoint,
                        axis=axis)
    return tf.cast(tf.pow(tf.constant(10.0, work), exponent), dtype)


def diag(v, k=0):
    v = asarray(v)
    if v.shape.rank == 1:
        return tf.linalg.diag(v, k=k)
    if v.shape.rank == 2:
        return diagonal(v, k)
    raise ValueError(f"Shape {tuple(v.shape.as_list())} must have rank at most 2")


def diagflat(v, k=0):
    return diag(tf.reshape(asarray(v), [-1]), k)


def diagonal(a, offset=0, axis1=0, axis2=1):
    a = moveaxis(asarray(a), (axis1, axis2), (-2, -1))
    return tf.linalg.diag_part(a, k=offset)


def diag_indices(n, ndim=2):
    return (tf.range(n),) * ndim


def vander(x, N=None, increasing=False):
    x = asarray(x)
    N = x.shape[0] if N is None else N
    powers = tf.range(N) if increasing else tf.range(N - 1, -1, -1)
    if x.dtype.is_integer:
        return tf.cast(tf.pow(tf.cast(x[:, None], tf.float64), tf.cast(powers, tf.float64)),
                       x.dtype)
    return tf.pow(x[:, None], tf.cast(powers, x.dtype)[None, :])


def meshgrid(*xi, **kwargs):
    indexing = kwargs.get("indexing", "xy")
    return tf.meshgrid(*[asarray(x) for x in xi], indexing=indexing)


def ix_(*args):
    n = len(args)
    out = []
    for i, a in enumerate(args):
        a = asarray(a)
        if a.dtype == tf.bool:
            a = tf.reshape(tf.where(a), [-1])
        shape = [1] * n
        shape[i] = -1
        out.append(tf.reshape(a, shape))
    return out


# --- shape and structure ----------------------------------------------------------------------

def shape(a):
    return tuple(asarray(a).shape.as_list())


def ndim(a):
    return asarray(a).shape.rank


def size(x, axis=None):
    if axis is not None:
        raise NotImplementedError("axis argument is not supported in the current `np.size` "
                                  "implementation")
    x = asarray(x)
    if not x.shape.is_fully_defined():
        return tf.size(x, out_type=tf.int64)
    return np.prod(x.shape.as_list(), dtype=np.int64)


def reshape(a, newshape, order="C"):
    a = asarray(a)
    if order == "F":
        rev = list(range(a.shape.rank))[::-1]
        out = tf.reshape(tf.transpose(a, rev), _shape(newshape)[::-1])
        return tf.transpose(out, list(range(out.shape.rank))[::-1])
    return tf.reshape(a, _shape(newshape))


def ravel(a):
    return tf.reshape(asarray(a), [-1])


flatten = ravel


def transpose(a, axes=None):
    a = asarray(a)
    if axes is None:
        axes = list(range(a.shape.rank))[::-1]
    return tf.transpose(a, list(axes))


def swapaxes(a, axis1, axis2):
    a = asarray(a)
    perm = list(range(a.shape.rank))
    perm[axis1], perm[axis2] = axis2 % len(perm), axis1 % len(perm)
    return tf.transpose(a, perm)


def moveaxis(a, source, destination):
    a = asarray(a)
    rank = a.shape.rank
    src = [s % rank for s in ([source] if isinstance(source, int) else source)]
    dst = [d % rank for d in ([destination] if isinstance(destination, int) else destination)]
    perm = [i for i in range(rank) if i not in src]
    for d, s in sorted(zip(dst, src)):
        perm.insert(d, s)
    return tf.transpose(a, perm) if perm != list(range(rank)) else a


def expand_dims(a, axis):
    return tf.expand_dims(asarray(a), axis)


def squeeze(a, axis=None):
    return tf.squeeze(asarray(a), axis)


def atleast_1d(*arys):
    out = [reshape(a, [1]) if ndim(a) == 0 else asarray(a) for a in arys]
    return out[0] if len(out) == 1 else out


def atleast_2d(*arys):
    out = []
    for a in arys:
        a = asarray(a)
        out.append(tf.reshape(a, [1] * (2 - a.shape.rank) + a.shape.as_list())
                   if a.shape.rank < 2 else a)
    return out[0] if len(out) == 1 else out


def atleast_3d(*arys):
    out = []
    for a in arys:
        a = asarray(a)
        r = a.shape.rank
        if r == 0:
            a = tf.reshape(a, [1, 1, 1])
        elif r == 1:
            a = a[None, :, None]
        elif r == 2:
            a = a[:, :, None]
        out.append(a)
    return out[0] if len(out) == 1 else out


def broadcast_to(array, shape):
    return tf.broadcast_to(asarray(array), _shape(shape))


def tf_broadcast_arrays(*args):
    shape = tf.shape(args[0])
    for a in args[1:]:
        shape = tf.broadcast_dynamic_shape(shape, tf.shape(a))  # known at run time in graphs
    return [tf.broadcast_to(a, shape) for a in args]


def broadcast_arrays(*args, **kwargs):
    return tf_broadcast_arrays(*[asarray(a) for a in args])


def concatenate(arys, axis=0):
    if not arys:
        raise ValueError(f"Need at least one array to concatenate. Received empty input: "
                         f"arys={arys}")
    if axis is None:  # TF's tnp converts the axis to a tensor
        raise ValueError("Attempt to convert a value (None) with an unsupported type "
                         "(<class 'NoneType'>) to a Tensor.")
    arys = _promote(*arys)
    return tf.concat(arys, axis)


def append(arr, values, axis=None):
    if axis is None:
        return concatenate([ravel(arr), ravel(values)], 0)
    return concatenate([arr, values], axis)


def stack(arrays, axis=0):
    return tf.stack(_promote(*arrays), axis)


def hstack(tup):
    arrays = [atleast_1d(a) for a in tup]
    return concatenate(arrays, 0 if arrays[0].shape.rank == 1 else 1)


def vstack(tup):
    return concatenate([atleast_2d(a) for a in tup], 0)


def dstack(tup):
    return concatenate([atleast_3d(a) for a in tup], 2)


def split(ary, indices_or_sections, axis=0):
    ary = asarray(ary)
    if isinstance(indices_or_sections, int):
        return tf.split(ary, indices_or_sections, axis)
    n = ary.shape[axis]
    bounds = [0] + [builtins.min(builtins.max(i, 0), n) for i in indices_or_sections] + [n]
    sizes = [builtins.max(b - a, 0) for a, b in zip(bounds, bounds[1:])]
    return tf.split(ary, sizes, axis)


def hsplit(ary, indices_or_sections):
    return split(ary, indices_or_sections, 0 if ndim(ary) == 1 else 1)


def vsplit(ary, indices_or_sections):
    return split(ary, indices_or_sections, 0)


def dsplit(ary, indices_or_sections):
    return split(ary, indices_or_sections, 2)


def tile(a, reps):
    a = asarray(a)
    reps = [reps] if isinstance(reps, int) else list(reps)
    rank = builtins.max(a.shape.rank, len(reps))
    a = tf.reshape(a, tf.concat([[1] * (rank - a.shape.rank), tf.shape(a)], 0))
    return tf.tile(a, [1] * (rank - len(reps)) + reps)


def repeat(a, repeats, axis=None):
    a = asarray(a)
    if axis is None:
        a, axis = tf.reshape(a, [-1]), 0
    return tf.repeat(a, repeats, axis)


def flip(m, axis=None):
    m = asarray(m)
    if axis is None:
        axis = list(range(m.shape.rank))
    return tf.reverse(m, [axis] if isinstance(axis, int) else list(axis))


def fliplr(m):
    return flip(m, 1)


def flipud(m):
    return flip(m, 0)


def rot90(m, k=1, axes=(0, 1)):
    m = asarray(m)
    k %= 4
    a0, a1 = axes
    if k == 0:
        return m
    if k == 2:
        return flip(m, list(axes))
    perm = list(range(m.shape.rank))
    perm[a0], perm[a1] = perm[a1], perm[a0]
    return (tf.transpose(flip(m, a1), perm) if k == 1 else flip(tf.transpose(m, perm), a1))


def roll(a, shift, axis=None):
    a = asarray(a)
    if axis is None:
        return tf.reshape(tf.roll(tf.reshape(a, [-1]), shift, 0), tf.shape(a))
    return tf.roll(a, shift, axis)


def pad(array, pad_width, mode, **kwargs):
    array = asarray(array)
    pad_width = np.asarray(pad_width)  # not broadcast: TF's tnp wants one row per axis
    mode = mode.upper()
    if mode not in ("CONSTANT", "REFLECT", "SYMMETRIC"):
        raise ValueError(f"Unsupported padding mode: {mode}")
    value = kwargs.get("constant_values", 0)
    return tf.pad(array, pad_width.tolist(), mode, constant_values=value)


def take(a, indices, axis=None, out=None, mode="clip"):
    if out is not None:
        raise ValueError("out argument is not supported in take.")
    if mode not in ("raise", "clip", "wrap"):
        raise ValueError(f"Invalid mode '{mode}' for take")
    if mode == "raise":
        raise ValueError("The 'raise' mode to take is not supported.")
    a = asarray(a)
    indices = asarray(indices)
    if axis is None:
        a, axis = tf.reshape(a, [-1]), 0
    n = a.shape[axis]
    if mode == "clip":
        indices = tf.clip_by_value(indices, 0, n - 1)
    elif mode == "wrap":
        indices = tf.math.floormod(indices, n)
    return tf.gather(a, indices, axis=axis)


def take_along_axis(arr, indices, axis):
    arr, indices = asarray(arr), asarray(indices)
    if axis is None:
        arr, axis = tf.reshape(arr, [-1]), 0
    axis %= arr.shape.rank
    indices = tf.where(indices < 0, indices + arr.shape[axis], indices)
    shape = tf.broadcast_static_shape(
        arr.shape[:axis].concatenate([1]).concatenate(arr.shape[axis + 1:]),
        indices.shape[:axis].concatenate([1]).concatenate(indices.shape[axis + 1:]))
    full_idx = shape[:axis].concatenate(indices.shape[axis:axis + 1]).concatenate(
        shape[axis + 1:])
    indices = tf.broadcast_to(indices, full_idx)
    grids = tf.meshgrid(*[tf.range(d, dtype=indices.dtype) for d in full_idx.as_list()],
                        indexing="ij")
    grids[axis] = indices
    arr = tf.broadcast_to(arr, shape[:axis].concatenate(arr.shape[axis:axis + 1]).concatenate(
        shape[axis + 1:]))
    return tf.gather_nd(arr, tf.stack(grids, -1))


def compress(condition, a, axis=None):
    condition = asarray(condition, bool)
    a = asarray(a)
    if axis is None:
        a, axis = tf.reshape(a, [-1]), 0
    n = a.shape[axis]
    condition = condition[:n]
    idx = tf.reshape(tf.where(condition), [-1])
    return tf.gather(a, idx, axis=axis)


def nonzero(a):
    a = asarray(a)
    idx = tf.where(tf.cast(a, tf.bool))
    return tuple(idx[:, i] for i in range(a.shape.rank))


def issubdtype(arg1, arg2):
    return np.issubdtype(_to_np_type(arg1), _to_np_type(arg2))


def _to_np_type(t):
    return t.as_numpy_dtype if isinstance(t, tf.DType) else t


def promote_types(type1, type2):
    return np.promote_types(_to_np_type(type1), _to_np_type(type2))


def finfo(dtype):
    return np.finfo(_to_np_type(dtype))


def iinfo(int_type):
    return np.iinfo(_to_np_type(int_type))


__all__ = [
    "abs",
    "add",
    "all",
    "allclose",
    "amax",
    "amin",
    "angle",
    "any",
    "append",
    "arange",
    "arccos",
    "arccosh",
    "arcsin",
    "arcsinh",
    "arctan",
    "arctan2",
    "arctanh",
    "argmax",
    "argmin",
    "argsort",
    "ascontiguousarray",
    "absolute",
    "conjugate",
    "max",
    "min",
    "around",
    "array",
    "array_equal",
    "asanyarray",
    "asarray",
    "atleast_1d",
    "atleast_2d",
    "atleast_3d",
    "average",
    "bitwise_and",
    "bitwise_not",
    "bitwise_or",
    "bitwise_xor",
    "broadcast_arrays",
    "broadcast_to",
    "cbrt",
    "ceil",
    "clip",
    "compress",
    "concatenate",
    "conj",
    "copy",
    "cos",
    "cosh",
    "count_nonzero",
    "cross",
    "cumprod",
    "cumsum",
    "deg2rad",
    "diag",
    "diag_indices",
    "diagflat",
    "diagonal",
    "diff",
    "divide",
    "divmod",
    "dot",
    "dsplit",
    "dstack",
    "einsum",
    "empty",
    "empty_like",
    "equal",
    "exp",
    "exp2",
    "expand_dims",
    "expm1",
    "eye",
    "fabs",
    "finfo",
    "fix",
    "flatten",
    "flip",
    "fliplr",
    "flipud",
    "float_power",
    "floor",
    "floor_divide",
    "full",
    "full_like",
    "gcd",
    "geomspace",
    "greater",
    "greater_equal",
    "heaviside",
    "hsplit",
    "hstack",
    "hypot",
    "identity",
    "iinfo",
    "imag",
    "inner",
    "isclose",
    "iscomplex",
    "iscomplexobj",
    "isfinite",
    "isinf",
    "isnan",
    "isneginf",
    "isposinf",
    "isreal",
    "isrealobj",
    "isscalar",
    "issubdtype",
    "ix_",
    "kron",
    "lcm",
    "less",
    "less_equal",
    "linspace",
    "log",
    "log10",
    "log1p",
    "log2",
    "logaddexp",
    "logaddexp2",
    "logical_and",
    "logical_not",
    "logical_or",
    "logical_xor",
    "logspace",
    "matmul",
    "maximum",
    "mean",
    "meshgrid",
    "minimum",
    "mod",
    "moveaxis",
    "multiply",
    "nanmean",
    "nanprod",
    "nansum",
    "ndim",
    "negative",
    "nextafter",
    "nonzero",
    "not_equal",
    "ones",
    "ones_like",
    "outer",
    "pad",
    "polyval",
    "positive",
    "power",
    "prod",
    "promote_types",
    "ptp",
    "rad2deg",
    "ravel",
    "real",
    "reciprocal",
    "remainder",
    "repeat",
    "reshape",
    "roll",
    "rot90",
    "round",
    "select",
    "shape",
    "sign",
    "signbit",
    "sin",
    "sinc",
    "sinh",
    "size",
    "sort",
    "split",
    "sqrt",
    "square",
    "squeeze",
    "stack",
    "std",
    "subtract",
    "sum",
    "swapaxes",
    "take",
    "take_along_axis",
    "tan",
    "tanh",
    "tensordot",
    "tile",
    "trace",
    "transpose",
    "tri",
    "tril",
    "triu",
    "true_divide",
    "vander",
    "var",
    "vdot",
    "vsplit",
    "vstack",
    "where",
    "zeros",
    "zeros_like",
]
