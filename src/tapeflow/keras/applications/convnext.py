"""``tf.keras.applications.convnext``: ConvNeXt Tiny, Small, Base, Large, XLarge (7x7 depthwise
convolutions, layer normalization, inverted bottleneck MLPs, layer scale); the model normalizes
its inputs (``include_preprocessing``), so ``preprocess_input`` returns its input."""

from .. import initializers as _initializers
from .. import layers as _layers
from .. import models as _models
from . import _common
from .efficientnet import preprocess_input  # noqa: F401
from .imagenet_utils import decode_predictions  # noqa: F401

# variant: (blocks per stage, channels per stage)
_CONFIGS = {
    "tiny": ([3, 3, 9, 3], [96, 192, 384, 768]),
    "small": ([3, 3, 27, 3], [96, 192, 384, 768]),
    "base": ([3, 3, 27, 3], [128, 256, 512, 1024]),
    "large": ([3, 3, 27, 3], [192, 384, 768, 1536]),
    "xlarge": ([3, 3, 27, 3], [256, 512, 1024, 2048]),
}


class _LayerScale(_layers.Layer):
    """Its input times a learned per-channel ``gamma`` (starting at ``init_values``)."""

    def __init__(self, init_values, projection_dim, **kwargs):
        super().__init__(**kwargs)
        self.init_values = init_values
        self.projection_dim = projection_dim

    def build(self, _):
        self.gamma = self.add_weight(shape=(self.projection_dim,),
                                     initializer=_initializers.Constant(self.init_values),
                                     trainable=True)
        self.built = True

    def call(self, x):
        return x * self.gamma

    def get_config(self):
        return {**super().get_config(), "init_values": self.init_values,
                "projection_dim": self.projection_dim}


_LayerScale.__name__ = _LayerScale.__qualname__ = "LayerScale"  # Keras's name


def _layer_norm(name=None):
    return _layers.LayerNormalization(epsilon=1e-6, name=name)


def _block(inputs, dim, name):
    x = _layers.Conv2D(dim, 7, padding="same", groups=dim, name=f"{name}_depthwise_conv")(inputs)
    x = _layer_norm(f"{name}_layernorm")(x)
    x = _layers.Dense(4 * dim, name=f"{name}_pointwise_conv_1")(x)
    x = _layers.Activation("gelu", name=f"{name}_gelu")(x)
    x = _layers.Dense(dim, name=f"{name}_pointwise_conv_2")(x)
    x = _LayerScale(1e-6, dim, name=f"{name}_layer_scale")(x)
    return inputs + _layers.Activation("linear", name=f"{name}_identity")(x)


def _convnext(variant, include_top, include_preprocessing, weights, input_tensor, input_shape,
              pooling, classes, classifier_activation, name):
    if not _common.channels_last():
        raise ValueError("ConvNeXt does not support the `channels_first` image data format. "
                         "Switch to `channels_last` by editing your local config file at "
                         "~/.keras/keras.json")
    depths, dims = _CONFIGS[variant]
    img_input = _common.start(weights, include_top, classes, input_tensor, input_shape, 224, 32,
                              _common.WEIGHTS_ARG, _common.CLASSES_1000)
    x = img_input
    if include_preprocessing and x.shape[-1] == 3:
        x = _layers.Normalization(
            mean=[0.485 * 255, 0.456 * 255, 0.406 * 255],
            variance=[(0.229 * 255) ** 2, (0.224 * 255) ** 2, (0.225 * 255) ** 2],
            name=f"{name}_prestem_normalization")(x)
    downsampling = [_models.Sequential([
        _layers.Conv2D(dims[0], kernel_size=4, strides=4, name=f"{name}_stem_conv"),
        _layer_norm(f"{name}_stem_layernorm")], name=f"{name}_stem")]
    downsampling += [_models.Sequential([
        _layer_norm(f"{name}_downsampling_layernorm_{i}"),
        _layers.Conv2D(dims[i + 1], kernel_size=2, strides=2,
                       name=f"{name}_downsampling_conv_{i}")],
        name=f"{name}_downsampling_block_{i}") for i in range(3)]
    for i in range(4):
        x = downsampling[i](x)
        for j in range(depths[i]):
            x = _block(x, dims[i], f"{name}_stage_{i}_block_{j}")
    if include_top:
        _common.validate_activation(classifier_activation, weights)
        x = _layers.GlobalAveragePooling2D(name=f"{name}_head_gap")(x)
        x = _layer_norm(f"{name}_head_layernorm")(x)
        x = _layers.Dense(classes, activation=classifier_activation, name=f"{name}_head_dense")(x)
    else:
        x = _layer_norm()(_common.head(x, False, pooling, classes, classifier_activation,
                                       weights))
    weights_name = f"convnext_{variant}"
    if weights == "imagenet" and weights_name not in name:
        raise ValueError(f'Model name "{name}" does not match weights variant "{weights_name}". '
                         "When using imagenet weights, model name must contain the weights "
                         f'variant (e.g., "{weights_name}").')
    filename = name + (".h5" if include_top else "_notop.h5")
    return _common.model(img_input, input_tensor, x, name, weights, filename,
                         _common.WEIGHTS_URL + "convnext/")


def _variant(variant):
    default_name = f"convnext_{variant}"

    def build(include_top=True, include_preprocessing=True, weights="imagenet",
              input_tensor=None, input_shape=None, pooling=None, classes=1000,
              classifier_activation="softmax", name=default_name):
        return _convnext(variant, include_top, include_preprocessing, weights, input_tensor,
                         input_shape, pooling, classes, classifier_activation, name)
    build.__name__ = build.__qualname__ = "ConvNeXt" + {"xlarge": "XLarge"}.get(
        variant, variant.capitalize())
    build.__doc__ = f"{build.__name__} as Keras builds it."
    return build


ConvNeXtTiny, ConvNeXtSmall, ConvNeXtBase, ConvNeXtLarge, ConvNeXtXLarge = (
    _variant(variant) for variant in ("tiny", "small", "base", "large", "xlarge"))
