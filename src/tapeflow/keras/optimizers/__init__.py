"""``tf.keras.optimizers``: Keras 3's optimizers and ``get``/``serialize``/``deserialize``."""

from . import legacy, schedules  # noqa: F401
from .adam import Adam, Adamax, AdamW, Lamb, Nadam
from .adaptive import Adadelta, Adafactor, Adagrad, Ftrl, RMSprop
from .base import Optimizer
from .loss_scale import LossScaleOptimizer
from .multi import MultiOptimizer, OptimizerMap
from .muon import Muon
from .schedule_free import ScheduleFreeAdamW
from .sgd import SGD, Lion

_ALL = (SGD, Adam, AdamW, Adamax, Nadam, RMSprop, Adagrad, Adadelta, Lion, Ftrl, Lamb, Adafactor,
        Muon, ScheduleFreeAdamW)
_BY_NAME = {c.__name__.lower(): c for c in _ALL + (LossScaleOptimizer, MultiOptimizer)}

__all__ = (["Optimizer", "LossScaleOptimizer", "MultiOptimizer", "OptimizerMap", "get",
            "serialize", "deserialize", "schedules"]
           + [c.__name__ for c in _ALL])


def serialize(optimizer):
    return {"module": "keras.optimizers", "class_name": type(optimizer).__name__,
            "config": optimizer.get_config(), "registered_name": None}


def deserialize(config, custom_objects=None):
    name = config["class_name"]
    cls = (custom_objects or {}).get(name) or _BY_NAME.get(name.lower())
    if cls is None:
        raise ValueError(f"Could not interpret optimizer identifier: {config}")
    return cls.from_config(config["config"], custom_objects=custom_objects)


def get(identifier):
    """An optimizer from a name (``'adam'``), a config dict or an optimizer (returned as is)."""
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str) and identifier.lower() in _BY_NAME:
        return _BY_NAME[identifier.lower()]()
    raise ValueError(f"Could not interpret optimizer identifier: {identifier}")
