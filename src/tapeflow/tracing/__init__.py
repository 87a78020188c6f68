"""``tf.function``: tracing, the trace cache, concrete functions and AutoGraph."""
