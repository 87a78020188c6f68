"""``tf.keras.applications.nasnet``: NASNetMobile and NASNetLarge (cells found by architecture
search: separable convolutions and poolings combined), their "tf"-mode input scaling,
ImageNet's decoding."""

from .. import layers as _layers
from . import _common
from .mobilenet_v2 import decode_predictions, preprocess_input  # noqa: F401

_BN = dict(momentum=0.9997, epsilon=1e-3)


def _bn(x, name=None):
    return _layers.BatchNormalization(axis=-1, name=name, **_BN)(x)


def _conv1x1(x, filters, name):
    return _layers.Conv2D(filters, (1, 1), strides=(1, 1), padding="same", use_bias=False,
                          name=name, kernel_initializer="he_normal")(x)


def _separable_conv_block(x, filters, kernel_size=(3, 3), strides=(1, 1), block_id=None):
    x = _layers.Activation("relu")(x)
    if strides == (2, 2):
        x = _layers.ZeroPadding2D(_common.correct_pad(x, kernel_size),
                                  name=f"separable_conv_1_pad_{block_id}")(x)
    x = _layers.SeparableConv2D(filters, kernel_size, strides=strides,
                                name=f"separable_conv_1_{block_id}",
                                padding="valid" if strides == (2, 2) else "same",
                                use_bias=False)(x)
    x = _layers.Activation("relu")(_bn(x, f"separable_conv_1_bn_{block_id}"))
    x = _layers.SeparableConv2D(filters, kernel_size, name=f"separable_conv_2_{block_id}",
                                padding="same", use_bias=False)(x)
    return _bn(x, f"separable_conv_2_bn_{block_id}")


def _adjust_block(p, ip, filters, block_id=None):
    """The previous cell's output ``p`` brought to ``ip``'s size and ``filters`` channels."""
    if p is None:
        return ip
    if p.shape[-2] != ip.shape[-2]:
        p = _layers.Activation("relu", name=f"adjust_relu_1_{block_id}")(p)
        p1 = _layers.AveragePooling2D((1, 1), strides=(2, 2), padding="valid",
                                      name=f"adjust_avg_pool_1_{block_id}")(p)
        p1 = _conv1x1(p1, filters // 2, f"adjust_conv_1_{block_id}")
        p2 = _layers.ZeroPadding2D(padding=((0, 1), (0, 1)))(p)
        p2 = _layers.Cropping2D(cropping=((1, 0), (1, 0)))(p2)
        p2 = _layers.AveragePooling2D((1, 1), strides=(2, 2), padding="valid",
                                      name=f"adjust_avg_pool_2_{block_id}")(p2)
        p2 = _conv1x1(p2, filters // 2, f"adjust_conv_2_{block_id}")
        p = _layers.concatenate([p1, p2], axis=-1)
        return _bn(p, f"adjust_bn_{block_id}")
    if p.shape[-1] != filters:
        p = _layers.Activation("relu")(p)
        p = _conv1x1(p, filters, f"adjust_conv_projection_{block_id}")
        return _bn(p, f"adjust_bn_{block_id}")
    return p


def _cell_input(ip, p, filters, kind, block_id):
    """The adjusted previous output and the cell's 1x1 convolution of its input."""
    p = _adjust_block(p, ip, filters, block_id)
    h = _conv1x1(_layers.Activation("relu")(ip), filters, f"{kind}_conv_1_{block_id}")
    return p, _bn(h, f"{kind}_bn_1_{block_id}")


def _pool(kind, strides, padding, name):
    layer = _layers.AveragePooling2D if kind == "avg" else _layers.MaxPooling2D
    return layer((3, 3), strides=strides, padding=padding, name=name)


def _normal_a_cell(ip, p, filters, block_id=None):
    p, h = _cell_input(ip, p, filters, "normal", block_id)
    b = block_id
    x1 = _layers.add([_separable_conv_block(h, filters, (5, 5), block_id=f"normal_left1_{b}"),
                      _separable_conv_block(p, filters, block_id=f"normal_right1_{b}")],
                     name=f"normal_add_1_{b}")
    x2 = _layers.add([_separable_conv_block(p, filters, (5, 5), block_id=f"normal_left2_{b}"),
                      _separable_conv_block(p, filters, (3, 3), block_id=f"normal_right2_{b}")],
                     name=f"normal_add_2_{b}")
    x3 = _pool("avg", (1, 1), "same", f"normal_left3_{b}")(h)
    x3 = _layers.add([x3, p], name=f"normal_add_3_{b}")
    x4_1 = _pool("avg", (1, 1), "same", f"normal_left4_{b}")(p)
    x4_2 = _pool("avg", (1, 1), "same", f"normal_right4_{b}")(p)
    x4 = _layers.add([x4_1, x4_2], name=f"normal_add_4_{b}")
    x5 = _separable_conv_block(h, filters, block_id=f"normal_left5_{b}")
    x5 = _layers.add([x5, h], name=f"normal_add_5_{b}")
    x = _layers.concatenate([p, x1, x2, x3, x4, x5], axis=-1, name=f"normal_concat_{b}")
    return x, ip


def _reduction_a_cell(ip, p, filters, block_id=None):
    p, h = _cell_input(ip, p, filters, "reduction", block_id)
    b, s2 = block_id, (2, 2)
    h3 = _layers.ZeroPadding2D(_common.correct_pad(h, 3), name=f"reduction_pad_1_{b}")(h)
    x1 = _layers.add([
        _separable_conv_block(h, filters, (5, 5), s2, block_id=f"reduction_left1_{b}"),
        _separable_conv_block(p, filters, (7, 7), s2, block_id=f"reduction_right1_{b}")],
        name=f"reduction_add_1_{b}")
    x2_1 = _pool("max", s2, "valid", f"reduction_left2_{b}")(h3)
    x2_2 = _separable_conv_block(p, filters, (7, 7), s2, block_id=f"reduction_right2_{b}")
    x2 = _layers.add([x2_1, x2_2], name=f"reduction_add_2_{b}")
    x3_1 = _pool("avg", s2, "valid", f"reduction_left3_{b}")(h3)
    x3_2 = _separable_conv_block(p, filters, (5, 5), s2, block_id=f"reduction_right3_{b}")
    x3 = _layers.add([x3_1, x3_2], name=f"reduction_add3_{b}")
    x4 = _pool("avg", (1, 1), "same", f"reduction_left4_{b}")(x1)
    x4 = _layers.add([x2, x4])
    x5_1 = _separable_conv_block(x1, filters, (3, 3), block_id=f"reduction_left4_{b}")
    x5_2 = _pool("max", s2, "valid", f"reduction_right5_{b}")(h3)
    x5 = _layers.add([x5_1, x5_2], name=f"reduction_add4_{b}")
    x = _layers.concatenate([x2, x3, x4, x5], axis=-1, name=f"reduction_concat_{b}")
    return x, ip


def _nasnet(input_shape, penultimate_filters, num_blocks, stem_block_filters, skip_reduction,
            include_top, weights, input_tensor, pooling, classes, default_size,
            classifier_activation, name, filter_multiplier=2):
    if not _common.channels_last():
        raise ValueError("NASNet does not support the `channels_first` image data format. "
                         "Switch to `channels_last` by editing your local config file at "
                         "~/.keras/keras.json")
    _common.check_weights(weights, _common.WEIGHTS_ARG)
    _common.check_classes(weights, include_top, classes, 'If using `weights` as `"imagenet"` '
                          "with `include_top` as true, `classes` should be 1000")
    if isinstance(input_shape, tuple) and None in input_shape and weights == "imagenet":
        raise ValueError("When specifying the input shape of a NASNet and loading `ImageNet` "
                         "weights, the input_shape argument must be static (no None entries). "
                         f"Got: `input_shape={input_shape}`.")
    shape = _common.input_shape(input_shape, default_size, 32, include_top, weights)
    img_input = _common.image_input(input_tensor, shape)
    filters = penultimate_filters // 24
    x = _layers.Conv2D(stem_block_filters, (3, 3), strides=(2, 2), padding="valid",
                       use_bias=False, name="stem_conv1", kernel_initializer="he_normal")(
        img_input)
    x = _bn(x, "stem_bn1")
    p = None
    x, p = _reduction_a_cell(x, p, filters // (filter_multiplier**2), block_id="stem_1")
    x, p = _reduction_a_cell(x, p, filters // filter_multiplier, block_id="stem_2")
    for stage in range(3):
        width = filters * filter_multiplier**stage
        if stage:
            x, p0 = _reduction_a_cell(x, p, width, block_id=f"reduce_{stage * num_blocks}")
            p = p if skip_reduction else p0
        for i in range(num_blocks):
            x, p = _normal_a_cell(x, p, width, block_id=f"{stage * num_blocks + (stage > 0) + i}")
    x = _layers.Activation("relu")(x)
    x = _common.head(x, include_top, pooling, classes, classifier_activation, weights)
    size = "mobile" if default_size == 224 else "large"
    top = "" if include_top else "_no_top"
    return _common.model(img_input, input_tensor, x, name, weights, f"nasnet_{size}{top}.h5",
                         f"{_common.WEIGHTS_URL}nasnet/NASNet-{size}{top.replace('_', '-')}.h5")


def NASNetMobile(input_shape=None, include_top=True, weights="imagenet", input_tensor=None,
                 pooling=None, classes=1000, classifier_activation="softmax",
                 name="nasnet_mobile"):
    """NASNetMobile as Keras builds it (224x224 images by default)."""
    if not include_top and input_shape is None:
        input_shape = (224, 224, 3)
    return _nasnet(input_shape, 1056, 4, 32, False, include_top, weights, input_tensor, pooling,
                   classes, 224, classifier_activation, name)


def NASNetLarge(input_shape=None, include_top=True, weights="imagenet", input_tensor=None,
                pooling=None, classes=1000, classifier_activation="softmax",
                name="nasnet_large"):
    """NASNetLarge as Keras builds it (331x331 images by default)."""
    return _nasnet(input_shape, 4032, 6, 96, True, include_top, weights, input_tensor, pooling,
                   classes, 331, classifier_activation, name)
