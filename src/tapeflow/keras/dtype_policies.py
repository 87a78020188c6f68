"""``keras.dtype_policies``: the ``DTypePolicy`` objects Keras layers carry.

A policy names the dtype a layer computes in and the dtype of its variables: ``"float32"``,
``"float16"``, ``"int32"``... (both the same) or ``"mixed_float16"`` / ``"mixed_bfloat16"``
(compute in 16 bits, variables in float32; see keras/_autocast.py and
docs/keras-mixed-precision.md).
"""

from ..framework import dtypes as _dtypes


class DTypePolicy:
    """A compute dtype and a variable dtype, named ``"float32"`` or ``"mixed_float16"``..."""

    def __init__(self, name=None):
        from . import config
        name = config.floatx() if name is None else name
        if not isinstance(name, str):
            raise TypeError("'name' must be a string, such as 'mixed_float16'. "
                            f"Received: name={name} (of type {type(name)})")
        if name.startswith("mixed_") and name not in ("mixed_float16", "mixed_bfloat16") or (
                not name.startswith("mixed_") and _dtype_name(name) is None):
            raise ValueError(f"Cannot convert '{name}' to a mixed precision DTypePolicy. Valid "
                             "policies include 'mixed_float16', 'mixed_bfloat16', and the name "
                             "of any float dtype such as 'float32'.")
        if name.startswith("mixed_"):
            self._compute, self._variable = name[len("mixed_"):], "float32"
        else:
            name = self._compute = self._variable = _dtype_name(name)
        self._name = name

    @property
    def name(self):
        return self._name

    @property
    def compute_dtype(self):
        return self._compute

    @property
    def variable_dtype(self):
        return self._variable

    @property
    def quantization_mode(self):
        return None

    def get_config(self):
        return {"name": self._name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f'<{type(self).__name__} "{self._name}">'

    def __eq__(self, other):
        return type(other) is type(self) and other._name == self._name

    def __hash__(self):
        return hash((type(self), self._name))


def _dtype_name(name):
    """The standard name of the dtype ``name`` names (``"float"`` is ``"float32"``), or
    ``None``."""
    try:
        return _dtypes.as_dtype(name).name
    except TypeError:
        return None


class FloatDTypePolicy(DTypePolicy):
    """Kept for compatibility: the same as ``DTypePolicy``."""


def serialize(dtype_policy):
    return {"module": "keras", "class_name": type(dtype_policy).__name__,
            "config": dtype_policy.get_config(), "registered_name": None}


def deserialize(config, custom_objects=None):
    classes = {"DTypePolicy": DTypePolicy, "FloatDTypePolicy": FloatDTypePolicy,
               **(custom_objects or {})}
    return classes[config["class_name"]].from_config(config["config"])


def get(identifier):
    if identifier is None:
        from . import config
        return config.dtype_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        return DTypePolicy(identifier)
    try:  # tf.float16, or a NumPy dtype or type
        return DTypePolicy(_dtypes.as_dtype(identifier).name)
    except TypeError:
        pass
    raise ValueError(f"Cannot interpret `dtype` argument. Expected a string or an instance of "
                     f"DTypePolicy. Received: dtype={identifier}")
