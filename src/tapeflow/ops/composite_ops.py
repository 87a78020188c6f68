"""``tf.SparseTensor`` and ``tf.RaggedTensor`` basics, with ``tf.sparse`` and ``tf.ragged``:
construction, conversion to and from dense, the ops TF's guides use, and their TypeSpecs.

Both are thin Python containers around dense tensors (indices/values, row_splits/flat values);
their ops are compositions of tapeflow ops, so gradients flow to ``values`` as in TF.
"""

import numpy as np

from ..framework import dtypes, errors
from ..framework.shape import TensorShape
from ..engine.core import apply
from ..framework.tensor import Tensor, convert_to_tensor, wrap
from . import _k
from ._helpers import tensor
from .array_ops import cast, reshape, shape
from .framework_api import TypeSpec
from .index_ops import gather, gather_nd, scatter_nd
from .linalg_ops import matmul
from .manip_ops import concat
from .math_ops import NOT_EQUAL, where
from .reduction_ops import reduce_sum


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


# --- RaggedTensor --------------------------------------------------------------------------------

class RaggedTensor:
    """``tf.RaggedTensor``: rows of different lengths over ``values`` split at ``row_splits``
    (``values`` may itself be ragged)."""

    def __init__(self, values, row_splits):
        self._values = values
        self._row_splits = row_splits

    @classmethod
    def from_row_splits(cls, values, row_splits, name=None, validate=True):
        # int32 splits given as a tensor stay int32 (``row_splits_dtype``), as in TF
        splits = row_splits if isinstance(row_splits, Tensor) and row_splits._value.dtype == \
            np.int32 else _int64(row_splits)
        s = np.asarray(splits)  # read by value (guarded in a graph)
        if validate and (s.ndim != 1 or not s.size or s[0] != 0 or (np.diff(s) < 0).any()):
            raise errors.InvalidArgumentError(None, None, "Arguments to from_row_splits do not "
                                              "form a valid RaggedTensor")
        vals = values if isinstance(values, RaggedTensor) else tensor(values)
        return cls(vals, splits)

    @classmethod
    def from_row_lengths(cls, values, row_lengths, name=None, validate=True):
        lengths = np.asarray(tensor(row_lengths), np.int64)
        return cls.from_row_splits(values, np.concatenate([[0], np.cumsum(lengths)]))

    @classmethod
    def from_value_rowids(cls, values, value_rowids, nrows=None, name=None, validate=True):
        ids = np.asarray(tensor(value_rowids), np.int64)
        n = int(nrows) if nrows is not None else (int(ids.max()) + 1 if ids.size else 0)
        return cls.from_row_lengths(values, np.bincount(ids, minlength=n)[:n])

    @classmethod
    def from_row_starts(cls, values, row_starts, name=None, validate=True):
        starts = np.asarray(tensor(row_starts), np.int64)
        n = _nvals(values)
        return cls.from_row_splits(values, np.concatenate([starts, [n]]))

    @classmethod
    def from_row_limits(cls, values, row_limits, name=None, validate=True):
        limits = np.asarray(tensor(row_limits), np.int64)
        return cls.from_row_splits(values, np.concatenate([[0], limits]))

    @classmethod
    def from_nested_row_splits(cls, flat_values, nested_row_splits, name=None, validate=True):
        out = flat_values
        for splits in reversed(list(nested_row_splits)):
            out = cls.from_row_splits(out, splits)
        return out

    @classmethod
    def from_tensor(cls, tensor_, lengths=None, padding=None, ragged_rank=1, name=None):
        t = tensor(tensor_)
        n, m = t._value.shape[:2]
        if lengths is not None:
            lens = np.asarray(tensor(lengths), np.int64)  # read by value (guarded in a graph)
        elif padding is not None:
            pad, value = np.asarray(tensor(padding)), np.asarray(t)
            is_pad = value == pad if value.ndim == 2 else np.all(
                value == pad, axis=tuple(range(2, value.ndim)))
            lens = np.array([m - np.argmax(~row[::-1]) if (~row).any() else 0
                             for row in is_pad], np.int64)
        else:
            lens = np.full(n, m, np.int64)
        keep = np.concatenate([np.arange(i * m, i * m + k) for i, k in enumerate(lens)]) \
            if n else np.zeros(0, np.int64)
        flat = reshape(t, (n * m,) + t._value.shape[2:])
        return cls.from_row_lengths(gather(flat, keep.astype(np.int64)), lens)

    values = property(lambda self: self._values)
    row_splits = property(lambda self: self._row_splits)

    @property
    def flat_values(self):
        v = self._values
        while isinstance(v, RaggedTensor):
            v = v.values
        return v

    @property
    def nested_row_splits(self):
        out, v = [self._row_splits], self._values
        while isinstance(v, RaggedTensor):
            out.append(v.row_splits)
            v = v.values
        return tuple(out)

    @property
    def ragged_rank(self):
        return 1 + (self._values.ragged_rank if isinstance(self._values, RaggedTensor) else 0)

    dtype = property(lambda self: self.flat_values.dtype)

    @property
    def shape(self):
        inner = self._values.shape
        return TensorShape([self.nrows_int(), None] + list(inner)[1:])

    def nrows_int(self):
        return int(self._row_splits._value.shape[0]) - 1

    def nrows(self, out_type=None, name=None):
        kind = self._row_splits._value.dtype if out_type is None else \
            dtypes.as_dtype(out_type)._np
        return wrap(np.asarray(self.nrows_int(), kind))

    def row_lengths(self, axis=1, name=None):
        return self._row_splits[1:] - self._row_splits[:-1]  # ops: the splits when it runs

    def value_rowids(self, name=None):
        return wrap(np.repeat(np.arange(self.nrows_int()), np.diff(self._row_splits._trace_value()))
                    .astype(np.int64))

    def row_starts(self, name=None):
        return self._row_splits[:-1]

    def row_limits(self, name=None):
        return self._row_splits[1:]

    def with_values(self, new_values):
        return RaggedTensor(new_values, self._row_splits)

    def with_flat_values(self, new_values):
        if isinstance(self._values, RaggedTensor):
            return self.with_values(self._values.with_flat_values(new_values))
        return self.with_values(new_values)

    def to_list(self):
        s = self._row_splits._value
        inner = (self._values.to_list() if isinstance(self._values, RaggedTensor)
                 else np.asarray(self._values._value).tolist())
        return [inner[s[i]:s[i + 1]] for i in range(len(s) - 1)]

    def numpy(self):
        """As TF gives it: one dense array when every row has the same shape, else an object
        array of the rows' arrays."""
        values = self._values.numpy()
        splits = self._row_splits._value
        rows = [values[splits[i]:splits[i + 1]] for i in range(len(splits) - 1)]
        if len({r.shape for r in rows}) <= 1:
            return np.stack(rows) if rows else np.empty((0, 0) + values.shape[1:], values.dtype)
        out = np.empty(len(rows), object)
        for i, r in enumerate(rows):
            out[i] = r
        return out

    def to_tensor(self, default_value=None, name=None, shape=None):
        """Padded dense tensor (differentiable in the values)."""
        rows = self.to_list()
        width = max((len(r) for r in rows), default=0)
        inner = self._values
        dense_inner = inner.to_tensor(default_value) if isinstance(inner, RaggedTensor) else inner
        tail = tuple(dense_inner._value.shape[1:])
        n = self.nrows_int()
        s = self._row_splits._trace_value()
        index = -np.ones((n, width), np.int64)
        for i in range(n):
            index[i, :s[i + 1] - s[i]] = np.arange(s[i], s[i + 1])
        fill = 0 if default_value is None else np.asarray(default_value).item()
        flat_pos = np.arange(int(np.prod(dense_inner._value.shape)), dtype=np.int64).reshape(
            dense_inner._value.shape)
        pos = np.where(index[(...,) + (None,) * len(tail)] >= 0,
                       flat_pos[np.maximum(index, 0)] if flat_pos.size else
                       np.zeros((n, width) + tail, np.int64), -1)
        from .array_extra_ops import remap
        out = remap(dense_inner, pos, fill=fill)
        if shape is not None:
            want = [int(d) if d is not None else out._value.shape[i]
                    for i, d in enumerate(shape)]
            from .signal_ops import _fit
            out = _fit(out, want[1:]) if len(want) > 1 else out
        return out

    def __getitem__(self, key):
        if isinstance(key, int | np.integer):
            s = self._row_splits._trace_value()
            n = self.nrows_int()
            k = int(key) + n if key < 0 else int(key)
            if not 0 <= k < n:
                raise IndexError(f"row index {key} out of range")
            part = np.arange(s[k], s[k + 1])
            if isinstance(self._values, RaggedTensor):
                return _ragged_rows(self._values, part)
            return gather(self._values, part)
        if isinstance(key, slice):
            rows = range(*key.indices(self.nrows_int()))
            return _ragged_rows(self, np.asarray(list(rows), np.int64))
        raise TypeError("tapeflow's RaggedTensor supports an int or a slice as index")

    def _map(self, fn):
        return self.with_flat_values(fn(self.flat_values))

    def _binary(self, other, fn):
        if isinstance(other, RaggedTensor):
            return self.with_flat_values(fn(self.flat_values, other.flat_values))
        return self._map(lambda v: fn(v, other))

    def __add__(self, other):
        return self._binary(other, lambda a, b: a + b)

    def __radd__(self, other):
        return self._binary(other, lambda a, b: b + a)

    def __sub__(self, other):
        return self._binary(other, lambda a, b: a - b)

    def __mul__(self, other):
        return self._binary(other, lambda a, b: a * b)

    def __rmul__(self, other):
        return self._binary(other, lambda a, b: b * a)

    def __truediv__(self, other):
        return self._binary(other, lambda a, b: a / b)

    def __neg__(self):
        return self._map(lambda v: -v)

    def __repr__(self):
        if _k.symbolic(self.flat_values) or _k.symbolic(self._row_splits):
            # a traced graph's: its tensors, as TF (the values exist only when the graph runs)
            return f"tf.RaggedTensor(values={self._values}, row_splits={self._row_splits})"
        # NumPy's layout of the nested arrays (wrapped at 75 columns), every item in str()
        with np.printoptions(formatter={"all": _ragged_text}):
            return f"<tf.RaggedTensor {_ragged_text(self.numpy())}>"

    __str__ = __repr__


def _nvals(values):
    return values.nrows_int() if isinstance(values, RaggedTensor) else int(
        tensor(values)._value.shape[0])


def _ragged_rows(rt, rows):
    """The RaggedTensor made of rows ``rows`` of ``rt``."""
    s = rt.row_splits._trace_value()
    lengths = s[rows + 1] - s[rows]
    picked = np.concatenate([np.arange(s[r], s[r + 1]) for r in rows]).astype(np.int64) \
        if len(rows) else np.zeros(0, np.int64)
    values = (_ragged_rows(rt.values, picked) if isinstance(rt.values, RaggedTensor)
              else gather(rt.values, picked))
    return RaggedTensor.from_row_lengths(values, lengths)


def _ragged_text(x):
    """An item of a RaggedTensor's repr: arrays laid out by NumPy with ", " between items (an
    empty one as its nested list, so that [2, 0] reads [[], []]), scalars as str()."""
    if isinstance(x, np.ndarray):
        return np.array2string(x, separator=", ") if x.size else repr(x.tolist())
    return str(x)


class RaggedTensorSpec(TypeSpec):
    """``tf.RaggedTensorSpec``."""

    __slots__ = ("_shape", "_dtype", "_ragged_rank", "_row_splits_dtype")

    def __init__(self, shape=None, dtype=dtypes.float32, ragged_rank=None,
                 row_splits_dtype=dtypes.int64, flat_values_spec=None):
        self._shape = TensorShape(shape)
        self._dtype = dtypes.as_dtype(dtype)
        rank = self._shape.rank
        self._ragged_rank = (rank - 1 if rank is not None else 1) if ragged_rank is None \
            else ragged_rank
        self._row_splits_dtype = dtypes.as_dtype(row_splits_dtype)

    shape = property(lambda self: self._shape)
    dtype = property(lambda self: self._dtype)
    ragged_rank = property(lambda self: self._ragged_rank)
    value_type = property(lambda self: RaggedTensor)

    def _fields(self):
        return (self._shape, self._dtype, self._ragged_rank, self._row_splits_dtype)


def _nested_depth(x):
    depth = 0
    while isinstance(x, list | tuple):
        depth += 1
        x = next((v for v in x if isinstance(v, list | tuple)), x[0] if x else None) \
            if x else None
    return depth


def ragged_constant(pylist, dtype=None, ragged_rank=None, inner_shape=None, name=None,
                    row_splits_dtype=dtypes.int64):
    """``tf.ragged.constant``: a RaggedTensor from a nested Python list."""
    depth = _nested_depth(pylist)
    rank = depth - 1 if ragged_rank is None else int(ragged_rank)
    if inner_shape is not None:
        rank = depth - 1 - len(inner_shape)

    splits = []
    rows = list(pylist)
    for _ in range(rank):
        lengths = [len(r) for r in rows]
        splits.append(np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64))
        rows = [v for r in rows for v in r]
    splits = [wrap(s.astype(dtypes.as_dtype(row_splits_dtype)._np)) for s in splits]
    if rows:
        values = convert_to_tensor(rows, dtype=dtype)
    else:
        values = wrap(np.zeros((0,), (dtypes.as_dtype(dtype) if dtype else dtypes.float32)._np))
    return RaggedTensor.from_nested_row_splits(values, splits)


def ragged_range(starts, limits=None, deltas=1, dtype=None, name=None,
                 row_splits_dtype=dtypes.int64):
    """``tf.ragged.range``: one ``range`` per row."""
    if limits is None:
        starts, limits = 0, starts
    s, lim, d = np.broadcast_arrays(*(np.asarray(tensor(v)) for v in (starts, limits,
                                                                                deltas)))
    rows = [np.arange(a, b, c) for a, b, c in zip(s.reshape(-1), lim.reshape(-1),
                                                  d.reshape(-1))]
    out_dtype = np.result_type(s, lim, d) if dtype is None else dtypes.as_dtype(dtype)._np
    values = np.concatenate(rows).astype(out_dtype) if rows else np.zeros(0, out_dtype)
    return RaggedTensor.from_row_lengths(wrap(values), [len(r) for r in rows])


def map_flat_values(op, *args, **kwargs):
    """``tf.ragged.map_flat_values``: ``op`` on the flat values of the ragged arguments."""
    rt = next(a for a in list(args) + list(kwargs.values()) if isinstance(a, RaggedTensor))
    new_args = [a.flat_values if isinstance(a, RaggedTensor) else a for a in args]
    new_kwargs = {k: v.flat_values if isinstance(v, RaggedTensor) else v
                  for k, v in kwargs.items()}
    return rt.with_flat_values(op(*new_args, **new_kwargs))


def ragged_boolean_mask(data, mask, name=None):
    """``tf.ragged.boolean_mask``: each row keeps its masked entries."""
    d, m = tensor(data), np.asarray(tensor(mask))  # the mask read by value (guarded)
    rows = [np.flatnonzero(r) + i * m.shape[1] for i, r in enumerate(m)]
    flat = reshape(d, (-1,) + d._value.shape[2:])
    picked = np.concatenate(rows).astype(np.int64) if rows else np.zeros(0, np.int64)
    return RaggedTensor.from_row_lengths(gather(flat, picked), [len(r) for r in rows])


def ragged_fill_empty_rows(value_rowids, values, nrows, default_value, name=None):
    """``tf.ragged_fill_empty_rows``: (value_rowids, values, empty_row_indicator,
    reverse_index_map) with ``default_value`` inserted in each empty row."""
    ids = np.asarray(tensor(value_rowids), np.int64)
    vals = tensor(values)
    n = int(np.asarray(nrows))
    counts = np.bincount(ids, minlength=n)[:n]
    empty = counts == 0
    out_ids, source, reverse = [], [], np.zeros(len(ids), np.int64)
    pos = 0
    for r in range(n):
        if empty[r]:
            out_ids.append(r)
            source.append(-1)
            pos += 1
        for j in np.flatnonzero(ids == r):
            out_ids.append(r)
            source.append(j)
            reverse[j] = pos
            pos += 1
    from .array_extra_ops import remap
    out_vals = remap(vals, np.asarray(source, np.int64),
                     fill=np.asarray(tensor(default_value)._trace_value()).item())
    return (wrap(np.asarray(out_ids, np.int64)), out_vals, wrap(empty), wrap(reverse))


def ragged_fill_empty_rows_grad(reverse_index_map, grad_values, name=None):
    """``tf.ragged_fill_empty_rows_grad``: (d_values, d_default_value)."""
    rev = np.asarray(tensor(reverse_index_map)._trace_value(), np.int64)
    g = tensor(grad_values)
    d_values = gather(g, rev)
    used = np.zeros(g._value.shape[0], bool)
    used[rev] = True
    d_default = reduce_sum(gather(g, np.flatnonzero(~used).astype(np.int64)))
    return d_values, d_default


def _spec_of(value):
    if isinstance(value, SparseTensor):
        return SparseTensorSpec(value.shape, value.dtype)
    if isinstance(value, RaggedTensor):
        return RaggedTensorSpec(value.shape, value.dtype, value.ragged_rank)
    return None


EXPORTS = {
    "": ["SparseTensor", "SparseTensorSpec", "RaggedTensor", "RaggedTensorSpec",
         "ragged_fill_empty_rows", "ragged_fill_empty_rows_grad"],
    "sparse": ["SparseTensor", "to_dense", "from_dense", "reorder", ("add", "sparse_add"),
               "sparse_dense_matmul", ("matmul", "sparse_dense_matmul"),
               ("reduce_sum", "sparse_reduce_sum"), ("reduce_max", "sparse_reduce_max"),
               "map_values",
               ("transpose", "sparse_transpose"), ("concat", "sparse_concat"),
               ("slice", "sparse_slice"), ("reshape", "sparse_reshape"),
               ("retain", "sparse_retain"), ("expand_dims", "sparse_expand_dims"),
               ("eye", "sparse_eye")],
    "ragged": [("constant", "ragged_constant"), ("range", "ragged_range"), "map_flat_values",
               ("boolean_mask", "ragged_boolean_mask"), "RaggedTensor"],
}
