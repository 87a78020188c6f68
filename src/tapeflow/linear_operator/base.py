"""``tf.linalg.LinearOperator``: a matrix known by what it does, and the operators every other
builds on (a full matrix, a lower triangle, the adjoint, the inverse and the product of others).

An operator answers ``matmul``, ``solve``, ``determinant`` and the rest from its structure where
it has one (a subclass's ``_matmul``, ``_determinant``...), else from its dense matrix. What an
operator's ``adjoint()``, ``inverse()``, ``cholesky()`` and product with another operator return
is an operator again, of the kind TF returns (``_adjoint_operator`` and its siblings in the
subclasses; an adjoint or inverse without structure wraps its operator). All values are Tensors
computed with tapeflow's ops, so gradients flow through them.
"""

import numpy as np

from .. import debugging, linalg
from .. import math as tfm
from ..framework import dtypes
from ..framework.shape import TensorShape
from ..framework.tensor import Tensor, convert_to_tensor
from ..module import Module
from ..ops import array_ops
from ..ops.linalg_ops import matmul

_FLOATING = ("float16", "bfloat16", "float32", "float64", "complex64", "complex128")


class LinearOperator(Module):
    """Base class: a (batch of) ``[M, N]`` matrices, with hints about its structure.

    Subclasses define ``_shape()`` (a TensorShape) and ``_matmul(x, adjoint, adjoint_arg)`` or
    ``_to_dense()``; the other ``_``-methods have dense defaults.
    """

    def __init__(self, dtype, graph_parents=None, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None, name=None, parameters=None):
        if is_positive_definite:
            if is_non_singular is False:
                raise ValueError("A positive definite matrix is always non-singular.")
            is_non_singular = True
        if is_non_singular:
            if is_square is False:
                raise ValueError("A non-singular matrix is always square.")
            is_square = True
        if is_self_adjoint:
            if is_square is False:
                raise ValueError("A self-adjoint matrix is always square.")
            is_square = True
        super().__init__(name=name or type(self).__name__)
        self._dtype = dtypes.as_dtype(dtype) if dtype is not None else None
        self._is_non_singular = is_non_singular
        self._is_self_adjoint = is_self_adjoint
        self._is_positive_definite = is_positive_definite
        self._is_square_hint = is_square
        self._parameters = dict(parameters or {})

    # --- what it is ----------------------------------------------------------------------------
    @property
    def dtype(self):
        return self._dtype

    @property
    def parameters(self):
        return dict(self._parameters)

    @property
    def is_non_singular(self):
        return self._is_non_singular

    @property
    def is_self_adjoint(self):
        return self._is_self_adjoint

    @property
    def is_positive_definite(self):
        return self._is_positive_definite

    @property
    def is_square(self):
        known = self.shape[-2:]
        if known.is_fully_defined():
            square = known[0] == known[1]
            if self._is_square_hint is False and square:
                raise ValueError("User set is_square hint to False, but the operator was "
                                 "square.")
            return square if self._is_square_hint is None else self._is_square_hint
        return self._is_square_hint

    @property
    def shape(self):
        return self._shape()

    def shape_tensor(self, name="shape_tensor"):
        shape = self.shape
        if shape.is_fully_defined():
            return convert_to_tensor(shape.as_list(), dtypes.int32)
        return self._shape_tensor()

    def _shape_tensor(self):
        return array_ops.shape(self.to_dense())

    @property
    def batch_shape(self):
        return self.shape[:-2]

    def batch_shape_tensor(self, name="batch_shape_tensor"):
        return self.shape_tensor()[:-2]

    @property
    def tensor_rank(self):
        return self.shape.rank

    def tensor_rank_tensor(self, name="tensor_rank_tensor"):
        return convert_to_tensor(self.shape.rank, dtypes.int32)

    @property
    def domain_dimension(self):
        return self.shape[-1]

    def domain_dimension_tensor(self, name="domain_dimension_tensor"):
        return self.shape_tensor()[-1]

    @property
    def range_dimension(self):
        return self.shape[-2]

    def range_dimension_tensor(self, name="range_dimension_tensor"):
        return self.shape_tensor()[-2]

    # --- products and solves -------------------------------------------------------------------
    def matmul(self, x, adjoint=False, adjoint_arg=False, name="matmul"):
        """``self @ x`` (``adjoint``: of self's adjoint; ``adjoint_arg``: with x's)."""
        if isinstance(x, LinearOperator):
            left = self.adjoint() if adjoint else self
            right = x.adjoint() if adjoint_arg else x
            _check_compatible(left.domain_dimension, right.range_dimension)
            return left._matmul_operator(right)
        x = self._checked(x)
        _check_compatible(self.shape[-2 if adjoint else -1], x.shape[-1 if adjoint_arg else -2])
        return self._matmul(x, adjoint=adjoint, adjoint_arg=adjoint_arg)

    def __matmul__(self, other):
        return self.matmul(other)

    def matvec(self, x, adjoint=False, name="matvec"):
        x = self._checked(x)
        _check_compatible(self.shape[-2 if adjoint else -1], x.shape[-1])
        return self._matvec(x, adjoint=adjoint)

    def _matvec(self, x, adjoint=False):
        return array_ops.squeeze(self._matmul(array_ops.expand_dims(x, -1), adjoint=adjoint), -1)

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        return matmul(self.to_dense(), x, adjoint_a=adjoint, adjoint_b=adjoint_arg)

    def _matmul_operator(self, other):
        """The operator ``self @ other`` (both operators): a product of the kind TF returns."""
        return LinearOperatorComposition([self, other])

    def solve(self, rhs, adjoint=False, adjoint_arg=False, name="solve"):
        """``x`` with ``self @ x == rhs``."""
        self._check_solvable()
        if isinstance(rhs, LinearOperator):
            left = self.adjoint() if adjoint else self
            right = rhs.adjoint() if adjoint_arg else rhs
            _check_compatible(left.range_dimension, right.range_dimension)
            return left.inverse()._matmul_operator(right)
        rhs = self._checked(rhs)
        _check_compatible(self.shape[-1 if adjoint else -2], rhs.shape[-1 if adjoint_arg else -2])
        return self._solve(rhs, adjoint=adjoint, adjoint_arg=adjoint_arg)

    def solvevec(self, rhs, adjoint=False, name="solve"):
        self._check_solvable()
        rhs = self._checked(rhs)
        _check_compatible(self.shape[-1 if adjoint else -2], rhs.shape[-1])
        return array_ops.squeeze(self._solve(array_ops.expand_dims(rhs, -1), adjoint=adjoint), -1)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        if adjoint_arg:
            rhs = linalg.adjoint(rhs)
        matrix, rhs = _broadcast_batches(self.to_dense(), rhs)
        if self._can_use_cholesky():
            return linalg.cholesky_solve(linalg.cholesky(matrix), rhs)
        return linalg.solve(matrix, rhs, adjoint=adjoint)

    def _check_solvable(self):
        if self.is_non_singular is False:
            raise NotImplementedError("Exact solve not implemented for an operator that is "
                                      "expected to be singular.")
        if self.is_square is False:
            raise NotImplementedError("Exact solve not implemented for an operator that is "
                                      "expected to not be square.")

    def _checked(self, x):
        x = x if isinstance(x, Tensor) else convert_to_tensor(x, dtype=self.dtype)
        if x.dtype != self.dtype:
            raise TypeError(f"Expected argument to have dtype {self.dtype}. Found: {x.dtype} "
                            f"in tensor {x}")
        return x

    # --- scalars and parts of the matrix -------------------------------------------------------
    def to_dense(self, name="to_dense"):
        return self._to_dense()

    def _to_dense(self):
        n = self.domain_dimension
        eye = array_ops.eye(n, batch_shape=self.batch_shape.as_list(), dtype=self.dtype)
        return self._matmul(eye)

    def determinant(self, name="det"):
        if self.is_square is False:
            raise NotImplementedError("Determinant not implemented for an operator that is "
                                      "expected to not be square.")
        return self._determinant()

    def _determinant(self):
        if self._can_use_cholesky():
            return tfm.exp(self._log_abs_determinant())
        return linalg.det(self.to_dense())

    def log_abs_determinant(self, name="log_abs_det"):
        if self.is_square is False:
            raise NotImplementedError("Determinant not implemented for an operator that is "
                                      "expected to not be square.")
        return self._log_abs_determinant()

    def _log_abs_determinant(self):
        if self._can_use_cholesky():
            chol = linalg.diag_part(linalg.cholesky(self.to_dense()))
            return 2.0 * tfm.reduce_sum(tfm.log(chol), -1)
        return linalg.slogdet(self.to_dense())[1]

    def diag_part(self, name="diag_part"):
        return self._diag_part()

    def _diag_part(self):
        return linalg.diag_part(self.to_dense())

    def trace(self, name="trace"):
        return self._trace()

    def _trace(self):
        return tfm.reduce_sum(self.diag_part(), -1)

    def add_to_tensor(self, x, name="add_to_tensor"):
        return self._add_to_tensor(self._checked(x))

    def _add_to_tensor(self, x):
        return self.to_dense() + x

    def eigvals(self, name="eigvals"):
        if not self.is_self_adjoint:
            raise NotImplementedError("Only self-adjoint matrices are supported.")
        return self._eigvals()

    def _eigvals(self):
        return linalg.eigvalsh(self.to_dense())

    def cond(self, name="cond"):
        return self._cond()

    def _cond(self):
        if self.is_self_adjoint:
            values = tfm.abs(self.eigvals())
        else:
            values = linalg.svd(self.to_dense(), compute_uv=False)
        return tfm.reduce_max(values, -1) / tfm.reduce_min(values, -1)

    def _same_hints(self):
        """This operator's hints, for an operator made from it that keeps them (an adjoint or
        inverse of the same kind)."""
        return {"is_non_singular": self.is_non_singular, "is_self_adjoint": self.is_self_adjoint,
                "is_positive_definite": self.is_positive_definite}

    def _can_use_cholesky(self):
        return bool(self.is_self_adjoint and self.is_positive_definite)

    # --- operators made from this one ----------------------------------------------------------
    def adjoint(self, name="adjoint"):
        if self.is_self_adjoint is True:
            return self
        return self._adjoint_operator()

    H = property(adjoint, None)

    def _adjoint_operator(self):
        return LinearOperatorAdjoint(self)

    def inverse(self, name="inverse"):
        if self.is_square is False:
            raise ValueError("Cannot take the Inverse: This operator represents a non square "
                             "matrix.")
        if self.is_non_singular is False:
            raise ValueError("Cannot take the Inverse: This operator represents a singular "
                             "matrix.")
        return self._inverse_operator()

    def _inverse_operator(self):
        return LinearOperatorInversion(self)

    def cholesky(self, name="cholesky"):
        if not self._can_use_cholesky():
            raise ValueError("Cholesky decomposition only exists for self-adjoint positive "
                             "definite matrices.")
        return self._cholesky_operator()

    def _cholesky_operator(self):
        return LinearOperatorLowerTriangular(linalg.cholesky(self.to_dense()),
                                             is_non_singular=True, is_self_adjoint=False,
                                             is_square=True)

    # --- checks --------------------------------------------------------------------------------
    def assert_non_singular(self, name="assert_non_singular"):
        return debugging.assert_positive(tfm.abs(self.determinant()),
                                         message="Singular operator:")

    def assert_positive_definite(self, name="assert_positive_definite"):
        return debugging.assert_positive(tfm.reduce_min(self._eigvals(), -1),
                                         message="Operator was not positive definite.")

    def assert_self_adjoint(self, name="assert_self_adjoint"):
        dense = self.to_dense()
        return debugging.assert_equal(dense, linalg.adjoint(dense),
                                      message="Matrix was not equal to its adjoint.")


def _broadcast_batches(matrix, rhs):
    """``matrix`` and ``rhs`` with their batch shapes broadcast (TF's solves broadcast)."""
    a, b = matrix.shape[:-2].as_list(), rhs.shape[:-2].as_list()
    if a == b:
        return matrix, rhs
    batch = list(np.broadcast_shapes(tuple(a), tuple(b)))
    return (array_ops.broadcast_to(matrix, batch + matrix.shape[-2:].as_list()),
            array_ops.broadcast_to(rhs, batch + rhs.shape[-2:].as_list()))


def _check_compatible(a, b):
    """TF's static check that two dimensions can meet (None meets anything)."""
    if a is not None and b is not None and a != b:
        raise ValueError(f"Dimensions {a} and {b} are not compatible")


def as_matrix(value, name, allowed=_FLOATING):
    """``value`` as a Tensor of one of the dtypes operators work in (TF's TypeError else)."""
    value = convert_to_tensor(value)
    if value.dtype.name not in allowed:
        raise TypeError(f"Argument {name} must have dtype in {list(allowed)}. Found: "
                        f"{value.dtype}")
    return value


def join_hints(operators, hint):
    """True when every operator has ``hint`` True (TF's rule for products and block diagonals)."""
    return True if all(getattr(op, hint) for op in operators) else None


class _OverMatrix(LinearOperator):
    """An operator kept as a dense matrix (``_matrix``): a full or a lower triangular one."""

    def _shape(self):
        return self._matrix.shape

    def _to_dense(self):
        return self._matrix

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        return matmul(self._matrix, x, adjoint_a=adjoint, adjoint_b=adjoint_arg)


class LinearOperatorFullMatrix(_OverMatrix):
    """An operator over a dense ``[..., M, N]`` matrix."""

    def __init__(self, matrix, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None, name="LinearOperatorFullMatrix"):
        self._matrix = as_matrix(matrix, "matrix")
        super().__init__(self._matrix.dtype, is_non_singular=is_non_singular,
                         is_self_adjoint=is_self_adjoint,
                         is_positive_definite=is_positive_definite, is_square=is_square,
                         name=name, parameters={"matrix": matrix})


class LinearOperatorLowerTriangular(_OverMatrix):
    """The lower triangle (diagonal included) of ``tril``; the rest of it is ignored."""

    def __init__(self, tril, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None,
                 name="LinearOperatorLowerTriangular"):
        if is_square is False:
            raise ValueError("Only square lower triangular operators supported at this time.")
        self._matrix = linalg.band_part(as_matrix(tril, "tril"), -1, 0)
        super().__init__(self._matrix.dtype, is_non_singular=is_non_singular,
                         is_self_adjoint=is_self_adjoint,
                         is_positive_definite=is_positive_definite, is_square=True,
                         name=name, parameters={"tril": tril})

    def _diag_part(self):
        return linalg.diag_part(self._matrix)

    def _determinant(self):
        return tfm.reduce_prod(self._diag_part(), -1)

    def _log_abs_determinant(self):
        return tfm.reduce_sum(tfm.log(tfm.abs(self._diag_part())), -1)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        if adjoint_arg:
            rhs = linalg.adjoint(rhs)
        return linalg.triangular_solve(self._matrix, rhs, lower=True, adjoint=adjoint)


class _OfOne(LinearOperator):
    """An operator made from one other (its adjoint, its inverse): the other's hints unless
    given (they must agree), its dtype, and a name made from its."""

    _suffix = ""

    def __init__(self, operator, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None, name=None):
        self._operator = operator
        super().__init__(operator.dtype,
                         is_non_singular=_inherit(is_non_singular, operator.is_non_singular),
                         is_self_adjoint=_inherit(is_self_adjoint, operator.is_self_adjoint),
                         is_positive_definite=_inherit(is_positive_definite,
                                                       operator.is_positive_definite),
                         is_square=_inherit(is_square, operator.is_square),
                         name=name or f"{operator.name}{self._suffix}",
                         parameters={"operator": operator})

    @property
    def operator(self):
        return self._operator


class LinearOperatorAdjoint(_OfOne):
    """The adjoint (conjugate transpose) of ``operator``."""

    _suffix = "_adjoint"

    def _shape(self):
        shape = self._operator.shape
        return shape[:-2].concatenate([shape[-1], shape[-2]])

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        return self._operator.matmul(x, adjoint=not adjoint, adjoint_arg=adjoint_arg)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        return self._operator.solve(rhs, adjoint=not adjoint, adjoint_arg=adjoint_arg)

    def _to_dense(self):
        return linalg.adjoint(self._operator.to_dense())

    def _determinant(self):
        return tfm.conj(self._operator.determinant())

    def _log_abs_determinant(self):
        return self._operator.log_abs_determinant()

    def _diag_part(self):
        return tfm.conj(self._operator.diag_part())

    def _adjoint_operator(self):
        return self._operator


class LinearOperatorInversion(_OfOne):
    """The inverse of a non-singular ``operator``: its ``matmul`` is the operator's ``solve``."""

    _suffix = "_inv"

    def __init__(self, operator, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None, name=None):
        if operator.is_non_singular is False or is_non_singular is False:
            raise ValueError(f"operator and supplied hints must be non-singular. Found "
                             f"is_non_singular={operator.is_non_singular}")
        if operator.is_square is False or is_square is False:
            raise ValueError(f"operator and supplied hints must be square. Found "
                             f"is_square={operator.is_square}")
        super().__init__(operator, is_non_singular, is_self_adjoint, is_positive_definite,
                         is_square, name)

    def _shape(self):
        return self._operator.shape

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        return self._operator.solve(x, adjoint=adjoint, adjoint_arg=adjoint_arg)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        return self._operator.matmul(rhs, adjoint=adjoint, adjoint_arg=adjoint_arg)

    def _determinant(self):
        return 1.0 / self._operator.determinant()

    def _log_abs_determinant(self):
        return -self._operator.log_abs_determinant()

    def _inverse_operator(self):
        return self._operator


class LinearOperatorComposition(LinearOperator):
    """The product ``operators[0] @ operators[1] @ ...``."""

    def __init__(self, operators, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None, name=None):
        operators = list(operators)
        if not operators:
            raise ValueError(f"Expected a non-empty list of operators. Found: {operators}")
        _check_same_dtype(operators)
        for left, right in zip(operators, operators[1:]):
            _check_compatible(left.domain_dimension, right.range_dimension)
        if all(op.is_non_singular for op in operators):
            if is_non_singular is False:
                raise ValueError("The composition of non-singular operators is always "
                                 "non-singular.")
            is_non_singular = True
        self._operators = operators
        super().__init__(operators[0].dtype, is_non_singular=is_non_singular,
                         is_self_adjoint=is_self_adjoint,
                         is_positive_definite=is_positive_definite, is_square=is_square,
                         name=name or "_o_".join(op.name for op in operators),
                         parameters={"operators": operators})

    @property
    def operators(self):
        return list(self._operators)

    def _shape(self):
        batch = TensorShape([])
        for op in self._operators:
            batch = _broadcast_shapes(batch, op.batch_shape)
        return batch.concatenate([self._operators[0].range_dimension,
                                  self._operators[-1].domain_dimension])

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        ops = self._operators if adjoint else self._operators[::-1]
        result = ops[0].matmul(x, adjoint=adjoint, adjoint_arg=adjoint_arg)
        for op in ops[1:]:
            result = op.matmul(result, adjoint=adjoint)
        return result

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        ops = self._operators[::-1] if adjoint else self._operators
        result = ops[0].solve(rhs, adjoint=adjoint, adjoint_arg=adjoint_arg)
        for op in ops[1:]:
            result = op.solve(result, adjoint=adjoint)
        return result

    def _determinant(self):
        if all(op.is_square for op in self._operators):
            det = self._operators[0].determinant()
            for op in self._operators[1:]:
                det = det * op.determinant()
            return det
        return super()._determinant()

    def _log_abs_determinant(self):
        if all(op.is_square for op in self._operators):
            return tfm.add_n([op.log_abs_determinant() for op in self._operators])
        return super()._log_abs_determinant()


def _inherit(hint, operator_hint):
    """An adjoint's or inverse's hint: the given one, else the operator's (they must agree)."""
    if hint is not None and operator_hint is not None and hint != operator_hint:
        raise ValueError(f"Hint {hint} contradicts the operator's {operator_hint}.")
    return operator_hint if hint is None else hint


def _check_same_dtype(operators):
    dtype = operators[0].dtype
    for op in operators[1:]:
        if op.dtype != dtype:
            raise TypeError(f"Expected all operators to have the same dtype.  Found "
                            f"{', '.join(f'{o.name}: {o.dtype}' for o in operators)}")


def _broadcast_shapes(a, b):
    """Two static batch shapes broadcast (None where unknown)."""
    if a.rank is None or b.rank is None:
        return TensorShape(None)
    a, b = a.as_list(), b.as_list()
    n = max(len(a), len(b))
    a, b = [1] * (n - len(a)) + a, [1] * (n - len(b)) + b
    out = []
    for x, y in zip(a, b):
        if x is None or y is None:
            out.append(None if x != 1 and y != 1 else (y if x == 1 else x))
        elif x != y and 1 not in (x, y):
            raise ValueError(f"Incompatible batch shapes {a} and {b}")
        else:
            out.append(max(x, y) if 1 in (x, y) else x)
    return TensorShape(out)
