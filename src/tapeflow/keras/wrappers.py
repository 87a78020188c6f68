"""``keras.wrappers``: Keras models as scikit-learn estimators (keras/_sklearn_wrappers.py),
loaded on first use: importing scikit-learn takes longer than importing tapeflow."""

from ..framework.lazy import lazy_names as _lazy_names

_CLASSES = ("SKLearnClassifier", "SKLearnRegressor", "SKLearnTransformer")


def _classes():
    from . import _sklearn_wrappers
    return _sklearn_wrappers


__getattr__, __dir__ = _lazy_names(globals(), _CLASSES, _classes)
