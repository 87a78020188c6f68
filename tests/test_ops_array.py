"""Forward behaviour of the array-manipulation ops; expected values were taken from TF 2.21."""

import numpy as np
import pytest

import tapeflow as tf

A = [[1., 2., 3.], [4., 5., 6.]]
IAE = tf.errors.InvalidArgumentError


def _check(t, expected, dtype=tf.float32):
    assert isinstance(t, tf.Tensor)
    assert t.dtype is dtype
    np.testing.assert_allclose(t.numpy(), np.asarray(expected))
    assert t.shape == np.asarray(expected).shape


def _grad(f, x):
    x = tf.Variable(x)
    with tf.GradientTape() as tape:
        y = f(x)
    return tape.gradient(y, x)


def _raises(cls, text, fn):
    with pytest.raises(cls) as e:
        fn()
    assert text in str(e.value), str(e.value)


# --- concat / stack / unstack / split ------------------------------------------------------------

def test_concat_values_and_conversion():
    a = tf.constant(A)
    _check(tf.concat([a, [[7., 8., 9.]]], 0), A + [[7., 8., 9.]])
    _check(tf.concat([a, a], -1), [[1, 2, 3, 1, 2, 3], [4, 5, 6, 4, 5, 6]])
    _check(tf.concat([a], 1), A)
    _raises(TypeError, "Cannot convert [3.5] to EagerTensor of dtype int32",
            lambda: tf.concat([[1, 2], [3.5]], 0))


def test_concat_errors():
    a = tf.constant(A)
    _raises(IAE, "cannot compute ConcatV2 as input #1(zero-based) was "
            "expected to be a float tensor but is a double tensor [Op:ConcatV2] name: concat",
            lambda: tf.concat([a, tf.constant([[1., 2., 3.]], tf.float64)], 0))
    _raises(IAE, "ConcatOp : Dimension 1 in both shapes must be equal: "
            "shape[0] = [2,3] vs. shape[1] = [2,4] [Op:ConcatV2] name: concat",
            lambda: tf.concat([a, tf.ones((2, 4))], 0))
    _raises(IAE, "Expected concatenating dimensions in the range "
            "[-2, 2), but got 2", lambda: tf.concat([a, a], 2))
    _raises(IAE, "Ranks of all input tensors should match",
            lambda: tf.concat([a, tf.ones(3)], 0))


def test_stack_and_unstack():
    _check(tf.stack([tf.ones(2), tf.zeros(2)], axis=-1), [[1., 0.], [1., 0.]])
    _check(tf.stack([1, 2.5]), [1., 2.5])
    _check(tf.stack([]), np.zeros(0))
    _raises(ValueError, "Argument `axis` = 3 not in range [-2, 2)",
            lambda: tf.stack([tf.ones(2), tf.ones(2)], axis=3))
    _raises(IAE, "Shapes of all inputs must match: values[0].shape = [2] "
            "!= values[1].shape = [3] [Op:Pack] name: stack",
            lambda: tf.stack([tf.ones(2), tf.ones(3)]))
    parts = tf.unstack(tf.constant(A), axis=1)
    assert isinstance(parts, list) and len(parts) == 3
    _check(parts[2], [3., 6.])
    _raises(IAE, "Input shape axis 0 must equal 3, got shape [2,3]",
            lambda: tf.unstack(tf.constant(A), num=3))
    _raises(ValueError, "Argument `axis` = 0 not in range [0, 0)",
            lambda: tf.unstack(tf.constant(1.)))


def test_unstack_gradient_fills_unused_outputs_with_zeros():
    g = _grad(lambda x: tf.unstack(x)[1] * 3.0, A)
    _check(g, [[0., 0., 0.], [3., 3., 3.]])


def test_split():
    parts = tf.split(tf.range(6), [1, -1, 2])
    assert [p.numpy().tolist() for p in parts] == [[0], [1, 2, 3], [4, 5]]
    assert parts[0].dtype is tf.int32
    _check(tf.split(tf.constant(A), 3, axis=-1)[1], [[2.], [5.]])
    _raises(IAE, "Number of ways to split should evenly divide the split "
            "dimension, but got split_dim 0 (size = 5) and num_split 2",
            lambda: tf.split(tf.range(5), 2))
    _raises(IAE, "Got: 7 [Op:SplitV] name: split",
            lambda: tf.split(tf.range(6), [1, 2, 4]))


# --- tile / pad ----------------------------------------------------------------------------------

def test_tile():
    _check(tf.tile(tf.constant([[1, 2]]), [2, 2]), [[1, 2, 1, 2], [1, 2, 1, 2]], tf.int32)
    _raises(IAE, "Expected multiples argument to be a vector of length 2 "
            "but got length 1 [Op:Tile]", lambda: tf.tile(tf.constant([[1, 2]]), [2]))
    _raises(IAE, "Expected multiples[1] >= 0, but got -1",
            lambda: tf.tile(tf.constant([[1, 2]]), [2, -1]))
    _check(_grad(lambda x: tf.tile(x, [3, 2]), [[1., 2.]]), [[6., 6.]])


def test_pad_modes():
    a = tf.constant(A)
    _check(tf.pad(a, [[1, 0], [0, 2]], constant_values=9),
           [[9, 9, 9, 9, 9], [1, 2, 3, 9, 9], [4, 5, 6, 9, 9]])
    _check(tf.pad(a, [[1, 1], [2, 2]], "REFLECT"),
           [[6, 5, 4, 5, 6, 5, 4], [3, 2, 1, 2, 3, 2, 1], [6, 5, 4, 5, 6, 5, 4],
            [3, 2, 1, 2, 3, 2, 1]])
    _check(tf.pad(a, [[1, 1], [2, 3]], "symmetric"),
           [[2, 1, 1, 2, 3, 3, 2, 1], [2, 1, 1, 2, 3, 3, 2, 1], [5, 4, 4, 5, 6, 6, 5, 4],
            [5, 4, 4, 5, 6, 6, 5, 4]])
    _check(tf.pad(a, [[1, 0], [0, 0]], constant_values=tf.constant(2.)), [[2, 2, 2]] + A)


def test_pad_errors():
    a = tf.constant(A)
    _raises(IAE, "paddings must be less than the dimension size: 2, 0 not "
            "less than 2 [Op:MirrorPad]", lambda: tf.pad(a, [[2, 0], [0, 0]], "REFLECT"))
    _raises(IAE, "paddings must be no greater than the dimension size: "
            "3, 0 greater than 2", lambda: tf.pad(a, [[3, 0], [0, 0]], "SYMMETRIC"))
    _raises(ValueError, "Received `mode` = FOO", lambda: tf.pad(a, [[1, 0], [0, 0]], "FOO"))
    _raises(IAE, "The first dimension of paddings must be the rank of "
            "inputs[1,2] [2,3] [Op:Pad]", lambda: tf.pad(a, [[1, 0]]))
    _raises(IAE, "Paddings must be non-negative: -1 0",
            lambda: tf.pad(a, [[-1, 0], [0, 0]]))
    _raises(TypeError, "Cannot convert 1.5 to EagerTensor of dtype int32",
            lambda: tf.pad(tf.constant([1, 2]), [[1, 1]], constant_values=1.5))


def test_mirror_pad_gradient_counts_copies():
    g = _grad(lambda x: tf.pad(x, [[2, 1]], "REFLECT"), [1., 2., 3.])
    _check(g, [1., 3., 2.])
    g = _grad(lambda x: tf.pad(x, [[2, 1]], "SYMMETRIC"), [1., 2., 3.])
    _check(g, [2., 2., 2.])


# --- gather / scatter ----------------------------------------------------------------------------

def test_gather():
    a = tf.constant(A)
    _check(tf.gather(a, [1, 0, 1]), [A[1], A[0], A[1]])
    _check(tf.gather(a, [[2, 0]], axis=1), [[[3., 1.]], [[6., 4.]]])
    _check(tf.gather(a, [[2, 0], [1, 1]], axis=1, batch_dims=1), [[3., 1.], [5., 5.]])
    _check(tf.gather(a, [[2, 0], [1, 1]], batch_dims=-1), [[3., 1.], [5., 5.]])
    _check(tf.gather(a, 1), A[1])
    _check(tf.gather(a, tf.constant([1], tf.int64)), [A[1]])


def test_gather_errors():
    a = tf.constant(A)
    _raises(IAE, "indices[1] = 5 is not in [0, 2) [Op:GatherV2]",
            lambda: tf.gather(a, [1, 5]))
    _raises(IAE, "indices[1,1] = -1 is not in [0, 3)",
            lambda: tf.gather(a, [[0, 1], [1, -1]], axis=1))
    _raises(IAE, "Value for attr 'Tindices' of float is not in the list",
            lambda: tf.gather(a, [0.]))
    _raises(IAE, "Shape must be at least rank 3 but is rank 2",
            lambda: tf.gather(a, [0], axis=2))


def test_gather_gradient_is_dense_and_adds_repeats():
    g = _grad(lambda x: tf.gather(x, [0, 0, 2]), [[1., 2.], [3., 4.], [5., 6.]])
    _check(g, [[2., 2.], [0., 0.], [1., 1.]])
    g = _grad(lambda x: tf.nn.embedding_lookup(x, [[1], [1]]), [1., 2., 3.])
    _check(g, [0., 2., 0.])


def test_gather_nd_and_scatter_nd():
    a = tf.constant(A)
    _check(tf.gather_nd(a, [[1, 2], [0, 0]]), [6., 1.])
    _check(tf.gather_nd(a, [[1]]), [A[1]])
    _check(tf.gather_nd(a, [[1], [2]], batch_dims=1), [2., 6.])
    _raises(IAE, "indices[0] = [1, 3] does not index into param shape "
            "[2,3], node name: GatherNd [Op:GatherNd]", lambda: tf.gather_nd(a, [[1, 3]]))
    _check(tf.scatter_nd([[1], [3], [1]], [1., 2., 3.], [5]), [0., 4., 0., 2., 0.])
    _raises(IAE, "indices[1] = [5] does not index into shape [5]",
            lambda: tf.scatter_nd([[1], [5]], [1., 2.], [5]))
    _raises(IAE, "Dimensions [0,1) of indices[shape=[2,1]] must match "
            "dimensions [0,1) of updates[shape=[3]]",
            lambda: tf.scatter_nd([[1], [3]], [1., 2., 3.], [5]))


def test_tensor_scatter():
    a = tf.constant(A)
    _check(tf.tensor_scatter_nd_update(a, [[0, 1], [1, 2]], [10, 20]), [[1, 10, 3], [4, 5, 20]])
    _check(tf.tensor_scatter_nd_add(a, [[0, 1], [0, 1]], [10., 20.]), [[1, 32, 3], [4, 5, 6]])
    _check(tf.tensor_scatter_nd_add(a, [[1]], [[10., 20., 30.]]), [A[0], [14, 25, 36]])
    _raises(IAE, "indices[0] = [0, 3] does not index into shape [2,3] "
            "[Op:TensorScatterUpdate]", lambda: tf.tensor_scatter_nd_update(a, [[0, 3]], [10.]))
    # TF: the overwritten entry gets no gradient; each duplicate update gets the full one.
    g = _grad(lambda x: tf.tensor_scatter_nd_update(x * 1., [[1], [1]], x[:2] * [3., 5.]),
              [1., 2., 3.])
    _check(g, [4., 5., 1.])


def test_boolean_mask():
    a = tf.constant(A)
    _check(tf.boolean_mask(a, [True, False]), [A[0]])
    _check(tf.boolean_mask(a, [[True, False, True], [False, False, True]]), [1., 3., 6.])
    _check(tf.boolean_mask(a, [True, False, True], axis=1), [[1., 3.], [4., 6.]])
    _raises(ValueError, "Shapes (2,) and (3,) are incompatible",
            lambda: tf.boolean_mask(a, [True, False, True]))
    _raises(ValueError, "mask cannot be scalar.", lambda: tf.boolean_mask(a, True))


# --- reverse / slice / strided_slice -------------------------------------------------------------

def test_reverse_and_slice():
    a = tf.constant(A)
    _check(tf.reverse(a, [-1, 0]), [[6, 5, 4], [3, 2, 1]])
    _raises(IAE, "'axis'[0] = 2 is out of valid range [0, 1 "
            "[Op:ReverseV2]", lambda: tf.reverse(a, [2]))
    _raises(IAE, "axis 1 specified more than once.",
            lambda: tf.reverse(a, [1, 1]))
    _check(tf.slice(a, [0, 1], [-1, 2]), [[2., 3.], [5., 6.]])
    _raises(IAE, "Expected size[1] in [0, 2], but got 3 [Op:Slice]",
            lambda: tf.slice(a, [0, 1], [1, 3]))
    _raises(IAE, "Expected begin and size arguments to be 1-D tensors of "
            "size 2, but got shapes [1] and [1] instead.", lambda: tf.slice(a, [0], [1]))


def test_strided_slice_masks():
    a = tf.constant(A)
    _check(tf.strided_slice(a, [0, 2], [2, 0], [1, -1]), [[3., 2.], [6., 5.]])
    _check(tf.strided_slice(a, [1, 0], [0, 2], end_mask=1), [[4., 5.]])
    _check(tf.strided_slice(a, [1, 0], [2, 3], shrink_axis_mask=1), [4., 5., 6.])
    _check(tf.strided_slice(a, [0, 0], [1, 1], new_axis_mask=1), [[[1., 2., 3.]]])
    _check(tf.strided_slice(a, [0, 1], [1, 2], ellipsis_mask=1), [[2.], [5.]])
    _raises(IAE, "strides[0] must be non-zero",
            lambda: tf.strided_slice(a, [0], [1], [0]))
    _raises(IAE, "slice index 5 of dimension 0 out of bounds.",
            lambda: tf.strided_slice(a, [5], [6], shrink_axis_mask=1))


# --- one_hot -------------------------------------------------------------------------------------

def test_one_hot():
    _check(tf.one_hot([0, 2, -1, 5], 3), [[1, 0, 0], [0, 0, 1], [0, 0, 0], [0, 0, 0]])
    _check(tf.one_hot([[0, 2]], 3, on_value=5, off_value=-1), [[[5, -1, -1], [-1, -1, 5]]],
           tf.int32)
    _check(tf.one_hot([0, 2], 3, axis=0, dtype=tf.float64), [[1, 0], [0, 0], [0, 1]], tf.float64)
    _raises(TypeError, "does not match dtype", lambda: tf.one_hot([0, 2], 3, on_value=2.,
                                                                  off_value=0))
    _raises(IAE, "Value for attr 'TI' of float",
            lambda: tf.one_hot([0., 2.], 3))


def test_one_hot_is_not_differentiable():
    x = tf.Variable(1.)
    with tf.GradientTape() as tape:
        y = tf.one_hot([0, 1], 2, on_value=x, off_value=tf.constant(0.))
    assert tape.gradient(y, x) is None


# --- clipping ------------------------------------------------------------------------------------

def test_clip_by_value():
    _check(tf.clip_by_value(tf.constant(A), 2., 5), [[2, 2, 3], [4, 5, 5]])
    _check(tf.clip_by_value(tf.constant([1, 5, 9]), 2, 6), [2, 5, 6], tf.int32)
    _check(tf.clip_by_value(tf.constant(A), [1.5, 2.5, 3.5], 5.), [[1.5, 2.5, 3.5], [4, 5, 5]])
    _raises(TypeError, "Cannot convert 2.5 to EagerTensor of dtype int32",
            lambda: tf.clip_by_value(tf.constant([1, 5, 9]), 2.5, 6))
    _raises(ValueError, "Shapes (2,) and (2, 2) are incompatible",
            lambda: tf.clip_by_value(tf.constant([1., 5.]), [[0.], [2.]], 6.))


def test_clip_by_value_gradient_ties_stay_with_t():
    x, lo, hi = tf.Variable([1., 2., 3., 5., 6.]), tf.Variable(2.), tf.Variable(5.)
    with tf.GradientTape() as tape:
        y = tf.clip_by_value(x, lo, hi) * [1., 10., 100., 1000., 10000.]
    gx, glo, ghi = tape.gradient(y, [x, lo, hi])
    _check(gx, [0., 10., 100., 1000., 0.])
    _check(glo, 1.)
    _check(ghi, 10000.)


def test_clip_by_norm():
    _check(tf.clip_by_norm(tf.constant([3., 4.]), 1.), [0.6, 0.8])
    np.testing.assert_allclose(tf.clip_by_norm(tf.constant(A), 5., axes=[1]).numpy(),
                               [[1, 2, 3], [2.2792115, 2.8490145, 3.4188173]], rtol=1e-6)
    _check(tf.clip_by_norm(tf.zeros(2), 1.), [0., 0.])
    _check(_grad(lambda x: tf.clip_by_norm(x, 1.), [0., 0.]), [1., 1.])


def test_clip_by_global_norm():
    clipped, norm = tf.clip_by_global_norm([tf.constant([3., 4.]), None, tf.constant([12.])], 6.5)
    _check(clipped[0], [1.5, 2.])
    assert clipped[1] is None
    _check(clipped[2], [6.])
    _check(norm, 13.)
    clipped, norm = tf.clip_by_global_norm((tf.constant([3., 4.], tf.float64),), 1.)
    assert isinstance(clipped, list)
    _check(norm, 5., tf.float64)
    clipped, norm = tf.clip_by_global_norm([tf.constant([np.inf, 4.])], 1.)
    assert np.isnan(clipped[0].numpy()).all() and np.isinf(norm.numpy())
    _raises(IAE, "cannot compute Pack as input #1(zero-based) was "
            "expected to be a double tensor but is a float tensor",
            lambda: tf.clip_by_global_norm([tf.constant([3.], tf.float64), tf.constant([1.])], 1.))
    _raises(TypeError, "`t_list` should be a sequence of tensors",
            lambda: tf.clip_by_global_norm(tf.constant([3., 4.]), 1.))
    _check(tf.linalg.global_norm([tf.constant([3., 4.])]), 5.)


# --- meshgrid / sort / top_k ---------------------------------------------------------------------

def test_meshgrid():
    x, y = tf.meshgrid([1, 2, 3], [4, 5])
    _check(x, [[1, 2, 3], [1, 2, 3]], tf.int32)
    _check(y, [[4, 4, 4], [5, 5, 5]], tf.int32)
    x, y = tf.meshgrid([1, 2, 3], [4, 5], indexing="ij")
    _check(y, [[4, 5], [4, 5], [4, 5]], tf.int32)
    assert [m.shape for m in tf.meshgrid([1, 2, 3], [4, 5], [6, 7, 8, 9])] == [(2, 3, 4)] * 3
    assert tf.meshgrid() == []
    _raises(ValueError, "Argument `indexing` parameter must be either 'xy' or 'ij', got 'ab'",
            lambda: tf.meshgrid([1], indexing="ab"))
    _raises(TypeError, "'foo' is an invalid keyword argument for this function",
            lambda: tf.meshgrid([1, 2, 3], foo=1))


def test_sort_and_argsort():
    v = tf.constant([3., 1., 2., 1.])
    _check(tf.sort(v), [1., 1., 2., 3.])
    _check(tf.sort(tf.constant(A), axis=0, direction="DESCENDING"), [A[1], A[0]])
    _check(tf.argsort(v), [1, 3, 2, 0], tf.int32)
    _check(tf.argsort(v, direction="DESCENDING"), [0, 2, 1, 3], tf.int32)
    _check(tf.argsort(tf.constant([2, 1, 2, 0])), [3, 1, 0, 2], tf.int32)
    _check(tf.sort(tf.constant([2, 1, 2, 0]), direction="DESCENDING"), [2, 2, 1, 0], tf.int32)
    _raises(ValueError, "Argument `direction` should be one of ASCENDING, DESCENDING. Received: "
            "direction=UP", lambda: tf.sort(v, direction="UP"))
    _raises(IAE, "slice index 1 of dimension 0 out of bounds.",
            lambda: tf.sort(v, axis=1))


def test_sort_gradient_ties_in_index_order():
    g = _grad(lambda x: tf.sort(x) * [1., 10., 100., 1000.], [3., 1., 2., 3.])
    _check(g, [100., 1., 10., 1000.])
    assert _grad(lambda x: tf.cast(tf.argsort(x), tf.float32), [3., 1.]) is None


def test_top_k():
    result = tf.math.top_k(tf.constant([3., 1., 2., 1.]), 2)
    assert type(result).__name__ == "TopKV2"
    _check(result.values, [3., 2.])
    _check(result.indices, [0, 2], tf.int32)
    _check(tf.math.top_k(tf.constant([3., 1.]), 1, index_type=tf.int64).indices, [0], tf.int64)
    _raises(IAE, "input must have at least k columns. Had 4, needed 5",
            lambda: tf.math.top_k(tf.constant([3., 1., 2., 1.]), 5))
    _raises(IAE, "Need k >= 0, got -1",
            lambda: tf.math.top_k(tf.constant([3., 1.]), -1))
    g = _grad(lambda x: tf.math.top_k(x, 2).values * [1., 10.], [3., 1., 2., 3.])
    _check(g, [1., 0., 0., 10.])


# --- segments ------------------------------------------------------------------------------------

def test_unsorted_segment_sum_and_mean():
    d = tf.constant([1., 2., 3., 4.])
    _check(tf.math.unsorted_segment_sum(d, [0, 2, 0, -1], 4), [4., 0., 2., 0.])
    _check(tf.math.unsorted_segment_sum(tf.constant(A), [1, 1], 3), [[0, 0, 0], [5, 7, 9],
                                                                     [0, 0, 0]])
    _check(tf.math.unsorted_segment_sum(tf.constant(A), [[0, 1, 0], [1, 1, 1]], 2), [4., 17.])
    _raises(IAE, "segment_ids[1] = 5 is out of range [0, 4) "
            "[Op:UnsortedSegmentSum]", lambda: tf.math.unsorted_segment_sum(d, [0, 5, 0, 1], 4))
    _raises(IAE, "data.shape = [4] does not start with segment_ids.shape "
            "= [2]", lambda: tf.math.unsorted_segment_sum(d, [0, 1], 4))
    _check(tf.math.unsorted_segment_mean(d, [0, 2, 0, 2], 4), [2., 0., 3., 0.])
    mean = tf.math.unsorted_segment_mean(tf.constant([1, 2, 4]), [0, 0, 0], 2)
    _check(mean, [7 / 3, 0.], tf.float64)
    _check(_grad(lambda x: tf.math.unsorted_segment_sum(x, [0, -1, 0, 1], 3) * [1., 10., 100.],
                 [1., 3., 3., 2.]), [1., 0., 1., 10.])


def test_unsorted_segment_max():
    d = tf.constant([1., 2., 3., 4.])
    lowest = np.finfo(np.float32).min
    _check(tf.math.unsorted_segment_max(d, [0, 2, 0, 2], 4), [3., lowest, 4., lowest])
    _check(tf.math.unsorted_segment_max(d, [0, -1, 0, 2], 3), [3., lowest, 4.])
    _check(tf.math.unsorted_segment_max(tf.constant([1, 2]), [0, 0], 2), [2, -2 ** 31], tf.int32)
    g = _grad(lambda x: tf.math.unsorted_segment_max(x, [0, 0, 0, 1], 2) * [1., 10.],
              [1., 3., 3., 2.])
    _check(g, [0., 0.5, 0.5, 10.])


def test_segment_sum():
    d = tf.constant([1., 2., 3., 4.])
    _check(tf.math.segment_sum(d, [0, 0, 2, 2]), [3., 0., 7.])
    _raises(IAE, "segment ids are not increasing [Op:SegmentSum]",
            lambda: tf.math.segment_sum(d, [0, 1, 0, 2]))
    _raises(IAE, "Segment id -1 out of range [0, 3), possibly because "
            "'segment_ids' input is not sorted.", lambda: tf.math.segment_sum(d, [-1, 0, 0, 2]))
    _raises(IAE, "segment_ids should be the same size as dimension 0 of "
            "input.", lambda: tf.math.segment_sum(d, [0, 0, 2]))


# --- embedding_lookup / IndexedSlices ------------------------------------------------------------

def test_embedding_lookup():
    a = tf.constant(A)
    _check(tf.nn.embedding_lookup(a, [[1], [0]]), [[A[1]], [A[0]]])
    _check(tf.nn.embedding_lookup([a], [1]), [A[1]])
    _check(tf.nn.embedding_lookup([a, a + 10.], [0, 1, 2, 3]), A + [[11, 12, 13], [14, 15, 16]])
    np.testing.assert_allclose(tf.nn.embedding_lookup(a, [1], max_norm=1.).numpy(),
                               [[0.45584232, 0.5698029, 0.68376344]], rtol=1e-6)
    _raises(IAE, "indices[0] = 3 is not in [0, 2) [Op:GatherV2] name: ",
            lambda: tf.nn.embedding_lookup(a, [3]))


def test_indexed_slices():
    s = tf.IndexedSlices(tf.constant([[1., 2.], [3., 4.]]), tf.constant([0, 0]),
                         tf.constant([3, 2]))
    assert s.dtype is tf.float32 and s.shape == (3, 2)
    assert s.dense_shape.numpy().tolist() == [3, 2]
    _check(tf.convert_to_tensor(s), [[4., 6.], [0., 0.], [0., 0.]])
    assert tf.is_tensor(s) and not isinstance(s, tf.Tensor)
    _check(tf.reduce_sum(s), 10.)
    _check(tf.add_n([s, tf.ones((3, 2))]), [[5., 7.], [1., 1.], [1., 1.]])
    _check(tf.convert_to_tensor(-s)[0], [-4., -6.])
    assert str(s).startswith("IndexedSlices(indices=tf.Tensor([0 0]")
    with pytest.raises(TypeError):
        s * 2.0
    _raises(ValueError, "Tensor conversion requested for IndexedSlices for argument `value` "
            "without dense_shape", lambda: tf.convert_to_tensor(tf.IndexedSlices([[1., 2.]], [1])))
    clipped, norm = tf.clip_by_global_norm([s], 1.)
    assert isinstance(clipped[0], tf.IndexedSlices)
    np.testing.assert_allclose(norm.numpy(), 5.4772257804870605, rtol=1e-6)


# --- found by a differential sweep against TF 2.21 --------------------------------------------

def test_float_floordiv_is_floor_of_the_quotient():
    x = tf.constant([-np.inf, np.inf, 5., -5.])
    y = tf.constant([1., 2., np.inf, np.inf])
    out = tf.math.floordiv(x, y)
    _check(out, [-np.inf, np.inf, 0., -0.])
    assert np.signbit(out.numpy()[3])
    _check(tf.math.floormod(x, y), [np.nan, np.nan, 5., np.inf])


@pytest.mark.parametrize("fn,op", [(tf.math.floordiv, "FloorDiv"), (tf.math.floormod, "FloorMod")])
def test_integer_floordiv_and_floormod_by_zero_raise(fn, op):
    with pytest.raises(IAE, match=rf"Integer division by zero \[Op:{op}\]"):
        fn(tf.constant([1, 2]), tf.constant([0, 1]))
    _check(fn(tf.constant([7, -7]), tf.constant([2, 2])),
           [3, -4] if op == "FloorDiv" else [1, 1], tf.int32)


def test_reductions_reject_bool():
    b = tf.constant([[True, False], [True, True]])
    for fn, op in [(tf.reduce_sum, "Sum"), (tf.reduce_mean, "Mean"), (tf.reduce_prod, "Prod"),
                   (tf.reduce_max, "Max"), (tf.reduce_min, "Min")]:
        with pytest.raises(IAE, match=rf"(?s)^Value for attr 'T' of bool is not in the list.*"
                                      rf"\[Op:{op}\]"):
            fn(b, axis=0)


def test_empty_reductions_give_the_identity():
    x = tf.zeros((0, 3))
    _check(tf.reduce_max(x, axis=0), [-np.inf] * 3)
    _check(tf.reduce_min(x, axis=0), [np.inf] * 3)
    _check(tf.reduce_max(x), -np.inf)
    _check(tf.reduce_max(tf.zeros((0, 3), tf.int32), axis=0), [-2 ** 31] * 3, tf.int32)
    _check(tf.reduce_prod(x, axis=0), [1., 1., 1.])
    for fn in (tf.reduce_max, tf.reduce_prod):
        _check(_grad(lambda v, fn=fn: fn(v, axis=1), np.zeros((0, 3), np.float32)),
               np.zeros((0, 3)))


def test_integer_scans_keep_their_dtype_and_check_the_axis():
    x = tf.constant([[1, 2], [3, 4]])
    _check(tf.math.cumsum(x, axis=1), [[1, 3], [3, 7]], tf.int32)
    _check(tf.math.cumprod(x, axis=0), [[1, 2], [3, 8]], tf.int32)
    with pytest.raises(IAE, match=r"ScanOp: Expected scan axis in the range \[-2, 2\), but got 5"):
        tf.math.cumsum(x, axis=5)


def test_add_n_does_not_broadcast():
    with pytest.raises(IAE, match=r"AddN must have the same size and shape.  Input 0: \[3,4\] != "
                                  r"input 1: \[4\] \[Op:AddN\]"):
        tf.math.add_n([tf.ones((3, 4)), tf.ones(4)])


def test_expand_dims_and_squeeze_errors():
    with pytest.raises(IAE, match=r"Tried to expand dim index 4 for tensor with 2 dimensions\."):
        tf.expand_dims(tf.ones((3, 4)), 4)
    assert tf.expand_dims(tf.ones((3, 4)), -3).shape == (1, 3, 4)
    with pytest.raises(IAE, match=r"Can not squeeze dim\[1\], expected a dimension of 1, got 3"):
        tf.squeeze(tf.ones((1, 3, 1)), [1])
    with pytest.raises(IAE, match=r"Tried to squeeze dim index 3 for tensor with 3 dimensions\."):
        tf.squeeze(tf.ones((1, 3, 1)), [3])


def test_linspace_is_differentiable_in_its_end_points():
    """TF 2.21: d sum(linspace(a, b, 4) * [1, 2, 3, 4]) = (3.3333333, 6.6666665); num=1 and 0."""
    a, b = tf.constant(1.0), tf.constant(3.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([a, b])
        y = tf.linspace(a, b, 4)
        z = tf.reduce_sum(y * [1., 2., 3., 4.])
    assert [g.numpy() for g in tape.gradient(y, [a, b])] == [2.0, 2.0]
    np.testing.assert_allclose([g.numpy() for g in tape.gradient(z, [a, b])],
                               [3.3333333, 6.6666665], rtol=1e-6)
    assert tf.linspace(1., 3., 1).numpy().tolist() == [1.0]
    assert tf.linspace(1., 3., 0).shape == (0,)
