"""Every row of the op table under tf.function: the traced program gives the eager values and
gradients bit for bit, and each output's static shape and dtype are the eager ones (issue #9)."""

import numpy as np
import pytest

import tapeflow as tf
from tapeflow.graph import static_shapes

from op_specs import SPECS

# Draws differ between the eager and the traced run by design; random_gamma_alpha's row computes
# its sample with NumPy from the input's value (a Python-side computation a graph cannot trace).
RANDOM = {"dropout", "random_gamma_alpha"}
# Rows whose output size depends on values (a mask's count of True): TF's static shape has None.
# from_dense: TF gives values [None]; repeat by a list: TF's [None, 2] (a scalar count: known);
# dynamic_partition: TF's [None, 2] whatever the partitions
VALUE_DEPENDENT = {"boolean_mask", "sparse_from_dense", "repeat", "dynamic_partition"}
CASES = [pytest.param(spec, spec.shapes[-1], id=spec.name) for spec in SPECS
         if spec.name not in RANDOM]


@pytest.fixture(autouse=True)
def _strict_shape_rules(monkeypatch):
    """A shape rule that disagrees with its forward while tracing fails the row."""
    monkeypatch.setattr(static_shapes, "STRICT", True)


def _value_and_grads(fn):
    def run(*xs):
        with tf.GradientTape() as tape:
            tape.watch(xs)
            ys = fn(*xs)
        first = next(y for y in tf.nest.flatten(ys) if y is not None)
        return ys, tape.gradient(first, list(xs))
    return run


def _same(a, b):
    if a is None or b is None:
        return a is None and b is None
    a, b = np.asarray(a), np.asarray(b)
    return a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b, equal_nan=True)


@pytest.mark.parametrize("spec,shapes", CASES)
def test_traced_equals_eager(spec, shapes):
    xs = [tf.constant(a) for a in spec.args(shapes)]
    run = _value_and_grads(spec.fn)
    eager_ys, eager_gs = run(*xs)
    traced = tf.function(run)
    ys, gs = traced(*xs)  # the trace's own results
    ys2, gs2 = traced(*xs)  # the compiled program's
    for got in ((ys, gs), (ys2, gs2)):
        for a, b in zip(tf.nest.flatten(eager_ys) + list(eager_gs),
                        tf.nest.flatten(got[0]) + list(got[1])):
            assert _same(a, b)
    # other values of the same shapes: the program computes them, it never keeps the first's
    xs2 = [tf.constant(a) for a in spec.args(shapes, seed=1)]
    eager2, traced2 = run(*xs2), traced(*xs2)
    for a, b in zip(tf.nest.flatten(eager2[0]) + list(eager2[1]),
                    tf.nest.flatten(traced2[0]) + list(traced2[1])):
        assert _same(a, b)
    graph_ys = tf.nest.flatten(traced.get_concrete_function(*xs).structured_outputs[0])
    for a, b in zip(tf.nest.flatten(eager_ys), graph_ys):
        if a is not None:
            assert b.dtype == a.dtype and b.shape.is_compatible_with(a.shape)
            assert spec.name in VALUE_DEPENDENT or b.shape == a.shape
