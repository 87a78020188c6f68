"""Behaviour of the API-breadth names beyond single snippets (the snippets compared with TF are
in breadth_cases.py)."""

import numpy as np
import pytest

import tapeflow as tf


def test_name_scopes_nest_and_reset():
    assert tf.get_current_name_scope() == ""
    with tf.name_scope("outer") as outer:
        with tf.name_scope("inner") as inner:
            assert (outer, inner) == ("outer/", "outer/inner/")
            assert tf.get_current_name_scope() == "outer/inner"
        with tf.name_scope("abs/") as absolute:
            assert absolute == "abs/"
    assert tf.get_current_name_scope() == ""


def test_device_is_accepted_and_checked():
    with tf.device("/device:GPU:0"):
        assert float(tf.constant(2.0) * 3) == 6.0
    with pytest.raises(ValueError, match="Unknown attribute"):
        with tf.device("/bogus:1"):
            pass
    spec = tf.DeviceSpec(job="w").make_merged_spec(tf.DeviceSpec(device_type="cpu"))
    assert spec.to_string() == "/job:w/device:CPU:*"


def test_grad_pass_through_gives_identity_gradient():
    x = tf.constant([1.3, 2.7])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.grad_pass_through(tf.round)(x)
    np.testing.assert_array_equal(y, [1.0, 3.0])
    np.testing.assert_array_equal(tape.gradient(y, x), [1.0, 1.0])


def test_register_gradient_refuses_an_op_with_a_gradient():
    with pytest.raises(KeyError, match="Registering two gradient with name 'Sin'"):
        tf.RegisterGradient("Sin")(lambda op, g: g)
    with pytest.raises(KeyError):
        tf.no_gradient("Exp")


def test_type_specs():
    assert tf.type_spec_from_value(tf.constant([1.0])) == tf.TensorSpec([1], tf.float32)
    assert tf.NoneTensorSpec() == tf.NoneTensorSpec()
    spec = tf.IndexedSlicesSpec([2, 3])
    assert spec.shape == tf.TensorShape([2, 3]) and spec.dtype == tf.float32
    assert isinstance(tf.NoneTensorSpec(), tf.TypeSpec)
    assert isinstance(tf.TensorSpec([2]), tf.TypeSpec)
    assert isinstance(tf.RaggedTensorSpec([2, None]), tf.TypeSpec)


def test_roll_gradient_is_dense_and_rolled_back():
    x = tf.constant([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(tf.roll(x, 1, 0) * tf.constant([1.0, 2.0, 3.0]))
    g = tape.gradient(y, x)
    assert isinstance(g, tf.Tensor)
    np.testing.assert_array_equal(g, [2.0, 3.0, 1.0])


def test_igamma_second_derivative_in_a_is_a_lookup_error_as_in_tf():
    a = tf.constant([2.0])
    with tf.GradientTape() as outer:
        outer.watch(a)
        with tf.GradientTape() as tape:
            tape.watch(a)
            y = tf.math.igamma(a, tf.constant([1.0]))
        g = tape.gradient(y, a)
    with pytest.raises(LookupError, match="IgammaGradA"):
        outer.gradient(g, a)


def test_nd_ffts_match_numpy_and_have_no_gradient():
    # TF 2.21 registers no CPU kernel for these, so they are checked against NumPy here.
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 3, 4))
    z = (x + 1j * x[::-1]).astype(np.complex128)
    np.testing.assert_allclose(tf.signal.fftnd(z, axes=[0, 2]), np.fft.fftn(z, axes=[0, 2]))
    np.testing.assert_allclose(tf.signal.ifftnd(z), np.fft.ifftn(z))
    np.testing.assert_allclose(tf.signal.rfftnd(x, fft_length=[3, 6], axes=[1, 2]),
                               np.fft.rfftn(x, s=[3, 6], axes=[1, 2]))
    assert tf.signal.irfftnd(z, axes=[1, 2]).dtype == tf.float64
    t = tf.constant(z)
    with tf.GradientTape() as tape:
        tape.watch(t)
        y = tf.math.real(tf.signal.fftnd(t))
    with pytest.raises(LookupError):
        tape.gradient(y, t)


def test_stft_round_trip_with_the_inverse_window():
    x = tf.constant(np.random.default_rng(1).normal(size=32))
    spec = tf.signal.stft(x, 8, 2)
    back = tf.signal.inverse_stft(spec, 8, 2,
                                  window_fn=tf.signal.inverse_stft_window_fn(2))
    np.testing.assert_allclose(back[8:-8], x[8:-8], atol=1e-10)


def test_jpeg_decodes_close_to_the_original_and_gifs_keep_frames():
    from PIL import Image
    import io
    rng = np.random.default_rng(2)
    smooth = np.clip(np.cumsum(rng.integers(-3, 4, (16, 16, 3)), axis=1) + 128, 0, 255)
    img = tf.constant(smooth.astype(np.uint8))
    back = tf.image.decode_jpeg(tf.image.encode_jpeg(img, quality=100,
                                                     chroma_downsampling=False))
    assert back.shape == (16, 16, 3) and back.dtype == tf.uint8
    assert np.abs(back.numpy().astype(int) - smooth).max() <= 8
    frames = [Image.fromarray(np.full((4, 5, 3), v, np.uint8)) for v in (0, 255)]
    buf = io.BytesIO()
    frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:])
    gif = tf.image.decode_image(buf.getvalue())
    assert gif.shape == (2, 4, 5, 3)
    assert tf.image.decode_image(buf.getvalue(), expand_animations=False).shape == (4, 5, 3)


def test_stateless_samplers_repeat_for_a_seed_and_differ_across_seeds():
    calls = [
        lambda s: tf.random.stateless_gamma([50], s, 2.0),
        lambda s: tf.random.stateless_poisson([50], s, 3.0),
        lambda s: tf.random.stateless_binomial([50], s, 10, 0.3),
        lambda s: tf.random.stateless_categorical([[0.0, 1.0, 2.0]], 50, s),
        lambda s: tf.random.stateless_parameterized_truncated_normal([50], s, 0.0, 1.0, -1, 1),
        lambda s: tf.random.split(s, 3),
        lambda s: tf.random.fold_in(s, 7),
    ]
    for call in calls:
        a, b, c = call([1, 2]), call([1, 2]), call([1, 3])
        np.testing.assert_array_equal(a, b)
        assert not np.array_equal(a, c)
    bounded = tf.random.stateless_parameterized_truncated_normal([200], [4, 5], 0.0, 1.0, -1, 1)
    assert -1 <= float(tf.reduce_min(bounded)) and float(tf.reduce_max(bounded)) <= 1
    assert not np.array_equal(tf.random.fold_in([1, 2], 7), tf.random.fold_in([1, 2], 8))


def test_gamma_and_poisson_follow_their_parameters():
    tf.random.set_seed(3)
    g = tf.random.gamma([4000], [1.0, 5.0], beta=[1.0, 2.0], dtype=tf.float64)
    np.testing.assert_allclose(np.mean(g, axis=0), [1.0, 2.5], rtol=0.08)
    p = tf.random.poisson([4000], [2.0, 9.0])
    np.testing.assert_allclose(np.mean(p, axis=0), [2.0, 9.0], rtol=0.08)
    beta = tf.constant([2.0])
    with tf.GradientTape() as tape:
        tape.watch(beta)
        s = tf.random.gamma([3], [1.5], beta=beta)
    np.testing.assert_allclose(tape.gradient(s, beta), [-float(tf.reduce_sum(s)) / 2.0],
                               rtol=1e-5)
    gen = tf.random.get_global_generator()
    tf.random.set_global_generator(tf.random.Generator.from_seed(1))
    assert tf.random.get_global_generator() is not gen


def test_raw_conv2d_backprops_are_conv2d_gradients():
    # TF 2.21 registers no CPU kernel for these raw ops, so they are checked against the tape
    rng = np.random.default_rng(4)
    x = tf.constant(rng.normal(size=(1, 4, 5, 2)))
    w = tf.constant(rng.normal(size=(2, 3, 2, 3)))
    dy = tf.constant(rng.normal(size=(1, 2, 2, 3)))
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, w])
        y = tf.nn.conv2d(x, w, [1, 2, 2, 1], "VALID")
    np.testing.assert_allclose(
        tf.conv2d_backprop_input_v2(x, w, dy, [1, 2, 2, 1], "VALID"),
        tape.gradient(y, x, output_gradients=dy))
    np.testing.assert_allclose(
        tf.conv2d_backprop_filter_v2(x, w, dy, [1, 2, 2, 1], "VALID"),
        tape.gradient(y, w, output_gradients=dy))
    np.testing.assert_allclose(
        tf.conv2d_backprop_input_v2(x, w, dy, [1, 2, 2, 1], "VALID"),
        tf.nn.conv2d_transpose(dy, w, [1, 4, 5, 2], [1, 2, 2, 1], "VALID"))


def test_hsv_to_rgb_has_no_gradient_as_in_tf():
    x = tf.constant([[[[0.1, 0.5, 0.5]]]])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(tf.image.hsv_to_rgb(x))
    assert tape.gradient(y, x) is None


def test_dynamic_stitch_gradient_reaches_overwritten_entries():
    # TF 2.21 gives every entry the gradient of the slot it maps to, even the overwritten ones
    a, b = tf.constant([1.0, 2.0]), tf.constant([3.0, 4.0])
    with tf.GradientTape() as tape:
        tape.watch([a, b])
        y = tf.dynamic_stitch([[0, 2], [1, 2]], [a, b])
        loss = tf.reduce_sum(y * [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(y, [1.0, 3.0, 4.0])
    ga, gb = tape.gradient(loss, [a, b])
    np.testing.assert_array_equal(ga, [1.0, 3.0])
    np.testing.assert_array_equal(gb, [2.0, 3.0])
