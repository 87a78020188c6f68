"""Record TensorFlow's public names per namespace into tests/fixtures/api/tf_names.json.

Run with real TensorFlow (a yardstick only, never a dependency):
    /work/tfenv/bin/python tools/record_tf_api_names.py
Submodules are left out (``tf.math`` is a namespace of its own, not a name of ``tf``).
"""

import json
import os
import pathlib
import types

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow as tf  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
NAMESPACES = ["", "math", "nn", "linalg", "random", "signal", "image", "debugging", "dtypes",
              "errors", "nest"]
NAMESPACES += ["strings"]
NAMESPACES += ["experimental.numpy", "experimental.numpy.random"]


def public_names(module):
    return sorted(n for n in dir(module) if not n.startswith("_")
                  and not isinstance(getattr(module, n), types.ModuleType))


def main():
    record = {"tensorflow": tf.__version__, "namespaces": {}}
    for ns in NAMESPACES:
        module = tf
        for part in ns.split(".") if ns else ():
            module = getattr(module, part)
        record["namespaces"][ns] = public_names(module)
    path = ROOT / "tests" / "fixtures" / "api" / "tf_names.json"
    path.write_text(json.dumps(record, indent=1) + "\n")
    print(f"wrote {path.relative_to(ROOT)}: "
          f"{sum(map(len, record['namespaces'].values()))} names")


if __name__ == "__main__":
    main()
