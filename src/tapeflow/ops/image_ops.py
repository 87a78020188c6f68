"""``tf.image``'s numeric ops: resizing (every ResizeMethod, antialias, preserve_aspect_ratio),
crops and pads, flips and rotations, colour adjustments and conversions, standardization,
dtype conversion, total variation, PSNR/SSIM, Sobel edges and image gradients, patches,
crop_and_resize, non-max suppression, box drawing, and random/stateless-random augmentations.

Images are ``[..., height, width, channels]``. Differentiable ops are compositions of registered
primitives (resizing is a matrix product per spatial axis, crops are slices, patches a gather), so
their gradients (any order), forward mode and batched jacobians come from those rules. Where TF
registers no gradient (adjust_hue, adjust_saturation, non-max suppression, ...) there is none.
PNG/JPEG codecs are in ``image_codecs`` (Pillow, an optional extra).
"""

import math

import numpy as np

from ..engine.core import apply, no_gradient, not_differentiable, primitive
from ..framework import dtypes, errors
from ..framework.tensor import Tensor, wrap
from . import _k
from ._helpers import tensor
from .array_extra_ops import positions, remap, remap_tail
from .array_ops import cast, expand_dims, transpose
from .index_ops import GATHER
from .linalg_ops import tensordot
from .manip_ops import clip_by_value, concat, pad, reverse, stack, tile
from .math_ops import abs as tf_abs, equal, log, maximum, sqrt, square, where
from .reduction_ops import reduce_max, reduce_mean, reduce_min, reduce_sum


def _image(image, name="image", ranks=(3, 4)):
    x = tensor(image)
    if x._value.ndim not in ranks and not (None in ranks and x._value.ndim >= 3):
        if ranks == (4,):
            raise ValueError(f"'{name}' (shape {x.shape}) must have 4 dimensions.")
        raise ValueError(f"'{name}' (shape {x.shape}) must be at least three-dimensional.")
    return x


def _hw(x):
    return x._value.shape[-3], x._value.shape[-2]


def _float(x):
    """Integer images scaled into [0, 1] floats (convert_image_dtype), floats unchanged."""
    return x if x.dtype.is_floating else convert_image_dtype(x, dtypes.float32)


def _back(y, like):
    return y if like.dtype.is_floating else convert_image_dtype(y, like.dtype, saturate=True)


# --- dtype conversion ----------------------------------------------------------------------------

def convert_image_dtype(image, dtype, saturate=False, name=None):
    """``tf.image.convert_image_dtype``: integers map [0, MAX] to floats' [0, 1] and back."""
    x = tensor(image)
    target = dtypes.as_dtype(dtype)
    if not (target.is_floating or target.is_integer):
        raise AttributeError(f"dtype must be either floating point or integer: {target!r}")
    src = x.dtype
    if src == target:
        return x
    if src.is_integer and target.is_integer:
        a, b = int(np.iinfo(src._np).max), int(np.iinfo(target._np).max)
        v = cast(x, dtypes.int64)  # ops: a graph converts the values it runs on
        return cast(v // ((a + 1) // (b + 1)) if a > b else v * ((b + 1) // (a + 1)), target)
    if src.is_floating and target.is_floating:
        return cast(x, target)
    if src.is_integer:  # int -> float
        return cast(x, target) * (1.0 / np.iinfo(src._np).max)
    scale = np.iinfo(target._np).max + 0.5
    scaled = x * scale
    if saturate:
        info = np.iinfo(target._np)
        scaled = clip_by_value(scaled, float(info.min), float(info.max))
    return cast(scaled, target)


# --- flips, rotations, crops, pads ---------------------------------------------------------------

def flip_left_right(image):
    """``tf.image.flip_left_right``."""
    return reverse(_image(image), [-2])


def flip_up_down(image):
    """``tf.image.flip_up_down``."""
    return reverse(_image(image), [-3])


def _swap_hw(x):
    nd = x._value.ndim
    perm = list(range(nd))
    perm[-3], perm[-2] = perm[-2], perm[-3]
    return transpose(x, perm)


def transpose_image(image, name=None):
    """``tf.image.transpose``: height and width swapped."""
    return _swap_hw(_image(image))


def rot90(image, k=1, name=None):
    """``tf.image.rot90``: ``k`` quarter turns counter-clockwise."""
    x = _image(image)
    k = int(np.asarray(k)) % 4
    if k == 1:
        return flip_up_down(_swap_hw(x))
    if k == 2:
        return reverse(x, [-3, -2])
    if k == 3:
        return _swap_hw(flip_up_down(x))
    return x


def crop_to_bounding_box(image, offset_height, offset_width, target_height, target_width):
    """``tf.image.crop_to_bounding_box``."""
    x = _image(image)
    h, w = _hw(x)
    oh, ow, th, tw = (int(v) for v in (offset_height, offset_width, target_height, target_width))
    if oh < 0:
        raise ValueError("offset_height must be >= 0.")
    if ow < 0:
        raise ValueError("offset_width must be >= 0.")
    if th <= 0:
        raise ValueError("target_height must be > 0.")
    if tw <= 0:
        raise ValueError("target_width must be > 0.")
    if w < tw + ow:
        raise ValueError("width must be >= target + offset.")
    if h < th + oh:
        raise ValueError("height must be >= target + offset.")
    return x[..., oh:oh + th, ow:ow + tw, :]


def pad_to_bounding_box(image, offset_height, offset_width, target_height, target_width):
    """``tf.image.pad_to_bounding_box``: zeros around, the image at the offsets."""
    x = _image(image)
    h, w = _hw(x)
    oh, ow, th, tw = (int(v) for v in (offset_height, offset_width, target_height, target_width))
    after_h, after_w = th - oh - h, tw - ow - w
    if oh < 0:
        raise ValueError("offset_height must be >= 0")
    if ow < 0:
        raise ValueError("offset_width must be >= 0")
    if after_w < 0:
        raise ValueError("width must be <= target - offset")
    if after_h < 0:
        raise ValueError("height must be <= target - offset")
    lead = [(0, 0)] * (x._value.ndim - 3)
    return pad(x, lead + [(oh, after_h), (ow, after_w), (0, 0)])


def central_crop(image, central_fraction):
    """``tf.image.central_crop``: the central ``central_fraction`` of height and width."""
    x = _image(image)
    if isinstance(central_fraction, Tensor):  # in a trace: read by value (see _trace_value)
        central_fraction = float(central_fraction._trace_value())
    if central_fraction <= 0.0 or central_fraction > 1.0:
        raise ValueError("central_fraction must be within (0, 1]")
    if central_fraction == 1.0:
        return x
    h, w = _hw(x)
    oh = int((h - h * central_fraction) / 2)
    ow = int((w - w * central_fraction) / 2)
    return x[..., oh:h - oh, ow:w - ow, :]


def resize_with_crop_or_pad(image, target_height, target_width):
    """``tf.image.resize_with_crop_or_pad``: centred crop and/or zero pad to the target size."""
    x = _image(image)
    th, tw = int(target_height), int(target_width)
    if th <= 0:
        raise ValueError("target_height must be > 0.")
    if tw <= 0:
        raise ValueError("target_width must be > 0.")
    h, w = _hw(x)
    crop_h, crop_w = max((h - th) // 2, 0), max((w - tw) // 2, 0)
    pad_h, pad_w = max((th - h) // 2, 0), max((tw - w) // 2, 0)
    x = crop_to_bounding_box(x, crop_h, crop_w, min(th, h), min(tw, w))
    return pad_to_bounding_box(x, pad_h, pad_w, th, tw)


# --- resizing ------------------------------------------------------------------------------------

class ResizeMethod:
    """``tf.image.ResizeMethod``."""
    BILINEAR = "bilinear"
    NEAREST_NEIGHBOR = "nearest"
    BICUBIC = "bicubic"
    AREA = "area"
    LANCZOS3 = "lanczos3"
    LANCZOS5 = "lanczos5"
    GAUSSIAN = "gaussian"
    MITCHELLCUBIC = "mitchellcubic"


def _keys_cubic(x, a=-0.5):
    x = np.abs(x)
    return np.where(x <= 1, ((a + 2) * x - (a + 3)) * x * x + 1,
                    np.where(x < 2, ((a * x - 5 * a) * x + 8 * a) * x - 4 * a, 0.0))


def _mitchell(x):
    b = c = 1 / 3
    x = np.abs(x)
    return np.where(x < 1, ((12 - 9 * b - 6 * c) * x ** 3 + (-18 + 12 * b + 6 * c) * x ** 2
                            + (6 - 2 * b)) / 6,
                    np.where(x < 2, ((-b - 6 * c) * x ** 3 + (6 * b + 30 * c) * x ** 2
                                     + (-12 * b - 48 * c) * x + (8 * b + 24 * c)) / 6, 0.0))


def _lanczos(r):
    def kernel(x):
        x = np.abs(x)
        return np.where(x < r, np.sinc(x) * np.sinc(x / r), 0.0)
    return kernel


_KERNELS = {  # name: (kernel, radius) for the ScaleAndTranslate family
    "lanczos3": (_lanczos(3), 3.0), "lanczos5": (_lanczos(5), 5.0),
    "gaussian": (lambda x: np.where(np.abs(x) < 1.5, np.exp(-x * x / (2 * 0.25)), 0.0), 1.5),
    "mitchellcubic": (_mitchell, 2.0), "bicubic": (_keys_cubic, 2.0),
    "bilinear": (lambda x: np.maximum(0.0, 1 - np.abs(x)), 1.0),
}


def _kernel_weights(n_in, n_out, method, antialias):
    """ScaleAndTranslate's sampling: each output averages the kernel around its centre."""
    kernel, radius = _KERNELS[method]
    inv = n_in / n_out
    kscale = max(inv, 1.0) if antialias else 1.0
    w = np.zeros((n_out, n_in))
    src = np.arange(n_in) + 0.5
    for o in range(n_out):
        centre = (o + 0.5) * inv
        lo = max(int(math.ceil(centre - radius * kscale - 0.5)), 0)
        hi = min(int(math.floor(centre + radius * kscale - 0.5)), n_in - 1)
        vals = kernel((src[lo:hi + 1] - centre) / kscale)
        total = vals.sum()
        if total != 0:
            w[o, lo:hi + 1] = vals / total
    return w


def _resize_weights(n_in, n_out, method, antialias):
    """The ``[n_out, n_in]`` matrix of one spatial axis' resampling."""
    if method in ("lanczos3", "lanczos5", "gaussian", "mitchellcubic") or (
            antialias and method in ("bilinear", "bicubic")):
        return _kernel_weights(n_in, n_out, method, antialias)
    scale = n_in / n_out
    out = np.arange(n_out)
    w = np.zeros((n_out, n_in))
    if method == "nearest":
        idx = np.minimum(np.floor((out + 0.5) * scale).astype(int), n_in - 1)
        w[out, idx] = 1
    elif method == "bilinear":
        pos = (out + 0.5) * scale - 0.5
        lo = np.floor(pos)
        frac = pos - lo
        i0 = np.clip(lo, 0, n_in - 1).astype(int)
        i1 = np.clip(lo + 1, 0, n_in - 1).astype(int)
        np.add.at(w, (out, i0), 1 - frac)
        np.add.at(w, (out, i1), frac)
    elif method == "bicubic":
        pos = (out + 0.5) * scale - 0.5
        lo = np.floor(pos)
        frac = np.rint((pos - lo) * 1024) / 1024  # TF's kernel reads a 1024-entry table
        for d in (-1, 0, 1, 2):
            idx = lo + d
            inside = (idx >= 0) & (idx < n_in)
            vals = _keys_cubic(frac - d) * inside
            np.add.at(w, (out, np.clip(idx, 0, n_in - 1).astype(int)), vals)
        w /= w.sum(axis=1, keepdims=True)
    elif method == "area":
        for o in range(n_out):
            start, stop = o * scale, (o + 1) * scale
            for i in range(int(math.floor(start)), min(int(math.ceil(stop)), n_in)):
                w[o, i] = (min(stop, i + 1) - max(start, i)) / scale
    else:
        raise ValueError(f"Resize method is not implemented: [{method}]")
    return w


def _apply_axis(x, weights, axis):
    """``weights @ x`` along ``axis`` (a matmul, so differentiable); ``weights`` an array, or
    a graph's tensor computed when it runs."""
    nd = len(x.shape)
    axis %= nd
    if isinstance(weights, Tensor):
        weights_t = transpose(cast(weights, x.dtype), [1, 0])
    else:
        weights_t = wrap(weights.T.astype(x._value.dtype))
    moved = tensordot(x, weights_t, [[axis], [0]])
    perm = list(range(axis)) + [nd - 1] + list(range(axis, nd - 1))
    return transpose(moved, perm)


def resize(images, size, method=ResizeMethod.BILINEAR, preserve_aspect_ratio=False,
           antialias=False, name=None):
    """``tf.image.resize``: float32 results (the input dtype for NEAREST_NEIGHBOR)."""
    x = _image(images, "images")
    if not _k.trace_known(size):  # a graph's size known when it runs: its tables are ops
        return _resize_traced(x, size, str(method).lower(), preserve_aspect_ratio, antialias)
    size = [int(s) for s in np.asarray(size._trace_value() if isinstance(size, Tensor) else size)]
    method = _resize_method(len(size), str(method).lower())
    th, tw = _target_size(*_hw(x), *size, preserve_aspect_ratio, method, antialias)
    h, w = _hw(x)
    if method == "nearest":
        if (th, tw) == (h, w):
            return x
        idx_h = np.argmax(_resize_weights(h, th, "nearest", False), axis=1)
        idx_w = np.argmax(_resize_weights(w, tw, "nearest", False), axis=1)
        pos = positions(x._value.shape[-3:])[idx_h][:, idx_w]  # one image's: batch carried
        return remap_tail(x, pos, 3)
    y = x if x.dtype == dtypes.float32 else cast(x, dtypes.float32)  # TF: float32 results
    return resampled(y, th, tw, method, antialias)


def _resize_method(n, method):
    if n != 2:
        raise ValueError("'size' must be a 1-D Tensor of 2 elements: new_height, new_width")
    if method not in _KERNELS and method not in ("nearest", "area"):
        raise ValueError(f"Resize method is not implemented: {method}")
    return method


_RESIZE_OPS = {"nearest": "ResizeNearestNeighbor", "bilinear": "ResizeBilinear",
               "bicubic": "ResizeBicubic", "area": "ResizeArea"}


def _target_size(h, w, th, tw, preserve_aspect_ratio, method, antialias):
    """The output's height and width; TF's kernel error for a size that is not positive."""
    if th <= 0 or tw <= 0:
        op = "ScaleAndTranslate" if antialias and method != "nearest" else _RESIZE_OPS.get(
            method, "ScaleAndTranslate")
        raise errors.op_error(op, "output dimensions must be positive", kernel=True)
    if preserve_aspect_ratio:
        scale = min(th / h, tw / w)
        th, tw = int(round(h * scale)), int(round(w * scale))
    return th, tw


def _resize_table(size, x, axis, method, antialias, preserve):
    """One spatial axis' resampling from the run's size: nearest's source index per output,
    else the ``[n_out, n_in]`` weights."""
    h, w = x.shape[-3:-1]
    n_out = _target_size(h, w, *(int(s) for s in size), preserve, method, antialias)[axis]
    n_in = (h, w)[axis]
    weights = _resize_weights(n_in, n_out, method, antialias)
    return np.argmax(weights, axis=1) if method == "nearest" else weights


# An op of a traced graph whose resize size is known only when it runs (no TF op of its own:
# TF's resize kernels take the size as an input).
RESIZE_TABLE = not_differentiable(primitive("ResizeTable", _resize_table, save=()))


def _resize_traced(x, size, method, preserve, antialias):
    size = tensor(size)
    method = _resize_method(size.shape[0] if size.shape.rank == 1 else 0, method)
    tables = [apply(RESIZE_TABLE, (size, x), {"axis": a, "method": method,
                                              "antialias": bool(antialias),
                                              "preserve": bool(preserve)}) for a in (0, 1)]
    nd = x._value.ndim
    if method == "nearest":
        for a, table in zip((nd - 3, nd - 2), tables):
            x = apply(GATHER, (x, table), {"axis": a, "batch_dims": 0})
        return x
    y = x if x.dtype == dtypes.float32 else cast(x, dtypes.float32)
    return _apply_axis(_apply_axis(y, tables[0], -3), tables[1], -2)


def resampled(x, th, tw, method, antialias):
    """``x`` resampled to ``th`` x ``tw`` in its own float dtype (resize's differentiable core:
    one matrix product per spatial axis)."""
    h, w = _hw(x)
    y = _apply_axis(x, _resize_weights(h, th, method, antialias), -3)
    return _apply_axis(y, _resize_weights(w, tw, method, antialias), -2)


def resize_with_pad(image, target_height, target_width, method=ResizeMethod.BILINEAR,
                    antialias=False):
    """``tf.image.resize_with_pad``: resized to fit, keeping the aspect ratio, then padded."""
    x = _image(image)
    th, tw = int(target_height), int(target_width)
    h, w = _hw(x)
    ratio = max(w / tw, h / th)
    fh, fw = h / ratio, w / ratio
    resized = resize(x, [int(fh), int(fw)], method=method, antialias=antialias)
    return pad_to_bounding_box(resized, max(0, int((th - fh) / 2)), max(0, int((tw - fw) / 2)),
                               th, tw)


# --- colour --------------------------------------------------------------------------------------

def adjust_brightness(image, delta):
    """``tf.image.adjust_brightness``: ``image + delta`` (integer images via floats)."""
    x = tensor(image)
    y = _float(x)
    return _back(y + cast(tensor(delta), y.dtype), x)  # an op: a graph adds each call's delta


def adjust_gamma(image, gamma=1, gain=1):
    """``tf.image.adjust_gamma``: ``gain * image ** gamma``."""
    x = tensor(image)
    if float(np.asarray(gamma)) < 0:
        raise ValueError("Gamma should be a non-negative real number.")
    y = _float(x)
    return _back(gain * y ** float(np.asarray(gamma)), x)


_GRAY = np.array([0.2989, 0.587, 0.114])


def rgb_to_grayscale(images, name=None):
    """``tf.image.rgb_to_grayscale``: the weighted channel sum, keeping a channel axis."""
    x = tensor(images)
    y = _float(x)
    gray = tensordot(y, wrap(_GRAY.astype(y._value.dtype)), [[-1], [-1]])
    return _back(expand_dims(gray, -1), x)


def grayscale_to_rgb(images, name=None):
    """``tf.image.grayscale_to_rgb``: the one channel repeated three times."""
    x = tensor(images)
    if x._value.shape[-1:] != (1,):
        raise ValueError(f"Last dimension of a grayscale image should be size 1. "
                         f"Got {x.shape}")
    return tile(x, [1] * (x._value.ndim - 1) + [3])


def _matrix_colour(matrix):
    def convert(images):
        x = tensor(images)
        return tensordot(x, wrap(np.asarray(matrix, x._value.dtype).T), [[-1], [0]])
    return convert


_YIQ = [[0.299, 0.587, 0.114], [0.59590059, -0.27455667, -0.32134392],
        [0.2115, -0.52273617, 0.31119955]]  # TF's rounded 0.2115
_YUV = [[0.299, 0.587, 0.114], [-0.14714119, -0.28886916, 0.43601035],
        [0.61497538, -0.51496512, -0.10001026]]
rgb_to_yiq = _matrix_colour(_YIQ)
# TF's inverse is that of the unrounded matrix (0.21153661 where the forward has 0.2115)
yiq_to_rgb = _matrix_colour(np.linalg.inv(np.asarray(_YIQ) + [[0, 0, 0], [0, 0, 0],
                                                             [0.00003661, 0, 0]]))
rgb_to_yuv = _matrix_colour(_YUV)
yuv_to_rgb = _matrix_colour(np.linalg.inv(_YUV))
for _fn, _doc in ((rgb_to_yiq, "RGB to YIQ"), (yiq_to_rgb, "YIQ to RGB"),
                  (rgb_to_yuv, "RGB to YUV"), (yuv_to_rgb, "YUV to RGB")):
    _fn.__doc__ = f"``tf.image``: {_doc}, a 3x3 matrix on the channel axis (differentiable)."


def _rgb_to_hsv_np(rgb):
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    v = rgb.max(-1)
    rng = v - rgb.min(-1)
    with np.errstate(all="ignore"):
        s = np.where(v > 0, rng / v, 0)
        norm = 1 / (6 * rng)
        h = np.where(r == v, norm * (g - b),
                     np.where(g == v, norm * (b - r) + 2 / 6, norm * (r - g) + 4 / 6))
    h = np.where(rng > 0, h, 0)
    h = np.where(h < 0, h + 1, h)
    return np.stack([h, s, v], -1).astype(rgb.dtype)


def _hsv_to_rgb_np(hsv):
    h, s, v = hsv[..., 0], hsv[..., 1], hsv[..., 2]
    dh = h * 6
    r = np.clip(np.abs(dh - 3) - 1, 0, 1)
    g = np.clip(2 - np.abs(dh - 2), 0, 1)
    b = np.clip(2 - np.abs(dh - 4), 0, 1)
    return (((np.stack([r, g, b], -1) - 1) * s[..., None] + 1) * v[..., None]).astype(hsv.dtype)


def rgb_to_hsv(images, name=None):
    """``tf.image.rgb_to_hsv`` for float images (differentiable, as in TF)."""
    x = tensor(images)
    r, g, b = (x[..., i] for i in range(3))
    v = reduce_max(x, -1)
    rng = v - reduce_min(x, -1)
    zero, one = _k.zeros_like(v), _k.ones_like(v)
    safe_rng = where(rng > 0, rng, one)
    safe_v = where(v > 0, v, one)
    s = where(v > 0, rng / safe_v, zero)
    hue = where(equal(r, v), (g - b) / (6.0 * safe_rng),
                where(equal(g, v), (b - r) / (6.0 * safe_rng) + 2 / 6,
                      (r - g) / (6.0 * safe_rng) + 4 / 6))
    hue = where(rng > 0, hue, zero)
    hue = where(hue < 0, hue + 1.0, hue)
    return stack([hue, s, v], -1)


# TF 2.21's tape gives no gradient through hsv_to_rgb (None), so neither does tapeflow.
HSV_TO_RGB = not_differentiable(primitive("HSVToRGB", _hsv_to_rgb_np, save=()))


def hsv_to_rgb(images, name=None):
    """``tf.image.hsv_to_rgb`` for float images (its gradient is None, as in TF)."""
    return apply(HSV_TO_RGB, (tensor(images),), {})


def _adjust_hue_np(image, delta):
    hsv = _rgb_to_hsv_np(image.astype(np.float32))
    hsv[..., 0] = np.mod(hsv[..., 0] + delta, 1.0)
    return _hsv_to_rgb_np(hsv).astype(image.dtype)


def _adjust_saturation_np(image, scale):
    hsv = _rgb_to_hsv_np(image.astype(np.float32))
    hsv[..., 1] = np.clip(hsv[..., 1] * scale, 0.0, 1.0)
    return _hsv_to_rgb_np(hsv).astype(image.dtype)


ADJUST_HUE = no_gradient(primitive("AdjustHue", lambda x, delta: _adjust_hue_np(x, delta),
                                   save=()))
ADJUST_SATURATION = no_gradient(primitive(
    "AdjustSaturation", lambda x, scale: _adjust_saturation_np(x, scale), save=()))
# their forms for a factor a traced graph draws or computes (TF's ops take it as an input)
def _adjust_hue_run(x, delta):
    if not -1 <= delta <= 1:  # TF's kernel checks the delta when it runs
        raise errors.op_error("AdjustHue", f"delta must be in the interval [-1, 1]: {delta}",
                              kernel=True)
    return _adjust_hue_np(x, float(delta))


ADJUST_HUE_RUN = no_gradient(primitive("AdjustHueRun", _adjust_hue_run, save=()))
ADJUST_SATURATION_RUN = no_gradient(primitive(
    "AdjustSaturationRun", lambda x, scale: _adjust_saturation_np(x, float(scale)), save=()))


def no_half_kernel(x, op_type):
    """TF's error for a float16 image reaching a kernel registered for float32 only on CPU."""
    if x.dtype == dtypes.float16:
        raise errors.op_error(
            op_type, f"Could not find device for node: {{{{node {op_type}}}}} = "
            f"{op_type}[T=DT_HALF]\nAll kernels registered for op {op_type}:\n  "
            "device='XLA_CPU_JIT'; T in [DT_FLOAT, DT_HALF]\n  device='CPU'; T in [DT_FLOAT]\n",
            errors.NotFoundError)


def _adjust_contrast_np(images, contrast_factor):
    mean = np.mean(images, axis=(-3, -2), keepdims=True)
    return ((images - mean) * contrast_factor + mean).astype(images.dtype)


# No .defvjp on purpose: the backward pass raises TF's LookupError when it reaches this op.
ADJUST_CONTRAST = no_gradient(primitive("AdjustContrastv2", _adjust_contrast_np))


def adjust_contrast(images, contrast_factor):
    """``tf.image.adjust_contrast``: scale each channel's distance from its spatial mean."""
    images = tensor(images)
    no_half_kernel(images, "AdjustContrastv2")
    return apply(ADJUST_CONTRAST, (images, tensor(contrast_factor)), {})


def adjust_hue(image, delta, name=None):
    """``tf.image.adjust_hue``: hue rotated by ``delta`` (in [-1, 1]); no gradient, as in TF."""
    x = tensor(image)
    no_half_kernel(x, "AdjustHue")
    if not _k.trace_known(delta):  # a delta the traced graph draws or computes
        return _back(apply(ADJUST_HUE_RUN, (_float(x), cast(delta, dtypes.float32)), {}), x)
    delta = float(np.asarray(delta))
    if not -1 <= delta <= 1:
        raise errors.op_error("AdjustHue", f"delta must be in the interval [-1, 1]: {delta}",
                              kernel=True)
    return _back(apply(ADJUST_HUE, (_float(x),), {"delta": delta}), x)


def adjust_saturation(image, saturation_factor, name=None):
    """``tf.image.adjust_saturation``: saturation scaled (clipped to [0, 1]); no gradient."""
    x = tensor(image)
    no_half_kernel(x, "AdjustSaturation")
    if not _k.trace_known(saturation_factor):
        return _back(apply(ADJUST_SATURATION_RUN,
                           (_float(x), cast(saturation_factor, dtypes.float32)), {}), x)
    return _back(apply(ADJUST_SATURATION, (_float(x),),
                       {"scale": float(np.asarray(saturation_factor))}), x)


def per_image_standardization(image):
    """``tf.image.per_image_standardization``: zero mean, unit variance per image (the
    deviation floored at 1/sqrt(N))."""
    x = _image(image, ranks=(3, 4, None))
    return standardized(x if x.dtype == dtypes.float32 else cast(x, dtypes.float32))


def standardized(y):
    """per_image_standardization in ``y``'s own float dtype (TF's computes in float32)."""
    n = int(np.prod(y._value.shape[-3:]))
    mean = reduce_mean(y, axis=[-1, -2, -3], keepdims=True)
    std = sqrt(reduce_mean(square(y - mean), axis=[-1, -2, -3], keepdims=True))
    floor = wrap(np.asarray(1.0 / math.sqrt(n), y._value.dtype))
    return (y - mean) / maximum(std, floor)


def total_variation(images, name=None):
    """``tf.image.total_variation``: the sum of absolute neighbour differences per image."""
    x = _image(images, "images")
    axes = [-3, -2, -1]
    dh = tf_abs(x[..., 1:, :, :] - x[..., :-1, :, :])
    dw = tf_abs(x[..., :, 1:, :] - x[..., :, :-1, :])
    return reduce_sum(dh, axes) + reduce_sum(dw, axes)


def as_float32_pair(img1, img2, max_val):
    """Both images and ``max_val`` in float32 ([0, 1] for integer images), as TF's quality
    metrics take them."""
    a, b = tensor(img1), tensor(img2)
    if a.dtype != b.dtype:
        raise TypeError(f"{a.dtype!r} vs {b.dtype!r}")
    max_val = float(np.asarray(max_val))
    if not a.dtype.is_floating:
        max_val = max_val / np.iinfo(a.dtype._np).max
    return convert_image_dtype(a, dtypes.float32), convert_image_dtype(b, dtypes.float32), \
        max_val


def psnr(a, b, max_val, name=None):
    """``tf.image.psnr``: 20 log10(max_val) - 10 log10(MSE), per image, in float32."""
    return psnr_of(*as_float32_pair(a, b, max_val))


def psnr_of(fa, fb, max_val):
    """psnr of float images in their own dtype."""
    mse = reduce_mean(square(fa - fb), [-3, -2, -1])
    ln10 = math.log(10.0)
    return 20.0 * math.log(max_val) / ln10 - (10.0 / ln10) * log(mse)


def _gauss(size, sigma):
    c = np.arange(size) - (size - 1) / 2
    g = np.exp(-c * c / (2 * sigma * sigma))
    return g / g.sum()


def _valid_filter(x, taps):
    """A separable VALID filter over height and width (as banded matrices: differentiable)."""
    for axis in (-3, -2):
        n = x._value.shape[axis]
        m = n - len(taps) + 1
        band = np.zeros((m, n))
        for i in range(m):
            band[i, i:i + len(taps)] = taps
        x = _apply_axis(x, band, axis)
    return x


def _ssim_parts(a, b, max_val, size, sigma, k1, k2):
    h, w = _hw(a)
    size = min(size, h, w)
    taps = _gauss(size, sigma)
    c1, c2 = (k1 * max_val) ** 2, (k2 * max_val) ** 2
    mu_a, mu_b = _valid_filter(a, taps), _valid_filter(b, taps)
    mu_ab = mu_a * mu_b
    mu_sq = square(mu_a) + square(mu_b)
    luminance = (2.0 * mu_ab + c1) / (mu_sq + c1)
    sig_ab = _valid_filter(a * b, taps) - mu_ab
    sig_sq = _valid_filter(square(a) + square(b), taps) - mu_sq
    cs = (2.0 * sig_ab + c2) / (sig_sq + c2)
    return luminance, cs


def ssim(img1, img2, max_val, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03,
         return_index_map=False):
    """``tf.image.ssim``: mean structural similarity per image (Gaussian window, VALID), in
    float32."""
    a, b, max_val = as_float32_pair(img1, img2, max_val)
    return ssim_of(a, b, max_val, filter_size, filter_sigma, k1, k2, return_index_map)


def ssim_of(a, b, max_val, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03,
            return_index_map=False):
    """ssim of float images in their own dtype."""
    luminance, cs = _ssim_parts(a, b, max_val, int(filter_size), float(filter_sigma),
                                float(k1), float(k2))
    index = luminance * cs
    if return_index_map:
        return reduce_mean(index, [-1])
    return reduce_mean(index, [-3, -2, -1])


def sobel_edges(image):
    """``tf.image.sobel_edges``: ``[..., H, W, C, 2]`` (dy, dx) with REFLECT padding."""
    x = _image(image, ranks=(4,))
    padded = pad(x, [(0, 0), (1, 1), (1, 1), (0, 0)], mode="REFLECT")
    h, w = _hw(x)
    ky = np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], np.float64)
    out = []
    for kernel in (ky, ky.T):
        total = None
        for i in range(3):
            for j in range(3):
                if kernel[i, j]:
                    term = padded[:, i:i + h, j:j + w, :] * float(kernel[i, j])
                    total = term if total is None else total + term
        out.append(total)
    return stack(out, -1)


def image_gradients(image):
    """``tf.image.image_gradients``: forward differences (dy, dx), zero in the last row/col."""
    x = _image(image, ranks=(4,))
    dy = x[:, 1:, :, :] - x[:, :-1, :, :]
    dx = x[:, :, 1:, :] - x[:, :, :-1, :]
    dy = concat([dy, _k.zeros_like(x[:, :1])], 1)
    dx = concat([dx, _k.zeros_like(x[:, :, :1])], 2)
    return dy, dx


def extract_patches(images, sizes, strides, rates, padding, name=None):
    """``tf.image.extract_patches``: ``[B, rows, cols, kh * kw * C]`` patches (differentiable)."""
    x = _image(images, "images", ranks=(4,))
    _, kh, kw, _ = (int(s) for s in sizes)
    _, sh, sw, _ = (int(s) for s in strides)
    _, rh, rw, _ = (int(s) for s in rates)
    h, w, c = x._value.shape[1:]
    eh, ew = (kh - 1) * rh + 1, (kw - 1) * rw + 1
    if padding == "VALID":
        oh, ow = (h - eh) // sh + 1, (w - ew) // sw + 1
        top = left = 0
    elif padding == "SAME":
        oh, ow = -(-h // sh), -(-w // sw)
        top = max((oh - 1) * sh + eh - h, 0) // 2
        left = max((ow - 1) * sw + ew - w, 0) // 2
    else:
        raise ValueError(f"padding must be SAME or VALID, got {padding}")
    ys = np.arange(oh)[:, None] * sh + np.arange(kh)[None, :] * rh - top  # [oh, kh]
    xs = np.arange(ow)[:, None] * sw + np.arange(kw)[None, :] * rw - left  # [ow, kw]
    pos = positions((h, w, c))  # one image's: the batch (None in a traced graph) carried along
    yy = ys[:, None, :, None]
    xx = xs[None, :, None, :]
    inside = (yy >= 0) & (yy < h) & (xx >= 0) & (xx < w)  # [oh, ow, kh, kw]
    idx = pos[np.clip(yy, 0, h - 1), np.clip(xx, 0, w - 1), :]  # [oh, ow, kh, kw, c]
    idx = np.where(inside[..., None], idx, -1)
    return remap_tail(x, idx.reshape(oh, ow, kh * kw * c), 3, fill=0)


def crop_and_resize(image, boxes, box_indices, crop_size, method="bilinear",
                    extrapolation_value=0.0, name=None):
    """``tf.image.crop_and_resize``: bilinear/nearest samples of each box, float32.

    Differentiable with respect to ``image`` (TF also gives a gradient for ``boxes``; tapeflow
    does not)."""
    x = _image(image, ranks=(4,))
    x = x if x.dtype == dtypes.float32 else cast(x, dtypes.float32)
    return cropped_and_resized(x, boxes, box_indices, crop_size, method, extrapolation_value)


def cropped_and_resized(x, boxes, box_indices, crop_size, method, extrapolation_value):
    """crop_and_resize's differentiable core, in ``x``'s own float dtype."""
    bx = np.asarray(tensor(boxes)._trace_value(), np.float64)  # their layout: read in Python
    ind = np.asarray(tensor(box_indices)._trace_value())
    ch, cw = (int(s) for s in np.asarray(crop_size))
    _, h, w, c = x._value.shape

    def coords(lo, hi, n, size):
        steps = np.arange(n)
        if n > 1:
            return lo[:, None] * (size - 1) + steps * (hi - lo)[:, None] * (size - 1) / (n - 1)
        return (0.5 * (lo + hi) * (size - 1))[:, None] + 0 * steps

    ys = coords(bx[:, 0], bx[:, 2], ch, h)  # [boxes, ch]
    xs = coords(bx[:, 1], bx[:, 3], cw, w)
    # Each box's image first (a gather along the batch, whose size may change in a graph).
    x = apply(GATHER, (x, wrap(ind)), {"axis": 0, "batch_dims": 0})
    pos = positions((len(ind), h, w, c))
    valid = ((ys >= 0) & (ys <= h - 1))[:, :, None] & ((xs >= 0) & (xs <= w - 1))[:, None, :]

    def take(yi, xi):
        idx = pos[np.arange(len(ind))[:, None, None], np.clip(yi, 0, h - 1)[:, :, None],
                  np.clip(xi, 0, w - 1)[:, None, :], :]
        return remap(x, np.where(valid[..., None], idx, -1), fill=float(extrapolation_value))

    if method == "nearest":
        return take(np.floor(ys + 0.5).astype(int), np.floor(xs + 0.5).astype(int))
    y0, x0 = np.floor(ys).astype(int), np.floor(xs).astype(int)
    fy = (ys - y0)[:, :, None, None].astype(x._value.dtype)
    fx = (xs - x0)[:, None, :, None].astype(x._value.dtype)
    top = take(y0, x0) * wrap(1 - fx) + take(y0, x0 + 1) * wrap(fx)
    bottom = take(y0 + 1, x0) * wrap(1 - fx) + take(y0 + 1, x0 + 1) * wrap(fx)
    return top * wrap(1 - fy) + bottom * wrap(fy)


# --- non-max suppression -------------------------------------------------------------------------

def _iou_matrix(boxes):
    y1 = np.minimum(boxes[:, 0], boxes[:, 2])
    y2 = np.maximum(boxes[:, 0], boxes[:, 2])
    x1 = np.minimum(boxes[:, 1], boxes[:, 3])
    x2 = np.maximum(boxes[:, 1], boxes[:, 3])
    area = (y2 - y1) * (x2 - x1)
    iy = np.maximum(0, np.minimum(y2[:, None], y2[None]) - np.maximum(y1[:, None], y1[None]))
    ix = np.maximum(0, np.minimum(x2[:, None], x2[None]) - np.maximum(x1[:, None], x1[None]))
    inter = iy * ix
    union = area[:, None] + area[None] - inter
    with np.errstate(all="ignore"):
        return np.where(union > 0, inter / union, 0.0)


def _greedy(overlaps, scores, max_out, threshold, score_threshold):
    order = sorted((i for i in range(len(scores)) if scores[i] > score_threshold),
                   key=lambda i: -scores[i])
    keep = []
    for i in order:
        if len(keep) >= max_out:
            break
        if all(overlaps[i, j] <= threshold for j in keep):
            keep.append(i)
    return keep


def non_max_suppression(boxes, scores, max_output_size, iou_threshold=0.5,
                        score_threshold=float("-inf"), name=None):
    """``tf.image.non_max_suppression``: indices of the kept boxes, best first."""
    bx, sc = np.asarray(tensor(boxes)._trace_value()), np.asarray(tensor(scores)._trace_value())
    keep = _greedy(_iou_matrix(bx.astype(np.float64)), sc, int(max_output_size),
                   float(iou_threshold), float(score_threshold))
    return wrap(np.asarray(keep, np.int32))


def non_max_suppression_with_scores(boxes, scores, max_output_size, iou_threshold=0.5,
                                    score_threshold=float("-inf"), soft_nms_sigma=0.0,
                                    name=None):
    """``tf.image.non_max_suppression_with_scores`` (hard NMS; soft_nms_sigma must be 0)."""
    if float(soft_nms_sigma) != 0.0:
        raise NotImplementedError("tapeflow implements hard NMS only (soft_nms_sigma=0)")
    keep = non_max_suppression(boxes, scores, max_output_size, iou_threshold, score_threshold)
    return keep, GATHER(tensor(scores), keep, axis=0, batch_dims=0)


def non_max_suppression_overlaps(overlaps, scores, max_output_size, overlap_threshold=0.5,
                                 score_threshold=float("-inf"), name=None):
    """``tf.image.non_max_suppression_overlaps``: NMS on a given overlap matrix."""
    ov, sc = np.asarray(tensor(overlaps)._trace_value()), np.asarray(tensor(scores)._trace_value())
    keep = _greedy(ov, sc, int(max_output_size), float(overlap_threshold),
                   float(score_threshold))
    return wrap(np.asarray(keep, np.int32))


def non_max_suppression_padded(boxes, scores, max_output_size, iou_threshold=0.5,
                               score_threshold=float("-inf"), pad_to_max_output_size=False,
                               name=None, sorted_input=False, canonicalized_coordinates=False,
                               tile_size=512):
    """``tf.image.non_max_suppression_padded``: (indices, number valid), optionally padded."""
    keep = non_max_suppression(boxes, scores, max_output_size, iou_threshold, score_threshold)
    k = keep._value
    valid = wrap(np.asarray(len(k), np.int32))
    if pad_to_max_output_size:
        k = np.concatenate([k, np.zeros(int(max_output_size) - len(k), np.int32)])
    return wrap(k), valid


def draw_bounding_boxes(images, boxes, colors, name=None):
    """``tf.image.draw_bounding_boxes``: box outlines (1 pixel) drawn in ``colors`` (cycled)."""
    x = tensor(images)
    if x.dtype not in (dtypes.float32, dtypes.float16):
        raise errors.op_error(
            "DrawBoundingBoxesV2", f"Value for attr 'T' of {x.dtype._op_name} is not in the list "
            "of allowed values: float, half\n\t; NodeDef: {{node DrawBoundingBoxesV2}}; Op<name="
            "DrawBoundingBoxesV2; signature=images:T, boxes:float, colors:float -> output:T; "
            "attr=T:type,default=DT_FLOAT,allowed=[DT_FLOAT, DT_HALF]>", name=None)
    out = np.array(x)  # read by value (guarded in a graph)
    bx = np.asarray(tensor(boxes), np.float64)
    col = np.asarray(tensor(colors), np.float64)
    _, h, w, c = out.shape
    for b in range(out.shape[0]):
        for k, box in enumerate(bx[b]):
            colour = np.resize(col[k % len(col)], c).astype(out.dtype)
            top, left = int(box[0] * (h - 1)), int(box[1] * (w - 1))
            bottom, right = int(box[2] * (h - 1)), int(box[3] * (w - 1))
            if top > bottom or left > right or top >= h or left >= w or bottom < 0 or right < 0:
                continue
            t, bt = max(top, 0), min(bottom, h - 1)
            lf, rt = max(left, 0), min(right, w - 1)
            for row in (top, bottom):
                if 0 <= row < h:
                    out[b, row, lf:rt + 1] = colour
            for column in (left, right):
                if 0 <= column < w:
                    out[b, t:bt + 1, column] = colour
    return wrap(out)


# --- random and stateless-random augmentations ---------------------------------------------------

def _draw(seed, stateless, shape, low, high, dtype=dtypes.float32):
    """TF's draw for a random image op: ``tf.random.uniform`` with the op seed, or
    ``stateless_uniform`` with the seed pair (TF's values for seeded calls)."""
    from .random_ops import stateless_uniform, uniform
    if stateless:
        return stateless_uniform(shape, seed, low, high, dtype)
    return uniform(shape, low, high, dtype, seed)


def _flip(image, axis, seed, stateless):
    """One draw per image, as TF: a single image flips below 0.5; a batch's image ``i`` flips
    where ``round(u[i])`` is 1 (blended with 0/1 weights, as TF does)."""
    x = _image(image)
    if x._value.ndim == 3:
        return where(_draw(seed, stateless, [], 0, 1.0) < 0.5, reverse(x, [axis]), x)
    from .special_ops import round as tf_round
    from .array_ops import reshape
    n = _k.run_size(x, 0)  # a traced batch: as many draws as the running graph's images
    flips = cast(reshape(tf_round(_draw(seed, stateless, [n], 0, 1.0)), [-1, 1, 1, 1]), x.dtype)
    return flips * reverse(x, [axis]) + (1 - flips) * x


def random_flip_left_right(image, seed=None):
    return _flip(image, -2, seed, False)


def random_flip_up_down(image, seed=None):
    return _flip(image, -3, seed, False)


def stateless_random_flip_left_right(image, seed):
    return _flip(image, -2, seed, True)


def stateless_random_flip_up_down(image, seed):
    return _flip(image, -3, seed, True)


def _crop(value, size, seed, stateless):
    """TF's offsets: int32 draws below 2**31 - 1, modulo ``shape - size + 1``."""
    x = tensor(value)
    size = [int(s) for s in np.asarray(size)]
    shape = x._value.shape
    if any(s > n for s, n in zip(size, shape)):
        from .assert_ops import Assert
        Assert(wrap(np.asarray(False)), ["Need value.shape >= size, got ", wrap(np.asarray(shape)),
                                         wrap(np.asarray(size))], summarize=1000)
    draws = _draw(seed, stateless, [len(shape)], 0, 2 ** 31 - 1, dtypes.int32)
    if _k.trace_known(draws):
        offsets = [int(d) % (n - s + 1) for d, s, n in zip(draws._value.tolist(), size, shape)]
    else:  # a traced graph: each run's draws, the slice's bounds read when it runs
        from .math_ops import floormod
        spans = floormod(draws, wrap(np.array([n - s + 1 for s, n in zip(size, shape)],
                                              np.int32)))
        offsets = [spans[i] for i in range(len(shape))]
    return x[tuple(slice(o, o + s) for o, s in zip(offsets, size))]


def random_crop(value, size, seed=None, name=None):
    return _crop(value, size, seed, False)


def stateless_random_crop(value, size, seed, name=None):
    return _crop(value, size, seed, True)


def _random_factor(seed, stateless, lower, upper):
    """The factor as TF draws it (a float32 uniform in [lower, upper)); in a traced graph, the
    tensor each run draws."""
    factor = _draw(seed, stateless, [], lower, upper)
    return float(factor._value) if _k.trace_known(factor) else factor


def _brightness_bound(max_delta):
    if max_delta < 0:
        raise ValueError("max_delta must be non-negative.")
    return -max_delta, max_delta


def _contrast_bounds(lower, upper):
    if upper <= lower:
        raise ValueError("upper must be > lower.")
    if lower < 0:
        raise ValueError("lower must be non-negative.")
    return lower, upper


def _hue_bound(max_delta):
    if max_delta > 0.5:
        raise ValueError("max_delta must be <= 0.5.")
    if max_delta < 0:
        raise ValueError("max_delta must be non-negative.")
    return -max_delta, max_delta




def _augmenters(adjust, bounds, what):
    """The ``random_*`` (op seed) and ``stateless_random_*`` (seed pair) versions of ``adjust``
    with a factor drawn uniformly from ``bounds(*params)``."""
    def random_(image, *params, seed=None):
        return adjust(image, _random_factor(seed, False, *bounds(*params)))

    def stateless_(image, *params, seed=None):
        if seed is None:  # TF's signatures take the seed pair positionally, last
            *params, seed = params
        return adjust(image, _random_factor(seed, True, *bounds(*params)))
    random_.__doc__ = f"``tf.image.random_{what}`` (seeded: TF's draw)."
    stateless_.__doc__ = f"``tf.image.stateless_random_{what}``: the same seed, the same image."
    return random_, stateless_


random_brightness, stateless_random_brightness = _augmenters(
    adjust_brightness, _brightness_bound, "brightness")
random_contrast, stateless_random_contrast = _augmenters(
    adjust_contrast, _contrast_bounds, "contrast")
random_hue, stateless_random_hue = _augmenters(adjust_hue, _hue_bound, "hue")
random_saturation, stateless_random_saturation = _augmenters(
    adjust_saturation, _contrast_bounds, "saturation")


EXPORTS = {
    "image": ["convert_image_dtype", "flip_left_right", "flip_up_down",
              ("transpose", "transpose_image"), "rot90", "crop_to_bounding_box",
              "pad_to_bounding_box", "central_crop", "resize_with_crop_or_pad", "ResizeMethod",
              "resize", "resize_with_pad", "adjust_brightness", "adjust_gamma",
              "rgb_to_grayscale", "grayscale_to_rgb", "rgb_to_yiq", "yiq_to_rgb", "rgb_to_yuv",
              "yuv_to_rgb", "rgb_to_hsv", "hsv_to_rgb", "adjust_contrast", "adjust_hue",
              "adjust_saturation",
              "per_image_standardization", "total_variation", "psnr", "ssim", "sobel_edges",
              "image_gradients", "extract_patches", "crop_and_resize", "non_max_suppression",
              "non_max_suppression_with_scores", "non_max_suppression_overlaps",
              "non_max_suppression_padded", "draw_bounding_boxes", "random_flip_left_right",
              "random_flip_up_down", "stateless_random_flip_left_right",
              "stateless_random_flip_up_down", "random_crop", "stateless_random_crop",
              "random_brightness", "stateless_random_brightness", "random_contrast",
              "stateless_random_contrast", "random_hue", "stateless_random_hue",
              "random_saturation", "stateless_random_saturation"],
}
