"""``tf.summary.scalar`` / ``histogram`` / ``image`` / ``text``: TF 2's summary layout (a
tensor with the plugin's metadata), built with TensorBoard's own proto and plugin modules."""

import struct
import zlib

import numpy as np

from ..framework.tensor import convert_to_tensor, wrap
from .writer import writer_and_step


def _value(data):
    return np.asarray(convert_to_tensor(data)._value)


def _write(name, step, make):
    writer, step = writer_and_step(step)
    if writer is None:
        return wrap(np.asarray(False))
    from tensorboard.compat.proto import summary_pb2
    from tensorboard.util import tensor_util
    array, metadata = make()
    value = summary_pb2.Summary.Value(tag=name, metadata=metadata,
                                      tensor=tensor_util.make_tensor_proto(array))
    return wrap(np.asarray(writer._write(summary_pb2.Summary(value=[value]), step)))


def scalar(name, data, step=None, description=None):
    """A float32 scalar under the ``scalars`` plugin."""
    def make():
        from tensorboard.plugins.scalar import metadata
        x = _value(data)
        if x.ndim != 0:
            raise ValueError(f"Expected scalar shape for {name}, saw shape: {x.shape}.")
        return x.astype(np.float32), metadata.create_summary_metadata(None, description)
    return _write(name, step, make)


def histogram(name, data, step=None, buckets=None, description=None):
    """``buckets`` (30 by default) equal-width buckets from min to max, as TF 2 makes them: a
    float64 ``[buckets, 3]`` tensor of (left edge, right edge, count)."""
    def make():
        from tensorboard.plugins.histogram import metadata
        return (histogram_buckets(_value(data), 30 if buckets is None else int(buckets)),
                metadata.create_summary_metadata(None, description))
    return _write(name, step, make)


def histogram_buckets(data, k):
    x = np.asarray(data, np.float64).reshape(-1)
    if k == 0 or x.size == 0:
        return np.zeros((k, 3), np.float64)
    lo, hi = float(x.min()), float(x.max())
    if lo == hi:  # every value alike: all of them in the last bucket, edges at the value
        counts = np.zeros(k)
        counts[-1] = x.size
        return np.stack([np.full(k, lo), np.full(k, hi), counts], axis=1)
    width = (hi - lo) / k
    index = np.minimum(np.floor((x - lo) / width).astype(np.int64), k - 1)
    counts = np.bincount(index, minlength=k).astype(np.float64)
    edges = lo + np.arange(k + 1) * ((hi - lo) / k)
    edges[-1] = hi
    return np.stack([edges[:-1], edges[1:], counts], axis=1)


def image(name, data, step=None, max_outputs=3, description=None):
    """Up to ``max_outputs`` PNG images from a ``[k, h, w, c]`` batch (c = 1, 3 or 4); floats
    in [0, 1] are scaled to bytes as ``tf.image.convert_image_dtype`` does."""
    def make():
        from tensorboard.plugins.image import metadata
        x = _value(data)
        if x.ndim != 4:
            raise ValueError(f"Tensor  must have rank 4.  Received rank {x.ndim}, shape "
                             f"{x.shape}")
        pixels = to_uint8(x[:max(0, int(max_outputs))])
        h, w = x.shape[1], x.shape[2]
        array = np.array([str(w).encode(), str(h).encode()] + [png(p) for p in pixels],
                         dtype=object)
        return array, metadata.create_summary_metadata(None, description)
    return _write(name, step, make)


def to_uint8(x):
    if x.dtype == np.uint8:
        return x
    if x.dtype.kind == "f":
        return np.floor(np.clip(x.astype(np.float64) * 255.5, 0, 255)).astype(np.uint8)
    return np.clip(x, 0, 255).astype(np.uint8)


def png(pixels):
    """An ``[h, w, c]`` uint8 image as PNG bytes (8-bit gray, gray+alpha, RGB or RGBA)."""
    h, w, c = pixels.shape
    color = {1: 0, 2: 4, 3: 2, 4: 6}[c]
    rows = np.concatenate([np.zeros((h, 1), np.uint8), pixels.reshape(h, w * c)], axis=1)

    def chunk(kind, body):
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", w, h, 8, color, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows.tobytes())) + chunk(b"IEND", b""))


def text(name, data, step=None, description=None):
    """A string tensor (any shape) under the ``text`` plugin (TensorBoard renders Markdown)."""
    def make():
        from tensorboard.plugins.text import metadata
        x = _value(data)
        if x.dtype.kind != "O":
            raise TypeError(f"tf.summary.text expects a string tensor, got {x.dtype}.")
        return x, metadata.create_summary_metadata(None, description)
    return _write(name, step, make)


def audio(name, data, sample_rate, step=None, max_outputs=3, encoding=None, description=None):
    """Up to ``max_outputs`` clips from a ``[k, frames, channels]`` float32 batch in [-1, 1], as
    a ``[k, 2]`` string tensor of (WAV bytes from ``tf.audio.encode_wav``, empty label) under
    the ``audio`` plugin."""
    if encoding not in (None, "wav"):
        raise ValueError(f"Unknown encoding: {encoding!r}")

    def make():
        from tensorboard.plugins.audio import metadata
        from ..ops.audio_ops import encode_wav
        x = _value(data)
        if x.ndim != 3:
            raise ValueError(f"Tensor  must have rank 3.  Received rank {x.ndim}, shape "
                             f"{x.shape}")
        clips = [encode_wav(wrap(clip), sample_rate)._value.item()
                 for clip in x[:max(0, int(max_outputs))]]
        wav = metadata.Encoding.Value("WAV")
        table = np.empty((len(clips), 2), dtype=object)  # each clip beside its (empty) label
        table[:, 0], table[:, 1] = clips, b""
        return (table,
                metadata.create_summary_metadata(None, description, encoding=wav))
    return _write(name, step, make)


def write(tag, tensor, step=None, metadata=None, name=None):
    """``tf.summary.write``: any tensor under ``tag``, with ``metadata`` (a ``SummaryMetadata``
    proto, its serialized bytes, or None)."""
    def make():
        from tensorboard.compat.proto import summary_pb2
        value = _value(tensor() if callable(tensor) else tensor)
        if isinstance(metadata, summary_pb2.SummaryMetadata):
            meta = metadata
        else:
            meta = summary_pb2.SummaryMetadata()
            if metadata:
                try:
                    meta.ParseFromString(bytes(metadata))
                except Exception:  # noqa: BLE001 - TF keeps no metadata it cannot parse
                    meta = summary_pb2.SummaryMetadata()
        return value, meta
    return _write(tag, step, make)
