"""Gradient checks against central finite differences, for users and for tapeflow's own tests.

``check_gradients(f, args, order=2)`` compares, along a random input direction ``u`` and a random
output cotangent ``v``, the reverse-mode value ``<gradient(f, x, output_gradients=v), u>`` with
the numerical ``(<v, f(x + eps*u)> - <v, f(x - eps*u)>) / (2*eps)``. For order 2 it repeats the
check on ``x -> gradient(f, x, output_gradients=v)`` computed under an outer tape, which runs every
gradient rule on Tensors (so the rules themselves are differentiated).
"""

import numpy as np

from ..engine.tape import GradientTape
from ..framework import nest
from ..framework.tensor import constant, convert_to_tensor


class GradientCheckError(AssertionError):
    pass


def _flat_outputs(ys):
    return [y for y in nest.flatten(ys) if y is not None]


def _pairing(vs, ys):
    """Re <v, y> summed over outputs (the scalar whose derivative the check compares)."""
    total = 0.0
    for v, y in zip(vs, ys):
        total += float(np.real(np.vdot(v, np.asarray(y))))
    return total


def _random_like(rng, value):
    value = np.asarray(value)
    r = rng.standard_normal(value.shape)
    if value.dtype.kind == "c":
        r = r + 1j * rng.standard_normal(value.shape)
    return r.astype(value.dtype)


def _reverse(f, xs, vs):
    """Gradients of <v, f(xs)> w.r.t. each x, zeros where unconnected."""
    with GradientTape() as tape:
        tape.watch(xs)
        ys = _flat_outputs(f(*xs))
    grads = tape.gradient(ys, xs, output_gradients=vs, unconnected_gradients="zero")
    return grads


def check_gradients(f, args, order=2, eps=1e-6, rtol=1e-5, atol=1e-6, seed=0):
    """Raise GradientCheckError unless reverse mode matches finite differences up to ``order``.

    ``f`` takes Tensors and returns a Tensor or a nest of Tensors; ``args`` are float64 (or
    complex128) arrays. For complex inputs the reverse result follows TF's convention
    ``dL/dx + i dL/dy`` for ``L = Re <v, f(z)>``.
    """
    rng = np.random.default_rng(seed)
    args = [np.asarray(a) for a in args]
    _check_once(f, args, eps, rtol, atol, rng)
    if order >= 2:
        xs0 = [constant(a) for a in args]
        vs = [_random_like(rng, y) for y in _flat_outputs(f(*xs0))]

        def grad_f(*xs):
            return _reverse(f, list(xs), vs)

        check_gradients(grad_f, args, order - 1, eps, rtol, atol, seed + 1)


def _check_once(f, args, eps, rtol, atol, rng):
    xs = [constant(a) for a in args]
    ys = _flat_outputs(f(*xs))
    if not ys:
        return
    vs = [_random_like(rng, y) for y in ys]
    us = [_random_like(rng, a) for a in args]
    grads = _reverse(f, xs, vs)
    analytic = 0.0
    for g, u in zip(grads, us):
        if g is not None:
            # TF convention: the gradient of a real L w.r.t. z is dL/dx + i dL/dy, so the
            # directional derivative along u is Re <g, u>.
            analytic += float(np.real(np.vdot(np.asarray(g), u)))

    def phi(sign):
        shifted = [constant(a + sign * eps * u) for a, u in zip(args, us)]
        return _pairing(vs, _flat_outputs(f(*shifted)))

    numeric = (phi(1.0) - phi(-1.0)) / (2 * eps)
    if not np.isclose(analytic, numeric, rtol=rtol, atol=atol * max(1.0, abs(numeric))):
        raise GradientCheckError(
            f"reverse-mode derivative {analytic!r} != finite difference {numeric!r} "
            f"(difference {analytic - numeric:.3g})")




def compute_gradient(f, x, delta=None):
    """``tf.test.compute_gradient``: theoretical and numerical Jacobians of ``f`` at ``x``.

    Returns two tuples with one 2-D array per argument, shaped ``(y.size, x_i.size)`` in the
    argument's dtype. ``delta`` (default 1/1024, exact in binary) is the central-difference step.
    """
    if not isinstance(x, list | tuple):
        raise ValueError("`x` must be a list or tuple of values convertible to a Tensor "
                         f"(arguments to `f`), not a {type(x)}")
    delta = 1.0 / 1024 if delta is None else delta
    xs = [convert_to_tensor(v) for v in x]
    values = [np.asarray(v) for v in xs]
    with GradientTape(persistent=True) as tape:
        tape.watch(xs)
        y = convert_to_tensor(f(*xs))
    y_size = int(np.prod(y.shape))
    theoretical = [np.zeros((y_size, v.size), dtype=v.dtype) for v in values]
    for k in range(y_size):
        seed = np.zeros(y_size, dtype=y.dtype.as_numpy_dtype)
        seed[k] = 1
        grads = tape.gradient(y, xs, output_gradients=seed.reshape(tuple(y.shape)),
                              unconnected_gradients="zero")
        for jac, g in zip(theoretical, grads):
            jac[k] = np.asarray(g).reshape(-1)
    del tape
    numerical = []
    for i, v in enumerate(values):
        jac = np.zeros((y_size, v.size), dtype=v.dtype)
        for j in range(v.size):
            cols = []
            for sign in (1, -1):
                shifted = v.copy().reshape(-1)
                shifted[j] += sign * delta
                args = [constant(shifted.reshape(v.shape)) if k == i else xs[k]
                        for k in range(len(xs))]
                cols.append(np.asarray(f(*args)).reshape(-1))
            jac[:, j] = (cols[0] - cols[1]) / (2 * delta)
        numerical.append(jac)
    return tuple(theoretical), tuple(numerical)
