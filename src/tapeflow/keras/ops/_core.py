"""The ``keras.ops`` functions outside its numpy/nn/linalg namespaces: control flow, scatter and
slice updates, segment reductions, FFTs, and the tensor helpers (``shape``, ``cast``...)."""

import re as _re

import numpy as _np

import tapeflow as _tf

from .. import tree as _tree
from ._base import host as _host
from ._base import make_symbolic as _make_symbolic
from ._base import dtype_name as _dtype_name
from ._base import floating as _floating
from ._base import promote as _promote
from ._base import tensor as _t


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    return _t(x, dtype)


def convert_to_numpy(x):
    return _np.array(_t(x))


def is_tensor(x):
    return _tf.is_tensor(x)


def shape(x):
    x = _t(x) if not hasattr(x, "shape") else x
    static = list(x.shape)
    if None in static and isinstance(x, _tf.Tensor):
        dynamic = _tf.shape(x)
        return tuple(dynamic[i] if d is None else d for i, d in enumerate(static))
    return tuple(static)


def dtype(x):
    return _dtype_name(_t(x) if not hasattr(x, "dtype") else x)


def cast(x, dtype):
    return _tf.cast(_t(x), _dtype_name(dtype))


def saturate_cast(x, dtype):
    return _tf.saturate_cast(_t(x), _dtype_name(dtype))


def stop_gradient(variable):
    return _tf.stop_gradient(_t(variable))


def unstack(x, num=None, axis=0):
    return _tf.unstack(_t(x), num=num, axis=axis)


def erf(x):
    return _tf.math.erf(_floating(x))


def erfc(x):
    return _tf.math.erfc(_floating(x))


def erfinv(x):
    return _tf.math.erfinv(_floating(x))


def rsqrt(x):
    return _tf.math.rsqrt(_floating(x))


def logsumexp(x, axis=None, keepdims=False):
    return _tf.reduce_logsumexp(_floating(x), axis=axis, keepdims=keepdims)


def logdet(x):
    return _tf.linalg.logdet(_floating(x))


def top_k(x, k, sorted=True):
    return tuple(_tf.math.top_k(_t(x), k, sorted=sorted))


def in_top_k(targets, predictions, k):
    return _tf.math.in_top_k(_t(targets), _floating(predictions), k)


def cdist(x, y):
    x, y = _promote(x, y)
    x, y = _floating(x), _floating(y)
    diff = _tf.expand_dims(x, -2) - _tf.expand_dims(y, -3)
    return _tf.sqrt(_tf.reduce_sum(_tf.square(diff), axis=-1))


# ---- segments, scatter, slices --------------------------------------------------------------

def _segment(fn, data, segment_ids, num_segments):
    data, segment_ids = _t(data), _t(segment_ids)
    if num_segments is None:
        num_segments = int(_np.max(_host(segment_ids))) + 1
    return fn(data, segment_ids, num_segments)


def segment_sum(data, segment_ids, num_segments=None, sorted=False):
    return _segment(_tf.math.unsorted_segment_sum, data, segment_ids, num_segments)


def segment_max(data, segment_ids, num_segments=None, sorted=False):
    return _segment(_tf.math.unsorted_segment_max, data, segment_ids, num_segments)


def segment_min(data, segment_ids, num_segments=None, sorted=False):
    return _segment(_tf.math.unsorted_segment_min, data, segment_ids, num_segments)


def segment_prod(data, segment_ids, num_segments=None, sorted=False):
    return _segment(_tf.math.unsorted_segment_prod, data, segment_ids, num_segments)


def scatter(indices, values, shape):
    return _tf.scatter_nd(_t(indices), _t(values), shape)


def scatter_update(inputs, indices, updates, reduction=None):
    inputs = _t(inputs)
    indices, updates = _t(indices), _t(updates, inputs.dtype)
    fn = {None: _tf.tensor_scatter_nd_update, "add": _tf.tensor_scatter_nd_add,
          "max": _tf.tensor_scatter_nd_max, "min": _tf.tensor_scatter_nd_min}.get(reduction)
    if fn is None:
        raise ValueError(f"Unsupported reduction: {reduction}")
    return fn(inputs, indices, updates)


def slice(inputs, start_indices, shape):
    return _tf.slice(_t(inputs), start_indices, shape)


def slice_update(inputs, start_indices, updates):
    inputs = _t(inputs)
    updates = _t(updates, inputs.dtype)
    starts = [int(s) for s in _host(_t(start_indices))] if not isinstance(
        start_indices, (list, tuple)) else [int(s) for s in start_indices]
    grids = _np.meshgrid(*(_np.arange(s, s + n) for s, n in zip(starts, updates.shape)),
                         indexing="ij")
    index = _tf.constant(_np.stack(grids, axis=-1).astype("int32"))
    return _tf.tensor_scatter_nd_update(inputs, index, updates)


# ---- control flow ---------------------------------------------------------------------------

def cond(pred, true_fn, false_fn):
    return _tf.cond(pred, true_fn, false_fn)


def switch(index, branches, *operands):
    index = _tf.clip_by_value(_t(index, "int32"), 0, len(branches) - 1)
    return _tf.switch_case(index, [lambda b=b: b(*operands) for b in branches])


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    single = not isinstance(loop_vars, (list, tuple))
    state = _tree.map_structure(_t, (loop_vars,) if single else tuple(loop_vars))

    def body_fn(*args):
        out = body(*args)
        return (out,) if single else tuple(out) if isinstance(out, (list, tuple)) else (out,)
    out = _tf.while_loop(lambda *args: cond(*args), body_fn, state,
                         maximum_iterations=maximum_iterations)
    out = tuple(out) if isinstance(out, (list, tuple)) else (out,)
    return out[0] if single else out


def fori_loop(lower, upper, body_fun, init_val):
    _, out = while_loop(lambda i, v: i < upper, lambda i, v: (i + 1, body_fun(i, v)),
                        (_t(lower), init_val))
    return out


def map(f, xs):
    flat = _tree.flatten(xs)
    n = flat[0].shape[0] if hasattr(flat[0], "shape") else len(flat[0])
    outs = [f(_tree.pack_sequence_as(xs, [_t(v)[i] for v in flat])) for i in range(n)]
    return _tree.map_structure(lambda *ys: _tf.stack(ys), *outs)


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    if xs is None:
        n, flat = length, None
    else:
        flat = [_t(v) for v in _tree.flatten(xs)]
        n = flat[0].shape[0]
    carry, ys = init, []
    order = range(n - 1, -1, -1) if reverse else range(n)
    for i in order:
        x = None if flat is None else _tree.pack_sequence_as(xs, [v[i] for v in flat])
        carry, y = f(carry, x)
        ys.append(y)
    if reverse:
        ys.reverse()
    if not ys or ys[0] is None:
        return carry, None
    return carry, _tree.map_structure(lambda *v: _tf.stack(v), *ys)


def associative_scan(f, elems, reverse=False, axis=0):
    flat = [_t(v) for v in _tree.flatten(elems)]
    n = flat[0].shape[axis]
    parts = [[_tf.gather(v, i, axis=axis) for v in flat] for i in range(n)]
    if reverse:
        parts.reverse()
    acc, outs = None, []
    for p in parts:
        p = _tree.pack_sequence_as(elems, p)
        acc = p if acc is None else f(acc, p)
        outs.append(_tree.flatten(acc))
    if reverse:
        outs.reverse()
    stacked = [_tf.stack([o[k] for o in outs], axis=axis) for k in range(len(flat))]
    return _tree.pack_sequence_as(elems, stacked)


def vectorized_map(function, elements):
    return _tf.vectorized_map(function, elements)


def custom_gradient(f):
    return _tf.custom_gradient(f)


# ---- FFTs -----------------------------------------------------------------------------------

def _complex(x):
    if not isinstance(x, (list, tuple)) or len(x) != 2:
        raise ValueError("Input `x` should be a tuple of two tensors - real and imaginary. "
                         f"Received: x={x}")
    real, imag = _floating(x[0]), _floating(x[1])
    if real.dtype.name == "float64":
        return _tf.complex(real, _tf.cast(imag, real.dtype))
    return _tf.complex(_tf.cast(real, "float32"), _tf.cast(imag, "float32"))


def _parts(z, dtype):
    return _tf.cast(_tf.math.real(z), dtype), _tf.cast(_tf.math.imag(z), dtype)


def fft(x):
    return _parts(_tf.signal.fft(_complex(x)), _floating(x[0]).dtype)


def fft2(x):
    return _parts(_tf.signal.fft2d(_complex(x)), _floating(x[0]).dtype)


def ifft2(x):
    return _parts(_tf.signal.ifft2d(_complex(x)), _floating(x[0]).dtype)


def rfft(x, fft_length=None):
    x = _floating(x)
    n = [fft_length] if fft_length is not None else None
    return _parts(_tf.signal.rfft(x, n), x.dtype)


def irfft(x, fft_length=None):
    z = _complex(x)
    n = [fft_length] if fft_length is not None else None
    return _tf.cast(_tf.signal.irfft(z, n), _floating(x[0]).dtype)


def _window(window, sequence_length, fft_length, dtype):
    """The window as a function for tf.signal, zero-padded to ``fft_length`` (centred)."""
    if window is None:
        return None
    if isinstance(window, str):
        if window not in ("hann", "hamming"):
            raise ValueError("If a string is passed to `window`, it must be one of "
                             f'`"hann"`, `"hamming"`. Received: window={window}')
        fn = _tf.signal.hann_window if window == "hann" else _tf.signal.hamming_window
        win = fn(sequence_length, periodic=True, dtype=dtype)
    else:
        win = _t(window, dtype)
    if win.shape.rank != 1 or win.shape[-1] != sequence_length:
        raise ValueError("The shape of `window` must be equal to [sequence_length]."
                         f"Received: window shape={tuple(win.shape)}")
    left = (fft_length - sequence_length) // 2
    win = _tf.pad(win, [[left, fft_length - sequence_length - left]])
    return lambda length, dtype: win


def stft(x, sequence_length, sequence_stride, fft_length, window="hann", center=True):
    x = _t(x)
    if x.dtype.name not in ("float32", "float64"):
        raise TypeError("Invalid input type. Expected `float32` or `float64`. Received: "
                        f"input type={x.dtype.name}")
    if fft_length < sequence_length:
        raise ValueError("`fft_length` must equal or larger than `sequence_length`. Received: "
                         f"sequence_length={sequence_length}, fft_length={fft_length}")
    win = _window(window, sequence_length, fft_length, x.dtype)
    if center:
        pad = [[0, 0]] * (x.shape.rank - 1) + [[fft_length // 2, fft_length // 2]]
        x = _tf.pad(x, pad, mode="REFLECT")
    spectrum = _tf.signal.stft(x, fft_length, sequence_stride, fft_length,
                               window_fn=win)
    return _parts(spectrum, x.dtype)


def istft(x, sequence_length, sequence_stride, fft_length, length=None, window="hann",
          center=True):
    z = _complex(x)
    dtype = _tf.math.real(z).dtype
    win = _window(window, sequence_length, fft_length, dtype)
    if win is not None:
        win = _tf.signal.inverse_stft_window_fn(sequence_stride, win)
    signal = _tf.signal.inverse_stft(z, fft_length, sequence_stride, fft_length,
                                     window_fn=win)
    start = fft_length // 2 if center else 0
    if length is not None:
        return signal[..., start:start + length]
    if center:
        return signal[..., start:signal.shape[-1] - fft_length // 2]
    return signal[..., :fft_length + sequence_stride * (z.shape[-2] - 1)]


def view_as_complex(x):
    x = _floating(x)
    if x.shape[-1] != 2:
        raise ValueError(f"Last dimension of input must be size 2 (real and imaginary). "
                         f"Received shape: {tuple(x.shape)}")
    return _tf.complex(x[..., 0], x[..., 1])


def view_as_real(x):
    x = _t(x)
    return _tf.stack([_tf.math.real(x), _tf.math.imag(x)], axis=-1)


def extract_sequences(x, sequence_length, sequence_stride):
    return _tf.signal.frame(_t(x), sequence_length, sequence_stride)


# ---- rearrange ------------------------------------------------------------------------------

def _groups(side):
    groups = []
    for token in _re.findall(r"\([^)]*\)|\S+", side):
        groups.append(token[1:-1].split() if token.startswith("(") else [token])
    return groups


def rearrange(tensor, pattern, **axes_lengths):
    """einops-style ``"b (h w) c -> b h w c"`` reshapes and transposes."""
    x = _t(tensor)
    left, right = (_groups(s) for s in pattern.split("->"))
    sizes = dict(axes_lengths)
    for group, dim in zip(left, x.shape):
        unknown = [n for n in group if n not in sizes]
        known = int(_np.prod([sizes[n] for n in group if n in sizes]))
        if len(unknown) == 1:
            sizes[unknown[0]] = dim // known
    names = [n for g in left for n in g]
    x = _tf.reshape(x, [sizes[n] for n in names])
    order = [n for g in right for n in g]
    x = _tf.transpose(x, [names.index(n) for n in order])
    return _tf.reshape(x, [int(_np.prod([sizes[n] for n in g])) for g in right])



_make_symbolic(globals())
