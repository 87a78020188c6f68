"""``keras.utils``'s session, logging and functional-graph helpers."""

from ..config import (disable_interactive_logging, enable_interactive_logging,  # noqa: F401
                      is_interactive_logging_enabled)


def clear_session(free_memory=True):
    """Resets Keras's global state: the automatic layer names (``dense``, ``dense_1``...)."""
    from .. import backend
    backend.clear_session(free_memory)


def is_keras_tensor(x):
    from ..models.functional import KerasTensor
    return isinstance(x, KerasTensor)


def get_source_inputs(tensor):
    """The ``Input`` tensors a functional ``KerasTensor`` was computed from."""
    from ..layers.layer import _flatten
    from ..models.functional import KerasTensor
    if not isinstance(tensor, KerasTensor):
        return [tensor]
    found, todo, seen = [], [tensor], set()
    while todo:
        t = todo.pop()
        if id(t) in seen:
            continue
        seen.add(id(t))
        layer, node_index, _ = t._history
        inbound = getattr(layer, "_inbound", None) if layer is not None else None
        if not inbound:
            found.append(t)
            continue
        args, kwargs, _ = inbound[node_index]
        parents = [p for p in _flatten([list(args), kwargs]) if isinstance(p, KerasTensor)]
        if not parents:
            found.append(t)
        todo += reversed(parents)
    return found


class Config:
    """A dict with attribute access (``config.lr``), which ``freeze()`` makes read-only."""

    def __init__(self, **kwargs):
        object.__setattr__(self, "_values", dict(kwargs))
        object.__setattr__(self, "_frozen", False)

    @property
    def frozen(self):
        return self._frozen

    def freeze(self):
        object.__setattr__(self, "_frozen", True)

    def unfreeze(self):
        object.__setattr__(self, "_frozen", False)

    def _check(self):
        if self._frozen:
            raise ValueError("Cannot mutate attribute(s) because the config is frozen.")

    def __getattr__(self, name):
        values = self.__dict__.get("_values", {})
        if name in values:
            return values[name]
        raise AttributeError(f"Unknown attribute: '{name}'.")

    def __setattr__(self, name, value):
        self._check()
        self._values[name] = value

    def __delattr__(self, name):
        self._check()
        del self._values[name]

    def __getitem__(self, key):
        return self._values[key]

    def __setitem__(self, key, value):
        self._check()
        self._values[key] = value

    def __delitem__(self, key):
        self._check()
        del self._values[key]

    def __contains__(self, key):
        return key in self._values

    def __len__(self):
        return len(self._values)

    def __iter__(self):
        return iter(self._values)

    def __repr__(self):
        return f"<Config {self._values}>"

    def get(self, key, default=None):
        return self._values.get(key, default)

    def pop(self, *args):
        self._check()
        return self._values.pop(*args)

    def update(self, *args, **kwargs):
        self._check()
        self._values.update(*args, **kwargs)

    def keys(self):
        return self._values.keys()

    def values(self):
        return self._values.values()

    def items(self):
        return self._values.items()

    def as_dict(self):
        return dict(self._values)

    def to_json(self):
        import json
        return json.dumps(self._values)
