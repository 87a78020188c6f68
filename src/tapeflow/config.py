"""``tf.config``: the switches tapeflow has (running tf.functions eagerly)."""

from .tracing.polymorphic_function import (  # noqa: F401
    functions_run_eagerly, run_functions_eagerly)
