"""Keras 3's colour augmentation layers: RandomContrast, RandomBrightness, RandomGrayscale,
RandomInvert, Solarization, RandomPosterization, AutoContrast (see ``augmentation`` for what
all image layers share). ``value_range`` says what range the pixel values are in (``(0, 255)`` by
default); outputs are clipped to it where Keras clips."""

import tapeflow as tf

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

    def _per_image(self, images, low, high):
        return self._draw((images.shape[0], 1, 1, 1), low, high)

    def _masks(self, masks, params):
        return masks


class RandomContrast(_Colour):
    """``(x - mean) * c + mean`` per image and channel (the mean over height and width), ``c``
    drawn from ``[1 - lower, 1 + upper]``, clipped to ``value_range``."""

    _cast = "training"

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
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

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range,
                "seed": self.seed}


class RandomBrightness(_Colour):
    """Adds ``f * (max - min)`` of ``value_range`` to each image, ``f`` drawn from the factor's
    range, then clips to ``value_range``."""

    _cast = "training"

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
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

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range,
                "seed": self.seed}


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

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


class RandomInvert(_Colour):
    """Each image replaced by ``max - x`` (``max`` of ``value_range``) with a probability drawn
    from the factor's range."""

    _cast = "training"

    def __init__(self, factor=1.0, value_range=(0, 255), seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.factor = bounded_factor(factor, (0, 1))
        self.value_range = value_range

    def _params(self, images, training):
        if not training:
            return None
        chance = self._per_image(images, *self.factor)
        return self._per_image(images, 0.0, 1.0) < chance

    def _apply(self, images, params, interpolation):
        if params is None:
            return images
        return tf.where(params, self.value_range[1] - images, images)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range,
                "seed": self.seed}


_SOLARIZE_ERROR = ("The `addition_factor` and `threshold_factor` arguments should be a number (or "
                   "a list of two numbers) in the range [0, 1]. ")


class Solarization(_Colour):
    """On the 0-255 scale: adds a drawn ``addition``, clips, and inverts (``255 - x``) the
    pixels at or above a drawn ``threshold``. As Keras, the draws span ``[lower, upper * 255]``
    (only the upper bound is scaled)."""

    def __init__(self, addition_factor=0.0, threshold_factor=0.0, value_range=(0, 255),
                 seed=None, **kwargs):
        super().__init__(seed=seed, **kwargs)
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

    def get_config(self):
        return {**super().get_config(), "value_range": self.value_range,
                "addition_factor": self.addition_factor,
                "threshold_factor": self.threshold_factor, "seed": self.seed}


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
            return tf.fill([images.shape[0], 1, 1, 1], 8 - int(low))
        bits = tf.cast(tf.floor(self._per_image(images, float(low), float(high))), "int32")
        return 8 - bits

    def _apply(self, images, params, interpolation):
        if params is None:
            return images
        x = tf.cast(tf.cast(_rescaled(images, self.value_range, (0, 255)), "uint8"),
                    self.compute_dtype)
        step = tf.cast(2 ** params, self.compute_dtype)  # dropping the low bits, as >> then <<
        return _rescaled(tf.floor(x / step) * step, (0, 255), self.value_range)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor, "value_range": self.value_range,
                "seed": self.seed}


class AutoContrast(_Colour):
    """Stretches each image's channels so their minimum and maximum span ``value_range``
    (always, training or not); a constant channel stays as it was."""

    def __init__(self, value_range=(0, 255), **kwargs):
        super().__init__(**kwargs)
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

    def get_config(self):
        return {**super().get_config(), "value_range": self.value_range}
