"""The engine creates no reference cycles: what a step allocates is freed by reference counting
at once, not later by the garbage collector (which would also hold the arrays until it runs)."""

import gc

import numpy as np
import pytest

import tapeflow as tf


def _training_step():
    w = tf.Variable(np.ones((3, 2), np.float32))
    x = tf.constant(np.ones((4, 3), np.float32))
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.nn.relu(x @ w) ** 2)
    grads = tape.gradient(loss, {"w": w})
    w.assign_sub(0.1 * grads["w"])


def _jacobians():
    x = tf.constant([[1., 2.], [3., 4.]])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = tf.tanh(x) * x
    tape.jacobian(y, x)
    tape.jacobian(y, x, experimental_use_pfor=False)
    tape.batch_jacobian(y, x)


def _higher_order_and_forward():
    x = tf.constant(0.5)
    with tf.autodiff.ForwardAccumulator(x, tf.constant(1.0)) as acc:
        with tf.GradientTape() as outer:
            outer.watch(x)
            with tf.GradientTape() as inner:
                inner.watch(x)
                y = tf.sin(x) ** 3
            g = inner.gradient(y, x)
        outer.gradient(g, x)
    acc.jvp(g)


def _custom_and_explain():
    @tf.custom_gradient
    def clip(v):
        return v, lambda dy: tf.clip_by_norm(dy, 0.5)

    v = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y = clip(v * v)
        z = tf.stop_gradient(y) * 2.0
    tape.gradient(y, v)
    tape.explain(z, v)
    tape.to_dot(z)


@pytest.mark.parametrize("work", [_training_step, _jacobians, _higher_order_and_forward,
                                  _custom_and_explain])
def test_no_reference_cycles(work):
    work()  # first call: caches, lazy imports
    gc.collect()
    gc.disable()
    try:
        for _ in range(3):
            work()
        assert gc.collect() == 0
    finally:
        gc.enable()
