"""Ops with a graph form, traced from an exact input_signature (one trace for every value) and
run on several value sets: tools/record_graph_forms_fixtures.py records what TF's graph gives
(static shapes, values, dtypes, or the error type), tests/test_graph_forms.py compares tapeflow.

Each case: (source of a function over ``tf``, the signature as (shape, dtype) pairs, value sets).
"""

_IMAGE = [[[[(7 * i + 3 * j + c) % 11 for c in range(2)] for j in range(5)] for i in range(4)]]

CASES = {
    "unique": ("lambda x: tf.unique(x)", [([6], "int32")],
               [[[3, 1, 3, 2, 2, 7]], [[5, 5, 5, 5, 5, 5]], [[0, 1, 2, 3, 4, 5]]]),
    "unique_float_int64": ("lambda x: tf.unique(x, out_idx=tf.int64)", [([4], "float32")],
                           [[[1.5, -1.0, 1.5, 0.0]], [[2.0, 2.0, 2.0, 2.0]]]),
    "unique_with_counts": ("lambda x: tf.unique_with_counts(x)", [([None], "int32")],
                           [[[3, 1, 3, 2]], [[4, 4, 4, 4, 4, 1]], [[]]]),
    "bincount": ("lambda x: tf.math.bincount(x)", [([5], "int32")],
                 [[[1, 1, 3, 0, 1]], [[7, 0, 0, 2, 2]]]),
    "bincount_bounds": ("lambda x: (tf.math.bincount(x, minlength=4), "
                        "tf.math.bincount(x, maxlength=3), "
                        "tf.math.bincount(x, minlength=2, maxlength=2))",
                        [([5], "int32")], [[[1, 1, 3, 0, 1]], [[7, 0, 0, 2, 2]]]),
    "bincount_weights": ("lambda x, w: tf.math.bincount(x, weights=w)",
                         [([4], "int32"), ([4], "float32")],
                         [[[1, 3, 1, 0], [0.5, 1.0, 2.0, 4.0]], [[5, 5, 0, 0], [1, 2, 3, 4]]]),
    "bincount_rows": ("lambda x: tf.math.bincount(x, axis=-1, binary_output=True)",
                      [([2, 3], "int32")], [[[[1, 1, 3], [0, 2, 2]]], [[[4, 0, 0], [0, 0, 1]]]]),
    "bincount_negative": ("lambda x: tf.math.bincount(x)", [([3], "int32")], [[[1, -1, 2]]]),
    "repeat_axis": ("lambda x, r: tf.repeat(x, r, axis=0)", [([3, 2], "float32"), ([3], "int32")],
                    [[[[1, 2], [3, 4], [5, 6]], [1, 0, 2]], [[[1, 2], [3, 4], [5, 6]], [0, 0, 4]]]),
    "repeat_scalar": ("lambda x, r: (tf.repeat(x, r), tf.repeat(x, r, axis=1))",
                      [([2, 2], "int32"), ([], "int32")],
                      [[[[1, 2], [3, 4]], 2], [[[1, 2], [3, 4]], 0]]),
    "repeat_flat": ("lambda x, r: tf.repeat(x, r)", [([2, 2], "int32"), ([4], "int32")],
                    [[[[1, 2], [3, 4]], [1, 2, 0, 3]], [[[1, 2], [3, 4]], [1, 1, 1, 1]]]),
    "repeat_constant": ("lambda x: (tf.repeat(x, [1, 2], axis=0), tf.repeat(x, 3, axis=0))",
                        [([2, 2], "float32")], [[[[1, 2], [3, 4]]]]),
    "reverse_sequence": ("lambda x, n: tf.reverse_sequence(x, n, seq_axis=1)",
                         [([2, 4], "int32"), ([2], "int32")],
                         [[[[1, 2, 3, 4], [5, 6, 7, 8]], [2, 4]],
                          [[[1, 2, 3, 4], [5, 6, 7, 8]], [0, 3]]]),
    "reverse_sequence_batch1": ("lambda x, n: tf.reverse_sequence(x, n, seq_axis=0, batch_axis=1)",
                                [([3, 2], "float32"), ([2], "int64")],
                                [[[[1, 2], [3, 4], [5, 6]], [3, 1]],
                                 [[[1, 2], [3, 4], [5, 6]], [2, 0]]]),
    "reverse_sequence_too_long": ("lambda x, n: tf.reverse_sequence(x, n, seq_axis=1)",
                                  [([2, 2], "int32"), ([2], "int32")],
                                  [[[[1, 2], [3, 4]], [3, 1]]]),
    **{f"resize_{m}{'_aa' if aa else ''}": (
        f"lambda x, s: tf.image.resize(x, s, method={m!r}, antialias={aa})",
        [([1, 4, 5, 2], "float32"), ([2], "int32")],
        [[_IMAGE, [7, 3]], [_IMAGE, [2, 8]], [_IMAGE, [4, 5]]])
       for m in ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5", "gaussian",
                 "mitchellcubic") for aa in (False, True)},
    "resize_u8_nearest": ("lambda x, s: tf.image.resize(x, s, method='nearest')",
                          [([4, 5, 2], "uint8"), ([2], "int32")],
                          [[_IMAGE[0], [3, 7]], [_IMAGE[0], [6, 2]]]),
    "top_k": ("lambda x, k: tf.math.top_k(x, k)", [([2, 5], "float32"), ([], "int32")],
              [[[[1, 5, 3, 2, 5], [0, -1, 7, 7, 2]], k] for k in (2, 0, 5, 6, -1)]),
    "top_k_int_int64": ("lambda x, k: tf.math.top_k(x, k, index_type=tf.int64)",
                        [([3], "int32"), ([], "int32")], [[[4, 9, 4], 1], [[4, 9, 4], 3]]),
    "sequence_mask": ("lambda n, m: (tf.sequence_mask(n, m), tf.sequence_mask(n), "
                      "tf.sequence_mask(tf.reshape(n, [2, 1]), m, dtype=tf.float32))",
                      [([2], "int32"), ([], "int32")],
                      [[[1, 3], 4], [[0, 0], 2], [[2, 5], 0]]),
    "sequence_mask_empty": ("lambda n: tf.sequence_mask(n)", [([None], "int64")],
                            [[[]], [[2, 1]]]),
    "in_top_k": ("lambda p, t, k: tf.math.in_top_k(t, p, k)",
                 [([2, 3], "float32"), ([2], "int32"), ([], "int32")],
                 [[[[0.1, 0.9, 0.5], [0.3, 0.3, 0.2]], [0, 1], k] for k in (0, 1, 3, 5, -1)]),
    "unravel_index": ("lambda i, d: (tf.unravel_index(i, d), tf.unravel_index(i[0], d))",
                      [([2], "int32"), ([2], "int32")],
                      [[[5, 3], [2, 3]], [[0, 11], [4, 3]], [[6, 1], [2, 3]]]),
    "confusion_matrix": ("lambda l, p, w: (tf.math.confusion_matrix(l, p), "
                         "tf.math.confusion_matrix(l, p, num_classes=4, weights=w, "
                         "dtype=tf.float32))",
                         [([4], "int32"), ([4], "int32"), ([4], "float32")],
                         [[[0, 1, 2, 1], [0, 2, 2, 1], [1, 2, 3, 4]],
                          [[1, 1, 0, 0], [0, 0, 0, 1], [1, 2, 3, 4]]]),
    "broadcast_dynamic_shape": ("lambda a, b: tf.broadcast_dynamic_shape(a, b)",
                                [([2], "int32"), ([1], "int32")],
                                [[[2, 1], [3]], [[1, 4], [4]], [[2, 3], [2]]]),
    "dynamic_partition": ("lambda d, p: (tf.dynamic_partition(d, p, 2), tf.dynamic_partition("
                          "tf.reshape(d, [2, 2, 1]), tf.reshape(p, [2, 2]), 3))",
                          [([4], "float32"), ([4], "int32")],
                          [[[10, 20, 30, 40], [0, 1, 0, 1]], [[1, 2, 3, 4], [1, 1, 1, 0]]]),
    "resize_not_positive": ("lambda x, s: tf.image.resize(x, s)",
                            [([1, 4, 5, 2], "float32"), ([2], "int32")],
                            [[_IMAGE, [0, 3]], [_IMAGE, [3, -1]], [_IMAGE, [1, 1]]]),
    "resize_u8_aspect": ("lambda x, s: tf.image.resize(x, s, preserve_aspect_ratio=True)",
                         [([4, 5, 2], "uint8"), ([2], "int32")],
                         [[_IMAGE[0], [8, 6]], [_IMAGE[0], [3, 20]]]),
}
