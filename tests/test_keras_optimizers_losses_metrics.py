"""tf.keras optimizers, schedules, losses and metrics against TF 2.21 / Keras 3.15's numbers.

The fixtures come from tools/record_keras_training_fixtures.py (run once with real TF); each case
is a constructor expression evaluated here with ``tf = tapeflow``.
"""

import json
import re
import os
import warnings

import numpy as np
import pytest

import tapeflow as tf

HERE = os.path.join(os.path.dirname(__file__), "fixtures", "training")
with open(os.path.join(HERE, "cases.json")) as _f:
    CASES = json.load(_f)
ARRAYS = np.load(os.path.join(HERE, "arrays.npz"))
DATA = {k[5:]: ARRAYS[k] for k in ARRAYS.files if k.startswith("data_")}


def close(actual, expected, ulps=4):
    """Equal to float32 rounding: within ``ulps`` units in the last place of the largest value
    (0: bit for bit)."""
    actual = np.asarray(actual, np.float64)
    expected = np.asarray(expected, np.float64)
    assert actual.shape == expected.shape
    finite = expected[np.isfinite(expected)]
    scale = np.max(np.abs(finite)) if finite.size else 0.0
    tol = ulps * float(np.spacing(np.float32(scale))) + 1e-30
    bad = ~((np.abs(actual - expected) <= tol) | (np.isnan(actual) & np.isnan(expected)))
    assert not bad.any(), f"{actual[bad]} != {expected[bad]}"


def _json(config):
    """A config as the recorder stored it (objects by their repr)."""
    return json.loads(json.dumps(config, default=repr))


def _variables():
    return (tf.Variable(DATA["w0"], name="w"), tf.Variable(DATA["b0"], name="b"),
            tf.Variable(DATA["s0"], name="s"))


def _split(flat, variables):
    out, i = [], 0
    for v in variables:
        n = int(np.prod(v.shape))
        out.append(tf.constant(flat[i:i + n].reshape(tuple(v.shape))))
        i += n
    return out


def _scope_free(path):
    """A variable path without its optimizer's own name and the counters Keras appends to the
    names of inner optimizers (``adam_4``) and of unnamed variables (Nadam's ``variable_1``),
    which depend on how many the process made before."""
    return re.sub(r"^variable_\d+$", "variable", re.sub(r"_\d+/", "/", path.split("/", 1)[1]))


@pytest.mark.parametrize("k", range(len(CASES["optimizers"])),
                         ids=[c["expr"].split("optimizers.", 1)[1] for c in CASES["optimizers"]])
def test_optimizer_steps_match_tf(k):
    case = CASES["optimizers"][k]
    variables = _variables()
    first, _, rest = case["expr"].partition(";")
    scope = dict(zip("wbs", variables), tf=tf, opt=eval(first))
    exec(rest.strip(), scope)
    opt = scope["opt"]
    grads, values = ARRAYS[f"opt{k}_grads"], ARRAYS[f"opt{k}_values"]
    for step in range(CASES["steps"]):
        opt.apply_gradients(zip(_split(grads[step], variables), variables))
        got = np.concatenate([np.ravel(v.numpy()) for v in variables])
        close(got, values[step], ulps=0)
    assert int(opt.iterations) == case["iterations"]
    assert [_scope_free(p) for p in case["paths"]] == [_scope_free(v.path) for v in opt.variables]
    assert all(v.path.startswith(opt.name + "/") for v in opt._variables)
    slots = np.concatenate([np.ravel(np.asarray(v.numpy(), np.float64)) for v in opt.variables])
    close(slots, ARRAYS[f"opt{k}_slots"], ulps=0)
    if case["config"] is not None:
        config = dict(opt.get_config(), name=case["config"]["name"])
        inner = case["config"].get("inner_optimizer")
        if inner is not None:  # its auto name's counter depends on what the process made before
            config["inner_optimizer"]["config"]["name"] = inner["config"]["name"]
        assert json.loads(json.dumps(config)) == case["config"]
        assert type(opt).from_config(opt.get_config()).get_config() == opt.get_config()


def test_adam_trains_with_tapeflow_gradients():
    """The whole loop: tapeflow's own gradients, then Adam, stays with TF's trajectory."""
    k = next(i for i, c in enumerate(CASES["optimizers"])
             if c["expr"].endswith("Adam(learning_rate=0.05)"))
    opt = tf.keras.optimizers.Adam(learning_rate=0.05)
    w, b, s = _variables()
    X, Y = tf.constant(DATA["X"]), tf.constant(DATA["Y"])
    for _ in range(CASES["steps"]):
        with tf.GradientTape() as tape:
            pred = tf.matmul(X, w) + b * s
            loss = tf.reduce_mean(tf.square(pred - Y)) + 0.1 * tf.square(s)
        opt.apply_gradients(zip(tape.gradient(loss, [w, b, s]), [w, b, s]))
    got = np.concatenate([np.ravel(v.numpy()) for v in (w, b, s)])
    np.testing.assert_allclose(got, ARRAYS[f"opt{k}_values"][-1], rtol=1e-5, atol=1e-6)


def test_optimizer_errors_and_warnings_match_keras():
    msgs = CASES["messages"]
    for expr, (cls, text) in ((e, m) for e, m in msgs.items() if e.startswith("tf.")):
        w = tf.Variable(np.ones((3, 2), np.float32), name="w")
        with pytest.raises(getattr(tf.errors, cls)) as info:
            eval(expr).apply_gradients([(tf.ones((2, 2)), w)])
        assert str(info.value) == text, expr
    opt = tf.keras.optimizers.SGD()
    w, b = tf.Variable(1.0, name="w"), tf.Variable(2.0, name="b")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        opt.apply_gradients([(None, w), (tf.constant(1.0), b)])
    assert [str(x.message) for x in caught] == msgs["none_warning"]
    assert float(b) == pytest.approx(1.99)
    with pytest.raises(ValueError, match=msgs["all_none"]):
        opt.apply_gradients([(None, w), (None, b)])
    with pytest.raises(ValueError, match="Unknown variable"):
        opt.apply_gradients([(tf.constant(1.0), tf.Variable(1.0))])
    with pytest.raises(ValueError, match="should be float"):
        tf.keras.optimizers.Adam(learning_rate=1)


def test_optimizer_api():
    opt = tf.keras.optimizers.get("adam")
    assert isinstance(opt, tf.keras.optimizers.Adam)
    assert tf.keras.optimizers.get(opt) is opt
    config = tf.keras.optimizers.serialize(opt)
    assert config["class_name"] == "Adam"
    assert tf.keras.optimizers.deserialize(config).get_config()["beta_2"] == 0.999
    v = tf.Variable([1.0, 2.0])
    opt.build([v])
    opt.apply([tf.constant([0.5, 0.5])])  # grads only, once built
    assert int(opt.iterations) == 1
    opt.learning_rate = 0.5
    assert float(opt.learning_rate) == 0.5
    read = v.read_value()
    before = read.numpy()
    opt.apply([tf.constant([1.0, 1.0])])
    np.testing.assert_array_equal(read.numpy(), before)  # an earlier read never changes
    assert not np.array_equal(v.numpy(), before)
    layer = tf.keras.layers.Dense(2)
    layer(tf.ones((1, 3)))
    sgd = tf.keras.optimizers.SGD(momentum=0.9)
    sgd.apply_gradients(zip([tf.ones((3, 2)), tf.ones(2)], layer.trainable_variables))
    names = [p.split("/", 1)[1] for p in (v.path for v in sgd.variables)]
    assert names[2:] == [f"{layer.name}_kernel_momentum", f"{layer.name}_bias_momentum"]
    with pytest.raises(ValueError, match="Only one of"):
        tf.keras.optimizers.SGD(clipnorm=1.0, clipvalue=1.0)
    with pytest.raises(ImportError, match="`keras.optimizers.legacy` is not supported in Keras 3"):
        tf.keras.optimizers.legacy.Adam()


FUSABLE = ["SGD(learning_rate=0.05, momentum=0.9, nesterov=True)", "Adam(amsgrad=True)",
           "Nadam()", "Adamax()", "RMSprop(momentum=0.5, centered=True)", "Adagrad()",
           "Adadelta(learning_rate=1.0)", "Lion()", "Ftrl(l1_regularization_strength=0.01)"]


@pytest.mark.parametrize("expr", FUSABLE)
def test_fused_step_equals_per_variable_step(expr, monkeypatch):
    """Many small variables run as one flat array; the numbers must not change at all."""
    from tapeflow.keras.optimizers import base
    rng = np.random.RandomState(1)
    shapes = [(3, 2), (2,), (), (4, 1)]
    start = [np.asarray(rng.randn(*s), np.float32) for s in shapes]
    grads = [[np.asarray(rng.randn(*s), np.float32) for s in shapes] for _ in range(5)]
    results = []
    for limit in (base.FUSE_MAX_MEAN_SIZE, 0):
        monkeypatch.setattr(base, "FUSE_MAX_MEAN_SIZE", limit)
        opt = eval("tf.keras.optimizers." + expr)
        variables = [tf.Variable(v) for v in start]
        for step in grads:
            opt.apply_gradients(zip([tf.constant(g) for g in step], variables))
        assert (opt._flat.usable if opt._flat else False) == bool(limit)
        flats = {k: id(entry[0]) for k, entry in opt._flat.flats.items()} if limit else {}
        opt.apply_gradients(zip([tf.constant(g) for g in grads[0]], variables))
        if limit:  # the fused step updated the same flat arrays in place, step after step
            assert flats == {k: id(entry[0]) for k, entry in opt._flat.flats.items()}
        results.append([v.numpy() for v in variables + opt.variables])
    for fused, single in zip(*results):
        np.testing.assert_array_equal(fused, single)


def test_fused_step_keeps_slots_with_their_variables(monkeypatch):
    """Variables passed in another order, or only some of them, still meet their own slots."""
    from tapeflow.keras.optimizers import base
    shapes = [(2,), (2,), (3,)]
    runs = []
    for limit in (base.FUSE_MAX_MEAN_SIZE, 0):
        monkeypatch.setattr(base, "FUSE_MAX_MEAN_SIZE", limit)
        variables = [tf.Variable(np.full(s, float(i + 1), np.float32))
                     for i, s in enumerate(shapes)]
        opt = tf.keras.optimizers.Adam(0.1)
        opt.build(variables)
        for step, order in enumerate(([0, 1, 2], [1, 0, 2], [2, 1], [0, 1, 2])):
            pairs = [(tf.constant(np.full(shapes[i], i + 1.0 + step, np.float32)), variables[i])
                     for i in order]
            opt.apply_gradients(pairs)
        runs.append([v.numpy() for v in variables + opt.variables])
    for fused, single in zip(*runs):
        np.testing.assert_array_equal(fused, single)


def test_optimizer_steps_never_change_earlier_reads():
    opt = tf.keras.optimizers.Adam(0.1)
    variables = [tf.Variable(np.ones(3, np.float32)), tf.Variable(np.ones(2, np.float32))]
    grads = [tf.ones(3), tf.ones(2)]
    opt.apply_gradients(zip(grads, variables))
    slot = opt.variables[2]
    reads = [variables[0].read_value(), slot.read_value(), slot.read_value()[1:]]
    views = [np.asarray(variables[1]), np.asarray(slot)]
    kept = [r.numpy() for r in reads] + [np.array(v) for v in views]
    for _ in range(3):
        opt.apply_gradients(zip(grads, variables))
    for before, now in zip(kept, [r.numpy() for r in reads] + [np.array(v) for v in views]):
        np.testing.assert_array_equal(before, now)
    assert not np.array_equal(slot.numpy(), kept[1])  # the slot itself did move on
    slot.assign(np.zeros(3, np.float32))  # an assigned slot is taken up by the next step
    opt.apply_gradients(zip(grads, variables))
    np.testing.assert_allclose(slot.numpy(), np.full(3, 0.1, np.float32), rtol=1e-6)


@pytest.mark.parametrize("k", range(len(CASES["schedules"])),
                         ids=[c["expr"].split("schedules.")[1] for c in CASES["schedules"]])
def test_schedules_match_tf(k):
    case = CASES["schedules"][k]
    sched = eval(case["expr"])
    got = np.array([sched(step).numpy() for step in range(30)])
    close(got, ARRAYS[f"sched{k}"], ulps=0)
    assert sched(tf.Variable(3, dtype=tf.int64)).dtype.name == case["dtype"]
    assert sched.get_config() == case["config"]
    again = tf.keras.optimizers.schedules.deserialize(
        tf.keras.optimizers.schedules.serialize(sched))
    assert again.get_config() == sched.get_config()


def _loss_with(expr, red):
    if expr.endswith("()"):
        return eval(expr.replace("()", f"(reduction={red!r})"))
    return eval(expr[:-1] + f", reduction={red!r})")


@pytest.mark.parametrize("k", range(len(CASES["losses"])),
                         ids=[c["expr"].split("losses.")[1] + "-" + c["y_pred"]
                              for c in CASES["losses"]])
def test_losses_match_tf(k):
    case = CASES["losses"][k]
    y_true, y_pred = DATA[case["y_true"]], DATA[case["y_pred"]]
    assert eval(case["expr"]).name == case["name"]
    config = eval(case["expr"]).get_config()
    assert _json(config) == case["config"]
    assert type(eval(case["expr"])).from_config(config).get_config() == config
    for red in CASES["reductions"]:
        loss = _loss_with(case["expr"], red)
        pred = tf.constant(y_pred)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no NumPy warnings, even at +-1e4 logits
            with tf.GradientTape() as tape:
                tape.watch(pred)
                value = loss(y_true, pred)
            grad = tape.gradient(value, pred)
        close(value.numpy(), ARRAYS[f"loss{k}_{red}"], ulps=4)
        close(grad.numpy(), ARRAYS[f"loss{k}_{red}_grad"], ulps=8)
        if f"loss{k}_{red}_w" in ARRAYS.files:
            weighted = loss(y_true, pred, sample_weight=DATA["weights"])
            close(weighted.numpy(), ARRAYS[f"loss{k}_{red}_w"], ulps=4)


@pytest.mark.parametrize("k", range(len(CASES["loss_functions"])),
                         ids=[c["fn"] for c in CASES["loss_functions"]])
def test_loss_functions_match_tf(k):
    case = CASES["loss_functions"][k]
    d = {"yt": DATA[case["y_true"]], "yp": DATA[case["y_pred"]]}
    value = eval(f"tf.keras.losses.{case['fn']}(yt, yp, {case['kwargs']})", {"tf": tf}, d)
    close(value.numpy(), ARRAYS[f"lossfn{k}"], ulps=4)


def test_loss_get():
    assert tf.keras.losses.get("mse") is tf.keras.losses.mse
    assert isinstance(tf.keras.losses.get("CategoricalCrossentropy"),
                      tf.keras.losses.CategoricalCrossentropy)
    loss = tf.keras.losses.get({"class_name": "BinaryCrossentropy",
                                "config": {"from_logits": True}})
    assert loss.from_logits
    assert tf.keras.losses.get(None) is None
    with pytest.raises(ValueError, match="Could not interpret loss identifier: nope"):
        tf.keras.losses.get("nope")
    with pytest.raises(ValueError, match="Invalid value for argument `reduction`"):
        tf.keras.losses.MeanSquaredError(reduction="avg")


@pytest.mark.parametrize("k", range(len(CASES["metrics"])),
                         ids=[c["expr"].split("metrics.")[1] for c in CASES["metrics"]])
def test_metrics_match_tf(k):
    case = CASES["metrics"][k]
    metric = eval(case["expr"])
    yt = None if case["y_true"] is None else DATA[case["y_true"]]
    yp, w = DATA[case["y_pred"]], DATA["weights"]
    h = len(yp) // 2
    results = []
    with warnings.catch_warnings():  # Keras's own: float weights for IoU's int counts, R2's
        warnings.simplefilter("ignore", UserWarning)  # fallback when too few samples
        for rows, weight in ((slice(0, h), None), (slice(h, None), w[h:]), (slice(None), None)):
            args = (yp[rows],) if yt is None else (yt[rows], yp[rows])
            metric.update_state(*args, sample_weight=weight)
            results.append(np.ravel(metric.result().numpy()))
        metric.reset_state()
        results.append(np.ravel(metric.result().numpy()))
    close(np.stack(results), ARRAYS[f"metric{k}"], ulps=4)
    assert [p.split("/", 1)[1] for p in case["paths"]] == \
        [v.path.split("/", 1)[1] for v in metric.variables]
    assert all(not v.trainable for v in metric.variables)
    assert _json(dict(metric.get_config(), name=case["config"]["name"])) == case["config"]
    again = type(metric).from_config(metric.get_config())
    assert _json(again.get_config()) == _json(metric.get_config())


@pytest.mark.parametrize("k", range(len(CASES["metric_functions"])),
                         ids=[c["fn"] for c in CASES["metric_functions"]])
def test_metric_functions_match_tf(k):
    case = CASES["metric_functions"][k]
    d = {"yt": DATA[case["y_true"]], "yp": DATA[case["y_pred"]]}
    value = eval(f"tf.keras.metrics.{case['fn']}(yt, yp, {case['kwargs']})", {"tf": tf}, d)
    close(value.numpy(), ARRAYS[f"metricfn{k}"])


def test_metric_get():
    assert isinstance(tf.keras.metrics.get("accuracy"), tf.keras.metrics.Accuracy)
    assert isinstance(tf.keras.metrics.get("mse"), tf.keras.metrics.MeanSquaredError)
    assert isinstance(tf.keras.metrics.get("AUC"), tf.keras.metrics.AUC)
    assert repr(tf.keras.metrics.Mean()) == "<Mean name=mean>"
    with pytest.raises(ValueError, match="Could not interpret metric identifier: nope"):
        tf.keras.metrics.get("nope")


def test_keras_style_subclass_runs_its_update_step():
    """A subclass written as Keras documents it (build + update_step with self.assign...)."""

    class MomentumSGD(tf.keras.optimizers.Optimizer):
        def __init__(self, learning_rate=0.05, **kwargs):
            super().__init__(learning_rate=learning_rate, **kwargs)

        def build(self, variables):
            super().build(variables)
            self.ms = [self.add_variable_from_reference(v, "momentum") for v in variables]

        def update_step(self, gradient, variable, learning_rate):
            lr = tf.cast(learning_rate, variable.dtype)
            m = self.ms[self._get_variable_index(variable)]
            self.assign(m, m * 0.9 - gradient * lr)
            self.assign_add(variable, m)

    k = next(i for i, c in enumerate(CASES["optimizers"])
             if c["expr"].endswith("SGD(learning_rate=0.05, momentum=0.9)"))
    opt, variables = MomentumSGD(), _variables()
    for step in range(CASES["steps"]):
        opt.apply_gradients(zip(_split(ARRAYS[f"opt{k}_grads"][step], variables), variables))
        got = np.concatenate([np.ravel(v.numpy()) for v in variables])
        close(got, ARRAYS[f"opt{k}_values"][step], ulps=0)
    assert [v.path.split("/")[1] for v in opt.variables][2:] == ["w_0_momentum", "b_0_momentum",
                                                                  "s_0_momentum"]


def test_optimizer_odd_inputs():
    # IndexedSlices are summed into a dense gradient, which is what Keras does too.
    dense, sparse = tf.Variable(np.ones((4, 2), np.float32)), tf.Variable(np.ones((4, 2), np.float32))
    slices = tf.IndexedSlices(tf.constant([[1.0, 2.0], [3.0, 4.0]]), tf.constant([1, 1]),
                              tf.constant([4, 2]))
    tf.keras.optimizers.Adam(0.1).apply_gradients([(slices, sparse)])
    tf.keras.optimizers.Adam(0.1).apply_gradients([(tf.convert_to_tensor(slices), dense)])
    np.testing.assert_array_equal(sparse.numpy(), dense.numpy())
    # float64 variables keep their dtype, and so do their slots.
    v = tf.Variable(np.ones(3))
    opt = tf.keras.optimizers.RMSprop(0.1)
    opt.apply_gradients([(tf.constant([1.0, 2.0, 3.0], tf.float64), v)])
    assert v.dtype == tf.float64 and opt.variables[-1].dtype == tf.float64
    # A schedule's learning rate cannot be set; a float one can.
    sched = tf.keras.optimizers.schedules.ExponentialDecay(0.1, 10, 0.5)
    opt = tf.keras.optimizers.SGD(learning_rate=sched)
    with pytest.raises(TypeError, match="not settable"):
        opt.learning_rate = 0.5
    assert opt.get_config()["learning_rate"]["class_name"] == "ExponentialDecay"
    # EMA: finalize_variable_values puts the averages into the variables.
    w = tf.Variable([1.0, 2.0])
    opt = tf.keras.optimizers.SGD(0.1, use_ema=True, ema_momentum=0.5)
    for _ in range(3):
        opt.apply_gradients([(tf.constant([1.0, 1.0]), w)])
    average = [v for v in opt.variables if v.path.endswith("_average")][0].numpy()
    opt.finalize_variable_values([w])
    np.testing.assert_array_equal(w.numpy(), average)
    with pytest.raises(ValueError, match="When passing `grads` without `variables`"):
        tf.keras.optimizers.Adam().apply([tf.constant(1.0)])
    opt.set_weights([np.asarray(v.numpy()) for v in opt.variables])


def test_apply_gradients_inside_tf_function():
    """Traced into a graph, the step is a stateful node that runs each time the graph runs."""
    pytest.importorskip("tapeflow.graph.script_ops")  # tracing arrives with tf.function

    def train(step_fn):
        variables = [tf.Variable(np.full(3, float(i), np.float32)) for i in range(4)]
        opt = tf.keras.optimizers.Adam(
            tf.keras.optimizers.schedules.ExponentialDecay(0.1, 2, 0.5))

        def step(x):
            with tf.GradientTape() as tape:
                loss = tf.add_n([tf.reduce_sum(v * v * x) for v in variables])
            opt.apply_gradients(zip(tape.gradient(loss, variables), variables))
            return loss

        step = step_fn(step)
        losses = [float(step(tf.constant(1.0))) for _ in range(4)]
        return losses, [v.numpy() for v in variables + opt.variables]

    eager, traced = train(lambda f: f), train(tf.function)
    assert eager[0] == traced[0]
    for a, b in zip(eager[1], traced[1]):
        np.testing.assert_array_equal(a, b)


def test_metric_and_loss_subclasses():
    class Matches(tf.keras.metrics.Metric):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.hits = self.add_weight(name="hits", initializer="zeros")
            self.spare = self.add_weight(shape=(2,), name="spare",
                                         initializer=tf.keras.initializers.get("ones"))

        def update_state(self, y_true, y_pred, sample_weight=None):
            self.hits.assign_add(tf.reduce_sum(tf.cast(tf.equal(y_true, y_pred), tf.float32)))

        def result(self):
            return tf.identity(self.hits)

    metric = Matches()
    assert [v.path for v in metric.variables] == ["matches/hits", "matches/spare"]
    assert float(metric([1, 2, 3], [1, 2, 0])) == 2.0
    np.testing.assert_array_equal(metric.spare.numpy(), [1.0, 1.0])
    metric.reset_state()
    assert float(metric.result()) == 0.0

    class Squares(tf.keras.losses.Loss):
        def call(self, y_true, y_pred):
            return tf.square(y_true - y_pred)

    assert float(Squares()([1.0, 2.0], [2.0, 4.0])) == 2.5
    assert float(Squares(reduction="sum")([1.0, 2.0], [2.0, 4.0])) == 5.0


def test_iou_warns_of_float_weights_as_keras():
    metric = tf.keras.metrics.MeanIoU(3)
    with pytest.warns(UserWarning, match="You are passing weight as `float`, but dtype is `int`"):
        metric.update_state([0, 1, 2], [0, 2, 2], sample_weight=tf.constant([1.0, 1.0, 2.0]))
    np.testing.assert_array_equal(metric.total_cm.numpy(), [[1, 0, 0], [0, 0, 1], [0, 0, 2]])


def test_metrics_and_losses_inside_tf_function():
    """Metric updates and results traced into a graph run each time the graph runs."""
    pytest.importorskip("tapeflow.graph.script_ops")  # tracing arrives with tf.function

    def run(step_fn):
        metrics = [tf.keras.metrics.SparseCategoricalAccuracy(),
                   tf.keras.metrics.AUC(num_thresholds=5), tf.keras.metrics.Mean()]
        hinge = tf.keras.losses.Hinge()

        def step(y, p, b):
            metrics[0].update_state(y, p)
            metrics[1].update_state(b, p[:, 0], sample_weight=tf.ones(3))
            metrics[2](p)
            return [m.result() for m in metrics] + [hinge(b, p[:, 0])]

        step = step_fn(step)
        rng = np.random.RandomState(0)
        out = []
        for _ in range(3):
            p = rng.rand(3, 2).astype(np.float32)
            y, b = rng.randint(0, 2, 3), rng.randint(0, 2, 3).astype(np.float32)
            out.append([float(np.asarray(r)) for r in step(tf.constant(y), tf.constant(p),
                                                           tf.constant(b))])
        return out

    assert run(lambda f: f) == run(tf.function)


def test_loss_scale_optimizer_skips_non_finite_steps():
    opt = tf.keras.optimizers.LossScaleOptimizer(tf.keras.optimizers.SGD(0.5),
                                                 initial_scale=8.0, dynamic_growth_steps=2)
    v = tf.Variable([1.0, 2.0])
    assert float(opt.scale_loss(tf.constant(3.0))) == 24.0
    opt.apply_gradients([(tf.constant([8.0, np.inf]), v)])  # skipped, the scale halves
    np.testing.assert_array_equal(v.numpy(), [1.0, 2.0])
    assert float(opt.dynamic_scale) == 4.0 and int(opt.iterations) == 0
    opt.apply_gradients([(tf.constant([4.0, 8.0]), v)])  # unscaled: [1, 2]
    np.testing.assert_array_equal(v.numpy(), [0.5, 1.0])
    opt.apply_gradients([(tf.constant([4.0, 8.0]), v)])  # two finite steps: the scale doubles
    assert float(opt.dynamic_scale) == 8.0 and int(opt.step_counter) == 0
    config = opt.get_config()
    assert config["inner_optimizer"]["class_name"] == "SGD"
    again = tf.keras.optimizers.LossScaleOptimizer.from_config(config)
    assert again.initial_scale == 8.0 and again.inner_optimizer.learning_rate == 0.5
    with pytest.raises(ValueError, match="does not support `clipnorm`"):
        tf.keras.optimizers.LossScaleOptimizer(tf.keras.optimizers.SGD(), clipnorm=1.0)


def test_cross_entropies_use_the_logits_behind_keras_activations():
    """Keras's softmax/sigmoid outputs remember their logits (as the activations of branch
    keras mark them); the cross-entropies then take the stable path, at +-1e4 too."""
    from tapeflow.keras.losses import _remember_logits
    x = tf.constant(DATA["extreme"])
    soft = _remember_logits(tf.nn.softmax(x), x, "Softmax")
    sig = _remember_logits(tf.math.sigmoid(x), x, "Sigmoid")
    close(tf.keras.losses.CategoricalCrossentropy()(DATA["onehot"], soft).numpy(),
          ARRAYS["tracked_cce"])
    close(tf.keras.losses.SparseCategoricalCrossentropy()(DATA["sparse"], soft).numpy(),
          ARRAYS["tracked_scce"])
    close(tf.keras.losses.BinaryCrossentropy()(DATA["binary_true"], sig).numpy(),
          ARRAYS["tracked_bce"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tf.keras.losses.BinaryCrossentropy(from_logits=True)(DATA["binary_true"], sig)
    assert [str(w.message) for w in caught] == CASES["logits_warning"]
    plain = tf.nn.softmax(x)  # not marked: the clipped probabilities, as Keras for tf.nn
    assert float(tf.keras.losses.CategoricalCrossentropy()(DATA["onehot"], plain)) != \
        float(ARRAYS["tracked_cce"])
