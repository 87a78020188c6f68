"""``keras.models``: Model (subclassed or functional) and Sequential."""

from .model import Functional, Model, Sequential  # noqa: F401
from ..saving import load_model, save_model  # noqa: F401


def model_from_json(json_string, custom_objects=None):
    """A new (uncompiled) model from ``model.to_json()``'s text."""
    import json

    from ..saving import model_from_document
    return model_from_document(json.loads(json_string), custom_objects, compile=False)


def clone_model(model, input_tensors=None, clone_function=None):
    """A model of the same architecture with fresh weights, from its config (Sequential,
    functional, or a subclass with ``get_config``); compiled as the original when it was, as
    Keras 3 does."""
    if input_tensors is not None or clone_function is not None:
        raise NotImplementedError("clone_model here takes no input_tensors or clone_function.")
    clone = type(model).from_config(model.get_config())
    config = model.get_compile_config()
    if config:
        clone.compile_from_config(config)
    return clone
