"""Sparse and ragged components of dataset elements, as NumPy values inside a pipeline.

A ``tf.SparseTensor`` component is held as a ``SparseValue`` (indices, values, dense_shape) and
a ``tf.RaggedTensor`` as a ``RaggedValue`` (flat values and the row splits of each ragged
dimension). Both slice into rows (``from_tensor_slices``, ``unbatch``) and stack into batches
(``batch``) the way TF's tf.data does: a batch of sparse rows has the largest size of each
dimension, a batch of ragged rows has one ragged dimension more. User functions see them as
SparseTensor / RaggedTensor (a ragged row with no ragged dimension left as a plain tensor).
"""

import numpy as np

from ..framework import dtypes
from ..experimental.extension_type import (ExtensionType, ExtensionTypeSpec, from_fields,
                                            spec_with_fields)
from ..framework.shape import TensorShape
from ..framework.tensor import Tensor, wrap
from ..module import TensorSpec
from ..ops.composite_ops import RaggedTensor, RaggedTensorSpec, SparseTensor, SparseTensorSpec


class SparseValue:
    """A SparseTensor's NumPy parts: ``values[i]`` at ``indices[i]`` of ``dense_shape``."""

    __slots__ = ("indices", "values", "dense_shape")

    def __init__(self, indices, values, dense_shape):
        self.indices, self.values, self.dense_shape = indices, values, dense_shape

    ndim = property(lambda self: len(self.dense_shape))
    shape = property(lambda self: tuple(int(d) for d in self.dense_shape))
    dtype = property(lambda self: self.values.dtype)

    def __len__(self):
        return int(self.dense_shape[0])

    def __iter__(self):
        return (self._row(i) for i in range(len(self)))

    def __getitem__(self, i):
        if isinstance(i, int | np.integer):
            return self._row(int(i))
        return stack([self._row(int(j)) for j in i])

    def _row(self, i):
        at = self.indices[:, 0] == i
        return SparseValue(self.indices[at, 1:], self.values[at], self.dense_shape[1:])

    def tensor(self):
        return SparseTensor(wrap(self.indices), wrap(self.values), wrap(self.dense_shape))

    def numpy(self):
        """As ``as_numpy_iterator`` gives it: TF hands out the dense array."""
        out = np.zeros(self.shape, self.values.dtype)
        out[tuple(self.indices.T)] = self.values
        return out

    def spec(self):
        return SparseTensorSpec(self.shape, dtypes.from_numpy(self.values.dtype))


class RaggedValue:
    """A RaggedTensor's NumPy parts: flat ``values`` and ``splits``, the row splits of each
    ragged dimension, outermost first (none: a row of a ragged tensor, dense itself)."""

    __slots__ = ("values", "splits")

    def __init__(self, values, splits):
        self.values, self.splits = values, list(splits)

    ndim = property(lambda self: len(self.splits) + self.values.ndim)
    dtype = property(lambda self: self.values.dtype)

    @property
    def shape(self):
        if not self.splits:
            return self.values.shape
        return (len(self.splits[0]) - 1,) + (None,) * len(self.splits) + self.values.shape[1:]

    def __len__(self):
        return self.shape[0]

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def __getitem__(self, i):
        if not isinstance(i, int | np.integer):
            return stack([self[int(j)] for j in i])
        if not self.splits:
            return RaggedValue(self.values[i], [])
        lo, hi = self.splits[0][i], self.splits[0][i + 1]
        inner = []
        for s in self.splits[1:]:
            part = s[lo:hi + 1]
            inner.append(part - part[0])
            lo, hi = part[0], part[-1]
        return RaggedValue(self.values[lo:hi], inner)

    def with_splits_dtype(self, np_type):
        return RaggedValue(self.values, [s.astype(np_type) for s in self.splits])

    def tensor(self):
        if not self.splits:
            return wrap(self.values)
        return RaggedTensor.from_nested_row_splits(wrap(self.values),
                                                   [wrap(s) for s in self.splits])

    def numpy(self):
        return self.values if not self.splits else self.tensor().numpy()

    def spec(self):
        return RaggedTensorSpec(self.shape, dtypes.from_numpy(self.values.dtype),
                                len(self.splits), dtypes.from_numpy(self.splits[0].dtype)
                                if self.splits else dtypes.int64)


class ExtensionValue:
    """A ``tf.experimental.ExtensionType`` value's fields: tensors as NumPy values (sparse,
    ragged and extension ones as above), other fields as they are. A row takes row ``i`` of
    every tensor field, and a ``TensorShape`` field (a batchable type's batch shape) drops its
    first dimension; a batch stacks them and prepends the batch size, as TF's batch encoder."""

    __slots__ = ("cls", "fields")

    def __init__(self, cls, fields):
        self.cls, self.fields = cls, fields

    dtype = None  # no one dtype: rows come from iterating it

    def _parts(self):
        return [v for v in self.fields.values() if _is_part(v)]

    @property
    def shape(self):
        """Its batch shape: the first dimension its tensor fields share (none: a scalar)."""
        parts = self._parts()
        return (len(parts[0]),) if parts and np.ndim(parts[0]) else ()

    ndim = property(lambda self: len(self.shape))

    def __len__(self):
        parts = self._parts()
        return len(parts[0]) if parts else 0

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def __getitem__(self, i):
        if not isinstance(i, int | np.integer):
            return stack([self[int(j)] for j in i])
        return ExtensionValue(self.cls, {n: v[i] if _is_part(v) else TensorShape(v)[1:]
                                         if isinstance(v, TensorShape) else v
                                         for n, v in self.fields.items()})

    def tensor(self):
        return from_fields(self.cls, {n: v.tensor() if isinstance(v, COMPOSITE) else
                                      wrap(np.asarray(v)) if _is_part(v) else v
                                      for n, v in self.fields.items()})

    numpy = tensor  # as_numpy_iterator hands out the extension type itself

    def spec(self):
        return self.tensor()._type_spec


def _is_part(v):
    return isinstance(v, (np.ndarray, np.generic) + COMPOSITE)


COMPOSITE = (SparseValue, RaggedValue, ExtensionValue)
SPECS = (SparseTensorSpec, RaggedTensorSpec, ExtensionTypeSpec)


def from_user(value):
    """The NumPy form of a SparseTensor / RaggedTensor / extension type component; None for
    anything else."""
    if isinstance(value, SparseTensor):
        return SparseValue(value.indices._value, value.values._value, value.dense_shape._value)
    if isinstance(value, RaggedTensor):
        return RaggedValue(value.flat_values._value,
                           [np.asarray(s._value, np.int64) for s in value.nested_row_splits])
    if isinstance(value, ExtensionType):
        fields = {}
        for name in value._tf_fields:
            v = getattr(value, name)
            held = from_user(v)
            fields[name] = held if held is not None else v._value if isinstance(v, Tensor) else v
        return ExtensionValue(type(value), fields)
    return None


def ragged_rows(value, k):
    """A dense array (or a ragged component) as a ragged value whose ragged dimensions are its
    first ``k`` after the outermost: a row of what ``ragged_batch`` batches."""
    if isinstance(value, RaggedValue):
        return value
    shape = value.shape
    splits = [np.arange(int(np.prod(shape[:j])) + 1, dtype=np.int64) * shape[j]
              for j in range(1, k + 1)]
    return RaggedValue(value.reshape((-1,) + shape[k + 1:]) if k else value, splits)


def stack(column):
    """One batch of sparse, ragged or extension components (all of the first one's kind)."""
    first = column[0]
    if isinstance(first, ExtensionValue):
        fields = {}
        for name, v in first.fields.items():
            values = [c.fields[name] for c in column]
            fields[name] = (stack(values) if isinstance(v, COMPOSITE) else np.stack(values)
                            if _is_part(v) else TensorShape([len(column)]).concatenate(v)
                            if isinstance(v, TensorShape) else v)
        return ExtensionValue(first.cls, fields)
    if isinstance(first, SparseValue):
        rank = first.ndim
        if any(v.ndim != rank for v in column):
            raise ValueError("Cannot batch SparseTensors of different ranks.")
        size = np.max([v.dense_shape for v in column], axis=0) if rank else np.zeros(0, np.int64)
        indices = [np.concatenate([np.full((len(v.indices), 1), i, np.int64), v.indices], 1)
                   for i, v in enumerate(column)]
        return SparseValue(np.concatenate(indices).reshape(-1, rank + 1),
                           np.concatenate([v.values for v in column]),
                           np.concatenate([[len(column)], size]).astype(np.int64))
    depth = len(first.splits)
    outer = [len(v.splits[0]) - 1 if depth else len(v.values) for v in column]
    splits = [np.concatenate([[0], np.cumsum(outer)]).astype(np.int64)]
    for level in range(depth):
        parts, offset = [], 0
        for v in column:
            s = v.splits[level]
            parts.append(s[:-1] + offset)
            offset += int(s[-1])
        splits.append(np.concatenate(parts + [[offset]]).astype(np.int64))
    return RaggedValue(np.concatenate([v.values for v in column]), splits)


def with_batch_size(value, dim):
    """An extension value whose TensorShape fields say batch size ``dim`` (None: unknown)."""
    if not isinstance(value, ExtensionValue):
        return value
    return ExtensionValue(value.cls, {
        n: with_batch_size(v, dim) if isinstance(v, ExtensionValue) else
        TensorShape([dim]).concatenate(v[1:]) if isinstance(v, TensorShape) and v.rank else v
        for n, v in value.fields.items()})


def batch_spec(spec, dim, add=True):
    """An extension type's spec with a batch dimension ``dim`` added (or taken off): on its
    tensor fields' specs and its TensorShape fields."""
    def change(v):
        if isinstance(v, ExtensionTypeSpec):
            return batch_spec(v, dim, add)
        if isinstance(v, TensorShape):
            return TensorShape([dim]).concatenate(v) if add else v[1:]
        if isinstance(v, SPECS + (TensorSpec,)):
            if v.shape.rank is None:
                return with_shape(v, None, 1 if add else -1)
            return with_shape(v, TensorShape([dim]).concatenate(v.shape) if add else v.shape[1:],
                              1 if add else -1)
        return v
    return spec_with_fields(spec, {n: change(v) for n, v in spec._field_items()})


def with_shape(spec, shape, ragged_change=0):
    """``spec`` of the same kind with another shape (and ragged rank changed by
    ``ragged_change``, for a batch dimension added or taken off)."""
    if isinstance(spec, RaggedTensorSpec):
        return RaggedTensorSpec(shape, spec.dtype, max(spec.ragged_rank + ragged_change, 0),
                                spec._row_splits_dtype)
    if isinstance(spec, SparseTensorSpec):
        return SparseTensorSpec(shape, spec.dtype)
    return TensorSpec(shape, spec.dtype)
