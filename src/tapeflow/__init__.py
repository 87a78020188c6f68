"""tapeflow: TensorFlow 2's eager tensors, Variables and GradientTape, on NumPy.

    import tapeflow as tf
"""

__version__ = "0.1.0"

from .framework.dtypes import (  # noqa: F401
    DType, as_dtype, bool, complex64, complex128, double, float16, float32, float64, half,
    int8, int16, int32, int64, string, uint8, uint16, uint32, uint64)
from .framework import dtypes as _dtypes
if _dtypes.ml_dtypes is not None:  # tf.bfloat16 needs the optional ml_dtypes
    bfloat16 = _dtypes.bfloat16
from .framework.shape import TensorShape  # noqa: F401
from .framework.tensor import (  # noqa: F401
    Tensor, constant, convert_to_tensor, is_tensor, register_tensor_conversion_function)
from .framework.variable import Variable, variable_creator_scope  # noqa: F401
from .engine.tape import GradientTape, UnconnectedGradients  # noqa: F401
from .ops import export as _export

_export("", globals())

from .engine.custom_gradient import custom_gradient, recompute_grad  # noqa: F401,E402
from .module import Module, TensorSpec, function  # noqa: F401,E402
from . import (  # noqa: F401,E402
    audio, autodiff, bitwise, debugging, dtypes, errors, image, linalg, math, nest, nn, random,
    test, testing)

from . import config  # noqa: F401,E402
from .graph.control_flow import case, cond, switch_case, while_loop  # noqa: F401,E402
from .graph.functional_ops import foldl, foldr, map_fn, scan, vectorized_map  # noqa: F401,E402
from .graph.script_ops import (  # noqa: F401,E402
    control_dependencies, init_scope, inside_function, is_symbolic_tensor, numpy_function,
    py_function)
from .graph.script_ops import print_ as print  # noqa: F401,E402,A001
from .graph.tensor_array import TensorArray  # noqa: F401,E402
from . import autograph, types  # noqa: F401,E402

newaxis = None

from . import signal  # noqa: F401,E402
from . import ragged, sparse  # noqa: F401,E402
from . import strings  # noqa: F401,E402

# The subsystems around the core load on first use (`tf.keras`, `tf.data`, ...), so that
# `import tapeflow` stays a blink: Keras alone would add about a quarter to it.
_LAZY = ("keras", "data", "summary", "train", "saved_model", "viz", "profiler")
_LAZY += ("io", "experimental", "distribute")


def __getattr__(name):
    if name in _LAZY:
        import importlib
        return importlib.import_module(f"{__name__}.{name}")  # binds the attribute as it loads
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_LAZY))

