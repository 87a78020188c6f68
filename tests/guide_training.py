"""The essential steps of the TF Core guides (optimizers_core, logistic_regression_core,
quickstart_core, basic_training_loops), rewritten as functions of the ``tf`` module they run on,
with fixed data and fixed initial values so their numbers are deterministic.

tools/record_guide_fixtures.py runs them under TensorFlow into tests/fixtures/guides/;
tests/test_guide_training.py runs them under tapeflow and compares."""

import numpy as np


def descend(tf, make_step, lr, start=2.0, limit=2000):
    """Minimise 2x^4 + 3x^3 + 2 from ``start`` until x stops changing (in float32)."""
    x = tf.Variable(start)
    state = {}
    for i in range(1, limit + 1):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = 2 * x ** 4 + 3 * x ** 3 + 2
        g = tape.gradient(y, x)
        if bool(tf.math.is_nan(g)):
            return {"iterations": i, "exploded": True, "x": None}
        old = x.numpy()
        make_step(tf, state, x, g, lr, i)
        if x.numpy() == old:
            return {"iterations": i, "exploded": False, "x": float(x.numpy())}
    return {"iterations": limit, "exploded": False, "x": float(x.numpy())}


def gd_step(tf, state, x, g, lr, i):
    x.assign_sub(lr * g)


def momentum_step(tf, state, x, g, lr, i, beta=0.7):
    change = lr * g + beta * state.get("change", 0.0)
    x.assign_sub(change)
    state["change"] = change


def adam_step(tf, state, x, g, lr, t, b1=0.9, b2=0.999, eps=1e-7):
    m = b1 * state.get("m", tf.zeros(x.shape)) + (1 - b1) * g
    v = b2 * state.get("v", tf.zeros(x.shape)) + (1 - b2) * tf.square(g)
    state["m"], state["v"] = m, v
    x.assign_sub(lr * (m / (1 - b1 ** float(t))) / (tf.sqrt(v / (1 - b2 ** float(t))) + eps))


def optimizers(tf):
    out = {}
    for name, step in (("gd", gd_step), ("momentum", momentum_step), ("adam", adam_step)):
        for lr in (1e-3, 1e-2, 1e-1):
            out[f"{name} {lr}"] = descend(tf, step, lr)
    return out


def line_fit(tf):
    """basic_training_loops: fit w*x + b to a noisy line with one full-batch step per epoch."""
    x = tf.cast(tf.linspace(-2, 2, 201), tf.float32)
    noise = tf.constant(np.random.default_rng(0).normal(size=201).astype(np.float32))
    y = x * 3.0 + 2.0 + noise
    w, b = tf.Variable(5.0), tf.Variable(0.0)
    history = []
    for _ in range(10):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(y - (w * x + b)))
        dw, db = tape.gradient(loss, [w, b])
        w.assign_sub(0.1 * dw)
        b.assign_sub(0.1 * db)
        history.append([float(w.numpy()), float(b.numpy()),
                        float(tf.reduce_mean(tf.square(y - (w * x + b))))])
    return {"history": history}


def _table(rows, cols, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(rows, cols)).astype(np.float32) * 3 + 5
    return x, rng


def logistic(tf):
    """logistic_regression_core: normalise, batch with tf.data, sigmoid cross-entropy, SGD."""
    x, rng = _table(120, 6, 1)
    y = (x[:, 0] - x[:, 1] + rng.normal(size=120) > 0).astype(np.float32)
    x, y = tf.convert_to_tensor(x), tf.convert_to_tensor(y)
    mean, std = tf.math.reduce_mean(x, axis=0), tf.math.reduce_std(x, axis=0)
    xn = (x - mean) / std
    w = tf.Variable(tf.constant(np.linspace(0, 1, 6, dtype=np.float32).reshape(6, 1)))
    b = tf.Variable(0.5)
    data = tf.data.Dataset.from_tensor_slices((xn, y)).batch(32)
    losses, accs = [], []
    for _ in range(15):
        batch_losses, batch_accs = [], []
        for xb, yb in data:
            with tf.GradientTape() as tape:
                z = tf.squeeze(tf.add(tf.matmul(xb, w), b), axis=1)
                loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=yb,
                                                                              logits=z))
            pred = tf.cast(tf.math.sigmoid(z) > 0.5, tf.float32)
            batch_accs.append(tf.reduce_mean(tf.cast(pred == yb, tf.float32)))
            grads = tape.gradient(loss, [w, b])
            for g, v in zip(grads, [w, b]):
                v.assign_sub(0.01 * g)
            batch_losses.append(loss)
        losses.append(float(tf.reduce_mean(batch_losses)))
        accs.append(float(tf.reduce_mean(batch_accs)))
    return {"losses": losses, "accuracies": accs}


def linear(tf):
    """quickstart_core: one-hot the last column, normalise, batch, full training loop (MSE)."""
    x, rng = _table(150, 5, 2)
    origin = rng.integers(1, 4, size=(150, 1)).astype(np.float32)
    data = tf.concat([tf.constant(x), tf.constant(origin)], axis=1)
    target = tf.constant((x @ np.array([1., -2., .5, 0., 3.], np.float32)).astype(np.float32))
    onehot = tf.one_hot(tf.cast(data[:, -1], tf.int32) - 1, 3)
    feats = tf.concat([data[:, :-1], onehot], axis=1)
    mx, sx = tf.math.reduce_mean(feats, axis=0), tf.math.reduce_std(feats, axis=0)
    my, sy = tf.math.reduce_mean(target), tf.math.reduce_std(target)
    xn, yn = (feats - mx) / sx, (target - my) / sy
    w = tf.Variable(tf.constant(np.full((8, 1), 0.1, np.float32)))
    b = tf.Variable(0.0)
    ds = tf.data.Dataset.from_tensor_slices((xn, yn)).batch(64)
    losses = []
    for _ in range(20):
        epoch = []
        for xb, yb in ds:
            with tf.GradientTape() as tape:
                pred = tf.squeeze(tf.add(tf.matmul(xb, w), b), axis=1)
                loss = tf.reduce_mean(tf.square(pred - yb))
            for g, v in zip(tape.gradient(loss, [w, b]), [w, b]):
                v.assign_sub(0.01 * g)
            epoch.append(loss)
        losses.append(float(tf.reduce_mean(epoch)))
    unnorm = (tf.squeeze(tf.matmul(xn[:3], w) + b, axis=1) * sy + my).numpy().tolist()
    return {"losses": losses, "predictions": unnorm, "onehot": onehot[:4].numpy().tolist()}


GUIDES = {"optimizers": optimizers, "line_fit": line_fit, "logistic": logistic, "linear": linear}
