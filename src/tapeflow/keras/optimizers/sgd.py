"""``SGD`` (momentum, Nesterov) and ``Lion``: the optimizers with one slot or none."""

import numpy as np

from .base import Optimizer


class SGD(Optimizer):
    """``w -= lr * g``; with momentum ``m = momentum * m - lr * g; w += m`` (Nesterov: the
    look-ahead ``w += momentum * m - lr * g``)."""

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        if not isinstance(momentum, float) or momentum < 0 or momentum > 1:
            raise ValueError("`momentum` must be a float between [0, 1].")
        self.momentum = momentum
        self.nesterov = nesterov

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.momentums = []
        if self.momentum != 0:
            self.momentums = self.add_optimizer_variables(variables, "momentum")

    @property
    def _mismatch(self):
        return ("Sub", False, "") if self.momentum else ("AssignSubVariableOp", None, "")

    def _constants(self, t, lr):
        return lr, t(self.momentum)

    def _slot_lists(self):
        return (self.momentums,)

    def _rule(self, g, w, slots, c):
        lr, momentum = c
        (m,) = slots
        step = np.multiply(g, lr)
        if m is None:
            w -= step
            return
        m *= momentum
        m -= step
        if self.nesterov:
            w += m * momentum - step
        else:
            w += m

    def get_config(self):
        return dict(super().get_config(), momentum=self.momentum, nesterov=self.nesterov)


class Lion(Optimizer):
    """``w -= lr * sign(beta_1 * m + (1 - beta_1) * g)``, then
    ``m = beta_2 * m + (1 - beta_2) * g``."""

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.99, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        if beta_1 <= 0 or beta_1 > 1:
            raise ValueError("Argument `beta_1` must be in the [0, 1] range. Otherwise, the "
                             f"optimizer degenerates to SignSGD. Received: beta_1={beta_1}.")

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._momentums = self.add_optimizer_variables(var_list, "momentum")

    _mismatch = ("AddV2", False, "")

    def _constants(self, t, lr):
        b1, b2 = t(self.beta_1), t(self.beta_2)
        return lr, b1, t(1) - b1, b2, t(1) - b2

    def _slot_lists(self):
        return (self._momentums,)

    def _rule(self, g, w, slots, c):
        lr, b1, c1, b2, c2 = c
        (m,) = slots
        w -= lr * np.sign(m * b1 + g * c1)
        m *= b2
        m += g * c2

    def get_config(self):
        return dict(super().get_config(), beta_1=self.beta_1, beta_2=self.beta_2)
