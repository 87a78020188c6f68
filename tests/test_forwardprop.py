"""tf.autodiff.ForwardAccumulator (spec 5.5 and the forwardprop_test intents)."""

import numpy as np
import pytest

import tapeflow as tf

FA = tf.autodiff.ForwardAccumulator


def test_primal_given_twice():
    x = tf.constant(1.)
    with pytest.raises(ValueError) as info:
        FA([x, x], [1., 1.])
    assert str(info.value) == ("Tensor {} was specified as a primal multiple times. This may "
                               "indicate an error. If it was intended, please sum the "
                               "corresponding tangents.")


def test_reenter():
    x = tf.constant(1.)
    acc = FA(x, 1.5)
    with acc as entered:
        assert entered is acc
        assert acc.jvp(x).numpy() == 1.5
        y = 4. * x
        assert acc.jvp(y).numpy() == 6.
        with pytest.raises(ValueError, match="^Accumulator is already recording.$"):
            with acc:
                pass
    z = 2. * x
    assert acc.jvp(z) is None
    with acc:
        w = 3. * x
    assert acc.jvp(w).numpy() == 4.5
    assert acc.jvp(y).numpy() == 6.  # still there after exit


def test_jvp_manual():
    x = tf.constant(0.1)
    with FA(x, tf.constant(0.2)) as acc:
        y = tf.sin(x)
    np.testing.assert_allclose(acc.jvp(y).numpy(), np.cos(0.1) * 0.2, rtol=1e-6)


def test_variable_watched_and_read_in_function():
    v = tf.Variable([1., 2., 3.])
    with FA(v, tf.constant([.1, -.2, .3])) as acc:
        np.testing.assert_allclose(acc.jvp(v).numpy(), [.1, -.2, .3])
        np.testing.assert_allclose(acc.jvp(v * 2.).numpy(), [.2, -.4, .6])
        np.testing.assert_allclose(acc.jvp(v + .1).numpy(), [.1, -.2, .3])
    w = tf.Variable(5.)
    with FA(w, 11.) as acc:
        pair = acc.jvp((w.read_value(), 2. * w.read_value()))
    assert isinstance(pair, tuple)
    assert [p.numpy() for p in pair] == [11., 22.]


def test_unconnected_gradients():
    x = tf.constant(1.)
    y = tf.constant(2.)
    with FA(x, 0.1) as acc:
        z = y * 3.
    assert acc.jvp(x, 'zero').numpy() == np.float32(0.1)
    assert acc.jvp(x, 'none').numpy() == np.float32(0.1)
    assert acc.jvp(z, unconnected_gradients='zero').numpy() == 0.
    assert acc.jvp(z) is None
    out = acc.jvp([z, {'a': x}])
    assert out[0] is None and out[1]['a'].numpy() == np.float32(0.1)


def test_nested_accumulators_entry_order():
    p = tf.constant(1.1)
    with FA(p, tf.constant(1.)) as outer:
        with FA(p, tf.constant(1.)) as inner:
            out = p ** 3.5
        ij = inner.jvp(out)
    np.testing.assert_allclose(ij.numpy(), 4.4417057, rtol=1e-6)
    np.testing.assert_allclose(outer.jvp(ij).numpy(), 10.094786, rtol=1e-6)
    assert inner.jvp(outer.jvp(out)) is None


def test_higher_order_pure_forward():
    p = tf.constant(1.1)
    with FA(p, 1.) as a3:
        with FA(p, 1.) as a2:
            with FA(p, 1.) as a1:
                y = p ** 3.5
            d1 = a1.jvp(y)
        d2 = a2.jvp(d1)
    d3 = a3.jvp(d2)
    expected = [1.1 ** 3.5, 3.5 * 1.1 ** 2.5, 3.5 * 2.5 * 1.1 ** 1.5, 3.5 * 2.5 * 1.5 * 1.1 ** .5]
    np.testing.assert_allclose([y.numpy(), d1.numpy(), d2.numpy(), d3.numpy()], expected,
                               rtol=1e-5)


def test_forward_over_backward_hvp():
    v = tf.Variable([1., 2.])
    with FA(v, tf.constant([1., 0.])) as acc:
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(v ** 3.)
        g = tape.gradient(y, v)
    np.testing.assert_allclose(g.numpy(), [3., 12.])
    np.testing.assert_allclose(acc.jvp(g).numpy(), [6., 0.])


def test_backward_over_forward():
    c = tf.constant(1.)
    with tf.GradientTape() as tape:
        tape.watch(c)
        with FA(c, tf.constant(.1)) as acc:
            d = tf.cos(c)
            j = acc.jvp(d)
    np.testing.assert_allclose(tape.gradient(j, c).numpy(), -0.1 * np.cos(1.), rtol=1e-6)


def test_hvp_matches_back_over_back():
    x = tf.constant([1., 2., 3.])
    t = tf.constant([3., 4., 5.])

    def f(x):
        return tf.reduce_prod(tf.tanh(x) ** 2)

    with FA(x, t) as acc:
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = f(x)
        g = tape.gradient(y, x)
    fwd = acc.jvp(g)
    with tf.GradientTape() as t2:
        t2.watch(x)
        with tf.GradientTape() as t1:
            t1.watch(x)
            y = f(x)
        g1 = t1.gradient(y, x)
    back = t2.gradient(g1, x, output_gradients=t)
    with tf.GradientTape() as t2:
        t2.watch(x)
        with tf.GradientTape() as t1:
            t1.watch(x)
            y = f(x)
        g1 = t1.gradient(y, x)
    hessian = t2.jacobian(g1, x)
    np.testing.assert_allclose(fwd.numpy(), back.numpy(), rtol=1e-5)
    np.testing.assert_allclose(fwd.numpy(), hessian.numpy() @ t.numpy(), rtol=1e-5)


def test_hessian_1d_quadratic_form():
    m = np.array([[1., 2.], [3., 4.]], dtype=np.float32)
    x = tf.Variable([0.5, -1.])
    cols = []
    for i in range(2):
        with FA(x, tf.one_hot(i, 2)) as acc:
            with tf.GradientTape() as tape:
                y = tf.reduce_sum(x * tf.linalg.matvec(tf.constant(m), x))
            g = tape.gradient(y, x)
        cols.append(acc.jvp(g))
    np.testing.assert_allclose(tf.stack(cols, axis=1).numpy(), m + m.T)


def test_stop_gradient_stops_accumulation():
    c = tf.constant(1.)
    with tf.GradientTape() as tape:
        tape.watch(c)
        with FA(c, tf.constant(1.)) as acc:
            d = tf.stop_gradient(c * 2.) * 3.
    assert acc.jvp(d) is None
    assert tape.gradient(d, c) is None


def test_assign_inside_accumulator():
    v = tf.Variable(1.)
    with FA(v, 1.):
        v.assign_sub(0.5)
    assert v.numpy() == 0.5


def test_integer_primal_warns():
    import logging

    class Keep(logging.Handler):
        def __init__(self):
            super().__init__()
            self.messages = []

        def emit(self, record):
            self.messages.append(record.getMessage())

    keep = Keep()
    logger = logging.getLogger("tensorflow")
    logger.addHandler(keep)
    try:
        FA(tf.constant(2), 1)
    finally:
        logger.removeHandler(keep)
    assert keep.messages == ["The dtype of the watched primal must be floating (e.g. tf.float32), "
                             "got tf.int32"]


def test_structures():
    a = tf.constant(1.)
    b = tf.constant([1., 2.])
    with FA({'a': a, 'b': b}, {'a': 2., 'b': tf.constant([1., 1.])}) as acc:
        z = a * b
    np.testing.assert_allclose(acc.jvp(z).numpy(), [3., 5.])
    out = acc.jvp({'a': a, 'b': b})
    assert out['a'].numpy() == 2.


def test_custom_gradient_transposed():
    @tf.custom_gradient
    def cube(x):
        return x ** 3, lambda dy: dy * 3. * x ** 2

    x = tf.constant(2.)
    with FA(x, 1.) as acc:
        y = cube(x)
    assert y.numpy() == 8. and acc.jvp(y).numpy() == 12.


def test_custom_gradient_numpy_forward_higher_order():
    @tf.custom_gradient
    def npsin(x):
        y = tf.constant(np.sin(x.numpy()))

        def grad(dy):
            return dy * tf.cos(x)
        return y, grad

    x = tf.constant([0.3, 1.2])
    with FA(x, tf.constant([1., 2.])) as acc:
        y = npsin(x)
    np.testing.assert_allclose(acc.jvp(y).numpy(), np.cos([0.3, 1.2]) * [1., 2.], rtol=1e-6)
    with FA(x, tf.constant([1., 1.])) as outer:
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = npsin(x)
        g = tape.gradient(y, x)
    np.testing.assert_allclose(outer.jvp(g).numpy(), -np.sin([0.3, 1.2]), rtol=1e-6)


def test_exception_in_custom_gradient_not_swallowed():
    @tf.custom_gradient
    def f(x):
        def grad(dy):
            raise ValueError("boom")
        return x * 1., grad

    x = tf.constant(2.)
    with pytest.raises(ValueError, match="boom"):
        with FA(x, 1.):
            f(x)


def test_recompute_grad_refuses_forward_mode():
    # TF 2.21 eager refuses to transpose recompute_grad's gradient (the spec expected it to work)
    @tf.recompute_grad
    def f(x):
        return x * x * 2.

    x = tf.constant(3.)
    with pytest.raises(NotImplementedError) as info:
        with FA(x, 1.):
            f(x)
    assert str(info.value) == ("recompute_grad tried to transpose grad of f. Consider not using "
                               "recompute_grad in forward modeautodiff")


def test_numeric_higher_order_agree():
    def f(x):
        s = tf.sin(x) * tf.tan(x)
        return tf.reduce_prod(s + tf.reduce_sum(s))

    x0 = np.array([0.1, 0.2, 0.3])
    x = tf.constant(x0)
    t = tf.constant([1., -1., 0.5], dtype=tf.float64)
    with FA(x, t) as acc:
        y = f(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y2 = f(x)
    rev = tape.gradient(y2, x).numpy() @ t.numpy()
    eps = 1e-6
    num = (f(tf.constant(x0 + eps * t.numpy())).numpy()
           - f(tf.constant(x0 - eps * t.numpy())).numpy()) / (2 * eps)
    np.testing.assert_allclose(acc.jvp(y).numpy(), rev, rtol=1e-9)
    np.testing.assert_allclose(acc.jvp(y).numpy(), num, rtol=1e-6)


def test_dead_tensors_jvp_cleared():
    import gc
    x = tf.constant(1.)
    with FA(x, 1.) as acc:
        for _ in range(5):
            y = x * 2.
        del y
    gc.collect()
    assert len(acc._tangents) <= 2
