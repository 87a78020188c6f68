"""tape.explain: one plain sentence per source that would get None, naming the cause and line."""

import logging
import sys

import numpy as np
import pytest

import tapeflow as tf
from tapeflow.engine import tape as tape_module
from tapeflow.framework.tensor import Tensor
from tapeflow.framework.variable import Variable

HERE = "test_explain.py"


def line():
    """The caller's line number (to check the line an explanation names)."""
    return sys._getframe(1).f_lineno


def at(lineno):
    return f"{HERE}:{lineno}"


# --- each cause -----------------------------------------------------------------------------------

def test_connected_source_gets_none():
    v = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y = v * v
    assert tape.explain(y, v) is None
    assert tape.explain(y, [v]) == [None]


def test_tensor_never_watched():
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        y = x * x
    why = tape.explain(y, x)
    assert "never watched" in why and "tape.watch()" in why
    assert tape.gradient(y, x) is None


def test_non_trainable_variable():
    v = tf.Variable(2.0, trainable=False, name="frozen")
    with tf.GradientTape() as tape:
        y = v * v
    why = tape.explain(y, v)
    assert "'frozen:0'" in why and "not trainable" in why and "tape.watch()" in why


def test_watch_accessed_variables_false():
    v = tf.Variable(2.0, name="w")
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        y = v * v
    why = tape.explain(y, v)
    assert "watch_accessed_variables=False" in why and "'w:0'" in why


def test_variable_replaced_by_tensor():
    x = tf.Variable(2.0, name="x")
    x = x + 1; n = line()  # noqa: E702 - the line the explanation must name
    with tf.GradientTape() as tape:
        y = x * x
    why = tape.explain(y, x)
    assert "Variable 'x:0'" in why and "replaced the Variable" in why and at(n) in why
    assert "x.assign_add" in why and "`x = x + 1`" in why


@pytest.mark.parametrize("how", ["numpy", "np.*", "float", "np.asarray"])
def test_path_left_through_numpy(how):
    v = tf.Variable(2.0, name="v")
    with tf.GradientTape() as tape:
        a = v * 2
        if how == "numpy":
            b = tf.constant(a.numpy()); n = line()  # noqa: E702
        elif how == "np.*":
            b = tf.constant(np.sin(a)); n = line()  # noqa: E702
        elif how == "float":
            b = tf.constant(float(a)); n = line()  # noqa: E702
        else:
            b = tf.convert_to_tensor(np.asarray(a) * 2); n = line()  # noqa: E702
        y = b * 3
    why = tape.explain(y, v)
    assert "NumPy" in why and "constant with no history" in why and at(n) in why


def test_variable_itself_sent_to_numpy():
    v = tf.Variable(2.0, name="v")
    with tf.GradientTape() as tape:
        y = tf.constant(np.exp(v)) * 3; n = line()  # noqa: E702
    why = tape.explain(y, v)
    assert "NumPy" in why and at(n) in why


def test_numpy_export_after_the_target_is_not_blamed():
    v = tf.Variable(2.0, name="v")
    u = tf.Variable(1.0, name="u")
    with tf.GradientTape() as tape:
        y = u * 3
        print(float(v * 2))  # looks at a value after the target exists: not the cause
    why = tape.explain(y, v)
    assert "NumPy" not in why and "not connected" in why


def test_target_computed_after_the_tape():
    v = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        a = v * 2
    y = a * 3
    why = tape.explain(y, v)
    assert "after the tape stopped recording" in why and HERE in why


def test_target_computed_before_the_tape():
    v = tf.Variable(2.0)
    y = v * 3
    with tf.GradientTape() as tape:
        n = line() - 1
        v * 2
    why = tape.explain(y, v)
    assert "before the tape started recording" in why and at(n) in why


def test_target_computed_inside_stop_recording():
    v = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        a = v * 1
        with tape.stop_recording():
            n = line() - 1
            y = a * 3
    why = tape.explain(y, v)
    assert "stop_recording()" in why and at(n) in why


def test_variable_read_only_inside_stop_recording():
    v = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        with tape.stop_recording():
            y = v * 3
    assert "stop_recording()" in tape.explain(y, v)


def test_cast_to_integer():
    v = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        i = tf.cast(v * 2, tf.int32); n = line()  # noqa: E702
        y = tf.cast(i, tf.float32) * 2.0
    why = tape.explain(y, v)
    assert "Cast to int32" in why and "integer and bool" in why and at(n) in why


@pytest.mark.parametrize("op", ["ArgMax", "Round", "Greater"])
def test_non_differentiable_op(op):
    v = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        if op == "ArgMax":
            y = tf.cast(tf.argmax(v * 2), tf.float32); n = line()  # noqa: E702
        elif op == "Round":
            y = tf.round(v * 2) * 2; n = line()  # noqa: E702
        else:
            y = tf.cast(v > 1.0, tf.float32) * 2; n = line()  # noqa: E702
    why = tape.explain(y, v)
    assert f"goes through {op}" in why and "no gradient" in why and at(n) in why
    assert tape.gradient(y, v) is None


def test_stop_gradient():
    v = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y = tf.stop_gradient(v * 2) * 3; n = line()  # noqa: E702
    why = tape.explain(y, v)
    assert "tf.stop_gradient" in why and at(n) in why


def test_stop_gradient_on_the_variable_itself():
    v = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y = tf.stop_gradient(v) * 3
    why = tape.explain(y, v)
    assert "was never read" in why and "tf.stop_gradient" in why


@pytest.mark.parametrize("method", ["assign", "assign_add", "assign_sub"])
def test_variable_assignment(method):
    v = tf.Variable(2.0, name="v")
    w = tf.Variable(0.0, name="w")
    with tf.GradientTape() as tape:
        getattr(w, method)(v * 2); n = line()  # noqa: E702
        y = w * 3
    why = tape.explain(y, v)
    assert "Variable assignment" in why and "not differentiable" in why and at(n) in why
    assert tape.gradient(y, v) is None


def test_not_connected():
    u = tf.Variable(1.0, name="u")
    v = tf.Variable(2.0, name="v")
    with tf.GradientTape() as tape:
        u * 2
        y = v * 3
    assert tape.explain(y, [u, v]) == [
        "the Variable 'u:0' is not connected to the target: no recorded operation leads from it "
        "to the target", None]


def test_integer_source_and_integer_target():
    i = tf.constant(3)
    v = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y = tf.cast(v * 3, tf.int32)
    assert "dtype int32" in tape.explain(y, i)
    assert "the target has dtype int32" in tape.explain(y, v)


def test_reset_forgets_earlier_reads():
    v = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        a = v * 3
        tape.reset(); n = line()  # noqa: E702
        y = a * 2
    why = tape.explain(y, v)
    assert "tape.reset()" in why and at(n) in why


def test_tape_never_entered():
    v = tf.Variable(2.0)
    assert "never recorded" in tf.GradientTape().explain(v * 2, v)


# --- structures, targets, tapes --------------------------------------------------------------------

def test_nested_structure_of_sources():
    u, v = tf.Variable(1.0, name="u"), tf.Variable(2.0, name="v")
    x = tf.constant(1.0)
    with tf.GradientTape() as tape:
        y = v * 3 + x
    why = tape.explain(y, {"a": [u, (v,)], "b": x})
    assert isinstance(why, dict) and isinstance(why["a"], list) and isinstance(why["a"][1], tuple)
    assert "'u:0' was never read while the tape was recording" in why["a"][0]
    assert why["a"][1] == (None,)
    assert "never watched" in why["b"]


def test_multiple_targets():
    u, v = tf.Variable(1.0), tf.Variable(2.0)
    w = tf.Variable(3.0)
    with tf.GradientTape(persistent=True) as tape:
        y1 = u * 2
        y2 = tf.stop_gradient(v) * 2 + tf.stop_gradient(w * 1)
    assert tape.explain([y1, y2], [u, v, w])[0] is None
    why = tape.explain({"a": y1, "b": y2}, [v, w])
    assert "never read" in why[0]
    assert "tf.stop_gradient" in why[1]
    assert tape.gradient([y1, y2], [u, v, w])[1:] == [None, None]


def test_persistent_tape_explain_before_and_after_gradients():
    v = tf.Variable(2.0)
    x = tf.constant(1.0)
    with tf.GradientTape(persistent=True) as tape:
        y = v * x
        inside = tape.explain(y, [v, x])  # while still recording
    assert inside[0] is None and "never watched" in inside[1]
    before = tape.explain(y, [v, x])
    tape.gradient(y, [v, x])
    tape.gradient(y, [v, x])
    assert tape.explain(y, [v, x]) == before


def test_explain_after_non_persistent_gradient():
    v = tf.Variable(2.0, name="v")
    u = tf.Variable(1.0, name="u")
    x = tf.constant(1.0)
    with tf.GradientTape() as tape:
        a = tf.stop_gradient(u * 2); n = line()  # noqa: E702
        y = v * a + tf.round(x)
    before = tape.explain(y, [v, u, x])
    grads = tape.gradient(y, [v, u, x])
    assert grads[1] is None and grads[2] is None
    with pytest.raises(RuntimeError):
        tape.gradient(y, v)
    after = tape.explain(y, [v, u, x])
    assert after == before
    assert after[0] is None and "tf.stop_gradient" in after[1] and at(n) in after[1]
    assert "never watched" in after[2]


@pytest.mark.parametrize("cause", ["cast", "numpy", "stop_recording", "not connected"])
def test_every_path_cause_survives_release(cause):
    v = tf.Variable(2.0)
    u = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        if cause == "cast":
            y = tf.cast(tf.cast(v, tf.int32), tf.float32) + u
        elif cause == "numpy":
            y = tf.constant(v.numpy()) + u
        elif cause == "stop_recording":
            with tape.stop_recording():
                y = v * 2
        else:
            y = u * 2
    before = tape.explain(y, v)
    tape.gradient(y, [v, u])
    assert tape.explain(y, v) == before and before is not None


def _arrays_or_tensors(obj, seen=None):
    """Every ndarray or Tensor reachable from ``obj`` through containers and __slots__."""
    seen = set() if seen is None else seen
    if id(obj) in seen:
        return []
    seen.add(id(obj))
    if isinstance(obj, np.ndarray | Tensor | Variable):
        return [obj]
    found = []
    if isinstance(obj, dict):
        for k, val in obj.items():
            found += _arrays_or_tensors(k, seen) + _arrays_or_tensors(val, seen)
    elif isinstance(obj, list | tuple | set | frozenset):
        for item in obj:
            found += _arrays_or_tensors(item, seen)
    elif type(obj).__module__.startswith("tapeflow.engine.notes"):
        for slot in type(obj).__slots__:
            found += _arrays_or_tensors(getattr(obj, slot), seen)
    return found


def test_released_notes_hold_no_arrays_and_no_tensors():
    v = tf.Variable([[1.0, 2.0]], name="v")
    u = tf.Variable(1.0, name="u")
    x = tf.constant([[3.0], [4.0]])
    with tf.GradientTape() as tape:
        tape.watch(x)
        h = tf.matmul(v, x)
        k = tf.cast(tf.argmax(h), tf.float32)
        s = tf.stop_gradient(h) * k
        w = tf.constant(np.asarray(h)) + s
        u.assign_add(tf.reduce_sum(w))
        y = tf.reduce_sum(h ** 2)
    tape.gradient(y, [v, x, u])
    assert tape._entries is None
    notes = tape._notes
    assert notes.graph and notes.cuts  # there is something to walk
    assert _arrays_or_tensors(notes) == []
    assert tape.explain(y, [v, u])[0] is None


# --- tf.debugging.explain_none_gradients -----------------------------------------------------------

@pytest.fixture
def tf_log(caplog):
    logger = logging.getLogger("tensorflow")
    logger.addHandler(caplog.handler)
    caplog.set_level(logging.WARNING, logger="tensorflow")
    try:
        yield caplog
    finally:
        logger.removeHandler(caplog.handler)
        tf.debugging.explain_none_gradients(False)


def _messages(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "tensorflow"]


def _model():
    v = tf.Variable(2.0, name="v")
    u = tf.Variable(1.0, name="u")
    x = tf.constant(1.0)
    with tf.GradientTape() as tape:
        y = v * 3 + tf.stop_gradient(u) + x
    return tape, y, [v, u, x]


def test_explain_none_gradients_off_by_default(tf_log):
    assert tape_module._explain_none_gradients == [False]
    tape, y, sources = _model()
    grads = tape.gradient(y, sources)
    assert grads[1] is None and grads[2] is None
    assert _messages(tf_log) == []


def test_explain_none_gradients_logs_each_none(tf_log):
    tape, y, sources = _model()
    expected = tape.explain(y, sources)
    tf.debugging.explain_none_gradients(True)
    grads = tape.gradient(y, sources)
    assert float(grads[0]) == 3.0 and grads[1] is None and grads[2] is None
    assert _messages(tf_log) == [f"tape.gradient returned None: {expected[1]}",
                                 f"tape.gradient returned None: {expected[2]}"]


def test_explain_none_gradients_leaves_output_unchanged(tf_log):
    results = []
    for enabled in (False, True):
        tf.debugging.explain_none_gradients(enabled)
        tape, y, sources = _model()
        results.append(tape.gradient(y, {"a": sources[:2], "b": sources[2]},
                                     unconnected_gradients="zero"))
    off, on = results
    assert set(off) == set(on) == {"a", "b"}
    for a, b in zip(off["a"] + [off["b"]], on["a"] + [on["b"]]):
        assert float(a) == float(b)
    assert _messages(tf_log) == []  # zeros are not None: nothing to explain


def test_explain_none_gradients_silent_when_all_connected(tf_log):
    tf.debugging.explain_none_gradients(True)
    v = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y = v * v
    assert float(tape.gradient(y, v)) == 4.0
    assert _messages(tf_log) == []
