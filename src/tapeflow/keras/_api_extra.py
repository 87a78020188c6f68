"""Names TF 2.21's ``tf.keras`` namespaces have that their implementation modules lack, grouped
per namespace; keras/_public.py looks names up here after the implementation module.

- ``keras.metrics`` re-exports the loss functions (``binary_crossentropy``, ``KLD``...): the
  metrics face finds them in ``keras.losses``.
- ``keras.losses.ctc`` / ``CTC``: the CTC loss of integer labels (0 is the blank) and logits.
- ``keras.initializers`` / ``keras.constraints``: aliases and ``deserialize``.
"""

from . import constraints as _constraints
from . import initializers as _initializers
from . import losses as _losses


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


def _constraints_deserialize(config, custom_objects=None):
    return _constraints.get(config)


SOURCES = {
    "metrics": {name: getattr(_losses, name) for name in (
        "KLD", "MAPE", "MSLE", "binary_crossentropy", "binary_focal_crossentropy",
        "categorical_crossentropy", "categorical_focal_crossentropy", "categorical_hinge",
        "hinge", "huber", "kld", "kullback_leibler_divergence", "logcosh", "mape", "msle",
        "poisson", "sparse_categorical_crossentropy", "squared_hinge")},
    "losses": {"ctc": ctc, "CTC": CTC},
    "initializers": {"IdentityInitializer": _initializers.Identity,
                     "OrthogonalInitializer": _initializers.Orthogonal,
                     "variance_scaling": _initializers.VarianceScaling},
    "constraints": {"deserialize": _constraints_deserialize},
}
