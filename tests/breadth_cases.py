"""Snippets run in real TF by tools/record_breadth_fixtures.py and in tapeflow by
tests/test_breadth_fixtures.py: each is an expression over ``tf`` and ``np`` whose result (values,
dtypes, shapes) or exception (type and message) must be the same in both."""

CASES = {
    # top-level aliases and array helpers
    "sigmoid": "tf.sigmoid(tf.constant([-1.0, 0.0, 2.0]))",
    "floor": "tf.floor(tf.constant([-1.5, 0.2, 2.0]))",
    "cumsum": "tf.cumsum(tf.constant([[1, 2], [3, 4]]), axis=1, exclusive=True)",
    "realdiv": "tf.realdiv(tf.constant([1.0, 3.0]), tf.constant([2.0, 4.0]))",
    "truncatemod": "tf.truncatemod(tf.constant([-7, 7]), 3)",
    "truncatemod_f": "tf.truncatemod(tf.constant([-7.5, 7.5]), 2.0)",
    "roll": "tf.roll([[1, 2, 3], [4, 5, 6]], shift=[1, -1], axis=[0, 1])",
    "roll_scalar_axis": "tf.roll(tf.range(5), 2, 0)",
    "repeat": "tf.repeat([[1, 2], [3, 4]], [1, 2], axis=0)",
    "repeat_flat": "tf.repeat([[1, 2], [3, 4]], 2)",
    "reverse_sequence": "tf.reverse_sequence([[1, 2, 3], [4, 5, 6]], [2, 3], seq_axis=1, "
                        "batch_axis=0)",
    "dynamic_partition": "tf.dynamic_partition([10, 20, 30, 40], [0, 1, 0, 1], 2)",
    "dynamic_stitch": "tf.dynamic_stitch([[0, 2], [1, 2]], [[1.0, 2], [3, 4]])",
    "tensor_scatter_nd_sub": "tf.tensor_scatter_nd_sub([1, 2, 3], [[0], [2]], [5, 1])",
    "tensor_scatter_nd_max": "tf.tensor_scatter_nd_max([1, 2, 3], [[0], [2]], [5, 1])",
    "tensor_scatter_nd_min": "tf.tensor_scatter_nd_min([1, 2, 3], [[0], [2]], [5, 1])",
    "unique": "tf.unique(tf.constant([3, 1, 3, 2]))",
    "unique_int64": "tf.unique(tf.constant([3.0, 1, 3]), out_idx=tf.int64)",
    "unique_2d": "tf.unique(tf.zeros([2, 2]))",
    "unique_with_counts": "tf.unique_with_counts(tf.constant([3, 1, 3, 2]))",
    "sequence_mask": "tf.sequence_mask([1, 3], 4)",
    "sequence_mask_2d": "tf.sequence_mask(tf.constant([[1], [2]]))",
    "sequence_mask_dtype": "tf.sequence_mask([2, 0], 3, dtype=tf.float32)",
    "searchsorted": "tf.searchsorted([[1, 3, 5]], [[0, 3, 6]], side='right')",
    "searchsorted_left": "tf.searchsorted([1.0, 3.0, 5.0], [3.0, 4.0])",
    "histogram": "tf.histogram_fixed_width(tf.constant([-1.0, 0.0, 1.5, 2.0, 5.0, 15]), "
                 "[0.0, 5.0], nbins=5)",
    "histogram_bins": "tf.histogram_fixed_width_bins(tf.constant([-1.0, 0.0, 1.5, 2.0, 5.0, 15]),"
                      " [0.0, 5.0], nbins=5)",
    "as_string": "tf.as_string(tf.constant([3.5, 1e10, -0.1]))",
    "as_string_precision": "tf.as_string(tf.constant([3.5], tf.float64), precision=2)",
    "as_string_scientific": "tf.as_string(tf.constant([3.5]), scientific=True)",
    "as_string_shortest": "tf.as_string(tf.constant([3.5, 0.1]), shortest=True)",
    "as_string_int": "tf.as_string(tf.constant([3, -1]), width=4, fill='0')",
    "as_string_bool": "tf.as_string(tf.constant([True, False]))",
    "bitcast": "tf.bitcast(tf.constant([1.0]), tf.int32)",
    "bitcast_wide": "tf.bitcast(tf.constant([1, 2], tf.int32), tf.uint8)",
    "broadcast_dynamic_shape": "tf.broadcast_dynamic_shape([2, 1], [3])",
    "broadcast_dynamic_shape_bad": "tf.broadcast_dynamic_shape([2], [3])",
    "broadcast_static_shape": "tf.broadcast_static_shape(tf.TensorShape([2, 1]), "
                              "tf.TensorShape([3]))",
    "broadcast_static_shape_bad": "tf.broadcast_static_shape(tf.TensorShape([2]), "
                                  "tf.TensorShape([3]))",
    "shape_n": "tf.shape_n([tf.zeros([2]), tf.zeros([1, 3])])",
    "parallel_stack": "tf.parallel_stack([tf.constant([1, 2]), tf.constant([3, 4])])",
    "unravel_index": "tf.unravel_index([5, 3], [2, 3])",
    "ensure_shape": "tf.ensure_shape(tf.zeros([3]), [None])",
    "ensure_shape_bad": "tf.ensure_shape(tf.zeros([3]), [4])",
    "saturate_cast": "tf.dtypes.saturate_cast(tf.constant([-300.0, 300.0]), tf.uint8)",
    "saturate_cast_int": "tf.dtypes.saturate_cast(tf.constant([-300, 70000]), tf.int16)",
    "identity_n": "tf.identity_n([1, 2.0])",
    "get_static_value": "tf.get_static_value(tf.constant([1, 2]))",
    "executing_eagerly": "tf.executing_eagerly()",
    "gradients": "tf.gradients(tf.constant(1.0), tf.constant(1.0))",
    "no_op": "tf.no_op()",
    "group": "tf.group(tf.constant(1))",
    "tuple": "tf.tuple([tf.constant(1)])",
    "aggregation": "[tf.AggregationMethod.ADD_N, tf.AggregationMethod.DEFAULT, "
                   "tf.AggregationMethod.EXPERIMENTAL_TREE, "
                   "tf.AggregationMethod.EXPERIMENTAL_ACCUMULATE_N]",
    "variable_aggregation": "[str(a) for a in tf.VariableAggregation]",
    "variable_synchronization": "[str(a) for a in tf.VariableSynchronization]",
    "devspec": "tf.DeviceSpec.from_string('/job:w/replica:0/task:1/device:GPU:2').to_string()",
    "devspec_repr": "repr(tf.DeviceSpec(device_type='CPU', device_index=0))",
    "name_scope": "tf.name_scope('a').__enter__()",
    "register_gradient": "tf.RegisterGradient('Sin')(lambda op, g: g)",
    "error_codes": "[tf.errors.OK, tf.errors.CANCELLED, tf.errors.INVALID_ARGUMENT, "
                   "tf.errors.UNAUTHENTICATED, tf.errors.DATA_LOSS]",
    "assert_same_structure": "tf.nest.assert_same_structure([1, [2]], [1, 2])",
    "assert_same_structure_type": "tf.nest.assert_same_structure((1, 2), [1, 2])",
    "assert_same_structure_len": "tf.nest.assert_same_structure([1, 2, 3], [1, 2])",
    "assert_same_structure_ok": "tf.nest.assert_same_structure({'a': 1}, {'a': 2})",
    # assertions
    "Assert": "tf.Assert(False, ['x', tf.constant([1, 2])])",
    "Assert_ok": "tf.Assert(True, ['x'])",
    "assert_equal": "tf.debugging.assert_equal(tf.constant([1, 2]), tf.constant([1, 3]))",
    "assert_equal_msg": "tf.debugging.assert_equal(tf.constant([1, 2]), tf.constant([1, 3]), "
                        "message='hi')",
    "assert_equal_ok": "tf.debugging.assert_equal(tf.constant([1, 2]), tf.constant([1, 2]))",
    "assert_greater": "tf.debugging.assert_greater(tf.constant([1.0, 2]), 1.5)",
    "assert_less": "tf.assert_less(tf.constant([1.0, 2]), 1.5)",
    "assert_none_equal": "tf.debugging.assert_none_equal(tf.constant([1, 2]), "
                         "tf.constant([1, 3]))",
    "assert_positive": "tf.debugging.assert_positive(tf.constant([1.0, -2]))",
    "assert_non_negative": "tf.debugging.assert_non_negative(tf.constant([1, -2, 3, -4]))",
    "assert_near": "tf.debugging.assert_near(tf.constant([1.0, 2]), tf.constant([1.0, 2.1]))",
    "assert_near_ok": "tf.debugging.assert_near(tf.constant([1.0, 2]), "
                      "tf.constant([1.0, 2.0000001]))",
    "assert_rank": "tf.debugging.assert_rank(tf.constant([1.0, 2]), 2)",
    "assert_rank_at_least": "tf.debugging.assert_rank_at_least(tf.constant([1.0, 2]), 2)",
    "assert_rank_in": "tf.debugging.assert_rank_in(tf.constant([1.0, 2]), [0, 2])",
    "assert_scalar": "tf.debugging.assert_scalar(tf.constant([1.0, 2]))",
    "assert_type": "tf.debugging.assert_type(tf.constant([1.0, 2]), tf.int32)",
    "assert_integer": "tf.debugging.assert_integer(tf.constant([1.0, 2]))",
    "assert_all_finite": "tf.debugging.assert_all_finite(tf.constant([1.0, np.nan]), 'bad')",
    "assert_shapes": "tf.debugging.assert_shapes([(tf.zeros([2, 3]), ('N', 'Q')), "
                     "(tf.zeros([3]), ('N',))])",
    "assert_proper_iterable": "tf.debugging.assert_proper_iterable('abc')",
    "assert_same_float_dtype": "tf.debugging.assert_same_float_dtype([tf.zeros([2]), "
                               "tf.zeros([2], tf.float64)])",
    "is_numeric_tensor": "[tf.debugging.is_numeric_tensor(tf.constant([1])), "
                         "tf.debugging.is_numeric_tensor(tf.constant(['a']))]",
    "is_non_decreasing": "tf.math.is_non_decreasing([1, 2, 2])",
    "is_strictly_increasing": "tf.math.is_strictly_increasing([1, 2, 2])",
    # tf.math extras
    "reciprocal_no_nan": "tf.math.reciprocal_no_nan(tf.constant([0.0, 2.0]))",
    "xlog1py": "tf.math.xlog1py(tf.constant([0.0, 2.0]), tf.constant([-1.0, 1.0]))",
    "lbeta": "tf.math.lbeta(tf.constant([[1.0, 2.0], [0.5, 3.0]]))",
    "polyval": "tf.math.polyval([2.0, 3.0, 4.0], tf.constant([1.0, 2.0]))",
    "accumulate_n": "tf.math.accumulate_n([tf.constant([1, 2]), tf.constant([3, 4])])",
    "zero_fraction": "tf.math.zero_fraction(tf.constant([0, 1, 0, 3]))",
    "count_nonzero": "tf.math.count_nonzero(tf.constant([[0, 1], [2, 0]]), axis=0)",
    "count_nonzero_all": "tf.math.count_nonzero(tf.constant([0.0, 1.0, 2.0]))",
    "cumulative_logsumexp": "tf.math.cumulative_logsumexp(tf.constant([1.0, 2.0, 3.0]))",
    "invert_permutation": "tf.math.invert_permutation([2, 0, 1])",
    "nextafter": "tf.math.nextafter(tf.constant([1.0], tf.float64), tf.constant([2.0], "
                 "tf.float64)) - 1",
    "in_top_k": "tf.math.in_top_k([0, 1], tf.constant([[0.1, 0.9, 0.5], [0.3, 0.3, 0.2]]), 1)",
    "bincount": "tf.math.bincount(tf.constant([1, 1, 3]))",
    "bincount_weights": "tf.math.bincount(tf.constant([1, 1, 3]), weights=tf.constant([0.5, 1, "
                        "2]), minlength=5)",
    "confusion_matrix": "tf.math.confusion_matrix([0, 1, 2, 1], [0, 2, 2, 1])",
    "approx_max_k": "tf.math.approx_max_k(tf.constant([[1.0, 5.0, 3.0]]), 2)",
    "approx_min_k": "tf.math.approx_min_k(tf.constant([[1.0, 5.0, 3.0]]), 2)",
    "segment_max": "tf.math.segment_max(tf.constant([1.0, 5.0, 3.0]), [0, 0, 2])",
    "segment_min": "tf.math.segment_min(tf.constant([1, 5, 3]), [0, 0, 2])",
    "segment_mean": "tf.math.segment_mean(tf.constant([1.0, 5.0, 3.0]), [0, 0, 1])",
    "segment_prod": "tf.math.segment_prod(tf.constant([2.0, 5.0, 3.0]), [0, 0, 1])",
    "unsorted_segment_min": "tf.math.unsorted_segment_min(tf.constant([1.0, 5.0, 3.0]), "
                            "[0, 0, 2], 4)",
    "unsorted_segment_min_int": "tf.math.unsorted_segment_min(tf.constant([1, 5, 3]), "
                                "[0, 0, 2], 4)",
    "unsorted_segment_prod": "tf.math.unsorted_segment_prod(tf.constant([2.0, 5.0, 3.0]), "
                             "[0, 1, 0], 3)",
    "unsorted_segment_sqrt_n": "tf.math.unsorted_segment_sqrt_n(tf.constant([2.0, 5.0, 3.0]), "
                               "[0, 1, 0], 3)",
    "erfinv": "tf.math.erfinv(tf.constant([-0.5, 0.0, 0.3, 0.99, 1.0, 1.5]))",
    "ndtri": "tf.math.ndtri(tf.constant([0.1, 0.5, 0.975], tf.float64))",
    "erfcinv": "tf.math.erfcinv(tf.constant([0.1, 1.0, 1.5]))",
    "bessel_i0": "tf.math.bessel_i0(tf.constant([-2.0, 0.0, 1.0, 40.0]))",
    "bessel_i0e": "tf.math.bessel_i0e(tf.constant([-2.0, 0.0, 1.0, 40.0], tf.float64))",
    "bessel_i1": "tf.math.bessel_i1(tf.constant([-2.0, 0.0, 1.0, 40.0]))",
    "bessel_i1e": "tf.math.bessel_i1e(tf.constant([-2.0, 0.0, 1.0, 40.0], tf.float64))",
    "igamma": "tf.math.igamma(tf.constant([0.5, 2.0, 5.0, 3.0]), "
              "tf.constant([0.3, 2.0, 10.0, 0.0]))",
    "igammac": "tf.math.igammac(tf.constant([0.5, 2.0, 5.0], tf.float64), "
               "tf.constant([0.3, 2.0, 10.0], tf.float64))",
    "betainc": "tf.math.betainc(tf.constant([2.0, 0.5]), tf.constant([3.0, 0.5]), "
               "tf.constant([0.2, 0.9]))",
    "zeta": "tf.math.zeta(tf.constant([2.0, 3.0, 4.5]), tf.constant([1.0, 2.0, 0.5]))",
}
