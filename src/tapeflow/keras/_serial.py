"""What initializers, regularizers and constraints share: a config round trip, ``serialize``
to Keras's dict, and ``get`` from a name, a dict, a class or a callable."""


class Configurable:
    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def serialize(obj, module):
    if not hasattr(obj, "get_config"):  # a plain function (kernel_initializer=tf.random.normal)
        name = getattr(obj, "__name__", repr(obj))
        return {"module": getattr(obj, "__module__", None), "class_name": "function",
                "config": name, "registered_name": name}
    return {"module": module, "class_name": type(obj).__name__, "config": obj.get_config(),
            "registered_name": None}


def lookup(kind, identifier, table):
    """``get(identifier)`` of a ``keras.<kind>s`` module whose classes are in ``table``."""
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        return table[identifier["class_name"]].from_config(identifier.get("config", {}))
    if isinstance(identifier, str):
        if identifier not in table:
            raise ValueError(f"Could not interpret {kind} identifier: {identifier}")
        return table[identifier]()
    if isinstance(identifier, type) and issubclass(identifier, Configurable):
        return identifier()
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret {kind} identifier: {identifier}")
