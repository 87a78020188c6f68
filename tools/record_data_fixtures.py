"""Record what TensorFlow prints for the tf.data snippets in tests/fixtures/data/snippets.json.

Run with the TF yardstick environment (never needed by the test suite):

    /work/tfenv/bin/python tools/record_data_fixtures.py

Each snippet runs with ``tf`` and ``np`` bound; its stdout (or its exception's type and message)
is written back beside it. tests/test_data_fixtures.py runs the same snippets with tapeflow.
"""

import contextlib
import io
import json
import os
import pathlib

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
PATH = ROOT / "tests" / "fixtures" / "data" / "snippets.json"


def run(code, tf_module):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            exec(code, {"tf": tf_module, "np": np})
        except Exception as e:  # the error is part of what the user sees
            print(f"!! {type(e).__name__}: {e}")
    return out.getvalue()


def main():
    cases = json.loads(PATH.read_text())
    for case in cases:
        case["tf"] = run(case["code"], tf)
    PATH.write_text(json.dumps(cases, indent=1) + "\n")
    print(f"recorded {len(cases)} snippets")


if __name__ == "__main__":
    main()
