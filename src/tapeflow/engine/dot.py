"""A picture of what a tape recorded, as Graphviz DOT text (``tape.to_dot``).

Tensors are ellipses labelled with shape and dtype, ops are boxes labelled with TF's op type,
watched sources are shaded, and when a target is given the ops and tensors on a path from a
watched source to it are drawn in red. Reads only the array-free part of the record.
"""

import numpy as np


from ..framework.variable import Variable


def _entries(tape):
    if tape._entries is not None:
        return [e[:5] for e in tape._entries]
    return tape._notes.graph or [] if tape._notes is not None else []


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


def to_dot(tape, target=None):
    entries = _entries(tape)
    watched = tape._notes.watched if tape._notes is not None else set()
    variables = tape._variables or {}
    produced = {o: meta for e in entries for o, meta in zip(e[3], e[4]) if o is not None}
    leaves = {}
    for e in entries:
        for i, shape in zip(e[1], e[2]):
            if i is not None and i not in produced:
                leaves.setdefault(i, shape)
    if target is not None:
        tid = target._handle.id if isinstance(target, Variable) else target._id
        sources = [i for i in leaves if i in watched]
        path_ids, path_ops = _on_path(entries, sources, tid)
    else:
        tid, path_ids, path_ops = None, set(), set()

    red = ', color="#c0392b", fontcolor="#c0392b", penwidth=2'
    lines = ["digraph tape {", "  rankdir=LR;",
             '  node [fontname="Helvetica", fontsize=10];',
             '  edge [color="#555555"];']
    for i, shape in leaves.items():
        var = variables.get(i)
        name = f"{var.name}\\n" if var is not None else ""
        dtype = var.dtype.as_numpy_dtype if var is not None else None
        style = ', style=filled, fillcolor="#d6eaf8"' if i in watched else ""
        mark = red if i in path_ids else ""
        lines.append(f'  t{i} [label="{name}{_label(shape, dtype)}", shape=ellipse{style}{mark}];')
    for o, (shape, dtype) in produced.items():
        mark = red if o in path_ids or o == tid else ""
        shape_attr = "doubleoctagon" if o == tid else "ellipse"
        lines.append(f'  t{o} [label="{_label(shape, dtype)}", shape={shape_attr}{mark}];')
    for k, (prim, in_ids, _, out_ids, _) in enumerate(entries):
        mark = red if k in path_ops else ""
        lines.append(f'  op{k} [label="{prim.name}", shape=box, style=rounded{mark}];')
        for i in in_ids:
            if i is not None:
                edge = red if k in path_ops and i in path_ids else ""
                lines.append(f"  t{i} -> op{k}{' [' + edge[2:] + ']' if edge else ''};")
        for o in out_ids:
            if o is not None:
                edge = red if k in path_ops else ""
                lines.append(f"  op{k} -> t{o}{' [' + edge[2:] + ']' if edge else ''};")
    lines.append("}")
    return "\n".join(lines) + "\n"


