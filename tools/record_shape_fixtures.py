"""Record the static output shapes TF gives the snippets of tests/shape_cases.py when traced
from their input signatures (None dims), or the trace's error, into
tests/fixtures/shapes/static_shapes.json.

    /work/tfenv/bin/python tools/record_shape_fixtures.py
"""

import json
import os
import pathlib
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow as tf  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from shape_cases import CASES  # noqa: E402


def trace(tf_module, signature, source):
    """Static shapes and dtypes of the outputs of ``source`` traced from ``signature``, or the
    error's type and first line."""
    fn = eval(source, {"tf": tf_module})  # noqa: S307 - the repository's own snippets
    specs = [tf_module.TensorSpec(shape, getattr(tf_module, dtype)) for shape, dtype in signature]
    try:
        concrete = tf_module.function(fn, input_signature=specs).get_concrete_function()
    except Exception as e:  # noqa: BLE001 - the error is the recorded result
        return {"error": type(e).__name__, "message": str(e).strip().splitlines()[-1].strip()}
    outs = tf_module.nest.flatten(concrete.structured_outputs)
    return {"outputs": [[None if o.shape.rank is None else o.shape.as_list(), o.dtype.name]
                        for o in outs]}


def main():
    out = {name: trace(tf, sig, src) for name, (sig, src) in CASES.items()}
    path = ROOT / "tests" / "fixtures" / "shapes" / "static_shapes.json"
    path.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
    print(f"wrote {len(out)} cases to {path}")


if __name__ == "__main__":
    main()
