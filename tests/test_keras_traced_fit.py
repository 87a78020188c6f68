"""``fit``/``evaluate``/``train_on_batch``/``test_on_batch`` run ``train_step``/``test_step`` as
traced graphs (as Keras compiles them): the same weights, history and logs as ``run_eagerly``,
the graph really used, TF's trace counts (tests/fixtures/keras_traced_fit, recorded with TF by
tools/record_keras_traced_fit_fixtures.py), and the eager step where no graph can be made."""

import json
import pathlib

import numpy as np
import pytest

import tapeflow as tf
from tapeflow.keras.models import compiled_step

import keras_traced_fit_cases as cases
from test_keras_predict_graph import LAYER_STACKS

keras = tf.keras
L = keras.layers
FIXTURES = pathlib.Path(__file__).parent / "fixtures" / "keras_traced_fit"
RNG = np.random.default_rng(0)
X = RNG.standard_normal((70, 6)).astype(np.float32)  # batches of 32, 32 and 6
Y_CLASS = RNG.integers(0, 3, 70)
Y_REG = RNG.standard_normal((70, 2)).astype(np.float32)
SW = RNG.uniform(0.1, 2.0, 70).astype(np.float32)


class LogRecorder(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.seen = []

    def on_train_batch_end(self, batch, logs=None):
        self.seen.append(("batch", batch, dict(logs)))

    def on_epoch_end(self, epoch, logs=None):
        self.seen.append(("epoch", epoch, dict(logs)))


class CustomStep(keras.Model):
    """A subclassed model with its own train_step (Keras 3's documented pattern)."""

    def __init__(self):
        super().__init__()
        self.hidden = L.Dense(5, activation="tanh")
        self.out = L.Dense(2)
        self.mae = keras.metrics.MeanAbsoluteError(name="mae")
        self.loss_mean = keras.metrics.Mean(name="loss")

    def call(self, x):
        return self.out(self.hidden(x))

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = tf.reduce_mean(tf.square(y - y_pred))
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply(grads, self.trainable_variables)
        self.loss_mean.update_state(loss)
        self.mae.update_state(y, y_pred)
        return {"loss": self.loss_mean.result(), "mae": self.mae.result()}

    @property
    def metrics(self):
        return [self.loss_mean, self.mae]


class AddsLoss(L.Layer):
    def call(self, x):
        self.add_loss(0.01 * tf.reduce_sum(tf.square(x)))
        return x


def _mlp():
    model = keras.Sequential([keras.Input((6,)), L.Dense(8, activation="relu"),
                              L.Dense(3, activation="softmax")])
    return model, dict(optimizer="adam", loss="sparse_categorical_crossentropy",
                       metrics=["accuracy"]), (X, Y_CLASS), {}


def _two_inputs():
    a, b = keras.Input((4,), name="a"), keras.Input((2,), name="b")
    h = L.Concatenate()([L.Dense(3, activation="relu")(a), b])
    model = keras.Model([a, b], L.Dense(2)(h))
    return model, dict(optimizer=keras.optimizers.SGD(0.05, momentum=0.9), loss="mse",
                       metrics=["mae"]), ([X[:, :4], X[:, 4:]], Y_REG), {}


def _custom_step():
    return CustomStep(), dict(optimizer="rmsprop", loss="mse"), (X, Y_REG), {}


def _dropout_batchnorm():
    model = keras.Sequential([keras.Input((6,)), L.Dense(8), L.Dropout(0.4),
                              L.BatchNormalization(), L.Dense(3, activation="softmax")])
    return model, dict(optimizer="adam", loss="sparse_categorical_crossentropy",
                       metrics=["accuracy"]), (X, Y_CLASS), {}


def _rnn():
    model = keras.Sequential([keras.Input((3, 2)), L.GRU(4), L.Dense(2)])
    return model, dict(optimizer="adam", loss="mse"), (X.reshape(70, 3, 2), Y_REG), {}


def _add_loss_metrics():
    model = keras.Sequential([keras.Input((6,)), L.Dense(4, kernel_regularizer="l2"),
                              AddsLoss(), L.Dense(2)])
    return model, dict(optimizer="adam", loss="mse", metrics=[
        "mae", keras.metrics.RootMeanSquaredError(), keras.metrics.MeanSquaredError()]), \
        (X, Y_REG), {}


def _sample_weights():
    model, compiled, data, _ = _mlp()
    return model, compiled, data, {"sample_weight": SW}


MODELS = {"mlp": _mlp, "two_inputs": _two_inputs, "custom_train_step": _custom_step,
          "dropout_batchnorm": _dropout_batchnorm, "rnn": _rnn,
          "add_loss_metrics": _add_loss_metrics, "sample_weights": _sample_weights}


def _fit(make, eager):
    keras.utils.set_random_seed(0)
    model, compiled, (x, y), extra = make()
    model.compile(**compiled, run_eagerly=eager)
    recorder = LogRecorder()
    val = (x, y) if not isinstance(x, list) else ([v[:20] for v in x], y[:20])
    history = model.fit(x, y, batch_size=32, epochs=2, verbose=0, callbacks=[recorder],
                        validation_data=val, **extra)
    evaluated = model.evaluate(x, y, batch_size=32, verbose=0, return_dict=True)
    return model, history.history, recorder.seen, evaluated


def _close(a, b):
    np.testing.assert_allclose(a, b, rtol=2e-5, atol=1e-6)


@pytest.mark.parametrize("name", MODELS)
def test_traced_fit_equals_eager(name):
    traced, history, seen, evaluated = _fit(MODELS[name], eager=False)
    eager, e_history, e_seen, e_evaluated = _fit(MODELS[name], eager=True)
    for a, b in zip(traced.get_weights(), eager.get_weights(), strict=True):
        _close(a, b)
    assert history.keys() == e_history.keys() and evaluated.keys() == e_evaluated.keys()
    for k in history:
        _close(history[k], e_history[k])
        assert all(type(v) is float for v in history[k])
    for k in evaluated:
        _close(evaluated[k], e_evaluated[k])
    assert [s[:2] for s in seen] == [s[:2] for s in e_seen]
    for (_, _, logs), (_, _, e_logs) in zip(seen, e_seen):
        assert logs.keys() == e_logs.keys()
        _close([logs[k] for k in logs], [e_logs[k] for k in logs])
    # the graph path ran: one graph for the training steps (the last, shorter batch included)
    # and one for the validation/evaluation steps; eagerly none
    for step in ("train_step", "test_step"):
        graph = traced.__dict__[f"_keras_{step}_graph"]
        graphs = list(graph._graphs.values())
        assert graph.traces >= 1 and compiled_step._UNTRACEABLE not in graphs
        assert f"_keras_{step}_graph" not in eager.__dict__
    # one graph with the batch size unknown (70 rows in batches of 32: the data's spec, as
    # TF's), dropout's noise drawn to each batch's size when it runs
    assert traced._keras_train_step_graph.traces == 1


def test_on_batch_methods_traced_equal_eager():
    results = []
    for eager in (False, True):
        keras.utils.set_random_seed(0)
        model, compiled, (x, y), _ = _add_loss_metrics()
        model.compile(**compiled, run_eagerly=eager)
        logs = [model.train_on_batch(x[:16], y[:16], return_dict=True),
                model.train_on_batch(x[16:26], y[16:26], return_dict=True),
                model.test_on_batch(x[:16], y[:16], return_dict=True)]
        results.append((logs, model.get_weights()))
        assert ("_keras_train_step_graph" in model.__dict__) is not eager
    (logs, weights), (e_logs, e_weights) = results
    for a, b in zip(logs, e_logs):
        assert a.keys() == b.keys()
        _close(list(a.values()), list(b.values()))
    for a, b in zip(weights, e_weights):
        _close(a, b)


def test_python_step_code_runs_as_often_as_in_tf():
    want = json.loads((FIXTURES / "call_counts.json").read_text())
    got = cases.call_counts(keras)
    # Known difference: fit builds an unbuilt subclassed model by a call before its first step;
    # Keras builds it in the first trace, whose new variables make TF trace twice.
    assert want["compiled"].pop("fit_2_epochs_train") == 2
    assert got["compiled"].pop("fit_2_epochs_train") == 1
    assert got == want


def test_run_functions_eagerly_and_run_eagerly_attribute():
    calls = []
    model = cases.counting_model(keras, calls)
    model.compile("sgd", "mse")
    tf.config.run_functions_eagerly(True)
    try:
        model.fit(cases.X, cases.Y, batch_size=50, epochs=1, verbose=0)
    finally:
        tf.config.run_functions_eagerly(False)
    assert calls == ["train"] * 2
    calls.clear()
    model.fit(cases.X, cases.Y, batch_size=50, epochs=2, verbose=0)
    assert calls == ["train"]  # traced once, reused in the second epoch


def test_recompile_retraces():
    model, compiled, (x, y), _ = _mlp()
    model.compile(**compiled)
    model.fit(x, y, batch_size=32, epochs=1, verbose=0)
    first = model._keras_train_step_graph
    model.compile(optimizer=keras.optimizers.SGD(0.0), loss="sparse_categorical_crossentropy")
    before = model.get_weights()
    model.fit(x, y, batch_size=32, epochs=1, verbose=0)  # the new optimizer (lr 0) applies
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert model._keras_train_step_graph is first and first.traces == 2


class NeedsBatchSize(L.Layer):
    """Reads the batch size as a Python int: traceable only with a known batch size."""

    def call(self, x):
        return x + tf.zeros((int(x.shape[0]), x.shape[1]))


class NeedsValues(L.Layer):
    """Reads the values in Python: no graph at all."""

    def call(self, x):
        return x * float(np.asarray(x).std() > 0)


@pytest.mark.parametrize("layer, per_batch", [(NeedsBatchSize, True), (NeedsValues, False)])
def test_fallbacks_give_the_eager_results(layer, per_batch):
    out = []
    for eager in (False, True):
        keras.utils.set_random_seed(0)
        model = keras.Sequential([keras.Input((6,)), layer(), L.Dense(2)])
        model.compile("adam", "mse", run_eagerly=eager)
        history = model.fit(X, Y_REG, batch_size=32, epochs=2, verbose=0).history
        out.append((history["loss"], model.get_weights()))
    _close(out[0][0], out[1][0])
    for a, b in zip(out[0][1], out[1][1]):
        _close(a, b)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((6,)), layer(), L.Dense(2)])
    model.compile("adam", "mse")
    model.fit(X, Y_REG, batch_size=32, epochs=1, verbose=0)
    graph = model._keras_train_step_graph
    kinds = list(graph._graphs.values())
    if per_batch:  # the unknown batch size failed: a graph for 32 rows and one for the last 6
        assert kinds[0] is compiled_step._PER_BATCH_SIZE and graph.traces == 2
        assert compiled_step._UNTRACEABLE not in kinds
    else:  # tried once with an unknown and once with a known batch size, then eager
        assert kinds == [compiled_step._UNTRACEABLE] * 2 and graph.traces == 0


class Batches(keras.utils.PyDataset):
    """NumPy batches (converted to tensors for the graph)."""

    def __len__(self):
        return 3

    def __getitem__(self, i):
        return X[i * 20:(i + 1) * 20], Y_CLASS[i * 20:(i + 1) * 20]


def _stateful_rnn():  # a fixed batch size: traced per batch size
    model = keras.Sequential([keras.Input((3, 2), batch_size=10), L.SimpleRNN(4, stateful=True),
                              L.Dense(3, activation="softmax")])
    return model, dict(batch_size=10, shuffle=False), lambda m: X.reshape(70, 3, 2)


def _lstm_dropout():  # random values: traced per batch size
    model = keras.Sequential([keras.Input((3, 2)), L.LSTM(4, dropout=0.2, recurrent_dropout=0.1),
                              L.Dense(3, activation="softmax")])
    return model, dict(batch_size=32), lambda m: X.reshape(70, 3, 2)


def _dataset():
    model, *_ = _mlp()
    data = tf.data.Dataset.from_tensor_slices((X, Y_CLASS)).batch(16).repeat()
    return model, dict(steps_per_epoch=3), lambda m: data


def _py_dataset():
    model, *_ = _mlp()
    return model, {}, lambda m: Batches()


@pytest.mark.parametrize("make, traces", [(_stateful_rnn, 1), (_lstm_dropout, 1),
                                          (_dataset, 1), (_py_dataset, 1)])
def test_other_inputs_and_layers(make, traces):
    out = []
    for eager in (False, True):
        keras.utils.set_random_seed(0)
        model, fit_kwargs, data = make()
        model.compile("adam", "sparse_categorical_crossentropy", run_eagerly=eager)
        x = data(model)
        y = None if not isinstance(x, np.ndarray) else Y_CLASS
        history = model.fit(x, y, epochs=2, verbose=0, **fit_kwargs).history
        out.append((history["loss"], model.get_weights(), model))
    _close(out[0][0], out[1][0])
    for a, b in zip(out[0][1], out[1][1]):
        _close(a, b)
    graph = out[0][2]._keras_train_step_graph
    assert graph.traces == traces and compiled_step._UNTRACEABLE not in graph._graphs.values()


def test_step_functions_as_keras():
    want = json.loads((FIXTURES / "step_functions.json").read_text())
    assert cases.step_functions(tf) == want


FIT_STACKS = {name: stack for name, stack in LAYER_STACKS.items()
              if name != "augmentation_at_inference"} | {
    "random_layers_training": ((8, 8, 3), lambda: [
        L.RandomFlip(), L.RandomRotation(0.1), L.RandomZoom(0.1), L.RandomContrast(0.2),
        L.SpatialDropout2D(0.3), L.GaussianNoise(0.2), L.AlphaDropout(0.2)], "float"),
    "activity_regularizer": ((6,), lambda: [L.Dense(4, activity_regularizer="l1"),
                                            L.ActivityRegularization(l2=0.01)], "float"),
}


@pytest.mark.parametrize("with_input", [True, False])
@pytest.mark.parametrize("name", FIT_STACKS)
def test_layers_train_through_the_graph(name, with_input):
    """Each layer family trained traced and eagerly (batches of 32, 32 and 6), in a Sequential
    with and without an Input: the same weights; one graph for every batch size unless the step
    draws random values."""
    shape, layers, kind = FIT_STACKS[name]
    rng = np.random.default_rng(0)
    if kind == "int":
        x = rng.integers(0, 5, (70,) + shape).astype("int32")
    else:
        x = rng.normal(size=(70,) + shape).astype("float32")
    y = rng.normal(size=(70, 2)).astype("float32")
    out = []
    for eager in (False, True):
        keras.utils.set_random_seed(1)
        first = [keras.Input(shape, dtype="int32" if kind == "int" else None)] * with_input
        model = keras.Sequential([*first, *layers(), L.Flatten(), L.Dense(2)])
        model.compile("adam", "mse", run_eagerly=eager)
        out.append((model.fit(x, y, batch_size=32, epochs=2, verbose=0).history["loss"],
                    model.get_weights(), model))
    np.testing.assert_allclose(out[0][0], out[1][0], rtol=1e-4, atol=1e-6)
    for a, b in zip(out[0][1], out[1][1], strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
    graph = out[0][2]._keras_train_step_graph
    assert compiled_step._UNTRACEABLE not in graph._graphs.values()
    assert graph.traces == 1  # random layers too: their draws take each batch's size


def test_steps_receive_what_keras_gives_them():
    want = json.loads((FIXTURES / "step_data.json").read_text())
    assert cases.step_data(tf) == want


class PairTrainer(keras.Model):
    """Two sub-models and two optimizers, no ``call`` (never built itself), fitted on inputs
    alone, drawing noise of each batch's size: the shape of a GAN's train_step."""

    def __init__(self):
        super().__init__()
        self.make = keras.Sequential([keras.Input((4,)), L.Dense(6)])
        self.judge = keras.Sequential([keras.Input((6,)), L.Dense(1)])
        self.judge_loss = keras.metrics.Mean(name="judge_loss")

    @property
    def metrics(self):
        return [self.judge_loss]

    def compile(self, **kwargs):
        super().compile(**kwargs)
        self.opt_make, self.opt_judge = keras.optimizers.Adam(), keras.optimizers.SGD(0.1)

    def train_step(self, real):
        n = tf.shape(real)[0]
        made = self.make(tf.random.normal((n, 4)))
        both = tf.concat([made, real], axis=0)
        labels = tf.concat([tf.ones((n, 1)), tf.zeros((n, 1))], axis=0)
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(self.judge(both) - labels))
        grads = tape.gradient(loss, self.judge.trainable_weights)
        self.opt_judge.apply_gradients(zip(grads, self.judge.trainable_weights))
        with tf.GradientTape() as tape:
            fooled = tf.reduce_mean(tf.square(self.judge(self.make(tf.random.normal((n, 4))))))
        grads = tape.gradient(fooled, self.make.trainable_weights)
        self.opt_make.apply_gradients(zip(grads, self.make.trainable_weights))
        self.judge_loss.update_state(loss)
        return {"judge_loss": self.judge_loss.result()}


def test_model_without_call_trains_through_the_graph():
    out = []
    for eager in (False, True):
        keras.utils.set_random_seed(0)
        model = PairTrainer()
        model.compile(run_eagerly=eager)
        history = model.fit(X, batch_size=32, epochs=2, verbose=0).history
        out.append((history["judge_loss"], model.get_weights(), model))
    _close(out[0][0], out[1][0])
    for a, b in zip(out[0][1], out[1][1], strict=True):
        _close(a, b)
    assert not out[0][2].built  # as in Keras
    assert out[0][2]._keras_train_step_graph.traces == 1  # its noise takes each batch's size


class BuildsInStep(keras.Model):
    """No call: its layers are first built inside the traced train_step."""

    def __init__(self):
        super().__init__()
        self.norm = L.Normalization(mean=1.0, variance=4.0)  # build assigns mean and variance
        self.dense = L.Dense(2)

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(self.dense(self.norm(x)) - y))
        grads = tape.gradient(loss, self.dense.trainable_weights)
        self.optimizer.apply(grads, self.dense.trainable_weights)
        return {"loss": loss}


def test_layers_built_inside_a_trace_build_eagerly():
    out = []
    for eager in (False, True):
        keras.utils.set_random_seed(0)
        model = BuildsInStep()
        model.compile("sgd", run_eagerly=eager)
        out.append(model.fit(X, Y_REG, batch_size=32, epochs=2, verbose=0).history["loss"])
        np.testing.assert_allclose(model.norm.adapt_variance.numpy(), [4.0] * 6)
    _close(out[0], out[1])


@pytest.mark.parametrize("name", ["subclassed", "counts", "dataset", "steps_per_execution",
                                  "operators"])
def test_call_sees_what_it_sees_under_tensorflow(name):
    """fit/evaluate trace on the data's batch spec, predict and train_on_batch on the first
    batch's size and then any: ``call`` runs as often, with the same shapes, as under TF 2.21
    (tests/fixtures/keras_traces, tools/record_keras_trace_fixtures.py)."""
    import json
    import pathlib

    from keras_trace_cases import CASES
    want = json.loads((pathlib.Path(__file__).parent / "fixtures" / "keras_traces" /
                       "cases.json").read_text())[name]
    log = []
    exec(CASES[name], {"tf": tf, "np": np, "log": log})  # noqa: S102 - the recorded snippets
    assert json.loads(json.dumps(log)) == want
