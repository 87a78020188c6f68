"""Operators that are diagonal matrices: ``LinearOperatorDiag``, ``LinearOperatorIdentity``,
``LinearOperatorScaledIdentity`` (and ``LinearOperatorZeros``, which is all zeros). Their
products, solves and determinants work on the diagonal alone, and their adjoints, inverses,
square roots and products with each other are operators of the same kind, as in TF."""

import numpy as np

from .. import linalg
from .. import math as tfm
from ..framework import dtypes
from ..framework.shape import TensorShape
from ..framework.tensor import convert_to_tensor
from ..ops import array_ops
from .base import LinearOperator, as_matrix


def _real_is_self_adjoint(dtype, is_self_adjoint, what):
    """A real diagonal operator is self-adjoint: TF's hint rule."""
    if dtype.is_complex:
        return is_self_adjoint
    if is_self_adjoint is False:
        raise ValueError(f"A real {what} operator is always self-adjoint.")
    return True


class LinearOperatorDiag(LinearOperator):
    """``diag(d)`` for a ``[..., N]`` tensor ``d``."""

    def __init__(self, diag, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None, name="LinearOperatorDiag"):
        self._diag = as_matrix(diag, "diag")
        if is_square is False:
            raise ValueError("Only square diagonal operators currently supported.")
        is_self_adjoint = _real_is_self_adjoint(self._diag.dtype, is_self_adjoint, "diagonal")
        super().__init__(self._diag.dtype, is_non_singular=is_non_singular,
                         is_self_adjoint=is_self_adjoint,
                         is_positive_definite=is_positive_definite, is_square=True, name=name,
                         parameters={"diag": diag})

    @property
    def diag(self):
        return self._diag

    def _shape(self):
        shape = self._diag.shape
        return shape.concatenate([shape[-1]])

    def _column(self, adjoint):
        d = tfm.conj(self._diag) if adjoint else self._diag
        return array_ops.expand_dims(d, -1)

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        x = linalg.adjoint(x) if adjoint_arg else x
        return self._column(adjoint) * x

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        rhs = linalg.adjoint(rhs) if adjoint_arg else rhs
        return rhs / self._column(adjoint)

    def _to_dense(self):
        return linalg.diag(self._diag)

    def _diag_part(self):
        return self._diag

    def _determinant(self):
        return tfm.reduce_prod(self._diag, -1)

    def _log_abs_determinant(self):
        return tfm.reduce_sum(tfm.log(tfm.abs(self._diag)), -1)

    def _add_to_tensor(self, x):
        return linalg.set_diag(x, linalg.diag_part(x) + self._diag)

    def _eigvals(self):
        return tfm.real(self._diag) if self._diag.dtype.is_complex else self._diag

    def _cond(self):
        magnitude = tfm.abs(self._diag)
        return tfm.reduce_max(magnitude, -1) / tfm.reduce_min(magnitude, -1)

    def _derived(self, diag, **hints):
        return LinearOperatorDiag(diag, **hints)

    def _adjoint_operator(self):
        return self._derived(tfm.conj(self._diag), **self._same_hints())

    def _inverse_operator(self):
        return self._derived(1.0 / self._diag, **self._same_hints())

    def _cholesky_operator(self):
        return self._derived(tfm.sqrt(self._diag), is_non_singular=True,
                             is_self_adjoint=True, is_positive_definite=True)

    def _matmul_operator(self, other):
        if isinstance(other, LinearOperatorDiag):
            return LinearOperatorDiag(self._diag * other._diag)
        if isinstance(other, (LinearOperatorIdentity, LinearOperatorScaledIdentity)):
            return LinearOperatorDiag(self._diag * other._scale_vector())
        return super()._matmul_operator(other)


class _Square(LinearOperator):
    """What Identity, ScaledIdentity and Zeros share: ``num_rows`` and a batch shape given
    as numbers."""

    def _shape(self):
        return self._batch.concatenate([self._num_rows, self._num_columns])


def _count(value, name):
    value = int(convert_to_tensor(value).numpy())
    if value < 0:
        raise ValueError(f"Argument {name} must be non-negative.  Found: {value}")
    return value


def _hints_true(what, **hints):
    for hint, value in hints.items():
        if value is False:
            raise ValueError(f"{what} is always {hint.removeprefix('is_').replace('_', ' ')}.")


class LinearOperatorIdentity(_Square):
    """The ``num_rows x num_rows`` identity, optionally batched."""

    def __init__(self, num_rows, batch_shape=None, dtype=None, is_non_singular=True,
                 is_self_adjoint=True, is_positive_definite=True, is_square=True,
                 assert_proper_shapes=False, name="LinearOperatorIdentity"):
        _hints_true("An identity operator", is_non_singular=is_non_singular,
                    is_self_adjoint=is_self_adjoint, is_positive_definite=is_positive_definite,
                    is_square=is_square)
        self._num_rows = self._num_columns = _count(num_rows, "num_rows")
        self._batch = TensorShape([] if batch_shape is None else
                                  [_count(b, "batch_shape") for b in batch_shape])
        super().__init__(dtypes.as_dtype(dtype or dtypes.float32), is_non_singular=True,
                         is_self_adjoint=True, is_positive_definite=True, is_square=True,
                         name=name, parameters={"num_rows": num_rows,
                                                "batch_shape": batch_shape, "dtype": dtype})

    def _scale_vector(self):
        return array_ops.ones(self._num_rows, self.dtype)

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        x = linalg.adjoint(x) if adjoint_arg else x
        if self._batch.rank:
            x = array_ops.broadcast_to(x, _batch_of(self._batch, x) + x.shape[-2:].as_list())
        return x

    _solve = _matmul

    def _to_dense(self):
        return array_ops.eye(self._num_rows, batch_shape=self._batch.as_list(),
                             dtype=self.dtype)

    def _diag_part(self):
        return array_ops.ones(self._batch.as_list() + [self._num_rows], self.dtype)

    def _determinant(self):
        return array_ops.ones(self._batch.as_list(), self.dtype)

    def _log_abs_determinant(self):
        return array_ops.zeros(self._batch.as_list(), self.dtype)

    def _trace(self):
        return array_ops.fill(self._batch.as_list(),
                              convert_to_tensor(self._num_rows, self.dtype))

    def _add_to_tensor(self, x):
        return linalg.set_diag(x, linalg.diag_part(x) + 1)

    def _eigvals(self):
        return self._diag_part()

    def _cond(self):
        return array_ops.ones(self._batch.as_list(), self.dtype)

    def _adjoint_operator(self):
        return self

    def _inverse_operator(self):
        return self

    def _cholesky_operator(self):
        return self

    def _matmul_operator(self, other):
        return other


def _batch_of(batch, x):
    """The batch shape of an operator's product with ``x``: both batch shapes broadcast."""
    return list(np.broadcast_shapes(tuple(batch.as_list()), tuple(x.shape[:-2].as_list())))


class LinearOperatorScaledIdentity(_Square):
    """``multiplier * I``; a batch of multipliers makes a batch of operators."""

    def __init__(self, num_rows, multiplier, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=True, assert_proper_shapes=False,
                 name="LinearOperatorScaledIdentity"):
        if not is_square:
            raise ValueError("A ScaledIdentity operator is always square.")
        self._multiplier = as_matrix(multiplier, "multiplier")
        is_self_adjoint = _real_is_self_adjoint(self._multiplier.dtype, is_self_adjoint,
                                                "scaled identity")
        self._num_rows = self._num_columns = _count(num_rows, "num_rows")
        self._batch = self._multiplier.shape
        super().__init__(self._multiplier.dtype, is_non_singular=is_non_singular,
                         is_self_adjoint=is_self_adjoint,
                         is_positive_definite=is_positive_definite, is_square=True, name=name,
                         parameters={"num_rows": num_rows, "multiplier": multiplier})

    @property
    def multiplier(self):
        return self._multiplier

    def _scale(self, adjoint=False):
        m = tfm.conj(self._multiplier) if adjoint else self._multiplier
        return array_ops.expand_dims(array_ops.expand_dims(m, -1), -1)

    def _scale_vector(self):
        return array_ops.expand_dims(self._multiplier, -1) * array_ops.ones(self._num_rows,
                                                                            self.dtype)

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        x = linalg.adjoint(x) if adjoint_arg else x
        return self._scale(adjoint) * x

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        rhs = linalg.adjoint(rhs) if adjoint_arg else rhs
        return rhs / self._scale(adjoint)

    def _to_dense(self):
        return self._scale() * array_ops.eye(self._num_rows, dtype=self.dtype)

    def _diag_part(self):
        return self._scale_vector()

    def _determinant(self):
        return self._multiplier ** self._num_rows

    def _log_abs_determinant(self):
        return self._num_rows * tfm.log(tfm.abs(self._multiplier))

    def _trace(self):
        return self._multiplier * self._num_rows

    def _add_to_tensor(self, x):
        return linalg.set_diag(x, linalg.diag_part(x) + self._scale_vector())

    def _eigvals(self):
        return self._scale_vector()

    def _cond(self):
        return array_ops.ones_like(tfm.abs(self._multiplier))

    def _derived(self, multiplier, **hints):
        return LinearOperatorScaledIdentity(self._num_rows, multiplier, **hints)

    def _adjoint_operator(self):
        return self._derived(tfm.conj(self._multiplier), **self._same_hints())

    def _inverse_operator(self):
        return self._derived(1.0 / self._multiplier, **self._same_hints())

    def _cholesky_operator(self):
        return self._derived(tfm.sqrt(self._multiplier), is_non_singular=True,
                             is_self_adjoint=True, is_positive_definite=True)

    def _matmul_operator(self, other):
        if isinstance(other, LinearOperatorScaledIdentity):
            return self._derived(self._multiplier * other._multiplier)
        if isinstance(other, LinearOperatorIdentity):
            return self
        if isinstance(other, LinearOperatorDiag):
            return LinearOperatorDiag(self._scale_vector() * other.diag)
        return super()._matmul_operator(other)


class LinearOperatorZeros(_Square):
    """The all-zeros ``num_rows x num_columns`` matrix."""

    def __init__(self, num_rows, num_columns=None, batch_shape=None, dtype=None,
                 is_non_singular=False, is_self_adjoint=True, is_positive_definite=False,
                 is_square=True, assert_proper_shapes=False, name="LinearOperatorZeros"):
        if is_non_singular:
            raise ValueError("A Zeros operator is always singular.")
        if is_positive_definite:
            raise ValueError("A Zeros operator is always not positive-definite.")
        self._num_rows = _count(num_rows, "num_rows")
        self._num_columns = (self._num_rows if num_columns is None
                             else _count(num_columns, "num_columns"))
        if is_square and self._num_rows != self._num_columns:
            raise ValueError(f"LinearOperatorZeros initialized as is_square=True, but got "
                             f"num_rows({self._num_rows}) != num_columns({self._num_columns})")
        self._batch = TensorShape([] if batch_shape is None else
                                  [_count(b, "batch_shape") for b in batch_shape])
        super().__init__(dtypes.as_dtype(dtype or dtypes.float32),
                         is_non_singular=is_non_singular, is_self_adjoint=is_self_adjoint,
                         is_positive_definite=is_positive_definite, is_square=is_square,
                         name=name, parameters={"num_rows": num_rows,
                                                "num_columns": num_columns,
                                                "batch_shape": batch_shape, "dtype": dtype})

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        rows = self._num_columns if adjoint else self._num_rows
        cols = x.shape[-2] if adjoint_arg else x.shape[-1]
        batch = _batch_of(self._batch, x)
        return array_ops.zeros(batch + [rows, cols], self.dtype)

    def _to_dense(self):
        return array_ops.zeros(self._batch.as_list() + [self._num_rows, self._num_columns],
                               self.dtype)

    def _diag_part(self):
        return array_ops.zeros(self._batch.as_list() + [min(self._num_rows, self._num_columns)],
                               self.dtype)

    def _determinant(self):
        return array_ops.zeros(self._batch.as_list(), self.dtype)

    def _log_abs_determinant(self):
        return tfm.log(self._determinant())

    def _trace(self):
        return array_ops.zeros(self._batch.as_list(), self.dtype)

    def _add_to_tensor(self, x):
        return x + self._to_dense()

    def _matmul_operator(self, other):
        return LinearOperatorZeros(self._num_rows, other.domain_dimension,
                                   batch_shape=self._batch.as_list(), dtype=self.dtype,
                                   is_square=self._num_rows == other.domain_dimension,
                                   is_self_adjoint=self._num_rows == other.domain_dimension)

