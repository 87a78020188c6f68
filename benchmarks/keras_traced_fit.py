"""``fit``/``evaluate`` with traced steps (the default) beside ``run_eagerly=True``, interleaved.

    python benchmarks/keras_traced_fit.py [--rounds 5] [--only mlp small ...]

Each model is built twice from the same weights, one compiled as usual and one with
``run_eagerly=True``; after a warm-up epoch (the trace), rounds alternate one timed epoch of
each, so both see the same load. Reported per epoch: CPU seconds (``time.process_time``, less
distorted by a busy neighbour), best and median over the rounds, and the traced/eager ratio.
BLAS runs on one thread. Results go to benchmarks/results/keras_traced_fit.json.
"""

import argparse
import json
import os
import pathlib
import statistics
import time

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import numpy as np  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent


def _models(keras):
    L = keras.layers

    def mlp():  # benchmarks/keras_fit.py's MLP, its batch of 256
        return (keras.Sequential([keras.Input((784,)), L.Dense(512, activation="relu"),
                                  L.Dense(512, activation="relu"),
                                  L.Dense(10, activation="softmax")]), (784,), 10, 256, 15360)

    def small():  # Python overhead dominates: small layers, batches of 32
        return (keras.Sequential([keras.Input((32,)), L.Dense(64, activation="relu"),
                                  L.Dense(64, activation="relu"),
                                  L.Dense(10, activation="softmax")]), (32,), 10, 32, 16384)

    def small_dropout_bn():
        return (keras.Sequential([keras.Input((32,)), L.Dense(64), L.BatchNormalization(),
                                  L.Activation("relu"), L.Dropout(0.3),
                                  L.Dense(10, activation="softmax")]), (32,), 10, 32, 16384)

    def gru():
        return (keras.Sequential([keras.Input((10, 8)), L.GRU(16), L.Dense(10,
                                  activation="softmax")]), (10, 8), 10, 32, 8192)

    return {"mlp": mlp, "small": small, "small_dropout_bn": small_dropout_bn, "gru": gru}


def _epoch(model, x, y, batch, kind):
    t0, w0 = time.process_time(), time.perf_counter()
    if kind == "fit":
        model.fit(x, y, batch_size=batch, epochs=1, verbose=0)
    else:
        model.evaluate(x, y, batch_size=batch, verbose=0)
    return time.process_time() - t0, time.perf_counter() - w0


def measure(name, rounds):
    import tapeflow as tf
    keras = tf.keras
    make = _models(keras)[name]
    rng = np.random.default_rng(0)
    pair, weights = {}, None
    for mode in ("traced", "eager"):
        keras.utils.set_random_seed(0)
        model, shape, classes, batch, n = make()
        if weights is None:
            weights = model.get_weights()
        model.set_weights(weights)
        model.compile(keras.optimizers.Adam(1e-3), "sparse_categorical_crossentropy",
                      metrics=["accuracy"], run_eagerly=mode == "eager")
        pair[mode] = model
    x = rng.standard_normal((n,) + shape).astype(np.float32)
    y = rng.integers(0, classes, n)
    out = {"batch": batch, "samples": n}
    for kind in ("fit", "evaluate"):
        times = {"traced": [], "eager": []}
        for model in pair.values():
            _epoch(model, x[:batch * 4], y[:batch * 4], batch, kind)  # warm up, trace
        for r in range(rounds):
            order = ("traced", "eager") if r % 2 == 0 else ("eager", "traced")
            for mode in order:
                times[mode].append(_epoch(pair[mode], x, y, batch, kind))
        row = {}
        for mode, ts in times.items():
            cpu = [t[0] for t in ts]
            row[mode] = {"cpu_best": min(cpu), "cpu_median": statistics.median(cpu),
                         "wall_median": statistics.median(t[1] for t in ts)}
        row["traced_over_eager_cpu_median"] = (row["traced"]["cpu_median"] /
                                               row["eager"]["cpu_median"])
        out[kind] = row
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--only", nargs="*", choices=["mlp", "small", "small_dropout_bn", "gru"])
    args = parser.parse_args()
    results = {"load_before": os.getloadavg()}
    for name in args.only or ("mlp", "small", "small_dropout_bn", "gru"):
        results[name] = row = measure(name, args.rounds)
        print(name, f"batch {row['batch']}, {row['samples']} samples")
        for kind in ("fit", "evaluate"):
            r = row[kind]
            print(f"  {kind:8s} traced {r['traced']['cpu_median']:.4f} s  eager "
                  f"{r['eager']['cpu_median']:.4f} s  (CPU per epoch, median)  "
                  f"traced/eager {r['traced_over_eager_cpu_median']:.2f}")
    results["load_after"] = os.getloadavg()
    print("load average before/after:", results["load_before"], results["load_after"])
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "keras_traced_fit.json").write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
