"""tf.train.Checkpoint / CheckpointManager: TF's dependency names and object graph (checked
byte for byte against checkpoints TF 2.21 wrote for the same objects), restoring TF's files,
deferred restoration, status checks and errors."""

import os
import shutil

import numpy as np
import pytest

pytest.importorskip("google.protobuf")
pytest.importorskip("crc32c")

import tapeflow as tf  # noqa: E402
import checkpoint_cases as cases  # noqa: E402
from test_checkpoint_format import FIXTURES, fixture  # noqa: E402


def same_files(prefix_a, prefix_b):
    for suffix in (".index", ".data-00000-of-00001"):
        with open(prefix_a + suffix, "rb") as a, open(prefix_b + suffix, "rb") as b:
            assert a.read() == b.read(), suffix


def test_write_gives_tf_bytes_for_every_dtype(tmp_path):
    path = tf.train.Checkpoint(**cases.dtype_variables(tf)).write(str(tmp_path / "ckpt"))
    assert path == str(tmp_path / "ckpt")
    same_files(path, fixture("dtypes")[0])
    assert sorted(os.listdir(tmp_path)) == ["ckpt.data-00000-of-00001", "ckpt.index"]


def test_save_nested_modules_gives_tf_bytes_and_state_file(tmp_path):
    root = cases.nested_module(tf)
    ckpt = tf.train.Checkpoint(model=root, step=tf.Variable(0, dtype=tf.int64))
    assert ckpt.save(str(tmp_path / "ckpt")) == str(tmp_path / "ckpt-1")
    cases.bump(root, ckpt.step)
    path = ckpt.save(tmp_path / "ckpt")
    assert path == str(tmp_path / "ckpt-2") and int(ckpt.save_counter) == 2
    same_files(path, fixture("modules")[0])
    with open(tmp_path / "checkpoint") as mine, open(os.path.join(FIXTURES, "modules",
                                                                  "checkpoint")) as tfs:
        assert mine.read() == tfs.read()
    assert tf.train.latest_checkpoint(str(tmp_path)) == path


def test_restores_every_dtype_tf_wrote():
    prefix, _, expected = fixture("dtypes")
    fresh = {k: tf.Variable(tf.zeros_like(v) if v.dtype != tf.string else tf.fill(v.shape, "")
                            ) for k, v in cases.dtype_variables(tf).items()}
    tf.train.Checkpoint(**fresh).read(prefix).assert_consumed()
    for name, var in fresh.items():
        want = expected[f"{name}/.ATTRIBUTES/VARIABLE_VALUE"]
        got = var.numpy()
        if var.dtype == tf.string:
            got = np.asarray(got, dtype=object).astype("S")
        else:
            assert got.dtype == want.dtype
        np.testing.assert_array_equal(got, want)


def test_restores_nested_modules_tf_saved(tmp_path):
    directory = os.path.dirname(fixture("modules")[0])
    _, _, expected = fixture("modules")
    root = cases.nested_module(tf)
    for var in root.variables:
        var.assign(tf.zeros_like(var))
    ckpt = tf.train.Checkpoint(model=root, step=tf.Variable(0, dtype=tf.int64))
    latest = tf.train.latest_checkpoint(directory)
    assert latest == os.path.join(directory, "ckpt-2")
    ckpt.restore(latest).assert_consumed()
    assert int(ckpt.save_counter) == 2 and int(ckpt.step) == 1
    np.testing.assert_array_equal(root.layers[0].w.numpy(),
                                  expected["model/shared/.ATTRIBUTES/VARIABLE_VALUE"])
    assert root.shared is root.layers[0].w
    np.testing.assert_array_equal(root.pair[0].numpy(), [1, 2])
    assert root.extra["scale"].numpy() == 3.0 and root._private.numpy() == 0.5


def test_reader_functions_on_tf_checkpoint():
    prefix, manifest, expected = fixture("modules")
    directory = os.path.dirname(prefix)
    listed = tf.train.list_variables(directory)
    assert listed == sorted((k, v) for k, v in manifest["variables"].items())
    reader = tf.train.load_checkpoint(prefix)
    assert reader.get_variable_to_shape_map() == manifest["variables"]
    assert {k: v.name for k, v in reader.get_variable_to_dtype_map().items()} == manifest["dtypes"]
    key = "model/layers/1/w/.ATTRIBUTES/VARIABLE_VALUE"
    np.testing.assert_array_equal(reader.get_tensor(key), expected[key])
    np.testing.assert_array_equal(tf.train.load_variable(directory, key), expected[key])
    assert tf.train.load_variable(prefix, "save_counter/.ATTRIBUTES/VARIABLE_VALUE") == 2
    with pytest.raises(tf.errors.NotFoundError, match="Key nope not found in checkpoint"):
        reader.get_tensor("nope")


class Net(tf.Module):
    pass


def _write_nested_net(tmp_path):
    """A Net holding an inner Net with a kernel, and a bias, written as ``net``; its path."""
    net = Net()
    net.inner = Net()
    net.inner.kernel = tf.Variable([[1.0, 2.0]])
    net.bias = tf.Variable(3.0)
    return tf.train.Checkpoint(net=net).write(str(tmp_path / "c"))


def test_restore_into_new_objects_before_they_exist(tmp_path):
    """Deferred restoration: values wait for the attribute, the Module or the layer weight."""
    path = _write_nested_net(tmp_path)

    fresh = Net()
    status = tf.train.Checkpoint(net=fresh).read(path)
    with pytest.raises(AssertionError, match=r"Unresolved object in checkpoint \(root\)\.net"):
        status.assert_consumed()
    fresh.bias = tf.Variable(0.0)
    assert fresh.bias.numpy() == 3.0
    fresh.inner = Net()
    fresh.inner.kernel = tf.Variable(tf.zeros([1, 2]))
    np.testing.assert_array_equal(fresh.inner.kernel.numpy(), [[1.0, 2.0]])
    status.assert_consumed()


def test_guide_delayed_restoration_on_checkpoint_attributes(tmp_path):
    fake = tf.train.Checkpoint(bias=tf.Variable(1.0), kernel=tf.Variable(tf.ones([1, 5])))
    path = tf.train.Checkpoint(layer=fake).write(str(tmp_path / "c"))
    layer = tf.train.Checkpoint(bias=tf.Variable(0.0))
    tf.train.Checkpoint(layer=layer).restore(path)
    assert layer.bias.numpy() == 1.0
    deferred = tf.Variable(tf.zeros([1, 5]))
    layer.kernel = deferred
    np.testing.assert_array_equal(deferred.numpy(), np.ones([1, 5], np.float32))


def test_status_asserts(tmp_path):
    path = tf.train.Checkpoint(v=tf.Variable([1.0, 2.0])).write(str(tmp_path / "c"))
    extra = tf.Variable(1.0)
    status = tf.train.Checkpoint(v=tf.Variable([0.0, 0.0]), w=extra).read(path)
    msg = (r"Found 1 Python objects that were not bound to checkpointed values, likely due to "
           r"changes in the Python program. Showing 1 of 1 unmatched objects: \[<tf.Variable "
           r"'Variable:0' shape=\(\) dtype=float32, numpy=1.0>\]")
    with pytest.raises(AssertionError, match=msg):
        status.assert_existing_objects_matched()
    with pytest.raises(AssertionError, match=msg):
        status.assert_consumed()
    assert status.expect_partial() is status and status.assert_nontrivial_match() is status
    partial = tf.train.Checkpoint(w=extra).read(path)
    with pytest.raises(AssertionError, match="Nothing except the root object matched"):
        partial.assert_nontrivial_match()
    nothing = tf.train.Checkpoint(v=tf.Variable(1.0)).restore(None)
    with pytest.raises(AssertionError, match=r"No checkpoint specified \(save_path=None\)"):
        nothing.assert_consumed()


def test_mismatch_and_missing_errors(tmp_path):
    path = tf.train.Checkpoint(v=tf.Variable([1.0, 2.0])).write(str(tmp_path / "c"))
    with pytest.raises(ValueError, match=r"^Received incompatible tensor with shape \(2,\) when "
                       r"attempting to restore variable with shape \(3,\) and name Variable:0\.$"):
        tf.train.Checkpoint(v=tf.Variable([1.0, 2.0, 3.0])).read(path)
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        tf.train.Checkpoint(v=tf.Variable([1, 2])).read(path)
    assert str(e.value) == (
        "{{function_node __wrapped__RestoreV2_dtypes_1_device_/job:localhost/replica:0/task:0/"
        "device:CPU:0}} tensor_name = v/.ATTRIBUTES/VARIABLE_VALUE; expected dtype int32 does not "
        "equal original dtype float [Op:RestoreV2]")
    missing = str(tmp_path / "nothere" / "ck")
    with pytest.raises(tf.errors.NotFoundError, match="Unsuccessful TensorSliceReader "
                       "constructor: Failed to find any matching files for .*nothere/ck$"):
        tf.train.Checkpoint(v=tf.Variable(1.0)).restore(missing)
    with pytest.raises(tf.errors.NotFoundError):
        tf.train.list_variables(missing)
    assert tf.train.latest_checkpoint(str(tmp_path / "nothere")) is None
    with pytest.raises(ValueError, match="was expecting a trackable object"):
        tf.train.Checkpoint(x=3)


def test_manager_keeps_rotates_and_recovers(tmp_path, monkeypatch):
    import tapeflow.train.checkpoint_manager as cm
    clock = [1000.0]
    monkeypatch.setattr(cm.time, "time", lambda: clock[0])
    v = tf.Variable(0)
    ckpt = tf.train.Checkpoint(v=v)
    manager = tf.train.CheckpointManager(ckpt, str(tmp_path), max_to_keep=2,
                                         keep_checkpoint_every_n_hours=1, checkpoint_name="m")
    assert manager.latest_checkpoint is None and manager.restore_or_initialize() is None
    paths = []
    for _ in range(4):
        clock[0] += 1800.0
        v.assign_add(1)
        paths.append(manager.save())
    assert paths == [str(tmp_path / f"m-{i}") for i in range(1, 5)]
    # m-1 (1800 s after the start) is dropped; m-2 is the first an hour past: preserved.
    assert manager.checkpoints == paths[2:]
    assert not os.path.exists(paths[0] + ".index") and os.path.exists(paths[1] + ".index")
    assert manager.save(checkpoint_number=100) == str(tmp_path / "m-100")
    state = tf.train.get_checkpoint_state(str(tmp_path))
    assert list(state.all_model_checkpoint_paths) == [paths[3], str(tmp_path / "m-100")]
    assert state.last_preserved_timestamp == 1000.0 + 3600.0

    v.assign(-1)
    again = tf.train.CheckpointManager(tf.train.Checkpoint(v=v), str(tmp_path), max_to_keep=2,
                                       checkpoint_name="m")
    assert again.checkpoints == [paths[3], str(tmp_path / "m-100")]
    assert again.restore_or_initialize() == str(tmp_path / "m-100")
    assert int(v) == 4


def test_manager_continues_tf_written_directory(tmp_path):
    directory = os.path.dirname(fixture("manager")[0])
    for name in os.listdir(directory):
        shutil.copy(os.path.join(directory, name), tmp_path)
    v = tf.Variable([0.0, 0.0])
    ckpt = tf.train.Checkpoint(v=v)
    manager = tf.train.CheckpointManager(ckpt, str(tmp_path), max_to_keep=2,
                                         checkpoint_name="model")
    assert manager.checkpoints == [str(tmp_path / "model-2"), str(tmp_path / "model-3")]
    assert manager.restore_or_initialize() == str(tmp_path / "model-3")
    np.testing.assert_array_equal(v.numpy(), [4.0, 5.0])
    assert int(ckpt.save_counter) == 3
    assert manager.save() == str(tmp_path / "model-4")
    assert sorted(os.listdir(tmp_path)) == [
        "checkpoint", "expected.npz", "manifest.json", "model-3.data-00000-of-00001",
        "model-3.index", "model-4.data-00000-of-00001", "model-4.index"]


def test_adam_slots_restore_deferred_from_tf_and_save_back_with_tf_keys(tmp_path):
    """TF's Keras 3 Adam after one step: iterations and learning rate restore at once, the
    momentum/velocity slots when ``build`` creates them, the trained weights through
    ``optimizer/_trainable_variables/N`` (their first path in TF's graph) when assigned."""
    from tapeflow.train import _protos
    from tapeflow.train._bundle import BundleReader
    prefix, manifest, expected = fixture("keras")
    weights = [tf.Variable(np.zeros(s, np.float32)) for s in [(3, 4), (4,), (4, 2), (2,)]]
    opt = tf.keras.optimizers.Adam(0.5)
    status = tf.train.Checkpoint(optimizer=opt).read(prefix)
    assert int(opt.iterations) == 1 and opt.learning_rate.numpy() == np.float32(0.1)
    opt.build(weights)
    status.assert_consumed()
    for i, var in enumerate(opt.variables[2:], start=2):
        np.testing.assert_array_equal(
            var.numpy(), expected[f"optimizer/_variables/{i}/.ATTRIBUTES/VARIABLE_VALUE"])
    for i, var in enumerate(weights):
        np.testing.assert_array_equal(
            var.numpy(), expected[f"optimizer/_trainable_variables/{i}/.ATTRIBUTES/VARIABLE_VALUE"])

    path = tf.train.Checkpoint(optimizer=opt).write(str(tmp_path / "c"))
    assert tf.train.list_variables(path) == sorted(manifest["variables"].items())
    ours = BundleReader(path)
    for key in expected.files:
        np.testing.assert_array_equal(ours.read(key), expected[key])
    graph = _protos.TrackableObjectGraph.FromString(ours.read("_CHECKPOINTABLE_OBJECT_GRAPH")[()])
    tf_graph = _protos.TrackableObjectGraph()
    from google.protobuf import text_format
    text_format.Parse(manifest["object_graph"], tf_graph)
    names = [c.local_name for c in graph.nodes[1].children]
    assert names == [c.local_name for c in tf_graph.nodes[2].children]  # TF's optimizer node


def test_saving_streams_without_copying_tensors(tmp_path):
    import tracemalloc
    variables = {f"v{i}": tf.Variable(np.full(2**18, i, np.float32)) for i in range(8)}  # 1 MiB
    ckpt = tf.train.Checkpoint(**variables)
    ckpt.write(str(tmp_path / "warm"))
    tracemalloc.start()
    try:
        ckpt.write(str(tmp_path / "c"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2**20  # below the largest tensor: nothing is copied whole


def test_graph_layouts_give_tf_bytes(tmp_path):
    """root=, root= with kwargs, an attribute added after save_counter, lists/dicts/tuples held
    by a Checkpoint, a Module built on first call: every file as TF 2.21 wrote it."""
    prefixes = cases.layouts(tf, str(tmp_path))
    theirs = os.path.join(FIXTURES, "layouts")
    for prefix in prefixes:
        same_files(prefix, os.path.join(theirs, os.path.basename(prefix)))
    with open(tmp_path / "checkpoint") as mine, open(os.path.join(theirs, "checkpoint")) as tfs:
        assert mine.read() == tfs.read()
    restored = tf.train.Checkpoint(root=cases.nested_module(tf), q=tf.Variable(0.0))
    restored.restore(prefixes[-2])
    assert restored.q.numpy() == 5.0 and int(restored.save_counter) == 1


def test_waiting_restores_keep_nothing_alive(tmp_path):
    import gc
    import weakref
    from tapeflow.framework import trackable

    net = Net()
    net.v = tf.Variable(1.0)
    path = tf.train.Checkpoint(net=net).write(str(tmp_path / "c"))
    empty = Net()
    tf.train.Checkpoint(net=empty).read(path).expect_partial()
    assert id(empty) in trackable._waiting
    gone = weakref.ref(empty)
    del empty
    gc.collect()
    assert gone() is None and all(ref() is not None for ref, _ in trackable._waiting.values())


def test_unused_values_are_logged_when_the_restore_ends_unless_partial(tmp_path, caplog):
    import gc
    import logging

    path = _write_nested_net(tmp_path)
    logger = logging.getLogger("tensorflow")
    logger.addHandler(caplog.handler)
    try:
        tf.train.Checkpoint(net=Net()).read(path)
        gc.collect()
        logged = [r.getMessage() for r in caplog.records]
        assert logged[0].startswith("Detecting that an object or model or tf.train.Checkpoint "
                                    "is being deleted with unrestored values.")
        assert logged[1:] == [
            "Value in checkpoint could not be found in the restored object: (root).net.bias",
            "Value in checkpoint could not be found in the restored object: "
            "(root).net.inner.kernel"]
        caplog.clear()
        tf.train.Checkpoint(net=Net()).read(path).expect_partial()
        gc.collect()
        assert caplog.records == []
    finally:
        logger.removeHandler(caplog.handler)


def test_keras_model_and_adam_from_tf_restore_and_save_back_byte_for_byte(tmp_path):
    """Sequential + Adam after a step, saved by TF 2.21/Keras 3: restored into tapeflow's Keras
    objects (assert_consumed), written again: the very bytes TF wrote, object graph included."""
    prefix = fixture("keras")[0]
    model, opt = cases.keras_model(tf)
    tf.train.Checkpoint(model=model, optimizer=opt).read(prefix).assert_consumed()
    path = tf.train.Checkpoint(model=model, optimizer=opt).write(str(tmp_path / "ckpt"))
    same_files(path, prefix)

    # Restored before anything is built: the weights wait for the first call, the slots for
    # the optimizer's build.
    fresh = tf.keras.Sequential([tf.keras.layers.Dense(4, activation="relu"),
                                 tf.keras.layers.Dense(2)])
    fresh_opt = tf.keras.optimizers.Adam(0.1)
    status = tf.train.Checkpoint(model=fresh, optimizer=fresh_opt).read(prefix)
    fresh(np.ones((1, 3), np.float32))
    fresh_opt.build(fresh.trainable_variables)
    status.assert_consumed()
    for mine, theirs in zip(fresh.weights + fresh_opt.variables, model.weights + opt.variables):
        np.testing.assert_array_equal(mine.numpy(), theirs.numpy())


def test_keras_names_in_subclassed_model(tmp_path):
    class Net(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.l1 = tf.keras.layers.Dense(5)

        def call(self, x):
            return self.l1(x)

    net = Net()
    net(tf.ones([1, 1]))
    net.compile(optimizer="adam", loss="mse")
    path = tf.train.Checkpoint(step=tf.Variable(1), net=net).write(str(tmp_path / "c"))
    assert [k for k, _ in tf.train.list_variables(path)] == [
        "_CHECKPOINTABLE_OBJECT_GRAPH", "net/l1/_kernel/.ATTRIBUTES/VARIABLE_VALUE",
        "net/l1/bias/.ATTRIBUTES/VARIABLE_VALUE",
        "net/optimizer/_iterations/.ATTRIBUTES/VARIABLE_VALUE",
        "net/optimizer/_learning_rate/.ATTRIBUTES/VARIABLE_VALUE",
        "step/.ATTRIBUTES/VARIABLE_VALUE"]


def test_tf_data_iterator_in_a_checkpoint(tmp_path):
    """TF saves an iterator's position as a variant tensor tapeflow cannot hold: the reader lists
    it as TF does (dtype variant), a restore takes the rest, and tapeflow's own checkpoints hold
    the iterator as a node without values in the object graph (so TF restores them, its iterator
    starting over) and its position as int64 ITERATOR_POSITION, which tapeflow restores."""
    prefix, manifest, _ = fixture("iterator")
    reader = tf.train.load_checkpoint(prefix)
    types = {k: v.name for k, v in reader.get_variable_to_dtype_map().items()}
    assert types == manifest["dtypes"] and types["iterator/.ATTRIBUTES/ITERATOR_STATE"] == "variant"
    assert repr(reader.get_variable_to_dtype_map()["iterator/.ATTRIBUTES/ITERATOR_STATE"]) == (
        "tf.variant")
    with pytest.raises(tf.errors.UnimplementedError, match="DataType 21"):
        reader.get_tensor("iterator/.ATTRIBUTES/ITERATOR_STATE")
    dataset = tf.data.Dataset.from_tensor_slices({"x": tf.range(10.0)[:, None]}).repeat().batch(2)
    step = tf.Variable(0)
    tf.train.Checkpoint(step=step, iterator=iter(dataset)).restore(prefix).expect_partial()
    assert int(step) == 3
    path = tf.train.Checkpoint(step=step, iterator=iter(dataset)).write(str(tmp_path / "c"))
    assert [k for k, _ in tf.train.list_variables(path)] == [
        "_CHECKPOINTABLE_OBJECT_GRAPH", "iterator/.ATTRIBUTES/ITERATOR_POSITION",
        "step/.ATTRIBUTES/VARIABLE_VALUE"]


def test_key_escaping_and_non_string_dict_keys(tmp_path):
    v = tf.Variable(1.0)
    path = tf.train.Checkpoint(d={"a/b.c": v, "3": tf.Variable(2.0)}).write(str(tmp_path / "c"))
    assert [k for k, _ in tf.train.list_variables(path)] == [
        "_CHECKPOINTABLE_OBJECT_GRAPH", "d/3/.ATTRIBUTES/VARIABLE_VALUE",
        "d/a.Sb..c/.ATTRIBUTES/VARIABLE_VALUE"]
    back = tf.Variable(0.0)
    tf.train.Checkpoint(d={"a/b.c": back}).read(path).expect_partial()
    assert back.numpy() == 1.0
    with pytest.raises(ValueError, match=r"^Unable to save the object \{3: <tf.Variable .*"
                       r"contains a non-string key which maps to a trackable object"):
        tf.train.Checkpoint(d={3: v}).write(str(tmp_path / "d"))


def test_train_imports_neither_keras_nor_the_tape():
    import ast
    import pathlib
    root = pathlib.Path(tf.__file__).parent / "train"
    for path in root.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert "keras" not in node.module and "engine" not in node.module, (path, node.module)


def test_manager_interval_and_init_fn(tmp_path):
    step = tf.Variable(0, dtype=tf.int64)
    ckpt = tf.train.Checkpoint(step=step)
    calls = []
    manager = tf.train.CheckpointManager(ckpt, str(tmp_path), max_to_keep=None,
                                         step_counter=step, checkpoint_interval=10,
                                         init_fn=lambda: calls.append("init"))
    assert manager.restore_or_initialize() is None and calls == ["init"]
    saved = []
    for _ in range(25):
        saved.append(manager.save())
        step.assign_add(4)
    # steps 0, 4, 8, 12, ...: a save is due 10 steps after the last one
    assert [p is not None for p in saved[:7]] == [True, False, False, True, False, False, True]
    assert manager.save(check_interval=False) is not None
    with pytest.raises(ValueError, match="`step_counter` should be passed"):
        tf.train.CheckpointManager(ckpt, str(tmp_path), 3, checkpoint_interval=5)
    with pytest.raises(ValueError, match="Expected a positive integer or `None`"):
        tf.train.CheckpointManager(ckpt, str(tmp_path), 0)


def test_overwriting_a_prefix_frees_the_old_data_in_the_background(tmp_path):
    import threading
    v = tf.Variable(np.arange(6.0, dtype=np.float32))
    ck = tf.train.Checkpoint(v=v)
    prefix = str(tmp_path / "same")
    ck.write(prefix)
    v.assign(v * 2.0)
    ck.write(prefix)  # the first data file keeps a second name until a thread removes it
    for t in threading.enumerate():
        if t.name == "checkpoint-unlink":
            t.join()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "same.data-00000-of-00001", "same.index"]
    v.assign(tf.zeros([6]))
    ck.read(prefix).assert_consumed()
    np.testing.assert_array_equal(v.numpy(), np.arange(6.0) * 2.0)
