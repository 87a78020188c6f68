"""``tf.keras.losses``: Keras 3's loss functions and classes, built from tapeflow ops.

Every loss is a composition of differentiable tapeflow ops, so gradients flow through the tape.
The formulas follow Keras 3 on the TensorFlow backend (clipping to ``epsilon = 1e-7``, the stable
``*_cross_entropy_with_logits`` kernels for logits), so values match TF's to float32 rounding and
extreme logits (±1e4) give finite values without NumPy warnings.
"""

import math
import warnings
import weakref

import numpy as np

from ..framework import dtypes, replica
from ..framework.tensor import convert_to_tensor
from ..ops import array_ops, index_ops, manip_ops, math_ops, nn_ops, reduction_ops
from ..ops import special_ops
from .. import math as tfmath
from . import _registry
from ._naming import auto_name

EPSILON = 1e-7
_REDUCTIONS = {"sum_over_batch_size", "sum", None, "none", "mean", "mean_with_sample_weight"}


def _as(x, dtype):
    """``x`` as a tensor of ``dtype`` (cast, as Keras's ``convert_to_tensor`` does)."""
    x = convert_to_tensor(x)
    return x if x.dtype == dtype else array_ops.cast(x, dtype)


def _pair(y_true, y_pred):
    y_pred = convert_to_tensor(y_pred)
    return _as(y_true, y_pred.dtype), y_pred


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True):
    """Keras's rank matching: drop (or, against a vector, add) a trailing axis of size 1."""
    r1, r2 = x1.ndim, x2.ndim
    if r1 == r2 + 1 and x1.shape[-1] == 1:
        if r2 == 1 and expand_rank_1:
            x2 = array_ops.expand_dims(x2, -1)
        else:
            x1 = array_ops.squeeze(x1, -1)
    if r2 == r1 + 1 and x2.shape[-1] == 1:
        if r1 == 1 and expand_rank_1:
            x1 = array_ops.expand_dims(x1, -1)
        else:
            x2 = array_ops.squeeze(x2, -1)
    return x1, x2


def _mean(x, axis=-1):
    return reduction_ops.reduce_mean(x, axis=axis)


def _sum(x, axis=-1, keepdims=False):
    return reduction_ops.reduce_sum(x, axis=axis, keepdims=keepdims)


def _clip(x, low, high):
    return manip_ops.clip_by_value(x, low, high)


# --- functions -------------------------------------------------------------------------------
def mean_squared_error(y_true, y_pred):
    y_true, y_pred = squeeze_or_expand_to_same_rank(*_pair(y_true, y_pred))
    return _mean(tfmath.square(y_true - y_pred))


def mean_absolute_error(y_true, y_pred):
    y_true, y_pred = squeeze_or_expand_to_same_rank(*_pair(y_true, y_pred))
    return _mean(math_ops.abs(y_true - y_pred))


def mean_absolute_percentage_error(y_true, y_pred):
    y_true, y_pred = squeeze_or_expand_to_same_rank(*_pair(y_true, y_pred))
    eps = convert_to_tensor(EPSILON, y_pred.dtype)
    diff = math_ops.abs((y_true - y_pred) / tfmath.maximum(math_ops.abs(y_true), eps))
    return 100.0 * _mean(diff)


def mean_squared_logarithmic_error(y_true, y_pred):
    y_true, y_pred = squeeze_or_expand_to_same_rank(*_pair(y_true, y_pred))
    eps = convert_to_tensor(EPSILON, y_pred.dtype)
    first = tfmath.log(tfmath.maximum(y_pred, eps) + 1.0)
    second = tfmath.log(tfmath.maximum(y_true, eps) + 1.0)
    return _mean(tfmath.square(first - second))


def _l2_normalize(x, axis):
    """Keras's ``normalize``: ``x * min(rsqrt(sum(x²)), 1 / epsilon)``."""
    if x.ndim == 0:
        x = array_ops.expand_dims(x, 0)
    inv = tfmath.rsqrt(_sum(tfmath.square(x), axis, keepdims=True))
    return x * tfmath.minimum(inv, 1.0 / EPSILON)


def cosine_similarity(y_true, y_pred, axis=-1):
    y_true, y_pred = squeeze_or_expand_to_same_rank(*_pair(y_true, y_pred))
    with np.errstate(divide="ignore"):  # rsqrt(0) = inf, then capped at 1 / epsilon
        return -_sum(_l2_normalize(y_true, axis) * _l2_normalize(y_pred, axis), axis)


def huber(y_true, y_pred, delta=1.0):
    y_true, y_pred = squeeze_or_expand_to_same_rank(*_pair(y_true, y_pred))
    delta = convert_to_tensor(delta, y_pred.dtype)
    error = y_pred - y_true
    abs_error = math_ops.abs(error)
    half = convert_to_tensor(0.5, y_pred.dtype)
    return _mean(math_ops.where(abs_error <= delta, half * tfmath.square(error),
                                delta * abs_error - half * tfmath.square(delta)))


def log_cosh(y_true, y_pred):
    y_true, y_pred = squeeze_or_expand_to_same_rank(*_pair(y_true, y_pred))
    log2 = convert_to_tensor(math.log(2.0), y_pred.dtype)
    x = y_pred - y_true
    return _mean(x + tfmath.softplus(x * -2.0) - log2)


def _hinge_labels(y_true):
    """Labels in {0, 1} become {-1, 1}; anything else is left as it is (a choice made on the
    values, in the graph too)."""
    binary = special_ops.reduce_all(math_ops.logical_or(math_ops.equal(y_true, 0.0),
                                                        math_ops.equal(y_true, 1.0)))
    return math_ops.where(binary, 2.0 * y_true - 1.0, y_true)


def hinge(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    return _mean(tfmath.maximum(1.0 - _hinge_labels(y_true) * y_pred, 0.0))


def squared_hinge(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    return _mean(tfmath.square(tfmath.maximum(1.0 - _hinge_labels(y_true) * y_pred, 0.0)))


def categorical_hinge(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    pos = _sum(y_true * y_pred)
    neg = reduction_ops.reduce_max((1.0 - y_true) * y_pred, axis=-1)
    return tfmath.maximum(neg - pos + 1.0, convert_to_tensor(0.0, y_pred.dtype))


def kl_divergence(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    y_true = _clip(y_true, EPSILON, 1)
    y_pred = _clip(y_pred, EPSILON, 1)
    return _sum(y_true * tfmath.log(y_true / y_pred))


def poisson(y_true, y_pred):
    y_true, y_pred = _pair(y_true, y_pred)
    eps = convert_to_tensor(EPSILON, y_pred.dtype)
    return _mean(y_pred - y_true * tfmath.log(y_pred + eps))


def _same_shape(target, output, what="same shape"):
    if target.ndim != output.ndim:
        raise ValueError("Arguments `target` and `output` must have the same rank (ndim). "
                         f"Received: target.shape={target.shape}, output.shape={output.shape}")
    if tuple(target.shape) != tuple(output.shape):
        raise ValueError(f"Arguments `target` and `output` must have the {what}. Received: "
                         f"target.shape={target.shape}, output.shape={output.shape}")


# Keras's ``_keras_logits``: the outputs of Keras's own sigmoid/softmax remember their logits,
# and a cross-entropy given such an output takes the stable path from the logits instead.
# Tensors have no attribute slots, so the note is kept here, by identity, until the output dies.
_LOGITS = {}


def _remember_logits(output, logits, op_type):
    """Note that ``output`` is ``op_type`` (``'Sigmoid'``/``'Softmax'``) of ``logits``."""
    key = id(output)
    _LOGITS[key] = (weakref.ref(output, lambda _, key=key: _LOGITS.pop(key, None)), logits,
                    op_type)
    return output


def _get_logits(output, from_logits, op_type, fn_name):
    entry = _LOGITS.get(id(output))
    if entry is None or entry[0]() is not output or entry[2] != op_type:
        return output, from_logits
    if from_logits:
        warnings.warn(f'"`{fn_name}` received `from_logits=True`, but the `output` argument was '
                      f"produced by a {op_type} activation and thus does not represent logits. "
                      "Was this intended?", stacklevel=3)
    return entry[1], True


def _binary_crossentropy(target, output, from_logits):
    _same_shape(target, output)
    output, from_logits = _get_logits(output, from_logits, "Sigmoid", "binary_crossentropy")
    if from_logits:
        return nn_ops.sigmoid_cross_entropy_with_logits(labels=target, logits=output)
    output = _clip(output, EPSILON, 1.0 - EPSILON)
    bce = target * tfmath.log(output)
    bce = bce + (1 - target) * tfmath.log(1 - output)
    return -bce


def _smooth(y_true, label_smoothing, num_classes=None):
    if not label_smoothing:
        return y_true
    if num_classes is None:
        return y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    return y_true * (1.0 - label_smoothing) + label_smoothing / num_classes


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    y_true, y_pred = _pair(y_true, y_pred)
    y_true = _smooth(y_true, label_smoothing)
    return _mean(_binary_crossentropy(y_true, y_pred, from_logits), axis)


def binary_focal_crossentropy(y_true, y_pred, apply_class_balancing=False, alpha=0.25, gamma=2.0,
                              from_logits=False, label_smoothing=0.0, axis=-1):
    y_true, y_pred = _pair(y_true, y_pred)
    y_true = _smooth(y_true, label_smoothing)
    if from_logits:  # Keras's sigmoid remembers the logits: the cross-entropy uses them
        y_pred = _remember_logits(tfmath.sigmoid(y_pred), y_pred, "Sigmoid")
    bce = _binary_crossentropy(y_true, y_pred, False)
    p_t = y_true * y_pred + (1 - y_true) * (1 - y_pred)
    focal_bce = tfmath.pow(1.0 - p_t, gamma) * bce
    if apply_class_balancing:
        focal_bce = (y_true * alpha + (1 - y_true) * (1 - alpha)) * focal_bce
    return _mean(focal_bce, axis)


def _check_axis(axis):
    if isinstance(axis, bool):
        raise ValueError(f"`axis` must be of type `int`. Received: axis={axis} of type "
                         f"{type(axis)}")


def _categorical(name, y_true, y_pred, label_smoothing, axis):
    """The common start of the categorical losses: checks, the one-class warning, smoothing."""
    _check_axis(axis)
    y_true, y_pred = _pair(y_true, y_pred)
    if y_pred.shape[-1] == 1:
        warnings.warn(
            f"In loss {name}, expected y_pred.shape to be (batch_size, "
            f"num_classes) with num_classes > 1. Received: y_pred.shape={y_pred.shape}. "
            "Consider using 'binary_crossentropy' if you only have 2 classes.", SyntaxWarning,
            stacklevel=3)
    if label_smoothing:
        num_classes = array_ops.cast(y_true.shape[-1], y_pred.dtype)
        y_true = _smooth(y_true, label_smoothing, num_classes)
    return y_true, y_pred


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    y_true, y_pred = _categorical("categorical_crossentropy", y_true, y_pred, label_smoothing,
                                  axis)
    if y_true.ndim < 1:
        raise ValueError("Arguments `target` and `output` must be at least rank 1. Received: "
                         f"target.shape={y_true.shape}, output.shape={y_pred.shape}")
    _same_shape(y_true, y_pred)
    y_pred, from_logits = _get_logits(y_pred, from_logits, "Softmax", "categorical_crossentropy")
    if from_logits:
        return nn_ops.softmax_cross_entropy_with_logits(labels=y_true, logits=y_pred, axis=axis)
    output = y_pred / _sum(y_pred, axis, keepdims=True)
    output = _clip(output, EPSILON, 1.0 - EPSILON)
    return -_sum(y_true * tfmath.log(output), axis)


def categorical_focal_crossentropy(y_true, y_pred, alpha=0.25, gamma=2.0, from_logits=False,
                                   label_smoothing=0.0, axis=-1):
    y_true, y_pred = _categorical("categorical_focal_crossentropy", y_true, y_pred,
                                  label_smoothing, axis)
    if from_logits:
        y_pred = nn_ops.softmax(y_pred, axis=axis)
    output = y_pred / _sum(y_pred, axis, keepdims=True)
    output = _clip(output, EPSILON, 1.0 - EPSILON)
    cce = -y_true * tfmath.log(output)
    focal = tfmath.pow(1.0 - output, gamma) * alpha * cce
    return _sum(focal, axis)


def dice(y_true, y_pred, axis=None):
    y_true, y_pred = _pair(y_true, y_pred)
    intersection = _sum(y_true * y_pred, axis)
    return 1 - (2.0 * intersection) / (_sum(y_true, axis) + _sum(y_pred, axis) + EPSILON)


def tversky(y_true, y_pred, alpha=0.5, beta=0.5, axis=None):
    y_true, y_pred = _pair(y_true, y_pred)
    intersection = _sum(y_true * y_pred, axis)
    fp = _sum((1 - y_pred) * y_true, axis)
    fn = _sum(y_pred * (1 - y_true), axis)
    return 1 - intersection / (intersection + fp * alpha + fn * beta + EPSILON)


def categorical_generalized_cross_entropy(y_true, y_pred, q):
    y_pred = convert_to_tensor(y_pred)
    one_hot = index_ops.one_hot(array_ops.cast(convert_to_tensor(y_true), dtypes.int64),
                                y_pred.shape[-1], dtype=y_pred.dtype)
    p = _sum(y_pred * one_hot)
    return (1 - tfmath.pow(p, q)) / q


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None,
                                    axis=-1):
    return _sparse_categorical_crossentropy(y_true, y_pred, from_logits, ignore_class, axis)[0]


def _sparse_categorical_crossentropy(y_true, y_pred, from_logits, ignore_class, axis):
    """The per-example losses and, with ``ignore_class``, the mask of the counted ones."""
    y_true, y_pred = convert_to_tensor(y_true), convert_to_tensor(y_pred)
    if y_true.ndim == y_pred.ndim and y_true.shape[axis] == 1:
        y_true = array_ops.squeeze(y_true, axis)
    valid = None
    if ignore_class is not None:
        valid = math_ops.not_equal(y_true, array_ops.cast(ignore_class, y_true.dtype))
        y_true = math_ops.where(valid, y_true, array_ops.zeros_like(y_true))
        y_pred = math_ops.where(array_ops.expand_dims(valid, axis), y_pred,
                                array_ops.zeros_like(y_pred))
    if axis != -1 and axis != y_pred.ndim - 1:
        raise ValueError(f"Only axis=-1 is currently supported. Received: axis={axis}")
    target = array_ops.cast(y_true, dtypes.int64)
    if target.ndim == y_pred.ndim and target.shape[-1] == 1:
        target = array_ops.squeeze(target, -1)
    if y_pred.ndim < 1:
        raise ValueError("Argument `output` must be at least rank 1. Received: "
                         f"output.shape={y_pred.shape}")
    if target.ndim != y_pred.ndim - 1:
        raise ValueError("Argument `output` must have rank (ndim) `target.ndim - 1`. Received: "
                         f"target.shape={target.shape}, output.shape={y_pred.shape}")
    if tuple(target.shape) != tuple(y_pred.shape[:-1]):
        raise ValueError("Arguments `target` and `output` must have the same shape up until "
                         f"the last dimension: target.shape={target.shape}, "
                         f"output.shape={y_pred.shape}")
    y_pred, from_logits = _get_logits(y_pred, from_logits, "Softmax",
                                      "sparse_categorical_crossentropy")
    logits = y_pred if from_logits else tfmath.log(_clip(y_pred, EPSILON, 1 - EPSILON))
    res = nn_ops.sparse_softmax_cross_entropy_with_logits(labels=target, logits=logits)
    if valid is not None:
        res = math_ops.where(valid, res, array_ops.zeros_like(res))
    return res, valid


# --- reductions ------------------------------------------------------------------------------
class Reduction:
    """``tf.keras.losses.Reduction``: the reduction names (``AUTO`` is legacy Keras's)."""

    AUTO = "auto"
    NONE = "none"
    SUM = "sum"
    SUM_OVER_BATCH_SIZE = "sum_over_batch_size"

    @classmethod
    def all(cls):
        return (cls.AUTO, cls.NONE, cls.SUM, cls.SUM_OVER_BATCH_SIZE)

    @classmethod
    def validate(cls, key):
        if key not in cls.all():
            raise ValueError(f'Invalid Reduction Key: {key}. Expected keys are "{cls.all()}"')


def _standardize_reduction(reduction):
    if reduction not in _REDUCTIONS:
        raise ValueError("Invalid value for argument `reduction`. Expected one of "
                         f"{_REDUCTIONS}. Received: reduction={reduction}")
    return reduction


def reduce_weighted_values(values, sample_weight=None, mask=None,
                           reduction="sum_over_batch_size", dtype=None):
    """Weight by ``sample_weight`` (and a mask), then sum or average as ``reduction`` says."""
    reduction = _standardize_reduction(reduction)
    values = _as(values, dtype or "float32")
    if sample_weight is not None:
        sample_weight = _as(sample_weight, values.dtype)
    if mask is not None:
        mask = array_ops.cast(mask, values.dtype)
        if reduction in ("mean", "sum_over_batch_size"):
            total = array_ops.cast(array_ops.size(mask), values.dtype)
            mask = mask * special_ops.divide_no_nan(total, reduction_ops.reduce_sum(mask))
        if sample_weight is not None:
            mask, sample_weight = squeeze_or_expand_to_same_rank(mask, sample_weight)
            sample_weight = sample_weight * mask
        else:
            sample_weight = mask
    if sample_weight is not None:
        sample_weight = array_ops.cast(sample_weight, values.dtype)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        values = values * sample_weight
    if reduction in (None, "none") or values.ndim == 0 or tuple(values.shape) == (0,):
        return values
    loss = reduction_ops.reduce_sum(values)
    if reduction == "sum":
        return loss
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        divisor = array_ops.cast(reduction_ops.reduce_sum(sample_weight), loss.dtype)
    else:
        divisor = array_ops.cast(array_ops.size(values), loss.dtype)
    return scale_loss_for_distribution(special_ops.divide_no_nan(loss, divisor))


def _replicas():
    strategy = replica.current_strategy()  # in a strategy's scope or replica, else the default
    return 1 if strategy is None else strategy.num_replicas_in_sync


def scale_loss_for_distribution(value):
    """A loss averaged over one replica's batch, as a share of the global batch's (divided by
    the replicas in sync, as Keras on TF does, so that the replicas' summed gradients are the
    global batch's)."""
    n = _replicas()
    return value if n == 1 else value * array_ops.cast(1.0 / n, value.dtype)


def unscale_loss_for_distribution(value):
    n = _replicas()
    return value if n == 1 else value * array_ops.cast(n, value.dtype)


# --- classes ---------------------------------------------------------------------------------
class Loss:
    """The base class: ``loss(y_true, y_pred, sample_weight=None)`` calls ``call`` and reduces."""

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        self.name = name or auto_name(type(self).__name__)
        self.reduction = _standardize_reduction(reduction)
        self._dtype = dtypes.as_dtype(dtype or "float32").name

    @property
    def dtype(self):
        return self._dtype

    def __call__(self, y_true, y_pred, sample_weight=None):
        y_pred = _as(y_pred, self._dtype)
        y_true = _as(y_true, self._dtype)
        self._mask = None
        losses = self.call(y_true, y_pred)
        return reduce_weighted_values(losses, sample_weight=sample_weight, mask=self._mask,
                                      reduction=self.reduction, dtype=self._dtype)

    def call(self, y_true, y_pred):
        raise NotImplementedError

    def get_config(self):
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class LossFunctionWrapper(Loss):
    """A loss function as a ``Loss``, with its keyword arguments fixed."""

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self):
        return dict(super().get_config(), fn=_registry.serialize_function(self.fn),
                    **self._fn_kwargs)

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if "fn" in config:
            config["fn"] = _registry.function_from_config(config["fn"], _OBJECTS)
        return cls(**config)

    def __repr__(self):
        return f"<LossFunctionWrapper({self.fn}, kwargs={self._fn_kwargs})>"


def _wrapper(fn, default_name, doc, **defaults):
    """A ``LossFunctionWrapper`` subclass for ``fn`` whose keyword arguments default as in Keras."""

    def __init__(self, *args, reduction="sum_over_batch_size", name=default_name, dtype=None,
                 **kwargs):
        params = dict(defaults)
        for key, value in zip(defaults, args):
            params[key] = value
        unknown = set(kwargs) - set(defaults)
        if unknown:
            raise TypeError(f"__init__() got an unexpected keyword argument '{unknown.pop()}'")
        params.update(kwargs)
        LossFunctionWrapper.__init__(self, fn, reduction=reduction, name=name, dtype=dtype,
                                     **params)
        for key, value in params.items():
            setattr(self, key, value)

    return __init__, doc


def _loss_class(class_name, fn, default_name, doc, config=(), **defaults):
    """The class of a loss function; its config lists the ``config`` arguments (Keras's
    choice: ``Huber``'s leaves out ``delta``)."""
    init, doc = _wrapper(fn, default_name, doc, **defaults)

    def get_config(self):
        return dict(Loss.get_config(self), **{key: getattr(self, key) for key in config})

    return type(class_name, (LossFunctionWrapper,),
                {"__init__": init, "__doc__": doc, "__module__": __name__,
                 "get_config": get_config, "from_config": classmethod(Loss.from_config.__func__)})


MeanSquaredError = _loss_class("MeanSquaredError", mean_squared_error, "mean_squared_error",
                               "The mean of ``(y_true - y_pred)²`` over the last axis.")
MeanAbsoluteError = _loss_class("MeanAbsoluteError", mean_absolute_error, "mean_absolute_error",
                                "The mean of ``|y_true - y_pred|`` over the last axis.")
MeanAbsolutePercentageError = _loss_class(
    "MeanAbsolutePercentageError", mean_absolute_percentage_error,
    "mean_absolute_percentage_error", "``100 * mean(|(y_true - y_pred) / y_true|)``.")
MeanSquaredLogarithmicError = _loss_class(
    "MeanSquaredLogarithmicError", mean_squared_logarithmic_error,
    "mean_squared_logarithmic_error", "The mean of ``(log(y_pred + 1) - log(y_true + 1))²``.")
CosineSimilarity = _loss_class("CosineSimilarity", cosine_similarity, "cosine_similarity",
                               "Minus the cosine of the angle between labels and predictions.",
                               axis=-1)
Huber = _loss_class("Huber", huber, "huber_loss",
                    "Quadratic for errors up to ``delta``, linear beyond.", delta=1.0)
LogCosh = _loss_class("LogCosh", log_cosh, "log_cosh", "The mean of ``log(cosh(error))``.")
Hinge = _loss_class("Hinge", hinge, "hinge", "The mean of ``max(1 - y_true * y_pred, 0)``.")
SquaredHinge = _loss_class("SquaredHinge", squared_hinge, "squared_hinge",
                           "The mean of ``max(1 - y_true * y_pred, 0)²``.")
CategoricalHinge = _loss_class("CategoricalHinge", categorical_hinge, "categorical_hinge",
                               "``max(max(neg) - pos + 1, 0)`` over the classes.")
KLDivergence = _loss_class("KLDivergence", kl_divergence, "kl_divergence",
                           "``sum(y_true * log(y_true / y_pred))`` over the last axis.")
Poisson = _loss_class("Poisson", poisson, "poisson",
                      "The mean of ``y_pred - y_true * log(y_pred)``.")
BinaryCrossentropy = _loss_class(
    "BinaryCrossentropy", binary_crossentropy, "binary_crossentropy",
    "Cross-entropy of 0/1 labels against probabilities (or logits).",
    config=("from_logits", "label_smoothing", "axis"),
    from_logits=False, label_smoothing=0.0, axis=-1)
BinaryFocalCrossentropy = _loss_class(
    "BinaryFocalCrossentropy", binary_focal_crossentropy, "binary_focal_crossentropy",
    "Binary cross-entropy scaled by ``(1 - p_t) ** gamma``.",
    config=("from_logits", "label_smoothing", "axis", "apply_class_balancing", "alpha", "gamma"),
    apply_class_balancing=False,
    alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1)
CategoricalCrossentropy = _loss_class(
    "CategoricalCrossentropy", categorical_crossentropy, "categorical_crossentropy",
    "Cross-entropy of one-hot labels against class probabilities (or logits).",
    config=("from_logits", "label_smoothing", "axis"),
    from_logits=False, label_smoothing=0.0, axis=-1)


CategoricalFocalCrossentropy = _loss_class(
    "CategoricalFocalCrossentropy", categorical_focal_crossentropy,
    "categorical_focal_crossentropy", "Categorical cross-entropy scaled by "
    "``alpha * (1 - p) ** gamma``.",
    config=("from_logits", "label_smoothing", "axis", "alpha", "gamma"),
    alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1)
Dice = _loss_class("Dice", dice, "dice", "``1 - 2|y_true·y_pred| / (|y_true| + |y_pred|)``.",
                   config=("axis",), axis=None)
Tversky = _loss_class("Tversky", tversky, "tversky",
                      "Dice with false positives and false negatives weighed by alpha and beta.",
                      config=("alpha", "beta", "axis"), alpha=0.5, beta=0.5, axis=None)


class CategoricalGeneralizedCrossEntropy(LossFunctionWrapper):
    """``(1 - p ** q) / q`` of the probability ``p`` given to the integer label."""

    def __init__(self, q=0.5, reduction="sum_over_batch_size",
                 name="categorical_generalized_cross_entropy", dtype=None):
        if not 0 < q < 1:
            raise ValueError("q must be in the interval (0, 1)")
        super().__init__(categorical_generalized_cross_entropy, name=name, reduction=reduction,
                         dtype=dtype, q=q)
        self.q = q

    def get_config(self):
        return dict(Loss.get_config(self), q=self.q)

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """Cross-entropy of integer labels; ``ignore_class`` leaves a label out of the average."""

    def __init__(self, from_logits=False, ignore_class=None, reduction="sum_over_batch_size",
                 axis=-1, name="sparse_categorical_crossentropy", dtype=None):
        super().__init__(sparse_categorical_crossentropy, name=name, reduction=reduction,
                         dtype=dtype, from_logits=from_logits, ignore_class=ignore_class,
                         axis=axis)
        self.from_logits = from_logits
        self.ignore_class = ignore_class

    def get_config(self):
        return dict(Loss.get_config(self), from_logits=self.from_logits,
                    ignore_class=self.ignore_class)

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def call(self, y_true, y_pred):
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        k = self._fn_kwargs
        res, self._mask = _sparse_categorical_crossentropy(
            y_true, y_pred, k["from_logits"], k["ignore_class"], k["axis"])
        return res


_FUNCTIONS = [mean_squared_error, mean_absolute_error, mean_absolute_percentage_error,
              mean_squared_logarithmic_error, cosine_similarity, huber, log_cosh, hinge,
              squared_hinge, categorical_hinge, kl_divergence, poisson, binary_crossentropy,
              binary_focal_crossentropy, categorical_crossentropy,
              categorical_focal_crossentropy, dice, tversky, categorical_generalized_cross_entropy,
              sparse_categorical_crossentropy]
_CLASSES = [Loss, LossFunctionWrapper, MeanSquaredError, MeanAbsoluteError,
            MeanAbsolutePercentageError, MeanSquaredLogarithmicError, CosineSimilarity, Huber,
            LogCosh, Hinge, SquaredHinge, CategoricalHinge, KLDivergence, Poisson,
            BinaryCrossentropy, BinaryFocalCrossentropy, CategoricalCrossentropy,
            CategoricalFocalCrossentropy, Dice, Tversky, CategoricalGeneralizedCrossEntropy,
            SparseCategoricalCrossentropy]
_OBJECTS = {o.__name__: o for o in _FUNCTIONS + _CLASSES}
_OBJECTS.update({"bce": binary_crossentropy, "BCE": binary_crossentropy, "kld": kl_divergence,
                 "KLD": kl_divergence, "mae": mean_absolute_error, "MAE": mean_absolute_error,
                 "mse": mean_squared_error, "MSE": mean_squared_error,
                 "mape": mean_absolute_percentage_error, "MAPE": mean_absolute_percentage_error,
                 "msle": mean_squared_logarithmic_error, "MSLE": mean_squared_logarithmic_error})
# Keras's other spellings of the same functions.
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh
huber_loss = huber


def serialize(loss):
    return _registry.serialize(loss, "keras.losses")


def deserialize(config, custom_objects=None):
    return _registry.deserialize(_OBJECTS, config, custom_objects, "loss")


def get(identifier):
    """A loss from a name, a config dict or a callable (Keras's ``get``)."""
    return _registry.get(_OBJECTS, identifier, "loss")
