"""tf.function: tracing, the trace cache, concrete functions, executing graphs (issue #9).

Expected texts and values are what TF 2.21 prints for the same snippets.
"""

import numpy as np
import pytest

import tapeflow as tf


def test_traces_once_per_dtype_and_prints_at_trace_time_only(capsys):
    @tf.function
    def double(a):
        print("Tracing with", a)
        return a + a

    assert double(tf.constant(1)).numpy() == 2
    assert double(tf.constant(1.1)).numpy() == np.float32(2.2)
    assert double(tf.constant(3)).numpy() == 6
    out = capsys.readouterr().out
    assert out == ('Tracing with Tensor("a:0", shape=(), dtype=int32)\n'
                   'Tracing with Tensor("a:0", shape=(), dtype=float32)\n')
    assert double.experimental_get_tracing_count() == 2
    assert double.pretty_printed_concrete_signatures() == (
        "Input Parameters:\n"
        "  a (POSITIONAL_OR_KEYWORD): TensorSpec(shape=(), dtype=tf.int32, name=None)\n"
        "Output Type:\n"
        "  TensorSpec(shape=(), dtype=tf.int32, name=None)\n"
        "Captures:\n"
        "  None\n\n"
        "Input Parameters:\n"
        "  a (POSITIONAL_OR_KEYWORD): TensorSpec(shape=(), dtype=tf.float32, name=None)\n"
        "Output Type:\n"
        "  TensorSpec(shape=(), dtype=tf.float32, name=None)\n"
        "Captures:\n"
        "  None")


def test_python_arguments_retrace_by_value_and_objects_by_identity(capsys):
    @tf.function
    def f(x, n):
        print("trace", n)
        return x * n

    x = tf.constant(2.0)
    f(x, 1.0)
    f(x, 1.0)
    f(x, 2.0)
    assert f.experimental_get_tracing_count() == 2

    class Box:
        scale = tf.constant(3.0)

    @tf.function
    def g(box):
        return box.scale * 2.0

    a, b = Box(), Box()
    g(a)
    g(a)
    g(b)
    assert g.experimental_get_tracing_count() == 2
    assert capsys.readouterr().out == "trace 1.0\ntrace 2.0\n"


def test_input_signature_fixes_one_trace_and_rejects_others():
    @tf.function(input_signature=(tf.TensorSpec(shape=[None], dtype=tf.int32),))
    def collatz(x):
        return tf.where(x % 2 == 0, x // 2, 3 * x + 1)

    assert collatz(tf.constant([1, 2])).numpy().tolist() == [4, 1]
    assert collatz(tf.constant([1, 2, 3, 4])).numpy().tolist() == [4, 1, 10, 2]
    assert collatz.experimental_get_tracing_count() == 1
    with pytest.raises(TypeError) as e:
        collatz(tf.constant([[1, 2], [3, 4]]))
    assert str(e.value).startswith(
        "Binding inputs to tf.function failed due to `Can not cast TensorSpec(shape=(2, 2), "
        "dtype=tf.int32, name=None) to TensorSpec(shape=(None,), dtype=tf.int32, name=None)`. "
        "Received args: (<tf.Tensor: shape=(2, 2), dtype=int32, numpy=")
    assert str(e.value).endswith(
        "and kwargs: {} for signature: (x: TensorSpec(shape=(None,), dtype=tf.int32, "
        "name=None)).")
    with pytest.raises(TypeError):
        collatz(tf.constant([1.0, 2.0]))


def test_reduce_retracing_generalizes_shapes(capsys):
    @tf.function(reduce_retracing=True)
    def g(x):
        print("Tracing with", x)
        return x

    for n in (3, 5, 7, 9):
        assert g(tf.range(n)).shape == (n,)
    assert capsys.readouterr().out == (
        'Tracing with Tensor("x:0", shape=(3,), dtype=int32)\n'
        'Tracing with Tensor("x:0", shape=(None,), dtype=int32)\n')


def test_symbolic_tensors_behave_as_graph_tensors():
    seen = {}

    @tf.function
    def f(x):
        seen["repr"] = repr(x)
        with pytest.raises(AttributeError):
            x.numpy()
        with pytest.raises(tf.errors.OperatorNotAllowedInGraphError) as e:
            bool(x > 0)
        seen["bool"] = str(e.value)
        with pytest.raises(NotImplementedError):
            np.asarray(x)
        return x + 1

    f(tf.constant([1.0, 2.0]))
    assert seen["repr"] == "<tf.Tensor 'x:0' shape=(2,) dtype=float32>"
    assert seen["bool"].startswith("Using a symbolic `tf.Tensor` as a Python `bool` is not "
                                   "allowed.")


def test_leaked_tensor_is_out_of_scope():
    leak = {}

    @tf.function
    def leaky(a):
        leak["x"] = a + 1
        return a + 2

    assert leaky(tf.constant(1)).numpy() == 3
    with pytest.raises(AttributeError, match="'SymbolicTensor' object has no attribute 'numpy'"):
        leak["x"].numpy()

    @tf.function
    def uses(b):
        return b + leak["x"]

    with pytest.raises(TypeError, match="is out of scope and cannot be used here"):
        uses(tf.constant(2))


def test_variables_read_at_call_time_and_assigns_in_order():
    v = tf.Variable(1.0)

    @tf.function
    def f(x):
        a = v * x
        v.assign_add(1.0)
        b = v * x
        v.assign(v * 10.0)
        return a, b, v.read_value()

    a, b, c = f(tf.constant(2.0))
    assert (a.numpy(), b.numpy(), c.numpy(), v.numpy()) == (2.0, 4.0, 20.0, 20.0)
    v.assign(3.0)
    a, b, c = f(tf.constant(1.0))
    assert (a.numpy(), b.numpy(), c.numpy()) == (3.0, 4.0, 40.0)
    assert f.experimental_get_tracing_count() == 1


def test_variables_only_on_first_trace():
    @tf.function
    def f(x):
        return tf.Variable(1.0) + x

    with pytest.raises(ValueError, match="tf.function only supports singleton tf.Variables "
                                         "created on the first call"):
        f(1.0)

    class Count(tf.Module):
        def __init__(self):
            self.count = None

        @tf.function
        def __call__(self):
            if self.count is None:
                self.count = tf.Variable(0)
            return self.count.assign_add(1)

    c = Count()
    assert str(c()) == "tf.Tensor(1, shape=(), dtype=int32)"
    assert str(c()) == "tf.Tensor(2, shape=(), dtype=int32)"


def test_train_step_with_inner_tape_matches_eager_bit_for_bit():
    rng = np.random.default_rng(0)
    x = tf.constant(rng.standard_normal((8, 5)).astype(np.float32))
    y = tf.constant(rng.standard_normal((8, 3)).astype(np.float32))

    def make():
        return (tf.Variable(rng.standard_normal((5, 3)).astype(np.float32)), tf.Variable(
            np.zeros(3, np.float32)))

    def step(w, b):
        with tf.GradientTape() as tape:
            pred = tf.nn.relu(x @ w + b)
            loss = tf.reduce_mean(tf.square(pred - y))
        gw, gb = tape.gradient(loss, [w, b])
        w.assign_sub(0.1 * gw)
        b.assign_sub(0.1 * gb)
        return loss

    w1, b1 = make()
    w2, b2 = tf.Variable(w1), tf.Variable(b1)
    compiled = tf.function(step)
    for _ in range(3):
        eager_loss = step(w1, b1)
        graph_loss = compiled(w2, b2)
        assert eager_loss.numpy().tobytes() == graph_loss.numpy().tobytes()
    assert w1.numpy().tobytes() == w2.numpy().tobytes()
    assert compiled.experimental_get_tracing_count() == 1


def test_tape_outside_differentiates_through_the_call():
    @tf.function
    def f(a, b):
        return tf.reduce_sum(a * b + tf.sin(a))

    v = tf.Variable([1.0, 2.0])
    c = tf.constant([3.0, 4.0])
    with tf.GradientTape() as tape:
        tape.watch(c)
        out = f(v, c)
    gv, gc = tape.gradient(out, [v, c])
    np.testing.assert_allclose(gv.numpy(), [3 + np.cos(1), 4 + np.cos(2)], rtol=1e-6)
    np.testing.assert_allclose(gc.numpy(), [1.0, 2.0])


def test_concrete_function_api():
    @tf.function
    def double(a):
        return a + a

    cf = double.get_concrete_function(tf.constant("a"))
    assert cf(tf.constant("b")).numpy() == b"bb"
    assert cf(a=tf.constant("c")).numpy() == b"cc"
    assert str(cf.function_type) == ("(a: TensorSpec(shape=(), dtype=tf.string, name=None)) -> "
                                     "TensorSpec(shape=(), dtype=tf.string, name=None)")
    assert [f"{n.input} -> {n.name}" for n in cf.graph.as_graph_def().node] == [
        "[] -> a", "['a', 'a'] -> add", "['add'] -> Identity"]
    assert [op.type for op in cf.graph.get_operations()] == ["Placeholder", "Add"]  # strings: TF's Add
    assert cf.structured_input_signature == (
        (tf.TensorSpec(shape=(), dtype=tf.string, name="a"),), {})
    with pytest.raises(tf.errors.InvalidArgumentError, match="was expected to be a string "
                                                             "tensor but is a int32 tensor"):
        cf(tf.constant(1))
    spec_cf = double.get_concrete_function(tf.TensorSpec(shape=[], dtype=tf.string))
    assert spec_cf is cf
    assert double.python_function(tf.constant(2)).numpy() == 4

    @tf.function
    def power(a, b):
        return a ** b

    square = power.get_concrete_function(a=tf.TensorSpec(None, tf.float32), b=2)
    assert str(square).splitlines()[1:3] == [
        "  a (POSITIONAL_OR_KEYWORD): TensorSpec(shape=<unknown>, dtype=tf.float32, name=None)",
        "  b (POSITIONAL_OR_KEYWORD): Literal[2]"]
    assert square(tf.constant(10.0)).numpy() == 100.0
    with pytest.raises(TypeError):
        square(tf.constant(10.0), b=3)


def test_run_functions_eagerly(capsys):
    @tf.function
    def f(x):
        print("python")
        return x + 1

    tf.config.run_functions_eagerly(True)
    try:
        f(1)
        f(1)
    finally:
        tf.config.run_functions_eagerly(False)
    assert capsys.readouterr().out == "python\npython\n"
    assert f.experimental_get_tracing_count() == 0


def test_methods_trace_per_instance():
    class M(tf.Module):
        def __init__(self, k):
            self.k = tf.Variable(k)

        @tf.function(jit_compile=True)
        def __call__(self, x):
            return self.k * x

    a, b = M(2.0), M(3.0)
    assert a(tf.constant(1.0)).numpy() == 2.0
    assert b(tf.constant(1.0)).numpy() == 3.0


def test_program_frees_buffers_and_reports_graph_errors():
    @tf.function
    def f(x, i):
        y = tf.exp(x)
        return tf.gather(y, i)

    cf = f.get_concrete_function(tf.constant([1.0, 2.0]), tf.constant(0))
    assert "del " in cf._program.source
    assert f(tf.constant([0.0, 1.0]), tf.constant(0)).numpy() == 1.0
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        f(tf.constant([0.0, 1.0]), tf.constant(5))
    assert "Graph execution error:" in str(e.value)
    assert "test_function.py" in str(e.value)


def test_tape_outside_records_one_call_op_with_a_cached_traced_gradient():
    w = tf.Variable(2.0)

    @tf.function
    def f(x):
        return tf.reduce_sum(tf.sin(x) * w)

    x = tf.constant([0.5, 1.5])
    for _ in range(2):
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            y = f(x)
        assert [e[0].name for e in tape._entries].count("PartitionedCall") == 1
        gx, gw = tape.gradient(y, [x, w])
        np.testing.assert_allclose(gx.numpy(), 2 * np.cos([0.5, 1.5]), rtol=1e-6)
        np.testing.assert_allclose(gw.numpy(), np.sin(0.5) + np.sin(1.5), rtol=1e-6)
    backward = f.get_concrete_function(x)._call_prim.vjps[0]
    assert backward is not None
    jac = tape.jacobian(y, x)  # jacobians and second order go through the same op
    np.testing.assert_allclose(jac.numpy(), 2 * np.cos([0.5, 1.5]), rtol=1e-6)


def test_first_call_results_are_never_stale():
    v = tf.Variable(1.0)

    @tf.function
    def f(x):
        return x * v

    x = tf.constant(2.0)
    f.get_concrete_function(x)
    v.assign(5.0)
    assert f(x).numpy() == 10.0
    with tf.GradientTape():
        g = tf.function(lambda x: x * v)
        assert g(x).numpy() == 10.0  # traced under a tape
    v.assign(3.0)
    assert g(x).numpy() == 6.0


def test_config_devices():
    assert tf.config.list_physical_devices("GPU") == []
    assert repr(tf.config.list_physical_devices()) == (
        "[PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')]")


def test_inside_function_is_symbolic_tensor_control_dependencies_vectorized_map():
    # Compared with TF 2.21: False eagerly, True/True while tracing, the same values.
    seen = []
    assert tf.inside_function() is False

    @tf.function
    def f(x):
        seen.append((tf.inside_function(), tf.is_symbolic_tensor(x)))
        with tf.control_dependencies([x]):
            y = x + 1
        return tf.vectorized_map(lambda r: r * 2.0, y)

    np.testing.assert_array_equal(f(tf.ones([2, 3])).numpy(), np.full((2, 3), 4.0, np.float32))
    assert seen == [(True, True)]
    assert tf.is_symbolic_tensor(tf.ones(1)) is False
    with pytest.raises(TypeError, match="'int' object is not iterable"):
        tf.control_dependencies(3)


def test_keyword_arguments_bind_to_their_own_parameters():
    """Given by name with defaults before them, as TF 2.21 binds them (and its error for a
    missing one, where tapeflow used to shift the defaults into the wrong places)."""
    f = tf.function(tf.random.stateless_normal)
    np.testing.assert_array_equal(f(shape=[2], seed=[1, 2], dtype=tf.float32),
                                  np.float32([0.5441101, 0.20738031]))  # TF's values

    def g(a, b=2.0, c=1.0):
        return a - b * c

    assert float(tf.function(g)(tf.constant(1.0), c=3.0)) == -5.0

    def h(x, *, k=2, j):
        return x * k + j

    assert float(tf.function(h)(tf.constant(1.0), j=3.0)) == 5.0

    def needs(a, b, c=1):
        return b

    with pytest.raises(TypeError) as e:
        tf.function(needs)(b=tf.constant(1.0))
    assert str(e.value) == (
        "Binding inputs to tf.function failed due to `missing a required argument: 'a'`. "
        "Received args: () and kwargs: {'b': <tf.Tensor: shape=(), dtype=float32, numpy=1.0>} "
        "for signature: (a, b, c=<captured_default_value>).")


def test_executing_eagerly_is_false_while_tracing():
    seen = []

    @tf.function
    def f(x):
        seen.append(tf.executing_eagerly())
        return x

    f(tf.constant(1.0))
    tf.config.run_functions_eagerly(True)
    try:
        f(tf.constant(2.0))
    finally:
        tf.config.run_functions_eagerly(False)
    assert seen == [False, True] and tf.executing_eagerly()  # as TF 2.21
