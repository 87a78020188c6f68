"""tf.data benchmarks beside TensorFlow's and a hand-written NumPy floor (one run each).

    python benchmarks/data_bench.py [--tf PYTHON] [--out FILE]

1. Pipeline overhead: seconds per element of ``range(10**6).map(f).batch(256)`` with a trivial
   ``f`` (``x * 2``), iterated to the end: tapeflow and TF.
2. An epoch of the MLP 784-512-512-10 (batch 256, Adam 1e-3, softmax cross-entropy) over
   60,000 synthetic examples fed by ``from_tensor_slices(...).shuffle(60000).batch(256)
   .prefetch(AUTOTUNE)``: tapeflow, TF eager (the same code) and the NumPy floor (the same
   forward, hand-written backward and Adam, batches by a permutation of indices).

Each measurement runs in its own process with one BLAS/TF compute thread (as benchmarks/run.py
does); an epoch's CPU time (all the process's threads: prefetch, TF's pools) is measured after
one warm-up epoch, the best of 3. CPU time, not wall time: the machine this was written on runs
several times more processes than it has cores, and wall times there swing by 2x. tapeflow's
and the NumPy floor's epochs alternate in one process, so a busy spell slows both alike, and
that process alternates twice with TF's; the pipeline overhead is the median of 3 passes.
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
        t0 = time.process_time()
        for _ in ds:
            pass
        times.append((time.process_time() - t0) / 10**6)
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


def numpy_loss_and_grads(params, xb, yb):
    """Mean sparse softmax cross-entropy of the ReLU MLP ``params`` = [w, b, w, b, ...] and its
    gradients, by the hand-written backward pass, layer by layer."""
    import numpy as np
    inputs, pre = [xb], []
    for i in range(0, len(params), 2):
        z = inputs[-1] @ params[i] + params[i + 1]
        pre.append(z)
        inputs.append(np.maximum(z, 0))
    logits = pre[-1]
    shifted = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    total = e.sum(axis=1, keepdims=True)
    rows = np.arange(len(yb))
    loss = np.mean(np.log(total)[:, 0] - shifted[rows, yb])
    d = e / total
    d[rows, yb] -= 1
    d /= np.float32(len(yb))
    grads = [None] * len(params)
    for layer in reversed(range(len(pre))):
        grads[2 * layer], grads[2 * layer + 1] = inputs[layer].T @ d, d.sum(axis=0)
        if layer:
            d = (d @ params[2 * layer].T) * (pre[layer - 1] > 0)
    return loss, grads


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
            loss, grads = numpy_loss_and_grads(params, x[idx], y[idx])
            state["t"] += 1
            t = state["t"]
            lr = np.float32(LR * np.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t))
            for p, g, mi, vi in zip(params, grads, m, v):
                mi += (g - mi) * (1 - b1)
                vi += (g * g - vi) * (1 - b2)
                p -= lr * mi / (np.sqrt(vi) + eps)
        return float(loss)
    return epoch


def timed_epochs(epoch, rounds=3):
    epoch()  # warm up
    times = []
    for _ in range(rounds):
        t0 = time.process_time()
        epoch()
        times.append(time.process_time() - t0)
    return min(times)


def paired_epochs(rounds=3):
    """tapeflow's and the NumPy floor's epochs, alternating in one process, so that a busy
    machine slows both alike; medians."""
    mine, floor = epoch_tf("tapeflow"), epoch_numpy()
    mine(), floor()  # warm up
    a, b = [], []
    for _ in range(rounds):
        for fn, times in ((mine, a), (floor, b)):
            t0 = time.process_time()
            fn()
            times.append(time.process_time() - t0)
    return [min(a), min(b)]


def child(what, module):
    if what == "overhead":
        value = overhead(module)
    elif module == "pair":
        value = paired_epochs()
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


def best(a, b):
    return b if a is None else a if b is None else min(a, b)


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
         "epoch_tensorflow": None, "epoch_tapeflow": None, "epoch_numpy": None}
    for _ in range(2):  # TF's and tapeflow's processes alternate; the best of each is kept
        if has_tf:
            r["epoch_tensorflow"] = best(r["epoch_tensorflow"],
                                         measure(args.tf, "epoch", "tensorflow"))
        mine, floor = measure(sys.executable, "epoch", "pair")
        if r["epoch_tapeflow"] is None or mine < r["epoch_tapeflow"]:
            r["epoch_tapeflow"], r["epoch_numpy"] = mine, floor
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
