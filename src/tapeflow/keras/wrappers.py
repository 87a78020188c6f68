"""``keras.wrappers``: Keras models as scikit-learn estimators (keras/_sklearn_wrappers.py),
loaded on first use: importing scikit-learn takes longer than importing tapeflow."""

_CLASSES = ("SKLearnClassifier", "SKLearnRegressor", "SKLearnTransformer")


def __getattr__(name):
    if name in _CLASSES:
        from . import _sklearn_wrappers
        value = globals()[name] = getattr(_sklearn_wrappers, name)
        return value
    raise AttributeError(f"module 'tapeflow.keras.wrappers' has no attribute '{name}'")


def __dir__():
    return sorted(set(globals()) | set(_CLASSES))
