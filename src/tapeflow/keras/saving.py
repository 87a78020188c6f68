"""``keras.saving``: the registry of custom classes that serialized configs name.

Writing and reading ``.keras`` / ``.weights.h5`` files belongs to the checkpoint work; the
``Model.save`` / ``save_weights`` methods check the file names as Keras does and then say so.
"""

_REGISTERED = {}


def register_keras_serializable(package="Custom", name=None):
    """Decorator: registers a class or function as ``"package>name"``."""
    def decorator(obj):
        key = f"{package}>{name or obj.__name__}"
        if key in _REGISTERED and _REGISTERED[key] is not obj:
            raise ValueError(f"{key} has already been registered to {_REGISTERED[key]}")
        _REGISTERED[key] = obj
        obj._keras_registered_name = key
        return obj
    return decorator


def get_registered_name(obj):
    return getattr(obj, "_keras_registered_name", getattr(obj, "__name__", type(obj).__name__))


def get_registered_object(name, custom_objects=None, module_objects=None):
    for table in (custom_objects or {}, _REGISTERED, module_objects or {}):
        if name in table:
            return table[name]
    return None


def _check_weights_path(filepath):
    if not str(filepath).endswith(".weights.h5"):
        raise ValueError(f"The filename must end in `.weights.h5`. Received: filepath={filepath}")


def _check_model_path(filepath):
    if not str(filepath).endswith((".keras", ".h5")):
        raise ValueError(f"Invalid filepath extension for saving. Please add either a `.keras` "
                         f"extension for the native Keras format (recommended) or a `.h5` "
                         f"extension. Use `model.export(filepath)` if you want to export a "
                         f"SavedModel for use with TFLite/TFServing/etc. Received: "
                         f"filepath={filepath}.")


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):  # noqa: A002
    raise NotImplementedError("keras.models.load_model: reading .keras files is not "
                              "implemented in tapeflow yet.")
