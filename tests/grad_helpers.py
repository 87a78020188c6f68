"""Small helpers the gradient tests share."""

import pytest

import tapeflow as tf


def num(t):
    """A gradient's NumPy value, failing on None."""
    assert t is not None, "expected a gradient, got None"
    return t.numpy()


def grads(f, *xs):
    """The gradients of f(*xs) w.r.t. each x, for watched constants made from the values."""
    xs = [tf.constant(x) for x in xs]
    with tf.GradientTape() as tape:
        tape.watch(xs)
        y = f(*xs)
    return tape.gradient(y, xs)


def need(name):
    """``tf.<name>``, failing (not skipping) if tapeflow lacks it."""
    obj = tf
    for part in name.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            pytest.fail(f"tapeflow lacks tf.{name}")
    return obj
