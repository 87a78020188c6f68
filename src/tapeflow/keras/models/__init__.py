"""``keras.models``: Model (subclassed or functional) and Sequential."""

from .model import Functional, Model, Sequential  # noqa: F401
from ..saving import load_model, save_model  # noqa: F401


def model_from_json(json_string, custom_objects=None):
    """A new (uncompiled) model from ``model.to_json()``'s text."""
    import json

    from ..saving import model_from_document
    return model_from_document(json.loads(json_string), custom_objects, compile=False)


def clone_model(model, input_tensors=None, clone_function=None):
    """A model of the same architecture with fresh weights (Sequential models only)."""
    if not isinstance(model, Sequential):
        raise NotImplementedError("clone_model supports Sequential models here.")
    return Sequential.from_config(model.get_config())
