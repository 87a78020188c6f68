"""``tf.experimental.numpy`` ("tnp"): NumPy's API on tapeflow tensors.

Every function returns tensors (``tnp.ndarray`` is ``tf.Tensor``), built on tapeflow's ops, so
results differentiate and trace in ``tf.function``. Dtypes follow NumPy's promotion; Python
floats become float64 unless ``experimental_enable_numpy_behavior(prefer_float32=True)``.
"""

import numpy as _np

import tapeflow as _tf

from ._core import *  # noqa: F401,F403
from ._core import __all__ as _names  # noqa: F401
from ._dtypes import tnp_result_type as result_type  # noqa: F401
from . import random  # noqa: F401
from ._behavior import enable as experimental_enable_numpy_behavior  # noqa: F401

ndarray = _tf.Tensor
newaxis = None
e, pi, inf = _np.e, _np.pi, _np.inf

bool_, object_, string_, unicode_ = _np.bool_, _np.object_, _np.bytes_, _np.str_
int_, float_, complex_ = _np.int64, _np.float64, _np.complex128
int8, int16, int32, int64 = _np.int8, _np.int16, _np.int32, _np.int64
uint8, uint16, uint32, uint64 = _np.uint8, _np.uint16, _np.uint32, _np.uint64
float16, float32, float64 = _np.float16, _np.float32, _np.float64
complex64, complex128 = _np.complex64, _np.complex128
inexact = _np.inexact
