"""tf.debugging.check_numerics and enable/disable_check_numerics (NaN/Inf where they start)."""

import sys

import numpy as np
import pytest

import tapeflow as tf
from tapeflow.engine.core import REGISTRY

PREFIX = ("{{function_node __wrapped__CheckNumerics_device_/job:localhost/replica:0/task:0/"
          "device:CPU:0}} ")


def line():
    return sys._getframe(1).f_lineno


@pytest.fixture
def checking():
    tf.debugging.enable_check_numerics()
    try:
        yield
    finally:
        tf.debugging.disable_check_numerics()


# --- check_numerics (texts as TensorFlow 2.21 words them) -------------------------------------------

def test_check_numerics_passes_finite_values_through():
    x = tf.constant([1.0, 2.0])
    y = tf.debugging.check_numerics(x, "ok")
    assert y.dtype == tf.float32 and y.numpy().tolist() == [1.0, 2.0]
    assert tf.debugging.check_numerics(tf.constant([], tf.float64), "empty").shape == (0,)


@pytest.mark.parametrize("values, what", [
    ([1.0, np.nan], "NaN"), ([1.0, np.inf], "Inf"), ([-np.inf, 1.0], "Inf"),
    ([np.nan, np.inf], "Inf and NaN"),
])
def test_check_numerics_message(values, what):
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        tf.debugging.check_numerics(tf.constant(values), message="bad x")
    assert str(e.value) == f"{PREFIX}bad x : Tensor had {what} values [Op:CheckNumerics] name: "


def test_check_numerics_name():
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        tf.debugging.check_numerics(tf.constant(np.nan), "m", name="nm")
    assert str(e.value).endswith("m : Tensor had NaN values [Op:CheckNumerics] name: nm")


@pytest.mark.parametrize("value, t", [([1, 2], "int32"), ([True], "bool"),
                                      ([1 + 1j], "complex128")])
def test_check_numerics_rejects_non_float(value, t):
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        tf.debugging.check_numerics(tf.constant(value), "m")
    assert str(e.value) == (
        f"Value for attr 'T' of {t} is not in the list of allowed values: bfloat16, half, float, "
        "double\n\t; NodeDef: {{node CheckNumerics}}; Op<name=CheckNumerics; signature=tensor:T "
        "-> output:T; attr=T:type,allowed=[DT_BFLOAT16, DT_HALF, DT_FLOAT, DT_DOUBLE]; "
        "attr=message:string; is_stateful=true> [Op:CheckNumerics] name: ")


def test_check_numerics_checks_the_gradient_too():
    x = tf.constant(1.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.debugging.check_numerics(x, "y") * np.float32(np.inf)
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        tape.gradient(y, x)
    assert str(e.value) == (
        f"{PREFIX}Not a number (NaN) or infinity (Inf) values detected in gradient. b'y' : "
        "Tensor had Inf values [Op:CheckNumerics] name: ")


def test_check_numerics_gradient_is_identity():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(tf.debugging.check_numerics(x, "x") * 3.0)
    assert tape.gradient(y, x).numpy().tolist() == [3.0, 3.0]


# --- enable_check_numerics ---------------------------------------------------------------------------

def test_forward_nan_names_op_and_line(checking):
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        n = line() + 1
        tf.math.log(tf.constant(-1.0))
    message = str(e.value)
    assert 'Detected NaN in output 0 of eagerly-executing op "Log"' in message
    assert "dtype: float32" in message and "shape: ()" in message
    assert f"created at: {__file__}:{n}" in message


def test_forward_inf_names_op(checking):
    x = tf.constant([1.0, 0.0])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r'Infinity in output 0 .* "RealDiv"'):
        1.0 / x


def test_forward_integer_results_are_not_checked(checking):
    assert tf.constant(7) // tf.constant(2) == 3


def test_backward_nan_at_its_source(checking):
    # atan2's gradient at (0, 0) is 0/0: the forward is fine (0), the backward makes the NaN.
    y, x = tf.constant(0.0), tf.constant(0.0)
    with tf.GradientTape() as tape:
        tape.watch([y, x])
        a = tf.math.atan2(y, x)
    assert float(a) == 0.0
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        n = line() + 1
        tape.gradient(a, [y, x])
    message = str(e.value)
    assert 'Detected NaN in the gradient of op "Atan2" (for its input 0)' in message
    assert f"computed by tape.gradient at {__file__}:{n}" in message


def test_backward_inf_times_zero_is_caught_at_the_inf():
    # tf.norm at 0: sqrt's gradient is 1/(2*0) = inf, then square's multiplies it by 2*0: NaN.
    x = tf.constant([0.0, 0.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.norm(x)
    assert np.isnan(tape.gradient(y, x).numpy()).all()  # unchecked: NaN comes out silently
    tf.debugging.enable_check_numerics()
    try:
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.norm(x)
        with pytest.raises(tf.errors.InvalidArgumentError) as e:
            n = line() + 1
            tape.gradient(y, x)
    finally:
        tf.debugging.disable_check_numerics()
    message = str(e.value)
    assert 'Detected Infinity in the gradient of op "Sqrt"' in message
    assert f"{__file__}:{n}" in message


def test_nan_made_and_masked_inside_a_rule_is_not_reported(checking):
    # Like TF's SqrtGrad kernel: tf.where(x > 0, sqrt(x), 0) has gradient 0 at 0, no error.
    x = tf.constant([0.0, 4.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.where(x > 0, tf.sqrt(x), tf.zeros_like(x))
    assert tape.gradient(y, x).numpy().tolist() == [0.0, 0.25]


def test_finite_work_is_unchanged_when_checking(checking):
    v = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.exp(v) * tf.concat([v, v], axis=0)[:2])
    g = tape.gradient(y, v).numpy()
    np.testing.assert_allclose(g, np.exp([1.0, 2.0]) * ([1.0, 2.0]) + np.exp([1.0, 2.0]),
                               rtol=1e-6)


def test_disable_restores_every_primitive_identically():
    before = {name: (p.fwd, p.vjps) for name, p in REGISTRY.items()}
    tf.debugging.enable_check_numerics()
    try:
        assert REGISTRY["Log"].fwd is not before["Log"][0]
        tf.debugging.enable_check_numerics()  # twice: still one layer
    finally:
        tf.debugging.disable_check_numerics()
    after = {name: (p.fwd, p.vjps) for name, p in REGISTRY.items()}
    assert after.keys() == before.keys()
    for name in before:
        assert after[name][0] is before[name][0], name
        assert after[name][1] is before[name][1], name
    assert np.isnan(tf.math.log(tf.constant(-1.0)).numpy())  # back to TF's silent NaN
