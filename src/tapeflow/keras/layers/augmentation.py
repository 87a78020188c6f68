"""Keras 3's image preprocessing layers (Resizing, CenterCrop) and geometric augmentation layers
(RandomCrop, RandomFlip, RandomRotation, RandomZoom, RandomTranslation, RandomShear,
RandomPerspective, and the legacy RandomHeight / RandomWidth of ``tf.keras``). The colour layers
are in ``augmentation_color``.

Every layer takes one image ``(height, width, channels)`` or a batch ``(batch, height, width,
channels)`` (``data_format="channels_first"`` puts channels before height), or a dict with
``"images"`` (and ``"labels"`` / ``"segmentation_masks"``, which get the same transformation).
The augmentations apply when called with ``training=True`` (the default of a direct call, and
what ``fit`` passes) and are the identity with ``training=False`` (``predict``, ``evaluate``).
Each image of a batch draws its own transformation from the layer's ``SeedGenerator``: the same
``seed`` gives the same draws in tapeflow, but not TF's (its generator is not tapeflow's).
Warps go through ``keras.ops.image.affine_transform`` and resizes through ``tf.image.resize``.
"""

import math

import numpy as np

import tapeflow as tf

from .. import config as _config
from ...ops._k import run_size
from ..ops import image as _image
from ..random import SeedGenerator, uniform
from .layer import Layer

FILL_MODES = ("reflect", "wrap", "constant", "nearest")
INTERPOLATIONS = ("nearest", "bilinear")
_RANK_ERROR = ("Expected image tensor to have rank 3 (single image) or 4 (batch of images). "
               "Received: data.shape={}")


def data_format_of(value):
    if value is None:
        return _config.image_data_format()
    value = str(value).lower()
    if value not in ("channels_first", "channels_last"):
        raise ValueError("The `data_format` argument must be one of {'channels_first', "
                         f"'channels_last'}}. Received: data_format={value}")
    return value


def factor_pair(factor, name, message, low, high, single=None, open_low=False):
    """``factor`` (a number or two) as ``(lower, upper)``, each in ``[low, high]`` (``(low,
    high]`` with ``open_low``); a number ``f`` means ``single(f)``, by default ``(-|f|, |f|)``."""
    def check(value):
        if value > high or value < low or (open_low and value == low):
            raise ValueError(message + f"Received: input_number={value}")
    if isinstance(factor, (tuple, list)):
        if len(factor) != 2:
            raise ValueError(message + f"Received: {name}={factor}")
        check(factor[0])
        check(factor[1])
        return tuple(sorted(factor))
    if isinstance(factor, (int, float)):
        check(factor)
        return single(factor) if single else (-abs(factor), abs(factor))
    raise ValueError(message + f"Received: {name}={factor}")


def bounded_factor(factor, bounds=(-1, 1), name="factor"):
    """Keras's base ``factor`` check: two numbers overlapping ``bounds``, or one number inside
    them meaning ``(max(-|f|, low), |f|)``."""
    message = (f"The `{name}` argument should be a number (or a list of two numbers) in the "
               f"range [{bounds[0]}, {bounds[1]}]. Received: factor={factor}")
    if isinstance(factor, (tuple, list)):
        if len(factor) != 2 or factor[0] > bounds[1] or factor[1] < bounds[0]:
            raise ValueError(message)
        return tuple(sorted(factor))
    if isinstance(factor, (int, float)):
        if factor < bounds[0] or factor > bounds[1]:
            raise ValueError(message)
        return (max(-abs(factor), bounds[0]), abs(factor))
    raise ValueError(message)


def value_range_of(value_range):
    if not isinstance(value_range, (tuple, list)) or len(value_range) != 2:
        raise ValueError("The `value_range` argument should be a list of two numbers. "
                         f"Received: value_range={value_range}")
    return sorted(value_range)


def check_modes(fill_mode, interpolation):
    if fill_mode not in FILL_MODES:
        raise NotImplementedError(f"Unknown `fill_mode` {fill_mode}. Expected of one "
                                  f"{FILL_MODES}.")
    if interpolation not in INTERPOLATIONS:
        raise NotImplementedError(f"Unknown `interpolation` {interpolation}. Expected of one "
                                  f"{INTERPOLATIONS}.")


class ImageLayer(Layer):
    """What Keras's image layers share: rank checks, batching of single images, the dtype
    (``_cast``: "always", "training" or "never" cast to the compute dtype), the seed generator,
    dict inputs, and the config's ``data_format``. A subclass gives ``_params(images,
    training)`` (its random draws, ``None`` when it does nothing) and ``_apply(images, params,
    interpolation)`` on ``(batch, ...)`` images."""

    _cast = "always"
    _draws = True  # False: a layer that never draws (no seed state to keep)
    _config_keys = ()
    _mask_interpolation = "nearest"
    interpolation = "bilinear"

    def __init__(self, data_format=None, seed=None, bounding_box_format=None, **kwargs):
        super().__init__(**kwargs)
        self.bounding_box_format = bounding_box_format  # accepted; boxes are not transformed
        self.data_format = data_format_of(data_format)
        self.seed = seed
        self._rng = None  # made on the first draw: layers that draw nothing need none

    # --- geometry of the batch -----------------------------------------------------------------
    @property
    def _axes(self):
        """(height axis, width axis, channel axis) of a batch."""
        return (2, 3, 1) if self.data_format == "channels_first" else (1, 2, 3)

    def _size(self, images):
        h, w, _ = self._axes
        return images.shape[h], images.shape[w]

    @staticmethod
    def _batch(images):
        """The number of images: a traced batch's when the graph runs (a ``tf.data`` map over
        batches, a ``tf.function`` with a ``None`` batch)."""
        return run_size(images, 0)

    def _generator(self):
        if self._rng is None:
            self._rng = SeedGenerator(self.seed)
        return self._rng

    def _draw(self, shape, low, high):
        return uniform(shape, low, high, seed=self._generator())

    def _untracked_variables(self):
        """The seed state, which a functional model's placeholder runs leave as it was (Keras's
        symbolic calls draw nothing)."""
        return [self._generator().state] if self._draws else []

    # --- the call -------------------------------------------------------------------------------
    def _prepared(self, x, training):
        x = x if isinstance(x, tf.Tensor) else tf.convert_to_tensor(x)
        if x.shape.rank not in (3, 4):
            raise ValueError(_RANK_ERROR.format(tuple(x.shape)))
        if self._cast == "always" or (self._cast == "training" and training):
            x = tf.cast(x, self.compute_dtype)
        return (x[None] if x.shape.rank == 3 else x), x.shape.rank == 3

    def call(self, data, training=True):
        training = bool(training)
        images = data["images"] if isinstance(data, dict) else data
        batch, single = self._prepared(images, training)
        params = self._params(batch, training)
        out = self._apply(batch, params, self.interpolation)
        out = out[0] if single else out
        if not isinstance(data, dict):
            return out
        result = dict(data, images=out)
        if "bounding_boxes" in data:
            result["bounding_boxes"] = self._boxes(data["bounding_boxes"], params)
        if "labels" in data:
            result["labels"] = self._labels(tf.convert_to_tensor(data["labels"]), params)
        if "segmentation_masks" in data:
            masks, single = self._prepared(data["segmentation_masks"], training)
            masks = self._masks(masks, params)
            result["segmentation_masks"] = masks[0] if single else masks
        return result

    def _params(self, images, training):
        return None

    def _apply(self, images, params, interpolation):
        return images

    def _labels(self, labels, params):
        return labels

    def _masks(self, masks, params):
        return self._apply(masks, params, self._mask_interpolation)

    def _boxes(self, boxes, params):
        raise NotImplementedError("tapeflow's image augmentation layers do not transform "
                                  "bounding boxes")

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def _symbolic_output_shape(self, input_shape):
        return self.compute_output_shape(input_shape)

    def get_config(self):
        """The base config, ``data_format``, then the attributes named in ``_config_keys`` (as
        Keras writes them: factors as ``(lower, upper)`` where Keras normalizes them)."""
        config = {**super().get_config(), "data_format": self.data_format}
        config.pop("bounding_box_format", None)
        if self.bounding_box_format is not None:
            config["bounding_box_format"] = self.bounding_box_format
        config.update((key, getattr(self, key)) for key in self._config_keys)
        return config


def _reshaped(shape, layer, height, width):
    """``shape`` (batched or not) with its height and width replaced."""
    shape = list(shape)
    h, w, _ = layer._axes
    offset = 0 if len(shape) == 4 else 1
    shape[h - offset], shape[w - offset] = height, width
    return tuple(shape)


class Resizing(ImageLayer):
    _cast, _draws = "never", False

    def __init__(self, height, width, interpolation="bilinear", crop_to_aspect_ratio=False,
                 pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0,
                 antialias=False, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.height, self.width = height, width
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = crop_to_aspect_ratio
        self.pad_to_aspect_ratio = pad_to_aspect_ratio
        self.fill_mode, self.fill_value = fill_mode, fill_value
        self.antialias = bool(antialias)

    def _apply(self, images, params, interpolation):
        x = images if images.dtype.is_floating else tf.cast(images, self.compute_dtype)
        out = _image.resize(x, (self.height, self.width), interpolation, self.antialias,
                            self.crop_to_aspect_ratio, self.pad_to_aspect_ratio, self.fill_mode,
                            self.fill_value, self.data_format)
        return out if images.dtype.is_floating else saturate_cast(tf.round(out), images.dtype)

    def compute_output_shape(self, input_shape):
        return _reshaped(input_shape, self, self.height, self.width)

    _config_keys = ("height", "width", "interpolation", "crop_to_aspect_ratio",
                    "pad_to_aspect_ratio", "fill_mode", "fill_value", "antialias")


def saturate_cast(x, dtype):
    """``x`` clipped to the range of the integer ``dtype``, then cast to it."""
    info = np.iinfo(dtype.as_numpy_dtype)
    return tf.cast(tf.clip_by_value(x, float(info.min), float(info.max)), dtype)


class CenterCrop(ImageLayer):
    """The central ``height`` x ``width`` window; an image smaller than that on either side is
    cropped to the target's aspect ratio and resized instead (``smart_resize``)."""

    _draws = False

    def __init__(self, height, width, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.height, self.width = height, width

    def _apply(self, images, params, interpolation):
        ih, iw = self._size(images)
        if ih < self.height or iw < self.width:
            return _image.resize(images, (self.height, self.width), crop_to_aspect_ratio=True,
                                 data_format=self.data_format)
        return self._window(images, (ih - self.height) // 2, (iw - self.width) // 2)

    def _window(self, images, top, left):
        h, w, _ = self._axes
        index = [slice(None)] * 4
        index[h], index[w] = slice(top, top + self.height), slice(left, left + self.width)
        return images[tuple(index)]

    def compute_output_shape(self, input_shape):
        if len(input_shape) not in (3, 4) or isinstance(input_shape[0], (list, tuple)):
            raise ValueError("`input_shape` must be a non-nested tuple or list of rank-1 with "
                             "size 3 (unbatched) or 4 (batched). ")
        return _reshaped(input_shape, self, self.height, self.width)

    _config_keys = ("height", "width")


class RandomCrop(CenterCrop):
    """In training, a random ``height`` x ``width`` window (one for the whole batch); an image
    not larger on both sides is cropped centrally to the aspect ratio and resized. Inference
    leaves images as they are."""

    _cast, _draws = "training", True

    def __init__(self, height, width, seed=None, data_format=None, name=None, **kwargs):
        if seed is None:
            from ..random import _default_seed
            seed = _default_seed()
        super().__init__(height, width, data_format=data_format, name=name, **kwargs)
        self.seed = seed

    def _params(self, images, training):
        if not training:
            return None
        ih, iw = self._size(images)
        if ih > self.height and iw > self.width:
            top = tf.cast(self._draw((), 0.0, float(ih - self.height + 1)), "int32")
            left = tf.cast(self._draw((), 0.0, float(iw - self.width + 1)), "int32")
            return top, left  # tensors: a traced graph slices where each run's draw says
        ch = max(min(ih, iw * self.height // self.width), 1)
        cw = max(min(iw, ih * self.width // self.height), 1)
        return (ih - ch) // 2, (iw - cw) // 2, ch, cw

    def _apply(self, images, params, interpolation):
        if params is None:
            return images
        if len(params) == 2:
            return self._window(images, *params)
        top, left, ch, cw = params
        h, w, _ = self._axes
        index = [slice(None)] * 4
        index[h], index[w] = slice(top, top + ch), slice(left, left + cw)
        out = images[tuple(index)]
        if (ch, cw) == (self.height, self.width):
            return out
        return tf.cast(_image.resize(out, (self.height, self.width),
                                     data_format=self.data_format), self.compute_dtype)

    _config_keys = ("height", "width", "seed")


class RandomFlip(ImageLayer):
    """Each image flipped (with probability 1/2) left-right, top-bottom, or with
    ``"horizontal_and_vertical"`` both at once (one draw decides both, as Keras)."""

    def __init__(self, mode="horizontal_and_vertical", seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.mode = mode

    def _params(self, images, training):
        if not training:
            return None
        return self._draw((self._batch(images), 1, 1, 1), 0.0, 1.0) <= 0.5

    def _apply(self, images, params, interpolation):
        if params is None:
            return images
        h, w, _ = self._axes
        out = images
        if self.mode in ("horizontal", "horizontal_and_vertical"):
            out = tf.where(params, tf.reverse(out, [w]), out)
        if self.mode in ("vertical", "horizontal_and_vertical"):
            out = tf.where(params, tf.reverse(out, [h]), out)
        return out

    _config_keys = ("seed", "mode")


def affine_matrix(h, w, angle=None, scale=None, shear_x=None, shear_y=None, shift_x=None,
                  shift_y=None):
    """The 8 projective numbers per image (a ``(batch, 8)`` tensor) that rotate by ``angle``
    degrees, scale, shear (degrees) about the image centre and shift: Keras's affine matrix.
    Each argument is a ``(batch,)`` tensor or ``None`` (no such change)."""
    given = next(t for t in (angle, scale, shear_x, shear_y, shift_x, shift_y) if t is not None)
    zero, one = tf.zeros_like(given), tf.ones_like(given)
    radians = math.pi / 180.0
    angle = zero if angle is None else angle * radians
    scale = one if scale is None else scale
    tan_x = zero if shear_x is None else tf.tan(shear_x * radians)
    tan_y = zero if shear_y is None else tf.tan(shear_y * radians)
    cx, cy = 0.5 * (w - 1), 0.5 * (h - 1)
    cos, sin = tf.cos(angle), tf.sin(angle)
    a0 = scale * (cos + tan_x * sin)
    a1 = scale * (tan_x * cos - sin)
    b0 = scale * (tan_y * cos + sin)
    b1 = scale * (cos - tan_y * sin)
    a2 = (zero if shift_x is None else shift_x) + cx - cx * a0 - cy * a1
    b2 = (zero if shift_y is None else shift_y) + cy - cx * b0 - cy * b1
    return tf.stack([a0, a1, a2, b0, b1, b2, zero, zero], axis=1)


class _Warp(ImageLayer):
    """A layer that resamples each image through a projective transform (``_params`` gives the
    ``(batch, 8)`` transforms), filling what falls outside as ``fill_mode`` says."""

    def _init_warp(self, fill_mode, interpolation, fill_value):
        check_modes(fill_mode, interpolation)
        self.fill_mode, self.interpolation, self.fill_value = fill_mode, interpolation, fill_value

    def _apply(self, images, params, interpolation):
        if params is None:
            return images
        out = _image.affine_transform(images, params, interpolation, self.fill_mode,
                                      self.fill_value, self.data_format)
        return tf.cast(out, images.dtype)


class RandomRotation(_Warp):
    """Rotates each image about its centre by ``factor`` turns drawn from ``[lower, upper]``
    (a number ``f`` means ``[-f, f]``; positive is counter-clockwise)."""

    def __init__(self, factor, fill_mode="reflect", interpolation="bilinear", seed=None,
                 fill_value=0.0, data_format=None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.factor = bounded_factor(factor)
        self._init_warp(fill_mode, interpolation, fill_value)

    def _params(self, images, training):
        if not training:
            return None
        angle = self._draw((self._batch(images),), self.factor[0] * 360.0, self.factor[1] * 360.0)
        return affine_matrix(*self._size(images), angle=angle)

    _config_keys = ("factor", "fill_mode", "fill_value", "interpolation", "seed")


_ZOOM_ERROR = ("The `height_factor` and `width_factor` arguments should be a number (or a list "
               "of two numbers) in the range (-1.0, 1.0]. ")
_SHIFT_ERROR = ("The `factor` argument should be a number (or a list of two numbers) in the "
                "range [-1.0, 1.0]. ")


class _TwoFactors(_Warp):
    """A warp by a ``height_factor`` and a ``width_factor``, in the config as given."""

    _error, _open_low = _SHIFT_ERROR, False
    _config_keys = ("height_factor", "width_factor", "fill_mode", "interpolation", "seed",
                    "fill_value")

    def __init__(self, height_factor, width_factor, fill_mode="reflect",
                 interpolation="bilinear", seed=None, fill_value=0.0, data_format=None,
                 **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.height_factor, self.width_factor = height_factor, width_factor
        self.height_lower, self.height_upper = factor_pair(
            height_factor, "height_factor", self._error, -1.0, 1.0, open_low=self._open_low)
        if width_factor is not None:
            self.width_lower, self.width_upper = factor_pair(
                width_factor, "width_factor", self._error, -1.0, 1.0, open_low=self._open_low)
        self._init_warp(fill_mode, interpolation, fill_value)


class RandomZoom(_TwoFactors):
    """Zooms each image about its centre: a factor ``f`` drawn from ``[lower, upper]`` shows
    ``1 + f`` times the height (positive zooms out); the width follows ``width_factor``, or keeps
    the aspect ratio when it is None."""

    _error, _open_low = _ZOOM_ERROR, True

    def __init__(self, height_factor, width_factor=None, fill_mode="reflect",
                 interpolation="bilinear", seed=None, fill_value=0.0, data_format=None,
                 **kwargs):
        super().__init__(height_factor, width_factor, fill_mode, interpolation, seed,
                         fill_value, data_format, **kwargs)

    def _params(self, images, training):
        if not training:
            return None
        n = self._batch(images)
        zh = self._draw((n,), 1.0 + self.height_lower, 1.0 + self.height_upper)
        zw = zh if self.width_factor is None else self._draw(
            (n,), 1.0 + self.width_lower, 1.0 + self.width_upper)
        h, w = self._size(images)
        zero = tf.zeros_like(zh)
        return tf.stack([zw, zero, (w - 1) / 2.0 * (1.0 - zw), zero, zh,
                         (h - 1) / 2.0 * (1.0 - zh), zero, zero], axis=1)


class RandomTranslation(_TwoFactors):
    """Shifts each image by fractions of its height and width drawn from the two factors'
    ranges (positive moves down / right)."""

    def _params(self, images, training):
        if not training:
            return None
        n = self._batch(images)
        h, w = self._size(images)
        dy = self._draw((n,), self.height_lower, self.height_upper) * h
        dx = self._draw((n,), self.width_lower, self.width_upper) * w
        one, zero = tf.ones_like(dx), tf.zeros_like(dx)
        return tf.stack([one, zero, -dx, zero, one, -dy, zero, zero], axis=1)


_SHEAR_ERROR = ("The `factor` argument should be a number (or a list of two numbers) in the "
                "range [0, 1.0]. ")


class RandomShear(_Warp):
    """Shears each image about its top-left corner by ``x_factor`` / ``y_factor`` drawn from
    their ranges, both negated for a random half of the images."""

    def __init__(self, x_factor=0.0, y_factor=0.0, interpolation="bilinear", fill_mode="reflect",
                 fill_value=0.0, data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.x_factor = factor_pair(x_factor, "x_factor", _SHEAR_ERROR, 0.0, 1.0)
        self.y_factor = factor_pair(y_factor, "y_factor", _SHEAR_ERROR, 0.0, 1.0)
        self._init_warp(fill_mode, interpolation, fill_value)

    def _params(self, images, training):
        if not training:
            return None
        n = self._batch(images)
        sign = tf.where(self._draw((n,), 0.0, 1.0) > 0.5, -1.0, 1.0)
        sy = self._draw((n,), *self.y_factor) * sign
        sx = self._draw((n,), *self.x_factor) * sign
        one, zero = tf.ones_like(sx), tf.zeros_like(sx)
        return tf.stack([one, sx, zero, sy, one, zero, zero, zero], axis=1)

    _config_keys = ("x_factor", "y_factor", "fill_mode", "interpolation", "seed", "fill_value")


class RandomPerspective(ImageLayer):
    """With a probability drawn from the factor's range, warps each image so that its corners
    move by up to ``scale / 2`` of their coordinates (``keras.ops.image.perspective_transform``,
    constant fill)."""

    def __init__(self, factor=1.0, scale=1.0, interpolation="bilinear", fill_value=0.0,
                 seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.factor = bounded_factor(factor, (0, 1))
        self.scale, self.fill_value, self.interpolation = scale, fill_value, interpolation
        if scale < 0.0 or scale > 1.0:
            raise ValueError("The `scale` argument should be a number in the range [0,1]. "
                             f"Received: scale={scale}")
        if interpolation not in INTERPOLATIONS:
            raise NotImplementedError(f"Unknown `interpolation` {interpolation}. Expected of "
                                      f"one {INTERPOLATIONS}.")

    def _params(self, images, training):
        if not training:
            return None
        n = self._batch(images)
        chance = self._draw((n,), *self.factor)
        apply = self._draw((n,), 0.0, 1.0) < chance
        moves = self._draw((n, 4, 2), -0.5 * self.scale, 0.5 * self.scale)
        h, w = self._size(images)
        corners = tf.constant([[[0.0, 0.0], [w - 1, 0.0], [0.0, h - 1], [w - 1, h - 1]]])
        start = tf.tile(corners, [n, 1, 1])
        return apply, start, start + start * moves

    def _apply(self, images, params, interpolation):
        if params is None:
            return images
        apply, start, end = params
        out = _image.perspective_transform(images, start, end, interpolation, self.fill_value,
                                           self.data_format)
        return tf.where(tf.reshape(apply, [-1, 1, 1, 1]), tf.cast(out, images.dtype), images)

    _config_keys = ("factor", "scale", "interpolation", "fill_value", "seed")


class _RandomSide(Layer):
    """``tf.keras``'s legacy RandomHeight / RandomWidth: in training the whole batch is resized
    along one side by ``1 + f``, ``f`` drawn from ``factor``'s range."""

    _axis = -3

    def __init__(self, factor, interpolation="bilinear", seed=None, **kwargs):
        super().__init__(**kwargs)
        self.factor, self.interpolation, self.seed = factor, interpolation, seed
        self._rng = SeedGenerator(seed)
        lower, upper = factor if isinstance(factor, (tuple, list)) else (-factor, factor)
        if upper < lower:
            raise ValueError("`factor` argument cannot have an upper bound lesser than the "
                             f"lower bound. Received: factor={factor}")
        if lower < -1.0 or upper < -1.0:
            raise ValueError("`factor` argument must have values larger than -1. "
                             f"Received: factor={factor}")
        self._lower, self._upper = lower, upper

    def _untracked_variables(self):
        return [self._rng.state]

    def call(self, inputs, training=True):
        x = tf.cast(inputs, self.compute_dtype)
        if not training:
            return x
        scale = uniform((), 1.0 + self._lower, 1.0 + self._upper, seed=self._rng)
        size = [x.shape[-3], x.shape[-2]]
        size[self._axis + 3] = int(np.float32(scale) * np.float32(size[self._axis + 3]))
        return tf.cast(tf.image.resize(x, size, method=self.interpolation), self.compute_dtype)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        shape[self._axis] = None
        return tuple(shape)

    def _symbolic_output_shape(self, input_shape):
        return self.compute_output_shape(input_shape)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor,
                "interpolation": self.interpolation, "seed": self.seed}


class RandomHeight(_RandomSide):
    _axis = -3


class RandomWidth(_RandomSide):
    _axis = -2
