"""Record what TF 2.21 / Keras 3 gives for tests/keras_seeded_cases.py into
tests/fixtures/keras_seeded/cases.json.

    /work/tfenv/bin/python tools/record_keras_seeded_fixtures.py
"""

import json
import pathlib
import sys

import keras

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from keras_seeded_cases import CASES  # noqa: E402


def main():
    out = {name: case(keras) for name, case in CASES.items()}
    path = ROOT / "tests/fixtures/keras_seeded/cases.json"
    path.write_text(json.dumps(out, sort_keys=True) + "\n")
    print(f"wrote {path} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
