"""Snippets that log what a model's ``call`` sees while fit, evaluate and predict trace their
steps, and when their callbacks come: run under TF 2.21 by tools/record_keras_trace_fixtures.py
and under tapeflow by tests/test_keras_traced_fit.py, the logs must be the same."""

CASES = {
    # a subclassed model built by fit; 8 rows in batches of 4: every batch has 4 rows
    "subclassed": """
class M(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.d = tf.keras.layers.Dense(1)
    def call(self, x):
        log.append(("call", tuple(x.shape)))
        return self.d(x)
m = M()
m.compile("sgd", "mse")
x, y = np.ones((8, 3), "float32"), np.ones((8, 1), "float32")
m.fit(x, y, batch_size=4, epochs=2, verbose=0)
log.append("evaluate")
m.evaluate(x, y, batch_size=4, verbose=0)
log.append("predict")
m.predict(x, batch_size=4, verbose=0)
m.predict(x[:5], batch_size=4, verbose=0)
""",
    # 100 rows in batches of 32 (the last of 4), dropout: how often call runs
    "counts": """
class C(tf.keras.layers.Layer):
    def call(self, x):
        log.append(("call", tuple(x.shape)))
        return x * 2.0
tf.keras.utils.set_random_seed(0)
model = tf.keras.Sequential([tf.keras.Input((6,)), tf.keras.layers.Dense(8, activation="relu"),
                             tf.keras.layers.Dropout(0.5), tf.keras.layers.Dense(3), C()])
log.clear()  # the symbolic call that builds C: tapeflow's runs it on zeros (docs/differences.md)
x = np.random.default_rng(0).standard_normal((100, 6)).astype(np.float32)
for n in (100, 70, 64):
    log.append(("predict", n))
    model.predict(x[:n], batch_size=32, verbose=0)
model.compile("sgd", "mse")
log.append("fit")
model.fit(x, np.ones((100, 3), "float32"), batch_size=32, verbose=0, epochs=2)
for b in (32, 50):
    log.append(("evaluate", b))
    model.evaluate(x, np.ones((100, 3), "float32"), batch_size=b, verbose=0)
log.append("train_on_batch")
for n in (16, 16, 8):
    model.train_on_batch(x[:n], np.ones((n, 3), "float32"))
""",
    # datasets: the batch dimension of their element spec
    "dataset": """
class C(tf.keras.layers.Layer):
    def call(self, x):
        log.append(("call", tuple(x.shape)))
        return x * 2.0
model = tf.keras.Sequential([tf.keras.Input((6,)), tf.keras.layers.Dense(3), C()])
log.clear()
model.compile("sgd", "mse")
ds = tf.data.Dataset.from_tensor_slices((np.ones((100, 6), "float32"),
                                         np.ones((100, 3), "float32")))
for batched in (ds.batch(25, drop_remainder=True), ds.batch(32)):
    log.append("fit")
    model.fit(batched, epochs=1, verbose=0)
    log.append("evaluate")
    model.evaluate(batched, verbose=0)
""",
    # compile(steps_per_execution=4): the batch callbacks come once per run of 4 steps
    "steps_per_execution": """
class CB(tf.keras.callbacks.Callback):
    def on_train_batch_begin(self, batch, logs=None):
        log.append(("begin", batch))
    def on_train_batch_end(self, batch, logs=None):
        log.append(("end", batch, sorted(logs)))
    def on_test_batch_end(self, batch, logs=None):
        log.append(("test end", batch))
    def on_predict_batch_end(self, batch, logs=None):
        log.append(("predict end", batch, tuple(logs["outputs"].shape)))
m = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(1)])
m.compile("sgd", "mse", steps_per_execution=4)
x, y = np.ones((40, 3), "float32"), np.ones((40, 1), "float32")
m.fit(x, y, batch_size=4, epochs=1, verbose=0, callbacks=[CB()])
m.evaluate(x, y, batch_size=4, verbose=0, callbacks=[CB()])
log.append(tuple(m.predict(x, batch_size=4, verbose=0, callbacks=[CB()]).shape))
log.append(int(m.optimizer.iterations))
""",
    # Python operators on KerasTensors in a functional model: dtypes, shapes and values
    "operators": """
a = tf.keras.Input((3,))
outs = [1.0 / (a + 2.0), a ** 2, 2.0 ** a, a // 0.5, a % 0.75, 5.0 % (a + 2.0), abs(a),
        a > 0, a >= 0.5, a < 1, a <= 0, a != 0.5, (a > 0) & (a < 1), (a > 0) | (a < -1),
        (a > 0) ^ (a < 1), ~(a > 0), -a]
model = tf.keras.Model(a, outs)
log.extend((tuple(t.shape), str(t.dtype)) for t in outs)
x = np.array([[-1.5, 0.5, 2.0], [0.0, 1.0, -0.25]], "float32")
log.extend(np.asarray(y).tolist() for y in model.predict(x, verbose=0))
""",
}
