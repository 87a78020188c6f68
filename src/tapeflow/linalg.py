"""``tf.linalg``: filled from the op families' EXPORTS lists (see tapeflow/ops/__init__.py); the
``LinearOperator`` classes load on first use (tapeflow/linear_operator)."""

from .framework.lazy import lazy_names as _lazy_names
from .ops import export as _export

_export("linalg", globals())

_OPERATORS = ("LinearOperator", "LinearOperatorAdjoint", "LinearOperatorBlockDiag",
              "LinearOperatorBlockLowerTriangular", "LinearOperatorCirculant",
              "LinearOperatorCirculant2D", "LinearOperatorCirculant3D",
              "LinearOperatorComposition", "LinearOperatorDiag", "LinearOperatorFullMatrix",
              "LinearOperatorHouseholder", "LinearOperatorIdentity", "LinearOperatorInversion",
              "LinearOperatorKronecker", "LinearOperatorLowRankUpdate",
              "LinearOperatorLowerTriangular", "LinearOperatorPermutation",
              "LinearOperatorScaledIdentity", "LinearOperatorToeplitz", "LinearOperatorTridiag",
              "LinearOperatorZeros")


def _operators():
    from . import linear_operator  # deferred: operators are tf.Modules, a tier above
    return linear_operator


__getattr__, __dir__ = _lazy_names(globals(), _OPERATORS, _operators)
