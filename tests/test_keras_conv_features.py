"""Convolutions with ``groups > 1`` and ``data_format="channels_first"``, the 1D/2D/3D pooling,
global pooling, padding, cropping and upsampling layers, and BatchNormalization(axis=1): forward
values against Keras 3 with the same weights (tests/fixtures/keras_features, recorded by
tools/record_keras_feature_fixtures.py), gradients, configs and Keras's errors."""

import json
import pathlib

import numpy as np
import pytest

import tapeflow as tf
from keras_feature_cases import CONFIG_CASES, CONV_CASES, assert_matches

L = tf.keras.layers
HERE = pathlib.Path(__file__).parent / "fixtures" / "keras_features"
FIX = np.load(HERE / "layers.npz")
CONFIGS = json.loads((HERE / "configs.json").read_text())


@pytest.mark.parametrize("key", sorted(CONV_CASES))
def test_forward_matches_keras(key):
    assert_matches(L, CONV_CASES[key], FIX, key, np)


@pytest.mark.parametrize("key", ["conv2d", "maxpool3d", "gap3d", "zeropad1d", "zeropad3d",
                                 "crop1d", "crop3d", "upsample1d", "upsample3d"])
def test_configs_match_keras_and_round_trip(key):
    layer = CONFIG_CASES[key](L)
    config = json.loads(json.dumps(layer.get_config()))
    want = CONFIGS[key]
    assert list(config) == list(want)
    for name in set(want) - {"name", "kernel_initializer"}:
        assert config[name] == want[name], name
    again = type(layer).from_config(layer.get_config())
    assert json.loads(json.dumps(again.get_config())) == config


def test_compute_output_shape_channels_first():
    assert L.Conv2D(4, 3, strides=2, data_format="channels_first").compute_output_shape(
        (None, 3, 9, 7)) == (None, 4, 4, 3)
    assert L.MaxPooling3D(2, data_format="channels_first").compute_output_shape(
        (2, 5, 4, 6, 8)) == (2, 5, 2, 3, 4)
    assert L.GlobalAveragePooling2D(data_format="channels_first", keepdims=True) \
        .compute_output_shape((2, 5, 4, 6)) == (2, 5, 1, 1)
    assert L.ZeroPadding2D(((1, 2), (0, 1)), data_format="channels_first") \
        .compute_output_shape((2, 5, 4, 6)) == (2, 5, 7, 7)
    assert L.Cropping1D((1, 2)).compute_output_shape((None, 6, 3)) == (None, 3, 3)
    assert L.UpSampling3D(2).compute_output_shape((1, 2, 3, 4, 5)) == (1, 4, 6, 8, 5)


def test_grouped_and_channels_first_conv_gradients_match_finite_differences():
    rs = np.random.RandomState(0)
    for layer, shape in ((L.Conv2D(4, 2, groups=2, dtype="float64"), (1, 4, 4, 4)),
                         (L.Conv1D(2, 2, groups=2, data_format="channels_first",
                                   dtype="float64"), (2, 4, 5))):
        x = tf.constant(rs.standard_normal(shape).astype("float64"))
        layer(x)
        with tf.GradientTape() as tape:
            tape.watch(x)
            loss = tf.reduce_sum(tf.square(layer(x)))
        gx, gk = tape.gradient(loss, [x, layer.kernel])
        eps = 1e-6
        k = layer.kernel.numpy()
        for idx in [(0,) * k.ndim, tuple(d - 1 for d in k.shape)]:
            bumped = k.copy()
            bumped[idx] += eps
            layer.kernel.assign(bumped)
            up = float(tf.reduce_sum(tf.square(layer(x))))
            bumped[idx] -= 2 * eps
            layer.kernel.assign(bumped)
            down = float(tf.reduce_sum(tf.square(layer(x))))
            layer.kernel.assign(k)
            assert gk.numpy()[idx] == pytest.approx((up - down) / (2 * eps), rel=1e-4)
        assert gx.shape == x.shape


def test_keras_errors():
    with pytest.raises(ValueError, match="The number of filters must be evenly divisible by "
                                         "the number of groups. Received: groups=2, filters=3."):
        L.Conv2D(3, 3, groups=2)
    with pytest.raises(ValueError, match="The number of groups must be a positive integer"):
        L.Conv2D(4, 3, groups=0)
    with pytest.raises(ValueError, match=r"The number of input channels must be evenly divisible "
                                         r"by the number of groups. Received groups=2, but the "
                                         r"input has 3 channels \(full input shape is "
                                         r"\(1, 5, 5, 3\)\)."):
        L.Conv2D(4, 3, groups=2)(np.zeros((1, 5, 5, 3), "float32"))
    with pytest.raises(ValueError, match="The `data_format` argument must be one of"):
        L.Conv2D(4, 3, data_format="NCHW")


def test_channels_first_model_summary_and_training():
    keras = tf.keras
    tf.keras.utils.set_random_seed(0)
    model = keras.Sequential([
        keras.Input((2, 8, 8)),
        L.Conv2D(4, 3, groups=2, padding="same", data_format="channels_first",
                 activation="relu"),
        L.BatchNormalization(axis=1),
        L.MaxPooling2D(data_format="channels_first"),
        L.GlobalAveragePooling2D(data_format="channels_first"),
        L.Dense(1)])
    assert model.output_shape == (None, 1)
    assert [tuple(w.shape) for w in model.layers[0].weights] == [(3, 3, 1, 4), (4,)]
    x = np.random.RandomState(0).standard_normal((16, 2, 8, 8)).astype("float32")
    y = x.mean(axis=(1, 2, 3))[:, None]
    model.compile("adam", "mse")
    hist = model.fit(x, y, epochs=4, batch_size=8, verbose=0)
    assert hist.history["loss"][-1] < hist.history["loss"][0]
