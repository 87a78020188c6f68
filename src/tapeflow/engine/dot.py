"""A picture of what a tape recorded, as Graphviz DOT text (``tape.to_dot``).

Tensors are ellipses labelled with shape and dtype, ops are boxes labelled with TF's op type,
watched sources are shaded (Variables carry their name), constants are grey, and the places where
a watched value's gradient path was cut (non-differentiable ops, ``tf.stop_gradient``, NumPy,
``assign``) are dashed boxes. When a target is given it is drawn as a double octagon and the ops
and tensors on a path from a watched source to it are drawn in red. Reads only the array-free
part of the record, so it works after a non-persistent tape's ``gradient`` call too.
"""

import numpy as np

from ..framework.tensor import tape_id

_RED = 'color="#c0392b", fontcolor="#c0392b", penwidth=2'
_CUT_LABELS = {"numpy": "left for NumPy", "StopGradient": "tf.stop_gradient",
               "assign": "Variable assign"}


def _entries(tape):
    """(entries without arrays, id -> dtype of inputs the tape did not produce)."""
    notes = tape._notes
    if tape._entries is not None:
        return [e[:5] for e in tape._entries], notes.leaf_dtypes
    if notes is None or notes.graph is None:
        return [], {}
    return notes.graph, notes.leaf_dtypes


def _on_path(entries, sources, target_id):
    """Ids and entry indices that lie on a path from a source to the target."""
    down = set(sources)
    for in_ids, out_ids in ((e[1], e[3]) for e in entries):
        if any(i in down for i in in_ids):
            down.update(i for i in out_ids if i is not None)
    up = {target_id}
    ops = set()
    for k in range(len(entries) - 1, -1, -1):
        in_ids, out_ids = entries[k][1], entries[k][3]
        if any(o in up for o in out_ids) and any(i in down for i in in_ids):
            ops.add(k)
            up.update(i for i in in_ids if i in down)
    return up & down, ops


def _label(shape, dtype):
    shape_text = "(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"
    return shape_text if dtype is None else f"{shape_text} {np.dtype(dtype).name}"


def _quote(text):
    """A DOT string literal; ``\\n`` in ``text`` stays a line break."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _attrs(**kw):
    return ", ".join(f"{k}={v}" for k, v in kw.items())


def to_dot(tape, target=None):
    entries, dtypes = _entries(tape)
    notes = tape._notes
    watched = notes.watched if notes is not None else set()
    variables = tape._variables or {}
    produced = {o: meta for e in entries for o, meta in zip(e[3], e[4]) if o is not None}
    leaves = {}
    for e in entries:
        for i, shape in zip(e[1], e[2]):
            if i is not None and i not in produced:
                leaves.setdefault(i, shape)
    if target is not None:
        tid = tape_id(target)
        sources = [i for i in leaves if i in watched]
        path_ids, path_ops = _on_path(entries, sources, tid)
    else:
        tid, path_ids, path_ops = None, set(), set()

    lines = ["digraph tape {", "  rankdir=LR;",
             '  node [fontname="Helvetica", fontsize=10];',
             '  edge [color="#555555"];']

    def node(name, label, red, **kw):
        lines.append(f"  {name} [{_attrs(label=_quote(label), **kw)}{', ' + _RED if red else ''}];")

    def edge(a, b, red=False, **kw):
        attrs = ", ".join(x for x in (_attrs(**kw), _RED if red else "") if x)
        lines.append(f"  {a} -> {b}{' [' + attrs + ']' if attrs else ''};")

    for i, shape in leaves.items():
        var = variables.get(i)
        if var is not None:
            label = f"{var.name}\n{_label(shape, var.dtype.as_numpy_dtype)}"
        elif i in watched:
            label = f"watched\n{_label(shape, dtypes.get(i))}"
        else:
            label = f"constant\n{_label(shape, dtypes.get(i))}"
        if i in watched:
            style = dict(style="filled", fillcolor='"#d6eaf8"')
        else:
            style = dict(style="filled", fillcolor='"#eeeeee"', color='"#999999"',
                         fontcolor='"#555555"')
        node(f"t{i}", label, i in path_ids, shape="ellipse", **style)
    for o, (shape, dtype) in produced.items():
        if o == tid:
            node(f"t{o}", f"target\n{_label(shape, dtype)}", True, shape="doubleoctagon")
        else:
            node(f"t{o}", _label(shape, dtype), o in path_ids, shape="ellipse")
    for k, (prim, in_ids, _, out_ids, _) in enumerate(entries):
        on_path = k in path_ops
        node(f"op{k}", prim.name, on_path, shape="box", style="rounded")
        for i in in_ids:
            if i is not None:
                edge(f"t{i}", f"op{k}", on_path and i in path_ids)
        for o in out_ids:
            if o is not None:
                edge(f"op{k}", f"t{o}", on_path)
    # Where a watched value's gradient path ends: dashed boxes fed by the value that was cut.
    drawn = set(leaves) | set(produced)
    for k, cut in enumerate(notes.cuts if notes is not None else ()):
        kind, in_ids = cut[0], cut[1]
        if kind is None:
            continue
        sources = [i for i in in_ids if i in drawn]
        if not sources:
            continue
        text = _CUT_LABELS.get(kind, kind)
        node(f"cut{k}", f"{text}\n(no gradient)", False, shape="box",
             style='"rounded,dashed"', color='"#888888"', fontcolor='"#888888"')
        for i in sources:
            edge(f"t{i}", f"cut{k}", style="dashed", color='"#888888"')
    lines.append("}")
    return "\n".join(lines) + "\n"
