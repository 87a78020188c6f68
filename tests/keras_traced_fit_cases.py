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


def step_functions(tf):
    """``train_function``/``test_function``/``predict_function`` and ``make_*_function``: when
    they exist, what making one returns, what calling one gives."""
    keras = tf.keras
    data = tf.data.Dataset.from_tensor_slices((X[:8], Y[:8])).batch(4)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    out = {"before_compile": [model.train_function is None, model.test_function is None,
                              model.predict_function is None]}
    model.compile("sgd", "mse", metrics=["mae"])
    out["after_compile"] = model.train_function is None
    made = model.make_train_function()
    out["make_returns_none"] = made is None
    out["made"] = callable(model.train_function)
    out["make_again_returns_it"] = model.make_train_function() is model.train_function
    out["make_forced_returns_none"] = model.make_train_function(force=True) is None
    logs = model.train_function(iter(data))
    out["train_call_logs"] = sorted(logs)
    out["iterations_after_call"] = int(model.optimizer.iterations.numpy())
    model.fit(X, Y, verbose=0)
    kept = model.train_function
    model.fit(X, Y, verbose=0)
    out["fit_keeps_it"] = model.train_function is kept
    out["test_after_fit_with_no_validation"] = model.test_function is None
    model.evaluate(X, Y, verbose=0)
    out["test_after_evaluate"] = callable(model.test_function)
    out["test_call_logs"] = sorted(model.test_function(iter(data)))
    model.predict(X, verbose=0)
    out["predict_after_predict"] = callable(model.predict_function)
    model.compile("sgd", "mse")
    out["compile_drops_them"] = [model.train_function is None, model.test_function is None,
                                 model.predict_function is None]
    model.run_eagerly = True
    model.make_train_function()
    out["made_when_eager"] = callable(model.train_function)
    return out


def _kind(data):
    if isinstance(data, tuple | list):
        return [type(data).__name__] + [_kind(d) for d in data]
    if isinstance(data, dict):
        return {k: _kind(v) for k, v in data.items()}
    return "tensor"


def step_data(tf):
    """The structure ``train_step``/``test_step``/``predict_step`` receive for the inputs alone,
    with targets, several inputs, a dataset of tensors and one of 1-tuples."""
    keras = tf.keras
    seen = []

    class Recording(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(1)

        def call(self, x):
            return self.dense(x[0] if isinstance(x, tuple | list) else x)

        def train_step(self, data):
            seen.append(_kind(data))
            return {"zero": tf.constant(0.0)}

        def test_step(self, data):
            seen.append(_kind(data))
            return {"zero": tf.constant(0.0)}

        def predict_step(self, data):
            seen.append(_kind(data))
            return tf.zeros((2, 1))

    model = Recording()
    model.compile("sgd", "mse", run_eagerly=True)
    x = X[:2]
    out = {}
    runs = {"fit_x": lambda: model.fit(x, verbose=0),
            "fit_x_y": lambda: model.fit(x, Y[:2], verbose=0),
            "fit_two_inputs": lambda: model.fit((x, x), verbose=0),
            "fit_dataset": lambda: model.fit(tf.data.Dataset.from_tensor_slices(x).batch(2),
                                             verbose=0),
            "fit_dataset_1_tuples": lambda: model.fit(
                tf.data.Dataset.from_tensor_slices((x,)).batch(2), verbose=0),
            "evaluate_x": lambda: model.evaluate(x, verbose=0),
            "predict_x": lambda: model.predict(x, verbose=0),
            "predict_two_inputs": lambda: model.predict((x, x), verbose=0)}
    for name, run in runs.items():
        seen.clear()
        run()
        out[name] = seen[0]
    return out
