"""Record what Keras 3 (TF 2.21) computes for the layer features tested by
tests/test_keras_rnn_features.py and tests/test_keras_conv_features.py.

Run with the reference interpreter: /work/tfenv/bin/python tools/record_keras_feature_fixtures.py
Writes tests/fixtures/keras_features/{layers.npz,configs.json}.
"""

import json
import os
import pathlib
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
from tensorflow import keras  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "keras_features"
sys.path.insert(0, str(ROOT / "tests"))
from keras_feature_cases import CONFIG_CASES, CONV_CASES, RNN_CASES, run_case  # noqa: E402

L = keras.layers


def layers():
    """Inputs (``key/x*``), initial states (``key/s*``), random weights (``key/w*``) and Keras's
    outputs (``key/y{call}_{output}``) for every case."""
    rs = np.random.RandomState(1)
    arrays = {}
    for key, case in {**RNN_CASES, **CONV_CASES}.items():
        make, shapes, kwargs, _ = case
        for i, shape in enumerate(shapes):
            arrays[f"{key}/x{i}"] = rs.standard_normal(shape).astype("float32")
        for i, shape in enumerate(kwargs.get("initial_state", [])):
            arrays[f"{key}/s{i}"] = rs.standard_normal(shape).astype("float32")
        probe = make(L)
        probe(*[arrays[f"{key}/x{i}"] for i in range(len(shapes))])
        for i, w in enumerate(probe.weights):
            v = rs.standard_normal(w.shape).astype("float32") * 0.5
            if "variance" in w.path:
                v = np.abs(v) + 0.5
            arrays[f"{key}/w{i}"] = v
        for c, ys in enumerate(run_case(L, case, arrays, key, np)):
            for i, y in enumerate(ys):
                arrays[f"{key}/y{c}_{i}"] = y
    np.savez_compressed(OUT / "layers.npz", **arrays)


def configs():
    return {k: make(L).get_config() for k, make in CONFIG_CASES.items()}


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    layers()
    (OUT / "configs.json").write_text(json.dumps(configs(), indent=1))
