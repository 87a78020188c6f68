import numpy as np
import pytest

import tapeflow as tf


@pytest.fixture(autouse=True)
def _no_leftover_tapes():
    """Every test starts and ends with no active recorder."""
    from tapeflow.engine.core import state
    assert state.stack == []
    yield
    leftover = list(state.stack)
    state.stack.clear()
    assert leftover == [], "a test left a tape recording"


@pytest.fixture
def rng():
    return np.random.default_rng(0)


__all__ = ["tf"]
