"""Catch NaN and Inf where they start: ``tf.debugging.check_numerics`` and
``enable_check_numerics``.

Enabling wraps every registered primitive's forward with a finiteness check, and every gradient
rule with a check of the cotangent it returns; disabling puts the very same functions back, so
it costs nothing while off. Inside a gradient rule the ops it runs are not checked one by one:
like TensorFlow's fused gradient kernels (SqrtGrad, …), a rule may make a NaN on the way and
mask it (``tf.where(x > 0, tf.sqrt(x), 0.)`` at 0), so only what the rule returns is checked,
and a bad one is reported as the gradient of the op that recorded it.
"""

import threading

import numpy as np

from ..framework import errors
from .core import REGISTRY, user_location

_originals = {}     # primitive name -> (unwrapped forward, unwrapped vjps) while checking is on


class _Depth(threading.local):
    n = 0           # > 0 while a gradient rule runs


_rule = _Depth()


def enabled():
    return bool(_originals)


def _where(location):
    return f"{location[0]}:{location[1]}" if location else "an unknown location"


def _problem(value):
    value = np.asarray(getattr(value, "_value", value))
    if value.dtype.kind not in "fcV" or value.size == 0:
        return None
    if np.isfinite(value).all():
        return None
    return "NaN" if np.isnan(value).any() else "Infinity"


def _shape_dtype(value):
    value = np.asarray(getattr(value, "_value", value))
    return value.dtype, value.shape


def _detected(problem, what, value, where):
    dtype, shape = _shape_dtype(value)
    return errors.InvalidArgumentError(
        None, None, f"\n\n!!! Detected {problem} in {what} !!!\n  dtype: {dtype}\n"
        f"  shape: {shape}\n  {where}\n")


def _checked(name, forward):
    def run(*args, **kwargs):
        out = forward(*args, **kwargs)
        if _rule.n:  # part of a gradient rule: its result is checked as a whole
            return out
        for k, value in enumerate(out if isinstance(out, tuple) else (out,)):
            problem = _problem(value)
            if problem:
                raise _detected(problem, f'output {k} of eagerly-executing op "{name}"', value,
                                f"created at: {_where(user_location())}")
        return out
    run.__name__ = getattr(forward, "__name__", "forward")
    return run


def _checked_rule(name, index, rule):
    def run(g, ans, *args, **attrs):
        _rule.n += 1
        try:
            result = rule(g, ans, *args, **attrs)
        finally:
            _rule.n -= 1
        parts = result if isinstance(result, tuple | list) else (result,)
        for k, value in enumerate(parts):
            if value is None:
                continue
            problem = _problem(value)
            if problem:
                which = index if index is not None else k
                raise _detected(problem, f'the gradient of op "{name}" (for its input {which})',
                                value, f"computed by tape.gradient at {_where(user_location())}")
        return result
    return run


class _CheckedRules:
    """A primitive's rules, each checked (built on first use: variadic ops such as ConcatV2 have
    a rule for any input index)."""

    __slots__ = ("name", "rules", "joint", "cache")

    def __init__(self, name, rules, joint):
        self.name, self.rules, self.joint, self.cache = name, rules, joint, {}

    def __getitem__(self, i):
        rule = self.cache.get(i)
        if rule is None:
            rule = self.cache[i] = _checked_rule(self.name, None if self.joint else i,
                                                 self.rules[i])
        return rule

    def __len__(self):
        return len(self.rules)


def enable_check_numerics(stack_height_limit=30, path_length_limit=50):
    """Raise InvalidArgumentError at the first op (forward or backward) that makes NaN or Inf."""
    for name, prim in REGISTRY.items():
        if name in _originals or prim.fwd is None:
            continue
        _originals[name] = (prim.fwd, prim.vjps)
        prim.fwd = _checked(name, prim.fwd)
        if prim.vjps is not None:
            prim.vjps = _CheckedRules(name, prim.vjps, prim.joint)


def disable_check_numerics():
    """Undo :func:`enable_check_numerics`: every primitive gets its own functions back."""
    for name, (forward, vjps) in _originals.items():
        prim = REGISTRY[name]
        prim.fwd = forward
        prim.vjps = vjps
    _originals.clear()


def in_gradient_of(prim_name, location, error):
    """Re-word an error raised while running ``prim_name``'s gradient rule (one that the checked
    rule above already worded is passed through)."""
    text = error.message
    if "in the gradient of op" in text:
        return error
    return errors.InvalidArgumentError(
        None, None, f'{text}  in the gradient of op "{prim_name}", computed by tape.gradient at '
        f"{_where(location)}\n")
