"""``tf.keras.applications.mobilenet_v2``: MobileNetV2 (inverted residual blocks with linear
bottlenecks), its "tf"-mode input scaling, ImageNet's decoding."""

from .. import layers as _layers
from . import _common
from . import imagenet_utils as _imagenet_utils

_BN = dict(epsilon=1e-3, momentum=0.999)
_SIZES = [96, 128, 160, 192, 224]
# (filters, stride, expansion) of blocks 0..16
_BLOCKS = [(16, 1, 1), (24, 2, 6), (24, 1, 6), (32, 2, 6), (32, 1, 6), (32, 1, 6), (64, 2, 6),
           (64, 1, 6), (64, 1, 6), (64, 1, 6), (96, 1, 6), (96, 1, 6), (96, 1, 6), (160, 2, 6),
           (160, 1, 6), (160, 1, 6), (320, 1, 6)]


def _make_divisible(v, divisor=8):
    """``v`` rounded to a multiple of ``divisor`` (at least ``divisor``), never 10% below."""
    new = max(divisor, int(v + divisor / 2) // divisor * divisor)
    return new + divisor if new < 0.9 * v else new


def _inverted_res_block(inputs, expansion, stride, alpha, filters, block_id):
    channels = inputs.shape[_common.channel_axis()]
    out_filters = _make_divisible(int(filters * alpha))
    x = inputs
    prefix = f"block_{block_id}_" if block_id else "expanded_conv_"
    if block_id:
        x = _layers.Conv2D(expansion * channels, 1, padding="same", use_bias=False,
                           name=f"{prefix}expand")(x)
        x = _layers.BatchNormalization(axis=_common.channel_axis(), name=f"{prefix}expand_BN",
                                       **_BN)(x)
        x = _layers.ReLU(6.0, name=f"{prefix}expand_relu")(x)
    if stride == 2:
        x = _layers.ZeroPadding2D(_common.correct_pad(x, 3), name=f"{prefix}pad")(x)
    x = _common.depthwise_bn_relu6(x, stride, [f"{prefix}depthwise", f"{prefix}depthwise_BN",
                                               f"{prefix}depthwise_relu"], _BN)
    x = _layers.Conv2D(out_filters, 1, padding="same", use_bias=False,
                       name=f"{prefix}project")(x)
    x = _layers.BatchNormalization(axis=_common.channel_axis(), name=f"{prefix}project_BN",
                                   **_BN)(x)
    if channels == out_filters and stride == 1:
        return _layers.Add(name=f"{prefix}add")([inputs, x])
    return x


def _default_size(input_shape, input_tensor):
    """The ImageNet weights' size a square input of a trained size picks (else 224)."""
    if input_shape is None and input_tensor is not None and \
            isinstance(input_tensor, _common.KerasTensor):
        dims = input_tensor.shape[1:]
        rows, cols = _common.rows_cols(dims)
    elif input_shape is None:
        return 224
    else:
        rows, cols = _common.rows_cols(input_shape)
    return rows if rows == cols and rows in _SIZES else 224


def MobileNetV2(input_shape=None, alpha=1.0, include_top=True, weights="imagenet",
                input_tensor=None, pooling=None, classes=1000, classifier_activation="softmax",
                name=None):
    """MobileNetV2 as Keras builds it; ``alpha`` scales every layer's width."""
    _common.check_weights(weights, "The `weights` argument should be either `None` (random "
                          "initialization), `imagenet` (pre-training on ImageNet), or the path "
                          "to the weights file to be loaded.  Received `weights={weights}`")
    _common.check_classes(weights, include_top, classes, 'If using `weights="imagenet"` with '
                          "`include_top` as true, `classes` should be 1000. Received "
                          "`classes={classes}`")
    _common.check_input_tensor(input_tensor, input_shape)
    shape = _common.input_shape(input_shape, _default_size(input_shape, input_tensor), 32,
                                include_top, weights)
    rows, cols = _common.rows_cols(shape)
    if weights == "imagenet":
        if alpha not in [0.35, 0.50, 0.75, 1.0, 1.3, 1.4]:
            raise ValueError("If imagenet weights are being loaded, alpha must be one of "
                             "`0.35`, `0.50`, `0.75`, `1.0`, `1.3` or `1.4` only; Received "
                             f"`alpha={alpha}`")
        rows = _common.trained_rows(rows, cols, _SIZES)
    img_input = _common.image_input(input_tensor, shape)
    x = _common.conv_bn_relu6(img_input, _make_divisible(32 * alpha), 3, 2, "Conv1", "bn_Conv1",
                              "Conv1_relu", _BN)
    for block_id, (filters, stride, expansion) in enumerate(_BLOCKS):
        x = _inverted_res_block(x, expansion, stride, alpha, filters, block_id)
    last = _make_divisible(1280 * alpha) if alpha > 1.0 else 1280
    x = _layers.Conv2D(last, 1, use_bias=False, name="Conv_1")(x)
    x = _layers.BatchNormalization(axis=_common.channel_axis(), name="Conv_1_bn", **_BN)(x)
    x = _layers.ReLU(6.0, name="out_relu")(x)
    x = _common.head(x, include_top, pooling, classes, classifier_activation, weights)
    filename = (f"mobilenet_v2_weights_tf_dim_ordering_tf_kernels_{float(alpha)}_{rows}"
                f"{'' if include_top else '_no_top'}.h5")
    return _common.model(img_input, input_tensor, x, name or f"mobilenetv2_{alpha:0.2f}_{rows}",
                         weights, filename, _common.WEIGHTS_URL + "mobilenet_v2/")


def preprocess_input(x, data_format=None):
    """Scale pixels in [0, 255] to [-1, 1] ("tf" mode)."""
    return _imagenet_utils.preprocess_input(x, data_format=data_format, mode="tf")


decode_predictions = _imagenet_utils.decode_predictions
