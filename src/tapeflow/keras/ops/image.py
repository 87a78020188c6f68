"""``keras.ops.image``: Keras 3's image functions over tapeflow's ``tf.image`` and array ops.

Images are ``(height, width, channels)`` or batched ``(batch, height, width, channels)``;
``data_format="channels_first"`` (or ``keras.config.image_data_format()``) moves channels first.
"""

import itertools as _itertools

import numpy as _np

import tapeflow as _tf

from ...ops._k import run_size as _run_size
from .nn import _channels_first
from ._base import make_symbolic as _make_symbolic
from ._base import floating as _floating
from ._base import tensor as _t


def _last(images, data_format):
    """(batched channels-last images, undo): the images as ``(b, h, w, c)`` and the inverse."""
    images = _t(images)
    if images.shape.rank not in (3, 4):
        raise ValueError("Invalid images rank: expected rank 3 (single image) or rank 4 "
                         f"(batch of images). Received input with shape: images.shape="
                         f"{tuple(images.shape)}")
    first, single = _channels_first(data_format), images.shape.rank == 3
    x = _tf.expand_dims(images, 0) if single else images
    if first:
        x = _tf.transpose(x, [0, 2, 3, 1])

    def undo(y):
        y = _tf.transpose(y, [0, 3, 1, 2]) if first else y
        return y[0] if single else y
    return x, undo


def rgb_to_grayscale(images, data_format=None):
    x, undo = _last(_floating(images), data_format)
    return undo(_tf.image.rgb_to_grayscale(x))


def rgb_to_hsv(images, data_format=None):
    x, undo = _last(_floating(images), data_format)
    return undo(_tf.image.rgb_to_hsv(x))


def hsv_to_rgb(images, data_format=None):
    x, undo = _last(_floating(images), data_format)
    return undo(_tf.image.hsv_to_rgb(x))


def resize(images, size, interpolation="bilinear", antialias=False, crop_to_aspect_ratio=False,
           pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0, data_format=None):
    if len(size) != 2:
        raise ValueError("Expected `size` to be a tuple of 2 integers. "
                         f"Received: size={size}")
    x, undo = _last(images, data_format)
    dtype = x.dtype
    h, w = size
    if crop_to_aspect_ratio:
        ih, iw = x.shape[1], x.shape[2]
        ch, cw = min(ih, iw * h // w), min(iw, ih * w // h)
        top, left = (ih - ch) // 2, (iw - cw) // 2
        x = x[:, top:top + ch, left:left + cw]
    elif pad_to_aspect_ratio:
        ih, iw = x.shape[1], x.shape[2]
        ph, pw = max(ih, iw * h // w), max(iw, ih * w // h)
        top, left = (ph - ih) // 2, (pw - iw) // 2
        x = _tf.pad(x, [[0, 0], [top, ph - ih - top], [left, pw - iw - left], [0, 0]],
                    constant_values=_tf.cast(fill_value, x.dtype))
    y = _tf.image.resize(x, size, method=interpolation, antialias=antialias)
    return undo(y if dtype.is_floating else _tf.cast(_tf.round(y), dtype))


def _margins(images, data_format, top, left, bottom, right, target_height, target_width):
    """(images as (b, h, w, c), undo, top, bottom, left, right) for padding or cropping."""
    x, undo = _last(images, data_format)
    h, w = x.shape[1], x.shape[2]
    top, bottom = _sides(top, bottom, target_height, h, "height")
    left, right = _sides(left, right, target_width, w, "width")
    return x, undo, top, bottom, left, right


def _sides(first, second, target, size, what):
    if first is None and second is None and target is None:
        raise ValueError(f"Must specify the {what} padding/cropping or the target {what}.")
    if target is not None:
        total = abs(target - size)
        if first is None and second is None:
            return 0, total
        return (first, total - first) if first is not None else (total - second, second)
    return first or 0, second or 0


def pad_images(images, top_padding=None, left_padding=None, bottom_padding=None,
               right_padding=None, target_height=None, target_width=None, data_format=None):
    x, undo, top, bottom, left, right = _margins(
        images, data_format, top_padding, left_padding, bottom_padding, right_padding,
        target_height, target_width)
    return undo(_tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]]))


def crop_images(images, top_cropping=None, left_cropping=None, bottom_cropping=None,
                right_cropping=None, target_height=None, target_width=None, data_format=None):
    x, undo, top, bottom, left, right = _margins(
        images, data_format, top_cropping, left_cropping, bottom_cropping, right_cropping,
        target_height, target_width)
    return undo(x[:, top:x.shape[1] - bottom, left:x.shape[2] - right])


def extract_patches(images, size, strides=None, dilation_rate=1, padding="valid",
                    data_format=None):
    x, undo = _last(images, data_format)
    size = [size, size] if isinstance(size, int) else list(size)
    strides = size if strides is None else [strides] * 2 if isinstance(strides, int) \
        else list(strides)
    rates = [dilation_rate] * 2 if isinstance(dilation_rate, int) else list(dilation_rate)
    y = _tf.image.extract_patches(x, [1, *size, 1], [1, *strides, 1], [1, *rates, 1],
                                  padding.upper())
    return undo(y)


def extract_patches_3d(volumes, size, strides=None, dilation_rate=1, padding="valid",
                       data_format=None):
    """Each ``size``-cube of a ``(batch,) d, h, w, c`` volume flattened (depth, row, column,
    channel order) into the channel axis: a convolution with a one-hot kernel."""
    from .nn import conv
    volumes = _t(volumes)
    size = (size,) * 3 if isinstance(size, int) else tuple(size)
    if len(size) != 3:
        raise TypeError("Invalid `size` argument. Expected an int or a tuple of length 3. "
                        f"Received: size={size}")
    strides = size if strides is None else (strides,) * 3 if isinstance(strides, int) \
        else tuple(strides)
    channels = volumes.shape[1 if _channels_first(data_format) else -1] \
        if volumes.shape.rank == 5 else volumes.shape[0 if _channels_first(data_format) else -1]
    width = int(_np.prod(size)) * channels
    kernel = _np.eye(width, dtype=volumes.dtype.name).reshape(*size, channels, width)
    single = volumes.shape.rank == 4
    out = conv(volumes[None] if single else volumes, kernel, strides, padding, data_format,
               dilation_rate)
    return out[0] if single else out


def perspective_transform(images, start_points, end_points, interpolation="bilinear",
                          fill_value=0, data_format=None):
    """Warps images so that the four ``start_points`` (x, y) land on the ``end_points``: each
    output pixel samples the input at the homography that maps end points to start points."""
    start = _t(start_points, "float32")
    end = _t(end_points, "float32")
    for name, points in (("start_points", start), ("end_points", end)):
        if points.shape.rank not in (2, 3) or tuple(points.shape[-2:]) != (4, 2):
            raise ValueError(f"Invalid {name} shape: expected (4,2) for a single image or "
                             f"(N,4,2) for a batch. Received shape: {tuple(points.shape)}")
    if start.shape != end.shape:
        raise ValueError("start_points and end_points must have the same shape. Received "
                         f"start_points.shape={tuple(start.shape)}, "
                         f"end_points.shape={tuple(end.shape)}")
    if start.shape.rank == 2:
        start, end = start[None], end[None]
    x, y, sx, sy = end[..., 0], end[..., 1], start[..., 0], start[..., 1]
    one, zero = _tf.ones_like(x), _tf.zeros_like(x)
    rows_x = _tf.stack([x, y, one, zero, zero, zero, -sx * x, -sx * y], axis=-1)
    rows_y = _tf.stack([zero, zero, zero, x, y, one, -sy * x, -sy * y], axis=-1)
    system = _tf.reshape(_tf.stack([rows_x, rows_y], axis=2), [-1, 8, 8])
    targets = _tf.reshape(_tf.stack([sx, sy], axis=2), [-1, 8, 1])
    transform = _tf.squeeze(_tf.linalg.solve(system, targets), -1)
    return affine_transform(images, transform, interpolation, "constant", fill_value,
                            data_format)


def _gaussian_kernel(n, sigma, dtype):
    ax = _np.arange(n) - (n - 1) / 2.0
    k = _np.exp(-0.5 * (ax / sigma) ** 2)
    return (k / k.sum()).astype(dtype)


def gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
    x, undo = _last(_floating(images), data_format)
    kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
    sh, sw = (sigma, sigma) if isinstance(sigma, (int, float)) else sigma
    kernel = _np.outer(_gaussian_kernel(kh, sh, "float64"), _gaussian_kernel(kw, sw, "float64"))
    c = x.shape[-1]
    kernel = _tf.constant(_np.tile(kernel[:, :, None, None], (1, 1, c, 1)).astype(
        x.dtype.name))
    return undo(_tf.nn.depthwise_conv2d(x, kernel, [1, 1, 1, 1], "SAME"))


def sobel_edges(images, data_format=None):
    x, undo = _last(_floating(images), data_format)
    edges = _tf.image.sobel_edges(x)
    return undo(_tf.sqrt(_tf.reduce_sum(_tf.square(edges), axis=-1)))


def ssim(image1, image2, max_val=1.0, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03,
         data_format=None):
    a, _ = _last(_floating(image1), data_format)
    b, _ = _last(_floating(image2), data_format)
    out = _tf.image.ssim(a, _tf.cast(b, a.dtype), max_val, filter_size, filter_sigma, k1, k2)
    return out[0] if _t(image1).shape.rank == 3 else out


def _sample(x, rows, cols, interpolation, fill_value, fill=True):
    """Pixels of ``x`` (b, h, w, c) at float coordinates ``rows``/``cols`` (b, H, W), a corner
    outside the image read as ``fill_value`` (``fill=False``: the coordinates are known to be
    inside but for corners of weight 0). All corners come from one gather of the flattened
    pixels."""
    _, h, w, c = x.shape
    b = _run_size(x, 0)  # a traced batch: its size when the graph runs
    first = _tf.reshape(_tf.range(b) * (h * w), [-1, 1, 1])

    def corners(points):
        index = _tf.stack([first + _tf.clip_by_value(r, 0, h - 1) * w
                           + _tf.clip_by_value(q, 0, w - 1) for r, q in points])
        vals = _tf.gather(_tf.reshape(x, [-1, c]), index)
        if fill:
            inside = _tf.stack([(r >= 0) & (r <= h - 1) & (q >= 0) & (q <= w - 1)
                                for r, q in points])
            vals = _tf.where(inside[..., None], vals, _tf.cast(fill_value, x.dtype))
        return _tf.unstack(vals)
    if interpolation == "nearest":
        # TF's kernel rounds halves away from zero (tf.round would round them to even)
        def away(v):
            return _tf.cast(_tf.sign(v) * _tf.floor(_tf.abs(v) + 0.5), "int32")
        return corners([(away(rows), away(cols))])[0]
    r0, c0 = _tf.floor(rows), _tf.floor(cols)
    fr, fc = (rows - r0)[..., None], (cols - c0)[..., None]
    r0, c0 = _tf.cast(r0, "int32"), _tf.cast(c0, "int32")
    v00, v01, v10, v11 = corners([(r0, c0), (r0, c0 + 1), (r0 + 1, c0), (r0 + 1, c0 + 1)])
    top = v00 * (1 - fc) + v01 * fc
    bottom = v10 * (1 - fc) + v11 * fc
    return top * (1 - fr) + bottom * fr


def affine_transform(images, transform, interpolation="bilinear", fill_mode="constant",
                     fill_value=0, data_format=None):
    """Maps each output pixel (x, y) to the input point given by ``transform``'s 8 numbers
    ``[a0, a1, a2, b0, b1, b2, c0, c1]`` (TF's projective convention); points outside the
    image are read as ``fill_mode`` says (see ``_fold``)."""
    if interpolation not in ("nearest", "bilinear"):
        raise ValueError("Invalid value for argument `interpolation`. Expected of one "
                         "{'nearest', 'bilinear'}. Received: "
                         f"interpolation={interpolation}")
    if fill_mode not in _FILL_MODES:
        raise ValueError("Invalid value for argument `fill_mode`. Expected of one "
                         f"{_FILL_MODES}. Received: fill_mode={fill_mode}")
    x, undo = _last(_floating(images), data_format)
    transform = _t(transform, x.dtype)
    if transform.shape.rank == 1:
        transform = transform[None]
    if transform.shape[0] == 1:
        transform = _tf.broadcast_to(transform, [_run_size(x, 0), 8])
    h, w = x.shape[1], x.shape[2]
    ys, xs = _np.meshgrid(_np.arange(h), _np.arange(w), indexing="ij")
    ys, xs = _tf.constant(ys.astype(x.dtype.name)), _tf.constant(xs.astype(x.dtype.name))
    t = [transform[:, i, None, None] for i in range(8)]
    k = t[6] * xs + t[7] * ys + 1.0
    src_x = (t[0] * xs + t[1] * ys + t[2]) / k
    src_y = (t[3] * xs + t[4] * ys + t[5]) / k
    src_y, src_x = _fold(src_y, h, fill_mode), _fold(src_x, w, fill_mode)
    return undo(_sample(x, src_y, src_x, interpolation, fill_value, fill_mode == "constant"))


_FILL_MODES = ("constant", "nearest", "wrap", "reflect")  # TF's kernel has no "mirror"


def _fold(coord, size, fill_mode):
    """Where TF's projective-transform kernel reads for an input coordinate outside
    ``[0, size - 1]``: as it is ("constant": the fill value), clamped to the edge ("nearest"),
    or folded back in, every period of ``size`` ("wrap") or mirrored about the outer edges of the
    border pixels, a period of ``2 * size`` ("reflect"), then clamped."""
    if fill_mode == "constant":
        return coord
    top = float(size - 1)
    if fill_mode != "nearest" and size > 1:
        low, high = coord < 0, coord > top
        if fill_mode == "wrap":
            below = coord + size * (_tf.floor(-coord / top) + 1)
            above = coord - size * _tf.floor(coord / top)
        else:
            period = 2.0 * size
            below = coord + period * _tf.floor(-coord / period)
            below = _tf.where(below < -size, below + period, -below - 1)
            above = coord - period * _tf.floor(coord / period)
            above = _tf.where(above >= size, period - above - 1, above)
        coord = _tf.where(low, below, _tf.where(high, above, coord))
    return _tf.clip_by_value(coord, 0.0, top)


def map_coordinates(inputs, coordinates, order, fill_mode="constant", fill_value=0):
    """``inputs`` sampled at ``coordinates`` (one array per axis), order 0 or 1."""
    x = _floating(inputs)
    coords = [_t(c, x.dtype) for c in coordinates]
    if len(coords) != x.shape.rank:
        raise ValueError("First dim of `coordinates` must be the same as the rank of "
                         f"`inputs`. Received inputs with shape: {tuple(x.shape)} and "
                         f"coordinate leading dim of {len(coords)}")
    if order not in (0, 1):
        raise NotImplementedError("map_coordinates supports order 0 or 1")
    if fill_mode not in _MAP_FILL_MODES:
        raise ValueError("Invalid value for argument `fill_mode`. Expected one of "
                         f"{set(_MAP_FILL_MODES)}. Received: fill_mode={fill_mode}")
    corners = [[(_tf.round(c), _tf.ones_like(c))] if order == 0 else
               [(_tf.floor(c), 1.0 - (c - _tf.floor(c))), (_tf.floor(c) + 1.0, c - _tf.floor(c))]
               for c in coords]
    out = 0.0
    for combo in _itertools.product(*corners):
        inside, index, weight = None, [], 1.0
        for (pos, wgt), size in zip(combo, x.shape):
            ok = (pos >= 0) & (pos <= size - 1)
            inside = ok if inside is None else inside & ok
            index.append(_tf.cast(_tf.clip_by_value(_index_in(pos, size, fill_mode), 0,
                                                    size - 1), "int32"))
            weight = weight * wgt
        vals = _tf.gather_nd(x, _tf.stack(index, axis=-1))
        if fill_mode == "constant":
            vals = _tf.where(inside, vals, _tf.cast(fill_value, x.dtype))
        out = out + vals * weight
    return out


_MAP_FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")


def _index_in(pos, size, fill_mode):
    """The whole-pixel index ``pos`` moved inside ``[0, size)`` as Keras's map_coordinates does:
    periodically ("wrap"), or mirrored with a period of ``2 * size`` ("mirror", and "reflect",
    which repeats the edge pixel: one less past the far edge); others clip later."""
    if fill_mode == "wrap":
        return _tf.math.floormod(pos, float(size))
    if fill_mode in ("mirror", "reflect"):
        folded = _tf.math.floormod(_tf.abs(pos), 2.0 * size)
        back = 2.0 * size - folded - (1.0 if fill_mode == "reflect" else 0.0)
        return _tf.where(folded < size, folded, back)
    return pos


def elastic_transform(images, alpha=20.0, sigma=5.0, interpolation="bilinear",
                      fill_mode="reflect", fill_value=0.0, seed=None, data_format=None):
    """Each image resampled at its pixel grid plus ``alpha`` times a random displacement field
    (unit normal noise times ``sigma``, Gaussian-blurred by ``sigma`` over ``6 * int(sigma) | 1``
    taps). As Keras on TF, the row and column displacements come from one seed, so they are the
    same field."""
    from .. import random as _random
    if interpolation not in ("nearest", "bilinear"):
        raise ValueError("Invalid value for argument `interpolation`. Expected of one "
                         f"{('nearest', 'bilinear')}. Received: interpolation={interpolation}")
    if fill_mode not in _FILL_MODES:
        raise ValueError("Invalid value for argument `fill_mode`. Expected of one "
                         f"{_FILL_MODES}. Received: fill_mode={fill_mode}")
    x, undo = _last(images, data_format)
    n, h, w, c = x.shape
    dtype = x.dtype if x.dtype.is_floating else _tf.float32
    taps = 6 * int(sigma) | 1
    pair = _random._draw(seed)
    field = _tf.random.stateless_normal((n, h, w, 1), pair, dtype=dtype) * sigma
    field = gaussian_blur(field, (taps, taps), (sigma, sigma))[..., 0] * alpha
    rows = _tf.reshape(_tf.range(h, dtype=dtype), [1, h, 1]) + field
    cols = _tf.reshape(_tf.range(w, dtype=dtype), [1, 1, w]) + field
    order = 0 if interpolation == "nearest" else 1
    out = _tf.stack([_tf.stack([map_coordinates(x[b, ..., k], [rows[b], cols[b]], order,
                                                fill_mode, fill_value) for k in range(c)],
                               axis=-1) for b in range(n)])
    return undo(_tf.cast(out, x.dtype))


_make_symbolic(globals())
