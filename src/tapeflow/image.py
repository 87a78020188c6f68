"""``tf.image``: ``adjust_contrast`` here (forward only: TF registers no gradient for it); the
other ops come from the op families' EXPORTS lists (ops/image_ops.py, ops/image_codecs.py)."""

import numpy as np

from .engine.core import apply, no_gradient, primitive
from .ops._helpers import tensor


def _adjust_contrast(images, contrast_factor):
    mean = np.mean(images, axis=(-3, -2), keepdims=True)
    return ((images - mean) * contrast_factor + mean).astype(images.dtype)


# No .defvjp on purpose: the backward pass raises TF's LookupError when it reaches this op.
ADJUST_CONTRAST = no_gradient(primitive("AdjustContrastv2", _adjust_contrast))


def adjust_contrast(images, contrast_factor):
    """``tf.image.adjust_contrast``: scale each channel's distance from its spatial mean."""
    images = tensor(images)
    from .ops.image_ops import no_half_kernel
    no_half_kernel(images, "AdjustContrastv2")
    factor = tensor(contrast_factor)
    return apply(ADJUST_CONTRAST, (images, factor), {})


from .ops import export as _export  # noqa: E402

_export("image", globals())
