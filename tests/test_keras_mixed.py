"""Keras mixed precision against what Keras 3 on TF 2.21 gives on the same snippets
(tests/keras_mixed_cases.py; tests/fixtures/keras_mixed/cases.json, recorded by
tools/record_keras_mixed_fixtures.py)."""

import json
import pathlib

import numpy as np
import pytest

import keras_mixed_cases as cases
import tapeflow as tf
from tapeflow import keras

FIXTURES = json.loads((pathlib.Path(__file__).parent / "fixtures" / "keras_mixed" /
                       "cases.json").read_text())


def _compare(got, want, where):
    if isinstance(want, dict):
        assert isinstance(got, dict) and sorted(got) == sorted(want), where
        for key in want:
            _compare(got[key], want[key], f"{where}.{key}")
    elif isinstance(want, list) and want and _numeric(want) and _regular(want):
        np.testing.assert_allclose(np.asarray(got, np.float64), np.asarray(want, np.float64),
                                   rtol=4e-3, atol=2e-3, err_msg=where)
    elif isinstance(want, list):
        assert isinstance(got, list | tuple) and len(got) == len(want), (where, got, want)
        for i, (g, w) in enumerate(zip(got, want)):
            _compare(g, w, f"{where}[{i}]")
    elif isinstance(want, float):
        np.testing.assert_allclose(got, want, rtol=4e-3, atol=2e-3, err_msg=where)
    else:
        assert got == want, (where, got, want)


def _regular(x):
    try:
        np.asarray(x, np.float64)
    except ValueError:  # lists of different lengths: compared one by one
        return False
    return True


def _numeric(x):
    if isinstance(x, list):
        return all(_numeric(v) for v in x)
    return isinstance(x, float | int) and not isinstance(x, bool)


@pytest.fixture(autouse=True)
def _global_policy_restored():
    """The cases end with set_global_policy("float32"); the suite's default is no policy set
    (layers then follow floatx)."""
    saved = keras.config._settings["dtype_policy"]
    yield
    keras.config._settings["dtype_policy"] = saved


_NEEDS = {"load_saved": "h5py", "bfloat16_model": "ml_dtypes"}


@pytest.mark.parametrize("case", cases.CASES, ids=lambda c: c.__name__)
def test_case_matches_keras(case):
    if case.__name__ in _NEEDS:
        pytest.importorskip(_NEEDS[case.__name__])
    _compare(cases.run(tf, keras, case), FIXTURES[case.__name__], case.__name__)


def _optimizer_groups(path):
    import io
    import zipfile

    import h5py
    with zipfile.ZipFile(path) as z, h5py.File(io.BytesIO(z.read("model.weights.h5"))) as f:
        found = []
        f.visit(lambda name: found.append(name) if name.startswith("optimizer") else None)
    return found


def test_saved_loss_scale_optimizer_has_keras_layout(tmp_path):
    """A LossScaleOptimizer's variables are saved as Keras saves them: all under optimizer/vars
    and the inner optimizer's again under optimizer/inner_optimizer/vars."""
    pytest.importorskip("h5py")
    cases.make_saved(keras, tmp_path / "m.keras")
    assert _optimizer_groups(tmp_path / "m.keras") == _optimizer_groups(cases.SAVED)
