"""``keras.ops`` (Keras 3 as TF 2.21 ships it): NumPy-style, neural-network, linear-algebra and
image functions over tapeflow's differentiable ops, plus control flow and tensor helpers.

The namespaces ``numpy``, ``nn``, ``linalg`` and ``image`` hold the functions by topic; this
module re-exports all but ``image``, as Keras does.
"""

from . import image, linalg, nn, numpy  # noqa: F401
from .numpy import *  # noqa: F401,F403
from .nn import *  # noqa: F401,F403
from .linalg import *  # noqa: F401,F403
from ._core import *  # noqa: F401,F403
