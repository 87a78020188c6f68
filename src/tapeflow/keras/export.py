"""``keras.export.ExportArchive``: a SavedModel made of chosen endpoints (functions with input
signatures) and the variables of tracked layers, as Keras 3 writes it; ``model.export`` is one
such archive with its ``serve`` endpoint."""

from .. import saved_model
from ..framework.tensor_spec import TensorSpec
from ..framework import nest
from ..module import Module
from ..tracing.polymorphic_function import Function

_NO_SIGNATURE = (
    "If the `fn` argument provided is not a `tf.function`, you must provide an "
    "`input_signature` argument to specify the shape and dtype of the function arguments. "
    "Example:\n\nexport_archive.add_endpoint(\n    name='call',\n    fn=model.call,\n"
    "    input_signature=[\n        keras.InputSpec(\n            shape=(None, 224, 224, 3),\n"
    "            dtype='float32',\n        )\n    ],\n)")


class _Archive(Module):
    """What is saved: the endpoints, the variable collections and the tracked variables."""

    variables = trainable_variables = non_trainable_variables = None  # attributes, not properties


def _spec(value):
    """A ``keras.InputSpec`` as the TensorSpec it stands for; other values as they are."""
    from .layers import InputSpec
    if isinstance(value, InputSpec):
        return TensorSpec(value.shape, value.dtype or "float32")
    return value


class ExportArchive:
    """Collect endpoints and resources, then ``write_out(path)``."""

    def __init__(self):
        self._endpoints = {}     # name -> tf.function
        self._tracked = []
        self._collections = {}

    def track(self, resource):
        """Save ``resource``'s variables (a layer or model, or anything with ``variables``)."""
        if not hasattr(resource, "variables"):
            raise ValueError("Invalid resource type. Expected a Keras `Layer` or `Model` "
                             f"instance. Received instead: {resource} (of type "
                             f"{type(resource)})")
        if resource not in self._tracked:
            self._tracked.append(resource)

    def add_endpoint(self, name, fn=None, input_signature=None, **kwargs):
        """Save ``fn`` as ``name``: a tf.function, or any callable with ``input_signature``."""
        if name in self._endpoints:
            raise ValueError(f"Endpoint name '{name}' is already taken.")
        if input_signature is not None:
            signature = nest.map_structure(_spec, list(input_signature))
            target = fn.python_function if isinstance(fn, Function) else fn
            fn = Function(target, input_signature=signature, autograph=False, name=name)
        elif not isinstance(fn, Function) or fn.input_signature is None:
            raise ValueError(_NO_SIGNATURE)
        self._endpoints[name] = fn
        return fn

    def track_and_add_endpoint(self, name, resource, input_signature, **kwargs):
        self.track(resource)
        return self.add_endpoint(name, resource.__call__, input_signature, **kwargs)

    def add_variable_collection(self, name, variables):
        """Save ``variables`` as the archive's attribute ``name``."""
        self._collections[name] = list(variables)

    def write_out(self, filepath, options=None, verbose=True):
        """Write the SavedModel; its signatures are the endpoints (``serving_default`` the
        first, unless one has that name)."""
        if not self._endpoints:
            raise ValueError("No endpoints have been set yet. Call add_endpoint().")
        archive = _Archive()
        every = [v for r in self._tracked for v in r.variables]
        archive.variables = list({id(v): v for v in every}.values())
        archive.trainable_variables = [v for v in archive.variables if v.trainable]
        archive.non_trainable_variables = [v for v in archive.variables if not v.trainable]
        for name, variables in self._collections.items():
            setattr(archive, name, variables)
        concrete = {}
        for name, fn in self._endpoints.items():
            setattr(archive, name, fn)
            concrete[name] = fn.get_concrete_function()
        signatures = dict(concrete)
        signatures.setdefault("serving_default", next(iter(concrete.values())))
        saved_model.save(archive, str(filepath), signatures=signatures)
        if verbose:
            parts = [f"* Endpoint '{name}'\n" +
                     "\n".join(c.pretty_printed_signature().splitlines()[1:])
                     for name, c in concrete.items()]
            print(f"Saved artifact at '{filepath}'. The following endpoints are available:\n\n"
                  + "\n\n".join(parts))
