"""What every op module shares: operand conversion (no implicit promotion) and TF's dtype errors."""

import numpy as np

from ..engine.core import apply
from ..framework import dtypes, errors
from ..framework.tensor import EagerTensor, Tensor, convert_to_tensor, to_array, wrap
from ..framework.variable import Variable

FLOAT = "fc"            # float and complex kinds
REAL = "f"
NUMERIC = "fciu"
ANY = "fciubOSU"


def tensor(x):
    """The hot-path conversion: tensors pass, everything else goes through convert_to_tensor."""
    return x if type(x) is EagerTensor else convert_to_tensor(x)


def _kind_name(np_dtype):
    return dtypes.from_numpy(np_dtype)._op_name


def dtype_mismatch(op_type, index, expected, actual):
    return errors.op_error(
        op_type, f"cannot compute {op_type} as input #{index}(zero-based) was expected to be a "
        f"{_kind_name(expected)} tensor but is a {_kind_name(actual)} tensor")


def operands(x, y, op_type):
    """Convert a binary op's operands TF's way: the non-tensor side takes the tensor's dtype."""
    if type(x) is EagerTensor and type(y) is EagerTensor:
        if x._value.dtype != y._value.dtype:
            raise dtype_mismatch(op_type, 1, x._value.dtype, y._value.dtype)
        return x, y
    if isinstance(x, Variable):
        x = x._dense_read()
    if isinstance(y, Variable):
        y = y._dense_read()
    if isinstance(x, Tensor):
        if isinstance(y, Tensor):
            if x._value.dtype != y._value.dtype:
                raise dtype_mismatch(op_type, 1, x._value.dtype, y._value.dtype)
            return x, y
        return x, like(y, x)
    if isinstance(y, Tensor):
        return like(x, y), y
    x = convert_to_tensor(x)
    return x, like(y, x)


def like(value, t):
    """A non-tensor operand converted to tensor ``t``'s dtype (TypeError when that loses data)."""
    np_dtype = t._value.dtype
    if type(value) is float and np_dtype.kind in "fc":
        return wrap(np.array(value, np_dtype))
    return wrap(to_array(value, dtypes.from_numpy(np_dtype)))


def check_kind(x, kinds, op_type):
    if x._value.dtype.kind not in kinds:
        raise errors.op_error(op_type, f"Value for attr 'T' of {x.dtype.name} is not in the list of "
                              f"allowed values for {op_type}")


def unary_op(prim, kinds=FLOAT, doc=None):
    """The public function of a one-input primitive: convert, check dtype, apply."""
    def op(x, name=None):
        x = x if type(x) is EagerTensor else convert_to_tensor(x)
        if x._value.dtype.kind not in kinds:
            check_kind(x, kinds, prim.name)
        return apply(prim, (x,), {})
    op.__doc__ = doc or f"Elementwise ``{prim.name}`` (differentiable)."
    return op


def binary_op(prim, kinds=NUMERIC, doc=None):
    """The public function of a two-input elementwise primitive."""
    op_type = prim.name

    def op(x, y, name=None):
        x, y = operands(x, y, op_type)
        if x._value.dtype.kind not in kinds:
            check_kind(x, kinds, op_type)
        return apply(prim, (x, y), {})
    op.__doc__ = doc or f"Elementwise ``{prim.name}`` with broadcasting (differentiable)."
    return op


def normalize_axis(axis, ndim):
    """``axis`` (None, int, list or tensor) as a sorted tuple of non-negative ints, or None."""
    if axis is None:
        return None
    if isinstance(axis, Tensor | Variable):
        axis = np.asarray(axis).tolist()
    if isinstance(axis, int | np.integer):
        axis = (axis,)
    out = []
    for a in axis:
        a = int(a)
        if not -ndim <= a < max(ndim, 1):
            raise errors.op_error("Sum", f"Invalid reduction dimension {a} for input with {ndim} "
                                  "dimensions.")
        out.append(a % ndim if ndim else 0)
    return tuple(sorted(set(out)))
