"""Record what TensorFlow prints for SavedModel snippets (tests/saved_model_cases.py), for
tapeflow's tests to compare against. Run with the yardstick environment:

    /work/tfenv/bin/python tools/record_saved_model_fixtures.py
"""

import json
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(ROOT, "tests", "fixtures", "saved_model", "tf_texts.json")
sys.path.insert(0, os.path.join(ROOT, "tests"))

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf  # noqa: E402

import saved_model_cases as cases  # noqa: E402


def main():
    with tempfile.TemporaryDirectory() as directory:
        found = cases.texts(tf, directory)
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump({"tensorflow": tf.__version__, "texts": found}, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"wrote {OUT} ({len(found)} texts)")


if __name__ == "__main__":
    main()
