"""tf.data and tf.summary sit above ops: they never import keras or the tape (engine)."""

import ast
import pathlib

import pytest

SRC = pathlib.Path(__file__).resolve().parent.parent / "src" / "tapeflow"


@pytest.mark.parametrize("package", ["data", "summary"])
def test_never_imports_keras_or_the_engine(package):
    for path in (SRC / package).glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level:
                target = (node.module or "").split(".")[0]
                names = [a.name for a in node.names]
                assert target not in ("keras", "engine"), (path.name, node.module)
                assert not (node.level == 2 and target == "" and
                            {"keras", "engine"} & set(names)), path.name
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith(("tapeflow.keras", "tapeflow.engine"))
                               for a in node.names), path.name
