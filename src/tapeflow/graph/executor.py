"""Turn a traced graph into one flat Python program over NumPy calls.

The program is generated source: one line per live node, ``tN = fwd(tA, tB, attr=K)``, with the
forwards, attributes and captured constants bound as globals of the generated module, each
buffer deleted right after its last use, and no wrapper object or recorder check per op. The
floating-point error state is set once per call by the caller (``np.errstate``), so forwards run
bare (the ``quiet`` wrappers are bypassed), giving the same numbers as eager execution.
"""

import itertools

import numpy as np

_programs = itertools.count()

# Ufuncs written as Python operators: the same NumPy loop, without the ufunc call's argument
# parsing (4-10x cheaper on the NumPy scalars that 0-d results are).
_OPERATORS = {np.add: "+", np.subtract: "-", np.multiply: "*", np.true_divide: "/"}


class Program:
    """A compiled graph: ``run(*input arrays) -> tuple of output arrays``; ``lines`` maps a
    line of the generated source to the node it runs (for errors)."""

    __slots__ = ("run", "lines", "filename", "source")

    def __init__(self, run, lines, filename, source):
        self.run = run
        self.lines = lines
        self.filename = filename
        self.source = source

    def node_at(self, tb):
        """The node whose line raised, from a traceback through the program."""
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == self.filename:
                return self.lines.get(tb.tb_lineno)
            tb = tb.tb_next
        return None


def live_nodes(graph, outputs):
    """The nodes an output depends on, plus every stateful node (assign, random, print…)."""
    needed = set(outputs)
    keep = []
    for node in reversed(graph.nodes):
        if node.stateful or any(o in needed for o in node.outputs):
            keep.append(node)
            needed.update(node.inputs)
    keep.reverse()
    return keep


def compile_graph(graph, inputs, outputs):
    """A :class:`Program` taking the arrays of ``inputs`` (tensor ids) and returning those of
    ``outputs``. Captured constants and Variable handles are bound into the program."""
    nodes = live_nodes(graph, outputs)
    names = {}
    env = {}

    def name(tid):
        n = names.get(tid)
        if n is None:
            n = names[tid] = f"t{len(names)}"
            if tid in graph.captures and tid not in inputs:  # an eager constant
                env[n] = _scalar(graph.captures[tid]._value)
        return n

    params = [name(i) for i in inputs]
    last_use = {}
    for k, node in enumerate(nodes):
        for i in node.inputs:
            last_use[i] = k
    keep = set(outputs)
    body = []
    lines = {}
    for k, node in enumerate(nodes):
        outs = [name(o) for o in node.outputs]
        if node.kind == "read":
            h = f"H{k}"
            env[h] = node.attrs["handle"]
            code = f"{outs[0]} = {h}.value"
        elif node.kind == "const":
            c = f"K{k}"
            env[c] = _scalar(node.attrs["value"])
            code = f"{outs[0]} = {c}"
        elif _OPERATORS.get(_bare(node.fwd)) and len(node.inputs) == 2 and not node.attrs:
            a, b = (name(i) for i in node.inputs)
            code = f"{outs[0]} = {a} {_OPERATORS[_bare(node.fwd)]} {b}"
        else:
            f = f"F{k}"
            env[f] = _bare(node.fwd)
            args = [name(i) for i in node.inputs]
            for key, value in node.attrs.items():
                a = f"A{k}_{key}"
                env[a] = value
                args.append(f"{key}={a}")
            call = f"{f}({', '.join(args)})"
            if not outs:
                code = call
            elif node.multi:
                code = f"{', '.join(outs)}{',' if len(outs) == 1 else ''} = {call}"
            else:
                code = f"{outs[0]} = {call}"
        lines[len(body) + 2] = node
        body.append(code)
        dead = [names[i] for i in dict.fromkeys(node.inputs) if last_use.get(i) == k
                and i not in keep and names[i] not in env]
        if dead:
            body.append(f"del {', '.join(dead)}")
    ret = ", ".join(name(o) for o in outputs)
    body.append(f"return ({ret}{',' if len(outputs) == 1 else ''})")
    filename = f"<tf.function program {next(_programs)}>"
    source = f"def program({', '.join(params)}):\n" + "".join(f"    {b}\n" for b in body)
    exec(compile(source, filename, "exec"), env)  # noqa: S102 - our own generated code
    return Program(env["program"], lines, filename, source)


def _bare(fwd):
    return getattr(fwd, "__wrapped__", fwd)


def _scalar(value):
    """A 0-d constant as the NumPy scalar ops on 0-d arrays return anyway: same numbers, and
    scalar arithmetic skips the array machinery."""
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "biufc":
        return value[()]
    return value
