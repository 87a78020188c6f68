"""Snippets run in real TF 2.21 (tools/record_tf_probes.py writes what each gave into
tests/fixtures/defects/probes.json) and in tapeflow (tests/test_tf_probes.py compares).

Each entry is ``(label, mode, code)``: ``code`` is an expression over ``tf``, ``np`` and the
helpers below; ``mode`` is "exact" (the repr of the result, or the exception's type and message,
must match) or "type" (only the exception type, or the result's repr, must match).
"""

import numpy as np  # noqa: F401  (used by the snippets)


def grad(tf, f, x):
    """d f(x) / d x with x watched (a constant or a Variable)."""
    with tf.GradientTape() as tape:
        if not isinstance(x, tf.Variable):
            tape.watch(x)
        y = f(x)
    return tape.gradient(y, x)


PROBES = [
    # --- factories are ops: tf.fill differentiates in its value; shapes are checked ----------------
    ("fill_grad", "exact", "grad(tf, lambda v: tf.reduce_sum(tf.fill([3], v)), tf.constant(2.0))"),
    ("fill_grad_2d", "exact", "grad(tf, lambda v: tf.reduce_sum(tf.fill([3, 2], v) * "
                              "tf.constant([1., 2.])), tf.constant(2.0))"),
    ("fill_grad_var", "exact", "grad(tf, lambda v: tf.reduce_sum(tf.fill([2], v)), "
                               "tf.Variable(1.0))"),
    ("zeros_like_grad", "exact", "grad(tf, lambda v: tf.reduce_sum(tf.zeros_like(v)), "
                                 "tf.constant(2.0))"),
    ("ones_like_grad", "exact", "grad(tf, lambda v: tf.reduce_sum(tf.ones_like(v)), "
                                "tf.constant(2.0))"),
    ("zeros_like_plus", "exact", "grad(tf, lambda v: tf.reduce_sum(tf.zeros_like(v) + v), "
                                 "tf.constant(2.0))"),
    ("range_grad", "exact", "grad(tf, lambda v: tf.reduce_sum(tf.range(v, 5.)), tf.constant(2.0))"),
    ("normal_mean_grad", "exact", "grad(tf, lambda v: tf.reduce_sum(tf.random.normal((3,), "
                                  "mean=v)), tf.constant(2.0))"),
    ("trunc_mean_grad", "exact", "grad(tf, lambda v: tf.reduce_sum(tf.random.truncated_normal("
                                 "(3,), mean=v)), tf.constant(2.0))"),
    ("stateless_mean_grad", "exact", "grad(tf, lambda v: tf.reduce_sum(tf.random.stateless_normal("
                                     "(3,), seed=[1, 2], mean=v)), tf.constant(2.0))"),
    ("uniform_min_grad_is_set", "exact", "grad(tf, lambda v: tf.reduce_sum(tf.random.uniform("
                                         "(3,), minval=v, maxval=5.)), tf.constant(2.0)) is None"),
    ("shuffle_grad", "exact", "grad(tf, lambda v: tf.reduce_sum(tf.random.shuffle(tf.stack("
                              "[v, v]))), tf.constant(2.0))"),
    ("one_hot_on_grad", "exact", "grad(tf, lambda v: tf.reduce_sum(tf.one_hot([0, 1], 3, "
                                 "on_value=v)), tf.constant(2.0))"),
    ("eye_grad", "exact", "grad(tf, lambda v: tf.reduce_sum(tf.eye(2) * v), tf.constant(2.0))"),
    ("imag_real_grad", "exact", "grad(tf, lambda v: tf.math.imag(v), tf.constant(2.0))"),
    ("int_truediv", "exact", "tf.constant([1, 2]) / 2"),
    ("int_truediv_zero", "exact", "tf.constant(1) / tf.constant(0)"),
    ("zeros_neg", "exact", "tf.zeros((-1, 2))"),
    ("ones_neg", "exact", "tf.ones((-1, 2))"),
    ("fill_neg", "exact", "tf.fill((-1, 2), 1.0)"),
    ("zeros_neg_tensor", "exact", "tf.zeros(tf.constant([-1, 2]))"),
    ("eye_neg", "exact", "tf.eye(-1)"),
    ("eye_cols_neg", "exact", "tf.eye(2, -1)"),
    ("eye_batch_neg", "exact", "tf.eye(2, batch_shape=[-1])"),
    ("eye_float", "exact", "tf.eye(2.0)"),
    ("eye_batch", "exact", "tf.eye(2, 3, batch_shape=[2])"),
    ("normal_neg", "exact", "tf.random.normal((-2,))"),
    ("uniform_neg", "exact", "tf.random.uniform((-2,))"),
    ("normal_float_shape", "exact", "tf.random.normal((2.0,))"),
    ("uniform_int_empty_range", "exact", "tf.random.uniform((), 5, 1, tf.int32)"),
    ("uniform_int_equal", "exact", "tf.random.uniform((), 5, 5, tf.int32)"),
    ("zeros_float_shape", "exact", "tf.zeros((2.0, 3))"),
    ("ones_float_shape", "exact", "tf.ones((2.0, 3))"),
    ("zeros_str_shape", "exact", "tf.zeros('a')"),
    ("fill_float_shape", "exact", "tf.fill((2.0, 3), 1.)"),
    ("reshape_float_shape", "exact", "tf.reshape(tf.ones(6), [2.0, 3.0])"),
    ("reshape_overflow", "exact", "tf.reshape(tf.ones(1), (2**40, 2**40))"),
    ("reshape_overflow_2", "exact", "tf.reshape(tf.ones(1), (2**62, 4))"),
    ("shape_float", "exact", "tf.shape(tf.ones((2, 3)), out_type=tf.float32)"),
    ("shape_int64", "exact", "tf.shape(tf.ones((2, 3)), out_type=tf.int64)"),
    ("size", "exact", "tf.size(tf.ones((2, 3)))"),
    ("rank", "exact", "tf.rank(tf.ones((2, 3)))"),
    ("where_indices", "exact", "tf.where([True, False, True])"),
    ("where_scalar", "exact", "tf.where(True)"),
    ("zeros_like_str", "exact", "tf.zeros_like(tf.constant(['a']))"),
    ("ones_like_str", "type", "tf.ones_like(tf.constant(['a']))"),
    ("zeros_str", "exact", "tf.zeros((2,), tf.string)"),
    ("ones_str", "exact", "tf.ones((2,), tf.string)"),
    ("ones_bool", "exact", "tf.ones((2,), tf.bool)"),
    ("fill_str", "exact", "tf.fill((2,), 'a')"),
    ("fill_int64_value", "exact", "tf.fill([2], 2**31)"),
    ("fill_out_of_range", "exact", "tf.fill([2], 2**63)"),
    # --- tf.range: TF's dtype inference and checks ------------------------------------------------
    ("range_delta_zero", "exact", "tf.range(0, 10, 0)"),
    ("range_float_delta_zero", "exact", "tf.range(0., 1., 0.)"),
    ("range_wrong_direction", "exact", "tf.range(0, 10, -1)"),
    ("range_wrong_direction_2", "exact", "tf.range(10, 0, 1)"),
    ("range_negative_limit", "exact", "tf.range(-(2**31))"),
    ("range_int64", "exact", "tf.range(2**31 - 2, 2**31 + 2)"),
    ("range_int64_negative", "exact", "tf.range(-2**31 - 1, -2**31 + 1)"),
    ("range_int64_float32", "exact", "tf.range(2**31 - 2, 2**31 + 2.0)"),
    ("range_int_float_tensor", "exact", "tf.range(tf.constant(1), 5.)"),
    ("range_int64_int32_tensors", "exact", "tf.range(tf.constant(1, tf.int64), "
                                           "tf.constant(5, tf.int32))"),
    ("range_float64_tensor", "exact", "tf.range(tf.constant(1., tf.float64), 5)"),
    ("range_accumulates", "exact", "tf.range(0, 1, 0.3)"),
    ("range_uint8", "exact", "tf.range(3, dtype=tf.uint8)"),
    ("range_bool", "exact", "tf.range(3, dtype=tf.bool)"),
    ("range_dtype_refuses_float", "exact", "tf.range(0.5, 3, dtype=tf.int32)"),
    ("range_dtype_float64", "exact", "tf.range(3, dtype=tf.float64)"),
    ("range_float", "exact", "tf.range(5.)"),
    ("range_negative_delta", "exact", "tf.range(5, 0, -2)"),
    ("range_int64_tensor", "exact", "tf.range(tf.constant(3, tf.int64))"),
]


def run_probes(tf):
    """Each probe's outcome: {"result": repr} or {"error": [exception type name, message]}."""
    import warnings
    out = {}
    for label, _mode, code in PROBES:
        scope = {"tf": tf, "np": np, "grad": grad}
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")  # a leaked NumPy warning is an outcome too
                out[label] = {"result": repr(eval(code, scope))}
        except Exception as e:  # noqa: BLE001 - every failure is an outcome to record
            out[label] = {"error": [type(e).__name__, str(e)]}
    return out
