"""``tf.saved_model.load``: rebuild the saved objects, Variables and functions without the
Python code that defined them.

Each saved ConcreteFunction becomes a tf.function over a small interpreter that applies the saved
primitives in order (by their registered names, with the saved attributes and constants): it is
traced once, then runs as a compiled graph like any tf.function, and tapes differentiate it."""

import glob
import json
import os
from collections.abc import Mapping

import numpy as np

from ..engine import core
from ..framework import errors, nest
from ..framework.shape import TensorShape
from ..framework.tensor import Tensor, convert_to_tensor, wrap
from ..framework.tensor_spec import TensorSpec
from ..framework.variable import Variable
from ..graph import control_flow
from ..ops.ragged_ops import RaggedTensorSpec
from ..ops.random_ops import Generator
from ..tracing.concrete_function import (RaggedParts, _flat, _same, map_parts, restore_ragged,
                                         type_text)
from ..tracing.polymorphic_function import Function
from . import SAVED_MODEL_FILENAME, _special
from ._encode import Arrays, decode, unregistered_primitives
from .save import CONSTANTS_FILENAME, FORMAT, OLD_SUFFIX


def _placeholder_leaf(obj, arrays):
    if "placeholder" in obj:
        dims, dtype, name = obj["placeholder"]
        return TensorSpec(dims, dtype, name)
    if "ragged" in obj:
        return RaggedTensorSpec(*obj["ragged"])
    return _extension_spec(obj, arrays, lambda o: _placeholder_leaf(o, arrays))


def _extension_spec(obj, arrays, leaf):
    """A saved extension type argument (or output structure) as its class's Spec; the class must
    exist in this process (TF looks its registered name up too)."""
    if "extension" not in obj:
        return None
    from ..experimental.extension_type import REGISTRY, spec_from_fields
    name, fields = obj["extension"]
    cls = REGISTRY.get(name)
    if cls is None:
        raise ValueError(f"This SavedModel uses the extension type {name!r}, which is not "
                         "defined in this program: define (import) it before loading.")

    def field(v):
        if isinstance(v, dict) and "tensor_shape" in v:
            return TensorShape(v["tensor_shape"])
        if isinstance(v, dict) and "extension" in v:
            return _extension_spec(v, arrays, leaf)
        return decode(v, arrays, leaf)
    return spec_from_fields(cls, {n: field(v) for n, v in fields})


class _Output:
    __slots__ = ("k",)

    def __init__(self, k):
        self.k = k


def _output_leaf(obj, arrays):
    if "extension_output" in obj:
        return RaggedParts([_Output(part["output"]) for part in obj["extension_output"]],
                           _extension_spec(obj["like"], arrays, None))
    if "ragged_output" in obj:
        return RaggedParts([_Output(part["output"]) for part in obj["ragged_output"]])
    return _Output(obj["output"]) if "output" in obj else None


class _Program:
    """One saved ConcreteFunction: its parameters and a tf.function running its ops."""

    def __init__(self, desc, variables, arrays):
        self.name = desc["name"]
        self.params = [(name, kind, decode(s, arrays, lambda o: _placeholder_leaf(o, arrays)))
                       for name, kind, s in desc["params"]]
        self.specs = [x for _, _, s in self.params for x in _flat(s)
                      if isinstance(x, TensorSpec)]
        self.structured = decode(desc["structured_outputs"], arrays,
                                 lambda o: _output_leaf(o, arrays))
        self._inputs = desc["inputs"]
        self._outputs = desc["outputs"]
        self._captures = [(tid, wrap(arrays.get(key))) for tid, key in desc["captures"]]
        self._steps = _steps(desc["nodes"], variables, arrays)
        self.variables = [variables[n["read"]] for n in desc["nodes"] if "read" in n]
        self.function = Function(self._run, input_signature=self.specs, autograph=False,
                                 name=self.name.replace("__inference_", "", 1))
        self._resaved = None

    def _run(self, *inputs):
        env = dict(self._captures)
        env.update(zip(self._inputs, inputs))
        _execute(self._steps, env)
        return [env[i] for i in self._outputs]

    def resaved(self):
        """This trace as ``save`` reads a ConcreteFunction (to save a loaded object again)."""
        if self._resaved is None:
            self._resaved = _Resaved(self)
        return self._resaved

    def call_flat(self, tensors):
        flat = self.function(*tensors)
        return restore_ragged(map_parts(
            lambda x: flat[x.k] if isinstance(x, _Output) else x, self.structured))

    def bind(self, args, kwargs):
        """The flat tensors for a call, or ``None`` when the arguments do not match."""
        positional = [p[0] for p in self.params if p[1] != "KEYWORD_ONLY"]
        if len(args) > len(positional):
            return None
        names = [p[0] for p in self.params]
        values = dict(zip(positional, args))
        for k, v in kwargs.items():
            if k not in names or k in values:
                return None
            values[k] = v
        flat = []
        for name, _kind, saved in self.params:
            leaves = _flat(saved)
            if name not in values:
                if any(isinstance(x, TensorSpec) for x in leaves):
                    return None
                continue
            given = _flat(values[name])
            if len(given) != len(leaves):
                return None
            for s, g in zip(leaves, given):
                if isinstance(s, TensorSpec):
                    t = _tensor(g, s)
                    if t is None:
                        return None
                    flat.append(t)
                elif not _same(s, g):
                    return None
        return flat

    @property
    def structured_input_signature(self):
        args = tuple(s for _, kind, s in self.params if kind != "KEYWORD_ONLY")
        kwargs = {n: s for n, kind, s in self.params if kind == "KEYWORD_ONLY"}
        return args, kwargs


class _Resaved:
    """A loaded trace's graph (its interpreter traced) with the parameters and output structure
    first saved: what ``save`` needs of a ConcreteFunction."""

    def __init__(self, program):
        concrete = program.function.get_concrete_function()
        self.name = program.name
        self.graph = concrete.graph
        self._inputs = concrete._inputs
        self._out_ids = concrete._out_ids
        placeholders = iter(self._inputs)
        self._params = [(name, kind, nest.map_structure(
            lambda x: next(placeholders) if isinstance(x, TensorSpec) else x, saved))
            for name, kind, saved in program.params]
        self._input_names = {t._id: spec.name for t, spec in zip(self._inputs, program.specs)}
        outs = [self.graph.lookup(i) for i in self._out_ids]
        self.structured_outputs = nest.map_structure(
            lambda x: outs[x.k] if isinstance(x, _Output) else x, program.structured)


def _steps(nodes, variables, arrays):
    """``[(output ids, fn(env) -> output tensors)]`` for saved nodes, in program order."""
    return [(node["out"], _step(node, variables, arrays)) for node in nodes]


def _execute(steps, env):
    for outs, fn in steps:
        env.update(zip(outs, fn(env)))


def _step(node, variables, arrays):
    if "read" in node:
        variable = variables[node["read"]]
        return lambda env: (variable._dense_read(),)
    if "const" in node:
        value = arrays.get(node["const"])
        return lambda env: (convert_to_tensor(value),)
    ins = node["in"]
    if "assign" in node:
        variable, method = variables[node["var"]], node["assign"]

        def assign(env):
            out = getattr(variable, method)(env[ins[0]])
            return (out if isinstance(out, Tensor) else variable._dense_read(),)
        return assign
    if "cond" in node:
        false_fn, true_fn = (_sub_function(sub, variables, arrays) for sub in node["cond"])

        def branch(env):
            pred = core.apply(core.REGISTRY["Cast"], (env[ins[0]],), {"dtype": np.dtype(bool)})
            return control_flow.cond(pred, lambda: true_fn(env, ()), lambda: false_fn(env, ()))
        return branch
    if "while" in node:
        cond, body = (_sub_function(sub, variables, arrays) for sub in node["while"])
        shapes = [TensorShape(d) for d in node["while"][1]["shapes"]]
        n = len(shapes)

        def loop(env):
            limit = env[ins[n]] if node["limited"] else None
            return control_flow.while_loop(
                lambda *v: cond(env, v)[0], lambda *v: body(env, v),
                [env[i] for i in ins[:n]], shape_invariants=shapes, maximum_iterations=limit)
        return loop
    special = _special.load_step(node, arrays, lambda sub: _sub_function(sub, variables, arrays))
    if special is not None:
        return special
    table = unregistered_primitives() if node.get("unregistered") else core.REGISTRY
    prim = table.get(node["op"])
    if prim is None:
        raise ValueError(f"This SavedModel uses the op {node['op']!r}, which this version of "
                         "tapeflow does not have.")
    attrs = {k: decode(v, arrays, lambda obj: _generator(obj, variables)
                       or _special.rng_decode(obj)) for k, v in node["attrs"].items()}

    def run(env):
        out = core.apply(prim, [env[i] for i in ins], attrs)
        return out if prim.multi else (out,)
    return run


def _generator(obj, variables):
    """A saved draw's tf.random.Generator: one around the loaded state Variable."""
    if "generator" not in obj:
        return None
    return Generator.around(variables[obj["generator"]], obj["alg"])


def _sub_function(sub, variables, arrays):
    """A saved branch, loop condition or loop body: ``fn(outer env, placeholder values)``
    runs its nodes seeing the enclosing graph's tensors, and returns its outputs."""
    steps = _steps(sub["nodes"], variables, arrays)
    captures = [(tid, wrap(arrays.get(key))) for tid, key in sub["captures"]]

    def run(outer, values):
        env = dict(outer)
        env.update(captures)
        env.update(zip(sub["placeholders"], values))
        _execute(steps, env)
        return [env[i] for i in sub["outputs"] if i is not None]
    return run


def _tensor(value, spec):
    if isinstance(value, Variable):
        value = value.read_value()
    elif not isinstance(value, Tensor):
        try:
            value = convert_to_tensor(value)
        except (TypeError, ValueError, errors.OpError):
            return None
    if value.dtype != spec.dtype or not spec.shape.is_compatible_with(value.shape):
        return None
    return value


class RestoredFunction:
    """A loaded tf.function: calls the saved trace its arguments match (TF's ValueError when
    none does)."""

    def __init__(self, name, programs):
        self._name = name
        self._programs = programs

    def __call__(self, *args, **kwargs):
        most = max((len(p.params) for p in self._programs), default=len(args))
        if len(args) > most:
            params = ", ".join(p[0] for p in self._programs[0].params)
            raise TypeError(f"Binding inputs to tf.function failed due to `too many positional "
                            f"arguments`. Received args: {args!r} and kwargs: {kwargs!r} for "
                            f"signature: ({params}).")
        for program in self._programs:
            flat = program.bind(args, kwargs)
            if flat is not None:
                return program.call_flat(flat)
        raise ValueError(_no_match(args, kwargs, self._programs))

    @property
    def concrete_functions(self):
        return [RestoredConcreteFunction(p) for p in self._programs]

    def _resaved_concretes(self):
        return [p.resaved() for p in self._programs]

    def _list_all_concrete_functions_for_serialization(self):
        return self.concrete_functions

    def get_concrete_function(self, *args, **kwargs):
        for program in self._programs:
            if program.bind(args, kwargs) is not None or (not args and not kwargs):
                return RestoredConcreteFunction(program)
        raise ValueError(_no_match(args, kwargs, self._programs))

    @property
    def input_signature(self):
        return None

    def __repr__(self):
        return f"<tapeflow.saved_model.function_deserialization.RestoredFunction object at " \
               f"{id(self):#x}>"


class RestoredConcreteFunction:
    """One loaded trace, callable with its own signature."""

    def __init__(self, program):
        self._program = program

    def __call__(self, *args, **kwargs):
        flat = self._program.bind(args, kwargs)
        if flat is None:
            raise ValueError(_no_match(args, kwargs, [self._program]))
        return self._program.call_flat(flat)

    @property
    def structured_input_signature(self):
        return self._program.structured_input_signature

    @property
    def structured_outputs(self):
        return self._program.structured

    @property
    def variables(self):
        return tuple(self._program.variables)

    @property
    def name(self):
        return self._program.name

    def __repr__(self):
        return f"<ConcreteFunction {self._program.name} at {id(self):#X}>"


class SignatureFunction(RestoredConcreteFunction):
    """``loaded.signatures[key]``: takes the inputs by name (or in order), returns a dict."""

    def __init__(self, program, input_names, output_keys):
        super().__init__(program)
        self._names = input_names
        self._keys = output_keys

    def __call__(self, *args, **kwargs):
        """Keyword arguments by input name; else, as TF's fallback, tensors in order."""
        names = self._names
        if args and len(args) > len(names):
            self._unbound("too many positional arguments", args, kwargs,
                          f"takes {len(names)} positional arguments, got {len(args)}.")
        values = dict(zip(names, args))
        missing = [n for n in names if n not in values and n not in kwargs]
        if missing:
            self._unbound(f"missing a required argument: '{missing[0]}'", args, kwargs,
                          f"missing required arguments: {', '.join(missing)}.")
        for k, v in kwargs.items():
            if k not in names or k in values:
                self._unbound(f"got an unexpected keyword argument '{k}'", args, kwargs,
                              f"got unexpected keyword arguments: {k}.")
            values[k] = v
        flat = []
        for n, (name, spec) in enumerate(zip(names, self._program.specs)):
            t = _tensor(values[name], TensorSpec(None, spec.dtype))
            if t is None:
                given = values[name]
                dtype = getattr(given, "dtype", None)
                op = f"__inference_signature_wrapper_{self._program.name.rsplit('_', 1)[-1]}"
                raise errors.InvalidArgumentError(
                    None, None, f"cannot compute {op} as input #{n}(zero-based) was expected to "
                    f"be a {spec.dtype._op_name} tensor but is a "
                    f"{getattr(dtype, '_op_name', type(given).__name__)} tensor [Op:{op}]")
            flat.append(t)
        # as TF's flat call: dtypes checked, shapes not
        outs = self._program.function.get_concrete_function()._call_flat(flat)
        return dict(zip(self._keys, outs))

    def _unbound(self, why, args, kwargs, flat_why):
        params = ", ".join(f"{n}: {type_text(s)}"
                           for n, s in self.structured_input_signature[1].items())
        raise TypeError(
            f"Binding inputs to tf.function failed due to `{why}`. Received args: {args!r} and "
            f"kwargs: {kwargs!r} for signature: (*, {params}) -> "
            f"{type_text(self.structured_outputs)}.\nFallback to flat signature also failed due "
            f"to: signature_wrapper({', '.join(self._names)}) {flat_why}")

    @property
    def structured_input_signature(self):
        return (), {n: TensorSpec(s.shape, s.dtype, n)
                    for n, s in zip(self._names, self._program.specs)}

    @property
    def structured_outputs(self):
        outs = self._program.function.get_concrete_function().outputs
        return {k: TensorSpec(t.shape, t.dtype, k) for k, t in zip(self._keys, outs)}

    def pretty_printed_signature(self, verbose=True):
        lines = ["Input Parameters:"]
        for name, spec in self.structured_input_signature[1].items():
            lines.append(f"  {name} (KEYWORD_ONLY): {type_text(spec)}")
        lines += ["Output Type:", f"  {type_text(self.structured_outputs)}", "Captures:"]
        lines += [f"  {id(v._handle)}: TensorSpec(shape=(), dtype=tf.resource, name=None)"
                  for v in {id(v): v for v in self._program.variables}.values()] or ["  None"]
        return "\n".join(lines)

    def __str__(self):
        return "ConcreteFunction " + self.pretty_printed_signature()


class _SignatureMap(Mapping):
    def __init__(self, signatures):
        self._signatures = signatures

    def __getitem__(self, key):
        return self._signatures[key]

    def __iter__(self):
        return iter(self._signatures)

    def __len__(self):
        return len(self._signatures)

    def __repr__(self):
        return f"_SignatureMap({self._signatures!r})"

    def _resaved_signatures(self):
        return {k: f._program.resaved() for k, f in self._signatures.items()}


def _no_match(args, kwargs, programs):
    names = [p[0] for p in programs[0].params] if programs else []

    def shown(value, name):
        if isinstance(value, Tensor):
            return f"<tf.Tensor '{name}:0' shape={value.shape} dtype={value.dtype.name}>"
        return repr(value)
    lines = ["Could not find matching concrete function to call loaded from the SavedModel. "
             "Got:", f"  Positional arguments ({len(args)} total):"]
    lines += [f"    * {shown(a, names[i] if i < len(names) else f'args_{i}')}"
              for i, a in enumerate(args)]
    lines.append(f"  Keyword arguments: {kwargs}")
    lines += ["", f" Expected these arguments to match one of the following {len(programs)} "
              "option(s):"]
    for n, program in enumerate(programs, 1):
        positional, keywords = program.structured_input_signature
        lines += ["", f"Option {n}:", f"  Positional arguments ({len(positional)} total):"]
        lines += [f"    * {s!r}" for s in positional]
        lines.append(f"  Keyword arguments: {keywords}")
    return "\n".join(lines)


def _user_object_class():
    """A class per loaded object (as TF does), so that a saved ``__call__`` makes it callable."""
    class _UserObject:
        def __init__(self):
            self._saved_children = {}

        def _trackable_children(self):
            return {name: getattr(self, name) for name in self._saved_children
                    if hasattr(self, name)}

        def __setattr__(self, name, value):
            object.__setattr__(self, name, value)

    _UserObject.__module__ = "tapeflow.saved_model.load"
    _UserObject.__qualname__ = "Loader._recreate_base_user_object.<locals>._UserObject"
    return _UserObject


def _call_attribute(instance, *args, **kwargs):
    return instance.__call__(*args, **kwargs)


class _VariableList:
    """``variables`` / ``trainable_variables`` of a loaded object whose original had them."""

    def __init__(self, attr):
        self._attr = attr

    def __get__(self, instance, owner):
        if instance is None:
            return self
        nodes = instance._saved_lists.get(self._attr)
        if nodes is None:
            raise AttributeError(f"'_UserObject' object has no attribute '{self._attr}'")
        return tuple(instance._loaded_nodes[n] for n in nodes)


def load(export_dir, tags=None, options=None):
    from ..train._bundle import BundleReader
    from ..train._graph import restore_value

    export_dir = _resolve(os.fspath(export_dir))
    path = os.path.join(export_dir, SAVED_MODEL_FILENAME)
    if not os.path.isfile(path):
        if os.path.isfile(os.path.join(export_dir, "saved_model.pb")):
            raise NotImplementedError(
                f"{export_dir} holds a SavedModel written by TensorFlow (saved_model.pb); "
                "tapeflow loads only the SavedModels it writes. Its variables can be read with "
                f"tf.train.load_checkpoint({os.path.join(export_dir, 'variables')!r}).")
        raise OSError(f"SavedModel file does not exist at: {export_dir}{os.sep}"
                      f"{{{SAVED_MODEL_FILENAME}|saved_model.pb}}")
    with open(path, encoding="utf-8") as f:
        description = json.load(f)
    if description.get("format") != FORMAT:
        raise ValueError(f"{path} is not a tapeflow SavedModel description.")
    with np.load(os.path.join(export_dir, CONSTANTS_FILENAME), allow_pickle=False) as data:
        arrays = Arrays({k: data[k] for k in data.files})

    reader = BundleReader(os.path.join(export_dir, "variables", "variables"))
    saved = description["objects"]
    nodes = []
    for entry in saved:
        if "variable" in entry:
            info = entry["variable"]
            dtype = _np_dtype(info["dtype"])
            blank = np.full(info["shape"], b"", object) if dtype.kind == "O" else np.zeros(
                info["shape"], dtype)  # the saved value is assigned next
            variable = Variable(blank, trainable=info["trainable"], name=info["name"])
            restore_value(variable, reader, info["key"])
            nodes.append(variable)
        elif "list" in entry:
            nodes.append([])
        elif "dict" in entry:
            nodes.append({})
        else:
            nodes.append(_user_object_class()())
    programs = [_Program(desc, nodes, arrays) for desc in description["concrete_functions"]]
    for entry, obj in zip(saved, nodes):
        if "list" in entry:
            obj.extend(nodes[n] for _, n in entry["list"])
        elif "dict" in entry:
            obj.update((name, nodes[n]) for name, n in entry["dict"])
        elif "object" in entry:
            info = entry["object"]
            for name, n in info["children"]:
                setattr(obj, name, nodes[n])
                obj._saved_children[name] = n
            for name, indices in info["functions"].items():
                setattr(obj, name, RestoredFunction(name, [programs[i] for i in indices]))
                if name == "__call__":
                    type(obj).__call__ = _call_attribute
            lists = {k: info.get(k) for k in ("variables", "trainable_variables")
                     if info.get(k) is not None}
            object.__setattr__(obj, "_saved_lists", lists)
            object.__setattr__(obj, "_loaded_nodes", nodes)
            for attr in lists:
                if not hasattr(type(obj), attr):
                    setattr(type(obj), attr, _VariableList(attr))
    root = nodes[0]
    if isinstance(root, Variable | list | dict):
        return root
    root.signatures = _SignatureMap({
        key: SignatureFunction(programs[s["concrete"]], s["input_names"], s["output_keys"])
        for key, s in description["signatures"].items()})
    return root


def _resolve(export_dir):
    """``export_dir``, or, when a save died between moving it aside and renaming the new one
    into place, the complete SavedModel it moved aside."""
    if os.path.exists(export_dir):
        return export_dir
    aside = sorted(glob.glob(glob.escape(os.path.abspath(export_dir)) + OLD_SUFFIX + "[0-9]*"),
                   key=os.path.getmtime)
    aside = [d for d in aside if os.path.isfile(os.path.join(d, SAVED_MODEL_FILENAME))]
    return aside[-1] if aside else export_dir


def _np_dtype(name):
    from ..framework import dtypes
    return dtypes.as_dtype(name)._np
