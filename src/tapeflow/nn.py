"""``tf.nn``."""

from .ops.nn_ops import relu, sigmoid, softplus  # noqa: F401
from .ops.math_ops import tanh  # noqa: F401
