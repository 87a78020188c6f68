"""``RMSprop`` (momentum, centered), ``Adagrad``, ``Adadelta`` and ``Ftrl``."""

import numpy as np

from .base import Optimizer, writable


class RMSprop(Optimizer):
    """``v = rho·v + (1 - rho)·g²; w -= lr·g / √(v + eps)`` (centered: minus the squared mean
    gradient; with momentum: through a momentum slot)."""

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False,
                 **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.rho = rho
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._velocities = self.add_optimizer_variables(var_list, "velocity")
        self._momentums = []
        if self.momentum > 0:
            self._momentums = self.add_optimizer_variables(var_list, "momentum")
        self._average_gradients = []
        if self.centered:
            self._average_gradients = self.add_optimizer_variables(var_list, "average_gradient")

    _mismatch = ("AddV2", False, "")

    def _constants(self, t, lr):
        return lr, t(self.rho), t(1 - self.rho), t(self.epsilon), t(self.momentum)

    def _update(self, i, g, var, c):
        lr, rho, one_minus_rho, eps, momentum = c
        v = writable(self._velocities[i])
        w = writable(var)
        v[...] = rho * v + one_minus_rho * (g * g)
        if self.centered:
            a = writable(self._average_gradients[i])
            a[...] = rho * a + one_minus_rho * g
            den = v - a * a + eps
        else:
            den = v + eps
        increment = (lr * g) / np.sqrt(den)
        if self.momentum > 0:
            m = writable(self._momentums[i])
            m[...] = momentum * m + increment
            w -= m
        else:
            w -= increment

    def get_config(self):
        return dict(super().get_config(), rho=self.rho, momentum=self.momentum,
                    epsilon=self.epsilon, centered=self.centered)


class Adagrad(Optimizer):
    """``a += g²; w -= lr·g / √(a + eps)``, ``a`` starting at ``initial_accumulator_value``."""

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7,
                 **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._accumulators = self.add_optimizer_variables(
            var_list, "accumulator", initializer=self.initial_accumulator_value)

    _mismatch = ("AssignAddVariableOp", None, "")

    def _constants(self, t, lr):
        return lr, t(self.epsilon)

    def _update(self, i, g, var, c):
        lr, eps = c
        a = writable(self._accumulators[i])
        w = writable(var)
        a += g * g
        w -= (lr * g) / np.sqrt(a + eps)

    def get_config(self):
        return dict(super().get_config(), initial_accumulator_value=self.initial_accumulator_value,
                    epsilon=self.epsilon)


class Adadelta(Optimizer):
    """Zeiler's rule: the step is ``-√(E[Δ²] + eps) / √(E[g²] + eps) · g``, scaled by ``lr``."""

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.rho = rho
        self.epsilon = epsilon

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._accumulated_grads, self._accumulated_delta_vars = self.add_optimizer_variables(
            var_list, ["accumulated_grad", "accumulated_delta_var"])

    _mismatch = ("AddV2", False, "")

    def _constants(self, t, lr):
        return lr, t(self.rho), t(1 - self.rho), t(self.epsilon)

    def _update(self, i, g, var, c):
        lr, rho, one_minus_rho, eps = c
        ag = writable(self._accumulated_grads[i])
        ad = writable(self._accumulated_delta_vars[i])
        w = writable(var)
        ag[...] = rho * ag + one_minus_rho * (g * g)
        delta = -((np.sqrt(ad + eps) * g) / np.sqrt(ag + eps))
        ad[...] = rho * ad + one_minus_rho * (delta * delta)
        w += lr * delta

    def get_config(self):
        return dict(super().get_config(), rho=self.rho, epsilon=self.epsilon)


class Ftrl(Optimizer):
    """Follow-the-regularized-leader with L1, L2 and L2-shrinkage regularization."""

    def __init__(self, learning_rate=0.001, learning_rate_power=-0.5,
                 initial_accumulator_value=0.1, l1_regularization_strength=0.0,
                 l2_regularization_strength=0.0, l2_shrinkage_regularization_strength=0.0,
                 beta=0.0, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        for arg, value, word in (("initial_accumulator_value", initial_accumulator_value,
                                  "positive or zero"),
                                 ("learning_rate_power", -learning_rate_power,
                                  "negative or zero"),
                                 ("l1_regularization_strength", l1_regularization_strength,
                                  "positive or zero"),
                                 ("l2_regularization_strength", l2_regularization_strength,
                                  "positive or zero")):
            if value < 0.0:
                shown = -value if arg == "learning_rate_power" else value
                raise ValueError(f"`{arg}` needs to be {word}. Received: {arg}={shown}.")
        if l2_shrinkage_regularization_strength < 0.0:
            raise ValueError("`l2_shrinkage_regularization_strength` needs to be positive or "
                             "zero. Received: l2_shrinkage_regularization_strength"
                             f"={l2_shrinkage_regularization_strength}.")
        self.learning_rate_power = learning_rate_power
        self.initial_accumulator_value = initial_accumulator_value
        self.l1_regularization_strength = l1_regularization_strength
        self.l2_regularization_strength = l2_regularization_strength
        self.l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self.beta = beta

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._accumulators, self._linears = self.add_optimizer_variables(
            var_list, ["accumulator", "linear"],
            initializer=[self.initial_accumulator_value, "zeros"])

    _mismatch = ("AddV2", True, "")

    def _constants(self, t, lr):
        l2 = t(self.l2_regularization_strength) + t(self.beta) / (t(2.0) * lr)
        l1 = t(self.l1_regularization_strength)
        return (lr, t(-self.learning_rate_power), t(2 * self.l2_shrinkage_regularization_strength),
                t(2) * l2, -l1, l1)

    def _update(self, i, g, var, c):
        lr, power, shrink, l2_twice, low, high = c
        acc = writable(self._accumulators[i])
        lin = writable(self._linears[i])
        w = writable(var)
        grad = g + shrink * w
        new_acc = acc + g * g
        new_pow = np.power(new_acc, power)
        lin += grad - ((new_pow - np.power(acc, power)) / lr) * w
        quadratic = new_pow / lr + l2_twice
        w[...] = (np.clip(lin, low, high) - lin) / quadratic
        acc[...] = new_acc

    def get_config(self):
        return dict(super().get_config(), learning_rate_power=self.learning_rate_power,
                    initial_accumulator_value=self.initial_accumulator_value,
                    l1_regularization_strength=self.l1_regularization_strength,
                    l2_regularization_strength=self.l2_regularization_strength,
                    l2_shrinkage_regularization_strength=(
                        self.l2_shrinkage_regularization_strength),
                    beta=self.beta)
