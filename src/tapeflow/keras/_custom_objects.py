"""Custom classes in Keras configs: ``register_keras_serializable``, ``custom_object_scope``,
``get_custom_objects``, how a class is named in a config and found again at load time, the
automatic ``get_config`` Keras 3 gives a custom layer that does not write its own, and
``serialize_keras_object`` / ``deserialize_keras_object``."""

import inspect

_GLOBAL = {}  # registered name -> class or function
_NAMES = {}  # class or function -> registered name
_scope = [{}]  # the custom_object_scope in effect (replaced, not merged, as Keras does)


def register_keras_serializable(package="Custom", name=None):
    """Decorator: registers a class or function as ``"package>name"`` (registering the name
    again replaces the earlier object, as in Keras 3)."""
    def decorator(obj):
        key = f"{package}>{name if name is not None else obj.__name__}"
        if inspect.isclass(obj) and not hasattr(obj, "get_config"):
            raise ValueError("Cannot register a class that does not have a get_config() method.")
        _GLOBAL[key] = obj
        _NAMES[obj] = key
        return obj
    return decorator


def get_registered_name(obj):
    return _NAMES.get(obj, getattr(obj, "__name__", type(obj).__name__))


def get_registered_object(name, custom_objects=None, module_objects=None):
    """The scope's object of that name, else the registered one, else ``custom_objects``', else
    ``module_objects``'; None when none has it."""
    for table in (_scope[0], _GLOBAL, custom_objects or {}, module_objects or {}):
        if name in table:
            return table[name]
    return None


def get_custom_objects():
    """The registry itself (a dict: adding to it registers)."""
    return _GLOBAL


class CustomObjectScope:
    """``with custom_object_scope({'Name': cls}):`` -- names that configs may use while loading."""

    def __init__(self, custom_objects):
        self.custom_objects = custom_objects or {}
        self.backup = None

    def __enter__(self):
        self.backup = _scope[0]
        _scope[0] = dict(self.custom_objects)
        return self

    def __exit__(self, *exc):
        _scope[0] = self.backup


custom_object_scope = CustomObjectScope


def is_builtin(cls):
    """A class tapeflow defines (written as Keras's own in configs)."""
    return cls.__module__.startswith("tapeflow.")


def is_keras_module(module):
    return module == "keras" or (module or "").startswith("keras.")


def serialize_object(obj, module):
    """Keras's ``{module, class_name, config, registered_name[, build_config]}``: a built-in
    under ``module``, a custom class under its Python module (None for ``__main__``) with its
    registered name (its class name when unregistered); ``build_config`` once built."""
    cls = type(obj)
    if is_builtin(cls):
        entry = {"module": module, "class_name": cls.__name__, "config": obj.get_config(),
                 "registered_name": None}
    else:
        entry = {"module": None if cls.__module__ == "__main__" else cls.__module__,
                 "class_name": cls.__name__, "config": obj.get_config(),
                 "registered_name": get_registered_name(cls)}
    shape = getattr(obj, "_keras_build_shape", None)
    # the shape it was built with; Keras records it only for a class with a build of its own
    # (one without is built when made: Dropout, Activation, Flatten...)
    if getattr(obj, "built", False) and shape is not None and getattr(
            obj, "_build_overridden", True):
        entry["build_config"] = {"input_shape": shape}
    return entry


def locate(entry, custom_objects=None, builtins=None):
    """The class a serialized entry names: a registered (or scoped, or ``custom_objects``) one
    by its registered name, else a built-in from ``builtins`` by class name; Keras 3's
    TypeError when there is none."""
    name = entry.get("class_name")
    found = get_registered_object(entry.get("registered_name") or name, custom_objects)
    if found is None and builtins and is_keras_module(entry.get("module", "keras")):
        found = builtins.get(name) or next(  # a class exported under another name
            (v for v in builtins.values() if isinstance(v, type) and v.__name__ == name), None)
    if found is None:
        raise TypeError(f"Could not locate class '{name}'. Make sure custom classes and "
                        "functions are decorated with `@keras.saving.register_keras_serializable"
                        "()`. If they are already decorated, make sure they are all imported so "
                        "that the decorator is run before trying to load them. Full object "
                        f"config: {entry}")
    return found


def revive(entry, custom_objects=None, builtins=None):
    """``from_config`` of the class ``entry`` names, with Keras 3's TypeError around a
    TypeError raised there."""
    cls = locate(entry, custom_objects, builtins)
    try:
        return cls.from_config(entry["config"])
    except TypeError as e:
        raise TypeError(f"{cls} could not be deserialized properly. Please ensure that "
                        "components that are Python object instances (layers, models, etc.) "
                        "returned by `get_config()` are explicitly deserialized in the model's "
                        f"`from_config()` method.\n\nconfig={entry}.\n\nException encountered: "
                        f"{e}") from None


# --- the automatic config of a custom layer (Keras 3's rules) ------------------------------------

_PLAIN = (str, int, float, bool, type(None))
_EXAMPLE = """
class CustomLayer(keras.layers.Layer):
    def __init__(self, arg1, arg2, **kwargs):
        super().__init__(**kwargs)
        self.arg1 = arg1
        self.arg2 = arg2

    def get_config(self):
        config = super().get_config()
        config.update({
            "arg1": self.arg1,
            "arg2": self.arg2,
        })
        return config
"""


def _plain(value):
    if isinstance(value, list | tuple):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(_plain(v) for v in value.values())
    return isinstance(value, _PLAIN)


def auto_config(layer, args, kwargs):
    """The constructor arguments of a custom layer that does not override ``get_config``, as
    Keras 3 records them: defaults filled in, ``**kwargs`` spread, ``name`` left to the caller,
    plain values only (a Model subclass is recorded without its arguments, as in Keras 3).
    Keras's NotImplementedError when they cannot be recorded."""
    init = type(layer).__init__
    signature = inspect.signature(init)
    params = list(signature.parameters.values())[1:]
    variadic = False
    try:
        bound = signature.bind(None, *args, **kwargs)
    except TypeError:
        bound = None
    if bound is not None and any(p.kind is p.POSITIONAL_ONLY for p in params):
        bound, variadic = None, True
    if bound is not None:
        bound.apply_defaults()
        found = dict(bound.arguments)
        found.pop(next(iter(signature.parameters)))
        for p in params:
            if p.kind is p.VAR_KEYWORD:
                found.update(found.pop(p.name, {}))
            elif p.kind is p.VAR_POSITIONAL and found.pop(p.name, ()):
                bound, variadic = None, True
        found.pop("name", None)
    if bound is None or not _plain(found):
        if variadic:
            reason = ("positional only or variadic positional arguments (e.g.,\n`*args`) to "
                      "`__init__()`, which is not supported by the\nautomatic config generation. "
                      "Please remove all positional\nonly and variadic arguments from "
                      "`__init__()`\nor override `get_config()` and `from_config()` to make\nthe "
                      "object serializatble.")
        else:
            reason = ("non-serializable argument values in `__init__()`,\nand therefore the "
                      "object must override `get_config()` in\norder to be serializable. Please "
                      "implement `get_config()`.")
        raise NotImplementedError(f"\nObject {type(layer).__name__} was created by passing\n"
                                  f"{reason}\n\nExample:\n\n{_EXAMPLE}")
    config = {"name": layer.name, **found}
    keeps_name = "name" in signature.parameters or any(
        p.name == "kwargs" and p.kind is p.VAR_KEYWORD for p in params)
    if not keeps_name:
        config.pop("name")
    return config


# --- keras.saving.serialize_keras_object / deserialize_keras_object -------------------------------

def _keras_module(cls):
    """``keras.<family>`` of a tapeflow class (``tapeflow.keras.layers.core`` -> keras.layers)."""
    parts = cls.__module__.split(".")
    return "keras." + parts[2] if len(parts) > 2 and parts[1] == "keras" else None


def serialize_keras_object(obj):
    """Keras 3's serialized form: plain values as they are, containers item by item, a
    function by name, an object with ``get_config`` as ``{module, class_name, config,
    registered_name}``."""
    if obj is None or isinstance(obj, str | int | float | bool):
        return obj
    if isinstance(obj, list | tuple):
        return [serialize_keras_object(v) for v in obj]
    if isinstance(obj, dict):
        return {k: serialize_keras_object(v) for k, v in obj.items()}
    if inspect.isfunction(obj):  # by its registered name (its own when unregistered)
        return {"module": "builtins", "class_name": "function",
                "config": get_registered_name(obj), "registered_name": "function"}
    if hasattr(obj, "get_config"):
        return serialize_object(obj, _keras_module(type(obj)))
    raise TypeError(f"Cannot serialize {obj!r}: it has no get_config()")


def deserialize_keras_object(config, custom_objects=None, safe_mode=True, **kwargs):
    """The object a ``serialize_keras_object`` form stands for (Keras's built-ins from the
    ``keras.<family>`` its ``module`` names, custom classes as ``load_model`` finds them)."""
    import importlib
    if config is None or isinstance(config, str | int | float | bool):
        return config
    if isinstance(config, list):
        return [deserialize_keras_object(v, custom_objects) for v in config]
    if not isinstance(config, dict) or "class_name" not in config:
        return {k: deserialize_keras_object(v, custom_objects) for k, v in config.items()}
    module = config.get("module") or ""
    if config["class_name"] == "function":
        name = config["config"]
        found = get_registered_object(name, custom_objects)
        if found is None and module == "builtins":
            from .. import keras
            found = next((getattr(family, name) for family in (
                keras.activations, keras.losses, keras.metrics) if hasattr(family, name)), None)
        if found is None:
            raise TypeError(f"Could not locate function '{name}'. Make sure custom classes and "
                            "functions are decorated with `@keras.saving."
                            "register_keras_serializable()`. If they are already decorated, make "
                            "sure they are all imported so that the decorator is run before "
                            f"trying to load them. Full object config: {config}")
        return found
    builtins = None
    if is_keras_module(module) and module != "keras":
        try:
            builtins = vars(importlib.import_module("tapeflow." + module))
        except ImportError:
            builtins = None
    with CustomObjectScope(dict(_scope[0], **(custom_objects or {}))):
        return revive(config, builtins=builtins)
