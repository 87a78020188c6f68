"""Mixed-precision snippets run the same way under Keras 3 on TF (tools/record_keras_mixed_fixtures.py
records what they give into tests/fixtures/keras_mixed/cases.json) and under tapeflow
(tests/test_keras_mixed.py compares). Each case takes ``(tf, keras)`` and returns a dict of
JSON values: strings for dtypes, reprs and messages, nested lists for arrays. The global policy
is set by the runner (``POLICY``) and reset to float32 after each case."""

import pathlib
import re
import warnings

import numpy as np

POLICY = {}  # case name -> the global policy it runs under (default mixed_float16)


def _dt(x):
    """A dtype as text, whether the library gives a str or a DType."""
    return getattr(x, "name", x)


def _err(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the type and message are the result
        return f"{type(e).__name__}: {e}"
    return None


def _arr(x):
    return np.asarray(x, dtype=np.float64).tolist()


def policies(tf, keras):
    mp = keras.mixed_precision
    out = {}
    for name in ("mixed_float16", "mixed_bfloat16", "float16", "bfloat16", "float32", "float64"):
        p = mp.Policy(name)
        out[name] = [repr(p), str(p), p.name, p.compute_dtype, p.variable_dtype,
                     repr(keras.dtype_policies.get(name))]
    out["bad_name"] = _err(lambda: mp.set_global_policy("mixed_float32"))
    out["bad_type"] = _err(lambda: mp.set_global_policy(3))
    out["global"] = repr(mp.global_policy())
    out["config"] = repr(keras.config.dtype_policy())
    out["lso_scaled"] = _err(lambda: mp.LossScaleOptimizer(keras.optimizers.SGD())
                             .get_scaled_loss(1.0))
    out["lso_unscaled"] = _err(lambda: mp.LossScaleOptimizer(keras.optimizers.SGD())
                               .get_unscaled_gradients([1.0]))
    return out


POLICY["policies"] = "float32"


def layer_attributes(tf, keras):
    L = keras.layers
    dense = L.Dense(4, name="d")
    act = L.Activation("softmax", dtype="float32")
    explicit = L.Dense(2, dtype="float64")
    by_dtype = L.Dense(2, dtype=tf.float16)
    out = {}
    for key, layer in (("dense", dense), ("act", act), ("f64", explicit), ("tf16", by_dtype)):
        out[key] = [repr(layer.dtype_policy), layer.dtype, layer.compute_dtype,
                    layer.variable_dtype]
    out["config_dtype"] = dense.get_config()["dtype"]
    inputs = keras.Input(shape=(8,), name="digits")
    x = dense(inputs)
    y = act(L.Dense(3, name="logits")(x))
    out["symbolic"] = [_dt(inputs.dtype), _dt(x.dtype), _dt(y.dtype)]
    out["kernel"] = _dt(dense.kernel.dtype)
    out["name_attr"] = _err(lambda: x.dtype.name)
    model = keras.Model(inputs, y)
    out["model"] = [repr(model.dtype_policy), model.dtype, model.compute_dtype]
    out["eager"] = [_dt(dense(tf.ones((2, 8))).dtype), _dt(dense(tf.ones((2, 8), "float64")).dtype),
                    _dt(dense(np.ones((2, 8), "float32")).dtype)]
    model.compile(optimizer="sgd", loss="mse")
    inner = model.optimizer.inner_optimizer
    out["compiled_opt"] = [type(model.optimizer).__name__, model.optimizer.name,
                           type(inner).__name__]
    model.compile(optimizer="sgd", loss="mse", auto_scale_loss=False)
    out["not_scaled"] = type(model.optimizer).__name__
    out["roundtrip"] = repr(L.Dense.from_config(dense.get_config()).dtype_policy)
    out["input_layers"] = [
        [repr(il.dtype_policy), il.dtype, il.compute_dtype, _dt(il.output.dtype),
         il.get_config()["dtype"]]
        for il in (L.InputLayer(shape=(3,), dtype=dt) for dt in (None, "int32", "float16"))]
    out["set_policy"] = _set_policy(L.Dense(2), "mixed_bfloat16")
    return out


def _set_policy(layer, name):
    layer.dtype_policy = name
    return [repr(layer.dtype_policy), layer.compute_dtype, layer.variable_dtype]


def in_function(tf, keras):
    """The guide's custom loop: TF 2.21's Keras 3 optimizer has no get_scaled_loss."""
    opt = keras.mixed_precision.LossScaleOptimizer(keras.optimizers.RMSprop())

    @tf.function
    def step(x):
        return opt.get_scaled_loss(x * 2)

    try:
        step(tf.constant(1.0))
    except AttributeError as e:
        lines = [line.strip() for line in str(e).splitlines() if line.strip()]
        return {"first": lines[0], "code": lines[2], "last": lines[-1]}


def nested_scopes(tf, keras):
    """A float32 layer inside a mixed one reads its variables in float32."""
    L = keras.layers

    class Outer(L.Layer):
        def __init__(self):
            super().__init__()
            self.inner = L.Dense(2, dtype="float32", kernel_initializer="ones")

        def build(self, shape):
            self.w = self.add_weight(shape=(3, 3), initializer="ones")
            self.s = self.add_weight(shape=(3,), initializer="ones", autocast=False)

        def call(self, x):
            self.seen = [_dt(x.dtype), _dt(tf.convert_to_tensor(self.w).dtype),
                         _dt(tf.convert_to_tensor(self.s).dtype)]
            return self.inner(tf.matmul(x, self.w))

    outer = Outer()
    y = outer(tf.ones((1, 3)))
    return {"seen": outer.seen, "out": _dt(y.dtype), "w": _dt(outer.w.dtype),
            "inner_kernel": _dt(outer.inner.kernel.dtype), "value": _arr(y)}


def ops_in_call(tf, keras):
    """A layer's variables as operands of tf and keras.ops functions inside its call: read in
    float16 whichever op reads them."""
    ops = keras.ops

    class Probe(keras.layers.Layer):
        def build(self, shape):
            self.w = self.add_weight(shape=(3,), initializer="ones")
            self.k = self.add_weight(shape=(1, 1, 3, 2), initializer="ones")

        def call(self, x):
            w = self.w
            probes = {"add": lambda: x + w, "radd": lambda: w + x,
                      "bias_add": lambda: tf.nn.bias_add(x, w),
                      "einsum": lambda: tf.einsum("bi,i->b", x, w),
                      "reshape": lambda: tf.reshape(w, (3, 1)), "getitem": lambda: w[0],
                      "gather": lambda: tf.gather(w, [0]),
                      "conv": lambda: tf.nn.conv2d(tf.reshape(x, (1, 1, 2, 3)), self.k, 1, "VALID"),
                      "neg": lambda: -w, "sum": lambda: tf.reduce_sum(w),
                      "cast32": lambda: tf.cast(w, "float32"),
                      "concat": lambda: tf.concat([x[0], w], 0),
                      "ops_add": lambda: ops.add(x, w), "ops_mul": lambda: ops.multiply(w, 2.0),
                      "ops_convert": lambda: ops.convert_to_tensor(w),
                      "dtype": lambda: _Dtyped(w.dtype),
                      "cast32_mul": lambda: tf.cast(w, "float32") * tf.ones(3),
                      "assign": lambda: w.assign(w * 3.0),
                      "assign_add": lambda: w.assign_add(tf.ones(3, "float16"))}
            self.seen = {}
            for name, fn in probes.items():
                try:
                    self.seen[name] = _dt(fn().dtype)
                except Exception as e:  # noqa: BLE001 - the type is the result
                    self.seen[name] = type(e).__name__
            return x

    probe = Probe()
    probe(np.ones((2, 3), "float32"))
    return {**probe.seen, "after": [_dt(probe.w.dtype), _arr(probe.w.numpy())]}


class _Dtyped:
    def __init__(self, dtype):
        self.dtype = dtype


def _fixed_model(keras, conv):
    L = keras.layers
    if conv:
        layers = [keras.Input((6, 6, 2)), L.Conv2D(3, 3, name="conv"), L.ReLU(),
                  L.BatchNormalization(name="bn"), L.Flatten(), L.Dense(4, name="dense"),
                  L.Activation("softmax", dtype="float32")]
    else:
        layers = [keras.Input((5,)), L.Dense(6, activation="relu", name="hidden"),
                  L.LayerNormalization(name="ln"), L.Dense(3, name="dense"),
                  L.Activation("softmax", dtype="float32")]
    model = keras.Sequential(layers)
    rng = np.random.default_rng(7)
    model.set_weights([rng.uniform(-1, 1, w.shape).astype("float32")
                       for w in model.get_weights()])
    return model


def _outputs_and_grads(tf, keras, conv):
    model = _fixed_model(keras, conv)
    rng = np.random.default_rng(3)
    x = rng.uniform(-2, 2, (4, 6, 6, 2) if conv else (4, 5)).astype("float32")
    y = np.array([0, 1, 2, 1])
    loss_fn = keras.losses.SparseCategoricalCrossentropy()
    with tf.GradientTape() as tape:
        pred = model(x, training=True)
        loss = loss_fn(y, pred)
    grads = tape.gradient(loss, model.trainable_variables)
    out = {"pred_dtype": _dt(pred.dtype), "loss_dtype": _dt(loss.dtype), "pred": _arr(pred),
           "loss": float(loss), "grad_dtypes": [_dt(g.dtype) for g in grads],
           "grads": [_arr(g) for g in grads],
           "weight_dtypes": [_dt(w.dtype) for w in model.weights],
           "infer": _arr(model(x, training=False)),
           "hidden": [_dt(model.layers[0](x).dtype)]}
    return out


def dense_model(tf, keras):
    return _outputs_and_grads(tf, keras, conv=False)


def conv_model(tf, keras):
    return _outputs_and_grads(tf, keras, conv=True)


def bfloat16_model(tf, keras):
    return _outputs_and_grads(tf, keras, conv=False)


POLICY["bfloat16_model"] = "mixed_bfloat16"


def float16_model(tf, keras):
    model = _fixed_model(keras, conv=False)
    pred = model(np.linspace(-1, 1, 10, dtype="float32").reshape(2, 5))
    return {"pred_dtype": _dt(pred.dtype), "pred": _arr(pred),
            "weights": [_dt(w.dtype) for w in model.weights]}


POLICY["float16_model"] = "float16"


def loss_scaling(tf, keras):
    """Keras 3's dynamic loss scale over a few steps: growth after 2 finite steps, an overflow
    step that is skipped and halves the scale."""
    var = keras.Variable(np.array([1.0, -2.0], "float32"), name="v")
    opt = keras.mixed_precision.LossScaleOptimizer(keras.optimizers.SGD(0.5),
                                                   initial_scale=8.0, dynamic_growth_steps=2)
    out = {"before": [opt.initial_scale, opt.dynamic_growth_steps,
                      float(opt.scale_loss(tf.constant(1.5)))],
           "steps": []}
    for grad in ([8.0, 16.0], [4.0, 4.0], [np.inf, 1.0], [np.nan, 0.0], [2.0, 2.0], [1.0, 1.0],
                 [1.0, 1.0]):
        opt.apply_gradients([(tf.constant(np.array(grad, "float32")), var)])
        out["steps"].append([float(opt.dynamic_scale.numpy()), int(opt.iterations.numpy()),
                             _arr(var.numpy())])
    out["vars"] = [re.sub(r"_\d+/", "/", v.path) for v in opt.variables]  # counters vary
    out["scaled_loss"] = float(opt.scale_loss(tf.constant(1.5)))
    out["lr"] = float(opt.learning_rate.numpy())
    out["factor"] = [opt.loss_scale_factor, opt.inner_optimizer.loss_scale_factor]
    return out


POLICY["loss_scaling"] = "float32"


def fit_mixed(tf, keras):
    """compile + fit under mixed_float16: the loss is scaled, the gradients unscaled."""
    model = _fixed_model(keras, conv=False)
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    rng = np.random.default_rng(5)
    x = rng.uniform(-1, 1, (16, 5)).astype("float32")
    y = rng.integers(0, 3, 16)
    hist = model.fit(x, y, batch_size=8, epochs=2, verbose=0, shuffle=False)
    ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(8)
    ev = model.evaluate(ds, verbose=0)
    return {"loss": hist.history["loss"], "acc": hist.history["accuracy"],
            "scale": float(model.optimizer.dynamic_scale.numpy()),
            "iterations": int(model.optimizer.iterations.numpy()),
            "weights": [_arr(w) for w in model.get_weights()], "evaluate": ev,
            "predict_dtype": str(model.predict(x, verbose=0).dtype)}


def losses_metrics(tf, keras):
    y16 = tf.constant([[0.2, 0.7, 0.1], [0.5, 0.25, 0.25]], "float16")
    t = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]], "float32")
    out = {}
    for name in ("categorical_crossentropy", "mean_squared_error", "kl_divergence"):
        loss = keras.losses.get(name)
        value = loss(t, y16)
        out[name] = [_dt(value.dtype), _arr(value)]
    cls = keras.losses.CategoricalCrossentropy()
    v = cls(t, y16)
    out["class"] = [_dt(v.dtype), float(v)]
    m = keras.metrics.CategoricalAccuracy()
    m.update_state(t, y16)
    out["metric"] = [_dt(m.result().dtype), float(m.result())]
    mean = keras.metrics.Mean()
    mean.update_state(tf.constant([1.5, 2.5], "float16"))
    out["mean"] = [_dt(mean.result().dtype), float(mean.result())]
    out["loss_policy"] = [repr(getattr(cls, "dtype_policy", None)), _dt(cls.dtype)]
    out["metric_policy"] = [_dt(m.dtype), [_dt(v.dtype) for v in m.variables]]
    return out



def half_pitfalls(tf, keras):
    """Layers whose float16 math would overflow: values near 300 (their squares pass float16's
    65504) through the normalization layers and softmax under mixed_float16."""
    L = keras.layers
    x = (np.linspace(-1, 1, 48, dtype="float32").reshape(2, 2, 3, 4) * 37 + 300)
    out = {}
    for name, layer in (("bn", L.BatchNormalization()), ("ln", L.LayerNormalization()),
                        ("gn", L.GroupNormalization(2)), ("un", L.UnitNormalization()),
                        ("softmax", L.Softmax()), ("act", L.Activation("softmax")),
                        ("rms", L.LayerNormalization(rms_scaling=True)),
                        ("rmsnorm", L.RMSNormalization())):
        y = layer(x, training=True) if name == "bn" else layer(x)
        out[name] = [_dt(y.dtype), _arr(y)]
    return out


def custom_loop(tf, keras):
    """Keras 3's custom training loop in a tf.function: scale_loss in the tape, apply_gradients
    unscales; an initial scale of 2**20 overflows the float16 gradients three times."""
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, kernel_initializer="ones"),
                              keras.layers.Activation("softmax", dtype="float32")])
    opt = keras.mixed_precision.LossScaleOptimizer(keras.optimizers.SGD(0.1),
                                                   initial_scale=2.0 ** 20, dynamic_growth_steps=2)
    loss_fn = keras.losses.SparseCategoricalCrossentropy()

    @tf.function
    def step(x, y):
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x))
            scaled = opt.scale_loss(loss)
        grads = tape.gradient(scaled, model.trainable_variables)
        opt.apply_gradients(zip(grads, model.trainable_variables))
        return loss, scaled

    x, y = np.arange(8, dtype="float32").reshape(2, 4) / 8, np.array([0, 2])
    steps = []
    for _ in range(5):
        loss, scaled = step(x, y)
        steps.append([float(loss), float(scaled), float(opt.dynamic_scale.numpy()),
                      int(opt.iterations.numpy()), _arr(model.layers[0].kernel.numpy())])
    return {"steps": steps}


SAVED = pathlib.Path(__file__).parent / "fixtures" / "keras_mixed" / "mixed_model.keras"


def make_saved(keras, path):
    """The model in mixed_model.keras: compiled under mixed_float16 (a LossScaleOptimizer),
    trained one step (the recorder saves it with Keras)."""
    keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, name="dense"),
                                  keras.layers.Activation("softmax", dtype="float32")])
        model.compile("adam", "sparse_categorical_crossentropy")
        model.fit(np.ones((8, 4), "float32"), np.zeros(8), verbose=0)
        model.save(path)
    finally:
        keras.mixed_precision.set_global_policy("float32")


def load_saved(tf, keras):
    """Keras's file loaded under float32 (the model compiles with a plain Adam, whose 6
    variables do not match the 10 saved) and under mixed_float16 (a LossScaleOptimizer)."""
    out = {}
    for policy in ("float32", "mixed_float16"):
        keras.mixed_precision.set_global_policy(policy)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            model = keras.models.load_model(SAVED)
        opt = model.optimizer
        out[policy] = [repr(model.dtype_policy), [layer.dtype_policy.name for layer in model.layers],
                       type(opt).__name__, len(opt.variables),
                       [str(w.message) for w in caught if "optimizer" in str(w.message)],
                       _arr(model(np.ones((1, 4), "float32")))]
        if policy == "mixed_float16":
            out["scale"] = [float(opt.dynamic_scale.numpy()), int(opt.step_counter.numpy()),
                            int(opt.inner_optimizer.iterations.numpy())]
    return out


POLICY["load_saved"] = "float32"

CASES = [policies, layer_attributes, in_function, nested_scopes, ops_in_call, dense_model,
         conv_model,
         bfloat16_model, float16_model, loss_scaling, custom_loop, fit_mixed, losses_metrics,
         half_pitfalls, load_saved]


def run(tf, keras, case):
    keras.utils.set_random_seed(0)
    keras.mixed_precision.set_global_policy(POLICY.get(case.__name__, "mixed_float16"))
    try:
        return case(tf, keras)
    finally:
        keras.mixed_precision.set_global_policy("float32")
