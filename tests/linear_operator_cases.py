"""``tf.linalg.LinearOperator*`` cases, run under TensorFlow by
tools/record_linear_operator_fixtures.py and under tapeflow by tests/test_linear_operator.py.

Each case builds operators from ``tf``; :func:`probe` asks every operator the same questions
(its dense matrix, shapes, hints, products, solves, determinants, the kinds of the operators its
methods return) and keeps each answer as plain data, or the error's class and message.
"""

import numpy as np

SPD = [[4.0, 1.0, 0.0], [1.0, 3.0, 1.0], [0.0, 1.0, 2.0]]
GENERAL = [[2.0, -1.0, 0.5], [0.5, 3.0, 1.0], [1.0, 0.0, 4.0]]
TWO = [[2.0, -1.0], [0.5, 3.0]]
TALL = [[1.0, 2.0], [0.0, -1.0], [3.0, 1.0]]
X3 = [[1.0, 2.0], [0.0, -1.0], [3.0, 1.0]]
V3 = [1.0, -2.0, 0.5]


def plain(value):
    """A JSON-able form of what an operator method returned."""
    if isinstance(value, (bool, int, str)) or value is None:
        return value
    if hasattr(value, "as_list"):  # TensorShape
        return None if value.rank is None else value.as_list()
    if hasattr(value, "to_dense"):  # an operator
        return {"class": type(value).__name__, "dense": plain(value.to_dense())}
    array = np.asarray(value)
    if array.dtype.kind == "c":
        return {"real": array.real.tolist(), "imag": array.imag.tolist(),
                "dtype": array.dtype.name}
    return {"value": array.tolist(), "dtype": array.dtype.name}


def ask(fn, raw=False):
    """``fn()``'s answer as plain data (as it is, with ``raw``), or the error's class."""
    try:
        value = fn()
    except Exception as e:  # noqa: BLE001 - the error is the answer
        return {"error": type(e).__name__}
    return value if raw else plain(value)


def probe(tf, op, x=None, v=None, square=True, spd=False):
    dt = op.dtype
    out = {
        "class": type(op).__name__, "name": op.name, "dtype": dt.name,
        "shape": ask(lambda: op.shape), "batch_shape": ask(lambda: op.batch_shape),
        # TF gives a Dimension: its value, and what it prints
        "domain": ask(lambda: [getattr(op.domain_dimension, "value", op.domain_dimension),
                               str(op.domain_dimension)], raw=True),
        "range": ask(lambda: [getattr(op.range_dimension, "value", op.range_dimension),
                              str(op.range_dimension)], raw=True),
        "tensor_rank": ask(lambda: op.tensor_rank),
        "shape_tensor": ask(lambda: op.shape_tensor()),
        "hints": [op.is_non_singular, op.is_self_adjoint, op.is_positive_definite,
                  op.is_square],
        "dense": ask(op.to_dense),
        "adjoint": ask(op.adjoint), "H": ask(lambda: op.H),
        "diag_part": ask(op.diag_part), "trace": ask(op.trace),
        "add_to_tensor": ask(lambda: op.add_to_tensor(tf.ones_like(op.to_dense()))),
    }
    if x is not None:
        x = tf.constant(x, dt)
        out["matmul"] = ask(lambda: op.matmul(x))
        out["matmul_operator"] = ask(lambda: op @ x)
        out["matmul_adjoint"] = ask(lambda: op.matmul(x, adjoint=True))
        out["matmul_adjoint_arg"] = ask(
            lambda: op.matmul(tf.linalg.adjoint(x), adjoint_arg=True))
    if v is not None:
        v = tf.constant(v, dt)
        out["matvec"] = ask(lambda: op.matvec(v))
        out["matvec_adjoint"] = ask(lambda: op.matvec(v, adjoint=True))
    if square:
        out["determinant"] = ask(op.determinant)
        out["log_abs_determinant"] = ask(op.log_abs_determinant)
        out["inverse"] = ask(op.inverse)
        if x is not None:
            out["solve"] = ask(lambda: op.solve(x))
            out["solve_adjoint"] = ask(lambda: op.solve(x, adjoint=True))
        if v is not None:
            out["solvevec"] = ask(lambda: op.solvevec(v))
    if spd:
        out["cholesky"] = ask(op.cholesky)
        out["eigvals"] = ask(op.eigvals)
        out["cond"] = ask(op.cond)
    out["self_matmul"] = ask(lambda: op.matmul(op)) if square else None
    return out


def _f64(tf, value):
    return tf.constant(value, tf.float64)


CASES = {
    "full_matrix_spd": lambda tf: probe(
        tf, tf.linalg.LinearOperatorFullMatrix(_f64(tf, SPD), is_self_adjoint=True,
                                               is_positive_definite=True), X3, V3, spd=True),
    "full_matrix": lambda tf: probe(
        tf, tf.linalg.LinearOperatorFullMatrix(_f64(tf, GENERAL), name="general"), X3, V3),
    "full_matrix_float32": lambda tf: probe(
        tf, tf.linalg.LinearOperatorFullMatrix(tf.constant(GENERAL)), X3, V3),
    "full_matrix_tall": lambda tf: probe(
        tf, tf.linalg.LinearOperatorFullMatrix(_f64(tf, TALL)), [[1.0], [2.0]], [1.0, 2.0],
        square=False),
    "full_matrix_batch": lambda tf: probe(
        tf, tf.linalg.LinearOperatorFullMatrix(_f64(tf, [TWO, [[1.0, 0.0], [2.0, 5.0]]])),
        [[1.0], [2.0]], [1.0, -1.0]),
    "diag": lambda tf: probe(
        tf, tf.linalg.LinearOperatorDiag(_f64(tf, [1.0, 2.0, 3.0]), is_positive_definite=True),
        X3, V3, spd=True),
    "diag_batch": lambda tf: probe(
        tf, tf.linalg.LinearOperatorDiag(_f64(tf, [[1.0, -2.0], [3.0, 4.0]])), [[1.0], [2.0]],
        [1.0, 1.0]),
    "identity": lambda tf: probe(
        tf, tf.linalg.LinearOperatorIdentity(3, dtype=tf.float64), X3, V3, spd=True),
    "identity_batch": lambda tf: probe(
        tf, tf.linalg.LinearOperatorIdentity(2, batch_shape=[2]), [[1.0], [2.0]], [1.0, 3.0]),
    "scaled_identity": lambda tf: probe(
        tf, tf.linalg.LinearOperatorScaledIdentity(3, _f64(tf, 2.5), is_positive_definite=True),
        X3, V3, spd=True),
    "lower_triangular": lambda tf: probe(
        tf, tf.linalg.LinearOperatorLowerTriangular(_f64(tf, GENERAL)), X3, V3),
    "composition": lambda tf: probe(
        tf, tf.linalg.LinearOperatorComposition([
            tf.linalg.LinearOperatorFullMatrix(_f64(tf, GENERAL)),
            tf.linalg.LinearOperatorDiag(_f64(tf, [1.0, 2.0, 3.0]))]), X3, V3),
    "block_diag": lambda tf: probe(
        tf, tf.linalg.LinearOperatorBlockDiag([
            tf.linalg.LinearOperatorFullMatrix(_f64(tf, TWO)),
            tf.linalg.LinearOperatorDiag(_f64(tf, [5.0]))]), X3, V3),
    "kronecker": lambda tf: probe(
        tf, tf.linalg.LinearOperatorKronecker([
            tf.linalg.LinearOperatorFullMatrix(_f64(tf, TWO)),
            tf.linalg.LinearOperatorFullMatrix(_f64(tf, [[1.0, 2.0], [3.0, 4.0]]))]),
        [[1.0], [2.0], [0.0], [-1.0]], [1.0, 0.0, 2.0, 1.0]),
    "low_rank_update": lambda tf: probe(
        tf, tf.linalg.LinearOperatorLowRankUpdate(
            tf.linalg.LinearOperatorDiag(_f64(tf, [1.0, 2.0, 3.0]), is_positive_definite=True),
            u=_f64(tf, [[1.0], [0.5], [2.0]])), X3, V3, spd=True),
    "low_rank_update_uv": lambda tf: probe(
        tf, tf.linalg.LinearOperatorLowRankUpdate(
            tf.linalg.LinearOperatorDiag(_f64(tf, [1.0, 2.0, 3.0])),
            u=_f64(tf, [[1.0], [0.5], [2.0]]), diag_update=_f64(tf, [2.0]),
            v=_f64(tf, [[0.0], [1.0], [1.0]])), X3, V3),
    "inversion": lambda tf: probe(
        tf, tf.linalg.LinearOperatorInversion(
            tf.linalg.LinearOperatorFullMatrix(_f64(tf, GENERAL))), X3, V3),
    "adjoint_op": lambda tf: probe(
        tf, tf.linalg.LinearOperatorAdjoint(
            tf.linalg.LinearOperatorFullMatrix(_f64(tf, GENERAL))), X3, V3),
    "zeros": lambda tf: probe(
        tf, tf.linalg.LinearOperatorZeros(3, dtype=tf.float64), X3, V3),
    "zeros_rect": lambda tf: probe(
        tf, tf.linalg.LinearOperatorZeros(3, 2, is_square=False, is_self_adjoint=False,
                                          dtype=tf.float64), [[1.0], [2.0]], [1.0, 2.0],
        square=False),
    "toeplitz": lambda tf: probe(
        tf, tf.linalg.LinearOperatorToeplitz(_f64(tf, [3.0, 1.0, 0.5]), _f64(tf, [3.0, 2.0, 1.0])),
        X3, V3),
    "circulant_real": lambda tf: probe(
        tf, tf.linalg.LinearOperatorCirculant(tf.constant([6.0, -2.0, -2.0], tf.complex128),
                                              input_output_dtype=tf.float64), X3, V3),
    "householder": lambda tf: probe(
        tf, tf.linalg.LinearOperatorHouseholder(_f64(tf, [1.0, 0.0, 1.0])), X3, V3),
    "permutation": lambda tf: probe(
        tf, tf.linalg.LinearOperatorPermutation(tf.constant([2, 0, 1]), dtype=tf.float64), X3,
        V3),
    "tridiag_sequence": lambda tf: probe(
        tf, tf.linalg.LinearOperatorTridiag(
            [_f64(tf, [1.0, 2.0, 0.0]), _f64(tf, [4.0, 5.0, 6.0]), _f64(tf, [0.0, 1.0, 3.0])],
            diagonals_format="sequence"), X3, V3),
    "tridiag_compact": lambda tf: probe(
        tf, tf.linalg.LinearOperatorTridiag(
            _f64(tf, [[1.0, 2.0, 0.0], [4.0, 5.0, 6.0], [0.0, 1.0, 3.0]])), X3, V3),
    "tridiag_matrix": lambda tf: probe(
        tf, tf.linalg.LinearOperatorTridiag(_f64(tf, GENERAL), diagonals_format="matrix"),
        X3, V3),
    "block_lower_triangular": lambda tf: probe(
        tf, tf.linalg.LinearOperatorBlockLowerTriangular([
            [tf.linalg.LinearOperatorFullMatrix(_f64(tf, TWO))],
            [tf.linalg.LinearOperatorFullMatrix(_f64(tf, [[1.0, 2.0]])),
             tf.linalg.LinearOperatorDiag(_f64(tf, [5.0]))]]), X3, V3),
}


def _errors(tf):
    out = {}
    diag = tf.linalg.LinearOperatorDiag(tf.constant([1.0, 2.0]))
    out["matmul_shape"] = ask(lambda: diag.matmul(tf.ones([3, 1])))
    out["solve_rect"] = ask(lambda: tf.linalg.LinearOperatorFullMatrix(
        tf.ones([3, 2])).solve(tf.ones([3, 1])))
    out["pd_not_self_adjoint"] = ask(lambda: tf.linalg.LinearOperatorDiag(
        tf.constant([1.0, 2.0]), is_positive_definite=True, is_non_singular=False))
    out["composition_empty"] = ask(lambda: tf.linalg.LinearOperatorComposition([]))
    out["dtype_mismatch"] = ask(lambda: diag.matmul(tf.ones([2, 1], tf.float64)))
    out["identity_negative"] = ask(lambda: tf.linalg.LinearOperatorIdentity(-1))
    return out


CASES["errors"] = _errors
