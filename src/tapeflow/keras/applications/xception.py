"""``tf.keras.applications.xception``: Xception (depthwise separable convolutions with residual
connections), its "tf"-mode input scaling, ImageNet's decoding."""

from .. import layers as _layers
from . import _common
from .mobilenet_v2 import decode_predictions, preprocess_input  # noqa: F401
from .vgg16 import _CLASSES


def _bn(x, name=None):
    return _layers.BatchNormalization(axis=_common.channel_axis(), name=name)(x)


def _sepconv_bn(x, filters, name):
    x = _layers.SeparableConv2D(filters, (3, 3), padding="same", use_bias=False, name=name)(x)
    return _bn(x, f"{name}_bn")


def _downsampling_block(x, block, filters, first_act=True):
    """Two separable convolutions and a stride-2 max pooling, plus a strided 1x1 shortcut."""
    residual = _layers.Conv2D(filters[-1], (1, 1), strides=(2, 2), padding="same",
                              use_bias=False)(x)
    residual = _bn(residual)
    if first_act:
        x = _layers.Activation("relu", name=f"block{block}_sepconv1_act")(x)
    x = _sepconv_bn(x, filters[0], f"block{block}_sepconv1")
    x = _layers.Activation("relu", name=f"block{block}_sepconv2_act")(x)
    x = _sepconv_bn(x, filters[-1], f"block{block}_sepconv2")
    x = _layers.MaxPooling2D((3, 3), strides=(2, 2), padding="same", name=f"block{block}_pool")(x)
    return _layers.add([x, residual])


def Xception(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
             pooling=None, classes=1000, classifier_activation="softmax", name="xception"):
    """Xception as Keras builds it (images of at least 71x71, 299x299 by default)."""
    img_input = _common.start(
        weights, include_top, classes, input_tensor, input_shape, 299, 71,
        "The `weights` argument should be either `None` (random initialization), 'imagenet' "
        "(pre-training on ImageNet), or the path to the weights file to be loaded.", _CLASSES)
    x = _layers.Conv2D(32, (3, 3), strides=(2, 2), use_bias=False, name="block1_conv1")(img_input)
    x = _layers.Activation("relu", name="block1_conv1_act")(_bn(x, "block1_conv1_bn"))
    x = _layers.Conv2D(64, (3, 3), use_bias=False, name="block1_conv2")(x)
    x = _layers.Activation("relu", name="block1_conv2_act")(_bn(x, "block1_conv2_bn"))
    x = _downsampling_block(x, 2, [128], first_act=False)
    x = _downsampling_block(x, 3, [256])
    x = _downsampling_block(x, 4, [728])
    for block in range(5, 13):
        residual = x
        for i in (1, 2, 3):
            x = _layers.Activation("relu", name=f"block{block}_sepconv{i}_act")(x)
            x = _sepconv_bn(x, 728, f"block{block}_sepconv{i}")
        x = _layers.add([x, residual])
    x = _downsampling_block(x, 13, [728, 1024])
    x = _sepconv_bn(x, 1536, "block14_sepconv1")
    x = _layers.Activation("relu", name="block14_sepconv1_act")(x)
    x = _sepconv_bn(x, 2048, "block14_sepconv2")
    x = _layers.Activation("relu", name="block14_sepconv2_act")(x)
    x = _common.head(x, include_top, pooling, classes, classifier_activation, weights,
                     ("avg_pool" if include_top else None, None))
    return _common.standard_model(img_input, input_tensor, x, include_top, name, weights,
                                  "xception", "xception")
