"""tf.Module, tf.function/TensorSpec, the Keras layers, tf.test.compute_gradient, adjust_contrast.

Expected texts are TensorFlow 2.21's (Keras 3: weights are named 'kernel', with path 'dense/kernel').
"""

import numpy as np
import pytest

import tapeflow as tf


class Leaf(tf.Module):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.w = tf.Variable(1.0, name='w')


class Tree(tf.Module):
    def __init__(self):
        super().__init__()
        self.a = Leaf()
        self.layers = [Leaf(name='x'), Leaf(name='y')]
        self.c = tf.Variable(3.0, name='c', trainable=False)


def test_module_collects_variables_and_submodules():
    t = Tree()
    assert t.name == 'tree'
    assert [m.name for m in t.submodules] == ['leaf', 'x', 'y']
    assert [v.name for v in t.variables] == ['c:0', 'w:0', 'w:0', 'w:0']  # own variables first
    assert [v.name for v in t.trainable_variables] == ['w:0', 'w:0', 'w:0']
    assert t.variables[1] is t.a.w and isinstance(t.variables, tuple)
    assert tf.Module().name == 'module' and Leaf().name == 'leaf'  # no uniquifying


def test_module_default_names_are_snake_case():
    class MyMLPBlock(tf.Module):
        pass
    assert MyMLPBlock().name == 'my_mlp_block'


def test_function_runs_and_checks_signature():
    @tf.function
    def f(x, y=2.0):
        return x * y
    assert f(tf.constant(3.0)).numpy() == 6.0
    assert f(3.0, y=tf.constant(4.0)).numpy() == 12.0
    g = tf.function(lambda x: x + 1, input_signature=[tf.TensorSpec([2], tf.float32)])
    assert str(g(tf.constant([1., 2.]))) == "tf.Tensor([2. 3.], shape=(2,), dtype=float32)"
    assert str(g([1., 2.])) == "tf.Tensor([2. 3.], shape=(2,), dtype=float32)"
    assert str(g(np.array([1., 2.], np.float32))) == "tf.Tensor([2. 3.], shape=(2,), dtype=float32)"
    with pytest.raises(TypeError):
        g(tf.constant([1., 2., 3.]))
    with pytest.raises(TypeError):
        g(tf.constant([1, 2]))


def test_function_method_with_signature():
    class Scaler(tf.Module):
        def __init__(self):
            super().__init__()
            self.v = tf.Variable(2.0)

        @tf.function(input_signature=[tf.TensorSpec(None)])
        def __call__(self, x):
            return self.v * x

    s = Scaler()
    assert s(tf.constant([1., 2.])).numpy().tolist() == [2., 4.]
    with tf.GradientTape() as tape:
        y = s(tf.constant(3.))
    assert tape.gradient(y, s.v).numpy() == 3.
    with pytest.raises(TypeError):
        s(tf.constant(3))


def test_tensor_spec_repr():
    assert repr(tf.TensorSpec(None)) == "TensorSpec(shape=<unknown>, dtype=tf.float32, name=None)"
    assert repr(tf.TensorSpec([2, None], tf.int32)) == (
        "TensorSpec(shape=(2, None), dtype=tf.int32, name=None)")


# --- Dense -----------------------------------------------------------------------------------------

def test_dense_builds_on_first_call():
    layer = tf.keras.layers.Dense(3, activation='tanh', kernel_initializer='ones',
                                  bias_initializer='ones')
    assert not layer.built and layer.trainable_variables == [] and layer.variables == []
    y = layer(tf.constant([[0.1, -0.2]]))
    np.testing.assert_allclose(y.numpy(), np.tanh([[0.9, 0.9, 0.9]]), rtol=1e-6)
    assert layer.built
    assert [v.name for v in layer.trainable_variables] == ['kernel', 'bias']
    assert layer.kernel.path == f'{layer.name}/kernel' and layer.bias.path == f'{layer.name}/bias'
    assert layer.kernel.shape == (2, 3)


def test_dense_activation_as_function_and_no_bias():
    layer = tf.keras.layers.Dense(2, activation=tf.nn.relu, use_bias=False)
    assert layer(tf.ones((4, 5))).shape == (4, 2)
    assert len(layer.trainable_variables) == 1


def test_dense_layer_names_count_up():
    a = tf.keras.layers.Dense(1)
    b = tf.keras.layers.Dense(1)
    assert a.name.startswith('dense') and b.name != a.name


def test_glorot_uniform_init():
    layer = tf.keras.layers.Dense(300)
    layer(tf.ones((1, 200)))
    k = layer.kernel.numpy()
    limit = np.sqrt(6 / (200 + 300))
    assert np.abs(k).max() <= limit
    assert abs(k.std() - limit / np.sqrt(3)) < 0.01
    assert np.all(layer.bias.numpy() == 0)


def test_keras_variable_repr_and_assign():
    layer = tf.keras.layers.Dense(2, name='dd')
    layer(tf.ones((1, 3)))
    assert repr(layer.bias) == "<Variable path=dd/bias, shape=(2,), dtype=float32, value=[0. 0.]>"
    assert type(layer.bias.assign_sub(tf.ones(2))).__name__ == 'EagerTensor'
    assert layer.bias.numpy().tolist() == [-1., -1.]


def test_dense_gradients():
    layer = tf.keras.layers.Dense(2, activation='relu', kernel_initializer='ones')
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(layer(tf.constant([[1., 2., 3.]])) ** 2)
    gk, gb = tape.gradient(loss, layer.trainable_variables)
    np.testing.assert_allclose(gk.numpy(), [[6., 6.], [12., 12.], [18., 18.]])
    np.testing.assert_allclose(gb.numpy(), [6., 6.])


# --- BatchNormalization ----------------------------------------------------------------------------

def test_batch_norm_training_and_moving_statistics():
    bn = tf.keras.layers.BatchNormalization()
    x = tf.constant([[1., 2.], [3., 6.], [5., 1.]])
    y = bn(x, training=True)
    assert str(y) == ("tf.Tensor(\n[[-1.2245152  -0.46286047]\n [ 0.          1.3885814 ]\n"
                      " [ 1.2245154  -0.92572093]], shape=(3, 2), dtype=float32)")
    np.testing.assert_allclose(bn.moving_mean.numpy(), [0.03, 0.03], rtol=1e-6)
    np.testing.assert_allclose(bn.moving_variance.numpy(), [1.0166667, 1.0366666], rtol=1e-6)
    inference = ("tf.Tensor(\n[[0.9615435  1.9339147 ]\n [2.9441075  5.860645  ]\n"
                 " [4.9266715  0.95223206]], shape=(3, 2), dtype=float32)")
    assert str(bn(x, training=False)) == inference
    assert str(bn(x)) == inference
    assert [v.name for v in bn.variables] == ['gamma', 'beta', 'moving_mean', 'moving_variance']
    assert [v.name for v in bn.trainable_variables] == ['gamma', 'beta']
    assert [v.name for v in bn.non_trainable_variables] == ['moving_mean', 'moving_variance']
    assert (bn.momentum, bn.epsilon) == (0.99, 0.001)


def test_batch_norm_gradients_flow_to_input_and_weights():
    bn = tf.keras.layers.BatchNormalization()
    x = tf.constant([[1., 2.], [3., 6.], [5., 1.]])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = bn(x, training=True)
        loss = tf.reduce_sum(y * tf.constant([[1., 0.], [0., 1.], [2., 3.]]))
    gx, gg, gb = tape.gradient(loss, [x, bn.gamma, bn.beta])
    np.testing.assert_allclose(gx.numpy().sum(axis=0), [0., 0.], atol=1e-5)  # normalised
    np.testing.assert_allclose(gb.numpy(), [3., 4.])
    assert gg.shape == (2,)


# --- tf.test.compute_gradient and tf.image.adjust_contrast ------------------------------------------

def test_compute_gradient():
    th, nu = tf.test.compute_gradient(lambda x: x * x, [tf.constant([1., 2.])])
    np.testing.assert_array_equal(th[0], [[2., 0.], [0., 4.]])
    np.testing.assert_array_equal(nu[0], [[2., 0.], [0., 4.]])
    assert th[0].dtype == np.float32 and isinstance(th, tuple)
    th, nu = tf.test.compute_gradient(lambda x, y: x * y, [tf.constant(2.), tf.constant([3., 4.])])
    np.testing.assert_array_equal(th[0], [[3.], [4.]])
    np.testing.assert_array_equal(th[1], [[2., 0.], [0., 2.]])
    th, nu = tf.test.compute_gradient(tf.sin, [tf.constant([[0.5]], dtype=tf.float64)])
    assert th[0].dtype == np.float64
    np.testing.assert_allclose(th[0], [[np.cos(0.5)]])
    np.testing.assert_allclose(nu[0], [[np.cos(0.5)]], rtol=1e-6)


def test_compute_gradient_needs_a_list():
    with pytest.raises(ValueError, match="`x` must be a list or tuple of values convertible to a "
                       "Tensor"):
        tf.test.compute_gradient(tf.sin, tf.constant(1.0))


def test_adjust_contrast_forward_and_no_gradient():
    img = tf.constant([[[1., 2.], [3., 4.]], [[5., 6.], [7., 9.]]])
    assert str(tf.image.adjust_contrast(img, 2.0)) == (
        "tf.Tensor(\n[[[-2.   -1.25]\n  [ 2.    2.75]]\n\n [[ 6.    6.75]\n  [10.   12.75]]], "
        "shape=(2, 2, 2), dtype=float32)")
    v = tf.Variable([[[0.5, 0.0, 0.0]]])
    with tf.GradientTape() as tape:
        y = tf.image.adjust_contrast(v, 0.1)
    with pytest.raises(LookupError) as info:
        tape.gradient(y, v)
    assert str(info.value) == "gradient registry has no entry for: AdjustContrastv2"
