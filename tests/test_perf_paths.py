"""The fast paths of the performance work keep their results: the kept default output gradient,
the single-channel Conv2D's shared patch rows, and array batches wrapped without a copy."""

import numpy as np

import tapeflow as tf


def _conv_ref(x, w):
    """VALID, stride 1 Conv2D and its filter gradient for a ones output gradient, in float64."""
    kh, kw = w.shape[:2]
    oh, ow = x.shape[1] - kh + 1, x.shape[2] - kw + 1
    cols = np.lib.stride_tricks.sliding_window_view(x.astype(np.float64), (kh, kw), (1, 2))
    cols = cols.transpose(0, 1, 2, 4, 5, 3)[:, :oh, :ow]
    y = np.tensordot(cols, w, 3)
    dw = np.tensordot(cols, np.ones(y.shape), ([0, 1, 2], [0, 1, 2]))
    return y, dw


def test_default_output_gradient_is_ones_each_call_and_results_stay_private():
    x = tf.constant(np.arange(6, dtype=np.float32).reshape(2, 3))
    for _ in range(2):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x * 2.0
        gy, gx = tape.gradient(y, [y, x])
        out = gy.numpy()
        np.testing.assert_array_equal(out, np.ones((2, 3), np.float32))
        np.testing.assert_array_equal(gx.numpy(), np.full((2, 3), 2, np.float32))
        out[0, 0] = 5.0  # a private copy: the next call's seed is still ones


def test_single_channel_conv_filter_gradient_never_uses_another_inputs_rows():
    rng = np.random.default_rng(0)
    x1, x2 = (rng.standard_normal((2, 6, 5, 1)).astype(np.float32) for _ in range(2))
    w = rng.standard_normal((3, 2, 1, 4)).astype(np.float32)
    wv = tf.Variable(w)
    with tf.GradientTape() as t1:
        y1 = tf.nn.conv2d(x1, wv, 1, "VALID")
    with tf.GradientTape() as t2:  # a second forward in between: its rows replace the first's
        y2 = tf.nn.conv2d(x2, wv, 1, "VALID")
    for x, y, tape in ((x1, y1, t1), (x2, y2, t2)):
        ref_y, ref_dw = _conv_ref(x, w)
        np.testing.assert_allclose(y.numpy(), ref_y, rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(tape.gradient(y, wv).numpy(), ref_dw, rtol=1e-5, atol=1e-5)


def test_fit_and_predict_batches_see_the_data_and_leave_it_unchanged():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((10, 3)).astype(np.float32)
    y = rng.standard_normal((10, 1)).astype(np.float32)
    before = x.copy()
    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    model.fit(x, y, batch_size=4, epochs=1, verbose=0)
    out = model.predict(x, batch_size=4, verbose=0)
    np.testing.assert_allclose(out, model(x).numpy(), rtol=1e-6)
    np.testing.assert_array_equal(x, before)
    assert x.flags.writeable
