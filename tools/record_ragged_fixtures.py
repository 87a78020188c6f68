"""Record what real TF prints for the snippets of tests/ragged_cases.py into
tests/fixtures/ragged/cases.json.

    /work/tfenv/bin/python tools/record_ragged_fixtures.py
"""

import json
import os
import pathlib
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow as tf  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from ragged_cases import CASES, run  # noqa: E402


def main():
    out = {name: run(tf, code) for name, code in CASES.items()}
    path = ROOT / "tests" / "fixtures" / "ragged" / "cases.json"
    path.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
    print(f"recorded {len(out)} cases")


if __name__ == "__main__":
    main()
