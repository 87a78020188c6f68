"""``tf.types``: ``tf.types.experimental.TraceType`` for custom tracing types."""

from . import experimental  # noqa: F401
