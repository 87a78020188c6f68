"""``keras.tree``: nested structures (lists, tuples, namedtuples, dicts) as Keras 3 walks them.

Dicts are visited in sorted-key order and rebuilt with their original key order; ``None`` is a
leaf; anything that is not a list, tuple or mapping is a leaf.
"""

import collections.abc as _abc


class MAP_TO_NONE:
    """Returned by a ``traverse`` function to put ``None`` in the output structure."""


def _is_namedtuple(x):
    return isinstance(x, tuple) and hasattr(x, "_fields")


def is_nested(structure):
    return isinstance(structure, (list, tuple, _abc.Mapping))


def _children(x):
    """(keys, values) of a nested node, in Keras's order."""
    if isinstance(x, _abc.Mapping):
        keys = sorted(x)
        return keys, [x[k] for k in keys]
    return list(range(len(x))), list(x)


def _rebuild(node, values):
    if isinstance(node, _abc.Mapping):
        by_key = dict(zip(sorted(node), values))
        return type(node)((k, by_key[k]) for k in node) if not isinstance(
            node, _abc.MutableMapping) or type(node) is dict else _copy_mapping(node, by_key)
    if _is_namedtuple(node):
        return type(node)(*values)
    return type(node)(values)


def _copy_mapping(node, by_key):
    out = type(node)() if not hasattr(node, "default_factory") else \
        type(node)(node.default_factory)
    for k in node:
        out[k] = by_key[k]
    return out


def flatten(structure):
    if not is_nested(structure):
        return [structure]
    return [leaf for child in _children(structure)[1] for leaf in flatten(child)]


def flatten_with_path(structure):
    if not is_nested(structure):
        return [((), structure)]
    out = []
    for key, child in zip(*_children(structure)):
        out += [((key, *path), leaf) for path, leaf in flatten_with_path(child)]
    return out


def pack_sequence_as(structure, flat_sequence):
    flat_sequence = list(flat_sequence)
    count = len(flatten(structure))
    if len(flat_sequence) != count:
        raise ValueError("The target structure is of type `{}`\n  {}\nHowever the input "
                         "is a sequence of type `{}` of length {}.\n  {}".format(
                             type(structure), structure, type(flat_sequence),
                             len(flat_sequence), flat_sequence)
                         if count != 1 or is_nested(structure) else
                         f"Structure had {count} atoms, but flat_sequence had "
                         f"{len(flat_sequence)} items.")
    it = iter(flat_sequence)

    def build(node):
        if not is_nested(node):
            return next(it)
        return _rebuild(node, [build(c) for c in _children(node)[1]])
    return build(structure)


def _same(a, b, check_types, path=()):
    if is_nested(a) != is_nested(b):
        raise ValueError(f"The two structures don't have the same nested structure.\n\n"
                         f"First structure: {a}\n\nSecond structure: {b}")
    if not is_nested(a):
        return
    if check_types and type(a) is not type(b) and not (
            isinstance(a, _abc.Mapping) and isinstance(b, _abc.Mapping)):
        raise ValueError(f"The two structures don't have the same sequence type. Input "
                         f"structure has type {type(a)}, while shallow structure has type "
                         f"{type(b)}.")
    ka, va = _children(a)
    kb, vb = _children(b)
    if ka != kb:
        raise ValueError(f"The two structures don't have the same nested structure.\n\n"
                         f"First structure: {a}\n\nSecond structure: {b}")
    for x, y, k in zip(va, vb, ka):
        _same(x, y, check_types, (*path, k))


def assert_same_structure(a, b, check_types=None):
    _same(a, b, True if check_types is None else check_types)


def assert_same_paths(a, b):
    pa = {p for p, _ in flatten_with_path(a)}
    pb = {p for p, _ in flatten_with_path(b)}
    if pa != pb:
        raise ValueError("`a` and `b` don't have the same paths.\n"
                         f"Paths in `a` missing in `b`:\n{sorted(pa - pb)}\n"
                         f"Paths in `b` missing in `a`:\n{sorted(pb - pa)}")


def map_structure(func, *structures, none_is_leaf=True):
    if not callable(func):
        raise TypeError(f"`func` must be callable. Received: func={func}")
    if not structures:
        raise ValueError("Must provide at least one structure")
    for other in structures[1:]:
        _same(structures[0], other, False)

    def walk(*nodes):
        if not is_nested(nodes[0]):
            if not none_is_leaf and nodes[0] is None:
                return None
            return func(*nodes)
        return _rebuild(nodes[0], [walk(*cs) for cs in zip(*(_children(n)[1]
                                                               for n in nodes))])
    return walk(*structures)


def map_structure_up_to(shallow_structure, func, *structures):
    def walk(shallow, *nodes):
        if not is_nested(shallow):
            return func(*nodes)
        for n in nodes:
            if not is_nested(n):
                raise ValueError("If shallow structure is a sequence, input must also be a "
                                 f"sequence. Input has type: {type(n).__name__}.")
        keys = _children(shallow)[0]
        kids = [[n[k] for k in keys] for n in nodes]
        return _rebuild(shallow, [walk(s, *cs) for s, cs in zip(_children(shallow)[1],
                                                                    zip(*kids))])
    return walk(shallow_structure, *structures)


def lists_to_tuples(structure):
    if not is_nested(structure):
        return structure
    values = [lists_to_tuples(c) for c in _children(structure)[1]]
    return tuple(values) if isinstance(structure, list) else _rebuild(structure, values)


def _is_shape(x):
    return isinstance(x, (list, tuple)) and all(isinstance(d, int) or d is None for d in x) \
        or hasattr(x, "as_list")


def map_shape_structure(func, structure):
    """``map_structure`` that treats shapes (tuples or lists of ints/None) as leaves."""
    if _is_shape(structure) or not is_nested(structure):
        return func(structure)
    return _rebuild(structure, [map_shape_structure(func, c)
                                for c in _children(structure)[1]])


def traverse(func, structure, top_down=True):
    """Calls ``func`` on every node; a non-``None`` result replaces the subtree (top-down) or
    the node built from the mapped children (bottom-up); ``MAP_TO_NONE`` stands for ``None``."""
    if not callable(func):
        raise TypeError(f"`func` must be callable. Received: func={func}")

    def fix(value):
        return None if value is MAP_TO_NONE else value

    def down(node):
        out = func(node)
        if out is not None:
            return fix(out)
        if not is_nested(node):
            return node
        return _rebuild(node, [down(c) for c in _children(node)[1]])

    def up(node):
        if is_nested(node):
            node = _rebuild(node, [up(c) for c in _children(node)[1]])
        out = func(node)
        return node if out is None else fix(out)
    return down(structure) if top_down else up(structure)
