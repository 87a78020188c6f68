"""Keras 3's weights file (``model.save_weights('m.weights.h5')`` / ``load_weights``), through
h5py (``pip install 'tapeflow[h5]'``).

The layout, as Keras 3 writes it: one HDF5 group per object holding variables, at the path of
attribute names that leads to it from the model, with a ``vars`` subgroup (attribute ``name``:
the object's name) whose datasets ``0``, ``1``, ... are the object's own variables, trainable
ones first. A Sequential or functional model's ``layers`` come first; then the other
attributes that hold layers, optimizers, or lists/dicts of them, by name, private names last
(a subclassed model's ``layers`` property among them, ``optimizer`` once compiled).
Inside a list an object is named by its class in snake case, made unique (``dense``,
``dense_1``, ...). An object reached twice is written once, at its first path.
"""

from ..framework.variable import Variable
from . import _custom_objects, _naming
from ._custom_objects import (  # noqa: F401 - keras.saving's names for custom classes
    CustomObjectScope, custom_object_scope, deserialize_keras_object, get_custom_objects,
    get_registered_name, get_registered_object, register_keras_serializable,
    serialize_keras_object)

SUFFIX = ".weights.h5"


def _h5py():
    try:
        import h5py
    except ImportError as e:
        raise ImportError("Keras weights files need the optional package 'h5py': "
                          "pip install 'tapeflow[h5]'") from e
    return h5py


def _kinds():
    from .layers.layer import Layer
    from .models.model import Functional, Model, Sequential
    from .optimizers.base import Optimizer
    return Layer, Model, Functional, Sequential, Optimizer


_base = {}
_SKIP = frozenset(("_own_weights", "_losses", "_layer_cache", "_inbound", "_outbound"))


def _base_attributes():
    """What every layer and model has of its own (Keras skips what a bare Layer has)."""
    if not _base:
        Layer, Model, *_ = _kinds()

        class _Bare(Model):
            def call(self, inputs):
                return inputs

        _base["names"] = (set(vars(Layer())) | set(vars(_Bare()))) - {"optimizer"}
    return _base["names"]


def _saveable(obj):
    Layer, _, _, _, Optimizer = _kinds()
    return isinstance(obj, Layer | Optimizer)


def _children(obj):
    """``(attribute name, child)`` in the order Keras 3 visits them: a model's ``layers``, then
    the attributes a bare layer does not have, by name, private ones last."""
    _, Model, Functional, Sequential, Optimizer = _kinds()
    if isinstance(obj, Optimizer):
        inner = getattr(obj, "inner_optimizer", None)  # a LossScaleOptimizer's, saved again
        if inner is not None:
            yield "inner_optimizer", inner
        return
    base = _base_attributes()
    found = {k: v for k, v in vars(obj).items() if k not in base and not k.startswith("_keras_")}
    if isinstance(obj, Functional | Sequential):
        yield "layers", obj.layers  # first: the model's own structure takes precedence
    elif isinstance(obj, Model):
        found["layers"] = obj.layers
    for name in sorted(found, key=lambda n: "~" + n if n.startswith("_") else n):
        yield name, found[name]


def _own_variables(obj):
    Layer, *_ = _kinds()
    if not isinstance(obj, Layer):
        return list(obj.variables)  # an optimizer: iterations, learning rate, the slots
    own, seen = [], set()

    def add(value):
        if isinstance(value, Variable) and id(value) not in seen:
            seen.add(id(value))
            own.append(value)
        elif isinstance(value, list | tuple):
            for item in value:
                add(item)
        elif isinstance(value, dict):
            for item in value.values():
                add(item)

    add(obj._own_weights)  # add_weight's, in creation order, then Variables set as attributes
    for key, value in vars(obj).items():  # (not tapeflow's caches, named _keras_*)
        if key not in _SKIP and not key.startswith("_keras_"):
            add(value)
    return [v for v in own if v.trainable] + [v for v in own if not v.trainable]


def walk(model):
    """``(group path, object)`` for every object whose variables the file holds."""
    out, visited = [], set()

    def visit(obj, path):
        if id(obj) in visited:
            return
        visited.add(id(obj))
        out.append((path, obj))
        for name, child in _children(obj):
            child_path = f"{path}/{name}" if path else name
            if _saveable(child):
                visit(child, child_path)
            elif isinstance(child, list | tuple | dict):
                container(child, child_path, set())

    def container(items, path, seen):
        if id(items) in seen:
            return
        seen.add(id(items))
        used = {}
        for item in (items.values() if isinstance(items, dict) else items):
            if _saveable(item):
                visit(item, f"{path}/{_unique(_naming.snake_case(type(item).__name__), used)}")
            elif isinstance(item, list | tuple | dict):
                container(item, f"{path}/{_unique('container', used)}", seen)

    visit(model, "")
    return out


def _unique(name, used):
    n = used.get(name, 0)
    used[name] = n + 1
    return name if n == 0 else f"{name}_{n}"


def _vars_path(path):
    return f"{path}/vars" if path else "vars"


def _check_suffix(filepath, loading=False):
    path = str(filepath)
    if loading and not path.endswith(SUFFIX):
        raise ValueError(f"File format not supported: filepath={path}. Keras 3 only supports V3 "
                         "`.keras` files, `.weights.h5` files, legacy H5 format files (`.h5` "
                         "extension), or Orbax checkpoints.")
    if not loading and not path.endswith(SUFFIX):
        raise ValueError(f"The filename must end in `{SUFFIX}`. Received: filepath={path}")
    return path


def save_weights(model, filepath, overwrite=True):
    """Write ``model``'s variables in Keras 3's ``.weights.h5`` layout (under a temporary name,
    synced, then renamed into place)."""
    import os
    h5py = _h5py()
    path = _check_suffix(filepath)
    if not overwrite and os.path.exists(path):
        raise FileExistsError(f"{path} exists and overwrite=False")
    tmp = f"{path}.tmp{os.getpid()}"
    with h5py.File(tmp, "w") as f:
        _write_weights(model, f)
    with open(tmp, "rb+") as f:
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _write_weights(model, f):
    for group_path, obj in walk(model):
        group = f.require_group(_vars_path(group_path))
        if isinstance(getattr(obj, "name", None), str):
            group.attrs["name"] = obj.name
        for i, var in enumerate(_own_variables(obj)):
            group.create_dataset(str(i), data=var.numpy())


def load_weights(model, filepath, skip_mismatch=False):
    """Read a ``.weights.h5`` file (Keras 3's or tapeflow's), or a legacy ``.h5`` one, into
    ``model``'s variables."""
    h5py = _h5py()
    if str(filepath).endswith((".h5", ".hdf5")) and not str(filepath).endswith(SUFFIX):
        from . import _legacy_h5  # Keras 2's layout, as the ImageNet weights files
        with h5py.File(str(filepath), "r") as f:
            return _legacy_h5.load_weights(model, f, skip_mismatch)
    path = _check_suffix(filepath, loading=True)
    with h5py.File(path, "r") as f:
        _read_weights(model, f, skip_mismatch)


def _read_weights(model, f, skip_mismatch):
    import warnings
    _, _, _, _, Optimizer = _kinds()
    failed = []
    for group_path, obj in walk(model):
        own = _own_variables(obj)
        group = f.get(_vars_path(group_path))
        stored = [] if group is None else [group[str(i)] for i in range(len(group))]
        if len(stored) != len(own) and isinstance(obj, Optimizer) and group is not None:
            warnings.warn(f"Skipping variable loading for optimizer '{obj.name}', because it has "
                          f"{len(own)} variables whereas the saved optimizer has {len(stored)} "
                          "variables. ", UserWarning, stacklevel=4)
            continue
        if len(stored) != len(own):
            if not skip_mismatch:
                failed.append((obj, f"Layer '{getattr(obj, 'name', '')}' expected {len(own)} "
                               f"variables, but received {len(stored)} variables during "
                               f"loading. Expected: {[v.name for v in own]}"))
            continue
        for var, data in zip(own, stored):
            if tuple(data.shape) != tuple(var.shape.as_list()):
                if skip_mismatch:
                    continue
                raise ValueError(f"The shape of the target variable and the shape of the target "
                                 f"value in `variable.assign(value)` must match. "
                                 f"variable.shape={tuple(var.shape.as_list())}, Received: "
                                 f"value.shape={tuple(data.shape)}. Target variable: {var}")
            var.assign(data[()])
    if failed:
        obj, message = failed[0]
        raise ValueError(f"A total of {len(failed)} objects could not be loaded. Example error "
                         f"message for object {obj!r}:\n\n{message}\n\nList of objects that "
                         f"could not be loaded:\n[{', '.join(repr(o) for o, _ in failed)}]")


# --- the .keras file: a zip of metadata.json, config.json and model.weights.h5 -------------------

KERAS_VERSION = "3.15.1"  # the Keras whose file layout this writes


def save_model(model, filepath, overwrite=True):
    """``model.save('m.keras')``: Keras 3's zip (Sequential models), written to a temporary name,
    synced and renamed into place."""
    import datetime
    import io
    import json
    import os
    import zipfile
    path = str(filepath)
    if not path.endswith(".keras"):
        raise ValueError(f"Invalid filepath extension for saving. Please add either a `.keras` "
                         f"extension for the native Keras format (recommended) or a `.h5` "
                         f"extension. Use `model.export(filepath)` if you want to export a "
                         f"SavedModel for use with TFLite/TFServing/etc. Received: "
                         f"filepath={path}.")
    if not overwrite and os.path.exists(path):
        raise FileExistsError(f"{path} exists and overwrite=False")
    document = model_document(model)
    metadata = {"keras_version": KERAS_VERSION,
                "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S")}
    weights = io.BytesIO()
    with _h5py().File(weights, "w") as f:
        _write_weights(model, f)
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "wb") as raw:
        with zipfile.ZipFile(raw, "w") as z:
            z.writestr("metadata.json", json.dumps(metadata))
            z.writestr("config.json", json.dumps(document))
            z.writestr("model.weights.h5", weights.getvalue())
            _write_assets(model, z)
        raw.flush()
        os.fsync(raw.fileno())
    os.replace(tmp, path)


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """``keras.models.load_model('m.keras')``: a Sequential model from Keras 3's zip (Keras's own
    or tapeflow's), weights included."""
    import io
    import json
    import os
    import zipfile
    path = str(filepath)
    if not path.endswith(".keras"):
        raise ValueError(f"File format not supported: filepath={path}. Keras 3 only supports V3 "
                         "`.keras` files, legacy H5 format files (`.h5` extension). Note that the "
                         "legacy SavedModel format is not supported by `load_model()` in Keras 3. "
                         "In order to reload a TensorFlow SavedModel as an inference-only layer "
                         f"in Keras 3, use `keras.layers.TFSMLayer({path}, call_endpoint="
                         "'serving_default')` (note that your `call_endpoint` might have a "
                         "different name).")
    if not (os.path.isfile(path) and zipfile.is_zipfile(path)):
        raise ValueError(f"File not found: filepath={path}. Please ensure the file is an "
                         "accessible `.keras` zip file.")
    with zipfile.ZipFile(path) as z:
        document = json.loads(z.read("config.json"))
        weights = z.read("model.weights.h5")
        assets = {name: z.read(name) for name in z.namelist()
                  if name.startswith("assets/") and not name.endswith("/")}
    model = model_from_document(document, custom_objects, compile)
    with _h5py().File(io.BytesIO(weights), "r") as f:
        _read_weights(model, f, skip_mismatch=False)
    _read_assets(model, assets)
    return model


def model_document(model):
    """The model's entry as Keras 3 writes it: the ``config.json`` of a ``.keras`` file, and
    ``model.to_json()``."""
    _, _, Functional, Sequential, _ = _kinds()
    if isinstance(model, Sequential):
        config = model.get_config()
        shape = None if model._keras_input is None else list(model._keras_input.batch_shape)
        config["build_input_shape"] = shape
        document = {"module": "keras", "class_name": "Sequential", "config": config,
                    "registered_name": None, "build_config": {"input_shape": shape}}
    elif type(model) is Functional:
        document = {"module": "keras.src.models.functional", "class_name": "Functional",
                    "config": functional_config(model), "registered_name": "Functional",
                    "build_config": {"input_shape": None}}
    else:
        document = _custom_document(model)
    document["compile_config"] = _compile_config(model)
    return document


def model_from_document(document, custom_objects=None, compile=True):
    """A model (its weights new) from an entry :func:`model_document` wrote, or Keras did."""
    _, _, _, Sequential, _ = _kinds()
    kind = document.get("class_name")
    scope = dict(_custom_objects._scope[0], **(custom_objects or {}))
    with CustomObjectScope(scope):  # the configs' custom classes, found at any depth
        builtin = _custom_objects.is_keras_module(document.get("module"))
        if kind == "Sequential" and builtin:
            config = dict(document["config"])
            config["layers"] = [dict(entry, config=_accepted(entry)) for entry in config["layers"]]
            model = Sequential.from_config(config)
        elif kind in ("Functional", "Model") and builtin:
            model = functional_from_config(document["config"])
        else:
            model = _custom_model(document)
        if compile and document.get("compile_config"):
            _compile_from_config(model, document["compile_config"])
    return model


def _write_assets(model, z):
    """Each object's files from ``save_assets`` (a learned vocabulary…) under
    ``assets/<its path>/``, the path its variables have in the weights file, as Keras 3 does."""
    import os
    import tempfile
    for path, obj in walk(model):
        if not hasattr(obj, "save_assets"):
            continue
        with tempfile.TemporaryDirectory() as folder:
            obj.save_assets(folder)
            for name in sorted(os.listdir(folder)):
                with open(os.path.join(folder, name), "rb") as f:
                    z.writestr(f"assets/{path}/{name}", f.read())


def _read_assets(model, assets):
    """Hand each object that has files under ``assets/<its path>/`` to its ``load_assets``."""
    import os
    import tempfile
    for path, obj in walk(model):
        prefix = f"assets/{path}/"
        mine = {n[len(prefix):]: data for n, data in assets.items()
                if n.startswith(prefix) and "/" not in n[len(prefix):]}
        if not mine or not hasattr(obj, "load_assets"):
            continue
        with tempfile.TemporaryDirectory() as folder:
            for name, data in mine.items():
                with open(os.path.join(folder, name), "wb") as f:
                    f.write(data)
            obj.load_assets(folder)


def _accepted(entry):
    """A layer config without the keys Keras 3 writes that tapeflow's layer does not take, when
    they hold nothing (``quantization_config: null``, ...); a custom layer's config as is."""
    import inspect
    from . import layers as layers_mod
    cls = _custom_objects.locate(entry, builtins=vars(layers_mod))
    if not _custom_objects.is_builtin(cls):
        return entry["config"]
    params = inspect.signature(cls.__init__).parameters
    accepted = set(params)
    if any(p.kind is p.VAR_KEYWORD for p in params.values()):
        accepted |= _LAYER_KEYS  # passed on to Layer.__init__
    config = {k: _without_nulls(v) for k, v in entry["config"].items()}
    for key in [k for k in config if k not in accepted]:
        if config[key] not in (None, False, {}, []):
            raise ValueError(f"{entry['class_name']}: the config key {key!r}={config[key]!r} is "
                             "not supported by tapeflow")
        del config[key]
    return config


def _without_nulls(value):
    """A nested serialized object (an initializer, ...) without its null options, which Keras
    3.15 adds (``input_axes: null``) and which mean the defaults."""
    if isinstance(value, dict) and "class_name" in value and isinstance(value.get("config"),
                                                                         dict):
        inner = {k: v for k, v in value["config"].items() if v is not None or k == "seed"}
        return dict(value, config=inner)
    return value


_LAYER_KEYS = {"name", "trainable", "dtype", "autocast", "activity_regularizer", "input_shape",
               "input_dim", "batch_size", "batch_shape", "sparse", "ragged", "optional"}


# --- subclassed models: the class by its registered name, built and compiled as saved ----------

def _custom_document(model):
    import warnings
    document = _custom_objects.serialize_object(model, None)  # with build_config once built
    if not model.built:
        warnings.warn("You are saving a model that has not yet been built. It might not contain "
                      "any weights yet. Consider building the model first by calling it on some "
                      "data.", UserWarning, stacklevel=4)
    return document


def _custom_model(document):
    """A subclassed model (or a custom class) from its entry: ``from_config``, then ``build`` on
    the saved input shape so that the weights exist before they are read."""
    model = _custom_objects.revive(document)
    shape = (document.get("build_config") or {}).get("input_shape")
    if shape is not None and not model.built:
        model.build(_shape_tuple(shape))
    return model


def _shape_tuple(shape):
    if shape and all(isinstance(d, int | type(None)) for d in shape):
        return tuple(shape)
    return [_shape_tuple(s) for s in shape]


def _compile_config(model):
    """Keras 3's ``compile_config``: what ``compile`` was given (the optimizer, losses and
    metric objects serialized), or ``{}`` for a model never compiled."""
    from . import losses, metrics, optimizers
    args = getattr(model, "_keras_compile_args", None)
    if args is None or model.optimizer is None:
        return {}
    given = getattr(model, "_keras_compile_optimizer", None)  # before the loss-scale wrap
    found = {"optimizer": optimizers.serialize(given or model.optimizer)}
    for key, value in args.items():
        module = {"loss": losses, "metrics": metrics, "weighted_metrics": metrics}.get(key)
        found[key] = value if module is None else _serialized(value, module)
    return found


def _serialized(value, module):
    """Names stay names; loss and metric objects become Keras's dicts, in lists and dicts."""
    if isinstance(value, list | tuple):
        return [_serialized(v, module) for v in value]
    if isinstance(value, dict):
        return {k: _serialized(v, module) for k, v in value.items()}
    if value is None or isinstance(value, str):
        return value
    return module.serialize(value)


def _compile_from_config(model, config):
    """``compile`` again with the saved arguments, then the optimizer built on the trainable
    variables so that its saved variables load too (as Keras 3 does)."""
    from . import losses, metrics, optimizers
    config = dict(config)
    optimizer = optimizers.deserialize(config.pop("optimizer"))
    for key in ("loss", "metrics", "weighted_metrics"):
        config[key] = _revived(config.get(key), {"loss": losses}.get(key, metrics))
    model.compile(optimizer=optimizer, **{k: v for k, v in config.items()
                                          if k in _COMPILE_KEYS})
    if model.built:  # model.optimizer: a LossScaleOptimizer around it under mixed_float16
        model.optimizer.build(model.trainable_variables)


_COMPILE_KEYS = ("loss", "loss_weights", "metrics", "weighted_metrics", "run_eagerly",
                 "steps_per_execution", "jit_compile")


def _revived(value, module):
    if isinstance(value, list):
        return [_revived(v, module) for v in value]
    if isinstance(value, dict) and "class_name" in value and "config" in value:
        return module.deserialize(value)
    if isinstance(value, dict):
        return {k: _revived(v, module) for k, v in value.items()}
    return value


# --- functional models: each layer with the calls (inbound nodes) that connect it -------------

_TENSOR = "__keras_tensor__"


def functional_config(model):
    """Keras 3's config of a functional model: its layers, each with its inbound nodes whose
    arguments name the producing call as ``keras_history: [layer, node, tensor]``."""
    from .layers.core import InputLayer
    from .layers.layer import _map
    from .models.functional import KerasTensor

    def tensor(t):
        layer, node, index = t._history
        return {"class_name": _TENSOR, "config": {"shape": list(t.shape), "dtype": t.dtype,
                                                  "keras_history": [layer.name, node, index]}}

    def encode(value):
        return _map(lambda v: tensor(v) if isinstance(v, KerasTensor) else v, value)

    from .models.functional import is_operation
    layers = []
    for layer in model._graph.layers:  # the operations between layers too, as Keras writes
        if is_operation(layer):
            entry = {"module": type(layer)._module, "class_name": type(layer).__name__,
                     "config": layer.get_config(), "registered_name": type(layer).__name__,
                     "name": layer.name, "inbound_nodes": []}
        else:
            entry = dict(_custom_objects.serialize_object(layer, "keras.layers"),
                         name=layer.name, inbound_nodes=[])
        if not isinstance(layer, InputLayer):
            for args, kwargs, _ in layer._inbound:
                entry["inbound_nodes"].append({"args": encode(list(args)),
                                               "kwargs": encode(dict(kwargs))})
        layers.append(entry)

    def ends(structure):  # in the structure the model was given (one, a list, a dict)
        return _map(lambda t: [t._history[0].name, t._history[1], t._history[2]], structure)

    graph = model._graph
    return {"name": model.name, "trainable": model.trainable, "layers": layers,
            "input_layers": ends(graph.inputs), "output_layers": ends(graph.outputs)}


def _flat(value):
    from .layers.layer import _flatten
    return _flatten(value) if isinstance(value, list | tuple | dict) else [value]


def functional_from_config(config):
    """Rebuild a functional model by calling each layer on the tensors its config names."""
    from . import layers as layers_mod
    from .models.model import Model
    made, produced = {}, {}
    pending = list(config["layers"])
    for entry in pending:
        name = entry["config"].get("name", entry.get("name"))
        if str(entry.get("module") or "").startswith("keras.src.ops"):
            made[name] = _revived_operation(entry, name)
            continue
        made[name] = _custom_objects.revive(dict(entry, config=_accepted(entry)),
                                            builtins=vars(layers_mod))

    def decode(value):
        if isinstance(value, dict):
            if value.get("class_name") == _TENSOR:
                return produced[tuple(value["config"]["keras_history"])]
            return {k: decode(v) for k, v in value.items()}
        if isinstance(value, list):
            return [decode(v) for v in value]
        return value

    def ready(node):
        return all(tuple(t["config"]["keras_history"]) in produced for t in _tensors(node))

    while pending:
        progress = False
        for entry in list(pending):
            layer = made[entry["config"].get("name", entry.get("name"))]
            nodes = entry.get("inbound_nodes", [])
            if not nodes:  # an input layer
                produced[(layer.name, 0, 0)] = layer.output
            elif all(ready(node) for node in nodes):
                for index, node in enumerate(nodes):
                    out = layer(*decode(node["args"]), **decode(node.get("kwargs", {})))
                    for i, t in enumerate(_flat(out)):
                        produced[(layer.name, index, i)] = t
            else:
                continue
            pending.remove(entry)
            progress = True
        if not progress:
            raise ValueError("The functional model's config names tensors no layer produces.")

    def pick(ends):  # in the structure the config gives (one, a list, a dict)
        if isinstance(ends, dict):
            return {k: pick(v) for k, v in ends.items()}
        if ends and isinstance(ends[0], str):
            return produced[tuple(ends)]
        return [pick(e) for e in ends]

    return Model(pick(config["input_layers"]), pick(config["output_layers"]),
                 name=config.get("name"))


def _revived_operation(entry, name):
    """An operation of a functional config (``keras.src.ops.numpy`` ``TrueDivide``): the
    ``keras.ops`` function of that name, as a graph node named ``name``."""
    import re

    from . import ops
    from .models.functional import operation
    op_name = re.sub(r"(?<!^)(?=[A-Z])", "_", entry["class_name"]).lower()
    fn = getattr(ops, op_name, None)
    if fn is None:
        raise ValueError(f"tapeflow cannot rebuild the operation {entry['class_name']} "
                         f"({entry.get('module')}) of this functional model's config.")
    return operation(op_name, fn, entry["module"], node_name=name)


def _tensors(value):
    """The serialized Keras tensors inside a node's arguments."""
    if isinstance(value, dict):
        if value.get("class_name") == _TENSOR:
            return [value]
        return [t for v in value.values() for t in _tensors(v)]
    if isinstance(value, list):
        return [t for v in value for t in _tensors(v)]
    return []
