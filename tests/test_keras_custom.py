"""Custom layers and subclassed models in ``.keras`` files, as Keras 3 writes them: files Keras 3
(TF 2.21) saved load into the same classes defined with tapeflow, and tapeflow writes the same
config and weights layout; configs, errors and warnings are Keras's (recorded by
tools/record_keras_custom_fixtures.py)."""

import io
import json
import os
import zipfile

import numpy as np
import pytest

h5py = pytest.importorskip("h5py")

import tapeflow as tf  # noqa: E402
import keras_custom_cases as cases  # noqa: E402

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures", "keras_custom")
EXPECTED = np.load(os.path.join(FIXTURES, "expected.npz"))
cases.classes(tf.keras)  # defined (and registered) before any file is loaded, as users do


@pytest.fixture(autouse=True)
def fresh_names():
    """Automatic names (``dense_1``, ``adam``) as in the fresh process that recorded Keras's."""
    tf.keras.backend.clear_session()


def _parts(path):
    """(config.json as a dict, the weights file's layout) of a .keras file."""
    with zipfile.ZipFile(path) as z:
        document = json.loads(z.read("config.json"))
        weights = z.read("model.weights.h5")
    layout = []
    with h5py.File(io.BytesIO(weights), "r") as f:
        f.visititems(lambda name, obj: layout.append(
            [name, dict(obj.attrs), getattr(obj, "shape", None)]))
    return document, layout


def _without_object_ids(value):
    """Keras marks a dtype policy object it meets twice with ``shared_object_id``."""
    if isinstance(value, dict):
        return {k: _without_object_ids(v) for k, v in value.items() if k != "shared_object_id"}
    if isinstance(value, list):
        return [_without_object_ids(v) for v in value]
    return value


def test_subclassed_model_from_keras_loads_and_saves_back(tmp_path):
    net = tf.keras.models.load_model(os.path.join(FIXTURES, "net.keras"))
    assert type(net) is cases.classes(tf.keras)["Net"] and net.units == 5
    np.testing.assert_allclose(net(cases.X).numpy(), EXPECTED["net"], rtol=1e-6)
    # compile_config compiled it again and its Adam state was restored by path
    assert type(net.optimizer).__name__ == "Adam" and net.loss == "mse"
    for i, var in enumerate(net.optimizer.variables):
        np.testing.assert_array_equal(var.numpy(), EXPECTED[f"optimizer_{i}"])

    path = str(tmp_path / "again.keras")
    net.save(path)
    ours, theirs = _parts(path), _parts(os.path.join(FIXTURES, "net.keras"))
    assert ours == theirs  # the same config.json and weight groups, names and shapes
    again = tf.keras.models.load_model(path)
    np.testing.assert_array_equal(again(cases.X).numpy(), net(cases.X).numpy())


def test_subclassed_model_made_by_tapeflow_round_trips(tmp_path):
    net = cases.trained_net(tf.keras)
    path = str(tmp_path / "net.keras")
    net.save(path)
    document, layout = _parts(path)
    keras_document, keras_layout = _parts(os.path.join(FIXTURES, "net.keras"))
    assert document == keras_document  # the same model: Keras would read this file as its own
    assert [row[0] for row in layout] == [row[0] for row in keras_layout]
    loaded = tf.keras.models.load_model(path, compile=False)
    assert loaded.optimizer is None
    np.testing.assert_array_equal(loaded(cases.X).numpy(), net(cases.X).numpy())


def test_sequential_with_registered_custom_layer(tmp_path):
    model = tf.keras.models.load_model(os.path.join(FIXTURES, "seq.keras"))
    assert [type(layer).__name__ for layer in model.layers] == ["Dense", "Scale"]
    np.testing.assert_allclose(model(cases.X).numpy(), EXPECTED["seq"], rtol=1e-6)
    path = str(tmp_path / "seq.keras")
    cases.sequential_with_custom_layer(tf.keras).save(path)
    ours = _parts(path)[0]["config"]["layers"][2]
    theirs = _parts(os.path.join(FIXTURES, "seq.keras"))[0]["config"]["layers"][2]
    keys = ("module", "class_name", "registered_name", "build_config")
    assert {k: ours[k] for k in keys} == {k: theirs[k] for k in keys}
    assert _without_object_ids(ours["config"]) == dict(
        _without_object_ids(theirs["config"]), name=ours["config"]["name"])
    np.testing.assert_array_equal(tf.keras.models.load_model(path)(cases.X).numpy(),
                                  EXPECTED["seq"])


def test_configs_errors_and_warnings_are_keras(tmp_path):
    with open(os.path.join(FIXTURES, "texts.json")) as f:
        theirs = json.load(f)
    ours = json.loads(json.dumps(cases.texts(tf.keras, str(tmp_path))))
    assert ours.keys() == theirs.keys()
    for key in theirs:
        assert ours[key] == theirs[key], key


def test_custom_object_scope_replaces_and_restores():
    c = cases.classes(tf.keras)
    with tf.keras.utils.custom_object_scope({"A": c["Plain"]}):
        assert tf.keras.utils.get_registered_object("A") is c["Plain"]
        with tf.keras.utils.CustomObjectScope({"B": c["Auto"]}):
            assert tf.keras.utils.get_registered_object("A") is None
        assert tf.keras.utils.get_registered_object("A") is c["Plain"]
    assert tf.keras.utils.get_registered_object("A") is None
    assert tf.keras.utils.get_custom_objects()["Demo>Net"] is c["Net"]



def test_functional_model_with_custom_layer_both_ways(tmp_path):
    model = tf.keras.models.load_model(os.path.join(FIXTURES, "functional.keras"))
    assert [type(layer).__name__ for layer in model.layers] == [
        "InputLayer", "Dense", "Scale", "Add"]
    np.testing.assert_allclose(model(cases.X).numpy(), EXPECTED["functional"], rtol=1e-6)
    path = str(tmp_path / "fn.keras")
    cases.functional_with_custom_layer(tf.keras).save(path)
    ours, _ = _parts(path)
    theirs, _ = _parts(os.path.join(FIXTURES, "functional.keras"))
    mine = {e["name"]: e for e in ours["config"]["layers"]}
    scale = _without_object_ids(theirs["config"]["layers"][2])
    keys = ("module", "class_name", "registered_name", "config", "build_config",
            "inbound_nodes")
    assert {k: mine["s"][k] for k in keys} == {k: scale[k] for k in keys}
    # every layer's build_config (absent for the input layer) as Keras writes it
    assert [e.get("build_config") for e in ours["config"]["layers"]] == [
        e.get("build_config") for e in theirs["config"]["layers"]]
    np.testing.assert_allclose(tf.keras.models.load_model(path)(cases.X).numpy(),
                               EXPECTED["functional"], rtol=1e-6)


def test_nested_custom_blocks_and_own_build_both_ways(tmp_path):
    """Custom blocks in a list holding layers in a dict, a model whose own build adds a weight
    and calls super().build: Keras's file loads (the build builds the blocks symbolically), and
    tapeflow writes the same config and weights layout."""
    deep = tf.keras.models.load_model(os.path.join(FIXTURES, "deep.keras"))
    np.testing.assert_allclose(deep(cases.X).numpy(), EXPECTED["deep"], rtol=1e-6)
    path = str(tmp_path / "deep.keras")
    tf.keras.backend.clear_session()
    cases.deep_model(tf.keras).save(path)
    assert _parts(path) == _parts(os.path.join(FIXTURES, "deep.keras"))
