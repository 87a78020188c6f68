"""``tf.nest``."""

from .framework.nest import flatten, is_nested, map_structure, pack_sequence_as  # noqa: F401
from .framework.nest import _children  # noqa: E402


def _describe(x):
    return f"type={type(x).__name__} str={x}"


def _skeleton(x):
    return repr(pack_sequence_as(x, ["."] * len(flatten(x)))).replace("'.'", ".")


def _mismatch(a, b, check_types):
    """(exception class, detail) for the first difference of two structures, or None."""
    if is_nested(a) != is_nested(b):
        seq, other = (a, b) if is_nested(a) else (b, a)
        return ValueError, (f'Substructure "{_describe(seq)}" is a sequence, while substructure '
                            f'"{_describe(other)}" is not')
    if not is_nested(a):
        return None
    if check_types and type(a) is not type(b):
        return TypeError, ("The two namedtuples don't have the same sequence type. First "
                           f"structure {_describe(a)} has type {type(a).__name__}, while second "
                           f"structure {_describe(b)} has type {type(b).__name__}")
    if len(a) != len(b) or (isinstance(a, dict) and sorted(a) != sorted(b)):
        return ValueError, ("The two structures don't have the same number of elements. First "
                            f"structure: {_describe(a)}. Second structure: {_describe(b)}")
    for x, y in zip(_children(a), _children(b)):
        found = _mismatch(x, y, check_types)
        if found:
            return found
    return None


def assert_same_structure(nest1, nest2, check_types=True, expand_composites=False):
    """``tf.nest.assert_same_structure``: TF's ValueError or TypeError, worded as TF words it."""
    found = _mismatch(nest1, nest2, check_types)
    if found:
        cls, detail = found
        raise cls("The two structures don't have the same nested structure.\n\n"
                  f"First structure: {_describe(nest1)}\n\nSecond structure: "
                  f"{_describe(nest2)}\n\nMore specifically: {detail}\n"
                  f"Entire first structure:\n{_skeleton(nest1)}\n"
                  f"Entire second structure:\n{_skeleton(nest2)}")
