"""``tf.keras.applications.resnet``: ResNet50/101/152 (v1: bottleneck residual blocks, batch
normalization after each convolution), their "caffe"-mode input scaling, ImageNet's decoding."""

from .. import layers as _layers
from . import _common
from .vgg16 import _CLASSES, _WEIGHTS, decode_predictions, preprocess_input  # noqa: F401

_bn = _common.bn


def _block(x, filters, stride=1, conv_shortcut=True, name=None):
    """A bottleneck block: 1x1 (stride), 3x3, 1x1 to ``4 * filters``, plus the shortcut."""
    if conv_shortcut:
        shortcut = _layers.Conv2D(4 * filters, 1, strides=stride, name=f"{name}_0_conv")(x)
        shortcut = _bn(shortcut, f"{name}_0_bn")
    else:
        shortcut = x
    x = _layers.Conv2D(filters, 1, strides=stride, name=f"{name}_1_conv")(x)
    x = _layers.Activation("relu", name=f"{name}_1_relu")(_bn(x, f"{name}_1_bn"))
    x = _layers.Conv2D(filters, 3, padding="SAME", name=f"{name}_2_conv")(x)
    x = _layers.Activation("relu", name=f"{name}_2_relu")(_bn(x, f"{name}_2_bn"))
    x = _bn(_layers.Conv2D(4 * filters, 1, name=f"{name}_3_conv")(x), f"{name}_3_bn")
    x = _layers.Add(name=f"{name}_add")([shortcut, x])
    return _layers.Activation("relu", name=f"{name}_out")(x)


def _stack_v1(x, filters, blocks, stride, name):
    x = _block(x, filters, stride=stride, name=f"{name}_block1")
    for i in range(2, blocks + 1):
        x = _block(x, filters, conv_shortcut=False, name=f"{name}_block{i}")
    return x


def _block_v2(x, filters, stride=1, conv_shortcut=False, name=None):
    """ResNet v2's block: batch normalization and ReLU before the convolutions."""
    preact = _layers.Activation("relu", name=f"{name}_preact_relu")(_bn(x, f"{name}_preact_bn"))
    if conv_shortcut:
        shortcut = _layers.Conv2D(4 * filters, 1, strides=stride, name=f"{name}_0_conv")(preact)
    else:
        shortcut = _layers.MaxPooling2D(1, strides=stride)(x) if stride > 1 else x
    x = _layers.Conv2D(filters, 1, strides=1, use_bias=False, name=f"{name}_1_conv")(preact)
    x = _layers.Activation("relu", name=f"{name}_1_relu")(_bn(x, f"{name}_1_bn"))
    x = _layers.ZeroPadding2D(((1, 1), (1, 1)), name=f"{name}_2_pad")(x)
    x = _layers.Conv2D(filters, 3, strides=stride, use_bias=False, name=f"{name}_2_conv")(x)
    x = _layers.Activation("relu", name=f"{name}_2_relu")(_bn(x, f"{name}_2_bn"))
    x = _layers.Conv2D(4 * filters, 1, name=f"{name}_3_conv")(x)
    return _layers.Add(name=f"{name}_out")([shortcut, x])


def _stack_v2(x, filters, blocks, stride, name):
    x = _block_v2(x, filters, conv_shortcut=True, name=f"{name}_block1")
    for i in range(2, blocks):
        x = _block_v2(x, filters, name=f"{name}_block{i}")
    return _block_v2(x, filters, stride=stride, name=f"{name}_block{blocks}")


def _resnet(blocks, include_top, weights, input_tensor, input_shape, pooling, classes,
            classifier_activation, name, weights_name, v2=False):
    """ResNet with ``blocks[i]`` blocks in stage i+2 (ResNet50: 3, 4, 6, 3); ``v2``: ResNet v2
    (pre-activation blocks, the stride at the end of a stage)."""
    img_input = _common.start(weights, include_top, classes, input_tensor, input_shape, 224, 32,
                              _WEIGHTS, _CLASSES)
    x = _layers.ZeroPadding2D(((3, 3), (3, 3)), name="conv1_pad")(img_input)
    x = _layers.Conv2D(64, 7, strides=2, use_bias=True, name="conv1_conv")(x)
    if not v2:
        x = _layers.Activation("relu", name="conv1_relu")(_bn(x, "conv1_bn"))
    x = _layers.ZeroPadding2D(((1, 1), (1, 1)), name="pool1_pad")(x)
    x = _layers.MaxPooling2D(3, strides=2, name="pool1_pool")(x)
    stack, strides = (_stack_v2, [2, 2, 2, 1]) if v2 else (_stack_v1, [1, 2, 2, 2])
    for stage, (filters, n, stride) in enumerate(zip([64, 128, 256, 512], blocks, strides),
                                                 start=2):
        x = stack(x, filters, n, stride, f"conv{stage}")
    if v2:
        x = _layers.Activation("relu", name="post_relu")(_bn(x, "post_bn"))
    x = _common.head(x, include_top, pooling, classes, classifier_activation, weights,
                     ("avg_pool", "max_pool"))
    return _common.standard_model(img_input, input_tensor, x, include_top, name, weights,
                                  weights_name, "resnet")


def ResNet50(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
             pooling=None, classes=1000, classifier_activation="softmax", name="resnet50"):
    """ResNet50 as Keras builds it."""
    return _resnet([3, 4, 6, 3], include_top, weights, input_tensor, input_shape, pooling,
                   classes, classifier_activation, name, "resnet50")


def ResNet101(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
              pooling=None, classes=1000, classifier_activation="softmax", name="resnet101"):
    """ResNet101 as Keras builds it."""
    return _resnet([3, 4, 23, 3], include_top, weights, input_tensor, input_shape, pooling,
                   classes, classifier_activation, name, "resnet101")


def ResNet152(include_top=True, weights="imagenet", input_tensor=None, input_shape=None,
              pooling=None, classes=1000, classifier_activation="softmax", name="resnet152"):
    """ResNet152 as Keras builds it."""
    return _resnet([3, 8, 36, 3], include_top, weights, input_tensor, input_shape, pooling,
                   classes, classifier_activation, name, "resnet152")
