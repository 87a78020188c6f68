"""A sliver of ``tf.keras``: the layers TensorFlow's autodiff guides use."""

from . import activations, initializers, layers  # noqa: F401
