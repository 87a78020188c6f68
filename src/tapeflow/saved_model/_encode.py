"""Values of a traced graph (op attributes, Python arguments, output structures) as JSON, arrays
beside them in an npz archive. Only data: a value of any other type cannot be saved."""

import numpy as np

from ..framework import dtypes
from ..framework.tensor_spec import TensorSpec


class Arrays:
    """The npz side: arrays stored under generated keys. A tf.string array (bytes objects) is
    stored as its lengths (in its shape) and its bytes joined (``<key>_bytes``), so no pickle
    and no NumPy fixed-width strings, which drop trailing NUL bytes."""

    def __init__(self, data=None):
        self.data = {} if data is None else data

    def put(self, array):
        array = np.asarray(array)
        key = f"a{len(self.data)}"
        if array.dtype == object:
            items = [bytes(b) for b in array.reshape(-1)]
            self.data[key + "_s"] = np.array([len(b) for b in items],
                                             np.int64).reshape(array.shape)
            self.data[key + "_s_bytes"] = np.frombuffer(b"".join(items), np.uint8)
            return key + "_s"
        self.data[key] = array
        return key

    def get(self, key):
        array = self.data[key]
        if key.endswith("_s"):
            joined = self.data[key + "_bytes"].tobytes()
            ends = np.cumsum(array.reshape(-1))
            out = np.empty(array.size, object)
            for i, (start, end) in enumerate(zip(ends - array.reshape(-1), ends)):
                out[i] = joined[start:end]
            return out.reshape(array.shape)
        return array


class CannotSave(ValueError):
    pass


def unregistered_primitives():
    """Primitives that are module-level singletons without a registry entry (their TF names are
    not unique in the registry or not in it): found by name when loaded."""
    from ..graph import tensor_array as ta
    return {p.name: p for p in (ta._NEW, ta._FROM, ta._UNSTACK, ta._SET, ta._GET, ta._STACK,
                                ta._SIZE)}


def encode(value, arrays, leaf=None):
    """JSON for ``value``; ``leaf(x)`` may claim a value first (returning its JSON or None)."""
    if leaf is not None:
        claimed = leaf(value)
        if claimed is not None:
            return claimed
    if value is None or isinstance(value, bool | int | float | str) and not isinstance(
            value, np.generic):
        return value
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return {"tuple": [encode(v, arrays, leaf) for v in value]}
    if isinstance(value, list):
        return {"list": [encode(v, arrays, leaf) for v in value]}
    if isinstance(value, dict):
        if not all(isinstance(k, str | int) for k in value):
            raise CannotSave(f"a dict with keys {list(value)}")
        return {"dict": [[k, encode(v, arrays, leaf)] for k, v in value.items()]}
    if isinstance(value, slice):
        return {"slice": [encode(v, arrays, leaf) for v in (value.start, value.stop, value.step)]}
    if value is Ellipsis:
        return {"ellipsis": 1}
    if isinstance(value, dtypes.DType):
        return {"tf_dtype": value.name}
    if isinstance(value, np.dtype):
        return {"np_dtype": value.str if value.kind != "O" else "object"}
    if isinstance(value, type) and issubclass(value, np.generic):
        return {"np_type": np.dtype(value).str}
    if isinstance(value, np.ndarray | np.generic | complex | bytes):
        return {"array": arrays.put(value), "kind": type(value).__name__}
    if isinstance(value, TensorSpec):
        return {"spec": [_dims(value.shape), value.dtype.name, value.name]}
    raise CannotSave(f"a value of type {type(value).__name__}: {value!r}")


def decode(obj, arrays, leaf=None):
    if isinstance(obj, list):
        raise ValueError("malformed tapeflow SavedModel value")
    if not isinstance(obj, dict):
        return obj
    if leaf is not None:
        claimed = leaf(obj)
        if claimed is not None:
            return claimed
    (tag, payload), *_ = obj.items()
    if tag == "tuple":
        return tuple(decode(v, arrays, leaf) for v in payload)
    if tag == "list":
        return [decode(v, arrays, leaf) for v in payload]
    if tag == "dict":
        return {k: decode(v, arrays, leaf) for k, v in payload}
    if tag == "slice":
        return slice(*(decode(v, arrays, leaf) for v in payload))
    if tag == "ellipsis":
        return Ellipsis
    if tag == "tf_dtype":
        return dtypes.as_dtype(payload)
    if tag == "np_dtype":
        return np.dtype(object if payload == "object" else payload)
    if tag == "np_type":
        return np.dtype(payload).type
    if tag == "array":
        value = arrays.get(payload)
        kind = obj["kind"]
        if kind == "ndarray":
            return value
        if kind in ("complex", "bytes"):
            return {"complex": complex, "bytes": bytes}[kind](value[()])
        return value[()]
    if tag == "spec":
        dims, dtype, name = payload
        return TensorSpec(dims, dtypes.as_dtype(dtype), name)
    raise ValueError(f"malformed tapeflow SavedModel value: {obj!r}")


def _dims(shape):
    return None if shape.rank is None else list(shape.as_list())
