"""Value factories are primitives: every recorder (a tape, a future graph tracer) sees them run,
even those with no tensor input, so nothing is computed behind the engine's back."""

import numpy as np
import pytest

import tapeflow as tf
from tapeflow.engine.core import state


class Recorder:
    """The recorder protocol, keeping only the op names (what a tracer would need)."""

    def __init__(self):
        self.ops = []

    def record(self, prim, inputs, outputs, attrs):
        self.ops.append(prim.name)

    def record_read(self, variable, tensor):
        pass

    def note_cut(self, kind, inputs, outputs):
        self.ops.append(kind)


def recorded(fn):
    rec = Recorder()
    state.stack.append(rec)
    try:
        fn()
    finally:
        state.stack.remove(rec)
    return rec.ops


x = tf.constant([[1.0, 2.0], [3.0, 4.0]])


@pytest.mark.parametrize("fn,op", [
    (lambda: tf.zeros((2, 3)), "Fill"),
    (lambda: tf.ones([2], tf.int64), "Fill"),
    (lambda: tf.fill([2], 3.0), "Fill"),
    (lambda: tf.zeros_like(x), "ZerosLike"),
    (lambda: tf.ones_like(x), "OnesLike"),
    (lambda: tf.range(5), "Range"),
    (lambda: tf.eye(3), "MatrixDiagV3"),
    (lambda: tf.shape(x), "Shape"),
    (lambda: tf.size(x), "Size"),
    (lambda: tf.rank(x), "Rank"),
    (lambda: tf.where([True, False]), "Where"),
    (lambda: tf.constant([1, 2]) / 2, "Cast"),
    (lambda: tf.random.normal((2,)), "RandomStandardNormal"),
    (lambda: tf.random.truncated_normal((2,)), "TruncatedNormal"),
    (lambda: tf.random.uniform((2,)), "RandomUniform"),
    (lambda: tf.random.uniform((2,), 0, 5, tf.int32), "RandomUniformInt"),
    (lambda: tf.random.stateless_normal((2,), seed=[1, 2]), "RandomStandardNormal"),
    (lambda: tf.random.stateless_uniform((2,), seed=[1, 2], minval=None, maxval=None,
                                         dtype=tf.int32), "RandomUniformInt"),
    (lambda: tf.random.Generator.from_seed(1).normal((2,)), "RandomStandardNormal"),
    (lambda: tf.random.categorical([[0.0, 1.0]], 3), "Multinomial"),
    (lambda: tf.random.shuffle(x), "RandomShuffle"),
    (lambda: tf.nn.dropout(x, 0.5), "RandomUniform"),
    # values derived from other values go through ops too (a trace replays them)
    (lambda: tf.sort(x), "TopKV2"),
    (lambda: tf.argsort(x), "TopKV2"),
    (lambda: tf.math.top_k(x).indices, "TopKV2"),
    (lambda: tf.boolean_mask(x, [True, False]), "Where"),
    (lambda: tf.stop_gradient(x), "StopGradient"),
    (lambda: tf.reduce_logsumexp(x), "IsFinite"),
    (lambda: tf.math.unsorted_segment_mean(x, [0, 0], 1), "Maximum"),
    (lambda: tf.nn.sigmoid_cross_entropy_with_logits(x, x), "ZerosLike"),
])
def test_factories_run_as_ops_that_recorders_see(fn, op):
    assert op in recorded(fn)


def test_stateless_ops_repeat_and_stateful_ops_move_on():
    a = tf.random.stateless_uniform((3,), seed=[4, 5])
    b = tf.random.stateless_uniform((3,), seed=[4, 5])
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    g = tf.random.Generator.from_seed(3)
    assert not np.array_equal(g.normal((3,)).numpy(), g.normal((3,)).numpy())


def test_fill_is_differentiable_in_reverse_and_forward_mode_and_in_jacobians():
    v = tf.Variable(2.0)
    with tf.GradientTape(persistent=True) as tape:
        y = tf.fill([3], v) * tf.constant([1.0, 2.0, 3.0])
    assert float(tape.gradient(y, v)) == 6.0
    np.testing.assert_array_equal(tape.jacobian(y, v).numpy(), [1.0, 2.0, 3.0])
    c = tf.constant(2.0)
    with tf.autodiff.ForwardAccumulator(c, tf.constant(1.0)) as acc:
        z = tf.fill([2, 2], c)
    np.testing.assert_array_equal(acc.jvp(z).numpy(), np.ones((2, 2), np.float32))


def test_explain_no_longer_calls_the_fill_value_unconnected():
    c = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(c)
        y = tf.reduce_sum(tf.fill([3], c))
    assert tape.explain(y, c) is None


def test_uniform_bounds_given_as_tensors_get_tf_gradients():
    lo, hi = tf.Variable(1.0), tf.Variable(3.0)
    with tf.GradientTape() as tape:
        u = tf.random.uniform((1000,), lo, hi, seed=1)
        y = tf.reduce_sum(u)
    g_lo, g_hi = tape.gradient(y, [lo, hi])
    # u = r * (hi - lo) + lo: d/dlo = sum(1 - r), d/dhi = sum(r), together the count
    assert abs(float(g_lo) + float(g_hi) - 1000.0) < 1e-2
    assert 400 < float(g_hi) < 600
