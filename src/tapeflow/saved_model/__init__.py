"""``tf.saved_model``: save a Module's Variables and traced tf.functions; load them back without
the Python code that defined them (see docs/saved_model.md).

The variables go in TensorFlow's checkpoint format (``variables/``, readable by
``tf.train.load_checkpoint``); the traced graphs in tapeflow's own JSON + npz description.
"""

SAVED_MODEL_FILENAME = "tapeflow_saved_model.json"
DEFAULT_SERVING_SIGNATURE_DEF_KEY = "serving_default"

from .save import save  # noqa: E402,F401  (the functions, not the submodules, are the names)
from .load import load  # noqa: E402,F401


def contains_saved_model(export_dir):
    import os
    return os.path.isfile(os.path.join(os.fspath(export_dir), SAVED_MODEL_FILENAME))


class SaveOptions:
    """``tf.saved_model.SaveOptions``: accepted; tapeflow has one host device and no assets."""

    def __init__(self, namespace_whitelist=None, save_debug_info=False, function_aliases=None,
                 experimental_io_device=None, experimental_variable_policy=None,
                 experimental_custom_gradients=True, experimental_image_format=False,
                 experimental_skip_saver=False, experimental_sharding_callback=None,
                 extra_tags=None):
        self.function_aliases = function_aliases or {}
        self.experimental_io_device = experimental_io_device
        self.experimental_custom_gradients = experimental_custom_gradients


class LoadOptions:
    """``tf.saved_model.LoadOptions``: accepted."""

    def __init__(self, allow_partial_checkpoint=False, experimental_io_device=None,
                 experimental_skip_checkpoint=False, experimental_variable_policy=None,
                 experimental_load_function_aliases=False):
        self.allow_partial_checkpoint = allow_partial_checkpoint
        self.experimental_skip_checkpoint = experimental_skip_checkpoint


SERVING = "serve"
ASSETS_DIRECTORY = "assets"
VARIABLES_DIRECTORY = "variables"
VARIABLES_FILENAME = "variables"
