"""The string hashing ops and the hashing, lookup and discretization preprocessing layers against
what TF 2.21 / Keras 3.15 computed for the same cases (tests/keras_preprocessing_cases.py,
recorded by tools/record_keras_preprocessing_fixtures.py)."""

import json
import pathlib

import numpy as np
import pytest

import tapeflow as tf
from keras_preprocessing_cases import CASES, run

FIXTURES = json.loads((pathlib.Path(__file__).parent / "fixtures" / "keras_preprocessing"
                       / "cases.json").read_text())


@pytest.mark.parametrize("name", sorted(CASES))
def test_case_matches_tf(name):
    expected, got = FIXTURES[name], run(tf, name)
    if "error" in expected or "error" in got:
        assert got == expected
    elif "values" in expected:
        assert (got["dtype"], got["shape"]) == (expected["dtype"], expected["shape"])
        floating = expected["dtype"].startswith("float")  # recorded to 9 digits
        dtype = np.dtype(expected["dtype"]) if floating else None
        want, have = np.array(expected["values"], dtype), np.array(got["values"], dtype)
        if name.startswith(("mel_", "ema_", "stft_", "tutorial_")):  # the last bits differ:
            np.testing.assert_allclose(have, want, rtol=1e-4, atol=2e-4)  # FFTs, float sums
        else:
            np.testing.assert_array_equal(have, want)
    else:
        assert got == expected


keras = tf.keras
L = keras.layers
WORDS = np.array(["a", "b", "cat", "dog", "", "fish", "a", "zebra"])


def _adapted_discretization():
    layer = L.Discretization(num_bins=3, output_mode="one_hot")
    layer.adapt(np.linspace(-1, 2, 50))
    return layer


def _layers():
    """One of each new layer (and the lookups with several OOV indices), with an input."""
    ints = np.array([[3], [-8], [42], [7], [0], [1], [9], [100]])
    floats = np.linspace(-2, 3, 16, dtype=np.float32).reshape(8, 2)
    audio = np.sin(np.arange(8 * 256, dtype=np.float32) / 7.0).reshape(8, 256)
    return [
        (L.MelSpectrogram(fft_length=64, sequence_stride=32, num_mel_bins=8,
                          sampling_rate=8000), audio),
        (L.STFTSpectrogram(frame_length=32, frame_step=16, window="hamming"), audio[..., None]),
        (L.Discretization(bin_boundaries=[0.0, 1.5], output_mode="count"), floats),
        (_adapted_discretization(), floats[:, :1]),
        (L.Hashing(num_bins=5, mask_value="", salt=3), WORDS[:, None]),
        (L.Hashing(num_bins=6, output_mode="multi_hot"), WORDS.reshape(4, 2)),
        (L.StringLookup(vocabulary=["a", "b"], num_oov_indices=3, mask_token=""),
         WORDS[:, None]),
        (L.StringLookup(vocabulary=["a", "b"], num_oov_indices=2, salt=(1, 2),
                        output_mode="count"), WORDS.reshape(2, 4)),
        (L.IntegerLookup(vocabulary=[1, 7], num_oov_indices=3, oov_method="farmhash"), ints),
        (L.IntegerLookup(vocabulary=[1, 7], num_oov_indices=4), ints),
    ]


@pytest.mark.parametrize("index", range(len(_layers())))
def test_config_round_trip_model_dataset_and_keras_file(index, tmp_path):
    layer, x = _layers()[index]
    want = layer(x).numpy()
    again = type(layer).from_config(layer.get_config())
    np.testing.assert_array_equal(again(x).numpy(), want)
    dtype = {"U": "string", "i": "int64", "f": "float32"}[x.dtype.kind]
    inputs = keras.Input(shape=x.shape[1:], dtype=dtype)
    model = keras.Model(inputs, layer(inputs))
    np.testing.assert_allclose(model.predict(x, verbose=0), want, rtol=1e-6)
    ds = tf.data.Dataset.from_tensor_slices(x).batch(4).map(layer)
    np.testing.assert_array_equal(np.concatenate([b.numpy() for b in ds]), np.concatenate(
        [layer(x[:4]).numpy(), layer(x[4:]).numpy()]))
    path = str(tmp_path / "model.keras")
    model.save(path)
    np.testing.assert_allclose(keras.models.load_model(path).predict(x, verbose=0), want,
                               rtol=1e-6)


def test_sequential_hashing_into_embedding():
    model = keras.Sequential([keras.Input(shape=(2,), dtype="string"),
                              L.Hashing(num_bins=10), L.Embedding(10, 3), L.Flatten(),
                              L.Dense(1)])
    out = model(tf.constant([["a", "b"], ["c", "d"]]))
    assert out.shape == (2, 1)
    ids = L.Hashing(num_bins=10)(tf.constant([["a", "b"], ["c", "d"]]))
    np.testing.assert_array_equal(ids.numpy(), tf.strings.to_hash_bucket_fast(
        [["a", "b"], ["c", "d"]], 10).numpy())


def test_hashed_crossing_in_a_model_and_dataset():
    crossing = L.HashedCrossing(num_bins=7, output_mode="one_hot")
    a, b = keras.Input(shape=(), dtype="string"), keras.Input(shape=(), dtype="int64")
    model = keras.Model([a, b], crossing((a, b)))
    feats = (np.array(["x", "y", "x"]), np.array([1, 2, 3]))
    want = crossing(feats).numpy()
    np.testing.assert_array_equal(model.predict(feats, verbose=0), want)
    ds = tf.data.Dataset.from_tensor_slices(feats).batch(3).map(lambda s, i: crossing((s, i)))
    np.testing.assert_array_equal(next(iter(ds)).numpy(), want)


def test_hash_ops_on_large_batches_agree_with_per_string_calls():
    rs = np.random.RandomState(0)
    strings = [bytes(rs.randint(0, 256, rs.randint(0, 150))) for _ in range(300)]
    batch = tf.strings.to_hash_bucket_strong(strings, 2 ** 62, [5, 6]).numpy()
    one = [tf.strings.to_hash_bucket_strong([s], 2 ** 62, [5, 6]).numpy()[0]
           for s in strings[:40]]
    np.testing.assert_array_equal(batch[:40], one)


def test_integer_hashing_in_a_tf_function_follows_each_call_values():
    """tf.as_string is a traced op: a function hashes the values of each call, not the trace's."""
    layer = L.Hashing(num_bins=1000, salt=4)
    fn = tf.function(layer, input_signature=[tf.TensorSpec([None], tf.int64)])
    for values in ([1, 2, 3], [5, 6, 7, 8]):
        np.testing.assert_array_equal(fn(tf.constant(values, tf.int64)).numpy(),
                                      layer(np.array(values)).numpy())
