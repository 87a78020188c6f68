"""tf.function never keeps the first call's values: every snippet of tools/sweep_graph_bakes.py
(tests/breadth_cases.py, keras_ops_cases.py and shape_cases.py with their data lifted into
arguments) gives eagerly and through one tf.function the same values, dtypes and shapes, or the
same exception type, on its own values and on other values of the same shapes. Run once keyed
by value (small tensor arguments retrace per value) and once from an input_signature (one trace
for every value: an op that needs a value in Python must refuse, never bake it)."""

import pathlib
import sys

import numpy as np
import pytest

import tapeflow as tf

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tools"))
import sweep_graph_bakes as sweep  # noqa: E402

# Where eager and graph give different results other than by a baked value; each says why.
# (Both raising, with other exception types, is the sweep's "errtype": no value is wrong.)
KNOWN = {
    # an op's Python-list argument (strides, sizes, ksize…; a TF attr) given as a tensor:
    # eager tapeflow reads it, a graph cannot iterate it (TF refuses tensors there eagerly too)
    **{f"breadth:{n}": "a list attr given as a tensor" for n in (
        "dynamic_stitch", "identity_n", "extract_patches_valid", "extract_patches_same",
        "pool_max", "pool_avg_dilated_valid", "extract_volume_patches",
        "extract_volume_patches_same", "conv2d_backprop_input_v2", "conv2d_backprop_filter_v2",
        "fractional_max_pool_shapes", "fractional_avg_pool_shapes", "accidental_hits")},
    "breadth:is_numeric_tensor": "a Python bool eagerly, a graph output tensor (as TF)",
    "breadth:convolution_ncw": "reversed sizes give an empty output eagerly, a reshape error "
                               "in the graph",
    # a traced RaggedTensor's repr shows its tensors (as TF), an eager one its values
    **{f"breadth:ragged_{n}": "repr of a graph RaggedTensor" for n in (
        "from_row_lengths", "from_row_splits", "from_value_rowids", "from_tensor",
        "from_tensor_lengths", "boolean_mask")},
}

CASES, _ = sweep.all_cases(tf)


@pytest.mark.parametrize("signature", [False, True], ids=["by_value", "signature"])
def test_no_op_bakes_the_first_calls_values(signature):
    verdicts = {}
    for case in CASES:
        if signature and any(case.variables or ()):
            continue
        verdict, detail = sweep.sweep(tf, case, signature)
        verdicts[case.name] = (verdict, detail)
    bakes = {n: d for n, (v, d) in verdicts.items() if v == "bake"}
    assert not bakes
    differs = {n: d for n, (v, d) in verdicts.items() if v == "differs" and n not in KNOWN}
    assert not differs
    assert sum(v == "ok" for v, _ in verdicts.values()) > 800


def test_the_sweep_finds_a_bake():
    """An op reading a traced tensor's example value (as ops did) is reported as a bake."""
    def baked(x):
        return tf.constant(x._value * 2)  # the first trace's example, kept in the graph
    case = sweep.Case("baked", baked, [tf.constant([1.0, 2.0]).numpy()])
    assert sweep.sweep(tf, case, signature=True)[0] == "bake"
    guarded = sweep.Case("guarded", lambda x: tf.signal.hann_window(tf.cast(x[1], tf.int32)),
                         [tf.constant([1.0, 2.0]).numpy()])
    assert sweep.sweep(tf, guarded, signature=True)[0] == "refused"
    assert sweep.sweep(tf, guarded, signature=False)[0] == "ok"


def test_lifting_turns_literal_data_into_arguments():
    source, lifted = sweep.lift("tf.roll(tf.constant([[1, 2], [3, 4]]), [1, -1], axis=[0, 1])")
    assert source == "lambda _a0, _a1: tf.roll(_a1, _a0, axis=[0, 1])"
    assert lifted == [("const", "tf.constant([1, -1])"), ("const", "tf.constant([[1, 2], [3, 4]])")]
    assert sweep.lift("tf.TensorShape([2, 3])")[1] == []  # structure, not data


def _sparse_xent_grad(logits, labels):
    with tf.GradientTape() as tape:
        tape.watch(logits)
        loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    return tape.gradient(loss, logits)


_VAR = tf.Variable(tf.zeros([5, 2]))


def _scatter(indices, updates):  # each call from zeros: its own indices and updates written
    _VAR.assign(tf.zeros([5, 2]))
    _VAR.scatter_add(tf.IndexedSlices(updates, indices))
    _VAR.scatter_nd_update(indices[:1, None], updates[:1] * 10)
    return _VAR.read_value()


# Ops outside the snippets that kept the first call's values (found reading ops' code); each
# runs on two value sets from an input_signature (one trace, no retrace by value).
BEYOND = {
    "sparse_xent_grad": (_sparse_xent_grad, [np.ones((300, 3), np.float32) / 7,
                                             np.arange(300, dtype=np.int32) % 3]),
    "matrix_rank": (tf.linalg.matrix_rank, [np.diag([1.0, 0.0, 2.0]).astype(np.float32)]),
    "ragged_row_lengths": (lambda s: tf.RaggedTensor.from_row_splits(
        tf.range(300), tf.cast(tf.sort(s), tf.int64)).row_lengths(),
        [np.array([0, 0, 100, 300], np.int32)]),
    "variable_scatter": (_scatter, [np.array([4, 0, 4], np.int32),
                                    np.arange(6, dtype=np.float32).reshape(3, 2)]),
    "sequence_mask": (lambda n: tf.sequence_mask(n, 6), [np.arange(300, dtype=np.int32) % 7]),
    "searchsorted": (lambda s, v: tf.searchsorted(s, v, side="right"),
                     [np.arange(8, dtype=np.float32), np.linspace(-1, 9, 300, dtype=np.float32)]),
    "in_top_k": (lambda p, t: tf.math.in_top_k(t, p, 2),
                 [np.arange(900, dtype=np.float32).reshape(300, 3) % 5,
                  np.arange(300, dtype=np.int32) % 3]),
    "angle": (tf.math.angle, [np.array([-1.0, 2.0, -3.0], np.float32)]),
    "adjust_brightness": (tf.image.adjust_brightness,
                          [np.full((2, 2, 3), 0.25, np.float32), np.float32(0.5)]),
}


# Snippets a function with an input_signature refuses (none now: from_row_splits checks the
# splits with ops)
FROM_SIGNATURE = {}


@pytest.mark.parametrize("name", sorted(BEYOND))
def test_ops_beyond_the_snippets_compute_each_calls_values(name):
    fn, values = BEYOND[name]
    case = sweep.Case(name, fn, values)
    assert sweep.sweep(tf, case)[0] == "ok"
    assert sweep.sweep(tf, case, signature=True)[0] == FROM_SIGNATURE.get(name, "ok")


ASSERTS = {
    "assert_positive": lambda x: tf.debugging.assert_positive(x),
    "assert_equal": lambda x: tf.debugging.assert_equal(x, tf.ones_like(x)),
    "assert_near": lambda x: tf.debugging.assert_near(x, tf.ones_like(x)),
    "Assert": lambda x: tf.Assert(tf.reduce_all(x > 0), ["x:", x]),
}


@pytest.mark.parametrize("name", sorted(ASSERTS))
def test_assertions_check_each_calls_values(name):
    """An assertion in a graph is an op that checks the values of every run (TF's Assert), not
    the first call's example while tracing."""
    check = ASSERTS[name]
    traced = tf.function(lambda x: [check(x), x * 2][1],
                         input_signature=[tf.TensorSpec([None], tf.float32)])
    np.testing.assert_array_equal(traced(tf.ones([300])), np.full(300, 2.0, np.float32))
    with pytest.raises(tf.errors.InvalidArgumentError):
        check(tf.fill([300], -1.0))  # eagerly
    with pytest.raises(tf.errors.InvalidArgumentError):
        traced(tf.fill([300], -1.0))


# Ops with a graph form (an op computing from its tensor inputs when the graph runs, output
# sizes None in the static shape, as TF's): one trace from an exact signature serves every value.
GRAPH_FORMS = ("unique", "unique_int64", "unique_with_counts", "bincount", "bincount_weights",
               "repeat", "repeat_flat", "reverse_sequence", "resize_bilinear_up", "resize_nearest",
               "resize_bicubic_down", "resize_area", "resize_lanczos5", "resize_bicubic_aa",
               "resize_aspect", "resize_u8", "sequence_mask", "sequence_mask_2d",
               "sequence_mask_dtype", "in_top_k", "unravel_index",
               "confusion_matrix", "broadcast_dynamic_shape", "broadcast_dynamic_shape_bad")


@pytest.mark.parametrize("name", GRAPH_FORMS)
def test_graph_forms_compute_from_a_signature(name):
    case = next(c for c in CASES if c.name == f"breadth:{name}")
    assert sweep.sweep(tf, case, signature=True)[0] == "ok"


def test_graph_forms_static_shapes():
    spec = tf.TensorSpec([300], tf.int32)
    fn = tf.function(lambda x: (tf.unique_with_counts(x), tf.math.bincount(x, minlength=4),
                                tf.math.bincount(tf.reshape(x, [3, 100]), axis=-1)),
                     input_signature=[spec])
    (y, idx, count), bins, rows = fn.get_concrete_function().structured_outputs
    assert [t.shape.as_list() for t in (y, idx, count, bins, rows)] == [
        [None], [300], [None], [None], [None, None]]
    x = np.arange(300, dtype=np.int32) % 7
    (y, idx, count), bins, rows = fn(x)
    np.testing.assert_array_equal(y, np.arange(7))
    np.testing.assert_array_equal(idx, x)
    np.testing.assert_array_equal(bins, np.bincount(x))
    np.testing.assert_array_equal(fn(x * 2)[1], np.bincount(x * 2))
    assert rows.shape == (3, 7)
