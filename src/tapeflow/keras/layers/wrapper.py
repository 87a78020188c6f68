"""Wrapper (a layer around another layer) and SpectralNormalization."""

import tapeflow as tf

from .. import initializers
from .layer import InputSpec, Layer, base_config, build_in_scope, deserialize, serialize_value


class Wrapper(Layer):
    """A layer that holds another, ``layer``, and builds it with itself."""

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(f"Layer {layer} supplied to Wrapper isn't a supported layer type. "
                             f"Please ensure wrapped layer is a valid Keras layer.")
        super().__init__(**kwargs)
        self.layer = layer

    def build(self, input_shape=None):
        if not self.layer.built:
            build_in_scope(self.layer, input_shape)
        self.built = True

    def get_config(self):
        return {**base_config(self), "layer": serialize_value(self.layer)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        layer = deserialize(config.pop("layer"))
        dtype = config.get("dtype")
        if isinstance(dtype, dict):
            config["dtype"] = dtype["config"]["name"]
        return cls(layer, **config)


def _l2_normalize(x):
    """``x / ||x||`` over all its elements (at most ``1 / epsilon`` times ``x``)."""
    inv = tf.math.rsqrt(tf.reduce_sum(tf.square(x)))
    return x * tf.minimum(inv, 1.0 / 1e-7)


class SpectralNormalization(Wrapper):
    """Divides the wrapped layer's ``kernel`` (or ``embeddings``) by its largest singular
    value, estimated by ``power_iterations`` steps of the power method, in training."""

    def __init__(self, layer, power_iterations=1, **kwargs):
        super().__init__(layer, **kwargs)
        if power_iterations <= 0:
            raise ValueError(f"`power_iterations` should be greater than zero. Received: "
                             f"`power_iterations={power_iterations}`")
        self.power_iterations = power_iterations

    def build(self, input_shape):
        super().build(input_shape)
        self.input_spec = InputSpec(min_ndim=1, axes={-1: input_shape[-1]})
        if hasattr(self.layer, "kernel"):
            self.kernel = self.layer.kernel
        elif hasattr(self.layer, "embeddings"):
            self.kernel = self.layer.embeddings
        else:
            raise ValueError(f"{type(self.layer).__name__} object has no attribute 'kernel' nor "
                             f"'embeddings'")
        self.kernel_shape = tuple(self.kernel.shape)
        self.vector_u = self.add_weight((1, self.kernel_shape[-1]),
                                        initializers.TruncatedNormal(stddev=0.02),
                                        trainable=False, name="vector_u")

    def normalized_weights(self):
        """The next ``vector_u`` and the kernel divided by its estimated spectral norm."""
        w = tf.reshape(self.kernel, [-1, self.kernel_shape[-1]])
        u = tf.convert_to_tensor(self.vector_u)
        for _ in range(self.power_iterations):
            v = _l2_normalize(tf.matmul(u, w, transpose_b=True))
            u = _l2_normalize(tf.matmul(v, w))
        u, v = tf.stop_gradient(u), tf.stop_gradient(v)
        sigma = tf.matmul(tf.matmul(v, w), u, transpose_b=True)
        return u, tf.reshape(self.kernel / sigma, self.kernel_shape)

    def call(self, inputs, training=False):
        if training:  # an all-zero kernel stays as it is
            u, kernel = tf.cond(tf.reduce_all(tf.equal(self.kernel, 0)),
                                lambda: (tf.convert_to_tensor(self.vector_u),
                                         tf.convert_to_tensor(self.kernel)),
                                self.normalized_weights)
            self.vector_u.assign(u)
            self.kernel.assign(kernel)
        return tf.cast(self.layer(inputs), inputs.dtype)

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self):
        return {**super().get_config(), "power_iterations": self.power_iterations}
