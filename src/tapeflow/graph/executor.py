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
_OPERATORS = {np.add: "+", np.subtract: "-", np.multiply: "*", np.true_divide: "/",
              np.less: "<", np.less_equal: "<=", np.greater: ">", np.greater_equal: ">="}


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


class _Emitter:
    """Writes the lines of one generated function; graphs can be emitted into it in sequence
    (a loop's condition and body share one function)."""

    def __init__(self):
        self.env = {"__name__": "tapeflow.graph.program"}  # its calls are the graph's own
        self.code = []  # (indent, text, node or None)
        self.count = 0

    def emit(self, graph, bind, outputs, keep, indent):
        """Lines computing ``outputs`` (tensor ids) of ``graph`` given ``bind`` (tensor id ->
        variable name); returns the output expressions. Values are deleted after their last
        use unless in ``keep`` or an output."""
        prefix = f"g{self.count}_"
        self.count += 1
        env = self.env
        nodes = live_nodes(graph, outputs)
        names = dict(bind)

        def name(tid):
            n = names.get(tid)
            if n is None:
                n = names[tid] = f"{prefix}t{len(names)}"
                if tid in graph.captures:  # an eager constant (a graph tensor must be bound)
                    captured = graph.captures[tid]
                    if type(captured).__name__ == "SymbolicTensor":
                        raise AssertionError(f"unbound graph tensor {captured.name}")
                    env[n] = _scalar(captured._value)
            return n

        last_use = {}
        for k, node in enumerate(nodes):
            for i in node.inputs:
                last_use[i] = k
        keep = set(outputs) | set(keep)
        for k, node in enumerate(nodes):
            outs = [name(o) for o in node.outputs]
            tag = f"{prefix}{k}"
            if node.kind == "read":
                handle = node.attrs["handle"]
                env[f"H{tag}"] = handle
                # a Variable argument's stand-in: the storage its call bound (tracing/variable_args)
                via = ".handle" if hasattr(handle, "variable") else ""
                code = f"{outs[0]} = H{tag}{via}.value"
            elif node.kind == "const":
                env[f"K{tag}"] = _scalar(node.attrs["value"])
                code = f"{outs[0]} = K{tag}"
            elif _OPERATORS.get(_bare(node.fwd)) and len(node.inputs) == 2 and not node.attrs:
                a, b = (name(i) for i in node.inputs)
                code = f"{outs[0]} = {a} {_OPERATORS[_bare(node.fwd)]} {b}"
            else:
                env[f"F{tag}"] = _bare(node.fwd)
                args = [name(i) for i in node.inputs]
                for key, value in node.attrs.items():
                    env[f"A{tag}_{key}"] = value
                    args.append(f"{key}=A{tag}_{key}")
                call = f"F{tag}({', '.join(args)})"
                if not outs:
                    code = call
                elif node.multi:
                    code = f"{', '.join(outs)}{',' if len(outs) == 1 else ''} = {call}"
                else:
                    code = f"{outs[0]} = {call}"
            self.code.append((indent, code, node))
            dead = [names[i] for i in dict.fromkeys(node.inputs) if last_use.get(i) == k
                    and i not in keep and names[i] not in env]
            if dead:
                self.code.append((indent, f"del {', '.join(dead)}", None))
        return [name(o) for o in outputs]

    def line(self, indent, text):
        self.code.append((indent, text, None))

    def build(self, params):
        filename = f"<tf.function program {next(_programs)}>"
        lines = {}
        text = [f"def program({', '.join(params)}):"]
        for indent, code, node in self.code:
            text.append(" " * indent + code)
            if node is not None:
                lines[len(text)] = node
        source = "\n".join(text) + "\n"
        exec(compile(source, filename, "exec"), self.env)  # noqa: S102 - our generated code
        return Program(self.env["program"], lines, filename, source)


def _tuple(names):
    return f"({', '.join(names)}{',' if len(names) == 1 else ''})"


def compile_graph(graph, inputs, outputs):
    """A :class:`Program` taking the arrays of ``inputs`` (tensor ids) and returning those of
    ``outputs``. Captured constants and Variable handles are bound into the program."""
    e = _Emitter()
    params = [f"p{i}" for i in range(len(inputs))]
    outs = e.emit(graph, dict(zip(inputs, params)), outputs, (), 4)
    e.line(4, f"return {_tuple(outs)}")
    return e.build(params)


def compile_loop(cond, body, n, limited):
    """One program for a whole ``while_loop``: the condition's and the body's lines inlined in
    a Python ``while`` (no call per iteration). ``cond``/``body`` are traced sub-graphs with
    ``placeholders`` (the loop variables), ``captured`` tensors and ``outputs``."""
    e = _Emitter()
    loop_vars = [f"v{i}" for i in range(n)]
    cc = [f"c{i}" for i in range(len(cond.captured))]
    bc = [f"b{i}" for i in range(len(body.captured))]
    params = loop_vars + (["limit"] if limited else []) + cc + bc
    if limited:
        e.line(4, "it = 0")
    e.line(4, "while True:")
    bind = {p._id: v for p, v in zip(cond.placeholders, loop_vars)}
    bind.update({t._id: c for t, c in zip(cond.captured, cc)})
    (pred,) = e.emit(cond.graph, bind, [cond.graph.ref(cond.outputs[0])], bind, 8)
    e.line(8, f"if not {pred}:")
    e.line(12, "break")
    if limited:
        e.line(8, "if it >= limit:")
        e.line(12, "break")
        e.line(8, "it += 1")
    bind = {p._id: v for p, v in zip(body.placeholders, loop_vars)}
    captured = {t._id: b for t, b in zip(body.captured, bc)}
    bind.update(captured)
    outs = e.emit(body.graph, bind, [body.graph.ref(t) for t in body.outputs], captured, 8)
    e.line(8, f"{_tuple(loop_vars)} = {_tuple(outs)}")
    e.line(4, f"return {_tuple(loop_vars)}")
    return e.build(params)


def _bare(fwd):
    return getattr(fwd, "__wrapped__", fwd)


def _scalar(value):
    """A 0-d constant as the NumPy scalar ops on 0-d arrays return anyway: same numbers, and
    scalar arithmetic skips the array machinery."""
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "biufc":
        return value[()]
    return value
