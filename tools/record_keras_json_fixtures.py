"""Record TF 2.21's ``model.to_json()`` texts for tests/test_keras_json.py.

    /work/tfenv/bin/python tools/record_keras_json_fixtures.py

Writes tests/fixtures/keras_json/cases.json: {case: to_json text}, for the models that
tests/test_keras_json.py builds the same way (``MODELS`` there, run here with TF).
"""

import json
import pathlib
import sys

import tensorflow as tf

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from test_keras_json import MODELS  # noqa: E402


def main():
    rec = {}
    for name, make in MODELS.items():
        tf.keras.backend.clear_session()
        rec[name] = make(tf).to_json()
    out = ROOT / "tests" / "fixtures" / "keras_json" / "cases.json"
    out.write_text(json.dumps(rec, indent=1) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
