"""``tf.strings``: filled from the op families' EXPORTS lists (see tapeflow/ops/__init__.py)."""

from .ops import export as _export

_export("strings", globals())
