"""The tf.GradientTape contract (spec section 4, 5.1, 5.2), checked against TF 2.21's numbers."""

import collections
import gc
import logging
import os
import pathlib
import subprocess
import sys
import textwrap
import threading
import weakref

import numpy as np
import pytest

import tapeflow as tf
from tapeflow.framework import tf_logging

ONE_SHOT = ("A non-persistent GradientTape can only be used to compute one set of gradients "
            "(or jacobians)")
REENTER = ("Tape is still recording, This can happen if you try to re-enter an already-active "
           "tape.")
PERSISTENT_INSIDE = (
    "Calling GradientTape.gradient on a persistent tape inside its context is significantly less "
    "efficient than calling it outside the context (it causes the gradient ops to be recorded on "
    "the tape, leading to increased CPU and memory usage). Only call GradientTape.gradient inside "
    "the context if you actually want to trace the gradient in order to compute higher order "
    "derivatives.")
TARGET_NONE = ("Argument `target` should be a list or nested structure of Tensors, Variables or "
               "CompositeTensors to be differentiated, but received None.")
DTYPE_WARNING = "The dtype of the watched tensor must be floating (e.g. tf.float32), got {}"


def num(t):
    """A gradient as a NumPy value, failing loudly on None."""
    assert t is not None, "expected a gradient, got None"
    return t.numpy()


def active():
    from tapeflow.engine.core import state
    return list(state.stack)


@pytest.fixture
def tf_log(caplog, monkeypatch):
    """caplog wired to the (non-propagating) 'tensorflow' logger, with fresh log_first_n counts."""
    logger = logging.getLogger("tensorflow")
    logger.addHandler(caplog.handler)
    monkeypatch.setattr(tf_logging, "_counts", {})
    try:
        yield caplog
    finally:
        logger.removeHandler(caplog.handler)


def warnings_of(caplog):
    return [r.getMessage() for r in caplog.records
            if r.name == "tensorflow" and r.levelno == logging.WARNING]


# --- 4.1 construction and the recording rule ---------------------------------------------------

class TestConstruction:
    def test_defaults_and_autodiff_alias(self):
        assert tf.autodiff.GradientTape is tf.GradientTape
        tape = tf.GradientTape()
        for name in ("watch", "watched_variables", "gradient", "stop_recording", "reset"):
            assert callable(getattr(tape, name))

    def test_keyword_and_positional_arguments(self):
        x = tf.constant(2.0)
        with tf.GradientTape(True, False) as tape:
            tape.watch(x)
            y = x * x
        assert num(tape.gradient(y, x)) == 4.0
        assert num(tape.gradient(y, x)) == 4.0  # persistent=True positionally

    def test_enter_returns_the_tape_itself(self):
        tape = tf.GradientTape()
        with tape as t:
            assert t is tape
            assert active() == [tape]
        assert active() == []

    def test_unwatched_constant_is_not_recorded(self):
        x = tf.constant(3.0)
        with tf.GradientTape() as tape:
            y = x * x
        assert tape.gradient(y, x) is None

    def test_watching_is_transitive(self):
        x = tf.constant(3.0)
        with tf.GradientTape() as tape:
            tape.watch(x)
            a = x * 2.0
            b = a + 1.0
            c = b * b  # every intermediate is watched because its input was
        assert num(tape.gradient(c, x)) == pytest.approx(2 * 7.0 * 2.0)
        # ... and so are intermediates as sources
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            a = x * 2.0
            b = a * a
        assert num(tape.gradient(b, a)) == 12.0
        assert num(tape.gradient(b, x)) == 24.0

    def test_op_with_only_one_watched_input_is_recorded(self):
        x, y = tf.constant(3.0), tf.constant(5.0)
        with tf.GradientTape() as tape:
            tape.watch(x)
            z = x * y
        gx, gy = tape.gradient(z, [x, y])
        assert num(gx) == 5.0
        assert gy is None

    def test_non_trainable_variable_needs_watch(self):
        v = tf.Variable(3.0, trainable=False)
        with tf.GradientTape() as tape:
            y = v * v
        assert tape.gradient(y, v) is None
        with tf.GradientTape() as tape:
            tape.watch(v)
            y = v * v
        assert num(tape.gradient(y, v)) == 6.0
        assert tape.watched_variables() == (v,)

    def test_watch_accessed_variables_false(self):
        v = tf.Variable(3.0)
        with tf.GradientTape(watch_accessed_variables=False) as tape:
            y = v * v
        assert tape.gradient(y, v) is None
        assert tape.watched_variables() == ()

    def test_several_tapes_in_one_with_statement(self):
        x = tf.constant(2.0)
        with tf.GradientTape() as t0, tf.GradientTape() as t1:
            t0.watch(x)
            t1.watch(x)
            y = x * x * x
        assert num(t0.gradient(y, x)) == 12.0
        assert num(t1.gradient(y, x)) == 12.0

    def test_watching_is_tape_local(self):
        x1, x2 = tf.constant(2.0), tf.constant(3.0)
        with tf.GradientTape() as outer:
            outer.watch(x1)
            with tf.GradientTape() as inner:
                inner.watch(x2)
                y = x1 * x2
        assert num(outer.gradient(y, x1)) == 3.0
        # x2 is watched by inner only
        assert num(inner.gradient(y, x2)) == 2.0

    def test_tapes_are_thread_local(self):
        x = tf.constant(2.0)
        seen = {}

        def other():
            seen["stack"] = active()
            seen["y"] = x * x  # this thread has no tape: not recorded

        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            th = threading.Thread(target=other)
            th.start()
            th.join()
            z = x * x
        assert seen["stack"] == []
        assert tape.gradient(seen["y"], x) is None
        assert num(tape.gradient(z, x)) == 4.0


# --- 4.2 entering and exiting ------------------------------------------------------------------

class TestEnterExit:
    def test_reentering_an_active_tape(self):
        tape = tf.GradientTape()
        with tape:
            with pytest.raises(ValueError) as e:
                with tape:
                    pass
            assert str(e.value) == REENTER
            assert active() == [tape]  # still recording, still pushed once
        assert active() == []

    def test_reentering_persistent_tape_also_raises(self):
        tape = tf.GradientTape(persistent=True)
        with tape:
            with pytest.raises(ValueError, match="^Tape is still recording, This can happen"):
                tape.__enter__()

    def test_reenter_after_exit_continues_the_record(self):
        x = tf.constant(1.0)
        g = tf.GradientTape()
        with g:
            g.watch(x)
            y = 2 * x
        with g:
            z = 2 * y
        grads = g.gradient(z, [x])
        assert isinstance(grads, list) and len(grads) == 1
        assert num(grads[0]) == 4.0

    def test_ops_between_blocks_are_not_recorded(self):
        x = tf.constant(3.0)
        g = tf.GradientTape(persistent=True)
        with g:
            g.watch(x)
            y = x * x
        between = y * 10.0
        with g:
            z = y * 2.0
        assert g.gradient(between, x) is None
        assert num(g.gradient(z, x)) == 12.0

    def test_exit_after_gradient_inside_block(self):
        x = tf.constant(3.0)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x * x
            assert num(tape.gradient(y, x)) == 6.0
            assert active() == []  # a non-persistent tape stops recording on the call
        assert active() == []

    def test_exception_inside_block_pops_tape(self):
        x = tf.constant(3.0)
        tape = tf.GradientTape()
        with pytest.raises(ZeroDivisionError):
            with tape:
                tape.watch(x)
                y = x * x
                1 / 0
        assert active() == []
        # the record survives and a later gradient works (testExceptionSafety)
        assert num(tape.gradient(y, x)) == 6.0
        with tf.GradientTape() as t2:
            t2.watch(x)
            z = x * x * x
        assert num(t2.gradient(z, x)) == 27.0

    def test_exception_inside_nested_blocks_pops_both(self):
        with pytest.raises(KeyError):
            with tf.GradientTape():
                with tf.GradientTape():
                    raise KeyError("boom")
        assert active() == []


# --- 4.3 watch ---------------------------------------------------------------------------------

class TestWatch:
    def test_watch_nests(self):
        a, b, c = tf.constant(1.0), tf.constant(2.0), tf.constant(3.0)
        v = tf.Variable(4.0, trainable=False)
        with tf.GradientTape() as tape:
            tape.watch([a, (b, {"k": c})])
            tape.watch({"v": v})
            y = a * b * c * v
        ga, gb, gc, gv = tape.gradient(y, [a, b, c, v])
        assert (num(ga), num(gb), num(gc), num(gv)) == (24.0, 12.0, 8.0, 6.0)

    @pytest.mark.parametrize("value, text, type_name", [
        (np.array(1.0), "1.0", "ndarray"),
        (1.0, "1.0", "float"),
        (3, "3", "int"),
        ("s", "s", "str"),
    ])
    def test_watch_bad_thing(self, value, text, type_name):
        with tf.GradientTape() as tape:
            with pytest.raises(ValueError) as e:
                tape.watch(value)
        assert str(e.value) == (f"Passed in object {text} of type '{type_name}', not tf.Tensor or "
                                "tf.Variable or ExtensionType.")

    def test_watch_bad_thing_inside_nest(self):
        with tf.GradientTape() as tape:
            with pytest.raises(ValueError, match="of type 'ndarray', not tf.Tensor"):
                tape.watch([tf.constant(1.0), np.array([1.0, 2.0])])

    def test_watch_never_entered(self):
        with pytest.raises(AttributeError):
            tf.GradientTape().watch(tf.constant(1.0))

    def test_watch_outside_block_after_exit_still_watches(self):
        # TF: watch on an exited (not released) tape marks the tensor but nothing records
        x = tf.constant(2.0)
        tape = tf.GradientTape()
        with tape:
            pass
        tape.watch(x)
        y = x * x
        assert tape.gradient(y, x) is None

    @pytest.mark.parametrize("value, dtype_repr", [
        (lambda: tf.constant(10), "tf.int32"),
        (lambda: tf.constant([1, 2], dtype=tf.int64), "tf.int64"),
        (lambda: tf.constant("s"), "tf.string"),
        (lambda: tf.constant(True), "tf.bool"),
        (lambda: tf.Variable(3), "tf.int32"),
    ])
    def test_watch_non_float_warns(self, tf_log, value, dtype_repr):
        t = value()
        with tf.GradientTape() as tape:
            tape.watch(t)
        assert warnings_of(tf_log) == [DTYPE_WARNING.format(dtype_repr)]

    @pytest.mark.parametrize("dtype", [tf.float16, tf.float32, tf.float64, tf.complex64,
                                       tf.complex128])
    def test_watch_float_and_complex_do_not_warn(self, tf_log, dtype):
        with tf.GradientTape() as tape:
            tape.watch(tf.constant(1, dtype=dtype))
        assert warnings_of(tf_log) == []

    def test_dtype_warning_logged_at_most_five_times(self, tf_log):
        for _ in range(8):
            with tf.GradientTape() as tape:
                tape.watch(tf.constant(10))
        assert warnings_of(tf_log) == [DTYPE_WARNING.format("tf.int32")] * 5

    def test_int_target_and_source_do_not_warn(self, tf_log):
        x = tf.constant(3)
        with tf.GradientTape() as tape:
            y = x * x
        assert tape.gradient(y, x) is None
        assert warnings_of(tf_log) == []

    def test_stderr_lines_in_a_fresh_process(self):
        # What a user sees: 'WARNING:tensorflow:' lines, the dtype one 5 times per process at most
        # and the persistent-inside-context one once (TF 2.21's log_first_n counts).
        script = textwrap.dedent("""
            import tapeflow as tf
            for _ in range(7):
                with tf.GradientTape() as tape:
                    tape.watch(tf.constant(10))
            v = tf.Variable(1.0)
            for _ in range(3):
                with tf.GradientTape(persistent=True) as tape:
                    tape.gradient(v * 2.0, v)
        """)
        src = str(pathlib.Path(tf.__file__).resolve().parents[1])
        env = dict(os.environ, PYTHONPATH=src)
        proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                              env=env, timeout=60)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout == ""
        assert proc.stderr.splitlines() == (
            ["WARNING:tensorflow:" + DTYPE_WARNING.format("tf.int32")] * 5
            + ["WARNING:tensorflow:" + PERSISTENT_INSIDE])


# --- 4.4 watched_variables ---------------------------------------------------------------------

class TestWatchedVariables:
    def test_empty_before_anything_read(self):
        tape = tf.GradientTape()
        assert tape.watched_variables() == ()
        with tape:
            assert tape.watched_variables() == ()

    def test_is_tuple_in_creation_order_deduplicated(self):
        v0 = tf.Variable(1.0, name="v0")
        v1 = tf.Variable(2.0, name="v1")
        v2 = tf.Variable(3.0, name="v2")
        with tf.GradientTape() as tape:
            y = v2 * v1 + v1 * v0 + v2
        wv = tape.watched_variables()
        assert type(wv) is tuple
        assert len(wv) == 3
        assert wv[0] is v0 and wv[1] is v1 and wv[2] is v2
        assert [v.name for v in wv] == ["v0:0", "v1:0", "v2:0"]
        del y

    def test_only_trainable_reads_and_explicit_watches(self):
        a = tf.Variable(1.0)
        b = tf.Variable(1.0, trainable=False)
        c = tf.Variable(1.0, trainable=False)
        d = tf.Variable(1.0)
        with tf.GradientTape() as tape:
            tape.watch(c)
            _ = a + b
        assert tape.watched_variables() == (a, c)
        assert d not in [id(v) for v in tape.watched_variables()]

    def test_int_variable_is_listed(self):
        v = tf.Variable(3)
        with tf.GradientTape() as tape:
            y = v * 2
        assert tape.watched_variables() == (v,)
        assert tape.gradient(y, v) is None

    def test_variable_created_inside_tape(self):
        with tf.GradientTape() as tape:
            v = tf.Variable(2.0)
            y = v * v
        assert tape.watched_variables() == (v,)
        assert num(tape.gradient(y, v)) == 4.0

    def test_after_reset(self):
        v = tf.Variable(1.0)
        with tf.GradientTape() as tape:
            y = v * 1.0
            assert len(tape.watched_variables()) == 1
            tape.reset()
            assert tape.watched_variables() == ()
            y = v * 1.0
            assert tape.watched_variables() == (v,)
        del y

    def test_kept_after_non_persistent_gradient(self):
        x0 = tf.Variable(3.0, name="x0")
        with tf.GradientTape() as tape:
            y = x0 * x0
        tape.gradient(y, x0)
        assert tape.watched_variables() == (x0,)
        assert [v.name for v in tape.watched_variables()] == ["x0:0"]  # AD-11

    def test_only_from_last_record(self):
        x, y = tf.Variable(1.0), tf.Variable(2.0)
        tape = tf.GradientTape()
        with tape:
            _ = x * 1.0
        tape.gradient(_, x)
        with tape:
            _ = y * 1.0
        assert tape.watched_variables() == (y,)

    def test_respect_reset(self):
        x, z = tf.Variable(1.0), tf.Variable(2.0)
        with tf.GradientTape() as tape:
            tape.watch(x)
            assert tape.watched_variables() == (x,)
            tape.reset()
            tape.watch(z)
            assert tape.watched_variables() == (z,)

# --- 4.5 gradient ------------------------------------------------------------------------------

class TestOneShot:
    def test_second_call_raises(self):
        x = tf.constant(3.0)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x * x
        tape.gradient(y, x)
        with pytest.raises(RuntimeError) as e:
            tape.gradient(y, x)
        assert str(e.value) == ONE_SHOT

    @pytest.mark.parametrize("bad_call", [
        lambda tape, y, x: tape.gradient(y, 1.0),
        lambda tape, y, x: tape.gradient(None, x),
        lambda tape, y, x: tape.gradient(y, x, unconnected_gradients="bad"),
    ])
    def test_failed_call_does_not_use_up_the_tape(self, bad_call):
        # TF 2.21 releases the record only after a successful backward pass
        x = tf.constant(3.0)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x * x
        with pytest.raises((AttributeError, TypeError, ValueError)):
            bad_call(tape, y, x)
        assert num(tape.gradient(y, x)) == 6.0
        with pytest.raises(RuntimeError, match="^A non-persistent GradientTape"):
            tape.gradient(y, x)

    def test_never_entered(self):
        with pytest.raises(RuntimeError) as e:
            tf.GradientTape().gradient(tf.constant(1.0), tf.constant(1.0))
        assert str(e.value) == ONE_SHOT

    def test_persistent_allows_many_calls(self):
        x = tf.constant(3.0)
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            y = x * x
            z = y * y
        for _ in range(3):
            assert num(tape.gradient(z, x)) == 108.0
            assert num(tape.gradient(y, x)) == 6.0

    def test_persistent_never_entered(self):
        # a persistent tape that never recorded has no record yet
        with pytest.raises(RuntimeError, match="^A non-persistent"):
            tf.GradientTape(persistent=True).gradient(tf.constant(1.0), tf.constant(1.0))


class TestGradientInsideBlock:
    def test_non_persistent_stops_recording_without_warning(self, tf_log):
        v = tf.Variable(1.0)
        with tf.GradientTape() as tape:
            y = 2 * v
            assert num(tape.gradient(y, v)) == 2.0
            z = v * v  # not recorded any more
        assert warnings_of(tf_log) == []
        with pytest.raises(RuntimeError, match=ONE_SHOT.replace("(", r"\(").replace(")", r"\)")):
            tape.gradient(z, v)

    def test_persistent_warns_once_per_process_and_works(self, tf_log):
        # The spec says "on every such call"; TF 2.21 uses log_first_n(..., 1): once per process.
        v = tf.Variable(1.0)
        with tf.GradientTape(persistent=True) as tape:
            y = 2 * v
            assert num(tape.gradient(y, v)) == 2.0
            assert num(tape.gradient(y, v)) == 2.0
        with tf.GradientTape(persistent=True) as tape2:
            z = 3 * v
            assert num(tape2.gradient(z, v)) == 3.0
        assert warnings_of(tf_log) == [PERSISTENT_INSIDE]
        assert num(tape.gradient(y, v)) == 2.0  # outside the block

    def test_persistent_higher_derivatives(self, tf_log):
        x = tf.constant(3.0)
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            y = x * x * x
            dy = tape.gradient(y, x)
            d2y = tape.gradient(dy, x)
            d3y = tape.gradient(d2y, x)
        assert (num(y), num(dy), num(d2y), num(d3y)) == (27.0, 27.0, 18.0, 6.0)
        assert warnings_of(tf_log) == [PERSISTENT_INSIDE]

    def test_persistent_higher_derivatives_with_pow(self, tf_log):
        x = tf.constant(3.0)
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            y = x ** 3
            dy = tape.gradient(y, x)
            d2y = tape.gradient(dy, x)
        d3y = tape.gradient(d2y, x)
        assert (num(dy), num(d2y), num(d3y)) == pytest.approx((27.0, 18.0, 6.0))

    def test_gradient_ops_not_recorded_outside_block(self):
        x = tf.constant(3.0)
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            y = x * x * x
        dy = tape.gradient(y, x)
        assert num(dy) == 27.0
        assert tape.gradient(dy, x) is None


class TestTargets:
    def test_target_none(self):
        x = tf.constant(1.0)
        with tf.GradientTape() as tape:
            tape.watch(x)
        with pytest.raises(TypeError) as e:
            tape.gradient(None, x)
        assert str(e.value) == TARGET_NONE

    def test_dict_target_is_summed(self):
        x = tf.constant(2.0)
        with tf.GradientTape() as tape:
            tape.watch(x)
            ys = {"y0": x ** 2, "y1": 1 / x}
        assert num(tape.gradient(ys, x)) == pytest.approx(3.75)  # AD-19

    def test_non_scalar_target_is_summed(self):
        x = tf.Variable(2.0)
        with tf.GradientTape() as tape:
            y = x * [3.0, 4.0]
        assert num(tape.gradient(y, x)) == 7.0  # AD-20

    def test_variable_target_itself(self):
        v = tf.Variable(3.0)
        with tf.GradientTape() as tape:
            pass
        assert num(tape.gradient(v, v)) == 1.0

    def test_target_computed_outside_contributes_nothing(self):
        x = tf.constant(2.0)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x * x
        outside = x * 10.0
        assert num(tape.gradient([y, outside], x)) == 4.0

    def test_nested_target_structures(self):
        x = tf.constant(2.0)
        with tf.GradientTape() as tape:
            tape.watch(x)
            a, b, c = x * 1.0, x * x, x * x * x
        assert num(tape.gradient([a, (b, {"k": [c]})], x)) == 1.0 + 4.0 + 12.0


Pair = collections.namedtuple("Pair", ["first", "second"])


class TestSources:
    @pytest.fixture
    def xs(self):
        return tf.constant(1.0), tf.constant(2.0), tf.constant(3.0)

    def _grad(self, xs, sources, **kw):
        x1, x2, x3 = xs
        with tf.GradientTape() as tape:
            tape.watch([x1, x2, x3])
            y = x1 * 1.0 + x2 * 2.0 + x3 * 3.0
        return tape.gradient(y, sources, **kw)

    def test_single_source_gives_tensor(self, xs):
        g = self._grad(xs, xs[0])
        assert isinstance(g, tf.Tensor)
        assert num(g) == 1.0

    def test_structures(self, xs):
        x1, x2, x3 = xs
        g = self._grad(xs, (x1,))
        assert type(g) is tuple and len(g) == 1 and num(g[0]) == 1.0
        g = self._grad(xs, [x1, x2])
        assert type(g) is list and [num(t) for t in g] == [1.0, 2.0]
        g = self._grad(xs, [(x1, x2), (x2, x3)])
        assert type(g) is list and all(type(p) is tuple for p in g)
        assert [[num(t) for t in p] for p in g] == [[1.0, 2.0], [2.0, 3.0]]
        g = self._grad(xs, (x1, x2, [x1, x3]))
        assert type(g) is tuple and type(g[2]) is list
        assert (num(g[0]), num(g[1]), num(g[2][0]), num(g[2][1])) == (1.0, 2.0, 1.0, 3.0)

    def test_dict_keeps_keys_in_insertion_order(self, xs):
        x1, x2, x3 = xs
        g = self._grad(xs, {"z": x3, "a": x1, "m": x2})
        assert type(g) is dict
        assert list(g) == ["z", "a", "m"]
        assert {k: num(v) for k, v in g.items()} == {"z": 3.0, "a": 1.0, "m": 2.0}
        g = self._grad(xs, [x1, {"x2": x2, "x3": x3}])
        assert num(g[0]) == 1.0 and num(g[1]["x2"]) == 2.0 and num(g[1]["x3"]) == 3.0

    def test_namedtuple(self, xs):
        x1, x2, x3 = xs
        g = self._grad(xs, Pair(x3, [x1, x2]))
        assert type(g) is Pair
        assert num(g.first) == 3.0 and [num(t) for t in g.second] == [1.0, 2.0]

    def test_deep_nesting(self, xs):
        x1, x2, x3 = xs
        g = self._grad(xs, [x1, {"x": (x2, x3)}, [[x3]]])
        assert num(g[0]) == 1.0
        assert type(g[1]["x"]) is tuple and [num(t) for t in g[1]["x"]] == [2.0, 3.0]
        assert type(g[2]) is list and type(g[2][0]) is list and num(g[2][0][0]) == 3.0

    def test_empty_sources(self, xs):
        assert self._grad(xs, []) == []

    def test_repeated_sources(self, xs):
        x1, _, _ = xs
        g = self._grad(xs, [x1, x1])
        assert [num(t) for t in g] == [1.0, 1.0]
        assert g[0] is not xs[0]

    def test_non_tensor_source(self, xs):
        with pytest.raises(AttributeError):
            self._grad(xs, 1.0)

    def test_ndarray_source(self, xs):
        with pytest.raises(AttributeError):
            self._grad(xs, np.array(1.0))

    def test_variable_sources_and_mixed(self):
        v = tf.Variable([1.0, 2.0])
        x = tf.constant(3.0)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(v * x)
        gv, gx = tape.gradient(y, [v, x])
        np.testing.assert_array_equal(num(gv), [3.0, 3.0])
        assert num(gx) == 3.0


class TestOutputGradients:
    def test_vector_seed(self):
        v = tf.Variable(2.0)
        with tf.GradientTape(persistent=True) as tape:
            y = v * [3.0, 4.0]
        assert num(tape.gradient(y, v, output_gradients=tf.constant([1.0, 10.0]))) == 43.0
        assert num(tape.gradient(y, v, output_gradients=np.array([1.0, 10.0], np.float32))) == 43.0
        # a float64 NumPy seed stays float64 and the first backward op refuses it (TF 2.21)
        with pytest.raises(tf.errors.InvalidArgumentError, match="^cannot compute Mul as input "
                           "#1.zero-based. was expected to be a double tensor but is a float"):
            tape.gradient(y, v, output_gradients=np.array([1.0, 10.0]))
        # A Python list is a nest with one seed per target (TF 2.21): here the seed is 1.0 and
        # the extra entry is ignored, so 7.0, not the 43.0 the spec shows.
        assert num(tape.gradient(y, v, output_gradients=[1.0, 10.0])) == 7.0
        assert num(tape.gradient([y, y], v, output_gradients=[[1.0, 10.0], [1.0, 1.0]])) == 77.0

    def test_one_per_target(self):
        x, y = tf.constant(3.0), tf.constant(2.0)
        with tf.GradientTape() as tape:
            tape.watch([x, y])
            loss = x * y
        g = tape.gradient([loss, x], [x], output_gradients=[1.0, 2.0])
        assert [num(t) for t in g] == [4.0]

    def test_none_entry_raises(self):
        # The spec says a None entry means ones; TF 2.21 raises while back-propagating it.
        x = tf.constant(3.0)
        with tf.GradientTape() as tape:
            tape.watch(x)
            a, b = x * 2.0, x * x
        with pytest.raises(ValueError) as e:
            tape.gradient([a, b], x, output_gradients=[None, 10.0])
        assert str(e.value) == ("Attempt to convert a value (None) with an unsupported type "
                                "(<class 'NoneType'>) to a Tensor.")
        assert num(tape.gradient([a, b], x, output_gradients=[1.0, 10.0])) == 62.0

    def test_tensor_seed_and_dtype_conversion(self):
        x = tf.constant([1.0, 2.0], dtype=tf.float64)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x * x
        g = tape.gradient(y, x, output_gradients=tf.constant([1.0, 0.5], dtype=tf.float64))
        assert g.dtype == tf.float64
        np.testing.assert_allclose(num(g), [2.0, 2.0])

    def test_differentiable_wrt_a_watched_seed(self):
        x = tf.constant(3.0)
        s = tf.constant(2.0)
        with tf.GradientTape() as outer:
            outer.watch(s)
            with tf.GradientTape() as inner:
                inner.watch(x)
                y = x * x
            g = inner.gradient(y, x, output_gradients=s)  # 2x * s
        assert num(g) == 12.0
        assert num(outer.gradient(g, s)) == 6.0


class TestUnconnected:
    def test_default_none(self):
        x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
        y = tf.constant(1.0)
        with tf.GradientTape() as tape:
            tape.watch(x)
            z = y * 2.0
        assert tape.gradient(z, x) is None

    @pytest.mark.parametrize("mode", ["zero", tf.UnconnectedGradients.ZERO])
    def test_zero_tensor_and_variable(self, mode):
        x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
        v = tf.Variable([[1.0, 2.0], [3.0, 4.0]], dtype=tf.float64)
        with tf.GradientTape() as tape:
            tape.watch(x)
            z = tf.constant(1.0) * 2.0
        gx, gv = tape.gradient(z, [x, v], unconnected_gradients=mode)
        assert gx.dtype == tf.float32 and gx.shape == (2, 2)
        assert gv.dtype == tf.float64 and gv.shape == (2, 2)
        np.testing.assert_array_equal(num(gx), [[0, 0], [0, 0]])
        np.testing.assert_array_equal(num(gv), [[0, 0], [0, 0]])

    def test_zero_int_source(self, tf_log):
        x = tf.constant([1, 2])
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x * 2
        g = tape.gradient(y, x, unconnected_gradients="zero")
        assert g.dtype == tf.int32
        np.testing.assert_array_equal(num(g), [0, 0])

    def test_zero_only_for_unconnected(self):
        x, y = tf.constant(3.0), tf.constant(4.0)
        with tf.GradientTape() as tape:
            tape.watch(x)
            z = x * x
        gx, gy = tape.gradient(z, [x, y], unconnected_gradients="zero")
        assert num(gx) == 6.0 and num(gy) == 0.0

    @pytest.mark.parametrize("mode", ["none", tf.UnconnectedGradients.NONE])
    def test_none_accepted(self, mode):
        x = tf.constant(1.0)
        with tf.GradientTape() as tape:
            tape.watch(x)
        assert tape.gradient(tf.constant(2.0), x, unconnected_gradients=mode) is None

    @pytest.mark.parametrize("value, shown", [("nonsense", "'nonsense'"), ("ZERO", "'ZERO'"),
                                              (0, "0")])
    def test_unknown_value(self, value, shown):
        x = tf.constant(1.0)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x * 2.0
        with pytest.raises(ValueError) as e:
            tape.gradient(y, x, unconnected_gradients=value)
        assert str(e.value) == f"Unknown value for unconnected_gradients: {shown}"


class TestDtypes:
    def test_int_and_string_sources_give_none(self, tf_log):
        i = tf.constant(3)
        s = tf.constant("abc")
        x = tf.constant(2.0)
        with tf.GradientTape() as tape:
            tape.watch([i, s, x])
            y = x * x
            z = i * i
        gi, gs, gx = tape.gradient([y, z, s], [i, s, x])
        assert gi is None and gs is None and num(gx) == 4.0

    def test_path_through_int_gives_none(self):
        x = tf.constant(2.5)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.cast(tf.cast(x, tf.int32), tf.float32) * 3.0
        assert tape.gradient(y, x) is None

    @pytest.mark.parametrize("dtype", [tf.float16, tf.float32, tf.float64])
    def test_result_has_source_dtype(self, dtype):
        x = tf.constant([1.0, 2.0], dtype=dtype)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x * x
        g = tape.gradient(y, x)
        assert g.dtype == dtype
        np.testing.assert_array_equal(num(g), np.array([2.0, 4.0], dtype.as_numpy_dtype))

    def test_float32_through_float64_path(self):
        x = tf.constant(1.5)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y64 = tf.cast(x, tf.float64) ** 2
            y = tf.cast(y64, tf.float32) + tf.cast(y64 * 2.0, tf.float32)
        g = tape.gradient(y, x)
        assert g.dtype == tf.float32
        assert num(g) == pytest.approx(3 * 2 * 1.5)

    def test_float64_target_float32_source(self):
        x = tf.constant(2.0)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.cast(x, tf.float64) * 3.0
        g = tape.gradient(y, x)
        assert g.dtype == tf.float32 and num(g) == 3.0


class TestFanOutAndRelease:
    def test_fan_out_adds(self):
        x, y = tf.constant(3.0), tf.constant(5.0)
        with tf.GradientTape() as tape:
            tape.watch([x, y])
            z = x * x + x * y
        gx, gy = tape.gradient(z, [x, y])
        assert (num(gx), num(gy)) == (11.0, 3.0)

    def test_diamond(self):
        x = tf.constant(2.0)
        with tf.GradientTape() as tape:
            tape.watch(x)
            a = tf.sin(x)
            b = a * a
            c = a * 3.0
            y = b + c
        expected = (2 * np.sin(2.0) + 3.0) * np.cos(2.0)
        assert num(tape.gradient(y, x)) == pytest.approx(expected, rel=1e-6)

    def test_release_after_non_persistent_call(self):
        x = tf.constant(np.ones(4, np.float32))
        with tf.GradientTape() as tape:
            tape.watch(x)
            big = x * 2.0
            y = big * big
        ref = weakref.ref(big)
        del big
        gc.collect()
        assert ref() is not None  # the tape keeps the saved input alive
        tape.gradient(y, x)
        gc.collect()
        assert ref() is None  # released with the record

    def test_persistent_keeps_until_deleted(self):
        x = tf.constant(np.ones(4, np.float32))
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            big = x * 2.0
            y = big * big
        ref = weakref.ref(big)
        del big
        tape.gradient(y, x)
        gc.collect()
        assert ref() is not None
        del tape
        gc.collect()
        assert ref() is None


# --- 4.8 stop_recording and reset --------------------------------------------------------------

class TestStopRecording:
    def test_stop_start(self):
        x = tf.Variable(1.0)
        with tf.GradientTape(persistent=True) as tape:
            x2 = x * 2
            with tape.stop_recording():
                y = x2 * x2
                assert active() == []
            z = x2 * x2
        assert tape.gradient(y, x2) is None
        assert tape.gradient(y, x) is None
        assert num(tape.gradient(z, x2)) == 4.0
        assert num(tape.gradient(z, x)) == 8.0

    def test_variable_created_inside_stop_recording(self):
        with tf.GradientTape() as tape:
            with tape.stop_recording():
                v = tf.Variable(2.0)
                y = v * v
        assert tape.gradient(y, v) is None
        assert tape.watched_variables() == ()

    def test_pauses_only_this_tape(self):
        x = tf.constant(3.0)
        with tf.GradientTape() as outer:
            outer.watch(x)
            with tf.GradientTape() as inner:
                inner.watch(x)
                with inner.stop_recording():
                    assert active() == [outer]
                    y = x * x
                assert active() == [outer, inner]  # order restored
        assert num(outer.gradient(y, x)) == 6.0
        assert inner.gradient(y, x) is None

    def test_resumes_after_exception(self):
        tape = tf.GradientTape()
        with tape:
            with pytest.raises(KeyError):
                with tape.stop_recording():
                    raise KeyError
            assert active() == [tape]

    def test_never_entered_or_released(self):
        with pytest.raises(RuntimeError) as e:
            with tf.GradientTape().stop_recording():
                pass
        assert str(e.value) == "Trying to stop recording a tape which is not recording."
        x = tf.constant(1.0)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x * x
        tape.gradient(y, x)
        with pytest.raises(RuntimeError, match=r"^Trying to stop recording a tape which is not "
                                               r"recording\.$"):
            with tape.stop_recording():
                pass

    def test_exited(self):
        tape = tf.GradientTape()
        with tape:
            pass
        with pytest.raises(ValueError) as e:
            with tape.stop_recording():
                pass
        assert str(e.value) == "Tape is not recording."


class TestReset:
    def test_reset_forgets_watch(self):
        x = tf.constant(2.0)
        with tf.GradientTape() as tape:
            tape.watch(x)
            tape.reset()
            y = x * x
        assert tape.gradient(y, x) is None

    def test_reset_keeps_recording(self):
        x = tf.constant(2.0)
        tape = tf.GradientTape()
        with tape:
            tape.reset()
            assert active() == [tape]
            tape.watch(x)
            y = x * x * x
        assert num(tape.gradient(y, x)) == 12.0

    def test_reset_outside(self):
        tape = tf.GradientTape()
        with pytest.raises(ValueError) as e:
            tape.reset()
        assert str(e.value) == "Tape is not recording."
        with tape:
            pass
        with pytest.raises(ValueError, match=r"^Tape is not recording\.$"):
            tape.reset()

    def test_reset_on_persistent_after_gradients(self):
        x = tf.constant(2.0)
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            y = x * x
            tape.reset()
            tape.watch(x)
            z = x * 5.0
        assert tape.gradient(y, x) is None
        assert num(tape.gradient(z, x)) == 5.0


# --- nested tapes and higher order ----------------------------------------------------------------

class TestNested:
    def test_second_derivative(self):
        x = tf.constant(3.0)
        with tf.GradientTape() as t2:
            t2.watch(x)
            with tf.GradientTape() as t1:
                t1.watch(x)
                y = x * x * x
            dy = t1.gradient(y, x)
        assert num(dy) == 27.0
        assert num(t2.gradient(dy, x)) == 18.0

    def test_third_derivative(self):
        x = tf.Variable(3.0)
        with tf.GradientTape() as t3:
            with tf.GradientTape() as t2:
                with tf.GradientTape() as t1:
                    y = x ** 3
                dy = t1.gradient(y, x)
            d2y = t2.gradient(dy, x)
        d3y = t3.gradient(d2y, x)
        assert (num(dy), num(d2y), num(d3y)) == pytest.approx((27.0, 18.0, 6.0))

    def test_inner_gradient_after_outer_block_not_differentiable(self):
        x = tf.constant(3.0)
        with tf.GradientTape() as outer:
            outer.watch(x)
            with tf.GradientTape() as inner:
                inner.watch(x)
                y = x * x
        dy = inner.gradient(y, x)
        assert num(dy) == 6.0
        assert outer.gradient(dy, x) is None

    def test_nested_gradients_mixed_sources(self):
        x = tf.constant(3.0)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x * x
            z = y * y
        gx, gy = tape.gradient(z, [x, y])
        assert (num(gx), num(gy)) == (108.0, 18.0)

    def test_persistent_nested(self):
        x = tf.constant(3.0)
        with tf.GradientTape(persistent=True) as outer:
            outer.watch(x)
            with tf.GradientTape(persistent=True) as inner:
                inner.watch(x)
                y = x * x
                z = y * y
            dy = inner.gradient(y, x)
            dz = inner.gradient(z, x)
        assert (num(dy), num(dz)) == (6.0, 108.0)
        assert num(outer.gradient(dy, x)) == 2.0
        assert num(outer.gradient(dz, x)) == 108.0  # d/dx 4x^3 = 12x^2
        assert num(outer.gradient(z, x)) == 108.0

    def test_gradient_of_gradient_of_exp_and_sin(self):
        x = tf.constant(0.5)
        with tf.GradientTape() as t2:
            t2.watch(x)
            with tf.GradientTape() as t1:
                t1.watch(x)
                y = tf.exp(x) * tf.sin(x)
            dy = t1.gradient(y, x)
        d2 = t2.gradient(dy, x)
        assert num(dy) == pytest.approx(np.exp(0.5) * (np.sin(0.5) + np.cos(0.5)), rel=1e-6)
        assert num(d2) == pytest.approx(2 * np.exp(0.5) * np.cos(0.5), rel=1e-6)


# --- 5.1 UnconnectedGradients, 5.2 stop_gradient, identity ----------------------------------------

class TestUnconnectedGradientsEnum:
    def test_reprs(self):
        assert repr(tf.UnconnectedGradients.NONE) == "<UnconnectedGradients.NONE: 'none'>"
        assert repr(tf.UnconnectedGradients.ZERO) == "<UnconnectedGradients.ZERO: 'zero'>"
        assert str(tf.UnconnectedGradients.ZERO) == "UnconnectedGradients.ZERO"
        assert str(tf.UnconnectedGradients.NONE) == "UnconnectedGradients.NONE"

    def test_values_and_lookup(self):
        import enum
        assert issubclass(tf.UnconnectedGradients, enum.Enum)
        assert tf.UnconnectedGradients("zero") is tf.UnconnectedGradients.ZERO
        assert tf.UnconnectedGradients("none") is tf.UnconnectedGradients.NONE
        assert tf.UnconnectedGradients.ZERO.value == "zero"
        assert [m.name for m in tf.UnconnectedGradients] == ["NONE", "ZERO"]


class TestStopGradient:
    def test_value_and_new_tensor(self):
        x = tf.constant([1.0, 2.0])
        s = tf.stop_gradient(x)
        assert s is not x
        assert type(s).__name__ == "EagerTensor"
        np.testing.assert_array_equal(s.numpy(), [1.0, 2.0])

    def test_variable_input_gives_tensor(self):
        v = tf.Variable(2.0)
        s = tf.stop_gradient(v)
        assert isinstance(s, tf.Tensor) and not isinstance(s, tf.Variable)
        assert s.numpy() == 2.0

    def test_gradient_none_along_path(self):
        x, y = tf.constant(2.0), tf.constant(3.0)
        with tf.GradientTape() as tape:
            tape.watch([x, y])
            z = x ** 2 + tf.stop_gradient(y ** 2)  # AAD-04
        gx, gy = tape.gradient(z, [x, y])
        assert num(gx) == 4.0
        assert gy is None

    def test_only_the_stopped_path(self):
        x = tf.constant(3.0)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x * tf.stop_gradient(x)
        assert num(tape.gradient(y, x)) == 3.0

    def test_downstream_ops_not_recorded(self):
        x = tf.constant(3.0)
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            s = tf.stop_gradient(x)
            t = s * s
        assert tape.gradient(t, s) is None
        assert tape.gradient(t, x) is None

    def test_variable_in_stop_gradient(self):
        v = tf.Variable(2.0)
        with tf.GradientTape() as tape:
            y = tf.stop_gradient(v) * 3.0
        assert tape.watched_variables() == ()  # the read happens with recording paused
        assert tape.gradient(y, v) is None


class TestIdentity:
    def test_new_tensor_gradient_one(self):
        x = tf.constant(3.0)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.identity(x)
        assert y is not x
        assert num(tape.gradient(y, x)) == 1.0

    def test_identity_tracked_separately(self):
        x = tf.constant(3.0)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.identity(x)
            z = x * 2.0 + y * 3.0
        gx, gy = tape.gradient(z, [x, y])
        assert (num(gx), num(gy)) == (5.0, 3.0)

    def test_identity_of_variable(self):
        v = tf.Variable([1.0, 2.0])
        with tf.GradientTape() as tape:
            y = tf.identity(v)
        assert type(y).__name__ == "EagerTensor"
        np.testing.assert_array_equal(num(tape.gradient(y, v)), [1.0, 1.0])

    def test_identity_second_order(self):
        x = tf.constant(2.0)
        with tf.GradientTape() as t2:
            t2.watch(x)
            with tf.GradientTape() as t1:
                t1.watch(x)
                y = tf.identity(x * x)
            dy = t1.gradient(y, x)
        assert num(t2.gradient(dy, x)) == 2.0


def test_tape_exited_in_another_thread_stops_recording_without_error():
    import threading
    x = tf.constant(2.0)
    tape = tf.GradientTape()
    tape.__enter__()
    tape.watch(x)
    y = x * x
    errors = []

    def leave():
        try:
            tape.__exit__(None, None, None)
        except Exception as e:  # noqa: BLE001 - any error is the failure
            errors.append(e)
    t = threading.Thread(target=leave)
    t.start()
    t.join()
    assert errors == []
    z = x * 3.0  # no longer recorded: the tape left the stack it was pushed on
    assert float(tape.gradient(y, x)) == 4.0
    assert tf.GradientTape().__class__ is tape.__class__ and z is not None


def test_np_warnings_never_escape_ops_rules_or_conversions():
    import warnings
    x = tf.Variable([np.inf, 0.0, 3e38])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(x * 0.0 + x * 10.0 - x / x + tf.sqrt(-x) + tf.math.log(x * 0.))
        g = tape.gradient(y, x)
        x.assign_add([np.inf, 1.0, 3e38])
        tf.constant([1e300, 1.0], tf.float16)
    assert np.isnan(g.numpy()[0]) and np.isnan(float(y))
    with pytest.warns(RuntimeWarning):  # the user's own NumPy calls keep NumPy's behaviour
        np.array([0.0]) / 0.0
