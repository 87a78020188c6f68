"""tf.experimental.dtensor against TensorFlow's outputs (tests/fixtures/dtensor/cases.json,
recorded by tools/record_dtensor_fixtures.py): every snippet prints what it printed under TF.

A process configures its logical CPU devices once, before they are used, so everything that
needs the 6 logical CPUs runs in one subprocess: the recorded snippets, then the checks below
(asserts, in the same namespace). The tests in this process need no devices."""

import json
import pathlib
import subprocess
import sys

import pytest

import tapeflow as tf
from tapeflow.experimental import dtensor

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "dtensor" / "cases.json"
CASES = json.loads(FIXTURE.read_text())["cases"]

CHECKS = {
    "components_tile_the_global_value": """
layout = dtensor.Layout(['y', 'x'], m2)
value = np.arange(36.0).reshape(6, 6)
parts = dtensor.unpack(dtensor.copy_to_mesh(value, layout))
assert [p.device for p in parts] == m2.local_devices()
assert [p.shape for p in parts] == [(3, 2)] * 6
back = dtensor.relayout(dtensor.pack(parts, layout), dtensor.Layout.replicated(m2, 2))
assert (back.numpy() == value).all()
""",
    "gradients_flow_through_relayout_and_ops": """
v = tf.constant(np.arange(6.0).reshape(3, 2))
with tf.GradientTape() as tape:
    tape.watch(v)
    d = dtensor.relayout(dtensor.copy_to_mesh(v, dtensor.Layout.replicated(m2, 2)),
                         dtensor.Layout(['x', U], m2))
    y = tf.reduce_sum(tf.square(d))
assert dtensor.fetch_layout(y).sharding_specs == []
assert (tape.gradient(y, v).numpy() == 2 * v.numpy()).all()
""",
    "random_shards_equal_global_draws_of_the_derived_key": """
from tapeflow.dtensor.random import shard_index
t = dtensor.call_with_layout(tf.function(tf.random.stateless_normal),
                             dtensor.Layout(['x', 'y'], m2), shape=(6, 4), seed=(3, 4))
assert [shard_index(dtensor.fetch_layout(t), c) for c in m2.coordinates()] == [0, 3, 1, 4, 2, 5]
parts = [c.numpy() for c in dtensor.unpack(t)]
assert len({p.tobytes() for p in parts}) == 6
""",
    "unknown_logical_device": """
mesh = dtensor.create_mesh([('x', 2)], devices=['CPU:5', 'CPU:6'])
try:
    dtensor.copy_to_mesh(tf.ones((2,)), dtensor.Layout([U], mesh))
except tf.errors.InternalError as e:
    assert 'device:CPU:6 unknown device' in str(e)
else:
    raise AssertionError('no error')
""",
    "ops_without_dtensors_stay_plain": """
a = tf.ones((2, 2)) + 1.0
assert not dtensor.is_dtensor(a) and type(a).__name__ == 'EagerTensor'
""",
}

_RUNNER = """
import contextlib, io, json, sys, traceback
import numpy as np
import tapeflow as tf
from tapeflow.experimental import dtensor
fixture = json.load(open(sys.argv[1]))
checks = json.loads(sys.argv[2])
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
for name, code in checks.items():
    try:
        exec(code, dict(namespace))
        out["check:" + name] = "ok"
    except Exception:
        out["check:" + name] = traceback.format_exc()
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def outputs():
    done = subprocess.run([sys.executable, "-c", _RUNNER, str(FIXTURE), json.dumps(CHECKS)],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("name", sorted(CASES))
def test_prints_as_tf(outputs, name):
    assert outputs[name] == CASES[name]["out"], CASES[name]["code"]


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_check(outputs, name):
    assert outputs["check:" + name] == "ok"


def _mesh():
    return dtensor.Mesh(["x", "y"], [[0, 1], [2, 3], [4, 5]], list(range(6)),
                        [f"CPU:{i}" for i in range(6)])


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


def test_plain_tensors_have_no_layout():
    with pytest.raises(tf.errors.InvalidArgumentError):
        dtensor.fetch_layout(tf.ones((2, 2)))


def test_the_engine_hook_is_on_only_while_a_dtensor_lives():
    import gc

    from tapeflow.engine import core
    mesh = dtensor.Mesh(["x"], [0], [0], ["CPU:0"])
    gc.collect()
    assert core.layout_hook is None
    t = dtensor.copy_to_mesh(tf.ones((2,)), dtensor.Layout(["x"], mesh))
    u = t * 2.0
    assert core.layout_hook is not None and dtensor.is_dtensor(u)
    del t, u
    gc.collect()
    assert core.layout_hook is None
