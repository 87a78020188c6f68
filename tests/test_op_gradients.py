"""Every row of the op table: reverse and forward mode against finite differences, first and
second order."""

import numpy as np
import pytest

import tapeflow as tf

from tapeflow.testing import check_gradients

from op_specs import SPECS

CASES = [pytest.param(spec, shapes, id=f"{spec.name}-{'x'.join(map(str, shapes))}")
         for spec in SPECS for shapes in spec.shapes]


@pytest.mark.parametrize("spec,shapes", CASES)
def test_gradient_matches_finite_differences(spec, shapes):
    check_gradients(spec.fn, spec.args(shapes), order=spec.order, modes=("rev", "fwd"))


def _first_output(ys):
    return next(y for y in tf.nest.flatten(ys) if y is not None)


def _assert_same(fast, slow):
    for a, b in zip(fast, slow):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("spec,shapes", CASES)
def test_jacobian_paths_agree(spec, shapes):
    """The vectorized jacobian (batched rules) equals the per-row loop and sums to the gradient,
    for the function and for its gradient (a Hessian: rules differentiated in batch)."""
    xs = [tf.constant(a) for a in spec.args(shapes)]
    with tf.GradientTape(persistent=True) as outer:
        outer.watch(xs)
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(xs)
            y = _first_output(spec.fn(*xs))
        grads = tape.gradient(y, xs, unconnected_gradients="zero")
    fast = tape.jacobian(y, xs, unconnected_gradients="zero")
    slow = tape.jacobian(y, xs, unconnected_gradients="zero", experimental_use_pfor=False)
    _assert_same(fast, slow)
    axes = tuple(range(len(y.shape)))
    _assert_same([np.sum(np.asarray(j), axis=axes) for j in fast], grads)
    if spec.order < 2:  # a first-order row claims no second derivative
        return
    g0 = grads[0]
    _assert_same(outer.jacobian(g0, xs, unconnected_gradients="zero"),
                 outer.jacobian(g0, xs, unconnected_gradients="zero", experimental_use_pfor=False))
