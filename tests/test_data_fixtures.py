"""tf.data snippets print what TensorFlow 2.21 printed for them (tools/record_data_fixtures.py)."""

import contextlib
import io
import json
import pathlib

import numpy as np
import pytest

import tapeflow as tf

CASES = json.loads((pathlib.Path(__file__).parent / "fixtures" / "data" / "snippets.json")
                   .read_text())


def run(code):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            exec(code, {"tf": tf, "np": np})
        except Exception as e:
            print(f"!! {type(e).__name__}: {e}")
    return out.getvalue()


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_prints_what_tf_prints(case):
    assert run(case["code"]).splitlines() == case["tf"].splitlines()
