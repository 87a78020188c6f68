"""The op table must reach every registered differentiable primitive (so none goes unchecked)."""

from tapeflow.engine import core

from op_spec_base import primitives_reached
from op_specs import SPECS


def test_every_differentiable_primitive_has_an_op_table_row():
    seen = set().union(*(primitives_reached(spec) for spec in SPECS))
    differentiable = {name for name, p in core.REGISTRY.items()
                      if p.differentiable and name not in core.NO_GRADIENT}
    missing = sorted(differentiable - seen)
    assert not missing, f"registered ops with no row in tests/op_specs*.py: {missing}"


def test_every_primitive_declares_its_gradient_status():
    for name, prim in core.REGISTRY.items():
        assert prim.name == name
        if name in core.NO_GRADIENT:
            assert prim.vjps is None, f"{name}: declared gradient-less but has a VJP"
        elif prim.differentiable:
            assert prim.vjps is not None, f"{name}: no VJP and not declared non-differentiable"
