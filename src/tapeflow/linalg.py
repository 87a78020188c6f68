"""``tf.linalg``."""

from .ops.array_ops import eye  # noqa: F401
from .ops.linalg_ops import matmul  # noqa: F401
