"""Record what TF 2.21 / Keras 3.15 computes for tests/keras_preprocessing_cases.py (string
hashing ops and the hashing, lookup and discretization layers).

Run with the reference interpreter:
    /work/tfenv/bin/python tools/record_keras_preprocessing_fixtures.py
Writes tests/fixtures/keras_preprocessing/cases.json.
"""

import json
import os
import pathlib
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "keras_preprocessing"
sys.path.insert(0, str(ROOT / "tests"))
from keras_preprocessing_cases import CASES, run  # noqa: E402


def _compact(record):
    """Floats to 9 significant digits: float32 values read back exactly, and the file stays
    small (the tests compare float outputs in the recorded dtype)."""
    if record.get("dtype", "").startswith("float") and "values" in record:
        record["values"] = [float(f"{v:.9g}") for v in record["values"]]
    return record


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    records = {name: _compact(run(tf, name)) for name in CASES}
    (OUT / "cases.json").write_text(json.dumps(records, sort_keys=True) + "\n")
    print(f"{len(records)} cases -> {OUT / 'cases.json'}")


if __name__ == "__main__":
    main()
