"""Convolutions (1D/2D/3D, transposed, depthwise, separable), pooling, padding, cropping and
upsampling, channels-last as Keras defaults."""

import tapeflow as tf

from .. import activations, initializers
from .core import KernelBias
from .layer import InputSpec, Layer, base_config, serialize_value


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


def _data_format(value):
    value = (value or "channels_last").lower()
    if value not in ("channels_last", "channels_first"):
        raise ValueError(f"The `data_format` argument must be one of {{'channels_first', "
                         f"'channels_last'}}. Received: data_format={value}")
    return value


def _channel_axis(data_format):
    return 1 if data_format == "channels_first" else -1


def _to_last(x, data_format):
    """A channels-first tensor moved to channels-last (the layers compute channels-last)."""
    if data_format != "channels_first":
        return x
    return tf.transpose(x, [0, *range(2, x.ndim), 1])


def _from_last(x, data_format):
    if data_format != "channels_first":
        return x
    return tf.transpose(x, [0, x.ndim - 1, *range(1, x.ndim - 1)])


def _shape_to_last(shape, data_format):
    shape = tuple(shape)
    return shape if data_format != "channels_first" else (shape[0], *shape[2:], shape[1])


def _shape_from_last(shape, data_format):
    shape = tuple(shape)
    return shape if data_format != "channels_first" else (shape[0], shape[-1], *shape[1:-1])


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
        self.data_format = _data_format(data_format)
        self.groups = groups
        if self.groups <= 0:
            raise ValueError(f"The number of groups must be a positive integer. Received: "
                             f"groups={self.groups}.")
        if self.filters is not None and self.filters % self.groups != 0:
            raise ValueError(f"The number of filters must be evenly divisible by the number of "
                             f"groups. Received: groups={self.groups}, filters={self.filters}.")
        self._kernel_bias_args(activation, use_bias, kernel_initializer, bias_initializer,
                               kernel_regularizer, bias_regularizer, kernel_constraint,
                               bias_constraint)
        self.input_spec = InputSpec(min_ndim=n + 2)

    def _kernel_shape(self, channels):
        return self.kernel_size + (channels // self.groups, self.filters)

    def build(self, input_shape):
        axis = _channel_axis(self.data_format)
        channels = input_shape[axis]
        if channels % self.groups != 0:
            raise ValueError(
                f"The number of input channels must be evenly divisible by the number of groups. "
                f"Received groups={self.groups}, but the input has {channels} channels (full "
                f"input shape is {tuple(input_shape)}).")
        self._add_kernel_bias(self._kernel_shape(channels), self.filters)
        self.input_spec = InputSpec(min_ndim=self.rank + 2, axes={axis: channels})
        self.built = True

    def _conv(self, x):
        """The convolution of channels-last ``x``: one per group, concatenated."""
        if self.groups == 1:
            return self._conv_group(x, self.kernel)
        xs = tf.split(x, self.groups, axis=-1)
        ks = tf.split(self.kernel, self.groups, axis=-1)
        return tf.concat([self._conv_group(xi, ki) for xi, ki in zip(xs, ks)], axis=-1)

    def _conv_group(self, x, kernel):
        if self.rank == 2:
            return tf.nn.conv2d(x, kernel, self.strides, self.padding.upper(),
                                dilations=self.dilation_rate)
        if self.rank == 1:
            if self.padding == "causal":
                left = (self.kernel_size[0] - 1) * self.dilation_rate[0]
                x = tf.pad(x, [[0, 0], [left, 0], [0, 0]])
                padding = "VALID"
            else:
                padding = self.padding.upper()
            return tf.nn.conv1d(x, kernel, self.strides[0], padding,
                                dilations=self.dilation_rate[0])
        return _conv3d(x, kernel, self.strides, self.padding)

    def call(self, inputs):
        x = _to_last(inputs, self.data_format)
        y = self._conv(x)
        if self.bias is not None:
            y = y + self.bias
        return _from_last(self.activation(y), self.data_format)

    def compute_output_shape(self, input_shape):
        pad = "same" if self.padding == "causal" else self.padding
        shape = _shape_to_last(input_shape, self.data_format)
        spatial = [_out_len(n, k, s, pad, d) for n, k, s, d in zip(
            shape[1:-1], self.kernel_size, self.strides, self.dilation_rate)]
        return _shape_from_last((shape[0], *spatial, self.filters), self.data_format)

    def _shape_config(self):
        return {"filters": self.filters, "kernel_size": self.kernel_size,
                "strides": self.strides, "padding": self.padding,
                "data_format": self.data_format, "dilation_rate": self.dilation_rate,
                "groups": self.groups, "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias}

    def get_config(self):
        """Keras's keys in Keras's order."""
        config = {**base_config(self), **self._shape_config()}
        for key in ("kernel_initializer", "bias_initializer", "kernel_regularizer",
                    "bias_regularizer", "activity_regularizer", "kernel_constraint",
                    "bias_constraint"):
            value = getattr(self, key)
            config[key] = None if value is None else serialize_value(value)
        return config


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
        out = self._shape_last(tuple(x.shape))
        if out[0] is None:  # a traced None batch: its size when the graph runs
            out = (tf.shape(x)[0],) + out[1:]
        return tf.nn.conv2d_transpose(x, self.kernel, out, self.strides, self.padding.upper())

    def compute_output_shape(self, input_shape):
        shape = self._shape_last(_shape_to_last(input_shape, self.data_format))
        return _shape_from_last(shape, self.data_format)

    def _shape_last(self, input_shape):
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
        channels = input_shape[_channel_axis(self.data_format)]
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

    def get_config(self):
        return {**Layer.get_config(self), **self._shape_config()}


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
        channels = input_shape[_channel_axis(self.data_format)]
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

    get_config = DepthwiseConv2D.get_config


_POOL_OPS = {("max", 1): "max_pool1d", ("avg", 1): "avg_pool1d", ("max", 2): "max_pool2d",
             ("avg", 2): "avg_pool2d", ("max", 3): "max_pool3d", ("avg", 3): "avg_pool3d"}


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
        self.data_format = _data_format(data_format)
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def call(self, inputs):
        op = getattr(tf.nn, _POOL_OPS[self.kind, self.rank])
        x = _to_last(inputs, self.data_format)
        y = op(x, self.pool_size, self.strides, self.padding.upper())
        return _from_last(y, self.data_format)

    def compute_output_shape(self, input_shape):
        shape = _shape_to_last(input_shape, self.data_format)
        spatial = [_out_len(n, k, s, self.padding) for n, k, s in zip(
            shape[1:-1], self.pool_size, self.strides)]
        return _shape_from_last((shape[0], *spatial, shape[-1]), self.data_format)

    def get_config(self):
        return {**base_config(self), "pool_size": self.pool_size, "padding": self.padding,
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


class MaxPooling3D(_Pool):
    rank = 3


class AveragePooling3D(_Pool):
    rank = 3
    kind = "avg"


class _GlobalPool(Layer):
    rank = 2

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.keepdims = keepdims
        self.data_format = _data_format(data_format)
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def call(self, inputs):
        first = self.data_format == "channels_first"
        axes = list(range(2, self.rank + 2)) if first else list(range(1, self.rank + 1))
        return self._reduce(inputs, axes)

    def compute_output_shape(self, input_shape):
        shape = _shape_to_last(input_shape, self.data_format)
        if self.keepdims:
            return _shape_from_last((shape[0],) + (1,) * self.rank + (shape[-1],),
                                    self.data_format)
        return (shape[0], shape[-1])

    def get_config(self):
        return {**base_config(self), "data_format": self.data_format, "keepdims": self.keepdims}


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


class GlobalAveragePooling3D(GlobalAveragePooling2D):
    rank = 3


class GlobalMaxPooling3D(GlobalMaxPooling2D):
    rank = 3


def _pairs(value, rank, name):
    """``(before, after)`` per spatial axis from an int, ``rank`` ints or ``rank`` pairs."""
    if isinstance(value, int):
        return ((value, value),) * rank
    value = tuple(value)
    if len(value) != rank:
        raise ValueError(f"`{name}` should have {rank} elements. Received: {name}={value}.")
    out = []
    for v in value:
        pair = (v, v) if isinstance(v, int) else tuple(int(p) for p in v)
        if len(pair) != 2:
            raise ValueError(f"`{name}` should have two elements per axis. Received: "
                             f"{name}={value}.")
        out.append(pair)
    return tuple(out)


class _Spatial(Layer):
    """A layer over the spatial axes of a ``rank + 2``-D input, either data format."""

    rank = 2

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = _data_format(data_format)
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def call(self, inputs):
        return _from_last(self._last(_to_last(inputs, self.data_format)), self.data_format)

    def compute_output_shape(self, input_shape):
        shape = _shape_to_last(input_shape, self.data_format)
        spatial = tuple(None if n is None else self._length(i, n)
                        for i, n in enumerate(shape[1:-1]))
        return _shape_from_last((shape[0], *spatial, shape[-1]), self.data_format)


class _ZeroPadding(_Spatial):
    def __init__(self, padding=1, data_format=None, **kwargs):
        super().__init__(data_format, **kwargs)
        self.padding = _pairs(padding, self.rank, "padding")

    def _last(self, x):
        return tf.pad(x, [[0, 0], *[list(p) for p in self.padding], [0, 0]])

    def _length(self, i, n):
        return n + sum(self.padding[i])

    def get_config(self):
        return {**super().get_config(), "padding": self.padding,
                "data_format": self.data_format}


class ZeroPadding1D(_ZeroPadding):
    rank = 1

    def __init__(self, padding=1, data_format=None, **kwargs):
        super().__init__(padding if isinstance(padding, int) else (tuple(padding),),
                         data_format, **kwargs)

    def get_config(self):
        return {**super().get_config(), "padding": self.padding[0]}


class ZeroPadding2D(_ZeroPadding):
    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(padding, data_format, **kwargs)


class ZeroPadding3D(_ZeroPadding):
    rank = 3

    def __init__(self, padding=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(padding, data_format, **kwargs)


class _Cropping(_Spatial):
    def __init__(self, cropping, data_format=None, **kwargs):
        super().__init__(data_format, **kwargs)
        self.cropping = _pairs(cropping, self.rank, "cropping")

    def _last(self, x):
        index = [slice(None)]
        for (a, b), n in zip(self.cropping, x.shape[1:-1]):
            index.append(slice(a, n - b))
        return x[tuple(index) + (slice(None),)]

    def _length(self, i, n):
        return n - sum(self.cropping[i])

    def get_config(self):
        return {**super().get_config(), "cropping": self.cropping,
                "data_format": self.data_format}


class Cropping1D(_Cropping):
    rank = 1

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(cropping if isinstance(cropping, int) else (tuple(cropping),), None,
                         **kwargs)

    def get_config(self):
        return {**base_config(self), "cropping": self.cropping[0]}


class Cropping2D(_Cropping):
    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(cropping, data_format, **kwargs)


class Cropping3D(_Cropping):
    rank = 3

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(cropping, data_format, **kwargs)


class _UpSampling(_Spatial):
    def __init__(self, size=2, data_format=None, **kwargs):
        super().__init__(data_format, **kwargs)
        self.size = _tuple(size, self.rank, "size")

    def _last(self, x):
        for axis, n in enumerate(self.size, start=1):
            x = tf.repeat(x, n, axis=axis)
        return x

    def _length(self, i, n):
        return n * self.size[i]

    def get_config(self):
        return {**super().get_config(), "size": self.size, "data_format": self.data_format}


class UpSampling1D(_UpSampling):
    rank = 1

    def __init__(self, size=2, **kwargs):
        super().__init__(size, None, **kwargs)

    def get_config(self):
        return {**base_config(self), "size": self.size[0]}


class UpSampling2D(_UpSampling):
    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(size, data_format, **kwargs)
        self.interpolation = interpolation.lower()

    def _last(self, x):
        if self.interpolation == "nearest":
            return super()._last(x)
        size = (x.shape[1] * self.size[0], x.shape[2] * self.size[1])
        return tf.image.resize(x, size, method=self.interpolation)

    def get_config(self):
        return {**super().get_config(), "interpolation": self.interpolation}


class UpSampling3D(_UpSampling):
    rank = 3

    def __init__(self, size=(2, 2, 2), data_format=None, **kwargs):
        super().__init__(size, data_format, **kwargs)
