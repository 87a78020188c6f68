"""Record the public names of TF 2.21's ``tf.keras`` and its namespaces into
tests/fixtures/api/keras_names.json.

Run with real TensorFlow (a yardstick only, never a dependency):
    /work/tfenv/bin/python tools/record_keras_api_names.py
Every public attribute counts, submodules included (``ops`` is a name of ``tf.keras``, and
``keras.ops`` is a namespace of its own); namespaces are found by walking the submodules.
"""

import json
import os
import pathlib
import types

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import tensorflow as tf  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent


def public_names(module):
    return sorted(n for n in dir(module) if not n.startswith("_"))


def walk(module, name, record):
    record[name] = public_names(module)
    for attr in record[name]:
        child = getattr(module, attr, None)
        if isinstance(child, types.ModuleType) and f"{name}.{attr}" not in record:
            walk(child, f"{name}.{attr}", record)


def main():
    namespaces = {}
    walk(tf.keras, "keras", namespaces)
    record = {"tensorflow": tf.__version__, "keras": tf.keras.version(),
              "namespaces": dict(sorted(namespaces.items()))}
    path = ROOT / "tests" / "fixtures" / "api" / "keras_names.json"
    path.write_text(json.dumps(record, indent=1) + "\n")
    print(f"wrote {path.relative_to(ROOT)}: {len(namespaces)} namespaces, "
          f"{sum(map(len, namespaces.values()))} names")


if __name__ == "__main__":
    main()
