"""Spec §3: tf.Variable. Expected values and messages were checked against TensorFlow 2.21."""

import re

import numpy as np
import pytest

import tapeflow as tf
from tapeflow.errors import InvalidArgumentError

PREFIX = "{{function_node __wrapped__%s_device_/job:localhost/replica:0/task:0/device:CPU:0}} "


# --- constructor, names, trainable, classes ------------------------------------------------------

def test_constructor_accepts_every_tf_argument():
    v = tf.Variable(initial_value=1., trainable=None, validate_shape=True, caching_device=None,
                    name="all", variable_def=None, dtype=None, import_scope=None, constraint=None,
                    synchronization=None, aggregation=None, shape=None, experimental_enable_variable_lifting=True)
    assert v.name == "all:0" and v.numpy() == 1.0


def test_value_conversion():
    assert tf.Variable(3.).dtype is tf.float32
    assert tf.Variable(3).dtype is tf.int32
    assert tf.Variable(np.array([1., 2.])).dtype is tf.float64
    assert tf.Variable([1, 3.0]).dtype is tf.float32
    v = tf.Variable(1, dtype=tf.float32)
    assert v.dtype is tf.float32 and v.numpy() == 1.0
    assert tf.Variable(tf.constant([1, 2])).numpy().tolist() == [1, 2]
    assert tf.Variable(lambda: 3.).numpy() == 3.0


def test_initial_value_required():
    with pytest.raises(ValueError) as e:
        tf.Variable(None)
    assert str(e.value) == ("The `initial_value` arg to `tf.Variable` must be specified except when you "
                            "are not providing a `variable_def`. You provided neither.")


def test_names():
    assert tf.Variable(1.).name == "Variable:0"
    assert tf.Variable(1., name="x0").name == "x0:0"
    assert tf.Variable(1., name="a/b").name == "a/b:0"
    assert (tf.Variable(1., name="dup").name, tf.Variable(2., name="dup").name) == ("dup:0", "dup:0")


def test_trainable():
    assert tf.Variable(3.).trainable is True
    assert tf.Variable(3).trainable is True
    assert tf.Variable(True).trainable is True
    assert tf.Variable(3., trainable=False).trainable is False


def test_non_trainable_not_watched():
    v = tf.Variable(3., trainable=False)
    w = tf.Variable(2.)
    with tf.GradientTape() as tape:
        y = v * w
    gv, gw = tape.gradient(y, [v, w])
    assert gv is None and gw.numpy() == 3.0


def test_classes():
    v = tf.Variable(1.)
    assert type(v).__name__ == "ResourceVariable"
    assert isinstance(v, tf.Variable)
    assert not isinstance(v, tf.Tensor)
    assert tf.is_tensor(v)


def test_attributes():
    v = tf.Variable([[1., 2.]])
    assert v.shape == (1, 2) and type(v.shape).__name__ == "TensorShape"
    assert v.get_shape() == (1, 2)
    assert v.dtype is tf.float32
    assert v.device == "/job:localhost/replica:0/task:0/device:CPU:0"


# --- repr ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("v, text", [
    (lambda: tf.Variable(3.0, name="x0"), "<tf.Variable 'x0:0' shape=() dtype=float32, numpy=3.0>"),
    (lambda: tf.Variable([1., 2.], name="w"),
     "<tf.Variable 'w:0' shape=(2,) dtype=float32, numpy=array([1., 2.], dtype=float32)>"),
    (lambda: tf.Variable(3), "<tf.Variable 'Variable:0' shape=() dtype=int32, numpy=3>"),
    (lambda: tf.Variable([[1., 2.], [3., 4.]], name="w"),
     "<tf.Variable 'w:0' shape=(2, 2) dtype=float32, numpy=\narray([[1., 2.],\n       [3., 4.]], "
     "dtype=float32)>"),
    (lambda: tf.Variable(np.array([1., 2.])),
     "<tf.Variable 'Variable:0' shape=(2,) dtype=float64, numpy=array([1., 2.])>"),
    (lambda: tf.Variable(True, name="b"), "<tf.Variable 'b:0' shape=() dtype=bool, numpy=True>"),
])
def test_repr_equals_str(v, text):
    v = v()
    assert repr(v) == text
    assert str(v) == text
    assert f"{v}" == text


def test_format_spec_is_not_supported():
    with pytest.raises(TypeError, match="unsupported format string passed to ResourceVariable.__format__"):
        "{:.2f}".format(tf.Variable(1.5))


# --- reads -------------------------------------------------------------------------------------------

def test_reads_are_new_eager_tensors():
    v = tf.Variable([1., 2.])
    reads = [v.read_value(), v.value(), tf.convert_to_tensor(v), tf.identity(v), v + 0.]
    for r in reads:
        assert type(r).__name__ == "EagerTensor"
        assert r.numpy().tolist() == [1., 2.]
    assert len({id(r) for r in reads}) == len(reads)
    assert v.read_value() is not v.read_value()


def test_reads_are_snapshots():
    v = tf.Variable(1.)
    r = v.read_value()
    n = v.numpy()
    v.assign(9.)
    assert r.numpy() == 1.0
    assert n == 1.0
    assert v.numpy() == 9.0


def test_numpy_is_a_copy():
    v = tf.Variable([1., 2.])
    a = v.numpy()
    a[0] = 7.
    assert v.numpy().tolist() == [1., 2.]
    assert type(tf.Variable(2.).numpy()) is np.float32


def test_read_value_has_gradient_one():
    v = tf.Variable(3.)
    with tf.GradientTape() as tape:
        y = v.read_value()
    assert tape.gradient(y, v).numpy() == 1.0


def test_arithmetic_returns_eager_tensor():
    v = tf.Variable(2.)
    assert type(v + 1.0).__name__ == "EagerTensor"
    assert (v * v).numpy() == 4.0
    assert (1 - v).numpy() == -1.0
    assert (-tf.Variable([1., 2.])).numpy().tolist() == [-1., -2.]
    assert tf.Variable([1., 2.])[1].numpy() == 2.0
    assert (tf.Variable([[1., 2.]]) @ tf.Variable([[1.], [1.]])).numpy().tolist() == [[3.]]


def test_rebinding_to_a_tensor_loses_the_variable():
    x = tf.Variable(2.0)
    x = x + 1
    with tf.GradientTape() as tape:
        y = x * x
    assert tape.gradient(y, x) is None


def test_python_protocols():
    v = tf.Variable([1., 2.])
    assert [t.numpy() for t in v] == [1., 2.]
    assert bool(tf.Variable(1.)) is True
    assert float(tf.Variable(1.5)) == 1.5
    assert int(tf.Variable(2)) == 2
    a = np.asarray(v)
    assert type(a) is np.ndarray and a.tolist() == [1., 2.]


def test_no_len_or_index():
    # TF's ResourceVariable defines neither __len__ nor __index__.
    with pytest.raises(TypeError):
        len(tf.Variable([1., 2.]))
    with pytest.raises(TypeError):
        [1, 2, 3][tf.Variable(1)]


def test_immutable_by_item_assignment():
    v = tf.Variable([1.])
    with pytest.raises(TypeError):
        v[0] = 1.


# --- assign / assign_add / assign_sub ------------------------------------------------------------

def test_assign_returns_unread_variable():
    v = tf.Variable(1., name="x")
    r = v.assign(2.)
    assert type(r).__name__ == "_UnreadVariable"
    assert isinstance(r, tf.Variable)
    assert repr(r) == "<tf.Variable 'UnreadVariable' shape=() dtype=float32, numpy=2.0>"
    assert r.name == "UnreadVariable"
    assert v.numpy() == 2.0
    assert type(r.numpy()) is np.float32 and r.numpy() == 2.0
    assert (r + 1).numpy() == 3.0
    assert type(r + 1).__name__ == "EagerTensor"
    assert v.name == "x:0"


def test_unread_variable_vector_repr():
    r = tf.Variable([1., 2.]).assign([3., 4.])
    assert repr(r) == ("<tf.Variable 'UnreadVariable' shape=(2,) dtype=float32, "
                       "numpy=array([3., 4.], dtype=float32)>")


def test_unread_variable_shares_state():
    v = tf.Variable(1.)
    r = v.assign(2.)
    v.assign(5.)
    assert r.numpy() == 5.0
    r.assign(7.)
    assert v.numpy() == 7.0


def test_assign_add_sub_and_chaining():
    v = tf.Variable(1.)
    r = v.assign_add(1.).assign_add(1.)
    assert repr(r) == "<tf.Variable 'UnreadVariable' shape=() dtype=float32, numpy=3.0>"
    assert v.numpy() == 3.0
    assert type(v.assign_sub(1.)).__name__ == "_UnreadVariable"
    assert v.numpy() == 2.0
    v.assign_add(tf.constant(0.5))
    assert v.numpy() == 2.5
    v.assign_sub(np.float32(0.5))
    assert v.numpy() == 2.0


@pytest.mark.parametrize("method", ["assign", "assign_add", "assign_sub"])
def test_read_value_false_returns_none(method):
    v = tf.Variable(5.)
    assert getattr(v, method)(1., read_value=False) is None
    assert v.numpy() in (1.0, 6.0, 4.0)


def test_assign_accepts_tf_arguments():
    v = tf.Variable(1.)
    v.assign(2., use_locking=True, name="n")
    v.assign_add(1., use_locking=None, name=None)
    assert v.numpy() == 3.0


def test_earlier_reads_keep_old_values():
    v = tf.Variable([1., 2.])
    r = v.read_value()
    v.assign_add([1., 1.])
    assert r.numpy().tolist() == [1., 2.]
    assert v.numpy().tolist() == [2., 3.]


def test_assign_conversion():
    v = tf.Variable(1.)
    v.assign(2)
    assert v.dtype is tf.float32 and v.numpy() == 2.0
    v.assign(np.float64(2.5))
    assert v.numpy() == 2.5 and v.dtype is tf.float32
    i = tf.Variable(1)
    i.assign(np.float64(2.5))  # NumPy values are cast
    assert i.numpy() == 2
    assert (tf.Variable(0.1, dtype=tf.float64).assign(1.1)).numpy() == 1.1


@pytest.mark.parametrize("method, value, text", [
    ("assign", 2.5, "2.5"), ("assign", [2.5], "[2.5]"), ("assign_add", 2.5, "2.5"),
    ("assign_sub", 2.5, "2.5"),
])
def test_assign_float_into_int_variable(method, value, text):
    v = tf.Variable([1] if isinstance(value, list) else 1)
    with pytest.raises(TypeError) as e:
        getattr(v, method)(value)
    assert str(e.value) == f"Cannot convert {text} to EagerTensor of dtype int32"
    assert v.numpy().tolist() in (1, [1])


@pytest.mark.parametrize("method", ["assign", "assign_add"])
def test_assign_tensor_of_other_dtype(method):
    v = tf.Variable(1.)
    with pytest.raises(ValueError) as e:
        getattr(v, method)(tf.constant(1., tf.float64))
    assert str(e.value) == ("Tensor conversion requested dtype float32 for Tensor with dtype float64: "
                            "<tf.Tensor: shape=(), dtype=float64, numpy=1.0>")


def test_assign_shape_mismatch():
    v = tf.Variable(1., name="vv")
    with pytest.raises(ValueError) as e:
        v.assign([1., 2.])
    assert str(e.value) == ("Cannot assign value to variable ' vv:0': Shape mismatch.The variable shape "
                            "(), and the assigned value shape (2,) are incompatible.")
    w = tf.Variable([1., 2.], name="vv")
    with pytest.raises(ValueError) as e:
        w.assign(1.)  # no broadcasting
    assert str(e.value) == ("Cannot assign value to variable ' vv:0': Shape mismatch.The variable shape "
                            "(2,), and the assigned value shape () are incompatible.")
    assert v.numpy() == 1.0 and w.numpy().tolist() == [1., 2.]


@pytest.mark.parametrize("method, op, init, delta, old, new", [
    ("assign_add", "AssignAddVariableOp", 1., [1., 2.], "[]", "[2]"),
    ("assign_sub", "AssignSubVariableOp", [1., 2.], [1., 2., 3.], "[2]", "[3]"),
    ("assign_add", "AssignAddVariableOp", [1., 2.], 1., "[2]", "[]"),
])
def test_update_shape_mismatch(method, op, init, delta, old, new):
    v = tf.Variable(init, name="vv")
    with pytest.raises(InvalidArgumentError) as e:
        getattr(v, method)(delta)
    assert str(e.value) == (PREFIX % op + f"Cannot update variable with shape {old} using a Tensor "
                            f"with shape {new}, shapes must be equal. [Op:{op}] name: ")
    assert np.asarray(v).tolist() == init


def test_assignments_are_not_differentiable():
    x0 = tf.Variable(3.0)
    x1 = tf.Variable(0.0)
    with tf.GradientTape() as tape:
        x1.assign_add(x0)
        y = x1 ** 2
    g0, g1 = tape.gradient(y, [x0, x1])
    assert g0 is None
    assert g1.numpy() == 6.0


# --- comparison / hash ---------------------------------------------------------------------------

def test_equality_is_elementwise():
    r = tf.Variable([1., 2.]) == tf.Variable([1., 3.])
    assert type(r).__name__ == "EagerTensor"
    assert r.numpy().tolist() == [True, False]
    assert (tf.Variable([1., 2.]) != [1., 3.]).numpy().tolist() == [False, True]


def test_hash_and_ref():
    v = tf.Variable(2.0, name="x0")
    with pytest.raises(TypeError) as e:
        hash(v)
    assert str(e.value) == ("Variable is unhashable. Instead, use variable.ref() as the key. "
                            "(Variable: <tf.Variable 'x0:0' shape=() dtype=float32, numpy=2.0>)")
    assert v.ref().deref() is v
    assert {v.ref(): 1}[v.ref()] == 1
    assert tf.Variable(2.0).ref() != v.ref()


def test_python_max_returns_the_variable():
    vs = [tf.Variable(2.), tf.Variable(5.), tf.Variable(3.)]
    assert max(vs) is vs[1]


def test_variable_index_into_tensor():
    assert tf.constant([10, 20, 30])[tf.Variable(1)].numpy() == 20


def test_cast_of_variable():
    v = tf.Variable(1.)
    assert tf.cast(v, tf.float32) is v
    r = tf.cast(v, tf.float64)
    assert type(r).__name__ == "EagerTensor" and r.dtype is tf.float64
    with pytest.raises(TypeError, match=re.escape("unsupported")):
        "{:x}".format(v)


# --- updates read their Variable operands, are atomic, and honour a declared shape ----------------

def _watched_names(update):
    x0, x1 = tf.Variable([[1.0, 2.0]], name="x0"), tf.Variable([[3.0, 4.0], [5.0, 6.0]], name="x1")
    with tf.GradientTape() as tape:
        update(x0, x1)
    return [v.name for v in tape.watched_variables()]


@pytest.mark.parametrize("update,names", [  # what TF 2.21 answers for each
    (lambda x0, x1: x1.assign(tf.concat([x0, x0], 0)),
     ["x0:0", "x1:0"]),
    (lambda x0, x1: x1.assign_add(tf.concat([x0, x0], 0)), ["x0:0", "x1:0"]),
    (lambda x0, x1: x1.assign_sub(tf.concat([x0, x0], 0), read_value=False), ["x0:0"]),
    (lambda x0, x1: x0.assign(x0), ["x0:0"]),
    (lambda x0, x1: x1.scatter_update(tf.IndexedSlices(x0, [1])), ["x0:0", "x1:0"]),
    (lambda x0, x1: x1.scatter_add(tf.IndexedSlices(x0, [0])), ["x0:0", "x1:0"]),
    (lambda x0, x1: x1.scatter_nd_update([[1]], x0), ["x0:0", "x1:0"]),
    (lambda x0, x1: x1.scatter_nd_sub([[1, 1]], x0[0, :1]), ["x0:0", "x1:0"]),
])
def test_updates_record_the_read_of_a_variable_operand(update, names):
    assert _watched_names(update) == names


def test_assign_add_of_a_variable_as_tf():
    x0, x1 = tf.Variable(1.0, name="x0"), tf.Variable(2.0, name="x1")
    with tf.GradientTape() as tape:
        x1.assign_add(x0)
        y = x1 * 2
    assert [v.name for v in tape.watched_variables()] == ["x0:0", "x1:0"]
    assert tape.explain(y, x0).startswith("the path to the target goes through a Variable "
                                          "assignment at ")
    g0, g1 = tape.gradient(y, [x0, x1])
    assert g0 is None and float(g1) == 2.0


def test_scatter_updates_values_as_tf():
    def v():
        return tf.Variable([[1., 2.], [3., 4.], [5., 6.]])
    rows = tf.IndexedSlices(tf.constant([[1., 1.], [2., 2.]]), tf.constant([1, 1]))
    np.testing.assert_array_equal(v().scatter_add(rows).numpy(), [[1, 2], [6, 7], [5, 6]])
    np.testing.assert_array_equal(v().scatter_update(tf.IndexedSlices(tf.constant(9.), [1]))
                                  .numpy(), [[1, 2], [9, 9], [5, 6]])
    one = tf.IndexedSlices(tf.constant([[2., 0.]]), tf.constant([0]))
    np.testing.assert_array_equal(v().scatter_mul(one).numpy()[0], [2, 0])
    np.testing.assert_array_equal(v().scatter_max(one).numpy()[0], [2, 2])
    np.testing.assert_array_equal(v().scatter_min(one).numpy()[0], [1, 0])
    np.testing.assert_array_equal(v().scatter_sub(one).numpy()[0], [-1, 2])
    np.testing.assert_array_equal(v().scatter_div(tf.IndexedSlices(tf.constant([[2., 4.]]), [0]))
                                  .numpy()[0], [0.5, 0.5])
    with pytest.raises(tf.errors.InvalidArgumentError, match="updates must not contain 0 "
                                                             r"\[Op:ResourceScatterDiv\] name: $"):
        v().scatter_div(one)
    np.testing.assert_array_equal(v().scatter_nd_add([[1, 0], [1, 0]], [7., 1.]).numpy()[1],
                                  [11, 4])
    np.testing.assert_array_equal(v().scatter_nd_update([[2]], [[7., 8.]]).numpy()[2], [7, 8])
    assert repr(v().scatter_nd_sub([[0, 0]], [1.])).startswith("<tf.Variable 'UnreadVariable'")


def test_scatter_update_errors_as_tf():
    v = tf.Variable([[1., 2.], [3., 4.], [5., 6.]])
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        v.scatter_update(tf.IndexedSlices(tf.constant([[9., 9.]]), tf.constant([5])))
    assert str(e.value) == ("{{function_node __wrapped__ResourceScatterUpdate_device_/job:localhost/"
                            "replica:0/task:0/device:CPU:0}} indices[0] = 5 is not in [0, 3) "
                            "[Op:ResourceScatterUpdate] name: ")
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        v.scatter_nd_update([[5, 0]], [7.])
    assert str(e.value) == ("{{function_node __wrapped__ResourceScatterNdUpdate_device_/job:"
                            "localhost/replica:0/task:0/device:CPU:0}} indices[0] = [5, 0] does "
                            "not index into shape [3,2] [Op:ResourceScatterNdUpdate]")
    with pytest.raises(TypeError, match=r"^Argument `sparse_delta` must be a `tf.IndexedSlices`. "
                                        r"Received arg: \[1, 2\]$"):
        v.scatter_update([1, 2])
    with pytest.raises(ValueError, match="^Tensor conversion requested dtype float32 for Tensor "
                                         "with dtype int32"):
        v.scatter_update(tf.IndexedSlices(tf.constant([[9, 9]]), tf.constant([1])))
    np.testing.assert_array_equal(v.numpy(), [[1, 2], [3, 4], [5, 6]])  # nothing changed


def test_concurrent_updates_are_never_lost():
    import threading
    v = tf.Variable(0.0)
    w = tf.Variable(np.zeros(3, np.float32))

    def work():
        for _ in range(2000):
            v.assign_add(1.0)
            w.scatter_add(tf.IndexedSlices(tf.constant([1.0]), tf.constant([1])))
    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert float(v) == 8000.0
    np.testing.assert_array_equal(w.numpy(), [0, 8000, 0])


def test_declared_shape_is_honoured():
    v = tf.Variable([1., 2.], shape=tf.TensorShape(None))
    assert v.shape == tf.TensorShape(None) and v.shape.rank is None
    assert repr(v) == ("<tf.Variable 'Variable:0' shape=<unknown> dtype=float32, "
                       "numpy=array([1., 2.], dtype=float32)>")
    v.assign([1., 2., 3.])
    np.testing.assert_array_equal(v.numpy(), [1, 2, 3])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Cannot update variable with shape "
                                                             r"\[3\] using a Tensor with shape "
                                                             r"\[2\]"):
        v.assign_add([1., 1.])
    p = tf.Variable([[1., 2.]], shape=tf.TensorShape([None, 2]))
    p.assign([[1., 2.], [3., 4.]])
    assert p.shape.as_list() == [None, 2]
    with pytest.raises(ValueError) as e:
        p.assign([1., 2., 3.])
    assert str(e.value) == ("Cannot assign value to variable ' Variable:0': Shape mismatch.The "
                            "variable shape (None, 2), and the assigned value shape (3,) are "
                            "incompatible.")
    with pytest.raises(ValueError) as e:
        tf.Variable([1., 2.], shape=(3,))
    assert str(e.value) == ("In this `tf.Variable` creation, the initial value's shape ((2,)) is "
                            "not compatible with the explicitly supplied `shape` argument ((3,)).")
    assert tf.Variable([1., 2.], shape=(2,)).shape == (2,)


def test_initial_value_is_graph_only_as_in_tf():
    v = tf.Variable([1., 2.])
    with pytest.raises(RuntimeError, match="^This property is not supported when eager execution "
                                           "is enabled.$"):
        v.initial_value
