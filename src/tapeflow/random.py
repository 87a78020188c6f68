"""``tf.random``."""

from .ops.random_ops import normal, set_seed, uniform  # noqa: F401
