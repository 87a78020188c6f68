"""``tf.image``: the ops come from the op families' EXPORTS lists (ops/image_ops.py,
ops/image_codecs.py)."""

from .ops import export as _export

_export("image", globals())
