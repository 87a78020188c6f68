"""``Model.summary()``: the table Keras 3 prints (through rich, in a console 80 columns wide)."""

import math

from ..layers.core import InputLayer
from ..layers.layer import _flatten

# column widths (padding included) rich gives Keras's two layouts on an 80-column console
_SEQUENTIAL = ([33, 24, 15], ["Layer (type)", "Output Shape", "Param #"], "llr")
_GRAPH = ([21, 19, 12, 19], ["Layer (type)", "Output Shape", "Param #", "Connected to"], "llrl")


def memory_size(nbytes):
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if nbytes / 1024 < 1:
            return f"{nbytes:.2f} {unit}"
        nbytes /= 1024
    return f"{nbytes:.2f} PB"


def _wrap(text, width):
    """Word-wrap ``text`` to ``width``; a word longer than a line ends in an ellipsis."""
    lines, line = [], ""
    for word in text.split(" "):
        if len(word) > width:
            word = word[:width - 1] + "…"
        if line and len(line) + 1 + len(word) <= width:
            line += " " + word
        else:
            if line:
                lines.append(line)
            line = word
    lines.append(line)
    return lines


def _rule(widths, left, mid, right, fill):
    return left + mid.join(fill * w for w in widths) + right


def _row(cells, widths, align):
    wrapped = [_wrap(c, w - 2) for c, w in zip(cells, widths)]
    height = max(len(w) for w in wrapped)
    out = []
    for i in range(height):
        parts = []
        for lines, w, a in zip(wrapped, widths, align):
            text = lines[i] if i < len(lines) else ""
            parts.append(" " + (text.rjust(w - 2) if a == "r" else text.ljust(w - 2)) + " ")
        out.append("│" + "│".join(parts) + "│")
    return out


def _shape_text(outs):
    shapes = [t.shape for t in _flatten(outs)]
    if not shapes:
        return "?"
    texts = ["(" + ", ".join(str(d) for d in shape) + ")" for shape in shapes]  # (None) too
    return texts[0] if len(texts) == 1 else "[" + ", ".join(texts) + "]"


def _params(layer):
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
    if isinstance(layer, InputLayer):
        return "-"
    names = []
    for args, kwargs, _ in (n for n in layer._inbound if _in_model(model, n)):
        for t in _flatten(list(args)) + _flatten(dict(kwargs)):
            if hasattr(t, "_history"):
                src, node, index = t._history
                names.append(f"{src.name}[{node}][{index}]")
    return ", ".join(names)


def print_summary(model, line_length=None, positions=None, print_fn=None):
    from .model import Sequential
    print_fn = print_fn or print
    if isinstance(model, Sequential) or not hasattr(model, "_graph"):
        layers = model.layers
    else:
        layers = model._graph.layers
    widths, header, align = _SEQUENTIAL if _is_sequential_like(model, layers) else _GRAPH
    lines = [f'Model: "{model.name}"', _rule(widths, "┏", "┳", "┓", "━")]
    lines.append("┃" + "┃".join(" " + (h.rjust(w - 2) if a == "r" else h.ljust(w - 2)) + " "
                                  for h, w, a in zip(header, widths, align)) + "┃")
    lines.append(_rule(widths, "┡", "╇", "┩", "━"))
    for i, layer in enumerate(layers):
        nodes = [n for n in layer._inbound if _in_model(model, n)]
        outs = nodes[0][2] if nodes else None
        if isinstance(layer, InputLayer):
            outs = layer.output
        cells = [f"{layer.name} ({type(layer).__name__})",
                 _shape_text(outs) if outs is not None else "?", _params(layer)]
        if len(widths) == 4:
            cells.append(_connections(model, layer))
        if i:
            lines.append(_rule(widths, "├", "┼", "┤", "─"))
        lines.extend(_row(cells, widths, align))
    lines.append(_rule(widths, "└", "┴", "┘", "─"))
    text = "\n".join(lines)
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
    print_fn(text + "\n" + "\n".join(foot))
