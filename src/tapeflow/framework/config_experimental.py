"""``tf.config.experimental``: the device settings of device_config under TF's older names."""

from .device_config import (  # noqa: F401
    enable_op_determinism, enable_tensor_float_32_execution, get_device_details, get_device_policy,
    get_memory_growth, get_memory_info, get_synchronous_execution, get_visible_devices,
    list_logical_devices, list_physical_devices, reset_memory_stats, set_device_policy,
    set_memory_growth, set_synchronous_execution, set_visible_devices,
    tensor_float_32_execution_enabled)
from .device_config import LogicalDeviceConfiguration as VirtualDeviceConfiguration  # noqa: F401
from .device_config import (  # noqa: F401
    get_logical_device_configuration as get_virtual_device_configuration)
from .device_config import (  # noqa: F401
    set_logical_device_configuration as set_virtual_device_configuration)


def get_memory_usage(device):
    """Deprecated in TF for ``get_memory_info(device)['current']``."""
    return get_memory_info(device)["current"]


def enable_mlir_bridge():
    """Kept: tapeflow compiles no graph through MLIR."""


def disable_mlir_bridge():
    """Kept: tapeflow compiles no graph through MLIR."""
