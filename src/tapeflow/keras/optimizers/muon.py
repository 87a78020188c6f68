"""``Muon`` (Keras 3.15): 2-D weights step along their momentum orthogonalized by a quintic
Newton-Schulz iteration; every other weight (biases, embeddings, excluded layers) by AdamW."""

import re

import numpy as np

from .base import Optimizer
from .schedules import libm


class Muon(Optimizer):
    """Matrices: ``m = momentum·m + g``, the step ``NS5(g + momentum·m)`` (Nesterov) scaled by
    ``√max(rows, cols)·rms_rate``. The rest: Adam with ``lr·adam_lr_ratio``. Decoupled weight
    decay, ``adam_weight_decay`` for the AdamW ones."""

    _fusable = False  # two rules, by the variable's shape

    def __init__(self, learning_rate=0.001, adam_beta_1=0.9, adam_beta_2=0.999,
                 adam_weight_decay=0.004, epsilon=1e-7, weight_decay=0.004, clipnorm=None,
                 clipvalue=None, global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, exclude_layers=None,
                 exclude_embeddings=True, muon_a=3.4445, muon_b=-4.7750, muon_c=2.0315,
                 adam_lr_ratio=1, momentum=0.95, ns_steps=5, nesterov=True, rms_rate=0.2,
                 **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue, global_clipnorm=global_clipnorm,
                         use_ema=use_ema, ema_momentum=ema_momentum,
                         ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name,
                         **kwargs)
        self.adam_beta_1, self.adam_beta_2, self.epsilon = adam_beta_1, adam_beta_2, epsilon
        self.muon_a, self.muon_b, self.muon_c = muon_a, muon_b, muon_c
        self.adam_lr_ratio, self.momentum, self.ns_steps = adam_lr_ratio, momentum, ns_steps
        self.nesterov, self.exclude_embeddings = nesterov, exclude_embeddings
        self.exclude_layers = exclude_layers or []
        self.adam_weight_decay, self.rms_rate = adam_weight_decay, rms_rate

    def _uses_adamw(self, variable):
        """Whether ``variable`` steps by AdamW: not a matrix, an embedding, an excluded layer."""
        if len(variable.shape) != 2:
            return True
        path = getattr(variable, "path", None) or variable.name
        if self.exclude_embeddings and "embedding" in path.lower():
            return True
        return any(re.search(keyword, path) for keyword in self.exclude_layers)

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._momentums, self._velocities = [], []
        for var in var_list:  # Keras's order: each variable's momentum, then its velocity
            self._momentums.append(self.add_variable_from_reference(var, "momentum"))
            self._velocities.append(self.add_variable_from_reference(var, "velocity")
                                    if self._uses_adamw(var) else None)

    def _slot_lists(self):
        return self._momentums, self._velocities

    def _constants(self, t, lr):
        step = t(self._steps_done() + 1)
        adam_lr = lr * t(self.adam_lr_ratio)
        b1_power = libm(np.power, t, t(self.adam_beta_1), step)
        b2_power = libm(np.power, t, t(self.adam_beta_2), step)
        alpha = adam_lr * np.sqrt(t(1) - b2_power) / (t(1) - b1_power)
        return lr, alpha

    def _rule(self, g, w, slots, c):
        lr, alpha = c
        m, v = slots
        t = w.dtype.type
        if v is not None:  # AdamW
            m += (g - m) * t(1 - self.adam_beta_1)
            v += (g * g - v) * t(1 - self.adam_beta_2)
            w -= (m * alpha) / (np.sqrt(v) + t(self.epsilon))
            return
        m += g + m * t(self.momentum - 1)
        direction = g + t(self.momentum) * m if self.nesterov else m
        step = lr * self._orthogonalized(direction)
        if self.rms_rate is not None:  # Moonlight's scale: Adam's learning rates carry over
            step = step * np.sqrt(t(max(w.shape))) * t(self.rms_rate)
        w -= step

    def _orthogonalized(self, x):
        """Keras's quintic Newton-Schulz iteration: ``x`` scaled to spectral norm at most 1,
        then ``ns_steps`` times ``a·x + (b·A + c·A·A)·x`` with ``A = x·xᵀ`` (on the wide way
        round)."""
        t = x.dtype.type
        tall = x.shape[-2] > x.shape[-1]
        if tall:
            x = np.swapaxes(x, -1, -2)
        x = x / (np.sqrt(np.sum(x * x, axis=(-2, -1), keepdims=True)) + t(1e-7))
        a, b, c = t(self.muon_a), t(self.muon_b), t(self.muon_c)
        for _ in range(self.ns_steps):
            gram = x @ np.swapaxes(x, -1, -2)
            x = a * x + (b * gram + (c * gram) @ gram) @ x
        return np.swapaxes(x, -1, -2) if tall else x

    def _apply_weight_decay(self, variables, lr):
        for var in variables:
            if not self._use_weight_decay(var):
                continue
            uses_adamw = self._velocities[self._index[var._handle.id]] is not None  # (build's)
            decay = self.adam_weight_decay if uses_adamw else self.weight_decay
            if decay is None:
                continue
            w = var._handle.value
            t = w.dtype.type
            var.assign(w - w * t(decay) * np.asarray(lr, w.dtype)[()])

    def get_config(self):
        return dict(super().get_config(), adam_beta_1=self.adam_beta_1,
                    adam_beta_2=self.adam_beta_2, epsilon=self.epsilon,
                    exclude_layers=self.exclude_layers, muon_a=self.muon_a, muon_b=self.muon_b,
                    muon_c=self.muon_c, adam_lr_ratio=self.adam_lr_ratio,
                    momentum=self.momentum, ns_steps=self.ns_steps, nesterov=self.nesterov,
                    exclude_embeddings=self.exclude_embeddings,
                    adam_weight_decay=self.adam_weight_decay, rms_rate=self.rms_rate)
