"""The layers of docs/keras-layers-more.md against Keras 3 (tests/fixtures/keras_layers2,
recorded by tools/record_keras_layers2_fixtures.py from tests/keras_layers2_cases.py): outputs,
gradients w.r.t. inputs and weights, weight paths and shapes, configs and their round trip."""

import json
import pathlib

import numpy as np
import pytest

import tapeflow as tf
from keras_layers2_cases import CASES, run

L = tf.keras.layers
HERE = pathlib.Path(__file__).parent / "fixtures" / "keras_layers2"
FIX = np.load(HERE / "layers.npz")
META = json.loads((HERE / "layers.json").read_text())


def _fixture(key):
    return {name.split("/", 1)[1]: FIX[name] for name in FIX.files
            if name.split("/", 1)[0] == key}


def _config(config):
    """A config as JSON would hold it; of an initializer, its class and seed only (Keras 3.15's
    GlorotUniform also lists ``input_axes``/``output_axes``, which tapeflow's initializers do
    not have); of a wrapped layer, its config without its name and ``build_config``."""
    def strip(value):
        if isinstance(value, dict):
            if value.get("module") == "keras.initializers":
                return {"class_name": value["class_name"],
                        "seed": value["config"].get("seed")}
            if value.get("module") == "keras.layers":
                value = {k: v for k, v in value.items() if k != "build_config"}
                value["config"] = {k: v for k, v in value["config"].items() if k != "name"}
            return {k: strip(v) for k, v in value.items()}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value
    return strip(json.loads(json.dumps(config)))


def _path(path):
    parts = path.split("/")
    return len(parts), parts[-1]


@pytest.mark.parametrize("key", sorted(CASES))
def test_matches_keras(key):
    want = _fixture(key)
    weights = [want[f"w{i}"] for i in range(len(META[key]["weights"]))]
    layer, got = run(tf, L, key, weights)
    assert sorted(got) == sorted(want)
    for name, value in want.items():
        assert got[name].shape == value.shape, name
        np.testing.assert_allclose(got[name], value, rtol=2e-5, atol=2e-5, err_msg=name)
    # the paths' layer names hang on the session's counters: their depth and last part
    assert [[_path(w.path), list(w.shape), w.trainable] for w in layer.weights] == \
        [[_path(path), shape, trainable] for path, shape, trainable in META[key]["weights"]]
    config = _config(layer.get_config())
    assert config == {**_config(META[key]["config"]), "name": layer.name}
    again = type(layer).from_config(layer.get_config())
    assert _config(again.get_config()) == config
    from_keras = type(layer).from_config(META[key]["config"])
    assert _config(from_keras.get_config()) == {**config, "name": from_keras.name}
