"""Random tensors (``tf.random``) with TF's global/op seed semantics, reproducible in tapeflow.

``set_seed(s)`` resets every generator. An op with an explicit ``seed`` draws from a generator
keyed by (global seed, op seed), so re-running a program after ``set_seed`` repeats its values,
while successive calls still differ.
"""

import numpy as np

from ..framework import dtypes
from ..framework.tensor import wrap
from .array_ops import _shape_tuple

_global_seed = None
_generators = {}


def set_seed(seed):
    """``tf.random.set_seed``."""
    global _global_seed
    _global_seed = None if seed is None else int(seed)
    _generators.clear()


def _generator(seed):
    key = (_global_seed, seed)
    gen = _generators.get(key)
    if gen is None:
        if _global_seed is None and seed is None:
            gen = np.random.default_rng()
        else:
            gen = np.random.default_rng([_global_seed or 0, -1 if seed is None else int(seed) + 1])
        _generators[key] = gen
    return gen


def _float_dtype(dtype):
    d = dtypes.as_dtype(dtype)
    if not d.is_floating:
        raise ValueError(f"Invalid dtype {d!r} for a floating-point random op.")
    return d._np


def normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """``tf.random.normal``."""
    np_dtype = _float_dtype(dtype)
    out = _generator(seed).normal(size=_shape_tuple(shape)) * np.asarray(stddev) + np.asarray(mean)
    return wrap(np.asarray(out).astype(np_dtype))


def uniform(shape, minval=0, maxval=None, dtype=dtypes.float32, seed=None, name=None):
    """``tf.random.uniform``: floats in [minval, maxval) (maxval defaults to 1), or integers."""
    d = dtypes.as_dtype(dtype)
    gen = _generator(seed)
    shape = _shape_tuple(shape)
    if d.is_integer:
        if maxval is None:
            raise ValueError("Must specify maxval for integer dtype " + repr(d))
        return wrap(gen.integers(int(minval), int(maxval), size=shape).astype(d._np))
    maxval = 1 if maxval is None else maxval
    out = gen.random(size=shape) * (np.asarray(maxval) - np.asarray(minval)) + np.asarray(minval)
    return wrap(np.asarray(out).astype(_float_dtype(d)))

EXPORTS = {
    "random": ["normal", "set_seed", "uniform"],
}
