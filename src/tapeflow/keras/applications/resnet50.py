"""``tf.keras.applications.resnet50``: ResNet50 (see ``resnet``), its input scaling, ImageNet's
decoding."""

from .resnet import ResNet50, decode_predictions, preprocess_input  # noqa: F401
