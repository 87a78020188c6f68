"""``tf.strings``' hashing ops and ``tf.fingerprint``, vectorised over the strings in NumPy.

Three 64-bit hashes, written from their published descriptions, with TF's bucket rule
``hash % num_buckets`` (unsigned):

- ``to_hash_bucket_fast``: FarmHash's ``Fingerprint64`` (the "na" variant of the 64-bit hash,
  CityHash's successor), also what ``tf.fingerprint`` computes;
- ``to_hash_bucket_strong``: SipHash-2-4 keyed by the two 64-bit words of ``key``;
- ``to_hash_bucket``: TF's legacy string hash, MurmurHash64A with the seed ``0xDECAFCAFFE``.

Every hash works on a zero-padded byte matrix (one row per string) and its lengths, so that a
batch hashes with a few dozen NumPy operations per length class, not a Python loop per string.
``hash_strings`` builds one matrix per power-of-two length class when the lengths spread, so that
one long string does not widen the rows of all the others: the matrices hold at most about twice
the batch's bytes.
"""

import builtins
import codecs
import functools

import numpy as np

from ..engine.core import apply, not_differentiable, primitive
from ..framework import errors
from ..framework import errors as errors_module
from ..framework.tensor import Tensor, wrap
from ._helpers import tensor
from .array_extra_ops import as_string  # noqa: F401 - tf.strings.as_string
from .composite_ops import RaggedTensor

U64 = np.uint64
K0, K1, K2 = U64(0xC3A5C85C97CB3127), U64(0xB492B66FBE98F273), U64(0x9AE16A3B2F90404F)


# --- the byte matrix ---------------------------------------------------------------------------

def _byte_rows(strings, lens=None):
    """Strings (bytes) as a zero-padded uint8 matrix, 8 spare columns on the right so that any
    8-byte read from inside a string stays in the matrix, and their lengths (int64)."""
    if lens is None:
        lens = np.fromiter(map(len, strings), np.int64, len(strings))
    width = int(lens.max(initial=0)) + 8
    buf = np.zeros((len(strings), width), np.uint8)
    if lens.any():
        flat = np.frombuffer(b"".join(strings), np.uint8)
        # byte j of the joined text goes to j + (row start in buf - string start in the text)
        shift = np.arange(len(strings)) * width - (np.cumsum(lens) - lens)
        buf.reshape(-1)[np.arange(len(flat)) + np.repeat(shift, lens)] = flat
    return buf, lens


def hash_strings(strings, hash_fn, **attrs):
    """``hash_fn`` (a hash of a byte matrix and lengths) of each of ``strings``: uint64."""
    lens = np.fromiter(map(len, strings), np.int64, len(strings))
    longest = int(lens.max(initial=0))
    if longest <= 64 or len(strings) * longest <= 2 * int(lens.sum()):  # one matrix is small
        return hash_fn(*_byte_rows(strings, lens), **attrs)
    classes = np.ceil(np.log2(lens + 1)).astype(np.int64)
    kinds = np.unique(classes)
    items = np.empty(len(strings), object)
    items[:] = strings
    out = np.empty(len(strings), U64)
    for c in kinds:
        rows = np.flatnonzero(classes == c)
        out[rows] = hash_fn(*_byte_rows(items[rows].tolist(), lens[rows]), **attrs)
    return out


def _fetch(buf, offsets, size=8):
    """The little-endian ``size``-byte words of each row of ``buf`` at ``offsets`` (an int, or
    one offset per row)."""
    if isinstance(offsets, int):
        words = np.ascontiguousarray(buf[:, offsets:offsets + size])
    else:
        starts = np.arange(len(buf)) * buf.shape[1] + offsets
        words = buf.reshape(-1)[starts[:, None] + np.arange(size)]
    return words.view("<u8" if size == 8 else "<u4")[:, 0].astype(U64)


def _rot(v, shift):
    """Rotate right by ``shift`` (1..63) bits."""
    return (v >> U64(shift)) | (v << U64(64 - shift))


def _rotl(v, shift):
    return (v << U64(shift)) | (v >> U64(64 - shift))


def _shift_mix(v):
    return v ^ (v >> U64(47))


def _len16(u, v, mul):
    a = (u ^ v) * mul
    a ^= a >> U64(47)
    b = (v ^ a) * mul
    b ^= b >> U64(47)
    return b * mul


# --- FarmHash Fingerprint64 --------------------------------------------------------------------

def _farm_0_to_16(buf, n):
    out = np.full(len(n), K2, U64)
    n64 = n.astype(U64)
    mul = K2 + n64 * U64(2)
    big = n >= 8
    if big.any():
        b, m, k = buf[big], mul[big], n[big]
        a = _fetch(b, 0) + K2
        last = _fetch(b, k - 8)
        out[big] = _len16(_rot(last, 37) * m + a, (_rot(a, 25) + last) * m, m)
    mid = (n >= 4) & ~big
    if mid.any():
        b, k = buf[mid], n[mid]
        a = _fetch(b, 0, 4)
        out[mid] = _len16(n64[mid] + (a << U64(3)), _fetch(b, k - 4, 4), mul[mid])
    small = (n > 0) & (n < 4)
    if small.any():
        b, k = buf[small], n[small]
        rows = np.arange(len(k))
        first, middle, last = (b[rows, i].astype(U64) for i in (0, k >> 1, k - 1))
        y = first + (middle << U64(8))
        z = n64[small] + (last << U64(2))
        out[small] = _shift_mix(y * K2 ^ z * K0) * K2
    return out


def _farm_17_to_32(buf, n, mul):
    a = _fetch(buf, 0) * K1
    b = _fetch(buf, 8)
    c = _fetch(buf, n - 8) * mul
    d = _fetch(buf, n - 16) * K2
    return _len16(_rot(a + b, 43) + _rot(c, 30) + d, a + _rot(b + K2, 18) + c, mul)


def _farm_33_to_64(buf, n, mul):
    a = _fetch(buf, 0) * K2
    b = _fetch(buf, 8)
    c = _fetch(buf, n - 8) * mul
    d = _fetch(buf, n - 16) * K2
    y = _rot(a + b, 43) + _rot(c, 30) + d
    z = _len16(y, a + _rot(b + K2, 18) + c, mul)
    e = _fetch(buf, 16) * mul
    f = _fetch(buf, 24)
    g = (y + _fetch(buf, n - 32)) * mul
    h = (z + _fetch(buf, n - 24)) * mul
    return _len16(_rot(e + f, 43) + _rot(g, 30) + h, e + _rot(f + a, 18) + g, mul)


def _weak32(buf, at, a, b):
    """The 32-byte weak hash with seeds ``a``, ``b`` of the words at ``at``: a pair."""
    w, x, y, z = (_fetch(buf, at + 8 * i) for i in range(4))
    a = a + w
    b = _rot(b + a + z, 21)
    c = a
    a = a + x + y
    b = b + _rot(a, 44)
    return a + z, b + c


def _farm_round(buf, at, x, y, z, v, w, mul, last=False):
    """One 64-byte block of the long-string loop: the new (x, y, z, v, w)."""
    x = _rot(x + y + v[0] + _fetch(buf, at + 8), 37) * mul
    y = _rot(y + v[1] + _fetch(buf, at + 48), 42) * mul
    x = x ^ (w[1] * U64(9) if last else w[1])
    y = y + (v[0] * U64(9) if last else v[0]) + _fetch(buf, at + 40)
    z = _rot(z + w[0], 33) * mul
    v = _weak32(buf, at, v[1] * mul, x + w[0])
    w = _weak32(buf, at + 32, z + w[1], y + _fetch(buf, at + 16))
    return z, y, x, v, w  # x and z swap


def _farm_long(buf, n):
    seed = U64(81)
    count = len(n)
    zero = np.zeros(count, U64)
    y = zero + seed * K1 + U64(113)
    z = _shift_mix(y * K2 + U64(113)) * K2
    v, w = (zero, zero), (zero, zero)
    x = zero + seed * K2 + _fetch(buf, 0)
    blocks = (n - 1) // 64
    for i in range(int(blocks.max())):
        live = blocks > i
        state = _farm_round(buf[live], 64 * i, x[live], y[live], z[live],
                            (v[0][live], v[1][live]), (w[0][live], w[1][live]), K1)
        x, y, z, v, w = (_put(old, live, new) for old, new in zip((x, y, z, v, w), state))
    mul = K1 + ((z & U64(0xFF)) << U64(1))
    tail = ((n - 1) & 63).astype(U64)
    w0 = w[0] + tail
    v0 = v[0] + w0
    w0 = w0 + v0
    at = blocks * 64 + ((n - 1) & 63) - 63
    x, y, z, v, w = _farm_round(buf, at, x, y, z, (v0, v[1]), (w0, w[1]), mul, last=True)
    return _len16(_len16(v[0], w[0], mul) + _shift_mix(y) * K0 + z,
                  _len16(v[1], w[1], mul) + x, mul)


def _put(old, live, new):
    """``old`` with its ``live`` rows replaced by ``new`` (arrays, or pairs of arrays)."""
    if isinstance(old, tuple):
        return tuple(_put(o, live, n) for o, n in zip(old, new))
    out = old.copy()
    out[live] = new
    return out


def fingerprint64(buf, n):
    """FarmHash Fingerprint64 of each row's first ``n`` bytes: uint64."""
    out = np.empty(len(n), U64)
    with np.errstate(over="ignore"):
        mul = K2 + n.astype(U64) * U64(2)
        for sel, fn in ((n <= 16, _farm_0_to_16), ((n > 16) & (n <= 32), _farm_17_to_32),
                        ((n > 32) & (n <= 64), _farm_33_to_64), (n > 64, _farm_long)):
            if sel.any():
                args = (buf[sel], n[sel]) + ((mul[sel],) if fn in (_farm_17_to_32,
                                                                  _farm_33_to_64) else ())
                out[sel] = fn(*args)
    return out


# --- SipHash-2-4 -------------------------------------------------------------------------------

def _sip_rounds(v, rounds):
    v0, v1, v2, v3 = v
    for _ in range(rounds):
        v0 = v0 + v1
        v1 = _rotl(v1, 13) ^ v0
        v0 = _rotl(v0, 32)
        v2 = v2 + v3
        v3 = _rotl(v3, 16) ^ v2
        v0 = v0 + v3
        v3 = _rotl(v3, 21) ^ v0
        v2 = v2 + v1
        v1 = _rotl(v1, 17) ^ v2
        v2 = _rotl(v2, 32)
    return [v0, v1, v2, v3]


def _sip_block(v, m):
    v[3] = v[3] ^ m
    v = _sip_rounds(v, 2)
    v[0] = v[0] ^ m
    return v


def siphash(buf, n, key):
    """SipHash-2-4 of each row's first ``n`` bytes under the 128-bit ``key`` (two uint64)."""
    k0, k1 = (U64(int(k) % 2 ** 64) for k in key)
    zero = np.zeros(len(n), U64)
    with np.errstate(over="ignore"):
        v = [zero + (k0 ^ U64(0x736F6D6570736575)), zero + (k1 ^ U64(0x646F72616E646F6D)),
             zero + (k0 ^ U64(0x6C7967656E657261)), zero + (k1 ^ U64(0x7465646279746573))]
        blocks = n // 8
        for i in range(int(blocks.max(initial=0))):
            live = blocks > i
            new = _sip_block([p[live] for p in v], _fetch(buf[live], 8 * i))
            v = [_put(p, live, q) for p, q in zip(v, new)]
        last = _fetch(buf, blocks * 8) | (n.astype(U64) << U64(56))  # zero padding past n
        v = _sip_block(v, last)
        v[2] = v[2] ^ U64(0xFF)
        v = _sip_rounds(v, 4)
        return v[0] ^ v[1] ^ v[2] ^ v[3]


# --- TF's legacy Hash64 (MurmurHash64A) --------------------------------------------------------

def legacy_hash64(buf, n, seed=0xDECAFCAFFE):
    m = U64(0xC6A4A7935BD1E995)
    with np.errstate(over="ignore"):
        h = U64(seed) ^ (n.astype(U64) * m)
        blocks = n // 8
        for i in range(int(blocks.max(initial=0))):
            live = blocks > i
            k = _fetch(buf[live], 8 * i) * m
            k = _shift_mix(k) * m
            h[live] = (h[live] ^ k) * m
        tail = (n % 8) > 0
        h[tail] = (h[tail] ^ _fetch(buf[tail], blocks[tail] * 8)) * m  # zero padding past n
        h = _shift_mix(h) * m
        return _shift_mix(h)


# --- tf.sparse.cross_hashed's hash (keras.layers.HashedCrossing) -------------------------------

def hashed_cross(columns, num_buckets, key=0xDECAFCAFFE):
    """The hashed cross of equal-length columns (arrays of strings or integers): a chain, from
    ``key``, of each value's fingerprint (strings) or bits (integers) mixed in by FarmHash's
    64-bit concatenation, modulo ``num_buckets`` (int64)."""
    mul = U64(0xC6A4A7935BD1E995)
    with np.errstate(over="ignore"):
        out = np.full(len(columns[0]), U64(key))
        for column in columns:
            column = np.asarray(column)
            if column.dtype.kind == "O":
                value = hash_strings(_strings(column), fingerprint64)
            else:
                value = column.astype(np.int64).view(U64)
            mixed = (out ^ mul) ^ _shift_mix(value * mul) * mul
            out = _shift_mix(_shift_mix(mixed * mul) * mul)
    return (out % U64(num_buckets)).astype(np.int64)


# --- the ops -----------------------------------------------------------------------------------

def _strings(value):
    """A string array's elements as a list of bytes."""
    items = np.asarray(value, object).reshape(-1).tolist()
    if set(map(type, items)) <= {bytes}:
        return items
    return [s.encode("utf-8") if isinstance(s, str) else bytes(s) for s in items]


def buckets(strings, num_buckets, hash_fn=fingerprint64, **attrs):
    """``hash_fn`` of each of ``strings`` (bytes) modulo ``num_buckets``: int64."""
    return (hash_strings(strings, hash_fn, **attrs) % U64(num_buckets)).astype(np.int64)


def _bucket_forward(hash_fn):
    def fwd(x, num_buckets, **attrs):
        x = np.asarray(x, object)
        return buckets(_strings(x), num_buckets, hash_fn, **attrs).reshape(x.shape)
    return fwd


def _elementwise_int64(x, *rest, **attrs):
    return x.dims, np.dtype(np.int64)


def _bucket_primitive(name, hash_fn):
    prim = not_differentiable(primitive(name, _bucket_forward(hash_fn), save=()))
    prim.shape_fn = _elementwise_int64
    return prim


HASH_FAST = _bucket_primitive("StringToHashBucketFast", fingerprint64)
HASH_STRONG = _bucket_primitive("StringToHashBucketStrong", siphash)
HASH_LEGACY = _bucket_primitive("StringToHashBucket", legacy_hash64)


def _over_ragged(op):
    """An elementwise string op that also takes a RaggedTensor (as TF dispatches them): its flat
    values go through ``op``, its row partition stays."""
    @functools.wraps(op)
    def dispatch(*args, **kwargs):
        first = args[0] if args else next(iter(kwargs.values()), None)
        if isinstance(first, RaggedTensor):
            flat = first.flat_values
            if args:
                args = (flat,) + args[1:]
            else:
                kwargs[next(iter(kwargs))] = flat
            return first.with_flat_values(op(*args, **kwargs))
        return op(*args, **kwargs)
    return dispatch


def _name(x):
    """The `` name: `` suffix of an op's error: eager TF's fast path (tensors and arrays) adds
    it, the slow path (Python lists and scalars) does not."""
    return "" if isinstance(x, Tensor | np.ndarray) else None


def _string_input(x, num_buckets, op_type, attrs=""):
    """``x`` as a string tensor, after TF's checks of it and of ``num_buckets`` (its messages
    end with `` name: `` when ``x`` was already a tensor, as eager TF's fast path words them)."""
    name = _name(x)
    if num_buckets < 1:
        raise errors.op_error(
            op_type, f"Value for attr 'num_buckets' of {num_buckets} must be at least minimum 1"
            f"\n\t; NodeDef: {{{{node {op_type}}}}}; Op<name={op_type}; signature=input:string "
            f"-> output:int64; attr=num_buckets:int,min=1{attrs}>", name=name)
    x = tensor(x)
    if x._value.dtype.kind != "O":
        raise errors.op_error(op_type, f"cannot compute {op_type} as input #0(zero-based) was "
                              f"expected to be a string tensor but is a {x.dtype._op_name} "
                              f"tensor", name=name)
    return x


@_over_ragged
def to_hash_bucket_fast(input, num_buckets, name=None):  # noqa: A002 - TF's argument name
    """``tf.strings.to_hash_bucket_fast``: FarmHash Fingerprint64 of each string, modulo
    ``num_buckets`` (int64, the input's shape)."""
    x = _string_input(input, num_buckets, "StringToHashBucketFast")
    return apply(HASH_FAST, [x], {"num_buckets": int(num_buckets)})


@_over_ragged
def to_hash_bucket_strong(input, num_buckets, key, name=None):  # noqa: A002
    """``tf.strings.to_hash_bucket_strong``: SipHash-2-4 keyed by ``key`` (two integers)."""
    op_type = "StringToHashBucketStrong"
    x = _string_input(input, num_buckets, op_type, "; attr=key:list(int)")
    key = [int(k) for k in key]
    if any(not -2 ** 63 <= k < 2 ** 63 for k in key):
        raise OverflowError("int too big to convert")
    if len(key) != 2:
        raise errors.op_error(op_type, "Key must have 2 elements", kernel=True,
                              name=_name(input))
    return apply(HASH_STRONG, [x], {"num_buckets": int(num_buckets), "key": tuple(key)})


@_over_ragged
def to_hash_bucket(string_tensor, num_buckets, name=None):
    """``tf.strings.to_hash_bucket``: TF's legacy (deprecated) string hash, modulo
    ``num_buckets``."""
    x = _string_input(string_tensor, num_buckets, "StringToHashBucket")
    return apply(HASH_LEGACY, [x], {"num_buckets": int(num_buckets)})


def _padded(raw):
    """Equal-length byte rows (uint8 [rows, n]) as a byte matrix and its lengths."""
    rows, n = raw.shape
    return np.concatenate([raw, np.zeros((rows, 8), np.uint8)], 1), np.full(rows, n, np.int64)


def _fingerprint_forward(data, method):
    data = np.asarray(data)
    rows = data.shape[0]
    if data.dtype.kind == "O" and data.size == rows:
        return hash_strings(_strings(data), fingerprint64).astype("<u8").view(np.uint8) \
            .reshape(rows, 8)
    if data.dtype.kind == "O":  # several strings a row: the fingerprint of their fingerprints
        buf, n = _padded(hash_strings(_strings(data), fingerprint64).astype("<u8")
                         .view(np.uint8).reshape(rows, -1))
    else:
        buf, n = _padded(np.ascontiguousarray(data).reshape(rows, -1).view(np.uint8)
                         .reshape(rows, -1))
    return fingerprint64(buf, n).astype("<u8").view(np.uint8).reshape(rows, 8)


FINGERPRINT = not_differentiable(primitive("Fingerprint", _fingerprint_forward, save=()))
FINGERPRINT.shape_fn = lambda x, **attrs: (
    None if x.dims is None else (x.dims[0], 8), np.dtype(np.uint8))


def fingerprint(data, method="farmhash64", name=None):
    """``tf.fingerprint``: each row's 8-byte FarmHash Fingerprint64 (uint8, shape [rows, 8])."""
    data = tensor(data)
    if data.ndim < 1:
        raise errors.op_error("Fingerprint", f"`data` should have at least one dimension: "
                              f"{list(data.shape)}", kernel=True, name=None)
    if method != "farmhash64":
        raise errors.op_error("Fingerprint", f"Unsupported fingerprint method: {method}",
                              kernel=True, name=None)
    return apply(FINGERPRINT, [data], {"method": method})


# --- elementwise text ops (what text preprocessing, TextVectorization's standardize, uses) -----

def _elementwise(name, fn, out_dtype=object):
    """A string -> ``out_dtype`` primitive applying ``fn(bytes, **attrs)`` to each element."""
    def fwd(x, **attrs):
        x = np.asarray(x, object)
        out = np.empty(x.shape, out_dtype)
        out.reshape(-1)[:] = [fn(v, **attrs) for v in _strings(x)]
        return out
    prim = not_differentiable(primitive(name, fwd, save=()))
    prim.shape_fn = lambda x, **attrs: (x.dims, np.dtype(out_dtype))
    return prim


def _case(text, encoding, method):
    if encoding:  # Unicode case mapping of the decoded text; "" maps ASCII letters only
        return getattr(text.decode(encoding), method)().encode(encoding)
    return getattr(text, method)()


LOWER = _elementwise("StringLower", lambda v, encoding: _case(v, encoding, "lower"))
UPPER = _elementwise("StringUpper", lambda v, encoding: _case(v, encoding, "upper"))
STRIP = _elementwise("StringStrip", bytes.strip)
LENGTH = _elementwise("StringLength", lambda v, unit: len(v) if unit == "BYTE" else
                      len(v.decode("utf-8", "replace")), np.int32)


def _string_tensor(x, op_type):
    t = tensor(x)
    if t._value.dtype.kind != "O":
        raise errors.op_error(op_type, f"cannot compute {op_type} as input #0(zero-based) was "
                              f"expected to be a string tensor but is a {t.dtype._op_name} "
                              f"tensor", name=_name(x))
    return t


@_over_ragged
def lower(input, encoding="", name=None):  # noqa: A002
    """``tf.strings.lower``: ASCII letters lower-cased (all of Unicode with ``encoding``)."""
    return apply(LOWER, [_string_tensor(input, "StringLower")], {"encoding": encoding})


@_over_ragged
def upper(input, encoding="", name=None):  # noqa: A002
    """``tf.strings.upper``."""
    return apply(UPPER, [_string_tensor(input, "StringUpper")], {"encoding": encoding})


@_over_ragged
def strip(input, name=None):  # noqa: A002
    """``tf.strings.strip``: leading and trailing ASCII whitespace removed."""
    return apply(STRIP, [_string_tensor(input, "StringStrip")], {})


@_over_ragged
def length(input, unit="BYTE", name=None):  # noqa: A002
    """``tf.strings.length``: int32 lengths in bytes, or in UTF-8 characters."""
    if unit not in ("BYTE", "UTF8_CHAR"):
        raise errors.op_error("StringLength", f"Value for attr 'unit' of \"{unit}\" is not in "
                              f"the list of allowed values: \"BYTE\", \"UTF8_CHAR\"\n\t; "
                              f"NodeDef: {{{{node StringLength}}}}; Op<name=StringLength; "
                              f"signature=input:string -> output:int32; attr=unit:string,"
                              f"default=\"BYTE\",allowed=[\"BYTE\", \"UTF8_CHAR\"]>")
    return apply(LENGTH, [_string_tensor(input, "StringLength")], {"unit": unit})


def _pattern(pattern):
    if isinstance(pattern, Tensor):
        pattern = pattern.numpy()
    return pattern if isinstance(pattern, bytes) else str(pattern).encode("utf-8")


def _rewrite(rewrite):
    r"""RE2's rewrite string (``\0`` the whole match, ``\1``.. the groups) for Python's ``re``."""
    return _pattern(rewrite).replace(b"\\0", b"\\g<0>")


def _regex(op_type, pattern):
    import re
    try:
        return re.compile(_pattern(pattern))
    except re.error as e:
        raise errors.op_error(op_type, f"Invalid pattern: {_pattern(pattern).decode()}, "
                              f"error: {e}", kernel=True) from None


REGEX_REPLACE = _elementwise("StaticRegexReplace", lambda v, regex, rewrite, count:
                             regex.sub(rewrite, v, count=count))
REGEX_FULL_MATCH = _elementwise("StaticRegexFullMatch",
                                lambda v, regex: regex.fullmatch(v) is not None, bool)


@_over_ragged
def regex_replace(input, pattern, rewrite, replace_global=True, name=None):  # noqa: A002
    """``tf.strings.regex_replace``: matches of ``pattern`` (RE2 syntax, as far as Python's
    ``re`` shares it) replaced by ``rewrite`` (all of them, or the first)."""
    x = _string_tensor(input, "StaticRegexReplace")
    return apply(REGEX_REPLACE, [x], {"regex": _regex("StaticRegexReplace", pattern),
                                      "rewrite": _rewrite(rewrite),
                                      "count": 0 if replace_global else 1})


@_over_ragged
def regex_full_match(input, pattern, name=None):  # noqa: A002
    """``tf.strings.regex_full_match``: whether each whole string matches ``pattern``."""
    x = _string_tensor(input, "StaticRegexFullMatch")
    return apply(REGEX_FULL_MATCH, [x], {"regex": _regex("StaticRegexFullMatch", pattern)})


def _join_forward(*parts, separator):
    parts = np.broadcast_arrays(*[np.asarray(p, object) for p in parts])
    out = np.empty(parts[0].shape, object)
    flat = [_strings(p) for p in parts]
    out.reshape(-1)[:] = [separator.join(row) for row in zip(*flat)]
    return out


JOIN = not_differentiable(primitive("StringJoin", _join_forward, save=()))
JOIN.shape_fn = lambda *xs, **attrs: (
    None if any(x.dims is None for x in xs) else max((x.dims for x in xs), key=len),
    np.dtype(object))


def join(inputs, separator="", name=None):
    """``tf.strings.join``: the strings of ``inputs`` (same shapes, or scalars) joined
    element by element."""
    tensors = [_string_tensor(x, "StringJoin") for x in inputs]
    shapes = [tuple(t.shape) for t in tensors if t.shape.rank]
    other = next((s for s in shapes if s != shapes[0]), None)
    if other is not None:
        raise errors.op_error("StringJoin", f"Input shapes do not match: "
                              f"[{','.join(map(str, shapes[0]))}] vs. "
                              f"[{','.join(map(str, other))}]",
                              kernel=f"StringJoin_N_{len(tensors)}", name="")
    return apply(JOIN, tensors, {"separator": _pattern(separator)})


_NUMBER_TYPES = {"float32": np.float32, "float64": np.float64, "int32": np.int32,
                 "int64": np.int64}


def _number(v, out_type):
    text = v.decode("utf-8", "replace").strip()
    try:
        if out_type in ("int32", "int64"):
            value = int(text)
            info = np.iinfo(_NUMBER_TYPES[out_type])
            if not info.min <= value <= info.max:
                raise ValueError
            return value
        if text.lower().lstrip("+-") in ("inf", "infinity", "nan"):
            return float(text)
        float(text.replace("_", "x"))  # Python's underscores are not C's
        return float(text)
    except ValueError:
        raise errors.op_error("StringToNumber", f"StringToNumberOp could not correctly convert "
                              f"string: {v.decode('utf-8', 'replace')}", kernel=True,
                              name=None) from None


def _to_number_forward(x, out_type):
    x = np.asarray(x, object)
    values = [_number(v, out_type) for v in _strings(x)]
    return np.array(values, _NUMBER_TYPES[out_type]).reshape(x.shape)


TO_NUMBER = not_differentiable(primitive("StringToNumber", _to_number_forward, save=()))
TO_NUMBER.shape_fn = lambda x, out_type: (x.dims, np.dtype(_NUMBER_TYPES[out_type]))


@_over_ragged
def to_number(string_tensor, out_type=None, name=None):
    """``tf.strings.to_number``: decimal text to float32 (or ``out_type``)."""
    from ..framework import dtypes
    out = dtypes.float32 if out_type is None else dtypes.as_dtype(out_type)
    if out.name not in _NUMBER_TYPES:
        raise TypeError(f"Value passed to parameter 'out_type' has DataType {out.name} not in "
                        f"list of allowed values: float32, float64, int32, int64")
    return apply(TO_NUMBER, [_string_tensor(string_tensor, "StringToNumber")],
                 {"out_type": out.name})


def _substr(v, pos, len, unit, index, name):  # noqa: A002
    text = v.decode("utf-8", "replace") if unit == "UTF8_CHAR" else v
    size = builtins.len(text)
    start = pos + size if pos < 0 else pos
    if not 0 <= start <= size:
        raise errors.op_error("Substr", f"pos {pos} out of range for string b'{v.decode()}' at "
                              f"index {index}", kernel=True, name=name)
    piece = text[start:start + max(len, 0)]
    return piece.encode("utf-8") if unit == "UTF8_CHAR" else piece


def _substr_forward(x, pos, len, unit, name):  # noqa: A002
    x = np.asarray(x, object)
    out = np.empty(x.shape, object)
    out.reshape(-1)[:] = [_substr(v, pos, len, unit, i, name)
                          for i, v in enumerate(_strings(x))]
    return out


SUBSTR = not_differentiable(primitive("Substr", _substr_forward, save=()))
SUBSTR.shape_fn = lambda x, **attrs: (x.dims, np.dtype(object))


@_over_ragged
def substr(input, pos, len, unit="BYTE", name=None):  # noqa: A002
    """``tf.strings.substr`` with integer ``pos`` and ``len``: ``len`` bytes (or UTF-8
    characters) from ``pos`` (from the end when negative)."""
    return apply(SUBSTR, [_string_tensor(input, "Substr")],
                 {"pos": int(pos), "len": int(len), "unit": unit, "name": _name(input)})


def _reduce_join_forward(x, axes, keepdims, separator):
    x = np.asarray(x, object)
    moved = np.moveaxis(x, axes, range(-builtins.len(axes), 0)) if axes else x
    rows = moved.reshape(moved.shape[:moved.ndim - builtins.len(axes)] + (-1,))
    out = np.empty(rows.shape[:-1], object)
    out.reshape(-1)[:] = [separator.join(_strings(r)) for r in rows.reshape(-1, rows.shape[-1])]
    if keepdims:
        out = np.expand_dims(out, tuple(sorted(axes)))
    return out


REDUCE_JOIN = not_differentiable(primitive("ReduceJoin", _reduce_join_forward, save=()))
REDUCE_JOIN.shape_fn = lambda x, axes, keepdims, separator: (
    None if x.dims is None else tuple(1 if i in axes else d for i, d in enumerate(x.dims)
                                      if keepdims or i not in axes), np.dtype(object))


def reduce_join(inputs, axis=None, keepdims=False, separator="", name=None):
    """``tf.strings.reduce_join``: the strings along ``axis`` (all axes when None) joined; a
    RaggedTensor joins its rows."""
    if isinstance(inputs, RaggedTensor):
        if axis not in (-1, inputs.shape.rank - 1):
            raise NotImplementedError("tapeflow's reduce_join joins a RaggedTensor along its "
                                      "last axis only")
        values, splits = _strings(inputs.flat_values.numpy()), inputs.row_splits.numpy()
        sep = _pattern(separator)
        joined = [sep.join(values[a:b]) for a, b in zip(splits[:-1], splits[1:])]
        return wrap(np.array(joined + [b""], object)[:-1])
    x = _string_tensor(inputs, "ReduceJoin")
    rank = x.shape.rank
    axes = range(rank) if axis is None else [axis] if isinstance(axis, int) else axis
    axes = tuple(sorted({int(a) % rank for a in axes})) if rank else ()
    return apply(REDUCE_JOIN, [x], {"axes": axes, "keepdims": bool(keepdims),
                                    "separator": _pattern(separator)})


def _ragged_pieces(input, pieces, op_type, dtype=object):  # noqa: A002
    """A RaggedTensor of ``pieces(bytes)`` for each string of ``input`` (a 1-D tensor of them
    for a scalar; ragged in the last axis for higher ranks)."""
    x = _string_tensor(input, op_type)
    parts = [pieces(v) for v in _strings(x.numpy())]
    flat = np.empty(sum(map(builtins.len, parts)), dtype)
    flat[:] = [p for row in parts for p in row]
    if x.shape.rank == 0:
        return wrap(flat)
    lengths = np.array([builtins.len(row) for row in parts], np.int64)
    out = RaggedTensor.from_row_splits(flat, np.concatenate([[0], np.cumsum(lengths)]))
    for dim in reversed(x.shape[1:]):  # the outer dimensions, uniform
        out = RaggedTensor.from_row_splits(out, np.arange(0, out.nrows_int() + 1, dim))
    return out


def split(input, sep=None, maxsplit=-1, name=None):  # noqa: A002
    """``tf.strings.split``: each string split at ``sep`` (at runs of whitespace when None)."""
    sep = None if sep is None else _pattern(sep)
    if sep == b"":
        raise errors.op_error("StringSplitV2", "sep must not be empty", kernel=True, name=None)
    return _ragged_pieces(input, lambda v: v.split(sep, maxsplit), "StringSplitV2")


def bytes_split(input, name=None):  # noqa: A002
    """``tf.strings.bytes_split``: each string's bytes, one string each."""
    return _ragged_pieces(input, lambda v: [v[i:i + 1] for i in range(builtins.len(v))],
                          "StringSplitV2")


def _decoded(v, input_encoding, errors, replacement_char):
    text = v.decode(input_encoding, "strict" if errors == "strict" else "replace")
    if errors == "ignore":
        return text.replace("\ufffd", "")
    return text.replace("\ufffd", chr(replacement_char))


def _decoded_at(v, input_encoding, errors, replacement_char):
    """Each decoded character with the byte offset where it starts, decoded byte by byte (a
    replacement character starts where its bad bytes do)."""
    decoder = codecs.getincrementaldecoder(input_encoding)(
        "strict" if errors == "strict" else "replace")
    out, start = [], 0
    for i in builtins.range(builtins.len(v) + 1):
        text = decoder.decode(v[i:i + 1], final=i == builtins.len(v))
        for k, c in enumerate(text):  # the last ones of several ended at this byte
            out.append((c, start if k == 0 else i))
        if text:
            start = i + 1
    if errors == "ignore":
        return [(c, o) for c, o in out if c != "\ufffd"]
    return [(chr(replacement_char) if c == "\ufffd" else c, o) for c, o in out]


def unicode_decode_with_offsets(input, input_encoding, errors="replace",  # noqa: A002
                                replacement_char=65533, replace_control_characters=False,
                                name=None):
    """``tf.strings.unicode_decode_with_offsets``: each string's code points (int32) and the
    byte offsets where they start (int64)."""
    decoded = _decoder_at(input_encoding, errors, replacement_char)

    def points(v):
        codes = [ord(c) for c, _ in decoded(v)]
        if replace_control_characters:
            codes = [replacement_char if c < 32 or 127 <= c < 160 else c for c in codes]
        return codes
    return (_ragged_pieces(input, points, "UnicodeDecodeWithOffsets", np.int32),
            _ragged_pieces(input, lambda v: [o for _, o in decoded(v)],
                           "UnicodeDecodeWithOffsets", np.int64))


def unicode_split_with_offsets(input, input_encoding, errors="replace",  # noqa: A002
                               replacement_char=65533, name=None):
    """``tf.strings.unicode_split_with_offsets``: each string's characters (UTF-8) and the byte
    offsets where they start."""
    decoded = _decoder_at(input_encoding, errors, replacement_char)
    return (_ragged_pieces(input, lambda v: [c.encode("utf-8") for c, _ in decoded(v)],
                           "UnicodeDecodeWithOffsets"),
            _ragged_pieces(input, lambda v: [o for _, o in decoded(v)],
                           "UnicodeDecodeWithOffsets", np.int64))


def _decoder_at(input_encoding, errors, replacement_char):
    """:func:`_decoded_at` of each string, decoded once for the characters and the offsets."""
    return functools.lru_cache(maxsize=None)(
        lambda v: _decoded_at(v, input_encoding, errors, replacement_char))


def unicode_split(input, input_encoding, errors="replace", replacement_char=65533,  # noqa: A002
                  name=None):
    """``tf.strings.unicode_split``: each string's characters, UTF-8 encoded."""
    return _ragged_pieces(input, lambda v: [c.encode("utf-8") for c in _decoded(
        v, input_encoding, errors, replacement_char)], "UnicodeDecode")


def unicode_decode(input, input_encoding, errors="replace", replacement_char=65533,  # noqa: A002
                   replace_control_characters=False, name=None):
    """``tf.strings.unicode_decode``: each string's code points (int32)."""
    def points(v):
        codes = [ord(c) for c in _decoded(v, input_encoding, errors, replacement_char)]
        if replace_control_characters:
            codes = [replacement_char if c < 32 or 127 <= c < 160 else c for c in codes]
        return codes
    return _ragged_pieces(input, points, "UnicodeDecode", np.int32)


def _transcoded(v, input_encoding, output_encoding, errors, replacement_char,
                replace_control_characters):
    text = _decoded(v, input_encoding, errors, replacement_char)
    if replace_control_characters:
        text = "".join(chr(replacement_char) if ord(c) < 32 or 127 <= ord(c) < 160 else c
                       for c in text)
    return text.encode(output_encoding)


TRANSCODE = _elementwise("UnicodeTranscode", _transcoded)


@_over_ragged
def unicode_transcode(input, input_encoding, output_encoding, errors="replace",  # noqa: A002
                      replacement_char=65533, replace_control_characters=False, name=None):
    """``tf.strings.unicode_transcode``: each string decoded and encoded again (invalid input
    replaced by ``replacement_char``, dropped with ``errors="ignore"``)."""
    return apply(TRANSCODE, [_string_tensor(input, "UnicodeTranscode")],
                 {"input_encoding": input_encoding, "output_encoding": output_encoding,
                  "errors": errors, "replacement_char": int(replacement_char),
                  "replace_control_characters": bool(replace_control_characters)})


def unicode_encode(input, output_encoding, errors="replace", replacement_char=65533,  # noqa: A002
                   name=None):
    """``tf.strings.unicode_encode``: code points (int32, the last axis of a tensor or the rows
    of a RaggedTensor) to strings."""
    def text(codes):
        chars = []
        for c in codes:
            if 0 <= c <= 0x10FFFF and not 0xD800 <= c <= 0xDFFF:
                chars.append(chr(c))
            elif errors == "strict":
                raise errors_module.op_error("UnicodeEncode", f"Invalid code point: {c}",
                                             kernel=True, name=None)
            elif errors == "replace":
                chars.append(chr(replacement_char))
        return "".join(chars).encode(output_encoding)  # UTF-8, UTF-16-BE, UTF-32-BE
    if isinstance(input, RaggedTensor):
        codes, splits = np.asarray(input.flat_values.numpy()), input.row_splits.numpy()
        rows = [text(codes[a:b]) for a, b in zip(splits[:-1], splits[1:])]
        return wrap(np.array(rows + [b""], object)[:-1])
    x = tensor(input)
    values = np.asarray(x.numpy())
    out = np.empty(values.shape[:-1], object)
    out.reshape(-1)[:] = [text(row) for row in values.reshape(-1, values.shape[-1])]
    return wrap(out)


def _ngrams(tokens, widths, separator, pad, padding_width, preserve_short):
    out = []
    for width in widths:
        side = width - 1 if padding_width is None else min(padding_width, width - 1)
        seq = [pad[0]] * side + list(tokens) + [pad[1]] * side if pad else list(tokens)
        grams = [separator.join(seq[i:i + width]) for i in range(builtins.len(seq) - width + 1)]
        if not grams and preserve_short and seq:
            grams = [separator.join(seq)]
        out += grams
    return out


def ngrams(data, ngram_width, separator=" ", pad_values=None, padding_width=None,
           preserve_short_sequences=False, name=None):
    """``tf.strings.ngrams``: the ``ngram_width``-grams (one width or several) of the last axis
    of ``data`` (a tensor or a RaggedTensor), joined by ``separator``, optionally padded."""
    widths = [ngram_width] if isinstance(ngram_width, int) else list(ngram_width)
    sep = _pattern(separator)
    if pad_values is not None:
        pad = (pad_values, pad_values) if isinstance(pad_values, str | bytes) else pad_values
        pad = tuple(_pattern(p) for p in pad)
    else:
        pad = None
    def grams(row):
        return _ngrams(_strings(np.asarray(row, object)), widths, sep, pad, padding_width,
                       preserve_short_sequences)
    if isinstance(data, RaggedTensor):
        values, splits = data.flat_values.numpy(), data.row_splits.numpy()
        rows = [grams(values[a:b]) for a, b in zip(splits[:-1], splits[1:])]
        flat = np.empty(sum(map(builtins.len, rows)), object)
        flat[:] = [g for row in rows for g in row]
        lengths = np.array([builtins.len(r) for r in rows], np.int64)
        return RaggedTensor.from_row_splits(flat, np.concatenate([[0], np.cumsum(lengths)]))
    x = _string_tensor(data, "StringNGrams")
    values = x.numpy()
    rows = [grams(row) for row in np.asarray(values, object).reshape(-1, values.shape[-1])]
    out = np.empty((builtins.len(rows), builtins.len(rows[0]) if rows else 0), object)
    for i, row in enumerate(rows):
        out[i, :] = row
    return wrap(out.reshape(values.shape[:-1] + (out.shape[-1],)))


def _segment_join_forward(x, ids, num_segments, separator):
    x, ids = np.asarray(x, object), np.asarray(ids)
    inner = x.shape[ids.ndim:]
    parts = [[[] for _ in range(int(np.prod(inner, dtype=np.int64)))]
             for _ in range(num_segments)]
    rows = x.reshape((-1,) + (int(np.prod(inner, dtype=np.int64)),))
    for row, seg in zip(rows, ids.reshape(-1)):
        if 0 <= seg < num_segments:
            for j, v in enumerate(_strings(row)):
                parts[seg][j].append(v)
    out = np.empty((num_segments, builtins.len(rows[0]) if builtins.len(rows) else 0), object)
    for i, seg in enumerate(parts):
        out[i, :] = [separator.join(p) for p in seg]
    return out.reshape((num_segments,) + inner)


SEGMENT_JOIN = not_differentiable(primitive("UnsortedSegmentJoin", _segment_join_forward,
                                            save=()))
SEGMENT_JOIN.shape_fn = lambda x, ids, num_segments, separator: (
    None if x.dims is None or ids.dims is None else
    (num_segments,) + tuple(x.dims[builtins.len(ids.dims):]), np.dtype(object))


def unsorted_segment_join(inputs, segment_ids, num_segments, separator="", name=None):
    """``tf.strings.unsorted_segment_join``: the strings of each segment joined, in order."""
    x = _string_tensor(inputs, "UnsortedSegmentJoin")
    return apply(SEGMENT_JOIN, [x, tensor(segment_ids)],
                 {"num_segments": int(num_segments), "separator": _pattern(separator)})


EXPORTS = {
    "strings": ["to_hash_bucket_fast", "to_hash_bucket_strong", "to_hash_bucket", "lower",
                "upper", "strip", "length", "regex_replace", "regex_full_match", "join",
                "to_number", "as_string", "substr", "reduce_join", "split", "bytes_split",
                "unicode_split", "unicode_decode", "unicode_encode", "ngrams",
                "unicode_decode_with_offsets", "unicode_split_with_offsets",
                "unsorted_segment_join", "unicode_transcode"],
    "": ["fingerprint"],
}
