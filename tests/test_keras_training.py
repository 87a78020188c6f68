"""compile / fit / evaluate / predict, the progress bar (Keras 3's text, recorded by
tools/record_keras_fixtures.py with times normalised), callbacks and custom train steps."""

import itertools
import json
import math
import pathlib
import re

import numpy as np
import pytest

import tapeflow as tf
from tapeflow.keras.utils import progbar

keras = tf.keras
L = keras.layers
PROGBAR = json.loads((pathlib.Path(__file__).parent / "fixtures" / "keras" /
                      "progbar.json").read_text())


def normalised(text):
    """Times as T; the backspaces over the previous line, and the spaces that pad a shorter
    line over it, as many as depend on the times' widths, dropped."""
    text = re.sub(r"\d+(\.\d+)?(ms|s|us)(/step)?", lambda m: "T" + (m.group(3) or ""), text)
    return re.sub(" *\n", "\n", re.sub("\b+", "", text))


for _key in PROGBAR:
    PROGBAR[_key] = normalised(PROGBAR[_key])


@pytest.fixture
def fake_clock(monkeypatch):
    ticks = itertools.count()
    monkeypatch.setattr(progbar, "clock", lambda: 1000.0 + next(ticks) * 0.001)


def data():
    x = np.random.RandomState(0).rand(100, 4).astype("float32")
    return x, (x.sum(1) > 2).astype("float32")


def small_model():
    m = keras.Sequential([keras.Input((4,)), L.Dense(1, activation="sigmoid")])
    m.set_weights([np.array([[0.5], [-0.25], [0.75], [-1.0]], "float32"),
                   np.array([0.1], "float32")])
    m.compile("sgd", "binary_crossentropy", metrics=["accuracy"])
    return m


@pytest.mark.parametrize("verbose", [1, 2])
def test_fit_evaluate_predict_print_what_keras_prints(verbose, capsys, fake_clock):
    x, y = data()
    m = small_model()
    capsys.readouterr()
    history = m.fit(x, y, batch_size=32, epochs=2, verbose=verbose, validation_split=0.2,
                    shuffle=False)
    assert normalised(capsys.readouterr().out) == PROGBAR[f"fit{verbose}"]
    assert sorted(history.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert history.epoch == [0, 1] and history.params["steps"] == 3
    m.evaluate(x, y, batch_size=50, verbose=verbose)
    assert normalised(capsys.readouterr().out) == PROGBAR[f"evaluate{verbose}"]
    assert m.predict(x, batch_size=50, verbose=verbose).shape == (100, 1)
    assert normalised(capsys.readouterr().out) == PROGBAR[f"predict{verbose}"]


def test_progbar_for_custom_loops(capsys, fake_clock):
    bar = keras.utils.Progbar(5, stateful_metrics=["acc"])
    for i in range(5):
        bar.update(i + 1, values=[("loss", 1.0 / (i + 1)), ("acc", 0.5)])
    assert normalised(capsys.readouterr().out) == PROGBAR["progbar"]


def test_progbar_eta_and_unknown_target(capsys, monkeypatch):
    now = [0.0]
    monkeypatch.setattr(progbar, "clock", lambda: now[0])
    bar = keras.utils.Progbar(100)
    now[0] = 2.0
    bar.update(1)
    now[0] = 4.0
    bar.update(2)
    out = capsys.readouterr().out
    assert "\x1b[1m3:16\x1b[0m 2s/step" in out  # 98 steps left at 2 s each
    bar = keras.utils.Progbar(None)
    bar.update(3)
    assert "      3/Unknown" in capsys.readouterr().out


def test_evaluate_returns_loss_then_metrics_and_on_batch_methods():
    x, y = data()
    m = small_model()
    loss, acc = m.evaluate(x, y, verbose=0)
    assert m.evaluate(x, y, verbose=0, return_dict=True) == {"accuracy": acc, "loss": loss}
    p = np.asarray(m.predict_on_batch(x))
    expected = -np.mean(y * np.log(p[:, 0]) + (1 - y) * np.log(1 - p[:, 0]))
    assert math.isclose(loss, expected, rel_tol=1e-5)
    before = m.get_weights()
    logs = m.train_on_batch(x, y, return_dict=True)
    assert sorted(logs) == ["accuracy", "loss"] and not np.array_equal(before[0],
                                                                      m.get_weights()[0])
    assert math.isclose(m.test_on_batch(x, y)[0], m.evaluate(x, y, batch_size=100, verbose=0)[0],
                        rel_tol=1e-6)


def test_sample_and_class_weights_scale_the_loss():
    x, y = data()
    m = small_model()
    base = m.evaluate(x, y, verbose=0)[0]
    doubled = m.evaluate(x, y, sample_weight=np.full(100, 2.0), verbose=0)[0]
    assert math.isclose(doubled, 2 * base, rel_tol=1e-5)
    m.fit(x, y, epochs=1, class_weight={0: 0.0, 1: 0.0}, verbose=0)  # no gradient at all
    assert np.array_equal(m.get_weights()[0], small_model().get_weights()[0])


def test_fit_on_an_iterable_of_batches_and_steps_per_epoch():
    x, y = data()
    batches = [(x[i:i + 25], y[i:i + 25]) for i in range(0, 100, 25)]
    m = small_model()
    h = m.fit(batches, epochs=2, verbose=0, validation_data=batches[:1])
    assert len(h.history["loss"]) == 2 and "val_loss" in h.history
    h = m.fit(x, y, batch_size=10, epochs=3, steps_per_epoch=4, verbose=0, initial_epoch=1)
    assert h.epoch == [1, 2]


class Recorder(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.calls = []

    def __getattribute__(self, name):
        if name.startswith("on_"):
            calls = object.__getattribute__(self, "calls")
            return lambda *args, **kwargs: calls.append(name)
        return object.__getattribute__(self, name)


def test_callback_hooks_in_order():
    x, y = data()
    rec = Recorder()
    m = small_model()
    m.fit(x[:20], y[:20], batch_size=10, epochs=1, verbose=0, validation_data=(x[:10], y[:10]),
          callbacks=[rec])
    assert rec.calls == [
        "on_train_begin", "on_epoch_begin", "on_train_batch_begin", "on_batch_begin",
        "on_train_batch_end", "on_batch_end", "on_train_batch_begin", "on_batch_begin",
        "on_train_batch_end", "on_batch_end", "on_test_begin", "on_test_batch_begin",
        "on_test_batch_end", "on_test_end", "on_epoch_end", "on_train_end"]
    assert rec.model is m and rec.params["epochs"] == 1


def test_early_stopping_restores_best_weights(capsys):
    x, y = data()
    m = small_model()
    m.compile(keras.optimizers.SGD(learning_rate=0.5), "binary_crossentropy")
    losses = iter([0.5, 0.4, 0.45, 0.6, 0.7, 0.8])
    seen = []

    def fake_val(epoch, logs):
        logs["val_loss"] = next(losses)
        seen.append(m.get_weights()[0].copy())
    stop = keras.callbacks.EarlyStopping(patience=2, restore_best_weights=True, verbose=1)
    h = m.fit(x, y, epochs=10, verbose=0,
              callbacks=[keras.callbacks.LambdaCallback(on_epoch_end=fake_val), stop])
    assert h.epoch == [0, 1, 2, 3] and stop.stopped_epoch == 3 and stop.best_epoch == 1
    np.testing.assert_array_equal(m.get_weights()[0], seen[1])
    assert capsys.readouterr().out == ("Epoch 4: early stopping\nRestoring model weights from "
                                       "the end of the best epoch: 2.\n")


def test_learning_rate_callbacks_and_csv_logger(tmp_path):
    x, y = data()
    m = small_model()
    m.compile(keras.optimizers.SGD(learning_rate=0.1), "binary_crossentropy")
    sched = keras.callbacks.LearningRateScheduler(lambda epoch, lr: lr * 0.5)
    path = tmp_path / "log.csv"
    h = m.fit(x, y, epochs=3, verbose=0,
              callbacks=[sched, keras.callbacks.CSVLogger(str(path))])
    np.testing.assert_allclose(h.history["learning_rate"], [0.05, 0.025, 0.0125], rtol=1e-6)
    rows = path.read_text().splitlines()
    assert rows[0] == "epoch,learning_rate,loss" and rows[1].startswith("0,0.05")
    plateau = keras.callbacks.ReduceLROnPlateau(monitor="loss", patience=1, factor=0.5,
                                                min_delta=10.0)
    m.compile(keras.optimizers.SGD(learning_rate=0.1), "binary_crossentropy")
    m.fit(x, y, epochs=3, verbose=0, callbacks=[plateau])
    assert math.isclose(float(np.asarray(m.optimizer.learning_rate)), 0.025, rel_tol=1e-6)


def test_terminate_on_nan(capsys):
    x, y = data()
    m = keras.Sequential([keras.Input((4,)), L.Dense(1)])
    m.compile("sgd", "mse")
    y = np.where(np.arange(100) < 30, y, np.nan)  # the fourth batch's loss is NaN
    h = m.fit(x, y, epochs=5, batch_size=10, verbose=0, shuffle=False,
              callbacks=[keras.callbacks.TerminateOnNaN()])
    assert len(h.epoch) == 1 and "Invalid loss, terminating training" in capsys.readouterr().out


def test_custom_train_step_as_in_keras_guide():
    class CustomModel(keras.Model):
        def train_step(self, data):
            x, y = data
            with tf.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = self.compute_loss(y=y, y_pred=y_pred)
            grads = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply(grads, self.trainable_variables)
            for metric in self.metrics:
                if metric.name == "loss":
                    metric.update_state(loss)
                else:
                    metric.update_state(y, y_pred)
            return {m.name: m.result() for m in self.metrics}

    inputs = keras.Input(shape=(32,))
    outputs = L.Dense(1)(inputs)
    model = CustomModel(inputs, outputs)
    model.compile(optimizer="adam", loss="mse", metrics=["mae"])
    # a learnable target (pure noise left the loss's direction to the initial draws' luck)
    x = np.random.RandomState(0).random((200, 32))
    y = x[:, :1] * 0.5 + 0.2
    h = model.fit(x, y, epochs=3, verbose=0)
    assert sorted(h.history) == ["loss", "mae"] and h.history["loss"][2] < h.history["loss"][0]


def test_multi_output_loss_weights_and_regularization():
    inp = keras.Input((4,))
    h = L.Dense(4, kernel_regularizer=keras.regularizers.L2(0.01))(inp)
    m = keras.Model(inp, [L.Dense(1, name="a")(h), L.Dense(2, name="b")(h)])
    m.compile("adam", loss=["mse", "mse"], loss_weights=[1.0, 0.5])
    x = np.random.rand(8, 4).astype("float32")
    ya, yb = np.random.rand(8, 1), np.random.rand(8, 2)
    logs = m.evaluate(x, [ya, yb], verbose=0, return_dict=True)
    pa, pb = m.predict(x, verbose=0)
    reg = 0.01 * float(np.sum(np.asarray(m.layers[1].kernel) ** 2))
    assert math.isclose(logs["a_loss"], np.mean((pa - ya) ** 2), rel_tol=1e-5)
    assert math.isclose(logs["loss"], logs["a_loss"] + 0.5 * logs["b_loss"] + reg, rel_tol=1e-5)
    h = m.fit(x, [ya, yb], epochs=2, verbose=0)
    assert sorted(h.history) == ["a_loss", "b_loss", "loss"]


def test_utils():
    assert keras.utils.to_categorical([0, 2, 1]).tolist() == [[1, 0, 0], [0, 0, 1], [0, 1, 0]]
    keras.utils.set_random_seed(3)
    a = np.asarray(L.Dense(2)(np.ones((1, 3), np.float32)))
    keras.utils.set_random_seed(3)
    b = np.asarray(L.Dense(2)(np.ones((1, 3), np.float32)))
    assert np.array_equal(a, b)
    with pytest.raises(ValueError, match="You must call `compile\\(\\)` before"):
        keras.Sequential([L.Dense(1)]).fit(np.ones((2, 1)), np.ones((2, 1)))


def test_tensorboard_callback_writes_epoch_scalars(tmp_path):
    pytest.importorskip("tensorboard")
    from tb_events import read_run
    x, y = data()
    m = small_model()
    m.fit(x, y, epochs=2, verbose=0, validation_split=0.2,
          callbacks=[keras.callbacks.TensorBoard(log_dir=str(tmp_path))])
    train, val = read_run(tmp_path / "train"), read_run(tmp_path / "validation")
    assert sorted(train) == ["epoch_accuracy", "epoch_learning_rate", "epoch_loss"]
    assert sorted(val) == ["epoch_accuracy", "epoch_loss"]
    assert [e["step"] for e in train["epoch_loss"]["entries"]] == [0, 1]


def test_digits_example_trains_both_models(tmp_path):
    pytest.importorskip("sklearn")
    import os
    import subprocess
    import sys
    root = pathlib.Path(__file__).resolve().parent.parent
    env = dict(os.environ, PYTHONPATH=str(root / "src"))
    out = subprocess.run([sys.executable, str(root / "examples" / "keras_digits.py"), "--epochs",
                          "4", "--verbose", "2"], cwd=tmp_path, env=env, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert 'Model: "mlp"' in out.stdout and 'Model: "cnn"' in out.stdout
    assert "34/34 - " in out.stdout and " - val_accuracy: " in out.stdout
    accuracies = [float(a) for a in re.findall(r"test accuracy (\d\.\d+)", out.stdout)]
    assert len(accuracies) == 2 and min(accuracies) > 0.9


class InMemoryWeights(keras.Sequential):
    """A model whose save_weights/load_weights keep the weights in a dict: the checkpoint
    callbacks' logic is tested apart from the file format (the checkpoint work's part)."""

    store = {}

    def save_weights(self, filepath, overwrite=True):
        self.store[filepath] = self.get_weights()

    def load_weights(self, filepath, skip_mismatch=False):
        self.set_weights(self.store[filepath])


def test_model_checkpoint_saves_best_and_by_epoch(tmp_path, capsys):
    x, y = data()
    m = InMemoryWeights([keras.Input((4,)), L.Dense(1, activation="sigmoid")])
    m.compile("sgd", "binary_crossentropy")
    val = iter([0.5, 0.6, 0.4])
    path = str(tmp_path / "best.weights.h5")
    cb = keras.callbacks.ModelCheckpoint(path, monitor="val_loss", save_best_only=True,
                                         save_weights_only=True, verbose=1)
    fake = keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: logs.__setitem__("val_loss", next(val)))
    m.fit(x, y, epochs=3, verbose=0, callbacks=[fake, cb])
    assert cb.best == 0.4 and path in m.store
    assert capsys.readouterr().out == (
        f"\nEpoch 1: val_loss improved from inf to 0.50000, saving model to {path}\n"
        f"\nEpoch 2: val_loss did not improve from 0.50000\n"
        f"\nEpoch 3: val_loss improved from 0.50000 to 0.40000, saving model to {path}\n")
    each = str(tmp_path / "w{epoch:02d}.weights.h5")
    m.fit(x, y, epochs=2, verbose=0, callbacks=[keras.callbacks.ModelCheckpoint(
        each, save_weights_only=True)])
    assert str(tmp_path / "w02.weights.h5") in m.store
    with pytest.raises(ValueError, match="must end in `.weights.h5`"):
        keras.callbacks.ModelCheckpoint("w.h5", save_weights_only=True)
    with pytest.raises(ValueError, match="The filename must end in `.weights.h5`"):
        keras.Sequential([L.Dense(1)]).save_weights("my_checkpoint")


def test_backup_and_restore_resumes_after_an_interruption(tmp_path):
    x, y = data()

    class Interrupt(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:
                raise RuntimeError("interrupted")
    m = InMemoryWeights([keras.Input((4,)), L.Dense(1)])
    m.compile("sgd", "mse")
    backup = keras.callbacks.BackupAndRestore(str(tmp_path))
    with pytest.raises(RuntimeError):
        m.fit(x, y, epochs=4, verbose=0, callbacks=[backup, Interrupt()])
    saved = m.store[str(tmp_path / "latest.weights.h5")]
    m.set_weights([np.zeros_like(w) for w in saved])
    h = m.fit(x, y, epochs=4, verbose=0, callbacks=[backup])
    assert h.epoch == [2, 3]
    assert not (tmp_path / "training_metadata.json").exists()


def test_fit_on_a_tf_data_dataset_and_an_lstm_text_classifier():
    """A toy corpus: is the word 'good' (id 1) in the sentence? Embedding(mask_zero) + LSTM."""
    rng = np.random.default_rng(0)
    ids = rng.integers(2, 20, (256, 8))
    ids[rng.random((256, 8)) < 0.3] = 0  # padding
    labels = rng.random(256) < 0.5
    ids[labels, rng.integers(0, 8, labels.sum())] = 1
    labels = (ids == 1).any(axis=1).astype("float32")
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((8,), dtype="int32"),
                              L.Embedding(20, 8, mask_zero=True), L.LSTM(8),
                              L.Dense(1, activation="sigmoid")])
    model.compile(keras.optimizers.Adam(0.02), "binary_crossentropy", metrics=["accuracy"])
    ds = tf.data.Dataset.from_tensor_slices((ids, labels)).shuffle(256).batch(32)
    history = model.fit(ds, epochs=12, verbose=0)
    assert history.params["steps"] == 8
    assert model.evaluate(ds, verbose=0, return_dict=True)["accuracy"] > 0.95


def test_keras2_style_train_step_warns_as_keras3_does():
    class Keras2Style(keras.Model):
        def train_step(self, data):
            x, y = data
            with tf.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = self.compiled_loss(y, y_pred, regularization_losses=self.losses)
            grads = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
            self.compiled_metrics.update_state(y, y_pred)
            return {m.name: m.result() for m in self.metrics}
    inputs = keras.Input((3,))
    model = Keras2Style(inputs, L.Dense(1)(inputs))
    model.compile("adam", "mse", metrics=["mae"])
    with pytest.warns(UserWarning) as record:
        h = model.fit(np.ones((8, 3)), np.ones((8, 1)), verbose=0)
    texts = {str(w.message).split(" Instead")[0] for w in record}
    assert texts == {"`model.compiled_loss()` is deprecated.",
                     "`model.compiled_metrics()` is deprecated."}
    assert sorted(h.history) == ["loss", "mae"]
