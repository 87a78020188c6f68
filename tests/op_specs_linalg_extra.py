"""Op-table rows for tapeflow/ops/linalg_extra_ops.py (collected by op_specs.py)."""

import numpy as np

import tapeflow as tf
from tapeflow.ops.linalg_extra_ops import SQUARINGS

from op_spec_base import OpSpec, per_arg, uniform


def _spd(rng, shape, i):
    """Well-conditioned matrices with distinct positive eigenvalues."""
    n = shape[-1]
    q = np.linalg.qr(rng.normal(size=(n, n)))[0]
    return (q * np.linspace(1.0, 2.5, n)) @ q.T + 0.1 * rng.normal(size=shape)


def _tall(rng, shape, i):
    return rng.normal(size=shape) + (np.eye(*shape[-2:]) * 2 if i == 0 else 0)


def _dominant(rng, shape, i):
    return rng.uniform(-0.5, 0.5, size=shape) + (np.array([[0.0], [3.0], [0.0]])
                                                  if i == 0 else 0)


SPECS = [
    OpSpec("cross", tf.linalg.cross, [((3,), (3,)), ((2, 3), (2, 3))]),
    OpSpec("normalize", lambda x: tf.linalg.normalize(x, axis=1)[0], [((2, 3),)]),
    OpSpec("pinv", tf.linalg.pinv, [((3, 2),)], draw=_tall),
    OpSpec("lstsq", tf.linalg.lstsq, [((3, 2), (3, 1))], draw=_tall),
    OpSpec("lstsq_wide_reg", lambda a, b: tf.linalg.lstsq(a, b, l2_regularizer=0.3),
           [((2, 3), (2, 2))]),
    OpSpec("expm", tf.linalg.expm, [((2, 2),), ((3, 3),)], draw=uniform(-1, 1)),
    # A traced expm's squarings (their count read when the graph runs), called directly.
    OpSpec("matrix_squarings", lambda x: SQUARINGS(x, tf.constant(2, tf.int64)),
           [((2, 2),), ((2, 3, 3),)], draw=uniform(-1, 1), order=1),
    OpSpec("sqrtm", tf.linalg.sqrtm, [((3, 3),)], draw=_spd, order=1),
    OpSpec("eigvals", lambda x: tf.math.real(tf.linalg.eigvals(x)) * [1.0, 2.0, 3.0],
           [((3, 3),)], draw=_spd, order=1),
    OpSpec("eig_vectors", lambda x: tf.math.real(tf.linalg.eig(x)[1]) ** 2, [((2, 2),)],
           draw=_spd, order=1),
    # tf.linalg.lu has no gradient (as in TF): these take the packed factors as inputs
    OpSpec("lu_solve", lambda f, b: tf.linalg.lu_solve(f, [2, 0, 1], b),
           [((3, 3), (3, 2))], draw=per_arg(_spd, uniform(-1, 1))),
    OpSpec("lu_reconstruct", lambda f: tf.linalg.lu_reconstruct(f, [1, 2, 0]) ** 2,
           [((3, 3),)]),
    OpSpec("tridiagonal_solve", lambda d, b: tf.linalg.tridiagonal_solve(d, b),
           [((3, 3), (3, 2))], draw=_dominant),
    OpSpec("tridiagonal_matmul", lambda d, b: tf.linalg.tridiagonal_matmul(d, b),
           [((3, 3), (3, 1))]),
    OpSpec("banded_triangular_solve", lambda d, b: tf.linalg.banded_triangular_solve(
        d + tf.constant([[3.0], [0.0]], tf.float64), b), [((2, 3), (3, 1))],
        draw=uniform(-0.5, 0.5)),
]
