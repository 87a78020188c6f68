"""Neural-network ops (``tf.nn``): activations, softmax and losses, normalization, convolution and
pooling. Forwards are numerically stable at +-1000 like TF's; rules follow TF's gradient formulas.
"""

import functools
import numbers

import numpy as np

from ..engine.core import apply, batched, primitive, quiet
from ..framework import dtypes, errors
from ..framework.tensor import Tensor, wrap
from . import _k
from ._helpers import (FLOAT, REAL, check_kind, fallback, normalize_axis, operands, tensor,
                       unary_op)
from .array_ops import EXPAND_DIMS, cast, expand_dims, reshape, squeeze
from .math_ops import (ABS, EXP, SQUARE, WHERE, exp, log, log1p, maximum, negative, rsqrt, square,
                       stop_gradient, tanh, where)
from .random_ops import _stateful, _uniform
from .array_ops import zeros_like
from .reduction_ops import SUM, reduce_max, reduce_mean, reduce_sum
from .special_ops import erfc, is_finite

# --- elementwise activations ---------------------------------------------------------------------


def _sigmoid_forward(x):
    e = np.exp(-np.abs(x))  # never overflows
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype, copy=False)


SIGMOID = primitive("Sigmoid", _sigmoid_forward, save=("output",)).defvjp(
    lambda g, ans, x: g * _k.conj(ans * (1 - ans)))
SIGMOID.defjvp(lambda t, ans, x: t * (ans * (1 - ans)))
sigmoid = unary_op(SIGMOID, FLOAT)


def _softplus_forward(x):
    # TF's thresholds: x itself above -log(eps)-2, exp(x) below log(eps)+2, else log1p(exp(x)).
    threshold = np.log(dtypes.finfo(x.dtype).eps) + 2
    safe = np.minimum(x, -threshold)
    e = np.exp(safe)
    out = np.where(x > -threshold, x, np.where(x < threshold, e, np.log1p(e)))
    return out.astype(x.dtype, copy=False)


SOFTPLUS = primitive("Softplus", _softplus_forward, save=("inputs",)).defvjp(
    lambda g, ans, x: g * SIGMOID(x))
SOFTPLUS.defjvp(lambda t, ans, x: t * SIGMOID(x))
softplus = unary_op(SOFTPLUS, REAL)


def _masked(cond, g):
    return WHERE(cond, g, _k.zeros_like(g))


# TF's ReluGrad multiplies by the mask (ans > 0), so relu'(0) = 0 (and nan * 0 stays nan, as in
# TF). It is its own op, as in TF: one multiply, where a where() would be ten times slower. It is
# linear in g and the mask is piecewise constant, so its gradient w.r.t. the output is zero.
RELU_GRAD = primitive("ReluGrad", lambda g, ans: g * (ans > 0).astype(g.dtype),
                      save=("inputs",)).defvjp(
    lambda gg, _, g, ans: RELU_GRAD(gg, ans),
    lambda gg, _, g, ans: _k.zeros_like(gg))
RELU_GRAD.defjvp(lambda t, _, g, ans: RELU_GRAD(t, ans), lambda t, _, g, ans: None)

RELU = primitive("Relu", lambda x: np.maximum(x, 0).astype(x.dtype, copy=False),
                 save=("output",)).defvjp(lambda g, ans, x: RELU_GRAD(g, ans))
RELU.defjvp(lambda t, ans, x: RELU_GRAD(t, ans))
relu = unary_op(RELU, "fiu")

# Relu6Grad also masks with the output: the gradient is 0 at both 0 and 6.
RELU6 = primitive("Relu6", lambda x: np.clip(x, 0, 6).astype(x.dtype, copy=False),
                  save=("output",)).defvjp(lambda g, ans, x: _masked((ans > 0) & (ans < 6), g))
relu6 = unary_op(RELU6, "fiu")

LEAKY_RELU = primitive("LeakyRelu", lambda x, alpha: np.where(x > 0, x, x * alpha).astype(
    x.dtype, copy=False),
                       save=("inputs",)).defvjp(
    lambda g, ans, x, alpha: WHERE(x > 0, g, g * alpha))  # leaky_relu'(0) = alpha


def leaky_relu(features, alpha=0.2, name=None):
    """``tf.nn.leaky_relu``: ``x`` above 0, ``alpha * x`` otherwise; integers become float32."""
    x = tensor(features)
    if x._value.dtype.kind in "iu":
        x = cast(x, np.float32)
    check_kind(x, REAL, "LeakyRelu")
    # TF's alpha attr is a 32-bit float, so float64 inputs see float32(alpha) (0.2 -> 0.2000000029)
    return apply(LEAKY_RELU, (x,), {"alpha": float(np.float32(np.asarray(alpha)))})


# EluGrad works from the output: 1 where it is >= 0 (so elu'(0) = 1), else output + 1.
ELU = primitive("Elu", quiet(lambda x: np.where(x < 0, np.exp(x) - 1, x).astype(x.dtype)),
                save=("output",)).defvjp(lambda g, ans, x: WHERE(ans < 0, g * (ans + 1), g))
elu = unary_op(ELU, REAL)

_SELU_SCALE = 1.0507009873554804934193349852946
_SELU_ALPHA = 1.6732632423543772848170429916717

SELU = primitive("Selu", quiet(lambda x: np.where(
    x < 0, (_SELU_SCALE * _SELU_ALPHA) * (np.exp(x) - 1), _SELU_SCALE * x).astype(x.dtype)),
    save=("output",)).defvjp(lambda g, ans, x: WHERE(
        ans < 0, g * (ans + _SELU_SCALE * _SELU_ALPHA), g * _SELU_SCALE))
selu = unary_op(SELU, REAL)

SOFTSIGN = primitive("Softsign", lambda x: x / (1 + np.abs(x)), save=("inputs",)).defvjp(
    lambda g, ans, x: g / SQUARE(1 + ABS(x)))
softsign = unary_op(SOFTSIGN, REAL)

def gelu(features, approximate=False, name=None):
    """``tf.nn.gelu``: ``x * P(X <= x)`` for a standard normal X, or TF's tanh approximation."""
    x = tensor(features)
    if not x.dtype.is_floating:
        raise ValueError("`features.dtype` must be a floating point tensor."
                         f"Received:features.dtype={x.dtype!r}")
    if approximate:
        return 0.5 * x * (1.0 + tanh(0.7978845608028654 * (x + 0.044715 * x ** 3)))
    return 0.5 * x * erfc(x * -0.7071067811865476)


def silu(features, beta=1.0, name=None):
    """``tf.nn.silu`` / ``tf.nn.swish``: ``x * sigmoid(beta * x)``, differentiable in ``beta``."""
    x = tensor(features)
    beta = cast(tensor(beta), x.dtype)
    return x * sigmoid(beta * x)


def log_sigmoid(x, name=None):
    """``tf.math.log_sigmoid``: ``-softplus(-x)``, so -1000 gives -1000 without overflow."""
    return negative(softplus(negative(tensor(x))))

# --- softmax, logsumexp and cross-entropy losses --------------------------------------------------


def _shifted(x, axis):
    return x - np.maximum.reduce(x, axis, keepdims=True, initial=-np.inf)


def _log_softmax(x, axis):
    shifted = _shifted(x, axis)
    return shifted - np.log(np.sum(np.exp(shifted), axis, keepdims=True))


def _softmax_forward(x, axis):
    e = np.exp(_shifted(x, axis))
    return e / np.sum(e, axis, keepdims=True)


def _class_sum(g, axis):
    """Sum over the class axis, which a vectorized jacobian's leading axes shift right."""
    return SUM(g, axis=(axis + len(_k.lead(g)),), keepdims=True)


SOFTMAX = primitive("Softmax", quiet(_softmax_forward), save=("output",)).defvjp(
    lambda g, ans, x, axis: (g - _class_sum(g * ans, axis)) * ans)
SOFTMAX.defjvp(lambda t, ans, x, axis: (t - SUM(t * ans, axis=(axis,), keepdims=True)) * ans)

LOG_SOFTMAX = primitive("LogSoftmax", quiet(_log_softmax), save=("output",)).defvjp(
    lambda g, ans, x, axis: g - EXP(ans) * _class_sum(g, axis))
LOG_SOFTMAX.defjvp(lambda t, ans, x, axis: t - SUM(t * EXP(ans), axis=(axis,), keepdims=True))


def _class_axis(x, axis):
    """``axis`` checked the way tf.nn.softmax checks ``dim``, as a non-negative int."""
    ndim = x._value.ndim
    if not -ndim <= axis < ndim and axis != -1:
        raise errors.InvalidArgumentError(
            None, None, f"`dim` must be in the range [{-ndim}, {ndim}) where {ndim} is the number "
            f"of dimensions in the input. Received: dim={axis}")
    return axis % max(ndim, 1)


def _softmax_op(prim):
    def op(logits, axis=None, name=None):
        try:
            x = tensor(logits)
        except (TypeError, ValueError) as e:  # a RaggedTensor (see _helpers.fallback)
            return fallback(op, e, logits, axis, name)
        check_kind(x, REAL, prim.name)
        if isinstance(axis, str):  # TF compares it with ints in Python
            raise TypeError("'<=' not supported between instances of 'int' and 'str'")
        axis = _class_axis(x, -1 if axis is None else int(axis))
        if x._value.ndim == 0:
            raise errors.op_error(prim.name, "Input dims must be <= 5 and >=1", errors.AbortedError,
                                  kernel=True)
        return apply(prim, (x,), {"axis": axis})
    op.__doc__ = f"``tf.nn.{prim.name.lower()}`` along ``axis`` (default -1), max-shifted."
    return op


softmax = _softmax_op(SOFTMAX)
log_softmax = _softmax_op(LOG_SOFTMAX)


def reduce_logsumexp(input_tensor, axis=None, keepdims=False, name=None):
    """``tf.reduce_logsumexp``: ``log(sum(exp(x)))`` shifted by a stopped, finite max.

    Like TF it is a composite, so its gradient is the softmax weights.
    """
    x = tensor(input_tensor)
    check_kind(x, REAL, "IsFinite")
    axes = normalize_axis(axis, x._value.ndim, "Max")
    top = reduce_max(x, axes, keepdims=True)  # -inf over an empty axis
    shift = stop_gradient(where(is_finite(top), top, zeros_like(top)))
    out = log(reduce_sum(exp(x - shift), axes, keepdims=True)) + shift
    if keepdims:
        return out
    reduced = tuple(range(x._value.ndim)) if axes is None else tuple(axes)
    # dropped by axis, not reshaped to the example's other sizes (a traced None dim varies)
    return squeeze(out, list(reduced)) if reduced else out


def _with_class_axis(g, axis):
    """A per-example loss cotangent reshaped to broadcast against the class axis."""
    return EXPAND_DIMS(g, axis=(axis - len(_k.shape_of(g)) - 1,))


def _softmax_xent_forward(logits, labels, axis):
    # labels * -log_softmax, not -(labels * log_softmax): a perfect prediction is 0.0, as in TF,
    # not -0.0.
    return np.sum(labels * -_log_softmax(logits, axis), axis)


# TF's op also outputs the backprop (softmax - labels); the rules recompute it from primitives so
# that they differentiate again.
SOFTMAX_XENT = primitive("SoftmaxCrossEntropyWithLogits", quiet(_softmax_xent_forward),
                         save=("inputs",)).defvjp(
    lambda g, ans, logits, labels, axis: _with_class_axis(g, axis) * (
        SOFTMAX(logits, axis=axis) - labels),
    lambda g, ans, logits, labels, axis: _with_class_axis(g, axis) * -LOG_SOFTMAX(
        logits, axis=axis))


def _flat2d(shape):
    """TF reports the shapes flattened to [batch, classes], written without spaces."""
    return f"[{int(np.prod(shape[:-1], dtype=np.int64))},{shape[-1]}]"


def softmax_cross_entropy_with_logits(labels, logits, axis=-1, name=None):
    """``tf.nn.softmax_cross_entropy_with_logits``: differentiable in logits and labels."""
    logits = tensor(logits)
    check_kind(logits, REAL, SOFTMAX_XENT.name)
    labels = cast(tensor(labels), logits.dtype)
    ndim = logits._value.ndim
    if ndim == 0:
        raise errors.op_error("Slice", "Expected begin[0] == 0 (got -1) and size[0] == 0 (got 1) "
                              "when input.dim_size(0) == 0", kernel=True, name=None)
    try:
        np.broadcast_shapes(logits._value.shape, labels._value.shape)
    except ValueError:
        raise errors.op_error(
            SOFTMAX_XENT.name, "logits and labels must be broadcastable: logits_size="
            f"{_flat2d(logits._value.shape)} labels_size={_flat2d(labels._value.shape)}",
            kernel=True) from None
    return apply(SOFTMAX_XENT, (logits, labels), {"axis": int(axis) % ndim})


def _one_hot_like(labels, logits):
    """One-hot rows for integer ``labels`` (a constant: labels get no gradient), dual-mode; a
    traced graph's labels through the OneHot op (the labels each run brings)."""
    if _k.symbolic(labels):
        from .index_ops import one_hot
        return one_hot(labels, _k.shape_of(logits)[-1], dtype=logits.dtype)
    lab = labels._value if isinstance(labels, Tensor) else labels
    onehot = (lab[..., None] == np.arange(_k.shape_of(logits)[-1])).astype(_k.dtype_of(logits))
    return wrap(onehot) if isinstance(logits, Tensor) else onehot


def _sparse_xent_forward(logits, labels):
    picked = np.take_along_axis(_log_softmax(logits, -1), labels[..., None].astype(np.intp), -1)
    return -picked[..., 0]


SPARSE_XENT = primitive("SparseSoftmaxCrossEntropyWithLogits", quiet(_sparse_xent_forward),
                        save=("inputs",)).defvjp(
    lambda g, ans, logits, labels: _with_class_axis(g, len(_k.shape_of(g))) * (
        SOFTMAX(logits, axis=len(_k.shape_of(logits)) - 1) - _one_hot_like(labels, logits)),
    None)


def sparse_softmax_cross_entropy_with_logits(labels, logits, name=None):
    """``tf.nn.sparse_softmax_cross_entropy_with_logits``: integer class labels."""
    labels, logits = tensor(labels), tensor(logits)
    lshape, zshape = labels._value.shape, logits._value.shape
    if len(lshape) != len(zshape) - 1:
        raise ValueError("`labels.shape.rank` must equal `logits.shape.rank - 1`. Received: "
                         f"labels.shape={lshape} of rank {len(lshape)} and logits.shape={zshape} "
                         f"of rank {len(zshape)}")
    if lshape != zshape[:-1]:
        raise ValueError("`labels.shape` must equal `logits.shape` except for the last dimension. "
                         f"Received: labels.shape={lshape} and logits.shape={zshape}")
    check_kind(logits, REAL, SPARSE_XENT.name)
    if labels.dtype.name not in ("int32", "int64"):
        raise errors.op_error(SPARSE_XENT.name, "Value for attr 'Tlabels' of "
                              f"{labels.dtype._op_name} is not in the list of allowed values: "
                              "int32, int64")
    values = labels._value
    depth = zshape[-1]
    if values.size and (values.min() < 0 or values.max() >= depth):
        bad = values[(values < 0) | (values >= depth)].flat[0]
        raise errors.op_error(
            SPARSE_XENT.name, f"Received a label value of {bad} which is outside the valid range "
            f"of [0, {depth}).  Label values: {' '.join(map(str, values.ravel()))}", kernel=True)
    return apply(SPARSE_XENT, (logits, labels), {})


def sigmoid_cross_entropy_with_logits(labels=None, logits=None, name=None):
    """``tf.nn.sigmoid_cross_entropy_with_logits``: ``max(x, 0) - x*z + log1p(exp(-|x|))``.

    A composite as in TF, so the gradient is ``sigmoid(x) - z`` (``0.5 - z`` at 0).
    """
    logits, labels = tensor(logits), tensor(labels)
    if logits._value.shape != labels._value.shape:
        raise ValueError("`logits` and `labels` must have the same shape, received "
                         f"({logits.shape} vs {labels.shape}).")
    zeros = zeros_like(logits)
    nonneg = logits >= zeros
    relu_logits = where(nonneg, logits, zeros)
    neg_abs_logits = where(nonneg, negative(logits), logits)
    return relu_logits - logits * labels + log1p(exp(neg_abs_logits))


L2_LOSS = primitive("L2Loss", lambda x: np.asarray(np.sum(x * x) / 2, x.dtype),
                    save=("inputs",)).defvjp(lambda g, ans, x: x * g)


def l2_loss(t, name=None):
    """``tf.nn.l2_loss``: ``sum(t ** 2) / 2``."""
    x = tensor(t)
    check_kind(x, REAL, L2_LOSS.name)
    return apply(L2_LOSS, (x,), {})


# --- normalization, regularization, bias ----------------------------------------------------------


def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None):
    """``tf.math.l2_normalize``: ``x / sqrt(max(sum(x**2, axis), epsilon))``."""
    x = tensor(x)
    square_sum = reduce_sum(square(x), dim if axis is None else axis, keepdims=True)
    return x * rsqrt(maximum(square_sum, epsilon))


def dropout(x, rate, noise_shape=None, seed=None, name=None):
    """``tf.nn.dropout``: zero each element with probability ``rate``, scale the rest by
    ``1 / (1 - rate)``; the gradient flows through the kept elements with the same scale."""
    is_number = isinstance(rate, numbers.Real)
    if not is_number and np.ndim(rate) != 0 or isinstance(rate, str | bytes):
        raise ValueError(f"`rate` must be a scalar or scalar tensor. Received: rate={rate}")
    if is_number and not 0 <= rate < 1:
        raise ValueError("`rate` must be a scalar tensor or a float in the range [0, 1). "
                         f"Received: rate={rate}")
    try:
        x = tensor(x)
    except (TypeError, ValueError) as e:  # a RaggedTensor (see _helpers.fallback)
        return fallback(dropout, e, x, rate, noise_shape, seed, name)
    if not x.dtype.is_floating:
        raise ValueError("`x.dtype` must be a floating point tensor as `x` will be scaled. "
                         f"Received: x_dtype={str(x.dtype)}")
    if is_number and rate == 0:
        return x
    if is_number:
        kept = x * (1 / (1 - rate))
    else:
        rate = cast(tensor(rate), x.dtype)
        kept = x / (1 - rate)
    # x's sizes where noise_shape gives none (a traced x's unknown ones when the graph runs)
    rank = len(_k.static_dims(x))
    wanted = [None] * rank if noise_shape is None else list(noise_shape)
    shape = [_k.run_size(x, i) if n is None else int(n) for i, n in zip(range(rank), wanted)]
    noise = _uniform(_stateful(seed), shape, 0, 1, x.dtype)
    keep = noise >= rate
    return where(keep, kept, 0.0)


def moments(x, axes, shift=None, keepdims=False, name=None):
    """``tf.nn.moments``: (mean, variance) over ``axes``; the variance's mean is stopped, as TF."""
    x = tensor(x)
    half = x.dtype.name == "float16"
    y = cast(x, np.float32) if half else x
    mean = reduce_mean(y, axes, keepdims=True)
    variance = reduce_mean(square(y - stop_gradient(mean)), axes, keepdims=True)
    if not keepdims:
        shape = np.squeeze(np.empty(mean._value.shape, np.bool_), tuple(
            normalize_axis(axes, y._value.ndim))).shape
        mean, variance = reshape(mean, shape), reshape(variance, shape)
    if half:
        mean, variance = cast(mean, x.dtype), cast(variance, x.dtype)
    return mean, variance


def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None):
    """``tf.nn.batch_normalization``: ``(x - mean) * scale / sqrt(variance + eps) + offset``."""
    x = tensor(x)
    inv = rsqrt(tensor(variance) + variance_epsilon)
    if scale is not None:
        inv = inv * scale
    shift = -mean * inv if offset is None else offset - mean * inv
    return x * cast(inv, x.dtype) + cast(shift, x.dtype)


def _bias_add_forward(value, bias, channel):
    shape = [1] * value.ndim
    shape[channel] = -1
    return value + bias.reshape(shape)


BIAS_ADD = primitive("BiasAdd", _bias_add_forward, save=()).defvjp(
    lambda g, ans, value, bias, channel: g,
    lambda g, ans, value, bias, channel: SUM(g, axis=tuple(
        i for i in range(len(_k.shape_of(g))) if i != channel), keepdims=False))


def _dims(shape):
    return "[" + ",".join(map(str, shape)) + "]"


def bias_add(value, bias, data_format=None, name=None):
    """``tf.nn.bias_add``: add a 1-D ``bias`` along the channel axis (last, or 1 for NC...)."""
    value, bias = operands(value, bias, BIAS_ADD.name)
    vshape, bshape = value._value.shape, bias._value.shape
    if len(vshape) < 2:
        raise errors.op_error(BIAS_ADD.name, f"Input tensor must be at least 2D: {_dims(vshape)}",
                              kernel=True, name=None)
    if len(bshape) != 1:
        raise errors.op_error(BIAS_ADD.name, f"Biases must be 1D: {_dims(bshape)}", kernel=True,
                              name=None)
    if data_format is not None and not (data_format.startswith("N") and (
            data_format.startswith("NC") or data_format.endswith("C"))):
        raise ValueError("`data_format` must be of the form `N...C` or `NC...`. Received: "
                         f"data_format={data_format}")
    channel = 1 if data_format is not None and data_format.startswith("NC") else len(vshape) - 1
    if bshape[0] != vshape[channel]:
        where_ = "channel" if channel == 1 and len(vshape) > 2 else "last"
        raise errors.op_error(
            BIAS_ADD.name, f"Must provide as many biases as the {where_} dimension of the input "
            f"tensor: {_dims(bshape)} vs. {_dims(vshape)}", kernel=True, name=None)
    return apply(BIAS_ADD, (value, bias), {"channel": channel})


# --- convolution and pooling (NHWC) -------------------------------------------------------------
# Every kernel works on windows: a strided view of the padded input shaped
# (batch, out_h, out_w, k_h, k_w, channels), contracted with tensordot (im2col), and its adjoint
# `_fold`, which adds window entries back onto the input with one slice per kernel tap.


def _plan(hw, ksize, strides, padding, dilations):
    """TF's output size and (before, after) padding for each spatial dimension."""
    out, pads = [], []
    for i, (n, k, s, d) in enumerate(zip(hw, ksize, strides, dilations)):
        span = (k - 1) * d + 1
        if padding == "SAME":
            o = -(-n // s)
            total = max((o - 1) * s + span - n, 0)
            pad = (total // 2, total - total // 2)
        else:
            pad = (0, 0) if padding == "VALID" else padding[i]
            o = (n + pad[0] + pad[1] - span) // s + 1
        out.append(o)
        pads.append(pad)
    return tuple(out), tuple(pads)


def _pad_hw(x, pads, fill=0):
    """``x`` padded with ``fill`` on its spatial axes; ``x`` itself (no copy) when pads are 0."""
    return np.pad(x, ((0, 0), *pads, (0, 0)), constant_values=fill) if any(map(any, pads)) else x


def _windows(x, ksize, strides, padding, dilations=(1, 1), fill=0):
    out, pads = _plan(x.shape[1:3], ksize, strides, padding, dilations)
    xp = _pad_hw(x, pads, fill)
    sn, sh, sw, sc = xp.strides
    return np.lib.stride_tricks.as_strided(
        xp, (xp.shape[0], *out, *ksize, xp.shape[3]),
        (sn, sh * strides[0], sw * strides[1], sh * dilations[0], sw * dilations[1], sc),
        writeable=False)


def _fold(cols, shape, strides, padding, dilations=(1, 1)):
    """The adjoint of ``_windows``: sum window entries back onto an input of ``shape``."""
    n, oh, ow, kh, kw, c = cols.shape
    _, ((top, bottom), (left, right)) = _plan(shape[1:3], (kh, kw), strides, padding, dilations)
    out = np.zeros((n, shape[1] + top + bottom, shape[2] + left + right, c), cols.dtype)
    if oh and ow:
        for i in range(kh):
            for j in range(kw):
                h, w = i * dilations[0], j * dilations[1]
                out[:, h:h + (oh - 1) * strides[0] + 1:strides[0],
                    w:w + (ow - 1) * strides[1] + 1:strides[1]] += cols[:, :, :, i, j]
    return out[:, top:top + shape[1], left:left + shape[2]]


def _tap_rows(x, ksize, strides, padding, dilations):
    """A single-channel input's patches as a (taps, positions) matrix, one row per kernel tap,
    each filled by one slice copy (copying the strided window view instead moves one element at a
    time, about three times slower)."""
    (oh, ow), pads = _plan(x.shape[1:3], ksize, strides, padding, dilations)
    xp = _pad_hw(x, pads)[..., 0]
    (sh, sw), (dh, dw) = strides, dilations
    rows = np.empty((ksize[0] * ksize[1], x.shape[0], oh, ow), x.dtype)
    for t, (i, j) in enumerate(np.ndindex(*ksize)):
        rows[t] = xp[:, i * dh:i * dh + (oh - 1) * sh + 1:sh, j * dw:j * dw + (ow - 1) * sw + 1:sw]
    return rows.reshape(len(rows), -1)


# The last single-channel forward's patch rows, which its filter gradient multiplies again: the
# input array (held, so its identity stays valid), the window attributes and the rows.
_last_rows = [None]


def _shared_rows(x, ksize, strides, padding, dilations):
    key = (ksize, strides, padding, dilations)
    last = _last_rows[0]
    if last is not None and last[0] is x and last[1] == key:
        return last[2]
    rows = _tap_rows(x, ksize, strides, padding, dilations)
    _last_rows[0] = (x, key, rows)
    return rows


def _conv2d(x, w, strides, padding, dilations):
    if x.shape[3] == 1:  # (positions, taps) @ (taps, out channels), the rows kept for dW
        out, _ = _plan(x.shape[1:3], w.shape[:2], strides, padding, dilations)
        rows = _shared_rows(x, w.shape[:2], strides, padding, dilations)
        y = np.matmul(rows.T, w.reshape(len(rows), w.shape[3]))
        return y.reshape(x.shape[0], *out, w.shape[3]).astype(x.dtype, copy=False)
    cols = _windows(x, w.shape[:2], strides, padding, dilations)
    return np.tensordot(cols, w, axes=([3, 4, 5], [0, 1, 2])).astype(x.dtype, copy=False)


def _conv2d_backprop_input(w, dy, input_shape, strides, padding, dilations):
    cols = np.tensordot(dy, w, axes=([3], [3]))
    return _fold(cols, input_shape, strides, padding, dilations).astype(dy.dtype, copy=False)


def _conv2d_backprop_filter(x, dy, filter_shape, strides, padding, dilations):
    if x.shape[3] == 1:
        rows = _shared_rows(x, tuple(filter_shape[:2]), strides, padding, dilations)
        dw = np.matmul(rows, dy.reshape(len(rows[0]), dy.shape[3]))
        return dw.reshape(filter_shape).astype(x.dtype, copy=False)
    cols = _windows(x, filter_shape[:2], strides, padding, dilations)
    return np.tensordot(cols, dy, axes=([0, 1, 2], [0, 1, 2])).astype(x.dtype, copy=False)


_HALF = np.dtype(np.float16)


def _half_in_float32(kernel):
    """``kernel`` for float16 arrays run in float32 (BLAS) and rounded once: NumPy's float16
    contractions loop in 16 bits, 30x slower (TF's CPU kernels also sum in float32)."""
    @functools.wraps(kernel)
    def run(*arrays, **attrs):
        if arrays[0].dtype is not _HALF:
            return kernel(*arrays, **attrs)
        up = [a.astype(np.float32) if isinstance(a, np.ndarray) and a.dtype is _HALF
              else a for a in arrays]
        return kernel(*up, **attrs).astype(np.float16)
    return run


def _input_grad(w, g, x, **a):
    """The convolution's gradient with respect to its input ``x``: ``input_shape`` is an attr
    (eagerly, or with static sizes), or, for a traced ``x`` whose height or width is known only
    when the graph runs, read from ``x`` then (``Conv2DBackpropInputLike``: TF's input_sizes
    tensor)."""
    if _k.symbolic(x) and None in _k.static_dims(x)[1:3]:
        return CONV2D_BACKPROP_INPUT_LIKE(w, g, x, **a)
    return CONV2D_BACKPROP_INPUT(w, g, input_shape=_k.shape_of(x), **a)


# The three ops are each other's gradients (TF's _Conv2DGrad, _Conv2DBackpropInputGrad,
# _Conv2DBackpropFilterGrad), so every order of derivative stays within them.
CONV2D = primitive("Conv2D", _half_in_float32(_conv2d), save=("inputs",)).defvjp(
    lambda g, ans, x, w, **a: _input_grad(w, g, x, **a),
    lambda g, ans, x, w, **a: CONV2D_BACKPROP_FILTER(x, g, filter_shape=_k.shape_of(w), **a))

CONV2D_BACKPROP_INPUT = primitive("Conv2DBackpropInput", _half_in_float32(_conv2d_backprop_input),
                                  save=("inputs",)).defvjp(
    lambda g, ans, w, dy, input_shape, **a: CONV2D_BACKPROP_FILTER(
        g, dy, filter_shape=_k.shape_of(w), **a),
    lambda g, ans, w, dy, input_shape, **a: CONV2D(g, w, **a))

CONV2D_BACKPROP_FILTER = primitive("Conv2DBackpropFilter",
                                   _half_in_float32(_conv2d_backprop_filter),
                                   save=("inputs",)).defvjp(
    lambda g, ans, x, dy, filter_shape, **a: _input_grad(g, dy, x, **a),
    lambda g, ans, x, dy, filter_shape, **a: CONV2D(x, g, **a))

CONV2D_BACKPROP_INPUT_LIKE = primitive(
    "Conv2DBackpropInputLike",
    _half_in_float32(lambda w, dy, like, **a: _conv2d_backprop_input(
        w, dy, input_shape=like.shape, **a)), save=("inputs",)).defvjp(
    lambda g, ans, w, dy, like, **a: CONV2D_BACKPROP_FILTER(
        g, dy, filter_shape=_k.shape_of(w), **a),
    lambda g, ans, w, dy, like, **a: CONV2D(g, w, **a),
    lambda g, ans, w, dy, like, **a: None)  # ``like`` gives only its shape


def _window_argmax(x, ksize, strides, padding):
    """Flat in-window index of each window's first maximum (row-major, as TF's CPU kernel)."""
    cols = _windows(x, ksize, strides, padding, fill=-np.inf)
    n, oh, ow, kh, kw, c = cols.shape
    return cols.reshape(n, oh, ow, kh * kw, c).argmax(axis=3)


def _taps(xp, out, ksize, strides):
    """One strided view of the padded ``xp`` per kernel tap, each shaped like the output."""
    (oh, ow), (sh, sw) = out, strides
    return [xp[:, i:i + (oh - 1) * sh + 1:sh, j:j + (ow - 1) * sw + 1:sw]
            for i in range(ksize[0]) for j in range(ksize[1])]


def _pool_taps(x, ksize, strides, padding):
    """The -inf-padded input's per-tap views, their running maximum (MaxPool's output), and the
    padding, so that every pooling kernel is a loop of whole-array operations over the taps."""
    if min(ksize) <= 0:  # apply() reports the ValueError as TF's InvalidArgumentError
        raise ValueError("Sliding window ksize must be positive. The specified or inferred ksize "
                         f"is: 1,{ksize[0]},{ksize[1]},1")
    out, pads = _plan(x.shape[1:3], ksize, strides, padding, (1, 1))
    xp = _pad_hw(x, pads, -np.inf)
    taps = _taps(xp, out, ksize, strides)
    top = taps[0].copy()
    for tap in taps[1:]:
        np.maximum(top, tap, out=top)
    return taps, top, pads


def _first_max_masks(x, ksize, strides, padding):
    """For each tap, where it holds its window's FIRST maximum (row-major, TF's choice on ties);
    None when some window has no equal maximum (NaN), left to the argmax kernels."""
    taps, top, pads = _pool_taps(x, ksize, strides, padding)
    free = np.ones(top.shape, bool)
    masks = []
    for tap in taps:
        hit = np.equal(tap, top)
        hit &= free
        free &= ~hit
        masks.append(hit)
    return (None if free.any() else masks), pads


def _max_pool(x, ksize, strides, padding):
    return _pool_taps(x, ksize, strides, padding)[1]


def _max_pool_grad(x, g, ksize, strides, padding):
    masks, pads = _first_max_masks(x, ksize, strides, padding)
    if masks is None:
        idx = _window_argmax(x, ksize, strides, padding)
        hit = np.arange(ksize[0] * ksize[1])[:, None] == idx[..., None, :]
        cols = np.where(hit, g[..., None, :], 0).astype(g.dtype)
        cols = cols.reshape(*idx.shape[:3], *ksize, idx.shape[3])
        return _fold(cols, x.shape, strides, padding)
    (top, bottom), (left, right) = pads
    out = np.zeros((x.shape[0], x.shape[1] + top + bottom, x.shape[2] + left + right,
                    x.shape[3]), g.dtype)
    # g * hit is g or a zero, as np.where(hit, g, 0) but several times faster, when g is finite
    finite = np.isfinite(g).all()
    share = np.empty_like(g)
    for hit, view in zip(masks, _taps(out, g.shape[1:3], ksize, strides)):
        view += np.multiply(g, hit, out=share) if finite else np.where(hit, g, 0)
    return out[:, top:top + x.shape[1], left:left + x.shape[2]]


def _max_pool_grad_grad(x, gg, ksize, strides, padding):
    masks, pads = _first_max_masks(x, ksize, strides, padding)
    if masks is None:
        idx = _window_argmax(x, ksize, strides, padding)
        cols = _windows(gg, ksize, strides, padding)
        flat = cols.reshape(*idx.shape[:3], ksize[0] * ksize[1], idx.shape[3])
        return np.take_along_axis(flat, idx[..., None, :], axis=3)[..., 0, :]
    ggp = _pad_hw(gg, pads)
    out = np.zeros(masks[0].shape, gg.dtype)
    for hit, tap in zip(masks, _taps(ggp, out.shape[1:3], ksize, strides)):
        np.copyto(out, tap, where=hit)
    return out


# The gradient goes to each window's argmax; the gradient of that routing is a gather at the same
# argmax (MaxPoolGradGrad), and the argmax itself is piecewise constant (zero gradient).
MAX_POOL = primitive("MaxPool", _max_pool, save=("inputs",)).defvjp(
    lambda g, ans, x, **a: MAX_POOL_GRAD(x, g, **a))
MAX_POOL_GRAD = primitive("MaxPoolGrad", _max_pool_grad, save=("inputs",)).defvjp(
    lambda g, ans, x, dy, **a: _k.zeros_like(x),
    lambda g, ans, x, dy, **a: MAX_POOL_GRAD_GRAD(x, g, **a))
MAX_POOL_GRAD_GRAD = primitive("MaxPoolGradGrad", _max_pool_grad_grad, save=("inputs",)).defvjp(
    lambda g, ans, x, gg, **a: _k.zeros_like(x),
    lambda g, ans, x, gg, **a: MAX_POOL_GRAD(x, g, **a))


def _window_counts(shape, ksize, strides, padding):
    """How many real (unpadded) inputs each window covers: AvgPool divides by it."""
    ones = np.ones((1, shape[1], shape[2], 1))
    return _windows(ones, ksize, strides, padding).sum(axis=(3, 4))


def _avg_pool(x, ksize, strides, padding):
    total = _windows(x, ksize, strides, padding).sum(axis=(3, 4))
    return (total / _window_counts(x.shape, ksize, strides, padding)).astype(x.dtype, copy=False)


def _avg_pool_grad(g, input_shape, ksize, strides, padding):
    share = (g / _window_counts(input_shape, ksize, strides, padding)).astype(g.dtype, copy=False)
    cols = np.broadcast_to(share[:, :, :, None, None, :], (*g.shape[:3], *ksize, g.shape[3]))
    return _fold(cols, input_shape, strides, padding)


AVG_POOL = primitive("AvgPool", _avg_pool, save=()).defvjp(
    lambda g, ans, x, **a: AVG_POOL_GRAD(g, input_shape=_k.shape_of(x), **a))
AVG_POOL_GRAD = primitive("AvgPoolGrad", _avg_pool_grad, save=()).defvjp(
    lambda g, ans, dy, input_shape, **a: AVG_POOL(g, **a))



def _spatial(value, name, op, batch_error):
    """An int-or-list ksize/strides/dilations argument (length 1, 2 or 4; NHWC) as (h, w)."""
    if value is None:
        return (1, 1)
    v = [value] if isinstance(value, numbers.Real) else list(value)
    if len(v) == 4:
        if v[0] != 1 or v[3] != 1:
            raise errors.op_error(op, batch_error, errors.UnimplementedError, kernel=True)
        v = v[1:3]
    if len(v) not in (1, 2):
        raise ValueError(f"{name} should be of length 1, 2 or 4. Received: {name}={v} of length "
                         f"{len(v)}")
    return (int(v[0]), int(v[-1]))


def _padding(padding, op):
    """"SAME", "VALID", or TF's explicit [[0, 0], [top, bottom], [left, right], [0, 0]]."""
    if isinstance(padding, list | tuple):
        for pair in padding:
            if not isinstance(pair, list | tuple) or len(pair) != 2:
                raise ValueError("When `padding` is a list, each element of `padding` must be a "
                                 f"list/tuple of size 2. Received: padding={padding}")
        if len(padding) != 4:
            raise ValueError(f"When padding is a list, it must be of size 4. Received: "
                             f"padding={padding} of size {len(padding)}")
        if any(padding[0]) or any(padding[3]):
            raise errors.op_error(op, "Nonzero explicit padding in the batch or depth dimensions "
                                  "is not supported", kernel=True)
        return tuple((int(a), int(b)) for a, b in padding[1:3])
    if padding == "EXPLICIT":
        raise ValueError("'EXPLICIT' is not a valid value for `padding`. To use explicit padding, "
                         "`padding` must be a list.")
    if padding not in ("SAME", "VALID"):
        raise errors.op_error(op, f"Value for attr 'padding' of \"{padding}\" is not in the list "
                              "of allowed values: \"SAME\", \"VALID\", \"EXPLICIT\"")
    return padding


def _check_nhwc(x, op, data_format):
    if data_format not in (None, "NHWC"):
        raise errors.op_error(op, f"The {op} op currently only supports the NHWC tensor format on "
                              f"the CPU. The op was given the format: {data_format}",
                              errors.UnimplementedError, kernel=True)
    if x._value.ndim != 4:
        raise errors.op_error(op, f"input must be 4-dimensional{_dims(x._value.shape)}",
                              kernel=True)


def _check_output_size(op, hw, ksize, strides, padding, dilations=(1, 1)):
    out, pads = _plan(hw, ksize, strides, padding, dilations)
    for n, k, s, d, o in zip(hw, ksize, strides, dilations, out):
        if o < 0:
            raise errors.op_error(op, f"Computed output size would be negative: {o} [input_size: "
                                  f"{n}, effective_filter_size: {(k - 1) * d + 1}, stride: {s}]",
                                  kernel=True)
    return out


_CONV_STRIDE_ERROR = ("Current implementation does not yet support strides in the batch and depth "
                      "dimensions.")
_CONV_DILATION_ERROR = ("Current implementation does not yet support dilations in the batch and "
                        "depth dimensions.")


def _conv_operands(input, filters, op, strides, padding, data_format, dilations):  # noqa: A002
    x, w = operands(input, filters, op)
    check_kind(x, "fi", op)
    _check_nhwc(x, op, data_format)
    if w._value.ndim != 4:
        raise errors.op_error(op, f"filter must be 4-dimensional: {_dims(w._value.shape)}",
                              kernel=True)
    attrs = {"strides": _spatial(strides, "strides", op, _CONV_STRIDE_ERROR),
             "padding": _padding(padding, op),
             "dilations": _spatial(dilations, "dilations", op, _CONV_DILATION_ERROR)}
    return x, w, attrs


def conv2d(input, filters, strides, padding, data_format="NHWC", dilations=None,  # noqa: A002
           name=None):
    """``tf.nn.conv2d``: input NHWC, filters HWIO; ``padding`` "SAME", "VALID" or explicit."""
    x, w, attrs = _conv_operands(input, filters, "Conv2D", strides, padding, data_format, dilations)
    for s in attrs["strides"]:
        if s <= 0:
            raise errors.op_error("Conv2D", f"Stride must be > 0, but got {s}",
                                  kernel="__MklNativeConv2D")
    depth, filter_depth = x._value.shape[3], w._value.shape[2]
    if depth != filter_depth:
        if filter_depth == 0 or depth % filter_depth:
            raise errors.op_error("Conv2D", "input depth must be evenly divisible by filter depth: "
                                  f"{depth} vs {filter_depth}", kernel=True)
        raise errors.op_error("Conv2D", "grouped convolution is not supported",
                              errors.UnimplementedError, kernel=True)
    _check_output_size("Conv2D", x._value.shape[1:3], w._value.shape[:2], **attrs)
    return apply(CONV2D, (x, w), attrs)


def conv2d_transpose(input, filters, output_shape, strides, padding="SAME",  # noqa: A002
                     data_format="NHWC", dilations=None, name=None):
    """``tf.nn.conv2d_transpose``: the gradient of conv2d w.r.t. its input; filters HWOI."""
    op = "Conv2DBackpropInput"
    dy, w, attrs = _conv_operands(input, filters, op, strides, padding, data_format, dilations)
    # a traced batch size stands for dy's, which is what the kernel uses
    shape = tuple(_k.shape_entries(output_shape, batch=dy._value.shape[0]))
    if len(shape) != 4 or shape[0] != dy._value.shape[0] or shape[3] != w._value.shape[2] or \
            dy._value.shape[3] != w._value.shape[3]:
        raise errors.op_error(op, f"Conv2DCustomBackpropInput: input, filter and out_backprop "
                              f"shapes do not agree: {_dims(shape)}, {_dims(w._value.shape)}, "
                              f"{_dims(dy._value.shape)}", kernel=True)
    out = _check_output_size(op, shape[1:3], w._value.shape[:2], **attrs)
    for i, (o, actual) in enumerate(zip(out, dy._value.shape[1:3])):
        if o != actual:
            raise errors.op_error(
                op, f"Conv2DCustomBackpropInput: Size of out_backprop doesn't match computed: "
                f"actual = {actual}, computed = {o} spatial_dim: {i + 1} input: {shape[i + 1]} "
                f"filter: {w._value.shape[i]} output: {actual} stride: {attrs['strides'][i]} "
                f"dilation: {attrs['dilations'][i]}", kernel=True)
    return apply(CONV2D_BACKPROP_INPUT, (w, dy), {"input_shape": shape, **attrs})


def conv1d(input, filters, stride, padding, data_format="NWC", dilations=None,  # noqa: A002
           name=None):
    """``tf.nn.conv1d``: input NWC, filters WIO; a conv2d over a height-1 image, as TF does."""
    x, w = tensor(input), tensor(filters)
    if data_format not in (None, "NWC"):
        raise ValueError(f"`data_format` must be 'NWC' or 'NCW'. Received: data_format="
                         f"{data_format}")

    def one(v, name):
        v = 1 if v is None else v
        v = [v] if isinstance(v, numbers.Integral) else list(v)
        if len(v) == 3:
            v = v[1:2]
        if len(v) != 1:
            raise ValueError(f"{name} should be of length 1, 1 or 3. Received: {name}={v} of "
                             f"length {len(v)}")
        return [1, int(v[0])]

    if isinstance(padding, list | tuple):
        padding = [padding[0], [0, 0], padding[1], padding[2]] if len(padding) == 3 else padding
    y = conv2d(expand_dims(x, -3), reshape(w, (1,) + w._value.shape), one(stride, "stride"),
               padding, dilations=one(dilations, "dilations"))
    return squeeze(y, [-3])  # height 1 in and out: no size of x (a traced batch) baked in


def _pool(prim, input, ksize, strides, padding, data_format, explicit):  # noqa: A002
    x = tensor(input)
    check_kind(x, REAL, prim.name)
    _check_nhwc(x, prim.name, data_format)
    if not explicit and not isinstance(padding, str):
        raise TypeError(f"Expected string for argument 'padding' not {padding!r}.")
    batch_error = "Pooling is not yet supported on the batch dimension."
    attrs = {"ksize": _spatial(ksize, "ksize", prim.name, batch_error),
             "strides": _spatial(strides, "strides", prim.name, batch_error),
             "padding": _padding(padding, prim.name)}
    _check_output_size(prim.name, x._value.shape[1:3], attrs["ksize"], attrs["strides"],
                       attrs["padding"])
    return apply(prim, (x,), attrs)


def max_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):  # noqa: A002
    """``tf.nn.max_pool2d``: the gradient goes to each window's first maximum."""
    return _pool(MAX_POOL, input, ksize, strides, padding, data_format, explicit=True)


def avg_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):  # noqa: A002
    """``tf.nn.avg_pool2d``: SAME windows average only the real (unpadded) inputs."""
    return _pool(AVG_POOL, input, ksize, strides, padding, data_format, explicit=False)


# Elementwise and class-axis rules that keep a vectorized jacobian's leading cotangent axes.
batched(SIGMOID, SOFTPLUS, RELU, RELU_GRAD, RELU6, LEAKY_RELU, ELU, SELU, SOFTSIGN, SOFTMAX,
        LOG_SOFTMAX)

EXPORTS = {
    "": ["reduce_logsumexp"],
    "nn": ["relu", "relu6", "leaky_relu", "elu", "selu", "gelu", "silu", ("swish", "silu"),
           "softsign", "sigmoid", "softplus", ("tanh", "tanh"), "softmax", "log_softmax",
           "softmax_cross_entropy_with_logits", "sparse_softmax_cross_entropy_with_logits",
           "sigmoid_cross_entropy_with_logits", "l2_loss", "l2_normalize", "dropout", "moments",
           "batch_normalization", "bias_add", "conv1d", "conv2d", "conv2d_transpose",
           "max_pool2d", "avg_pool2d"],
    "math": ["sigmoid", "softplus", "log_sigmoid", "reduce_logsumexp", "l2_normalize", "softsign",
             "softmax", "log_softmax"],
}
