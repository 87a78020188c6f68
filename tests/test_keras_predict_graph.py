"""``Model.predict`` over several batches runs ``predict_step`` as a traced graph (as Keras runs
its predict function): the same numbers as the eager step, one trace reused across calls, a
fresh one when the model changes, and the eager step where no graph can be made."""

import numpy as np
import pytest

import tapeflow as tf

keras = tf.keras


def _eager(model, x, batch_size=32):
    model.run_eagerly = True
    try:
        return model.predict(x, batch_size=batch_size, verbose=0)
    finally:
        model.run_eagerly = False


class _Counting(keras.layers.Layer):
    """Counts how often its Python ``call`` runs (once per trace in a graph)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.calls = 0

    def call(self, x):
        self.calls += 1
        return x * 2.0


def _mlp():
    tf.keras.utils.set_random_seed(0)
    return keras.Sequential([keras.Input((6,)), keras.layers.Dense(8, activation="relu"),
                             keras.layers.Dropout(0.5), keras.layers.BatchNormalization(),
                             keras.layers.Dense(3, activation="softmax")])


def test_graph_equals_eager_and_traces_as_tf_does():
    """Counts recorded with TF 2.21: predict traces the first batch's size, then once more with
    the batch size unknown when a shorter batch comes (reduce_retracing), and no more after."""
    model = _mlp()
    counter = _Counting()
    model.add(counter)  # which calls it once, on placeholders
    x = np.random.default_rng(0).standard_normal((100, 6)).astype(np.float32)
    got = model.predict(x, batch_size=32, verbose=0)  # 4 batches, the last of 4 rows
    assert counter.calls == 3  # traced for 32 rows, then for any number
    model.predict(x[:70], batch_size=32, verbose=0)
    model.predict(x[:64], batch_size=32, verbose=0)
    assert counter.calls == 3  # the same graphs, in later calls too
    want = _eager(model, x)
    assert counter.calls == 7  # eagerly: once per batch
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7)
    assert got.shape == (100, 3) and got.dtype == np.float32


def test_one_batch_runs_eagerly():
    model = _mlp()
    counter = _Counting()
    model.add(counter)
    model.predict(np.zeros((5, 6), np.float32), verbose=0)
    assert counter.calls == 2
    model.predict(np.zeros((5, 6), np.float32), verbose=0)
    assert counter.calls == 3


def test_new_weights_and_new_layers_are_seen():
    model = _mlp()
    x = np.ones((64, 6), np.float32)
    before = model.predict(x, verbose=0)
    model.set_weights([w * 0.5 for w in model.get_weights()])
    np.testing.assert_allclose(model.predict(x, verbose=0), _eager(model, x), rtol=1e-6)
    model.add(keras.layers.Dense(2))  # the graph of four layers is stale now
    after = model.predict(x, verbose=0)
    assert after.shape == (64, 2) and before.shape == (64, 3)
    np.testing.assert_allclose(after, _eager(model, x), rtol=1e-6)


def test_functional_dict_inputs_and_several_outputs():
    a, b = keras.Input((4,), name="a"), keras.Input((3,), name="b")
    h = keras.layers.Concatenate()([a, b])
    out1 = keras.layers.Dense(2, name="one")(h)
    out2 = keras.layers.Dense(1, activation="sigmoid", name="two")(h)
    model = keras.Model({"a": a, "b": b}, [out1, out2])
    rng = np.random.default_rng(1)
    x = {"a": rng.standard_normal((50, 4)).astype(np.float32),
         "b": rng.standard_normal((50, 3)).astype(np.float32)}
    got = model.predict(x, batch_size=16, verbose=0)
    want = _eager(model, x, 16)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-6)


def test_lstm_with_masking_and_stateful_rnn():
    tf.keras.utils.set_random_seed(2)
    model = keras.Sequential([keras.Input((5,), dtype="int64"),
                              keras.layers.Embedding(20, 4, mask_zero=True),
                              keras.layers.LSTM(6), keras.layers.Dense(1)])
    x = np.random.default_rng(3).integers(0, 20, (40, 5))
    x[:, 3:] = 0
    np.testing.assert_allclose(model.predict(x, batch_size=8, verbose=0), _eager(model, x, 8),
                               rtol=1e-5, atol=1e-6)

    def stateful():
        tf.keras.utils.set_random_seed(4)
        return keras.Sequential([keras.Input((3, 2), batch_size=4),
                                 keras.layers.SimpleRNN(3, stateful=True)])
    s = np.random.default_rng(5).standard_normal((12, 3, 2)).astype(np.float32)
    graph_model, eager_model = stateful(), stateful()
    got = graph_model.predict(s, batch_size=4, verbose=0)  # the state carries across batches
    np.testing.assert_allclose(got, _eager(eager_model, s, 4), rtol=1e-5, atol=1e-6)


def test_custom_predict_step_is_traced():
    class Doubling(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(2)

        def call(self, x):
            return self.dense(x)

        def predict_step(self, data):
            x = data[0] if isinstance(data, tuple) else data
            return {"twice": self(x) * 2.0}

    model = Doubling()
    x = np.ones((40, 3), np.float32)
    got = model.predict(x, batch_size=16, verbose=0)
    np.testing.assert_allclose(got["twice"], 2.0 * model(x).numpy(), rtol=1e-6)


class _NeedsNumpy(keras.layers.Layer):
    def call(self, x):
        return x + float(np.asarray(x).sum())  # a Python value of the batch: no graph form


def test_untraceable_layer_runs_eagerly():
    model = keras.Sequential([keras.Input((2,)), _NeedsNumpy()])
    x = np.arange(20, dtype=np.float32).reshape(10, 2)
    got = model.predict(x, batch_size=4, verbose=0)
    want = np.concatenate([b + b.sum() for b in np.split(x, [4, 8])])
    np.testing.assert_allclose(got, want)


def test_run_functions_eagerly():
    model = _mlp()
    counter = _Counting()
    model.add(counter)
    tf.config.run_functions_eagerly(True)
    try:
        model.predict(np.zeros((64, 6), np.float32), verbose=0)
    finally:
        tf.config.run_functions_eagerly(False)
    assert counter.calls == 3


def test_errors_are_the_eager_ones():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="expected axis -1 of input shape to have value 3"):
        model.predict(np.zeros((64, 4), np.float32), verbose=0)


L = keras.layers
LAYER_STACKS = {  # input shape, layers, input kind
    "dense": ((6,), lambda: [L.Dense(4, activation="relu"), L.Dense(2)], "float"),
    "conv2d": ((8, 8, 3), lambda: [L.Conv2D(4, 3, padding="same"), L.MaxPooling2D(),
                                   L.Flatten(), L.Dense(2)], "float"),
    "conv1d": ((10, 3), lambda: [L.Conv1D(4, 3), L.GlobalAveragePooling1D()], "float"),
    "conv3d": ((4, 4, 4, 2), lambda: [L.Conv3D(2, 2), L.GlobalMaxPooling3D()], "float"),
    "conv_transpose": ((5, 5, 2), lambda: [L.Conv2DTranspose(3, 3, strides=2, padding="same")],
                       "float"),
    "depthwise_separable": ((6, 6, 3), lambda: [L.DepthwiseConv2D(3), L.SeparableConv2D(4, 2)],
                            "float"),
    "normalizations": ((5,), lambda: [L.BatchNormalization(), L.LayerNormalization(),
                                      L.UnitNormalization()], "float"),
    "group_norm": ((4, 4, 4), lambda: [L.GroupNormalization(2)], "float"),
    "recurrent": ((7, 3), lambda: [L.LSTM(5, return_sequences=True), L.GRU(3)], "float"),
    "bidirectional": ((7, 3), lambda: [L.Bidirectional(L.SimpleRNN(4))], "float"),
    "masked_lstm": ((6,), lambda: [L.Embedding(10, 4, mask_zero=True), L.LSTM(3)], "int"),
    "time_distributed": ((4, 6), lambda: [L.TimeDistributed(L.Dense(3))], "float"),
    "reshaping": ((6, 4), lambda: [L.Reshape((4, 6)), L.Permute((2, 1)), L.Flatten(),
                                   L.RepeatVector(2)], "float"),
    "padding_cropping": ((6, 6, 2), lambda: [L.ZeroPadding2D(1), L.Cropping2D(2),
                                             L.UpSampling2D(2)], "float"),
    "activations": ((6,), lambda: [L.ReLU(), L.LeakyReLU(), L.PReLU(), L.ELU(), L.Softmax()],
                    "float"),
    "preprocessing": ((6,), lambda: [L.Rescaling(0.5, 1.0), L.Normalization(mean=1.0,
                                                                            variance=2.0)],
                      "float"),
    "einsum_dense": ((6,), lambda: [L.EinsumDense("ab,bc->ac", output_shape=3, bias_axes="c")],
                     "float"),
    "conv_lstm": ((3, 5, 5, 2), lambda: [L.ConvLSTM2D(2, 3)], "float"),
    "masking": ((5, 3), lambda: [L.Masking(0.0), L.LSTM(2)], "float"),
    "resizing": ((8, 8, 3), lambda: [L.Resizing(4, 4), L.CenterCrop(3, 3)], "float"),
    "augmentation_at_inference": ((8, 8, 3), lambda: [L.RandomFlip(), L.RandomRotation(0.1),
                                                      L.RandomZoom(0.1)], "float"),
    "category_encoding": ((3,), lambda: [L.CategoryEncoding(5, output_mode="multi_hot")], "int"),
}


@pytest.mark.parametrize("name", sorted(LAYER_STACKS))
def test_layers_predict_through_the_graph(name, monkeypatch):
    from tapeflow.keras.models import compiled_step
    shape, layers, kind = LAYER_STACKS[name]
    tf.keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.Input(shape, dtype="int32" if kind == "int" else "float32"),
                              *layers()])
    rng = np.random.default_rng(0)
    if kind == "int":
        x = rng.integers(0, 5, (70,) + shape).astype("int32")
    else:
        x = rng.normal(size=(70,) + shape).astype("float32")
    traced = []
    real = compiled_step.GraphStep._trace
    monkeypatch.setattr(compiled_step.GraphStep, "_trace",
                        lambda self, *a, **k: traced.append(real(self, *a, **k)) or traced[-1])
    got = model.predict(x, batch_size=32, verbose=0)
    # a graph for 32 rows, then one for any number ran the last 6
    assert len(traced) == 2 and not {compiled_step._UNTRACEABLE,
                                     compiled_step._PER_BATCH_SIZE} & set(traced)
    np.testing.assert_allclose(got, model(x, training=False).numpy(), rtol=1e-4, atol=1e-5)
