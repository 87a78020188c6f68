"""The functional API: ``KerasTensor`` (a shape and dtype that remembers the layer call that made
it), ``symbolic_call`` (a layer called on KerasTensors) and the ``Functional`` model that replays
the recorded graph of layer calls on real tensors."""

import operator

import numpy as np

from ...framework import dtypes
from ...framework.tensor import Tensor, convert_to_tensor
from ...framework.variable import ResourceVariable
from ..layers.layer import Layer, _flatten, _map, unique_name


def _fit_rank(kt, x):
    """``x`` given for Input ``kt`` with a last axis of 1 more or less, as Keras adjusts it."""
    ndim = getattr(x, "ndim", None)
    if ndim is None or ndim == len(kt.shape) or not kt.shape:
        return x
    from ...ops import array_ops
    if ndim == len(kt.shape) - 1 and kt.shape[-1] == 1:
        return array_ops.expand_dims(x, -1)
    if ndim == len(kt.shape) + 1 and x.shape[-1] == 1:
        return array_ops.squeeze(x, -1)
    return x


def _operator(name, fn):
    """A binary operator's method and its reflected form, recording the operation ``name``."""
    def method(self, other):
        return _binary(self, other, name, fn)

    def reflected(self, other):
        return _binary(other, self, name, fn)
    return method, reflected


class KerasTensor:
    """A symbolic tensor: ``shape`` (None for the batch), ``dtype``, and its history
    ``(layer, node_index, tensor_index)``."""

    def __init__(self, shape, dtype, layer=None, node_index=0, tensor_index=0, name=None):
        self.shape = tuple(shape)
        self._dtype = dtypes.as_dtype(dtype)
        self._history = (layer, node_index, tensor_index)
        self.name = unique_name("keras_tensor") if name is None else name
        self.sparse = False
        self.ragged = False

    @property
    def dtype(self):
        """The dtype's name, as Keras 3 gives it (``"float16"``)."""
        return self._dtype.name

    @property
    def ndim(self):
        return len(self.shape)

    def __repr__(self):
        return (f"<KerasTensor shape={self.shape}, dtype={self.dtype}, sparse=False, "
                f"ragged=False, name={self.name}>")

    def __hash__(self):
        return id(self)

    # Keras's operators: each records the operation Keras names (``1 / x`` is ``true_divide``).
    # Comparisons and logic give bool tensors; == stays identity, as in Keras (KerasTensors are
    # compared and hashed as objects).
    __add__, __radd__ = _operator("add", operator.add)
    __sub__, __rsub__ = _operator("subtract", operator.sub)
    __mul__, __rmul__ = _operator("multiply", operator.mul)
    __truediv__, __rtruediv__ = _operator("true_divide", operator.truediv)
    __floordiv__, __rfloordiv__ = _operator("floor_divide", operator.floordiv)
    __mod__, __rmod__ = _operator("mod", operator.mod)
    __pow__, __rpow__ = _operator("power", operator.pow)
    __matmul__, __rmatmul__ = _operator("matmul", operator.matmul)
    __and__, __rand__ = _operator("logical_and", operator.and_)
    __or__, __ror__ = _operator("logical_or", operator.or_)
    __xor__, __rxor__ = _operator("logical_xor", operator.xor)
    __ne__ = _operator("not_equal", operator.ne)[0]
    __lt__ = _operator("less", operator.lt)[0]
    __le__ = _operator("less_equal", operator.le)[0]
    __gt__ = _operator("greater", operator.gt)[0]
    __ge__ = _operator("greater_equal", operator.ge)[0]

    def __invert__(self):
        return _unary(self, "logical_not", operator.invert)

    def __abs__(self):
        return _unary(self, "absolute", abs)

    def __neg__(self):
        return _unary(self, "negative", operator.neg)

    def __getitem__(self, key):
        return _unary(self, "get_item", lambda a: a[key])


def _unary(x, name, fn):
    return operation(name, fn)(x)


def _binary(a, b, name, fn):
    return operation(name, fn)(a, b)


class Operation(Layer):
    """A computation on KerasTensors that is not a layer (``a + b``, ``keras.ops.abs(x)``),
    recorded as Keras records it: a node of the functional graph with its arguments as given
    (tensors and constants), shown in ``summary()`` as its op class (``add (Add)``), left out
    of ``model.layers``, and written to a config as Keras's op entry."""

    _module = "keras.src.ops.numpy"

    def __init__(self, fn, name=None):
        super().__init__(name=name)
        self._fn = fn
        self._call_has_training = self._call_has_mask = False  # its arguments only
        self.built = True

    def __call__(self, *args, **kwargs):
        if any(isinstance(leaf, KerasTensor) for leaf in _flatten([args, kwargs])):
            return symbolic_call(self, args, kwargs)
        return self._fn(*args, **kwargs)

    def call(self, *args, **kwargs):
        return self._fn(*args, **kwargs)

    def get_config(self):
        return {"name": self.name}


_OPERATIONS = {}  # op name -> its class (``true_divide`` -> TrueDivide)


def operation(name, fn, module="keras.src.ops.numpy", node_name=None):
    """An :class:`Operation` node running ``fn``, of the class Keras names the op by (named
    ``node_name``, else the op's next automatic name)."""
    cls = _OPERATIONS.get(name)
    if cls is None:
        camel = "".join(part.capitalize() for part in name.split("_"))
        cls = _OPERATIONS[name] = type(camel, (Operation,), {"_module": module})
    return cls(fn, name=node_name or unique_name(name))


def is_operation(layer):
    return isinstance(layer, Operation)


def _placeholder(kt, batch):
    shape = tuple((batch if i == 0 else batch + 1) if d is None else d  # 3, then 4
                  for i, d in enumerate(kt.shape))
    if kt._dtype == dtypes.string:
        return convert_to_tensor(np.full(shape, b"", object))
    if kt._dtype.is_floating:
        return convert_to_tensor(np.zeros(shape, kt._dtype.as_numpy_dtype))
    return convert_to_tensor(np.zeros(shape, kt._dtype.as_numpy_dtype))


def _run_on_placeholders(layer, args, kwargs, batch):
    swap = lambda x: _placeholder(x, batch) if isinstance(x, KerasTensor) else x  # noqa: E731
    return layer(*_map(swap, list(args)), **_map(swap, dict(kwargs)))


def symbolic_call(layer, args, kwargs):
    """Call ``layer`` on KerasTensors: build it from the symbolic shapes, find the output shapes
    and dtypes (see :mod:`.symbolic`: by tracing ``call`` on graph placeholders, else by
    running it on small zero tensors), its state left as it was; record the call as a node."""
    from ..layers.layer import _context
    from . import symbolic
    inputs = args[0]
    by_run = not layer.built and symbolic.builds_by_running(layer)
    if not layer.built:
        layer._maybe_build(inputs)
    saved = [(v, v._handle.value) for v in layer.weights + [
        v for sub in layer._flatten_layers() if hasattr(sub, "_untracked_variables")
        for v in sub._untracked_variables()]]  # a stateful RNN's states too
    depth = _context.depth
    _context.depth = 1  # inner losses are not this call's
    try:
        if by_run:  # Keras builds its sub-layers by running call once more
            symbolic.output_specs(layer, args, kwargs)
        specs = symbolic.declared_specs(layer, args, kwargs)
        if specs is None:
            specs = _filled(layer, args, symbolic.output_specs(layer, args, kwargs))
        if specs is None:
            try:
                specs = _concrete_specs(layer, args, kwargs)
            except Exception:
                error = symbolic.inference_error(layer, args, kwargs)
                if error is None:
                    raise
                raise error from None
    finally:
        _context.depth = depth
        for v, value in saved:
            v._handle.value = value
        layer._losses.clear()
    structure, flat = specs[:2]
    node_index = len(layer._inbound)
    outs = []
    for i, (shape, dtype) in enumerate(flat):
        if hasattr(layer, "_symbolic_output_shape"):  # a shape the placeholders cannot show
            shape = list(layer._symbolic_output_shape(tuple(args[0].shape)))
        outs.append(KerasTensor(tuple(shape), dtype, layer, node_index, i))
    mask = specs[2] if len(specs) > 2 else None
    if mask is not None:  # what the next layer's call sees as its mask
        outs[0]._keras_mask = mask if isinstance(mask, KerasTensor) else KerasTensor(*mask)
    it = iter(outs)
    out = _map(lambda _: next(it), structure)
    layer._inbound.append((args, kwargs, out))
    return out


def _filled(layer, args, specs):
    """Traced ``specs`` whose one output has sizes the trace leaves unknown (a reshape to a
    size computed from the batch) completed from the layer's own ``compute_output_shape``,
    which Keras takes for its layers that have one."""
    if specs is None or len(specs[1]) != 1 or None not in specs[1][0][0][1:]:
        return specs
    (shape, dtype), = specs[1]
    declared = _declared_shape(layer, args)
    if declared is not None and len(declared) == len(shape):
        shape = tuple(d if d is not None else e for d, e in zip(shape, declared))
    return specs[0], [(shape, dtype)], *specs[2:]


def _concrete_specs(layer, args, kwargs):
    """(output structure, [(shape, dtype)]) found by running ``layer`` on zero tensors of batch
    2 (and 3, when other sizes are unknown: a size the two runs disagree on is unknown)."""
    variable = any(d is None for t in _flatten(list(args)) if isinstance(t, KerasTensor)
                   for d in t.shape[1:])
    declared = _declared_shape(layer, args) if variable else None
    try:
        first = _run_on_placeholders(layer, args, kwargs, 2)
        second = _run_on_placeholders(layer, args, kwargs, 3) if variable else None
    except Exception:
        if declared is None:
            raise
        # the small placeholders are too small for the layer (a 7x7 "valid" convolution):
        # its own compute_output_shape gives the shape
        first = second = KerasTensor(declared, layer.compute_dtype)
    batch_known = [t.shape[0] is not None for t in _flatten(list(args))
                   if isinstance(t, KerasTensor)]
    flat_first = _flatten(first)
    flat_second = _flatten(second) if second is not None else [None] * len(flat_first)
    flat = []
    for a, b in zip(flat_first, flat_second):
        shape = list(a.shape)
        if shape and not all(batch_known):
            shape[0] = None
        if b is not None:
            shape = [None if (j > 0 and d != e) else d for j, (d, e) in
                     enumerate(zip(shape, b.shape))]
        if declared is not None and len(flat_first) == 1 and len(declared) == len(shape):
            # sizes the two placeholder runs agree on although they are unknown (a stride-2
            # convolution maps both 3 and 4 pixels to 2): unknown, as the layer declares
            shape = [None if e is None else d for d, e in zip(shape, declared)]
        flat.append((shape, a.dtype))
    return first, flat


_declaring = set()  # layers whose compute_output_shape runs (it may call symbolic_call)


def _declared_shape(layer, args):
    """The output shape a single-input layer's own ``compute_output_shape`` declares for its
    KerasTensor input with unknown sizes; None when it has none or it fails."""
    from ..layers.layer import Layer
    inputs = [t for t in _flatten(list(args)) if isinstance(t, KerasTensor)]
    own = type(layer).compute_output_shape is not Layer.compute_output_shape
    if len(inputs) != 1 or not isinstance(args[0], KerasTensor) or not own \
            or id(layer) in _declaring:
        return None
    _declaring.add(id(layer))
    try:
        shape = layer.compute_output_shape(args[0].shape)
        shape = tuple(shape.as_list() if hasattr(shape, "as_list") else shape)
        if not all(d is None or isinstance(d, (int, np.integer)) for d in shape):
            return None
        return shape
    except Exception:  # noqa: BLE001 - no declared shape: the placeholders' stands
        return None
    finally:
        _declaring.discard(id(layer))


def infer_output_shape(layer, input_shape):
    """``compute_output_shape`` by a symbolic call on KerasTensors of ``input_shape``."""
    is_list = isinstance(input_shape, list) or (
        isinstance(input_shape, tuple) and input_shape and isinstance(input_shape[0], tuple))
    shapes = list(input_shape) if is_list else [input_shape]
    kts = [KerasTensor(s, layer.variable_dtype) for s in shapes]
    out = symbolic_call(layer, (kts if is_list else kts[0],), {})
    layer._inbound.pop()
    return _map(lambda t: t.shape, out)


def _node_inputs(node):
    args, kwargs, _ = node
    return [t for t in _flatten(list(args)) + _flatten(dict(kwargs)) if isinstance(t, KerasTensor)]


class Graph:
    """The layer calls between ``inputs`` and ``outputs``, in an order that runs them."""

    def __init__(self, inputs, outputs):
        self.inputs, self.outputs = inputs, outputs
        flat_out = _flatten(outputs)
        order, seen, depth = [], set(), {}

        def visit(t):
            layer, index, _ = t._history
            key = (id(layer), index)
            if key in seen:
                return
            seen.add(key)
            if index < len(layer._inbound):
                for parent in _node_inputs(layer._inbound[index]):
                    visit(parent)
            order.append((layer, index))

        for t in flat_out:
            visit(t)
        # a node's depth: the longest path from it to an output. Every user of a node comes
        # after it in ``order``, so walking it backwards finishes each depth before its use.
        for layer, index in reversed(order):
            d = depth.setdefault((id(layer), index), 0)
            if index < len(layer._inbound):
                for parent in _node_inputs(layer._inbound[index]):
                    key = (id(parent._history[0]), parent._history[1])
                    depth[key] = max(depth.get(key, 0), d + 1)
        self.nodes = order
        unused = [(t._history[0], t._history[1]) for t in _flatten(inputs)
                  if (id(t._history[0]), t._history[1]) not in depth]
        for layer, index in unused:  # listed with the outputs, before them (as Keras does)
            depth[(id(layer), index)] = 0
        order[:0] = unused
        layer_depth, first = {}, {}
        for i, (layer, index) in enumerate(order):
            layer_depth[id(layer)] = max(layer_depth.get(id(layer), -1), depth[(id(layer), index)])
            first.setdefault(id(layer), (i, layer))
        ranked = sorted(first.values(), key=lambda p: (-layer_depth[id(p[1])], p[0]))
        self.layers = [layer for _, layer in ranked]

    def run(self, inputs, training=None):
        values = {}
        flat_in = _flatten(self.inputs)
        given = _flatten(inputs) if isinstance(inputs, list | tuple | dict) else [inputs]
        if isinstance(inputs, dict) and isinstance(self.inputs, dict):
            given = [inputs[k] for k in self.inputs]
        elif isinstance(inputs, dict) and all(t._history[0].name in inputs for t in flat_in):
            given = [inputs[t._history[0].name] for t in flat_in]  # matched by Input name
        if len(given) != len(flat_in):
            raise ValueError(f"Layer \"{self.name if hasattr(self, 'name') else 'functional'}\" "
                             f"expects {len(flat_in)} input(s), but it received {len(given)} "
                             f"input tensors.")
        for kt, x in zip(flat_in, given):
            values[id(kt)] = _fit_rank(kt, as_input(kt, x)) if not isinstance(x, KerasTensor) \
                else x
        swap = lambda x: values[id(x)] if isinstance(x, KerasTensor) else x  # noqa: E731
        from ..layers.core import InputLayer
        masks = {}
        for layer, index in self.nodes:
            if isinstance(layer, InputLayer):
                continue
            args, kwargs, outs = layer._inbound[index]
            kwargs = _map(swap, dict(kwargs))
            if training is not None and layer._call_has_training and "training" not in kwargs:
                kwargs["training"] = training
            first = args[0]
            mask = masks.get(id(first)) if isinstance(first, KerasTensor) else None
            if mask is not None and "mask" not in kwargs:
                kwargs["mask"] = mask
            call_args = _map(swap, list(args))
            result = layer(*call_args, **kwargs)
            flat_outs = _flatten(outs)
            if len(flat_outs) == 1 and (mask is not None or layer.supports_masking):
                out_mask = layer.compute_mask(call_args[0], mask)
                if out_mask is not None:
                    masks[id(flat_outs[0])] = out_mask
            for kt, value in zip(flat_outs, _flatten(result)):
                values[id(kt)] = value
        return _map(swap, self.outputs)


def as_input(keras_input, x):
    """A value given for a model's ``Input`` as Keras takes it: a tensor of the Input's dtype
    (uint8 images become float32; floats given to an int32 Input are truncated)."""
    if x is None:
        return x
    from ...ops.array_ops import cast
    t = x if isinstance(x, Tensor | ResourceVariable) else convert_to_tensor(np.asarray(x))
    want = dtypes.as_dtype(keras_input.dtype)
    if t.dtype != want and not (want.is_floating and t.dtype == dtypes.string):
        t = cast(t, want)
    return t
