"""tf.bfloat16 (through ml_dtypes): the op table's rows run in bfloat16, forward and gradient,
and agree with float32 to bfloat16's precision. TF's printing and casting rules are checked in
tests/tf_probes.py (the bfloat16 probes)."""

import numpy as np
import pytest

import tapeflow as tf
from op_specs import SPECS

ml_dtypes = pytest.importorskip("ml_dtypes")

# Rows TF 2.21 has no bfloat16 kernels for (linear algebra, special functions, complex parts),
# and rows whose function builds float64 or complex values of its own.
NOT_IN_TF = {"solve", "solve_adjoint", "triangular_solve", "triangular_solve_upper_adjoint", "inv",
             "inv_adjoint", "det", "logdet", "slogdet", "cholesky", "cholesky_solve", "qr",
             "qr_full_square", "qr_wide", "eigvalsh", "eigh", "svd", "svd_values",
             "svd_full_matrices", "norm_matrix_2", "lgamma", "lgamma_negative", "digamma",
             "digamma_negative", "polygamma", "cast_through_complex", "complex_from_parts",
             "real_through_complex", "fill"}
ROWS = [s for s in SPECS if s.dtype == np.float64 and s.name not in NOT_IN_TF]


def _run(spec, np_dtype):
    xs = [tf.constant(a.astype(np_dtype)) for a in spec.args(spec.shapes[0])]
    with tf.GradientTape() as tape:
        tape.watch(xs)
        y = spec.fn(*xs)
    grads = tape.gradient(y, xs)
    ys = [np.asarray(t).astype(np.float64) for t in tf.nest.flatten(y)]
    return y, ys, grads


@pytest.mark.parametrize("spec", ROWS, ids=[s.name for s in ROWS])
def test_op_table_row_in_bfloat16(spec):
    y16, ys16, g16 = _run(spec, ml_dtypes.bfloat16)
    _, ys32, g32 = _run(spec, np.float32)
    assert all(t.dtype == tf.bfloat16 for t in tf.nest.flatten(y16) if t.dtype.is_floating)
    for a, b in zip(ys16, ys32):
        np.testing.assert_allclose(a, b, rtol=5e-2, atol=5e-2)
    for a, b in zip(g16, g32):
        assert (a is None) == (b is None)
        if a is not None:
            assert a.dtype == tf.bfloat16
            np.testing.assert_allclose(np.asarray(a).astype(np.float64), np.asarray(b),
                                       rtol=1e-1, atol=1e-1)


def test_bfloat16_dtype_as_tf():
    bf = tf.bfloat16
    assert (repr(bf), str(bf), bf.name, bf.is_floating, bf.is_integer, bf.size) == (
        "tf.bfloat16", "<dtype: 'bfloat16'>", "bfloat16", True, False, 2)
    assert tf.as_dtype("bfloat16") is bf and tf.dtypes.bfloat16 is bf
    assert bf.as_numpy_dtype is ml_dtypes.bfloat16
    assert repr((bf.min, bf.max)) == "(-3.38953e+38, 3.38953e+38)"


def test_bfloat16_variable_trains():
    v = tf.Variable([1.5, 2.0], dtype=tf.bfloat16)
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.tanh(v) * v)
    g = tape.gradient(y, v)
    assert repr(g) == ("<tf.Tensor: shape=(2,), dtype=bfloat16, numpy=array([1.17188, 1.10938], "
                       "dtype=bfloat16)>")  # TF 2.21's values
    v.assign_sub(g)
    assert v.dtype == tf.bfloat16
