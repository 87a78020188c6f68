"""``tf.distribute.experimental``."""

from .strategy import (  # noqa: F401
    CentralStorageStrategy, CommunicationImplementation, CommunicationOptions,
    MultiWorkerMirroredStrategy, ParameterServerStrategy, TPUStrategy, ValueContext)
