"""Behaviours the guides random_numbers, graph_optimization, core/mlp_core and data_performance
show, as our own cases (expected texts are TensorFlow 2.21's output for the same snippets)."""

import numpy as np
import pytest

import tapeflow as tf


def test_boolean_mask_indexing():
    t = tf.constant([[1, 2], [3, 4], [5, 6]])
    want = "tf.Tensor(\n[[1 2]\n [5 6]], shape=(2, 2), dtype=int32)"
    assert str(t[tf.constant([True, False, True])]) == want
    assert str(t[np.array([True, False, True])]) == want
    assert str(tf.Variable(t)[np.array([True, False, True])]) == want
    assert str(tf.function(lambda m: t[m])(tf.constant([True, False, True]))) == want
    assert str(t[tf.constant([[True, False], [False, True], [True, True]])]) == (
        "tf.Tensor([1 4 5 6], shape=(4,), dtype=int32)")
    for bad in (True, np.array(True)):
        with pytest.raises(ValueError, match="^mask cannot be scalar.$"):
            t[bad]
    with pytest.raises(ValueError, match=r"^Shapes \(3,\) and \(2,\) are incompatible$"):
        t[tf.constant([True, False])]
    x = tf.Variable([1., 2., 3.])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(x[x > 1.5] ** 2)
    assert tape.gradient(y, x).numpy().tolist() == [0., 4., 6.]


def test_bare_device_types():
    for spec, want in [("cpu", "/device:CPU:*"), ("/cpu", "/device:CPU:*"),
                       ("tpu", "/device:TPU:*"), ("TPU:0", "/device:TPU:0"),
                       ("cpu:0", "/device:CPU:0")]:
        assert tf.DeviceSpec.from_string(spec).to_string() == want
    with pytest.raises(ValueError, match="^Unknown attribute 'foo' is encountered while parsing "
                       "the device spec: 'foo'.$"):
        tf.DeviceSpec.from_string("foo")
    with tf.device("cpu"):
        assert tf.constant(1).device == "/job:localhost/replica:0/task:0/device:CPU:0"


def test_py_function_without_outputs():
    calls = []
    assert tf.py_function(lambda: calls.append(1), [], ()) == []  # TF: [] as well
    ds = tf.data.Dataset.range(3).map(
        lambda s: (tf.py_function(lambda: calls.append(2), [], ()), s)[1])
    assert [int(v) for v in ds] == [0, 1, 2]
    assert calls == [1, 2, 2, 2]


def test_tensor_shape_merge_and_assert_compatible():
    s = tf.TensorShape
    assert s([3, None]).merge_with([None, 4]) == s([3, 4])
    assert s(None).merge_with([1, 2]) == s([1, 2])
    with pytest.raises(ValueError, match=r"^Shapes \(3,\) and \(2,\) are not compatible$"):
        s([3]).merge_with([2])
    with pytest.raises(ValueError, match=r"^Shapes \(3,\) and \(2,\) are incompatible$"):
        s([3]).assert_is_compatible_with(s([2]))
    s([3]).assert_is_compatible_with([None])
