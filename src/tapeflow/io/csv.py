"""``tf.io.decode_csv``: CSV records into one tensor per column, with TF's quoting rules and
error texts (shared by ``tf.data.experimental.CsvDataset``)."""

import re

import numpy as np

from ..framework import dtypes
from ..framework.tensor import convert_to_tensor
from ._common import kernel_error, run, strings

_TYPES = ("float32", "float64", "int32", "int64", "string")
_INT = re.compile(rb"\s*[+-]?\d+\s*")
_LIMITS = {"int32": (-2**31, 2**31 - 1), "int64": (-2**63, 2**63 - 1)}


def split_record(record, delim, use_quote, fail):
    """The fields of one CSV record (bytes); ``fail(text)`` makes the error to raise."""
    fields, i, n = [], 0, len(record)
    while True:
        if use_quote and i < n and record[i:i + 1] == b'"':
            field, i = bytearray(), i + 1
            while True:
                j = record.find(b'"', i)
                if j < 0:
                    raise fail("Quoted field has to end with quote followed by delim or end")
                field += record[i:j]
                if record[j + 1:j + 2] == b'"':  # "" is a literal quote
                    field += b'"'
                    i = j + 2
                    continue
                i = j + 1
                break
            if i < n and record[i:i + 1] != delim:
                raise fail("Quoted field has to end with quote followed by delim or end")
            fields.append(bytes(field))
        else:
            j = record.find(delim, i)
            j = n if j < 0 else j
            fields.append(record[i:j])
            i = j
        if i >= n:
            return fields
        i += 1
        if i == n:  # a trailing delimiter: one more, empty field
            fields.append(b"")
            return fields


def _convert(text, dtype, col, where, fail):
    name = dtype.name
    if name == "string":
        return text
    if name in _LIMITS:
        lo, hi = _LIMITS[name]
        if _INT.fullmatch(text) and lo <= int(text) <= hi:
            return int(text)
        raise fail(f"Field {col} in {where} is not a valid {name}: {text.decode()}")
    try:
        return float(text)
    except ValueError:
        raise fail(f"Field {col} in {where} is not a valid {dtype._op_name}: "
                   f"{text.decode()}") from None


def defaults_of(record_defaults, allow_dtypes=True):
    """Each column's (dtype, default value or None when the column is required); a DType
    (``CsvDataset`` only) makes a required column."""
    out = []
    for d in record_defaults:
        if isinstance(d, dtypes.DType) and allow_dtypes:
            dtype, value = d, None
        else:
            if isinstance(d, list | tuple) and len(d) == 1 and hasattr(d[0], "dtype"):
                d = d[0]  # [tensor]: the tensor's dtype
            t = convert_to_tensor(d)
            dtype, arr = t.dtype, np.asarray(t._value).reshape(-1)
            value = arr[0] if arr.size else None
        if dtype.name not in _TYPES:
            raise TypeError(f"Value for attr 'OUT_TYPE' of {dtype.name} is not in the list of "
                            "allowed values: float, double, int32, int64, string")
        out.append((dtype, value))
    return out


def decode_rows(records, columns, field_delim=",", use_quote_delim=True, na_value="",
                select_cols=None, fail=None, numbered=True):
    """The parsed columns (lists of Python values) of ``records`` (a list of bytes). Errors
    name the record by its number if ``numbered`` (decode_csv), else not (CsvDataset)."""
    delim = field_delim.encode() if isinstance(field_delim, str) else field_delim
    na = na_value.encode() if isinstance(na_value, str) else na_value
    select = None if select_cols is None else [int(c) for c in select_cols]
    out = [[] for _ in columns]
    for row, record in enumerate(records):
        where = f"record {row}" if numbered else "record"
        fields = split_record(record, delim, use_quote_delim, fail)
        if select is None:
            if len(fields) != len(columns):
                raise fail(f"Expect {len(columns)} fields but have {len(fields)} in {where}")
            picked = fields
        else:
            if select[-1] >= len(fields):
                raise fail(f"Expect {len(columns)} fields but have {len(fields)} in {where}")
            picked = [fields[c] for c in select]
        for col, ((dtype, default), text) in enumerate(zip(columns, picked)):
            if text == b"" or (na and text == na):
                if default is None:
                    raise fail(f"Field {col} is required but missing in {where}!")
                out[col].append(default)
            else:
                out[col].append(_convert(text, dtype, col, where, fail))
    return out


def column_array(values, dtype, shape):
    arr = np.empty(len(values), object) if dtype is dtypes.string else np.array(
        values, dtype.as_numpy_dtype)
    if dtype is dtypes.string:
        arr[:] = values
    return arr.reshape(shape)


def decode_csv(records, record_defaults, field_delim=",", use_quote_delim=True, name=None,
               na_value="", select_cols=None):
    """``tf.io.decode_csv``: one tensor per column, each shaped like ``records``."""
    if select_cols is not None and list(select_cols) != sorted(set(select_cols)):
        raise ValueError("select_cols is not strictly increasing.")
    if select_cols is not None and len(select_cols) != len(record_defaults):
        raise ValueError("Length of select_cols and record_defaults do not match.")
    columns = defaults_of(record_defaults, allow_dtypes=False)
    fail = lambda text: kernel_error("DecodeCSV", text,
                                     kernel=f"DecodeCSV_OUT_TYPE_{len(columns)}")

    def kernel(x):
        values = strings(x)
        out = decode_rows(values.reshape(-1).tolist(), columns, field_delim, use_quote_delim,
                          na_value, select_cols, fail)
        return [column_array(v, dtype, values.shape) for v, (dtype, _) in zip(out, columns)]
    return run(kernel, [convert_to_tensor(records, dtypes.string)], [d for d, _ in columns])
