"""Static shape rules of the primitives whose rule is not their family's (see engine/shapes.py).

The elementwise families get theirs from the op-definition helpers (``unary_op``,
``binary_op``); the rest are here, by op module, keyed by TF op type. ``attach()`` gives each
registered primitive its rule; primitives registered later (keras, image, horovod) get theirs
when they register (``core.primitive`` looks them up in ``SHAPE_RULES``).
"""

import numpy as np

from ..engine import core
from ..engine.shapes import (
    Incompatible, broadcast, broadcast_all, broadcasting, broadcasting_last, broadcasting_to,
    merge, merge_dim, num_elements, real_part, same, same_as, scalar_value, shape_value)

BOOL = np.dtype(bool)
INT32 = np.dtype(np.int32)
INT64 = np.dtype(np.int64)


def _unknown_rank(x):
    return x.dims is None


def _complex_of(dtype):
    return np.dtype(np.complex64) if dtype == np.float32 else np.dtype(np.complex128)


# --- array_ops -----------------------------------------------------------------------------------

def _reshaped(x, shape):
    """Static dims of ``x`` reshaped to ``shape`` (ints, -1 and None for unknown entries)."""
    if shape is None:
        return None
    shape = [None if d is None or d < 0 else d for d in shape]
    holes = [i for i, d in enumerate(shape) if d is None]
    if len(holes) == 1:
        total = num_elements(x.dims)
        rest = num_elements(tuple(d for d in shape if d is not None))
        if total is not None and rest:
            if total % rest:
                raise Incompatible(f"Cannot reshape a tensor with {total} elements to shape "
                                   f"[{','.join('-1' if d is None else str(d) for d in shape)}]"
                                   f" ({rest} elements)")
            shape[holes[0]] = total // rest
    elif not holes:
        total = num_elements(x.dims)
        if total is not None and total != num_elements(tuple(shape)):
            raise Incompatible(f"Cannot reshape a tensor with {total} elements to shape "
                               f"[{','.join(map(str, shape))}] ({num_elements(tuple(shape))} "
                               "elements)")
    return tuple(shape)


def _reshape(x, shape):
    return _reshaped(x, shape), x.dtype


def _reshape_to(x, shape):
    return _reshaped(x, shape_value(shape)), x.dtype


def _transpose(x, perm):
    return (None if x.dims is None else tuple(x.dims[p] for p in perm)), x.dtype


def _broadcast_to(x, shape):
    if shape is None or x.dims is None:
        return shape, x.dtype
    broadcast(x.dims, shape)  # the shapes must broadcast
    return tuple(shape), x.dtype


def _broadcast_to_shape(x, shape):
    return _broadcast_to(x, shape_value(shape))


def _like(x, like, lead, **attrs):
    if x.dims is None or like.dims is None:
        return None, x.dtype
    return tuple(x.dims[:lead]) + tuple(like.dims), x.dtype


def _like_shape(g, *rest, **attrs):
    """A cotangent added back into zeros of the last input's shape (``GatherV2Grad``'s params,
    read when the op runs): that input's dims, the cotangent's dtype."""
    return rest[-1].dims, g.dtype


def _unbroadcast_like(g, like):
    if like.dims is None or g.dims is None:
        return like.dims, g.dtype
    # where ``like`` has an unknown dim, the summed one is 1 or ``g``'s: 1 stays 1
    lead = len(g.dims) - len(like.dims)
    return tuple(d if d is not None or g.dims[lead + i] != 1 else 1
                 for i, d in enumerate(like.dims)), g.dtype


def _tile_grad(g, like, multiples):
    if like.dims is None:
        return (None if g.dims is None else tuple(
            None if d is None else d // m for d, m in zip(g.dims, multiples))), g.dtype
    if g.dims is None:
        return like.dims, g.dtype
    return tuple(d if d is not None or n is None else n // m
                 for d, n, m in zip(like.dims, g.dims, multiples)), g.dtype


def _expand_dims(x, axis):
    if x.dims is None:
        return None, x.dtype
    dims = list(x.dims)
    n = len(dims) + len(axis)
    for a in sorted(a % n for a in axis):  # axes of the result, as np.expand_dims takes them
        dims.insert(a, 1)
    return tuple(dims), x.dtype


def _squeeze(x, axis):
    if x.dims is None:
        return None, x.dtype
    n = len(x.dims)
    if axis is None:
        if None in x.dims:
            return None, x.dtype
        return tuple(d for d in x.dims if d != 1), x.dtype
    drop = {a % n for a in axis}
    for a in drop:
        merge_dim(x.dims[a], 1)
    return tuple(d for i, d in enumerate(x.dims) if i not in drop), x.dtype


def _sliced(dims, key):
    """Static dims of ``x[key]`` for a basic index ``key`` (ints, slices, None, Ellipsis): a
    sliced known dim by the slice's arithmetic, a sliced unknown dim unknown (as TF)."""
    if dims is None:
        return None
    explicit = sum(1 for k in key if k is not None and k is not Ellipsis)
    out, axis = [], 0
    for k in key:
        if k is Ellipsis:
            n = len(dims) - explicit
            out.extend(dims[axis:axis + n])
            axis += n
        elif k is None:
            out.append(1)
        elif isinstance(k, slice):
            d = dims[axis]
            run_time = any(type(v) is str for v in (k.start, k.stop, k.step))  # "?k" bounds
            out.append(None if d is None or run_time else len(range(*k.indices(d))))
            axis += 1
        else:
            axis += 1
    out.extend(dims[axis:])
    return tuple(out)


def _strided_slice(x, key):
    return _sliced(x.dims, key), x.dtype


def _tile_dynamic(x, m):
    """Each dim times its multiple: known where both are."""
    times = shape_value(m)
    if x.dims is None or times is None:
        return None if x.dims is None else (None,) * len(x.dims), x.dtype
    return tuple(None if d is None or t is None else d * t
                 for d, t in zip(x.dims, times)), x.dtype


def _dynamic_slice(x, bounds, key):
    """A slice whose "?k" bounds are ``bounds``: exact when their values are known."""
    if bounds.value is not None:
        from .array_ops import _filled_key
        key = _filled_key(key, bounds.value.reshape(-1))
    return _strided_slice(x, key)


def _cast(x, dtype):
    return x.dims, np.dtype(dtype)


def _fill(dims, value):
    return shape_value(dims), value.dtype


def _like_factory(x, dtype):
    return x.dims, x.dtype if dtype is None else np.dtype(dtype)


def _range(start, limit, delta):
    s, e, d = scalar_value(start), scalar_value(limit), scalar_value(delta)
    if s is None or e is None or d is None or d == 0:
        return (None,), start.dtype
    if start.dtype.kind in "iu":
        n = max((abs(int(e) - int(s)) + abs(int(d)) - 1) // abs(int(d)), 0)
    else:
        n = max(int(np.ceil(np.abs((e - s) / d))), 0)
    return (n,), start.dtype


def _linspace(start, stop, num, axis):
    batch = broadcast(start.dims, stop.dims)
    if batch is None:
        return None, start.dtype
    return tuple(batch[:axis]) + (num,) + tuple(batch[axis:]), start.dtype


def _metadata(dims_fn):
    def rule(x, out_type):
        return dims_fn(x), np.dtype(out_type)
    return rule


def _slice_grad(g, shape, key):
    return tuple(shape), g.dtype


# --- math, reductions ----------------------------------------------------------------------------

def _reduced(dims, axis, keepdims):
    if dims is None:
        return None
    if axis is None:
        axis = range(len(dims))
    drop = {a % len(dims) if dims else 0 for a in axis}
    if keepdims:
        return tuple(1 if i in drop else d for i, d in enumerate(dims))
    return tuple(d for i, d in enumerate(dims) if i not in drop)


def _reduce(x, axis, keepdims):
    return _reduced(x.dims, axis, keepdims), x.dtype


def _reduced_count(x, axis):
    return (), x.dtype


def _arg_reduce(x, axis, output_type):
    return _reduced(x.dims, (axis,), False), np.dtype(output_type)


def _where(c):
    return (None, c.rank), INT64


def _select(condition, x, y):
    return broadcast_all([condition.dims, x.dims, y.dims]), x.dtype


# --- linalg --------------------------------------------------------------------------------------

def _matmul_dims(a, b):
    if a is None or b is None:
        return None
    merge_dim(a[-1], b[-2])
    return broadcast(a[:-2], b[:-2]) + (a[-2], b[-1])


def _matmul(a, b):
    return _matmul_dims(a.dims, b.dims), a.dtype


def _matvec(a, x):
    if a.dims is None or x.dims is None:
        return None, a.dtype
    merge_dim(a.dims[-1], x.dims[-1])
    return broadcast(a.dims[:-2], x.dims[:-1]) + (a.dims[-2],), a.dtype


def _einsum(*xs, equation):
    ins, out = equation.split("->")
    sizes, ellipses = {}, []
    for x, sub in zip(xs, ins.split(",")):
        if x.dims is None:
            return None, xs[0].dtype
        labels = sub.replace("...", "")
        n_ell = len(x.dims) - len(labels)
        dims = list(x.dims)
        if "..." in sub:
            at = sub.index("...")
            ellipses.append(tuple(dims[at:at + n_ell]))
            del dims[at:at + n_ell]
        for c, d in zip(labels, dims):
            if c in sizes and sizes[c] != 1 and d != 1:
                sizes[c] = merge_dim(sizes[c], d)
            elif c not in sizes or sizes[c] == 1:
                sizes[c] = d
    ell = broadcast_all(ellipses) if ellipses else ()
    dims = []
    for part in out.split("..."):  # the broadcast ellipsis dims between the parts
        dims.extend(sizes[c] for c in part)
        dims.extend(ell)
    return tuple(dims[:len(dims) - len(ell)]), xs[0].dtype


def _diag(d, k, num_rows, num_cols, padding_value):
    if d.dims is None:
        return None, d.dtype
    return tuple(d.dims[:-1]) + (num_rows, num_cols), d.dtype


def _diag_part(x, k):
    if x.dims is None:
        return None, x.dtype
    m, n = x.dims[-2:]
    if m is None or n is None:
        length = None
    else:
        length = max(min(m, n - k) if k >= 0 else min(m + k, n), 0)
    return tuple(x.dims[:-2]) + (length,), x.dtype


def _square(x, *rest, **attrs):
    """A batch of square matrices: (…, n, n)."""
    if x.dims is None:
        return None
    n = merge_dim(x.dims[-1], x.dims[-2])
    return tuple(x.dims[:-2]) + (n, n)


def _batch(x):
    return None if x.dims is None else tuple(x.dims[:-2])


def _square_same(x, *rest, **attrs):
    return _square(x), x.dtype


def _det(x, **attrs):
    return _batch(x), x.dtype


def _slogdet(x, **attrs):
    return [(_batch(x), x.dtype)] * 2


def _solve(a, b, **attrs):
    if a.dims is None or b.dims is None:
        return b.dims, b.dtype
    n = merge_dim(_square(a)[-1], b.dims[-2])
    return broadcast(a.dims[:-2], b.dims[:-2]) + (n, b.dims[-1]), b.dtype


def _qr(x, full_matrices):
    if x.dims is None:
        return [(None, x.dtype)] * 2
    *batch, m, n = x.dims
    k = m if full_matrices else (None if m is None or n is None else min(m, n))
    return [(tuple(batch) + (m, k), x.dtype), (tuple(batch) + (k, n), x.dtype)]


def _eigh(x, **attrs):
    dims = _square(x)
    return [(None if dims is None else dims[:-1], x.dtype), (dims, x.dtype)]


def _svd(x, full_matrices):
    real = np.empty(0, x.dtype).real.dtype
    if x.dims is None:
        return [(None, real), (None, x.dtype), (None, x.dtype)]
    *batch, m, n = x.dims
    batch = tuple(batch)
    k = None if m is None or n is None else min(m, n)
    u, v = (m, n) if full_matrices else (k, k)
    return [(batch + (k,), real), (batch + (m, u), x.dtype), (batch + (n, v), x.dtype)]


def _expm_squarings(x):
    return [((), INT64), ((), x.dtype)]


def _eig(x):
    dims, c = _square(x), _complex_of(np.empty(0, x.dtype).real.dtype)
    return [(None if dims is None else dims[:-1], c), (dims, c)]


def _eig_grad(ge, gv, e, v, x):
    return x.dims, x.dtype


def _eig_jvp(t, e, v):
    return [(e.dims, e.dtype), (v.dims, v.dtype)]


def _lu(x, idx):
    dims = _square(x)
    return [(dims, x.dtype), (None if dims is None else dims[:-1], np.dtype(idx))]


# --- nn ------------------------------------------------------------------------------------------

def _xent(logits, labels, axis):
    dims = merge(logits.dims, labels.dims) if logits.rank == labels.rank else broadcast(
        logits.dims, labels.dims)
    return _reduced(dims, (axis,), False), logits.dtype


def _sparse_xent(logits, labels):
    if logits.dims is None:
        return labels.dims, logits.dtype
    return merge(tuple(logits.dims[:-1]), labels.dims), logits.dtype


def _l2_loss(x):
    return (), x.dtype


def _bias_add(value, bias, channel):
    if value.dims is not None and bias.dims is not None:
        dims = list(value.dims)
        dims[channel] = merge_dim(dims[channel], bias.dims[0])
        return tuple(dims), value.dtype
    return value.dims, value.dtype


def _window(n, k, s, d, padding, i):
    """One spatial output size (TF's rule), None for an unknown input size."""
    if n is None or k is None:
        return None
    span = (k - 1) * d + 1
    if padding == "SAME":
        return -(-n // s)
    pad = (0, 0) if padding == "VALID" else padding[i]
    out = (n + pad[0] + pad[1] - span) // s + 1
    if out < 0:
        raise Incompatible(f"Computed output size would be negative: {out} [input_size: {n}, "
                           f"effective_filter_size: {span}, stride: {s}]")
    return out


def _spatial(dims, ksize, strides, padding, dilations=(1, 1)):
    return tuple(_window(dims[1 + i], ksize[i], strides[i], dilations[i], padding, i)
                 for i in range(2))


def _conv2d(x, w, strides, padding, dilations):
    if x.dims is None or w.dims is None:
        return None, x.dtype
    merge_dim(x.dims[3], w.dims[2])
    hw = _spatial(x.dims, w.dims[:2], strides, padding, dilations)
    return (x.dims[0],) + hw + (w.dims[3],), x.dtype


def _conv2d_input(w, dy, input_shape, **attrs):
    # the batch is dy's: a traced unknown one may have reached input_shape as the example's size
    batch = input_shape[0] if dy.dims is None or dy.dims[0] is not None else None
    return (batch, *input_shape[1:]), dy.dtype


def _conv2d_input_like(w, dy, like, **attrs):
    return like.dims, dy.dtype


def _conv2d_filter(x, dy, filter_shape, **attrs):
    return tuple(filter_shape), x.dtype


def _pool(x, ksize, strides, padding):
    if x.dims is None:
        return None, x.dtype
    return (x.dims[0],) + _spatial(x.dims, ksize, strides, padding) + (x.dims[3],), x.dtype


def _pool_grad_grad(x, gg, ksize, strides, padding):
    return _pool(x, ksize, strides, padding)


def _avg_pool_grad(g, input_shape, **attrs):
    return tuple(input_shape), g.dtype


# --- manip ---------------------------------------------------------------------------------------

def _concat(*xs, axis):
    ranked = [x.dims for x in xs if x.dims is not None]
    if not ranked:
        return None, xs[0].dtype
    rank = len(ranked[0])
    out = list(ranked[0])
    total = 0
    for dims in [x.dims for x in xs]:
        if dims is None:
            total = None
            continue
        if len(dims) != rank:
            raise Incompatible(f"Shape must be rank {rank} but is rank {len(dims)}")
        for i, d in enumerate(dims):
            if i == axis % rank:
                total = None if total is None or d is None else total + d
            else:
                out[i] = merge_dim(out[i], d)
    out[axis % rank] = total
    return tuple(out), xs[0].dtype


def _concat_piece(g, *xs, i, axis):
    """Input ``i``'s part of a concat's cotangent: ``g`` with that input's size along axis."""
    x = xs[i]
    if g.dims is None:
        return x.dims, g.dtype
    dims = list(g.dims)
    dims[axis] = None if x.dims is None else x.dims[axis]
    return tuple(dims), g.dtype


def _unpack(x, num, axis):
    if x.dims is None:
        return [(None, x.dtype)] * num
    dims = tuple(d for i, d in enumerate(x.dims) if i != axis % len(x.dims))
    return [(dims, x.dtype)] * num


def _split(x, sizes, axis):
    if x.dims is None:
        return [(None, x.dtype)] * len(sizes)
    if -1 in sizes:  # the rest, when the op runs
        n = x.dims[axis]
        rest = None if n is None else n - sum(sizes) - 1
        sizes = [rest if s == -1 else s for s in sizes]
    outs = []
    for s in sizes:
        dims = list(x.dims)
        dims[axis] = s
        outs.append((tuple(dims), x.dtype))
    return outs


def _split_even(x, num, axis):
    if x.dims is None:
        return [(None, x.dtype)] * num
    n = x.dims[axis]
    if n is not None and n % num:
        raise Incompatible(f"Dimension size must be evenly divisible by {num} but is {n}")
    return _split(x, [None if n is None else n // num] * num, axis)


def _tile(x, multiples):
    if x.dims is None:
        return None, x.dtype
    return tuple(None if d is None else d * m for d, m in zip(x.dims, multiples)), x.dtype


def _padded(x, paddings, **attrs):
    if x.dims is None:
        return None, x.dtype
    return tuple(None if d is None else d + int(a) + int(b)
                 for d, (a, b) in zip(x.dims, paddings)), x.dtype


def _mirror_pad_grad(g, paddings, mode):
    if g.dims is None:
        return None, g.dtype
    return tuple(None if d is None else d - int(a) - int(b)
                 for d, (a, b) in zip(g.dims, paddings)), g.dtype


# --- indexing ------------------------------------------------------------------------------------

def _gather_nd(params, indices):
    if params.dims is None or indices.dims is None or indices.dims[-1] is None:
        return None, params.dtype
    return tuple(indices.dims[:-1]) + tuple(params.dims[indices.dims[-1]:]), params.dtype


def _scatter_nd(indices, updates, shape):
    return tuple(shape), updates.dtype


def _gather(params, indices, axis, batch_dims):
    if params.dims is None or indices.dims is None:
        return None, params.dtype
    return (tuple(params.dims[:axis]) + tuple(indices.dims[batch_dims:])
            + tuple(params.dims[axis + 1:])), params.dtype


def _one_hot(indices, on, off, depth, axis):
    if indices.dims is None:
        return None, on.dtype
    dims = list(indices.dims)
    dims.insert(axis, depth)
    return tuple(dims), on.dtype


def _order(values, descending):
    return values.dims, INT64


def _segment_max(data, ids, num_segments):
    if data.dims is None or ids.dims is None:
        return None, data.dtype
    return (num_segments,) + tuple(data.dims[len(ids.dims):]), data.dtype


def _sorted_segments(data, ids):
    """Sorted ids: as many segments as the last id plus one (known with the ids' value)."""
    count = None
    if ids.value is not None:
        flat = np.asarray(ids.value).reshape(-1)
        count = int(flat[-1]) + 1 if flat.size else 0
    return _segment_max(data, ids, count)


# --- random --------------------------------------------------------------------------------------

def _random(rng, shape, dtype, **attrs):
    return tuple(shape), np.dtype(dtype)


def _sample(param, rng, lead, shape, dtype, kind):
    if shape is not None:
        return tuple(shape), np.dtype(dtype)
    return (None if param.dims is None else tuple(lead) + tuple(param.dims)), np.dtype(dtype)


def _bitcast(x, type):  # noqa: A002 - TF's attr name
    """The last axis grows (a wider source) or goes (a narrower one)."""
    a, b = x.dtype.itemsize, np.dtype(type).itemsize
    if x.dims is None or a == b:
        return x.dims, np.dtype(type)
    return (tuple(x.dims) + (a // b,) if a > b else tuple(x.dims[:-1])), np.dtype(type)


def _bounds(seq, values, out_type):
    return values.dims, np.dtype(out_type)


def _histogram(values, value_range, nbins, dtype):
    return (nbins,), np.dtype(dtype)


def _histogram_bins(values, value_range, nbins, dtype):
    return values.dims, np.dtype(dtype)


def _unique(counts):
    """Distinct values (how many: known when the op runs), each element's index (and counts)."""
    def rule(x, out_idx):
        idx = np.dtype(out_idx)
        out = [((None,), x.dtype), (x.dims or (None,), idx)]
        return out + [((None,), idx)] if counts else out
    return rule


def _bincount(arr, weights=None, *, rows, dtype, **attrs):
    """As many bins as the largest value plus one: known when the op runs (as TF, even where
    the bounds meet); per row with ``rows`` (TF knows no dim then)."""
    return (None, None) if rows else (None,), np.dtype(dtype) if weights is None else weights.dtype


def _reverse_table(lengths, x, **attrs):
    return (num_elements(x.dims),), INT64


def _resize_table(size, x, axis, method, **attrs):
    """Nearest's index per output, else the weights ``[n_out, n_in]``: ``n_out`` known when
    the op runs."""
    if method == "nearest":
        return (None,), INT64
    n_in = None if x.dims is None else x.dims[len(x.dims) - 3 + axis]
    return (None, n_in), np.dtype(np.float64)


def _unravel(indices, dims):
    """One row per dimension, a column per index (none for a scalar index)."""
    n = None if dims.dims is None else dims.dims[0]
    if indices.dims is None:
        return None, indices.dtype
    return (n,) + tuple(indices.dims), indices.dtype


def _confusion(labels, predictions, weights=None, *, num_classes, dtype):
    return (num_classes, num_classes), np.dtype(dtype)


def _broadcast_args(a, b):
    """As long as the longer shape vector."""
    if a.dims is None or b.dims is None or None in (a.dims[0], b.dims[0]):
        return (None,), a.dtype
    return (max(a.dims[0], b.dims[0]),), a.dtype


def _in_top_k(predictions, targets, k):  # k: an attribute, or a graph's input
    return targets.dims, np.dtype(bool)


def _seeded_random(seed, shape, dtype, **attrs):
    return tuple(shape), np.dtype(dtype)


def _shaped_random(dims, *inputs, dtype, **attrs):
    return shape_value(dims), np.dtype(dtype)


def _multinomial(logits, rng, num_samples, dtype):
    batch = None if logits.dims is None else logits.dims[0]
    return (batch, num_samples), np.dtype(dtype)


def _random_gamma(alpha, sample):
    return sample.dims, sample.dtype


# --- signal --------------------------------------------------------------------------------------

def _fft_nd(kind):
    def rule(x, lengths, axes):
        if x.dims is None:
            dims = None
        else:
            dims = list(x.dims)
            ax = range(len(dims)) if axes is None else axes
            if lengths is None:  # NumPy's default: the input's sizes (IRFFT: 2 * (m - 1))
                n = [dims[a] for a in ax]
                if kind == "IRFFTND" and n:
                    n[-1] = None if n[-1] is None else 2 * (n[-1] - 1)
            else:
                n = lengths
            for size, a in zip(n, ax):
                dims[a] = size
            if kind == "RFFTND" and n:
                dims[ax[-1]] = None if n[-1] is None else n[-1] // 2 + 1
            dims = tuple(dims)
        if kind == "RFFTND":
            return dims, _complex_of(x.dtype)
        if kind == "IRFFTND":
            return dims, np.empty(0, x.dtype).real.dtype
        return dims, x.dtype
    return rule


# --- horovod -------------------------------------------------------------------------------------

def _grouped(*xs, **attrs):
    return [(x.dims, x.dtype) for x in xs]


SAME = ("Identity", "Conj", "Abs", "StopGradient", "CheckNumerics", "Cumsum", "Cumprod",
        "Softmax", "LogSoftmax", "LeakyRelu", "Roll", "MatrixBandPart", "ReluGrad",
        "RandomShuffle", "TensorScatterUpdate", "TensorScatterAdd", "MaxPoolGrad", "HSVToRGB",
        "AdjustHue", "AdjustSaturation", "AdjustHueRun", "AdjustSaturationRun",
        "AdjustContrastv2", "FFT", "IFFT", "FFT2D", "IFFT2D", "FFT3D", "IFFT3D",
        "MatrixSquareRootGrad", "MatrixSquareRootJvp", "HorovodAllreduce", "HorovodBroadcast",
        "Round", "Floor", "Ceil", "Rint", "Invert", "Erfinv", "BesselI0e", "BesselI1e",
        "BesselI0", "BesselI1", "Sigmoid", "Softplus", "Relu", "Relu6", "Elu", "Selu",
        "Softsign", "Rsqrt", "Erf", "Erfc", "Lgamma", "Digamma", "VariableScatter",
        "InvertPermutation", "TensorScatterMax", "TensorScatterMin")
SQUARE = ("MatrixInverse", "Cholesky", "MatrixSquareRoot", "MatrixLogarithm")
BROADCASTING = ("Add", "Pow", "FloorDiv", "FloorMod", "TruncateDiv", "TruncateMod", "Xlogy",
                "Xdivy", "DivNoNan", "MulNoNan", "SquaredDifference", "NextAfter",
                "BitwiseAnd", "BitwiseOr", "BitwiseXor", "IgammaGradA", "Igamma", "Igammac",
                "Betainc", "Zeta", "Atan2")
PREDICATES = ("Less", "LessEqual", "Greater", "GreaterEqual", "Equal", "NotEqual", "LogicalAnd",
              "LogicalOr", "LogicalXor")

SHAPE_RULES = {
    **{name: same for name in SAME},
    **{name: _square_same for name in SQUARE},
    **{name: broadcasting for name in BROADCASTING},
    **{name: broadcasting_to(bool) for name in PREDICATES},
    "LogicalNot": same, "IsNan": same_as(bool), "IsInf": same_as(bool),
    "IsFinite": same_as(bool), "Real": real_part, "Imag": real_part, "Angle": real_part,
    "ComplexAbs": real_part, "Polygamma": broadcasting_last,
    "Complex": lambda re, im: (broadcast(re.dims, im.dims), _complex_of(re.dtype)),
    # array_ops
    "Reshape": _reshape, "ReshapeTo": _reshape_to, "Transpose": _transpose,
    "BroadcastTo": _broadcast_to, "BroadcastToShape": _broadcast_to_shape,
    "ReshapeLike": _like, "BroadcastLike": _like, "UnbroadcastLike": _unbroadcast_like,
    "ExpandDims": _expand_dims,
    "Squeeze": _squeeze, "StridedSlice": _strided_slice, "StridedSliceGrad": _slice_grad,
    "StridedSliceGradLike": lambda dy, like, key, lead: _like(dy, like, lead),
    "StridedSliceDynamic": _dynamic_slice,
    "TileDynamic": _tile_dynamic, "TileGradDynamic": lambda dy, like, m: (like.dims, dy.dtype),
    "StridedSliceGradDynamic": lambda dy, like, bounds, key, lead: _like(dy, like, lead),
    "Cast": _cast, "Fill": _fill, "ZerosLike": _like_factory, "OnesLike": _like_factory,
    "Range": _range, "LinSpace": _linspace,
    "Shape": _metadata(lambda x: (None if x.dims is None else len(x.dims),)),
    "Size": _metadata(lambda x: ()), "Rank": _metadata(lambda x: ()),
    # math, reductions
    "Sum": _reduce, "Mean": _reduce, "Max": _reduce, "Min": _reduce, "Prod": _reduce,
    "EuclideanNorm": _reduce, "Any": _reduce, "All": _reduce, "ReducedCount": _reduced_count,
    "ArgMax": _arg_reduce, "ArgMin": _arg_reduce, "Where": _where, "SelectV2": _select,
    # linalg
    "MatMul": _matmul, "MatVec": _matvec, "Einsum": _einsum, "MatrixDiagV3": _diag,
    "MatrixDiagPartV3": _diag_part, "MatrixDeterminant": _det,
    "LogMatrixDeterminant": _slogdet, "MatrixSolve": _solve, "MatrixTriangularSolve": _solve,
    "Qr": _qr, "SelfAdjointEigV2": _eigh, "Svd": _svd, "Eig": _eig, "EigGrad": _eig_grad,
    "EigJvp": _eig_jvp, "Lu": _lu, "ExpmSquarings": _expm_squarings,
    "MatrixSquarings": _square_same, "MatrixSquaringsGrad": same,
    "MatrixSquaringsTangent": same,
    # nn
    "SoftmaxCrossEntropyWithLogits": _xent, "SparseSoftmaxCrossEntropyWithLogits": _sparse_xent,
    "IsotonicRegression": lambda x, decreasing, dtype: [(x.dims, np.dtype(dtype)),
                                                        (x.dims, INT32)],
    "IsotonicSegmentAverage": same, "L2Loss": _l2_loss, "BiasAdd": _bias_add, "Conv2D": _conv2d,
    "Conv2DBackpropInput": _conv2d_input, "Conv2DBackpropFilter": _conv2d_filter,
    "Conv2DBackpropInputLike": _conv2d_input_like,
    "MaxPool": _pool, "AvgPool": _pool, "MaxPoolGradGrad": _pool_grad_grad,
    "AvgPoolGrad": _avg_pool_grad,
    # manip
    "ConcatV2": _concat, "Unpack": _unpack, "SplitV": _split, "Split": _split_even,
    "ConcatPiece": _concat_piece, "ConcatPieceBack": lambda gg, like, *xs, i, axis: (
        like.dims, gg.dtype), "Tile": _tile, "TileGrad": _tile_grad, "Pad": _padded,
    "MirrorPad": _padded, "MirrorPadGrad": _mirror_pad_grad,
    # indexing
    "GatherNd": _gather_nd, "ScatterNd": _scatter_nd, "GatherNdGradLike": _like_shape,
    "GatherV2Grad": _like_shape, "UnsortedSegmentSum": _segment_max,
    "GatherV2": _gather, "OneHot": _one_hot, "TopKV2": _order,
    "UnsortedSegmentMax": _segment_max, "UnsortedSegmentMin": _segment_max,
    "SegmentSum": _sorted_segments, "SegmentMax": _sorted_segments,
    "SegmentMin": _sorted_segments,
    # random
    "RandomStandardNormal": _random, "TruncatedNormal": _random, "RandomUniform": _random,
    "RandomUniformInt": _random, "Multinomial": _multinomial, "RandomGamma": _random_gamma,
    "RandomSample": _sample, "StatelessRandomNormal": _seeded_random,
    "StatelessTruncatedNormal": _seeded_random, "StatelessRandomUniform": _seeded_random,
    "StatelessRandomUniformInt": _seeded_random, "Bitcast": _bitcast,
    **{f"{name}Shaped": _shaped_random for name in (
        "RandomStandardNormal", "TruncatedNormal", "RandomUniform", "RandomUniformInt",
        "StatelessRandomNormal", "StatelessTruncatedNormal", "StatelessRandomUniform",
        "StatelessRandomUniformInt")},
    "LowerBound": _bounds, "UpperBound": _bounds, "InTopKV2": _in_top_k,
    "Unique": _unique(False), "UniqueWithCounts": _unique(True),
    "RepeatTable": lambda reps, x, axis: ((None,), INT64),
    "TopKFirst": lambda order, k: (None if order.dims is None else order.dims[:-1] + (None,),
                                   order.dtype),
    "DynamicPartitionRows": lambda parts, num_partitions: [((None,), INT64)] * num_partitions,
    "UnravelIndex": _unravel, "ConfusionMatrix": _confusion, "BroadcastArgs": _broadcast_args,
    "ReverseSequenceTable": _reverse_table, "ResizeTable": _resize_table,
    "Bincount": _bincount, "DenseBincount": _bincount,
    "HistogramFixedWidth": _histogram, "HistogramFixedWidthBins": _histogram_bins,
    # signal
    **{kind: _fft_nd(kind) for kind in ("FFTND", "IFFTND", "RFFTND", "IRFFTND")},
    # horovod
    "HorovodGroupedAllreduce": _grouped,  # allgather's and alltoall's: horovod/collectives.py
}


def attach():
    """Give every registered primitive named in ``SHAPE_RULES`` its rule (over a family's
    default); later registrations look theirs up themselves."""
    core.SHAPE_RULES.update(SHAPE_RULES)
    for name, prim in core.REGISTRY.items():
        if name in SHAPE_RULES:
            prim.shape_fn = SHAPE_RULES[name]


__all__ = ["attach", "SHAPE_RULES", "Incompatible"]
