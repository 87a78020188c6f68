"""The object graph of a checkpoint: a breadth-first walk from the root over trackable children
(``framework.trackable``), numbered as TensorFlow numbers it, serialized as a
``TrackableObjectGraph``; and its reverse, binding a saved graph to live objects."""

import numpy as np

from ..framework import errors, tf_logging, trackable
from ..framework.tensor import wrap
from ..framework.variable import Variable
from . import _protos

GRAPH_KEY = "_CHECKPOINTABLE_OBJECT_GRAPH"
VALUE = "VARIABLE_VALUE"


def escape(name):
    """TF's escaping of a local name inside a checkpoint key: ``.`` -> ``..``, ``/`` -> ``.S``."""
    return name.replace(".", "..").replace("/", ".S")


def checkpoint_key(path, attribute=VALUE):
    return "/".join(escape(n) for n in path) + f"/.ATTRIBUTES/{attribute}"


def state_attribute(obj):
    """The attribute name of an object that saves a state of its own beside Variables (a
    ``tf.data`` iterator's position): it has ``_checkpoint_state()`` (an array) and
    ``_restore_checkpoint_state(array)``. None for other objects."""
    return getattr(obj, "_CHECKPOINT_ATTRIBUTE", None)


class Walk:
    """Every object reachable from ``root``: ``objects[i]`` is node ``i``, ``paths[i]`` the names
    on the first (shortest) path to it, ``refs[i]`` its ``(name, node)`` children."""

    def __init__(self, root):
        self.objects, self.paths, self.refs = [root], [()], []
        ids = {id(root): 0}
        for obj in self.objects:  # grows as it goes: breadth first
            refs = []
            for name, child in trackable.children(obj):
                node = ids.get(id(child))
                if node is None:
                    node = ids[id(child)] = len(self.objects)
                    self.objects.append(child)
                    self.paths.append(self.paths[len(self.refs)] + (name,))
                refs.append((name, node))
            self.refs.append(refs)

    def variables(self):
        """``(checkpoint key, Variable)`` in node order: the order TF writes the data shard."""
        return [(checkpoint_key(p), o) for o, p in zip(self.objects, self.paths)
                if isinstance(o, Variable)]

    def states(self):
        """``(checkpoint key, object)`` for the objects saving a state of their own (a tensor
        of the bundle that the object graph does not list)."""
        return [(checkpoint_key(p, state_attribute(o)), o)
                for o, p in zip(self.objects, self.paths) if state_attribute(o)]

    def proto(self):
        graph = _protos.TrackableObjectGraph()
        has_values = [isinstance(o, Variable) for o in self.objects]
        changed = True
        while changed:  # a node has values when any node below it has
            changed = False
            for i, refs in enumerate(self.refs):
                if not has_values[i] and any(has_values[n] for _, n in refs):
                    has_values[i] = changed = True
        for i, obj in enumerate(self.objects):
            node = graph.nodes.add()
            for name, child in self.refs[i]:
                node.children.add(node_id=child, local_name=name)
            if isinstance(obj, Variable):
                node.attributes.add(name=VALUE, full_name=full_name(obj),
                                    checkpoint_key=checkpoint_key(self.paths[i]))
            node.has_checkpoint_values.value = has_values[i]
        return graph


def full_name(var):
    """The name TF records beside a value: a Keras weight's path, else the Variable's name."""
    name = getattr(var, "path", None) or var.name
    return name[:-2] if name.endswith(":0") else name


def restore_value(var, reader, key):
    """Assign the saved tensor ``key`` to ``var``, with TF's errors for another shape or dtype."""
    saved_dtype = reader.dtype_name(key)
    if saved_dtype != var.dtype.name:
        raise errors.op_error(
            "RestoreV2", f"tensor_name = {key}; expected dtype {var.dtype._op_name} does not "
            f"equal original dtype {_op_name(saved_dtype)}", kernel="RestoreV2_dtypes_1",
            name=None)
    shape = tuple(reader.shape(key))
    if shape != tuple(var.shape.as_list()):
        raise ValueError(f"Received incompatible tensor with shape {shape} when attempting to "
                         f"restore variable with shape {tuple(var.shape.as_list())} and name "
                         f"{var.name}.")
    value = reader.read(key)
    if saved_dtype == "string":
        value = np.asarray(value, dtype=object)
    var.assign(wrap(value))  # as a tensor: the freshly read buffer is the Variable's, no copy


def _op_name(dtype_name):
    from ..framework import dtypes
    return dtypes.as_dtype(dtype_name)._op_name


_UNRESTORED = (
    "Detecting that an object or model or tf.train.Checkpoint is being deleted with unrestored "
    "values. See the following logs for the specific values in question. To silence these "
    "warnings, use `status.expect_partial()`. See https://www.tensorflow.org/api_docs/python/tf/"
    "train/Checkpoint#restorefor details about the status object returned by the restore "
    "function.")


class Restoration:
    """One ``read``: binds saved nodes to live objects now, and to those created later (via
    ``trackable.wait_for``) as they appear."""

    def __init__(self, reader, graph, root):
        self.reader, self.graph = reader, graph
        self.bound = {}  # node id -> weak reference to the object (strong for plain lists)
        self.expect_partial = False
        self.consumed = set()  # checkpoint keys restored
        self.bind(0, root)

    def bind(self, node_id, obj, again=False):
        """Bind saved node ``node_id`` to ``obj`` and restore what lies below it. ``again``: the
        node's container was replaced (``self._items = [...]`` after the restore began)."""
        stack = [(node_id, obj)]
        while stack:
            node_id, obj = stack.pop()
            if node_id in self.bound and not (again and self.bound[node_id]() is not obj):
                continue
            again = False
            self.bound[node_id] = trackable._reference(obj)
            node = self.graph.nodes[node_id]
            for attr in node.attributes:
                if attr.name == VALUE and isinstance(obj, Variable):
                    restore_value(obj, self.reader, attr.checkpoint_key)
                    self.consumed.add(attr.checkpoint_key)
            if state_attribute(obj):
                self._restore_state(node_id, obj)
            present = dict(trackable.children(obj))
            for ref in node.children:
                child = present.get(ref.local_name)
                if child is not None:
                    stack.append((ref.node_id, child))
                    if isinstance(child, list | dict) and len(
                            self.graph.nodes[ref.node_id].children) > len(child):
                        # still filling: a replacement container is bound again when assigned
                        trackable.wait_for(obj, ref.local_name,
                                           lambda c, n=ref.node_id: self.bind(n, c, again=True))
                elif ref.node_id not in self.bound:
                    trackable.wait_for(obj, ref.local_name,
                                       lambda c, n=ref.node_id: self.bind(n, c))

    def __del__(self):
        """As TF does when a restore ends (nothing waits for it any more) with values unused."""
        try:
            if self.expect_partial:
                return
            missing = self.unresolved()
            if missing:
                tf_logging.warning(_UNRESTORED)
                for node_id in missing:
                    tf_logging.warning("Value in checkpoint could not be found in the restored "
                                       f"object: {self.path_of(node_id)}")
        except Exception:  # noqa: BLE001 - never raise from a finalizer (interpreter exit)
            pass

    def bound_objects(self):
        return [o for o in (r() for r in self.bound.values()) if o is not None]

    def unresolved(self):
        """Saved nodes holding values that no object took."""
        return [i for i, node in enumerate(self.graph.nodes)
                if node.attributes and i not in self.bound]

    def _restore_state(self, node_id, obj):
        """An object's own state, saved under its path (not in the object graph, where TF
        would look for its own kind of state and fail)."""
        key = checkpoint_key(self._names(node_id), state_attribute(obj))
        if key in self.reader.entries:
            obj._restore_checkpoint_state(self.reader.read(key))
            self.consumed.add(key)

    def path_of(self, node_id):
        """The dependency names leading to ``node_id`` in the saved graph, as TF prints them."""
        return ".".join(["(root)"] + self._names(node_id))

    def _names(self, node_id):
        """The local names on the first path from the root to ``node_id``."""
        parents = {}
        for i, node in enumerate(self.graph.nodes):
            for ref in node.children:
                parents.setdefault(ref.node_id, (i, ref.local_name))
        names = []
        while node_id in parents and node_id != 0:
            node_id, name = parents[node_id]
            names.append(name)
        return names[::-1]
