"""``tf.config.experimental``'s device settings for tapeflow's one device, the CPU: logical
(virtual) CPUs as TF lists them once configured, memory growth (a GPU setting), determinism and
TF32 switches (tapeflow is deterministic and computes in full precision either way)."""

import collections

PhysicalDevice = collections.namedtuple("PhysicalDevice", ["name", "device_type"])
LogicalDevice = collections.namedtuple("LogicalDevice", ["name", "device_type"])
CPU = PhysicalDevice(name="/physical_device:CPU:0", device_type="CPU")


class LogicalDeviceConfiguration(collections.namedtuple(
        "LogicalDeviceConfiguration",
        ["memory_limit", "experimental_priority", "experimental_device_ordinal"])):
    """``tf.config.LogicalDeviceConfiguration`` (``experimental.VirtualDeviceConfiguration``)."""

    def __new__(cls, memory_limit=None, experimental_priority=None,
                experimental_device_ordinal=None):
        return super().__new__(cls, memory_limit, experimental_priority,
                               experimental_device_ordinal)


_state = {"virtual": None, "initialized": False, "tf32": True, "soft_placement": True,
          "device_policy": "silent", "synchronous": True}


def list_physical_devices(device_type=None):
    """``tf.config.list_physical_devices``: the CPU (no GPU, no TPU)."""
    return [CPU] if device_type in (None, "CPU") else []


def list_logical_devices(device_type=None):
    """``tf.config.list_logical_devices``: one CPU, or the configured virtual ones (listing them
    fixes the configuration, as initializing TF's runtime does)."""
    _state["initialized"] = True
    if device_type not in (None, "CPU"):
        return []
    count = len(_state["virtual"] or [None])
    return [LogicalDevice(name=f"/device:CPU:{i}", device_type="CPU") for i in range(count)]


def _check(device):
    if device != CPU:
        raise ValueError(f"Unrecognized device: {device!r}")


def set_logical_device_configuration(device, logical_devices):
    """``tf.config.set_logical_device_configuration``: split the CPU into logical devices."""
    _check(device)
    if _state["initialized"]:
        raise RuntimeError("Virtual devices cannot be modified after being initialized")
    _state["virtual"] = None if logical_devices is None else list(logical_devices)


def get_logical_device_configuration(device):
    """``tf.config.get_logical_device_configuration``: the list set, or None."""
    _check(device)
    return _state["virtual"]


def set_memory_growth(device, enable):
    _check(device)
    if _state["virtual"]:
        raise ValueError("Cannot set memory growth on device when virtual devices configured")
    raise ValueError("Cannot set memory growth on non-GPU and non-Pluggable devices")


def get_memory_growth(device):
    _check(device)
    raise KeyError(device)


def get_device_details(device):
    _check(device)
    return {}


def get_visible_devices(device_type=None):
    return list_physical_devices(device_type)


def set_visible_devices(devices, device_type=None):
    devices = [devices] if isinstance(devices, PhysicalDevice) else list(devices)
    if device_type in (None, "CPU") and CPU not in devices:
        raise ValueError("CPU must be visible")  # TF cannot hide the CPU either


def enable_op_determinism():
    """tapeflow's kernels are deterministic already."""


def enable_tensor_float_32_execution(enabled):
    _state["tf32"] = bool(enabled)


def tensor_float_32_execution_enabled():
    return _state["tf32"]


def get_synchronous_execution():
    return _state["synchronous"]


def set_synchronous_execution(enable):
    """Kept: tapeflow's ops always run as they are called."""
    _state["synchronous"] = bool(enable)


_POLICIES = (None, "warn", "explicit", "silent", "silent_for_int32")


def get_device_policy():
    return _state["device_policy"]


def set_device_policy(device_policy):
    """Kept: with one device, no tensor ever needs copying between devices."""
    if device_policy not in _POLICIES:
        raise ValueError(f"Invalid argument `device_policy`: {device_policy!r}. Please refer to "
                         "https://www.tensorflow.org/api_docs/python/tf/config/experimental/"
                         "set_device_policy for valid `device_policy` arguments.")
    _state["device_policy"] = "silent" if device_policy is None else device_policy


def get_soft_device_placement():
    return _state["soft_placement"]


def set_soft_device_placement(enabled):
    """Kept: every op runs on the one device, the CPU, whatever device it names."""
    _state["soft_placement"] = bool(enabled)


def get_memory_info(device):
    """``{'current': 0, 'peak': 0}`` for the CPU, as TF reports it (it tracks no host memory)."""
    _check_name(device)
    return {"current": 0, "peak": 0}


def reset_memory_stats(device):
    _check_name(device)


def _check_name(device):
    if str(device) not in ("CPU:0", "/device:CPU:0"):  # TF's spellings (case-sensitive)
        raise ValueError(f"No matching devices found for '{device}'")
