"""Record what TensorFlow 2.21 answers for tests/linear_operator_cases.py into
tests/fixtures/linear_operator/cases.json.

    /work/tfenv/bin/python tools/record_linear_operator_fixtures.py
"""

import json
import pathlib
import sys

import tensorflow as tf

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from linear_operator_cases import CASES, ask  # noqa: E402


def main():
    out = {name: ask(lambda case=case: case(tf), raw=True) for name, case in CASES.items()}
    path = ROOT / "tests/fixtures/linear_operator/cases.json"
    path.write_text(json.dumps(out, indent=None, sort_keys=True) + "\n")
    print(f"wrote {path} ({path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
