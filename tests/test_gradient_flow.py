"""Does the gradient flow? (spec section 6), singular points (7.1), the tf.where NaN caveat (7.4).

Every number here was checked against TensorFlow 2.21.
"""

import math
import warnings

import numpy as np
import pytest

import tapeflow as tf
from tapeflow.engine.core import Primitive

from grad_helpers import num, need


def grad(f, x, dtype=tf.float32):
    """d sum(f(x)) / dx for a watched constant x, as a NumPy value (None when unconnected)."""
    x = tf.constant(x, dtype=dtype)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    g = tape.gradient(y, x)
    return None if g is None else g.numpy()


def _cumprod_fd(kwargs):
    """The exact gradient of sum(cumprod([2, 1, 3], **kwargs)) (no zeros, so no masking)."""
    x = np.array([2.0, 1.0, 3.0])

    def f(v):
        if kwargs.get("reverse"):
            v = v[::-1]
        c = np.cumprod(v)
        if kwargs.get("exclusive"):
            c = np.concatenate([[1.0], c[:-1]])
        return c.sum()

    eps = 1e-6
    return [(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in np.eye(3)]


# --- section 6 ------------------------------------------------------------------------------------

class TestVariables:
    def test_trainable_variable_read_inside(self):
        v = tf.Variable(3.0)
        with tf.GradientTape() as tape:
            y = v * v
        assert num(tape.gradient(y, v)) == 6.0

    def test_watch_accessed_variables_false_not_watched(self):
        v, w = tf.Variable(3.0), tf.Variable(4.0)
        with tf.GradientTape(watch_accessed_variables=False) as tape:
            tape.watch(w)
            y = v * w
        gv, gw = tape.gradient(y, [v, w])
        assert gv is None
        assert num(gw) == 3.0

    def test_variable_replaced_by_tensor(self):  # AD-26
        x = tf.Variable(2.0)
        got = []
        for _ in range(2):
            with tf.GradientTape() as tape:
                y = x * x
            got.append(tape.gradient(y, x))
            x = x + 1
        assert num(got[0]) == 4.0
        assert got[1] is None

    def test_after_assign(self):  # AD-29
        v = tf.Variable(2.0)
        x = tf.constant(3.0)
        with tf.GradientTape() as tape:
            tape.watch(x)
            v.assign(x * 2.0)
            y = v * v
        gx, gv = tape.gradient(y, [x, v])
        assert gx is None
        assert num(gv) == 12.0  # as if v were a leaf with value 6

    def test_after_assign_add(self):
        x0 = tf.Variable(3.0)
        x1 = tf.Variable(0.0)
        with tf.GradientTape() as tape:
            x1.assign_add(x0)
            y = x1 ** 2
        g0, g1 = tape.gradient(y, [x0, x1])
        assert g0 is None
        assert num(g1) == 6.0

    def test_variable_read_before_the_tape(self):
        v = tf.Variable(3.0)
        r = v * 1.0
        with tf.GradientTape() as tape:
            y = r * r
        assert tape.gradient(y, v) is None

    def test_variable_created_inside_the_tape(self):
        with tf.GradientTape() as tape:
            v = tf.Variable(3.0)
            y = v * v
        assert num(tape.gradient(y, v)) == 6.0

    def test_python_max_of_variables(self):
        v2, v3, v5 = tf.Variable(2.0), tf.Variable(3.0), tf.Variable(5.0)
        with tf.GradientTape() as tape:
            m = max([v2, v3, v5])
        g = tape.gradient(m, [v2, v3, v5])
        assert g[0] is None and g[1] is None and num(g[2]) == 1.0


class TestTensors:
    def test_constant_not_watched_then_watched(self):
        assert grad(lambda x: x * x, 3.0) == 6.0
        x = tf.constant(3.0)
        with tf.GradientTape() as tape:
            y = x * x
        assert tape.gradient(y, x) is None

    @pytest.mark.parametrize("value", [2.0, -2.0])
    def test_python_if_only_branch_that_ran(self, value):
        x = tf.constant(value)
        with tf.GradientTape() as tape:
            tape.watch(x)
            c = x * 1.0
            if c > 0:
                y = 3.0 * x
            else:
                y = 5.0 * x
        gx, gc = tape.gradient(y, [x, c])
        assert num(gx) == (3.0 if value > 0 else 5.0)
        assert gc is None  # the condition tensor gets nothing

    def test_python_for_loop(self):
        x = tf.constant(2.0)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x
            for _ in range(3):
                y = y * x
        assert num(tape.gradient(y, x)) == 4 * 2.0 ** 3

    def test_numpy_round_trip_cuts(self):
        x = tf.constant(2.0)
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            a = tf.constant(np.square(x.numpy()))
            b = tf.convert_to_tensor(np.sin(x))
            c = tf.constant(np.asarray(x) * 3.0) * x  # only the tensor factor counts
        assert tape.gradient(a, x) is None
        assert tape.gradient(b, x) is None
        assert num(tape.gradient(c, x)) == 6.0

    def test_int_source_and_int_path(self):
        x = tf.constant(10)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x * x
        assert tape.gradient(y, x) is None
        assert grad(lambda x: tf.cast(tf.cast(x, tf.int32), tf.float32), 2.5) is None

    def test_cast_to_bool_cuts(self):
        assert grad(lambda x: tf.cast(tf.cast(x, tf.bool), tf.float32) * x, 2.0) == 1.0


class TestNonDifferentiableOps:
    @pytest.mark.parametrize("name, f", [
        ("floor", lambda x: tf.math.floor(x)),
        ("floordiv", lambda x: x // 2.0),
        ("less", lambda x: tf.cast(x < 3.0, tf.float32)),
        ("greater_equal", lambda x: tf.cast(x >= 1.0, tf.float32)),
        ("equal", lambda x: tf.cast(tf.equal(x, 1.5), tf.float32)),
    ])
    def test_registered_non_differentiable_give_none(self, name, f):
        assert grad(f, 1.5) is None

    @pytest.mark.parametrize("name", ["round", "math.ceil", "argmax"])
    def test_missing_non_differentiable_ops(self, name):
        op = need(name)
        assert grad(lambda x: tf.cast(op(x), tf.float32), [1.5, 2.5]) is None

    def test_floormod_is_differentiable(self):
        x, y = tf.constant(7.0), tf.constant(2.0)
        with tf.GradientTape() as tape:
            tape.watch([x, y])
            z = x % y
        gx, gy = tape.gradient(z, [x, y])
        assert (num(gx), num(gy)) == (1.0, -3.0)

    def test_sign_gives_zeros_not_none(self):
        g = grad(tf.sign, [0.0, -2.0, 3.0])
        np.testing.assert_array_equal(g, [0.0, 0.0, 0.0])

    def test_missing_gradient_raises_lookup_error_in_gradient(self):
        # An op shipped without a gradient: recording works, the backward pass raises.
        no_grad = Primitive("AdjustContrastv2", lambda x: x * 2, save=())
        x = tf.constant(1.0)
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            y = no_grad(x) + x
        with pytest.raises(LookupError) as e:
            tape.gradient(y, x)
        assert str(e.value) == "gradient registry has no entry for: AdjustContrastv2"
        # ... only when the walk needs it
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = no_grad(tf.stop_gradient(x)) + x
        assert num(tape.gradient(y, x)) == 1.0


class TestStopping:
    def test_stop_recording(self):
        x = tf.constant(2.0)
        with tf.GradientTape() as tape:
            tape.watch(x)
            with tape.stop_recording():
                y = x * x
        assert tape.gradient(y, x) is None

    def test_stop_gradient(self):
        assert grad(lambda x: tf.stop_gradient(x * x), 2.0) is None
        assert grad(lambda x: x * tf.stop_gradient(x * x), 2.0) == 4.0

    def test_target_computed_outside(self):
        x = tf.constant(2.0)
        with tf.GradientTape() as tape:
            tape.watch(x)
        y = x * x
        assert tape.gradient(y, x) is None

    def test_inner_gradient_after_leaving_outer(self):
        x = tf.constant(2.0)
        with tf.GradientTape() as outer:
            outer.watch(x)
            with tf.GradientTape() as inner:
                inner.watch(x)
                y = x * x * x
        dy = inner.gradient(y, x)
        assert num(dy) == 12.0
        assert outer.gradient(dy, x) is None

    def test_unconnected_zero(self):
        x = tf.constant([1.0, 2.0], dtype=tf.float64)
        v = tf.Variable([[1, 2]])
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.constant(3.0) * 2.0
        gx, gv = tape.gradient(y, [x, v], unconnected_gradients="zero")
        assert gx.dtype == tf.float64 and gx.shape == (2,)
        assert gv.dtype == tf.int32 and gv.shape == (1, 2)
        np.testing.assert_array_equal(gx.numpy(), [0.0, 0.0])
        np.testing.assert_array_equal(gv.numpy(), [[0, 0]])


# --- 7.1 singular points --------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", [tf.float32, tf.float64])
class TestSingularPoints:
    def test_abs_at_zero(self, dtype):
        np.testing.assert_array_equal(grad(tf.abs, [0.0, -2.0, 3.0], dtype), [0.0, -1.0, 1.0])

    def test_relu_at_zero(self, dtype):
        np.testing.assert_array_equal(grad(tf.nn.relu, [0.0, -1.0, 2.0], dtype), [0.0, 0.0, 1.0])

    def test_maximum_tie_goes_to_first(self, dtype):
        x = tf.constant([1.0, 2.0, 3.0], dtype)
        y = tf.constant([1.0, 0.0, 3.0], dtype)
        with tf.GradientTape(persistent=True) as tape:
            tape.watch([x, y])
            hi = tf.maximum(x, y)
            hi_rev = tf.maximum(y, x)
        gx, gy = tape.gradient(hi, [x, y])
        np.testing.assert_array_equal(num(gx), [1.0, 1.0, 1.0])
        np.testing.assert_array_equal(num(gy), [0.0, 0.0, 0.0])
        gx, gy = tape.gradient(hi_rev, [x, y])
        np.testing.assert_array_equal(num(gx), [0.0, 1.0, 0.0])
        np.testing.assert_array_equal(num(gy), [1.0, 0.0, 1.0])

    def test_minimum_tie_goes_to_first(self, dtype):
        x = tf.constant([1.0, 2.0, 3.0], dtype)
        y = tf.constant([1.0, 0.0, 3.0], dtype)
        with tf.GradientTape() as tape:
            tape.watch([x, y])
            lo = tf.minimum(x, y)
        gx, gy = tape.gradient(lo, [x, y])
        np.testing.assert_array_equal(num(gx), [1.0, 0.0, 1.0])
        np.testing.assert_array_equal(num(gy), [0.0, 1.0, 0.0])

    def test_maximum_with_broadcast_scalar_tie(self, dtype):
        x = tf.constant([0.0, 1.0, -1.0], dtype)
        z = tf.constant(0.0, dtype)
        with tf.GradientTape() as tape:
            tape.watch([x, z])
            y = tf.maximum(x, z)
        gx, gz = tape.gradient(y, [x, z])
        np.testing.assert_array_equal(num(gx), [1.0, 1.0, 0.0])  # maximum(x, 0) has slope 1 at 0
        assert num(gz) == 1.0

    def test_reduce_max_ties_split_evenly(self, dtype):
        np.testing.assert_allclose(grad(tf.reduce_max, [1.0, 3.0, 3.0, 2.0], dtype),
                                   [0.0, 0.5, 0.5, 0.0])
        np.testing.assert_allclose(
            grad(lambda x: tf.reduce_max(x, axis=1), [[1.0, 3.0, 3.0], [5.0, 5.0, 5.0]], dtype),
            [[0.0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]], rtol=1e-6)

    def test_reduce_min_ties_split_evenly(self, dtype):
        np.testing.assert_allclose(grad(tf.reduce_min, [1.0, 1.0, 1.0, 2.0], dtype),
                                   [1 / 3, 1 / 3, 1 / 3, 0.0], rtol=1e-6)
        np.testing.assert_allclose(
            grad(lambda x: tf.reduce_min(x, axis=0, keepdims=True), [[1.0, 2.0], [1.0, 0.0]],
                 dtype), [[0.5, 0.0], [0.5, 1.0]])

    def test_sqrt_at_zero_is_inf(self, dtype):
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # TF gives inf silently
            g = grad(tf.sqrt, [0.0, 4.0], dtype)
        assert g[0] == np.inf and g[1] == 0.25

    def test_pow_wrt_exponent_at_nonpositive_base(self, dtype):
        def dy(xv, yv):
            x, y = tf.constant(xv, dtype), tf.constant(yv, dtype)
            with tf.GradientTape() as tape:
                tape.watch(y)
                z = tf.pow(x, y)
            return num(tape.gradient(z, y))

        assert dy(-2.0, 3.0) == 0.0  # log(x) replaced by 0 where x <= 0
        assert dy(0.0, 3.0) == 0.0
        assert dy(0.0, 2.5) == 0.0
        assert dy(2.0, 3.0) == pytest.approx(8 * math.log(2.0), rel=1e-6)
        assert math.isnan(dy(-2.0, 2.5))  # the forward is nan there, and so is TF's gradient

    def test_reduce_prod_with_zeros(self, dtype):
        np.testing.assert_array_equal(grad(tf.reduce_prod, [2.0, 0.0, 3.0, 4.0], dtype),
                                      [0.0, 24.0, 0.0, 0.0])
        np.testing.assert_array_equal(grad(tf.reduce_prod, [2.0, 0.0, 3.0, 0.0], dtype),
                                      [0.0, 0.0, 0.0, 0.0])
        np.testing.assert_array_equal(
            grad(lambda x: tf.reduce_prod(x, axis=0), [[2.0, 0.0], [0.0, 3.0], [5.0, 7.0]], dtype),
            [[0.0, 21.0], [10.0, 0.0], [0.0, 0.0]])
        np.testing.assert_array_equal(
            grad(lambda x: tf.reduce_prod(x, axis=1), [[2.0, 0.0, 3.0], [1.0, 2.0, 3.0]], dtype),
            [[0.0, 6.0, 0.0], [6.0, 3.0, 2.0]])

    def test_reduce_prod_with_zeros_second_order(self, dtype):
        x = tf.constant([2.0, 0.0, 3.0], dtype)
        with tf.GradientTape() as outer:
            outer.watch(x)
            with tf.GradientTape() as inner:
                inner.watch(x)
                y = tf.reduce_prod(x)
            g = inner.gradient(y, x)  # [0, 6, 0]
            s = g[1]
        np.testing.assert_array_equal(num(outer.gradient(s, x)), [3.0, 0.0, 2.0])

    @pytest.mark.parametrize("kwargs, expected", [
        ({}, [1.0, 0.0, 0.0]),
        ({"exclusive": True}, [1.0, 0.0, 0.0]),
        ({"reverse": True}, [0.0, 0.0, 1.0]),
    ])
    def test_cumprod_at_zeros_is_finite(self, dtype, kwargs, expected):
        # TF divides by x with div_no_nan: 0 at the zero, not the true value 8 and not nan
        g = grad(lambda x: tf.math.cumprod(x, **kwargs), [2.0, 0.0, 3.0], dtype)
        np.testing.assert_array_equal(g, expected)
        g = grad(lambda x: tf.math.cumprod(x, **kwargs), [2.0, 1.0, 3.0], dtype)
        np.testing.assert_allclose(g, _cumprod_fd(kwargs), rtol=1e-5)


def test_python_max_tie_picks_an_object():
    a, b = tf.Variable(3.0), tf.Variable(3.0)
    with tf.GradientTape() as tape:
        m = max([a, b])
    assert m is a  # Python keeps the first of equal maxima
    ga, gb = tape.gradient(m, [a, b])
    assert num(ga) == 1.0 and gb is None


@pytest.mark.parametrize("name", ["nn.relu6", "nn.leaky_relu", "nn.elu", "norm",
                                  "math.divide_no_nan"])
def test_singular_points_of_missing_ops(name):
    op = need(name)
    expected = {"nn.relu6": [0.0, 0.0], "nn.leaky_relu": [0.2, 0.2], "nn.elu": [1.0, 1.0]}
    if name in expected:
        np.testing.assert_allclose(grad(op, [0.0, 0.0]), expected[name])
    elif name == "norm":
        assert np.isnan(grad(op, [0.0, 0.0])).all()
    else:
        np.testing.assert_array_equal(grad(lambda x: op(x, tf.zeros_like(x)), [1.0]), [0.0])


# --- 7.4 the tf.where NaN caveat ------------------------------------------------------------------

class TestWhereNaN:
    def test_where_selected_branches(self):
        np.testing.assert_array_equal(
            grad(lambda x: tf.where(x > 0, x * x, -x), [-1.0, 2.0]), [-1.0, 4.0])

    def test_where_log_branch_gives_nan(self):
        g = grad(lambda x: tf.where(x > 0, tf.math.log(x), 0.0), [0.0, 4.0])
        assert np.isnan(g[0]) and g[1] == 0.25

    def test_where_division_branch_gives_nan(self):
        g = grad(lambda x: tf.where(x != 0, 1.0 / x, 0.0), [0.0, 4.0])
        assert np.isnan(g[0]) and g[1] == -0.0625

    def test_where_pow_branch_gives_nan(self):
        g = grad(lambda x: tf.where(x > 0, x ** 0.5, 0.0), [0.0, 4.0])
        assert np.isnan(g[0]) and g[1] == 0.25

    def test_where_log1p_branch_gives_nan(self):
        g = grad(lambda x: tf.where(x > -1, tf.math.log1p(x), 0.0), [-1.0, 1.0])
        assert np.isnan(g[0]) and g[1] == 0.5

    @pytest.mark.parametrize("dtype", [tf.float32, tf.float64])
    def test_where_sqrt_branch_gives_zero_in_tf(self, dtype):
        # The spec says nan; TF 2.21's SqrtGrad kernel returns 0 for a zero upstream gradient.
        g = grad(lambda x: tf.where(x > 0, tf.sqrt(x), 0.0), [0.0, 4.0], dtype)
        np.testing.assert_array_equal(g, [0.0, 0.25])
        g = grad(lambda x: tf.where(x > 0, tf.sqrt(x), 0.0), [-1.0, 4.0], dtype)
        np.testing.assert_array_equal(g, [0.0, 0.25])

    def test_where_rsqrt_and_reciprocal_branches_give_zero_in_tf(self):
        g = grad(lambda x: tf.where(x > 0, tf.math.rsqrt(x), 0.0), [0.0, 4.0])
        np.testing.assert_array_equal(g, [0.0, -0.0625])
        g = grad(lambda x: tf.where(x > 0, tf.math.reciprocal(x), 0.0), [0.0, 4.0])
        np.testing.assert_array_equal(g, [0.0, -0.0625])

    def test_double_where_workaround(self):
        g = grad(lambda x: tf.where(x > 0, tf.sqrt(tf.where(x > 0, x, 1.0)), 0.0), [0.0, 4.0])
        np.testing.assert_array_equal(g, [0.0, 0.25])
        g = grad(lambda x: tf.where(x > 0, tf.math.log(tf.where(x > 0, x, 1.0)), 0.0), [0.0, 4.0])
        np.testing.assert_array_equal(g, [0.0, 0.25])

    def test_no_numpy_warnings_in_backward(self):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            grad(lambda x: tf.where(x > 0, tf.math.log(x), 0.0), [0.0, 4.0])
            grad(lambda x: tf.where(x != 0, 1.0 / x, 0.0), [0.0, 4.0])
