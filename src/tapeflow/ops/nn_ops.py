"""Neural-network activations (``tf.nn``), each numerically stable at +-1000 like TF's."""

import numpy as np

from ..engine.core import primitive, quiet
from . import _k
from ._helpers import FLOAT, REAL, unary_op
from .math_ops import WHERE, tanh  # noqa: F401  (tf.nn.tanh)


def _sigmoid_forward(x):
    e = np.exp(-np.abs(x))  # never overflows
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype, copy=False)


SIGMOID = primitive("Sigmoid", _sigmoid_forward, save=("output",)).defvjp(
    lambda g, ans, x: g * _k.conj(ans * (1 - ans)))
sigmoid = unary_op(SIGMOID, FLOAT)


def _softplus_forward(x):
    # TF's thresholds: x itself above -log(eps)-2, exp(x) below log(eps)+2, else log1p(exp(x)).
    threshold = np.log(np.finfo(x.dtype).eps) + 2
    with np.errstate(over="ignore", under="ignore"):
        safe = np.minimum(x, -threshold)
        e = np.exp(safe)
        out = np.where(x > -threshold, x, np.where(x < threshold, e, np.log1p(e)))
    return out.astype(x.dtype, copy=False)


SOFTPLUS = primitive("Softplus", _softplus_forward, save=("inputs",)).defvjp(
    lambda g, ans, x: g * SIGMOID(x))
softplus = unary_op(SOFTPLUS, REAL)

# TF's ReluGrad masks with the output: relu'(0) = 0.
RELU = primitive("Relu", quiet(lambda x: np.maximum(x, 0).astype(x.dtype, copy=False)),
                 save=("output",)).defvjp(
    lambda g, ans, x: WHERE(ans > 0, g, _k.zeros_like(g)))
relu = unary_op(RELU, "fiu")

EXPORTS = {
    "nn": ["relu", "sigmoid", "softplus", ("tanh", "tanh")],
    "math": ["sigmoid", "softplus"],
}
