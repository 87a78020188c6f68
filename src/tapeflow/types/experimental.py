"""``tf.types.experimental``."""


class TraceType:
    """The protocol of objects returned by ``__tf_tracing_type__``: tf.function retraces when
    a call's trace type differs (``__eq__``/``__hash__``) from every traced one."""

    def is_subtype_of(self, other):
        raise NotImplementedError

    def most_specific_common_supertype(self, others):
        raise NotImplementedError

    def placeholder_value(self, placeholder_context=None):
        raise NotImplementedError
