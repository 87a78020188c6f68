"""Record checkpoints written by real TensorFlow for tapeflow's interop tests.

Run with the yardstick environment, never from tapeflow's tests:

    /work/tfenv/bin/python tools/record_checkpoint_fixtures.py

Writes tests/fixtures/checkpoint/<case>/ (TF's own files) and, per case, ``expected.npz`` (every
tensor as TF's reader returns it) and ``manifest.json`` (TF's list_variables, dtype map and the
object graph as text). The objects are built from ``checkpoint_cases.py`` in tests/, which the
tapeflow tests import too, so both sides build the very same objects.
"""

import json
import os
import shutil
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(ROOT, "tests", "fixtures", "checkpoint")
sys.path.insert(0, os.path.join(ROOT, "tests"))

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf  # noqa: E402
from google.protobuf import text_format  # noqa: E402
from tensorflow.core.protobuf import trackable_object_graph_pb2  # noqa: E402

import checkpoint_cases as cases  # noqa: E402


def record(name, prefix):
    reader = tf.train.load_checkpoint(prefix)
    dtypes = reader.get_variable_to_dtype_map()
    arrays, shapes = {}, {}
    for key, shape in tf.train.list_variables(prefix):
        shapes[key] = shape
        if key != "_CHECKPOINTABLE_OBJECT_GRAPH" and dtypes[key] != tf.variant:
            value = np.asarray(reader.get_tensor(key))
            arrays[key] = value.astype("S") if value.dtype == object else value
    graph = trackable_object_graph_pb2.TrackableObjectGraph()
    graph.ParseFromString(reader.get_tensor("_CHECKPOINTABLE_OBJECT_GRAPH"))
    np.savez(os.path.join(OUT, name, "expected.npz"), **arrays)
    manifest = {"variables": shapes, "dtypes": {k: v.name for k, v in dtypes.items()},
                "object_graph": text_format.MessageToString(graph),
                "prefix": os.path.basename(prefix)}
    with open(os.path.join(OUT, name, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)


def fresh(name):
    path = os.path.join(OUT, name)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def main():
    # Every dtype tapeflow has, written with write() (no save counter, no state file).
    path = fresh("dtypes")
    record("dtypes", tf.train.Checkpoint(**cases.dtype_variables(tf)).write(
        os.path.join(path, "ckpt")))

    # Nested Modules (lists, dicts, a tuple, a private attribute, a shared Variable), saved twice
    # with save(): save_counter, ckpt-1, ckpt-2 and the `checkpoint` state file.
    path = fresh("modules")
    root = cases.nested_module(tf)
    ckpt = tf.train.Checkpoint(model=root, step=tf.Variable(0, dtype=tf.int64))
    ckpt.save(os.path.join(path, "ckpt"))
    cases.bump(root, ckpt.step)
    record("modules", ckpt.save(os.path.join(path, "ckpt")))

    # A manager keeping two of three checkpoints, under its own checkpoint_name.
    path = fresh("manager")
    v = tf.Variable([1.0, 2.0])
    ckpt = tf.train.Checkpoint(v=v)
    manager = tf.train.CheckpointManager(ckpt, path, max_to_keep=2, checkpoint_name="model")
    for _ in range(3):
        v.assign_add([1.0, 1.0])
        saved = manager.save()
    record("manager", saved)

    # Object-graph layouts: root=, attributes added late, containers, a lazily built Module.
    path = fresh("layouts")
    record("layouts", cases.layouts(tf, path)[-1])

    # A tf.data iterator beside a Variable: TF saves its position as a variant tensor.
    path = fresh("iterator")
    dataset = tf.data.Dataset.from_tensor_slices({"x": tf.range(10.0)[:, None]}).repeat().batch(2)
    iterator = iter(dataset)
    next(iterator)
    record("iterator", tf.train.Checkpoint(step=tf.Variable(3), iterator=iterator).write(
        os.path.join(path, "ckpt")))

    # A Keras model after one Adam step: the optimizer's variables beside the layers'.
    path = fresh("keras")
    model, optimizer = cases.keras_model(tf)
    ckpt = tf.train.Checkpoint(model=model, optimizer=optimizer)
    record("keras", ckpt.write(os.path.join(path, "ckpt")))
    model.save_weights(os.path.join(path, "model.weights.h5"))
    model.save(os.path.join(path, "model.keras"))
    functional = cases.functional_model(tf)
    functional.save(os.path.join(path, "functional.keras"))
    np.save(os.path.join(path, "functional_prediction.npy"),
            functional(cases.FUNCTIONAL_X).numpy())
    import h5py
    net = cases.subclassed_model(tf)
    net.save_weights(os.path.join(path, "subclassed.weights.h5"))
    with open(os.path.join(path, "subclassed_layout.json"), "w") as f:
        json.dump(cases.h5_layout(h5py, os.path.join(path, "subclassed.weights.h5")), f,
                  indent=0)
    os.remove(os.path.join(path, "subclassed.weights.h5"))
    print("wrote", OUT)


if __name__ == "__main__":
    main()
