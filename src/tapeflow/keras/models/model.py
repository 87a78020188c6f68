"""``keras.Model``: a Layer that trains (see ``trainer``), built three ways: subclassed (write
``call``), functional (``Model(inputs, outputs)``) and ``Sequential``."""

from ...framework import trackable
from .. import _checkpoint
from ..layers.core import InputLayer
from ..layers.layer import Layer, _flatten, _map, deserialize, serialize
from ..layers.layer import build_dims as _dims
from ..layers.layer import build_in_scope
from .functional import Graph, KerasTensor, as_input, is_operation
from .trainer import Trainer


class Model(Trainer, Layer):
    """Subclass it and write ``call``, or call it as ``Model(inputs, outputs)``."""

    def _default_save_signature(self):
        """tf.saved_model.save's serving signature (``_saved_model``)."""
        from ._saved_model import default_save_signature
        return default_save_signature(self)

    def save_weights(self, filepath, overwrite=True, max_shard_size=None):
        """Keras 3's ``.weights.h5`` file (keras/saving.py)."""
        from .. import saving
        saving.save_weights(self, filepath, overwrite)

    def load_weights(self, filepath, skip_mismatch=False, **kwargs):
        from .. import saving
        saving.load_weights(self, filepath, skip_mismatch)

    def save(self, filepath, overwrite=True, zipped=None, **kwargs):
        """Keras 3's ``.keras`` zip (keras/saving.py)."""
        from .. import saving
        saving.save_model(self, filepath, overwrite)

    def to_json(self, **kwargs):
        """The model's architecture as Keras 3's JSON (``json.dumps`` keywords pass through);
        ``keras.models.model_from_json`` makes a new model of it."""
        import json

        from .. import saving
        return json.dumps(saving.model_document(self), **kwargs)

    def export(self, filepath, format="tf_saved_model", verbose=None,  # noqa: A002
               input_signature=None, **kwargs):
        """Keras 3's SavedModel export (``_saved_model.export``)."""
        from ._saved_model import export
        export(self, filepath, format, verbose, input_signature)

    def __new__(cls, *args, **kwargs):
        if (len(args) >= 2 or "inputs" in kwargs) and not issubclass(cls, Functional):
            if cls is Model:
                return Layer.__new__(Functional)
            # a subclass built functionally (``CustomModel(inputs, outputs)``) runs its graph
            return Layer.__new__(_functional_subclass(cls))
        return Layer.__new__(cls)

    def __init__(self, *args, **kwargs):
        Trainer.__init__(self)
        if args:  # not the functional (inputs, outputs): Layer takes keywords only, as Keras
            raise TypeError(f"Layer.__init__() takes 1 positional argument but {len(args) + 1} "
                            "were given")
        Layer.__init__(self, **kwargs)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """A functional model from a functional config (``Model`` itself, or a subclass that
        takes Functional's arguments), else ``cls(**config)`` with Keras 3's TypeError."""
        from .. import saving
        from .._custom_objects import CustomObjectScope, _scope
        if all(k in config for k in ("name", "layers", "input_layers", "output_layers")) and (
                cls in (Model, Functional)):
            with CustomObjectScope(dict(_scope[0], **(custom_objects or {}))):
                return saving.functional_from_config(config)
        dtype = config.get("dtype")
        kwargs = dict(config, dtype=dtype["config"]["name"]) if isinstance(dtype, dict) else config
        try:
            return cls(**kwargs)
        except TypeError as e:
            raise TypeError(
                "Unable to revive model from config. When overriding the `get_config()` method, "
                "make sure that the returned config contains all items used as arguments in the  "
                f"constructor to {cls}, which is the default behavior. You can override this "
                "default behavior by defining a `from_config(cls, config)` class method to "
                f"specify how to create an instance of {cls.__name__} from its config.\n\n"
                f"Received config={config}\n\nError encountered during deserialization: {e}"
            ) from None

    @property
    def layers(self):
        return [layer for layer in self._sublayers() if not isinstance(layer, InputLayer)]

    def get_layer(self, name=None, index=None):
        if index is not None:
            if index >= len(self.layers):
                raise ValueError(f"Was asked to retrieve layer at index {index} but model only "
                                 f"has {len(self.layers)} layers.")
            return self.layers[index]
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise ValueError(f"No such layer: {name}. Existing layers are: "
                         f"{[layer.name for layer in self.layers]}.")

    def summary(self, line_length=None, positions=None, print_fn=None, expand_nested=False,
                show_trainable=False, layer_range=None):
        from .summary import print_summary
        print_summary(self, line_length, positions, print_fn, expand_nested, show_trainable,
                      layer_range)

    def build(self, input_shape):
        from ..layers.layer import Layer as _Layer
        if not self._sublayers():
            return _Layer.build(self, input_shape)
        # like Keras: a subclassed model builds by calling itself on symbolic inputs (also when
        # its own build calls this one: then a call that cannot run symbolically is left to
        # the real call, as in _maybe_build)
        shapes = input_shape
        self._keras_build_shape = [_dims(s) for s in shapes] if isinstance(shapes, list) \
            else _dims(shapes)
        kts = _map(lambda s: KerasTensor(s, self.variable_dtype), shapes) if isinstance(
            shapes, list) else KerasTensor(tuple(shapes), self.variable_dtype)
        self.built = True
        if type(self).build is Model.build:
            self.call(kts)
            return
        try:
            self.call(kts)
        except Exception:  # noqa: BLE001, S110 - see above
            pass

    def _maybe_build(self, inputs):
        self.built = True
        self._keras_build_shape = _map(_dims, inputs)  # for .keras files' build_config
        if type(self).build is not Model.build:  # its own build (Layer._maybe_build would
            build_in_scope(self, _map(lambda t: tuple(t.shape), inputs))  # see it built)
        elif self._sublayers():
            # as Keras: a first run on symbolic inputs of the same shapes builds the layers and
            # records their output shapes (for summary); a call that cannot run symbolically
            # (TensorFlow ops on the inputs) is simply left to the real call
            symbolic = _map(lambda t: KerasTensor(tuple(t.shape), t.dtype), inputs)
            try:
                self.call(symbolic)
            except Exception:  # noqa: BLE001, S110 - see above
                pass


_SUBCLASSES = {}


def _functional_subclass(cls):
    if cls not in _SUBCLASSES:
        _SUBCLASSES[cls] = type(cls.__name__, (cls, Functional), {"__module__": cls.__module__})
    return _SUBCLASSES[cls]


class Functional(Model):
    """``Model(inputs, outputs)``: runs the recorded layer calls."""

    def __init__(self, inputs, outputs, name=None, trainable=True, **kwargs):
        Trainer.__init__(self)
        if name is None:
            name = _functional_name() if type(self) is Functional else None
        Layer.__init__(self, name=name, trainable=trainable, **kwargs)
        if isinstance(inputs, tuple):
            inputs = list(inputs)
        if isinstance(outputs, tuple):
            outputs = list(outputs)
        for t in _flatten(inputs) + _flatten(outputs):
            if not isinstance(t, KerasTensor):
                raise ValueError(f"All `inputs` values must be KerasTensors. Received: "
                                 f"inputs={inputs} including invalid value {t} of type "
                                 f"{type(t)}")
        self._graph = Graph(inputs, outputs)
        self._graph.name = self.name
        self._keras_layers = self._graph.layers
        self._inputs_struct, self._outputs_struct = inputs, outputs
        self.built = True

    def _sublayers(self):
        return list(self._keras_layers)

    def _trackable_children(self):
        return {**_checkpoint.functional_children(self._keras_layers),
                **_checkpoint.layer_children(self)}

    @property
    def layers(self):
        """The model's layers; the operations between them (``a + b``) are not layers."""
        return [layer for layer in self._keras_layers if not is_operation(layer)]

    @property
    def inputs(self):
        """The model's inputs as a flat list, as Keras 3 gives them (``input``: as given)."""
        return _flatten(self._inputs_struct)

    @property
    def outputs(self):
        return _flatten(self._outputs_struct)

    @property
    def input(self):
        return self._inputs_struct

    @property
    def output(self):
        return self._outputs_struct

    @property
    def input_shape(self):
        return _map(lambda t: t.shape, self._inputs_struct)

    @property
    def output_shape(self):
        return _map(lambda t: t.shape, self._outputs_struct)

    def call(self, inputs, training=None, mask=None):
        return self._graph.run(inputs, training)

    def get_config(self):
        return {"name": self.name, "trainable": self.trainable,
                "layers": [{"class_name": type(layer).__name__, "config": layer.get_config(),
                            "name": layer.name} for layer in self.layers]}


def _functional_name():
    from ..layers.layer import unique_name
    return unique_name("functional")


class Sequential(Model):
    """A stack of layers, each feeding the next: ``Sequential([...])`` or ``add``."""

    def __init__(self, layers=None, trainable=True, name=None):
        Trainer.__init__(self)
        Layer.__init__(self, trainable=trainable, name=name)
        self._keras_stack = []
        self._keras_input = None
        self._keras_outputs = None
        for layer in layers or []:
            self.add(layer, rebuild=False)
        self._maybe_rebuild()

    def _sublayers(self):
        return list(self._keras_stack)

    def _trackable_children(self):
        children = {} if self._keras_outputs is None else {"_functional": self._functional()}
        return {**children, **_checkpoint.layer_children(self)}

    def _functional(self):
        return _checkpoint.Functional([self._keras_input] + self._keras_stack)

    @property
    def layers(self):
        return list(self._keras_stack)

    def add(self, layer, rebuild=True):
        if isinstance(layer, KerasTensor):
            layer = layer._history[0]
        if isinstance(layer, InputLayer):
            if self._keras_stack or self._keras_input is not None:
                raise ValueError("Sequential model 'sequential' has already been configured to "
                                 "use an input layer. You cannot add another InputLayer.")
            self._keras_input = layer
        elif not isinstance(layer, Layer):
            raise ValueError(f"Only instances of `keras.Layer` can be added to a Sequential "
                             f"model. Received: {layer} (of type {type(layer)})")
        else:
            if any(existing.name == layer.name for existing in self._keras_stack):
                raise ValueError(f"All layers added to a Sequential model should have unique "
                                 f"names. Name '{layer.name}' is already the name of a layer in "
                                 f"this model. Update the `name` argument to pass a unique name.")
            declared = getattr(layer, "_input_shape_arg", None)
            if declared is None and isinstance(layer, Sequential) and layer._keras_input:
                declared = layer._keras_input.batch_shape  # a nested Sequential's input, as Keras
            if self._keras_input is None and not self._keras_stack and declared is not None:
                self._keras_input = InputLayer(batch_shape=declared)
            self._keras_stack.append(layer)
        if rebuild:
            self._maybe_rebuild()

    def pop(self, rebuild=True):
        if not self._keras_stack:
            raise TypeError("There are no layers in the model.")
        layer = self._keras_stack.pop()
        self._keras_outputs = None
        if rebuild:
            self._maybe_rebuild()
        return layer

    def _maybe_rebuild(self):
        if self._keras_input is not None and self._keras_stack:
            self._build_graph(self._keras_input.output)

    def _build_graph(self, x):
        _functional_name()  # Keras builds a Functional model inside, which takes the next name
        self._keras_outputs = []
        scope = _scope()
        pushed = not scope or scope[-1] != self.name
        if pushed:
            scope.append(self.name)
        try:
            for layer in self._keras_stack:
                x = layer(x)
                self._keras_outputs.append(x)
        finally:
            if pushed:
                scope.pop()
        self.built = True
        if trackable._waiting:  # a restore waiting for the layers' weights
            trackable.notify_dependency(self, "_functional", self._functional())

    def build(self, input_shape=None):
        if self._keras_input is None:
            if input_shape is None:
                raise ValueError("You must provide an `input_shape` argument.")
            self._keras_input = InputLayer(batch_shape=tuple(input_shape))
        self._build_graph(self._keras_input.output)

    def _maybe_build(self, inputs):
        if self._keras_outputs is None:
            self.build(tuple(inputs.shape) if self._keras_input is None else None)

    def call(self, inputs, training=None, mask=None, **kwargs):
        x = inputs
        if self._keras_input is not None and not isinstance(x, KerasTensor):
            x = as_input(self._keras_input.output, x)  # of the Input's dtype, as Keras
        given = {} if training is None else {"training": training}  # None: each layer's default
        for layer in self._keras_stack:
            if mask is None:
                y = layer(x, **given) if layer._call_has_training else layer(x)
            else:
                y = layer(x, mask=mask, **given)
            if mask is not None or layer.supports_masking:
                mask = layer.compute_mask(x, mask)
            x = y
        return x

    @property
    def inputs(self):
        return None if self._keras_input is None else [self._keras_input.output]

    @property
    def outputs(self):
        return None if not self._keras_outputs else [self._keras_outputs[-1]]

    @property
    def input_shape(self):
        if self._keras_input is None:
            raise AttributeError("Sequential model has no defined input shape yet.")
        return self._keras_input.batch_shape

    @property
    def output_shape(self):
        return self._keras_outputs[-1].shape

    def get_config(self):
        layers = []
        if self._keras_input is not None:
            layers.append({"module": "keras.layers", "class_name": "InputLayer",
                           "config": self._keras_input.get_config(), "registered_name": None})
        layers.extend(serialize(layer) for layer in self._keras_stack)
        return {**Layer.get_config(self), "layers": layers}

    @classmethod
    def from_config(cls, config):
        model = cls(name=config.get("name"))
        for entry in config["layers"]:
            model.add(deserialize(entry))
        return model


def _scope():
    from ..layers.layer import _context
    return _context.scope
