"""``tf.io.parse_example`` and friends: ``tf.train.Example`` / ``SequenceExample`` bytes into
dense tensors (FixedLenFeature, FixedLenSequenceFeature), SparseTensors (VarLenFeature) and
RaggedTensors (RaggedFeature), with TF's output layout and error texts."""

import collections

import numpy as np

from ..framework import dtypes
from ..engine.core import state
from ..framework.tensor import Tensor, convert_to_tensor, wrap
from ..graph.ir import is_symbolic
from ..ops.array_ops import reshape
from ..ops.composite_ops import RaggedTensor, SparseTensor
from ._common import kernel_error, protos, run, strings

FixedLenFeature = collections.namedtuple("FixedLenFeature", ["shape", "dtype", "default_value"],
                                         defaults=[None])
FixedLenFeature.__doc__ = "``tf.io.FixedLenFeature``: a dense feature of a fixed shape."
VarLenFeature = collections.namedtuple("VarLenFeature", ["dtype"])
VarLenFeature.__doc__ = "``tf.io.VarLenFeature``: any number of values, as a SparseTensor."
FixedLenSequenceFeature = collections.namedtuple(
    "FixedLenSequenceFeature", ["shape", "dtype", "allow_missing", "default_value"],
    defaults=[False, None])
FixedLenSequenceFeature.__doc__ = ("``tf.io.FixedLenSequenceFeature``: a run of values of one "
                                   "shape, padded across a batch.")
class RaggedFeature(collections.namedtuple(
        "RaggedFeature", ["dtype", "value_key", "partitions", "row_splits_dtype", "validate"],
        defaults=[None, (), dtypes.int32, False])):
    """``tf.io.RaggedFeature``: any number of values, as a RaggedTensor, cut into rows by
    ``partitions`` (outermost first)."""

    def __new__(cls, dtype, value_key=None, partitions=(), row_splits_dtype=dtypes.int32,
                validate=False):
        return super().__new__(cls, dtype, value_key, tuple(partitions), row_splits_dtype,
                               validate)

SparseFeature = collections.namedtuple(
    "SparseFeature", ["index_key", "value_key", "dtype", "size", "already_sorted"],
    defaults=[False])
SparseFeature.__doc__ = ("``tf.io.SparseFeature``: a SparseTensor from a feature of indices "
                         "(one per dimension) and a feature of values.")

_KINDS = {"float32": "float_list", "int64": "int64_list", "string": "bytes_list"}
_KIND_TYPE = {"float_list": "float", "int64_list": "int64", "bytes_list": "string"}


class _Op:
    """One parse call: its op name, the kernel name TF's errors carry, and whether it parses a
    single (scalar) record, whose errors TF words without the ``Name:``/``Index:`` prefix."""

    def __init__(self, op_type, kernel, single):
        self.op_type, self.kernel, self.single = op_type, kernel, single

    def error(self, key, text, index=0):
        where = f"Key: {key}." if self.single else f"Name: <unknown>, Key: {key}, Index: {index}."
        return kernel_error(self.op_type, f"{where}  {text}", kernel=self.kernel)

    def missing(self, key, dtype):
        where = "" if self.single else "Name: <unknown>, "
        return kernel_error(self.op_type, f"{where}Feature: {key} (data type: "
                            f"{dtype._op_name}) is required but could not be found.",
                            kernel=self.kernel)


def _check_dtype(key, spec):
    dtype = dtypes.as_dtype(spec.dtype)
    if dtype.name not in _KINDS:
        raise kernel_error("ParseExampleV2", f"Value for attr 'Tdense' of {dtype.name} is not in "
                           "the list of allowed values: float, int64, string", kernel=False,
                           name=None)
    return dtype


def _values(feature, key, dtype, op, index, sparse=False):
    """The values of one Feature as a 1-D array of ``dtype``; TF's error if the kind differs."""
    kind = feature.WhichOneof("kind")
    if kind is None:
        return np.empty(0, dtype.as_numpy_dtype)
    if kind != _KINDS[dtype.name]:
        if sparse:
            raise op.error(key, f"Data types don't match. Expected type: {dtype._op_name}, "
                           f"Actual type: {_KIND_TYPE[kind]}", index)
        raise op.error(key, f"Data types don't match. Data type: {_KIND_TYPE[kind]} but "
                       f"expected type: {dtype._op_name}", index)
    values = getattr(feature, kind).value
    if dtype is dtypes.string:
        out = np.empty(len(values), object)
        out[:] = list(values)
        return out
    return np.array(values, dtype.as_numpy_dtype)


def _default(spec, dtype, shape):
    if spec.default_value is None:
        return None
    value = np.asarray(convert_to_tensor(spec.default_value, dtype)._value)
    if value.size != int(np.prod(shape, dtype=np.int64)):
        raise kernel_error("Reshape", f"Input to reshape is a tensor with {value.size} values, "
                           f"but the requested shape has {int(np.prod(shape))}", name=None)
    return value.reshape(shape)


def _fill(dtype):
    return b"" if dtype is dtypes.string else 0


def _dense(rows, key, spec, op):
    dtype, shape = _check_dtype(key, spec), tuple(int(d) for d in spec.shape)
    size = int(np.prod(shape, dtype=np.int64))
    default = _default(spec, dtype, shape)
    out = np.empty((len(rows),) + shape, dtype.as_numpy_dtype)
    for i, features in enumerate(rows):
        feature = features.get(key)
        if feature is None:
            if default is None:
                raise op.missing(key, dtype)
            out[i] = default
            continue
        values = _values(feature, key, dtype, op, i)
        if values.size != size:
            if op.single:
                raise op.error(key, "Can't parse serialized Example: Some "
                               f"{_KINDS[dtype.name]} slice was not parsed.")
            raise op.error(key, f"Number of {dtype._op_name} values != expected.  Values size: "
                           f"{values.size} but output shape: [{','.join(map(str, shape))}]", i)
        out[i] = values.reshape(shape)
    return wrap(out)


def _padded(runs, shape, dtype, default):
    """Runs of values (each [n, *shape]) stacked into [batch, longest, *shape], padded."""
    longest = max((len(r) for r in runs), default=0)
    out = np.empty((len(runs), longest) + shape, dtype.as_numpy_dtype)
    out[...] = _fill(dtype) if default is None else default
    for i, r in enumerate(runs):
        out[i, :len(r)] = r
    return out


def _sequence(rows, key, spec, op):
    if not spec.allow_missing:
        raise ValueError("Unsupported: FixedLenSequenceFeature requires allow_missing to be True.")
    dtype, shape = _check_dtype(key, spec), tuple(int(d) for d in spec.shape)
    size = int(np.prod(shape, dtype=np.int64))
    default = _default(spec, dtype, ())
    runs = []
    for i, features in enumerate(rows):
        feature = features.get(key)
        values = (np.empty(0, dtype.as_numpy_dtype) if feature is None
                  else _values(feature, key, dtype, op, i))
        if size and values.size % size:
            if not op.single:
                raise op.error(key, f"Number of {dtype._op_name} values is not a multiple of "
                               f"stride length. Saw {values.size} values but output shape is: "
                               f"[?,{','.join(map(str, shape))}]", i)
            raise kernel_error(op.op_type, f"Error while parsing feature with key {key}: number "
                               f"of elements should be divisible by {size}, found "
                               f"{values.size} instead", kernel=op.kernel)
        runs.append(values.reshape((-1,) + shape))
    return wrap(_padded(runs, shape, dtype, default))


def _sparse(runs, dtype):
    """SparseTensor of ``runs`` (per batch row, a list of 1-D value arrays for each inner
    position, or one array): indices [row, (position,) j]."""
    indices, values, longest = [], [], 0
    for i, one in enumerate(runs):
        for pos, vals in enumerate(one):
            prefix = (i,) if isinstance(one, _Flat) else (i, pos)
            for j in range(len(vals)):
                indices.append(prefix + (j,))
            values.extend(vals.tolist())
            longest = max(longest, len(vals))
    rank = 2 if runs and isinstance(runs[0], _Flat) or not runs else 3
    positions = max((len(r) for r in runs), default=0) if rank == 3 else None
    dense_shape = [len(runs)] + ([positions] if rank == 3 else []) + [longest]
    idx = np.array(indices, np.int64).reshape(-1, rank)
    vals = np.empty(len(values), object) if dtype is dtypes.string else np.array(
        values, dtype.as_numpy_dtype)
    if dtype is dtypes.string:
        vals[:] = values
    return SparseTensor(wrap(idx), wrap(vals.astype(dtype.as_numpy_dtype)),
                        wrap(np.array(dense_shape, np.int64)))


class _Flat(list):
    """One row's values of a VarLenFeature of an Example: a single inner position."""


def _varlen(rows, key, spec, op):
    dtype = _check_dtype(key, spec)
    runs = []
    for i, features in enumerate(rows):
        feature = features.get(key)
        runs.append(_Flat([np.empty(0, dtype.as_numpy_dtype) if feature is None
                           else _values(feature, key, dtype, op, i, sparse=True)]))
    return _sparse(runs, dtype)


class RowSplits(collections.namedtuple("RowSplits", ["key"])):
    """``tf.io.RaggedFeature.RowSplits``: a partition read from a feature of row splits."""


class RowLengths(collections.namedtuple("RowLengths", ["key"])):
    """``tf.io.RaggedFeature.RowLengths``."""


class RowStarts(collections.namedtuple("RowStarts", ["key"])):
    """``tf.io.RaggedFeature.RowStarts``."""


class RowLimits(collections.namedtuple("RowLimits", ["key"])):
    """``tf.io.RaggedFeature.RowLimits``."""


class ValueRowIds(collections.namedtuple("ValueRowIds", ["key"])):
    """``tf.io.RaggedFeature.ValueRowIds``."""


class UniformRowLength(collections.namedtuple("UniformRowLength", ["length"])):
    """``tf.io.RaggedFeature.UniformRowLength``: rows of one fixed length."""


for _p in (RowSplits, RowLengths, RowStarts, RowLimits, ValueRowIds, UniformRowLength):
    setattr(RaggedFeature, _p.__name__, _p)


def _partition_splits(partition, items, features, op, index):
    """The row splits one partition puts over ``items`` values (or rows) of one example."""
    if isinstance(partition, UniformRowLength):
        return np.arange(0, items + 1, int(partition.length), dtype=np.int64)
    f = features.get(partition.key)
    ids = (np.empty(0, np.int64) if f is None
           else _values(f, partition.key, dtypes.int64, op, index, sparse=True))
    if isinstance(partition, RowSplits):
        return ids
    if isinstance(partition, RowLengths):
        return np.concatenate([[0], np.cumsum(ids)]).astype(np.int64)
    if isinstance(partition, RowStarts):
        return np.concatenate([ids, [items]]).astype(np.int64)
    if isinstance(partition, RowLimits):
        return np.concatenate([[0], ids]).astype(np.int64)
    counts = np.bincount(ids, minlength=0) if ids.size else np.zeros(0, np.int64)
    return np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)


def _uniform_tail(spec):
    """The partitions that make row splits, and the dense inner dimensions of the innermost
    UniformRowLength partitions (TF keeps those uniform)."""
    parts, inner = list(spec.partitions), []
    while parts and isinstance(parts[-1], UniformRowLength):
        inner.insert(0, int(parts.pop().length))
    return parts, inner


def _ragged(rows, key, spec, op):
    """A RaggedFeature over a batch: the values of each example cut by the partitions (the
    innermost first), under one more outer dimension of examples."""
    dtype = _check_dtype(key, spec)
    value_key = spec.value_key or key
    partitions, inner = _uniform_tail(spec)
    levels = len(partitions)
    runs, nested = [], [[] for _ in range(levels)]
    for i, f in enumerate(rows):
        values = (np.empty(0, dtype.as_numpy_dtype) if f.get(value_key) is None
                  else _values(f.get(value_key), value_key, dtype, op, i, sparse=True))
        values = values.reshape([-1] + inner)
        items = len(values)
        for level in reversed(range(levels)):
            splits = _partition_splits(partitions[level], items, f, op, i)
            nested[level].append(splits)
            items = len(splits) - 1
        runs.append((values, items))
    splits_type = dtypes.as_dtype(spec.row_splits_dtype).as_numpy_dtype
    outer = np.concatenate([[0], np.cumsum([n for _, n in runs])]).astype(splits_type)
    flat = (np.concatenate([v for v, _ in runs]) if runs else
            np.empty([0] + inner, dtype.as_numpy_dtype))
    result = wrap(flat.astype(dtype.as_numpy_dtype))
    for level in reversed(range(levels)):  # each example's splits, shifted and joined
        joined, offset = [np.zeros(1, np.int64)], 0
        for splits in nested[level]:
            joined.append(splits[1:] + offset)
            offset += int(splits[-1]) if len(splits) else 0
        result = RaggedTensor(result, wrap(np.concatenate(joined).astype(splits_type)))
    return RaggedTensor(result, wrap(outer))


def _order(features):
    """The keys as TF orders its outputs: VarLen features, then dense ones, then ragged ones,
    then SparseFeatures, each group sorted."""
    groups = ([k for k in sorted(features) if isinstance(features[k], VarLenFeature)],
              [k for k in sorted(features) if isinstance(features[k], FixedLenFeature |
                                                        FixedLenSequenceFeature)],
              [k for k in sorted(features) if isinstance(features[k], RaggedFeature)],
              [k for k in sorted(features) if isinstance(features[k], SparseFeature)])
    keys = [k for g in groups for k in g]
    for k in features:
        if k not in keys:
            raise ValueError(f"Unsupported feature spec for {k!r}: {features[k]!r}")
    return keys


def _sparse_feature(rows, key, spec, op):
    """A SparseFeature: each row's values at its indices, sorted unless ``already_sorted``."""
    dtype = _check_dtype(key, spec)
    index_keys = [spec.index_key] if isinstance(spec.index_key, str) else list(spec.index_key)
    sizes = [spec.size] if isinstance(spec.size, int) else list(spec.size)
    indices, values = [], []
    for i, features in enumerate(rows):
        def column(k, kind, sparse=True, i=i, features=features):
            f = features.get(k)
            return np.empty(0, kind.as_numpy_dtype) if f is None else _values(f, k, kind, op, i,
                                                                              sparse)
        vals = column(spec.value_key, dtype)
        cols = [column(k, dtypes.int64) for k in index_keys]
        idx = np.column_stack([np.full(len(vals), i, np.int64)] + cols).reshape(-1,
                                                                                1 + len(cols))
        if not spec.already_sorted:
            order = np.lexsort(idx.T[::-1])
            idx, vals = idx[order], vals[order]
        indices.append(idx)
        values.append(vals)
    flat = np.concatenate(values) if values else np.empty(0, dtype.as_numpy_dtype)
    return SparseTensor(wrap(np.concatenate(indices) if indices else
                             np.zeros((0, 1 + len(sizes)), np.int64)),
                        wrap(flat.astype(dtype.as_numpy_dtype)),
                        wrap(np.array([len(rows)] + sizes, np.int64)))


def _parse_features(rows, features, op):
    """The outputs for ``features`` over ``rows`` (dicts key -> Feature)."""
    out = {}
    for key in _order(features):
        spec = features[key]
        parse = {VarLenFeature: _varlen, RaggedFeature: _ragged, SparseFeature: _sparse_feature,
                 FixedLenSequenceFeature: _sequence}.get(type(spec), _dense)
        out[key] = parse(rows, key, spec, op)
    return out


# --- one graph node per parse: its outputs flattened to arrays and rebuilt ----------------------

def _flat(value):
    if isinstance(value, SparseTensor):
        return [value.indices._value, value.values._value, value.dense_shape._value]
    if isinstance(value, RaggedTensor):
        return [value.flat_values._value] + [s._value for s in value.nested_row_splits]
    return [value._value]


def _ragged_levels(spec, single):
    """How many row-split tensors a RaggedFeature's output has."""
    return len(_uniform_tail(spec)[0]) + (0 if single else 1)


def _flat_dtypes(spec, single):
    dtype = dtypes.as_dtype(spec.dtype)
    if isinstance(spec, VarLenFeature | SparseFeature):
        return [dtypes.int64, dtype, dtypes.int64]
    if isinstance(spec, RaggedFeature):
        return [dtype] + [dtypes.as_dtype(spec.row_splits_dtype)] * _ragged_levels(spec, single)
    return [dtype]


def _rebuild(spec, parts, single):
    if isinstance(spec, VarLenFeature | SparseFeature):  # ranks graph outputs do not know
        indices, values, shape = next(parts), next(parts), next(parts)
        inner = (len(spec.index_key) if isinstance(spec, SparseFeature) and not isinstance(
            spec.index_key, str) else 1) + isinstance(spec, _SequenceVarLen)
        rank = None if state.graph is None else inner + (0 if single else 1)
        if rank is not None:
            indices, values, shape = (reshape(indices, [-1, rank]), reshape(values, [-1]),
                                      reshape(shape, [rank]))
        return SparseTensor(indices, values, shape)
    if isinstance(spec, RaggedFeature) and _ragged_levels(spec, single):
        values = next(parts)
        nested = [next(parts) for _ in range(_ragged_levels(spec, single))]
        if state.graph is not None:
            values = reshape(values, [-1] + _uniform_tail(spec)[1])
            nested = [reshape(s, [-1]) for s in nested]
        for splits in reversed(nested):
            values = RaggedTensor(values, splits)
        return values
    return next(parts)


class _SequenceVarLen(VarLenFeature):
    """A VarLenFeature of a SequenceExample's feature lists: one more sparse dimension."""


def _as_node(kernel, serialized, groups, single):
    """Run ``kernel`` (serialized array -> list of dicts, one per group) as one op and rebuild
    its dicts; ``groups`` lists (features, keys) for each output dict."""
    def flat_kernel(x):
        outs = kernel(x)
        return [a for out, (_, keys) in zip(outs, groups) for k in keys for a in _flat(out[k])]
    touts = [d for features, keys in groups for k in keys
             for d in _flat_dtypes(features[k], single)]
    parts = iter(run(flat_kernel, [serialized], touts))
    return [{k: _rebuild(features[k], parts, single) for k in keys} for features, keys in groups]


def _kernel_name(features):
    count = collections.Counter(type(v).__name__ for v in features.values())
    dense = count["FixedLenFeature"] + count["FixedLenSequenceFeature"]
    sparse, ragged = count["VarLenFeature"] + 2 * count["SparseFeature"], count["RaggedFeature"]
    return (f"ParseExampleV2_Tdense_{dense}_num_sparse_{sparse}_ragged_split_types_{ragged}_"
            f"ragged_value_types_{ragged}_sparse_types_{sparse}")


def _records(serialized, cls, op):
    records = strings(serialized)
    out = []
    for value in records.reshape(-1):
        message = cls()
        try:
            message.ParseFromString(value)
        except Exception:
            raise kernel_error(op.op_type, "Could not parse example input, value: "
                               f"'{value!r}'", kernel=op.kernel) from None
        out.append(message)
    return records, out


def _unbatch(value):
    """A batch-of-one result without its batch dimension (parse_single_*)."""
    if isinstance(value, SparseTensor):
        return SparseTensor(wrap(value.indices._value[:, 1:]), value.values,
                            wrap(value.dense_shape._value[1:]))
    if isinstance(value, RaggedTensor):  # the one example's rows, or its values
        return value.values
    return wrap(value._value[0])


def _string_input(value, op_type):
    """``serialized`` as a string tensor. Another dtype is refused as TF refuses it: eagerly by
    the conversion's ValueError (a Python value converted on its own first), in a graph by the
    op's TypeError."""
    if isinstance(value, Tensor) and value.dtype != dtypes.string and is_symbolic(value):
        raise TypeError(f"Input 'serialized' of '{op_type}' Op has type {value.dtype.name} "
                        "that does not match expected type of string.")
    if not isinstance(value, Tensor | str | bytes):
        try:
            return convert_to_tensor(value, dtypes.string)
        except (TypeError, ValueError):
            value = convert_to_tensor(value)
    return convert_to_tensor(value, dtypes.string)


def parse_example(serialized, features, example_names=None, name=None):
    """``tf.io.parse_example``: a batch (vector) of serialized Examples into a dict of tensors
    with a leading batch dimension."""
    serialized = _string_input(serialized, "ParseExampleV2")
    single = serialized.shape.rank == 0

    def kernel(x):
        op = _Op("ParseExampleV2", _kernel_name(features), single=single)
        _, examples = _records(x, protos().Example, op)
        out = _parse_features([dict(e.features.feature) for e in examples], features, op)
        return [{k: _unbatch(v) for k, v in out.items()} if single else out]
    return _as_node(kernel, serialized, [(features, _order(features))], single)[0]


def parse_single_example(serialized, features, example_names=None, name=None):
    """``tf.io.parse_single_example``: one serialized Example (a scalar string)."""
    if strings(serialized).ndim:
        raise ValueError("Input serialized must be a scalar")
    return parse_example(serialized, features, name=name)


def _sequence_lists(rows, key, spec, op, lengths):
    """A sequence feature over ``rows`` (dicts key -> FeatureList)."""
    dtype = _check_dtype(key, spec)
    if isinstance(spec, VarLenFeature):
        runs = [[_values(f, key, dtype, op, i, sparse=True) for f in r[key].feature]
                if key in r else [] for i, r in enumerate(rows)]
        return _sparse(runs, dtype)
    shape = tuple(int(d) for d in spec.shape)
    size = int(np.prod(shape, dtype=np.int64))
    runs = []
    for i, r in enumerate(rows):
        if key not in r:
            if not spec.allow_missing:
                raise kernel_error(op.op_type, f"Name: <unknown>, Feature list '{key}' is "
                                   "required but could not be found.  Did you mean to include "
                                   "it in feature_list_dense_missing_assumed_empty or "
                                   "feature_list_dense_defaults?", kernel=op.kernel)
            runs.append(np.empty((0,) + shape, dtype.as_numpy_dtype))
            continue
        steps = []
        for f in r[key].feature:
            values = _values(f, key, dtype, op, i)
            if values.size != size:
                raise op.error(key, f"Number of {dtype._op_name} values != expected.  values "
                               f"size: {values.size} but output shape: "
                               f"[{','.join(map(str, shape))}]", i)
            steps.append(values.reshape(shape))
        runs.append(np.array(steps, dtype.as_numpy_dtype).reshape((-1,) + shape))
    lengths[key] = wrap(np.array([len(r) for r in runs], np.int64))
    return wrap(_padded(runs, shape, dtype, _default(spec, dtype, ())))


def _sequence_order(sequence_features):
    return ([k for k in sorted(sequence_features)
             if isinstance(sequence_features[k], VarLenFeature)] +
            [k for k in sorted(sequence_features)
             if not isinstance(sequence_features[k], VarLenFeature)])


def _parse_sequences(serialized, context_features, sequence_features, single):
    context_features, sequence_features = context_features or {}, sequence_features or {}
    serialized = convert_to_tensor(serialized, dtypes.string)
    list_keys = _sequence_order(sequence_features)
    length_specs = {k: FixedLenFeature((), dtypes.int64) for k in list_keys
                    if not isinstance(sequence_features[k], VarLenFeature)}

    def kernel(x):
        op = _Op("ParseSequenceExampleV2", "ParseSequenceExampleV2", single=False)
        _, examples = _records(x.reshape(-1) if single else x, protos().SequenceExample, op)
        context = _parse_features([dict(e.context.feature) for e in examples],
                                  context_features, op)
        rows = [dict(e.feature_lists.feature_list) for e in examples]
        lengths = {}
        lists = {k: _sequence_lists(rows, k, sequence_features[k], op, lengths)
                 for k in list_keys}
        if single:
            context = {k: _unbatch(v) for k, v in context.items()}
            lists = {k: _unbatch(v) for k, v in lists.items()}
        return [context, lists, lengths]
    sequence_specs = {k: _SequenceVarLen(v.dtype) if isinstance(v, VarLenFeature) else v
                      for k, v in sequence_features.items()}
    groups = [(context_features, _order(context_features)), (sequence_specs, list_keys),
              (length_specs, list(length_specs))]
    return _as_node(kernel, serialized, groups, single)


def parse_sequence_example(serialized, context_features=None, sequence_features=None,
                           example_names=None, name=None):
    """``tf.io.parse_sequence_example``: a batch of SequenceExamples into (context,
    feature_lists, feature_list_lengths)."""
    return tuple(_parse_sequences(serialized, context_features, sequence_features, False))


def parse_single_sequence_example(serialized, context_features=None, sequence_features=None,
                                  example_name=None, name=None):
    """``tf.io.parse_single_sequence_example``: one SequenceExample into (context,
    feature_lists)."""
    return tuple(_parse_sequences(serialized, context_features, sequence_features, True)[:2])
