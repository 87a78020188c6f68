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


def on_tape(tf, f, **kwargs):
    """``f(tape, y)`` for y = x * x recorded with x = [1, 2] watched."""
    x = tf.constant([1., 2.])
    with tf.GradientTape(**kwargs) as tape:
        tape.watch(x)
        y = x * x
    return f(tape, y, x)


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
    # --- the tape's API given what is no tensor, and explicit output_gradients ------------------
    ("grad_source_none", "exact", "on_tape(tf, lambda t, y, x: t.gradient(y, None))"),
    ("grad_source_str", "exact", "on_tape(tf, lambda t, y, x: t.gradient(y, 'x'))"),
    ("grad_source_int", "exact", "on_tape(tf, lambda t, y, x: t.gradient(y, 3))"),
    ("grad_source_ndarray", "exact", "on_tape(tf, lambda t, y, x: t.gradient(y, np.ones(2)))"),
    ("grad_source_list_none", "exact", "on_tape(tf, lambda t, y, x: t.gradient(y, [x, None]))"),
    ("grad_target_list_none", "exact", "on_tape(tf, lambda t, y, x: t.gradient([y, None], x))"),
    ("grad_target_str", "exact", "on_tape(tf, lambda t, y, x: t.gradient('y', x))"),
    ("grad_target_ndarray", "exact", "on_tape(tf, lambda t, y, x: t.gradient(np.ones(2), x))"),
    ("grad_target_empty", "exact", "on_tape(tf, lambda t, y, x: t.gradient([], x))"),
    ("grad_sources_empty", "exact", "on_tape(tf, lambda t, y, x: t.gradient(y, []))"),
    ("grad_og_short", "exact", "on_tape(tf, lambda t, y, x: t.gradient([y, y], x, "
                               "output_gradients=[tf.ones(2)]))"),
    ("grad_og_long", "exact", "on_tape(tf, lambda t, y, x: t.gradient(y, x, "
                              "output_gradients=[tf.ones(2), tf.ones(2)]))"),
    ("grad_og_shape", "exact", "on_tape(tf, lambda t, y, x: t.gradient(y, x, "
                               "output_gradients=tf.ones(3)))"),
    ("grad_og_shape_bigger", "exact", "on_tape(tf, lambda t, y, x: t.gradient(y, x, "
                                      "output_gradients=tf.ones((2, 2))))"),
    ("grad_og_scalar", "exact", "on_tape(tf, lambda t, y, x: t.gradient(y, x, "
                                "output_gradients=tf.constant(2.)))"),
    ("grad_og_dtype", "exact", "on_tape(tf, lambda t, y, x: t.gradient(y, x, "
                               "output_gradients=tf.ones(2, tf.float64)))"),
    ("grad_og_python_list", "exact", "on_tape(tf, lambda t, y, x: t.gradient(y, x, "
                                     "output_gradients=[1., 2.]))"),
    ("jacobian_source_none", "exact", "on_tape(tf, lambda t, y, x: t.jacobian(y, None), "
                                      "persistent=True)"),
    ("jacobian_source_str", "exact", "on_tape(tf, lambda t, y, x: t.jacobian(y, 'x'), "
                                     "persistent=True)"),
    ("jacobian_target_none", "exact", "on_tape(tf, lambda t, y, x: t.jacobian(None, x), "
                                      "persistent=True)"),
    ("batch_jacobian_target_none", "exact", "on_tape(tf, lambda t, y, x: t.batch_jacobian("
                                            "None, x), persistent=True)"),
    ("watch_none", "exact", "on_tape(tf, lambda t, y, x: t.watch(None))"),
    ("watch_str", "exact", "on_tape(tf, lambda t, y, x: t.watch('x'))"),
    # --- ops given empty, too deep or mistyped arguments -----------------------------------------
    # TF's text names a debug link that changes from run to run: the type is compared
    ("concat_empty", "type", "tf.concat([], 0)"),
    ("concat_empty_axis1", "type", "tf.concat([], 1)"),
    ("stack_empty", "exact", "tf.stack([])"),
    ("add_n_empty", "exact", "tf.add_n([])"),
    ("gather_nd_too_deep", "exact", "tf.gather_nd(tf.ones((2, 3)), [[0, 1, 2]])"),
    ("gather_nd_scalar_indices", "exact", "tf.gather_nd(tf.ones((2, 3)), 1)"),
    ("gather_nd_negative", "exact", "tf.gather_nd(tf.ones((2, 3)), [[-1]])"),
    ("gather_nd_out_of_range", "exact", "tf.gather_nd(tf.ones((2, 3)), [[0, 5]])"),
    ("scatter_nd_too_deep", "exact", "tf.scatter_nd([[0, 1, 2]], [1.], [2, 3])"),
    ("tensor_scatter_too_deep", "exact", "tf.tensor_scatter_nd_update(tf.ones((2, 3)), "
                                         "[[0, 1, 2]], [1.])"),
    # --- out of memory is TF's ResourceExhaustedError (message: the allocator's name differs) -----
    ("oom_ones", "type", "tf.ones((10**6, 10**6))"),
    ("oom_zeros", "type", "tf.zeros((10**6, 10**6))"),
    ("oom_variable", "type", "tf.Variable(tf.zeros((10**6, 10**6)))"),
    ("oom_eye", "type", "tf.eye(10**6)"),
    ("oom_tile", "type", "tf.tile(tf.ones((1000,)), [10**9])"),
    ("oom_pad", "type", "tf.pad(tf.ones((2,)), [[0, 10**12]])"),
    ("oom_matmul", "type", "tf.matmul(tf.ones((10**6, 1)), tf.ones((1, 10**6)))"),
    # --- inf and nan come out silently (run with warnings as errors) -----------------------------
    ("nan_sqrt", "exact", "tf.sqrt(tf.constant(-1.0))"),
    ("nan_zero_by_zero", "exact", "tf.constant(0.) / tf.constant(0.)"),
    ("nan_inf_times_zero", "exact", "tf.constant(np.inf) * 0."),
    ("nan_inf_minus_inf", "exact", "tf.constant(np.inf) - tf.constant(np.inf)"),
    ("nan_log", "exact", "tf.math.log(tf.constant([-1.0, 0.0]))"),
    ("inf_int_truediv", "exact", "tf.constant(1) / tf.constant(0)"),
    ("inf_exp", "exact", "tf.exp(tf.constant(1000.))"),
    ("inf_mul_overflow", "exact", "tf.constant(3e38) * 10."),
    ("cast_overflow", "exact", "tf.cast(tf.constant(1e10), tf.int32)"),
    ("cast_nan_to_int", "exact", "tf.cast(tf.constant(np.nan), tf.int32)"),
    ("reduce_mean_empty", "exact", "tf.reduce_mean(tf.zeros((0,)))"),
    ("reduce_sum_inf", "exact", "tf.reduce_sum(tf.constant([np.inf, -np.inf]))"),
    ("reduce_variance_inf", "exact", "tf.math.reduce_variance(tf.constant([np.inf, 1.]))"),
    ("matmul_inf", "exact", "tf.matmul(tf.constant([[np.inf, 1.]]), tf.constant([[0.], [1.]]))"),
    ("det_overflow", "exact", "tf.linalg.det(tf.eye(3) * 1e30)"),
    ("cumprod_inf", "exact", "tf.math.cumprod(tf.constant([np.inf, 0.]))"),
    ("mean_grad_empty", "exact", "on_tape(tf, lambda t, y, x: t.gradient(tf.reduce_mean(y[:0]), "
                                 "x))"),
    ("sqrt_grad_zero", "exact", "on_tape(tf, lambda t, y, x: t.gradient(tf.sqrt(y * 0.), x))"),
    ("log_grad_zero", "exact", "on_tape(tf, lambda t, y, x: t.gradient(tf.math.log(y * 0.), x))"),
    ("div_grad_zero", "exact", "on_tape(tf, lambda t, y, x: t.gradient(y / 0., x))"),
    ("sigmoid_xent_inf", "exact", "tf.nn.sigmoid_cross_entropy_with_logits(tf.constant([1.]), "
                                  "tf.constant([np.inf]))"),
    ("moments_inf", "exact", "tf.nn.moments(tf.constant([np.inf, 1.]), [0])"),
    ("batch_norm_zero_variance", "exact", "tf.nn.batch_normalization(tf.constant([1.]), 0., 0., "
                                          "None, None, 0.)"),
    ("float16_overflow", "exact", "tf.constant(70000., tf.float16)"),
    ("float16_mul_overflow", "exact", "tf.constant(300., tf.float16) * tf.constant(300., "
                                      "tf.float16)"),
    ("cast_float16_overflow", "exact", "tf.cast(tf.constant(1e6), tf.float16)"),
    ("float16_list_overflow", "exact", "tf.constant([1e300], tf.float16)"),
    # --- refused as TF refuses them ---------------------------------------------------------------
    ("mixed_int_str", "exact", "tf.constant([1, 'a'])"),
    ("mixed_str_int", "exact", "tf.constant(['a', 1])"),
    ("mixed_bytes_float", "exact", "tf.constant([b'a', 1.5])"),
    ("mixed_nested", "exact", "tf.constant([['a'], [1]])"),
    ("mixed_bool_str", "exact", "tf.constant([True, 'a'])"),
    ("mixed_none_str", "exact", "tf.constant([None, 'a'])"),
    ("mixed_str_bytes", "exact", "tf.constant(['a', b'b'])"),
    ("mixed_convert", "exact", "tf.convert_to_tensor([1, 'a'])"),
    ("mixed_variable", "exact", "tf.Variable([1, 'a'])"),
    ("numpy_object_mixed", "exact", "tf.constant(np.array([1, 'a'], dtype=object))"),
    ("numpy_unicode", "exact", "tf.constant(np.array([1, 'a']))"),
    ("cast_float_to_string", "exact", "tf.cast(1.0, tf.string)"),
    ("cast_int_to_string", "exact", "tf.cast(tf.constant(1), tf.string)"),
    ("cast_bool_to_string", "exact", "tf.cast(tf.constant(True), tf.string)"),
    ("cast_half_to_string", "exact", "tf.cast(tf.constant(1., tf.float16), tf.string)"),
    ("cast_string_to_float", "exact", "tf.cast(tf.constant('1'), tf.float32)"),
    ("cast_string_to_double", "exact", "tf.cast(tf.constant('1'), tf.float64)"),
    ("cast_string_to_int64", "exact", "tf.cast(tf.constant('1'), tf.int64)"),
    ("cast_string_to_bool", "exact", "tf.cast(tf.constant('1'), tf.bool)"),
    ("cast_python_str_to_float", "exact", "tf.cast('a', tf.float32)"),
    ("cast_string_to_string", "exact", "tf.cast(tf.constant('1'), tf.string)"),
    ("neg_uint8", "exact", "-tf.constant(1, tf.uint8)"),
    ("neg_uint16", "exact", "-tf.constant(1, tf.uint16)"),
    ("neg_uint64", "exact", "tf.negative(tf.constant([1], tf.uint64))"),
    ("neg_int8", "exact", "-tf.constant(1, tf.int8)"),
    ("abs_uint8", "exact", "abs(tf.constant([1, 2], tf.uint8))"),
    ("abs_uint32", "exact", "tf.abs(tf.constant([1, 2], tf.uint32))"),
    ("sign_uint8", "exact", "tf.sign(tf.constant([1, 2], tf.uint8))"),
    ("square_uint8", "exact", "tf.square(tf.constant([1, 2], tf.uint8))"),
    ("pow_uint8", "type", "tf.constant([1, 2], tf.uint8) ** tf.constant([1, 2], tf.uint8)"),
    ("sub_uint8_wraps", "exact", "tf.constant(1, tf.uint8) - tf.constant(2, tf.uint8)"),
    ("reduce_sum_dup", "exact", "tf.reduce_sum(tf.ones((2, 3)), axis=[0, 0])"),
    ("reduce_sum_dup_negative", "exact", "tf.reduce_sum(tf.ones((2, 3)), axis=[1, -1])"),
    ("reduce_sum_dup_tensor", "type", "tf.reduce_sum(tf.ones((2, 3)), axis=tf.constant([0, 0]))"),
    ("reduce_mean_dup", "exact", "tf.reduce_mean(tf.ones((2, 3)), axis=[0, 0])"),
    ("reduce_max_dup", "exact", "tf.reduce_max(tf.ones((2, 3)), axis=[1, -1])"),
    ("reduce_min_dup", "exact", "tf.reduce_min(tf.ones((2, 3)), axis=[0, 0])"),
    ("reduce_prod_dup", "exact", "tf.reduce_prod(tf.ones((2, 3)), axis=[0, 0])"),
    ("reduce_any_dup", "exact", "tf.reduce_any(tf.ones((2, 3), tf.bool), axis=[0, 0])"),
    ("reduce_all_dup", "exact", "tf.reduce_all(tf.ones((2, 3), tf.bool), axis=[1, -1])"),
    ("reduce_logsumexp_dup", "exact", "tf.reduce_logsumexp(tf.ones((2, 3)), axis=[0, 0])"),
    ("reduce_std_dup", "exact", "tf.math.reduce_std(tf.ones((2, 3)), axis=[0, 0])"),
    ("reduce_variance_dup", "exact", "tf.math.reduce_variance(tf.ones((2, 3)), axis=[0, 0])"),
    ("euclidean_norm_dup", "exact", "tf.math.reduce_euclidean_norm(tf.ones((2, 3)), "
                                    "axis=[0, 0])"),
    ("moments_dup", "exact", "tf.nn.moments(tf.ones((2, 3)), axes=[0, 0])"),
    ("reduce_sum_float_axis", "exact", "tf.reduce_sum(tf.ones((2, 3)), axis=0.0)"),
    ("transpose_dup_perm", "exact", "tf.transpose(tf.ones((2, 3)), perm=[0, 0])"),
    ("squeeze_dup_axis", "exact", "tf.squeeze(tf.ones((1, 3)), axis=[0, 0])"),
    # --- string tensors: print, compare, concatenate, convert ----------------------------------
    ("str_add", "exact", "tf.constant('a') + tf.constant('b')"),
    ("str_add_print", "exact", "str(tf.constant('a') + tf.constant('b'))"),
    ("str_add_python", "exact", "tf.constant('a') + 'c'"),
    ("str_radd_python", "exact", "'c' + tf.constant('a')"),
    ("str_radd_bytes", "exact", "b'c' + tf.constant('a')"),
    ("str_add_vector_scalar", "exact", "tf.constant(['x', 'yz']) + tf.constant('a')"),
    ("str_add_broadcast", "exact", "tf.constant([['p', 'q'], ['r', 's']]) + "
                                   "tf.constant(['x', 'yz'])"),
    ("str_tf_add", "exact", "tf.add(tf.constant('a'), tf.constant('b'))"),
    ("str_math_add", "exact", "tf.math.add(tf.constant(['x', 'yz']), '!')"),
    ("str_add_int", "exact", "tf.constant('a') + 1"),
    ("str_add_n", "type", "tf.add_n([tf.constant('a'), tf.constant('b')])"),
    ("str_mul", "type", "tf.constant('a') * tf.constant('b')"),
    ("str_sub", "type", "tf.constant('a') - tf.constant('b')"),
    ("str_less", "type", "tf.constant('a') < tf.constant('b')"),
    ("str_sort", "type", "tf.sort(tf.constant(['x', 'yz']))"),
    ("str_item", "exact", "tf.constant(['x', 'yz'])[0]"),
    ("str_item_print", "exact", "str(tf.constant(['x', 'yz'])[0])"),
    ("str_item_numpy", "exact", "tf.constant(['x', 'yz'])[0].numpy()"),
    ("str_item_2d", "exact", "tf.constant([['p', 'q'], ['r', 's']])[1, 0]"),
    ("str_row", "exact", "tf.constant([['p', 'q'], ['r', 's']])[1]"),
    ("str_iter", "exact", "list(tf.constant(['x', 'yz']))"),
    ("str_gather", "exact", "tf.gather(tf.constant(['x', 'yz']), 1)"),
    ("str_gather_nd", "exact", "tf.gather_nd(tf.constant([['p', 'q'], ['r', 's']]), [1, 1])"),
    ("str_unstack", "exact", "tf.unstack(tf.constant(['x', 'yz']))"),
    ("str_nested_item", "exact", "tf.constant([['a']])[0][0]"),
    ("str_where", "exact", "tf.where(True, tf.constant('a'), tf.constant('b'))"),
    ("str_concat", "exact", "tf.concat([tf.constant(['x']), tf.constant(['yz'])], 0)"),
    ("str_stack", "exact", "tf.stack([tf.constant('a'), tf.constant('b')])"),
    ("str_reshape_scalar", "exact", "tf.reshape(tf.constant(['a']), ())"),
    ("str_identity_print", "exact", "str(tf.identity(tf.constant('a')))"),
    ("str_eq", "exact", "tf.constant('a') == 'a'"),
    ("str_eq_vector", "exact", "tf.constant(['x', 'yz']) == 'x'"),
    ("str_ne", "exact", "tf.constant('a') != tf.constant('b')"),
    ("str_bool", "exact", "bool(tf.constant(''))"),
    ("str_numpy", "exact", "tf.constant('a').numpy()"),
    ("str_numpy_vector", "exact", "tf.constant(['x', 'yz']).numpy()"),
    ("str_format", "exact", "f\"{tf.constant('ab')}\""),
    ("str_print_2d", "exact", "str(tf.constant([['p', 'q'], ['r', 's']]))"),
    ("str_repr_2d", "exact", "repr(tf.constant([['p', 'q'], ['r', 's']]))"),
    ("str_print_unicode", "exact", "str(tf.constant(['é', 'a']))"),
    ("str_print_bytes", "exact", "str(tf.constant([[b'a\\xff', b'b']]))"),
    ("str_empty", "exact", "str(tf.constant([], tf.string))"),
    ("str_empty_repr", "exact", "repr(tf.constant([], tf.string))"),
    ("str_from_numpy_bytes", "exact", "tf.convert_to_tensor(np.array([b'a', b'bb']))"),
    ("str_from_numpy_str", "exact", "tf.convert_to_tensor(np.str_('ab'))"),
    ("str_constant_shape", "exact", "tf.constant('a', shape=(2,))"),
    ("str_variable_add", "exact", "tf.Variable('abc') + 'd'"),
    ("str_variable_assign", "exact", "tf.Variable('abc').assign('d')"),
    ("str_zeros_like", "exact", "tf.zeros_like(tf.constant(['x', 'yz']))"),
]


def run_probes(tf):
    """Each probe's outcome: {"result": repr} or {"error": [exception type name, message]}."""
    import warnings
    out = {}
    for label, _mode, code in PROBES:
        scope = {"tf": tf, "np": np, "grad": grad, "on_tape": on_tape}
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")  # a leaked NumPy warning is an outcome too
                out[label] = {"result": repr(eval(code, scope))}
        except Exception as e:  # noqa: BLE001 - every failure is an outcome to record
            out[label] = {"error": [type(e).__name__, str(e)]}
    return out
