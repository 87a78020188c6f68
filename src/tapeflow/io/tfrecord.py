"""TFRecord files: ``tf.io.TFRecordWriter``, ``tf.io.TFRecordOptions`` and the record reader
behind ``tf.data.TFRecordDataset``.

A record is ``uint64 length | uint32 masked CRC32C of the length | data | uint32 masked CRC32C
of the data`` (little-endian; the masks are LevelDB's, as in checkpoints). A GZIP or ZLIB file
is that whole stream compressed."""

import gzip
import io
import struct
import zlib

from ..framework import errors
from ._common import kernel_error, os_error_class, path

_COMPRESSION = {None: "", "": "", "NONE": "", "GZIP": "GZIP", "ZLIB": "ZLIB"}


def _compression(kind):
    if isinstance(kind, TFRecordOptions):
        return kind.compression_type
    key = kind.upper() if isinstance(kind, str) else kind
    if key not in _COMPRESSION:
        raise ValueError(f"Unsupported compression_type: {kind}")
    return _COMPRESSION[key]


class TFRecordOptions:
    """``tf.io.TFRecordOptions``: the compression of a TFRecord file ("", "GZIP" or "ZLIB")."""

    compression_type_map = {"ZLIB": 1, "GZIP": 2, "": 0}

    def __init__(self, compression_type=None, flush_mode=None, input_buffer_size=None,
                 output_buffer_size=None, window_bits=None, compression_level=None,
                 compression_method=None, mem_level=None, compression_strategy=None):
        self.compression_type = _compression(compression_type)
        self.flush_mode, self.input_buffer_size = flush_mode, input_buffer_size
        self.output_buffer_size, self.window_bits = output_buffer_size, window_bits
        self.compression_level, self.compression_method = compression_level, compression_method
        self.mem_level, self.compression_strategy = mem_level, compression_strategy

    @classmethod
    def get_compression_type_string(cls, options):
        return "" if options is None else _compression(options)


def _crc():
    """The masked CRC32C of the checkpoint code (it needs the optional crc32c package)."""
    from ..train._table import crc32c_of, mask
    return lambda data: mask(crc32c_of(data))


def frame(record):
    """One record in the file's framing."""
    crc = _crc()
    header = struct.pack("<Q", len(record))
    return b"".join((header, struct.pack("<I", crc(header)), record,
                     struct.pack("<I", crc(record))))


class TFRecordWriter:
    """``tf.io.TFRecordWriter``: write records (bytes) to a TFRecord file."""

    def __init__(self, path_, options=None):
        self._path = path(path_)
        kind = _compression(options)
        level = getattr(options, "compression_level", None)
        level = -1 if level is None else level
        try:
            raw = open(self._path, "wb")
        except OSError as e:
            raise os_error_class(e)(None, None, f"{self._path}; {e.strerror}") from None
        if kind == "GZIP":
            self._file = gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=max(level, 0) or 6,
                                       mtime=0)
            self._raw = raw
        elif kind == "ZLIB":
            self._file, self._raw, self._zlib = raw, raw, zlib.compressobj(level)
        else:
            self._file, self._raw = raw, raw
        self._kind = kind

    def write(self, record):
        data = record.numpy() if hasattr(record, "numpy") else record
        data = data.encode() if isinstance(data, str) else bytes(data)
        out = frame(data)
        self._file.write(self._zlib.compress(out) if self._kind == "ZLIB" else out)

    def flush(self):
        if self._kind == "ZLIB":
            self._file.write(self._zlib.flush(zlib.Z_SYNC_FLUSH))
        self._file.flush()

    def close(self):
        if self._file is None:
            return
        if self._kind == "ZLIB":
            self._file.write(self._zlib.flush())
        self._file.close()
        if self._raw is not self._file:
            self._raw.close()
        self._file = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _reader(p, kind):
    raw = open(p, "rb")
    if kind == "GZIP":
        return gzip.GzipFile(fileobj=raw, mode="rb")
    if kind == "ZLIB":
        data = raw.read()
        raw.close()
        return io.BytesIO(zlib.decompress(data))
    return raw


def read_records(p, compression_type=None, op_type="IteratorGetNext",
                 kernel="IteratorGetNext_output_types_1"):
    """The records of one TFRecord file, as bytes; TF's DataLossError on a corrupt record. A
    file that ends inside a record's header ends the file, as in TF."""
    try:
        f = _reader(p, _compression(compression_type))
    except OSError as e:
        raise kernel_error(op_type, f"{p}; {e.strerror}", cls=errors.NotFoundError,
                           kernel=kernel, name="") from None
    crc = _crc()
    with f:
        offset = 0
        while True:
            header = f.read(12)
            if len(header) < 12:
                if header and len(header) >= 8:
                    raise _loss(op_type, kernel, f"truncated record at {offset}")
                return
            length, stored = struct.unpack("<QI", header)
            if crc(header[:8]) != stored:
                raise _loss(op_type, kernel, f"corrupted record at {offset} (Is this even a "
                            "TFRecord file?)")
            body = f.read(length + 4)
            if len(body) < length + 4:
                raise _loss(op_type, kernel, f"truncated record at {offset}")
            data = body[:length]
            if crc(data) != struct.unpack("<I", body[length:])[0]:
                raise _loss(op_type, kernel, f"corrupted record at {offset}")
            yield data
            offset += 16 + length


def _loss(op_type, kernel, text):
    return kernel_error(op_type, text, cls=errors.DataLossError, kernel=kernel, name="")
