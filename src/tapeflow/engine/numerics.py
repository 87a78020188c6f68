"""Catch NaN and Inf where they start: ``tf.debugging.check_numerics`` and
``enable_check_numerics``.

Enabling wraps every registered primitive's forward with a finiteness check, so it costs
nothing while off. Gradient rules then run on Tensors (through the same primitives), so a NaN
born in the backward pass is caught too, named after the op whose gradient produced it.
"""

import numpy as np

from ..framework import errors
from .core import REGISTRY, user_location

_originals = {}     # primitive name -> unwrapped forward while checking is on


def enabled():
    return bool(_originals)


def _where(location):
    return f"{location[0]}:{location[1]}" if location else "an unknown location"


def _problem(value):
    if value.dtype.kind not in "fc":
        return None
    finite = np.isfinite(value)
    if finite.all():
        return None
    return "NaN" if np.isnan(value).any() else "Infinity"


def _checked(name, forward):
    def run(*args, **kwargs):
        out = forward(*args, **kwargs)
        for k, value in enumerate(out if isinstance(out, tuple) else (out,)):
            value = np.asarray(value)
            problem = _problem(value)
            if problem:
                raise errors.InvalidArgumentError(
                    None, None, f'\n\n!!! Detected {problem} in output {k} of eagerly-executing '
                    f'op "{name}" !!!\n  dtype: {value.dtype}\n  shape: {value.shape}\n'
                    f"  created at: {_where(user_location())}\n")
        return out
    return run


def enable_check_numerics(stack_height_limit=30, path_length_limit=50):
    """Raise InvalidArgumentError at the first op (forward or backward) that makes NaN or Inf."""
    for name, prim in REGISTRY.items():
        if name not in _originals and prim.fwd is not None:
            _originals[name] = prim.fwd
            prim.fwd = _checked(name, prim.fwd)


def disable_check_numerics():
    for name, forward in _originals.items():
        REGISTRY[name].fwd = forward
    _originals.clear()


def in_gradient_of(prim_name, location, error):
    """Re-word an error raised while running ``prim_name``'s gradient rule: the op that made the
    NaN or Inf ran inside the backward pass, so say whose gradient it was and which
    ``tape.gradient`` call ran it (instead of "created at")."""
    text = error.message
    lines = text.split("\n")
    lines = [line for line in lines if not line.startswith("  created at: ")]
    at = (f'  in the gradient of op "{prim_name}", computed by tape.gradient at '
          f"{_where(location)}")
    if lines and lines[-1] == "":
        lines.insert(len(lines) - 1, at)
    else:
        lines.append(at)
    return errors.InvalidArgumentError(None, None, "\n".join(lines))
