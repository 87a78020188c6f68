"""``ConcreteFunction``: one trace of a ``tf.function`` — its graph, signature and program."""


import re

from ..engine import core
from ..engine.tape import GradientTape
from ..framework import errors, nest
from ..framework.context import fp_quiet, fp_restore, graph_collectors, state
from ..framework.tensor import Tensor, convert_to_tensor, wrap
from ..framework.tensor_spec import TensorSpec
from ..framework.variable import Variable
from ..graph.executor import compile_graph
from ..graph.replay import replay
from ..graph.ir import SymbolicTensor
from ..ops.ragged_ops import flat_components
from .variable_args import ArgumentHandle, ArgumentList, VariableSpec, split_variables


class RaggedParts(tuple):
    """A RaggedTensor output of a trace: its tensors (``ragged_ops.components``), the graph's
    outputs, and the RaggedTensor they came from (its structure)."""

    def __new__(cls, parts, like=None):
        out = super().__new__(cls, parts)
        out.like = like
        return out


def map_parts(fn, structure):
    """``fn`` on every leaf of an output structure, in ``nest.flatten``'s order (dict keys
    sorted), RaggedParts kept with what they were made from (which ``nest`` would drop)."""
    if isinstance(structure, RaggedParts):
        return RaggedParts([map_parts(fn, p) for p in structure], structure.like)
    if isinstance(structure, dict):
        done = {k: map_parts(fn, structure[k]) for k in sorted(structure)}
        return type(structure)((k, done[k]) for k in structure)
    if isinstance(structure, list | tuple):
        items = [map_parts(fn, v) for v in structure]
        return type(structure)(*items) if hasattr(type(structure), "_fields") else type(
            structure)(items)
    return fn(structure)


def restore_ragged(structure):
    """``structure`` with each RaggedParts built back into a RaggedTensor."""
    from ..ops.ragged_ops import from_components
    if isinstance(structure, RaggedParts):
        like = structure.like
        if hasattr(like, "_tf_fields") or hasattr(like, "_field_items"):  # an extension type
            from ..experimental.extension_type import rebuild
            return rebuild(structure.like, iter(structure))
        return from_components(structure.like, list(structure))
    if isinstance(structure, dict):
        return type(structure)((k, restore_ragged(v)) for k, v in structure.items())
    if isinstance(structure, list | tuple):
        items = [restore_ragged(v) for v in structure]
        return type(structure)(*items) if hasattr(type(structure), "_fields") else type(
            structure)(items)
    return structure


def type_text(x):
    """TF's text for one parameter or output type (``TensorSpec(...)``, ``List[...]``…)."""
    if isinstance(x, TensorSpec | VariableSpec):
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

    def __init__(self, name, graph, params, inputs, outputs, variables, arg_handles=()):
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
        self._ragged = False  # RaggedParts among the outputs
        self._first_outputs = None  # results of the trace's own run, for the first call
        self._pure = None
        self._call_prim = None
        # what a tape outside reads: a Variable, or a Variable argument's stand-in (its call's)
        self._read_variables = [graph.variables[h.id] if type(h) is not ArgumentHandle else h
                                for h in (n.attrs["handle"] for n in graph.nodes
                                          if n.kind == "read")]
        self._arg_handles = list(arg_handles)  # the stand-ins of its Variable arguments
        self._running = False  # a call of it is running (see _call_bound)
        if arg_handles:
            self._call_flat = self._call_bound

    # --- Variable arguments (tracing/variable_args.py) -----------------------------------------
    def _call_bound(self, flat):
        """A call of a trace with Variable arguments: ``flat`` holds the call's Variables besides
        its tensors; each stand-in handle is bound to the call's variable. The binding stays
        after the call, unless the call ran inside another call of this trace (a py_function
        calling it again), whose binding is then put back."""
        if type(flat) is not ArgumentList:  # from a ConcreteFunction's own binding
            flat = split_variables(flat)
        variables = flat.variables
        handles = self._arg_handles
        if len(variables) != len(handles):
            raise TypeError(f"{self.name}() takes {len(handles)} distinct Variable arguments, "
                            f"got {len(variables)}")
        outer = [h.variable for h in handles] if self._running else None
        self._running = True
        try:
            for h, v in zip(handles, variables):
                h.variable = v
                h.handle = v._handle
            return ConcreteFunction._call_flat(self, flat)
        finally:
            if outer is None:
                self._running = False
            else:
                for h, v in zip(handles, outer):
                    h.bind(v)

    def _variable_spec(self):
        """A function giving an argument's VariableSpec for a Variable argument of this trace,
        anything else unchanged."""
        specs = {id(h.traced._handle): h.spec for h in self._arg_handles}
        return lambda x: specs.get(id(x._handle), x) if isinstance(x, Variable) else x

    # --- calling -------------------------------------------------------------------------------
    def _call_flat(self, tensors):
        """Run on the input tensors (flat, in trace order), giving the structured outputs."""
        if graph_collectors:
            for collect in graph_collectors:
                collect(self)
        if state.stack:
            if state.graph is None and self._as_one_op():
                outs = self._call_recorded(tensors)
            else:  # inside another trace, or state/other recorders: every op, one by one
                outs = self._replay(tensors)
        else:
            values = [t._value for t in tensors]
            quiet = fp_quiet()  # inf/nan silently, as every op; set once for the whole program
            try:
                arrays = self._program.run(*values)
            except Exception as e:  # noqa: BLE001 - re-raised as TF's graph error
                raise self._graph_error(e) from None
            finally:
                fp_restore(quiet)
            if self._single:
                return wrap(arrays[0])
            outs = [wrap(a) for a in arrays]
        if self._single:
            return outs[0]
        flat = [outs[i] if type(i) is int else i for i in self._out_index]
        if self._ragged:
            it = iter(flat)
            return restore_ragged(map_parts(lambda _: next(it), self.structured_outputs))
        return nest.pack_sequence_as(self.structured_outputs, flat)

    # --- under a tape: the call as one op, its gradient a traced (cached) function -------------
    def _as_one_op(self):
        """Whether a tape outside may record this call as one op: only plain GradientTapes are
        recording and the graph is pure (no assign, random, print: the backward replays it)."""
        if self._pure is None:
            self._pure = all(n.kind == "read" or not n.stateful for n in self.graph.nodes)
        return self._pure and all(type(r) is GradientTape for r in state.stack)

    def _call_recorded(self, tensors):
        """The program run as one primitive whose inputs are the call's tensors and a read of
        each Variable the graph reads (so tapes watch them)."""
        if self._call_prim is None:
            self._call_prim = _call_primitive(self)
        reads = [v._dense_read() for v in self._read_variables]
        out = core.apply(self._call_prim, (*tensors, *reads), {})
        return list(out)

    def _graph_error(self, e):
        node = self._program.node_at(e.__traceback__)
        if node is None or isinstance(e, errors.OpError) and "Graph execution" in str(e):
            return e
        where = ""
        if node.location is not None:
            where = f'  File "{node.location[0]}", line {node.location[1]}\n'
        if isinstance(e, errors.OpError):  # the kernel's words, without the eager op's frame
            eager = _EAGER_FRAME.match(e.message)
            text = e.message if eager is None else (
                f"{eager.group(1)}\n\t [[{{{{node {node.name}}}}}]] [Op:{self.name}]")
        else:
            text = _kernel_text(str(e))
        cls = type(e) if isinstance(e, errors.OpError) else errors.InvalidArgumentError
        return cls(None, None, f"Graph execution error:\n\nDetected at node {node.name} defined "
                   f"at (most recent call last):\n{where}\n{text}")

    def _replay(self, tensors):
        """Run the graph's nodes through the ordinary op dispatch (recorded by active tapes)."""
        bindings = {t._id: v for t, v in zip(self._inputs, tensors)}
        return replay(self.graph, bindings, self._out_ids)

    def __call__(self, *args, **kwargs):
        try:
            flat = self._bind_structured(args, kwargs)
        except TypeError as structured:
            # TF's fallback: the tensor arguments alone, in order (each failure chained)
            try:
                flat = self._bind_flat(args, kwargs)
            except TypeError as e:
                raise TypeError(f"{structured}\nFallback to flat signature also failed due to: "
                                f"{e}") from e
            self._check_dtypes(flat)
        return self._call_flat(flat)

    def _bind_flat(self, args, kwargs):
        if kwargs:
            raise TypeError(f"{self._flat_summary()} got unexpected keyword arguments: "
                            f"{', '.join(kwargs)}.")
        flat = self._flat_inputs()
        if len(args) != len(flat) or not all(isinstance(a, Tensor) for a in args):
            raise TypeError(f"{self._flat_summary()} takes {len(flat)} positional "
                            f"arguments, got {len(args)}.")
        for n, (a, (_, resource)) in enumerate(zip(args, flat)):
            if resource:  # a tensor where the graph takes a Variable's handle
                raise errors.InvalidArgumentError(
                    None, None, f"cannot compute {self.name} as input #{n}(zero-based) was "
                    f"expected to be a resource tensor but is a {a.dtype._op_name} tensor "
                    f"[Op:{self.name}]")
        return list(args)

    def _flat_inputs(self):
        """[(name, whether a Variable's handle)] of the graph's flat inputs, in order."""
        if not self._arg_handles:
            return [(t._origin.name, False) for t in self._inputs]
        out, seen = [], set()
        for name, _kind, traced in self._params:
            for leaf in _flat(traced):
                if isinstance(leaf, SymbolicTensor):
                    out.append((leaf._origin.name, False))
                elif isinstance(leaf, Variable) and id(leaf._handle) not in seen:
                    seen.add(id(leaf._handle))
                    out.append((name, True))
        return out

    def _flat_summary(self):
        name = getattr(self._python_function, "__name__", self.name)
        return f"{name}({', '.join(n for n, _ in self._flat_inputs())})"

    def _check_dtypes(self, flat):
        for n, (g, t) in enumerate(zip(flat, self._inputs)):
            if g.dtype != t.dtype:
                raise errors.InvalidArgumentError(
                    None, None, f"cannot compute {self.name} as input #{n}(zero-based) was "
                    f"expected to be a {t.dtype._op_name} tensor but is a {g.dtype._op_name} "
                    f"tensor [Op:{self.name}]")

    def _bind_structured(self, args, kwargs):
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
            for t, g in zip(_flat(traced), _flat(given)):
                if isinstance(t, SymbolicTensor):
                    g = g if isinstance(g, Tensor) else convert_to_tensor(g)
                    if g.dtype != t.dtype or not t.shape.is_compatible_with(g.shape):
                        self._cannot_bind(args, kwargs, TypeError(
                            f"Can not cast {TensorSpec(g.shape, g.dtype)!r} to "
                            f"{TensorSpec(t.shape, t.dtype)!r}"))
                    flat.append(g)
                elif isinstance(t, Variable):
                    if not isinstance(g, Variable):
                        self._cannot_bind(args, kwargs, TypeError(""))
                    if g.dtype != t.dtype:  # TF's error when the graph reads it
                        raise errors.InvalidArgumentError(
                            None, None, "Graph execution error:\n\nTrying to read variable "
                            f"with wrong dtype. Expected {t.dtype._op_name} got "
                            f"{g.dtype._op_name}\n\t [[{{{{node ReadVariableOp}}}}]] "
                            f"[Op:{self.name}]")
                    flat.append(g)
                elif not _same(t, g):
                    self._cannot_bind(args, kwargs, ValueError(
                        f"Can not cast {g!r} to {type_text(t)}"))
        return flat

    def _cannot_bind(self, args, kwargs, cause):
        raise TypeError(f"Binding inputs to tf.function failed due to `{cause}`. Received args: "
                        f"{tuple(args)!r} and kwargs: {kwargs!r} for signature: "
                        f"{self.function_type}.") from cause

    # --- inspection ----------------------------------------------------------------------------
    @property
    def structured_input_signature(self):
        return self._traced_arguments(self._variable_spec())

    def _traced_arguments(self, variable=lambda x: x):
        """(args, kwargs) of the trace: its tensors as TensorSpecs, its Variables through
        ``variable`` (kept, for tracing again)."""
        args = []
        kwargs = {}
        for name, kind, traced in self._params:
            spec = nest.map_structure(lambda x: variable(_spec(x)), traced)
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

    def _printed_params(self):
        """[(name, kind, traced)] with each Variable argument as its VariableSpec."""
        if not self._arg_handles:
            return self._params
        spec = self._variable_spec()
        return [(name, kind, nest.map_structure(spec, traced))
                for name, kind, traced in self._params]

    def pretty_printed_signature(self, verbose=True):
        lines = ["Input Parameters:"]
        for name, kind, traced in self._printed_params():
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


_NOT_BROADCAST = re.compile(r"operands could not be broadcast together with shapes "
                            r"\(([\d,]*)\) \(([\d,]*)\)")


# An eager op error's text: "{{function_node __wrapped__Op_device_...}} words [Op:Op] name: n"
_EAGER_FRAME = re.compile(r"^(?:\{\{function_node [^}]*\}\} )?(.*) \[Op:\w+\](?: name: .*)?$",
                          re.DOTALL)


def _kernel_text(text):
    """NumPy's broadcasting ValueError as TF's kernel says it (a graph traced past static
    shapes that may work, run on ones that do not)."""
    m = _NOT_BROADCAST.match(text.strip())
    if m is None:
        return text
    a, b = (g.rstrip(",") for g in m.groups())
    return f"Incompatible shapes: [{a}] vs. [{b}]"


def _call_primitive(concrete):
    """A ``PartitionedCall`` primitive for ``concrete``: forward = its program; joint VJP = a
    tf.function (traced once per signature, then cached) replaying the graph under a tape."""
    n = len(concrete._inputs)
    graph = concrete.graph
    read_ids = [node.outputs[0] for node in graph.nodes if node.kind == "read"]

    def forward(*arrays):  # run by core.apply, which sets the quiet error state
        return concrete._program.run(*arrays[:n])

    def backward(inputs, seeds):
        wrt = [t for t in inputs if _floating(t)]
        with GradientTape() as tape:
            tape.watch(wrt)
            bindings = {t._id: v for t, v in zip(concrete._inputs, inputs[:n])}
            bindings.update(zip(read_ids, inputs[n:]))
            outs = replay(graph, bindings, concrete._out_ids, skip_reads=True)
        targets = [o for o in outs if _floating(o)]
        return tape.gradient(targets, wrt, output_gradients=list(seeds),
                             unconnected_gradients="zero")

    from .polymorphic_function import Function
    backward_fn = Function(backward, autograph=False, name=f"{concrete.name}_grad")

    def rule(gs, ans, *inputs):
        seeds = [g for g, o in zip(gs, ans) if _floating(o)]
        if not seeds or not any(_floating(t) for t in inputs):
            return [None] * len(inputs)
        grads = iter(backward_fn(list(inputs), seeds))
        return [next(grads) if _floating(t) else None for t in inputs]

    prim = core.Primitive("PartitionedCall", forward, multi=True)
    prim.tensor_rules = prim.joint = True
    outs = [graph.lookup(i) for i in concrete._out_ids]
    prim.shape_fn = lambda *ins: [(o.shape._dims, o._value.dtype) for o in outs]
    return prim.defvjp(rule)


def _floating(t):
    return t.dtype.is_floating or t.dtype.is_complex


class FunctionType:
    """``ConcreteFunction.function_type``: prints as ``(a: TensorSpec(...)) -> TensorSpec(...)``."""

    def __init__(self, concrete):
        self._c = concrete

    def __str__(self):
        params = ", ".join(f"{n}: {type_text(t)}" for n, _, t in self._c._printed_params())
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
    if hasattr(t, "_tf_fields") and not isinstance(t, type):  # an extension type: its Spec
        return t._type_spec
    return t


def _flat(structure):
    """``flat_components`` with every extension type value (or Spec) as its tensors."""
    out = []
    for leaf in flat_components(structure):
        if not isinstance(leaf, type) and (hasattr(leaf, "_tf_fields")
                                           or hasattr(leaf, "_field_items")):
            from ..experimental.extension_type import parts
            out.extend(parts(leaf))
        else:
            out.append(leaf)
    return out


def _same(traced, given):
    try:
        return type(traced) is type(given) and bool(traced == given)
    except Exception:  # noqa: BLE001 - objects that do not compare: identity
        return traced is given
