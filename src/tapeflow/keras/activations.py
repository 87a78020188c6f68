"""``tf.keras.activations.get``: an activation by name or as a function."""


def _table():
    from .. import nn
    from ..ops import math_ops
    names = {"linear": lambda x: x, None: lambda x: x}
    for name in ("relu", "sigmoid", "softplus", "elu", "selu", "gelu", "softmax", "softsign",
                 "swish", "silu", "relu6", "leaky_relu", "log_softmax"):
        fn = getattr(nn, name, None)
        if fn is not None:
            names[name] = fn
    names["tanh"] = math_ops.tanh
    names["exponential"] = math_ops.exp
    return names


def get(identifier):
    if callable(identifier):
        return identifier
    table = _table()
    if identifier not in table:
        raise ValueError(f"Could not interpret activation function identifier: {identifier}")
    return table[identifier]
