"""Keras layers: forward values against Keras 3 with the same weights (fixtures recorded by
tools/record_keras_fixtures.py), the Layer base's tracking, training flag, losses, config and
Keras's error messages."""

import pathlib

import numpy as np
import pytest

import tapeflow as tf

L = tf.keras.layers
FIX = np.load(pathlib.Path(__file__).parent / "fixtures" / "keras" / "layers.npz")

CASES = {
    "dense": lambda: L.Dense(3, activation="relu"),
    "dense3d": lambda: L.Dense(3),
    "conv2d_valid": lambda: L.Conv2D(4, 3),
    "conv2d_same_s2": lambda: L.Conv2D(4, (3, 2), strides=2, padding="same"),
    "maxpool": lambda: L.MaxPooling2D(),
    "maxpool_same": lambda: L.MaxPooling2D(3, strides=2, padding="same"),
    "avgpool": lambda: L.AveragePooling2D(2),
    "gap": lambda: L.GlobalAveragePooling2D(),
    "gmp": lambda: L.GlobalMaxPooling2D(),
    "conv1d": lambda: L.Conv1D(3, 2),
    "conv2dT": lambda: L.Conv2DTranspose(2, 3, strides=2),
    "depthwise": lambda: L.DepthwiseConv2D(3, depth_multiplier=2),
    "separable": lambda: L.SeparableConv2D(4, 3),
    "einsum": lambda: L.EinsumDense("ab,bc->ac", output_shape=4, bias_axes="c"),
    "gn": lambda: L.GroupNormalization(2),
    "un": lambda: L.UnitNormalization(),
    "prelu": lambda: L.PReLU(),
    "dot": lambda: L.Dot(axes=1),
    "upsample": lambda: L.UpSampling2D(),
    "zeropad": lambda: L.ZeroPadding2D(1),
    "crop": lambda: L.Cropping2D(1),
    "permute": lambda: L.Permute((2, 1)),
    "repeat": lambda: L.RepeatVector(3),
    "bn_infer": lambda: L.BatchNormalization(),
    "bn_train": lambda: L.BatchNormalization(),
    "ln": lambda: L.LayerNormalization(),
    "emb": lambda: L.Embedding(10, 3),
    "flatten": lambda: L.Flatten(),
    "reshape": lambda: L.Reshape((4, 3)),
    "add": lambda: L.Add(),
    "subtract": lambda: L.Subtract(),
    "multiply": lambda: L.Multiply(),
    "average": lambda: L.Average(),
    "maximum": lambda: L.Maximum(),
    "minimum": lambda: L.Minimum(),
    "concat": lambda: L.Concatenate(axis=1),
    "rescaling": lambda: L.Rescaling(1 / 255.0, offset=-1),
    "simple_rnn": lambda: L.SimpleRNN(3),
    "lstm_seq": lambda: L.LSTM(3, return_sequences=True),
    "gru_state": lambda: L.GRU(3, return_state=True),
    "gru_noreset": lambda: L.GRU(3, reset_after=False),
    "bilstm": lambda: L.Bidirectional(L.LSTM(2, return_sequences=True)),
    "timedist": lambda: L.TimeDistributed(L.Dense(3)),
    "attention": lambda: L.Attention(),
}


@pytest.mark.parametrize("key", sorted(CASES))
def test_forward_matches_keras(key):
    layer = CASES[key]()
    xs = [FIX[f"{key}/x{i}"] for i in range(3) if f"{key}/x{i}" in FIX]
    x = xs if len(xs) > 1 else xs[0]
    kw = {"training": True} if key == "bn_train" else {}
    layer(x, **kw)
    weights = [FIX[f"{key}/w{i}"] for i in range(len(layer.weights))]
    layer.set_weights(weights)
    y = layer(x, **kw)
    np.testing.assert_allclose(np.asarray(y), FIX[f"{key}/y"], rtol=1e-5, atol=1e-5)
    assert np.asarray(y).shape == FIX[f"{key}/y"].shape


def test_multi_head_attention_and_masked_lstm_match_keras():
    mha = L.MultiHeadAttention(num_heads=2, key_dim=3)
    q, v = FIX["mha/x0"], FIX["mha/x1"]
    mha(q, v)
    assert [w.path for w in mha.weights][::2] == [
        "multi_head_attention/query/kernel", "multi_head_attention/key/kernel",
        "multi_head_attention/value/kernel", "multi_head_attention/attention_output/kernel"]
    mha.set_weights([FIX[f"mha/w{i}"] for i in range(8)])
    np.testing.assert_allclose(np.asarray(mha(q, v)), FIX["mha/y"], rtol=1e-5, atol=1e-5)
    model = tf.keras.Sequential([L.Embedding(10, 4, mask_zero=True), L.LSTM(3)])
    ids = FIX["masked_lstm/x0"]
    model(ids)
    model.set_weights([FIX[f"masked_lstm/w{i}"] for i in range(4)])
    np.testing.assert_allclose(np.asarray(model(ids)), FIX["masked_lstm/y"], rtol=1e-5,
                               atol=1e-5)


def test_normalization_adapt_matches_keras():
    norm = L.Normalization()
    norm.adapt(FIX["normalization/data"])
    np.testing.assert_allclose(np.asarray(norm(FIX["normalization/x"])), FIX["normalization/y"],
                               rtol=1e-5, atol=1e-5)


class Block(L.Layer):
    def __init__(self):
        super().__init__()
        self.inner = [L.Dense(2), {"b": L.Dense(3)}]
        self.bn = L.BatchNormalization()
        self.drop = L.Dropout(0.5)

    def build(self, input_shape):
        self.scale = self.add_weight(shape=(), initializer="ones", name="scale",
                                     regularizer=tf.keras.regularizers.L2(0.5))

    def call(self, x, training=None):
        self.add_loss(tf.reduce_sum(x) * 0.0 + 1.0)
        h = self.inner[1]["b"](self.inner[0](x))
        return self.drop(self.bn(h, training=training), training=training) * self.scale


def test_nested_tracking_training_flag_and_losses():
    tf.keras.backend.clear_session()
    block = Block()
    x = np.ones((4, 5), np.float32)
    y_infer = block(x)
    assert [v.path for v in block.weights] == [
        "block/scale", "block/dense/kernel", "block/dense/bias", "block/dense_1/kernel",
        "block/dense_1/bias", "block/batch_normalization/gamma",
        "block/batch_normalization/beta", "block/batch_normalization/moving_mean",
        "block/batch_normalization/moving_variance"]
    assert len(block.trainable_weights) == 7 and len(block.non_trainable_weights) == 2
    assert [type(v).__name__ for v in block.losses] == ["EagerTensor", "EagerTensor"]
    assert float(block.losses[1]) == 0.5  # 0.5 * scale**2
    assert np.asarray(block.bn.moving_mean).sum() == 0  # inference leaves the statistics
    y_train = block(x, training=True)
    assert np.asarray(block.bn.moving_mean).sum() != 0
    assert (np.asarray(y_train) == 0).any() and not (np.asarray(y_infer) == 0).all()
    assert len(block.losses) == 2  # each outer call starts a fresh list
    block.trainable = False
    assert block.trainable_weights == [] and len(block.non_trainable_weights) == 9


def test_freezing_a_built_layer_freezes_its_weights_in_the_model():
    """Keras 3 (checked against TF 2.21): the setter turns off the weights the layer made
    trainable, so the enclosing model leaves them out; weights keep their order."""
    model = tf.keras.Sequential([tf.keras.Input((4,)), L.Dense(3), L.BatchNormalization(),
                                 L.Dense(2)])
    order = [w.path for w in model.weights]
    assert (len(model.trainable_variables), len(model.non_trainable_variables)) == (6, 2)
    model.layers[0].trainable = False
    assert (len(model.trainable_variables), len(model.non_trainable_variables)) == (4, 4)
    assert [w.path for w in model.weights] == order
    kernel = model.layers[0].kernel.numpy()
    model.compile("adam", "mse")
    model.fit(np.ones((8, 4), np.float32), np.ones((8, 2), np.float32), verbose=0)
    assert (model.layers[0].kernel.numpy() == kernel).all()
    model.trainable = True  # the moving statistics stay non-trainable
    assert (len(model.trainable_variables), len(model.non_trainable_variables)) == (6, 2)
    frozen = L.Dense(2, trainable=False)  # frozen before it is built
    outer = tf.keras.Sequential([tf.keras.Input((3,)), frozen, L.Dense(1)])
    assert [w.path for w in outer.trainable_variables] == [w.path for w in outer.layers[1].weights]


def test_deepcopy_of_variables_and_of_a_trained_model():
    import copy
    v = tf.Variable([1.0, 2.0], name="x")
    w = copy.deepcopy(v)
    w.assign([3.0, 4.0])
    assert v.numpy().tolist() == [1.0, 2.0] and w.name == "x:0" and w.trainable
    model = tf.keras.Sequential([tf.keras.Input((4,)), L.Dense(3), L.Dense(2)])
    model.compile("adam", "mse")
    x, y = np.ones((8, 4), np.float32), np.ones((8, 2), np.float32)
    model.fit(x, y, verbose=0)
    twin = copy.deepcopy(model)
    probe = np.arange(8, dtype=np.float32).reshape(2, 4)
    np.testing.assert_array_equal(model(probe), twin(probe))
    twin.fit(x, y, verbose=0)  # trains its own variables, with its own optimizer state
    assert twin.optimizer is not model.optimizer
    assert (int(twin.optimizer.iterations), int(model.optimizer.iterations)) == (2, 1)
    assert not np.allclose(model(probe), twin(probe))


def test_keras_errors():
    d = L.Dense(3)
    d(np.zeros((1, 2), np.float32))
    with pytest.raises(ValueError, match=r"Input 0 with name 'None' of layer 'dense[_0-9]*' is "
                       r"incompatible with the layer: expected axis -1 of input shape to have "
                       r"value 2, but received input with shape \(1, 5\)"):
        d(np.zeros((1, 5), np.float32))
    with pytest.raises(ValueError, match=r"expected min_ndim=4, found ndim=3. Full shape "
                       r"received: \(1, 5, 5\)"):
        L.Conv2D(2, 3)(np.zeros((1, 5, 5), np.float32))
    with pytest.raises(ValueError, match="Only input tensors may be passed as positional "
                       "arguments. The following argument value should be passed as a keyword "
                       "argument: 2.0 \\(of type <class 'float'>\\)"):
        d([[2.0, 2.0]])

    class Bad(L.Layer):
        def call(self, inputs):
            return tf.matmul(inputs, tf.ones((3, 3)))
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        Bad()(tf.ones((1, 4)))
    assert str(e.value).startswith("Exception encountered when calling Bad.call().\n\n\x1b[1m")
    assert str(e.value).endswith("\x1b[0m\n\nArguments received by Bad.call():\n"
                                 "  • inputs=tf.Tensor(shape=(1, 4), dtype=float32)")


def test_plain_tf_variables_are_not_tracked_as_in_keras3():
    class MyDense(L.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.w = tf.Variable(tf.ones([3, 3]), name="w")

        def call(self, x):
            return tf.matmul(x, self.w)
    layer = MyDense(name="simple")
    assert layer.name == "simple" and layer.trainable_variables == []
    assert repr(layer) == "<MyDense name=simple, built=False>"


def test_get_config_from_config_and_initializers():
    d = L.Dense(4, activation="relu", kernel_initializer="he_normal", name="d")
    config = d.get_config()
    assert config["units"] == 4 and config["activation"] == "relu"
    assert config["kernel_initializer"]["class_name"] == "HeNormal"
    clone = L.Dense.from_config(config)
    assert clone.units == 4 and clone.activation is tf.keras.activations.relu
    tf.keras.utils.set_random_seed(1)
    a = tf.keras.initializers.GlorotUniform()((200, 100))
    limit = np.sqrt(6 / 300)
    assert np.abs(np.asarray(a)).max() <= limit and np.abs(np.asarray(a)).max() > 0.9 * limit
    assert np.asarray(tf.keras.initializers.Constant(3.0)((2,))).tolist() == [3.0, 3.0]
    with pytest.raises(ValueError, match="Could not interpret initializer identifier: nope"):
        tf.keras.initializers.get("nope")


def test_dropout_and_noise_respect_training():
    x = np.ones((200, 10), np.float32)
    assert np.asarray(L.Dropout(0.5)(x)).sum() == 2000
    out = np.asarray(L.Dropout(0.5)(x, training=True))
    assert set(np.unique(out)) <= {0.0, 2.0} and 0.3 < (out == 0).mean() < 0.7
    sp = np.asarray(L.SpatialDropout1D(0.5)(np.ones((4, 6, 8), np.float32), training=True))
    assert (sp == sp[:, :1, :]).all()  # whole channels dropped
    assert np.asarray(L.GaussianNoise(1.0)(x)).sum() == 2000
    assert np.asarray(L.GaussianNoise(1.0)(x, training=True)).std() > 0.5


def test_lambda_masking_category_encoding_activation_layers():
    assert np.asarray(L.Lambda(lambda v: v * 2)(np.ones((1, 2), np.float32))).tolist() == [
        [2.0, 2.0]]
    masked = L.Masking(0.0)(np.array([[[1.0], [0.0]]], np.float32))
    assert np.asarray(masked).tolist() == [[[1.0], [0.0]]]
    enc = L.CategoryEncoding(num_tokens=4, output_mode="multi_hot")(np.array([[0, 1], [3, 3]]))
    assert np.asarray(enc).tolist() == [[1, 1, 0, 0], [0, 0, 0, 1]]
    v = np.array([[-2.0, 0.5, 3.0]], np.float32)
    assert np.asarray(L.ReLU(max_value=1.0)(v)).tolist() == [[0.0, 0.5, 1.0]]
    np.testing.assert_allclose(np.asarray(L.LeakyReLU(0.1)(v)), [[-0.2, 0.5, 3.0]], rtol=1e-6)
    np.testing.assert_allclose(np.asarray(L.ELU()(v))[0, 0], np.expm1(-2.0), rtol=1e-6)
    np.testing.assert_allclose(np.asarray(L.Softmax()(v)).sum(), 1.0, rtol=1e-6)


def test_gradients_flow_through_layers():
    model = [L.Conv2D(2, 3, padding="same"), L.MaxPooling2D(), L.Flatten(), L.Dense(3)]
    x = tf.random.normal((2, 6, 6, 1))
    with tf.GradientTape() as tape:
        h = x
        for layer in model:
            h = layer(h)
        loss = tf.reduce_sum(h ** 2)
    vars_ = [v for layer in model for v in layer.trainable_variables]
    grads = tape.gradient(loss, vars_)
    assert [tuple(g.shape) for g in grads] == [(3, 3, 1, 2), (2,), (18, 3), (3,)]


@pytest.mark.parametrize("make", [
    lambda: L.Conv2D(4, 3, strides=2, padding="same", activation="relu",
                     kernel_regularizer=tf.keras.regularizers.L2(0.1)),
    lambda: L.LSTM(3, return_sequences=True),
    lambda: L.Bidirectional(L.GRU(2)),
    lambda: L.MultiHeadAttention(num_heads=2, key_dim=3),
    lambda: L.Dropout(0.3, seed=1),
    lambda: L.BatchNormalization(momentum=0.9),
])
def test_configs_round_trip(make):
    layer = make()
    config = layer.get_config()
    clone = type(layer).from_config(config)
    assert type(clone) is type(layer) and clone.get_config() == config
    assert L.deserialize(L.serialize(layer)).get_config() == config
