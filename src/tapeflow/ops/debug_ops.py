"""``tf.debugging``: check_numerics, and the switches for tapeflow's debugging aids."""

import numpy as np

from ..engine.core import apply, primitive
from ..engine.numerics import disable_check_numerics, enable_check_numerics  # noqa: F401
from ..engine.tape import explain_none_gradients  # noqa: F401
from ..framework import errors
from ..framework.context import state
from ..framework.optimizer_options import debug_stripped
from ._helpers import tensor

_ALLOWED = ("bfloat16", "float16", "float32", "float64")  # TF's CheckNumerics: T in these
_BAD_T = ("Value for attr 'T' of {} is not in the list of allowed values: bfloat16, half, float, "
          "double\n\t; NodeDef: {{{{node CheckNumerics}}}}; Op<name=CheckNumerics; "
          "signature=tensor:T -> output:T; attr=T:type,allowed=[DT_BFLOAT16, DT_HALF, DT_FLOAT, "
          "DT_DOUBLE]; attr=message:string; is_stateful=true>")
_IN_GRADIENT = "Not a number (NaN) or infinity (Inf) values detected in gradient. "


def _check(x, message, name=""):
    if x.size and not np.isfinite(x).all():
        nan, inf = np.isnan(x).any(), np.isinf(x).any()
        what = "Inf and NaN" if nan and inf else "NaN" if nan else "Inf"
        raise errors.op_error("CheckNumerics", f"{message} : Tensor had {what} values",
                              kernel=True, name=name)
    return x


CHECK_NUMERICS = primitive("CheckNumerics", _check, save=(), batched=True).defvjp(
    # TF checks the gradient too, with a prefix naming where the bad values came from (TF shows
    # the message attr as Python bytes there: b'...').
    lambda g, ans, x, message, name="": CHECK_NUMERICS(
        g, message=_IN_GRADIENT + str(message.encode())))


def check_numerics(tensor_, message, name=None):
    """``tf.debugging.check_numerics``: ``tensor`` unchanged, or InvalidArgumentError on NaN/Inf."""
    t = tensor(tensor_)
    name = name or ""
    if t.dtype.name not in _ALLOWED:
        raise errors.op_error("CheckNumerics", _BAD_T.format(t.dtype._op_name), name=name)
    if state.graph is not None and debug_stripped():
        return t
    return apply(CHECK_NUMERICS, (t,), {"message": message, "name": name})


EXPORTS = {
    "debugging": ["check_numerics", "enable_check_numerics", "disable_check_numerics",
                  "explain_none_gradients"],
}
