"""Activation layers: ReLU, LeakyReLU, PReLU, ELU, Softmax, ThresholdedReLU."""

import tapeflow as tf

from .. import activations, initializers
from .layer import Layer, base_config


class ReLU(Layer):
    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        self.max_value, self.negative_slope, self.threshold = max_value, negative_slope, threshold

    def call(self, inputs):
        return activations.relu(inputs, self.negative_slope, self.max_value, self.threshold)


class LeakyReLU(Layer):
    def __init__(self, negative_slope=0.3, **kwargs):
        kwargs.pop("alpha", None)
        super().__init__(**kwargs)
        self.negative_slope = negative_slope

    def call(self, inputs):
        return tf.nn.leaky_relu(inputs, alpha=self.negative_slope)


class ELU(Layer):
    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = alpha

    def call(self, inputs):
        return activations.elu(inputs, self.alpha)


class PReLU(Layer):
    def __init__(self, alpha_initializer="zeros", alpha_regularizer=None, alpha_constraint=None,
                 shared_axes=None, **kwargs):
        super().__init__(**kwargs)
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.shared_axes = None if shared_axes is None else (
            [shared_axes] if isinstance(shared_axes, int) else list(shared_axes))

    def build(self, input_shape):
        shape = list(input_shape[1:])
        for a in self.shared_axes or ():
            shape[a - 1] = 1
        self.alpha = self.add_weight(tuple(shape), self.alpha_initializer, name="alpha")
        self.built = True

    def call(self, inputs):
        return tf.nn.relu(inputs) - self.alpha * tf.nn.relu(-inputs)


class Softmax(Layer):
    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def call(self, inputs, mask=None):
        return masked_softmax(inputs, mask, self.axis)


class ThresholdedReLU(Layer):
    """``x`` where ``x > theta``, else 0."""

    def __init__(self, theta=1.0, **kwargs):
        super().__init__(**kwargs)
        if theta is None:
            raise ValueError(f"Theta of a Thresholded ReLU layer cannot be None, expecting a "
                             f"float. Received: {theta}")
        if theta < 0:
            raise ValueError(f"The theta value of a Thresholded ReLU layer should be >=0. "
                             f"Received: {theta}")
        self.supports_masking = True
        self.theta = float(theta)

    def call(self, inputs):
        return inputs * tf.cast(inputs > self.theta, inputs.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**base_config(self), "theta": self.theta}


def masked_softmax(x, mask=None, axis=-1):
    """Keras's softmax under a mask (True, or above 0.5, keeps): masked positions count as
    -1e9 and come out as 0, so a row masked whole gives zeros, not a uniform distribution."""
    if mask is None:
        return tf.nn.softmax(x, axis=axis)
    mask = tf.convert_to_tensor(mask)
    keep = mask if mask.dtype == tf.bool else mask > 0.5
    x = tf.where(keep, x, tf.constant(-1e9, x.dtype))
    return tf.where(keep, tf.nn.softmax(x, axis=axis), tf.zeros_like(x))
