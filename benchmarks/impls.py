"""One workload for one framework, timed in this process; prints a JSON line.

Run by ``run.py`` as ``python impls.py FRAMEWORK WORKLOAD`` under an interpreter that has
FRAMEWORK installed, so peers can live in their own virtual environments.
"""

import importlib
import json
import statistics
import sys
import time

CHAIN_STEPS = 50  # four ops a step: multiply, add, sin, tanh -> 200 scalar ops


def _calibrate(fn, min_time):
    """How many calls make one round last about ``min_time / 4`` seconds."""
    fn()  # warm up
    n = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        if time.perf_counter() - t0 >= min_time / 4:
            return n
        n *= 2


def _round(fn, n):
    t0 = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - t0) / n


def timed(fn, rounds=7, min_time=0.2):
    """Median seconds per call over several rounds, each long enough to be measurable."""
    n = _calibrate(fn, min_time)
    return statistics.median(_round(fn, n) for _ in range(rounds))


def timed_pair(fn, floor, rounds=9, min_time=0.2):
    """Medians for ``fn`` and ``floor`` timed in alternating rounds in one process, so that a
    noisy machine (a busy neighbour, a frequency change) affects both alike."""
    n, m = _calibrate(fn, min_time), _calibrate(floor, min_time)
    a, b = [], []
    for _ in range(rounds):
        a.append(_round(fn, n))
        b.append(_round(floor, m))
    return statistics.median(a), statistics.median(b)


# --- chain: 200 scalar ops, forward + gradient ---------------------------------------------------

def chain_tapeflow(module="tapeflow"):
    """The same TensorFlow code for tapeflow and TensorFlow (``module`` picks which)."""
    tf = importlib.import_module(module)
    x = tf.Variable(0.5)

    def step():
        with tf.GradientTape() as tape:
            y = x
            for _ in range(CHAIN_STEPS):
                y = tf.tanh(tf.sin(y * 1.01 + 0.1))
        return tape.gradient(y, x)
    return step


def chain_torch():
    import torch
    torch.set_num_threads(1)
    x = torch.tensor(0.5, requires_grad=True)

    def step():
        y = x
        for _ in range(CHAIN_STEPS):
            y = torch.tanh(torch.sin(y * 1.01 + 0.1))
        return torch.autograd.grad(y, x)
    return step


def chain_jax():
    import jax
    import jax.numpy as jnp

    def f(x):
        y = x
        for _ in range(CHAIN_STEPS):
            y = jnp.tanh(jnp.sin(y * 1.01 + 0.1))
        return y
    g = jax.grad(f)
    x = jnp.float32(0.5)
    return lambda: g(x).block_until_ready()


def chain_autograd():
    import autograd
    import autograd.numpy as anp

    def f(x):
        y = x
        for _ in range(CHAIN_STEPS):
            y = anp.tanh(anp.sin(y * 1.01 + 0.1))
        return y
    g = autograd.grad(f)
    return lambda: g(0.5)


def chain_numpy():
    """The floor: the same forward and its hand-written backward on NumPy float32 scalars."""
    import numpy as np
    x = np.float32(0.5)
    a, b = np.float32(1.01), np.float32(0.1)

    def step():
        saved = []
        y = x
        for _ in range(CHAIN_STEPS):
            u = y * a + b
            s = np.sin(u)
            y = np.tanh(s)
            saved.append((u, y))
        g = np.float32(1.0)
        for u, t in reversed(saved):
            g = g * (1 - t * t) * np.cos(u) * a
        return g
    return step


# --- MLP step: 784-512-512-10, batch 256, float32, softmax cross-entropy --------------------------

MLP_SIZES = (784, 512, 512, 10)
BATCH = 256


def _mlp_data():
    import numpy as np
    rng = np.random.default_rng(0)
    x = rng.standard_normal((BATCH, MLP_SIZES[0])).astype(np.float32)
    labels = np.eye(MLP_SIZES[-1], dtype=np.float32)[rng.integers(0, MLP_SIZES[-1], BATCH)]
    params = []
    for fan_in, fan_out in zip(MLP_SIZES[:-1], MLP_SIZES[1:]):
        params.append(rng.uniform(-1, 1, (fan_in, fan_out)).astype(np.float32)
                      * np.float32(np.sqrt(6 / (fan_in + fan_out))))
        params.append(np.zeros(fan_out, np.float32))
    return x, labels, params


def mlp_numpy():
    """The floor: the forward and its hand-written backward, float32 throughout."""
    import numpy as np
    x, labels, params = _mlp_data()

    def step():
        w1, b1, w2, b2, w3, b3 = params
        z1 = x @ w1 + b1
        h1 = np.maximum(z1, 0)
        z2 = h1 @ w2 + b2
        h2 = np.maximum(z2, 0)
        logits = h2 @ w3 + b3
        shifted = logits - logits.max(axis=1, keepdims=True)
        e = np.exp(shifted)
        s = e.sum(axis=1, keepdims=True)
        loss = np.mean(np.log(s)[:, 0] - (shifted * labels).sum(axis=1))
        d = (e / s - labels) / np.float32(BATCH)
        g3, gb3 = h2.T @ d, d.sum(axis=0)
        d = (d @ w3.T) * (z2 > 0)
        g2, gb2 = h1.T @ d, d.sum(axis=0)
        d = (d @ w2.T) * (z1 > 0)
        g1, gb1 = x.T @ d, d.sum(axis=0)
        return loss, (g1, gb1, g2, gb2, g3, gb3)
    return step


def mlp_tapeflow(module="tapeflow"):
    tf = importlib.import_module(module)
    x, labels, params = _mlp_data()
    x, labels = tf.constant(x), tf.constant(labels)
    variables = [tf.Variable(p) for p in params]

    def step():
        w1, b1, w2, b2, w3, b3 = variables
        with tf.GradientTape() as tape:
            h = tf.nn.relu(x @ w1 + b1)
            h = tf.nn.relu(h @ w2 + b2)
            logits = h @ w3 + b3
            loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels, logits))
        return loss, tape.gradient(loss, variables)
    return step


def mlp_torch():
    import torch
    x, labels, params = _mlp_data()
    x, labels = torch.from_numpy(x), torch.from_numpy(labels).argmax(dim=1)
    ps = [torch.tensor(p, requires_grad=True) for p in params]

    def step():
        w1, b1, w2, b2, w3, b3 = ps
        h = torch.relu(x @ w1 + b1)
        h = torch.relu(h @ w2 + b2)
        loss = torch.nn.functional.cross_entropy(h @ w3 + b3, labels)
        return loss, torch.autograd.grad(loss, ps)
    return step


def mlp_jax():
    import jax
    import jax.numpy as jnp
    x, labels, params = _mlp_data()

    def loss_fn(ps, x, labels):
        w1, b1, w2, b2, w3, b3 = ps
        h = jax.nn.relu(x @ w1 + b1)
        h = jax.nn.relu(h @ w2 + b2)
        logits = h @ w3 + b3
        return jnp.mean(-jnp.sum(labels * jax.nn.log_softmax(logits), axis=1))
    step_fn = jax.jit(jax.value_and_grad(loss_fn))
    ps = [jnp.asarray(p) for p in params]
    x, labels = jnp.asarray(x), jnp.asarray(labels)

    def step():
        loss, grads = step_fn(ps, x, labels)
        jax.block_until_ready(grads)
        return loss, grads
    return step


def mlp_autograd():
    import autograd
    import autograd.numpy as anp
    x, labels, params = _mlp_data()

    def loss_fn(ps):
        w1, b1, w2, b2, w3, b3 = ps
        h = anp.maximum(x @ w1 + b1, 0)
        h = anp.maximum(h @ w2 + b2, 0)
        logits = h @ w3 + b3
        shifted = logits - anp.max(logits, axis=1, keepdims=True)
        logp = shifted - anp.log(anp.sum(anp.exp(shifted), axis=1, keepdims=True))
        return -anp.mean(anp.sum(labels * logp, axis=1))
    g = autograd.value_and_grad(loss_fn)
    return lambda: g(params)


# --- jacobian of tanh(M @ v), M 100x100 -----------------------------------------------------------

JAC_N = 100


def _jac_data():
    import numpy as np
    rng = np.random.default_rng(0)
    return (rng.standard_normal((JAC_N, JAC_N)).astype(np.float32) / 10,
            rng.standard_normal(JAC_N).astype(np.float32))


def jacobian_numpy():
    """The analytic floor: J = diag(1 - y^2) M."""
    m, v = _jac_data()

    def step():
        y = __import__("numpy").tanh(m @ v)
        return (1 - y * y)[:, None] * m
    return step


def jacobian_tapeflow(module="tapeflow"):
    tf = importlib.import_module(module)
    m, v = (tf.constant(a) for a in _jac_data())

    def step():
        with tf.GradientTape() as tape:
            tape.watch(v)
            y = tf.tanh(tf.linalg.matvec(m, v))
        return tape.jacobian(y, v)
    return step


def jacobian_variable_numpy():
    return jacobian_numpy()


def jacobian_variable_tapeflow(module="tapeflow"):
    """The same jacobian with respect to a tf.Variable (read by the tape, not watched by hand)."""
    tf = importlib.import_module(module)
    m, v = _jac_data()
    m, v = tf.constant(m), tf.Variable(v)

    def step():
        with tf.GradientTape() as tape:
            y = tf.tanh(tf.linalg.matvec(m, v))
        return tape.jacobian(y, v)
    return step


def jacobian_torch():
    import torch
    m, v = (torch.from_numpy(a) for a in _jac_data())
    return lambda: torch.autograd.functional.jacobian(lambda v: torch.tanh(m @ v), v)


def jacobian_jax():
    import jax
    import jax.numpy as jnp
    m, v = (jnp.asarray(a) for a in _jac_data())
    jac = jax.jit(jax.jacrev(lambda v: jnp.tanh(m @ v)))
    return lambda: jac(v).block_until_ready()


def jacobian_autograd():
    import autograd
    import autograd.numpy as anp
    m, v = _jac_data()
    jac = autograd.jacobian(lambda v: anp.tanh(m @ v))
    return lambda: jac(v)


# --- per-op overhead with no tape recording -------------------------------------------------------

def overhead_numpy():
    import numpy as np
    a = np.ones(16, np.float32)
    return lambda: np.multiply(a, a)


def overhead_tapeflow(module="tapeflow"):
    import numpy as np
    tf = importlib.import_module(module)
    a = tf.constant(np.ones(16, np.float32))
    return lambda: tf.multiply(a, a)


def overhead_torch():
    import torch
    a = torch.ones(16)
    return lambda: torch.mul(a, a)


def overhead_jax():
    import jax.numpy as jnp
    a = jnp.ones(16)
    return lambda: jnp.multiply(a, a).block_until_ready()


def overhead_autograd():
    import autograd.numpy as anp
    import numpy as np
    a = np.ones(16, np.float32)
    return lambda: anp.multiply(a, a)


# --- memory: peak bytes of forward + backward through 50 layers of tanh(x @ W), 1024x1024 ---------

DEPTH, WIDTH = 50, 1024


def _deep_data():
    import numpy as np
    rng = np.random.default_rng(0)
    x = rng.standard_normal((WIDTH, WIDTH)).astype(np.float32)
    ws = [(rng.standard_normal((WIDTH, WIDTH)) / np.sqrt(WIDTH)).astype(np.float32)
          for _ in range(DEPTH)]
    return x, ws


def memory_numpy():
    """The floor: keep each layer's output (both gradients need it), nothing else."""
    import numpy as np
    x, ws = _deep_data()

    def step():
        acts = [x]
        for w in ws:
            acts.append(np.tanh(acts[-1] @ w))
        g = np.ones_like(acts[-1])
        grads = []
        for w, a_in, a_out in zip(reversed(ws), reversed(acts[:-1]), reversed(acts[1:])):
            g = g * (1 - a_out * a_out)
            grads.append(a_in.T @ g)
            g = g @ w.T
        return grads
    return step


def memory_tapeflow():
    import tapeflow as tf
    x, ws = _deep_data()
    x = tf.constant(x)
    ws = [tf.constant(w) for w in ws]

    def step():
        with tf.GradientTape() as tape:
            tape.watch(ws)
            h = x
            for w in ws:
                h = tf.tanh(h @ w)
            loss = tf.reduce_sum(h)
        return tape.gradient(loss, ws)
    return step


def checkpointed_tapeflow():
    """The same network with each block of 10 layers under tf.recompute_grad: the tape keeps
    only the blocks' inputs and outputs, and each block runs again during the backward pass."""
    import tapeflow as tf
    x, ws = _deep_data()
    x = tf.constant(x)
    ws = [tf.constant(w) for w in ws]

    def block(h, *block_ws):
        for w in block_ws:
            h = tf.tanh(h @ w)
        return h
    blocks = [tf.recompute_grad(block) for _ in range(0, DEPTH, 10)]

    def step():
        with tf.GradientTape() as tape:
            tape.watch(ws)
            h = x
            for k, run in enumerate(blocks):
                h = run(h, *ws[10 * k:10 * k + 10])
            loss = tf.reduce_sum(h)
        return tape.gradient(loss, ws)
    return step


def peak_bytes(make):
    """Peak traced allocation (NumPy reports its buffers to tracemalloc) of one call."""
    import tracemalloc
    step = make()
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    result = step()
    peak = tracemalloc.get_traced_memory()[1] - base
    del result
    tracemalloc.stop()
    return peak


# --- resident memory over a 1,000-step training loop ----------------------------------------------

def rss_growth_tapeflow():
    """RSS after 1,000 steps minus RSS after 100 (a leak would grow it)."""
    import numpy as np
    import tapeflow as tf
    rng = np.random.default_rng(0)
    x = tf.constant(rng.standard_normal((64, 32)).astype(np.float32))
    y = tf.constant(rng.standard_normal((64, 1)).astype(np.float32))
    w1 = tf.Variable(rng.standard_normal((32, 64)).astype(np.float32) * 0.1)
    w2 = tf.Variable(rng.standard_normal((64, 1)).astype(np.float32) * 0.1)

    def rss():
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * 4096

    def train(steps):
        for _ in range(steps):
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean((tf.tanh(x @ w1) @ w2 - y) ** 2)
            g1, g2 = tape.gradient(loss, [w1, w2])
            w1.assign_sub(0.01 * g1)
            w2.assign_sub(0.01 * g2)
    train(100)
    before = rss()
    train(900)
    return rss() - before


# --- under tf.function (jax.jit for JAX): the chain and MLP steps, a scalar while_loop, tracing ---

def chain_function_tapeflow(module="tapeflow"):
    return importlib.import_module(module).function(chain_tapeflow(module))


def mlp_function_tapeflow(module="tapeflow"):
    return importlib.import_module(module).function(mlp_tapeflow(module))


chain_function_numpy, chain_function_jax = chain_numpy, chain_jax
mlp_function_numpy, mlp_function_jax = mlp_numpy, mlp_jax

WHILE_N = 10_000


def while_loop_tapeflow(module="tapeflow"):
    tf = importlib.import_module(module)

    @tf.function
    def loop(x):
        return tf.while_loop(lambda i, v: i < WHILE_N, lambda i, v: (i + 1, v * 0.999 + 0.001),
                             (tf.constant(0), x))
    x = tf.constant(1.0)
    return lambda: loop(x)


def while_loop_numpy():
    """The floor: a plain Python loop of the same NumPy scalar operations."""
    import numpy as np
    a, b, one, n = np.float32(0.999), np.float32(0.001), np.int32(1), np.int32(WHILE_N)

    def step():
        i, v = np.int32(0), np.float32(1.0)
        while i < n:
            i = i + one
            v = v * a + b
        return v
    return step


def while_loop_jax():
    import jax
    import jax.numpy as jnp
    body = jax.jit(lambda x: jax.lax.while_loop(
        lambda c: c[0] < WHILE_N, lambda c: (c[0] + 1, c[1] * 0.999 + 0.001), (0, x)))
    x = jnp.float32(1.0)
    return lambda: jax.block_until_ready(body(x))


def trace_tapeflow(module="tapeflow"):
    """Seconds to trace the MLP training step and run it once (best of 3 fresh functions)."""
    tf = importlib.import_module(module)
    best = None
    for _ in range(3):
        step = tf.function(mlp_tapeflow(module))
        t0 = time.perf_counter()
        step()
        took = time.perf_counter() - t0
        best = took if best is None else min(best, took)
    return best


# Workloads whose tapeflow function runs TensorFlow unchanged when given module="tensorflow".
SAME_CODE_AS_TAPEFLOW = {"chain", "mlp", "jacobian", "jacobian_variable", "overhead",
                         "chain_function", "mlp_function", "while_loop", "trace"}

WORKLOADS = {  # kind: "time" (median seconds per unit), "bytes" (one measurement)
    "chain": {"ops": 4 * CHAIN_STEPS, "unit": "per op, forward + gradient", "kind": "time"},
    "mlp": {"ops": 1, "unit": "per training step", "kind": "time"},
    "jacobian": {"ops": 1, "unit": "per 100x100 jacobian", "kind": "time"},
    "jacobian_variable": {"ops": 1, "unit": "per 100x100 jacobian, w.r.t. a Variable",
                          "kind": "time"},
    "overhead": {"ops": 1, "unit": "per op, no tape", "kind": "time"},
    "memory": {"ops": 1, "unit": "peak, 50 layers 1024x1024", "kind": "bytes"},
    "rss_growth": {"ops": 1, "unit": "RSS growth, steps 100 to 1000", "kind": "bytes"},
    "chain_function": {"ops": 4 * CHAIN_STEPS, "unit": "per op, forward + gradient, "
                       "@tf.function / jax.jit", "kind": "time"},
    "mlp_function": {"ops": 1, "unit": "per training step, @tf.function / jax.jit",
                     "kind": "time"},
    "while_loop": {"ops": 1, "unit": f"{WHILE_N:,}-iteration scalar tf.while_loop",
                   "kind": "time"},
    "trace": {"ops": 1, "unit": "trace + first call of the MLP step", "kind": "time"},
}


def main():
    framework, workload = sys.argv[1], sys.argv[2]
    make = globals().get(f"{workload}_{framework}")
    if make is None and framework == "tensorflow" and workload in SAME_CODE_AS_TAPEFLOW:
        make = lambda: globals()[f"{workload}_tapeflow"]("tensorflow")  # noqa: E731
    if make is None:
        print(json.dumps({"framework": framework, "workload": workload, "value": None}))
        return
    spec = WORKLOADS[workload]
    result = {"framework": framework, "workload": workload}
    if workload == "memory":
        result["value"] = peak_bytes(make)
        if framework == "tapeflow":
            result["checkpointed"] = peak_bytes(checkpointed_tapeflow)
    elif workload in ("rss_growth", "trace"):
        result["value"] = make()
    elif framework == "tapeflow":  # also its ratio to the NumPy floor, timed side by side
        mine, floor = timed_pair(make(), globals()[f"{workload}_numpy"]())
        result["value"] = mine / spec["ops"]
        result["paired_numpy"] = floor / spec["ops"]
    else:
        result["value"] = timed(make()) / spec["ops"]
    print(json.dumps(result))


if __name__ == "__main__":
    main()
