"""``keras.version``, ``keras.name_scope`` and ``keras.device``."""

import tapeflow as _tf

_VERSION = "3.15.1"  # the Keras that TF 2.21's tf.keras is


def version():
    return _VERSION


class name_scope:
    """A context that prefixes the names of the ops created in it (``tf.name_scope``)."""

    def __init__(self, name, **kwargs):
        if not isinstance(name, str) or "/" in name:
            raise ValueError("Argument `name` must be a string and cannot contain character "
                             f"`/`. Received: name={name}")
        self.name = name
        self._scope = None

    def __enter__(self):
        self._scope = _tf.name_scope(self.name)
        return self._scope.__enter__()

    def __exit__(self, *exc):
        return self._scope.__exit__(*exc)


def device(device_name):
    """A context placing the ops in it on ``device_name`` ("cpu:0", "gpu:1"...)."""
    return _tf.device(device_name)
