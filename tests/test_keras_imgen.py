"""Keras 2's legacy image generators (keras.preprocessing.image) against fixtures recorded
from real Keras by tools/record_keras_imgen_fixtures.py (same inputs: imported from it)."""

import contextlib
import io
import json
import os
import sys
import tempfile
import warnings

import numpy as np
import pytest

import tapeflow as tf

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tools"))
import record_keras_imgen_fixtures as rec  # noqa: E402

pytest.importorskip("PIL")
FIX = os.path.join(os.path.dirname(__file__), "fixtures", "keras_imgen")
pim = tf.keras.preprocessing.image


@pytest.fixture(scope="module")
def expected():
    with np.load(os.path.join(FIX, "fixtures.npz")) as data:
        return dict(data)


@pytest.fixture(scope="module")
def got():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Keras's "zca_whitening overrides ..." notes
        return rec.scenarios(pim)


def test_same_scenarios(expected, got):
    assert sorted(expected) == sorted(got)


@pytest.mark.parametrize("prefix", ["affine_", "channel_shift", "brightness", "random_", "fit_",
                                    "standardize", "zca_", "params", "flow_", "dir_",
                                    "first_"])
def test_matches_keras(expected, got, prefix):
    names = [k for k in expected if k.startswith(prefix)]
    assert names
    for name in names:
        want, have = expected[name], np.asarray(got[name])
        assert have.shape == want.shape, name
        if want.dtype.kind in "USi":
            np.testing.assert_array_equal(have, want, err_msg=name)
        else:
            assert have.dtype == want.dtype, (name, have.dtype, want.dtype)
            tol = 1e-3 if name.startswith("zca") else 1e-4
            np.testing.assert_allclose(have, want, rtol=tol, atol=tol, err_msg=name)


def test_directory_message(expected):
    assert str(expected["dir_printed"]) == ("Found 6 images belonging to 2 classes.\n"
                                            "Found 2 images belonging to 2 classes.\n")


def test_errors():
    with open(os.path.join(FIX, "errors.json")) as f:
        want = json.load(f)
    assert rec.errors(pim) == want


def test_unfit_warning_and_identity():
    gen = pim.ImageDataGenerator(featurewise_center=True)
    x = np.ones((2, 2, 1), "float32")
    with pytest.warns(UserWarning, match="hasn't been fit"):
        gen.standardize(x)
    assert pim.apply_affine_transform(x) is not None
    np.testing.assert_array_equal(pim.apply_affine_transform(x, row_axis=0, col_axis=1,
                                                             channel_axis=2), x)


def test_model_fit_on_generators():
    x = np.random.RandomState(0).uniform(0, 1, (8, 4, 4, 1)).astype("float32")
    y = (x.mean(axis=(1, 2, 3)) > 0.5).astype("float32")
    gen = pim.ImageDataGenerator(rotation_range=10, horizontal_flip=True)
    model = tf.keras.Sequential([tf.keras.Input((4, 4, 1)), tf.keras.layers.Flatten(),
                                 tf.keras.layers.Dense(1, activation="sigmoid")])
    model.compile("sgd", "binary_crossentropy")
    history = model.fit(gen.flow(x, y, batch_size=4, seed=1), epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    with tempfile.TemporaryDirectory() as root:
        rec.write_pngs(root)
        with contextlib.redirect_stdout(io.StringIO()):
            it = pim.ImageDataGenerator(rescale=1 / 255).flow_from_directory(
                root, target_size=(4, 4), batch_size=3, class_mode="binary")
        model2 = tf.keras.Sequential([tf.keras.Input((4, 4, 3)), tf.keras.layers.Flatten(),
                                      tf.keras.layers.Dense(1, activation="sigmoid")])
        model2.compile("sgd", "binary_crossentropy")
        assert len(model2.fit(it, epochs=1, verbose=0).history["loss"]) == 1


def test_save_to_dir_writes_each_augmented_image():
    x = np.random.RandomState(0).uniform(0, 255, (3, 4, 5, 3)).astype("float32")
    with tempfile.TemporaryDirectory() as out:
        batch = pim.ImageDataGenerator(rotation_range=30).flow(
            x, batch_size=3, shuffle=False, seed=2, save_to_dir=out, save_prefix="aug")[0]
        names = sorted(os.listdir(out))
        assert len(names) == 3 and all(n.startswith("aug_") and n.endswith(".png")
                                       for n in names)
        assert sorted(int(n.split("_")[1]) for n in names) == [0, 1, 2]
        saved = tf.keras.utils.img_to_array(tf.keras.utils.load_img(os.path.join(out, names[0])))
        assert saved.shape == batch.shape[1:]
