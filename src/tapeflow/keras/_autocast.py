"""Mixed precision inside a layer's call: the autocast scope (Keras 3's rule).

A layer whose policy computes in another dtype than its variables' (``"mixed_float16"``) runs
its ``call`` with the compute dtype as the *autocast dtype*: its floating Keras variables (those
made with ``autocast=True``) are read cast to it, so ``x @ kernel`` is float16 while the kernel
stays float32 and the tape's Cast carries the gradient back to float32. A layer called inside
another's call changes the scope only where its own policy differs: to its compute dtype, or to
none when it does not autocast or computes in a non-float dtype.
"""

from ..framework import dtypes
from ..framework.tensor import Tensor, convert_to_tensor
from ..framework.variable import ResourceVariable
from ..ops.array_ops import cast

scope = [None]  # the autocast DType now, or None


def _install():
    """From the first mixed policy on, Keras variables are read (and tell their dtype) through
    the scope; until then they are plain ``tf.Variable`` reads, at no cost."""
    from .layers.layer import Variable
    Variable._dense_read = _scoped_read
    Variable.dtype = property(_scoped_dtype)
    _installed[0] = True


_installed = [False]


def _scoped_read(variable):
    t = ResourceVariable._dense_read(variable)
    return t if scope[0] is None else cast_read(variable, t)


def _scoped_dtype(variable):
    """In a mixed layer's call, the dtype the variable's reads have (Keras's rule)."""
    dtype = dtypes.from_numpy(variable._handle.value.dtype)
    return dtype if scope[0] is None else read_dtype(variable, dtype)


def set_policy(layer, value):
    """Give ``layer`` the policy ``value`` names (None: the global policy), with the DTypes its
    calls use."""
    from . import dtype_policies
    policy = dtype_policies.get(value)
    compute = dtypes.as_dtype(policy.compute_dtype)
    variable = dtypes.as_dtype(policy.variable_dtype)
    object.__setattr__(layer, "_keras_policy", policy)
    object.__setattr__(layer, "_keras_compute", compute)
    object.__setattr__(layer, "_keras_variable", variable)
    object.__setattr__(layer, "_keras_mixed", compute if compute != variable else None)
    if compute != variable and not _installed[0]:
        _install()


def layer_scope(layer, current):
    """The autocast dtype inside ``layer``'s call when it is ``current`` around it."""
    if current is None:
        return layer._keras_mixed
    compute = layer._keras_compute
    if not layer.autocast or not compute.is_floating:
        return None
    return compute


def cast_read(variable, tensor):
    """A read of a Keras variable as the scope sees it."""
    dtype = scope[0]
    if (dtype is None or not getattr(variable, "_autocast", True) or tensor.dtype == dtype or
            not tensor.dtype.is_floating):
        return tensor
    return cast(tensor, dtype)


def read_dtype(variable, dtype):
    """``variable.dtype`` inside the scope: the dtype its reads have."""
    scoped = scope[0]
    if scoped is None or not getattr(variable, "_autocast", True) or not dtype.is_floating:
        return dtype
    return scoped


def assign(update, variable, value, read_value):
    """``update(value)`` (a base-class assign method of ``variable``) as Keras assigns: a tensor
    of another dtype (a float16 one computed inside a mixed call) cast to the variable's dtype,
    converted outside the scope; the new value returned in the variable's dtype."""
    saved = scope[0]
    scope[0] = None
    try:
        if isinstance(value, Tensor | ResourceVariable):
            value = convert_to_tensor(value)
            own = variable._handle.value.dtype
            if value._value.dtype != own:
                value = cast(value, dtypes.from_numpy(own))
        update(value, read_value=False)
        return variable.read_value() if read_value else None
    finally:
        scope[0] = saved


def maybe_scale_loss(model, optimizer):
    """What ``compile`` keeps as the optimizer: wrapped in a ``LossScaleOptimizer`` when the
    model computes in float16 (float16 gradients underflow without loss scaling), as Keras."""
    from .optimizers import LossScaleOptimizer
    if (optimizer is None or model.dtype_policy.name != "mixed_float16" or
            isinstance(optimizer, LossScaleOptimizer)):
        return optimizer
    return LossScaleOptimizer(optimizer, name="loss_scale_optimizer")


def widen(x):
    """``x`` in float32 when it is float16 or bfloat16 (Keras's normalization layers compute
    their statistics in at least float32)."""
    return cast(x, dtypes.float32) if x.dtype in (dtypes.float16, dtypes.bfloat16) else x


def read_as(variable, dtype):
    """A variable's value (as the scope reads it) cast to ``dtype``, as Keras's normalization
    layers read their weights (``tf.cast`` would return a variable of that dtype unread)."""
    return cast(convert_to_tensor(variable), dtype)
