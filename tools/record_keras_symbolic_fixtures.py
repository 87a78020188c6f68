"""Record what TF 2.21 / Keras 3 prints and builds for tests/keras_symbolic_cases.py (custom
layers called on keras.Input) into tests/fixtures/keras_symbolic/symbolic.json, and what
``Model.summary()`` prints for tests/keras_summary_width_cases.py into
tests/fixtures/keras_symbolic/summary.json.

    /work/tfenv/bin/python tools/record_keras_symbolic_fixtures.py > /dev/null

(stdout not a terminal; each summary case sets COLUMNS, the console's width: 80 unless it
says otherwise).
"""

import contextlib
import io
import json
import os
import pathlib
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import tensorflow as tf  # noqa: E402
from keras_summary_width_cases import SUMMARY_CASES  # noqa: E402
from keras_symbolic_cases import CASES, model_io, outputs_of, run_model  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "keras_symbolic"


def record_symbolic():
    found = {}
    for name, case in CASES.items():
        tf.keras.backend.clear_session()
        printed = io.StringIO()
        try:
            with contextlib.redirect_stdout(printed):
                model = case(tf)
        except Exception as e:  # noqa: BLE001 - the error is the recorded result
            found[name] = {"printed": printed.getvalue(), "error": [type(e).__name__, str(e)]}
            continue
        with contextlib.redirect_stdout(io.StringIO()):
            ran = run_model(model)
        found[name] = {"printed": printed.getvalue(), "outputs": outputs_of(model), "ran": ran,
                       "io": model_io(model)}
    return found


def record_summaries():
    found = {}
    for name, (build, kwargs) in SUMMARY_CASES.items():
        tf.keras.backend.clear_session()
        model = build(tf.keras)
        kwargs = dict(kwargs)
        os.environ["COLUMNS"] = str(kwargs.pop("columns", 80))
        captured = []
        try:
            model.summary(print_fn=captured.append, **kwargs)
            stdout = io.StringIO()
            with contextlib.redirect_stdout(stdout):
                model.summary(**kwargs)
            found[name] = {"print_fn": captured, "stdout": stdout.getvalue()}
        except Exception as e:  # noqa: BLE001 - the error is the recorded result
            found[name] = {"error": [type(e).__name__, str(e)]}
    del os.environ["COLUMNS"]
    return found


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for filename, found in (("symbolic.json", record_symbolic()),
                            ("summary.json", record_summaries())):
        (OUT / filename).write_text(json.dumps(found, indent=1, ensure_ascii=False) + "\n")
        print(f"recorded {len(found)} cases into {filename}", file=sys.stderr)


if __name__ == "__main__":
    main()
