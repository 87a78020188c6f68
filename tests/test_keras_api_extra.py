"""keras.ops inside functional models and under GradientTape, keras.config's settings,
PyDataset in fit, and the namespace faces' attribute forwarding."""

import numpy as np
import pytest

import tapeflow as tf
from grad_helpers import grads

K = tf.keras
OPS = K.ops
_rng = np.random.default_rng(3)
X = _rng.standard_normal((3, 4))                       # float64: exact finite differences


def test_ops_on_keras_tensors_build_a_functional_model():
    inputs = K.Input((4,))
    hidden = K.layers.Dense(3, kernel_initializer="ones")(inputs)
    mixed = OPS.concatenate([OPS.nn.relu(hidden), OPS.mean(inputs, axis=-1, keepdims=True)], axis=-1)
    assert mixed.shape == (None, 4) and OPS.shape(mixed) == (None, 4)
    model = K.Model(inputs, OPS.linalg.norm(mixed, axis=-1))
    data = X.astype("float32")
    want = np.linalg.norm(np.concatenate([np.maximum(data.sum(-1, keepdims=True).repeat(3, 1),
                                                     0), data.mean(-1, keepdims=True)], -1),
                          axis=-1)
    np.testing.assert_allclose(model(data).numpy(), want, rtol=1e-5)
    model.compile("sgd", "mse")
    history = model.fit(data, np.zeros(3, "float32"), epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2


GRAD_CASES = {
    "logaddexp": lambda x: OPS.logaddexp(x, 2 * x),
    "cbrt": lambda x: OPS.cbrt(x + 3.0),
    "cumprod": lambda x: OPS.cumprod(x, axis=1),
    "take_along_axis": lambda x: OPS.take_along_axis(x, np.argsort(X, 1), axis=1),
    "celu": lambda x: OPS.nn.celu(x, 0.7),
    "sparse_plus": lambda x: OPS.nn.sparse_plus(x),
    "glu": lambda x: OPS.nn.glu(x),
    "rms_normalization": lambda x: OPS.nn.rms_normalization(x),
    "dot_product_attention": lambda x: OPS.nn.dot_product_attention(
        OPS.reshape(x, (1, 3, 1, 4)), OPS.reshape(x, (1, 3, 1, 4)), OPS.reshape(x * x, (1, 3, 1, 4))),
    "norm_nuc": lambda x: OPS.linalg.norm(x, "nuc"),
    "rearrange": lambda x: OPS.rearrange(x, "a (b c) -> c b a", c=2) * np.arange(12.0).reshape(
        2, 2, 3),
    "slice_update": lambda x: OPS.slice_update(x, (1, 1), OPS.square(x[:2, :2])),
    "scan": lambda x: OPS.scan(lambda c, r: (c * r, c), OPS.ones(4, "float64"), x)[0],
}


@pytest.mark.parametrize("name", sorted(GRAD_CASES))
def test_ops_are_differentiable(name):
    f = GRAD_CASES[name]

    def total(x):
        return OPS.sum(f(x))
    (grad,) = grads(total, X)
    eps, numeric = 1e-6, np.zeros_like(X)
    for idx in np.ndindex(*X.shape):
        up, down = X.copy(), X.copy()
        up[idx] += eps
        down[idx] -= eps
        numeric[idx] = (total(tf.constant(up)).numpy() - total(tf.constant(down)).numpy()) / (
            2 * eps)
    np.testing.assert_allclose(grad.numpy(), numeric, rtol=1e-4, atol=1e-6)


def test_config_settings_reach_ops_and_restore():
    try:
        K.config.set_floatx("float64")
        assert OPS.zeros(2).dtype.name == "float64" and OPS.mean(np.arange(3)).dtype.name == "float64"
        assert K.random.normal((2,), seed=1).dtype.name == "float64"
        K.config.set_epsilon(1e-3)
        assert K.backend.epsilon() == 1e-3
        K.config.set_image_data_format("channels_first")
        images = _rng.standard_normal((1, 2, 5, 5))
        pooled = OPS.max_pool(images, 2)
        assert pooled.shape == (1, 2, 2, 2)
        np.testing.assert_allclose(pooled.numpy()[0, 1, 0, 0], images[0, 1, :2, :2].max())
    finally:
        K.config.set_floatx("float32")
        K.config.set_epsilon(1e-7)
        K.config.set_image_data_format("channels_last")
    assert OPS.zeros(2).dtype.name == "float32"
    with pytest.raises(ValueError, match="Unknown `floatx` value"):
        K.config.set_floatx("int8")
    K.config.set_dtype_policy("mixed_float16")
    assert repr(K.config.dtype_policy()) == '<DTypePolicy "mixed_float16">'
    K.config.set_dtype_policy("float32")
    assert repr(K.config.dtype_policy()) == '<DTypePolicy "float32">'


class _Batches(K.utils.PyDataset):
    def __init__(self):
        super().__init__()
        self.epochs_ended = 0

    def __len__(self):
        return 3

    def __getitem__(self, index):
        x = np.full((4, 2), index, "float32")
        return x, x.sum(-1, keepdims=True)

    def on_epoch_end(self):
        self.epochs_ended += 1


def test_pydataset_feeds_fit():
    data = _Batches()
    model = K.Sequential([K.Input((2,)), K.layers.Dense(1)])
    model.compile("sgd", "mse")
    history = model.fit(data, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2 and data.epochs_ended == 2
    assert model.predict(data, verbose=0).shape == (12, 1)


def test_namespace_faces_forward_writes_and_list_tf_names():
    losses = K.losses
    losses.my_loss = "x"
    import sys
    module = sys.modules["tapeflow.keras.losses"]
    assert module.my_loss == "x"
    del losses.my_loss
    assert not hasattr(module, "my_loss")
    assert "MeanSquaredError" in dir(losses) and "np" not in dir(losses)
    assert "progbar" not in dir(K.utils) and K.utils.Progbar is not None


TRACED = {
    "take_along_axis": lambda x: OPS.take_along_axis(x, OPS.argsort(x, 1), 1),
    "median": lambda x: OPS.median(x, axis=1),
    "quantile": lambda x: OPS.quantile(x, [0.25, 0.5]),
    "pad": lambda x: OPS.pad(x, ((1, 1), (0, 2)), mode="reflect"),
    "scan": lambda x: OPS.scan(lambda c, r: (c + r, c * r), OPS.zeros(4, "float64"), x),
    "while_loop": lambda x: OPS.while_loop(lambda v: OPS.sum(v) < 100.0, lambda v: v * 2 + 1, x),
    "slice_update": lambda x: OPS.slice_update(x, (1, 1), OPS.ones((2, 2), "float64")),
    "dot_product_attention": lambda x: OPS.dot_product_attention(
        OPS.reshape(x, (1, 3, 1, 4)), OPS.reshape(x, (1, 3, 1, 4)), OPS.reshape(x, (1, 3, 1, 4)),
        is_causal=True),
    "seeded_normal": lambda x: x + K.random.normal((3, 4), dtype="float64", seed=1),
}


@pytest.mark.parametrize("name", sorted(TRACED))
def test_ops_trace_in_tf_function(name):
    fn = TRACED[name]
    eager = tf.nest.flatten(fn(tf.constant(X)))
    traced = tf.nest.flatten(tf.function(fn, autograph=False)(tf.constant(X)))
    for a, b in zip(eager, traced):
        np.testing.assert_allclose(np.asarray(b), np.asarray(a), rtol=1e-12)


def test_no_numpy_warnings_on_edge_inputs():
    import warnings
    nan = np.array([np.nan, np.nan])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = [OPS.nanmax(nan), OPS.nanmin(nan), OPS.nanmedian(nan), OPS.nanmean(nan),
                  OPS.nanquantile(nan, 0.5), OPS.log(np.array([0.0, -1.0])),
                  OPS.divide(np.array([1.0, 0.0]), 0.0), OPS.corrcoef(np.ones((2, 3))),
                  OPS.logaddexp(np.array([-np.inf]), np.array([-np.inf]))]
    assert np.isnan(values[0].numpy()) and np.isnan(values[2].numpy())


def test_vars_of_a_namespace_face_lists_its_public_classes():
    # the .keras loader finds layer classes by name in vars(tf.keras.layers)
    shown = vars(K.layers)
    assert shown["Dense"] is K.layers.Dense and "core" not in shown
    assert "KLD" in vars(K.metrics) and "np" not in vars(K.losses)


def test_numpy_computed_ops_in_a_function_trace_per_value_never_baked():
    f = tf.function(lambda v: (tf.keras.ops.unique(v), tf.keras.ops.bincount(v)), autograph=False)
    for ids in ([1, 2, 2, 0], [3, 0, 5, 5], [1, 2, 2, 0]):
        v = tf.constant(ids)
        got, want = f(v), (tf.keras.ops.unique(v), tf.keras.ops.bincount(v))
        for g, w in zip(got, want):
            np.testing.assert_array_equal(g.numpy(), w.numpy())
    assert f.experimental_get_tracing_count() == 2
