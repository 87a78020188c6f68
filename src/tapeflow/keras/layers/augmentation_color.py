"""Keras 3's colour augmentation layers: RandomContrast, RandomBrightness, RandomGrayscale,
RandomInvert, Solarization, RandomPosterization, AutoContrast, RandomSharpness,
RandomColorDegeneration, RandomSaturation, RandomHue, Equalization, RandomColorJitter,
RandomGaussianBlur, ContrastLimitedAdaptiveHistogramEqualization (see ``augmentation`` for what
all image layers share). ``value_range`` says what range the pixel values are in (``(0, 255)``
by default); outputs are clipped to it where Keras clips."""

import numpy as np

import tapeflow as tf

from .. import config as _config
from ..ops import image as _image
from .augmentation import ImageLayer, bounded_factor, factor_pair, value_range_of


def _rescaled(images, source, target):
    """Pixel values moved linearly from the range ``source`` to ``target``."""
    if source[0] == target[0] and source[1] == target[1]:
        return images
    unit = (images - source[0]) / (source[1] - source[0])
    return unit * (target[1] - target[0]) + target[0]


class _Colour(ImageLayer):
    """A colour layer drawing one number per image (shape ``(batch, 1, 1, 1)``)."""

    _config_keys = ("factor", "value_range", "seed")

    def _per_image(self, images, low, high):
        return self._draw((self._batch(images), 1, 1, 1), low, high)

    def _masks(self, masks, params):
        return masks


class RandomContrast(_Colour):
    """``(x - mean) * c + mean`` per image and channel (the mean over height and width), ``c``
    drawn from ``[1 - lower, 1 + upper]``, clipped to ``value_range``."""

    _cast = "training"

    def __init__(self, factor, value_range=(0, 255), seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.factor = bounded_factor(factor, (0, 1))
        self.value_range = value_range

    def _params(self, images, training):
        if training:
            return self._per_image(images, 1.0 - self.factor[0], 1.0 + self.factor[1])
        return None

    def _apply(self, images, params, interpolation):
        if params is None:
            return images
        h, w, _ = self._axes
        mean = tf.reduce_mean(images, axis=[h, w], keepdims=True)
        out = (images - mean) * params + mean
        return tf.clip_by_value(out, *map(float, self.value_range))


class RandomBrightness(_Colour):
    """Adds ``f * (max - min)`` of ``value_range`` to each image, ``f`` drawn from the factor's
    range, then clips to ``value_range``."""

    _cast = "training"

    def __init__(self, factor, value_range=(0, 255), seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.factor = bounded_factor(factor)
        self.value_range = value_range_of(value_range)

    def _params(self, images, training):
        if training:
            spread = self.value_range[1] - self.value_range[0]
            return self._per_image(images, *self.factor) * spread
        return None

    def _apply(self, images, params, interpolation):
        if params is None:
            return images
        out = images + tf.cast(params, images.dtype)
        return tf.clip_by_value(out, *map(float, self.value_range))


class RandomGrayscale(_Colour):
    """Each image turned to grayscale (kept with its channel count) with probability
    ``factor``."""

    def __init__(self, factor=0.5, data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        if factor < 0 or factor > 1:
            raise ValueError(f"`factor` should be between 0 and 1. Received: factor={factor}")
        self.factor = factor

    def _params(self, images, training):
        return self._per_image(images, 0.0, 1.0) < self.factor if training else None

    def _apply(self, images, params, interpolation):
        if params is None:
            return images
        gray = _image.rgb_to_grayscale(images, data_format=self.data_format)
        return tf.where(params, tf.cast(gray, images.dtype), images)

    _config_keys = ("factor",)


class _UnitFactor(_Colour):
    """A layer whose ``factor`` lies in ``[0, 1]`` and whose ``value_range`` is kept as given."""

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.factor = bounded_factor(factor, (0, 1))
        self.value_range = value_range


class RandomInvert(_UnitFactor):
    """Each image replaced by ``max - x`` (``max`` of ``value_range``) with a probability drawn
    from the factor's range."""

    _cast = "training"

    def __init__(self, factor=1.0, value_range=(0, 255), seed=None, data_format=None, **kwargs):
        super().__init__(factor, value_range, data_format, seed, **kwargs)

    def _params(self, images, training):
        if not training:
            return None
        chance = self._per_image(images, *self.factor)
        return self._per_image(images, 0.0, 1.0) < chance

    def _apply(self, images, params, interpolation):
        if params is None:
            return images
        return tf.where(params, self.value_range[1] - images, images)


_SOLARIZE_ERROR = ("The `addition_factor` and `threshold_factor` arguments should be a number (or "
                   "a list of two numbers) in the range [0, 1]. ")


class Solarization(_Colour):
    """On the 0-255 scale: adds a drawn ``addition``, clips, and inverts (``255 - x``) the
    pixels at or above a drawn ``threshold``. As Keras, the draws span ``[lower, upper * 255]``
    (only the upper bound is scaled)."""

    def __init__(self, addition_factor=0.0, threshold_factor=0.0, value_range=(0, 255),
                 seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.addition_factor = factor_pair(addition_factor, "addition_factor", _SOLARIZE_ERROR,
                                           0.0, 1.0, single=lambda f: (0, f))
        self.threshold_factor = factor_pair(threshold_factor, "threshold_factor",
                                            _SOLARIZE_ERROR, 0.0, 1.0, single=lambda f: (0, f))
        self.value_range = value_range_of(value_range)

    def _params(self, images, training):
        if not training:
            return None
        add, threshold = self.addition_factor, self.threshold_factor
        return (self._per_image(images, add[0], add[1] * 255),
                self._per_image(images, threshold[0], threshold[1] * 255))

    def _apply(self, images, params, interpolation):
        if params is None:
            return images
        additions, thresholds = params
        x = tf.clip_by_value(_rescaled(images, self.value_range, (0, 255)) + additions, 0., 255.)
        x = tf.where(x < thresholds, x, 255.0 - x)
        return _rescaled(x, (0, 255), self.value_range)

    _config_keys = ("value_range", "addition_factor", "threshold_factor", "seed")


class RandomPosterization(_Colour):
    """Keeps the top ``b`` bits of each 8-bit pixel value, ``b`` drawn from the factor's range
    (integers in ``[1, 8]``)."""

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.factor = bounded_factor(factor, (1, 8))
        self.value_range = value_range_of(value_range)

    def _params(self, images, training):
        if not training:
            return None
        low, high = self.factor
        if low == high:
            return tf.fill([self._batch(images), 1, 1, 1], 8 - int(low))
        bits = tf.cast(tf.floor(self._per_image(images, float(low), float(high))), "int32")
        return 8 - bits

    def _apply(self, images, params, interpolation):
        if params is None:
            return images
        x = tf.cast(tf.cast(_rescaled(images, self.value_range, (0, 255)), "uint8"),
                    self.compute_dtype)
        step = tf.cast(2 ** params, self.compute_dtype)  # dropping the low bits, as >> then <<
        return _rescaled(tf.floor(x / step) * step, (0, 255), self.value_range)


class AutoContrast(_Colour):
    """Stretches each image's channels so their minimum and maximum span ``value_range``
    (always, training or not); a constant channel stays as it was."""

    _draws = False

    def __init__(self, value_range=(0, 255), data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.value_range = value_range_of(value_range)

    def _apply(self, images, params, interpolation):
        x = _rescaled(images, self.value_range, (0, 255))
        h, w, _ = self._axes
        low = tf.reduce_min(x, axis=[h, w], keepdims=True)
        high = tf.reduce_max(x, axis=[h, w], keepdims=True)
        scale = 255.0 / (high - low)
        out = tf.clip_by_value(x * scale - low * scale, 0.0, 255.0)
        out = _rescaled(out, (0, 255), self.value_range)
        return tf.where(tf.math.is_nan(out), images, out)

    _config_keys = ("value_range",)


class _Blend(_Colour):
    """``x + (1 - s) * (other - x)`` for a drawn ``s`` per image, clipped to ``value_range``:
    sharpness blends with a smoothed copy, colour degeneration with the grayscale one."""

    _base_bounds = (-1, 1)
    _cast = "training"

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.factor = bounded_factor(factor, self._base_bounds)
        self.value_range = value_range_of(value_range)

    def _params(self, images, training):
        return self._per_image(images, *self.factor) if training else None

    def _apply(self, images, params, interpolation):
        if params is None:
            return images
        out = images + self._weight(params) * (self._other(images) - images)
        return tf.clip_by_value(out, *map(float, self.value_range))


class RandomSharpness(_Blend):
    """Blends each image with a 3x3-smoothed copy (centre weight 5/13, the rest 1/13, zero
    padded) by ``1 - 2f``: ``f`` below 0.5 blurs, above sharpens."""

    _base_bounds = (0, 1)
    _cast = "always"

    def _weight(self, params):
        return 1.0 - 2.0 * params

    def _other(self, images):
        channels = images.shape[self._axes[2]]
        taps = tf.constant([[1.0, 1.0, 1.0], [1.0, 5.0, 1.0], [1.0, 1.0, 1.0]], images.dtype) / 13.0
        kernel = tf.tile(tf.reshape(taps, [3, 3, 1, 1]), [1, 1, channels, 1])
        fmt = "NCHW" if self.data_format == "channels_first" else "NHWC"
        x = images if fmt == "NHWC" else tf.transpose(images, [0, 2, 3, 1])
        out = tf.nn.depthwise_conv2d(x, kernel, [1, 1, 1, 1], "SAME")
        return out if fmt == "NHWC" else tf.transpose(out, [0, 3, 1, 2])


class RandomColorDegeneration(_Blend):
    """Moves each image towards its grayscale version by a drawn fraction ``f``."""

    def _weight(self, params):
        return params

    def _other(self, images):
        return _image.rgb_to_grayscale(images, data_format=self.data_format)


def _hsv_edit(layer, images, edit):
    """``images`` through HSV with ``edit(h, s, v)`` giving the new channels."""
    c = layer._axes[2]
    hsv = _image.rgb_to_hsv(images, data_format=layer.data_format)
    h, s, v = tf.unstack(hsv, axis=c)
    return _image.hsv_to_rgb(tf.stack(edit(h, s, v), axis=c), data_format=layer.data_format)


class RandomSaturation(_Colour):
    """Scales each image's HSV saturation by ``f / (1 - f)``, ``f`` drawn from the factor's
    range (0.5 keeps it, 0 removes the colour), clipped to ``value_range``."""

    _cast = "never"

    def __init__(self, factor, value_range=(0, 255), data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.factor = bounded_factor(factor)
        self.value_range = value_range_of(value_range)

    def _params(self, images, training):
        if not training:
            return None
        f = self._draw((self._batch(images), 1, 1), *self.factor)
        return f / (1.0 - f + _config.epsilon())

    def _apply(self, images, params, interpolation):
        if params is None:
            return images
        low, high = map(float, self.value_range)
        return _hsv_edit(self, images, lambda h, s, v: (
            h, tf.clip_by_value(s * tf.cast(params, s.dtype), low, high), v))


class RandomHue(_UnitFactor):
    """Turns each image's hue by ``±f / 2`` of a full turn (the sign drawn too), ``f`` drawn from
    the factor's range."""

    def _params(self, images, training):
        if not training:
            return None
        n = self._batch(images)
        sign = tf.where(self._draw((n, 1, 1), 0.0, 1.0) > 0.5, -1.0, 1.0)
        return sign * self._draw((n, 1, 1), *self.factor) * 0.5

    def _apply(self, images, params, interpolation):
        if params is None:
            return images
        x = _rescaled(images, self.value_range, (0, 1))

        def turn(h, s, v):
            h = h + tf.cast(params, h.dtype)
            h = tf.where(h > 1.0, h - 1.0, h)
            return tf.where(h < 0.0, h + 1.0, h), s, v
        out = tf.clip_by_value(_hsv_edit(self, x, turn), 0.0, 1.0)
        return _rescaled(out, (0, 1), self.value_range)


class Equalization(_Colour):
    """Histogram equalization per channel (the histogram of ``bins`` bins is over the whole
    batch, as Keras computes it); identity at inference."""

    _cast, _draws = "training", False

    def __init__(self, value_range=(0, 255), bins=256, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.bins = bins
        self.value_range = value_range_of(value_range)

    def _params(self, images, training):
        return training or None

    def _apply(self, images, params, interpolation):
        if params is None:
            return images
        c = self._axes[2]
        channels = [self._equalized(ch) for ch in tf.unstack(images, axis=c)]
        return tf.cast(tf.stack(channels, axis=c), self.compute_dtype)

    def _equalized(self, channel):
        top = self.bins - 1
        x = _rescaled(channel, self.value_range, (0, 255))
        bins = tf.clip_by_value(tf.cast(x * top / 255.0, "int32"), 0, top)
        hist = tf.math.bincount(tf.reshape(bins, [-1]), minlength=self.bins)
        cdf = tf.cast(tf.cumsum(hist), "float32")
        first = tf.gather(cdf, tf.argmax(tf.cast(cdf > 0, "int32")))
        span = cdf[-1] - first
        table = (cdf - first) * 255.0 / tf.where(span == 0, 1.0, span)
        table = tf.clip_by_value(tf.round(table), 0.0, 255.0)
        index = tf.cast(tf.clip_by_value(x / 255.0 * top, 0.0, float(top)), "int32")
        out = tf.cast(tf.gather(table, index), x.dtype)
        out = tf.where(tf.math.count_nonzero(hist) <= 1, x, out)
        return _rescaled(out, (0, 255), self.value_range)

    _config_keys = ("bins", "value_range")


class RandomColorJitter(_Colour):
    """RandomBrightness, RandomContrast, RandomSaturation and RandomHue in that order, each with
    its factor when given."""

    def __init__(self, value_range=(0, 255), brightness_factor=None, contrast_factor=None,
                 saturation_factor=None, hue_factor=None, seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.value_range = value_range
        self.brightness_factor, self.contrast_factor = brightness_factor, contrast_factor
        self.saturation_factor, self.hue_factor = saturation_factor, hue_factor
        steps = ((RandomBrightness, brightness_factor), (RandomContrast, contrast_factor),
                 (RandomSaturation, saturation_factor), (RandomHue, hue_factor))
        self._steps = [cls(factor=f, value_range=value_range, seed=seed,
                           data_format=self.data_format) for cls, f in steps if f is not None]

    def _params(self, images, training):
        return training or None

    def _apply(self, images, params, interpolation):
        if params is None:
            return images
        for step in self._steps:
            images = tf.cast(step._apply(images, step._params(images, True), interpolation),
                             self.compute_dtype)
        return images

    _config_keys = ("value_range", "brightness_factor", "contrast_factor", "saturation_factor",
                    "hue_factor", "seed")


class RandomGaussianBlur(_Colour):
    """Blurs each image with probability drawn from the factor's range, by a Gaussian of
    ``kernel_size`` taps and a sigma drawn from ``sigma``'s range (one per call)."""

    def __init__(self, factor=1.0, kernel_size=3, sigma=1.0, value_range=(0, 255),
                 data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.factor = bounded_factor(factor, (0, 1))
        self.kernel_size = _odd_pair(kernel_size, "kernel_size")
        self.sigma = bounded_factor(sigma, (0, 1), "sigma")
        self.value_range = value_range

    def _params(self, images, training):
        if not training:
            return None
        chance = self._per_image(images, *self.factor)
        apply = self._per_image(images, 0.0, 1.0) < chance
        return apply, self._draw((2,), *self.sigma) + 1e-6

    def _apply(self, images, params, interpolation):
        if params is None:
            return images
        apply, sigma = params
        blurred = _image.gaussian_blur(images, self.kernel_size, tuple(float(s) for s in sigma),
                                       self.data_format)
        out = tf.where(apply, blurred, images)
        return tf.clip_by_value(out, *map(float, self.value_range))

    _config_keys = ("factor", "kernel_size", "sigma", "value_range", "seed")


def _odd_pair(value, name):
    message = f"{name} must be an odd number. Received: {name}={value}"
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(f"The `{name}` argument should be a number (or a list of two "
                             f"numbers) Received: {name}={value}")
        if value[0] % 2 == 0 or value[1] % 2 == 0:
            raise ValueError(message)
        return tuple(value)
    if isinstance(value, (int, float)):
        if value % 2 == 0:
            raise ValueError(message)
        return (value, value)
    raise ValueError(message)


class ContrastLimitedAdaptiveHistogramEqualization(_Colour):
    """CLAHE: each image is cut into ``tile_grid_size`` tiles (the bottom and right edges
    mirrored to fill the last ones); each tile's 256-bin histogram per channel is clipped at
    ``clip_limit`` times the mean bin (the excess spread over all bins) and turned into an
    equalizing lookup table; a pixel's value is its table entries of the four nearest tile
    centres, blended bilinearly. Applied training or not; integer images stay integers."""

    _cast, _draws = "never", False

    def __init__(self, value_range=(0, 255), clip_limit=4.0, tile_grid_size=(8, 8),
                 data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.value_range, self.clip_limit = value_range, clip_limit
        self.tile_grid_size = tile_grid_size

    def _apply(self, images, params, interpolation):
        first = self.data_format == "channels_first"
        x = tf.transpose(images, [0, 2, 3, 1]) if first else images
        x = _rescaled(tf.cast(x, "float32"), self.value_range, (0, 255))
        out = _rescaled(self._equalized(x), (0, 255), self.value_range)
        out = tf.cast(out, images.dtype)
        return tf.transpose(out, [0, 3, 1, 2]) if first else out

    def _tables(self, levels, n, grid, tile):
        """The ``(n, gh + 2, gw + 2, c, 256)`` lookup tables, edge tiles repeated outward."""
        (gh, gw), (th, tw), c = grid, tile, levels.shape[-1]
        tiles = tf.reshape(levels, [n, gh, th, gw, tw, c])
        tile_of = (tf.reshape(tf.range(n), [n, 1, 1, 1, 1, 1]) * gh
                   + tf.reshape(tf.range(gh), [1, gh, 1, 1, 1, 1])) * gw \
            + tf.reshape(tf.range(gw), [1, 1, 1, gw, 1, 1])
        slot = (tile_of * c + tf.reshape(tf.range(c), [1, 1, 1, 1, 1, c])) * 256 + tiles
        counts = tf.math.bincount(tf.reshape(slot, [-1]), minlength=n * gh * gw * c * 256)
        hist = tf.cast(tf.reshape(counts, [n, gh, gw, c, 256]), "float32")
        area = float(th * tw)
        if self.clip_limit > 0:
            clipped = tf.minimum(hist, self.clip_limit * area / 256.0)
            hist = clipped + tf.reduce_sum(hist - clipped, axis=-1, keepdims=True) / 256.0
        cdf = tf.cumsum(hist, axis=-1)
        low = tf.reduce_min(cdf, axis=-1, keepdims=True)
        span = area - low
        table = tf.clip_by_value((cdf - low) * 255.0 / tf.where(span == 0, 1.0, span), 0., 255.)
        table = tf.concat([table[:, :1], table, table[:, -1:]], axis=1)
        return tf.concat([table[:, :, :1], table, table[:, :, -1:]], axis=2)

    def _equalized(self, x):
        n, h, w, c = x.shape
        gh, gw = self.tile_grid_size
        th, tw = -(-h // gh), -(-w // gw)
        padded = tf.pad(x, [[0, 0], [0, th * gh - h], [0, tw * gw - w], [0, 0]],
                        mode="SYMMETRIC")
        levels = tf.clip_by_value(tf.cast(padded, "int32"), 0, 255)
        table = tf.reshape(self._tables(levels, n, (gh, gw), (th, tw)), [-1])

        def centres(size, tile, grid):
            pos = (np.arange(size, dtype="float32") - tile / 2.0) / tile + 1.0
            below = np.floor(pos)
            return (np.clip(below, 0, grid + 1).astype("int32"),
                    np.clip(below + 1, 0, grid + 1).astype("int32"), pos - below)
        y0, y1, wy = centres(th * gh, th, gh)
        x0, x1, wx = centres(tw * gw, tw, gw)
        base = (tf.reshape(tf.range(n), [n, 1, 1, 1]) * (gh + 2) * (gw + 2) * c
                + tf.reshape(tf.range(c), [1, 1, 1, c])) * 256 + levels

        def look(rows, cols):
            offset = (rows[:, None] * (gw + 2) + cols[None, :]) * c * 256
            return tf.gather(table, base + offset[None, :, :, None])
        wy, wx = wy[None, :, None, None], wx[None, None, :, None]
        top = look(y0, x0) * (1.0 - wx) + look(y0, x1) * wx
        bottom = look(y1, x0) * (1.0 - wx) + look(y1, x1) * wx
        return (top * (1.0 - wy) + bottom * wy)[:, :h, :w]

    _config_keys = ("value_range", "clip_limit", "tile_grid_size")
