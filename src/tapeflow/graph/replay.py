"""Run a traced graph's nodes through the ordinary op dispatch, on tensors.

Used where every op must be seen one by one: a tape outside a ``tf.function`` call (the call is
then differentiated through its ops), a function called while another is being traced (its ops
are inlined into the outer graph), and the gradients of control flow (a branch replayed under a
tape)."""

import numpy as np

from ..engine import core
from ..framework.tensor import convert_to_tensor, wrap


# Primitives that run differently on tensors when replayed (TensorArray list ops, whose lists
# then hold the tensors themselves): prim -> fn(tensors, attrs) -> output tensor.
ON_TENSORS = {}


def replay(graph, bindings, out_ids, skip_reads=False):
    """The tensors for ``out_ids`` given ``bindings`` (tensor id -> tensor) for the inputs
    (with ``skip_reads``, the Variable reads' outputs are bound too)."""
    env = dict(graph.captures)
    env.update(bindings)
    for node in graph.nodes:
        if skip_reads and node.kind == "read":
            continue
        args = [env[i] for i in node.inputs]
        if node.replay is not None:
            outs = node.replay(*args)
        elif node.prim in ON_TENSORS:
            outs = (ON_TENSORS[node.prim](args, node.attrs),)
        elif node.prim is not None:
            out = core.apply(node.prim, args, node.attrs)
            outs = out if node.multi else (out,)
        elif node.kind == "const":
            outs = (convert_to_tensor(node.attrs["value"]),)
        else:
            with np.errstate(all="ignore"):
                res = node.fwd(*[a._value for a in args], **node.attrs)
            outs = tuple(wrap(r) for r in res) if node.multi else (
                () if not node.outputs else (wrap(res),))
        for o, t in zip(node.outputs, outs):
            env[o] = t
    return [env[o] for o in out_ids]
