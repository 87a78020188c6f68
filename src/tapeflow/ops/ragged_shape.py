"""``tf.experimental.RowPartition`` and ``tf.experimental.DynamicRaggedShape`` (what
``tf.shape`` gives for a RaggedTensor), with the ops that take one: ``tf.reshape``,
``tf.zeros``, ``tf.ones``, ``tf.fill`` and ``tf.broadcast_to`` build RaggedTensors of that shape.

The partitions hold their row splits as values (eager), as the rest of tapeflow's RaggedTensor.
"""

import numpy as np

from ..framework import dtypes
from ..framework.shape import TensorShape
from ..framework.tensor import Tensor, wrap
from . import array_ops
from ._helpers import dispatch_on_failure, tensor
from .ragged_ops import RaggedTensor, _splits_of


class RowPartition:
    """``tf.experimental.RowPartition``: how a dimension splits its values into rows."""

    def __init__(self, row_splits, uniform_row_length=None):
        self._splits = np.asarray(row_splits)
        self._uniform = uniform_row_length

    @classmethod
    def from_row_splits(cls, row_splits, validate=True, dtype=None, dtype_hint=None):
        return cls(_as_index(row_splits, dtype))

    @classmethod
    def from_row_lengths(cls, row_lengths, validate=True, dtype=None, dtype_hint=None):
        lengths = _as_index(row_lengths, dtype)
        return cls(_splits_of(lengths, lengths.dtype))

    @classmethod
    def from_uniform_row_length(cls, uniform_row_length, nvals=None, nrows=None, validate=True,
                                dtype=None, dtype_hint=None):
        width = int(np.asarray(tensor(uniform_row_length)))
        n = int(nrows) if nrows is not None else int(nvals) // width if width else 0
        kind = np.int64 if dtype is None else dtypes.as_dtype(dtype)._np
        return cls(np.arange(n + 1, dtype=kind) * width, width)

    dtype = property(lambda self: dtypes.from_numpy(self._splits.dtype))

    def row_splits(self):
        return wrap(self._splits)

    def row_lengths(self):
        return wrap(np.diff(self._splits))

    def nrows(self):
        return wrap(np.asarray(len(self._splits) - 1, self._splits.dtype))

    def nvals(self):
        return wrap(np.asarray(self._splits[-1], self._splits.dtype))

    def uniform_row_length(self):
        return None if self._uniform is None else wrap(np.asarray(self._uniform,
                                                                  self._splits.dtype))

    def with_dtype(self, dtype):
        return RowPartition(self._splits.astype(dtypes.as_dtype(dtype)._np), self._uniform)

    def _lengths(self):
        return self._uniform if self._uniform is not None else tuple(
            int(v) for v in np.diff(self._splits))

    def __repr__(self):
        return f"tf.RowPartition(row_splits={self._splits})"


def _as_index(values, dtype=None):
    """Row splits or lengths as an int array: int64 unless ``dtype`` or a tensor says else."""
    arr = np.asarray(tensor(values)._trace_value())
    if dtype is None:
        return arr.astype(arr.dtype if isinstance(values, Tensor) else np.int64)
    return arr.astype(dtypes.as_dtype(dtype)._np)


class DynamicRaggedShape:
    """``tf.experimental.DynamicRaggedShape``: the row partitions of a RaggedTensor's ragged
    dimensions and the dense shape of its flat values (``inner_shape``)."""

    def __init__(self, row_partitions, inner_shape, dtype=None, validate=True,
                 static_inner_shape=None):
        self._partitions = tuple(row_partitions)
        kind = dtypes.as_dtype(dtype)._np if dtype is not None else (
            self._partitions[0]._splits.dtype if self._partitions else
            inner_shape._value.dtype if isinstance(inner_shape, Tensor) else np.int64)
        self._partitions = tuple(p.with_dtype(kind) if p._splits.dtype != kind else p
                                 for p in self._partitions)
        self._inner = np.asarray(tensor(inner_shape)._trace_value()).astype(kind).reshape(-1)

    @classmethod
    def from_lengths(cls, lengths, num_row_partitions=None, dtype=dtypes.int64):
        """From each dimension's length: an int, or a tuple of row lengths (a ragged one)."""
        lengths = list(lengths)
        partitions = []
        nvals = lengths[0]
        last_ragged = max((i for i, v in enumerate(lengths) if isinstance(v, tuple | list)),
                          default=0)
        for v in lengths[1:last_ragged + 1]:
            if isinstance(v, tuple | list):
                partitions.append(RowPartition.from_row_lengths(list(v), dtype=dtype))
                nvals = sum(v)
            else:
                partitions.append(RowPartition.from_uniform_row_length(v, nrows=nvals,
                                                                       dtype=dtype))
                nvals = nvals * v
        return cls(partitions, [nvals] + list(lengths[last_ragged + 1:]), dtype)

    @classmethod
    def from_row_partitions(cls, row_partitions, dtype=None):
        partitions = list(row_partitions)
        return cls(partitions, [int(partitions[-1]._splits[-1])] if partitions else [], dtype)

    def with_dtype(self, dtype):
        return DynamicRaggedShape(self._partitions, self._inner, dtype)

    inner_rank = property(lambda self: len(self._inner))

    @classmethod
    def from_tensor(cls, t, dtype=None):
        if isinstance(t, RaggedTensor):
            return ragged_shape(t, dtypes.int64 if dtype is None else dtype)
        return cls([], list(tensor(t)._value.shape), dtypes.int64 if dtype is None else dtype)

    row_partitions = property(lambda self: self._partitions)
    num_row_partitions = property(lambda self: len(self._partitions))
    inner_shape = property(lambda self: wrap(self._inner))
    dtype = property(lambda self: dtypes.from_numpy(self._inner.dtype))

    @property
    def rank(self):
        return len(self._partitions) + len(self._inner)

    def static_lengths(self, ragged_lengths=True):
        if not self._partitions:
            return [int(v) for v in self._inner]
        out = [len(self._partitions[0]._splits) - 1]
        out += [p._lengths() if ragged_lengths or p._uniform is not None else None
                for p in self._partitions]
        return out + [int(v) for v in self._inner[1:]]

    def is_uniform(self, axis):
        return not isinstance(self.static_lengths()[axis], tuple)

    def _to_tensor_shape(self):
        return TensorShape([d if isinstance(d, int) else None for d in self.static_lengths()])

    def __repr__(self):
        lengths = ", ".join(str(d) for d in self.static_lengths())
        return (f"<DynamicRaggedShape lengths=[{lengths}] "
                f"num_row_partitions={self.num_row_partitions}>")

    def __getitem__(self, key):
        rank = self.rank
        if isinstance(key, slice):
            start, stop, step = key.indices(rank)
            if step != 1 or start != 0:
                raise ValueError("tapeflow slices a DynamicRaggedShape from its start only")
            if stop <= len(self._partitions):  # only outer, uniform-or-ragged dimensions kept
                if stop == 0:
                    return DynamicRaggedShape([], [], self._inner.dtype)
                if stop == 1:
                    return DynamicRaggedShape([], [len(self._partitions[0]._splits) - 1],
                                              self._inner.dtype)
                kept = self._partitions[:stop - 1]
                return DynamicRaggedShape(kept, [int(kept[-1]._splits[-1])], self._inner.dtype)
            return DynamicRaggedShape(self._partitions,
                                      self._inner[:stop - len(self._partitions)],
                                      self._inner.dtype)
        index = int(key)
        if not -rank <= index < rank:
            raise IndexError(f"Expected axis={key} < rank={rank}")
        index %= rank
        lengths = self.static_lengths()
        if isinstance(lengths[index], tuple):
            raise ValueError(f"Index {index} is not uniform")
        return wrap(np.asarray(lengths[index], self._inner.dtype))

    def _build(self, flat):
        """A RaggedTensor of this shape over the flat values ``flat``."""
        out = flat
        for p in reversed(self._partitions):
            out = RaggedTensor(out, wrap(p._splits.astype(np.int64)), p._uniform)
        return out


def ragged_shape(rt, out_type=dtypes.int32):
    """``tf.shape`` of a RaggedTensor."""
    kind = dtypes.as_dtype(out_type)._np
    partitions = [RowPartition(level._splits().astype(kind), level._uniform)
                  for level in rt._levels()]
    return DynamicRaggedShape(partitions, list(rt.flat_values._value.shape), out_type)


# --- the ops that take one ----------------------------------------------------------------------

def _shape(input, out_type=dtypes.int32, name=None):  # noqa: A002 - TF's name
    if not isinstance(input, RaggedTensor):
        return NotImplemented
    return ragged_shape(input, out_type)


def _reshape(tensor_, shape, name=None):
    if not isinstance(shape, DynamicRaggedShape):
        return NotImplemented
    return shape._build(array_ops.reshape(tensor_, shape._inner))


def _filled(make):
    def handler(shape, *args, **kwargs):
        if not isinstance(shape, DynamicRaggedShape):
            return NotImplemented
        return shape._build(make([int(v) for v in shape._inner], *args, **kwargs))
    return handler


def _broadcast_to(input, shape, name=None):  # noqa: A002 - TF's name
    if not isinstance(shape, DynamicRaggedShape):
        return NotImplemented
    return shape._build(array_ops.broadcast_to(input, [int(v) for v in shape._inner]))


dispatch_on_failure(array_ops.shape, _shape, inline=True)
dispatch_on_failure(array_ops.reshape, _reshape, inline=True)
for _op in (array_ops.zeros, array_ops.ones, array_ops.fill):
    dispatch_on_failure(_op, _filled(_op), inline=True)
dispatch_on_failure(array_ops.broadcast_to, _broadcast_to, inline=True)
