"""tf.summary writes event files that TensorBoard's own reader reads as it reads TF 2.21's
(tests/fixtures/summary/run.json, recorded by tools/record_summary_fixtures.py)."""

import json
import pathlib

import numpy as np
import pytest

import tapeflow as tf

pytest.importorskip("tensorboard")
from tb_events import SCENARIO, read_run  # noqa: E402

FIXTURE = pathlib.Path(__file__).parent / "fixtures" / "summary" / "run.json"


def test_tensorboard_reads_what_tf_writes(tmp_path):
    exec(SCENARIO, {"tf": tf, "np": np, "logdir": str(tmp_path)})
    files = list(tmp_path.iterdir())
    assert len(files) == 1 and files[0].name.startswith("events.out.tfevents.")
    assert files[0].name.endswith(".v2")
    got, want = read_run(tmp_path), json.loads(FIXTURE.read_text())
    assert sorted(got) == sorted(want)
    for tag in want:
        assert got[tag]["plugin"] == want[tag]["plugin"], tag
        assert got[tag]["description"] == want[tag]["description"], tag
        for g, w in zip(got[tag]["entries"], want[tag]["entries"], strict=True):
            assert (g["step"], g["dtype"], g["shape"]) == (w["step"], w["dtype"], w["shape"]), tag
            if got[tag]["plugin"] == "histograms":
                np.testing.assert_allclose(g["values"], w["values"], rtol=1e-12, err_msg=tag)
            else:
                assert g["values"] == w["values"], tag


def test_return_values_steps_and_errors(tmp_path):
    assert not bool(tf.summary.scalar("x", 1.0, step=0))  # no default writer
    w = tf.summary.create_file_writer(str(tmp_path))
    with pytest.raises(ValueError, match="No step set"):
        with w.as_default():
            tf.summary.scalar("x", 1.0)
    assert tf.summary.experimental.get_step() is None
    with w.as_default(step=3):
        assert tf.summary.experimental.get_step() == 3
        ok = tf.summary.scalar("loss", 0.5)
        assert ok.dtype == tf.bool and bool(ok)
        with tf.summary.record_if(False):
            assert not bool(tf.summary.scalar("no", 1.0))
        with pytest.raises(ValueError, match=r"must have rank 4.  Received rank 3"):
            tf.summary.image("bad", np.zeros((8, 8, 3)), step=1)
    assert tf.summary.experimental.get_step() is None
    step = tf.Variable(2, dtype=tf.int64)
    tf.summary.experimental.set_step(step)
    assert tf.summary.experimental.get_step() is step
    with w.as_default():
        tf.summary.scalar("by_variable", 1.0)
        step.assign_add(1)
        tf.summary.scalar("by_variable", 2.0)
    tf.summary.experimental.set_step(None)
    with tf.summary.create_noop_writer().as_default():
        assert not bool(tf.summary.scalar("z", 1.0, step=1))
    w.flush()
    run = read_run(tmp_path)
    assert [e["step"] for e in run["by_variable"]["entries"]] == [2, 3]
    assert [e["values"] for e in run["loss"]["entries"]] == [0.5]
    w.close()
    with pytest.raises(RuntimeError, match="is already closed"):
        w.as_default()


def test_histogram_buckets_put_the_maximum_in_the_last_bucket():
    from tapeflow.summary.ops import histogram_buckets
    b = histogram_buckets(np.array([0.0, 0.5, 1.0]), 2)
    assert b.tolist() == [[0.0, 0.5, 1.0], [0.5, 1.0, 2.0]]
    assert histogram_buckets(np.array([]), 4).shape == (4, 3)
