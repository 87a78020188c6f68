"""Ops with a graph form compute from their tensor inputs when the graph runs: traced once from
an exact input_signature, each value set gives TF's graph's results, and the static shapes are
TF's (None where a size is known only when the graph runs). Fixtures: TF 2.21, recorded by
tools/record_graph_forms_fixtures.py."""

import json
import pathlib
import sys

import numpy as np
import pytest

import tapeflow as tf

ROOT = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent / "tools"))
from graph_forms_cases import CASES  # noqa: E402
from record_graph_forms_fixtures import run  # noqa: E402

FIXTURES = json.loads((ROOT / "fixtures" / "graph_forms" / "graph_forms.json").read_text())


@pytest.mark.parametrize("name", sorted(CASES))
def test_graph_form_matches_tf(name):
    got = run(tf, *CASES[name])
    assert got["static"] == FIXTURES[name]["static"]
    want = FIXTURES[name]["runs"]
    assert len(got["runs"]) == len(want)
    for mine, tfs in zip(got["runs"], want):
        assert mine.keys() == tfs.keys()
        if "error" in tfs:
            assert mine == tfs
            continue
        assert [o[:2] for o in mine["outputs"]] == [o[:2] for o in tfs["outputs"]]
        for (_, _, v), (_, _, w) in zip(mine["outputs"], tfs["outputs"]):
            # float32 resampling: TF's kernels round differently in the last bits
            np.testing.assert_allclose(np.array(v, float), np.array(w, float), rtol=1e-5,
                                       atol=1e-5)


def test_one_trace_serves_every_value():
    source, signature, value_sets = CASES["repeat_axis"]
    specs = [tf.TensorSpec(shape, dtype) for shape, dtype in signature]
    fn = tf.function(eval(source, {"tf": tf}), input_signature=specs)  # noqa: S307
    for values in value_sets:
        fn(*values)
    assert fn.experimental_get_tracing_count() == 1
