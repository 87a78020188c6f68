"""Elements of a dataset: nested structures (tuples, dicts, namedtuples) of NumPy values.

Inside a pipeline an element's leaves are NumPy arrays (or NumPy scalars for rank 0) and, for
``window``, datasets. User functions see them as EagerTensors; ``as_numpy_iterator`` hands them
out as NumPy values. ``element_spec`` describes them with ``TensorSpec`` / ``DatasetSpec``.
"""

import contextlib

import numpy as np

from ..framework import context, dtypes, nest
from ..framework.shape import TensorShape
from ..framework.tensor import EagerTensor, Tensor, convert_to_tensor, wrap
from ..module import TensorSpec
from . import composite


def is_structure(x):
    """Tuples and dicts are structures; lists are values (TF converts them into one tensor)."""
    return isinstance(x, tuple | dict)


def flatten(element):
    if not is_structure(element):
        return [element]
    return [v.value if isinstance(v, _Leaf) else v
            for v in nest.flatten(_lists_as_leaves(element))]


def pack(structure, flat):
    if not is_structure(structure):
        return flat[0]
    return nest.pack_sequence_as(_lists_as_leaves(structure), flat)


class _Leaf:
    """A placeholder that keeps a list in a structure a single leaf for ``nest``."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value


def _lists_as_leaves(x):
    if isinstance(x, dict):
        return type(x)((k, _lists_as_leaves(v)) for k, v in x.items())
    if isinstance(x, tuple):
        items = [_lists_as_leaves(v) for v in x]
        return type(x)(*items) if hasattr(type(x), "_fields") else tuple(items)
    if isinstance(x, list):
        return _Leaf(x)
    return x


def row(leaf, i):
    """``leaf[i]``, kept a NumPy value (string tensors hold Python bytes)."""
    v = leaf[i]
    if isinstance(v, (np.ndarray, np.generic) + composite.COMPOSITE):
        return v
    return np.array(v, dtype=object)


def rows(leaf):
    if leaf.dtype != object:
        return iter(leaf)
    return (row(leaf, i) for i in range(len(leaf)))


def map_leaves(fn, element):
    if not is_structure(element):
        return fn(element)
    return pack(element, [fn(v) for v in flatten(element)])


def _leaf_array(value):
    if isinstance(value, Tensor):
        return value._value
    if isinstance(value, _Leaf):
        value = value.value
    if _is_dataset(value):
        return value
    held = composite.from_user(value)
    if held is not None:
        return held
    return convert_to_tensor(value)._value


class _DatasetType:
    """Replaced by ``Dataset`` once dataset.py has defined it (it imports this module)."""


def _is_dataset(value):
    return isinstance(value, _DatasetType.cls)


def normalize(value, returned=False):
    """A user value (Python, NumPy, tensors, Variables) as an element of NumPy leaves.

    A list a dataset function ``returned`` becomes a tuple, as in TF; elsewhere it is a value."""
    if type(value) is EagerTensor:
        return value._value
    if returned and isinstance(value, list):
        value = tuple(value)
    if not is_structure(value):
        return _leaf_array(value)
    return pack(value, [_leaf_array(v) for v in flatten(value)])


def to_tensors(element):
    """The element as user functions see it: EagerTensors (datasets stay datasets)."""
    if isinstance(element, np.ndarray | np.generic):
        return wrap(element)
    return map_leaves(_as_tensor, element)


def _as_tensor(v):
    if type(v) is np.ndarray:
        return wrap(v)
    if isinstance(v, composite.COMPOSITE):
        return v.tensor()
    return v if _is_dataset(v) else wrap(v)


def to_numpy(element):
    """The element as ``as_numpy_iterator`` hands it out."""
    return map_leaves(_as_numpy, element)


def _as_numpy(v):
    if type(v) is np.ndarray:  # the common leaves first
        return v[()] if v.ndim == 0 else v
    if isinstance(v, np.generic):
        return v
    if isinstance(v, composite.COMPOSITE):
        return v.numpy()
    if not _is_dataset(v) and np.ndim(v) == 0:
        return v[()] if isinstance(v, np.ndarray) else v
    return v


@contextlib.contextmanager
def not_recorded():
    """Run dataset functions outside any active tape, as TF runs them (as graph functions)."""
    saved = context.state.stack
    context.state.stack = []
    try:
        yield
    finally:
        context.state.stack = saved


def call(fn, element):
    """``fn`` on an element, unpacking a top-level tuple into arguments as TF does."""
    args = to_tensors(element)
    saved = context.state.stack
    context.state.stack = []  # as not_recorded(), without a context manager's cost
    try:
        if type(args) is tuple:
            return fn(*args)
        return fn(args)
    finally:
        context.state.stack = saved


# --- specs ----------------------------------------------------------------------------------------

class DatasetSpec:
    """``tf.data.DatasetSpec``: the type of an element that is itself a dataset (``window``)."""

    __slots__ = ("element_spec", "dataset_shape")

    def __init__(self, element_spec, dataset_shape=()):
        self.element_spec = element_spec
        self.dataset_shape = TensorShape(dataset_shape)

    def __repr__(self):
        return f"DatasetSpec({self.element_spec!r}, {self.dataset_shape!r})"

    def __eq__(self, other):
        return isinstance(other, DatasetSpec) and (self.element_spec, self.dataset_shape) == (
            other.element_spec, other.dataset_shape)

    __hash__ = None


def leaf_spec(v):
    if _is_dataset(v):
        return DatasetSpec(v.element_spec)
    if isinstance(v, composite.COMPOSITE):
        return v.spec()
    return TensorSpec(np.shape(v), dtypes.from_numpy(np.asarray(v).dtype))


def spec_of(element):
    return map_leaves(leaf_spec, element)


def relax(a, b):
    """The most specific spec both ``a`` and ``b`` satisfy (differing dims become None)."""
    if isinstance(a, DatasetSpec):
        return a
    if isinstance(a, composite.ExtensionTypeSpec):
        return composite.spec_with_fields(a, {n: relax(v, getattr(b, n)) if hasattr(v, "shape")
                                              else v for n, v in a._field_items()})
    sa, sb = a.shape, b.shape
    if sa.rank is None or sb.rank is None or sa.rank != sb.rank:
        shape = TensorShape(None)
    else:
        shape = TensorShape([x if x == y else None for x, y in zip(sa, sb)])
    return composite.with_shape(a, shape)


def relax_structure(a, b):
    fa, fb = flatten(a), flatten(b)
    return pack(a, [relax(x, y) for x, y in zip(fa, fb)])


def with_batch_dim(spec, dim):
    """``spec`` with a leading dimension ``dim`` (None when unknown)."""
    def add(s):
        if isinstance(s, DatasetSpec):
            return DatasetSpec(s.element_spec, TensorShape([dim]).concatenate(s.dataset_shape))
        if isinstance(s, composite.ExtensionTypeSpec):
            return composite.batch_spec(s, dim)
        if s.shape.rank is None:
            return composite.with_shape(s, None, 1)
        return composite.with_shape(s, TensorShape([dim]).concatenate(s.shape), 1)
    return map_leaves(add, spec)


def without_batch_dim(spec):
    def drop(s):
        if isinstance(s, composite.ExtensionTypeSpec):
            return composite.batch_spec(s, None, add=False)
        if s.shape.rank is None:
            return composite.with_shape(s, None, -1)
        if s.shape.rank == 0:
            raise ValueError("Cannot unbatch an input with scalar components.")
        return composite.with_shape(s, s.shape[1:], -1)
    return map_leaves(drop, spec)
