"""RaggedTensor against TF: each snippet of ragged_cases.py prints what TF printed
(tests/fixtures/ragged/cases.json, recorded by tools/record_ragged_fixtures.py)."""

import json
import pathlib

import pytest

import tapeflow as tf
from ragged_cases import CASES, run

FIXTURE = json.loads((pathlib.Path(__file__).parent / "fixtures" / "ragged" /
                      "cases.json").read_text())


@pytest.mark.parametrize("name", sorted(CASES))
def test_as_tf(name):
    assert run(tf, CASES[name]) == FIXTURE[name]
