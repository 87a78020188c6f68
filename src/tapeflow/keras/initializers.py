"""Initializers by name (``glorot_uniform``, ``zeros``, ``ones``, ``random_normal``)."""

import math

from ..framework import dtypes
from ..ops import array_ops, random_ops


def glorot_uniform(shape, dtype=dtypes.float32):
    fan_in, fan_out = (shape[0], shape[-1]) if len(shape) >= 2 else (shape[0], shape[0])
    receptive = math.prod(shape[:-2]) if len(shape) > 2 else 1
    limit = math.sqrt(6.0 / ((fan_in + fan_out) * receptive))
    return random_ops.uniform(shape, -limit, limit, dtype=dtype)


def zeros(shape, dtype=dtypes.float32):
    return array_ops.zeros(shape, dtype)


def ones(shape, dtype=dtypes.float32):
    return array_ops.ones(shape, dtype)


def random_normal(shape, dtype=dtypes.float32):
    return random_ops.normal(shape, stddev=0.05, dtype=dtype)


def get(identifier):
    if callable(identifier):
        return identifier
    table = {"glorot_uniform": glorot_uniform, "zeros": zeros, "ones": ones,
             "random_normal": random_normal}
    if identifier not in table:
        raise ValueError(f"Could not interpret initializer identifier: {identifier}")
    return table[identifier]
