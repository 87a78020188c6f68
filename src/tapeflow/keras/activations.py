"""``keras.activations``: the functions by name, ``get`` and ``serialize``."""

from .. import nn
from ..ops import math_ops


def linear(x):
    return x


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    if negative_slope == 0.0 and max_value is None and threshold == 0.0:
        return nn.relu(x)
    y = math_ops.where(x >= threshold, x, negative_slope * (x - threshold))
    return y if max_value is None else math_ops.minimum(y, float(max_value))


def softmax(x, axis=-1):
    # as Keras: the output remembers its logits, so a cross-entropy can start from them
    return _remember_logits(nn.softmax(x, axis=axis), x, "Softmax")


def sigmoid(x):
    return _remember_logits(nn.sigmoid(x), x, "Sigmoid")


def _remember_logits(output, logits, op_type):
    from .losses import _remember_logits as remember
    return remember(output, logits, op_type)


def log_softmax(x, axis=-1):
    return nn.log_softmax(x, axis=axis)


def gelu(x, approximate=True):
    return nn.gelu(x, approximate=approximate)


def leaky_relu(x, negative_slope=0.2):
    return nn.leaky_relu(x, alpha=negative_slope)


def elu(x, alpha=1.0):
    y = nn.elu(x)
    return y if alpha == 1.0 else math_ops.where(x > 0, y, alpha * y)


def hard_sigmoid(x):
    return math_ops.minimum(math_ops.maximum(x / 6.0 + 0.5, 0.0), 1.0)


def mish(x):
    return x * math_ops.tanh(nn.softplus(x))


def exponential(x):
    return math_ops.exp(x)


def tanh(x):
    return math_ops.tanh(x)


def _from_nn(name):
    fn = getattr(nn, name)

    def activation(x):
        return fn(x)
    activation.__name__ = activation.__qualname__ = name
    return activation


softplus, softsign, selu, relu6, silu = (
    _from_nn(n) for n in ("softplus", "softsign", "selu", "relu6", "silu"))
swish = silu

_BY_NAME = {
    "linear": linear, "relu": relu, "sigmoid": sigmoid, "softmax": softmax, "tanh": tanh,
    "softplus": softplus, "softsign": softsign, "selu": selu, "elu": elu, "gelu": gelu,
    "silu": silu, "swish": silu, "relu6": relu6, "leaky_relu": leaky_relu,
    "log_softmax": log_softmax, "exponential": exponential, "hard_sigmoid": hard_sigmoid,
    "mish": mish}


def serialize(activation):
    """A built-in by its name; any other function as Keras 3's function dict (its registered
    name when registered)."""
    for name, fn in _BY_NAME.items():
        if fn is activation:
            return name
    from ._custom_objects import serialize_keras_object
    return serialize_keras_object(activation)


def deserialize(name):
    return get(name)


def get(identifier):
    if identifier is None:
        return linear
    if isinstance(identifier, str):
        if identifier not in _BY_NAME:
            raise ValueError(f"Could not interpret activation function identifier: "
                             f"{identifier}")
        return _BY_NAME[identifier]
    if isinstance(identifier, dict) and identifier.get("class_name") == "function":
        from ._custom_objects import deserialize_keras_object
        return deserialize_keras_object(identifier)  # a registered or built-in function
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret activation function identifier: {identifier}")


# Keras 3's newer activations, shared with keras.ops.nn
from .ops.nn import (celu, glu, hard_shrink, hard_silu, hard_tanh, log_sigmoid,  # noqa: E402
                     soft_shrink, sparse_plus, sparse_sigmoid, sparsemax, squareplus,
                     tanh_shrink, threshold)

hard_swish = hard_silu
_BY_NAME.update({fn.__name__: fn for fn in (
    celu, glu, hard_shrink, hard_silu, hard_tanh, log_sigmoid, soft_shrink, sparse_plus,
    sparse_sigmoid, sparsemax, squareplus, tanh_shrink, threshold)})
_BY_NAME["hard_swish"] = hard_silu
