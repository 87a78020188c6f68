"""One rank of the multi-process tapeflow.horovod tests (started by tests/test_horovod.py with
``mpiexec -n N python tests/hvd_worker.py SCENARIO...``).

Each check raises on failure: tapeflow.horovod's excepthook then aborts the job with a message
naming the rank, and the test sees a non-zero exit. Rank 0 prints ``PASS <check>`` lines.
"""

import os
import signal
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import tapeflow as tf  # noqa: E402
import tapeflow.horovod as hvd  # noqa: E402
from tapeflow.framework import blas  # noqa: E402
from tapeflow.horovod import comm, threads  # noqa: E402
from tapeflow.testing import gradient_checker as gc  # noqa: E402

hvd.init()
R, N = hvd.rank(), hvd.size()


def passed(name):
    if R == 0:
        print("PASS", name, flush=True)


def close(a, b, **kw):
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), **kw)


def inputs(r, shape=(2, 3)):
    """Rank r's deterministic input (any rank can compute any other's)."""
    return np.arange(np.prod(shape), dtype=np.float32).reshape(shape) * (r + 1) - r


# --- collectives: values -------------------------------------------------------------------------

def check_values():
    assert (hvd.local_rank(), hvd.local_size(), hvd.cross_rank(), hvd.cross_size()) == (R, N, 0, 1)
    share = threads.per_rank(N)  # set by hvd.init() under plain mpiexec, by tapeflowrun's guard
    if not threads.user_chose() or os.environ.get("OPENBLAS_NUM_THREADS") == str(share):
        assert blas.blas_threads() == [share], blas.blas_threads()
    every = [inputs(r) for r in range(N)]
    x = tf.constant(every[R])
    close(hvd.allreduce(x), np.mean(every, 0), rtol=1e-6)
    close(hvd.allreduce(x, op=hvd.Sum, prescale_factor=0.5, postscale_factor=3.0),
          1.5 * np.sum(every, 0), rtol=1e-6)
    close(hvd.allreduce(x, average=False), np.sum(every, 0))
    close(hvd.allreduce(x, op=hvd.Min), np.min(every, 0))
    close(hvd.allreduce(x, op=hvd.Max), np.max(every, 0))
    close(hvd.allreduce(x, op=hvd.Product), np.prod(every, 0), rtol=1e-6)
    ints = hvd.allreduce(tf.constant([R, 10 * R]), op=hvd.Sum)
    assert ints.dtype == tf.int32 and ints.numpy().tolist() == [sum(range(N)), 10 * sum(range(N))]
    a, b, c = hvd.grouped_allreduce([x, tf.constant([float(R)], tf.float64), tf.constant([R])],
                                    op=hvd.Sum)
    close(a, np.sum(every, 0))
    assert b.dtype == tf.float64 and b.numpy()[0] == sum(range(N)) and c.numpy()[0] == sum(
        range(N))
    gathered = hvd.allgather(tf.fill([R + 1, 2], float(R)))
    assert gathered.numpy().tolist() == [[float(r)] * 2 for r in range(N) for _ in range(r + 1)]
    close(hvd.broadcast(x, N - 1), every[N - 1])
    splits = [(R + j) % 2 + 1 for j in range(N)]  # rank R sends splits[j] rows to rank j
    rows = tf.reshape(tf.range(sum(splits) * 2), (-1, 2)) + 100 * R
    got, received = hvd.alltoall(rows, splits=splits)
    expect = []
    for src in range(N):
        src_splits = [(src + j) % 2 + 1 for j in range(N)]
        start = sum(src_splits[:R])
        expect += [[100 * src + 2 * i, 100 * src + 2 * i + 1]
                   for i in range(start, start + src_splits[R])]
    assert got.numpy().tolist() == expect
    assert received.numpy().tolist() == [(src + R) % 2 + 1 for src in range(N)]
    # traced: the rows from the other ranks are exchanged when the op runs (static shape None)
    gather = tf.function(hvd.allgather)
    assert gather.get_concrete_function(rows).structured_outputs.shape.as_list() == [None, 2]
    assert gather(rows).numpy().tolist() == hvd.allgather(rows).numpy().tolist()
    exchanged = tf.function(lambda t: hvd.alltoall(t, splits=splits))
    shapes = [t.shape.as_list() for t in exchanged.get_concrete_function(rows).structured_outputs]
    assert shapes == [[None, 2], [N]], shapes
    assert exchanged(rows)[0].numpy().tolist() == expect
    v = [tf.Variable(inputs(R)), tf.Variable([R, R], dtype=tf.int64)]
    hvd.broadcast_variables(v, root_rank=1)
    close(v[0], every[1])
    assert v[1].numpy().tolist() == [1, 1]
    assert hvd.broadcast_object({"from": R, "list": [R]}, root_rank=N - 1) == {
        "from": N - 1, "list": [N - 1]}
    assert hvd.allgather_object(("r", R)) == [("r", r) for r in range(N)]
    passed("values")


# --- collectives: gradients ----------------------------------------------------------------------

def distributed_check(f, args, order=2, seed=0, eps=1e-6):
    """check_gradients for a function with collectives: each rank has its own inputs, input
    direction u and output cotangent v, all ranks perturb in lockstep, and the check compares
    the sums over ranks of <grad, u> and of the finite difference (Horovod's gradients are those
    of the sum of every rank's loss, so only the sums must agree)."""
    rng = np.random.default_rng(seed * 101 + R)
    ys = gc._flat_outputs(f(*[tf.constant(a) for a in args]))
    vs = [gc._random_like(rng, y) for y in ys]
    us = [gc._random_like(rng, a) for a in args]
    numeric = (gc._pairing(vs, gc._shifted(f, args, us, eps)) -
               gc._pairing(vs, gc._shifted(f, args, us, -eps))) / (2 * eps)
    analytic = gc._reverse_directional(f, args, us, vs)
    total = comm.allreduce_arrays([np.array([analytic, numeric])], hvd.Sum)[0]
    assert np.isclose(total[0], total[1], rtol=1e-5, atol=1e-6 * max(1, abs(total[1]))), (
        f"order {order}: sum of <grad, u> {total[0]} != finite difference {total[1]}")
    if order >= 2:
        n = len(args)

        def vjp(*xs_and_vs):
            return gc._reverse(f, list(xs_and_vs[:n]), list(xs_and_vs[n:]))

        distributed_check(vjp, args + vs, order - 1, seed + 1, eps)


def check_gradient_rows():
    from op_specs_horovod import SPECS
    for spec in SPECS:
        for shapes in spec.shapes:
            args = [a + 0.05 * R for a in spec.args(shapes, seed=R)]  # distinct across ranks
            try:
                distributed_check(spec.fn, args)
            except AssertionError as e:
                raise AssertionError(f"{spec.name} {shapes}: {e}") from None
    passed(f"gradient rows ({len(SPECS)} ops)")


def check_gradient_values():
    """Uneven allgather, broadcast and Max: the gradient each rank gets, by hand."""
    x = tf.constant(np.full((R + 1, 2), R + 1.0))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = hvd.allgather(x)
        loss = tf.reduce_sum(y * tf.constant(np.arange(y.shape[0] * 2.0).reshape(-1, 2)))
    start = sum(r + 1 for r in range(R))
    own = np.arange(y.shape[0] * 2.0).reshape(-1, 2)[start:start + R + 1]
    close(tape.gradient(loss, x), N * own)  # every rank's loss weighs the rows the same
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = tf.reduce_sum(hvd.broadcast(x[:1], 0) * (R + 1.0))
    close(tape.gradient(loss, x), np.array([[1.0, 1.0]] + [[0.0, 0.0]] * R) * (
        sum(r + 1.0 for r in range(N)) if R == 0 else 0.0))
    m = tf.constant([float(R), -float(R)])
    with tf.GradientTape() as tape:
        tape.watch(m)
        loss = tf.reduce_sum(hvd.allreduce(m, op=hvd.Max))
    expect = [N * (R == N - 1), N * (R == 0)]
    close(tape.gradient(loss, m), expect)
    passed("gradient values")


# --- negotiation errors --------------------------------------------------------------------------

def expect_error(fn, *words):
    try:
        fn()
    except tf.errors.InvalidArgumentError as e:
        for w in words:
            assert w in str(e), f"{w!r} not in {e}"
        return str(e)
    raise AssertionError("no error")


def check_mismatches():
    msg = expect_error(lambda: hvd.allreduce(tf.ones([R + 2]), name="weights"),
                       "mismatched allreduce tensor shapes for 'weights'", "shape [2]")
    expect_error(lambda: hvd.allreduce(tf.ones([2], tf.float64 if R else tf.float32),
                                       name="bias"), "dtypes for 'bias'", "float32", "float64")
    expect_error(lambda: (hvd.allreduce(tf.ones([1]), name="first") if R % 2 else
                          hvd.allgather(tf.ones([1]), name="second")), "different order")
    expect_error(lambda: hvd.allreduce(tf.ones([1]), op=hvd.Max if R else hvd.Sum,
                                       name="ops"), "mismatched arguments for allreduce 'ops'")
    close(hvd.allreduce(tf.ones([2]), op=hvd.Sum), [N, N])  # the job goes on
    # Agreed descriptions are remembered and sent as numbers: a rank whose next call differs
    # still gets the error naming the tensor, and so does a rank that sends the number.
    for name in ("cached", None):
        for _ in range(2):
            close(hvd.allreduce(tf.ones([3]), op=hvd.Sum, name=name), [N] * 3)
        expect_error(lambda n=name: hvd.allreduce(tf.ones([3 + (R == 1)]), op=hvd.Sum, name=n),
                     "mismatched allreduce tensor shapes for '", "shape [3]")
        close(hvd.allreduce(tf.ones([3]), op=hvd.Sum, name=name), [N] * 3)
    passed(f"mismatches ({msg})")


def check_join():
    last = N - 1
    x = tf.constant([1.0, 2.0])
    close(hvd.allreduce(x, op=hvd.Sum), [N, 2 * N])  # remembered by every rank
    if R == last:
        assert hvd.join() in range(N)
    else:
        close(hvd.allreduce(x, op=hvd.Sum), [N - 1, 2 * (N - 1)])
        close(hvd.allreduce(x * (R + 1)), np.mean([[r + 1, 2 * (r + 1)] for r in range(N - 1)],
                                                  0))
        w = tf.Variable(np.ones(3, np.float32))
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(w * w * (R + 1))
        g = hvd.DistributedGradientTape(tape).gradient(loss, [w])[0]
        close(g, np.full(3, np.mean([2.0 * (r + 1) for r in range(N - 1)])))
        hvd.join()
    close(hvd.allreduce(tf.ones([1]), op=hvd.Sum), [N])
    # the joined rank answered the reductions above with zeros, and remembered their
    # descriptions as the others did: the same ones again are sent as numbers by every rank
    close(hvd.allreduce(x * (R + 1)), np.mean([[r + 1, 2 * (r + 1)] for r in range(N)], 0))
    close(hvd.allreduce(x, op=hvd.Sum), [N, 2 * N])
    passed("join")


# --- data-parallel training equals one process ---------------------------------------------------

def data(batch, steps):
    rng = np.random.default_rng(7)
    x = rng.standard_normal((steps, batch, 8)).astype(np.float32)
    y = rng.integers(0, 3, (steps, batch))
    return x, y


def model():
    rng = np.random.default_rng(3)
    shapes = [(8, 16), (16,), (16, 3), (3,)] + [(3,)] * 100  # plus 100 small variables
    return [tf.Variable((rng.standard_normal(s) * 0.3).astype(np.float32)) for s in shapes]


def loss_fn(params, x, y):
    w1, b1, w2, b2, *extra = params
    h = tf.tanh(x @ w1 + b1)
    logits = h @ w2 + b2 + tf.add_n(extra) * 0.01
    return tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(y, logits))


def train(shard, distributed, steps=50, batch=12, wrap_optimizer=False):
    params = model()
    opt = tf.keras.optimizers.Adam(0.01)
    if wrap_optimizer:
        opt = hvd.DistributedOptimizer(opt)
    xs, ys = data(batch, steps)
    for x, y in zip(xs, ys):
        x, y = x[shard], y[shard]
        with tf.GradientTape() as tape:
            loss = loss_fn(params, tf.constant(x), tf.constant(y))
        if distributed and not wrap_optimizer:
            tape = hvd.DistributedGradientTape(tape)
        grads = tape.gradient(loss, params)
        opt.apply_gradients(zip(grads, params))
    return [p.numpy() for p in params]


_one_process = []


def check_training(wrap_optimizer=False):
    if not _one_process:  # the one-process run, computed on every rank, once per launch
        _one_process.append(train(slice(None), False))
    one = _one_process[0]
    many = train(slice(R, None, N), True, wrap_optimizer=wrap_optimizer)
    for a, b in zip(one, many):
        close(b, a, rtol=2e-5, atol=2e-6)
    how = "DistributedOptimizer" if wrap_optimizer else "DistributedGradientTape"
    passed(f"{N} ranks x 50 Adam steps == 1 process ({how}, "
           f"{os.environ.get('HOROVOD_FUSION_THRESHOLD', 'default')} fusion threshold)")


def check_fusion():
    """Small buckets: several fused collectives, markers on the tape; fp16 compression."""
    os.environ["HOROVOD_FUSION_THRESHOLD"] = "256"
    check_training()
    params = model()
    with tf.GradientTape() as tape:
        loss = loss_fn(params, tf.ones([4, 8]), tf.constant([0, 1, 2, 0]))
    tape = hvd.DistributedGradientTape(tape)
    tape.gradient(loss, params)
    count, early = tape._hvd_config["last"]
    assert count >= 3 and early >= 2, (count, early)  # buckets left during the backward pass
    del os.environ["HOROVOD_FUSION_THRESHOLD"]
    w = tf.Variable(inputs(R))
    with tf.GradientTape(persistent=True) as tape:
        loss = tf.reduce_sum(w * w)
    fp16 = hvd.DistributedGradientTape(tape, compression=hvd.Compression.fp16)
    g16 = fp16.gradient(loss, w)
    g32 = hvd.DistributedGradientTape(tape).gradient(loss, w)
    assert g16.dtype == tf.float32
    close(g16, g32, rtol=1e-3)
    close(g32, np.mean([2 * inputs(r) for r in range(N)], 0), rtol=1e-6)
    assert isinstance(fp16, tf.GradientTape)
    half = hvd.allreduce(tf.constant(inputs(R)), compression=hvd.Compression.fp16)
    assert half.dtype == tf.float32
    close(half, np.mean([inputs(r) for r in range(N)], 0), rtol=1e-3)
    # Under an outer tape the reduction is recorded: d/dw_k of the (averaged) gradient of
    # sum(w^3 (r+1)), summed over ranks, is 6 w_k (k+1), as in one process.
    w = tf.Variable(inputs(R) / 10.0)
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            loss = tf.reduce_sum(w ** 3 * (R + 1.0))
        g = hvd.DistributedGradientTape(inner).gradient(loss, w)
        close(g, np.mean([3 * (inputs(r) / 10) ** 2 * (r + 1) for r in range(N)], 0), rtol=1e-5)
        total = tf.reduce_sum(g)
    close(outer.gradient(total, w), 6 * w.numpy() * (R + 1), rtol=1e-5, atol=1e-6)
    passed("fusion, fp16 compression, second order")


def check_sum_optimizer():
    """op=Sum: SGD(1.0) subtracts the sum of the ranks' gradients, reduced once."""
    w = tf.Variable([1.0, 2.0])
    opt = hvd.DistributedOptimizer(tf.keras.optimizers.SGD(1.0), op=hvd.Sum)
    assert isinstance(opt, tf.keras.optimizers.SGD)
    opt.apply_gradients([(tf.constant([R + 1.0, 0.0]), w)])
    close(w, [1.0 - sum(range(1, N + 1)), 2.0])
    passed("DistributedOptimizer op=Sum reduces once")


# --- Keras callbacks (duck-typed model) ----------------------------------------------------------

class FakeModel:
    def __init__(self):
        self.variables = [tf.Variable(np.full(3, R, np.float32))]
        self.optimizer = type("Opt", (), {})()
        self.optimizer.learning_rate = tf.Variable(0.1)
        self.optimizer.variables = [tf.Variable(float(R))]


def check_callbacks():
    model = FakeModel()
    cbs = [hvd.callbacks.BroadcastGlobalVariablesCallback(0), hvd.callbacks.MetricAverageCallback(),
           hvd.callbacks.LearningRateWarmupCallback(0.1 * N, warmup_epochs=2, steps_per_epoch=4)]
    for cb in cbs:
        cb.set_model(model)
        cb.set_params({"epochs": 3, "steps": 4})
    lrs = []
    for epoch in range(3):
        for cb in cbs:
            cb.on_epoch_begin(epoch)
        for batch in range(4):
            for cb in cbs:
                cb.on_train_batch_begin(batch)
            lrs.append(float(model.optimizer.learning_rate.numpy()))
            for cb in cbs:
                cb.on_train_batch_end(batch)
        logs = {"loss": float(R), "accuracy": 1.0 - R}
        for cb in cbs:
            cb.on_epoch_end(epoch, logs)
        close([logs["loss"], logs["accuracy"]], [np.mean(range(N)), 1 - np.mean(range(N))])
    assert model.variables[0].numpy().tolist() == [0.0] * 3
    assert model.optimizer.variables[0].numpy() == 0.0
    expect = [0.1 * (e * (N - 1) / 2 + 1) for e in np.arange(8) / 4]
    close(lrs[:8], expect, rtol=1e-6)
    close(lrs[8:], [0.1 * N] * 4, rtol=1e-6)
    passed("callbacks")


def check_fit():
    """A real Keras fit on every rank: the progress bar and epoch lines print on rank 0 only
    (hvd.init turns interactive logging off elsewhere), and the weights stay equal."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(16 * N, 4)).astype(np.float32)
    y = x @ np.arange(1, 5, dtype=np.float32)[:, None]
    tf.keras.utils.set_random_seed(R)  # different initial weights: the broadcast must fix them
    model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(1)])
    model.compile(optimizer=hvd.DistributedOptimizer(tf.keras.optimizers.SGD(0.05)), loss="mse")
    model.fit(x[R::N], y[R::N], epochs=2, batch_size=8, verbose=1,
              callbacks=[hvd.callbacks.BroadcastGlobalVariablesCallback(0)])
    kernels = hvd.allgather(tf.reshape(model.layers[0].kernel, [1, -1])).numpy()
    assert np.array_equal(kernels, np.repeat(kernels[:1], N, axis=0)), kernels
    assert tf.keras.config.is_interactive_logging_enabled() == (R == 0)
    # fit's traced step reduces each batch's gradients when the graph runs: as the eager step
    tf.keras.utils.set_random_seed(R)
    eager = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(1)])
    eager.compile(optimizer=hvd.DistributedOptimizer(tf.keras.optimizers.SGD(0.05)), loss="mse",
                  run_eagerly=True)
    eager.fit(x[R::N], y[R::N], epochs=2, batch_size=8, verbose=0,
              callbacks=[hvd.callbacks.BroadcastGlobalVariablesCallback(0)])
    close(model.layers[0].kernel.numpy(), eager.layers[0].kernel.numpy(), rtol=1e-6)
    passed("fit")


# --- the shared-memory allreduce (one machine) --------------------------------------------------

def check_shared_memory():
    """Buffers from 16 KB go through the memory the ranks share (shared_memory.py): every op and
    dtype, results bitwise the same on every rank, results held across later allreduces (the
    regions are used in turn; with all of them held the sum is copied out) and across the
    mapping's growth, a joined rank's zeros."""
    shared = comm._need().shared
    assert shared is not None  # all ranks share this machine
    n = 40000  # 160 KB of float32
    every = [np.linspace(-1, 1, n, dtype=np.float32) * (r + 1) + r for r in range(N)]
    x = tf.constant(every[R])
    cases = [(x, hvd.Average, np.mean(every, 0)), (x, hvd.Sum, np.sum(every, 0)),
             (x, hvd.Min, np.min(every, 0)), (x, hvd.Max, np.max(every, 0)),
             (x, hvd.Product, np.prod(every, 0)),
             (tf.cast(x, tf.float64), hvd.Average, np.mean(every, 0)),
             (tf.constant(np.arange(n) * (R + 1)), hvd.Average,
              (np.arange(n) * sum(range(1, N + 1)) / N).astype(np.int32)),
             (x, (hvd.Min, 2.0), 2 * np.min(every, 0)),  # scaled as copied in
             # float16 is averaged as scaled copies: the sum of the values would overflow
             (tf.constant(np.full(n, 60000, np.float16)), hvd.Average, np.full(n, 60000))]
    held = []
    for value, op, want in cases:
        op, scale = op if isinstance(op, tuple) else (op, 1.0)
        got = hvd.allreduce(value, op=op, prescale_factor=scale)
        assert got.dtype == value.dtype and got.shape == value.shape
        close(got, want, rtol=1e-6, atol=1e-6)
        everyone = hvd.allgather_object(got.numpy().tobytes())
        assert all(b == everyone[0] for b in everyone)  # bitwise equal on every rank
        held.append((got, got.numpy().copy()))
    assert shared.capacity > 0
    # more than the regions are held: later sums were copied out, none overwrote a held one
    big = hvd.allreduce(tf.constant(np.full(3 << 20, R + 1.0, np.float32)), op=hvd.Sum)  # grows
    assert shared.capacity >= 12 << 20
    for got, kept in held:
        assert np.array_equal(got.numpy(), kept)
    close(big[:4], [N * (N + 1) / 2] * 4)
    # a grouped allreduce is one fused buffer: parts of several shapes, a chunk reduced from a
    # few of them or (40 small ones) from the copies
    a, b, *small = hvd.grouped_allreduce([tf.reshape(x, [200, 200]), tf.ones([30000]) * R] +
                                         [tf.fill([100 + i], float(R + i)) for i in range(40)],
                                         op=hvd.Sum)
    close(a, np.sum(every, 0).reshape(200, 200), rtol=1e-6)
    close(b, np.full(30000, sum(range(N)), np.float32))
    for i, c in enumerate(small):
        close(c, np.full(100 + i, sum(range(N)) + N * i, np.float32))
    many = hvd.grouped_allreduce([tf.fill([500], float(R + i)) for i in range(40)], op=hvd.Sum)
    for i, c in enumerate(many):
        close(c, np.full(500, sum(range(N)) + N * i, np.float32))
    del held, big, a, b, small, many
    # a joined rank adds zeros, and scales its chunk of the average as the working ranks do
    if R == N - 1:
        hvd.join()
    else:
        close(hvd.allreduce(x), np.mean(every[:N - 1], 0), rtol=1e-6)
        hvd.join()
    passed("shared memory")


def check_repeated_steps():
    """Steps that reduce the gradients of the same sources again take the repeated path (the
    sources' plan, the result views kept): every step right while earlier steps' gradients are
    still held (more of them than result regions), after a Variable changed its shape, and
    through DistributedOptimizer; sources of two dtypes take the general path."""
    shared = comm._need().shared
    ws = [tf.Variable(np.full((50, 40), float(i), np.float32), name=f"w{i}") for i in range(4)]
    ws.append(tf.Variable(np.ones(3000, np.float32), shape=tf.TensorShape(None), name="free"))

    def step(k, sources):
        with tf.GradientTape() as tape:
            loss = tf.add_n([tf.cast(tf.reduce_sum(w * (R + 1.0 + k + i)), tf.float32)
                             for i, w in enumerate(sources)])
        tape = hvd.DistributedGradientTape(tape)
        grads = tape.gradient(loss, sources)
        for i, (g, w) in enumerate(zip(grads, sources)):
            shape = w.numpy().shape
            assert tuple(g.shape) == shape and g.dtype == w.dtype
            close(g, np.full(shape, np.mean([r + 1.0 + k + i for r in range(N)])), rtol=1e-6)
        return tape, grads

    held = []
    for k in range(5):
        tape, grads = step(k, ws)
        assert tape._hvd_config["last"] == (1, 0)
        held.append((grads, [g.numpy().copy() for g in grads]))
    plan = tape._hvd_config["plans"][tuple(w._handle.id for w in ws)]
    assert plan.fast and plan.repeated is not None and shared.views
    for grads, kept in held:  # none was overwritten by a later step
        for g, want in zip(grads, kept):
            assert np.array_equal(g.numpy(), want)
    del held, grads
    ws[-1].assign(np.ones(4500, np.float32))  # the plan's layout is made again
    for k in range(3):
        step(k, ws)
    mixed = [ws[0], tf.Variable(np.ones(5000), name="f64")]
    tape, _ = step(0, mixed)
    assert not tape._hvd_config["plans"][tuple(w._handle.id for w in mixed)].fast
    opt = hvd.DistributedOptimizer(tf.keras.optimizers.SGD(1.0))
    for k in range(3):
        opt.apply_gradients([(tf.fill(w.shape, float(R + k)), w) for w in ws[:4]])
    for i, w in enumerate(ws[:4]):
        close(w, np.full(w.shape, i - sum(np.mean(range(N)) + k for k in range(3))), rtol=1e-6)
    assert opt._hvd_config["plans"]
    passed("repeated steps")


def check_no_shared_mapping():
    """A rank that cannot map the shared file (no room in /dev/shm, say) turns the path off on
    every rank at the same collective: all reduce through MPI, with the same results."""
    from tapeflow.horovod import shared_memory
    if R == N - 1:
        shared_memory._open = lambda path, total: None
    x = tf.constant(np.full(40000, R + 1.0, np.float32))
    for _ in range(2):
        close(hvd.allreduce(x, op=hvd.Sum), np.full(40000, N * (N + 1) / 2))
    shared = comm._need().shared
    assert shared.limit == 0 and shared.capacity == 0
    passed("no shared mapping")


# --- faults --------------------------------------------------------------------------------------

def fault(kind):
    hvd.allreduce(tf.ones([1]))
    if R == 1:
        if kind == "raise":
            raise ValueError("rank one's data is bad")
        if kind == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        if kind == "stall":
            time.sleep(60)
        if kind == "exit":
            sys.exit(3)
    hvd.allreduce(tf.ones([1]), name="after_fault")
    print("UNREACHABLE: rank", R, "finished", flush=True)


SCENARIOS = {"values": check_values, "rows": check_gradient_rows,
             "gradvalues": check_gradient_values, "mismatch": check_mismatches,
             "join": check_join, "training": check_training, "fusion": check_fusion,
             "optimizer": lambda: (check_training(wrap_optimizer=True), check_sum_optimizer()),
             "callbacks": check_callbacks, "fit": check_fit, "shared": check_shared_memory,
             "repeated": check_repeated_steps,
             "nomap": check_no_shared_mapping}

if __name__ == "__main__":
    for arg in sys.argv[1:]:
        if arg in ("raise", "kill", "stall", "exit"):
            fault(arg)
        else:
            SCENARIOS[arg]()
