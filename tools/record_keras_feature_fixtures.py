"""Record what Keras 3 (TF 2.21) computes for the layer features tested by
tests/test_keras_rnn_features.py, tests/test_keras_conv_features.py and tests/test_keras_text.py.

Run with the reference interpreter: /work/tfenv/bin/python tools/record_keras_feature_fixtures.py
Writes tests/fixtures/keras_features/{layers.npz,configs.json,text.json,summaries.json}.
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


def _jsonable(value):
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def _adapt_data(tf, data, kind):
    if kind == "array":
        return np.array(data)[:, None]
    if kind == "dataset":
        return tf.data.Dataset.from_tensor_slices(data).batch(2)
    return data


def text():
    """Vocabulary, outputs (values, dtype, shape) and config of every TEXT_CASES layer, and the
    errors of TEXT_ERRORS."""
    import tensorflow as tf
    from keras_feature_cases import TEXT_CASES, TEXT_ERRORS
    out = {"cases": {}, "errors": {}}
    for key, (cls, kwargs, data, kind, inputs) in TEXT_CASES.items():
        layer = getattr(L, cls)(**kwargs)
        if data is not None:
            layer.adapt(_adapt_data(tf, data, kind))
        results = []
        for x in inputs:
            y = layer(x)
            results.append({"value": _jsonable(y.numpy().tolist()), "dtype": y.dtype.name,
                            "shape": list(y.shape)})
        config = layer.get_config()
        config.pop("name")
        out["cases"][key] = {"vocabulary": _jsonable(layer.get_vocabulary()),
                             "vocabulary_size": layer.vocabulary_size(), "outputs": results,
                             "config": _jsonable(config)}
    for key, (cls, kwargs, data, x) in TEXT_ERRORS.items():
        try:
            layer = getattr(L, cls)(**kwargs)
            if data is not None:
                layer.adapt(data)
            if x is not None:
                layer(x)
        except Exception as e:  # noqa: BLE001 - recording what Keras raises
            out["errors"][key] = [type(e).__name__, str(e)]
    (OUT / "text.json").write_text(json.dumps(out, indent=1, ensure_ascii=False))


def summaries():
    import contextlib
    import io
    from keras_feature_cases import SUMMARY_CASES
    out = {}
    for key, make in SUMMARY_CASES.items():
        keras.backend.clear_session()
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            make(keras).summary()
        out[key] = buf.getvalue()
    (OUT / "summaries.json").write_text(json.dumps(out, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    layers()
    text()
    summaries()
    (OUT / "configs.json").write_text(json.dumps(configs(), indent=1))
