"""Record the DOT source Keras 3 (TF 2.21) makes with ``keras.utils.model_to_dot`` for the models
and arguments of tests/keras_plot_cases.py, node ids normalised (Keras names nodes by
``id(layer)``), for tests/test_keras_plot.py.

Run with the reference interpreter, which needs pydot and the Graphviz programs:
    /work/tfenv/bin/pip install pydot; apt-get install graphviz
    /work/tfenv/bin/python tools/record_keras_plot_fixtures.py
Writes tests/fixtures/keras_plot/dots.json: the DOT sources, and the errors Keras raises (and
what its plot_model prints in a notebook) when pydot or the Graphviz programs are missing.
"""

import contextlib
import io
import json
import os
import pathlib
import sys
import tempfile
import types

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import pydot  # noqa: E402
import tensorflow as tf  # noqa: E402
from tensorflow import keras  # noqa: E402

TESTS = pathlib.Path(__file__).resolve().parent.parent / "tests"
OUT = TESTS / "fixtures" / "keras_plot"


def _error(fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
    except Exception as e:  # noqa: BLE001 - what Keras raises is what is recorded
        return [type(e).__name__, str(e)]
    raise AssertionError(f"{fn.__name__} raised nothing")


def errors():
    """Keras's errors: without pydot (its module's ``pydot`` set to None), without Graphviz's
    programs (an empty PATH), for an unbuilt model and for unknown arguments; and what
    plot_model prints instead of raising in a notebook."""
    from keras.src.utils import model_visualization as mv
    keras.backend.clear_session()
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    out = {"not_built": _error(keras.utils.plot_model, keras.Sequential([keras.layers.Dense(1)])),
           "layer_range": _error(keras.utils.plot_model, model, layer_range=["a", "b"]),
           "unknown": _error(keras.utils.model_to_dot, model, colour="red")}
    notebook = types.ModuleType("IPython.core.magics.namespace")
    saved_pydot, mv.pydot = mv.pydot, None
    try:
        out["model_to_dot_no_pydot"] = _error(keras.utils.model_to_dot, model)
        out["plot_model_no_pydot"] = _error(keras.utils.plot_model, model)
        with _notebook(notebook):
            out["notebook_no_pydot"] = _printed(keras.utils.plot_model, model)
    finally:
        mv.pydot = saved_pydot
    path = os.environ["PATH"]
    with tempfile.TemporaryDirectory() as empty:
        os.environ["PATH"] = empty
        try:
            out["plot_model_no_graphviz"] = _error(keras.utils.plot_model, model)
            with _notebook(notebook):
                out["notebook_no_graphviz"] = _printed(keras.utils.plot_model, model)
        finally:
            os.environ["PATH"] = path
    return out


@contextlib.contextmanager
def _notebook(module):
    sys.modules[module.__name__] = module
    try:
        yield
    finally:
        del sys.modules[module.__name__]


def _printed(fn, *args):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        result = fn(*args)
    return [repr(result), buf.getvalue()]


def main():
    sys.path.insert(0, str(TESTS))
    from keras_plot_cases import CASES, MODELS, normalize_ids
    dots = {}
    for case, model_name, kwargs in CASES:
        keras.backend.clear_session()
        model = MODELS[model_name](keras)
        dots[case] = normalize_ids(keras.utils.model_to_dot(model, **kwargs).to_string())
    OUT.mkdir(parents=True, exist_ok=True)
    record = {"tensorflow": tf.__version__, "keras": keras.__version__,
              "pydot": pydot.__version__, "dots": dots, "errors": errors()}
    (OUT / "dots.json").write_text(json.dumps(record, indent=1) + "\n")
    print(f"wrote {len(dots)} DOT sources to {OUT / 'dots.json'}")


if __name__ == "__main__":
    main()
