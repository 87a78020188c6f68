"""``tf.linalg.LinearOperator*`` against TensorFlow 2.21's answers (tests/linear_operator_cases.py,
recorded by tools/record_linear_operator_fixtures.py): every operator's dense matrix, shapes,
hints, products, solves, determinants, and the kinds of the operators its methods return."""

import json
import pathlib

import numpy as np
import pytest

import tapeflow as tf
from linear_operator_cases import CASES, ask

FIXTURES = json.loads((pathlib.Path(__file__).parent / "fixtures/linear_operator/cases.json")
                      .read_text())


def same(got, want, path):
    """Equal answers: values to float tolerance (the dtype's), the rest exactly."""
    if isinstance(want, dict) and ("value" in want or "real" in want):
        assert isinstance(got, dict) and got.get("dtype") == want["dtype"], (path, got, want)
        tol = 1e-5 if want["dtype"] in ("float32", "complex64") else 1e-10
        for part in ("value", "real", "imag"):
            if part in want:
                np.testing.assert_allclose(np.asarray(got[part], float),
                                           np.asarray(want[part], float), rtol=tol,
                                           atol=tol, err_msg=path)
    elif isinstance(want, dict):
        assert isinstance(got, dict) and set(got) == set(want), (path, got, want)
        for key in want:
            same(got[key], want[key], f"{path}.{key}")
    elif isinstance(want, list) and want and isinstance(want[0], (dict, list)):
        assert len(got) == len(want), (path, got, want)
        for i, (g, w) in enumerate(zip(got, want)):
            same(g, w, f"{path}[{i}]")
    else:
        assert got == want, (path, got, want)


@pytest.mark.parametrize("name", sorted(CASES))
def test_operator_answers_as_tensorflow(name):
    same(ask(lambda: CASES[name](tf), raw=True), FIXTURES[name], name)


def test_operators_are_modules_and_in_tf_linalg():
    diag = tf.linalg.LinearOperatorDiag(tf.Variable([1.0, 2.0]))
    assert isinstance(diag, tf.Module) and len(diag.trainable_variables) == 1
    assert "LinearOperatorKronecker" in dir(tf.linalg)
    with pytest.raises(AttributeError):
        tf.linalg.LinearOperatorNothing  # noqa: B018


def test_gradients_flow_through_operators():
    d = tf.Variable([1.0, 2.0, 4.0], dtype=tf.float64)
    m = tf.Variable(np.eye(3) * 2.0 + 0.1)
    with tf.GradientTape() as tape:
        op = tf.linalg.LinearOperatorComposition([tf.linalg.LinearOperatorFullMatrix(m),
                                                  tf.linalg.LinearOperatorDiag(d)])
        loss = op.log_abs_determinant() + tf.reduce_sum(op.solvevec(tf.ones([3], tf.float64)))
    gd, gm = tape.gradient(loss, [d, m])
    dense = m.numpy() @ np.diag(d.numpy())

    def f(dense_m, dvec):
        a = dense_m @ np.diag(dvec)
        return np.log(abs(np.linalg.det(a))) + np.linalg.solve(a, np.ones(3)).sum()

    eps = 1e-6
    num = [(f(m.numpy(), d.numpy() + eps * e) - f(m.numpy(), d.numpy() - eps * e)) / (2 * eps)
           for e in np.eye(3)]
    np.testing.assert_allclose(gd.numpy(), num, rtol=1e-6)
    assert gm.shape == (3, 3) and np.isfinite(dense).all()
