"""BatchNormalization, LayerNormalization, GroupNormalization, UnitNormalization,
RMSNormalization."""

import tapeflow as tf

from .. import _autocast, constraints, initializers, regularizers
from .layer import InputSpec, Layer, base_config


class BatchNormalization(Layer):
    """Normalise over all axes but ``axis``: batch statistics in training, else moving ones."""

    def __init__(self, axis=-1, momentum=0.99, epsilon=0.001, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones",
                 moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, synchronized=False, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.momentum, self.epsilon = momentum, epsilon
        self.center, self.scale = center, scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True

    def build(self, input_shape):
        shape = (input_shape[self.axis],)
        self.gamma = (self.add_weight(shape, self.gamma_initializer, name="gamma",
                                      regularizer=self.gamma_regularizer,
                                      constraint=self.gamma_constraint, autocast=False)
                      if self.scale else None)
        self.beta = (self.add_weight(shape, self.beta_initializer, name="beta",
                                     regularizer=self.beta_regularizer,
                                     constraint=self.beta_constraint, autocast=False)
                     if self.center else None)
        self.moving_mean = self.add_weight(shape, self.moving_mean_initializer,
                                           trainable=False, name="moving_mean", autocast=False)
        self.moving_variance = self.add_weight(shape, self.moving_variance_initializer,
                                               trainable=False, name="moving_variance",
                                               autocast=False)
        self.input_spec = InputSpec(ndim=len(input_shape), axes={self.axis: shape[0]})
        self.built = True

    def call(self, inputs, training=None, mask=None):
        # in float32 at least (16 bits overflow), the result in the compute dtype, as Keras
        return tf.cast(self._normalize(_autocast.widen(inputs), training), self.compute_dtype)

    def _normalize(self, inputs, training):
        ndim = inputs.ndim
        axis = self.axis % ndim
        reduce_axes = [i for i in range(ndim) if i != axis]
        shape = [1] * ndim
        shape[axis] = inputs.shape[axis]
        if training and self.trainable:
            mean = tf.reduce_mean(inputs, axis=reduce_axes)
            variance = tf.reduce_mean(tf.square(inputs - tf.reshape(mean, shape)),
                                      axis=reduce_axes)
            m = self.momentum
            for var, value in ((self.moving_mean, mean), (self.moving_variance, variance)):
                var.assign(tf.cast(_autocast.read_as(var, value.dtype) * m +
                                   tf.stop_gradient(value) * (1.0 - m), var.dtype))
        else:
            mean = _autocast.read_as(self.moving_mean, inputs.dtype)
            variance = _autocast.read_as(self.moving_variance, inputs.dtype)
        # Keras's arithmetic order (y = x * inv + (beta - mean * inv)), for the same roundings.
        inv = tf.math.rsqrt(variance + self.epsilon)
        if self.gamma is not None:
            inv = inv * _autocast.read_as(self.gamma, inv.dtype)
        shift = -mean * inv if self.beta is None else (
            _autocast.read_as(self.beta, inv.dtype) - mean * inv)
        if ndim == 2 and axis == 1:
            return inputs * inv + shift
        return inputs * tf.reshape(inv, shape) + tf.reshape(shift, shape)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "momentum": self.momentum,
                "epsilon": self.epsilon, "center": self.center, "scale": self.scale}


class LayerNormalization(Layer):
    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True, rms_scaling=False,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.epsilon, self.center, self.scale = epsilon, center, scale
        self.rms_scaling = rms_scaling
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.autocast = False  # as Keras: float32 inputs stay float32 (see call)

    def _axes(self, ndim):
        axes = self.axis if isinstance(self.axis, list | tuple) else [self.axis]
        return sorted(a % ndim for a in axes)

    def build(self, input_shape):
        axes = self._axes(len(input_shape))
        shape = tuple(input_shape[a] for a in axes)
        self.gamma = (self.add_weight(shape, self.gamma_initializer, name="gamma",
                                      regularizer=self.gamma_regularizer, autocast=False)
                      if self.scale else None)
        self.beta = (self.add_weight(shape, self.beta_initializer, name="beta",
                                     regularizer=self.beta_regularizer, autocast=False)
                     if self.center and not self.rms_scaling else None)
        self.built = True

    def call(self, inputs):
        # in float32 at least (16 bits overflow), the result in the compute dtype, as Keras
        return tf.cast(self._normalize(_autocast.widen(inputs)), self.compute_dtype)

    def _normalize(self, inputs):
        ndim = inputs.ndim
        axes = self._axes(ndim)
        bshape = [inputs.shape[i] if i in axes else 1 for i in range(ndim)]
        if self.rms_scaling:  # Keras 3.15 divides by the standard deviation here
            y = inputs * tf.math.rsqrt(tf.math.reduce_variance(inputs, axis=axes, keepdims=True)
                                       + self.epsilon)
            return y * tf.reshape(_autocast.read_as(self.gamma, y.dtype), bshape) if (
                self.gamma is not None) else y
        mean = tf.reduce_mean(inputs, axis=axes, keepdims=True)
        variance = tf.reduce_mean(tf.square(inputs - mean), axis=axes, keepdims=True)
        inv = tf.math.rsqrt(variance + self.epsilon)
        if self.gamma is not None:
            inv = inv * tf.reshape(_autocast.read_as(self.gamma, inv.dtype), bshape)
        y = inputs * inv - mean * inv
        if self.beta is not None:
            y = y + tf.reshape(_autocast.read_as(self.beta, y.dtype), bshape)
        return y

    def compute_output_shape(self, input_shape):
        return input_shape


class GroupNormalization(Layer):
    def __init__(self, groups=32, axis=-1, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones", **kwargs):
        super().__init__(**kwargs)
        self.groups, self.axis, self.epsilon = groups, axis, epsilon
        self.center, self.scale = center, scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.autocast = False  # as Keras: float32 inputs stay float32 (see call)

    def build(self, input_shape):
        channels = input_shape[self.axis]
        if channels % self.groups:
            raise ValueError(f"Number of groups ({self.groups}) must be a multiple of the number "
                             f"of channels ({channels}).")
        self.gamma = (self.add_weight((channels,), self.gamma_initializer, name="gamma",
                                      autocast=False) if self.scale else None)
        self.beta = (self.add_weight((channels,), self.beta_initializer, name="beta",
                                     autocast=False) if self.center else None)
        self.built = True

    def call(self, inputs):
        return tf.cast(self._normalize(_autocast.widen(inputs)), self.compute_dtype)

    def _normalize(self, inputs):
        shape = list(inputs.shape)
        c = shape[-1]
        dims = tf.shape(inputs)  # the batch size may be known only when a graph runs
        grouped = tf.reshape(inputs, tf.concat([dims[:-1], [self.groups, c // self.groups]], 0))
        axes = list(range(1, len(shape) - 1)) + [len(shape)]
        mean = tf.reduce_mean(grouped, axis=axes, keepdims=True)
        variance = tf.reduce_mean(tf.square(grouped - mean), axis=axes, keepdims=True)
        y = tf.reshape((grouped - mean) * tf.math.rsqrt(variance + self.epsilon), dims)
        if self.gamma is not None:
            y = y * _autocast.read_as(self.gamma, y.dtype)
        if self.beta is not None:
            y = y + _autocast.read_as(self.beta, y.dtype)
        return y


class UnitNormalization(Layer):
    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def call(self, inputs):
        return tf.math.l2_normalize(inputs, axis=self.axis, epsilon=1e-12)


class RMSNormalization(Layer):
    """``x / sqrt(mean(x ** 2) + epsilon) * scale`` over ``axis`` (no centering)."""

    def __init__(self, axis=-1, epsilon=1e-6, **kwargs):
        super().__init__(**kwargs)
        self.axis, self.epsilon = axis, epsilon

    def build(self, input_shape):
        if isinstance(self.axis, list | tuple):
            self.axis = sorted(self.axis)
        else:
            self.axis = [self.axis]
        shape = tuple(input_shape)
        self.scale = self.add_weight(tuple(shape[a] for a in self.axis), "ones",
                                     name="scale")
        self.built = True

    def call(self, inputs):
        x = _autocast.widen(inputs)  # in float32 at least, as Keras
        axes = [a % x.ndim for a in self.axis]
        rrms = tf.math.rsqrt(tf.reduce_mean(tf.square(x), axis=axes, keepdims=True) +
                             self.epsilon)
        scale = tf.reshape(self.scale, [x.shape[i] if i in axes else 1 for i in range(x.ndim)])
        return tf.cast(x * rrms * tf.cast(scale, x.dtype), inputs.dtype)

    def compute_output_shape(self, input_shape):
        axes = [self.axis] if isinstance(self.axis, int) else self.axis
        for axis in axes:
            if axis >= len(input_shape) or axis < -len(input_shape):
                raise ValueError(f"Axis {axis} is out of bounds for input shape {input_shape}. "
                                 f"Received: axis={self.axis}")
        return input_shape

    def get_config(self):
        return {**base_config(self), "axis": self.axis, "epsilon": self.epsilon}
