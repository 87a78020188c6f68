"""Convolutions (1D/2D/3D, transposed, depthwise, separable), pooling, padding, cropping and
upsampling, channels-last as Keras defaults."""

import tapeflow as tf

from .. import activations, initializers
from .core import KernelBias
from .layer import InputSpec, Layer


def _tuple(value, n, name="kernel_size"):
    if isinstance(value, int):
        return (value,) * n
    value = tuple(int(v) for v in value)
    if len(value) != n:
        raise ValueError(f"The `{name}` argument must be a tuple of {n} integers. Received "
                         f"{name}={value}")
    return value


def _out_len(n, k, s, padding, d=1):
    if n is None:
        return None
    k = (k - 1) * d + 1
    return (n - k) // s + 1 if padding == "valid" else -(-n // s)


class _Conv(KernelBias, Layer):
    rank = 2

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        n = self.rank
        self.filters = filters
        self.kernel_size = _tuple(kernel_size, n)
        self.strides = _tuple(strides, n, "strides")
        self.dilation_rate = _tuple(dilation_rate, n, "dilation_rate")
        self.padding = padding.lower()
        if self.padding not in ("valid", "same", "causal"):
            raise ValueError(f"The `padding` argument must be a string one of 'valid', 'same' or "
                             f"'causal'. Received: padding={padding}")
        self.data_format = data_format or "channels_last"
        self.groups = groups
        self._kernel_bias_args(activation, use_bias, kernel_initializer, bias_initializer,
                               kernel_regularizer, bias_regularizer, kernel_constraint,
                               bias_constraint)
        self.input_spec = InputSpec(min_ndim=n + 2)

    def _kernel_shape(self, channels):
        return self.kernel_size + (channels // self.groups, self.filters)

    def build(self, input_shape):
        channels = input_shape[-1]
        self._add_kernel_bias(self._kernel_shape(channels), self.filters)
        self.input_spec = InputSpec(min_ndim=self.rank + 2, axes={-1: channels})
        self.built = True

    def _conv(self, x):
        if self.rank == 2:
            return tf.nn.conv2d(x, self.kernel, self.strides, self.padding.upper(),
                                dilations=self.dilation_rate)
        if self.rank == 1:
            if self.padding == "causal":
                left = (self.kernel_size[0] - 1) * self.dilation_rate[0]
                x = tf.pad(x, [[0, 0], [left, 0], [0, 0]])
                padding = "VALID"
            else:
                padding = self.padding.upper()
            return tf.nn.conv1d(x, self.kernel, self.strides[0], padding,
                                dilations=self.dilation_rate[0])
        return _conv3d(x, self.kernel, self.strides, self.padding)

    def call(self, inputs):
        y = self._conv(inputs)
        if self.bias is not None:
            y = y + self.bias
        return self.activation(y)

    def compute_output_shape(self, input_shape):
        pad = "same" if self.padding == "causal" else self.padding
        spatial = [_out_len(n, k, s, pad, d) for n, k, s, d in zip(
            input_shape[1:-1], self.kernel_size, self.strides, self.dilation_rate)]
        return (input_shape[0], *spatial, self.filters)

    def get_config(self):
        return {**super().get_config(), "filters": self.filters,
                "kernel_size": self.kernel_size, "strides": self.strides,
                "padding": self.padding, "data_format": self.data_format,
                "dilation_rate": self.dilation_rate, "groups": self.groups,
                "activation": activations.serialize(self.activation), "use_bias": self.use_bias}


def _conv3d(x, kernel, strides, padding):
    """A 3-D convolution as a sum of 2-D ones over the kernel's depth."""
    kd = kernel.shape[0]
    if padding == "same":
        total = max((-(-x.shape[1] // strides[0]) - 1) * strides[0] + kd - x.shape[1], 0)
        x = tf.pad(x, [[0, 0], [total // 2, total - total // 2], [0, 0], [0, 0], [0, 0]])
    depth = (x.shape[1] - kd) // strides[0] + 1
    outs = []
    for d in range(depth):
        acc = None
        for k in range(kd):
            y = tf.nn.conv2d(x[:, d * strides[0] + k], kernel[k], strides[1:], padding.upper())
            acc = y if acc is None else acc + y
        outs.append(acc)
    return tf.stack(outs, axis=1)


class Conv1D(_Conv):
    rank = 1


class Conv2D(_Conv):
    rank = 2


class Conv3D(_Conv):
    rank = 3


class Conv2DTranspose(_Conv):
    def _kernel_shape(self, channels):
        return self.kernel_size + (self.filters, channels)

    def _conv(self, x):
        out = self.compute_output_shape(tuple(x.shape))
        if out[0] is None:  # a traced None batch: its size when the graph runs
            out = (tf.shape(x)[0],) + out[1:]
        return tf.nn.conv2d_transpose(x, self.kernel, out, self.strides, self.padding.upper())

    def compute_output_shape(self, input_shape):
        def length(n, k, s):
            if n is None:
                return None
            return n * s + max(k - s, 0) if self.padding == "valid" else n * s
        return (input_shape[0], length(input_shape[1], self.kernel_size[0], self.strides[0]),
                length(input_shape[2], self.kernel_size[1], self.strides[1]), self.filters)


class DepthwiseConv2D(_Conv):
    def __init__(self, kernel_size, strides=(1, 1), padding="valid", depth_multiplier=1,
                 data_format=None, dilation_rate=(1, 1), activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(None, kernel_size, strides, padding, data_format, dilation_rate,
                         activation=activation, use_bias=use_bias,
                         kernel_initializer=depthwise_initializer,
                         bias_initializer=bias_initializer,
                         kernel_regularizer=depthwise_regularizer,
                         bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         kernel_constraint=depthwise_constraint,
                         bias_constraint=bias_constraint, **kwargs)
        self.depth_multiplier = depth_multiplier

    def build(self, input_shape):
        channels = input_shape[-1]
        self.filters = channels * self.depth_multiplier
        self.kernel = self.add_weight(self.kernel_size + (channels, self.depth_multiplier),
                                      self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint, name="kernel")
        self.bias = (self.add_weight((self.filters,), self.bias_initializer,
                                     regularizer=self.bias_regularizer, name="bias")
                     if self.use_bias else None)
        self.built = True

    def _conv(self, x):
        return _depthwise(x, self.kernel, self.strides, self.padding)


def _depthwise(x, kernel, strides, padding):
    """Each input channel convolved with its own ``multiplier`` filters."""
    channels = kernel.shape[2]
    outs = []
    for c in range(channels):
        outs.append(tf.nn.conv2d(x[..., c:c + 1], kernel[:, :, c:c + 1, :], strides,
                                 padding.upper()))
    return tf.concat(outs, axis=-1) if len(outs) > 1 else outs[0]


class SeparableConv2D(_Conv):
    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1), depth_multiplier=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", pointwise_initializer="glorot_uniform",
                 bias_initializer="zeros", **kwargs):
        super().__init__(filters, kernel_size, strides, padding, data_format, dilation_rate,
                         activation=activation, use_bias=use_bias,
                         bias_initializer=bias_initializer, **kwargs)
        self.depth_multiplier = depth_multiplier
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.pointwise_initializer = initializers.get(pointwise_initializer)

    def build(self, input_shape):
        channels = input_shape[-1]
        self.depthwise_kernel = self.add_weight(
            self.kernel_size + (channels, self.depth_multiplier), self.depthwise_initializer,
            name="depthwise_kernel")
        self.pointwise_kernel = self.add_weight(
            (1, 1, channels * self.depth_multiplier, self.filters), self.pointwise_initializer,
            name="pointwise_kernel")
        self.bias = (self.add_weight((self.filters,), self.bias_initializer, name="bias")
                     if self.use_bias else None)
        self.built = True

    def _conv(self, x):
        y = _depthwise(x, self.depthwise_kernel, self.strides, self.padding)
        return tf.nn.conv2d(y, self.pointwise_kernel, 1, "VALID")


class _Pool(Layer):
    rank = 2
    kind = "max"

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None, name=None,
                 **kwargs):
        super().__init__(name=name, **kwargs)
        self.pool_size = _tuple(pool_size, self.rank, "pool_size")
        self.strides = self.pool_size if strides is None else _tuple(strides, self.rank,
                                                                      "strides")
        self.padding = padding.lower()
        self.data_format = data_format or "channels_last"
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def call(self, inputs):
        op = tf.nn.max_pool2d if self.kind == "max" else tf.nn.avg_pool2d
        if self.rank == 1:
            x = tf.expand_dims(inputs, 1)
            y = op(x, (1,) + self.pool_size, (1,) + self.strides, self.padding.upper())
            return tf.squeeze(y, 1)
        return op(inputs, self.pool_size, self.strides, self.padding.upper())

    def compute_output_shape(self, input_shape):
        spatial = [_out_len(n, k, s, self.padding) for n, k, s in zip(
            input_shape[1:-1], self.pool_size, self.strides)]
        return (input_shape[0], *spatial, input_shape[-1])

    def get_config(self):
        return {**super().get_config(), "pool_size": self.pool_size, "padding": self.padding,
                "strides": self.strides, "data_format": self.data_format}


class MaxPooling2D(_Pool):
    pass


class AveragePooling2D(_Pool):
    kind = "avg"


class MaxPooling1D(_Pool):
    rank = 1


class AveragePooling1D(_Pool):
    rank = 1
    kind = "avg"


class _GlobalPool(Layer):
    rank = 2

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.keepdims = keepdims
        self.data_format = data_format or "channels_last"
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def call(self, inputs):
        axes = list(range(1, self.rank + 1))
        return self._reduce(inputs, axes)

    def compute_output_shape(self, input_shape):
        if self.keepdims:
            return (input_shape[0],) + (1,) * self.rank + (input_shape[-1],)
        return (input_shape[0], input_shape[-1])


class GlobalAveragePooling2D(_GlobalPool):
    def _reduce(self, x, axes):
        return tf.reduce_mean(x, axis=axes, keepdims=self.keepdims)


class GlobalMaxPooling2D(_GlobalPool):
    def _reduce(self, x, axes):
        return tf.reduce_max(x, axis=axes, keepdims=self.keepdims)


class GlobalAveragePooling1D(GlobalAveragePooling2D):
    rank = 1


class GlobalMaxPooling1D(GlobalMaxPooling2D):
    rank = 1


class ZeroPadding2D(Layer):
    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(padding, int):
            padding = ((padding, padding), (padding, padding))
        elif isinstance(padding[0], int):
            padding = ((padding[0], padding[0]), (padding[1], padding[1]))
        self.padding = tuple(tuple(p) for p in padding)
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs):
        return tf.pad(inputs, [[0, 0], list(self.padding[0]), list(self.padding[1]), [0, 0]])


class Cropping2D(Layer):
    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(cropping, int):
            cropping = ((cropping, cropping), (cropping, cropping))
        elif isinstance(cropping[0], int):
            cropping = ((cropping[0], cropping[0]), (cropping[1], cropping[1]))
        self.cropping = tuple(tuple(c) for c in cropping)
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs):
        (t, b), (left, r) = self.cropping
        h, w = inputs.shape[1], inputs.shape[2]
        return inputs[:, t:h - b, left:w - r, :]


class UpSampling2D(Layer):
    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(**kwargs)
        self.size = _tuple(size, 2, "size")
        self.interpolation = interpolation
        self.input_spec = InputSpec(ndim=4)

    def call(self, inputs):
        if self.interpolation != "nearest":
            raise NotImplementedError(f"UpSampling2D interpolation={self.interpolation!r}")
        x = inputs
        for axis, n in ((1, self.size[0]), (2, self.size[1])):
            x = tf.repeat(x, n, axis=axis) if hasattr(tf, "repeat") else _repeat(x, n, axis)
        return x


def _repeat(x, n, axis):
    shape = list(x.shape)
    y = tf.expand_dims(x, axis + 1)
    multiples = [1] * (len(shape) + 1)
    multiples[axis + 1] = n
    y = tf.tile(y, multiples)
    shape[axis] *= n
    return tf.reshape(y, shape)

