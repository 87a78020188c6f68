"""RaggedTensor against TF: each snippet of ragged_cases.py prints what TF printed
(tests/fixtures/ragged/cases.json, recorded by tools/record_ragged_fixtures.py)."""

import json

import pytest

import tapeflow as tf
from ragged_cases import CASES, FIXTURE, run

RECORDED = json.loads(FIXTURE.read_text())


@pytest.mark.parametrize("name", sorted(CASES))
def test_as_tf(name):
    assert run(tf, CASES[name]) == RECORDED[name]
