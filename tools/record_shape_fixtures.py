"""Record the static output shapes TF gives the snippets of tests/shape_cases.py when traced
from their input signatures (None dims), or the trace's error, into
tests/fixtures/shapes/static_shapes.json.

    /work/tfenv/bin/python tools/record_shape_fixtures.py
"""

import json
import os
import pathlib
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow as tf  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from shape_cases import CASES, trace  # noqa: E402


def main():
    out = {name: trace(tf, sig, src) for name, (sig, src) in CASES.items()}
    path = ROOT / "tests" / "fixtures" / "shapes" / "static_shapes.json"
    path.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
    print(f"wrote {len(out)} cases to {path}")


if __name__ == "__main__":
    main()
