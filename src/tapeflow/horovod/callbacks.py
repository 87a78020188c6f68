"""``hvd.callbacks``: Keras callbacks for data-parallel training (defined in ``keras.py``)."""

from .keras import (  # noqa: F401
    BroadcastGlobalVariablesCallback, LearningRateWarmupCallback, MetricAverageCallback)
