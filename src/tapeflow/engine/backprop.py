"""The backward walk: one place for seeding, pruning, rule staging, unbroadcast and accumulation.

Rules run on raw NumPy values when nothing could record them (no other recorder active), and on
Tensors otherwise: then the rule ops are themselves recorded by the outer tapes, which is how
nested tapes give higher derivatives. The same rule text serves both modes.
"""

import numpy as np

from ..framework.tensor import Tensor, wrap
from ..framework.variable import Variable
from .core import Primitive, Unsaved, state

# A variable read is an identity from the variable's fixed id to a fresh tensor.
READ = Primitive("ReadVariableOp", lambda x: x, save=())
READ.defvjp(lambda g, ans, x: g)
READ.defjvp(lambda t, ans, x: t)

# Kernels the engine needs; tapeflow.ops fills them in (the engine must not import the op library).
kernels = {}


def shape_of(x):
    """The shape tuple of a Tensor, an array or an :class:`Unsaved` stand-in."""
    return x._value.shape if isinstance(x, Tensor) else x.shape


def unbroadcast(g, shape):
    """Sum ``g`` down to ``shape``: the only place broadcasting is undone."""
    gshape = shape_of(g)
    lead = len(gshape) - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(shape) if n == 1 and gshape[lead + i] != 1)
    if axes:
        g = kernels["reduce_sum"](g, axes, False)
    if shape_of(g) != tuple(shape):
        g = kernels["reshape"](g, tuple(shape))
    return g


def _source_id(s):
    if isinstance(s, Tensor):
        return s._id
    if isinstance(s, Variable):
        return s._handle.id
    raise AttributeError(f"'{type(s).__name__}' object has no attribute '_id'")


def _value_of(s):
    return s._value if isinstance(s, Tensor) else s._handle.value


def gradients(entries, targets, sources, output_gradients, zero_unconnected):
    """Gradients of the sum of ``targets`` w.r.t. each source (flat lists), as Tensors or None."""
    tensor_mode = bool(state.stack)  # someone could record the rule ops: run rules on Tensors
    source_ids = [_source_id(s) for s in sources]
    grads = {}
    for i, t in enumerate(targets):
        if not isinstance(t, Tensor | Variable):
            raise AttributeError(f"'{type(t).__name__}' object has no attribute 'dtype'")
        value = _value_of(t)
        if value.dtype.kind not in "fc":
            continue
        seed = None if output_gradients is None else output_gradients[i]
        seed = _seed(t, value, seed, tensor_mode)
        tid = _source_id(t)
        prev = grads.get(tid)
        grads[tid] = seed if prev is None else prev + seed

    if entries:
        walk(entries[:len(entries)], grads, set(source_ids), tensor_mode)

    out = []
    for s, sid in zip(sources, source_ids):
        value = _value_of(s)
        g = grads.get(sid) if value.dtype.kind in "fc" else None
        if g is None:
            out.append(wrap(np.zeros_like(value)) if zero_unconnected else None)
            continue
        if not isinstance(g, Tensor):
            g = wrap(np.asarray(g, dtype=value.dtype) if g.dtype != value.dtype else g)
        elif g._value.dtype != value.dtype:
            g = kernels["cast"](g, value.dtype)
        out.append(g)
    return out


def _seed(target, value, seed, tensor_mode):
    from ..framework.tensor import convert_to_tensor
    if seed is None:
        ones = np.ones_like(value)
        return wrap(ones) if tensor_mode else ones
    seed = convert_to_tensor(seed, dtype=target.dtype)
    return seed if tensor_mode else seed._value


def walk(entries, grads, source_ids, tensor_mode):
    """Propagate the cotangents in ``grads`` (id -> value) backwards through ``entries``."""
    reach = source_ids          # ids downstream of a source: only these need a cotangent
    kept = []
    for e in entries:
        for i in e[1]:
            if i in reach:
                kept.append(e)
                reach.update(e[3])
                break
    for prim, in_ids, in_shapes, out_ids, inputs, outputs, attrs in reversed(kept):
        if prim.multi:
            gs = [grads.get(o) for o in out_ids]
            if all(g is None for g in gs):
                continue
            g = tuple(_zeros_like(o, tensor_mode) if gi is None else gi for gi, o in zip(gs, outputs))
        else:
            g = grads.get(out_ids[0])
            if g is None:
                continue
        rules = prim.vjps
        if rules is None:
            raise LookupError(f"gradient registry has no entry for: {prim.name}")
        if tensor_mode:
            args = inputs
            ans = None if outputs is None else (outputs if prim.multi else outputs[0])
        else:
            args = None if inputs is None else [t._value for t in inputs]
            ans = None if outputs is None else (
                tuple(o._value for o in outputs) if prim.multi else outputs[0]._value)
        if args is None:
            args = [Unsaved(s, None) for s in in_shapes]
        for i, iid in enumerate(in_ids):
            if iid is None or iid not in reach:
                continue
            gi = rules[i](g, ans, *args, **attrs)
            if gi is None:
                continue
            if shape_of(gi) != in_shapes[i]:
                gi = unbroadcast(gi, in_shapes[i])
            prev = grads.get(iid)
            grads[iid] = gi if prev is None else prev + gi


def _zeros_like(t, tensor_mode):
    z = np.zeros_like(t._value)
    return wrap(z) if tensor_mode else z
