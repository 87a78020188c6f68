"""Stateless random ops with a layout (``call_with_layout``): TF draws each shard with the
local shape, from a seed derived from the shard's position on the mesh."""

from ..ops.random_ops import stateless_normal, stateless_truncated_normal, stateless_uniform

_STATELESS = (stateless_normal, stateless_uniform, stateless_truncated_normal)


def per_shard(fn, layout, args, kwargs):
    """The DTensor ``fn(*args, **kwargs)`` draws shard by shard, or None when ``fn`` is not a
    stateless random op."""
    target = getattr(fn, "python_function", fn)
    if target not in _STATELESS:
        return None
    from .api import place
    return place(target(*args, **kwargs), layout)
