"""TF's results for the snippets of tests/ragged_cases.py, into tests/fixtures/ragged/cases.json:

    /work/tfenv/bin/python tools/record_ragged_fixtures.py
"""

import os
import pathlib
import sys

if __name__ == "__main__":
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tests"))
    import ragged_cases
    print(f"recorded {ragged_cases.record(tensorflow)} cases")
