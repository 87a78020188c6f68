"""``tf.TensorSpec``: the dtype and (possibly partial) shape a tensor must have."""

from . import dtypes
from .shape import TensorShape
from .tensor import Tensor, convert_to_tensor


class TensorSpec:
    """``tf.TensorSpec``: the shape and dtype a ``tf.function`` argument must have."""

    __slots__ = ("shape", "dtype", "name")

    def __init__(self, shape, dtype=dtypes.float32, name=None):
        self.shape = TensorShape(shape)
        self.dtype = dtypes.as_dtype(dtype)
        self.name = name

    def is_compatible_with(self, value):
        t = value if isinstance(value, Tensor) or hasattr(value, "_dense_read") else (
            convert_to_tensor(value))
        return t.dtype == self.dtype and self.shape.is_compatible_with(t.shape)

    def __repr__(self):
        return f"TensorSpec(shape={self.shape}, dtype={self.dtype!r}, name={self.name!r})"

    def __eq__(self, other):
        return isinstance(other, TensorSpec) and (self.shape, self.dtype, self.name) == (
            other.shape, other.dtype, other.name)

    def __hash__(self):
        return hash((self.shape._dims, self.dtype, self.name))

    @classmethod
    def from_tensor(cls, tensor, name=None):
        return cls(tensor.shape, tensor.dtype, name)

    def most_specific_common_supertype(self, others):
        shape = self.shape
        for o in others:
            if o.dtype != self.dtype or o.shape.rank != shape.rank:
                return None
            if shape.rank is not None:
                shape = TensorShape([a if a == b else None for a, b in zip(shape, o.shape)])
        return TensorSpec(shape, self.dtype)
