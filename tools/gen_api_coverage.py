"""Write docs/api-coverage.md: per namespace, which of TF 2.21's public names tapeflow has.

TF's names come from tests/fixtures/api/tf_names.json (tools/record_tf_api_names.py, run with
real TF), so this needs no TF. Each absent name gets a reason from REASONS below (first matching
pattern wins; the default is "not implemented yet"). It also records tapeflow's exported names
into tests/fixtures/api/tapeflow_names.json, which tests/test_api_coverage.py uses to fail when
a name disappears.

Usage: python tools/gen_api_coverage.py [--check]   (--check: exit 1 if the doc is stale)
"""

import fnmatch
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

import tapeflow  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "api"
DOC = ROOT / "docs" / "api-coverage.md"

# Names outside the dense numeric API's target: shown, but not counted in the percentages.
ASIDE = {
    "linalg": (["LinearOperator*"], "the LinearOperator classes are a library of their own"),
}

# (namespace, name pattern, reason) for absent names; first match wins.
_TRACED_ONLY = ("TF 1 graph building: tapeflow builds graphs only by tracing a tf.function "
                "(ConcreteFunction.graph)")

REASONS = [
    ("*", "q*int*", "quantized dtypes: NumPy has no quantized integers"),
    ("*", "bfloat16", "NumPy has no bfloat16"),
    ("*", "resource", "resource handles are an implementation detail of TF's runtime"),
    ("*", "variant", "variant tensors are an implementation detail of TF's runtime"),
    ("", "Graph", _TRACED_ONLY),
    ("", "Operation", _TRACED_ONLY),
    ("", "import_graph_def", _TRACED_ONLY),
    ("", "init_scope", _TRACED_ONLY),
    ("", "make_tensor_proto", "protocol buffers: tapeflow has no protobuf layer"),
    ("", "make_ndarray", "protocol buffers: tapeflow has no protobuf layer"),
    ("", "load_library", "custom C++ kernels cannot be loaded into a NumPy runtime"),
    ("", "load_op_library", "custom C++ kernels cannot be loaded into a NumPy runtime"),
    ("", "check_pinned", "TF's internal pinning check; no NumPy counterpart"),
    ("", "CriticalSection", "concurrency primitive of TF's runtime; not planned"),
    ("", "cond", "control flow: comes with tf.function (issue #9)"),
    ("", "case", "control flow: comes with tf.function (issue #9)"),
    ("", "switch_case", "control flow: comes with tf.function (issue #9)"),
    ("", "while_loop", "control flow: comes with tf.function (issue #9)"),
    ("", "TensorArray*", "TensorArraySpec: TensorArrays are not tf.function arguments here"),
    ("", "print", "control flow: comes with tf.function (issue #9)"),
    ("", "map_fn", "control flow: comes with tf.function (issue #9)"),
    ("", "scan", "control flow: comes with tf.function (issue #9)"),
    ("", "fold?", "control flow: comes with tf.function (issue #9)"),
    ("", "py_function", "control flow: comes with tf.function (issue #9)"),
    ("", "numpy_function", "control flow: comes with tf.function (issue #9)"),
    ("", "*_initializer", "initializers: keras.initializers has them (issue on Keras layers)"),
    ("", "Optional*", "tf.data's Optional: comes with tf.data"),
    ("", "random_index_shuffle", "TF's Philox-based shuffle is not reproduced"),
    ("", "variable_creator_scope", "needs a hook in tf.Variable's constructor (framework)"),
    ("", "nondifferentiable_batch_function", "batching concurrent callers: not planned"),
    ("nn", "RNNCell*", "RNN cell wrappers belong to Keras layers"),
    ("image", "decode_jxl", "JPEG XL: Pillow (the codec extra) cannot decode it"),
    ("image", "generate_bounding_box_proposals", "region proposals: not implemented yet"),
    ("*", "*", "not implemented yet"),
]


def tf_names():
    return json.loads((FIXTURES / "tf_names.json").read_text())


def namespace(ns):
    module = tapeflow
    for part in ns.split(".") if ns else ():
        module = getattr(module, part, None)
        if module is None:
            return None
    return module


def exported(ns, names):
    module = namespace(ns)
    return [n for n in names if module is not None and hasattr(module, n)]


def aside(ns, name):
    patterns, why = ASIDE.get(ns, ((), ""))
    return why if any(fnmatch.fnmatchcase(name, p) for p in patterns) else None


def reason(ns, name):
    for where, pattern, why in REASONS:
        if where in ("*", ns) and fnmatch.fnmatchcase(name, pattern):
            return why
    raise AssertionError("REASONS ends with a catch-all")


def counts(record):
    """namespace -> (present, counted total), LinearOperator-style asides left out."""
    out = {}
    for ns, names in record["namespaces"].items():
        counted = [n for n in names if not aside(ns, n)]
        out[ns] = (len(exported(ns, counted)), len(counted))
    return out


def render(record):
    table = counts(record)
    have = sum(p for p, _ in table.values())
    total = sum(t for _, t in table.values())
    lines = ["# tapeflow's coverage of TensorFlow's public API", "",
             "Generated by tools/gen_api_coverage.py from TF "
             f"{record['tensorflow']}'s public names (tests/fixtures/api/tf_names.json, recorded "
             "by tools/record_tf_api_names.py); `tests/test_api_coverage.py` fails when this file "
             "is stale. Do not edit by hand. Submodules are not counted as names.", "",
             f"**In all: {have} of {total} names ({100 * have / total:.0f}%).**", "",
             "| namespace | present | TF names | coverage |", "|---|---|---|---|"]
    for ns, (p, t) in table.items():
        lines.append(f"| `{'tf.' + ns if ns else 'tf'}` | {p} | {t} | {100 * p / t:.0f}% |")
    for ns, names in record["namespaces"].items():
        title = "tf." + ns if ns else "tf"
        present = set(exported(ns, names))
        lines += ["", f"## `{title}`", "",
                  "Present: " + (", ".join(f"`{n}`" for n in names if n in present) or "none"),
                  ""]
        absent = [n for n in names if n not in present]
        if absent:
            lines += ["| absent | reason |", "|---|---|"]
            lines += [f"| `{n}` | {aside(ns, n) or reason(ns, n)} |" for n in absent]
    return "\n".join(lines) + "\n"


def tapeflow_exports(record):
    return {ns: exported(ns, names) for ns, names in record["namespaces"].items()}


def main():
    record = tf_names()
    text = render(record)
    names = json.dumps(tapeflow_exports(record), indent=1) + "\n"
    names_path = FIXTURES / "tapeflow_names.json"
    if "--check" in sys.argv:
        if not DOC.exists() or DOC.read_text() != text:
            print("docs/api-coverage.md is stale: run `python tools/gen_api_coverage.py`")
            sys.exit(1)
        return
    DOC.write_text(text)
    names_path.write_text(names)
    have = sum(p for p, _ in counts(record).values())
    print(f"wrote {DOC.relative_to(ROOT)} and {names_path.relative_to(ROOT)} ({have} names)")


if __name__ == "__main__":
    main()
