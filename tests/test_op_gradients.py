"""Every row of the op table: reverse mode against finite differences, first and second order."""

import pytest

from tapeflow.testing import check_gradients

from op_specs import SPECS

CASES = [pytest.param(spec, shapes, id=f"{spec.name}-{'x'.join(map(str, shapes))}")
         for spec in SPECS for shapes in spec.shapes]


@pytest.mark.parametrize("spec,shapes", CASES)
def test_gradient_matches_finite_differences(spec, shapes):
    check_gradients(spec.fn, spec.args(shapes), order=spec.order)
