"""Op-table rows for the API-breadth ops (array_extra_ops, special_fn_ops; collected by
op_specs.py)."""

import numpy as np

import tapeflow as tf

from op_spec_base import BINARY, OpSpec, away_from_zero, distinct, per_arg, uniform



def _const(*values):
    return tf.constant(np.asarray(values, np.float64))


SPECS = [
    OpSpec("roll", lambda x: tf.roll(x, shift=[1, -1], axis=[0, 1]), [((2, 3),)]),
    OpSpec("repeat", lambda x: tf.repeat(x, [1, 2], axis=0), [((2, 2),)]),
    OpSpec("repeat_flat", lambda x: tf.repeat(x, 2), [((3,),)]),
    OpSpec("reverse_sequence", lambda x: tf.reverse_sequence(x, [2, 3], seq_axis=1), [((2, 3),)]),
    # distinct indices: with a repeated one TF's gradient is not the derivative (see
    # test_dynamic_stitch_gradient_reaches_overwritten_entries)
    OpSpec("dynamic_stitch", lambda a, b: tf.dynamic_stitch([[0, 2], [1, 3]], [a, b]),
           [((2,), (2,))]),
    OpSpec("dynamic_partition", lambda x: tf.dynamic_partition(x, [0, 1, 0], 2)[0],
           [((3, 2),)]),
    OpSpec("tensor_scatter_nd_sub", lambda x, u: tf.tensor_scatter_nd_sub(x, [[0], [2]], u),
           [((3,), (2,))]),
    OpSpec("cumulative_logsumexp", lambda x: tf.math.cumulative_logsumexp(x, axis=1),
           [((2, 3),)]),
    OpSpec("unsorted_segment_prod", lambda x: tf.math.unsorted_segment_prod(x, [0, 1, 0], 3),
           [((3, 2),)], draw=away_from_zero()),
    OpSpec("unsorted_segment_sqrt_n", lambda x: tf.math.unsorted_segment_sqrt_n(x, [0, 1, 0], 2),
           [((3,),)]),
    OpSpec("segment_max", lambda x: tf.math.segment_max(x, [0, 0, 2]), [((3,),)],
           draw=distinct()),
    OpSpec("segment_min", lambda x: tf.math.segment_min(x, [0, 0, 1]), [((3,),)],
           draw=distinct()),
    OpSpec("segment_mean", lambda x: tf.math.segment_mean(x, [0, 0, 1]), [((3, 2),)]),
    OpSpec("polyval", lambda c, x: tf.math.polyval([c, c * x, 2.0 * c], x), [((), (3,))]),
    OpSpec("lbeta", tf.math.lbeta, [((3,),), ((2, 3),)], draw=uniform(0.5, 3.0)),
    OpSpec("xlog1py", tf.math.xlog1py, BINARY[:3], draw=per_arg(away_from_zero(),
                                                                 uniform(-0.5, 2.0))),
    OpSpec("reciprocal_no_nan", tf.math.reciprocal_no_nan, draw=away_from_zero(0.5, 2.0)),
    OpSpec("nextafter", tf.math.nextafter, BINARY[:2], draw=per_arg(uniform(-2, 2),
                                                                   uniform(3, 4))),
    OpSpec("realdiv", tf.realdiv, BINARY[:2], draw=per_arg(uniform(-2, 2),
                                                           away_from_zero(0.5, 2))),
    OpSpec("erfinv", tf.math.erfinv, draw=uniform(-0.8, 0.8)),
    OpSpec("ndtri", tf.math.ndtri, [((3,),)], draw=uniform(0.1, 0.9)),
    OpSpec("erfcinv", tf.math.erfcinv, [((3,),)], draw=uniform(0.2, 1.8)),
    OpSpec("bessel_i0", tf.math.bessel_i0, [((3,),)], draw=away_from_zero(0.3, 3.0)),
    OpSpec("bessel_i0e", tf.math.bessel_i0e, [((3,),)], draw=away_from_zero(0.3, 3.0)),
    OpSpec("bessel_i1", tf.math.bessel_i1, [((3,),)], draw=away_from_zero(0.3, 3.0)),
    OpSpec("bessel_i1e", tf.math.bessel_i1e, [((3,),)], draw=away_from_zero(0.3, 3.0)),
    OpSpec("igamma_x", lambda x: tf.math.igamma(_const(0.7, 2.0, 3.5), x), [((3,),)],
           draw=uniform(0.5, 3.0)),
    OpSpec("igammac_x", lambda x: tf.math.igammac(_const(0.7, 2.0, 3.5), x), [((3,),)],
           draw=uniform(0.5, 3.0)),
    OpSpec("betainc_x", lambda x: tf.math.betainc(_const(0.7, 2.0), _const(1.5, 3.0), x),
           [((2,),)], draw=uniform(0.2, 0.8)),
    OpSpec("zeta_q", lambda q: tf.math.zeta(_const(2.5, 3.0), q), [((2,),)],
           draw=uniform(0.5, 2.0)),
]
