"""``tf.data.Dataset``: a lazy, re-iterable pipeline of elements, and its source datasets.

Every dataset implements ``_elements()``, a fresh Python generator of elements (nested
structures of NumPy leaves, see ``structure``), ``_spec()`` and ``_cardinality()``. Nothing is
computed before iteration, so ``range(10**9).batch(32).take(2)`` holds two batches at most.
"""

import itertools

import numpy as np

from ..framework import dtypes, errors
from ..framework.tensor import Tensor, convert_to_tensor
from ..module import TensorSpec
from . import composite, structure
from .iterator import NumpyIterator, OwnedIterator

INFINITE = -1
UNKNOWN = -2


def _kernel_error(op, text):
    return errors.op_error(op, text, kernel=True)


class Dataset:
    """``tf.data.Dataset``: build with the static constructors, chain transformations, iterate."""

    _name = "Dataset"

    # --- what each dataset provides ----------------------------------------------------------

    def _elements(self):
        raise NotImplementedError

    def _spec(self):
        raise NotImplementedError

    def _cardinality(self):
        return UNKNOWN

    def _indexed(self):
        """``(source, indices)`` when the elements are rows ``source._row(i)`` of a slices
        dataset taken in the order ``indices`` yields (shuffle and batch then move indices,
        not rows); None otherwise."""
        return None

    # --- inspection ---------------------------------------------------------------------------

    @property
    def element_spec(self):
        spec = getattr(self, "_spec_cache", None)
        if spec is None:
            spec = self._spec_cache = self._spec()
        return spec

    def cardinality(self):
        from ..framework.tensor import wrap
        return wrap(np.asarray(self._cardinality(), np.int64))

    def __len__(self):
        n = self._cardinality()
        if n == INFINITE:
            raise TypeError("The dataset is infinite.")
        if n == UNKNOWN:
            raise TypeError("The dataset length is unknown.")
        return n

    def __bool__(self):
        return True

    def __repr__(self):
        name = getattr(self, "_repr_name", type(self).__name__)
        return f"<{name} element_spec={self.element_spec!r}>"

    def __iter__(self):
        return OwnedIterator(self)

    def as_numpy_iterator(self):
        return NumpyIterator(self)

    def take_while_elements(self, n):
        """The first ``n`` elements (NumPy leaves), for spec inference."""
        return list(itertools.islice(self._elements(), n))

    # --- sources ------------------------------------------------------------------------------

    @staticmethod
    def from_tensor_slices(tensors, name=None):
        return _TensorSliceDataset(tensors)

    @staticmethod
    def from_tensors(tensors, name=None):
        return _TensorDataset(tensors)

    @staticmethod
    def range(*args, output_type=dtypes.int64, name=None):
        return _RangeDataset(*args, output_type=output_type)

    @staticmethod
    def from_generator(generator, output_types=None, output_shapes=None, args=None,
                       output_signature=None, name=None):
        return _GeneratorDataset(generator, output_types, output_shapes, args, output_signature)

    @staticmethod
    def list_files(file_pattern, shuffle=None, seed=None, name=None):
        from .readers import list_files
        return list_files(file_pattern, shuffle, seed)

    @staticmethod
    def choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset=True):
        return T._DirectedInterleaveDataset(datasets, choice_dataset, stop_on_empty_dataset)

    @staticmethod
    def sample_from_datasets(datasets, weights=None, seed=None, stop_on_empty_dataset=False,
                             rerandomize_each_iteration=None):
        return T._DirectedInterleaveDataset(datasets, None, stop_on_empty_dataset,
                                            weights, seed, rerandomize_each_iteration)

    @staticmethod
    def zip(*datasets, name=None):
        if len(datasets) == 1:
            datasets = datasets[0]
        return T._ZipDataset(datasets)

    # --- transformations ------------------------------------------------------------------------

    def concatenate(self, dataset, name=None):
        return T._ConcatenateDataset(self, dataset)

    def batch(self, batch_size, drop_remainder=False, num_parallel_calls=None,
              deterministic=None, name=None):
        return T._BatchDataset(self, batch_size, drop_remainder)

    def unbatch(self, name=None):
        return T._UnbatchDataset(self)

    def padded_batch(self, batch_size, padded_shapes=None, padding_values=None,
                     drop_remainder=False, name=None):
        return T._PaddedBatchDataset(self, batch_size, padded_shapes, padding_values,
                                     drop_remainder)

    def ragged_batch(self, batch_size, drop_remainder=False, row_splits_dtype=dtypes.int64,
                     name=None):
        return T._RaggedBatchDataset(self, batch_size, drop_remainder, row_splits_dtype)

    def sparse_batch(self, batch_size, row_shape, name=None):
        return T._DenseToSparseBatchDataset(self, batch_size, row_shape)

    def rebatch(self, batch_size, drop_remainder=False, name=None):
        return T._RebatchDataset(self, batch_size, drop_remainder)

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=True, name=None):
        return T._ShuffleDataset(self, buffer_size, seed, reshuffle_each_iteration)

    def repeat(self, count=None, name=None):
        return T._RepeatDataset(self, count)

    def take(self, count, name=None):
        return T._TakeDataset(self, count)

    def skip(self, count, name=None):
        return T._SkipDataset(self, count)

    def shard(self, num_shards, index, name=None):
        return T._ShardDataset(self, num_shards, index)

    def map(self, map_func, num_parallel_calls=None, deterministic=None, name=None):
        if num_parallel_calls is None:
            return T._MapDataset(self, map_func)
        return T._ParallelMapDataset(self, map_func, num_parallel_calls, deterministic)

    def filter(self, predicate, name=None):
        return T._FilterDataset(self, predicate)

    def flat_map(self, map_func, name=None):
        return T._FlatMapDataset(self, map_func)

    def interleave(self, map_func, cycle_length=None, block_length=None,
                   num_parallel_calls=None, deterministic=None, name=None):
        return T._InterleaveDataset(self, map_func, cycle_length, block_length)

    def enumerate(self, start=0, name=None):
        counter = _RangeDataset(start, np.iinfo(np.int64).max)
        return T._ZipDataset((counter, self))

    def window(self, size, shift=None, stride=1, drop_remainder=False, name=None):
        return T._WindowDataset(self, size, shift, stride, drop_remainder)

    def cache(self, filename="", name=None):
        return T.CacheDataset(self, filename)

    def prefetch(self, buffer_size, name=None):
        return T._PrefetchDataset(self, buffer_size)

    def scan(self, initial_state, scan_func, name=None):
        return T._ScanDataset(self, initial_state, scan_func)

    def apply(self, transformation_func):
        return transformation_func(self)

    def reduce(self, initial_state, reduce_func, name=None):
        """Fold every element into a state with ``reduce_func(state, element)``."""
        state = structure.normalize(initial_state)
        for element in self._elements():
            args = (structure.to_tensors(state), structure.to_tensors(element))
            with structure.not_recorded():
                state = structure.normalize(reduce_func(*args))
        return structure.to_tensors(state)

    def get_single_element(self, name=None):
        first = self.take_while_elements(2)
        if len(first) != 1:
            raise _kernel_error("DatasetToSingleElement", "Dataset was empty." if not first else
                                "Dataset had more than one element.")
        return structure.to_tensors(first[0])


# --- sources --------------------------------------------------------------------------------------

structure._DatasetType.cls = Dataset


class _TensorDataset(Dataset):
    def __init__(self, tensors):
        self._element = structure.normalize(tensors)

    def _elements(self):
        yield self._element

    def _spec(self):
        return structure.spec_of(self._element)

    def _cardinality(self):
        return 1


class _TensorSliceDataset(Dataset):
    def __init__(self, tensors):
        element = structure.normalize(tensors)
        leaves = structure.flatten(element)
        n = None
        for leaf in leaves:
            if np.ndim(leaf) == 0:
                raise ValueError("Unbatching a tensor is only supported for rank >= 1")
            if n is not None and leaf.shape[0] != n:
                raise ValueError(f"Dimensions {n} and {leaf.shape[0]} are not compatible")
            n = leaf.shape[0]
        self._leaves = leaves
        self._structure = element
        self._n = n

    def _elements(self):
        leaves, template = self._leaves, self._structure
        if not structure.is_structure(template):
            yield from structure.rows(leaves[0])
            return
        if type(template) is tuple and not any(map(structure.is_structure, template)):
            yield from zip(*[structure.rows(leaf) for leaf in leaves])
            return
        for i in range(self._n):
            yield structure.pack(template, [structure.row(leaf, i) for leaf in leaves])

    def _indexed(self):
        return self, iter(range(self._n))

    def _row(self, i):
        return structure.pack(self._structure, [structure.row(leaf, i) for leaf in self._leaves])

    def _gather(self, indices):
        """The batch of rows ``indices`` (one fancy-indexing copy per component)."""
        indices = np.asarray(indices, np.intp)
        return structure.pack(self._structure, [leaf[indices] for leaf in self._leaves])

    def _spec(self):
        return structure.without_batch_dim(structure.spec_of(self._structure))

    def _cardinality(self):
        return self._n


class _RangeDataset(Dataset):
    def __init__(self, *args, output_type=dtypes.int64):
        if not 1 <= len(args) <= 3:
            raise ValueError("Invalid arguments to RangeDataset: ")
        bounds = [int(a) for a in args]
        start, stop, step = ([0] + bounds + [1])[:3] if len(bounds) == 1 else (bounds + [1])[:3]
        if step == 0:
            raise _kernel_error("RangeDataset", "step must be a non-zero integer.")
        self._range = range(start, stop, step)
        self._dtype = dtypes.as_dtype(output_type)

    def _elements(self):
        np_type = self._dtype._np.type
        return (np_type(i) for i in self._range)

    def _spec(self):
        return TensorSpec((), self._dtype)

    def _cardinality(self):
        return len(self._range)


def _signature(output_types, output_shapes, output_signature):
    if output_signature is not None:
        return output_signature
    if output_types is None:
        raise TypeError("The `output_types` argument can not be None when `output_signature` "
                        "is not provided.")
    return _specs(output_types, output_shapes)


def _specs(types, shapes):
    """TensorSpecs pairing ``types`` with ``shapes`` (None: unknown), following the structure
    of ``types`` (a shape is itself a tuple, so ``shapes`` is read only that deep)."""
    if isinstance(types, dict):
        return type(types)((k, _specs(t, None if shapes is None else shapes[k]))
                           for k, t in types.items())
    if isinstance(types, tuple):
        parts = [_specs(t, None if shapes is None else shapes[i]) for i, t in enumerate(types)]
        return type(types)(*parts) if hasattr(type(types), "_fields") else tuple(parts)
    return TensorSpec(shapes, types)


class _GeneratorDataset(Dataset):
    """``from_generator``: each iteration calls ``generator(*args)`` anew."""

    _repr_name = "_FlatMapDataset"  # TF builds it as a flat_map over its arguments

    def __init__(self, generator, output_types, output_shapes, args, output_signature):
        if not callable(generator):
            raise TypeError("`generator` must be a Python callable.")
        self._generator = generator
        self._args = tuple(args or ())
        self._signature = _signature(output_types, output_shapes, output_signature)

    def _elements(self):
        specs = structure.flatten(self._signature)
        args = [a.numpy() if isinstance(a, Tensor) else a for a in self._args]
        for value in self._generator(*args):
            if not structure.is_structure(self._signature):
                value = (value,)
                flat = [value[0]]
            else:
                value = tuple(value) if isinstance(value, list) else value
                flat = structure.flatten(value)
                if len(flat) != len(specs):
                    raise _kernel_error("PyFunc", "`generator` yielded an element that did not "
                                        "match the expected structure.")
            leaves = [self._check(v, s) for v, s in zip(flat, specs)]
            yield structure.pack(self._signature, leaves)

    @staticmethod
    def _check(value, spec):
        if isinstance(spec, composite.SPECS):  # a SparseTensor / RaggedTensor, as it is
            held = composite.from_user(value)
            if held is None or not isinstance(held.spec(), type(spec)):
                raise _kernel_error("PyFunc", "TypeError: `generator` yielded an element of "
                                    f"type {type(value).__name__} where an element of type "
                                    f"{spec.value_type.__name__} was expected.")
            return held
        try:
            arr = convert_to_tensor(value, spec.dtype)._value
        except (TypeError, ValueError) as e:
            raise _kernel_error("PyFunc", f"TypeError: `generator` yielded an element that could "
                                f"not be converted to the expected type. {e}") from None
        if not spec.shape.is_compatible_with(arr.shape):
            raise _kernel_error("PyFunc", "`generator` yielded an element of shape "
                                f"{tuple(arr.shape)} where an element of shape "
                                f"{spec.shape} was expected.")
        return arr

    def _spec(self):
        return self._signature


from . import transformations as T  # noqa: E402  (the transformations subclass Dataset)
