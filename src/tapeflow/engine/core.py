"""Primitives and the recorder stack: how every op runs, and how tapes get to see it.

A primitive is a NumPy forward function plus its derivative rules, registered in one place beside
its public function (see ``tapeflow.ops``). Calling a primitive on Tensors runs the forward,
wraps the result and, only if some recorder is active, offers the op to each recorder. Calling it
on NumPy values runs the bare forward: gradient rules use this to run on raw arrays when nothing
would record them.
"""

import threading

import numpy as np

from ..framework import errors
from ..framework.tensor import Tensor, wrap


class _State(threading.local):
    def __init__(self):
        self.stack = []  # active recorders (tapes, accumulators) in entry order


state = _State()


class Primitive:
    """One op: TF op-type name, NumPy forward, VJP rules (one per input) and JVP rules.

    ``vjps[i](g, ans, *inputs, **attrs)`` returns the cotangent of input ``i`` given the output
    cotangent ``g``; the engine undoes broadcasting afterwards, so rules never deal with it.
    ``save`` says what the backward pass needs kept alive: ``"inputs"``, ``"output"``, both or
    neither; unsaved inputs reach the rules as :class:`Unsaved` (shape and dtype only).
    """

    __slots__ = ("name", "fwd", "vjps", "jvps", "multi", "save_inputs", "save_output",
                 "differentiable")

    def __init__(self, name, fwd, *, save=("inputs", "output"), multi=False):
        self.name = name
        self.fwd = fwd
        self.vjps = None          # None: no gradient registered (LookupError when reached)
        self.jvps = None
        self.multi = multi        # the forward returns a tuple of outputs
        self.save_inputs = "inputs" in save
        self.save_output = "output" in save or multi
        self.differentiable = True

    def defvjp(self, *rules):
        self.vjps = rules
        return self

    def defjvp(self, *rules):
        self.jvps = rules
        return self

    def __call__(self, *args, **attrs):
        if isinstance(args[0], Tensor):
            return apply(self, args, attrs)
        return self.fwd(*args, **attrs)

    def __repr__(self):
        return f"<primitive {self.name}>"


REGISTRY = {}


def primitive(name, fwd, **kwargs):
    """Create and register a primitive under its TF op-type name."""
    prim = Primitive(name, fwd, **kwargs)
    REGISTRY[name] = prim
    return prim


def not_differentiable(prim):
    """Mark an op whose gradient TF registers as ``None`` (comparisons, argmax, floor, …)."""
    prim.differentiable = False
    return prim


class Unsaved:
    """Stands in for an input the backward pass did not keep: its shape and dtype only."""

    __slots__ = ("shape", "dtype")

    def __init__(self, shape, dtype):
        self.shape = shape
        self.dtype = dtype


def apply(prim, inputs, attrs):
    """Run ``prim`` on Tensors: forward, wrap, and offer the op to the active recorders."""
    try:
        out = prim.fwd(*[t._value for t in inputs], **attrs)
    except ValueError as e:
        raise _as_op_error(prim, inputs, e) from None
    if prim.multi:
        result = tuple([wrap(o) for o in out])
        outputs = result
    else:
        result = wrap(out)
        outputs = (result,)
    stack = state.stack
    if stack and prim.differentiable:
        for rec in stack:
            rec.record(prim, inputs, outputs, attrs)
    return result


def _as_op_error(prim, inputs, e):
    shapes = [t._value.shape for t in inputs]
    if len(shapes) == 2:
        try:
            np.broadcast_shapes(*shapes)
        except ValueError:
            a, b = ([int(d) for d in s] for s in shapes)
            return errors.op_error(prim.name, f"Incompatible shapes: {a} vs. {b}")
    return errors.op_error(prim.name, str(e))


def record_read(variable, tensor):
    """A Variable was read into ``tensor``: let each active recorder note it."""
    for rec in state.stack:
        rec.record_read(variable, tensor)


def quiet(fn):
    """Run a NumPy forward without floating-point warnings: TF returns inf/nan silently."""
    def run(*args, **kwargs):
        with np.errstate(all="ignore"):
            return fn(*args, **kwargs)
    run.__name__ = getattr(fn, "__name__", "forward")
    return run
