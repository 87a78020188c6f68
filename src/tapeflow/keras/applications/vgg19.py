"""``tf.keras.applications.vgg19``: VGG19 (VGG16 with a fourth convolution in blocks 3-5), its
"caffe"-mode input scaling, ImageNet's decoding."""

from .vgg16 import _vgg
from .vgg16 import decode_predictions, preprocess_input  # noqa: F401


def VGG19(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
          pooling=None, classes=1000, classifier_activation="softmax", name="vgg19"):
    """VGG19 as Keras builds it."""
    return _vgg([2, 2, 4, 4, 4], include_top, weights, input_tensor, input_shape, pooling,
                classes, classifier_activation, name, "vgg19")
