"""Record what Keras 3 (TF 2.21) computes for the layers tested by tests/test_keras_layers2.py:
per case of tests/keras_layers2_cases.py its weights, outputs and gradients (``layers.npz``,
keys ``case/name``), its config, weight paths and output shape (``layers.json``).

Run with the reference interpreter: /work/tfenv/bin/python tools/record_keras_layers2_fixtures.py
"""

import json
import os
import pathlib
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tensorflow import keras  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "keras_layers2"
sys.path.insert(0, str(ROOT / "tests"))
from keras_layers2_cases import CASES, run  # noqa: E402


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def main():
    arrays, meta = {}, {}
    for key in CASES:
        layer, out = run(tf, keras.layers, key)
        arrays.update({f"{key}/{name}": value for name, value in out.items()})
        meta[key] = {"config": _jsonable(layer.get_config()),
                     "weights": [[w.path, list(w.shape), bool(w.trainable)]
                                 for w in layer.weights]}
    OUT.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(OUT / "layers.npz", **arrays)
    (OUT / "layers.json").write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
