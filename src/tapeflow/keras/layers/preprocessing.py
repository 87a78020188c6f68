"""Rescaling, Normalization (with ``adapt``), CategoryEncoding."""

import numpy as np

import tapeflow as tf

from .layer import Layer


class Rescaling(Layer):
    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale, self.offset = scale, offset

    def call(self, inputs):
        return tf.cast(inputs, self.compute_dtype) * self.scale + self.offset

    def get_config(self):
        return {**super().get_config(), "scale": self.scale, "offset": self.offset}


class Normalization(Layer):
    """``(x - mean) / sqrt(variance)`` per feature; ``adapt(data)`` measures them."""

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        self.axis = (axis,) if isinstance(axis, int) else tuple(axis or ())
        self.invert = invert
        self._given = None if mean is None else (np.asarray(mean), np.asarray(variance))
        self.adapt_mean = self.adapt_variance = None

    def build(self, input_shape):
        ndim = len(input_shape)
        keep = [a % ndim for a in self.axis]
        shape = tuple(input_shape[a] for a in keep)
        self._broadcast = [input_shape[i] if i in keep else 1 for i in range(ndim)]
        self.adapt_mean = self.add_weight(shape, "zeros", trainable=False, name="mean")
        self.adapt_variance = self.add_weight(shape, "ones", trainable=False, name="variance")
        if self._given is not None:
            self.adapt_mean.assign(np.broadcast_to(self._given[0], shape).astype(np.float32))
            self.adapt_variance.assign(np.broadcast_to(self._given[1], shape).astype(np.float32))
        self.built = True

    def adapt(self, data, batch_size=None, steps=None):
        if not isinstance(data, np.ndarray | tf.Tensor):
            data = np.concatenate([np.asarray(b) for b in data])
        data = np.asarray(data, np.float64)
        if not self.built:
            self.build(data.shape)
        ndim = data.ndim
        keep = [a % ndim for a in self.axis]
        reduce = tuple(i for i in range(ndim) if i not in keep)
        self.adapt_mean.assign(data.mean(axis=reduce).astype(np.float32))
        self.adapt_variance.assign(data.var(axis=reduce).astype(np.float32))

    def call(self, inputs):
        mean = tf.reshape(self.adapt_mean, self._broadcast)
        variance = tf.reshape(self.adapt_variance, self._broadcast)
        if self.invert:
            return mean + inputs * tf.sqrt(tf.maximum(variance, 1e-7))
        return (inputs - mean) / tf.maximum(tf.sqrt(variance), 1e-7)


class CategoryEncoding(Layer):
    def __init__(self, num_tokens=None, output_mode="multi_hot", sparse=False, **kwargs):
        super().__init__(**kwargs)
        if output_mode not in ("one_hot", "multi_hot", "count"):
            raise ValueError(f"Unknown arg for output_mode: {output_mode}")
        self.num_tokens, self.output_mode = num_tokens, output_mode

    def _convert(self, x):
        return x if isinstance(x, tf.Tensor) else tf.convert_to_tensor(x)

    def call(self, inputs):
        ids = tf.cast(inputs, tf.int32)
        hot = tf.one_hot(ids, self.num_tokens)
        if self.output_mode == "one_hot":
            return hot if ids.ndim == 1 or ids.shape[-1] != 1 else tf.squeeze(hot, -2)
        counts = tf.reduce_sum(hot, axis=-2) if ids.ndim > 1 else hot
        return counts if self.output_mode == "count" else tf.minimum(counts, 1.0)
