"""``tf.train``: checkpoints in TensorFlow's own file format (see docs/checkpoint.md).

The file-format modules import protobuf and crc32c (``pip install 'tapeflow[checkpoint]'``)
when first used, so ``import tapeflow`` needs NumPy alone.
"""


def __getattr__(name):
    if name in ("Checkpoint", "CheckpointLoadStatus", "CheckpointReader", "list_variables",
                "load_checkpoint", "load_variable"):
        from . import checkpoint
        return getattr(checkpoint, name)
    if name == "latest_checkpoint":
        from ._state import latest_checkpoint
        return latest_checkpoint
    if name == "get_checkpoint_state":
        from ._state import read_state
        return read_state
    if name == "CheckpointManager":
        from .checkpoint_manager import CheckpointManager
        return CheckpointManager
    if name == "CheckpointOptions":
        return CheckpointOptions
    if name in _EXAMPLE_PROTOS:  # tf.train.Example and its parts (tapeflow/io/_protos.py)
        from ..io import _protos
        return getattr(_protos, name)
    raise AttributeError(f"module 'tapeflow.train' has no attribute {name!r}")


_EXAMPLE_PROTOS = ("Example", "SequenceExample", "Features", "Feature", "FeatureList",
                   "FeatureLists", "BytesList", "FloatList", "Int64List")


class CheckpointOptions:
    """``tf.train.CheckpointOptions``: accepted; tapeflow writes one shard on the host."""

    def __init__(self, experimental_io_device=None, experimental_enable_async_checkpoint=False,
                 experimental_write_callbacks=None, enable_async=False,
                 experimental_sharding_callback=None, experimental_skip_slot_variables=False):
        self.experimental_io_device = experimental_io_device
        self.enable_async = enable_async or experimental_enable_async_checkpoint
