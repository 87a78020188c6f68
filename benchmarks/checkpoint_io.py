"""Checkpoint save/restore throughput (not part of ``make test``):

    .venv/bin/python benchmarks/checkpoint_io.py [--gib 1] [--tensors 64] [--tf-python PYTHON]

Saves and restores ``--gib`` GiB of float32 in ``--tensors`` Variables with tapeflow's
``tf.train.Checkpoint.write``/``read``, against ``np.save``/``np.load`` of the same arrays (one
.npy per tensor, with and without an fsync per file, in the same folder) and, given
``--tf-python``, TensorFlow's own ``Checkpoint.write``/``read``. Best of ``--repeat``
interleaved runs.
Also the peak memory tapeflow allocates while saving (tracemalloc), against the largest tensor.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc

import numpy as np

TF_SCRIPT = """
import os, sys, time, json
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import numpy as np, tensorflow as tf
gib, n, folder, repeat = float(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
size = int(gib * 2**30 / 4 / n)
vs = {f"v{i}": tf.Variable(np.full(size, i, np.float32)) for i in range(n)}
ck = tf.train.Checkpoint(**vs)
w = r = 1e9
for _ in range(repeat):
    t = time.perf_counter()
    p = ck.write(os.path.join(folder, "tf"))
    w = min(w, time.perf_counter() - t)
    t = time.perf_counter()
    ck.read(p).assert_consumed()
    r = min(r, time.perf_counter() - t)
print(json.dumps({"write": w, "read": r}))
"""


def best(fn, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gib", type=float, default=1.0)
    ap.add_argument("--tensors", type=int, default=64)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--tf-python")
    ap.add_argument("--dir", default=None, help="folder on the disk to measure (default: tmp)")
    args = ap.parse_args()
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
    import tapeflow as tf

    folder = tempfile.mkdtemp(prefix="ckpt-bench-", dir=args.dir)
    size = int(args.gib * 2**30 / 4 / args.tensors)
    arrays = [np.full(size, i, np.float32) for i in range(args.tensors)]
    variables = {f"v{i}": tf.Variable(a) for i, a in enumerate(arrays)}
    ckpt = tf.train.Checkpoint(**variables)
    prefix = os.path.join(folder, "tapeflow")
    results = {"gib": args.gib, "tensors": args.tensors}
    try:
        def np_save(sync):
            for i, a in enumerate(arrays):
                with open(os.path.join(folder, f"a{i}.npy"), "wb") as f:
                    np.save(f, a)
                    if sync:
                        f.flush()
                        os.fsync(f.fileno())

        runs = {  # interleaved, best of --repeat each: a busy machine drifts less in between
            "np.save": lambda: np_save(False),
            "np.save+fsync": lambda: np_save(True),
            "np.load": lambda: [np.load(os.path.join(folder, f"a{i}.npy"))
                                for i in range(args.tensors)],
            "tapeflow.write": lambda: ckpt.write(prefix),
            "tapeflow.read": lambda: ckpt.read(prefix).assert_consumed()}
        for _ in range(args.repeat):
            for name, fn in runs.items():
                results[name] = min(results.get(name, float("inf")), best(fn, 1))

        tracemalloc.start()
        ckpt.write(prefix)
        results["tapeflow.write peak extra MiB"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        results["largest tensor MiB"] = arrays[0].nbytes / 2**20
        for f in os.listdir(folder):
            if f.endswith(".npy"):
                os.remove(os.path.join(folder, f))
        if args.tf_python:
            out = subprocess.run([args.tf_python, "-c", TF_SCRIPT, str(args.gib),
                                  str(args.tensors), folder, str(args.repeat)],
                                 capture_output=True, text=True, check=True).stdout
            tf_times = json.loads(out.strip().splitlines()[-1])
            results["tensorflow.write"], results["tensorflow.read"] = (tf_times["write"],
                                                                       tf_times["read"])
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    results["write / np.save"] = results["tapeflow.write"] / results["np.save"]
    results["write / np.save+fsync"] = results["tapeflow.write"] / results["np.save+fsync"]
    results["read / np.load"] = results["tapeflow.read"] / results["np.load"]
    for k, v in results.items():
        print(f"{k:32s} {v:10.3f}" if isinstance(v, float) else f"{k:32s} {v}")


if __name__ == "__main__":
    main()
