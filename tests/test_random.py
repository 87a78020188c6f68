"""tf.random: shapes, dtypes, ranges, seed semantics and TF's errors (values are NumPy's draws,
so only properties are compared with TensorFlow)."""

import numpy as np
import pytest

import tapeflow as tf


def test_set_seed_repeats_and_successive_calls_differ():
    for op in (lambda: tf.random.normal([4]), lambda: tf.random.truncated_normal([4], seed=7),
               lambda: tf.random.categorical([[0., 0., 0.]], 8),
               lambda: tf.random.shuffle(tf.range(10))):
        tf.random.set_seed(3)
        a, b = op().numpy(), op().numpy()
        tf.random.set_seed(3)
        np.testing.assert_array_equal(op().numpy(), a)
        assert not np.array_equal(a, b)


def test_truncated_normal_stays_within_two_stddevs():
    x = tf.random.truncated_normal([20000], mean=1., stddev=0.5, seed=1)
    assert x.dtype is tf.float32 and x.shape == (20000,)
    v = x.numpy()
    assert v.min() >= 0. and v.max() <= 2.
    assert abs(v.mean() - 1.) < 0.02
    assert 0.4 < v.std() < 0.46  # a normal truncated at 2 sigma has std 0.88 sigma
    assert tf.random.truncated_normal([2], dtype=tf.float64).dtype is tf.float64
    with pytest.raises(TypeError, match="Cannot convert 0.0 to EagerTensor of dtype int32"):
        tf.random.truncated_normal([2], dtype=tf.int32)


def test_mean_and_stddev_tensors_receive_gradients():
    m, s = tf.constant(1.), tf.constant(2.)
    with tf.GradientTape() as tape:
        tape.watch([m, s])
        x = tf.random.normal([3], mean=m, stddev=s, seed=1)
        y = tf.random.truncated_normal([3], mean=m)
    gm, gs = tape.gradient([x, y], [m, s])
    assert gm.numpy() == 6.
    np.testing.assert_allclose(gs.numpy(), np.sum((x.numpy() - 1.) / 2.), rtol=1e-5)


def test_categorical():
    tf.random.set_seed(0)
    c = tf.random.categorical(tf.math.log([[0.5, 0.5], [0.1, 0.9]]), 4000)
    assert c.dtype is tf.int64 and c.shape == (2, 4000)
    freq = c.numpy().mean(axis=1)
    assert abs(freq[0] - 0.5) < 0.05 and abs(freq[1] - 0.9) < 0.03
    never = tf.random.categorical([[-np.inf, 0.]], 50, dtype=tf.int32)
    assert never.dtype is tf.int32 and never.numpy().tolist() == [[1] * 50]
    assert tf.random.categorical([[0., 0.]], 0).shape == (1, 0)
    with pytest.raises(ValueError, match=r"Argument `dtype` got invalid value <dtype: 'float32'>"):
        tf.random.categorical([[0., 0.]], 3, dtype=tf.float32)
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"logits should be a matrix, got shape \[2\] \[Op:Multinomial\]"):
        tf.random.categorical([0., 0.], 3)


def test_shuffle_permutes_rows_only():
    x = tf.constant([[1, 2], [3, 4], [5, 6], [7, 8]])
    s = tf.random.shuffle(x, seed=2)
    assert s.dtype is tf.int32 and s.shape == (4, 2)
    assert sorted(map(tuple, s.numpy().tolist())) == [(1, 2), (3, 4), (5, 6), (7, 8)]
    assert tf.random.shuffle(tf.constant(3)).numpy() == 3
    v = tf.constant([1., 2.])
    with tf.GradientTape() as tape:
        tape.watch(v)
        y = tf.random.shuffle(v)
    assert tape.gradient(y, v) is None


def test_stateless_ops_depend_on_the_seed_only():
    a = tf.random.stateless_normal([3], seed=[1, 2])
    b = tf.random.stateless_normal([3], seed=[1, 2])
    c = tf.random.stateless_normal([3], seed=[1, 3])
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert not np.array_equal(a.numpy(), c.numpy())
    u = tf.random.stateless_uniform([100], seed=[1, 2], minval=0, maxval=10, dtype=tf.int32)
    assert u.dtype is tf.int32 and 0 <= u.numpy().min() and u.numpy().max() < 10
    t = tf.random.stateless_truncated_normal([100], seed=[-5, 2])
    assert np.abs(t.numpy()).max() <= 2
    with pytest.raises(ValueError, match=r"`minval` and `maxval` must be both None or not None"):
        tf.random.stateless_uniform([3], seed=[1, 2], dtype=tf.int32)
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"seed must have shape \[2\], not \[1\]"):
        tf.random.stateless_normal([2], seed=[1])


def test_generator_from_seed_repeats():
    g1, g2 = tf.random.Generator.from_seed(1), tf.random.Generator.from_seed(1)
    first = g1.normal([3])
    np.testing.assert_array_equal(first.numpy(), g2.normal([3]).numpy())
    assert not np.array_equal(first.numpy(), g1.normal([3]).numpy())
    u = g1.uniform([50], maxval=5, dtype=tf.int64)
    assert u.dtype is tf.int64 and u.numpy().max() < 5
    assert np.abs(g1.truncated_normal([50]).numpy()).max() <= 2
    assert len(g1.split(2)) == 2


def test_graphs_draw_anew_on_every_run_and_read_computed_seeds_when_they_run():
    """Samplers in a tf.function draw when the graph runs, never at trace time; a stateless
    seed the graph computes (a Variable's value, an argument) is read when it runs."""
    for draw in (lambda: tf.random.gamma([3], 2.0), lambda: tf.random.poisson([3], 2.0),
                 lambda: tf.random.normal([3])):
        f = tf.function(draw)
        assert not np.array_equal(f().numpy(), f().numpy())
    state = tf.Variable([1, 2], dtype=tf.int64)

    @tf.function
    def stateless():
        seed = tf.identity(state)
        state.assign_add([0, 1])
        return (tf.random.stateless_normal([2], seed), tf.random.stateless_uniform([2], seed),
                tf.random.stateless_truncated_normal([2], seed),
                tf.random.stateless_uniform([2], seed, minval=0, maxval=100, dtype=tf.int64))
    for second in (2, 3):  # each run: the values eager ops give for the seed [1, second]
        got = stateless()
        want = (tf.random.stateless_normal([2], [1, second]),
                tf.random.stateless_uniform([2], [1, second]),
                tf.random.stateless_truncated_normal([2], [1, second]),
                tf.random.stateless_uniform([2], [1, second], minval=0, maxval=100,
                                            dtype=tf.int64))
        for g, w in zip(got, want):
            np.testing.assert_array_equal(g.numpy(), w.numpy())
    poisson = tf.function(lambda lam: tf.random.stateless_poisson([3], [1, 2], lam))
    np.testing.assert_array_equal(poisson(tf.constant(50.0)).numpy(),
                                  tf.random.stateless_poisson([3], [1, 2], 50.0).numpy())
    gen = tf.keras.random.SeedGenerator(1)
    keras_draw = tf.function(lambda: tf.keras.random.normal([3], seed=gen))
    assert not np.array_equal(keras_draw().numpy(), keras_draw().numpy())
    with pytest.raises(ValueError, match="needs the value of"):  # drawn in NumPy: refused
        tf.function(lambda: tf.random.stateless_binomial([2], tf.identity(state), 5, 0.5))()


def test_values_read_from_variables_are_never_baked_into_a_graph():
    v = tf.Variable([1, 2])
    f = tf.function(lambda: tf.reverse([[1.0, 2.0]], v[:1]))  # axes: a Python value
    with pytest.raises(ValueError, match="needs the value of StridedSlice"):
        f()
    g = tf.function(lambda: tf.tile([1.0], v[1:]))  # multiples: read when the graph runs
    assert g().numpy().tolist() == [1.0, 1.0]
    v.assign([1, 3])
    assert g().numpy().tolist() == [1.0, 1.0, 1.0]


def test_a_trace_draws_nothing():
    """As in TF, tracing a tf.function draws no random numbers (the trace's example values come
    from a copy of the generator): after set_seed, a function's first run draws what the eager
    op would have drawn first, inner functions inlined into an outer trace included."""
    tf.random.set_seed(5)
    eager = [tf.random.uniform([4]).numpy(), tf.random.uniform([4]).numpy()]
    tf.random.set_seed(5)
    inner = tf.function(lambda: tf.random.uniform([4]))
    outer = tf.function(lambda: inner() + 0.0)
    np.testing.assert_array_equal(outer().numpy(), eager[0])
    np.testing.assert_array_equal(outer().numpy(), eager[1])


def test_image_random_ops_draw_when_the_graph_runs():
    """A draw's value is known only when the graph runs: tf.image's random crop and colour
    factors in a tf.function differ from call to call (each was the trace's one draw, kept),
    and the stateless ones equal their eager results."""
    x = tf.constant(np.random.default_rng(0).uniform(size=(8, 8, 3)), tf.float32)
    for fn in (lambda x: tf.image.random_crop(x, [2, 2, 3]),
               lambda x: tf.image.random_brightness(x, 0.5),
               lambda x: tf.image.random_contrast(x, 0.2, 0.8),
               lambda x: tf.image.random_saturation(x, 0.2, 0.8),
               lambda x: tf.image.random_hue(x, 0.3)):
        traced = tf.function(fn)
        runs = {traced(x).numpy().tobytes() for _ in range(4)}
        assert len(runs) > 1
    for fn in (lambda x: tf.image.stateless_random_crop(x, [2, 2, 3], seed=[1, 2]),
               lambda x: tf.image.stateless_random_saturation(x, 0.2, 0.8, seed=[1, 2]),
               lambda x: tf.image.stateless_random_hue(x, 0.3, seed=[3, 4])):
        np.testing.assert_allclose(tf.function(fn)(x).numpy(), fn(x).numpy(), atol=1e-6)
