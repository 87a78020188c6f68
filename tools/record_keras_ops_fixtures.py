"""Run tests/keras_ops_cases.py on real Keras 3 (TF 2.21's tf.keras.ops) and store the results
in tests/fixtures/keras_ops/results.npz (values) and results.json (dtypes, or the exception
type a case raised; and the reprs of the keras.tree cases). Run with real TensorFlow (a
yardstick only, never a dependency):
    /work/tfenv/bin/python tools/record_keras_ops_fixtures.py
"""

import json
import os
import pathlib
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import keras_ops_cases  # noqa: E402


def leaves(out):
    if isinstance(out, (list, tuple)):
        return [leaf for item in out for leaf in leaves(item)]
    return [out]


def main():
    ops = tf.keras.ops
    arrays, meta = {}, {}
    cases = [(name, case, ops) for name, case in keras_ops_cases.CASES.items()]
    cases += [("backend:" + name, case, tf.keras.backend)
              for name, case in keras_ops_cases.BACKEND_CASES.items()]
    for name, case, module in cases:
        try:
            out = leaves(case(module))
        except Exception as e:  # noqa: BLE001 - the exception type is what is recorded
            meta[name] = {"error": type(e).__name__}
            continue
        dtypes = []
        for i, leaf in enumerate(out):
            value = np.asarray(leaf)
            arrays[f"{name}#{i}"] = value
            dtypes.append(getattr(getattr(leaf, "dtype", None), "name", None) or
                          value.dtype.name)
        meta[name] = {"dtypes": dtypes}
    trees = {}
    for name, case in keras_ops_cases.TREE_CASES.items():
        try:
            trees[name] = {"repr": repr(case(tf.keras.tree))}
        except Exception as e:  # noqa: BLE001
            trees[name] = {"error": type(e).__name__}
    for name, case in keras_ops_cases.UTILS_CASES.items():
        try:
            trees["utils:" + name] = {"repr": repr(keras_ops_cases.plain(case(tf.keras)))}
        except Exception as e:  # noqa: BLE001
            trees["utils:" + name] = {"error": type(e).__name__}
    folder = ROOT / "tests" / "fixtures" / "keras_ops"
    folder.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(folder / "results.npz", **arrays)
    record = {"keras": tf.keras.version(), "cases": meta, "tree": trees}
    (folder / "results.json").write_text(json.dumps(record, indent=0, sort_keys=True) + "\n")
    errors = sorted(n for n, m in meta.items() if "error" in m)
    print(f"recorded {len(meta)} cases ({len(errors)} raise: {errors})")


if __name__ == "__main__":
    main()
