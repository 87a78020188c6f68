"""Dual-mode kernels for gradient rules: NumPy on arrays, recorded tapeflow ops on Tensors.

Primitives are dual-mode by themselves (``EXP(x)`` works on both); these cover the few helpers
that are not primitives. Rules must create constants only from existing values (``zeros_like``)
so that the same rule text is right in both modes.
"""

import numpy as np

from ..engine.backprop import shape_of  # noqa: F401  (re-exported for rules)
from ..framework.context import state
from ..framework.tensor import EagerTensor, Tensor, wrap


def _np(x):
    return x._value if isinstance(x, Tensor) else x


def is_complex(x):
    return _np(x).dtype.kind == "c"


def symbolic(x):
    """Whether ``x`` is a traced graph's tensor (its example shape must not become an attr)."""
    return isinstance(x, Tensor) and type(x) is not EagerTensor


def trace_known(x):
    """Whether ``x``'s value is known while tracing: an eager value, or a traced tensor the
    trace knows (a constant, or computed from static shapes). False for one a graph computes
    from its arguments' or Variables' values, or from sizes it knows only when it runs (the
    batch of ``tf.shape(x)`` for an ``x`` of shape ``[None, 3]``)."""
    return not symbolic(x) or not x._origin.data or x._origin.value is not None


def shape_entries(shape, batch=None):
    """A shape argument (a list or tuple of sizes, or a vector tensor) as a list of ints for
    Python code. In a trace, its first entry may be a size known only when the graph runs (the
    batch of ``tf.shape(x)``, alone or in a list): ``batch`` stands for it (an op whose kernel
    takes the batch from another operand). Any other such entry is refused, as a value read
    is."""
    if isinstance(shape, Tensor):
        if trace_known(shape):
            return [int(v) for v in np.asarray(shape._value).reshape(-1)]
        partial = shape._origin.partial
        entries = None if partial is None else list(partial.reshape(-1))
        if entries is None or batch is None or None in entries[1:]:
            shape._trace_value()  # raises: the graph's own value is needed
        return [batch] + [int(v) for v in entries[1:]]
    out = []
    for i, v in enumerate(shape):
        if isinstance(v, Tensor) and not trace_known(v):
            if i or batch is None:
                v._trace_value()  # raises
            out.append(batch)
        else:
            out.append(int(_np(v)))
    return out


def static_dims(x):
    """``x``'s dims for Python-side checks: the value's, except a traced tensor's unknown dims,
    which are None (its example's sizes are stand-ins)."""
    dims = x._value.shape
    if not symbolic(x):
        return dims
    if x.shape.rank is None:
        return (None,) * len(dims)
    return tuple(s if s is None else d for s, d in zip(x.shape.as_list(), dims))


def run_size(x, axis):
    """``x``'s size along ``axis`` for building a shape: an int, or, where a traced tensor's
    size is known only when its graph runs, that size as a scalar tensor (``tf.shape(x)[axis]``,
    as TF's graphs build it)."""
    n = static_dims(x)[axis]
    if n is not None:
        return n
    from .array_ops import shape  # array_ops imports this module
    return shape(x)[axis]


def sizes(x, axes):
    """``x``'s shape for Python code that needs its sizes along ``axes`` (an FFT's lengths…): a
    traced tensor whose size there is known only when its graph runs is refused as a value read
    is (``_trace_value``: the function retraces by value, or says it cannot), never taken from
    the trace's example."""
    dims = static_dims(x)
    if any(dims[a] is None for a in axes):
        x._trace_value()
    return x._value.shape


def refine(t, dims):
    """Give traced tensor ``t`` the known sizes in ``dims`` (None: keep) that the op guarantees
    beyond what its primitives' shape rules can tell (``tf.slice``'s explicit sizes)."""
    if symbolic(t) and t.shape.rank == len(dims):
        t._origin.graph.refine(t, dims)
    return t


def zeros_like(x):
    if symbolic(x):  # a traced graph's: the shape is x's when the program runs
        from .array_ops import ZEROS_LIKE
        return ZEROS_LIKE(x, dtype=None)
    z = np.zeros_like(_np(x))
    return wrap(z) if isinstance(x, Tensor) else z


def ones_like(x):
    if symbolic(x):
        from .array_ops import ONES_LIKE
        return ONES_LIKE(x, dtype=None)
    z = np.ones_like(_np(x))
    return wrap(z) if isinstance(x, Tensor) else z


def dtype_of(x):
    return _np(x).dtype


def conj(x):
    """Complex conjugate; for real values the same object (free), as TF's conj."""
    if (x._value if isinstance(x, Tensor) else x).dtype.kind != "c":  # inlined: every rule calls
        return x
    from .math_ops import CONJ
    return CONJ(x)


def lead(g):
    """The leading batch axes a vectorized jacobian puts on cotangents (usually ``()``)."""
    return shape_of(g)[:state.batch] if state.batch else ()


def broadcast_like(t, ans):
    """A tangent of a broadcast input, spread to the output's shape (for JVP rules)."""
    if shape_of(t) == shape_of(ans):
        return t
    from .array_ops import BROADCAST_TO
    return BROADCAST_TO(t, shape=shape_of(ans))
