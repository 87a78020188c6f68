"""Forward values, dtypes, errors and singular-point gradients of special_ops, checked against
TensorFlow 2.21 (the expected numbers were printed by real TF)."""

import numpy as np
import pytest

import tapeflow as tf

from grad_helpers import grads

INF, NAN = np.inf, np.nan
POINTS = [0., -1., -2., 0.5, -0.5, 1e-8, 3.7, 20., -2.3, 1e6]


def close(t, expected, dtype=None, rtol=1e-6):
    if dtype is not None:
        assert t.dtype is dtype
    np.testing.assert_allclose(np.asarray(t), expected, rtol=rtol, atol=0, equal_nan=True)


@pytest.mark.parametrize("dtype,rtol", [(tf.float32, 1e-6), (tf.float64, 1e-13)])
@pytest.mark.parametrize("fn,expected", [
    (tf.math.lgamma, [INF, INF, INF, 0.5723649429247001, 1.2655121234846454, 18.42068073818021,
                      1.428072326665388, 39.339884187199495, 0.36956666345500805,
                      12815504.569147611]),
    (tf.math.digamma, [NAN, NAN, NAN, -1.9635100260214227, 0.03648997397857645,
                       -100000000.57721566, 1.167153539361511, 2.970523992242149,
                       3.317323157561823, 13.81551005796419]),
    (lambda x: tf.math.polygamma(tf.constant(1., x.dtype), x),
     [INF, INF, INF, 4.93480220054468, 8.934802200544679, 1e+16, 0.31003785767003833,
      0.051270822935203124, 14.725912160961292, 1.0000005000001667e-06]),
    (lambda x: tf.math.polygamma(tf.constant(2., x.dtype), x),
     [NAN, NAN, NAN, -16.828796644234316, -0.82879664423432, -2e+24, -0.09539530872855405,
      -0.0026281224023146543, 68.71379252927028, -1.0000010000005002e-12]),
])
def test_gamma_family_matches_tf(fn, expected, dtype, rtol):
    close(fn(tf.constant(POINTS, dtype)), expected, dtype, rtol)


def test_polygamma_order_zero_is_digamma_and_non_integer_orders_are_nan():
    x = tf.constant(POINTS, tf.float64)
    close(tf.math.polygamma(tf.constant(0., tf.float64), x), tf.math.digamma(x).numpy())
    close(tf.math.polygamma(tf.constant([1.5, -1.]), tf.constant([2., 2.])), [NAN, NAN])


@pytest.mark.parametrize("dtype,rtol", [(tf.float32, 2e-7), (tf.float64, 1e-15)])
def test_erf_erfc_match_tf(dtype, rtol):
    x = tf.constant([0., 0.1, -0.5, 1., 2., 3.5, -6., 1e-5], dtype)
    close(tf.math.erf(x), [0.0, 0.1124629160182849, -0.5204998778130466, 0.8427007929497148,
                           0.9953222650189527, 0.9999992569016276, -1.0, 1.1283791670579e-05],
          dtype, rtol)
    close(tf.math.erfc(tf.constant([0.1, 3.5, -6., 10., 26.], tf.float64)),
          [0.8875370839817152, 7.430983723414127e-07, 2.0, 2.0884875837625443e-45,
           5.663192408856143e-296], tf.float64, 1e-14)


A = [-1., -0.5, 0., 0.5, 1., 2.]


@pytest.mark.parametrize("fn,values,gradient", [
    (tf.math.asin, [-1.5707963705062866, -0.5235987901687622, 0.0, 0.5235987901687622,
                    1.5707963705062866, NAN], [INF, 1.154700517654419, 1.0, 1.154700517654419,
                                               INF, NAN]),
    (tf.math.acos, [3.1415927410125732, 2.094395160675049, 1.5707963705062866, 1.0471975803375244,
                    0.0, NAN], [-INF, -1.154700517654419, -1.0, -1.154700517654419, -INF, NAN]),
    (tf.math.asinh, [-0.8813735842704773, -0.4812118411064148, 0.0, 0.4812118411064148,
                     0.8813735842704773, 1.4436354637145996],
     [0.7071067094802856, 0.8944271802902222, 1.0, 0.8944271802902222, 0.7071067094802856,
      0.44721364974975586]),
    (tf.math.acosh, [NAN, NAN, NAN, NAN, 0.0, 1.316957950592041],
     [NAN, NAN, NAN, NAN, INF, 0.5773502588272095]),
    (tf.math.atanh, [-INF, -0.5493061542510986, 0.0, 0.5493061542510986, INF, NAN],
     [INF, 1.3333333730697632, 1.0, 1.3333333730697632, INF, -0.3333333432674408]),
])
def test_inverse_trig_values_and_singular_gradients(fn, values, gradient):
    close(fn(tf.constant(A)), values, tf.float32)
    close(grads(fn, A)[0], gradient, tf.float32)


def test_gamma_gradients_at_poles():
    close(grads(tf.math.lgamma, [2.5, -0.5, 0.])[0], [0.7031566406452432, 0.03648997397857645, NAN])
    close(grads(tf.math.digamma, [2.5, -0.5, 0.])[0], [0.4903577561002349, 8.934802200544679, INF])
    order_grad, x_grad = grads(tf.math.polygamma, 1.0, 2.5)
    assert order_grad is None
    close(x_grad, -0.23620405164, tf.float32)


@pytest.mark.parametrize("fn", [tf.math.asin, tf.math.erf, tf.math.lgamma, tf.math.digamma,
                                tf.math.ceil, tf.math.rint, tf.math.is_nan, tf.math.atanh])
def test_integer_inputs_are_rejected(fn):
    with pytest.raises(tf.errors.InvalidArgumentError, match="Value for attr 'T' of int32"):
        fn(tf.constant([1, 2]))


def test_rounding_is_half_to_even_and_not_differentiable():
    x = tf.constant([-2.5, -1.5, -0.5, 0., 0.5, 1.5, 2.5, 0.3])
    close(tf.round(x), [-2., -2., -0., 0., 0., 2., 2., 0.], tf.float32)
    close(tf.math.rint(x), [-2., -2., -0., 0., 0., 2., 2., 0.], tf.float32)
    close(tf.math.ceil(x), [-2., -1., -0., 0., 1., 2., 3., 1.], tf.float32)
    close(tf.round(tf.constant([1, 2])), [1, 2], tf.int32)
    for fn in (tf.round, tf.math.rint, tf.math.ceil):
        assert grads(fn, [1.5]) == [None]


def test_float_classification():
    x = tf.constant([NAN, -INF, 1.], tf.float64)
    assert tf.math.is_nan(x).numpy().tolist() == [True, False, False]
    assert tf.math.is_inf(x).numpy().tolist() == [False, True, False]
    assert tf.math.is_finite(x).numpy().tolist() == [False, False, True]
    assert tf.math.is_finite(x).dtype is tf.bool
    assert grads(lambda t: tf.cast(tf.math.is_finite(t), tf.float32) * 1.0, [1.]) == [None]


def test_xlogy_xdivy_values_and_gradients():
    close(tf.math.xlogy(tf.constant([0., 0., 1., 2., 0.]), tf.constant([0., -1., 0., 3., NAN])),
          [0.0, 0.0, -INF, 2.1972246170043945, 0.0], tf.float32)
    gx, gy = grads(tf.math.xlogy, [0., 0., 1., 2.], [0., 1., 0., 3.])
    close(gx, [0.0, 0.0, -INF, 1.0986123085021973])
    close(gy, [0.0, 0.0, INF, 0.6666666865348816])
    close(tf.math.xdivy(tf.constant([0., 0., 1., 2.]), tf.constant([0., -1., 0., 3.])),
          [0.0, 0.0, INF, 0.6666666865348816], tf.float32)
    gx, gy = grads(tf.math.xdivy, [0., 0., 1., 2.], [0., 1., 0., 3.])
    close(gx, [0.0, 0.0, INF, 0.3333333432674408])
    close(gy, [0.0, 0.0, -INF, -0.2222222238779068])
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.math.xlogy(tf.constant([1]), tf.constant([2]))


def test_atan2_values_and_gradient_at_origin():
    close(tf.math.atan2(tf.constant([0., 0., 1., -1., 0.]), tf.constant([0., -1., 0., -1., 1.])),
          [0.0, 3.1415927410125732, 1.5707963705062866, -2.356194496154785, 0.0], tf.float32)
    gy, gx = grads(tf.math.atan2, [0., 1., 2.], [0., 1., -1.])
    close(gy, [NAN, 0.5, -0.20000000298023224])
    close(gx, [NAN, -0.5, -0.4000000059604645])


def test_divide_no_nan():
    x, y = tf.constant([1., 0., INF, NAN, 3.]), tf.constant([0., 0., 0., 0., 2.])
    close(tf.math.divide_no_nan(x, y), [0., 0., 0., 0., 1.5], tf.float32)
    gx, gy = grads(tf.math.divide_no_nan, [1., 0., 3.], [0., 0., 2.])
    close(gx, [0., 0., 0.5])
    close(gy, [0., 0., -0.75])
    close(tf.math.divide_no_nan(tf.constant([1]), tf.constant([0])), [0.], tf.float64)
    close(tf.math.divide_no_nan(tf.constant([3.]), 2), [1.5], tf.float32)
    with pytest.raises(TypeError, match=r"must have the same dtype, got tf.float32 != tf.float64"):
        tf.math.divide_no_nan(tf.constant([1.]), tf.constant([0.], tf.float64))


def test_multiply_no_nan():
    close(tf.math.multiply_no_nan(tf.constant([INF, NAN, 1., 2.]), tf.constant([0., 0., INF, 3.])),
          [0., 0., INF, 6.], tf.float32)
    gx, gy = grads(tf.math.multiply_no_nan, [INF, 1., 2.], [0., 0., 3.])
    close(gx, [0., 0., 3.])
    close(gy, [INF, 1., 2.])
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.math.multiply_no_nan(tf.constant([1]), tf.constant([0]))


def test_squared_difference():
    close(tf.math.squared_difference(tf.constant([1, 5]), tf.constant([3, 2])), [4, 9], tf.int32)
    close(tf.math.squared_difference(tf.constant([1.]), 2), [1.], tf.float32)
    close(tf.math.squared_difference(tf.constant([1 + 2j]), tf.constant([3 - 1j])), [13 + 0j],
          tf.complex128)
    gx, gy = grads(tf.math.squared_difference, [1 + 2j], [3 - 1j])
    close(gx, [-4 + 6j])
    close(gy, [4 - 6j])


def test_truncatediv():
    close(tf.truncatediv(tf.constant([-7, 7, -7]), tf.constant([2, -2, 2])), [-3, -3, -3], tf.int32)
    close(tf.truncatediv(tf.constant([-7.]), tf.constant([2.])), [-3.], tf.float32)
    assert grads(tf.truncatediv, [-7.], [2.]) == [None, None]


M = [[1., 2., 3.], [4., 6., 8.]]


def test_variance_std_euclidean_norm():
    m = tf.constant(M)
    close(tf.math.reduce_variance(m), 5.666666507720947, tf.float32)
    v = tf.math.reduce_variance(m, axis=1, keepdims=True)
    assert v.shape == (2, 1)
    close(v, [[0.6666666865348816], [2.6666667461395264]])
    close(tf.math.reduce_std(m, 0), [1.5, 2.0, 2.5], tf.float32)
    close(tf.math.reduce_variance(tf.constant([1 + 1j, 2 - 1j])), 1.25, tf.float64)
    close(tf.math.reduce_euclidean_norm(m), 11.401754379272461, tf.float32)
    close(tf.math.reduce_euclidean_norm(m, 1), [3.7416574954986572, 10.770329475402832])
    close(tf.math.reduce_euclidean_norm(tf.constant([3, 4])), 5, tf.int32)
    close(tf.math.reduce_euclidean_norm(tf.constant([3 + 4j, 1j])), 5.0990195135927845 + 0j,
          tf.complex128)
    with pytest.raises(TypeError, match="Input must be either real or complex"):
        tf.math.reduce_std(tf.constant([1, 2]))


def test_statistics_gradients_at_degenerate_points():
    close(grads(tf.math.reduce_std, [2., 2.])[0], [NAN, NAN])
    close(grads(tf.math.reduce_variance, [1., 2., 4.])[0],
          [-0.8888888955116272, -0.2222222238779068, 1.1111111640930176])
    close(grads(tf.math.reduce_euclidean_norm, [0., 0.])[0], [NAN, NAN])
    close(grads(tf.math.reduce_euclidean_norm, [3., 4.])[0], [0.6, 0.8])
    close(grads(tf.math.reduce_euclidean_norm, [3. + 4j, 1j])[0],
          [0.5883484054145521 + 0.7844645405527362j, 0.19611613513818404j])


def test_reduce_any_all():
    b = tf.constant([[True, False], [True, True]])
    assert tf.reduce_any(b).numpy() is np.True_
    assert tf.reduce_all(b, axis=0).numpy().tolist() == [True, False]
    kept = tf.math.reduce_any(b, 1, keepdims=True)
    assert kept.shape == (2, 1) and kept.dtype is tf.bool
    assert tf.reduce_all(np.array([True])).numpy()
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"cannot compute Any as input #0\(zero-based\) was expected to be a "
                             r"bool tensor but is a float tensor \[Op:Any\]"):
        tf.reduce_any(tf.constant([1.]))


def test_argmax_argmin():
    x = tf.constant([[1, 5, 5], [7, 0, 7]])
    r = tf.math.argmax(x)
    assert r.dtype is tf.int64 and r.numpy().tolist() == [1, 0, 1]
    r = tf.argmax(x, axis=1, output_type=tf.int32)
    assert r.dtype is tf.int32 and r.numpy().tolist() == [1, 0]
    assert tf.math.argmin(x, axis=-1).numpy().tolist() == [0, 1]
    assert tf.math.argmax(tf.constant([1., NAN, 3.])).numpy() == 2
    assert tf.math.argmax(tf.constant([NAN, 1.])).numpy() == 1
    assert tf.math.argmax(tf.constant([NAN, NAN])).numpy() == 0
    assert tf.math.argmin(tf.constant([NAN, 1., NAN])).numpy() == 1
    assert tf.math.argmax(tf.constant([True, False])).numpy() == 0
    assert tf.math.argmax(tf.constant([1., 2.]), output_type=tf.int16).dtype is tf.int16
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"Expected dimension in the range \[0, 0\), but got 0 \[Op:ArgMax\]"):
        tf.math.argmax(tf.constant(3.))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"range \[-1, 1\), but got 1"):
        tf.math.argmax(tf.constant([1., 2.]), axis=1)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Reduction axis 0 is empty"):
        tf.math.argmax(tf.zeros([0]))
    assert grads(lambda t: tf.cast(tf.argmax(t), tf.float32) * t[0], [1., 2.])[0].numpy().tolist() \
        == [1.0, 0.0]


def test_variance_of_bool_reaches_means_dtype_error():
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"(?s)^Value for attr 'T' of bool is not in the list.*\[Op:Mean\]"):
        tf.math.reduce_variance(tf.constant([True]))
    with pytest.raises(TypeError, match="Input must be either real or complex"):
        tf.math.reduce_std(tf.constant([1, 2]))
