"""``keras.wrappers``'s classes: a Keras model as a scikit-learn estimator (classifier, regressor,
transformer), as Keras 3 gives them. scikit-learn is needed only when one is made."""

import copy

import numpy as np

try:
    import sklearn
    from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, TransformerMixin
except ImportError:  # the classes still exist; making one says what to install
    sklearn = None
    BaseEstimator = ClassifierMixin = RegressorMixin = TransformerMixin = object


def _validated(estimator, X, y=None, reset=True):
    """scikit-learn's input checks (``validate_data`` from 1.6, the method before)."""
    try:
        from sklearn.utils.validation import validate_data
    except ImportError:  # pragma: no cover - scikit-learn < 1.6
        return estimator._validate_data(X, y, reset=reset) if y is not None else \
            estimator._validate_data(X, reset=reset)
    if y is None:
        return validate_data(estimator, X, reset=reset)
    return validate_data(estimator, X, y, reset=reset)


def _target_kind(y):
    """scikit-learn's kind of target (binary, multiclass, continuous...), with Keras's error
    for one it cannot tell."""
    from sklearn.utils.multiclass import type_of_target
    kind = type_of_target(y)
    if kind == "unknown":
        raise ValueError(f"Unknown label type for data: {y!r}")
    return kind


class _Column:
    """Targets as columns for the model (``(n,)`` -> ``(n, 1)``), and back for predictions."""

    def __init__(self, y):
        self.ndim = y.ndim

    def to_model(self, y):
        return y.reshape(-1, 1) if y.ndim == 1 else y

    def from_model(self, y):
        return np.squeeze(y, axis=1) if self.ndim == 1 and y.ndim == 2 else y


class SKLBase(BaseEstimator):
    """What the three wrappers share: ``model`` is a compiled Keras Model (cloned, with its
    compile configuration, at every ``fit``) or a callable ``model(X=..., y=...,
    **model_kwargs)`` returning one; ``fit_kwargs`` go to ``model.fit`` (``fit``'s own keyword
    arguments win). ``warm_start`` is kept as a parameter, as in Keras 3, which does not read it
    either."""

    def __init__(self, model, warm_start=False, model_kwargs=None, fit_kwargs=None):
        if sklearn is None:
            raise ImportError(f"{type(self).__name__} requires `scikit-learn` to be installed. "
                              "Run `pip install scikit-learn` to install it.")
        self.model = model
        self.warm_start = warm_start
        self.model_kwargs = model_kwargs
        self.fit_kwargs = fit_kwargs

    def __sklearn_clone__(self):
        model = self.model if callable(self.model) else copy.deepcopy(self.model)
        return type(self)(model=model, warm_start=self.warm_start,
                          model_kwargs=self.model_kwargs)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = True
        return tags

    @property
    def epoch_(self):
        # Keras 3 reads the History it keeps as if it were a dict: an AttributeError after a
        # fit, 0 before one. Kept so.
        return getattr(self, "history_", {}).get("epoch", 0)

    def _new_model(self, X, y):
        from .models import Model, clone_model
        if isinstance(self.model, Model):
            return clone_model(self.model)
        return self.model(X=X, y=y, **(self.model_kwargs or {}))

    def fit(self, X, y, **kwargs):
        X, y = _validated(self, X, y)
        y = self._to_model(y, reset=True)
        model = self._new_model(X, y)
        if not getattr(model, "compiled", False) or not model.loss or not model.optimizer:
            raise RuntimeError("Given model needs to be compiled, and have a loss and an "
                               "optimizer.")
        fit_kwargs = self.fit_kwargs or {}
        fit_kwargs.update(kwargs)
        self.history_ = model.fit(X, y, **fit_kwargs)
        self.model_ = model
        return self

    def predict(self, X):
        from sklearn.utils.validation import check_is_fitted
        check_is_fitted(self)
        X = _validated(self, X, reset=False)
        return self._from_model(self.model_.predict(X))

    def _to_model(self, y, reset=False):
        _target_kind(y)
        if reset:
            self._target = _Column(y)
        return self._target.to_model(y)

    def _from_model(self, y):
        return self._target.from_model(y)


class SKLearnClassifier(ClassifierMixin, SKLBase):
    """A Keras classifier for scikit-learn: binary or multiclass targets, one-hot encoded for
    the model (``classes_`` keeps their labels); ``predict`` gives labels back."""

    def _to_model(self, y, reset=False):
        from sklearn.preprocessing import OneHotEncoder
        kind = _target_kind(y)
        if kind not in ("binary", "multiclass"):
            raise ValueError("Only binary and multiclass target types are supported. Target "
                             f"type: {kind}")
        if reset:
            self._target = _Column(y)
            self._encoder = OneHotEncoder(sparse_output=False).fit(self._target.to_model(y))
            self.classes_ = np.unique(y)
            if len(self.classes_) == 1:
                raise ValueError("Classifier can't train when only one class is present.")
        return self._encoder.transform(self._target.to_model(y))

    def _from_model(self, y):
        return self._target.from_model(self._encoder.inverse_transform(y))

    def decision_function(self, X):
        from sklearn.utils.validation import check_is_fitted
        check_is_fitted(self)
        return self.model_.predict(_validated(self, X, reset=False))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.poor_score = True
        return tags


class SKLearnRegressor(RegressorMixin, SKLBase):
    """A Keras regressor for scikit-learn."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.regressor_tags.poor_score = True
        return tags


class SKLearnTransformer(TransformerMixin, SKLBase):
    """A Keras model as a scikit-learn transformer: ``transform`` is the model's prediction
    (an embedding step in a pipeline, say)."""

    def transform(self, X):
        from sklearn.utils.validation import check_is_fitted
        check_is_fitted(self)
        return self.model_.predict(_validated(self, X, reset=False))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = []
        return tags
