"""What ``tf.saved_model.save`` asks of a Keras model (a duck-typed hook; saved_model never
imports Keras): the ``serving_default`` signature Keras 3 exports, the model called on its
inputs (``inputs``, ``inputs_1``, ... as Keras names them) with ``training=False``; and
``model.export(path)``, Keras 3's SavedModel archive with its ``serve`` endpoint."""

from ...framework.tensor_spec import TensorSpec
from ...tracing.polymorphic_function import Function


def default_save_signature(model):
    """A tf.function with the model's input signature, or ``None`` when the inputs are not
    known (a subclassed model, a Sequential never built)."""
    specs = _input_specs(model)
    if specs is None:
        built = getattr(model, "_keras_build_shape", None)  # a subclassed model: as it was built
        if built is None or not model.built:
            return None
        specs = [TensorSpec(s, model.dtype) for s in (built if _nested(built) else [built])]

    def serve(inputs):
        return model(inputs, training=False)
    return Function(serve, input_signature=[specs[0] if len(specs) == 1 else specs],
                    autograph=False, name="serving_default")


def _nested(shape):
    return bool(shape) and isinstance(shape[0], list | tuple)


def _input_specs(model):
    """TensorSpecs of a functional or Sequential model's inputs, or None."""
    try:
        inputs = model.inputs
    except (AttributeError, ValueError):
        return None
    if not inputs:
        return None
    if not isinstance(inputs, list | tuple):
        inputs = [inputs]
    return [TensorSpec(t.shape, t.dtype) for t in inputs]


FORMATS = ["tf_saved_model", "onnx", "openvino", "litert", "torch"]


def export(model, filepath, format="tf_saved_model", verbose=None, input_signature=None):  # noqa: A002
    """``model.export(path)``: a SavedModel whose ``serve`` endpoint (also ``serving_default``)
    calls the model with ``training=False`` on a batch of any size, with ``variables``,
    ``trainable_variables`` and ``non_trainable_variables``; prints the endpoints as Keras 3."""
    if format not in FORMATS:
        raise ValueError(f"Unrecognized format={format}. Supported formats are: {FORMATS}.")
    if format != "tf_saved_model":
        raise NotImplementedError(f"tapeflow exports only format='tf_saved_model', not "
                                  f"{format!r}.")
    if not model.built:
        raise ValueError("The model provided has not yet been built. It must be built before "
                         "export.")
    if input_signature is None:
        input_signature = _export_specs(model)
    from ..export import ExportArchive
    archive = ExportArchive()
    archive.track(model)

    def serve(*args):
        return model(*args, training=False)
    archive.add_endpoint("serve", serve, input_signature)
    archive.write_out(filepath, verbose=verbose is None or verbose)


def _export_specs(model):
    """Keras 3's serving inputs: the model's inputs, or the shapes it was built with, the batch
    dimension left open; one argument (a list for several inputs)."""
    try:
        inputs = model.inputs
    except (AttributeError, ValueError):
        inputs = None
    if inputs:
        inputs = inputs if isinstance(inputs, list | tuple) else [inputs]
        specs = [TensorSpec([None, *list(t.shape)[1:]], t.dtype, name=getattr(t, "name", None))
                 for t in inputs]
    else:
        built = model._keras_build_shape
        specs = [TensorSpec([None, *s[1:]], model.dtype)
                 for s in (built if _nested(built) else [built])]
    return [specs[0] if len(specs) == 1 else specs]
