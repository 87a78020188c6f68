"""Op-table rows for the differentiable parts of tapeflow/ops/random_extra_ops.py (collected
by op_specs.py): the sampled losses with fixed samples."""

import tapeflow as tf

from op_spec_base import OpSpec

_SAMPLED = (tf.constant([0, 4], tf.int64), tf.constant([[0.2], [0.3]], tf.float64),
            tf.constant([0.25, 0.1], tf.float64))
_LABELS = tf.constant([[1], [3]], tf.int64)

SPECS = [
    OpSpec("sampled_softmax_loss", lambda w, b, x: tf.nn.sampled_softmax_loss(
        w, b, _LABELS, x, 2, 6, sampled_values=_SAMPLED), [((6, 2), (6,), (2, 2))]),
    OpSpec("nce_loss", lambda w, b, x: tf.nn.nce_loss(
        w, b, _LABELS, x, 2, 6, sampled_values=_SAMPLED), [((6, 2), (6,), (2, 2))]),
]
