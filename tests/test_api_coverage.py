"""docs/api-coverage.md is generated (tools/gen_api_coverage.py) and must be current; a public
name tapeflow once exported (tests/fixtures/api/tapeflow_names.json) must not disappear."""

import json
import pathlib
import subprocess
import sys

import tapeflow as tf

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "api"


def test_api_coverage_doc_is_up_to_date():
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "gen_api_coverage.py"),
                             "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_exported_name_disappears():
    recorded = json.loads((FIXTURES / "tapeflow_names.json").read_text())
    gone = []
    for ns, names in recorded.items():
        module = tf
        for part in ns.split(".") if ns else ():
            module = getattr(module, part, None)
        gone += [f"tf.{ns}.{n}" if ns else f"tf.{n}" for n in names
                 if module is None or not hasattr(module, n)]
    assert not gone, f"exported names that disappeared: {gone}"


def test_recorded_tf_names_cover_the_namespaces_of_the_issue():
    record = json.loads((FIXTURES / "tf_names.json").read_text())
    assert record["tensorflow"].startswith("2.21")
    sizes = {ns: len(names) for ns, names in record["namespaces"].items()}
    assert sizes[""] > 200 and sizes["signal"] > 30 and sizes["image"] > 70
