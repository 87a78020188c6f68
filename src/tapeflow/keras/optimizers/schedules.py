"""``tf.keras.optimizers.schedules``: learning rates as functions of the step, in float32.

Each schedule computes in the dtype of its initial learning rate (float32 for a Python float), in
Keras 3's order of operations, and returns a scalar tensor.
"""

import math

import numpy as np

from ...framework.tensor import Tensor, wrap
from ...framework.variable import ResourceVariable


def libm(fn, t, *args):
    """``fn`` (``np.power``, ``np.cos``, ``np.log``) of scalars as TF's kernels give it: in
    double, rounded once to ``t`` (glibc's float functions; NumPy's float32 loops can be an ulp
    off: ``np.float32(0.9) ** 4`` is not ``powf(0.9f, 4)``)."""
    with np.errstate(all="ignore"):
        return t(fn(*(np.float64(a) for a in args)))


def _array(value):
    """A value as Keras's ``convert_to_tensor`` types it: Python floats float32, ints int32."""
    if isinstance(value, ResourceVariable):
        return np.asarray(value._handle.value)
    if isinstance(value, Tensor):
        return np.asarray(value._value)
    if isinstance(value, bool | int):
        return np.asarray(value, np.int32)
    if isinstance(value, float):
        return np.asarray(value, np.float32)
    return np.asarray(value)


def _cast(value, dtype):
    return _array(value).astype(dtype)[()]


def _positive_steps(name, value):
    if value <= 0:
        raise ValueError(f"Argument `{name}` must be > 0. Received: {name}={value}")


class LearningRateSchedule:
    """The base class: ``schedule(step)`` gives the learning rate at ``step``."""

    def __call__(self, step):
        raise NotImplementedError(f"Learning rate schedule '{type(self).__name__}' must override "
                                  "`__call__(self, step)`.")

    def get_config(self):
        raise NotImplementedError(f"Learning rate schedule '{type(self).__name__}' must override "
                                  "`get_config()` in order to be serializable.")

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _start(schedule, step, *others):
    """The initial rate as an array, its scalar type, the step and ``others`` in that type."""
    lr = _array(schedule.initial_learning_rate)
    dtype = lr.dtype
    return (lr[()], dtype.type, _cast(step, dtype)) + tuple(_cast(o, dtype) for o in others)


def _out(value, dtype=None):
    return wrap(np.asarray(value, dtype))


class _RateDecay(LearningRateSchedule):
    """The schedules set by ``decay_steps`` and ``decay_rate`` (optionally a staircase)."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name=None):
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = type(self).__name__ if name is None else name
        _positive_steps("decay_steps", decay_steps)

    def __call__(self, step):
        lr, t, step, steps, rate = _start(self, step, self.decay_steps, self.decay_rate)
        with np.errstate(all="ignore"):
            p = step / steps
            if self.staircase:
                p = np.floor(p)
            return _out(self._decay(lr, t, rate, p))

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "decay_rate": self.decay_rate,
                "staircase": self.staircase, "name": self.name}


class ExponentialDecay(_RateDecay):
    """``initial_learning_rate * decay_rate ** (step / decay_steps)`` (floored if staircase)."""

    @staticmethod
    def _decay(lr, t, rate, p):
        return lr * libm(np.power, t, rate, p)


class PiecewiseConstantDecay(LearningRateSchedule):
    """``values[i]`` while ``boundaries[i-1] < step <= boundaries[i]``."""

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "The length of boundaries should be 1 less than the length of values. Received: "
                f"boundaries={boundaries} of length {len(boundaries)}, and values={values} of "
                f"length {len(values)}.")
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step):
        step = _array(step)
        bounds = [_array(b).astype(step.dtype) for b in self.boundaries]
        values = [_array(v) for v in self.values]
        dtype = values[0].dtype
        result = values[-1]
        if step <= bounds[0]:
            result = values[0]
        else:
            for low, high, value in zip(bounds[:-1], bounds[1:], values[1:-1]):
                if low < step <= high:
                    result = value
        return _out(result, dtype)

    def get_config(self):
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


class PolynomialDecay(LearningRateSchedule):
    """From ``initial_learning_rate`` to ``end_learning_rate`` along ``(1 - p) ** power``."""

    def __init__(self, initial_learning_rate, decay_steps, end_learning_rate=0.0001, power=1.0,
                 cycle=False, name="PolynomialDecay"):
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name
        _positive_steps("decay_steps", decay_steps)

    def __call__(self, step):
        lr, t, step, end, power, steps = _start(self, step, self.end_learning_rate, self.power,
                                                self.decay_steps)
        with np.errstate(all="ignore"):
            if self.cycle:
                steps = steps * (t(1) if step == 0 else np.ceil(step / t(self.decay_steps)))
            else:
                step = min(step, steps)
            p = step / steps
            return _out((lr - end) * libm(np.power, t, t(1) - p, power) + end)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "end_learning_rate": self.end_learning_rate,
                "power": self.power, "cycle": self.cycle, "name": self.name}


class InverseTimeDecay(_RateDecay):
    """``initial_learning_rate / (1 + decay_rate * step / decay_steps)``."""

    @staticmethod
    def _decay(lr, t, rate, p):
        return lr / (t(1) + rate * p)


def _cosine(t, fraction, alpha, scale=1):
    """``(1 - alpha) * scale * (1 + cos(pi * fraction)) / 2 + alpha``, Keras's roundings."""
    cosine = t(0.5) * scale * (t(1) + libm(np.cos, t, t(math.pi) * fraction))
    return t(1 - alpha) * cosine + t(alpha)


class CosineDecay(LearningRateSchedule):
    """A linear warmup to ``warmup_target`` (if given), then a cosine decay to ``alpha``."""

    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0, name="CosineDecay",
                 warmup_target=None, warmup_steps=0):
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_steps = warmup_steps
        self.warmup_target = warmup_target
        _positive_steps("decay_steps", decay_steps)

    def __call__(self, step):
        lr, t, step, steps = _start(self, step, self.decay_steps)
        with np.errstate(all="ignore"):
            if self.warmup_target is None:
                return _out(lr * _cosine(t, min(step, steps) / steps, self.alpha))
            target = _cast(self.warmup_target, lr.dtype)
            warmup = _cast(self.warmup_steps, lr.dtype)
            step = min(step, steps + warmup)
            if step < warmup:
                return _out((target - lr) * (step / warmup) + lr)
            return _out(target * _cosine(t, (step - warmup) / steps, self.alpha))

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "alpha": self.alpha, "name": self.name,
                "warmup_target": self.warmup_target, "warmup_steps": self.warmup_steps}


class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay that restarts, each period ``t_mul`` times longer and ``m_mul`` lower."""

    def __init__(self, initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0, alpha=0.0,
                 name="SGDRDecay"):
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self._t_mul = t_mul
        self._m_mul = m_mul
        self.alpha = alpha
        self.name = name
        _positive_steps("first_decay_steps", first_decay_steps)

    def __call__(self, step):
        lr, t, step, first, alpha, t_mul, m_mul = _start(
            self, step, self.first_decay_steps, self.alpha, self._t_mul, self._m_mul)
        with np.errstate(all="ignore"):
            fraction = step / first
            if t_mul == 1:
                i_restart = np.floor(fraction)
                fraction = fraction - i_restart
            else:
                i_restart = np.floor(libm(np.log, t, t(1) - fraction * (t(1) - t_mul))
                                     / libm(np.log, t, t_mul))
                sum_r = (t(1) - libm(np.power, t, t_mul, i_restart)) / (t(1) - t_mul)
                fraction = (fraction - sum_r) / libm(np.power, t, t_mul, i_restart)
            m_fac = libm(np.power, t, m_mul, i_restart)
            cosine = t(0.5) * m_fac * (t(1) + libm(np.cos, t, t(math.pi) * fraction))
            return _out(lr * ((t(1) - alpha) * cosine + alpha))

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "first_decay_steps": self.first_decay_steps, "t_mul": self._t_mul,
                "m_mul": self._m_mul, "alpha": self.alpha, "name": self.name}


_SCHEDULES = {c.__name__: c for c in (ExponentialDecay, PiecewiseConstantDecay, PolynomialDecay,
                                      InverseTimeDecay, CosineDecay, CosineDecayRestarts)}


def serialize(learning_rate_schedule):
    return {"module": "keras.optimizers.schedules",
            "class_name": type(learning_rate_schedule).__name__,
            "config": learning_rate_schedule.get_config(), "registered_name": None}


def deserialize(config, custom_objects=None):
    table = dict(_SCHEDULES, **(custom_objects or {}))
    name = config["class_name"]
    if name not in table:
        raise ValueError(f"Unknown decay: '{name}'. Please ensure you are using a "
                         "`keras.utils.custom_object_scope` and that this object is included "
                         "in the scope. See "
                         "https://keras.io/guides/serialization_and_saving/"
                         "#registering-the-custom-object for details.")
    return table[name].from_config(config["config"])
