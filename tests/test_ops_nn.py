"""Forward values, dtypes, shapes, errors and singular-point gradients of the tf.nn family,
checked against numbers produced by real TensorFlow 2.21 (CPU)."""

import warnings

import numpy as np
import pytest

import tapeflow as tf

F32 = np.float32
EXTREMES = np.array([-1000., -6., -1., 0., 1., 6., 7., 1000.], F32)


def grad(f, *xs):
    xs = [tf.constant(x) for x in xs]
    with tf.GradientTape() as tape:
        tape.watch(xs)
        y = f(*xs)
    g = tape.gradient(y, xs)
    return g[0] if len(g) == 1 else g


def close(t, expected, dtype=F32, rtol=1e-5, atol=1e-6):
    assert t.dtype.name == np.dtype(dtype).name
    np.testing.assert_allclose(t.numpy(), np.asarray(expected, dtype), rtol=rtol, atol=atol)


@pytest.fixture
def no_numpy_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# --- activations: values at +-1000, 0, and TF's gradients at the kinks ----------------------------

ACTIVATIONS = {
    "relu6": (tf.nn.relu6, [0, 0, 0, 0, 1, 6, 6, 6], [0, 0, 0, 0, 1, 0, 0, 0]),
    "leaky_relu": (tf.nn.leaky_relu, [-200, -1.2, -0.2, 0, 1, 6, 7, 1000],
                   [0.2, 0.2, 0.2, 0.2, 1, 1, 1, 1]),
    "elu": (tf.nn.elu, [-1, -0.99752122, -0.63212055, 0, 1, 6, 7, 1000],
            [0, 0.00247878, 0.36787945, 1, 1, 1, 1, 1]),
    "selu": (tf.nn.selu, [-1.7580993, -1.7537414, -1.1113307, 0, 1.050701, 6.304206, 7.354907,
                          1050.701], [0, 0.00435793, 0.64676857, 1.050701, 1.050701, 1.050701,
                                      1.050701, 1.050701]),
    "gelu": (tf.nn.gelu, [0, -5.9195355e-09, -0.15865526, 0, 0.8413447, 6, 7, 1000],
             [0, -3.546878e-08, -0.08331549, 0.5, 1.0833155, 1, 1, 1]),
    "gelu_approximate": (lambda x: tf.nn.gelu(x, approximate=True),
                         [0, 0, -0.158808, 0, 0.841192, 6, 7, 1000],
                         [0, 0, -0.08296409, 0.5, 1.0829641, 1, 1, 1]),
    "silu": (tf.nn.silu, [0, -0.01483574, -0.26894142, 0, 0.7310586, 5.985164, 6.9936228, 1000],
             [0, -0.01232643, 0.07232948, 0.5, 0.9276704, 1.0123265, 1.0054606, 1]),
    "swish_beta2": (lambda x: tf.nn.swish(x, beta=2.), [0, -3.6865047e-05, -0.11920294, 0,
                                                        0.8807971, 5.9999633, 6.9999943, 1000],
                    [0, -6.758547e-05, -0.09078425, 0.5, 1.0907842, 1.0000675, 1.0000108, 1]),
    "softsign": (tf.nn.softsign,
                 [-0.999001, -0.85714287, -0.5, 0, 0.5, 0.85714287, 0.875, 0.999001],
                 [9.98003e-07, 0.02040816, 0.25, 1, 0.25, 0.02040816, 0.015625, 9.98003e-07]),
    "log_sigmoid": (tf.math.log_sigmoid, [-1000, -6.0024757, -1.3132616, -0.6931472, -0.3132617,
                                          -0.00247569, -0.00091147, 0],
                    [1, 0.99752736, 0.7310586, 0.5, 0.26894143, 0.00247262, 0.00091105, 0]),
}


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_values_and_gradients(name, no_numpy_warnings):
    fn, values, grads = ACTIVATIONS[name]
    close(fn(EXTREMES), values)
    close(grad(fn, EXTREMES), grads)


def test_leaky_relu_alpha_and_integer_input():
    close(grad(lambda x: tf.nn.leaky_relu(x, alpha=2.), EXTREMES), [2, 2, 2, 2, 1, 1, 1, 1])
    close(tf.nn.leaky_relu(tf.constant([-1, 3, 9])), [-0.2, 3, 9])


def test_relu6_keeps_integers():
    out = tf.nn.relu6(tf.constant([-1, 3, 9]))
    assert out.dtype == tf.int32 and out.numpy().tolist() == [0, 3, 6]


@pytest.mark.parametrize("fn,op", [(tf.nn.elu, "Elu"), (tf.nn.softsign, "Softsign"),
                                   (tf.nn.silu, "Sigmoid"), (tf.nn.softmax, "Softmax")])
def test_integer_inputs_are_rejected(fn, op):
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=f"(?s)int32 is not in the list.*Op:{op}"):
        fn(tf.constant([-1, 3, 9]))


def test_gelu_rejects_integers():
    with pytest.raises(ValueError, match="must be a floating point tensor"):
        tf.nn.gelu(tf.constant([1, 2]))


# --- softmax, logsumexp --------------------------------------------------------------------------

def test_softmax_and_log_softmax_are_shifted(no_numpy_warnings):
    x = [[1000., 0., -1000.]]
    close(tf.nn.softmax(x), [[1, 0, 0]])
    close(tf.nn.log_softmax(x), [[0, -1000, -2000]])
    close(tf.nn.softmax([[1., 2.], [3., 5.]], axis=0), [[0.11920291, 0.04742587],
                                                      [0.8807970, 0.95257413]])
    close(tf.nn.softmax(tf.constant([1., 2.], tf.float64)), [0.26894142137, 0.73105857863],
          np.float64)
    assert tf.nn.softmax(tf.zeros([2, 0])).shape == (2, 0)


def test_softmax_axis_errors():
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"`dim` must be in the range \[-1, 1\) where 1 .*Received: dim=3"):
        tf.nn.softmax([1., 2.], axis=3)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Received: dim=-3"):
        tf.nn.log_softmax([1., 2.], axis=-3)
    with pytest.raises(tf.errors.AbortedError, match="Input dims must be <= 5 and >=1"):
        tf.nn.softmax(1.)


def test_softmax_gradients_follow_tf_formulas():
    x = np.array([[0.5, -1., 2.]], F32)
    w = np.array([[1., 2., 3.]], F32)
    y = np.exp(x) / np.exp(x).sum()
    close(grad(lambda v: tf.nn.softmax(v) * w, x), (w - (w * y).sum()) * y)
    close(grad(lambda v: tf.nn.log_softmax(v) * w, x), w - y * w.sum())


def test_reduce_logsumexp(no_numpy_warnings):
    close(tf.reduce_logsumexp([1000., 1000.]), 1000.6931472)
    close(grad(tf.reduce_logsumexp, np.array([1000., 1000.], F32)), [0.5, 0.5])
    close(tf.math.reduce_logsumexp([[1., 2.], [3., 4.]], axis=1, keepdims=True),
          [[2.3132617], [4.3132615]])
    assert tf.reduce_logsumexp([-np.inf, -np.inf]).numpy() == -np.inf
    assert tf.reduce_logsumexp([np.inf, 1.]).numpy() == np.inf
    out = tf.reduce_logsumexp(tf.zeros([0, 2]), axis=0)
    assert out.shape == (2,) and np.all(out.numpy() == -np.inf)
    with pytest.raises(tf.errors.InvalidArgumentError, match="IsFinite"):
        tf.reduce_logsumexp([1, 2])


# --- losses --------------------------------------------------------------------------------------

def test_softmax_cross_entropy_gradient_none_case():
    """TF's testGradientNone: labels [[1, 0]], logits [[0, 0]]."""
    dlabels, dlogits = grad(lambda labels, z: tf.nn.softmax_cross_entropy_with_logits(labels, z),
                            np.array([[1., 0.]], F32), np.array([[0., 0.]], F32))
    close(dlogits, [[-0.5, 0.5]])
    close(dlabels, [[0.693147, 0.693147]])


def test_softmax_cross_entropy_values(no_numpy_warnings):
    sce = tf.nn.softmax_cross_entropy_with_logits
    close(sce([[0., 1., 0.]], [[1000., 0., -1000.]]), [1000.])
    close(sce([[0.2, 1.], [0.8, 0.]], [[1., 2.], [3., 4.]], axis=0), [0.526928, 2.126928])
    close(sce([0.2, 0.8], [1., 2.]), 0.513262)
    close(sce([[0.2, 0.8]], [[1., 2.], [3., 4.]]), [0.513262, 0.513262])
    close(sce(tf.constant([[0.2, 0.8]], tf.float64), [[1., 2.]]), [0.513262])
    close(sce([[0, 1]], [[1., 2.]]), [0.313262])
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"logits and labels must be broadcastable: logits_size=\[1,3\] "
                             r"labels_size=\[1,2\]"):
        sce([[0.2, 0.8]], [[1., 2., 3.]])


def test_sparse_softmax_cross_entropy():
    ss = tf.nn.sparse_softmax_cross_entropy_with_logits
    close(grad(lambda z: ss([0], z), np.array([[0., 0.]], F32)), [[-0.5, 0.5]])
    close(ss([1, 2], [[1000., 0., -1000.], [1., 2., 3.]]), [1000., 0.407606])
    close(ss(tf.constant([1], tf.int64), [[0., 0.]]), [0.693147])
    close(ss(1, [0., 3.]), 0.048587)
    close(ss([[1, 0]], [[[0., 1.], [2., 3.]]]), [[0.313262, 1.313262]])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Received a label value of 5 which "
                       r"is outside the valid range of \[0, 2\).  Label values: 5"):
        ss([5], [[0., 0.]])
    with pytest.raises(ValueError, match="must equal `logits.shape.rank - 1`"):
        ss([[0]], [[0., 0.]])
    with pytest.raises(ValueError, match="except for the last dimension"):
        ss([0, 1], [[0., 0.]])
    with pytest.raises(tf.errors.InvalidArgumentError, match="'Tlabels' of float"):
        ss([0.], [[0., 0.]])


def test_sigmoid_cross_entropy(no_numpy_warnings):
    sig = tf.nn.sigmoid_cross_entropy_with_logits
    z = np.array([0., 1., 0.5, 1.], F32)
    x = np.array([1000., -1000., 0., 2.], F32)
    close(sig(labels=z, logits=x), [1000., 1000., 0.693147, 0.126928])
    dz, dx = grad(lambda a, b: sig(labels=a, logits=b), z, x)
    close(dz, [-1000., 1000., 0., -2.])
    close(dx, [1., -1., 0., -0.119203])
    with pytest.raises(ValueError,
                       match=r"must have the same shape, received \(\(3,\) vs \(2,\)\)"):
        sig(labels=[0., 1.], logits=[1., 2., 3.])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Mul"):
        sig(labels=[0, 1], logits=[1., 2.])


def test_l2_loss_and_l2_normalize():
    close(tf.nn.l2_loss([[1., 2.], [3., 4.]]), 15.)
    close(grad(tf.nn.l2_loss, np.array([1., -2.], F32)), [1., -2.])
    with pytest.raises(tf.errors.InvalidArgumentError, match="L2Loss"):
        tf.nn.l2_loss([1, 2])
    close(tf.nn.l2_normalize([[3., 4.], [0., 0.]], axis=1), [[0.6, 0.8], [0., 0.]])
    close(tf.math.l2_normalize([[3., 4.], [0., 0.]]), [[0.6, 0.8], [0., 0.]])
    close(grad(tf.nn.l2_normalize, np.array([0., 0.], F32)), [1e6, 1e6])
    with pytest.raises(TypeError, match="Cannot convert 1e-12 to EagerTensor of dtype int32"):
        tf.nn.l2_normalize([3, 4])


# --- dropout, moments, batch norm, bias_add ------------------------------------------------------

def test_dropout_scales_kept_values_and_masks_the_gradient():
    x = np.arange(1., 201.).astype(F32)
    tf.random.set_seed(0)
    out = tf.nn.dropout(x, 0.75, seed=1).numpy()
    kept = out != 0
    assert 0 < kept.sum() < 200
    np.testing.assert_allclose(out[kept], 4 * x[kept])
    tf.random.set_seed(0)
    g = grad(lambda v: tf.nn.dropout(v, 0.75, seed=1), x).numpy()
    np.testing.assert_array_equal(g != 0, kept)
    np.testing.assert_allclose(g[kept], 4.)


def test_dropout_arguments():
    x = tf.ones([3])
    assert tf.nn.dropout(x, 0.) is x
    out = tf.nn.dropout(tf.ones([6, 40]), 0.5, noise_shape=[6, 1]).numpy()
    assert all(len(set(row)) == 1 for row in out)
    for rate in (1., -0.1):
        with pytest.raises(ValueError, match=r"`rate` must be a scalar tensor or a float in the "
                                             r"range \[0, 1\)"):
            tf.nn.dropout(x, rate)
    with pytest.raises(ValueError, match="`x.dtype` must be a floating point tensor"):
        tf.nn.dropout(tf.ones([3], tf.int32), 0.5)


def test_moments():
    mean, var = tf.nn.moments(tf.constant([[1., 2.], [3., 5.]]), axes=[0])
    close(mean, [2., 3.5])
    close(var, [1., 2.25])
    mean, var = tf.nn.moments(tf.constant([[1., 2.], [3., 5.]]), axes=[0, 1], keepdims=True)
    close(mean, [[2.75]])
    close(var, [[2.1875]])
    mean, var = tf.nn.moments(tf.constant([[1, 2], [3, 5]]), axes=[0])
    assert mean.dtype == tf.int32 and mean.numpy().tolist() == [2, 3]
    assert var.numpy().tolist() == [1, 2]


def test_batch_normalization():
    close(tf.nn.batch_normalization(tf.constant([[1., 2.]]), 0.5, 4., None, None, 0.),
          [[0.25, 0.75]])
    x = tf.constant([[1., 2.]])
    out = tf.nn.batch_normalization(x, tf.constant([0.5, 1.]), tf.constant([4., 1.]),
                                    tf.constant([1., 1.]), tf.constant([2., 3.]), 1e-3)
    close(out, [[1 + 0.5 * 2 / np.sqrt(4.001), 1 + 3 / np.sqrt(1.001)]], rtol=1e-6)


def test_bias_add():
    close(tf.nn.bias_add(tf.ones([2, 3]), [1., 2., 3.]), [[2, 3, 4], [2, 3, 4]])
    close(tf.nn.bias_add(tf.ones([1, 2, 2]), [1., 2.], data_format="NCHW"), [[[2, 2], [3, 3]]])
    close(tf.nn.bias_add(tf.ones([2, 3]), [1., 2., 3.], data_format="NWC"), [[2, 3, 4], [2, 3, 4]])
    out = tf.nn.bias_add(tf.ones([2, 3], tf.int32), [1, 2, 3])
    assert out.dtype == tf.int32
    dv, db = grad(tf.nn.bias_add, np.ones((2, 3), F32), np.ones(3, F32))
    close(dv, np.ones((2, 3)))
    close(db, [2., 2., 2.])


@pytest.mark.parametrize("value,bias,message", [
    ([[1., 1., 1.]] * 2, [1., 2.], r"Must provide as many biases as the last dimension of the "
                                   r"input tensor: \[2\] vs. \[2,3\] \[Op:BiasAdd\]$"),
    ([1., 1., 1.], [1., 2., 3.], r"Input tensor must be at least 2D: \[3\]"),
    ([[1., 1., 1.]] * 2, [[1., 2., 3.]], r"Biases must be 1D: \[1,3\]"),
])
def test_bias_add_errors(value, bias, message):
    with pytest.raises(tf.errors.InvalidArgumentError, match=message):
        tf.nn.bias_add(value, bias)


def test_bias_add_dtype_mismatch():
    with pytest.raises(tf.errors.InvalidArgumentError, match="cannot compute BiasAdd as input #1"):
        tf.nn.bias_add(tf.ones([2, 3]), tf.constant([1., 2., 3.], tf.float64))


# --- convolution ----------------------------------------------------------------------------------

X = (np.arange(40, dtype=F32).reshape(1, 4, 5, 2) % 7) / 4 - 0.5
W = (np.arange(36, dtype=F32).reshape(3, 2, 2, 3) % 5) / 3 - 0.4


def test_conv2d_matches_tf():
    close(tf.nn.conv2d(X, W, 2, "VALID"), [[[[1.43333, 0.1, 0.01667], [0.33333, 2., 0.33333]]]],
          atol=1e-5)
    close(tf.nn.conv2d(X, W, [2, 2], "SAME"),
          [[[[1.43333, 0.1, 0.01667], [0.33333, 2., 0.33333], [-0.6, 0.31667, 0.4]],
            [[-0.53333, 0.05, 0.63333], [1.4, 0.65, 1.15], [-0.08333, -0.08333, 0.33333]]]],
          atol=1e-5)
    out = tf.nn.conv2d(X, W, 2, "SAME", dilations=2)
    close(out[0, 0], [[0.63333, 1.63333, 0.13333], [0.55, 0.71667, 1.71667],
                      [-0.33333, 0.08333, 0.08333]], atol=1e-5)
    out = tf.nn.conv2d(X, W, [1, 2, 1, 1], [[0, 0], [1, 0], [2, 1], [0, 0]])
    assert out.shape == (1, 2, 7, 3)
    close(out[0, 1, :3], [[0., 0., 0.], [1.23333, 0.9, -0.68333], [1.71667, 1.46667, 1.21667]],
          atol=1e-5)


def test_conv2d_gradients_match_tf():
    weights = np.arange(1., 7.).reshape(1, 2, 3, 1).astype(F32)
    dx, dw = grad(lambda a, b: tf.reduce_sum(tf.nn.conv2d(a, b, 2, "SAME") * weights), X, W)
    close(dx[0, 0], [[-0.2, 1.13333], [0.8, 0.46667], [-0.4, 2.26667], [1.6, 0.93333],
                     [-0.6, 3.4]], atol=1e-5)
    close(dx[0, 1, :2], [[1.8, -0.2], [1.13333, 0.8]], atol=1e-5)
    assert dw.shape == W.shape


def test_conv2d_transpose_and_conv1d_match_tf():
    dy = np.arange(12, dtype=F32).reshape(1, 2, 3, 2) / 5
    wt = W[:, :, :2, :2]
    out = tf.nn.conv2d_transpose(dy, wt, [1, 4, 5, 2], 2, "SAME")
    assert out.shape == (1, 4, 5, 2)
    close(out[0, 0], [[-0.01333, 0.18667], [0.05333, -0.08], [-0.2, 0.8], [0.13333, 0.13333],
                      [-0.38667, 1.41333]], atol=1e-5)
    out = tf.nn.conv2d_transpose(dy, wt, [1, 5, 6, 2], 2, "VALID")
    close(out[0, 0, 5], [0.21333, 0.34667], atol=1e-5)
    x1 = np.arange(12, dtype=F32).reshape(1, 6, 2) / 6 - 0.4
    w1 = np.arange(12, dtype=F32).reshape(3, 2, 2) / 5 - 1
    close(tf.nn.conv1d(x1, w1, 2, "SAME"), [[[1.16667, 1.18667], [1.16667, 1.98667],
                                             [-1.56, -0.61333]]], atol=1e-5)
    close(tf.nn.conv1d(x1, w1, 1, "VALID", dilations=2), [[[2.23333, 2.65333],
                                                          [2.23333, 3.05333]]], atol=1e-5)


def test_conv2d_errors():
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="Value for attr 'padding' of \"same\""):
        tf.nn.conv2d(X, W, 1, "same")
    with pytest.raises(ValueError, match="'EXPLICIT' is not a valid value"):
        tf.nn.conv2d(X, W, 1, "EXPLICIT")
    with pytest.raises(ValueError, match=r"strides should be of length 1, 2 or 4. Received: "
                                         r"strides=\[1, 1, 1\] of length 3"):
        tf.nn.conv2d(X, W, [1, 1, 1], "SAME")
    with pytest.raises(tf.errors.UnimplementedError, match="strides in the batch and depth"):
        tf.nn.conv2d(X, W, [2, 1, 1, 1], "SAME")
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="input depth must be evenly divisible by filter depth: 3 vs 2"):
        tf.nn.conv2d(np.ones((1, 3, 3, 3), F32), W, 1, "SAME")
    # A NumPy float64 filter takes the input's dtype (TF); two tensors must agree.
    assert tf.nn.conv2d(X, W.astype(np.float64), 1, "SAME").dtype == tf.float32
    with pytest.raises(tf.errors.InvalidArgumentError, match="cannot compute Conv2D as input #1"):
        tf.nn.conv2d(tf.constant(X), tf.constant(W, tf.float64), 1, "SAME")
    with pytest.raises(tf.errors.InvalidArgumentError, match="Computed output size would be "
                                                             "negative"):
        tf.nn.conv2d(X[:, :1], W, 1, "VALID")
    with pytest.raises(tf.errors.InvalidArgumentError, match="Size of out_backprop doesn't match"):
        tf.nn.conv2d_transpose(np.ones((1, 2, 3, 2), F32), W[:, :, :2, :2], [1, 6, 6, 2], 2)


# --- pooling --------------------------------------------------------------------------------------

P = np.array([[1., 5., 2., 0.], [3., -1., 4., 7.], [0., 2., 9., 1.]], F32).reshape(1, 3, 4, 1)


def _flat(t):
    return t.numpy().ravel().tolist()


def test_max_pool2d_matches_tf():
    assert _flat(tf.nn.max_pool2d(P, 2, 2, "SAME")) == [5., 7., 2., 9.]
    assert _flat(tf.nn.max_pool2d(P, [2, 3], 1, "VALID")) == [5., 7., 9., 9.]
    assert _flat(tf.nn.max_pool2d(P, 2, 2, [[0, 0], [1, 0], [0, 1], [0, 0]])) == [5., 2., 3., 9.]
    assert _flat(grad(lambda a: tf.nn.max_pool2d(a, 2, 1, "SAME"), P)) == [
        0., 2., 0., 0., 1., 0., 0., 3., 0., 1., 4., 1.]
    # Ties: the whole gradient goes to the first maximum in row-major window order.
    assert _flat(grad(lambda a: tf.nn.max_pool2d(a, 2, 2, "VALID"), np.ones((1, 2, 2, 1), F32))) \
        == [1., 0., 0., 0.]
    assert tf.nn.max_pool2d(P, 4, 1, "VALID").shape == (1, 0, 1, 1)


def test_max_pool2d_second_derivative_matches_tf():
    a = tf.constant(P)
    with tf.GradientTape() as outer:
        outer.watch(a)
        with tf.GradientTape() as inner:
            inner.watch(a)
            y = tf.reduce_sum(tf.nn.max_pool2d(a, 2, 1, "SAME") ** 2)
        g = inner.gradient(y, a)
    assert _flat(outer.gradient(g, a)) == [0., 4., 0., 0., 2., 0., 0., 6., 0., 2., 8., 2.]


def test_avg_pool2d_matches_tf():
    assert _flat(tf.nn.avg_pool2d(P, 2, 2, "SAME")) == [2., 3.25, 1., 5.]
    close(tf.reshape(grad(lambda a: tf.nn.avg_pool2d(a, 3, 2, "SAME"), P), [-1]),
          [1 / 6, 1 / 6, 5 / 12, 0.25, 1 / 3, 1 / 3, 5 / 6, 0.5, 1 / 6, 1 / 6, 5 / 12, 0.25])
    with pytest.raises(TypeError, match="Expected string for argument 'padding'"):
        tf.nn.avg_pool2d(P, 2, 2, [[0, 0], [1, 0], [0, 1], [0, 0]])
    with pytest.raises(tf.errors.InvalidArgumentError, match="AvgPool"):
        tf.nn.avg_pool2d(P.astype(np.int32), 2, 2, "SAME")


def test_pooling_batch_window_is_unimplemented():
    with pytest.raises(tf.errors.UnimplementedError, match="Pooling is not yet supported on the "
                                                           "batch dimension"):
        tf.nn.max_pool2d(P, [2, 2, 2, 1], 1, "SAME")


def test_small_cnn_trains_one_step():
    rng = np.random.default_rng(0)
    x = tf.constant(rng.normal(size=(4, 8, 8, 1)).astype(F32))
    w = tf.Variable(rng.normal(size=(3, 3, 1, 4)).astype(F32) * 0.3)
    dense = tf.Variable(rng.normal(size=(64, 3)).astype(F32) * 0.1)
    labels = tf.constant([0, 2, 1, 0])
    with tf.GradientTape() as tape:
        h = tf.nn.max_pool2d(tf.nn.relu(tf.nn.conv2d(x, w, 1, "SAME")), 2, 2, "VALID")
        logits = tf.reshape(h, (4, 64)) @ dense
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels, logits))
    gw, gd = tape.gradient(loss, [w, dense])
    assert gw.shape == (3, 3, 1, 4) and gd.shape == (64, 3) and gw.dtype == tf.float32
    assert np.all(np.isfinite(gw.numpy())) and np.any(gw.numpy() != 0)


def test_softmax_cross_entropy_of_a_perfect_prediction_is_positive_zero():
    """TF 2.21 prints 0.0 here, not -0.0."""
    loss = tf.nn.softmax_cross_entropy_with_logits([0., 0., 1.], [-1000., 0., 1000.])
    assert loss.numpy() == 0.0 and not np.signbit(loss.numpy())


def test_leaky_relu_alpha_is_a_float32_attr():
    # TF 2.21: float64 inputs are scaled by float32(0.2) = 0.20000000298023224
    x = tf.constant([-1., 2.], tf.float64)
    np.testing.assert_array_equal(tf.nn.leaky_relu(x).numpy(), [-0.20000000298023224, 2.])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.nn.leaky_relu(x)
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), [0.20000000298023224, 1.])
