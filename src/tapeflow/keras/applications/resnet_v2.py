"""``tf.keras.applications.resnet_v2``: ResNet50V2/101V2/152V2 (pre-activation residual blocks),
their "tf"-mode input scaling, ImageNet's decoding."""

from .mobilenet_v2 import decode_predictions, preprocess_input  # noqa: F401
from .resnet import _resnet


def ResNet50V2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
               pooling=None, classes=1000, classifier_activation="softmax", name="resnet50v2"):
    """ResNet50V2 as Keras builds it."""
    return _resnet([3, 4, 6, 3], include_top, weights, input_tensor, input_shape, pooling,
                   classes, classifier_activation, name, "resnet50v2", v2=True)


def ResNet101V2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                pooling=None, classes=1000, classifier_activation="softmax",
                name="resnet101v2"):
    """ResNet101V2 as Keras builds it."""
    return _resnet([3, 4, 23, 3], include_top, weights, input_tensor, input_shape, pooling,
                   classes, classifier_activation, name, "resnet101v2", v2=True)


def ResNet152V2(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
                pooling=None, classes=1000, classifier_activation="softmax",
                name="resnet152v2"):
    """ResNet152V2 as Keras builds it."""
    return _resnet([3, 8, 36, 3], include_top, weights, input_tensor, input_shape, pooling,
                   classes, classifier_activation, name, "resnet152v2", v2=True)
