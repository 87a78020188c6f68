"""TF's "all" and "safe" dtype conversion modes (``experimental_enable_numpy_behavior(
dtype_conversion_mode=...)``): weak tensors and promotion by a lattice of dtypes.

A value whose dtype nobody chose (a Python number or list, or a tensor made from one without a
``dtype``) is *weak*: it defers to the other operand's dtype. Two operands promote to their least
upper bound in the lattice below, where ``i*``, ``f*`` and ``c*`` stand for weak integers, floats
and complex numbers. A weak result is a ``WeakTensor`` (an EagerTensor printed with
``weak=True``). "safe" refuses promotions that may lose precision or widen past both operands.
Everything here is installed only while such a mode is on: the default paths stay as they are.
"""

import functools

import numpy as np

import tapeflow as tf
from tapeflow.framework.tensor import EagerTensor, Tensor, _new
from tapeflow.framework.variable import ResourceVariable

from ._dtypes import CONFIG

_EDGES = {"b": ["i*"], "i*": ["u8", "i8"], "u8": ["u16", "i16"], "u16": ["u32", "i32"],
          "u32": ["u64", "i64"], "u64": ["f*"], "i8": ["i16"], "i16": ["i32"], "i32": ["i64"],
          "i64": ["f*"], "f*": ["bf16", "f16", "c*"], "bf16": ["f32"], "f16": ["f32"],
          "f32": ["f64", "c64"], "f64": ["c128"], "c*": ["c64"], "c64": ["c128"], "c128": []}
_NODE = {"bool": "b", "uint8": "u8", "uint16": "u16", "uint32": "u32", "uint64": "u64",
         "int8": "i8", "int16": "i16", "int32": "i32", "int64": "i64", "bfloat16": "bf16",
         "float16": "f16", "float32": "f32", "float64": "f64", "complex64": "c64",
         "complex128": "c128"}
_DTYPE = {node: name for name, node in _NODE.items()}
_WEAK_KIND = {"i": "i*", "u": "i*", "f": "f*", "V": "f*", "c": "c*"}
# significand bits of a float (a complex's parts): the widest integer it holds exactly
_MANTISSA = {"bfloat16": 8, "float16": 11, "float32": 24, "float64": 53, "complex64": 24,
             "complex128": 53}


@functools.cache
def _above(node):
    out = {node}
    for child in _EDGES[node]:
        out |= _above(child)
    return frozenset(out)


@functools.cache
def _join(a, b):
    common = _above(a) & _above(b)
    return next(n for n in common if _above(n) == common)


class WeakTensor(EagerTensor):
    """An eager tensor of a dtype nobody chose (TF's ``EagerWeakTensor``)."""

    __slots__ = ()

    def __repr__(self):
        return super().__repr__()[:-1] + ", weak=True>"

    def __str__(self):
        return super().__str__()[:-1] + ", weak=True)"

    def __neg__(self):
        return weak(super().__neg__())

    def __abs__(self):
        return weak(super().__abs__())

    def __invert__(self):
        return weak(super().__invert__())


def weak(t):
    """``t``'s value as a WeakTensor (the same tape identity: gradients still reach it)."""
    if not isinstance(t, EagerTensor) or isinstance(t, WeakTensor):
        return t
    w = _new(WeakTensor)
    w._value = t._value
    w._id = t._id
    return w


def _python_leaves(value):
    """Whether ``value`` is Python numbers only (a number, or nested lists/tuples of them)."""
    if isinstance(value, list | tuple):
        return bool(value) and all(_python_leaves(v) for v in value)
    return type(value) in (int, float, complex)


def _operand(x):
    """``(dtype name, weak)`` of a binary op's operand, or None for what has no dtype here."""
    if isinstance(x, WeakTensor):
        return x.dtype.name, True
    dtype = getattr(x, "dtype", None)  # a tensor, Variable or NumPy value: strong
    if dtype is not None:
        name = getattr(dtype, "name", None)
        return (name, False) if name in _NODE else None
    if type(x) is bool:
        return "bool", False
    if type(x) is int:
        if not -2**31 <= x < 2**31:
            raise OverflowError(f"Python int {x} too large to convert to np.int32")
        return "int32", True
    if _python_leaves(x):
        return tf.constant(x).dtype.name, True
    return None


def _result(a, b):
    """The promoted ``(dtype name, weak)`` of two operands' ``(dtype name, weak)``."""
    nodes = [_WEAK_KIND[np.dtype(tf.as_dtype(d).as_numpy_dtype).kind] if w else _NODE[d]
             for d, w in (a, b)]
    node = _join(*nodes)
    if node == "i*":
        return ("int64" if ("int64", True) in (a, b) else "int32"), True
    if node == "f*":  # 64 bits next to a strong integer or a weak double
        strong_int = any(not w and tf.as_dtype(d).is_integer for d, w in (a, b))
        return ("float64" if strong_int or ("float64", True) in (a, b) else "float32"), True
    if node == "c*":
        return "complex128", True
    return _DTYPE[node], False


def _safe(a, b, out):
    """Whether "safe" mode allows promoting ``a`` and ``b`` to ``out`` (names and weakness)."""
    result = tf.as_dtype(out[0])
    width = {d: tf.as_dtype(d).size for d in (a[0], b[0], out[0])}
    if out[0] != "bool" and width[out[0]] > max(width[a[0]], width[b[0]]):
        return False  # wider than both operands
    for (d, w), (_, other_weak) in ((a, b), (b, a)):
        dtype = tf.as_dtype(d)
        if not w and dtype.is_integer and out[0] in _MANTISSA:
            if _MANTISSA[out[0]] < dtype.size * 8 - (not dtype.is_unsigned):
                return False  # an integer the float cannot hold exactly
        if not w and dtype.is_floating and other_weak and result.is_complex and \
                dtype.size < 8:
            return False  # a weak complex number turns a narrow float complex
    return True


def result_type(x, y):
    """The dtype and weakness of ``x (op) y`` in the current mode, or None when one side is not
    a number this promotion knows (the op then decides)."""
    a, b = _operand(x), _operand(y)
    if a is None or b is None:
        return None
    out = _result(a, b)
    if CONFIG["mode"] == "safe" and not _safe(a, b, out):
        raise TypeError(
            f"In promotion mode PromoMode.SAFE, implicit dtype promotion between "
            f"({tf.as_dtype(a[0])}, weak={a[1]}) and ({tf.as_dtype(b[0])}, weak={b[1]}) is "
            "disallowed. You need to explicitly specify the dtype in your op, or relax your dtype "
            "promotion rules (such as from SAFE mode to ALL mode).")
    return out


def _as(x, dtype):
    """An operand as a (strong) tensor of ``dtype``: cast when a tensor of another one."""
    if isinstance(x, Tensor | ResourceVariable):
        return x if x.dtype == dtype else tf.cast(x, dtype)
    if isinstance(x, np.ndarray | np.generic):
        return tf.constant(np.asarray(x).astype(dtype.as_numpy_dtype))
    return tf.constant(x, dtype)


def binary(fn):
    """``fn(x, y, ...)`` with its operands promoted first; weak when the promotion is."""
    def op(x, y, *args, **kwargs):
        if CONFIG["mode"] not in ("all", "safe"):
            return fn(x, y, *args, **kwargs)
        found = result_type(x, y)
        if found is None:
            return fn(x, y, *args, **kwargs)
        dtype = tf.as_dtype(found[0])
        out = fn(_as(x, dtype), _as(y, dtype), *args, **kwargs)
        return weak(out) if found[1] and out.dtype != tf.bool else out
    op.__name__ = getattr(fn, "__name__", "op")
    op.__wrapped__ = fn
    return op


def unary(fn):
    """``fn(x, ...)``, whose result is weak when ``x`` is (a Python value is: it is converted
    as one first, so ``tnp.array(1.0)`` is a 32-bit float)."""
    def op(x, *args, **kwargs):
        if CONFIG["mode"] not in ("all", "safe"):
            return fn(x, *args, **kwargs)
        if _python_leaves(x):
            x = weak(tf.constant(x))
        out = fn(x, *args, **kwargs)
        return weak(out) if isinstance(x, WeakTensor) and out.dtype != tf.bool else out
    op.__name__ = getattr(fn, "__name__", "op")
    op.__wrapped__ = fn
    return op


def constant(fn):
    """``tf.constant``: weak without a dtype for Python values; a tensor of another dtype than
    the one asked for is converted (TF refuses that outside these modes)."""
    def op(value, dtype=None, shape=None, name=None):
        if CONFIG["mode"] not in ("all", "safe"):
            return fn(value, dtype, shape, name)
        if dtype is not None and isinstance(value, Tensor | ResourceVariable) and \
                value.dtype != tf.as_dtype(dtype):
            value = tf.cast(value, dtype)
        if dtype is None and type(value) is int:
            _operand(value)  # TF's OverflowError beyond int32
        out = fn(value, dtype, shape, name)
        return weak(out) if dtype is None and _python_leaves(value) else out
    op.__name__ = "constant"
    op.__wrapped__ = fn
    return op


def assign(fn, method):
    """A Variable's ``assign``/``assign_add``/``assign_sub``: the value converted to the
    Variable's dtype when the promotion of the two gives that dtype, else TF's TypeError."""
    def op(self, value, *args, **kwargs):
        if CONFIG["mode"] in ("all", "safe"):
            found = result_type(_Strong(self.dtype), value)
            if found is not None:
                if tf.as_dtype(found[0]) != self.dtype:
                    shown = _shown(value)
                    raise TypeError(
                        f"Variable dtype is immutable. Calling {method} of Variable (with dtype "
                        f"{self.dtype}) on {shown} requires converting {shown} to "
                        f"{self.dtype}. This is disabled in the current promotion semantics. "
                        f"Please convert {shown} manually before calling {method}.")
                value = _as(value, self.dtype)
        return fn(self, value, *args, **kwargs)
    op.__name__ = method
    op.__wrapped__ = fn
    return op


class _Strong:
    """A stand-in operand of a given (strong) dtype."""

    def __init__(self, dtype):
        self.dtype = dtype


def _shown(value):
    kind = _operand(value)
    if kind is not None and kind[1]:
        return f"{value} weakly typed"
    return f"{value!r}"


# The APIs whose results are weak when their inputs are (TF's list), by their public names.
BINARY = ["math.add", "math.subtract", "math.multiply", "math.divide", "math.divide_no_nan",
          "math.multiply_no_nan", "math.floordiv", "math.floormod", "math.pow", "realdiv",
          "truncatediv", "truncatemod", "linalg.matmul"]
UNARY = [
    "bitwise.invert", "clip_by_value", "debugging.check_numerics", "expand_dims", "identity",
    "image.adjust_brightness", "image.adjust_gamma", "linalg.diag", "linalg.diag_part",
    "linalg.matrix_transpose", "linalg.tensor_diag_part", "linalg.trace", "math.abs",
    "math.acos", "math.acosh", "math.angle", "math.asin", "math.asinh", "math.atan",
    "math.atanh", "math.ceil", "math.conj", "math.cos", "math.cosh", "math.digamma", "math.erf",
    "math.erfc", "math.erfcinv", "math.erfinv", "math.exp", "math.expm1", "math.floor",
    "math.imag", "math.lgamma", "math.log1p", "math.log_sigmoid", "math.log", "math.ndtri",
    "math.negative", "math.real", "math.reciprocal_no_nan", "math.reciprocal",
    "math.reduce_euclidean_norm", "math.reduce_logsumexp", "math.reduce_max", "math.reduce_mean",
    "math.reduce_min", "math.reduce_prod", "math.reduce_std", "math.reduce_sum",
    "math.reduce_variance", "math.rint", "math.round", "math.rsqrt", "math.sigmoid", "math.sign",
    "math.sin", "math.sinh", "math.softplus", "math.sqrt", "math.square", "math.tan",
    "math.tanh", "nn.depth_to_space", "nn.elu", "nn.gelu", "nn.leaky_relu", "nn.log_softmax",
    "nn.relu6", "nn.relu", "nn.selu", "nn.softsign", "nn.space_to_depth", "nn.swish",
    "ones_like", "reshape", "squeeze", "stop_gradient", "transpose", "zeros_like"]
UNARY_TNP = [
    "abs", "absolute", "amax", "amin", "angle", "arange", "arccos", "arccosh", "arcsin",
    "arcsinh", "arctan", "arctanh", "around", "array", "asanyarray", "asarray",
    "ascontiguousarray", "average", "bitwise_not", "cbrt", "ceil", "conj", "conjugate", "copy",
    "cos", "cosh", "cumprod", "cumsum", "deg2rad", "diag", "diagflat", "diagonal", "diff",
    "empty_like", "exp2", "exp", "expand_dims", "expm1", "fabs", "fix", "flatten", "flip",
    "fliplr", "flipud", "floor", "full_like", "imag", "log10", "log1p", "log2", "log", "max",
    "mean", "min", "moveaxis", "nanmean", "negative", "ones_like", "positive", "prod",
    "rad2deg", "ravel", "real", "reciprocal", "repeat", "reshape", "rot90", "round", "signbit",
    "sin", "sinc", "sinh", "sort", "sqrt", "square", "squeeze", "std", "sum", "swapaxes", "tan",
    "tanh", "trace", "transpose", "triu", "vander", "var", "zeros_like"]
_NAMESPACES = ["", "math", "linalg", "nn", "bitwise", "image", "debugging", "experimental.numpy"]
_PATCHED = []  # (module, attribute, original)


def _resolve(dotted):
    obj = tf
    for part in dotted.split(".") if dotted else ():
        obj = getattr(obj, part, None)
    return obj


def install():
    """Wrap the APIs above (every public name that refers to one) and tf.constant."""
    if _PATCHED:
        return
    tnp = _resolve("experimental.numpy")
    wrappers = {}
    for names, module, wrap in ((BINARY, tf, binary), (UNARY, tf, unary),
                                (UNARY_TNP, tnp, unary)):
        for name in names:
            fn = _resolve(name) if module is tf else getattr(module, name, None)
            if callable(fn) and fn not in wrappers:
                wrappers[fn] = wrap(fn)
    wrappers[tf.constant] = constant(tf.constant)
    for space in _NAMESPACES:
        module = _resolve(space)
        for attr, value in list(vars(module).items()):
            try:
                wrapper = wrappers.get(value)
            except TypeError:  # an unhashable attribute
                continue
            if wrapper is not None:
                _PATCHED.append((module, attr, value))
                setattr(module, attr, wrapper)
    for method in ("assign", "assign_add", "assign_sub"):
        original = ResourceVariable.__dict__[method]
        _PATCHED.append((ResourceVariable, method, original))
        setattr(ResourceVariable, method, assign(original, method))


def uninstall():
    while _PATCHED:
        module, attr, original = _PATCHED.pop()
        setattr(module, attr, original)
