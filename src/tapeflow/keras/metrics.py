"""``tf.keras.metrics``: streaming metrics whose state lives in non-trainable Keras variables.

``update_state`` folds a batch into the state variables (``mean/total``, ``auc/true_positives``
...), ``result`` reads the metric from them and ``reset_state`` zeroes them, as in Keras 3. The
arithmetic is float32 in Keras's order; metrics are not differentiable, so it runs on NumPy.
"""

import inspect

import numpy as np

from ..framework import dtypes
from ..framework.tensor import wrap
from . import losses
from . import _registry
from ._naming import auto_name, snake_case
from .layers import Variable as KerasVariable

EPSILON = 1e-7
NEG_INF = -1e10


def _np(x, dtype=None):
    a = np.asarray(x)
    return a if dtype is None or a.dtype == dtype else a.astype(dtype)


def _same_rank(x1, x2, expand_rank_1=True):
    """``losses.squeeze_or_expand_to_same_rank`` on arrays."""
    r1, r2 = x1.ndim, x2.ndim
    if r1 == r2 + 1 and x1.shape[-1] == 1:
        if r2 == 1 and expand_rank_1:
            x2 = x2[..., None]
        else:
            x1 = x1[..., 0]
    if r2 == r1 + 1 and x2.shape[-1] == 1:
        if r1 == 1 and expand_rank_1:
            x1 = x1[..., None]
        else:
            x2 = x2[..., 0]
    return x1, x2


def _divide_no_nan(a, b):
    with np.errstate(all="ignore"):
        return np.where(b == 0, np.zeros_like(a), a / np.where(b == 0, np.ones_like(b), b))


class Metric:
    """The base class: state variables, ``update_state``/``result``/``reset_state``."""

    def __init__(self, dtype=None, name=None):
        self.name = name or auto_name(type(self).__name__)
        self._dtype = dtypes.as_dtype(dtype or "float32").name
        self._variables = []

    @property
    def dtype(self):
        return self._dtype

    def add_variable(self, shape, initializer="zeros", dtype=None, aggregation="sum", name=None):
        fill = {"zeros": 0, "ones": 1}.get(initializer, initializer)
        value = np.full(tuple(shape), fill, np.dtype(dtype or self._dtype))
        var = KerasVariable(value, trainable=False, name=name,
                            path=f"{self.name.replace('/', '>')}/{name}")
        self._variables.append(var)
        return var

    def add_weight(self, shape=(), initializer=None, dtype=None, name=None):
        return self.add_variable(shape, initializer or "zeros", dtype=dtype, name=name)

    @property
    def variables(self):
        return list(self._variables)

    def reset_state(self):
        for v in self._variables:
            v._handle.value = np.zeros_like(v._handle.value)

    def update_state(self, *args, **kwargs):
        raise NotImplementedError

    def result(self):
        raise NotImplementedError

    def __call__(self, *args, **kwargs):
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self):
        return {"name": self.name, "dtype": self._dtype}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"

    __str__ = __repr__


def _add(var, delta):
    h = var._handle
    h.value = np.asarray(h.value + np.asarray(delta, h.value.dtype))


def _samplewise(values, sample_weight, reduce_fn, dtype):
    """Keras's ``reduce_to_samplewise_values``: one weighted value per sample."""
    values = _np(values, dtype)
    if sample_weight is not None:
        sample_weight = _np(sample_weight, dtype)
        values, sample_weight = _same_rank(values, sample_weight)
        w_ndim, v_ndim = sample_weight.ndim, values.ndim
        if v_ndim > w_ndim:
            values = reduce_fn(values, axis=tuple(range(w_ndim, v_ndim)))
        sample_weight = np.broadcast_to(sample_weight, values.shape)
        values = values * sample_weight
        if w_ndim > 1:
            sample_weight = reduce_fn(sample_weight, axis=tuple(range(1, w_ndim)))
    if values.ndim > 1:
        values = reduce_fn(values, axis=tuple(range(1, values.ndim)))
    return values, sample_weight


class Sum(Metric):
    """The (weighted) sum of all values seen."""

    def __init__(self, name="sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable((), "zeros", dtype=self._dtype, name="total")

    def update_state(self, values, sample_weight=None):
        values, _ = _samplewise(values, sample_weight, np.sum, self._dtype)
        _add(self.total, np.sum(values))

    def result(self):
        return wrap(np.asarray(self.total._handle.value, self._dtype))


class Mean(Metric):
    """The (weighted) mean of all values seen: ``total / count``."""

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable((), "zeros", dtype=self._dtype, name="total")
        self.count = self.add_variable((), "zeros", dtype=self._dtype, name="count")

    def update_state(self, values, sample_weight=None):
        values, sample_weight = _samplewise(values, sample_weight, np.mean, self._dtype)
        _add(self.total, np.sum(values))
        if sample_weight is not None:
            n = np.sum(sample_weight)
        else:
            n = values.shape[0] if values.ndim >= 1 else 1
        _add(self.count, n)

    def result(self):
        return wrap(np.asarray(_divide_no_nan(self.total._handle.value,
                                              self.count._handle.value)))


class MeanMetricWrapper(Mean):
    """The mean of ``fn(y_true, y_pred, **kwargs)`` over all samples seen."""

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true, y_pred, sample_weight=None):
        values = self._fn(y_true, y_pred, **self._fn_kwargs)
        return super().update_state(values, sample_weight=sample_weight)

    def get_config(self):
        fn = self._fn.__name__ if inspect.isfunction(self._fn) else self._fn
        return dict(super().get_config(), fn=fn, **self._fn_kwargs)

    @classmethod
    def from_config(cls, config):
        if cls is not MeanMetricWrapper:
            return cls(**{k: v for k, v in config.items() if k != "fn"})
        config = dict(config)
        fn = config.pop("fn")
        return cls(get(fn) if isinstance(fn, str) else fn, **config)


def _wrapper_class(class_name, fn, default_name, doc, **defaults):
    """A ``MeanMetricWrapper`` subclass for ``fn`` with Keras's keyword defaults."""

    def __init__(self, *args, name=default_name, dtype=None, **kwargs):
        params = dict(defaults)
        params.update(zip(defaults, args))
        params.update(kwargs)
        MeanMetricWrapper.__init__(self, fn, name=name, dtype=dtype, **params)
        for key, value in params.items():
            setattr(self, key, value)

    return type(class_name, (MeanMetricWrapper,), {"__init__": __init__, "__doc__": doc,
                                                   "__module__": __name__})


# --- accuracy functions ----------------------------------------------------------------------
def _floatx(x):
    return wrap(np.asarray(x, np.float32))


def accuracy(y_true, y_pred):
    y_pred = _np(y_pred)
    y_true, y_pred = _same_rank(_np(y_true, y_pred.dtype), y_pred)
    return _floatx(y_true == y_pred)


def binary_accuracy(y_true, y_pred, threshold=0.5):
    y_true, y_pred = _same_rank(_np(y_true), _np(y_pred))
    return _floatx(y_true == (y_pred > threshold).astype(y_true.dtype))


def categorical_accuracy(y_true, y_pred):
    y_true = np.argmax(_np(y_true), axis=-1)
    y_pred = _np(y_pred)
    shape = y_true.shape
    reshape = y_true.ndim == y_pred.ndim
    if reshape:
        y_true = np.squeeze(y_true, -1)
    matches = (y_true == np.argmax(y_pred, axis=-1)).astype(np.float32)
    return _floatx(matches.reshape(shape) if reshape else matches)


def sparse_categorical_accuracy(y_true, y_pred):
    y_pred = _np(y_pred)
    y_true = _np(y_true, y_pred.dtype)
    shape = y_true.shape
    reshape = y_true.ndim == y_pred.ndim and y_true.shape[-1] == 1
    if reshape:
        y_true = np.squeeze(y_true, -1)
    matches = (y_true == np.argmax(y_pred, axis=-1).astype(y_true.dtype)).astype(np.float32)
    if reshape:
        matches = matches.reshape(shape)
    if matches.ndim > 1 and matches.shape[-1] == 1:
        matches = np.squeeze(matches, -1)
    return _floatx(matches)


def _in_top_k(targets, predictions, k):
    """``tf.math.in_top_k``: fewer than ``k`` predictions beat the target's (ties count in)."""
    rows = np.arange(predictions.shape[0])
    valid = (targets >= 0) & (targets < predictions.shape[-1])
    target = predictions[rows, np.where(valid, targets, 0)]
    greater = np.sum(predictions > target[:, None], axis=-1)
    return valid & np.isfinite(target) & (greater < k)


def _top_k_matches(y_true, y_pred, k):
    shape = y_true.shape
    if y_pred.ndim > 2:
        y_pred = y_pred.reshape(-1, y_pred.shape[-1])
    matches = _in_top_k(y_true.reshape(-1), y_pred, k).astype(np.float32)
    return _floatx(matches.reshape(shape) if len(shape) > 1 else matches)


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    y_pred = _np(y_pred)
    return _top_k_matches(np.argmax(_np(y_true, y_pred.dtype), axis=-1), y_pred, k)


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5, from_sorted_ids=False):
    y_pred = _np(y_pred)
    if from_sorted_ids:
        y_true = _np(y_true, y_pred.dtype)
        shape = y_true.shape
        flat = y_true.reshape(-1)
        matches = np.any(flat[:, None] == y_pred.reshape(flat.shape[0], -1)[:, :k], axis=1)
        return _floatx(matches.reshape(shape) if len(shape) > 1 else matches)
    return _top_k_matches(_np(y_true).astype(np.int32), y_pred, k)


Accuracy = _wrapper_class("Accuracy", accuracy, "accuracy",
                          "How often predictions equal labels.")
BinaryAccuracy = _wrapper_class("BinaryAccuracy", binary_accuracy, "binary_accuracy",
                                "How often ``y_pred > threshold`` equals the 0/1 label.",
                                threshold=0.5)
CategoricalAccuracy = _wrapper_class("CategoricalAccuracy", categorical_accuracy,
                                     "categorical_accuracy",
                                     "How often the arg-max matches the one-hot label.")
SparseCategoricalAccuracy = _wrapper_class("SparseCategoricalAccuracy",
                                           sparse_categorical_accuracy,
                                           "sparse_categorical_accuracy",
                                           "How often the arg-max equals the integer label.")
TopKCategoricalAccuracy = _wrapper_class("TopKCategoricalAccuracy", top_k_categorical_accuracy,
                                         "top_k_categorical_accuracy",
                                         "How often the one-hot label is in the top ``k``.", k=5)
SparseTopKCategoricalAccuracy = _wrapper_class(
    "SparseTopKCategoricalAccuracy", sparse_top_k_categorical_accuracy,
    "sparse_top_k_categorical_accuracy", "How often the integer label is in the top ``k``.",
    k=5, from_sorted_ids=False)
MeanSquaredError = _wrapper_class("MeanSquaredError", losses.mean_squared_error,
                                  "mean_squared_error", "The mean squared error.")
MeanAbsoluteError = _wrapper_class("MeanAbsoluteError", losses.mean_absolute_error,
                                   "mean_absolute_error", "The mean absolute error.")


class RootMeanSquaredError(Mean):
    """``sqrt(mean((y_pred - y_true)²))`` over all values seen."""

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true, y_pred = _same_rank(_np(y_true, self._dtype), _np(y_pred, self._dtype))
        return super().update_state(np.square(y_pred - y_true), sample_weight=sample_weight)

    def result(self):
        return wrap(np.sqrt(super().result()._value))


# --- confusion-matrix metrics ----------------------------------------------------------------
def _thresholds(thresholds, default):
    if thresholds is None:
        return [default]
    values = list(thresholds) if isinstance(thresholds, list | tuple) else [thresholds]
    if any(t is not None and not 0 <= t <= 1 for t in values):
        raise ValueError("Threshold values must be in [0, 1]. "
                         f"Received: {values}")
    return values


def _update_confusion(variables, y_true, y_pred, thresholds, top_k=None, class_id=None,
                      sample_weight=None, label_weights=None):
    """Add the (weighted) counts of ``y_pred > threshold`` against the labels, per threshold.

    ``variables`` maps ``'tp'``, ``'fp'``, ``'tn'``, ``'fn'`` to the variables to add to.
    """
    dtype = next(iter(variables.values()))._handle.value.dtype
    y_pred, y_true = _same_rank(_np(y_pred, dtype), _np(y_true, dtype))
    if sample_weight is not None:
        sample_weight = _np(sample_weight, dtype)[..., None]
        _, sample_weight = _same_rank(y_true, sample_weight, expand_rank_1=False)
    if top_k is not None:
        keep = np.zeros(y_pred.shape, bool)
        idx = np.argsort(-y_pred, axis=-1, kind="stable")[..., :top_k]
        np.put_along_axis(keep, idx, True, axis=-1)
        y_pred = np.where(keep, y_pred, dtype.type(NEG_INF))
    if class_id is not None:
        if y_pred.ndim == 1:
            raise ValueError("When class_id is provided, y_pred must be a 2D array with shape "
                             f"(num_samples, num_classes), found shape: {y_pred.shape}")
        y_true = y_true[..., class_id, None]
        y_pred = y_pred[..., class_id, None]
    thresholds = np.asarray(thresholds, dtype)
    pred_pos = y_pred.reshape(1, -1) > thresholds[:, None]
    label_pos = np.broadcast_to(y_true.astype(bool).reshape(1, -1), pred_pos.shape)
    weights = None
    if sample_weight is not None:
        weights = np.broadcast_to(sample_weight, y_pred.shape).reshape(1, -1)
    if label_weights is not None:
        lw = np.broadcast_to(_np(label_weights, dtype), y_pred.shape).reshape(1, -1)
        weights = lw if weights is None else weights * lw
    cases = {"tp": (label_pos, pred_pos), "fp": (~label_pos, pred_pos),
             "tn": (~label_pos, ~pred_pos), "fn": (label_pos, ~pred_pos)}
    for key, var in variables.items():
        label, pred = cases[key]
        both = label & pred
        counts = (np.where(both, np.broadcast_to(weights, both.shape), dtype.type(0))
                  if weights is not None else both.astype(dtype))
        _add(var, np.sum(counts, axis=1, dtype=dtype))


class _Confusion(Metric):
    """Precision and Recall: counts at each threshold (0.5 unless ``thresholds``/``top_k``)."""

    _counts = ()

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        self.thresholds = _thresholds(thresholds, 0.5 if top_k is None else NEG_INF)
        for attr in self._counts:
            setattr(self, attr, self.add_variable((len(self.thresholds),), "zeros", name=attr))

    def update_state(self, y_true, y_pred, sample_weight=None):
        _update_confusion({_KEYS[a]: getattr(self, a) for a in self._counts}, y_true, y_pred,
                          self.thresholds, self.top_k, self.class_id, sample_weight)

    def _ratio(self, other):
        tp = self.true_positives._handle.value
        result = _divide_no_nan(tp, tp + getattr(self, other)._handle.value)
        return wrap(np.asarray(result[0] if len(self.thresholds) == 1 else result))

    def get_config(self):
        return dict(super().get_config(), thresholds=self.init_thresholds, top_k=self.top_k,
                    class_id=self.class_id)


_KEYS = {"true_positives": "tp", "false_positives": "fp", "true_negatives": "tn",
         "false_negatives": "fn"}


class Precision(_Confusion):
    """``tp / (tp + fp)`` at each threshold."""

    _counts = ("true_positives", "false_positives")

    def result(self):
        return self._ratio("false_positives")


class Recall(_Confusion):
    """``tp / (tp + fn)`` at each threshold."""

    _counts = ("true_positives", "false_negatives")

    def result(self):
        return self._ratio("false_negatives")


class AUC(Metric):
    """The area under the ROC or PR curve, from counts at ``num_thresholds`` thresholds."""

    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation",
                 name=None, dtype=None, thresholds=None, multi_label=False, num_labels=None,
                 label_weights=None, from_logits=False):
        curve_name = str(curve).upper()
        if curve_name not in ("ROC", "PR"):
            raise ValueError(f'Invalid AUCCurve value "{curve}". Expected values are ["PR", '
                             '"ROC"]')
        method = str(summation_method).lower()
        if method not in ("interpolation", "minoring", "majoring"):
            raise ValueError(f'Invalid AUCSummationMethod value "{summation_method}". '
                             'Expected values are ["interpolation", "majoring", "minoring"]')
        if multi_label or num_labels:
            raise NotImplementedError("tapeflow's AUC does not support multi_label yet")
        if thresholds is not None:
            self.num_thresholds = len(thresholds) + 2
            inner = sorted(thresholds)
        else:
            if num_thresholds <= 1:
                raise ValueError("Argument `num_thresholds` must be an integer > 1. "
                                 f"Received: num_thresholds={num_thresholds}")
            self.num_thresholds = num_thresholds
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
        self._init_from_thresholds = thresholds is not None
        self._thresholds = np.array([0.0 - EPSILON] + inner + [1.0 + EPSILON])
        self.curve = curve_name
        self.summation_method = method
        super().__init__(name=name, dtype=dtype)
        self.multi_label = multi_label
        self.num_labels = num_labels
        self.label_weights = (None if label_weights is None
                              else np.asarray(label_weights, self._dtype))
        self._from_logits = from_logits
        n = (self.num_thresholds,)
        self.true_positives = self.add_variable(n, "zeros", name="true_positives")
        self.false_positives = self.add_variable(n, "zeros", name="false_positives")
        self.true_negatives = self.add_variable(n, "zeros", name="true_negatives")
        self.false_negatives = self.add_variable(n, "zeros", name="false_negatives")

    @property
    def thresholds(self):
        return list(self._thresholds)

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = _np(y_pred, self._dtype)
        if self._from_logits:
            with np.errstate(over="ignore"):
                y_pred = (1 / (1 + np.exp(-y_pred))).astype(self._dtype)
        _update_confusion({"tp": self.true_positives, "tn": self.true_negatives,
                           "fp": self.false_positives, "fn": self.false_negatives},
                          y_true, y_pred, self._thresholds, sample_weight=sample_weight,
                          label_weights=self.label_weights)

    def _interpolate_pr_auc(self, tp, fp, fn):
        t = tp.dtype.type
        dtp = tp[:-1] - tp[1:]
        p = tp + fp
        dp = p[:-1] - p[1:]
        slope = _divide_no_nan(dtp, np.maximum(dp, t(0)))
        intercept = tp[1:] - slope * p[1:]
        with np.errstate(all="ignore"):
            ratio = np.where((p[:-1] > 0) & (p[1:] > 0),
                             _divide_no_nan(p[:-1], np.maximum(p[1:], t(0))), t(1))
            increment = _divide_no_nan(slope * (dtp + intercept * np.log(ratio)),
                                       np.maximum(tp[1:] + fn[1:], t(0)))
        return np.sum(increment)

    def result(self):
        tp, fp, tn, fn = (v._handle.value for v in (self.true_positives, self.false_positives,
                                                    self.true_negatives, self.false_negatives))
        if self.curve == "PR" and self.summation_method == "interpolation":
            return wrap(np.asarray(self._interpolate_pr_auc(tp, fp, fn)))
        recall = _divide_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            x, y = _divide_no_nan(fp, fp + tn), recall
        else:
            x, y = recall, _divide_no_nan(tp, tp + fp)
        if self.summation_method == "interpolation":
            heights = (y[:-1] + y[1:]) / tp.dtype.type(2)
        elif self.summation_method == "minoring":
            heights = np.minimum(y[:-1], y[1:])
        else:
            heights = np.maximum(y[:-1], y[1:])
        return wrap(np.asarray(np.sum((x[:-1] - x[1:]) * heights)))

    def get_config(self):
        config = {"num_thresholds": self.num_thresholds, "curve": self.curve.lower(),
                  "summation_method": self.summation_method, "multi_label": self.multi_label,
                  "num_labels": self.num_labels,
                  "label_weights": (None if self.label_weights is None
                                    else self.label_weights.tolist()),
                  "from_logits": self._from_logits}
        if self._init_from_thresholds:
            config["thresholds"] = self.thresholds[1:-1]
        return dict(super().get_config(), **config)


_CLASSES = [Metric, Mean, Sum, MeanMetricWrapper, MeanSquaredError, MeanAbsoluteError,
            RootMeanSquaredError, Accuracy, BinaryAccuracy, CategoricalAccuracy,
            SparseCategoricalAccuracy, TopKCategoricalAccuracy, SparseTopKCategoricalAccuracy,
            Precision, Recall, AUC]
_FUNCTIONS = [accuracy, binary_accuracy, categorical_accuracy, sparse_categorical_accuracy,
              top_k_categorical_accuracy, sparse_top_k_categorical_accuracy]
_OBJECTS = {c.__name__: c for c in _CLASSES}
_OBJECTS.update({snake_case(c.__name__): c for c in _CLASSES})
_OBJECTS.update({"mse": MeanSquaredError, "MSE": MeanSquaredError, "mae": MeanAbsoluteError,
                 "MAE": MeanAbsoluteError})
mean_squared_error = mse = MSE = losses.mean_squared_error
mean_absolute_error = mae = MAE = losses.mean_absolute_error


def serialize(metric):
    return _registry.serialize(metric, "keras.metrics")


def deserialize(config, custom_objects=None):
    return _registry.deserialize(_OBJECTS, config, custom_objects, "metric")


def get(identifier):
    """A metric from a name, a config dict or a callable (Keras's ``get``)."""
    return _registry.get(_OBJECTS, identifier, "metric")
