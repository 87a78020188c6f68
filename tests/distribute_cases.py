"""Snippets of tf.distribute, run by tools/record_distribute_fixtures.py under TensorFlow and by
tests/test_distribute.py under tapeflow: each sets ``out``, whose text (object addresses and
module paths masked, see ``text``) must be the same."""

import re

CASES = {
    "mirrored": """
s = tf.distribute.MirroredStrategy()
out = (s.num_replicas_in_sync, s.extended.worker_devices, s.extended.parameter_devices,
       tf.distribute.MirroredStrategy(devices=["/cpu:0"]).extended.worker_devices,
       tf.distribute.MirroredStrategy(
           cross_device_ops=tf.distribute.HierarchicalCopyAllReduce()).num_replicas_in_sync)
""",
    "others": """
out = [tf.distribute.OneDeviceStrategy("/cpu:0").extended.worker_devices,
       tf.distribute.MultiWorkerMirroredStrategy().num_replicas_in_sync,
       tf.distribute.experimental.CentralStorageStrategy().num_replicas_in_sync]
""",
    "contexts": """
s = tf.distribute.MirroredStrategy()
flags = lambda: (tf.distribute.has_strategy(), tf.distribute.in_cross_replica_context(),
                 tf.distribute.get_replica_context() is None)
out = [type(tf.distribute.get_strategy()).__name__, flags()]
with s.scope():
    out += [tf.distribute.get_strategy() is s, flags()]
    with s.scope():
        out.append(tf.distribute.get_strategy() is s)
out += [type(tf.distribute.get_strategy()).__name__, flags()]
""",
    "reduce": """
s, d = tf.distribute.MirroredStrategy(), tf.distribute.get_strategy()
x = tf.constant([[1., 2.], [3., 5.]])
out = [d.reduce("SUM", 1., axis=None), s.reduce("SUM", 1., axis=None),
       s.reduce("MEAN", 2, axis=None), s.reduce("MEAN", x, axis=0),
       s.reduce(tf.distribute.ReduceOp.SUM, x, axis=None), d.reduce("MEAN", x[0], axis=0),
       d.reduce("SUM", [1., 2.], axis=0), tf.distribute.ReduceOp("MEAN")]
""",
    "bad_reduce_op": """
try:
    tf.distribute.MirroredStrategy().reduce("MAX", 1., axis=None)
except ValueError as e:
    out = str(e)
""",
    "variables": """
s = tf.distribute.MirroredStrategy()
with s.scope():
    v = tf.Variable([1., 2.], name="w")
    plain = tf.distribute.OneDeviceStrategy("/cpu:0")
out = [str(v), repr(v), v.values, isinstance(v, tf.Variable), v * 2, v.assign_add([1., 1.]),
       s.experimental_local_results(v), v.values[0].numpy()]
with tf.distribute.OneDeviceStrategy("/cpu:0").scope():
    out.append(tf.Variable(2.))
""",
    "run": """
s = tf.distribute.MirroredStrategy()
def step(x, scale=1.):
    ctx = tf.distribute.get_replica_context()
    return (x * scale, ctx.replica_id_in_sync_group, ctx.num_replicas_in_sync,
            tf.distribute.in_cross_replica_context(), ctx.all_reduce("SUM", x))
out = [s.run(step, args=(tf.constant([1., 2.]),), kwargs={"scale": 3.}),
       tf.distribute.get_strategy().run(step, args=(tf.constant(4.),)),
       s.run(lambda: None), s.run(lambda a: a + 1, args=(1,)),
       tf.function(lambda x: s.run(lambda y: (
           y * 2, tf.distribute.get_replica_context().replica_id_in_sync_group), args=(x,)))(
           tf.constant(3.))]
""",
    "datasets": """
s = tf.distribute.MirroredStrategy()
dd = s.experimental_distribute_dataset(tf.data.Dataset.range(6).batch(4))
it = iter(dd)
pipelines = []
def dataset_fn(ctx):
    pipelines.append((str(ctx), ctx.num_input_pipelines, ctx.input_pipeline_id,
                      ctx.num_replicas_in_sync, ctx.get_per_replica_batch_size(8)))
    return tf.data.Dataset.range(3)
out = [list(dd), dd.element_spec, next(it), next(it),
       list(s.distribute_datasets_from_function(dataset_fn)), pipelines,
       tf.distribute.InputContext(2, 1, 4).get_per_replica_batch_size(8)]
try:
    tf.distribute.InputContext(2, 1, 4).get_per_replica_batch_size(6)
except ValueError as e:
    out.append(str(e))
""",
    "values": """
s = tf.distribute.MirroredStrategy()
out = [s.experimental_distribute_values_from_function(
           lambda ctx: (ctx.replica_id_in_sync_group, ctx.num_replicas_in_sync, str(ctx))),
       s.experimental_local_results(tf.constant(3)), s.gather(tf.constant([[1, 2]]), axis=0),
       tf.nn.compute_average_loss(tf.constant([1., 2., 3.]), global_batch_size=6)]
""",
    "mixing": """
s, o = tf.distribute.MirroredStrategy(), tf.distribute.OneDeviceStrategy("/cpu:0")
with o.scope():
    try:
        with s.scope():
            pass
    except RuntimeError as e:
        out = str(e)
""",
}


def text(value):
    """``repr(value)`` without what differs by implementation: object addresses and the module
    paths of the strategy classes."""
    s = re.sub(r"0x[0-9a-f]+", "0x", repr(value))
    return re.sub(r"<[\w.]+\.(\w+) object", r"<\1 object", s)
