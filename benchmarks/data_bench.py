"""tf.data benchmarks beside TensorFlow's and a hand-written NumPy floor (one run each).

    python benchmarks/data_bench.py [--tf PYTHON] [--out FILE]

1. Pipeline overhead: seconds per element of ``range(10**6).map(f).batch(256)`` with a trivial
   ``f`` (``x * 2``), iterated to the end: tapeflow and TF.
2. An epoch of the MLP 784-512-512-10 (batch 256, Adam 1e-3, softmax cross-entropy) over
   60,000 synthetic examples fed by ``from_tensor_slices(...).shuffle(60000).batch(256)
   .prefetch(AUTOTUNE)``: tapeflow, TF eager (the same code) and the NumPy floor (the same
   forward, hand-written backward and Adam, batches by a permutation of indices).

Each measurement runs in its own process with one BLAS/TF compute thread (as benchmarks/run.py
does); an epoch is timed after one warm-up epoch; medians of 3.
"""

import argparse
import importlib
import json
import os
import pathlib
import statistics
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
              "TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1",
              "TF_CPP_MIN_LOG_LEVEL": "3"}
N, SIZES, BATCH, LR = 60_000, (784, 512, 512, 10), 256, 1e-3


def data():
    import numpy as np
    rng = np.random.default_rng(0)
    x = rng.standard_normal((N, SIZES[0])).astype(np.float32)
    y = rng.integers(0, SIZES[-1], N).astype(np.int64)
    params = []
    for fan_in, fan_out in zip(SIZES[:-1], SIZES[1:]):
        limit = np.float32(np.sqrt(6 / (fan_in + fan_out)))
        params.append(rng.uniform(-1, 1, (fan_in, fan_out)).astype(np.float32) * limit)
        params.append(np.zeros(fan_out, np.float32))
    return x, y, params


def overhead(module):
    tf = importlib.import_module(module)
    ds = tf.data.Dataset.range(10**6).map(lambda x: x * 2).batch(256)
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        for _ in ds:
            pass
        times.append((time.perf_counter() - t0) / 10**6)
    return statistics.median(times)


def epoch_tf(module):
    """The same TensorFlow code for tapeflow and TF eager."""
    tf = importlib.import_module(module)
    x, y, params = data()
    variables = [tf.Variable(p) for p in params]
    opt = tf.keras.optimizers.Adam(LR)
    ds = (tf.data.Dataset.from_tensor_slices((x, y)).shuffle(N, seed=1).batch(BATCH)
          .prefetch(tf.data.AUTOTUNE))

    def epoch():
        for xb, yb in ds:
            w1, b1, w2, b2, w3, b3 = variables
            with tf.GradientTape() as tape:
                h = tf.nn.relu(xb @ w1 + b1)
                h = tf.nn.relu(h @ w2 + b2)
                logits = h @ w3 + b3
                loss = tf.reduce_mean(
                    tf.nn.sparse_softmax_cross_entropy_with_logits(yb, logits))
            opt.apply_gradients(zip(tape.gradient(loss, variables), variables))
        return float(loss)
    return epoch


def epoch_numpy():
    import numpy as np
    x, y, params = data()
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    rng = np.random.default_rng(1)
    state = {"t": 0}
    b1, b2, eps = np.float32(0.9), np.float32(0.999), np.float32(1e-7)

    def epoch():
        order = rng.permutation(N)
        for start in range(0, N, BATCH):
            idx = order[start:start + BATCH]
            xb, yb = x[idx], y[idx]
            w1, c1, w2, c2, w3, c3 = params
            z1 = xb @ w1 + c1
            h1 = np.maximum(z1, 0)
            z2 = h1 @ w2 + c2
            h2 = np.maximum(z2, 0)
            logits = h2 @ w3 + c3
            shifted = logits - logits.max(axis=1, keepdims=True)
            e = np.exp(shifted)
            s = e.sum(axis=1, keepdims=True)
            rows = np.arange(len(yb))
            loss = np.mean(np.log(s)[:, 0] - shifted[rows, yb])
            d = e / s
            d[rows, yb] -= 1
            d /= np.float32(len(yb))
            g3, gc3 = h2.T @ d, d.sum(axis=0)
            d = (d @ w3.T) * (z2 > 0)
            g2, gc2 = h1.T @ d, d.sum(axis=0)
            d = (d @ w2.T) * (z1 > 0)
            g1, gc1 = xb.T @ d, d.sum(axis=0)
            state["t"] += 1
            t = state["t"]
            lr = np.float32(LR * np.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t))
            for p, g, mi, vi in zip(params, (g1, gc1, g2, gc2, g3, gc3), m, v):
                mi += (g - mi) * (1 - b1)
                vi += (g * g - vi) * (1 - b2)
                p -= lr * mi / (np.sqrt(vi) + eps)
        return float(loss)
    return epoch


def timed_epochs(epoch, rounds=3):
    epoch()  # warm up
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        epoch()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def child(what, module):
    if what == "overhead":
        value = overhead(module)
    elif module == "numpy":
        value = timed_epochs(epoch_numpy())
    else:
        value = timed_epochs(epoch_tf(module))
    print(json.dumps({"value": value}))


def measure(python, what, module):
    env = dict(os.environ, **ONE_THREAD, PYTHONPATH=str(HERE.parent / "src"))
    out = subprocess.run([python, __file__, "--child", what, module], capture_output=True,
                         text=True, env=env, timeout=3600)
    if out.returncode:
        return None
    return json.loads(out.stdout.strip().splitlines()[-1])["value"]


def main():
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], sys.argv[3])
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--tf", default="/work/tfenv/bin/python",
                        help="a Python with TensorFlow (skipped when it has none)")
    parser.add_argument("--out", default=str(HERE / "results" / "data.json"))
    args = parser.parse_args()
    has_tf = os.path.exists(args.tf) and subprocess.run(
        [args.tf, "-c", "import tensorflow"], capture_output=True).returncode == 0
    r = {"overhead_tapeflow": measure(sys.executable, "overhead", "tapeflow"),
         "overhead_tensorflow": measure(args.tf, "overhead", "tensorflow") if has_tf else None,
         "epoch_numpy": measure(sys.executable, "epoch", "numpy"),
         "epoch_tapeflow": measure(sys.executable, "epoch", "tapeflow"),
         "epoch_tensorflow": measure(args.tf, "epoch", "tensorflow") if has_tf else None}
    for key, value in r.items():
        unit = "µs/element" if key.startswith("overhead") else "s/epoch"
        scale = 1e6 if key.startswith("overhead") else 1
        print(f"{key:22s} {'—' if value is None else f'{value * scale:.3g}'} {unit}")
    if r["epoch_numpy"] and r["epoch_tapeflow"]:
        print(f"tapeflow epoch / NumPy floor: {r['epoch_tapeflow'] / r['epoch_numpy']:.3f}x")
    if r["epoch_tensorflow"] and r["epoch_tapeflow"]:
        print(f"TF eager epoch / tapeflow: {r['epoch_tensorflow'] / r['epoch_tapeflow']:.3f}x")
    pathlib.Path(args.out).write_text(json.dumps(r, indent=1) + "\n")


if __name__ == "__main__":
    main()
