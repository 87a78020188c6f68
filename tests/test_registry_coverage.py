"""The op table must reach every registered differentiable primitive (so none goes unchecked)."""

from tapeflow.engine import core
from tapeflow.engine.tape import GradientTape
import tapeflow as tf

from op_specs import SPECS


class _Spy:
    """A recorder that notes the name of every differentiable op run while it is active."""

    def __init__(self):
        self.seen = set()

    def record(self, prim, inputs, outputs, attrs):
        self.seen.add(prim.name)

    def record_read(self, variable, tensor):
        self.seen.add("ReadVariableOp")


def _exercise(spec, spy):
    xs = [tf.constant(a) for a in spec.args(spec.shapes[0])]
    core.state.stack.append(spy)  # outermost: sees forward and (Tensor-mode) rule ops alike
    try:
        with GradientTape() as outer:
            outer.watch(xs)
            with GradientTape() as inner:
                inner.watch(xs)
                y = spec.fn(*xs)
            grads = inner.gradient(y, xs, unconnected_gradients="zero")
        outer.gradient(grads, xs)
    finally:
        core.state.stack.remove(spy)


def test_every_differentiable_primitive_has_an_op_table_row():
    spy = _Spy()
    for spec in SPECS:
        _exercise(spec, spy)
    differentiable = {name for name, p in core.REGISTRY.items() if p.differentiable}
    missing = sorted(differentiable - spy.seen)
    assert not missing, f"registered ops with no row in tests/op_specs.py: {missing}"


def test_every_primitive_declares_its_gradient_status():
    for name, prim in core.REGISTRY.items():
        assert prim.name == name
        if prim.differentiable:
            assert prim.vjps is not None, f"{name}: no VJP and not declared non-differentiable"
