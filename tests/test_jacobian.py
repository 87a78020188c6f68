"""tape.jacobian and tape.batch_jacobian (spec 4.6, 4.7 and the Jacobian/BatchJacobian intents)."""

import numpy as np
import pytest

import tapeflow as tf

PFOR = pytest.mark.parametrize("pfor", [True, False])


def test_docstring_example():
    x = tf.constant([1., 2.])
    with tf.GradientTape() as g:
        g.watch(x)
        y = x * x
    j = g.jacobian(y, x)
    np.testing.assert_array_equal(j.numpy(), [[2., 0.], [0., 4.]])
    assert j.dtype == tf.float32


@PFOR
def test_two_sources_with_and_without_pfor(pfor):
    x = tf.constant([1., 2.])
    y = tf.constant([3., 4.])
    with tf.GradientTape(persistent=True) as g:
        g.watch([x, y])
        z = x * x * y
    jx, jy = g.jacobian(z, [x, y], experimental_use_pfor=pfor)
    np.testing.assert_array_equal(jx.numpy(), np.diag([6., 16.]))
    np.testing.assert_array_equal(jy.numpy(), np.diag([1., 4.]))


def test_parallel_iterations_accepted_and_agree():
    x = tf.constant([[1., 2.], [3., 4.]])
    with tf.GradientTape(persistent=True) as g:
        g.watch(x)
        y = tf.sin(x) * x
    a = g.jacobian(y, x, parallel_iterations=2)
    b = g.jacobian(y, x, parallel_iterations=3, experimental_use_pfor=False)
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert a.shape == (2, 2, 2, 2)


def test_result_structure_follows_sources():
    x = tf.constant([1., 2.])
    z = tf.constant([[1., 2., 3.]])
    with tf.GradientTape(persistent=True) as g:
        g.watch([x, z])
        y = x * x
    out = g.jacobian(y, {'a': x, 'b': z})
    assert set(out) == {'a', 'b'} and out['b'] is None
    assert out['a'].shape == (2, 2)


def test_unconnected_none_or_zeros():
    x = tf.constant([1., 2.])
    z = tf.constant([[1., 2., 3.]])
    with tf.GradientTape(persistent=True) as g:
        g.watch([x, z])
        y = x * x
    assert g.jacobian(y, z) is None
    zero = g.jacobian(y, z, unconnected_gradients='zero')
    assert zero.shape == (2, 1, 3)
    np.testing.assert_array_equal(zero.numpy(), np.zeros((2, 1, 3)))
    both = g.jacobian(y, [x, z], unconnected_gradients=tf.UnconnectedGradients.ZERO)
    assert both[1].shape == (2, 1, 3)


def test_list_target_is_an_error():
    x = tf.constant([1., 2.])
    with tf.GradientTape() as g:
        g.watch(x)
        y = x * x
    with pytest.raises(AttributeError, match="'list' object has no attribute 'shape'"):
        g.jacobian([y, y], x)


def test_non_persistent_once():
    x = tf.constant([1., 2.])
    with tf.GradientTape() as g:
        g.watch(x)
        y = x * x
    g.jacobian(y, x)
    with pytest.raises(RuntimeError, match="A non-persistent GradientTape can only be used to "
                       r"compute one set of gradients \(or jacobians\)"):
        g.jacobian(y, x)


def test_no_pfor_needs_persistent():
    x = tf.constant([1., 2.])
    with tf.GradientTape() as g:
        g.watch(x)
        y = x * x
    with pytest.raises(RuntimeError) as info:
        g.jacobian(y, x, experimental_use_pfor=False)
    assert str(info.value) == (
        "GradientTape must be created with persistent=True to compute the jacobian with eager "
        "execution enabled and with  experimental_use_pfor set to False.")
    np.testing.assert_array_equal(g.jacobian(y, x).numpy(), [[2., 0.], [0., 4.]])  # still usable


def test_inside_the_tape_scope():
    x = tf.constant(3.)
    with tf.GradientTape() as g:
        g.watch(x)
        y = x ** 4
        assert g.jacobian(y, x).numpy() == 108.
    x = tf.constant([[3.]])
    with tf.GradientTape() as g:
        g.watch(x)
        y = x ** 4
        np.testing.assert_array_equal(g.batch_jacobian(y, x).numpy(), [[[108.]]])


def test_jacobian_of_gradient_inside_persistent_tape():
    x = tf.constant(1.5)
    with tf.GradientTape(persistent=True) as g:
        g.watch(x)
        y = x * x * x / 3. if x > 0 else -x
        grad = g.gradient(y, x)
    np.testing.assert_allclose(grad.numpy(), 2.25)
    np.testing.assert_allclose(g.jacobian(grad, x).numpy(), 3.0)


def test_cond_func_grad_jacobian():
    x = tf.constant(3.)
    with tf.GradientTape(persistent=True) as g:
        g.watch(x)
        y = x * x / 2 if x > 0 else x
        dy = g.gradient(y, x)
    assert dy.numpy() == 3.0
    assert g.jacobian(dy, x).numpy() == 1.0


@PFOR
def test_empty_shapes(pfor):
    # TF 2.21's pfor raises a shape ValueError here (an accident); the spec asks for empty results
    x = tf.zeros((0, 3))
    with tf.GradientTape(persistent=True) as g:
        g.watch(x)
        y = x * 2.
    assert g.jacobian(y, x, experimental_use_pfor=pfor).shape == (0, 3, 0, 3)


def test_variable_source_and_dtype():
    v = tf.Variable([[1., 2.], [3., 4.]])
    with tf.GradientTape() as g:
        y = tf.reduce_sum(v * v, axis=1)
    j = g.jacobian(y, v)
    np.testing.assert_array_equal(j.numpy(), [[[2., 4.], [0., 0.]], [[0., 0.], [6., 8.]]])
    x = tf.constant([1., 2.], dtype=tf.float64)
    with tf.GradientTape() as g:
        g.watch(x)
        y = tf.sin(x)
    j = g.jacobian(y, x)
    assert j.dtype == tf.float64
    np.testing.assert_allclose(j.numpy(), np.diag(np.cos([1., 2.])))


def test_scalar_source_gives_target_shape():
    grid = tf.linspace(-10.0, 10.0, 201)
    shift = tf.Variable(0.0)
    with tf.GradientTape() as g:
        s = tf.nn.sigmoid(grid + shift)
    j = g.jacobian(s, shift)
    assert j.shape == (201,)
    assert j[100].numpy() == 0.25


def test_summing_target_axes_gives_gradient():
    w = tf.Variable(np.arange(12, dtype=np.float32).reshape(3, 4) / 10)
    x = tf.constant(np.linspace(-1, 1, 6, dtype=np.float32).reshape(2, 3))
    with tf.GradientTape(persistent=True) as g:
        y = tf.tanh(x @ w)
    j = g.jacobian(y, w)
    assert j.shape == (2, 4, 3, 4)
    np.testing.assert_allclose(tf.reduce_sum(j, axis=[0, 1]).numpy(), g.gradient(y, w).numpy(),
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(j.numpy(), g.jacobian(y, w, experimental_use_pfor=False).numpy(),
                               rtol=1e-6, atol=1e-7)


# --- batch_jacobian --------------------------------------------------------------------------------

def test_batch_docstring_example():
    x = tf.constant([[1., 2.], [3., 4.]])
    with tf.GradientTape() as g:
        g.watch(x)
        y = x * x
    np.testing.assert_array_equal(g.batch_jacobian(y, x).numpy(),
                                  [[[2., 0.], [0., 4.]], [[6., 0.], [0., 8.]]])


@PFOR
def test_batch_z_equals_x_x_y(pfor):
    x = tf.constant([[1., 2.], [3., 4.]])
    y = tf.constant([[3., 4.], [5., 6.]])
    with tf.GradientTape(persistent=True) as g:
        g.watch(x)
        z = x * x * y
    jb = g.batch_jacobian(z, x, experimental_use_pfor=pfor, parallel_iterations=2)
    expected = np.stack([np.diag(2 * np.array([1., 2.]) * [3., 4.]),
                         np.diag(2 * np.array([3., 4.]) * [5., 6.])])
    np.testing.assert_array_equal(jb.numpy(), expected)


def test_batch_equals_stacked_per_example_jacobians():
    x = tf.constant(np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4))
    w = tf.constant(np.linspace(0, 1, 8, dtype=np.float32).reshape(4, 2))
    with tf.GradientTape(persistent=True) as g:
        g.watch(x)
        y = tf.nn.sigmoid(x @ w)
    jb = g.batch_jacobian(y, x)
    j = g.jacobian(y, x)
    assert jb.shape == (3, 2, 4)
    np.testing.assert_allclose(jb.numpy(), tf.einsum('bxby->bxy', j).numpy(), atol=1e-7)


def test_batch_bad_ranks_and_shapes():
    x = tf.constant([[1., 2.], [3., 4.]])
    with tf.GradientTape(persistent=True) as g:
        g.watch(x)
        y = x * x
        r = tf.reduce_sum(x, axis=1)
    with pytest.raises(ValueError, match=r"^Shape \(2,\) must have rank at least 2$"):
        g.batch_jacobian(r, x)
    with pytest.raises(ValueError, match=r"^Shape \(2,\) must have rank at least 2$"):
        g.batch_jacobian(y, r)
    x2 = tf.ones((2, 3))
    with tf.GradientTape() as g:
        g.watch(x2)
        y4 = tf.ones((4, 3)) * 2
    with pytest.raises(ValueError) as info:
        g.batch_jacobian(y4, x2)
    assert str(info.value) == ("Need first dimension of target shape ((4, 3)) and source shape "
                               "((2, 3)) to match.")


def test_batch_non_persistent_errors():
    x = tf.constant([[1., 2.]])
    with tf.GradientTape() as g:
        g.watch(x)
        y = x * x
    with pytest.raises(RuntimeError) as info:
        g.batch_jacobian(y, x, experimental_use_pfor=False)
    assert str(info.value) == (
        "GradientTape must be created with persistent=True to compute the batch_jacobian with "
        "eager execution enabled and  with experimental_use_pfor set to False.")
    g.batch_jacobian(y, x)
    with pytest.raises(RuntimeError) as info:
        g.batch_jacobian(y, x)
    assert str(info.value) == ("A non-persistent GradientTape can only be used tocompute one set "
                               "of gradients (or jacobians)")


def test_batch_degenerate_shape():
    x = tf.ones((1, 0))
    with tf.GradientTape() as g:
        g.watch(x)
        y = x * 2
    assert g.batch_jacobian(y, x).shape == (1, 0, 0)


@pytest.mark.parametrize("dtype", [tf.float32, tf.float64])
@pytest.mark.parametrize("kwargs", [{}, {"unconnected_gradients": "zero"},
                                    {"experimental_use_pfor": False}])
def test_batch_unconnected_gives_typed_zeros(dtype, kwargs):
    x = tf.constant([[2.0]], dtype=dtype)
    with tf.GradientTape(persistent=True) as g:
        g.watch(x)
        y = tf.constant([[3.0]], dtype=dtype)
    jb = g.batch_jacobian(y, x, **kwargs)
    assert jb.dtype == dtype
    np.testing.assert_array_equal(jb.numpy(), [[[0.]]])


def test_batch_higher_rank_shapes():
    x = tf.ones((3, 2))
    with tf.GradientTape() as g:
        g.watch(x)
        y = tf.stack([x[:, 0] * x[:, 1], x[:, 0] ** 2, x[:, 1] + 1.], axis=1)[:, :, None]
        y = y * tf.ones((1, 1, 2))
    assert g.batch_jacobian(y, x).shape == (3, 3, 2, 2)


# --- every source kind takes the vectorized path (one batched backward pass) -----------------------

def _passes(monkeypatch):
    """Count the backward passes a jacobian takes (1 when vectorized, one per row otherwise)."""
    from tapeflow.engine import backprop
    calls = []
    real = backprop.propagate

    def counting(*args):
        calls.append(1)
        return real(*args)
    monkeypatch.setattr(backprop, "propagate", counting)
    return calls


def _m():
    return tf.constant(np.arange(12, dtype=np.float32).reshape(4, 3) / 10)


SOURCE_KINDS = {
    "variable": lambda: tf.Variable([1.0, 2.0, 3.0]),
    "list": lambda: [tf.Variable([1.0, 2.0, 3.0]), tf.Variable([0.5, 0.5, 0.5])],
    "dict": lambda: {"a": tf.Variable([1.0, 2.0, 3.0]), "b": tf.Variable([0.5, 0.5, 0.5])},
    "nested": lambda: [{"a": tf.Variable([1.0, 2.0, 3.0])}, (tf.Variable([0.5, 0.5, 0.5]),)],
    "mixed": lambda: [tf.Variable([1.0, 2.0, 3.0]), tf.constant([0.5, 0.5, 0.5])],
}


def _target(sources):
    total = None
    for s in tf.nest.flatten(sources):
        # each source read twice, so its jacobian sums two paths
        term = tf.tanh(tf.linalg.matvec(_m(), s)) * tf.reduce_sum(s * 1.0)
        total = term if total is None else total + term
    return total


@pytest.mark.parametrize("kind", sorted(SOURCE_KINDS))
def test_jacobian_of_every_source_kind_is_vectorized(kind, monkeypatch):
    sources = SOURCE_KINDS[kind]()
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([s for s in tf.nest.flatten(sources) if not isinstance(s, tf.Variable)])
        y = _target(sources)
    expected = tape.jacobian(y, sources, experimental_use_pfor=False)
    calls = _passes(monkeypatch)
    got = tape.jacobian(y, sources)
    assert len(calls) == 1
    for g, e in zip(tf.nest.flatten(got), tf.nest.flatten(expected)):
        assert g.shape == (4, 3)
        np.testing.assert_allclose(g.numpy(), e.numpy(), rtol=1e-6)
    assert tf.nest.map_structure(lambda g: g.shape, got) == \
        tf.nest.map_structure(lambda s: tf.TensorShape([4, 3]), sources)


def test_batch_jacobian_of_a_variable_is_vectorized(monkeypatch):
    v = tf.Variable(np.arange(6, dtype=np.float32).reshape(2, 3) / 5)
    with tf.GradientTape(persistent=True) as tape:
        y = tf.tanh(v) * v
    expected = tape.batch_jacobian(y, v, experimental_use_pfor=False)
    calls = _passes(monkeypatch)
    got = tape.batch_jacobian(y, v)
    assert len(calls) == 1
    np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=1e-6)
    assert got.shape == (2, 3, 3)
