"""``tf.keras.layers.Dense`` and ``BatchNormalization``: built on first call, named like Keras."""

import numpy as np

from ..framework import dtypes
from ..framework.tensor import convert_to_tensor
from ..framework.variable import ResourceVariable
from ..module import Module, _snake
from ..ops import array_ops, linalg_ops, math_ops, reduction_ops
from . import activations, initializers

_layer_counts = {}


class Variable(ResourceVariable):
    """A Keras 3 layer weight: named ``kernel`` with ``path`` ``dense/kernel``, as TF 2.21 prints.

    It is still a ``tf.Variable`` here (the tapes must see its reads); assignments return the new
    value as a tensor, like Keras.
    """

    __slots__ = ("_path",)

    def __init__(self, initial_value, trainable=True, name=None, path=None):
        super().__init__(initial_value, trainable=trainable, name=name)
        self._name = name
        self._path = path

    @property
    def path(self):
        return self._path

    def assign(self, value, use_locking=None, name=None, read_value=True):
        super().assign(value, read_value=False)
        return self.read_value() if read_value else None

    def assign_add(self, delta, use_locking=None, name=None, read_value=True):
        super().assign_add(delta, read_value=False)
        return self.read_value() if read_value else None

    def assign_sub(self, delta, use_locking=None, name=None, read_value=True):
        super().assign_sub(delta, read_value=False)
        return self.read_value() if read_value else None

    def __repr__(self):
        return (f"<Variable path={self._path}, shape={self.shape}, dtype={self.dtype.name}, "
                f"value={np.asarray(self._handle.value)}>")

    __str__ = __repr__


class Layer(Module):
    """A Module that creates its variables on first call and lists them in creation order."""

    def __init__(self, name=None, dtype=None, trainable=True, **kwargs):
        if name is None:
            base = _snake(type(self).__name__)
            count = _layer_counts.get(base, 0)
            _layer_counts[base] = count + 1
            name = base if count == 0 else f"{base}_{count}"
        super().__init__(name=name)
        self.built = False
        self.trainable = trainable
        self._layer_variables = []
        self._dtype = dtypes.as_dtype(dtype or dtypes.float32)

    def add_weight(self, name, shape, initializer, trainable=True):
        value = initializers.get(initializer)(tuple(shape), self._dtype)
        var = Variable(value, trainable=trainable, name=name, path=f"{self.name}/{name}")
        self._layer_variables.append(var)
        return var

    def build(self, input_shape):
        self.built = True

    def __call__(self, inputs, *args, **kwargs):
        inputs = convert_to_tensor(inputs)
        if not self.built:
            self.build(inputs.shape)
            self.built = True
        return self.call(inputs, *args, **kwargs)

    @property
    def variables(self):
        return list(self._layer_variables)

    weights = variables

    @property
    def trainable_variables(self):
        return [v for v in self._layer_variables if v.trainable] if self.trainable else []

    trainable_weights = trainable_variables

    @property
    def non_trainable_variables(self):
        return [v for v in self._layer_variables if not (v.trainable and self.trainable)]


class Dense(Layer):
    """``units`` outputs: ``activation(inputs @ kernel + bias)``."""

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", **kwargs):
        super().__init__(**kwargs)
        self.units = int(units)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = bias_initializer

    def build(self, input_shape):
        self.kernel = self.add_weight("kernel", (input_shape[-1], self.units),
                                      self.kernel_initializer)
        self.bias = (self.add_weight("bias", (self.units,), self.bias_initializer)
                     if self.use_bias else None)
        self.built = True

    def call(self, inputs):
        y = linalg_ops.matmul(inputs, self.kernel)
        if self.bias is not None:
            y = y + self.bias
        return self.activation(y)


class BatchNormalization(Layer):
    """Normalise over all axes but ``axis``: batch statistics in training, else moving ones."""

    def __init__(self, axis=-1, momentum=0.99, epsilon=0.001, center=True, scale=True, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.momentum = momentum
        self.epsilon = epsilon
        self.center = center
        self.scale = scale

    def build(self, input_shape):
        shape = (input_shape[self.axis],)
        self.gamma = self.add_weight("gamma", shape, "ones") if self.scale else None
        self.beta = self.add_weight("beta", shape, "zeros") if self.center else None
        self.moving_mean = self.add_weight("moving_mean", shape, "zeros", trainable=False)
        self.moving_variance = self.add_weight("moving_variance", shape, "ones", trainable=False)
        self.built = True

    def call(self, inputs, training=None):
        ndim = inputs.ndim
        axis = self.axis % ndim
        reduce_axes = [i for i in range(ndim) if i != axis]
        shape = [1] * ndim
        shape[axis] = inputs.shape[axis]
        if training and self.trainable:
            mean = reduction_ops.reduce_mean(inputs, axis=reduce_axes)
            variance = reduction_ops.reduce_mean(
                math_ops.square(inputs - array_ops.reshape(mean, shape)), axis=reduce_axes)
            m = self.momentum
            self.moving_mean.assign(self.moving_mean * m + mean * (1.0 - m))
            self.moving_variance.assign(self.moving_variance * m + variance * (1.0 - m))
        else:
            mean, variance = self.moving_mean, self.moving_variance
        # Keras's arithmetic order (y = x * inv + (beta - mean * inv)), for the same roundings.
        inv = math_ops.rsqrt(variance + self.epsilon)
        if self.gamma is not None:
            inv = inv * self.gamma
        shift = -mean * inv if self.beta is None else self.beta - mean * inv
        return inputs * array_ops.reshape(inv, shape) + array_ops.reshape(shift, shape)
