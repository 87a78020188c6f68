"""Spec §2: Tensor classes, immutability and identity, printing, TensorShape, Python protocols.

Expected values and messages were checked against TensorFlow 2.21 (NumPy 2.4), except where a
test says "project decision" (float32 scalars print their shortest float32 text, see §2.3).
"""

import copy
import re

import numpy as np
import pytest

import tapeflow as tf
from tapeflow.errors import InvalidArgumentError

PREFIX = "{{function_node __wrapped__%s_device_/job:localhost/replica:0/task:0/device:CPU:0}} "
INDEX_ERROR = ("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar "
               "tf.int32/tf.int64 tensors are valid indices, got ")


# --- 2.1 classes and attributes ----------------------------------------------------------------

def test_classes():
    t = tf.constant(1.)
    assert type(t).__name__ == "EagerTensor"
    assert isinstance(t, tf.Tensor)
    assert tf.is_tensor(t)
    assert tf.is_tensor(tf.Variable(1.))
    assert not tf.is_tensor(np.array(1.))
    assert not tf.is_tensor(1.0)


def test_attributes():
    t = tf.constant([[1, 2, 3]])
    assert t.shape == (1, 3) and type(t.shape).__name__ == "TensorShape"
    assert t.get_shape() == (1, 3)
    assert t.dtype is tf.int32
    assert t.ndim == 2
    assert t.device == "/job:localhost/replica:0/task:0/device:CPU:0"


def test_name_is_undefined():
    with pytest.raises(AttributeError, match="^Tensor.name is undefined when eager execution is enabled.$"):
        tf.constant(1.).name


@pytest.mark.parametrize("value, dtype, np_type, text", [
    (6.0, tf.float32, np.float32, "np.float32(6.0)"), (6, tf.int32, np.int32, "np.int32(6)"),
    (True, tf.bool, np.bool_, "np.True_"), (6.0, tf.float64, np.float64, "np.float64(6.0)"),
])
def test_numpy_of_scalar_is_a_numpy_scalar(value, dtype, np_type, text):
    n = tf.constant(value, dtype).numpy()
    assert type(n) is np_type
    assert repr(n) == text


def test_numpy_of_string_scalar_is_bytes():
    assert tf.constant("a").numpy() == b"a"


def test_numpy_is_a_fresh_writable_copy():
    t = tf.constant([1., 2.])
    a = t.numpy()
    assert a.flags.writeable
    a[0] = 99.
    assert t.numpy().tolist() == [1., 2.]
    assert t.numpy() is not t.numpy()


def test_numpy_input_is_copied():
    a = np.array([1., 2.])
    t = tf.constant(a)
    a[0] = 5.
    assert t.numpy().tolist() == [1., 2.]


# --- 2.2 immutability and identity -----------------------------------------------------------------

def test_item_assignment_fails():
    t = tf.constant([1, 2])
    with pytest.raises(TypeError):
        t[0] = 5
    assert t.numpy().tolist() == [1, 2]


def test_augmented_assignment_rebinds():
    t = tf.constant([1, 2])
    u = t
    t += 1
    assert t is not u
    assert u.numpy().tolist() == [1, 2]
    assert t.numpy().tolist() == [2, 3]


@pytest.mark.parametrize("op", [
    tf.identity, lambda x: x + 0, lambda x: x - 0, lambda x: x * 1, lambda x: tf.reshape(x, x.shape),
    lambda x: x[:], tf.stop_gradient, lambda x: x[...],
])
def test_every_op_returns_a_new_tensor(op):
    x = tf.constant([1., 2.])
    y = op(x)
    assert y is not x
    assert y.numpy().tolist() == [1., 2.]


def test_no_op_results_are_tracked_separately():
    x = tf.constant(3.)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = tf.identity(x)
        z = x * 1
    assert tape.gradient(y, x).numpy() == 1.0
    assert tape.gradient(z, x).numpy() == 1.0
    assert tape.gradient(x, y) is None  # y is a different tensor, not a source of x


def test_equal_constants_are_distinct():
    a, b = tf.constant(1.), tf.constant(1.)
    assert a is not b
    with tf.GradientTape() as tape:
        tape.watch(a)
        y = a * b
    assert tape.gradient(y, [a, b])[1] is None


def test_pass_throughs_return_the_same_object():
    t = tf.constant([1., 2.])
    assert tf.convert_to_tensor(t) is t
    assert tf.cast(t, t.dtype) is t
    assert tf.cast(t, tf.float32) is t
    assert tf.math.conj(t) is t
    v = tf.Variable(1.)
    assert tf.cast(v, tf.float32) is v


def test_conj_of_complex_is_an_op():
    c = tf.constant([1 + 2j])
    r = tf.math.conj(c)
    assert r is not c and r.numpy().tolist() == [1 - 2j]


def test_copy_returns_self():
    t = tf.constant(1.)
    assert copy.copy(t) is t
    assert copy.deepcopy(t) is t


# --- 2.3 printing -------------------------------------------------------------------------------

@pytest.mark.parametrize("t, r, s", [
    (tf.constant(6.0), "<tf.Tensor: shape=(), dtype=float32, numpy=6.0>",
     "tf.Tensor(6.0, shape=(), dtype=float32)"),
    (tf.constant([1., 2.]), "<tf.Tensor: shape=(2,), dtype=float32, numpy=array([1., 2.], dtype=float32)>",
     "tf.Tensor([1. 2.], shape=(2,), dtype=float32)"),
    (tf.constant([0., 0.]), "<tf.Tensor: shape=(2,), dtype=float32, numpy=array([0., 0.], dtype=float32)>",
     "tf.Tensor([0. 0.], shape=(2,), dtype=float32)"),
    (tf.constant([[1., 2.], [3., 4.]]),
     "<tf.Tensor: shape=(2, 2), dtype=float32, numpy=\narray([[1., 2.],\n       [3., 4.]], dtype=float32)>",
     "tf.Tensor(\n[[1. 2.]\n [3. 4.]], shape=(2, 2), dtype=float32)"),
    (tf.constant(10), "<tf.Tensor: shape=(), dtype=int32, numpy=10>",
     "tf.Tensor(10, shape=(), dtype=int32)"),
    (tf.constant(10, tf.int64), "<tf.Tensor: shape=(), dtype=int64, numpy=10>",
     "tf.Tensor(10, shape=(), dtype=int64)"),
    (tf.constant(-5), "<tf.Tensor: shape=(), dtype=int32, numpy=-5>",
     "tf.Tensor(-5, shape=(), dtype=int32)"),
    (tf.constant([1., 2.], tf.float64), "<tf.Tensor: shape=(2,), dtype=float64, numpy=array([1., 2.])>",
     "tf.Tensor([1. 2.], shape=(2,), dtype=float64)"),
    (tf.constant(True), "<tf.Tensor: shape=(), dtype=bool, numpy=True>",
     "tf.Tensor(True, shape=(), dtype=bool)"),
    (tf.constant("a"), "<tf.Tensor: shape=(), dtype=string, numpy=b'a'>",
     "tf.Tensor(b'a', shape=(), dtype=string)"),
    (tf.constant([True, False]), "<tf.Tensor: shape=(2,), dtype=bool, numpy=array([ True, False])>",
     "tf.Tensor([ True False], shape=(2,), dtype=bool)"),
    (tf.constant([b"a", b"b"]),
     "<tf.Tensor: shape=(2,), dtype=string, numpy=array([b'a', b'b'], dtype=object)>",
     "tf.Tensor([b'a' b'b'], shape=(2,), dtype=string)"),
    (tf.constant([1, 2], tf.uint8), "<tf.Tensor: shape=(2,), dtype=uint8, numpy=array([1, 2], dtype=uint8)>",
     "tf.Tensor([1 2], shape=(2,), dtype=uint8)"),
    (tf.constant(1 + 2j), "<tf.Tensor: shape=(), dtype=complex128, numpy=(1+2j)>",
     "tf.Tensor((1+2j), shape=(), dtype=complex128)"),
    (tf.constant([1 + 2j], tf.complex64),
     "<tf.Tensor: shape=(1,), dtype=complex64, numpy=array([1.+2.j], dtype=complex64)>",
     "tf.Tensor([1.+2.j], shape=(1,), dtype=complex64)"),
    (tf.constant([]), "<tf.Tensor: shape=(0,), dtype=float32, numpy=array([], dtype=float32)>",
     "tf.Tensor([], shape=(0,), dtype=float32)"),
    (tf.constant(np.zeros((0, 3))),
     "<tf.Tensor: shape=(0, 3), dtype=float64, numpy=array([], shape=(0, 3), dtype=float64)>",
     "tf.Tensor([], shape=(0, 3), dtype=float64)"),
    (tf.constant(1.1, tf.float64), "<tf.Tensor: shape=(), dtype=float64, numpy=1.1>",
     "tf.Tensor(1.1, shape=(), dtype=float64)"),
    (tf.constant(float("nan")), "<tf.Tensor: shape=(), dtype=float32, numpy=nan>",
     "tf.Tensor(nan, shape=(), dtype=float32)"),
])
def test_repr_and_str(t, r, s):
    assert repr(t) == r
    assert str(t) == s


def test_print(capsys):
    print(tf.constant(6.0))
    assert capsys.readouterr().out == "tf.Tensor(6.0, shape=(), dtype=float32)\n"


def test_float32_scalar_project_decision():
    # TF 2.21 + NumPy 2 prints float64 digits for float32 scalars in the repr (1.100000023841858);
    # the project prints the shortest float32 text instead. The str matches TF either way.
    assert repr(tf.constant(1.1)) == "<tf.Tensor: shape=(), dtype=float32, numpy=1.1>"
    assert str(tf.constant(1.1)) == "tf.Tensor(1.1, shape=(), dtype=float32)"
    assert str(tf.constant(1.) / 3) == "tf.Tensor(0.33333334, shape=(), dtype=float32)"


def test_three_d_str():
    t = tf.constant(np.arange(8.).reshape(2, 2, 2))
    assert str(t) == ("tf.Tensor(\n[[[0. 1.]\n  [2. 3.]]\n\n [[4. 5.]\n  [6. 7.]]], shape=(2, 2, 2), "
                      "dtype=float64)")


def test_summarization_above_1000_elements():
    t = tf.constant(np.arange(2000.))
    assert repr(t) == ("<tf.Tensor: shape=(2000,), dtype=float64, numpy=\narray([0.000e+00, 1.000e+00, "
                       "2.000e+00, ..., 1.997e+03, 1.998e+03,\n       1.999e+03], shape=(2000,))>")
    assert str(t) == ("tf.Tensor([0.000e+00 1.000e+00 2.000e+00 ... 1.997e+03 1.998e+03 1.999e+03], "
                      "shape=(2000,), dtype=float64)")


def test_numpy_print_options_apply():
    t = tf.constant([1 / 3], tf.float64)
    with np.printoptions(precision=2):
        assert str(t) == "tf.Tensor([0.33], shape=(1,), dtype=float64)"
    assert str(t) == "tf.Tensor([0.33333333], shape=(1,), dtype=float64)"


@pytest.mark.parametrize("t, spec, out", [
    (tf.constant(2.), ".2f", "2.00"), (tf.constant(2.), "", "2.0"), (tf.constant(3), "d", "3"),
    (tf.constant([2.]), "", "[2.]"), (tf.constant(3), ">4", "   3"),
])
def test_format(t, spec, out):
    assert format(t, spec) == out
    assert ("{:" + spec + "}").format(t) == out


def test_fstring():
    x = tf.constant(2.)
    assert f"{x}" == "2.0"
    assert f"{x:.3f}" == "2.000"
    assert f"{tf.constant([1., 2.]).shape}" == "(2,)"


def test_format_spec_on_non_scalar():
    with pytest.raises(TypeError, match="unsupported format string passed to numpy.ndarray.__format__"):
        "{:.2f}".format(tf.constant([2.]))


# --- 2.4 TensorShape -----------------------------------------------------------------------------

@pytest.mark.parametrize("dims, r, s", [
    ([7, 10], "TensorShape([7, 10])", "(7, 10)"), ([], "TensorShape([])", "()"),
    ([2], "TensorShape([2])", "(2,)"), ([None, 3], "TensorShape([None, 3])", "(None, 3)"),
    (None, "TensorShape(None)", "<unknown>"),
])
def test_shape_repr_str(dims, r, s):
    shape = tf.TensorShape(dims)
    assert repr(shape) == r
    assert str(shape) == s
    assert f"{shape}" == s


def test_shape_of_tensor_prints_like_tf():
    assert str(tf.ones((3, 2)).shape) == "(3, 2)"
    assert repr(tf.constant(1.).shape) == "TensorShape([])"


def test_shape_indexing():
    s = tf.TensorShape([7, 10])
    assert s[0] == 7 and type(s[0]) is int
    assert s[-1] == 10
    assert s[1:] == tf.TensorShape([10]) and type(s[1:]).__name__ == "TensorShape"
    assert tf.TensorShape([None, 3])[0] is None
    with pytest.raises(IndexError):
        s[5]


def test_shape_equality():
    s = tf.TensorShape([7, 10])
    assert s == (7, 10)
    assert s == [7, 10]
    assert s == tf.TensorShape([7, 10])
    assert s != (7, 11)
    assert not s == 7
    assert not s == None  # noqa: E711
    assert tf.constant([[1., 2.]]).shape == (1, 2)
    assert hash(s) == hash(tf.TensorShape([7, 10]))


def test_shape_methods():
    s = tf.TensorShape([7, 10])
    assert s.as_list() == [7, 10]
    assert s.rank == 2 and s.ndims == 2
    assert len(s) == 2
    assert list(s) == [7, 10] and all(type(d) is int for d in s)
    assert s.num_elements() == 70
    assert tf.TensorShape([None, 3]).num_elements() is None
    assert s.concatenate([1]) == [7, 10, 1]
    assert s.concatenate(tf.TensorShape([2])) == [7, 10, 2]
    assert s + [1] == [7, 10, 1]
    assert [1] + s == [1, 7, 10]
    assert not tf.TensorShape([None]).is_fully_defined()
    assert tf.TensorShape([None, 3]).is_compatible_with([2, 3])
    assert tf.TensorShape(s) == s


def test_unknown_rank_shape():
    s = tf.TensorShape(None)
    with pytest.raises(ValueError, match=r"^as_list\(\) is not defined on an unknown TensorShape.$"):
        s.as_list()
    with pytest.raises(ValueError, match="^Cannot take the length of shape with unknown rank.$"):
        len(s)


def test_shape_accepted_where_a_shape_is_expected():
    v = tf.Variable([[1., 2.], [3., 4.]])
    r = tf.reshape(tf.constant([1., 2., 3., 4.]), v.shape)
    assert r.shape == (2, 2)
    p = tf.reduce_prod(tf.constant([[1., 2., 3.], [1., 2., 3.]]).shape)
    assert p.dtype is tf.int32 and p.numpy() == 6
    assert tf.zeros(v.shape).shape == (2, 2)


def test_integer_reductions_keep_their_dtype():
    assert tf.reduce_sum(tf.constant([1, 2])).dtype is tf.int32
    assert tf.reduce_prod(tf.constant([1, 2], tf.int16)).dtype is tf.int16


# --- 2.5 Python protocols ------------------------------------------------------------------------

@pytest.mark.parametrize("expr, expected", [
    (lambda x: x + 1, [2., 3.]), (lambda x: 1 + x, [2., 3.]), (lambda x: x - 1, [0., 1.]),
    (lambda x: 5 - x, [4., 3.]), (lambda x: x * [3., 4.], [3., 8.]), (lambda x: [3., 4.] * x, [3., 8.]),
    (lambda x: x / 2, [0.5, 1.]), (lambda x: 1 / x, [1., 0.5]), (lambda x: x // 2, [0., 1.]),
    (lambda x: 7 // x, [7., 3.]), (lambda x: x % 2, [1., 0.]), (lambda x: 7. % x, [0., 1.]),
    (lambda x: x ** 2, [1., 4.]), (lambda x: 2 ** x, [2., 4.]), (lambda x: [1., 2.] - x, [0., 0.]),
    (lambda x: np.array([1., 2.]) * x, [1., 4.]), (lambda x: np.array([1., 2.]) - x, [0., 0.]),
    (lambda x: np.array([1, 2]) + x, [2., 4.]), (lambda x: -x, [-1., -2.]),
    (lambda x: abs(-x), [1., 2.]),
])
def test_arithmetic_operators(expr, expected):
    r = expr(tf.constant([1., 2.]))
    assert type(r).__name__ == "EagerTensor"
    assert r.dtype is tf.float32
    assert r.numpy().tolist() == expected


def test_matmul_operators():
    w = tf.ones((3, 1))
    r = [[1., 2., 3.]] @ w
    assert type(r).__name__ == "EagerTensor" and r.numpy().tolist() == [[6.]]
    r = np.ones((1, 3)) @ w
    assert type(r).__name__ == "EagerTensor" and r.dtype is tf.float32
    assert (tf.ones((1, 3)) @ [[1.], [1.], [1.]]).numpy().tolist() == [[3.]]


def test_int_operators():
    assert (5 - tf.constant(3)).numpy() == 2
    assert (2 ** tf.constant(3)).numpy() == 8
    assert (tf.constant(2) ** 3).dtype is tf.int32
    assert (-tf.constant([1, 2])).numpy().tolist() == [-1, -2]
    assert abs(tf.constant(-3)).numpy() == 3


def test_ndarray_priority():
    assert tf.Tensor.__array_priority__ == 100
    r = np.array([1.5]) + tf.constant([1.])
    assert type(r).__name__ == "EagerTensor"


def test_invert_and_bitwise_and_logical():
    assert (~tf.constant([True, False])).numpy().tolist() == [False, True]
    assert (~tf.constant([1, 2])).numpy().tolist() == [-2, -3]
    assert (tf.constant([True, False]) & tf.constant([True, True])).numpy().tolist() == [True, False]
    assert (tf.constant([True, False]) | False).numpy().tolist() == [True, False]
    assert (tf.constant([True]) ^ True).numpy().tolist() == [False]
    assert (tf.constant([1, 2]) | tf.constant([4, 4])).numpy().tolist() == [5, 6]
    assert (tf.constant([1, 2]) ^ 3).numpy().tolist() == [2, 1]
    assert (tf.constant([6]) & 3).numpy().tolist() == [2]
    assert (3 & tf.constant([6])).numpy().tolist() == [2]


@pytest.mark.parametrize("expr, op, dtype", [
    (lambda: ~tf.constant([1.]), "Invert", "float"),
    (lambda: tf.constant([1.]) & tf.constant([1.]), "BitwiseAnd", "float"),
    (lambda: -tf.constant(True), "Neg", "bool"),
    (lambda: tf.exp(tf.constant(1)), "Exp", "int32"),
    (lambda: tf.sqrt(tf.constant(1)), "Sqrt", "int32"),
])
def test_dtype_not_allowed(expr, op, dtype):
    with pytest.raises(InvalidArgumentError) as e:
        expr()
    msg = str(e.value)
    assert msg.startswith(f"Value for attr 'T' of {dtype} is not in the list of allowed values")
    assert msg.endswith(f"[Op:{op}] name: ")
    assert "{{node %s}}" % op in msg


def test_exp_int_allowed_list():
    with pytest.raises(InvalidArgumentError) as e:
        tf.exp(tf.constant(1))
    assert str(e.value).startswith(
        "Value for attr 'T' of int32 is not in the list of allowed values: bfloat16, half, float, "
        "double, complex64, complex128\n\t; NodeDef: {{node Exp}}; Op<name=Exp; signature=x:T -> y:T; "
        "attr=T:type,allowed=[DT_BFLOAT16, DT_HALF, DT_FLOAT, DT_DOUBLE, DT_COMPLEX64, DT_COMPLEX128]>")


def test_comparisons():
    x = tf.constant([1., 2., 3.])
    for r, expected in [(x < 2, [True, False, False]), (x <= 2, [True, True, False]),
                        (x > 2, [False, False, True]), (x >= 2, [False, True, True]),
                        (2 < x, [False, False, True])]:
        assert r.dtype is tf.bool and r.numpy().tolist() == expected


def test_equality_is_elementwise_with_broadcasting():
    r = tf.constant([[1.], [2.]]) == tf.constant([1., 2.])
    assert r.shape == (2, 2) and r.numpy().tolist() == [[True, False], [False, True]]
    assert (tf.constant([1., 2.]) != [1., 3.]).numpy().tolist() == [False, True]
    assert (tf.constant([1., 2.]) == np.array([1., 3.])).numpy().tolist() == [True, False]
    r = np.array([1., 3.]) == tf.constant([1., 2.])
    assert type(r).__name__ == "EagerTensor" and r.numpy().tolist() == [True, False]


def test_equality_with_incompatible_shapes_is_a_scalar():
    r = tf.constant([1., 2.]) == tf.constant([1., 2., 3.])
    assert repr(r) == "<tf.Tensor: shape=(), dtype=bool, numpy=False>"
    r = tf.constant([1., 2.]) != tf.constant([1., 2., 3.])
    assert repr(r) == "<tf.Tensor: shape=(), dtype=bool, numpy=True>"
    assert (tf.constant([1., 2.]) == [1., 2., 3.]).numpy() == False  # noqa: E712


def test_equality_with_none():
    assert (tf.constant(1.) == None) is False  # noqa: E711
    assert (tf.constant(1.) != None) is True  # noqa: E711


def test_equality_dtype_errors_propagate():
    with pytest.raises(InvalidArgumentError) as e:
        tf.constant([1]) == tf.constant([1.])
    assert str(e.value) == ("cannot compute Equal as input #1(zero-based) was expected to be a int32 "
                            "tensor but is a float tensor [Op:Equal] name: ")
    with pytest.raises(TypeError, match="^Cannot convert 'a' to EagerTensor of dtype float$"):
        tf.constant(1.) == "a"
    with pytest.raises(ValueError, match="unsupported type"):
        tf.constant(1.) == object()


def test_tensor_in_list_uses_identity_first():
    assert tf.constant(1.) in [tf.constant(2.), tf.constant(1.)]


@pytest.mark.parametrize("value, expected", [
    (1., True), (0., False), ([0.], False), ([3], True), ([], False), (np.zeros((0, 2)), False),
])
def test_bool(value, expected):
    assert bool(tf.constant(value)) is expected


def test_bool_of_comparison_in_if():
    x = tf.constant(1.)
    assert (1 if x > 0.0 else 0) == 1


def test_bool_of_many_elements():
    with pytest.raises(ValueError, match=re.escape(
            "The truth value of an array with more than one element is ambiguous. Use a.any() or a.all()")):
        bool(tf.constant([1., 2.]))


def test_scalar_conversions():
    assert float(tf.constant(2.5)) == 2.5 and type(float(tf.constant(2.5))) is float
    assert int(tf.constant(2.7)) == 2
    assert complex(tf.constant(2.5)) == 2.5 + 0j
    assert [10, 20, 30][tf.constant(1)] == 20
    assert [10, 20, 30][tf.constant(1, tf.int64)] == 20
    assert list(range(tf.constant(3))) == [0, 1, 2]


@pytest.mark.parametrize("f", [float, int, complex])
@pytest.mark.parametrize("value", [[2.5], [2.5, 1.]])
def test_scalar_conversions_of_non_scalars(f, value):
    with pytest.raises(TypeError, match="^only 0-dimensional arrays can be converted to Python scalars$"):
        f(tf.constant(value))


@pytest.mark.parametrize("t", [tf.constant(1.), tf.constant(True), tf.constant([1])])
def test_index_needs_an_integer_scalar(t):
    # TF raises AttributeError for non-integer scalars (an accident) and TypeError otherwise.
    with pytest.raises((TypeError, AttributeError)):
        [10, 20, 30][t]


def test_len():
    assert len(tf.constant([1, 2, 3])) == 3
    assert len(tf.constant([[1, 2, 3]])) == 1
    with pytest.raises(TypeError, match="^Scalar tensor has no `len\\(\\)`$"):
        len(tf.constant(1))


def test_iter():
    items = list(tf.constant([[1, 2], [3, 4]]))
    assert len(items) == 2
    assert all(type(i).__name__ == "EagerTensor" for i in items)
    assert [i.numpy().tolist() for i in items] == [[1, 2], [3, 4]]
    assert repr(list(tf.constant([1, 2]))[1]) == "<tf.Tensor: shape=(), dtype=int32, numpy=2>"
    with pytest.raises(TypeError, match="^Cannot iterate over a scalar tensor.$"):
        iter(tf.constant(1))


def test_iteration_is_differentiable():
    x = tf.constant([1., 2.])
    with tf.GradientTape() as tape:
        tape.watch(x)
        a, b = x
        y = a * 3 + b * 5
    assert tape.gradient(y, x).numpy().tolist() == [3., 5.]


# --- __getitem__ ---

M = [[1., 2., 3.], [4., 5., 6.]]


@pytest.mark.parametrize("key, expected", [
    (0, [1., 2., 3.]), (-1, [4., 5., 6.]), ((0, 1), 2.), ([0, 1], 2.),
    ((slice(None), slice(None, None, -1)), [[3., 2., 1.], [6., 5., 4.]]),
    (slice(None, None, 2), [[1., 2., 3.]]), ((Ellipsis, 1), [2., 5.]),
    ((slice(None), None, 1), [[2.], [5.]]), (slice(1, 10), [[4., 5., 6.]]),
    (slice(5, None), np.zeros((0, 3)).tolist()), ((0, Ellipsis, 0), 1.),
    ((0, slice(None)), [1., 2., 3.]), (np.int64(1), [4., 5., 6.]),
    ((slice(None), slice(1, None, 2)), [[2.], [5.]]), ((-1, -1), 6.),
])
def test_getitem(key, expected):
    r = tf.constant(M)[key]
    assert type(r).__name__ == "EagerTensor"
    assert r.numpy().tolist() == expected


def test_getitem_newaxis_and_tensor_indices():
    m = tf.constant(M)
    assert tf.newaxis is None
    assert m[None].shape == (1, 2, 3)
    assert m[..., tf.newaxis].shape == (2, 3, 1)
    assert m[tf.constant(1)].numpy().tolist() == [4., 5., 6.]
    assert m[tf.constant(1, tf.int64)].numpy().tolist() == [4., 5., 6.]
    assert m[tf.constant(1):].numpy().tolist() == [[4., 5., 6.]]
    assert m[:tf.constant(1)].numpy().tolist() == [[1., 2., 3.]]
    assert m[tf.Variable(1)].numpy().tolist() == [4., 5., 6.]
    s = tf.constant(1.)
    assert s[...].numpy() == 1.0
    assert s[None].shape == (1,)


def test_getitem_returns_new_tensor_and_is_differentiable():
    x = tf.constant([1., 2., 3.])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x[::2] * 2 + x[-1]
    assert tape.gradient(y, x).numpy().tolist() == [2., 0., 4.]
    assert x[:] is not x


@pytest.mark.parametrize("key, got", [
    (0.5, "0.5"), ("a", "'a'"), ([0.5], "0.5"),
    (tf.constant(1.), "<tf.Tensor: shape=(), dtype=float32, numpy=1.0>"),
    (tf.constant([0, 1]), "<tf.Tensor: shape=(2,), dtype=int32, numpy=array([0, 1], dtype=int32)>"),
])
def test_getitem_bad_index_type(key, got):
    with pytest.raises(TypeError) as e:
        tf.constant(M)[key]
    assert str(e.value) == INDEX_ERROR + got


@pytest.mark.parametrize("value, key, text", [
    (M, 2, "slice index 2 of dimension 0 out of bounds."),
    (M, -3, "slice index -1 of dimension 0 out of bounds."),
    (M, (0, 3), "slice index 3 of dimension 1 out of bounds."),
    ([1., 2.], 5, "slice index 5 of dimension 0 out of bounds."),
    (M, (0, 0, 0), "Index out of range using input dim 2; input has only 2 dims"),
    ([1., 2.], (0, 0), "Index out of range using input dim 1; input has only 1 dims"),
    (M, (Ellipsis, Ellipsis), "Multiple ellipses in slice spec not allowed"),
    (M, slice(None, None, 0), "strides[0] must be non-zero"),
    (1., 0, "Attempting to slice scalar input."),
])
def test_getitem_out_of_range(value, key, text):
    with pytest.raises(InvalidArgumentError) as e:
        tf.constant(value)[key]
    assert str(e.value) == PREFIX % "StridedSlice" + text + " [Op:StridedSlice] name: strided_slice/"


# --- __array__ ---

def test_array_protocol():
    t = tf.constant([1., 2.])
    a = np.asarray(t)
    assert type(a) is np.ndarray and a.dtype == np.float32
    assert not a.flags.writeable  # a view of the tensor's value must not let it be changed
    assert np.array(t, dtype=np.float64).dtype == np.float64
    c = np.array(t, copy=True)
    c[0] = 9.
    assert t.numpy().tolist() == [1., 2.]
    r = np.sin(t)
    assert type(r) is np.ndarray and r.dtype == np.float32
    r = np.mean(tf.constant([[1., 2.]]), axis=0)
    assert type(r) is np.ndarray and r.tolist() == [1., 2.]


def test_numpy_functions_cut_the_gradient():
    x = tf.constant(2.)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.constant(np.square(x))
    assert tape.gradient(y, x) is None


# --- hash / ref ---

def test_hash_and_ref():
    t = tf.constant(1.)
    with pytest.raises(TypeError, match=re.escape("Tensor is unhashable. Instead, use tensor.ref() as the key.")):
        hash(t)
    with pytest.raises(TypeError):
        {t: 1}
    r = t.ref()
    assert r.deref() is t
    d = {r: "a"}
    assert d[t.ref()] == "a"
    assert tf.constant(1.).ref() != r
    assert len({t.ref(), t.ref(), tf.constant(1.).ref()}) == 2


# --- kernel error prefixes on shape errors ---

def test_reshape_error():
    with pytest.raises(InvalidArgumentError) as e:
        tf.reshape(tf.constant([1., 2., 3.]), (2, 2))
    assert str(e.value) == (PREFIX % "Reshape" + "Input to reshape is a tensor with 3 values, but the "
                            "requested shape has 4 [Op:Reshape]")


@pytest.mark.parametrize("a, b, kernel, text", [
    (tf.ones((2, 3)), tf.ones((2, 3)), "__MklMatMul", "Matrix size-incompatible: In[0]: [2,3], In[1]: [2,3]"),
    (tf.ones((2, 3), tf.float64), tf.ones((2, 3), tf.float64), "MatMul",
     "Matrix size-incompatible: In[0]: [2,3], In[1]: [2,3]"),
    (tf.ones((2, 3), tf.int32), tf.ones((2, 3), tf.int32), "MatMul",
     "Matrix size-incompatible: In[0]: [2,3], In[1]: [2,3]"),
    (tf.ones((3,)), tf.ones((3, 3)), "__MklMatMul", "In[0] ndims must be >= 2"),
    (tf.ones((3, 3)), tf.ones((3,)), "__MklMatMul", "In[1] ndims must be >= 2"),
])
def test_matmul_errors(a, b, kernel, text):
    with pytest.raises(InvalidArgumentError) as e:
        tf.matmul(a, b)
    assert str(e.value) == PREFIX % kernel + text + " [Op:MatMul] name: "


@pytest.mark.parametrize("fn, op, x, axis, text", [
    (tf.reduce_max, "Max", [1., 2.], 3, "(3 for input with 1 dimension(s)"),
    (tf.reduce_sum, "Sum", [1., 2.], 3, "(3 for input with 1 dimension(s)"),
    (tf.reduce_sum, "Sum", [[1., 2.]], -3, "(-3 for input with 2 dimension(s)"),
    (tf.reduce_mean, "Mean", 1., 1, "(1 for input with 0 dimension(s)"),
    (tf.reduce_min, "Min", [1., 2.], 1, "(1 for input with 1 dimension(s)"),
    (tf.reduce_prod, "Prod", [1., 2.], -2, "(-2 for input with 1 dimension(s)"),
])
def test_invalid_reduction_dimension(fn, op, x, axis, text):
    with pytest.raises(InvalidArgumentError) as e:
        fn(tf.constant(x), axis=axis)
    assert str(e.value) == PREFIX % op + f"Invalid reduction dimension {text} [Op:{op}] name: "


def test_integer_negative_power():
    with pytest.raises(InvalidArgumentError) as e:
        tf.constant([2]) ** tf.constant([-1])
    assert str(e.value) == (PREFIX % "Pow" + "Integers to negative integer powers are not allowed "
                            "[Op:Pow] name: ")
