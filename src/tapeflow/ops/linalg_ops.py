"""Linear algebra (``tf.linalg``): matmul."""

import numpy as np

from ..engine.core import apply, primitive
from ..framework import errors
from . import _k
from ._helpers import operands
from .array_ops import eye, transpose  # noqa: F401  (tf.linalg.eye)


def _t(x):
    """Swap the last two axes (dual-mode, for rules)."""
    nd = len(_k.shape_of(x))
    perm = tuple(range(nd - 2)) + (nd - 1, nd - 2)
    from .array_ops import TRANSPOSE
    return TRANSPOSE(x, perm=perm)


# Batch dimensions broadcast; the engine sums the cotangents back to each operand's shape.
MATMUL = primitive("MatMul", np.matmul, save=("inputs",)).defvjp(
    lambda g, ans, a, b: MATMUL(g, _k.conj(_t(b))),
    lambda g, ans, a, b: MATMUL(_k.conj(_t(a)), g))


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           a_is_sparse=False, b_is_sparse=False, output_type=None, grad_a=False, grad_b=False,
           name=None):
    """``tf.linalg.matmul`` / ``a @ b``: (batched) matrix product of rank >= 2 tensors."""
    a, b = operands(a, b, "MatMul")
    ra, rb = a._value.ndim, b._value.ndim
    if ra < 2 or rb < 2:
        raise errors.op_error(
            "MatMul", f"In[0] and In[1] has different ndims: {list(a._value.shape)} vs. "
            f"{list(b._value.shape)}" if ra != rb else
            f"In[0] ndims must be >= 2: {ra}")
    if transpose_a or adjoint_a:
        a = transpose(a, perm=tuple(range(ra - 2)) + (ra - 1, ra - 2), conjugate=adjoint_a)
    if transpose_b or adjoint_b:
        b = transpose(b, perm=tuple(range(rb - 2)) + (rb - 1, rb - 2), conjugate=adjoint_b)
    ka, kb = a._value.shape[-1], b._value.shape[-2]
    if ka != kb:
        raise errors.op_error(
            "MatMul", f"Matrix size-incompatible: In[0]: {list(a._value.shape)}, In[1]: "
            f"{list(b._value.shape)}")
    return apply(MATMUL, (a, b), {})

EXPORTS = {
    "": ["matmul"],
    "linalg": ["matmul", ("eye", "eye")],
}
