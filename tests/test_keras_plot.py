"""keras.utils.model_to_dot / plot_model against Keras 3.15: the DOT sources Keras makes for the
models of keras_plot_cases.py and its errors when pydot or Graphviz is missing, recorded by
tools/record_keras_plot_fixtures.py into tests/fixtures/keras_plot/dots.json."""

import builtins
import json
import pathlib
import re
import shutil
import sys
import types

import pytest

import tapeflow as tf
from keras_plot_cases import CASES, MODELS, normalize_ids

pydot = pytest.importorskip("pydot")  # the `viz` extra, which `dev` installs
keras = tf.keras
RECORD = json.loads((pathlib.Path(__file__).parent / "fixtures" / "keras_plot" /
                     "dots.json").read_text())
NO_DOT = pytest.mark.skipif(shutil.which("dot") is None,
                            reason="the Graphviz `dot` program is not installed")
# tapeflow's recurrent layers have no `activation` property (Keras's LSTM returns its cell's)


def _model(name):
    keras.backend.clear_session()
    return MODELS[name](keras)


@pytest.mark.parametrize("case, model_name, kwargs", CASES, ids=[c[0] for c in CASES])
def test_dot_source_is_keras(case, model_name, kwargs):
    dot = keras.utils.model_to_dot(_model(model_name), **kwargs)
    assert normalize_ids(dot.to_string()) == RECORD["dots"][case]


def test_nodes_are_named_by_layer_id_and_nested_models_are_clusters():
    model = _model("nested")
    dot = keras.utils.model_to_dot(model, expand_nested=True)
    stem, add = model.get_layer("stem"), model.get_layer("add")
    assert dot.get_node(str(id(stem)))[0].get("fontname") == "Helvetica"
    assert [g.get_name() for g in dot.get_subgraphs()] == [
        "cluster_block", "cluster_inner", "cluster_head"]
    inner_dense = model.get_layer("inner").get_layer("inner_dense")
    assert dot.get_edge(str(id(inner_dense)), str(id(add)))
    assert isinstance(keras.utils.model_to_dot(model, subgraph=True), pydot.Cluster)


def _keras_error(name):
    """Raises the exception Keras raised, with Keras's message."""
    kind, message = RECORD["errors"][name]
    return pytest.raises(getattr(builtins, kind), match="^" + re.escape(message) + "$")


def _small():
    keras.backend.clear_session()
    return keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])


def test_errors_are_keras(monkeypatch):
    from tapeflow.keras.utils import model_visualization
    # Keras checks for the Graphviz programs before the arguments: say they are there
    monkeypatch.setattr(model_visualization, "check_graphviz", lambda: True)
    model = _small()
    with _keras_error("not_built"):
        keras.utils.plot_model(keras.Sequential([keras.layers.Dense(1)]))
    with _keras_error("not_built"):
        keras.utils.model_to_dot(keras.Sequential([keras.layers.Dense(1)]))
    with _keras_error("layer_range"):
        keras.utils.plot_model(model, layer_range=["a", "b"])
    with _keras_error("unknown"):
        keras.utils.model_to_dot(model, colour="red")


def test_without_pydot(monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "pydot", None)  # `import pydot` fails
    model = _small()
    with _keras_error("model_to_dot_no_pydot"):
        keras.utils.model_to_dot(model)
    with _keras_error("plot_model_no_pydot"):
        keras.utils.plot_model(model, to_file=str(tmp_path / "m.png"))
    monkeypatch.setitem(sys.modules, "IPython.core.magics.namespace",
                        types.ModuleType("IPython.core.magics.namespace"))
    assert keras.utils.plot_model(model, to_file=str(tmp_path / "m.png")) is None
    assert [repr(None), capsys.readouterr().out] == RECORD["errors"]["notebook_no_pydot"]
    assert not (tmp_path / "m.png").exists()


def test_without_graphviz_programs(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))  # no `dot` here
    model = _small()
    with _keras_error("plot_model_no_graphviz"):
        keras.utils.plot_model(model, to_file=str(tmp_path / "m.png"))
    assert keras.utils.model_to_dot(model).to_string()  # the DOT source needs no program
    monkeypatch.setitem(sys.modules, "IPython.core.magics.namespace",
                        types.ModuleType("IPython.core.magics.namespace"))
    assert keras.utils.plot_model(model, to_file=str(tmp_path / "m.png")) is None
    assert [repr(None), capsys.readouterr().out] == RECORD["errors"]["notebook_no_graphviz"]


@NO_DOT
def test_plot_model_writes_png_svg_and_dot(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "IPython", None)  # no IPython: nothing returned
    model = _model("two_in_two_out")
    assert keras.utils.plot_model(model, to_file=tmp_path / "m.png", show_shapes=True) is None
    assert (tmp_path / "m.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    keras.utils.plot_model(model, to_file=str(tmp_path / "m.svg"))
    svg = (tmp_path / "m.svg").read_text()
    assert svg.lstrip().startswith("<?xml") and ">Concatenate<" in svg
    assert ">shared<" not in svg  # plot_model's show_layer_names defaults to False
    keras.utils.plot_model(model, to_file=str(tmp_path / "m.dot"), show_layer_names=True)
    assert ">shared<" in (tmp_path / "m.dot").read_text()
    keras.utils.plot_model(model, to_file=str(tmp_path / "noext"))  # png without a suffix
    assert (tmp_path / "noext").read_bytes().startswith(b"\x89PNG")


@NO_DOT
def test_plot_model_returns_an_ipython_image(monkeypatch, tmp_path):
    display = types.SimpleNamespace(Image=lambda filename: ("image", filename))
    monkeypatch.setitem(sys.modules, "IPython", types.SimpleNamespace(display=display))
    model = _small()
    target = str(tmp_path / "m.png")
    assert keras.utils.plot_model(model, to_file=target) == ("image", target)
    assert keras.utils.plot_model(model, to_file=str(tmp_path / "m.pdf")) is None
    assert (tmp_path / "m.pdf").read_bytes().startswith(b"%PDF")
