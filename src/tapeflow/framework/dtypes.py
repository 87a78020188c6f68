"""DType objects, ``as_dtype`` and TensorFlow's dtype inference for Python and NumPy values."""

import builtins

import numpy as np

try:  # bfloat16 comes from ml_dtypes (the optional extra `bfloat16`, in `dev`), as in TF and JAX
    import ml_dtypes
except ImportError:  # pragma: no cover - tf.bfloat16 is then absent
    ml_dtypes = None

# NumPy kinds of floating dtypes: "V" is ml_dtypes' bfloat16 (a NumPy "void"-kind extension type).
FLOATING = "fV"


# TensorFlow's DataType enum (types.proto) for the dtypes tapeflow has.
DATATYPE_ENUM = {"float32": 1, "float64": 2, "int32": 3, "uint8": 4, "int16": 5, "int8": 6,
                 "string": 7, "complex64": 8, "int64": 9, "bool": 10, "bfloat16": 14,
                 "uint16": 17, "complex128": 18, "float16": 19, "uint32": 22, "uint64": 23}


class DType:
    """A tensor element type (``tf.DType``), backed by a NumPy dtype."""

    __slots__ = ("name", "_np", "_op_name")

    def __init__(self, name, np_dtype, op_name=None):
        self.name = name
        self._np = np.dtype(np_dtype)
        self._op_name = op_name or name  # the name TF's kernels use in error texts

    @property
    def as_numpy_dtype(self):
        return object if self is string else self._np.type

    @property
    def as_datatype_enum(self):
        """TF's ``DataType`` enum value (types.proto), as in GraphDefs and checkpoints."""
        return DATATYPE_ENUM[self.name]

    @property
    def base_dtype(self):
        return self

    @property
    def real_dtype(self):
        return {complex64: float32, complex128: float64}.get(self, self)

    @property
    def is_floating(self):
        return self._np.kind in FLOATING

    @property
    def is_complex(self):
        return self._np.kind == "c"

    @property
    def is_integer(self):
        return self._np.kind in "iu"

    @property
    def is_unsigned(self):
        return self._np.kind == "u"

    @property
    def is_bool(self):
        return self._np.kind == "b"

    @property
    def is_numpy_compatible(self):
        return True

    @property
    def is_differentiable(self):
        return self._np.kind in "fcV"

    @property
    def size(self):
        return 0 if self is string else self._np.itemsize

    @property
    def min(self):
        if self.is_floating:
            return finfo(self._np).min  # a NumPy scalar of this dtype, as TF returns
        if self.is_integer:
            return int(np.iinfo(self._np).min)
        raise TypeError(f"Cannot find minimum value of {self} with type {self}.")

    @property
    def max(self):
        if self.is_floating:
            return finfo(self._np).max
        if self.is_integer:
            return int(np.iinfo(self._np).max)
        raise TypeError(f"Cannot find maximum value of {self} with type {self}.")

    def is_compatible_with(self, other):
        return self == other

    def __repr__(self):
        return f"tf.{self.name}"

    def __str__(self):
        return f"<dtype: '{self.name}'>"

    def __eq__(self, other):
        if other is self:
            return True
        try:
            return as_dtype(other) is self
        except (TypeError, ValueError):
            return False

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return hash(self.name)

    def __reduce__(self):
        return as_dtype, (self.name,)


float16 = DType("float16", np.float16, "half")
float32 = DType("float32", np.float32, "float")
float64 = DType("float64", np.float64, "double")
complex64 = DType("complex64", np.complex64)
complex128 = DType("complex128", np.complex128)
int8 = DType("int8", np.int8)
int16 = DType("int16", np.int16)
int32 = DType("int32", np.int32)
int64 = DType("int64", np.int64)
uint8 = DType("uint8", np.uint8)
uint16 = DType("uint16", np.uint16)
uint32 = DType("uint32", np.uint32)
uint64 = DType("uint64", np.uint64)
bool = DType("bool", np.bool_)  # noqa: A001 - TF's public name
string = DType("string", np.object_)
half = float16
double = float64

ALL = (float16, float32, float64, complex64, complex128, int8, int16, int32, int64,
       uint8, uint16, uint32, uint64, bool, string)
if ml_dtypes is not None:
    bfloat16 = DType("bfloat16", ml_dtypes.bfloat16)
    ALL += (bfloat16,)


def finfo(np_dtype):
    """``np.finfo``, for bfloat16 too."""
    return np.finfo(np_dtype) if np_dtype.kind == "f" else ml_dtypes.finfo(np_dtype)
_BY_NAME = {d.name: d for d in ALL}
_BY_NAME.update(half=float16, double=float64, float=float32)
_BY_NP = {d._np: d for d in ALL if d is not string}


def from_numpy(np_dtype):
    """The DType of a NumPy dtype; bytes, str and object arrays are ``tf.string``."""
    d = _BY_NP.get(np_dtype)
    if d is None:
        if np_dtype.kind in "SUO":
            return string
        raise TypeError(f"Cannot convert value of dtype {np_dtype} to a TensorFlow DType.")
    return d


def as_dtype(type_value):
    """``tf.as_dtype``: a DType from a DType, a NumPy dtype or type, or a name."""
    if isinstance(type_value, DType):
        return type_value
    error = TypeError(f"Cannot convert the argument `type_value`: {type_value!r} to a TensorFlow "
                      "DType.")
    if isinstance(type_value, str):
        try:
            return _BY_NAME[type_value]
        except KeyError:
            raise error from None
    if type_value is float:
        return float32
    # TF accepts the Python types float and bool only (np.dtype(None) would be float64).
    # (by identity: np.dtype('int64') == int, and NumPy dtypes are accepted)
    if type_value is None or any(type_value is t for t in (int, complex, bytes, str)):
        raise error
    try:
        np_dtype = np.dtype(type_value)
    except TypeError:
        raise error from None
    return from_numpy(np_dtype)


_INT32_MIN, _INT32_MAX = -(2**31), 2**31 - 1
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


def infer_numpy(value):
    """Convert a Python or NumPy value to an ndarray with TensorFlow's default dtype."""
    if isinstance(value, np.ndarray | np.generic):
        if value.dtype.kind in "SUO":
            return _to_bytes_array(value, from_numpy=True)
        return np.array(value)  # a private copy: later changes to the user's array never leak in
    if isinstance(value, float):
        if abs(value) > _FLOAT32_MAX and value != np.inf:
            raise _OUT_OF_DOUBLE_RANGE
        return np.array(value, np.float32)
    if isinstance(value, builtins.bool):
        return np.array(value, np.bool_)
    if isinstance(value, int):
        if not _INT64_MIN <= value <= _INT64_MAX:
            raise ValueError(_OUT_OF_INT_RANGE)
        return np.array(value, np.int32 if _INT32_MIN <= value <= _INT32_MAX else np.int64)
    if isinstance(value, complex):
        return np.array(value, np.complex128)
    if isinstance(value, bytes | str):
        return _to_bytes_array(value)
    if isinstance(value, list | tuple) and not _is_ragged(value):
        seq_kind, float_dtype = sequence_kind(value)
        if seq_kind is not None:
            return _numbers_array(value, seq_kind, float_dtype)
    arr = _nested_to_array(value)
    kind = arr.dtype.kind
    if kind == "f":
        with np.errstate(over="ignore"):  # TF turns doubles beyond float32's range into inf
            return arr.astype(np.float32)
    if kind in "iu":
        if arr.size and (arr.min() < _INT32_MIN or arr.max() > _INT32_MAX):
            return arr.astype(np.int64)
        return arr.astype(np.int32)
    if kind in "SUO":
        if kind in "SU" and _has_non_text_leaf(value):  # NumPy made numbers into text
            raise ValueError("Can't convert Python sequence with mixed types to Tensor.")
        if kind in "SU":  # NumPy's fixed-width strings drop trailing NULs: keep the leaves
            leaves = np.empty(arr.size, object)
            leaves[:] = list(_leaves(value))
            arr = leaves.reshape(arr.shape)
        return _to_bytes_array(arr)
    return arr


_FLOAT32_MAX = float(np.finfo(np.float32).max)
_MIXED = "Can't convert Python sequence with mixed types to Tensor."
_OUT_OF_INT_RANGE = "Can't convert Python sequence with out-of-range integer to Tensor."
_OUT_OF_DOUBLE_RANGE = ValueError("Can't convert Python sequence with a value out of range for a "
                                  "double-precision float.")


def _leaves(value):
    if isinstance(value, list | tuple):
        for v in value:
            yield from _leaves(v)
    else:
        yield value


def _leaf_kind(leaf):
    """(kind, float dtype) of one leaf as TF's sequence conversion sees it: NumPy integers count
    as Python ints, a Python float as float32, a NumPy float (or float array) as its own dtype."""
    if isinstance(leaf, np.ndarray | np.generic):
        kind = {"u": "i", "b": "B"}.get(leaf.dtype.kind, leaf.dtype.kind)  # B: a NumPy bool
        return kind, (leaf.dtype if kind == "f" else None)
    if isinstance(leaf, builtins.bool):
        return "b", None
    if isinstance(leaf, int):
        return "i", None
    if isinstance(leaf, float):
        return "f", np.dtype(np.float32)
    if isinstance(leaf, complex):
        return "c", None
    return None, None


def sequence_kind(value, explicit=False):
    """The kind ("b", "i", "f", "c") TF infers for a nested sequence of numbers, in order. Each
    leaf must fit the kind so far: bools fit only bools, a Python bool fits any number, ints
    turn an int sequence into floats, anything but a complex is mixed with a later complex. The
    first float leaf fixes the float dtype; an integer beyond int64 counts only before any float.
    ``explicit``: for a requested dtype, where bools count as integers and ranges are the
    dtype's business."""
    kind, float_dtype = None, None
    for leaf in _leaves(value):
        k, dt = _leaf_kind(leaf)
        if k is None:  # tensors, strings, None…: NumPy's own conversion decides
            return None, None
        if explicit and k in "bB":
            k = "i"
        if kind is None:
            kind = "b" if k == "B" else k
        elif k != kind and not (kind == "b" and k == "B"):
            if kind == "b" or k == "B" or k == "c":
                raise ValueError(_MIXED)
            if kind == "i" and k == "f":
                kind = "f"
        if k == "f" and float_dtype is None:
            float_dtype = dt
        if kind == "i" and k == "i" and not explicit and not _fits_int64(leaf):
            raise ValueError(_OUT_OF_INT_RANGE)
    return kind, float_dtype


def _fits_int64(leaf):
    if isinstance(leaf, np.ndarray):
        return leaf.dtype != np.uint64 or not leaf.size or leaf.max() <= _INT64_MAX
    return _INT64_MIN <= int(leaf) <= _INT64_MAX


def _numbers_array(value, kind, float_dtype):
    """A nested sequence of numbers as TF's default dtype for ``kind``."""
    if kind == "b":
        return np.array(value, np.bool_)
    if kind == "i":
        arr = np.array(value, np.int64)
        if arr.size and (arr.min() < _INT32_MIN or arr.max() > _INT32_MAX):
            return arr
        return arr.astype(np.int32)
    if kind == "c":
        return np.array(value, np.complex128)
    arr = as_float64(value)
    finite = arr[np.isfinite(arr)]
    if finite.size and np.abs(finite).max() > np.finfo(float_dtype).max:
        raise _OUT_OF_DOUBLE_RANGE
    return arr.astype(float_dtype)


def as_float64(value):
    try:
        return np.array(value, np.float64)
    except OverflowError:  # a Python int beyond the doubles
        raise ValueError(_OUT_OF_INT_RANGE) from None


def _has_non_text_leaf(value):
    if isinstance(value, list | tuple):
        return any(_has_non_text_leaf(v) for v in value)
    return not isinstance(value, str | bytes | np.str_ | np.bytes_)


def _nested_to_array(value):
    if value is None:
        raise ValueError("Attempt to convert a value (None) with an unsupported type "
                         "(<class 'NoneType'>) to a Tensor.")
    try:
        arr = np.array(value)
    except ValueError:
        raise ValueError("Can't convert non-rectangular Python sequence to Tensor.") from None
    if arr.dtype == object:
        if _is_ragged(value):
            raise ValueError("Can't convert non-rectangular Python sequence to Tensor.")
        try:  # nested lists of tensors or NumPy scalars
            if isinstance(value, list | tuple):
                arr = np.array([np.asarray(v) for v in value])
        except ValueError:
            raise ValueError("Can't convert non-rectangular Python sequence to Tensor.") from None
    if arr.size == 0 and arr.dtype == np.float64:
        return arr.astype(np.float32)
    return arr


def _is_ragged(value):
    if not isinstance(value, list | tuple):
        return False
    lens = {len(v) if isinstance(v, list | tuple) or isinstance(v, np.ndarray) and v.ndim else -1
            for v in value}
    return len(lens) > 1 or any(_is_ragged(v) for v in value)


def _to_bytes_array(value, from_numpy=False):
    arr = np.array(value, dtype=object)
    flat = arr.reshape(-1)
    for i, v in enumerate(flat):
        if isinstance(v, str):
            flat[i] = v.encode("utf-8")
        elif isinstance(v, np.bytes_ | np.str_):
            flat[i] = bytes(v) if isinstance(v, np.bytes_) else str(v).encode("utf-8")
        elif not isinstance(v, bytes):  # None, object(), …: nothing TF can convert
            v = v[()] if isinstance(v, np.ndarray) and v.ndim == 0 else v
            if from_numpy:
                raise ValueError("Failed to convert a NumPy array to a Tensor (Unsupported "
                                 f"object type {type(v).__name__}).")
            if hasattr(type(v), "_conversion_error"):  # a RaggedTensor: TF's own text
                raise ValueError(type(v)._conversion_error)
            raise ValueError(f"Attempt to convert a value ({v!r}) with an unsupported type "
                             f"({type(v)!r}) to a Tensor.")
    return arr
