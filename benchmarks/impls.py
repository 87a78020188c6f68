"""One workload for one framework, timed in this process; prints a JSON line.

Run by ``run.py`` as ``python impls.py FRAMEWORK WORKLOAD`` under an interpreter that has
FRAMEWORK installed, so peers can live in their own virtual environments.
"""

import json
import statistics
import sys
import time

CHAIN_STEPS = 50  # four ops a step: multiply, add, sin, tanh -> 200 scalar ops


def timed(fn, rounds=7, min_time=0.2):
    """Median seconds per call over several rounds, each long enough to be measurable."""
    fn()  # warm up
    n = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        dt = time.perf_counter() - t0
        if dt >= min_time / 4:
            break
        n *= 2
    per_call = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        per_call.append((time.perf_counter() - t0) / n)
    return statistics.median(per_call)


# --- chain: 200 scalar ops, forward + gradient ---------------------------------------------------

def chain_tapeflow():
    import tapeflow as tf
    x = tf.Variable(0.5)

    def step():
        with tf.GradientTape() as tape:
            y = x
            for _ in range(CHAIN_STEPS):
                y = tf.tanh(tf.sin(y * 1.01 + 0.1))
        return tape.gradient(y, x)
    return step


def chain_tensorflow():
    import tensorflow as tf
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


WORKLOADS = {
    "chain": {"ops": 4 * CHAIN_STEPS, "unit": "per op"},
}


def main():
    framework, workload = sys.argv[1], sys.argv[2]
    make = globals()[f"{workload}_{framework}"]
    seconds = timed(make())
    print(json.dumps({"framework": framework, "workload": workload,
                      "seconds": seconds / WORKLOADS[workload]["ops"]}))


if __name__ == "__main__":
    main()
