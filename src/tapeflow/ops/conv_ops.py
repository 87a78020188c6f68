"""``tf.nn``'s remaining convolutions and poolings (3-D, transposed, atrous, depthwise,
separable, dilation/erosion, N-D ``convolution``/``pool``, ``max_pool_with_argmax``), the
space/depth/batch rearrangements, and the normalization and loss helpers of ``tf.nn``.

Every op here is a composition of registered primitives: a window op gathers its patches with
one ``GatherV2`` (``remap``), then contracts them with ``Einsum`` or reduces them, so gradients of
any order, forward mode and batched jacobians come from those rules. Transposed convolutions
scatter-add (``unsorted_segment_sum``) the products of their inputs with the filter.
"""

import math
import numbers

import numpy as np

from ..framework import dtypes, errors, replica
from ..framework.tensor import wrap
from . import _k
from ._helpers import operands, tensor
from .array_extra_ops import float_kernel_only, positions, remap_tail
from .array_ops import cast, reshape, shape, squeeze, transpose
from .index_ops import unsorted_segment_sum
from .linalg_ops import einsum
from .manip_ops import concat, pad
from .math_ops import divide, exp, log, maximum, multiply, negative, square
from .nn_ops import avg_pool2d, conv1d, conv2d, max_pool2d, relu
from .reduction_ops import reduce_max, reduce_min, reduce_sum
from .math_ops import log1p
from .math_ops import abs as tf_abs
from .special_ops import divide_no_nan


def _ints(value, n, name, default=1):
    """An int or list argument as ``n`` spatial ints (length 1, n or n + 2 accepted)."""
    if value is None:
        return (default,) * n
    v = [value] if isinstance(value, numbers.Integral) else [int(i) for i in np.asarray(value)
                                                              .reshape(-1)]
    if len(v) == n + 2:
        v = v[1:-1]
    if len(v) == 1:
        v = v * n
    if len(v) != n:
        raise ValueError(f"{name} should be of length 1, {n} or {n + 2}. Received: {name}={v} of "
                         f"length {len(v)}")
    return tuple(int(i) for i in v)


def _plan(sizes, ksize, strides, padding, dilations):
    """Output sizes and (before, after) pads per spatial axis, TF's way."""
    out, pads = [], []
    for i, (n, k, s, d) in enumerate(zip(sizes, ksize, strides, dilations)):
        eff = (k - 1) * d + 1
        if padding == "VALID":
            o = (n - eff) // s + 1 if n >= eff else 0
            p = (0, 0)
        elif padding == "SAME":
            o = -(-n // s)
            total = max((o - 1) * s + eff - n, 0)
            p = (total // 2, total - total // 2)
        else:
            p = tuple(int(v) for v in padding[i])
            o = (n + p[0] + p[1] - eff) // s + 1
        if o < 0:
            o = 0
        out.append(o)
        pads.append(p)
    return out, pads


def _window_index(shape, ksize, strides, padding, dilations):
    """Flat positions of ``[N, out..., k..., C]`` windows over ``shape`` (``-1`` = padding)."""
    n, *sizes, c = shape
    nd = len(sizes)
    out, pads = _plan(sizes, ksize, strides, padding, dilations)
    pos = positions(shape)
    coords, inside = [], np.ones([1] * (2 * nd), bool)
    for i in range(nd):
        idx = (np.arange(out[i])[:, None] * strides[i] + np.arange(ksize[i])[None, :]
               * dilations[i] - pads[i][0])
        shape_i = [1] * (2 * nd)
        shape_i[i], shape_i[nd + i] = out[i], ksize[i]
        idx = idx.reshape(shape_i)
        inside = inside & (idx >= 0) & (idx < sizes[i])
        coords.append(np.clip(idx, 0, max(sizes[i] - 1, 0)))
    key = (slice(None),) + tuple(coords) + (slice(None),)
    index = pos[key]
    return np.where(inside[None, ..., None], index, -1), out


def _patches(x, ksize, strides, padding, dilations, fill):
    """``[N, out..., k..., C]`` windows: one sample's index table, the batch carried along (a
    traced graph's None batch size)."""
    index, out = _window_index((1,) + x._value.shape[1:], ksize, strides, padding, dilations)
    return remap_tail(x, index[0], x._value.ndim - 1, fill=fill), out


def _channels_last(x, data_format, nd):
    if data_format is not None and data_format.startswith("NC"):
        perm = [0] + list(range(2, nd + 2)) + [1]
        return transpose(x, perm), True
    return x, False


def _channels_back(y, moved, nd):
    if not moved:
        return y
    return transpose(y, [0, nd + 1] + list(range(1, nd + 1)))


def _letters(n):
    return "".join(chr(ord("d") + i) for i in range(n))


def _conv(x, w, strides, padding, dilations, groups=1):
    """N-D convolution, channels last; ``w`` is ``[k..., C / groups, O]``."""
    nd = x._value.ndim - 2
    ksize = w._value.shape[:nd]
    patches, out = _patches(x, ksize, strides, padding, dilations, 0)
    c = x._value.shape[-1]
    o = w._value.shape[-1]
    kk = int(np.prod(ksize)) if nd else 1
    p = reshape(patches, (-1, kk, groups, c // groups))  # [N * out, ...]: N may be None
    f = reshape(w, (kk, c // groups, groups, o // groups))
    y = einsum("mkgc,kcgp->mgp", p, f)
    n = shape(x)[0] if _k.symbolic(x) else x._value.shape[0]  # a traced graph's: at run time
    return reshape(y, [n, *out, o])


def _padding_arg(padding, nd, data_format):
    if isinstance(padding, str):
        if padding not in ("SAME", "VALID"):
            raise ValueError(f"Unknown padding type: {padding}")
        return padding
    pads = [tuple(int(v) for v in p) for p in padding]
    if len(pads) == nd + 2:
        pads = pads[2:] if data_format and data_format.startswith("NC") else pads[1:-1]
    return pads


def _check_conv(x, w, nd, op):
    if x._value.ndim != nd + 2:
        raise ValueError(f"input must be {nd + 2}-dimensional, got shape {x.shape}")
    if w._value.ndim != nd + 2:
        raise ValueError(f"filter must be {nd + 2}-dimensional, got shape {w.shape}")
    c, fc = x._value.shape[-1], w._value.shape[-2]
    if fc == 0 or c % fc:
        raise errors.op_error(op, f"input depth must be evenly divisible by filter depth: {c} vs "
                              f"{fc}", kernel=True)
    return c // fc


def convolution(input, filters, strides=None, padding="VALID", data_format=None,  # noqa: A002
                dilations=None, name=None):
    """``tf.nn.convolution``: 1-D, 2-D or 3-D by the input's rank (groups when the input has a
    multiple of the filter's in-channels)."""
    x, w = operands(input, filters, "Conv")
    nd = x._value.ndim - 2
    if nd == 1 and isinstance(padding, str) and dilations in (None, 1, [1]) and \
            data_format in (None, "NWC"):
        return conv1d(x, w, strides or 1, padding)
    if nd == 2 and (data_format in (None, "NHWC")) and w._value.shape[2] == x._value.shape[3]:
        return conv2d(x, w, strides or 1, padding, dilations=dilations)
    return _conv_any(x, w, nd, strides, padding, data_format, dilations, "Conv")


def _conv_any(x, w, nd, strides, padding, data_format, dilations, op):
    x, moved = _channels_last(x, data_format, nd)
    groups = _check_conv(x, w, nd, op)
    y = _conv(x, w, _ints(strides, nd, "strides"), _padding_arg(padding, nd, data_format),
              _ints(dilations, nd, "dilations"), groups)
    return _channels_back(y, moved, nd)


def conv(input, filter, strides, padding, explicit_paddings=(),  # noqa: A002
         data_format="CHANNELS_LAST", dilations=(), batch_dims=1, groups=1, name=None):
    """``tf.conv`` (the raw ``Conv`` op): N-D, full-length ``strides``/``dilations``."""
    x, w = operands(input, filter, "Conv")
    nd = x._value.ndim - 2
    fmt = "NC" if data_format == "CHANNELS_FIRST" else None
    pad = padding
    if padding == "EXPLICIT":
        pad = [tuple(explicit_paddings[2 * i:2 * i + 2]) for i in range(nd + 2)]
    return _conv_any(x, w, nd, strides, pad, fmt, list(dilations) or None, "Conv")


def conv3d(input, filters, strides, padding, data_format="NDHWC", dilations=None,  # noqa: A002
           name=None):
    """``tf.nn.conv3d``: input NDHWC (or NCDHW), filters DHWIO (differentiable)."""
    x, w = operands(input, filters, "Conv3D")
    return _conv_any(x, w, 3, strides, padding, data_format, dilations, "Conv3D")


def depthwise_conv2d(input, filter, strides, padding, data_format=None,  # noqa: A002
                     dilations=None, name=None):
    """``tf.nn.depthwise_conv2d``: each input channel convolved with its own ``multiplier``
    filters; filter ``[kh, kw, C, M]``, output ``C * M`` channels."""
    x, w = operands(input, filter, "DepthwiseConv2dNative")
    x, moved = _channels_last(x, data_format, 2)
    kh, kw, c, m = w._value.shape
    if x._value.shape[-1] != c:
        raise errors.op_error("DepthwiseConv2dNative", "input and filter must have the same "
                              f"depth: {x._value.shape[-1]} vs {c}", kernel=True)
    y = _conv(x, reshape(w, (kh, kw, 1, c * m)), _ints(strides, 2, "strides"),
              _padding_arg(padding, 2, data_format), _ints(dilations, 2, "dilations"),
              groups=c)
    return _channels_back(y, moved, 2)


def separable_conv2d(input, depthwise_filter, pointwise_filter, strides, padding,  # noqa: A002
                     data_format=None, dilations=None, name=None):
    """``tf.nn.separable_conv2d``: depthwise, then a 1x1 pointwise convolution."""
    y = depthwise_conv2d(input, depthwise_filter, strides, padding, data_format, dilations)
    x, moved = _channels_last(y, data_format, 2)
    z = _conv(x, tensor(pointwise_filter), (1, 1), "VALID", (1, 1))
    return _channels_back(z, moved, 2)


def atrous_conv2d(value, filters, rate, padding, name=None):
    """``tf.nn.atrous_conv2d``: conv2d with ``dilations=rate``."""
    return conv2d(value, filters, 1, padding, dilations=int(rate))


# --- transposed convolutions ---------------------------------------------------------------------

def _conv_transpose(y, w, output_shape, strides, padding, dilations, op):
    """The adjoint of ``_conv`` with respect to its input: ``w`` is ``[k..., O_out, C_in]``
    (TF's transposed-filter layout) and ``y`` ``[N, in..., C_in]``. One sample's window table
    serves the whole batch, which may be a traced graph's unknown size (``output_shape[0]``
    may be a tensor)."""
    nd = y._value.ndim - 2
    sizes = output_shape[1:]  # the spatial sizes and the channels
    ksize = w._value.shape[:nd]
    index, out = _window_index((1, *sizes), ksize, strides, padding, dilations)
    if list(out) != list(y._value.shape[1:-1]):
        raise errors.op_error(op, f"Conv{nd}DCustomBackpropInput: Size of out_backprop doesn't "
                              f"match computed: actual = {list(y._value.shape[1:-1])}, computed "
                              f"= {out}", kernel=True)
    o = sizes[-1]
    kk = int(np.prod(ksize))
    cin = y._value.shape[-1]
    rows = int(np.prod(out))
    f = reshape(w, (kk, o, cin))
    # contributions [position, tap, N, O]; index[0, out..., k..., 0] is the flat position of
    # channel 0 of the target pixel
    contrib = einsum("npq,kcq->pknc", reshape(y, (-1, rows, cin)), f)
    target = index[0, ..., 0].reshape(-1)
    pixels = int(np.prod(sizes[:-1]))
    # taps that land in the padding go to one extra segment, dropped after
    pixel = np.where(target >= 0, target // o, pixels).astype(np.int64)
    summed = unsorted_segment_sum(reshape(contrib, (rows * kk, -1, o)), wrap(pixel),
                                  pixels + 1)
    return reshape(transpose(summed[:pixels], (1, 0, 2)), [-1, *sizes])


def conv_transpose(input, filters, output_shape, strides, padding="SAME",  # noqa: A002
                   data_format=None, dilations=None, name=None):
    """``tf.nn.conv_transpose``: 1-D, 2-D or 3-D transposed convolution by the input's rank."""
    y, w = operands(input, filters, "Conv")
    nd = y._value.ndim - 2
    y, moved = _channels_last(y, data_format, nd)
    # a traced batch size stands for y's (the kernel reads only the other sizes)
    shape = _k.shape_entries(output_shape, batch=y._value.shape[0])
    if moved:
        shape = [shape[0]] + shape[2:] + [shape[1]]
    out = _conv_transpose(y, w, shape, _ints(strides, nd, "strides"),
                          _padding_arg(padding, nd, data_format), _ints(dilations, nd,
                                                                      "dilations"),
                          f"Conv{nd}DBackpropInputV2")
    return _channels_back(out, moved, nd)


def conv1d_transpose(input, filters, output_shape, strides, padding="SAME",  # noqa: A002
                     data_format="NWC", dilations=None, name=None):
    """``tf.nn.conv1d_transpose``."""
    return conv_transpose(input, filters, output_shape, strides, padding,
                          "NCW" if data_format == "NCW" else None, dilations)


def conv3d_transpose(input, filters, output_shape, strides, padding="SAME",  # noqa: A002
                     data_format="NDHWC", dilations=None, name=None):
    """``tf.nn.conv3d_transpose``."""
    return conv_transpose(input, filters, output_shape, strides, padding,
                          "NCDHW" if data_format == "NCDHW" else None, dilations)


def atrous_conv2d_transpose(value, filters, output_shape, rate, padding, name=None):
    """``tf.nn.atrous_conv2d_transpose``: conv2d_transpose with ``dilations=rate``."""
    return conv_transpose(value, filters, output_shape, 1, padding, dilations=int(rate))


def depthwise_conv2d_backprop_input(input_sizes, filter, out_backprop, strides,  # noqa: A002
                                    padding, data_format="NHWC", dilations=None, name=None):
    """``tf.nn.depthwise_conv2d_backprop_input``: the gradient of depthwise_conv2d w.r.t. its
    input, computed by differentiating it."""
    from ..engine.tape import GradientTape
    shape = [int(v) for v in np.asarray(tensor(input_sizes)._trace_value())]
    w = tensor(filter)
    probe = wrap(np.zeros(shape, w._value.dtype))
    with GradientTape() as tape:
        tape.watch(probe)
        y = depthwise_conv2d(probe, w, strides, padding, data_format, dilations)
    return tape.gradient(y, probe, output_gradients=tensor(out_backprop))


def depthwise_conv2d_backprop_filter(input, filter_sizes, out_backprop, strides,  # noqa: A002
                                     padding, data_format="NHWC", dilations=None, name=None):
    """``tf.nn.depthwise_conv2d_backprop_filter``: the gradient w.r.t. the filter."""
    from ..engine.tape import GradientTape
    x = tensor(input)
    probe = wrap(np.zeros([int(v) for v in np.asarray(tensor(filter_sizes)._trace_value())],
                          x._value.dtype))
    with GradientTape() as tape:
        tape.watch(probe)
        y = depthwise_conv2d(x, probe, strides, padding, data_format, dilations)
    return tape.gradient(y, probe, output_gradients=tensor(out_backprop))


# --- pooling -------------------------------------------------------------------------------------

def _pool_nd(x, nd, ksize, strides, padding, data_format, kind, dilations=None):
    x = tensor(x)
    if x._value.ndim != nd + 2:
        raise ValueError(f"Input tensor must be of rank {nd + 2} but was {x._value.ndim}.")
    x, moved = _channels_last(x, data_format, nd)
    k = _ints(ksize, nd, "ksize")
    s = _ints(strides, nd, "strides")
    d = _ints(dilations, nd, "dilations")
    pad = _padding_arg(padding, nd, data_format)
    if kind == "MAX":
        low = -np.inf if x.dtype.is_floating else np.iinfo(x._value.dtype).min
        patches, out = _patches(x, k, s, pad, d, low)
        axes = list(range(nd + 1, 2 * nd + 1))
        y = reduce_max(patches, axes)
    else:
        patches, out = _patches(x, k, s, pad, d, 0)
        axes = list(range(nd + 1, 2 * nd + 1))
        index, _ = _window_index((1,) + x._value.shape[1:-1] + (1,), k, s, pad, d)
        counts = (index >= 0).reshape(index.shape[:1 + nd] + (-1,)).sum(-1)
        y = divide(reduce_sum(patches, axes),
                   wrap(counts.reshape(counts.shape + (1,)).astype(x._value.dtype)))
    return _channels_back(y, moved, nd)


def _pool_by_rank(kind):
    def pool_(input, ksize, strides, padding, data_format=None, name=None):  # noqa: A002
        nd = tensor(input)._value.ndim - 2
        if nd == 2 and data_format in (None, "NHWC"):
            return (max_pool2d if kind == "MAX" else avg_pool2d)(input, ksize, strides, padding)
        if nd == 3:
            return (max_pool3d if kind == "MAX" else avg_pool3d)(
                input, ksize, strides, padding, data_format or "NDHWC")
        return _pool_nd(input, nd, ksize, strides, padding, data_format, kind)
    pool_.__doc__ = (f"``tf.nn.{kind.lower()}_pool``: 1-D, 2-D or 3-D by the input's rank"
                     + ("" if kind == "MAX" else "; SAME windows average the real inputs only")
                     + ".")
    return pool_


max_pool = _pool_by_rank("MAX")
avg_pool = _pool_by_rank("AVG")


def max_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):  # noqa: A002
    return _pool_nd(input, 1, ksize, strides, padding, data_format, "MAX")


def avg_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):  # noqa: A002
    return _pool_nd(input, 1, ksize, strides, padding, data_format, "AVG")


_MAX_POOL3D_SIGNATURE = (
    'signature=input:T -> output:T; attr=ksize:list(int),min=5; attr=strides:list(int),min=5; '
    'attr=padding:string,allowed=["SAME", "VALID"]; attr=data_format:string,default="NDHWC",'
    'allowed=["NDHWC", "NCDHW"]')


def max_pool3d(input, ksize, strides, padding, data_format="NDHWC", name=None):  # noqa: A002
    """``tf.nn.max_pool3d`` (TF's kernel takes float16/float32 only)."""
    float_kernel_only(tensor(input), "MaxPool3D", _MAX_POOL3D_SIGNATURE)
    return _pool_nd(input, 3, ksize, strides, padding, data_format, "MAX")


def avg_pool3d(input, ksize, strides, padding, data_format="NDHWC", name=None):  # noqa: A002
    """``tf.nn.avg_pool3d`` (TF has a float32 CPU kernel only)."""
    x = tensor(input)
    if x.dtype.name != "float32":
        kind = x.dtype.name.upper().replace("FLOAT64", "DOUBLE").replace("FLOAT16", "HALF")
        k, st = _ints(ksize, 3, "ksize"), _ints(strides, 3, "strides")
        raise errors.op_error(
            "AvgPool3D", f"Could not find device for node: {{{{node AvgPool3D}}}} = AvgPool3D[T="
            f"DT_{kind}, data_format=\"{data_format}\", ksize=[1, {k[0]}, {k[1]}, {k[2]}, 1], "
            f"padding=\"{padding}\", strides=[1, {st[0]}, {st[1]}, {st[2]}, 1]]\nAll kernels "
            "registered for op AvgPool3D:\n  device='XLA_CPU_JIT'; T in [DT_FLOAT, DT_DOUBLE, "
            "DT_BFLOAT16, DT_HALF]\n  device='CPU'; T in [DT_BFLOAT16]\n  device='CPU'; T in "
            "[DT_FLOAT]\n", errors.NotFoundError)
    return _pool_nd(x, 3, ksize, strides, padding, data_format, "AVG")


def pool(input, window_shape, pooling_type, strides=None, padding="VALID",  # noqa: A002
         data_format=None, dilations=None, name=None):
    """``tf.nn.pool``: "MAX" or "AVG" pooling over any number of spatial axes."""
    if pooling_type not in ("MAX", "AVG"):
        raise ValueError(f"Invalid pooling_type: {pooling_type}")
    nd = len(window_shape)
    rates = np.asarray(_ints(dilations, nd, "dilations"))
    if padding == "SAME" and (rates > 1).any():
        raise ValueError("pooling with 'SAME' padding is not implemented for `dilation_rate` > 1."
                         f" Received: padding={padding} and dilation_rate={rates}")
    return _pool_nd(input, nd, window_shape, strides, padding, data_format, pooling_type,
                    dilations)


def max_pool_with_argmax(input, ksize, strides, padding, data_format="NHWC",  # noqa: A002
                         output_dtype=dtypes.int64, include_batch_in_index=False, name=None):
    """``tf.nn.max_pool_with_argmax``: the pooled values and the flat index of each maximum
    (``(y * W + x) * C + c``, plus ``b * H * W * C`` with ``include_batch_in_index``)."""
    x = tensor(input)
    out = max_pool2d(x, ksize, strides, padding)
    index, _ = _window_index(x._value.shape, _ints(ksize, 2, "ksize"),
                             _ints(strides, 2, "strides"), _padding_arg(padding, 2, None),
                             (1, 1))
    value = np.asarray(x)  # the maxima's positions: read by value (guarded in a graph)
    vals = np.where(index >= 0, value.reshape(-1)[np.maximum(index, 0)], -np.inf)
    n, oh, ow, kh, kw, c = vals.shape
    flat_vals = vals.transpose(0, 1, 2, 5, 3, 4).reshape(n, oh, ow, c, kh * kw)
    flat_idx = index.transpose(0, 1, 2, 5, 3, 4).reshape(n, oh, ow, c, kh * kw)
    best = np.take_along_axis(flat_idx, flat_vals.argmax(-1)[..., None], -1)[..., 0]
    if not include_batch_in_index:
        best = best % int(np.prod(x._value.shape[1:]))
    return out, wrap(best.astype(dtypes.as_dtype(output_dtype)._np))


def _morphology(x, w, strides, rates, padding, sign):
    x, w = operands(x, w, "Dilation2D")
    k = w._value.shape[:2]
    patches, out = _patches(x, k, _ints(strides, 2, "strides"), padding,
                            _ints(rates, 2, "rates"), -np.inf if sign > 0 else np.inf)
    w = w if sign > 0 else negative(reverse_hw(w))
    shifted = patches + w[None, None, None]
    return (reduce_max if sign > 0 else reduce_min)(shifted, [3, 4])


def reverse_hw(w):
    from .manip_ops import reverse
    return reverse(w, [0, 1])


def dilation2d(input, filters, strides, padding, data_format="NHWC", dilations=None,  # noqa: A002
               name=None):
    """``tf.nn.dilation2d``: grayscale morphological dilation, max over (x + filter)."""
    return _morphology(input, filters, strides, dilations, padding, 1)


def erosion2d(value, filters, strides, padding, data_format="NHWC", dilations=None, name=None):
    """``tf.nn.erosion2d``: min over (x - reversed filter)."""
    return _morphology(value, filters, strides, dilations, padding, -1)


# --- space, depth and batch ----------------------------------------------------------------------

def _batch(x):
    """The batch size for a reshape: -1 (its size when it runs) in a traced graph."""
    return -1 if _k.symbolic(x) else x._value.shape[0]


def space_to_depth(input, block_size, data_format="NHWC", name=None):  # noqa: A002
    """``tf.nn.space_to_depth``: ``b x b`` blocks moved into channels (reshapes and a
    transpose, so a traced graph's batch size may change)."""
    x = tensor(input)
    b = int(block_size)
    _, h, w, c = x._value.shape
    if h % b or w % b:
        raise errors.op_error("SpaceToDepth", f"Image width {w} and height {h} should be "
                              f"divisible by block_size: {b}", kernel=True)
    n = _batch(x)
    blocks = transpose(reshape(x, (n, h // b, b, w // b, b, c)), (0, 1, 3, 2, 4, 5))
    return reshape(blocks, (n, h // b, w // b, b * b * c))


def depth_to_space(input, block_size, data_format="NHWC", name=None):  # noqa: A002
    """``tf.nn.depth_to_space``: channels spread into ``b x b`` blocks."""
    x = tensor(input)
    b = int(block_size)
    _, h, w, c = x._value.shape
    if c % (b * b):
        raise errors.op_error("DepthToSpace", f"Input depth dimension {c} should be divisible "
                              f"by: {b * b}", kernel=True)
    n = _batch(x)
    blocks = transpose(reshape(x, (n, h, w, b, b, c // (b * b))), (0, 1, 3, 2, 4, 5))
    return reshape(blocks, (n, h * b, w * b, c // (b * b)))


def space_to_batch_nd(input, block_shape, paddings, name=None):  # noqa: A002
    """``tf.space_to_batch_nd``: zero-padded spatial blocks moved into the batch (a pad,
    reshapes and a transpose)."""
    x = tensor(input)
    block = [int(v) for v in np.asarray(block_shape).reshape(-1)]
    pads = [tuple(int(v) for v in p) for p in np.asarray(paddings, np.int64).reshape(-1, 2)]
    m = len(block)
    shape = x._value.shape
    padded = [shape[1 + i] + sum(pads[i]) for i in range(m)]
    for i in range(m):
        if padded[i] % block[i]:
            raise errors.op_error("SpaceToBatchND", f"padded_shape[{i}]={padded[i]} is not "
                                  f"divisible by block_shape[{i}]={block[i]}", kernel=True)
    if any(p for pair in pads for p in pair):
        x = pad(x, [(0, 0)] + pads + [(0, 0)] * (len(shape) - 1 - m))
    rest = list(shape[1 + m:])
    split = [_batch(x)]
    for i in range(m):
        split += [padded[i] // block[i], block[i]]
    order = [2 + 2 * i for i in range(m)] + [0] + [1 + 2 * i for i in range(m)] + list(
        range(1 + 2 * m, 1 + 2 * m + len(rest)))
    moved = transpose(reshape(x, split + rest), order)
    n = -1 if _k.symbolic(x) else shape[0] * int(np.prod(block))
    return reshape(moved, [n] + [padded[i] // block[i] for i in range(m)] + rest)


def batch_to_space(input, block_shape, crops, name=None):  # noqa: A002
    """``tf.batch_to_space``: the inverse of ``space_to_batch_nd`` (then cropped)."""
    x = tensor(input)
    block = [int(v) for v in np.asarray(block_shape).reshape(-1)]
    crop = np.asarray(crops, np.int64).reshape(-1, 2)
    m = len(block)
    shape = x._value.shape
    prod = int(np.prod(block))
    if shape[0] % prod:
        raise errors.op_error("BatchToSpaceND", f"Input batch dimension ({shape[0]}) is not "
                              f"divisible by product of block sizes ({prod})", kernel=True)
    n = -1 if _k.symbolic(x) else shape[0] // prod
    rest = list(shape[1 + m:])
    split = reshape(x, block + [n] + list(shape[1:]))
    order = [m]
    for i in range(m):
        order += [m + 1 + i, i]
    order += list(range(2 * m + 1, 2 * m + 1 + len(rest)))
    full = [shape[1 + i] * block[i] for i in range(m)]
    out = reshape(transpose(split, order), [n] + full + rest)
    key = (slice(None),) + tuple(slice(int(c0), full[i] - int(c1))
                                 for i, (c0, c1) in enumerate(crop))
    return out[key]


def space_to_batch(input, block_shape, paddings, name=None):  # noqa: A002
    """``tf.space_to_batch`` (``tf.nn.space_to_batch``): ``space_to_batch_nd``."""
    return space_to_batch_nd(input, block_shape, paddings)


def required_space_to_batch_paddings(input_shape, block_shape, base_paddings=None, name=None):
    """``tf.required_space_to_batch_paddings``: (paddings, crops) making each padded size a
    multiple of the block."""
    shape = np.asarray(input_shape, np.int32).reshape(-1)
    block = np.asarray(block_shape, np.int32).reshape(-1)
    base = np.zeros((len(block), 2), np.int32) if base_paddings is None else np.asarray(
        base_paddings, np.int32)
    start = base[:, 0]
    full = shape + base[:, 0] + base[:, 1]
    extra = (block - full % block) % block
    pads = np.stack([start, base[:, 1] + extra], 1)
    crops = np.stack([np.zeros_like(extra), extra], 1)
    return wrap(pads.astype(np.int32)), wrap(crops.astype(np.int32))


def with_space_to_batch(input, dilation_rate, padding, op, filter_shape=None,  # noqa: A002
                        spatial_dims=None, data_format=None):
    """``tf.nn.with_space_to_batch``: ``op(input, num_spatial_dims, padding)`` (unit rates) or
    ``op`` on the space-to-batch of the input (rates > 1), as TF defines it."""
    x = tensor(input)
    rate = [int(r) for r in np.asarray(dilation_rate).reshape(-1)]
    if all(r == 1 for r in rate):
        return op(x, len(rate), padding)
    if padding == "SAME":
        k = np.asarray(filter_shape).reshape(-1)[:len(rate)]
        eff = (k - 1) * np.asarray(rate) + 1
        total = eff - 1
        base = np.stack([total // 2, total - total // 2], 1)
    else:
        base = np.zeros((len(rate), 2), np.int64)
    pads, crops = required_space_to_batch_paddings(x._value.shape[1:1 + len(rate)], rate, base)
    y = op(space_to_batch_nd(x, rate, pads._value), len(rate), "VALID")
    return batch_to_space(y, rate, crops._value)


# --- normalization and losses --------------------------------------------------------------------

def local_response_normalization(input, depth_radius=5, bias=1, alpha=1, beta=0.5,  # noqa: A002
                                 name=None):
    """``tf.nn.local_response_normalization``: ``x / (bias + alpha * sum of squares over a
    channel window) ** beta`` (differentiable)."""
    x = tensor(input)
    float_kernel_only(x, "LRN", "signature=input:T -> output:T; attr=depth_radius:int,default=5;"
                      " attr=bias:float,default=1; attr=alpha:float,default=1; "
                      "attr=beta:float,default=0.5", default=True, name=None)
    return lrn_core(x, depth_radius, bias, alpha, beta)


def lrn_core(x, depth_radius, bias, alpha, beta):
    """LRN in ``x``'s own float dtype (differentiable)."""
    r = int(depth_radius)
    c = x._value.shape[-1]
    band = (np.abs(np.arange(c)[:, None] - np.arange(c)[None, :]) <= r).astype(float)
    sq = einsum("...c,dc->...d", square(x), wrap(band.astype(x._value.dtype)))
    return x / (float(bias) + float(alpha) * sq) ** float(beta)


def normalize_moments(counts, mean_ss, variance_ss, shift, name=None):
    """``tf.nn.normalize_moments``: (mean, variance) from sufficient statistics."""
    divisor = 1.0 / tensor(counts)
    shifted_mean = mean_ss * divisor
    mean = shifted_mean if shift is None else shifted_mean + shift
    variance = variance_ss * divisor - square(shifted_mean)
    return mean, variance


def sufficient_statistics(x, axes, shift=None, keepdims=False, name=None):
    """``tf.nn.sufficient_statistics``: (count, sum, sum of squares, shift)."""
    x = tensor(x)
    axes = [int(a) % x._value.ndim for a in np.atleast_1d(axes)]
    count = wrap(np.asarray(np.prod([x._value.shape[a] for a in axes]), x._value.dtype))
    y = x if shift is None else x - shift
    return (count, reduce_sum(y, axes, keepdims=keepdims),
            reduce_sum(square(y), axes, keepdims=keepdims), shift)


def weighted_moments(x, axes, frequency_weights, keepdims=False, name=None):
    """``tf.nn.weighted_moments``: frequency-weighted mean and variance over ``axes``."""
    x, fw = tensor(x), tensor(frequency_weights)
    axes = [int(a) for a in np.atleast_1d(axes)]
    total = reduce_sum(multiply(fw, x), axes, keepdims=True)
    weight = reduce_sum(fw * _k.ones_like(x), axes, keepdims=True)
    mean = divide(total, weight)
    var = divide(reduce_sum(multiply(fw, square(x - mean)), axes, keepdims=True), weight)
    if not keepdims:  # the kept axes dropped again (no shape from x's example sizes)
        dropped = sorted({a % x._value.ndim for a in axes})
        if dropped:
            mean, var = squeeze(mean, dropped), squeeze(var, dropped)
    return mean, var


def batch_norm_with_global_normalization(input, mean, variance, beta, gamma,  # noqa: A002
                                         variance_epsilon, scale_after_normalization,
                                         name=None):
    """``tf.nn.batch_norm_with_global_normalization``."""
    from .nn_ops import batch_normalization
    return batch_normalization(input, mean, variance, beta,
                               gamma if scale_after_normalization else None, variance_epsilon)


def crelu(features, axis=-1, name=None):
    """``tf.nn.crelu``: ``concat([relu(x), relu(-x)], axis)``."""
    x = tensor(features)
    return concat([relu(x), relu(negative(x))], axis)


def log_poisson_loss(targets, log_input, compute_full_loss=False, name=None):
    """``tf.nn.log_poisson_loss``: ``exp(log_input) - targets * log_input`` (+ Stirling's
    term for targets > 1 with ``compute_full_loss``)."""
    log_input, targets = operands(log_input, targets, "Mul")
    loss = exp(log_input) - log_input * targets
    if compute_full_loss:
        safe = maximum(targets, _k.ones_like(targets))
        stirling = safe * log(safe) - safe + 0.5 * log(2.0 * math.pi * safe)
        from .math_ops import where
        loss = loss + where(targets > 1, stirling, _k.zeros_like(targets))
    return loss


def weighted_cross_entropy_with_logits(labels, logits, pos_weight, name=None):
    """``tf.nn.weighted_cross_entropy_with_logits``: positives weighted by ``pos_weight``."""
    logits, labels = operands(logits, labels, "Mul")
    log_weight = 1.0 + (pos_weight - 1.0) * labels
    return (1.0 - labels) * logits + log_weight * (
        log1p(exp(negative(tf_abs(logits)))) + relu(negative(logits)))


def _replicas_in_sync(what):
    """The replicas of the strategy in effect (1 without one); TF's error in a strategy's
    cross-replica context, where a per-replica loss makes no sense."""
    strategy = replica.current_strategy()
    if strategy is None:
        return 1
    if replica.STATE.replica is None:
        raise RuntimeError(f"You are calling `{what}` in cross replica context, while it was "
                           "expected to be called in replica context.")
    return strategy.num_replicas_in_sync


def compute_average_loss(per_example_loss, sample_weight=None, global_batch_size=None,
                         name=None):
    """``tf.nn.compute_average_loss``: the summed (weighted) loss over the global batch size
    (by default this replica's batch size times the replicas in sync, as TF)."""
    loss = tensor(per_example_loss)
    if not loss._value.ndim:
        raise ValueError("Invalid value passed for `per_example_loss`. Expected a tensor with at "
                         f"least rank 1. Received per_example_loss={loss._value} with rank 0")
    if sample_weight is not None:
        loss = loss * sample_weight
    total = reduce_sum(loss)
    if global_batch_size is not None:
        n = wrap(np.asarray(int(np.asarray(global_batch_size)), loss._value.dtype))
    else:
        replicas = _replicas_in_sync("compute_average_loss")
        if _k.symbolic(loss):  # a traced graph's batch size is the input's when it runs
            n = cast(shape(loss)[0] * replicas, loss.dtype)
        else:
            n = wrap(np.asarray(loss._value.shape[0] * replicas, loss._value.dtype))
    return divide_no_nan(total, n)  # TF's: an empty batch averages to 0


def scale_regularization_loss(regularization_loss, name=None):
    """``tf.nn.scale_regularization_loss``: the summed loss over the number of replicas."""
    replicas = _replicas_in_sync("scale_regularization_loss")
    loss = regularization_loss
    if isinstance(loss, list | tuple):
        from .math_ops import add_n
        loss = add_n(list(loss))
    loss = reduce_sum(tensor(loss))
    return loss if replicas == 1 else loss / replicas


def collapse_repeated(labels, seq_length, name=None):
    """``tf.nn.collapse_repeated``: repeated labels merged, (labels, new lengths)."""
    lab = np.asarray(tensor(labels))  # read by value (guarded in a graph)
    lengths = np.asarray(tensor(seq_length))
    rows = []
    for row, n in zip(lab, lengths):
        kept = [v for i, v in enumerate(row[:n]) if i == 0 or v != row[i - 1]]
        rows.append(kept)
    width = max((len(r) for r in rows), default=0)
    out = np.zeros((len(rows), width), lab.dtype)
    for i, r in enumerate(rows):
        out[i, :len(r)] = r
    return wrap(out), wrap(np.asarray([len(r) for r in rows], lengths.dtype))


EXPORTS = {
    "nn": ["convolution", "conv3d", "depthwise_conv2d", "separable_conv2d", "atrous_conv2d",
           "conv_transpose", "conv1d_transpose", "conv3d_transpose", "atrous_conv2d_transpose",
           "depthwise_conv2d_backprop_input", "depthwise_conv2d_backprop_filter", "max_pool",
           "avg_pool", "max_pool1d", "avg_pool1d", "max_pool3d", "avg_pool3d", "pool",
           "max_pool_with_argmax", "dilation2d", "erosion2d", "space_to_depth",
           "depth_to_space", ("space_to_batch", "space_to_batch_nd"), "with_space_to_batch",
           "local_response_normalization", ("lrn", "local_response_normalization"),
           "normalize_moments", "sufficient_statistics", "weighted_moments",
           "batch_norm_with_global_normalization", "crelu", "log_poisson_loss",
           "weighted_cross_entropy_with_logits", "compute_average_loss",
           "scale_regularization_loss", "collapse_repeated"],
    "": ["space_to_batch", "space_to_batch_nd", "batch_to_space",
         "required_space_to_batch_paddings", "conv"],
}
