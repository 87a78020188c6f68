"""``tf.SparseTensor`` basics, with ``tf.sparse``: construction, conversion to and from dense,
the ops TF's guides use, and its TypeSpec (``tf.RaggedTensor`` is in ``ragged_ops``).

A thin Python container around dense tensors (indices and values); its ops are compositions of
tapeflow ops, so gradients flow to ``values`` as in TF.
"""

import numpy as np

from ..framework import dtypes
from ..framework.shape import TensorShape
from ..engine.core import apply
from ..framework.tensor import Tensor, convert_to_tensor, wrap
from . import _k
from ._helpers import tensor
from .array_ops import cast, shape
from .framework_api import TypeSpec
from .index_ops import gather, gather_nd, scatter_nd
from .linalg_ops import matmul
from .manip_ops import concat
from .math_ops import NOT_EQUAL, where
from .reduction_ops import reduce_sum
from .ragged_ops import (  # noqa: F401 - their home before ragged_ops; callers import them here
    RaggedTensor, RaggedTensorSpec, map_flat_values, ragged_constant)


def _int64(x):
    if isinstance(x, Tensor):  # an op (not its value), so a traced graph computes it per call
        return x if x._value.dtype == np.int64 else cast(x, dtypes.int64)
    return wrap(np.asarray(tensor(x)._value, np.int64))


# --- SparseTensor --------------------------------------------------------------------------------

class SparseTensor:
    """``tf.SparseTensor``: ``values[i]`` sits at ``indices[i]`` of a ``dense_shape`` tensor."""

    def __init__(self, indices, values, dense_shape):
        self._indices = _int64(indices)
        self._values = values if isinstance(values, Tensor) else convert_to_tensor(values)
        self._dense_shape = _int64(dense_shape)
        if self._indices._value.ndim != 2:
            raise ValueError(f"Shape {self._indices.shape} must have rank 2")
        if self._values._value.ndim != 1:
            raise ValueError(f"Shape {self._values.shape} must have rank 1")

    indices = property(lambda self: self._indices)
    values = property(lambda self: self._values)
    dense_shape = property(lambda self: self._dense_shape)
    dtype = property(lambda self: self._values.dtype)
    shape = property(lambda self: TensorShape([int(d) for d in self._dense_shape._value]))

    def get_shape(self):
        return self.shape

    def with_values(self, new_values):
        return SparseTensor(self._indices, new_values, self._dense_shape)

    def __repr__(self):
        return (f"SparseTensor(indices={str(self._indices)}, values={str(self._values)}, "
                f"dense_shape={str(self._dense_shape)})")

    __str__ = __repr__

    @classmethod
    def from_value(cls, value):
        return value if isinstance(value, SparseTensor) else cls(*value)

    def __mul__(self, other):  # sparse * dense: elementwise at the stored entries
        return self.with_values(self._values * gather_nd(tensor(other) if not isinstance(
            other, Tensor) else other, self._indices) if getattr(other, "shape", ()) != ()
            else self._values * other)


class SparseTensorSpec(TypeSpec):
    """``tf.SparseTensorSpec``."""

    __slots__ = ("_shape", "_dtype")

    def __init__(self, shape=None, dtype=dtypes.float32):
        self._shape = TensorShape(shape)
        self._dtype = dtypes.as_dtype(dtype)

    shape = property(lambda self: self._shape)
    dtype = property(lambda self: self._dtype)

    value_type = property(lambda self: SparseTensor)

    def _fields(self):
        return (self._shape, self._dtype)

    def is_compatible_with(self, value):
        return (isinstance(value, SparseTensor) and value.dtype == self._dtype
                and self._shape.is_compatible_with(value.shape))


def _sparse(x):
    if not isinstance(x, SparseTensor):
        raise TypeError(f"Input must be a SparseTensor, got {type(x).__name__}")
    return x


def to_dense(sp_input, default_value=None, validate_indices=True, name=None):
    """``tf.sparse.to_dense`` (differentiable in the values)."""
    sp = _sparse(sp_input)
    shape = tuple(int(d) for d in sp.dense_shape._trace_value())
    if sp.values._value.dtype.kind == "O":  # strings: placed by value (no gradient to carry)
        out = np.full(shape, b"" if default_value is None else tensor(default_value)._value.item(),
                      object)
        out[tuple(sp.indices._trace_value().T)] = sp.values._trace_value()
        return wrap(out)
    dense = scatter_nd(sp.indices, sp.values, shape)
    if default_value is None or np.asarray(default_value) == 0:
        return dense
    filled = np.full(shape, np.asarray(default_value), sp.values._value.dtype)
    filled[tuple(sp.indices._trace_value().T)] = 0
    return dense + wrap(filled)


def from_dense(tensor_, name=None):
    """``tf.sparse.from_dense``: the non-zero entries (differentiable in the tensor)."""
    t = tensor(tensor_)
    # Ops on t (not NumPy on its value): a traced graph finds each call's non-zero entries.
    indices = where(apply(NOT_EQUAL, (t, wrap(np.zeros((), t._value.dtype))), {}))
    return SparseTensor(indices, gather_nd(t, indices), shape(t, dtypes.int64))


def reorder(sp_input, name=None):
    """``tf.sparse.reorder``: entries in row-major order."""
    sp = _sparse(sp_input)
    idx = np.asarray(sp.indices)  # read by value (guarded in a graph)
    order = np.lexsort(idx.T[::-1]) if idx.size else np.arange(0)
    return SparseTensor(wrap(idx[order]), gather(sp.values, order), sp.dense_shape)


def sparse_add(a, b, threshold=0, name=None):
    """``tf.sparse.add``: sparse + sparse (a SparseTensor) or sparse + dense (dense)."""
    if isinstance(a, SparseTensor) and isinstance(b, SparseTensor):
        both = concat([a.values, b.values], 0)
        idx = np.concatenate([a.indices._trace_value(), b.indices._trace_value()])
        keys, inverse = np.unique(idx, axis=0, return_inverse=True)
        from .index_ops import unsorted_segment_sum
        summed = unsorted_segment_sum(both, wrap(inverse.reshape(-1).astype(np.int32)),
                                      len(keys))
        return SparseTensor(wrap(keys.astype(np.int64)), summed, a.dense_shape)
    sp, dense = (a, b) if isinstance(a, SparseTensor) else (b, a)
    return to_dense(sp) + dense


def sparse_dense_matmul(sp_a, b, adjoint_a=False, adjoint_b=False, name=None):
    """``tf.sparse.sparse_dense_matmul`` (through the dense form; differentiable)."""
    a = to_dense(sp_a) if isinstance(sp_a, SparseTensor) else sp_a
    b = to_dense(b) if isinstance(b, SparseTensor) else b
    return matmul(a, b, adjoint_a=adjoint_a, adjoint_b=adjoint_b)


def sparse_reduce_sum(sp_input, axis=None, keepdims=None, output_is_sparse=False, name=None):
    """``tf.sparse.reduce_sum``."""
    out = reduce_sum(to_dense(sp_input), axis=axis, keepdims=bool(keepdims))
    return from_dense(out) if output_is_sparse else out


def sparse_reduce_max(sp_input, axis=None, keepdims=None, output_is_sparse=False, name=None):
    """``tf.sparse.reduce_max``: the max of the stored values (implicit zeros do not count; a
    reduction over no stored value gives 0)."""
    from .reduction_ops import reduce_max
    sp = _sparse(sp_input)
    low = -np.inf if sp.dtype.is_floating else np.iinfo(sp.values._value.dtype).min
    out = reduce_max(to_dense(sp, default_value=low), axis=axis, keepdims=bool(keepdims))
    out = where(out == low, _k.zeros_like(out), out)  # ops: a traced graph's values
    return from_dense(out) if output_is_sparse else out


def map_values(op, *args, **kwargs):
    """``tf.sparse.map_values``: ``op`` on the values of the SparseTensor arguments."""
    sp = next(a for a in list(args) + list(kwargs.values()) if isinstance(a, SparseTensor))
    new_args = [a.values if isinstance(a, SparseTensor) else a for a in args]
    new_kwargs = {k: v.values if isinstance(v, SparseTensor) else v for k, v in kwargs.items()}
    return sp.with_values(op(*new_args, **new_kwargs))


def sparse_transpose(sp_input, perm=None, name=None):
    """``tf.sparse.transpose``."""
    sp = _sparse(sp_input)
    nd = sp.indices._value.shape[1]
    perm = list(range(nd))[::-1] if perm is None else [int(p) for p in perm]
    out = SparseTensor(wrap(sp.indices._trace_value()[:, perm]), sp.values,
                       wrap(sp.dense_shape._trace_value()[perm]))
    return reorder(out)


def sparse_concat(axis, sp_inputs, expand_nonconcat_dims=False, name=None):
    """``tf.sparse.concat``."""
    axis = int(axis) % sp_inputs[0].indices._value.shape[1]
    offset, idx, shape = 0, [], sp_inputs[0].dense_shape._trace_value().copy()
    for sp in sp_inputs:
        i = sp.indices._trace_value().copy()
        i[:, axis] += offset
        idx.append(i)
        offset += int(sp.dense_shape._trace_value()[axis])
    shape[axis] = offset
    return reorder(SparseTensor(wrap(np.concatenate(idx)), concat([s.values for s in sp_inputs],
                                                                  0), wrap(shape)))


def sparse_slice(sp_input, start, size, name=None):
    """``tf.sparse.slice``."""
    sp = _sparse(sp_input)
    start, size = np.asarray(start, np.int64), np.asarray(size, np.int64)
    end = np.minimum(start + size, sp.dense_shape._trace_value())
    idx = sp.indices._trace_value()
    keep = np.flatnonzero(np.all((idx >= start) & (idx < end), axis=1))
    # a start past the end gives an empty dimension, as TF's SparseSlice does
    return SparseTensor(wrap(idx[keep] - start), gather(sp.values, keep),
                        wrap(np.maximum(end - start, 0)))


def sparse_reshape(sp_input, shape, name=None):
    """``tf.sparse.reshape``."""
    sp = _sparse(sp_input)
    old = sp.dense_shape._trace_value()
    new = np.asarray(shape, np.int64).copy()
    if (new == -1).any():
        new[new == -1] = int(np.prod(old)) // int(np.prod(new[new != -1]))
    flat = np.ravel_multi_index(tuple(sp.indices._trace_value().T), old) if sp.indices._value.size \
        else np.zeros(0, np.int64)
    idx = np.stack(np.unravel_index(flat, new), 1) if flat.size else np.zeros((0, len(new)),
                                                                              np.int64)
    return SparseTensor(wrap(idx.astype(np.int64)), sp.values, wrap(new))


def sparse_retain(sp_input, to_retain):
    """``tf.sparse.retain``: the entries where ``to_retain`` is true."""
    sp = _sparse(sp_input)
    keep = np.flatnonzero(np.asarray(tensor(to_retain)._trace_value()))
    return SparseTensor(wrap(sp.indices._trace_value()[keep]), gather(sp.values, keep),
                        sp.dense_shape)


def sparse_expand_dims(sp_input, axis=None, name=None):
    """``tf.sparse.expand_dims``."""
    sp = _sparse(sp_input)
    nd = sp.indices._value.shape[1]
    axis = int(axis if axis is not None else -1)
    axis = axis + nd + 1 if axis < 0 else axis
    idx = np.insert(sp.indices._trace_value(), axis, 0, axis=1)
    shape = np.insert(sp.dense_shape._trace_value(), axis, 1)
    return SparseTensor(wrap(idx), sp.values, wrap(shape))


def sparse_eye(num_rows, num_columns=None, dtype=dtypes.float32, name=None):
    """``tf.sparse.eye``."""
    m = int(num_columns if num_columns is not None else num_rows)
    n = min(int(num_rows), m)
    idx = np.stack([np.arange(n), np.arange(n)], 1).astype(np.int64)
    return SparseTensor(wrap(idx), wrap(np.ones(n, dtypes.as_dtype(dtype)._np)),
                        wrap(np.asarray([int(num_rows), m], np.int64)))


def _spec_of(value):
    if isinstance(value, SparseTensor):
        return SparseTensorSpec(value.shape, value.dtype)
    if isinstance(value, RaggedTensor):
        return RaggedTensorSpec(value.shape, value.dtype, value.ragged_rank)
    return None


EXPORTS = {
    "": ["SparseTensor", "SparseTensorSpec"],
    "sparse": ["SparseTensor", "to_dense", "from_dense", "reorder", ("add", "sparse_add"),
               "sparse_dense_matmul", ("matmul", "sparse_dense_matmul"),
               ("reduce_sum", "sparse_reduce_sum"), ("reduce_max", "sparse_reduce_max"),
               "map_values",
               ("transpose", "sparse_transpose"), ("concat", "sparse_concat"),
               ("slice", "sparse_slice"), ("reshape", "sparse_reshape"),
               ("retain", "sparse_retain"), ("expand_dims", "sparse_expand_dims"),
               ("eye", "sparse_eye")],
}
