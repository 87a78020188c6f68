"""``ScheduleFreeAdamW`` (Keras 3.15; Defazio et al., 2024): no learning-rate schedule; the
weights are an interpolation between the sequence the Adam steps move (the ``momentum`` slot)
and its running average."""

import numpy as np

from .base import Optimizer
from .schedules import libm


class ScheduleFreeAdamW(Optimizer):
    """``v`` as Adam's; ``z -= lr·g / (√(v / (1 - b2^t)) + eps)``; the average
    ``x = (1 - 1/t)·x + z/t``, ``x`` read back from the weights ``y = (1 - b1)·z + b1·x`` (with
    the new ``z``, as Keras's step reads it); the weights become the new ``y``.
    ``warmup_steps`` ramps the learning rate up."""

    def __init__(self, learning_rate=0.0025, beta_1=0.9, beta_2=0.999, epsilon=1e-8,
                 warmup_steps=0, weight_decay=None, **kwargs):
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay, **kwargs)
        self.beta_1, self.beta_2 = beta_1, beta_2
        self.epsilon, self.warmup_steps = epsilon, warmup_steps

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(
            var_list, ["momentum", "velocity"])
        for z, var in zip(self._momentums, var_list):  # the sequence starts at the weights
            z.assign(var)

    def _slot_lists(self):
        return self._momentums, self._velocities

    def _constants(self, t, lr):
        step = t(self._steps_done() + 1)
        if self.warmup_steps > 0:
            lr = lr * np.minimum(step / t(self.warmup_steps), t(1))
        b1, b2 = t(self.beta_1), t(self.beta_2)
        correction = t(1) - libm(np.power, t, b2, step)
        weight = t(1) / step
        return lr, correction, t(1) - b2, t(self.epsilon), b1, t(1) - b1, weight, t(1) - weight

    def _rule(self, g, w, slots, c):
        lr, correction, c2, eps, b1, c1, weight, keep = c
        z, v = slots
        v += (g * g - v) * c2
        z -= (lr * g) / (np.sqrt(v / correction) + eps)
        x_old = (w - c1 * z) / b1  # Keras reads the slot after its update here, as TF runs it
        x_new = keep * x_old + weight * z
        w[...] = c1 * z + b1 * x_new

    def get_config(self):
        return dict(super().get_config(), beta_1=self.beta_1, beta_2=self.beta_2,
                    epsilon=self.epsilon, warmup_steps=self.warmup_steps)
