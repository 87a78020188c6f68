"""``tf.keras.metrics``: streaming metrics whose state lives in non-trainable Keras variables.

``update_state`` folds a batch into the state variables (``mean/total``, ``auc/true_positives``
...), ``result`` reads the metric from them and ``reset_state`` zeroes them, as in Keras 3. The
arithmetic is float32 in Keras's order; metrics are not differentiable, so it runs on NumPy.
"""


import functools
import warnings

import numpy as np

from ..framework import context, dtypes, replica
from ..framework.tensor import Tensor, convert_to_tensor, wrap
from ..framework.variable import ResourceVariable
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


def _as_input(value):
    if isinstance(value, Tensor | ResourceVariable):
        return value
    return convert_to_tensor(value)


def _graph_node(method, kind):
    """``method`` as is when eager; inside a tf.function's trace, one stateful node that calls
    it on the arguments' values each time the graph runs (the state lives outside the graph)."""

    @functools.wraps(method)
    def call(self, *args, **kwargs):
        if getattr(context.state, "graph", None) is None:
            return method(self, *args, **kwargs)
        from ..graph import script_ops  # present once tf.function traces graphs
        names = [None] * len(args) + list(kwargs)
        values = list(args) + list(kwargs.values())
        present = [i for i, v in enumerate(values) if v is not None]

        def run(*arrays):
            filled = list(values)
            for i, a in zip(present, arrays):
                filled[i] = a
            pos = [v for n, v in zip(names, filled) if n is None]
            out = method(self, *pos, **{n: v for n, v in zip(names, filled) if n is not None})
            return np.asarray(out) if kind == "result" else np.int64(0)

        inputs = [_as_input(values[i]) for i in present]  # a list is one tensor, not several
        out = script_ops.numpy_function(run, inputs,
                                        Tout=self._dtype if kind == "result" else "int64")
        return out if kind == "result" else None

    return call


class Metric:
    """The base class: state variables, ``update_state``/``result``/``reset_state``."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for kind in ("update_state", "result", "reset_state"):
            if kind in cls.__dict__:
                setattr(cls, kind, _graph_node(cls.__dict__[kind], kind))

    def __init__(self, dtype=None, name=None):
        self.name = name or auto_name(type(self).__name__)
        self._dtype = dtypes.as_dtype(dtype or "float32").name
        self._variables = []

    @property
    def dtype(self):
        return self._dtype

    def add_variable(self, shape, initializer="zeros", dtype=None, aggregation="sum", name=None):
        value = _registry.initial_value(initializer, shape, dtype or self._dtype)
        var = KerasVariable(value, trainable=False, name=name,
                            path=f"{self.name.replace('/', '>')}/{name}", aggregation=aggregation)
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
    if replica.STATE.replica is not None:  # under several replicas each keeps its own, as
        var._own_copy()  # TF's on-read variables
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
        return dict(super().get_config(), fn=_registry.serialize_function(self._fn),
                    **self._fn_kwargs)

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        fn = _registry.function_from_config(config.pop("fn"), _FUNCTIONS_BY_NAME)
        return cls(fn, **config)


def _wrapper_class(class_name, fn, default_name, doc, config=(), **defaults):
    """A ``MeanMetricWrapper`` subclass for ``fn`` with Keras's keyword defaults; its config
    lists the ``config`` arguments."""

    def __init__(self, *args, name=default_name, dtype=None, **kwargs):
        params = dict(defaults)
        params.update(zip(defaults, args))
        params.update(kwargs)
        MeanMetricWrapper.__init__(self, fn, name=name, dtype=dtype, **params)
        for key, value in params.items():
            setattr(self, key, value)

    def get_config(self):
        return dict(Metric.get_config(self), **{key: getattr(self, key) for key in config})

    return type(class_name, (MeanMetricWrapper,),
                {"__init__": __init__, "__doc__": doc, "__module__": __name__,
                 "get_config": get_config, "from_config": classmethod(Metric.from_config.__func__)})


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
                                config=("threshold",), threshold=0.5)
CategoricalAccuracy = _wrapper_class("CategoricalAccuracy", categorical_accuracy,
                                     "categorical_accuracy",
                                     "How often the arg-max matches the one-hot label.")
SparseCategoricalAccuracy = _wrapper_class("SparseCategoricalAccuracy",
                                           sparse_categorical_accuracy,
                                           "sparse_categorical_accuracy",
                                           "How often the arg-max equals the integer label.")
TopKCategoricalAccuracy = _wrapper_class("TopKCategoricalAccuracy", top_k_categorical_accuracy,
                                         "top_k_categorical_accuracy",
                                         "How often the one-hot label is in the top ``k``.",
                                         config=("k",), k=5)
SparseTopKCategoricalAccuracy = _wrapper_class(
    "SparseTopKCategoricalAccuracy", sparse_top_k_categorical_accuracy,
    "sparse_top_k_categorical_accuracy", "How often the integer label is in the top ``k``.",
    config=("k",), k=5, from_sorted_ids=False)
MeanSquaredError = _wrapper_class("MeanSquaredError", losses.mean_squared_error,
                                  "mean_squared_error", "The mean squared error.")
MeanAbsoluteError = _wrapper_class("MeanAbsoluteError", losses.mean_absolute_error,
                                   "mean_absolute_error", "The mean absolute error.")


MeanAbsolutePercentageError = _wrapper_class(
    "MeanAbsolutePercentageError", losses.mean_absolute_percentage_error,
    "mean_absolute_percentage_error", "The mean absolute percentage error.")
MeanSquaredLogarithmicError = _wrapper_class(
    "MeanSquaredLogarithmicError", losses.mean_squared_logarithmic_error,
    "mean_squared_logarithmic_error", "The mean squared logarithmic error.")
def cosine_similarity(y_true, y_pred, axis=-1):
    """The cosine of the angle between labels and predictions (the loss is its negative)."""
    return -losses.cosine_similarity(y_true, y_pred, axis=axis)


CosineSimilarity = _wrapper_class("CosineSimilarity", cosine_similarity, "cosine_similarity",
                                  "The mean cosine similarity.", axis=-1)
LogCoshError = _wrapper_class("LogCoshError", losses.log_cosh, "logcosh",
                              "The mean of ``log(cosh(error))``.")
Hinge = _wrapper_class("Hinge", losses.hinge, "hinge", "The mean hinge loss.")
SquaredHinge = _wrapper_class("SquaredHinge", losses.squared_hinge, "squared_hinge",
                              "The mean squared hinge loss.")
CategoricalHinge = _wrapper_class("CategoricalHinge", losses.categorical_hinge,
                                  "categorical_hinge", "The mean categorical hinge loss.")
KLDivergence = _wrapper_class("KLDivergence", losses.kl_divergence, "kl_divergence",
                              "The mean Kullback-Leibler divergence.")
Poisson = _wrapper_class("Poisson", losses.poisson, "poisson", "The mean Poisson loss.")
BinaryCrossentropy = _wrapper_class(
    "BinaryCrossentropy", losses.binary_crossentropy, "binary_crossentropy",
    "The mean binary cross-entropy.", config=("from_logits", "label_smoothing"),
    from_logits=False, label_smoothing=0)
CategoricalCrossentropy = _wrapper_class(
    "CategoricalCrossentropy", losses.categorical_crossentropy, "categorical_crossentropy",
    "The mean categorical cross-entropy.", config=("from_logits", "label_smoothing", "axis"),
    from_logits=False, label_smoothing=0, axis=-1)


class SparseCategoricalCrossentropy(MeanMetricWrapper):
    """The mean sparse categorical cross-entropy; ``ignore_class`` labels do not count."""

    def __init__(self, name="sparse_categorical_crossentropy", dtype=None, from_logits=False,
                 ignore_class=None, axis=-1):
        super().__init__(losses.sparse_categorical_crossentropy, name=name, dtype=dtype,
                         from_logits=from_logits, ignore_class=ignore_class, axis=axis)
        self.from_logits = from_logits
        self.ignore_class = ignore_class
        self.axis = axis

    def update_state(self, y_true, y_pred, sample_weight=None):
        values, valid = losses._sparse_categorical_crossentropy(
            y_true, y_pred, self.from_logits, self.ignore_class, self.axis)
        if valid is not None:  # Keras's mask: ignored labels weigh nothing
            mask = _np(valid, self._dtype)
            if sample_weight is None:
                sample_weight = mask
            else:
                mask, sample_weight = _same_rank(mask, _np(sample_weight, self._dtype))
                sample_weight = sample_weight * mask
        return Mean.update_state(self, values, sample_weight=sample_weight)

    def get_config(self):
        return dict(Metric.get_config(self), from_logits=self.from_logits,
                    ignore_class=self.ignore_class, axis=self.axis)

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def pearson_correlation(y_true, y_pred, axis=-1):
    y_pred = _np(y_pred)
    y_true, y_pred = _same_rank(_np(y_true, y_pred.dtype), y_pred)
    t = y_true - np.mean(y_true, axis=axis, keepdims=True)
    p = y_pred - np.mean(y_pred, axis=axis, keepdims=True)
    with np.errstate(all="ignore"):
        t = t / np.std(t, axis=axis, keepdims=True)
        p = p / np.std(p, axis=axis, keepdims=True)
    return wrap(np.asarray(np.mean(t * p, axis=axis)))


def concordance_correlation(y_true, y_pred, axis=-1):
    y_pred = _np(y_pred)
    y_true, y_pred = _same_rank(_np(y_true, y_pred.dtype), y_pred)
    t_mean = np.mean(y_true, axis=axis, keepdims=True)
    p_mean = np.mean(y_pred, axis=axis, keepdims=True)
    t_var = np.var(y_true - t_mean, axis=axis, keepdims=True)
    p_var = np.var(y_pred - p_mean, axis=axis, keepdims=True)
    covar = (y_true - p_mean) * (y_pred - p_mean)  # (Keras centres y_true on y_pred's mean)
    norm = t_var + p_var + np.square(t_mean - p_mean)
    return wrap(np.asarray(np.mean(2 * covar / (norm + y_pred.dtype.type(EPSILON)), axis=axis)))


PearsonCorrelation = _wrapper_class("PearsonCorrelation", pearson_correlation,
                                    "pearson_correlation", "The mean Pearson correlation.",
                                    config=("axis",), axis=-1)
ConcordanceCorrelation = _wrapper_class("ConcordanceCorrelation", concordance_correlation,
                                        "concordance_correlation",
                                        "The mean concordance correlation.",
                                        config=("axis",), axis=-1)


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
                      sample_weight=None, label_weights=None, multi_label=False):
    """Add the (weighted) counts of ``y_pred > threshold`` against the labels, per threshold
    (and per label, the last axis, with ``multi_label``).

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
    shape = (1, *y_pred.shape) if multi_label else (1, -1)
    pred_pos = y_pred.reshape(shape) > thresholds.reshape((-1,) + (1,) * (len(shape) - 1))
    label_pos = np.broadcast_to(y_true.astype(bool).reshape(shape), pred_pos.shape)
    weights = None
    if sample_weight is not None:
        weights = np.broadcast_to(sample_weight, y_pred.shape).reshape(shape)
    if label_weights is not None:
        lw = np.broadcast_to(_np(label_weights, dtype), y_pred.shape).reshape(shape)
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


class _Count(Metric):
    """One cell of the confusion matrix, counted at each threshold."""

    _key = None

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.thresholds = _thresholds(thresholds, 0.5)
        self.accumulator = self.add_variable((len(self.thresholds),), "zeros",
                                             name="accumulator")

    def update_state(self, y_true, y_pred, sample_weight=None):
        _update_confusion({self._key: self.accumulator}, y_true, y_pred, self.thresholds,
                          sample_weight=sample_weight)

    def result(self):
        value = self.accumulator._handle.value
        return wrap(np.array(value[0] if len(self.thresholds) == 1 else value))

    def get_config(self):
        return dict(super().get_config(), thresholds=self.init_thresholds)


class TruePositives(_Count):
    """The (weighted) number of positives predicted positive."""

    _key = "tp"


class FalsePositives(_Count):
    """The (weighted) number of negatives predicted positive."""

    _key = "fp"


class TrueNegatives(_Count):
    """The (weighted) number of negatives predicted negative."""

    _key = "tn"


class FalseNegatives(_Count):
    """The (weighted) number of positives predicted negative."""

    _key = "fn"


class _AtConstraint(Metric):
    """The best of one rate among the thresholds where another reaches ``value``."""

    _arg = None  # the constructor's name for ``value``

    def __init__(self, value, num_thresholds=200, class_id=None, name=None, dtype=None):
        if value < 0 or value > 1:
            raise ValueError(f"Argument `{self._arg}` must be in the range [0, 1]. Received: "
                             f"{self._arg}={value}")
        if num_thresholds <= 0:
            raise ValueError("Argument `num_thresholds` must be an integer > 0. Received: "
                             f"num_thresholds={num_thresholds}")
        super().__init__(name=name, dtype=dtype)
        setattr(self, self._arg, value)
        self.value = value
        self.num_thresholds = num_thresholds
        self.class_id = class_id
        self.thresholds = ([0.5] if num_thresholds == 1 else
                           [0.0] + [(i + 1) * 1.0 / (num_thresholds - 1)
                                    for i in range(num_thresholds - 2)] + [1.0])
        n = (len(self.thresholds),)
        self.true_positives = self.add_variable(n, "zeros", name="true_positives")
        self.false_positives = self.add_variable(n, "zeros", name="false_positives")
        self.true_negatives = self.add_variable(n, "zeros", name="true_negatives")
        self.false_negatives = self.add_variable(n, "zeros", name="false_negatives")

    def update_state(self, y_true, y_pred, sample_weight=None):
        _update_confusion({"tp": self.true_positives, "tn": self.true_negatives,
                           "fp": self.false_positives, "fn": self.false_negatives},
                          y_true, y_pred, self.thresholds, class_id=self.class_id,
                          sample_weight=sample_weight)

    def _rates(self):
        tp, fp, tn, fn = (v._handle.value for v in (self.true_positives, self.false_positives,
                                                    self.true_negatives, self.false_negatives))
        recall = _divide_no_nan(tp, tp + fn)
        return {"sensitivity": recall, "recall": recall,
                "specificity": _divide_no_nan(tn, tn + fp),
                "precision": _divide_no_nan(tp, tp + fp)}

    def result(self):
        rates = self._rates()
        feasible = rates[self._arg] >= self.value
        best = np.where(feasible, rates[self._target], 0)
        return wrap(np.asarray(max(np.max(best), best.dtype.type(0))))

    def get_config(self):
        return dict(super().get_config(), class_id=self.class_id,
                    num_thresholds=self.num_thresholds, **{self._arg: self.value})


class SensitivityAtSpecificity(_AtConstraint):
    """The best sensitivity where the specificity is at least ``specificity``."""

    _arg, _target = "specificity", "sensitivity"

    def __init__(self, specificity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(specificity, num_thresholds, class_id, name, dtype)


class SpecificityAtSensitivity(_AtConstraint):
    """The best specificity where the sensitivity is at least ``sensitivity``."""

    _arg, _target = "sensitivity", "specificity"

    def __init__(self, sensitivity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(sensitivity, num_thresholds, class_id, name, dtype)


class PrecisionAtRecall(_AtConstraint):
    """The best precision where the recall is at least ``recall``."""

    _arg, _target = "recall", "precision"

    def __init__(self, recall, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(recall, num_thresholds, class_id, name, dtype)


class RecallAtPrecision(_AtConstraint):
    """The best recall where the precision is at least ``precision``."""

    _arg, _target = "precision", "recall"

    def __init__(self, precision, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(precision, num_thresholds, class_id, name, dtype)


def _check_2d(cls_name, y_true, y_pred):
    if y_pred.ndim != 2 or y_true.ndim != 2:
        raise ValueError(f"{cls_name} expects 2D inputs with shape (batch_size, output_dim). "
                         f"Received input shapes: y_pred.shape={y_pred.shape} and "
                         f"y_true.shape={y_true.shape}.")


class FBetaScore(Metric):
    """F-beta per class (``average=None``) or averaged (``'micro'``, ``'macro'``,
    ``'weighted'``); predictions are the row maxima unless a ``threshold`` is given."""

    def __init__(self, average=None, beta=1.0, threshold=None, name="fbeta_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        if average not in (None, "micro", "macro", "weighted"):
            raise ValueError("Invalid `average` argument value. Expected one of: {None, "
                             f"'micro', 'macro', 'weighted'}}. Received: average={average}")
        if not isinstance(beta, float):
            raise ValueError("Invalid `beta` argument value. It should be a Python float. "
                             f"Received: beta={beta} of type '{type(beta)}'")
        if beta <= 0.0:
            raise ValueError(f"Invalid `beta` argument value. It should be > 0. Received: "
                             f"beta={beta}")
        if threshold is not None:
            if not isinstance(threshold, float):
                raise ValueError("Invalid `threshold` argument value. It should be a Python "
                                 f"float. Received: threshold={threshold} of type "
                                 f"'{type(threshold)}'")
            if threshold > 1.0 or threshold <= 0.0:
                raise ValueError("Invalid `threshold` argument value. It should verify 0 < "
                                 f"threshold <= 1. Received: threshold={threshold}")
        self.average, self.beta, self.threshold = average, beta, threshold
        self.axis = None if average == "micro" else 0
        self._built = False

    def _build(self, num_classes):
        shape = () if self.average == "micro" else (num_classes,)
        for name in ("true_positives", "false_positives", "false_negatives",
                     "intermediate_weights"):
            setattr(self, name, self.add_variable(shape, "zeros", self._dtype, name=name))
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true, y_pred = _np(y_true, self._dtype), _np(y_pred, self._dtype)
        _check_2d("FBetaScore", y_true, y_pred)
        if not self._built:
            self._build(y_pred.shape[-1])
        if self.threshold is None:
            top = np.max(y_pred, axis=-1, keepdims=True)
            pred = (y_pred >= top) & (np.abs(y_pred) > 1e-9)
        else:
            pred = y_pred > self.threshold
        pred = pred.astype(self._dtype)
        w = None if sample_weight is None else _np(sample_weight, self._dtype)[:, None]

        def total(x):
            return np.sum(x if w is None else x * w, axis=self.axis)

        _add(self.true_positives, total(pred * y_true))
        _add(self.false_positives, total(pred * (1 - y_true)))
        _add(self.false_negatives, total((1 - pred) * y_true))
        _add(self.intermediate_weights, total(y_true))

    def result(self):
        t = np.dtype(self._dtype).type
        tp, fp, fn, weights = (v._handle.value for v in (
            self.true_positives, self.false_positives, self.false_negatives,
            self.intermediate_weights))
        eps = t(EPSILON)
        precision = tp / (tp + fp + eps)
        recall = tp / (tp + fn + eps)
        beta2 = t(self.beta ** 2)
        score = (precision * recall) / (beta2 * precision + recall + eps) * t(1 + self.beta ** 2)
        if self.average == "weighted":
            score = np.sum(score * (weights / (np.sum(weights) + eps)))
        elif self.average is not None:
            score = np.mean(score)
        return wrap(np.asarray(score, self._dtype))

    def get_config(self):
        return dict(super().get_config(), average=self.average, beta=self.beta,
                    threshold=self.threshold)


class F1Score(FBetaScore):
    """F1: the harmonic mean of precision and recall (``FBetaScore`` with ``beta=1``)."""

    def __init__(self, average=None, threshold=None, name="f1_score", dtype=None):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)

    def get_config(self):
        config = super().get_config()
        del config["beta"]
        return config


class R2Score(Metric):
    """The coefficient of determination per output, averaged as ``class_aggregation`` says
    (adjusted for ``num_regressors``)."""

    def __init__(self, class_aggregation="uniform_average", num_regressors=0, name="r2_score",
                 dtype=None):
        super().__init__(name=name, dtype=dtype)
        valid = (None, "uniform_average", "variance_weighted_average")
        if class_aggregation not in valid:
            raise ValueError("Invalid value for argument `class_aggregation`. Expected one of "
                             f"{valid}. Received: class_aggregation={class_aggregation}")
        if num_regressors < 0:
            raise ValueError("Invalid value for argument `num_regressors`. Expected a value >= "
                             f"0. Received: num_regressors={num_regressors}")
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self.num_samples = self.add_variable((), "zeros", name="num_samples")
        self._built = False

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true, y_pred = _same_rank(_np(y_true, self._dtype), _np(y_pred, self._dtype))
        _check_2d("R2Score", y_true, y_pred)
        if not self._built:
            n = (y_pred.shape[-1],)
            self.squared_sum = self.add_variable(n, "zeros", name="squared_sum")
            self.sum = self.add_variable(n, "zeros", name="sum")
            self.total_mse = self.add_variable(n, "zeros", name="residual")
            self.count = self.add_variable(n, "zeros", name="count")
            self._built = True
        w = _np(1 if sample_weight is None else sample_weight, self._dtype)
        if w.ndim == 1:
            w = w[:, None]
        w = np.broadcast_to(w, y_true.shape)
        weighted = y_true * w
        _add(self.sum, np.sum(weighted, axis=0))
        _add(self.squared_sum, np.sum(y_true * weighted, axis=0))
        _add(self.total_mse, np.sum((y_true - y_pred) ** 2 * w, axis=0))
        _add(self.count, np.sum(w, axis=0))
        _add(self.num_samples, y_true.size)

    def result(self):
        t = np.dtype(self._dtype).type
        total_sum, squared, mse, count = (v._handle.value for v in (
            self.sum, self.squared_sum, self.total_mse, self.count))
        with np.errstate(divide="ignore", invalid="ignore"):
            mean = total_sum / count
            total = squared - total_sum * mean
            raw = t(1) - mse / total
        raw = np.where(np.isinf(raw), t(0), raw)
        if self.class_aggregation == "uniform_average":
            score = np.mean(raw)
        elif self.class_aggregation == "variance_weighted_average":
            score = np.sum(total * raw) / np.sum(total)
        else:
            score = raw
        n = float(self.num_samples._handle.value)
        if self.num_regressors:
            if self.num_regressors > n - 1:
                warnings.warn("More independent predictors than datapoints in adjusted R2 "
                              "score. Falling back to standard R2 score.", stacklevel=2)
            elif self.num_regressors == n - 1:
                warnings.warn("Division by zero in Adjusted R2 score. Falling back to standard "
                              "R2 score.", stacklevel=2)
            else:
                n, p = t(n), t(self.num_regressors)
                score = t(1) - ((t(1) - score) * (n - t(1))) / (n - p - t(1))
        return wrap(np.asarray(score, self._dtype))

    def get_config(self):
        return dict(super().get_config(), class_aggregation=self.class_aggregation,
                    num_regressors=self.num_regressors)


class _IoUBase(Metric):
    """A running confusion matrix of integer labels (rows) against predictions (columns)."""

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_true=True,
                 sparse_y_pred=True, axis=-1):
        super().__init__(name=name, dtype=dtype or "int64")
        self.num_classes = num_classes
        self.ignore_class = ignore_class
        self.sparse_y_true = sparse_y_true
        self.sparse_y_pred = sparse_y_pred
        self.axis = axis
        self.total_cm = self.add_variable((num_classes, num_classes), "zeros", self._dtype,
                                          name="total_confusion_matrix")

    def update_state(self, y_true, y_pred, sample_weight=None):
        dtype = np.dtype(self._dtype)
        y_true, y_pred = _np(y_true), _np(y_pred)
        if not self.sparse_y_true:
            y_true = np.argmax(y_true, axis=self.axis)
        if not self.sparse_y_pred:
            y_pred = np.argmax(y_pred, axis=self.axis)
        y_true, y_pred = y_true.astype(dtype).reshape(-1), y_pred.astype(dtype).reshape(-1)
        if sample_weight is None:
            sample_weight = 1
        elif (np.asarray(sample_weight).dtype.kind == "f" and dtype.kind in "iu"
              and hasattr(sample_weight, "dtype")):
            warnings.warn("You are passing weight as `float`, but dtype is `int`. This may "
                          "result in an incorrect weight due to type casting Consider using "
                          "integer weights.", stacklevel=2)
        weights = np.broadcast_to(_np(sample_weight).astype(dtype).reshape(-1), y_true.shape)
        n = self.num_classes
        valid = (y_true >= 0) & (y_true < n) & (y_pred >= 0) & (y_pred < n)
        if self.ignore_class is not None:
            valid &= y_true != self.ignore_class
        cm = np.zeros((n, n), dtype)
        np.add.at(cm, (np.where(valid, y_true, 0), np.where(valid, y_pred, 0)),
                  np.where(valid, weights, 0).astype(dtype))
        _add(self.total_cm, cm)


class IoU(_IoUBase):
    """Intersection over union, averaged over ``target_class_ids``."""

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None, ignore_class=None,
                 sparse_y_true=True, sparse_y_pred=True, axis=-1):
        super().__init__(name=name, num_classes=num_classes, ignore_class=ignore_class,
                         sparse_y_true=sparse_y_true, sparse_y_pred=sparse_y_pred, axis=axis,
                         dtype=dtype)
        if max(target_class_ids) >= num_classes:
            raise ValueError(f"Target class id {max(target_class_ids)} is out of range, which "
                             f"is [0, {num_classes}).")
        self.target_class_ids = list(target_class_ids)

    def result(self):
        cm = self.total_cm._handle.value.astype(np.float32)
        tp = np.diag(cm)
        denominator = (np.sum(cm, axis=0) + np.sum(cm, axis=1) - tp)[self.target_class_ids]
        tp = tp[self.target_class_ids]
        valid = denominator > 1e-9
        eps = np.float32(EPSILON)
        iou = np.where(valid, tp / (denominator + eps), np.float32(0))
        return wrap(np.asarray(np.sum(iou, axis=self.axis) / (np.sum(valid, dtype=np.float32)
                                                               + eps)))

    def get_config(self):
        return dict(super().get_config(), num_classes=self.num_classes,
                    target_class_ids=self.target_class_ids, ignore_class=self.ignore_class,
                    sparse_y_true=self.sparse_y_true, sparse_y_pred=self.sparse_y_pred,
                    axis=self.axis)


class BinaryIoU(IoU):
    """IoU of ``y_pred >= threshold`` against 0/1 labels."""

    def __init__(self, target_class_ids=(0, 1), threshold=0.5, name=None, dtype=None):
        super().__init__(num_classes=2, target_class_ids=target_class_ids, name=name, dtype=dtype)
        self.threshold = threshold

    def update_state(self, y_true, y_pred, sample_weight=None):
        pred = (_np(y_pred, np.float32) >= self.threshold).astype(self._dtype)
        return super().update_state(_np(y_true).astype(self._dtype), pred, sample_weight)

    def get_config(self):
        return {"target_class_ids": self.target_class_ids, "threshold": self.threshold,
                "name": self.name, "dtype": self._dtype}


class MeanIoU(IoU):
    """IoU averaged over all classes."""

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_true=True,
                 sparse_y_pred=True, axis=-1):
        super().__init__(name=name, num_classes=num_classes,
                         target_class_ids=list(range(num_classes)), axis=axis, dtype=dtype,
                         ignore_class=ignore_class, sparse_y_true=sparse_y_true,
                         sparse_y_pred=sparse_y_pred)

    def get_config(self):
        return {"num_classes": self.num_classes, "name": self.name, "dtype": self._dtype,
                "ignore_class": self.ignore_class, "sparse_y_true": self.sparse_y_true,
                "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}


class OneHotIoU(IoU):
    """IoU for one-hot labels (and, unless ``sparse_y_pred``, class scores)."""

    def __init__(self, num_classes, target_class_ids, name=None, dtype=None, ignore_class=None,
                 sparse_y_pred=False, axis=-1):
        super().__init__(num_classes=num_classes, target_class_ids=target_class_ids, name=name,
                         dtype=dtype, ignore_class=ignore_class, sparse_y_true=False,
                         sparse_y_pred=sparse_y_pred, axis=axis)

    def get_config(self):
        return {"num_classes": self.num_classes, "target_class_ids": self.target_class_ids,
                "name": self.name, "dtype": self._dtype, "ignore_class": self.ignore_class,
                "sparse_y_pred": self.sparse_y_pred, "axis": self.axis}


class OneHotMeanIoU(MeanIoU):
    """MeanIoU for one-hot labels (and, unless ``sparse_y_pred``, class scores)."""

    def __init__(self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_pred=False,
                 axis=-1):
        super().__init__(num_classes=num_classes, axis=axis, name=name, dtype=dtype,
                         ignore_class=ignore_class, sparse_y_true=False,
                         sparse_y_pred=sparse_y_pred)

    def get_config(self):
        return {"num_classes": self.num_classes, "name": self.name, "dtype": self._dtype,
                "ignore_class": self.ignore_class, "sparse_y_pred": self.sparse_y_pred,
                "axis": self.axis}


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
        self.label_weights = (None if label_weights is None  # a tensor, as in Keras
                              else wrap(np.asarray(label_weights, self._dtype)))
        self._from_logits = from_logits
        self._built = False
        if multi_label:
            if num_labels:
                self._build((None, num_labels))
        elif num_labels:
            raise ValueError("`num_labels` is needed only when `multi_label` is True.")
        else:
            self._build(None)

    def _build(self, shape):
        """The count variables: one per threshold (and label, with ``multi_label``)."""
        if self.multi_label:
            if len(shape) != 2:
                raise ValueError("`y_pred` must have rank 2 when `multi_label=True`. Found rank "
                                 f"{len(shape)}. Full shape received for `y_pred`: {shape}")
            n = (self.num_thresholds, shape[1])
        else:
            n = (self.num_thresholds,)
        self.true_positives = self.add_variable(n, "zeros", name="true_positives")
        self.false_positives = self.add_variable(n, "zeros", name="false_positives")
        self.true_negatives = self.add_variable(n, "zeros", name="true_negatives")
        self.false_negatives = self.add_variable(n, "zeros", name="false_negatives")
        self._built = True

    @property
    def thresholds(self):
        return list(self._thresholds)

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = _np(y_pred, self._dtype)
        if not self._built:
            self._build(y_pred.shape)
        if self._from_logits:
            with np.errstate(over="ignore"):
                y_pred = (1 / (1 + np.exp(-y_pred))).astype(self._dtype)
        _update_confusion({"tp": self.true_positives, "tn": self.true_negatives,
                           "fp": self.false_positives, "fn": self.false_negatives},
                          y_true, y_pred, self._thresholds, sample_weight=sample_weight,
                          label_weights=None if self.multi_label else self._label_weights(),
                          multi_label=self.multi_label)

    def _by_label(self, terms):
        """Sum the area terms over thresholds; with ``multi_label``, average over labels."""
        if not self.multi_label:
            return wrap(np.asarray(np.sum(terms)))
        by_label = np.sum(terms, axis=0)
        if self.label_weights is None:
            return wrap(np.asarray(np.mean(by_label)))
        lw = self._label_weights()
        return wrap(np.asarray(_divide_no_nan(np.sum(by_label * lw), np.sum(lw))))

    def _label_weights(self):
        return None if self.label_weights is None else self.label_weights._value

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
            return _divide_no_nan(slope * (dtp + intercept * np.log(ratio)),
                                  np.maximum(tp[1:] + fn[1:], t(0)))

    def result(self):
        tp, fp, tn, fn = (v._handle.value for v in (self.true_positives, self.false_positives,
                                                    self.true_negatives, self.false_negatives))
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self._by_label(self._interpolate_pr_auc(tp, fp, fn))
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
        return self._by_label((x[:-1] - x[1:]) * heights)

    def get_config(self):
        config = {"num_thresholds": self.num_thresholds, "curve": self.curve,
                  "summation_method": self.summation_method, "multi_label": self.multi_label,
                  "num_labels": self.num_labels,
                  "label_weights": self.label_weights,
                  "from_logits": self._from_logits}
        if self._init_from_thresholds:
            config["thresholds"] = [float(t) for t in self._thresholds[1:-1]]
        return dict(super().get_config(), **config)


_CLASSES = [Metric, Mean, Sum, MeanMetricWrapper, MeanSquaredError, MeanAbsoluteError,
            RootMeanSquaredError, MeanAbsolutePercentageError, MeanSquaredLogarithmicError,
            CosineSimilarity, LogCoshError, Hinge, SquaredHinge, CategoricalHinge, KLDivergence,
            Poisson, BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy,
            Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy,
            TopKCategoricalAccuracy, SparseTopKCategoricalAccuracy, Precision, Recall, AUC,
            TruePositives, FalsePositives, TrueNegatives, FalseNegatives, SensitivityAtSpecificity,
            SpecificityAtSensitivity, PrecisionAtRecall, RecallAtPrecision, FBetaScore, F1Score,
            R2Score, IoU, BinaryIoU, MeanIoU, OneHotIoU, OneHotMeanIoU, PearsonCorrelation,
            ConcordanceCorrelation]
_FUNCTIONS = [accuracy, binary_accuracy, categorical_accuracy, sparse_categorical_accuracy,
              top_k_categorical_accuracy, sparse_top_k_categorical_accuracy,
              pearson_correlation, concordance_correlation]
_OBJECTS = {c.__name__: c for c in _CLASSES}
_OBJECTS.update({snake_case(c.__name__): c for c in _CLASSES})
_OBJECTS.update({"mse": MeanSquaredError, "MSE": MeanSquaredError, "mae": MeanAbsoluteError,
                 "MAE": MeanAbsoluteError, "mape": MeanAbsolutePercentageError,
                 "MAPE": MeanAbsolutePercentageError, "msle": MeanSquaredLogarithmicError,
                 "MSLE": MeanSquaredLogarithmicError, "bce": BinaryCrossentropy,
                 "BCE": BinaryCrossentropy})
_FUNCTIONS_BY_NAME = dict({f.__name__: f for f in _FUNCTIONS}, **losses._OBJECTS)
mean_squared_error = mse = MSE = losses.mean_squared_error
mean_absolute_error = mae = MAE = losses.mean_absolute_error


def serialize(metric):
    return _registry.serialize(metric, "keras.metrics")


def deserialize(config, custom_objects=None):
    return _registry.deserialize(_OBJECTS, config, custom_objects, "metric")


def get(identifier):
    """A metric from a name, a config dict or a callable (Keras's ``get``)."""
    return _registry.get(_OBJECTS, identifier, "metric")
