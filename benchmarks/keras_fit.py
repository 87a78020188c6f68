"""Keras ``fit`` and ``predict`` of the MLP 784-512-512-10 beside a hand-written NumPy floor.

    python benchmarks/keras_fit.py                      # tapeflow and the NumPy floor
    python benchmarks/keras_fit.py --peer /path/python  # also Keras 3 on TensorFlow there
    python benchmarks/keras_fit.py --torch /path/python # also PyTorch's CNN step

fit: one epoch over 60,000 synthetic examples, batch 256, Adam, sparse categorical
cross-entropy, shuffled. predict: 10,000 examples at Keras's default batch of 32. The floor does
the same work (shuffle, batches, forward, backward, Adam) in NumPy with no framework around it.
conv: tf.nn.conv2d 3x3, 1 -> 32 channels on 128 28x28 images, forward and both gradients, beside
a patch-matrix (im2col) floor. cnn: one train_on_batch of Conv2D(32, 3x3) + MaxPool + Dense(10),
batch 128.
Each measurement runs in its own process on one thread and counts the CPU time it used (so a
busy shared machine distorts it less); the best of ``--repeat`` runs is kept.
tapeflow's fit and predict are timed beside the floor, alternating, in the same process.
``--openblas-core`` chooses NumPy's OpenBLAS kernel family (see blas_core.py): the environment's
by default, ``auto`` for the one OpenBLAS detects. Results go to benchmarks/results/keras_fit.json.
"""

import argparse
import json
import os
import pathlib
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from blas_core import active_core, with_blas  # noqa: E402

N_FIT, N_PREDICT, BATCH, SIZES = 60_000, 10_000, 256, (784, 512, 512, 10)
_clock = time.process_time  # CPU seconds: a busy neighbour on a shared machine does not count
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
        t0 = _clock()
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
        return _clock() - t0
    x, y = _data(N_FIT)
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    bufs, dens = [np.empty_like(p) for p in params], [np.empty_like(p) for p in params]
    lr, b1, b2, eps = np.float32(1e-3), np.float32(0.9), np.float32(0.999), np.float32(1e-7)
    t0 = _clock()
    order = np.random.permutation(N_FIT)
    for step, i in enumerate(range(0, N_FIT, BATCH), 1):
        idx = order[i:i + BATCH]
        xb, yb = x[idx], y[idx]
        rows = np.arange(len(yb))
        w1, c1, w2, c2, w3, c3 = params
        z1 = xb @ w1
        z1 += c1
        h1 = np.maximum(z1, 0)
        z2 = h1 @ w2
        z2 += c2
        h2 = np.maximum(z2, 0)
        z3 = h2 @ w3
        z3 += c3
        z3 -= z3.max(axis=1, keepdims=True)
        p = np.exp(z3)
        p /= p.sum(axis=1, keepdims=True)
        float(-np.log(p[rows, yb]).mean())
        d = p
        d[rows, yb] -= 1
        d /= np.float32(len(yb))
        grads = [None] * 6
        grads[4], grads[5] = h2.T @ d, d.sum(0)
        d = d @ w3.T
        d *= z2 > 0
        grads[2], grads[3] = h1.T @ d, d.sum(0)
        d = d @ w2.T
        d *= z1 > 0
        grads[0], grads[1] = xb.T @ d, d.sum(0)
        alpha = lr * np.sqrt(1 - b2 ** step) / (1 - b1 ** step)
        for p_, g, m_, v_, buf, den in zip(params, grads, m, v, bufs, dens):
            np.subtract(g, m_, out=buf)
            buf *= 1 - b1
            m_ += buf
            np.multiply(g, g, out=buf)
            buf -= v_
            buf *= 1 - b2
            v_ += buf
            np.multiply(m_, alpha, out=buf)
            np.sqrt(v_, out=den)
            den += eps
            buf /= den
            p_ -= buf
    return _clock() - t0


CNN_BATCH = 128


def _images():
    import numpy as np
    rng = np.random.default_rng(2)
    return (rng.standard_normal((CNN_BATCH, 28, 28, 1)).astype(np.float32),
            rng.integers(0, 10, CNN_BATCH), rng.standard_normal((3, 3, 1, 32)).astype(np.float32))


def _per_call(fn, n=20):
    fn()
    t0 = _clock()
    for _ in range(n):
        fn()
    return (_clock() - t0) / n


def conv_floor():
    """Conv2D 3x3 (1 -> 32 channels, VALID) forward and both gradients: the patches as nine
    rows (one slice copy per kernel tap; for one channel that beats copying a strided window
    view, which moves one element at a time), shared by the forward and the filter gradient, one
    BLAS product each, the input gradient folded back with nine slice additions."""
    import numpy as np
    x, _, w = _images()
    n, h, wd, c = x.shape
    oh, ow = h - 2, wd - 2
    dy = np.ones((n, oh, ow, 32), np.float32)

    def step():
        rows = np.empty((9, n, oh, ow), np.float32)
        for t in range(9):
            rows[t] = x[:, t // 3:t // 3 + oh, t % 3:t % 3 + ow, 0]
        rows = rows.reshape(9, -1)
        y = rows.T @ w.reshape(9 * c, 32)
        g = dy.reshape(-1, 32)
        dw = rows @ g
        dcols = (g @ w.reshape(9 * c, 32).T).reshape(n, oh, ow, 3, 3, c)
        dx = np.zeros_like(x)
        for i in range(3):
            for j in range(3):
                dx[:, i:i + oh, j:j + ow] += dcols[:, :, :, i, j]
        return y, dw, dx
    return _per_call(step)


def conv_framework(module):
    import importlib
    tf = importlib.import_module(module)
    x, _, w = _images()
    x, w = tf.constant(x), tf.Variable(w)

    def step():
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.nn.conv2d(x, w, 1, "VALID")
        return tape.gradient(y, [x, w])
    return _per_call(step)


def cnn_step(module):
    """One training step (train_on_batch) of Conv2D(32, 3x3) + MaxPool + Dense(10)."""
    import importlib
    tf = importlib.import_module(module)
    keras = tf.keras
    x, y, _ = _images()
    model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(32, 3,
                              activation="relu"), keras.layers.MaxPooling2D(),
                              keras.layers.Flatten(), keras.layers.Dense(10)])
    model.compile(keras.optimizers.Adam(1e-3),
                  keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return _per_call(lambda: model.train_on_batch(x, y))


def cnn_torch():
    """The same CNN training step in PyTorch (Adam, cross-entropy from logits), NHWC data
    moved to PyTorch's NCHW once."""
    import torch
    torch.set_num_threads(1)
    x, y, _ = _images()
    x, y = torch.from_numpy(x.transpose(0, 3, 1, 2).copy()), torch.from_numpy(y)
    model = torch.nn.Sequential(torch.nn.Conv2d(1, 32, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
                                torch.nn.Flatten(), torch.nn.Linear(32 * 13 * 13, 10))
    opt = torch.optim.Adam(model.parameters(), 1e-3)

    def step():
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
    return _per_call(step)


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
        t0 = _clock()
        model.predict(x, verbose=0)
        return _clock() - t0
    x, y = _data(N_FIT)
    model.compile(keras.optimizers.Adam(1e-3), "sparse_categorical_crossentropy")
    model.fit(x[:512], y[:512], batch_size=BATCH, epochs=1, verbose=0)  # warm up / trace
    t0 = _clock()
    model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0)
    np.float32(0)
    return _clock() - t0


def run(python, who, kind, repeat, core=""):
    """Best of ``repeat`` processes (a pair, framework and floor, for tapeflow's fit/predict)."""
    env = with_blas(dict(os.environ, **ONE_THREAD), core)
    best = None
    for _ in range(repeat):
        out = subprocess.run([python, __file__, "--one", who, kind], capture_output=True,
                             text=True, env=env, timeout=900)
        if out.returncode:
            return {"error": (out.stderr.strip().splitlines() or ["failed"])[-1]}
        values = [float(v) for v in out.stdout.strip().splitlines()[-1].split()]
        best = values if best is None else [min(a, b) for a, b in zip(best, values)]
    return best if len(best) > 1 else best[0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--one", nargs=2)
    parser.add_argument("--peer", help="an interpreter with TensorFlow (Keras 3)")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--torch", help="an interpreter with PyTorch (the CNN step)")
    parser.add_argument("--only", choices=["fit", "predict", "conv", "cnn"])
    parser.add_argument("--openblas-core", default="",
                        help="OPENBLAS_CORETYPE for the NumPy processes ('auto': detect)")
    args = parser.parse_args()
    if args.one:
        who, kind = args.one
        if kind == "conv":
            print(conv_floor() if who == "numpy" else conv_framework(who))
        elif kind == "cnn":
            print(cnn_torch() if who == "torch" else cnn_step(who))
        elif who == "tapeflow":  # beside the floor, alternating in this process
            pairs = [(framework(kind, who), floor(kind)) for _ in range(2)]
            print(min(a for a, _ in pairs), min(b for _, b in pairs))
        else:
            print(floor(kind) if who == "numpy" else framework(kind, who))
        return
    results = {"openblas_core": active_core(core=args.openblas_core)}
    print("OpenBLAS kernels:", results["openblas_core"])
    for kind in ("fit", "predict", "conv", "cnn"):
        if args.only and kind != args.only:
            continue
        core = args.openblas_core
        row = {"tapeflow": run(sys.executable, "tapeflow", kind, args.repeat, core)}
        if kind in ("fit", "predict"):
            row["tapeflow"], row["numpy"] = row["tapeflow"]
        elif kind == "conv":
            row["numpy"] = run(sys.executable, "numpy", kind, args.repeat, core)
        if "numpy" in row:
            row["tapeflow_over_floor"] = row["tapeflow"] / row["numpy"]
        if args.peer:
            row["keras_tf"] = run(args.peer, "tensorflow", kind, args.repeat)
        if args.torch and kind == "cnn":
            row["torch"] = run(args.torch, "torch", kind, args.repeat)
        results[kind] = row
        print(kind, json.dumps(row))
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "keras_fit.json").write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
