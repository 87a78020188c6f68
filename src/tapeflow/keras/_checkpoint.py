"""Keras 3's checkpoint dependencies, as TF 2.21 with Keras 3 writes them, for
``tf.train.Checkpoint`` (which finds ``_trackable_children`` by duck typing; ``train`` never
imports Keras).

What TF + Keras 3 track, observed on TF's own files (tests/fixtures/checkpoint/keras):

- a layer: the Variables and layers (and an optimizer) held directly in its attributes, in the
  order set; weights Keras keeps privately are named as Keras names them (``_kernel``,
  ``_embeddings``); lists and dicts of layers are not followed (Keras 3 wraps them in its own
  containers, which TF does not track);
- a functional model: ``_tracked``, ``_inbound_nodes``, ``_outbound_nodes``, ``_losses``,
  ``_losses_override``, ``call_signature_parameters``, ``_call_has_context_arg`` (all empty here)
  and ``_operations``: its layers, input layers included;
- a Sequential model, once built: ``_functional``, a functional model over
  ``[InputLayer, *layers]``;
- a compiled model: ``optimizer`` after the rest.
"""

from ..framework import trackable
from ..framework.variable import Variable

RENAMED = {"kernel": "_kernel", "embeddings": "_embeddings"}
_SKIP = frozenset(("_own_weights", "_losses", "_layer_cache", "_inbound", "_outbound"))


def layer_children(layer):
    out, last = {}, {}
    for key, value in vars(layer).items():
        if key in _SKIP or key.startswith("_keras_"):
            continue
        if isinstance(value, Variable):
            out[RENAMED.get(key, key)] = value
        elif (not isinstance(value, list | tuple | dict)
              and callable(getattr(value, "_trackable_children", None))):
            (last if key == "optimizer" else out)[key] = value
    out.update(last)
    return out


class Functional:
    """The ``_functional`` node of a Sequential model, over its operations."""

    def __init__(self, operations):
        self.operations = list(operations)

    def _trackable_children(self):
        return functional_children(self.operations)


def functional_children(operations):
    return {"_tracked": [], "_inbound_nodes": [], "_outbound_nodes": [], "_losses": [],
            "_losses_override": [], "call_signature_parameters": [],
            "_call_has_context_arg": {}, "_operations": list(operations)}


def attribute_set(layer, name, value):
    """A layer attribute was set while a restore waits: pass it on under its Keras name."""
    trackable.notify_dependency(layer, RENAMED.get(name, name) if isinstance(value, Variable)
                                else name, value)
