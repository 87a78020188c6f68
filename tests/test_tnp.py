"""tf.experimental.numpy against what TF 2.21 records (tests/fixtures/tnp, made by
tools/record_tnp_fixtures.py)."""

import numpy as np
import pytest

import tapeflow as tf
import tapeflow.experimental.numpy as tnp
from tapeflow.experimental.numpy import _behavior


@pytest.fixture
def numpy_behavior():
    tnp.experimental_enable_numpy_behavior()
    yield
    _behavior.disable()


def test_python_scalars_default_to_64_bits():
    assert tnp.asarray(1).dtype == tf.int64
    assert tnp.asarray(1.).dtype == tf.float64
    assert tnp.add(tnp.asarray(1, tnp.int32), 2.5).dtype == tf.float64
    assert tnp.add(tnp.asarray(1, tnp.float32), 2.5).dtype == tf.float32


def test_numpy_behavior_promotes_and_indexes(numpy_behavior):
    x = tnp.arange(24).reshape(2, 3, 4)
    np.testing.assert_array_equal(x[1, (0, 0, 1), tnp.asarray([0, 1, 1])], [12, 13, 17])
    assert (tnp.asarray(1, tnp.int32) + tnp.asarray(1., tnp.float32)).dtype == tf.float64
    assert x.T.shape == (4, 3, 2) and x.ndim == 3 and x.size == 24
    with pytest.raises(TypeError):
        x[0] = 1


def test_gradients_flow_through_tnp():
    w = tf.constant([[1., 2.], [3., 4.]])
    with tf.GradientTape() as tape:
        tape.watch(w)
        loss = tnp.sum(tnp.square(tnp.matmul(w, tnp.ones([2], tnp.float32))))
    np.testing.assert_allclose(tape.gradient(loss, w), [[6., 6.], [14., 14.]])
