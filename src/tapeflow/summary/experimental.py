"""``tf.summary.experimental``."""

from .writer import get_step, set_step  # noqa: F401
