"""Record what TF prints for the snippets of tests/guide_gaps_cases.py into
tests/fixtures/guide_gaps/outputs.json.

    /work/tfenv/bin/python tools/record_guide_gaps_fixtures.py
"""

import json
import os
import pathlib
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow as tf  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from guide_gaps_cases import CASES, run  # noqa: E402


def main():
    out = {name: run(tf, src) for name, src in CASES.items()}
    path = ROOT / "tests" / "fixtures" / "guide_gaps" / "outputs.json"
    path.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
    print(f"wrote {len(out)} cases to {path}")


if __name__ == "__main__":
    main()
