"""Op-table rows for SparseTensor/RaggedTensor ops (tapeflow/ops/composite_ops.py; collected
by op_specs.py): gradients reach the values."""

import tapeflow as tf

from op_spec_base import OpSpec, away_from_zero

_IDX = [[0, 1], [1, 0], [2, 2]]


def _sparse(v):
    return tf.sparse.SparseTensor(_IDX, v, [3, 3])


SPECS = [
    OpSpec("sparse_to_dense", lambda v: tf.sparse.to_dense(_sparse(v)) ** 2, [((3,),)]),
    OpSpec("sparse_dense_matmul", lambda v, b: tf.sparse.sparse_dense_matmul(_sparse(v), b),
           [((3,), (3, 2))]),
    OpSpec("sparse_from_dense", lambda x: tf.sparse.from_dense(x).values ** 2, [((2, 3),)],
           draw=away_from_zero()),
    OpSpec("sparse_add", lambda a, b: tf.sparse.to_dense(tf.sparse.add(_sparse(a), _sparse(b)))
           * tf.sparse.to_dense(_sparse(a)), [((3,), (3,))]),
    OpSpec("ragged_to_tensor", lambda v: tf.RaggedTensor.from_row_lengths(v, [2, 0, 1])
           .to_tensor() ** 2, [((3,),)]),
    OpSpec("ragged_from_tensor", lambda x: (tf.RaggedTensor.from_tensor(x, lengths=[1, 3]) * x[0, 0])
           .flat_values, [((2, 3),)]),
]

_LABELS = tf.constant([[1, 2, 0], [2, 2, 1]])
_IDS = tf.sparse.SparseTensor([[0, 0], [0, 1], [2, 0]], tf.constant([1, 3, 0], tf.int64), [3, 2])

SPECS += [
    OpSpec("ctc_loss", lambda x: tf.nn.ctc_loss(_LABELS, x, [2, 3], [4, 4]), [((4, 2, 4),)]),
    OpSpec("embedding_lookup_sparse", lambda p, w: tf.nn.embedding_lookup_sparse(
        p, _IDS, tf.sparse.SparseTensor(_IDS.indices, w, [3, 2]), combiner="sqrtn"),
        [((4, 2), (3,))], draw=lambda rng, shape, i: rng.uniform(0.5, 2.0, shape)),
    OpSpec("safe_embedding_lookup_sparse", lambda p: tf.nn.safe_embedding_lookup_sparse(
        p, _IDS, default_id=2), [((4, 2),)]),
]
