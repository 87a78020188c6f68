"""``tf.autograph.experimental``."""

from ..tracing.autograph import do_not_convert, set_loop_options  # noqa: F401
