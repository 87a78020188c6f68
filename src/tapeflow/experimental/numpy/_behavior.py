"""``experimental_enable_numpy_behavior``: NumPy's methods, indexing and type promotion on
tensors. The operators keep their ops; only their operands are promoted first."""

import builtins

import numpy as np

import tapeflow as tf
from tapeflow.framework.tensor import EagerTensor
from tapeflow.framework.variable import ResourceVariable
from tapeflow.ops import OPERATORS, _marks_origin

from . import _core, _weak
from ._dtypes import CONFIG, result_type, tf_dtype

_BINARY = [name for name in OPERATORS
           if name not in ("__neg__", "__abs__", "__invert__", "__getitem__")]
_ORIGINAL = {}


def _promoting(fn):
    by_lattice = _weak.binary(fn)

    def op(x, y):
        if CONFIG["mode"] in ("all", "safe"):
            return by_lattice(x, y)
        if not CONFIG["promote"] or isinstance(y, (list, tuple, str, bytes)) or y is None:
            return fn(x, y)
        if _same_kind(x, y) or _same_kind(y, x):
            return fn(x, y)  # nothing to promote: the common cases skip NumPy's rules
        try:
            dtype = result_type(x, y)
        except TypeError:  # not a number (a string, an object): the operator decides
            return fn(x, y)
        x = _core.asarray(x, dtype)
        y = _core.asarray(y, dtype)
        return fn(x, y)
    op.__name__ = fn.__name__
    return op


def _same_kind(x, y):
    """Whether ``x (op) y`` needs no promotion: a tensor with another of its dtype, or with a
    Python number NumPy would read as the tensor's dtype (an int with integers, an int or a float
    with floats: Python scalars are weak)."""
    if not isinstance(x, (tf.Tensor, tf.Variable)):
        return False
    dtype = x.dtype
    if isinstance(y, (tf.Tensor, tf.Variable)):
        return y.dtype == dtype
    if type(y) is int:
        return dtype.is_floating or (dtype in (tf.int32, tf.int64) and -2**31 <= y < 2**31)
    if type(y) is float:
        return dtype.is_floating and not CONFIG["prefer_float32"]
    return False


def _is_basic(key):
    keys = key if isinstance(key, tuple) else (key,)
    return all(k is None or k is Ellipsis or isinstance(k, (slice, int, np.integer))
               or (isinstance(k, tf.Tensor) and k.shape.rank == 0 and k.dtype.is_integer)
               for k in keys)


def _numpy_key(k):
    if isinstance(k, (tf.Tensor, tf.Variable)):
        return np.asarray(k)
    if isinstance(k, list):
        return np.asarray([_numpy_key(i) for i in k])
    return k


def _as_op(self, keys):
    """The gather or boolean mask one tensor index among full slices is, or None: these run
    as ops (in a graph too) instead of positions computed by NumPy."""
    picks = [i for i, k in enumerate(keys) if not (isinstance(k, slice) and k == slice(None))]
    if len(picks) != 1 or builtins.any(k is Ellipsis or k is None for k in keys):
        return None
    pos = picks[0]
    k = keys[pos]
    if not isinstance(k, (tf.Tensor, list)):
        return None
    k = _core.asarray(k)
    if k.dtype == tf.bool and pos == 0 and k.shape.rank == self.shape.rank:
        return tf.boolean_mask(self, k)
    if k.dtype.is_integer and k.shape.rank is not None:
        n = tf.cast(tf.shape(self)[pos], k.dtype)
        return tf.gather(self, tf.where(k < 0, k + n, k), axis=pos)
    return None


def _advanced(x, keys):
    """NumPy's advanced indexing by ops: the slices first, then one gather_nd over the indexed
    axes moved to the front, the result's axes placed where NumPy places them."""
    rank = x.shape.rank
    if builtins.sum(k is Ellipsis for k in keys) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    fill = [slice(None)] * (rank - _key_rank([k for k in keys if k is not Ellipsis]))
    expanded = []
    for k in keys:
        expanded += fill if k is Ellipsis else [k]
    if not builtins.any(k is Ellipsis for k in keys):
        expanded += fill
    basic, indexed, arrays = [], [], []
    axis = 0
    for k in expanded:
        if isinstance(k, slice):
            basic.append(k)
            axis += 1
            continue
        k = _core.asarray(k)
        if k.dtype == tf.bool:  # a mask stands for its nonzero positions, one array per axis
            where = tf.where(k)
            parts = [where[:, i] for i in range(k.shape.rank)]
        else:
            parts = [k]
        for part in parts:
            basic.append(slice(None))
            n = tf.cast(tf.shape(x)[axis], part.dtype)
            arrays.append(tf.where(part < 0, part + n, part))
            indexed.append(axis)
            axis += 1
    x = x[tuple(basic)]
    others = [i for i in range(rank) if i not in indexed]
    x = tf.transpose(x, indexed + others)
    dtype = tf.int64 if builtins.any(a.dtype == tf.int64 for a in arrays) else tf.int32
    arrays = [tf.cast(a, dtype) for a in arrays]
    shape = tf.shape(arrays[0])
    for a in arrays[1:]:
        shape = tf.broadcast_dynamic_shape(shape, tf.shape(a))
    out = tf.gather_nd(x, tf.stack([tf.broadcast_to(a, shape) for a in arrays], -1))
    adjacent = indexed == list(range(indexed[0], indexed[0] + len(indexed)))
    if adjacent and indexed[0] > 0:  # NumPy keeps adjacent indices' axes in place
        b = out.shape.rank - len(others)
        perm = list(range(b, b + indexed[0])) + list(range(b)) + list(
            range(b + indexed[0], out.shape.rank))
        out = tf.transpose(out, perm)
    return out


def _key_rank(keys):
    """How many of the tensor's axes ``keys`` (no Ellipsis, no None) index."""
    return builtins.sum(1 if isinstance(k, slice) or _core.asarray(k).dtype != tf.bool
                        else _core.asarray(k).shape.rank for k in keys)


def _getitem(original):
    def getitem(self, key):
        if _is_basic(key):
            return original(self, key)
        by_op = _as_op(self, key if isinstance(key, tuple) else (key,))
        if by_op is not None:
            return by_op
        keys = key if isinstance(key, tuple) else (key,)
        if not builtins.any(k is None for k in keys) and self.shape.rank is not None:
            return _advanced(self, keys)
        # With np.newaxis among advanced indices: NumPy picks the flat positions (the values of
        # tensor keys must be known), one gather takes them.
        keys = tuple(np.asarray(k) if isinstance(k, tuple) else _numpy_key(k) for k in keys)
        positions = np.arange(int(np.prod(self.shape.as_list()))).reshape(self.shape.as_list())
        return tf.gather(tf.reshape(self, [-1]), positions[keys])
    getitem.__name__ = "__getitem__"
    return getitem


def _setitem(self, key, value):
    raise TypeError(f"{type(self).__name__!r} object does not support item assignment")


def _size(self):
    return int(np.prod(self.shape.as_list())) if self.shape.is_fully_defined() else None


def _tolist(self):
    if tf.is_symbolic_tensor(self):
        raise ValueError("Symbolic Tensors do not support the tolist API.")
    return self.numpy().tolist()


def _reshape_method(self, *args, **kwargs):
    shape = args[0] if len(args) == 1 and not isinstance(args[0], int) else args
    return _core.reshape(self, kwargs.get("newshape", shape), kwargs.get("order", "C"))


def _astype(self, dtype):
    return tf.cast(self, tf_dtype(dtype))


METHODS = {
    "T": property(lambda self: _core.transpose(self)),
    "ndim": property(lambda self: self.shape.ndims),
    "size": property(_size),
    "__pos__": lambda self: self,
    "tolist": _tolist,
    "transpose": _core.transpose,
    "flatten": _core.flatten,
    "reshape": _reshape_method,
    "ravel": _core.ravel,
    "clip": _core.clip,
    "astype": _astype,
    "__round__": _core.around,
    "max": _core.amax,
    "mean": _core.mean,
    "min": _core.amin,
}


def enable(prefer_float32=False, dtype_conversion_mode="legacy"):
    if dtype_conversion_mode not in ("off", "legacy", "safe", "all"):
        raise ValueError(
            f"The provided promotion mode {dtype_conversion_mode} does not exist. Make sure the "
            "provided dtype conversion mode is one of the followings: 'off', 'legacy', 'safe' "
            "or 'all'.")
    weak_mode = dtype_conversion_mode in ("safe", "all")
    # 'all' and 'safe' read Python floats as 32-bit, as prefer_float32 does
    CONFIG["prefer_float32"] = bool(prefer_float32) or weak_mode
    # 'legacy' promotes the operators' operands as NumPy would; 'off' keeps TF's strict dtypes;
    # 'all' and 'safe' promote by TF's lattice, with weak tensors (_weak.py).
    CONFIG["promote"] = dtype_conversion_mode == "legacy"
    CONFIG["mode"] = dtype_conversion_mode
    if weak_mode:
        _weak.install()
    if CONFIG["numpy_behavior"]:
        return
    CONFIG["numpy_behavior"] = True
    # NumPy's matmul for @, vectors included.
    ops = dict(OPERATORS, __matmul__=_core.matmul, __rmatmul__=lambda x, y: _core.matmul(y, x))
    for cls in (EagerTensor, ResourceVariable):
        for name in _BINARY:
            _ORIGINAL[cls, name] = cls.__dict__[name]
            fn = _promoting(ops[name])
            setattr(cls, name, _marks_origin(fn) if cls is ResourceVariable else fn)
    # TF gives the methods and NumPy's indexing to tensors only, not to Variables.
    _ORIGINAL[EagerTensor, "__getitem__"] = EagerTensor.__dict__["__getitem__"]
    EagerTensor.__getitem__ = _getitem(EagerTensor.__dict__["__getitem__"])
    for name, fn in METHODS.items():
        _ORIGINAL[EagerTensor, name] = EagerTensor.__dict__.get(name)
        setattr(EagerTensor, name, fn)
    EagerTensor.__setitem__ = _setitem


def disable():
    """Undo ``enable`` (for tests: TF itself offers no way back)."""
    if not CONFIG["numpy_behavior"]:
        return
    for (cls, name), fn in _ORIGINAL.items():
        if fn is None:
            delattr(cls, name)
        else:
            setattr(cls, name, fn)
    _ORIGINAL.clear()
    del EagerTensor.__setitem__
    _weak.uninstall()
    CONFIG.update(numpy_behavior=False, prefer_float32=False, promote=False, mode="off")
