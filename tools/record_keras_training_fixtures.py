"""Record what TF 2.21 / Keras 3 computes for optimizers, schedules, losses and metrics.

Run with the yardstick environment (never a dependency of tapeflow or its tests):

    /work/tfenv/bin/python tools/record_keras_training_fixtures.py

It writes tests/fixtures/training/{cases.json, arrays.npz}. The cases are Python expressions in
``tf`` that the tests evaluate with ``tf = tapeflow``, so both sides build the same objects.
"""

import json
import os
import warnings

import numpy as np
import tensorflow as tf

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "fixtures", "training")
STEPS = 20
K = "tf.keras.optimizers"
S = "tf.keras.optimizers.schedules"

OPTIMIZERS = [
    f"{K}.SGD(learning_rate=0.05)",
    f"{K}.SGD(learning_rate=0.05, momentum=0.9)",
    f"{K}.SGD(learning_rate=0.05, momentum=0.9, nesterov=True)",
    f"{K}.SGD(learning_rate=0.05, weight_decay=0.1)",
    f"{K}.SGD(learning_rate=lambda: 0.03)",
    f"{K}.SGD(learning_rate={S}.PiecewiseConstantDecay([5, 10], [0.1, 0.05, 0.01]))",
    f"{K}.Adam(learning_rate=0.05)",
    f"{K}.Adam(learning_rate=0.05, amsgrad=True)",
    f"{K}.Adam(learning_rate=0.05, clipnorm=0.5)",
    f"{K}.Adam(learning_rate=0.05, global_clipnorm=0.5)",
    f"{K}.Adam(learning_rate=0.05, clipvalue=0.1)",
    f"{K}.Adam(learning_rate=0.05, weight_decay=0.05)",
    f"{K}.Adam(learning_rate=0.05, use_ema=True, ema_momentum=0.9)",
    f"{K}.Adam(learning_rate=0.05, use_ema=True, ema_momentum=0.8, ema_overwrite_frequency=4)",
    f"{K}.Adam(learning_rate=0.05, gradient_accumulation_steps=3)",
    f"{K}.Adam(learning_rate=0.05, loss_scale_factor=4.0)",
    f"{K}.Adam(learning_rate={S}.ExponentialDecay(0.1, 5, 0.5))",
    f"{K}.Adam(learning_rate={S}.CosineDecay(0.01, 10, warmup_target=0.1, warmup_steps=5))",
    f"{K}.AdamW(learning_rate=0.05)",
    f"{K}.AdamW(learning_rate=0.05, weight_decay=0.1, amsgrad=True)",
    f"{K}.Adamax(learning_rate=0.05)",
    f"{K}.Nadam(learning_rate=0.05)",
    f"{K}.Nadam(learning_rate=0.05, gradient_accumulation_steps=2)",
    f"{K}.RMSprop(learning_rate=0.01)",
    f"{K}.RMSprop(learning_rate=0.01, momentum=0.9)",
    f"{K}.RMSprop(learning_rate=0.01, centered=True)",
    f"{K}.RMSprop(learning_rate=0.01, momentum=0.5, centered=True, rho=0.8)",
    f"{K}.Adagrad(learning_rate=0.1)",
    f"{K}.Adagrad(learning_rate=0.1, initial_accumulator_value=0.5, epsilon=1e-3)",
    f"{K}.Adadelta(learning_rate=1.0)",
    f"{K}.Lion(learning_rate=0.01)",
    f"{K}.Lion(learning_rate=0.01, beta_1=0.5, beta_2=0.9, weight_decay=0.1)",
    f"{K}.Ftrl(learning_rate=0.1)",
    f"{K}.AdamW(learning_rate=0.05, weight_decay=0.2); opt.exclude_from_weight_decay("
    "var_names=['b'])",
    f"{K}.SGD(learning_rate=0.05, weight_decay=0.2); opt.exclude_from_weight_decay(var_list=[s])",
    f"{K}.RMSprop(learning_rate=0.01); opt.learning_rate = 0.05",
    f"{K}.LossScaleOptimizer({K}.SGD(0.05, momentum=0.5), initial_scale=4.0, "
    "dynamic_growth_steps=3)",
    f"{K}.LossScaleOptimizer({K}.Adam(0.05))",
    f"{K}.Lamb(learning_rate=0.05)",
    f"{K}.Adafactor(learning_rate=0.05)",
    f"{K}.Adafactor(learning_rate=0.05, relative_step=False, clip_threshold=0.5, "
    "beta_2_decay=-0.5)",
    f"{K}.Lamb(learning_rate=0.05, beta_1=0.5, epsilon=1e-3, weight_decay=0.1)",
    f"{K}.Ftrl(learning_rate=0.1, learning_rate_power=-0.7, l1_regularization_strength=0.01, "
    "l2_regularization_strength=0.02, l2_shrinkage_regularization_strength=0.03, beta=0.1)",
]

SCHEDULES = [
    f"{S}.ExponentialDecay(0.1, 4, 0.7)",
    f"{S}.ExponentialDecay(0.1, 4, 0.7, staircase=True)",
    f"{S}.PiecewiseConstantDecay([3, 8], [1.0, 0.5, 0.1])",
    f"{S}.InverseTimeDecay(0.1, 3, 0.5)",
    f"{S}.InverseTimeDecay(0.1, 3, 0.5, staircase=True)",
    f"{S}.PolynomialDecay(0.1, 10, 0.01, power=0.5)",
    f"{S}.PolynomialDecay(0.1, 7, 0.01, power=2.0, cycle=True)",
    f"{S}.CosineDecay(0.1, 12)",
    f"{S}.CosineDecay(0.1, 12, alpha=0.1)",
    f"{S}.CosineDecay(0.0, 10, warmup_target=0.1, warmup_steps=5)",
    f"{S}.CosineDecayRestarts(0.1, 4)",
    f"{S}.CosineDecayRestarts(0.1, 3, t_mul=1.0, m_mul=0.5, alpha=0.1)",
    f"{S}.CosineDecayRestarts(0.1, 3, t_mul=1.5, m_mul=0.8)",
]

L = "tf.keras.losses"
# (constructor, name of the y_true array, name of the y_pred array)
LOSSES = [
    (f"{L}.MeanSquaredError()", "reg_true", "reg_pred"),
    (f"{L}.MeanAbsoluteError()", "reg_true", "reg_pred"),
    (f"{L}.MeanAbsolutePercentageError()", "reg_true", "reg_pred"),
    (f"{L}.MeanSquaredLogarithmicError()", "pos_true", "pos_pred"),
    (f"{L}.Huber()", "reg_true", "reg_pred"),
    (f"{L}.Huber(delta=0.3)", "reg_true", "reg_pred"),
    (f"{L}.LogCosh()", "reg_true", "reg_pred"),
    (f"{L}.CosineSimilarity()", "reg_true", "reg_pred"),
    (f"{L}.CosineSimilarity(axis=0)", "reg_true", "reg_pred"),
    (f"{L}.KLDivergence()", "onehot_smooth", "probs"),
    (f"{L}.Poisson()", "pos_true", "pos_pred"),
    (f"{L}.Hinge()", "binary_true", "reg_pred"),
    (f"{L}.Hinge()", "sign_true", "reg_pred"),
    (f"{L}.SquaredHinge()", "binary_true", "reg_pred"),
    (f"{L}.CategoricalHinge()", "onehot", "reg_pred"),
    (f"{L}.BinaryCrossentropy()", "binary_true", "binary_prob"),
    (f"{L}.BinaryCrossentropy(from_logits=True)", "binary_true", "reg_pred"),
    (f"{L}.BinaryCrossentropy(from_logits=True, label_smoothing=0.2)", "binary_true",
     "reg_pred"),
    (f"{L}.BinaryCrossentropy(from_logits=True)", "binary_true", "extreme"),
    (f"{L}.BinaryCrossentropy()", "binary_true", "saturated"),
    (f"{L}.BinaryFocalCrossentropy()", "binary_true", "binary_prob"),
    (f"{L}.BinaryFocalCrossentropy(from_logits=True, gamma=3.0)", "binary_true", "reg_pred"),
    (f"{L}.BinaryFocalCrossentropy(apply_class_balancing=True, alpha=0.4, from_logits=True, "
     "label_smoothing=0.1)", "binary_true", "reg_pred"),
    (f"{L}.BinaryFocalCrossentropy(from_logits=True)", "binary_true", "extreme"),
    (f"{L}.CategoricalCrossentropy()", "onehot", "probs"),
    (f"{L}.CategoricalCrossentropy(from_logits=True)", "onehot", "reg_pred"),
    (f"{L}.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1)", "onehot",
     "reg_pred"),
    (f"{L}.CategoricalCrossentropy(from_logits=True, axis=0)", "onehot", "reg_pred"),
    (f"{L}.CategoricalCrossentropy(from_logits=True)", "onehot", "extreme"),
    (f"{L}.CategoricalCrossentropy()", "onehot", "saturated"),
    (f"{L}.CategoricalFocalCrossentropy()", "onehot", "probs"),
    (f"{L}.CategoricalFocalCrossentropy(alpha=0.5, gamma=1.0, from_logits=True, "
     "label_smoothing=0.1)", "onehot", "reg_pred"),
    (f"{L}.CategoricalFocalCrossentropy(from_logits=True)", "onehot", "extreme"),
    (f"{L}.Dice()", "binary_true", "binary_prob"),
    (f"{L}.Dice(axis=-1)", "binary_true", "binary_prob"),
    (f"{L}.Tversky(alpha=0.3, beta=0.7)", "binary_true", "binary_prob"),
    (f"{L}.Tversky(axis=-1)", "binary_true", "binary_prob"),
    (f"{L}.CategoricalGeneralizedCrossEntropy()", "sparse", "probs"),
    (f"{L}.CategoricalGeneralizedCrossEntropy(q=0.2)", "sparse", "probs"),
    (f"{L}.SparseCategoricalCrossentropy()", "sparse", "probs"),
    (f"{L}.SparseCategoricalCrossentropy(from_logits=True)", "sparse", "reg_pred"),
    (f"{L}.SparseCategoricalCrossentropy(from_logits=True)", "sparse_col", "reg_pred"),
    (f"{L}.SparseCategoricalCrossentropy(from_logits=True)", "sparse", "extreme"),
    (f"{L}.SparseCategoricalCrossentropy(from_logits=True, ignore_class=1)", "sparse",
     "reg_pred"),
]
LOSS_FUNCTIONS = [
    ("mse", "reg_true", "reg_pred", ""),
    ("mae", "reg_true", "reg_pred", ""),
    ("mape", "reg_true", "reg_pred", ""),
    ("msle", "pos_true", "pos_pred", ""),
    ("huber", "reg_true", "reg_pred", "delta=0.5"),
    ("logcosh", "reg_true", "reg_pred", ""),
    ("cosine_similarity", "reg_true", "reg_pred", "axis=-1"),
    ("kullback_leibler_divergence", "onehot_smooth", "probs", ""),
    ("poisson", "pos_true", "pos_pred", ""),
    ("hinge", "binary_true", "reg_pred", ""),
    ("squared_hinge", "binary_true", "reg_pred", ""),
    ("categorical_hinge", "onehot", "reg_pred", ""),
    ("binary_crossentropy", "binary_true", "reg_pred", "from_logits=True"),
    ("binary_focal_crossentropy", "binary_true", "binary_prob", "gamma=1.5"),
    ("categorical_crossentropy", "onehot", "reg_pred", "from_logits=True, label_smoothing=0.3"),
    ("sparse_categorical_crossentropy", "sparse", "probs", ""),
    ("categorical_focal_crossentropy", "onehot", "probs", "gamma=3.0"),
    ("dice", "binary_true", "binary_prob", "axis=-1"),
    ("tversky", "binary_true", "binary_prob", "alpha=0.2, beta=0.8"),
]
REDUCTIONS = ["sum_over_batch_size", "sum", "none", None, "mean", "mean_with_sample_weight"]

M = "tf.keras.metrics"
# (constructor, y_true array, y_pred array); None for y_true: a one-argument metric.
METRICS = [
    (f"{M}.Mean()", None, "reg_pred"),
    (f"{M}.Sum()", None, "reg_pred"),
    (f"{M}.MeanMetricWrapper(tf.keras.losses.mae, name='w')", "reg_true",
     "reg_pred"),
    (f"{M}.MeanSquaredError()", "reg_true", "reg_pred"),
    (f"{M}.MeanAbsoluteError()", "reg_true", "reg_pred"),
    (f"{M}.RootMeanSquaredError()", "reg_true", "reg_pred"),
    (f"{M}.MeanAbsolutePercentageError()", "reg_true", "reg_pred"),
    (f"{M}.MeanSquaredLogarithmicError()", "pos_true", "pos_pred"),
    (f"{M}.CosineSimilarity()", "reg_true", "reg_pred"),
    (f"{M}.LogCoshError()", "reg_true", "reg_pred"),
    (f"{M}.Hinge()", "binary_true", "reg_pred"),
    (f"{M}.SquaredHinge()", "binary_true", "reg_pred"),
    (f"{M}.CategoricalHinge()", "onehot", "reg_pred"),
    (f"{M}.KLDivergence()", "onehot_smooth", "probs"),
    (f"{M}.Poisson()", "pos_true", "pos_pred"),
    (f"{M}.BinaryCrossentropy(from_logits=True, label_smoothing=0.1)", "binary_true",
     "reg_pred"),
    (f"{M}.CategoricalCrossentropy()", "onehot", "probs"),
    (f"{M}.SparseCategoricalCrossentropy(from_logits=True)", "sparse", "reg_pred"),
    (f"{M}.SparseCategoricalCrossentropy(from_logits=True, ignore_class=2)", "sparse",
     "reg_pred"),
    (f"{M}.Accuracy()", "sparse", "sparse_guess"),
    (f"{M}.BinaryAccuracy()", "binary_true", "binary_prob"),
    (f"{M}.BinaryAccuracy(threshold=0.7)", "binary_true", "binary_prob"),
    (f"{M}.CategoricalAccuracy()", "onehot", "probs"),
    (f"{M}.SparseCategoricalAccuracy()", "sparse", "probs"),
    (f"{M}.SparseCategoricalAccuracy()", "sparse_col", "probs"),
    (f"{M}.TopKCategoricalAccuracy(k=2)", "onehot", "probs"),
    (f"{M}.SparseTopKCategoricalAccuracy(k=2)", "sparse", "probs"),
    (f"{M}.Precision()", "binary_true", "binary_prob"),
    (f"{M}.Precision(thresholds=[0.2, 0.5, 0.8])", "binary_true", "binary_prob"),
    (f"{M}.Precision(top_k=2)", "onehot", "probs"),
    (f"{M}.Precision(class_id=1)", "onehot", "probs"),
    (f"{M}.Recall()", "binary_true", "binary_prob"),
    (f"{M}.Recall(thresholds=[0.3, 0.6])", "binary_true", "binary_prob"),
    (f"{M}.TruePositives()", "binary_true", "binary_prob"),
    (f"{M}.FalsePositives(thresholds=[0.3, 0.6])", "binary_true", "binary_prob"),
    (f"{M}.TrueNegatives(thresholds=0.4)", "binary_true", "binary_prob"),
    (f"{M}.FalseNegatives()", "binary_true", "binary_prob"),
    (f"{M}.SensitivityAtSpecificity(0.5)", "binary_true", "binary_prob"),
    (f"{M}.SpecificityAtSensitivity(0.6, num_thresholds=11)", "binary_true", "binary_prob"),
    (f"{M}.PrecisionAtRecall(0.7)", "binary_true", "binary_prob"),
    (f"{M}.RecallAtPrecision(0.4, num_thresholds=1)", "binary_true", "binary_prob"),
    (f"{M}.PrecisionAtRecall(0.5, class_id=2)", "onehot", "probs"),
    (f"{M}.F1Score()", "onehot", "probs"),
    (f"{M}.F1Score(average='macro', threshold=0.3)", "binary_true", "binary_prob"),
    (f"{M}.FBetaScore(average='weighted', beta=2.0)", "onehot", "probs"),
    (f"{M}.FBetaScore(average='micro', beta=0.5, threshold=0.5)", "binary_true", "binary_prob"),
    (f"{M}.R2Score()", "reg_true", "reg_pred"),
    (f"{M}.R2Score(class_aggregation='variance_weighted_average')", "reg_true", "reg_pred"),
    (f"{M}.R2Score(class_aggregation=None, num_regressors=1)", "reg_true", "reg_pred"),
    (f"{M}.MeanIoU(4)", "sparse", "sparse_guess"),
    (f"{M}.MeanIoU(4, ignore_class=0)", "sparse", "sparse_guess"),
    (f"{M}.IoU(4, target_class_ids=[1, 3])", "sparse", "sparse_guess"),
    (f"{M}.BinaryIoU()", "binary_vec", "prob_vec"),
    (f"{M}.BinaryIoU(target_class_ids=[1], threshold=0.3)", "binary_vec", "prob_vec"),
    (f"{M}.OneHotIoU(4, target_class_ids=[0, 2])", "onehot", "probs"),
    (f"{M}.OneHotMeanIoU(4)", "onehot", "probs"),
    (f"{M}.PearsonCorrelation()", "reg_true", "reg_pred"),
    (f"{M}.ConcordanceCorrelation()", "reg_true", "reg_pred"),
    (f"{M}.AUC()", "binary_true", "binary_prob"),
    (f"{M}.AUC(num_thresholds=7)", "binary_true", "binary_prob"),
    (f"{M}.AUC(curve='PR')", "binary_true", "binary_prob"),
    (f"{M}.AUC(curve='PR', num_thresholds=11)", "binary_true", "binary_prob"),
    (f"{M}.AUC(summation_method='minoring')", "binary_true", "binary_prob"),
    (f"{M}.AUC(curve='PR', summation_method='majoring')", "binary_true", "binary_prob"),
    (f"{M}.AUC(from_logits=True)", "binary_true", "reg_pred"),
    (f"{M}.AUC(thresholds=[0.25, 0.5, 0.75])", "binary_true", "binary_prob"),
    (f"{M}.AUC(label_weights=[1.0, 2.0, 0.5, 1.0])", "binary_true", "binary_prob"),
    (f"{M}.AUC(multi_label=True)", "binary_true", "binary_prob"),
    (f"{M}.AUC(multi_label=True, num_labels=4, curve='PR', label_weights=[1.0, 2.0, 0.5, 1.0])",
     "binary_true", "binary_prob"),
    (f"{M}.AUC(multi_label=True, num_thresholds=9, summation_method='majoring')",
     "binary_true", "binary_prob"),
]


def data():
    rng = np.random.RandomState(0)
    f = np.float32
    n, c = 6, 4
    sparse = rng.randint(0, c, n)
    onehot = np.eye(c, dtype=f)[sparse]
    probs = rng.dirichlet(np.ones(c), n).astype(f)
    binary = rng.randint(0, 2, (n, c)).astype(f)
    return {
        "reg_true": rng.randn(n, c).astype(f),
        "reg_pred": rng.randn(n, c).astype(f) * 2,
        "pos_true": rng.rand(n, c).astype(f) * 3,
        "pos_pred": rng.rand(n, c).astype(f) * 3 + 0.01,
        "onehot": onehot,
        "onehot_smooth": (onehot * 0.8 + 0.05).astype(f),
        "probs": probs,
        "sparse": sparse.astype(np.int32),
        "sparse_col": sparse.reshape(n, 1).astype(np.int32),
        "sparse_guess": np.where(rng.rand(n) < 0.5, sparse, (sparse + 1) % c).astype(np.int32),
        "binary_true": binary,
        "sign_true": binary * 2 - 1,
        "binary_prob": rng.rand(n, c).astype(f),
        "extreme": np.where(rng.rand(n, c) < 0.5, -1e4, 1e4).astype(f),
        "saturated": np.where(rng.rand(n, c) < 0.5, 0.0, 1.0).astype(f),
        "weights": rng.randint(0, 4, n).astype(f),
        "X": rng.randn(8, 3).astype(f),
        "binary_vec": binary[:, 0].copy(),
        "prob_vec": rng.rand(n).astype(f),
        "Y": rng.randn(8, 2).astype(f),
        "w0": rng.randn(3, 2).astype(f),
        "b0": rng.randn(2).astype(f),
        "s0": np.asarray(1.5, f),
    }


def make_optimizer(expr, variables):
    """``expr``, then the statements after its ``;`` with ``opt`` (and w, b, s) in scope."""
    first, _, rest = expr.partition(";")
    scope = dict(variables, tf=tf, opt=eval(first))
    exec(rest.strip(), scope)
    return scope["opt"]


def problem_grads(X, Y, w, b, s):
    with tf.GradientTape() as tape:
        pred = tf.matmul(X, w) + b * s
        loss = tf.reduce_mean(tf.square(pred - Y)) + 0.1 * tf.square(s)
    return tape.gradient(loss, [w, b, s])


def record_optimizers(d, arrays, cases):
    for i, expr in enumerate(OPTIMIZERS):
        w = tf.Variable(d["w0"], name="w")
        b = tf.Variable(d["b0"], name="b")
        s = tf.Variable(d["s0"], name="s")
        opt = make_optimizer(expr, {"w": w, "b": b, "s": s})
        grads, values = [], []
        for _ in range(STEPS):
            g = problem_grads(d["X"], d["Y"], w, b, s)
            grads.append(np.concatenate([np.ravel(x.numpy()) for x in g]))
            opt.apply_gradients(zip(g, [w, b, s]))
            values.append(np.concatenate([np.ravel(v.numpy()) for v in (w, b, s)]))
        arrays[f"opt{i}_grads"] = np.stack(grads)
        arrays[f"opt{i}_values"] = np.stack(values)
        arrays[f"opt{i}_slots"] = np.concatenate(
            [np.ravel(np.asarray(v.numpy(), np.float64)) for v in opt.variables])
        cases["optimizers"].append({"expr": expr, "paths": [v.path for v in opt.variables],
                                    "iterations": int(opt.iterations.numpy()),
                                    "config": _config(opt)})


def _config(obj):
    try:
        return _jsonable(obj.get_config())
    except Exception:  # noqa: BLE001 - Keras cannot serialize a lambda learning rate
        return None


def _jsonable(config):
    return json.loads(json.dumps(config, default=lambda o: repr(o)))


def record_schedules(arrays, cases):
    for i, expr in enumerate(SCHEDULES):
        sched = eval(expr)
        arrays[f"sched{i}"] = np.array([sched(step).numpy() for step in range(30)])
        cases["schedules"].append({"expr": expr, "config": sched.get_config(),
                                   "dtype": sched(3).dtype.name})


def record_losses(d, arrays, cases):
    w = d["weights"]
    for i, (expr, yt, yp) in enumerate(LOSSES):
        entry = {"expr": expr, "y_true": yt, "y_pred": yp, "name": eval(expr).name,
                 "config": _jsonable(eval(expr).get_config())}
        for red in REDUCTIONS:
            loss = eval(expr.replace("()", f"(reduction={red!r})") if expr.endswith("()")
                        else expr[:-1] + f", reduction={red!r})")
            pred = tf.constant(d[yp])
            with tf.GradientTape() as tape:
                tape.watch(pred)
                value = loss(d[yt], pred)
            arrays[f"loss{i}_{red}"] = value.numpy()
            arrays[f"loss{i}_{red}_grad"] = tape.gradient(value, pred).numpy()
            if "axis=0" not in expr:  # per-class losses: the weights are per example
                arrays[f"loss{i}_{red}_w"] = loss(d[yt], pred, sample_weight=w).numpy()
        cases["losses"].append(entry)
    for i, (fn, yt, yp, kwargs) in enumerate(LOSS_FUNCTIONS):
        arrays[f"lossfn{i}"] = eval(f"tf.keras.losses.{fn}(d[yt], d[yp], {kwargs})").numpy()
        cases["loss_functions"].append({"fn": fn, "y_true": yt, "y_pred": yp, "kwargs": kwargs})


def record_metrics(d, arrays, cases):
    w = d["weights"]
    for i, (expr, yt, yp) in enumerate(METRICS):
        metric = eval(expr)
        results = []
        # Three batches: the first half, the second half with weights, everything again.
        h = len(d[yp]) // 2
        batches = [(slice(0, h), None), (slice(h, None), w[h:]), (slice(None), None)]
        for rows, weight in batches:
            args = (d[yp][rows],) if yt is None else (d[yt][rows], d[yp][rows])
            metric.update_state(*args, sample_weight=weight)
            results.append(np.ravel(metric.result().numpy()))
        metric.reset_state()
        results.append(np.ravel(metric.result().numpy()))
        arrays[f"metric{i}"] = np.stack(results)
        cases["metrics"].append({"expr": expr, "y_true": yt, "y_pred": yp, "name": metric.name,
                                 "paths": [v.path for v in metric.variables],
                                 "config": _jsonable(metric.get_config())})


METRIC_FUNCTIONS = [
    ("binary_accuracy", "binary_true", "binary_prob", "threshold=0.4"),
    ("categorical_accuracy", "onehot", "probs", ""),
    ("sparse_categorical_accuracy", "sparse", "probs", ""),
    ("top_k_categorical_accuracy", "onehot", "probs", "k=2"),
    ("sparse_top_k_categorical_accuracy", "sparse", "probs", "k=3"),
    ("pearson_correlation", "reg_true", "reg_pred", ""),
    ("concordance_correlation", "reg_true", "reg_pred", "axis=0"),
]


def record_metric_functions(d, arrays, cases):
    for i, (fn, yt, yp, kwargs) in enumerate(METRIC_FUNCTIONS):
        arrays[f"metricfn{i}"] = eval(f"tf.keras.metrics.{fn}(d[yt], d[yp], {kwargs})").numpy()
        cases["metric_functions"].append({"fn": fn, "y_true": yt, "y_pred": yp,
                                          "kwargs": kwargs})


def record_logits_tracking(d, arrays, cases):
    """Keras's activations leave their logits on their outputs; cross-entropies use them."""
    x = tf.constant(d["extreme"])
    soft, sig = tf.keras.activations.softmax(x), tf.keras.activations.sigmoid(x)
    arrays["tracked_cce"] = tf.keras.losses.CategoricalCrossentropy()(d["onehot"], soft).numpy()
    arrays["tracked_scce"] = tf.keras.losses.SparseCategoricalCrossentropy()(
        d["sparse"], soft).numpy()
    arrays["tracked_bce"] = tf.keras.losses.BinaryCrossentropy()(d["binary_true"], sig).numpy()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tf.keras.losses.BinaryCrossentropy(from_logits=True)(d["binary_true"], sig)
    cases["logits_warning"] = [str(w.message) for w in caught]


def record_messages(d, cases):
    msgs = {}
    for expr in OPTIMIZERS[:1] + [f"{K}.Adam()", f"{K}.RMSprop()", f"{K}.Ftrl()",
                                  f"{K}.SGD(momentum=0.5)", f"{K}.Adagrad()", f"{K}.Adadelta()",
                                  f"{K}.Lion()", f"{K}.Nadam()", f"{K}.Adamax()"]:
        opt = eval(expr)
        w = tf.Variable(np.ones((3, 2), np.float32), name="w")
        try:
            opt.apply_gradients([(tf.ones((2, 2)), w)])
        except Exception as e:  # noqa: BLE001 - record whatever TF raises
            msgs[expr] = [type(e).__name__, str(e)]
    opt = tf.keras.optimizers.SGD()
    w, b = tf.Variable(1.0, name="w"), tf.Variable(2.0, name="b")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        opt.apply_gradients([(None, w), (tf.constant(1.0), b)])
    msgs["none_warning"] = [str(x.message) for x in caught]
    try:
        opt.apply_gradients([(None, w), (None, b)])
    except ValueError as e:
        msgs["all_none"] = str(e)
    cases["messages"] = msgs


def main():
    os.makedirs(OUT, exist_ok=True)
    d = data()
    arrays = {f"data_{k}": v for k, v in d.items()}
    cases = {"steps": STEPS, "optimizers": [], "schedules": [], "losses": [],
             "loss_functions": [], "metrics": [], "metric_functions": [], "reductions": REDUCTIONS}
    record_optimizers(d, arrays, cases)
    record_schedules(arrays, cases)
    record_losses(d, arrays, cases)
    record_metrics(d, arrays, cases)
    record_metric_functions(d, arrays, cases)
    record_logits_tracking(d, arrays, cases)
    record_messages(d, cases)
    np.savez_compressed(os.path.join(OUT, "arrays.npz"), **arrays)
    with open(os.path.join(OUT, "cases.json"), "w") as f:
        json.dump(cases, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
