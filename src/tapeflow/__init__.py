"""tapeflow: TensorFlow 2's eager tensors, Variables and GradientTape, on NumPy.

    import tapeflow as tf
"""

__version__ = "0.1.0"

from .framework.dtypes import (  # noqa: F401
    DType, as_dtype, bool, complex64, complex128, double, float16, float32, float64, half,
    int8, int16, int32, int64, string, uint8, uint16, uint32, uint64)
from .framework.shape import TensorShape  # noqa: F401
from .framework.tensor import Tensor, constant, convert_to_tensor, is_tensor  # noqa: F401
from .framework.variable import Variable  # noqa: F401
from .engine.tape import GradientTape, UnconnectedGradients  # noqa: F401
from . import ops as _ops  # noqa: F401  (attaches the operators)
from .ops.array_ops import (  # noqa: F401
    broadcast_to, cast, expand_dims, eye, fill, linspace, ones, ones_like, range, rank, reshape,
    shape, size, squeeze, transpose, zeros, zeros_like)
from .ops.linalg_ops import matmul  # noqa: F401
from .ops.math_ops import (  # noqa: F401
    abs, add, add_n, cos, divide, equal, exp, floordiv, greater, greater_equal, identity, less,
    less_equal, logical_and, logical_not, logical_or, maximum, minimum, multiply, negative,
    not_equal, pow, sign, sin, sqrt, square, stop_gradient, subtract, tan, tanh, truediv, where)
from .ops.reduction_ops import (  # noqa: F401
    reduce_max, reduce_mean, reduce_min, reduce_prod, reduce_sum)
from . import autodiff, dtypes, errors, linalg, math, nest, nn, random  # noqa: F401,E402

newaxis = None
