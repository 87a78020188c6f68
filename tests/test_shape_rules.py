"""Every primitive's static shape rule against its own forward (issue #9, "every op traceable").

Each op the op table runs (forward, first and second derivative) and each snippet of EXTRA (the
non-differentiable ops) is caught as it runs eagerly; its rule must give the eager output's
shape and dtype from the inputs' full shapes and values, and a compatible shape when the
inputs' dims, or their ranks, are unknown.
"""

import numpy as np
import pytest

import tapeflow as tf
import tapeflow.horovod  # noqa: F401 - registers its primitives
import tapeflow.keras  # noqa: F401
from tapeflow.engine import core
from tapeflow.engine.shapes import Abstract, of_array
from tapeflow.ops import array_extra_ops, image_ops, index_ops, nn_ops, random_ops

from op_spec_base import run_to_order
from op_specs import SPECS

# Ops whose output size depends on their input's values: static shapes only compatible.
VALUE_DEPENDENT = {"Where", "Unique", "UniqueWithCounts", "Bincount", "DenseBincount",
                   "RepeatTable", "ResizeTable", "TopKFirst",
                   "ConfusionMatrix", "DynamicPartitionRows"}

EXTRA = {
    "compare": lambda: [f(tf.ones([2, 3]), tf.zeros([3])) for f in (
        tf.equal, tf.not_equal, tf.less, tf.less_equal, tf.greater, tf.greater_equal)],
    "logical": lambda: [tf.logical_and(tf.ones([2, 1], tf.bool), tf.zeros([3], tf.bool)),
                        tf.logical_or(tf.ones([2], tf.bool), True),
                        tf.math.logical_xor(tf.ones([2], tf.bool), False),
                        tf.logical_not(tf.ones([2], tf.bool))],
    "bitwise": lambda: [tf.bitwise.bitwise_and(tf.ones([2, 3], tf.int32), 3),
                        tf.bitwise.bitwise_or(tf.ones([3], tf.int32), tf.ones([2, 1], tf.int32)),
                        tf.bitwise.bitwise_xor(tf.ones([3], tf.int32), 1),
                        tf.bitwise.invert(tf.ones([3], tf.int32))],
    "rounding": lambda: [f(tf.constant([[1.5, -2.5]])) for f in (
        tf.math.floor, tf.math.ceil, tf.math.round, tf.math.rint, tf.math.is_nan,
        tf.math.is_inf, tf.math.is_finite)],
    "int_div": lambda: [tf.math.floordiv(tf.constant([7, 8]), 3),
                        tf.truncatediv(tf.constant([7, -8]), 3),
                        tf.truncatemod(tf.constant([7, -8]), tf.constant([[3], [2]]))],
    "string_add": lambda: tf.constant(["a", "b"]) + tf.constant("c"),
    "string_hash": lambda: [tf.strings.to_hash_bucket_fast([["a"], ["b"]], 3),
                            tf.strings.to_hash_bucket_strong(["a"], 3, [1, 2]),
                            tf.strings.to_hash_bucket("a", 3), tf.fingerprint([["a", "b"]]),
                            tf.as_string([[1.5], [2.0]])],
    "string_text": lambda: [tf.strings.lower([["A"]]), tf.strings.upper(["a"]),
                            tf.strings.strip([" a"]), tf.strings.length([["ab"]]),
                            tf.strings.regex_replace(["ab"], "b", "c"),
                            tf.strings.regex_full_match([["ab"]], "a."),
                            tf.strings.join([["a"], "b"]), tf.strings.to_number([["1"]]),
                            tf.strings.substr([["abc"]], 1, 1),
                            tf.strings.reduce_join([["a", "b"]], axis=1, keepdims=True),
                            tf.strings.unsorted_segment_join([["a"], ["b"]], [1, 0], 3),
                            tf.strings.unicode_transcode([["a"]], "UTF-8", "UTF-16-BE")],
    "arg": lambda: [tf.argmax(tf.ones([2, 3]), 1), tf.argmin(tf.ones([2, 3]), 0,
                                                             output_type=tf.int32)],
    "bool_reduce": lambda: [tf.reduce_any(tf.ones([2, 3], tf.bool), 1),
                            tf.reduce_all(tf.ones([2, 3], tf.bool), keepdims=True)],
    "count": lambda: tf.math.count_nonzero(tf.ones([2, 3])),
    "unique": lambda: [tf.unique(tf.constant([3, 1, 3])),
                       tf.unique_with_counts(tf.constant([2.0, 2.0]), out_idx=tf.int64)],
    # tf.repeat's and tf.reverse_sequence's tables (ops only in a traced graph)
    "index_tables": lambda: [
        core.apply(array_extra_ops.REPEAT_TABLE, (tf.constant([1, 0, 2]), tf.ones([2, 3])),
                   {"axis": 1}),
        core.apply(array_extra_ops.REVERSE_TABLE, (tf.constant([2, 3]), tf.ones([2, 3])),
                   {"seq_axis": 1, "batch_axis": 0}),
        *(core.apply(image_ops.RESIZE_TABLE, (tf.constant([3, 5]), tf.ones([1, 2, 4, 1])),
                     {"axis": a, "method": m, "antialias": False, "preserve": False})
          for a in (0, 1) for m in ("nearest", "bilinear")),
        core.apply(index_ops.FIRST_K, (tf.constant([[2, 0, 1]]), tf.constant(2)), {}),
        *(core.apply(array_extra_ops.UNRAVEL_INDEX, (i, tf.constant([2, 3])), {})
          for i in (tf.constant([5, 3]), tf.constant(4))),
        *(core.apply(array_extra_ops.CONFUSION, (tf.constant([0, 2]), tf.constant([1, 1])),
                     {"num_classes": n, "dtype": np.int32}) for n in (None, 4)),
        core.apply(array_extra_ops.BROADCAST_ARGS, (tf.constant([2, 1]), tf.constant([3])), {}),
        core.apply(array_extra_ops.PARTITION_ROWS, (tf.constant([[0, 2], [0, 0]]),),
                   {"num_partitions": 3}),
        # a conv's input gradient when the traced input's height or width is unknown
        *(core.apply(nn_ops.CONV2D_BACKPROP_INPUT_LIKE,
                     (tf.ones([3, 3, 2, 4]), tf.ones(dy), tf.ones([2, 9, 5, 2])),
                     {"strides": (2, 2), "padding": p, "dilations": (1, 1)})
          for p, dy in (("SAME", [2, 5, 3, 4]), ("VALID", [2, 4, 2, 4])))],
    # samplers whose shape a traced graph computes (only in a graph)
    "shaped_random": lambda: [
        core.apply(random_ops._SHAPED[prim], (tf.constant([2, 3], tf.int64), *seed),
                   {**({} if seed else {"rng": np.random.default_rng(0)}), "dtype": dtype,
                    **extra})
        for base, dtype, extra in ((random_ops.RANDOM_NORMAL, np.float32, {}),
                                   (random_ops.TRUNCATED_NORMAL, np.float64, {}),
                                   (random_ops.RANDOM_UNIFORM, np.float32, {}),
                                   (random_ops.RANDOM_UNIFORM_INT, np.int32,
                                    {"minval": 0, "maxval": 5}))
        for prim, seed in ((base, ()), (random_ops._SEEDED[base],
                                        (tf.constant([1, 2], tf.int64),)))],
    "bincount": lambda: [tf.math.bincount(tf.constant([1, 4, 1]), minlength=6),
                         tf.math.bincount(tf.constant([[1, 0], [2, 2]]), axis=-1),
                         tf.math.bincount(tf.constant([1, 3]), tf.constant([0.5, 2.0]))],
    "metadata": lambda: [tf.shape(tf.ones([2, 3])), tf.size(tf.ones([2, 3])),
                         tf.rank(tf.ones([2, 3])), tf.shape(tf.ones([4]), tf.int64)],
    "factories": lambda: [tf.zeros([2, 3]), tf.ones_like(tf.ones([3])), tf.zeros_like(
        tf.ones([2])), tf.fill([2], 3), tf.range(1, 10, 3), tf.range(0.0, 1.0, 0.25),
        tf.eye(3), tf.linspace(0.0, 1.0, 4)],
    "one_hot": lambda: [tf.one_hot([1, 2], 4), tf.one_hot([[1], [0]], 3, axis=0)],
    "where": lambda: tf.where(tf.constant([True, False, True])),
    "random": lambda: [tf.random.normal([2, 3], seed=1), tf.random.truncated_normal([3], seed=1),
                       tf.random.uniform([2], seed=1),
                       tf.random.uniform([2], maxval=5, dtype=tf.int32, seed=1),
                       tf.random.categorical(tf.zeros([2, 3]), 4, seed=1),
                       tf.random.shuffle(tf.range(5), seed=1),
                       tf.random.gamma([2], [1.0, 2.0], seed=1), tf.random.poisson([2], 3.0),
                       tf.function(_run_time_seeds)(tf.constant([1, 2]))],
    "variable_scatter": lambda: tf.function(_scatters)(tf.constant([[2], [0]])),
    "bitcast": lambda: [tf.bitcast(tf.constant([1.0]), tf.int32),
                        tf.bitcast(tf.constant([[1, 2]], tf.int32), tf.uint8),
                        tf.bitcast(tf.zeros([3, 2], tf.uint8), tf.int16)],
    "invert_permutation": lambda: tf.math.invert_permutation(tf.constant([2, 0, 1])),
    "histogram_scatter": lambda: [
        tf.histogram_fixed_width(tf.constant([[-1.0, 0.5], [2.0, 9.0]]), [0.0, 5.0], nbins=4),
        tf.histogram_fixed_width_bins(tf.constant([[-1.0, 0.5]]), [0.0, 5.0], nbins=3),
        tf.tensor_scatter_nd_max(tf.zeros([3, 2]), [[0], [2]], tf.ones([2, 2])),
        tf.tensor_scatter_nd_min(tf.constant([1, 2, 3]), [[0], [2]], [5, 1])],
    "search": lambda: [tf.searchsorted([[1.0, 3.0, 5.0]], [[0.0, 3.0, 6.0, 2.0]]),
                       tf.searchsorted([1, 3, 5], [3], side="right", out_type=tf.int64),
                       tf.math.in_top_k([0, 2], tf.constant([[0.1, 0.9, 0.5], [0.3, 0.3, 0.2]]),
                                        1)],
    "sort": lambda: [tf.sort(tf.constant([[3.0, 1.0, 2.0]])), tf.argsort(tf.constant([3, 1]))],
    "fft_nd": lambda: [tf.signal.fftnd(tf.complex(tf.ones([2, 4]), tf.ones([2, 4]))),
                       tf.signal.ifftnd(tf.complex(tf.ones([4]), tf.ones([4]))),
                       tf.signal.rfftnd(tf.ones([3, 6]), fft_length=[6], axes=[-1]),
                       tf.signal.irfftnd(tf.complex(tf.ones([3, 4]), tf.ones([3, 4])),
                                         fft_length=[6], axes=[-1])],
    "lu": lambda: tf.linalg.lu(tf.constant([[2.0, 1.0], [1.0, 3.0]])),
    "logm": lambda: tf.linalg.logm(tf.complex(tf.eye(2) * 2.0, tf.zeros([2, 2]))),
    "matvec": lambda: tf.linalg.matvec(tf.ones([2, 3]), tf.ones([3])),
    "jvp": lambda: [_jvp(tf.linalg.eig, tf.constant([[2.0, 1.0], [0.5, 3.0]])),
                    _jvp(tf.linalg.sqrtm, tf.constant([[2.0, 0.5], [0.5, 3.0]]))],
    "reduced_count": lambda: tf.function(_mean_grad)(tf.ones([2, 3])),
    "expm_traced": lambda: tf.function(_expm_grads)(tf.constant([[[1.5, 3.0], [-1.0, 4.0]]])),
    "image": lambda: [tf.image.hsv_to_rgb(tf.ones([2, 2, 3]) * 0.5),
                      tf.image.adjust_hue(tf.ones([2, 2, 3]) * 0.5, 0.1),
                      tf.image.adjust_saturation(tf.ones([2, 2, 3]) * 0.5, 0.5),
                      core.apply(image_ops.ADJUST_HUE_RUN,
                                 (tf.ones([2, 2, 3]) * 0.5, tf.constant(0.1)), {}),
                      core.apply(image_ops.ADJUST_SATURATION_RUN,
                                 (tf.ones([2, 2, 3]) * 0.5, tf.constant(0.5)), {}),
                      tf.image.adjust_contrast(tf.ones([2, 2, 3]), 2.0)],
}


def _run_time_seeds(seed):  # a seed the graph computes: the seeded stateless samplers
    seed = seed + 1
    return [tf.random.stateless_normal([2], seed), tf.random.stateless_truncated_normal([2], seed),
            tf.random.stateless_uniform([2], seed),
            tf.random.stateless_uniform([2], seed, minval=0, maxval=5, dtype=tf.int32)]


_SCATTERED = tf.Variable(tf.zeros([3, 2]))


def _scatters(indices):  # a graph's Variable scatters: the new value is an op (VariableScatter)
    _SCATTERED.scatter_nd_update(indices, tf.ones([2, 2]))
    _SCATTERED.scatter_add(tf.IndexedSlices(tf.ones([2, 2]), indices[:, 0]))
    return _SCATTERED.read_value()


def _jvp(fn, x):
    with tf.autodiff.ForwardAccumulator(x, tf.ones_like(x)) as acc:
        y = fn(x)
    return acc.jvp(y)


def _expm_grads(x):  # a traced graph's expm: ExpmSquarings, MatrixSquarings and its rules
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.linalg.expm(x)
    return tape.gradient(y, x), _jvp(tf.linalg.expm, x)


def _mean_grad(x):
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_mean(x, 0)
    return tape.gradient(y, x)


class _Catch:
    """A recorder noting (prim, input arrays, attrs, output arrays) of each op run."""

    def __init__(self):
        self.ops = []

    def record(self, prim, inputs, outputs, attrs):
        pass

    def record_read(self, variable, tensor):
        pass

    def note_cut(self, *args):
        pass


def _caught(run):
    catch = _Catch()
    real = core._offer

    def offer(prim, inputs, outputs, attrs):
        catch.ops.append((prim, [np.asarray(t._value) for t in inputs], attrs,
                          [np.asarray(o._value) for o in outputs]))
        return real(prim, inputs, outputs, attrs)
    core._offer = offer
    core.state.stack.append(catch)
    try:
        run()
    finally:
        core.state.stack.remove(catch)
        core._offer = real
    return catch.ops


def _spec_run(spec):
    return lambda: run_to_order(spec, spec.shapes[-1])


def _results(prim, ins, attrs):
    out = prim.shape_fn(*ins, **attrs)
    return list(out) if prim.multi else [out]


def _compatible(dims, shape):
    return dims is None or len(dims) == len(shape) and all(
        d is None or d == s for d, s in zip(dims, shape))


def _check(ops):
    for prim, arrays, attrs, outs in ops:
        if prim.shape_fn is None:  # control flow, function calls: shapes from their graphs
            continue
        full = _results(prim, [of_array(a) for a in arrays], attrs)
        for (dims, dtype), o in zip(full, outs, strict=True):
            assert np.dtype(dtype) == o.dtype, (prim.name, dtype, o.dtype)
            if prim.name in VALUE_DEPENDENT:
                assert _compatible(dims, o.shape), (prim.name, dims, o.shape)
            else:
                assert dims == o.shape, (prim.name, dims, o.shape)
        for unknown in (lambda a: (None,) * a.ndim, lambda a: None):
            ins = [Abstract(unknown(a), a.dtype) for a in arrays]
            for (dims, dtype), o in zip(_results(prim, ins, attrs), outs, strict=True):
                assert np.dtype(dtype) == o.dtype, (prim.name, dtype, o.dtype)
                assert _compatible(dims, o.shape), (prim.name, "unknown", dims, o.shape)


@pytest.mark.parametrize("spec", [pytest.param(s, id=s.name) for s in SPECS])
def test_rules_of_an_op_table_row(spec):
    _check(_caught(_spec_run(spec)))


@pytest.mark.parametrize("name", sorted(EXTRA))
def test_rules_of_non_differentiable_ops(name):
    _check(_caught(EXTRA[name]))


def test_every_registered_primitive_has_a_rule():
    missing = sorted(name for name, prim in core.REGISTRY.items() if prim.shape_fn is None)
    assert not missing


def test_every_registered_primitive_is_checked():
    seen = {op[0].name for spec in SPECS for op in _caught(_spec_run(spec))}
    seen |= {op[0].name for run in EXTRA.values() for op in _caught(run)}
    assert sorted(set(core.REGISTRY) - seen) == []


def test_rules_do_not_run_eagerly(monkeypatch):
    def refuse(*args, **attrs):
        raise AssertionError("a shape rule ran outside a trace")
    for name in ("AddV2", "Exp", "Sum", "MatMul", "StridedSlice"):
        monkeypatch.setattr(core.REGISTRY[name], "shape_fn", refuse)
    x = tf.ones([2, 2])
    tf.reduce_sum(tf.exp(x + x) @ x) + x[0, 0]
