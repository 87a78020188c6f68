"""Check that real TensorFlow reads what tapeflow writes (a yardstick run, not a test):

    /work/tfenv/bin/python tools/verify_checkpoint_with_tf.py [tapeflow's python]

tapeflow (run by the python given, default .venv/bin/python) writes checkpoints of the fixture
objects (tests/checkpoint_cases.py) into a scratch folder; TensorFlow then restores each into the
same objects built with TF, calls assert_consumed, and compares every value.
"""

import os
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests"))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

WRITE = """
import os, sys
import numpy as np
import tapeflow as tf
import checkpoint_cases as cases
out = sys.argv[1]
tf.train.Checkpoint(**cases.dtype_variables(tf)).write(os.path.join(out, "dtypes", "ckpt"))
root = cases.nested_module(tf)
ckpt = tf.train.Checkpoint(model=root, step=tf.Variable(0, dtype=tf.int64))
ckpt.save(os.path.join(out, "modules", "ckpt"))
cases.bump(root, ckpt.step)
ckpt.save(os.path.join(out, "modules", "ckpt"))
v = tf.Variable([1.0, 2.0])
manager = tf.train.CheckpointManager(tf.train.Checkpoint(v=v), os.path.join(out, "manager"),
                                     max_to_keep=2, checkpoint_name="model")
for _ in range(3):
    v.assign_add([1.0, 1.0])
    manager.save()
model, opt = cases.keras_model(tf)
tf.train.Checkpoint(model=model, optimizer=opt).write(os.path.join(out, "keras", "ckpt"))
model.save_weights(os.path.join(out, "keras", "model.weights.h5"))
model.save(os.path.join(out, "keras", "model.keras"))
np.save(os.path.join(out, "keras", "prediction.npy"),
        model(np.arange(6, dtype=np.float32).reshape(2, 3)).numpy())
functional = cases.functional_model(tf)
functional.save(os.path.join(out, "keras", "functional.keras"))
np.save(os.path.join(out, "keras", "functional.npy"), functional(cases.FUNCTIONAL_X).numpy())
"""


def main():
    import tensorflow as tf
    import checkpoint_cases as cases

    python = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".venv", "bin", "python")
    out = tempfile.mkdtemp(prefix="tapeflow-ckpt-")
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "tests"))
    subprocess.run([python, "-c", WRITE, out], check=True, env=env)
    checks = []

    # Every dtype: restore into zeroed TF Variables, compare with the objects' own values.
    want = cases.dtype_variables(tf)
    got = {k: tf.Variable(tf.zeros_like(v)) for k, v in want.items()}
    tf.train.Checkpoint(**got).read(os.path.join(out, "dtypes", "ckpt")).assert_consumed()
    for k in want:
        np.testing.assert_array_equal(got[k].numpy(), want[k].numpy())
        assert got[k].dtype == want[k].dtype
    checks.append(f"dtypes: {len(want)} Variables restored in TF with identical values")

    # Nested Modules via the state file TF reads.
    directory = os.path.join(out, "modules")
    latest = tf.train.latest_checkpoint(directory)
    assert latest == os.path.join(directory, "ckpt-2"), latest
    ref = cases.nested_module(tf)
    ref_step = tf.Variable(0, dtype=tf.int64)
    cases.bump(ref, ref_step)
    net = cases.nested_module(tf)
    for var in net.variables:
        var.assign(tf.zeros_like(var))
    ckpt = tf.train.Checkpoint(model=net, step=tf.Variable(0, dtype=tf.int64))
    ckpt.restore(latest).assert_consumed()
    for a, b in zip(net.variables, ref.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert int(ckpt.step) == 1 and int(ckpt.save_counter) == 2
    checks.append(f"modules: latest_checkpoint -> ckpt-2, {len(net.variables)} Module "
                  "Variables + step + save_counter restored, assert_consumed passes")

    # The manager's directory: TF's own manager picks it up and carries on.
    directory = os.path.join(out, "manager")
    v = tf.Variable([0.0, 0.0])
    ckpt = tf.train.Checkpoint(v=v)
    manager = tf.train.CheckpointManager(ckpt, directory, max_to_keep=2, checkpoint_name="model")
    assert [os.path.basename(p) for p in manager.checkpoints] == ["model-2", "model-3"]
    ckpt.restore(manager.latest_checkpoint).assert_consumed()
    np.testing.assert_array_equal(v.numpy(), [4.0, 5.0])
    manager.save()
    assert sorted(os.listdir(directory)) == ["checkpoint", "model-3.data-00000-of-00001",
                                             "model-3.index", "model-4.data-00000-of-00001",
                                             "model-4.index"]
    checks.append("manager: TF's CheckpointManager recovers tapeflow's state file and rotates on")
    # Keras: the checkpoint (model + Adam slots), the weights file and the .keras file.
    directory = os.path.join(out, "keras")
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    want = np.load(os.path.join(directory, "prediction.npy"))
    model, opt = cases.keras_model(tf)
    tf.train.Checkpoint(model=model, optimizer=opt).read(
        os.path.join(directory, "ckpt")).assert_consumed()
    np.testing.assert_allclose(model(x).numpy(), want, rtol=1e-6)
    assert int(opt.iterations) == 1
    model, _ = cases.keras_model(tf)
    model.load_weights(os.path.join(directory, "model.weights.h5"))
    np.testing.assert_allclose(model(x).numpy(), want, rtol=1e-6)
    loaded = tf.keras.models.load_model(os.path.join(directory, "model.keras"))
    np.testing.assert_allclose(loaded(x).numpy(), want, rtol=1e-6)
    functional = tf.keras.models.load_model(os.path.join(directory, "functional.keras"))
    np.testing.assert_allclose(functional(cases.FUNCTIONAL_X).numpy(),
                               np.load(os.path.join(directory, "functional.npy")), rtol=1e-6)
    checks.append("keras: TF restores the Sequential + Adam checkpoint (assert_consumed), Keras 3 "
                  "loads the .weights.h5 and the Sequential and functional .keras files; same "
                  "predictions")
    print("\n".join(checks))
    print("OK: TensorFlow", tf.__version__, "read every checkpoint tapeflow wrote in", out)


if __name__ == "__main__":
    main()
