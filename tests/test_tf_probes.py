"""tapeflow against what real TF 2.21 gave for the snippets of tests/tf_probes.py (bad input,
dtype inference, factories' gradients, …), recorded by tools/record_tf_probes.py."""

import json
import pathlib

import pytest

import tapeflow as tf
from tf_probes import PROBES, run_probes

FIXTURE = pathlib.Path(__file__).parent / "fixtures" / "defects" / "probes.json"
EXPECTED = json.loads(FIXTURE.read_text())
OURS = {}


def _outcome(label):
    if not OURS:
        OURS.update(run_probes(tf))
    return OURS[label]


_DIFFERS = pytest.mark.xfail(strict=True, reason="still differs from TF (docs/differences.md)")


@pytest.mark.parametrize("label,mode", [
    pytest.param(label, mode, marks=_DIFFERS) if mode == "differs" else (label, mode)
    for label, mode, _ in PROBES])
def test_probe_matches_tf(label, mode):
    if label.startswith("bf16_") and not hasattr(tf, "bfloat16"):
        pytest.skip("tf.bfloat16 needs ml_dtypes (the `bfloat16` extra)")
    expected, ours = EXPECTED[label], _outcome(label)
    if mode == "type" and "error" in expected:
        assert ours.get("error", [None])[0] == expected["error"][0], ours
    else:
        assert ours == expected
