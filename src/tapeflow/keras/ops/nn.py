"""``keras.ops.nn``: Keras 3's neural-network functions, built from differentiable tapeflow ops.

Convolutions and pools take Keras's lower-case ``padding`` and ``data_format`` (``None`` means
``keras.config.image_data_format()``); ``channels_first`` inputs are moved to channels-last,
computed, and moved back.
"""

import math as _math

import numpy as _np

import tapeflow as _tf

from . import numpy as _knp
from ._base import make_symbolic as _make_symbolic
from ._base import _EPSILON
from ._base import floating as _floating
from ._base import promote as _promote
from ._base import tensor as _t

_DATA_FORMAT = ["channels_last"]


# ---- activations ----------------------------------------------------------------------------

# Keras hands integer inputs of relu/sigmoid straight to TF's kernels: relu keeps the dtype,
# sigmoid refuses it.
def relu(x):
    return _tf.nn.relu(_t(x))


def relu6(x):
    return _tf.nn.relu6(_t(x))


def sigmoid(x):
    return _tf.sigmoid(_t(x))


def sparse_sigmoid(x):
    x = _floating(x)
    return _tf.clip_by_value(0.5 * (x + 1.0), 0.0, 1.0)


def softplus(x):
    return _tf.nn.softplus(_floating(x))


def softsign(x):
    return _tf.nn.softsign(_floating(x))


def silu(x):
    x = _floating(x)
    return x * _tf.sigmoid(x)


swish = silu


def log_sigmoid(x):
    return -_tf.nn.softplus(-_floating(x))


def leaky_relu(x, negative_slope=0.2):
    return _tf.nn.leaky_relu(_floating(x), alpha=negative_slope)


def hard_sigmoid(x):
    x = _floating(x)
    return _tf.nn.relu6(x + 3.0) / 6.0


def hard_silu(x):
    x = _floating(x)
    return x * hard_sigmoid(x)


hard_swish = hard_silu


def hard_tanh(x):
    return _tf.clip_by_value(_floating(x), -1.0, 1.0)


def hard_shrink(x, threshold=0.5):
    x = _floating(x)
    return _tf.where(_tf.abs(x) > threshold, x, _tf.zeros_like(x))


def soft_shrink(x, threshold=0.5):
    x = _floating(x)
    return _tf.where(x > threshold, x - threshold,
                     _tf.where(x < -threshold, x + threshold, _tf.zeros_like(x)))


def tanh_shrink(x):
    x = _floating(x)
    return x - _tf.tanh(x)


def threshold(x, threshold, default_value):
    x = _floating(x)
    return _tf.where(x > threshold, x, _tf.cast(default_value, x.dtype))


def elu(x, alpha=1.0):
    x = _floating(x)
    y = _tf.nn.elu(x)
    return y if alpha == 1.0 else _tf.where(x > 0, y, alpha * y)


def selu(x):
    return _tf.nn.selu(_floating(x))


def celu(x, alpha=1.0):
    x = _floating(x)
    return _tf.maximum(x, 0.0) + alpha * _tf.math.expm1(_tf.minimum(x, 0.0) / alpha)


def gelu(x, approximate=True):
    return _tf.nn.gelu(_floating(x), approximate=approximate)


def glu(x, axis=-1):
    x = _floating(x)
    if x.shape[axis] % 2:
        raise ValueError("axis size must be divisible by 2. "
                         f"Received: x.shape={tuple(x.shape)} with axis={axis}")
    a, b = _tf.split(x, 2, axis=axis)
    return a * _tf.sigmoid(b)


def sparse_plus(x):
    x = _floating(x)
    return _tf.where(x <= -1.0, _tf.zeros_like(x),
                     _tf.where(x >= 1.0, x, 0.25 * _tf.square(x + 1.0)))


def squareplus(x, b=4):
    x = _floating(x)
    return (x + _tf.sqrt(_tf.square(x) + _tf.cast(b, x.dtype))) / 2.0


def softmax(x, axis=-1):
    x = _floating(x)
    if isinstance(axis, (list, tuple)):
        e = _tf.exp(x - _tf.stop_gradient(_tf.reduce_max(x, axis=list(axis), keepdims=True)))
        return e / _tf.reduce_sum(e, axis=list(axis), keepdims=True)
    return _tf.nn.softmax(x, axis=axis)


def log_softmax(x, axis=-1):
    x = _floating(x)
    if isinstance(axis, (list, tuple)):
        return x - _tf.reduce_logsumexp(x, axis=list(axis), keepdims=True)
    return _tf.nn.log_softmax(x, axis=axis)


def sparsemax(x, axis=-1):
    """As Keras 3 computes it on TensorFlow: the threshold averages the cumulative sums over
    the support (so the outputs need not sum to 1, unlike the sparsemax of the paper)."""
    x = _floating(x)
    srt = _tf.sort(x, axis=axis, direction="DESCENDING")
    cum = _tf.cumsum(srt, axis=axis)
    shape = [1] * x.shape.rank
    shape[axis] = -1
    r = _tf.reshape(_tf.cast(_tf.range(1, x.shape[axis] + 1), x.dtype), shape)
    support = srt - (cum - 1.0) / r > 0
    k = _tf.reduce_sum(_tf.cast(support, x.dtype), axis=axis, keepdims=True)
    tau = (_tf.reduce_sum(_tf.where(support, cum, _tf.zeros_like(cum)), axis=axis,
                          keepdims=True) - 1.0) / k
    return _tf.maximum(x - tau, 0.0)


# ---- normalization and losses ---------------------------------------------------------------

def moments(x, axes, keepdims=False, synchronized=False):
    x = _floating(x)
    compute = _tf.float32 if x.dtype.name in ("float16", "bfloat16") else x.dtype
    m, v = _tf.nn.moments(_tf.cast(x, compute), axes=list(axes), keepdims=keepdims)
    return _tf.cast(m, x.dtype), _tf.cast(v, x.dtype)


def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3):
    x = _floating(x)
    shape = [1] * x.shape.rank
    shape[axis] = x.shape[axis]

    def b(v):
        return None if v is None else _tf.reshape(_t(v, x.dtype), shape)
    return _tf.nn.batch_normalization(x, b(mean), b(variance), b(offset), b(scale), epsilon)


def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    x = _floating(x)
    epsilon = _EPSILON[0] if epsilon is None else epsilon
    mean, var = _tf.nn.moments(x, axes=[axis], keepdims=True)
    y = (x - mean) * _tf.math.rsqrt(var + epsilon)
    if gamma is not None:
        y = y * _t(gamma, x.dtype)
    return y if beta is None else y + _t(beta, x.dtype)


def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    x = _floating(x)
    epsilon = _EPSILON[0] if epsilon is None else epsilon
    y = x * _tf.math.rsqrt(_tf.reduce_mean(_tf.square(x), axis=axis, keepdims=True) + epsilon)
    return y if scale is None else y * _t(scale, x.dtype)


def normalize(x, axis=-1, order=2, epsilon=None):
    x = _floating(x)
    epsilon = _EPSILON[0] if epsilon is None else epsilon
    if order == 2:
        return _tf.nn.l2_normalize(x, axis=axis, epsilon=epsilon)
    norm = _tf.norm(x, ord=order, axis=axis, keepdims=True)
    return x / _tf.maximum(norm, epsilon)


def _keras_losses():
    from .. import losses
    return losses


def binary_crossentropy(target, output, from_logits=False):
    target, output = _t(target), _t(output)
    return _keras_losses()._binary_crossentropy(_tf.cast(target, output.dtype), output,
                                                from_logits)


def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    output = _t(output)
    target = _tf.cast(_t(target), output.dtype)
    if target.shape != output.shape:
        raise ValueError("Arguments `target` and `output` must have the same shape. Received: "
                         f"target.shape={tuple(target.shape)}, output.shape="
                         f"{tuple(output.shape)}")
    if from_logits:
        return _tf.nn.softmax_cross_entropy_with_logits(target, output, axis=axis)
    output = output / _tf.reduce_sum(output, axis=axis, keepdims=True)
    output = _tf.clip_by_value(output, _EPSILON[0], 1.0 - _EPSILON[0])
    return -_tf.reduce_sum(target * _tf.math.log(output), axis=axis)


def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    output = _t(output)
    target = _t(target)
    if target.shape.rank == output.shape.rank and target.shape[-1] == 1:
        target = _tf.squeeze(target, -1)
    depth = output.shape[axis]
    return categorical_crossentropy(_tf.one_hot(_tf.cast(target, "int32"), depth, axis=axis,
                                                dtype=output.dtype),
                                    output, from_logits, axis)


def psnr(x1, x2, max_val):
    x1, x2 = _promote(x1, x2)
    x1, x2 = _floating(x1), _floating(x2)
    mse = _tf.reduce_mean(_tf.square(x1 - x2))
    return 20.0 * _tf.math.log(_tf.cast(max_val, x1.dtype)) / _math.log(10.0) - \
        10.0 * _tf.math.log(mse) / _math.log(10.0)


def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    x = _t(x)
    return _tf.one_hot(_tf.cast(x, "int64") if x.dtype.is_floating else x, num_classes,
                       axis=axis, dtype=dtype or "float32")


def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    num_classes = kwargs.pop("num_tokens", num_classes)
    x = _t(inputs)
    hot = one_hot(x, num_classes, axis=axis, dtype=dtype)
    reduce_axis = -2 if axis == -1 else axis + 1 if axis >= 0 else axis
    if x.shape.rank == 0:
        return hot
    return _tf.reduce_max(hot, axis=0 if x.shape.rank == 1 else reduce_axis)


def polar(abs_, angle):
    abs_, angle = _floating(abs_), _floating(angle)
    return _tf.complex(abs_ * _tf.cos(angle), abs_ * _tf.sin(angle))


# ---- convolutions and pools -----------------------------------------------------------------

def _channels_first(data_format):
    fmt = data_format or _DATA_FORMAT[0]
    if fmt not in ("channels_last", "channels_first"):
        raise ValueError("The `data_format` argument must be one of {'channels_first', "
                         f"'channels_last'}}. Received: data_format={data_format}")
    return fmt == "channels_first"


def _to_last(x, first):
    return _knp.moveaxis(x, 1, -1) if first else x


def _from_last(x, first):
    return _knp.moveaxis(x, -1, 1) if first else x


def _tuple(v, n):
    return [v] * n if isinstance(v, int) else list(v)


def _padding(padding):
    """TF's padding name; an unknown one is left for TF's kernel to refuse, as in Keras."""
    return padding.upper()


def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    first = _channels_first(data_format)
    x = _to_last(_floating(inputs), first)
    n = x.shape.rank - 2
    kernel = _t(kernel, x.dtype)
    y = _tf.nn.convolution(x, kernel, strides=_tuple(strides, n), padding=_padding(padding),
                           dilations=_tuple(dilation_rate, n))
    return _from_last(y, first)


def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None,
                   dilation_rate=1):
    first = _channels_first(data_format)
    x = _to_last(_floating(inputs), first)
    kernel = _t(kernel, x.dtype)
    one_d = x.shape.rank == 3
    if one_d:
        x, kernel = _tf.expand_dims(x, 1), _tf.expand_dims(kernel, 0)
        strides, dilation_rate = [1, *_tuple(strides, 1)], [1, *_tuple(dilation_rate, 1)]
    s = _tuple(strides, 2)
    y = _tf.nn.depthwise_conv2d(x, kernel, [1, *s, 1], _padding(padding),
                                dilations=_tuple(dilation_rate, 2))
    return _from_last(_tf.squeeze(y, 1) if one_d else y, first)


def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid",
                   data_format=None, dilation_rate=1):
    depthwise = depthwise_conv(inputs, depthwise_kernel, strides, padding, data_format,
                               dilation_rate)
    return conv(depthwise, pointwise_kernel, 1, "valid", data_format)


def conv_transpose(inputs, kernel, strides=1, padding="valid", output_padding=None,
                   data_format=None, dilation_rate=1):
    first = _channels_first(data_format)
    x = _to_last(_floating(inputs), first)
    n = x.shape.rank - 2
    kernel = _t(kernel, x.dtype)
    strides, dilation = _tuple(strides, n), _tuple(dilation_rate, n)
    out_pad = [None] * n if output_padding is None else _tuple(output_padding, n)
    sizes = []
    for size, k, s, d, op in zip(x.shape[1:-1], kernel.shape[:n], strides, dilation, out_pad):
        k = (k - 1) * d + 1
        if op is None:
            sizes.append(size * s if padding.lower() == "same" else size * s + max(k - s, 0))
        else:
            pad = k // 2 if padding.lower() == "same" else 0
            sizes.append((size - 1) * s + k - 2 * pad + op)
    shape = [x.shape[0], *sizes, kernel.shape[-2]]
    y = _tf.nn.conv_transpose(x, kernel, shape, strides, padding=_padding(padding),
                              dilations=dilation)
    return _from_last(y, first)


def _pool(kind, inputs, pool_size, strides, padding, data_format):
    first = _channels_first(data_format)
    x = _to_last(_floating(inputs), first)
    n = x.shape.rank - 2
    window = _tuple(pool_size, n)
    y = _tf.nn.pool(x, window, kind, strides=_tuple(strides or pool_size, n),
                    padding=_padding(padding))
    return _from_last(y, first)


def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    return _pool("MAX", inputs, pool_size, strides, padding, data_format)


def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    return _pool("AVG", inputs, pool_size, strides, padding, data_format)


def _adaptive(reduce, inputs, output_size, data_format):
    first = _channels_first(data_format)
    x = _to_last(_floating(inputs), first)
    n = x.shape.rank - 2
    out = _tuple(output_size, n)
    for axis, size in enumerate(out, start=1):
        length = x.shape[axis]
        parts = []
        for i in range(size):
            lo, hi = (i * length) // size, -((-(i + 1) * length) // size)
            parts.append(reduce(_knp.take(x, list(range(lo, hi)), axis=axis), axis=axis,
                                keepdims=True))
        x = _tf.concat(parts, axis=axis)
    return _from_last(x, first)


def adaptive_average_pool(inputs, output_size, data_format=None):
    return _adaptive(_tf.reduce_mean, inputs, output_size, data_format)


def adaptive_max_pool(inputs, output_size, data_format=None):
    return _adaptive(_tf.reduce_max, inputs, output_size, data_format)


def depth_to_space(x, block_size, data_format="channels_last"):
    first = _channels_first(data_format)
    return _from_last(_tf.nn.depth_to_space(_to_last(_t(x), first), block_size), first)


def space_to_depth(x, block_size, data_format="channels_last"):
    first = _channels_first(data_format)
    return _from_last(_tf.nn.space_to_depth(_to_last(_t(x), first), block_size), first)


def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    """Sliding blocks of an ``(N, C, H, W)`` input as ``(N, C*kh*kw, L)`` (torch's unfold)."""
    x = _t(x)
    kh, kw = _tuple(kernel_size, 2)
    dh, dw = _tuple(dilation, 2)
    ph, pw = _tuple(padding, 2)
    sh, sw = _tuple(stride, 2)
    x = _tf.pad(x, [[0, 0], [0, 0], [ph, ph], [pw, pw]])
    n, c, h, w = x.shape
    oh = (h - dh * (kh - 1) - 1) // sh + 1
    ow = (w - dw * (kw - 1) - 1) // sw + 1
    blocks = []
    for i in range(kh):
        for j in range(kw):
            patch = x[:, :, i * dh:i * dh + sh * (oh - 1) + 1:sh,
                      j * dw:j * dw + sw * (ow - 1) + 1:sw]
            blocks.append(_tf.reshape(patch, [n, c, 1, oh * ow]))
    return _tf.reshape(_tf.concat(blocks, axis=2), [n, c * kh * kw, oh * ow])


def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """The adjoint of ``unfold``: sums ``(N, C*kh*kw, L)`` blocks into ``(N, C, H, W)``."""
    x = _t(x)
    oh_, ow_ = _tuple(output_size, 2)
    kh, kw = _tuple(kernel_size, 2)
    dh, dw = _tuple(dilation, 2)
    ph, pw = _tuple(padding, 2)
    sh, sw = _tuple(stride, 2)
    h, w = oh_ + 2 * ph, ow_ + 2 * pw
    oh = (h - dh * (kh - 1) - 1) // sh + 1
    ow = (w - dw * (kw - 1) - 1) // sw + 1
    n, ckk, _ = x.shape
    c = ckk // (kh * kw)
    blocks = _tf.reshape(x, [n, c, kh * kw, oh, ow])
    index = _np.arange(h * w).reshape(h, w)
    out = _tf.zeros([n, c, h * w], x.dtype)
    for i in range(kh):
        for j in range(kw):
            pos = index[i * dh:i * dh + sh * (oh - 1) + 1:sh,
                        j * dw:j * dw + sw * (ow - 1) + 1:sw].reshape(-1)
            onehot = _tf.one_hot(pos, h * w, dtype=x.dtype)
            out = out + _tf.einsum("ncl,lp->ncp",
                                   _tf.reshape(blocks[:, :, i * kw + j], [n, c, -1]), onehot)
    out = _tf.reshape(out, [n, c, h, w])
    return out[:, :, ph:ph + oh_, pw:pw + ow_]


# ---- attention and CTC ----------------------------------------------------------------------

def dot_product_attention(query, key, value, bias=None, mask=None, scale=None, is_causal=False,
                          flash_attention=None, attn_logits_soft_cap=None):
    """Scaled dot-product attention on ``(batch, length, heads, dim)`` tensors."""
    query, key, value = _promote(query, key, value)
    query, key, value = _floating(query), _floating(key), _floating(value)
    dim = query.shape[-1]
    scale = 1.0 / _math.sqrt(dim) if scale is None else scale
    heads_q, heads_k = query.shape[-2], key.shape[-2]
    if heads_q != heads_k:
        key = _tf.repeat(key, heads_q // heads_k, axis=-2)
        value = _tf.repeat(value, heads_q // heads_k, axis=-2)
    logits = _tf.einsum("bthd,bshd->bhts", query, key) * _tf.cast(scale, query.dtype)
    if attn_logits_soft_cap is not None:
        logits = _tf.tanh(logits / attn_logits_soft_cap) * attn_logits_soft_cap
    if bias is not None:
        logits = logits + _t(bias, logits.dtype)
    keep = None if mask is None else _t(mask, "bool")
    if is_causal:
        t, s = logits.shape[-2], logits.shape[-1]
        causal = _tf.constant(_np.tril(_np.ones((t, s), bool)))
        keep = causal if keep is None else _tf.logical_and(keep, causal)
    if keep is not None:
        big = _np.finfo(logits.dtype.name).min
        logits = _tf.where(keep, logits, _tf.cast(big, logits.dtype))
    weights = _tf.nn.softmax(logits, axis=-1)
    return _tf.einsum("bhts,bshd->bthd", weights, value)


def ctc_loss(target, output, target_length, output_length, mask_index=0):
    output = _floating(output)
    return _tf.nn.ctc_loss(_tf.cast(_t(target), "int32"), output,
                           _tf.cast(_t(target_length), "int32"),
                           _tf.cast(_t(output_length), "int32"), logits_time_major=False,
                           blank_index=mask_index)


def ctc_decode(inputs, sequence_lengths, strategy="greedy", beam_width=100, top_paths=1,
               merge_repeated=True, mask_index=0):
    """Decoded paths as a dense ``(top_paths, batch, max_length)`` int32 tensor (-1 padded)
    and their scores, as Keras returns them."""
    inputs = _floating(inputs)
    lengths = _tf.cast(_t(sequence_lengths), "int32")
    logits = _tf.transpose(_tf.nn.log_softmax(inputs), [1, 0, 2])
    if strategy == "greedy":
        decoded, scores = _tf.nn.ctc_greedy_decoder(logits, lengths,
                                                    merge_repeated=merge_repeated,
                                                    blank_index=mask_index)
    elif strategy == "beam_search":
        decoded, scores = _tf.nn.ctc_beam_search_decoder(logits, lengths, beam_width,
                                                         top_paths)
    else:
        raise ValueError(f"Invalid strategy {strategy}. Supported values are 'greedy' and "
                         "'beam_search'.")
    dense = [_tf.sparse.to_dense(d, default_value=-1) for d in decoded]
    width = max(d.shape[1] for d in dense)
    dense = [_tf.pad(d, [[0, 0], [0, width - d.shape[1]]], constant_values=-1) for d in dense]
    return _tf.stack(dense), scores


_make_symbolic(globals())
