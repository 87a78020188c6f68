"""Record what TensorFlow computes for tests/loop_cases.py into tests/fixtures/loops/tf.npz.

Run with the TensorFlow environment: /work/tfenv/bin/python tools/record_loops_fixtures.py
"""

import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))

import tensorflow as tf  # noqa: E402

import loop_cases  # noqa: E402


def main():
    results = loop_cases.cases(tf)
    arrays, shapes = {}, {}
    for name, values in results.items():
        for k, v in enumerate(values):
            if isinstance(v, np.ndarray):
                arrays[f"{name}/{k}"] = v
            else:
                shapes[f"{name}/{k}"] = v
    out = os.path.join(HERE, "..", "tests", "fixtures", "loops")
    np.savez_compressed(os.path.join(out, "tf.npz"), **arrays)
    with open(os.path.join(out, "tf_shapes.json"), "w") as f:
        json.dump({"counts": {n: len(v) for n, v in results.items()}, "shapes": shapes}, f,
                  indent=0, sort_keys=True)


if __name__ == "__main__":
    main()
