"""``tf.experimental.dispatch_for_api`` and the elementwise dispatchers: calls of a public API
whose arguments have the types a handler declares (its annotations, ``List[...]`` and
``Union[...]`` included) go to the handler, others to the API itself.

A dispatched API is replaced, in every public tapeflow namespace that exports it (``tf.stack``,
``tf.math.add``, ...), by a wrapper that checks the handlers first (until its last handler is
unregistered); tapeflow's own code keeps calling the op directly.
"""

import functools
import inspect
import sys
import typing

# The APIs the elementwise dispatchers cover, by ``tf.math`` name (then tf / tf.nn).
_UNARY = ("abs", "acos", "acosh", "asin", "asinh", "atan", "atanh", "ceil", "conj", "cos",
          "cosh", "digamma", "erf", "erfc", "exp", "expm1", "floor", "imag", "is_finite",
          "is_inf", "is_nan", "lgamma", "log", "log1p", "log_sigmoid", "logical_not",
          "negative", "real", "reciprocal", "rint", "round", "rsqrt", "sigmoid", "sign", "sin",
          "sinh", "softplus", "sqrt", "square", "tan", "tanh", "ones_like", "zeros_like",
          "identity", "relu", "relu6", "elu", "selu", "softsign")
_BINARY = ("add", "subtract", "multiply", "divide", "truediv", "floordiv", "floormod", "mod",
           "maximum", "minimum", "pow", "equal", "not_equal", "less", "less_equal", "greater",
           "greater_equal", "logical_and", "logical_or", "logical_xor", "squared_difference",
           "atan2", "xdivy", "xlogy", "divide_no_nan", "multiply_no_nan", "truncatediv",
           "truncatemod")

_handlers = {}  # original API -> [(handler, matcher)]
_wrappers = {}  # original API -> its dispatching wrapper


def _matches(value, ann):
    """Whether ``value`` has the annotated type (``Any``/missing: anything)."""
    if ann is inspect.Parameter.empty or ann is typing.Any:
        return True
    origin = typing.get_origin(ann)
    if origin is typing.Union:
        return any(_matches(value, a) for a in typing.get_args(ann))
    if origin in (list, tuple, typing.List, typing.Sequence) or origin is not None and (
            isinstance(origin, type) and issubclass(origin, list | tuple)):
        args = [a for a in typing.get_args(ann) if a is not Ellipsis]
        return isinstance(value, list | tuple) and all(
            _matches(v, args[0] if args else typing.Any) for v in value)
    if ann is None or ann is type(None):
        return value is None
    return isinstance(value, ann)


def _dispatchable(arguments):
    """TF dispatches only calls with an extension type among the arguments (in a list, too):
    a handler may call the API on plain tensors."""
    from .extension_type import ExtensionType
    for value in arguments.values():
        items = value if isinstance(value, list | tuple) else (value,)
        if any(isinstance(v, ExtensionType) for v in items):
            return True
    return False


def _dispatched(api):
    """The wrapper of ``api``, installed in the public namespaces on first use."""
    wrapper = _wrappers.get(api)
    if wrapper is not None:
        return wrapper
    signature = inspect.signature(api)

    @functools.wraps(api)
    def wrapper(*args, **kwargs):
        handlers = _handlers.get(api)
        if handlers:
            try:
                bound = signature.bind(*args, **kwargs)
            except TypeError:
                bound = None
            for handler, matcher in handlers:
                if bound is not None and _dispatchable(bound.arguments) and matcher(
                        bound.arguments):
                    return handler(*args, **kwargs)
        return api(*args, **kwargs)

    _wrappers[api] = wrapper
    _swap(api, wrapper)
    return wrapper


def _swap(old, new):
    """Put ``new`` wherever a public tapeflow namespace exports ``old``."""
    for name, module in list(sys.modules.items()):
        if module is None or not (name == "tapeflow" or name.startswith("tapeflow.")) or any(
                part in name for part in (".ops", ".framework", ".engine", "._")):
            continue
        for attr, value in list(vars(module).items()):
            if value is old:
                setattr(module, attr, new)


def _original(api):
    for original, wrapper in _wrappers.items():
        if wrapper is api:
            return original
    return api


def _register(api, handler, matcher):
    api = _original(api)
    _handlers.setdefault(api, []).append((handler, matcher))
    _dispatched(api)


def dispatch_for_api(api, *signatures):
    """Send calls of ``api`` whose arguments match the handler's annotations (or one of the
    ``signatures``, dicts of parameter name -> type) to the handler."""
    def decorate(handler):
        if signatures:
            checks = list(signatures)
        else:
            hints = typing.get_type_hints(handler)
            checks = [{k: v for k, v in hints.items() if k != "return"}]

        def matcher(arguments):
            return any(all(name in arguments and _matches(arguments[name], ann)
                           for name, ann in check.items()) for check in checks)
        _register(api, handler, matcher)
        return handler
    return decorate


def _elementwise(names):
    import tapeflow as tf
    out = []
    for name in names:
        for ns in (tf.math, tf, tf.nn):
            fn = getattr(ns, name, None)
            if fn is not None:
                out.append(_original(fn))
                break
    return out


def dispatch_for_unary_elementwise_apis(x_type):
    """``handler(api_func, x)`` for every unary elementwise API called with an ``x_type``
    ``x`` (``api_func``: the API with the call's other arguments bound)."""
    def decorate(handler):
        for api in _elementwise(_UNARY):
            first = next(iter(inspect.signature(api).parameters))

            def call(*args, _api=api, _first=first, **kwargs):
                bound = inspect.signature(_api).bind(*args, **kwargs)
                x = bound.arguments.pop(_first)
                return handler(functools.partial(_api, **bound.arguments), x)
            call._handler = handler
            _register(api, call, lambda a, _f=first: _matches(a.get(_f), x_type))
        return handler
    return decorate


def dispatch_for_binary_elementwise_apis(x_type, y_type):
    """``handler(api_func, x, y)`` for every binary elementwise API called with an ``x_type``
    ``x`` and a ``y_type`` ``y``."""
    def decorate(handler):
        for api in _elementwise(_BINARY):
            names = list(inspect.signature(api).parameters)[:2]

            def call(*args, _api=api, _names=names, **kwargs):
                bound = inspect.signature(_api).bind(*args, **kwargs)
                x, y = (bound.arguments.pop(n) for n in _names)
                return handler(functools.partial(_api, **bound.arguments), x, y)
            call._handler = handler
            _register(api, call, lambda a, _n=names: _matches(a.get(_n[0]), x_type)
                      and _matches(a.get(_n[1]), y_type))
        return handler
    return decorate


def unregister_dispatch_for(dispatch_target):
    """Remove every registration of the handler ``dispatch_target``; an API left without
    handlers is the plain function again."""
    found = False
    for api, handlers in list(_handlers.items()):
        kept = [(h, m) for h, m in handlers if h is not dispatch_target and getattr(
            h, "_handler", None) is not dispatch_target]
        found = found or len(kept) != len(handlers)
        handlers[:] = kept
        if not kept:
            del _handlers[api]
            _swap(_wrappers.pop(api), api)
    if not found:
        raise ValueError(f"Function {dispatch_target} was not registered using a "
                         "`@dispatch_for*` decorator.")
