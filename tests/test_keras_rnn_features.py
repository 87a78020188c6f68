"""Recurrent layers: ``stateful`` (states kept across calls, ``reset_state``, the batch size fixed
by the first input, Keras's errors), ``dropout`` / ``recurrent_dropout`` (in training only, one
mask per sequence), ``go_backwards``, ``unroll``, ``initial_state``, ``return_state``, and the
same for Bidirectional; forward values against Keras 3 with the same weights
(tests/fixtures/keras_features, recorded by tools/record_keras_feature_fixtures.py)."""

import json
import pathlib

import numpy as np
import pytest

import tapeflow as tf
from keras_feature_cases import CONFIG_CASES, RNN_CASES, assert_matches

keras = tf.keras
L = keras.layers
HERE = pathlib.Path(__file__).parent / "fixtures" / "keras_features"
FIX = np.load(HERE / "layers.npz")
CONFIGS = json.loads((HERE / "configs.json").read_text())


@pytest.mark.parametrize("key", sorted(RNN_CASES))
def test_forward_matches_keras(key):
    assert_matches(L, RNN_CASES[key], FIX, key, np)


def _same_config(config, want):
    """Equal keys in the same order and equal values, but for names and the initializers
    (whose configs list arguments tapeflow's initializers do not take)."""
    assert list(config) == list(want)
    for name in set(want) - {"name", "kernel_initializer", "recurrent_initializer"}:
        if name in ("layer", "backward_layer", "cell"):
            _same_config(config[name]["config"], want[name]["config"])
        elif name == "cells":
            for mine, theirs in zip(config[name], want[name]):
                _same_config(mine["config"], theirs["config"])
        else:
            assert config[name] == want[name], name


@pytest.mark.parametrize("key", ["lstm", "gru", "simple_rnn", "lstm_cell", "gru_cell",
                                 "simple_rnn_cell", "bidirectional", "stacked"])
def test_configs_match_keras_and_round_trip(key):
    layer = CONFIG_CASES[key](L)
    config = json.loads(json.dumps(layer.get_config()))
    _same_config(config, CONFIGS[key])
    again = type(layer).from_config(layer.get_config())
    assert json.loads(json.dumps(again.get_config())) == config


def _seq(*shape, seed=0):
    return np.random.RandomState(seed).standard_normal(shape).astype("float32")


def test_stateful_keeps_states_until_reset():
    layer = L.LSTM(3, stateful=True, return_state=True, name="lstm")
    x = _seq(2, 4, 5)
    _, h1, c1 = layer(x)
    assert [v.path for v in layer.states] == ["lstm/rnn_state", "lstm/rnn_state"]
    assert not layer.states[0].trainable
    assert len(layer.weights) == 3  # the states are not weights, as in Keras
    np.testing.assert_allclose(layer.states[0].numpy(), h1.numpy())
    _, h2, _ = layer(x)
    assert not np.allclose(h2.numpy(), h1.numpy())
    layer.reset_states()
    assert np.all(layer.states[0].numpy() == 0) and np.all(layer.states[1].numpy() == 0)
    _, h3, _ = layer(x)
    np.testing.assert_allclose(h3.numpy(), h1.numpy(), rtol=1e-6)
    layer.reset_state()
    _, h4, _ = layer(x, initial_state=[h1, c1])  # the second call started from these
    np.testing.assert_allclose(h4.numpy(), h2.numpy(), rtol=1e-6)


def test_stateful_errors_as_keras():
    with pytest.raises(ValueError, match=r"When using `stateful=True` in a RNN, the batch size "
                                         r"must be static. Found dynamic batch size: "
                                         r"sequence.shape=\(None, 4, 5\)"):
        keras.Sequential([keras.Input((4, 5)), L.SimpleRNN(2, stateful=True)])
    layer = L.GRU(2, stateful=True)
    layer(_seq(2, 4, 5))
    with pytest.raises(ValueError, match="If an RNN is stateful, the batch size of the input "
                                         "sequences must be the same as the batch size of the "
                                         "initial state. \n- Expected batch size: 2\n"
                                         "- Received batch size: 3"):
        layer(_seq(3, 4, 5))
    with pytest.raises(ValueError, match="Cannot unroll a RNN if the time dimension is "
                                         "undefined. \n- If using a Sequential model"):
        keras.Sequential([keras.Input((None, 5)), L.LSTM(2, unroll=True)])
    with pytest.raises(ValueError, match='Invalid merge mode. Received: max. Merge mode should '
                                         'be one of {"sum", "mul", "ave", "concat", None}'):
        L.Bidirectional(L.LSTM(2), merge_mode="max")
    with pytest.raises(AttributeError, match="Layer must be stateful."):
        L.Bidirectional(L.LSTM(2)).reset_state()


def test_stateful_sequential_model_with_batch_shape():
    model = keras.Sequential([keras.Input(batch_shape=(2, 3, 4)),
                              L.LSTM(3, stateful=True, return_sequences=True),
                              L.GRU(2, stateful=True)])
    lstm = model.layers[0]
    assert np.all(lstm.states[0].numpy() == 0)  # building symbolically leaves them at zero
    x = _seq(2, 3, 4)
    first = model(x).numpy()
    second = model(x).numpy()
    assert not np.allclose(first, second)
    for layer in model.layers:
        layer.reset_states()
    np.testing.assert_allclose(model(x).numpy(), first, rtol=1e-6)
    model.compile("sgd", "mse")
    model.fit(np.concatenate([x, x]), np.zeros((4, 2), "float32"), batch_size=2, epochs=1,
              shuffle=False, verbose=0)
    assert model.predict(x, batch_size=2, verbose=0).shape == (2, 2)


def test_dropout_only_in_training_and_masks_fixed_per_sequence():
    tf.keras.utils.set_random_seed(1)
    n, steps, units = 400, 5, 8
    # output_t = x_t * input_mask (identity kernel, no recurrence): the same mask every step
    layer = L.SimpleRNN(units, activation=None, use_bias=False, dropout=0.5,
                        return_sequences=True, kernel_initializer="identity",
                        recurrent_initializer="zeros")
    x = np.ones((n, steps, units), "float32")
    np.testing.assert_array_equal(layer(x).numpy(), x)  # inference: no dropout
    y = layer(x, training=True).numpy()
    assert set(np.unique(y)) == {0.0, 2.0}
    assert np.all(y == y[:, :1])  # one mask per sequence
    assert 0.45 < (y == 0).mean() < 0.55
    assert not np.array_equal(y, layer(x, training=True).numpy())  # a new mask per call
    # h_t = h_{t-1} * recurrent_mask: the surviving units double at every step
    rec = L.SimpleRNN(units, activation=None, use_bias=False, recurrent_dropout=0.25,
                      return_sequences=True, kernel_initializer="zeros",
                      recurrent_initializer="identity")
    h0 = np.ones((n, units), "float32")
    y = rec(np.zeros((n, steps, units), "float32"), initial_state=[h0], training=True).numpy()
    kept = y[:, 0] != 0
    assert 0.7 < kept.mean() < 0.8
    for t in range(steps):
        np.testing.assert_allclose(y[:, t], np.where(kept, (4 / 3) ** (t + 1), 0), rtol=1e-5)


def test_lstm_gru_recurrent_dropout_draws_one_mask_per_gate():
    tf.keras.utils.set_random_seed(2)
    for cls, gates in ((L.LSTM, 4), (L.GRU, 3)):
        layer = cls(4, dropout=0.3, recurrent_dropout=0.3, return_sequences=True)
        x = _seq(3, 5, 2)
        ref = layer(x).numpy()
        assert np.all(np.isfinite(layer(x, training=True).numpy()))
        assert not np.allclose(layer(x, training=True).numpy(), ref)
        masks = layer.cell._draw_mask(tf.ones((3, 4)), 0.3)
        assert len(masks) == gates
        layer.cell.reset_dropout_mask()
        no_rec = cls(4, dropout=0.3)
        assert not isinstance(no_rec.cell._draw_mask(tf.ones((3, 4)), 0.3), list)
        # rate 0 in training is the plain layer
        plain = cls(4, dropout=0.0, recurrent_dropout=0.0, return_sequences=True)
        plain(x)
        plain.set_weights(layer.get_weights())
        np.testing.assert_allclose(plain(x, training=True).numpy(), ref, rtol=1e-6)


def test_gradients_through_dropout_and_initial_state():
    tf.keras.utils.set_random_seed(3)
    layer = L.LSTM(3, dropout=0.2, recurrent_dropout=0.2)
    x = tf.constant(_seq(2, 4, 5))
    h0, c0 = tf.constant(_seq(2, 3, seed=1)), tf.constant(_seq(2, 3, seed=2))
    layer(x)
    with tf.GradientTape() as tape:
        tape.watch([x, h0, c0])
        loss = tf.reduce_sum(layer(x, initial_state=[h0, c0], training=True) ** 2)
    grads = tape.gradient(loss, [x, h0, c0] + layer.trainable_weights)
    assert all(g is not None and np.all(np.isfinite(g.numpy())) for g in grads)
    # without dropout, a finite difference on the initial state agrees with the tape
    layer = L.GRU(2, go_backwards=True, dtype="float64")
    x = tf.constant(_seq(2, 3, 4).astype("float64"))
    h = _seq(2, 2, seed=4).astype("float64")
    with tf.GradientTape() as tape:
        hv = tf.constant(h)
        tape.watch(hv)
        loss = tf.reduce_sum(layer(x, initial_state=[hv]))
    g = tape.gradient(loss, hv).numpy()
    eps = 1e-6
    bumped = h.copy()
    bumped[1, 0] += eps
    up = float(tf.reduce_sum(layer(x, initial_state=[bumped])))
    bumped[1, 0] -= 2 * eps
    down = float(tf.reduce_sum(layer(x, initial_state=[bumped])))
    assert g[1, 0] == pytest.approx((up - down) / (2 * eps), rel=1e-5)


def test_outputs_are_tuples_as_keras():
    x = _seq(2, 3, 4)
    out = L.LSTM(2, return_state=True)(x)
    assert isinstance(out, tuple) and len(out) == 3
    out = L.Bidirectional(L.GRU(2, return_state=True), merge_mode=None)(x)
    assert isinstance(out, tuple) and [t.shape for t in out] == [(2, 2)] * 4


def test_functional_initial_state_and_return_state():
    inputs = keras.Input((4, 5))
    seq, h, c = L.LSTM(3, return_sequences=True, return_state=True)(inputs)
    out = L.GRU(3, go_backwards=True)(seq, initial_state=[h])
    model = keras.Model(inputs, [out, c])
    y, c_out = model(_seq(2, 4, 5))
    assert y.shape == (2, 3) and c_out.shape == (2, 3)


def test_keras_file_round_trip_keeps_the_rnn_features(tmp_path):
    pytest.importorskip("h5py")
    model = keras.Sequential([
        keras.Input(batch_shape=(2, 3, 4)),
        L.LSTM(3, stateful=True, dropout=0.2, recurrent_dropout=0.1, return_sequences=True),
        L.Bidirectional(L.GRU(2, reset_after=False, go_backwards=True), merge_mode="sum"),
        L.Dense(1)])
    x = _seq(2, 3, 4)
    y = model(x).numpy()
    model.layers[0].reset_state()
    model.save(tmp_path / "m.keras")
    again = keras.models.load_model(tmp_path / "m.keras")
    lstm, bi = again.layers[0], again.layers[1]
    assert (lstm.stateful, lstm.dropout, lstm.recurrent_dropout) == (True, 0.2, 0.1)
    assert bi.merge_mode == "sum" and not bi.backward_layer.go_backwards
    assert bi.forward_layer.name == model.layers[1].forward_layer.name
    np.testing.assert_allclose(again(x).numpy(), y, rtol=1e-6)


class MinimalRNNCell(L.Layer):
    """A user's cell as Keras's RNN guide writes one: an int ``state_size``, no
    ``get_initial_state``, a ``call(inputs, states)`` without ``training``."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = self.state_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight((input_shape[-1], self.units), "uniform", name="kernel")
        self.recurrent_kernel = self.add_weight((self.units, self.units), "uniform",
                                                name="recurrent_kernel")

    def call(self, inputs, states):
        output = tf.matmul(inputs, self.kernel) + tf.matmul(states[0], self.recurrent_kernel)
        return output, [output]


def test_user_cell_in_a_stateful_rnn():
    layer = L.RNN(MinimalRNNCell(3), stateful=True, return_sequences=True)
    x = _seq(2, 4, 5)
    y = layer(x).numpy()
    k, r = layer.cell.kernel.numpy(), layer.cell.recurrent_kernel.numpy()
    h = np.zeros((2, 3), "float32")
    for t in range(4):
        h = x[:, t] @ k + h @ r
        np.testing.assert_allclose(y[:, t], h, rtol=1e-5)
    np.testing.assert_allclose(layer.states[0].numpy(), h, rtol=1e-5)


@pytest.mark.parametrize("make", [lambda: L.SimpleRNNCell(3), lambda: L.LSTMCell(3),
                                  lambda: L.GRUCell(3), lambda: L.GRUCell(3, reset_after=False)])
def test_a_cell_called_alone_is_one_step_of_its_rnn(make):
    cell = make()
    layer = L.RNN(cell, return_state=True)
    x = _seq(2, 1, 4)
    out, *states = layer(x)
    zeros = [tf.zeros((2, n)) for n in np.atleast_1d(cell.state_size)]
    step_out, step_states = cell(tf.constant(x[:, 0]), zeros)
    np.testing.assert_allclose(step_out.numpy(), out.numpy(), rtol=1e-6)
    for a, b in zip(step_states, states):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-6)


def test_stacked_cells_stateful():
    """(Keras 3.15 itself fails to reset a stateful stack of cells: its states are nested.)"""
    layer = L.RNN([L.SimpleRNNCell(2), L.LSTMCell(3)], stateful=True, return_state=True)
    x = _seq(2, 3, 4)
    out, (h1,), (h2, c2) = layer(x)
    assert [tuple(v.shape) for v in layer.states] == [(2, 2), (2, 3), (2, 3)]
    np.testing.assert_allclose(layer.states[2].numpy(), c2.numpy())
    again = layer(x)[0]
    layer.reset_state()
    np.testing.assert_allclose(layer(x)[0].numpy(), out.numpy(), rtol=1e-6)
    assert not np.allclose(again.numpy(), out.numpy())
