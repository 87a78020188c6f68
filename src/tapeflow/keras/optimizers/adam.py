"""``Adam`` (AMSGrad), ``AdamW``, ``Adamax`` and ``Nadam``."""

import numpy as np

from .._naming import auto_name
from .base import Optimizer, writable
from .schedules import libm

class _Moments(Optimizer):
    """The first and second moment estimates (``beta_1``, ``beta_2``, ``epsilon``)."""

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    _slot_names = ("momentum", "velocity")

    def _slot_lists(self):
        return self._momentums, self._velocities

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(var_list,
                                                                         self._slot_names)

    def _local_step(self, t):
        return t(self._steps_done() + 1)

    def get_config(self):
        return dict(super().get_config(), beta_1=self.beta_1, beta_2=self.beta_2,
                    epsilon=self.epsilon)


class Adam(_Moments):
    """``m += (g - m)(1 - b1); v += (g² - v)(1 - b2); w -= m·alpha / (√v + eps)`` with
    ``alpha = lr·√(1 - b2^t) / (1 - b1^t)``; AMSGrad divides by the running maximum of ``v``."""

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 amsgrad=False, **kwargs):
        super().__init__(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2,
                         epsilon=epsilon, **kwargs)
        self.amsgrad = amsgrad

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        if self.amsgrad:
            self._velocity_hats = self.add_optimizer_variables(var_list, "velocity_hat")

    def _constants(self, t, lr):
        step = self._local_step(t)
        one = t(1)
        b1_power = libm(np.power, t, t(self.beta_1), step)
        b2_power = libm(np.power, t, t(self.beta_2), step)
        alpha = lr * np.sqrt(one - b2_power) / (one - b1_power)
        return alpha, t(1 - self.beta_1), t(1 - self.beta_2), t(self.epsilon)

    def _slot_lists(self):
        return self._momentums, self._velocities, getattr(self, "_velocity_hats", [])

    def _rule(self, g, w, slots, c):
        alpha, c1, c2, eps = c
        m, v, v_hat = slots
        buf = np.subtract(g, m, out=self._scratch(w, 0))
        buf *= c1
        m += buf
        np.multiply(g, g, out=buf)
        buf -= v
        buf *= c2
        v += buf
        if v_hat is not None:
            np.maximum(v_hat, v, out=v_hat)
            v = v_hat
        np.multiply(m, alpha, out=buf)
        den = np.sqrt(v, out=self._scratch(w, 1))
        den += eps
        buf /= den
        w -= buf

    def get_config(self):
        return dict(super().get_config(), amsgrad=self.amsgrad)


class AdamW(Adam):
    """Adam with decoupled weight decay (``weight_decay`` defaults to 0.004)."""

    def __init__(self, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999,
                 epsilon=1e-7, amsgrad=False, **kwargs):
        super().__init__(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2,
                         epsilon=epsilon, amsgrad=amsgrad, weight_decay=weight_decay, **kwargs)
        if self.weight_decay is None:
            raise ValueError("Argument `weight_decay` must be a float. Received: "
                             "weight_decay=None")


class Adamax(_Moments):
    """Adam with the infinity norm: ``u = max(b2·u, |g|); w -= lr·m / ((1 - b1^t)(u + eps))``."""

    _slot_names = ("momentum", "norm")

    def _constants(self, t, lr):
        b1_power = libm(np.power, t, t(self.beta_1), self._local_step(t))
        return lr, t(1) - b1_power, t(1 - self.beta_1), t(self.beta_2), t(self.epsilon)

    def _rule(self, g, w, slots, c):
        lr, bias, c1, b2, eps = c
        m, u = slots
        m += (g - m) * c1
        np.maximum(u * b2, np.abs(g), out=u)
        w -= (lr * m) / (bias * (u + eps))


class Nadam(_Moments):
    """Adam with Nesterov momentum and Dozat's momentum schedule ``b1·(1 - 0.5·0.96^t)``."""

    def build(self, var_list):
        if self.built:
            return
        dtype = var_list[0].dtype if var_list else "float32"
        super().build(var_list)
        # An unnamed Keras variable: "variable", then "variable_1" ... process-wide.
        self._u_product = self.add_variable((), "ones", dtype, name=auto_name("variable"))

    def _update_all(self, grads, variables):
        u = writable(self._u_product)
        t = u.dtype.type
        decay = libm(np.power, t, t(0.96), t(self._steps_done() + 1))
        u[...] = u * t(self.beta_1) * (t(1) - t(0.5) * decay)
        super()._update_all(grads, variables)

    def _constants(self, t, lr):
        step = self._local_step(t)
        b1, b2, decay, one, half = t(self.beta_1), t(self.beta_2), t(0.96), t(1), t(0.5)
        u_t = b1 * (one - half * libm(np.power, t, decay, step))
        u_t_1 = b1 * (one - half * libm(np.power, t, decay, step + one))
        u_product_t = self._u_product._handle.value.astype(t)[()]
        u_product_t_1 = u_product_t * u_t_1
        b2_power = libm(np.power, t, b2, step)
        return (lr, one - b1, one - b2, u_t_1, one - u_product_t_1, one - u_t,
                one - u_product_t, one - b2_power, t(self.epsilon))

    def _rule(self, g, w, slots, c):
        lr, c1, c2, u_t_1, den1, one_minus_u_t, den0, bias2, eps = c
        m, v = slots
        m += (g - m) * c1
        v += (g * g - v) * c2
        m_hat = (u_t_1 * m) / den1 + (one_minus_u_t * g) / den0
        w -= (m_hat * lr) / (np.sqrt(v / bias2) + eps)


class Lamb(_Moments):
    """Adam's step scaled per variable by the trust ratio ``‖w‖ / ‖step‖``."""

    _fusable = False  # the ratio takes norms per variable

    def _constants(self, t, lr):
        step = self._local_step(t)
        one = t(1)
        return (lr, t(1 - self.beta_1), t(1 - self.beta_2),
                one - libm(np.power, t, t(self.beta_1), step),
                one - libm(np.power, t, t(self.beta_2), step), t(self.epsilon))

    def _rule(self, g, w, slots, c):
        lr, c1, c2, bias1, bias2, eps = c
        m, v = slots
        m += (g - m) * c1
        v += (g * g - v) * c2
        update = (m / bias1) / (np.sqrt(v / bias2) + eps)
        w_norm = np.sqrt(np.sum(np.square(w)))
        g_norm = np.sqrt(np.sum(np.square(update)))
        one = w.dtype.type(1)
        ratio = (w_norm / g_norm if g_norm > 0 else one) if w_norm > 0 else one
        w -= ratio * lr * update
