"""Record what real TF returns for the snippets of tests/breadth_cases.py into
tests/fixtures/breadth/cases.json (+ cases.npz for the arrays).

    /work/tfenv/bin/python tools/record_breadth_fixtures.py
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

from breadth_cases import CASES  # noqa: E402


def describe(value, arrays, key):
    """A JSON-able description of a result; arrays go into ``arrays`` under ``key``."""
    if isinstance(value, tf.Tensor | tf.Variable):
        arr = value.numpy()
        arrays[key] = arr.astype(str) if arr.dtype == object else arr
        return {"tensor": key, "dtype": value.dtype.name, "shape": list(arr.shape)}
    if isinstance(value, np.ndarray):
        arrays[key] = value
        return {"ndarray": key, "dtype": str(value.dtype)}
    if isinstance(value, list | tuple):
        return {"seq": type(value).__name__ if type(value) in (list, tuple) else "tuple",
                "items": [describe(v, arrays, f"{key}.{i}") for i, v in enumerate(value)]}
    return {"repr": repr(value)}


def run(expr):
    return eval(expr, {"tf": tf, "np": np})  # noqa: S307 - our own snippets


def main():
    out, arrays = {}, {}
    for name, expr in CASES.items():
        try:
            out[name] = describe(run(expr), arrays, name)
        except Exception as e:  # noqa: BLE001 - the exception is the result
            out[name] = {"error": type(e).__name__, "message": str(e)}
    folder = ROOT / "tests" / "fixtures" / "breadth"
    (folder / "cases.json").write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
    np.savez_compressed(folder / "cases.npz", **arrays)
    print(f"recorded {len(out)} cases")


if __name__ == "__main__":
    main()
