"""TextVectorization, StringLookup and IntegerLookup against Keras 3 (vocabularies, outputs,
dtypes, shapes, configs and errors recorded in tests/fixtures/keras_features/text.json by
tools/record_keras_feature_fixtures.py), adapt on lists, arrays and Datasets, callables, a model
built on string inputs, and an LSTM text classifier trained on a toy corpus."""

import json
import os
import pathlib
import re
import subprocess
import sys

import numpy as np
import pytest

import tapeflow as tf
from keras_feature_cases import SUMMARY_CASES, TEXT_CASES, TEXT_ERRORS

keras = tf.keras
L = keras.layers
HERE = pathlib.Path(__file__).parent / "fixtures" / "keras_features"
FIX = json.loads((HERE / "text.json").read_text())
SUMMARIES = json.loads((HERE / "summaries.json").read_text())


def _adapt_data(data, kind):
    if kind == "array":
        return np.array(data)[:, None]
    if kind == "dataset":
        return tf.data.Dataset.from_tensor_slices(data).batch(2)
    return data


def _plain(value):
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


@pytest.mark.parametrize("key", sorted(TEXT_CASES))
def test_matches_keras(key):
    cls, kwargs, data, kind, inputs = TEXT_CASES[key]
    want = FIX["cases"][key]
    layer = getattr(L, cls)(**kwargs)
    if data is not None:
        layer.adapt(_adapt_data(data, kind))
    assert layer.get_vocabulary() == want["vocabulary"]
    assert layer.vocabulary_size() == want["vocabulary_size"]
    for x, out in zip(inputs, want["outputs"]):
        y = layer(x)
        assert (y.dtype.name, list(y.shape)) == (out["dtype"], out["shape"])
        if out["dtype"] == "float32":
            np.testing.assert_allclose(y.numpy(), np.array(out["value"]), rtol=1e-6)
        else:
            assert _plain(y.numpy().tolist()) == out["value"]
    config = json.loads(json.dumps(layer.get_config()))
    config.pop("name")
    assert config == want["config"]
    again = type(layer).from_config(layer.get_config())
    if "vocabulary" in kwargs:  # a given vocabulary is in the config; a learned one is not
        assert again.get_vocabulary() == want["vocabulary"]


@pytest.mark.parametrize("key", sorted(TEXT_ERRORS))
def test_errors_match_keras(key):
    cls, kwargs, data, x = TEXT_ERRORS[key]
    kind, message = FIX["errors"][key]
    inner = re.search("\x1b\\[1m(.*)\x1b\\[0m", message, re.S)  # the framed error's own text
    message = inner.group(1) if inner else message
    pattern = re.escape(message).replace(r"string_lookup_24", r"string_lookup(_\d+)?")
    with pytest.raises(getattr(tf.errors, kind, None) or eval(kind), match=pattern):
        layer = getattr(L, cls)(**kwargs)
        if data is not None:
            layer.adapt(data)
        if x is not None:
            layer(x)


def test_one_hot_and_ragged_in_a_function_are_refused():
    """ragged=True works eagerly (tests/test_keras_preprocessing.py), not in a tf.function."""
    with pytest.raises(NotImplementedError, match="output_mode='one_hot'"):
        L.TextVectorization(output_mode="one_hot")
    layer = L.TextVectorization(ragged=True, vocabulary=["a"])
    fn = tf.function(layer, input_signature=[tf.TensorSpec([None], tf.string)])
    with pytest.raises(NotImplementedError, match="eagerly only"):
        fn(tf.constant(["a b"]))


def test_callables_and_set_vocabulary():
    def shout(texts):
        return tf.constant([t.upper() for t in texts.numpy()])

    def dashes(texts):
        return [t.split(b"-") for t in texts.numpy()]

    layer = L.TextVectorization(standardize=shout, split=dashes)
    layer.adapt(["a-b", "b-c"])
    assert layer.get_vocabulary() == ["", "[UNK]", "B", "C", "A"]
    assert layer(["b-a-q"]).numpy().tolist() == [[2, 4, 1]]
    assert layer.get_config()["standardize"] is shout
    layer = L.TextVectorization(output_mode="count")
    layer.set_vocabulary(["x", "y"])
    assert layer.get_vocabulary() == ["[UNK]", "x", "y"]
    assert layer(["y y z"]).numpy().tolist() == [[1, 0, 2]]
    assert layer.get_vocabulary(include_special_tokens=False) == ["x", "y"]


@pytest.mark.parametrize("key", sorted(SUMMARY_CASES))
def test_summaries_match_keras(key, capsys):
    """Models on string inputs, stateful RNNs and channels-first convolutions print Keras's
    summary() (the cases of tests/keras_feature_cases.py)."""
    keras.backend.clear_session()
    try:
        model = SUMMARY_CASES[key](keras)
        capsys.readouterr()
        model.summary()
        assert capsys.readouterr().out == SUMMARIES[key]
    finally:
        keras.backend.clear_session()


def test_inside_tf_function_and_dataset_map():
    vectorize = L.TextVectorization(max_tokens=10, output_sequence_length=4)
    vectorize.adapt(["a b c", "b c d"])
    eager = vectorize(["a b", "d"]).numpy()
    traced = tf.function(lambda x: vectorize(x))(tf.constant(["a b", "d"]))
    assert traced.dtype == tf.int64 and traced.numpy().tolist() == eager.tolist()
    ds = tf.data.Dataset.from_tensor_slices((["a b", "d"], [0, 1])).batch(2)
    (x, _), = list(ds.map(lambda x, y: (vectorize(x), y)))
    assert x.numpy().tolist() == eager.tolist()
    invert = L.StringLookup(vocabulary=["a", "b"], invert=True)
    out = tf.function(lambda i: invert(i))(tf.constant([0, 1, 2]))
    assert out.numpy().tolist() == [b"[UNK]", b"a", b"b"]


def test_vocabulary_assets_and_files(tmp_path):
    """save_assets / load_assets write and read a learned vocabulary as Keras does (one token a
    line, the special tokens first); a given vocabulary stays in the config."""
    layer = L.TextVectorization(max_tokens=10)
    layer.adapt(["b a b", "c"])
    layer.save_assets(str(tmp_path))
    assert (tmp_path / "vocabulary.txt").read_text() == "\n[UNK]\nb\nc\na"
    again = L.TextVectorization.from_config(layer.get_config())
    again.load_assets(str(tmp_path))
    assert again.get_vocabulary() == layer.get_vocabulary()
    assert again.get_config()["vocabulary"] is None
    assert again(["a b z"]).numpy().tolist() == layer(["a b z"]).numpy().tolist()
    (tmp_path / "ints.txt").write_text("7\n3\n")
    lookup = L.IntegerLookup(vocabulary=str(tmp_path / "ints.txt"))
    assert lookup.get_vocabulary() == [-1, 7, 3] and lookup([3, 9]).numpy().tolist() == [2, 0]


def test_string_input_model_calls():
    layer = L.TextVectorization(max_tokens=20)
    layer.adapt(["a b c", "b c"])
    model = keras.Sequential([keras.Input(shape=(1,), dtype="string"), layer,
                              L.Embedding(20, 4), L.LSTM(3), L.Dense(1)])
    assert model(np.array([["a b"], ["c"]])).shape == (2, 1)
    fixed = keras.Sequential([keras.Input(shape=(), dtype="string"),
                              L.TextVectorization(max_tokens=20, output_sequence_length=6)])
    assert fixed.output_shape == (None, 6)


POS = ["a great movie", "really good fun", "i loved it", "wonderful acting and a great story",
       "good film", "great fun and good music"]
NEG = ["a terrible movie", "really bad plot", "i hated it", "awful acting and a boring story",
       "bad film", "boring and awful music"]


def _train_text_classifier(seed):
    keras.utils.set_random_seed(seed)
    x = np.array(POS * 2 + NEG * 2)[:, None]
    y = np.array([1] * 12 + [0] * 12, "float32")
    vectorize = L.TextVectorization(max_tokens=40, output_sequence_length=6)
    vectorize.adapt(tf.data.Dataset.from_tensor_slices(x[:, 0]).batch(8))
    model = keras.Sequential([keras.Input(shape=(1,), dtype="string"), vectorize,
                              L.Embedding(40, 8, mask_zero=True), L.LSTM(8, dropout=0.1),
                              L.Dense(1, activation="sigmoid")])
    model.compile(keras.optimizers.Adam(0.02), "binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=12, batch_size=8, verbose=0)
    return history.history, model


def test_lstm_text_classifier_trains_deterministically():
    history, model = _train_text_classifier(0)
    assert history["loss"][-1] < 0.5 * history["loss"][0]
    assert history["accuracy"][-1] == 1.0
    p = model.predict(np.array([["great good fun"], ["awful boring plot"]]), verbose=0)
    assert p[0, 0] > 0.5 > p[1, 0]
    again, _ = _train_text_classifier(0)
    assert again["loss"] == history["loss"]


def test_text_lstm_example_runs(tmp_path):
    root = pathlib.Path(__file__).resolve().parent.parent
    env = dict(os.environ, PYTHONPATH=str(root / "src"))
    result = subprocess.run([sys.executable, str(root / "examples" / "keras_text_lstm.py"),
                             "--epochs", "8"], cwd=tmp_path, env=env, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "vocabulary: 45 tokens, first ['', '[UNK]', np.str_('a')" in result.stdout
    assert 'Model: "reviews"' in result.stdout and "accuracy" in result.stdout


def test_keras_file_carries_an_adapted_vocabulary_both_ways(tmp_path):
    """A vocabulary learned with adapt is an asset of the .keras file (assets/<layer path>/
    vocabulary.txt), not part of the config: Keras 3's file loads with it, and tapeflow's file
    has the same asset entries (Keras loads it back: checked by hand)."""
    import zipfile
    want = json.loads((HERE / "text_vectorization.json").read_text())
    texts = np.array(want["texts"])
    model = tf.keras.models.load_model(HERE / "text_vectorization.keras")
    assert [str(t) for t in model.layers[0].get_vocabulary()] == want["vocabulary"]
    assert model.layers[0](texts).numpy().tolist() == want["ids"]
    np.testing.assert_allclose(model(texts).numpy(), want["outputs"], rtol=1e-6)
    path = str(tmp_path / "again.keras")
    model.save(path)
    names = sorted(n for n in zipfile.ZipFile(path).namelist() if n.startswith("assets/"))
    keras_names = sorted(n for n in zipfile.ZipFile(HERE / "text_vectorization.keras").namelist()
                         if n.startswith("assets/"))
    assert names == keras_names
    again = tf.keras.models.load_model(path)
    assert again.layers[0](texts).numpy().tolist() == want["ids"]
