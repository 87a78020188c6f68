"""Nothing lost: a save killed at every step of its writing (fault injection through
TAPEFLOW_CHECKPOINT_CRASH_AT, which makes the writer os._exit at its k-th step) leaves
latest_checkpoint on a complete checkpoint that restores, old or new, never a mix."""

import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

pytest.importorskip("google.protobuf")
pytest.importorskip("crc32c")

import tapeflow as tf  # noqa: E402

HELPER = """import numpy as np
import tapeflow as tf


def objects(version):
    return {'big': tf.Variable(np.full((64, 64), version, np.float32)),
            'name': tf.Variable(f'version {version}'),
            'step': tf.Variable(np.int64(version))}
"""

MANAGER_SAVE = """
import sys
from crash_objects import objects
state = objects(0)
ckpt = tf.train.Checkpoint(**state)
manager = tf.train.CheckpointManager(ckpt, sys.argv[1], max_to_keep=1)
manager.restore_or_initialize()  # resume: the counter goes on from the saved one
for key, var in objects(2).items():
    state[key].assign(var)
manager.save()
"""

OVERWRITE = """
import os, sys
from crash_objects import objects
tf.train.Checkpoint(**objects(2)).write(os.path.join(sys.argv[1], "fixed"))
"""


def crash_at_every_step(tmp_path, child, first, check):
    """Run ``child`` on a copy of the directory ``first`` once per crash point k = 1, 2, ...
    until it completes; ``check(directory)`` returns the version it finds restorable."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(tmp_path)] + sys.path))
    seen = set()
    for k in range(1, 60):
        run = tmp_path / f"run{k}"
        shutil.copytree(first, run)
        env["TAPEFLOW_CHECKPOINT_CRASH_AT"] = str(k)
        code = subprocess.run([sys.executable, "-c", "import tapeflow as tf\n" + child, str(run)],
                              env=env, capture_output=True, text=True)
        assert code.returncode in (0, 75), code.stderr
        seen.add(check(run))
        if code.returncode == 0:  # k ran past the last step: the save completed
            return seen, k, run
    pytest.fail("the save never completed")


def restore(prefix, objects, method="restore"):
    restored = objects(0)
    getattr(tf.train.Checkpoint(**restored), method)(prefix).assert_consumed()
    version = int(restored["step"].numpy())
    np.testing.assert_array_equal(restored["big"].numpy(), np.full((64, 64), version))
    assert restored["name"].numpy() == f"version {version}".encode()
    return version


@pytest.fixture
def objects(tmp_path):
    (tmp_path / "crash_objects.py").write_text(HELPER)
    sys.path.insert(0, str(tmp_path))
    try:
        from crash_objects import objects
        yield objects
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("crash_objects", None)


def test_manager_save_killed_at_every_step(tmp_path, objects):
    first = tmp_path / "first"
    tf.train.CheckpointManager(tf.train.Checkpoint(**objects(1)), str(first), max_to_keep=1).save()

    def check(run):
        latest = tf.train.latest_checkpoint(str(run))
        assert latest is not None, f"{run}: no complete checkpoint"
        version = restore(latest, objects)
        assert latest.endswith(f"ckpt-{version}")
        return version

    seen, steps, last = crash_at_every_step(tmp_path, MANAGER_SAVE, first, check)
    assert seen == {1, 2} and steps > 8  # crashes both before and after the switch
    assert sorted(os.listdir(last)) == ["checkpoint", "ckpt-2.data-00000-of-00001",
                                        "ckpt-2.index"]


def test_overwriting_write_killed_at_every_step_never_mixes(tmp_path, objects):
    first = tmp_path / "first"
    tf.train.Checkpoint(**objects(1)).write(str(first / "fixed"))

    def check(run):
        try:
            return restore(str(run / "fixed"), objects, "read")
        except tf.errors.NotFoundError:  # between removing the old index and renaming the new
            return None

    seen, _, _ = crash_at_every_step(tmp_path, OVERWRITE, first, check)
    assert {1, 2} <= seen
