"""TensorFlow's tensor bundle: ``<prefix>.index`` (a sorted table, see ``_table``) and the data
shard ``<prefix>.data-00000-of-00001``.

The table's first entry (key ``""``) is a ``BundleHeaderProto``; every other key names a tensor
and holds a ``BundleEntryProto``: its dtype, shape, and the offset, size and masked CRC32C of its
bytes in the shard. Numbers are stored raw, little-endian, in C order. A string tensor is stored
as the varint64 length of each element, a masked CRC32C of those lengths (each taken as a
little-endian uint32), then the elements' bytes; its entry's CRC covers all three.
"""

import os
import struct
import threading

import numpy as np

from ..framework import errors
from ..framework.dtypes import DATATYPE_ENUM
from . import _fault, _protos
from ._table import TableWriter, crc32c_of, mask, read_table, read_varint, varint

DATA_SUFFIX = ".data-00000-of-00001"
INDEX_SUFFIX = ".index"

# TF's DataType enum for the dtypes checkpoints carry; bfloat16 (an optional extra) is listed by
# the reader as a foreign type.
DATATYPE = {name: n for name, n in DATATYPE_ENUM.items() if name != "bfloat16"}
DTYPE_NAME = {v: k for k, v in DATATYPE.items()}


def data_path(prefix):
    return prefix + DATA_SUFFIX


def index_path(prefix):
    return prefix + INDEX_SUFFIX


def _fsync_close(f):
    f.flush()
    os.fsync(f.fileno())
    f.close()


class BundleWriter:
    """Streams tensors into a data shard and writes their index, both under temporary names that
    ``commit`` renames into place (the data first: a checkpoint exists once its index does)."""

    def __init__(self, prefix):
        self.prefix = prefix
        tag = f".tmp{os.getpid()}"
        self.tmp_data, self.tmp_index = data_path(prefix) + tag, index_path(prefix) + tag
        directory = os.path.dirname(prefix)
        if directory:
            os.makedirs(directory, exist_ok=True)
        self.f = open(self.tmp_data, "wb")
        self.offset, self.entries = 0, {}

    def add(self, key, array, dtype_name):
        """Append one tensor: ``array`` a NumPy array (strings as an object/bytes array)."""
        entry = _protos.BundleEntryProto(dtype=DATATYPE[dtype_name], offset=self.offset)
        entry.shape.SetInParent()
        for n in np.shape(array):
            entry.shape.dim.add(size=n)
        if dtype_name == "string":
            crc, size = self._write_strings(np.asarray(array, dtype=object).ravel())
        else:
            a = np.ascontiguousarray(array, dtype=np.dtype(array.dtype).newbyteorder("<"))
            view = memoryview(a.reshape(-1)).cast("B") if a.size else b""
            self.f.write(view)  # the Variable's own buffer: no copy
            crc, size = crc32c_of(view), a.nbytes
        entry.size, entry.crc32c = size, mask(crc)
        self.offset += size
        self.entries[key.encode()] = entry
        _fault.step()

    def _write_strings(self, items):
        items = [s.encode() if isinstance(s, str) else bytes(s) for s in items]
        lengths = b"".join(varint(len(s)) for s in items)
        crc = _lengths_crc(len(s) for s in items)
        checksum = struct.pack("<I", mask(crc))
        body = b"".join(items)
        self.f.write(lengths + checksum + body)
        return crc32c_of(body, crc32c_of(checksum, crc)), len(lengths) + 4 + len(body)

    def finish(self):
        """Sync the shard, then write and sync the index: nothing is renamed yet."""
        _fsync_close(self.f)
        _fault.step()
        header = _protos.BundleHeaderProto(num_shards=1)
        header.version.producer = 1
        with open(self.tmp_index, "wb") as f:
            table = TableWriter(f)
            table.add(b"", header.SerializeToString())
            for key in sorted(self.entries):
                table.add(key, self.entries[key].SerializeToString())
            table.finish()
            _fault.step()
            f.flush()
            os.fsync(f.fileno())
        _fault.step()

    def commit(self):
        """Rename into place. Overwriting a checkpoint: its index goes first, so that between the
        two renames the prefix is missing (NotFoundError), never an old index over new data."""
        directory = os.path.dirname(self.prefix) or "."
        if os.path.exists(index_path(self.prefix)):
            os.remove(index_path(self.prefix))
            fsync_dir(directory)
            _fault.step()
        retired = _keep_name(data_path(self.prefix))
        os.replace(self.tmp_data, data_path(self.prefix))
        _fault.step()
        os.replace(self.tmp_index, index_path(self.prefix))
        _fault.step()
        fsync_dir(directory)
        if retired is not None:  # freeing a large file's blocks takes a while: not on our time
            threading.Thread(target=_remove, args=(retired,), name="checkpoint-unlink").start()

    def abort(self):
        if not self.f.closed:
            self.f.close()
        for path in (self.tmp_data, self.tmp_index):
            if os.path.exists(path):
                os.remove(path)


def _keep_name(path):
    """A second name for the data file a save replaces, so that the rename over it frees nothing
    (unlinking a 1 GiB file took 0.17 s); None when there is none, or no hard links here."""
    if not os.path.exists(path):
        return None
    retired = f"{path}.old{os.getpid()}.{threading.get_ident()}"
    try:
        os.link(path, retired)
    except OSError:
        return None
    return retired


def _remove(path):
    try:
        os.remove(path)
    except OSError:
        pass


def _lengths_crc(lengths):
    return crc32c_of(b"".join(struct.pack("<I", n & 0xffffffff) for n in lengths))


def fsync_dir(directory):
    """Make renames in ``directory`` durable (where the platform lets a directory be opened)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def not_found(prefix):
    return errors.NotFoundError(None, None, "Unsuccessful TensorSliceReader constructor: Failed "
                                f"to find any matching files for {prefix}")


class BundleReader:
    """Reads a bundle's index once; ``read(key)`` checks each tensor's bytes against its CRC."""

    def __init__(self, prefix):
        self.prefix = os.fspath(prefix)
        path = index_path(self.prefix)
        try:
            with open(path, "rb") as f:
                data = f.read()
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            raise not_found(self.prefix) from None
        rows = read_table(data, path)
        if not rows or rows[0][0] != b"":
            raise errors.DataLossError(None, None, f"Unable to read file ({path}): the bundle "
                                       "header entry is missing.")
        try:
            header = _protos.BundleHeaderProto.FromString(rows[0][1])
            self.entries = {k.decode(): _protos.BundleEntryProto.FromString(v)
                            for k, v in rows[1:]}
        except Exception as e:  # protobuf's DecodeError and friends
            raise errors.DataLossError(None, None, f"Unable to read file ({path}): a bundle "
                                       f"entry does not parse ({e}).") from None
        if header.num_shards != 1 or header.endianness != 0:
            raise errors.UnimplementedError(None, None, f"{path}: only single-shard "
                                            "little-endian bundles are supported")

    def dtype_name(self, key):
        return DTYPE_NAME.get(self.entries[key].dtype)

    def shape(self, key):
        return [d.size for d in self.entries[key].shape.dim]

    def read(self, key):
        entry = self.entries[key]
        name = self.dtype_name(key)
        if name is None:
            raise errors.UnimplementedError(None, None, f"{key}: DataType {entry.dtype} is not "
                                            "supported by tapeflow")
        if entry.slices:
            raise errors.UnimplementedError(None, None, f"{key}: partitioned (sliced) "
                                            "variables are not supported")
        path = data_path(self.prefix)
        buf = bytearray(entry.size)
        try:
            with open(path, "rb") as f:
                f.seek(entry.offset)
                got = f.readinto(buf)
        except FileNotFoundError:
            raise errors.DataLossError(None, None, f"{path}: the data shard of the checkpoint "
                                       f"{self.prefix} is missing.") from None
        if got != entry.size:
            raise self._loss(path, key, f"the file ends {entry.size - got} bytes early "
                             "(truncated)")
        shape = self.shape(key)
        if name == "string":
            return self._strings(buf, shape, path, key, entry.crc32c)
        if mask(crc32c_of(buf)) != entry.crc32c:
            raise self._loss(path, key, "checksum does not match")
        dtype = np.dtype(name if name != "bool" else np.bool_).newbyteorder("<")
        if dtype.itemsize * int(np.prod(shape)) != entry.size:
            raise self._loss(path, key, "size does not match the shape")
        return np.frombuffer(buf, dtype=dtype).astype(dtype.newbyteorder("="), copy=False) \
            .reshape(shape)

    def _loss(self, path, key, what):
        return errors.DataLossError(None, None, f"Checkpoint data file {path} is corrupt: "
                                    f"tensor {key!r}: {what}.")

    def _strings(self, buf, shape, path, key, stored):
        n, pos, lengths = int(np.prod(shape)), 0, []
        try:
            for _ in range(n):
                length, pos = read_varint(buf, pos)
                lengths.append(length)
        except ValueError:
            raise self._loss(path, key, "bad string lengths") from None
        crc = _lengths_crc(lengths)
        checksum = bytes(buf[pos:pos + 4])
        if checksum != struct.pack("<I", mask(crc)):
            raise self._loss(path, key, "checksum of the string lengths does not match")
        if mask(crc32c_of(memoryview(buf)[pos + 4:], crc32c_of(checksum, crc))) != stored:
            raise self._loss(path, key, "checksum does not match")
        pos += 4
        out = np.empty(n, dtype=object)
        for i, length in enumerate(lengths):
            out[i] = bytes(buf[pos:pos + length])
            pos += length
        if pos != len(buf):
            raise self._loss(path, key, "string sizes do not add up")
        return out.reshape(shape)
