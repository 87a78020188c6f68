"""``tf.saved_model.save``: the object graph, its Variables in TensorFlow's checkpoint format,
and every traced ConcreteFunction of its tf.functions as a list of primitives by name.

Written into a temporary directory beside ``export_dir`` (each file synced), then renamed into
place, so a save that dies half way leaves any earlier SavedModel at ``export_dir`` whole."""

import glob
import io
import json
import os
import shutil

import numpy as np

from ..engine.core import REGISTRY
from ..framework import nest, trackable
from ..framework.shape import TensorShape
from ..framework.tensor import Tensor
from ..framework.variable import Variable
from ..graph.control_flow import _BOOL_INDEX
from ..graph.executor import live_nodes
from ..graph.ir import SymbolicTensor
from ..ops.ragged_ops import RaggedTensor
from ..ops.random_ops import Generator
from ..tracing.concrete_function import ConcreteFunction, RaggedParts
from ..tracing.polymorphic_function import Function
from . import DEFAULT_SERVING_SIGNATURE_DEF_KEY, SAVED_MODEL_FILENAME, _special
from ._encode import Arrays, CannotSave, encode, unregistered_primitives

FORMAT = "tapeflow.saved_model"
VERSION = 1
CONSTANTS_FILENAME = "tapeflow_constants.npz"
OLD_SUFFIX = ".old"  # a SavedModel being replaced, while the new one is renamed into place
ASSIGNS = {"AssignVariableOp": "assign", "AssignAddVariableOp": "assign_add",
           "AssignSubVariableOp": "assign_sub"}


def functions_of(obj):
    """``{attribute: tf.function}`` of ``obj``: its class's decorated methods (bound to it) and
    tf.functions stored on the instance."""
    if isinstance(obj, Variable | list | tuple | dict):
        return {}
    found = {}
    for klass in type(obj).__mro__:
        for name, value in vars(klass).items():
            if isinstance(value, Function) and name not in found:
                found[name] = getattr(obj, name)
    for name, value in getattr(obj, "__dict__", {}).items():
        if isinstance(value, Function) or hasattr(value, "_resaved_concretes"):
            found[name] = value  # a tf.function, or a loaded one (saved again)
    return dict(sorted(found.items()))


def traced_functions(fn):
    """The ConcreteFunctions TF saves for ``fn``: its traces, traced again for saving (one
    with an input_signature is traced then if it never was)."""
    if hasattr(fn, "_resaved_concretes"):
        return fn._resaved_concretes()
    return fn._traces_for_saving()


class _Writer:
    def __init__(self, walk):
        self.walk = walk
        self.arrays = Arrays()
        self.concretes = []
        self._index = {}
        self.variables = {id(o._handle): i for i, o in enumerate(walk.objects)
                          if isinstance(o, Variable)}
        self.unregistered = unregistered_primitives()

    def concrete(self, c, owner, signature=False):
        """The index of ConcreteFunction ``c`` in the saved list (serialized on first use)."""
        if id(c) in self._index:
            return self._index[id(c)]
        try:
            entry = self._serialize(c)
        except Untracked as e:
            raise _untracked_error(c, e.variable, signature) from None
        except CannotSave as e:
            raise ValueError(f"tapeflow cannot save the traced function {owner!r} "
                             f"({c.name}): {e}") from None
        self._index[id(c)] = len(self.concretes)
        self.concretes.append(entry)
        return self._index[id(c)]

    def _graph(self, g, out_ids, outer=False):
        """A graph's live nodes and its captured constants (a sub-graph's captures of its
        enclosing graph's tensors are found by their ids when it runs)."""
        nodes = [self._node(g, node) for node in live_nodes(g, out_ids)]
        captures = []
        for tid, value in g.captures.items():
            if type(value) is SymbolicTensor and not outer:
                continue
            if type(value) is SymbolicTensor or not isinstance(value, Tensor):
                raise CannotSave(f"it captures {value!r} from outside")
            captures.append([tid, self.arrays.put(value._value)])
        return nodes, captures

    def _subgraph(self, sub, outputs):
        ids = [None if t is None else sub.graph.ref(t) for t in outputs]
        nodes, captures = self._graph(sub.graph, [i for i in ids if i is not None])
        return {"placeholders": [p._id for p in sub.placeholders],
                "shapes": [_dims(p.shape) for p in sub.placeholders],
                "captures": captures, "nodes": nodes, "outputs": ids}

    def _serialize(self, c):
        g = c.graph

        def param_leaf(x):
            if isinstance(x, SymbolicTensor):
                return {"placeholder": [_dims(x.shape), x.dtype.name, _input_name(c, x)]}
            if isinstance(x, RaggedTensor):  # its spec: its tensors are the placeholders
                inner = list(x.flat_values.shape)[1:]
                return {"ragged": [[None] * (x.ragged_rank + 1) + inner, x.dtype.name,
                                   x.ragged_rank, x.row_splits.dtype.name]}
            if isinstance(x, Variable):
                raise CannotSave("a Variable passed as an argument is not saved")
            return _extension(x, self.arrays, param_leaf)

        params = [[name, kind, encode(traced, self.arrays, param_leaf)]
                  for name, kind, traced in c._params]
        nodes, captures = self._graph(g, c._out_ids, outer=True)

        out_ids = list(c._out_ids)

        def output_leaf(x):
            if isinstance(x, Tensor):
                return {"output": out_ids.index(g.ref(x))}
            if isinstance(x, RaggedParts) and hasattr(x.like, "_tf_fields"):
                return {"extension_output": [output_leaf(part) for part in x],
                        "like": _extension(x.like._type_spec, self.arrays)}
            if isinstance(x, RaggedParts):
                return {"ragged_output": [output_leaf(part) for part in x]}
            if isinstance(x, Variable):
                raise CannotSave("it returns a Variable")
            return None

        return {
            "name": c.name,
            "params": params,
            "inputs": [t._id for t in c._inputs],
            "captures": captures,
            "nodes": nodes,
            "outputs": out_ids,
            "structured_outputs": encode(c.structured_outputs, self.arrays, output_leaf),
        }

    def _variable(self, variable):
        node = self.variables.get(id(variable._handle))
        if node is None:
            raise Untracked(variable)
        return node

    def _node(self, g, node):
        if node.kind == "read":
            variable = g.variables[node.attrs["handle"].id]
            return {"read": self._variable(variable), "out": node.outputs}
        if node.kind == "const":
            return {"const": self.arrays.put(node.attrs["value"]), "out": node.outputs}
        if node.type in ASSIGNS and node.target is not None:
            return {"assign": ASSIGNS[node.type], "var": self._variable(node.target),
                    "in": node.inputs, "out": node.outputs}
        if node.type == "If" and node.target is not None:
            return {"cond": [self._subgraph(sub, sub.outputs) for sub in node.target],
                    "in": node.inputs, "out": node.outputs}
        if node.type == "While" and node.target is not None:
            sub_c, sub_b = node.target
            limited = len(node.inputs) > (len(sub_b.placeholders) + len(sub_c.captured)
                                          + len(sub_b.captured))
            return {"while": [self._subgraph(sub_c, sub_c.outputs[:1]),
                              self._subgraph(sub_b, sub_b.outputs)],
                    "limited": limited, "in": node.inputs, "out": node.outputs}
        special = _special.save_node(self, g, node)
        if special is not None:
            return special
        prim = node.prim
        if prim is _BOOL_INDEX:  # a cond's predicate as its branch index: a cast
            return {"op": "Cast", "in": node.inputs, "out": node.outputs,
                    "attrs": {"dtype": encode(np.dtype(np.int32), self.arrays)}}
        if prim is not None and self.unregistered.get(prim.name) is prim:
            return {"op": prim.name, "unregistered": True, "in": node.inputs,
                    "out": node.outputs,
                    "attrs": {k: encode(v, self.arrays) for k, v in node.attrs.items()}}
        if prim is None or REGISTRY.get(prim.name) is not prim:
            raise CannotSave(f"its op {node.type} ('{node.name}') has no saved form (custom "
                             "gradients are not saved)")
        return {"op": prim.name, "in": node.inputs, "out": node.outputs,
                "attrs": {k: encode(v, self.arrays, self._rng_leaf)
                          for k, v in node.attrs.items()}}

    def _rng_leaf(self, value):
        """A random op's generator: a tf.random.Generator as its (saved) state Variable."""
        if isinstance(value, Generator):
            return {"generator": self._variable(value.state), "alg": value.algorithm}
        return _special.rng_leaf(value)


def _dims(shape):
    return None if shape.rank is None else list(shape.as_list())


def _extension(x, arrays, leaf=None):
    """An extension type value or Spec as its class's name and its fields (tensors as ``leaf``
    gives them, TensorShapes as dims), or None for anything else."""
    from ..experimental.extension_type import ExtensionType, ExtensionTypeSpec, type_name
    if not isinstance(x, ExtensionType | ExtensionTypeSpec):
        return None
    cls = x.value_type if isinstance(x, ExtensionTypeSpec) else type(x)

    def field(v):
        if isinstance(v, TensorShape):
            return {"tensor_shape": _dims(v)}
        if isinstance(v, ExtensionType | ExtensionTypeSpec):
            return _extension(v, arrays, leaf)
        return encode(v, arrays, leaf)
    items = x._field_items() if isinstance(x, ExtensionTypeSpec) else [
        (n, getattr(x, n)) for n in x._tf_fields]
    return {"extension": [type_name(cls), [[n, field(v)] for n, v in items]],
            "spec": isinstance(x, ExtensionTypeSpec)}


class Untracked(CannotSave):
    """A function uses a Variable the saved object does not reference."""

    def __init__(self, variable):
        super().__init__(f"it uses {variable!r}, which the saved object does not reference")
        self.variable = variable


def _untracked_error(c, variable, signature):
    """TF's errors for a function capturing a Variable the saved object does not reference: an
    AssertionError for a signature, a KeyError for another function."""
    from ..train._bundle import DATATYPE
    name = variable.name[:-2] if variable.name.endswith(":0") else variable.name
    dims = ",".join(str(d) for d in variable.shape.as_list())
    handle = (f'<ResourceHandle(name="{name}/{variable._handle.id}", device="/job:localhost/'
              'replica:0/task:0/device:CPU:0", container="Anonymous", type="tensorflow::Var", '
              f'dtype and shapes : "[ DType enum: {DATATYPE.get(variable.dtype.name, 0)}, '
              f'Shape: [{dims}] ]")>')
    number = c.name.rsplit("_", 1)[-1]
    if signature:
        return AssertionError(
            "Tried to export a function which references an 'untracked' resource. TensorFlow "
            "objects (e.g. tf.Variable) captured by functions must be 'tracked' by assigning "
            "them to an attribute of a tracked object or assigned to an attribute of the main "
            "object directly. See the information below:\n"
            f"\tFunction name = b'__inference_signature_wrapper_{number}'\n"
            f"\tCaptured Tensor = {handle}\n"
            f"\tTrackable referencing this tensor = <tf.Variable '{variable.name}' "
            f"shape={tuple(variable.shape.as_list())} dtype={variable.dtype.name}>")
    return KeyError(
        f"Failed to add concrete function 'b'{c.name}'' to object-based SavedModel as it "
        f"captures tensor <tf.Tensor: shape=(), dtype=resource, value={handle}> which is "
        "unsupported or not reachable from root. One reason could be that a stateful object or "
        "a variable that the function depends on is not assigned to an attribute of the "
        "serialized trackable object (see SaveTest.test_captures_unreachable_variable).")


def _signature_concretes(obj, signatures):
    """``{key: ConcreteFunction}`` from the ``signatures`` argument (TF's rules when omitted: a
    ``_default_save_signature`` hook, else the root's one tf.function with an input_signature)."""
    if signatures is None:
        loaded = getattr(obj, "signatures", None)
        if hasattr(loaded, "_resaved_signatures"):  # a loaded object saved again: its own
            return loaded._resaved_signatures()
        hook = getattr(obj, "_default_save_signature", None)
        found = hook() if callable(hook) else None
        if found is not None:
            return {DEFAULT_SERVING_SIGNATURE_DEF_KEY: _as_concrete(found)}
        candidates = [c for f in functions_of(obj).values() if f.input_signature is not None
                      for c in traced_functions(f)[:1]]
        # one returning nothing (a setter) or not only tensors is no candidate
        candidates = [c for c in candidates
                      if nest.flatten(c.structured_outputs) and _returns_tensors(c)]
        if len(candidates) == 1:
            return {DEFAULT_SERVING_SIGNATURE_DEF_KEY: candidates[0]}
        return {}
    if not isinstance(signatures, dict):
        signatures = {DEFAULT_SERVING_SIGNATURE_DEF_KEY: signatures}
    return {key: _as_concrete(fn) for key, fn in signatures.items()}


def _as_concrete(fn):
    if isinstance(fn, ConcreteFunction):
        return fn
    if isinstance(fn, Function):
        if fn.input_signature is not None:
            return fn.get_concrete_function()
    raise ValueError(f"Expected a TensorFlow function for which to generate a signature, but got "
                     f"{fn}. Only `tf.functions` with an input signature or concrete functions "
                     "can be used as a signature.")


def _returns_tensors(c):
    """Whether all of ``c``'s outputs are tensors."""
    return all(isinstance(x, Tensor) for x in nest.flatten(c.structured_outputs))


def _signature_entry(writer, key, c):
    flat = nest.flatten(c.structured_outputs)
    if not _returns_tensors(c):
        raise ValueError(f"Got a non-Tensor value in the output of the function {c.name} used to "
                         f"generate the SavedModel signature {key!r}. Outputs for functions used "
                         "as signatures must be a single Tensor, a sequence of Tensors, or a "
                         "dictionary from string to Tensor.")
    outs = c.structured_outputs
    if isinstance(outs, dict):
        keys = [str(k) for k in sorted(outs)]  # the order nest.flatten gives the values
    else:
        keys = [f"output_{i}" for i in range(len(flat))]
    return {"concrete": writer.concrete(c, key),
            "input_names": [_input_name(c, t) for t in c._inputs], "output_keys": keys}


def _input_name(c, placeholder):
    """A parameter's name (a loaded function saved again keeps the names first saved)."""
    return getattr(c, "_input_names", {}).get(placeholder._id, placeholder._origin.name)


def save(obj, export_dir, signatures=None, options=None):
    if not trackable.is_trackable(obj) or isinstance(obj, Variable | list | tuple | dict):
        raise ValueError("Expected an object of type `Trackable`, such as `tf.Module` or a "
                         "subclass of the `Trackable` class, for export. Got "
                         f"{obj} with type {type(obj)}.")
    custom_gradients = options is None or options.experimental_custom_gradients
    description, arrays = _describe(obj, signatures, custom_gradients)
    _write(obj, os.fspath(export_dir), description, arrays)


def _describe(obj, signatures, custom_gradients=True):
    """The JSON description of ``obj``'s object graph, functions and signatures, and the
    arrays it refers to."""
    from ..train._graph import Walk, checkpoint_key

    walk = Walk(obj)
    writer = _Writer(walk)
    writer.custom_gradients = custom_gradients
    for o in walk.objects:  # as TF: every function is traced for saving first
        for fn in functions_of(o).values():
            traced_functions(fn)
    signature_concretes = _signature_concretes(obj, signatures)
    for key, c in signature_concretes.items():  # as TF: signatures are checked first
        writer.concrete(c, key, signature=True)
    objects = []
    for i, o in enumerate(walk.objects):
        children = [[name, node] for name, node in walk.refs[i]]
        if isinstance(o, Variable):
            objects.append({"variable": {
                "name": o.name[:-2] if o.name.endswith(":0") else o.name, "dtype": o.dtype.name,
                "shape": list(o.shape.as_list()), "trainable": o.trainable,
                "key": checkpoint_key(walk.paths[i])}})
        elif isinstance(o, list | tuple):
            objects.append({"list": children})
        elif isinstance(o, dict):
            objects.append({"dict": children})
        else:
            functions = {}
            for name, fn in functions_of(o).items():
                traced = traced_functions(fn)
                if traced:  # TF saves only functions that were traced
                    # (a trace taking Variable arguments is left out: TF's loaded function
                    # cannot be called with one either)
                    functions[name] = [writer.concrete(c, name) for c in traced
                                       if not getattr(c, "_arg_handles", None)]
            objects.append({"object": {"class": type(o).__name__, "children": children,
                                       "functions": functions,
                                       "variables": _variable_nodes(writer, o, "variables"),
                                       "trainable_variables": _variable_nodes(
                                           writer, o, "trainable_variables")}})
    sigs = {key: _signature_entry(writer, key, c) for key, c in signature_concretes.items()}
    description = {"format": FORMAT, "version": VERSION, "objects": objects,
                   "concrete_functions": writer.concretes, "signatures": sigs}
    return description, writer.arrays


def _write(obj, export_dir, description, arrays):
    """Everything into ``<export_dir>.tmp<pid>`` (each file synced), then renamed into place;
    a SavedModel already there is moved aside first and removed last."""
    from ..train import _fault
    from ..train._bundle import fsync_dir
    from ..train._state import write_atomically
    from ..train.checkpoint import write_objects

    parent = os.path.dirname(os.path.abspath(export_dir))
    os.makedirs(parent, exist_ok=True)
    tmp = f"{os.path.abspath(export_dir)}.tmp{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        os.makedirs(os.path.join(tmp, "variables"))
        os.makedirs(os.path.join(tmp, "assets"))
        write_objects(obj, os.path.join(tmp, "variables", "variables"))
        buf = io.BytesIO()
        np.savez(buf, **arrays.data)
        write_atomically(os.path.join(tmp, CONSTANTS_FILENAME), buf.getvalue())
        write_atomically(os.path.join(tmp, SAVED_MODEL_FILENAME),
                         json.dumps(description, allow_nan=True).encode())
        fsync_dir(tmp)
        if os.path.exists(export_dir):  # moved aside; load() finds it if we die right now
            os.replace(export_dir, f"{os.path.abspath(export_dir)}{OLD_SUFFIX}{os.getpid()}")
            _fault.step()
        os.replace(tmp, export_dir)
        fsync_dir(parent)
        _fault.step()
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _remove_leftovers(export_dir)


def _remove_leftovers(export_dir):
    """Remove what saves killed before completing left beside ``export_dir`` (their temporary
    or moved-aside directories; those of a process still running are left alone)."""
    base = glob.escape(os.path.abspath(export_dir))
    for suffix in (".tmp", OLD_SUFFIX):
        for left in glob.glob(base + suffix + "[0-9]*"):
            pid = left[len(os.path.abspath(export_dir)) + len(suffix):]
            if pid.isdigit() and int(pid) != os.getpid() and _running(int(pid)):
                continue
            shutil.rmtree(left, ignore_errors=True)


def _running(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _variable_nodes(writer, obj, attr):
    """Node ids of ``obj.variables`` / ``.trainable_variables`` (a Module's, or a Keras
    model's), when it has them and they are all saved."""
    try:
        found = getattr(obj, attr, None)
    except Exception:  # noqa: BLE001 - a property that cannot answer now (unbuilt model)
        return None
    if not isinstance(found, list | tuple):
        return None
    nodes = [writer.variables.get(id(v._handle)) if isinstance(v, Variable) else None
             for v in found]
    return None if any(n is None for n in nodes) else nodes
