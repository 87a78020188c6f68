"""Record what Keras 3 (TF 2.21) prints and computes, for tapeflow's Keras tests.

Run with the reference interpreter: /work/tfenv/bin/python tools/record_keras_fixtures.py
Writes tests/fixtures/keras/{summaries.json,progbar.json,layers.npz}.
"""

import contextlib
import functools
import io
import json
import os
import pathlib
import re
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
from tensorflow import keras  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "keras"
L = keras.layers


def captured(fn):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        fn()
    return buf.getvalue()


def summaries():
    sys.path.insert(0, str(OUT.parent.parent))
    from keras_summary_cases import CASES
    out = {}
    for name, build in CASES.items():
        keras.backend.clear_session()
        out[name] = captured(build(keras).summary)
    (OUT / "summaries.json").write_text(json.dumps(out, indent=1, ensure_ascii=False))


def _norm(text):
    text = re.sub(r"\d+(\.\d+)?(ms|s|us)(/step)?", lambda m: "T" + (m.group(3) or ""), text)
    text = re.sub(r"ETA: \S+", "ETA: T", text)
    return text


def progbar():
    out = {}
    keras.utils.set_random_seed(0)
    x = np.random.RandomState(0).rand(100, 4).astype("float32")
    y = (x.sum(1) > 2).astype("float32")
    for verbose in (1, 2):
        keras.backend.clear_session()
        m = keras.Sequential([keras.Input((4,)), L.Dense(1, activation="sigmoid")])
        m.set_weights([np.array([[0.5], [-0.25], [0.75], [-1.0]], "float32"),
                       np.array([0.1], "float32")])
        m.compile("sgd", "binary_crossentropy", metrics=["accuracy"])
        fit = functools.partial(m.fit, x, y, batch_size=32, epochs=2, verbose=verbose,
                                validation_split=0.2, shuffle=False)
        out[f"fit{verbose}"] = _norm(captured(fit))
        out[f"evaluate{verbose}"] = _norm(captured(functools.partial(
            m.evaluate, x, y, batch_size=50, verbose=verbose)))
        out[f"predict{verbose}"] = _norm(captured(functools.partial(
            m.predict, x, batch_size=50, verbose=verbose)))

    def bar():
        p = keras.utils.Progbar(5, stateful_metrics=["acc"])
        for i in range(5):
            p.update(i + 1, values=[("loss", 1.0 / (i + 1)), ("acc", 0.5)])
    out["progbar"] = _norm(captured(bar))
    (OUT / "progbar.json").write_text(json.dumps(out, indent=1, ensure_ascii=False))


def layers():
    """Forward values of layers given the same (seeded) weights and inputs."""
    rs = np.random.RandomState(0)
    arrays = {}

    def record(key, layer, x, **call_kw):
        xs = x if isinstance(x, list) else [x]
        out = layer(xs if isinstance(x, list) else x, **call_kw)
        ws = []
        for w in layer.weights:
            v = rs.standard_normal(w.shape).astype("float32") * 0.5
            if "variance" in w.path:
                v = np.abs(v) + 0.5
            w.assign(v)
            ws.append(v)
        out = layer(xs if isinstance(x, list) else x, **call_kw)
        for i, a in enumerate(xs):
            arrays[f"{key}/x{i}"] = np.asarray(a)
        for i, w in enumerate(ws):
            arrays[f"{key}/w{i}"] = w
        arrays[f"{key}/y"] = np.asarray(out)

    def x(*shape):
        return rs.standard_normal(shape).astype("float32")

    record("dense", L.Dense(3, activation="relu"), x(4, 5))
    record("dense3d", L.Dense(3), x(2, 4, 5))
    record("conv2d_valid", L.Conv2D(4, 3), x(2, 7, 7, 3))
    record("conv2d_same_s2", L.Conv2D(4, (3, 2), strides=2, padding="same"), x(2, 7, 8, 3))
    record("maxpool", L.MaxPooling2D(), x(2, 7, 7, 3))
    record("maxpool_same", L.MaxPooling2D(3, strides=2, padding="same"), x(2, 7, 7, 3))
    record("avgpool", L.AveragePooling2D(2), x(2, 6, 6, 3))
    record("gap", L.GlobalAveragePooling2D(), x(2, 5, 5, 3))
    record("conv1d", L.Conv1D(3, 2), x(2, 6, 4))
    record("conv2dT", L.Conv2DTranspose(2, 3, strides=2), x(1, 4, 4, 3))
    record("depthwise", L.DepthwiseConv2D(3, depth_multiplier=2), x(1, 5, 5, 2))
    record("separable", L.SeparableConv2D(4, 3), x(1, 5, 5, 2))
    record("einsum", L.EinsumDense("ab,bc->ac", output_shape=4, bias_axes="c"), x(3, 5))
    record("gn", L.GroupNormalization(2), x(2, 4, 4))
    record("un", L.UnitNormalization(), x(2, 4))
    record("prelu", L.PReLU(), x(2, 4))
    record("dot", L.Dot(axes=1), [x(2, 3), x(2, 3)])
    record("upsample", L.UpSampling2D(), x(1, 2, 2, 1))
    record("zeropad", L.ZeroPadding2D(1), x(1, 2, 2, 1))
    record("crop", L.Cropping2D(1), x(1, 4, 4, 1))
    record("permute", L.Permute((2, 1)), x(2, 3, 4))
    record("repeat", L.RepeatVector(3), x(2, 4))
    record("simple_rnn", L.SimpleRNN(3), x(2, 4, 5))
    record("lstm_seq", L.LSTM(3, return_sequences=True), x(2, 4, 5))
    record("gru_state", L.GRU(3, return_state=True), x(2, 4, 5))
    record("gru_noreset", L.GRU(3, reset_after=False), x(2, 4, 5))
    record("bilstm", L.Bidirectional(L.LSTM(2, return_sequences=True)), x(2, 4, 5))
    record("timedist", L.TimeDistributed(L.Dense(3)), x(2, 4, 5))
    record("attention", L.Attention(), [x(2, 3, 4), x(2, 5, 4)])
    mha = L.MultiHeadAttention(num_heads=2, key_dim=3)
    q, v = x(2, 3, 4), x(2, 5, 6)
    mha(q, v)
    ws = []
    for w in mha.weights:
        ws.append(rs.standard_normal(w.shape).astype("float32") * 0.5)
        w.assign(ws[-1])
    for i, w in enumerate(ws):
        arrays[f"mha/w{i}"] = w
    arrays["mha/x0"], arrays["mha/x1"] = q, v
    arrays["mha/y"] = np.asarray(mha(q, v))
    emb = keras.Sequential([L.Embedding(10, 4, mask_zero=True), L.LSTM(3)])
    ids = np.array([[1, 2, 0, 0], [3, 4, 5, 6]])
    emb(ids)
    ws = [rs.standard_normal(w.shape).astype("float32") * 0.5 for w in emb.weights]
    emb.set_weights(ws)
    for i, w in enumerate(ws):
        arrays[f"masked_lstm/w{i}"] = w
    arrays["masked_lstm/x0"] = ids
    arrays["masked_lstm/y"] = np.asarray(emb(ids))
    record("gmp", L.GlobalMaxPooling2D(), x(2, 5, 5, 3))
    record("bn_infer", L.BatchNormalization(), x(6, 4))
    record("bn_train", L.BatchNormalization(), x(6, 4), training=True)
    record("ln", L.LayerNormalization(), x(3, 5))
    record("emb", L.Embedding(10, 3), np.array([[1, 2, 9], [0, 0, 4]]))
    record("flatten", L.Flatten(), x(2, 3, 4))
    record("reshape", L.Reshape((4, 3)), x(2, 3, 4))
    record("add", L.Add(), [x(2, 3), x(2, 3), x(2, 3)])
    record("subtract", L.Subtract(), [x(2, 3), x(2, 3)])
    record("multiply", L.Multiply(), [x(2, 3), x(2, 3)])
    record("average", L.Average(), [x(2, 3), x(2, 3)])
    record("maximum", L.Maximum(), [x(2, 3), x(2, 3)])
    record("minimum", L.Minimum(), [x(2, 3), x(2, 3)])
    record("concat", L.Concatenate(axis=1), [x(2, 3), x(2, 2)])
    record("rescaling", L.Rescaling(1 / 255.0, offset=-1), x(2, 3))
    norm = L.Normalization()
    data = x(20, 3) * 3 + 1
    norm.adapt(data)
    arrays["normalization/data"] = data
    arrays["normalization/x"] = x(4, 3)
    arrays["normalization/y"] = np.asarray(norm(arrays["normalization/x"]))
    np.savez_compressed(OUT / "layers.npz", **arrays)


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    summaries()
    progbar()
    layers()
