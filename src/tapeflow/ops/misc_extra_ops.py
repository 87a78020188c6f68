"""The last top-level and namespace odds and ends: TF's ``tf.*_initializer`` classes,
``approx_top_k``, ``extract_volume_patches``, the raw conv2d backprop ops,
``tf.nn.isotonic_regression``, ``tf.image.ssim_multiscale``, ``combined_non_max_suppression``,
``extract_glimpse`` and ``sample_distorted_bounding_box`` (and its stateless twin)."""

import collections
import math

import numpy as np

from ..engine.core import apply, primitive
from ..framework import dtypes, errors
from ..framework.tensor import wrap
from . import _k
from ._helpers import tensor
from .array_extra_ops import _approx_k, remap, remap_tail, saturate_cast  # noqa: F401 - saturate_cast: tf.
from .conv_ops import _padding_arg, _window_index
from .image_ops import _ssim_parts, as_float32_pair, non_max_suppression
from .math_ops import maximum
from .random_extra_ops import stateless_rng
from .random_ops import _generator, _normal, _stateful, _stateless_generator, _uniform
from .reduction_ops import reduce_mean


# --- TF's (non-Keras) initializers ---------------------------------------------------------------

class _Initializer:
    _fields = ()

    def get_config(self):
        return {k: getattr(self, k) for k in self._fields}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class zeros_initializer(_Initializer):  # noqa: N801 - TF's name
    """``tf.zeros_initializer``: zeros of the requested shape and dtype."""

    def __call__(self, shape, dtype=dtypes.float32, **kwargs):
        return wrap(np.zeros(tuple(shape), dtypes.as_dtype(dtype)._np))


class ones_initializer(_Initializer):  # noqa: N801
    """``tf.ones_initializer``."""

    def __call__(self, shape, dtype=dtypes.float32, **kwargs):
        return wrap(np.ones(tuple(shape), dtypes.as_dtype(dtype)._np))


class constant_initializer(_Initializer):  # noqa: N801
    """``tf.constant_initializer``: a scalar broadcast, or a value of exactly the shape."""
    _fields = ("value",)

    def __init__(self, value=0):
        self.value = value

    def __call__(self, shape, dtype=None, **kwargs):
        arr = np.asarray(tensor(self.value))  # read by value (guarded in a graph)
        np_dtype = dtypes.as_dtype(dtype)._np if dtype is not None else (
            np.float32 if arr.dtype.kind == "f" else arr.dtype)
        if arr.size != 1 and arr.size != int(np.prod(shape)):
            raise TypeError(f"Eager execution of tf.constant with unsupported shape. Tensor "
                            f"{arr} (converted from {self.value}) has {arr.size} "
                            f"elements, but got `shape` {tuple(shape)} with "
                            f"{int(np.prod(shape))} elements).")
        return wrap(np.broadcast_to(arr.reshape(-1) if arr.size != 1 else arr.reshape(()),
                                    (int(np.prod(shape)),) if arr.size != 1 else tuple(shape))
                    .reshape(tuple(shape)).astype(np_dtype))


class random_normal_initializer(_Initializer):  # noqa: N801
    """``tf.random_normal_initializer``: with a seed, TF's stateless draw seeded ``[seed, 0]``
    (the same values on every call, as TF's)."""
    _fields = ("mean", "stddev", "seed")

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean, self.stddev, self.seed = mean, stddev, seed

    def __call__(self, shape, dtype=dtypes.float32, **kwargs):
        return _normal(_initializer_rng(self.seed), shape, self.mean, self.stddev, dtype)


class random_uniform_initializer(_Initializer):  # noqa: N801
    """``tf.random_uniform_initializer``."""
    _fields = ("minval", "maxval", "seed")

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        self.minval, self.maxval, self.seed = minval, maxval, seed

    def __call__(self, shape, dtype=dtypes.float32, **kwargs):
        return _uniform(_initializer_rng(self.seed), shape, self.minval, self.maxval, dtype)


def _initializer_rng(seed):
    """TF's initializers draw statelessly from ``[seed, 0]`` when seeded, else as an op."""
    return _stateful(None) if seed is None else _stateless_generator([seed, 0])


for _cls, _tf_name in ((zeros_initializer, "Zeros"), (ones_initializer, "Ones"),
                       (constant_initializer, "Constant"), (random_normal_initializer,
                                                            "RandomNormal"),
                       (random_uniform_initializer, "RandomUniform")):
    _cls.__name__ = _cls.__qualname__ = _tf_name


# --- raw ops at the top level --------------------------------------------------------------------

ApproxTopK = collections.namedtuple("ApproxTopK", ["values", "indices"])


def approx_top_k(input, k, reduction_dimension=-1, recall_target=0.95,  # noqa: A002
                 is_max_k=True, reduction_input_size_override=-1, aggregate_to_topk=True,
                 name=None):
    """``tf.approx_top_k``: exact here (sorted), as ``ApproxTopK(values, indices)``."""
    return ApproxTopK(*_approx_k(input, k, reduction_dimension, bool(is_max_k)))


def extract_volume_patches(input, ksizes, strides, padding, name=None):  # noqa: A002
    """``tf.extract_volume_patches``: ``[B, planes, rows, cols, kd * kh * kw * C]`` patches."""
    x = tensor(input)
    k = tuple(int(v) for v in ksizes[1:4])
    s = tuple(int(v) for v in strides[1:4])
    index, out = _window_index((1,) + x._value.shape[1:], k, s, _padding_arg(padding, 3, None),
                               (1, 1, 1))  # one sample's table: the batch carried along
    c = x._value.shape[-1]
    return remap_tail(x, index.reshape((*out, int(np.prod(k)) * c)), 4, fill=0)


def _conv2d_probe(shape_of, w_or_x, out_backprop, strides, padding, explicit_paddings,
                  data_format, dilations, wrt_input):
    from ..engine.tape import GradientTape
    from .nn_ops import conv2d
    if padding == "EXPLICIT":
        p = list(explicit_paddings)
        padding = [p[0:2], p[2:4], p[4:6], p[6:8]]
    other = tensor(w_or_x)
    probe = wrap(np.zeros(tensor(shape_of)._value.shape, other._value.dtype))
    with GradientTape() as tape:
        tape.watch(probe)
        y = (conv2d(probe, other, strides, padding, data_format, dilations) if wrt_input
             else conv2d(other, probe, strides, padding, data_format, dilations))
    return tape.gradient(y, probe, output_gradients=tensor(out_backprop))


def _conv2d_backprop_v2(wrt_input):
    def op(input, filter, out_backprop, strides, padding, use_cudnn_on_gpu=True,  # noqa: A002
           explicit_paddings=(), data_format="NHWC", dilations=(1, 1, 1, 1), name=None):
        shape_of, other = (input, filter) if wrt_input else (filter, input)
        return _conv2d_probe(shape_of, other, out_backprop, strides, padding, explicit_paddings,
                             data_format, dilations, wrt_input)
    what = "input" if wrt_input else "filter"
    op.__doc__ = (f"``tf.conv2d_backprop_{what}_v2``: conv2d's gradient w.r.t. ``{what}`` (only "
                  "its shape is used).")
    return op


conv2d_backprop_input_v2 = _conv2d_backprop_v2(True)
conv2d_backprop_filter_v2 = _conv2d_backprop_v2(False)


# --- tf.nn.isotonic_regression -------------------------------------------------------------------

IsotonicRegression = collections.namedtuple("IsotonicRegression", ["output", "segments"])


def _pava(row, decreasing):
    """Pool-adjacent-violators: block means and each element's block index."""
    blocks = []  # [sum, count]
    for v in (row if decreasing else -row):
        blocks.append([float(v), 1])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] < blocks[-1][0] / blocks[-1][1]:
            s, c = blocks.pop()
            blocks[-1][0] += s
            blocks[-1][1] += c
    out, seg = [], []
    for i, (s, c) in enumerate(blocks):
        out += [s / c] * c
        seg += [i] * c
    out = np.asarray(out)
    return (out if decreasing else -out), np.asarray(seg)


def _segment_average(g, segments):
    """Each entry of ``g``'s last axis replaced by the mean over its segment (a symmetric
    linear map, so it is its own transpose)."""
    if g.dtype.kind == "V":  # bfloat16: NumPy's einsum has none; float32, rounded once
        return _segment_average(g.astype(np.float32), segments).astype(g.dtype)
    same = segments[..., :, None] == segments[..., None, :]
    avg = (same / same.sum(-1, keepdims=True)).astype(g.dtype)
    return np.einsum("...ij,...j->...i", avg, g)


SEGMENT_AVERAGE = primitive("IsotonicSegmentAverage", _segment_average, save=("inputs",))
SEGMENT_AVERAGE.defvjp(lambda g, ans, x, segments: SEGMENT_AVERAGE(g, segments), None)


def _isotonic_forward(x, decreasing, dtype):
    """Fits and segments along the last axis, row by row, from the values when the op runs."""
    rows = x.reshape(math.prod(x.shape[:-1]), x.shape[-1])
    segs = np.zeros(rows.shape, np.int32)
    for r, row in enumerate(rows):
        segs[r] = _pava(row.astype(np.float64), decreasing)[1]
    segs = segs.reshape(x.shape)
    return _segment_average(x.astype(dtype), segs), segs


# TF's op (the last axis): the gradient averages the cotangent over each output's segment.
ISOTONIC = primitive("IsotonicRegression", _isotonic_forward, multi=True, save=("output",))
ISOTONIC.defvjp(lambda g, ans, x, decreasing, dtype: SEGMENT_AVERAGE(g[0], ans[1]))


def isotonic_regression(inputs, decreasing=True, axis=-1):
    """``tf.nn.isotonic_regression``: the best non-increasing (or non-decreasing) fit along
    ``axis``, and each element's segment. Differentiable: each output is its segment's mean."""
    from .array_ops import transpose
    x = tensor(inputs)
    dtype = x._value.dtype if x.dtype.is_floating else (  # TF: int8/int16 to float32, else 64
        np.float32 if x._value.dtype in (np.int8, np.int16) else np.float64)
    nd = x._value.ndim
    perm = list(range(nd))
    perm.append(perm.pop(axis % nd))
    moved = transpose(x, perm) if perm != list(range(nd)) else x
    out, segments = apply(ISOTONIC, (moved,), {"decreasing": bool(decreasing), "dtype": dtype})
    if moved is not x:
        inverse = [int(i) for i in np.argsort(perm)]
        out, segments = transpose(out, inverse), transpose(segments, inverse)
    return IsotonicRegression(out, segments)


# --- tf.image odds -------------------------------------------------------------------------------

_MS_WEIGHTS = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)


def ssim_multiscale(img1, img2, max_val, power_factors=_MS_WEIGHTS, filter_size=11,
                    filter_sigma=1.5, k1=0.01, k2=0.03):
    """``tf.image.ssim_multiscale``: contrast-structure at each scale (2x2 average pooling,
    SAME with edge replication as TF), luminance at the coarsest, weighted geometric mean."""
    a, b, max_val = as_float32_pair(img1, img2, max_val)
    return ssim_multiscale_of(a, b, max_val, power_factors, filter_size, filter_sigma, k1, k2)


def ssim_multiscale_of(a, b, max_val, power_factors=_MS_WEIGHTS, filter_size=11,
                       filter_sigma=1.5, k1=0.01, k2=0.03):
    """ssim_multiscale of float images in their own dtype."""
    from .conv_ops import _pool_nd
    from .manip_ops import pad
    values = []
    for i, _ in enumerate(power_factors):
        if i:
            h, w = a._value.shape[-3:-1]
            edges = [(0, 0)] * (a._value.ndim - 3) + [(0, h % 2), (0, w % 2), (0, 0)]
            a, b = (pad(t, edges, mode="SYMMETRIC") for t in (a, b))
            a, b = (_pool_nd(t, 2, 2, 2, "VALID", None, "AVG") if t._value.ndim == 4 else
                    _pool_nd(t[None], 2, 2, 2, "VALID", None, "AVG")[0] for t in (a, b))
        lum, cs = _ssim_parts(a, b, max_val, int(filter_size), float(filter_sigma), float(k1),
                              float(k2))
        cs_mean = reduce_mean(cs, [-3, -2, -1])
        values.append(cs_mean if i < len(power_factors) - 1 else
                      reduce_mean(lum * cs, [-3, -2, -1]))
    out = None
    for v, p in zip(values, power_factors):
        term = maximum(v, _k.zeros_like(v)) ** float(p)
        out = term if out is None else out * term
    return out


CombinedNonMaxSuppression = collections.namedtuple(
    "CombinedNonMaxSuppression", ["nmsed_boxes", "nmsed_scores", "nmsed_classes",
                                  "valid_detections"])


def combined_non_max_suppression(boxes, scores, max_output_size_per_class, max_total_size,
                                 iou_threshold=0.5, score_threshold=float("-inf"),
                                 pad_per_class=False, clip_boxes=True, name=None):
    """``tf.image.combined_non_max_suppression``: per-class NMS, then the best
    ``max_total_size`` detections of each batch entry (zero-padded)."""
    bx = np.asarray(tensor(boxes)._trace_value(), np.float32)
    sc = np.asarray(tensor(scores)._trace_value(), np.float32)
    batch, n, q, _ = bx.shape
    classes = sc.shape[-1]
    total = int(max_total_size)
    if pad_per_class:
        total = min(total, int(max_output_size_per_class) * classes)
    out_b = np.zeros((batch, total, 4), np.float32)
    out_s = np.zeros((batch, total), np.float32)
    out_c = np.zeros((batch, total), np.float32)
    valid = np.zeros(batch, np.int32)
    for i in range(batch):
        found = []
        for c in range(classes):
            cb = bx[i, :, 0 if q == 1 else c]
            keep = non_max_suppression(cb, sc[i, :, c], max_output_size_per_class,
                                       iou_threshold, score_threshold)._value
            found += [(sc[i, k, c], c, cb[k]) for k in keep]
        found.sort(key=lambda t: -t[0])
        found = found[:total]
        for j, (s, c, b) in enumerate(found):
            out_b[i, j] = np.clip(b, 0, 1) if clip_boxes else b
            out_s[i, j], out_c[i, j] = s, c
        valid[i] = len(found)
    return CombinedNonMaxSuppression(wrap(out_b), wrap(out_s), wrap(out_c), wrap(valid))


def extract_glimpse(input, size, offsets, centered=True, normalized=True,  # noqa: A002
                    noise="uniform", name=None):
    """``tf.image.extract_glimpse`` (V2): ``size`` windows around ``offsets``; outside pixels
    are 0 (``noise="zero"``), uniform noise is not reproduced (zeros as well)."""
    from ..framework.tensor import convert_to_tensor
    x = convert_to_tensor(input, dtype=dtypes.float32)  # TF's kernel: float32 only
    return glimpse_core(x, size, offsets, centered, normalized)


def glimpse_core(x, size, offsets, centered, normalized):
    """extract_glimpse in ``x``'s own dtype (differentiable)."""
    n, h, w, c = x._value.shape
    gh, gw = (int(v) for v in np.asarray(size))
    off = np.asarray(tensor(offsets)._trace_value(), np.float64)
    if normalized:
        off = off * ([h, w] if not centered else [h / 2.0, w / 2.0])
    if centered:
        off = off + [h / 2.0, w / 2.0]
    from .array_extra_ops import positions
    pos = positions(x._value.shape)
    index = -np.ones((n, gh, gw, c), np.int64)
    for b in range(n):
        # centered offsets locate the glimpse's centre; uncentered ones its top-left corner
        top = int(np.floor(off[b, 0] - (gh / 2.0 if centered else 0)))
        left = int(np.floor(off[b, 1] - (gw / 2.0 if centered else 0)))
        ys, xs = np.arange(gh) + top, np.arange(gw) + left
        inside = ((ys >= 0) & (ys < h))[:, None] & ((xs >= 0) & (xs < w))[None, :]
        picked = pos[b, np.clip(ys, 0, h - 1)][:, np.clip(xs, 0, w - 1)]
        index[b] = np.where(inside[..., None], picked, -1)
    return remap(x, index, fill=0)


def _distorted_box(gen, image_size, bounding_boxes, min_object_covered, aspect_ratio_range,
                   area_range, max_attempts, use_image_if_no_bounding_boxes):
    h, w = (int(v) for v in np.asarray(tensor(image_size)._trace_value())[:2])
    ar = aspect_ratio_range or (0.75, 1.33)
    area = area_range or (0.05, 1.0)
    boxes = np.asarray(tensor(bounding_boxes)._trace_value(), np.float64).reshape(-1, 4)
    if not boxes.size:
        if not use_image_if_no_bounding_boxes:
            raise errors.InvalidArgumentError(None, None, "No bounding boxes provided as input. "
                                              "One must enable use_image_if_no_bounding_boxes "
                                              "if you wish to not provide any bounding boxes.")
        boxes = np.array([[0.0, 0.0, 1.0, 1.0]])
    for _ in range(int(max_attempts or 100)):
        ratio = gen.uniform(*ar)
        frac = gen.uniform(*area)
        bh = int(round(np.sqrt(frac * h * w / ratio)))
        bw = int(round(bh * ratio))
        if not (0 < bh <= h and 0 < bw <= w):
            continue
        y0, x0 = int(gen.integers(0, h - bh + 1)), int(gen.integers(0, w - bw + 1))
        crop = np.array([y0 / h, x0 / w, (y0 + bh) / h, (x0 + bw) / w])
        iy = np.maximum(0, np.minimum(crop[2], boxes[:, 2]) - np.maximum(crop[0], boxes[:, 0]))
        ix = np.maximum(0, np.minimum(crop[3], boxes[:, 3]) - np.maximum(crop[1], boxes[:, 1]))
        covered = iy * ix / np.maximum((boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1]),
                                       1e-12)
        if covered.max() >= min_object_covered:
            break
    else:
        y0, x0, bh, bw = 0, 0, h, w
    begin = np.array([y0, x0, 0], np.int32)
    size = np.array([bh, bw, -1], np.int32)
    box = np.array([[[y0 / h, x0 / w, (y0 + bh) / h, (x0 + bw) / w]]], np.float32)
    return wrap(begin), wrap(size), wrap(box)


def sample_distorted_bounding_box(image_size, bounding_boxes, seed=0, min_object_covered=0.1,
                                  aspect_ratio_range=None, area_range=None, max_attempts=None,
                                  use_image_if_no_bounding_boxes=None, name=None):
    """``tf.image.sample_distorted_bounding_box``: (begin, size, bbox) of a random crop that
    covers ``min_object_covered`` of some box (NumPy's draws)."""
    return _distorted_box(_generator(seed or None), image_size, bounding_boxes,
                          min_object_covered, aspect_ratio_range, area_range, max_attempts,
                          use_image_if_no_bounding_boxes)


def stateless_sample_distorted_bounding_box(image_size, bounding_boxes, seed,
                                            min_object_covered=0.1, aspect_ratio_range=None,
                                            area_range=None, max_attempts=None,
                                            use_image_if_no_bounding_boxes=None, name=None):
    """``tf.image.stateless_sample_distorted_bounding_box``."""
    return _distorted_box(stateless_rng(seed), image_size, bounding_boxes,
                          min_object_covered, aspect_ratio_range, area_range, max_attempts,
                          use_image_if_no_bounding_boxes)



EXPORTS = {
    "": ["zeros_initializer", "ones_initializer", "constant_initializer",
         "random_normal_initializer", "random_uniform_initializer", "approx_top_k",
         "extract_volume_patches", "conv2d_backprop_input_v2", "conv2d_backprop_filter_v2",
         "saturate_cast"],
    "nn": ["isotonic_regression"],
    "image": ["ssim_multiscale", "combined_non_max_suppression", "extract_glimpse",
              "sample_distorted_bounding_box", "stateless_sample_distorted_bounding_box"],
}
