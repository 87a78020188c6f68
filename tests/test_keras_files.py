"""Keras 3's weights file (.weights.h5): files Keras 3 / TF 2.21 wrote load into tapeflow's
models, and tapeflow writes Keras's layout (groups, names, order, shapes, dtypes)."""

import json
import os

import numpy as np
import pytest

h5py = pytest.importorskip("h5py")

import tapeflow as tf  # noqa: E402
import checkpoint_cases as cases  # noqa: E402

KERAS = os.path.join(os.path.dirname(__file__), "fixtures", "checkpoint", "keras")


def test_loads_keras_weights_file_and_writes_its_layout(tmp_path):
    model, _ = cases.keras_model(tf)
    model.load_weights(os.path.join(KERAS, "model.weights.h5"))
    expected = np.load(os.path.join(KERAS, "expected.npz"))
    for i, var in enumerate(model.weights):  # TF's checkpoint of the same model, same values
        np.testing.assert_array_equal(
            var.numpy(), expected[f"optimizer/_trainable_variables/{i}/.ATTRIBUTES/VARIABLE_VALUE"])
    path = str(tmp_path / "again.weights.h5")
    model.save_weights(path)
    assert cases.h5_layout(h5py, path) == cases.h5_layout(
        h5py, os.path.join(KERAS, "model.weights.h5"))
    fresh, _ = cases.keras_model(tf)
    fresh.load_weights(path)
    for a, b in zip(fresh.weights, model.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_subclassed_model_layout_is_keras(tmp_path):
    """Attributes by name, private last, list items by class name, the layers property, the
    compiled optimizer's variables: Keras 3's layout (the optimizer's auto name aside)."""
    net = cases.subclassed_model(tf)
    path = str(tmp_path / "net.weights.h5")
    net.save_weights(path)
    with open(os.path.join(KERAS, "subclassed_layout.json")) as f:
        theirs = json.load(f)
    mine = cases.h5_layout(h5py, path)
    for row in mine + theirs:
        if row[0] == "optimizer/vars":
            row[1] = {"name": "<adam>"}
    assert mine == theirs
    other = cases.subclassed_model(tf)
    other.load_weights(path)
    for a, b in zip(other.weights + other.optimizer.variables, net.weights + net.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_weights_file_errors(tmp_path):
    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(2)])
    with pytest.raises(ValueError, match=r"^The filename must end in `\.weights\.h5`\. Received: "
                       r"filepath=easy_checkpoint$"):
        model.save_weights("easy_checkpoint")
    with pytest.raises(ValueError, match=r"^File format not supported: filepath=x\.h6\. Keras 3"):
        model.load_weights("x.h6")
    path = str(tmp_path / "m.weights.h5")
    model.save_weights(path)
    no_bias = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(2, use_bias=False)])
    with pytest.raises(ValueError) as e:
        no_bias.load_weights(path)
    name = no_bias.layers[0].name
    assert str(e.value) == (
        f"A total of 1 objects could not be loaded. Example error message for object "
        f"{no_bias.layers[0]!r}:\n\nLayer '{name}' expected 1 variables, but received 2 "
        f"variables during loading. Expected: ['kernel']\n\nList of objects that could not be "
        f"loaded:\n[{no_bias.layers[0]!r}]")
    assert sorted(os.listdir(tmp_path)) == ["m.weights.h5"]  # no temporary left behind


def test_keras_file_from_keras_loads_and_saves_back(tmp_path):
    import zipfile
    model = tf.keras.models.load_model(os.path.join(KERAS, "model.keras"))
    assert [type(layer).__name__ for layer in model.layers] == ["Dense", "Dense"]
    expected = np.load(os.path.join(KERAS, "expected.npz"))
    w = [expected[f"optimizer/_trainable_variables/{i}/.ATTRIBUTES/VARIABLE_VALUE"]
         for i in range(4)]
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    np.testing.assert_allclose(model(x).numpy(),
                               np.maximum(x @ w[0] + w[1], 0) @ w[2] + w[3], rtol=1e-6)

    path = str(tmp_path / "again.keras")
    model.save(path)
    with zipfile.ZipFile(path) as mine, zipfile.ZipFile(os.path.join(KERAS, "model.keras")) as k:
        assert mine.namelist() == k.namelist()
        ours, theirs = (json.loads(z.read("config.json")) for z in (mine, k))
        (tmp_path / "w.weights.h5").write_bytes(mine.read("model.weights.h5"))
        (tmp_path / "k.weights.h5").write_bytes(k.read("model.weights.h5"))
    assert {k: ours[k] for k in ("module", "class_name", "build_config")} == {
        k: theirs[k] for k in ("module", "class_name", "build_config")}
    assert [(e["class_name"], e["config"]["name"]) for e in ours["config"]["layers"]] == [
        (e["class_name"], e["config"]["name"]) for e in theirs["config"]["layers"]]
    assert cases.h5_layout(h5py, str(tmp_path / "w.weights.h5")) == cases.h5_layout(
        h5py, str(tmp_path / "k.weights.h5"))
    again = tf.keras.models.load_model(path)
    np.testing.assert_array_equal(again(x).numpy(), model(x).numpy())
    with pytest.raises(ValueError, match="File format not supported"):
        tf.keras.models.load_model(str(tmp_path / "again.zip"))


def test_model_checkpoint_callbacks_write_files_that_load(tmp_path):
    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(2)])
    model.compile(optimizer="adam", loss="mse")
    x, y = np.ones((8, 3), np.float32), np.zeros((8, 2), np.float32)
    model.fit(x, y, epochs=2, verbose=0, callbacks=[
        tf.keras.callbacks.ModelCheckpoint(str(tmp_path / "w.weights.h5"), save_weights_only=True),
        tf.keras.callbacks.ModelCheckpoint(str(tmp_path / "m-{epoch}.keras"))])
    assert sorted(os.listdir(tmp_path)) == ["m-1.keras", "m-2.keras", "w.weights.h5"]
    saved = tf.keras.models.load_model(str(tmp_path / "m-2.keras"))
    plain = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(2)])
    plain.load_weights(str(tmp_path / "w.weights.h5"))  # the optimizer's group is left unused
    for other in (saved, plain):
        for mine, theirs in zip(other.weights, model.weights):
            np.testing.assert_array_equal(mine.numpy(), theirs.numpy())


def test_functional_keras_file_both_ways(tmp_path):
    """A two-input functional model (Dense, Concatenate, Dense) Keras 3 saved: rebuilt from its
    config's inbound nodes, same predictions as Keras; saved by tapeflow, rebuilt the same."""
    model = tf.keras.models.load_model(os.path.join(KERAS, "functional.keras"))
    want = np.load(os.path.join(KERAS, "functional_prediction.npy"))
    np.testing.assert_allclose(model(cases.FUNCTIONAL_X).numpy(), want, rtol=1e-6)
    assert sorted(layer.name for layer in model.layers) == ["a", "b", "cat", "d1", "out"]
    path = str(tmp_path / "f.keras")
    model.save(path)
    again = tf.keras.models.load_model(path)
    np.testing.assert_array_equal(again(cases.FUNCTIONAL_X).numpy(),
                                  model(cases.FUNCTIONAL_X).numpy())
    fresh = cases.functional_model(tf)
    fresh.save(str(tmp_path / "fresh.keras"))
    rebuilt = tf.keras.models.load_model(str(tmp_path / "fresh.keras"))
    np.testing.assert_array_equal(rebuilt(cases.FUNCTIONAL_X).numpy(),
                                  fresh(cases.FUNCTIONAL_X).numpy())
