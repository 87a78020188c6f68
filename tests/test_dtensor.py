"""tf.experimental.dtensor against TensorFlow's outputs (tests/fixtures/dtensor/cases.json,
recorded by tools/record_dtensor_fixtures.py): every snippet prints what it printed under TF.

The logical CPU devices are configured once per process (TF allows it only before they are
used), so the snippets run in one subprocess; the other tests check what needs no devices."""

import json
import pathlib
import subprocess
import sys

import numpy as np
import pytest

import tapeflow as tf
from tapeflow.experimental import dtensor

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "dtensor" / "cases.json"
CASES = json.loads(FIXTURE.read_text())["cases"]

_RUNNER = """
import contextlib, io, json, sys
import numpy as np
import tapeflow as tf
from tapeflow.experimental import dtensor
fixture = json.load(open(sys.argv[1]))
namespace = {"tf": tf, "dtensor": dtensor, "np": np}
exec(fixture["prelude"], namespace)
out = {}
for name, case in fixture["cases"].items():
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        try:
            exec(case["code"], namespace)
        except Exception as e:
            print(f"!! {type(e).__name__}: {e}")
    out[name] = buffer.getvalue()
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def outputs():
    done = subprocess.run([sys.executable, "-c", _RUNNER, str(FIXTURE)], capture_output=True,
                          text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("name", sorted(CASES))
def test_prints_as_tf(outputs, name):
    assert outputs[name] == CASES[name]["out"], CASES[name]["code"]


def _mesh():
    devices = [f"CPU:{i}" for i in range(6)]
    return dtensor.Mesh(["x", "y"], np.arange(6).reshape(3, 2), list(range(6)), devices)


def test_layout_text_round_trips():
    mesh = _mesh()
    for specs in (["x", "y"], [dtensor.UNSHARDED], [], ["y", dtensor.UNSHARDED, "x"]):
        layout = dtensor.Layout(specs, mesh)
        assert dtensor.Layout.from_string(layout.to_string()) == layout
        assert dtensor.Layout.from_string(layout.to_string()).sharding_specs == specs
    assert dtensor.Mesh.from_string(mesh.to_string()) == mesh


def test_layout_rejects_a_repeated_mesh_dim():
    with pytest.raises(ValueError, match="repeated"):
        dtensor.Layout(["x", "x"], _mesh())


def test_components_tile_the_global_value():
    layout = dtensor.Layout(["y", "x"], _mesh())
    value = np.arange(36.0).reshape(6, 6)
    t = dtensor.copy_to_mesh(value, layout)
    parts = dtensor.unpack(t)
    assert [p.device for p in parts] == _mesh().local_devices()
    back = dtensor.pack(parts, layout)
    np.testing.assert_array_equal(dtensor.relayout(back, dtensor.Layout.replicated(
        _mesh(), 2)).numpy(), value)


def test_gradients_flow_through_relayout_and_ops():
    layout = dtensor.Layout(["x", dtensor.UNSHARDED], _mesh())
    x = tf.constant(np.arange(6.0).reshape(3, 2))
    with tf.GradientTape() as tape:
        tape.watch(x)
        d = dtensor.relayout(dtensor.copy_to_mesh(x, dtensor.Layout.replicated(_mesh(), 2)),
                             layout)
        y = tf.reduce_sum(tf.square(d))
    assert dtensor.fetch_layout(y).sharding_specs == []
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), 2 * x.numpy())


def test_plain_tensors_keep_no_layout():
    a = tf.ones((2, 2)) + 1.0
    assert not dtensor.is_dtensor(a)
    with pytest.raises(tf.errors.InvalidArgumentError):
        dtensor.fetch_layout(a)
