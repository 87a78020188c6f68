"""``tf.nest``-style flatten/pack: lists, tuples, namedtuples and dicts (leaves by sorted key)."""


def _is_namedtuple(x):
    return isinstance(x, tuple) and hasattr(type(x), "_fields")


def _children(x):
    if isinstance(x, dict):
        return [x[k] for k in sorted(x)]
    return list(x)


_NESTED = (list, tuple, dict)


def is_nested(x):
    return isinstance(x, _NESTED)


def _flat_sequence(x):
    """Whether ``x`` is a plain list or tuple of leaves (the common case: a list of variables),
    which flattens to itself: no walk."""
    if type(x) is not list and type(x) is not tuple:
        return False
    for item in x:
        if isinstance(item, _NESTED):
            return False
    return True


def flatten(structure):
    """The leaves of ``structure`` in tf.nest order."""
    if not isinstance(structure, _NESTED):
        return [structure]
    if _flat_sequence(structure):
        return list(structure)
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
    if (_flat_sequence(structure) and isinstance(flat, list | tuple)
            and len(flat) == len(structure)):
        return type(structure)(flat)
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
