"""``RMSprop`` (momentum, centered), ``Adagrad``, ``Adadelta`` and ``Ftrl``."""

import numpy as np

from .base import Optimizer
from .schedules import libm


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

    def _slot_lists(self):
        return self._velocities, self._momentums, self._average_gradients

    def _rule(self, g, w, slots, c):
        lr, rho, one_minus_rho, eps, momentum = c
        v, m, a = slots
        v[...] = rho * v + one_minus_rho * (g * g)
        if a is not None:
            a[...] = rho * a + one_minus_rho * g
            den = v - a * a + eps
        else:
            den = v + eps
        increment = (lr * g) / np.sqrt(den)
        if m is not None:
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

    def _slot_lists(self):
        return (self._accumulators,)

    def _rule(self, g, w, slots, c):
        lr, eps = c
        (a,) = slots
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

    def _slot_lists(self):
        return self._accumulated_grads, self._accumulated_delta_vars

    def _rule(self, g, w, slots, c):
        lr, rho, one_minus_rho, eps = c
        ag, ad = slots
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

    def _slot_lists(self):
        return self._accumulators, self._linears

    def _rule(self, g, w, slots, c):
        lr, power, shrink, l2_twice, low, high = c
        acc, lin = slots
        grad = g + shrink * w
        new_acc = acc + g * g
        new_pow = _pow(new_acc, power)
        lin += grad - ((new_pow - _pow(acc, power)) / lr) * w
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


def _pow(x, y):
    """``x ** y`` elementwise, rounded once from double (as glibc's ``powf``, unlike NumPy's
    float32 loop)."""
    return np.power(x.astype(np.float64), np.float64(y)).astype(x.dtype)


class Adafactor(Optimizer):
    """Adafactor: second moments kept as row and column means for matrices, a relative step
    size ``min(lr, 1/√t)`` scaled by the variable's RMS, updates clipped by their RMS."""

    _fusable = False  # row, column and RMS means are per variable

    def __init__(self, learning_rate=0.001, beta_2_decay=-0.8, epsilon_1=1e-30, epsilon_2=1e-3,
                 clip_threshold=1.0, relative_step=True, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_2_decay = beta_2_decay
        self.epsilon_1 = epsilon_1
        self.epsilon_2 = epsilon_2
        self.clip_threshold = clip_threshold
        self.relative_step = relative_step

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._r, self._c, self._v = [], [], []
        for var in var_list:
            shape, name = tuple(var.shape), var.name
            if len(shape) < 2:  # unused: Keras keeps an int scalar for each
                self._r.append(self.add_variable((), 0, "int32", name=name))
                self._c.append(self.add_variable((), 0, "int32", name=name))
            else:
                self._r.append(self.add_variable(shape[:-1], "zeros", var.dtype, name=name))
                self._c.append(self.add_variable(shape[:-2] + shape[-1:], "zeros", var.dtype,
                                                 name=name))
            self._v.append(self.add_variable_from_reference(var, "velocity"))

    def _slot_lists(self):
        return self._r, self._c, self._v

    def _constants(self, t, lr):
        step = t(self._steps_done() + 1)
        inv_sqrt = t(1) / np.sqrt(step)
        if self.relative_step and not callable(self._learning_rate):
            lr = min(lr, inv_sqrt)
        beta = t(1) - libm(np.power, t, step, t(self.beta_2_decay))
        return (min(lr, inv_sqrt), t(self.epsilon_2), t(self.epsilon_1), beta, t(1) - beta,
                t(self.clip_threshold))

    def _rule(self, g, w, slots, c):
        rho, eps2, eps1, beta, one_minus_beta, clip = c
        r, col, v = slots
        alpha = max(eps2, _rms(w)) * rho
        squared = g * g + eps1
        if w.ndim >= 2:
            r[...] = beta * r + one_minus_beta * np.mean(squared, axis=-1)
            col[...] = beta * col + one_minus_beta * np.mean(squared, axis=-2)
            v[...] = (r / np.mean(r, axis=-1, keepdims=True))[..., None] * col[..., None, :]
        else:
            v[...] = beta * v + one_minus_beta * squared
        u = g / np.sqrt(v)
        w -= alpha * (u / max(w.dtype.type(1), _rms(u) / clip))

    def get_config(self):
        return dict(super().get_config(), beta_2_decay=self.beta_2_decay,
                    epsilon_1=self.epsilon_1, epsilon_2=self.epsilon_2,
                    clip_threshold=self.clip_threshold, relative_step=self.relative_step)


def _rms(x):
    return np.sqrt(np.mean(np.square(x)))
