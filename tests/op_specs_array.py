"""Op-table rows for the array-manipulation family (concat, gather/scatter, pad, sort, clip…)."""

import numpy as np

import tapeflow as tf
from tapeflow.ops.array_ops import (BROADCAST_LIKE, BROADCAST_TO_SHAPE, RESHAPE_LIKE, RESHAPE_TO,
                                   STRIDED_SLICE_DYNAMIC, STRIDED_SLICE_GRAD_DYNAMIC,
                                   STRIDED_SLICE_GRAD_LIKE, UNBROADCAST_LIKE)
from tapeflow.ops.index_ops import GATHER_GRAD, GATHER_ND_GRAD_LIKE
from tapeflow.ops.manip_ops import (CONCAT_PIECE, CONCAT_PIECE_BACK, SPLIT_EVEN, TILE_DYNAMIC,
                                    TILE_GRAD, TILE_GRAD_DYNAMIC)

from op_spec_base import OpSpec, distinct, per_arg, uniform


def _sq(ys):
    """Square the outputs: for a linear op the cotangent then depends on the input, so the
    second-order check differentiates the gradient rule's own primitives too."""
    return [y * y for y in ys] if isinstance(ys, list) else ys * ys


def _segment_max(x):
    # Distinct values, so no ties (the even split at ties is checked in test_ops_array), and no
    # empty segment, whose lowest-float fill would swamp the finite differences.
    return tf.math.unsorted_segment_max(x, [2, 0, 2, 1, -1], 3)


SPECS = [
    OpSpec("expand_dims_neg", lambda x: _sq(tf.expand_dims(x, -2)), [((2, 3),)]),
    OpSpec("expand_dims_front", lambda x: _sq(tf.expand_dims(x, 0)), [((3,),), ((),)]),
    OpSpec("squeeze_axes", lambda x: _sq(tf.squeeze(x, [0, -1])), [((1, 3, 1),)]),
    # The gradient rules' shape-from-a-tensor ops (a traced graph's), called directly.
    OpSpec("reshape_like", lambda x: _sq(RESHAPE_LIKE(x, tf.zeros([3, 2]), lead=0)), [((2, 3),)]),
    OpSpec("broadcast_like", lambda x: _sq(BROADCAST_LIKE(x, tf.zeros([2, 3]), lead=0)),
           [((1, 3),), ((3,),)]),
    OpSpec("strided_slice_grad_like", lambda x: _sq(STRIDED_SLICE_GRAD_LIKE(
        x, tf.zeros([3, 4]), key=(slice(None, None, 2), slice(1, 3)), lead=0)), [((2, 2),)]),
    # slicing with bounds a traced graph computes ("?k" in the key, the bounds an input)
    OpSpec("strided_slice_dynamic", lambda x: _sq(STRIDED_SLICE_DYNAMIC(
        x, tf.constant([3, 1, -1], tf.int64), key=(slice(1, "?0"), "?1", slice(None, None, "?2")))),
        [((4, 3, 2),)]),
    OpSpec("strided_slice_grad_dynamic", lambda x: _sq(STRIDED_SLICE_GRAD_DYNAMIC(
        x, tf.zeros([3, 4]), tf.constant([2], tf.int64), key=(slice(None, None, "?0"),
                                                              slice(1, 3)), lead=0)),
        [((2, 2),)]),
    OpSpec("tile_dynamic", lambda x: _sq(TILE_DYNAMIC(x, tf.constant([2, 1, 3], tf.int64))),
           [((2, 3, 1),)]),
    OpSpec("tile_grad_dynamic", lambda x: _sq(TILE_GRAD_DYNAMIC(
        x, tf.zeros([2, 1]), tf.constant([2, 3], tf.int64))), [((4, 3),)]),
    OpSpec("gather_grad", lambda x: _sq(GATHER_GRAD(
        x, tf.constant([[1, 0, 1], [2, 2, 0]]), tf.zeros([2, 3, 2]), axis=1, batch_dims=1)),
        [((2, 3, 2),)]),
    OpSpec("gather_nd_grad_like", lambda x: _sq(GATHER_ND_GRAD_LIKE(
        x, tf.constant([[1, 0], [1, 0], [0, 2]]), tf.zeros([2, 3]))), [((3,),)]),
    OpSpec("concat_piece", lambda x: _sq(CONCAT_PIECE(
        x, tf.zeros([1, 3]), tf.zeros([2, 3]), i=1, axis=0)), [((3, 3),)]),
    OpSpec("concat_piece_back", lambda x: _sq(CONCAT_PIECE_BACK(
        x, tf.zeros([3, 3]), tf.zeros([1, 3]), tf.zeros([2, 3]), i=1, axis=0)), [((2, 3),)]),
    OpSpec("tile_grad", lambda x: _sq(TILE_GRAD(x, tf.zeros([2, 1]), multiples=(2, 3))),
           [((4, 3),)]),
    OpSpec("split_even", lambda x: _sq(list(SPLIT_EVEN(x, num=2, axis=0))), [((4, 2),)]),
    OpSpec("unbroadcast_like", lambda x: _sq(UNBROADCAST_LIKE(x, tf.zeros([1, 3]))),
           [((2, 2, 3),)]),
    # The shape-as-a-graph-tensor ops (tf.reshape(x, tf.shape(y)) in a trace), called directly.
    OpSpec("reshape_to", lambda x: _sq(RESHAPE_TO(x, tf.constant([3, 2]))), [((2, 3),)]),
    OpSpec("broadcast_to_shape", lambda x: _sq(BROADCAST_TO_SHAPE(x, tf.constant([2, 3]))),
           [((1, 3),)]),
    OpSpec("squeeze_all", lambda x: _sq(tf.squeeze(x)), [((2, 1, 3),), ((1, 1),)]),
    OpSpec("concat", lambda x, y: _sq(tf.concat([x, y, x], axis=1)), [((2, 3), (2, 1))]),
    OpSpec("concat_axis0", lambda x, y: _sq(tf.concat([x, y], 0)), [((1, 3), (2, 3))]),
    OpSpec("stack", lambda x, y: _sq(tf.stack([x, y], axis=1)), [((2, 3), (2, 3))]),
    OpSpec("unstack", lambda x: _sq(tf.unstack(x, axis=1)[::2]), [((2, 3),)]),
    OpSpec("split", lambda x: _sq(tf.split(x, [1, -1], axis=1)), [((2, 4),)]),
    OpSpec("split_one_used", lambda x: _sq(tf.split(x, 2)[1] * 3.0), [((4, 2),)]),
    OpSpec("fill", lambda x: _sq(tf.fill([2, 3], x) * tf.constant([1., 2., 3.], tf.float64)),
           [((),)]),
    OpSpec("tile", lambda x: _sq(tf.tile(x, [2, 3])), [((2, 3),)]),
    OpSpec("pad_constant", lambda x: _sq(tf.pad(x, [[1, 0], [2, 1]], constant_values=0.5)),
           [((2, 3),)]),
    OpSpec("pad_reflect", lambda x: _sq(tf.pad(x, [[1, 1], [2, 1]], "REFLECT")), [((3, 3),)]),
    OpSpec("pad_symmetric", lambda x: _sq(tf.pad(x, [[2, 0], [1, 3]], "SYMMETRIC")), [((2, 3),)]),
    OpSpec("gather", lambda x: _sq(tf.gather(x, [2, 0, 2])), [((3, 2),)]),
    OpSpec("gather_axis_batch", lambda x: _sq(tf.gather(x, [[1, 0, 1], [2, 2, 0]], axis=2,
                                                        batch_dims=1)), [((2, 2, 3),)]),
    OpSpec("embedding_lookup", lambda x: _sq(tf.nn.embedding_lookup(x, [[1], [1]])), [((3, 2),)]),
    OpSpec("gather_nd", lambda x: _sq(tf.gather_nd(x, [[1, 0], [1, 0], [0, 2]])), [((2, 3),)]),
    OpSpec("scatter_nd", lambda u: _sq(tf.scatter_nd([[1], [3], [1]], u, [5, 2])), [((3, 2),)]),
    OpSpec("tensor_scatter_nd_update", lambda x, u: _sq(tf.tensor_scatter_nd_update(
        x, [[0, 1], [1, 2]], u)), [((2, 3), (2,))]),
    OpSpec("tensor_scatter_nd_add", lambda x, u: _sq(tf.tensor_scatter_nd_add(
        x, [[1], [1]], u)), [((2, 3), (2, 3))]),
    OpSpec("boolean_mask", lambda x: _sq(tf.boolean_mask(x, [True, False, True], axis=1)),
           [((2, 3),)]),
    OpSpec("reverse", lambda x: _sq(tf.reverse(x, [0, -1])), [((2, 3),)]),
    OpSpec("slice", lambda x: _sq(tf.slice(x, [1, 0], [-1, 2])), [((3, 3),)]),
    OpSpec("strided_slice", lambda x: _sq(tf.strided_slice(x, [0, 2], [2, 0], [1, -1],
                                                           shrink_axis_mask=1)), [((3, 3),)]),
    OpSpec("clip_by_value", lambda x, lo, hi: tf.clip_by_value(x, lo, hi),
           [((2, 3), (), ())], draw=per_arg(uniform(-2, 2), uniform(-1.05, -0.95),
                                            uniform(0.95, 1.05))),
    OpSpec("clip_by_norm", lambda x: tf.clip_by_norm(x, 1.5, axes=[1]), [((3, 2),)],
           draw=uniform(-2.0, 2.0)),
    OpSpec("clip_by_global_norm", lambda x, y: tf.clip_by_global_norm([x, None, y], 2.0)[0][::2],
           [((2, 2), (3,))]),
    OpSpec("meshgrid", lambda x, y: _sq(tf.meshgrid(x, y)), [((3,), (2,))]),
    OpSpec("sort", lambda x: _sq(tf.sort(x, axis=0, direction="DESCENDING")), [((3, 2),)],
           draw=distinct()),
    OpSpec("top_k", lambda x: _sq(tf.math.top_k(x, 2).values), [((2, 4),)], draw=distinct()),
    OpSpec("unsorted_segment_sum", lambda x: _sq(tf.math.unsorted_segment_sum(
        x, [[0, 2], [-1, 2]], 3)), [((2, 2, 3),)]),
    OpSpec("unsorted_segment_mean", lambda x: _sq(tf.math.unsorted_segment_mean(x, [1, 1, 0], 3)),
           [((3, 2),)]),
    OpSpec("unsorted_segment_max", _segment_max, [((5,),)],
           draw=lambda rng, shape, i: rng.permutation(np.arange(shape[0])) * 0.7 + 0.1),
    OpSpec("unsorted_segment_min", lambda x: tf.math.unsorted_segment_min(
        x, [1, 0, 1, 2, -1], 3), [((5,),)],
           draw=lambda rng, shape, i: rng.permutation(np.arange(shape[0])) * 0.7 + 0.1),
    OpSpec("segment_sum", lambda x: _sq(tf.math.segment_sum(x, [0, 0, 2])), [((3, 2),)]),
    OpSpec("indexed_slices_dense", lambda v: _sq(tf.convert_to_tensor(
        tf.IndexedSlices(v, tf.constant([2, 0, 2]), tf.constant([4, 2])))), [((3, 2),)]),
]
