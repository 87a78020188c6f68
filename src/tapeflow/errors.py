"""``tf.errors``."""

from .framework.errors import *  # noqa: F401,F403
from .framework.errors import OpError, InvalidArgumentError  # noqa: F401
from .framework.errors import OperatorNotAllowedInGraphError  # noqa: F401  (graph tensors raise it)

# TF's error codes (tensorflow/core/protobuf/error_codes.proto), one constant per code.
OK, CANCELLED, UNKNOWN, INVALID_ARGUMENT, DEADLINE_EXCEEDED, NOT_FOUND, ALREADY_EXISTS = range(7)
PERMISSION_DENIED, RESOURCE_EXHAUSTED, FAILED_PRECONDITION, ABORTED, OUT_OF_RANGE = range(7, 12)
UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS, UNAUTHENTICATED = range(12, 17)
