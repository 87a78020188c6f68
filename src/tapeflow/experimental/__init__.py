"""``tf.experimental``: the NumPy API on tensors (``tf.experimental.numpy``) and extension
types."""

from . import numpy  # noqa: F401
from .extension_type import (  # noqa: F401
    BatchableExtensionType, ExtensionType, ExtensionTypeSpec)
