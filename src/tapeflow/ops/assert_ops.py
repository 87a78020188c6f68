"""``tf.debugging``'s assertions (and ``tf.Assert``), worded as eager TF words them: each returns
``None`` when the condition holds and raises TF's exception, with TF's message, when not."""

import numpy as np

from ..framework import dtypes, errors
from ..framework.context import state
from ..framework.optimizer_options import debug_stripped
from ..framework.tensor import Tensor, wrap
from ..framework.variable import Variable
from . import _k
from ._helpers import operands, tensor
from .debug_ops import check_numerics

_SUMMARIZE = 3


def _value(t):
    return np.asarray(t._value if isinstance(t, Tensor) else t)


def _element_text(v):
    if isinstance(v, bytes | str):
        return repr(v.encode() if isinstance(v, str) else v)
    return str(v)


def _summary(item, summarize):
    """One entry of ``tf.Assert``'s data as TF prints it: strings as bytes, tensors as their
    first ``summarize`` elements joined with ", "."""
    if isinstance(item, str | bytes):
        return _element_text(item)
    arr = item if isinstance(item, np.ndarray) else _value(
        item if isinstance(item, Tensor | Variable) else tensor(item))
    flat = arr.reshape(-1)
    if summarize is not None and summarize >= 0:
        flat = flat[:summarize]
    return ", ".join(_element_text(v) for v in flat)


def _checked(check, tensors):
    """``check(*values)`` (which raises TF's error) on the tensors' values: now, or, where a
    traced graph knows them only when it runs, in a stateful ``Assert`` node that checks each
    run's values (TF's Assert op), never the trace's example."""
    graph = state.graph
    if graph is not None and debug_stripped():
        return None
    if graph is not None and not all(_k.trace_known(t) for t in tensors):
        def run(*arrays):
            check(*arrays)
            return ()
        node = graph.add("op", "Assert", run, list(tensors), (), {}, multi=True, stateful=True)
        node.replay = lambda *ts: run(*[t._value for t in ts])
        return None
    check(*[_value(t) for t in tensors])
    return None


def Assert(condition, data, summarize=None, name=None):  # noqa: N802 - TF's name
    """``tf.Assert``: InvalidArgumentError listing ``data`` when ``condition`` is false."""
    text = str(condition)
    condition = condition if isinstance(condition, Tensor) else tensor(condition)
    items = [d.read_value() if isinstance(d, Variable) else d if isinstance(d, Tensor | str | bytes)
             else tensor(d) for d in data]
    tensors = [condition] + [d for d in items if isinstance(d, Tensor)]

    def check(holds, *values):
        if holds.dtype != np.bool_ or holds.shape != ():
            raise errors.InvalidArgumentError(
                None, None, "Predicate must be a bool scalar" if holds.dtype == np.bool_ else
                "Predicate must be a bool scalar, got " + str(holds.dtype))
        if not holds:
            n = _SUMMARIZE if summarize is None else summarize
            it = iter(values)
            shown = "\n".join(_summary(next(it) if isinstance(d, Tensor) else d, n)
                              for d in items)
            raise errors.InvalidArgumentError(
                None, None, f"Expected '{text}' to be true. Summarized data: {shown}")
    return _checked(check, tensors)


def _first(arr, n):
    return arr.reshape(-1)[:n]


def _binary_assert(symbol, fn):
    def check(x, y, message=None, summarize=None, name=None):
        x, y = operands(x, y, "Assert")
        return _checked(lambda xv, yv: _binary_check(xv, yv, message, summarize), (x, y))

    def _binary_check(xv, yv, message, summarize):
        try:
            ok = np.broadcast_to(fn(xv, yv), np.broadcast_shapes(xv.shape, yv.shape))
        except ValueError as e:
            raise errors.InvalidArgumentError(
                None, None, f"Incompatible shapes: {list(xv.shape)} vs. {list(yv.shape)}") from e
        if ok.all():
            return None
        n = _SUMMARIZE if summarize is None else summarize
        lines = [message] if message else []
        lines.append(f"Condition x {symbol} y did not hold.")
        if xv.shape == yv.shape:
            bad = np.argwhere(~ok)[:n]
            lines += [f"Indices of first {len(bad)} different values:", str(bad),
                      "Corresponding x values:", str(xv[tuple(bad.T)]),
                      "Corresponding y values:", str(yv[tuple(bad.T)])]
        lines += [f"First {min(n, xv.size)} elements of x:", str(_first(xv, n)),
                  f"First {min(n, yv.size)} elements of y:", str(_first(yv, n))]
        raise errors.InvalidArgumentError(None, None, "\n".join(lines))
    check.__doc__ = f"``tf.debugging.assert_*``: every element satisfies ``x {symbol} y``."
    return check


assert_equal = _binary_assert("==", np.equal)
assert_none_equal = _binary_assert("!=", np.not_equal)
assert_greater = _binary_assert(">", np.greater)
assert_greater_equal = _binary_assert(">=", np.greater_equal)
assert_less = _binary_assert("<", np.less)
assert_less_equal = _binary_assert("<=", np.less_equal)


def _sign_assert(symbol, fn):
    def check(x, message=None, summarize=None, name=None):
        x = tensor(x)

        def sign_check(v):
            if fn(v).all():
                return
            n = _SUMMARIZE if summarize is None else summarize
            shown = [str(e) for e in _first(v, n)] + (["..."] if v.size > n else [])
            raise errors.InvalidArgumentError(
                None, None, f"{message or ''}\nCondition x {symbol} 0 did not hold "
                f"element-wise:\nx (shape={x.shape} dtype={x.dtype.name}) = \n{shown}")
        return _checked(sign_check, (x,))
    check.__doc__ = f"``tf.debugging.assert_*``: every element satisfies ``x {symbol} 0``."
    return check


assert_positive = _sign_assert(">", lambda v: v > 0)
assert_negative = _sign_assert("<", lambda v: v < 0)
assert_non_negative = _sign_assert(">=", lambda v: v >= 0)
assert_non_positive = _sign_assert("<=", lambda v: v <= 0)


def assert_near(x, y, rtol=None, atol=None, message=None, summarize=None, name=None):
    """``tf.debugging.assert_near``: ``|x - y| <= atol + rtol * |y|`` elementwise."""
    x, y = operands(x, y, "Assert")
    eps = float(np.finfo(x._value.dtype).eps) if x._value.dtype.kind in "fc" else 0.0
    real = x._value.real.dtype
    rtol, atol = (wrap(np.asarray(10 * eps if t is None else _value(t), real))
                  for t in (rtol, atol))
    if all(_k.trace_known(t) for t in (x, y)):
        xv, yv = _value(x), _value(y)
        cond = wrap(np.asarray(np.all(np.abs(xv - yv) <= atol._value + rtol._value * np.abs(yv))))
        if cond._value:
            return None
    else:  # ops: a traced graph compares the values each run brings
        from .math_ops import abs as tf_abs, less_equal
        from .special_ops import reduce_all
        cond = reduce_all(less_equal(tf_abs(x - y), atol + rtol * tf_abs(y)))
    return Assert(cond, [message or "",
                         f"x and y not equal to tolerance rtol = {str(rtol)}, atol = {str(atol)}",
                         f"x (shape={x.shape} dtype={x.dtype.name}) = ", x,
                         f"y (shape={y.shape} dtype={y.dtype.name}) = ", y], summarize)


def _rank_error(message, what, x):
    return ValueError(f"{message or ''}Tensor  must have rank {what}.  Received rank "
                      f"{x.shape.rank}, shape {x.shape}")


def assert_rank(x, rank, message=None, name=None):
    """``tf.debugging.assert_rank``: ValueError when ``x``'s rank is not ``rank``."""
    x = tensor(x)
    if x.shape.rank != int(_value(rank)):
        raise _rank_error(message, int(_value(rank)), x)


def assert_rank_at_least(x, rank, message=None, name=None):
    x = tensor(x)
    if x.shape.rank < int(_value(rank)):
        raise _rank_error(message, f"at least {int(_value(rank))}", x)


def assert_rank_in(x, ranks, message=None, name=None):
    x = tensor(x)
    ranks = tuple(int(_value(r)) for r in ranks)
    if x.shape.rank not in ranks:
        raise _rank_error(message, f"in {ranks}", x)


def assert_scalar(tensor_, message=None, name=None):
    t = tensor(tensor_)
    if t.shape.rank != 0:
        raise ValueError(f"{message or ''}Expected scalar shape, saw shape: {t.shape}.")
    return t


def assert_type(tensor_, tf_type, message=None, name=None):
    t = tensor(tensor_)
    want = dtypes.as_dtype(tf_type)
    if t.dtype != want:
        raise TypeError(f"{message or ''}tensor must be of type {want!r}; got {t.dtype!r}")


def assert_integer(x, message=None, name=None):
    x = tensor(x)
    if not x.dtype.is_integer:
        raise TypeError(f'{message or ""}Expected "x" to be integer type.  Found: tensor of '
                        f"dtype {str(x.dtype)}")


def assert_all_finite(t, message, name=None):
    """``tf.debugging.assert_all_finite``: ``check_numerics`` under another name."""
    return check_numerics(t, message, name)


def assert_proper_iterable(values):
    """TypeError for a string, a tensor or an ndarray, which iterate but not as a list of
    values would."""
    bad = (str, bytes, np.ndarray, Tensor, Variable)
    if isinstance(values, bad) or not hasattr(values, "__iter__"):
        raise TypeError('Expected argument "values" to be a "proper" iterable.  Found: '
                        f"{type(values)}")


def assert_same_float_dtype(tensors=None, dtype=None):
    """The common float dtype of ``tensors`` (and ``dtype``); ValueError when they differ."""
    first = None
    for t in tensors or ():
        if first is None:
            first = t
            if dtype is None:
                dtype = t.dtype
        elif t.dtype != dtype:
            raise ValueError(f"{str(t)}, type={str(t.dtype)}, must be of the same type "
                             f"({str(dtype)}) as {str(first)}.")
    dtype = dtypes.float32 if dtype is None else dtypes.as_dtype(dtype)
    if not dtype.is_floating:
        raise ValueError(f"Expected floating point type, got {str(dtype)}.")
    return dtype


def assert_shapes(shapes, data=None, summarize=None, message=None, name=None):
    """``tf.debugging.assert_shapes``: each tensor's dimensions match the named sizes."""
    sizes = {}
    for t, spec in (shapes.items() if isinstance(shapes, dict) else shapes):
        t = tensor(t)
        spec = tuple(spec) if not isinstance(spec, str) else (spec,)
        if len(spec) != t.shape.rank and "..." not in spec and "*" not in spec:
            raise _rank_error(message, len(spec), t)
        for i, symbol in enumerate(spec):
            if symbol in ("...", "*"):
                break
            size = t.shape[i]
            if isinstance(symbol, int):
                if size != symbol:
                    raise ValueError(f"{message or ''}Specified explicitly dimension {i}.  "
                                     f"Tensor shape={t.shape} dtype={t.dtype.name} dimension "
                                     f"{i} must have size {symbol}.  Received size {size}, "
                                     f"shape {t.shape}")
                continue
            if symbol not in sizes:
                sizes[symbol] = (size, t, i)
            elif sizes[symbol][0] != size:
                want, src, j = sizes[symbol]
                raise ValueError(f"{message or ''}Specified by tensor shape={src.shape} "
                                 f"dtype={src.dtype.name} dimension {j}.  Tensor "
                                 f"shape={t.shape} dtype={t.dtype.name} dimension {i} must "
                                 f"have size {want}.  Received size {size}, shape {t.shape}")


def is_numeric_tensor(tensor_):
    """True for a tensor of a number dtype."""
    return isinstance(tensor_, Tensor) and tensor_._value.dtype.kind in "fciu"


def _monotone(x, strict):
    from .array_ops import reshape
    from .math_ops import greater, greater_equal
    from .special_ops import reduce_all
    x = tensor(x)
    if x._value.dtype.kind not in "fiu":
        raise TypeError(f"Expected numeric type, got {dtypes.from_numpy(x._value.dtype)!r}")
    v = reshape(x, [-1])  # ops: a graph compares the values it runs on
    return reduce_all((greater if strict else greater_equal)(v[1:], v[:-1]))


def is_non_decreasing(x, name=None):
    """``tf.math.is_non_decreasing``: a bool scalar (the tensor flattened)."""
    return _monotone(x, False)


def is_strictly_increasing(x, name=None):
    """``tf.math.is_strictly_increasing``: a bool scalar (the tensor flattened)."""
    return _monotone(x, True)


_switches = {"traceback_filtering": True, "log_device_placement": False}


def enable_traceback_filtering():
    _switches["traceback_filtering"] = True


def disable_traceback_filtering():
    _switches["traceback_filtering"] = False


def is_traceback_filtering_enabled():
    return _switches["traceback_filtering"]


def set_log_device_placement(enabled):
    """Recorded only: tapeflow places every op on the CPU and logs nothing."""
    _switches["log_device_placement"] = bool(enabled)


def get_log_device_placement():
    return _switches["log_device_placement"]


_ASSERTS = ["Assert", "assert_equal", "assert_greater", "assert_less", "assert_rank"]

EXPORTS = {
    "": _ASSERTS,
    "debugging": _ASSERTS + [
        "assert_none_equal", "assert_greater_equal", "assert_less_equal", "assert_positive",
        "assert_negative", "assert_non_negative", "assert_non_positive", "assert_near",
        "assert_rank_at_least", "assert_rank_in", "assert_scalar", "assert_type",
        "assert_integer", "assert_all_finite", "assert_proper_iterable",
        "assert_same_float_dtype", "assert_shapes", "is_numeric_tensor", "is_non_decreasing",
        "is_strictly_increasing", "enable_traceback_filtering", "disable_traceback_filtering",
        "is_traceback_filtering_enabled", "set_log_device_placement", "get_log_device_placement"],
    "math": ["is_non_decreasing", "is_strictly_increasing"],
}
