"""How often Keras runs a custom ``train_step``/``test_step``'s Python code (once per trace when
compiled, once per batch when eager): shared by tools/record_keras_traced_fit_fixtures.py (real
Keras 3 on TF) and tests/test_keras_traced_fit.py (tapeflow), which compare the counts."""

import numpy as np

X = np.linspace(-1, 1, 300, dtype=np.float32).reshape(100, 3)
Y = X.sum(axis=1, keepdims=True)


def counting_model(keras, calls):
    class Counting(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(1)

        def call(self, x):
            return self.dense(x)

        def train_step(self, data):
            calls.append("train")  # a print here runs as often
            return super().train_step(data)

        def test_step(self, data):
            calls.append("test")
            return super().test_step(data)

    return Counting()


def call_counts(keras):
    """The Python step calls of fit/evaluate, compiled and with ``run_eagerly``: 100 rows in
    batches of 32 (the last of 4)."""
    out = {}
    calls = []

    def count(kind):
        n = calls.count(kind)
        calls.clear()
        return n

    for eager in (False, True):
        model = counting_model(keras, calls)
        model.compile("sgd", "mse", run_eagerly=eager)
        model.fit(X, Y, batch_size=32, epochs=2, verbose=0, validation_data=(X, Y))
        row = {"fit_2_epochs_train": calls.count("train"),
               "fit_2_epochs_validation": calls.count("test")}
        calls.clear()
        model.fit(X, Y, batch_size=32, epochs=1, verbose=0)
        row["second_fit_train"] = count("train")
        model.evaluate(X, Y, batch_size=32, verbose=0)
        row["evaluate_after_fit"] = count("test")
        model.evaluate(X, Y, batch_size=10, verbose=0)
        row["evaluate_other_batch_size"] = count("test")
        out["run_eagerly" if eager else "compiled"] = row
    model = counting_model(keras, calls)
    model.compile("sgd", "mse")
    model.run_eagerly = True  # set after compile: still eager
    model.fit(X, Y, batch_size=32, epochs=1, verbose=0)
    out["run_eagerly_set_after_compile"] = count("train")
    model = counting_model(keras, calls)
    model.compile("sgd", "mse")
    model.evaluate(X, Y, batch_size=32, verbose=0)  # never fitted: no variables to create
    out["evaluate_before_fit"] = count("test")
    # A trace that creates variables is traced again: Adam's slots are made in the first step,
    # SGD makes none (the model is built by a call first).
    for optimizer in ("sgd", "adam"):
        model = counting_model(keras, calls)
        model(X[:1])
        model.compile(optimizer, "mse")
        model.fit(X, Y, batch_size=32, epochs=2, verbose=0)
        out[f"built_model_fit_{optimizer}"] = count("train")
    return out
