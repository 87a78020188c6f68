"""``keras.backend``: the few helpers programs call."""

from .layers.layer import clear_session as _clear_names


def clear_session(free_memory=True):
    """Resets the automatic layer names (``dense``, ``dense_1``, ...)."""
    _clear_names()


def floatx():
    return "float32"


def backend():
    return "tensorflow"


from ._backend_api import *  # noqa: E402,F401,F403
