"""Op-table rows for tf.nn's convolutions, poolings and helpers (tapeflow/ops/conv_ops.py;
collected by op_specs.py)."""

import tapeflow as tf
from tapeflow.ops.conv_ops import _pool_nd, lrn_core

from op_spec_base import OpSpec, away_from_zero, distinct, per_arg, uniform

SPECS = [
    OpSpec("conv3d", lambda x, w: tf.nn.conv3d(x, w, [1, 1, 2, 1, 1], "SAME"),
           [((1, 2, 3, 2, 2), (2, 1, 2, 2, 2))]),
    OpSpec("convolution_groups", lambda x, w: tf.nn.convolution(x, w, padding="VALID"),
           [((1, 3, 3, 4), (2, 2, 2, 2))]),
    OpSpec("depthwise_conv2d", lambda x, w: tf.nn.depthwise_conv2d(
        x, w, [1, 1, 1, 1], "SAME", dilations=[1, 2]), [((1, 3, 3, 2), (2, 2, 2, 2))]),
    OpSpec("separable_conv2d", lambda x, d, p: tf.nn.separable_conv2d(
        x, d, p, [1, 1, 1, 1], "VALID"), [((1, 3, 3, 2), (2, 2, 2, 1), (1, 1, 2, 2))]),
    OpSpec("conv_transpose", lambda y, w: tf.nn.conv_transpose(y, w, [1, 4, 4, 2], 2, "SAME"),
           [((1, 2, 2, 3), (2, 2, 2, 3))]),
    OpSpec("conv1d_transpose", lambda y, w: tf.nn.conv1d_transpose(y, w, [1, 5, 1], 2,
                                                                   "VALID"),
           [((1, 2, 2), (3, 1, 2))]),
    # TF's MaxPool3D and LRN kernels take float32 only: their float64 cores are checked here
    OpSpec("max_pool3d", lambda x: _pool_nd(x, 3, 2, 1, "SAME", None, "MAX"),
           [((1, 2, 3, 2, 1),)],
           draw=lambda rng, shape, i: rng.permutation(12).reshape(shape) * 0.3
           + rng.uniform(0, 0.1, shape)),
    OpSpec("avg_pool1d", lambda x: tf.nn.avg_pool1d(x, 2, 1, "SAME"), [((1, 4, 2),)]),
    OpSpec("pool_avg", lambda x: tf.nn.pool(x, [2, 2], "AVG", padding="VALID",
                                             dilations=[1, 2]), [((1, 3, 4, 1),)]),
    OpSpec("dilation2d", lambda x, w: tf.nn.dilation2d(x, w, [1, 1, 1, 1], "VALID", "NHWC",
                                                       [1, 1, 1, 1]),
           [((1, 3, 3, 1), (2, 2, 1))],
           draw=per_arg(lambda rng, shape, i: rng.permutation(9).reshape(shape) * 1.0,
                        uniform(0, 0.1))),
    OpSpec("space_to_depth_and_back", lambda x: tf.nn.depth_to_space(
        tf.nn.space_to_depth(x, 2), 2) * tf.nn.space_to_depth(x, 2)[:, :1, :1, :1],
        [((1, 2, 4, 1),)]),
    OpSpec("space_to_batch", lambda x: tf.batch_to_space(
        tf.space_to_batch(x, [2, 2], [[0, 1], [1, 1]]) ** 2, [2, 2], [[0, 1], [1, 1]]),
        [((1, 3, 2, 1),)]),
    OpSpec("lrn", lambda x: lrn_core(x, 1, 1.5, 0.5, 0.75),
           [((1, 1, 2, 3),)]),
    OpSpec("crelu", tf.nn.crelu, [((2, 2),)], draw=away_from_zero()),
    OpSpec("log_poisson_loss", lambda t, x: tf.nn.log_poisson_loss(t, x, True),
           [((3,), (3,))], draw=per_arg(uniform(1.5, 3.0), uniform(-1, 1))),
    OpSpec("weighted_cross_entropy", lambda z, x: tf.nn.weighted_cross_entropy_with_logits(
        z, x, 2.5), [((3,), (3,))], draw=per_arg(uniform(0, 1), away_from_zero())),
    OpSpec("weighted_moments", lambda x, f: tf.nn.weighted_moments(x, [1], f)[1],
           [((2, 3), (2, 3))], draw=per_arg(uniform(-1, 1), uniform(0.5, 2))),
    OpSpec("normalize_moments", lambda m, v: tf.nn.normalize_moments(
        tf.constant(4.0, m.dtype), m, v, None)[1], [((2,), (2,))]),
    OpSpec("compute_average_loss", lambda x, w: tf.nn.compute_average_loss(x, w),
           [((3,), (3,))], draw=distinct()),
]
