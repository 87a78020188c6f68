"""Max pooling against TF 2.21's values (tools/record_pool_fixtures.py): tied maxima (the
gradient goes to each window's first maximum, row-major), odd sizes and SAME padding."""
import pathlib

import numpy as np
import pytest

import tapeflow as tf

FIXTURE = np.load(pathlib.Path(__file__).parent / "fixtures/pool/max_pool.npz")
CASES = [  # as recorded, in the same order
    (2, 2, "VALID"), (2, 2, "VALID"), (2, 2, "SAME"), (3, 2, "SAME"), ((3, 2), (1, 2), "VALID"),
    (2, 1, "SAME"),
]


@pytest.mark.parametrize("i", range(len(CASES)))
def test_max_pool_values_and_gradients_match_tf(i):
    k, s, p = CASES[i]
    x, g, gg = (tf.constant(FIXTURE[f"{i}_{n}"]) for n in ("x", "g", "gg"))
    with tf.GradientTape() as outer:
        outer.watch(g)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = tf.nn.max_pool2d(x, k, s, p)
        dx = inner.gradient(y, x, output_gradients=g)
    ddy = outer.gradient(dx, g, output_gradients=gg)
    np.testing.assert_array_equal(y.numpy(), FIXTURE[f"{i}_y"])
    np.testing.assert_array_equal(dx.numpy(), FIXTURE[f"{i}_dx"])
    np.testing.assert_array_equal(ddy.numpy(), FIXTURE[f"{i}_ddy"])


def test_tied_window_sends_gradient_to_first_maximum_only():
    x = tf.constant(np.ones((1, 2, 2, 1), np.float32))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.nn.max_pool2d(x, 2, 2, "VALID")
    np.testing.assert_array_equal(tape.gradient(y, x).numpy()[0, :, :, 0], [[1, 0], [0, 0]])
