"""Operators built from other operators: block diagonal and block lower triangular matrices,
Kronecker products, and low-rank updates ``L + U D V^H``."""

from .. import linalg
from .. import math as tfm
from ..framework.shape import TensorShape
from ..ops import array_ops, manip_ops
from ..ops.linalg_ops import matmul
from .base import (LinearOperator, LinearOperatorFullMatrix, _broadcast_shapes,
                   _check_same_dtype, as_matrix, join_hints)


def _batch(operators):
    batch = TensorShape([])
    for op in operators:
        batch = _broadcast_shapes(batch, op.batch_shape)
    return batch


def _split_rows(x, sizes):
    """``x`` cut along its second-to-last axis into pieces of ``sizes`` rows."""
    return manip_ops.split(x, sizes, axis=-2)


def _assemble(rows, dtype):
    """The dense matrix of a grid of dense blocks (None: zeros), rows of equal heights."""
    heights = [next(b for b in row if b is not None).shape[-2] for row in rows]
    widths = [next(r[j] for r in rows if j < len(r) and r[j] is not None).shape[-1]
              for j in range(max(len(r) for r in rows))]
    batch = _batch_of_blocks(rows)
    out = []
    for row, h in zip(rows, heights):
        pieces = []
        for j, w in enumerate(widths):
            block = row[j] if j < len(row) else None
            if block is None:
                block = array_ops.zeros(batch + [h, w], dtype)
            elif block.shape[:-2].as_list() != batch:
                block = array_ops.broadcast_to(block, batch + [h, w])
            pieces.append(block)
        out.append(manip_ops.concat(pieces, -1))
    return manip_ops.concat(out, -2)


def _batch_of_blocks(rows):
    shape = TensorShape([])
    for row in rows:
        for block in row:
            if block is not None:
                shape = _broadcast_shapes(shape, block.shape[:-2])
    return shape.as_list()


class _Factorwise(LinearOperator):
    """An operator of operators whose adjoint, inverse and Cholesky factor are the same kind of
    operator of its operators' (a block diagonal's, a Kronecker product's)."""

    def _each(self, method, **hints):
        return type(self)([getattr(op, method)() for op in self._operators], **hints)

    def _adjoint_operator(self):
        return self._each("adjoint", **self._same_hints())

    def _inverse_operator(self):
        return self._each("inverse", **self._same_hints())

    def _cholesky_operator(self):
        return self._each("cholesky", is_non_singular=True)


class LinearOperatorBlockDiag(_Factorwise):
    """The block diagonal matrix with ``operators`` on its diagonal."""

    def __init__(self, operators, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=True, name=None):
        operators = list(operators)
        if not operators:
            raise ValueError(f"Expected a non-empty list of operators. Found: {operators}")
        _check_same_dtype(operators)
        for hint in ("is_non_singular", "is_self_adjoint", "is_positive_definite"):
            if join_hints(operators, hint):
                if locals()[hint] is False:
                    raise ValueError(f"The direct sum of operators with {hint} is {hint}.")
        is_non_singular = is_non_singular or join_hints(operators, "is_non_singular")
        is_self_adjoint = is_self_adjoint or join_hints(operators, "is_self_adjoint")
        is_positive_definite = (is_positive_definite
                                or join_hints(operators, "is_positive_definite"))
        if not all(op.is_square for op in operators):
            raise ValueError("Can only represent a block diagonal of square matrices.")
        self._operators = operators
        super().__init__(operators[0].dtype, is_non_singular=is_non_singular,
                         is_self_adjoint=is_self_adjoint,
                         is_positive_definite=is_positive_definite, is_square=True,
                         name=name or "_ds_".join(op.name for op in operators),
                         parameters={"operators": operators})

    @property
    def operators(self):
        return list(self._operators)

    def _sizes(self):
        return [op.domain_dimension for op in self._operators]

    def _shape(self):
        n = sum(self._sizes())
        return _batch(self._operators).concatenate([n, n])

    def _blockwise(self, method, x, adjoint, adjoint_arg):
        x = linalg.adjoint(x) if adjoint_arg else x
        pieces = _split_rows(x, self._sizes())
        return manip_ops.concat([getattr(op, method)(p, adjoint=adjoint)
                                 for op, p in zip(self._operators, pieces)], -2)

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        return self._blockwise("matmul", x, adjoint, adjoint_arg)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        return self._blockwise("solve", rhs, adjoint, adjoint_arg)

    def _to_dense(self):
        k = len(self._operators)
        rows = [[op.to_dense() if i == j else None for j in range(k)]
                for i, op in enumerate(self._operators)]
        return _assemble(rows, self.dtype)

    def _diag_part(self):
        return manip_ops.concat([op.diag_part() for op in self._operators], -1)

    def _trace(self):
        return tfm.add_n([op.trace() for op in self._operators])

    def _determinant(self):
        det = self._operators[0].determinant()
        for op in self._operators[1:]:
            det = det * op.determinant()
        return det

    def _log_abs_determinant(self):
        return tfm.add_n([op.log_abs_determinant() for op in self._operators])

    def _eigvals(self):
        return manip_ops.concat([op.eigvals() for op in self._operators], -1)

    def _matmul_operator(self, other):
        if (isinstance(other, LinearOperatorBlockDiag)
                and other._sizes() == self._sizes()):
            return LinearOperatorBlockDiag(
                [a.matmul(b) for a, b in zip(self._operators, other._operators)])
        return super()._matmul_operator(other)


class LinearOperatorBlockLowerTriangular(LinearOperator):
    """The block lower triangular matrix whose row ``i`` of blocks is ``operators[i]`` (``i + 1``
    operators; the diagonal ones square)."""

    def __init__(self, operators, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None,
                 name="LinearOperatorBlockLowerTriangular"):
        rows = [list(row) for row in operators]
        if not rows:
            raise ValueError(f"Expected a non-empty list of operators. Found: {rows}")
        for i, row in enumerate(rows):
            if len(row) != i + 1:
                raise ValueError(f"Argument `operators[{i}]` must contain `{i + 1}` blocks. "
                                 f"Found: {len(row)} blocks.")
        _check_same_dtype([op for row in rows for op in row])
        diagonal = [row[-1] for row in rows]
        if all(op.is_non_singular for op in diagonal):
            if is_non_singular is False:
                raise ValueError("A blockwise lower-triangular operator with non-singular "
                                 "operators on the main diagonal is always non-singular.")
            is_non_singular = True
        self._rows = rows
        super().__init__(rows[0][0].dtype, is_non_singular=is_non_singular,
                         is_self_adjoint=is_self_adjoint,
                         is_positive_definite=is_positive_definite, is_square=True, name=name,
                         parameters={"operators": operators})

    @property
    def operators(self):
        return [list(row) for row in self._rows]

    def _sizes(self):
        return [row[-1].domain_dimension for row in self._rows]

    def _shape(self):
        n = sum(self._sizes())
        return _batch([op for row in self._rows for op in row]).concatenate([n, n])

    def _to_dense(self):
        return _assemble([[op.to_dense() for op in row] for row in self._rows], self.dtype)

    def _determinant(self):
        det = self._rows[0][-1].determinant()
        for row in self._rows[1:]:
            det = det * row[-1].determinant()
        return det

    def _log_abs_determinant(self):
        return tfm.add_n([row[-1].log_abs_determinant() for row in self._rows])

    def _diag_part(self):
        return manip_ops.concat([row[-1].diag_part() for row in self._rows], -1)

    def _inverse_operator(self):
        """The inverse is block lower triangular too: block forward substitution, as dense
        blocks ``B[i][j] = -D_i^-1 sum_k A[i][k] B[k][j]``, ``B[i][i] = D_i^-1``."""
        k = len(self._rows)
        inverse = [[None] * (i + 1) for i in range(k)]
        for i in range(k):
            diagonal = self._rows[i][-1]
            inverse[i][i] = diagonal.inverse().to_dense()
            for j in range(i):
                total = tfm.add_n([self._rows[i][m].matmul(inverse[m][j])
                                   for m in range(j, i)])
                inverse[i][j] = -diagonal.solve(total)
        return LinearOperatorBlockLowerTriangular(
            [[LinearOperatorFullMatrix(b) for b in row] for row in inverse],
            is_non_singular=self.is_non_singular)


class LinearOperatorKronecker(_Factorwise):
    """The Kronecker product ``operators[0] (x) operators[1] (x) ...``."""

    def __init__(self, operators, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None, name=None):
        operators = list(operators)
        if not operators:
            raise ValueError(f"Expected a list of >=1 operators. Found: {operators}")
        _check_same_dtype(operators)
        if all(op.is_non_singular for op in operators):
            if is_non_singular is False:
                raise ValueError("The Kronecker product of non-singular operators is always "
                                 "non-singular.")
            is_non_singular = True
        if all(op.is_self_adjoint for op in operators):
            is_self_adjoint = True if is_self_adjoint is None else is_self_adjoint
        self._operators = operators
        super().__init__(operators[0].dtype, is_non_singular=is_non_singular,
                         is_self_adjoint=is_self_adjoint,
                         is_positive_definite=is_positive_definite, is_square=is_square,
                         name=name or "_x_".join(op.name for op in operators),
                         parameters={"operators": operators})

    @property
    def operators(self):
        return list(self._operators)

    def _shape(self):
        rows = cols = 1
        for op in self._operators:
            rows, cols = rows * op.range_dimension, cols * op.domain_dimension
        return _batch(self._operators).concatenate([rows, cols])

    def _to_dense(self):
        dense = self._operators[0].to_dense()
        for op in self._operators[1:]:
            other = op.to_dense()
            m, n = dense.shape[-2], dense.shape[-1]
            p, q = other.shape[-2], other.shape[-1]
            outer = (array_ops.expand_dims(array_ops.expand_dims(dense, -1), -3)
                     * array_ops.expand_dims(array_ops.expand_dims(other, -3), -2))
            batch = outer.shape[:-4].as_list()
            dense = array_ops.reshape(outer, batch + [m * p, n * q])
        return dense

    def _determinant(self):
        n = self.domain_dimension
        det = None
        for op in self._operators:
            part = op.determinant() ** (n // op.domain_dimension)
            det = part if det is None else det * part
        return det

    def _log_abs_determinant(self):
        n = self.domain_dimension
        return tfm.add_n([op.log_abs_determinant() * (n // op.domain_dimension)
                          for op in self._operators])

    def _diag_part(self):
        diag = self._operators[0].diag_part()
        for op in self._operators[1:]:
            other = op.diag_part()
            outer = array_ops.expand_dims(diag, -1) * array_ops.expand_dims(other, -2)
            diag = array_ops.reshape(outer, outer.shape[:-2].as_list() + [-1])
        return diag

    def _trace(self):
        trace = self._operators[0].trace()
        for op in self._operators[1:]:
            trace = trace * op.trace()
        return trace


class LinearOperatorLowRankUpdate(LinearOperator):
    """``base_operator + U diag(diag_update) V^H`` (``V`` defaults to ``U``, the diagonal to
    ones)."""

    def __init__(self, base_operator, u, diag_update=None, v=None,
                 is_diag_update_positive=None, is_non_singular=None, is_self_adjoint=None,
                 is_positive_definite=None, is_square=None,
                 name="LinearOperatorLowRankUpdate"):
        self._base = base_operator
        self._u = as_matrix(u, "u")
        self._v = self._u if v is None else as_matrix(v, "v")
        self._diag_update = None if diag_update is None else as_matrix(diag_update,
                                                                      "diag_update")
        self._use_v = v is not None
        positive_update = diag_update is None or is_diag_update_positive
        if not self._use_v and base_operator.is_self_adjoint:
            if is_self_adjoint is False:
                raise ValueError("A = L + UDU^H, with L self-adjoint and D real diagonal. "
                                 "Since UDU^H is self-adjoint, this must be a self-adjoint "
                                 "operator.")
            is_self_adjoint = True
        if not self._use_v and base_operator.is_positive_definite and positive_update:
            if is_positive_definite is False:
                raise ValueError("A = L + UDU^H, with L positive definite and D positive "
                                 "definite, must be positive definite.")
            is_positive_definite = True
        super().__init__(base_operator.dtype, is_non_singular=is_non_singular,
                         is_self_adjoint=is_self_adjoint,
                         is_positive_definite=is_positive_definite, is_square=is_square,
                         name=name, parameters={"base_operator": base_operator, "u": u,
                                                "diag_update": diag_update, "v": v})

    @property
    def base_operator(self):
        return self._base

    @property
    def u(self):
        return self._u

    @property
    def v(self):
        return self._v

    @property
    def diag_update(self):
        return self._diag_update

    def _shape(self):
        return _broadcast_shapes(self._base.batch_shape, self._u.shape[:-2]).concatenate(
            self._base.shape[-2:])

    def _update(self):
        u = self._u
        if self._diag_update is not None:
            u = u * array_ops.expand_dims(self._diag_update, -2)
        return matmul(u, self._v, adjoint_b=True)

    def _to_dense(self):
        return self._base.to_dense() + self._update()

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        return self._base.matmul(x, adjoint=adjoint, adjoint_arg=adjoint_arg) + matmul(
            self._update(), x, adjoint_a=adjoint, adjoint_b=adjoint_arg)

