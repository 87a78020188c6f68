"""Convolutions (1D/2D/3D, transposed, depthwise, separable), pooling (adaptive too), padding,
cropping and upsampling, channels-last as Keras defaults."""

import itertools

import tapeflow as tf

from .. import activations, constraints, initializers, regularizers
from .core import KernelBias
from .layer import InputSpec, Layer, base_config, serialize_value


def _tuple(value, n, name="kernel_size", minimum=1):
    """An int or ``n`` ints as a tuple of ``n`` ints of at least ``minimum``, with Keras's
    message otherwise."""
    message = f"The `{name}` argument must be a tuple of {n} integers. Received {name}={value}"
    if isinstance(value, int):
        value = (value,) * n
    else:
        value = tuple(int(v) for v in value)
        if len(value) != n:
            raise ValueError(message)
    low = {v for v in value if v < minimum}
    if low:
        raise ValueError(f"{message}, including values {low} that do not satisfy `value "
                         f"{'> 0' if minimum else '>= 0'}`")
    return value


def _padding(value, causal):
    allowed = ("valid", "same", "causal") if causal else ("valid", "same")
    padding = value.lower()
    if padding not in allowed:
        names = ", ".join(repr(a) for a in allowed)
        raise ValueError(f"The `padding` argument must be a list/tuple or one of {{{names}}}. "
                         f"Received: {padding}")
    return padding


def _check_filters(filters):
    if filters is not None and filters <= 0:
        raise ValueError(f"Invalid value for argument `filters`. Expected a strictly positive "
                         f"value. Received filters={filters}.")


def _out_len(n, k, s, padding, d=1):
    if n is None:
        return None
    k = (k - 1) * d + 1
    return (n - k) // s + 1 if padding == "valid" else -(-n // s)


def _data_format(value):
    if not value:  # Keras's default: the global setting (keras.config.image_data_format())
        from .. import config
        value = config.image_data_format()
    value = value.lower()
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
    causal = False  # whether padding="causal" is allowed

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
        self.padding = _padding(padding, type(self).causal)
        _check_filters(filters)
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
    causal = True


class Conv2D(_Conv):
    rank = 2


class Conv3D(_Conv):
    rank = 3


class _ConvTranspose(_Conv):
    """The transposed convolution (the gradient of a convolution w.r.t. its input); kernel
    ``kernel_size + (filters, channels)``."""

    def __init__(self, filters, kernel_size, strides=1, padding="valid", output_padding=None,
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        _no_groups(self, kwargs)
        super().__init__(filters, kernel_size, strides, padding, data_format, dilation_rate,
                         activation=activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                         kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
                         **kwargs)
        self.output_padding = (None if output_padding is None else
                               _tuple(output_padding, self.rank, "output_padding", minimum=0))
        for i, (op, s) in enumerate(zip(self.output_padding or (), self.strides)):
            if op >= s:
                raise ValueError(
                    f"`output_padding` must be strictly less than `strides` for all dimensions. "
                    f"At dimension {i}, `output_padding` is {op} but `strides` is {s}. Received: "
                    f"output_padding={self.output_padding}, strides={self.strides}")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(f"`strides > 1` not supported in conjunction with `dilation_rate > "
                             f"1`. Received: strides={self.strides} and dilation_rate="
                             f"{self.dilation_rate}")

    def _kernel_shape(self, channels):
        return self.kernel_size + (self.filters, channels)

    def _conv(self, x):
        out = self._shape_last(tuple(x.shape))
        if out[0] is None:  # a traced None batch: its size when the graph runs
            out = (tf.shape(x)[0],) + out[1:]
        op = tf.nn.conv2d_transpose if self.rank == 2 else tf.nn.conv_transpose
        return op(x, self.kernel, out, self.strides, self.padding.upper(),
                  dilations=self.dilation_rate)

    def compute_output_shape(self, input_shape):
        shape = self._shape_last(_shape_to_last(input_shape, self.data_format))
        return _shape_from_last(shape, self.data_format)

    def _shape_last(self, input_shape):
        pads = self.output_padding or (None,) * self.rank
        spatial = [_transpose_len(n, k, s, self.padding, p, d) for n, k, s, p, d in zip(
            input_shape[1:-1], self.kernel_size, self.strides, pads, self.dilation_rate)]
        return (input_shape[0], *spatial, self.filters)

    def _shape_config(self):
        config = super()._shape_config()
        del config["groups"]
        return {key: config[key] for key in (
            "filters", "kernel_size", "strides", "padding")} | {
            "output_padding": self.output_padding} | {key: config[key] for key in (
                "data_format", "dilation_rate", "activation", "use_bias")}


def _no_groups(layer, kwargs):
    """Keras's error for ``groups``, which only the plain convolutions take."""
    if "groups" in kwargs:
        raise ValueError(f"Unrecognized keyword arguments passed to {type(layer).__name__}: "
                         f"{{'groups': {kwargs['groups']!r}}}")


def _transpose_len(n, k, s, padding, output_padding, d):
    """The output length of a transposed convolution, as Keras computes it."""
    if n is None:
        return None
    k = (k - 1) * d + 1
    if padding == "valid":
        extra = max(k, s) - k if output_padding is None else output_padding
        return (n - 1) * s + k + extra
    return n * s if output_padding is None else (n - 1) * s + k % 2 + output_padding


class Conv1DTranspose(_ConvTranspose):
    rank = 1


class Conv2DTranspose(_ConvTranspose):
    rank = 2


class Conv3DTranspose(_ConvTranspose):
    rank = 3


def _depthwise(x, kernel, strides, padding, dilations):
    """Each channel of channels-last ``x`` convolved with its own ``multiplier`` filters (kernel
    ``k... + (channels, multiplier)``, output channel ``c * multiplier + m``), in any rank: a
    sum over the kernel's taps of a strided window of ``x`` times that tap's weights, which
    NumPy runs over all the channels at once (faster than a grouped product here)."""
    sizes = kernel.shape[:-2]
    pads, outs = [], []
    for n, k, s, d in zip(x.shape[1:-1], sizes, strides, dilations):
        span = (k - 1) * d + 1
        if padding == "same":
            out = -(-n // s)
            total = max((out - 1) * s + span - n, 0)
            pads.append([total // 2, total - total // 2])
        else:
            out = (n - span) // s + 1
            pads.append([0, 0])
        outs.append(out)
    if any(p != [0, 0] for p in pads):
        x = tf.pad(x, [[0, 0], *pads, [0, 0]])
    channels, multiplier = kernel.shape[-2:]
    if multiplier > 1:
        x = tf.repeat(x, multiplier, axis=-1)
    kernel = tf.reshape(kernel, (*sizes, channels * multiplier))
    out = None
    for tap in itertools.product(*[range(k) for k in sizes]):
        window = tuple(slice(t * d, t * d + (o - 1) * s + 1, s)
                       for t, d, o, s in zip(tap, dilations, outs, strides))
        term = x[(slice(None), *window)] * kernel[tap]
        out = term if out is None else out + term
    return out


class _DepthwiseConv(_Conv):
    """Keras's depthwise convolutions: the initializer, regularizer and constraint of the
    kernel are named ``depthwise_*``."""

    def __init__(self, kernel_size, strides=1, padding="valid", depth_multiplier=1,
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, bias_constraint=None, **kwargs):
        _no_groups(self, kwargs)
        super().__init__(None, kernel_size, strides, padding, data_format, dilation_rate,
                         activation=activation, use_bias=use_bias,
                         kernel_initializer=depthwise_initializer,
                         bias_initializer=bias_initializer,
                         kernel_regularizer=depthwise_regularizer,
                         bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         kernel_constraint=depthwise_constraint,
                         bias_constraint=bias_constraint, **kwargs)
        _check_multiplier(depth_multiplier)
        self.depth_multiplier = depth_multiplier

    # Keras's attribute names for the depthwise kernel's arguments
    depthwise_initializer = property(lambda self: self.kernel_initializer)
    depthwise_regularizer = property(lambda self: self.kernel_regularizer)
    depthwise_constraint = property(lambda self: self.kernel_constraint)

    def build(self, input_shape):
        channels = input_shape[_channel_axis(self.data_format)]
        self._check_rank(input_shape, channels * self.depth_multiplier)
        self.filters = channels * self.depth_multiplier
        self.input_spec = InputSpec(min_ndim=self.rank + 2,
                                    axes={_channel_axis(self.data_format): channels})
        self._add_kernel_bias(self.kernel_size + (channels, self.depth_multiplier),
                              self.filters)
        self.built = True

    def _conv(self, x):
        return _depthwise(x, self.kernel, self.strides, self.padding, self.dilation_rate)

    def _check_rank(self, input_shape, filters):
        """Keras's check that the input has the kernel's rank."""
        kernel = self.kernel_size + (input_shape[_channel_axis(self.data_format)], filters)
        if len(kernel) != len(input_shape):
            raise ValueError(f"Kernel shape must have the same length as input, but received "
                             f"kernel of shape {kernel} and input of shape "
                             f"{tuple(input_shape)}.")

    def _config(self, weights):
        """Keras's keys in Keras's order: the shape arguments, then per weight (``(config
        name, attribute prefix)``) its initializer, regularizer and constraint."""
        shape = self._shape_config()
        config = {**base_config(self), "depth_multiplier": self.depth_multiplier}
        if "pointwise" in dict(weights):
            config["filters"] = self.filters
        config.update({key: shape[key] for key in (
            "kernel_size", "strides", "padding", "data_format", "dilation_rate", "activation",
            "use_bias")})
        for kind in ("initializer", "regularizer", "constraint"):
            for name, attr in weights:
                value = getattr(self, f"{attr}_{kind}")
                config[f"{name}_{kind}"] = None if value is None else serialize_value(value)
            if kind == "regularizer":
                value = self.activity_regularizer
                config["activity_regularizer"] = None if value is None else \
                    serialize_value(value)
        return config

    def get_config(self):
        return self._config((("depthwise", "kernel"), ("bias", "bias")))


def _check_multiplier(depth_multiplier):
    if depth_multiplier is not None and depth_multiplier <= 0:
        raise ValueError(f"Invalid value for argument `depth_multiplier`. Expected a strictly "
                         f"positive value. Received depth_multiplier={depth_multiplier}.")


class DepthwiseConv1D(_DepthwiseConv):
    rank = 1


class DepthwiseConv2D(_DepthwiseConv):
    rank = 2


class _SeparableConv(_DepthwiseConv):
    """A depthwise convolution, then a pointwise (1x1) one to ``filters`` channels."""

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, depth_multiplier=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", pointwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None,
                 pointwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, pointwise_constraint=None, bias_constraint=None,
                 **kwargs):
        super().__init__(kernel_size, strides, padding, depth_multiplier, data_format,
                         dilation_rate, activation, use_bias, depthwise_initializer,
                         bias_initializer, depthwise_regularizer, bias_regularizer,
                         activity_regularizer, depthwise_constraint, bias_constraint, **kwargs)
        _check_filters(filters)
        self.filters = filters
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self.pointwise_regularizer = regularizers.get(pointwise_regularizer)
        self.pointwise_constraint = constraints.get(pointwise_constraint)

    def build(self, input_shape):
        axis = _channel_axis(self.data_format)
        channels = input_shape[axis]
        self._check_rank(input_shape, self.filters)
        self.input_spec = InputSpec(min_ndim=self.rank + 2, axes={axis: channels})
        self.depthwise_kernel = self.add_weight(
            self.kernel_size + (channels, self.depth_multiplier), self.kernel_initializer,
            regularizer=self.kernel_regularizer, constraint=self.kernel_constraint,
            name="depthwise_kernel")
        self.pointwise_kernel = self.add_weight(
            (1,) * self.rank + (channels * self.depth_multiplier, self.filters),
            self.pointwise_initializer, regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint, name="pointwise_kernel")
        self.bias = (self.add_weight((self.filters,), self.bias_initializer,
                                     regularizer=self.bias_regularizer,
                                     constraint=self.bias_constraint, name="bias")
                     if self.use_bias else None)
        self.built = True

    def _conv(self, x):
        y = _depthwise(x, self.depthwise_kernel, self.strides, self.padding, self.dilation_rate)
        return tf.nn.convolution(y, self.pointwise_kernel, padding="VALID")

    def get_config(self):
        return self._config((("depthwise", "kernel"), ("pointwise", "pointwise"),
                             ("bias", "bias")))


class SeparableConv1D(_SeparableConv):
    rank = 1


class SeparableConv2D(_SeparableConv):
    rank = 2


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


class _AdaptivePool(Layer):
    """Pools to a fixed ``output_size``: output cell ``i`` of an axis of length ``n`` covers
    the inputs ``floor(i * n / size)`` to ``ceil((i + 1) * n / size)`` (exclusive)."""

    rank = 2
    kind = "avg"
    _SIZES = {1: "1 integer", 2: "(height, width) tuple", 3: "(depth, height, width) tuple"}

    def __init__(self, output_size, data_format=None, **kwargs):
        n = self.rank
        if isinstance(output_size, int):
            output_size = (output_size,) * n
        elif isinstance(output_size, list | tuple) and (len(output_size) == n or n == 1):
            if len(output_size) != n:
                raise ValueError(f"For 1D input, `output_size` tuple must have length 1. "
                                 f"Received: {output_size}")
            output_size = tuple(output_size)
        else:
            raise TypeError(f"`output_size` must be an integer or "
                            f"{'tuple of ' if n == 1 else ''}{self._SIZES[n]}. Received: "
                            f"{output_size} of type {type(output_size)}")
        super().__init__(**kwargs)
        self.output_size = output_size
        self.data_format = data_format or "channels_last"
        if self.data_format not in ("channels_first", "channels_last"):
            raise ValueError(f"Invalid data_format: {self.data_format}. Expected "
                             f"'channels_first' or 'channels_last'.")

    def call(self, inputs):
        reduce = tf.reduce_mean if self.kind == "avg" else tf.reduce_max
        x = _to_last(inputs, self.data_format)
        for axis, size in enumerate(self.output_size, start=1):
            n = x.shape[axis]
            if n is None:
                raise ValueError("Input length must be statically known for adaptive pooling")
            lead = (slice(None),) * axis
            x = tf.concat([reduce(x[lead + (slice(i * n // size, -(-(i + 1) * n // size)),)],
                                  axis=axis, keepdims=True) for i in range(size)], axis=axis)
        return _from_last(x, self.data_format)

    def compute_output_shape(self, input_shape):
        if self.data_format == "channels_last":
            return (input_shape[0], *self.output_size, input_shape[-1])
        return (input_shape[0], input_shape[1], *self.output_size)

    def get_config(self):
        return {**base_config(self), "output_size": self.output_size,
                "data_format": self.data_format}


class AdaptiveAveragePooling1D(_AdaptivePool):
    rank = 1


class AdaptiveAveragePooling2D(_AdaptivePool):
    rank = 2


class AdaptiveAveragePooling3D(_AdaptivePool):
    rank = 3


class AdaptiveMaxPooling1D(_AdaptivePool):
    rank = 1
    kind = "max"


class AdaptiveMaxPooling2D(_AdaptivePool):
    rank = 2
    kind = "max"


class AdaptiveMaxPooling3D(_AdaptivePool):
    rank = 3
    kind = "max"


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
