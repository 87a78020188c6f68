"""``tf.keras.applications``: the ImageNet architectures of Keras 3 as Functional models, with
their input scalings; weights=None builds them untrained, weights="imagenet" reads Keras's
weight files from its cache folder (~/.keras/models), a path reads that file."""

from . import imagenet_utils  # noqa: F401
from . import densenet, mobilenet, mobilenet_v2, resnet, resnet50, vgg16, vgg19  # noqa: F401
from .densenet import DenseNet121, DenseNet169, DenseNet201  # noqa: F401
from .mobilenet import MobileNet  # noqa: F401
from .mobilenet_v2 import MobileNetV2  # noqa: F401
from .resnet import ResNet50, ResNet101, ResNet152  # noqa: F401
from .vgg16 import VGG16  # noqa: F401
from .vgg19 import VGG19  # noqa: F401
