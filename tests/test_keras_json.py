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


def _operations(tf):
    a, b = tf.keras.Input((3,)), tf.keras.Input((3,))
    out = tf.keras.ops.abs(a + b) / 2.0 - tf.keras.ops.relu(a)
    return tf.keras.Model([a, b], out, name="ops")


MODELS = {"sequential": _sequential, "functional": _functional, "compiled": _compiled,
          "operations": _operations}


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
        x = {"functional": [np.ones((2, 4), "float32"), np.ones((2, 2), "float32")],
             "operations": [np.ones((2, 3), "float32"), -np.ones((2, 3), "float32")]}.get(
            name, np.ones((2, 3), "float32"))
        np.testing.assert_array_equal(again.predict(x, verbose=0), model.predict(x, verbose=0))


def test_tfsm_layer_runs_an_exported_model(tmp_path):
    """keras.layers.TFSMLayer over model.export's SavedModel: TF's outputs, weights, config and
    endpoint error (checked with TF 2.21); it trains through the SavedModel's variables."""
    import pytest

    import tapeflow as tf
    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(2, name="d")])
    model.export(str(tmp_path / "exp"), verbose=False)
    layer = tf.keras.layers.TFSMLayer(str(tmp_path / "exp"), call_endpoint="serve")
    x = np.arange(6, dtype="float32").reshape(2, 3)
    np.testing.assert_allclose(layer(x).numpy(), model(x).numpy(), rtol=1e-6)
    by_signature = tf.keras.layers.TFSMLayer(str(tmp_path / "exp"),
                                             call_endpoint="serving_default")
    np.testing.assert_allclose(by_signature(x)["output_0"].numpy(), model(x).numpy(), rtol=1e-6)
    assert (len(layer.weights), len(layer.trainable_weights)) == (2, 2)
    assert layer.get_config()["call_endpoint"] == "serve"
    with pytest.raises(ValueError, match="The endpoint 'nope' is neither an attribute of the "
                       r"reloaded SavedModel.*Available endpoints for this SavedModel: "
                       r"\['serve', 'serving_default'\]"):
        tf.keras.layers.TFSMLayer(str(tmp_path / "exp"), call_endpoint="nope")
    inputs = tf.keras.Input((3,))
    outer = tf.keras.Model(inputs, tf.keras.layers.Dense(1)(layer(inputs)))
    assert outer.count_params() == 8 + 3
    before = [w.numpy().copy() for w in layer.weights]
    outer.compile("sgd", "mse")
    outer.fit(x, np.ones((2, 1), "float32"), verbose=0)
    assert all((a != w.numpy()).any() for a, w in zip(before, layer.weights))
    layer.trainable = False
    outer.compile("sgd", "mse")
    frozen = [w.numpy().copy() for w in layer.weights]
    outer.fit(x, np.ones((2, 1), "float32"), verbose=0)
    assert all((a == w.numpy()).all() for a, w in zip(frozen, layer.weights))


def test_export_archive_endpoints_and_collections(tmp_path, capsys):
    """keras.export.ExportArchive as TF 2.21 runs the same calls: endpoints from a method with
    an input signature and from a lambda, a variable collection, TF's printed summary and its
    errors."""
    import pytest

    import tapeflow as tf
    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(2, name="d")])
    archive = tf.keras.export.ExportArchive()
    archive.track(model)
    spec = [tf.TensorSpec(shape=(None, 3), dtype=tf.float32)]
    archive.add_endpoint(name="serve", fn=model.call, input_signature=spec)
    archive.add_endpoint(name="double", fn=lambda x: model(x) * 2,
                         input_signature=[tf.keras.InputSpec(shape=(None, 3), dtype="float32")])
    archive.add_variable_collection(name="my_vars", variables=model.trainable_variables)
    archive.write_out(str(tmp_path / "a"))
    printed = capsys.readouterr().out
    assert printed.startswith(f"Saved artifact at '{tmp_path / 'a'}'. The following endpoints "
                              "are available:\n\n* Endpoint 'serve'\n  inputs "
                              "(POSITIONAL_OR_KEYWORD): TensorSpec(shape=(None, 3), "
                              "dtype=tf.float32, name=None)\n  training (POSITIONAL_OR_KEYWORD): "
                              "Literal[None]\n")
    assert "\n\n* Endpoint 'double'\n  x (POSITIONAL_OR_KEYWORD)" in printed
    loaded = tf.saved_model.load(str(tmp_path / "a"))
    x = np.ones((2, 3), "float32")
    np.testing.assert_allclose(loaded.serve(x).numpy(), model(x).numpy(), rtol=1e-6)
    np.testing.assert_allclose(loaded.double(x).numpy(), 2 * model(x).numpy(), rtol=1e-6)
    assert sorted(loaded.signatures) == ["double", "serve", "serving_default"]
    assert len(loaded.my_vars) == 2 and len(loaded.variables) == 2
    empty = tf.keras.export.ExportArchive()
    with pytest.raises(ValueError, match="If the `fn` argument provided is not a `tf.function`"):
        empty.add_endpoint(name="serve", fn=model.call)
    with pytest.raises(ValueError, match=r"No endpoints have been set yet. Call add_endpoint\(\)"):
        empty.write_out(str(tmp_path / "b"))


def test_operations_are_graph_nodes_not_layers():
    """``a + b`` and keras.ops calls on KerasTensors are operations, as in Keras 3: in the
    summary by their op class, not among ``model.layers`` (TF 2.21's error for get_layer)."""
    import pytest

    import tapeflow as tf
    tf.keras.backend.clear_session()
    model = _operations(tf)
    assert [type(layer).__name__ for layer in model.layers] == ["InputLayer", "InputLayer"]
    assert [type(n).__name__ for n in model._graph.layers] == [
        "InputLayer", "InputLayer", "Add", "Absolute", "TrueDivide", "Relu", "Subtract"]
    with pytest.raises(ValueError, match="No such layer: add"):
        model.get_layer("add")
