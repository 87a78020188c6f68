"""SavedModel round trips of functions whose graphs hold tf.switch_case, tf.case, nested
tf.cond/tf.while_loop, TensorArrays, a GradientTape (train steps that update Variables, one
through a tf.while_loop),
random ops, tf.print, tf.py_function/numpy_function and a dataset reduction: saved by one
process from a module written for the test, loaded and called by another that cannot import
that module, and compared with the original's results."""

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

pytest.importorskip("google.protobuf")

MODULE = textwrap.dedent("""
    import sys
    import tapeflow as tf

    F = tf.TensorSpec([None], tf.float32)


    @tf.custom_gradient
    def clipped(x):
        return tf.identity(x), lambda dy: tf.clip_by_value(dy, -0.1, 0.1)


    class Coverage(tf.Module):
        def __init__(self):
            super().__init__()
            self.w = tf.Variable([1.0, 2.0, 3.0], name="w")
            self.v = tf.Variable(0.5, name="v")

        @tf.function(input_signature=[tf.TensorSpec([], tf.int32), F])
        def switch(self, i, x):
            return tf.switch_case(i, [lambda: x * 2.0, lambda: x - self.v,
                                      lambda: tf.reduce_sum(x) + x])

        @tf.function(input_signature=[F])
        def case(self, x):
            s = tf.reduce_sum(x)
            return tf.case([(s > 10.0, lambda: x * 0.0), (s > 0.0, lambda: x + 1.0)],
                           default=lambda: -x)

        @tf.function(input_signature=[F])
        def nested(self, x):
            def inner(a):
                return tf.while_loop(lambda j, b: j < 2, lambda j, b: (j + 1, b * 1.5),
                                     (0, a))[1]

            def body(i, acc):
                return i + 1, tf.cond(acc[0] > 5.0, lambda: acc - 1.0, lambda: inner(acc))
            return tf.while_loop(lambda i, a: i < 4, body, (0, x))[1]

        @tf.function(input_signature=[F])
        def array(self, x):
            ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)

            def body(i, acc):
                return i + 1, acc.write(i, x[i] * self.w[i])
            return tf.while_loop(lambda i, a: i < 3, body, (0, ta))[1].stack()

        @tf.function(input_signature=[F])
        def grad(self, x):
            with tf.GradientTape() as tape:
                y = tf.reduce_sum(tf.sin(x * self.w) ** 2)
            return tape.gradient(y, self.w)

        @tf.function(input_signature=[F])
        def train_step(self, x):
            with tf.GradientTape() as tape:
                loss = tf.reduce_sum((x * self.w - 1.0) ** 2)
            self.w.assign_sub(0.1 * tape.gradient(loss, self.w))
            return loss

        @tf.function(input_signature=[F])
        def loop_grad(self, x):
            with tf.GradientTape() as tape:
                tape.watch(x)  # x is a loop variable and captured by the body
                y = tf.while_loop(lambda a: tf.reduce_sum(a) < 100.0, lambda a: a * x, [x],
                                  maximum_iterations=2)[0]
            return tape.gradient(y, x)

        @tf.function(input_signature=[F])
        def loop_train_step(self, x):
            with tf.GradientTape() as tape:
                h = tf.while_loop(lambda i, h: i < 4, lambda i, h: (
                    i + 1, tf.tanh(h * self.w + x * self.v)), (0, tf.zeros_like(x)))[1]
                loss = tf.reduce_sum((h - 0.5) ** 2)
            gw, gv = tape.gradient(loss, [self.w, self.v])
            self.w.assign_sub(0.1 * gw)
            self.v.assign_sub(0.1 * gv)
            return loss

        @tf.function(input_signature=[F])
        def custom(self, x):
            return clipped(x * self.w) * 2.0

        @tf.function(input_signature=[F])
        def noisy(self, x):
            return x + tf.random.uniform([3], seed=3) + tf.random.stateless_normal(
                [3], seed=[1, 2])

        @tf.function(input_signature=[F])
        def printed(self, x):
            tf.print("x:", x, [x[0], 7], sep="|", output_stream=sys.stdout)
            return x * 2.0

        @tf.function  # traced on the call's values (see docs/saved_model.md)
        def data(self, x):
            ds = tf.data.Dataset.from_tensor_slices(x).map(lambda e: e * self.v).batch(2)
            return ds.reduce(0.0, lambda a, b: a + tf.reduce_sum(b))

        @tf.function(input_signature=[F])
        def py(self, x):
            return tf.py_function(lambda a: a * 3.0, [x], tf.float32)

        @tf.function(input_signature=[F])
        def numpy(self, x):
            return tf.numpy_function(lambda a: a * 3.0, [x], tf.float32)
""")

CALLS = """
import json, tapeflow as tf
x = tf.constant([1.0, 2.0, 3.0])
out = {}
for i in (0, 1, 2, 7):
    out[f"switch{i}"] = m.switch(tf.constant(i), x).numpy().tolist()
for name in ("case", "nested", "array", "grad", "noisy", "printed", "data", "custom"):
    out[name] = getattr(m, name)(x).numpy().tolist()
out["case_negative"] = m.case(-x).numpy().tolist()
out["train"] = [float(m.train_step(x)) for _ in range(3)] + [m.w.numpy().tolist()]
out["loop_grad"] = m.loop_grad(x).numpy().tolist()
out["loop_train"] = [float(m.loop_train_step(x)) for _ in range(3)] + [
    m.w.numpy().tolist(), float(m.v.numpy())]
"""


def _run(code, tmp_path, env):
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         cwd=str(tmp_path))
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_functions_round_trip_in_a_fresh_process(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "coverage_mod.py").write_text(MODULE)
    path = str(tmp_path / "coverage")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if "src" in p)}
    # the saving process: record what an instance returns (random ops from their first draws,
    # as in the loading process), save another, and call the SavedModel's Python-function ops
    # in this process
    saving = (f"import sys; sys.path.insert(0, {str(src)!r})\nimport coverage_mod\n"
              f"m = coverage_mod.Coverage()\n{CALLS}\n"
              "saved = coverage_mod.Coverage()\n"
              "saved.data(x)\n"
              f"tf.saved_model.save(saved, {path!r})\n"
              f"r = tf.saved_model.load({path!r})\n"
              "out['py_here'] = [r.py(x).numpy().tolist(), r.numpy(x).numpy().tolist()]\n"
              "print('RESULT' + json.dumps(out))\n")
    loading = (f"import sys\nimport tapeflow as tf\nm = tf.saved_model.load({path!r})\n"
               f"{CALLS}\n"
               "for name in ('py', 'numpy'):\n"
               "    try:\n"
               "        getattr(m, name)(x)\n"
               "    except tf.errors.InvalidArgumentError as e:\n"
               "        out[name] = str(e)\n"
               "try:\n    import coverage_mod\n    out['importable'] = True\n"
               "except ImportError:\n    out['importable'] = False\n"
               "print('RESULT' + json.dumps(out))\n")
    original_text = _run(saving, tmp_path, env)
    loaded_text = _run(loading, tmp_path, env)
    original = json.loads(original_text.split("RESULT")[1])
    loaded = json.loads(loaded_text.split("RESULT")[1])
    assert loaded.pop("importable") is False
    py_errors = [loaded.pop("py"), loaded.pop("numpy")]
    assert original.pop("py_here") == [[3.0, 6.0, 9.0]] * 2  # same process: the callbacks
    assert loaded == original  # random ops too: fresh generators from the same seeds
    assert np.allclose(original["switch1"], [0.5, 1.5, 2.5])
    assert original["switch7"] == [7.0, 8.0, 9.0]  # out of range: the last branch
    assert original["loop_grad"] == [3.0, 12.0, 27.0]  # d(x**3)/dx: two iterations
    assert original["data"] == 3.0  # (1 + 2 + 3) * 0.5
    for text, op in zip(py_errors, ("EagerPyFunc", "PyFunc")):
        assert f"Detected at node {op} defined at" in text
        assert "ValueError: Could not find callback with key=pyfunc_" in text
    printed = [line for line in loaded_text.splitlines() if line.startswith("x:")]
    assert printed == ["x:|[1 2 3]|[1, 7]"] == [
        line for line in original_text.splitlines() if line.startswith("x:")]


def test_custom_gradients_saved_as_tf_saves_them(tmp_path, monkeypatch):
    """experimental_custom_gradients=True (TF's default): the loaded function's gradient is the
    custom one (advanced_autodiff.ipynb's clip_gradients: 2.0, not 4.0) in the process that
    saved it, and elsewhere it refuses rather than differentiate what the custom one replaced;
    False: the function's own ops are differentiated, as TF does."""
    import tapeflow as tf
    from tapeflow.saved_model import _special

    @tf.custom_gradient
    def clip_gradients(y):
        return y, lambda dy: tf.clip_by_norm(dy, 0.5)

    class Clipping(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec(None)])
        def call_custom_grad(self, x):
            return clip_gradients(x)

    def loaded_gradient(path):
        v = tf.Variable(2.0)
        loaded = tf.saved_model.load(path)
        with tf.GradientTape() as tape:
            out = loaded.call_custom_grad(v * v)
        return tape.gradient(out, v)

    for custom, want in ((True, 2.0), (False, 4.0)):
        path = str(tmp_path / f"m{custom}")
        tf.saved_model.save(Clipping(), path, options=tf.saved_model.SaveOptions(
            experimental_custom_gradients=custom))
        assert float(loaded_gradient(path)) == want
    monkeypatch.setattr(_special, "_CALLBACKS", {})  # as in another process
    with pytest.raises(LookupError, match="custom gradient .* cannot be computed here"):
        loaded_gradient(str(tmp_path / "mTrue"))
