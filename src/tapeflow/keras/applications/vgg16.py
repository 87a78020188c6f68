"""``tf.keras.applications.vgg16``: VGG16 (five blocks of 3x3 convolutions and max pooling,
two 4096-unit fully connected layers), its "caffe"-mode input scaling, ImageNet's decoding."""

from .. import layers as _layers
from . import _common
from . import imagenet_utils as _imagenet_utils

_WEIGHTS = "The `weights` argument should be either `None` (random initialization), 'imagenet' " \
           "(pre-training on ImageNet), or the path to the weights file to be loaded.  " \
           "Received: weights={weights}"
_CLASSES = "If using `weights='imagenet'` with `include_top=True`, `classes` should be 1000.  " \
           "Received classes={classes}"


def _vgg(convs, include_top, weights, input_tensor, input_shape, pooling, classes,
         classifier_activation, name, weights_name):
    """VGG with ``convs[i]`` convolutions in block i+1 (VGG16: 2, 2, 3, 3, 3)."""
    x = img_input = _common.start(weights, include_top, classes, input_tensor, input_shape, 224,
                                  32, _WEIGHTS, _CLASSES)
    for block, (filters, n) in enumerate(zip([64, 128, 256, 512, 512], convs), start=1):
        for i in range(1, n + 1):
            x = _layers.Conv2D(filters, (3, 3), activation="relu", padding="same",
                               name=f"block{block}_conv{i}")(x)
        x = _layers.MaxPooling2D((2, 2), strides=(2, 2), name=f"block{block}_pool")(x)
    if include_top:
        x = _layers.Flatten(name="flatten")(x)
        x = _layers.Dense(4096, activation="relu", name="fc1")(x)
        x = _layers.Dense(4096, activation="relu", name="fc2")(x)
        _common.validate_activation(classifier_activation, weights)
        x = _layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    else:
        x = _common.head(x, False, pooling, classes, classifier_activation, weights)
    return _common.standard_model(img_input, input_tensor, x, include_top, name, weights,
                                  weights_name, weights_name)


def VGG16(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
          pooling=None, classes=1000, classifier_activation="softmax", name="vgg16"):
    """VGG16 as Keras builds it."""
    return _vgg([2, 2, 3, 3, 3], include_top, weights, input_tensor, input_shape, pooling,
                classes, classifier_activation, name, "vgg16")


def preprocess_input(x, data_format=None):
    """RGB to BGR, minus ImageNet's mean pixel ("caffe" mode)."""
    return _imagenet_utils.preprocess_input(x, data_format=data_format, mode="caffe")


decode_predictions = _imagenet_utils.decode_predictions
