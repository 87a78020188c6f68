"""tf.distribute over two replicas in one process: the snippets of distribute_replica_cases.py
print what TF 2.21 printed on two logical CPU devices, and the training runs of
distribute_replica_training.py (TF's custom-training tutorial pattern, Keras fit) give TF's
losses, metrics and weights (tests/fixtures/distribute_replicas,
tools/record_distribute_replica_fixtures.py)."""

import json
import pathlib

import numpy as np
import pytest

import tapeflow as tf
import distribute_replica_training as runs
from distribute_cases import text
from distribute_replica_cases import CASES

FIXTURES = pathlib.Path(__file__).parent / "fixtures" / "distribute_replicas"
PRINTED = json.loads((FIXTURES / "cases.json").read_text())


def _trained(name):
    return json.loads((FIXTURES / "training.json").read_text())[name]


@pytest.mark.parametrize("name", sorted(CASES))
def test_prints_what_tensorflow_prints(name):
    scope = {"tf": tf, "S": tf.distribute.MirroredStrategy(runs.STRATEGY)}
    exec(CASES[name], scope)  # noqa: S102 - the recorded snippets
    assert text(scope["out"]) == PRINTED[name]


def _close(got, want, rtol):
    assert got.keys() == want.keys()
    for key in want:
        if key == "weights":
            for a, b in zip(got[key], want[key], strict=True):
                np.testing.assert_allclose(a, b, rtol=rtol, atol=rtol)
        else:
            np.testing.assert_allclose(got[key], want[key], rtol=rtol, err_msg=key)


@pytest.mark.parametrize("name", sorted(runs.RUNS))
def test_training_gives_tensorflows_numbers(name):
    _close(runs.RUNS[name](tf), _trained(name), rtol=1e-5)


def test_fit_on_two_replicas_equals_fit_on_one_with_the_global_batch():
    two = runs.keras_fit(tf)
    one = runs.keras_fit(tf, tf.distribute.get_strategy())
    _close(two, one, rtol=1e-5)


def test_adam_built_inside_the_traced_replicated_step():
    """TF 2.21 on logical CPUs fails here (the recorded run builds the optimizer first); the
    slots made lazily by the first step give the same numbers."""
    _close(runs.custom_loop_adam(tf, build=False), _trained("custom_loop_adam"), rtol=1e-5)


def test_a_failing_replica_stops_the_others_waiting_at_a_merge():
    import threading
    before = threading.active_count()
    strategy = tf.distribute.MirroredStrategy(runs.STRATEGY)

    def step():
        ctx = tf.distribute.get_replica_context()
        if int(ctx.replica_id_in_sync_group) == 1:
            raise KeyError("replica 1 fails")
        return ctx.all_reduce("SUM", 1.0)
    with pytest.raises(KeyError, match="replica 1 fails"):
        strategy.run(step)
    assert threading.active_count() == before
    total = strategy.run(lambda: tf.distribute.get_replica_context().all_reduce("SUM", 2.0))
    assert [float(t) for t in strategy.experimental_local_results(total)] == [4.0, 4.0]


def test_evaluate_and_predict_on_two_replicas_equal_one():
    images, labels = runs._data(19)

    def run(strategy):
        with strategy.scope():
            model = runs._model(tf)
            model.compile(loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                          metrics=["accuracy"])
        return model.evaluate(images, labels, batch_size=8, verbose=0), model.predict(
            images, batch_size=8, verbose=0)
    (loss2, acc2), pred2 = run(tf.distribute.MirroredStrategy(runs.STRATEGY))
    (loss1, acc1), pred1 = run(tf.distribute.get_strategy())
    np.testing.assert_allclose(pred2, pred1, rtol=1e-6)
    assert acc2 == acc1
    np.testing.assert_allclose(loss2, loss1, rtol=1e-6)
