"""The layers of docs/keras-layers-more.md against Keras 3 (tests/fixtures/keras_layers2,
recorded by tools/record_keras_layers2_fixtures.py from tests/keras_layers2_cases.py): outputs,
gradients w.r.t. inputs and weights, weight paths and shapes, configs and their round trip."""

import json
import pathlib

import numpy as np
import pytest

import tapeflow as tf
from keras_layers2_cases import CASES, ERRORS, MODELS, error_of, run

L = tf.keras.layers
HERE = pathlib.Path(__file__).parent / "fixtures" / "keras_layers2"
FIX = np.load(HERE / "layers.npz")
META = json.loads((HERE / "layers.json").read_text())


def _fixture(key):
    return {name.split("/", 1)[1]: FIX[name] for name in FIX.files
            if name.split("/", 1)[0] == key}


def _config(config):
    """A config as JSON would hold it; of an initializer, its class and seed only (Keras 3.15's
    GlorotUniform also lists ``input_axes``/``output_axes``, which tapeflow's initializers do
    not have); of a wrapped layer, its config without its name and ``build_config``."""
    def strip(value):
        if isinstance(value, dict):
            if value.get("module") == "keras.initializers":
                return {"class_name": value["class_name"],
                        "seed": value["config"].get("seed")}
            if value.get("module") == "keras.layers":
                value = {k: v for k, v in value.items() if k != "build_config"}
                value["config"] = {k: v for k, v in value["config"].items() if k != "name"}
            return {k: strip(v) for k, v in value.items()}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value
    return strip(json.loads(json.dumps(config)))


def _path(path):
    parts = path.split("/")
    return len(parts), parts[-1]


@pytest.mark.parametrize("key", sorted(CASES))
def test_matches_keras(key):
    want = _fixture(key)
    weights = [want[f"w{i}"] for i in range(len(META[key]["weights"]))]
    layer, got = run(tf, L, key, weights)
    assert sorted(got) == sorted(want)
    for name, value in want.items():
        assert got[name].shape == value.shape, name
        np.testing.assert_allclose(got[name], value, rtol=2e-5, atol=2e-5, err_msg=name)
    # the paths' layer names hang on the session's counters: their depth and last part
    assert [[_path(w.path), list(w.shape), w.trainable] for w in layer.weights] == \
        [[_path(path), shape, trainable] for path, shape, trainable in META[key]["weights"]]
    config = _config(layer.get_config())
    assert config == {**_config(META[key]["config"]), "name": layer.name}
    again = type(layer).from_config(layer.get_config())
    assert _config(again.get_config()) == config
    from_keras = type(layer).from_config(META[key]["config"])
    assert _config(from_keras.get_config()) == {**config, "name": from_keras.name}


ERRORS_WANT = json.loads((HERE / "errors.json").read_text())
MODELS_WANT = json.loads((HERE / "models.json").read_text())
MODEL_ARRAYS = np.load(HERE / "models.npz")


@pytest.mark.parametrize("key", sorted(ERRORS))
def test_errors_match_keras(key):
    assert error_of(L, key) == ERRORS_WANT[key]


@pytest.fixture
def fresh_names():
    tf.keras.backend.clear_session()
    yield
    tf.keras.backend.clear_session()


def _predict(model, key):
    ys = model.predict(MODEL_ARRAYS[f"{key}/x"], verbose=0)
    return ys if isinstance(ys, list) else [ys]


def _assert_predictions(model, key):
    for i, y in enumerate(_predict(model, key)):
        np.testing.assert_allclose(y, MODEL_ARRAYS[f"{key}/y{i}"], rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("key", sorted(MODELS))
def test_models_summary_predict_and_keras_files(key, fresh_names, capsys, tmp_path):
    """Keras's summary() text; Keras's .keras file loads with Keras's predictions; tapeflow's
    own .keras file loads back to the same predictions."""
    make, _ = MODELS[key]
    model = make(tf.keras)
    capsys.readouterr()
    model.summary()
    assert capsys.readouterr().out == MODELS_WANT[key]["summary"]
    loaded = tf.keras.models.load_model(HERE / f"{key}.keras")
    _assert_predictions(loaded, key)
    model.set_weights(loaded.get_weights())
    _assert_predictions(model, key)
    model.save(tmp_path / "m.keras")
    _assert_predictions(tf.keras.models.load_model(tmp_path / "m.keras"), key)


def _shape_leaves(shape):
    if isinstance(shape, list | tuple) and shape and isinstance(shape[0], list | tuple):
        return [leaf for item in shape for leaf in _shape_leaves(item)]
    return [tuple(shape)]


@pytest.mark.parametrize("key", sorted(k for k, c in CASES.items() if c[2] != "reverse"))
def test_compute_output_shape_is_the_output_shape(key):
    make, specs, mode, kwargs = CASES[key]
    layer, got = run(tf, L, key)
    shapes = [tuple(s[1]) if s[0] == "int" else tuple(s) for s in specs]
    if mode == "list":
        computed = layer.compute_output_shape(shapes)
    elif mode == "init":
        computed = layer.compute_output_shape(shapes[0])
    else:
        computed = layer.compute_output_shape(*shapes)
    n = 1 if kwargs.get("return_attention_scores") else None  # the scores: not computed
    assert _shape_leaves(computed)[:n] == [got[f"y{i}"].shape for i in range(
        len(_shape_leaves(computed)[:n]))]


def test_transposed_and_depthwise_convolutions_refuse_causal_padding():
    for make in (lambda: L.Conv1DTranspose(2, 3, padding="causal"),
                 lambda: L.DepthwiseConv1D(3, padding="causal"),
                 lambda: L.SeparableConv1D(2, 3, padding="causal")):
        with pytest.raises(ValueError, match="The `padding` argument must be a list/tuple or "
                                             "one of"):
            make()
    assert L.Conv1D(2, 3, padding="causal").padding == "causal"


def test_alpha_dropout_training_keeps_or_saturates_every_value():
    x = np.linspace(-2, 2, 400, dtype="float32").reshape(20, 20)
    layer = L.AlphaDropout(0.25, seed=3)
    np.testing.assert_array_equal(layer(x), x)
    y = layer(x, training=True).numpy()
    alpha_p = -1.6732632423543772 * 1.0507009873554805
    a = ((1 - 0.25) * (1 + 0.25 * alpha_p ** 2)) ** -0.5
    b = -a * alpha_p * 0.25
    kept = np.isclose(y, a * x + b, atol=1e-6)
    dropped = np.isclose(y, a * alpha_p + b, atol=1e-6)
    assert np.all(kept | dropped) and 0.1 < dropped.mean() < 0.4


def test_activity_regularization_adds_its_loss_per_call():
    layer = L.ActivityRegularization(l1=0.1, l2=0.01)
    x = np.arange(6, dtype="float32").reshape(2, 3)
    np.testing.assert_array_equal(layer(x), x)
    assert len(layer.losses) == 1
    np.testing.assert_allclose(layer.losses[0], (0.1 * 15 + 0.01 * 55) / 2, rtol=1e-6)


def test_dropout_of_conv_lstm_and_attention_only_in_training():
    rs = np.random.RandomState(0)
    x = rs.standard_normal((2, 3, 5, 2)).astype("float32")
    lstm = L.ConvLSTM1D(2, 3, dropout=0.5, recurrent_dropout=0.5, seed=1)
    plain = L.ConvLSTM1D(2, 3)
    lstm(x)
    plain(x)
    plain.set_weights(lstm.get_weights())
    np.testing.assert_allclose(lstm(x), plain(x), rtol=1e-6)
    with tf.GradientTape() as tape:
        y = lstm(x, training=True)
    assert not np.allclose(y, plain(x))
    assert all(g is not None for g in tape.gradient(y, lstm.trainable_weights))
    q = rs.standard_normal((2, 4, 3)).astype("float32")
    for layer in (L.AdditiveAttention(dropout=0.5, seed=2), L.Attention(dropout=0.5, seed=2)):
        inference = layer([q, q])
        np.testing.assert_allclose(layer([q, q]), inference)
        assert not np.allclose(layer([q, q], training=True), inference)
    gqa = L.GroupQueryAttention(2, 2, 1, dropout=0.5, seed=2)
    inference = gqa(q, q)
    assert not np.allclose(gqa(q, q, training=True), inference)


def test_dot_helper_is_the_dot_layer():
    rs = np.random.RandomState(0)
    a, b = rs.standard_normal((2, 3, 4)).astype("float32"), \
        rs.standard_normal((2, 5, 4)).astype("float32")
    np.testing.assert_allclose(L.dot([a, b], axes=2), L.Dot(axes=2)([a, b]))
    np.testing.assert_allclose(L.dot([a, b], axes=(2, 2), normalize=True),
                               L.Dot(axes=2, normalize=True)([a, b]))
    assert L.dot([a, b], axes=2).shape == (2, 3, 5)


def test_aliases_are_keras_names():
    assert L.Convolution1DTranspose is L.Conv1DTranspose
    assert L.Convolution2DTranspose is L.Conv2DTranspose
    assert L.Convolution3DTranspose is L.Conv3DTranspose
    assert L.SeparableConvolution1D is L.SeparableConv1D
    assert L.SeparableConvolution2D is L.SeparableConv2D
    assert type(L.GroupQueryAttention(2, 2, 1)).__name__ == "GroupedQueryAttention"
    assert isinstance(L.TimeDistributed(L.Dense(2)), L.Wrapper)


def test_group_query_attention_weights_carry_its_regularizers_and_constraints():
    layer = L.GroupQueryAttention(2, 2, 1, kernel_regularizer="l2", bias_constraint="non_neg")
    q = np.ones((1, 3, 4), "float32")
    layer(q, q)
    kernels = [w for w in layer.weights if w.path.endswith("kernel")]
    biases = [w for w in layer.weights if w.path.endswith("bias")]
    assert len(kernels) == 4 and all(w.regularizer is not None for w in kernels)
    assert len(biases) == 4 and all(w.constraint is not None for w in biases)
    assert len(layer.losses) == 4


def test_predict_graph_of_transposed_convolutions_keeps_the_batch():
    """predict traces its step with an unknown batch: the transposed convolutions (SAME
    padding, whose padding taps have no target) keep every sample."""
    rs = np.random.RandomState(0)
    for make, shape in ((lambda: L.Conv1DTranspose(2, 4, strides=3, padding="same",
                                                   output_padding=1), (4, 3)),
                        (lambda: L.Conv3DTranspose(2, 2, strides=(1, 2, 2), padding="same",
                                                   data_format="channels_first"), (2, 3, 3, 2))):
        inp = tf.keras.Input(shape)
        model = tf.keras.Model(inp, make()(inp))
        x = rs.standard_normal((70, *shape)).astype("float32")
        np.testing.assert_allclose(model.predict(x, batch_size=32, verbose=0), model(x),
                                   rtol=1e-5, atol=1e-6)


def test_unsorted_segment_sum_in_a_graph_with_an_unknown_row_size_drops_negative_ids():
    fn = tf.function(lambda t: tf.math.unsorted_segment_sum(t, tf.constant([0, -1, 1]), 2))
    graph = fn.get_concrete_function(tf.TensorSpec((3, None), tf.float32))
    x = np.arange(15, dtype="float32").reshape(3, 5)
    np.testing.assert_array_equal(graph(tf.constant(x)), x[[0, 2]])


def test_models_of_the_new_layers_train(fresh_names):
    """fit runs the training forms (SpectralNormalization's power iteration, AlphaDropout,
    ConvLSTM's dropout) and lowers the loss of a fixed batch."""
    rs = np.random.RandomState(0)
    for key, (make, shape) in MODELS.items():
        model = make(tf.keras)
        x = rs.standard_normal((8, *shape[1:])).astype("float32")
        ys = model.predict(x, verbose=0)
        ys = [np.zeros_like(y) + 0.5 for y in (ys if isinstance(ys, list) else [ys])]
        model.compile(tf.keras.optimizers.SGD(0.05), ["mse"] * len(ys))
        first = model.evaluate(x, ys, verbose=0)
        model.fit(x, ys, epochs=3, batch_size=8, verbose=0)
        last = model.evaluate(x, ys, verbose=0)
        first, last = np.ravel(first)[0], np.ravel(last)[0]
        assert last < first, key
