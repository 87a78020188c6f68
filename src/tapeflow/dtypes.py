"""``tf.dtypes``."""

from .framework.dtypes import *  # noqa: F401,F403
from .framework.dtypes import DType, as_dtype  # noqa: F401
from .ops import export as _export  # noqa: E402

_export("dtypes", globals())
QUANTIZED_DTYPES = frozenset()  # NumPy has no quantized dtypes, so tapeflow has none
