"""``keras.layers.Layer``: weights made by ``add_weight`` on first call, nested layers found in
attributes (also inside lists and dicts), the ``training`` flag passed down, losses collected."""

import inspect
import threading
import warnings

import numpy as np

from ...framework import dtypes, replica
from ...framework import trackable
from ...framework.shape import TensorShape
from ...framework.tensor import EagerTensor, Tensor, convert_to_tensor
from ...framework.variable import ResourceVariable
from ...graph.script_ops import init_scope
from ...ops import _k, array_ops
from ...ops.ragged_ops import RaggedTensor
from .. import _autocast, _checkpoint, _custom_objects, _naming
from .. import constraints as constraints_mod
from .. import initializers, regularizers

def unique_name(base):
    """``base``, then ``base_1``, ``base_2`` ... (one counter with optimizers and metrics)."""
    count = _naming._uids[base]
    _naming._uids[base] += 1
    return base if count == 0 else f"{base}_{count}"


def clear_session():
    _naming._uids.clear()


_COPIES = {"none": "first", "only_first_replica": "first", "sum": "sum"}  # TF's per replica


class Variable(ResourceVariable):
    """A Keras 3 weight: ``name`` is ``kernel``, ``path`` ``dense/kernel``, as TF 2.21 prints.

    It is a ``tf.Variable`` here (the tapes must see its reads); assignments return the new value
    as a tensor, like Keras.
    """

    __slots__ = ("_path", "_constraint", "regularizer", "_autocast", "_created_trainable",
                 "_aggregation")
    regularized = [False]  # whether any weight with a regularizer was ever made

    def __init__(self, initial_value, trainable=True, name=None, path=None, constraint=None,
                 regularizer=None, dtype=None, autocast=True, aggregation="none"):
        super().__init__(initial_value, trainable=trainable, name=name, dtype=dtype)
        self._aggregation = aggregation  # "none": a replica of several writes its own copy
        # Keras files a weight as trainable or not when it is made: the layer's trainable
        # setter turns only the first kind on and off, and weights lists them in that order
        self._created_trainable = bool(trainable)
        self._autocast = autocast  # read in the compute dtype inside a mixed layer's call
        self._name = name
        self._path = path if path is not None else name
        self._constraint = constraint
        self.regularizer = regularizer
        if regularizer is not None:
            Variable.regularized[0] = True

    @property
    def path(self):
        return self._path

    @property
    def constraint(self):
        return self._constraint

    @property
    def trainable(self):
        return self._handle.trainable

    @trainable.setter
    def trainable(self, value):
        self._handle.trainable = bool(value)

    def assign(self, value, use_locking=None, name=None, read_value=True):
        return self._write(super().assign, value, read_value)

    def assign_add(self, delta, use_locking=None, name=None, read_value=True):
        return self._write(super().assign_add, delta, read_value)

    def assign_sub(self, delta, use_locking=None, name=None, read_value=True):
        return self._write(super().assign_sub, delta, read_value)

    def _write(self, update, value, read_value):
        if self._own_copy():
            return self.read_value() if read_value else None
        return _autocast.assign(update, self, value, read_value)  # cast, as Keras

    def _own_copy(self):
        """As TF under a strategy of several replicas: a weight of aggregation NONE (a
        BatchNormalization's moving statistics) is each replica's own to update, and so is a
        metric's (aggregation SUM, on read) (True: leave this write out, see
        framework/replica.own_copy)."""
        if replica.STATE.replica is None:
            return False
        kind = _COPIES.get(getattr(self, "_aggregation", "none"))
        return kind is not None and replica.own_copy(self, kind)

    def __repr__(self):
        return (f"<Variable path={self._path}, shape={self.shape}, dtype={self.dtype.name}, "
                f"value={np.asarray(self._handle.value)}>")

    __str__ = __repr__


class InputSpec:
    """What a layer accepts: ``ndim``, ``min_ndim``, ``max_ndim``, ``axes`` {axis: size}."""

    def __init__(self, dtype=None, shape=None, ndim=None, max_ndim=None, min_ndim=None, axes=None,
                 allow_last_axis_squeeze=False, name=None, optional=False):
        self.dtype = dtype
        self.shape = None if shape is None else tuple(shape)
        self.ndim = len(shape) if shape is not None else ndim
        self.max_ndim, self.min_ndim = max_ndim, min_ndim
        self.axes = dict(axes or {})
        self.name = name
        self.optional = optional

    def __repr__(self):
        parts = [f"{k}={v}" for k, v in (("dtype", self.dtype), ("shape", self.shape),
                                          ("ndim", self.ndim), ("max_ndim", self.max_ndim),
                                          ("min_ndim", self.min_ndim),
                                          ("axes", self.axes or None)) if v is not None]
        return f"InputSpec({', '.join(parts)})"


def check_input_spec(layer, specs, inputs):
    """Keras's messages for an input that does not fit the layer's ``input_spec``."""
    if specs is None:
        return
    if type(specs) is InputSpec and type(inputs) is EagerTensor:
        ndim = inputs.ndim
        if (specs.ndim in (None, ndim) and specs.shape is None and specs.max_ndim is None and
                (specs.min_ndim is None or ndim >= specs.min_ndim) and
                all(v is None or -ndim <= a < ndim and inputs.shape[a] == v
                    for a, v in specs.axes.items())):
            return  # fits: the messages below are for what does not
    specs = specs if isinstance(specs, list | tuple) else [specs]
    flat = inputs if isinstance(inputs, list | tuple) else [inputs]
    for i, (spec, x) in enumerate(zip(specs, flat)):
        if spec is None or x is None:
            continue
        shape = tuple(x.shape)
        ndim = len(shape)
        head = (f"Input {i} with name '{spec.name}' of layer '{layer.name}' is incompatible with "
                f"the layer: ")
        if spec.ndim is not None and ndim != spec.ndim:
            raise ValueError(f"{head}expected ndim={spec.ndim}, found ndim={ndim}. "
                             f"Full shape received: {shape}")
        if spec.max_ndim is not None and ndim > spec.max_ndim:
            raise ValueError(f"{head}expected max_ndim={spec.max_ndim}, found ndim={ndim}")
        if spec.min_ndim is not None and ndim < spec.min_ndim:
            raise ValueError(f"{head}expected min_ndim={spec.min_ndim}, found ndim={ndim}. "
                             f"Full shape received: {shape}")
        for axis, value in spec.axes.items():
            if value is None:
                continue
            actual = shape[axis] if -ndim <= axis < ndim else None
            if actual not in (value, None):
                raise ValueError(f"{head}expected axis {axis} of input shape to have value "
                                 f"{value}, but received input with shape {shape}")
        if spec.shape is not None:
            for want, got in zip(spec.shape, shape):
                if want is not None and got is not None and want != got:
                    raise ValueError(f'{head}expected shape={spec.shape}, found shape={shape}')


class _CallContext(threading.local):
    def __init__(self):
        self.training = None
        self.depth = 0
        self.scope = []


_context = _CallContext()
_cast_scope = _autocast.scope  # the dtype a mixed layer's call reads its variables in
_losses_added = [False]  # whether any layer ever added a loss (else calls need not clear any)


def _accepts(fn, name):
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False
    return name in params or any(p.kind is p.VAR_KEYWORD for p in params.values())


def _is_tensorish(x):
    return isinstance(x, Tensor | ResourceVariable | np.ndarray | RaggedTensor) or _is_symbolic(x)


def _is_symbolic(x):
    from ..models.functional import KerasTensor
    return isinstance(x, KerasTensor)


def _flatten(x):
    if isinstance(x, list | tuple):
        return [leaf for item in x for leaf in _flatten(item)]
    if isinstance(x, dict):
        return [leaf for key in x for leaf in _flatten(x[key])]
    return [x]


def _map(fn, x):
    if isinstance(x, list):
        return [_map(fn, item) for item in x]
    if isinstance(x, tuple):
        return tuple(_map(fn, item) for item in x)
    if isinstance(x, dict):
        return {k: _map(fn, v) for k, v in x.items()}
    return fn(x)


def _shape_of(x):
    return _map(lambda t: tuple(t.shape), x)


def build_dims(value):
    """A shape (a tuple, list or TensorShape, or the shape of a tensor or array) as a list of
    ints and Nones."""
    if hasattr(value, "shape"):
        value = value.shape
    elif not isinstance(value, list | tuple | TensorShape):
        value = np.shape(value)
    if isinstance(value, TensorShape):
        value = value.as_list() if value.rank is not None else ()
    return [None if d is None else int(d) for d in value]


_OWN = frozenset(("_own_weights", "_losses", "_layer_cache", "_inbound", "_outbound"))


class Layer:
    """The Keras 3 layer. Subclasses write ``build(input_shape)`` and ``call(inputs, ...)``."""

    def __new__(cls, *args, **kwargs):
        self = object.__new__(cls)
        # what a subclass's __init__ sets before calling super().__init__ must find these
        object.__setattr__(self, "_own_weights", [])
        object.__setattr__(self, "_losses", [])
        object.__setattr__(self, "_inbound", [])
        object.__setattr__(self, "_keras_init", (args, kwargs))  # for the automatic config
        return self

    def __init__(self, activity_regularizer=None, trainable=True, dtype=None, autocast=True,
                 name=None, **kwargs):
        input_shape = kwargs.pop("input_shape", None)
        input_dim = kwargs.pop("input_dim", None)
        batch_size = kwargs.pop("batch_size", None)
        kwargs.pop("input_length", None)
        if kwargs:
            raise ValueError(f"Unrecognized keyword arguments passed to {type(self).__name__}: "
                             f"{kwargs}")
        if input_dim is not None and input_shape is None:
            input_shape = (input_dim,)
        self._input_shape_arg = None if input_shape is None else (batch_size,) + tuple(
            input_shape)
        if input_shape is not None:
            warnings.warn("Do not pass an `input_shape`/`input_dim` argument to a layer. When "
                          "using Sequential models, prefer using an `Input(shape)` object as the "
                          "first layer in the model instead.", UserWarning, stacklevel=2)
        self.name = _naming.auto_name(type(self).__name__) if name is None else name
        self.built = False
        self._trainable = bool(trainable)
        self.dtype_policy = dtype
        self.autocast = autocast
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self.input_spec = None
        self.supports_masking = False
        self._call_has_training = _accepts(self.call, "training")
        self._call_has_mask = _accepts(self.call, "mask")
        self._build_overridden = type(self).build is not Layer.build
        self._call_sig = None

    # --- checkpoints (Keras 3's dependency names: keras/_checkpoint.py) -------------------------
    def __setattr__(self, name, value):
        object.__setattr__(self, name, value)
        if trackable._waiting:  # a checkpoint restore waits for weights built later
            _checkpoint.attribute_set(self, name, value)

    def _trackable_children(self):
        return _checkpoint.layer_children(self)

    # --- attributes ---------------------------------------------------------------------------
    @property
    def dtype_policy(self):
        return self._keras_policy

    @dtype_policy.setter
    def dtype_policy(self, value):
        _autocast.set_policy(self, value)

    @property
    def dtype(self):
        return self._keras_policy.variable_dtype

    @property
    def compute_dtype(self):
        return self._keras_policy.compute_dtype

    @property
    def variable_dtype(self):
        return self._keras_policy.variable_dtype

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        """Freezing a layer freezes its weights (made trainable) and its sublayers', so the
        model that holds it leaves them out of ``trainable_weights`` too."""
        value = bool(value)
        self._trainable = value
        for v in self._tracked_variables():
            if v._created_trainable:
                v.trainable = value
        for layer in self._sublayers():
            layer.trainable = value

    @property
    def path(self):
        return self.name

    def _sublayers(self):
        """Layers held directly in attributes (inside lists, tuples and dicts too), in the order
        the attributes were set."""
        out, seen = [], set()
        for key, value in vars(self).items():
            if key in _OWN or key.startswith("_keras_"):
                continue
            for leaf in _flatten(value) if isinstance(value, list | tuple | dict) else [value]:
                if isinstance(leaf, Layer) and leaf is not self and id(leaf) not in seen:
                    seen.add(id(leaf))
                    out.append(leaf)
        return out

    @property
    def _layers(self):
        return self._sublayers()

    def _flatten_layers(self, include_self=True, recursive=True):
        out, seen = ([self] if include_self else []), {id(self)}

        def visit(layer):
            for sub in layer._sublayers():
                if id(sub) not in seen:
                    seen.add(id(sub))
                    out.append(sub)
                    if recursive:
                        visit(sub)
        visit(self)
        return out

    def _tracked_variables(self):
        """Weights made by add_weight, then Keras Variables set as attributes."""
        out = list(self._own_weights)
        ids = {id(v) for v in out}
        for key, value in vars(self).items():
            if key in _OWN:
                continue
            for leaf in _flatten(value) if isinstance(value, list | tuple | dict) else [value]:
                if isinstance(leaf, Variable) and id(leaf) not in ids:
                    ids.add(id(leaf))
                    out.append(leaf)
        return out

    @property
    def weights(self):
        return self._gathered("weights")

    @property
    def variables(self):
        """The weights and, after each layer's own, the states of its ``SeedGenerator``s (Keras
        lists them here, not among the weights)."""
        return self._gathered("variables")

    def _gathered(self, kind):
        own = self._tracked_variables()
        out = ([v for v in own if v._created_trainable] +
               [v for v in own if not v._created_trainable])
        if kind == "variables":
            from ..random import SeedGenerator
            out += [g.state for g in vars(self).values() if isinstance(g, SeedGenerator)]
        seen = {id(v) for v in out}
        for layer in self._sublayers():
            for v in getattr(layer, kind):
                if id(v) not in seen:
                    seen.add(id(v))
                    out.append(v)
        return out

    @property
    def trainable_weights(self):
        if not self.trainable:
            return []
        return [v for v in self.weights if v.trainable]

    trainable_variables = trainable_weights

    @property
    def non_trainable_weights(self):
        if not self.trainable:
            return self.weights
        return [v for v in self.weights if not v.trainable]

    @property
    def non_trainable_variables(self):
        if not self.trainable:
            return self.variables
        return [v for v in self.variables if not v.trainable]

    # --- weights ------------------------------------------------------------------------------
    def add_weight(self, shape=None, initializer=None, dtype=None, trainable=True, autocast=True,
                   regularizer=None, constraint=None, aggregation="none",
                   overwrite_with_gradient=False, name=None):
        shape = () if shape is None else tuple(int(d) for d in shape)
        dtype = dtypes.as_dtype(dtype) if dtype is not None else self._keras_variable
        if initializer is None:
            initializer = "glorot_uniform" if dtype.is_floating else "zeros"
        init = initializers.get(initializer)
        with init_scope():  # built inside a tf.function's first trace: the value is eager
            value = init(shape, dtype=dtype)
        name = "variable" if name is None else name
        scope = _context.scope
        prefix = "/".join(scope) if scope and scope[-1] == self.name else self.name
        var = Variable(value, trainable=trainable, name=name, path=f"{prefix}/{name}",
                       constraint=constraints_mod.get(constraint),
                       regularizer=regularizers.get(regularizer), dtype=dtype, autocast=autocast,
                       aggregation=aggregation)
        if not self.trainable:  # made by a frozen layer: frozen
            var.trainable = False
        self._own_weights.append(var)
        return var

    def get_weights(self):
        return [v.numpy() for v in self.weights]

    def set_weights(self, weights):
        mine = self.weights
        if len(weights) != len(mine):
            raise ValueError(f"You called `set_weights(weights)` on layer '{self.name}' with a "
                             f"weight list of length {len(weights)}, but the layer was expecting "
                             f"{len(mine)} weights.")
        for var, value in zip(mine, weights):
            value = np.asarray(value)
            if tuple(var.shape) != value.shape:
                raise ValueError(f"Layer {self.name} weight shape {tuple(var.shape)} is not "
                                 f"compatible with provided weight shape {value.shape}.")
            var.assign(value)

    def count_params(self):
        if not self.built:
            raise ValueError(f"You tried to call `count_params` on layer '{self.name}', but the "
                             f"layer isn't built. You can build it manually via: "
                             f"`layer.build(input_shape)`.")
        return int(sum(np.prod(v.shape, dtype=np.int64) for v in self.weights))

    # --- losses -------------------------------------------------------------------------------
    def add_loss(self, loss):
        self._losses.append(loss)
        _losses_added[0] = True

    @property
    def losses(self):
        if not _losses_added[0] and not Variable.regularized[0]:
            return []  # no layer anywhere has added a loss or holds a regularized weight
        out = []
        for layer in self._flatten_layers():
            out.extend(layer._losses)
            for v in layer._own_weights:
                if v.regularizer is not None and (v.trainable or not layer.trainable):
                    out.append(v.regularizer(v))
        return out

    def _clear_losses(self):
        for layer in self._flatten_layers():
            layer._losses.clear()

    # --- building and calling -----------------------------------------------------------------
    def build(self, input_shape):
        self.built = True

    def call(self, *args, **kwargs):
        raise NotImplementedError(f"Layer {type(self).__name__} does not have a `call()` "
                                  f"method implemented.")

    def compute_output_shape(self, input_shape):
        from ..models.functional import infer_output_shape
        return infer_output_shape(self, input_shape)

    def _maybe_build(self, inputs):
        if self.built:
            return
        self._keras_build_shape = _map(build_dims, inputs)  # .keras files' build_config
        if self._build_overridden:
            build_in_scope(self, _shape_of(inputs))
        self.built = True

    def compute_mask(self, inputs, mask=None):
        return mask if self.supports_masking else None

    def _convert(self, x):
        if isinstance(x, EagerTensor):
            if self.autocast and x.dtype.is_floating and x.dtype != self._keras_compute:
                return array_ops.cast(x, self._keras_compute)
            return x
        if isinstance(x, ResourceVariable):
            return x
        if isinstance(x, np.ndarray):
            if x.dtype.kind == "f" and self.autocast:
                return convert_to_tensor(x.astype(self._keras_compute.as_numpy_dtype, copy=False))
            return convert_to_tensor(x)
        return x

    def __call__(self, *args, **kwargs):
        if not args:
            raise ValueError("The first argument to `Layer.call` must always be passed.")
        inputs = args[0]
        if type(inputs) is not EagerTensor or len(args) > 1:  # the common case skips the checks
            for leaf in _flatten(args):
                if not (_is_tensorish(leaf) or leaf is None):
                    raise ValueError(
                        f"Only input tensors may be passed as positional arguments. The "
                        f"following argument value should be passed as a keyword argument: "
                        f"{leaf} (of type {type(leaf)})")
            if any(_is_symbolic(leaf) for leaf in _flatten(inputs)):
                from ..models.functional import symbolic_call
                return symbolic_call(self, args, kwargs)
        inputs = _map(self._convert, inputs)
        args = (inputs,) + args[1:]
        ctx = _context
        outer_training = ctx.training
        training = kwargs.get("training")
        if self._call_has_training:
            if training is None:
                training = outer_training
                if training is not None or "training" in kwargs:
                    kwargs["training"] = training
        else:
            kwargs.pop("training", None)
        if "mask" in kwargs and not self._call_has_mask:
            del kwargs["mask"]
        if ctx.depth == 0 and _losses_added[0]:
            self._clear_losses()
        ctx.depth += 1
        ctx.training = training if training is not None else outer_training
        ctx.scope.append(self.name)
        checked = False
        outer_cast = _cast_scope[0]
        if outer_cast is not None or self._keras_mixed is not None:
            _cast_scope[0] = _autocast.layer_scope(self, outer_cast)
        try:
            if not self.built:
                self._maybe_build(inputs)
            if self.input_spec is not None:
                check_input_spec(self, self.input_spec, inputs)
            checked = True
            out = self.call(*args, **kwargs)
        except Exception as e:  # noqa: BLE001 - re-raised with the layer's context, as Keras
            if not checked:  # a build or input-spec error: Keras raises it as it is
                raise
            raise _with_call_context(self, e, args, kwargs) from None
        finally:
            ctx.depth -= 1
            ctx.training = outer_training
            ctx.scope.pop()
            _cast_scope[0] = outer_cast
        if self.activity_regularizer is not None:
            for leaf in _flatten(out):
                size = _k.run_size(leaf, 0)  # a traced unknown batch: when the graph runs
                self.add_loss(self.activity_regularizer(leaf) / array_ops.cast(size, leaf.dtype))
        return out

    # --- config -------------------------------------------------------------------------------
    def get_config(self):
        """The name, trainable flag and dtype policy, then the arguments the layer was made
        with (initializers, regularizers, activations and layers in their serialized form)."""
        config = base_config(self)
        args, kwargs = self._keras_init
        if not _custom_objects.is_builtin(type(self)):  # a user's class: Keras 3's rules
            if type(self).get_config is not Layer.get_config:
                return config  # its own get_config adds its arguments
            config.pop("name")  # auto_config has it first unless __init__ cannot take it
            return {**_custom_objects.auto_config(self, args, kwargs), **config}
        try:
            bound = inspect.signature(type(self).__init__).bind(None, *args, **kwargs)
        except TypeError:
            return config
        for name, value in list(bound.arguments.items())[1:]:
            param = bound.signature.parameters[name]
            if param.kind is param.VAR_KEYWORD:
                for key, item in value.items():
                    config.setdefault(key, serialize_value(item))
            elif param.kind is not param.VAR_POSITIONAL:
                config.setdefault(name, serialize_value(value))
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        dtype = config.get("dtype")
        if isinstance(dtype, dict):
            config["dtype"] = dtype["config"]["name"]
        for key, value in config.items():
            if isinstance(value, dict) and value.get("module") == "keras.layers":
                config[key] = deserialize(value)
        if _custom_objects.is_builtin(cls):
            return cls(**config)
        try:  # a user's class: Keras 3's error when its config does not fit its constructor
            return cls(**config)
        except Exception as e:  # noqa: BLE001 - re-raised with the config, as Keras
            raise TypeError(f"Error when deserializing class '{cls.__name__}' using "
                            f"config={config}.\n\nException encountered: {e}") from None

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"

    @property
    def input(self):
        """The symbolic input of the layer's first call on KerasTensors."""
        if not self._inbound:
            raise AttributeError(f"Layer {self.name} is not connected, no input to return.")
        return self._inbound[0][0][0]

    @property
    def output(self):
        """The symbolic output of the layer's first call on KerasTensors."""
        if not self._inbound:
            raise AttributeError(f"Layer {self.name} has no inbound nodes.")
        return self._inbound[0][2]


def base_config(layer):
    """What every layer's config starts with: its name, trainable flag and dtype policy."""
    return {"name": layer.name, "trainable": layer.trainable,
            "dtype": {"module": "keras", "class_name": "DTypePolicy",
                      "config": {"name": layer.dtype_policy.name}, "registered_name": None}}


def serialize(layer):
    return _custom_objects.serialize_object(layer, "keras.layers")


def deserialize(config):
    from .. import layers
    return _custom_objects.revive(config, builtins=vars(layers))


def serialize_value(value):
    """A constructor argument as it appears in a config."""
    from .. import activations
    from .._serial import Configurable
    if isinstance(value, Layer):
        return serialize(value)
    if isinstance(value, Configurable):
        module = type(value).__module__.replace("tapeflow.", "")
        return {"module": module, "class_name": type(value).__name__,
                "config": value.get_config(), "registered_name": None}
    if callable(value) and not isinstance(value, type):
        name = activations.serialize(value)
        if isinstance(name, str):  # a built-in activation
            return name
        from .._serial import serialize as serialize_object
        return serialize_object(value, None)  # a function: named, as Keras names it
    return value


def build_in_scope(layer, input_shape):
    """``layer.build(input_shape)`` with the layer's name on the weight-path scope (its weights
    are ``outer/layer/kernel``), then marked built. Eager, as Keras's build (a value it computes
    or assigns is the layer's state, not a node of a graph being traced)."""
    scope = _context.scope
    pushed = not scope or scope[-1] != layer.name
    if pushed:
        scope.append(layer.name)
    try:
        with init_scope():  # built inside a tf.function's trace (fit's step): still eagerly
            layer.build(input_shape)
    finally:
        if pushed:
            scope.pop()
    layer.built = True


def _describe(value):
    """An argument as Keras shows it: each leaf's text, a structure printed around them (as
    the repr of their strings)."""
    if isinstance(value, list | tuple | dict):
        return str(_map(_describe, value))
    if isinstance(value, EagerTensor | ResourceVariable):
        return f"tf.Tensor(shape={tuple(value.shape)}, dtype={value.dtype.name})"
    return repr(value)


def _with_call_context(layer, error, args, kwargs):
    """The same exception type, its message framed as Keras frames it (once, innermost)."""
    message = str(error)
    if "Exception encountered when calling" in message:
        return error
    lines = []
    try:
        sig = inspect.signature(layer.call)
        bound = sig.bind(*args, **kwargs)
        bound.apply_defaults()
        for name, param in sig.parameters.items():
            value = bound.arguments.get(name, inspect.Parameter.empty)
            if param.kind is param.VAR_KEYWORD and not value:
                value = inspect.Parameter.empty
            lines.append(f"  • {name}={_describe(value)}")
    except (TypeError, ValueError):
        lines = [f"  • args_{i}={_describe(v)}" for i, v in enumerate(args)]
    cls = type(layer).__name__
    text = (f"Exception encountered when calling {cls}.call().\n\n\x1b[1m{message}\x1b[0m\n\n"
            f"Arguments received by {cls}.call():\n" + "\n".join(lines))
    try:
        from ...framework.errors import OpError
        if isinstance(error, OpError):
            new = type(error)(error.node_def, error.op, text)
        else:
            new = type(error)(text)
    except Exception:  # noqa: BLE001 - a type we cannot rebuild keeps its own message
        return error
    return new.with_traceback(error.__traceback__)
