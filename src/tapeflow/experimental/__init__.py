"""``tf.experimental``: the NumPy API on tensors (``tf.experimental.numpy``), extension types
and API dispatch for them."""

from . import numpy  # noqa: F401
from .extension_type import (  # noqa: F401
    BatchableExtensionType, ExtensionType, ExtensionTypeSpec)
from .dispatch import (  # noqa: F401
    dispatch_for_api, dispatch_for_binary_elementwise_apis, dispatch_for_unary_elementwise_apis,
    unregister_dispatch_for)
from ..ops.ragged_shape import DynamicRaggedShape, RowPartition  # noqa: F401,E402


def __getattr__(name):
    if name == "dtensor":  # over the op library, tf.function and variables: loaded on first use
        from .. import dtensor
        return dtensor
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
