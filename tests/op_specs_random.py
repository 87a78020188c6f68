"""Op-table rows for the differentiable parts of tapeflow/ops/random_extra_ops.py (collected
by op_specs.py): the sampled losses with fixed samples."""

import numpy as np

import tapeflow as tf
from tapeflow.engine.core import apply
from tapeflow.ops.random_extra_ops import RANDOM_GAMMA

from op_spec_base import OpSpec, uniform

_LABELS = tf.constant([[1], [3]], tf.int64)


def _sampled(dtype):
    """Fixed samples (so the loss is a deterministic function) in the weights' dtype."""
    return (tf.constant([0, 4], tf.int64), tf.constant([[0.2], [0.3]], dtype),
            tf.constant([0.25, 0.1], dtype))


SPECS = [
    OpSpec("sampled_softmax_loss", lambda w, b, x: tf.nn.sampled_softmax_loss(
        w, b, _LABELS, x, 2, 6, sampled_values=_sampled(w.dtype)), [((6, 2), (6,), (2, 2))]),
    OpSpec("nce_loss", lambda w, b, x: tf.nn.nce_loss(
        w, b, _LABELS, x, 2, 6, sampled_values=_sampled(w.dtype)), [((6, 2), (6,), (2, 2))]),
]


def _gamma_quantile(alpha, u):
    """x with P(alpha, x) = u, by bisection on tapeflow's igamma (float64)."""
    lo, hi = np.zeros_like(u), np.full_like(u, 50.0)
    for _ in range(80):
        mid = (lo + hi) / 2
        below = tf.math.igamma(tf.constant(alpha), tf.constant(mid)).numpy() < u
        lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
    return (lo + hi) / 2


def _reparameterized_gamma(alpha):
    """RandomGamma with an inverse-CDF sample of fixed uniforms: its value moves with alpha the
    way the reparameterization gradient says, so finite differences can check that rule."""
    sample = _gamma_quantile(np.asarray(alpha), np.array([0.3, 0.6, 0.8]))
    return apply(RANDOM_GAMMA, (alpha, tf.constant(sample)), {})


SPECS += [
    OpSpec("random_gamma_alpha", _reparameterized_gamma, [((3,),)], draw=uniform(0.8, 3.0),
           order=1),
    OpSpec("igamma_a", lambda a: tf.math.igamma(a, tf.constant([0.5, 1.5, 4.0], tf.float64)),
           [((3,),)], draw=uniform(0.7, 3.0), order=1),
    OpSpec("igammac_a", lambda a: tf.math.igammac(a, tf.constant([0.5, 1.5, 4.0], tf.float64)),
           [((3,),)], draw=uniform(0.7, 3.0), order=1),
]
