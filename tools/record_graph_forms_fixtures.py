"""Record what TF's graph gives for tests/graph_forms_cases.py (run with /work/tfenv/bin/python).

Writes tests/fixtures/graph_forms/graph_forms.json: per case, the static shapes of the traced
outputs, and per value set the outputs' dtypes, shapes and values (or the error type)."""

import json
import pathlib
import sys

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from graph_forms_cases import CASES  # noqa: E402


def run(tf, source, signature, value_sets):
    """``{"static": [...], "runs": [...]}`` for one case on the given module (TF or tapeflow)."""
    specs = [tf.TensorSpec(shape, dtype) for shape, dtype in signature]
    fn = tf.function(eval(source, {"tf": tf}), input_signature=specs)  # noqa: S307
    outputs = tf.nest.flatten(fn.get_concrete_function().structured_outputs)
    result = {"static": [t.shape.as_list() for t in outputs], "runs": []}
    for values in value_sets:
        args = [tf.constant(np.array(v, dtype)) for v, (_, dtype) in zip(values, signature)]
        try:
            got = tf.nest.flatten(fn(*args))
        except Exception as e:  # noqa: BLE001 - the error type is what is compared
            result["runs"].append({"error": type(e).__name__})
            continue
        result["runs"].append({"outputs": [[t.dtype.name, list(t.shape), t.numpy().tolist()]
                                           for t in got]})
    return result


def main():
    import tensorflow as tf
    out = {name: run(tf, *case) for name, case in CASES.items()}
    path = ROOT / "tests" / "fixtures" / "graph_forms" / "graph_forms.json"
    path.write_text(json.dumps(out) + "\n")
    print(f"wrote {path} ({len(out)} cases)")


if __name__ == "__main__":
    main()
