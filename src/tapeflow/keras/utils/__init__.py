"""``keras.utils``: Progbar, to_categorical, set_random_seed, plot_model, normalize."""

import random

import numpy as np

from .progbar import Progbar  # noqa: F401
from .._custom_objects import (  # noqa: F401
    CustomObjectScope, custom_object_scope, deserialize_keras_object, get_custom_objects,
    get_registered_name, get_registered_object, register_keras_serializable,
    serialize_keras_object)


def to_categorical(x, num_classes=None):
    x = np.asarray(x, dtype="int64")
    shape = x.shape
    if shape and shape[-1] == 1 and len(shape) > 1:
        shape = shape[:-1]
    x = x.reshape(-1)
    if num_classes is None:
        num_classes = int(np.max(x)) + 1
    out = np.zeros((x.shape[0], num_classes), dtype="float64")
    out[np.arange(x.shape[0]), x] = 1
    return out.reshape(shape + (num_classes,))


def normalize(x, axis=-1, order=2):
    x = np.asarray(x)
    norm = np.atleast_1d(np.linalg.norm(x, order, axis))
    norm[norm == 0] = 1
    return x / np.expand_dims(norm, axis)


def set_random_seed(seed):
    """Seeds Python's ``random``, NumPy's global generator and ``tf.random`` at once."""
    if not isinstance(seed, int):
        raise ValueError(f"Expected `seed` argument to be an integer. Received: seed={seed} "
                         f"(of type {type(seed)})")
    from ...ops import random_ops
    random.seed(seed)
    np.random.seed(seed)
    random_ops.set_seed(seed)


from .model_visualization import model_to_dot, plot_model  # noqa: E402,F401
from ._data import (PyDataset, Sequence, pack_x_y_sample_weight, pad_sequences,  # noqa: E402,F401
                    split_dataset, standardize_dtype, timeseries_dataset_from_array,
                    unpack_x_y_sample_weight)
from ._extra import (clear_session, disable_interactive_logging,  # noqa: E402,F401
                     enable_interactive_logging, get_source_inputs,
                     is_interactive_logging_enabled, is_keras_tensor, Config)

# The serialization helpers live in keras.saving; keras.utils shows those keras.saving has.
_FROM_SAVING = ("register_keras_serializable", "get_registered_name", "get_registered_object",
                "get_custom_objects", "custom_object_scope", "CustomObjectScope",
                "serialize_keras_object", "deserialize_keras_object")


def __getattr__(name):
    if name in _FROM_SAVING:
        from .. import saving
        if hasattr(saving, name):
            return getattr(saving, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
from ._directory import (audio_dataset_from_directory, image_dataset_from_directory,  # noqa: E402,F401,I001
                         text_dataset_from_directory)
from ._images import array_to_img, img_to_array, load_img, save_img  # noqa: E402,F401,I001
from ._files import get_file  # noqa: E402,F401,I001
