"""Nothing lost: a save killed at every step of its writing leaves latest_checkpoint on a
complete checkpoint that restores, old or new, never a mix.

Fault injection: the writer counts its steps (each tensor, sync, rename, state-file write,
deletion) and, with TAPEFLOW_CHECKPOINT_CRASH_AT=k (here set in a forked child), dies by
os._exit at the k-th, leaving whatever was on disk."""

import os
import shutil
import sys
import traceback
import warnings

import numpy as np
import pytest

pytest.importorskip("google.protobuf")
pytest.importorskip("crc32c")

import tapeflow as tf  # noqa: E402
from tapeflow.train import _fault  # noqa: E402

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")


def objects(version):
    return {"big": tf.Variable(np.full((64, 64), version, np.float32)),
            "name": tf.Variable(f"version {version}"),
            "step": tf.Variable(np.int64(version))}


def manager_save(directory):
    state = objects(0)
    ckpt = tf.train.Checkpoint(**state)
    manager = tf.train.CheckpointManager(ckpt, directory, max_to_keep=1)
    manager.restore_or_initialize()  # resume: the counter goes on from the saved one
    for key, var in objects(2).items():
        state[key].assign(var)
    manager.save()


def overwrite(directory):
    tf.train.Checkpoint(**objects(2)).write(os.path.join(directory, "fixed"))


def run_killed_at(k, action, directory):
    """Run ``action(directory)`` in a forked child that dies at writing step ``k``; returns
    the child's exit status (75: killed by the fault, 0: it completed)."""
    with warnings.catch_warnings():  # 3.12+ warns when other threads (tf.data's) exist
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 0
        try:
            _fault._at, _fault._count = k, 0
            action(directory)
        except BaseException:
            traceback.print_exc()
            code = 1
        finally:
            sys.stdout.flush()
            os._exit(code)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def crash_at_every_step(tmp_path, action, first, check):
    """``action`` on a copy of ``first``, killed at step 1, 2, ... until it completes;
    ``check(directory)`` returns the version it finds restorable after each."""
    seen = set()
    for k in range(1, 60):
        run = tmp_path / f"run{k}"
        shutil.copytree(first, run)
        code = run_killed_at(k, action, str(run))
        assert code in (0, 75), f"the child failed at step {k}"
        seen.add(check(run))
        if code == 0:  # k ran past the last step: the save completed
            return seen, k, run
    pytest.fail("the save never completed")


def restore(prefix, method="restore"):
    restored = objects(0)
    getattr(tf.train.Checkpoint(**restored), method)(prefix).assert_consumed()
    version = int(restored["step"].numpy())
    np.testing.assert_array_equal(restored["big"].numpy(), np.full((64, 64), version))
    assert restored["name"].numpy() == f"version {version}".encode()
    return version


def test_manager_save_killed_at_every_step(tmp_path):
    first = tmp_path / "first"
    tf.train.CheckpointManager(tf.train.Checkpoint(**objects(1)), str(first), max_to_keep=1).save()

    def check(run):
        latest = tf.train.latest_checkpoint(str(run))
        assert latest is not None, f"{run}: no complete checkpoint"
        version = restore(latest)
        assert latest.endswith(f"ckpt-{version}")
        return version

    seen, steps, last = crash_at_every_step(tmp_path, manager_save, first, check)
    assert seen == {1, 2} and steps > 8  # crashes both before and after the switch
    assert sorted(os.listdir(last)) == ["checkpoint", "ckpt-2.data-00000-of-00001",
                                        "ckpt-2.index"]


def test_overwriting_write_killed_at_every_step_never_mixes(tmp_path):
    first = tmp_path / "first"
    tf.train.Checkpoint(**objects(1)).write(str(first / "fixed"))

    def check(run):
        try:
            return restore(str(run / "fixed"), "read")
        except tf.errors.NotFoundError:  # between removing the old index and renaming the new
            return None

    seen, _, _ = crash_at_every_step(tmp_path, overwrite, first, check)
    assert {1, 2} <= seen


def test_the_environment_variable_arms_the_fault(tmp_path):
    """The real switch, in a fresh interpreter: TAPEFLOW_CHECKPOINT_CRASH_AT=1 kills the first
    save after its first tensor, leaving only a temporary file."""
    import subprocess
    script = ("import sys, tapeflow as tf\n"
              "tf.train.Checkpoint(v=tf.Variable(1.0)).write(sys.argv[1])\n")
    env = dict(os.environ, TAPEFLOW_CHECKPOINT_CRASH_AT="1",
               PYTHONPATH=os.pathsep.join(sys.path))
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "c")], env=env,
                          capture_output=True, text=True)
    assert done.returncode == 75, done.stderr
    assert [p.name.split(".tmp")[0] for p in tmp_path.iterdir()] == ["c.data-00000-of-00001"]
    assert tf.train.latest_checkpoint(str(tmp_path)) is None
