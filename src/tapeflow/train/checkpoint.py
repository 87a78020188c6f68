"""``tf.train.Checkpoint`` and the functions that read checkpoints: TensorFlow's own format
(``_bundle``, ``_graph``), written so that an interrupted save never harms the last one."""

import os

import numpy as np

from ..framework import dtypes, trackable
from ..framework.variable import Variable
from . import _fault
from ._bundle import BundleReader, BundleWriter
from ._graph import GRAPH_KEY, Restoration, Walk
from ._protos import TrackableObjectGraph
from ._state import latest_checkpoint, read_state, write_state  # noqa: F401


def _prefix(path):
    if path is None:
        raise ValueError("file_prefix / save_path must be a string or path, got None")
    return os.fspath(path)


def write_objects(root, prefix):
    """Save every Variable reachable from ``root`` under ``prefix``: the tensors stream into a
    temporary data shard, then the index; both are synced and renamed into place."""
    walk = Walk(root)
    writer = BundleWriter(prefix)
    try:
        for key, var in walk.variables():
            writer.add(key, np.asarray(var) if var.dtype != dtypes.string else
                       var._handle.value, var.dtype.name)
        for key, obj in walk.states():
            state = obj._checkpoint_state()
            writer.add(key, state, state.dtype.name)
        graph = walk.proto().SerializeToString()
        writer.add(GRAPH_KEY, np.array(graph, dtype=object), "string")
        writer.finish()
    except BaseException:
        writer.abort()
        raise
    writer.commit()
    return prefix


def read_objects(root, save_path):
    reader = BundleReader(_prefix(save_path))
    if GRAPH_KEY not in reader.entries:
        raise ValueError(f"The checkpoint {save_path} has no object graph: it was written by a "
                         "name-based (TF1) Saver, which tapeflow does not read.")
    graph = TrackableObjectGraph.FromString(reader.read(GRAPH_KEY)[()])
    return CheckpointLoadStatus(Restoration(reader, graph, root), root)


class Checkpoint:
    """``tf.train.Checkpoint(**trackables)``: saves and restores the objects given as keyword
    arguments and everything they reference, in TensorFlow's checkpoint format."""

    def __init__(self, root=None, **kwargs):
        object.__setattr__(self, "_deps", {})
        object.__setattr__(self, "_root", root)
        object.__setattr__(self, "_save_counter", None)
        for name, value in sorted(kwargs.items()):
            if not trackable.is_trackable(value):
                raise ValueError(f"`Checkpoint` was expecting a trackable object (an object "
                                 f"derived from `Trackable`), got {value}. If you believe this "
                                 "object should be trackable (i.e. it is part of the TensorFlow "
                                 "Python API and manages state), please open an issue.")
            setattr(self, name, value)
        if root is not None:
            object.__setattr__(self, "root", root)
            self._deps["root"] = self  # TF names the root node "root" too, after the kwargs

    def __setattr__(self, name, value):
        value = trackable.wrap(value)
        object.__setattr__(self, name, value)
        if trackable.is_trackable(value):
            self._deps[name] = value
            trackable.notify_dependency(self, name, value)
        else:
            self._deps.pop(name, None)

    def __delattr__(self, name):
        object.__delattr__(self, name)
        self._deps.pop(name, None)

    def _trackable_children(self):
        """Dependencies in the order added (keyword arguments sorted, ``save_counter`` when
        first created); with ``root=``, the root's own first and ``root`` naming node 0."""
        if self._root is None:
            return dict(self._deps)
        children = dict(trackable.children(self._root))
        children.update(self._deps)
        return children

    @property
    def save_counter(self):
        """How many times ``save`` ran (an int64 Variable, created on first use and saved)."""
        if self._save_counter is None:
            counter = Variable(0, dtype=dtypes.int64, trainable=False, name="save_counter")
            object.__setattr__(self, "_save_counter", counter)
            self._deps["save_counter"] = counter
            trackable.notify_dependency(self, "save_counter", counter)
        return self._save_counter

    def write(self, file_prefix, options=None):
        """Write a checkpoint at ``file_prefix`` (no counter, no state file); returns its path."""
        return write_objects(self, _prefix(file_prefix))

    def save(self, file_prefix, options=None):
        """Count this save, write ``<file_prefix>-<count>`` and make it the latest in the
        directory's ``checkpoint`` state file (written last). Returns the path."""
        counter = self.save_counter
        counter.assign_add(1)
        path = write_objects(self, f"{_prefix(file_prefix)}-{int(counter.numpy())}")
        write_state(os.path.dirname(path), path, [path])
        _fault.step()
        return path

    def read(self, save_path, options=None):
        """Restore the values saved at ``save_path``; returns a status to assert on."""
        return read_objects(self, save_path)

    def restore(self, save_path, options=None):
        """As ``read``, also restoring ``save_counter``. ``None`` restores nothing."""
        if save_path is None:
            return InitializationOnlyStatus()
        status = self.read(save_path, options)
        self.save_counter  # noqa: B018 - created now, its saved value is applied at once
        return status


def _unmatched_objects(root, restoration):
    """Variables reachable from ``root`` that no saved value was bound to."""
    bound = {id(o) for o in restoration.bound_objects()}
    return [o for o in Walk(root).objects if isinstance(o, Variable) and id(o) not in bound]


class CheckpointLoadStatus:
    """What ``restore``/``read`` return: checks of how the checkpoint and the objects matched."""

    def __init__(self, restoration, root):
        self._restoration, self._root = restoration, root

    def assert_consumed(self):
        """Every saved value found its object, and every Variable its saved value."""
        r = self._restoration
        for node_id in r.unresolved():
            raise AssertionError(f"Unresolved object in checkpoint {r.path_of(node_id)}: "
                                 f"{r.graph.nodes[node_id]}")
        return self.assert_existing_objects_matched()

    def assert_existing_objects_matched(self):
        """Every Variable that exists now was given a saved value."""
        unused = _unmatched_objects(self._root, self._restoration)
        if unused:
            shown = unused[:10]
            raise AssertionError(
                f"Found {len(unused)} Python objects that were not bound to checkpointed values, "
                "likely due to changes in the Python program. Showing "
                f"{len(shown)} of {len(unused)} unmatched objects: [{', '.join(map(repr, shown))}]")
        return self

    def assert_nontrivial_match(self):
        if len(self._restoration.bound) <= 1:
            raise AssertionError("Nothing except the root object matched a checkpointed value. "
                                 "Typically this means that the checkpoint does not match the "
                                 "Python program.")
        return self

    def expect_partial(self):
        """Silence the warnings logged, when the restore ends, about values left unused."""
        self._restoration.expect_partial = True
        return self

    def run_restore_ops(self, session=None):
        """Values are assigned eagerly: nothing left to run."""

    def initialize_or_restore(self, session=None):
        """Values are assigned eagerly: nothing left to run."""


class InitializationOnlyStatus:
    """``restore(None)``: nothing was restored; the asserts say so."""

    def _nothing(self):
        raise AssertionError("No checkpoint specified (save_path=None); nothing is being "
                             "restored.")

    def assert_consumed(self):
        self._nothing()

    assert_existing_objects_matched = assert_nontrivial_match = assert_consumed

    def expect_partial(self):
        return self

    def run_restore_ops(self, session=None):
        """Nothing to run."""

    def initialize_or_restore(self, session=None):
        """Variables start initialized in eager mode: nothing to run."""


class CheckpointReader:
    """``tf.train.load_checkpoint``'s reader."""

    def __init__(self, prefix):
        self._reader = BundleReader(prefix)

    def get_tensor(self, tensor_str):
        if tensor_str not in self._reader.entries:
            from ..framework import errors
            raise errors.NotFoundError(None, None, f"Key {tensor_str} not found in checkpoint")
        value = self._reader.read(tensor_str)
        return value[()] if value.ndim == 0 else value

    def has_tensor(self, tensor_str):
        return tensor_str in self._reader.entries

    def get_variable_to_shape_map(self):
        return {k: self._reader.shape(k) for k in self._reader.entries}

    def get_variable_to_dtype_map(self):
        return {k: _dtype(self._reader, k) for k in self._reader.entries}

    def debug_string(self):
        return "".join(f"{k} ({self._reader.dtype_name(k)}) {self._reader.shape(k)}\n"
                       for k in sorted(self._reader.entries)).encode()


# TF DataTypes tapeflow has no dtype for, named as TF names them (a reader still lists them).
_FOREIGN = {14: "bfloat16", 11: "qint8", 12: "quint8", 13: "qint32", 15: "qint16",
            16: "quint16", 20: "resource", 21: "variant"}


def _dtype(reader, key):
    name = reader.dtype_name(key)
    if name is not None:
        return dtypes.as_dtype(name)
    number = reader.entries[key].dtype
    return dtypes.DType(_FOREIGN.get(number, f"DataType({number})"), np.object_)


def _resolve(ckpt_dir_or_file):
    """A directory means its latest checkpoint (TF's rule); a prefix stands for itself."""
    path = os.fspath(ckpt_dir_or_file)
    if os.path.isdir(path):
        latest = latest_checkpoint(path)
        if latest is None:
            raise ValueError(f"Couldn't find 'checkpoint' file or checkpoints in given "
                             f"directory {path}")
        return latest
    return path


def load_checkpoint(ckpt_dir_or_file):
    """``tf.train.load_checkpoint``: a reader for a checkpoint prefix or a directory's latest."""
    return CheckpointReader(_resolve(ckpt_dir_or_file))


def list_variables(ckpt_dir_or_file):
    """``tf.train.list_variables``: sorted ``(key, shape)`` pairs."""
    reader = load_checkpoint(ckpt_dir_or_file)
    shapes = reader.get_variable_to_shape_map()
    return [(k, shapes[k]) for k in sorted(shapes)]


def load_variable(ckpt_dir_or_file, name):
    """``tf.train.load_variable``: one saved tensor as a NumPy value."""
    if name.endswith(":0"):
        name = name[:-2]
    return load_checkpoint(ckpt_dir_or_file).get_tensor(name)
