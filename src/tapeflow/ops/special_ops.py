"""Inverse trig and hyperbolic functions, special functions (erf, lgamma, digamma, polygamma),
rounding and float classification, NaN-safe arithmetic, and the statistical and boolean
reductions and arg-reductions of ``tf.math``.

Special functions are evaluated in float64 and rounded to the input's dtype.
"""

import math

import numpy as np

from ..engine.core import apply, not_differentiable, primitive, quiet
from ..framework import dtypes, errors
from . import _k
from ..framework.tensor import Tensor
from ..framework.variable import Variable
from ._helpers import (FLOAT, NUMERIC, REAL, binary_op, check_kind, dtype_mismatch, fallback,
                       index_dtype_error, normalize_axis, operands, tensor, unary_op)
from .array_ops import CAST
from .math_ops import COSH, EXP, RECIPROCAL, SINH, SQRT, SQUARE, WHERE, sqrt
from .reduction_ops import _broadcast_back, reduce_mean

# --- inverse trigonometric and hyperbolic --------------------------------------------------------

ASIN = primitive("Asin", quiet(np.arcsin), save=("inputs",)).defvjp(
    lambda g, ans, x: g * RECIPROCAL(SQRT(1 - SQUARE(_k.conj(x)))))
asin = unary_op(ASIN)

ACOS = primitive("Acos", quiet(np.arccos), save=("inputs",)).defvjp(
    lambda g, ans, x: -g * RECIPROCAL(SQRT(1 - SQUARE(_k.conj(x)))))
acos = unary_op(ACOS)

ASINH = primitive("Asinh", np.arcsinh, save=("output",)).defvjp(
    lambda g, ans, x: g / COSH(_k.conj(ans)))
asinh = unary_op(ASINH)

ACOSH = primitive("Acosh", quiet(np.arccosh), save=("output",)).defvjp(
    lambda g, ans, x: g / SINH(_k.conj(ans)))
acosh = unary_op(ACOSH)

ATANH = primitive("Atanh", quiet(np.arctanh), save=("inputs",)).defvjp(
    lambda g, ans, x: g * RECIPROCAL(1 - SQUARE(_k.conj(x))))
atanh = unary_op(ATANH)

ATAN2 = primitive("Atan2", np.arctan2, save=("inputs",)).defvjp(
    lambda g, ans, y, x: x * (g / (SQUARE(x) + SQUARE(y))),
    lambda g, ans, y, x: -y * (g / (SQUARE(x) + SQUARE(y))))
atan2 = binary_op(ATAN2, REAL)


# --- special functions ---------------------------------------------------------------------------

def _in_float64(scalar_fn):
    """A float64 evaluation of a scalar function, elementwise, rounded to the input's dtype."""
    vectorized = np.frompyfunc(scalar_fn, 1, 1)

    def forward(x):
        return np.asarray(vectorized(np.asarray(x, np.float64)), np.float64).astype(x.dtype)
    return forward


def _lgamma_scalar(v):
    try:
        return math.lgamma(v)
    except ValueError:  # a pole: 0, -1, -2, ...
        return math.inf


_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)

ERF = primitive("Erf", _in_float64(math.erf), save=("inputs",)).defvjp(
    lambda g, ans, x: g * (_TWO_OVER_SQRT_PI * EXP(-SQUARE(x))))
erf = unary_op(ERF, REAL)

ERFC = primitive("Erfc", _in_float64(math.erfc), save=("inputs",)).defvjp(
    lambda g, ans, x: g * (-_TWO_OVER_SQRT_PI * EXP(-SQUARE(x))))
erfc = unary_op(ERFC, REAL)

# Asymptotic series coefficients B_2k / (2k) for digamma, and B_2k / (2k)! for Hurwitz zeta.
_DIGAMMA_COEFFS = (1 / 12, -1 / 120, 1 / 252, -1 / 240, 1 / 132, -691 / 32760, 1 / 12)
_ZETA_COEFFS = (1 / 12, -1 / 720, 1 / 30240, -1 / 1209600, 1 / 47900160, -691 / 1307674368000,
                1 / 74724249600, -3617 / 10670622842880000)
_SHIFT = 10.0  # arguments are shifted up to at least this before the asymptotic series


def _digamma64(x):
    x = np.asarray(x, np.float64)
    pole = (x <= 0) & (x == np.floor(x))
    reflect = x < 0
    # psi(x) = psi(1 - x) - pi / tan(pi x); the argument of tan is reduced to [0, 1) first.
    cot = np.pi / np.tan(np.pi * (x - np.floor(x)))
    z = np.where(reflect, 1 - x, x)
    acc = np.zeros_like(z)
    while True:
        low = z < _SHIFT
        if not low.any():
            break
        acc -= np.where(low, 1 / np.where(low, z, 1.0), 0.0)
        z = np.where(low, z + 1, z)
    inv2 = 1 / (z * z)
    series = np.zeros_like(z)
    for c in reversed(_DIGAMMA_COEFFS):
        series = (series + c) * inv2
    out = acc + np.log(z) - 0.5 / z - series
    out = np.where(reflect, out - cot, out)
    return np.where(pole | np.isnan(x), np.nan, out)


def _hurwitz_zeta64(s, q):
    """zeta(s, q) = sum_k (q + k)^-s for integer s >= 2 (Euler-Maclaurin after shifting q)."""
    s, q = np.broadcast_arrays(np.asarray(s, np.float64), np.asarray(q, np.float64))
    pole = (q <= 0) & (q == np.floor(q))
    a = np.where(pole, 1.0, q)
    acc = np.zeros_like(a)
    while True:
        low = a < _SHIFT
        if not low.any():
            break
        acc += np.where(low, a ** -s, 0.0)
        a = np.where(low, a + 1, a)
    tail = a ** (1 - s) / (s - 1) + 0.5 * a ** -s
    term = s * a ** (-s - 1)  # s (s+1) ... (s+2j-2) a^(-s-2j+1), built up incrementally
    for j, c in enumerate(_ZETA_COEFFS):
        tail += c * term
        term = term * (s + 2 * j + 1) * (s + 2 * j + 2) / (a * a)
    out = acc + tail
    # Like TF (Eigen): a pole gives inf for even s and nan for odd s.
    return np.where(pole, np.where(s % 2 == 0, np.inf, np.nan), out)


def _polygamma_forward(n, x):
    n64, x64 = np.broadcast_arrays(np.asarray(n, np.float64), np.asarray(x, np.float64))
    valid = (n64 >= 0) & (n64 == np.floor(n64))
    order = np.where(valid & (n64 > 0), n64, 1.0)
    fact = np.exp(np.vectorize(math.lgamma, otypes=[np.float64])(order + 1))
    sign = np.where(order % 2 == 1, 1.0, -1.0)
    out = sign * fact * _hurwitz_zeta64(order + 1, x64)
    out = np.where(n64 == 0, _digamma64(x64), out)
    return np.where(valid, out, np.nan).astype(np.result_type(n, x))


LGAMMA = primitive("Lgamma", _in_float64(_lgamma_scalar), save=("inputs",)).defvjp(
    lambda g, ans, x: g * DIGAMMA(x))
lgamma = unary_op(LGAMMA, REAL)

DIGAMMA = primitive("Digamma", quiet(lambda x: _digamma64(x).astype(x.dtype)),
                    save=("inputs",)).defvjp(
    lambda g, ans, x: g * POLYGAMMA(_k.ones_like(x), x))
digamma = unary_op(DIGAMMA, REAL)

POLYGAMMA = primitive("Polygamma", quiet(_polygamma_forward), save=("inputs",)).defvjp(
    lambda g, ans, n, x: None,  # TF: no gradient w.r.t. the order
    lambda g, ans, n, x: g * POLYGAMMA(n + 1, x))


def polygamma(a, x, name=None):
    """``tf.math.polygamma``: the ``a``-th derivative of digamma (nan for a non-integer order)."""
    a, x = operands(a, x, "Polygamma")
    check_kind(a, REAL, "Polygamma")
    return apply(POLYGAMMA, (a, x), {})


# --- rounding and classification (registered non-differentiable) ---------------------------------

CEIL = not_differentiable(primitive("Ceil", np.ceil, save=()))
ceil = unary_op(CEIL, REAL)

ROUND = not_differentiable(primitive("Round", np.round, save=()))  # half to even, as TF
round = unary_op(ROUND, "fiu")  # noqa: A001 - TF's name

RINT = not_differentiable(primitive("Rint", np.rint, save=()))
rint = unary_op(RINT, REAL)

IS_NAN = not_differentiable(primitive("IsNan", np.isnan, save=()))
is_nan = unary_op(IS_NAN, REAL)

IS_INF = not_differentiable(primitive("IsInf", np.isinf, save=()))
is_inf = unary_op(IS_INF, REAL)

IS_FINITE = not_differentiable(primitive("IsFinite", np.isfinite, save=()))
is_finite = unary_op(IS_FINITE, REAL)

def _truncatediv_forward(x, y):
    if x.dtype.kind == "f":
        return np.trunc(x / y)
    if np.any(y == 0):
        raise ValueError("Integer division by zero")
    return (np.sign(x) * np.sign(y) * (np.abs(x) // np.abs(y))).astype(x.dtype)


TRUNCATE_DIV = not_differentiable(primitive("TruncateDiv", quiet(_truncatediv_forward), save=()))
truncatediv = binary_op(TRUNCATE_DIV, "fiu")


# --- NaN-safe arithmetic -------------------------------------------------------------------------

def _nonzero_indicator(x):
    return WHERE(x != 0, _k.ones_like(x), _k.zeros_like(x))


def _xlogy_forward(x, y):
    return np.where(x == 0, np.zeros_like(x), x * np.log(y))


XLOGY = primitive("Xlogy", quiet(_xlogy_forward), save=("inputs",)).defvjp(
    lambda g, ans, x, y: g * XLOGY(_nonzero_indicator(x), y),
    lambda g, ans, x, y: g * XDIVY(x, y))
xlogy = binary_op(XLOGY, FLOAT)

XDIVY = primitive("Xdivy", quiet(lambda x, y: np.where(x == 0, np.zeros_like(x), x / y)),
                  save=("inputs",)).defvjp(
    lambda g, ans, x, y: g * XDIVY(_nonzero_indicator(x), y),
    lambda g, ans, x, y: g * XDIVY(-x, SQUARE(y)))
xdivy = binary_op(XDIVY, FLOAT)

DIV_NO_NAN = primitive("DivNoNan", quiet(lambda x, y: np.where(y == 0, np.zeros_like(x), x / y)),
                       save=("inputs",)).defvjp(
    lambda g, ans, x, y: DIV_NO_NAN(g, _k.conj(y)),
    lambda g, ans, x, y: g * DIV_NO_NAN(DIV_NO_NAN(-_k.conj(x), _k.conj(y)), _k.conj(y)))


def _same_dtype_operands(x, y, op_type):
    """A Python operand takes the tensor's dtype; two tensors of different dtypes are a
    TypeError here (not TF's usual InvalidArgumentError)."""
    try:
        return operands(x, y, op_type)
    except errors.InvalidArgumentError:
        raise TypeError(f"`x` and `y` must have the same dtype, got {tensor(x).dtype!r} != "
                        f"{tensor(y).dtype!r}.") from None


def divide_no_nan(x, y, name=None):
    """``tf.math.divide_no_nan``: ``x / y``, but 0 where ``y == 0`` (integers divide as float64)."""
    x, y = _same_dtype_operands(x, y, "DivNoNan")
    if x._value.dtype.kind in "iu":
        x, y = apply(CAST, (x,), {"dtype": np.float64}), apply(CAST, (y,), {"dtype": np.float64})
    check_kind(x, FLOAT, "DivNoNan")
    return apply(DIV_NO_NAN, (x, y), {})


MUL_NO_NAN = primitive("MulNoNan", quiet(lambda x, y: np.where(y == 0, np.zeros_like(x), x * y)),
                       save=("inputs",)).defvjp(
    lambda g, ans, x, y: MUL_NO_NAN(g, y),
    lambda g, ans, x, y: MUL_NO_NAN(x, g))


def multiply_no_nan(x, y, name=None):
    """``tf.math.multiply_no_nan``: ``x * y``, but 0 where ``y == 0`` even if ``x`` is inf/nan."""
    x, y = _same_dtype_operands(x, y, "MulNoNan")
    check_kind(x, FLOAT, "MulNoNan")
    return apply(MUL_NO_NAN, (x, y), {})


def _squared_difference_forward(x, y):
    d = x - y
    return d * np.conj(d) if d.dtype.kind == "c" else d * d


SQUARED_DIFFERENCE = primitive("SquaredDifference", quiet(_squared_difference_forward),
                               save=("inputs",)).defvjp(
    lambda g, ans, x, y: (2.0 * g) * (x - y),
    lambda g, ans, x, y: (-2.0 * g) * (x - y))
squared_difference = binary_op(SQUARED_DIFFERENCE, NUMERIC)


# --- reductions ----------------------------------------------------------------------------------

def _float_input(input_tensor):
    x = tensor(input_tensor)
    if x._value.dtype.kind in "iu":  # bool and string reach Mean's dtype error, as in TF
        raise TypeError("Input must be either real or complex. Received integer type "
                        f"{x.dtype!r}.")
    return x


def reduce_variance(input_tensor, axis=None, keepdims=False, name=None):
    """``tf.math.reduce_variance``: the mean squared deviation (real-valued for complex input)."""
    x = _float_input(input_tensor)
    diff = x - reduce_mean(x, axis=axis, keepdims=True)
    if x._value.dtype.kind == "c":
        from .complex_ops import REAL
        squared = apply(REAL, (diff * _k.conj(diff),), {})
    else:
        squared = apply(SQUARE, (diff,), {})
    return reduce_mean(squared, axis=axis, keepdims=keepdims)


def reduce_std(input_tensor, axis=None, keepdims=False, name=None):
    """``tf.math.reduce_std``: ``sqrt(reduce_variance)``; the gradient is nan where it is 0."""
    return sqrt(reduce_variance(input_tensor, axis=axis, keepdims=keepdims))


def _euclidean_norm_forward(x, axis, keepdims):
    squares = x * np.conj(x) if x.dtype.kind == "c" else x.astype(np.float64) ** 2
    out = np.sqrt(np.sum(squares, axis=axis, keepdims=keepdims))
    return np.asarray(out).astype(x.dtype)


def _euclidean_norm_grad(g, ans, x, axis, keepdims):
    # TF's x / (norm / g) up to rounding: nan for an all-zero slice, but 0 (not nan) where g is 0.
    return x * (_broadcast_back(g, x, axis, keepdims) / _broadcast_back(ans, x, axis, keepdims))


EUCLIDEAN_NORM = primitive("EuclideanNorm", quiet(_euclidean_norm_forward)).defvjp(
    _euclidean_norm_grad)


def reduce_euclidean_norm(input_tensor, axis=None, keepdims=False, name=None):
    """``tf.math.reduce_euclidean_norm``: ``sqrt(sum(|x|^2))`` over ``axis``."""
    x = tensor(input_tensor)
    check_kind(x, NUMERIC, "EuclideanNorm")
    axes = normalize_axis(axis, x._value.ndim, "EuclideanNorm")
    return apply(EUCLIDEAN_NORM, (x,), {"axis": axes, "keepdims": bool(keepdims)})


ANY = not_differentiable(primitive(
    "Any", lambda x, axis, keepdims: np.any(x, axis=axis, keepdims=keepdims), save=()))
ALL = not_differentiable(primitive(
    "All", lambda x, axis, keepdims: np.all(x, axis=axis, keepdims=keepdims), save=()))


def _logical_reduction(prim):
    def op(input_tensor, axis=None, keepdims=False, name=None):
        try:
            x = tensor(input_tensor)
        except (TypeError, ValueError) as e:  # a RaggedTensor's reduction (see _helpers)
            return fallback(op, e, input_tensor, axis, keepdims, name)
        if x._value.dtype.kind != "b":
            raise dtype_mismatch(prim.name, 0, np.dtype(np.bool_), x._value.dtype)
        return apply(prim, (x,), {"axis": normalize_axis(axis, x._value.ndim, prim.name),
                                  "keepdims": bool(keepdims)})
    op.__doc__ = f"``tf.math.reduce_{prim.name.lower()}`` of a bool tensor over ``axis``."
    return op


reduce_any = _logical_reduction(ANY)
reduce_all = _logical_reduction(ALL)


def _arg_forward(pick, nan_fill):
    def forward(x, axis, output_type):
        if x.dtype.kind == "f":  # TF never picks a NaN unless every entry is NaN
            x = np.where(np.isnan(x), nan_fill, x)
        return pick(x, axis=axis).astype(output_type)
    return forward


ARG_MAX = not_differentiable(primitive("ArgMax", _arg_forward(np.argmax, -np.inf), save=()))
ARG_MIN = not_differentiable(primitive("ArgMin", _arg_forward(np.argmin, np.inf), save=()))


def _arg_reduction(prim, doc):
    def op(input, axis=None, output_type=dtypes.int64, name=None):  # noqa: A002 - TF's name
        x = tensor(input)
        check_kind(x, "fiub", prim.name)
        ndim = x._value.ndim
        if axis is None:
            axis = 0
        elif isinstance(axis, Tensor | Variable) and axis.dtype.is_integer or isinstance(
                axis, int | np.integer):
            axis = int(np.asarray(axis))
        else:
            raise TypeError("axis must be int or Tensor with integer datatype")
        out = dtypes.as_dtype(output_type)
        if out not in (dtypes.int16, dtypes.uint16, dtypes.int32, dtypes.int64):
            raise index_dtype_error(prim.name, "output_type", out, "")
        if not -ndim <= axis < ndim:
            raise errors.op_error(prim.name, f"Expected dimension in the range [{-ndim}, {ndim}), "
                                  f"but got {axis}", kernel=True)
        if x._value.shape[axis] == 0:
            raise errors.op_error(prim.name, f"Reduction axis {axis} is empty in shape "
                                  f"{list(x._value.shape)}", kernel=True)
        return apply(prim, (x,), {"axis": axis % ndim, "output_type": out._np})
    op.__doc__ = doc
    return op


argmax = _arg_reduction(ARG_MAX, "``tf.math.argmax``: index of the largest entry along ``axis`` "
                        "(0 when None); the first one on ties.")
argmin = _arg_reduction(ARG_MIN, "``tf.math.argmin``: index of the smallest entry along ``axis`` "
                        "(0 when None); the first one on ties.")

EXPORTS = {
    "": ["acos", "acosh", "argmax", "argmin", "asin", "asinh", "atan2", "atanh", "reduce_all",
         "reduce_any", "round", "truncatediv"],
    "math": ["acos", "acosh", "argmax", "argmin", "asin", "asinh", "atan2", "atanh", "ceil",
             "digamma", "divide_no_nan", "erf", "erfc", "is_finite", "is_inf", "is_nan", "lgamma",
             "multiply_no_nan", "polygamma", "reduce_all", "reduce_any", "reduce_euclidean_norm",
             "reduce_std", "reduce_variance", "rint", "round", "squared_difference", "xdivy",
             "xlogy"],
}
