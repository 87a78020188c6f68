"""Write docs/keras-api-coverage.md: per namespace of ``tf.keras``, which of TF 2.21's public
names tapeflow has, with a reason for each group of absent names.

TF's names come from tests/fixtures/api/keras_names.json (tools/record_keras_api_names.py, run
with real TF), so this needs no TF. ``extras()`` lists the public names tapeflow shows in a
``tf.keras`` namespace that TF's does not have; tests/test_keras_api_coverage.py fails when the
doc is stale or an extra appears.

Usage: python tools/gen_keras_api_coverage.py [--check]   (--check: exit 1 if the doc is stale)
"""

import fnmatch
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import tapeflow  # noqa: E402

NAMES = ROOT / "tests" / "fixtures" / "api" / "keras_names.json"
DOC = ROOT / "docs" / "keras-api-coverage.md"

_LAYERS = "layers are the Keras-layers work (issue on Keras layers): not implemented yet"
_QUANT = "quantization (int4/int8/float8 kernels, GPTQ/AWQ): out of scope for a NumPy runtime"
_SERIAL = "serialization helpers: the `.keras` saving work (keras/saving.py) adds them"
# (namespace pattern, name pattern, reason) for absent names; first match wins.
REASONS = [
    ("keras.quantizers", "*", _QUANT),
    ("keras", "quantizers", _QUANT),
    ("keras", "Quantizer", _QUANT),
    ("keras.dtype_policies", "*", _QUANT),
    ("keras.distribution", "*", "multi-device model/data sharding (JAX's mesh API): out of scope; "
     "tapeflow.horovod covers data parallelism"),
    ("keras", "distribution", "multi-device sharding: out of scope (see tapeflow.horovod)"),
    ("keras", "remat", "rematerialization trades memory for recompute on accelerators: not "
     "relevant on NumPy"),
    ("keras", "RematScope", "rematerialization: not relevant on NumPy"),
    ("keras", "*Scope", "Keras's internal tracing scopes (stateless/symbolic calls): tapeflow's "
     "functional API records layer calls instead"),
    ("keras", "Function", "Keras's internal op graph: tapeflow's functional API records layer "
     "calls instead"),
    ("keras", "Operation", "Keras's internal op graph: tapeflow's functional API records layer "
     "calls instead"),
    ("keras", "distillation", "knowledge distillation models: not implemented yet"),
    ("keras.distillation", "*", "knowledge distillation models: not implemented yet"),
    ("keras.export", "*", "ExportArchive (SavedModel export of Keras models): not implemented "
     "yet"),
    ("keras", "legacy", _SERIAL),
    ("keras.legacy*", "*", _SERIAL),
    ("keras.utils.legacy", "*", _SERIAL),
    ("keras.utils", "*_keras_object", _SERIAL),
    ("keras.utils", "*custom_object*", _SERIAL),
    ("keras.utils", "CustomObjectScope", _SERIAL),
    ("keras.utils", "get_file", "downloads files (no network at test time)"),
    ("keras.utils", "*_dataset_from_directory", "datasets read from folders of files: not "
     "implemented yet"),
    ("keras.utils", "bounding_boxes", "bounding-box utilities: not implemented yet"),
    ("keras.utils.bounding_boxes", "*", "bounding-box utilities: not implemented yet"),
    ("keras.utils", "FeatureSpace", "FeatureSpace preprocessing: not implemented yet (the "
     "preprocessing layers it composes are there)"),
    ("keras", "visualization", "plotting galleries of images and boxes: not implemented yet"),
    ("keras.visualization", "*", "plotting galleries of images and boxes: not implemented yet"),
    ("keras.preprocessing*", "*", "Keras 2's deprecated word2vec sampling (skipgrams): not "
     "implemented"),
    ("keras.layers", "JaxLayer", "wraps a JAX function as a layer: JAX is another backend"),
    ("keras.layers", "FlaxLayer", "wraps a Flax module as a layer: Flax is JAX's"),
    ("keras.layers", "TorchModuleWrapper", "wraps a PyTorch module as a layer: PyTorch is another "
     "backend"),
    ("keras.layers", "*", _LAYERS),
    ("keras.callbacks", "OrbaxCheckpoint", "Orbax is JAX's checkpoint library"),
    ("keras.callbacks", "RemoteMonitor", "posts logs over HTTP: no network here"),
    ("keras.ops.image", "*", "scale_and_translate (resampling by a scale and an offset): not "
     "implemented yet"),
    ("keras.optimizers", "*", "optimizer (the Keras-optimizers work): not implemented yet"),
    ("*", "*", "not implemented yet"),
]
# public names tapeflow shows in a tf.keras namespace although TF 2.21's has no such name
ALLOWED_EXTRAS = {
    ("keras", "saving"): "tapeflow's `.keras` save/load functions live in `tf.keras.saving`, "
                         "as in standalone Keras 3 (`import keras`); TF 2.21's `tf.keras` "
                         "lacks the namespace",
}


def tf_names():
    return json.loads(NAMES.read_text())


def namespace(ns):
    module = tapeflow
    for part in ns.split("."):
        module = getattr(module, part, None)
        if module is None:
            return None
    return module


def present(ns, names):
    module = namespace(ns)
    return [n for n in names if module is not None and hasattr(module, n)]


def extras(record):
    """(namespace, name) pairs tapeflow shows publicly that TF's tf.keras does not have."""
    out = []
    for ns, names in record["namespaces"].items():
        module = namespace(ns)
        if module is None:
            continue
        known = set(names)
        out += [(ns, n) for n in dir(module) if not n.startswith("_") and n not in known
                and (ns, n) not in ALLOWED_EXTRAS]
    return out


def reason(ns, name):
    for where, pattern, why in REASONS:
        if fnmatch.fnmatchcase(ns, where) and fnmatch.fnmatchcase(name, pattern):
            return why
    raise AssertionError("REASONS ends with a catch-all")


def render(record):
    spaces = record["namespaces"]
    table = {ns: (len(present(ns, names)), len(names)) for ns, names in spaces.items()}
    have = sum(p for p, _ in table.values())
    total = sum(t for _, t in table.values())
    lines = ["# tapeflow's coverage of `tf.keras`", "",
             "Generated by tools/gen_keras_api_coverage.py from the public names of TF "
             f"{record['tensorflow']}'s `tf.keras` (Keras {record['keras']}), recorded by "
             "tools/record_keras_api_names.py into tests/fixtures/api/keras_names.json; "
             "`tests/test_keras_api_coverage.py` fails when this file is stale or when tapeflow "
             "shows a name TF's `tf.keras` does not have. Do not edit by hand. Submodules count "
             "as names of their parent (`ops` is a name of `tf.keras`).", "",
             f"**In all: {have} of {total} names ({100 * have / total:.1f}%).**", "",
             "| namespace | present | TF names | coverage |", "|---|---|---|---|"]
    for ns, (p, t) in table.items():
        lines.append(f"| `tf.{ns}` | {p} | {t} | {100 * p / t:.0f}% |")
    lines += ["", "Names tapeflow shows that TF's `tf.keras` lacks:", ""]
    lines += [f"- `tf.{ns}.{name}`: {why}" for (ns, name), why in ALLOWED_EXTRAS.items()]
    for ns, names in spaces.items():
        have_here = set(present(ns, names))
        lines += ["", f"## `tf.{ns}`", "",
                  "Present: " + (", ".join(f"`{n}`" for n in names if n in have_here) or "none"),
                  ""]
        groups = {}
        for n in names:
            if n not in have_here:
                groups.setdefault(reason(ns, n), []).append(n)
        if groups:
            lines += ["| absent | reason |", "|---|---|"]
            lines += [f"| {', '.join(f'`{n}`' for n in group)} | {why} |"
                      for why, group in groups.items()]
    return "\n".join(lines) + "\n"


def main():
    record = tf_names()
    text = render(record)
    if "--check" in sys.argv:
        if not DOC.exists() or DOC.read_text() != text:
            print("docs/keras-api-coverage.md is stale: run "
                  "`python tools/gen_keras_api_coverage.py`")
            sys.exit(1)
        return
    DOC.write_text(text)
    have = sum(len(present(ns, names)) for ns, names in record["namespaces"].items())
    print(f"wrote {DOC.relative_to(ROOT)} ({have} names)")


if __name__ == "__main__":
    main()
