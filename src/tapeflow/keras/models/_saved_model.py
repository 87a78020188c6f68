"""What ``tf.saved_model.save`` asks of a Keras model (a duck-typed hook; saved_model never
imports Keras): the ``serving_default`` signature Keras 3 exports, the model called on its
inputs (``inputs``, ``inputs_1``, ... as Keras names them) with ``training=False``."""

from ...framework.tensor_spec import TensorSpec
from ...tracing.polymorphic_function import Function


def default_save_signature(model):
    """A tf.function with the model's input signature, or ``None`` when the inputs are not
    known (a subclassed model, a Sequential never built)."""
    try:
        inputs = model.inputs
    except (AttributeError, ValueError):
        return None
    if inputs is None:
        return None
    if not isinstance(inputs, list | tuple):
        inputs = [inputs]
    if not inputs:
        return None
    specs = [TensorSpec(t.shape, t.dtype) for t in inputs]

    def serve(inputs):
        return model(inputs, training=False)
    return Function(serve, input_signature=[specs[0] if len(specs) == 1 else specs],
                    autograph=False, name="serving_default")
