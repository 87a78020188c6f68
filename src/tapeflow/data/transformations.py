"""The datasets that transformations return (``batch``, ``map``, ``shuffle``, ...).

Class names are TF's, as the reprs show them (``<_BatchDataset element_spec=...>``).
"""

import collections
import itertools
import os
import pickle

import numpy as np

from ..framework import dtypes, errors
from ..framework.shape import TensorShape
from ..module import TensorSpec
from ..ops import random_ops
from ..ops.philox import Philox
from . import composite, structure
from .dataset import INFINITE, UNKNOWN, Dataset, _kernel_error
from .iterator import AUTOTUNE, parallel_map, prefetched, workers


def function_hook(fn):
    """Where a dataset function is prepared before use: ``tf.function`` tracing plugs in here
    (today the Python function itself runs, eagerly, once per element)."""
    return fn


class _Unary(Dataset):
    """A dataset made from one input dataset."""

    def __init__(self, input_dataset):
        if not isinstance(input_dataset, Dataset):
            raise TypeError(f"`dataset` must be a `tf.data.Dataset` object, got "
                            f"{type(input_dataset).__name__}.")
        self._input = input_dataset

    def _spec(self):
        return self._input.element_spec

    def _cardinality(self):
        return self._input._cardinality()


class _Counted(_Unary):
    """A transformation with one ``count`` argument (an int or a scalar tensor)."""

    def __init__(self, input_dataset, count):
        super().__init__(input_dataset)
        self._count = _count(count)


def _inferred_spec(dataset, probes=()):
    """The spec of ``dataset``'s first elements (and of ``probes``), dims that differ as None:
    TF traces the function to know it; here the function runs on the first elements."""
    outs = dataset.take_while_elements(2) + list(probes)
    if not outs:
        raise ValueError("Cannot infer the element_spec of a dataset function applied to an "
                         "empty dataset.")
    spec = structure.spec_of(outs[0])
    for out in outs[1:]:
        spec = structure.relax_structure(spec, structure.spec_of(out))
    return spec


def _traced_spec(func, input_spec):
    """The spec of ``func``'s results traced on ``input_spec`` (as TF knows a map's), or None
    when it cannot be traced; a failing input fails when the dataset is iterated, as in TF."""
    from ..tracing.polymorphic_function import Function
    args = input_spec if type(input_spec) is tuple else (input_spec,)
    try:
        concrete = Function(func, name="map_fn").get_concrete_function(*args)
        return structure.map_leaves(lambda t: TensorSpec(t.shape, t.dtype),
                                    concrete.structured_outputs)
    except Exception:  # noqa: BLE001 - no graph form: the reading error stands
        return None


def _plain(value):
    """A tensor argument's NumPy value (other values as they are)."""
    return value.numpy() if hasattr(value, "numpy") else value


def _count(value):
    return int(_plain(value))


def _size(value, name, op):
    n = _count(value)
    if n <= 0:
        raise _kernel_error(op, f"{name} must be greater than zero.")
    return n


# --- batching -------------------------------------------------------------------------------------

def _stack_leaf(column, component):
    first = column[0]
    if isinstance(first, Dataset):
        raise TypeError("Cannot batch dataset elements that are datasets.")
    if isinstance(first, composite.COMPOSITE):
        return composite.stack(column)
    try:
        return np.stack(column)
    except ValueError:  # shapes differ: say which, as TF does
        pass
    shape = np.shape(first)
    for j, value in enumerate(column[1:], 1):
        other = np.shape(value)
        if other != shape:
            if len(other) == len(shape) and np.prod(other) != np.prod(shape):
                text = ("Cannot add tensor to the batch: number of elements does not match. "
                        f"Shapes are: [tensor]: {list(other)}, [batch]: {list(shape)}")
            else:
                text = (f"Cannot batch tensors with different shapes in component {component}. "
                        f"First element had shape {list(shape)} and element {j} had shape "
                        f"{list(other)}.")
            raise errors.op_error("IteratorGetNext", text,
                                  kernel="IteratorGetNext_output_types_1")
    raise AssertionError("np.stack failed on equal shapes")


def stack(elements):
    """One batch from a list of elements, component by component."""
    first = elements[0]
    if not structure.is_structure(first):
        return _stack_leaf(elements, 0)
    if type(first) is tuple and not any(structure.is_structure(v) for v in first):
        return tuple(_stack_leaf(c, i) for i, c in enumerate(zip(*elements)))
    columns = zip(*[structure.flatten(e) for e in elements])
    return structure.pack(first, [_stack_leaf(list(c), i) for i, c in enumerate(columns)])


def _chunks(source, sizes, drop_remainder):
    """Lists of consecutive items of ``source``, of the sizes ``sizes`` yields in turn."""
    source = iter(source)
    for n in sizes:
        chunk = list(itertools.islice(source, n))
        if not chunk or (drop_remainder and len(chunk) < n):
            return
        yield chunk


class _BatchDataset(_Unary):
    def __init__(self, input_dataset, batch_size, drop_remainder):
        super().__init__(input_dataset)
        self._n = _size(batch_size, "Batch size", "BatchDatasetV2")
        self._drop = bool(drop_remainder)

    def _elements(self):
        batches = self._batches()
        if any(isinstance(s, composite.ExtensionTypeSpec)
               for s in structure.flatten(self._input.element_spec)):
            # an extension type's batch shape is its spec's, as TF rebuilds it from the spec
            dim = self._n if self._drop else None
            batches = (structure.map_leaves(lambda v: composite.with_batch_size(v, dim), b)
                       for b in batches)
        yield from batches

    def _batches(self):
        indexed = self._input._indexed()
        if indexed is not None:  # rows of a slices dataset: gather each batch at once
            source, order = indexed
            for chunk in _chunks(order, itertools.repeat(self._n), self._drop):
                yield source._gather(chunk)
            return
        for chunk in _chunks(self._input._elements(), itertools.repeat(self._n), self._drop):
            yield stack(chunk)

    def _spec(self):
        return structure.with_batch_dim(self._input.element_spec,
                                        self._n if self._drop else None)

    def _cardinality(self):
        n = self._input._cardinality()
        if n < 0:
            return n
        return n // self._n if self._drop else -(-n // self._n)


class _UnbatchDataset(_Unary):
    def __init__(self, input_dataset):
        super().__init__(input_dataset)
        structure.without_batch_dim(input_dataset.element_spec)  # TF's check of scalars

    def _elements(self):
        for element in self._input._elements():
            leaves = structure.flatten(element)
            n = len(leaves[0])
            if any(len(leaf) != n for leaf in leaves[1:]):
                raise errors.op_error(
                    "IteratorGetNext", "Input element must have the same batch size in each "
                    f"component. Component 0 had size {n} but component 1 had size "
                    f"{len(leaves[1])}.", kernel="IteratorGetNext_output_types_1")
            if not structure.is_structure(element):
                yield from structure.rows(element)
                continue
            for i in range(n):
                yield structure.pack(element, [structure.row(leaf, i) for leaf in leaves])

    def _spec(self):
        return structure.without_batch_dim(self._input.element_spec)

    def _cardinality(self):
        n = self._input._cardinality()
        return INFINITE if n == INFINITE else UNKNOWN


class _PaddedBatchDataset(_BatchDataset):
    def __init__(self, input_dataset, batch_size, padded_shapes, padding_values, drop_remainder):
        super().__init__(input_dataset, batch_size, drop_remainder)
        self._shapes = padded_shapes
        self._values = padding_values

    def _elements(self):
        for chunk in _chunks(self._input._elements(), itertools.repeat(self._n), self._drop):
            first = chunk[0]
            columns = list(zip(*[structure.flatten(e) for e in chunk]))
            shapes = (structure.flatten(self._shapes) if self._shapes is not None
                      else [None] * len(columns))
            if len(shapes) == 1 and len(columns) == 1 and structure.is_structure(self._shapes):
                shapes = [self._shapes]
            values = (structure.flatten(self._values) if self._values is not None
                      else [None] * len(columns))
            leaves = [self._pad(list(c), s, v) for c, s, v in zip(columns, shapes, values)]
            yield structure.pack(first, leaves)

    @staticmethod
    def _pad(column, shape, value):
        ranks = {np.ndim(v) for v in column}
        if len(ranks) != 1:
            raise errors.op_error("IteratorGetNext", "All elements in a batch must have the "
                                  "same rank as the padded shape.",
                                  kernel="IteratorGetNext_output_types_1")
        longest = np.max([np.shape(v) for v in column], axis=0) if ranks != {0} else ()
        target = list(longest)
        if shape is not None:
            dims = list(TensorShape(_plain(shape)))
            for i, d in enumerate(dims):
                if d is not None and d >= 0:
                    if d < target[i]:
                        raise errors.op_error(
                            "IteratorGetNext", "Attempted to pad to a smaller size than the "
                            "input element.", kernel="IteratorGetNext_output_types_1")
                    target[i] = d
        dtype = np.asarray(column[0]).dtype
        fill = (b"" if dtype.kind == "O" else 0) if value is None else (
            value._value if hasattr(value, "_value") else value)
        out = np.full([len(column)] + target, fill, dtype)
        for i, v in enumerate(column):
            out[(i,) + tuple(slice(0, k) for k in np.shape(v))] = v
        return out

    def _spec(self):
        spec = self._input.element_spec
        if self._shapes is not None:
            flat = structure.flatten(spec)
            shapes = structure.flatten(self._shapes) if len(flat) > 1 else [self._shapes]
            flat = [TensorSpec([None if d is None or d < 0 else d for d in TensorShape(
                _plain(s))], f.dtype)
                for f, s in zip(flat, shapes)]
            spec = structure.pack(spec, flat)
        else:
            spec = structure.map_leaves(
                lambda s: TensorSpec([None] * (s.shape.rank or 0), s.dtype), spec)
        return structure.with_batch_dim(spec, self._n if self._drop else None)


class _RaggedBatchDataset(_BatchDataset):
    """``ragged_batch``: a batch in which each dense component whose spec has an unknown size
    is a RaggedTensor, ragged up to its last unknown dimension (others batch as ``batch``)."""

    _repr_name = "_BatchDataset"

    def __init__(self, input_dataset, batch_size, drop_remainder, row_splits_dtype):
        super().__init__(input_dataset, batch_size, drop_remainder)
        self._splits_dtype = dtypes.as_dtype(row_splits_dtype)
        self._ragged = [_last_unknown(s) for s in structure.flatten(input_dataset.element_spec)]

    def _elements(self):
        for chunk in _chunks(self._input._elements(), itertools.repeat(self._n), self._drop):
            columns = zip(*[structure.flatten(e) for e in chunk])
            leaves = [stack(list(c)) if k is None else composite.stack(
                [composite.ragged_rows(v, k) for v in c]).with_splits_dtype(
                    self._splits_dtype._np) for c, k in zip(columns, self._ragged)]
            yield structure.pack(chunk[0], leaves)

    def _spec(self):
        flat = structure.flatten(self._input.element_spec)
        specs = [s if k is None else composite.RaggedTensorSpec(s.shape, s.dtype, k,
                                                                self._splits_dtype)
                 for s, k in zip(flat, self._ragged)]
        return structure.with_batch_dim(structure.pack(self._input.element_spec, specs),
                                        self._n if self._drop else None)


def _last_unknown(spec):
    """Where a dense component's spec has its last unknown size; None when it has none."""
    if not isinstance(spec, TensorSpec) or not spec.shape.rank:
        return None
    unknown = [i for i, d in enumerate(spec.shape) if d is None]
    return unknown[-1] if unknown else None


class _DenseToSparseBatchDataset(_Unary):
    """``sparse_batch``: batches of dense elements as SparseTensors of every entry, each row
    ``row_shape`` big (a None size: the batch's largest)."""

    def __init__(self, input_dataset, batch_size, row_shape):
        super().__init__(input_dataset)
        self._n = _size(batch_size, "Batch size", "DenseToSparseBatchDataset")
        self._row = TensorShape(_plain(row_shape).tolist() if hasattr(_plain(row_shape), "tolist")
                                else row_shape)

    def _elements(self):
        for chunk in _chunks(self._input._elements(), itertools.repeat(self._n), False):
            yield composite.stack([self._sparse(np.asarray(v)) for v in chunk])

    def _sparse(self, value):
        row = list(self._row)
        given = f"([{','.join(map(str, value.shape))}])"
        wanted = f"([{','.join('-1' if d is None else str(d) for d in row)}])"
        if value.ndim != len(row):
            raise errors.op_error("IteratorGetNext", f"Input element had shape {given} that is "
                                  f"incompatible with the row shape {wanted}.",
                                  kernel="IteratorGetNext_output_types_1")
        if any(d is not None and n > d for n, d in zip(value.shape, row)):
            raise errors.op_error("IteratorGetNext", f"Input element had shape {given} that is "
                                  f"larger than the row shape {wanted}.", errors.DataLossError,
                                  kernel="IteratorGetNext_output_types_1")
        indices = np.indices(value.shape).reshape(value.ndim, -1).T.astype(np.int64)
        size = [n if d is None else d for n, d in zip(value.shape, row)]
        return composite.SparseValue(indices, value.reshape(-1), np.asarray(size, np.int64))

    def _spec(self):
        dtype = structure.flatten(self._input.element_spec)[0].dtype
        return composite.SparseTensorSpec(TensorShape([None]).concatenate(self._row), dtype)

    def _cardinality(self):
        n = self._input._cardinality()
        return n if n < 0 else -(-n // self._n)


class _RebatchDataset(_Unary):
    def __init__(self, input_dataset, batch_size, drop_remainder):
        super().__init__(input_dataset)
        sizes = _plain(batch_size)
        self._sizes = [int(s) for s in np.ravel(sizes)]
        self._drop = bool(drop_remainder)

    def _elements(self):
        rows = _UnbatchDataset(self._input)._elements()
        for chunk in _chunks(rows, itertools.cycle(self._sizes), self._drop):
            yield stack(chunk)

    def _spec(self):
        fixed = self._drop and len(set(self._sizes)) == 1
        inner = structure.without_batch_dim(self._input.element_spec)
        return structure.with_batch_dim(inner, self._sizes[0] if fixed else None)

    def _cardinality(self):
        return UNKNOWN if self._input._cardinality() != INFINITE else INFINITE


# --- order and selection -------------------------------------------------------------------------

class _Seeds:
    """TF's seed rules for a random transformation: an op ``seed`` (with the global seed, or
    TF's default when none is set) fixes its draws; with only ``tf.random.set_seed``, each one
    made gets the next op seed of TF's sequence; with neither, every run differs. ``rng()``
    gives each pass a NumPy generator, ``words()`` TF's Philox words (a new stream per pass if
    ``reshuffle``, seeded as TF's seed generator seeds it)."""

    def __init__(self, seed, reshuffle):
        seed = None if seed is None else _count(seed)
        self._reshuffle = reshuffle
        self._pair = random_ops.op_seeds(seed)  # TF's (seed, seed2); None without any seed
        if self._pair is not None:
            self._base = [random_ops._as_seed_word(s) for s in self._pair]
        else:
            # No seed anywhere: a fresh order every run (and, if asked, every epoch).
            self._base = None if reshuffle else [int(np.random.SeedSequence().entropy)]
        self.epoch = 0  # passes begun; an iterator restored from a checkpoint rewinds it

    def rng(self):
        if self._base is None:
            return np.random.default_rng()
        if self._reshuffle:
            self.epoch += 1
            return np.random.default_rng(self._base + [self.epoch - 1])
        return np.random.default_rng(self._base)

    def words(self):
        """This pass's 32-bit Philox words, or None without seeds. Reshuffling, pass ``k``
        is seeded by words ``2k``, ``2k + 1`` of the (seed, seed2) stream."""
        if self._pair is None:
            return None
        pair = self._pair
        if self._reshuffle:
            self.epoch += 1
            k = self.epoch - 1
            block = Philox.from_seeds(*pair).blocks(1, start=k // 2)[0]
            pair = int(block[2 * k % 4]), int(block[2 * k % 4 + 1])
        return _philox_words(Philox.from_seeds(*pair))


def _philox_words(stream, chunk=256):
    while True:
        yield from stream.blocks(chunk).reshape(-1).tolist()
        stream.skip(chunk)


def _tf_shuffled(source, size, words):
    """TF's shuffle buffer: a ring of ``size`` elements; each output is the element ``word %
    count`` places after the ring's start, swapped to the start, which then moves on."""
    ring = {}  # position % size -> element (a dict: the size may be huge, the input small)
    start = end = 0
    done = False
    while True:
        while not done and end - start < size:
            element = next(source, _END)
            if element is _END:
                done = True
            else:
                ring[end % size] = element
                end += 1
        if end == start:
            return
        at = (start + next(words) % (end - start)) % size
        first = start % size
        element = ring[at]
        ring[at] = ring[first]
        del ring[first]
        start += 1
        yield element


class _ShuffleDataset(_Unary):
    """TF's buffer: fill ``buffer_size`` elements, then emit a random one and put the next
    input element in its place. Seeds follow ``tf.random.set_seed``'s rules."""

    def __init__(self, input_dataset, buffer_size, seed, reshuffle_each_iteration):
        super().__init__(input_dataset)
        n = _count(buffer_size)
        if n <= 0 and n != UNKNOWN:
            raise _kernel_error("ShuffleDatasetV3", "buffer_size must be greater than zero or "
                                "UNKNOWN_CARDINALITY")
        self._buffer_size = n
        self._reshuffle = bool(reshuffle_each_iteration)
        self._seeds = _Seeds(seed, self._reshuffle)

    def _rng(self):
        return self._seeds.rng()

    def _elements(self):
        indexed = self._indexed()
        if indexed is not None:  # rows of a slices dataset: shuffle their indices
            source, order = indexed
            return map(source._row, order)
        return self._shuffled(self._input._elements())

    def _indexed(self):
        inner = self._input._indexed()
        if inner is None:
            return None
        source, order = inner
        n = self._input._cardinality()
        if n >= 0 and (self._buffer_size >= n or self._buffer_size == UNKNOWN):
            words = self._seeds.words()
            if words is not None:  # TF's order
                return source, _tf_shuffled(iter(list(order)), max(n, 1), words)
            # Unseeded: a uniform permutation drawn at once.
            return source, iter(np.asarray(list(order))[self._rng().permutation(n)].tolist())
        return source, self._shuffled(order)

    def _shuffled(self, source):
        size = self._buffer_size
        if size == UNKNOWN:
            size = self._input._cardinality()
            size = 2**62 if size < 0 else max(size, 1)
        words = self._seeds.words()
        if words is not None:
            yield from _tf_shuffled(source, size, words)
            return
        rng = self._rng()
        buffer = list(itertools.islice(source, size))
        while buffer:
            for draw in rng.random(1024).tolist():
                i = int(draw * len(buffer))
                element = buffer[i]
                nxt = next(source, _END)
                if nxt is _END:
                    last = buffer.pop()
                    if i < len(buffer):
                        buffer[i] = last
                else:
                    buffer[i] = nxt
                yield element
                if not buffer:
                    return


_END = object()


class _RepeatDataset(_Counted):
    def __init__(self, input_dataset, count):
        super().__init__(input_dataset, -1 if count is None else count)

    def _elements(self):
        epochs = itertools.count() if self._count < 0 else range(self._count)
        for _ in epochs:
            empty = True
            for element in self._input._elements():
                empty = False
                yield element
            if empty:
                return

    def _cardinality(self):
        n = self._input._cardinality()
        if self._count == 0 or n == 0:
            return 0
        if self._count < 0:
            return INFINITE if n != UNKNOWN else UNKNOWN
        return n if n < 0 else n * self._count


class _TakeDataset(_Counted):
    def _elements(self):
        if self._count < 0:
            return self._input._elements()
        return itertools.islice(self._input._elements(), self._count)

    def _cardinality(self):
        n = self._input._cardinality()
        if self._count < 0:
            return n
        if n == INFINITE:
            return self._count
        return n if n == UNKNOWN else min(n, self._count)


class _SkipDataset(_Counted):
    def _elements(self):
        if self._count < 0:
            return iter(())
        return itertools.islice(self._input._elements(), self._count, None)

    def _cardinality(self):
        n = self._input._cardinality()
        if n < 0:
            return n
        return 0 if self._count < 0 else max(0, n - self._count)


class _ShardDataset(_Unary):
    def __init__(self, input_dataset, num_shards, index):
        super().__init__(input_dataset)
        k, i = _count(num_shards), _count(index)
        if k <= 0:
            raise _kernel_error("ShardDataset", "Number of shards must be greater than zero "
                                f"(currently num_shards = {k}).")
        if not 0 <= i < k:
            raise _kernel_error("ShardDataset", f"Index must be between 0 and {k - 1} "
                                f"(currently index = {i}).")
        self._k, self._i = k, i

    def _elements(self):
        return itertools.islice(self._input._elements(), self._i, None, self._k)

    def _cardinality(self):
        n = self._input._cardinality()
        if n < 0:
            return n
        return n // self._k + (1 if self._i < n % self._k else 0)


class _ZipDataset(Dataset):
    def __init__(self, datasets):
        flat = structure.flatten(datasets)
        for d in flat:
            if not isinstance(d, Dataset):
                raise TypeError(f"Invalid `datasets`. `datasets` is expected to be a (nested) "
                                f"structure of `tf.data.Dataset` objects. Encountered object "
                                f"with type {type(d)}.")
        self._datasets = datasets
        self._flat = flat

    def _elements(self):
        sources = [d._elements() for d in self._flat]
        for leaves in zip(*sources):
            parts = [leaf for leaf in leaves]
            yield structure.pack(self._datasets, parts)

    def _spec(self):
        return structure.pack(self._datasets, [d.element_spec for d in self._flat])

    def _cardinality(self):
        ns = [d._cardinality() for d in self._flat]
        if UNKNOWN in ns:
            return UNKNOWN
        finite = [n for n in ns if n != INFINITE]
        return min(finite) if finite else INFINITE


class _ConcatenateDataset(_Unary):
    def __init__(self, input_dataset, dataset_to_concatenate):
        super().__init__(input_dataset)
        self._other = dataset_to_concatenate

    def _elements(self):
        yield from self._input._elements()
        yield from self._other._elements()

    def _spec(self):
        a, b = self._input.element_spec, self._other.element_spec
        fa, fb = structure.flatten(a), structure.flatten(b)
        if len(fa) != len(fb) or any(x.dtype != y.dtype for x, y in zip(fa, fb)):
            raise TypeError(f"Incompatible dataset elements:\n  {a} vs.   {b}")
        return structure.relax_structure(a, b)

    def _cardinality(self):
        a, b = self._input._cardinality(), self._other._cardinality()
        if INFINITE in (a, b):
            return INFINITE
        return UNKNOWN if UNKNOWN in (a, b) else a + b


# --- functions ------------------------------------------------------------------------------------

class _MapDataset(_Unary):
    def __init__(self, input_dataset, map_func):
        super().__init__(input_dataset)
        self._func = function_hook(map_func)

    def _apply(self, element):
        return structure.normalize(structure.call(self._func, element), True)

    def _elements(self):
        apply = self._apply
        for element in self._input._elements():
            yield apply(element)

    def _spec(self):
        try:
            return _inferred_spec(self, self._probes())
        except errors.OpError:  # the input cannot be read now (a missing file): TF's way
            traced = _traced_spec(self._func, self._input.element_spec)
            if traced is None:
                raise
            return traced

    def _probes(self):
        """The function on the first element cut to length 1 along dims the input spec leaves
        unknown (so a batch dimension comes out unknown, as TF's tracing finds it)."""
        specs = structure.flatten(self._input.element_spec)
        if not any(isinstance(s, TensorSpec) and s.shape.rank and None in s.shape
                   for s in specs):
            return []  # nothing to read: a dataset over a missing file fails when iterated
        first = self._input.take_while_elements(1)
        if not first:
            return []
        leaves = structure.flatten(first[0])
        cut = []
        for leaf, s in zip(leaves, specs):
            if isinstance(s, TensorSpec) and s.shape.rank:
                leaf = leaf[tuple(slice(0, 1) if d is None else slice(None) for d in s.shape)]
            cut.append(leaf)
        return [self._apply(structure.pack(first[0], cut))]


class _ParallelMapDataset(_MapDataset):
    """``map`` with ``num_parallel_calls``: the function runs on that many threads at once."""

    def __init__(self, input_dataset, map_func, num_parallel_calls, deterministic):
        super().__init__(input_dataset, map_func)
        self._n = workers(num_parallel_calls)
        self._deterministic = deterministic is None or bool(deterministic)

    def _elements(self):
        return parallel_map(self._apply, self._input._elements(), self._n, self._deterministic)


class _FilterDataset(_Unary):
    def __init__(self, input_dataset, predicate):
        super().__init__(input_dataset)
        self._func = function_hook(predicate)

    def _elements(self):
        for element in self._input._elements():
            keep = structure.normalize(structure.call(self._func, element), True)
            if np.ndim(keep) != 0 or np.asarray(keep).dtype != np.bool_:
                raise ValueError("Invalid `predicate`. `predicate` must return a `tf.bool` "
                                 "scalar tensor, but its return type is "
                                 f"{structure.leaf_spec(keep)}.")
            if keep:
                yield element

    def _cardinality(self):
        return INFINITE if self._input._cardinality() == INFINITE else UNKNOWN


def _as_dataset(value):
    if not isinstance(value, Dataset):
        raise TypeError("The `map_func` argument must return a `Dataset` object. Got "
                        f"{type(value)!r}.")
    return value


class _FlatMapDataset(_Unary):
    def __init__(self, input_dataset, map_func):
        super().__init__(input_dataset)
        self._func = function_hook(map_func)

    def _open(self, element):
        return _as_dataset(structure.call(self._func, element))._elements()

    def _elements(self):
        for element in self._input._elements():
            yield from self._open(element)

    def _spec(self):
        first = self._input.take_while_elements(1)
        if not first:
            return _inferred_spec(self)
        return _as_dataset(structure.call(self._func, first[0])).element_spec

    def _cardinality(self):
        return UNKNOWN


class _InterleaveDataset(_FlatMapDataset):
    """TF's cycle: ``cycle_length`` open datasets, ``block_length`` elements from each in turn;
    an exhausted one is replaced by the next input element's dataset."""

    def __init__(self, input_dataset, map_func, cycle_length, block_length):
        super().__init__(input_dataset, map_func)
        self._cycle = workers(AUTOTUNE if cycle_length is None else cycle_length)
        self._block = 1 if block_length is None else _count(block_length)

    def _elements(self):
        source = self._input._elements()
        slots = [None] * self._cycle
        index = block = opened = 0
        end = False
        while not end or opened:
            current = slots[index]
            if current is not None:
                element = next(current, _END)
                if element is not _END:
                    yield element
                    block += 1
                    if block == self._block:
                        index, block = (index + 1) % self._cycle, 0
                    continue
                slots[index] = None
                opened -= 1
                index, block = (index + 1) % self._cycle, 0
            elif not end:
                element = next(source, _END)
                if element is _END:
                    end = True
                else:
                    slots[index] = self._open(element)
                    opened += 1
            else:
                index, block = (index + 1) % self._cycle, 0


class _ScanDataset(_Unary):
    def __init__(self, input_dataset, initial_state, scan_func):
        super().__init__(input_dataset)
        self._initial = structure.normalize(initial_state)
        self._func = function_hook(scan_func)

    def _elements(self):
        state = self._initial
        for element in self._input._elements():
            args = (structure.to_tensors(state), structure.to_tensors(element))
            with structure.not_recorded():
                result = self._func(*args)
            if not isinstance(result, tuple | list) or len(result) != 2:
                raise TypeError("The scan function must return a pair comprising the new "
                                "state and the output value.")
            state = structure.normalize(result[0], True)
            out = structure.normalize(result[1], True)
            yield out

    def _spec(self):
        return _inferred_spec(self)


# --- windows, caches, prefetch --------------------------------------------------------------------

class _VariantDataset(Dataset):
    """A dataset over elements already at hand (one component of a window)."""

    def __init__(self, elements, spec):
        self._items = elements
        self._item_spec = spec

    def _elements(self):
        return iter(self._items)

    def _spec(self):
        return self._item_spec

    def _cardinality(self):
        return len(self._items)


class _WindowDataset(_Unary):
    def __init__(self, input_dataset, size, shift, stride, drop_remainder):
        super().__init__(input_dataset)
        self._size = _size(size, "Window size", "WindowDataset")
        self._shift = self._size if shift is None else _size(shift, "Window shift",
                                                              "WindowDataset")
        self._stride = _size(stride, "Window stride", "WindowDataset")
        self._drop = bool(drop_remainder)

    def _elements(self):
        source = self._input._elements()
        buffer, offset, start, exhausted = collections.deque(), 0, 0, False
        span = (self._size - 1) * self._stride
        specs = None
        while True:
            while not exhausted and offset + len(buffer) <= start + span:
                element = next(source, _END)
                if element is _END:
                    exhausted = True
                else:
                    buffer.append(element)
            picked = [buffer[i - offset] for i in range(start, start + span + 1, self._stride)
                      if i - offset < len(buffer)]
            if not picked or (self._drop and len(picked) < self._size):
                return
            if specs is None:
                specs = structure.flatten(self._input.element_spec)
            columns = zip(*[structure.flatten(e) for e in picked])
            yield structure.pack(picked[0], [_VariantDataset(list(c), s)
                                             for c, s in zip(columns, specs)])
            start += self._shift
            while buffer and offset < start:
                buffer.popleft()
                offset += 1

    def _spec(self):
        return structure.map_leaves(structure.DatasetSpec, self._input.element_spec)

    def _cardinality(self):
        n = self._input._cardinality()
        if n < 0:
            return n
        if self._drop:
            full = (n - (self._size - 1) * self._stride - 1) // self._shift + 1
            return max(0, full)
        return -(-n // self._shift)


class CacheDataset(_Unary):
    """``cache()``: the first complete pass is kept in memory, or in ``filename`` (a pickle
    stream of the elements, renamed into place once complete, then read by later passes and
    later runs)."""

    def __init__(self, input_dataset, filename):
        super().__init__(input_dataset)
        self._filename = os.fspath(filename.numpy().decode() if hasattr(filename, "numpy")
                                   else filename)
        self._memory = None

    def _elements(self):
        if self._filename:
            return self._file_elements()
        if self._memory is not None:
            return iter(self._memory)
        return self._recorded()

    def _recorded(self):
        seen = []
        for element in self._input._elements():
            seen.append(element)
            yield element
        self._memory = seen

    def _file_elements(self):
        path = self._filename + ".tapeflow-cache"
        if os.path.exists(path):
            with open(path, "rb") as f:
                while True:
                    try:
                        yield pickle.load(f)
                    except EOFError:
                        return
        partial = f"{path}.{os.getpid()}-{id(self)}.partial"
        with open(partial, "wb") as f:
            for element in self._input._elements():
                pickle.dump(element, f, protocol=pickle.HIGHEST_PROTOCOL)
                yield element
        os.replace(partial, path)


class _PrefetchDataset(_Unary):
    def __init__(self, input_dataset, buffer_size):
        super().__init__(input_dataset)
        n = _count(buffer_size)
        if n < 0 and n != AUTOTUNE:
            raise _kernel_error("PrefetchDataset", "buffer_size must be >= 0 or set "
                                "buffer_size to be AUTOTUNE.")
        self._buffer = 4 if n == AUTOTUNE else n

    def _elements(self):
        if self._buffer == 0:
            return self._input._elements()
        return prefetched(self._input._elements(), self._buffer)





class _DirectedInterleaveDataset(Dataset):
    """``choose_from_datasets`` (the next element of ``datasets[i]`` for each ``i`` that
    ``choices`` yields) and ``sample_from_datasets`` (``i`` drawn with ``weights``)."""

    def __init__(self, datasets, choices, stop_on_empty, weights=None, seed=None,
                 rerandomize=None):
        self._datasets = list(datasets)
        if not self._datasets:
            raise ValueError("Invalid `datasets`. `datasets` should not be empty.")
        self._choices = choices
        self._stop = bool(stop_on_empty)
        n = len(self._datasets)
        if weights is None:
            weights = [1.0 / n] * n
        self._weights = np.asarray(_plain(weights) if not isinstance(weights, list) else
                                   [float(_plain(w)) for w in weights], np.float64)
        self._seeds = _Seeds(seed, rerandomize is None or bool(rerandomize))

    def _picks(self, live):
        if self._choices is not None:
            for choice in self._choices._elements():
                yield int(choice)
            return
        rng = self._seeds.rng()
        while True:
            w = self._weights * live
            if w.sum() <= 0:
                return
            yield int(rng.choice(len(w), p=w / w.sum()))

    def _elements(self):
        sources = [d._elements() for d in self._datasets]
        live = np.ones(len(sources))
        for i in self._picks(live):
            if not 0 <= i < len(sources):
                raise errors.op_error("IteratorGetNext", f"Selector index out of range: {i} >= "
                                      f"{len(sources)}", kernel="IteratorGetNext_output_types_1")
            element = next(sources[i], _END) if live[i] else _END
            if element is _END:
                if self._stop:
                    return
                live[i] = 0
                continue
            yield element

    def _spec(self):
        spec = self._datasets[0].element_spec
        for d in self._datasets[1:]:
            spec = structure.relax_structure(spec, d.element_spec)
        return spec
