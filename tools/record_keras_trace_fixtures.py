"""Record what a model's ``call`` sees under TF 2.21 while Keras traces its steps (the snippets
of tests/keras_trace_cases.py).

    /work/tfenv/bin/python tools/record_keras_trace_fixtures.py

Writes tests/fixtures/keras_traces/cases.json: {case: [logged entries]}.
"""

import json
import pathlib
import sys

import numpy as np
import tensorflow as tf

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from keras_trace_cases import CASES  # noqa: E402


def main():
    rec = {}
    for name, code in CASES.items():
        log = []
        exec(code, {"tf": tf, "np": np, "log": log})  # noqa: S102 - our own snippets
        rec[name] = json.loads(json.dumps(log))  # tuples as lists, as the test compares them
    out = ROOT / "tests" / "fixtures" / "keras_traces" / "cases.json"
    out.write_text(json.dumps(rec, indent=1) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
