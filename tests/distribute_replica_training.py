"""Training runs over two replicas (``MirroredStrategy(["/cpu:0", "/cpu:1"])``), each a function
of the ``tf`` module that returns its numbers (losses, metrics, weights as lists): run under
TensorFlow with two logical CPU devices by tools/record_distribute_replica_fixtures.py, and under
tapeflow by tests/test_distribute_replicas.py. The custom loop is the pattern of TF's
custom-training tutorial (tutorials/distribute/custom_training) on a small model and data."""

import numpy as np

STRATEGY = ["/cpu:0", "/cpu:1"]


def _data(n=19):
    rng = np.random.default_rng(7)
    images = rng.random((n, 6, 6, 1)).astype(np.float32)
    labels = rng.integers(0, 3, n).astype(np.int64)
    return images, labels


def _model(tf):
    regularizer = tf.keras.regularizers.L2(1e-2)
    model = tf.keras.Sequential([
        tf.keras.Input((6, 6, 1)),
        tf.keras.layers.Conv2D(3, 3, activation="relu", kernel_regularizer=regularizer),
        tf.keras.layers.MaxPooling2D(),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(5, activation="relu", kernel_regularizer=regularizer),
        tf.keras.layers.Dense(3, kernel_regularizer=regularizer)])
    model.set_weights([np.sin(np.arange(w.size) * 0.7 + k).reshape(w.shape).astype(np.float32)
                       * 0.5 for k, w in enumerate(model.get_weights())])
    return model


def _weights(model):
    return [np.asarray(w).ravel().tolist() for w in model.get_weights()]


def _custom_loop(tf, make_optimizer, epochs=2, build=True, whole_epoch=False, eager=False):
    strategy = tf.distribute.MirroredStrategy(STRATEGY)
    images, labels = _data()
    global_batch = 8
    train = tf.data.Dataset.from_tensor_slices((images, labels)).batch(global_batch)
    test = tf.data.Dataset.from_tensor_slices((images[:10], labels[:10])).batch(global_batch)
    train_dist = strategy.experimental_distribute_dataset(train)
    test_dist = strategy.experimental_distribute_dataset(test)
    with strategy.scope():
        loss_object = tf.keras.losses.SparseCategoricalCrossentropy(
            from_logits=True, reduction=tf.keras.losses.Reduction.NONE)

        def compute_loss(labels, predictions, model_losses):
            loss = tf.nn.compute_average_loss(loss_object(labels, predictions))
            if model_losses:
                loss += tf.nn.scale_regularization_loss(tf.add_n(model_losses))
            return loss
        test_loss = tf.keras.metrics.Mean(name="test_loss")
        train_accuracy = tf.keras.metrics.SparseCategoricalAccuracy(name="train_accuracy")
        test_accuracy = tf.keras.metrics.SparseCategoricalAccuracy(name="test_accuracy")
        model = _model(tf)
        optimizer = make_optimizer(tf)
        if build:  # TF 2.21 on logical CPU devices fails to make Adam's slots inside the
            optimizer.build(model.trainable_variables)  # traced step (an unfed placeholder)

    def train_step(inputs):
        images, labels = inputs
        with tf.GradientTape() as tape:
            predictions = model(images, training=True)
            loss = compute_loss(labels, predictions, model.losses)
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))
        train_accuracy.update_state(labels, predictions)
        return loss

    def test_step(inputs):
        images, labels = inputs
        predictions = model(images, training=False)
        test_loss.update_state(loss_object(labels, predictions))
        test_accuracy.update_state(labels, predictions)

    def distributed_train_step(dataset_inputs):
        per_replica_losses = strategy.run(train_step, args=(dataset_inputs,))
        return strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica_losses, axis=None)
    if not eager:
        distributed_train_step = tf.function(distributed_train_step)

    @tf.function
    def distributed_test_step(dataset_inputs):
        return strategy.run(test_step, args=(dataset_inputs,))

    @tf.function
    def distributed_train_epoch(dataset):
        total_loss = 0.0
        num_batches = 0
        for x in dataset:
            per_replica_losses = strategy.run(train_step, args=(x,))
            total_loss += strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica_losses,
                                          axis=None)
            num_batches += 1
        return total_loss / tf.cast(num_batches, dtype=tf.float32)

    out = {"loss": [], "accuracy": [], "test_loss": [], "test_accuracy": []}
    for _ in range(epochs):
        if whole_epoch:
            out["loss"].append(float(distributed_train_epoch(train_dist)))
        else:
            total_loss, num_batches = 0.0, 0
            for x in train_dist:
                total_loss += distributed_train_step(x)
                num_batches += 1
            out["loss"].append(float(total_loss / num_batches))
        for x in test_dist:
            distributed_test_step(x)
        out["accuracy"].append(float(train_accuracy.result() * 100))
        out["test_loss"].append(float(test_loss.result()))
        out["test_accuracy"].append(float(test_accuracy.result() * 100))
        for metric in (test_loss, train_accuracy, test_accuracy):
            metric.reset_state()
    out["weights"] = _weights(model)
    out["iterations"] = int(optimizer.iterations.numpy())
    return out


def custom_loop_sgd(tf):
    return _custom_loop(tf, lambda tf: tf.keras.optimizers.SGD(0.5))


def custom_loop_clipped(tf):
    """Each replica clips its own gradients before they are summed (Keras on TF)."""
    return _custom_loop(tf, lambda tf: tf.keras.optimizers.SGD(0.5, clipnorm=0.05))


def eager_loop_clipped(tf):
    return _custom_loop(tf, lambda tf: tf.keras.optimizers.Adam(0.01, global_clipnorm=0.1),
                        eager=True)


def custom_loop_adam(tf, build=True):
    return _custom_loop(tf, lambda tf: tf.keras.optimizers.Adam(learning_rate=0.01), build=build)


def epoch_function(tf):
    """The tutorial's last pattern: a whole epoch in one ``tf.function`` over the distributed
    dataset."""
    return _custom_loop(tf, lambda tf: tf.keras.optimizers.SGD(0.5), whole_epoch=True)


def _fit(tf, rows, strategy):
    images, labels = _data(rows)
    with strategy.scope():
        model = _model(tf)
        model.compile(optimizer=tf.keras.optimizers.Adam(0.01), metrics=["accuracy"],
                      loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    history = model.fit(images, labels, batch_size=8, epochs=2, shuffle=False, verbose=0)
    return {**{k: [float(v) for v in vs] for k, vs in history.history.items()},
            "weights": _weights(model)}


def keras_fit(tf, strategy=None):
    """``fit`` under two replicas: each batch of 8 shared out 4 and 4."""
    return _fit(tf, 16, strategy or tf.distribute.MirroredStrategy(STRATEGY))


def keras_fit_uneven(tf):
    """The last batch of 3 shared out 2 and 1: Keras logs the mean of each replica's own
    metrics (over its rows), not the metrics over the global batch."""
    return _fit(tf, 19, tf.distribute.MirroredStrategy(STRATEGY))


def keras_fit_batchnorm(tf):
    """A BatchNormalization layer under two replicas: each normalizes its own rows and keeps its
    own moving statistics (aggregation NONE), which predict's replica then uses; the weights
    read are the first replica's."""
    strategy = tf.distribute.MirroredStrategy(STRATEGY)
    images, labels = _data(16)
    with strategy.scope():
        model = tf.keras.Sequential([tf.keras.Input((6, 6, 1)), tf.keras.layers.Flatten(),
                                     tf.keras.layers.Dense(4, use_bias=False),
                                     tf.keras.layers.BatchNormalization(),
                                     tf.keras.layers.Dense(3)])
        model.set_weights([np.cos(np.arange(w.size) * 0.3 + k).reshape(w.shape).astype(
            np.float32) * 0.5 + (1.0 if k == 4 else 0.0)  # a positive moving variance
                           for k, w in enumerate(model.get_weights())])
        model.compile(optimizer=tf.keras.optimizers.SGD(0.1),
                      loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    history = model.fit(images, labels, batch_size=8, epochs=2, shuffle=False, verbose=0)
    predicted = model.predict(images[:8], batch_size=8, verbose=0)
    return {"loss": [float(v) for v in history.history["loss"]], "weights": _weights(model),
            "predicted": predicted.ravel().tolist()}


RUNS = {"custom_loop_sgd": custom_loop_sgd, "custom_loop_adam": custom_loop_adam,
        "keras_fit": keras_fit, "keras_fit_uneven": keras_fit_uneven,
        "epoch_function": epoch_function, "keras_fit_batchnorm": keras_fit_batchnorm,
        "custom_loop_clipped": custom_loop_clipped, "eager_loop_clipped": eager_loop_clipped}
