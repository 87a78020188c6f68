"""``tf.linalg``: filled from the op families' EXPORTS lists (see tapeflow/ops/__init__.py); the
``LinearOperator`` classes load on first use (tapeflow/linear_operator)."""

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


def __getattr__(name):
    if name in _OPERATORS:
        from . import linear_operator  # deferred: operators are tf.Modules, a tier above
        value = globals()[name] = getattr(linear_operator, name)
        return value
    raise AttributeError(f"module 'tapeflow.linalg' has no attribute '{name}'")


def __dir__():
    return sorted(set(globals()) | set(_OPERATORS))
