"""Snippets of RaggedTensor use, run under TF by tools/record_ragged_fixtures.py and under
tapeflow by tests/test_ragged.py: each is Python code whose last line is an expression; what is
compared is its repr (a tuple's items each), or the exception's type and message."""

import json
import pathlib

FIXTURE = pathlib.Path(__file__).parent / "fixtures" / "ragged" / "cases.json"

SETUP = """
d = tf.ragged.constant([[3, 1, 4, 1], [], [5, 9, 2], [6], []])
f = tf.ragged.constant([[3., 1, 4, 1], [], [5, 9, 2], [6], []])
w = tf.ragged.constant([["So", "long"], ["thanks", "for", "all", "the", "fish"]])
r3 = tf.ragged.constant([[[1, 2, 3], [4]], [[5], [], [6]], [[7]], [[8, 9], [10]]])
u = tf.ragged.constant([[[1, 2], [3, 4], [5, 6]], [[7, 8]]], ragged_rank=1)
x = tf.ragged.constant([[1, 2], [3, 4, 5, 6], [7]])
"""

CASES = {
    # constructors and structure
    "constant_repr": "d",
    "constant_strings": "w",
    "constant_3d": "r3, r3.shape, r3.ragged_rank",
    "constant_uniform_inner": "u, u.shape, u.flat_values.shape",
    "constant_depth_error": "tf.ragged.constant(['A', ['B', 'C']])",
    "constant_types_error": "tf.ragged.constant([['one', 'two'], [3, 4]])",
    "dtypes": "d.dtype, d.row_splits.dtype, f.dtype, d.shape",
    "from_value_rowids": "tf.RaggedTensor.from_value_rowids([3, 1, 4, 1, 5, 9, 2], "
                         "[0, 0, 0, 0, 2, 2, 3])",
    "from_row_lengths": "tf.RaggedTensor.from_row_lengths([3, 1, 4, 1, 5, 9, 2], [4, 0, 2, 1])",
    "from_uniform_row_length": "rt = tf.RaggedTensor.from_uniform_row_length("
                               "tf.RaggedTensor.from_row_splits(tf.range(10), [0, 3, 5, 9, 10]),"
                               " 2)\nrt, rt.shape, rt.ragged_rank",
    "from_tensor_padding": "tf.RaggedTensor.from_tensor([[1, 3, -1, -1], [2, -1, -1, -1], "
                           "[4, 5, 8, 9]], padding=-1)",
    "from_sparse": "tf.RaggedTensor.from_sparse(tf.SparseTensor([[0, 0], [2, 0], [2, 1]], "
                   "['a', 'b', 'c'], [3, 3]))",
    "to_sparse": "w.to_sparse()",
    "to_sparse_3d": "tf.sparse.to_dense(r3.to_sparse())",
    "to_tensor_shape": "w.to_tensor(default_value='', shape=[None, 4])",
    "to_tensor_crop": "d.to_tensor(shape=[3, 2])",
    "bounding_shape": "d.bounding_shape(), r3.bounding_shape(), x.bounding_shape(axis=1)",
    "row_lengths": "d.row_lengths(), d.value_rowids(), d.nrows(), r3.nested_row_lengths()",
    "numpy": "x.numpy(), u.numpy()",
    "ragged_stack": "tf.ragged.stack([x, x]), tf.ragged.stack([x, x], axis=1), "
                    "tf.ragged.stack([tf.constant([1, 2]), tf.constant([3, 4, 5])]), "
                    "tf.ragged.stack([tf.constant([[1, 2]]), tf.constant([[3, 4], [5, 6]])]), "
                    "tf.ragged.stack([tf.constant([1, 2]), tf.constant([3, 4])])",
    "segment_ids": "tf.ragged.row_splits_to_segment_ids([0, 2, 2, 5]), "
                   "tf.ragged.segment_ids_to_row_splits([0, 0, 2, 2, 2], num_segments=4), "
                   "x.nested_value_rowids()",
    "cross": "tf.ragged.cross([tf.ragged.constant([['a'], ['b', 'c']]), "
             "tf.ragged.constant([['d'], ['e']])]), tf.ragged.cross([tf.ragged.constant("
             "[['a'], ['b', 'c']]), tf.constant([['d'], ['e']]), tf.constant([[1], [2]], "
             "tf.int64)])",
    "shape_more": "s = tf.shape(x)\n"
                  "s.inner_rank, s.with_dtype(tf.int64), tf.experimental.DynamicRaggedShape."
                  "from_row_partitions([tf.experimental.RowPartition.from_row_lengths([1, 2])])",
    "constant_scalar": "tf.ragged.constant(5)",
    "constant_flat": "tf.ragged.constant([]), tf.ragged.constant([[], []]), "
                     "tf.ragged.constant([[], []]).dtype",
    "constant_dtypes": "tf.ragged.constant([[1, 2], [3]], dtype=tf.float64, "
                       "row_splits_dtype=tf.int32).row_splits",
    "constant_inner_shape": "c = tf.ragged.constant([[[1, 2], [3, 4]], [[5, 6]]], "
                            "inner_shape=(2,))\nc, c.shape",
    "bad_splits_order": "tf.RaggedTensor.from_row_splits([1, 2, 3], [0, 2, 1])",
    "bad_splits_start": "tf.RaggedTensor.from_row_splits([1, 2, 3], [1, 3])",
    "bad_splits_end": "tf.RaggedTensor.from_row_splits([1, 2, 3], [0, 2])",
    "from_tensor_more": "tf.RaggedTensor.from_tensor([[1, 2, 0], [3, 0, 0]], lengths=[2, 1]), "
                        "tf.RaggedTensor.from_tensor([[[1, 2], [0, 0]], [[3, 4], [5, 6]]], "
                        "padding=[0, 0]), tf.RaggedTensor.from_tensor(tf.zeros([2, 2, 2]), "
                        "ragged_rank=2)",
    "to_tensor_3d": "tf.ragged.constant([[[1, 2], [3]], [[4, 5]]]).to_tensor(default_value=-1)",
    "merge_dims": "x.merge_dims(0, 1), tf.ragged.constant([[[1, 2], [3]], [[4, 5]]])"
                  ".merge_dims(1, 2), r3.merge_dims(0, 2), r3.merge_dims(-2, -1), "
                  "u.merge_dims(0, 2), u.merge_dims(1, 2)",
    "bool_error": "bool(x)",
    "iterate": "list(x)",
    "spec": "tf.RaggedTensorSpec.from_value(x), tf.RaggedTensorSpec([None, None], tf.int32) == "
            "tf.RaggedTensorSpec([None, None], tf.int32)",
    "row_lengths_axis": "r3.row_lengths(axis=2), x.to_tensor(shape=[2, 2])",
    # elementwise
    "add_scalar": "tf.add(d, 3), d + 3, 3 - d",
    "add_ragged": "d + tf.ragged.constant([[1, 2, 3, 4], [], [5, 6, 7], [8], []])",
    "unary": "tf.math.sqrt(f), tf.abs(-d), -d, tf.cast(d, tf.float32), tf.ones_like(d)",
    "comparisons": "d > 3, d == 1, tf.equal(d, 1), tf.logical_not(d > 3)",
    "operators": "x // 2, x % 3, x ** 2, 2 * x, x * x, abs(-x)",
    "float_operand": "tf.add(x, 1.5)",
    "broadcast_column": "x + [[1000], [2000], [3000]]",
    "broadcast_inner": "u + tf.constant([[10]])",
    "broadcast_rank4": "tf.ragged.constant([[[[1], [2]], [], [[3]], [[4]]], [[[5], [6]], [[7]]]],"
                       " ragged_rank=2) + tf.constant([10, 20, 30])",
    "dense_left": "tf.constant([[1], [2], [3]]) * x",
    "mismatch_dense": "x + tf.constant([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]])",
    "mismatch_ragged": "tf.ragged.constant([[1, 2, 3], [4], [5, 6]]) + "
                       "tf.ragged.constant([[10, 20], [30, 40], [50]])",
    "mismatch_inner": "tf.ragged.constant([[[1, 2], [3, 4], [5, 6]], [[7, 8], [9, 10]]]) + "
                      "tf.ragged.constant([[[1, 2, 0], [3, 4, 0], [5, 6, 0]], "
                      "[[7, 8, 0], [9, 10, 0]]])",
    "mismatch_rows": "x + tf.constant([[1], [2]])",
    "map_flat_values": "tf.ragged.map_flat_values(lambda v: v * 2 + 1, d)",
    "where": "tf.where(x > 2, x, 0)",
    # reductions
    "reduce_int": "tf.reduce_sum(d, axis=0), tf.reduce_sum(d, axis=1), tf.reduce_mean(d, axis=1),"
                  " tf.reduce_mean(d), tf.reduce_max(d, axis=-1), tf.reduce_min(d, axis=1), "
                  "tf.reduce_prod(d, axis=0)",
    "reduce_float": "tf.reduce_mean(f, axis=0), tf.reduce_max(f, axis=1), tf.reduce_sum(f)",
    "reduce_bool": "tf.reduce_any(d > 3, axis=1), tf.reduce_all(d > 3, axis=0)",
    "reduce_3d": "tf.reduce_sum(r3, axis=0), tf.reduce_sum(r3, axis=1), "
                 "tf.reduce_sum(r3, axis=2), tf.reduce_sum(r3, axis=[1, 2])",
    "reduce_mean_3d": "tf.reduce_mean(tf.cast(r3, tf.float32), axis=2)",
    "reduce_uniform_inner": "tf.reduce_sum(u, axis=2), tf.reduce_sum(u, axis=1)",
    "reduce_keepdims": "tf.reduce_sum(d, axis=1, keepdims=True)",
    # indexing
    "index_row": "d[0], d[-1], r3[1], r3[3, 0]",
    "index_slices": "d[:, :2], d[:, -2:], d[1:], d[::2], x[1:, 1:]",
    "index_3d": "r3[:, 1:3], r3[:, -1:], r3[:, :, -1:]",
    "index_word": "w[1, 2]",
    "index_inner_error": "x[:, 1]",
    "index_range_error": "x[5]",
    # array ops
    "concat": "tf.concat([d, [[5, 3]]], axis=0), tf.concat([x, x], 1)",
    "concat_dense_ragged": "tf.concat([tf.fill([3, 1], '#'), tf.ragged.constant([['a'], "
                           "['b', 'c'], []]), tf.fill([3, 1], '#')], axis=1)",
    "stack": "tf.stack([x, x]), tf.stack([x, x], 1)",
    "tile": "tf.tile(d, [1, 2]), tf.tile(x, [2, 3])",
    "gather": "tf.gather(x, [2, 0]), tf.gather(x, [[2, 0]])",
    "gather_ragged_indices": "tf.gather([10, 20, 30, 40], tf.ragged.constant([[0, 3], [], [2]]))",
    "boolean_mask": "tf.boolean_mask(x, x > 2), tf.boolean_mask(r3, r3 > 3)",
    "ragged_boolean_mask": "tf.ragged.boolean_mask(x, x > 2), tf.ragged.boolean_mask(r3, r3 > 3),"
                           " tf.ragged.boolean_mask(x, [True, False, True]), "
                           "tf.ragged.boolean_mask(tf.constant([[1, 2], [3, 4]]), "
                           "[[True, False], [True, True]]), tf.ragged.boolean_mask(r3, "
                           "tf.ragged.constant([[True, False], [True, True, False], [True], "
                           "[False, True]]))",
    "boolean_mask_rows": "tf.boolean_mask(x, tf.constant([True, False, True]))",
    "boolean_mask_list": "tf.boolean_mask(x, [True, False, True])",
    "reverse": "tf.reverse(x, [1]), tf.reverse(x, [0])",
    "expand_dims": "tf.expand_dims(x, 0).shape, tf.expand_dims(x, 1), tf.expand_dims(x, 2)",
    "size_rank": "tf.size(x), tf.rank(x), tf.rank(r3)",
    "strings": "tf.strings.substr(w, 0, 2)",
    "embedding_lookup": "tf.nn.embedding_lookup(tf.reshape(tf.range(20), [10, 2]), x)",
    "map_fn": "tf.map_fn(tf.math.square, d)",
    "add_n": "tf.add_n([x, x, x])",
    "variance_std": "tf.math.reduce_variance(f, axis=1), tf.math.reduce_std(f, axis=1), "
                    "tf.math.reduce_variance(f), tf.math.reduce_variance(tf.cast(r3, tf.float32),"
                    " axis=2)",
    "logsumexp": "tf.math.reduce_logsumexp(f, axis=1)",
    "logsumexp_inner": "tf.math.reduce_logsumexp(tf.cast(u, tf.float32), axis=2)",
    "logsumexp_3d": "tf.math.reduce_logsumexp(tf.cast(r3, tf.float32), axis=2)",
    "softmax_inner": "tf.nn.softmax(tf.cast(u, tf.float32), axis=-1).flat_values.shape",
    "cumsum": "tf.math.cumsum(d, axis=1), tf.math.cumsum(d, axis=1, exclusive=True), "
              "tf.math.cumsum(d, axis=1, reverse=True), tf.math.cumsum(r3, axis=2, "
              "exclusive=True, reverse=True), tf.math.cumsum(u, axis=2)",
    "one_hot": "tf.one_hot(tf.ragged.constant([[1, 2], [3, 0, 5, 6], [7]]), 8)",
    "split": "tf.split(x, 3), tf.split(d, [2, 3])",
    "split_error": "tf.split(x, 2)",
    "bincount": "tf.math.bincount(d), tf.math.bincount(d, minlength=12)",
    "dropout_clip": "tf.nn.dropout(f, 0.0), tf.clip_by_value(f, 2., 5.), tf.stop_gradient(f)",
    "squeeze": "tf.squeeze(tf.expand_dims(x, 2), axis=2), tf.squeeze(u[:, :, :1], axis=-1)",
    "squeeze_ragged": "tf.squeeze(x, axis=1)",
    "unsorted_segment": "tf.math.unsorted_segment_sum(f, tf.ragged.constant([[0, 1, 0, 0], [], "
                        "[1, 1, 2], [0], []]), 3), tf.math.unsorted_segment_max(d, "
                        "tf.ragged.constant([[0, 1, 0, 0], [], [1, 1, 2], [0], []]), 4)",
    "gather_nd": "tf.gather_nd(x, [[1, 2], [0, 0]]), tf.gather_nd(x, [[2], [0]]), "
                 "tf.gather_nd(r3, [[1, 2]])",
    "strings_split": "tf.strings.split(tf.ragged.constant([['a b', 'c'], ['d e f']]))",
    "strings_more": "s = tf.ragged.constant([['Hello', 'w\u00f6rld'], ['a b']])\n"
                    "tf.strings.join([s, s], separator='-'), tf.strings.join([s, 'x']), "
                    "tf.strings.unicode_split(s, 'UTF-8'), tf.strings.unicode_decode(s, 'UTF-8'),"
                    " tf.strings.as_string(x), tf.strings.length(s), tf.strings.upper(s), "
                    "tf.strings.reduce_join(s, axis=-1, separator=' '), "
                    "tf.strings.to_hash_bucket_fast(s, 10), tf.strings.regex_replace(s, 'l', 'L')",
    "unicode_offsets": "tf.strings.unicode_decode_with_offsets(['h\u00e9llo', 'ab'], 'UTF-8'), "
                       "tf.strings.unicode_split_with_offsets(['h\u00e9llo', 'ab'], 'UTF-8'), "
                       "tf.strings.unicode_decode_with_offsets('a\u20acb', 'UTF-8'), "
                       "tf.strings.unicode_decode_with_offsets([b'a\\xffb', b'\\xc3a'], "
                       "'UTF-8'), tf.strings.unicode_decode_with_offsets([[b'ab'], "
                       "[b'\\xc3\\xa9']], 'UTF-8'), "
                       "tf.strings.unicode_decode_with_offsets([b'a\\xffb'], 'UTF-8', "
                       "errors='ignore')",
    "keras_layers": "tf.keras.layers.Embedding(10, 2, embeddings_initializer='ones')(x), "
                    "tf.keras.layers.Lambda(lambda v: v * 2)(x)",
    "compare_none": "x == None, x != None",
    "unhashable": "hash(x)",
    "no_ragged_support": "tf.math.argmax(f, axis=1)",
    "convert_error": "tf.convert_to_tensor(x)",
    # shapes
    "shape": "s = tf.shape(tf.ragged.constant([[1], [2, 3, 4], [], [5, 6]]))\n"
             "s, s[0], s[:1], s.rank, s.dtype",
    "shape_not_uniform": "tf.shape(x)[1]",
    "shape_ops": "s = tf.shape(tf.ragged.constant([[1], [2, 3, 4], [], [5, 6]]))\n"
                 "tf.reshape(tf.constant([['a', 'b'], ['c', 'd'], ['e', 'f']]), s), "
                 "tf.zeros(s), tf.ones(s), tf.fill(s, 'x')",
    "shape_uniform_inner": "tf.shape(u), tf.shape(u)[2]",
    "dynamic_ragged_shape": "tf.experimental.DynamicRaggedShape(row_partitions=["
                            "tf.experimental.RowPartition.from_row_lengths([5, 3, 2])], "
                            "inner_shape=[10, 8])",
    "from_lengths": "tf.experimental.DynamicRaggedShape.from_lengths([4, (2, 1, 0, 8), 12])",
    "row_partition": "p = tf.experimental.RowPartition.from_row_lengths([5, 3, 2])\n"
                     "p, p.row_splits(), p.nrows(), p.nvals()",
    # gradients reach the flat values (and a dense operand)
    "grad_reductions": "v = tf.constant([1., 2., 3., 4., 5.])\n"
                       "with tf.GradientTape(persistent=True) as t:\n"
                       "    t.watch(v)\n"
                       "    rt = tf.RaggedTensor.from_row_lengths(v, [2, 0, 3])\n"
                       "    a = tf.reduce_sum(tf.reduce_mean(rt * rt, axis=1) * [1., 0., 1.])\n"
                       "    b = tf.reduce_sum(tf.reduce_max(rt, axis=1) * [1., 0., 1.])\n"
                       "    c = tf.reduce_sum(tf.reduce_sum(rt, axis=0) * [1., 10., 100.])\n"
                       "t.gradient(a, v), t.gradient(b, v), t.gradient(c, v)",
    "grad_array_ops": "v = tf.constant([1., 2., 3., 4., 5.])\n"
                      "col = tf.constant([[1.], [2.], [3.]])\n"
                      "with tf.GradientTape(persistent=True) as t:\n"
                      "    t.watch([v, col])\n"
                      "    rt = tf.RaggedTensor.from_row_lengths(v, [2, 0, 3])\n"
                      "    a = tf.reduce_sum(rt[:, :1] * 3.) + tf.reduce_sum(tf.tile(rt, [2, 2]))\n"
                      "    b = tf.reduce_sum(tf.concat([rt, rt * 2.], 1).to_tensor())\n"
                      "    c = tf.reduce_sum(tf.gather(rt, [2, 2]))\n"
                      "    e = tf.reduce_sum((rt * col).flat_values)\n"
                      "[tf.convert_to_tensor(t.gradient(y, v)) for y in (a, b, c, e)], "
                      "t.gradient(e, col)",
    "grad_function": "v = tf.constant([1., 2., 3.])\n"
                     "sq = tf.function(lambda r: tf.reduce_sum(r * r, axis=1))\n"
                     "with tf.GradientTape() as t:\n"
                     "    t.watch(v)\n"
                     "    s = sq(tf.RaggedTensor.from_row_lengths(v, [1, 2]))\n"
                     "s, t.gradient(s, v)",
    "saved_model": "import tempfile\n"
                   "class Grow(tf.Module):\n"
                   "    def __init__(self):\n"
                   "        self.v = tf.Variable(100.0)\n"
                   "    @tf.function\n"
                   "    def grow(self, r):\n"
                   "        return r * self.v\n"
                   "m = Grow()\n"
                   "_ = m.grow.get_concrete_function(tf.RaggedTensorSpec([None, None], tf.float32))\n"
                   "path = tempfile.mkdtemp()\n"
                   "tf.saved_model.save(m, path)\n"
                   "loaded = tf.saved_model.load(path)\n"
                   "loaded.grow(tf.ragged.constant([[1.0, 4.0, 3.0], [2.0]]))",
    # tf.function
    "function_palindrome": "g = tf.function(lambda v, a: tf.concat([v, tf.reverse(v, [a])], a))"
                           "\ng(x, 1), g(tf.ragged.constant([[1], [2, 3]]), 1)",
    "function_signature_reductions":
        "spec = tf.RaggedTensorSpec(shape=[None, None], dtype=tf.float32)\n"
        "g = tf.function(lambda r: (tf.reduce_max(r, axis=-1), tf.reduce_min(r, axis=1), "
        "tf.reduce_sum(r, axis=1), tf.reduce_mean(r, axis=1), "
        "tf.reduce_sum(r, axis=0), tf.reduce_max(r, axis=0), tf.reduce_any(r > 3, axis=1), "
        "tf.reduce_all(r > 3, axis=1)), input_signature=[spec])\n"
        "g(f) + g(tf.ragged.constant([[1.5], [], [2., 7.]]))",
    "function_signature_to_tensor":
        "spec = tf.RaggedTensorSpec(shape=[None, None], dtype=tf.float32)\n"
        "g = tf.function(lambda r: (r.to_tensor(), r.to_tensor(default_value=-1.)), "
        "input_signature=[spec])\n"
        "g(f) + g(tf.ragged.constant([[1.5], [], [2., 7.]])) + g(tf.ragged.constant([[], []], "
        "dtype=tf.float32))",
    "function_signature_to_tensor_3d":
        "spec = tf.RaggedTensorSpec(shape=[None, None, None], dtype=tf.int32)\n"
        "g = tf.function(lambda r: r.to_tensor(default_value=9), input_signature=[spec])\n"
        "g(r3), g(tf.ragged.constant([[[1], []], [[2, 3]]]))",
    "function_signature_to_tensor_grad":
        "spec = tf.RaggedTensorSpec(shape=[None, None], dtype=tf.float32)\n"
        "g = tf.function(lambda r: tf.reduce_sum(r.to_tensor() * [[1., 2., 3.]]), "
        "input_signature=[spec])\n"
        "v = tf.constant([3., 1., 4., 1., 5.])\n"
        "with tf.GradientTape() as t:\n"
        "    t.watch(v)\n"
        "    y = g(tf.RaggedTensor.from_row_lengths(v, [2, 0, 3]))\n"
        "tf.convert_to_tensor(t.gradient(y, v))",
    "function_signature_grad":
        "spec = tf.RaggedTensorSpec(shape=[None, None], dtype=tf.float32)\n"
        "g = tf.function(lambda r: tf.reduce_sum(tf.reduce_max(r, axis=1)) + "
        "tf.reduce_sum(tf.reduce_mean(r * r, axis=0)), input_signature=[spec])\n"
        "v = tf.constant([3., 1., 4., 1., 5., 9.])\n"
        "with tf.GradientTape() as t:\n"
        "    t.watch(v)\n"
        "    y = g(tf.RaggedTensor.from_row_lengths(v, [2, 0, 3, 1]))\n"
        "t.gradient(y, v)",
    "function_increment": "inc = tf.function(lambda v: v + 1)\n"
                          "cf = inc.get_concrete_function(x)\ncf(x), inc(f)",
}


def run(tf_module, code):
    """The reprs of what ``code``'s last line gives (one per item of a tuple), or the error."""
    scope = {"tf": tf_module}
    exec(SETUP, scope)  # noqa: S102 - our own snippets
    *body, last = code.split("\n")
    try:
        exec("\n".join(body), scope)  # noqa: S102
        value = eval(last, scope)  # noqa: S307
    except Exception as e:  # noqa: BLE001 - the exception is the result
        return {"error": type(e).__name__, "message": str(e)}
    items = value if isinstance(value, tuple) else (value,)
    return {"reprs": [repr(v) for v in items]}


def record(tf_module):
    """Every case's result under ``tf_module`` (TF's) into FIXTURE."""
    out = {name: run(tf_module, code) for name, code in CASES.items()}
    FIXTURE.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
    return len(out)
