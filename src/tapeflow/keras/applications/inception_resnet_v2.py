"""``tf.keras.applications.inception_resnet_v2``: InceptionResNetV2 (Inception branches added to
residual connections, scaled), its "tf"-mode input scaling, ImageNet's decoding."""

from .. import layers as _layers
from . import _common
from .inception_v3 import _start
from .mobilenet_v2 import decode_predictions, preprocess_input  # noqa: F401

_conv_bn = _common.conv_bn_act


class _CustomScaleLayer(_layers.Layer):
    """``inputs[0] + inputs[1] * scale``: a residual branch added with a scale."""

    def __init__(self, scale, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale

    def get_config(self):
        return {**super().get_config(), "scale": self.scale}

    def call(self, inputs):
        return inputs[0] + inputs[1] * self.scale


_CustomScaleLayer.__name__ = _CustomScaleLayer.__qualname__ = "CustomScaleLayer"  # Keras's name

# each block type's branches: lists of (filters, kernel size)
_BRANCHES = {
    "block35": [[(32, 1)], [(32, 1), (32, 3)], [(32, 1), (48, 3), (64, 3)]],
    "block17": [[(192, 1)], [(128, 1), (160, [1, 7]), (192, [7, 1])]],
    "block8": [[(192, 1)], [(192, 1), (224, [1, 3]), (256, [3, 1])]],
}


def _branches(x, branches):
    outs = []
    for convs in branches:
        y = x
        for spec in convs:
            y = _conv_bn(y, *spec) if isinstance(spec, tuple) else spec(y)
        outs.append(y)
    return outs


def _block(x, scale, block_type, block_idx, activation="relu"):
    name = f"{block_type}_{block_idx}"
    mixed = _layers.Concatenate(axis=_common.channel_axis(), name=f"{name}_mixed")(
        _branches(x, _BRANCHES[block_type]))
    up = _conv_bn(mixed, x.shape[_common.channel_axis()], 1, activation=None, use_bias=True,
                  name=f"{name}_conv")
    x = _CustomScaleLayer(scale)([x, up])
    if activation is not None:
        x = _layers.Activation(activation, name=f"{name}_ac")(x)
    return x


def _reduction(x, branches, name):
    """Stride-2 branches and a stride-2 max pooling, concatenated."""
    pool = _layers.MaxPooling2D(3, strides=2, padding="valid")
    return _layers.Concatenate(axis=_common.channel_axis(), name=name)(
        _branches(x, branches + [[pool]]))


def InceptionResNetV2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                      pooling=None, classes=1000, classifier_activation="softmax",
                      name="inception_resnet_v2"):
    """InceptionResNetV2 as Keras builds it (images of at least 75x75, 299x299 by default)."""
    img_input = _start(weights, include_top, classes, input_tensor, input_shape,
                       _common.WEIGHTS_ARG)
    x = _conv_bn(img_input, 32, 3, strides=2, padding="valid")
    x = _conv_bn(x, 32, 3, padding="valid")
    x = _conv_bn(x, 64, 3)
    x = _layers.MaxPooling2D(3, strides=2)(x)
    x = _conv_bn(x, 80, 1, padding="valid")
    x = _conv_bn(x, 192, 3, padding="valid")
    x = _layers.MaxPooling2D(3, strides=2)(x)
    avg = _layers.AveragePooling2D(3, strides=1, padding="same")
    x = _layers.Concatenate(axis=_common.channel_axis(), name="mixed_5b")(_branches(x, [
        [(96, 1)], [(48, 1), (64, 5)], [(64, 1), (96, 3), (96, 3)], [avg, (64, 1)]]))
    for block_idx in range(1, 11):
        x = _block(x, 0.17, "block35", block_idx)
    x = _reduction(x, [[(384, 3, 2, "valid")], [(256, 1), (256, 3), (384, 3, 2, "valid")]],
                   "mixed_6a")
    for block_idx in range(1, 21):
        x = _block(x, 0.1, "block17", block_idx)
    x = _reduction(x, [[(256, 1), (384, 3, 2, "valid")], [(256, 1), (288, 3, 2, "valid")],
                       [(256, 1), (288, 3), (320, 3, 2, "valid")]], "mixed_7a")
    for block_idx in range(1, 10):
        x = _block(x, 0.2, "block8", block_idx)
    x = _block(x, 1.0, "block8", 10, activation=None)
    x = _conv_bn(x, 1536, 1, name="conv_7b")
    x = _common.head(x, include_top, pooling, classes, classifier_activation, weights,
                     ("avg_pool" if include_top else None, None))
    return _common.standard_model(img_input, input_tensor, x, include_top, name, weights,
                                  "inception_resnet_v2", "inception_resnet_v2")
