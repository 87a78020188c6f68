"""Snippets run under TF 2.21 (tools/record_guides3_fixtures.py records what they print) and
under tapeflow (tests/test_guides3.py compares). ``tf`` is the library; ``tmp`` a fresh folder."""

CASES = {
    "mirrored_generator_streams": """
strategy = tf.distribute.MirroredStrategy(devices=["cpu:0", "cpu:1"])
with strategy.scope():
    gen = tf.random.Generator.from_seed(7)
    print(strategy.run(lambda: gen.normal([2])))
    print(strategy.run(lambda: gen.uniform([], maxval=10, dtype=tf.int32)))
    print(gen.state.numpy())
    print(gen.normal([]))  # cross-replica: the plain stream
""",
    "generator_made_in_a_replica": """
strategy = tf.distribute.MirroredStrategy(devices=["cpu:0", "cpu:2"])

def draw():
    gen = tf.random.Generator.from_seed(3)
    return gen.normal([]) + gen.normal([])
print(strategy.run(draw))
outside = tf.random.Generator.from_seed(3)
with strategy.scope():
    print(strategy.run(lambda: outside.normal([])))
""",
    "three_replicas_restore": """
two = tf.distribute.MirroredStrategy(devices=["cpu:0", "cpu:1"])
with two.scope():
    gen = tf.random.Generator.from_seed(11)
    two.run(lambda: gen.normal([]))
    path = tf.train.Checkpoint(g=gen).write(tmp + "/ckpt")
three = tf.distribute.MirroredStrategy(devices=["cpu:0", "cpu:1", "cpu:2"])
with three.scope():
    gen3 = tf.random.Generator.from_seed(0)
    tf.train.Checkpoint(g=gen3).restore(path)
    print(three.run(lambda: gen3.normal([])))
""",
    "per_replica_values": """
strategy = tf.distribute.MirroredStrategy(devices=["cpu:0", "cpu:1"])
with strategy.scope():
    ids = strategy.run(lambda: tf.distribute.get_replica_context().replica_id_in_sync_group)
    print(ids)
    out = strategy.run(lambda x: (x * 2, {"n": tf.constant([1.0, 3.0])}), args=(ids,))
    print(out)
    print(strategy.experimental_local_results(ids))
    print(strategy.reduce(tf.distribute.ReduceOp.SUM, ids, axis=None))
    print(strategy.reduce("MEAN", out[1]["n"], axis=0))
    print(strategy.reduce("MEAN", tf.constant(2.0), axis=None))
    try:
        strategy.reduce("SUM", tf.constant(2.0), axis=None)
    except ValueError as e:
        print(e)
    print(strategy.num_replicas_in_sync, strategy.extended.worker_devices)
    print(tf.distribute.get_replica_context(), tf.distribute.in_cross_replica_context())
    print(tf.distribute.has_strategy(), tf.distribute.get_strategy() is strategy)
    print(strategy.run(lambda: None))
print(tf.distribute.has_strategy(), tf.distribute.in_cross_replica_context())
single = tf.distribute.MirroredStrategy(devices=["cpu:0"])
print(repr(single.run(lambda: tf.constant(1.5))))
""",
    "generator_in_a_saved_model": """
class Noise(tf.Module):
    def __init__(self):
        super().__init__()
        self.gen = tf.random.Generator.from_seed(5)

    @tf.function
    def __call__(self):
        return self.gen.normal([2])

    @tf.function
    def state(self):
        return self.gen.state

noise = Noise()
print(noise(), noise.state())
tf.saved_model.save(noise, tmp + "/noise")
print(noise(), noise.state())
loaded = tf.saved_model.load(tmp + "/noise")
print(loaded.state(), loaded(), loaded.state())
""",
}
