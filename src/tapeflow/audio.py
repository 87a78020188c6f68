"""``tf.audio``: WAV encoding and decoding (ops/audio_ops.py)."""

from .ops import export as _export

_export("audio", globals())
