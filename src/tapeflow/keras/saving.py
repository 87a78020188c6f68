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
from . import _naming

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
    own = [v for v in obj._tracked_variables() if isinstance(v, Variable)]
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
        for group_path, obj in walk(model):
            group = f.require_group(_vars_path(group_path))
            if isinstance(getattr(obj, "name", None), str):
                group.attrs["name"] = obj.name
            for i, var in enumerate(_own_variables(obj)):
                group.create_dataset(str(i), data=var.numpy())
    with open(tmp, "rb+") as f:
        os.fsync(f.fileno())
    os.replace(tmp, path)


def load_weights(model, filepath, skip_mismatch=False):
    """Read a ``.weights.h5`` file (Keras 3's or tapeflow's) into ``model``'s variables."""
    h5py = _h5py()
    path = _check_suffix(filepath, loading=True)
    failed = []
    with h5py.File(path, "r") as f:
        for group_path, obj in walk(model):
            own = _own_variables(obj)
            group = f.get(_vars_path(group_path))
            stored = [] if group is None else [group[str(i)] for i in range(len(group))]
            if len(stored) != len(own):
                if not skip_mismatch:
                    failed.append((obj, f"Layer '{getattr(obj, 'name', '')}' expected "
                                   f"{len(own)} variables, but received {len(stored)} variables "
                                   f"during loading. Expected: {[v.name for v in own]}"))
                continue
            for var, data in zip(own, stored):
                if tuple(data.shape) != tuple(var.shape.as_list()):
                    if skip_mismatch:
                        continue
                    raise ValueError(f"The shape of the target variable and the shape of the "
                                     f"target value in `variable.assign(value)` must match. "
                                     f"variable.shape={tuple(var.shape.as_list())}, Received: "
                                     f"value.shape={tuple(data.shape)}. Target variable: {var}")
                var.assign(data[()])
    if failed:
        obj, message = failed[0]
        raise ValueError(f"A total of {len(failed)} objects could not be loaded. Example error "
                         f"message for object {obj!r}:\n\n{message}\n\nList of objects that "
                         f"could not be loaded:\n[{', '.join(repr(o) for o, _ in failed)}]")
