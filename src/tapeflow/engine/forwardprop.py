"""``tf.autodiff.ForwardAccumulator``: forward-mode autodiff (JVPs computed as ops run).

An accumulator is a recorder on the same stack as tapes. When an op runs with an input that has
a tangent, it computes the output tangents right away, with every recorder at and above its own
position paused: recorders entered earlier (outer tapes and accumulators) see the JVP ops, later
ones do not. That gives TF's entry-order nesting, forward-over-backward Hessian-vector products
and backward-over-forward alike.

A primitive with JVP rules uses them. Any other differentiable primitive (and every
custom_gradient) gets its JVP by transposing its VJP: run the VJP on a watched dummy cotangent
``u`` and differentiate ``<vjp(u), t>`` with respect to ``u``. That is exact because VJPs are
linear in ``u``, but it costs a small backward pass per op.
"""

import weakref

import numpy as np

from ..framework import nest, tf_logging
from ..framework.tensor import Tensor, convert_to_tensor, tape_id, value_of, wrap
from ..framework.variable import Variable
from .core import state
from .tape import GradientTape, UnconnectedGradients, unconnected_value


class ForwardAccumulator:
    """Computes Jacobian-vector products of ops run inside its context."""

    def __init__(self, primals, tangents):
        self._tangents = {}   # tensor or variable-handle id -> tangent Tensor
        self._owners = {}     # same ids -> weak reference to the primal that owns the tangent
        self._recording = False
        flat_primals = nest.flatten(primals)
        flat_tangents = nest.flatten(tangents)
        if len(flat_primals) != len(flat_tangents):
            raise ValueError("primals and tangents must have the same structure.")
        for primal, tangent in zip(flat_primals, flat_tangents):
            self._watch(primal, tangent)

    def _watch(self, primal, tangent):
        if isinstance(primal, Variable):
            key, dtype = primal._handle.id, primal.dtype
        elif isinstance(primal, Tensor):
            key, dtype = primal._id, primal.dtype
        else:
            raise ValueError(f"Passed in object {primal} of type '{type(primal).__name__}', not "
                             "tf.Tensor or tf.Variable or ExtensionType.")
        if not dtype.is_floating and not dtype.is_complex:
            tf_logging.warning("The dtype of the watched primal must be floating (e.g. "
                               f"tf.float32), got {dtype!r}")
        if key in self._tangents:
            raise ValueError("Tensor {} was specified as a primal multiple times. This may "
                             "indicate an error. If it was intended, please sum the corresponding "
                             "tangents.")
        tangent = convert_to_tensor(tangent, dtype=dtype)
        if tuple(tangent.shape) != tuple(primal.shape):
            raise ValueError(f"Tangent shape {tangent.shape} does not match primal shape "
                             f"{primal.shape}.")
        self._set(primal, key, tangent)

    def _set(self, owner, key, tangent):
        self._tangents[key] = tangent
        tangents, owners = self._tangents, self._owners

        def release(_):  # JVPs die with their primals
            tangents.pop(key, None)
            owners.pop(key, None)
        owners[key] = weakref.ref(owner if isinstance(owner, Tensor) else owner._handle, release)

    # --- context -------------------------------------------------------------------------------
    def __enter__(self):
        if self._recording:
            raise ValueError("Accumulator is already recording.")
        state.stack.append(self)
        self._recording = True
        return self

    def __exit__(self, *exc):
        if self._recording:
            state.stack.remove(self)
            self._recording = False
        return False

    # --- recording -----------------------------------------------------------------------------
    def record(self, prim, inputs, outputs, attrs):
        tangents = self._tangents
        ts = [tangents.get(t._id) for t in inputs]
        if all(t is None for t in ts):
            return
        stack = state.stack
        position = stack.index(self)
        paused = stack[position:]
        del stack[position:]  # only recorders entered before this one see the JVP computation
        try:
            out_tangents = output_tangents(prim, inputs, outputs, attrs, ts)
        finally:
            stack.extend(paused)
        for out, tangent in zip(outputs, out_tangents):
            if tangent is not None and out._value.dtype.kind in "fcV":
                self._set(out, out._id, tangent)

    def record_read(self, variable, tensor):
        tangent = self._tangents.get(variable._handle.id)
        if tangent is not None:
            self._set(tensor, tensor._id, tangent)

    # --- results -------------------------------------------------------------------------------
    def jvp(self, primals, unconnected_gradients=UnconnectedGradients.NONE):
        """The JVP of each primal (same structure); None or zeros when unconnected."""
        zero = unconnected_value(unconnected_gradients) is UnconnectedGradients.ZERO

        def lookup(p):
            key = tape_id(p)
            t = self._tangents.get(key)
            if t is None and zero:
                t = wrap(np.zeros_like(value_of(p)))
            return t
        return nest.map_structure(lookup, primals)


def output_tangents(prim, inputs, outputs, attrs, tangents):
    """Tangents of ``outputs`` given the inputs' ``tangents`` (None where an input has none)."""
    ans = outputs if prim.multi else outputs[0]
    if prim.joint and prim.jvps is not None:  # one rule for every input (graph loops)
        return list(prim.jvps[0](tangents, ans, *inputs, **attrs))
    if prim.jvps is not None:
        total = None
        for i, t in enumerate(tangents):
            if t is None:
                continue
            contribution = prim.jvps[i](t, ans, *inputs, **attrs)
            if contribution is None:
                continue
            total = contribution if total is None else _add(total, contribution)
        if total is None:
            return [None] * len(outputs)
        return list(total) if prim.multi else [total]
    return _transposed_vjp(prim, inputs, outputs, attrs, tangents)


def _add(a, b):
    if isinstance(a, tuple):
        return tuple(_add(x, y) for x, y in zip(a, b))
    return a + b


def _transposed_vjp(prim, inputs, outputs, attrs, tangents):
    from ..ops import _k, math_ops, reduction_ops  # the engine loads before the op library
    # The VJP is linear in u, but some rules mask where u == 0 (TF's SqrtGrad gives 0 there), so
    # differentiate at u = 1 rather than 0.
    dummies = [wrap(np.ones_like(o._value)) for o in outputs]
    ans = tuple(outputs) if prim.multi else outputs[0]
    with GradientTape() as inner:
        inner.watch(dummies)
        u = tuple(dummies) if prim.multi else dummies[0]
        pairing = None
        joint = prim.vjps[0](u, ans, *inputs, **attrs) if prim.joint else None
        for i, t in enumerate(tangents):
            if t is None or inputs[i]._value.dtype.kind not in "fcV":
                continue
            v = joint[i] if prim.joint else prim.vjps[i](u, ans, *inputs, **attrs)
            if v is None:
                continue
            term = reduction_ops.reduce_sum(math_ops.multiply(v, _k.conj(t)))
            pairing = term if pairing is None else pairing + term
    if pairing is None:
        return [None] * len(outputs)
    # d<vjp(u), t>/du is J t itself under TF's conjugate convention (vjp(u) = conj(J)^T u).
    return inner.gradient(pairing, dummies)
