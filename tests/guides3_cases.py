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
    "saving_traces_again": """
class Scaler(tf.Module):
    def __init__(self):
        super().__init__()
        self.factor = tf.Variable(2.0)

    @tf.function
    def __call__(self, x):
        print("tracing", x)
        return x * self.factor

    @tf.function(input_signature=[tf.TensorSpec([], tf.float32)])
    def shift(self, x):
        print("tracing shift", x)
        return x + self.factor

scaler = Scaler()
scaler(tf.constant(1.0))
scaler(tf.constant([1.0, 2.0]))
scaler(3)
print(scaler.__call__.experimental_get_tracing_count())
tf.saved_model.save(scaler, tmp + "/a")
print(scaler.__call__.experimental_get_tracing_count(), scaler.shift.experimental_get_tracing_count())
tf.saved_model.save(scaler, tmp + "/b")
scaler.shift(tf.constant(1.0))
print(scaler.shift.experimental_get_tracing_count())
loaded = tf.saved_model.load(tmp + "/a")
print(list(loaded.signatures), loaded(tf.constant([1.0, 2.0])), loaded.shift(tf.constant(1.0)))
""",
    "one_replica_training_loop": """
strategy = tf.distribute.MirroredStrategy(["cpu:0"])
print(strategy.num_replicas_in_sync)
with strategy.scope():
    w = tf.Variable(1.0)
    opt = tf.keras.optimizers.SGD(0.1)
data = strategy.experimental_distribute_dataset(
    tf.data.Dataset.from_tensor_slices(([1.0, 2.0, 3.0, 4.0], [2.0, 4.0, 6.0, 8.0])).batch(2))
print(type(data).__name__)

@tf.function
def step(x, y):
    def replica_step(x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean((w * x - y) ** 2)
        opt.apply_gradients([(tape.gradient(loss, w), w)])
        ctx = tf.distribute.get_replica_context()
        return ctx.all_reduce("SUM", loss)
    return strategy.reduce("SUM", strategy.run(replica_step, args=(x, y)), axis=None)

for x, y in data:
    print(step(x, y))
print(w.numpy())
fn_data = strategy.distribute_datasets_from_function(
    lambda ctx: tf.data.Dataset.range(ctx.get_per_replica_batch_size(3)))
print([int(v) for v in fn_data])
""",
    "extension_types_in_datasets": """
class Pair(tf.experimental.BatchableExtensionType):
    shape: tf.TensorShape
    left: tf.Tensor
    right: tf.Tensor

    def __init__(self, left, right):
        self.left = tf.convert_to_tensor(left)
        self.right = tf.convert_to_tensor(right)
        self.shape = self.left.shape[:-1]

batch = Pair([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], [[1.0, 0.0], [0.0, 1.0], [2.0, 2.0]])
ds = tf.data.Dataset.from_tensor_slices(batch)
print(ds.element_spec)
for p in ds:
    print(p.shape, p.left.numpy(), p.right.numpy())
batched = ds.batch(2)
print(batched.element_spec)
for p in batched:
    print(p.shape, p.left.numpy().tolist())
for p in batched.unbatch():
    print(p.shape, p.right.numpy().tolist())
print(iter(tf.data.Dataset.from_tensors(batch)).next().shape)
swapped = tf.map_fn(lambda p: Pair(p.right, p.left), batch)
print(swapped.shape, swapped.left.numpy().tolist())
print(tf.map_fn(lambda p: tf.reduce_sum(p.left * p.right), batch,
                fn_output_signature=tf.float32))
try:
    tf.map_fn(lambda p: tf.reduce_sum(p.left), batch)
except ValueError as e:
    print(e)

def pairs():
    for i in range(3):
        yield Pair([float(i), 1.0], [2.0, float(i)])
gen = tf.data.Dataset.from_generator(pairs, output_signature=Pair.Spec(
    shape=tf.TensorShape([]), left=tf.TensorSpec([2], tf.float32),
    right=tf.TensorSpec([2], tf.float32)))
print([p.left.numpy().tolist() for p in gen.batch(2)])
""",
    "extension_types_in_functions": """
class Box(tf.experimental.ExtensionType):
    low: tf.Tensor
    high: tf.Tensor
    label: str = "box"

    def width(self):
        return self.high - self.low

@tf.function
def grow(box, by):
    print("tracing grow", box.label, box.low.shape)
    return Box(box.low - by, box.high + by, box.label)

a = grow(Box([1.0, 2.0], [3.0, 5.0]), 1.0)
b = grow(Box([0.0, 0.0], [1.0, 1.0]), 2.0)
c = grow(Box([0.0], [1.0], "other"), 2.0)
print(type(a).__name__, a.low.numpy().tolist(), b.high.numpy().tolist(), c.label)
print(grow.experimental_get_tracing_count())

spec = Box.Spec(low=tf.TensorSpec([None], tf.float32), high=tf.TensorSpec([None], tf.float32),
                label="box")

@tf.function(input_signature=[spec])
def width(box):
    print("tracing width")
    return box.width()

print(width(Box([1.0, 2.0], [4.0, 4.0])).numpy().tolist(),
      width(Box([1.0, 2.0, 3.0], [4.0, 4.0, 4.0])).numpy().tolist())
concrete = grow.get_concrete_function(spec, tf.TensorSpec([], tf.float32))
print(concrete(Box([1.0], [2.0]), tf.constant(0.5)).high.numpy().tolist())

@tf.function
def outer(low, high):
    return width(Box(low, high)) * 2.0

print(outer(tf.constant([1.0, 2.0]), tf.constant([2.0, 4.0])).numpy().tolist())
""",
    # last: TF cannot turn numpy behavior off again
    "weak_mode_numpy_api": """
tf.experimental.numpy.experimental_enable_numpy_behavior(dtype_conversion_mode="all")
tnp = tf.experimental.numpy
for value in [tnp.ones(2), tnp.zeros(2, dtype=int), tnp.add(1, 2.0), tnp.arange(3.0),
              tnp.linspace(0, 1, 3), tnp.full(2, 1.5), tnp.mean([1, 2]), tnp.sqrt(4),
              tnp.ones(2, dtype=tnp.int32) * 2.5, tf.constant([1, 2]) * 2.5,
              tnp.multiply(tf.constant(1, tf.int8), 2), tf.math.maximum(tf.constant(1, tf.int8), 2),
              tf.reduce_sum(tf.constant([1, 2])), tf.Variable(1.0) + 1, tf.constant(7) // 2,
              tf.constant([[1, 2]]) @ tf.constant([[1], [2]]), tf.stack([1.0, 2.0]),
              tf.clip_by_value(5, 0, 3), tf.convert_to_tensor(5.0), -tf.Variable(2)]:
    print(repr(value))
try:
    tf.constant(1, tf.int8) < 2.5
except TypeError as e:
    print(e)
""",
}
