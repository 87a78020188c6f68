"""tf.summary writes event files that TensorBoard's own reader reads as it reads TF 2.21's
(tests/fixtures/summary/run.json, recorded by tools/record_summary_fixtures.py)."""

import json
import pathlib

import numpy as np
import pytest

import tapeflow as tf

pytest.importorskip("tensorboard")
from tb_events import GRAPH_SCENARIO, SCENARIO, read_graphs, read_run  # noqa: E402

FIXTURE = pathlib.Path(__file__).parent / "fixtures" / "summary" / "run.json"
GRAPHS = pathlib.Path(__file__).parent / "fixtures" / "summary" / "graphs.json"


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


def test_trace_export_writes_the_graph_tf_writes(tmp_path):
    exec(GRAPH_SCENARIO, {"tf": tf, "np": np, "logdir": str(tmp_path)})
    assert read_graphs(tmp_path) == json.loads(GRAPHS.read_text())


def test_trace_on_off_and_errors(tmp_path):
    with pytest.raises(ValueError, match="Must enable trace before export"):
        tf.summary.trace_export("x", step=0)
    f = tf.function(lambda x: x * 2.0)
    tf.summary.trace_on()
    f(tf.constant(1.0))
    tf.summary.trace_off()  # nothing written, trace gone
    with pytest.raises(ValueError, match="Must enable trace before export"):
        tf.summary.trace_export("x", step=0)
    w = tf.summary.create_file_writer(str(tmp_path))
    tf.summary.trace_on(graph=True)
    f(tf.constant(2.0))   # traced before: a call runs it, and TF collects what runs
    f(tf.constant(3.0))   # one graph however often it runs
    with w.as_default():
        tf.summary.trace_export("again", step=7)
        with pytest.raises(ValueError, match="profiler_outdir"):
            tf.summary.trace_on(profiler=True)
    w.close()
    from tensorboard.backend.event_processing import event_accumulator
    from tensorboard.compat.proto import config_pb2
    acc = event_accumulator.EventAccumulator(str(tmp_path), size_guidance={"tensors": 0})
    acc.Reload()
    (event,) = acc.Tensors("again")
    meta = config_pb2.RunMetadata.FromString(event.tensor_proto.string_val[0])
    assert event.step == 7 and len(meta.function_graphs) == 1
    ops = [n.op for n in meta.function_graphs[0].pre_optimization_graph.node]
    assert ops == ["_Arg", "Const", "Mul", "Identity", "_Retval"]


def test_summary_graph_writes_the_event_files_graph(tmp_path):
    f = tf.function(lambda x: tf.reduce_sum(x * x))
    graph = f.get_concrete_function(tf.TensorSpec([None, 3])).graph
    assert not bool(tf.summary.graph(graph))  # no default writer
    w = tf.summary.create_file_writer(str(tmp_path))
    with w.as_default():
        assert bool(tf.summary.graph(graph))
        with pytest.raises(TypeError, match="Expected a tf.Graph"):
            tf.summary.graph("not a graph")
    w.close()
    from tensorboard.backend.event_processing import event_accumulator
    acc = event_accumulator.EventAccumulator(str(tmp_path))
    acc.Reload()
    proto = acc.Graph()
    placeholder = proto.node[0]
    assert (placeholder.op, placeholder.attr["T"].type) == ("_Arg", 1)
    assert [d.size for d in placeholder.attr["_output_shapes"].list.shape[0].dim] == [-1, 3]
    assert [n.op for n in proto.node if n.op not in ("Const", "_Arg")][:2] == ["Mul", "Sum"]


def test_profiler_writes_a_timeline_of_the_calls(tmp_path):
    import gzip

    with pytest.raises(tf.errors.UnavailableError, match="No profiler is running"):
        tf.profiler.experimental.stop()
    f = tf.function(lambda x: tf.nn.relu(x) + 1.0)
    with tf.profiler.experimental.Profile(str(tmp_path)):
        with pytest.raises(tf.errors.AlreadyExistsError, match="Another profiler is running"):
            tf.profiler.experimental.start(str(tmp_path))
        for step in range(2):
            with tf.profiler.experimental.Trace("train", step_num=step, _r=1):
                f(tf.constant([-1.0, 2.0]))
                tf.reduce_sum(tf.ones([3]))
    (path,) = (tmp_path / "plugins" / "profile").glob("*/*.trace.json.gz")
    events = json.loads(gzip.open(path).read())["traceEvents"]
    names = [e["name"] for e in events]
    assert names.count("train") == 2 and names.count("Sum") == 2
    assert "Function.__call__" in names and "Relu" in names  # the op of the first trace
    train = [e for e in events if e["name"] == "train"]
    assert train[0]["args"] == {"step_num": "0", "_r": "1"}
    for e in events:
        assert e["ph"] == "X" and e["dur"] >= 0
    inside = [e for e in events if e["name"] == "Sum"]
    assert all(t["ts"] <= s["ts"] and s["ts"] + s["dur"] <= t["ts"] + t["dur"]
               for t, s in zip(train, inside))


def test_audio_codec_as_tf():
    x = np.array([[0.5, -1.0], [0.25, 2.0]], np.float32)
    wav = tf.audio.encode_wav(x, 44100)
    assert wav.dtype == tf.string and wav.shape == ()
    # TF 2.21's bytes for this input: header, then round(x * 32768) clipped to int16
    assert wav.numpy()[44:] == np.array([16384, -32768, 8192, 32767], "<i2").tobytes()
    audio, rate = tf.audio.decode_wav(wav)
    assert rate.dtype == tf.int32 and int(rate) == 44100
    np.testing.assert_array_equal(audio, [[0.5, -1.0], [0.25, 32767 / 32768]])
    audio, _ = tf.audio.decode_wav(wav, desired_channels=1, desired_samples=3)
    np.testing.assert_array_equal(audio, [[0.5], [0.25], [0.0]])
    audio, _ = tf.audio.decode_wav(wav, desired_channels=3)
    np.testing.assert_array_equal(audio[:, 2], audio[:, 1])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"audio must be 2-dimensional\[3\]"):
        tf.audio.encode_wav(np.zeros(3, np.float32), 8000)
    with pytest.raises(tf.errors.InvalidArgumentError, match="but is a double tensor"):
        tf.audio.encode_wav(tf.zeros([3, 1], tf.float64), 8000)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Expected RIFF but found garb"):
        tf.audio.decode_wav(b"garbage")
