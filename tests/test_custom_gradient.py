"""tf.custom_gradient and tf.recompute_grad (spec 5.3, 5.4 and the backprop_test intents)."""

import numpy as np
import pytest

import tapeflow as tf


def grads(fn, *xs, persistent=False):
    xs = [tf.constant(x) for x in xs]
    with tf.GradientTape(persistent=persistent) as tape:
        tape.watch(xs)
        y = fn(*xs)
    return y, tape.gradient(y, xs)


def test_stable_log1pexp():
    @tf.custom_gradient
    def log1pexp(x):
        e = tf.exp(x)
        return tf.math.log(1 + e), lambda up: up * (1 - 1 / (1 + e))

    y, (g,) = grads(log1pexp, 100.)
    assert g.numpy() == 1.0
    _, (naive,) = grads(lambda x: tf.math.log(1 + tf.exp(x)), 100.)
    assert np.isnan(naive.numpy())


def test_two_inputs():
    @tf.custom_gradient
    def bar(x, y):
        return x * y, lambda up: (up * y, up * x)

    z, (dx, dy) = grads(bar, 2., 3.)
    assert (z.numpy(), dx.numpy(), dy.numpy()) == (6.0, 3.0, 2.0)


def test_variables_protocol_linear_poly():
    w = tf.Variable(tf.ones([2]))

    @tf.custom_gradient
    def linear_poly(x):
        poly = w[1] * x + w[0]

        def grad_fn(dpoly, variables):
            assert len(variables) == 1 and variables[0] is w
            return tf.ones_like(x), [tf.stack([tf.reduce_sum(dpoly), tf.reduce_sum(dpoly * x)])]
        return poly, grad_fn

    x = tf.constant([1., 2., 3.])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        poly = linear_poly(x)
    np.testing.assert_array_equal(poly.numpy(), [2., 3., 4.])
    np.testing.assert_array_equal(tape.gradient(poly, x).numpy(), [1., 1., 1.])
    np.testing.assert_array_equal(tape.gradient(poly, w).numpy(), [3., 6.])


def test_variables_protocol_spec_numbers():
    # the spec's d/dw = [6., 3.]: the gradient list written as [sum(dpoly * x), sum(dpoly)]
    w = tf.Variable(tf.ones([2]))

    @tf.custom_gradient
    def linear_poly(x):
        def grad_fn(dpoly, variables=None):
            return tf.ones_like(x), [tf.stack([tf.reduce_sum(dpoly * x), tf.reduce_sum(dpoly)])]
        return w[1] * x + w[0], grad_fn

    x = tf.constant([1., 2., 3.])
    with tf.GradientTape() as tape:
        tape.watch(x)
        poly = linear_poly(x)
    dx, dw = tape.gradient(poly, [x, w])
    np.testing.assert_array_equal(dw.numpy(), [6., 3.])


def test_grad_fn_must_accept_variables():
    w = tf.Variable(tf.ones([2]))

    @tf.custom_gradient
    def f(x):
        return w[1] * x + w[0], lambda dy: tf.ones_like(x)

    with pytest.raises(TypeError) as info:
        f(tf.constant([1., 2.]))
    assert str(info.value) == (
        "@tf.custom_gradient grad_fn must accept keyword argument 'variables', since function "
        "uses variables: [<tf.Variable 'Variable:0' shape=(2,) dtype=float32, "
        "numpy=array([1., 1.], dtype=float32)>]")


def test_wrong_variable_gradient_count():
    w = tf.Variable(tf.ones([2]))

    @tf.custom_gradient
    def f(x):
        return w[1] * x + w[0], lambda dy, variables=None: (tf.ones_like(x), [])

    x = tf.constant([1., 2.])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    with pytest.raises(ValueError, match="^Must return gradient for each variable from "
                       "@custom_gradient grad_fn.$"):
        tape.gradient(y, x)


def test_variables_via_kwargs():
    w = tf.Variable(2.)

    @tf.custom_gradient
    def f(x):
        return w * x, lambda dy, **kw: (dy * w, [dy * x * 10.])

    x = tf.constant(3.)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    dx, dw = tape.gradient(y, [x, w])
    assert (dx.numpy(), dw.numpy()) == (2., 30.)


def test_wrong_gradient_count():
    @tf.custom_gradient
    def f(x, y):
        return x * y, lambda dy: dy

    x, y = tf.constant(2.), tf.constant(3.)
    with tf.GradientTape() as tape:
        tape.watch([x, y])
        z = f(x, y)
    with pytest.raises(ValueError) as info:
        tape.gradient(z, [x, y])
    assert str(info.value) == ("custom_gradient function expected to return 2 gradients, but "
                               "returned 1 instead.")


def test_empty_gradient_list():
    @tf.custom_gradient
    def f(x):
        return x * 1., lambda dy: []

    x = tf.constant(2.)
    with tf.GradientTape() as tape:
        tape.watch(x)
        z = f(x)
    with pytest.raises(ValueError, match="expected to return 1 gradients, but returned 0 instead"):
        tape.gradient(z, x)


def test_none_gradient_allowed():
    @tf.custom_gradient
    def f(x, y):
        return x + y, lambda dy: (dy * 2., None)

    _, (dx, dy) = grads(f, 2., 3.)
    assert dx.numpy() == 2. and dy is None


def test_several_outputs_get_one_upstream_each():
    @tf.custom_gradient
    def f(x):
        return (x * 2., x * 3.), lambda da, db: da * 1. + db * 10.

    x = tf.constant(2.)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        a, b = f(x)
    assert (a.numpy(), b.numpy()) == (4., 6.)
    assert tape.gradient(a, x).numpy() == 1.    # b's upstream is zeros
    assert tape.gradient([a, b], x).numpy() == 11.


def test_outputs_are_new_tensors():
    @tf.custom_gradient
    def ident(x):
        return x, lambda dy: dy

    x = tf.constant(2.)
    y = ident(x)
    assert y is not x and y.numpy() == 2.


def test_clip_by_norm_identity():
    @tf.custom_gradient
    def clipped(t):
        return t, lambda dy: tf.clip_by_norm(dy, 0.5)

    v = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        out = clipped(v * v)
    assert tape.gradient(out, v).numpy() == 2.0
    v = tf.Variable([3., 4.])
    with tf.GradientTape() as tape:
        out = clipped(v * 2.)
    # upstream ones([2]) clipped to norm 0.5, then times 2
    np.testing.assert_allclose(tape.gradient(out, v).numpy(), [2 ** -0.5] * 2, rtol=1e-6)


def test_identity_and_cached_variable_value():
    @tf.custom_gradient
    def doubled_grad(x):
        return x, lambda dr: 2. * dr

    @tf.custom_gradient
    def sq(x):
        return x * x, lambda dy: 4. * dy

    @tf.custom_gradient
    def h(x):
        return x * x, lambda dr: 2. * dr * x + 1.

    v = tf.Variable(3.)
    for fn, expected in [(doubled_grad, 2.), (sq, 4.), (h, 7.)]:
        with tf.GradientTape() as tape:
            y = fn(v)
        assert tape.gradient(y, v).numpy() == expected


def test_sgd_with_custom_mul():
    @tf.custom_gradient
    def my_mul(x, y):
        return x * y, lambda dr: [dr * y, dr * x]

    x = tf.Variable(2.)
    losses = []
    for _ in range(5):
        with tf.GradientTape() as tape:
            loss = my_mul(2., x)
        losses.append(float(loss))
        x.assign_sub(0.25 * tape.gradient(loss, x))
    assert losses == [4., 3., 2., 1., 0.]


def test_tape_inside_forward():
    @tf.custom_gradient
    def f(x):
        with tf.GradientTape() as t:
            t.watch(x)
            y = x * x
        dy = t.gradient(y, x)
        return y, lambda up: up * dy

    _, (g,) = grads(f, 1.)
    assert g.numpy() == 2.0


def test_exception_in_grad_fn_propagates():
    @tf.custom_gradient
    def f(x):
        def grad(dy):
            raise RuntimeError("bad grad")
        return x * 1., grad

    x = tf.constant(1.)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    with pytest.raises(RuntimeError, match="bad grad"):
        tape.gradient(y, x)


def test_stop_gradient_hides_custom_gradient():
    @tf.custom_gradient
    def f(x):
        def grad(dy):
            raise RuntimeError("should not run")
        return x * 1., grad

    x = tf.constant(1.)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(tf.stop_gradient(x))
    assert tape.gradient(y, x) is None


def test_grad_fn_is_differentiable():
    @tf.custom_gradient
    def cube(x):
        return x ** 3, lambda dy: dy * 3. * x ** 2

    x = tf.constant(2.)
    with tf.GradientTape() as t2:
        t2.watch(x)
        with tf.GradientTape() as t1:
            t1.watch(x)
            y = cube(x)
        g = t1.gradient(y, x)
    assert g.numpy() == 12. and t2.gradient(g, x).numpy() == 12.


def test_custom_second_derivative_by_nesting():
    f0 = 1.5

    @tf.custom_gradient
    def sq(x):
        def first(dy):
            @tf.custom_gradient
            def deriv(x):
                return 2. * x, lambda ddy: ddy * 4. * x ** 3 * (-1.1)
            return dy * deriv(x)
        return x * x, first

    x = tf.constant(f0)
    with tf.GradientTape() as t2:
        t2.watch(x)
        with tf.GradientTape() as t1:
            t1.watch(x)
            y = sq(x)
        g = t1.gradient(y, x)
    assert g.numpy() == 3.0
    np.testing.assert_allclose(t2.gradient(g, x).numpy(), 4 * f0 ** 3 * -1.1, rtol=1e-6)


def test_override_second_order_three_levels():
    # d/dx of a custom f(x) = x**4 whose first derivative is itself custom: the outer gradient of
    # the gradient is driven by the nested rule (spec: dd = 4f^3(-1.1), then 3*4f^2(-1.1)^2 + ...)
    @tf.custom_gradient
    def f(x):
        def g1(dy):
            @tf.custom_gradient
            def d1(x):
                return 4. * x ** 3, lambda ddy: ddy * 4. * x ** 3 * -1.1
            return dy * d1(x)
        return x ** 4, g1

    x = tf.constant(2.)
    with tf.GradientTape() as t2:
        t2.watch(x)
        with tf.GradientTape() as t1:
            t1.watch(x)
            y = f(x)
        d = t1.gradient(y, x)
    assert d.numpy() == 32.
    np.testing.assert_allclose(t2.gradient(d, x).numpy(), 4 * 8 * -1.1, rtol=1e-6)


# --- recompute_grad --------------------------------------------------------------------------------

def test_recompute_grad_single_input():
    f = tf.recompute_grad(lambda x: x * x * 2.)
    y, (g,) = grads(f, 3.)
    assert y.numpy() == 18. and g.numpy() == 12.


def test_recompute_grad_docstring(capsys):
    v = tf.Variable(1.0)

    def f(x):
        print('running')
        return x * v

    checkpointed = tf.recompute_grad(f)
    with tf.GradientTape() as tape:
        r = tf.constant(1.0)
        for _ in range(4):
            r = checkpointed(r)
    assert capsys.readouterr().out == "running\n" * 4
    result = tape.gradient(r, [v])
    assert capsys.readouterr().out == "running\n" * 4
    assert repr(result) == "[<tf.Tensor: shape=(), dtype=float32, numpy=4.0>]"
    with tf.GradientTape() as tape:
        r = tf.constant(1.0)
        for _ in range(4):
            r = f(r)
    capsys.readouterr()
    assert tape.gradient(r, [v])[0].numpy() == 4.0
    assert capsys.readouterr().out == ""


def test_recompute_grad_equals_plain():
    w = tf.Variable([1., 2.])

    def h(a, b):
        return tf.reduce_sum(tf.sin(a) * b * w)

    a, b = tf.constant([1., 1.]), tf.constant([3., 4.])
    results = []
    for fn in (h, tf.recompute_grad(h)):
        with tf.GradientTape() as tape:
            tape.watch([a, b])
            y = fn(a, b)
        results.append([g.numpy() for g in tape.gradient(y, [a, b, w])])
    for plain, re in zip(*results):
        np.testing.assert_allclose(re, plain, rtol=1e-6)


def test_recompute_grad_with_different_shapes():
    @tf.recompute_grad
    def outer(x):
        return [x[0] + 1, x[1] + 1]

    xs = [tf.Variable([1.0, 2.0], name='a'), tf.Variable(1.0, name='b')]
    with tf.GradientTape() as tape:
        y = outer(xs)
    np.testing.assert_array_equal(y[0].numpy(), [2., 3.])
    assert y[1].numpy() == 2.
    g = tape.gradient(y, xs)
    np.testing.assert_array_equal(g[0].numpy(), [1., 1.])
    assert g[1].numpy() == 1.


def test_recompute_grad_over_dict_keyed_by_ref():
    @tf.recompute_grad
    def outer_dict(x):
        for key in x.keys():
            x[key] = x[key] + 1
        return x

    a, b = tf.Variable([1.0, 2.0]), tf.Variable(1.0)
    with tf.GradientTape():
        y = list(outer_dict({a.ref(): a, b.ref(): b}).values())
    np.testing.assert_array_equal(y[0].numpy(), [2., 3.])


def test_custom_gradient_inside_tf_function_follows_each_call():
    """Traced, the op computes from each call's inputs (it returned the first trace's values)
    and a tape inside or outside the function gets the custom gradient."""
    @tf.custom_gradient
    def clipped(x):
        return tf.identity(x), lambda dy: tf.clip_by_value(dy, -0.1, 0.1)

    w = tf.Variable([1.0, 2.0, 3.0])
    f = tf.function(lambda x: clipped(x * w) * 2.0)
    assert f(tf.constant([1.0, 2.0, 3.0])).numpy().tolist() == [2.0, 8.0, 18.0]
    assert f(tf.constant([5.0, 5.0, 5.0])).numpy().tolist() == [10.0, 20.0, 30.0]

    @tf.function
    def inner(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(clipped(x * w) * 2.0)
        return tape.gradient(y, x)
    x = tf.constant([1.0, 2.0, 3.0])
    np.testing.assert_allclose(inner(x).numpy(), [0.1, 0.2, 0.3])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(f(x))
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [0.1, 0.2, 0.3])
