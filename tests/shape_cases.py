"""Snippets traced from an input signature with None dims: the static shapes of their outputs
(or the trace's error) are recorded from TF by tools/record_shape_fixtures.py into
tests/fixtures/shapes/static_shapes.json and compared by tests/test_function_static_shapes.py.

Each case: name -> (signature as [(shape, dtype name)], source of a function of those tensors,
written against a module named ``tf``).
"""

F, INT = "float32", "int32"
CASES = {
    "slice_minus_one": ([([None, None], F)], "lambda x: x[:, :-1]"),
    "slice_index": ([([None, None], F)], "lambda x: x[:, -1]"),
    "slice_known": ([([None, 5], F)], "lambda x: x[1:, 1:4]"),
    "slice_step": ([([None, 7], F)], "lambda x: x[::2, ::3]"),
    "newaxis": ([([None, 3], F)], "lambda x: x[:, None, ...]"),
    "concat_unknown": ([([None, None], F), ([None, 3], F)],
                       "lambda x, y: tf.concat([x, y], axis=1)"),
    "concat_known": ([([None, 2], F), ([None, 3], F)], "lambda x, y: tf.concat([x, y], 1)"),
    "sub_broadcast": ([([None, None], F)], "lambda x: x - tf.zeros([9])"),
    "sub_mismatch": ([([None, 3], F)], "lambda x: x - tf.zeros([9])"),
    "add_ones": ([([None, 1], F), ([1, None], F)], "lambda x, y: x + y"),
    "compare": ([([None, 4], F), ([4], F)], "lambda x, y: x < y"),
    "matmul": ([([None, 3], F)], "lambda x: tf.matmul(x, tf.ones([3, 5]))"),
    "matmul_unknown": ([([None, None], F), ([None, 4], F)], "lambda x, y: tf.matmul(x, y)"),
    "matmul_mismatch": ([([None, 3], F)], "lambda x: tf.matmul(x, tf.ones([4, 5]))"),
    "reduce_sum": ([([None, 3, None], F)], "lambda x: tf.reduce_sum(x, axis=1)"),
    "reduce_keepdims": ([([None, 3, None], F)],
                        "lambda x: tf.reduce_mean(x, axis=[0, 2], keepdims=True)"),
    "reduce_all": ([([None, 3], F)], "lambda x: tf.reduce_max(x)"),
    "reshape_minus_one": ([([None, 4, 3], F)], "lambda x: tf.reshape(x, [-1, 12])"),
    "reshape_dynamic": ([([None, 4, 3], F)],
                        "lambda x: tf.reshape(x, [tf.shape(x)[0], -1])"),
    "reshape_flat": ([([None], F)], "lambda x: tf.reshape(x, [-1, 3])"),
    "transpose": ([([None, 3, None], F)], "lambda x: tf.transpose(x, [2, 0, 1])"),
    "expand_squeeze": ([([None, 3], F)], "lambda x: tf.squeeze(tf.expand_dims(x, 1), 1)"),
    "one_hot": ([([None], INT)], "lambda x: tf.one_hot(x, 4)"),
    "one_hot_column": ([([None, None], F)],
                       "lambda x: tf.one_hot(tf.cast(x[:, -1], tf.int32), 3)"),
    "cast": ([([None, 2], F)], "lambda x: tf.cast(x, tf.int64)"),
    "shape": ([([None, 3], F)], "lambda x: tf.shape(x)"),
    "zeros_from_shape": ([([None, 3], F)], "lambda x: tf.zeros(tf.shape(x))"),
    "zeros_partial": ([([None, 3], F)], "lambda x: tf.zeros([tf.shape(x)[0], 5])"),
    "fill_const": ([([None], F)], "lambda x: tf.fill([2, 3], 1.0)"),
    "range_dynamic": ([([None], F)], "lambda x: tf.range(tf.shape(x)[0])"),
    "range_const": ([([None], F)], "lambda x: tf.range(5)"),
    "tile": ([([None, 3], F)], "lambda x: tf.tile(x, [2, 2])"),
    "pad": ([([None, 3], F)], "lambda x: tf.pad(x, [[1, 1], [0, 2]])"),
    "gather": ([([None, 5], F), ([None], INT)], "lambda x, i: tf.gather(x, i, axis=1)"),
    "gather_const": ([([None, 5], F)], "lambda x: tf.gather(x, [0, 2])"),
    "stack": ([([None, 3], F)], "lambda x: tf.stack([x, x], axis=1)"),
    "unstack": ([([None, 3], F)], "lambda x: tf.unstack(x, axis=1)"),
    "split": ([([None, 6], F)], "lambda x: tf.split(x, 3, axis=1)"),
    "conv2d": ([([None, None, None, 3], F)],
               "lambda x: tf.nn.conv2d(x, tf.ones([3, 3, 3, 8]), 2, 'SAME')"),
    "conv2d_valid": ([([None, 28, 28, 1], F)],
                     "lambda x: tf.nn.conv2d(x, tf.ones([5, 5, 1, 4]), 1, 'VALID')"),
    "max_pool": ([([None, 9, None, 2], F)], "lambda x: tf.nn.max_pool2d(x, 2, 2, 'VALID')"),
    "softmax": ([([None, 10], F)], "lambda x: tf.nn.softmax(x)"),
    "argmax": ([([None, 10], F)], "lambda x: tf.argmax(x, axis=1)"),
    "where": ([([None], F)], "lambda x: tf.where(x > 0)"),
    "einsum": ([([None, 3, 4], F)], "lambda x: tf.einsum('bij,jk->bik', x, tf.ones([4, 2]))"),
    "broadcast_to": ([([None, 1], F)], "lambda x: tf.broadcast_to(x, [4, 3])"),
    "unknown_rank": ([(None, F)], "lambda x: x * 2.0 + tf.reduce_sum(x)"),
    "cond": ([([None, 3], F)],
             "lambda x: tf.cond(tf.reduce_sum(x) > 0, lambda: x * 2.0, lambda: x[:1])"),
    "while_loop": ([([None, 3], F)],
                   "lambda x: tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * 2.0),"
                   " [0, x])[1]"),
    "dense": ([([None, 4], F)], "lambda x: tf.nn.relu(tf.matmul(x, tf.ones([4, 8])) + 1.0)"),
    "batch_matmul": ([([None, None, 3], F), ([3, 5], F)], "lambda x, y: x @ y"),
    "reduce_unknown_rank": ([(None, F)], "lambda x: tf.reduce_sum(x, axis=0)"),
    "reshape_like": ([([None, 6], F), ([None, 2, 3], F)],
                     "lambda x, y: tf.reshape(x, tf.shape(y))"),
    "broadcast_dynamic": ([([None, 1], F), ([None, 4], F)],
                          "lambda x, y: tf.broadcast_to(x, tf.shape(y))"),
    "stack_shape": ([([None, 3], F)],
                    "lambda x: tf.ones(tf.stack([tf.shape(x)[0], 2]))"),
    "ones_like": ([([None, 3], F)], "lambda x: tf.ones_like(x, dtype=tf.int32)"),
    "sort": ([([None, 5], F)], "lambda x: tf.sort(x, axis=-1)"),
    "top_k": ([([None, 5], F)], "lambda x: tf.math.top_k(x, 2).values"),
    "gather_nd": ([([None, 4, 5], F)], "lambda x: tf.gather_nd(x, [[0, 1], [2, 3]])"),
    "boolean_mask": ([([None, 3], F)], "lambda x: tf.boolean_mask(x, x[:, 0] > 0)"),
    "einsum_ellipsis": ([([None, 2, 3], F)],
                        "lambda x: tf.einsum('...ij,jk->...ik', x, tf.ones([3, 4]))"),
    "size_rank": ([([None, 3], F)], "lambda x: (tf.size(x), tf.rank(x))"),
    "xent": ([([None, 10], F), ([None, 10], F)],
             "lambda x, y: tf.nn.softmax_cross_entropy_with_logits(y, x)"),
    "sparse_xent": ([([None, 10], F), ([None], INT)],
                    "lambda x, y: tf.nn.sparse_softmax_cross_entropy_with_logits(y, x)"),
    "squeeze_unknown": ([([None, 1, None], F)], "lambda x: tf.squeeze(x)"),
    "expand_unknown_rank": ([(None, F)], "lambda x: tf.expand_dims(x, 0)"),
    "slice_unknown_rank": ([(None, F)], "lambda x: x[0]"),
    "range_size": ([([None, 3], F)], "lambda x: tf.range(tf.size(x))"),
    "cumsum": ([([None, 3], F)], "lambda x: tf.cumsum(x, axis=1)"),
    "bias_add": ([([None, None, 4], F)], "lambda x: tf.nn.bias_add(x, tf.ones([4]))"),
    "avg_pool_same": ([([None, 7, 7, 2], F)], "lambda x: tf.nn.avg_pool2d(x, 3, 2, 'SAME')"),
    "argmax_unknown": ([([None, None], F)], "lambda x: tf.argmax(x)"),
    "transpose_default": ([([None, 2, 3], F)], "lambda x: tf.transpose(x)"),
    "index_column": ([([None, None], F)], "lambda x: x[:, 2]"),
    "slice_sizes": ([([None, None], F)], "lambda x: tf.slice(x, [0, 1], [-1, 2])"),
    "top_k_unknown": ([([None, None], F)], "lambda x: tf.math.top_k(x, 2).indices"),
    "quickstart_normalize": (
        [([None, None], F)],
        "lambda x: (tf.concat([x[:, :-1], tf.one_hot(tf.cast(x[:, -1], tf.int32) - 1, 3)],"
        " axis=1) - tf.zeros([9])) / tf.ones([9])"),
}


def trace(tf, signature, source):
    """Static shapes and dtypes of the outputs of ``source`` traced with module ``tf`` (TF or
    tapeflow) from ``signature``, or the error's type and last line."""
    fn = eval(source, {"tf": tf})  # noqa: S307 - this module's own snippets
    specs = [tf.TensorSpec(shape, getattr(tf, dtype)) for shape, dtype in signature]
    try:
        concrete = tf.function(fn, input_signature=specs).get_concrete_function()
    except Exception as e:  # noqa: BLE001 - the error is the result
        return {"error": type(e).__name__, "message": str(e).strip().splitlines()[-1].strip()}
    outs = tf.nest.flatten(concrete.structured_outputs)
    return {"outputs": [[None if o.shape.rank is None else o.shape.as_list(), o.dtype.name]
                        for o in outs]}
