"""Op-table rows for tapeflow/ops/misc_extra_ops.py (collected by op_specs.py)."""

import tapeflow as tf
from tapeflow.ops.array_extra_ops import exact_k
from tapeflow.ops.misc_extra_ops import glimpse_core, ssim_multiscale_of

from op_spec_base import OpSpec, distinct, uniform

SPECS = [
    OpSpec("isotonic_regression", lambda x: tf.nn.isotonic_regression(x).output * [1.0, 2, 3, 4],
           [((4,),)], draw=lambda rng, shape, i: [0.1, 1.0, 0.5, -1.0]
           + rng.uniform(0, 0.05, shape)),
    OpSpec("extract_volume_patches", lambda x: tf.extract_volume_patches(
        x, [1, 1, 2, 2, 1], [1, 1, 1, 1, 1], "SAME"), [((1, 2, 2, 3, 1),)]),
    # TF's glimpse and ApproxTopK kernels take float32 only: their float64 cores are checked
    OpSpec("extract_glimpse", lambda x: glimpse_core(x, [2, 2], [[0.0, 0.0]], True, True),
           [((1, 3, 3, 1),)]),
    # similar images keep every scale's contrast-structure positive (clear of relu's kink)
    OpSpec("ssim_multiscale", lambda a, d: ssim_multiscale_of(
        a, a + 0.1 * d, 1.0, power_factors=(0.6, 0.4), filter_size=2),
        [((1, 4, 4, 1), (1, 4, 4, 1))], draw=uniform(0.2, 0.8)),
    OpSpec("approx_top_k", lambda x: exact_k(x, 2, -1, True)[0], [((2, 3),)], draw=distinct()),
]
