"""tapeflow prints what TF printed (tests/fixtures/guide_gaps/outputs.json) for the snippets of
tests/guide_gaps_cases.py: the gaps of the sparse_tensor, tensor and data guides."""

import json
import pathlib

import pytest

import tapeflow as tf
from guide_gaps_cases import CASES, run

RECORDED = json.loads((pathlib.Path(__file__).parent / "fixtures" / "guide_gaps" /
                       "outputs.json").read_text())


@pytest.mark.parametrize("name", sorted(CASES))
def test_prints_what_tf_prints(name):
    assert run(tf, CASES[name]) == RECORDED[name]
