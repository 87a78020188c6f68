"""Elementwise math: arithmetic, powers, exp/log, trig, comparisons, logic (``tf.math``).

Each primitive is registered once, beside its forward, with TF's gradient formula. Rules follow
TF's conjugate convention for complex values: ``g * conj(f'(x))``.
"""

import numpy as np

from ..engine.core import (apply, batched, not_differentiable, paused, primitive,
                           quiet)
from ..framework import dtypes, errors
from ..framework.tensor import EagerTensor, Tensor, convert_to_tensor, wrap
from ..framework.variable import Variable
from . import _k
from ._helpers import (FLOAT, NUMERIC, REAL, binary_op, check_kind, fallback, like, operands,
                       tensor, unary_op)

# --- unary ---------------------------------------------------------------------------------------

NEG = primitive("Neg", np.negative, save=()).defvjp(lambda g, ans, x: -g)
NEG.defjvp(lambda t, ans, x: -t)
negative = unary_op(NEG, "fci")  # TF's Neg refuses unsigned types

CONJ = primitive("Conj", np.conj, save=()).defvjp(lambda g, ans, x: CONJ(g))
CONJ.defjvp(lambda t, ans, x: CONJ(t))


ABS = primitive("Abs", np.abs, save=("inputs",)).defvjp(lambda g, ans, x: g * SIGN(x))
ABS.defjvp(lambda t, ans, x: t * SIGN(x))
SIGN = primitive("Sign", np.sign, save=()).defvjp(lambda g, ans, x: _k.zeros_like(g))
SIGN.defjvp(lambda t, ans, x: None)  # zeros in reverse mode, None in forward mode (TF#60736)
sign = unary_op(SIGN, "fci")

SQUARE = primitive("Square", np.square, save=("inputs",)).defvjp(
    lambda g, ans, x: g * (2 * _k.conj(x)))
SQUARE.defjvp(lambda t, ans, x: t * (2 * x))
square = unary_op(SQUARE, NUMERIC)


def _zero_where_g_is_zero(g, grad):
    # TF's SqrtGrad, RsqrtGrad and ReciprocalGrad kernels return 0 where the upstream is 0, so
    # tf.where(x > 0, tf.sqrt(x), 0.) has gradient 0 at x = 0, not 0 * inf = nan.
    return WHERE(g == 0, _k.zeros_like(g), grad)


SQRT = primitive("Sqrt", quiet(np.sqrt), save=("output",)).defvjp(
    lambda g, ans, x: _zero_where_g_is_zero(g, g * 0.5 / _k.conj(ans)))
SQRT.defjvp(lambda t, ans, x: t * 0.5 / ans)
sqrt = unary_op(SQRT)

RSQRT = primitive("Rsqrt", quiet(lambda x: 1 / np.sqrt(x)), save=("output",)).defvjp(
    lambda g, ans, x: _zero_where_g_is_zero(g, g * (-0.5 * _k.conj(ans * ans * ans))))
RSQRT.defjvp(lambda t, ans, x: t * (-0.5 * ans * ans * ans))
rsqrt = unary_op(RSQRT)

EXP = primitive("Exp", quiet(np.exp), save=("output",)).defvjp(lambda g, ans, x: g * _k.conj(ans))
EXP.defjvp(lambda t, ans, x: t * ans)
exp = unary_op(EXP)

EXPM1 = primitive("Expm1", quiet(np.expm1), save=("output",)).defvjp(
    lambda g, ans, x: g * _k.conj(ans + 1))
EXPM1.defjvp(lambda t, ans, x: t * (ans + 1))
expm1 = unary_op(EXPM1)

LOG = primitive("Log", quiet(np.log), save=("inputs",)).defvjp(lambda g, ans, x: g / _k.conj(x))
LOG.defjvp(lambda t, ans, x: t / x)
log = unary_op(LOG)

LOG1P = primitive("Log1p", quiet(np.log1p), save=("inputs",)).defvjp(
    lambda g, ans, x: g / _k.conj(x + 1))
LOG1P.defjvp(lambda t, ans, x: t / (x + 1))
log1p = unary_op(LOG1P)

RECIPROCAL = primitive("Reciprocal", quiet(np.reciprocal), save=("output",)).defvjp(
    lambda g, ans, x: _zero_where_g_is_zero(g, -g * _k.conj(ans * ans)))
RECIPROCAL.defjvp(lambda t, ans, x: -t * ans * ans)
reciprocal = unary_op(RECIPROCAL)

SIN = primitive("Sin", np.sin, save=("inputs",)).defvjp(lambda g, ans, x: g * _k.conj(COS(x)))
SIN.defjvp(lambda t, ans, x: t * COS(x))
sin = unary_op(SIN)

COS = primitive("Cos", np.cos, save=("inputs",)).defvjp(lambda g, ans, x: -g * _k.conj(SIN(x)))
COS.defjvp(lambda t, ans, x: -t * SIN(x))
cos = unary_op(COS)

TAN = primitive("Tan", quiet(np.tan), save=("output",)).defvjp(
    lambda g, ans, x: g * _k.conj(ans * ans + 1))
TAN.defjvp(lambda t, ans, x: t * (ans * ans + 1))
tan = unary_op(TAN)

TANH = primitive("Tanh", np.tanh, save=("output",)).defvjp(
    lambda g, ans, x: g * _k.conj(1 - ans * ans))
TANH.defjvp(lambda t, ans, x: t * (1 - ans * ans))
tanh = unary_op(TANH)

SINH = primitive("Sinh", quiet(np.sinh), save=("inputs",)).defvjp(
    lambda g, ans, x: g * _k.conj(COSH(x)))
SINH.defjvp(lambda t, ans, x: t * COSH(x))
sinh = unary_op(SINH)

COSH = primitive("Cosh", quiet(np.cosh), save=("inputs",)).defvjp(
    lambda g, ans, x: g * _k.conj(SINH(x)))
COSH.defjvp(lambda t, ans, x: t * SINH(x))
cosh = unary_op(COSH)

ATAN = primitive("Atan", np.arctan, save=("inputs",)).defvjp(
    lambda g, ans, x: g / _k.conj(x * x + 1))
ATAN.defjvp(lambda t, ans, x: t / (x * x + 1))
atan = unary_op(ATAN)


def abs(x, name=None):  # noqa: A001 - TF's name
    """``tf.math.abs``: |x|; the gradient at 0 is 0 (``g * sign(x)``)."""
    try:
        x = tensor(x)
    except (TypeError, ValueError) as e:  # a RaggedTensor (see _helpers.fallback)
        return fallback(abs, e, x, name)
    if x._value.dtype.kind == "c":
        from .complex_ops import complex_abs
        return complex_abs(x)
    check_kind(x, "fi", "Abs")  # unsigned types are refused, as TF's Abs does
    return apply(ABS, (x,), {})


# --- binary --------------------------------------------------------------------------------------

ADD = primitive("AddV2", np.add, save=()).defvjp(lambda g, ans, x, y: g, lambda g, ans, x, y: g)
ADD.defjvp(lambda t, ans, x, y: _k.broadcast_like(t, ans),
           lambda t, ans, x, y: _k.broadcast_like(t, ans))
# Strings concatenate through TF's "Add" op (AddV2 is numeric only).
STRING_ADD = not_differentiable(primitive(
    "Add", lambda x, y: np.asarray(np.add(x, y), object), save=()))
add = binary_op(ADD, NUMERIC, hint=True, strings=STRING_ADD)  # `+` converts its right side by hint

SUB = primitive("Sub", np.subtract, save=()).defvjp(lambda g, ans, x, y: g, lambda g, ans, x, y: -g)
SUB.defjvp(lambda t, ans, x, y: _k.broadcast_like(t, ans),
           lambda t, ans, x, y: -_k.broadcast_like(t, ans))
subtract = binary_op(SUB)

MUL = primitive("Mul", np.multiply, save=("inputs",)).defvjp(
    lambda g, ans, x, y: g * _k.conj(y),
    lambda g, ans, x, y: _k.conj(x) * g)
MUL.defjvp(lambda t, ans, x, y: t * y, lambda t, ans, x, y: x * t)
multiply = binary_op(MUL, NUMERIC + "b")

REALDIV = primitive("RealDiv", quiet(np.true_divide), save=("inputs",)).defvjp(
    lambda g, ans, x, y: g / _k.conj(y),
    lambda g, ans, x, y: g * _k.conj(-x / y / y))
REALDIV.defjvp(lambda t, ans, x, y: _k.broadcast_like(t / y, ans),
               lambda t, ans, x, y: -t * ans / y)
_realdiv = binary_op(REALDIV, FLOAT)

MAXIMUM = primitive("Maximum", np.maximum, save=("inputs",)).defvjp(
    lambda g, ans, x, y: WHERE(x >= y, g, _k.zeros_like(g)),
    lambda g, ans, x, y: WHERE(x >= y, _k.zeros_like(g), g))
MAXIMUM.defjvp(
    lambda t, ans, x, y: WHERE(x >= y, _k.broadcast_like(t, ans), _k.zeros_like(ans)),
    lambda t, ans, x, y: WHERE(x >= y, _k.zeros_like(ans), _k.broadcast_like(t, ans)))
maximum = binary_op(MAXIMUM, "fiu")

MINIMUM = primitive("Minimum", np.minimum, save=("inputs",)).defvjp(
    lambda g, ans, x, y: WHERE(x <= y, g, _k.zeros_like(g)),
    lambda g, ans, x, y: WHERE(x <= y, _k.zeros_like(g), g))
MINIMUM.defjvp(
    lambda t, ans, x, y: WHERE(x <= y, _k.broadcast_like(t, ans), _k.zeros_like(ans)),
    lambda t, ans, x, y: WHERE(x <= y, _k.zeros_like(ans), _k.broadcast_like(t, ans)))
minimum = binary_op(MINIMUM, "fiu")


def _pow_forward(x, y):
    if x.dtype.kind in "iu" and np.any(np.asarray(y) < 0):
        raise errors.op_error("Pow", "Integers to negative integer powers are not allowed",
                              kernel=True)
    return np.power(x, y)


def _safe_log(x):
    """log(x) as the exponent's derivative uses it: TF masks x <= 0 (real) to 0, not nan."""
    if _k.is_complex(x):
        return WHERE(x != 0, LOG(x), _k.zeros_like(x))
    pos = x > 0
    return WHERE(pos, LOG(WHERE(pos, x, _k.ones_like(x))), _k.zeros_like(x))


POW = primitive("Pow", _pow_forward, save=("inputs", "output")).defvjp(
    lambda g, ans, x, y: g * _k.conj(y * POW(x, y - 1)),
    lambda g, ans, x, y: g * _k.conj(ans * _safe_log(x)))
POW.defjvp(lambda t, ans, x, y: t * y * POW(x, y - 1),
           lambda t, ans, x, y: t * ans * _safe_log(x))
pow = binary_op(POW, "fci")  # noqa: A001 - TF's name (unsigned types refused)

def _check_int_divisor(y, op_type):
    if y.dtype.kind in "iu" and not np.all(y):
        raise errors.op_error(op_type, "Integer division by zero", kernel=True)


def _floordiv_forward(x, y):
    if x.dtype.kind == "f":
        # TF's kernel is floor(x / y): -inf // 1 is -inf and -5 // inf is -0 (NumPy: nan, -1).
        return np.floor(np.divide(x, y))
    _check_int_divisor(y, "FloorDiv")
    return np.floor_divide(x, y)


def _floormod_forward(x, y):
    _check_int_divisor(y, "FloorMod")
    return np.mod(x, y)


FLOORDIV = not_differentiable(primitive("FloorDiv", quiet(_floordiv_forward), save=()))
floordiv = binary_op(FLOORDIV, "fiu")

FLOORMOD = primitive("FloorMod", quiet(_floormod_forward), save=("inputs",)).defvjp(
    lambda g, ans, x, y: g,
    lambda g, ans, x, y: g * -FLOOR(x / y))
FLOORMOD.defjvp(lambda t, ans, x, y: _k.broadcast_like(t, ans),
                lambda t, ans, x, y: t * -FLOOR(x / y))
floormod = binary_op(FLOORMOD, "fiu")

FLOOR = not_differentiable(primitive("Floor", np.floor, save=()))
floor = unary_op(FLOOR, REAL)


def truediv(x, y, name=None):
    """``x / y``. Integers are divided as floating point (int32 and int64 give float64)."""
    try:
        x, y = _truediv_operands(x, y)
    except (TypeError, ValueError) as e:  # a RaggedTensor (see _helpers.fallback)
        return fallback(truediv, e, x, y, name)
    kind = x._value.dtype.kind
    if kind in "iu":
        from .array_ops import CAST  # array_ops imports this module's users
        target = np.float32 if x._value.dtype.itemsize <= 2 else np.float64
        x, y = apply(CAST, (x,), {"dtype": target}), apply(CAST, (y,), {"dtype": target})
    elif kind not in FLOAT:
        check_kind(x, FLOAT, "RealDiv")
    return apply(REALDIV, (x, y), {})


def _truediv_operands(x, y):
    if isinstance(x, Tensor | Variable):
        if not isinstance(y, Tensor | Variable):
            x = tensor(x)
            try:
                y = like(y, x)
            except TypeError:  # TF converts the right side by hint: on its own when that fails
                y = convert_to_tensor(y)
        if x.dtype is not y.dtype:
            raise TypeError(f"`x` and `y` must have the same dtype, got {x.dtype!r} != "
                            f"{y.dtype!r}.")
    return operands(x, y, "RealDiv")


def divide(x, y, name=None):
    """``tf.math.divide``: the same as ``x / y``."""
    return truediv(x, y)


# --- selection -----------------------------------------------------------------------------------

WHERE = primitive("SelectV2", np.where, save=("inputs",)).defvjp(
    None,
    lambda g, ans, c, x, y: WHERE(c, g, _k.zeros_like(g)),
    lambda g, ans, c, x, y: WHERE(c, _k.zeros_like(g), g))
WHERE.defjvp(
    None,
    lambda t, ans, c, x, y: WHERE(c, _k.broadcast_like(t, ans), _k.zeros_like(ans)),
    lambda t, ans, c, x, y: WHERE(c, _k.zeros_like(ans), _k.broadcast_like(t, ans)))


WHERE_INDICES = not_differentiable(primitive(
    "Where", lambda c: np.argwhere(c).astype(np.int64), save=()))


def where(condition, x=None, y=None, name=None):
    """``tf.where``: with x and y, pick elementwise (broadcasting); alone, the true indices."""
    given = condition
    try:
        if type(condition) is not EagerTensor and not isinstance(condition, Tensor | Variable):
            condition = convert_to_tensor(condition, dtypes.bool)  # TF converts so: a TypeError
    except (TypeError, ValueError) as e:  # a RaggedTensor (see _helpers.fallback)
        return fallback(where, e, given, x, y, name)
    condition = tensor(condition)
    if condition._value.dtype.kind != "b":
        raise errors.op_error("SelectV2", "condition must be a bool tensor")
    if x is None and y is None:
        if not condition._value.ndim:
            raise errors.op_error("Where", "WhereOp : Unhandled input dimensions: 0", kernel=True)
        return apply(WHERE_INDICES, (condition,), {})
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    try:
        x, y = operands(x, y, "SelectV2")
    except (TypeError, ValueError) as e:  # a RaggedTensor (see _helpers.fallback)
        return fallback(where, e, given, x, y, name)
    return apply(WHERE, (condition, x, y), {})


# --- comparisons and logic (registered non-differentiable) ---------------------------------------

def _comparison(name, fn, kinds="fiub"):
    prim = not_differentiable(primitive(name, fn, save=()))
    return prim, binary_op(prim, kinds)


LESS, less = _comparison("Less", np.less, "fiu")  # orderings have no bool kernels in TF
LESS_EQUAL, less_equal = _comparison("LessEqual", np.less_equal, "fiu")
GREATER, greater = _comparison("Greater", np.greater, "fiu")
GREATER_EQUAL, greater_equal = _comparison("GreaterEqual", np.greater_equal, "fiu")
EQUAL, _equal = _comparison("Equal", np.equal, "fciubOSU")
NOT_EQUAL, _not_equal = _comparison("NotEqual", np.not_equal, "fciubOSU")
LOGICAL_AND, logical_and = _comparison("LogicalAnd", np.logical_and, "b")
LOGICAL_OR, logical_or = _comparison("LogicalOr", np.logical_or, "b")
LOGICAL_XOR, logical_xor = _comparison("LogicalXor", np.logical_xor, "b")
LOGICAL_NOT = not_differentiable(primitive("LogicalNot", np.logical_not, save=()))
logical_not = unary_op(LOGICAL_NOT, "b")
BITWISE_AND, bitwise_and = _comparison("BitwiseAnd", np.bitwise_and, "iu")
BITWISE_OR, bitwise_or = _comparison("BitwiseOr", np.bitwise_or, "iu")
BITWISE_XOR, bitwise_xor = _comparison("BitwiseXor", np.bitwise_xor, "iu")
INVERT = not_differentiable(primitive("Invert", np.invert, save=()))
invert = unary_op(INVERT, "iu")


def equal(x, y, name=None):
    """``tf.math.equal``: elementwise ``x == y`` with broadcasting."""
    return _equal(x, y)


def not_equal(x, y, name=None):
    """``tf.math.not_equal``: elementwise ``x != y`` with broadcasting."""
    return _not_equal(x, y)


def tensor_equals(x, y):
    """``t == other``: elementwise, but a scalar False for ``None`` or incompatible shapes."""
    if y is None:
        return False
    x, y = operands(x, y, "Equal")  # dtype errors propagate, as in TF
    try:
        np.broadcast_shapes(x._value.shape, y._value.shape)
    except ValueError:
        return wrap(np.bool_(False))
    return apply(EQUAL, (x, y), {})


def tensor_not_equals(x, y):
    """``t != other``: elementwise, but a scalar True for ``None`` or incompatible shapes."""
    if y is None:
        return True
    x, y = operands(x, y, "NotEqual")
    try:
        np.broadcast_shapes(x._value.shape, y._value.shape)
    except ValueError:
        return wrap(np.bool_(True))
    return apply(NOT_EQUAL, (x, y), {})


# --- n-ary and identity ---------------------------------------------------------------------------

def add_n(inputs, name=None):
    """``tf.math.add_n``: the sum of a list of same-shaped, same-dtype tensors."""
    if not inputs:
        raise ValueError("Inputs must be an iterable of at least one Tensor/IndexedSlices with the "
                         "same dtype and shape.")
    tensors = [tensor(t) for t in inputs]
    total = tensors[0]
    check_kind(total, NUMERIC, "AddN")
    for i, t in enumerate(tensors[1:], 1):  # AddN does not broadcast
        if t._value.shape != total._value.shape:
            dims = ",".join(map(str, total._value.shape)), ",".join(map(str, t._value.shape))
            raise errors.op_error("AddN", "Inputs to operation AddN of type AddN must have the "
                                  f"same size and shape.  Input 0: [{dims[0]}] != input {i}: "
                                  f"[{dims[1]}]", kernel=f"AddN_N_{len(tensors)}")
    if len(tensors) == 1:
        return identity(total)
    for t in tensors[1:]:
        total = add(total, t)
    return total


IDENTITY = primitive("Identity", lambda x: x, save=()).defvjp(lambda g, ans, x: g)
IDENTITY.defjvp(lambda t, ans, x: t)


def identity(input, name=None):  # noqa: A002 - TF's name
    """``tf.identity``: a new tensor with the same value (a Variable is read)."""
    try:
        return apply(IDENTITY, (convert_to_tensor(input),), {})
    except (TypeError, ValueError) as e:  # a RaggedTensor (see _helpers.fallback)
        return fallback(identity, e, input, name)


def conj(x, name=None):
    """``tf.math.conj``: conjugates complex values; a real tensor is returned as is (no op)."""
    if not isinstance(x, Tensor | Variable):
        x = convert_to_tensor(x)
    if x.dtype.is_complex:
        return apply(CONJ, (tensor(x),), {})
    return x


def stop_gradient(input, name=None):  # noqa: A002 - TF's name
    """``tf.stop_gradient``: the same value in a new tensor that no tape or accumulator follows."""
    try:
        with paused():  # a Variable input is read unseen: it is not watched (TF)
            t = convert_to_tensor(input)
    except (TypeError, ValueError) as e:  # a RaggedTensor (see _helpers.fallback)
        return fallback(stop_gradient, e, input, name)
    return apply(STOP_GRADIENT, (t,), {})  # not differentiable: tapes note a cut (explain)


STOP_GRADIENT = not_differentiable(primitive("StopGradient", lambda x: x, save=()))


def scalar_mul(scalar, x, name=None):
    return multiply(scalar, x)


# Elementwise rules broadcast from the right, so extra leading cotangent axes pass through.
batched(NEG, CONJ, ABS, SIGN, SQUARE, SQRT, RSQRT, EXP, EXPM1, LOG, LOG1P, RECIPROCAL, SIN, COS,
        TAN, TANH, SINH, COSH, ATAN, ADD, SUB, MUL, REALDIV, MAXIMUM, MINIMUM, POW, FLOORMOD,
        WHERE, IDENTITY)

# Public names by namespace: "" is the top level (tf.X), others are tf.<namespace>.X.
EXPORTS = {
    "": ["abs", "add", "add_n", "cos", "cosh", "divide", "equal", "exp", "floordiv", "greater",
         "greater_equal", "identity", "less", "less_equal", "logical_and", "logical_not",
         "logical_or", "maximum", "minimum", "multiply", "negative", "not_equal", "pow", "sign",
         "sin", "sinh", "sqrt", "square", "stop_gradient", "subtract", "tan", "tanh", "truediv",
         "where", "atan", "scalar_mul"],
    "math": ["abs", "add", "add_n", "atan", "cos", "cosh", "divide", "equal", "exp", "expm1",
             "floor", "floordiv", "floormod", "greater", "greater_equal", "less", "less_equal",
             "log", "log1p", "logical_and", "logical_not", "logical_or", "logical_xor", "maximum",
             "minimum", "multiply", "negative", "not_equal", "pow", "reciprocal", "rsqrt", "sign",
             "sin", "sinh", "sqrt", "square", "subtract", "tan", "tanh", "truediv", "scalar_mul",
             ("mod", "floormod"), "conj"],
    "bitwise": [("bitwise_and", "bitwise_and"), ("bitwise_or", "bitwise_or"),
                ("bitwise_xor", "bitwise_xor"), ("invert", "invert")],
}
