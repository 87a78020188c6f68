"""``tf.keras.applications.efficientnet``: EfficientNetB0-B7 (mobile inverted bottlenecks with
squeeze-and-excitation, scaled in width, depth and image size); their input scaling is part of
the model, so ``preprocess_input`` returns its input."""

import math as _math

from .. import layers as _layers
from . import _common
from .imagenet_utils import decode_predictions  # noqa: F401

_CONV_INIT = {"class_name": "VarianceScaling",
              "config": {"scale": 2.0, "mode": "fan_out", "distribution": "truncated_normal"}}
_DENSE_INIT = {"class_name": "VarianceScaling",
               "config": {"scale": 1.0 / 3.0, "mode": "fan_out", "distribution": "uniform"}}
_STDDEV_RGB = [0.229, 0.224, 0.225]
# (kernel size, repeats, filters in, filters out, expansion, strides) of the seven stages
_STAGES = [(3, 1, 32, 16, 1, 1), (3, 2, 16, 24, 6, 2), (5, 2, 24, 40, 6, 2),
           (3, 3, 40, 80, 6, 2), (5, 3, 80, 112, 6, 1), (5, 4, 112, 192, 6, 2),
           (3, 1, 192, 320, 6, 1)]


def _conv(filters, kernel, name, **kwargs):
    return _layers.Conv2D(filters, kernel, padding="same", use_bias=kwargs.pop("use_bias", False),
                          kernel_initializer=_CONV_INIT, name=name, **kwargs)


def _bn(x, name, momentum=0.99):
    return _layers.BatchNormalization(axis=_common.channel_axis(), momentum=momentum,
                                      name=name)(x)


def _bn_act(x, activation, bn_name, act_name, momentum=0.99):
    return _layers.Activation(activation, name=act_name)(_bn(x, bn_name, momentum))


def _squeeze_excite(x, filters_in, filters, se_ratio, activation, name):
    """Channels scaled by a gate computed from their global average."""
    se = _layers.GlobalAveragePooling2D(name=f"{name}se_squeeze")(x)
    se_shape = (1, 1, filters) if _common.channels_last() else (filters, 1, 1)
    se = _layers.Reshape(se_shape, name=f"{name}se_reshape")(se)
    se = _conv(max(1, int(filters_in * se_ratio)), 1, f"{name}se_reduce", use_bias=True,
               activation=activation)(se)
    se = _conv(filters, 1, f"{name}se_expand", use_bias=True, activation="sigmoid")(se)
    return _layers.multiply([x, se], name=f"{name}se_excite")


def _residual(x, inputs, drop_rate, name):
    """``x + inputs``, ``x`` dropped as a whole per example at ``drop_rate`` when training."""
    if drop_rate > 0:
        x = _layers.Dropout(drop_rate, noise_shape=(None, 1, 1, 1), name=f"{name}drop")(x)
    return _layers.add([x, inputs], name=f"{name}add")


def _block(inputs, activation, drop_rate, name, filters_in, filters_out, kernel_size, strides,
           expand_ratio, se_ratio=0.25):
    filters = filters_in * expand_ratio
    x = inputs
    if expand_ratio != 1:
        x = _conv(filters, 1, f"{name}expand_conv")(x)
        x = _bn_act(x, activation, f"{name}expand_bn", f"{name}expand_activation")
    if strides == 2:
        x = _layers.ZeroPadding2D(_common.correct_pad(x, kernel_size),
                                  name=f"{name}dwconv_pad")(x)
    x = _layers.DepthwiseConv2D(kernel_size, strides=strides,
                                padding="valid" if strides == 2 else "same", use_bias=False,
                                depthwise_initializer=_CONV_INIT, name=f"{name}dwconv")(x)
    x = _bn_act(x, activation, f"{name}bn", f"{name}activation")
    x = _squeeze_excite(x, filters_in, filters, se_ratio, activation, name)
    x = _bn(_conv(filters_out, 1, f"{name}project_conv")(x), f"{name}project_bn")
    if strides == 1 and filters_in == filters_out:
        x = _residual(x, inputs, drop_rate, name)
    return x


def _efficientnet(width, depth, default_size, dropout_rate, include_top, weights, input_tensor,
                  input_shape, pooling, classes, classifier_activation, name,
                  drop_connect_rate=0.2, activation="swish"):
    img_input = _common.start(
        weights, include_top, classes, input_tensor, input_shape, default_size, 32,
        _common.WEIGHTS_ARG,
        'If using `weights="imagenet"` with `include_top` as true, `classes` should be 1000')

    def round_filters(filters, divisor=8):
        filters *= width
        new = max(divisor, int(filters + divisor / 2) // divisor * divisor)
        return int(new + divisor if new < 0.9 * filters else new)

    def round_repeats(repeats):
        return int(_math.ceil(depth * repeats))

    x = _layers.Rescaling(1.0 / 255.0)(img_input)
    x = _layers.Normalization(axis=3 if _common.channels_last() else 1)(x)
    if weights == "imagenet":
        x = _layers.Rescaling([1.0 / _math.sqrt(s) for s in _STDDEV_RGB])(x)
    x = _layers.ZeroPadding2D(_common.correct_pad(x, 3), name="stem_conv_pad")(x)
    x = _layers.Conv2D(round_filters(32), 3, strides=2, padding="valid", use_bias=False,
                       kernel_initializer=_CONV_INIT, name="stem_conv")(x)
    x = _bn_act(x, activation, "stem_bn", "stem_activation")
    total = float(sum(round_repeats(stage[1]) for stage in _STAGES))
    b = 0
    for i, (kernel, repeats, f_in, f_out, expand, strides) in enumerate(_STAGES):
        f_in, f_out = round_filters(f_in), round_filters(f_out)
        for j in range(round_repeats(repeats)):
            x = _block(x, activation, drop_connect_rate * b / total, f"block{i + 1}{chr(j + 97)}_",
                       f_in if j == 0 else f_out, f_out, kernel, strides if j == 0 else 1,
                       expand)
            b += 1
    x = _conv(round_filters(1280), 1, "top_conv")(x)
    x = _bn_act(x, activation, "top_bn", "top_activation")
    return _finish(img_input, input_tensor, x, include_top, dropout_rate, pooling, classes,
                   classifier_activation, weights, name,
                   "https://storage.googleapis.com/keras-applications/")


def _finish(img_input, input_tensor, x, include_top, dropout_rate, pooling, classes,
            classifier_activation, weights, name, url):
    """The EfficientNets' top (pooling, dropout, classifier) and model; the weights file is
    named after the model."""
    if include_top:
        x = _layers.GlobalAveragePooling2D(name="avg_pool")(x)
        if dropout_rate > 0:
            x = _layers.Dropout(dropout_rate, name="top_dropout")(x)
        _common.validate_activation(classifier_activation, weights)
        x = _layers.Dense(classes, activation=classifier_activation,
                          kernel_initializer=_DENSE_INIT, name="predictions")(x)
    else:
        x = _common.head(x, False, pooling, classes, classifier_activation, weights,
                         ("avg_pool", "max_pool"))
    filename = name + (".h5" if include_top else "_notop.h5")
    return _common.model(img_input, input_tensor, x, name, weights, filename, url)


def _variant(width, depth, size, dropout, default_name):
    def build(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
              pooling=None, classes=1000, classifier_activation="softmax", name=default_name):
        return _efficientnet(width, depth, size, dropout, include_top, weights, input_tensor,
                             input_shape, pooling, classes, classifier_activation, name)
    build.__name__ = build.__qualname__ = default_name.replace("efficientnetb",
                                                               "EfficientNetB")
    build.__doc__ = (f"{build.__name__} as Keras builds it (width x{width}, depth x{depth}, "
                     f"{size}x{size} images by default).")
    return build


EfficientNetB0 = _variant(1.0, 1.0, 224, 0.2, "efficientnetb0")
EfficientNetB1 = _variant(1.0, 1.1, 240, 0.2, "efficientnetb1")
EfficientNetB2 = _variant(1.1, 1.2, 260, 0.3, "efficientnetb2")
EfficientNetB3 = _variant(1.2, 1.4, 300, 0.3, "efficientnetb3")
EfficientNetB4 = _variant(1.4, 1.8, 380, 0.4, "efficientnetb4")
EfficientNetB5 = _variant(1.6, 2.2, 456, 0.4, "efficientnetb5")
EfficientNetB6 = _variant(1.8, 2.6, 528, 0.5, "efficientnetb6")
EfficientNetB7 = _variant(2.0, 3.1, 600, 0.5, "efficientnetb7")


def preprocess_input(x, data_format=None):
    """The identity: EfficientNet models scale their inputs themselves (Keras keeps this for
    compatibility)."""
    return x
