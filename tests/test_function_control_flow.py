"""Control flow eagerly and in tf.function graphs, tf.print/py_function/init_scope, AutoGraph.

Expected texts are what TF 2.21 prints for the same snippets (issue #9)."""

import numpy as np
import pytest

import tapeflow as tf


def test_cond_eager_and_graph_and_gradient():
    def f(x):
        return tf.cond(x > 0, lambda: x * x, lambda: -3.0 * x)

    g = tf.function(f)
    for v in (2.0, -1.0):
        x = tf.constant(v)
        assert g(x).numpy() == f(x).numpy()

    @tf.function
    def grad(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = f(x)
        return tape.gradient(y, x)

    assert grad(tf.constant(2.0)).numpy() == 4.0
    assert grad(tf.constant(-1.0)).numpy() == -3.0
    assert grad.experimental_get_tracing_count() == 1
    with tf.GradientTape() as tape:  # a tape outside the call
        x = tf.constant(3.0)
        tape.watch(x)
        y = g(x)
    assert tape.gradient(y, x).numpy() == 6.0


def test_switch_case_and_case():
    fns = [lambda: tf.constant(10), lambda: tf.constant(20)]

    @tf.function
    def pick(i):
        return tf.switch_case(i, fns, default=lambda: tf.constant(-1))

    assert [pick(tf.constant(k)).numpy() for k in (0, 1, 7)] == [10, 20, -1]
    x = tf.constant(5)
    out = tf.case([(x < 0, lambda: tf.constant(0)), (x < 10, lambda: tf.constant(1))],
                  default=lambda: tf.constant(2))
    assert out.numpy() == 1


def test_while_loop_graph_matches_eager_and_checks_shapes():
    def collatz_steps(n):
        def body(i, n):
            return i + 1, tf.where(n % 2 == 0, n // 2, 3 * n + 1)
        return tf.while_loop(lambda i, n: n > 1, body, (tf.constant(0), n))[0]

    g = tf.function(collatz_steps)
    assert g(tf.constant(27)).numpy() == collatz_steps(tf.constant(27)).numpy() == 111
    assert g(tf.constant(6)).numpy() == 8
    assert g.experimental_get_tracing_count() == 1

    @tf.function
    def limited(x):
        return tf.while_loop(lambda i: i < 100, lambda i: i + 1, [x], maximum_iterations=7)

    assert limited(tf.constant(0))[0].numpy() == 7

    @tf.function
    def grows(x):
        return tf.while_loop(lambda i: tf.size(i) < 8, lambda i: (tf.concat([i, i], 0),),
                             [x])

    with pytest.raises(ValueError, match=r"enters the loop with shape \(1,\), but has shape "
                                         r"\(2,\) after one iteration"):
        grows(tf.constant([1]))

    @tf.function
    def grows_ok(x):
        return tf.while_loop(lambda i: tf.size(i) < 8, lambda i: (tf.concat([i, i], 0),),
                             [x], shape_invariants=[tf.TensorShape([None])])

    assert grows_ok(tf.constant([1]))[0].numpy().tolist() == [1] * 8


def test_tensor_array_in_a_graph_loop():
    @tf.function
    def cumulative(x):
        ta = tf.TensorArray(tf.float32, size=x.shape[0])
        total = tf.constant(0.0)
        for i in tf.range(x.shape[0]):
            total += x[i]
            ta = ta.write(i, total)
        return ta.stack()

    x = tf.constant([1.0, 2.0, 3.0, 4.0])
    assert cumulative(x).numpy().tolist() == [1.0, 3.0, 6.0, 10.0]
    ta = tf.TensorArray(tf.int32, size=2).write(0, 5).write(1, 6)
    assert ta.stack().numpy().tolist() == [5, 6]
    assert ta.read(1).numpy() == 6


def test_map_fn_scan_folds():
    x = tf.constant([1.0, 2.0, 3.0])
    assert tf.map_fn(lambda v: v * 2, x).numpy().tolist() == [2.0, 4.0, 6.0]
    assert tf.scan(lambda a, v: a + v, x).numpy().tolist() == [1.0, 3.0, 6.0]
    assert tf.foldl(lambda a, v: a - v, x, initializer=0.0).numpy() == -6.0
    assert tf.foldr(lambda a, v: a * 10 + v, x, initializer=0.0).numpy() == 321.0
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(tf.function(lambda v: tf.map_fn(tf.square, v))(x))
    assert tape.gradient(y, x).numpy().tolist() == [2.0, 4.0, 6.0]


def test_print_runs_every_call_python_print_at_trace(capsys):
    @tf.function
    def f(x):
        print("Traced with", x)
        tf.print("Executed with", x)

    f(1)
    f(1)
    f(2)
    captured = capsys.readouterr()
    assert captured.out == "Traced with 1\nTraced with 2\n"
    assert captured.err == "Executed with 1\nExecuted with 1\nExecuted with 2\n"
    tf.print(tf.constant([0.46211716, 2.0]), tf.constant([[1, 2], [3, 4]]), "s", tf.range(20))
    assert capsys.readouterr().err == ("[0.462117165 2] [[1 2]\n [3 4]] s "
                                       "[0 1 2 ... 17 18 19]\n")


def test_py_function_runs_at_call_time(capsys):
    @tf.py_function(Tout=tf.float32)
    def py_plus(x, y):
        print("Executing eagerly.")
        return x + y

    @tf.function
    def wrapper(x, y):
        print("Tracing.")
        return py_plus(x, y)

    assert wrapper(tf.constant(1.0), tf.constant(2.0)).numpy() == 3.0
    assert wrapper(tf.constant(1.0), tf.constant(5.0)).numpy() == 6.0
    assert capsys.readouterr().out == "Tracing.\nExecuting eagerly.\nExecuting eagerly.\n"
    out = tf.numpy_function(lambda a: (a * 2).astype(np.int64), [tf.constant([1, 2])], tf.int64)
    assert out.numpy().tolist() == [2, 4]


def test_init_scope_runs_eagerly_once():
    class Model(tf.Module):
        def __init__(self):
            self.v = tf.Variable(0)
            self.counter = 0

        @tf.function
        def __call__(self):
            if self.counter == 0:
                with tf.init_scope():
                    self.counter += 1
                    self.v.assign_add(1)
            return self.v

    m = Model()
    assert [m().numpy() for _ in range(3)] == [1, 1, 1]


def test_random_ops_draw_new_values_every_call():
    @tf.function
    def draw():
        return tf.random.uniform([4])

    a, b = draw().numpy(), draw().numpy()
    assert not np.array_equal(a, b)


def test_autograph_if_while_for_and_their_errors(capsys):
    @tf.function
    def fizzbuzz(n):
        for i in tf.range(1, n + 1):
            if i % 15 == 0:
                tf.print("fizzbuzz")
            elif i % 3 == 0:
                tf.print("fizz")
            elif i % 5 == 0:
                tf.print("buzz")
            else:
                tf.print(i)

    fizzbuzz(tf.constant(5))
    assert capsys.readouterr().err == "1\n2\nfizz\n4\nbuzz\n"

    @tf.function
    def f(x):
        while tf.reduce_sum(x) > 1:
            x = tf.tanh(x)
        return x

    out = f(tf.constant([1.0, 1.0]))
    assert float(tf.reduce_sum(out)) <= 1

    @tf.function
    def early(x):
        if x > 0:
            return x * 2
        y = x - 1
        return y

    assert early(tf.constant(3)).numpy() == 6 and early(tf.constant(-3)).numpy() == -4

    @tf.function
    def python_if(x, flag):
        if flag:
            x = x + 1
        return x

    assert python_if(tf.constant(1), True).numpy() == 2

    @tf.function
    def one_branch(x):
        if x > 0:
            y = 1
        return y

    with pytest.raises(ValueError, match="'y' must also be initialized in the else branch"):
        one_branch(tf.constant(3))

    @tf.function
    def dtypes_differ(x):
        if x > 0:
            y = 1
        else:
            y = 2.0
        return y

    with pytest.raises(TypeError, match="'y' has dtype int32 in the main branch, but dtype "
                                        "float32 in the else branch"):
        dtypes_differ(tf.constant(3))

    @tf.function
    def shape_changes(x):
        i = tf.constant(0)
        while i < x:
            i = tf.concat([[i], [i]], 0)
        return i

    with pytest.raises(ValueError, match=r"'i' has shape \(\) before the loop, but shape "
                                         r"\(2,\) after one iteration"):
        shape_changes(tf.constant(3))

    code = tf.autograph.to_code(f.python_function)
    assert "while_stmt" in code and code.startswith("def f(x):")

    @tf.function(autograph=False)
    def no_autograph(x):
        if x > 0:
            return x
        return -x

    with pytest.raises(tf.errors.OperatorNotAllowedInGraphError):
        no_autograph(tf.constant(1))


def test_for_over_a_dataset_and_next_of_an_iterator_run_in_the_graph(capsys):
    @tf.function
    def total(dataset):
        loss = tf.constant(0)
        for x, y in dataset:
            loss += tf.abs(y - x)
        return loss

    ds = tf.data.Dataset.from_tensor_slices(([1, 2, 3], [4, 6, 8]))
    assert total(ds).numpy() == 12
    graph = total.get_concrete_function(ds).graph
    assert len(graph.as_graph_def().node) < 10  # one loop op, not one per element

    @tf.function
    def consume(iterator):
        tf.print("Value:", next(iterator))

    iterator = iter(tf.data.Dataset.from_tensor_slices([1, 2, 3]))
    for _ in range(3):
        consume(iterator)
    assert capsys.readouterr().err == "Value: 1\nValue: 2\nValue: 3\n"


def test_gradients_through_graph_loops_and_branches_reach_variables():
    w = tf.Variable(1.3)

    def f(x):
        def body(i, x):
            x = tf.cond(i % 2 == 0, lambda: tf.tanh(x * w), lambda: x * w)
            return i + 1, x
        return tf.reduce_sum(tf.while_loop(lambda i, x: i < 3, body, (tf.constant(0), x))[1])

    def grads(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = f(x)
        return tape.gradient(y, [x, w])

    x = tf.constant([0.5, -0.2])
    eager = grads(x)
    traced = tf.function(grads)(x)
    for a, b in zip(eager, traced):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-6)


def test_break_continue_and_branches_passing_values_through():
    def count(n):
        total = tf.constant(0)
        i = tf.constant(0)
        while i < n:
            i += 1
            if i % 2 == 0:
                continue
            if i > 7:
                break
            total += i
        return total, i

    total, i = tf.function(count)(tf.constant(20))
    assert (total.numpy(), i.numpy()) == (16, 9)

    @tf.function
    def until_negative(x):
        s = tf.constant(0.0)
        for v in x:
            if v < 0:
                break
            s += v
        return s

    assert until_negative(tf.constant([1.0, 2.0, -1.0, 5.0])).numpy() == 3.0

    @tf.function
    def python_loop(n):
        out = []
        for i in range(n):
            if i == 3:
                continue
            if i == 6:
                break
            out.append(i)
        return out

    assert [t.numpy() for t in python_loop(10)] == [0, 1, 2, 4, 5]


def _helper(x):
    if x > 0 and x < 10:
        return x * 2
    return -x


def test_called_functions_and_boolean_operators_are_converted(capsys):
    @tf.function
    def f(x):
        y = _helper(x)
        if not y > 5:
            y = y + 100
        return y

    assert [f(tf.constant(v)).numpy() for v in (3, 1, 20)] == [6, 102, 80]

    @tf.function
    def recursive_fn(n):
        if n > 0:
            print("tracing")
            return recursive_fn(n - 1)
        return 1

    assert recursive_fn(3).numpy() == 1
    assert capsys.readouterr().out == "tracing\n" * 3
    with pytest.raises(Exception, match="maximum recursion depth exceeded"):
        recursive_fn(tf.constant(5))


def test_conditional_expressions_and_lambdas_are_converted():
    def magnitude(x):
        return x if x > 0 else -x
    f = tf.function(magnitude)
    assert [f(tf.constant(v)).numpy() for v in (-2.0, 3.0)] == [2.0, 3.0]
    assert len(f._traces) == 1  # one graph: the condition is a tensor (a tf.cond)
    assert f(2).numpy() == 2  # a Python condition chooses while tracing, as Python does
    g = tf.function(lambda x: x * 2 if x > 0 else x - 1)
    assert [g(tf.constant(v)).numpy() for v in (-2, 3)] == [-3, 6]
    # a lambda written inside a larger statement over several lines
    fns = [tf.function(lambda x: x + 1),
           tf.function(lambda x: x * 3 if x < 0 else x)]
    assert fns[0](tf.constant(1)).numpy() == 2 and fns[1](tf.constant(-1)).numpy() == -3
    # two lambdas on one line with one signature cannot be told apart: they run as written
    a, b = tf.function(lambda x: x + 1), tf.function(lambda x: x - 1)
    assert (a(tf.constant(1)).numpy(), b(tf.constant(1)).numpy()) == (2, 0)
    code = tf.autograph.to_code(lambda x: x if x > 0 else -x)
    assert "ag__.if_exp(x > 0, lambda: x, lambda: -x)" in code
    # defaults keep the values they were given (a loop variable bound as a default: its name
    # means nothing where the converted function is made)
    scaled = []
    for k in (2.0, 3.0):
        fn = tf.function(lambda x, k=k: x * k, input_signature=[tf.TensorSpec([None])])
        scaled.append(fn(tf.ones([1])).numpy()[0])

    def add(x, *, amount=len(scaled)):
        return x + amount

    assert scaled == [2.0, 3.0] and tf.function(add)(tf.constant(1)).numpy() == 3


def test_kernel_errors_are_the_running_graphs_and_unused_ops_never_fail():
    """As TF: a kernel's error on values (an index out of range) is raised when the graph runs,
    with TF's graph-error text, and only if the op is needed: an unused op is pruned."""
    @tf.function
    def unused(x):
        tf.gather(x, [1])  # fails for a one-element x, but nothing needs it
        return x
    assert unused(tf.constant([0.0])).numpy().tolist() == [0.0]
    with pytest.raises(tf.errors.InvalidArgumentError, match="indices"):
        tf.gather(tf.constant([0.0]), [1])  # eagerly every op runs

    @tf.function
    def used(x, i):
        return tf.gather(x, i)
    assert used(tf.constant([1.0, 2.0]), tf.constant([1])).numpy().tolist() == [2.0]
    for bad in (-1, 5):  # negative indices fail too (NumPy would wrap them)
        with pytest.raises(tf.errors.InvalidArgumentError) as e:
            used(tf.constant([1.0, 2.0]), tf.constant([bad]))
        text = str(e.value)
        assert text.startswith("Graph execution error:\n\nDetected at node GatherV2 defined at")
        assert text.endswith(f"indices[0] = {bad} is not in [0, 2)\n\t [[{{{{node GatherV2}}}}]] "
                             f"[Op:{used.get_concrete_function(tf.constant([1.0, 2.0]), tf.constant([1])).name}]")
