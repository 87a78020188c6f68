"""``keras.utils``'s data helpers: padding sequences, sliding windows, splitting datasets,
``(x, y, sample_weight)`` packing, and ``PyDataset`` (a batch source ``Model.fit`` iterates)."""

import numpy as np

from ...framework import dtypes


def pad_sequences(sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre",
                  value=0.0):
    """A list of sequences as one ``(len(sequences), maxlen)`` array, padded with ``value``."""
    if not hasattr(sequences, "__len__"):
        raise ValueError("`sequences` must be iterable.")
    rows = [np.asarray(s) for s in sequences]
    lengths = [len(r) for r in rows]
    if maxlen is None:
        maxlen = max(lengths, default=0)
    feature_shape = next((r.shape[1:] for r in rows if len(r)), ())
    is_text = np.issubdtype(np.dtype(dtype), np.str_) or np.dtype(dtype) == object
    if isinstance(value, str) and not is_text:
        raise ValueError(f"`dtype` {dtype} is not compatible with `value`'s type: "
                         f"{type(value)}\nYou should set `dtype=object` for variable length "
                         "strings.")
    out = np.full((len(rows), maxlen) + tuple(feature_shape), value, dtype=dtype)
    for i, row in enumerate(rows):
        if not len(row):
            continue
        if truncating == "pre":
            kept = row[-maxlen:] if maxlen else row[:0]
        elif truncating == "post":
            kept = row[:maxlen]
        else:
            raise ValueError(f'Truncating type "{truncating}" not understood')
        if kept.shape[1:] != tuple(feature_shape):
            raise ValueError(f"Shape of sample {kept.shape[1:]} of sequence at position {i} "
                             f"is different from expected shape {tuple(feature_shape)}")
        if padding == "post":
            out[i, :len(kept)] = kept
        elif padding == "pre":
            out[i, maxlen - len(kept):] = kept
        else:
            raise ValueError(f'Padding type "{padding}" not understood')
    return out


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    if y is None:
        return x if not isinstance(x, tuple | list) else (x,)
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)


def unpack_x_y_sample_weight(data):
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return (data, None, None)
    if len(data) == 1:
        return (data[0], None, None)
    if len(data) == 2:
        return (data[0], data[1], None)
    if len(data) == 3:
        return (data[0], data[1], data[2])
    raise ValueError("Data is expected to be in format `x`, `(x,)`, `(x, y)`, or "
                     f"`(x, y, sample_weight)`, found: {data}")


def timeseries_dataset_from_array(data, targets, sequence_length, sequence_stride=1,
                                  sampling_rate=1, batch_size=128, shuffle=False, seed=None,
                                  start_index=None, end_index=None):
    """A ``tf.data.Dataset`` of sliding windows over ``data`` (and ``targets[start]``)."""
    from ... import data as tfdata
    start_index = start_index or 0
    end_index = len(data) if end_index is None else end_index
    if sampling_rate <= 0 or sequence_stride <= 0:
        raise ValueError("`sampling_rate` and `sequence_stride` must be higher than 0. Received: "
                         f"sampling_rate={sampling_rate}, sequence_stride={sequence_stride}")
    span = (sequence_length - 1) * sampling_rate
    count = end_index - start_index - span
    if targets is not None:
        count = min(count, len(targets) - start_index)
    starts = np.arange(start_index, start_index + max(count, 0), sequence_stride)
    if shuffle:
        np.random.default_rng(seed).shuffle(starts)
    data = np.asarray(data)
    windows = np.stack([data[s:s + span + 1:sampling_rate] for s in starts]) if len(starts) \
        else np.zeros((0, sequence_length) + data.shape[1:], data.dtype)
    if targets is None:
        dataset = tfdata.Dataset.from_tensor_slices(windows)
    else:
        dataset = tfdata.Dataset.from_tensor_slices((windows, np.asarray(targets)[starts]))
    return dataset.batch(batch_size) if batch_size is not None else dataset


def split_dataset(dataset, left_size=None, right_size=None, shuffle=False, seed=None,
                  preferred_backend=None):
    """Two ``tf.data.Dataset`` s holding the first ``left_size`` and the remaining samples."""
    from ... import data as tfdata
    if isinstance(dataset, tfdata.Dataset):
        samples = list(dataset)
        columns = None
    else:
        columns = [np.asarray(c) for c in dataset] if isinstance(dataset, tuple | list) \
            else [np.asarray(dataset)]
        samples = None
    total = len(samples) if samples is not None else len(columns[0])
    if left_size is None and right_size is None:
        left_size = 0.5

    def count(size):
        return None if size is None else int(size * total) if isinstance(size, float) \
            else int(size)
    left, right = count(left_size), count(right_size)
    left = total - right if left is None else left
    right = total - left if right is None else right
    if left + right > total or left < 0 or right < 0:
        raise ValueError("The sum of `left_size` and `right_size` should be smaller than the "
                         f"total size of the dataset. Received: left_size={left_size}, "
                         f"right_size={right_size}, total size={total}")
    order = np.arange(total)
    if shuffle:
        np.random.default_rng(seed).shuffle(order)
    parts = order[:left], order[left:left + right]
    if samples is not None:
        return tuple(tfdata.Dataset.from_tensor_slices(
            tuple(np.stack([np.asarray(samples[i][k]) for i in idx]) for k in
                  range(len(samples[0]))) if isinstance(samples[0], tuple) else
            np.stack([np.asarray(samples[i]) for i in idx])) for idx in parts)
    return tuple(tfdata.Dataset.from_tensor_slices(
        tuple(c[idx] for c in columns) if len(columns) > 1 or isinstance(dataset, tuple | list)
        else columns[0][idx]) for idx in parts)


def standardize_dtype(dtype):
    """A dtype's name as Keras writes it (``"float32"``...)."""
    if dtype is None:
        from .. import config
        return config.floatx()
    if hasattr(dtype, "name") and not isinstance(dtype, str | np.dtype):
        name = dtype.name
    elif isinstance(dtype, str):
        name = {"float": "float32", "int": "int64", "double": "float64"}.get(dtype, dtype)
    else:
        name = np.dtype(dtype).name
    try:
        return dtypes.as_dtype(name).name
    except (TypeError, ValueError):
        raise ValueError(f"Invalid dtype: {dtype}") from None


class PyDataset:
    """Batches by index: subclass it with ``__len__`` (batches per epoch) and
    ``__getitem__(index)`` (one ``(x, y[, sample_weight])`` batch). ``Model.fit`` iterates it
    once per epoch, after which ``on_epoch_end`` runs. Workers and multiprocessing are
    accepted and ignored: batches are made in the calling thread."""

    def __init__(self, workers=1, use_multiprocessing=False, max_queue_size=10):
        self._workers = workers
        self._use_multiprocessing = use_multiprocessing
        self._max_queue_size = max_queue_size

    @property
    def workers(self):
        return getattr(self, "_workers", 1)

    @property
    def use_multiprocessing(self):
        return getattr(self, "_use_multiprocessing", False)

    @property
    def max_queue_size(self):
        return getattr(self, "_max_queue_size", 10)

    def __getitem__(self, index):
        raise NotImplementedError

    def __len__(self):
        raise NotImplementedError

    @property
    def num_batches(self):
        try:
            return len(self)
        except NotImplementedError:
            return None

    def on_epoch_begin(self):
        pass

    def on_epoch_end(self):
        pass

    def __iter__(self):
        self.on_epoch_begin()
        for i in range(len(self)):
            yield self[i]
        self.on_epoch_end()


Sequence = PyDataset
