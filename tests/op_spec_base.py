"""The op table's row type and input draws (the rows live in op_specs*.py).

Each row names a function of Tensors, the argument shapes to try (broadcasting pairs for binary
ops) and how to draw inputs. ``test_op_gradients`` checks every row to second order against
finite differences in float64; ``test_registry_coverage`` fails when a registered differentiable
primitive is reached by no row.
"""

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

import tapeflow as tf

UNARY = [((),), ((3,),), ((2, 3),)]
BINARY = [((3,), (3,)), ((2, 3), (3,)), ((2, 1), (1, 3)), ((), (2, 3)), ((4, 1, 3), (2, 1)),
          ((1,), (5,))]


def uniform(lo, hi):
    return lambda rng, shape, i: rng.uniform(lo, hi, size=shape)


def away_from_zero(lo=0.3, hi=2.0):
    """Magnitudes in [lo, hi] with random signs: keeps kinks (abs, relu, sign) out of reach."""
    return lambda rng, shape, i: rng.uniform(lo, hi, size=shape) * rng.choice([-1, 1], size=shape)


def distinct(lo=-2.0, hi=2.0):
    """Argument i is offset by i/3 + noise so that ties (max/min) never occur."""
    return lambda rng, shape, i: rng.uniform(lo, hi, size=shape) + 0.37 * i


def per_arg(*draws):
    return lambda rng, shape, i: draws[i](rng, shape, i)


@dataclass
class OpSpec:
    name: str
    fn: Callable
    shapes: list = field(default_factory=lambda: UNARY)
    draw: Callable = uniform(-2.0, 2.0)
    order: int = 2
    dtype: type = np.float64

    def args(self, shapes, seed=0):
        rng = np.random.default_rng(seed)
        return [np.asarray(self.draw(rng, s, i)).astype(self.dtype) for i, s in enumerate(shapes)]


def _mask(x):
    """A fixed, input-independent boolean mask of x's shape (for tf.where), made with ops from
    x's run-time shape so that a graph traced with None dims makes it for every size."""
    return tf.reshape(tf.range(tf.size(x)), tf.shape(x)) % 2 == 0


class _Spy:
    """A recorder that notes the name of every differentiable op run while it is active."""

    def __init__(self):
        self.seen = set()

    def record(self, prim, inputs, outputs, attrs):
        self.seen.add(prim.name)

    def record_read(self, variable, tensor):
        self.seen.add("ReadVariableOp")


def primitives_reached(spec):
    """TF op types a row runs, forward and in its first and second derivative."""
    from tapeflow.engine import core

    spy = _Spy()
    core.state.stack.append(spy)  # outermost: sees forward and (Tensor-mode) rule ops alike
    try:
        run_to_order(spec, spec.shapes[0])
    finally:
        core.state.stack.remove(spy)
    return spy.seen


def run_to_order(spec, shapes):
    """Run a row on inputs of ``shapes``: forward, first and (unless the row is first-order
    only) second derivative."""
    xs = [tf.constant(a) for a in spec.args(shapes)]
    with tf.GradientTape() as outer:
        outer.watch(xs)
        with tf.GradientTape() as inner:
            inner.watch(xs)
            y = spec.fn(*xs)
        grads = inner.gradient(y, xs, unconnected_gradients="zero")
    if spec.order >= 2:  # a first-order row claims no second derivative
        outer.gradient(grads, xs)
