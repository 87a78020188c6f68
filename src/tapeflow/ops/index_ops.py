"""Index-based ops: gather/scatter, boolean_mask, one_hot, sorting, top_k, segments, IndexedSlices.

Few primitives: gathers and scatters are transposes of each other (``GatherNd`` <-> ``ScatterNd``),
and most public ops are composites of them and of the slicing/reshape primitives of array_ops.
"""

import collections

import numpy as np

from ..engine.core import apply, not_differentiable, primitive
from ..framework import dtypes, errors
from ..framework.context import state
from ..framework.tensor import Tensor, convert_to_tensor, wrap
from ..framework.variable import Variable
from . import _k, math_ops
from ._helpers import (_INDEX_OPDEFS, _kind_name, axis_arg, check_kind, fallback, index_arg,
                       index_dtype_error, like, tensor)
from .array_ops import EXPAND_DIMS, cast, ones_like, reshape, transpose
from .manip_ops import _axis_value, _dims, _error, _int_list, clip_by_norm, concat
from .math_ops import EQUAL, GREATER_EQUAL, MAXIMUM, WHERE


# --- gather and scatter --------------------------------------------------------------------------

def _nd_key(indices):
    """The tuple of per-axis index arrays for nd indices of shape ``batch + [k]``."""
    return tuple(np.moveaxis(indices, -1, 0))


def _scatter_add(out, key, updates):
    """``out[key] += updates``, adding repeated positions (np.add.at, the slow path, only then)."""
    flat = np.ravel_multi_index(np.broadcast_arrays(*key), out.shape[:len(key)]).ravel()
    if np.unique(flat).size == flat.size:
        out[key] += updates
    else:
        np.add.at(out, key, updates)
    return out


def _scatter_nd_forward(indices, updates, shape):
    return _scatter_add(np.zeros(shape, updates.dtype), _nd_key(indices), updates)


def _tensor_scatter_update_forward(x, indices, updates):
    out = x.copy()
    out[_nd_key(indices)] = updates
    return out


def _tensor_scatter_add_forward(x, indices, updates):
    return _scatter_add(x.copy(), _nd_key(indices), updates)




def _gather_nd_grad(g, ans, params, indices):
    if _k.symbolic(params):  # a traced graph: params' shape when it runs
        return GATHER_ND_GRAD_LIKE(g, indices, params)
    return SCATTER_ND(indices, g, shape=_k.shape_of(params))


GATHER_ND = primitive("GatherNd", lambda params, indices: params[_nd_key(indices)],
                      save=("inputs",)).defvjp(_gather_nd_grad)
SCATTER_ND = primitive("ScatterNd", _scatter_nd_forward, save=("inputs",)).defvjp(
    None, lambda g, ans, indices, updates, shape: GATHER_ND(g, indices))
# A GatherNd's gradient with the shape of ``like`` (the params) read when a traced graph runs.
GATHER_ND_GRAD_LIKE = primitive(
    "GatherNdGradLike", lambda g, indices, like: _scatter_add(
        np.zeros(like.shape, g.dtype), _nd_key(indices), g), save=("inputs",)).defvjp(
    lambda gg, ans, g, indices, like: GATHER_ND(gg, indices), None, lambda *a, **k: None)
TENSOR_SCATTER_UPDATE = primitive("TensorScatterUpdate", _tensor_scatter_update_forward,
                                  save=("inputs",)).defvjp(
    lambda g, ans, x, indices, updates: TENSOR_SCATTER_UPDATE(g, indices, _k.zeros_like(updates)),
    None,
    lambda g, ans, x, indices, updates: GATHER_ND(g, indices))
TENSOR_SCATTER_ADD = primitive("TensorScatterAdd", _tensor_scatter_add_forward,
                               save=("inputs",)).defvjp(
    lambda g, ans, x, indices, updates: g,
    None,
    lambda g, ans, x, indices, updates: GATHER_ND(g, indices))


def _gather_key(shape, indices, axis, batch_dims):
    """Index arrays with ``params[key]`` equal to the gather (``shape`` is the params' shape).

    The batch and pre-``axis`` dimensions become explicit aranges.
    """
    lead = shape[:axis]
    inner = indices.shape[batch_dims:]
    idx = indices.reshape(indices.shape[:batch_dims] + (1,) * (axis - batch_dims) + inner)
    rest = len(lead) + len(inner)
    grids = tuple(np.arange(d).reshape((-1,) + (1,) * (rest - 1 - k)) for k, d in enumerate(lead))
    return grids + (idx,)


def _gather_forward(params, indices, axis, batch_dims):
    # Eagerly ``gather`` checks first; a graph's indices are checked here, when it runs (NumPy
    # would wrap negative ones around).
    if indices.size and indices.min() < 0:
        _check_range(indices, params.shape[axis], "GatherV2", None)
    try:
        if not batch_dims:
            return np.take(params, indices, axis=axis)
        return params[_gather_key(params.shape, indices, axis, batch_dims)]
    except IndexError:
        _check_range(indices, params.shape[axis], "GatherV2", None)
        raise


def _gather_grad_forward(g, indices, like, axis, batch_dims):
    """The gather's cotangent ``g`` added back into zeros of ``like``'s shape (the params', read
    when the op runs, so a traced graph serves every size)."""
    out = np.zeros(like.shape, g.dtype)
    if batch_dims:
        return _scatter_add(out, _gather_key(like.shape, indices, axis, batch_dims), g)
    key = (slice(None),) * axis + (indices,)
    if np.unique(indices).size == indices.size:
        out[key] = g
    else:  # repeated indices add up (np.add.at, the slow path, only then)
        np.add.at(out, key, g)
    return out


GATHER = primitive("GatherV2", _gather_forward, save=("inputs",)).defvjp(
    lambda g, ans, params, indices, axis, batch_dims: GATHER_GRAD(
        g, indices, params, axis=axis, batch_dims=batch_dims))
GATHER_GRAD = primitive("GatherV2Grad", _gather_grad_forward, save=("inputs",)).defvjp(
    lambda gg, ans, g, indices, like, axis, batch_dims: GATHER(
        gg, indices, axis=axis, batch_dims=batch_dims), None, lambda *a, **k: None)


def _indices(value, op_type, attr="Tindices", allowed="int16, int32, int64"):
    t = tensor(value)
    if t._value.dtype.kind not in "iu":
        if op_type in _INDEX_OPDEFS:  # with the OpDef TF quotes
            raise index_dtype_error(op_type, attr, t.dtype, "" if isinstance(
                value, float | Tensor | Variable) else None)
        kind = _kind_name(t._value.dtype)
        raise errors.op_error(op_type, f"Value for attr '{attr}' of {kind} is not in the list of "
                              f"allowed values: {allowed}")
    return t


def _bounds(t):
    """The dims index checks hold indices to: the example's, except that a traced tensor's
    unknown dims bound nothing (the example is a stand-in; the graph's kernel checks)."""
    return tuple(2**63 - 1 if d is None else d for d in _k.static_dims(t))


def _check_range(indices, n, op_type, name):
    bad = (indices < 0) | (indices >= n)
    if bad.any():
        pos = tuple(int(i) for i in np.argwhere(bad)[0])
        where = f"indices[{_dims(pos)}]" if pos else "indices"
        raise _error(op_type, f"{where} = {indices[pos]} is not in [0, {n})",
                     name=name if pos else "")


def _gather(params, indices, axis, batch_dims, name=None):
    params = tensor(params)
    indices = _indices(indices, "GatherV2")
    rank = params._value.ndim
    if batch_dims < 0:
        batch_dims += indices._value.ndim
    given = axis
    axis = batch_dims if axis is None else _axis_value(axis, "GatherV2", "Taxis", hint=False)
    if axis < 0:
        axis += rank
    if axis >= rank:
        raise _error("GatherV2", f"Shape must be at least rank {axis + 1} but is rank {rank}",
                     name=None if given is None else "")
    for i in range(min(batch_dims, rank, indices._value.ndim)):
        if params._value.shape[i] != indices._value.shape[i]:
            raise _error("GatherV2", f"params.shape[{i}]: {params._value.shape[i]} should be "
                         f"equal to indices.shape[{i}]: {indices._value.shape[i]}", name=None)
    if state.graph is None:  # a graph checks when it runs: an unused gather never fails
        _check_range(indices._value, _bounds(params)[axis], "GatherV2", name)
    return apply(GATHER, (params, indices), {"axis": axis, "batch_dims": batch_dims})


def gather(params, indices, validate_indices=None, axis=None, batch_dims=0, name=None):
    """``tf.gather``: slices of ``params`` along ``axis`` at ``indices`` (with ``batch_dims``)."""
    try:
        return _gather(params, indices, axis, int(batch_dims), name=None)
    except (TypeError, ValueError) as e:  # a RaggedTensor (see _helpers.fallback)
        return fallback(gather, e, params, indices, validate_indices, axis, batch_dims, name)


def _check_nd(indices, shape, op_type, what, suffix=""):
    if not indices.ndim:
        raise _error(op_type, "indices must be at least a vector")
    k = indices.shape[-1]
    if k > len(shape):
        if op_type == "GatherNd":
            raise _error(op_type, "index innermost dimension length must be <= params rank; "
                         f"saw: {k} vs. {len(shape)}", name=None)
        return  # the scatters report it as an updates shape mismatch (_check_updates)
    rows = indices.reshape(-1, k)
    bad = ((rows < 0) | (rows >= np.asarray(shape[:k], dtype=np.int64))).any(axis=1)
    if bad.any():
        i = int(np.argmax(bad))
        listed = ", ".join(str(int(v)) for v in rows[i])
        raise _error(op_type, f"indices[{i}] = [{listed}] does not index into {what} "
                     f"[{_dims(shape)}]{suffix}", name=None)


def gather_nd(params, indices, batch_dims=0, name=None):
    """``tf.gather_nd``: ``params`` at the index tuples in the last axis of ``indices``."""
    given = params
    try:
        params = tensor(params)
    except (TypeError, ValueError) as e:  # a RaggedTensor (see _helpers.fallback)
        return fallback(gather_nd, e, given, indices, batch_dims, name)
    indices = _indices(indices, "GatherNd")
    b = int(batch_dims)
    if b < 0:
        raise ValueError("tf.gather_nd does not allow negative batch_dims.")
    if b and b >= indices._value.ndim:
        raise ValueError(f"Argument `batch_dims` = {b} must be less than rank(`indices`) = "
                         f"{indices._value.ndim}")
    if b:
        # Prepend the batch coordinates so the plain nd gather (and its scatter) does the rest:
        # they depend on the shape alone, and are joined to the indices by an op (ConcatV2), so
        # a traced function keeps the indices an input instead of a value seen while tracing.
        idx = indices._value
        grids = np.meshgrid(*[np.arange(d) for d in idx.shape[:-1]], indexing="ij")[:b]
        indices = concat([wrap(np.stack(grids, -1).astype(idx.dtype)), indices], -1)
    _check_nd(indices._value, _bounds(params), "GatherNd", "param shape",
              ", node name: GatherNd")
    return apply(GATHER_ND, (params, indices), {})


def _check_updates(indices, updates, shape, op_type):
    k = indices.shape[-1]
    outer = indices.ndim - 1
    if k > len(shape):
        if op_type == "ScatterNd":
            raise _error(op_type, f"Dimensions [{k},{len(shape)}) of input[shape=[{_dims(shape)}]] "
                         f"must match dimensions [{outer},{updates.ndim}) of "
                         f"updates[shape=[{_dims(updates.shape)}]]", name=None)
        raise _error(op_type, "Inner dimensions of output shape must match inner dimensions of "
                     f"updates shape. Output: [{_dims(shape)}] updates: "
                     f"[{_dims(updates.shape)}]", name=None)
    expected = indices.shape[:-1] + tuple(shape[k:])
    if updates.shape != expected:
        raise _error(op_type, f"Dimensions [0,{outer}) of indices[shape=[{_dims(indices.shape)}]] "
                     f"must match dimensions [0,{outer}) of "
                     f"updates[shape=[{_dims(updates.shape)}]]",
                     name=None)


def scatter_nd(indices, updates, shape, name=None):
    """``tf.scatter_nd``: zeros of ``shape`` with ``updates`` added at ``indices`` (repeats add)."""
    indices = _indices(indices, "ScatterNd")
    updates = tensor(updates)
    shape = tuple(_int_list(shape))
    _check_nd(indices._value, shape, "ScatterNd", "shape")
    _check_updates(indices._value, updates._value, shape, "ScatterNd")
    return apply(SCATTER_ND, (indices, updates), {"shape": shape})


def _tensor_scatter(prim, tensor_, indices, updates):
    x = tensor(tensor_)
    indices = _indices(indices, prim.name)
    updates = convert_to_tensor(updates, x.dtype) if isinstance(updates, Tensor | Variable) else \
        like(updates, x)
    _check_nd(indices._value, _bounds(x), prim.name, "shape")
    _check_updates(indices._value, updates._value, x._value.shape, prim.name)
    return apply(prim, (x, indices, updates), {})


def tensor_scatter_nd_update(tensor, indices, updates, name=None):  # noqa: F811 - TF's name
    """``tf.tensor_scatter_nd_update``: a copy of ``tensor`` with ``updates`` written in."""
    return _tensor_scatter(TENSOR_SCATTER_UPDATE, tensor, indices, updates)


def tensor_scatter_nd_add(tensor, indices, updates, name=None):  # noqa: F811 - TF's name
    """``tf.tensor_scatter_nd_add``: a copy of ``tensor`` with ``updates`` added at ``indices``."""
    return _tensor_scatter(TENSOR_SCATTER_ADD, tensor, indices, updates)


def boolean_mask(tensor_, mask, axis=None, name="boolean_mask"):
    """``tf.boolean_mask``: the entries (or slices from ``axis`` on) where ``mask`` is True."""
    x = tensor(tensor_)
    mask = tensor(mask)
    m = np.asarray(mask._value, dtype=bool)
    if m.ndim == 0:
        raise ValueError("mask cannot be scalar.")
    axis = 0 if axis is None else _axis_value(axis) % max(x._value.ndim, 1)
    shape = x._value.shape
    part = shape[axis:axis + m.ndim]
    if part != m.shape:
        raise ValueError(f"Shapes {part} and {m.shape} are incompatible")
    if m.ndim == 1:
        flat = x
    elif _k.symbolic(x) and axis:  # the leading sizes when a traced graph runs
        from .array_ops import shape as shape_op
        flat = reshape(x, concat([shape_op(x)[:axis], [-1, *shape[axis + m.ndim:]]], 0))
    else:
        flat = reshape(x, shape[:axis] + (-1,) + shape[axis + m.ndim:])
    if mask._value.dtype.kind != "b":
        mask = cast(mask, dtypes.bool)
    hits = reshape(math_ops.where(reshape(mask, (-1,))), (-1,))  # ops, as in TF: no NumPy
    return apply(GATHER, (flat, hits), {"axis": axis, "batch_dims": 0})


# --- one_hot (not differentiable) ----------------------------------------------------------------

def _one_hot_forward(indices, on, off, depth, axis):
    hit = indices[..., None] == np.arange(depth)
    return np.moveaxis(np.where(hit, on, off), -1, axis)


ONE_HOT = not_differentiable(primitive("OneHot", _one_hot_forward, save=()))


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    """``tf.one_hot``: ``on_value`` where the new axis equals the index, else ``off_value``."""
    given = indices
    try:
        indices = _indices(indices, "OneHot", "TI", "uint8, int8, int32, int64")
    except (TypeError, ValueError) as e:  # a RaggedTensor (see _helpers.fallback)
        return fallback(one_hot, e, given, depth, on_value, off_value, axis, dtype, name)
    on = None if on_value is None else tensor(on_value)
    off = None if off_value is None else tensor(off_value)
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
        for label, v in (("on_value", on), ("off_value", off)):
            if v is not None and v.dtype is not dtype:
                raise TypeError(f"dtype {v.dtype} of {label} does not match dtype parameter "
                                f"{dtype}")
    elif on is not None and off is not None and on.dtype is not off.dtype:
        raise TypeError(f"dtype {on.dtype} of on_value does not match dtype {off.dtype} of "
                        f"off_value")
    if dtype is None:
        dtype = on.dtype if on is not None else off.dtype if off is not None else dtypes.float32
    np_dtype = dtype._np
    on = wrap(np.array(1, np_dtype)) if on is None else on
    off = wrap(np.array(0, np_dtype)) if off is None else off
    nd = indices._value.ndim + 1
    depth = axis_arg(depth, "OneHot", None)
    if depth < 0:
        raise _error("OneHot", f"depth must be non-negative, got: {depth}", name=None)
    if axis is not None and axis != -1 and not 0 <= axis < nd:
        raise _error("OneHot", f"Expected axis to be -1 or between [0, {nd}).  But received: "
                     f"{axis}", name=None)
    axis = nd - 1 if axis is None or axis == -1 else int(axis)
    return apply(ONE_HOT, (indices, on, off), {"depth": depth, "axis": axis})


# --- sorting (gathers of the sorted positions, so gradients scatter back) ------------------------

def _check_direction(direction):
    if direction not in ("ASCENDING", "DESCENDING"):
        raise ValueError("Argument `direction` should be one of ASCENDING, DESCENDING. Received: "
                         f"direction={direction}")


def _order_forward(values, descending):
    """Stable ordering along the last axis; ties keep the lower index first in both directions."""
    if descending:
        values = ~values if values.dtype.kind in "iu" else -values
    return np.argsort(values, axis=-1, kind="stable")


# The sorting positions, as a primitive (TF's TopKV2 indices output): no gradient of its own.
ORDER = not_differentiable(primitive("TopKV2", _order_forward, save=()))


def _order(x, descending):
    return apply(ORDER, (x,), {"descending": descending})


def _take_last(x, order):
    """``x``'s entries along its last axis at ``order`` (a differentiable gather)."""
    nd = x._value.ndim
    return apply(GATHER, (x, order), {"axis": nd - 1, "batch_dims": nd - 1})


def _sort_axis(x, axis):
    rank = x._value.ndim
    axis = int(axis)
    if not -rank <= axis < rank:
        raise _error("StridedSlice", f"slice index {axis} of dimension 0 out of bounds.",
                     name="strided_slice/")
    perm = list(range(rank))
    perm[axis % rank], perm[-1] = perm[-1], perm[axis % rank]
    return perm


def sort(values, axis=-1, direction="ASCENDING", name=None):
    """``tf.sort`` along ``axis`` (differentiable: the gradient goes back to each value's place)."""
    _check_direction(direction)
    x = tensor(values)
    check_kind(x, "fci", "Neg")  # TF sorts by top_k of -x: strings and unsigned fail there
    perm = _sort_axis(x, axis)
    moved = transpose(x, perm)
    out = _take_last(moved, _order(moved, direction == "DESCENDING"))
    return transpose(out, perm)


def argsort(values, axis=-1, direction="ASCENDING", stable=False, name=None):
    """``tf.argsort``: int32 positions that sort ``values`` (ties in index order; no gradient)."""
    _check_direction(direction)
    x = tensor(values)
    perm = _sort_axis(x, axis)
    order = _order(transpose(x, perm), direction == "DESCENDING")
    return cast(transpose(order, perm), dtypes.int32)


TopKV2 = collections.namedtuple("TopKV2", ["values", "indices"])


def _first_k(order, k):
    """The first ``k`` positions of each row's ordering (``top_k``'s k read when it runs)."""
    if k.ndim:
        raise _error("TopKV2", f"k must be 0-D, got shape [{_dims(k.shape)}]")
    k, n = int(k), order.shape[-1] if order.ndim else 0
    if k < 0:
        raise _error("TopKV2", f"Need k >= 0, got {k}")
    if k > n:
        raise _error("TopKV2", f"input must have at least k columns. Had {n}, needed {k}")
    return order[..., :k]


FIRST_K = not_differentiable(primitive("TopKFirst", _first_k, save=()))


def top_k(input, k=1, sorted=True, index_type=dtypes.int32, name=None):  # noqa: A002
    """``tf.math.top_k``: the ``k`` largest entries of the last axis and their positions.

    Ties go to the lower index. The result is always sorted (TF leaves the order unspecified when
    ``sorted=False``).
    """
    x = tensor(input)
    if not _k.trace_known(k):  # a graph's k known when it runs: an op takes the first k
        order = apply(FIRST_K, (_order(x, True), tensor(k)), {})
        return TopKV2(_take_last(x, order), cast(order, index_type))
    k = axis_arg(k, "TopKV2", None)
    n = _k.static_dims(x)[-1] if x._value.ndim else 0
    if k < 0:
        raise _error("TopKV2", f"Need k >= 0, got {k}")
    if n is not None and k > n:
        raise _error("TopKV2", f"input must have at least k columns. Had {n}, needed {k}")
    order = _k.refine(_order(x, True)[..., :k], (None,) * (x._value.ndim - 1) + (k,))
    return TopKV2(_take_last(x, order), cast(order, index_type))


# --- segment reductions --------------------------------------------------------------------------

def _segment_sum_forward(data, ids, num_segments):
    if ids.size and ids.min() < 0:  # a traced graph's ids: TF drops the rows with negative ids
        keep = ids >= 0
        data, ids = data[keep], ids[keep]
    return _scatter_add(np.zeros((num_segments,) + data.shape[ids.ndim:], data.dtype), (ids,),
                        data)


def _segment_sum_grad(g, ans, data, ids, num_segments):
    if not _k.symbolic(ids):  # eager ids are non-negative (segments() dropped the others)
        return GATHER(g, ids, axis=0, batch_dims=0)
    # A traced graph's ids are known when it runs: rows with a negative id get zeros (TF's
    # _GatherDropNegatives).
    got = GATHER(g, MAXIMUM(ids, _k.zeros_like(ids)), axis=0, batch_dims=0)
    kept = GREATER_EQUAL(ids, _k.zeros_like(ids))
    rest = len(_k.shape_of(g)) - 1
    if rest:
        kept = EXPAND_DIMS(kept, axis=tuple(range(-rest, 0)))
    return WHERE(kept, got, _k.zeros_like(got))


# TF's op: the rows' shape comes from ``data`` when it runs (a traced graph's batch size), and
# so do the ids when they are a traced graph's tensor.
UNSORTED_SEGMENT_SUM = primitive("UnsortedSegmentSum", _segment_sum_forward,
                                 save=("inputs",)).defvjp(_segment_sum_grad, None)


def _segment_sum(data, ids, num):
    """Sum of ``data`` rows into ``num`` segments; ``ids`` a valid non-negative int array, or a
    traced graph's int tensor."""
    return apply(UNSORTED_SEGMENT_SUM, (data, ids if isinstance(ids, Tensor) else wrap(ids)),
                 {"num_segments": num})


def _segments(data, segment_ids, num_segments, op_type, traced_ids=False):
    """Validated ``(data, ids, num)``; rows with negative ids are dropped, as TF ignores them.
    With ``traced_ids``, a traced graph's ids come back as that tensor (the op reads them when
    it runs), the example's values only validated."""
    data = tensor(data)
    given = _indices(segment_ids, op_type, "Tindices", "int32, int64")
    ids = given._value
    num = int(index_arg(num_segments, op_type, "Tnumsegments", hint=False, name=None))
    if num < 0:
        raise _error(op_type, f"Input num_segments == {num} must not be negative.", name=None)
    shape = data._value.shape
    if shape[:ids.ndim] != ids.shape:
        raise _error(op_type, f"data.shape = [{_dims(shape)}] does not start with "
                     f"segment_ids.shape = [{_dims(ids.shape)}]", name=None)
    if (ids >= num).any():
        i = int(np.argmax((ids >= num).ravel()))
        raise _error(op_type, f"segment_ids[{i}] = {ids.ravel()[i]} is out of range [0, {num})",
                     name=None)
    if traced_ids and _k.symbolic(given):
        return data, given, num
    if (ids < 0).any():
        keep = np.flatnonzero(ids >= 0)
        # rows of one-dimensional ids need no reshape (which would bake in a traced graph's
        # example sizes of the other dimensions)
        rows = data if ids.ndim == 1 else reshape(data, (-1,) + shape[ids.ndim:])
        data = apply(GATHER, (rows, wrap(keep)), {"axis": 0, "batch_dims": 0})
        ids = ids.ravel()[keep]
    return data, ids, num


def unsorted_segment_sum(data, segment_ids, num_segments, name=None):
    """``tf.math.unsorted_segment_sum``: sums of the rows sharing an id (negative ids dropped)."""
    return _segment_sum(*_segments(data, segment_ids, num_segments, "UnsortedSegmentSum", True))


def unsorted_segment_mean(data, segment_ids, num_segments, name=None):
    """``tf.math.unsorted_segment_mean``: empty segments give 0; integer data gives float64."""
    data, ids, num = _segments(data, segment_ids, num_segments, "UnsortedSegmentSum", True)
    return segment_means(data, lambda t: _segment_sum(t, ids, num))


def segment_means(data, summed):
    """Each segment's sum over its count, ``summed`` the segment sum to use."""
    counts = summed(ones_like(data))
    counts = math_ops.maximum(counts, ones_like(counts))  # an empty segment counts 1
    return math_ops.truediv(summed(data), counts)


def _dropping_negative_ids(data, ids):
    """The rows whose id is not negative (a traced graph's ids: TF ignores the others)."""
    if ids.size and ids.min() < 0:
        keep = ids >= 0
        return data[keep], ids[keep]
    return data, ids


def _segment_extreme_forward(ufunc, fill):
    """``ufunc.at``-reduced segments, empty ones at ``fill(dtype)``; ``num_segments`` None:
    sorted ids, counted when the op runs (``ids[-1] + 1``) and empty segments 0, as TF's
    SegmentMax/SegmentMin."""
    def forward(data, ids, num_segments=None):
        data, ids = _dropping_negative_ids(data, ids)
        num = num_segments if num_segments is not None else _sorted_count(ids)
        kind = dtypes.finfo if data.dtype.kind in "fcV" else np.iinfo
        out = np.full((num,) + data.shape[ids.ndim:], fill(kind(data.dtype)), data.dtype)
        ufunc.at(out, ids, data)
        if num_segments is None and num:
            empty = np.bincount(ids.reshape(-1), minlength=num) == 0
            out[empty] = 0
        return out
    return forward


def _segment_extreme_grad(g, ans, data, ids, num_segments=None):
    # TF: ties within a segment share its gradient evenly. A traced graph's ids may be
    # negative when it runs: those rows get zeros.
    kept = None
    if _k.symbolic(ids):
        kept = GREATER_EQUAL(ids, _k.zeros_like(ids))
        ids = MAXIMUM(ids, _k.zeros_like(ids))
        rest = len(_k.shape_of(data)) - len(_k.shape_of(ids))
        if rest:
            kept = EXPAND_DIMS(kept, axis=tuple(range(-rest, 0)))
    hit = EQUAL(data, GATHER(ans, ids, axis=0, batch_dims=0))
    if kept is not None:
        hit = math_ops.LOGICAL_AND(hit, kept)
    ones = WHERE(hit, _k.ones_like(data), _k.zeros_like(data))
    # each segment's count of maxima, into zeros shaped like ``ans`` when it runs
    count = GATHER_GRAD(ones, ids, ans, axis=0, batch_dims=0)
    share = g / MAXIMUM(count, _k.ones_like(count))
    return WHERE(hit, GATHER(share, ids, axis=0, batch_dims=0), _k.zeros_like(data))


_SEGMENT_MAX_FWD = _segment_extreme_forward(np.maximum, lambda info: info.min)
_SEGMENT_MIN_FWD = _segment_extreme_forward(np.minimum, lambda info: info.max)
UNSORTED_SEGMENT_MAX = primitive("UnsortedSegmentMax", _SEGMENT_MAX_FWD).defvjp(
    _segment_extreme_grad)
UNSORTED_SEGMENT_MIN = primitive("UnsortedSegmentMin", _SEGMENT_MIN_FWD).defvjp(
    _segment_extreme_grad)
# TF's sorted ops: the same kernels with ``num_segments`` left out (counted when they run).
SEGMENT_MAX = primitive("SegmentMax", _SEGMENT_MAX_FWD).defvjp(_segment_extreme_grad)
SEGMENT_MIN = primitive("SegmentMin", _SEGMENT_MIN_FWD).defvjp(_segment_extreme_grad)


def unsorted_segment_max(data, segment_ids, num_segments, name=None):
    """``tf.math.unsorted_segment_max``: empty segments hold the dtype's lowest value."""
    data, ids, num = _segments(data, segment_ids, num_segments, "UnsortedSegmentMax", True)
    return apply(UNSORTED_SEGMENT_MAX, (data, ids if isinstance(ids, Tensor) else wrap(ids)),
                 {"num_segments": num})


def _sorted_count(ids):
    """Segments of sorted non-negative ids: the last id plus one."""
    return int(ids.reshape(-1)[-1]) + 1 if ids.size else 0


def _segment_sum_sorted(data, ids):
    return _segment_sum_forward(data, ids, _sorted_count(ids))


# tf.math.segment_sum with a traced graph's ids: how many segments is known when it runs.
SEGMENT_SUM = primitive("SegmentSum", _segment_sum_sorted, save=("inputs",)).defvjp(
    lambda g, ans, data, ids: _segment_sum_grad(g, ans, data, ids, None), None)


def segment_sum(data, segment_ids, name=None):
    """``tf.math.segment_sum``: ``segment_ids`` sorted, 1-D, one per row of ``data``."""
    data = tensor(data)
    given = _indices(segment_ids, "SegmentSum", "Tindices", "int32, int64")
    ids = given._value
    if ids.ndim != 1 or (data._value.ndim and ids.shape[0] != data._value.shape[0]):
        raise _error("SegmentSum", "segment_ids should be the same size as dimension 0 of input.",
                     name=None)
    num = int(ids[-1]) + 1 if ids.size else 0
    if (np.diff(ids) < 0).any():
        raise _error("SegmentSum", "segment ids are not increasing", name=None)
    if ids.size and ids[0] < 0:
        raise _error("SegmentSum", f"Segment id {ids[0]} out of range [0, {num}), possibly "
                     "because 'segment_ids' input is not sorted.", name=None)
    # TF's SegmentSum: a traced graph's ids are checked on the example, counted when it runs
    return apply(SEGMENT_SUM, (data, given if _k.symbolic(given) else wrap(ids)), {})


# --- embedding lookup and IndexedSlices ----------------------------------------------------------

def embedding_lookup(params, ids, max_norm=None, name=None):
    """``tf.nn.embedding_lookup``: rows of ``params`` (a tensor, or shards joined in order)."""
    if isinstance(params, list | tuple):
        params = concat(list(params), 0) if len(params) > 1 else params[0]
    out = _gather(params, ids, 0, 0, name="")
    if max_norm is not None:
        out = clip_by_norm(out, max_norm, axes=list(range(np.ndim(ids), out._value.ndim)))
    return out


class IndexedSlices:
    """``tf.IndexedSlices``: rows ``values`` at ``indices`` of a tensor of shape ``dense_shape``.

    ``tf.convert_to_tensor`` sums them into a dense tensor (repeated indices add). tapeflow's
    gradients are always dense (spec 4.5.10); this class is for user code that builds slices.
    """

    def __init__(self, values, indices, dense_shape=None):
        self._values = tensor(values)
        self._indices = tensor(indices)
        self._dense_shape = None if dense_shape is None else tensor(dense_shape)

    values = property(lambda self: self._values)
    indices = property(lambda self: self._indices)
    dense_shape = property(lambda self: self._dense_shape)
    dtype = property(lambda self: self._values.dtype)
    device = property(lambda self: self._values.device)

    @property
    def shape(self):
        from ..framework.shape import TensorShape
        if self._dense_shape is None:
            return TensorShape([None] + list(self._values.shape[1:]))
        return TensorShape(_int_list(self._dense_shape._value))

    @property
    def name(self):
        raise AttributeError("Tensor.name is undefined when eager execution is enabled.")

    def __neg__(self):
        return IndexedSlices(-self._values, self._indices, self._dense_shape)

    def __str__(self):
        shape = "" if self._dense_shape is None else f", dense_shape={self._dense_shape!s}"
        return f"IndexedSlices(indices={self._indices!s}, values={self._values!s}{shape})"

    # convert_to_tensor reads any object with ``_dense_read`` (the Variable protocol).
    def _dense_read(self):
        if self._dense_shape is None:
            raise ValueError("Tensor conversion requested for IndexedSlices for argument `value` "
                             f"without dense_shape: {self}")
        num = int(self._dense_shape._trace_value()[0])
        ids = self._indices  # a traced graph's: summed by the op when it runs
        return _segment_sum(self._values, ids if _k.symbolic(ids) else ids._value, num)


EXPORTS = {
    "": ["argsort", "boolean_mask", "gather", "gather_nd", "IndexedSlices", "one_hot", "sort",
         "scatter_nd", "tensor_scatter_nd_add", "tensor_scatter_nd_update"],
    "math": ["top_k", "segment_sum", "unsorted_segment_max", "unsorted_segment_mean",
             "unsorted_segment_sum"],
    "nn": ["embedding_lookup"],
}
