"""The optimizer's own step over 100 variables: tapeflow, a hand-written NumPy floor and TF.

    .venv/bin/python benchmarks/optimizer_step.py [path/to/tf/python]

The model: 50 kernels of 256x256 and 50 biases of 256 (float32), as in a 50-layer MLP. Each
framework applies the same precomputed gradients; only ``apply_gradients`` is timed. The NumPy
floor is the same update done in place on preallocated buffers, fused as far as NumPy allows,
with no tape and no Python object per step. One thread everywhere (set before importing NumPy).
Prints a table and writes benchmarks/results/optimizer_step.json.
"""

import json
import os
import pathlib
import subprocess
import sys
import time

for _k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
           "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS"):
    os.environ[_k] = "1"
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"

import numpy as np  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent
SHAPES = {"mlp": [(256, 256), (256,)] * 50, "small": [(16, 16), (16,)] * 50}
LR, B1, B2, EPS = 1e-3, 0.9, 0.999, 1e-7


def _arrays(shapes):
    rng = np.random.RandomState(0)
    values = [rng.randn(*s).astype(np.float32) for s in shapes]
    grads = [rng.randn(*s).astype(np.float32) * 0.1 for s in shapes]
    return values, grads


def best_per_step(*steps, rounds=15, n=10):
    """Best seconds per call of each of ``steps``, measured in interleaved rounds so that a
    busy machine slows them alike."""
    for step in steps:
        step()  # warm up (builds slots)
    best = [float("inf")] * len(steps)
    for _ in range(rounds):
        for k, step in enumerate(steps):
            t0 = time.perf_counter()
            for _ in range(n):
                step()
            best[k] = min(best[k], (time.perf_counter() - t0) / n)
    return best


def numpy_floor(shapes, kind):
    values, grads = _arrays(shapes)
    f = np.float32
    ms = [np.zeros_like(v) for v in values]
    vs = [np.zeros_like(v) for v in values]
    buf = [np.empty_like(v) for v in values]
    den = [np.empty_like(v) for v in values]
    state = {"t": 0}
    c1, c2, eps, lr = f(1 - B1), f(1 - B2), f(EPS), f(LR)

    def adam():
        state["t"] += 1
        t = f(state["t"])
        alpha = lr * np.sqrt(f(1) - np.power(f(B2), t)) / (f(1) - np.power(f(B1), t))
        for w, g, m, v, b, d in zip(values, grads, ms, vs, buf, den):
            np.subtract(g, m, out=b)
            b *= c1
            m += b
            np.multiply(g, g, out=b)
            b -= v
            b *= c2
            v += b
            np.sqrt(v, out=d)
            d += eps
            np.multiply(m, alpha, out=b)
            b /= d
            w -= b

    def sgd():
        for w, g, b in zip(values, grads, buf):
            np.multiply(g, lr, out=b)
            w -= b

    return adam if kind == "adam" else sgd


def framework_step(shapes, kind, framework):
    """``apply_gradients`` of tapeflow's or TensorFlow's Keras optimizer."""
    if framework == "tapeflow":
        sys.path.insert(0, str(HERE.parent / "src"))
        import tapeflow as tf
    else:
        import tensorflow as tf
        tf.config.threading.set_intra_op_parallelism_threads(1)
        tf.config.threading.set_inter_op_parallelism_threads(1)
    values, grads = _arrays(shapes)
    variables = [tf.Variable(v) for v in values]
    grads = [tf.constant(g) for g in grads]
    opt = (tf.keras.optimizers.Adam(LR, B1, B2, EPS) if kind == "adam"
           else tf.keras.optimizers.SGD(LR))
    pairs = list(zip(grads, variables))
    return lambda: opt.apply_gradients(pairs)


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--one":  # a child: one measurement
        framework, model, kind = sys.argv[2:5]
        shapes = SHAPES[model]
        if framework == "tensorflow":
            times = best_per_step(framework_step(shapes, kind, framework), rounds=3, n=5)
        else:  # tapeflow beside its floor, interleaved
            times = best_per_step(numpy_floor(shapes, kind),
                                  framework_step(shapes, kind, "tapeflow"))
        print(json.dumps(times))
        return
    tf_python = sys.argv[1] if len(sys.argv) > 1 else None
    results = {}
    for model in SHAPES:
        for kind in ("adam", "sgd"):
            row = {}
            for framework, py in (("tapeflow", sys.executable), ("tensorflow", tf_python)):
                if py is None:
                    continue
                out = subprocess.run([py, __file__, "--one", framework, model, kind],
                                     capture_output=True, text=True)
                if out.returncode == 0:
                    times = json.loads(out.stdout.strip().splitlines()[-1])
                    if framework == "tapeflow":
                        row["numpy"], row["tapeflow"] = times
                    else:
                        row["tensorflow"] = times[0]
            results[f"{kind}/{model}"] = row
            ratio = row["tapeflow"] / row["numpy"]
            tf_text = (f"  tensorflow {row['tensorflow'] * 1e3:8.3f} ms"
                       if "tensorflow" in row else "")
            print(f"{kind:>4} {model:>5}: numpy floor {row['numpy'] * 1e3:8.3f} ms  "
                  f"tapeflow {row['tapeflow'] * 1e3:8.3f} ms ({ratio:.2f}x floor){tf_text}")
    (HERE / "results").mkdir(exist_ok=True)
    with open(HERE / "results" / "optimizer_step.json", "w") as f:
        json.dump(results, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
