"""``tf.keras.applications.densenet``: DenseNet121/169/201 (each layer's features concatenated
to all before it), their "torch"-mode input scaling, ImageNet's decoding."""

from .. import config as _config
from .. import layers as _layers
from . import _common
from . import imagenet_utils as _imagenet_utils

def _bn_relu(x, name):
    return _layers.Activation("relu", name=f"{name}_relu")(_common.bn(x, f"{name}_bn"))


def _conv_block(x, growth_rate, name):
    y = _bn_relu(x, f"{name}_0")
    y = _layers.Conv2D(4 * growth_rate, 1, use_bias=False, name=f"{name}_1_conv")(y)
    y = _bn_relu(y, f"{name}_1")
    y = _layers.Conv2D(growth_rate, 3, padding="same", use_bias=False, name=f"{name}_2_conv")(y)
    return _layers.Concatenate(axis=_common.channel_axis(), name=f"{name}_concat")([x, y])


def _transition_block(x, reduction, name):
    x = _bn_relu(x, name)
    x = _layers.Conv2D(int(x.shape[_common.channel_axis()] * reduction), 1, use_bias=False,
                       name=f"{name}_conv")(x)
    return _layers.AveragePooling2D(2, strides=2, name=f"{name}_pool")(x)


def _densenet(blocks, include_top, weights, input_tensor, input_shape, pooling, classes,
              classifier_activation, name, weights_name):
    if _config.image_data_format() == "channels_first":
        raise ValueError("DenseNet does not support the `channels_first` image data format. "
                         "Switch to `channels_last` by editing your local config file at "
                         "~/.keras/keras.json")
    img_input = _common.start(
        weights, include_top, classes, input_tensor, input_shape, 224, 32,
        _common.WEIGHTS_ARG,
        'If using `weights` as `"imagenet"` with `include_top` as true, `classes` should be 1000')
    x = _layers.ZeroPadding2D(((3, 3), (3, 3)))(img_input)
    x = _layers.Conv2D(64, 7, strides=2, use_bias=False, name="conv1_conv")(x)
    x = _bn_relu(x, "conv1")
    x = _layers.ZeroPadding2D(((1, 1), (1, 1)))(x)
    x = _layers.MaxPooling2D(3, strides=2, name="pool1")(x)
    for stage, n in enumerate(blocks, start=2):
        for i in range(1, n + 1):
            x = _conv_block(x, 32, f"conv{stage}_block{i}")
        if stage < 5:
            x = _transition_block(x, 0.5, f"pool{stage}")
    x = _layers.Activation("relu", name="relu")(_common.bn(x, "bn"))
    x = _common.head(x, include_top, pooling, classes, classifier_activation, weights,
                     ("avg_pool", "max_pool"))
    return _common.standard_model(img_input, input_tensor, x, include_top, name, weights,
                                  weights_name, "densenet")


def DenseNet121(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                pooling=None, classes=1000, classifier_activation="softmax",
                name="densenet121"):
    """DenseNet121 as Keras builds it."""
    return _densenet([6, 12, 24, 16], include_top, weights, input_tensor, input_shape, pooling,
                     classes, classifier_activation, name, "densenet121")


def DenseNet169(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                pooling=None, classes=1000, classifier_activation="softmax",
                name="densenet169"):
    """DenseNet169 as Keras builds it."""
    return _densenet([6, 12, 32, 32], include_top, weights, input_tensor, input_shape, pooling,
                     classes, classifier_activation, name, "densenet169")


def DenseNet201(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                pooling=None, classes=1000, classifier_activation="softmax",
                name="densenet201"):
    """DenseNet201 as Keras builds it."""
    return _densenet([6, 12, 48, 32], include_top, weights, input_tensor, input_shape, pooling,
                     classes, classifier_activation, name, "densenet201")


def preprocess_input(x, data_format=None):
    """Pixels to [0, 1], then normalized with ImageNet's per-channel mean and std ("torch")."""
    return _imagenet_utils.preprocess_input(x, data_format=data_format, mode="torch")


decode_predictions = _imagenet_utils.decode_predictions
