"""Record how often Keras 3 (TF 2.21) runs a custom train_step/test_step's Python code in
fit/evaluate, compiled and with run_eagerly, what its train_function/make_train_function
(test, predict) do, and what structure the steps receive (see tests/keras_traced_fit_cases.py).

Run with the reference interpreter: /work/tfenv/bin/python tools/record_keras_traced_fit_fixtures.py
Writes tests/fixtures/keras_traced_fit/call_counts.json, step_functions.json, step_data.json.
"""

import json
import os
import pathlib
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf  # noqa: E402
from tensorflow import keras  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "keras_traced_fit"
sys.path.insert(0, str(ROOT / "tests"))
import keras_traced_fit_cases as cases  # noqa: E402


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    keras.utils.set_random_seed(0)
    counts = cases.call_counts(keras)
    (OUT / "call_counts.json").write_text(json.dumps(counts, indent=1) + "\n")
    functions = cases.step_functions(tf)
    (OUT / "step_functions.json").write_text(json.dumps(functions, indent=1) + "\n")
    data = cases.step_data(tf)
    (OUT / "step_data.json").write_text(json.dumps(data, indent=1) + "\n")
    print(json.dumps(counts, indent=1), json.dumps(functions, indent=1), json.dumps(data))


if __name__ == "__main__":
    main()
