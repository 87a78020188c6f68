"""Record what real TF prints for the snippets of tests/function_variable_cases.py (tf.function
with tf.Variable arguments) into tests/fixtures/function_variables/cases.json.

    /work/tfenv/bin/python tools/record_function_variable_fixtures.py
"""

import json
import os
import pathlib
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow as tf  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from function_variable_cases import CASES, run_case  # noqa: E402


def main():
    out = {name: run_case(tf, code) for name, code in CASES.items()}
    path = ROOT / "tests" / "fixtures" / "function_variables" / "cases.json"
    path.write_text(json.dumps({"tf_version": tf.__version__, "cases": out}, indent=1) + "\n")
    print(f"wrote {len(out)} cases to {path}")


if __name__ == "__main__":
    main()
