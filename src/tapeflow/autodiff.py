"""``tf.autodiff``."""

from .engine.forwardprop import ForwardAccumulator  # noqa: F401
from .engine.tape import GradientTape  # noqa: F401
