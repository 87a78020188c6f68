"""Snippets of tf.distribute over two replicas (``MirroredStrategy(["/cpu:0", "/cpu:1"])``), run
by tools/record_distribute_replica_fixtures.py under TensorFlow (with two logical CPU devices)
and by tests/test_distribute_replicas.py under tapeflow: each sets ``out``, whose text (see
distribute_cases.text) must be the same. ``S`` is the strategy, made before each snippet."""

CASES = {
    "all_reduce": """
def step(x):
    ctx = tf.distribute.get_replica_context()
    i = tf.cast(ctx.replica_id_in_sync_group, tf.float32)
    v = x * (i + 1.)
    return (ctx.all_reduce("SUM", v), ctx.all_reduce(tf.distribute.ReduceOp.MEAN, v),
            ctx.all_reduce("SUM", {"a": [i, 2. * i], "b": tf.constant(1.)}),
            ctx.all_reduce("SUM", tf.cast(i, tf.int32) + 3),
            ctx.all_reduce("MEAN", tf.cast(i, tf.int32) + 3))
out = S.run(step, args=(tf.constant([1., 2.]),))
""",
    "all_reduce_indexed_slices": """
def step():
    i = tf.cast(tf.distribute.get_replica_context().replica_id_in_sync_group, tf.float32)
    s = tf.IndexedSlices(tf.constant([[1., 2.]]) * (i + 1.), tf.constant([0]) + tf.cast(i, tf.int32),
                         tf.constant([3, 2]))
    r = tf.distribute.get_replica_context().all_reduce("SUM", s)
    m = tf.distribute.get_replica_context().all_reduce("MEAN", s)
    return (type(r).__name__, r.values, r.indices, r.dense_shape, m.values,
            tf.convert_to_tensor(r))
out = S.experimental_local_results(S.run(step))
""",
    "all_reduce_gradient": """
def step():
    ctx = tf.distribute.get_replica_context()
    x = tf.constant([1., 2.]) * (tf.cast(ctx.replica_id_in_sync_group, tf.float32) + 1.)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y, m = ctx.all_reduce("SUM", [x * x, tf.reduce_sum(x)])
        m2 = ctx.all_reduce("MEAN", 3. * x)
        z = tf.reduce_sum(y * tf.constant([1., 3.])) + m + tf.reduce_sum(m2)
    return tape.gradient(z, x)
out = S.run(step)
""",
    "all_gather": """
def step(x):
    ctx = tf.distribute.get_replica_context()
    i = tf.cast(ctx.replica_id_in_sync_group, tf.float32)
    return (ctx.all_gather(x + i, axis=0), ctx.all_gather([tf.fill([1, 2], i)], axis=1))
per = S.run(step, args=(tf.constant([[1., 2.]]),))
out = (per, S.gather(S.experimental_distribute_values_from_function(
    lambda c: tf.fill([c.replica_id_in_sync_group + 1, 2], 1. * c.replica_id_in_sync_group)), 0))
""",
    "merge_call": """
seen = []
def merge_fn(strategy, value, *, extra):
    seen.append((tf.distribute.in_cross_replica_context(), type(value).__name__, extra))
    return strategy.reduce("SUM", value, axis=None) + extra
def step():
    ctx = tf.distribute.get_replica_context()
    v = tf.cast(ctx.replica_id_in_sync_group, tf.float32) + 1.
    return ctx.merge_call(merge_fn, args=(v,), kwargs={"extra": 10.})
out = (S.run(step), seen)
""",
    "merge_call_per_replica_result": """
def step():
    ctx = tf.distribute.get_replica_context()
    v = tf.cast(ctx.replica_id_in_sync_group, tf.float32)
    return ctx.merge_call(lambda s, x: x, args=(v * 5.,))
out = S.run(step)
""",
    "update_in_cross_replica": """
with S.scope():
    v = tf.Variable([1., 2.], name="u")
res = S.extended.update(v, lambda var, d: var.assign_add(d), args=(tf.constant([1., 1.]),),
                        group=False)
grouped = S.extended.update(v, lambda var, d: var.assign_add(d) * 2, args=(tf.constant([1., 1.]),))
out = (v, res, grouped, S.extended.call_for_each_replica(
    lambda: tf.distribute.get_replica_context().replica_id_in_sync_group))
""",
    "update_in_replica": """
with S.scope():
    v = tf.Variable(1., name="r")
def step():
    ctx = tf.distribute.get_replica_context()
    d = tf.cast(ctx.replica_id_in_sync_group, tf.float32) + 1.
    def merge_fn(strategy, d):
        return strategy.extended.update(v, lambda var, x: var.assign_add(x), args=(
            strategy.reduce("SUM", d, axis=None),))
    ctx.merge_call(merge_fn, args=(d,))
S.run(step)
out = v
""",
    "per_replica_copies": """
with S.scope():
    v = tf.Variable(1., name="n")
def step():
    i = tf.cast(tf.distribute.get_replica_context().replica_id_in_sync_group, tf.float32)
    v.assign_add(1.)
    seen = v.read_value()
    v.assign(v * (i + 1.))
    return seen, v.read_value()
out = [S.run(step), v.values[0], S.run(lambda: v.read_value())]
v.assign(7.)
out.append(S.run(lambda: v + 0.))
""",
    "metrics_on_read": """
with S.scope():
    m = tf.keras.metrics.Mean()
    acc = tf.keras.metrics.SparseCategoricalAccuracy()
def step():
    i = tf.cast(tf.distribute.get_replica_context().replica_id_in_sync_group, tf.float32)
    m.update_state(tf.fill([2], i + 1.))
    acc.update_state([[0], [1]], [[1., 0.], [1., 0.]] if int(i) == 0 else [[1., 0.], [0., 1.]])
    return m.result(), acc.result()
out = [S.run(step), m.result(), acc.result()]
m.reset_state()
out += [S.run(step), m.result(), [v.numpy() for v in m.variables]]
""",
    "reduce_to": """
per = S.experimental_distribute_values_from_function(
    lambda c: tf.constant([1., 2.]) * (c.replica_id_in_sync_group + 1.))
with S.scope():
    v = tf.Variable([0., 0.], name="dest")
out = [S.extended.reduce_to("SUM", per, destinations=v),
       S.extended.reduce_to(tf.distribute.ReduceOp.MEAN, per, destinations=v),
       S.extended.batch_reduce_to("SUM", [(per, v), (per, v)])]
""",
    "mirrored_assign_in_replica_context": """
with S.scope():
    v = tf.Variable(1., name="a")
try:
    S.run(lambda: v.assign_add(1.))
    out = v
except ValueError as e:
    out = str(e)[:90]
""",
    "mirrored_sum_aggregation": """
with S.scope():
    v = tf.Variable(1., name="s", aggregation=tf.VariableAggregation.SUM)
    m = tf.Variable(1., name="m", aggregation=tf.VariableAggregation.MEAN)
    f = tf.Variable(1., name="f", aggregation=tf.VariableAggregation.ONLY_FIRST_REPLICA)
def step():
    i = tf.cast(tf.distribute.get_replica_context().replica_id_in_sync_group, tf.float32)
    v.assign_add(i + 1.)
    m.assign(i + 3.)
    f.assign_add(i + 5.)
S.run(step)
out = (v.values[0], m.values[1], f.values[1])
""",
    "contexts_outside_their_place": """
ctxs = S.experimental_local_results(S.run(tf.distribute.get_replica_context))
default = tf.distribute.get_replica_context()
out = [isinstance(c, tf.distribute.ReplicaContext) for c in ctxs]
for f in (lambda: ctxs[0].all_reduce("SUM", tf.constant(1.)),
          lambda: ctxs[1].merge_call(lambda s: 1.),
          lambda: S.run(lambda: S.gather(tf.constant([1.]), 0)),
          lambda: S.run(lambda: S.reduce("SUM", tf.constant(1.), None))):
    try:
        out.append(("ran", f()))
    except Exception as e:
        out.append((type(e).__name__, str(e).split(":")[0]))
""",
    "compute_average_loss": """
def step(x):
    return (tf.nn.compute_average_loss(x), tf.nn.compute_average_loss(x, global_batch_size=8),
            tf.nn.compute_average_loss(x, sample_weight=2.),
            tf.nn.scale_regularization_loss([1., 3.]))
data = tf.data.Dataset.from_tensor_slices(tf.constant([1., 2., 3., 4., 5.])).batch(5)
out = S.run(step, args=(next(iter(S.experimental_distribute_dataset(data))),))
""",
    "compute_average_loss_in_cross_replica_context": """
out = []
with S.scope():
    for f in (lambda: tf.nn.compute_average_loss([1., 2.]),
              lambda: tf.nn.scale_regularization_loss(1.)):
        try:
            f()
        except RuntimeError as e:
            out.append(str(e))
    out.append(tf.nn.compute_average_loss([1., 2.], global_batch_size=4))
""",
    "merge_call_different_counts": """
def step():
    ctx = tf.distribute.get_replica_context()
    if int(ctx.replica_id_in_sync_group) == 0:
        ctx.merge_call(lambda s: None)
    return 1.
try:
    S.run(step)
    out = "ran"
except Exception as e:
    out = (type(e).__name__, str(e))
""",
    "replica_error": """
def step():
    if int(tf.distribute.get_replica_context().replica_id_in_sync_group) == 1:
        raise KeyError("replica 1 fails")
    return 1.
try:
    S.run(step)
except KeyError as e:
    out = str(e)
""",
}
