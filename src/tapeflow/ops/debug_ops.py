"""``tf.debugging``: check_numerics, and the switches for tapeflow's debugging aids."""

import numpy as np

from ..engine.core import apply, primitive
from ..engine.numerics import disable_check_numerics, enable_check_numerics  # noqa: F401
from ..engine.tape import explain_none_gradients  # noqa: F401
from ..framework import errors
from ._helpers import tensor


def _check(x, message):
    if x.dtype.kind in "fc" and not np.isfinite(x).all():
        what = "NaN" if np.isnan(x).any() else "Inf"
        raise errors.op_error("CheckNumerics", f"{message} : Tensor had {what} values")
    return x


CHECK_NUMERICS = primitive("CheckNumerics", _check, save=(), batched=True).defvjp(
    # TF checks the gradient too, with a prefix naming where the bad values came from.
    lambda g, ans, x, message: CHECK_NUMERICS(
        g, message="Not a number (NaN) or infinity (Inf) values detected in gradient. " + message))


def check_numerics(tensor_, message, name=None):
    """``tf.debugging.check_numerics``: ``tensor`` unchanged, or InvalidArgumentError on NaN/Inf."""
    return apply(CHECK_NUMERICS, (tensor(tensor_),), {"message": message})


EXPORTS = {
    "debugging": ["check_numerics", "enable_check_numerics", "disable_check_numerics",
                  "explain_none_gradients"],
}
