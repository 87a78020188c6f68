"""``MultiOptimizer`` and ``OptimizerMap`` (Keras 3.15): each variable stepped by the optimizer
its path selects (a regular expression over variable paths, or a function of the variable)."""

import re
from collections.abc import MutableMapping

from .base import Optimizer
from .loss_scale import LossScaleOptimizer


class OptimizerMap(MutableMapping):
    """Variable paths (exact, else a ``re.fullmatch`` pattern) -> optimizers, with a default."""

    def __init__(self, default_optimizer, optimizer_map=None):
        if not isinstance(default_optimizer, Optimizer):
            raise TypeError("default_optimizer must be a Keras Optimizer instance. Received: "
                            f"{default_optimizer}")
        if optimizer_map is not None and not isinstance(optimizer_map, dict):
            raise TypeError(f"optimizer_map must be a dictionary. Received: {optimizer_map}")
        self._default_optimizer = default_optimizer
        self._optimizer_map = dict(optimizer_map or {})

    @property
    def default_optimizer(self):
        return self._default_optimizer

    def __getitem__(self, key):
        if key in self._optimizer_map:
            return self._optimizer_map[key]
        matching = [p for p in self._optimizer_map if re.fullmatch(p, key)]
        if len(matching) > 1:
            raise ValueError(f"Multiple optimizers assigned to variable {key}.")
        return self._optimizer_map[matching[0]] if matching else self._default_optimizer

    def __setitem__(self, key, optimizer):
        if key in self._optimizer_map:
            raise ValueError(f"'{key}' already exists in the OptimizerMap with value "
                             f"{self._optimizer_map[key]}. Please make sure to not use "
                             "duplicated keys.")
        if not isinstance(key, str):
            raise ValueError(f"key must be a string. Received: {key}")
        if not isinstance(optimizer, Optimizer):
            raise ValueError(f"optimizer must be a Keras Optimizer instance. Received: "
                             f"{optimizer}")
        if isinstance(optimizer, LossScaleOptimizer):
            raise ValueError("optimizer cannot be LossScaleOptimizer.")
        if isinstance(optimizer, MultiOptimizer):
            raise ValueError("optimizer cannot be MultiOptimizer.")
        self._optimizer_map[key] = optimizer

    def __delitem__(self, key):
        del self._optimizer_map[key]

    def __len__(self):
        return len(self._optimizer_map)

    def __iter__(self):
        return iter(self._optimizer_map)

    def __call__(self, variable):
        return self[variable.path]

    def get_config(self):
        from . import serialize
        return {"default_optimizer": serialize(self._default_optimizer),
                "optimizer_map": {k: serialize(v) for k, v in self._optimizer_map.items()}}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from . import deserialize
        return cls(deserialize(config["default_optimizer"], custom_objects),
                   {k: deserialize(v, custom_objects)
                    for k, v in config["optimizer_map"].items()})


class MultiOptimizer(Optimizer):
    """Steps each variable with the optimizer ``optimizer_map`` gives it (an
    :class:`OptimizerMap` or a function of the variable); counts its own iterations."""

    _fusable = False

    def __init__(self, optimizer_map, loss_scale_factor=None, name=None):
        super().__init__(learning_rate=0.0, loss_scale_factor=loss_scale_factor, name=name)
        self._optimizer_map = optimizer_map
        self._inner = []
        for opt in [*getattr(optimizer_map, "values", list)(),
                    getattr(optimizer_map, "default_optimizer", None)]:
            if opt is not None and opt not in self._inner:
                opt.loss_scale_factor = loss_scale_factor
                self._inner.append(opt)

    @property
    def optimizers(self):
        return self._inner

    @property
    def variables(self):
        return self._variables + [v for opt in self._inner for v in opt.variables]

    @property
    def learning_rate(self):
        raise AttributeError("Learning rate cannot be accessed on a MultiOptimizer. Access the "
                             "learning rate on the individual sub-optimizers instead.")

    @learning_rate.setter
    def learning_rate(self, value):
        raise AttributeError("Learning rate cannot be set on a MultiOptimizer. Set the "
                             "learning rate on the individual sub-optimizers instead.")

    def build(self, var_list):
        if self.built:
            return
        var_list = list(var_list)
        self._owner = {}
        for var in var_list:
            opt = self._optimizer_map(var)
            if not isinstance(opt, Optimizer):
                raise ValueError(f"Optimizer for variable {var} is not an Optimizer instance.")
            if isinstance(opt, LossScaleOptimizer):
                raise ValueError("LossScaleOptimizer cannot be used inside an MultiOptimizer.")
            if isinstance(opt, MultiOptimizer):
                raise ValueError("MultiOptimizer cannot be used inside an MultiOptimizer.")
            if opt not in self._inner:
                opt.loss_scale_factor = self.loss_scale_factor
                self._inner.append(opt)
            self._owner[var._handle.id] = self._inner.index(opt)
        for k, opt in enumerate(self._inner):
            mine = [v for v in var_list if self._owner[v._handle.id] == k]
            if mine:
                opt.build(mine)
        super().build(var_list)

    def apply(self, grads, trainable_variables=None):
        grads = list(grads)
        if not grads:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError("When passing `grads` without `variables`, the optimizer "
                                 "must already be built on a list of variables. Call "
                                 "`optimizer.build(trainable_variables)` first.")
            trainable_variables = self._trainable_variables
        trainable_variables = list(trainable_variables)
        if not self.built:
            self.build(trainable_variables)
        if len(grads) != len(self._owner):
            raise ValueError(f"Gradients must match trainable variables one-to-one. Received "
                             f"{len(grads)} gradients and {len(self._owner)} variables.")
        parts = [([], []) for _ in self._inner]
        for g, v in zip(grads, trainable_variables):
            gs, vs = parts[self._owner[v._handle.id]]
            gs.append(g)
            vs.append(v)
        for opt, (gs, vs) in zip(self._inner, parts):
            if gs:
                opt.apply(gs, vs)
        self._iterations.assign_add(1)

    def get_config(self):
        config = {"optimizer_map": self._map_config(), "loss_scale_factor":
                  self.loss_scale_factor, "name": self.name}
        return config

    def _map_config(self):
        if isinstance(self._optimizer_map, OptimizerMap):
            return {"module": "keras.optimizers", "class_name": "OptimizerMap",
                    "config": self._optimizer_map.get_config(), "registered_name": None}
        raise ValueError("A MultiOptimizer built from a function cannot be serialized.")

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        config["optimizer_map"] = OptimizerMap.from_config(config["optimizer_map"]["config"],
                                                           custom_objects)
        return cls(**config)
