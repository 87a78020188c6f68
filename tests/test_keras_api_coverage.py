"""docs/keras-api-coverage.md is generated (tools/gen_keras_api_coverage.py) and must be
current; every public name tapeflow shows in a tf.keras namespace is one TF 2.21's tf.keras has;
names TF's tf.keras lacks raise AttributeError, as under TF."""

import pathlib
import sys

import pytest

import tapeflow as tf

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import gen_keras_api_coverage as coverage  # noqa: E402


def test_keras_api_coverage_doc_is_up_to_date():
    assert coverage.DOC.read_text() == coverage.render(coverage.tf_names()), (
        "docs/keras-api-coverage.md is stale: run `python tools/gen_keras_api_coverage.py`")


def test_no_public_name_that_tf_keras_lacks():
    assert coverage.extras(coverage.tf_names()) == []


def test_recorded_names_are_tf_2_21s():
    record = coverage.tf_names()
    assert record["tensorflow"].startswith("2.21") and record["keras"].startswith("3.")
    assert len(record["namespaces"]["keras.ops"]) > 300


@pytest.mark.parametrize("path", ["losses.mean_squared_error", "losses.np",
                                  "metrics.mean_squared_error", "activations.nn",
                                  "utils.np", "config.sys", "layers.core", "ops.np"])
def test_internal_names_are_not_reachable(path):
    ns, name = path.split(".")
    with pytest.raises(AttributeError, match=f"has no attribute '{name}'"):
        getattr(getattr(tf.keras, ns), name)
