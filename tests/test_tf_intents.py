"""Ports of the intents of TF's eager/backprop_test.py (spec section 8), written afresh.

The jacobian, batch_jacobian, ForwardAccumulator, custom_gradient and recompute_grad intents are
in test_jacobian.py, test_forwardprop.py and test_custom_gradient.py.
"""

import numpy as np
import pytest

import tapeflow as tf
from tapeflow.engine.core import Primitive

from grad_helpers import num, need


def nums(ts):
    return [None if t is None else t.numpy() for t in ts]


# --- targets and sources -------------------------------------------------------------------------

def test_two_targets():
    x, y = tf.constant(3.0), tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch([x, y])
        xx, yy = 2 * x, 3 * y
    assert nums(tape.gradient([xx, yy], [x, y])) == [2.0, 3.0]


def test_output_grad_used_in_computation():
    x, y = tf.constant(3.0), tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch([x, y])
        loss = x * y
    assert nums(tape.gradient([loss, x], [x], output_gradients=[1.0, 2.0])) == [4.0]


def test_tape_no_op_gradient():
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x
    assert num(tape.gradient(y, x)) == 1.0


def test_tape_identity_gradient_is_identity():
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.identity(x)
    assert num(tape.gradient(y, x)) == 1.0


def test_tape_no_op_on_variable_is_identity():
    v = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        y = v.read_value()
    assert num(tape.gradient(y, v)) == 1.0


def test_tape_gradient_multi_target_one_is_source():
    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    assert num(tape.gradient([x, y], x)) == 5.0


def test_tape_gradient_multi_target_all_source():
    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x
    assert num(tape.gradient([y, y], x)) == 2.0


def test_tape_gradient_multi_target_multi_source():
    x, y = tf.constant(3.0), tf.constant(5.0)
    with tf.GradientTape() as tape:
        tape.watch([x, y])
        z = y * y
    assert nums(tape.gradient([x, y, z], [x, y])) == [1.0, 11.0]


def test_tape_gradient_string_target():
    s = tf.constant("unknown", dtype=tf.string)
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        tape.watch(s)
    assert nums(tape.gradient(s, [x])) == [None]


def test_tape_gradient_string_source_and_target():
    s = tf.constant("unknown", dtype=tf.string)
    with tf.GradientTape() as tape:
        tape.watch(s)
    assert tape.gradient(s, s) is None


def test_tape_gradient_include_string():
    x, y = tf.constant(3.0), tf.constant(5.0)
    s = tf.constant("unknown", dtype=tf.string)
    with tf.GradientTape() as tape:
        tape.watch([x, y, s])
        z = y * y
    assert nums(tape.gradient([x, y, z, s], [x, y, s])) == [1.0, 11.0, None]


def test_tape_no_op_gradient_2by2():
    a = tf.constant([[1.0, 0.0], [0.0, 1.0]])
    with tf.GradientTape() as tape:
        tape.watch(a)
    np.testing.assert_array_equal(num(tape.gradient(a, a)), np.ones((2, 2)))


def test_tape_no_op_gradient_multi_target_2by2():
    a = tf.constant([[1.0, 0.0], [0.0, 1.0]])
    with tf.GradientTape() as tape:
        tape.watch(a)
    np.testing.assert_array_equal(num(tape.gradient([a, a], a)), np.full((2, 2), 2.0))


# --- stop_recording, reset, Python max ------------------------------------------------------------

def test_tape_stop_recording():
    with tf.GradientTape() as tape:
        with tape.stop_recording():
            v = tf.Variable(1.0)
            y = v * v
    assert tape.gradient(y, v) is None


def test_tape_stop_start_recording():
    with tf.GradientTape(persistent=True) as tape:
        x = tf.Variable(1.0)
        x2 = x * 2
        with tape.stop_recording():
            y = x2 * x2
        z = x2 * x2
    assert tape.gradient(y, x2) is None
    assert num(tape.gradient(z, x2)) == 4.0


def test_tape_reset():
    v = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        loss = v * v
        tape.reset()
        loss += v * v
    assert num(tape.gradient(loss, v)) == 2.0


def test_python_max():
    vs = [tf.Variable(2.0), tf.Variable(3.0), tf.Variable(5.0)]
    with tf.GradientTape() as tape:
        best = max(vs)
    assert best is vs[2]
    assert best.numpy() == 5.0
    assert nums(tape.gradient(best, vs)) == [None, None, 1.0]


# --- watched_variables ---------------------------------------------------------------------------

def test_automatic_watched_variables():
    with tf.GradientTape() as tape:
        assert len(tape.watched_variables()) == 0
        v = tf.Variable(1.0)
        _ = v * 2.0
        assert tape.watched_variables() == (v,)
        tape.reset()
        assert len(tape.watched_variables()) == 0
        _ = v * 2.0
        assert tape.watched_variables() == (v,)


def test_explicit_watched_variables():
    with tf.GradientTape() as tape:
        assert len(tape.watched_variables()) == 0
        v = tf.Variable(1.0)
        tape.watch(v)
        assert tape.watched_variables() == (v,)
        tape.reset()
        assert len(tape.watched_variables()) == 0
        tape.watch(v)
        assert tape.watched_variables() == (v,)


def test_watched_variables_after_non_persistent_gradient_call():
    with tf.GradientTape() as tape:
        x = tf.Variable(1.0)
        tape.watch(x)
    tape.gradient(x, x)
    assert tape.watched_variables() == (x,)


def test_watched_variables_only_has_variables_from_last_tape():
    with tf.GradientTape() as tape:
        x = tf.Variable(1.0)
        tape.watch(x)
    with tf.GradientTape() as tape:
        z = tf.Variable(2.0)
        tape.watch(z)
    tape.gradient(z, z)
    assert tape.watched_variables() == (z,)


def test_watched_variables_respect_reset():
    with tf.GradientTape() as tape:
        x = tf.Variable(1.0)
        tape.watch(x)
        assert tape.watched_variables() == (x,)
        tape.reset()
        z = tf.Variable(2.0)
        tape.watch(z)
        assert tape.watched_variables() == (z,)
    tape.gradient(z, z)
    assert tape.watched_variables() == (z,)


def test_selectively_watch_variables():
    x1, x2 = tf.Variable(1.0), tf.Variable(2.0)
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(x2)
        y = x1 ** 2
        z = x2 ** 3
    assert tape.watched_variables() == (x2,)
    dy, dz = tape.gradient([y, z], [x1, x2])
    assert dy is None
    assert num(dz) == 12.0  # 3 * x2**2
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(x2)
        z = x2 ** 3
    dz = tape.gradient(z, x2)
    assert num(dz) == 12.0
    x2.assign(1.0)
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(x2)
        z = x2 ** 3
    assert num(tape.gradient(z, x2)) == 3.0


def test_implicit_grad_ordering():
    v0 = tf.Variable(1.0)
    v1 = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y = v1 * 3.0 + v0 * 5.0  # v1 is read first
    wv = tape.watched_variables()
    assert wv[0] is v0 and wv[1] is v1
    assert nums(tape.gradient(y, list(wv))) == [5.0, 3.0]


# --- inside the block, re-entry, nesting ----------------------------------------------------------

@pytest.mark.parametrize("persistent", [False, True])
def test_gradient_within_tape_block(persistent):
    v = tf.Variable(1.0)
    with tf.GradientTape(persistent=persistent) as tape:
        y = 2 * v
        assert num(tape.gradient(y, v)) == 2.0


def test_nested_self_contexts():
    v = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        with pytest.raises(ValueError, match="Tape is still recording"):
            with tape:
                _ = v * 1.0


def test_gradient_tape_re_enter_context():
    g = tf.GradientTape()
    x = tf.constant(1.0)
    with g:
        g.watch(x)
        y = 2 * x
    with g:
        z = 2 * y
    assert nums(g.gradient(z, [x])) == [4.0]


def test_watching_is_tape_local():
    x1, x2 = tf.constant(2.0), tf.constant(3.0)
    with tf.GradientTape() as tape1:
        with tf.GradientTape() as tape2:
            tape1.watch(x1)
            tape2.watch([x1, x2])
            y = x1 ** 3
            z = x2 ** 2
            dy, dz = tape2.gradient([y, z], [x1, x2])
        got = tape1.gradient([dy, dz], [x1, x2])
    assert (num(dy), num(dz)) == (12.0, 6.0)
    assert nums(got) == [12.0, None]  # tape1 never watched x2


def test_gradient_tape_repeated_source():
    x = tf.constant(3.0)
    with tf.GradientTape(persistent=False) as tape:
        tape.watch(x)
        y = 2 * x
    assert nums(tape.gradient(y, [x, x])) == [2.0, 2.0]


def test_persistent_gradient_tape_repeated_source():
    x, y = tf.constant(3.0), tf.constant(5.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, y])
        z = x * x + x * y
    assert nums(tape.gradient(z, [x, x])) == [11.0, 11.0]
    assert nums(tape.gradient(z, [y, x])) == [3.0, 11.0]


def test_gradient_tape_structure():
    x1, x2, x3 = tf.constant(3.0), tf.constant(3.0), tf.constant(3.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x1, x2, x3])
        y = x1 + 2.0 * x2 + 3.0 * x3
    g = tape.gradient(y, x1)
    assert num(g) == 1.0
    g = tape.gradient(y, (x1,))
    assert type(g) is tuple and nums(g) == [1.0]
    g = tape.gradient(y, [(x1, x2), (x2, x3)])
    assert type(g) is list and [tuple(nums(p)) for p in g] == [(1.0, 2.0), (2.0, 3.0)]
    assert all(type(p) is tuple for p in g)
    g = tape.gradient(y, (x1, x2, [x1, x3]))
    assert type(g) is tuple and type(g[2]) is list
    assert (num(g[0]), num(g[1]), nums(g[2])) == (1.0, 2.0, [1.0, 3.0])
    g = tape.gradient(y, [x1, {"x2": x2, "x3": x3}])
    assert type(g) is list and type(g[1]) is dict
    assert num(g[0]) == 1.0 and {k: num(v) for k, v in g[1].items()} == {"x2": 2.0, "x3": 3.0}


def test_gradient_tape():
    x = tf.constant(3.0)
    with tf.GradientTape() as g:
        g.watch(x)
        y = x * x
        with tf.GradientTape() as gg:
            gg.watch(y)
            z = 2 * y
        inner = gg.gradient(z, [y])[0]
        assert num(inner) == 2.0
        y += inner
    assert nums(g.gradient(y, [x])) == [6.0]


def test_gradient_tape_called_on_constant_target():
    with tf.GradientTape() as g:
        x = tf.Variable([3.0])
        y = tf.Variable([2.0])
    assert g.gradient(x, y) is None


def test_gradient_tape_gradient_called_multiple_times():
    x = tf.constant(3.0)
    with tf.GradientTape() as g:
        g.watch(x)
        y = x * x
        z = y * y
    g.gradient(z, [x])
    with pytest.raises(RuntimeError,
                       match=r"^A non-persistent GradientTape can only be used to compute one set"
                             r" of gradients \(or jacobians\)$"):
        g.gradient(y, [x])


def test_persistent_tape():
    x = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as g:
        g.watch(x)
        y = x * x
        z = y * y
    assert num(g.gradient(z, [x])[0]) == 4 * 3 ** 3
    assert num(g.gradient(y, [x])[0]) == 2 * 3
    del g


def test_persistent_nested_tape():
    x = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as g:
        g.watch(x)
        with tf.GradientTape(persistent=True) as gg:
            gg.watch(x)
            y = x * x
            z = y * y
        dy = gg.gradient(y, x)
        assert num(dy) == 6.0
        assert num(gg.gradient(y, x)) == 6.0  # queried twice
        dz = gg.gradient(z, x)
        assert num(dz) == 108.0
    # second derivatives: d/dx 2x = 2, d/dx 4x^3 = 12x^2 = 108
    assert num(g.gradient(dy, x)) == 2.0
    assert num(g.gradient(dz, x)) == 108.0
    assert num(g.gradient(z, x)) == 108.0


def test_higher_order_gradient():
    x = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x ** 3
        dy = tape.gradient(y, x)
        d2y = tape.gradient(dy, x)
    d3y = tape.gradient(d2y, x)
    assert num(dy) == pytest.approx(27.0)
    assert num(d2y) == pytest.approx(18.0)
    assert num(d3y) == pytest.approx(6.0)


def test_nested_gradients():
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
        z = y * y
    assert nums(tape.gradient(z, [x, y])) == [108.0, 18.0]


# --- unconnected gradients ------------------------------------------------------------------------

def test_unconnected_gradients_default():
    x, y = tf.constant(1.0), tf.constant(3.0)
    with tf.GradientTape() as g:
        g.watch([x, y])
        z = y * 2
    assert g.gradient(z, x) is None


def test_unconnected_gradients_zeros():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    y = tf.constant(3.0)
    with tf.GradientTape() as g:
        g.watch([x, y])
        z = y * 2
    dz = g.gradient(z, x, unconnected_gradients="zero")
    np.testing.assert_array_equal(num(dz), [[0.0, 0.0], [0.0, 0.0]])
    assert dz.dtype == tf.float32


def test_unconnected_gradients_variables_zeros():
    x = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    y = tf.Variable(3.0)
    with tf.GradientTape() as g:
        z = y * 2
    dz = g.gradient(z, x, unconnected_gradients=tf.UnconnectedGradients.ZERO)
    np.testing.assert_array_equal(num(dz), [[0.0, 0.0], [0.0, 0.0]])


def test_unknown_unconnected_gradients_value_given():
    x, y = tf.constant(1.0), tf.constant(1.0)
    with tf.GradientTape() as g:
        g.watch([x, y])
        z = y * 2
    with pytest.raises(ValueError) as e:
        g.gradient(z, x, unconnected_gradients="nonsense")
    assert str(e.value) == "Unknown value for unconnected_gradients: 'nonsense'"


# --- stop_gradient --------------------------------------------------------------------------------

def test_stop_gradient_hides_downstream_ops():
    # A primitive whose backward raises stands in for TF's raising custom gradient.
    calls = []

    def boom(g, ans, x):
        calls.append(1)
        raise AssertionError("backward of an op after stop_gradient must not run")

    raising = Primitive("RaisingIdentity", lambda x: x, save=()).defvjp(boom)
    x = tf.constant(1.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = raising(tf.stop_gradient(x))
    assert tape.gradient(y, x) is None
    assert calls == []
    # sanity: without stop_gradient the same op's backward does run
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = raising(x)
    with pytest.raises(AssertionError, match="must not run"):
        tape.gradient(y, x)
    assert calls == [1]


def test_argmax():
    argmax = need("argmax")
    x = tf.constant([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.stop_gradient(argmax(x))
    assert tape.gradient(y, x) is None


# --- identity of tensors --------------------------------------------------------------------------

def test_differentiating_scalar_cache():
    x1, x2 = tf.constant(3.0), tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch([x1, x2])
        y = x1 + x2
    assert nums(tape.gradient(y, [x1])) == [1.0]


def test_no_op_behavior_consistent():
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        x1 = tf.identity(x)
        x2 = x + 0
        x3 = x - 0
        x4 = x * 1
        assert len({id(t) for t in (x, x1, x2, x3, x4)}) == 5
        y = 2 * x + 3 * x1 + 3 * x2 + 3 * x3 + 3 * x4
    assert nums(tape.gradient(y, [x, x1, x2, x3, x4])) == [2.0 + 3 * 4, 3.0, 3.0, 3.0, 3.0]
    with tf.GradientTape() as tape:
        tape.watch(x)
        x1 = tf.identity(x)
        x2 = x + 0
        x3 = x - 0
        x4 = x * 1
        y = 2 * x + 3 * x1 + 3 * x2 + 3 * x3 + 3 * x4
    assert nums(tape.gradient(y, [x1, x2, x3, x4])) == [3.0, 3.0, 3.0, 3.0]


def test_variables_and_constants_produce_the_same_gradients():
    def grads(a, b, watch):
        with tf.GradientTape() as tape:
            if watch:
                tape.watch([a, b])
            loss = [a ** 3, b ** 2]
        return nums(tape.gradient(loss, [a, b]))

    from_constants = grads(tf.constant(2.0), tf.constant(3.0), True)
    from_variables = grads(tf.Variable(2.0), tf.Variable(3.0), False)
    assert from_constants == pytest.approx([12.0, 6.0])
    assert from_variables == pytest.approx(from_constants)


def test_watch_bad_thing():
    with tf.GradientTape() as tape:
        with pytest.raises(ValueError, match="ndarray"):
            tape.watch(np.array(1.0))


# --- where, returns of the same thing -------------------------------------------------------------

def test_where_gradient():
    def grad_at(v):
        x = tf.constant(v)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.where(x < 10, x, x * x)
        return num(tape.gradient(y, x))

    assert grad_at(5.0) == 1.0
    assert grad_at(50.0) == 100.0
    x = tf.constant([5.0, 50.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.where(x < 10, x, x * x)
    np.testing.assert_array_equal(num(tape.gradient(y, x)), [1.0, 100.0])


def test_return_same_thing():
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        outs = (x, 2 * x)
    assert num(tape.gradient(outs, x)) == 3.0


def test_output():
    x = tf.constant([0.0, 1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        outs = (x + 2, x * x)
    np.testing.assert_array_equal(num(tape.gradient(outs, x)), [1.0, 3.0, 5.0])


def test_multi_value_convert_to_tensor():
    stack = need("stack")
    a = tf.constant([1.0])
    with tf.GradientTape() as tape:
        tape.watch(a)
        y = tf.reduce_mean(stack([a, a]))
    np.testing.assert_array_equal(num(tape.gradient(y, a)), [1.0])


# --- exceptions, repeated arguments ---------------------------------------------------------------

def test_exception_safety():
    x = tf.constant(2.0)
    from tapeflow.engine.core import state

    def f():
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x * x
            raise ValueError("inside the tape")
        return y

    with pytest.raises(ValueError, match="inside the tape"):
        f()
    assert state.stack == []
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    assert num(tape.gradient(y, x)) == 4.0


@pytest.mark.parametrize("make", [
    lambda: tf.constant(1.0),
    lambda: 1.0,
    lambda: [1.0],
    lambda: tf.Variable(1.0),
], ids=["tensor", "float", "list", "variable"])
def test_same_object_for_multiple_arguments(make):
    def my_function(a, b):
        return a * b

    x = make()
    # every argument becomes its own tensor, as a gradients-function wrapper would do
    args = [tf.identity(x) for _ in range(2)]
    with tf.GradientTape() as tape:
        tape.watch(args)
        y = my_function(*args)
    got = tape.gradient(y, args)
    assert [np.asarray(num(g)).reshape(-1).tolist() for g in got] == [[1.0], [1.0]]


# --- second derivatives ---------------------------------------------------------------------------

def test_grad_grad():
    x = tf.constant(3.0)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = x * x
        dy = inner.gradient(y, x)
    assert num(outer.gradient(dy, x)) == 2.0


def test_grad_grad_exp():
    x = tf.constant(0.0)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = tf.exp(x)
        dy = inner.gradient(y, x)
    assert num(dy) == 1.0
    assert num(outer.gradient(dy, x)) == 1.0


# --- ops tapeflow does not have yet ---------------------------------------------------------------

def test_aggregate_gradients():
    gather = need("gather")
    v = tf.Variable([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(gather(v, [0, 0, 2])) + tf.reduce_sum(gather(v, [2]))
    np.testing.assert_array_equal(num(tape.gradient(y, v)), [2.0, 0.0, 2.0])


def test_gradient_none():
    xent = need("nn.softmax_cross_entropy_with_logits")
    labels = tf.constant([[1.0, 0.0]])
    logits = tf.constant([[0.0, 0.0]])
    with tf.GradientTape() as tape:
        tape.watch(logits)
        loss = xent(labels=labels, logits=logits)
    np.testing.assert_allclose(num(tape.gradient(loss, logits)), [[-0.5, 0.5]])
