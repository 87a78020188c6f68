"""What a checkpoint can see of an object: its named dependencies, found by duck typing.

An object takes part in checkpoints through these hooks (tapeflow's Module and Checkpoint define
them; Keras layers, models and optimizers may too, without ``train`` importing Keras):

    obj._trackable_children()   an ordered mapping ``local name -> child``: TF's dependency names
    notify_dependency(obj, name, child)
                                 called when ``child`` becomes a dependency after a restore began
                                 (a lazily built weight, an optimizer slot): a restore waiting for
                                 ``name`` under ``obj`` then applies its value at once

Lists, tuples and dicts are nodes of their own whose children are named ``"0"``, ``"1"``, ... or by
their keys, as TensorFlow's list and dict wrappers are. A Variable has no children; its value is
saved under ``<path>/.ATTRIBUTES/VARIABLE_VALUE``.
"""

import weakref

from .variable import Variable

_CONTAINERS = (list, tuple, dict)


def is_trackable(value):
    return (isinstance(value, Variable | list | tuple | dict)
            or callable(getattr(value, "_trackable_children", None)))


def children(obj):
    """``[(local name, child), ...]`` of ``obj``, in TensorFlow's order."""
    if isinstance(obj, Variable):
        return []
    if isinstance(obj, dict):
        if any(not isinstance(k, str) and is_trackable(v) for k, v in obj.items()):
            raise ValueError(
                f"Unable to save the object {obj} (a dictionary wrapper constructed "
                "automatically on attribute assignment). The wrapped dictionary contains a "
                "non-string key which maps to a trackable object or mutable data structure.\n\n"
                "If you don't need this dictionary checkpointed, wrap it in a non-trackable "
                "object; it will be subsequently ignored.")
        return [(k, v) for k, v in obj.items() if is_trackable(v)]
    if isinstance(obj, list | tuple):
        return [(str(i), v) for i, v in enumerate(obj) if is_trackable(v)]
    hook = getattr(obj, "_trackable_children", None)
    return list(hook().items()) if callable(hook) else []


def attribute_children(obj, skip=()):
    """The trackable attributes of ``obj`` in the order they were first assigned (TF's
    ``AutoTrackable`` tracks each one on assignment)."""
    return {k: v for k, v in vars(obj).items() if k not in skip and is_trackable(v)}


# id(parent) -> (reference to parent, {local name: [callback(child), ...]}): restores waiting
# for a child. Parents that allow it are held weakly, so a waiting restore keeps nothing alive.
_waiting = {}


def _reference(obj, on_death=None):
    """A weak reference to ``obj`` where it allows one, else a strong one (plain lists)."""
    try:
        return weakref.ref(obj, on_death)
    except TypeError:
        return lambda: obj


def _forget(dead, waiting=_waiting):
    """A waiting parent died: drop its entry (unless its id already names a new parent)."""
    for key, (ref, _) in list(waiting.items()):
        if ref is dead:
            del waiting[key]


def wait_for(parent, name, callback):
    """Call ``callback(child)`` when ``notify_dependency(parent, name, child)`` is called."""
    entry = _waiting.get(id(parent))
    if entry is None or entry[0]() is not parent:
        entry = _waiting[id(parent)] = (_reference(parent, _forget), {})
    entry[1].setdefault(name, []).append(callback)


def notify_dependency(parent, name, child):
    """``child`` is now ``parent``'s dependency ``name``: run the restores waiting for it."""
    if not _waiting or not is_trackable(child):
        return
    entry = _waiting.get(id(parent))
    if entry is None or entry[0]() is not parent:
        return
    callbacks = entry[1].pop(name, None)
    if not entry[1]:
        del _waiting[id(parent)]
    for callback in callbacks or ():
        callback(child)


class ListWrapper(list):
    """A list a checkpoint tracks (TF wraps lists assigned to a ``tf.train.Checkpoint``): items
    appended later take the values a restore holds for their index."""

    def append(self, value):
        super().append(value)
        notify_dependency(self, str(len(self) - 1), value)

    def extend(self, values):
        for value in values:
            self.append(value)

    def __setitem__(self, index, value):
        super().__setitem__(index, value)
        if isinstance(index, int):
            notify_dependency(self, str(index % len(self)), value)

    def __repr__(self):
        return f"ListWrapper({super().__repr__()})"


class DictWrapper(dict):
    """A dict a checkpoint tracks: values stored later take the values a restore holds."""

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        notify_dependency(self, str(key), value)


def wrap(value):
    """Plain lists and dicts become their tracking wrappers; anything else is returned as is."""
    if type(value) is list:
        return ListWrapper(value)
    if type(value) is dict:
        return DictWrapper(value)
    return value
