"""``model.to_json()`` writes TF 2.21's text (tests/fixtures/keras_json, recorded by
tools/record_keras_json_fixtures.py from the same ``MODELS``), and
``keras.models.model_from_json`` makes the model again."""

import json
import pathlib

import numpy as np


def _sequential(tf):
    return tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(2, name="d"),
                                tf.keras.layers.Dropout(0.5, name="drop")], name="seq")


def _functional(tf):
    a, b = tf.keras.Input((4,), name="a"), tf.keras.Input((2,), name="b")
    joined = tf.keras.layers.Concatenate(name="cat")([a, b])
    out = tf.keras.layers.Dense(1, activation="sigmoid", name="out")(joined)
    return tf.keras.Model([a, b], out, name="fun")


def _compiled(tf):
    model = _sequential(tf)
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    return model


MODELS = {"sequential": _sequential, "functional": _functional, "compiled": _compiled}


def test_to_json_is_tensorflows_text():
    import tapeflow as tf
    want = json.loads((pathlib.Path(__file__).parent / "fixtures" / "keras_json" /
                       "cases.json").read_text())
    for name, make in MODELS.items():
        tf.keras.backend.clear_session()  # automatic names from their first numbers, as recorded
        assert make(tf).to_json() == want[name], name


def test_model_from_json_rebuilds_the_architecture():
    import tapeflow as tf
    for name, make in MODELS.items():
        model = make(tf)
        again = tf.keras.models.model_from_json(model.to_json(indent=2))
        assert type(again) is type(model) and again.name == model.name
        assert [w.path for w in again.weights] == [w.path for w in model.weights]
        assert [w.shape for w in again.weights] == [w.shape for w in model.weights]
        assert not again.compiled  # as Keras: the architecture only
        again.set_weights(model.get_weights())
        x = ([np.ones((2, 4), "float32"), np.ones((2, 2), "float32")] if name == "functional"
             else np.ones((2, 3), "float32"))
        np.testing.assert_array_equal(again.predict(x, verbose=0), model.predict(x, verbose=0))
