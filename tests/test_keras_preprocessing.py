"""The string hashing ops and the hashing, lookup and discretization preprocessing layers against
what TF 2.21 / Keras 3.15 computed for the same cases (tests/keras_preprocessing_cases.py,
recorded by tools/record_keras_preprocessing_fixtures.py)."""

import json
import pathlib

import numpy as np
import pytest

import tapeflow as tf
from keras_preprocessing_cases import CASES, run

FIXTURES = json.loads((pathlib.Path(__file__).parent / "fixtures" / "keras_preprocessing"
                       / "cases.json").read_text())


@pytest.mark.parametrize("name", sorted(CASES))
def test_case_matches_tf(name):
    expected, got = FIXTURES[name], run(tf, name)
    if "error" in expected or "error" in got:
        assert got == expected
    elif "values" in expected:
        assert (got["dtype"], got["shape"]) == (expected["dtype"], expected["shape"])
        np.testing.assert_array_equal(np.array(got["values"]), np.array(expected["values"]))
    else:
        assert got == expected
