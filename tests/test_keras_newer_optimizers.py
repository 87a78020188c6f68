"""Keras 3.15's newer optimizers: ``Muon`` and ``ScheduleFreeAdamW`` (four steps on a matrix, a
bias, a tall matrix and an embedding table, with Keras's defaults and with the options changed)
and ``MultiOptimizer`` over an ``OptimizerMap`` (a model's fit): the values, slots and configs
equal TF 2.21's (tests/fixtures/newer_optimizers, recorded by
tools/record_newer_optimizer_fixtures.py from the same ``run`` and ``run_multi``)."""

import json
import pathlib

import numpy as np

SETTINGS = {
    "muon_default": ("Muon", {}),
    "muon_options": ("Muon", {"nesterov": False, "rms_rate": None, "weight_decay": None,
                              "adam_weight_decay": 0.1, "learning_rate": 0.01,
                              "adam_lr_ratio": 0.5, "exclude_embeddings": False,
                              "ns_steps": 3}),
    "schedule_free_default": ("ScheduleFreeAdamW", {}),
    "schedule_free_options": ("ScheduleFreeAdamW", {"warmup_steps": 3, "learning_rate": 0.1,
                                                    "weight_decay": 0.01, "beta_1": 0.8}),
}


def run(tf, kind, settings, steps=4):
    rng = np.random.default_rng(0)
    keras = tf.keras
    weights = [keras.Variable(rng.normal(size=shape).astype("float32"), name=name)
               for shape, name in (((3, 5), "kernel"), ((5,), "bias"), ((6, 2), "tall"),
                                   ((4, 3), "embedding_table"))]
    optimizer = getattr(keras.optimizers, kind)(name="opt", **settings)
    values = []
    for _ in range(steps):
        grads = [tf.constant(rng.normal(size=w.shape).astype("float32")) for w in weights]
        optimizer.apply_gradients(zip(grads, weights))
        values.append([w.numpy().tolist() for w in weights])
    return {"values": values, "slots": [v.path for v in optimizer.variables],
            "config": sorted(optimizer.get_config())}


def run_multi(tf):
    keras = tf.keras
    keras.backend.clear_session()
    rng = np.random.default_rng(0)
    inputs = keras.Input((4,), name="x")
    hidden = keras.layers.Dense(3, name="encoder_dense", kernel_initializer="ones")(inputs)
    model = keras.Model(inputs, keras.layers.Dense(1, name="head",
                                                   kernel_initializer="ones")(hidden))
    chosen = keras.optimizers.OptimizerMap(default_optimizer=keras.optimizers.SGD(0.1))
    chosen["encoder_dense/.*"] = keras.optimizers.Adam(0.01)
    optimizer = keras.optimizers.MultiOptimizer(chosen)
    model.compile(optimizer, "mse")
    x, y = rng.normal(size=(16, 4)).astype("float32"), rng.normal(size=(16, 1)).astype("float32")
    model.fit(x, y, batch_size=8, epochs=2, verbose=0, shuffle=False)
    return {"values": [w.numpy().tolist() for w in model.weights],
            "iterations": int(optimizer.iterations),
            "slots": [v.path for v in optimizer.variables],
            "optimizers": [o.name for o in optimizer.optimizers],
            "config": repr(optimizer.get_config()),
            "lookups": [chosen["encoder_dense/kernel"].name, chosen["head/kernel"].name]}


def test_multi_optimizer_equals_tensorflows():
    import pytest

    import tapeflow as tf
    want = json.loads((pathlib.Path(__file__).parent / "fixtures" / "newer_optimizers" /
                       "cases.json").read_text())["multi"]
    got = run_multi(tf)
    for key in ("iterations", "slots", "optimizers", "config", "lookups"):
        assert got[key] == want[key], key
    for a, b in zip(got["values"], want["values"]):  # the losses' sums: to rounding
        np.testing.assert_allclose(a, b, rtol=2e-6, atol=1e-7)
    chosen = tf.keras.optimizers.OptimizerMap(tf.keras.optimizers.SGD())
    chosen["a/.*"] = tf.keras.optimizers.Adam()
    with pytest.raises(ValueError, match="'a/.\\*' already exists in the OptimizerMap"):
        chosen["a/.*"] = tf.keras.optimizers.SGD()
    with pytest.raises(AttributeError, match="Learning rate cannot be accessed on a "
                       "MultiOptimizer"):
        tf.keras.optimizers.MultiOptimizer(chosen).learning_rate


def test_steps_equal_tensorflows():
    import tapeflow as tf
    want = json.loads((pathlib.Path(__file__).parent / "fixtures" / "newer_optimizers" /
                       "cases.json").read_text())
    for name, (kind, settings) in SETTINGS.items():
        got = run(tf, kind, settings)
        assert got["slots"] == want[name]["slots"] and got["config"] == want[name]["config"]
        for step, (a, b) in enumerate(zip(got["values"], want[name]["values"])):
            for x, y in zip(a, b):  # Muon's matrix products sum in BLAS's order: an ulp
                np.testing.assert_allclose(x, y, rtol=3e-7, atol=1e-7, err_msg=f"{name} {step}")
    assert type(tf.keras.optimizers.get("muon")).__name__ == "Muon"
    assert type(tf.keras.optimizers.get("schedulefreeadamw")).__name__ == "ScheduleFreeAdamW"
