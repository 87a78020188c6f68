"""Op-table rows for linear algebra (collected by op_specs.py).

Decompositions get well-conditioned draws: symmetric positive-definite matrices for Cholesky,
well-separated eigenvalues for eigh and singular values for svd. Eigenvectors and singular
vectors are defined only up to sign (phase, for complex), so their rows check gauge-invariant
functions of them (``|v|**2`` elementwise) rather than the vectors themselves.
"""

import numpy as np

import tapeflow as tf

from op_spec_base import OpSpec, away_from_zero, per_arg, uniform

C128 = np.complex128


def _square_last(shape):
    return len(shape) >= 2 and shape[-1] == shape[-2]


def _normal(rng, shape, cplx):
    x = rng.standard_normal(shape)
    return x + 1j * rng.standard_normal(shape) if cplx else x


def well_conditioned(lo=-1.0, hi=1.0, shift=3.0, cplx=False):
    """Uniform entries plus ``shift`` on the diagonal of square matrices: far from singular."""
    def draw(rng, shape, i):
        x = rng.uniform(lo, hi, size=shape)
        if cplx:
            x = x + 1j * rng.uniform(lo, hi, size=shape)
        return x + shift * np.eye(shape[-1]) if _square_last(shape) else x
    return draw


def _adjoint(a):
    return np.conj(np.swapaxes(a, -1, -2))


def spd(cplx=False):
    """Hermitian positive-definite: ``a a^H + n I``."""
    def draw(rng, shape, i):
        a = _normal(rng, shape, cplx) * 0.5
        return a @ _adjoint(a) + shape[-1] * np.eye(shape[-1])
    return draw


def spread_spectrum(cplx=False):
    """Hermitian with eigenvalues 1, 2.5, 4, … (well separated) in a random basis."""
    def draw(rng, shape, i):
        q, _ = np.linalg.qr(_normal(rng, shape, cplx))
        return (q * (1.0 + 1.5 * np.arange(shape[-1]))) @ _adjoint(q)
    return draw


def spread_singular(cplx=False):
    """Singular values 1, 2.5, 4, … (well separated) in random bases, any shape."""
    def draw(rng, shape, i):
        m, n = shape[-2:]
        p = min(m, n)
        u, _ = np.linalg.qr(_normal(rng, shape[:-2] + (m, p), cplx))
        v, _ = np.linalg.qr(_normal(rng, shape[:-2] + (n, p), cplx))
        return (u * (1.0 + 1.5 * np.arange(p)[::-1])) @ _adjoint(v)
    return draw


def cplx_uniform(lo=-1.0, hi=1.0):
    return lambda rng, shape, i: rng.uniform(lo, hi, shape) + 1j * rng.uniform(lo, hi, shape)


def _conj(x):
    """Elementwise conjugate, from the linalg family's own ops."""
    return tf.linalg.adjoint(tf.linalg.matrix_transpose(x))


def _abs2(x):
    """``|x|**2`` elementwise, in x's dtype: invariant to the sign (phase) of a column."""
    return x * _conj(x)


def _hermitian(x):
    return (x + tf.linalg.adjoint(x)) * 0.5


def _eigh_invariants(x):
    e, v = tf.linalg.eigh(x)
    return e, _abs2(v)


def _svd_invariants(full_matrices=False):
    def f(x):
        s, u, v = tf.linalg.svd(x, full_matrices=full_matrices)
        return s, _abs2(u), _abs2(v)
    return f


SQUARE = [((3, 3),), ((2, 3, 3),)]
SOLVE = [((3, 3), (3, 2)), ((2, 3, 3), (2, 3, 1))]
WC = well_conditioned()
WC_C = well_conditioned(cplx=True)
UNIT = uniform(-1.0, 1.0)
UNIT_C = cplx_uniform()
SPD, SPD_C = spd(), spd(cplx=True)

SPECS = [
    # --- products ------------------------------------------------------------------------------
    OpSpec("matmul_batch_broadcast", tf.linalg.matmul, [((2, 1, 2, 3), (3, 3, 2))]),
    OpSpec("matmul_transpose_a_adjoint_b",
           lambda a, b: tf.linalg.matmul(a, b, transpose_a=True, adjoint_b=True),
           [((3, 2), (4, 3)), ((2, 3, 2), (2, 4, 3))]),
    OpSpec("matmul_adjoint_complex",
           lambda a, b: tf.linalg.matmul(a, b, adjoint_a=True, adjoint_b=True),
           [((3, 2), (4, 3)), ((2, 3, 2), (4, 3))], draw=UNIT_C, dtype=C128),
    OpSpec("matmul_operator", lambda a, b: a @ b, [((2, 3), (3, 2))]),
    OpSpec("matvec", tf.linalg.matvec, [((2, 3), (3,)), ((2, 2, 3), (3,)), ((2, 3), (2, 3))]),
    OpSpec("matvec_adjoint", lambda a, b: tf.linalg.matvec(a, b, adjoint_a=True),
           [((3, 2), (3,))], draw=UNIT_C, dtype=C128),
    OpSpec("tensordot_int", lambda a, b: tf.tensordot(a, b, 1), [((2, 3), (3, 4))]),
    OpSpec("tensordot_outer", lambda a, b: tf.tensordot(a, b, 0), [((2,), (3,))]),
    OpSpec("tensordot_lists", lambda a, b: tf.tensordot(a, b, [[0, 2], [1, 0]]),
           [((2, 3, 4), (4, 2, 5))]),
    OpSpec("tensordot_ints_pair", lambda a, b: tf.linalg.tensordot(a, b, (1, -1)),
           [((2, 3), (4, 3))]),
    # --- einsum --------------------------------------------------------------------------------
    OpSpec("einsum_matmul", lambda a, b: tf.einsum("ij,jk->ik", a, b), [((2, 3), (3, 4))]),
    OpSpec("einsum_batch", lambda a, b: tf.linalg.einsum("bij,bjk->bik", a, b),
           [((2, 2, 3), (2, 3, 4))]),
    OpSpec("einsum_implicit", lambda a, b: tf.einsum("ij,jk", a, b), [((2, 3), (3, 4))]),
    OpSpec("einsum_dot", lambda a, b: tf.einsum("i,i->", a, b), [((3,), (3,))]),
    OpSpec("einsum_outer", lambda a, b: tf.einsum("i,j->ij", a, b), [((2,), (3,))]),
    OpSpec("einsum_diagonal", lambda x: tf.einsum("ii->i", x), [((3, 3),)]),
    OpSpec("einsum_trace", lambda x: tf.einsum("ii", x), [((3, 3),)]),
    OpSpec("einsum_batch_diagonal", lambda x: tf.einsum("bxby->bxy", x), [((2, 3, 2, 4),)]),
    OpSpec("einsum_inflate", lambda x: tf.einsum("i->ii", x), [((3,),)]),
    OpSpec("einsum_reduce_all", lambda x: tf.einsum("ij->", x), [((2, 3),)]),
    OpSpec("einsum_reduce_transpose", lambda x: tf.einsum("ijk->kj", x), [((2, 3, 4),)]),
    OpSpec("einsum_reduced_in_each", lambda a, b: tf.einsum("ij,k->i", a, b), [((2, 3), (4,))]),
    OpSpec("einsum_diag_times", lambda a, b: tf.einsum("ii,ij->j", a, b), [((3, 3), (3, 2))]),
    OpSpec("einsum_ellipsis_broadcast", lambda a, b: tf.einsum("...ij,...jk->...ik", a, b),
           [((2, 1, 2, 3), (4, 3, 2)), ((2, 3), (5, 3, 2))]),
    OpSpec("einsum_ellipsis_right", lambda a, b: tf.einsum("ab,b...->a...", a, b),
           [((2, 3), (3, 2, 2))]),
    OpSpec("einsum_ellipsis_implicit", lambda x, y: tf.einsum("...i,i", x, y),
           [((2, 3, 4), (4,))]),
    OpSpec("einsum_three", lambda a, b, c: tf.einsum("ij,jk,kl->il", a, b, c),
           [((2, 3), (3, 4), (4, 2))]),
    OpSpec("einsum_complex", lambda a, b: tf.einsum("ij,jk->ik", a, b), [((2, 3), (3, 2))],
           draw=UNIT_C, dtype=C128),
    OpSpec("einsum_complex_trace", lambda x: tf.einsum("ii", x), [((3, 3),)], draw=UNIT_C,
           dtype=C128),
    # --- diagonals, bands, transposes ----------------------------------------------------------
    OpSpec("trace", tf.linalg.trace, [((3, 3),), ((2, 3, 4),)]),
    OpSpec("diag", tf.linalg.diag, [((3,),), ((2, 3),)]),
    OpSpec("diag_k", lambda d: tf.linalg.diag(d, k=1), [((3,),)]),
    OpSpec("diag_k_rect", lambda d: tf.linalg.diag(d, k=-1, num_cols=4, padding_value=9),
           [((3,),)]),
    OpSpec("diag_part", tf.linalg.diag_part, [((3, 3),), ((2, 3, 4),)]),
    OpSpec("diag_part_k", lambda x: tf.linalg.diag_part(x, k=1), [((3, 4),)]),
    OpSpec("set_diag", tf.linalg.set_diag, [((3, 3), (3,)), ((2, 3, 4), (2, 3))]),
    OpSpec("band_part", lambda x: tf.linalg.band_part(x, 1, 0), [((3, 4),), ((2, 4, 4),)]),
    OpSpec("band_part_upper", lambda x: tf.linalg.band_part(x, 0, -1), [((3, 3),)]),
    OpSpec("tensor_diag", tf.linalg.tensor_diag, [((3,),), ((2, 3),)]),
    OpSpec("tensor_diag_part", tf.linalg.tensor_diag_part, [((3, 3),), ((2, 3, 2, 3),)]),
    OpSpec("matrix_transpose", tf.linalg.matrix_transpose, [((2, 3),), ((2, 3, 4),)]),
    OpSpec("adjoint_complex", tf.linalg.adjoint, [((2, 3),)], draw=UNIT_C,
           dtype=C128),
    # --- solves, inverse, determinants ---------------------------------------------------------
    OpSpec("solve", tf.linalg.solve, SOLVE, draw=per_arg(WC, UNIT)),
    OpSpec("solve_adjoint", lambda a, b: tf.linalg.solve(a, b, adjoint=True), SOLVE,
           draw=per_arg(WC, UNIT)),
    OpSpec("solve_complex", tf.linalg.solve, [((3, 3), (3, 2))], draw=per_arg(WC_C, UNIT_C),
           dtype=C128),
    OpSpec("triangular_solve", tf.linalg.triangular_solve,
           SOLVE + [((2, 3, 3), (3, 2))], draw=per_arg(WC, UNIT)),
    OpSpec("triangular_solve_upper_adjoint",
           lambda a, b: tf.linalg.triangular_solve(a, b, lower=False, adjoint=True), SOLVE,
           draw=per_arg(WC, UNIT)),
    OpSpec("triangular_solve_complex",
           lambda a, b: tf.linalg.triangular_solve(a, b, adjoint=True), [((3, 3), (3, 2))],
           draw=per_arg(WC_C, UNIT_C), dtype=C128),
    OpSpec("inv", tf.linalg.inv, SQUARE, draw=WC),
    OpSpec("inv_adjoint", lambda x: tf.linalg.inv(x, adjoint=True), SQUARE, draw=WC),
    OpSpec("inv_complex", tf.linalg.inv, [((3, 3),)], draw=WC_C, dtype=C128),
    OpSpec("det", tf.linalg.det, SQUARE, draw=WC),
    OpSpec("det_complex", tf.linalg.det, [((3, 3),)], draw=WC_C, dtype=C128),
    OpSpec("slogdet", lambda x: tuple(tf.linalg.slogdet(x)), SQUARE,
           draw=well_conditioned(shift=-3.0)),
    OpSpec("logdet", lambda x: tf.linalg.logdet(_hermitian(x)), SQUARE, draw=SPD),
    # --- decompositions ------------------------------------------------------------------------
    OpSpec("cholesky", lambda x: tf.linalg.cholesky(_hermitian(x)), SQUARE, draw=SPD),
    OpSpec("cholesky_complex", lambda x: tf.linalg.cholesky(_hermitian(x)), [((3, 3),)],
           draw=SPD_C, dtype=C128),
    OpSpec("cholesky_solve",
           lambda a, b: tf.linalg.cholesky_solve(tf.linalg.cholesky(_hermitian(a)), b),
           [((3, 3), (3, 2))], draw=per_arg(SPD, UNIT)),
    OpSpec("qr", lambda x: tuple(tf.linalg.qr(x)), [((3, 3),), ((4, 3),), ((2, 4, 3),)],
           draw=WC),
    OpSpec("qr_wide", lambda x: tuple(tf.linalg.qr(x)), [((3, 5),), ((2, 2, 3),)], draw=WC),
    OpSpec("qr_full_square", lambda x: tuple(tf.linalg.qr(x, full_matrices=True)),
           [((3, 3),), ((2, 4),)], draw=WC),
    OpSpec("qr_complex", lambda x: tuple(tf.linalg.qr(x)), [((3, 3),), ((4, 3),)], draw=WC_C,
           dtype=C128),
    OpSpec("eigh", _eigh_invariants, [((3, 3),), ((2, 4, 4),)], draw=spread_spectrum()),
    OpSpec("eigh_complex", _eigh_invariants, [((3, 3),)], draw=spread_spectrum(True),
           dtype=C128),
    OpSpec("eigvalsh", tf.linalg.eigvalsh, [((3, 3),)], draw=spread_spectrum()),
    OpSpec("svd", _svd_invariants(), [((3, 3),), ((4, 3),), ((3, 5),), ((2, 4, 3),)],
           draw=spread_singular()),
    OpSpec("svd_full_matrices", _svd_invariants(full_matrices=True), [((4, 3),), ((3, 4),)],
           draw=spread_singular()),
    OpSpec("svd_values", lambda x: tf.linalg.svd(x, compute_uv=False), [((3, 4),)],
           draw=spread_singular()),
    OpSpec("svd_complex", _svd_invariants(), [((3, 3),), ((4, 3),)],
           draw=spread_singular(True), dtype=C128),
    # --- norms ---------------------------------------------------------------------------------
    OpSpec("norm", tf.norm, [((3,),), ((2, 3),)], draw=away_from_zero()),
    OpSpec("norm_axis_keepdims", lambda x: tf.norm(x, axis=1, keepdims=True), [((2, 3),)],
           draw=away_from_zero()),
    OpSpec("norm_1", lambda x: tf.norm(x, ord=1, axis=-1), [((2, 3),)], draw=away_from_zero()),
    OpSpec("norm_inf", lambda x: tf.linalg.norm(x, ord=np.inf), [((4,),)],
           draw=away_from_zero()),
    OpSpec("norm_p3", lambda x: tf.norm(x, ord=3, axis=0), [((3, 2),)], draw=away_from_zero()),
    OpSpec("norm_fro", lambda x: tf.norm(x, ord="fro", axis=(-2, -1)), [((2, 3, 4),)]),
    OpSpec("norm_matrix_1", lambda x: tf.norm(x, ord=1, axis=[0, 1], keepdims=True),
           [((3, 4),)], draw=away_from_zero()),
    OpSpec("norm_matrix_inf", lambda x: tf.norm(x, ord=np.inf, axis=(1, 2)), [((2, 3, 4),)],
           draw=away_from_zero()),
    OpSpec("norm_matrix_2", lambda x: tf.norm(x, ord=2, axis=(0, 2)), [((3, 2, 4),)],
           draw=spread_singular()),
    OpSpec("norm_complex", lambda x: tf.norm(x, axis=-1), [((2, 3),)], draw=UNIT_C, dtype=C128),
]
