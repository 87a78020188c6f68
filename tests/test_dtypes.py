"""Spec §1: DType objects, dtype inference, conversion and the no-implicit-promotion rules.

Every expected value and message below was checked against TensorFlow 2.21 (NumPy 2.4).
"""

import re

import numpy as np
import pytest

import tapeflow as tf
from tapeflow.errors import InvalidArgumentError, OpError

ALL = [tf.float16, tf.float32, tf.float64, tf.complex64, tf.complex128, tf.int8, tf.int16,
       tf.int32, tf.int64, tf.uint8, tf.uint16, tf.uint32, tf.uint64, tf.bool, tf.string]


def mismatch(op, expected, actual):
    return (f"cannot compute {op} as input #1(zero-based) was expected to be a {expected} tensor "
            f"but is a {actual} tensor [Op:{op}] name: ")


# --- 1.1 DType objects ---------------------------------------------------------------------------

@pytest.mark.parametrize("d", ALL, ids=lambda d: d.name)
def test_repr_str_name_and_class(d):
    assert type(d).__name__ == "DType"
    assert repr(d) == f"tf.{d.name}"
    assert str(d) == f"<dtype: '{d.name}'>"
    assert tf.as_dtype(d.name) is d
    assert d.base_dtype is d


def test_aliases():
    assert tf.half is tf.float16
    assert tf.double is tf.float64
    assert tf.as_dtype("half") is tf.float16
    assert tf.as_dtype("double") is tf.float64
    assert tf.as_dtype("float") is tf.float32


def test_equality_with_numpy_and_names():
    assert tf.float32 == np.float32
    assert tf.float32 == np.dtype("float32")
    assert tf.float32 == "float32"
    assert tf.float32 != tf.float64
    assert not tf.float32 == tf.float64
    assert tf.int64 == np.int64


@pytest.mark.parametrize("other", [object(), None, "floaty", 1.5, [1]])
def test_equality_with_unrelated_objects_is_false(other):
    assert (tf.float32 == other) is False
    assert (tf.float32 != other) is True


def test_hash_consistent_with_equality():
    assert hash(tf.float32) == hash(tf.as_dtype("float32"))
    assert {tf.float32: 1}[tf.as_dtype(np.float32)] == 1


@pytest.mark.parametrize("value, expected", [
    (tf.float32, tf.float32), (np.float64, tf.float64), (np.dtype("int16"), tf.int16),
    ("int32", tf.int32), (float, tf.float32), (bool, tf.bool), (np.bool_, tf.bool),
    (np.complex64, tf.complex64), (np.uint8, tf.uint8),
])
def test_as_dtype_accepts(value, expected):
    assert tf.as_dtype(value) is expected


@pytest.mark.parametrize("value", ["floaty", None, int, complex, bytes, str, object()])
def test_as_dtype_rejects(value):
    # TF accepts only float and bool among Python's types.
    with pytest.raises(TypeError) as e:
        tf.as_dtype(value)
    assert str(e.value) == f"Cannot convert the argument `type_value`: {value!r} to a TensorFlow DType."


@pytest.mark.parametrize("d, floating, complex_, integer, boolean, unsigned", [
    (tf.float16, True, False, False, False, False), (tf.float32, True, False, False, False, False),
    (tf.float64, True, False, False, False, False), (tf.complex64, False, True, False, False, False),
    (tf.complex128, False, True, False, False, False), (tf.int8, False, False, True, False, False),
    (tf.int32, False, False, True, False, False), (tf.int64, False, False, True, False, False),
    (tf.uint8, False, False, True, False, True), (tf.uint64, False, False, True, False, True),
    (tf.bool, False, False, False, True, False), (tf.string, False, False, False, False, False),
])
def test_kind_predicates(d, floating, complex_, integer, boolean, unsigned):
    assert (d.is_floating, d.is_complex, d.is_integer, d.is_bool, d.is_unsigned) == (
        floating, complex_, integer, boolean, unsigned)


@pytest.mark.parametrize("d, np_type, size", [
    (tf.float16, np.float16, 2), (tf.float32, np.float32, 4), (tf.float64, np.float64, 8),
    (tf.complex64, np.complex64, 8), (tf.complex128, np.complex128, 16), (tf.int8, np.int8, 1),
    (tf.int16, np.int16, 2), (tf.int32, np.int32, 4), (tf.int64, np.int64, 8),
    (tf.uint8, np.uint8, 1), (tf.uint16, np.uint16, 2), (tf.uint32, np.uint32, 4),
    (tf.uint64, np.uint64, 8), (tf.bool, np.bool_, 1), (tf.string, object, 0),
])
def test_as_numpy_dtype_and_size(d, np_type, size):
    assert d.as_numpy_dtype is np_type
    assert d.size == size


def test_real_dtype():
    assert tf.complex64.real_dtype is tf.float32
    assert tf.complex128.real_dtype is tf.float64
    assert tf.float16.real_dtype is tf.float16
    assert tf.int32.real_dtype is tf.int32


def test_min_max_integers_are_python_ints():
    assert tf.int8.min == -128 and tf.int8.max == 127
    assert tf.int32.min == -2**31 and tf.int32.max == 2**31 - 1
    assert tf.int64.min == -2**63 and tf.int64.max == 2**63 - 1
    assert tf.uint8.min == 0 and tf.uint8.max == 255
    assert tf.uint64.max == 2**64 - 1
    assert type(tf.int32.max) is int


def test_min_max_floats_are_numpy_scalars_of_the_dtype():
    assert type(tf.float32.max) is np.float32
    assert tf.float32.max == np.finfo(np.float32).max
    assert tf.float32.min == -np.finfo(np.float32).max
    assert type(tf.float16.min) is np.float16 and tf.float16.max == 65504
    assert tf.float64.max == 1.7976931348623157e+308


@pytest.mark.parametrize("d", [tf.bool, tf.string, tf.complex64, tf.complex128], ids=str)
def test_min_max_undefined(d):
    with pytest.raises(TypeError, match=re.escape(f"Cannot find minimum value of {d} with type {d}.")):
        d.min
    with pytest.raises(TypeError, match=re.escape(f"Cannot find maximum value of {d} with type {d}.")):
        d.max


@pytest.mark.parametrize("d, differentiable", [
    (tf.float16, True), (tf.float32, True), (tf.float64, True), (tf.complex64, True),
    (tf.complex128, True), (tf.int32, False), (tf.int64, False), (tf.uint8, False),
    (tf.bool, False), (tf.string, False),
])
def test_differentiable_dtypes(d, differentiable):
    if d is tf.string:
        return
    x = tf.constant(1 if d.is_integer else True if d.is_bool else 1.0, dtype=d)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.identity(x)
    assert (tape.gradient(y, x) is not None) is differentiable


# --- 1.2 inference -------------------------------------------------------------------------------

@pytest.mark.parametrize("value, dtype, shape", [
    (1.5, tf.float32, ()), (3, tf.int32, ()), (True, tf.bool, ()), (1 + 2j, tf.complex128, ()),
    ("a", tf.string, ()), (b"a", tf.string, ()), ([1, 3.0], tf.float32, (2,)),
    ([], tf.float32, (0,)), ([[]], tf.float32, (1, 0)), ([1, True], tf.int32, (2,)),
    ((1, 2), tf.int32, (2,)), (2**31 - 1, tf.int32, ()), (-2**31, tf.int32, ()),
    (2**31, tf.int64, ()), (2**40, tf.int64, ()), ([1, 2**40], tf.int64, (2,)),
    (["a", "b"], tf.string, (2,)),
    (np.array([1., 2.]), tf.float64, (2,)), (np.array([1, 2]), tf.int64, (2,)),
    (np.float64(1.0), tf.float64, ()), (np.float16(1.0), tf.float16, ()),
    (np.int8(1), tf.int8, ()), (np.array(True), tf.bool, ()),
])
def test_constant_inference(value, dtype, shape):
    t = tf.constant(value)
    assert t.dtype is dtype
    assert t.shape == shape
    assert tf.convert_to_tensor(value).dtype is dtype
    assert tf.Variable(value).dtype is dtype


def test_inferred_values():
    assert tf.constant(2**40).numpy() == 2**40
    assert tf.constant("héllo").numpy() == "héllo".encode()
    assert tf.constant([1, 3.0]).numpy().tolist() == [1.0, 3.0]


def test_out_of_range_python_int():
    for v in (2**63, 2**64, -2**63 - 1):
        with pytest.raises(ValueError, match="^Can't convert Python sequence with out-of-range "
                                             "integer to Tensor.$"):
            tf.constant(v)


def test_tensor_converts_to_itself_and_variable_reads():
    t = tf.constant([1., 2.])
    assert tf.convert_to_tensor(t) is t
    assert tf.convert_to_tensor(t, dtype=tf.float32) is t
    v = tf.Variable([1., 2.])
    r = tf.convert_to_tensor(v)
    assert type(r).__name__ == "EagerTensor"
    v.assign([5., 6.])
    assert r.numpy().tolist() == [1., 2.]  # a snapshot


def test_factory_defaults():
    assert tf.zeros((2,)).dtype is tf.float32
    assert tf.ones((2, 3)).dtype is tf.float32
    assert tf.eye(2).dtype is tf.float32
    assert tf.linspace(0., 1., 3).dtype is tf.float32
    assert tf.random.normal((2,)).dtype is tf.float32
    assert tf.random.uniform((2,)).dtype is tf.float32
    assert tf.range(5).dtype is tf.int32
    assert tf.range(5.).dtype is tf.float32
    assert tf.range(0, 5, 0.5).dtype is tf.float32
    assert tf.ones((2,), tf.int32).dtype is tf.int32
    assert tf.fill((2,), 3).dtype is tf.int32
    assert tf.zeros_like(tf.constant([1, 2])).dtype is tf.int32


def test_linspace_of_integers_is_float64():
    t = tf.linspace(0, 1, 3)
    assert t.dtype is tf.float64
    assert t.numpy().tolist() == [0.0, 0.5, 1.0]


@pytest.mark.parametrize("value, dtype, expected", [
    (1, tf.float32, 1.0), (1, tf.float64, 1.0), (1, tf.complex64, 1 + 0j), (1.5, tf.complex64, 1.5 + 0j),
    (True, tf.int32, 1), (True, tf.float32, 1.0), (1.5, tf.float16, 1.5), (300, tf.int8, 44),
    (-1, tf.uint8, 255), (2**40, tf.int32, 0),
    (np.array([2.5]), tf.int32, [2]), (np.float64(2.5), tf.int32, 2),
])
def test_constant_dtype_converts(value, dtype, expected):
    t = tf.constant(value, dtype=dtype)
    assert t.dtype is dtype
    assert np.asarray(t).tolist() == expected


def test_constant_float64_from_python_float_keeps_full_precision():
    # Python floats are doubles: they must not be rounded through float32 on the way.
    assert tf.constant(1.1, tf.float64).numpy() == 1.1
    assert tf.constant([0.1, 1e300], dtype=tf.float64).numpy().tolist() == [0.1, 1e300]
    assert tf.Variable(0.1, dtype=tf.float64).numpy() == 0.1
    assert tf.constant(0.1, tf.complex128).numpy() == 0.1 + 0j
    assert (tf.constant(1., tf.float64) + 0.1).numpy() == 1.1


@pytest.mark.parametrize("value, dtype, text", [
    (2.5, tf.int32, "2.5 to EagerTensor of dtype int32"),
    ([1.5, 2], tf.int32, "[1.5, 2] to EagerTensor of dtype int32"),
    ((1.5, 2), tf.int32, "(1.5, 2) to EagerTensor of dtype int32"),
    (2.5, tf.int64, "2.5 to EagerTensor of dtype int64"),
    (2.5, tf.uint8, "2.5 to EagerTensor of dtype uint8"),
    (1j, tf.float32, "1j to EagerTensor of dtype float"),
    (1j, tf.float64, "1j to EagerTensor of dtype double"),
    (1j, tf.float16, "1j to EagerTensor of dtype half"),
    ([1j], tf.float32, "[1j] to EagerTensor of dtype float"),
    ("a", tf.float32, "'a' to EagerTensor of dtype float"),
    ("a", tf.int32, "'a' to EagerTensor of dtype int32"),
    (1, tf.string, "1 to EagerTensor of dtype string"),
    ([1], tf.string, "[1] to EagerTensor of dtype string"),
    (1, tf.bool, "1 to EagerTensor of dtype bool"),
    (1.5, tf.bool, "1.5 to EagerTensor of dtype bool"),
])
def test_constant_dtype_refuses_lossy_python_values(value, dtype, text):
    with pytest.raises(TypeError) as e:
        tf.constant(value, dtype=dtype)
    assert str(e.value) == "Cannot convert " + text


def test_variable_dtype_refuses_lossy_value():
    with pytest.raises(TypeError, match="^Cannot convert 2.5 to EagerTensor of dtype int32$"):
        tf.Variable(2.5, dtype=tf.int32)


def test_constant_shape_broadcasts_and_reshapes():
    t = tf.constant(1., shape=(2, 3))
    assert t.shape == (2, 3) and t.numpy().tolist() == [[1.] * 3] * 2
    t = tf.constant([1., 2., 3., 4.], shape=(2, 2))
    assert t.numpy().tolist() == [[1., 2.], [3., 4.]]
    assert tf.constant(7, shape=[3], name="ignored").numpy().tolist() == [7, 7, 7]


def test_constant_bad_shape():
    with pytest.raises(TypeError) as e:
        tf.constant([1., 2., 3.], shape=(2, 2))
    assert str(e.value) == (
        "Eager execution of tf.constant with unsupported shape. Tensor [1. 2. 3.] (converted from "
        "[1.0, 2.0, 3.0]) has 3 elements, but got `shape` (2, 2) with 4 elements).")


def test_constant_of_tensor_with_other_dtype():
    assert tf.constant(tf.constant([1., 2.]), dtype=tf.float32).dtype is tf.float32
    with pytest.raises(TypeError) as e:
        tf.constant(tf.constant(1.), dtype=tf.float64)
    assert str(e.value) == "Expected tensor 1.0 with dtype tf.float64, but got dtype tf.float32."
    with pytest.raises(TypeError) as e:
        tf.constant(tf.constant([1., 2.]), dtype=tf.float64)
    assert str(e.value) == "Expected tensor [1. 2.] with dtype tf.float64, but got dtype tf.float32."


def test_convert_to_tensor_dtype_mismatch():
    t = tf.constant(1., tf.float64)
    with pytest.raises(ValueError) as e:
        tf.convert_to_tensor(t, dtype=tf.float32)
    assert str(e.value) == ("Tensor conversion requested dtype float32 for Tensor with dtype float64: "
                            "<tf.Tensor: shape=(), dtype=float64, numpy=1.0>")
    with pytest.raises(ValueError) as e:
        tf.convert_to_tensor(tf.constant([1., 2.], tf.float64), dtype=tf.float32)
    assert str(e.value) == (
        "Tensor conversion requested dtype float32 for Tensor with dtype float64: "
        "<tf.Tensor: shape=(2,), dtype=float64, numpy=array([1., 2.])>")


def test_convert_to_tensor_variable_dtype_mismatch():
    v = tf.Variable([1, 2])
    with pytest.raises(ValueError) as e:
        tf.convert_to_tensor(v, dtype=tf.float32)
    assert str(e.value) == (
        "Incompatible type conversion requested to type float32 for `tf.Variable of type int32. "
        "(Variable: <tf.Variable 'Variable:0' shape=(2,) dtype=int32, numpy=array([1, 2], "
        "dtype=int32)>)")


def test_convert_to_tensor_dtype_forms_and_hint():
    assert tf.convert_to_tensor(1, dtype="float64").dtype is tf.float64
    assert tf.convert_to_tensor(1, dtype=np.float64).dtype is tf.float64
    assert tf.convert_to_tensor(1, dtype_hint=tf.float32).dtype is tf.float32
    hinted = tf.convert_to_tensor(1.5, dtype_hint=tf.int32)  # the hint is dropped, no error
    assert hinted.dtype is tf.float32 and hinted.numpy() == 1.5
    s = tf.convert_to_tensor(tf.TensorShape([2, 3]))
    assert s.dtype is tf.int32 and s.numpy().tolist() == [2, 3]


@pytest.mark.parametrize("value", [[[1, 2], [3]], [[1.], [2., 3.]]])
def test_ragged_list(value):
    with pytest.raises(ValueError, match="^Can't convert non-rectangular Python sequence to Tensor.$"):
        tf.constant(value)


def test_mixed_sequence_with_none():
    with pytest.raises(ValueError):  # TF: "Can't convert Python sequence with mixed types …"
        tf.constant([1, None])


@pytest.mark.parametrize("value", [None, [None], object()])
def test_unconvertible_values(value):
    with pytest.raises(ValueError, match=r"^Attempt to convert a value \(.*\) with an unsupported "
                                         r"type \(<class '.*'>\) to a Tensor.$"):
        tf.convert_to_tensor(value)


def test_none_message_exact():
    with pytest.raises(ValueError) as e:
        tf.constant([None])
    assert str(e.value) == ("Attempt to convert a value (None) with an unsupported type "
                            "(<class 'NoneType'>) to a Tensor.")


# --- 1.3 no implicit promotion --------------------------------------------------------------------

def test_python_scalar_takes_tensor_dtype():
    r = tf.constant(3.) * 2
    assert r.dtype is tf.float32 and r.numpy() == 6.0
    r = 2 * tf.constant(3.)
    assert r.dtype is tf.float32 and r.numpy() == 6.0
    r = tf.constant(1., tf.float64) + 0.5
    assert r.dtype is tf.float64
    r = tf.constant(1, tf.int8) + 300  # wraps like TF's int8 conversion
    assert r.dtype is tf.int8 and r.numpy() == 45
    assert (tf.constant(1) + True).numpy() == 2
    assert (tf.constant([1j], tf.complex64) + 2.5).dtype is tf.complex64


@pytest.mark.parametrize("expr", [
    lambda: tf.constant(3) * 2.5, lambda: 2.5 * tf.constant(3), lambda: tf.constant(3) - 2.5,
    lambda: 2.5 - tf.constant(3), lambda: tf.constant(3) // 2.5, lambda: tf.constant(3) % 2.5,
    lambda: tf.constant(3) ** 2.5, lambda: tf.constant(3) < 2.5, lambda: tf.constant(3) == 2.5,
    lambda: tf.constant(3) != 2.5, lambda: tf.maximum(tf.constant(3), 2.5),
    lambda: tf.multiply(tf.constant(3), 2.5), lambda: 2.5 + tf.constant(3),
    lambda: 2.5 / tf.constant(3), lambda: tf.constant(3) & 2.5,
])
def test_python_float_into_int_tensor_is_type_error(expr):
    with pytest.raises(TypeError) as e:
        expr()
    assert str(e.value) == "Cannot convert 2.5 to EagerTensor of dtype int32"


@pytest.mark.parametrize("expr, text", [
    (lambda: tf.constant([1.]) * 1j, "1j to EagerTensor of dtype float"),
    (lambda: tf.constant([1.], tf.float64) - [1j], "[1j] to EagerTensor of dtype double"),
    (lambda: tf.constant([1]) * [2.5], "[2.5] to EagerTensor of dtype int32"),
    (lambda: tf.constant([1]) - "a", "'a' to EagerTensor of dtype int32"),
    (lambda: tf.constant(True) & 1, "1 to EagerTensor of dtype bool"),
    (lambda: tf.constant(True) & [1], "[1] to EagerTensor of dtype bool"),
    (lambda: True + tf.constant([1j], tf.complex64), "True to EagerTensor of dtype complex64"),
    (lambda: [[2.5]] @ tf.constant([[1]]), "[[2.5]] to EagerTensor of dtype int32"),
    (lambda: "a" + tf.constant([1.]), "'a' to EagerTensor of dtype float"),
])
def test_strict_conversion_messages(expr, text):
    with pytest.raises(TypeError) as e:
        expr()
    assert str(e.value) == "Cannot convert " + text


@pytest.mark.parametrize("expr, expected, actual", [
    # `tensor + value` and `tensor @ value` convert the value by hint, so the kernel complains.
    (lambda: tf.constant([1]) + 2.5, "int32", "float"),
    (lambda: tf.constant([1]) + [2.5], "int32", "float"),
    (lambda: tf.constant([1]) + [1, 2.5], "int32", "float"),
    (lambda: tf.constant([1.]) + 1j, "float", "complex128"),
    (lambda: tf.constant([1.], tf.float64) + [1j], "double", "complex128"),
    (lambda: tf.constant([1.]) + "a", "float", "string"),
    (lambda: tf.constant([1j], tf.complex64) + True, "complex64", "bool"),
    (lambda: tf.add(tf.constant([1]), 2.5), "int32", "float"),
])
def test_add_converts_by_hint(expr, expected, actual):
    with pytest.raises(InvalidArgumentError) as e:
        expr()
    assert str(e.value) == mismatch("AddV2", expected, actual)


def test_matmul_by_hint():
    with pytest.raises(InvalidArgumentError) as e:
        tf.constant([[1]]) @ [[2.5]]
    assert str(e.value) == mismatch("MatMul", "int32", "float")


def test_add_to_bool_tensor_reports_the_dtype_first():
    with pytest.raises(InvalidArgumentError) as e:
        tf.constant([True]) + 2.5
    assert str(e.value).startswith("Value for attr 'T' of bool is not in the list of allowed values")


@pytest.mark.parametrize("op, name", [
    (lambda a, b: a + b, "AddV2"), (lambda a, b: a - b, "Sub"), (lambda a, b: a * b, "Mul"),
    (lambda a, b: a // b, "FloorDiv"), (lambda a, b: a % b, "FloorMod"),
    (lambda a, b: a ** b, "Pow"), (lambda a, b: a < b, "Less"), (lambda a, b: a <= b, "LessEqual"),
    (lambda a, b: a > b, "Greater"), (lambda a, b: a >= b, "GreaterEqual"),
    (tf.maximum, "Maximum"), (lambda a, b: a == b, "Equal"), (lambda a, b: a != b, "NotEqual"),
])
def test_two_tensors_are_never_promoted(op, name):
    with pytest.raises(InvalidArgumentError) as e:
        op(tf.constant(1.), tf.constant(1., tf.float64))
    assert str(e.value) == mismatch(name, "float", "double")
    assert type(e.value).__name__ == "InvalidArgumentError"


@pytest.mark.parametrize("a, b, expected, actual", [
    (tf.constant(3), tf.constant(2.5), "int32", "float"),
    (tf.constant(1., tf.float16), tf.constant(1.), "half", "float"),
    (tf.constant(1., tf.complex64), tf.constant(1.), "complex64", "float"),
    (tf.constant(1, tf.int64), tf.constant(1), "int64", "int32"),
])
def test_dtype_names_in_mismatch(a, b, expected, actual):
    with pytest.raises(InvalidArgumentError) as e:
        a * b
    assert str(e.value) == mismatch("Mul", expected, actual)


def test_matmul_mismatch_kernel_names():
    # TF's CPU build runs float32 products in oneDNN's kernel and names it in the message.
    with pytest.raises(InvalidArgumentError) as e:
        tf.ones((2, 2)) @ tf.ones((2, 2), tf.float64)
    assert str(e.value) == mismatch("MatMul", "float", "double").replace("compute MatMul",
                                                                         "compute _MklMatMul")
    with pytest.raises(InvalidArgumentError) as e:
        tf.ones((2, 2), tf.float64) @ tf.ones((2, 2))
    assert str(e.value) == mismatch("MatMul", "double", "float")


def test_invalid_argument_error_hierarchy():
    assert issubclass(tf.errors.InvalidArgumentError, tf.errors.OpError)
    assert issubclass(tf.errors.OpError, Exception)
    assert not issubclass(tf.errors.InvalidArgumentError, ValueError)
    assert OpError is tf.errors.OpError


@pytest.mark.parametrize("x, y", [
    (tf.constant(1.), tf.constant(1., tf.float64)), (tf.constant(1), tf.constant(1., tf.float64)),
    (tf.constant(1), 2.5), (tf.constant(1), [2.5]), (tf.constant(1.), 1j),
])
def test_truediv_needs_the_same_dtype(x, y):
    with pytest.raises(TypeError) as e:
        x / y
    ydtype = y.dtype if isinstance(y, tf.Tensor) else tf.constant(y).dtype
    assert str(e.value) == f"`x` and `y` must have the same dtype, got {x.dtype!r} != {ydtype!r}."


def test_truediv_exact_message():
    with pytest.raises(TypeError) as e:
        tf.constant(1.) / tf.constant(1., tf.float64)
    assert str(e.value) == "`x` and `y` must have the same dtype, got tf.float32 != tf.float64."


def test_numpy_operand_is_cast_to_tensor_dtype():
    r = tf.constant([1.]) + np.array([1.5])
    assert r.dtype is tf.float32 and r.numpy().tolist() == [2.5]
    r = np.array([1.5]) + tf.constant([1.])
    assert type(r).__name__ == "EagerTensor" and r.dtype is tf.float32
    r = tf.constant([1]) + np.array([2.5])
    assert r.dtype is tf.int32 and r.numpy().tolist() == [3]
    r = np.float64(2.) * tf.constant([1., 1.])
    assert r.dtype is tf.float32
    assert (tf.constant(1.) + np.int64(2)).numpy() == 3.0


@pytest.mark.parametrize("x, y, dtype, value", [
    (tf.constant(3), tf.constant(2), tf.float64, 1.5),
    (tf.constant(3, tf.int64), 2, tf.float64, 1.5),
    (tf.constant(3, tf.int16), tf.constant(2, tf.int16), tf.float32, 1.5),
    (tf.constant(3, tf.int8), 2, tf.float32, 1.5),
])
def test_integer_true_division(x, y, dtype, value):
    r = x / y
    assert r.dtype is dtype and r.numpy() == value


def test_floor_division_and_mod_of_ints():
    assert (tf.constant(7) // 2).dtype is tf.int32
    assert (tf.constant(7) // 2).numpy() == 3
    assert (tf.constant(7) % 2).numpy() == 1
    assert (tf.constant(-7) // 2).numpy() == -4
    assert (tf.constant(-7) % 2).numpy() == 1
    assert (7 // tf.constant(2)).numpy() == 3


def test_incompatible_shapes():
    with pytest.raises(InvalidArgumentError) as e:
        tf.constant([1., 2.]) + tf.constant([1., 2., 3.])
    assert str(e.value) == ("{{function_node __wrapped__AddV2_device_/job:localhost/replica:0/task:0/"
                            "device:CPU:0}} Incompatible shapes: [2] vs. [3] [Op:AddV2] name: ")
    with pytest.raises(InvalidArgumentError) as e:
        tf.ones((2, 2)) * tf.ones((3,))
    assert str(e.value).endswith("}} Incompatible shapes: [2,2] vs. [3] [Op:Mul] name: ")


def test_cast():
    x = tf.constant([1.7, -1.7])
    assert tf.cast(x, tf.int32).numpy().tolist() == [1, -1]
    assert tf.cast(tf.constant([0., 2.]), tf.bool).numpy().tolist() == [False, True]
    assert tf.cast(tf.constant(1 + 2j), tf.float32).numpy() == 1.0
    assert tf.cast(x, "float64").dtype is tf.float64
    assert tf.cast(x, tf.float32) is x
    v = tf.Variable(1.)
    assert tf.cast(v, tf.float32) is v
    assert type(tf.cast(v, tf.float64)).__name__ == "EagerTensor"


def test_cast_gradients():
    x = tf.constant(2.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y64 = tf.cast(x, tf.float64) * 3
        yint = tf.cast(tf.cast(x, tf.int32), tf.float32)
    g = tape.gradient(y64, x)
    assert g.dtype is tf.float32 and g.numpy() == 3.0
    assert tape.gradient(yint, x) is None
