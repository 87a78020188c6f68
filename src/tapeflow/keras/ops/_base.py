"""What every ``keras.ops`` function needs: Keras 3's tensor conversion and dtype promotion.

Keras promotes dtypes on a lattice (as JAX does) instead of refusing mixed dtypes as TF does:
``int32 + float16 -> float16``, ``uint8 + int8 -> int16``, and Python numbers are "weak" (an
``int8`` tensor plus ``1`` stays ``int8``; a Python float meets integers as ``floatx``).
"""

import numpy as np

import tapeflow as tf

_FLOATX = ["float32"]
_EPSILON = [1e-7]

# each dtype's direct successors on Keras's promotion lattice; "i*"/"f*" are Python int/float
_UP = {
    "bool": ["i*"], "i*": ["uint8", "int8"], "uint8": ["uint16", "int16"],
    "uint16": ["uint32", "int32"], "uint32": ["uint64", "int64"], "uint64": ["f*"],
    "int8": ["int16"], "int16": ["int32"], "int32": ["int64"], "int64": ["f*"],
    "f*": ["float16", "bfloat16"], "float16": ["float32"], "bfloat16": ["float32"],
    "float32": ["float64"], "float64": ["c*"], "c*": ["complex64"],
    "complex64": ["complex128"], "complex128": [],
}


def _above(dtype):
    seen, todo = set(), [dtype]
    while todo:
        d = todo.pop()
        if d not in seen:
            seen.add(d)
            todo += _UP[d]
    return seen


_ABOVE = {d: _above(d) for d in _UP}


def dtype_name(x):
    """The Keras dtype name of a tensor, array, dtype or Python number (``int`` -> ``"i*"``)."""
    if isinstance(x, bool):
        return "bool"
    if isinstance(x, int) or x is int:
        return "i*"
    if isinstance(x, float) or x is float:
        return "f*"
    if isinstance(x, complex) or x is complex:
        return "c*"
    d = getattr(x, "dtype", x)
    if isinstance(d, str):
        return {"float": "float32", "int": "int32", "double": "float64"}.get(d, d)
    return d.name if hasattr(d, "name") and not isinstance(d, np.dtype) else np.dtype(d).name


def result_type(*dtypes):
    """Keras's promotion of several dtypes (names, dtypes, tensors or Python numbers)."""
    names = [dtype_name(d) for d in dtypes] or [_FLOATX[0]]
    common = set.intersection(*(_ABOVE[n] for n in names))
    best = next(d for d in common if common <= _ABOVE[d])
    return {"i*": "int32", "f*": _FLOATX[0], "c*": "complex64"}.get(best, best)


def tensor(x, dtype=None):
    """Keras's ``convert_to_tensor``: lists and scalars as TF converts them, then ``dtype``."""
    if isinstance(x, tf.Variable):  # read first (in a mixed layer's call: in float16), then cast
        x = x.value()
    if dtype is not None:
        dtype = dtype_name(dtype)
        if isinstance(x, tf.Tensor) and x.dtype.name != dtype:
            return tf.cast(x, dtype)
        return tf.convert_to_tensor(x, dtype=dtype) if not isinstance(x, tf.Tensor) else x
    if isinstance(x, tf.Tensor):
        return x
    if hasattr(x, "dtype") or not isinstance(x, (list, tuple)):
        return tf.convert_to_tensor(x)
    return tf.convert_to_tensor(np.asarray(x, dtype=result_type(*_leaves(x))))


def _leaves(x):
    if isinstance(x, (list, tuple)):
        return [leaf for item in x for leaf in _leaves(item)] or [float]
    return [x]


def promote(*xs):
    """The arguments as tensors of their common Keras dtype."""
    dtype = result_type(*(x if isinstance(x, (bool, int, float, complex)) else tensor(x)
                          for x in xs))
    return [tensor(x, dtype) for x in xs]


def floating(x):
    """``x`` as a tensor, integers and booleans cast to ``floatx`` (as Keras does for exp...)."""
    x = tensor(x)
    return x if x.dtype.is_floating or x.dtype.is_complex else tf.cast(x, _FLOATX[0])


def float_of(*xs):
    """The common dtype of ``xs`` and ``float`` (Keras's ``result_type(..., float)``)."""
    return result_type(*(tensor(x) if not isinstance(x, (int, float)) else x for x in xs), float)


def axis_list(axis):
    return None if axis is None else list(axis) if isinstance(axis, (list, tuple)) else axis


# ---- keras.ops on KerasTensors (the functional API) -----------------------------------------

_KERAS_TENSOR = []


def _keras_tensor_class():
    if not _KERAS_TENSOR:
        from ..models.functional import KerasTensor
        _KERAS_TENSOR.append(KerasTensor)
    return _KERAS_TENSOR[0]


def _symbolic_leaves(x, out, cls):
    if isinstance(x, cls):
        out.append(x)
    elif isinstance(x, (list, tuple)):
        for v in x:
            _symbolic_leaves(v, out, cls)
    elif isinstance(x, dict):
        for v in x.values():
            _symbolic_leaves(v, out, cls)
    return out


def symbolic(fn):
    """``fn`` that, given KerasTensors (``keras.Input`` and what layers make of it), records a
    ``Lambda`` layer calling it, so a functional model can use ``keras.ops`` as in Keras."""
    import functools

    @functools.wraps(fn)
    def op(*args, **kwargs):
        cls = _keras_tensor_class()
        leaves = _symbolic_leaves((args, kwargs), [], cls)
        if not leaves:
            return fn(*args, **kwargs)
        from ..models.functional import operation
        name = _OP_NAMES.get(fn.__name__, fn.__name__)
        module = "keras.src.ops." + fn.__module__.rsplit(".", 1)[-1].lstrip("_")
        return operation(name, fn, module)(*args, **kwargs)
    return op


# functions whose Keras operation has another name (``ops.abs`` records ``absolute``)
_OP_NAMES = {"abs": "absolute", "swish": "silu"}


# functions that describe a KerasTensor (or take Python callables) rather than compute on it
_STATIC = {"shape", "dtype", "ndim", "is_tensor", "convert_to_numpy", "custom_gradient",
           "vectorize"}


def make_symbolic(namespace):
    """Wrap every public function of a module's namespace with ``symbolic``."""
    for name, value in list(namespace.items()):
        if not name.startswith("_") and name not in _STATIC and callable(value) \
                and not isinstance(value, type) \
                and getattr(value, "__module__", "").startswith("tapeflow.keras.ops"):
            namespace[name] = symbolic(value)


def host(x):
    """``x``'s value for a computation done in NumPy (a fresh copy, as ``.numpy()``). Inside a
    tf.function a value known only when the graph runs is refused rather than baked in (the
    function then traces once per value of its small tensor arguments)."""
    from ...framework.tensor import EagerTensor
    if type(x) is EagerTensor:
        return x.numpy()
    v = np.asarray(x._trace_value())
    return v[()] if v.ndim == 0 else v.copy()
