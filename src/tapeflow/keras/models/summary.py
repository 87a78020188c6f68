"""``Model.summary()``: the table Keras 3 prints through rich (see :mod:`.table` for its
layout), with its arguments: line_length, positions, expand_nested, show_trainable and
layer_range."""

import math
import re
import shutil
import sys

from ..config import is_interactive_logging_enabled, print_msg
from ..layers.core import InputLayer
from ..layers.layer import _flatten
from .table import console_width, render_table, wrap_text

# Keras's two layouts: default line length, column positions, headers, alignments
_SEQUENTIAL = (88, [0.45, 0.80, 1.0], ["Layer (type)", "Output Shape", "Param #"], "llr")
_GRAPH = (108, [0.3, 0.56, 0.74, 1.0], ["Layer (type)", "Output Shape", "Param #",
                                        "Connected to"], "llrl")


def memory_size(nbytes):
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if nbytes / 1024 < 1:
            return f"{nbytes:.2f} {unit}"
        nbytes /= 1024
    return f"{nbytes:.2f} PB"


def _shape_text(outs):
    shapes = [t.shape for t in _flatten(outs)]
    if not shapes:
        return "?"
    texts = ["(" + ", ".join(str(d) for d in shape) + ")" for shape in shapes]  # (None) too
    return texts[0] if len(texts) == 1 else "[" + ", ".join(texts) + "]"


def _params(layer):
    if not hasattr(layer, "built"):
        return "0"
    if not layer.built:
        return "0 (unbuilt)"
    return f"{layer.count_params():,}"


def _count(weights):
    total = sum(math.prod(v.shape) for v in weights)
    nbytes = sum(math.prod(v.shape) * v.dtype.size for v in weights)
    return f"{total:,} ({memory_size(nbytes)})"


def _is_sequential_like(model, layers):
    from .model import Sequential
    if isinstance(model, Sequential) or not hasattr(model, "_graph"):
        return True
    for layer in layers:
        nodes = [n for n in layer._inbound if _in_model(model, n)]
        if len(nodes) > 1:
            return False
        for args, _kwargs, _ in nodes:
            if len([t for t in _flatten(list(args)) if hasattr(t, "_history")]) > 1:
                return False
    return True


def _in_model(model, node):
    graph = getattr(model, "_graph", None)
    if graph is None:
        return True
    return any(node is layer._inbound[i] for layer, i in graph.nodes if i < len(layer._inbound))


def _connections(model, layer):
    names = []
    for args, kwargs, _ in (n for n in layer._inbound if _in_model(model, n)):
        for t in _flatten(list(args)) + _flatten(dict(kwargs)):
            if hasattr(t, "_history"):
                src, node, index = t._history
                names.append(f"{src.name}[{node}][{index}]")
    return ", ".join(names) or "-"


def _column_widths(positions, line_length):
    widths, current = [], 0
    for pos in positions:
        width = int(pos * line_length) - current
        if width < 4:
            raise ValueError("Insufficient console width to print summary.")
        widths.append(width)
        current += width
    return widths


def _layer_bounds(layers, layer_range):
    """[first, last + 1] of the layers whose names match ``layer_range``'s two patterns."""
    if layer_range is None:
        return 0, len(layers)
    if len(layer_range) != 2:
        raise ValueError("layer_range must be a list or tuple of length 2. Received: "
                         f"layer_range = {layer_range} of length {len(layer_range)}")
    if not all(isinstance(p, str) for p in layer_range):
        raise ValueError(f"layer_range should contain string type only. Received: {layer_range}")
    lower = [i for i, layer in enumerate(layers) if re.match(layer_range[0], layer.name)]
    upper = [i for i, layer in enumerate(layers) if re.match(layer_range[1], layer.name)]
    if not lower or not upper:
        raise ValueError("Passed layer_names do not match the layer names in the model. "
                         f"Received: {layer_range}")
    if min(lower) > max(upper):
        return min(upper), max(lower) + 1
    return min(lower), max(upper) + 1


def _output_text(layer):
    """The output shape cell: the layer's last call, in this model or another, as Keras."""
    if isinstance(layer, InputLayer):
        return _shape_text(layer.output)
    return _shape_text(layer._inbound[-1][2]) if layer._inbound else "?"


def _rows(model, layer, graph_like, show_trainable, expand_nested, level=0):
    prefix = "   " * level + "└ " if level else ""
    cells = [f"{prefix}{layer.name} ({type(layer).__name__})",
             _output_text(layer), _params(layer)]
    if graph_like:
        cells.append(_connections(model, layer) if level == 0 else "-")
    if show_trainable:
        cells.append(("Y" if layer.trainable else "N") if layer.weights else "-")
    rows = [cells]
    inner = getattr(layer, "layers", None) if expand_nested else None
    for sub in inner or ():
        rows.extend(_rows(model, sub, graph_like, show_trainable, expand_nested, level + 1))
    return rows


def print_summary(model, line_length=None, positions=None, print_fn=None, expand_nested=False,
                  show_trainable=False, layer_range=None):
    from .model import Sequential
    if isinstance(model, Sequential) or not hasattr(model, "_graph"):
        layers = model.layers
    else:
        layers = model._graph.layers
    graph_like = not _is_sequential_like(model, layers)
    default, default_positions, header, align = _GRAPH if graph_like else _SEQUENTIAL
    positions = list(positions or default_positions)
    header = list(header)
    if show_trainable:
        default += 12
        positions = [p * 0.90 for p in positions] + [1.0]
        header.append("Trainable")
        align += "c"
    line_length = line_length or min(default, shutil.get_terminal_size().columns - 4)
    widths = _column_widths(positions, line_length)
    if len(widths) < len(header):
        raise IndexError("list index out of range")  # Keras's, from its list of widths
    widths = widths[:len(header)]
    first, stop = _layer_bounds(layers, layer_range)
    rows = [row for layer in layers[first:stop]
            for row in _rows(model, layer, graph_like, show_trainable, expand_nested)]
    width = console_width()
    table = render_table(header, rows, widths, align, line_length)
    trainable = model.trainable_weights
    ids = {id(v) for v in trainable}
    non_trainable = [v for v in model.weights if id(v) not in ids]
    optimizer = getattr(model, "optimizer", None)
    opt_vars = list(optimizer.variables) if getattr(optimizer, "built", False) else []
    foot = [f" Total params: {_count(trainable + non_trainable + opt_vars)}",
            f" Trainable params: {_count(trainable)}",
            f" Non-trainable params: {_count(non_trainable)}"]
    if opt_vars:
        foot.append(f" Optimizer params: {_count(opt_vars)}")
    lines = wrap_text(f'Model: "{model.name}"', width)
    lines += [line[:width] for line in table]  # the console crops what is wider than it
    for text in foot:
        lines += wrap_text(text, width)
    text = "\n".join(lines) + "\n"
    if print_fn is not None:
        print_fn(text)
    elif not is_interactive_logging_enabled():  # Keras's logger then
        print_msg(text, line_break=False)
    else:
        sys.stdout.write(text)
