"""``tf.print``, ``tf.py_function``, ``tf.numpy_function`` and ``tf.init_scope``.

In a graph the first three are stateful nodes: they run (print, call Python) every time the
program runs, in program order, never at trace time.
"""

import contextlib
import sys

import numpy as np

from ..engine import core
from ..framework import dtypes, nest
from ..framework.context import state
from ..framework.optimizer_options import debug_stripped
from ..framework.shape import TensorShape
from ..framework.tensor import Tensor, convert_to_tensor, wrap
from ..framework.variable import Variable


# --- tf.print ------------------------------------------------------------------------------------

def _float_text(x):
    """TF's shortest text that reads back as the same float: 6 (15) digits, else 9 (17)."""
    if np.isnan(x):
        return "nan"
    if np.isinf(x):
        return "inf" if x > 0 else "-inf"
    short, long_ = (6, 9) if x.dtype.itemsize <= 4 else (15, 17)
    text = f"{float(x):.{short}g}"
    if x.dtype.type(text) != x:
        text = f"{float(x):.{long_}g}"
    return text


def _scalar_text(x):
    kind = x.dtype.kind
    if kind == "f":
        return _float_text(x)
    if kind == "b":
        return "1" if x else "0"
    if kind in "OSU":
        x = x[()] if isinstance(x, np.ndarray) else x
        v = x.decode() if isinstance(x, bytes) else str(x)
        return f'"{v}"'
    if kind == "c":
        return f"({_float_text(x.real)},{_float_text(x.imag)})"
    return str(x)


def _array_text(a, summarize, indent=0):
    if a.ndim == 0:
        return _scalar_text(a[()] if a.dtype.kind not in "OSU" else a)
    n = a.shape[0]
    if summarize >= 0 and n > 2 * summarize:
        idx = list(range(summarize)) + [None] + list(range(n - summarize, n))
    else:
        idx = list(range(n))
    parts = ["..." if i is None else _array_text(np.asarray(a[i], a.dtype), summarize,
                                                  indent + 1) for i in idx]
    if a.ndim == 1:
        return "[" + " ".join(parts) + "]"
    return "[" + ("\n" * (a.ndim - 1) + " " * (indent + 1)).join(parts) + "]"


def format_value(x, summarize=3, quote_scalar_strings=False):
    """One ``tf.print`` argument as TF prints it (a scalar string as it is, unless quoted as
    ``tf.strings.format`` shows it)."""
    if isinstance(x, np.ndarray | np.generic):
        x = np.asarray(x)
        if x.ndim == 0 and x.dtype.kind in "OSU" and not quote_scalar_strings:
            v = x[()]
            return v.decode() if isinstance(v, bytes) else str(v)
        return _array_text(x, summarize)
    if isinstance(x, list):
        return "[" + ", ".join(format_value(v, summarize) for v in x) + "]"
    if isinstance(x, tuple):
        return "(" + ", ".join(format_value(v, summarize) for v in x) + ")"
    if isinstance(x, dict):
        return "{" + ", ".join(f"{k!r}: {format_value(v, summarize)}" for k, v in x.items()) + "}"
    if isinstance(x, str):
        return x
    return str(x)


def print_(*inputs, output_stream=None, summarize=3, sep=" ", end="\n", name=None):
    """``tf.print``: print now (eagerly) or every time the graph runs."""
    summarize = 3 if summarize is None else int(summarize)
    structure = [x.read_value() if isinstance(x, Variable) else x for x in inputs]
    flat = nest.flatten(structure)
    tensors = [x for x in flat if isinstance(x, Tensor)]

    def emit(*values):
        it = iter(values)
        leaves = [next(it) if isinstance(x, Tensor) else x for x in flat]
        items = nest.pack_sequence_as(structure, leaves)
        text = sep.join(format_value(v, summarize) for v in items) + end
        out = sys.stderr if output_stream is None else output_stream  # looked up at run time
        if isinstance(out, str):
            out = sys.stdout if out.endswith("stdout") else sys.stderr
        out.write(text)
        return ()

    if state.graph is None:
        emit(*[t._value for t in tensors])
        return None
    if debug_stripped():
        return None
    node = state.graph.add("op", "PrintV2", emit, tensors, (), {}, stateful=True)
    node.multi = True
    node.replay = lambda *ts: emit(*[t._value for t in ts])
    return None


# --- py_function / numpy_function ----------------------------------------------------------------

def _call_python(func, inp, Tout, as_tensors, op_type):
    """Call ``func`` on ``inp`` now, or add a node that calls it whenever the graph runs."""
    single = not isinstance(Tout, list | tuple)
    touts = [dtypes.as_dtype(t) for t in ([Tout] if single else Tout)]
    inp = [convert_to_tensor(x) if not isinstance(x, Variable) else x.read_value()
           for x in nest.flatten(inp)]

    def run(*arrays):
        args = [wrap(a) for a in arrays] if as_tensors else [np.asarray(a) for a in arrays]
        out = func(*args)
        outs = [out] if single else [] if out is None and not touts else list(out)
        return tuple(np.asarray(o._value if isinstance(o, Tensor) else o, t._np)
                     for o, t in zip(outs, touts))

    if state.graph is None:
        with core.paused():
            values = run(*[t._value for t in inp])
        outs = [wrap(v) for v in values]
    else:  # the function runs only when the graph does: unknown-shape outputs
        outs = [wrap(np.zeros((), t._np) if t._np.kind != "O" else np.asarray(b"", object))
                for t in touts]
        node = state.graph.add("op", op_type, _quiet_python(run), inp, outs, {}, multi=True,
                               stateful=True, shapes=[TensorShape(None)] * len(outs))
        node.replay = lambda *ts: tuple(wrap(v) for v in run(*[t._value for t in ts]))
    return outs[0] if single else outs


def _quiet_python(run):
    def call(*arrays):
        saved = state.stack, state.graph
        state.stack, state.graph = [], None
        try:
            return run(*arrays)
        finally:
            state.stack, state.graph = saved
    return call


def py_function(func=None, inp=None, Tout=None, name=None):  # noqa: N803 - TF's name
    """``tf.py_function``: call ``func`` on eager tensors (also as ``@tf.py_function(Tout=…)``)."""
    if func is None:
        return lambda f: _decorated(f, Tout, True, "EagerPyFunc")
    if inp is None:
        return _decorated(func, Tout, True, "EagerPyFunc")
    return _call_python(func, inp, Tout, True, "EagerPyFunc")


def numpy_function(func=None, inp=None, Tout=None, stateful=True, name=None):  # noqa: N803
    """``tf.numpy_function``: call ``func`` on NumPy arrays."""
    if func is None:
        return lambda f: _decorated(f, Tout, False, "PyFunc")
    if inp is None:
        return _decorated(func, Tout, False, "PyFunc")
    return _call_python(func, inp, Tout, False, "PyFunc")


def _decorated(func, Tout, as_tensors, op_type):  # noqa: N803
    def call(*args):
        return _call_python(func, list(args), Tout, as_tensors, op_type)
    call.__name__ = getattr(func, "__name__", "py_function")
    return call


# --- init_scope ----------------------------------------------------------------------------------

@contextlib.contextmanager
def init_scope():
    """``tf.init_scope``: run eagerly, outside every graph being traced (and its tapes)."""
    graph = state.graph
    if graph is None:
        yield
        return
    root = graph
    while root.parent is not None:
        root = root.parent
    saved = state.stack, state.graph
    state.stack, state.graph = list(root.outer_stack), None
    try:
        yield
    finally:
        state.stack, state.graph = saved


# --- asking where code runs ----------------------------------------------------------------------

def inside_function():
    """``tf.inside_function``: True while a ``tf.function`` is being traced."""
    return state.graph is not None


def is_symbolic_tensor(tensor):
    """``tf.is_symbolic_tensor``: True for a graph tensor of a trace, False for eager values."""
    from .ir import SymbolicTensor
    return isinstance(tensor, SymbolicTensor)


def control_dependencies(control_inputs):
    """``tf.control_dependencies``: a context that changes nothing here. Eagerly TF ignores it
    too; in a traced graph tapeflow's programs already run stateful nodes (assigns, prints,
    random draws, Python calls) in program order, which is what TF's automatic control
    dependencies give inside ``tf.function``."""
    if control_inputs is not None:
        list(control_inputs)  # TF's TypeError ("'int' object is not iterable") for a non-list
    return contextlib.nullcontext()
