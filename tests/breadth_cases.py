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
    "name_scope": "tf.name_scope('a').name",
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

_X = "np.array([[0.5, -1.0, 2.0, 0.25, 1.5, -0.75, 0.1, 3.0], [1.0, 2.0, -1.0, 0.0, 0.5, 0.5, -2.0, 1.0]], np.float32)"  # noqa: E501
_Z = f"tf.complex({_X}, {_X}[::-1])"
CASES.update({
    "fft": f"tf.signal.fft({_Z})",
    "ifft": f"tf.signal.ifft({_Z})",
    "fft2d": f"tf.signal.fft2d({_Z})",
    "ifft2d": f"tf.signal.ifft2d(tf.cast({_Z}, tf.complex128))",
    "fft3d": f"tf.signal.fft3d(tf.reshape({_Z}, [2, 2, 4]))",
    "ifft3d": f"tf.signal.ifft3d(tf.reshape({_Z}, [2, 2, 4]))",
    "fft_float": f"tf.signal.fft({_X})",
    "fft_rank0": "tf.signal.fft(tf.constant(1 + 2j, tf.complex64))",
    "rfft": f"tf.signal.rfft({_X})",
    "rfft_len": f"tf.signal.rfft({_X}, [5])",
    "rfft_pad": f"tf.signal.rfft({_X}, [10])",
    "rfft_f64": f"tf.signal.rfft(tf.cast({_X}, tf.float64))",
    "irfft": f"tf.signal.irfft(tf.signal.rfft({_X}))",
    "irfft_odd": f"tf.signal.irfft({_Z}[:, :4], [7])",
    "irfft_raw": f"tf.signal.irfft({_Z}[:, :5])",
    "rfft2d": f"tf.signal.rfft2d({_X})",
    "rfft2d_len": f"tf.signal.rfft2d({_X}, [3, 6])",
    "irfft2d": f"tf.signal.irfft2d({_Z}[:, :5])",
    "rfft3d": f"tf.signal.rfft3d(tf.reshape({_X}, [2, 2, 4]))",
    "irfft3d": f"tf.signal.irfft3d(tf.reshape({_Z}, [2, 2, 4])[..., :3])",
    "fftnd": f"tf.signal.fftnd({_Z}, axes=[0])",
    "ifftnd": f"tf.signal.ifftnd({_Z})",
    "rfftnd": f"tf.signal.rfftnd({_X}, fft_length=[2, 6], axes=[0, 1])",
    "irfftnd": f"tf.signal.irfftnd({_Z}[:, :5], fft_length=[2, 8], axes=[0, 1])",
    "fftshift": "tf.signal.fftshift(tf.reshape(tf.range(15), [3, 5]))",
    "fftshift_axes": "tf.signal.fftshift(tf.reshape(tf.range(15), [3, 5]), axes=1)",
    "ifftshift": "tf.signal.ifftshift(tf.reshape(tf.range(15), [3, 5]))",
    "frame": "tf.signal.frame(tf.range(7), 3, 2)",
    "frame_pad": "tf.signal.frame(tf.range(7), 3, 2, pad_end=True, pad_value=-1)",
    "frame_axis": f"tf.signal.frame({_X}, 2, 1, axis=0)",
    "frame_short": "tf.signal.frame(tf.range(2), 3, 1)",
    "overlap_and_add": "tf.signal.overlap_and_add(tf.reshape(tf.range(12.0), [3, 4]), 2)",
    "overlap_and_add_batch": "tf.signal.overlap_and_add(tf.reshape(tf.range(24.0), [2, 3, 4]), 3)",
    "hann": "tf.signal.hann_window(5)",
    "hann_sym": "tf.signal.hann_window(5, periodic=False, dtype=tf.float64)",
    "hann_one": "tf.signal.hann_window(1)",
    "hamming": "tf.signal.hamming_window(6)",
    "kaiser": "tf.signal.kaiser_window(6, beta=4.0)",
    "kbd": "tf.signal.kaiser_bessel_derived_window(8, beta=4.0)",
    "vorbis": "tf.signal.vorbis_window(6)",
    "window_int": "tf.signal.hann_window(4, dtype=tf.int32)",
    "stft": f"tf.signal.stft({_X}, 4, 2)",
    "stft_fft_len": f"tf.signal.stft({_X}, 3, 2, fft_length=6, pad_end=True)",
    "stft_no_window": f"tf.signal.stft({_X}, 4, 2, window_fn=None)",
    "inverse_stft": f"tf.signal.inverse_stft(tf.signal.stft({_X}, 4, 2), 4, 2)",
    "inverse_stft_window": f"tf.signal.inverse_stft(tf.signal.stft({_X}, 4, 1), 4, 1, "
                           "window_fn=tf.signal.inverse_stft_window_fn(1))",
    "inverse_stft_window_fn": "tf.signal.inverse_stft_window_fn(2)(4)",
    "dct1": f"tf.signal.dct({_X}, type=1)",
    "dct2": f"tf.signal.dct({_X})",
    "dct2_ortho": f"tf.signal.dct({_X}, norm='ortho')",
    "dct3": f"tf.signal.dct({_X}, type=3)",
    "dct3_ortho": f"tf.signal.dct({_X}, type=3, norm='ortho')",
    "dct4": f"tf.signal.dct({_X}, type=4)",
    "dct4_ortho": f"tf.signal.dct(tf.cast({_X}, tf.float64), type=4, norm='ortho')",
    "dct_n": f"tf.signal.dct({_X}, n=5)",
    "dct_n_pad": f"tf.signal.dct({_X}, n=10)",
    "idct1": f"tf.signal.idct({_X}, type=1)",
    "idct2": f"tf.signal.idct({_X})",
    "idct2_ortho": f"tf.signal.idct({_X}, norm='ortho')",
    "idct3": f"tf.signal.idct({_X}, type=3)",
    "idct4": f"tf.signal.idct({_X}, type=4)",
    "dct_bad_type": f"tf.signal.dct({_X}, type=5)",
    "dct1_ortho": f"tf.signal.dct({_X}, type=1, norm='ortho')",
    "dct_int": "tf.signal.dct(tf.constant([1, 2]))",
    "mdct": f"tf.signal.mdct({_X}, 4)",
    "mdct_ortho": f"tf.signal.mdct({_X}, 8, norm='ortho')",
    "mdct_no_window": f"tf.signal.mdct({_X}, 4, window_fn=None, pad_end=True)",
    "inverse_mdct": f"tf.signal.inverse_mdct(tf.signal.mdct({_X}, 4))",
    "inverse_mdct_ortho": f"tf.signal.inverse_mdct(tf.signal.mdct({_X}, 8, norm='ortho'), "
                          "norm='ortho')",
    "mel": "tf.signal.linear_to_mel_weight_matrix(4, 9, 8000, 100.0, 3000.0)",
    "mel_default": "tf.reduce_sum(tf.signal.linear_to_mel_weight_matrix(), axis=0)",
    "mel_bad": "tf.signal.linear_to_mel_weight_matrix(4, 9, 8000, 100.0, 5000.0)",
    "mfccs": f"tf.signal.mfccs_from_log_mel_spectrograms({_X})",
})

_IMG = "tf.constant(np.arange(90, dtype=np.float32).reshape(1, 5, 6, 3) % 17 / 16)"
_IMG3 = f"{_IMG}[0]"
_U8 = "tf.constant((np.arange(90).reshape(1, 5, 6, 3) * 37 % 256).astype(np.uint8))"
_BOXES = "np.array([[0.1, 0.2, 0.9, 0.8], [0.0, 0.0, 0.5, 0.5], [0.2, 0.1, 0.7, 1.2]], np.float32)"
CASES.update({
    "img_convert_u8_f": f"tf.image.convert_image_dtype({_U8}, tf.float32)",
    "img_convert_f_u8": f"tf.image.convert_image_dtype({_IMG}, tf.uint8)",
    "img_convert_f_u8_sat": f"tf.image.convert_image_dtype({_IMG} * 2 - 0.5, tf.uint8, "
                            "saturate=True)",
    "img_convert_u8_i32": f"tf.image.convert_image_dtype({_U8}, tf.int32)",
    "img_convert_i32_u8": f"tf.image.convert_image_dtype(tf.image.convert_image_dtype({_U8}, "
                          "tf.int32), tf.uint8)",
    "img_convert_f64": f"tf.image.convert_image_dtype({_IMG}, tf.float64)",
    "img_flip_lr": f"tf.image.flip_left_right({_IMG})",
    "img_flip_ud": f"tf.image.flip_up_down({_IMG3})",
    "img_transpose": f"tf.image.transpose({_IMG})",
    "img_rot90": f"tf.image.rot90({_IMG})",
    "img_rot90_2": f"tf.image.rot90({_IMG3}, k=2)",
    "img_rot90_3": f"tf.image.rot90({_IMG}, k=3)",
    "img_rank2": "tf.image.flip_left_right(tf.zeros([2, 2]))",
    "img_crop": f"tf.image.crop_to_bounding_box({_IMG}, 1, 2, 3, 3)",
    "img_crop_bad": f"tf.image.crop_to_bounding_box({_IMG}, 3, 2, 3, 3)",
    "img_pad": f"tf.image.pad_to_bounding_box({_IMG3}, 1, 0, 7, 7)",
    "img_central_crop": f"tf.image.central_crop({_IMG}, 0.5)",
    "img_crop_or_pad": f"tf.image.resize_with_crop_or_pad({_IMG}, 3, 8)",
    "img_crop_or_pad2": f"tf.image.resize_with_crop_or_pad({_IMG3}, 8, 3)",
    "resize_bilinear_up": f"tf.image.resize({_IMG}, [7, 9])",
    "resize_bilinear_down": f"tf.image.resize({_IMG}, [3, 4])",
    "resize_nearest": f"tf.image.resize({_U8}, [7, 4], method='nearest')",
    "resize_bicubic_up": f"tf.image.resize({_IMG}, [7, 9], method='bicubic')",
    "resize_bicubic_down": f"tf.image.resize({_IMG}, [3, 4], method='bicubic')",
    "resize_area": f"tf.image.resize({_IMG}, [3, 4], method='area')",
    "resize_area_up": f"tf.image.resize({_IMG}, [7, 9], method='area')",
    "resize_lanczos3": f"tf.image.resize({_IMG}, [3, 4], method='lanczos3')",
    "resize_lanczos5": f"tf.image.resize({_IMG}, [7, 9], method='lanczos5')",
    "resize_gaussian": f"tf.image.resize({_IMG}, [3, 8], method='gaussian')",
    "resize_mitchell": f"tf.image.resize({_IMG}, [4, 4], method='mitchellcubic')",
    "resize_bilinear_aa": f"tf.image.resize({_IMG}, [3, 4], antialias=True)",
    "resize_bicubic_aa": f"tf.image.resize({_IMG}, [2, 3], method='bicubic', antialias=True)",
    "resize_aspect": f"tf.image.resize({_IMG}, [10, 8], preserve_aspect_ratio=True)",
    "resize_u8": f"tf.image.resize({_U8}, [3, 4])",
    "resize_f64": f"tf.image.resize(tf.cast({_IMG}, tf.float64), [3, 4])",
    "resize_f64_lanczos": f"tf.image.resize(tf.cast({_IMG}, tf.float64), [3, 4], "
                          "method='lanczos3')",
    "resize_bad_method": f"tf.image.resize({_IMG}, [3, 4], method='cubic')",
    "resize_with_pad": f"tf.image.resize_with_pad({_IMG}, 8, 8)",
    "adjust_brightness": f"tf.image.adjust_brightness({_IMG}, 0.25)",
    "adjust_brightness_u8": f"tf.image.adjust_brightness({_U8}, 0.25)",
    "adjust_gamma": f"tf.image.adjust_gamma({_IMG}, 2.0, 0.5)",
    "adjust_gamma_u8": f"tf.image.adjust_gamma({_U8}, 0.5)",
    "adjust_contrast": f"tf.image.adjust_contrast({_IMG}, 2.0)",
    "rgb_to_grayscale": f"tf.image.rgb_to_grayscale({_IMG})",
    "rgb_to_grayscale_u8": f"tf.image.rgb_to_grayscale({_U8})",
    "grayscale_to_rgb": f"tf.image.grayscale_to_rgb({_IMG}[..., :1])",
    "rgb_to_yiq": f"tf.image.rgb_to_yiq({_IMG})",
    "yiq_to_rgb": f"tf.image.yiq_to_rgb({_IMG})",
    "rgb_to_yuv": f"tf.image.rgb_to_yuv({_IMG})",
    "yuv_to_rgb": f"tf.image.yuv_to_rgb({_IMG})",
    "rgb_to_hsv": f"tf.image.rgb_to_hsv({_IMG})",
    "hsv_to_rgb": f"tf.image.hsv_to_rgb({_IMG})",
    "adjust_hue": f"tf.image.adjust_hue({_IMG}, 0.2)",
    "adjust_hue_u8": f"tf.image.adjust_hue({_U8}, -0.3)",
    "adjust_saturation": f"tf.image.adjust_saturation({_IMG}, 1.7)",
    "per_image_standardization": f"tf.image.per_image_standardization({_IMG})",
    "per_image_standardization_u8": f"tf.image.per_image_standardization({_U8})",
    "total_variation": f"tf.image.total_variation({_IMG})",
    "total_variation3": f"tf.image.total_variation({_IMG3})",
    "psnr": f"tf.image.psnr({_IMG}, {_IMG}[:, ::-1], 1.0)",
    "psnr_u8": f"tf.image.psnr({_U8}, {_U8}[:, ::-1], 255)",
    "ssim": "tf.image.ssim(np.sin(np.arange(432.0, dtype=np.float32)).reshape(1, 12, 12, 3), "
            "np.cos(np.arange(432.0, dtype=np.float32)).reshape(1, 12, 12, 3), 1.0, "
            "filter_size=5)",
    "ssim_map": f"tf.image.ssim({_IMG}, {_IMG}[:, ::-1], 1.0, filter_size=3, "
                "return_index_map=True)",
    "sobel_edges": f"tf.image.sobel_edges({_IMG})",
    "image_gradients": f"tf.image.image_gradients({_IMG})",
    "extract_patches_valid": f"tf.image.extract_patches({_IMG}, [1, 2, 3, 1], [1, 2, 2, 1], "
                             "[1, 1, 1, 1], 'VALID')",
    "extract_patches_same": f"tf.image.extract_patches({_IMG}, [1, 3, 2, 1], [1, 2, 3, 1], "
                            "[1, 1, 2, 1], 'SAME')",
    "crop_and_resize": f"tf.image.crop_and_resize({_IMG}, {_BOXES}, [0, 0, 0], [3, 4])",
    "crop_and_resize_nearest": f"tf.image.crop_and_resize({_IMG}, {_BOXES}, [0, 0, 0], [2, 3], "
                               "method='nearest', extrapolation_value=-1.0)",
    "crop_and_resize_one": f"tf.image.crop_and_resize({_U8}, {_BOXES}, [0, 0, 0], [1, 1])",
    "nms": f"tf.image.non_max_suppression({_BOXES}, [0.9, 0.8, 0.7], 3, 0.3)",
    "nms_score": f"tf.image.non_max_suppression({_BOXES}, [0.9, 0.8, 0.7], 3, 0.9, 0.75)",
    "nms_with_scores": f"tf.image.non_max_suppression_with_scores({_BOXES}, [0.6, 0.8, 0.7], 2)",
    "nms_overlaps": "tf.image.non_max_suppression_overlaps([[1.0, 0.6, 0.1], [0.6, 1.0, 0.2], "
                    "[0.1, 0.2, 1.0]], [0.5, 0.9, 0.4], 3)",
    "nms_padded": f"tf.image.non_max_suppression_padded({_BOXES}, [0.9, 0.8, 0.7], 5, 0.3, "
                  "pad_to_max_output_size=True)",
    "draw_bounding_boxes": f"tf.image.draw_bounding_boxes({_IMG}, {_BOXES}[None], "
                           "[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])",
    "stateless_flip": f"tf.image.stateless_random_flip_left_right({_IMG}, [1, 2]).shape",
    "random_crop_shape": f"tf.image.random_crop({_IMG3}, [2, 3, 3]).shape",
    "random_crop_bad": f"tf.image.random_crop({_IMG3}, [7, 3, 3])",
    "random_hue_bad": f"tf.image.random_hue({_IMG}, 0.7)",
})

_PNG = f"tf.image.encode_png(tf.image.convert_image_dtype({_IMG}[0], tf.uint8))"
_JPG = f"tf.image.encode_jpeg(tf.image.convert_image_dtype({_IMG}[0], tf.uint8))"
CASES.update({
    "png_round_trip": f"tf.image.decode_png({_PNG})",
    "png_gray": f"tf.image.decode_png({_PNG}, channels=1)",
    "png_rgba": f"tf.image.decode_png({_PNG}, channels=4)",
    "png_u16": f"tf.image.decode_png({_PNG}, dtype=tf.uint16)",
    "png_decode_image_float": f"tf.image.decode_image({_PNG}, dtype=tf.float32)",
    "png_is_jpeg": f"tf.image.is_jpeg({_PNG})",
    "jpeg_is_jpeg": f"tf.image.is_jpeg({_JPG})",
    "jpeg_shape": f"tf.image.extract_jpeg_shape({_JPG})",
    "jpeg_decode_shape": f"tf.image.decode_jpeg({_JPG}).shape",
    "decode_bad": "tf.image.decode_image(b'not an image')",
})

_A = "np.sin(np.arange({n}, dtype=np.float32) * 0.7).reshape({shape})"
_X2 = _A.format(n=2 * 5 * 6 * 3, shape="2, 5, 6, 3")
_X1 = _A.format(n=2 * 7 * 3, shape="2, 7, 3")
_X3 = _A.format(n=1 * 4 * 5 * 4 * 2, shape="1, 4, 5, 4, 2")
_W2 = "np.cos(np.arange(2 * 3 * 3 * 4, dtype=np.float32)).reshape(2, 3, 3, 4)"
_W3 = "np.cos(np.arange(2 * 2 * 3 * 2 * 3, dtype=np.float32)).reshape(2, 2, 3, 2, 3)"
_W1 = "np.cos(np.arange(3 * 3 * 2, dtype=np.float32)).reshape(3, 3, 2)"
_DW = "np.cos(np.arange(2 * 2 * 3 * 2, dtype=np.float32)).reshape(2, 2, 3, 2)"
CASES.update({
    "conv3d_valid": f"tf.nn.conv3d({_X3}, {_W3}, [1, 1, 1, 1, 1], 'VALID')",
    "conv3d_same_strided": f"tf.nn.conv3d({_X3}, {_W3}, [1, 2, 1, 2, 1], 'SAME')",
    "conv3d_dilated": f"tf.nn.conv3d({_X3}, {_W3}, [1, 1, 1, 1, 1], 'SAME', "
                      "dilations=[1, 2, 1, 1, 1])",
    "convolution_2d": f"tf.nn.convolution({_X2}, {_W2}, padding='SAME')",
    "convolution_2d_dilated": f"tf.nn.convolution({_X2}, {_W2}, padding='VALID', dilations=2)",
    "convolution_1d": f"tf.nn.convolution({_X1}, {_W1}, strides=2, padding='SAME')",
    "convolution_3d": f"tf.nn.convolution({_X3}, {_W3}, padding='SAME')",
    "convolution_groups": f"tf.nn.convolution({_X2}[..., :2], {_W2}[:, :, :1, :], "
                          "padding='VALID')",
    "depthwise": f"tf.nn.depthwise_conv2d({_X2}, {_DW}, [1, 1, 1, 1], 'SAME')",
    "depthwise_strided": f"tf.nn.depthwise_conv2d({_X2}, {_DW}, [1, 2, 2, 1], 'VALID')",
    "depthwise_dilated": f"tf.nn.depthwise_conv2d({_X2}, {_DW}, [1, 1, 1, 1], 'SAME', "
                         "dilations=[2, 2])",
    "separable": f"tf.nn.separable_conv2d({_X2}, {_DW}, np.ones([1, 1, 6, 2], np.float32) * "
                 "0.5, [1, 1, 1, 1], 'VALID')",
    "atrous": f"tf.nn.atrous_conv2d({_X2}, {_W2}, 2, 'SAME')",
    "conv_transpose_2d": f"tf.nn.conv_transpose({_X2}[:, :3, :3, :], {_W2}[:, :, :, :3], "
                         "[2, 6, 6, 3], 2, 'SAME')",
    "conv1d_transpose": f"tf.nn.conv1d_transpose({_X1}, {_W1}[:, :, :1] * np.ones([3, 2, 3], "
                        "np.float32), [2, 14, 2], 2, 'SAME')",
    "conv3d_transpose": f"tf.nn.conv3d_transpose({_X3}[..., :1] * 0 + {_X3}[..., 1:], "
                        "np.ones([2, 2, 2, 3, 1], np.float32), [1, 4, 5, 4, 3], 1, 'SAME')",
    "atrous_transpose": f"tf.nn.atrous_conv2d_transpose({_X2}, np.ones([2, 2, 2, 3], "
                        "np.float32), [2, 5, 6, 2], 2, 'SAME')",
    "depthwise_backprop_input": f"tf.nn.depthwise_conv2d_backprop_input([2, 5, 6, 3], {_DW}, "
                                f"tf.ones([2, 5, 6, 6]), [1, 1, 1, 1], 'SAME')",
    "depthwise_backprop_filter": f"tf.nn.depthwise_conv2d_backprop_filter({_X2}, [2, 2, 3, 2], "
                                 "tf.ones([2, 5, 6, 6]), [1, 1, 1, 1], 'SAME')",
    "max_pool": f"tf.nn.max_pool({_X2}, 2, 2, 'SAME')",
    "max_pool1d": f"tf.nn.max_pool1d({_X1}, 3, 2, 'SAME')",
    "avg_pool1d": f"tf.nn.avg_pool1d({_X1}, 3, 2, 'SAME')",
    "max_pool3d": f"tf.nn.max_pool3d({_X3}, 2, [1, 2, 1, 2, 1], 'VALID')",
    "avg_pool3d": f"tf.nn.avg_pool3d({_X3}, [2, 3, 2], 2, 'SAME')",
    "avg_pool": f"tf.nn.avg_pool({_X2}, 3, 2, 'SAME')",
    "pool_max": f"tf.nn.pool({_X2}, [2, 2], 'MAX', strides=[2, 2], padding='SAME')",
    "pool_avg_dilated": f"tf.nn.pool({_X2}, [2, 2], 'AVG', padding='SAME', dilations=[2, 2])",
    "pool_avg_dilated_valid": f"tf.nn.pool({_X2}, [2, 2], 'AVG', padding='VALID', "
                              "dilations=[2, 1])",
    "max_pool_with_argmax": f"tf.nn.max_pool_with_argmax({_X2}, 2, 2, 'SAME')",
    "max_pool_with_argmax_batch": f"tf.nn.max_pool_with_argmax({_X2}, 3, 2, 'VALID', "
                                  "include_batch_in_index=True)",
    "dilation2d": f"tf.nn.dilation2d({_X2}, np.ones([2, 2, 3], np.float32) * 0.1, "
                  "[1, 1, 1, 1], 'SAME', 'NHWC', [1, 1, 1, 1])",
    "erosion2d": f"tf.nn.erosion2d({_X2}, np.arange(12, dtype=np.float32).reshape(2, 2, 3) / 10,"
                 " [1, 1, 1, 1], 'VALID', 'NHWC', [1, 1, 1, 1])",
    "space_to_depth": f"tf.nn.space_to_depth({_X2}[:, :4], 2)",
    "depth_to_space": "tf.nn.depth_to_space(tf.reshape(tf.range(48), [1, 2, 2, 12]), 2)",
    "space_to_batch": f"tf.space_to_batch({_X2}, [2, 2], [[0, 1], [1, 1]])",
    "space_to_batch_nd": "tf.space_to_batch_nd(tf.reshape(tf.range(24), [1, 4, 6, 1]), [2, 3], "
                         "[[0, 0], [0, 0]])",
    "batch_to_space": "tf.batch_to_space(tf.reshape(tf.range(24), [4, 2, 3, 1]), [2, 2], "
                      "[[0, 1], [1, 0]])",
    "required_paddings": "tf.required_space_to_batch_paddings([5, 7], [2, 3], [[1, 0], [0, 2]])",
    "with_space_to_batch": f"tf.nn.with_space_to_batch({_X2}, [2, 2], 'SAME', lambda x, n, p: "
                           f"tf.nn.convolution(x, {_W2}, padding=p), filter_shape=[2, 3])",
    "lrn": f"tf.nn.local_response_normalization({_X2}, depth_radius=1, bias=2.0, alpha=0.5, "
           "beta=0.75)",
    "normalize_moments": "tf.nn.normalize_moments(4.0, tf.constant([2.0, 4]), "
                         "tf.constant([5.0, 9]), 1.0)",
    "sufficient_statistics": f"tf.nn.sufficient_statistics({_X2}, [0, 1, 2])",
    "weighted_moments": f"tf.nn.weighted_moments({_X2}, [1, 2], np.ones([2, 5, 6, 1], "
                        "np.float32) * 2)",
    "batch_norm_global": f"tf.nn.batch_norm_with_global_normalization({_X2}, 0.5, 2.0, 0.1, 3.0,"
                         " 1e-3, True)",
    "crelu": "tf.nn.crelu(tf.constant([[-1.0, 2.0]]))",
    "log_poisson": "tf.nn.log_poisson_loss(tf.constant([0.0, 1.0, 3.0]), tf.constant([0.5, -1.0,"
                   " 2.0]), compute_full_loss=True)",
    "weighted_xent": "tf.nn.weighted_cross_entropy_with_logits(tf.constant([0.0, 1.0, 0.5]), "
                     "tf.constant([0.5, -2.0, 3.0]), 2.5)",
    "compute_average_loss": "tf.nn.compute_average_loss(tf.constant([1.0, 2.0, 4.0]), "
                            "sample_weight=tf.constant([1.0, 0.5, 0.0]))",
    "compute_average_loss_gbs": "tf.nn.compute_average_loss(tf.constant([1.0, 2.0]), "
                                "global_batch_size=8)",
    "scale_regularization_loss": "tf.nn.scale_regularization_loss(tf.constant([1.0, 2.0]))",
    "collapse_repeated": "tf.nn.collapse_repeated(tf.constant([[1, 1, 2, 2, 3], [4, 4, 4, 5, 5]]),"
                         " tf.constant([5, 3]))",
    "conv_raw": f"tf.conv({_X2}, {_W2}, [1, 1, 1, 1], 'VALID')",
})

_M = "np.array([[2.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 4.0]], np.float32)"
_N = "np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 10.0]], np.float32)"
_R = "np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 7.0]], np.float32)"
CASES.update({
    "cross": "tf.linalg.cross(tf.constant([[1.0, 2, 3]]), tf.constant([[4.0, 5, 7]]))",
    "normalize": f"tf.linalg.normalize({_N}, axis=0)",
    "normalize_all": f"tf.linalg.normalize({_N})",
    "l2_normalize_linalg": f"tf.linalg.l2_normalize({_N}, axis=1)",
    "pinv": f"tf.linalg.pinv({_R})",
    "pinv_singular": "tf.linalg.pinv(tf.constant([[1.0, 2], [2, 4]]))",
    "matrix_rank": "tf.linalg.matrix_rank(tf.constant([[1.0, 2], [2, 4]]))",
    "matrix_rank_full": f"tf.linalg.matrix_rank({_N})",
    "lstsq": f"tf.linalg.lstsq({_R}, tf.constant([[1.0], [2.0], [2.5]]))",
    "lstsq_reg": f"tf.linalg.lstsq({_R}, tf.constant([[1.0], [2.0], [2.5]]), "
                 "l2_regularizer=0.5)",
    "lstsq_wide": f"tf.linalg.lstsq(tf.transpose({_R}), tf.constant([[1.0], [2.0]]))",
    "expm": f"tf.linalg.expm({_M})",
    "expm_big": f"tf.linalg.expm(tf.cast({_N}, tf.float64))",
    "logm": f"tf.linalg.logm(tf.cast({_M}, tf.complex64))",
    "logm_real": f"tf.linalg.logm({_M})",
    "sqrtm": f"tf.linalg.sqrtm({_M})",
    "matrix_square_root": f"tf.matrix_square_root(tf.cast({_M}, tf.float64))",
    "eigvals": f"tf.sort(tf.math.real(tf.linalg.eigvals({_M})))",
    "eig_values": f"tf.sort(tf.math.real(tf.linalg.eig({_M})[0]))",
    "eig_dtype": f"tf.linalg.eig(tf.cast({_M}, tf.float64))[1].dtype",
    "lu": f"tf.linalg.lu({_N})",
    "lu_int64": f"tf.linalg.lu({_N}, output_idx_type=tf.int64).p",
    "lu_reconstruct": f"tf.linalg.lu_reconstruct(*tf.linalg.lu({_N}))",
    "lu_solve": f"tf.linalg.lu_solve(*tf.linalg.lu({_N}), tf.constant([[1.0], [2.0], [3.0]]))",
    "lu_matrix_inverse": f"tf.linalg.lu_matrix_inverse(*tf.linalg.lu({_N}))",
    "tridiagonal_solve": "tf.linalg.tridiagonal_solve(tf.constant([[2.0, 1.0, 0.0], [4.0, 5.0, "
                         "6.0], [0.0, 1.0, 2.0]]), tf.constant([[1.0], [2.0], [3.0]]))",
    "tridiagonal_solve_seq": "tf.linalg.tridiagonal_solve((tf.constant([2.0, 1.0, 0.0]), "
                             "tf.constant([4.0, 5.0, 6.0]), tf.constant([0.0, 1.0, 2.0])), "
                             "tf.constant([[1.0], [2.0], [3.0]]), diagonals_format='sequence')",
    "tridiagonal_matmul": "tf.linalg.tridiagonal_matmul(tf.constant([[2.0, 1.0, 0.0], [4.0, "
                          "5.0, 6.0], [0.0, 1.0, 2.0]]), tf.constant([[1.0], [2.0], [3.0]]))",
    "banded_lower": "tf.linalg.banded_triangular_solve(tf.constant([[2.0, 3.0, 4.0], [1.0, "
                    "1.5, 0.0]]), tf.constant([[1.0], [2.0], [3.0]]))",
    "banded_upper": "tf.linalg.banded_triangular_solve(tf.constant([[0.0, 1.0, 1.5], [2.0, 3.0,"
                    " 4.0]]), tf.constant([[1.0], [2.0], [3.0]]), lower=False)",
    "eigh_tridiagonal": "tf.linalg.eigh_tridiagonal(tf.constant([2.0, 3.0, 4.0]), "
                        "tf.constant([1.0, 0.5]))",
})

# random: tapeflow's draws are NumPy's, so only shapes, dtypes and errors are compared with TF
CASES.update({
    "algorithm": "[a.value for a in tf.random.Algorithm]",
    "create_rng_state": "tf.random.create_rng_state(5, 'philox')",
    "create_rng_state_threefry": "tf.random.create_rng_state(5, tf.random.Algorithm.THREEFRY)",
    "split_shape": "[tf.random.split([1, 2], 3).shape, tf.random.split([1, 2]).dtype]",
    "fold_in_shape": "[tf.random.fold_in([1, 2], 7).shape, tf.random.fold_in([1, 2], 7).dtype]",
    "gamma_shape": "tf.random.gamma([4, 2], [1.0, 2.0, 3.0], seed=1).shape",
    "gamma_beta_shape": "tf.random.gamma([2], [[1.0], [2.0]], beta=[1.0, 3.0], dtype=tf.float64,"
                        " seed=1).shape",
    "gamma_dtype": "tf.random.gamma([2], 1.0, dtype=tf.float64).dtype",
    "stateless_gamma_shape": "tf.random.stateless_gamma([5, 3], [1, 2], [1.0, 2.0, 3.0]).shape",
    "poisson_shape": "[tf.random.poisson([4], [1.0, 5.0], seed=2).shape, "
                     "tf.random.poisson([4], 2.0, dtype=tf.int64).dtype]",
    "stateless_poisson": "[tf.random.stateless_poisson([3, 2], [1, 2], [1.0, 5.0]).shape, "
                         "tf.random.stateless_poisson([3], [1, 2], 2.0).dtype]",
    "stateless_binomial": "[tf.random.stateless_binomial([3, 2], [1, 2], 10, 0.5).shape, "
                          "tf.random.stateless_binomial([3], [1, 2], [10.0], [0.5]).dtype]",
    "stateless_categorical": "[tf.random.stateless_categorical([[0.0, 1.0, 2.0]], 5, [1, 2])"
                             ".shape, tf.random.stateless_categorical([[0.0, 1.0]], 2, [1, 2])"
                             ".dtype]",
    "stateless_ptn": "tf.random.stateless_parameterized_truncated_normal([4], [1, 2]).shape",
    "uniform_sampler": "[t.shape for t in tf.random.uniform_candidate_sampler([[1], [2]], 1, 3, "
                       "True, 10)]",
    "uniform_sampler_expected": "tf.random.uniform_candidate_sampler([[1], [2]], 1, 3, False, "
                                "10)[1]",
    "log_uniform_expected": "tf.random.log_uniform_candidate_sampler([[1], [5]], 1, 4, False, "
                            "10)[1]",
    "fixed_unigram_expected": "tf.random.fixed_unigram_candidate_sampler([[1], [2]], 1, 2, "
                              "False, 4, unigrams=[1.0, 2.0, 3.0, 4.0])[1]",
    "all_sampler": "tf.random.all_candidate_sampler([[1], [2]], 1, 4, True)",
    "accidental_hits": "tf.nn.compute_accidental_hits([[1], [2]], tf.constant([2, 1, 7], "
                       "tf.int64), 1)",
    "sampled_softmax": "tf.nn.sampled_softmax_loss(tf.reshape(tf.range(12.0), [6, 2]) / 10, "
                       "tf.zeros([6]), tf.constant([[1], [3]], tf.int64), tf.ones([2, 2]), 2, 6, "
                       "sampled_values=("
                       "tf.constant([0, 4], tf.int64), tf.constant([[0.2], [0.3]]), "
                       "tf.constant([0.25, 0.1])))",
    "nce": "tf.nn.nce_loss(tf.reshape(tf.range(12.0), [6, 2]) / 10, tf.zeros([6]), "
           "tf.constant([[1], [3]], tf.int64), tf.ones([2, 2]), 2, 6, "
           "sampled_values=(tf.constant([0, 4], tf.int64), "
           "tf.constant([[0.2], [0.3]]), tf.constant([0.25, 0.1])))",
})

CASES.update({
    "zeros_initializer": "tf.zeros_initializer()([2, 3], tf.int32)",
    "ones_initializer": "tf.ones_initializer()([2])",
    "constant_initializer": "tf.constant_initializer(3.0)([2, 2])",
    "constant_initializer_list": "tf.constant_initializer([1, 2, 3, 4])([2, 2], tf.float64)",
    "constant_initializer_bad": "tf.constant_initializer([1, 2, 3])([2, 2])",
    "initializer_configs": "[tf.random_normal_initializer().get_config(), "
                           "tf.random_uniform_initializer(-1.0, 2.0, seed=3).get_config()]",
    "initializer_shapes": "[tf.random_normal_initializer(seed=1)([2, 3]).shape, "
                          "tf.random_uniform_initializer()([4], tf.float64).dtype]",
    "initializer_names": "[type(tf.zeros_initializer()).__name__, "
                         "type(tf.constant_initializer()).__name__]",
    "approx_top_k": "tf.approx_top_k(tf.constant([[1.0, 5.0, 3.0]]), 2)",
    "top_saturate_cast": "tf.saturate_cast(tf.constant([-1.0, 300.0]), tf.uint8)",
    "extract_volume_patches": "tf.extract_volume_patches(tf.reshape(tf.range(48.0), "
                              "[1, 2, 3, 4, 2]), [1, 1, 2, 2, 1], [1, 1, 1, 2, 1], 'VALID')",
    "extract_volume_patches_same": "tf.extract_volume_patches(tf.reshape(tf.range(48.0), "
                                   "[1, 2, 3, 4, 2]), [1, 2, 2, 3, 1], [1, 1, 2, 2, 1], 'SAME')",
    "conv2d_backprop_input_v2": f"tf.conv2d_backprop_input_v2(tf.zeros([2, 5, 6, 3]), {_W2}, "
                                "tf.ones([2, 5, 6, 4]), [1, 1, 1, 1], 'SAME')",
    "conv2d_backprop_filter_v2": f"tf.conv2d_backprop_filter_v2({_X2}, tf.zeros([2, 3, 3, 4]), "
                                 "tf.ones([2, 2, 2, 4]), [1, 2, 2, 1], 'VALID')",
    "isotonic": "tf.nn.isotonic_regression([[3.0, 1, 2, 5, 4]])",
    "isotonic_increasing": "tf.nn.isotonic_regression([[3.0, 1, 2, 5, 4], [1.0, 2, 0, 4, 3]], "
                           "decreasing=False)",
    "isotonic_axis": "tf.nn.isotonic_regression(tf.constant([[3.0, 1], [1, 2], [2, 0]]), "
                     "axis=0)",
    "ssim_multiscale": "tf.image.ssim_multiscale(tf.constant(np.sin(np.arange(2 * 48 * 48.0, "
                       "dtype=np.float32)).reshape(1, 48, 48, 2) * 0.5 + 0.5), "
                       "tf.constant(np.cos(np.arange(2 * 48 * 48.0, dtype=np.float32))"
                       ".reshape(1, 48, 48, 2) * 0.5 + 0.5), 1.0, filter_size=3, "
                       "power_factors=(0.5, 0.3, 0.2))",
    "combined_nms": "tf.image.combined_non_max_suppression(tf.constant([[[[0.0, 0.0, 1.0, 1.0]],"
                    " [[0.0, 0.1, 1.0, 1.1]], [[0.0, 2.0, 1.0, 3.0]]]]), tf.constant([[[0.9, "
                    "0.2], [0.8, 0.7], [0.3, 0.6]]]), 2, 4, 0.5)",
    "extract_glimpse": f"tf.image.extract_glimpse({_IMG}, [3, 3], [[0.0, 0.0]], centered=True, "
                       "normalized=True, noise='zero')",
    "extract_glimpse_corner": f"tf.image.extract_glimpse({_IMG}, [2, 4], [[1.0, 2.0]], "
                              "centered=False, normalized=False, noise='zero')",
    "sample_distorted_shapes": "[t.shape for t in tf.image.stateless_sample_distorted_bounding_box"
                               "([40, 30, 3], [[[0.1, 0.1, 0.9, 0.9]]], [1, 2])]",
})

_ST = "tf.sparse.SparseTensor(indices=[[0, 3], [2, 4]], values=[10, 20], dense_shape=[3, 10])"
_STF = ("tf.sparse.SparseTensor(indices=[[0, 1], [1, 0], [2, 2]], values=[1.5, -2.0, 3.0], "
        "dense_shape=[3, 3])")
_RT = "tf.ragged.constant([[3, 1, 4, 1], [], [5, 9, 2], [6], []])"
CASES.update({
    "sparse_repr": f"repr({_ST})",
    "sparse_parts": f"[{_ST}.indices, {_ST}.values, {_ST}.dense_shape, {_ST}.shape, "
                    f"{_ST}.dtype]",
    "sparse_to_dense": f"tf.sparse.to_dense({_ST})",
    "sparse_to_dense_default": f"tf.sparse.to_dense({_ST}, default_value=-1)",
    "sparse_from_dense": "tf.sparse.from_dense(tf.constant([[0, 1], [2, 0]]))",
    "sparse_add_sparse": f"tf.sparse.to_dense(tf.sparse.add({_STF}, {_STF}))",
    "sparse_add_dense": f"tf.sparse.add({_STF}, tf.ones([3, 3]))",
    "sparse_matmul": f"tf.sparse.sparse_dense_matmul({_STF}, tf.ones([3, 2]))",
    "sparse_reduce_sum": f"tf.sparse.reduce_sum({_STF}, axis=1)",
    "sparse_reduce_max": f"[tf.sparse.reduce_max({_STF}, axis=1), tf.sparse.reduce_max({_STF}), "
                         f"tf.sparse.reduce_max(tf.sparse.map_values(tf.negative, {_STF}), axis=0, "
                         "keepdims=True)]",
    "sparse_negative": f"-{_STF}",
    "sparse_map_values": f"tf.sparse.to_dense(tf.sparse.map_values(tf.math.square, {_STF}))",
    "sparse_transpose": f"tf.sparse.to_dense(tf.sparse.transpose({_STF}))",
    "sparse_reorder": "tf.sparse.reorder(tf.sparse.SparseTensor([[1, 0], [0, 1]], [1, 2], "
                      "[2, 2])).indices",
    "sparse_concat": f"tf.sparse.to_dense(tf.sparse.concat(1, [{_STF}, {_STF}]))",
    "sparse_slice": f"tf.sparse.to_dense(tf.sparse.slice({_STF}, [1, 0], [2, 2]))",
    "sparse_reshape": f"tf.sparse.to_dense(tf.sparse.reshape({_STF}, [9, 1]))",
    "sparse_retain": f"tf.sparse.to_dense(tf.sparse.retain({_STF}, [True, False, True]))",
    "sparse_expand_dims": f"tf.sparse.expand_dims({_STF}, 0).dense_shape",
    "sparse_eye": "tf.sparse.to_dense(tf.sparse.eye(2, 3))",
    "sparse_spec": f"[tf.SparseTensorSpec([3, 10], tf.int32), tf.type_spec_from_value({_ST})]",
    "ragged_repr": f"repr({_RT})",
    "ragged_parts": f"[{_RT}.shape, {_RT}.ragged_rank, {_RT}.row_splits, {_RT}.dtype, "
                    f"{_RT}.values, {_RT}.row_lengths(), {_RT}.nrows(), {_RT}.value_rowids()]",
    "ragged_to_tensor": f"{_RT}.to_tensor()",
    "ragged_to_tensor_default": f"{_RT}.to_tensor(default_value=-1)",
    "ragged_to_list": f"{_RT}.to_list()",
    "ragged_index": f"[{_RT}[0], repr({_RT}[1:3]), {_RT}[-2]]",
    "ragged_arith": f"[repr({_RT} + 1), repr({_RT} * 2), repr(-{_RT})]",
    "ragged_float": "tf.ragged.constant([[1.5], [2.0, 3.0]]).flat_values",
    "ragged_2": "repr(tf.ragged.constant([[[1, 2], [3]], [[4]]]))",
    "ragged_2_parts": "[tf.ragged.constant([[[1, 2], [3]], [[4]]]).ragged_rank, "
                      "tf.ragged.constant([[[1, 2], [3]], [[4]]]).shape, "
                      "tf.ragged.constant([[[1, 2], [3]], [[4]]]).to_tensor()]",
    "ragged_rank_arg": "[tf.ragged.constant([[[1, 2], [3, 4]], [[5, 6]]], ragged_rank=1).shape,"
                       " tf.ragged.constant([[[1, 2], [3, 4]], [[5, 6]]], ragged_rank=1)"
                       ".values]",
    "ragged_from_row_lengths": "repr(tf.RaggedTensor.from_row_lengths([1, 2, 3], [2, 0, 1]))",
    "ragged_from_row_splits": "repr(tf.RaggedTensor.from_row_splits([1, 2, 3], [0, 1, 3]))",
    "ragged_from_value_rowids": "repr(tf.RaggedTensor.from_value_rowids([1, 2, 3], [0, 0, 2], "
                                "nrows=4))",
    "ragged_from_tensor": "repr(tf.RaggedTensor.from_tensor([[1, 2, 0], [3, 0, 0]], "
                          "padding=0))",
    "ragged_from_tensor_lengths": "repr(tf.RaggedTensor.from_tensor([[1, 2, 0], [3, 0, 0]], "
                                  "lengths=[1, 3]))",
    "ragged_range": "repr(tf.ragged.range([3, 5, 2]))",
    "ragged_map_flat_values": f"repr(tf.ragged.map_flat_values(tf.math.square, {_RT}))",
    "ragged_boolean_mask": "repr(tf.ragged.boolean_mask([[1, 2, 3], [4, 5, 6]], "
                           "[[True, False, True], [False, False, True]]))",
    "ragged_spec": f"[tf.RaggedTensorSpec([5, None], tf.int32, 1), "
                   f"tf.type_spec_from_value({_RT})]",
    "ragged_fill_empty_rows": "tf.ragged_fill_empty_rows(tf.constant([0, 0, 2], tf.int64), "
                              "tf.constant([1.0, 2.0, 3.0]), tf.constant(4, tf.int64), -1.0)",
    "ragged_fill_empty_rows_grad": "tf.ragged_fill_empty_rows_grad(tf.constant([0, 1, 3], "
                                   "tf.int64), tf.constant([1.0, 2.0, 3.0, 4.0, 5.0]))",
})

_LOGITS = "tf.constant(np.sin(np.arange(2 * 5 * 4, dtype=np.float32)).reshape(5, 2, 4))"
_H = "tf.sparse.SparseTensor([[0, 0], [0, 1], [1, 0]], ['a', 'b', 'c'], [2, 2])"
_T = "tf.sparse.SparseTensor([[0, 0], [1, 0], [1, 1]], ['a', 'c', 'd'], [2, 2])"
_SPIDS = "tf.sparse.SparseTensor([[0, 0], [0, 1], [2, 0]], tf.constant([1, 3, 0], tf.int64), [3, 2])"  # noqa: E501
_SPW = "tf.sparse.SparseTensor([[0, 0], [0, 1], [2, 0]], [2.0, 0.5, 1.0], [3, 2])"
_EMB = "tf.reshape(tf.range(8.0), [4, 2])"
CASES.update({
    "ctc_loss": f"tf.nn.ctc_loss(tf.constant([[1, 2, 0], [3, 3, 1]]), {_LOGITS}, [2, 3], [5, 4])",
    "ctc_loss_blank": f"tf.nn.ctc_loss(tf.constant([[1, 2, 0], [2, 2, 1]]), {_LOGITS}, [2, 3], "
                      "[5, 4], blank_index=3)",
    "ctc_loss_batch_major": f"tf.nn.ctc_loss(tf.constant([[1, 2, 0], [3, 3, 1]]), tf.transpose("
                            f"{_LOGITS}, [1, 0, 2]), [2, 3], [5, 4], logits_time_major=False)",
    "ctc_greedy": f"tf.nn.ctc_greedy_decoder({_LOGITS}, [5, 4])",
    "ctc_greedy_no_merge": f"tf.nn.ctc_greedy_decoder({_LOGITS}, [5, 4], merge_repeated=False)",
    "ctc_beam": f"tf.nn.ctc_beam_search_decoder({_LOGITS}, [5, 4], beam_width=3, top_paths=2)",
    "ctc_unique_labels": "tf.nn.ctc_unique_labels(tf.constant([[3, 4, 4, 3], [1, 1, 1, 0]]))",
    "edit_distance": f"tf.edit_distance({_H}, {_T})",
    "edit_distance_raw": f"tf.edit_distance({_H}, {_T}, normalize=False)",
    "embedding_lookup_sparse": f"tf.nn.embedding_lookup_sparse({_EMB}, {_SPIDS}, None)",
    "embedding_lookup_sparse_w": f"tf.nn.embedding_lookup_sparse({_EMB}, {_SPIDS}, {_SPW}, "
                                 "combiner='sqrtn')",
    "embedding_lookup_sparse_sum": f"tf.nn.embedding_lookup_sparse({_EMB}, {_SPIDS}, {_SPW}, "
                                   "combiner='sum')",
    "safe_embedding_lookup_sparse": f"tf.nn.safe_embedding_lookup_sparse({_EMB}, {_SPIDS})",
    "safe_embedding_default": f"tf.nn.safe_embedding_lookup_sparse({_EMB}, {_SPIDS}, {_SPW}, "
                              "default_id=2)",
    "fractional_max_pool_shapes": "[t.shape for t in tf.nn.fractional_max_pool(tf.reshape("
                                  "tf.range(36.0), [1, 6, 6, 1]), [1, 1.5, 1.5, 1], seed=1)]",
    "fractional_avg_pool_shapes": "[t.shape for t in tf.nn.fractional_avg_pool(tf.reshape("
                                  "tf.range(50.0), [1, 10, 5, 1]), [1, 2.0, 1.4, 1], "
                                  "pseudo_random=True, overlapping=True, seed=1)]",
})

CASES.update({
    "lrn_f64": "tf.nn.local_response_normalization(tf.zeros([1, 2, 2, 3], tf.float64))",
    "max_pool3d_f64": "tf.nn.max_pool3d(tf.zeros([1, 2, 2, 2, 1], tf.float64), 1, 1, 'VALID')",
    "avg_pool3d_f64": "tf.nn.avg_pool3d(tf.zeros([1, 2, 2, 2, 1], tf.float64), 1, 1, 'VALID')",
    "approx_top_k_f64": "tf.approx_top_k(tf.zeros([2, 3], tf.float64), 1)",
    "approx_max_k_f64": "tf.math.approx_max_k(tf.zeros([2, 3], tf.float64), 1)",
    "glimpse_f64": "tf.image.extract_glimpse(tf.zeros([1, 2, 2, 3], tf.float64), [1, 1], "
                   "[[0.0, 0.0]])",
    "max_pool_5d": "tf.nn.max_pool(tf.reshape(tf.range(8.0), [1, 2, 2, 2, 1]), 2, 1, 'VALID')",
})

# tf.nn.dropout's seed semantics and errors (the op predates issue #15; checked here too)
CASES.update({
    "dropout_rate_bad": "tf.nn.dropout(tf.ones([4]), 1.5)",
    "dropout_rate_one": "tf.nn.dropout(tf.ones([4]), 1.0)",
    "dropout_int": "tf.nn.dropout(tf.ones([4], tf.int32), 0.5)",
    "dropout_zero": "tf.nn.dropout(tf.ones([4]), 0.0)",
    "dropout_noise_shape": "tf.nn.dropout(tf.ones([2, 3]), 0.5, noise_shape=[2, 1], seed=1).shape",
    "dropout_scale": "sorted(set(tf.nn.dropout(tf.ones([100]), 0.75, seed=3).numpy().tolist()))",
    "dropout_seed_repeats": "(tf.random.set_seed(5), bool(tf.reduce_all(tf.nn.dropout(tf.ones("
                            "[50]), 0.5, seed=1) == (tf.random.set_seed(5), tf.nn.dropout("
                            "tf.ones([50]), 0.5, seed=1))[1])))[1]",
    "dropout_seed_moves_on": "(tf.random.set_seed(5), bool(tf.reduce_all(tf.nn.dropout(tf.ones("
                             "[50]), 0.5, seed=1) == tf.nn.dropout(tf.ones([50]), 0.5, "
                             "seed=1))))[1]",
})

_NCHW = "tf.constant(np.sin(np.arange(90, dtype=np.float32)).reshape(1, 3, 5, 6))"
CASES.update({
    "convolution_nchw": f"tf.nn.convolution({_NCHW}, {_W2}[:, :, :, :], data_format='NCHW')",
    "conv3d_ncdhw": "tf.nn.conv3d(tf.reshape(tf.range(128.0), [1, 2, 4, 4, 4]), "
                    "tf.ones([1, 2, 1, 2, 3]), [1] * 5, 'VALID', data_format='NCDHW')",
    "depthwise_nchw": f"tf.nn.depthwise_conv2d({_NCHW}, {_DW}, [1, 1, 1, 1], 'VALID', "
                      "data_format='NCHW')",
    "max_pool1d_ncw": "tf.nn.max_pool1d(tf.reshape(tf.range(12.0), [1, 2, 6]), 2, 2, 'VALID', "
                      "data_format='NCW')",
    "convolution_ncw": "tf.nn.convolution(tf.reshape(tf.range(18.0), [1, 3, 6]), "
                       "tf.ones([2, 3, 4]), data_format='NCW')",
    "avg_pool_nchw": f"tf.nn.avg_pool({_NCHW}, 2, 2, 'SAME', data_format='NCHW')",
})

CASES.update({
    "sobol": "tf.math.sobol_sample(4, 6)",
    "sobol_21": "tf.math.sobol_sample(21, 64, skip=7, dtype=tf.float64)",
    "sobol_bad_dim": "tf.math.sobol_sample(0, 3)",
})

# TF's quality metrics and standardization compute in float32 whatever the float input
CASES.update({
    "ssim_f64": f"tf.image.ssim(tf.cast({_IMG}, tf.float64), tf.cast({_IMG}[:, ::-1], "
                "tf.float64), 1.0, filter_size=3)",
    "ssim_f16": f"tf.image.ssim(tf.cast({_IMG}, tf.float16), tf.cast({_IMG}[:, ::-1], "
                "tf.float16), 1.0, filter_size=3)",
    "psnr_f64": f"tf.image.psnr(tf.cast({_IMG}, tf.float64), tf.cast({_IMG}[:, ::-1], "
                "tf.float64), 1.0)",
    "standardization_f64": f"tf.image.per_image_standardization(tf.cast({_IMG}, tf.float64))",
    "ssim_multiscale_f64": "tf.image.ssim_multiscale(tf.ones([1, 8, 8, 1], tf.float64), "
                           "tf.ones([1, 8, 8, 1], tf.float64) * 0.5, 1.0, "
                           "power_factors=(0.5, 0.5), filter_size=2)",
})

# kernels registered for float32 (and half) only on TF's CPU
CASES.update({
    "draw_bounding_boxes_f64": "tf.image.draw_bounding_boxes(tf.zeros([1, 4, 4, 3], tf.float64),"
                               " [[[0.1, 0.1, 0.9, 0.9]]], [[1.0, 0.0, 0.0]])",
    "adjust_hue_f16": "tf.image.adjust_hue(tf.zeros([1, 4, 4, 3], tf.float16), 0.1)",
    "adjust_saturation_f16": "tf.image.adjust_saturation(tf.zeros([1, 4, 4, 3], tf.float16), 1.5)",
    "adjust_contrast_f16": "tf.image.adjust_contrast(tf.zeros([1, 4, 4, 3], tf.float16), 2.0)",
})
