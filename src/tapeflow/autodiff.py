"""``tf.autodiff``."""

from .engine.tape import GradientTape  # noqa: F401
