"""Op-table rows for the special-function family (tapeflow/ops/special_ops.py)."""

import tapeflow as tf

from op_spec_base import BINARY, OpSpec, away_from_zero, per_arg, uniform


def _polygamma2(x):
    return tf.math.polygamma(tf.constant(2.0, tf.float64), x)


SPECS = [
    OpSpec("asin", tf.math.asin, draw=uniform(-0.8, 0.8)),
    OpSpec("acos", tf.math.acos, draw=uniform(-0.8, 0.8)),
    OpSpec("asinh", tf.math.asinh),
    OpSpec("acosh", tf.math.acosh, draw=uniform(1.2, 3.0)),
    OpSpec("atanh", tf.math.atanh, draw=uniform(-0.8, 0.8)),
    OpSpec("atan2", tf.math.atan2, BINARY, draw=per_arg(uniform(-2, 2), away_from_zero(0.5, 2))),
    OpSpec("erf", tf.math.erf),
    OpSpec("erfc", tf.math.erfc),
    OpSpec("lgamma", tf.math.lgamma, draw=uniform(0.5, 4.0)),
    OpSpec("lgamma_negative", tf.math.lgamma, [((3,),)], draw=uniform(-0.8, -0.2)),
    OpSpec("digamma", tf.math.digamma, draw=uniform(0.5, 4.0)),
    OpSpec("digamma_negative", tf.math.digamma, [((3,),)], draw=uniform(-1.8, -1.2)),
    OpSpec("polygamma", _polygamma2, draw=uniform(0.5, 4.0)),
    OpSpec("xlogy", tf.math.xlogy, BINARY, draw=per_arg(away_from_zero(), uniform(0.3, 3.0))),
    OpSpec("xdivy", tf.math.xdivy, BINARY, draw=per_arg(away_from_zero(), away_from_zero(0.5, 2))),
    OpSpec("divide_no_nan", tf.math.divide_no_nan, BINARY,
           draw=per_arg(uniform(-2, 2), away_from_zero(0.5, 2))),
    OpSpec("multiply_no_nan", tf.math.multiply_no_nan, BINARY,
           draw=per_arg(uniform(-2, 2), away_from_zero())),
    OpSpec("squared_difference", tf.math.squared_difference, BINARY),
    OpSpec("reduce_variance", lambda x: tf.math.reduce_variance(x, axis=1), [((2, 3),)]),
    OpSpec("reduce_std", lambda x: tf.math.reduce_std(x, axis=0, keepdims=True), [((3, 2),)]),
    OpSpec("reduce_std_all", lambda x: tf.math.reduce_std(x), [((4,),)]),
    OpSpec("reduce_euclidean_norm", lambda x: tf.math.reduce_euclidean_norm(x, axis=-1),
           [((2, 3),)], draw=away_from_zero()),
    OpSpec("reduce_euclidean_norm_all", lambda x: tf.math.reduce_euclidean_norm(x, keepdims=True),
           [((2, 3),), ((3,),)], draw=away_from_zero()),
]
