"""``tf.function``: trace once per input signature, cache, and run the traced program.

A call computes its signature key from the arguments (TF's retracing rules: a tensor by dtype and
shape, a Python scalar by value, any other object by identity or its ``__tf_tracing_type__``),
finds the :class:`ConcreteFunction` traced for it, or traces one, and runs its program.
"""

import functools
import inspect
import os
import traceback
import weakref

import numpy as np


from ..framework import errors, nest
from ..framework.context import graph_collectors, state
from ..framework.shape import TensorShape
from ..framework.tensor import EagerTensor, Tensor, convert_to_tensor, wrap
from ..framework.tensor_spec import TensorSpec
from ..framework.variable import Variable
from ..graph import static_shapes
from ..graph.ir import Graph, SymbolicTensor, ValueNeeded, value_needed_error
from ..ops.ragged_ops import RaggedTensor, RaggedTensorSpec, components, from_components
from .concrete_function import (ConcreteFunction, RaggedParts, map_parts, restore_ragged,
                                type_text)
from .variable_args import ArgumentHandle, ArgumentList, VariableSpec

_RUN_EAGERLY = [False]


def run_functions_eagerly(run_eagerly):
    """``tf.config.run_functions_eagerly``: call the Python functions instead of graphs."""
    _RUN_EAGERLY[0] = bool(run_eagerly)


def functions_run_eagerly():
    return _RUN_EAGERLY[0]


_SCALARS = (int, float, bool, str, bytes, type(None), complex)


class _Signature:
    """Walks a call's arguments once: the cache key, the tensors (flat), the objects whose
    identity the key depends on."""

    __slots__ = ("tensors", "objects", "relax", "by_value")

    def __init__(self, by_value=False):
        self.tensors = []  # (an ArgumentList once a Variable argument is met)
        self.objects = []
        self.by_value = by_value  # small eager tensors keyed by their value too

    def key(self, x):
        t = type(x)
        if t is EagerTensor or t is SymbolicTensor:
            self.tensors.append(x)
            if self.by_value and t is EagerTensor and _keyable_by_value(x):
                return ("TV", x._value.dtype, x._value.shape, x._value.tobytes())
            return ("T", x._value.dtype, x.shape._dims if t is SymbolicTensor else x._value.shape)
        if t in _SCALARS:
            return (t, x)
        if t is list or t is tuple or isinstance(x, list | tuple):
            return (t, tuple([self.key(v) for v in x]))
        if isinstance(x, dict):
            return (t, tuple((k, self.key(x[k])) for k in sorted(x)))
        if isinstance(x, Tensor):
            self.tensors.append(x)
            return ("T", x._value.dtype, x._value.shape)
        if isinstance(x, Variable):  # by its spec: the call binds it (tracing/variable_args)
            h = x._handle
            tensors = self.tensors
            if type(tensors) is list:  # the call's first Variable
                tensors = self.tensors = ArgumentList(tensors)
                tensors.variables, tensors.aliases, alias = [x], {id(h): 0}, 0
            else:
                alias = tensors.alias(x)
            return ("V", h.value.dtype, h.value.shape if h.shape is None else h.shape._dims,
                    h.trainable, alias)
        if isinstance(x, TensorSpec):
            return ("T", x.dtype._np, x.shape._dims)
        if isinstance(x, RaggedTensor | RaggedTensorSpec):  # its tensors (or their specs)
            keys = [self.key(part) for part in components(x)]
            if keys[0][0] == "T" and keys[0][2] is not None:  # any number of values, as TF
                keys[0] = ("T", keys[0][1], (None,) + tuple(keys[0][2][1:]))
            return ("R", tuple(keys))
        if _is_extension(x):  # an extension type: its type, static fields and tensors
            from ..experimental.extension_type import parts, static_key
            return ("E", static_key(x), tuple(self.key(part) for part in parts(x)))
        trace_type = getattr(x, "__tf_tracing_type__", None)
        if trace_type is not None:
            return ("X", trace_type(None))
        self.objects.append(x)
        return ("O", id(x))


def _is_extension(x):
    """An extension type value or Spec, told without importing tf.experimental."""
    return not isinstance(x, type) and (hasattr(x, "_tf_fields") or hasattr(x, "_field_items"))


def _by_value(key):
    """Whether a trace key holds an argument's value (a trace for that value only)."""
    if type(key) is not tuple:
        return False
    return bool(key) and key[0] == "TV" or any(_by_value(k) for k in key)


def _keyable_by_value(x):
    """Whether an eager tensor argument is small enough to key a trace by its value."""
    v = x._value
    return isinstance(v, np.ndarray | np.generic) and v.dtype.kind in "biuf" and (
        np.size(v) <= static_shapes.VALUE_LIMIT)


def _compatible(spec_key, key):
    """Whether a (possibly generalized) traced key accepts a call's key: relaxing it to also
    accept the call changes nothing."""
    return spec_key == key or _generalize(spec_key, key) == spec_key


_NO = object()


def _generalize(a, b):
    """The most specific key accepting both ``a`` and ``b`` (shapes relaxed), or ``_NO``."""
    if a == b:
        return a
    if type(a) is not tuple or type(b) is not tuple or len(a) != len(b):
        return _NO
    if a and a[0] in ("T", "V") and b[0] == a[0]:  # a tensor's or a Variable's spec
        if a[1] != b[1] or a[3:] != b[3:]:
            return _NO
        if a[2] is None or b[2] is None or len(a[2]) != len(b[2]):
            return (a[0], a[1], None, *a[3:])
        return (a[0], a[1], tuple(x if x == y else None for x, y in zip(a[2], b[2])), *a[3:])
    parts = [_generalize(x, y) for x, y in zip(a, b)]
    return _NO if any(p is _NO for p in parts) else tuple(parts)


class Function:
    """What ``tf.function`` returns (TF's ``PolymorphicFunction``)."""

    def __init__(self, fn, input_signature=None, autograph=True, reduce_retracing=False,
                 jit_compile=None, name=None, instance=None):
        self._python_function = fn
        self.input_signature = None if input_signature is None else tuple(input_signature)
        self._autograph = autograph
        self._reduce_retracing = reduce_retracing
        self._jit_compile = jit_compile
        self._name = name or getattr(fn, "__name__", "function")
        self._instance = instance
        self._cache = {}       # key -> (ConcreteFunction, identity refs)
        self._traces = []      # (key, ConcreteFunction), for relaxed matching
        self._saving = {}      # key -> the ConcreteFunction traced again for SavedModels
        self._count = 0
        self._by_value = False  # set once an op needed a tensor argument's value (see __call__)
        self._bound = weakref.WeakKeyDictionary()
        self._converted = None
        functools.update_wrapper(self, fn)
        sig = inspect.signature(fn)
        params = list(sig.parameters.values())
        if instance is not None:
            params = params[1:]
        self._fn_params = params

    # --- calling -------------------------------------------------------------------------------
    def __call__(self, *args, **kwargs):
        if _RUN_EAGERLY[0]:
            return self._python(*args, **kwargs)
        if self.input_signature is not None:
            tensors = self._check_signature(args, kwargs)
            concrete = self._cache.get(())
            if concrete is None:  # traced on this call's values, with the signature's shapes
                it = iter(tensors)
                structured = tuple(nest.map_structure(lambda s: _next_input(s, it), spec)
                                   for spec in self.input_signature)
                spec_key = (_Signature().key(self.input_signature), None)
                concrete = self._trace(structured, {}, spec_key)
                self._cache[()] = concrete
            return concrete._call_flat(tensors)
        sig = _Signature(self._by_value)
        key = (sig.key(args), sig.key(kwargs) if kwargs else None)
        entry = self._cache.get(key)
        if entry is not None and _alive(entry[1], sig.objects):
            return entry[0]._call_flat(sig.tensors)
        try:
            concrete = self._lookup_or_trace(key, sig, args, kwargs)
        except ValueNeeded as e:
            if state.graph is not None:
                raise  # an enclosing trace's own arguments may be what it needs
            if self._by_value:
                raise value_needed_error(e) from None
            # An op needs a tensor argument's value (a shape, an axis…): from now on this
            # function traces once per value of its small tensor arguments, as if they were
            # Python numbers (TF's graph would take them as inputs).
            self._by_value = True
            sig = _Signature(True)
            key = (sig.key(args), sig.key(kwargs) if kwargs else None)
            try:
                concrete = self._lookup_or_trace(key, sig, args, kwargs)
            except ValueNeeded as again:
                raise value_needed_error(again) from None
        first, concrete._first_outputs = concrete._first_outputs, None  # this call's only
        if first is not None and not state.stack and not graph_collectors:
            return first
        return concrete._call_flat(sig.tensors)

    def _python(self, *args, **kwargs):
        if self._instance is not None:
            return self._python_function(self._instance(), *args, **kwargs)
        return self._python_function(*args, **kwargs)

    def _lookup_or_trace(self, key, sig, args, kwargs):
        for traced_key, concrete in self._traces:
            if _compatible(traced_key, key):
                self._cache[key] = (concrete, _refs(sig.objects))
                return concrete
        trace_key = key
        if self._reduce_retracing:
            for traced_key, _ in self._traces:
                general = _generalize(traced_key, key)
                if general is not _NO:
                    trace_key = general
                    break
        concrete = self._trace(args, kwargs, trace_key)
        self._traces.append((trace_key, concrete))
        self._cache[key] = (concrete, _refs(sig.objects))
        return concrete

    def _check_signature(self, args, kwargs):
        """The call's tensors, checked against ``input_signature`` with TF's error."""
        names = [p.name for p in self._fn_params]
        bound = list(args)
        for name in names[len(args):]:
            if name in kwargs:
                bound.append(kwargs[name])
        extra = set(kwargs) - set(names)
        if extra or len(bound) != len(self.input_signature):
            raise TypeError(f"{self._name}() takes {len(self.input_signature)} positional "
                            f"arguments that match its input_signature, got {len(bound)}")
        tensors = []
        for arg, spec in zip(bound, self.input_signature):
            flat_specs = nest.flatten(spec)
            flat_args = [arg] if isinstance(spec, TensorSpec) else nest.flatten(arg)
            if len(flat_specs) != len(flat_args):
                raise ValueError("Structure of Python function inputs does not match "
                                 f"input_signature: {arg!r} vs {spec!r}")
            for a, s in zip(flat_args, flat_specs):
                if type(s) is not TensorSpec and _is_extension(s):
                    from ..experimental.extension_type import parts
                    if not isinstance(a, s.value_type):
                        raise TypeError(f"Binding inputs to tf.function failed: {a!r} is not "
                                        f"compatible with {s!r}")
                    tensors.extend(parts(a))
                    continue
                if isinstance(s, RaggedTensorSpec):
                    if not s.is_compatible_with(a):
                        raise TypeError(f"Binding inputs to tf.function failed: {a!r} is not "
                                        f"compatible with {s!r}")
                    tensors.extend(components(a))
                    continue
                t = a if isinstance(a, Tensor) else (
                    a.read_value() if isinstance(a, Variable) else convert_to_tensor(a, s.dtype))
                if t.dtype != s.dtype or not s.shape.is_compatible_with(t.shape):
                    params = ", ".join(f"{n}: {type_text(sp)}"
                                       for n, sp in zip(names, self.input_signature))
                    raise TypeError(self._binding_error(
                        f"Can not cast {TensorSpec(t.shape, t.dtype)!r} to {s!r}", args, kwargs,
                        params))
                tensors.append(t)
        return tensors

    def _spec_args(self):
        return tuple(self.input_signature)

    def _binding_error(self, why, args, kwargs, params=None):
        """TF's message for a call that does not bind to the function's parameters (``params``:
        the signature as the message shows it, by default the parameters' names)."""
        if params is None:
            params = ", ".join(p.name if p.default is p.empty
                               else f"{p.name}=<captured_default_value>" for p in self._fn_params)
        return (f"Binding inputs to tf.function failed due to `{why}`. Received args: "
                f"{tuple(args)!r} and kwargs: {kwargs!r} for signature: ({params}).")

    # --- tracing -------------------------------------------------------------------------------
    def _target(self):
        fn = self._python_function
        if self._autograph:
            if self._converted is None:
                from .autograph import convert
                self._converted = convert(fn)
            fn = self._converted
        return fn

    def _trace(self, args, kwargs, key):
        """Trace the Python function on symbolic versions of the arguments. A first trace that
        created Variables is traced again, where creating any is TF's ValueError."""
        try:
            first = self._count == 0
            concrete = self._trace_once(args, kwargs, key, first)
            if first and concrete.graph.created:
                concrete = self._trace_once(args, kwargs, key, False)
        except ValueNeeded as e:
            if self.input_signature is not None and state.graph is None:
                raise value_needed_error(e) from None  # one trace for every value: no way out
            raise
        return concrete

    def _trace_once(self, args, kwargs, key, allow_variables):
        graph = Graph(self._name)
        graph.allow_variables = allow_variables
        walk = _Signature()
        walk.key((args, kwargs))
        arg_variables = getattr(walk.tensors, "variables", [])
        specs = {k[4]: k for k in _leaf_keys(key, "V", 5)}  # by alias id: the trace's shapes
        arg_handles = [ArgumentHandle(v, VariableSpec(
            TensorShape(specs[n][2]) if n in specs else v.shape, v.dtype, v.trainable, n))
            for n, v in enumerate(arg_variables)]
        graph.arg_handles = {v._handle: h for v, h in zip(arg_variables, arg_handles)}
        params = self._param_structure(args, kwargs, key, graph)
        call_args = [p[2] for p in params if p[1] != "KEYWORD_ONLY" and not p[3]]
        var_args = [p[2] for p in params if p[3]]
        call_kwargs = {p[0]: p[2] for p in params if p[1] == "KEYWORD_ONLY"}
        saved = state.stack, state.graph
        graph.outer_stack = saved[0] if saved[1] is None else saved[1].outer_stack
        state.stack, state.graph = [graph], graph
        try:
            fn = self._target()
            if self._instance is not None:
                out = fn(self._instance(), *call_args, *var_args, **call_kwargs)
            else:
                out = fn(*call_args, *var_args, **call_kwargs)
            out = nest.map_structure(_output_leaf, out)
            ragged = any(isinstance(x, RaggedTensor) or _is_extension(x)
                         for x in nest.flatten(out))
            if ragged:  # its tensors are the graph's outputs; each call builds it back
                out = nest.map_structure(_output_parts, out)
        except ValueNeeded:
            raise  # the caller retraces by value, or says why it cannot
        except Exception as e:  # noqa: BLE001 - re-raised with TF's "in user code" frames
            if self._converted is None or self._converted is self._python_function:
                raise  # AutoGraph off, or no source to convert: TF's error as it is
            raise _in_user_code(e) from None
        finally:
            state.stack, state.graph = saved
        if allow_variables or not graph.created:
            self._count += 1
        inputs = [graph.tensors[i] for i in graph.inputs]
        arguments = {h.id for h in arg_handles}
        variables = [v for hid, v in graph.variables.items() if hid not in arguments]
        concrete = ConcreteFunction(
            f"__inference_{self._name}_{id(graph) % 100000}", graph,
            [(p[0], p[1], p[2]) for p in params], inputs, out, variables, arg_handles)
        concrete._python_function = self._python_function
        concrete._ragged = ragged
        if not graph.synthesized and all(
                node.kind == "read" or not node.stateful for node in graph.nodes) and not any(
                isinstance(x, TensorSpec) for x in nest.flatten((args, kwargs))):
            # Pure in its inputs and variables, traced on this call's values: the trace computed
            # the first call's results already.
            if ragged:  # (each RaggedParts keeps what it was made from)
                concrete._first_outputs = restore_ragged(map_parts(_eager, out))
            else:
                concrete._first_outputs = nest.map_structure(_eager, out)
        graph.release_examples()
        return concrete

    def _param_structure(self, args, kwargs, key, graph):
        """[(name, kind, traced structure, is *args)] with tensors replaced by placeholders."""
        positional = [p for p in self._fn_params
                      if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        varargs = next((p for p in self._fn_params if p.kind == p.VAR_POSITIONAL), None)
        out = []
        keys = key[0] if key and key != () else None
        flat_keys = iter(_leaf_keys(keys, "T", 3)) if keys is not None else None
        for i, value in enumerate(args):
            if i < len(positional):
                name, kind, star = positional[i].name, positional[i].kind.name, False
            else:
                name, kind, star = f"{varargs.name}_{i - len(positional)}", "POSITIONAL_ONLY", True
            out.append((name, kind, self._placeholders(value, name, graph, flat_keys), star))
        names = {p.name: p for p in self._fn_params}
        # the positional parameters not given positionally, in their order: given by name, or
        # their defaults (part of the trace), so that the call binds each to its own place
        for p in positional[len(args):]:
            if p.name in kwargs:
                value = self._placeholders(kwargs[p.name], p.name, graph, None)
            elif p.default is not p.empty:
                value = p.default
            else:
                raise TypeError(self._binding_error(f"missing a required argument: '{p.name}'",
                                                    args, kwargs))
            out.append((p.name, p.kind.name, value, False))
        keyword_only = sorted(k for k in kwargs if names.get(k) is None
                              or names[k].kind == names[k].KEYWORD_ONLY)
        for name in keyword_only:
            out.append((name, "KEYWORD_ONLY",
                        self._placeholders(kwargs[name], name, graph, None), False))
        for p in self._fn_params:  # defaults of keyword-only parameters not given
            if p.kind == p.KEYWORD_ONLY and p.default is not p.empty and p.name not in kwargs:
                out.append((p.name, p.kind.name, p.default, False))
        for i, entry in enumerate(out):
            if entry[1] == "POSITIONAL_OR_KEYWORD" and any(
                    o[1] == "POSITIONAL_ONLY" and o[3] for o in out):
                out[i] = (entry[0], "POSITIONAL_ONLY", entry[2], entry[3])
        return out

    def _placeholders(self, value, name, graph, keys):
        counter = [0]

        def leaf(x):
            if not isinstance(x, Tensor) and _is_extension(x):
                from ..experimental.extension_type import parts, rebuild
                return rebuild(x, iter([leaf(part) for part in parts(x)]))
            if isinstance(x, RaggedTensor | RaggedTensorSpec):
                return from_components(x, [leaf(part) for part in components(x)])
            if isinstance(x, Tensor) or isinstance(x, TensorSpec):
                k = next(keys, None) if keys is not None else None
                shape = TensorShape(k[2]) if k is not None else x.shape
                n = name if counter[0] == 0 else f"{name}_{counter[0]}"
                counter[0] += 1
                if isinstance(x, TensorSpec) and x.name:
                    n = x.name  # as TF: a named spec names its placeholder (signature inputs)
                if isinstance(x, TensorSpec):
                    example = static_shapes.example(shape._dims, x.dtype._np)
                else:
                    example = x._value
                t = graph.placeholder(example, shape, n)
                if self._by_value and type(x) is EagerTensor and _keyable_by_value(x):
                    t._origin.value = np.asarray(example)  # this trace serves this value only
                return t
            trace_type = getattr(x, "__tf_tracing_type__", None)
            if trace_type is not None:
                return trace_type(None).placeholder_value(None)
            return x
        return nest.map_structure(leaf, value)

    # --- API -----------------------------------------------------------------------------------
    def get_concrete_function(self, *args, **kwargs):
        if self.input_signature is not None and not args and not kwargs:
            concrete = self._cache.get(())
            if concrete is None:
                concrete = self._cache[()] = self._trace(self._spec_args(), {}, ())
            return concrete
        sig = _Signature(self._by_value)
        key = (sig.key(args), sig.key(kwargs) if kwargs else None)
        entry = self._cache.get(key)
        if entry is not None and _alive(entry[1], sig.objects):
            return entry[0]
        try:
            concrete = self._lookup_or_trace(key, sig, args, kwargs)
        except ValueNeeded as e:
            if state.graph is not None:
                raise
            raise value_needed_error(e) from None
        concrete._first_outputs = None  # results for a call, and this is none
        return concrete

    def experimental_get_tracing_count(self):
        return self._count

    @property
    def python_function(self):
        return self._python_function

    def _list_concrete(self):
        if self.input_signature is not None:
            c = self._cache.get(())
            return [] if c is None else [c]
        return [c for _, c in self._traces]

    def _traces_for_saving(self):
        """The traces a SavedModel keeps. TF traces a function once more when it saves it (in
        its save context): its Python side effects run again and the tracing count grows, once
        a trace (later saves reuse them). tapeflow traces again likewise but keeps saving the
        trace it has, which ran on the call's example values (one from the signature alone
        would bake zeros where a graph reads values, such as a tf.data pipeline); a function
        with an input_signature never traced saves that new trace. A trace keyed by an
        argument's value is not traced again (its signature lacks the value)."""
        if self.input_signature is not None:
            entries = [((), (self._spec_args(), {}), self._cache.get(()))]
        else:
            entries = [(key, c._traced_arguments(), c) for key, c in self._traces]
        out = []
        for key, (args, kwargs), traced in entries:
            concrete = self._saving.get(key)
            if concrete is None:
                again = None
                if not _by_value(key):
                    try:
                        again = self._trace(args, kwargs, key)
                    except ValueNeeded:
                        pass
                concrete = self._saving[key] = traced or again
            if concrete is not None:
                out.append(concrete)
        return out

    def pretty_printed_concrete_signatures(self, verbose=True):
        return "\n\n".join(c.pretty_printed_signature() for c in self._list_concrete())

    @property
    def function_spec(self):
        return self.input_signature

    def experimental_get_compiler_ir(self, *args, **kwargs):
        raise NotImplementedError("tapeflow compiles no XLA programs (jit_compile is accepted "
                                  "and ignored).")

    def __get__(self, instance, owner):
        if instance is None:
            return self
        try:
            bound = self._bound.get(instance)
        except TypeError:  # unhashable instance
            bound = None
        if bound is None:
            bound = Function(self._python_function, self.input_signature, self._autograph,
                             self._reduce_retracing, self._jit_compile, self._name,
                             instance=weakref.ref(instance))
            try:
                self._bound[instance] = bound
            except TypeError:
                pass
        return bound

    def __repr__(self):
        return f"<tapeflow.function.Function object at {id(self):#x}>"


class StagingError(Exception):
    """An error while tracing that TF reports as AutoGraph's StagingError (runaway recursion)."""


_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _in_user_code(e):
    """``e`` again, its message prefixed with the user's frames as TF prints them."""
    text = str(e)
    if isinstance(e, RecursionError):
        text = "maximum recursion depth exceeded"
    if text.startswith("in user code:") or getattr(e, "keep_message", False):
        return e
    frames = [f for f in traceback.extract_tb(e.__traceback__)
              if not os.path.abspath(f.filename).startswith(_PACKAGE)]
    if not frames:
        return e
    lines = ["in user code:", ""]
    for f in frames:
        name = "None" if f.name == "<lambda>" else f.name  # TF's converted lambdas are unnamed
        lines.append(f'    File "{f.filename}", line {f.lineno}, in {name}  *')
        if f.line:
            lines.append(f"        {f.line}")
    lines += ["", f"    {type(e).__name__}: {text}", ""]
    message = "\n".join(lines)
    if isinstance(e, RecursionError):  # TF reports runaway tracing as a StagingError
        return StagingError(message)
    try:
        if isinstance(e, errors.OpError):
            new = type(e)(None, None, message)
        else:
            new = type(e)(message)
    except Exception:  # noqa: BLE001 - an exception type we cannot rebuild: as it was
        return e
    new.__traceback__ = e.__traceback__
    return new


def _output_parts(x):
    """A RaggedTensor or extension type output as its tensors (the graph's outputs)."""
    if isinstance(x, RaggedTensor):
        return RaggedParts(components(x), x)
    if _is_extension(x):
        from ..experimental.extension_type import parts
        return RaggedParts(parts(x), x)
    return x


def _next_input(spec, tensors):
    """The argument for ``spec`` of an input signature, from the call's flat tensors."""
    if _is_extension(spec):
        from ..experimental.extension_type import rebuild
        return rebuild(spec, tensors)
    if isinstance(spec, RaggedTensorSpec):
        return from_components(spec, [next(tensors) for _ in range(spec.ragged_rank + 1)])
    return next(tensors)


def _leaf_keys(key, tag, size):
    """The tensor ("T", 3) or Variable ("V", 5) entries of a signature key, in the order the
    arguments are walked."""
    out = []

    def walk(k):
        if type(k) is tuple and k and k[0] == tag and len(k) == size:
            out.append(k)
        elif type(k) is tuple:
            for item in k:
                walk(item)
    walk(key)
    return out


def _eager(x):
    return wrap(x._value) if type(x) is SymbolicTensor else x


def _output_leaf(x):
    """Function outputs: Python numbers become tensors and a Variable its value (as TF does);
    None stays None."""
    if isinstance(x, Variable):
        return x.read_value()
    if x is None or isinstance(x, Tensor) or not isinstance(x, _SCALARS):
        return x
    if isinstance(x, str):
        return x
    return convert_to_tensor(x)


def _refs(objects):
    out = []
    for o in objects:
        try:
            out.append(weakref.ref(o))
        except TypeError:
            out.append(lambda o=o: o)
    return out


def _alive(refs, objects):
    if len(refs) != len(objects):
        return False
    return all(r() is o for r, o in zip(refs, objects))


def function(func=None, input_signature=None, autograph=True, jit_compile=None,
             reduce_retracing=False, experimental_implements=None,
             experimental_autograph_options=None, experimental_attributes=None,
             experimental_relax_shapes=None, experimental_compile=None,
             experimental_follow_type_hints=None):
    """``tf.function``: trace ``func`` into graphs, once per input signature."""
    relax = bool(reduce_retracing or experimental_relax_shapes)

    def make(f):
        return Function(f, input_signature, autograph, relax, jit_compile)
    if func is None:
        return make
    return make(func)
