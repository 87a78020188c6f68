"""Dependencies inside tapeflow point one way: framework <- engine <- ops <- graph <- tracing <-
module <- (data, train, summary, profiler) <- saved_model <- keras <- horovod.

Every import (top-level or inside a function, relative or absolute) of every module under
src/tapeflow is parsed and mapped to the package (or top-level module) it names; an import may
only reach the same tier or a lower one. The few upward imports that exist on purpose are listed
in ALLOWED with the reason, each as (importing file, imported package)."""

import ast
import pathlib

SRC = pathlib.Path(__file__).resolve().parent.parent / "src" / "tapeflow"

TIERS = [
    {"framework"},
    {"engine"},
    # the op library and the thin public namespaces over it (tf.math, tf.nn, tf.errors, ...)
    {"ops", "audio", "autodiff", "bitwise", "debugging", "dtypes", "errors", "image", "linalg", "math",
     "nest", "nn", "ragged", "random", "signal", "sparse", "testing", "test", "types", "viz"},
    {"graph"},
    {"tracing", "autograph", "config"},  # tf.function, AutoGraph, tf.config's run_functions_eagerly
    {"module"},  # tf.Module and TensorSpec (its tf.function factory defers to tracing)
    {"data", "train", "summary", "profiler"},
    {"saved_model"},
    {"keras"},
    {"horovod"},
]
TIERS[3].add("experimental")  # tf.experimental.numpy: over the op library and tf.while_loop
TIERS[3].add("strings")  # tf.strings: over the op library, and tf.print's formatting (graph)
TIERS[6].add("io")  # tf.io: TFRecord/Example files, reusing train's protobuf and CRC32C code
TIERS[6].add("distribute")  # tf.distribute: strategies over variables and datasets
TIERS[6].add("linear_operator")  # tf.linalg.LinearOperator*: tf.Modules over the op library
TIERS[6].add("dtensor")  # tf.experimental.dtensor: meshes, layouts, DTensors over the op library
TIER = {unit: rank for rank, units in enumerate(TIERS) for unit in units}

# Upward imports kept on purpose; each is deferred into a function or placed after the module's
# own definitions so that the import cycle it closes resolves at import time.
ALLOWED = {
    # A Variable's reads and assigns are primitives the tape records; engine.core needs Tensor
    # (framework) first, so framework/__init__ loads tensor.py before variable.py.
    ("framework/variable.py", "engine"),
    # note_export tells the recorders (engine.core) that a value left for NumPy: deferred.
    ("framework/context.py", "engine"),
    # forward-mode's transposed VJP builds its dummy computation from ops: deferred, the engine
    # loads before the op library.
    ("engine/forwardprop.py", "ops"),
    # tf.linalg's LinearOperator classes are tf.Modules: loaded on first use (module __getattr__).
    ("linalg.py", "linear_operator"),
    # tf.experimental.dtensor loads on first use, from experimental's module __getattr__.
    ("experimental/__init__.py", "dtensor"),
}


def _unit(parts):
    """The package or top-level module a path inside tapeflow (as parts) belongs to."""
    return parts[0].removesuffix(".py") if len(parts) == 1 else parts[0]


def _imported(parts, source):
    """(line, unit) for every tapeflow-internal import in ``source``, the module at ``parts``
    (its path inside tapeflow)."""
    package = list(parts[:-1])
    for node in ast.walk(ast.parse(source)):
        targets = []
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[:len(package) - node.level + 1]
            assert node.level - 1 <= len(package), (parts, node.lineno)
            if node.module:
                targets.append(base + node.module.split("."))
            else:  # from . import x, y / from .. import keras
                targets += [base + [alias.name] for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tapeflow."):
            targets.append(node.module.split(".")[1:])
        elif isinstance(node, ast.ImportFrom) and node.module == "tapeflow":
            targets += [[alias.name] for alias in node.names]
        elif isinstance(node, ast.Import):
            targets += [a.name.split(".")[1:] for a in node.names
                        if a.name.startswith("tapeflow.")]
        for target in targets:
            if target:
                yield node.lineno, target[0]


def _modules():
    return sorted(p for p in SRC.rglob("*.py") if p.relative_to(SRC).parts != ("__init__.py",))


def test_every_unit_has_a_tier():
    units = {_unit(p.relative_to(SRC).parts) for p in _modules()}
    assert units - set(TIER) == set(), "place the new package in TIERS"


def test_imports_point_down():
    wrong, used = [], set()
    for path in _modules():
        rel = path.relative_to(SRC)
        here = _unit(rel.parts)
        for line, unit in _imported(rel.parts, path.read_text()):
            if unit == here or unit not in TIER or TIER[unit] <= TIER[here]:
                continue
            if (rel.as_posix(), unit) in ALLOWED:
                used.add((rel.as_posix(), unit))
                continue
            wrong.append(f"{rel}:{line} imports {unit} (tier {TIER[unit]} above {TIER[here]})")
    assert wrong == []
    assert used == ALLOWED, "an allowed upward import is gone: remove it from ALLOWED"


def test_the_checker_sees_upward_imports():
    """The parser resolves relative, absolute and in-function imports to their package."""
    source = ("from ..keras import layers\nfrom . import core\nimport tapeflow.data.dataset\n"
              "def f():\n    from .. import saved_model\n    from tapeflow import horovod\n")
    assert list(_imported(("ops", "x.py"), source)) == [
        (1, "keras"), (2, "ops"), (3, "data"), (5, "saved_model"), (6, "horovod")]
