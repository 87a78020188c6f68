"""``tf.profiler``: the ``experimental`` profiler API (see :mod:`.experimental`)."""

from . import experimental  # noqa: F401
