"""The layout TF's DTensor SPMD expansion gives an op's output, by op type, as recorded from TF
(tests/fixtures/dtensor/cases.json, case ``layout_*``). A rule takes the inputs' sharding specs
(all unsharded for a regular tensor), the inputs, the output's shape and the op's attributes;
it returns the output's specs, or None for a replicated output."""

import numpy as np

from ..framework import errors
from .layout import MATCH, UNSHARDED

_NONE = (UNSHARDED, MATCH)


def _merged(specs, inputs, shape, attrs):
    """Broadcasting ops: an output axis keeps the sharding its inputs agree on; a mesh
    dimension that the inputs use on different axes shards none."""
    rank = len(shape)
    chosen = [set() for _ in range(rank)]
    where = {}  # mesh dim -> output axes it shards in some input
    for t, in_specs in zip(inputs, specs):
        in_shape = t._value.shape
        offset = rank - len(in_shape)
        for i, spec in enumerate(in_specs):
            if spec not in _NONE and in_shape[i] == shape[offset + i]:
                chosen[offset + i].add(spec)
                where.setdefault(spec, set()).add(offset + i)
    return [s.pop() if len(s) == 1 and len(where[next(iter(s))]) == 1 else UNSHARDED
            for s in chosen]


def _matmul(specs, inputs, shape, attrs):
    """Rows from the left operand, columns from the right (both replicated when they use the
    same mesh dimension); a sharded contraction is summed over the mesh."""
    if len(shape) < 2:
        return None
    a, b = specs
    rows, cols = a[-2] if len(a) > 1 else UNSHARDED, b[-1] if len(b) > 1 else UNSHARDED
    if rows == cols:
        rows = cols = UNSHARDED
    batch = [UNSHARDED] * (len(shape) - 2)
    for operand in (a[:-2], b[:-2]):
        for i, s in enumerate(operand[::-1]):
            if s not in (rows, cols):
                batch[len(batch) - 1 - i] = s
    return batch + [rows, cols]


def _axes(attrs, rank):
    axis = attrs.get("axis")
    if axis is None:
        return set(range(rank))
    return {int(a) % max(rank, 1) for a in np.atleast_1d(axis)}


def _reduced(specs, inputs, shape, attrs):
    """Reductions drop the reduced axes (``keepdims``: unshard them)."""
    axes = _axes(attrs, len(specs[0]))
    if len(shape) == len(specs[0]):
        return [UNSHARDED if i in axes else s for i, s in enumerate(specs[0])]
    return [s for i, s in enumerate(specs[0]) if i not in axes]


def _groups(in_shape, out_shape):
    """Pairs (input axes, output axes) of equal products, size-1 axes left out."""
    ins = [i for i, d in enumerate(in_shape) if d != 1]
    outs = [i for i, d in enumerate(out_shape) if d != 1]
    groups, a, b = [], 0, 0
    while a < len(ins) and b < len(outs):
        ga, gb = [ins[a]], [outs[b]]
        pa, pb = in_shape[ins[a]], out_shape[outs[b]]
        a, b = a + 1, b + 1
        while pa != pb:
            if pa < pb:
                ga.append(ins[a])
                pa *= in_shape[ins[a]]
                a += 1
            else:
                gb.append(outs[b])
                pb *= out_shape[outs[b]]
                b += 1
        groups.append((ga, gb))
    return groups


def _reshaped(specs, inputs, shape, attrs):
    """An axis split in several keeps its sharding on the first; axes merged into one keep
    the first one's; new or removed size-1 axes are unsharded."""
    out = [UNSHARDED] * len(shape)
    for ga, gb in _groups(inputs[0]._value.shape, shape):
        if len(ga) == 1 or len(gb) == 1:
            out[gb[0]] = specs[0][ga[0]]
    return out


def _transposed(specs, inputs, shape, attrs):
    return [specs[0][p] for p in attrs["perm"]]


def _strided_slice(specs, inputs, shape, attrs):
    """Partly sliced axes are unsharded; with axes taken out by an index, TF keeps the first
    ``rank`` specs (not those of the axes that remain): it fails where they do not fit."""
    key = attrs["key"]
    key = key if isinstance(key, tuple) else (key,)
    if any(k is None or isinstance(k, np.ndarray | list) for k in key):
        return None
    in_shape = inputs[0]._value.shape
    if Ellipsis in key:
        at = key.index(Ellipsis)
        key = key[:at] + (slice(None),) * (len(in_shape) - len(key) + 1) + key[at + 1:]
    key = key + (slice(None),) * (len(in_shape) - len(key))
    out = list(specs[0])
    for i, k in enumerate(key):
        if isinstance(k, slice) and k.indices(in_shape[i]) != (0, in_shape[i], 1):
            out[i] = UNSHARDED
    return out[:len(shape)]


def _expand_dims(specs, inputs, shape, attrs):
    out = list(specs[0])
    for axis in sorted(int(a) % len(shape) for a in np.atleast_1d(attrs["axis"])):
        out.insert(axis, UNSHARDED)
    return out


def _squeeze(specs, inputs, shape, attrs):
    in_shape = inputs[0]._value.shape
    axes = attrs.get("axis")
    if axes is None or axes == ():
        dropped = {i for i, d in enumerate(in_shape) if d == 1}
    else:
        dropped = {int(a) % len(in_shape) for a in np.atleast_1d(axes)}
    return [s for i, s in enumerate(specs[0]) if i not in dropped]


def _along_axis_unsharded(specs, inputs, shape, attrs):
    """Concat and the cumulative ops: the sharding the inputs agree on, the op's axis
    unsharded."""
    out = []
    for i in range(len(shape)):
        found = {s[i] for s in specs if len(s) == len(shape)} - set(_NONE)
        out.append(found.pop() if len(found) == 1 else UNSHARDED)
    out[int(attrs["axis"]) % len(shape)] = UNSHARDED
    return out


def _gather(specs, inputs, shape, attrs):
    """The gathered axis becomes the indices' axes, unsharded."""
    axis = int(attrs.get("axis") or 0) % max(inputs[0]._value.ndim, 1)
    params = specs[0]
    return params[:axis] + [UNSHARDED] * inputs[1]._value.ndim + params[axis + 1:]


def _one_hot(specs, inputs, shape, attrs):
    out = list(specs[0])
    axis = attrs.get("axis", -1)
    out.insert(len(out) if axis == -1 else int(axis), UNSHARDED)
    return out


def _sparse_cross_entropy(specs, inputs, shape, attrs):
    """The batch axis sharded as the logits' or the labels' (the logits' first)."""
    logits, labels = specs[0], specs[1]
    batch = logits[0] if logits[0] not in _NONE else labels[0]
    return [batch] + [UNSHARDED] * (len(shape) - 1)


RULES = {"MatMul": _matmul, "BatchMatMulV2": _matmul, "BatchMatMulV3": _matmul,
         "Transpose": _transposed, "Reshape": _reshaped, "StridedSlice": _strided_slice,
         "ExpandDims": _expand_dims, "Squeeze": _squeeze, "ConcatV2": _along_axis_unsharded,
         "Cumsum": _along_axis_unsharded, "Cumprod": _along_axis_unsharded,
         "GatherV2": _gather, "OneHot": _one_hot,
         "SparseSoftmaxCrossEntropyWithLogits": _sparse_cross_entropy}
RULES.update(dict.fromkeys(("Sum", "Mean", "Max", "Min", "Prod", "All", "Any", "ArgMax",
                            "ArgMin", "EuclideanNorm"), _reduced))
_FAILING = {"StridedSlice": "strided_slice/"}  # TF raises where its layout does not fit


def output_specs(prim, inputs, specs, shape, attrs, mesh):
    """The sharding specs of an output of ``shape``: the op's rule, else the broadcasting
    rule for an output of the inputs' broadcast shape, else replicated."""
    rule = RULES.get(prim.name)
    out = None
    if rule is not None:
        try:
            out = rule(specs, inputs, shape, attrs)
        except (KeyError, TypeError, ValueError, IndexError):  # an op called in another form
            out = None
    else:
        try:
            if np.broadcast_shapes(*[t._value.shape for t in inputs]) == shape:
                out = _merged(specs, inputs, shape, attrs)
        except ValueError:
            pass
    if out is None or len(out) != len(shape):
        return [UNSHARDED] * len(shape)
    sharded = [s for s in out if s not in _NONE]
    out = [UNSHARDED if sharded.count(s) > 1 else s for s in out]  # a mesh dim shards one axis
    for i, (s, d) in enumerate(zip(out, shape)):
        if s not in _NONE and d % mesh.dim_size(s):
            if prim.name in _FAILING:
                raise errors.UnknownError(
                    None, None, "'tf.DTensorLayout' op requires dimension "
                    f"{i} to be divisible by sharding specified in DTensorLayout, but got "
                    f"dimension size={d} is not divisible by number of shards in layout for this "
                    f"dimension={mesh.dim_size(s)}. [Op:{prim.name}] name: {_FAILING[prim.name]}")
            return [UNSHARDED] * len(shape)
    return out
