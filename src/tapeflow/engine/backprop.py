"""The backward walk: one place for seeding, pruning, rule staging, unbroadcast and accumulation.

Rules run on raw NumPy values when nothing could record them (no other recorder active), and on
Tensors otherwise: then the rule ops are themselves recorded by the outer tapes, which is how
nested tapes give higher derivatives. The same rule text serves both modes.
"""

import contextlib

import numpy as np

from ..framework.tensor import EagerTensor, Tensor, tape_id, value_of, wrap
from ..framework import errors
from . import numerics
from .core import Primitive, Unsaved, state, user_location

# A variable read is an identity from the variable's fixed id to a fresh tensor (batched: its
# rule passes a jacobian's extra leading axes through, so Variables take the vectorized path).
READ = Primitive("ReadVariableOp", lambda x: x, save=(), batched=True)
READ.defvjp(lambda g, ans, x: g)
READ.defjvp(lambda t, ans, x: t)

# Kernels the engine needs; tapeflow.ops fills them in (the engine must not import the op library).
kernels = {}


def shape_of(x):
    """The shape tuple of a Tensor, an array or an :class:`Unsaved` stand-in."""
    return x._value.shape if isinstance(x, Tensor) else x.shape


def unbroadcast(g, shape):
    """Sum ``g`` down to ``shape``: the only place broadcasting is undone.

    The first ``state.batch`` axes of ``g`` (a vectorized jacobian's rows) are kept.
    """
    batch = state.batch
    gshape = shape_of(g)
    lead = len(gshape) - batch - len(shape)
    # Size-1 axes are summed with keepdims and the extra leading ones without: no reshape to a
    # shape known only from the example, so a traced graph stays right for other sizes.
    ones = tuple(batch + lead + i for i, n in enumerate(shape)
                 if n == 1 and gshape[batch + lead + i] != 1)
    if ones:
        g = kernels["reduce_sum"](g, ones, True)
    if lead > 0:
        g = kernels["reduce_sum"](g, tuple(range(batch, batch + lead)), False)
    target = gshape[:batch] + tuple(shape)
    if shape_of(g) != target:  # a rule's cotangent of another rank (a scalar for shape (1,))
        g = kernels["reshape"](g, target)
    return g


def _may_hide_a_broadcast(g, x):
    """Whether a traced graph's cotangent ``g`` has an unknown size where the input ``x`` has a
    (static) 1: the example (a None dim traced at size 1) may hide the broadcast that other
    sizes make when the graph runs, so the sum is decided then (TF's BroadcastGradientArgs)."""
    if x.shape.rank is None or g.shape.rank is None:
        return False
    xs, gs = x.shape.as_list(), g.shape.as_list()
    lead = len(gs) - len(xs)
    return lead >= 0 and any(n == 1 and gs[lead + k] is None for k, n in enumerate(xs))


@contextlib.contextmanager
def batch_axes(n):
    """Run rules with ``n`` extra leading cotangent axes."""
    saved = state.batch
    state.batch = n
    try:
        yield
    finally:
        state.batch = saved


def _as_source_dtype(g, value):
    """A cotangent as a Tensor in the source's dtype (the real part for a real source)."""
    if not isinstance(g, Tensor):
        return wrap(g if g.dtype == value.dtype else _np_cast(g, value.dtype))
    if g._value.dtype != value.dtype:
        return kernels["cast"](g, value.dtype)
    return g


def _np_cast(g, dtype):
    if g.dtype.kind == "c" and dtype.kind != "c":
        g = g.real
    return np.asarray(g, dtype=dtype)


def gradients(entries, targets, sources, output_gradients, zero_unconnected, watched):
    """Gradients of the sum of ``targets`` w.r.t. each source (flat lists), as Tensors or None."""
    # Rules run on Tensors when someone could record their ops (or NaNs are being hunted).
    tensor_mode = bool(state.stack) or numerics.enabled()
    source_ids = [tape_id(s) for s in sources]
    grads = {}
    for i, t in enumerate(targets):
        tid = tape_id(t)  # first: TF's AttributeError for what is no tensor
        value = value_of(t)
        if value.dtype.kind not in "fcV":
            continue
        # TF pairs targets with output_gradients by position: missing ones default to ones,
        # extra ones are ignored
        if output_gradients is None or i >= len(output_gradients):
            if tensor_mode and isinstance(t, Tensor) and type(t) is not EagerTensor:
                seed = kernels["ones_like"](t)  # a traced graph's target: its run-time shape
            else:
                seed = _ones(value)
                seed = wrap(seed) if tensor_mode else seed
        else:
            seed = _seed(entries, tid, value, output_gradients[i], tensor_mode)
        prev = grads.get(tid)
        grads[tid] = seed if prev is None else prev + seed

    if entries:
        # Only sources this tape watches receive gradients through recorded ops (TF: an unwatched
        # input of a recorded op gets None).
        kept, reach = prune(entries, set(source_ids) & watched)
        propagate(kept, reach, grads, tensor_mode, set(source_ids))

    out = []
    for s, sid in zip(sources, source_ids):
        value = value_of(s)
        g = grads.get(sid) if value.dtype.kind in "fcV" else None
        if g is None:
            out.append(wrap(np.zeros_like(value)) if zero_unconnected else None)
        else:
            out.append(_as_source_dtype(g, value))
    return out


_last_ones = [None]


def _ones(value):
    """The default output gradient: ones shaped like ``value``, read-only and kept from one call
    to the next (a large one costs a fresh allocation and a write of every element otherwise)."""
    ones = _last_ones[0]
    if ones is None or ones.shape != value.shape or ones.dtype != value.dtype:
        ones = np.ones_like(value)
        ones.flags.writeable = False
        _last_ones[0] = ones
    return ones


def _seed(entries, tid, value, seed, tensor_mode):
    """An explicit output gradient, checked as the target's own op would check it in TF (the
    first backward op multiplies or reshapes with it)."""
    from ..framework.tensor import convert_to_tensor
    if seed is None:  # TF 2.21 rejects a None entry in output_gradients
        raise ValueError("Attempt to convert a value (None) with an unsupported type "
                         "(<class 'NoneType'>) to a Tensor.")
    seed = convert_to_tensor(seed)
    given = seed._value
    if given.dtype != value.dtype or given.shape != value.shape:
        op = next((e[0].name for e in reversed(entries or ()) if tid in e[3]), None)
        if op is not None:
            _check_seed(op, given, value)
        given = np.array(np.broadcast_to(given, value.shape))  # a scalar seeds every element
        seed = wrap(given)
    return seed if tensor_mode else given


def _check_seed(op, given, value):
    from ..framework.dtypes import from_numpy
    if given.dtype != value.dtype:
        raise errors.op_error(op, f"cannot compute {op} as input #1(zero-based) was expected to "
                              f"be a {from_numpy(given.dtype)._op_name} tensor but is a "
                              f"{from_numpy(value.dtype)._op_name} tensor")
    try:
        shape = np.broadcast_shapes(given.shape, value.shape)
    except ValueError:
        a, b = (",".join(map(str, sh)) for sh in (given.shape, value.shape))
        raise errors.op_error(op, f"Incompatible shapes: [{a}] vs. [{b}]", kernel=True) from None
    if shape != value.shape:  # summed back down by a reshape that cannot fit it
        raise errors.op_error("Reshape", f"Input to reshape is a tensor with {int(np.prod(shape))} "
                              f"values, but the requested shape has {value.size}", kernel=True)


def prune(entries, source_ids):
    """The entries with an input downstream of a source, and the ids downstream of the sources.

    ``entries[:len(entries)]``-style snapshot semantics: a persistent tape differentiated inside
    its own context appends the rule ops to the list being walked, and those must be ignored.
    """
    reach = set(source_ids)
    kept = []
    for e in entries[:len(entries)]:
        for i in e[1]:
            if i in reach:
                kept.append(e)
                reach.update(e[3])
                break
    return kept, reach


def propagate(kept, reach, grads, tensor_mode, keep):
    """Push the cotangents in ``grads`` (id -> value) backwards through ``kept`` entries.

    An output's cotangent is dropped once its op is done (nothing earlier adds to it), unless its
    id is in ``keep`` (the sources): the backward pass holds one layer's cotangents, not all.
    """
    batch = state.batch
    with np.errstate(all="ignore"):  # like the forwards: inf/nan silently, as TF
        for prim, in_ids, in_shapes, out_ids, _meta, inputs, outputs, attrs in reversed(kept):
            if prim.multi:
                gs = [grads.get(o) for o in out_ids]
                if all(g is None for g in gs):
                    continue
                g = tuple(_zeros_like(o, gs, tensor_mode) if gi is None else gi
                          for gi, o in zip(gs, outputs))
            else:
                g = grads.get(out_ids[0])
                if g is None:
                    continue
            rules = prim.vjps
            if rules is None:
                raise LookupError(f"gradient registry has no entry for: {prim.name}")
            as_tensors = tensor_mode or prim.tensor_rules
            if as_tensors:
                args = inputs
                ans = None if outputs is None else (outputs if prim.multi else outputs[0])
                if not tensor_mode:
                    g = tuple(map(wrap, g)) if prim.multi else wrap(g)
            else:
                args = None if inputs is None else [t._value for t in inputs]
                ans = None if outputs is None else (
                    tuple(o._value for o in outputs) if prim.multi else outputs[0]._value)
            if args is None:
                args = [Unsaved(s, None) for s in in_shapes]
            if prim.joint:
                joint = rules[0](g, ans, *args, **attrs)  # custom gradients: errors propagate
            for i, iid in enumerate(in_ids):
                if iid is None or iid not in reach:
                    continue
                try:
                    gi = joint[i] if prim.joint else rules[i](g, ans, *args, **attrs)
                except errors.InvalidArgumentError as e:
                    if numerics.enabled():
                        raise numerics.in_gradient_of(prim.name, user_location(), e) from None
                    raise
                except MemoryError as e:
                    raise errors.out_of_memory(prim.name, e) from None
                if gi is None:
                    continue
                if as_tensors:
                    if not tensor_mode:
                        gi = gi._value
                        gshape = gi.shape
                    else:
                        gshape = gi._value.shape
                        if type(gi) is not EagerTensor and inputs is not None and not batch \
                                and _may_hide_a_broadcast(gi, inputs[i]):  # traced
                            gi = kernels["unbroadcast_like"](gi, inputs[i])
                            gshape = gi._value.shape
                else:
                    gshape = gi.shape
                if (gshape[batch:] if batch else gshape) != in_shapes[i]:
                    gi = unbroadcast(gi, in_shapes[i])
                prev = grads.get(iid)
                grads[iid] = gi if prev is None else prev + gi
            for o in out_ids:
                if o not in keep:
                    grads.pop(o, None)


def _zeros_like(out, gs, tensor_mode):
    """Zeros for a multi-output op's output that received no cotangent (batch axes included)."""
    if tensor_mode and not state.batch and type(out) is not EagerTensor:
        return kernels["zeros_like"](out)  # a traced graph's output: its run-time shape
    lead = next(shape_of(g) for g in gs if g is not None)[:state.batch]
    z = np.zeros(lead + out._value.shape, out._value.dtype)
    return wrap(z) if tensor_mode else z


# --- jacobians ------------------------------------------------------------------------------------

def _rows(kept, reach, target_id, seeds, source_ids, tensor_mode, vectorize):
    """Backpropagate each row of ``seeds`` (shape (n, *target)): one batched pass when every op
    on the path has batch-aware rules (and ``vectorize``), else one pass per row. Returns, per
    source, an (n, *source) array/Tensor or None."""
    n = seeds.shape[0]
    keep = set(source_ids)
    if vectorize and all(e[0].batched for e in kept):
        grads = {target_id: wrap(seeds) if tensor_mode else seeds}
        with batch_axes(1):
            propagate(kept, reach, grads, tensor_mode, keep)
        return [grads.get(sid) for sid in source_ids]
    rows = [[] for _ in source_ids]
    for k in range(n):
        grads = {target_id: wrap(seeds[k]) if tensor_mode else seeds[k]}
        propagate(kept, reach, grads, tensor_mode, keep)
        for r, sid in zip(rows, source_ids):
            r.append(grads.get(sid))
    out = []
    for r in rows:
        if all(g is None for g in r):
            out.append(None)
            continue
        like = next(g for g in r if g is not None)
        r = [kernels["zeros_like"](like) if g is None else g for g in r]
        out.append(kernels["stack"](r) if tensor_mode else np.stack(r))
    return out


def jacobian(entries, target, sources, watched, zero_unconnected, vectorize):
    """Per source, d target / d source with shape ``target.shape + source.shape`` (or None)."""
    if state.graph is not None and not target.shape.is_fully_defined():
        # a traced target of unknown size: one backward pass per element, in a graph loop
        return kernels["graph_jacobian"](entries, target, sources, watched, zero_unconnected)
    tensor_mode = bool(state.stack)
    value = value_of(target)
    source_ids = [tape_id(s) for s in sources]
    n = value.size
    rows = [None] * len(sources)
    if value.dtype.kind in "fcV" and n:
        kept, reach = prune(entries, set(source_ids) & watched)
        seeds = np.eye(n, dtype=value.dtype).reshape((n,) + value.shape)
        rows = _rows(kept, reach, tape_id(target), seeds, source_ids, tensor_mode, vectorize)
    out = []
    for s, g in zip(sources, rows):
        sval = value_of(s)
        shape = value.shape + sval.shape
        if g is None or sval.dtype.kind not in "fcV":
            empty = n == 0 and sval.dtype.kind in "fcV"
            out.append(wrap(np.zeros(shape, sval.dtype)) if zero_unconnected or empty else None)
        else:
            out.append(_as_source_dtype(kernels["reshape"](g, shape), sval))
    return out


def batch_jacobian(entries, target, source, watched, vectorize):
    """d target[i] / d source[i] for each example i: shape ``(b,) + target[1:] + source[1:]``."""
    if state.graph is not None and not target.shape.is_fully_defined():
        return kernels["graph_jacobian"](entries, target, [source], watched, True, batch=True)[0]
    tensor_mode = bool(state.stack)
    value, sval = value_of(target), value_of(source)
    b, inner = value.shape[0], value.shape[1:]
    m = int(np.prod(inner))
    shape = (b,) + inner + sval.shape[1:]
    g = None
    if value.dtype.kind in "fcV" and sval.dtype.kind in "fcV" and m and b:
        source_id = tape_id(source)
        kept, reach = prune(entries, {source_id} & watched)
        # Row j is one-hot at element j of every example: the gradient of target[:, j] summed
        # over the batch, which is the per-example Jacobian row when examples are independent.
        eye = np.eye(m, dtype=value.dtype).reshape((m, 1) + inner)
        seeds = np.ascontiguousarray(np.broadcast_to(eye, (m, b) + inner))
        (g,) = _rows(kept, reach, tape_id(target), seeds, [source_id], tensor_mode, vectorize)
    if g is None:
        return wrap(np.zeros(shape, value.dtype))
    perm = (1, 0) + tuple(range(2, len(shape_of(g))))
    return _as_source_dtype(kernels["reshape"](kernels["transpose"](g, perm), shape), sval)
