"""``tf.math``."""

from .ops.math_ops import (  # noqa: F401
    abs, add, add_n, atan, cos, cosh, divide, equal, exp, expm1, floor, floordiv, floormod,
    greater, greater_equal, less, less_equal, log, log1p, logical_and, logical_not, logical_or,
    logical_xor, maximum, minimum, multiply, negative, not_equal, pow, reciprocal, rsqrt, sign,
    sin, sinh, sqrt, square, subtract, tan, tanh, truediv)
from .ops.nn_ops import sigmoid, softplus  # noqa: F401
from .ops.reduction_ops import (  # noqa: F401
    cumprod, cumsum, reduce_max, reduce_mean, reduce_min, reduce_prod, reduce_sum)

floormod = floormod
mod = floormod
