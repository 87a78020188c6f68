"""Operators given by a few numbers: a Householder reflection, a permutation, a Toeplitz and a
tridiagonal matrix, and circulant matrices (1, 2 and 3-D, through the FFT)."""

import numpy as np

from .. import linalg, signal
from .. import math as tfm
from ..framework import dtypes
from ..framework.shape import TensorShape
from ..framework.tensor import convert_to_tensor
from ..ops import array_ops, manip_ops
from ..ops.index_ops import gather, one_hot
from ..ops.linalg_ops import matmul
from .base import LinearOperator, as_matrix


class LinearOperatorHouseholder(LinearOperator):
    """``I - 2 v v^H / (v^H v)``: the reflection through the plane normal to ``v``."""

    def __init__(self, reflection_axis, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None,
                 name="LinearOperatorHouseholder"):
        self._axis = as_matrix(reflection_axis, "reflection_axis")
        if is_self_adjoint is False:
            raise ValueError("A Householder operator is always self adjoint.")
        if is_non_singular is False:
            raise ValueError("A Householder operator is always non-singular.")
        if is_positive_definite is True:
            raise ValueError("A Householder operator is always non-positive definite.")
        if is_square is False:
            raise ValueError("A Householder operator is always square.")
        super().__init__(self._axis.dtype, is_non_singular=is_non_singular,
                         is_self_adjoint=True, is_positive_definite=False, is_square=True,
                         name=name, parameters={"reflection_axis": reflection_axis})

    @property
    def reflection_axis(self):
        return self._axis

    def _shape(self):
        shape = self._axis.shape
        return shape.concatenate([shape[-1]])

    def _unit(self):
        norm2 = tfm.reduce_sum(tfm.conj(self._axis) * self._axis, -1, keepdims=True)
        return self._axis, norm2

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        x = linalg.adjoint(x) if adjoint_arg else x
        v, norm2 = self._unit()
        v = array_ops.expand_dims(v, -1)
        projection = matmul(v, x, adjoint_a=True)
        return x - 2.0 * v * projection / array_ops.expand_dims(norm2, -1)

    _solve = _matmul

    def _to_dense(self):
        n = self._axis.shape[-1]
        eye = array_ops.eye(n, batch_shape=self._axis.shape[:-1].as_list(), dtype=self.dtype)
        return self._matmul(eye)

    def _diag_part(self):
        v, norm2 = self._unit()
        return 1.0 - 2.0 * v * tfm.conj(v) / norm2

    def _trace(self):
        n = self._axis.shape[-1]
        return array_ops.fill(self.batch_shape.as_list(), convert_to_tensor(n - 2.0, self.dtype))

    def _determinant(self):
        return -array_ops.ones(self.batch_shape.as_list(), self.dtype)

    def _log_abs_determinant(self):
        return array_ops.zeros(self.batch_shape.as_list(), self.dtype)

    def _inverse_operator(self):
        return self


class LinearOperatorPermutation(LinearOperator):
    """The permutation matrix ``P`` with ``(P x)[i] = x[perm[i]]``."""

    def __init__(self, perm, dtype=dtypes.float32, is_non_singular=None,
                 is_self_adjoint=None, is_positive_definite=None, is_square=None,
                 name="LinearOperatorPermutation"):
        self._perm = convert_to_tensor(perm)
        if not self._perm.dtype.is_integer:
            raise TypeError(f"Argument perm must have integer dtype. Found: {self._perm.dtype}")
        if is_non_singular is False:
            raise ValueError("A Permutation operator is always non-singular.")
        if is_square is False:
            raise ValueError("A Permutation operator is always square.")
        super().__init__(dtype, is_non_singular=is_non_singular,
                         is_self_adjoint=is_self_adjoint,
                         is_positive_definite=is_positive_definite, is_square=True, name=name,
                         parameters={"perm": perm, "dtype": dtype})

    @property
    def perm(self):
        return self._perm

    def _shape(self):
        shape = self._perm.shape
        return shape.concatenate([shape[-1]])

    def _to_dense(self):
        n = self._perm.shape[-1]
        return one_hot(self._perm, n, dtype=self.dtype)

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        return matmul(self._to_dense(), x, adjoint_a=adjoint, adjoint_b=adjoint_arg)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        return matmul(self._to_dense(), rhs, adjoint_a=not adjoint, adjoint_b=adjoint_arg)

    def _determinant(self):
        perm = np.asarray(self._perm)
        signs = np.vectorize(_sign, signature="(n)->()")(perm)
        return convert_to_tensor(signs.astype(self.dtype.as_numpy_dtype))

    def _log_abs_determinant(self):
        return array_ops.zeros(self.batch_shape.as_list(), self.dtype)


def _sign(perm):
    """+1 for an even permutation, -1 for an odd one (its cycles' lengths)."""
    seen, sign = np.zeros(len(perm), bool), 1
    for start in range(len(perm)):
        length = 0
        while not seen[start]:
            seen[start] = True
            start = perm[start]
            length += 1
        if length and length % 2 == 0:
            sign = -sign
    return sign


class LinearOperatorToeplitz(LinearOperator):
    """The Toeplitz matrix with first column ``col`` and first row ``row`` (``row[0]`` is
    ignored: the diagonal is ``col[0]``)."""

    def __init__(self, col, row, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None, name="LinearOperatorToeplitz"):
        self._col = as_matrix(col, "col")
        self._row = as_matrix(row, "row")
        if is_square is False:
            raise ValueError("Only square Toeplitz operators currently supported.")
        super().__init__(self._col.dtype, is_non_singular=is_non_singular,
                         is_self_adjoint=is_self_adjoint,
                         is_positive_definite=is_positive_definite, is_square=True, name=name,
                         parameters={"col": col, "row": row})

    @property
    def col(self):
        return self._col

    @property
    def row(self):
        return self._row

    def _shape(self):
        batch = np.broadcast_shapes(tuple(self._col.shape[:-1]), tuple(self._row.shape[:-1]))
        n = self._col.shape[-1]
        return TensorShape(list(batch) + [n, n])

    def _to_dense(self):
        n = self._col.shape[-1]
        # one vector [row reversed (without row[0]), col]: entry (i, j) is col[i - j] below the
        # diagonal and row[j - i] above it
        values = manip_ops.concat([manip_ops.reverse(self._row[..., 1:], [-1]), self._col], -1)
        index = (n - 1) + np.subtract.outer(np.arange(n), np.arange(n))
        return gather(values, index, axis=-1)


class LinearOperatorTridiag(LinearOperator):
    """A tridiagonal matrix, given as ``compact`` (``[..., 3, N]``: superdiagonal, diagonal,
    subdiagonal; the superdiagonal's last and the subdiagonal's first entries unused),
    ``sequence`` (those three ``[..., N]`` tensors) or ``matrix`` (its band is used)."""

    def __init__(self, diagonals, diagonals_format="compact", is_non_singular=None,
                 is_self_adjoint=None, is_positive_definite=None, is_square=None,
                 name="LinearOperatorTridiag"):
        if diagonals_format not in ("compact", "matrix", "sequence"):
            raise ValueError(f"Diagonals Format must be one of compact, matrix, sequence, got "
                             f": {diagonals_format}")
        matrix = None
        if diagonals_format == "sequence":
            parts = [as_matrix(d, "diagonals") for d in diagonals]
            super_, main, sub = parts
        elif diagonals_format == "compact":
            compact = as_matrix(diagonals, "diagonals")
            super_, main, sub = compact[..., 0, :], compact[..., 1, :], compact[..., 2, :]
        else:  # TF's dense matrix is then the one given; products and solves use its band
            matrix = as_matrix(diagonals, "diagonals")
            n = matrix.shape[-1]
            main = linalg.diag_part(matrix)
            zero = array_ops.zeros(matrix.shape[:-2].as_list() + [1], matrix.dtype)
            super_ = manip_ops.concat([linalg.diag_part(matrix[..., :n - 1, 1:]), zero], -1)
            sub = manip_ops.concat([zero, linalg.diag_part(matrix[..., 1:, :n - 1])], -1)
        if is_square is False:
            raise ValueError("Only square tridiagonal operators supported.")
        self._diagonals, self._format = diagonals, diagonals_format
        self._matrix = matrix if diagonals_format == "matrix" else None
        self._super, self._main, self._sub = super_, main, sub
        super().__init__(main.dtype, is_non_singular=is_non_singular,
                         is_self_adjoint=is_self_adjoint,
                         is_positive_definite=is_positive_definite, is_square=True, name=name,
                         parameters={"diagonals": diagonals,
                                     "diagonals_format": diagonals_format})

    @property
    def diagonals(self):
        return self._diagonals

    @property
    def diagonals_format(self):
        return self._format

    def _shape(self):
        shape = self._main.shape
        return shape.concatenate([shape[-1]])

    def _band(self):
        n = self._main.shape[-1]
        return (linalg.diag(self._main)
                + linalg.diag(self._super[..., :n - 1], k=1)
                + linalg.diag(self._sub[..., 1:], k=-1))

    def _to_dense(self):
        return self._band() if self._matrix is None else self._matrix

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        return matmul(self._band(), x, adjoint_a=adjoint, adjoint_b=adjoint_arg)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        rhs = linalg.adjoint(rhs) if adjoint_arg else rhs
        return linalg.solve(self._band(), rhs, adjoint=adjoint)

    def _diag_part(self):
        return self._main


class _BaseCirculant(LinearOperator):
    """Circulant matrices (of circulant blocks, ``block_depth`` deep): ``A x`` is the inverse
    FFT of ``spectrum`` times the FFT of ``x``, over the last ``block_depth`` axes of ``x``
    laid out as the spectrum's."""

    _FFT = {1: (signal.fft, signal.ifft), 2: (signal.fft2d, signal.ifft2d),
            3: (signal.fft3d, signal.ifft3d)}

    def __init__(self, spectrum, block_depth, input_output_dtype, is_non_singular,
                 is_self_adjoint, is_positive_definite, is_square, name, parameters):
        spectrum = convert_to_tensor(spectrum)
        if spectrum.dtype.is_floating:
            spectrum = tfm.complex(spectrum, array_ops.zeros_like(spectrum))
        self._spectrum = spectrum
        self._depth = block_depth
        if is_square is False:
            raise ValueError("A circulant operator is always square.")
        super().__init__(input_output_dtype, is_non_singular=is_non_singular,
                         is_self_adjoint=is_self_adjoint,
                         is_positive_definite=is_positive_definite, is_square=True, name=name,
                         parameters=parameters)

    @property
    def spectrum(self):
        return self._spectrum

    @property
    def block_depth(self):
        return self._depth

    @property
    def block_shape(self):
        return self._spectrum.shape[-self._depth:]

    def _shape(self):
        n = int(np.prod(self.block_shape.as_list()))
        return self._spectrum.shape[:-self._depth].concatenate([n, n])

    def _apply(self, spectrum, x, adjoint_arg=False):
        """The inverse FFT of ``spectrum`` times the FFT of each column of ``x``."""
        x = linalg.adjoint(x) if adjoint_arg else x
        fft, ifft = self._FFT[self._depth]
        rows = linalg.matrix_transpose(x)  # [..., k, n]: one column of x a row
        if rows.dtype != spectrum.dtype:
            rows = array_ops.cast(rows, spectrum.dtype)
        lead = rows.shape[:-1].as_list()
        blocks = array_ops.reshape(rows, lead + self.block_shape.as_list())
        out = ifft(array_ops.expand_dims(spectrum, -self._depth - 1) * fft(blocks))
        out = linalg.matrix_transpose(array_ops.reshape(out, lead + [-1]))
        return array_ops.cast(out if self.dtype.is_complex else tfm.real(out), self.dtype)

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        spectrum = tfm.conj(self._spectrum) if adjoint else self._spectrum
        return self._apply(spectrum, x, adjoint_arg)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        spectrum = tfm.conj(self._spectrum) if adjoint else self._spectrum
        return self._apply(1.0 / spectrum, rhs, adjoint_arg)

    def _to_dense(self):
        n = self.shape[-1]
        eye = array_ops.eye(n, batch_shape=self.batch_shape.as_list(), dtype=self.dtype)
        return self._matmul(eye)

    def _flat_spectrum(self):
        return array_ops.reshape(self._spectrum, self.batch_shape.as_list() + [-1])

    def _cast(self, value):
        return array_ops.cast(value if self.dtype.is_complex else tfm.real(value), self.dtype)

    def _determinant(self):
        return self._cast(tfm.reduce_prod(self._flat_spectrum(), -1))

    def _log_abs_determinant(self):
        magnitude = tfm.abs(self._flat_spectrum())
        return array_ops.cast(tfm.reduce_sum(tfm.log(magnitude), -1), self.dtype.real_dtype)

    def _trace(self):
        return self._cast(tfm.reduce_sum(self._flat_spectrum(), -1))

    def _diag_part(self):
        n = self.shape[-1]
        mean = tfm.reduce_mean(self._flat_spectrum(), -1, keepdims=True)
        return self._cast(mean * array_ops.ones([n], self._spectrum.dtype))

    def _eigvals(self):
        return self._cast(self._flat_spectrum())

    # TF makes the adjoint and the product with the default input_output_dtype (complex64)
    # whatever this operator's is; only the inverse keeps it.
    def _adjoint_operator(self):
        return type(self)(tfm.conj(self._spectrum), **self._same_hints())

    def _inverse_operator(self):
        return type(self)(1.0 / self._spectrum, input_output_dtype=self.dtype, **self._same_hints())

    def _matmul_operator(self, other):
        if type(other) is type(self):
            return type(self)(self._spectrum * other._spectrum)
        return super()._matmul_operator(other)


def _circulant(depth, default_name):
    def __init__(self, spectrum, input_output_dtype=dtypes.complex64, is_non_singular=None,
                 is_self_adjoint=None, is_positive_definite=None, is_square=True,
                 name=default_name):
        _BaseCirculant.__init__(self, spectrum, depth, input_output_dtype, is_non_singular,
                                is_self_adjoint, is_positive_definite, is_square, name,
                                {"spectrum": spectrum,
                                 "input_output_dtype": input_output_dtype})
    return __init__


class LinearOperatorCirculant(_BaseCirculant):
    """A circulant matrix, by its ``spectrum`` (the FFT of its first column)."""

    __init__ = _circulant(1, "LinearOperatorCirculant")


class LinearOperatorCirculant2D(_BaseCirculant):
    """A block circulant matrix with circulant blocks, by its 2-D ``spectrum``."""

    __init__ = _circulant(2, "LinearOperatorCirculant2D")


class LinearOperatorCirculant3D(_BaseCirculant):
    """A doubly nested block circulant matrix, by its 3-D ``spectrum``."""

    __init__ = _circulant(3, "LinearOperatorCirculant3D")
