"""``tf.errors``."""

from .framework.errors import *  # noqa: F401,F403
from .framework.errors import OpError, InvalidArgumentError  # noqa: F401


class OperatorNotAllowedInGraphError(TypeError):
    """``tf.errors.OperatorNotAllowedInGraphError``: a Python operation a graph cannot express."""


OperatorNotAllowedInGraphError.__module__ = "tapeflow.errors"

# TF's error codes (tensorflow/core/protobuf/error_codes.proto), one constant per code.
OK, CANCELLED, UNKNOWN, INVALID_ARGUMENT, DEADLINE_EXCEEDED, NOT_FOUND, ALREADY_EXISTS = range(7)
PERMISSION_DENIED, RESOURCE_EXHAUSTED, FAILED_PRECONDITION, ABORTED, OUT_OF_RANGE = range(7, 12)
UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS, UNAUTHENTICATED = range(12, 17)
