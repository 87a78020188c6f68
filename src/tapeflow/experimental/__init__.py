"""``tf.experimental``: the NumPy API on tensors (``tf.experimental.numpy``)."""

from . import numpy  # noqa: F401
