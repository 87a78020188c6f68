"""``tf.signal``: FFTs (1-D, 2-D, 3-D, N-D; complex and real), fftshift, framing and
overlap-add, STFT and its inverse, windows, DCT types I-IV, MDCT, mel filter banks and MFCCs.

The complex FFTs are primitives with TF's gradients (``FFT``'s is ``IFFT(g) * n``); the real
ones, framing, DCTs and everything built on them are compositions of primitives (complex, slice,
reverse, matmul, gather), so their first and higher derivatives, forward mode and batched
jacobians come from those rules. ``fftnd``/``ifftnd``/``rfftnd``/``irfftnd`` have no gradient, as
in TF.
"""

import math

import numpy as np

from ..engine.core import apply, batched, no_gradient, primitive
from ..framework import dtypes, errors
from ..framework.tensor import wrap
from . import _k
from ._helpers import tensor
from .array_extra_ops import roll
from .array_ops import transpose
from .complex_ops import REAL, complex as make_complex
from .index_ops import GATHER, unsorted_segment_sum
from .linalg_ops import matmul
from .manip_ops import concat, pad, reverse
from .math_ops import conj, multiply

_COMPLEX = {"complex64": np.complex64, "complex128": np.complex128}
_REAL = {"float32": np.complex64, "float64": np.complex128}


def _fft_forward(rank, inverse):
    axes = tuple(range(-rank, 0))

    def forward(x):
        out = (np.fft.ifftn if inverse else np.fft.fftn)(x, axes=axes)
        return out.astype(x.dtype, copy=False)
    return forward


def _size(g, rank):
    return float(np.prod(_k.shape_of(g)[-rank:] if rank else ()))


FFT_PRIMS = {}
for _rank, _suffix in ((1, ""), (2, "2D"), (3, "3D")):
    FFT_PRIMS[_rank, False] = primitive(f"FFT{_suffix}", _fft_forward(_rank, False), save=())
    FFT_PRIMS[_rank, True] = primitive(f"IFFT{_suffix}", _fft_forward(_rank, True), save=())


def _fft_rules(rank):
    fwd, inv = FFT_PRIMS[rank, False], FFT_PRIMS[rank, True]
    # Linear maps: the cotangent of y = F x is F^H g = n * IFFT(g); of y = F^-1 x, FFT(g) / n.
    fwd.defvjp(lambda g, ans, x: inv(g) * _size(g, rank))
    inv.defvjp(lambda g, ans, x: fwd(g) * (1.0 / _size(g, rank)))
    fwd.defjvp(lambda t, ans, x: fwd(t))
    inv.defjvp(lambda t, ans, x: inv(t))


for _rank in (1, 2, 3):
    _fft_rules(_rank)


def _complex_input(x, op_type):
    x = tensor(x)
    if x.dtype.name == "float32":  # TF converts a float32 input to complex64 on the way in
        x = make_complex(x, _k.zeros_like(x))
    if x.dtype.name not in _COMPLEX:
        raise errors.op_error(op_type, f"Value for attr 'Tcomplex' of {x.dtype._op_name} is not "
                              "in the list of allowed values: complex64, complex128\n\t; "
                              f"NodeDef: {{{{node {op_type}}}}}; Op<name={op_type}; "
                              "signature=input:Tcomplex -> output:Tcomplex; attr=Tcomplex:type,"
                              "default=DT_COMPLEX64,allowed=[DT_COMPLEX64, DT_COMPLEX128]>")
    return x


def _check_rank(x, rank, op_type):
    if x._value.ndim < rank:
        dims = ",".join(map(str, x._value.shape))
        raise errors.op_error(op_type, f"Input must have rank of at least {rank} but got: "
                              f"[{dims}]", kernel=True)


def _complex_fft(rank, inverse):
    prim = FFT_PRIMS[rank, inverse]

    def op(input, name=None):  # noqa: A002 - TF's name
        x = _complex_input(input, prim.name)
        _check_rank(x, rank, prim.name)
        return apply(prim, (x,), {})
    op.__doc__ = f"``tf.signal.{prim.name.lower()}``: over the last {rank} axes (differentiable)."
    return op


fft, ifft = _complex_fft(1, False), _complex_fft(1, True)
fft2d, ifft2d = _complex_fft(2, False), _complex_fft(2, True)
fft3d, ifft3d = _complex_fft(3, False), _complex_fft(3, True)


def _fit(x, lengths):
    """``x``'s last ``len(lengths)`` axes cropped or zero-padded to ``lengths``."""
    k = len(lengths)
    shape = _k.sizes(x, range(-k, 0))
    if tuple(shape[-k:]) == tuple(lengths):
        return x
    key = (Ellipsis,) + tuple(slice(0, min(n, m)) for n, m in zip(lengths, shape[-k:]))
    x = x[key]
    extra = [(0, max(0, n - m)) for n, m in zip(lengths, shape[-k:])]
    if any(e for _, e in extra):
        x = pad(x, [(0, 0)] * (len(shape) - k) + extra)
    return x


def _lengths(fft_length, x, rank, default):
    if fft_length is None:
        return list(default)
    lengths = [int(n) for n in np.atleast_1d(np.asarray(fft_length))]
    if len(lengths) != rank:
        raise errors.op_error("RFFT" if rank == 1 else f"RFFT{rank}D",
                              f"fft_length must be length {rank} vector", kernel=True)
    return lengths


def _on_axis(x, axis, fn):
    """``fn`` (which works on the last axis) applied along ``axis`` instead."""
    nd = len(x.shape)
    axis %= nd
    if axis == nd - 1:
        return fn(x)
    perm = list(range(nd))
    perm[axis], perm[-1] = perm[-1], perm[axis]
    return transpose(fn(transpose(x, perm)), perm)


def _real_fft(rank):
    op_type = "RFFT" if rank == 1 else f"RFFT{rank}D"

    def op(input_tensor, fft_length=None, name=None):
        x = tensor(input_tensor)
        if x.dtype.name not in _REAL:
            raise errors.op_error(op_type, f"Value for attr 'Treal' of {x.dtype._op_name} is not "
                                  "in the list of allowed values: float, double", kernel=False)
        _check_rank(x, rank, op_type)
        lengths = _lengths(fft_length, x, rank, _k.sizes(x, range(-rank, 0))[-rank:])
        x = _fit(x, lengths)
        z = apply(FFT_PRIMS[rank, False], (make_complex(x, _k.zeros_like(x)),), {})
        return z[..., :lengths[-1] // 2 + 1]
    op.__doc__ = (f"``tf.signal.{op_type.lower()}``: the non-negative-frequency half of the FFT "
                  f"of a real signal over its last {rank} axes (differentiable).")
    return op


rfft, rfft2d, rfft3d = _real_fft(1), _real_fft(2), _real_fft(3)


def _hermitian_full(z, n):
    """The full length-``n`` spectrum (last axis) of a real signal from its first n//2+1 bins."""
    m = z._value.shape[-1]
    z = _fit(z, [n // 2 + 1]) if m != n // 2 + 1 else z
    mirrored = conj(reverse(z[..., 1:(n + 1) // 2], [-1]))
    return concat([z, mirrored], -1)


def _inverse_real_fft(rank):
    op_type = "IRFFT" if rank == 1 else f"IRFFT{rank}D"

    def op(input_tensor, fft_length=None, name=None):
        z = _complex_input(input_tensor, op_type)
        _check_rank(z, rank, op_type)
        shape = _k.sizes(z, range(-rank, 0))
        default = list(shape[-rank:-1]) + [2 * (shape[-1] - 1)]
        lengths = _lengths(fft_length, z, rank, default)
        if rank > 1:
            z = _fit(z, lengths[:-1] + [shape[-1]])
            for axis in range(-rank, -1):
                z = _on_axis(z, axis, lambda t: apply(FFT_PRIMS[1, True], (t,), {}))
        full = _hermitian_full(z, lengths[-1])
        return apply(REAL, (apply(FFT_PRIMS[1, True], (full,), {}),), {})
    op.__doc__ = (f"``tf.signal.{op_type.lower()}``: the real signal whose spectrum over the "
                  f"last {rank} axes starts with the input (differentiable).")
    return op


irfft, irfft2d, irfft3d = _inverse_real_fft(1), _inverse_real_fft(2), _inverse_real_fft(3)


# --- N-D FFTs (no gradient in TF) ---------------------------------------------------------------

def _nd_forward(kind):
    def forward(x, lengths, axes):
        fn = {"FFTND": np.fft.fftn, "IFFTND": np.fft.ifftn, "RFFTND": np.fft.rfftn,
              "IRFFTND": np.fft.irfftn}[kind]
        out = fn(x, s=lengths, axes=axes)
        if kind == "RFFTND":
            return out.astype(_REAL[str(x.dtype)])
        if kind == "IRFFTND":
            return out.astype(np.float32 if x.dtype == np.complex64 else np.float64)
        return out.astype(x.dtype)
    return forward


ND_PRIMS = {k: no_gradient(primitive(k, _nd_forward(k), save=()))
            for k in ("FFTND", "IFFTND", "RFFTND", "IRFFTND")}


def _nd(kind):
    def op(input, fft_length=None, axes=None, norm=None, name=None):  # noqa: A002
        x = tensor(input)
        if kind in ("RFFTND",):
            if x.dtype.name not in _REAL:
                raise errors.op_error(kind, "Value for attr 'Treal' of "
                                      f"{x.dtype._op_name} is not in the list of allowed "
                                      "values: float, double")
        else:
            _complex_input(x, kind)
        ax = tuple(range(x._value.ndim)) if axes is None else tuple(
            int(a) for a in np.atleast_1d(np.asarray(axes)))
        lengths = None if fft_length is None else tuple(
            int(n) for n in np.atleast_1d(np.asarray(fft_length)))
        return apply(ND_PRIMS[kind], (x,), {"lengths": lengths, "axes": ax})
    op.__doc__ = f"``tf.signal.{kind.lower()}`` (no gradient, as in TF)."
    return op


fftnd, ifftnd, rfftnd, irfftnd = _nd("FFTND"), _nd("IFFTND"), _nd("RFFTND"), _nd("IRFFTND")


def _shift(x, axes, sign):
    x = tensor(x)
    nd = x._value.ndim
    axes = list(range(nd)) if axes is None else [int(a) for a in np.atleast_1d(axes)]
    dims = _k.static_dims(x)
    if all(dims[a] is not None for a in axes):
        return roll(x, [sign * (dims[a] // 2) for a in axes], axes)
    # a traced graph's length known only when it runs: the rolled positions are ops on it
    from .array_ops import range as arange, shape
    from .index_ops import gather
    for a in axes:
        n = shape(x)[a]
        x = gather(x, (arange(n) - sign * (n // 2)) % n, axis=a)
    return x


def fftshift(x, axes=None, name=None):
    """``tf.signal.fftshift``: the zero frequency moved to the middle."""
    return _shift(x, axes, 1)


def ifftshift(x, axes=None, name=None):
    """``tf.signal.ifftshift``: undoes ``fftshift`` (odd lengths included)."""
    return _shift(x, axes, -1)


# --- framing -------------------------------------------------------------------------------------

def frame(signal, frame_length, frame_step, pad_end=False, pad_value=0, axis=-1, name=None):
    """``tf.signal.frame``: overlapping windows of ``axis`` (differentiable).

    A gather along the framed axis (moved last) with a ``[frames, frame_length]`` index table
    made from that axis' length only, so the other dimensions may change size in a traced graph.
    """
    x = tensor(signal)
    nd = x._value.ndim
    axis = int(axis) % nd
    n = x._value.shape[axis]
    length, step = int(frame_length), int(frame_step)
    if pad_end:
        count = -(-n // step) if n else 0
    else:
        count = max(0, 1 + (n - length) // step) if n >= length else 0
    along = np.arange(count)[:, None] * step + np.arange(length)  # [frames, frame_length]
    perm = list(range(nd))
    perm.append(perm.pop(axis))
    moved = transpose(x, perm) if axis != nd - 1 else x
    extra = int(along.max()) + 1 - n if along.size else 0
    if extra > 0:  # only with pad_end: the last frames run past the end
        value = np.asarray(tensor(pad_value)._trace_value()).item()
        moved = pad(moved, [(0, 0)] * (nd - 1) + [(0, extra)], constant_values=value)
    out = apply(GATHER, (moved, wrap(along)), {"axis": nd - 1, "batch_dims": 0})
    if axis == nd - 1:
        return out
    back = list(range(nd - 1))
    back[axis:axis] = [nd - 1, nd]
    return transpose(out, back)


def overlap_and_add(signal, frame_step, name=None):
    """``tf.signal.overlap_and_add``: frames ``[..., frames, frame_length]`` summed back into a
    signal, frame ``i`` starting at ``i * frame_step`` (differentiable).

    A segment sum of the frames (moved in front) by output position: the outer dimensions are
    only carried along, so they may change size in a traced graph.
    """
    x = tensor(signal)
    nd = x._value.ndim
    if nd < 2:
        raise ValueError(f"Shape {x.shape} must have rank at least 2")
    frames, length = x._value.shape[-2:]
    step = int(frame_step)
    total = max(0, (frames - 1) * step + length)  # TF: frame_length - step for no frames
    ids = np.arange(frames)[:, None] * step + np.arange(length)
    outer = list(range(nd - 2))
    moved = transpose(x, [nd - 2, nd - 1] + outer) if outer else x
    out = unsorted_segment_sum(moved, wrap(ids.astype(np.int32)), total)
    return transpose(out, [*range(1, nd - 1), 0]) if outer else out  # [..., total]


# --- windows -------------------------------------------------------------------------------------

def _window_dtype(dtype):
    d = dtypes.as_dtype(dtype)
    if not d.is_floating:
        raise ValueError(f"dtype must be a floating point type. Found {str(d)}")
    return d._np


def _cosine_window(a, b):
    def window(window_length, periodic=True, dtype=dtypes.float32, name=None):
        np_dtype = _window_dtype(dtype)
        n = int(np.asarray(window_length))
        if n == 1:
            return wrap(np.ones(1, np_dtype))
        denom = n - 1 + (1 if periodic and n % 2 == 0 else 0)  # periodic matters for even n
        values = a - b * np.cos(2 * np.pi * np.arange(n) / denom)
        return wrap(values.astype(np_dtype))
    return window


hann_window = _cosine_window(0.5, 0.5)
hann_window.__doc__ = "``tf.signal.hann_window``: 0.5 - 0.5 cos(2 pi n / N)."
hamming_window = _cosine_window(0.54, 0.46)
hamming_window.__doc__ = "``tf.signal.hamming_window``: 0.54 - 0.46 cos(2 pi n / N)."


def _i0(x):
    from .special_fn_ops import _ive64
    return _ive64(0, x) * np.exp(np.abs(x))


def _kaiser(n, beta):
    if n == 1:
        return np.ones(1)
    ratio = 2 * np.arange(n) / (n - 1) - 1
    return _i0(beta * np.sqrt(np.maximum(0.0, 1 - ratio * ratio))) / _i0(np.asarray(beta))


def kaiser_window(window_length, beta=12.0, dtype=dtypes.float32, name=None):
    """``tf.signal.kaiser_window``."""
    return wrap(_kaiser(int(window_length), float(beta)).astype(_window_dtype(dtype)))


def kaiser_bessel_derived_window(window_length, beta=12.0, dtype=dtypes.float32, name=None):
    """``tf.signal.kaiser_bessel_derived_window`` (an even length)."""
    n = int(window_length)
    half = n // 2
    k = _kaiser(half + 1, float(beta))
    c = np.sqrt(np.cumsum(k[:half]) / np.sum(k))
    return wrap(np.concatenate([c, c[::-1]]).astype(_window_dtype(dtype)))


def vorbis_window(window_length, dtype=dtypes.float32, name=None):
    """``tf.signal.vorbis_window``: sin(pi/2 sin^2(pi (n + 1/2) / N))."""
    n = int(window_length)
    values = np.sin(np.pi / 2 * np.sin(np.pi * (np.arange(n) + 0.5) / n) ** 2)
    return wrap(values.astype(_window_dtype(dtype)))


# --- STFT ----------------------------------------------------------------------------------------

def _pow2(n):
    return 1 << max(0, int(math.ceil(math.log2(n)))) if n > 0 else 1


def stft(signals, frame_length, frame_step, fft_length=None, window_fn=hann_window,
         pad_end=False, name=None):
    """``tf.signal.stft``: framed, windowed, real-FFT'd signals ``[..., frames, bins]``."""
    x = tensor(signals)
    length = int(frame_length)
    n = _pow2(length) if fft_length is None else int(fft_length)
    frames = frame(x, length, int(frame_step), pad_end=pad_end)
    if window_fn is not None:
        frames = multiply(frames, window_fn(length, dtype=x.dtype))
    return rfft(frames, [n])


def inverse_stft(stfts, frame_length, frame_step, fft_length=None, window_fn=hann_window,
                 name=None):
    """``tf.signal.inverse_stft``: irfft of each frame, windowed and overlap-added."""
    z = tensor(stfts)
    length = int(frame_length)
    n = _pow2(length) if fft_length is None else int(fft_length)
    frames = irfft(z, [n])
    if length <= n:
        frames = frames[..., :length]
    else:
        frames = pad(frames, [(0, 0)] * (len(frames.shape) - 1) + [(0, length - n)])
    if window_fn is not None:
        frames = multiply(frames, window_fn(length, dtype=frames.dtype))
    return overlap_and_add(frames, int(frame_step))


def inverse_stft_window_fn(frame_step, forward_window_fn=hann_window, name=None):
    """``tf.signal.inverse_stft_window_fn``: the window that makes ``inverse_stft`` undo
    ``stft``: the forward window divided by the overlap sum of its squares."""
    step = int(frame_step)

    def inverse_stft_window_fn_inner(frame_length, dtype):
        w = np.asarray(forward_window_fn(frame_length, dtype=dtype)._value)
        length = int(frame_length)
        overlaps = -(-length // step)
        sq = np.zeros(overlaps * step, w.dtype)
        sq[:length] = w * w
        denom = np.tile(sq.reshape(overlaps, step).sum(0), overlaps)[:length]
        return wrap((w / denom).astype(w.dtype))
    return inverse_stft_window_fn_inner


# --- DCT -----------------------------------------------------------------------------------------

def _dct_matrix(kind, n, norm, inverse):
    """M with dct(x) = x @ M along the last axis (``inverse``: idct's matrix)."""
    i = np.arange(n)[:, None].astype(np.float64)  # input index
    k = np.arange(n)[None, :].astype(np.float64)  # output index
    if inverse:  # TF's idct is unnormalized: the DCT of the inverse type (2 <-> 3)
        return _dct_matrix({2: 3, 3: 2}.get(kind, kind), n, norm, False)
    if kind == 1:
        m = 2 * np.cos(np.pi * i * k / (n - 1))
        m[0, :] = 1
        m[-1, :] = (-1.0) ** np.arange(n)
        return m
    if kind == 2:
        m = 2 * np.cos(np.pi * k * (2 * i + 1) / (2 * n))
        if norm == "ortho":
            m *= np.where(k == 0, np.sqrt(1 / (4 * n)), np.sqrt(1 / (2 * n)))
        return m
    if kind == 3:
        m = 2 * np.cos(np.pi * i * (2 * k + 1) / (2 * n))
        m[0, :] = 1
        if norm == "ortho":
            m *= np.where(i == 0, 1 / np.sqrt(n), 1 / np.sqrt(2 * n))
        return m
    m = 2 * np.cos(np.pi * (2 * k + 1) * (2 * i + 1) / (4 * n))
    return m * np.sqrt(1 / (2 * n)) if norm == "ortho" else m


def _dct(input, type, n, axis, norm, inverse):  # noqa: A002 - TF's names
    x = tensor(input)
    if type not in (1, 2, 3, 4):
        raise ValueError("Types I, II, III and IV (I)DCT are supported.")
    if x.dtype.name not in ("float16", "float32", "float64"):
        raise TypeError(f"Cannot convert 0.0 to EagerTensor of dtype {x.dtype.name}")
    if axis != -1:
        raise NotImplementedError(f"axis must be -1. Received: {axis}")
    if norm not in (None, "ortho"):
        raise ValueError(f"Normalization {norm} is not supported. Received: `norm`={norm}")
    if type == 1 and norm == "ortho":
        raise ValueError("Normalization is not supported for the Type-I DCT.")
    if n is not None:
        if n < 1:
            raise ValueError(f"Argument `n` must be a positive integer. Received: {n}")
        x = _fit(x, [int(n)])
    size = x._value.shape[-1]
    if type == 1 and size < 2:
        raise ValueError("Type-I DCT requires the dimension to be greater than one.")
    m = wrap(_dct_matrix(type, size, norm, inverse).astype(x._value.dtype))
    return matmul(x[..., None, :], m)[..., 0, :]


def dct(input, type=2, n=None, axis=-1, norm=None, name=None):  # noqa: A002
    """``tf.signal.dct``: types I-IV along the last axis (differentiable)."""
    return _dct(input, type, n, axis, norm, False)


def idct(input, type=2, n=None, axis=-1, norm=None, name=None):  # noqa: A002
    """``tf.signal.idct``: the inverse of ``dct`` of the same type and norm."""
    return _dct(input, type, n, axis, norm, True)


def mdct(signals, frame_length, window_fn=vorbis_window, pad_end=False, norm=None, name=None):
    """``tf.signal.mdct``: modified DCT of half-overlapping frames ``[..., frames, N/2]``."""
    x = tensor(signals)
    length = int(frame_length)
    if length % 4:
        raise ValueError("The frame length must be a multiple of 4.")
    frames = frame(x, length, length // 2, pad_end=pad_end)
    if window_fn is not None:
        frames = multiply(frames, window_fn(length, dtype=x.dtype))
    else:
        frames = frames * math.sqrt(0.5)
    q = length // 4
    a, b, c, d = (frames[..., i * q:(i + 1) * q] for i in range(4))
    folded = concat([-reverse(c, [-1]) - d, a - reverse(b, [-1])], -1)
    return dct(folded, type=4, norm=norm)


def inverse_mdct(mdcts, window_fn=vorbis_window, norm=None, name=None):
    """``tf.signal.inverse_mdct``: undoes ``mdct`` (with a Princen-Bradley window)."""
    z = tensor(mdcts)
    half = z._value.shape[-1]
    y = dct(z, type=4, norm=norm)
    if norm is None:
        y = y * (0.5 / half)
    h = half // 2
    y1, y2 = y[..., :h], y[..., h:]
    frames = concat([y2, -reverse(y2, [-1]), -reverse(y1, [-1]), -y1], -1)
    if window_fn is not None:
        frames = multiply(frames, window_fn(2 * half, dtype=z.dtype))
    else:
        frames = frames * math.sqrt(0.5)
    return overlap_and_add(frames, half)


# --- mel scale -----------------------------------------------------------------------------------

def _hz_to_mel(f):
    return 1127.0 * np.log1p(np.asarray(f, np.float64) / 700.0)


def linear_to_mel_weight_matrix(num_mel_bins=20, num_spectrogram_bins=129, sample_rate=8000,
                                lower_edge_hertz=125.0, upper_edge_hertz=3800.0,
                                dtype=dtypes.float32, name=None):
    """``tf.signal.linear_to_mel_weight_matrix``: ``[spectrogram bins, mel bins]`` triangular
    filters on the HTK mel scale (the DC bin gets no weight)."""
    if num_mel_bins <= 0:
        raise ValueError("num_mel_bins must be positive. Got: %s" % num_mel_bins)
    if lower_edge_hertz < 0.0:
        raise ValueError("lower_edge_hertz must be non-negative. Got: %s" % lower_edge_hertz)
    if lower_edge_hertz >= upper_edge_hertz:
        raise ValueError("lower_edge_hertz %.1f >= upper_edge_hertz %.1f" % (
            lower_edge_hertz, upper_edge_hertz))
    if upper_edge_hertz > sample_rate / 2:
        raise ValueError("upper_edge_hertz must not be larger than the Nyquist frequency (sample_"
                         "rate / 2). Got %s for sample_rate: %s" % (upper_edge_hertz, sample_rate))
    freqs = np.linspace(0.0, sample_rate / 2.0, num_spectrogram_bins)[1:]
    mel = _hz_to_mel(freqs)[:, None]
    edges = np.linspace(_hz_to_mel(lower_edge_hertz), _hz_to_mel(upper_edge_hertz),
                        num_mel_bins + 2)
    lower, center, upper = edges[:-2], edges[1:-1], edges[2:]
    rising = (mel - lower) / (center - lower)
    falling = (upper - mel) / (upper - center)
    weights = np.maximum(0.0, np.minimum(rising, falling))
    weights = np.concatenate([np.zeros((1, num_mel_bins)), weights])
    return wrap(weights.astype(dtypes.as_dtype(dtype)._np))


def mfccs_from_log_mel_spectrograms(log_mel_spectrograms, name=None):
    """``tf.signal.mfccs_from_log_mel_spectrograms``: DCT-II of the log-mel bins, scaled by
    1/sqrt(2 N)."""
    x = tensor(log_mel_spectrograms)
    n = x._value.shape[-1]
    return dct(x, type=2) * (1.0 / math.sqrt(2.0 * n))



EXPORTS = {
    "signal": ["fft", "ifft", "fft2d", "ifft2d", "fft3d", "ifft3d", "rfft", "irfft", "rfft2d",
               "irfft2d", "rfft3d", "irfft3d", "fftnd", "ifftnd", "rfftnd", "irfftnd", "fftshift",
               "ifftshift", "frame", "overlap_and_add", "hann_window", "hamming_window",
               "kaiser_window", "kaiser_bessel_derived_window", "vorbis_window", "stft",
               "inverse_stft", "inverse_stft_window_fn", "dct", "idct", "mdct", "inverse_mdct",
               "linear_to_mel_weight_matrix", "mfccs_from_log_mel_spectrograms"],
    "": ["fftnd", "ifftnd", "rfftnd", "irfftnd"],
}

# The FFT rules act on the last axes only, so extra leading cotangent axes pass through.
batched(*FFT_PRIMS.values())
