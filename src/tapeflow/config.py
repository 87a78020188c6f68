"""``tf.config``: running tf.functions eagerly, the one device tapeflow has (the CPU, split into
logical CPUs if asked), and the graph optimizer options (kept and reported, see
framework/optimizer_options.py)."""

from .tracing.polymorphic_function import (  # noqa: F401
    functions_run_eagerly, run_functions_eagerly)

from .framework.device_config import (  # noqa: F401, E402
    LogicalDevice, LogicalDeviceConfiguration, PhysicalDevice, get_logical_device_configuration,
    get_soft_device_placement, get_visible_devices, list_logical_devices, list_physical_devices,
    set_logical_device_configuration, set_soft_device_placement, set_visible_devices)
from .framework import config_threading as threading  # noqa: F401, E402

# TF's deprecated names
experimental_functions_run_eagerly = functions_run_eagerly
experimental_run_functions_eagerly = run_functions_eagerly
from .framework import optimizer_options as optimizer  # noqa: F401, E402
from .framework import config_experimental as experimental  # noqa: F401, E402
