"""``tf.io``'s byte ops: ``decode_raw``, base64, whole files, ``matching_files`` and
``serialize_tensor``/``parse_tensor`` (TensorProto bytes, as TF writes them)."""

import base64
import binascii
import glob
import os

import numpy as np

from ..framework import dtypes, errors
from ..framework.tensor import Tensor, convert_to_tensor, wrap
from ._common import kernel_error, os_error_class, path, protos, run, strings

_RAW_TYPES = ("float16", "float32", "float64", "int32", "uint16", "uint8", "int16", "int8",
              "int64", "complex64", "complex128", "bool", "bfloat16")


def decode_raw(input_bytes, out_type, little_endian=True, fixed_length=None, name=None):
    """``tf.io.decode_raw``: each string's bytes as a vector of ``out_type``."""
    out_type = dtypes.as_dtype(out_type)
    if out_type.name not in _RAW_TYPES:
        raise TypeError(f"Value for attr 'out_type' of {out_type.name} is not in the list of "
                        f"allowed values")
    np_type = np.dtype(out_type.as_numpy_dtype).newbyteorder("<" if little_endian else ">")
    size = np_type.itemsize
    # TF's message ends in " name: " when the input was already a tensor
    name = "" if isinstance(input_bytes, Tensor) else None

    def kernel(x):
        values = strings(x)
        flat = values.reshape(-1).tolist()
        if fixed_length is not None:
            n = int(fixed_length)
            if n % size:
                raise kernel_error("DecodeRaw", f"fixed_length ({n}) must be a multiple of the "
                                   f"size of out_type ({size})", name=name)
            flat = [v[:n].ljust(n, b"\0") for v in flat]
        else:
            for i, v in enumerate(flat[1:], 1):
                if len(v) != len(flat[0]):
                    raise kernel_error("DecodeRaw", "DecodeRaw requires input strings to all be "
                                       f"the same size, but element {i} has size {len(flat[0])}"
                                       f" != {len(v)}", name=name)
        width = len(flat[0]) if flat else 0
        if width % size:
            raise kernel_error("DecodeRaw", f"Input to DecodeRaw has length {width} that is not "
                               f"a multiple of {size}, the size of {out_type._op_name}",
                               name=name)
        out = np.frombuffer(b"".join(flat), np_type).astype(out_type.as_numpy_dtype)
        return out.reshape(values.shape + (width // size,))
    return run(kernel, [convert_to_tensor(input_bytes, dtypes.string)], out_type)


def encode_base64(input, pad=False, name=None):  # noqa: A002 - TF's argument name
    """``tf.io.encode_base64``: web-safe base64 (``-`` and ``_``), ``=`` padding if ``pad``."""
    def kernel(x):
        out = np.empty(x.shape, object)
        out.reshape(-1)[:] = [base64.urlsafe_b64encode(v) if pad else
                              base64.urlsafe_b64encode(v).rstrip(b"=")
                              for v in strings(x).reshape(-1)]
        return out
    return run(kernel, [convert_to_tensor(input, dtypes.string)], dtypes.string)


def _b64decode(v):
    v = v.rstrip(b"=")
    if len(v) % 4 == 1:
        raise kernel_error("DecodeBase64", "Base64 string length cannot be 1 modulo 4.")
    try:
        return base64.b64decode(v + b"=" * (-len(v) % 4), altchars=b"-_", validate=True)
    except binascii.Error:
        raise kernel_error("DecodeBase64", "Invalid character found in base64.") from None


def decode_base64(input, name=None):  # noqa: A002
    """``tf.io.decode_base64``: the inverse of ``encode_base64`` (padding optional)."""
    def kernel(x):
        out = np.empty(x.shape, object)
        out.reshape(-1)[:] = [_b64decode(v) for v in strings(x).reshape(-1)]
        return out
    return run(kernel, [convert_to_tensor(input, dtypes.string)], dtypes.string)


def read_file(filename, name=None):
    """``tf.io.read_file``: a file's whole contents, a scalar string."""
    def kernel(f):
        p = path(f)
        try:
            with open(p, "rb") as fh:
                return np.array(fh.read(), object)
        except OSError as e:
            raise kernel_error("ReadFile", f"{p}; {e.strerror}", cls=os_error_class(e)) from None
    return run(kernel, [convert_to_tensor(filename, dtypes.string)], dtypes.string)


def write_file(filename, contents, name=None):
    """``tf.io.write_file``: write ``contents`` (a scalar string), creating missing folders."""
    def kernel(f, c):
        p, data = path(f), strings(c)
        if data.ndim:
            raise ValueError(f"Shape must be rank 0 but is rank {data.ndim}")
        folder = os.path.dirname(p)
        if folder:
            os.makedirs(folder, exist_ok=True)
        with open(p, "wb") as fh:
            fh.write(data.item())
        return np.array(True)
    run(kernel, [convert_to_tensor(filename, dtypes.string),
                 convert_to_tensor(contents, dtypes.string)], dtypes.bool, stateful=True)


def matching_files(pattern, name=None):
    """``tf.io.matching_files``: the sorted file names matching each glob pattern."""
    def kernel(p):
        found = [f for one in strings(p).reshape(-1) for f in sorted(glob.glob(os.fsdecode(one)))]
        out = np.empty(len(found), object)
        out[:] = [os.fsencode(f) for f in found]
        return out
    return run(kernel, [convert_to_tensor(pattern, dtypes.string)], dtypes.string)


# --- TensorProto ---------------------------------------------------------------------------------

_ENUM_DTYPE = {v: k for k, v in dtypes.DATATYPE_ENUM.items()}
_VAL_FIELDS = {"float32": "float_val", "float64": "double_val", "int32": "int_val",
               "uint8": "int_val", "int16": "int_val", "int8": "int_val", "uint16": "int_val",
               "int64": "int64_val", "bool": "bool_val", "complex64": "scomplex_val",
               "complex128": "dcomplex_val", "float16": "half_val", "bfloat16": "half_val",
               "uint32": "uint32_val", "uint64": "uint64_val", "string": "string_val"}


def tensor_to_proto(value):
    """A NumPy array (object arrays hold strings) as a TensorProto, laid out as TF's
    ``Tensor::AsProtoTensorContent``: numbers in ``tensor_content``, strings in ``string_val``."""
    dtype = dtypes.from_numpy(value.dtype)
    proto = protos().TensorProto(dtype=dtype.as_datatype_enum)
    proto.tensor_shape.SetInParent()
    for d in value.shape:
        proto.tensor_shape.dim.add(size=d)
    if dtype is dtypes.string:
        proto.string_val.extend(v.encode() if isinstance(v, str) else bytes(v)
                                for v in value.reshape(-1))
    elif value.size:
        proto.tensor_content = np.ascontiguousarray(value).astype(
            value.dtype.newbyteorder("<")).tobytes()
    return proto


def proto_to_array(proto):
    """The NumPy value of a TensorProto, from ``tensor_content`` or the typed ``*_val`` field
    (its last value repeated to fill the shape, as TF does)."""
    name = _ENUM_DTYPE.get(proto.dtype)
    if name is None:
        raise ValueError(f"unsupported dtype enum {proto.dtype}")
    dtype = dtypes.as_dtype(name)
    shape = tuple(d.size for d in proto.tensor_shape.dim)
    count = int(np.prod(shape, dtype=np.int64))
    if dtype is dtypes.string:
        vals = list(proto.string_val)
        out = np.empty(count, object)
        out[:] = (vals + vals[-1:] * (count - len(vals)))[:count] if vals else [b""] * count
        return out.reshape(shape)
    np_type = np.dtype(dtype.as_numpy_dtype)
    if proto.tensor_content:
        return np.frombuffer(proto.tensor_content, np_type.newbyteorder("<")).astype(
            np_type).reshape(shape)
    vals = list(getattr(proto, _VAL_FIELDS[name]))
    if name in ("float16", "bfloat16"):
        arr = np.array(vals, np.uint16).view(np_type)
    elif dtype.is_complex:
        arr = np.array(vals, np_type.type(0).real.dtype).view(np_type)
    else:
        arr = np.array(vals, np_type)
    if arr.size < count:
        arr = np.concatenate([arr, np.full(count - arr.size, arr[-1] if arr.size else 0,
                                           np_type)])
    return arr[:count].reshape(shape)


def serialize_tensor(tensor, name=None):
    """``tf.io.serialize_tensor``: the tensor as TensorProto bytes (a scalar string)."""
    def kernel(x):
        return np.array(tensor_to_proto(x).SerializeToString(), object)
    return run(kernel, [convert_to_tensor(tensor)], dtypes.string)


def parse_tensor(serialized, out_type, name=None):
    """``tf.io.parse_tensor``: the tensor in TensorProto bytes; its dtype must be ``out_type``."""
    out_type = dtypes.as_dtype(out_type)

    def kernel(x):
        data = strings(x)
        if data.ndim:
            raise ValueError(f"Shape must be rank 0 but is rank {data.ndim}")
        proto = protos().TensorProto()
        try:
            proto.ParseFromString(data.item())
            value = proto_to_array(proto)
        except Exception:
            raise kernel_error("ParseTensor", "Could not parse `serialized` as TensorProto, "
                               f"base64: {base64.b64encode(data.item()).decode()}") from None
        found = dtypes.from_numpy(value.dtype)
        if found is not out_type:
            raise kernel_error("ParseTensor", f"Type mismatch between parsed tensor "
                               f"({found._op_name}) and dtype ({out_type._op_name})", name="")
        return value
    return run(kernel, [convert_to_tensor(serialized, dtypes.string)], out_type)


# --- compressed strings, JSON Examples, serialized SparseTensors ----------------------------------

def _inflate(data, kind):
    import gzip
    import zlib
    try:
        if kind == "GZIP":
            return gzip.decompress(data)
        return zlib.decompress(data) if kind == "ZLIB" else data
    except (zlib.error, OSError, EOFError) as e:
        code = str(e).split(" while")[0].replace("Error ", "") if "Error" in str(e) else "-3"
        reason = str(e).split(": ", 1)[-1]
        raise kernel_error("DecodeCompressed", f"inflate() failed with error {code}: {reason}",
                           cls=errors.DataLossError) from None


def decode_compressed(bytes, compression_type="", name=None):  # noqa: A002 - TF's name
    """``tf.io.decode_compressed``: each string inflated ("ZLIB", "GZIP" or "" for as is)."""
    kind = compression_type.upper() if compression_type else ""

    def kernel(x):
        x = strings(x)
        out = np.empty(x.shape, object)
        out.reshape(-1)[:] = [_inflate(v, kind) for v in x.reshape(-1)]
        return out
    return run(kernel, [convert_to_tensor(bytes, dtypes.string)], dtypes.string)


def decode_json_example(json_examples, name=None):
    """``tf.io.decode_json_example``: Examples in protobuf's JSON form, as binary Examples."""
    def kernel(x):
        from google.protobuf import json_format
        x = strings(x)
        out = np.empty(x.shape, object)
        items = []
        for v in x.reshape(-1):
            try:
                items.append(json_format.Parse(v.decode(), protos().Example())
                             .SerializeToString())
            except json_format.ParseError as e:
                raise kernel_error("DecodeJSONExample",
                                   f"Error while parsing JSON: {e}") from None
        out.reshape(-1)[:] = items
        return out
    return run(kernel, [convert_to_tensor(json_examples, dtypes.string)], dtypes.string)


def _serialized(*arrays):
    out = np.empty(len(arrays), object)
    out[:] = [tensor_to_proto(np.asarray(a)).SerializeToString() for a in arrays]
    return out


def serialize_sparse(sp_input, out_type=dtypes.string, name=None):
    """``tf.io.serialize_sparse``: [indices, values, dense_shape] as TensorProto bytes."""
    return wrap(_serialized(sp_input.indices._value, sp_input.values._value,
                            sp_input.dense_shape._value))


def serialize_many_sparse(sp_input, out_type=dtypes.string, name=None):
    """``tf.io.serialize_many_sparse``: one serialize_sparse row per entry of the first
    dimension, each without that dimension."""
    idx, vals = sp_input.indices._value, sp_input.values._value
    shape = sp_input.dense_shape._value
    rows = [_serialized(idx[idx[:, 0] == i][:, 1:], vals[idx[:, 0] == i], shape[1:])
            for i in range(int(shape[0]))]
    return wrap(np.array(rows, object).reshape(-1, 3))


def deserialize_many_sparse(serialized_sparse, dtype, rank=None, name=None):
    """``tf.io.deserialize_many_sparse``: the inverse of ``serialize_many_sparse``."""
    from ..ops.composite_ops import SparseTensor
    rows = strings(serialized_sparse)
    parts = [[proto_to_array(protos().TensorProto.FromString(v)) for v in row] for row in rows]
    indices = np.concatenate([np.column_stack([np.full(len(i), n, np.int64), i])
                              for n, (i, _, _) in enumerate(parts)]) if parts else \
        np.zeros((0, 1), np.int64)
    values = np.concatenate([v for _, v, _ in parts]).astype(dtypes.as_dtype(dtype)
                                                             .as_numpy_dtype)
    inner = np.max([s for _, _, s in parts], axis=0) if parts else np.zeros(0, np.int64)
    return SparseTensor(wrap(indices.astype(np.int64)), wrap(values),
                        wrap(np.concatenate([[len(parts)], inner]).astype(np.int64)))
