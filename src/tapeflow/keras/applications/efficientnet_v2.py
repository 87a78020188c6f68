"""``tf.keras.applications.efficientnet_v2``: EfficientNetV2 B0-B3, S, M, L (fused and
depthwise inverted bottlenecks); their input scaling is part of the model
(``include_preprocessing``), so ``preprocess_input`` returns its input."""

import math as _math

from .. import layers as _layers
from . import _common
from .efficientnet import _CONV_INIT, _bn, _bn_act, _conv, _finish, _residual, _squeeze_excite
from .efficientnet import preprocess_input  # noqa: F401
from .imagenet_utils import decode_predictions  # noqa: F401

_MOMENTUM = 0.9
# per stage: (repeats, filters in, filters out, expansion, squeeze-excite ratio, strides,
# fused); every kernel is 3x3
_B = [(1, 32, 16, 1, 0, 1, True), (2, 16, 32, 4, 0, 2, True), (2, 32, 48, 4, 0, 2, True),
      (3, 48, 96, 4, 0.25, 2, False), (5, 96, 112, 6, 0.25, 1, False),
      (8, 112, 192, 6, 0.25, 2, False)]
_STAGES = {
    "s": [(2, 24, 24, 1, 0, 1, True), (4, 24, 48, 4, 0, 2, True), (4, 48, 64, 4, 0, 2, True),
          (6, 64, 128, 4, 0.25, 2, False), (9, 128, 160, 6, 0.25, 1, False),
          (15, 160, 256, 6, 0.25, 2, False)],
    "m": [(3, 24, 24, 1, 0, 1, True), (5, 24, 48, 4, 0, 2, True), (5, 48, 80, 4, 0, 2, True),
          (7, 80, 160, 4, 0.25, 2, False), (14, 160, 176, 6, 0.25, 1, False),
          (18, 176, 304, 6, 0.25, 2, False), (5, 304, 512, 6, 0.25, 1, False)],
    "l": [(4, 32, 32, 1, 0, 1, True), (7, 32, 64, 4, 0, 2, True), (7, 64, 96, 4, 0, 2, True),
          (10, 96, 192, 4, 0.25, 2, False), (19, 192, 224, 6, 0.25, 1, False),
          (25, 224, 384, 6, 0.25, 2, False), (7, 384, 640, 6, 0.25, 1, False)],
    "b0": _B, "b1": _B, "b2": _B, "b3": _B,
}


def _round_filters(filters, width, divisor=8):
    return int(max(divisor, int(filters * width + divisor / 2) // divisor * divisor))


def _block(x, f_in, f_out, expand, se_ratio, strides, fused, drop_rate, name,
           activation="swish"):
    """An MBConv block (1x1 expansion, 3x3 depthwise) or a fused one (3x3 expansion)."""
    inputs, filters = x, f_in * expand
    if expand != 1:
        x = _conv(filters, 3 if fused else 1, f"{name}expand_conv",
                  strides=strides if fused else 1)(x)
        x = _bn_act(x, activation, f"{name}expand_bn", f"{name}expand_activation", _MOMENTUM)
    if not fused:
        x = _layers.DepthwiseConv2D(3, strides=strides, depthwise_initializer=_CONV_INIT,
                                    padding="same", use_bias=False, name=f"{name}dwconv2")(x)
        x = _bn_act(x, activation, f"{name}bn", f"{name}activation", _MOMENTUM)
    if 0 < se_ratio <= 1:
        x = _squeeze_excite(x, f_in, filters, se_ratio, activation, name)
    one = expand != 1 or not fused
    x = _conv(f_out, 1 if one else 3, f"{name}project_conv", strides=1 if one else strides)(x)
    x = _bn(x, f"{name}project_bn", _MOMENTUM)
    if fused and expand == 1:
        x = _layers.Activation(activation, name=f"{name}project_activation")(x)
    if strides == 1 and f_in == f_out:
        x = _residual(x, inputs, drop_rate, name)
    return x


def _efficientnet_v2(variant, width, depth, default_size, include_top, weights, input_tensor,
                     input_shape, pooling, classes, classifier_activation, include_preprocessing,
                     name, dropout_rate=0.2, drop_connect_rate=0.2, activation="swish"):
    stages = _STAGES[variant]
    img_input = _common.start(
        weights, include_top, classes, input_tensor, input_shape, default_size, 32,
        _common.WEIGHTS_ARG + "Received: weights={weights}",
        'If using `weights="imagenet"` with `include_top` as true, `classes` should be 1000')
    x = img_input
    if include_preprocessing:
        channels = x.shape[_common.channel_axis()]
        if name.split("-")[-1].startswith("b") and channels == 3:
            x = _layers.Rescaling(scale=1.0 / 255)(x)
            x = _layers.Normalization(mean=[0.485, 0.456, 0.406],
                                      variance=[0.229**2, 0.224**2, 0.225**2],
                                      axis=3 if _common.channels_last() else 1)(x)
        else:
            x = _layers.Rescaling(scale=1.0 / 128.0, offset=-1)(x)
    x = _conv(_round_filters(stages[0][1], width), 3, "stem_conv", strides=2)(x)
    x = _bn_act(x, activation, "stem_bn", "stem_activation", _MOMENTUM)
    total = float(sum(stage[0] for stage in stages))
    b = 0
    for i, (repeats, f_in, f_out, expand, se_ratio, strides, fused) in enumerate(stages):
        f_in, f_out = _round_filters(f_in, width), _round_filters(f_out, width)
        for j in range(int(_math.ceil(depth * repeats))):
            x = _block(x, f_in if j == 0 else f_out, f_out, expand, se_ratio,
                       strides if j == 0 else 1, fused, drop_connect_rate * b / total,
                       f"block{i + 1}{chr(j + 97)}_", activation)
            b += 1
    x = _conv(_round_filters(1280, width), 1, "top_conv")(x)
    x = _bn_act(x, activation, "top_bn", "top_activation", _MOMENTUM)
    return _finish(img_input, input_tensor, x, include_top, dropout_rate, pooling, classes,
                   classifier_activation, weights, name, _common.WEIGHTS_URL + "efficientnet_v2/")


def _variant(variant, width, depth, size):
    default_name = f"efficientnetv2-{variant}"

    def build(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
              pooling=None, classes=1000, classifier_activation="softmax",
              include_preprocessing=True, name=default_name):
        return _efficientnet_v2(variant, width, depth, size, include_top, weights, input_tensor,
                                input_shape, pooling, classes, classifier_activation,
                                include_preprocessing, name)
    build.__name__ = build.__qualname__ = f"EfficientNetV2{variant.upper()}"
    build.__doc__ = f"{build.__name__} as Keras builds it ({size}x{size} images by default)."
    return build


EfficientNetV2B0 = _variant("b0", 1.0, 1.0, 224)
EfficientNetV2B1 = _variant("b1", 1.0, 1.1, 240)
EfficientNetV2B2 = _variant("b2", 1.1, 1.2, 260)
EfficientNetV2B3 = _variant("b3", 1.2, 1.4, 300)
EfficientNetV2S = _variant("s", 1.0, 1.0, 384)
EfficientNetV2M = _variant("m", 1.0, 1.0, 480)
EfficientNetV2L = _variant("l", 1.0, 1.0, 480)
