"""``get``/``serialize``/``deserialize`` for the Keras modules that look objects up by name."""

import inspect


def serialize(obj, module):
    """A function by its name, an object as Keras's ``{module, class_name, config}`` dict."""
    if inspect.isfunction(obj):
        return obj.__name__
    return {"module": module, "class_name": type(obj).__name__, "config": obj.get_config(),
            "registered_name": None}


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
