"""What the architectures of ``tf.keras.applications`` share: the input-shape checks, the input
layer, the classifier or pooling head, the model and its weights (``None``, ``"imagenet"`` read
from Keras's cache folder, or a file path), and the blocks more than one family is made of."""

import os
import warnings

from .. import config, layers
from ..models.functional import KerasTensor
from ..utils import _extra

WEIGHTS_URL = "https://storage.googleapis.com/tensorflow/keras-applications/"
# Keras's words for a bad `weights` or `classes` in several families
WEIGHTS_ARG = ("The `weights` argument should be either `None` (random initialization), "
               "`imagenet` (pre-training on ImageNet), or the path to the weights file to be "
               "loaded.")
CLASSES_1000 = ('If using `weights="imagenet"` with `include_top=True`, `classes` should be '
                "1000. Received classes={classes}")


def channels_last():
    return config.image_data_format() == "channels_last"


def channel_axis():
    return -1 if channels_last() else 1


def input_shape(shape, default_size, min_size, require_flatten, weights):
    """The image shape a model is built for, checked as Keras checks it: 3 dimensions, at least
    ``min_size`` pixels, 3 channels for ImageNet weights, the default size with a classifier."""
    last = channels_last()
    if weights != "imagenet" and shape and len(shape) == 3:
        channels = shape[-1] if last else shape[0]
        if channels not in {1, 3}:
            warnings.warn("This model usually expects 1 or 3 input channels. However, it was "
                          f"passed an input_shape with {channels} input channels.",
                          stacklevel=3)
        default = (default_size, default_size, channels) if last else \
            (channels, default_size, default_size)
    else:
        default = (default_size, default_size, 3) if last else (3, default_size, default_size)
    if weights == "imagenet" and require_flatten:
        if shape is not None and shape != default:
            raise ValueError("When setting `include_top=True` and loading `imagenet` weights, "
                             f"`input_shape` should be {default}.  Received: input_shape={shape}")
        return default
    if shape:
        if len(shape) != 3:
            raise ValueError("`input_shape` must be a tuple of three integers.")
        channels, rows, cols = (shape[-1], shape[0], shape[1]) if last else shape
        if channels != 3 and weights == "imagenet":
            raise ValueError(f"The input must have 3 channels; Received `input_shape={shape}`")
        if (rows is not None and rows < min_size) or (cols is not None and cols < min_size):
            raise ValueError(f"Input size must be at least {min_size}x{min_size}; Received: "
                             f"input_shape={shape}")
    elif require_flatten:
        shape = default
    else:
        shape = (None, None, 3) if last else (3, None, None)
    if require_flatten and None in shape:
        raise ValueError("If `include_top` is True, you should specify a static `input_shape`. "
                         f"Received: input_shape={shape}")
    return shape


def rows_cols(shape):
    return (shape[0], shape[1]) if channels_last() else (shape[1], shape[2])


def check_weights(weights, message):
    """``weights`` is None, "imagenet" or an existing file; else ``message`` (Keras's words for
    the family) with ``{weights}`` filled in."""
    if not (weights in {"imagenet", None} or os.path.exists(str(weights))):
        raise ValueError(message.format(weights=weights))


def check_classes(weights, include_top, classes, message):
    if weights == "imagenet" and include_top and classes != 1000:
        raise ValueError(message.format(classes=classes))


def start(weights, include_top, classes, input_tensor, input_shape_, default_size, min_size,
          weights_message, classes_message):
    """The checks of ``weights`` and ``classes`` (with the family's messages) and of the input
    shape; the model's image input."""
    check_weights(weights, weights_message)
    check_classes(weights, include_top, classes, classes_message)
    shape = input_shape(input_shape_, default_size, min_size, include_top, weights)
    return image_input(input_tensor, shape)


def image_input(input_tensor, shape):
    if input_tensor is None:
        return layers.Input(shape=shape)
    if isinstance(input_tensor, KerasTensor):
        return input_tensor
    return layers.Input(tensor=input_tensor, shape=shape)


def validate_activation(classifier_activation, weights):
    """Pretrained weights come with a softmax (or no) classifier activation."""
    if weights is None:
        return
    from .. import activations
    act = activations.get(classifier_activation)
    if act not in {activations.get("softmax"), activations.get(None)}:
        raise ValueError("Only `None` and `softmax` activations are allowed for the "
                         "`classifier_activation` argument when using pretrained weights, with "
                         f"`include_top=True`; Received: classifier_activation={act}")


def head(x, include_top, pooling, classes, classifier_activation, weights, names=(None, None)):
    """The top of most families: global average pooling and a Dense classifier, or the pooling
    asked for. ``names``: the average and max pooling layers' names (None: automatic)."""
    if include_top:
        x = layers.GlobalAveragePooling2D(name=names[0])(x)
        validate_activation(classifier_activation, weights)
        return layers.Dense(classes, activation=classifier_activation, name="predictions")(x)
    if pooling == "avg":
        return layers.GlobalAveragePooling2D(name=names[0])(x)
    if pooling == "max":
        return layers.GlobalMaxPooling2D(name=names[1])(x)
    return x


def cache_dir():
    return os.path.join(os.environ.get("KERAS_HOME") or os.path.join(
        os.path.expanduser("~"), ".keras"), "models")


def cached(filename, url):
    """Keras's cached download ``filename``, or an error naming where to place it (tapeflow does
    not download)."""
    path = os.path.join(cache_dir(), filename)
    if not os.path.exists(path):
        raise FileNotFoundError(
            f"weights='imagenet' needs the file {filename}, which Keras downloads from {url}; "
            f"tapeflow does not download: place that file at {path} (or pass its path as "
            "`weights=`), or use weights=None.")
    return path


def model(img_input, input_tensor, outputs, name, weights, filename=None, url=None):
    """The Functional model from the image input (or ``input_tensor``'s source inputs) to
    ``outputs``, with its weights loaded: ImageNet's ``filename`` from the cache, or a path."""
    from ..models import Model
    inputs = img_input if input_tensor is None else _extra.get_source_inputs(input_tensor)
    net = Model(inputs, outputs, name=name)
    if weights == "imagenet":  # url: the folder, or the whole address when the names differ
        net.load_weights(cached(filename, url if url.endswith(".h5") else url + filename))
    elif weights is not None:
        net.load_weights(weights)
    return net


def standard_model(img_input, input_tensor, x, include_top, name, weights, weights_name,
                   folder):
    """``model`` with the weights file named as ResNet's, VGG's and DenseNet's are."""
    filename = (f"{weights_name}_weights_tf_dim_ordering_tf_kernels"
                f"{'' if include_top else '_notop'}.h5")
    return model(img_input, input_tensor, x, name, weights, filename, f"{WEIGHTS_URL}{folder}/")


def bn(x, name, epsilon=1.001e-5):
    """BatchNormalization over the channels (ResNet's and DenseNet's epsilon by default)."""
    return layers.BatchNormalization(axis=channel_axis(), epsilon=epsilon, name=name)(x)


def correct_pad(x, kernel_size):
    """The ZeroPadding2D before a stride-2 "valid" convolution that pads as TF's "same" does."""
    size = x.shape[1:3] if channels_last() else x.shape[2:4]
    k = (kernel_size, kernel_size) if isinstance(kernel_size, int) else tuple(kernel_size)
    adjust = (1, 1) if size[0] is None else (1 - size[0] % 2, 1 - size[1] % 2)
    return ((k[0] // 2 - adjust[0], k[0] // 2), (k[1] // 2 - adjust[1], k[1] // 2))


def conv_bn_act(x, filters, kernel, strides=1, padding="same", activation="relu", use_bias=False,
                name=None):
    """The Inception networks' unit: Conv2D, BatchNormalization without scale (when no bias),
    activation; ``name``: the three layers' names are ``name``, ``name_bn``, ``name_ac``."""
    x = layers.Conv2D(filters, kernel, strides=strides, padding=padding, use_bias=use_bias,
                      name=name)(x)
    if not use_bias:
        x = layers.BatchNormalization(axis=channel_axis(), scale=False,
                                      name=None if name is None else f"{name}_bn")(x)
    if activation is not None:
        x = layers.Activation(activation, name=None if name is None else f"{name}_ac")(x)
    return x


def conv_bn_relu6(x, filters, kernel, strides, name, bn_name, relu_name, bn_kwargs):
    """Conv2D (no bias, "same"), BatchNormalization and ReLU(6): the MobileNets' stem."""
    x = layers.Conv2D(filters, kernel, strides=strides, padding="same", use_bias=False,
                      name=name)(x)
    x = layers.BatchNormalization(axis=channel_axis(), name=bn_name, **bn_kwargs)(x)
    return layers.ReLU(6.0, name=relu_name)(x)


def depthwise_bn_relu6(x, strides, names, bn_kwargs, depth_multiplier=1):
    """DepthwiseConv2D 3x3 ("same" at stride 1, else "valid" after a pad), BatchNormalization
    and ReLU(6); ``names``: the three layers' names."""
    one = tuple(strides) == (1, 1) if not isinstance(strides, int) else strides == 1
    x = layers.DepthwiseConv2D(3, strides=strides, padding="same" if one else "valid",
                               depth_multiplier=depth_multiplier, use_bias=False,
                               name=names[0])(x)
    x = layers.BatchNormalization(axis=channel_axis(), name=names[1], **bn_kwargs)(x)
    return layers.ReLU(6.0, name=names[2])(x)



def trained_rows(rows, cols, sizes):
    """The image size whose ImageNet weights load: ``rows`` if square and trained, else 224."""
    if rows == cols and rows in sizes:
        return rows
    warnings.warn(f"`input_shape` is undefined or non-square, or `rows` is not in "
                  f"[{', '.join(map(str, sizes))}]. Weights for input shape (224, 224) will be "
                  "loaded as the default.", stacklevel=3)
    return 224


def check_input_tensor(input_tensor, shape):
    """MobileNetV2's check that ``input_tensor`` agrees with ``input_shape`` when both given."""
    if shape is None or input_tensor is None:
        return
    if not (isinstance(input_tensor, KerasTensor) or _extra.is_keras_tensor(input_tensor)):
        raise ValueError(f"input_tensor is not a Keras tensor; Received `input_tensor="
                         f"{input_tensor}`")
    if channels_last() and input_tensor.shape[2] != shape[1]:
        raise ValueError("input_tensor.shape[2] must equal input_shape[1]; Received "
                         f"`input_tensor.shape={input_tensor.shape}`, `input_shape={shape}`")
    if not channels_last() and input_tensor.shape[1] != shape[1]:
        raise ValueError("input_shape[1] must equal shape(input_tensor)[1] when "
                         "`image_data_format` is `channels_first`; Received `input_tensor.shape="
                         f"{input_tensor.shape}`, `input_shape={shape}`")
