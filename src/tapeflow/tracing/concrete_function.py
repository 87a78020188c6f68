"""``ConcreteFunction``: one trace of a ``tf.function`` — its graph, signature and program."""

import numpy as np

from ..engine import core
from ..framework import errors, nest
from ..framework.context import state
from ..framework.tensor import Tensor, convert_to_tensor, wrap
from ..framework.tensor_spec import TensorSpec
from ..framework.variable import Variable
from ..graph.executor import compile_graph
from ..graph.ir import SymbolicTensor


def type_text(x):
    """TF's text for one parameter or output type (``TensorSpec(...)``, ``List[...]``…)."""
    if isinstance(x, TensorSpec):
        return repr(x)
    if isinstance(x, Tensor):
        return repr(TensorSpec(x.shape, x.dtype))
    if isinstance(x, Variable):
        return repr(TensorSpec(x.shape, x.dtype))
    if isinstance(x, dict):
        return "Dict[" + ", ".join(f"[{k!r}, {type_text(x[k])}]" for k in sorted(x)) + "]"
    if isinstance(x, list):
        return "List[" + ", ".join(type_text(v) for v in x) + "]"
    if isinstance(x, tuple):
        return "Tuple[" + ", ".join(type_text(v) for v in x) + "]"
    if x is None or isinstance(x, int | float | str | bool):
        return f"Literal[{x!r}]"
    return f"{type(x).__name__}"


class ConcreteFunction:
    """A traced function: callable with arguments matching its trace."""

    def __init__(self, name, graph, params, inputs, outputs, variables):
        self.name = name
        self.graph = graph
        self._params = params          # [(name, kind, structure with placeholders / values)]
        self._inputs = inputs          # placeholder tensors in flat order
        self.structured_outputs = outputs
        self._variables = variables
        flat = nest.flatten(outputs)
        self._out_ids = []
        self._out_index = []
        for leaf in flat:
            if isinstance(leaf, Tensor):
                self._out_index.append(len(self._out_ids))
                self._out_ids.append(graph.ref(leaf))
            else:
                self._out_index.append(leaf)
        graph.outputs = self._out_ids
        self._single = (len(flat) == 1 and not nest.is_nested(outputs)
                        and isinstance(outputs, Tensor))
        self._program = compile_graph(graph, [t._id for t in inputs], self._out_ids)
        self._python_function = None
        self._signature = None

    # --- calling -------------------------------------------------------------------------------
    def _call_flat(self, tensors):
        """Run on the input tensors (flat, in trace order), giving the structured outputs."""
        if state.stack:  # a tape (or an outer trace) must see every op: run them one by one
            outs = self._replay(tensors)
        else:
            values = [t._value for t in tensors]
            try:
                with np.errstate(all="ignore"):
                    arrays = self._program.run(*values)
            except Exception as e:  # noqa: BLE001 - re-raised as TF's graph error
                raise self._graph_error(e) from None
            if self._single:
                return wrap(arrays[0])
            outs = [wrap(a) for a in arrays]
        if self._single:
            return outs[0]
        flat = [outs[i] if type(i) is int else i for i in self._out_index]
        return nest.pack_sequence_as(self.structured_outputs, flat)

    def _graph_error(self, e):
        node = self._program.node_at(e.__traceback__)
        if node is None or isinstance(e, errors.OpError) and "Graph execution" in str(e):
            return e
        where = ""
        if node.location is not None:
            where = f'  File "{node.location[0]}", line {node.location[1]}\n'
        text = e.message if isinstance(e, errors.OpError) else str(e)
        cls = type(e) if isinstance(e, errors.OpError) else errors.InvalidArgumentError
        return cls(None, None, f"Graph execution error:\n\nDetected at node {node.name} defined "
                   f"at (most recent call last):\n{where}\n{text}")

    def _replay(self, tensors):
        """Run the graph's nodes through the ordinary op dispatch (recorded by active tapes)."""
        g = self.graph
        env = {t._id: v for t, v in zip(self._inputs, tensors)}
        for tid, t in g.captures.items():
            env[tid] = t
        for node in g.nodes:
            args = [env[i] for i in node.inputs]
            if node.prim is not None:
                out = core.apply(node.prim, args, node.attrs)
                outs = out if node.multi else (out,)
            elif node.kind == "const":
                outs = (convert_to_tensor(node.attrs["value"]),)
            elif node.replay is not None:
                outs = node.replay(*args)
            else:
                with np.errstate(all="ignore"):
                    res = node.fwd(*[a._value for a in args], **node.attrs)
                outs = tuple(wrap(r) for r in res) if node.multi else (wrap(res),)
            for o, t in zip(node.outputs, outs):
                env[o] = t
        return [env[o] for o in self._out_ids]

    def __call__(self, *args, **kwargs):
        return self._call_flat(self._bind(args, kwargs))

    def _bind(self, args, kwargs):
        """The input tensors for a call, checked against the traced signature (TF's errors)."""
        names = [p[0] for p in self._params]
        values = dict(zip(names, args))
        for k, v in kwargs.items():
            if k not in names or k in values:
                raise TypeError(f"{self.name}() got unexpected keyword arguments: {k}.")
            values[k] = v
        flat = []
        for name, _kind, traced in self._params:
            if name not in values:
                if any(isinstance(t, Tensor) for t in nest.flatten(traced)):
                    raise TypeError(f"{self.name}() missing required argument: {name}")
                continue  # a Python value: the traced one
            given = values[name]
            for t, g in zip(nest.flatten(traced), nest.flatten(given)):
                if isinstance(t, SymbolicTensor):
                    g = g if isinstance(g, Tensor) else convert_to_tensor(g)
                    if g.dtype != t.dtype:
                        n = len(flat)
                        raise errors.InvalidArgumentError(
                            None, None, f"cannot compute {self.name} as input #{n}(zero-based) "
                            f"was expected to be a {t.dtype._op_name} tensor but is a "
                            f"{g.dtype._op_name} tensor [Op:{self.name}]")
                    flat.append(g)
                elif not isinstance(t, Variable) and not _same(t, g):
                    raise TypeError(
                        f"Binding inputs to tf.function failed due to `Can not cast {g!r} to "
                        f"{type_text(t)}`. Received args: {tuple(args)!r} and kwargs: {kwargs!r} "
                        f"for signature: {self.function_type}.")
        return flat

    # --- inspection ----------------------------------------------------------------------------
    @property
    def structured_input_signature(self):
        args = []
        kwargs = {}
        for name, kind, traced in self._params:
            spec = nest.map_structure(_spec, traced)
            if kind == "KEYWORD_ONLY":
                kwargs[name] = spec
            else:
                args.append(spec)
        return tuple(args), kwargs

    @property
    def inputs(self):
        return list(self._inputs)

    @property
    def outputs(self):
        return [self.graph.lookup(i) for i in self._out_ids]

    @property
    def variables(self):
        return tuple(self._variables)

    trainable_variables = variables

    @property
    def captured_inputs(self):
        return list(self._variables)

    @property
    def function_type(self):
        return FunctionType(self)

    @property
    def inference_fn(self):
        return _AtomicFunction(self)

    def pretty_printed_signature(self, verbose=True):
        lines = ["Input Parameters:"]
        for name, kind, traced in self._params:
            lines.append(f"  {name} ({kind}): {type_text(traced)}")
        lines.append("Output Type:")
        lines.append(f"  {type_text(self.structured_outputs)}")
        lines.append("Captures:")
        if self._variables:
            for v in self._variables:
                lines.append(f"  {id(v._handle)}: TensorSpec(shape=(), dtype=tf.resource, "
                             "name=None)")
        else:
            lines.append("  None")
        return "\n".join(lines)

    def __str__(self):
        return "ConcreteFunction " + self.pretty_printed_signature()

    def __repr__(self):
        return f"<ConcreteFunction {self.name} at {id(self):#X}>"


class FunctionType:
    """``ConcreteFunction.function_type``: prints as ``(a: TensorSpec(...)) -> TensorSpec(...)``."""

    def __init__(self, concrete):
        self._c = concrete

    def __str__(self):
        params = ", ".join(f"{n}: {type_text(t)}" for n, _, t in self._c._params)
        return f"({params}) -> {type_text(self._c.structured_outputs)}"

    __repr__ = __str__


class _AtomicFunction:
    """``ConcreteFunction.inference_fn``: the graph called on flat tensors."""

    def __init__(self, concrete):
        self._c = concrete

    def __call__(self, *tensors):
        outs = self._c._call_flat([convert_to_tensor(t) for t in tensors])
        return outs

    @property
    def name(self):
        return self._c.name


def _spec(t):
    if isinstance(t, SymbolicTensor):
        return TensorSpec(t.shape, t.dtype, t._origin.name)
    return t


def _same(traced, given):
    try:
        return type(traced) is type(given) and bool(traced == given)
    except Exception:  # noqa: BLE001 - objects that do not compare: identity
        return traced is given
