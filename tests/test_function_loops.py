"""map_fn / scan / foldl / foldr as graph loops under tf.function, and derivatives of every
order through graph loops (issue #9).

Values and static shapes are compared with what TF 2.21 computed for the same snippets
(tests/loop_cases.py, recorded by tools/record_loops_fixtures.py), the rest with eager tapeflow.
"""

import json
import os

import numpy as np
import pytest

import tapeflow as tf

import loop_cases

FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures", "loops")


@pytest.fixture(scope="module")
def tapeflow_results():
    return loop_cases.cases(tf)


def _tf_results():
    with open(os.path.join(FIXTURES, "tf_shapes.json")) as f:
        meta = json.load(f)
    arrays = np.load(os.path.join(FIXTURES, "tf.npz"))
    out = {}
    for name, count in meta["counts"].items():
        out[name] = [arrays[f"{name}/{k}"] if f"{name}/{k}" in arrays.files
                     else meta["shapes"][f"{name}/{k}"] for k in range(count)]
    return out


TF = _tf_results()


@pytest.mark.parametrize("name", sorted(TF))
def test_matches_tensorflow(tapeflow_results, name):
    ours, theirs = tapeflow_results[name], TF[name]
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        if isinstance(b, np.ndarray):
            assert a.dtype == b.dtype and a.shape == b.shape
            np.testing.assert_allclose(a, b, rtol=2e-6, atol=1e-6)
        else:
            assert a == b  # a static shape


def test_one_trace_serves_every_size():
    f = tf.function(lambda x: tf.map_fn(lambda r: tf.reduce_sum(r), x),
                    input_signature=[tf.TensorSpec([None, 3])])
    cf = f.get_concrete_function()
    assert str(cf.structured_outputs.shape) == "(None,)"
    for n in (0, 1, 5, 2):
        x = np.arange(3 * n, dtype=np.float32).reshape(n, 3)
        np.testing.assert_array_equal(f(tf.constant(x)).numpy(), x.sum(1))
    assert f.experimental_get_tracing_count() == 1
    types = [op.type for op in cf.graph.get_operations()]
    assert "While" in types and "TensorListStack" in types

    @tf.function
    def fixed(x):  # a static leading dim stays static
        return tf.scan(lambda a, r: a + r, x), tf.foldl(lambda a, r: a + r, x)

    s, total = fixed.get_concrete_function(tf.TensorSpec([4, 2])).structured_outputs
    assert s.shape == (4, 2) and total.shape == (2,)


def test_second_order_and_forward_mode_match_eager():
    def loop(x):
        return tf.while_loop(lambda i, y: i < 4, lambda i, y: (i + 1, tf.sin(y) * x),
                             (0, x))[1]

    def hvp(x):
        with tf.autodiff.ForwardAccumulator(x, tf.ones_like(x)) as acc:
            with tf.GradientTape() as tape:
                tape.watch(x)
                y = tf.reduce_sum(loop(x) + tf.scan(lambda a, r: a * r, x))
            g = tape.gradient(y, x)
        return acc.jvp(g)

    def third(x):
        with tf.GradientTape() as t3:
            t3.watch(x)
            with tf.GradientTape() as t2:
                t2.watch(x)
                with tf.GradientTape() as t1:
                    t1.watch(x)
                    y = tf.reduce_sum(tf.map_fn(lambda r: r ** 4, x))
                g = t1.gradient(y, x)
            h = t2.gradient(g, x)
        return t3.gradient(h, x)

    graph_hvp = tf.function(hvp, input_signature=[tf.TensorSpec([None])])
    graph_third = tf.function(third, input_signature=[tf.TensorSpec([None])])
    for v in ([0.5, 1.5], [0.3, 0.7, 1.1]):
        x = tf.constant(v)
        np.testing.assert_allclose(graph_hvp(x).numpy(), hvp(x).numpy(), rtol=1e-5)
        np.testing.assert_allclose(graph_third(x).numpy(), 24 * np.array(v, np.float32))


def test_tensor_array_written_in_a_loop_differentiates_with_a_tape_outside():
    @tf.function
    def f(x):
        ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)
        _, ta = tf.while_loop(lambda i, ta: i < 3,
                              lambda i, ta: (i + 1, ta.write(i, x * tf.cast(i + 1, tf.float32))),
                              (0, ta))
        return tf.reduce_sum(ta.stack())

    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    assert y.numpy() == 12.0
    assert tape.gradient(y, x).numpy() == 6.0


def test_errors_as_tensorflow():
    x3, y4 = tf.ones([3, 2]), tf.ones([4])
    for wrap in (lambda f: f, tf.function):
        with pytest.raises(ValueError, match="Dimensions 3 and 4 are not compatible"):
            wrap(lambda a, b: tf.map_fn(lambda t: t[0][0] + t[1], (a, b)))(x3, y4)
        with pytest.raises(ValueError, match="don't have the same nested structure"):
            wrap(lambda a: tf.map_fn(lambda t: (t, t), a))(x3)
        with pytest.raises(ValueError, match="Elements in elems must be 1\\+ dimensional"):
            wrap(lambda a: tf.map_fn(lambda t: t, a))(tf.constant(1.0))
        with pytest.raises(tf.errors.InvalidArgumentError):
            wrap(lambda a: tf.map_fn(lambda t: t, a, fn_output_signature=tf.int32))(x3)
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="^TensorArray dtype is float32 but Op is trying to write dtype int32"):
        tf.map_fn(lambda t: tf.cast(t, tf.int32), x3)
    with pytest.raises(ValueError, match=r"Inconsistent shapes: saw \(4,\) but expected \(2,\)"):
        tf.function(lambda a: tf.scan(lambda acc, t: tf.concat([acc, t], 0), a))(x3)
    with pytest.raises(ValueError, match=r"Incompatible shape for value \(\(4,\)\), expected "):
        tf.scan(lambda acc, t: tf.concat([acc, t], 0), x3)
    with pytest.raises(ValueError, match="ValueError: None values not supported.\n$"):
        tf.function(lambda a: tf.map_fn(lambda t: None, a))(x3)
    out = tf.map_fn(lambda t: t * 2, tf.zeros([0, 2]))
    assert out.shape == (0,) and out.dtype == tf.float32  # TF's eager shape
    assert tf.function(lambda a: tf.map_fn(lambda t: t * 2, a))(tf.zeros([0, 2])).shape == (0, 2)


def test_saved_model_keeps_the_loops(tmp_path):
    class Model(tf.Module):
        def __init__(self):
            self.w = tf.Variable([1.0, 2.0, 3.0])

        @tf.function(input_signature=[tf.TensorSpec([None, 3])])
        def f(self, x):
            return {"m": tf.map_fn(lambda r: tf.reduce_sum(r * self.w), x),
                    "s": tf.scan(lambda a, r: a + r, x, reverse=True),
                    "fold": tf.foldl(lambda a, r: a * r, x)}

    model = Model()
    tf.saved_model.save(model, str(tmp_path))  # traced from the signature alone
    loaded = tf.saved_model.load(str(tmp_path))
    for n in (1, 3):
        x = tf.constant(np.arange(3 * n, dtype=np.float32).reshape(n, 3) + 1)
        ours, back = model.f(x), loaded.f(x)
        for key in ("m", "s", "fold"):
            np.testing.assert_array_equal(ours[key].numpy(), back[key].numpy())
    np.testing.assert_array_equal(ours["fold"].numpy(), [28.0, 80.0, 162.0])
    x = tf.ones([2, 3])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(loaded.f(x)["m"])
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), [[1.0, 2.0, 3.0]] * 2)


def test_loop_gradient_runs_no_side_effect_again(capsys):
    v = tf.Variable(0.0)

    @tf.function(input_signature=[tf.TensorSpec([None])])
    def g(x):
        def body(i, y):
            v.assign_add(1.0)
            tf.print("step", i)
            return i + 1, y * x

        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(tf.while_loop(lambda i, y: i < 3, body, (0, tf.ones_like(x)))[1])
        return tape.gradient(y, x)

    np.testing.assert_allclose(g(tf.constant([2.0, 0.5])).numpy(), [12.0, 0.75])
    assert v.numpy() == 3.0  # as TF: the gradient does not assign again
    assert capsys.readouterr().err == "step 0\nstep 1\nstep 2\n"


def test_gradients_are_graph_loops_when_shapes_are_known():
    def grad(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, tf.sin(y) * x), (0, x))[1]
            z = tf.scan(lambda a, r: a * r, y) + tf.map_fn(tf.exp, y)
        return tape.gradient(z, x)

    x = tf.constant([0.5, 1.5])
    for shape, replays in (([2], False), ([None], True)):
        f = tf.function(grad, input_signature=[tf.TensorSpec(shape)])
        types = [op.type for op in f.get_concrete_function().graph.get_operations()]
        assert ("WhileGrad" in types) is replays  # else compiled loops only
        np.testing.assert_allclose(f(x).numpy(), grad(x).numpy(), rtol=1e-6)


def test_tensor_array_unstack_of_a_none_length_splits_rows_when_the_graph_runs():
    """Traced from the signature alone (example length 1), the unstacked rows are counted
    when the graph runs: every length reads, writes and differentiates right."""
    @tf.function(input_signature=[tf.TensorSpec([None, 2], tf.float32)])
    def f(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            rows = tf.TensorArray(tf.float32, size=tf.shape(x)[0]).unstack(x)
            out = tf.TensorArray(tf.float32, size=rows.size())
            for i in tf.range(rows.size()):
                out = out.write(i, rows.read(i) ** 2)
            y = out.stack()
            total = tf.reduce_sum(y)
        return y, tape.gradient(total, x)

    y, _ = f.get_concrete_function().structured_outputs
    assert y.shape.as_list() == [None, 2]
    for n in (3, 1, 4):
        x = np.arange(2 * n, dtype=np.float32).reshape(n, 2)
        y, g = f(tf.constant(x))
        np.testing.assert_array_equal(y.numpy(), x ** 2)
        np.testing.assert_array_equal(g.numpy(), 2 * x)
