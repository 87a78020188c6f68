"""Shared by tools/record_keras_applications_fixtures.py (run with real TF) and
tests/test_keras_applications.py: the architectures whose summaries are compared, a tiny model
for the legacy ``.h5`` weights file, and the deterministic weight values both sides write."""

import contextlib
import io

import numpy as np

# (case id, module under keras.applications, function, keyword arguments)
CASES = [
    ("mobilenet_v2_96_notop", "mobilenet_v2", "MobileNetV2",
     dict(input_shape=(96, 96, 3), include_top=False, weights=None)),
    ("mobilenet_v2_035_top", "mobilenet_v2", "MobileNetV2",
     dict(input_shape=(32, 32, 3), alpha=0.35, weights=None, classes=10)),
    ("mobilenet_v2_130_avg", "mobilenet_v2", "MobileNetV2",
     dict(input_shape=(48, 40, 3), alpha=1.3, include_top=False, weights=None, pooling="avg")),
    ("vgg16_notop", "vgg16", "VGG16",
     dict(input_shape=(32, 32, 3), include_top=False, weights=None)),
    ("vgg16_top", "vgg16", "VGG16",
     dict(input_shape=(32, 32, 3), weights=None, classes=10)),
    ("vgg19_notop_max", "vgg19", "VGG19",
     dict(input_shape=(32, 32, 3), include_top=False, weights=None, pooling="max")),
    ("mobilenet_025_notop", "mobilenet", "MobileNet",
     dict(input_shape=(32, 32, 3), alpha=0.25, include_top=False, weights=None)),
    ("mobilenet_050_top", "mobilenet", "MobileNet",
     dict(input_shape=(64, 64, 3), alpha=0.5, weights=None, classes=7, depth_multiplier=2,
          dropout=0.2)),
    ("densenet121_notop", "densenet", "DenseNet121",
     dict(input_shape=(32, 32, 3), include_top=False, weights=None)),
    ("resnet50v2_top", "resnet_v2", "ResNet50V2",
     dict(input_shape=(32, 32, 3), weights=None, classes=10)),
    ("xception_71_top", "xception", "Xception",
     dict(input_shape=(71, 71, 3), weights=None, classes=10)),
    ("xception_notop_avg", "xception", "Xception",
     dict(input_shape=(75, 80, 3), include_top=False, weights=None, pooling="avg")),
    ("inception_v3_75_top", "inception_v3", "InceptionV3",
     dict(input_shape=(75, 75, 3), weights=None, classes=10)),
    ("inception_resnet_v2_notop_avg", "inception_resnet_v2", "InceptionResNetV2",
     dict(input_shape=(75, 75, 3), include_top=False, weights=None, pooling="avg")),
    ("nasnet_mobile_top", "nasnet", "NASNetMobile",
     dict(input_shape=(32, 32, 3), weights=None, classes=10)),
    ("efficientnetb0_notop", "efficientnet", "EfficientNetB0",
     dict(input_shape=(32, 32, 3), include_top=False, weights=None)),
    ("efficientnetb3_top", "efficientnet", "EfficientNetB3",
     dict(input_shape=(40, 36, 3), weights=None, classes=10)),
    ("efficientnetv2b0_notop", "efficientnet_v2", "EfficientNetV2B0",
     dict(input_shape=(32, 32, 3), include_top=False, weights=None)),
    ("efficientnetv2b1_top", "efficientnet_v2", "EfficientNetV2B1",
     dict(input_shape=(40, 36, 3), weights=None, classes=10)),
    ("mobilenet_v2_channels_first", "mobilenet_v2", "MobileNetV2",
     dict(input_shape=(3, 32, 32), alpha=0.35, include_top=False, weights=None,
          channels_first=True)),
    ("resnet50_channels_first", "resnet", "ResNet50",
     dict(input_shape=(3, 32, 40), weights=None, classes=3, classifier_activation=None,
          channels_first=True)),
    # no input_shape: images of any size, (None, None, 3)
    ("mobilenet_v2_any_size", "mobilenet_v2", "MobileNetV2",
     dict(include_top=False, weights=None, alpha=0.5)),
    ("resnet50_any_size_max", "resnet50", "ResNet50",
     dict(include_top=False, weights=None, pooling="max")),
]

# architectures written with arithmetic on Keras tensors (MobileNetV3's hard-sigmoid, x + 3;
# ConvNeXt's residual sums):
# Keras's summary shows those as op layers, tapeflow's as Lambda layers; Keras's model.layers
# leaves them out. Module None: the function is only at keras.applications' top level.
OP_CASES = [
    ("mobilenet_v3_small_top", None, "MobileNetV3Small",
     dict(input_shape=(32, 32, 3), weights=None, classes=10)),
    ("mobilenet_v3_large_minimalistic", None, "MobileNetV3Large",
     dict(input_shape=(40, 40, 3), weights=None, minimalistic=True, alpha=1.25,
          include_preprocessing=False, include_top=False, pooling="max")),
    ("convnext_tiny_top", None, "ConvNeXtTiny",
     dict(input_shape=(32, 32, 3), weights=None, classes=10)),
]

# deeper variants of the families above (only the number of blocks per stage differs): their
# layer names are recorded, and the tests check the block counts tapeflow builds them with
VARIANTS = [("resnet", "ResNet101"), ("resnet", "ResNet152"), ("resnet_v2", "ResNet101V2"),
            ("resnet_v2", "ResNet152V2"), ("densenet", "DenseNet169"),
            ("densenet", "DenseNet201")]

# the model whose weights go into the legacy .h5 file, and the inputs it is run on
H5_CASE = ("mobilenet_v2", "MobileNetV2",
           dict(input_shape=(32, 32, 3), alpha=0.35, weights=None, classes=4))


# a MobileNetV3 whose weights are set to fill_value's (in model.weights' order) and run
V3_CASE = (None, "MobileNetV3Small", dict(input_shape=(32, 32, 3), weights=None, classes=4))


def tiny(keras):
    """A small functional model with the kinds of layers the applications use."""
    L = keras.layers
    inp = keras.Input((8, 8, 3), name="image")
    x = L.Conv2D(4, 3, use_bias=False, name="conv")(inp)
    x = L.BatchNormalization(name="bn")(x)
    x = L.ReLU(6.0, name="relu")(x)
    x = L.DepthwiseConv2D(3, name="dw")(x)
    x = L.GlobalAveragePooling2D(name="pool")(x)
    return keras.Model(inp, L.Dense(5, activation="softmax", name="predictions")(x))


def fill_value(k, shape, name):
    """Deterministic weight number ``k`` (of ``shape``): small, positive for variances."""
    n = int(np.prod(shape))
    v = np.sin(np.arange(n, dtype=np.float64) * 0.37 + k) * 0.2
    if "variance" in name:
        v = 1.0 + np.abs(v)
    return v.reshape(shape).astype(np.float32)


def images(shape, seed=0):
    return np.random.default_rng(seed).uniform(0, 255, shape).astype(np.float32)


def build(keras, module, fn, kwargs):
    """``keras.applications.<module>.<fn>(**kwargs)``; ``channels_first=True`` in ``kwargs``:
    built with that global image data format."""
    kwargs = dict(kwargs)
    if kwargs.pop("channels_first", False):
        keras.config.set_image_data_format("channels_first")
    try:
        where = keras.applications if module is None else getattr(keras.applications, module)
        return getattr(where, fn)(**kwargs)
    finally:
        keras.config.set_image_data_format("channels_last")


def summary_text(model):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        model.summary()
    return buf.getvalue()
