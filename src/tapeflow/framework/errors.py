"""The ``tf.errors`` family: the exception types a TensorFlow user catches."""

import re


class OpError(Exception):
    """Base class of the errors an op raises (``tf.errors.OpError``)."""

    def __init__(self, node_def=None, op=None, message="", *args):
        super().__init__(message)
        self.node_def = node_def
        self.op = op
        self.message = message

    def __str__(self):
        return self.message


def _subclass(name):
    cls = type(name, (OpError,), {"__module__": "tapeflow.errors"})
    return cls


CancelledError = _subclass("CancelledError")
UnknownError = _subclass("UnknownError")
InvalidArgumentError = _subclass("InvalidArgumentError")
DeadlineExceededError = _subclass("DeadlineExceededError")
NotFoundError = _subclass("NotFoundError")
AlreadyExistsError = _subclass("AlreadyExistsError")
PermissionDeniedError = _subclass("PermissionDeniedError")
UnauthenticatedError = _subclass("UnauthenticatedError")
ResourceExhaustedError = _subclass("ResourceExhaustedError")
FailedPreconditionError = _subclass("FailedPreconditionError")
AbortedError = _subclass("AbortedError")
OutOfRangeError = _subclass("OutOfRangeError")
UnimplementedError = _subclass("UnimplementedError")
InternalError = _subclass("InternalError")
UnavailableError = _subclass("UnavailableError")
DataLossError = _subclass("DataLossError")


_DEVICE = "/job:localhost/replica:0/task:0/device:CPU:0"


def op_error(op_type, text, cls=InvalidArgumentError, kernel=None, name=""):
    """An error worded the way eager TensorFlow words it: ``{text} [Op:{op_type}] name: {name}``.

    Errors raised inside a kernel (shape checks, …) carry TF's function-node prefix: pass
    ``kernel=True``, or the kernel's own name where it differs from the op type (``_MklMatMul``).
    ``name=None`` leaves out the `` name: `` suffix, as ``tf.reshape``'s errors do.
    """
    if kernel:
        kernel = op_type if kernel is True else kernel
        text = f"{{{{function_node __wrapped__{kernel}_device_{_DEVICE}}}}} {text}"
    suffix = "" if name is None else f" name: {name}"
    return cls(None, None, f"{text} [Op:{op_type}]{suffix}")


_NUMPY_OOM = re.compile(r"with shape \(([^)]*)\) and data type (\w+)")
_TF_TYPE_NAMES = {"float32": "float", "float64": "double", "float16": "half"}


def out_of_memory(op_type, e):
    """NumPy's MemoryError as TF's ResourceExhaustedError, naming the shape and type it wanted."""
    found = _NUMPY_OOM.search(str(e))
    if found:
        dims = ",".join(d.strip() for d in found.group(1).split(",") if d.strip())
        dtype = _TF_TYPE_NAMES.get(found.group(2), found.group(2))
        what = f"tensor with shape[{dims}] and type {dtype}"
    else:
        what = "tensor"
    return op_error(op_type, f"OOM when allocating {what} on /job:localhost/replica:0/task:0/"
                    "device:CPU:0 by allocator cpu", kernel=True, cls=ResourceExhaustedError)


class OperatorNotAllowedInGraphError(TypeError):
    """``tf.errors.OperatorNotAllowedInGraphError``: a Python operation a graph cannot express
    (``bool`` of a graph tensor, iterating it)."""


OperatorNotAllowedInGraphError.__module__ = "tapeflow.errors"
