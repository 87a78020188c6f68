"""Static shapes while tracing: each op's output shapes come from its primitive's shape rule.

The trace runs every op's forward on example values (the call's own values, or stand-ins for a
``TensorSpec``'s ``None`` dims), but the static shape a symbolic tensor shows (``t.shape``) comes
from the shape rule over the inputs' static shapes, as TF's shape inference gives it. The rule
is checked against the example (a rule that disagrees with its own forward is a bug: with
``STRICT`` set, as the tests do, it raises; otherwise the example-based guess is kept).

When a forward fails on example values while some input's shape is only partly known, the
failure may be the stand-ins' (``[1, 3] - [9]`` where the static shapes are ``[None, None]``
and ``[9]``): the rule decides. Shapes that can never work raise TF's trace-time ``ValueError``;
shapes that may work give an example output of the rule's shape, with 1 for each unknown dim,
and the trace goes on (the graph runs the real forward on the call's values).
"""

import contextlib
import os

import numpy as np

from ..engine.shapes import Abstract, Incompatible, num_elements, text
from ..framework import dtypes, errors
from ..framework.shape import TensorShape
from . import ir

# Raise when a rule disagrees with its forward (TAPEFLOW_STRICT_SHAPES=1, for test runs).
STRICT = os.environ.get("TAPEFLOW_STRICT_SHAPES") == "1"
VALUE_LIMIT = 256     # the largest constant (in elements) whose value the trace keeps for rules
# Ops whose output is a function of the input's partial value elementwise (for tf.shape(x)
# pieces put back together: `[tf.shape(x)[0], -1]`).
_PARTIAL_OPS = {"StridedSlice", "ConcatV2", "ExpandDims", "Reshape", "Squeeze", "Identity",
                "Unpack", "StopGradient"}


def abstract(t):
    """What a shape rule sees of tensor ``t``."""
    if type(t) is ir.SymbolicTensor:
        info = t._origin
        return Abstract(info.shape._dims, t._value.dtype, info.value, info.partial)
    v = t._value
    if not isinstance(v, np.ndarray):
        v = np.asarray(v)
    return Abstract(v.shape, v.dtype, v if v.size <= VALUE_LIMIT else None)


def _outputs(prim, result):
    return list(result) if prim.multi else [result]


def from_rule(graph, prim, inputs, ins, outputs, attrs):
    """The outputs' static shapes by the rule over the inputs' abstract values ``ins`` (a list
    of TensorShape), or None to fall back on the example-based guess."""
    try:
        result = _outputs(prim, prim.shape_fn(*ins, **attrs))
    except Incompatible as e:
        raise _trace_error(graph, prim, inputs, ins, e) from None
    except Exception:
        if STRICT:
            raise
        return None
    shapes = []
    for (dims, dtype), o in zip(result, outputs, strict=True):
        example = np.shape(o._value)
        if not _fits(dims, example) or np.dtype(dtype) != o._value.dtype:
            if STRICT:
                raise AssertionError(f"{prim.name}: rule gives {dims} {dtype}, forward "
                                     f"{example} {o._value.dtype}")
            return None
        shapes.append(TensorShape(dims))
    return shapes


def _fits(dims, example):
    if dims is None or dims == example:
        return True
    return len(dims) == len(example) and all(d is None or d == e for d, e in zip(dims, example))


def synthesize(graph, prim, inputs, attrs, error=None):
    """Example outputs of the rule's static shapes for a forward that failed (see the module
    doc), or None when the failure is not the example's. A kernel's error (``OpError``) on
    values the trace does not know is the graph's to raise when it runs, as in TF: an op whose
    result nothing needs is pruned and never fails."""
    if prim.shape_fn is None:
        return None
    ins = [abstract(t) for t in inputs]
    try:
        result = _outputs(prim, prim.shape_fn(*ins, **attrs))
    except Incompatible as e:  # shapes that can never work: TF's shape inference refuses them
        raise _trace_error(graph, prim, inputs, ins, e) from None
    except Exception:  # noqa: BLE001 - no rule for these inputs: the forward's error stands
        return None
    symbolic = [t for t in inputs if type(t) is ir.SymbolicTensor]
    if not (any(not t._origin.shape.is_fully_defined() for t in symbolic) or
            isinstance(error, errors.OpError) and
            any(t._origin.data and t._origin.value is None for t in symbolic)):
        return None
    examples = [example(dims, dtype) for dims, dtype in result]
    return tuple(examples) if prim.multi else examples[0]


_STAND_IN = [1]


@contextlib.contextmanager
def stand_in_size(n):
    """Make unknown dims of stand-in examples ``n`` long inside (a trace's second try)."""
    saved = _STAND_IN[0]
    _STAND_IN[0] = n
    try:
        yield
    finally:
        _STAND_IN[0] = saved


def example(dims, dtype):
    """A stand-in value of static shape ``dims``: zeros, 1 for each unknown dim (1 broadcasts
    against any size; see ``stand_in_size``), a vector for an unknown rank (indexable,
    reducible on axis 0)."""
    size = _STAND_IN[0]
    dims = (size,) if dims is None else tuple(size if d is None else d for d in dims)
    dtype = np.dtype(dtype)
    if dtype.kind == "O":
        return np.full(dims, b"", object)
    return np.zeros(dims, dtype)


# The attributes TF's node text lists after T (for ops that have more).
_ATTR_TEXT = {"MatMul": ", grad_a=false, grad_b=false, transpose_a=false, transpose_b=false"}


class ShapeError(ValueError):
    """TF's trace-time ValueError of shape inference (framed "in user code" as any error in
    converted code)."""


ShapeError.__name__ = ShapeError.__qualname__ = "ValueError"


def refine(t, dims):
    """Merge known sizes ``dims`` into symbolic ``t``'s static shape; a stand-in example that
    does not have them is replaced by one that does. Returns whether it was."""
    merged = tuple(d if d is not None else s for s, d in zip(t._origin.shape.as_list(), dims))
    t._origin.shape = TensorShape(merged)
    have = np.shape(t._value)
    want = tuple(have[i] if d is None else d for i, d in enumerate(merged))
    if want == have:
        return False
    t._value = example(want, t._value.dtype)
    return True


def _trace_error(graph, prim, inputs, ins, e):
    """TF's ValueError for static shapes that can never work, naming the node as TF does."""
    names = ", ".join(t._origin.name if type(t) is ir.SymbolicTensor else "Const"
                      for t in inputs)
    dtype = dtypes.from_numpy(ins[0].dtype)._op_name.upper() if ins else "FLOAT"
    node = graph.next_name(prim.name)
    shapes = ", ".join(text(a.dims) for a in ins)
    attrs = _ATTR_TEXT.get(prim.name, "")
    return ShapeError(f"{e} for '{{{{node {node}}}}} = {prim.name}[T=DT_{dtype}{attrs}]({names})' "
                      f"with input shapes: {shapes}.")


def known_values(prim, ins, outputs, attrs):
    """Record what the trace knows of the outputs' values: all of a small one computed from
    constants only, or the partial value of a shape (``tf.shape`` and its pieces)."""
    outs = [o for o in outputs if type(o) is ir.SymbolicTensor]
    if not outs:
        return
    if all(a.value is not None for a in ins):
        for o in outs:
            v = o._value
            if isinstance(v, np.ndarray | np.generic) and v.size <= VALUE_LIMIT:
                o._origin.value = np.asarray(v)  # a scalar (np.int32) too: x.shape[0]
        return
    if prim.name == "Shape":
        dims = ins[0].dims
        if dims is not None:
            _set_partial(outs[0], np.array(dims, object))
    elif prim.name in ("Size", "Rank"):  # known from static dims alone (TF's constant_value)
        dims = ins[0].dims
        known = None if dims is None else len(dims) if prim.name == "Rank" else num_elements(dims)
        if known is not None:
            _set_partial(outs[0], np.array(known, object))
    elif prim.name == "Cast" and ins[0].partial is not None and \
            np.dtype(attrs["dtype"]).kind in "iu":
        _set_partial(outs[0], ins[0].partial)
    elif prim.name in _PARTIAL_OPS and any(
            a.partial is not None or a.value is not None for a in ins):
        parts = [_partial_of(a) for a in ins]
        if any(p is None for p in parts):
            return
        try:
            result = _outputs(prim, prim.fwd(*parts, **attrs))
        except Exception:  # noqa: BLE001 - no partial value then
            return
        for o, r in zip(outputs, result):
            if type(o) is ir.SymbolicTensor:
                _set_partial(o, np.asarray(r, object))


def _partial_of(a):
    """Input ``a``'s elements as a partial value: known ones, None for the others (a small int
    tensor of known shape whose value is unknown: ``tf.size(x)`` of a ``[None]`` tensor)."""
    if a.partial is not None:
        return a.partial
    if a.value is not None:
        return a.value.astype(object)
    n = num_elements(a.dims)
    if n is not None and n <= VALUE_LIMIT and a.dtype.kind in "iu":
        return np.full(a.dims, None, object)
    return None


def _set_partial(t, partial):
    """A partial value; when nothing in it is unknown, the value itself."""
    if any(d is None for d in partial.reshape(-1)):
        t._origin.partial = partial
    else:
        t._origin.value = partial.astype(t._value.dtype)
