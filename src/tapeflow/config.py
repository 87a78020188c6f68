"""``tf.config``: running tf.functions eagerly, and the one device tapeflow has (the CPU)."""

import collections

from .tracing.polymorphic_function import (  # noqa: F401
    functions_run_eagerly, run_functions_eagerly)

PhysicalDevice = collections.namedtuple("PhysicalDevice", ["name", "device_type"])
LogicalDevice = collections.namedtuple("LogicalDevice", ["name", "device_type"])


def list_physical_devices(device_type=None):
    """``tf.config.list_physical_devices``: the CPU (no GPU, no TPU)."""
    if device_type not in (None, "CPU"):
        return []
    return [PhysicalDevice(name="/physical_device:CPU:0", device_type="CPU")]


def list_logical_devices(device_type=None):
    if device_type not in (None, "CPU"):
        return []
    return [LogicalDevice(name="/device:CPU:0", device_type="CPU")]
