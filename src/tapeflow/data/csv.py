"""``tf.data.experimental.CsvDataset`` and ``make_csv_dataset``: CSV files as datasets, with
``tf.io.decode_csv``'s parsing (tapeflow/io/csv.py) and TF's column-type inference."""

import collections
import csv as _csv
import glob
import gzip
import io
import zlib

import numpy as np

from ..framework import dtypes, errors
from ..framework.tensor import convert_to_tensor
from ..io._common import kernel_error
from ..io.csv import column_array, decode_rows, defaults_of
from ..io.tfrecord import _compression
from ..module import TensorSpec
from .dataset import Dataset
from .readers import _names
from .records import file_names

_TYPE_LADDER = ("int32", "int64", "float32", "float64", "string")


def _open_text(path, compression):
    """The bytes of a (possibly compressed) file."""
    with open(path, "rb") as f:
        data = f.read()
    if compression == "GZIP":
        return gzip.decompress(data)
    if compression == "ZLIB":
        return zlib.decompress(data)
    return data


def _lines(data):
    """The records of a CSV file: its lines, a quoted field may span lines."""
    records, pending = [], None
    for line in data.split(b"\n"):
        line = line[:-1] if line.endswith(b"\r") else line
        pending = line if pending is None else pending + b"\n" + line
        if pending.count(b'"') % 2 == 0:
            records.append(pending)
            pending = None
    if pending is not None:
        records.append(pending)
    return [r for r in records if r]


# TF's DataType enum of the CSV types: TF tests ``default in (tf.float32, ...)``, and a DType
# equals its enum number, so a default of 1, 2, 3, 7 or 9 becomes a required column of that type.
_ENUM_TYPES = {1: dtypes.float32, 2: dtypes.float64, 3: dtypes.int32, 7: dtypes.string,
               9: dtypes.int64}


def _record_defaults(record_defaults):
    """CsvDataset's defaults: a DType (or a number equal to one's enum) is a required column."""
    out = []
    for d in record_defaults:
        if isinstance(d, int | float) and not isinstance(d, bool) and d in _ENUM_TYPES:
            d = _ENUM_TYPES[int(d)]
        out.append(d)
    return out


class CsvDatasetV2(Dataset):
    """``tf.data.experimental.CsvDataset``: each record of the files, a tuple of scalars."""

    def __init__(self, filenames, record_defaults, compression_type=None, buffer_size=None,
                 header=False, field_delim=",", use_quote_delim=True, na_value="",
                 select_cols=None, exclude_cols=None, name=None):
        self._files = filenames if isinstance(filenames, Dataset) else _names(filenames)
        self._columns = defaults_of(_record_defaults(record_defaults))
        self._compression = _compression(compression_type)
        self._header, self._options = header, (field_delim, use_quote_delim, na_value)
        if select_cols is not None and exclude_cols is not None:
            raise ValueError("Either select_cols or exclude_cols should be set, not both.")
        self._select = None if select_cols is None else sorted(int(c) for c in select_cols)
        self._exclude = exclude_cols
        self._skip_errors = False

    def _elements(self):
        kernel = f"IteratorGetNext_output_types_{len(self._columns)}"
        fail = lambda text: kernel_error("IteratorGetNext", text, kernel=kernel, name="")
        for path in file_names(self._files):
            try:
                records = _lines(_open_text(path, self._compression))
            except OSError as e:
                raise kernel_error("IteratorGetNext", f"{path}; {e.strerror}", kernel=kernel,
                                   cls=errors.NotFoundError,
                                   name="") from None
            if self._header:
                records = records[1:]
            select = self._select
            if self._exclude is not None and records:
                width = len(_csv.reader([records[0].decode("utf-8", "replace")]).__next__())
                select = [c for c in range(width) if c not in set(self._exclude)]
            for record in records:
                try:
                    values = decode_rows([record], self._columns, *self._options,
                                         select_cols=select, fail=fail, numbered=False)
                except errors.InvalidArgumentError:
                    if self._skip_errors:  # make_csv_dataset(ignore_errors=True)
                        continue
                    raise
                yield tuple(column_array(v, dtype, ()) for v, (dtype, _)
                            in zip(values, self._columns))

    def _spec(self):
        return tuple(TensorSpec((), dtype) for dtype, _ in self._columns)


def _infer_type(text, na_value, previous):
    if text in ("", na_value):
        return previous
    for i, name in enumerate(_TYPE_LADDER):
        if previous is not None and _TYPE_LADDER.index(previous) > i:
            continue
        if name == "string" or _fits(text, name):
            return name


def _fits(text, name):
    try:
        if name.startswith("int"):
            value = int(text)
            bits = 31 if name == "int32" else 63
            return -2 ** bits <= value < 2 ** bits
        return bool(np.array(text, np.float32 if name == "float32" else np.float64) < np.inf)
    except (ValueError, OverflowError):
        return False


def _csv_rows(files, delim, use_quote, header, compression, encoding):
    for path in files:
        text = _open_text(path, compression).decode(encoding)
        reader = _csv.reader(io.StringIO(text), delimiter=delim,
                             quoting=_csv.QUOTE_MINIMAL if use_quote else _csv.QUOTE_NONE)
        if header:
            next(reader, None)
        yield from reader


def make_csv_dataset(file_pattern, batch_size, column_names=None, column_defaults=None,
                     label_name=None, select_columns=None, field_delim=",",
                     use_quote_delim=True, na_value="", header=True, num_epochs=None,
                     shuffle=True, shuffle_buffer_size=10000, shuffle_seed=None,
                     prefetch_buffer_size=None, num_parallel_reads=None, sloppy=False,
                     num_rows_for_inference=100, compression_type=None, ignore_errors=False,
                     encoding="utf-8"):
    """``tf.data.experimental.make_csv_dataset``: batches of (OrderedDict of columns, label)
    (or the dict alone without ``label_name``), column types inferred from the first rows
    unless ``column_defaults`` gives them; repeats forever unless ``num_epochs``."""
    patterns = _names(file_pattern)
    files = sorted({f for p in patterns for f in glob.glob(p)})
    if not files:
        raise ValueError(f"No files match `file_pattern` {file_pattern}.")
    if shuffle:
        np.random.default_rng(shuffle_seed).shuffle(files)
    compression = _compression(compression_type)
    if column_names is None:
        if not header:
            raise ValueError("Expected `column_names` or `header` arguments. Neither is "
                             "provided.")
        first = next(_csv_rows(files[:1], field_delim, use_quote_delim, False, compression,
                               encoding), None)
        if first is None:
            raise ValueError(f"Failed when reading the header line of {files[0]}. Is it an "
                             "empty file?")
        column_names = first
    column_names = list(column_names)
    if len(column_names) != len(set(column_names)):
        raise ValueError("Either `column_names` argument or CSV header row contains duplicate "
                         f"column names: "
                         f"{ {n for n in column_names if column_names.count(n) > 1} }.")
    select = None
    if select_columns is not None:
        index = {n: i for i, n in enumerate(column_names)}
        select = []
        for v in select_columns:
            if isinstance(v, int):
                select.append(v)
            elif v not in index:
                raise ValueError(f"Column {v} specified in `select_columns` must be of one of "
                                 f"the columns: {index.keys()}.")
            else:
                select.append(index[v])
        select = sorted(set(select))
    if column_defaults is not None:
        column_defaults = [convert_to_tensor([], d) if isinstance(d, dtypes.DType) else d
                           for d in column_defaults]
    else:
        chosen = select if select is not None else range(len(column_names))
        types = [None] * len(chosen)
        rows = _csv_rows(files, field_delim, use_quote_delim, header, compression, encoding)
        for i, row in enumerate(rows):
            if num_rows_for_inference is not None and i >= num_rows_for_inference:
                break
            if len(row) != len(column_names):
                raise ValueError(f"Problem inferring types: CSV row {i + 1 + bool(header)} has "
                                 f"{len(row)} number of fields. Expected: "
                                 f"{len(column_names)}.")
            types = [_infer_type(row[c], na_value, t) for c, t in zip(chosen, types)]
        column_defaults = [convert_to_tensor(["" if (t or "string") == "string" else 0],
                                             dtypes.as_dtype(t or "string")) for t in types]
    if select is not None and len(column_defaults) != len(select):
        raise ValueError("If specified, `column_defaults` and `select_columns` must have the "
                         f"same length: `column_defaults` has length {len(column_defaults)}, "
                         f"`select_columns` has length {len(select)}.")
    if select is not None and len(column_names) > len(select):
        column_names = [column_names[i] for i in select]
    if label_name is not None and label_name not in column_names:
        raise ValueError("`label_name` provided must be one of the columns: "
                         f"{column_names}. Received: {label_name}.")
    dataset = CsvDatasetV2(files, column_defaults, compression_type=compression,
                           header=header, field_delim=field_delim,
                           use_quote_delim=use_quote_delim, na_value=na_value,
                           select_cols=select)
    dataset._skip_errors = ignore_errors
    if shuffle:
        dataset = dataset.shuffle(shuffle_buffer_size, seed=shuffle_seed)
    if num_epochs != 1:
        dataset = dataset.repeat(num_epochs)
    dataset = dataset.batch(batch_size, drop_remainder=num_epochs is None)

    def to_dict(*columns):
        features = collections.OrderedDict(zip(column_names, columns))
        if label_name is None:
            return features
        return features, features.pop(label_name)
    return dataset.map(to_dict)
