"""``tf.keras.applications.mobilenet``: MobileNet (v1: depthwise separable convolutions), its
"tf"-mode input scaling, ImageNet's decoding."""

from .. import layers as _layers
from . import _common
from .mobilenet_v2 import decode_predictions, preprocess_input  # noqa: F401

_SIZES = [128, 160, 192, 224]
# (pointwise filters, stride) of blocks 1..13
_BLOCKS = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1), (512, 1),
           (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1)]


def _depthwise_conv_block(x, filters, alpha, depth_multiplier, stride, block_id):
    if stride != 1:
        x = _layers.ZeroPadding2D(((0, 1), (0, 1)), name=f"conv_pad_{block_id}")(x)
    x = _common.depthwise_bn_relu6(x, (stride, stride), [
        f"conv_dw_{block_id}", f"conv_dw_{block_id}_bn", f"conv_dw_{block_id}_relu"], {},
        depth_multiplier)
    return _common.conv_bn_relu6(x, int(filters * alpha), (1, 1), (1, 1), f"conv_pw_{block_id}",
                                 f"conv_pw_{block_id}_bn", f"conv_pw_{block_id}_relu", {})


def MobileNet(input_shape=None, alpha=1.0, depth_multiplier=1, dropout=1e-3, include_top=True,
              weights="imagenet", input_tensor=None, pooling=None, classes=1000,
              classifier_activation="softmax", name=None):
    """MobileNet (v1) as Keras builds it; ``alpha`` scales the widths, ``depth_multiplier``
    the depthwise convolutions' outputs."""
    _common.check_weights(weights, "The `weights` argument should be either `None` (random "
                          "initialization), 'imagenet' (pre-training on ImageNet), or the path "
                          "to the weights file to be loaded. Received weights={weights}")
    _common.check_classes(weights, include_top, classes, "If using `weights='imagenet'` with "
                          "`include_top=True`, `classes` should be 1000.  Received "
                          "classes={classes}")
    default = 224
    if input_shape is not None:
        rows, cols = _common.rows_cols(input_shape)
        default = rows if rows == cols and rows in _SIZES else 224
    shape = _common.input_shape(input_shape, default, 32, include_top, weights)
    rows, cols = _common.rows_cols(shape)
    if weights == "imagenet":
        if depth_multiplier != 1:
            raise ValueError("If imagenet weights are being loaded, depth multiplier must be "
                             f"1.  Received depth_multiplier={depth_multiplier}")
        if alpha not in [0.25, 0.50, 0.75, 1.0]:
            raise ValueError("If imagenet weights are being loaded, alpha can be one of`0.25`, "
                             f"`0.50`, `0.75` or `1.0` only.  Received alpha={alpha}")
        rows = _common.trained_rows(rows, cols, _SIZES)
    img_input = _common.image_input(input_tensor, shape)
    x = _common.conv_bn_relu6(img_input, int(32 * alpha), (3, 3), (2, 2), "conv1", "conv1_bn",
                              "conv1_relu", {})
    for block_id, (filters, stride) in enumerate(_BLOCKS, start=1):
        x = _depthwise_conv_block(x, filters, alpha, depth_multiplier, stride, block_id)
    if include_top:
        x = _layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = _layers.Dropout(dropout, name="dropout")(x)
        x = _layers.Conv2D(classes, (1, 1), padding="same", name="conv_preds")(x)
        x = _layers.Reshape((classes,), name="reshape_2")(x)
        _common.validate_activation(classifier_activation, weights)
        x = _layers.Activation(activation=classifier_activation, name="predictions")(x)
    else:
        x = _common.head(x, False, pooling, classes, classifier_activation, weights)
    alpha_text = {1.0: "1_0", 0.75: "7_5", 0.5: "5_0"}.get(alpha, "2_5")
    filename = f"mobilenet_{alpha_text}_{rows}_tf{'' if include_top else '_no_top'}.h5"
    return _common.model(img_input, input_tensor, x, name or f"mobilenet_{alpha:0.2f}_{rows}",
                         weights, filename, _common.WEIGHTS_URL + "mobilenet/")
