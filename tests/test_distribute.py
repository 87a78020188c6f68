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


def test_several_replicas_in_one_process_are_refused_clearly():
    for make in (lambda: tf.distribute.MirroredStrategy(devices=["/gpu:0", "/gpu:1"]),
                 lambda: tf.distribute.experimental.ParameterServerStrategy(None)):
        with pytest.raises(NotImplementedError, match="tapeflow.horovod"):
            make()


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
