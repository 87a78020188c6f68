"""The graph a ``tf.function`` traces: nodes over symbolic tensors.

Tracing runs the Python function once with every op really executed on example values (the
call's own arguments, or stand-ins built from a ``TensorSpec``); each output's static shape
comes from its primitive's shape rule (``static_shapes.py``). The tensors the trace produces
are :class:`SymbolicTensor`: they print and behave as TF's graph tensors (no ``.numpy()``, no
``bool()``), and their example value stays private to tapeflow's op code. Each op becomes a
:class:`Node`; the executor turns the node list into one flat Python program.
"""

import sys

import numpy as np

from ..framework.errors import OperatorNotAllowedInGraphError
from ..framework.shape import TensorShape
from ..framework.tensor import EagerTensor, as_readonly_array, wrap
from . import static_shapes


class Info:
    """What a symbolic tensor knows beyond its example value: its graph, name, static shape,
    and, for a small tensor computed from constants only, its ``value`` (or, for a shape
    computed from static shapes, its ``partial`` value: ``tf.shape(x)`` of a ``[None, 3]``
    tensor is ``[None, 3]``), which shape rules read as TF reads constant shape tensors."""

    __slots__ = ("graph", "name", "shape", "value", "partial", "data")

    def __init__(self, graph, name, shape):
        self.graph = graph
        self.name = name
        self.shape = shape
        self.value = None
        self.partial = None
        self.data = False  # computed from the values (not just the shapes) of the arguments


_INTERNAL = "tapeflow."
_OPERATORS = "tapeflow.tracing.autograph.operators"


def _internal_caller(depth=2):
    """Whether the frame that converts the tensor is tapeflow's own op code."""
    frame = sys._getframe(depth)
    while frame.f_globals.get("__name__") == _OPERATORS:  # AutoGraph's call on the user's behalf
        frame = frame.f_back
    return frame.f_globals.get("__name__", "").startswith(_INTERNAL)


class SymbolicTensor(EagerTensor):
    """A tensor inside a graph being traced (TF's graph ``tf.Tensor``).

    Same layout as :class:`EagerTensor` (a traced op's output is re-classed in place); the
    ``_origin`` slot holds the :class:`Info`. ``_value`` is the example value: tapeflow's ops read
    its dtype and shape; users cannot read it.
    """

    __slots__ = ()

    @property
    def shape(self):
        return self._origin.shape

    def get_shape(self):
        return self._origin.shape

    @property
    def ndim(self):
        return self._origin.shape.rank

    @property
    def name(self):
        return f"{self._origin.name}:0"

    @property
    def graph(self):
        return self._origin.graph

    @property
    def op(self):
        return self._origin.graph.op_of(self)

    def numpy(self):
        raise AttributeError("'SymbolicTensor' object has no attribute 'numpy'")

    def _trace_value(self):
        """The value an op reads while tracing. One computed from the function's arguments'
        values that the trace does not know would bake this call's example into the graph
        (later calls would get its results): that is refused (the function then retraces by
        value, or says it cannot)."""
        if self._origin.data and self._origin.value is None:
            raise ValueNeeded(self)
        return self._value

    def __array__(self, dtype=None, copy=None):
        if _internal_caller():
            return as_readonly_array(self._trace_value(), dtype, copy)
        raise NotImplementedError(
            f"Cannot convert a symbolic tf.Tensor ({self.name}) to a numpy array. This error may "
            "indicate that you're trying to pass a Tensor to a NumPy call, which is not "
            "supported.")

    def __repr__(self):
        return (f"<tf.Tensor '{self.name}' shape={self.shape} dtype="
                f"{self.dtype.name}>")

    def __str__(self):
        shape = "" if self.shape.rank is None else f"shape={self.shape}, "  # TF leaves it out
        return f'Tensor("{self.name}", {shape}dtype={self.dtype.name})'

    def __format__(self, spec):
        return format(str(self), spec)

    def __bool__(self):
        raise OperatorNotAllowedInGraphError(
            "Using a symbolic `tf.Tensor` as a Python `bool` is not allowed. You can attempt the "
            "following resolutions to the problem: If you are running in Graph mode, use Eager "
            "execution mode or decorate this function with @tf.function. If you are using "
            "AutoGraph, you can try decorating this function with @tf.function. If that does not "
            "work, then you may be using an unsupported feature or your source code may not be "
            "visible to AutoGraph. See https://github.com/tensorflow/tensorflow/blob/master/"
            "tensorflow/python/autograph/g3doc/reference/limitations.md#access-to-source-code "
            "for more information.")

    def __iter__(self):
        raise OperatorNotAllowedInGraphError(
            "Iterating over a symbolic `tf.Tensor` is not allowed. You can attempt the following "
            "resolutions to the problem: If you are running in Graph mode, use Eager execution "
            "mode or decorate this function with @tf.function. If you are using AutoGraph, you "
            "can try decorating this function with @tf.function. If that does not work, then you "
            "may be using an unsupported feature or your source code may not be visible to "
            "AutoGraph. See https://github.com/tensorflow/tensorflow/blob/master/tensorflow/"
            "python/autograph/g3doc/reference/limitations.md#access-to-source-code for more "
            "information.")

    def __len__(self):
        raise TypeError(f"len is not well defined for a symbolic Tensor ({self.name}). Please "
                        "call `x.shape` rather than `len(x)` for shape information.")

    def _scalar(self):
        if _internal_caller(3):
            return self._trace_value()
        raise TypeError(f"Cannot convert a symbolic tf.Tensor ({self.name}) to a Python scalar.")

    def __index__(self):
        if _internal_caller():
            return int(self._trace_value())
        raise TypeError("Only integer scalar tensors can be used as an index.")

    def __reduce__(self):
        raise TypeError(f"Cannot pickle a symbolic tf.Tensor ({self.name}).")


class ValueNeeded(Exception):
    """An op read the value of a graph tensor the trace does not know (a tensor argument used
    as a shape, axis, size…): the function retraces with such arguments keyed by value, or
    says it cannot."""

    def __init__(self, tensor):
        super().__init__(tensor.name)
        self.tensor = tensor


def value_needed_error(e):
    return ValueError(
        f"tf.function needs the value of {e.tensor.name} while tracing: an op takes it as a "
        "Python value (a shape, an axis, a size, multiples, …), but inside this function it is "
        "known only when the graph runs. Pass it as a Python number or a constant, or as a "
        "small tensor argument of a function without an input_signature (tapeflow then traces "
        "once per value).")


class Node:
    """One op of a graph: ``outputs = fwd(*inputs, **attrs)`` over tensor ids.

    ``kind``: ``"op"`` (a primitive or any NumPy-level function), ``"read"`` (a Variable's value,
    ``attrs['handle']``), ``"const"`` is never a node (constants are captured values).
    """

    __slots__ = ("kind", "type", "name", "fwd", "inputs", "outputs", "attrs", "multi",
                 "stateful", "location", "prim", "replay", "target")

    def __init__(self, kind, type_, name, fwd, inputs, outputs, attrs, multi, stateful, location):
        self.prim = None    # the primitive, replayed through core.apply (under a tape)
        self.replay = None  # else: how to run it on tensors (reads, assigns, control flow)
        self.target = None  # an assign's Variable (for saved_model)
        self.kind = kind
        self.type = type_
        self.name = name
        self.fwd = fwd
        self.inputs = inputs
        self.outputs = outputs
        self.attrs = attrs
        self.multi = multi
        self.stateful = stateful
        self.location = location

    def __repr__(self):
        return f"<tf.Operation '{self.name}' type={self.type}>"


class Operation:
    """What ``graph.get_operations()`` lists (TF's ``tf.Operation``, read-only)."""

    __slots__ = ("name", "type", "inputs", "outputs", "_graph")

    def __init__(self, name, type_, inputs, outputs, graph):
        self.name = name
        self.type = type_
        self.inputs = inputs
        self.outputs = outputs
        self._graph = graph

    @property
    def graph(self):
        return self._graph

    def __repr__(self):
        return f"<tf.Operation '{self.name}' type={self.type}>"


class NodeDef:
    """One entry of ``graph.as_graph_def().node``: name, op type and input names (and, for
    tapeflow's own writers, the tensors the node gives)."""

    __slots__ = ("name", "op", "input", "_outputs")

    def __init__(self, name, op, inputs, outputs=()):
        self.name = name
        self.op = op
        self.input = inputs
        self._outputs = outputs

    def __repr__(self):
        return f'name: "{self.name}"\nop: "{self.op}"\n' + "".join(
            f'input: "{i}"\n' for i in self.input)


class GraphDef:
    __slots__ = ("node",)

    def __init__(self, nodes):
        self.node = nodes


# Ops kept in program order even when no output is used: they draw random numbers or run
# sub-graphs that may print, assign or draw.
STATEFUL = {"If", "Case", "While", "ReduceDataset", "IteratorGetNext", "RandomStandardNormal",
            "TruncatedNormal", "RandomUniform", "RandomUniformInt", "Multinomial", "RandomShuffle",
            "RandomSample", "RandomStandardNormalShaped", "TruncatedNormalShaped",
            "RandomUniformShaped", "RandomUniformIntShaped"}

# Ops whose output depends on their input's shape only (not its values).
_SHAPE_ONLY = {"Shape", "Size", "Rank", "ShapeN"}

# TF names a node after the Python operator that made it (`a + b` -> "add"), else its op type.
_OP_NAMES = {"AddV2": "add", "Add": "add", "Sub": "sub", "Mul": "mul", "RealDiv": "truediv",
             "FloorDiv": "floordiv", "FloorMod": "mod", "Pow": "pow"}


class Graph:
    """A traced function body (``tf.Graph`` as ConcreteFunction.graph).

    ``tensors`` maps a tensor id to the symbolic tensor; ``inputs`` lists the placeholders' ids;
    ``captures`` maps the id of a value from outside (an eager constant, or a tensor of an
    enclosing graph) to that value; ``nodes`` are in program order.
    """

    def __init__(self, name, parent=None):
        self.name = name
        self.parent = parent
        self.nodes = []
        self.inputs = []
        self.captures = {}
        self.tensors = {}
        self.producer = {}
        self._names = {}
        self.outputs = []          # flat output ids, set when the trace ends
        self.shadow = {}           # variable handle -> its value as far as the trace has got
        self.variables = {}        # handle id -> Variable read or written by the graph
        self.created = []          # Variables created while tracing (first trace only)
        self.allow_variables = True
        self.arg_handles = {}      # a Variable argument's handle -> its ArgumentHandle (root)
        self.outer_stack = []      # the recorders active when the trace began (tf.init_scope)
        self.assigned = set()      # handle ids of Variables assigned here or in a sub-graph
        self.children = []         # sub-graphs (branches, loop bodies) traced inside this one
        self.synthesized = False   # an example value was made up from static shapes (see
        #                            example_for): the trace's values are not the call's results
        if parent is not None:
            parent.children.append(self)

    # --- building ------------------------------------------------------------------------------
    def unique(self, base):
        n = self._names.get(base, 0)
        self._names[base] = n + 1
        return base if n == 0 else f"{base}_{n}"

    def symbolic(self, t, name, shape=None):
        """Turn the eager tensor ``t`` into one of this graph's symbolic tensors, in place."""
        t.__class__ = SymbolicTensor
        t._origin = Info(self, name, TensorShape(t._value.shape) if shape is None else shape)
        self.tensors[t._id] = t
        return t

    def placeholder(self, value, shape, name):
        t = self.symbolic(wrap(value), self.unique(name), shape)
        t._origin.data = self.parent is None  # a function's argument (not a loop's or branch's)
        self.inputs.append(t._id)
        self.producer[t._id] = None
        return t

    def ref(self, t):
        """The id under which this graph reaches tensor ``t`` (capturing it when it comes from
        outside: an eager value, or a tensor of an enclosing graph being traced)."""
        tid = t._id
        if tid in self.tensors or tid in self.captures:
            return tid
        if type(t) is SymbolicTensor:
            owner = t._origin.graph
            ancestor = self.parent
            while ancestor is not None and ancestor is not owner:
                ancestor = ancestor.parent
            if ancestor is None:
                raise _out_of_scope(t, owner)
        self.captures[tid] = t
        return tid

    def add(self, kind, type_, fwd, inputs, outputs, attrs, multi=False, stateful=False,
            name=None, shapes=None):
        from ..engine.core import user_location
        in_ids = [self.ref(t) for t in inputs]
        base = name or _OP_NAMES.get(type_, type_)
        node_name = self.unique(base)
        out_ids = []
        if shapes is None and kind == "op":
            shapes = _static_shapes(inputs, outputs)
        if type_ in _SHAPE_ONLY:  # known from static shapes, unless a dim (rank) is unknown
            data = any(type(t) is SymbolicTensor and (
                t._origin.shape.rank is None if type_ == "Rank"
                else not t._origin.shape.is_fully_defined()) for t in inputs)
        elif stateful:  # a draw (or a sub-graph's result) is known only when the graph runs
            data = True
        else:
            data = any(type(t) is SymbolicTensor and t._origin.data for t in inputs)
        for k, o in enumerate(outputs):
            shape = None if shapes is None else shapes[k]
            self.symbolic(o, node_name if k == 0 else f"{node_name}:{k}", shape)
            o._origin.data = data
            out_ids.append(o._id)
        node = Node(kind, type_, node_name, fwd, in_ids, out_ids, attrs, multi, stateful,
                    user_location())
        for o in out_ids:
            self.producer[o] = node
        self.nodes.append(node)
        return node

    # --- the recorder protocol (the graph being traced sits on the recorder stack) -------------
    def add_op(self, prim, inputs, outputs, attrs):
        """A primitive ran on the trace's example values: it becomes a node, its outputs'
        static shapes from the primitive's shape rule."""
        fwd = prim.fwd
        if not prim.multi and not isinstance(outputs[0]._value, np.ndarray | np.generic):
            outputs[0]._value = np.asarray(outputs[0]._value, dtype=object)  # b"a" + b"a"
            fwd = _as_object_array(fwd)
        stateful = prim.name in STATEFUL
        if prim.shape_fn is None:  # control flow, function calls: shapes set by their code
            node = self.add("op", prim.name, fwd, inputs, outputs, attrs, multi=prim.multi,
                            stateful=stateful)
        else:
            ins = [static_shapes.abstract(t) for t in inputs]
            shapes = static_shapes.from_rule(self, prim, inputs, ins, outputs, attrs)
            node = self.add("op", prim.name, fwd, inputs, outputs, attrs, multi=prim.multi,
                            stateful=stateful, shapes=shapes)
            if not stateful:
                static_shapes.known_values(prim, ins, outputs, attrs)
        node.prim = prim

    def example_for(self, prim, inputs, attrs, error):
        """The forward failed on the trace's example values: an example output made from the
        static shapes, when some input's shape is only partly known (the failure may be the
        stand-in sizes'); None to let the error go up. Raises TF's trace-time ValueError when
        the static shapes can never work."""
        out = static_shapes.synthesize(self, prim, inputs, attrs, error)
        if out is not None:
            self.mark_synthesized()
        return out

    def refine(self, t, dims):
        """Give ``t`` the sizes in ``dims`` (None: keep) that its op guarantees beyond its
        primitives' shape rules (``tf.slice``'s explicit sizes, ``top_k``'s k)."""
        if static_shapes.refine(t, dims):
            self.mark_synthesized()

    def mark_synthesized(self):
        g = self
        while g is not None:
            g.synthesized = True
            g = g.parent

    def next_name(self, type_):
        """The name the next node of this op type will get (for error texts)."""
        base = _OP_NAMES.get(type_, type_)
        n = self._names.get(base, 0)
        return base if n == 0 else f"{base}_{n}"

    def record(self, prim, inputs, outputs, attrs):
        pass  # add_op saw it first

    def note_cut(self, kind, inputs, outputs):
        pass

    def storage(self, variable):
        """The handle this graph's nodes use for ``variable``: for a Variable argument of the
        function being traced, the stand-in each call binds (see tracing/variable_args.py)."""
        handle = variable._handle
        root = self
        while root.parent is not None:
            root = root.parent
        return root.arg_handles.get(handle, handle) if root.arg_handles else handle

    def record_read(self, variable, tensor):
        """A Variable read: a node that reads the handle when the program runs."""
        handle = self.storage(variable)
        self.variables.setdefault(handle.id, variable)
        shadow = self.shadow.get(handle)
        if shadow is not None:
            tensor._value = shadow
        node = self.add("read", "ReadVariableOp", None, (), (tensor,), {"handle": handle},
                        stateful=True)
        tensor._origin.data = True  # the value it will have when the graph runs is not known
        node.replay = lambda: (_bound(variable, handle)._dense_read(),)

    def assign(self, variable, value, update, op_type):
        """``variable.assign*`` while tracing: a node that writes the handle when the program
        runs; later reads in the trace see the new example value. Returns the new value."""
        from ..framework.tensor import convert_to_tensor
        handle = self.storage(variable)
        self.variables.setdefault(handle.id, variable)
        g = self
        while g is not None:
            g.assigned.add(handle.id)
            g = g.parent
        value = convert_to_tensor(value, dtype=variable.dtype)
        old = self.shadow.get(handle, handle.value)
        new = value._value if update is None else _update(update, old, value._value)
        if new.shape != old.shape:
            return None  # the eager code raises the error
        self.shadow[handle] = new
        out = wrap(new)
        node = self.add("op", op_type, _assigner(handle, update), (value,), (out,), {},
                        stateful=True, name=op_type)
        node.replay = lambda v: (_assign_eagerly(_bound(variable, handle), update, v),)
        node.target = variable
        return out

    def creating_variable(self):
        """A Variable is being created in the trace: allowed on a function's first trace only."""
        root = self
        while root.parent is not None:
            root = root.parent
        root.created.append(True)
        if not root.allow_variables:
            raise ValueError(
                "tf.function only supports singleton tf.Variables created on the first call. "
                "Make sure the tf.Variable is only created once or created outside tf.function. "
                "See https://www.tensorflow.org/guide/function#creating_tfvariables for more "
                "information.")

    def hoist_reads(self):
        """Reads of Variables this sub-graph never assigns become captures of reads made in the
        parent graph (where the state now is), so that the parent's tapes see them and their
        gradients reach the Variables. Returns {inner tensor id: outer read}."""
        mapping = {}
        for node in [n for n in self.nodes if n.kind == "read"]:
            handle = node.attrs["handle"]
            if handle.id in self.assigned:
                continue
            outer = self.variables[handle.id]._dense_read()
            (tid,) = node.outputs
            self.nodes.remove(node)
            del self.producer[tid]
            self.captures[outer._id] = outer
            mapping[tid] = outer
        if mapping:
            for n in self.nodes:
                n.inputs = [mapping[i]._id if i in mapping else i for i in n.inputs]
        return mapping

    def release_examples(self):
        """Once compiled, keep only the dtype and shape of the trace's example values (a
        zero-strided view), not the arrays: a traced step must not hold its activations."""
        for t in self.tensors.values():
            v = t._value
            if isinstance(v, np.ndarray) and v.size > 16:
                t._value = np.broadcast_to(np.zeros((), v.dtype), v.shape)
        for child in self.children:
            child.release_examples()

    # --- inspection ----------------------------------------------------------------------------
    def lookup(self, tid):
        t = self.tensors.get(tid)
        return self.captures.get(tid) if t is None else t

    def op_of(self, t):
        node = self.producer.get(t._id)
        if node is None:
            return Operation(t._origin.name, "Placeholder", [], [t], self)
        return self._operation(node)

    def _operation(self, node):
        ins = [self.lookup(i) for i in node.inputs]
        outs = [self.tensors[o] for o in node.outputs]
        return Operation(node.name, node.type, ins, outs, self)

    def _input_name(self, tid):
        t = self.tensors.get(tid)
        if t is not None:
            return t._origin.name
        return self._capture_names().get(tid, "Const")

    def _capture_names(self):
        names = getattr(self, "_cap_names", None)
        if names is None or len(names) != len(self.captures):
            names = {tid: "Const" if n == 0 else f"Const_{n}"
                     for n, tid in enumerate(self.captures)}
            self._cap_names = names
        return names

    def get_operations(self):
        ops = [Operation(self.tensors[i]._origin.name, "Placeholder", [], [self.tensors[i]], self)
               for i in self.inputs]
        ops += [self._operation(n) for n in self.nodes]
        return ops

    def as_graph_def(self):
        nodes = [NodeDef(self.tensors[i]._origin.name, "Placeholder", [], [self.tensors[i]])
                 for i in self.inputs]
        nodes += [NodeDef(self._capture_names()[tid], "Const", [], [t])
                  for tid, t in self.captures.items()]
        nodes += [NodeDef(n.name, n.type, [self._input_name(i) for i in n.inputs],
                          [self.tensors[o] for o in n.outputs]) for n in self.nodes]
        nodes += [NodeDef("Identity" if k == 0 else f"Identity_{k}", "Identity",
                          [self._input_name(o)], [self.lookup(o)])
                  for k, o in enumerate(self.outputs)]
        return GraphDef(nodes)

    def __repr__(self):
        return f"<tapeflow.graph.FuncGraph object at {id(self):#x}>"


def is_symbolic(x):
    return type(x) is SymbolicTensor


class OutOfScopeError(TypeError):
    """TF's TypeError for a tensor of another (finished) graph; printed as a TypeError."""

    keep_message = True  # raised as is, without the "in user code" frames


OutOfScopeError.__name__ = OutOfScopeError.__qualname__ = "TypeError"


def _out_of_scope(t, owner):
    label = f"<tf.Tensor '{t.name}' shape={t.shape} dtype={t.dtype.name}>"
    node = owner.producer.get(t._id)
    where = ""
    if node is not None and node.location is not None:
        where = f'    File "{node.location[0]}", line {node.location[1]}\n'
    return OutOfScopeError(
        f"{label} is out of scope and cannot be used here. Use return values, explicit Python "
        "locals or TensorFlow collections to access it.\nPlease see https://www.tensorflow.org/"
        "guide/function#all_outputs_of_a_tffunction_must_be_return_values for more information."
        f"\n\n{label} was defined here:\n{where}\nThe tensor {label} cannot be accessed from "
        f"here, because it was defined in FuncGraph(name={owner.name}, id={id(owner)}), which is "
        "out of scope.")


def _static_shapes(inputs, outputs):
    """Output static shapes of an op without a shape rule (control flow, function calls and
    Python ops, whose code sets them itself, or a rule that failed outside strict mode): the
    example's, except where an input's shape is only partly known:
    then unknown rank gives unknown rank, and a dim equal in size to an unknown input dim's
    example is unknown (a heuristic that is right for elementwise ops, matmul, reductions…)."""
    unknown = set()
    for t in inputs:
        if type(t) is SymbolicTensor:
            dims = t._origin.shape._dims
            if dims is None:
                return [TensorShape(None)] * len(outputs)
            unknown.update(v for d, v in zip(dims, t._value.shape) if d is None)
    if not unknown:
        return None
    return [TensorShape([None if d in unknown else d for d in np.shape(o._value)])
            for o in outputs]


def _as_object_array(fwd):
    """A forward whose 0-d string result NumPy hands back as a bare ``bytes``."""
    def run(*args, **attrs):
        return np.asarray(fwd(*args, **attrs), dtype=object)
    return run


def _update(update, old, delta):
    return np.asarray(update(old, delta), dtype=old.dtype)


def _assigner(handle, update):
    """The forward of an assign node: write the handle, answer the new value."""
    if update is None:
        def assign(value):
            handle.value = value
            return value
    else:
        def assign(delta):
            value = handle.value = _update(update, handle.value, delta)
            return value
    return assign


def _bound(variable, handle):
    """The Variable a node acts on when it runs: the one the call bound to a Variable
    argument's stand-in handle, else the variable itself."""
    return getattr(handle, "variable", variable)


def _assign_eagerly(variable, update, value):
    if update is None:
        variable.assign(value, read_value=False)
    else:
        variable.assign_add(value, read_value=False) if update.__name__ == "add" else (
            variable.assign_sub(value, read_value=False))
    return variable._dense_read()
