"""TF's counter-based random numbers: Philox-4x32-10 and the distributions TF's kernels build on
it, so seeded draws equal TensorFlow's bit for bit.

A ``Philox`` holds a 64-bit key (two 32-bit words) and a 128-bit counter (four words). Block
``i`` of a draw is the 10-round Philox function of ``counter + i``; a distribution fills its output
in groups, group ``g`` from block ``g`` (one block makes 4 floats, 2 doubles, 4 int32 or 2 int64
values) or, for the truncated normal (which rejects samples), from blocks ``256 g`` onwards (128 g
for doubles), as
TF's ``FillPhiloxRandom``. A stateful op then moves its counter on by 256 blocks per output value.

Seeds: an op with seeds (seed, seed2) starts at key ``seed``, counter ``[0, seed2]``; a stateless
seed pair is scrambled into a key and counter by one Philox call; a ``tf.random.Generator``'s
int64 state ``[counter low, counter high, key]`` is the counter and key themselves.
"""

import ctypes
import math

import numpy as np

_M0, _M1 = np.uint64(0xD2511F53), np.uint64(0xCD9E8D57)
_W0, _W1 = 0x9E3779B9, 0xBB67AE85
_LOW = np.uint64(0xFFFFFFFF)
_32 = np.uint64(32)
RESERVED = 256  # blocks a stateful op's counter moves on per output value


def philox_blocks(key, counter, n):
    """``n`` Philox-4x32-10 outputs for ``counter + 0 .. n-1``: a uint32 array ``[n, 4]``."""
    return philox_at(key, counter, np.arange(n, dtype=np.uint64))


def philox_at(key, counter, offsets):
    """The Philox-4x32-10 outputs for ``counter + offsets`` (uint64): uint32 ``[n, 4]``.

    The four counter words run through the rounds as uint64 arrays (a 32x32-bit product needs
    64 bits), updated in place chunk by chunk so that a chunk's arrays stay in the cache:
    4M values took 0.31 s as whole-array expressions, 0.017 s so."""
    start = counter[0] | counter[1] << 32
    high = counter[2] | counter[3] << 32
    n = len(offsets)
    out = np.empty((n, 4), np.uint32)
    if not n:
        return out
    keys = [(np.uint64((key[0] + r * _W0) & 0xFFFFFFFF), np.uint64((key[1] + r * _W1) & 0xFFFFFFFF))
            for r in range(10)]
    size = min(n, _CHUNK)
    c0, c1, c2, c3, p0, p1 = (np.empty(size, np.uint64) for _ in range(6))
    wraps = start + int(offsets.max()) >= 1 << 64
    for lo in range(0, n, _CHUNK):
        hi = min(n, lo + _CHUNK)
        k = hi - lo
        w0, w1, w2, w3, q0, q1 = c0[:k], c1[:k], c2[:k], c3[:k], p0[:k], p1[:k]
        if wraps:  # the low half wraps: carry into the high half, in Python ints
            values = [start + int(i) for i in offsets[lo:hi]]
            q0[:] = [v & 0xFFFFFFFFFFFFFFFF for v in values]
            q1[:] = [(high + (v >> 64)) & 0xFFFFFFFFFFFFFFFF for v in values]
        else:
            np.add(offsets[lo:hi], np.uint64(start), out=q0)
            q1.fill(high)
        np.bitwise_and(q0, _LOW, out=w0)
        np.right_shift(q0, _32, out=w1)
        np.bitwise_and(q1, _LOW, out=w2)
        np.right_shift(q1, _32, out=w3)
        for k0, k1 in keys:
            np.multiply(w0, _M0, out=q0)
            np.multiply(w2, _M1, out=q1)
            np.right_shift(q1, _32, out=w0)  # new word 0 from the old word 1 (not yet replaced)
            w0 ^= w1
            w0 ^= k0
            np.bitwise_and(q1, _LOW, out=w1)
            np.right_shift(q0, _32, out=w2)
            w2 ^= w3
            w2 ^= k1
            np.bitwise_and(q0, _LOW, out=w3)
        block = out[lo:hi]
        block[:, 0], block[:, 1], block[:, 2], block[:, 3] = w0, w1, w2, w3
    return out


_CHUNK = 1 << 14  # blocks a pass: six uint64 arrays of it (768 KB) stay in the cache


class Philox:
    """A key and a counter (Python ints, 32-bit words) that draw TF's distributions."""

    __slots__ = ("key", "counter", "seeds")

    def __init__(self, key, counter):
        self.key = [int(k) & 0xFFFFFFFF for k in key]
        self.counter = [int(c) & 0xFFFFFFFF for c in counter]
        self.seeds = None

    @classmethod
    def from_seeds(cls, seed, seed2):
        """The generator of an op seeded (seed, seed2) (TF's ``PhiloxRandom(seed, seed2)``);
        ``seeds`` keeps them (a SavedModel's op starts again from its seeds)."""
        gen = cls(_words(seed), [0, 0] + _words(seed2))
        gen.seeds = (int(seed), int(seed2))
        return gen

    @classmethod
    def from_stateless(cls, pair):
        """A stateless seed pair, scrambled as TF's ``StatelessRandomGetKeyCounter``."""
        mix = philox_blocks([0x3EC8F720, 0x02461E29], _words(pair[0]) + _words(pair[1]), 1)[0]
        return cls(mix[:2], [0, 0, mix[2], mix[3]])

    @classmethod
    def from_state(cls, state):
        """A Generator's Philox state ``[counter low, counter high, key]`` (int64 words)."""
        return cls(_words(state[2]), _words(state[0]) + _words(state[1]))

    def state(self):
        """The int64 state vector ``[counter low, counter high, key]``."""
        words = [self.counter[0] | self.counter[1] << 32, self.counter[2] | self.counter[3] << 32,
                 self.key[0] | self.key[1] << 32]
        return np.array(words, np.uint64).view(np.int64)

    def skip(self, blocks):
        """Move the counter on by ``blocks`` (a stateful op: 256 per value it drew)."""
        value = sum(c << (32 * i) for i, c in enumerate(self.counter)) + int(blocks)
        self.counter = [(value >> (32 * i)) & 0xFFFFFFFF for i in range(4)]

    def blocks(self, n, start=0):
        if start:
            shifted = Philox(self.key, self.counter)
            shifted.skip(start)
            return shifted.blocks(n)
        return philox_blocks(self.key, self.counter, n)

    # --- distributions (``shape`` a tuple, ``dtype`` a NumPy dtype) ---------------------------

    def _words(self, size, per_block):
        """One word per value (``per_block`` values a block) or two (int64/float64)."""
        n = -(-size // per_block)
        return self.blocks(n).reshape(-1)

    def uniform(self, shape, dtype):
        dtype = np.dtype(dtype)
        size = math.prod(shape)
        if dtype == np.float64:
            w = self._words(size, 2).reshape(-1, 2)
            out = _to_double(w[:, 0], w[:, 1])
        else:
            out = _to_float(self._words(size, 4), dtype)
        return out[:size].reshape(shape).astype(dtype, copy=False)

    def normal(self, shape, dtype):
        dtype = np.dtype(dtype)
        size = math.prod(shape)
        if dtype == np.float64:
            w = self._words(size, 2).reshape(-1, 4)
            out = np.stack(_box_muller_double(w.T), -1).reshape(-1)
        else:
            w = self._words(size, 4).reshape(-1, 2)
            out = np.stack(_box_muller_float(w[:, 0], w[:, 1]), -1).reshape(-1).astype(dtype)
        return out[:size].reshape(shape)

    def truncated_normal(self, shape, dtype):
        """Normal pairs, those of magnitude under 2 kept, 4 floats (2 doubles) a group; group
        ``g`` reads its words from block ``256 g`` on (``128 g`` for doubles). The first blocks
        of every group are drawn at once; a group they leave short reads on alone."""
        dtype = np.dtype(dtype)
        size = math.prod(shape)
        double = dtype == np.float64
        group = 2 if double else 4
        groups = -(-size // group)
        stride = group * RESERVED // 4  # blocks between groups
        first = 3 if double else 2  # blocks: 6 doubles or 8 floats to keep 2 or 4 of
        offsets = (np.arange(groups, dtype=np.uint64)[:, None] * np.uint64(stride)
                   + np.arange(first, dtype=np.uint64)).reshape(-1)
        words = philox_at(self.key, self.counter, offsets)
        if double:
            pairs = _box_muller_double(words.T)
        else:
            pairs = _box_muller_float(words.reshape(-1, 2)[:, 0], words.reshape(-1, 2)[:, 1])
        candidates = np.stack(pairs, -1).reshape(groups, -1)
        kept = np.abs(candidates) < 2.0
        rank = np.cumsum(kept, axis=1)
        enough = rank[:, -1] >= group if groups else np.zeros(0, bool)
        out = np.empty((groups, group), candidates.dtype)
        out[enough] = candidates[enough][(kept & (rank <= group))[enough]].reshape(-1, group)
        for g in np.nonzero(~enough)[0]:
            out[g] = self._truncated_group(int(g) * stride, group, double)
        return out.reshape(-1)[:size].reshape(shape).astype(dtype)

    def _truncated_group(self, block, group, double):
        """One group's values, reading words from ``block`` on until ``group`` are kept."""
        kept, words = [], []
        while len(kept) < group:
            if len(words) < (4 if double else 2):
                words += list(self.blocks(1, block)[0])
                block += 1
                continue
            if double:
                pair = _box_muller_double(np.array(words[:4], np.uint32)[:, None])
                words = words[4:]
            else:
                pair = _box_muller_float(np.array(words[:1], np.uint32),
                                         np.array(words[1:2], np.uint32))
                words = words[2:]
            kept += [v[0] for v in pair if abs(v[0]) < 2.0]
        return kept[:group]

    def uniform_int(self, shape, dtype, low, high):
        """``low + bits % (high - low)``: 32 bits a value for int32, 64 for int64."""
        dtype = np.dtype(dtype)
        size = math.prod(shape)
        span = (int(high) - int(low)) & 0xFFFFFFFFFFFFFFFF
        bits = self._full(size, dtype)
        if dtype.itemsize == 8:
            out = (bits % np.uint64(span)).astype(np.int64) + np.int64(low)
        else:
            out = (bits.astype(np.uint64) % np.uint64(span & 0xFFFFFFFF)).astype(np.int64) + low
        return out[:size].astype(dtype).reshape(shape)

    def full_int(self, shape, dtype):
        """Every value of the dtype equally likely (raw bits)."""
        dtype = np.dtype(dtype)
        size = math.prod(shape)
        return self._full(size, dtype)[:size].view(dtype).reshape(shape)

    def permutation(self, n):
        """TF's RandomShuffle order of ``n`` rows: Fisher-Yates from the front, row ``i``
        swapped with ``i + word % (n - i)``, one 32-bit word each (``n - 1`` words)."""
        words = self.blocks(-(-(n - 1) // 4)).reshape(-1).tolist()
        order = list(range(n))
        for i in range(n - 1):
            j = i + words[i] % (n - i)
            order[i], order[j] = order[j], order[i]
        return np.array(order, np.int64)

    def _full(self, size, dtype):
        if dtype.itemsize == 8:
            w = self._words(size, 2).reshape(-1, 2).astype(np.uint64)
            return w[:, 0] | (w[:, 1] << _32)
        return self._words(size, 4).astype(np.uint32)


def _words(value):
    v = int(value) & 0xFFFFFFFFFFFFFFFF
    return [v & 0xFFFFFFFF, v >> 32]


def _to_float(words, dtype):
    """TF's ``Uint32ToFloat`` (23 mantissa bits into [1, 2), minus 1); half precision keeps 10
    bits, bfloat16 7."""
    if dtype == np.float16:
        return ((words & 0x3FF) | 0x3C00).astype(np.uint16).view(np.float16) - np.float16(1)
    return ((words & 0x7FFFFF) | 0x3F800000).astype(np.uint32).view(np.float32) - np.float32(1)


def _to_double(hi, lo):
    bits = ((hi.astype(np.uint64) & np.uint64(0xFFFFF)) << _32) | lo.astype(np.uint64)
    return (bits | np.uint64(1023 << 52)).view(np.float64) - 1.0


def _libm():
    """glibc's ``logf``, ``sinf``, ``cosf`` and double ``log``, ``sin``, ``cos`` (what TF's
    kernels call; NumPy's own differ in the last bit for some values), or None
    where there is no glibc: then float64 results rounded to float32 stand in (equal for all but
    about 1% of values, which differ in the last bit)."""
    try:
        lib = ctypes.CDLL("libm.so.6")
    except OSError:
        return None
    funcs = []
    for name in ("logf", "sinf", "cosf", "log", "sin", "cos"):
        f = getattr(lib, name)
        kind = ctypes.c_float if name.endswith("f") else ctypes.c_double
        f.restype, f.argtypes = kind, [kind]
        funcs.append(f)
    return funcs


_LIBM = _libm()


# glibc's documented worst errors of logf, sinf and cosf, in float32 ulps (< 1: the result is one
# of the two floats around the exact value). Where the exact value lies closer than 1 - bound to
# a float, that float is glibc's result too, and float64 arithmetic rounded finds it.
_ULP_BOUND = (0.82, 0.56, 0.56)


def _float_fn(values, index, rounded):
    """Function ``index`` (log, sin, cos) of float32 ``values``, or of float64 ones (index+3),
    equal to glibc's. Float32: the float64 result rounded, except where it lies too near the
    middle between two floats to be sure which one glibc returns; those go through glibc."""
    double = values.dtype == np.float64
    if _LIBM is None:
        return rounded(values) if double else rounded(values.astype(np.float64)).astype(np.float32)
    if double:
        return np.array(list(map(_LIBM[index + 3], values.tolist())),
                        values.dtype).reshape(values.shape)
    exact = rounded(values.astype(np.float64))
    out = exact.astype(np.float32)
    ulp = np.abs(np.nextafter(out, np.where(exact >= out, np.inf, -np.inf).astype(np.float32))
                 .astype(np.float64) - out)
    with np.errstate(invalid="ignore", divide="ignore"):
        unsure = ~(np.abs(exact - out) < (0.99 - _ULP_BOUND[index]) * ulp)
    if unsure.any():
        picked = values[unsure]
        out[unsure] = np.array(list(map(_LIBM[index], picked.tolist())), np.float32)
    return out


def _box_muller_float(x0, x1):
    """TF's ``BoxMullerFloat`` in single precision."""
    u1 = np.maximum(_to_float(x0, np.float32), np.float32(1e-7))
    v1 = (2.0 * np.pi * _to_float(x1, np.float32).astype(np.float64)).astype(np.float32)
    u2 = np.sqrt(np.float32(-2.0) * _float_fn(u1, 0, np.log))
    return _float_fn(v1, 1, np.sin) * u2, _float_fn(v1, 2, np.cos) * u2


def _box_muller_double(w):
    u1 = np.maximum(_to_double(w[0], w[1]), 1e-7)
    v1 = 2.0 * np.pi * _to_double(w[2], w[3])
    u2 = np.sqrt(-2.0 * _float_fn(u1, 0, np.log))
    return _float_fn(v1, 1, np.sin) * u2, _float_fn(v1, 2, np.cos) * u2
