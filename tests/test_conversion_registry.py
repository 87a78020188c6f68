"""tf.register_tensor_conversion_function: what TF 2.21 does with the same calls (checked with
it): registered types convert wherever a tensor is expected, TF's errors for bad registrations
and for a function returning another dtype, NotImplemented passing on."""

import numpy as np
import pytest

import tapeflow as tf
from tapeflow.framework import tensor as tensor_module


@pytest.fixture(autouse=True)
def fresh_registry(monkeypatch):
    monkeypatch.setattr(tensor_module, "_CONVERSIONS", [])


class Pair:
    def __init__(self, value):
        self.value = value


def test_registered_types_convert_where_tensors_are_expected():
    tf.register_tensor_conversion_function(
        Pair, lambda value, dtype=None, name=None, as_ref=False: tf.constant(value.value, dtype))
    assert tf.convert_to_tensor(Pair([1.0, 2.0])).numpy().tolist() == [1.0, 2.0]
    assert float(tf.add(Pair(3.0), 1.0)) == 4.0
    assert int(tf.reduce_sum(Pair([1, 2]))) == 3
    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.multiply(Pair(3.0), x)
    assert float(tape.gradient(y, x)) == 3.0


def test_registration_errors_and_incompatible_dtypes():
    def convert(value, dtype=None, name=None, as_ref=False):
        return tf.constant(value.value)
    for bad in (int, float, np.ndarray, np.float32):
        with pytest.raises(TypeError, match="Cannot register conversions for Python numeric "
                           "types and NumPy scalars and arrays."):
            tf.register_tensor_conversion_function(bad, convert)
    with pytest.raises(TypeError, match="Argument `base_type` must be a type or a tuple of "
                       "types. Obtained: x"):
        tf.register_tensor_conversion_function("x", convert)
    with pytest.raises(TypeError, match="Argument `conversion_func` must be callable. "
                       "Received 3."):
        tf.register_tensor_conversion_function(Pair, 3)
    tf.register_tensor_conversion_function(Pair, convert)
    with pytest.raises(RuntimeError, match="returned incompatible dtype: requested = int32, "
                       "actual = float32"):
        tf.convert_to_tensor(Pair([1.0, 2.0]), dtype=tf.int32)


def test_not_implemented_passes_to_the_next_and_then_fails_as_before():
    class Other:
        pass
    tf.register_tensor_conversion_function(
        Other, lambda value, dtype=None, name=None, as_ref=False: NotImplemented, priority=1)
    with pytest.raises(ValueError, match="with an unsupported type"):
        tf.convert_to_tensor(Other())
    tf.register_tensor_conversion_function(
        Other, lambda value, dtype=None, name=None, as_ref=False: tf.constant(7), priority=5)
    assert int(tf.convert_to_tensor(Other())) == 7


def test_variable_creator_scope_as_tf():
    """Creators see tf.Variable's arguments by name (TF 2.21's set), the innermost first, and
    may change them; outside the scope variables are made as before."""
    seen = []

    def outer(next_creator, **kwargs):
        seen.append(("outer", sorted(kwargs), kwargs["trainable"], kwargs["name"]))
        kwargs["trainable"] = False
        return next_creator(**kwargs)

    def inner(next_creator, **kwargs):
        seen.append(("inner", kwargs["trainable"]))
        return next_creator(**kwargs)

    with tf.variable_creator_scope(outer):
        with tf.variable_creator_scope(inner):
            v = tf.Variable(1.0, name="x")
    assert seen == [("inner", None), ("outer", [
        "aggregation", "caching_device", "constraint", "dtype",
        "experimental_enable_variable_lifting", "import_scope", "initial_value", "name", "shape",
        "synchronization", "trainable", "validate_shape", "variable_def"], None, "x")]
    assert repr(v) == "<tf.Variable 'x:0' shape=() dtype=float32, numpy=1.0>"
    assert not v.trainable and tf.Variable(2.0).trainable
