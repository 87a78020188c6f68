"""Keras 3's augmentation layers that mix images or chain other layers: MixUp, CutMix,
RandomErasing, RandAugment, AugMix, Pipeline, MaxNumBoundingBoxes (which pads or cuts a batch's
boxes), and the random-field warp RandomElasticTransform. See ``augmentation`` for what all image
layers share."""

import tapeflow as tf

from .. import random as _random
from ..ops import image as _image
from . import augmentation as _geo
from . import augmentation_color as _colour
from .augmentation import INTERPOLATIONS, ImageLayer, bounded_factor
from .layer import Layer, deserialize, serialize


def _shuffled(layer, n):
    return _random.shuffle(tf.range(n), seed=layer._generator())


class _Mix(ImageLayer):
    """A layer that mixes each image with another of the batch (a random permutation) and mixes
    the labels of a dict input by the same weights."""

    def _labels(self, labels, params):
        if params is None:
            return labels
        order, weight = params[0], tf.reshape(params[1], [-1, 1])
        labels = tf.cast(labels, self.compute_dtype)
        return weight * labels + (1.0 - weight) * tf.gather(labels, order)

    def _masks(self, masks, params):
        return masks if params is None else self._apply(masks, params, "nearest")


class MixUp(_Mix):
    """``w * x + (1 - w) * x[perm]`` per image, ``w ~ Beta(alpha, alpha)``; labels alike."""

    def __init__(self, alpha=0.2, data_format=None, seed=None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.alpha = alpha

    def _params(self, images, training):
        if not training:
            return None
        n = self._batch(images)
        order = _shuffled(self, n)
        return order, _random.beta((n,), self.alpha, self.alpha, seed=self._generator())

    def _apply(self, images, params, interpolation):
        if params is None:
            return images
        order, weight = params
        weight = tf.reshape(tf.cast(weight, images.dtype), [-1, 1, 1, 1])
        return weight * images + (1.0 - weight) * tf.gather(images, order)

    _config_keys = ("alpha", "seed")


def _boxes_mask(layer, images, area):
    """A random box per image covering ``area`` (per image, in ``[0, 1]``) of each side's square
    root: a boolean mask shaped like ``images`` and the box's exact share of the image."""
    h, w = layer._size(images)
    n = layer._batch(images)
    side_w, side_h = tf.sqrt(area[:, 0]) * w, tf.sqrt(area[:, 1]) * h
    x0 = layer._draw((n,), 0.0, 1.0) * (w - side_w)
    y0 = layer._draw((n,), 0.0, 1.0) * (h - side_h)
    x1, y1 = x0 + side_w, y0 + side_h
    rows = tf.reshape(tf.range(h, dtype="float32"), [1, h, 1])
    cols = tf.reshape(tf.range(w, dtype="float32"), [1, 1, w])

    def col(v):
        return tf.reshape(v, [-1, 1, 1])
    inside = (cols >= col(x0)) & (cols < col(x1)) & (rows >= col(y0)) & (rows < col(y1))
    inside = tf.expand_dims(inside, layer._axes[2])
    share = (x1 - x0) * (y1 - y0) / float(h * w)
    return tf.broadcast_to(inside, tf.shape(images)), share


class CutMix(_Mix):
    """Pastes into each image a box of another image of the batch; the box's share of the
    area is ``1 - w``, ``w ~ Beta(a, a)`` with ``a`` drawn from the factor's range; labels mix by
    the box's exact share. A single image is left as it is."""

    def __init__(self, factor=1.0, seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.factor = bounded_factor(factor, (0, 1))

    def _params(self, images, training):
        if not training or images.shape[0] == 1:
            return None
        n = self._batch(images)
        alpha = self._draw((), *self.factor) + 1e-6
        weight = _random.beta((n,), alpha, alpha, seed=self._generator())
        area = tf.stack([1.0 - weight] * 2, axis=1)
        mask, share = _boxes_mask(self, images, area)
        return _shuffled(self, n), 1.0 - share, mask

    def _apply(self, images, params, interpolation):
        if params is None:
            return images
        order, _, mask = params
        return tf.where(mask, tf.gather(images, order), images)

    _config_keys = ("factor", "seed")


class RandomErasing(ImageLayer):
    """With a probability drawn from the factor's range, fills a random box of each image (each
    side ``sqrt`` of a share drawn from ``scale``) with ``fill_value`` (a number or one per
    channel), or with Gaussian noise times the range's top when it is None."""

    def __init__(self, factor=1.0, scale=(0.02, 0.33), fill_value=None, value_range=(0, 255),
                 seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.factor = bounded_factor(factor, (0, 1))
        self.scale = bounded_factor(scale, (0, 1), "scale")
        self.fill_value, self.value_range = fill_value, value_range

    def _params(self, images, training):
        if not training:
            return None
        n = self._batch(images)
        mask, _ = _boxes_mask(self, images, self._draw((n, 2), *self.scale))
        chance = self._draw((n,), *self.factor)
        apply = self._draw((n,), 0.0, 1.0) < chance
        return tf.logical_and(mask, tf.reshape(apply, [-1, 1, 1, 1])), self._fill(images)

    def _fill(self, images):
        value = self.fill_value
        if value is None:
            value = _random.normal(tf.shape(images), seed=self._generator()) * self.value_range[1]
        elif isinstance(value, (tuple, list)) and len(value) == 3:
            shape = [1, 1, 1, 1]
            shape[self._axes[2]] = 3
            value = tf.broadcast_to(tf.reshape(tf.constant(value, images.dtype), shape),
                                    tf.shape(images))
        elif isinstance(value, (int, float)):
            value = tf.fill(tf.shape(images), float(value))
        else:
            raise ValueError("The `fill_value` argument should be a number (or a list of three "
                             "numbers) ")
        return tf.clip_by_value(tf.cast(value, images.dtype), *map(float, self.value_range))

    def _apply(self, images, params, interpolation):
        if params is None:
            return images
        mask, fill = params
        return tf.where(mask, fill, images)

    _config_keys = ("factor", "scale", "fill_value", "value_range", "seed")


def _operations(owner, factor, value_range, interpolation, seed, data_format, kwargs, colour):
    """The sub-layers RandAugment and AugMix draw from, by Keras's attribute names."""
    common = dict(seed=seed, data_format=data_format, **kwargs)
    tinted = dict(common, value_range=value_range)
    ops = {
        "random_shear": _geo.RandomShear(factor, factor, interpolation, **common),
        "random_translation": _geo.RandomTranslation(factor, factor,
                                                     interpolation=interpolation, **common),
        "random_rotation": _geo.RandomRotation(factor, interpolation=interpolation, **common),
    }
    if colour:
        ops.update(
            random_brightness=_colour.RandomBrightness(factor, **tinted),
            random_color_degeneration=_colour.RandomColorDegeneration(factor, **tinted),
            random_contrast=_colour.RandomContrast(factor, **tinted),
            random_sharpness=_colour.RandomSharpness(factor, **tinted))
    ops.update(
        random_posterization=_colour.RandomPosterization(max(1, int(8 * factor[1])), **tinted),
        solarization=_colour.Solarization(factor, factor, **tinted),
        auto_contrast=_colour.AutoContrast(value_range, data_format=data_format, **kwargs),
        equalization=_colour.Equalization(value_range, data_format=data_format, **kwargs))
    for name, layer in ops.items():
        setattr(owner, name, layer)
    return list(ops.values())


def _run(op, images):
    return tf.cast(op._apply(images, op._params(images, True), op.interpolation),
                   images.dtype)


class RandAugment(ImageLayer):
    """``num_ops`` operations drawn from eleven (shear, translation, rotation, brightness,
    colour degeneration, contrast, sharpness, posterization, solarization, auto-contrast,
    equalization), each at strength ``factor``, one draw for the whole batch."""

    def __init__(self, value_range=(0, 255), num_ops=2, factor=0.5, interpolation="bilinear",
                 seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.value_range, self.num_ops = value_range, num_ops
        self.factor = bounded_factor(factor, (0, 1))
        self.interpolation = interpolation
        self._ops = _operations(self, self.factor, value_range, interpolation, seed, data_format,
                                kwargs, colour=True)

    def _params(self, images, training):
        if not training:
            return None
        picks = self._draw((self.num_ops,), 0.0, float(len(self._ops)))
        return [int(i) for i in tf.floor(picks).numpy()]

    def _apply(self, images, params, interpolation):
        for index in params or []:
            images = _run(self._ops[index], images)
        return images

    _config_keys = ("value_range", "num_ops", "factor", "interpolation", "seed")


class AugMix(ImageLayer):
    """``num_chains`` chains of up to ``chain_depth`` random operations, mixed by Dirichlet
    weights, then mixed with the original by a ``Beta(alpha, alpha)`` weight."""

    def __init__(self, value_range=(0, 255), num_chains=3, chain_depth=3, factor=0.3,
                 alpha=1.0, all_ops=True, interpolation="bilinear", seed=None,
                 data_format=None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.value_range, self.num_chains, self.chain_depth = value_range, num_chains, \
            chain_depth
        self.factor = bounded_factor(factor, (0, 1))
        self.alpha, self.all_ops, self.interpolation = alpha, all_ops, interpolation
        self._ops = _operations(self, self.factor, value_range, interpolation, seed, data_format,
                                kwargs, colour=all_ops)

    def _params(self, images, training):
        if not training:
            return None
        gammas = _random.gamma((self.num_chains,), self.alpha, seed=self._generator())
        weights = gammas / tf.reduce_sum(gammas)
        keep = _random.beta((1,), self.alpha, self.alpha, seed=self._generator())[0]
        picks = tf.floor(self._draw((self.num_chains, self.chain_depth), 0.0,
                                    float(len(self._ops) + 1))).numpy()
        return weights, keep, [[int(i) for i in row if i < len(self._ops)] for row in picks]

    def _apply(self, images, params, interpolation):
        if params is None:
            return images
        weights, keep, chains = params
        mixed = tf.zeros_like(images)
        for k, chain in enumerate(chains):
            x = images
            for index in chain:
                x = _run(self._ops[index], x)
            mixed = mixed + x * tf.cast(weights[k], images.dtype)
        keep = tf.cast(keep, images.dtype)
        out = keep * images + (1.0 - keep) * mixed
        return tf.clip_by_value(out, *map(float, self.value_range))

    _config_keys = ("value_range", "num_chains", "chain_depth", "factor", "alpha", "all_ops",
                    "interpolation", "seed")


class MaxNumBoundingBoxes(ImageLayer):
    """Pads (with ``fill_value``) or cuts a batch's ``bounding_boxes`` ``boxes`` and ``labels``
    to ``max_number`` per image; images pass through."""

    _cast, _draws = "never", False

    def __init__(self, max_number, fill_value=-1, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.max_number, self.fill_value = int(max_number), int(fill_value)

    def _boxes(self, boxes, params):
        out = dict(boxes)
        for key in ("boxes", "labels"):
            value = tf.convert_to_tensor(boxes[key])[:, :self.max_number]
            pad = [[0, 0], [0, self.max_number - value.shape[1]]] + [[0, 0]] * (value.ndim - 2)
            out[key] = tf.pad(value, pad, constant_values=tf.cast(self.fill_value, value.dtype))
        return out

    _config_keys = ("max_number",)


class Pipeline(Layer):
    """Calls ``layers`` one after the other (passing ``training`` on), outside any model."""

    def __init__(self, layers, name=None):
        super().__init__(name=name)
        self._pipeline_layers = list(layers)

    @property
    def layers(self):
        return self._pipeline_layers

    def call(self, inputs, training=True):
        for layer in self._pipeline_layers:
            inputs = layer(inputs, training=training) if layer._call_has_training else \
                layer(inputs)
        return inputs

    def compute_output_shape(self, input_shape):
        for layer in self._pipeline_layers:
            input_shape = layer.compute_output_shape(input_shape)
        return input_shape

    def get_config(self):
        return {"layers": [serialize(layer) for layer in self._pipeline_layers],
                "name": self.name}

    @classmethod
    def from_config(cls, config):
        layers = config.get("layers")
        if not isinstance(layers, (list, tuple)):
            raise ValueError("`Pipeline` config must contain a `layers` key mapping to a list "
                             f"of serialized layers. Received config with layers={layers}.")
        return cls([deserialize(layer) for layer in layers], name=config.get("name"))


class RandomElasticTransform(ImageLayer):
    """With a probability drawn from the factor's range, warps each image by a smooth random
    displacement field (``keras.ops.image.elastic_transform``) whose strength is drawn from
    ``scale``: ``alpha = 0.1 * s * max(h, w)``, ``sigma = 0.05 * s * min(h, w)``."""

    _FILL_MODES = {"constant", "nearest", "wrap", "mirror", "reflect"}
    _config_keys = ("factor", "scale", "interpolation", "fill_mode", "fill_value",
                    "value_range", "seed")

    def __init__(self, factor=1.0, scale=1.0, interpolation="bilinear", fill_mode="reflect",
                 fill_value=0.0, value_range=(0, 255), seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, seed=seed, **kwargs)
        self.factor = bounded_factor(factor, (0, 1))
        self.scale = bounded_factor(scale, (0, 1), "scale")
        self.interpolation, self.fill_mode, self.fill_value = interpolation, fill_mode, \
            fill_value
        self.value_range = value_range
        if interpolation not in INTERPOLATIONS:
            raise NotImplementedError(f"Unknown `interpolation` {interpolation}. Expected of "
                                      f"one {INTERPOLATIONS}.")
        if fill_mode not in self._FILL_MODES:
            raise NotImplementedError(f"Unknown `fill_mode` {fill_mode}. Expected of one "
                                      f"{self._FILL_MODES}.")

    def _params(self, images, training):
        if not training or self.scale[1] == 0 or self.factor[1] == 0:
            return None
        n = self._batch(images)
        chance = self._draw((n,), *self.factor)
        apply = self._draw((n,), 0.0, 1.0) < chance
        return apply, float(self._draw((), *self.scale))

    def _apply(self, images, params, interpolation):
        if params is None:
            return images
        apply, strength = params
        h, w = self._size(images)
        out = _image.elastic_transform(images, max(h, w) * 0.1 * strength,
                                       min(h, w) * 0.05 * strength, interpolation,
                                       self.fill_mode, self.fill_value, self._generator(),
                                       self.data_format)
        out = tf.where(tf.reshape(apply, [-1, 1, 1, 1]), tf.cast(out, images.dtype), images)
        return tf.clip_by_value(out, *map(float, self.value_range))
