"""``tf.keras.config``: where Keras's progress messages go.

With interactive logging on (the default) the progress bar and ``fit``'s epoch lines are written
to standard output; off, they go to the ``tapeflow`` logger at INFO level, which prints nothing
unless asked (Keras 3 sends them to absl's logging). ``tapeflow.horovod.init()`` turns it off on
every rank but 0, so a distributed ``fit`` draws one progress bar.
"""

import logging
import sys

_interactive = True


def enable_interactive_logging():
    global _interactive
    _interactive = True


def disable_interactive_logging():
    global _interactive
    _interactive = False


def is_interactive_logging_enabled():
    return _interactive


def print_msg(text, line_break=True):
    """Write one of Keras's progress messages where the setting above says."""
    if _interactive:
        sys.stdout.write(text + "\n" if line_break else text)
        sys.stdout.flush()
    else:
        logging.getLogger("tapeflow").info(text)


# ---- Keras 3's global settings (keras.config.*; keras.backend re-exports several) ----------
# floatx, epsilon and image_data_format are read by keras.ops, keras.random and keras.backend;
# layers made later take floatx as their dtype policy unless a global policy is set.
from .ops import _base as _ops_base  # noqa: E402
from .ops import nn as _ops_nn  # noqa: E402

_settings = {"max_epochs": None, "max_steps_per_epoch": None, "unsafe_deserialization": False,
             "traceback_filtering": True, "flash_attention": None, "dtype_policy": None}
_FLOAT_TYPES = ("bfloat16", "float16", "float32", "float64")


def floatx():
    return _ops_base._FLOATX[0]


def set_floatx(value):
    value = str(value)
    if value not in _FLOAT_TYPES:
        raise ValueError(f"Unknown `floatx` value: {value}. Expected one of {set(_FLOAT_TYPES)}")
    _ops_base._FLOATX[0] = value


def epsilon():
    return _ops_base._EPSILON[0]


def set_epsilon(value):
    _ops_base._EPSILON[0] = float(value)


def image_data_format():
    return _ops_nn._DATA_FORMAT[0]


def set_image_data_format(data_format):
    fmt = str(data_format).lower()
    if fmt not in ("channels_first", "channels_last"):
        raise ValueError("The `data_format` argument must be one of {'channels_first', "
                         f"'channels_last'}}. Received: data_format={data_format}")
    _ops_nn._DATA_FORMAT[0] = fmt


def backend():
    return "tensorflow"


def set_backend(backend):
    """Only the ``tensorflow`` backend exists here (tapeflow stands in for TensorFlow)."""
    if backend != "tensorflow":
        raise ValueError(f"tapeflow only provides the 'tensorflow' backend. Received: {backend}")


def dtype_policy():
    """The global dtype policy: ``DTypePolicy(floatx())`` unless one was set."""
    from . import dtype_policies
    return _settings["dtype_policy"] or dtype_policies.DTypePolicy(floatx())


def set_dtype_policy(policy):
    from . import dtype_policies
    if isinstance(policy, str):
        policy = dtype_policies.DTypePolicy(policy)
    if not isinstance(policy, dtype_policies.DTypePolicy):
        raise ValueError("Invalid `policy` argument. Expected the string name of a policy "
                         "(such as 'mixed_float16') or a `DTypePolicy` instance. Received: "
                         f"policy={policy} (of type {type(policy)})")
    _settings["dtype_policy"] = policy


def max_epochs():
    return _settings["max_epochs"]


def set_max_epochs(max_epochs):
    _settings["max_epochs"] = max_epochs


def max_steps_per_epoch():
    return _settings["max_steps_per_epoch"]


def set_max_steps_per_epoch(max_steps_per_epoch):
    _settings["max_steps_per_epoch"] = max_steps_per_epoch


def enable_unsafe_deserialization():
    _settings["unsafe_deserialization"] = True


def enable_traceback_filtering():
    _settings["traceback_filtering"] = True


def disable_traceback_filtering():
    _settings["traceback_filtering"] = False


def is_traceback_filtering_enabled():
    return _settings["traceback_filtering"]


def enable_flash_attention():
    _settings["flash_attention"] = None


def disable_flash_attention():
    _settings["flash_attention"] = False


def is_flash_attention_enabled():
    return _settings["flash_attention"]


def is_nnx_enabled():
    return False
