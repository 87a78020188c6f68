"""Record TensorFlow's numbers for tests/guide_training.py into tests/fixtures/guides/.

    /work/tfenv/bin/python tools/record_guide_fixtures.py
"""

import json
import os
import pathlib
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import tensorflow as tf  # noqa: E402
from guide_training import GUIDES  # noqa: E402


def main():
    out = {name: fn(tf) for name, fn in GUIDES.items()}
    path = ROOT / "tests" / "fixtures" / "guides" / "training.json"
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"recorded {len(out)} guides")


if __name__ == "__main__":
    main()
