"""Horovod's collectives on tapeflow Tensors, as primitives with gradient rules.

The gradients follow Horovod's convention that the quantity differentiated is the sum of every
rank's loss: the gradient of an allreduce is an allreduce of the cotangents, of an allgather the
rank's own rows of their sum, of a broadcast their sum on the root (zeros elsewhere), and of an
alltoall the alltoall back. Min and Max send the summed cotangent to the ranks that hold the
extreme (split evenly between ties), Product to every factor times the product over it.
Rules call the primitives themselves, so an outer tape records them (second derivatives).
"""

import numpy as np

from ..engine.core import apply, primitive
from ..framework.tensor import Tensor, convert_to_tensor
from ..framework.variable import Variable
from ..ops import _k
from ..ops.array_ops import RANGE
from ..ops.index_ops import GATHER
from ..ops.math_ops import EQUAL, WHERE
from . import comm
from .comm import Average, Max, Min, Product, Sum


def _allreduce_forward(x, op, prescale, postscale, name):
    return comm.allreduce_arrays([x], op, prescale, postscale, name)[0]


def _reduced_share(g, ans, x, op, name):
    """Min/Max/Product: the summed cotangent, routed to where the result came from."""
    summed = ALLREDUCE(g, op=Sum, prescale=1.0, postscale=1.0, name=name + "/grad")
    if op == Product:
        return summed * ans / x
    hit = WHERE(EQUAL(x, ans), _k.ones_like(x), _k.zeros_like(x))
    ties = ALLREDUCE(hit, op=Sum, prescale=1.0, postscale=1.0, name=name + "/grad_ties")
    return summed * hit / WHERE(EQUAL(ties, _k.zeros_like(ties)), _k.ones_like(ties), ties)


def _allreduce_grad(g, ans, x, op, prescale, postscale, name):
    if op in (Min, Max, Product):
        return _reduced_share(g, ans, x, op, name)
    return ALLREDUCE(g, op=op, prescale=prescale, postscale=postscale, name=name + "/grad")


ALLREDUCE = primitive("HorovodAllreduce", _allreduce_forward).defvjp(_allreduce_grad)


def _grouped_forward(*xs, op, prescale, postscale, name):
    return tuple(_reduce_group(list(xs), op, prescale, postscale, name))


def _per_dtype(arrays, name, collective):
    """Run ``collective(arrays, bucket name, tensor names)`` once per dtype (in the same order on
    every rank); its results, back in the input order."""
    out = [None] * len(arrays)
    by_dtype = {}
    for i, a in enumerate(arrays):
        by_dtype.setdefault(a.dtype.str, []).append(i)
    for key in sorted(by_dtype):
        idx = by_dtype[key]
        results = collective([arrays[i] for i in idx], f"{name}[{key}]",
                             [f"{name}.{i}" for i in idx])
        for i, r in zip(idx, results):
            out[i] = r
    return out


def _reduce_group(arrays, op, prescale, postscale, name):
    """One negotiated, fused collective per dtype; results in the input order."""
    return _per_dtype(arrays, name, lambda group, bucket, names: comm.allreduce_arrays(
        group, op, prescale, postscale, bucket, names))


def _grouped_grad(gs, ans, *xs, op, prescale, postscale, name):
    if op in (Min, Max, Product):
        return [_reduced_share(g, a, x, op, f"{name}.{i}")
                for i, (g, a, x) in enumerate(zip(gs, ans, xs))]
    return GROUPED_ALLREDUCE(*gs, op=op, prescale=prescale, postscale=postscale,
                             name=name + "/grad")


GROUPED_ALLREDUCE = primitive("HorovodGroupedAllreduce", _grouped_forward, multi=True)
GROUPED_ALLREDUCE.defvjp(_grouped_grad)
GROUPED_ALLREDUCE.joint = True  # one rule, one fused collective, for all inputs


def _allgather_forward(x, name):
    """The gathered rows, and where this rank's start and how many they are: the counts are
    exchanged when the op runs (a traced graph's first dimension may change between calls)."""
    rows = comm.allgather_counts(x, name)
    start = sum(rows[:comm.rank()])
    return comm.allgatherv(x, rows, name), np.array([start, start + rows[comm.rank()]], np.int64)


def _allgather_grad(g, ans, x, name):
    summed = ALLREDUCE(g[0], op=Sum, prescale=1.0, postscale=1.0, name=name + "/grad")
    bounds = ans[1]  # this rank's rows of the sum, read when the gradient runs
    return GATHER(summed, RANGE(bounds[0], bounds[1], _k.ones_like(bounds[0])), axis=0,
                  batch_dims=0)


ALLGATHER = primitive("HorovodAllgather", _allgather_forward, multi=True,
                      save=("inputs",)).defvjp(_allgather_grad)


def _broadcast_grad(g, ans, x, root_rank, name):
    summed = ALLREDUCE(g, op=Sum, prescale=1.0, postscale=1.0, name=name + "/grad")
    # Zeros that still depend on the sum: an outer tape then reaches this allreduce on every
    # rank (a rank whose result were a constant would skip its gradient: a collective missing).
    return summed if comm.rank() == root_rank else summed * _k.zeros_like(summed)


BROADCAST = primitive("HorovodBroadcast", lambda x, root_rank, name: comm.broadcast_array(
    x, root_rank, name, negotiated=True), save=()).defvjp(_broadcast_grad)

def _alltoall_forward(x, *splits, name):
    """The rows received, and how many from each rank: the counts are exchanged when the op
    runs (``splits``, an input when given, may be a traced graph's tensor)."""
    sent, received = comm.alltoall_counts(x, splits[0] if splits else None, name)
    return comm.alltoallv(x, sent, received, name), np.array(received, np.int32)


# The gradient sends each cotangent row back where it came from: the received counts split it.
ALLTOALL = primitive("HorovodAlltoall", _alltoall_forward, multi=True, save=()).defvjp(
    lambda g, ans, x, *splits, name: ALLTOALL(g[0], ans[1], name=name + "/grad")[0], None)


# --- public functions (horovod.tensorflow's signatures) ------------------------------------------

def _tensor(x):
    return convert_to_tensor(x)


def _op_and_scales(op, average, prescale_factor, postscale_factor):
    if average is not None:
        if op is not None:
            raise ValueError("The op parameter supersedes average. Please provide only one of "
                             "them.")
        op = Average if average else Sum
    op = Average if op is None else op
    if op not in (Average, Sum, Min, Max, Product):
        raise ValueError(f"Unsupported reduction op {comm._OP_NAMES.get(op, op)} in "
                         "tapeflow.horovod (Average, Sum, Min, Max, Product)")
    return op, float(prescale_factor), float(postscale_factor)


def allreduce(tensor, average=None, device_dense="", device_sparse="", compression=None,
              op=None, prescale_factor=1.0, postscale_factor=1.0, name=None, process_set=None,
              ignore_name_scope=False):
    """The reduction of ``tensor`` over all ranks (by default their average)."""
    op, pre, post = _op_and_scales(op, average, prescale_factor, postscale_factor)
    x = _tensor(tensor)
    name = name or comm.auto_name("allreduce")
    if compression is not None:
        x, ctx = compression.compress(x)
        y = apply(ALLREDUCE, (x,), {"op": op, "prescale": pre, "postscale": post, "name": name})
        return compression.decompress(y, ctx)
    return apply(ALLREDUCE, (x,), {"op": op, "prescale": pre, "postscale": post, "name": name})


def grouped_allreduce(tensors, average=None, device_dense="", device_sparse="",
                      compression=None, op=None, prescale_factor=1.0, postscale_factor=1.0,
                      name=None, process_set=None):
    """Reduce a list of tensors together: one fused collective per dtype."""
    op, pre, post = _op_and_scales(op, average, prescale_factor, postscale_factor)
    xs = [_tensor(t) for t in tensors]
    if not xs:
        return []
    name = name or comm.auto_name("grouped_allreduce")
    ctxs = None
    if compression is not None:
        pairs = [compression.compress(x) for x in xs]
        xs, ctxs = [p[0] for p in pairs], [p[1] for p in pairs]
    ys = list(apply(GROUPED_ALLREDUCE, tuple(xs), {"op": op, "prescale": pre, "postscale": post,
                                                   "name": name}))
    if ctxs is not None:
        ys = [compression.decompress(y, c) for y, c in zip(ys, ctxs)]
    return ys


def allgather(tensor, name=None, ignore_name_scope=False, process_set=None):
    """Every rank's ``tensor`` concatenated along the first axis (its size may differ)."""
    x = _tensor(tensor)
    if x._value.ndim == 0:
        raise ValueError("allgather needs a tensor of rank 1 or more")
    name = name or comm.auto_name("allgather")
    return apply(ALLGATHER, (x,), {"name": name})[0]


def broadcast(tensor, root_rank, name=None, ignore_name_scope=False, process_set=None):
    """Rank ``root_rank``'s ``tensor`` on every rank."""
    x = _tensor(tensor)
    comm.check_root(root_rank)
    name = name or comm.auto_name("broadcast")
    comm.negotiate(comm.describe("broadcast", name, [x._value], root_rank=root_rank))
    return apply(BROADCAST, (x,), {"root_rank": int(root_rank), "name": name})


def alltoall(tensor, splits=None, name=None, ignore_name_scope=False, process_set=None):
    """Scatter slices of ``tensor`` (``splits[j]`` rows to rank j) and gather what the others
    send; returns ``(received tensor, received_splits)``."""
    x = _tensor(tensor)
    name = name or comm.auto_name("alltoall")
    if splits is None:
        comm.alltoall_splits(x._value, None)  # TF's errors now, not from inside the op
        return apply(ALLTOALL, (x,), {"name": name})
    splits = convert_to_tensor(splits) if isinstance(splits, Tensor | Variable) else \
        convert_to_tensor(np.asarray(splits, np.int32).reshape(-1))
    comm.alltoall_splits(x._value, splits._value)
    return apply(ALLTOALL, (x, splits), {"name": name})


def broadcast_variables(variables, root_rank, process_set=None, inplace=False):
    """Assign rank ``root_rank``'s values to ``variables`` on every rank (one collective per
    dtype: the values travel fused)."""
    variables = list(variables)
    comm.check_root(root_rank)
    if not variables:
        return
    values = [np.asarray(v._handle.value) for v in variables]
    fresh = _broadcast_arrays(values, root_rank, comm.auto_name("broadcast_variables"))
    for v, value in zip(variables, fresh):
        v.assign(value)


def _broadcast_arrays(arrays, root_rank, name):
    """Broadcast arrays fused: one buffer per dtype."""
    def fused(group, bucket, names):
        comm.negotiate(comm.describe("broadcast", bucket, group, names, root_rank=root_rank))
        flat = comm.broadcast_array(np.concatenate([a.reshape(-1) for a in group]), root_rank,
                                    bucket, negotiated=True)
        offsets = np.cumsum([0] + [a.size for a in group])
        return [flat[offsets[k]:offsets[k + 1]].reshape(a.shape) for k, a in enumerate(group)]

    return _per_dtype(arrays, name, fused)


def broadcast_object(obj, root_rank=0, name=None, process_set=None):
    return comm.broadcast_object(obj, root_rank, name)


def allgather_object(obj, name=None, process_set=None):
    return comm.allgather_object(obj, name)
