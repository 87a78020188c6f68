"""``LossScaleOptimizer``: dynamic loss scaling around another optimizer (Keras 3's rule)."""

import numpy as np

from .base import Optimizer, _grad_array

_BASE_DEFAULTS = {"weight_decay": None, "clipnorm": None, "global_clipnorm": None,
                  "clipvalue": None, "use_ema": False, "ema_momentum": 0.99,
                  "ema_overwrite_frequency": None, "loss_scale_factor": None,
                  "gradient_accumulation_steps": None}


class LossScaleOptimizer(Optimizer):
    """Scale the loss up (``scale_loss``), the gradients back down; a step whose gradients are
    not all finite is skipped and halves the scale, ``dynamic_growth_steps`` finite steps in a
    row double it."""

    def __init__(self, inner_optimizer, initial_scale=2.0 ** 15, dynamic_growth_steps=2000,
                 name=None, **kwargs):
        if not kwargs.pop("dynamic", True):
            raise ValueError("LossScaleOptimizer no longer supports `dynamic=False`. Instead, "
                             "simply set `loss_scale_factor` directly on the `inner_optimizer`.")
        for arg, default in _BASE_DEFAULTS.items():
            if arg in kwargs:
                value = kwargs.pop(arg)
                if default is None and value is not None or value != default:
                    raise ValueError(f"LossScaleOptimizer does not support `{arg}`. Instead, "
                                     f"set `{arg}` on the `inner_optimizer`.")
        if kwargs:
            raise ValueError("LossScaleOptimizer does not support arguments: "
                             f"`{'`, `'.join(kwargs)}`.")
        super().__init__(learning_rate=0.0, name=name)
        self.inner_optimizer = inner_optimizer
        self.initial_scale = initial_scale
        self.dynamic_growth_steps = dynamic_growth_steps
        self.inner_optimizer.loss_scale_factor = None

    def build(self, var_list):
        self.step_counter = self.add_variable((), "zeros", "int64", name="step_counter")
        self.dynamic_scale = self.add_variable((), self.initial_scale, "float32",
                                               name="dynamic_scale")
        self.inner_optimizer._scope = f"{self.name}/"  # Keras builds it in this name scope
        self.inner_optimizer.build(var_list)
        super().build(var_list)

    @property
    def variables(self):
        return self._variables + self.inner_optimizer.variables

    def _apply_now(self, grads, trainable_variables):
        arrays = [_grad_array(g, v._handle.value.dtype)
                  for g, v in zip(grads, trainable_variables)]
        counter, scale = self.step_counter._handle, self.dynamic_scale._handle
        if all(np.all(np.isfinite(a)) for a in arrays):
            self.inner_optimizer._apply_now([a / a.dtype.type(scale.value) for a in arrays],
                                            trainable_variables)
            if int(counter.value) == self.dynamic_growth_steps - 1:
                counter.value = np.zeros((), np.int64)
                scale.value = np.asarray(scale.value * np.float32(2.0))
            else:
                counter.value = np.asarray(counter.value + 1)
        else:
            counter.value = np.zeros((), np.int64)
            scale.value = np.asarray(scale.value * np.float32(0.5))

    @property
    def learning_rate(self):
        return self.inner_optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, learning_rate):
        self.inner_optimizer.learning_rate = learning_rate

    @property
    def iterations(self):
        return self.inner_optimizer.iterations

    def scale_loss(self, loss):
        return loss * (self.dynamic_scale if self.built else self.initial_scale)

    def finalize_variable_values(self, var_list):
        self.inner_optimizer.finalize_variable_values(var_list)

    def get_config(self):
        from . import serialize
        return {"name": self.name, "inner_optimizer": serialize(self.inner_optimizer),
                "initial_scale": self.initial_scale,
                "dynamic_growth_steps": self.dynamic_growth_steps}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from . import deserialize
        config = dict(config)
        inner = deserialize(config.pop("inner_optimizer"), custom_objects)
        return cls(inner, **config)
