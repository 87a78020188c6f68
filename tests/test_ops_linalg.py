"""Linear algebra: forward values, TF's output conventions, dtypes and errors.

Gradients (first and second order) are checked by the op table (op_specs_linalg.py); the tests
here pin what the table cannot: values against NumPy, output order and types, the singular
points TF documents, and the error texts.
"""

import numpy as np
import pytest

import tapeflow as tf

RNG = np.random.default_rng(7)


def _a(*shape, shift=0.0):
    x = RNG.standard_normal(shape)
    if shift:
        x = x + shift * np.eye(shape[-1])
    return x


def _close(t, expected, rtol=1e-6, atol=1e-8):
    np.testing.assert_allclose(np.asarray(t), expected, rtol=rtol, atol=atol)


def _grad(f, x):
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    return tape.gradient(y, x)


# --- exports --------------------------------------------------------------------------------------

def test_top_level_and_linalg_names():
    assert tf.einsum is tf.linalg.einsum
    assert tf.tensordot is tf.linalg.tensordot
    assert tf.norm is tf.linalg.norm
    assert tf.matmul is tf.linalg.matmul
    assert tf.eye is tf.linalg.eye
    for name in ["adjoint", "band_part", "cholesky", "cholesky_solve", "det", "diag", "diag_part",
                 "eigh", "eigvalsh", "inv", "logdet", "matrix_transpose", "matvec", "qr",
                 "set_diag", "slogdet", "solve", "svd", "tensor_diag", "tensor_diag_part", "trace",
                 "triangular_solve"]:
        assert callable(getattr(tf.linalg, name)), name


# --- matmul, matvec, tensordot --------------------------------------------------------------------

class TestMatmul:
    def test_batched_broadcast(self):
        a, b = _a(2, 1, 2, 3), _a(4, 3, 5)
        out = tf.linalg.matmul(a, b)
        assert out.shape == (2, 4, 2, 5)
        _close(out, a @ b)

    @pytest.mark.parametrize("flags", [dict(transpose_a=True), dict(transpose_b=True),
                                       dict(adjoint_a=True, adjoint_b=True),
                                       dict(transpose_a=True, adjoint_b=True)])
    def test_transpose_and_adjoint(self, flags):
        a = _a(2, 3) + 1j * _a(2, 3)
        b = _a(3, 2) + 1j * _a(3, 2)
        x = a.T if flags.get("transpose_a") else a.conj().T if flags.get("adjoint_a") else a
        y = b.T if flags.get("transpose_b") else b.conj().T if flags.get("adjoint_b") else b
        _close(tf.linalg.matmul(x, y, **flags), a @ b)

    def test_adjoint_of_real_is_transpose(self):
        a, b = _a(3, 2), _a(3, 4)
        _close(tf.matmul(a, b, adjoint_a=True), a.T @ b)

    def test_float32_and_int32_kept(self):
        assert tf.matmul(tf.ones((2, 2)), tf.ones((2, 2))).dtype == tf.float32
        out = tf.matmul(tf.constant([[1, 2]]), tf.constant([[3], [4]]))
        assert out.dtype == tf.int32 and out.numpy().tolist() == [[11]]

    def test_transpose_and_adjoint_together_is_an_error(self):
        with pytest.raises(ValueError, match="Only one of transpose_a and adjoint_a"):
            tf.matmul(_a(2, 2), _a(2, 2), transpose_a=True, adjoint_a=True)

    def test_size_mismatch(self):
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"Matrix size-incompatible: In\[0\]: \[2,3\], In\[1\]: \[4,5\]"):
            tf.matmul(_a(2, 3), _a(4, 5))

    def test_dtype_mismatch(self):
        with pytest.raises(tf.errors.InvalidArgumentError, match="MatMul"):
            tf.matmul(tf.ones((2, 2)), tf.ones((2, 2), dtype=tf.float64))

    def test_matvec(self):
        a, b = _a(2, 3, 4), _a(4)
        _close(tf.linalg.matvec(a, b), a @ b)
        _close(tf.linalg.matvec(a, _a(2, 3)[0], transpose_a=True).shape, (2, 4))

    def test_matmul_gradient_with_adjoint(self):
        a = _a(2, 3) + 1j * _a(2, 3)
        b = _a(2, 4) + 1j * _a(2, 4)
        g = _grad(lambda x: tf.matmul(x, tf.constant(b), adjoint_a=True), a)
        # d <1, a^H b> / da under TF's convention: b @ conj(ones)^T = b @ ones^T.
        _close(g, b @ np.ones((4, 3)))


class TestTensordot:
    @pytest.mark.parametrize("axes", [0, 1, 2, [[0, 2], [1, 0]], [1, 0], [[1], [0]]])
    def test_matches_numpy(self, axes):
        a, b = _a(2, 3, 4), _a(4, 2, 3) if axes not in (1, 2, [1, 0], [[1], [0]]) else None
        if axes in (1,):
            b = _a(4, 5)
        elif axes == 2:
            b = _a(3, 4, 5)
        elif axes in ([1, 0], [[1], [0]]):
            b = _a(3, 5)
        expected = np.tensordot(a, b, axes)
        _close(tf.tensordot(a, b, axes), expected)

    def test_bad_axes(self):
        with pytest.raises(ValueError, match="must be an integer or have length 2"):
            tf.tensordot(_a(2, 3), _a(3, 2), [[0], [1], [2]])
        with pytest.raises(ValueError, match="Different number of contraction axes"):
            tf.tensordot(_a(2, 3), _a(3, 2), [[0, 1], [1]])
        with pytest.raises(ValueError, match="must not be larger"):
            tf.tensordot(_a(2, 3), _a(3, 2), 3)

    def test_size_mismatch_is_reported_on_the_reshaped_matrices(self):
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"Matrix size-incompatible: In\[0\]: \[6,4\], In\[1\]: \[5,2\]"):
            tf.tensordot(_a(2, 3, 4), _a(5, 2), 1)


# --- einsum ---------------------------------------------------------------------------------------

class TestEinsum:
    @pytest.mark.parametrize("eq,shapes", [
        ("ij,jk->ik", [(2, 3), (3, 4)]),
        ("ij,jk", [(2, 3), (3, 4)]),
        ("bij,bjk->bik", [(2, 2, 3), (2, 3, 4)]),
        ("ii->i", [(3, 3)]),
        ("ii", [(3, 3)]),
        ("bxby->bxy", [(2, 3, 2, 4)]),
        ("ij->ji", [(2, 3)]),
        ("ij->", [(2, 3)]),
        ("i,i->", [(3,), (3,)]),
        ("i,j->ij", [(2,), (3,)]),
        ("...ij,...jk->...ik", [(2, 1, 2, 3), (4, 3, 2)]),
        ("...ij,jk", [(5, 2, 3), (3, 4)]),
        ("ab,b...->a...", [(2, 3), (3, 4, 5)]),
        ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 2)]),
        ("Ab,bC->AC", [(2, 3), (3, 4)]),
        (" i j , j k -> i k ", [(2, 3), (3, 4)]),
    ])
    def test_matches_numpy(self, eq, shapes):
        xs = [_a(*s) for s in shapes]
        _close(tf.einsum(eq, *xs), np.einsum(eq.replace(" ", ""), *xs))

    def test_ellipsis_missing_from_the_output(self):
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"Output contains 2 broadcasting dimension\(s\) but no ellipsis"):
            tf.einsum("...i->i", _a(2, 3, 4))
        _close(tf.einsum("...i->i", _a(4)).shape, (4,))  # no broadcasting axes: fine

    def test_inflating_a_diagonal(self):
        # TF's kernel allows an output label twice (its gradients need it): 'i->ii' is diag.
        _close(tf.einsum("i->ii", [1.0, 2.0]), np.diag([1.0, 2.0]))

    def test_dtype_is_kept(self):
        assert tf.einsum("ij,jk->ik", tf.ones((2, 2)), tf.ones((2, 2))).dtype == tf.float32

    def test_gradient_of_trace_and_diagonal(self):
        _close(_grad(lambda x: tf.einsum("ii", x), _a(3, 3)), np.eye(3))
        _close(_grad(lambda x: tf.einsum("ii->i", x), _a(3, 3)), np.eye(3))

    def test_second_order_through_a_repeated_index(self):
        x = tf.constant(_a(2, 3, 2, 3))
        with tf.GradientTape() as outer:
            outer.watch(x)
            with tf.GradientTape() as inner:
                inner.watch(x)
                y = tf.reduce_sum(tf.einsum("bxby->bxy", x) ** 3)
            g = inner.gradient(y, x)
            z = tf.reduce_sum(g * g)
        gg = outer.gradient(z, x)
        d = np.einsum("bxby->bxy", x.numpy())
        # g = 3 d^2 on the diagonal; z = sum 9 d^4; dz/dd = 36 d^3, placed on the diagonal.
        expected = np.zeros(x.shape)
        np.einsum("bxby->bxy", expected)[...] = 36 * d ** 3
        _close(gg, expected)

    def test_errors(self):
        with pytest.raises(ValueError, match="arguments for equation"):
            tf.einsum("ij,jk->ik", _a(2, 3))
        with pytest.raises(tf.errors.InvalidArgumentError, match="Expected dimension 3"):
            tf.einsum("ij,jk->ik", _a(2, 3), _a(4, 5))
        with pytest.raises(tf.errors.InvalidArgumentError, match="Einsum"):
            tf.einsum("ij,jk->ik", tf.ones((2, 2)), tf.ones((2, 2), dtype=tf.float64))
        with pytest.raises(ValueError, match="not present"):
            tf.einsum("ij->k", _a(2, 3))
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="Expected input 0 to have rank 3 but got: 2"):
            tf.einsum("ijk->i", _a(2, 3))
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="Expected dimension 3 at axis 0 of the input shaped \\[4,5\\]"):
            tf.einsum("ij,jk->ik", _a(2, 3), _a(4, 5))


# --- diagonals, bands, transposes, trace ----------------------------------------------------------

class TestDiagonals:
    def test_diag_and_diag_part(self):
        d = _a(2, 3)
        full = tf.linalg.diag(d)
        assert full.shape == (2, 3, 3)
        _close(tf.linalg.diag_part(full), d)
        _close(tf.linalg.diag([1.0, 2.0], k=1), np.diag([1.0, 2.0], 1))
        _close(tf.linalg.diag([1.0, 2.0], k=-1, num_cols=4, padding_value=9.0),
               [[9, 9, 9, 9], [1, 9, 9, 9], [9, 2, 9, 9]])
        x = _a(3, 4)
        _close(tf.linalg.diag_part(x, k=1), np.diagonal(x, 1))

    def test_set_diag_and_band_part(self):
        x = _a(2, 3, 3)
        out = tf.linalg.set_diag(x, np.zeros((2, 3)))
        _close(out, x * (1 - np.eye(3)))
        _close(tf.linalg.band_part(x, 1, 0), np.where(
            np.tril(np.ones((3, 3))) - np.tril(np.ones((3, 3)), -2) > 0, x, 0))
        _close(tf.linalg.band_part(x, -1, 0), np.tril(x))
        _close(tf.linalg.band_part(x, 0, -1), np.triu(x))

    def test_band_part_zeroes_infinities(self):
        out = tf.linalg.band_part([[1.0, np.inf], [np.inf, 2.0]], 0, 0)
        _close(out, [[1.0, 0.0], [0.0, 2.0]])

    def test_trace(self):
        x = _a(2, 3, 4)
        _close(tf.linalg.trace(x), np.trace(x, axis1=-2, axis2=-1))
        _close(_grad(tf.linalg.trace, _a(3, 3)), np.eye(3))

    def test_tensor_diag(self):
        d = _a(2, 3)
        full = tf.linalg.tensor_diag(d)
        assert full.shape == (2, 3, 2, 3)
        _close(tf.linalg.tensor_diag_part(full), d)
        _close(tf.linalg.tensor_diag([1.0, 2.0]), np.diag([1.0, 2.0]))

    def test_matrix_transpose_and_adjoint(self):
        x = _a(2, 3, 4) + 1j * _a(2, 3, 4)
        _close(tf.linalg.matrix_transpose(x), np.swapaxes(x, -1, -2))
        _close(tf.linalg.adjoint(x), np.conj(np.swapaxes(x, -1, -2)))
        _close(tf.linalg.matrix_transpose(x, conjugate=True), np.conj(np.swapaxes(x, -1, -2)))


# --- solves, inverses, determinants ---------------------------------------------------------------

class TestSolve:
    def test_solve_batched_and_adjoint(self):
        a, b = _a(2, 3, 3, shift=3), _a(2, 3, 2)
        _close(tf.linalg.solve(a, b), np.linalg.solve(a, b))
        _close(tf.linalg.solve(a, b, adjoint=True), np.linalg.solve(np.swapaxes(a, -1, -2), b))

    def test_solve_errors(self):
        with pytest.raises(tf.errors.InvalidArgumentError, match="not invertible"):
            tf.linalg.solve(np.zeros((2, 2)), np.ones((2, 1)))
        with pytest.raises(tf.errors.InvalidArgumentError, match="must be square"):
            tf.linalg.solve(_a(2, 3), _a(2, 1))
        with pytest.raises(tf.errors.InvalidArgumentError, match="same number of rows"):
            tf.linalg.solve(_a(3, 3), _a(2, 1))
        with pytest.raises(tf.errors.InvalidArgumentError, match="same outer dimensions"):
            tf.linalg.solve(_a(2, 3, 3), _a(3, 1))

    def test_triangular_solve_reads_one_triangle(self):
        a, b = _a(3, 3, shift=3), _a(3, 2)
        garbage = a + np.triu(np.full((3, 3), 100.0), 1)
        _close(tf.linalg.triangular_solve(garbage, b), np.linalg.solve(np.tril(a), b))
        _close(tf.linalg.triangular_solve(a, b, lower=False, adjoint=True),
               np.linalg.solve(np.triu(a).T, b))
        # batch dimensions broadcast
        assert tf.linalg.triangular_solve(_a(2, 3, 3, shift=3), b).shape == (2, 3, 2)

    def test_triangular_solve_gradient_stays_in_the_triangle(self):
        a = _a(3, 3, shift=3)
        g = _grad(lambda x: tf.linalg.triangular_solve(x, np.ones((3, 1))), a)
        assert np.all(np.triu(g.numpy(), 1) == 0)

    def test_cholesky_solve(self):
        a = _a(3, 3)
        a = a @ a.T + 3 * np.eye(3)
        b = _a(3, 2)
        _close(tf.linalg.cholesky_solve(tf.linalg.cholesky(a), b), np.linalg.solve(a, b))

    def test_inv(self):
        a = _a(2, 3, 3, shift=3)
        _close(tf.linalg.inv(a), np.linalg.inv(a))
        _close(tf.linalg.inv(a, adjoint=True), np.linalg.inv(np.swapaxes(a, -1, -2)))
        with pytest.raises(tf.errors.InvalidArgumentError) as info:
            tf.linalg.inv(np.zeros((2, 2)))
        # a kernel-side failure: TF's function-node prefix, then the op
        assert str(info.value).startswith("{{function_node __wrapped__MatrixInverse_device_")
        assert str(info.value).endswith("Input is not invertible. [Op:MatrixInverse] name: ")
        with pytest.raises(tf.errors.InvalidArgumentError, match="rank >= 2"):
            tf.linalg.inv([1.0, 2.0])

    def test_float16_goes_through_float32(self):
        out = tf.linalg.inv(tf.constant([[2.0, 0.0], [0.0, 4.0]], dtype=tf.float16))
        assert out.dtype == tf.float16
        _close(out, [[0.5, 0.0], [0.0, 0.25]])

    def test_integer_input_is_rejected(self):
        with pytest.raises(tf.errors.InvalidArgumentError, match="int32"):
            tf.linalg.det([[1, 2], [3, 4]])

    def test_det_and_its_gradient(self):
        a = _a(3, 3, shift=2)
        _close(tf.linalg.det(a), np.linalg.det(a))
        _close(_grad(tf.linalg.det, a), np.linalg.det(a) * np.linalg.inv(a).T)

    def test_slogdet(self):
        a = _a(2, 3, 3, shift=-2)
        out = tf.linalg.slogdet(a)
        sign, logabs = np.linalg.slogdet(a)
        assert out._fields == ("sign", "log_abs_determinant")
        _close(out.sign, sign)
        _close(out.log_abs_determinant, logabs)
        g = _grad(lambda x: tf.linalg.slogdet(x).log_abs_determinant, a)
        _close(g, np.linalg.inv(np.swapaxes(a, -1, -2)))

    def test_slogdet_complex_keeps_the_dtype(self):
        a = _a(3, 3, shift=2) + 1j * _a(3, 3)
        sign, logabs = tf.linalg.slogdet(a)
        assert sign.dtype == tf.complex128 and logabs.dtype == tf.complex128
        s, l_ = np.linalg.slogdet(a)
        _close(sign, s)
        _close(logabs, l_)

    def test_logdet(self):
        a = _a(3, 3)
        a = a @ a.T + np.eye(3)
        _close(tf.linalg.logdet(a), np.linalg.slogdet(a)[1])


# --- decompositions -------------------------------------------------------------------------------

class TestDecompositions:
    def test_cholesky_reads_the_lower_triangle(self):
        a = _a(3, 3)
        a = a @ a.T + 3 * np.eye(3)
        garbage = np.tril(a) + np.triu(np.full((3, 3), 50.0), 1)
        _close(tf.linalg.cholesky(garbage), np.linalg.cholesky(a))

    def test_cholesky_not_positive_definite(self):
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match="Cholesky decomposition was not successful"):
            tf.linalg.cholesky([[1.0, 2.0], [2.0, 1.0]])

    def test_cholesky_gradient_is_symmetric(self):
        a = _a(3, 3)
        a = a @ a.T + 3 * np.eye(3)
        g = _grad(lambda x: tf.reduce_sum(tf.linalg.cholesky(x) * [[1.0, 0, 0], [2, 3, 0],
                                                                    [4, 5, 6]]), a)
        _close(g, g.numpy().T)

    @pytest.mark.parametrize("shape", [(3, 3), (4, 3), (3, 5), (2, 4, 3)])
    def test_qr(self, shape):
        a = _a(*shape)
        q, r = tf.linalg.qr(a)
        eq, er = np.linalg.qr(a)
        _close(q, eq)
        _close(r, er)
        out = tf.linalg.qr(a, full_matrices=True)
        assert out.q.shape == shape[:-2] + (shape[-2], shape[-2])
        _close(out.q @ out.r, a)

    def test_qr_full_tall_gradient_not_implemented(self):
        x = tf.constant(_a(4, 3))
        with tf.GradientTape() as tape:
            tape.watch(x)
            q, r = tf.linalg.qr(x, full_matrices=True)
        with pytest.raises(NotImplementedError, match="QrGrad not implemented"):
            tape.gradient(r, x)

    def test_eigh(self):
        a = _a(2, 4, 4)
        a = a + np.swapaxes(a, -1, -2)
        e, v = tf.linalg.eigh(a)
        assert np.all(np.diff(e.numpy(), axis=-1) > 0)  # ascending
        _close(e, np.linalg.eigvalsh(a))
        _close(v @ tf.linalg.diag(e) @ tf.linalg.adjoint(v), a)
        _close(tf.linalg.eigvalsh(a), e)

    def test_eigh_reads_the_lower_triangle(self):
        a = _a(3, 3)
        a = a + a.T
        garbage = np.tril(a) + np.triu(np.full((3, 3), 7.0), 1)
        _close(tf.linalg.eigvalsh(garbage), np.linalg.eigvalsh(a))

    def test_eigh_complex_eigenvalues_keep_the_dtype(self):
        a = _a(3, 3) + 1j * _a(3, 3)
        a = a + a.conj().T
        e, _ = tf.linalg.eigh(a)
        assert e.dtype == tf.complex128
        _close(e, np.linalg.eigvalsh(a))

    def test_eigenvalue_gradient(self):
        a = _a(3, 3)
        a = a + a.T
        _, v = np.linalg.eigh(a)
        g = _grad(lambda x: tf.linalg.eigvalsh(x)[2], a)
        # d e_k / dA = v_k v_k^T, on the lower triangle (off-diagonal entries doubled).
        outer = np.outer(v[:, 2], v[:, 2])
        _close(g, np.tril(2 * outer) - np.diag(np.diag(outer)))

    @pytest.mark.parametrize("shape", [(3, 3), (4, 3), (3, 5), (2, 4, 3)])
    def test_svd_order_and_reconstruction(self, shape):
        a = _a(*shape)
        s, u, v = tf.linalg.svd(a)
        _close(s, np.linalg.svd(a, compute_uv=False))
        assert np.all(np.diff(s.numpy(), axis=-1) < 0)  # descending
        _close(u @ tf.linalg.diag(s) @ tf.linalg.adjoint(v), a)
        _close(tf.linalg.svd(a, compute_uv=False), s)
        s, u, v = tf.linalg.svd(a, full_matrices=True)
        assert u.shape[-1] == shape[-2] and v.shape[-1] == shape[-1]

    def test_svd_complex_singular_values_are_real(self):
        a = _a(3, 2) + 1j * _a(3, 2)
        s, u, v = tf.linalg.svd(tf.constant(a, dtype=tf.complex64))
        assert s.dtype == tf.float32 and u.dtype == tf.complex64
        _close(u @ tf.cast(tf.linalg.diag(s), tf.complex64) @ tf.linalg.adjoint(v), a,
               rtol=1e-5, atol=1e-5)

    def test_singular_value_gradient(self):
        a = _a(4, 3)
        u, _, vh = np.linalg.svd(a, full_matrices=False)
        g = _grad(lambda x: tf.linalg.svd(x, compute_uv=False)[0], a)
        _close(g, np.outer(u[:, 0], vh[0]))


# --- norms ----------------------------------------------------------------------------------------

class TestNorm:
    @pytest.mark.parametrize("ord_,axis", [
        ("euclidean", None), ("euclidean", 1), (2, 0), (1, -1), (np.inf, 1), (3, 1), (0.5, 0),
        ("fro", (0, 1)), ("euclidean", (-2, -1)), (1, (0, 1)), (np.inf, (0, 1)), (2, (0, 1)),
    ])
    def test_matches_numpy(self, ord_, axis):
        x = _a(3, 4)
        np_ord = None if ord_ == "euclidean" else ord_
        if axis is None:
            expected = np.linalg.norm(x.reshape(-1))
        else:
            expected = np.linalg.norm(x, ord=np_ord, axis=axis)
        _close(tf.norm(x, ord=ord_, axis=axis), expected)

    def test_keepdims_and_batches(self):
        x = _a(2, 3, 4)
        assert tf.norm(x, axis=1, keepdims=True).shape == (2, 1, 4)
        assert tf.norm(x, ord="fro", axis=(1, 2), keepdims=True).shape == (2, 1, 1)
        assert tf.norm(x, keepdims=True).shape == (1, 1, 1)
        assert tf.norm(x).shape == ()
        _close(tf.norm(x, ord=2, axis=(0, 2)),
               np.linalg.norm(np.transpose(x, (1, 0, 2)), ord=2, axis=(1, 2)))

    def test_gradient_at_zero_is_nan(self):
        # spec 7.1: the euclidean norm's gradient at the zero vector is nan, as in TF.
        assert np.isnan(_grad(tf.norm, [0.0, 0.0]).numpy()).all()
        _close(_grad(tf.norm, [3.0, 4.0]), [0.6, 0.8])

    def test_float32_and_complex_dtypes(self):
        assert tf.norm(tf.ones(3)).dtype == tf.float32
        z = tf.norm(tf.constant([3 + 4j]))
        assert z.dtype == tf.complex128  # TF: sqrt(sum(z * conj(z))) keeps the complex dtype
        _close(z, 5.0)

    def test_errors(self):
        with pytest.raises(ValueError, match="'ord' must be a supported vector norm, got fro"):
            tf.norm([1.0, 2.0], ord="fro")
        for bad in (-1, 0, -1.1):
            with pytest.raises(ValueError, match="'ord' must be a supported vector norm"):
                tf.norm([1.0, 2.0], ord=bad, axis=-1)
        with pytest.raises(ValueError, match="'ord' must be a supported matrix norm"):
            tf.norm([[1.0]], ord=1.1, axis=[0, 1])
        for axis in ([], [1, 2, 3], [1, 1], [3.1415]):
            with pytest.raises(ValueError, match="'axis' must be None, an integer, or a tuple"):
                tf.norm([[1.0]], axis=axis)


# --- vectorized jacobians --------------------------------------------------------------------

@pytest.mark.parametrize("f,shapes", [
    (tf.linalg.matmul, [(2, 3), (3, 2)]),
    (tf.linalg.matmul, [(2, 2, 3), (3, 2)]),
    (lambda a, b: tf.einsum("bij,bjk->bik", a, b), [(2, 2, 3), (2, 3, 2)]),
    (lambda a, b: tf.einsum("ij,k->i", a, b), [(2, 3), (4,)]),
    (lambda a, b: tf.einsum("...ij,...jk->...ik", a, b), [(2, 1, 2, 3), (3, 3, 2)]),
    (lambda x: tf.einsum("bxby->bxy", x), [(2, 3, 2, 2)]),
    (lambda x: tf.einsum("i->ii", x), [(3,)]),
    (lambda x: tf.linalg.diag(tf.linalg.diag_part(x), k=1), [(2, 3, 3)]),
    (lambda x: tf.linalg.band_part(x, 1, 0), [(3, 4)]),
])
def test_vectorized_jacobian_matches_the_loop(f, shapes):
    from tapeflow.engine import core
    for name in ("MatMul", "Einsum", "MatrixDiagV3", "MatrixDiagPartV3", "MatrixBandPart"):
        assert core.REGISTRY[name].batched
    xs = [tf.constant(_a(*s)) for s in shapes]
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(xs)
        y = f(*xs)
    fast = tape.jacobian(y, xs)
    slow = tape.jacobian(y, xs, experimental_use_pfor=False)
    for a, b, x in zip(fast, slow, xs, strict=True):
        assert a.shape == tuple(y.shape) + tuple(x.shape)
        _close(a, b.numpy())
