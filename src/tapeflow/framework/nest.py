"""``tf.nest``-style flatten/pack: lists, tuples, namedtuples and dicts (leaves by sorted key)."""


def _is_namedtuple(x):
    return isinstance(x, tuple) and hasattr(type(x), "_fields")


def _children(x):
    if isinstance(x, dict):
        return [x[k] for k in sorted(x)]
    return list(x)


def is_nested(x):
    return isinstance(x, list | tuple | dict)


def flatten(structure):
    """The leaves of ``structure`` in tf.nest order."""
    if not is_nested(structure):
        return [structure]
    out = []
    stack = [structure]
    while stack:  # iterative, depth first, left to right
        node = stack.pop()
        if is_nested(node):
            stack.extend(reversed(_children(node)))
        else:
            out.append(node)
    return out


def pack_sequence_as(structure, flat):
    """Rebuild ``structure`` with the leaves taken in order from ``flat``."""
    return _build(structure, iter(flat))


def _build(node, leaves):
    # A module-level recursion: a nested function that calls itself would be a reference cycle
    # (function -> cell -> function) holding the leaves until the garbage collector runs.
    if isinstance(node, dict):
        built = {k: _build(node[k], leaves) for k in sorted(node)}
        return type(node)((k, built[k]) for k in node)
    if _is_namedtuple(node):
        return type(node)(*[_build(c, leaves) for c in node])
    if isinstance(node, list | tuple):
        return type(node)([_build(c, leaves) for c in node])
    return next(leaves)


def map_structure(fn, structure):
    return pack_sequence_as(structure, [fn(x) for x in flatten(structure)])
