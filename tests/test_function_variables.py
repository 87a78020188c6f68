"""tf.function with tf.Variable arguments: what each snippet of function_variable_cases.py
prints under tapeflow equals what TF 2.21 printed (tests/fixtures/function_variables, recorded
by tools/record_function_variable_fixtures.py)."""

import json
import pathlib

import pytest

import tapeflow as tf
from function_variable_cases import CASES, run_case

FIXTURE = pathlib.Path(__file__).parent / "fixtures" / "function_variables" / "cases.json"
RECORDED = json.loads(FIXTURE.read_text())["cases"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_prints_as_tf(name):
    assert run_case(tf, CASES[name]) == RECORDED[name]


def test_one_trace_serves_every_variable_of_its_spec():
    """The trace's program runs on the call's variable: reads, updates and a second trace's
    absence, checked on values tapeflow computes (not recorded)."""
    calls = []

    @tf.function
    def bump(v, d):
        calls.append(1)
        v.assign_add(d)
        return v.read_value()

    vs = [tf.Variable([float(i), 0.0]) for i in range(5)]
    for i, v in enumerate(vs):
        assert bump(v, tf.constant([1.0, 2.0])).numpy().tolist() == [i + 1.0, 2.0]
    assert [v.numpy().tolist() for v in vs] == [[i + 1.0, 2.0] for i in range(5)]
    assert len(calls) == bump.experimental_get_tracing_count() == 1


def test_each_call_acts_on_its_own_variable():
    """After a call on another variable, the concrete function acts on the one it is given."""
    @tf.function
    def double(v):
        v.assign(v * 2.0)
        return v.read_value()

    a, b = tf.Variable(1.0), tf.Variable(5.0)
    cf = double.get_concrete_function(a)
    assert float(cf(b)) == 10.0 and float(a.numpy()) == 1.0
    assert float(cf(a)) == 2.0 and float(b.numpy()) == 10.0


def test_replayed_inside_another_trace_and_under_a_persistent_tape():
    @tf.function
    def scaled(v, x):
        return v * x

    @tf.function
    def outer(v, w, x):
        return scaled(v, x) + scaled(w, x)

    a, b = tf.Variable(2.0), tf.Variable(3.0)
    x = tf.constant(4.0)
    assert float(outer(a, b, x)) == 20.0
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        ya, yb = scaled(a, x), scaled(b, x)
    assert float(tape.gradient(yb, b)) == 4.0 and float(tape.gradient(ya, a)) == 4.0
    assert tape.gradient(ya, b) is None and float(tape.gradient(yb, x)) == 3.0
    assert scaled.experimental_get_tracing_count() == 1


def test_saved_model_leaves_out_traces_taking_variables(tmp_path):
    """As TF: saving works, and the loaded function cannot be called with a Variable (TF's
    'Could not find matching concrete function' ValueError)."""
    class Holder(tf.Module):
        def __init__(self):
            self.v = tf.Variable(2.0)

        @tf.function
        def scale(self, var, x):
            return var * x

    m = Holder()
    assert float(m.scale(m.v, tf.constant(3.0))) == 6.0
    tf.saved_model.save(m, str(tmp_path))
    loaded = tf.saved_model.load(str(tmp_path))
    assert float(loaded.v.numpy()) == 2.0
    with pytest.raises(ValueError, match="Could not find matching concrete function"):
        loaded.scale(loaded.v, tf.constant(3.0))


def test_a_call_inside_a_call_of_the_same_trace_puts_the_binding_back():
    """A py_function running the same trace on another Variable while the first call runs:
    the first call goes on with its own Variable."""
    b = tf.Variable(10.0)
    again = []

    def call_again():
        if not again:
            again.append(None)
            again[0] = float(bump(b))
        return 0.0

    @tf.function
    def bump(v):
        v.assign_add(1.0)
        tf.py_function(call_again, [], tf.float32)
        return v.read_value()

    a = tf.Variable(1.0)
    assert float(bump(a)) == 2.0 and again == [11.0]
    assert float(a.numpy()) == 2.0 and float(b.numpy()) == 11.0
    assert bump.experimental_get_tracing_count() == 1
