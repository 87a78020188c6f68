"""``tf.RaggedTensor`` and ``tf.ragged``: rows of different lengths over ``values`` split at
``row_splits`` (``values`` may itself be ragged), with TF's constructors, converters, indexing
and reprs.

A RaggedTensor is a thin Python container: its ops gather, segment-reduce and compute on its
flat values with tapeflow ops, so gradients flow to the flat values as in TF. The row partitions
are read by value. How TF's ops take RaggedTensors (``tf.add(rt, 3)``, ``tf.reduce_mean(rt,
axis=1)``, ``tf.concat``, ...) is in ``ragged_dispatch``.
"""

import numpy as np

from ..framework import dtypes, errors
from ..framework.shape import TensorShape
from ..framework.tensor import Tensor, convert_to_tensor, wrap
from . import _k
from ._helpers import tensor
from .array_ops import cast, reshape
from .framework_api import TypeSpec
from .index_ops import gather


def _int64(x):
    if isinstance(x, Tensor):  # an op (not its value), so a traced graph computes it per call
        return x if x._value.dtype == np.int64 else cast(x, dtypes.int64)
    return wrap(np.asarray(tensor(x)._value, np.int64))


def _splits_of(lengths, dtype=np.int64):
    return np.concatenate([[0], np.cumsum(lengths)]).astype(dtype)


class RaggedTensor:
    """``tf.RaggedTensor``: rows of different lengths over ``values`` split at ``row_splits``
    (``values`` may itself be ragged). ``uniform_row_length`` is set for a partition whose rows
    all have one length (``from_uniform_row_length``): the shape shows that length."""

    # What TF says when an op without ragged support is given one (it reads it as a sequence)
    _conversion_error = "TypeError: object of type 'RaggedTensor' has no len()\n"

    def __init__(self, values, row_splits, uniform_row_length=None):
        self._values = values
        self._row_splits = row_splits
        self._uniform = uniform_row_length

    # --- constructors ---------------------------------------------------------------------------
    @classmethod
    def from_row_splits(cls, values, row_splits, name=None, validate=True):
        # int32 splits given as a tensor stay int32 (``row_splits_dtype``), as in TF
        splits = row_splits if isinstance(row_splits, Tensor) and row_splits._value.dtype == \
            np.int32 else _int64(row_splits)
        vals = values if isinstance(values, RaggedTensor) else tensor(values)
        if validate:
            _check_splits(splits, vals)
        return cls(vals, splits)

    @classmethod
    def from_row_lengths(cls, values, row_lengths, name=None, validate=True):
        lengths = np.asarray(tensor(row_lengths), np.int64)
        return cls.from_row_splits(values, _splits_of(lengths), validate=False)

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
    def from_uniform_row_length(cls, values, uniform_row_length, nrows=None, validate=True,
                                name=None):
        """Rows of ``uniform_row_length`` values each: the shape keeps that length."""
        vals = values if isinstance(values, RaggedTensor) else tensor(values)
        width = int(np.asarray(tensor(uniform_row_length)))
        n = int(nrows) if nrows is not None else (_nvals(vals) // width if width else 0)
        if validate and width * n != _nvals(vals):
            raise errors.InvalidArgumentError(None, None, "uniform_row_length must evenly "
                                              "divide the number of values")
        return cls(vals, wrap(np.arange(n + 1, dtype=np.int64) * width), width)

    @classmethod
    def from_nested_row_splits(cls, flat_values, nested_row_splits, name=None, validate=True):
        return _nested(flat_values, nested_row_splits, cls.from_row_splits)

    @classmethod
    def from_nested_row_lengths(cls, flat_values, nested_row_lengths, name=None, validate=True):
        return _nested(flat_values, nested_row_lengths, cls.from_row_lengths)

    @classmethod
    def from_nested_value_rowids(cls, flat_values, nested_value_rowids, nested_nrows=None,
                                 name=None, validate=True):
        nrows = [None] * len(nested_value_rowids) if nested_nrows is None else nested_nrows
        return _nested(flat_values, list(zip(nested_value_rowids, nrows)),
                       lambda values, part: cls.from_value_rowids(values, *part))

    @classmethod
    def from_tensor(cls, tensor_, lengths=None, padding=None, ragged_rank=1, name=None,
                    row_splits_dtype=dtypes.int64):
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
        values = gather(flat, keep.astype(np.int64))
        if ragged_rank > 1 and values._value.ndim > 1:
            values = cls.from_tensor(values, ragged_rank=ragged_rank - 1)
        return cls.from_row_lengths(values, lens)

    @classmethod
    def from_sparse(cls, st_input, name=None, row_splits_dtype=dtypes.int64):
        """The rows of a 2-D SparseTensor whose entries are left-aligned in row-major order."""
        idx = np.asarray(st_input.indices._trace_value())
        shape = np.asarray(st_input.dense_shape._trace_value())
        if shape.size != 2:
            raise ValueError("rank(st_input) must be 2.")
        n = int(shape[0])
        lengths = np.bincount(idx[:, 0], minlength=n)[:n] if idx.size else np.zeros(n, np.int64)
        return cls.from_row_lengths(st_input.values, lengths)

    # --- structure ------------------------------------------------------------------------------
    values = property(lambda self: self._values)
    row_splits = property(lambda self: self._row_splits)

    @property
    def flat_values(self):
        v = self._values
        while isinstance(v, RaggedTensor):
            v = v.values
        return v

    def _levels(self):
        """This RaggedTensor and each ragged ``values`` inside it, outermost first."""
        level = self
        while isinstance(level, RaggedTensor):
            yield level
            level = level.values

    def _innermost(self):
        """The innermost RaggedTensor of ``_levels``: the one over the flat values."""
        *_, level = self._levels()
        return level

    @property
    def nested_row_splits(self):
        return tuple(level.row_splits for level in self._levels())

    def nested_row_lengths(self, name=None):
        return tuple(level.row_lengths() for level in self._levels())

    @property
    def ragged_rank(self):
        return 1 + (self._values.ragged_rank if isinstance(self._values, RaggedTensor) else 0)

    dtype = property(lambda self: self.flat_values.dtype)
    row_splits_dtype = property(lambda self: self._row_splits.dtype)

    @property
    def uniform_row_length(self):
        return None if self._uniform is None else wrap(np.asarray(self._uniform,
                                                                  self._row_splits._value.dtype))

    @property
    def shape(self):
        inner = self._values.shape
        n = self._row_splits.shape[0]
        return TensorShape([None if n is None else n - 1, self._uniform] + list(inner)[1:])

    def get_shape(self):
        return self.shape

    def nrows_int(self):
        """The number of rows (read from the splits' value when a traced graph does not know
        it statically)."""
        n = self._row_splits.shape[0]
        return int(n) - 1 if n is not None else len(self._splits()) - 1

    def nrows(self, out_type=None, name=None):
        kind = self._row_splits._value.dtype if out_type is None else \
            dtypes.as_dtype(out_type)._np
        return wrap(np.asarray(self.nrows_int(), kind))

    def _splits(self):
        return np.asarray(self._row_splits._trace_value(), np.int64)

    def row_lengths(self, axis=1, name=None):
        if axis != 1:
            return self.with_values(self._values.row_lengths(axis - 1))
        return self._row_splits[1:] - self._row_splits[:-1]  # ops: the splits when it runs

    def value_rowids(self, name=None):
        return wrap(_rowids(self._splits()).astype(self._row_splits._value.dtype))

    def row_starts(self, name=None):
        return self._row_splits[:-1]

    def row_limits(self, name=None):
        return self._row_splits[1:]

    def bounding_shape(self, axis=None, name=None, out_type=None):
        """The smallest dense shape holding every row: int64 (the splits' dtype)."""
        dims = [self.nrows_int()]
        for level in self._levels():
            lengths = np.diff(level._splits())
            dims.append(int(lengths.max()) if lengths.size else 0)
        dims += list(self.flat_values._value.shape[1:])
        kind = self._row_splits._value.dtype if out_type is None else \
            dtypes.as_dtype(out_type)._np
        out = np.asarray(dims, kind)
        return wrap(out if axis is None else out[axis])

    def with_values(self, new_values):
        return RaggedTensor(new_values, self._row_splits, self._uniform)

    def with_flat_values(self, new_values):
        if isinstance(self._values, RaggedTensor):
            return self.with_values(self._values.with_flat_values(new_values))
        return self.with_values(new_values)

    def with_row_splits_dtype(self, dtype):
        kind = dtypes.as_dtype(dtype)
        values = self._values.with_row_splits_dtype(kind) if isinstance(
            self._values, RaggedTensor) else self._values
        return RaggedTensor(values, cast(self._row_splits, kind), self._uniform)

    def merge_dims(self, outer_axis, inner_axis):
        """Dimensions ``outer_axis`` to ``inner_axis`` as one."""
        rank = self.shape.rank
        outer, inner = outer_axis % rank, inner_axis % rank
        if outer > inner:
            raise ValueError(f"Expected outer_axis ({outer_axis}) to be less than or equal to "
                             f"inner_axis ({inner_axis})")
        return _merge_dims(self, outer, inner)

    def nested_value_rowids(self, name=None):
        return tuple(level.value_rowids() for level in self._levels())

    def __bool__(self):
        raise TypeError("RaggedTensor may not be used as a boolean.")

    def __iter__(self):
        return (self[i] for i in range(self.nrows_int()))

    # --- conversions ----------------------------------------------------------------------------
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
        """Padded dense tensor (differentiable in the values); ``shape`` crops or pads."""
        want = None if shape is None else list(TensorShape(shape))
        inner = self._values
        if isinstance(inner, RaggedTensor):
            inner = inner.to_tensor(default_value, shape=None if want is None or len(want) < 3
                                    else [None] + want[2:])
        if want is None and not _k.trace_known(self._row_splits):
            return _padded_rows(inner, self._row_splits, default_value)
        tail = tuple(inner._value.shape[1:])
        s = self._splits()
        lengths = np.diff(s)
        n = self.nrows_int() if want is None or want[0] is None else want[0]
        width = want[1] if want is not None and want[1] is not None else int(
            lengths.max()) if lengths.size else 0
        index = -np.ones((n, width), np.int64)
        for i in range(min(n, self.nrows_int())):
            k = min(int(lengths[i]), width)
            index[i, :k] = np.arange(s[i], s[i] + k)
        fill = 0 if default_value is None else np.asarray(
            tensor(default_value)._trace_value()).item()
        flat_pos = np.arange(int(np.prod(inner._value.shape)), dtype=np.int64).reshape(
            inner._value.shape)
        pos = np.where(index[(...,) + (None,) * len(tail)] >= 0,
                       flat_pos[np.maximum(index, 0)] if flat_pos.size else
                       np.zeros((n, width) + tail, np.int64), -1)
        from .array_extra_ops import remap
        return remap(inner, pos, fill=fill)

    def to_sparse(self, name=None):
        """A SparseTensor of every value at its (row, position, ...) index."""
        from .composite_ops import SparseTensor
        index, level = None, self
        while isinstance(level, RaggedTensor):  # outermost partition first
            s = level._splits()
            ids = _rowids(s)
            pos = (np.arange(len(ids)) - s[ids])[:, None]
            index = np.concatenate([ids[:, None], pos], 1) if index is None else \
                np.concatenate([index[ids], pos], 1)
            level = level.values
        inner = level._value.shape[1:]
        if inner:  # the flat values' own axes: every position of each value
            coords = np.stack(np.unravel_index(np.arange(int(np.prod(inner))), inner), 1)
            index = np.concatenate([np.repeat(index, len(coords), 0),
                                    np.tile(coords, (len(index), 1))], 1)
        return SparseTensor(wrap(index.astype(np.int64)), reshape(level, (-1,)),
                            self.bounding_shape(out_type=dtypes.int64))

    # --- indexing -------------------------------------------------------------------------------
    def _row(self, key):
        n = self.nrows_int()
        k = int(key)
        if not -n <= k < n:
            raise IndexError(f"Row key {k} out of bounds")
        k %= n
        s = self._splits()
        part = np.arange(s[k], s[k + 1])
        if isinstance(self._values, RaggedTensor):
            return _ragged_rows(self._values, part)
        return gather(self._values, part)

    def __getitem__(self, key):
        return _getitem(self, key if isinstance(key, tuple) else (key,))

    def __repr__(self):
        if _k.symbolic(self.flat_values) or _k.symbolic(self._row_splits):
            # a traced graph's: its tensors, as TF (the values exist only when the graph runs)
            return f"tf.RaggedTensor(values={self._values}, row_splits={self._row_splits})"
        # NumPy's layout of the nested arrays (wrapped at 75 columns), every item in str()
        with np.printoptions(formatter={"all": _ragged_text}):
            return f"<tf.RaggedTensor {_ragged_text(self.numpy())}>"

    __str__ = __repr__


def _padded_rows(values, splits, default_value):
    """``to_tensor`` by ops on the splits, for a traced graph that knows them only when it runs:
    each row's values gathered into ``[nrows, longest]``, the rest ``default_value``."""
    from .array_ops import fill, range as range_, shape
    from .manip_ops import concat
    from .math_ops import where
    from .reduction_ops import reduce_max
    splits = cast(splits, dtypes.int64)
    lengths = splits[1:] - splits[:-1]
    cols = range_(reduce_max(concat([lengths, wrap(np.zeros(1, np.int64))], 0)),
                  dtype=dtypes.int64)
    index = splits[:-1][:, None] + cols[None, :]
    inside = cols[None, :] < lengths[:, None]
    kind = values._value.dtype
    pad = np.zeros((), kind) if default_value is None else np.asarray(
        tensor(default_value)._trace_value(), kind)
    row_shape = concat([wrap(np.ones(1, np.int64)), shape(values, dtypes.int64)[1:]], 0)
    rows = concat([values, fill(row_shape, wrap(pad))], 0)
    return gather(rows, where(inside, index, shape(values, dtypes.int64)[0]))


def _check_splits(splits, values):
    """TF's checks of row splits, with its errors (ops: a traced graph checks when it runs)."""
    from .array_ops import shape
    from .assert_ops import assert_equal, assert_non_negative
    prefix = "Arguments to from_row_splits do not form a valid RaggedTensor:"
    if splits.shape.rank != 1 or splits.shape[0] == 0:
        raise ValueError(f"Shape {splits.shape.as_list()} must have rank 1")
    kind = splits._value.dtype
    assert_equal(splits[:1], wrap(np.zeros((), kind)), message=prefix + "zero")
    assert_non_negative(splits[1:] - splits[:-1], message=prefix + "monotonic.  ")
    rows = values.row_splits if isinstance(values, RaggedTensor) else values
    nvals = shape(rows, dtypes.as_dtype(kind))[0]
    if isinstance(values, RaggedTensor):
        nvals = nvals - 1
    assert_equal(splits[-1:], nvals, message="Arguments to _from_row_partition do not form a "
                 "valid RaggedTensor")


def _merge_dims(x, outer, inner):
    """Axes ``outer`` to ``inner`` of ``x`` (a RaggedTensor or a tensor) as one."""
    if outer == inner:
        return x
    if not isinstance(x, RaggedTensor):
        shape = list(x._value.shape)
        return reshape(x, shape[:outer] + [-1] + shape[inner + 1:])
    values = x.values
    if outer == 1:  # the rows' next axis joins them: their splits move inward
        if isinstance(values, RaggedTensor):
            joined = RaggedTensor(values.values, wrap(values._splits()[x._splits()]))
            return _merge_dims(joined, 1, inner - 1)
        shape = list(values._value.shape)
        width = int(np.prod(shape[1:inner]))
        return RaggedTensor(reshape(values, [-1] + shape[inner:]),
                            wrap(x._splits() * width))
    if outer:
        return x.with_values(_merge_dims(values, outer - 1, inner - 1))
    out = x
    for _ in range(min(inner, x.ragged_rank)):
        out = out.values
    return _merge_dims(out, 0, inner - x.ragged_rank) if inner > x.ragged_rank else out


def _nested(flat_values, partitions, build):
    """``flat_values`` partitioned by each of ``partitions``, innermost (last) first."""
    out = flat_values
    for part in reversed(list(partitions)):
        out = build(out, part)
    return out


def _rowids(splits):
    return np.repeat(np.arange(len(splits) - 1), np.diff(splits))


def _nvals(values):
    return values.nrows_int() if isinstance(values, RaggedTensor) else int(
        tensor(values)._value.shape[0])


def _take(values, picked):
    """Rows ``picked`` of ``values`` (a tensor, or a RaggedTensor whose rows they are)."""
    picked = np.asarray(picked, np.int64)
    return _ragged_rows(values, picked) if isinstance(values, RaggedTensor) else gather(
        values, picked)


def _ragged_rows(rt, rows):
    """The RaggedTensor made of rows ``rows`` of ``rt``."""
    s = rt._splits()
    rows = np.asarray(rows, np.int64)
    lengths = s[rows + 1] - s[rows]
    picked = np.concatenate([np.arange(s[r], s[r + 1]) for r in rows]).astype(np.int64) \
        if len(rows) else np.zeros(0, np.int64)
    return RaggedTensor.from_row_lengths(_take(rt.values, picked), lengths)


def _is_index(k):
    return isinstance(k, int | np.integer) or isinstance(k, Tensor) and k._value.ndim == 0 \
        and k._value.dtype.kind in "iu"


def _expand_ellipsis(rt, key):
    if not any(k is Ellipsis for k in key):
        return key
    i = next(i for i, k in enumerate(key) if k is Ellipsis)
    fill = rt.shape.rank - (len(key) - 1 - sum(k is None for k in key))
    return key[:i] + (slice(None),) * max(fill, 0) + key[i + 1:]


def _getitem(rt, key):
    """``rt[key]``: an int or slice over rows, then (for sliced rows) slices of each row."""
    key = _expand_ellipsis(rt, key)
    if not key:
        return rt
    first, rest = key[0], key[1:]
    if _is_index(first):
        row = rt._row(int(np.asarray(first)))
        if not rest:
            return row
        return _getitem(row, rest) if isinstance(row, RaggedTensor) else row[rest]
    if isinstance(first, slice):
        rows = np.arange(rt.nrows_int())[first]
        sub = _ragged_rows(rt, rows) if rows.size != rt.nrows_int() or first.step not in (
            None, 1) else rt
        return _within_rows(sub, rest) if rest else sub
    raise TypeError("Ragged __getitem__ expects a ragged_tensor, int, slice, Ellipsis, or "
                    f"tf.newaxis; got {first!r}")


def _within_rows(rt, key):
    """``key`` applied to every row of ``rt`` (to dimensions 1.. of ``rt``)."""
    k, rest = key[0], key[1:]
    if isinstance(k, slice):
        s = rt._splits()
        picked, lengths = [], []
        for i in range(rt.nrows_int()):
            positions = np.arange(s[i], s[i + 1])[k]
            picked.append(positions)
            lengths.append(len(positions))
        picked = np.concatenate(picked) if picked else np.zeros(0, np.int64)
        values = _take(rt.values, picked)
        if rest:
            values = _within_rows(values, rest) if isinstance(values, RaggedTensor) else \
                values[(slice(None),) + rest]
        return RaggedTensor.from_row_lengths(values, np.asarray(lengths, np.int64))
    if _is_index(k) and rt._uniform is not None:
        position = int(np.asarray(k)) % rt._uniform
        values = _take(rt.values, rt._splits()[:-1] + position)
        if not rest:
            return values
        return _within_rows(values, rest) if isinstance(values, RaggedTensor) else \
            values[(slice(None),) + rest]
    if _is_index(k):
        raise ValueError("Cannot index into an inner ragged dimension.")
    raise TypeError("Ragged __getitem__ expects a ragged_tensor, int, slice, Ellipsis, or "
                    f"tf.newaxis; got {k!r}")


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
    row_splits_dtype = property(lambda self: self._row_splits_dtype)
    value_type = property(lambda self: RaggedTensor)

    def _fields(self):
        return (self._shape, self._dtype, self._ragged_rank, self._row_splits_dtype)

    def is_compatible_with(self, value):
        if isinstance(value, RaggedTensorSpec):
            return (value.dtype == self._dtype and value.ragged_rank == self._ragged_rank
                    and self._shape.is_compatible_with(value.shape))
        return (isinstance(value, RaggedTensor) and value.dtype == self._dtype
                and value.ragged_rank == self._ragged_rank
                and self._shape.is_compatible_with(value.shape))

    @classmethod
    def from_value(cls, value):
        return cls(value.shape, value.dtype, value.ragged_rank, value.row_splits.dtype)


# --- a RaggedTensor as the tensors a traced function takes and gives -----------------------------

def components(x):
    """The tensors of a RaggedTensor (its flat values, then its row splits outermost first), or
    for a RaggedTensorSpec their TensorSpecs."""
    if isinstance(x, RaggedTensor):
        return [x.flat_values, *x.nested_row_splits]
    from ..framework.tensor_spec import TensorSpec
    rank = x.shape.rank
    inner = [None] + (list(x.shape)[x.ragged_rank + 1:] if rank is not None else [])
    return [TensorSpec(inner if rank is not None else None, x.dtype)] + [
        TensorSpec([None], x.row_splits_dtype) for _ in range(x.ragged_rank)]


def from_components(like, parts):
    """A RaggedTensor structured as ``like`` (a RaggedTensor or RaggedTensorSpec) over the
    tensors ``parts`` (as ``components`` lists them)."""
    uniform = [level._uniform for level in like._levels()] if isinstance(like, RaggedTensor) \
        else []
    out = parts[0]
    for splits, width in zip(reversed(parts[1:]), reversed(uniform or [None] * len(parts[1:]))):
        out = RaggedTensor(out, splits, width)
    return out


def flat_components(structure):
    """``nest.flatten(structure)`` with every RaggedTensor (or spec) as its components."""
    from ..framework import nest
    out = []
    for leaf in nest.flatten(structure):
        if isinstance(leaf, RaggedTensor | RaggedTensorSpec):
            out.extend(components(leaf))
        else:
            out.append(leaf)
    return out


# --- tf.ragged ----------------------------------------------------------------------------------

def _depths(x, depth=0):
    """The nesting depths of the scalars in a nested list (a list with none: no depth)."""
    if isinstance(x, list | tuple):
        out = set()
        for v in x:
            out |= _depths(v, depth + 1)
        return out
    if isinstance(x, np.ndarray) and x.ndim:
        return _depths(x.tolist(), depth)
    return {depth}


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
    depths = _depths(pylist)
    if len(depths) > 1:
        raise ValueError("all scalar values must have the same nesting depth")
    depth = depths.pop() if depths else _nested_depth(pylist)
    if depth == 0:  # a scalar: a tensor, as TF gives it
        return convert_to_tensor(pylist, dtype=dtype)
    rank = depth - 1 if ragged_rank is None else int(ragged_rank)
    if inner_shape is not None:
        rank = depth - 1 - len(inner_shape)

    splits = []
    rows = list(pylist)
    for _ in range(rank):
        lengths = [len(r) for r in rows]
        splits.append(_splits_of(lengths))
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
    if isinstance(data, RaggedTensor) or isinstance(mask, RaggedTensor):
        from .ragged_dispatch import boolean_mask
        return boolean_mask(data, mask)
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
    from .reduction_ops import reduce_sum
    rev = np.asarray(tensor(reverse_index_map)._trace_value(), np.int64)
    g = tensor(grad_values)
    d_values = gather(g, rev)
    used = np.zeros(g._value.shape[0], bool)
    used[rev] = True
    d_default = reduce_sum(gather(g, np.flatnonzero(~used).astype(np.int64)))
    return d_values, d_default


def row_splits_to_segment_ids(splits, name=None, out_type=None):
    """``tf.ragged.row_splits_to_segment_ids``: each value's row."""
    s = np.asarray(_int64(splits)._trace_value()) if not isinstance(splits, Tensor) else \
        np.asarray(splits._trace_value())
    kind = s.dtype if out_type is None else dtypes.as_dtype(out_type)._np
    return wrap(_rowids(s).astype(kind))


def segment_ids_to_row_splits(segment_ids, num_segments=None, out_type=None, name=None):
    """``tf.ragged.segment_ids_to_row_splits``: the splits of rows holding sorted ids."""
    ids = np.asarray(tensor(segment_ids)._trace_value(), np.int64)
    n = int(num_segments) if num_segments is not None else (int(ids.max()) + 1 if ids.size
                                                             else 0)
    kind = np.int64 if out_type is None else dtypes.as_dtype(out_type)._np
    return wrap(_splits_of(np.bincount(ids, minlength=n)[:n], kind))


def cross(inputs, name=None):
    """``tf.ragged.cross``: per row, every combination of the inputs' values joined by
    ``"_X_"`` (the last input varying fastest)."""
    import itertools
    rows = []
    for value in inputs:
        if isinstance(value, RaggedTensor):
            rows.append(value.to_list())
        else:
            rows.append(np.asarray(tensor(value)._trace_value()).tolist())
    text = [[[v if isinstance(v, bytes) else str(v).encode() for v in row] for row in part]
            for part in rows]
    crossed = [[b"_X_".join(combo) for combo in itertools.product(*parts)]
               for parts in zip(*text)]
    flat = np.empty(sum(len(r) for r in crossed), object)
    flat[:] = [v for r in crossed for v in r]
    return RaggedTensor.from_row_lengths(wrap(flat), [len(r) for r in crossed])


def ragged_stack(values, axis=0, name=None):
    """``tf.ragged.stack``: tensors or RaggedTensors (rows of any length) along a new axis."""
    from .manip_ops import stack
    from .ragged_dispatch import _stack, stack_rows
    if axis == 0:
        return stack_rows(values)
    out = _stack(values, axis)
    return RaggedTensor.from_tensor(stack(values, axis)) if out is NotImplemented else out


def stack_dynamic_partitions(data, partitions, num_partitions, name=None):
    """``tf.ragged.stack_dynamic_partitions``: row ``p`` holds the items of partition ``p``."""
    d = tensor(data)
    p = np.asarray(tensor(partitions)._trace_value(), np.int64).reshape(-1)
    order = np.argsort(p, kind="stable")
    return RaggedTensor.from_row_lengths(gather(d, order),
                                         np.bincount(p, minlength=int(num_partitions)))


def map_rows(fn, rt, signature=None):
    """``tf.map_fn`` over the rows of ``rt``: a RaggedTensor of the results unless
    ``signature`` asks for dense ones (a dtype or a ``tf.TensorSpec``), then stacked."""
    from .manip_ops import concat, stack
    rows = [fn(rt[i]) for i in range(rt.nrows_int())]
    if signature is not None and not isinstance(signature, RaggedTensorSpec):
        return stack(rows) if rows else wrap(np.zeros((0,), dtypes.as_dtype(
            getattr(signature, "dtype", signature))._np))
    if not rows:
        return rt
    if isinstance(rows[0], RaggedTensor):
        from .ragged_dispatch import _concat_values
        return RaggedTensor.from_row_lengths(_concat_values(rows),
                                             [r.nrows_int() for r in rows])
    rows = [tensor(r) for r in rows]
    return RaggedTensor.from_row_lengths(concat(rows, 0), [r._value.shape[0] for r in rows])


EXPORTS = {
    "": ["RaggedTensor", "RaggedTensorSpec", "ragged_fill_empty_rows",
         "ragged_fill_empty_rows_grad"],
    "ragged": [("constant", "ragged_constant"), ("range", "ragged_range"), "map_flat_values",
               ("boolean_mask", "ragged_boolean_mask"), "RaggedTensor",
               "stack_dynamic_partitions", "row_splits_to_segment_ids",
               "segment_ids_to_row_splits", "cross", ("stack", "ragged_stack")],
}
