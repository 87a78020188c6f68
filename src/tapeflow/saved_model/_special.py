"""Saved forms of the traced ops that are not registered primitives: ``tf.switch_case`` /
``tf.case`` (a branch-index op and a ``Case`` op over N branches), a tape's gradient of a
``tf.while_loop`` (``WhileGrad``), a ``tf.custom_gradient`` op (its forward only),
``tf.print`` (``PrintV2``),
``tf.py_function`` / ``tf.numpy_function`` (``EagerPyFunc`` / ``PyFunc``), and the random
generators of stateful random ops (saved as the seeds they were made from).

A Python function cannot be saved: as TF does, the op is saved with a token (``pyfunc_<n>``) and
the function stays in this process's registry, so a SavedModel loaded in the process that saved
it calls it, and one loaded anywhere else fails when called with TF's error."""

import inspect
import sys

import numpy as np

from ..engine import core
from ..engine.custom_gradient import custom_op
from ..engine.tape import GradientTape, UnconnectedGradients
from ..framework import dtypes, errors, nest
from ..framework.shape import TensorShape
from ..framework.tensor import Tensor
from ..graph import control_flow, script_ops
from ..ops import math_ops, random_ops
from ..ops.philox import Philox
from ._encode import CannotSave, decode, encode

_CALLBACKS = {}  # token -> the traced function's Python callback (this process only)


def _closure(fn):
    return inspect.getclosurevars(fn).nonlocals


def save_node(writer, g, node):
    """The saved form of ``node``, or None when it is not one of these ops."""
    if node.type == "Case" and node.target is not None:
        return {"case": [writer._subgraph(sub, sub.outputs) for sub in node.target],
                "in": node.inputs, "out": node.outputs}
    if node.type == "BranchIndex" and node.prim is not None:
        found = _closure(node.prim.fwd)
        return {"branch_index": [[k, j] for k, j in found["lookup"].items()],
                "default": found["n"], "in": node.inputs, "out": node.outputs}
    if node.prim is not None and getattr(node.prim.fwd, "passed", 0):
        # a tf.custom_gradient op in a trace: its forward passes f's results through. Its
        # gradient is a Python function: kept in this process's registry, as py_functions are
        # (with experimental_custom_gradients=False the loaded function differentiates f's ops,
        # as TF's does)
        spec = {"passthrough": node.prim.fwd.passed, "in": node.inputs, "out": node.outputs}
        if getattr(writer, "custom_gradients", True):
            spec["custom_gradient"] = token = f"custom_gradient_{len(_CALLBACKS)}"
            _CALLBACKS[token] = node.prim
        return spec
    if node.type == "WhileGrad" and node.prim is not None:
        return _save_loop_grad(writer, node)
    if node.type == "PrintV2":
        return _save_print(writer, node)
    if node.type in ("EagerPyFunc", "PyFunc"):
        token = f"pyfunc_{len(_CALLBACKS)}"
        _CALLBACKS[token] = node.fwd
        return {"py_func": token, "op_type": node.type, "in": node.inputs, "out": node.outputs,
                "Tout": [g.tensors[i].dtype.name for i in node.outputs]}
    return None


def _save_loop_grad(writer, node):
    """A tape's gradient of a ``tf.while_loop``: the loop's condition and body (as the loop op
    saves them) and which inputs and outputs the gradient joins; loaded, the loop runs again
    under a tape and is differentiated there."""
    try:
        found = _closure(node.prim.fwd)
        loop = _closure(found["replay_loop"])
        sub_c, sub_b = loop["sub_c"], loop["sub_b"]
        spec = {"limited": loop["limited"], "wrt": found["wrt"], "seeds": found["seeds"],
                "m": found["m"]}
    except (KeyError, TypeError):
        return None  # another kind of loop gradient: not saved
    return {"while_grad": [writer._subgraph(sub_c, sub_c.outputs[:1]),
                           writer._subgraph(sub_b, sub_b.outputs)],
            **spec, "in": node.inputs, "out": node.outputs}


def _save_print(writer, node):
    found = _closure(node.fwd)
    stream = found["output_stream"]
    if stream is sys.stdout or stream is sys.__stdout__:
        stream = "stdout"
    elif stream is None or stream is sys.stderr or stream is sys.__stderr__:
        stream = "stderr"
    elif not isinstance(stream, str):
        raise CannotSave(f"tf.print writes to {stream!r}, which cannot be saved")
    inputs = list(node.inputs)

    def leaf(x):
        if isinstance(x, Tensor):
            return {"input": inputs.pop(0)}
        return None

    structure = encode(found["structure"], writer.arrays, leaf)
    return {"print": structure, "sep": found["sep"], "end": found["end"],
            "summarize": found["summarize"], "stream": stream, "in": node.inputs, "out": []}


def load_step(node, arrays, sub_function):
    """``fn(env) -> output tensors`` for a node saved by ``save_node``, or None."""
    ins = node.get("in", [])
    if "case" in node:
        branches = [sub_function(sub) for sub in node["case"]]
        return lambda env: control_flow.switch_case(
            env[ins[0]], [(lambda b=b: b(env, ())) for b in branches])
    if "branch_index" in node:
        lookup, default = {k: j for k, j in node["branch_index"]}, node["default"]
        prim = core.not_differentiable(core.Primitive(
            "BranchIndex", lambda i: np.int32(lookup.get(int(i), default)), save=()))
        return lambda env: (core.apply(prim, (env[ins[0]],), {}),)
    if "passthrough" in node:
        token = node.get("custom_gradient")
        if token is None:
            return lambda env: tuple(math_ops.identity(env[i]) for i in ins[-node["passthrough"]:])
        prim = _CALLBACKS.get(token) or _lost_gradient(token, node["passthrough"])
        return lambda env: tuple(core.apply(prim, tuple(env[i] for i in ins), {}))
    if "while_grad" in node:
        return _loop_grad_step(node, [sub_function(sub) for sub in node["while_grad"]])
    if "print" in node:
        def emit(env):
            structure = decode(node["print"], arrays, lambda obj: env[obj["input"]]
                               if "input" in obj else None)
            stream = node["stream"]
            stream = {"stdout": sys.stdout, "stderr": sys.stderr}.get(stream, stream)
            script_ops.print_(*structure, output_stream=stream, summarize=node["summarize"],
                              sep=node["sep"], end=node["end"])
            return ()
        return emit
    if "py_func" in node:
        return _py_func_step(node)
    return None


def _lost_gradient(token, passed):
    """A custom gradient saved in another process: the custom-gradient op (results passed
    through) whose gradient function raises, rather than silently differentiating what the
    custom one replaced."""
    def refuse(*_, **__):
        raise LookupError(f"The SavedModel's custom gradient ({token}) is a Python function of "
                          "the process that saved it, and cannot be computed here. Save with "
                          "tf.saved_model.SaveOptions(experimental_custom_gradients=False) to "
                          "differentiate the function's own ops instead.")
    return custom_op("CustomGradient", refuse, 0, [], passed)


def _loop_grad_step(node, subs):
    cond, body = subs
    shapes = [TensorShape(d) for d in node["while_grad"][1]["shapes"]]
    n, m, ins = len(shapes), node["m"], node["in"]
    wrt, seeds, limited = node["wrt"], node["seeds"], node["limited"]

    def run(env):
        # each input its own tensor: one tensor both a loop variable and captured by the body
        # is two inputs of the loop op, each with its own gradient
        xs = [math_ops.identity(env[i]) for i in ins[:m]]
        local = dict(env)
        local.update((ins[k], xs[k]) for k in range(n + limited, m))
        with GradientTape() as tape:
            tape.watch([xs[k] for k in wrt])
            outs = control_flow.while_loop(
                lambda *v: cond(local, v)[0], lambda *v: body(local, v), xs[:n],
                shape_invariants=shapes, maximum_iterations=xs[n] if limited else None)
        return tuple(tape.gradient([outs[k] for k in seeds], [xs[k] for k in wrt],
                                   [env[i] for i in ins[m:]],
                                   unconnected_gradients=UnconnectedGradients.ZERO))
    return run


def _py_func_step(node):
    token, op_type = node["py_func"], node["op_type"]
    touts = [dtypes.as_dtype(t) for t in node["Tout"]]
    ins = node["in"]

    def run(env):
        callback = _CALLBACKS.get(token)
        if callback is None:
            raise errors.InvalidArgumentError(
                None, None, f"Graph execution error:\n\nDetected at node {op_type} defined at "
                "(most recent call last):\n<stack traces unavailable>\nValueError: Could not "
                f"find callback with key={token} in the registry.\n\n\t [[{{{{node {op_type}}}}}]]"
                f" [Op:__inference_restored_function_body]")
        out = script_ops._call_python(callback, [env[i] for i in ins], touts, False, op_type)
        return tuple(nest.flatten(out))
    return run


def rng_leaf(value):
    """A stateful random op's generator as the seeds it was made from."""
    if isinstance(value, np.random.Generator):
        key = random_ops.generator_key(value)
        if key is None:
            raise CannotSave("a random generator tapeflow did not make")
        return {"rng": list(key)}
    if isinstance(value, Philox) and value.seeds is not None:  # a seeded op's stream
        return {"philox": list(value.seeds)}
    if value is random_ops.RUN_OP_SEED:  # an op seed per run under the global seed
        return {"run_op_seed": True}
    return None


def rng_decode(obj):
    if "rng" in obj:
        return random_ops.generator_for(tuple(obj["rng"]))
    if "philox" in obj:
        return Philox.from_seeds(*obj["philox"])
    if "run_op_seed" in obj:
        return random_ops.RUN_OP_SEED
    return None
