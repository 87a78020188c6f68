"""``tf.keras.applications.inception_v3``: InceptionV3 (blocks of parallel convolution
branches concatenated), its "tf"-mode input scaling, ImageNet's decoding."""

from .. import layers as _layers
from . import _common
from .mobilenet_v2 import decode_predictions, preprocess_input  # noqa: F401


def _conv_bn(x, filters, rows, cols, strides=(1, 1), padding="same"):
    """Conv2D without bias, BatchNormalization without scale, ReLU (automatic names)."""
    return _common.conv_bn_act(x, filters, (rows, cols), strides, padding)


_S2 = ((2, 2), "valid")  # a stride-2 "valid" convolution's extra arguments


def _branch(x, convs, pool=None):
    """``pool`` ("avg": 3x3 stride 1 "same"; "max": 3x3 stride 2) then the ``convs``."""
    if pool == "avg":
        x = _layers.AveragePooling2D((3, 3), strides=(1, 1), padding="same")(x)
    elif pool == "max":
        x = _layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    for spec in convs:
        x = _conv_bn(x, *spec)
    return x


def _mixed(x, branches, name):
    """Each branch (convs, pool) of ``x``, concatenated over the channels."""
    outs = [_branch(x, convs, pool) for convs, pool in branches]
    return _layers.concatenate(outs, axis=_common.channel_axis(), name=name)


def _split(x, filters, name=None):
    """1x3 and 3x1 convolutions of ``x`` side by side."""
    return _layers.concatenate([_conv_bn(x, filters, 1, 3), _conv_bn(x, filters, 3, 1)],
                               axis=_common.channel_axis(), name=name)


def _start(weights, include_top, classes, input_tensor, input_shape, weights_message):
    """The Inception networks' checks (images of at least 75 pixels, 299 by default)."""
    return _common.start(weights, include_top, classes, input_tensor, input_shape, 299, 75,
                         weights_message, _common.CLASSES_1000)


def InceptionV3(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                pooling=None, classes=1000, classifier_activation="softmax",
                name="inception_v3"):
    """InceptionV3 as Keras builds it (images of at least 75x75, 299x299 by default)."""
    img_input = _start(weights, include_top, classes, input_tensor, input_shape,
                       _common.WEIGHTS_ARG[:-1] + "; Received: weights={weights}")
    x = _branch(img_input, [(32, 3, 3, *_S2), (32, 3, 3, (1, 1), "valid"), (64, 3, 3)])
    x = _branch(x, [(80, 1, 1, (1, 1), "valid"), (192, 3, 3, (1, 1), "valid")], "max")
    x = _layers.MaxPooling2D((3, 3), strides=(2, 2))(x)
    for i, pool_filters in enumerate([32, 64, 64]):
        x = _mixed(x, [([(64, 1, 1)], None), ([(48, 1, 1), (64, 5, 5)], None),
                       ([(64, 1, 1), (96, 3, 3), (96, 3, 3)], None),
                       ([(pool_filters, 1, 1)], "avg")], f"mixed{i}")
    x = _mixed(x, [([(384, 3, 3, *_S2)], None),
                   ([(64, 1, 1), (96, 3, 3), (96, 3, 3, *_S2)], None), ([], "max")], "mixed3")
    for i, c in enumerate([128, 160, 160, 192], start=4):
        x = _mixed(x, [([(192, 1, 1)], None), ([(c, 1, 1), (c, 1, 7), (192, 7, 1)], None),
                       ([(c, 1, 1), (c, 7, 1), (c, 1, 7), (c, 7, 1), (192, 1, 7)], None),
                       ([(192, 1, 1)], "avg")], f"mixed{i}")
    x = _mixed(x, [([(192, 1, 1), (320, 3, 3, *_S2)], None),
                   ([(192, 1, 1), (192, 1, 7), (192, 7, 1), (192, 3, 3, *_S2)], None),
                   ([], "max")], "mixed8")
    for i in range(2):
        one = _conv_bn(x, 320, 1, 1)
        three = _split(_conv_bn(x, 384, 1, 1), 384, f"mixed9_{i}")
        double = _split(_branch(x, [(448, 1, 1), (384, 3, 3)]), 384)
        pool = _branch(x, [(192, 1, 1)], "avg")
        x = _layers.concatenate([one, three, double, pool], axis=_common.channel_axis(),
                                name=f"mixed{9 + i}")
    x = _common.head(x, include_top, pooling, classes, classifier_activation, weights,
                     ("avg_pool" if include_top else None, None))
    return _common.standard_model(img_input, input_tensor, x, include_top, name, weights,
                                  "inception_v3", "inception_v3")
