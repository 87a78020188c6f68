"""Graphs traced with None dimensions run right for every size (issue: attributes computed from
a trace's example shape). Every op-table row gets a leading batch dimension; the program traced
for ``[None, ...]`` is called with several batch sizes and must give the eager values and
gradients."""

import numpy as np
import pytest

import tapeflow as tf

from op_specs import SPECS
from test_function_op_table import _value_and_grads

# Draws differ between calls by design; random_gamma_alpha's row computes its sample with NumPy
# from the input's value (a Python-side computation a graph cannot trace).
RANDOM = {"dropout", "random_gamma_alpha"}
SIZES = (2, 3, 1)
# Rows whose graph still bakes an example shape in, each with its reason.
KNOWN = {
    # The extra leading dim becomes the filter's kernel depth (a grouped 3-D convolution, which
    # TF's CPU kernel refuses): the window index table is built for a static kernel size.
    "convolution_groups",
    # axis=(0, 2) puts the None dim inside the matrix: the SVD gradient needs static matrix
    # dims (TF's SvdGrad raises NotImplementedError for unknown inner dims too).
    "norm_matrix_2",
}


def _batched_args(spec, n):
    shapes = [(n,) + tuple(s) for s in spec.shapes[-1]]
    return [tf.constant(a) for a in spec.args(shapes)]


def _eager(spec):
    """The row's eager results for each batch size, or None when the op refuses a leading
    batch dimension (a fixed-rank op): such rows are not cases here."""
    run = _value_and_grads(spec.fn)
    try:
        return [run(*_batched_args(spec, n)) for n in SIZES]
    except Exception:  # noqa: BLE001 - any refusal just means the row does not batch
        return None


def _flat(result):
    ys, gs = result
    return [None if t is None else np.asarray(t) for t in tf.nest.flatten(ys) + list(gs)]


def _check(expected, got):
    for a, b in zip(_flat(expected), _flat(got), strict=True):
        if a is None or b is None:
            assert a is None and b is None
        else:
            assert a.shape == b.shape and a.dtype == b.dtype
            np.testing.assert_allclose(b, a, rtol=1e-12, atol=0, equal_nan=True)


@pytest.mark.parametrize("spec", [pytest.param(s, id=s.name, marks=pytest.mark.xfail(
    strict=True) if s.name in KNOWN else ()) for s in SPECS if s.name not in RANDOM])
def test_row_traced_with_a_none_batch_dim(spec):
    expected = _eager(spec)
    if expected is None:
        pytest.skip("the op takes no extra leading dimension")
    signature = [tf.TensorSpec([None] + list(x.shape[1:]), x.dtype)
                 for x in _batched_args(spec, 1)]
    traced = tf.function(_value_and_grads(spec.fn), input_signature=signature)
    for n, want in zip(SIZES, expected):
        _check(want, traced(*_batched_args(spec, n)))


# Rows (of the ops that take no extra leading dimension) whose graph bakes the first argument's
# first dimension in, each with its reason.
FIRST_DIM_KNOWN = {
    # That dimension is ctc_loss's time axis (the row's logit_length stays 4): the recursion
    # over time steps is unrolled in Python when traced.
    "ctc_loss",
}


def _first_dim_args(spec, n):
    shapes = [tuple(s) for s in spec.shapes[-1]]
    shapes[0] = (n,) + shapes[0][1:]
    return [tf.constant(a) for a in spec.args(shapes)]


@pytest.mark.parametrize("spec", [pytest.param(s, id=s.name, marks=pytest.mark.xfail(
    strict=True) if s.name in FIRST_DIM_KNOWN else ()) for s in SPECS
    if s.name not in RANDOM and s.shapes[-1] and s.shapes[-1][0]])
def test_row_traced_with_its_first_dim_none(spec):
    """Ops of a fixed rank (convolutions, images, matrices) take no extra leading dimension:
    there the first argument's own first dimension (mostly a batch) is the None one."""
    if _eager(spec) is not None:
        pytest.skip("checked with an extra leading dimension")
    run = _value_and_grads(spec.fn)
    try:
        expected = [run(*_first_dim_args(spec, n)) for n in SIZES]
    except Exception:  # noqa: BLE001 - the op needs that size (a matrix side, a kernel…)
        pytest.skip("the op takes no other size there")
    signature = [tf.TensorSpec([None] + list(x.shape[1:]) if i == 0 else x.shape, x.dtype)
                 for i, x in enumerate(_first_dim_args(spec, 1))]
    traced = tf.function(run, input_signature=signature)
    for n, want in zip(SIZES, expected):
        _check(want, traced(*_first_dim_args(spec, n)))


def test_expand_dims_under_reduce_retracing():
    @tf.function(reduce_retracing=True)
    def f(x):
        return tf.expand_dims(x, -1) * 2.0

    for n in (4, 6, 7):
        out = f(tf.ones([n]))
        assert out.shape == (n, 1)
        np.testing.assert_array_equal(out, np.full((n, 1), 2.0, np.float32))


def test_reshape_gradient_with_a_none_dim_in_the_signature():
    w = tf.Variable(tf.ones([3]))

    @tf.function(input_signature=[tf.TensorSpec([None, 3])])
    def g(x):
        with tf.GradientTape() as t:
            y = tf.reduce_sum(tf.reshape(x * w, [-1]))
        return t.gradient(y, w)

    for n in (2, 5, 1):
        np.testing.assert_array_equal(g(tf.ones([n, 3])), np.full(3, float(n), np.float32))


def test_broadcast_gradient_hidden_by_a_size_one_example():
    # A None dim is traced at size 1, where w's reshaped [1, 3] broadcasts against nothing: the
    # gradient must still sum over the batch for the sizes the graph runs with.
    w = tf.Variable([1.0, 2.0, 3.0])

    @tf.function(input_signature=[tf.TensorSpec([None, 3])])
    def g(x):
        with tf.GradientTape() as t:
            y = tf.reduce_sum(x * tf.reshape(w, [1, 3]))
        return t.gradient(y, w)

    for n in (1, 2, 5):
        np.testing.assert_array_equal(g(tf.ones([n, 3])), np.full(3, float(n), np.float32))


LAYERS = {  # Keras layers whose call or gradient used the traced example's batch size
    "conv2d_transpose": (lambda: tf.keras.layers.Conv2DTranspose(2, 3, strides=2), (4, 4, 2)),
    "depthwise_conv2d": (lambda: tf.keras.layers.DepthwiseConv2D(3), (5, 5, 2)),
    "layer_normalization": (lambda: tf.keras.layers.LayerNormalization(), (3, 4)),
    "lstm": (lambda: tf.keras.layers.LSTM(3), (4, 2)),
    "reshape": (lambda: tf.keras.layers.Reshape((2, -1)), (4, 3)),
    "time_distributed": (lambda: tf.keras.layers.TimeDistributed(tf.keras.layers.Dense(2)),
                         (3, 4)),
}


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_keras_layer_traced_with_a_none_batch(name):
    make, shape = LAYERS[name]
    layer = make()
    layer(tf.ones((2,) + shape))

    def run(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = layer(x)
        return y, tape.gradient(y, [x] + layer.trainable_variables)

    traced = tf.function(run, input_signature=[tf.TensorSpec([None, *shape])])
    rng = np.random.default_rng(2)
    for n in (1, 3, 2):  # traced at size 1: broadcasts against the batch hidden there
        x = tf.constant(rng.normal(size=(n,) + shape), tf.float32)
        _check(run(x), traced(x))


def test_concat_gradient_with_unknown_sizes_on_both_sides():
    def run(a, b):
        with tf.GradientTape() as tape:
            tape.watch([a, b])
            y = tf.concat([a * 2.0, b, a], 0) ** 2
        return y, tape.gradient(y, [a, b])

    traced = tf.function(run, input_signature=[tf.TensorSpec([None, 2], tf.float64)] * 2)
    rng = np.random.default_rng(5)
    for n, m in ((1, 2), (3, 1), (2, 4)):
        args = tf.constant(rng.normal(size=(n, 2))), tf.constant(rng.normal(size=(m, 2)))
        _check(run(*args), traced(*args))


def test_tile_gradient_with_two_none_dims():
    def run(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.tile(x, [2, 3, 1]) ** 2
        return y, tape.gradient(y, [x])

    traced = tf.function(run, input_signature=[tf.TensorSpec([None, None, 2], tf.float64)])
    rng = np.random.default_rng(6)
    for shape in ((1, 1, 2), (2, 3, 2), (3, 1, 2)):
        x = tf.constant(rng.normal(size=shape))
        _check(run(x), traced(x))


def test_split_along_a_none_dim():
    def run(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            a, b = tf.split(x, 2, axis=0)
            c, d = tf.split(x, [1, -1], axis=0)
            y = (a * 2.0 + b ** 2, d ** 3, c * 5.0)
        return y, tape.gradient(y, [x])

    traced = tf.function(run, input_signature=[tf.TensorSpec([None, 2], tf.float64)])
    rng = np.random.default_rng(7)
    for n in (2, 4, 6):
        x = tf.constant(rng.normal(size=(n, 2)))
        _check(run(x), traced(x))


def test_expm_squarings_counted_when_the_graph_runs():
    # Scaling and squaring's count depends on the values: a graph traced from a small matrix
    # must square larger ones as often as eager expm does.
    def run(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.linalg.expm(x)
        return y, tape.gradient(y, [x])

    traced = tf.function(run, input_signature=[tf.TensorSpec([None, 3, 3], tf.float64)])
    rng = np.random.default_rng(4)
    for n, scale in ((1, 0.5), (2, 9.0), (3, 40.0)):
        x = tf.constant(rng.normal(size=(n, 3, 3)) * scale)
        _check(run(x), traced(x))


def test_segment_ids_read_when_the_graph_runs():
    # The ids are a graph input: each call's values (negative ones dropped), not the trace's.
    def run(x, ids):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.math.unsorted_segment_sum(x, ids, 4) * [[1.0], [2.0], [3.0], [4.0]]
            mean = tf.math.unsorted_segment_mean(x, ids, 4)
        return (y, mean), tape.gradient(y, [x])

    traced = tf.function(run, input_signature=[tf.TensorSpec([None, 2], tf.float64),
                                               tf.TensorSpec([None], tf.int32)])
    rng = np.random.default_rng(3)
    for ids in ([0, 1, 1], [3, -1, 0, 2, 2], [-1], [1, 1, 1, 0]):
        args = tf.constant(rng.normal(size=(len(ids), 2))), tf.constant(ids)
        _check(run(*args), traced(*args))


def test_sparse_categorical_crossentropy_ignore_class_on_a_second_batch_size():
    loss = tf.keras.losses.SparseCategoricalCrossentropy(ignore_class=0)
    traced = tf.function(lambda y, p: loss(y, p), reduce_retracing=True)
    rng = np.random.default_rng(0)
    for n in (2, 3, 5):
        y = tf.constant(np.arange(n) % 3)
        p = tf.constant(rng.random((n, 3)), tf.float32)
        assert float(traced(y, p)) == float(loss(y, p))


CALLS = {  # shape-changing ops and reductions with their gradients, relaxed traces
    "expand_squeeze": lambda x: tf.squeeze(tf.expand_dims(x, 1) * x[:, None], [1]),
    "squeeze_all": lambda x: tf.squeeze(x[:, :1]) ** 2,
    "reshape_minus_one": lambda x: tf.reshape(x, [-1]) ** 2,
    "mean_max": lambda x: tf.reduce_mean(x, 0) * tf.reduce_max(x, -1, keepdims=True),
    "mean_all": lambda x: tf.reduce_mean(x ** 2),
    "slices": lambda x: x[1:, ::2] * x[:-1, 1:2],
    "stack_unstack": lambda x: tf.stack(tf.unstack(x, axis=1)[::-1], axis=0) ** 2,
    "broadcast_add": lambda x: x + tf.reduce_sum(x, 0, keepdims=True),
    "tile": lambda x: tf.tile(x, [2, 3]) ** 2,
    "shape_tensors": lambda x: tf.reshape(x, [tf.shape(x)[0] * 3, -1]) ** 2 + tf.reduce_sum(
        tf.broadcast_to(x[:1], tf.shape(x)) * x),
    "prod_roll": lambda x: tf.reduce_prod(tf.roll(x, 1, 0), 0),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_reduce_retracing_values_and_gradients(name):
    run = _value_and_grads(CALLS[name])
    traced = tf.function(run, reduce_retracing=True)
    rng = np.random.default_rng(1)
    for n in (2, 4, 3, 6):
        x = tf.constant(rng.normal(size=(n, 3)))
        _check(run(x), traced(x))


SEGMENT_OPS = {
    "segment_sum": tf.math.segment_sum, "segment_mean": tf.math.segment_mean,
    "segment_max": tf.math.segment_max, "segment_min": tf.math.segment_min,
    "unsorted_segment_sum": lambda d, i: tf.math.unsorted_segment_sum(d, i, 4),
    "unsorted_segment_max": lambda d, i: tf.math.unsorted_segment_max(d, i, 4),
    "unsorted_segment_min": lambda d, i: tf.math.unsorted_segment_min(d, i, 4),
}


@pytest.mark.parametrize("name", sorted(SEGMENT_OPS))
def test_segment_ids_taken_by_a_graph_are_read_when_it_runs(name):
    """Ids passed to a tf.function are a graph input: each call's ids count, not the first
    trace's (the second call reuses the trace)."""
    op = SEGMENT_OPS[name]
    run = _value_and_grads(op)
    traced = tf.function(run)
    data = tf.constant([1.0, 5.0, 3.0, 2.0, 4.0])
    for ids in ([0, 0, 1, 1, 2], [0, 1, 1, 3, 3], [0, 0, 0, 0, 0]):
        if name.startswith("unsorted") and ids[0] == 0 and ids[-1] == 3:
            ids = [3, -1, 1, 0, 3]  # any order, a dropped row
        i = tf.constant(ids)
        _check(run(data, i), traced(data, i))
    assert traced.experimental_get_tracing_count() == 1


def test_segment_ops_that_need_the_ids_values_read_them_by_value_in_a_graph():
    def fn(d, i):
        return tf.math.segment_prod(d, i)
    f = tf.function(fn)
    d = tf.constant([1.0, 2.0, 3.0])
    for ids in ([0, 1, 1], [0, 0, 2]):  # one trace per value of the ids, each right
        i = tf.constant(ids)
        np.testing.assert_array_equal(f(d, i), fn(d, i))
    sig = tf.function(fn, input_signature=[tf.TensorSpec([3]), tf.TensorSpec([3], tf.int32)])
    with pytest.raises(ValueError, match="needs the value of"):  # one trace for every value
        sig(d, tf.constant([0, 1, 1]))


# An op that takes a tensor argument as a Python value (multiples, begin, paddings, axis, perm,
# k, sizes, boxes…): each call's value counts, never the first trace's example.
VALUE_ARGS = {
    "tile": (lambda x, m: tf.tile(x, m), ([1, 2], [2, 1])),
    "slice": (lambda x, b: tf.slice(x, b, [1, 2]), ([0, 1], [1, 2])),
    "pad": (lambda x, p: tf.pad(x, p), ([[0, 1], [1, 0]], [[1, 1], [0, 2]])),
    "roll": (lambda x, s: tf.roll(x, s, axis=1), (1, 3)),
    "repeat": (lambda x, r: tf.repeat(x, r, axis=0), ([1, 2, 1], [0, 1, 3])),
    "top_k": (lambda x, k: tf.math.top_k(x, k).values, (1, 3)),
    "reverse": (lambda x, a: tf.reverse(x, a), ([0], [1])),
    "transpose": (lambda x, p: tf.transpose(x, p), ([1, 0], [0, 1])),
    "reduce_axis": (lambda x, a: tf.reduce_sum(x, a), (0, 1)),
    "split": (lambda x, n: tf.split(x, n, axis=1)[0], ([1, 3], [2, 2])),
    "cumsum_axis": (lambda x, a: tf.cumsum(x, a), (0, 1)),
    "sequence_mask": (lambda x, n: tf.sequence_mask(n), ([1, 2], [3, 0])),  # width: max(n)
    "band_part": (lambda x, k: tf.linalg.band_part(x, k, 0), (0, 1)),
    "eye": (lambda x, n: tf.eye(n), (2, 3)),
    "resize": (lambda x, s: tf.image.resize(tf.reshape(x, [1, 3, 4, 1]), s), ([2, 2], [3, 3])),
    "unique": (lambda x, v: tf.unique(v).y, ([1, 1, 2], [3, 4, 3])),
    "broadcast_dynamic_shape": (lambda x, s: tf.broadcast_dynamic_shape(s, [3, 1]),
                                ([1, 4], [3, 1])),
    "pad_constant": (lambda x, c: tf.pad(x, [[1, 0], [0, 1]], constant_values=c), (3.0, 5.0)),
    "central_crop": (lambda x, f: tf.image.central_crop(tf.reshape(x, [3, 4, 1]), f),
                     (0.5, 1.0)),
}
# Of these, the ops with a graph form compute from the tensor when the graph runs: one trace.
GRAPH_FORM = {"unique", "repeat", "resize", "top_k", "sequence_mask", "broadcast_dynamic_shape",
              "tile", "slice", "eye"}


def test_squeeze_axis_must_be_known_while_tracing():
    f = tf.function(lambda x, a: tf.squeeze(x, axis=a))
    with pytest.raises(TypeError, match="Expected list for 'axis' argument to 'squeeze' Op"):
        f(tf.ones([2, 1, 3]), tf.constant(1))


@pytest.mark.parametrize("name", sorted(VALUE_ARGS))
def test_tensor_arguments_read_as_python_values_are_never_baked_in(name):
    fn, values = VALUE_ARGS[name]
    x = tf.constant(np.arange(12, dtype=np.float32).reshape(3, 4))
    traced = tf.function(fn, autograph=False)
    for v in values + values[:1]:
        v = tf.constant(v)
        want, got = fn(x, v), traced(x, v)
        assert got.shape == want.shape
        np.testing.assert_array_equal(got.numpy(), want.numpy())
    # one trace per value, or one for all where the graph computes from the tensor
    assert traced.experimental_get_tracing_count() == (
        1 if name in GRAPH_FORM else len(values))


def test_a_value_only_known_when_the_graph_runs_is_refused_with_a_reason():
    f = tf.function(lambda x, m: tf.reverse(x, m), autograph=False,
                    input_signature=[tf.TensorSpec([2], tf.float32), tf.TensorSpec([1], tf.int32)])
    with pytest.raises(ValueError, match="needs the value of m:0 while tracing"):
        f(tf.ones([2]), tf.constant([0]))
    # tf.tile takes its multiples when the graph runs, as TF's
    g = tf.function(lambda x, m: tf.tile(x, m), autograph=False,
                    input_signature=[tf.TensorSpec([2], tf.float32), tf.TensorSpec([1], tf.int32)])
    assert g(tf.constant([1.0, 2.0]), tf.constant([2])).numpy().tolist() == [1, 2, 1, 2]


def test_a_value_too_large_to_key_a_trace_is_refused_with_a_reason():
    """Once a function traces by value, an argument too large for it still gets the reason."""
    f = tf.function(lambda x, m: tf.reduce_sum(x, tf.cast(m[0], tf.int32)), autograph=False)
    np.testing.assert_array_equal(f(tf.ones([2, 2]), tf.constant([1.0])), [2.0, 2.0])
    with pytest.raises(ValueError, match="needs the value of Cast:0 while tracing"):
        f(tf.ones([2, 2]), tf.zeros([300]))


def test_a_size_known_only_when_the_graph_runs_is_never_read_from_the_example():
    """``tf.shape(x)`` of a ``[None, 4]`` tensor is known only when the graph runs: an op that
    needs its value in Python refuses (before, it read the trace's example, batch 1, and baked
    it); a transposed convolution takes its traced batch from its input."""

    def hot(x):
        return tf.one_hot([0, 1], tf.shape(x)[0])

    with pytest.raises(ValueError, match="needs the value of"):
        tf.function(hot).get_concrete_function(tf.TensorSpec([None, 4]))
    w = tf.constant(np.random.default_rng(0).normal(size=(3, 3, 2, 5)), tf.float32)

    def up(x):
        b = tf.shape(x)[0]
        return tf.nn.conv2d_transpose(x, w, tf.stack([b, 8, 8, 2]), 2)

    traced = tf.function(up, input_signature=[tf.TensorSpec([None, 4, 4, 5])])
    for n in (3, 1):
        x = tf.constant(np.random.default_rng(n).normal(size=(n, 4, 4, 5)), tf.float32)
        np.testing.assert_allclose(traced(x).numpy(), up(x).numpy(), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("padding", ["SAME", "VALID"])
def test_convolution_gradients_over_sizes_known_only_when_the_graph_runs(padding):
    """conv1d/conv2d traced with unknown lengths (an Embedding's sequences): the input's
    gradient reads the input's size when the graph runs (``Conv2DBackpropInputLike``), first
    and second order equal to eager's for other sizes than the trace's."""
    rng = np.random.default_rng(5)
    w1 = tf.constant(rng.normal(size=(3, 4, 5)), tf.float32)
    w2 = tf.constant(rng.normal(size=(3, 2, 4, 3)), tf.float32)

    def grads(x, conv, w):
        with tf.GradientTape() as outer:
            outer.watch(x)
            with tf.GradientTape() as inner:
                inner.watch([x, w])
                y = tf.reduce_sum(tf.tanh(conv(x, w)) ** 2)
            gx, gw = inner.gradient(y, [x, w])
            z = tf.reduce_sum(gx * gx) + tf.reduce_sum(gw)
        return gx, gw, outer.gradient(z, x)

    cases = [(lambda x, w: tf.nn.conv1d(x, w, 2, padding), w1, [None, None, 4], (7, 4)),
             (lambda x, w: tf.nn.conv2d(x, w, [1, 2], padding), w2, [None, None, None, 4],
              (6, 5, 4))]
    for conv, w, spec, shape in cases:
        traced = tf.function(lambda x, conv=conv, w=w: grads(x, conv, w),
                             input_signature=[tf.TensorSpec(spec)])
        for n in (0, 2, 1):
            x = tf.constant(rng.normal(size=(2,) + tuple(d - n for d in shape[:-1]) +
                                       shape[-1:]), tf.float32)
            for a, b in zip(grads(x, conv, w), traced(x)):
                np.testing.assert_allclose(b.numpy(), a.numpy(), rtol=1e-4, atol=1e-5)


def test_random_draws_take_the_running_graphs_batch():
    """Samplers take a shape known only when the graph runs (TF's shape input): every call of a
    ``[None, ...]`` graph draws its own number of rows, different rows (before, every call drew
    the first trace's single row, broadcast)."""
    layers = tf.keras.layers
    cases = [
        (lambda x: tf.random.uniform(tf.shape(x)), [None, 8]),
        (lambda x: tf.random.normal([tf.shape(x)[0], 8], seed=3), [None, 8]),
        (lambda x: tf.random.stateless_truncated_normal(tf.shape(x), [1, 2]), [None, 8]),
        (lambda x, g=tf.random.Generator.from_seed(1): g.uniform(tf.shape(x)), [None, 8]),
        (lambda x: tf.keras.random.normal(tf.shape(x)), [None, 8]),
        (lambda x: tf.nn.dropout(x, 0.5, noise_shape=[None, 8]), [None, 8]),
        (lambda x, d=layers.Dropout(0.5): d(x, training=True), [None, 8]),
        (lambda x, d=layers.GaussianNoise(1.0): d(x, training=True), [None, 8]),
        (lambda x, d=layers.SpatialDropout1D(0.5): d(x, training=True), [None, 3, 8]),
        (lambda x, d=layers.RandomBrightness(0.5, seed=1): d(x, training=True),
         [None, 4, 4, 3]),
        (lambda x, d=layers.RandomFlip(seed=1): d(x, training=True), [None, 4, 4, 3]),
        (lambda x: tf.image.random_flip_up_down(x, seed=2), [None, 4, 4, 3]),
    ]
    rng = np.random.default_rng(0)
    for fn, spec in cases:
        traced = tf.function(fn, input_signature=[tf.TensorSpec(spec)])
        for n in (3, 7):
            x = tf.constant(rng.uniform(1, 2, size=[n] + spec[1:]), tf.float32)
            rows = traced(x).numpy().reshape(n, -1)
            assert rows.shape[0] == n
            assert not all(np.array_equal(rows[0], r) for r in rows[1:]), fn


def test_slices_with_bounds_the_running_graph_computes():
    """``x[:tf.shape(x)[0] // 2]`` under a ``[None, 4]`` signature: the bounds are an input of
    the slice (``StridedSliceDynamic``), read when the graph runs; values, first and second
    derivatives equal eager's for every size (before, the first trace's bounds were kept)."""
    def grads(x, f):
        with tf.GradientTape() as outer:
            outer.watch(x)
            with tf.GradientTape() as inner:
                inner.watch(x)
                y = tf.reduce_sum(tf.sin(f(x)) ** 2)
            g = inner.gradient(y, x)
            z = tf.reduce_sum(g * g)
        return f(x), g, outer.gradient(z, x)

    slices = [lambda x: x[: tf.shape(x)[0] // 2],
              lambda x: x[1: tf.shape(x)[0] - 1, ::2],
              lambda x: x[tf.shape(x)[0] - 1],
              lambda x: x[::-1][: tf.shape(x)[0] - 2]]
    rng = np.random.default_rng(0)
    for f in slices:
        traced = tf.function(lambda x, f=f: grads(x, f), input_signature=[tf.TensorSpec([None, 4])])
        for n in (3, 6, 5):
            x = tf.constant(rng.normal(size=(n, 4)), tf.float32)
            for a, b in zip(grads(x, f), traced(x)):
                np.testing.assert_allclose(b.numpy(), a.numpy(), rtol=1e-5, atol=1e-6)


def test_eye_and_slice_of_sizes_the_running_graph_computes():
    """``tf.eye(n)`` and ``tf.slice`` with a begin or size a traced graph computes (the batch of
    a ``[None, 5]`` tensor, a tensor argument): the same values as eager for every size, with
    the slice's gradient."""
    def cut(x):
        return tf.slice(x, [1, tf.shape(x)[0] - 2], [tf.shape(x)[0] - 1, -1])

    def eye(x):
        return tf.eye(tf.shape(x)[0], 3, batch_shape=[2], dtype=tf.int32)

    def grad(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(cut(x) ** 2)
        return tape.gradient(y, x)

    spec = [tf.TensorSpec([None, 5])]
    for fn in (cut, eye, grad):
        traced = tf.function(fn, input_signature=spec)
        for n in (3, 4, 2):
            x = tf.constant(np.arange(n * 5, dtype=np.float32).reshape(n, 5))
            want, got = fn(x), traced(x)
            assert got.dtype == want.dtype
            np.testing.assert_array_equal(got.numpy(), want.numpy())
    by_args = tf.function(tf.slice, input_signature=spec + [tf.TensorSpec([2], tf.int32)] * 2)
    x = tf.constant(np.arange(20, dtype=np.float32).reshape(4, 5))
    for b, s in (([1, 2], [2, -1]), ([0, 0], [4, 5]), ([3, 1], [1, 2])):
        np.testing.assert_array_equal(by_args(x, tf.constant(b), tf.constant(s)).numpy(),
                                      tf.slice(x, b, s).numpy())


def test_linspace_of_a_count_the_running_graph_computes():
    """``tf.linspace(start, stop, n)`` with ``n`` a tensor argument: one trace, the same values
    and dtypes as eager for every count (0, 1, 2, ...), along any axis, and the gradients with
    respect to start and stop."""
    cases = [(2.0, 5.0, 0), (np.float32(-1.5), np.float32(3.25), None),
             (np.array([0.0, 1.0], np.float32), np.array([2.0, -4.0], np.float32), 1),
             (np.float64(1.0), np.float64(7.0), 0), (3, 9, 0)]
    for start, stop, axis in cases:
        def eager(a, b, n, axis=axis):
            with tf.GradientTape(persistent=True) as tape:
                tape.watch([a, b])
                y = tf.linspace(a, b, n) if axis is None else tf.linspace(a, b, n, axis=axis)
                loss = tf.reduce_sum(y * y)
            if a.dtype.is_floating:
                return y, tape.gradient(loss, a), tape.gradient(loss, b)
            return (y,)

        a, b = tf.constant(start), tf.constant(stop)
        traced = tf.function(eager)
        for n in (0, 1, 2, 5, 8):
            want, got = eager(a, b, n), traced(a, b, tf.constant(n))
            for w, g in zip(want, got):
                assert g.dtype == w.dtype and g.shape == w.shape
            np.testing.assert_array_equal(got[0].numpy(), want[0].numpy())
            for w, g in zip(want[1:], got[1:]):  # summed in another order: to rounding
                np.testing.assert_allclose(g.numpy(), w.numpy(), rtol=1e-6)
        assert traced.experimental_get_tracing_count() == 1


@pytest.mark.parametrize("name,args", [
    ("RandomRotation", (0.2,)), ("RandomZoom", (0.2,)), ("RandomTranslation", (0.2, 0.2)),
    ("RandomShear", (0.2, 0.2)), ("RandomPerspective", ()), ("RandomFlip", ()),
    ("RandomContrast", (0.3,)), ("RandomBrightness", (0.3,)), ("RandomHue", (0.3,)),
    ("RandomCrop", (4, 3)), ("RandomErasing", ())])
def test_augmentation_layers_with_a_batch_known_only_when_the_graph_runs(name, args):
    """Keras's image augmentation in a ``tf.function`` with a ``None`` batch draws one set of
    parameters per image of each run, the same ones as the eager layer with the same seed."""
    layers = tf.keras.layers
    eager, graph = getattr(layers, name)(*args, seed=7), getattr(layers, name)(*args, seed=7)
    traced = tf.function(lambda x: graph(x, training=True),
                         input_signature=[tf.TensorSpec([None, 6, 6, 3])])
    rng = np.random.default_rng(0)
    for n in (2, 5):
        x = tf.constant(rng.uniform(0, 1, size=(n, 6, 6, 3)), tf.float32)
        np.testing.assert_allclose(traced(x).numpy(), eager(x, training=True).numpy(),
                                   atol=1e-5)
