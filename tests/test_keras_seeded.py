"""Seeded Keras against TF 2.21 / Keras 3 (tests/keras_seeded_cases.py, recorded by
tools/record_keras_seeded_fixtures.py): after ``keras.utils.set_random_seed`` a model's initial
weights, its dropout and noise during ``fit`` (eager and traced), and the scikit-learn wrappers
trained on it are TF's, to float32 rounding."""

import json
import pathlib

import numpy as np
import pytest

import tapeflow as tf
from keras_seeded_cases import CASES

FIXTURES = json.loads((pathlib.Path(__file__).parent / "fixtures/keras_seeded/cases.json")
                      .read_text())


def same(got, want, path=""):
    if isinstance(want, float):
        np.testing.assert_allclose(got, want, rtol=2e-6, atol=1e-7, err_msg=path)
    elif isinstance(want, list):
        assert isinstance(got, list | tuple) and len(got) == len(want), (path, got, want)
        for i, (g, w) in enumerate(zip(got, want)):
            same(g, w, f"{path}[{i}]")
    elif isinstance(want, dict):
        assert set(got) == set(want), (path, got, want)
        for key in want:
            same(got[key], want[key], f"{path}.{key}")
    else:
        assert got == want, (path, got, want)


@pytest.mark.parametrize("name", sorted(CASES))
def test_seeded_keras_as_tensorflow(name):
    if name == "sklearn_wrappers":
        pytest.importorskip("sklearn")
    same(json.loads(json.dumps(CASES[name](tf.keras))), FIXTURES[name], name)


def test_unseeded_initializer_keeps_none_in_its_config_and_draws_once():
    tf.keras.utils.set_random_seed(4)
    init = tf.keras.initializers.GlorotUniform()
    assert init.get_config()["seed"] is None
    np.testing.assert_array_equal(init((2, 2)), init((2, 2)))  # stateless, as Keras's
    with pytest.raises(ValueError, match="seed"):
        tf.keras.initializers.GlorotUniform(seed="x")


def test_wrappers_load_scikit_learn_only_when_used():
    import subprocess
    import sys
    code = ("import sys, tapeflow as tf; tf.keras.wrappers; "
            "assert 'sklearn' not in sys.modules; "
            "tf.keras.wrappers.SKLearnRegressor; assert 'sklearn' in sys.modules")
    pytest.importorskip("sklearn")
    subprocess.run([sys.executable, "-c", code], check=True)
