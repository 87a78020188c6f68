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
from ..framework.tensor import wrap
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


COMPOSITE = (SparseValue, RaggedValue)
SPECS = (SparseTensorSpec, RaggedTensorSpec)


def from_user(value):
    """The NumPy form of a SparseTensor / RaggedTensor component; None for anything else."""
    if isinstance(value, SparseTensor):
        return SparseValue(value.indices._value, value.values._value, value.dense_shape._value)
    if isinstance(value, RaggedTensor):
        return RaggedValue(value.flat_values._value,
                           [np.asarray(s._value, np.int64) for s in value.nested_row_splits])
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
    """One batch of sparse or ragged components (all of the first one's kind)."""
    first = column[0]
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


def with_shape(spec, shape, ragged_change=0):
    """``spec`` of the same kind with another shape (and ragged rank changed by
    ``ragged_change``, for a batch dimension added or taken off)."""
    if isinstance(spec, RaggedTensorSpec):
        return RaggedTensorSpec(shape, spec.dtype, max(spec.ragged_rank + ragged_change, 0),
                                spec._row_splits_dtype)
    if isinstance(spec, SparseTensorSpec):
        return SparseTensorSpec(shape, spec.dtype)
    return TensorSpec(shape, spec.dtype)
