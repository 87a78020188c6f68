"""``tf.linalg``'s remaining functions: cross, normalize, pinv, matrix_rank, lstsq, expm, logm,
sqrtm, eig/eigvals, the LU family, tridiagonal and banded solvers, eigh_tridiagonal.

Most are compositions of differentiable primitives (matmul, solve, svd, cholesky, gather), as
TF's are; ``eig``/``eigvals`` and ``sqrtm`` are primitives with TF's gradient formulas (first
order); ``lu`` and ``logm`` have no gradient, as in TF.
"""

import collections
import math

import numpy as np

from ..engine.core import apply, no_gradient, not_differentiable, primitive
from ..framework import dtypes, errors
from ..framework.tensor import wrap
from . import _k
from ._helpers import operands, tensor
from .array_extra_ops import remap_tail
from .array_ops import broadcast_to, transpose
from .index_ops import GATHER, argsort
from .decomposition_ops import cholesky_solve, cholesky, solve, svd, triangular_solve
from .linalg_ops import _adj, _matmul, adjoint, matmul, norm
from .manip_ops import stack
from .math_ops import where, conj, divide
from .nn_ops import l2_normalize  # noqa: F401 - re-exported as tf.linalg.l2_normalize
from .reduction_ops import reduce_max


def _matrix(x, op, square=True):
    x = tensor(x)
    if x._value.ndim < 2:
        raise ValueError(f"Input must have rank >= 2, got {x._value.ndim}")
    if square and x._value.shape[-1] != x._value.shape[-2]:
        raise errors.op_error(op, "Input matrix must be square.", kernel=True)
    return x


def cross(a, b, name=None):
    """``tf.linalg.cross``: the cross product of 3-vectors on the last axis."""
    a, b = operands(a, b, "Cross")
    if a._value.shape[-1:] != (3,) or b._value.shape[-1:] != (3,):
        raise errors.op_error("Cross", "Dimension 0 in both shapes must be equal, but are 3 and "
                              f"{a._value.shape[-1]}", kernel=True)
    x1, y1, z1 = (a[..., i] for i in range(3))
    x2, y2, z2 = (b[..., i] for i in range(3))
    return stack([y1 * z2 - z1 * y2, z1 * x2 - x1 * z2, x1 * y2 - y1 * x2], -1)


def normalize(tensor_, ord="euclidean", axis=None, name=None):  # noqa: A002
    """``tf.linalg.normalize``: (tensor / its norm, the norm)."""
    t = tensor(tensor_)
    n = norm(t, ord=ord, axis=axis, keepdims=True)
    return divide(t, n), n


def _default_rcond(x):
    m, n = x._value.shape[-2:]
    return 10.0 * max(m, n) * float(np.finfo(x._value.dtype).eps)


def pinv(a, rcond=None, validate_args=False, name=None):
    """``tf.linalg.pinv``: the Moore-Penrose pseudo-inverse through the SVD (differentiable)."""
    a = _matrix(a, "Pinv", square=False)
    rcond = _default_rcond(a) if rcond is None else float(rcond)
    s, u, v = svd(a, full_matrices=False)
    cutoff = rcond * reduce_max(s, -1, keepdims=True)
    keep = s > cutoff
    inv = where(keep, 1.0 / where(keep, s, _k.ones_like(s)), _k.zeros_like(s))
    return matmul(v * inv[..., None, :], u, adjoint_b=True)


def matrix_rank(a, tol=None, validate_args=False, name=None):
    """``tf.linalg.matrix_rank``: singular values above ``tol`` (int32)."""
    a = _matrix(a, "MatrixRank", square=False)
    s = svd(a, compute_uv=False)  # ops: a graph counts the singular values of each call's
    m, n = a._value.shape[-2:]
    cut = (reduce_max(s, -1, keepdims=True) * (max(m, n) * np.finfo(a._value.dtype).eps)
           if tol is None else tol)
    from .array_ops import cast
    from .math_ops import greater
    from .reduction_ops import reduce_sum
    return reduce_sum(cast(greater(s, cut), dtypes.int32), -1)


def lstsq(matrix, rhs, l2_regularizer=0.0, fast=True, name=None):
    """``tf.linalg.lstsq``: the (regularized) least-squares solution through the normal
    equations and a Cholesky factorization, as TF's fast path (differentiable)."""
    a, b = operands(matrix, rhs, "MatrixSolveLs")
    m, n = a._value.shape[-2:]
    reg = float(l2_regularizer)
    if m >= n:
        gram = matmul(a, a, adjoint_a=True)
        if reg:
            gram = gram + reg * np.eye(n, dtype=a._value.dtype)
        return cholesky_solve(cholesky(gram), matmul(a, b, adjoint_a=True))
    gram = matmul(a, a, adjoint_b=True)
    if reg:
        gram = gram + reg * np.eye(m, dtype=a._value.dtype)
    return matmul(a, cholesky_solve(cholesky(gram), b), adjoint_a=True)


# --- matrix functions ----------------------------------------------------------------------------

_PADE13 = (64764752532480000.0, 32382376266240000.0, 7771770303897600.0, 1187353796428800.0,
           129060195264000.0, 10559470521600.0, 670442572800.0, 33522128640.0, 1323241920.0,
           40840800.0, 960960.0, 16380.0, 182.0, 1.0)


def _expm_squarings(x):
    """Scaling and squaring's count: the largest column sum over the batch brought to Pade(13)'s
    bound."""
    l1 = np.abs(x).sum(-2).max() if x.size else 0.0
    return max(0, int(math.ceil(math.log2(l1 / 5.371920351148152)))) if l1 > 0 else 0


def _squared(r, s):
    """``r`` squared ``s`` times, and the matrices squared on the way."""
    chain = []
    for _ in range(int(s)):
        chain.append(r)
        r = _matmul(r, r)
    return r, chain


def _squarings_grad(g, r, s):
    """The cotangent of ``r`` from that of ``r`` squared ``s`` times: MatMul's rules through the
    chain, in the order the eager backward pass adds them."""
    for ri in reversed(_squared(r, s)[1]):
        a = _adj(ri)
        g = _matmul(g, a) + _matmul(a, g)
    return g


def _squarings_tangent(t, r, s):
    """The tangent of ``r`` squared ``s`` times along ``t`` (forward mode)."""
    for ri in _squared(r, s)[1]:
        t = _matmul(t, ri) + _matmul(ri, t)
    return t


# A traced graph's expm: the count read from the values when it runs (the eager path squares
# with MatMuls, a count from the values it sees). The squarings' gradient is first order only.
def _squarings_and_scale(x):
    s = _expm_squarings(x)
    return np.array(s, np.int64), np.array(1.0 / 2 ** s, x.dtype)


EXPM_SQUARINGS = not_differentiable(primitive("ExpmSquarings", _squarings_and_scale, multi=True,
                                              save=()))
SQUARINGS = primitive("MatrixSquarings", lambda r, s: _squared(r, s)[0], save=("inputs",))
SQUARINGS_GRAD = no_gradient(primitive("MatrixSquaringsGrad", _squarings_grad, save=()))
SQUARINGS_TANGENT = no_gradient(primitive("MatrixSquaringsTangent", _squarings_tangent,
                                          save=()))
SQUARINGS.defvjp(lambda g, ans, r, s: SQUARINGS_GRAD(g, r, s), None)
SQUARINGS.defjvp(lambda t, ans, r, s: SQUARINGS_TANGENT(t, r, s), None)


def expm(input, name=None):  # noqa: A002
    """``tf.linalg.expm``: Pade(13) with scaling and squaring, from matmul and solve, so it is
    differentiable as TF's is."""
    x = _matrix(input, "MatrixExponential")
    n = x._value.shape[-1]
    traced = _k.symbolic(x)
    if traced:  # the count from the values each call brings (as TF's loop counts)
        squarings, scale = apply(EXPM_SQUARINGS, (x,), {})
        a = x * scale
    else:
        squarings = _expm_squarings(x._value)
        a = x * (1.0 / 2 ** squarings) if squarings else x
    ident = _k.zeros_like(x) + np.eye(n, dtype=x._value.dtype)  # x's shape when it runs
    a2 = matmul(a, a)
    a4 = matmul(a2, a2)
    a6 = matmul(a4, a2)
    b = _PADE13
    u_inner = matmul(a6, b[13] * a6 + b[11] * a4 + b[9] * a2)
    u = matmul(a, u_inner + b[7] * a6 + b[5] * a4 + b[3] * a2 + b[1] * ident)
    v_inner = matmul(a6, b[12] * a6 + b[10] * a4 + b[8] * a2)
    v = v_inner + b[6] * a6 + b[4] * a4 + b[2] * a2 + b[0] * ident
    r = solve(v - u, v + u)
    if traced:
        return apply(SQUARINGS, (r, squarings), {})
    for _ in range(squarings):
        r = matmul(r, r)
    return r


def _logm_forward(x):
    w, v = np.linalg.eig(x)
    return (v * np.log(w)[..., None, :]) @ np.linalg.inv(v)


LOGM = no_gradient(primitive("MatrixLogarithm", lambda x: _logm_forward(x).astype(x.dtype),
                             save=()))


def logm(input, name=None):  # noqa: A002
    """``tf.linalg.logm``: the principal matrix logarithm of a complex matrix (no gradient)."""
    x = _matrix(input, "MatrixLogarithm")
    if x.dtype.name not in ("complex64", "complex128"):
        raise errors.op_error("MatrixLogarithm", f"Value for attr 'T' of {x.dtype._op_name} is "
                              "not in the list of allowed values: complex64, complex128\n\t; "
                              "NodeDef: {{node MatrixLogarithm}}; Op<name=MatrixLogarithm; "
                              "signature=input:T -> output:T; attr=T:type,allowed=[DT_COMPLEX64, "
                              "DT_COMPLEX128]>")
    return apply(LOGM, (x,), {})


def _sqrtm_forward(x):
    w, v = np.linalg.eig(x)
    out = (v * np.sqrt(w.astype(complex))[..., None, :]) @ np.linalg.inv(v)
    return (out if x.dtype.kind == "c" else out.real).astype(x.dtype)


def _sylvester_grad(g, ans):
    """Y with ans^H Y + Y ans^H = g (the adjoint of X dX + dX X = dA)."""
    xh = np.conj(np.swapaxes(ans, -1, -2))
    w, v = np.linalg.eig(xh)
    vinv = np.linalg.inv(v)
    gt = vinv @ g @ v
    y = gt / (w[..., :, None] + w[..., None, :])
    out = v @ y @ vinv
    return (out if g.dtype.kind == "c" else out.real).astype(g.dtype)


SQRTM_GRAD = no_gradient(primitive("MatrixSquareRootGrad", _sylvester_grad, save=()))
# Forward mode: ans dX + dX ans = t, the same Sylvester solve with ans^H in place of ans.
SQRTM_JVP = no_gradient(primitive(
    "MatrixSquareRootJvp", lambda t, ans: _sylvester_grad(t, np.conj(np.swapaxes(ans, -1, -2))),
    save=()))
SQRTM = primitive("MatrixSquareRoot", _sqrtm_forward, save=("output",)).defvjp(
    lambda g, ans, x: SQRTM_GRAD(g, ans))
SQRTM.defjvp(lambda t, ans, x: SQRTM_JVP(t, ans))


def sqrtm(input, name=None):  # noqa: A002
    """``tf.linalg.sqrtm``: the principal square root (gradient through a Sylvester equation;
    first order only in tapeflow)."""
    return apply(SQRTM, (_matrix(input, "MatrixSquareRoot"),), {})


_COMPLEX_OF = {np.dtype(np.float32): np.complex64, np.dtype(np.float64): np.complex128,
               np.dtype(np.complex64): np.complex64, np.dtype(np.complex128): np.complex128}


def _eig_forward(x):
    w, v = np.linalg.eig(x)
    t = _COMPLEX_OF[x.dtype]
    return w.astype(t), v.astype(t)


def _eig_grad(ge, gv, e, v, x):
    """TF's _EigGrad: A-bar = V^-H (diag(e-bar) + F o (V^H v-bar)) V^H, with v-bar made
    orthogonal to the normalization's direction."""
    vh = np.conj(np.swapaxes(v, -1, -2))
    f = np.conj(e)[..., None, :] - np.conj(e)[..., :, None]
    with np.errstate(divide="ignore"):
        f = np.where(f == 0, 0, 1 / np.where(f == 0, 1, f))
    gv = gv - v * np.real(np.sum(np.conj(v) * gv, -2))[..., None, :]
    inner = np.eye(e.shape[-1]) * ge[..., None, :] + f * (vh @ gv)
    grad = np.linalg.solve(vh, inner @ vh)
    return grad.astype(x.dtype) if x.dtype.kind == "c" else np.real(grad).astype(x.dtype)


def _eig_jvp(t, e, v):
    """Tangents (de, dV) of unit-norm eigenvectors: P = V^-1 dA V, de = diag(P),
    dV = V (E o P) less each column's component along itself (the normalization)."""
    p = np.linalg.solve(v, t.astype(v.dtype) @ v)
    de = np.diagonal(p, axis1=-2, axis2=-1).copy()
    diff = e[..., None, :] - e[..., :, None]
    with np.errstate(divide="ignore"):
        f = np.where(diff == 0, 0, 1 / np.where(diff == 0, 1, diff))
    dv = v @ (f * p)
    dv = dv - v * np.real(np.sum(np.conj(v) * dv, -2))[..., None, :]
    return de.astype(e.dtype), dv.astype(v.dtype)


EIG_GRAD = no_gradient(primitive("EigGrad", _eig_grad, save=()))
EIG_JVP = no_gradient(primitive("EigJvp", _eig_jvp, multi=True, save=()))
EIG = primitive("Eig", _eig_forward, multi=True, save=("inputs", "output")).defvjp(
    lambda g, ans, x: EIG_GRAD(g[0], g[1], ans[0], ans[1], x))
EIG.defjvp(lambda t, ans, x: EIG_JVP(t, ans[0], ans[1]))


def eig(tensor_, name=None):
    """``tf.linalg.eig``: complex eigenvalues and unit eigenvectors (first-order gradient)."""
    x = _matrix(tensor_, "Eig")
    return apply(EIG, (x,), {})


def eigvals(tensor_, name=None):
    """``tf.linalg.eigvals``: the complex eigenvalues."""
    return eig(tensor_)[0]


# --- LU ------------------------------------------------------------------------------------------

def _lu_forward(x):
    a = np.array(x, copy=True)
    n = a.shape[-1]
    lead = a.shape[:-2]
    perm = np.broadcast_to(np.arange(n), lead + (n,)).copy()
    for idx in np.ndindex(*lead):
        m, p = a[idx], perm[idx]
        for k in range(n):
            piv = k + int(np.argmax(np.abs(m[k:, k])))
            if piv != k:
                m[[k, piv]] = m[[piv, k]]
                p[[k, piv]] = p[[piv, k]]
            if m[k, k] != 0:
                m[k + 1:, k] /= m[k, k]
                m[k + 1:, k + 1:] -= np.outer(m[k + 1:, k], m[k, k + 1:])
    return a, perm


LU = no_gradient(primitive("Lu", lambda x, idx: tuple(
    r.astype(t) for r, t in zip(_lu_forward(x), (x.dtype, idx))), multi=True, save=()))


Lu = collections.namedtuple("Lu", ["lu", "p"])


def lu(input, output_idx_type=dtypes.int32, name=None):  # noqa: A002
    """``tf.linalg.lu``: (packed L\\U, row permutation) with partial pivoting (no gradient)."""
    x = _matrix(input, "Lu")
    return Lu(*apply(LU, (x,), {"idx": dtypes.as_dtype(output_idx_type)._np}))


def _unpack(lower_upper):
    lu_ = tensor(lower_upper)
    n = lu_._value.shape[-1]
    zeros = _k.zeros_like(lu_)
    lower = where(np.tril(np.ones((n, n), bool), -1), lu_, zeros) + np.eye(n, dtype=lu_.dtype._np)
    upper = where(np.triu(np.ones((n, n), bool)), lu_, zeros)
    return lower, upper


def _lu_args(lower_upper, perm):
    lu_, p = tensor(lower_upper), tensor(perm)
    if lu_._value.ndim < 2:
        raise ValueError("Input `lower_upper` must have at least 2 dimensions.")
    if lu_._value.ndim != p._value.ndim + 1:
        raise ValueError("`rank(lower_upper)` must equal `rank(perm) + 1`")
    if lu_._value.shape[-1] != lu_._value.shape[-2]:
        raise ValueError("`lower_upper` must be square.")
    return lu_, p


def _rows(x, order):
    """``x[..., order[..., i], :]`` as a differentiable gather (batched like ``order``)."""
    lead = order._value.ndim - 1
    return apply(GATHER, (x, order), {"axis": x._value.ndim - 2, "batch_dims": lead})


def lu_reconstruct(lower_upper, perm, validate_args=False, name=None):
    """``tf.linalg.lu_reconstruct``: P^-1 L U (differentiable in ``lower_upper``)."""
    lu_, p = _lu_args(lower_upper, perm)
    lower, upper = _unpack(lu_)
    return _rows(matmul(lower, upper), argsort(p))  # argsort: the inverse permutation


def lu_solve(lower_upper, perm, rhs, validate_args=False, name=None):
    """``tf.linalg.lu_solve``: solves A X = rhs from A's LU factors (differentiable)."""
    lu_, p = _lu_args(lower_upper, perm)
    b = tensor(rhs)
    if b._value.ndim < 2:
        raise ValueError("Input `rhs` must have at least 2 dimensions.")
    if lu_._value.shape[-1] != b._value.shape[-2]:
        raise ValueError("`lower_upper.shape[-1]` must equal `rhs.shape[-1]`.")
    if b._value.shape[:-2] != p._value.shape[:-1]:  # batch shapes broadcast against each other
        batch = np.broadcast_shapes(b._value.shape[:-2], p._value.shape[:-1])
        b = broadcast_to(b, batch + b._value.shape[-2:])
        p = broadcast_to(p, batch + p._value.shape[-1:])
    lower, upper = _unpack(lu_)
    y = triangular_solve(lower, _rows(b, p), lower=True)
    return triangular_solve(upper, y, lower=False)


def lu_matrix_inverse(lower_upper, perm, validate_args=False, name=None):
    """``tf.linalg.lu_matrix_inverse``: A^-1 from A's LU factors."""
    lu_ = tensor(lower_upper)
    eye = wrap(np.broadcast_to(np.eye(lu_._value.shape[-1], dtype=lu_._value.dtype),
                               lu_._value.shape).copy())
    return lu_solve(lu_, perm, eye)


# --- tridiagonal and banded ----------------------------------------------------------------------

def _tridiagonal_dense(diagonals, fmt):
    """The dense ``[..., M, M]`` matrix of tridiagonal ``diagonals`` (differentiable)."""
    if fmt == "matrix":
        return tensor(diagonals)
    if fmt == "sequence":
        sup, diag, sub = (tensor(d) for d in diagonals)
        d = stack([sup, diag, sub], -2)
    elif fmt == "compact":
        d = tensor(diagonals)
    else:
        raise ValueError(f"Unrecognized diagonals_format: {fmt}")
    m = d._value.shape[-1]
    pos = np.arange(3 * m).reshape(3, m)  # positions in the last two axes, [3, M]
    i = np.arange(m)[:, None]
    j = np.arange(m)[None, :]
    index = np.where(j == i, pos[1, :, None],
                     np.where(j == i + 1, pos[0, :, None],
                              np.where(j == i - 1, pos[2, :, None], -1)))
    return remap_tail(d, index, 2, fill=0)


def tridiagonal_solve(diagonals, rhs, diagonals_format="compact", transpose_rhs=False,
                      conjugate_rhs=False, name=None, partial_pivoting=True,
                      perturb_singular=False):
    """``tf.linalg.tridiagonal_solve`` (dense solve of the tridiagonal matrix; differentiable)."""
    a = _tridiagonal_dense(diagonals, diagonals_format)
    b = tensor(rhs)
    if transpose_rhs:
        b = adjoint(b) if conjugate_rhs else transpose(b, list(range(b._value.ndim - 2))
                                                           + [b._value.ndim - 1,
                                                              b._value.ndim - 2])
    elif conjugate_rhs:
        b = conj(b)
    vector = b._value.ndim == a._value.ndim - 1
    x = solve(a, b[..., None] if vector else b)
    return x[..., 0] if vector else x


def tridiagonal_matmul(diagonals, rhs, diagonals_format="compact", name=None):
    """``tf.linalg.tridiagonal_matmul``."""
    return matmul(_tridiagonal_dense(diagonals, diagonals_format), rhs)


def banded_triangular_solve(bands, rhs, lower=True, adjoint=False, name=None):
    """``tf.linalg.banded_triangular_solve``: ``bands[..., b, i]`` is ``A[i, i - b]`` (lower) or
    ``A[i, i + K - 1 - b]`` (upper), as TF lays them out."""
    b = tensor(bands)
    k, m = b._value.shape[-2:]
    pos = np.arange(k * m).reshape(k, m)  # positions in the last two axes
    i = np.arange(m)[:, None]
    j = np.arange(m)[None, :]
    index = np.full((m, m), -1)
    for band in range(k):  # entries are stored at their row: A[i, i -/+ d] = bands[b, i]
        d = band if lower else k - 1 - band
        hit = (i - j == d) if lower else (j - i == d)
        index = np.where(hit, pos[band, :, None], index)
    dense = remap_tail(b, index, 2, fill=0)
    return triangular_solve(dense, rhs, lower=lower, adjoint=adjoint)


def eigh_tridiagonal(alpha, beta, eigvals_only=True, select="a", select_range=None, tol=None,
                     name=None):
    """``tf.linalg.eigh_tridiagonal``: eigenvalues (ascending) of the symmetric tridiagonal
    matrix with diagonal ``alpha`` and off-diagonal ``beta``; ``select`` "a", "v" or "i"."""
    from .decomposition_ops import eigh
    from .linalg_ops import diag
    a, b = tensor(alpha), tensor(beta)
    if select not in ("a", "v", "i"):
        raise ValueError(f"select must be one of 'a', 'v' or 'i', got {select}")
    # ops: a graph builds the matrix from the values it runs on
    w, v = eigh(diag(a) + diag(b, k=1) + diag(conj(b), k=-1))
    if select == "i":
        lo, hi = (int(s) for s in select_range)
        w, v = w[lo:hi + 1], v[:, lo:hi + 1]
    elif select == "v":
        lo, hi = (float(s) for s in select_range)
        values = np.asarray(w)  # which eigenvalues lie in the range: read by value (guarded)
        keep = np.flatnonzero((values > lo) & (values <= hi)).astype(np.int32)
        from .index_ops import gather
        w, v = gather(w, keep), gather(v, keep, axis=1)
    return w if eigvals_only else (w, v)


EXPORTS = {
    "linalg": ["cross", "normalize", "pinv", "matrix_rank", "lstsq", "expm", "logm", "sqrtm",
               "eig", "eigvals", "lu", "lu_reconstruct", "lu_solve", "lu_matrix_inverse",
               "tridiagonal_solve", "tridiagonal_matmul", "banded_triangular_solve",
               "eigh_tridiagonal", "l2_normalize"],
    "": ["eig", "eigvals", ("matrix_square_root", "sqrtm")],
}
