"""Op-table rows for tf.image (tapeflow/ops/image_ops.py; collected by op_specs.py)."""

import numpy as np

import tapeflow as tf
from tapeflow.ops.image_ops import cropped_and_resized, psnr_of, resampled, ssim_of, standardized

from op_spec_base import OpSpec, uniform

IMG = [((1, 3, 4, 2),)]
RGB = [((1, 2, 3, 3),)]


def _distinct_rgb(rng, shape, i):
    """Colours whose channels are well apart (keeps max/min of rgb_to_hsv away from ties)."""
    base = rng.uniform(0.1, 0.3, size=shape[:-1] + (1,))
    return base + np.array([0.0, 0.25, 0.5])[rng.permutation(3)] + rng.uniform(0, 0.05, shape)


SPECS = [
    # tf.image.resize casts to float32 first (as TF does): its float64 core is checked here
    OpSpec("resize_bilinear", lambda x: resampled(x, 5, 3, "bilinear", False), IMG),
    OpSpec("resize_bicubic", lambda x: resampled(x, 2, 6, "bicubic", False), IMG),
    OpSpec("resize_area", lambda x: resampled(x, 2, 3, "area", False), IMG),
    OpSpec("resize_lanczos3_aa", lambda x: resampled(x, 2, 2, "lanczos3", True), IMG),
    OpSpec("resize_nearest", lambda x: tf.image.resize(x, [5, 2], method="nearest"), IMG),
    OpSpec("crops_and_flips", lambda x: tf.image.rot90(tf.image.flip_left_right(
        tf.image.resize_with_crop_or_pad(tf.image.central_crop(x, 0.7), 4, 2)), k=1), IMG),
    OpSpec("transpose_pad", lambda x: tf.image.pad_to_bounding_box(tf.image.transpose(
        tf.image.crop_to_bounding_box(x, 1, 0, 2, 3)), 1, 1, 5, 4), IMG),
    OpSpec("adjust_brightness_gamma", lambda x: tf.image.adjust_gamma(
        tf.image.adjust_brightness(x, 0.1), 1.5, 0.7), IMG, draw=uniform(0.2, 0.9)),
    OpSpec("colour_matrices", lambda x: tf.image.rgb_to_grayscale(tf.image.yuv_to_rgb(
        tf.image.rgb_to_yiq(x))), RGB),
    OpSpec("rgb_to_hsv", tf.image.rgb_to_hsv, RGB, draw=_distinct_rgb),
    # TF's quality metrics and standardization compute in float32: float64 cores checked here
    OpSpec("per_image_standardization", standardized, IMG),
    OpSpec("total_variation", tf.image.total_variation, [((2, 2, 1),)],
           draw=lambda rng, shape, i: np.array([[[0.0], [1.0]], [[2.5], [4.5]]])
           + rng.uniform(0, 0.1, shape)),
    OpSpec("psnr", lambda a, b: psnr_of(a, b, 1.0), [((1, 2, 2, 1), (1, 2, 2, 1))]),
    OpSpec("ssim", lambda a, b: ssim_of(a, b, 1.0, filter_size=3),
           [((1, 4, 4, 1), (1, 4, 4, 1))], draw=uniform(0.1, 0.9)),
    OpSpec("sobel_edges", tf.image.sobel_edges, [((1, 3, 3, 1),)]),
    OpSpec("image_gradients", lambda x: tf.image.image_gradients(x)[1], IMG),
    OpSpec("extract_patches", lambda x: tf.image.extract_patches(
        x, [1, 2, 2, 1], [1, 1, 2, 1], [1, 1, 1, 1], "SAME"), IMG),
    OpSpec("crop_and_resize", lambda x: cropped_and_resized(
        x, [[0.1, 0.2, 0.9, 0.7]], [0], [2, 3], "bilinear", 0.0), [((1, 3, 4, 1),)]),
]
