"""ActivityRegularization and AlphaDropout (Keras 3.15's, as ``tf.keras`` ships them)."""

import tapeflow as tf

from .. import random as keras_random
from .. import regularizers
from .layer import Layer, base_config

# the SELU constants
_ALPHA = 1.6732632423543772
_SCALE = 1.0507009873554805


class ActivityRegularization(Layer):
    """Passes its inputs through and adds ``l1 * sum(|x|) + l2 * sum(x ** 2)`` of them to the
    layer's losses."""

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.supports_masking = True
        self.l1, self.l2 = l1, l2
        self.built = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**base_config(self), "l1": self.l1, "l2": self.l2}


class AlphaDropout(Layer):
    """Dropout for SELU networks: in training, a fraction ``rate`` of the inputs is set to
    SELU's negative saturation value, then all are scaled and shifted so the mean and variance
    stay those of the inputs."""

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate, self.noise_shape, self.seed = rate, noise_shape, seed
        self.seed_generator = keras_random.SeedGenerator(seed) if rate > 0 else None
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if not training or self.rate <= 0:
            return inputs
        shape = tf.shape(inputs) if self.noise_shape is None else self.noise_shape
        kept = tf.cast(keras_random.uniform(shape, seed=self.seed_generator) >= self.rate,
                       inputs.dtype)
        alpha_p = -_ALPHA * _SCALE
        a = ((1 - self.rate) * (1 + self.rate * alpha_p ** 2)) ** -0.5
        b = -a * alpha_p * self.rate
        return a * (inputs * kept + alpha_p * (1 - kept)) + b

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**base_config(self), "rate": self.rate, "seed": self.seed}
