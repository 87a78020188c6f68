"""The op library. Importing it attaches the Python operators to tensors and variables and gives
the backward engine the few kernels it needs (it must not import the op modules itself)."""

import numpy as np

from ..engine import backprop
from ..engine.core import state, user_location
from ..framework.tensor import EagerTensor, convert_to_tensor, value_of
from ..framework.variable import ResourceVariable
from . import array_ops, linalg_ops, decomposition_ops, math_ops, nn_ops, random_ops  # noqa: F401
from . import reduction_ops  # noqa: F401
from . import complex_ops, special_ops  # noqa: F401
from . import _helpers, _k, debug_ops, manip_ops, index_ops  # noqa: F401
from . import variable_ops

FAMILIES = [math_ops, reduction_ops, array_ops, linalg_ops, decomposition_ops, nn_ops, random_ops,
            special_ops, complex_ops, manip_ops, index_ops, debug_ops]


def export(namespace, target):
    """Copy each family's public names for ``namespace`` ("" = top level) into ``target``.

    A family module lists them in ``EXPORTS``; an entry is a name or (public name, attribute).
    """
    for module in FAMILIES:
        for entry in getattr(module, "EXPORTS", {}).get(namespace, ()):
            public, attr = entry if isinstance(entry, tuple) else (entry, entry)
            fn = getattr(module, attr)
            if getattr(fn, "__name__", None) == "op":  # made by unary_op/binary_op: name it
                fn.__name__ = fn.__qualname__ = attr
            target[public] = _helpers.exported(fn)


_NUMPY = (np.ndarray, np.generic)


def _reflected(fn):
    def op(x, y):
        if type(y) is not float and isinstance(y, _NUMPY):  # `array + t`: the array takes t's
            y = convert_to_tensor(y, x.dtype)                # dtype first
        return fn(y, x)
    op.__name__ = f"r{fn.__name__}"
    return op


def _by_dtype(logical, bitwise):
    def op(x, y):
        t = x if isinstance(x, EagerTensor | ResourceVariable) else y  # y when reflected: 3 & t
        kind = value_of(t).dtype.kind
        return (logical if kind == "b" else bitwise)(x, y)
    return op


def _invert(x):
    kind = value_of(x).dtype.kind
    return (math_ops.logical_not if kind == "b" else math_ops.invert)(x)


_and = _by_dtype(math_ops.logical_and, math_ops.bitwise_and)
_or = _by_dtype(math_ops.logical_or, math_ops.bitwise_or)
_xor = _by_dtype(math_ops.logical_xor, math_ops.bitwise_xor)

OPERATORS = {
    "__add__": math_ops.add, "__radd__": _reflected(math_ops.add),
    "__sub__": math_ops.subtract, "__rsub__": _reflected(math_ops.subtract),
    "__mul__": math_ops.multiply, "__rmul__": _reflected(math_ops.multiply),
    "__truediv__": math_ops.truediv, "__rtruediv__": _reflected(math_ops.truediv),
    "__floordiv__": math_ops.floordiv, "__rfloordiv__": _reflected(math_ops.floordiv),
    "__mod__": math_ops.floormod, "__rmod__": _reflected(math_ops.floormod),
    "__pow__": math_ops.pow, "__rpow__": _reflected(math_ops.pow),
    "__matmul__": linalg_ops.matmul, "__rmatmul__": _reflected(linalg_ops.matmul),
    "__and__": _and, "__rand__": _reflected(_and),
    "__or__": _or, "__ror__": _reflected(_or),
    "__xor__": _xor, "__rxor__": _reflected(_xor),
    "__lt__": math_ops.less, "__le__": math_ops.less_equal,
    "__gt__": math_ops.greater, "__ge__": math_ops.greater_equal,
    "__eq__": math_ops.tensor_equals, "__ne__": math_ops.tensor_not_equals,
    "__neg__": math_ops.negative, "__abs__": math_ops.abs, "__invert__": _invert,
    "__getitem__": array_ops.getitem,
}

def _marks_origin(fn):
    """A Variable's operator: the result remembers the Variable when no tape is recording, so
    ``tape.explain`` can say "x = x + 1 replaced the Variable with a Tensor" later."""
    def op(self, *args):
        out = fn(self, *args)
        if not state.stack and isinstance(out, EagerTensor):
            out._origin = (self.name, user_location())
        return out
    op.__name__ = fn.__name__
    return op


for _name, _fn in OPERATORS.items():
    setattr(EagerTensor, _name, _fn)
    setattr(ResourceVariable, _name, _fn if _name == "__getitem__" else _marks_origin(_fn))

for _name, _fn in variable_ops.METHODS.items():
    setattr(ResourceVariable, _name, _fn)

backprop.kernels.update(
    reduce_sum=lambda g, axis, keepdims: reduction_ops.SUM(g, axis=axis, keepdims=keepdims),
    reshape=lambda g, shape: array_ops.RESHAPE(g, shape=shape),
    cast=lambda g, np_dtype: array_ops.CAST(g, dtype=np_dtype),
    transpose=lambda g, perm: array_ops.TRANSPOSE(g, perm=perm),
    zeros_like=_k.zeros_like,
    ones_like=_k.ones_like,
    stack=lambda tensors: manip_ops.stack(tensors),
    unbroadcast_like=lambda g, x: array_ops.UNBROADCAST_LIKE(g, x),
)

from . import array_extra_ops, assert_ops, framework_api, special_fn_ops, signal_ops  # noqa: E402,E501
from . import conv_ops, image_codecs, image_ops, linalg_extra_ops, random_extra_ops  # noqa: E402,E501
from . import audio_ops, composite_ops, ctc_ops, misc_extra_ops, ragged_ops  # noqa: E402
FAMILIES += [array_extra_ops, assert_ops, framework_api, special_fn_ops, signal_ops, image_ops,
             image_codecs, conv_ops, linalg_extra_ops, random_extra_ops, misc_extra_ops,
             composite_ops, ctc_ops, audio_ops, ragged_ops]
from . import string_ops  # noqa: E402
FAMILIES += [string_ops]
from . import ragged_dispatch, ragged_shape  # noqa: E402,F401 - after every op they register for
from . import shape_rules  # noqa: E402

shape_rules.attach()
