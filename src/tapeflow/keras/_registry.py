"""``get``/``serialize``/``deserialize`` for the Keras modules that look objects up by name."""

import inspect

import numpy as np


def serialize(obj, module):
    """A function by its name, an object as Keras's ``{module, class_name, config}`` dict."""
    if inspect.isfunction(obj):
        return obj.__name__
    return {"module": module, "class_name": type(obj).__name__, "config": obj.get_config(),
            "registered_name": None}


def serialize_function(fn):
    """A function inside a config, as Keras writes it."""
    return {"module": "builtins", "class_name": "function", "config": fn.__name__,
            "registered_name": "function"}


def function_from_config(fn, table):
    """The function a ``serialize_function`` dict (or a name) stands for."""
    if isinstance(fn, dict):
        fn = fn["config"]
    return table[fn] if isinstance(fn, str) else fn


def deserialize(table, config, custom_objects, kind):
    table = dict(table, **(custom_objects or {}))
    name = config if isinstance(config, str) else config["class_name"]
    if name not in table:
        raise ValueError(f"Could not interpret {kind} identifier: {config}")
    return table[name] if isinstance(config, str) else table[name].from_config(config["config"])


def get(table, identifier, kind):
    """Keras's ``get``: None stays None, a class is instantiated, a callable is returned."""
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(table, identifier, None, kind)
    elif isinstance(identifier, str):
        obj = table.get(identifier)
    else:
        obj = identifier
    if callable(obj):
        return obj() if inspect.isclass(obj) else obj
    raise ValueError(f"Could not interpret {kind} identifier: {identifier}")


def initial_value(initializer, shape, dtype):
    """A new variable's value: ``'zeros'``/``'ones'``, a number, an initializer's name or an
    initializer (called with the shape and dtype)."""
    from .. import dtypes
    from . import initializers
    shape, dtype = tuple(shape), np.dtype(dtype)
    fill = {"zeros": 0, "ones": 1}.get(initializer, initializer) \
        if isinstance(initializer, str) else initializer
    if isinstance(fill, int | float):
        return np.full(shape, fill, dtype)
    return np.array(initializers.get(fill)(shape, dtype=dtypes.as_dtype(dtype)), dtype)
