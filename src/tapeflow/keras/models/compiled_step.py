"""``predict_step`` run as Keras runs it: traced once into a graph and the graph run per batch.

Keras compiles its steps into ``tf.function``s unless ``run_eagerly``. A predict over many
batches spends most of its non-BLAS time in layer-call bookkeeping; the traced graph runs the
same ops with none of it. The trace takes the batch dimension as unknown, so the last, shorter
batch runs the same graph. A step that cannot be traced (a layer that needs Python values, an
op without a graph form) runs eagerly, as before.
"""

from ...framework.tensor import Tensor
from ...framework.tensor_spec import TensorSpec
from ...tracing import polymorphic_function
from ..layers.layer import _flatten, _map

_UNTRACEABLE = object()


class GraphStep:
    """``step`` (a bound ``predict_step``) traced per input structure, shapes and dtypes."""

    def __init__(self, model):
        self._model = model
        self._token = None
        self._graphs = {}  # input key -> ConcreteFunction, or _UNTRACEABLE

    def _structure_token(self):
        """What a traced graph baked in: the step method, the layers and their variables. A
        Sequential that gained a layer or a layer built anew makes the graphs stale."""
        model = self._model
        return (type(model).predict_step, tuple(map(id, model._flatten_layers())),
                tuple(map(id, model.variables)))

    def start(self):
        """Called once per ``predict``: forget graphs the model has outgrown."""
        token = self._structure_token()
        if token != self._token:
            self._token, self._graphs = token, {}

    def __call__(self, batch):
        """The step's outputs for ``batch`` from its graph, or ``None`` where it must run
        eagerly."""
        leaves = _flatten(batch)
        if not leaves or not all(isinstance(t, Tensor) and t.shape.rank for t in leaves):
            return None
        key = (_structure(batch), tuple((t.shape[1:], t.dtype) for t in leaves))
        graph = self._graphs.get(key)
        if graph is None:
            graph = self._graphs[key] = self._trace(batch)
        if graph is _UNTRACEABLE:
            return None
        return graph._call_flat(leaves)

    def _trace(self, batch):
        specs = _map(lambda t: TensorSpec((None,) + tuple(t.shape[1:]), t.dtype), batch)
        try:
            fn = polymorphic_function.Function(self._model.predict_step, autograph=False,
                                               name="one_step_on_data")
            return fn.get_concrete_function(specs)
        except Exception:  # noqa: BLE001 - no graph form: the eager step gives its own errors
            return _UNTRACEABLE


def _structure(x):
    if isinstance(x, list | tuple):
        return (type(x), tuple(_structure(v) for v in x))
    if isinstance(x, dict):
        return (dict, tuple((k, _structure(v)) for k, v in x.items()))
    return None


def use_graph(model, steps):
    """Whether ``predict`` runs its batches through a graph: as Keras, unless the model or
    ``tf.config.run_functions_eagerly`` says eagerly; and only for more than one batch, where
    the trace (a few milliseconds) pays for itself."""
    return (not getattr(model, "run_eagerly", False) and
            not polymorphic_function.functions_run_eagerly() and
            (steps is None or steps > 1))
