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

TESTS = pathlib.Path(__file__).resolve().parent.parent / "tests"
sys.path.insert(0, str(TESTS))

from function_variable_cases import CASES, run_case  # noqa: E402

if __name__ == "__main__":
    recorded = {"tf_version": tf.__version__,
                "cases": {name: run_case(tf, code) for name, code in CASES.items()}}
    fixture = TESTS / "fixtures" / "function_variables" / "cases.json"
    fixture.write_text(json.dumps(recorded, indent=1) + "\n")
    print(f"{len(CASES)} cases recorded in {fixture}")
