"""Names TF 2.21's ``tf.keras`` namespaces have that their implementation modules lack, grouped
per namespace; keras/_public.py looks names up here after the implementation module.

- ``keras.metrics`` re-exports the loss functions (``binary_crossentropy``, ``KLD``...): the
  metrics face finds them in ``keras.losses``.
- ``keras.losses.ctc`` / ``CTC``: the CTC loss of integer labels (0 is the blank) and logits.
- ``keras.losses.circle`` / ``Circle``: the Circle loss of L2-normalized embeddings.
- ``keras.regularizers.OrthogonalRegularizer``: pushes rows (or columns) towards orthogonality.
- ``keras.initializers`` / ``keras.constraints``: aliases and ``deserialize``.
"""

import numpy as _np

from . import constraints as _constraints
from . import initializers as _initializers
from . import losses as _losses
from . import regularizers as _regularizers


def ctc(y_true, y_pred):
    """CTC loss of ``(batch, max_length)`` integer labels (0 = blank/padding) and
    ``(batch, steps, classes)`` logits, per sample."""
    from . import ops
    if len(ops.shape(y_true)) != 2:
        raise ValueError("Targets `y_true` are expected to be a tensor of shape `(batch_size, "
                         f"max_length)` in integer format. Received: y_true.shape="
                         f"{ops.shape(y_true)}")
    if len(ops.shape(y_pred)) != 3:
        raise ValueError("Logits `y_pred` are expected to be a tensor of shape `(batch_size, "
                         f"max_length, num_classes)`. Received: y_pred.shape="
                         f"{ops.shape(y_pred)}")
    batch, steps = ops.shape(y_pred)[:2]
    label_length = ops.cast(ops.sum(ops.not_equal(y_true, 0), axis=-1), "int32")
    return ops.ctc_loss(y_true, y_pred, label_length, ops.full((batch,), steps, "int32"),
                        mask_index=0)


class CTC(_losses.LossFunctionWrapper):
    """``ctc`` as a ``Loss``."""

    def __init__(self, reduction="sum_over_batch_size", name="ctc", dtype=None):
        super().__init__(ctc, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return _losses.Loss.get_config(self)


def circle(y_true, y_pred, ref_labels=None, ref_embeddings=None, remove_diagonal=True,
           gamma=80, margin=0.4):
    """Circle loss per sample: with cosine distances ``d`` between ``y_pred`` and the reference
    embeddings, ``softplus(logsumexp over same-label pairs of -gamma (margin + d)+ (margin - d)
    + logsumexp over other pairs of gamma (1 + margin - d)+ (1 - margin - d))``."""
    from . import ops
    y_pred = ops.convert_to_tensor(y_pred)
    labels = ops.reshape(ops.cast(y_true, "int32"), (-1, 1))
    refs = y_pred if ref_embeddings is None else ops.convert_to_tensor(ref_embeddings)
    ref_labels = labels if ref_labels is None else ops.reshape(ops.cast(ref_labels, "int32"),
                                                               (-1, 1))
    distance = ops.maximum(1.0 - ops.matmul(y_pred, ops.transpose(refs)), 0.0)
    positive = ops.equal(labels, ops.transpose(ref_labels))
    negative = ops.logical_not(positive)
    if remove_diagonal:
        positive = ops.logical_and(positive, ops.logical_not(
            ops.eye(labels.shape[0], ref_labels.shape[0], dtype="bool")))
    pos_weight = ops.maximum((margin + distance) * ops.cast(positive, distance.dtype), 0.0)
    neg_weight = ops.maximum((1.0 + margin - distance) * ops.cast(negative, distance.dtype), 0.0)
    pos = ops.where(positive, -gamma * pos_weight * (margin - distance), float("-inf"))
    neg = ops.where(negative, gamma * neg_weight * (1.0 - margin - distance), float("-inf"))
    return ops.softplus(ops.logsumexp(pos, axis=1) + ops.logsumexp(neg, axis=1))


class Circle(_losses.LossFunctionWrapper):
    """``circle`` as a ``Loss``."""

    def __init__(self, gamma=80.0, margin=0.4, remove_diagonal=True,
                 reduction="sum_over_batch_size", name="circle", dtype=None):
        super().__init__(circle, name=name, reduction=reduction, dtype=dtype, gamma=gamma,
                         margin=margin, remove_diagonal=remove_diagonal)
        self.gamma, self.margin, self.remove_diagonal = gamma, margin, remove_diagonal

    def get_config(self):
        return dict(_losses.Loss.get_config(self), gamma=self.gamma, margin=self.margin,
                    remove_diagonal=self.remove_diagonal)


class OrthogonalRegularizer(_regularizers.Regularizer):
    """``factor`` times the mean absolute cosine similarity between distinct rows (``mode=
    "rows"``) or columns (``"columns"``) of a 2-D weight."""

    def __init__(self, factor=0.01, mode="rows"):
        if mode not in ("rows", "columns"):
            raise ValueError("Invalid value for argument `mode`. Expected one of "
                             f"{{'rows', 'columns'}}. Received: mode={mode}")
        self.factor, self.mode = float(_np.float32(factor)), mode  # float32, as Keras keeps it

    def __call__(self, x):
        from . import ops
        if len(x.shape) != 2:
            raise ValueError("Inputs to OrthogonalRegularizer must have rank 2. Received: "
                             f"inputs.shape={tuple(x.shape)}")
        vectors = ops.normalize(x if self.mode == "rows" else ops.transpose(x), axis=1)
        size = vectors.shape[0]
        similarity = ops.matmul(vectors, ops.transpose(vectors))
        off_diagonal = similarity * (1.0 - ops.eye(size, dtype=similarity.dtype))
        return self.factor * ops.sum(ops.abs(off_diagonal)) / (size * (size - 1.0))

    def get_config(self):
        return {"factor": self.factor, "mode": self.mode}


_regularizers._BY_NAME.update({"OrthogonalRegularizer": OrthogonalRegularizer,
                               "orthogonal_regularizer": OrthogonalRegularizer})


def _constraints_deserialize(config, custom_objects=None):
    return _constraints.get(config)


SOURCES = {
    "metrics": {name: getattr(_losses, name) for name in (
        "KLD", "MAPE", "MSLE", "binary_crossentropy", "binary_focal_crossentropy",
        "categorical_crossentropy", "categorical_focal_crossentropy", "categorical_hinge",
        "hinge", "huber", "kld", "kullback_leibler_divergence", "logcosh", "mape", "msle",
        "poisson", "sparse_categorical_crossentropy", "squared_hinge")},
    "losses": {"ctc": ctc, "CTC": CTC, "circle": circle, "Circle": Circle},
    "regularizers": {"OrthogonalRegularizer": OrthogonalRegularizer,
                     "orthogonal_regularizer": OrthogonalRegularizer},
    "initializers": {"IdentityInitializer": _initializers.Identity,
                     "OrthogonalInitializer": _initializers.Orthogonal,
                     "variance_scaling": _initializers.VarianceScaling},
    "constraints": {"deserialize": _constraints_deserialize},
}
