"""Output shapes and dtypes of a layer called on KerasTensors, found as Keras 3 finds them with
the TF backend: ``call`` traced once on graph placeholders of the KerasTensors' shapes (an
unknown batch stays ``None``: ``print(x.shape)`` in ``call`` prints ``(None, 3)``,
``tf.shape(x)[0]`` is a graph tensor), in a scratch graph of tapeflow's own tracing, so that
Variable assignments and ``tf.print`` only become nodes of a graph that never runs.

A user's layer that declares ``compute_output_shape`` is not traced: Keras takes the shape it
declares, with the layer's compute dtype. Where tracing fails (an op without a graph form, a
``.numpy()`` in ``call``, outputs that are not plain tensors) the caller runs the layer on
small zero tensors instead (``functional._concrete_specs``), as tapeflow did before.
"""

from ...framework.context import state
from ...framework.shape import TensorShape
from ...framework.tensor import Tensor
from ...graph import static_shapes
from ...graph.ir import Graph
from .. import _custom_objects
from ..layers.layer import Layer, _flatten, _map


def _user_method(layer, name):
    """Whether ``name`` is overridden by a class of the user (not one of tapeflow's layers)."""
    for cls in type(layer).__mro__:
        if name in cls.__dict__:
            return cls is not Layer and not _custom_objects.is_builtin(cls)
    return False


def builds_by_running(layer):
    """Keras builds a layer without its own ``build`` whose sub-layers are not built yet by
    running its ``call`` once (symbolically) before the call that finds its output."""
    if _custom_objects.is_builtin(type(layer)) or _user_method(layer, "build"):
        return False
    return any(not sub.built for sub in layer._flatten_layers(include_self=False))


def declared_specs(layer, args, kwargs):
    """(structure, [(shape, dtype)]) from a user layer's own ``compute_output_shape`` on the
    KerasTensor inputs' shapes (Keras then never runs ``call``), or None."""
    from .functional import KerasTensor
    if not _user_method(layer, "compute_output_shape"):
        return None
    inputs = args[0]
    shapes = _map(lambda t: t.shape if isinstance(t, KerasTensor) else t, inputs)
    out = layer.compute_output_shape(shapes)
    if isinstance(out, TensorShape):
        out = tuple(out.as_list())
    if isinstance(out, list) and out and all(d is None or isinstance(d, int) for d in out):
        out = tuple(out)
    dtype = layer.compute_dtype
    leaves = []

    def leaf(shape):  # the structure's leaf: any non-sequence object
        leaves.append((tuple(shape), dtype))
        return dtype
    return _map_shapes(leaf, out), leaves


def _is_shape(x):
    return isinstance(x, tuple) and all(d is None or isinstance(d, int) for d in x)


def _map_shapes(fn, out):
    if _is_shape(out):
        return fn(out)
    if isinstance(out, dict):
        return {k: _map_shapes(fn, v) for k, v in out.items()}
    return type(out)(_map_shapes(fn, v) for v in out)


_failure = [None]  # the error of the last trace that failed


def output_specs(layer, args, kwargs):
    """(structure, [(shape, dtype)], mask) of ``layer(*args, **kwargs)`` traced on placeholders
    for the KerasTensors, or None when the trace fails or gives something other than tensors
    of a known rank. Masks follow the KerasTensors as in Keras: the first input's mask is passed
    to a ``call`` that takes one, and ``mask`` is the one output's mask (``compute_mask``): the
    input's KerasTensor mask when passed through, else its (shape, dtype); or None."""
    from .functional import KerasTensor
    _failure[0] = None
    graph = Graph("scratch_graph")
    saved = state.stack, state.graph
    graph.outer_stack = saved[0] if saved[1] is None else saved[1].outer_stack
    state.stack, state.graph = [graph], graph

    made = {}  # id(placeholder) -> its KerasTensor

    def placeholder(x):
        if not isinstance(x, KerasTensor):
            return x
        example = static_shapes.example(x.shape, x._dtype.as_numpy_dtype)
        t = graph.placeholder(example, TensorShape(list(x.shape)), "Placeholder")
        made[id(t)] = x
        return t
    try:
        call_args, call_kwargs = _map(placeholder, list(args)), _map(placeholder, dict(kwargs))
        mask = None
        if "mask" not in kwargs:
            masks = _map(lambda t: getattr(t, "_keras_mask", None), args[0])
            if any(m is not None for m in _flatten(masks)):
                mask = _map(placeholder, masks)
                if layer._call_has_mask:
                    call_kwargs["mask"] = mask
        out = layer(*call_args, **call_kwargs)
        out_mask = _output_mask(layer, out, call_args[0], mask)
        if out_mask is not None:  # a new mask's spec, or the input's passed through as it is
            out_mask = made.get(id(out_mask)) or (tuple(out_mask.shape.as_list()),
                                                  out_mask.dtype)
    except Exception as e:  # noqa: BLE001 - no graph form: the caller runs it on zero tensors
        _failure[0] = e
        return None
    finally:
        state.stack, state.graph = saved
    flat = []
    for t in _flatten(out):
        if not isinstance(t, Tensor) or t.shape.rank is None:
            return None
        flat.append((tuple(t.shape.as_list()), t.dtype))
    if not flat:
        return None
    return out, flat, out_mask


def _output_mask(layer, out, inputs, mask):
    """The graph tensor ``layer`` gives as its one output's mask, or None."""
    if len(_flatten(out)) != 1 or (mask is None and not layer.supports_masking):
        return None
    try:
        out_mask = layer.compute_mask(inputs, mask)
    except Exception:  # noqa: BLE001 - a mask it cannot compute here: none, as before
        return None
    if not isinstance(out_mask, Tensor) or out_mask.shape.rank is None:
        return None
    return out_mask


def inference_error(layer, args, kwargs):
    """Keras's error for a user's layer whose ``call`` fails on KerasTensors (here: when both
    the trace and the zero-tensor run fail): the trace's error, framed as Keras frames an error
    of its ``compute_output_spec``; None for tapeflow's own layers (their errors stand)."""
    error, _failure[0] = _failure[0], None
    if error is None or _custom_objects.is_builtin(type(layer)):
        return None
    if "Exception encountered when calling" in str(error) and error.__context__ is not None:
        error = error.__context__  # the user's own error, before Layer.__call__ framed it
    cls = type(layer).__name__
    message = (f"Could not automatically infer the output shape / dtype of '{layer.name}' (of "
               f"type {cls}). Either the `{cls}.call()` method is incorrect, or you need to "
               f"implement the `{cls}.compute_output_spec() / compute_output_shape()` method. "
               f"Error encountered:\n\n{error}")
    given = {k: str(v) for k, v in kwargs.items()} if kwargs else "<class 'inspect._empty'>"
    text = (f"Exception encountered when calling {cls}.call().\n\n\x1b[1m{message}\x1b[0m\n\n"
            f"Arguments received by {cls}.call():\n  • args={tuple(repr(a) for a in args)}\n"
            f"  • kwargs={given}")
    try:
        return type(error)(text)
    except Exception:  # noqa: BLE001 - a type that cannot be rebuilt: its own error stands
        return None
