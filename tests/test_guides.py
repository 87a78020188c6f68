"""The behaviours TensorFlow's two autodiff guides demonstrate, as our own cases.

Each expected text below is what TensorFlow 2.21 prints for the same snippet (random values are
kept out of the printed text). Written afresh; no guide code is copied.
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import tapeflow as tf  # noqa: E402


def out(capsys):
    return capsys.readouterr().out


# --- Introduction to gradients and automatic differentiation -------------------------------------

def test_scalar_gradient(capsys):
    v = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        y = v ** 2
    d = tape.gradient(y, v)
    print(d.numpy(), d)
    assert out(capsys) == "6.0 tf.Tensor(6.0, shape=(), dtype=float32)\n"


def test_dict_of_sources(capsys):
    w = tf.Variable(tf.ones((3, 2)), name='w')
    b = tf.Variable(tf.zeros(2, dtype=tf.float32), name='b')
    with tf.GradientTape(persistent=True) as tape:
        y = [[1., 2., 3.]] @ w + b
        loss = tf.reduce_mean(y ** 2)
    g = tape.gradient(loss, {'w': w, 'b': b})
    print(g['b'])
    print(g['w'].shape, w.shape)
    print(sorted(g))
    assert out(capsys) == ("tf.Tensor([6. 6.], shape=(2,), dtype=float32)\n(3, 2) (3, 2)\n"
                           "['b', 'w']\n")


def test_dense_layer_gradients_and_names(capsys):
    layer = tf.keras.layers.Dense(2, activation='relu')
    print(len(layer.trainable_variables), layer.built)
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(layer(tf.constant([[1., 2., 3.]])) ** 2)
    grads = tape.gradient(loss, layer.trainable_variables)
    for var, g in zip(layer.trainable_variables, grads):
        print(f'{var.name}, shape: {g.shape}')
    print(layer.built, [v.name for v in layer.variables])
    # TF 2.21 (Keras 3) names weights 'kernel'/'bias'; the path carries the layer name.
    assert out(capsys) == ("0 False\nkernel, shape: (3, 2)\nbias, shape: (2,)\n"
                           "True ['kernel', 'bias']\n")
    assert layer.kernel.path == f"{layer.name}/kernel"


def test_what_the_tape_watches(capsys):
    a0 = tf.Variable(3.0, name='a0')
    a1 = tf.Variable(3.0, name='a1', trainable=False)
    a2 = tf.Variable(2.0, name='a2') + 1.0
    a3 = tf.constant(3.0, name='a3')
    with tf.GradientTape() as tape:
        y = a0 ** 2 + a1 ** 2 + a2 ** 2
    for g in tape.gradient(y, [a0, a1, a2, a3]):
        print(g)
    print([v.name for v in tape.watched_variables()])
    assert out(capsys) == "tf.Tensor(6.0, shape=(), dtype=float32)\nNone\nNone\nNone\n['a0:0']\n"


def test_watch_accessed_variables_false(capsys):
    x0 = tf.Variable(0.0)
    x1 = tf.Variable(10.0)
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(x1)
        s = tf.math.sin(x0) + tf.nn.softplus(x1)
        s = tf.reduce_sum(tf.nn.softplus(x1)) + 0 * s
    g = tape.gradient(s, {'x0': x0, 'x1': x1})
    print('dy/dx0:', g['x0'])
    print('dy/dx1:', g['x1'].numpy())
    assert out(capsys) == "dy/dx0: None\ndy/dx1: 0.9999546\n"


def test_intermediate_results_and_persistent_tape(capsys):
    c = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(c)
        y = c * c
        z = y * y
    print(tape.gradient(z, y).numpy())
    c = tf.constant([1, 3.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(c)
        y = c * c
        z = y * y
    print(tape.gradient(z, c).numpy())
    print(tape.gradient(y, c).numpy())
    print(tape.gradient(z, c))
    del tape
    assert out(capsys) == ("18.0\n[  4. 108.]\n[2. 6.]\n"
                           "tf.Tensor([  4. 108.], shape=(2,), dtype=float32)\n")


def test_non_scalar_targets(capsys):
    v = tf.Variable(2.0)
    with tf.GradientTape(persistent=True) as tape:
        y0 = v ** 2
        y1 = 1 / v
        y2 = v * [3., 4.]
    print(tape.gradient(y0, v).numpy())
    print(tape.gradient(y1, v).numpy())
    print(tape.gradient({'y0': y0, 'y1': y1}, v).numpy())
    print(tape.gradient([y0, y1], v))
    print(tape.gradient(y2, v).numpy())
    assert out(capsys) == ("4.0\n-0.25\n3.75\ntf.Tensor(3.75, shape=(), dtype=float32)\n7.0\n")


def test_elementwise_gradient_and_plot(capsys, tmp_path):
    grid = tf.linspace(-10.0, 10.0, 200 + 1)
    print(grid.shape, grid.dtype, grid[:3])
    with tf.GradientTape() as tape:
        tape.watch(grid)
        s = tf.nn.sigmoid(grid)
    ds = tape.gradient(s, grid)
    print(ds.shape, ds[100].numpy(), s[100].numpy())
    fig = plt.figure()
    plt.plot(grid, s, label='s')
    plt.plot(grid, ds, label='ds')
    plt.legend()
    fig.savefig(tmp_path / "sigmoid.png")
    plt.close(fig)
    assert (tmp_path / "sigmoid.png").stat().st_size > 1000
    assert out(capsys) == ("(201,) <dtype: 'float32'> tf.Tensor([-10.   -9.9  -9.8], shape=(3,), "
                           "dtype=float32)\n(201,) 0.25 0.5\n")


def test_control_flow(capsys):
    flag = tf.constant(1.0)
    p = tf.Variable(2.0)
    q = tf.Variable(2.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(flag)
        chosen = p if flag > 0.0 else q ** 2
    dp, dq = tape.gradient(chosen, [p, q])
    print(dp)
    print(dq)
    print(tape.gradient(chosen, flag))
    assert out(capsys) == "tf.Tensor(1.0, shape=(), dtype=float32)\nNone\nNone\n"


def test_none_when_target_unrelated(capsys):
    a = tf.Variable(2.)
    b = tf.Variable(3.)
    with tf.GradientTape() as tape:
        c = b * b
    print(tape.gradient(c, a))
    assert out(capsys) == "None\n"


def test_variable_replaced_by_tensor(capsys):
    v = tf.Variable(2.0)
    for _ in range(2):
        with tf.GradientTape() as tape:
            y = v + 1
        print(type(v).__name__, ":", tape.gradient(y, v))
        v = v + 1
    assert out(capsys) == ("ResourceVariable : tf.Tensor(1.0, shape=(), dtype=float32)\n"
                           "EagerTensor : None\n")


def test_numpy_inside_the_tape(capsys):
    m = tf.Variable([[1.0, 2.0], [3.0, 4.0]], dtype=tf.float32)
    with tf.GradientTape() as tape:
        col = np.mean(m ** 2, axis=0)
        y = tf.reduce_mean(col, axis=0)
    print(tape.gradient(y, m))
    assert out(capsys) == "None\n"


def test_integer_source(capsys):
    n = tf.constant(10)
    with tf.GradientTape() as tape:
        tape.watch(n)
        y = n * n
    print(tape.gradient(y, n))
    assert out(capsys) == "None\n"


def test_assign_add_cuts_the_path(capsys):
    src = tf.Variable(3.0)
    acc = tf.Variable(0.0)
    with tf.GradientTape() as tape:
        acc.assign_add(src)
        y = acc ** 2
    print(tape.gradient(y, src))
    print(acc)
    assert out(capsys) == ("None\n"
                           "<tf.Variable 'Variable:0' shape=() dtype=float32, numpy=3.0>\n")


def test_op_without_gradient(capsys):
    img = tf.Variable([[[0.5, 0.0, 0.0]]])
    factor = tf.Variable(0.1)
    with tf.GradientTape() as tape:
        adjusted = tf.image.adjust_contrast(img, factor)
    print(adjusted)
    with pytest.raises(LookupError) as info:
        tape.gradient(adjusted, [img, factor])
    print(f'{info.type.__name__}: {info.value}')
    assert out(capsys) == ("tf.Tensor([[[0.5 0.  0. ]]], shape=(1, 1, 3), dtype=float32)\n"
                           "LookupError: gradient registry has no entry for: AdjustContrastv2\n")


def test_unconnected_zero(capsys):
    a = tf.Variable([2., 2.])
    b = tf.Variable(3.)
    with tf.GradientTape() as tape:
        c = b ** 2
    print(tape.gradient(c, a, unconnected_gradients=tf.UnconnectedGradients.ZERO))
    assert out(capsys) == "tf.Tensor([0. 0.], shape=(2,), dtype=float32)\n"


# --- Advanced automatic differentiation ---------------------------------------------------------

def test_stop_gradient(capsys):
    a = tf.Variable(2.0)
    b = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        c = a ** 2 + tf.stop_gradient(b ** 2)
    g = tape.gradient(c, {'x': a, 'y': b})
    print('dz/dx:', g['x'])
    print('dz/dy:', g['y'])
    assert out(capsys) == "dz/dx: tf.Tensor(4.0, shape=(), dtype=float32)\ndz/dy: None\n"


def test_custom_gradient_clip_by_norm(capsys):
    @tf.custom_gradient
    def clipped_identity(t):
        return t, lambda up: tf.clip_by_norm(up, 0.5)

    v = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        r = clipped_identity(v * v)
    print(tape.gradient(r, v))
    print(r)
    assert out(capsys) == ("tf.Tensor(2.0, shape=(), dtype=float32)\n"
                           "tf.Tensor(4.0, shape=(), dtype=float32)\n")


def test_clip_by_norm_values(capsys):
    print(tf.clip_by_norm(tf.constant([3., 4.]), 1.0))
    print(tf.clip_by_norm(tf.constant([[3., 4.], [0., 0.]]), 2.5, axes=[1]))
    print(tf.clip_by_norm(tf.constant([0.3, 0.4]), 1.0))
    assert out(capsys) == ("tf.Tensor([0.6 0.8], shape=(2,), dtype=float32)\n"
                           "tf.Tensor(\n[[1.5 2. ]\n [0.  0. ]], shape=(2, 2), dtype=float32)\n"
                           "tf.Tensor([0.3 0.4], shape=(2,), dtype=float32)\n")


def test_module_with_function_and_signature(capsys):
    class Holder(tf.Module):
        def __init__(self):
            super().__init__()
            self.v = tf.Variable(1.0, name='v')
            self.u = tf.Variable(2.0, trainable=False, name='u')

        @tf.function(input_signature=[tf.TensorSpec(None)])
        def scale(self, t):
            return self.v * t

    h = Holder()
    print(h.scale(tf.constant(3.0)))
    print([v.name for v in h.variables], [v.name for v in h.trainable_variables])
    print(tf.TensorSpec(None), tf.TensorSpec([2, None], tf.int32))
    with pytest.raises(TypeError):
        h.scale(tf.constant(3))
    assert out(capsys) == (
        "tf.Tensor(3.0, shape=(), dtype=float32)\n['u:0', 'v:0'] ['v:0']\n"
        "TensorSpec(shape=<unknown>, dtype=tf.float32, name=None) "
        "TensorSpec(shape=(2, None), dtype=tf.int32, name=None)\n")


def test_multiple_tapes(capsys):
    a = tf.constant(0.0)
    b = tf.constant(0.0)
    with tf.GradientTape() as ta, tf.GradientTape() as tb:
        ta.watch(a)
        tb.watch(b)
        total = tf.reduce_sum(tf.math.sin(a) + tf.nn.sigmoid(b))
    print(ta.gradient(total, a).numpy())
    print(tb.gradient(total, b).numpy())
    assert out(capsys) == "1.0\n0.25\n"


def test_higher_order_nested_tapes(capsys):
    v = tf.Variable(1.0)
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            y = v * v * v
        d1 = inner.gradient(y, v)
    d2 = outer.gradient(d1, v)
    print('dy_dx:', d1.numpy())
    print('d2y_dx2:', d2.numpy())
    assert out(capsys) == "dy_dx: 3.0\nd2y_dx2: 6.0\n"


def test_input_gradient_regularization(capsys):
    inputs = tf.random.normal([7, 5])
    layer = tf.keras.layers.Dense(10, activation=tf.nn.relu)
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            inner.watch(inputs)
            energy = tf.reduce_sum(layer(inputs) ** 2)
        g_in = inner.gradient(energy, inputs)
        magnitude = tf.norm(g_in)
    dmag = outer.gradient(magnitude, layer.trainable_variables)
    print([d.shape for d in dmag])
    print(magnitude.shape, magnitude.dtype)
    assert out(capsys) == "[TensorShape([5, 10]), TensorShape([10])]\n() <dtype: 'float32'>\n"


def test_jacobian_scalar_source(capsys, tmp_path):
    grid = tf.linspace(-10.0, 10.0, 200 + 1)
    shift = tf.Variable(0.0)
    with tf.GradientTape() as tape:
        s = tf.nn.sigmoid(grid + shift)
    ds = tape.jacobian(s, shift)
    print(s.shape)
    print(ds.shape)
    print(ds[100].numpy())
    plt.plot(grid.numpy(), ds.numpy())
    plt.savefig(tmp_path / "j.png")
    plt.close()
    assert out(capsys) == "(201,)\n(201,)\n0.25\n"


def test_jacobian_wrt_dense_kernel(capsys):
    inputs = tf.random.normal([7, 5])
    layer = tf.keras.layers.Dense(10, activation=tf.nn.relu)
    with tf.GradientTape(persistent=True) as tape:
        y = layer(inputs)
    print(repr(y.shape))
    print(repr(layer.kernel.shape))
    j = tape.jacobian(y, layer.kernel)
    print(repr(j.shape))
    g = tape.gradient(y, layer.kernel)
    print('g.shape:', g.shape)
    delta = tf.reduce_max(abs(g - tf.reduce_sum(j, axis=[0, 1]))).numpy()
    assert delta < 1e-3
    print(type(delta).__name__)
    assert out(capsys) == ("TensorShape([7, 10])\nTensorShape([5, 10])\n"
                           "TensorShape([7, 10, 5, 10])\ng.shape: (5, 10)\nfloat32\n")


def test_hessian_newton_step(capsys, tmp_path):
    inputs = tf.random.normal([7, 5])
    first = tf.keras.layers.Dense(8, activation=tf.nn.relu)
    second = tf.keras.layers.Dense(6, activation=tf.nn.relu)
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            loss = tf.reduce_mean(second(first(inputs)) ** 2)
        g = inner.gradient(loss, first.kernel)
    h = outer.jacobian(g, first.kernel)
    print(f'layer.kernel.shape: {first.kernel.shape}')
    print(f'h.shape: {h.shape}')
    n = tf.reduce_prod(first.kernel.shape)
    print(n)
    g_vec = tf.reshape(g, [n, 1])
    h_mat = tf.reshape(h, [n, n])
    print(g_vec.shape, h_mat.shape)
    plt.imshow(h_mat, cmap='viridis')
    plt.savefig(tmp_path / "h.png")
    plt.close()
    eye = tf.eye(h_mat.shape[0]) * 1e-3
    print(eye.shape, eye.dtype)
    step = tf.linalg.solve(h_mat + eye, g_vec)
    print(step.shape)
    before = first.kernel.numpy()
    _ = first.kernel.assign_sub(tf.reshape(step, first.kernel.shape))
    print(type(_).__name__)
    np.testing.assert_allclose(first.kernel.numpy(), before - step.numpy().reshape(5, 8),
                               rtol=1e-6)
    assert np.allclose(h_mat.numpy(), h_mat.numpy().T, atol=1e-5)
    assert out(capsys) == ("layer.kernel.shape: (5, 8)\nh.shape: (5, 8, 5, 8)\n"
                           "tf.Tensor(40, shape=(), dtype=int32)\n(40, 1) (40, 40)\n"
                           "(40, 40) <dtype: 'float32'>\n(40, 1)\nEagerTensor\n")


def test_batch_jacobian_vs_jacobian(capsys):
    inputs = tf.random.normal([7, 5])
    first = tf.keras.layers.Dense(8, activation=tf.nn.elu)
    second = tf.keras.layers.Dense(6, activation=tf.nn.elu)
    with tf.GradientTape(persistent=True, watch_accessed_variables=False) as tape:
        tape.watch(inputs)
        y = second(first(inputs))
    print(repr(y.shape))
    j = tape.jacobian(y, inputs)
    print(repr(j.shape))
    j_sum = tf.reduce_sum(j, axis=2)
    print(j_sum.shape)
    j_diag = tf.einsum('bxby->bxy', j)
    print(j_diag.shape)
    jb = tape.batch_jacobian(y, inputs)
    print(repr(jb.shape))
    print(tf.reduce_max(abs(jb - j_sum)).numpy())
    print(tf.reduce_max(abs(j_diag - jb)).numpy())
    assert out(capsys) == ("TensorShape([7, 6])\nTensorShape([7, 6, 7, 5])\n(7, 6, 5)\n"
                           "(7, 6, 5)\nTensorShape([7, 6, 5])\n0.0\n0.0\n")


def test_batch_jacobian_through_batch_norm(capsys, tmp_path):
    inputs = tf.random.normal([7, 5])
    first = tf.keras.layers.Dense(8, activation=tf.nn.elu)
    bn = tf.keras.layers.BatchNormalization()
    second = tf.keras.layers.Dense(6, activation=tf.nn.elu)
    with tf.GradientTape(persistent=True, watch_accessed_variables=False) as tape:
        tape.watch(inputs)
        y = second(bn(first(inputs), training=True))
    j = tape.jacobian(y, inputs)
    print(f'j.shape: {j.shape}')
    padded = tf.pad(j, [[0, 0], [1, 1], [0, 0], [1, 1]], constant_values=np.nan)
    s = padded.shape
    patches = tf.reshape(padded, [s[0] * s[1], s[2] * s[3]])
    print(patches.shape, int(np.isnan(patches.numpy()).sum()))
    plt.imshow(patches, vmin=-1, vmax=1, cmap='coolwarm')
    plt.savefig(tmp_path / "bn.png")
    plt.close()
    jb = tape.batch_jacobian(y, inputs)
    print(f'jb.shape: {jb.shape}')
    # the examples are coupled: off-diagonal blocks are not zero, and batch_jacobian sums the
    # targets over the batch (jb[b, i, k] = sum over c of j[c, i, b, k]), as TF does
    jn = j.numpy()
    assert np.abs(jn[0, :, 1, :]).max() > 1e-4
    np.testing.assert_allclose(jb.numpy(), jn.sum(axis=0).transpose(1, 0, 2), atol=1e-5)
    print([v.name for v in bn.trainable_variables])
    assert out(capsys) == ("j.shape: (7, 6, 7, 5)\n(56, 49) 1274\njb.shape: (7, 6, 5)\n"
                           "['gamma', 'beta']\n")


def test_pad_norm_eye_solve_einsum(capsys):
    print(tf.pad(tf.constant([[1., 2.]]), [[1, 0], [0, 1]], constant_values=7.0))
    print(tf.pad(tf.constant([[1, 2]]), [[0, 0], [1, 1]]))
    print(tf.norm(tf.constant([[3., 4.], [0., 0.]])))
    print(tf.norm(tf.constant([[3., 4.], [0., 0.]]), axis=1))
    print(tf.eye(2, 3, dtype=tf.float64))
    print(tf.linalg.solve(tf.constant([[2., 0.], [0., 4.]]), tf.constant([[2.], [2.]])))
    print(tf.einsum('bxby->bxy', tf.reshape(tf.range(16.), (2, 2, 2, 2))))
    assert out(capsys) == (
        "tf.Tensor(\n[[7. 7. 7.]\n [1. 2. 7.]], shape=(2, 3), dtype=float32)\n"
        "tf.Tensor([[0 1 2 0]], shape=(1, 4), dtype=int32)\n"
        "tf.Tensor(5.0, shape=(), dtype=float32)\n"
        "tf.Tensor([5. 0.], shape=(2,), dtype=float32)\n"
        "tf.Tensor(\n[[1. 0. 0.]\n [0. 1. 0.]], shape=(2, 3), dtype=float64)\n"
        "tf.Tensor(\n[[1. ]\n [0.5]], shape=(2, 1), dtype=float32)\n"
        "tf.Tensor(\n[[[ 0.  1.]\n  [ 4.  5.]]\n\n [[10. 11.]\n  [14. 15.]]], shape=(2, 2, 2), "
        "dtype=float32)\n")


def test_vectorized_jacobians_log_no_retracing_noise(caplog):
    """TF logs pfor's tf.function retracing warnings after a few eager jacobians; the spec
    (4.6) calls them noise, and tapeflow, which traces nothing, prints none."""
    x = tf.constant([[1., 2.], [3., 4.]])
    with caplog.at_level("WARNING", logger="tensorflow"):
        for _ in range(8):
            with tf.GradientTape(persistent=True) as tape:
                tape.watch(x)
                y = x * x
            tape.jacobian(y, x)
            tape.batch_jacobian(y, x)
    assert not [r for r in caplog.records if "retracing" in r.getMessage()]
