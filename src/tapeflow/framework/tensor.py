"""``tf.Tensor``: an immutable eager value with TensorFlow's printing and Python protocols.

The operators (``+``, ``@``, ``[]``, comparisons, …) are attached by ``tapeflow.ops`` at import
time, so this module depends on nothing but NumPy and the dtype/shape types.
"""

import itertools

import numpy as np

from . import dtypes, errors
from .context import fp_quiet, fp_restore, note_export, state
from .shape import TensorShape

_ids = itertools.count(1)  # never id(): CPython reuses it after garbage collection
_next_id = _ids.__next__
_new = object.__new__

DEVICE = "/job:localhost/replica:0/task:0/device:CPU:0"


class Tensor:
    """The base class of tensors (``tf.Tensor``)."""

    __slots__ = ()
    __array_priority__ = 100  # NumPy defers `ndarray (op) tensor` to the tensor's reflected op


class EagerTensor(Tensor):
    """A concrete eager value. ``_value`` is a NumPy array (or NumPy scalar) never written to."""

    # _origin: (variable name, where) when computed from a Variable outside any tape (explain).
    __slots__ = ("_value", "_id", "_origin", "__weakref__")

    @property
    def dtype(self):
        return dtypes.from_numpy(self._value.dtype)

    @property
    def shape(self):
        return TensorShape(self._value.shape)

    def get_shape(self):
        return TensorShape(self._value.shape)

    @property
    def ndim(self):
        return self._value.ndim

    @property
    def device(self):
        return DEVICE

    @property
    def name(self):
        raise AttributeError("Tensor.name is undefined when eager execution is enabled.")

    def numpy(self):
        """A fresh, writable copy (a NumPy scalar for rank 0)."""
        if state.stack:
            note_export(self)
        v = self._value
        if v.ndim == 0:
            return v[()] if isinstance(v, np.ndarray) else v
        return v.copy()

    def __array__(self, dtype=None, copy=None):
        if state.stack:
            note_export(self)
        return as_readonly_array(self._value, dtype, copy)

    def ref(self):
        return Reference(self)

    experimental_ref = ref

    def __hash__(self):
        raise TypeError("Tensor is unhashable. Instead, use tensor.ref() as the key.")

    def __repr__(self):
        return (f"<tf.Tensor: shape={self.shape}, dtype={self.dtype.name}, "
                f"numpy={numpy_text(self._value)}>")

    def __str__(self):
        return f"tf.Tensor({str_text(self._value)}, shape={self.shape}, dtype={self.dtype.name})"

    def __format__(self, spec):
        v = self._value
        return format(v[()] if isinstance(v, np.ndarray) and v.ndim == 0 else v, spec)

    def __bool__(self):
        # TF answers False for an empty tensor where NumPy 2 would raise.
        return bool(self._value) if self._value.size else False

    def __float__(self):
        return float(self._scalar())

    def __int__(self):
        return int(self._scalar())

    def __complex__(self):
        return complex(self._scalar())

    def _trace_value(self):
        """The value an op reads as a Python value (a shape, an axis…); a graph being traced
        refuses it for tensors it does not know (graph/ir.py)."""
        return self._value

    def _scalar(self):
        """The value for float()/int()/complex(): rank 0 only, as with NumPy >= 2.4 (older
        NumPy converts one-element arrays with a warning; tapeflow behaves the same on all)."""
        if state.stack:
            note_export(self)
        if self._value.ndim:
            raise TypeError("only 0-dimensional arrays can be converted to Python scalars")
        return self._value

    def __index__(self):
        if self._value.dtype.kind not in "iu" or self._value.ndim:
            raise TypeError("Only integer scalar tensors can be used as an index.")
        return int(self._value)

    def __len__(self):
        if self._value.ndim == 0:
            raise TypeError("Scalar tensor has no `len()`")
        return self._value.shape[0]

    def __iter__(self):
        if self._value.ndim == 0:
            raise TypeError("Cannot iterate over a scalar tensor.")
        return (self[i] for i in range(self._value.shape[0]))

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def __reduce__(self):
        return constant, (self.numpy(),)


def _numpy_only(name):
    """Until ``tf.experimental.numpy.experimental_enable_numpy_behavior()`` installs NumPy's
    methods, NumPy's method ``name`` on a tensor raises TF's hint. A property, not
    ``__getattr__``, so that other missing attributes stay as cheap as Python's."""
    def missing(self):
        raise AttributeError(
            f"{type(self).__name__} object has no attribute '{name}'. \n"
            "        If you are looking for numpy-related methods, please run the following:\n"
            "        tf.experimental.numpy.experimental_enable_numpy_behavior()\n      ")
    return property(missing)


for _name in ("T", "astype", "ravel", "transpose", "reshape", "clip", "size", "tolist", "data"):
    setattr(EagerTensor, _name, _numpy_only(_name))


def wrap(value):
    """A new EagerTensor around a NumPy result (no copy, no checks: the hot path)."""
    t = _new(EagerTensor)
    t._value = value
    t._id = _next_id()
    return t


def as_readonly_array(value, dtype=None, copy=None):
    """What ``__array__`` hands NumPy: the value itself, read-only, unless a copy is wanted."""
    if copy:
        return np.array(value, dtype=dtype, copy=True)
    arr = np.asarray(value, dtype=dtype)
    if arr is value or arr.base is value:
        arr = arr.view()
        arr.flags.writeable = False
    return arr


class Reference:
    """A hashable handle to a tensor or variable (``t.ref()``), compared by identity."""

    __slots__ = ("_obj",)

    def __init__(self, obj):
        self._obj = obj

    def deref(self):
        return self._obj

    def __hash__(self):
        return id(self._obj)

    def __eq__(self, other):
        return isinstance(other, Reference) and other._obj is self._obj

    def __lt__(self, other):
        # Ordered by creation, so that tf.nest can sort a dict keyed by references.
        return tape_id(self._obj) < tape_id(other._obj)

    def __repr__(self):
        return f"<Reference wrapping {self._obj!r}>"


def value_of(obj):
    """The NumPy value of a tensor or (without recording a read) of a Variable."""
    return obj._value if isinstance(obj, Tensor) else obj._handle.value


def tape_id(obj):
    """The id tapes know ``obj`` by: a tensor's own, a Variable's fixed handle id (both grow
    with creation). Anything else raises AttributeError, as TF does for a bad source."""
    if type(obj) is EagerTensor:
        return obj._id
    handle = getattr(obj, "_handle", None)
    return handle.id if handle is not None else obj._id


# --- printing: the one place that decides how a value is shown ----------------------------------


def _scalar_text(value):
    x = value[()] if isinstance(value, np.ndarray) else value
    return str(x)


def numpy_text(value):
    """The text after ``numpy=`` in a repr (newline-prefixed when it spans lines). A bfloat16
    or float16 scalar shows its exact value, as TF's repr does (0.333984375, where str shows
    0.333984; 4.19921875 for float16's 4.2)."""
    if value.ndim == 0:
        text = repr(float(value)) if value.dtype.kind == "V" or value.dtype == np.float16 \
            else _scalar_text(value)
    else:
        text = repr(value)
    return "\n" + text if "\n" in text else text


def str_text(value):
    """The value text inside ``tf.Tensor(...)``."""
    text = _scalar_text(value) if value.ndim == 0 else str(value)
    return "\n" + text if "\n" in text else text


# --- conversion ----------------------------------------------------------------------------------


def to_array(value, dtype=None):
    """A private ndarray for a Python/NumPy value, converted to ``dtype`` by TF's rules (values
    beyond the dtype's range become inf silently, as in TF)."""
    quiet = fp_quiet()
    try:
        return _to_array(value, dtype)
    except MemoryError as e:
        raise errors.out_of_memory("Const", e) from None
    finally:
        fp_restore(quiet)


def _to_array(value, dtype):
    if dtype is not None and isinstance(value, int | float | list | tuple) and \
            dtype._np.kind in "iufV":
        arr = _numbers_as(value, dtype)
        if arr is not None:
            return arr
    try:
        arr = dtypes.infer_numpy(value)
    except ValueError:
        registered = _registered_conversion(value, dtype)
        if registered is None:
            raise
        return registered
    if dtype is None:
        return arr
    target = dtype._np
    if arr.dtype == target:
        return arr
    if not isinstance(value, np.ndarray | np.generic):
        if arr.dtype.kind not in _ACCEPTS[target.kind] and arr.size:  # [] fits any dtype
            raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype {dtype._op_name}")
        if target.kind in "fcV":  # from the Python values: no rounding through float32 first
            return np.array(value, target)
    return arr.astype(target)


# tf.register_tensor_conversion_function: (priority, order, base type, function), tried in turn
# for a value no built-in rule converts
_CONVERSIONS = []


def register_tensor_conversion_function(base_type, conversion_func, priority=100):
    """``tf.register_tensor_conversion_function``: ``conversion_func(value, dtype=None,
    name=None, as_ref=False)`` converts instances of ``base_type`` (returning a tensor, or
    ``NotImplemented`` to let the next function try); lower ``priority`` first."""
    types = base_type if isinstance(base_type, tuple) else (base_type,)
    if not all(isinstance(t, type) for t in types):
        raise TypeError("Argument `base_type` must be a type or a tuple of types. Obtained: "
                        f"{base_type}")
    if any(issubclass(t, int | float | complex | np.generic | np.ndarray) for t in types):
        raise TypeError("Cannot register conversions for Python numeric types and NumPy "
                        "scalars and arrays.")
    if not callable(conversion_func):
        raise TypeError(f"Argument `conversion_func` must be callable. Received "
                        f"{conversion_func}.")
    _CONVERSIONS.append((priority, len(_CONVERSIONS), types, conversion_func))
    _CONVERSIONS.sort(key=lambda entry: entry[:2])


def _registered_conversion(value, dtype):
    """The array of a registered conversion of ``value``, or None where none applies."""
    for _, _, types, convert in _CONVERSIONS:
        if not isinstance(value, types):
            continue
        out = convert(value, dtype=dtype, name=None, as_ref=False)
        if out is NotImplemented:
            continue
        out = convert_to_tensor(out)
        if dtype is not None and out._value.dtype != dtype._np:
            raise RuntimeError(f"Conversion function {convert!r} for type {type(value)} "
                               f"returned incompatible dtype: requested = {dtype.name}, "
                               f"actual = {out.dtype.name}")
        return out._value
    return None


def _numbers_as(value, dtype):
    """Python numbers converted straight into an integer or float ``dtype``, as TF does:
    integers wrap into a narrower type (300 as int8 is 44) but must fit int64 or uint64; big
    integers and doubles become a narrower float's inf. None when ``value`` holds other things."""
    kind, _ = (dtypes.sequence_kind(value, explicit=True) if isinstance(value, list | tuple)
               else ("f" if isinstance(value, float) else "i", None))
    target = dtype._np
    if kind is None or kind not in _ACCEPTS[target.kind]:
        return None  # the general path raises TF's TypeError, or converts what it can
    if target.kind in dtypes.FLOATING:
        return dtypes.as_float64(value).astype(target)
    for wide in (np.int64, np.uint64) if target == np.uint64 else (np.int64,):
        try:
            return np.array(value, wide).astype(target)
        except OverflowError:
            continue
    raise ValueError("Can't convert Python sequence with out-of-range integer to Tensor.")


# Python data of each inferred kind that TF converts into a requested dtype of the key's kind.
_ACCEPTS = {"b": "b", "i": "iub", "u": "iub", "f": "iubf", "V": "iubf", "c": "iufc", "O": "O"}


def convert_to_tensor(value, dtype=None, dtype_hint=None, name=None):
    """``tf.convert_to_tensor``: tensors pass through unchanged, Variables are read."""
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
    if isinstance(value, Tensor):
        if dtype is not None and dtypes.from_numpy(value._value.dtype) is not dtype:
            raise ValueError(f"Tensor conversion requested dtype {dtype.name} for Tensor with "
                             "dtype "
                             f"{value.dtype.name}: {value!r}")
        return value
    read = getattr(value, "_dense_read", None)
    if read is not None:  # a Variable: a snapshot read (recorded when a tape is on)
        if dtype is not None and value.dtype is not dtype:
            raise ValueError(f"Incompatible type conversion requested to type {dtype.name} for "
                             f"`tf.Variable of type {value.dtype.name}. (Variable: {value!r})")
        return read()
    if isinstance(value, TensorShape):
        value = value.as_list()
    if dtype is None and dtype_hint is not None:
        try:
            return wrap(to_array(value, dtypes.as_dtype(dtype_hint)))
        except (TypeError, ValueError):
            pass
    return wrap(to_array(value, dtype))


def constant(value, dtype=None, shape=None, name=None):
    """``tf.constant``: a new tensor from a Python or NumPy value."""
    if isinstance(value, Tensor) or hasattr(value, "_dense_read"):
        t = convert_to_tensor(value)
        arr = t._value
        if dtype is not None and dtypes.as_dtype(dtype) is not t.dtype:
            raise TypeError(f"Expected tensor {arr} with dtype {dtypes.as_dtype(dtype)!r}, but got "
                            f"dtype {t.dtype!r}.")
    else:
        arr = to_array(value, None if dtype is None else dtypes.as_dtype(dtype))
    if shape is not None:
        shape = tuple(TensorShape(shape))
        if arr.size == 1:
            arr = np.broadcast_to(arr.reshape(()), shape).copy()
        elif arr.size == int(np.prod(shape)):
            arr = arr.reshape(shape)
        else:
            raise TypeError(f"Eager execution of tf.constant with unsupported shape. Tensor {arr} "
                            f"(converted from {value!r}) has {arr.size} elements, but got `shape` "
                            f"{TensorShape(shape)} with {int(np.prod(shape))} elements).")
    return wrap(arr)


def is_tensor(x):
    return isinstance(x, Tensor) or hasattr(x, "_dense_read")
