"""Primitives and the recorder stack: how every op runs, and how tapes get to see it.

A primitive is a NumPy forward function plus its derivative rules, registered in one place beside
its public function (see ``tapeflow.ops``). Calling a primitive on Tensors runs the forward,
wraps the result and, only if some recorder is active, offers the op to each recorder. Calling it
on NumPy values runs the bare forward: gradient rules use this to run on raw arrays when nothing
would record them.
"""

import contextlib
import sys

import numpy as np

from ..framework import errors
from ..framework.errors import out_of_memory
from ..framework.context import fp_quiet, fp_restore, state
from ..framework.tensor import EagerTensor, Tensor, _new, _next_id, wrap




class Primitive:
    """One op: TF op-type name, NumPy forward, VJP rules (one per input) and JVP rules.

    ``vjps[i](g, ans, *inputs, **attrs)`` returns the cotangent of input ``i`` given the output
    cotangent ``g``; the engine undoes broadcasting afterwards, so rules never deal with it.
    ``save`` says what the backward pass needs kept alive: ``"inputs"``, ``"output"``, both or
    neither; unsaved inputs reach the rules as :class:`Unsaved` (shape only).
    ``batched``: the rules also accept cotangents with ``state.batch`` extra leading axes (so a
    jacobian takes one vectorized backward pass). ``joint``: ``vjps`` is one rule returning every
    input's cotangent (custom gradients). ``tensor_rules``: the rules always get Tensors.
    ``shape_fn``: the static shape rule (``engine/shapes.py``), run only while tracing.
    """

    __slots__ = ("name", "fwd", "vjps", "jvps", "multi", "save_inputs", "save_output",
                 "differentiable", "batched", "joint", "tensor_rules", "shape_fn")

    def __init__(self, name, fwd, *, save=("inputs", "output"), multi=False, batched=False):
        self.name = name
        self.fwd = fwd
        self.vjps = None          # None: no gradient registered (LookupError when reached)
        self.jvps = None
        self.multi = multi        # the forward returns a tuple of outputs
        self.save_inputs = "inputs" in save
        self.save_output = "output" in save or multi
        self.differentiable = True
        self.batched = batched
        self.joint = False
        self.tensor_rules = False
        self.shape_fn = None

    def defvjp(self, *rules):
        self.vjps = rules
        return self

    def defjvp(self, *rules):
        self.jvps = rules
        return self

    def __call__(self, *args, **attrs):
        if not args or isinstance(args[0], Tensor):  # a factory (no inputs) always makes a Tensor
            return apply(self, args, attrs)
        return self.fwd(*args, **attrs)  # raw arrays: a rule, run under propagate's quiet state

    def __repr__(self):
        return f"<primitive {self.name}>"


REGISTRY = {}
# Set by tapeflow.dtensor once a DTensor exists: hook(prim, inputs, outputs, attrs) gives the
# outputs of an op on DTensors their layout (in place), before any recorder sees them.
layout_hook = None
SHAPE_RULES = {}  # op type -> static shape rule, for primitives registered after the op library


def primitive(name, fwd, **kwargs):
    """Create and register a primitive under its TF op-type name."""
    prim = Primitive(name, fwd, **kwargs)
    prim.shape_fn = SHAPE_RULES.get(name)
    REGISTRY[name] = prim
    return prim


def not_differentiable(prim):
    """Mark an op whose gradient TF registers as ``None`` (comparisons, argmax, floor, …)."""
    prim.differentiable = False
    return prim


NO_GRADIENT = set()


def no_gradient(prim):
    """Mark an op shipped without a gradient on purpose: reaching it raises TF's LookupError."""
    NO_GRADIENT.add(prim.name)
    return prim


def batched(*prims):
    """Declare that these primitives' rules handle extra leading cotangent axes."""
    for prim in prims:
        prim.batched = True


class Unsaved:
    """Stands in for an input the backward pass did not keep: its shape and dtype only."""

    __slots__ = ("shape", "dtype")

    def __init__(self, shape, dtype):
        self.shape = shape
        self.dtype = dtype


def apply(prim, inputs, attrs):
    """Run ``prim`` on Tensors: forward, wrap, and offer the op to the active recorders."""
    quiet = fp_quiet()
    try:
        out = prim.fwd(*[t._value for t in inputs], **attrs)
    except MemoryError as e:
        raise out_of_memory(prim.name, e) from None
    except Exception as e:  # noqa: BLE001 - a trace may go on (see _failed)
        out = _failed(prim, inputs, attrs, e)
    finally:
        fp_restore(quiet)
    if prim.multi:
        result = tuple([wrap(_array(o)) for o in out])
        outputs = result
    else:
        result = wrap(out if type(out) is not bytes else _array(out))
        outputs = (result,)
    if layout_hook is not None:
        layout_hook(prim, inputs, outputs, attrs)
    if state.stack:
        _offer(prim, inputs, outputs, attrs)
    return result


def _array(value):
    """A string tensor's element taken out by NumPy indexing is a bare ``bytes``: a 0-d array."""
    return np.array(value, object) if type(value) is bytes else value


# The two hot paths, for one- and two-input ops without attributes (unary_op and binary_op):
# the same as apply, minus the argument list, the keyword unpacking and the multi-output case.

def apply1(prim, x):
    quiet = fp_quiet()
    try:
        out = prim.fwd(x._value)
    except MemoryError as e:
        raise out_of_memory(prim.name, e) from None
    except Exception as e:  # noqa: BLE001 - a trace may go on (see _failed)
        out = _failed(prim, (x,), {}, e)
    finally:
        fp_restore(quiet)
    result = _new(EagerTensor)
    result._value = out
    result._id = _next_id()
    if layout_hook is not None:
        layout_hook(prim, (x,), (result,), {})
    if state.stack:
        _offer(prim, (x,), (result,), {})
    return result


def apply2(prim, x, y):
    quiet = fp_quiet()
    try:
        out = prim.fwd(x._value, y._value)
    except MemoryError as e:
        raise out_of_memory(prim.name, e) from None
    except Exception as e:  # noqa: BLE001 - a trace may go on (see _failed)
        out = _failed(prim, (x, y), {}, e)
    finally:
        fp_restore(quiet)
    result = _new(EagerTensor)
    result._value = out
    result._id = _next_id()
    if layout_hook is not None:
        layout_hook(prim, (x, y), (result,), {})
    if state.stack:
        _offer(prim, (x, y), (result,), {})
    return result


def traced(prim, inputs, attrs, values):
    """An op whose output values are already known (a traced graph's control flow, whose
    example outputs its branches produced): wrap them and let the recorders see the op
    without running its forward."""
    outputs = tuple([wrap(v) for v in values])
    if state.stack:
        _offer(prim, inputs, outputs, attrs)
    return outputs


def _offer(prim, inputs, outputs, attrs):
    """Let each active recorder see the op (a non-differentiable one only as a cut; a graph
    being traced sees every op, first, and turns its outputs symbolic)."""
    if state.graph is not None:
        state.graph.add_op(prim, inputs, outputs, attrs)
    if prim.differentiable:
        for rec in state.stack:
            rec.record(prim, inputs, outputs, attrs)
    else:
        note_cut(prim.name, inputs, outputs)


def _failed(prim, inputs, attrs, e):
    """The forward raised ``e``. Eagerly: a ValueError becomes TF's op error, anything else
    goes up as it is. While a graph is traced, the failure may only be the example values'
    (stand-ins for unknown dims): the graph's ``example_for`` then gives an example output of
    the static shape the op's rule computes, or raises TF's trace-time error."""
    if state.graph is not None:
        out = state.graph.example_for(prim, inputs, attrs, e)
        if out is not None:
            return out
    if isinstance(e, ValueError):
        raise _as_op_error(prim, inputs, e) from None
    raise e


def _as_op_error(prim, inputs, e):
    """A NumPy ValueError as TF's kernel error (operands that do not broadcast, mostly)."""
    shapes = [t._value.shape for t in inputs]
    if len(shapes) == 2:
        try:
            np.broadcast_shapes(*shapes)
        except ValueError:
            a, b = (",".join(map(str, s)) for s in shapes)
            return errors.op_error(prim.name, f"Incompatible shapes: [{a}] vs. [{b}]", kernel=True)
    return errors.op_error(prim.name, str(e))


@contextlib.contextmanager
def paused():
    """Hide everything run inside from every active recorder (``tf.stop_gradient``'s scope)."""
    saved = state.stack
    state.stack = []
    try:
        yield
    finally:
        state.stack = saved


def note_cut(kind, inputs, outputs):
    """A gradient path may end here (non-differentiable op, stop_gradient, NumPy, assign):
    recorders that explain None gradients keep a light note (ids and the user's line, no arrays).
    Called only while some recorder is active."""
    for rec in state.stack:
        note = getattr(rec, "note_cut", None)
        if note is not None:
            note(kind, inputs, outputs)


_INTERNAL = ("tapeflow.", "contextlib", "numpy")


def user_location():
    """``(file, line)`` of the innermost frame outside tapeflow (for explanations)."""
    frame = sys._getframe(1)
    while frame is not None:
        code = frame.f_code
        internal = _internal_code.get(code)
        if internal is None:  # decided once per code object: the walk runs at every tape entry
            name = frame.f_globals.get("__name__", "")
            internal = _internal_code[code] = name.startswith(_INTERNAL)
        if not internal:
            return code.co_filename, frame.f_lineno
        frame = frame.f_back
    return None


_internal_code = {}


def record_read(variable, tensor):
    """A Variable was read into ``tensor``: let each active recorder note it."""
    for rec in state.stack:
        rec.record_read(variable, tensor)


def record_access(variable):
    """A Variable was used without a read (an update's result): tapes watch it as TF's do."""
    for rec in state.stack:
        access = getattr(rec, "record_access", None)
        if access is not None:
            access(variable)


def quiet(fn):
    """Mark a NumPy forward that can produce inf/nan. Nothing to wrap any more: the engine runs
    every forward with NumPy's warnings off (``fp_quiet``), so TF's silent inf/nan is the rule."""
    return fn
