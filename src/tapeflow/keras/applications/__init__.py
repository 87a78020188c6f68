"""``tf.keras.applications``: the ImageNet architectures of Keras 3 as Functional models, with
their input scalings; weights=None builds them untrained, weights="imagenet" reads Keras's
weight files from its cache folder (~/.keras/models), a path reads that file."""

from . import convnext, imagenet_utils, inception_resnet_v2, inception_v3  # noqa: F401
from . import densenet, efficientnet, efficientnet_v2, mobilenet, mobilenet_v2  # noqa: F401
from . import mobilenet_v3  # noqa: F401
from . import nasnet, resnet, resnet50, resnet_v2  # noqa: F401
from . import vgg16, vgg19, xception  # noqa: F401
from .convnext import (  # noqa: F401
    ConvNeXtBase, ConvNeXtLarge, ConvNeXtSmall, ConvNeXtTiny, ConvNeXtXLarge)
from .densenet import DenseNet121, DenseNet169, DenseNet201  # noqa: F401
from .efficientnet import (  # noqa: F401
    EfficientNetB0, EfficientNetB1, EfficientNetB2, EfficientNetB3, EfficientNetB4, EfficientNetB5,
    EfficientNetB6, EfficientNetB7)
from .efficientnet_v2 import (  # noqa: F401
    EfficientNetV2B0, EfficientNetV2B1, EfficientNetV2B2, EfficientNetV2B3, EfficientNetV2L,
    EfficientNetV2M, EfficientNetV2S)
from .inception_resnet_v2 import InceptionResNetV2  # noqa: F401
from .inception_v3 import InceptionV3  # noqa: F401
from .mobilenet import MobileNet  # noqa: F401
from .mobilenet_v2 import MobileNetV2  # noqa: F401
from .mobilenet_v3 import _MobileNetV3Large as MobileNetV3Large  # noqa: F401
from .mobilenet_v3 import _MobileNetV3Small as MobileNetV3Small  # noqa: F401
from .nasnet import NASNetLarge, NASNetMobile  # noqa: F401
from .resnet import ResNet50, ResNet101, ResNet152  # noqa: F401
from .resnet_v2 import ResNet50V2, ResNet101V2, ResNet152V2  # noqa: F401
from .vgg16 import VGG16  # noqa: F401
from .vgg19 import VGG19  # noqa: F401
from .xception import Xception  # noqa: F401
