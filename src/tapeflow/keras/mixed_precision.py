"""``keras.mixed_precision``: the global dtype policy under its older names
(docs/keras-mixed-precision.md)."""

from .config import dtype_policy, set_dtype_policy  # noqa: F401
from .dtype_policies import DTypePolicy  # noqa: F401
from .optimizers import LossScaleOptimizer  # noqa: F401

Policy = DTypePolicy
global_policy = dtype_policy
set_global_policy = set_dtype_policy

