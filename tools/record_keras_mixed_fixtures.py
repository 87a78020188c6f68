"""Record what Keras 3 on TF 2.21 gives for the mixed-precision cases in
tests/keras_mixed_cases.py into tests/fixtures/keras_mixed/cases.json (and a model saved by
Keras under mixed_float16 into mixed_model.keras).

Run with real TensorFlow: /work/tfenv/bin/python tools/record_keras_mixed_fixtures.py
"""

import json
import os
import pathlib
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import tensorflow as tf  # noqa: E402
from tensorflow import keras  # noqa: E402

import keras_mixed_cases as cases  # noqa: E402


def main():
    cases.make_saved(keras, cases.SAVED)
    out = {case.__name__: cases.run(tf, keras, case) for case in cases.CASES}
    path = ROOT / "tests" / "fixtures" / "keras_mixed" / "cases.json"
    path.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
