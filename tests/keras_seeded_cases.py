"""Models built after ``keras.utils.set_random_seed``: their initial weights (Keras 3 seeds every
unseeded initializer and SeedGenerator from Python's ``random`` as it is made), and the
scikit-learn wrappers trained on them. Run under TF by tools/record_keras_seeded_fixtures.py and
under tapeflow by tests/test_keras_seeded.py; each case returns plain data."""

import numpy as np


def _weights(model):
    return [np.asarray(w).ravel()[:4].tolist() for w in model.get_weights()]


def dense_dropout(keras):
    keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"),
                              keras.layers.Dropout(0.5), keras.layers.Dense(3)])
    return _weights(model)


def functional_mixed(keras):
    keras.utils.set_random_seed(7)
    inp = keras.Input((6, 5))
    h = keras.layers.LSTM(4, return_sequences=True)(inp)
    h = keras.layers.GRU(3, dropout=0.1)(h)
    h = keras.layers.GaussianNoise(0.1)(h)
    out = keras.layers.Dense(2, kernel_initializer="he_normal")(h)
    return _weights(keras.Model(inp, out))


def conv_embedding(keras):
    keras.utils.set_random_seed(3)
    conv = keras.Sequential([keras.Input((8, 8, 2)), keras.layers.Conv2D(3, 3),
                             keras.layers.BatchNormalization(), keras.layers.Flatten(),
                             keras.layers.Dense(2, kernel_initializer="lecun_uniform")])
    emb = keras.Sequential([keras.Input((5,)), keras.layers.Embedding(10, 4),
                            keras.layers.SimpleRNN(2)])
    return _weights(conv) + _weights(emb)


def attention(keras):
    keras.utils.set_random_seed(9)
    inp = keras.Input((3, 4))
    h = keras.layers.MultiHeadAttention(2, 3, dropout=0.2)(inp, inp)
    h = keras.layers.Attention(dropout=0.1)([h, inp])
    out = keras.layers.Dense(2)(keras.layers.Flatten()(h))
    model = keras.Model(inp, out)
    x = np.linspace(-1, 1, 24, dtype="float32").reshape(2, 3, 4)
    return _weights(model) + [np.asarray(model(x, training=True)).ravel().tolist()]


def seed_states(keras):
    """A layer's SeedGenerator states are among its variables (not its weights), as Keras's."""
    keras.utils.clear_session()  # names counted from here, whichever cases ran before
    keras.utils.set_random_seed(2)
    model = keras.Sequential([keras.Input((3, 4)), keras.layers.LSTM(2, dropout=0.1,
                                                                       return_sequences=True),
                              keras.layers.Dropout(0.5), keras.layers.Flatten(),
                              keras.layers.GaussianNoise(0.1), keras.layers.Dense(1)])
    paths = lambda vs: [v.path for v in vs]  # noqa: E731
    state = model.layers[1].seed_generator.state
    return [paths(model.variables), paths(model.non_trainable_variables), len(model.weights),
            repr(state), state.trainable, model.count_params()]


def conv_lstm(keras):
    keras.utils.set_random_seed(4)
    model = keras.Sequential([keras.Input((3, 5, 5, 2)), keras.layers.ConvLSTM2D(2, 3),
                              keras.layers.Flatten(), keras.layers.Dense(1)])
    return _weights(model)


def initializers(keras):
    keras.utils.set_random_seed(5)
    names = ["glorot_uniform", "glorot_normal", "he_uniform", "he_normal", "lecun_normal",
             "random_normal", "random_uniform", "truncated_normal", "orthogonal"]
    made = [keras.initializers.get(name) for name in names]
    return [[name, keras.initializers.serialize(i)["config"].get("seed"),
             np.asarray(i((3, 3))).ravel().tolist()] for name, i in zip(names, made)]


def sklearn_wrappers(keras):
    from sklearn.base import clone
    from sklearn.datasets import make_classification, make_regression
    out = {}
    X, y = make_classification(n_samples=60, n_features=4, n_informative=3, n_redundant=0,
                               n_classes=3, random_state=0)
    X = X.astype("float32")

    def dynamic(X, y, loss, hidden=8):
        inp = keras.Input(shape=(X.shape[1],))
        h = keras.layers.Dense(hidden, activation="relu")(inp)
        n_out = y.shape[1] if len(y.shape) > 1 else 1
        act = "softmax" if loss == "categorical_crossentropy" else None
        model = keras.Model(inp, keras.layers.Dense(n_out, activation=act)(h))
        model.compile(loss=loss, optimizer=keras.optimizers.SGD(0.1))
        return model

    keras.utils.set_random_seed(1)
    fit = {"verbose": 0, "epochs": 3, "shuffle": False}
    clf = keras.wrappers.SKLearnClassifier(
        dynamic, model_kwargs={"loss": "categorical_crossentropy"}, fit_kwargs=fit)
    clf.fit(X, y)
    out["classes"] = clf.classes_.tolist()
    out["predict"] = clf.predict(X[:10]).tolist()
    out["decision"] = np.asarray(clf.decision_function(X[:3])).tolist()
    out["score"] = float(clf.score(X, y))
    out["params"] = sorted(clf.get_params())
    try:
        out["epoch_"] = repr(clf.epoch_)
    except AttributeError as e:
        out["epoch_"] = type(e).__name__
    Xr, yr = make_regression(n_samples=40, n_features=3, random_state=0)
    Xr, yr = Xr.astype("float32"), (yr / 100).astype("float32")
    keras.utils.set_random_seed(2)
    reg = keras.wrappers.SKLearnRegressor(dynamic, model_kwargs={"loss": "mse"},
                                          fit_kwargs={**fit, "epochs": 2})
    reg.fit(Xr, yr)
    out["reg_predict"] = np.asarray(reg.predict(Xr[:5])).tolist()
    out["reg_score"] = float(reg.score(Xr, yr))
    keras.utils.set_random_seed(3)
    base = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    base.compile(loss="mse", optimizer="sgd")
    tr = keras.wrappers.SKLearnTransformer(base, fit_kwargs={**fit, "epochs": 1})
    emb = np.asarray(tr.fit_transform(Xr, yr))
    out["transform"] = [list(emb.shape), emb[:3].tolist(), tr.model_ is base]
    uncompiled = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    for key, make, data in (
            ("uncompiled", lambda: keras.wrappers.SKLearnRegressor(uncompiled), (Xr, yr)),
            ("continuous", lambda: keras.wrappers.SKLearnClassifier(
                dynamic, model_kwargs={"loss": "categorical_crossentropy"}), (Xr, yr))):
        try:
            make().fit(*data)
        except (RuntimeError, ValueError) as e:
            out[key] = [type(e).__name__, str(e)]
    twin = clone(clf)
    out["clone"] = [type(twin).__name__, twin.model is clf.model, twin.fit_kwargs]
    return out


def fit_dropout(keras):
    """Training draws its dropout masks and noise from the layers' SeedGenerators: the losses
    of a seeded fit are TF's (eager and traced steps)."""
    out = {}
    x = np.linspace(-1, 1, 96, dtype="float32").reshape(24, 4)
    y = (x @ np.array([[1.0], [-2.0], [0.5], [3.0]], "float32")).astype("float32")
    for eager in (False, True):
        keras.utils.set_random_seed(11)
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(16, activation="relu"),
                                  keras.layers.Dropout(0.3), keras.layers.GaussianNoise(0.2),
                                  keras.layers.Dense(1)])
        model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse", run_eagerly=eager)
        history = model.fit(x, y, batch_size=8, epochs=3, shuffle=False, verbose=0)
        out[f"eager={eager}"] = [history.history["loss"],
                                 np.asarray(model.layers[-1].kernel).ravel()[:4].tolist()]
    return out


CASES = {"fit_dropout": fit_dropout, "dense_dropout": dense_dropout, "attention": attention,
         "seed_states": seed_states, "conv_lstm": conv_lstm, "functional_mixed": functional_mixed,
         "conv_embedding": conv_embedding, "initializers": initializers,
         "sklearn_wrappers": sklearn_wrappers}
