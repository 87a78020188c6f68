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


def test_restored_iterator_replays_the_same_shuffles(tmp_path):
    """A restored iterator goes on with the draws it had (not another epoch's), even after
    another pass over the dataset moved its shuffles' epochs on."""
    ds = tf.data.Dataset.range(10).shuffle(10, seed=3).repeat(3)
    it = iter(ds)
    [next(it) for _ in range(12)]
    path = tf.train.Checkpoint(it=it).write(str(tmp_path / "c"))
    rest = [int(x) for x in it]
    [next(iter(ds)) for _ in range(2)]
    tf.train.Checkpoint(it=it).read(path).assert_consumed()
    assert [int(x) for x in it] == rest and len(rest) == 18
    assert sorted(rest[-10:]) == list(range(10))
