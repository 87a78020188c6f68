"""Linear algebra solvers and decompositions (``tf.linalg``): solve, inv, det, cholesky, qr, svd.

Solves (``solve``, ``triangular_solve``, ``cholesky_solve``), the inverse, determinants
(``det``, ``slogdet``, ``logdet``) and the Cholesky, QR, eigen and singular value decompositions.
Each primitive sits beside its public function with TF's gradient formula (TF's
``linalg_grad.py``). The rules are written with primitives and operators only, so they run on
raw arrays or on Tensors alike and are themselves differentiable (second order and beyond).
"""

import collections

import numpy as np

from ..engine.core import apply, primitive
from ..framework import errors
from ..framework.tensor import Tensor, wrap
from . import _k
from ._helpers import FLOAT, check_kind, operands
from ._helpers import tensor as _tensor
from .array_ops import CAST, EXPAND_DIMS, STRIDED_SLICE, _strided_slice_grad, cast
from . import math_ops
from .linalg_ops import BAND_PART, MATMUL, MATRIX_DIAG_PART, _adj, _diag, _shape_text, diag_part
from .reduction_ops import SUM, reduce_sum


# --- helpers shared by the rules (dual-mode: arrays or Tensors) ----------------------------------


def _const(ref, value):
    """A constant in ``ref``'s mode and dtype (never recorded: it depends on no input)."""
    value = np.asarray(value, dtype=_k.dtype_of(ref))
    return wrap(value) if isinstance(ref, Tensor) else value


def _safe_reciprocal(x):
    """TF's ``_SafeReciprocal``: ``x / (x**2 + 1e-20)``, finite at zero."""
    return x / (x * x + 1e-20)


def _off_diagonal(x):
    """``x`` (square in its last two axes) with the diagonal zeroed: TF's ``set_diag(x, 0)``."""
    n = _k.shape_of(x)[-1]
    return x * _const(x, 1 - np.eye(n))


def _lower_halved(x):
    """The lower triangle of ``x`` with its diagonal halved (band_part(-1, 0), set_diag(d/2))."""
    n = _k.shape_of(x)[-1]
    return x * _const(x, np.tril(np.ones((n, n))) - 0.5 * np.eye(n))


def _columns(x, start, stop):
    return STRIDED_SLICE(x, key=(Ellipsis, slice(None), slice(start, stop)))


def _lapack(fn):
    """NumPy's LAPACK routines have no float16: compute in float32 and cast the results back."""
    def run(x, *args, **attrs):
        if x.dtype != np.float16:
            return fn(x, *args, **attrs)
        out = fn(x.astype(np.float32), *[a.astype(np.float32) for a in args], **attrs)
        if isinstance(out, tuple):
            return tuple(o.astype(np.float16) for o in out)
        return out.astype(np.float16)
    run.__name__ = fn.__name__
    return run


def _matrix_operand(x, op_type, square=True, index=0):
    x = _tensor(x)
    check_kind(x, FLOAT, op_type)
    shape = x._value.shape
    if len(shape) < 2:
        raise errors.op_error(op_type, f"Input tensor {index} must have rank >= 2", kernel=True)
    if square and shape[-1] != shape[-2]:
        raise errors.op_error(op_type, "Input matrix must be square.", kernel=True)
    return x


def _rhs_operand(matrix, rhs, op_type, broadcast):
    matrix, rhs = operands(matrix, rhs, op_type)
    matrix = _matrix_operand(matrix, op_type)
    rhs = _matrix_operand(rhs, op_type, square=False, index=1)
    a, b = matrix._value.shape, rhs._value.shape
    if broadcast:
        try:
            np.broadcast_shapes(a[:-2], b[:-2])
        except ValueError:
            raise errors.op_error(op_type, f"Incompatible shapes: {_shape_text(a[:-2])} vs. "
                                  f"{_shape_text(b[:-2])}", kernel=True) from None
    elif a[:-2] != b[:-2]:
        raise errors.op_error(op_type, "All input tensors must have the same outer dimensions.",
                              kernel=True)
    if a[-2] != b[-2]:
        raise errors.op_error(op_type, "Input matrix and right-hand side must have the same "
                              "number of rows.", kernel=True)
    return matrix, rhs


# --- solves, inverse, determinants ----------------------------------------------------------------

def _solve_matrix(a, b, adjoint, op_type):
    if adjoint:
        a = np.conj(np.swapaxes(a, -1, -2))
    try:
        return np.linalg.solve(a, b)
    except np.linalg.LinAlgError:
        raise errors.op_error(op_type, "Input matrix is not invertible.", kernel=True) from None


def _solve_forward(a, b, adjoint):
    return _solve_matrix(a, b, adjoint, "MatrixSolve")


def _solve_grad_b(g, ans, a, b, adjoint):
    return SOLVE(a, g, adjoint=not adjoint)


def _solve_grad_a(g, ans, a, b, adjoint):
    grad_b = _solve_grad_b(g, ans, a, b, adjoint)
    return -MATMUL(ans, _adj(grad_b)) if adjoint else -MATMUL(grad_b, _adj(ans))


SOLVE = primitive("MatrixSolve", _lapack(_solve_forward)).defvjp(_solve_grad_a, _solve_grad_b)
SOLVE.defjvp(  # d(A^-1 B) = A^-1 (dB - dA X); with adjoint, dA^H in place of dA
    lambda t, ans, a, b, adjoint: -SOLVE(a, MATMUL(_adj(t) if adjoint else t, ans),
                                         adjoint=adjoint),
    lambda t, ans, a, b, adjoint: SOLVE(a, t, adjoint=adjoint))


def solve(matrix, rhs, adjoint=False, name=None):
    """``tf.linalg.solve``: ``X`` with ``matrix @ X = rhs`` (``adjoint(matrix)`` if asked).

    Batch dimensions must be equal (TF's MatrixSolve does not broadcast).
    """
    matrix, rhs = _rhs_operand(matrix, rhs, "MatrixSolve", broadcast=False)
    return apply(SOLVE, (matrix, rhs), {"adjoint": bool(adjoint)})


def _trisolve_forward(a, b, lower, adjoint):
    triangle = np.tril(a) if lower else np.triu(a)
    return _solve_matrix(triangle, b, adjoint, "MatrixTriangularSolve")


def _trisolve_grad_b(g, ans, a, b, lower, adjoint):
    return TRIANGULAR_SOLVE(a, g, lower=lower, adjoint=not adjoint)


def _trisolve_grad_a(g, ans, a, b, lower, adjoint):
    grad_b = _trisolve_grad_b(g, ans, a, b, lower, adjoint)
    grad_a = -MATMUL(ans, _adj(grad_b)) if adjoint else -MATMUL(grad_b, _adj(ans))
    return BAND_PART(grad_a, lower=-1, upper=0) if lower else BAND_PART(grad_a, lower=0, upper=-1)


def _trisolve_tangent_a(t, ans, a, b, lower, adjoint):
    t = BAND_PART(t, lower=-1, upper=0) if lower else BAND_PART(t, lower=0, upper=-1)
    return -TRIANGULAR_SOLVE(a, MATMUL(_adj(t) if adjoint else t, ans), lower=lower,
                             adjoint=adjoint)


TRIANGULAR_SOLVE = primitive("MatrixTriangularSolve", _lapack(_trisolve_forward)).defvjp(
    _trisolve_grad_a, _trisolve_grad_b)
TRIANGULAR_SOLVE.defjvp(
    _trisolve_tangent_a,
    lambda t, ans, a, b, lower, adjoint: TRIANGULAR_SOLVE(a, t, lower=lower, adjoint=adjoint))


def triangular_solve(matrix, rhs, lower=True, adjoint=False, name=None):
    """``tf.linalg.triangular_solve``: solve with the lower (or upper) triangle of ``matrix``;
    the other triangle is never read. Batch dimensions broadcast."""
    matrix, rhs = _rhs_operand(matrix, rhs, "MatrixTriangularSolve", broadcast=True)
    return apply(TRIANGULAR_SOLVE, (matrix, rhs), {"lower": bool(lower),
                                                   "adjoint": bool(adjoint)})


def _inv_forward(x, adjoint):
    try:
        out = np.linalg.inv(x)
    except np.linalg.LinAlgError:
        raise errors.op_error("MatrixInverse", "Input is not invertible.", kernel=True) from None
    return np.conj(np.swapaxes(out, -1, -2)) if adjoint else out


INV = primitive("MatrixInverse", _lapack(_inv_forward), save=("output",)).defvjp(
    lambda g, ans, x, adjoint: -MATMUL(ans, MATMUL(_adj(g), ans)) if adjoint
    else -MATMUL(_adj(ans), MATMUL(g, _adj(ans))))
INV.defjvp(lambda t, ans, x, adjoint: -MATMUL(ans, MATMUL(_adj(t) if adjoint else t, ans)))


def inv(input, adjoint=False, name=None):  # noqa: A002
    """``tf.linalg.inv``: the inverse (of the adjoint, if asked) of each innermost matrix."""
    x = _matrix_operand(input, "MatrixInverse")
    return apply(INV, (x,), {"adjoint": bool(adjoint)})


def _det_grad(g, ans, x):
    # TF: grad * det * inv(x)^H. For complex x the conjugate of det belongs here under TF's own
    # gradient convention (conj(f'(x)) * grad); for real x the two agree.
    return EXPAND_DIMS(g * _k.conj(ans), axis=(-2, -1)) * INV(x, adjoint=True)


def _det_tangent(t, ans, x):
    """d det(x) = det(x) * trace(x^-1 dx)."""
    inner = MATRIX_DIAG_PART(SOLVE(x, t, adjoint=False), k=0)
    return ans * SUM(inner, axis=(len(_k.shape_of(inner)) - 1,), keepdims=False)


DET = primitive("MatrixDeterminant", _lapack(np.linalg.det)).defvjp(_det_grad)
DET.defjvp(_det_tangent)


def det(input, name=None):  # noqa: A002
    """``tf.linalg.det``: the determinant of each innermost matrix."""
    x = _matrix_operand(input, "MatrixDeterminant")
    return apply(DET, (x,), {})


def _slogdet_forward(x):
    sign, logdet = np.linalg.slogdet(x)
    return sign.astype(x.dtype), logdet.astype(x.dtype)


SLOGDET = primitive("LogMatrixDeterminant", _lapack(_slogdet_forward), multi=True).defvjp(
    # TF: only log|det| carries a gradient (the sign's cotangent is ignored).
    lambda g, ans, x: EXPAND_DIMS(g[1], axis=(-2, -1)) *
    INV(x, adjoint=True))

LogMatrixDeterminant = collections.namedtuple("LogMatrixDeterminant",
                                              ["sign", "log_abs_determinant"])


def slogdet(input, name=None):  # noqa: A002
    """``tf.linalg.slogdet``: ``(sign, log_abs_determinant)``, both in the input's dtype."""
    x = _matrix_operand(input, "LogMatrixDeterminant")
    return LogMatrixDeterminant(*apply(SLOGDET, (x,), {}))


def logdet(matrix, name=None):
    """``tf.linalg.logdet``: log-determinant of Hermitian positive-definite matrices (through
    the Cholesky factor); real-valued."""
    chol = cholesky(matrix)
    d = diag_part(chol)
    if d._value.dtype.kind == "c":
        d = cast(d, d._value.real.dtype)
    return 2.0 * reduce_sum(math_ops.log(d), axis=-1)


# --- decompositions -------------------------------------------------------------------------------

def _cholesky_forward(x):
    try:
        return np.linalg.cholesky(x)  # reads the lower triangle only, as TF does
    except np.linalg.LinAlgError:
        raise errors.op_error("Cholesky", "Cholesky decomposition was not successful. The input "
                              "might not be valid.", kernel=True) from None


def _cholesky_grad(g, ans, x):
    # TF's _CholeskyGrad: symmetric, spread over both triangles.
    n = _k.shape_of(ans)[-1]
    l_inv = TRIANGULAR_SOLVE(ans, _const(ans, np.eye(n)), lower=True, adjoint=False)
    middle = _lower_halved(MATMUL(_adj(ans), g))
    grad = MATMUL(MATMUL(_adj(l_inv), middle), l_inv)
    return (grad + _adj(grad)) * 0.5


CHOLESKY = primitive("Cholesky", _lapack(_cholesky_forward), save=("output",)).defvjp(
    _cholesky_grad)


def cholesky(input, name=None):  # noqa: A002
    """``tf.linalg.cholesky``: the lower Cholesky factor; only the lower triangle is read."""
    x = _matrix_operand(input, "Cholesky")
    return apply(CHOLESKY, (x,), {})


def cholesky_solve(chol, rhs, name=None):
    """``tf.linalg.cholesky_solve``: solve ``A X = rhs`` given ``chol = cholesky(A)``."""
    y = triangular_solve(chol, rhs, lower=True, adjoint=False)
    return triangular_solve(chol, y, lower=True, adjoint=True)


def _r_inv_right(x, r):
    """``x @ inv(r)^H`` for an upper-triangular ``r`` (TF's ``_TriangularSolve``)."""
    return _adj(TRIANGULAR_SOLVE(r, _adj(x), lower=False, adjoint=False))


def _qr_grad_deep(q, r, dq, dr):
    """TF's ``_QrGradSquareAndDeepMatrices`` (rows >= columns, reduced factors)."""
    qdq = MATMUL(_adj(q), dq)
    rdr = MATMUL(r, _adj(dr))
    tril = BAND_PART(qdq - _adj(qdq) + rdr - _adj(rdr), lower=-1, upper=0)
    grad = MATMUL(q, dr + _r_inv_right(tril, r)) + _r_inv_right(dq - MATMUL(q, qdq), r)
    if _k.is_complex(q):
        m = _diag(MATRIX_DIAG_PART(rdr - _adj(qdq), k=0))
        correction = (m - _k.conj(m)) * 0.5  # i * imag(diag(m))
        grad = grad + _r_inv_right(MATMUL(q, _adj(correction)), r)
    return grad


def _qr_grad(g, ans, a, full_matrices):
    q, r = ans
    dq, dr = g
    rows, cols = _k.shape_of(a)[-2:]
    if full_matrices and rows > cols:
        raise NotImplementedError(
            f"QrGrad not implemented when nrows > ncols and full_matrices is true. Received "
            f"r.shape={list(_k.shape_of(r))} with nrows={rows}and ncols={cols}.")
    if rows >= cols:
        return _qr_grad_deep(q, r, dq, dr)
    # Wide: a = [x | y] with x square; TF's formula, then the two blocks side by side.
    y = _columns(a, rows, None)
    u, du, dv = _columns(r, 0, rows), _columns(dr, 0, rows), _columns(dr, rows, None)
    dx = _qr_grad_deep(q, u, dq + MATMUL(y, _adj(dv)), du)
    dy = MATMUL(q, dv)
    left = (Ellipsis, slice(None), slice(0, rows))
    right = (Ellipsis, slice(None), slice(rows, None))
    # The slicing rule: a's shape when a traced graph runs (its batch dims may be None).
    return _strided_slice_grad(dx, None, a, left) + _strided_slice_grad(dy, None, a, right)


QR = primitive("Qr", _lapack(lambda x, full_matrices: tuple(np.linalg.qr(
    x, mode="complete" if full_matrices else "reduced"))), multi=True).defvjp(_qr_grad)

Qr = collections.namedtuple("Qr", ["q", "r"])


def qr(input, full_matrices=False, name=None):  # noqa: A002
    """``tf.linalg.qr``: ``(q, r)`` with orthonormal ``q`` and upper-triangular ``r``."""
    x = _matrix_operand(input, "Qr", square=False)
    return Qr(*apply(QR, (x,), {"full_matrices": bool(full_matrices)}))


def _eigh_forward(x):
    e, v = np.linalg.eigh(x)  # lower triangle only, ascending eigenvalues (as TF)
    return e.astype(x.dtype), v


def _eigh_grad(g, ans, x):
    ge, gv = g
    e, v = ans
    diff = EXPAND_DIMS(e, axis=(-2,)) - EXPAND_DIMS(e, axis=(-1,))
    f = _off_diagonal(_safe_reciprocal(diff))
    vh = _adj(v)
    grad = MATMUL(v, MATMUL(_diag(ge) + f * MATMUL(vh, gv), vh))
    # TF: only the lower triangle was read, so only it receives the gradient.
    return _lower_halved(grad + _adj(grad))


EIGH = primitive("SelfAdjointEigV2", _lapack(_eigh_forward), multi=True).defvjp(_eigh_grad)


def eigh(tensor, name=None):  # noqa: F811 - TF's argument name
    """``tf.linalg.eigh``: ``(e, v)`` of self-adjoint matrices (lower triangle read), with ``e``
    ascending and in the input's dtype; eigenvectors are defined up to sign (phase)."""
    x = _matrix_operand(tensor, "SelfAdjointEigV2")
    return apply(EIGH, (x,), {})


def eigvalsh(tensor, name=None):  # noqa: F811
    """``tf.linalg.eigvalsh``: the eigenvalues of ``eigh`` (the gradient needs the vectors)."""
    return eigh(tensor)[0]


def _svd_forward(x, full_matrices):
    u, s, vh = np.linalg.svd(x, full_matrices=full_matrices)
    return s, u, np.conj(np.swapaxes(vh, -1, -2))


def _svd_grad(g, ans, a, full_matrices):
    """TF's ``_SvdGrad`` (distinct, non-zero singular values)."""
    gs, gu, gv = g
    s, u, v = ans
    if _k.is_complex(u):
        gs, s = CAST(gs, dtype=_k.dtype_of(u)), CAST(s, dtype=_k.dtype_of(u))
    m, n = _k.shape_of(a)[-2:]
    use_adjoint = m > n
    if use_adjoint:
        m, n, u, v, gu, gv = n, m, v, u, gv, gu
    if full_matrices and abs(m - n) > 1:
        raise NotImplementedError(
            f"svd gradient is not implemented for abs(m - n) > 1 when full_matrices is True. "
            f"Received: m={m} and n={n}.")
    s_mat = _diag(s)
    s2 = s * s
    diff = EXPAND_DIMS(s2, axis=(-2,)) - EXPAND_DIMS(s2, axis=(-1,))
    f = _off_diagonal(_safe_reciprocal(diff))
    s_inv_mat = _diag(_safe_reciprocal(s))
    v1, gv1 = _columns(v, 0, m), _columns(gv, 0, m)
    u_gu = MATMUL(_adj(u), gu)
    v_gv = MATMUL(_adj(v1), gv1)
    f_u, f_v = f * u_gu, f * v_gv
    inner = _diag(gs) + MATMUL(f_u + _adj(f_u), s_mat) + MATMUL(s_mat, f_v + _adj(f_v))
    grad = MATMUL(u, MATMUL(inner, _adj(v1)))
    if m != n:
        gv1t = _adj(gv1)
        rest = gv1t - MATMUL(MATMUL(gv1t, v1), _adj(v1))
        if full_matrices:
            v2, gv2 = _columns(v, m, n), _columns(gv, m, n)
            rest = rest - MATMUL(MATMUL(_adj(v1), gv2), _adj(v2))
        grad = grad + MATMUL(MATMUL(u, s_inv_mat), rest)
    if _k.is_complex(u):
        diag_v_gv = _diag(MATRIX_DIAG_PART(v_gv, k=0))
        term3 = MATMUL(s_inv_mat, _adj(diag_v_gv) - diag_v_gv)
        grad = grad + 0.5 * MATMUL(u, MATMUL(term3, _adj(v1)))
    return _adj(grad) if use_adjoint else grad


SVD = primitive("Svd", _lapack(_svd_forward), multi=True).defvjp(_svd_grad)


def svd(tensor, full_matrices=False, compute_uv=True, name=None):  # noqa: F811
    """``tf.linalg.svd``: ``(s, u, v)`` in that order (NumPy gives ``u, s, vh``) with
    ``a = u @ diag(s) @ adjoint(v)``; ``s`` descending and real. Only ``s`` without
    ``compute_uv``."""
    x = _matrix_operand(tensor, "Svd", square=False)
    if not compute_uv:
        return apply(SVD, (x,), {"full_matrices": False})[0]
    return apply(SVD, (x,), {"full_matrices": bool(full_matrices)})


EXPORTS = {
    "linalg": ["cholesky", "cholesky_solve", "det", "eigh", "eigvalsh", "inv", "logdet", "qr",
               "slogdet", "solve", "svd", "triangular_solve"],
}
