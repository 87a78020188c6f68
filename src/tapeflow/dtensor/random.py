"""Stateless random ops with a layout (``call_with_layout``): each shard is drawn on its own,
with the local shape, as TF's DTensor expands the op.

TF draws a shard from the key and counter the seed pair gives (``StatelessRandomGetKeyCounter``),
its key's low word XORed with ``(i << 16) ^ 65521``, ``i`` the shard's index over the mesh
dimensions the layout shards (the first mesh dimension counting fastest); devices holding the
same shard draw the same values, and a fully replicated layout draws the global value unchanged.
This was found from TF's outputs and is checked against them (tests/fixtures/dtensor).
"""

import inspect

import numpy as np

from ..framework import dtypes
from ..ops.philox import Philox
from ..ops.random_ops import (
    Generator, _stateless_generator, stateless_normal, stateless_truncated_normal,
    stateless_uniform)
from .layout import MATCH, UNSHARDED

_STATELESS = {stateless_normal: "normal", stateless_uniform: "uniform",
              stateless_truncated_normal: "truncated_normal"}
_MIX = 65521


def shard_index(layout, coords):
    """The shard's index over the sharded mesh dimensions, the first mesh dimension fastest."""
    mesh = layout.mesh
    sharded = {s for s in layout.sharding_specs if s not in (UNSHARDED, MATCH)}
    index, scale = 0, 1
    for name, size, c in zip(mesh.dim_names, mesh.shape(), coords):
        if name in sharded:
            index += int(c) * scale
            scale *= size
    return index


def _draw(kind, key_counter, shape, arguments):
    gen = Generator.from_state(key_counter.state(), "philox")
    dtype = dtypes.as_dtype(arguments.get("dtype", dtypes.float32))
    if kind == "uniform":
        maxval = arguments.get("maxval")
        if dtype.is_integer and maxval is None:
            return gen.uniform_full_int(shape, dtype)
        return gen.uniform(shape, arguments.get("minval", 0), maxval, dtype)
    return getattr(gen, kind)(shape, arguments.get("mean", 0.0), arguments.get("stddev", 1.0),
                              dtype)


def per_shard(fn, layout, args, kwargs):
    """The DTensor ``fn(*args, **kwargs)`` drawn shard by shard, or None when ``fn`` (or the
    Python function a ``tf.function`` wraps) is not a stateless random op."""
    target = getattr(fn, "python_function", fn)
    kind = _STATELESS.get(target) if callable(target) else None
    if kind is None:
        return None
    from .api import checked, pack, place
    if layout.is_fully_replicated():
        return place(target(*args, **kwargs), layout)
    if target is fn:
        # Eagerly, TF's layout scope reaches the op's first kernel, which makes the seed's key
        # (a vector of one): a sharded layout does not fit it.
        checked((1,), layout, "StatelessRandomGetKeyCounter")
    arguments = inspect.signature(target).bind(*args, **kwargs).arguments
    shape = tuple(int(d) for d in np.asarray(getattr(arguments["shape"], "as_list",
                                                     lambda: arguments["shape"])()).reshape(-1))
    checked(shape, layout)
    local = layout.local_shape_from_global_shape(shape)
    base = Philox.from_stateless(_stateless_generator(arguments["seed"], run_time=False))
    drawn = {}
    components = []
    for coords in layout.mesh.coordinates():
        i = shard_index(layout, coords)
        if i not in drawn:
            key = [base.key[0] ^ ((i << 16) ^ _MIX), base.key[1]]
            drawn[i] = _draw(kind, Philox(key, base.counter), local, arguments)
        components.append(drawn[i])
    return pack(components, layout)
