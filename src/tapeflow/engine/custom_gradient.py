"""``tf.custom_gradient`` and ``tf.recompute_grad``.

A decorated call is recorded as one op from its positional inputs (plus the trainable Variables
the function read) to new output tensors; the op's VJP is the user's ``grad_fn``, which always
runs on Tensors, so a ``grad_fn`` written with tapeflow ops is itself differentiable.
"""

import functools
import inspect

from ..framework import nest
from ..framework.tensor import Tensor, convert_to_tensor, wrap
from ..framework.variable import Variable
from .core import Primitive, apply, state


class _VariableWatcher:
    """A recorder that only notes the trainable Variables read while it is on the stack."""

    def __init__(self):
        self.variables = []

    def record(self, prim, inputs, outputs, attrs):
        pass

    def record_read(self, variable, tensor):
        if variable.trainable and all(v._handle is not variable._handle for v in self.variables):
            self.variables.append(variable)


_accepts_variables_cache = {}


def _accepts_variables(grad_fn):
    key = getattr(grad_fn, "__code__", grad_fn)
    if key not in _accepts_variables_cache:
        params = inspect.signature(grad_fn).parameters.values()
        _accepts_variables_cache[key] = any(
            p.name == "variables" or p.kind is inspect.Parameter.VAR_KEYWORD for p in params)
    return _accepts_variables_cache[key]


def _run_hidden(f, args, kwargs):
    """Run ``f`` unseen by the active recorders, noting the trainable Variables it reads."""
    watcher = _VariableWatcher()
    saved = state.stack
    state.stack = [watcher]
    try:
        return f(*args, **kwargs), watcher.variables
    finally:
        state.stack = saved


def custom_gradient(f=None):
    """Decorator: ``f(*args)`` returns ``(y, grad_fn)``; ``y``'s gradients come from ``grad_fn``."""
    if f is None:
        return custom_gradient

    @functools.wraps(f)
    def decorated(*args, **kwargs):
        (result, grad_fn), read = _run_hidden(f, args, kwargs)
        flat_args = nest.flatten(args)
        variables = [v for v in read if all(v is not a for a in flat_args)]
        if variables and not _accepts_variables(grad_fn):
            raise TypeError("@tf.custom_gradient grad_fn must accept keyword argument "
                            f"'variables', since function uses variables: {variables}")
        flat_result = [convert_to_tensor(y) for y in nest.flatten(result)]
        if state.graph is not None:
            # tracing: one op from the inputs and f's traced results (passed through) to new
            # graph tensors, so the graph computes the results and replays the custom gradient
            inputs = [convert_to_tensor(a) for a in flat_args]
            inputs += [v._dense_read() for v in variables]
            prim = custom_op(f.__name__, grad_fn, len(flat_args), variables, len(flat_result))
            outputs = apply(prim, inputs + flat_result, {})
            return nest.pack_sequence_as(result, list(outputs))
        outputs = [wrap(y._value) for y in flat_result]  # new tensors
        if state.stack:
            inputs = [convert_to_tensor(a) for a in flat_args]
            inputs += [v._dense_read() for v in variables]  # recorded reads: the tapes see them
            prim = custom_op(f.__name__, grad_fn, len(flat_args), variables)
            for rec in list(state.stack):
                rec.record(prim, inputs, outputs, {})
        return nest.pack_sequence_as(result, outputs)

    return decorated


def custom_op(name, grad_fn, n_args, variables, passed=0):
    """A one-off primitive whose joint VJP calls ``grad_fn`` with TF's checks. In a graph its
    last ``passed`` inputs are the traced results, which its forward returns (no gradient
    flows to them: the custom one replaces theirs)."""

    def vjp(upstream, ans, *inputs):
        upstream = list(upstream)
        if variables:
            input_grads, variable_grads = grad_fn(*upstream, variables=variables)
            if len(variable_grads) != len(variables):
                raise ValueError("Must return gradient for each variable from @custom_gradient "
                                 "grad_fn.")
        else:
            input_grads, variable_grads = grad_fn(*upstream), []
        flat = list(input_grads) if isinstance(input_grads, list | tuple) else [input_grads]
        if len(flat) != n_args:
            raise ValueError(f"custom_gradient function expected to return {n_args} gradients, "
                             f"but returned {len(flat)} instead.")
        return [None if g is None else convert_to_tensor(g)
                for g in flat + list(variable_grads)] + [None] * passed

    forward = None
    if passed:
        def forward(*values):
            return tuple(values[len(values) - passed:])
        forward.passed = passed  # saved_model saves such an op as its pass-through
    prim = Primitive(name, forward, multi=True)
    prim.vjps = (vjp,)
    prim.joint = True
    prim.tensor_rules = True
    refusal = getattr(grad_fn, "forward_mode_refusal", None)
    if refusal:  # recompute_grad: TF will not transpose its grad_fn for forward mode
        def refuse(*_, **__):
            raise NotImplementedError(refusal)
        prim.jvps = (refuse,) * (n_args + len(variables))
    return prim


def recompute_grad(f):
    """Checkpointing: keep only ``f``'s inputs and outputs; re-run ``f`` in the backward pass."""

    @custom_gradient
    def checkpointed(*args):
        result = f(*args)

        def grad_fn(*upstream, variables=None):
            from .tape import GradientTape
            flat_args = nest.flatten(args)
            sources = [a if isinstance(a, Tensor | Variable) else convert_to_tensor(a)
                       for a in flat_args]
            captured = list(variables or ())
            with GradientTape() as tape:
                tape.watch(sources)
                again = f(*nest.pack_sequence_as(args, sources))
            grads = tape.gradient(nest.flatten(again), sources + captured,
                                  output_gradients=list(upstream))
            if variables is None:
                return grads[:len(sources)]
            return grads[:len(sources)], grads[len(sources):]

        grad_fn.forward_mode_refusal = (  # TF's text, missing space included
            f"recompute_grad tried to transpose grad of {f.__name__}. Consider not using "
            "recompute_grad in forward modeautodiff")
        return result, grad_fn

    @functools.wraps(f)
    def wrapper(*args):
        return checkpointed(*args)

    return wrapper
