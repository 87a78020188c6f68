"""Keras ``fit`` and ``predict`` of the MLP 784-512-512-10 beside a hand-written NumPy floor.

    python benchmarks/keras_fit.py                      # tapeflow and the NumPy floor
    python benchmarks/keras_fit.py --peer /path/python  # also Keras 3 on TensorFlow there

fit: one epoch over 60,000 synthetic examples, batch 256, Adam, sparse categorical
cross-entropy, shuffled. predict: 10,000 examples at Keras's default batch of 32. The floor does
the same work (shuffle, batches, forward, backward, Adam) in NumPy with no framework around it.
Each measurement runs in its own process on one thread; the best of ``--repeat`` runs is kept.
Results go to benchmarks/results/keras_fit.json.
"""

import argparse
import json
import os
import pathlib
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
N_FIT, N_PREDICT, BATCH, SIZES = 60_000, 10_000, 256, (784, 512, 512, 10)
ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
              "TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1",
              "TF_CPP_MIN_LOG_LEVEL": "3"}


def _data(n):
    import numpy as np
    rng = np.random.default_rng(0)
    return (rng.standard_normal((n, SIZES[0])).astype(np.float32),
            rng.integers(0, SIZES[-1], n).astype(np.int64))


def _params():
    import numpy as np
    rng = np.random.default_rng(1)
    out = []
    for a, b in zip(SIZES[:-1], SIZES[1:]):
        out += [(rng.uniform(-1, 1, (a, b)) * np.sqrt(6 / (a + b))).astype(np.float32),
                np.zeros(b, np.float32)]
    return out


def floor(kind):
    import numpy as np
    params = _params()
    if kind == "predict":
        x, _ = _data(N_PREDICT)
        t0 = time.perf_counter()
        outs = []
        for i in range(0, N_PREDICT, 32):
            h = x[i:i + 32]
            for j in range(0, 6, 2):
                h = h @ params[j] + params[j + 1]
                if j < 4:
                    h = np.maximum(h, 0)
            e = np.exp(h - h.max(axis=1, keepdims=True))
            outs.append(e / e.sum(axis=1, keepdims=True))
        np.concatenate(outs)
        return time.perf_counter() - t0
    x, y = _data(N_FIT)
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    lr, b1, b2, eps = np.float32(1e-3), np.float32(0.9), np.float32(0.999), np.float32(1e-7)
    t0 = time.perf_counter()
    order = np.random.permutation(N_FIT)
    for step, i in enumerate(range(0, N_FIT, BATCH), 1):
        idx = order[i:i + BATCH]
        xb, yb = x[idx], y[idx]
        w1, c1, w2, c2, w3, c3 = params
        z1 = xb @ w1 + c1
        h1 = np.maximum(z1, 0)
        z2 = h1 @ w2 + c2
        h2 = np.maximum(z2, 0)
        z3 = h2 @ w3 + c3
        e = np.exp(z3 - z3.max(axis=1, keepdims=True))
        p = e / e.sum(axis=1, keepdims=True)
        float(-np.log(p[np.arange(len(yb)), yb]).mean())
        d = p
        d[np.arange(len(yb)), yb] -= 1
        d /= np.float32(len(yb))
        grads = [None] * 6
        grads[4], grads[5] = h2.T @ d, d.sum(0)
        d = (d @ w3.T) * (z2 > 0)
        grads[2], grads[3] = h1.T @ d, d.sum(0)
        d = (d @ w2.T) * (z1 > 0)
        grads[0], grads[1] = xb.T @ d, d.sum(0)
        alpha = lr * np.sqrt(1 - b2 ** step) / (1 - b1 ** step)
        for p_, g, m_, v_ in zip(params, grads, m, v):
            m_ += (g - m_) * (1 - b1)
            v_ += (g * g - v_) * (1 - b2)
            p_ -= alpha * m_ / (np.sqrt(v_) + eps)
    return time.perf_counter() - t0


def framework(kind, module):
    import importlib

    import numpy as np
    tf = importlib.import_module(module)
    keras = tf.keras
    model = keras.Sequential([keras.Input((SIZES[0],))] + [
        keras.layers.Dense(n, activation="relu") for n in SIZES[1:-1]] + [
        keras.layers.Dense(SIZES[-1], activation="softmax")])
    model.set_weights(_params())
    if kind == "predict":
        x, _ = _data(N_PREDICT)
        model.predict(x[:64], verbose=0)  # warm up
        t0 = time.perf_counter()
        model.predict(x, verbose=0)
        return time.perf_counter() - t0
    x, y = _data(N_FIT)
    model.compile(keras.optimizers.Adam(1e-3), "sparse_categorical_crossentropy")
    model.fit(x[:512], y[:512], batch_size=BATCH, epochs=1, verbose=0)  # warm up / trace
    t0 = time.perf_counter()
    model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0)
    np.float32(0)
    return time.perf_counter() - t0


def run(python, who, kind, repeat):
    env = dict(os.environ, **ONE_THREAD)
    best = None
    for _ in range(repeat):
        out = subprocess.run([python, __file__, "--one", who, kind], capture_output=True,
                             text=True, env=env, timeout=900)
        if out.returncode:
            return {"error": (out.stderr.strip().splitlines() or ["failed"])[-1]}
        value = float(out.stdout.strip().splitlines()[-1])
        best = value if best is None else min(best, value)
    return best


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--one", nargs=2)
    parser.add_argument("--peer", help="an interpreter with TensorFlow (Keras 3)")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--only", choices=["fit", "predict"])
    args = parser.parse_args()
    if args.one:
        who, kind = args.one
        print(floor(kind) if who == "numpy" else framework(kind, who))
        return
    results = {}
    for kind in ("fit", "predict"):
        if args.only and kind != args.only:
            continue
        row = {"numpy": run(sys.executable, "numpy", kind, args.repeat),
               "tapeflow": run(sys.executable, "tapeflow", kind, args.repeat)}
        if args.peer:
            row["keras_tf"] = run(args.peer, "tensorflow", kind, args.repeat)
        row["tapeflow_over_floor"] = row["tapeflow"] / row["numpy"]
        results[kind] = row
        print(kind, json.dumps(row))
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "keras_fit.json").write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
