"""A sliver of ``tf.keras``: the layers TensorFlow's autodiff guides use."""

from . import activations, initializers, layers  # noqa: F401
from . import optimizers  # noqa: F401,E402
from . import losses  # noqa: F401,E402
from . import metrics  # noqa: F401,E402
