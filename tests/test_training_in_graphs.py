"""Optimizers (with schedules, clipping, EMA, accumulation) and metrics updated inside a
tf.function give the eager program's numbers: nothing that changes between steps (a step count,
a learning rate, a metric's state) is baked into the traced graph."""

import numpy as np
import pytest

import tapeflow as tf

keras = tf.keras
S = keras.optimizers.schedules
OPTIMIZERS = {
    "exponential_decay": lambda: keras.optimizers.SGD(S.ExponentialDecay(0.1, 2, 0.5)),
    "piecewise": lambda: keras.optimizers.SGD(S.PiecewiseConstantDecay([2, 4], [0.1, 0.05, 0.01])),
    "cosine": lambda: keras.optimizers.Adam(S.CosineDecay(0.1, 5)),
    "clipnorm": lambda: keras.optimizers.Adam(0.1, clipnorm=0.5),
    "ema": lambda: keras.optimizers.Adam(0.1, use_ema=True),
    "accumulation": lambda: keras.optimizers.SGD(0.1, gradient_accumulation_steps=2),
    "amsgrad": lambda: keras.optimizers.Adam(0.1, amsgrad=True),
    "ftrl": lambda: keras.optimizers.Ftrl(0.1),
    "lamb": lambda: keras.optimizers.Lamb(0.1),
    "adafactor": lambda: keras.optimizers.Adafactor(0.1),
    "lion": lambda: keras.optimizers.Lion(0.1),
}


def _train(graph, make_optimizer):
    w = tf.Variable([1.0, -2.0])
    opt = make_optimizer()
    mean, accuracy = keras.metrics.Mean(), keras.metrics.SparseCategoricalAccuracy()

    def step():
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(w ** 2)
        opt.apply_gradients([(tape.gradient(loss, w), w)])
        mean.update_state(loss)
        accuracy.update_state([1], [[0.2, 0.8]])  # Python lists: constants of the graph

    run = tf.function(step) if graph else step
    for _ in range(7):
        run()
    return w.numpy(), mean.result().numpy(), accuracy.result().numpy()


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_a_traced_training_step_equals_the_eager_one(name):
    for eager, traced in zip(_train(False, OPTIMIZERS[name]), _train(True, OPTIMIZERS[name])):
        np.testing.assert_allclose(traced, eager, rtol=1e-6)


def test_layers_built_inside_a_tf_function():
    """A layer first called inside a tf.function builds there: its initial values are computed
    eagerly (TF's init_scope), and the traced calls equal eager ones."""
    for make in (lambda: keras.layers.LSTM(4, return_sequences=True),
                 lambda: keras.layers.Dense(3, kernel_initializer="orthogonal")):
        tf.keras.utils.set_random_seed(0)
        traced_layer = make()
        traced = tf.function(traced_layer.__call__)
        x = tf.ones([2, 5, 3])
        got = traced(x)
        np.testing.assert_allclose(traced(x * 2).numpy(), traced_layer(x * 2).numpy(), rtol=1e-6)
        assert got.shape == traced_layer(x).shape
