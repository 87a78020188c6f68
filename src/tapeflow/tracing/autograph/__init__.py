"""AutoGraph: Python control flow on tensors becomes graph control flow (see transformer.py)."""

import functools
import os

from . import operators

# The transformer (and the ast module) load on the first conversion: not at `import tapeflow`.

_converted = {}


def _do_not_convert_marker(fn):
    return getattr(fn, "__ag_do_not_convert__", False)


def convert(fn):
    """``fn`` with its control flow converted (``fn`` itself when its source is unavailable)."""
    if _do_not_convert_marker(fn):
        return fn
    target = getattr(fn, "__func__", fn)
    key = getattr(target, "__code__", None)
    if key is None:
        return fn
    from .transformer import convert_source, load
    cached = _converted.get(key)
    if cached is None:
        node = convert_source(target)
        if node is None:
            return fn
        cached = _converted[key] = node
    converted = load(target, cached, operators)
    functools.update_wrapper(converted, target)
    if target is not fn:  # a bound method
        return converted.__get__(fn.__self__)
    return converted


_PACKAGE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_user = {}


def is_user_function(f):
    """A Python function from the user's code (not tapeflow's, NumPy's or the standard
    library's) with control flow worth converting."""
    target = getattr(f, "__func__", f)
    code = getattr(target, "__code__", None)
    if code is None or _do_not_convert_marker(target) or getattr(target, "__ag_converted__", 0):
        return False
    known = _user.get(code)
    if known is None:
        path = os.path.abspath(code.co_filename)
        from .transformer import has_control_flow
        known = not path.startswith((_PACKAGE, os.path.dirname(os.__file__))) and (
            "site-packages" not in path) and code.co_name != "<lambda>" and (
            has_control_flow(target))
        _user[code] = known
    return known


def to_code(entity, recursive=True, experimental_optional_features=None):
    """``tf.autograph.to_code``: the converted source of a function."""
    import ast

    from .transformer import convert_source
    fn = getattr(entity, "python_function", entity)
    node = convert_source(getattr(fn, "__func__", fn))
    if node is None:
        raise ValueError(f"Unable to locate the source code of {fn!r}.")
    return ast.unparse(node) + "\n"


def do_not_convert(func=None):
    """``tf.autograph.experimental.do_not_convert``."""
    if func is None:
        return do_not_convert
    func.__ag_do_not_convert__ = True
    return func


def set_loop_options(parallel_iterations=None, swap_memory=None, maximum_iterations=None,
                     shape_invariants=None):
    """``tf.autograph.experimental.set_loop_options`` (accepted; tapeflow's loops need none)."""
    return None
