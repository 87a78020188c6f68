"""The sorted string table of TensorFlow's ``.index`` files (LevelDB's table layout).

A file is a run of blocks, then a 48-byte footer::

    data blocks   entries sorted by key; each entry is
                  varint(shared prefix) varint(rest of key) varint(value length) key-rest value;
                  every 16th entry (a restart point) shares nothing; the block ends with the
                  restart offsets (uint32 each) and their count (uint32)
    trailer       after each block: 1 byte compression type (0: none), 4 bytes masked CRC32C
                  of the block and that byte
    metaindex     an empty block
    index block   one entry per data block: a key >= the block's last key and < the next
                  block's first, valued with the block's handle varint(offset) varint(size)
    footer        the metaindex and index handles, zero-padded to 40 bytes, then the magic
                  number 0xdb4775248b80fb57 (little-endian)
"""

import struct

from ..framework import errors
from ._deps import crc32c

_crc = crc32c()
MAGIC = 0xdb4775248b80fb57
FOOTER_SIZE = 48
_MASK_DELTA = 0xa282ead8


def mask(crc):
    """LevelDB's masked CRC (rotate right 15, add a constant), stored wherever a CRC is stored."""
    return ((((crc >> 15) | (crc << 17)) & 0xffffffff) + _MASK_DELTA) & 0xffffffff


def crc32c_of(data, crc=0):
    return _crc(data, crc)


def varint(n):
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7f) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def read_varint(buf, pos):
    result = shift = 0
    while True:
        if pos >= len(buf) or shift > 63:
            raise ValueError("truncated varint")
        b = buf[pos]
        pos += 1
        result |= (b & 0x7f) << shift
        if b < 0x80:
            return result, pos
        shift += 7


def _separator(start, limit):
    """The shortest key >= start and < limit (LevelDB's bytewise FindShortestSeparator)."""
    n = min(len(start), len(limit))
    i = 0
    while i < n and start[i] == limit[i]:
        i += 1
    if i < n and start[i] < 0xff and start[i] + 1 < limit[i]:
        return start[:i] + bytes([start[i] + 1])
    return start


def _successor(key):
    """The shortest key >= key (LevelDB's FindShortSuccessor)."""
    for i, b in enumerate(key):
        if b != 0xff:
            return key[:i] + bytes([b + 1])
    return key


class _Block:
    def __init__(self, restart_interval):
        self.interval = restart_interval
        self.reset()

    def reset(self):
        self.buf, self.restarts, self.count, self.last = bytearray(), [0], 0, b""

    def add(self, key, value):
        shared = 0
        if self.count == self.interval:
            self.restarts.append(len(self.buf))
            self.count = 0
        else:
            n = min(len(key), len(self.last))
            while shared < n and key[shared] == self.last[shared]:
                shared += 1
        self.buf += varint(shared) + varint(len(key) - shared) + varint(len(value))
        self.buf += key[shared:] + value
        self.last = key
        self.count += 1

    def size(self):
        return len(self.buf) + 4 * len(self.restarts) + 4

    def finish(self):
        out = bytes(self.buf) + struct.pack(f"<{len(self.restarts) + 1}I", *self.restarts,
                                            len(self.restarts))
        self.reset()
        return out


class TableWriter:
    """Writes sorted ``(key, value)`` byte pairs to the binary file object ``f``."""

    def __init__(self, f, block_size=262144, restart_interval=16):
        self.f, self.offset, self.block_size = f, 0, block_size
        self.data, self.index = _Block(restart_interval), _Block(1)
        self.last, self.pending = None, None

    def add(self, key, value):
        if self.last is not None and key <= self.last:
            raise ValueError(f"table keys must be added in increasing order: {key!r}")
        if self.pending is not None:
            self.index.add(_separator(self.last, key), self.pending)
            self.pending = None
        self.data.add(key, value)
        self.last = key
        if self.data.size() >= self.block_size:
            self._flush()

    def _flush(self):
        if self.data.buf:
            self.pending = self._write_block(self.data.finish())

    def _write_block(self, block):
        trailer = b"\x00" + struct.pack("<I", mask(crc32c_of(b"\x00", crc32c_of(block))))
        self.f.write(block + trailer)
        handle = varint(self.offset) + varint(len(block))
        self.offset += len(block) + len(trailer)
        return handle

    def finish(self):
        self._flush()
        if self.pending is not None:
            self.index.add(_successor(self.last), self.pending)
        meta = self._write_block(_Block(16).finish())
        index = self._write_block(self.index.finish())
        self.f.write((meta + index).ljust(40, b"\x00") + struct.pack("<Q", MAGIC))


def _corrupt(filename, what):
    return errors.DataLossError(None, None, f"Unable to read file ({filename}): not a valid "
                                f"TensorFlow checkpoint index; {what}.")


def _block(data, handle, filename):
    offset, pos = read_varint(handle, 0)
    size, _ = read_varint(handle, pos)
    end = offset + size
    if end + 5 > len(data) - FOOTER_SIZE:
        raise _corrupt(filename, "a block runs past the end of the file (truncated?)")
    block, kind = data[offset:end], data[end]
    (stored,) = struct.unpack_from("<I", data, end + 1)
    if mask(crc32c_of(bytes([kind]), crc32c_of(block))) != stored:
        raise _corrupt(filename, f"block checksum mismatch at offset {offset}")
    if kind != 0:
        raise _corrupt(filename, f"block compression type {kind} is not supported")
    return block


def _entries(block):
    (n,) = struct.unpack_from("<I", block, len(block) - 4)
    end, pos, key = len(block) - 4 - 4 * n, 0, b""
    while pos < end:
        shared, pos = read_varint(block, pos)
        rest, pos = read_varint(block, pos)
        size, pos = read_varint(block, pos)
        key = key[:shared] + block[pos:pos + rest]
        pos += rest
        yield key, block[pos:pos + size]
        pos += size


def read_table(data, filename):
    """All ``(key, value)`` pairs of the table held in the bytes ``data``, in key order; any
    damage raises ``DataLossError`` naming ``filename``."""
    if len(data) < FOOTER_SIZE:
        raise _corrupt(filename, f"the file is {len(data)} bytes, shorter than a table footer")
    if struct.unpack_from("<Q", data, len(data) - 8)[0] != MAGIC:
        raise _corrupt(filename, "bad magic number (truncated or not a table)")
    try:
        footer = data[len(data) - FOOTER_SIZE:]
        _, pos = read_varint(footer, 0)
        _, pos = read_varint(footer, pos)
        index = _block(data, footer[pos:], filename)
        out = []
        for _, handle in _entries(index):
            out.extend(_entries(_block(data, handle, filename)))
    except (ValueError, IndexError, struct.error) as e:
        raise _corrupt(filename, f"malformed block ({e})") from None
    return out
