"""``keras.utils.model_to_dot`` and ``keras.utils.plot_model``: a model's layers as a ``pydot``
graph (Graphviz's DOT language), the same graph Keras 3 draws, and its picture written by the
Graphviz programs.

Each layer is one node, named by ``id(layer)`` as in Keras, whose label is an HTML table: the
layer's name and class, then (per the ``show_*`` flags) its activation, the shapes and dtype of
its first call on symbolic tensors and whether its weights train. An edge joins the layer that
made a tensor to each layer that took it in. A Sequential model is a chain; a subclassed model is
a single node; with ``expand_nested`` a nested Sequential or functional model becomes a dashed
cluster, and edges go to and from the layers inside it. Needs the optional ``pydot`` package
(``pip install 'tapeflow[viz]'``); writing a picture also needs the Graphviz programs.
"""

import os
import sys

from ..layers.core import InputLayer
from ..layers.layer import _flatten, _map


def _pydot():
    try:
        import pydot
    except ImportError:
        return None
    return pydot


def check_pydot():
    """Whether the ``pydot`` package can be imported."""
    return _pydot() is not None


def check_graphviz():
    """Whether ``pydot`` can run Graphviz (it draws an empty graph to find out)."""
    pydot = _pydot()
    if pydot is None:
        return False
    try:
        pydot.Dot().create()
    except (OSError, pydot.PydotException):
        return False
    return True


def _model_classes():
    from ..models.model import Functional, Sequential
    return Functional, Sequential


def _not_built(model):
    if not model.built:
        raise ValueError("This model has not yet been built. Build the model first by calling "
                         "`build()` or by calling the model on a batch of data.")


def _check_kwargs(kwargs):
    if kwargs.pop("layer_range", None) is not None:
        raise ValueError("Argument `layer_range` is no longer supported.")
    if kwargs:
        raise ValueError(f"Unrecognized keyword arguments: {kwargs}")


# ---- the node of a layer ------------------------------------------------------------------

def _one_or_all(tensors):
    return tensors[0] if len(tensors) == 1 else tensors


def _first_call(layer):
    """``(inputs, outputs)`` of the layer's first call on KerasTensors, as Keras's ``input``
    and ``output`` give them (a lone tensor, else a flat list; a functional model's own
    structures), or ``(None, None)`` when it was never called on KerasTensors."""
    functional, _ = _model_classes()
    if isinstance(layer, functional):
        return layer.input, layer.output
    if isinstance(layer, InputLayer):
        return [], layer.output
    if not layer._inbound:
        return None, None
    from ..models.functional import _node_inputs
    node = layer._inbound[0]
    return _one_or_all(_node_inputs(node)), _one_or_all(_flatten(node[2]))


def _shape_text(tensors):
    if tensors is None:
        return "?"
    shapes = _map(lambda t: t.shape, tensors)
    if isinstance(shapes, dict):
        text = ", ".join(f"{key}: {shape}" for key, shape in shapes.items())
    else:
        text = str(shapes)
    return text.replace("{", "").replace("}", "")


def _activation_name(activation):
    for attribute in ("name", "__name__"):
        if hasattr(activation, attribute):
            return getattr(activation, attribute)
    return str(activation)


def _cell(label, value):
    return f'<td bgcolor="white"><font point-size="14">{label}: <b>{value}</b></font></td>'


def _trainable_cell(trainable):
    color, text = ("forestgreen", "Trainable") if trainable else ("firebrick", "Non-trainable")
    return (f'<td bgcolor="{color}"><font point-size="14" color="white"><b>{text}</b>'
            "</font></td>")


def _label(layer, show_layer_names, show_layer_activations, show_dtype, show_shapes,
           show_trainable):
    """The node's HTML-like label: a black title row, an activation row, a row of cells."""
    kind = type(layer).__name__
    width = max(1, 2 * bool(show_shapes) + bool(show_dtype) + bool(show_trainable))
    title = f"<b>{layer.name}</b> ({kind})" if show_layer_names else f"<b>{kind}</b>"
    rows = [f'<tr><td colspan="{width}" bgcolor="black"><font point-size="16" color="white">'
            f"{title}</font></td></tr>"]
    activation = getattr(layer, "activation", None)
    if show_layer_activations and activation is not None:
        rows.append(f'<tr><td bgcolor="white" colspan="{width}"><font point-size="14">'
                    f"Activation: <b>{_activation_name(activation)}</b></font></td></tr>")
    cells = []
    inputs, outputs = _first_call(layer) if show_shapes or show_dtype else (None, None)
    if show_shapes:
        if kind != "InputLayer":
            cells.append(_cell("Input shape", _shape_text(inputs)))
        cells.append(_cell("Output shape", _shape_text(outputs)))
    if show_dtype:
        dtypes = None if outputs is None else _map(lambda t: t.dtype, outputs)  # a name
        cells.append(_cell("Output dtype", dtypes or "?"))
    if show_trainable and layer.weights:
        cells.append(_trainable_cell(layer.trainable))
    if cells:
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return '<<table border="0" cellborder="1" bgcolor="black" cellpadding="10">' + \
        "".join(rows) + "</table>>"


def _node(pydot, layer, flags):
    return pydot.Node(str(id(layer)), label=_label(layer, **flags), fontname="Helvetica",
                      border="0", margin="0")


def _edge(pydot, dot, source, destination):
    ends = str(id(source)), str(id(destination))
    if not dot.get_edge(*ends):
        dot.add_edge(pydot.Edge(*ends, penwidth="2"))


# ---- the graph ----------------------------------------------------------------------------

def _inner_source(source, index):
    """The layer inside nested models that makes their output ``index``."""
    models = _model_classes()
    while isinstance(source, models):
        source, _, index = _flatten(source.outputs)[index]._history
    return source


def _inner_destination(destination, index):
    """The layer inside nested models that takes their input ``index``: a functional model's
    InputLayer, a Sequential model's first layer."""
    functional, sequential = models = _model_classes()
    while isinstance(destination, models):
        if isinstance(destination, functional):
            destination = _flatten(destination.inputs)[index]._history[0]
        else:
            destination = destination.layers[0]
    return destination


def _calls(model, layers):
    """``(layer, input tensors)`` of each call of ``layers`` on KerasTensors that belongs to
    ``model`` (every call, for the layers of a Sequential model)."""
    from ..models.functional import _node_inputs
    functional, _ = _model_classes()
    own = {(id(layer), index) for layer, index in model._graph.nodes} \
        if isinstance(model, functional) else None
    for layer in layers:
        for index, node in enumerate(layer._inbound):
            if own is None or (id(layer), index) in own:
                yield layer, _node_inputs(node)


def model_to_dot(model, show_shapes=False, show_dtype=False, show_layer_names=True, rankdir="TB",
                 expand_nested=False, dpi=200, subgraph=False, show_layer_activations=False,
                 show_trainable=False, splines="ortho", **kwargs):
    """The model's layer graph as a ``pydot.Dot`` (a dashed ``pydot.Cluster`` named after the
    model when ``subgraph``), as Keras's ``keras.utils.model_to_dot`` makes it."""
    _not_built(model)
    pydot = _pydot()
    if pydot is None:
        raise ImportError("You must install pydot (`pip install pydot`) for model_to_dot to "
                          "work.")
    if subgraph:
        dot = pydot.Cluster(style="dashed", graph_name=model.name)
        dot.set("label", model.name)
        dot.set("labeljust", "l")
    else:
        dot = pydot.Dot()
        for key, value in (("rankdir", rankdir), ("concentrate", True), ("dpi", dpi),
                           ("splines", splines)):
            dot.set(key, value)
        dot.set_node_defaults(shape="record")
    _check_kwargs(kwargs)
    flags = {"show_layer_names": show_layer_names,
             "show_layer_activations": show_layer_activations, "show_dtype": show_dtype,
             "show_shapes": show_shapes, "show_trainable": show_trainable}
    functional, sequential = models = _model_classes()
    if not isinstance(model, models):  # a subclassed model: one box
        dot.add_node(_node(pydot, model, flags))
        return dot
    layers = model._graph.layers if isinstance(model, functional) else model.layers
    for layer in layers:  # a functional model's operations (a + b) are drawn too, as Keras
        if expand_nested and isinstance(layer, models):
            dot.add_subgraph(model_to_dot(
                layer, show_shapes, show_dtype, show_layer_names, rankdir, expand_nested,
                subgraph=True, show_layer_activations=show_layer_activations,
                show_trainable=show_trainable))
        else:
            dot.add_node(_node(pydot, layer, flags))
    if isinstance(model, sequential):
        if not expand_nested:
            for source, destination in zip(layers, layers[1:]):
                _edge(pydot, dot, source, destination)
            return dot
        layers = layers[1:]  # the edge into the first layer is drawn by the enclosing model
    for layer, inputs in _calls(model, layers):
        for input_index, tensor in enumerate(inputs):
            source, _, output_index = tensor._history
            if source is None:
                continue
            if expand_nested:
                source = _inner_source(source, output_index)
                destination = _inner_destination(layer, input_index)
            else:
                destination = layer
            _edge(pydot, dot, source, destination)
    return dot


def _missing(message):
    """In a notebook (IPython's namespace magics loaded) Keras prints what is missing and draws
    nothing; elsewhere it raises ImportError."""
    if "IPython.core.magics.namespace" in sys.modules:
        from ..config import print_msg
        print_msg(message)
        return
    raise ImportError(message)


def plot_model(model, to_file="model.png", show_shapes=False, show_dtype=False,
               show_layer_names=False, rankdir="TB", expand_nested=False, dpi=200,
               show_layer_activations=False, show_trainable=False, splines="ortho", **kwargs):
    """Write the picture of ``model_to_dot(model, ...)`` to ``to_file`` (its suffix names the
    format Graphviz writes: png, svg, pdf, dot...; png when it has none) and return it as an
    ``IPython.display.Image`` when IPython is installed (None for a PDF or without IPython)."""
    _not_built(model)
    if not check_pydot():
        return _missing("You must install pydot (`pip install pydot`) for `plot_model` to work.")
    if not check_graphviz():
        return _missing("You must install graphviz (see instructions at "
                        "https://graphviz.gitlab.io/download/) for `plot_model` to work.")
    _check_kwargs(kwargs)
    dot = model_to_dot(model, show_shapes=show_shapes, show_dtype=show_dtype,
                       show_layer_names=show_layer_names, rankdir=rankdir,
                       expand_nested=expand_nested, dpi=dpi,
                       show_layer_activations=show_layer_activations,
                       show_trainable=show_trainable, splines=splines)
    to_file = str(to_file)
    extension = os.path.splitext(to_file)[1][1:] or "png"
    dot.write(to_file, format=extension)
    if extension == "pdf":
        return None
    try:
        from IPython import display
    except ImportError:
        return None
    return display.Image(filename=to_file)
