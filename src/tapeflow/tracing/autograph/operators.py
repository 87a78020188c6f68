"""The operators converted code calls: Python control flow on Python values, graph control flow
(``tf.cond`` / ``tf.while_loop``) when the condition or the iterated value is a graph tensor."""

import types

from ...engine import core
from ...framework import nest
from ...framework.context import state
from ...framework.tensor import convert_to_tensor
from ...graph import control_flow
from ...graph.ir import SymbolicTensor


class Undefined:
    """A variable not (yet) assigned when a converted statement starts."""

    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"Undefined({self.name!r})"


def _values(getters, names):
    out = []
    for get, name in zip(getters, names):
        try:
            out.append(get())
        except NameError:
            out.append(Undefined(name))
    return out


def _python_bool(x):
    if _graph_value(x):
        raise ValueError("a loop over Python values cannot break on a tensor condition")
    return bool(x)


def _graph_value(x):
    return type(x) is SymbolicTensor and state.graph is not None


def if_stmt(test, body, orelse, getters, names, live):
    values = _values(getters, names)
    if not _graph_value(test):
        return (body if test else orelse)(*values)
    index = control_flow.core.apply(control_flow._BOOL_INDEX, (test,), {})
    then_sub = control_flow.SubGraph(lambda: _defined(body(*values)), (), "if_then")
    else_sub = control_flow.SubGraph(lambda: _defined(orelse(*values)), (), "if_else")
    subs = [else_sub, then_sub]
    for k, name in enumerate(names):
        a, b = then_sub.outputs[k], else_sub.outputs[k]
        if a is None or b is None:
            if live[k] and (a is not None or b is not None):
                where = "else" if b is None else "main"
                raise ValueError(f"'{name}' must also be initialized in the {where} branch")
            for s in subs:  # a temporary of one branch: not an output
                s.outputs[k] = None
        elif a.dtype != b.dtype:
            raise TypeError(f"'{name}' has dtype {a.dtype.name} in the main branch, but dtype "
                            f"{b.dtype.name} in the else branch")
    for s in subs:
        s.structure = tuple(None if t is None else t for t in s.outputs)
    results = control_flow.run_branches(index, subs, "If")
    return tuple(r if r is not None else v for r, v in zip(results, values))


def _defined(values):
    """Branch results with undefined variables as None (dropped from the graph op)."""
    return tuple(None if isinstance(v, Undefined) else v for v in values)


def if_return(test, body, orelse, getters):
    values = _values(getters, [""] * len(getters))
    if not _graph_value(test):
        return (body if test else orelse)(*values)
    return control_flow.cond(test, lambda: body(*values), lambda: orelse(*values))


def if_exp(test, body, orelse):
    """``body() if test else orelse()``; a tensor condition in a graph: ``tf.cond``."""
    if not _graph_value(test):
        return body() if test else orelse()
    return control_flow.cond(test, body, orelse)


def while_stmt(test, body, getters, names):
    values = _values(getters, names)
    cond_value = test(*values)
    if not _graph_value(cond_value):
        while cond_value:
            values = body(*values)
            cond_value = test(*values)
            if _graph_value(cond_value):
                raise ValueError("a Python loop condition became a tensor inside the loop")
        return values
    return _graph_loop(test, body, values, names)


def _graph_loop(test, body, values, names):
    defined = [k for k, v in enumerate(values) if not isinstance(v, Undefined)]

    def full(loop_values):
        out = list(values)
        for k, v in zip(defined, loop_values):
            out[k] = v
        return out

    def cond(*loop_values):
        return test(*full(loop_values))

    def step(*loop_values):
        out = body(*full(loop_values))
        return [out[k] for k in defined]

    result = control_flow._graph_loop(cond, step, [values[k] for k in defined], None, None,
                                      False, labels=[names[k] for k in defined])
    return tuple(full(result))


def not_(x):
    """``not x``; a tensor's logical not in a graph."""
    if _graph_value(x):
        from ...ops import math_ops
        return math_ops.logical_not(x)
    return not x


def and_(a, b):
    """``a and b()`` (``b`` evaluated only when needed, as Python does); tensors: logical and."""
    if _graph_value(a):
        from ...ops import math_ops
        return math_ops.logical_and(a, convert_to_tensor(b()))
    if not a:
        return a
    return b()


def or_(a, b):
    """``a or b()``; tensors: logical or."""
    if _graph_value(a):
        from ...ops import math_ops
        return math_ops.logical_or(a, convert_to_tensor(b()))
    if a:
        return a
    return b()


def converted_call(f, *args, **kwargs):
    """Call ``f``; a user function with control flow is converted first (as TF converts the
    functions a converted function calls)."""
    if state.graph is not None and isinstance(f, types.FunctionType | types.MethodType):
        from . import convert, is_user_function
        if is_user_function(f):
            f = convert(f)
    return f(*args, **kwargs)


def for_stmt(iterable, body, getters, names, extra_test=None):
    values = _values(getters, names)
    if _is_dataset(iterable) and state.graph is not None:
        if extra_test is not None:
            raise NotImplementedError("break inside a for loop over a tf.data.Dataset in a "
                                      "tf.function is not supported by tapeflow")
        return _dataset_loop(iterable, body, values, names)
    if not _graph_value(iterable):
        for item in iterable:
            if extra_test is not None and not _python_bool(extra_test(*values)):
                break
            values = body(item, *values)
        return values
    from ...ops import array_ops, index_ops
    n = array_ops.shape(iterable)[0]
    start = convert_to_tensor(0)
    names = ["ag__index"] + list(names)
    values = [start] + list(values)

    def test(i, *rest):
        if extra_test is None:
            return i < n
        from ...ops import math_ops
        return math_ops.logical_and(i < n, convert_to_tensor(extra_test(*rest)))

    def step(i, *rest):
        item = index_ops.gather(iterable, i)
        out = body(item, *rest)
        return (i + 1, *out)
    return _graph_loop(test, step, values, names)[1:]


# --- tf.data in graphs ----------------------------------------------------------------------------

def _is_dataset(x):
    return hasattr(x, "element_spec") and hasattr(x, "_elements")


def _examples(spec):
    """Placeholder example tensors for a dataset's element spec (unknown dims as 1)."""
    import numpy as np

    from ...framework.tensor import wrap
    out = []
    for s in nest.flatten(spec):
        dims = () if s.shape.rank is None else tuple(1 if d is None else d for d in s.shape)
        out.append(wrap(np.zeros(dims, s.dtype._np) if s.dtype._np.kind != "O"
                        else np.full(dims, b"", object)))
    return out


def _dataset_loop(dataset, body, values, names):
    """``for x in dataset`` in a graph: one op that iterates the dataset whenever it runs, the
    body traced once on placeholders of the element spec."""
    spec = dataset.element_spec
    elems = _examples(spec)
    k = len(elems)
    defined = [i for i, v in enumerate(values) if not isinstance(v, Undefined)]
    loop_vars = [control_flow._as_tensor(values[i]) for i in defined]

    def step(*args):
        full = list(values)
        for i, v in zip(defined, args[k:]):
            full[i] = v
        out = body(nest.pack_sequence_as(spec, list(args[:k])), *full)
        return tuple(out[i] for i in defined)

    shapes = [s.shape for s in nest.flatten(spec)] + [t.shape for t in loop_vars]
    sub = control_flow.SubGraph(step, elems + loop_vars, "dataset_loop_body", shapes)
    for i, before, after in zip(defined, loop_vars, sub.outputs):
        if after.dtype != before.dtype:
            raise TypeError(f"'{names[i]}' has dtype {before.dtype.name} before the loop, but "
                            f"dtype {after.dtype.name} after one iteration")
    program = sub.compile()
    n = len(loop_vars)

    def run(*args):
        current, caps = args[:n], args[n:]
        for element in dataset:
            flat = [t._value for t in nest.flatten(element)]
            current = program(*flat, *current, *caps)
        return tuple(current)

    prim = core.Primitive("ReduceDataset", run, multi=True, save=())
    core.no_gradient(prim)
    outs = core.traced(prim, (*loop_vars, *sub.captured), {}, [t._value for t in loop_vars])
    result = list(values)
    for i, o in zip(defined, outs):
        result[i] = o
    return tuple(result)


def next_(iterator, *default):
    """``next(it)``: in a graph, a tf.data iterator yields its next element when the graph runs
    (an ``IteratorGetNext`` op); anything else is Python's ``next``."""
    if state.graph is None or not hasattr(iterator, "element_spec"):
        return next(iterator, *default)
    spec = iterator.element_spec
    examples = _examples(spec)

    def get_next():
        return tuple(t._value for t in nest.flatten(next(iterator)))

    prim = core.Primitive("IteratorGetNext", get_next, multi=True, save=())
    core.no_gradient(prim)
    outs = core.traced(prim, (), {}, [t._value for t in examples])
    return nest.pack_sequence_as(spec, list(outs))
