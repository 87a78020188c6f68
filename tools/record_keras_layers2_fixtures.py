"""Record what Keras 3 (TF 2.21) computes for the layers tested by tests/test_keras_layers2.py:
per case of tests/keras_layers2_cases.py its weights, outputs and gradients (``layers.npz``,
keys ``case/name``), its config, weight paths and computed output shape (``layers.json``); the
errors of ERRORS (``errors.json``); per model of MODELS its ``summary()`` text, its predictions
(``models.json``/``models.npz``) and the model itself (``<name>.keras``).

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
from keras_layers2_cases import CASES, ERRORS, MODELS, error_of, inputs, run  # noqa: E402


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
    errors = {key: error_of(keras.layers, key) for key in ERRORS}
    (OUT / "errors.json").write_text(json.dumps(errors, indent=1, sort_keys=True) + "\n")
    models()


def models():
    import contextlib
    import io
    out, arrays = {}, {}
    for key, (make, shape) in MODELS.items():
        keras.backend.clear_session()
        model = make(keras)
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            model.summary()
        rs = np.random.RandomState(7)
        model.set_weights([(rs.standard_normal(w.shape) * 0.5).astype("float32")
                           for w in model.get_weights()])
        x = inputs(key, [shape])[0]
        ys = model.predict(x, verbose=0)
        ys = ys if isinstance(ys, list) else [ys]
        arrays[f"{key}/x"] = x
        for i, y in enumerate(ys):
            arrays[f"{key}/y{i}"] = y
        out[key] = {"summary": buf.getvalue()}
        model.save(OUT / f"{key}.keras")
    (OUT / "models.json").write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
    np.savez_compressed(OUT / "models.npz", **arrays)


if __name__ == "__main__":
    main()
