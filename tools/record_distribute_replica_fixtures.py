"""Record what TensorFlow prints for the two-replica tf.distribute snippets of
tests/distribute_replica_cases.py, and the numbers of two-replica training runs
(tests/distribute_replica_training.py), on two logical CPU devices.

    /work/tfenv/bin/python tools/record_distribute_replica_fixtures.py

Each snippet and each run is a process of its own: TF's collective ops remember an instance key
across strategies, so one snippet's all_gather after another's all_reduce would fail. Writes
tests/fixtures/distribute_replicas/cases.json ({case: text of its ``out``}) and training.json.
"""

import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "distribute_replicas"


def _tensorflow():
    import tensorflow as tf
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    sys.path.insert(0, str(ROOT / "tests"))
    return tf


def one_case(name):
    tf = _tensorflow()
    from distribute_cases import text
    from distribute_replica_cases import CASES
    scope = {"tf": tf, "S": tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])}
    exec(CASES[name], scope)  # noqa: S102 - our own snippets
    print(json.dumps(text(scope["out"])))


def training(name):
    tf = _tensorflow()
    import distribute_replica_training as runs
    print(json.dumps(runs.RUNS[name](tf)))


def main():
    if sys.argv[1:2] == ["--case"]:
        return one_case(sys.argv[2])
    if sys.argv[1:2] == ["--training"]:
        return training(sys.argv[2])
    sys.path.insert(0, str(ROOT / "tests"))
    from distribute_replica_cases import CASES
    from distribute_replica_training import RUNS

    def child(*args):
        done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True,
                              check=True)
        return json.loads(done.stdout.strip().splitlines()[-1])

    OUT.mkdir(parents=True, exist_ok=True)
    rec = {name: child("--case", name) for name in CASES}
    (OUT / "cases.json").write_text(json.dumps(rec, indent=1) + "\n")
    runs = {name: child("--training", name) for name in RUNS}
    (OUT / "training.json").write_text(json.dumps(runs, indent=1) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
