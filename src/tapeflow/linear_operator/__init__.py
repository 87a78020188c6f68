"""``tf.linalg.LinearOperator`` and its 21 kinds (loaded on first use through ``tf.linalg``:
they are tf.Modules, which live above the op library)."""

from .base import (LinearOperator, LinearOperatorAdjoint, LinearOperatorComposition,  # noqa: F401
                   LinearOperatorFullMatrix, LinearOperatorInversion,
                   LinearOperatorLowerTriangular)
from .blocks import (LinearOperatorBlockDiag, LinearOperatorBlockLowerTriangular,  # noqa: F401
                     LinearOperatorKronecker, LinearOperatorLowRankUpdate)
from .diagonal import (LinearOperatorDiag, LinearOperatorIdentity,  # noqa: F401
                       LinearOperatorScaledIdentity, LinearOperatorZeros)
from .structured import (LinearOperatorCirculant, LinearOperatorCirculant2D,  # noqa: F401
                         LinearOperatorCirculant3D, LinearOperatorHouseholder,
                         LinearOperatorPermutation, LinearOperatorToeplitz,
                         LinearOperatorTridiag)
