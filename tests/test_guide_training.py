"""The TF Core guides' training steps give TF 2.21's numbers (tests/guide_training.py; the
fixture is recorded under TF by tools/record_guide_fixtures.py)."""

import json
import pathlib

import numpy as np
import pytest

import tapeflow as tf
from guide_training import GUIDES

WANT = json.loads((pathlib.Path(__file__).parent / "fixtures" / "guides" / "training.json")
                  .read_text())


def close(got, want, rtol):
    if isinstance(want, dict):
        assert sorted(got) == sorted(want)
        for k in want:
            close(got[k], want[k], rtol)
    elif isinstance(want, float):
        np.testing.assert_allclose(got, want, rtol=rtol, atol=1e-6)
    elif isinstance(want, list):
        np.testing.assert_allclose(np.asarray(got, float), np.asarray(want, float), rtol=rtol,
                                   atol=1e-6)
    else:
        assert got == want


@pytest.mark.parametrize("name", sorted(GUIDES))
def test_guide_numbers_match_tf(name):
    close(GUIDES[name](tf), WANT[name], rtol=1e-5)
