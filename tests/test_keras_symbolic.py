"""Custom layers called on keras.Input (tests/keras_symbolic_cases.py): what their ``call``
prints while the model is built, and the model's output shapes and dtypes, as TF 2.21 / Keras 3
(fixtures recorded by tools/record_keras_symbolic_fixtures.py)."""

import contextlib
import io
import json
import pathlib

import pytest

import tapeflow as tf
from keras_summary_width_cases import SUMMARY_CASES
from keras_symbolic_cases import CASES, model_io, outputs_of, run_model

FIXTURES = pathlib.Path(__file__).parent / "fixtures" / "keras_symbolic"
SYMBOLIC = json.loads((FIXTURES / "symbolic.json").read_text())


@pytest.mark.parametrize("name", sorted(CASES))
def test_layer_calls_on_keras_tensors_as_tf(name):
    tf.keras.backend.clear_session()
    printed = io.StringIO()
    want = SYMBOLIC[name]
    if "error" in want:
        with pytest.raises(Exception) as e, contextlib.redirect_stdout(printed):  # noqa: PT011
            CASES[name](tf)
        assert [type(e.value).__name__, str(e.value)] == want["error"]
        return
    with contextlib.redirect_stdout(printed):
        model = CASES[name](tf)
    assert printed.getvalue() == want["printed"]
    assert outputs_of(model) == want["outputs"]
    assert model_io(model) == want["io"]
    with contextlib.redirect_stdout(io.StringIO()):
        assert run_model(model) == want["ran"]


SUMMARIES = json.loads((FIXTURES / "summary.json").read_text())


@pytest.mark.parametrize("name", sorted(SUMMARY_CASES))
def test_summary_arguments_as_keras(name, capsys, monkeypatch):
    """line_length, positions, expand_nested, show_trainable and layer_range, printed through
    print_fn and to stdout, on Keras's console (80 columns unless the case says otherwise)."""
    tf.keras.backend.clear_session()
    build, kwargs = SUMMARY_CASES[name]
    kwargs = dict(kwargs)
    monkeypatch.setenv("COLUMNS", str(kwargs.pop("columns", 80)))
    model = build(tf.keras)
    want = SUMMARIES[name]
    if "error" in want:
        with pytest.raises(Exception) as e:  # noqa: PT011 - its type is compared below
            model.summary(**kwargs)
        assert [type(e.value).__name__, str(e.value)] == want["error"]
        return
    captured = []
    model.summary(print_fn=captured.append, **kwargs)
    assert captured == want["print_fn"]
    capsys.readouterr()
    model.summary(**kwargs)
    assert capsys.readouterr().out == want["stdout"]


def test_summary_goes_to_the_logger_without_interactive_logging(capsys, caplog, monkeypatch):
    """keras.config.disable_interactive_logging(): summary() logs the table instead."""
    monkeypatch.setenv("COLUMNS", "80")
    tf.keras.backend.clear_session()
    build, kwargs = SUMMARY_CASES["sequential"]
    model = build(tf.keras)
    tf.keras.config.disable_interactive_logging()
    try:
        with caplog.at_level("INFO"):
            capsys.readouterr()
            model.summary()
    finally:
        tf.keras.config.enable_interactive_logging()
    assert capsys.readouterr().out == ""
    assert [r.getMessage() for r in caplog.records] == [SUMMARIES["sequential"]["stdout"]]
