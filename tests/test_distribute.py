"""tf.distribute on one replica: the snippets of distribute_cases.py print what TF 2.21 prints
(tests/fixtures/distribute/cases.json, tools/record_distribute_fixtures.py), and training
inside a strategy's scope equals training outside it."""

import json
import pathlib

import numpy as np
import pytest

import tapeflow as tf
from distribute_cases import CASES, text

FIXTURES = json.loads((pathlib.Path(__file__).parent / "fixtures" / "distribute" /
                       "cases.json").read_text())


@pytest.mark.parametrize("name", sorted(CASES))
def test_prints_what_tensorflow_prints(name):
    scope = {"tf": tf}
    exec(CASES[name], scope)  # noqa: S102 - the recorded snippets
    assert text(scope["out"]) == FIXTURES[name]


def test_several_workers_are_refused_clearly(monkeypatch):
    monkeypatch.setenv("TF_CONFIG", '{"cluster": {"worker": ["a:1", "b:1"]}, '
                                    '"task": {"type": "worker", "index": 0}}')
    for make in (tf.distribute.MultiWorkerMirroredStrategy,
                 lambda: tf.distribute.experimental.ParameterServerStrategy(None)):
        with pytest.raises(NotImplementedError, match="tapeflow.horovod"):
            make()


def test_several_replicas_share_out_batches_and_all_reduce():
    strategy = tf.distribute.MirroredStrategy(devices=["/gpu:0", "/gpu:1"])
    assert strategy.num_replicas_in_sync == 2
    data = tf.data.Dataset.range(10).batch(5)
    parts = [strategy.experimental_local_results(b)
             for b in strategy.experimental_distribute_dataset(data)]
    assert [[p.numpy().tolist() for p in batch] for batch in parts] == [
        [[0, 1, 2], [3, 4]], [[5, 6, 7], [8, 9]]]
    per = strategy.experimental_distribute_values_from_function(
        lambda ctx: tf.constant([ctx.replica_id_in_sync_group]))
    assert strategy.reduce("SUM", per, axis=None).numpy().tolist() == [1]
    assert strategy.gather(per, axis=0).numpy().tolist() == [0, 1]
    from_fn = strategy.distribute_datasets_from_function(
        lambda ctx: tf.data.Dataset.range(6).batch(ctx.get_per_replica_batch_size(4)))
    assert [[p.numpy().tolist() for p in strategy.experimental_local_results(b)]
            for b in from_fn] == [[[0, 1], [2, 3]], [[4, 5], []]]  # (all as TF 2.21)
    with strategy.scope():
        v = tf.Variable(1.0, name="w")
    assert str(v) == ("MirroredVariable:{\n  0: <tf.Variable 'w:0' shape=() dtype=float32, "
                      "numpy=1.0>,\n  1: <tf.Variable 'w/replica_1:0' shape=() dtype=float32, "
                      "numpy=1.0>\n}")
    summed = strategy.run(lambda: tf.distribute.get_replica_context().all_reduce("SUM", 1.0))
    assert [float(t) for t in strategy.experimental_local_results(summed)] == [2.0, 2.0]


def _train(strategy):
    """The custom loop of TF's distributed-training guide, 6 steps, under ``strategy``."""
    tf.keras.utils.set_random_seed(3)
    with strategy.scope():
        model = tf.keras.Sequential([tf.keras.Input((1,)), tf.keras.layers.Dense(
            1, kernel_regularizer=tf.keras.regularizers.L2(1e-4))])
        optimizer = tf.keras.optimizers.SGD()
    loss_object = tf.keras.losses.BinaryCrossentropy(
        from_logits=True, reduction=tf.keras.losses.Reduction.NONE)

    def step(inputs):
        features, labels = inputs
        with tf.GradientTape() as tape:
            per_example = loss_object(labels, model(features, training=True))
            loss = tf.nn.compute_average_loss(per_example)
            loss += tf.nn.scale_regularization_loss(tf.add_n(model.losses))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    @tf.function
    def distributed_step(inputs):
        per_replica = strategy.run(step, args=(inputs,))
        return strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica, axis=None)

    data = tf.data.Dataset.from_tensors(([1.], [1.])).repeat(60).batch(10)
    losses = [float(distributed_step(x)) for x in strategy.experimental_distribute_dataset(data)]
    return losses, [w.numpy() for w in model.weights]


def test_a_training_loop_under_a_strategy_equals_the_same_loop_without():
    plain_losses, plain_weights = _train(tf.distribute.get_strategy())
    for strategy in (tf.distribute.MirroredStrategy(), tf.distribute.OneDeviceStrategy("/cpu:0")):
        losses, weights = _train(strategy)
        assert losses == plain_losses and len(losses) == 6
        for a, b in zip(weights, plain_weights):
            np.testing.assert_array_equal(a, b)


def test_keras_fit_inside_a_scope():
    def fit(scope):
        tf.keras.utils.set_random_seed(1)
        with scope:
            model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(2)])
            model.compile("adam", "mse")
        x = np.arange(24, dtype=np.float32).reshape(8, 3) / 24
        history = model.fit(x, np.ones((8, 2), np.float32), epochs=2, batch_size=4, verbose=0)
        return history.history["loss"], model.get_weights()

    import contextlib
    base_loss, base_weights = fit(contextlib.nullcontext())
    loss, weights = fit(tf.distribute.MirroredStrategy().scope())
    assert loss == base_loss
    for a, b in zip(weights, base_weights):
        np.testing.assert_array_equal(a, b)
