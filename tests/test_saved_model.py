"""tf.saved_model.save / load: variables in TF's checkpoint format, traced functions in
tapeflow's graph description, loaded without the defining code."""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import tapeflow as tf

pytest.importorskip("google.protobuf")


class Scaler(tf.Module):
    def __init__(self):
        super().__init__()
        self.weight = tf.Variable(3)
        self.inner = tf.Module()
        self.inner.v = tf.Variable([1.0, 2.0], trainable=False, name="offset")
        self.count = tf.Variable(0.0)

    @tf.function
    def multiply(self, x):
        return x * self.weight

    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def scale(self, x):
        return {"a": tf.nn.relu(x * 2.0 - 1.0), "b": x + self.inner.v[0]}

    @tf.function
    def step(self, x, times=2):
        self.count.assign_add(tf.reduce_sum(x))
        return tf.reduce_mean(x) * times, tf.concat([x, x], 0)


def _saved(tmp_path):
    m = Scaler()
    m.multiply(tf.constant([1, 2, 3]))
    m.step(tf.constant([1.0, 2.0]))
    path = str(tmp_path / "model")
    tf.saved_model.save(m, path, signatures=m.multiply.get_concrete_function(
        tf.TensorSpec([None], tf.int32)))
    return m, path


def test_round_trip_functions_variables_signature(tmp_path):
    m, path = _saved(tmp_path)
    r = tf.saved_model.load(path)
    assert type(r).__qualname__ == "Loader._recreate_base_user_object.<locals>._UserObject"
    assert r.multiply(tf.constant([1, 2, 3])).numpy().tolist() == [3, 6, 9]
    x = tf.constant([0.25, 2.0])
    got, want = r.scale(x), m.scale(x)
    assert sorted(got) == ["a", "b"]
    for k in got:
        np.testing.assert_array_equal(got[k].numpy(), want[k].numpy())
    assert r.scale(tf.constant([1.0, 2.0, 3.0]))["a"].shape == (3,)  # None dim: any length
    assert r.inner.v.name == "offset:0" and not r.inner.v.trainable
    assert [v.name for v in r.variables] == [v.name for v in m.variables]
    assert len(r.trainable_variables) == 2
    sig = r.signatures["serving_default"]
    out = sig(tf.constant([4, 5]))
    assert list(out) == ["output_0"] and out["output_0"].numpy().tolist() == [12, 15]
    assert sig(x=tf.constant([1]))["output_0"].numpy().tolist() == [3]
    assert repr(sig.structured_outputs) == (
        "{'output_0': TensorSpec(shape=(None,), dtype=tf.int32, name='output_0')}")
    assert repr(sig.structured_input_signature) == (
        "((), {'x': TensorSpec(shape=(None,), dtype=tf.int32, name='x')})")


def test_state_python_arguments_and_gradients(tmp_path):
    m, path = _saved(tmp_path)
    r = tf.saved_model.load(path)
    mean, doubled = r.step(tf.constant([1.0, 2.0]))
    assert float(mean) == 3.0 and doubled.shape == (4,)
    assert float(r.count.numpy()) == 6.0  # the saved 3.0, then the loaded assign_add
    r.step(tf.constant([1.0, 2.0]))
    assert float(r.count.numpy()) == 9.0
    assert float(m.count.numpy()) == 3.0  # the original is untouched
    with pytest.raises(ValueError, match="Could not find matching concrete function"):
        r.step(tf.constant([1.0, 2.0]), times=3)  # traced with times=2 only
    w = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(r.scale(tf.constant([1.0, 2.0]) * w)["a"])
    assert float(tape.gradient(y, w)) == 6.0


def test_untraced_signature_raises_tfs_value_error(tmp_path):
    _, path = _saved(tmp_path)
    r = tf.saved_model.load(path)
    with pytest.raises(ValueError, match="Could not find matching concrete function"):
        r.multiply(tf.constant([1.0, 2.0]))  # the full text: test_texts_match_tensorflows
    with pytest.raises(ValueError, match="match one of the following 1 option"):
        r.step(tf.constant([1.0, 2.0, 3.0]))


def test_only_traced_functions_saved_and_default_signature(tmp_path):
    m = Scaler()
    path = str(tmp_path / "m")
    tf.saved_model.save(m, path)
    r = tf.saved_model.load(path)
    assert not hasattr(r, "multiply") and not hasattr(r, "step")  # never traced
    assert list(r.signatures) == ["serving_default"]  # the one input_signature function
    assert sorted(r.signatures["serving_default"](tf.constant([1.0]))) == ["a", "b"]


def test_variables_readable_by_checkpoint_reader(tmp_path):
    m, path = _saved(tmp_path)
    assert sorted(os.listdir(path)) == ["assets", "tapeflow_constants.npz",
                                        "tapeflow_saved_model.json", "variables"]
    assert sorted(os.listdir(os.path.join(path, "variables"))) == [
        "variables.data-00000-of-00001", "variables.index"]
    reader = tf.train.load_checkpoint(os.path.join(path, "variables", "variables"))
    assert reader.get_tensor("weight/.ATTRIBUTES/VARIABLE_VALUE") == 3
    assert reader.get_tensor("inner/v/.ATTRIBUTES/VARIABLE_VALUE").tolist() == [1.0, 2.0]
    with open(os.path.join(path, "tapeflow_saved_model.json")) as f:
        assert "pickle" not in f.read()


def test_overwrite_is_whole_and_failed_save_keeps_old(tmp_path):
    m, path = _saved(tmp_path)
    m.weight.assign(5)
    tf.saved_model.save(m, path)
    assert tf.saved_model.load(path).multiply(tf.constant([1, 2, 3])).numpy().tolist() == [
        5, 10, 15]

    outside = tf.Variable(2.0)

    class Bad(tf.Module):
        @tf.function
        def f(self, x):
            return x * outside  # a Variable the saved object does not reference
    bad = Bad()
    bad.f(tf.constant(1.0))
    with pytest.raises(KeyError, match="Failed to add concrete function"):
        tf.saved_model.save(bad, path)
    assert tf.saved_model.load(path).weight.numpy() == 5
    assert [p for p in os.listdir(tmp_path) if ".tmp" in p or ".old" in p] == []


def test_missing_directory(tmp_path):
    with pytest.raises(OSError, match="SavedModel file does not exist"):
        tf.saved_model.load(str(tmp_path / "nothing"))


def test_fresh_interpreter_without_defining_module(tmp_path):
    """Saved from a module written for this test, loaded where that module cannot be imported."""
    src = tmp_path / "src"
    src.mkdir()
    (src / "defining_mod.py").write_text(textwrap.dedent("""
        import tapeflow as tf

        class Dense(tf.Module):
            def __init__(self):
                super().__init__()
                self.w = tf.Variable([[1.0, -2.0], [0.5, 1.0], [2.0, 0.0]], name="w")
                self.b = tf.Variable([0.1, 0.2], name="b")

            @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])
            def __call__(self, x):
                return tf.nn.softmax(tf.nn.relu(x @ self.w + self.b))
    """))
    path = str(tmp_path / "dense")
    save = (f"import sys; sys.path.insert(0, {str(src)!r}); import defining_mod, tapeflow as tf; "
            f"tf.saved_model.save(defining_mod.Dense(), {path!r})")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if "src" in p)}
    subprocess.run([sys.executable, "-c", save], check=True, env=env, cwd=str(tmp_path))
    load = textwrap.dedent(f"""
        import sys, tapeflow as tf
        assert "defining_mod" not in sys.modules
        try:
            import defining_mod
            raise SystemExit("the defining module is importable")
        except ImportError:
            pass
        r = tf.saved_model.load({path!r})
        x = tf.constant([[1.0, 2.0, 3.0], [0.0, -1.0, 1.0]])
        print(r(x).numpy().tolist())
        print(r.signatures["serving_default"](x)["output_0"].numpy().tolist())
        print([v.name for v in r.trainable_variables])
    """)
    run = subprocess.run([sys.executable, "-c", load], capture_output=True, text=True,
                         env=env, cwd=str(tmp_path))
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    sys.path.insert(0, str(src))
    try:
        import defining_mod
        want = defining_mod.Dense()(tf.constant([[1.0, 2.0, 3.0], [0.0, -1.0, 1.0]]))
    finally:
        sys.path.remove(str(src))
        sys.modules.pop("defining_mod", None)
    assert lines[0] == str(want.numpy().tolist()) == lines[1]
    assert lines[2] == "['b:0', 'w:0']"


class Versioned(tf.Module):
    """Version 1 multiplies by its weight, version 2 adds it: a mix of one's graph and the
    other's variables would show."""

    def __init__(self, version):
        super().__init__()
        self.version = tf.Variable(version)
        self.weight = tf.Variable(np.full((32, 32), float(version), np.float32))
        if version == 1:
            self.f = tf.function(lambda x: x * self.weight)
        else:
            self.f = tf.function(lambda x: x + self.weight)
        self.f(tf.ones((32, 32)))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_save_killed_at_every_step_leaves_a_whole_saved_model(tmp_path):
    from test_checkpoint_crash import run_killed_at
    path = str(tmp_path / "m")
    tf.saved_model.save(Versioned(1), path)
    seen, gaps = set(), 0
    for k in range(1, 40):
        code = run_killed_at(k, lambda p: tf.saved_model.save(Versioned(2), p), path)
        assert code in (0, 75), f"the child failed at step {k}"
        gaps += not os.path.exists(path)  # killed with the old one moved aside
        r = tf.saved_model.load(path)
        version = int(r.version.numpy())
        out = r.f(tf.ones((32, 32))).numpy()
        assert np.all(out == (1.0 if version == 1 else 3.0)), f"a mixed SavedModel at step {k}"
        seen.add(version)
        if code == 0:
            break
        if version == 2:  # killed after the rename: put version 1 back for the next step
            tf.saved_model.save(Versioned(1), path)
    assert seen == {1, 2} and code == 0 and k > 3 and gaps == 1
    assert sorted(os.listdir(tmp_path)) == ["m"]  # nothing left aside once a save completed


def test_keras_model_with_a_tf_function(tmp_path):
    class Wrap(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.d = tf.keras.layers.Dense(2, activation="relu")

        def call(self, x):
            return self.d(x)

        @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])
        def serve(self, x):
            return {"scores": self.d(x) * 2.0}

    model = Wrap()
    x = tf.constant([[1.0, -2.0, 0.5], [0.1, 0.2, 0.3]])
    model(x)
    tf.saved_model.save(model, str(tmp_path / "k"))
    r = tf.saved_model.load(str(tmp_path / "k"))
    np.testing.assert_array_equal(r.serve(x)["scores"].numpy(), model.serve(x)["scores"].numpy())
    out = r.signatures["serving_default"](inputs=x)  # as TF: the call on the built shape
    assert list(out) == ["output_0"]
    np.testing.assert_array_equal(out["output_0"].numpy(), model(x).numpy())
    assert sorted(v.shape.as_list() for v in r.trainable_variables) == [[2], [3, 2]]
    assert sorted(v.shape.as_list() for v in r.d.variables) == [[2], [3, 2]]


class Branchy(tf.Module):
    def __init__(self):
        super().__init__()
        self.w = tf.Variable(2.0)
        self.steps = tf.Variable(0)

    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def f(self, x):
        if tf.reduce_sum(x) > 0:  # AutoGraph: a cond
            y = x * self.w
        else:
            y = -x
        total = tf.constant(0.0)
        for i in tf.range(3):  # AutoGraph: a while loop assigning a Variable
            total += tf.reduce_sum(y) * tf.cast(i, tf.float32)
            self.steps.assign_add(1)
        k = tf.while_loop(lambda k: k < 10.0, lambda k: k * self.w, [tf.constant(1.0)],
                          maximum_iterations=2)
        return y, total, k

    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def g(self, x):
        ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
        for i in tf.range(tf.shape(x)[0]):  # a TensorArray through a loop
            ta = ta.write(i, x[i] * self.w + tf.cast(i, tf.float32))
        return ta.stack()


def test_control_flow_saved(tmp_path):
    m = Branchy()
    tf.saved_model.save(m, str(tmp_path / "cf"))
    r = tf.saved_model.load(str(tmp_path / "cf"))
    for x in ([1.0, 2.0], [-1.0, -3.0]):
        want, got = m.f(tf.constant(x)), r.f(tf.constant(x))
        assert tf.nest.map_structure(lambda t: t.numpy().tolist(), got) == (
            tf.nest.map_structure(lambda t: t.numpy().tolist(), want))
    assert r.steps.numpy() == m.steps.numpy() == 6
    x = tf.constant([1.0, 2.0, 3.0, 4.0])
    assert r.g(x).numpy().tolist() == m.g(x).numpy().tolist() == [2.0, 5.0, 8.0, 11.0]
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(r.f(tf.constant([1.0, 2.0]))[0])
    assert float(tape.gradient(y, r.w)) == 3.0


def test_export_module_traced_from_its_signature_serves_any_batch(tmp_path):
    """The core tutorials' pattern: an ExportModule never called before saving, traced from
    a TensorSpec with an unknown batch dim (example dims of 1), then called on real batches."""
    class Model(tf.Module):
        def __init__(self):
            self.w = tf.Variable([[0.5], [-1.0], [2.0]])

        def __call__(self, x):
            return tf.math.sigmoid(tf.squeeze(x @ self.w, axis=1))

    class ExportModule(tf.Module):
        def __init__(self, model):
            self.model = model

        @tf.function(input_signature=[tf.TensorSpec(shape=[None, 3], dtype=tf.float32)])
        def __call__(self, x):
            return tf.cast(self.model(x) > 0.5, tf.float32)

    export = ExportModule(Model())
    tf.saved_model.save(export, str(tmp_path / "export"))
    loaded = tf.saved_model.load(str(tmp_path / "export"))
    x = tf.constant(np.arange(15, dtype=np.float32).reshape(5, 3) - 7.0)
    assert loaded(x).numpy().tolist() == export(x).numpy().tolist() == [0, 0, 1, 1, 1]


def test_loaded_object_saved_again(tmp_path):
    _, path = _saved(tmp_path)
    r = tf.saved_model.load(path)
    r.weight.assign(5)
    tf.saved_model.save(r, str(tmp_path / "again"))
    r2 = tf.saved_model.load(str(tmp_path / "again"))
    assert r2.multiply(x=tf.constant([1, 2, 3])).numpy().tolist() == [5, 10, 15]
    assert r2.signatures["serving_default"](x=tf.constant([2]))["output_0"].numpy() == [10]
    assert repr(r2.scale.concrete_functions[0].structured_input_signature) == (
        "((TensorSpec(shape=(None,), dtype=tf.float32, name='x'),), {})")
    assert float(r2.step(tf.constant([1.0, 3.0]))[0]) == 4.0 and float(r2.count.numpy()) == 7.0



def test_keras_models_get_keras_3s_serving_signature(tmp_path):
    a, b = tf.keras.Input((3,), name="a"), tf.keras.Input((2,), name="b")
    two = tf.keras.Model([a, b], tf.keras.layers.Concatenate()([a, b]))
    tf.saved_model.save(two, str(tmp_path / "two"))
    sig = tf.saved_model.load(str(tmp_path / "two")).signatures["serving_default"]
    assert repr(sig.structured_input_signature) == (
        "((), {'inputs': TensorSpec(shape=(None, 3), dtype=tf.float32, name='inputs'), "
        "'inputs_1': TensorSpec(shape=(None, 2), dtype=tf.float32, name='inputs_1')})")
    assert sig(inputs=tf.ones((1, 3)), inputs_1=tf.zeros((1, 2)))["output_0"].numpy().tolist() == [
        [1, 1, 1, 0, 0]]
    seq = tf.keras.Sequential([tf.keras.layers.Dense(2)])
    x = tf.constant(np.arange(12, dtype=np.float32).reshape(4, 3))
    seq(x)  # built by a call: Keras 3's signature has the call's shape
    tf.saved_model.save(seq, str(tmp_path / "seq"))
    sig = tf.saved_model.load(str(tmp_path / "seq")).signatures["serving_default"]
    assert repr(sig.structured_input_signature) == (
        "((), {'inputs': TensorSpec(shape=(4, 3), dtype=tf.float32, name='inputs')})")
    np.testing.assert_array_equal(sig(inputs=x)["output_0"].numpy(), seq(x).numpy())



def test_saved_model_never_imports_keras():
    import ast
    import pathlib
    root = pathlib.Path(tf.__file__).parent / "saved_model"
    for path in root.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom | ast.Import):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [
                    a.name for a in node.names]
                assert not any("keras" in n for n in names), (path, names)


def test_texts_match_tensorflows(tmp_path):
    """Reprs, printed values and error messages of the same snippets under TF 2.21 (recorded by
    tools/record_saved_model_fixtures.py)."""
    import json

    import saved_model_cases
    with open(os.path.join(os.path.dirname(__file__), "fixtures", "saved_model",
                           "tf_texts.json")) as f:
        want = json.load(f)["texts"]
    got = saved_model_cases.texts(tf, str(tmp_path))
    assert sorted(got) == sorted(want)
    # tapeflow names the description file it reads instead of TF's protobuf files
    assert got.pop("missing_dir") == want.pop("missing_dir").replace(
        "saved_model.pbtxt|saved_model.pb", "tapeflow_saved_model.json|saved_model.pb")
    for key in want:
        assert got[key] == want[key], key
    assert not any(p.name.startswith("basics_") for p in tmp_path.iterdir())  # failed saves


def test_dtypes_and_strings(tmp_path):
    class M(tf.Module):
        def __init__(self):
            self.c = tf.Variable(np.array([1 + 2j, 3 - 1j], np.complex64))
            self.h = tf.Variable(np.array([1.5, 2.5], np.float16))
            self.s = tf.Variable(b"tail\x00")

        @tf.function(input_signature=[tf.TensorSpec([None], tf.string),
                                      tf.TensorSpec([2], tf.bool)])
        def f(self, x, flag):
            return (x + tf.constant(b"-\xff\x00") + self.s,
                    tf.where(flag, self.c * 2, self.c), tf.cast(self.h, tf.float32) + 1.0)

    m = M()
    tf.saved_model.save(m, str(tmp_path / "d"))
    r = tf.saved_model.load(str(tmp_path / "d"))
    args = tf.constant(np.array([b"a", b"bc\x00"], object)), tf.constant([True, False])
    for got, want in zip(r.f(*args), m.f(*args)):
        assert got.dtype == want.dtype and got.numpy().tolist() == want.numpy().tolist()
    assert r.f(*args)[0].numpy().tolist() == [b"a-\xff\x00tail\x00", b"bc\x00-\xff\x00tail\x00"]
    assert r.s.numpy() == b"tail\x00" and r.h.dtype == tf.float16
