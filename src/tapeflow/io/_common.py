"""What the ``tf.io`` ops share: string operands as NumPy object arrays, TF's kernel errors, and
running a NumPy kernel eagerly or, inside a ``tf.function``, as a ``numpy_function``."""

import os

import numpy as np

from ..framework import dtypes, errors
from ..framework.tensor import convert_to_tensor, wrap
from ..engine.core import state
from ..graph.script_ops import numpy_function


def strings(x):
    """A string operand (str, bytes, list or tensor) as a NumPy object array of bytes."""
    arr = np.asarray(convert_to_tensor(x, dtypes.string)._value, object)
    out = np.empty(arr.shape, object)
    out.reshape(-1)[:] = [v.encode() if isinstance(v, str) else bytes(v) for v in arr.reshape(-1)]
    return out


def path(x):
    """A file-name operand as ``str``."""
    value = strings(x)
    if value.ndim:
        raise ValueError(f"Shape must be rank 0 but is rank {value.ndim}")
    return os.fsdecode(value.item())


def protos():
    """The protobuf messages (tapeflow/io/_protos.py), imported on first use: they need the
    optional protobuf package (``pip install 'tapeflow[checkpoint]'``)."""
    from . import _protos
    return _protos


def os_error_class(e):
    """TF's error class for a failed file operation."""
    return {FileNotFoundError: errors.NotFoundError, FileExistsError: errors.AlreadyExistsError,
            PermissionError: errors.PermissionDeniedError}.get(type(e),
                                                                errors.FailedPreconditionError)


def kernel_error(op_type, text, cls=errors.InvalidArgumentError, kernel=True, name=None):
    return errors.op_error(op_type, text, cls=cls, kernel=kernel, name=name)


def run(kernel, inputs, out_dtype, stateful=False):
    """``kernel(*arrays)`` on the inputs' values, as a tensor of ``out_dtype`` (a list of them
    for a list of dtypes); a graph node, run with each call, when a ``tf.function`` traces it."""
    inputs = [convert_to_tensor(x) for x in inputs]
    if state.graph is not None:
        return numpy_function(kernel, inputs, out_dtype, stateful=stateful)
    out = kernel(*[np.asarray(x._value) for x in inputs])
    return [wrap(np.asarray(o)) for o in out] if isinstance(out_dtype, list) else wrap(out)
