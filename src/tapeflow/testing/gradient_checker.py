"""Gradient checks against central finite differences, for users and for tapeflow's own tests.

``check_gradients(f, args, order=2, modes=("rev", "fwd"))`` compares, along a random input
direction ``u`` and a random output cotangent ``v``, the reverse-mode value
``<gradient(f, x, output_gradients=v), u>`` and the forward-mode value ``<v, jvp(f, x, u)>`` with
the numerical ``(<v, f(x + eps*u)> - <v, f(x - eps*u)>) / (2*eps)``. For order 2 it repeats the
check on ``(x, v) -> gradient(f, x, output_gradients=v)`` computed under an outer tape, which runs
every gradient rule on Tensors (so the rules themselves are differentiated).
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


def check_gradients(f, args, order=2, modes=("rev",), eps=1e-6, rtol=1e-5, atol=1e-6, seed=0):
    """Raise GradientCheckError unless ``f``'s derivatives match finite differences up to ``order``.

    ``f`` takes Tensors and returns a Tensor or a nest of Tensors; ``args`` are float64 (or
    complex128) arrays. ``modes`` picks reverse mode (``"rev"``: tape.gradient) and/or forward
    mode (``"fwd"``: ForwardAccumulator). For complex inputs the reverse result follows TF's
    convention ``dL/dx + i dL/dy`` for ``L = Re <v, f(z)>``. Order 2 checks the map
    ``(x, v) -> gradient(f, x, output_gradients=v)``: through ``x`` it differentiates every rule,
    through ``v`` it checks each rule's own transpose, which is what linear ops' second
    derivatives consist of.
    """
    rng = np.random.default_rng(seed)
    args = [np.asarray(a) for a in args]
    ys = _flat_outputs(f(*[constant(a) for a in args]))
    if not ys:
        return
    vs = [_random_like(rng, y) for y in ys]
    us = [_random_like(rng, a) for a in args]
    numeric = (_pairing(vs, _shifted(f, args, us, eps)) -
               _pairing(vs, _shifted(f, args, us, -eps))) / (2 * eps)
    for mode in modes:
        analytic = _DIRECTIONAL[mode](f, args, us, vs)
        if not np.isclose(analytic, numeric, rtol=rtol, atol=atol * max(1.0, abs(numeric))):
            raise GradientCheckError(
                f"{mode}-mode derivative {analytic!r} != finite difference {numeric!r} "
                f"(difference {analytic - numeric:.3g}, order {order} from the top)")
    if order >= 2:
        n = len(args)

        def vjp(*xs_and_vs):
            return _reverse(f, list(xs_and_vs[:n]), list(xs_and_vs[n:]))

        check_gradients(vjp, args + vs, order - 1, modes, eps, rtol, atol, seed + 1)


def _shifted(f, args, us, step):
    return _flat_outputs(f(*[constant(a + step * u) for a, u in zip(args, us)]))


def _reverse_directional(f, args, us, vs):
    """Re <gradient of <v, f>, u>: TF's convention makes this the directional derivative."""
    grads = _reverse(f, [constant(a) for a in args], vs)
    return sum(float(np.real(np.vdot(np.asarray(g), u))) for g, u in zip(grads, us)
               if g is not None)


def _forward_directional(f, args, us, vs):
    """<v, J u> with J u from a ForwardAccumulator."""
    from ..engine.forwardprop import ForwardAccumulator
    xs = [constant(a) for a in args]
    with ForwardAccumulator(xs, [constant(u) for u in us]) as acc:
        ys = _flat_outputs(f(*xs))
    return _pairing(vs, [acc.jvp(y, unconnected_gradients="zero") for y in ys])


_DIRECTIONAL = {"rev": _reverse_directional, "fwd": _forward_directional}


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
