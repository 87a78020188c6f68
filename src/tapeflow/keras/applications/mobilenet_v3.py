"""``tf.keras.applications.mobilenet_v3``: MobileNetV3Small and MobileNetV3Large (shown in TF
only as ``tf.keras.applications.MobileNetV3Small`` / ``Large``): inverted residual blocks with
squeeze-and-excitation and hard-swish; the model scales its inputs (``include_preprocessing``),
so ``preprocess_input`` returns its input."""

import warnings as _warnings

from .. import layers as _layers
from . import _common
from .efficientnet import preprocess_input  # noqa: F401
from .imagenet_utils import decode_predictions  # noqa: F401
from .mobilenet_v2 import _make_divisible as _depth

_BN = dict(epsilon=1e-3, momentum=0.999)
# per block: (expansion, filters, kernel ("k": the model's, 5 or 3 when minimalistic), stride,
# squeeze-excite (True: the model's ratio), activation ("relu" or "model"))
_SMALL = [(1, 16, 3, 2, True, "relu"), (72.0 / 16, 24, 3, 2, False, "relu"),
          (88.0 / 24, 24, 3, 1, False, "relu"), (4, 40, "k", 2, True, "model"),
          (6, 40, "k", 1, True, "model"), (6, 40, "k", 1, True, "model"),
          (3, 48, "k", 1, True, "model"), (3, 48, "k", 1, True, "model"),
          (6, 96, "k", 2, True, "model"), (6, 96, "k", 1, True, "model"),
          (6, 96, "k", 1, True, "model")]
_LARGE = [(1, 16, 3, 1, False, "relu"), (4, 24, 3, 2, False, "relu"),
          (3, 24, 3, 1, False, "relu"), (3, 40, "k", 2, True, "relu"),
          (3, 40, "k", 1, True, "relu"), (3, 40, "k", 1, True, "relu"),
          (6, 80, 3, 2, False, "model"), (2.5, 80, 3, 1, False, "model"),
          (2.3, 80, 3, 1, False, "model"), (2.3, 80, 3, 1, False, "model"),
          (6, 112, 3, 1, True, "model"), (6, 112, 3, 1, True, "model"),
          (6, 160, "k", 2, True, "model"), (6, 160, "k", 1, True, "model"),
          (6, 160, "k", 1, True, "model")]


def _relu(x):
    return _layers.ReLU()(x)


def _hard_sigmoid(x):
    return _layers.ReLU(6.0)(x + 3.0) * (1.0 / 6.0)


def _hard_swish(x):
    return _layers.Activation("hard_swish")(x)


def _bn(x, name):
    return _layers.BatchNormalization(axis=_common.channel_axis(), name=name, **_BN)(x)


def _se_block(inputs, filters, se_ratio, prefix):
    x = _layers.GlobalAveragePooling2D(keepdims=True, name=f"{prefix}squeeze_excite_avg_pool")(
        inputs)
    x = _layers.Conv2D(_depth(filters * se_ratio), 1, padding="same",
                       name=f"{prefix}squeeze_excite_conv")(x)
    x = _layers.ReLU(name=f"{prefix}squeeze_excite_relu")(x)
    x = _layers.Conv2D(filters, 1, padding="same", name=f"{prefix}squeeze_excite_conv_1")(x)
    return _layers.Multiply(name=f"{prefix}squeeze_excite_mul")([inputs, _hard_sigmoid(x)])


def _inverted_res_block(x, expansion, filters, kernel_size, stride, se_ratio, activation,
                        block_id):
    shortcut, infilters = x, x.shape[_common.channel_axis()]
    prefix = f"expanded_conv_{block_id}_" if block_id else "expanded_conv_"
    if block_id:
        x = _layers.Conv2D(_depth(infilters * expansion), 1, padding="same", use_bias=False,
                           name=f"{prefix}expand")(x)
        x = activation(_bn(x, f"{prefix}expand_bn"))
    if stride == 2:
        x = _layers.ZeroPadding2D(_common.correct_pad(x, kernel_size),
                                  name=f"{prefix}depthwise_pad")(x)
    x = _layers.DepthwiseConv2D(kernel_size, strides=stride,
                                padding="same" if stride == 1 else "valid", use_bias=False,
                                name=f"{prefix}depthwise")(x)
    x = activation(_bn(x, f"{prefix}depthwise_bn"))
    if se_ratio:
        x = _se_block(x, _depth(infilters * expansion), se_ratio, prefix)
    x = _layers.Conv2D(filters, 1, padding="same", use_bias=False, name=f"{prefix}project")(x)
    x = _bn(x, f"{prefix}project_bn")
    if stride == 1 and infilters == filters:
        x = _layers.Add(name=f"{prefix}add")([shortcut, x])
    return x


def _mobilenet_v3(blocks, last_point_ch, input_shape, alpha, model_type, minimalistic,
                  include_top, weights, input_tensor, classes, pooling, dropout_rate,
                  classifier_activation, include_preprocessing, name):
    _common.check_weights(weights, _common.WEIGHTS_ARG[:-1] + ".  Received weights={weights}")
    _common.check_classes(weights, include_top, classes, 'If using `weights="imagenet"` with '
                          "`include_top` as true, `classes` should be 1000.  Received "
                          "classes={classes}")
    if input_shape is None and isinstance(input_tensor, _common.KerasTensor):
        rows, cols = _common.rows_cols(input_tensor.shape[1:])
        input_shape = (cols, rows, 3) if _common.channels_last() else (3, cols, rows)
    if input_shape is None:
        input_shape = (None, None, 3) if _common.channels_last() else (3, None, None)
    rows, cols = _common.rows_cols(input_shape)
    if rows and cols and (rows < 32 or cols < 32):
        raise ValueError(f"Input size must be at least 32x32; Received `input_shape="
                         f"{input_shape}`")
    if weights == "imagenet":
        if (not minimalistic and alpha not in [0.75, 1.0]) or (minimalistic and alpha != 1.0):
            raise ValueError("If imagenet weights are being loaded, alpha can be one of `0.75`, "
                             "`1.0` for non minimalistic or `1.0` for minimalistic only.")
        if rows != cols or rows != 224:
            _warnings.warn("`input_shape` is undefined or non-square, or `rows` is not 224. "
                           "Weights for input shape (224, 224) will be loaded as the default.",
                           stacklevel=3)
    img_input = _common.image_input(input_tensor, input_shape)
    kernel, activation, se_ratio = (3, _relu, None) if minimalistic else (5, _hard_swish, 0.25)
    x = img_input
    if include_preprocessing:
        x = _layers.Rescaling(scale=1.0 / 127.5, offset=-1.0)(x)
    x = _layers.Conv2D(16, 3, strides=(2, 2), padding="same", use_bias=False, name="conv")(x)
    x = activation(_bn(x, "conv_bn"))
    for block_id, (expansion, filters, k, stride, se, act) in enumerate(blocks):
        x = _inverted_res_block(x, expansion, _depth(filters * alpha), kernel if k == "k" else k,
                                stride, se_ratio if se else None,
                                _relu if act == "relu" else activation, block_id)
    last_conv_ch = _depth(x.shape[_common.channel_axis()] * 6)
    if alpha > 1.0:
        last_point_ch = _depth(last_point_ch * alpha)
    x = _layers.Conv2D(last_conv_ch, 1, padding="same", use_bias=False, name="conv_1")(x)
    x = activation(_bn(x, "conv_1_bn"))
    if include_top:
        x = _layers.GlobalAveragePooling2D(keepdims=True)(x)
        x = _layers.Conv2D(last_point_ch, 1, padding="same", use_bias=True, name="conv_2")(x)
        x = activation(x)
        if dropout_rate > 0:
            x = _layers.Dropout(dropout_rate)(x)
        x = _layers.Conv2D(classes, 1, padding="same", name="logits")(x)
        x = _layers.Flatten()(x)
        _common.validate_activation(classifier_activation, weights)
        x = _layers.Activation(activation=classifier_activation, name="predictions")(x)
    else:
        x = _common.head(x, False, pooling, classes, classifier_activation, weights,
                         ("avg_pool", "max_pool"))
    variant = f"{model_type}{'_minimalistic' if minimalistic else ''}_224_{alpha}_float"
    filename = f"weights_mobilenet_v3_{variant}{'' if include_top else '_no_top_v2'}.h5"
    return _common.model(img_input, input_tensor, x, name, weights, filename,
                         _common.WEIGHTS_URL + "mobilenet_v3/")


def _variant(blocks, last_point_ch, model_type):
    default_name = f"MobileNetV3{model_type.capitalize()}"

    def build(input_shape=None, alpha=1.0, minimalistic=False, include_top=True,
              weights="imagenet", input_tensor=None, classes=1000, pooling=None,
              dropout_rate=0.2, classifier_activation="softmax", include_preprocessing=True,
              name=default_name):
        return _mobilenet_v3(blocks, last_point_ch, input_shape, alpha, model_type,
                             minimalistic, include_top, weights, input_tensor, classes, pooling,
                             dropout_rate, classifier_activation, include_preprocessing, name)
    build.__name__ = build.__qualname__ = default_name
    build.__doc__ = f"{default_name} as Keras builds it; ``alpha`` scales the widths."
    return build


_MobileNetV3Small = _variant(_SMALL, 1024, "small")
_MobileNetV3Large = _variant(_LARGE, 1280, "large")
