"""Record what TensorFlow prints for the tf.distribute snippets of tests/distribute_cases.py.

    /work/tfenv/bin/python tools/record_distribute_fixtures.py

Writes tests/fixtures/distribute/cases.json: {case: text of its ``out``}.
"""

import json
import pathlib
import sys

import tensorflow as tf

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from distribute_cases import CASES, text  # noqa: E402


def main():
    rec = {}
    for name, code in CASES.items():
        scope = {"tf": tf}
        exec(code, scope)  # noqa: S102 - our own snippets
        rec[name] = text(scope["out"])
    out = ROOT / "tests" / "fixtures" / "distribute" / "cases.json"
    out.write_text(json.dumps(rec, indent=1) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
