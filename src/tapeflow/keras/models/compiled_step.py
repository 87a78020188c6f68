"""A Model's steps run as Keras runs them: traced once into a graph and the graph run per batch.

Keras compiles ``train_step``, ``test_step`` and ``predict_step`` into ``tf.function``s unless
``run_eagerly``. A step over a small model spends most of its time in per-op Python bookkeeping
(layer calls, the tape); the traced graph runs the same ops with none of it. The optimizer
update, the metrics and the loss tracker are stateful nodes of the graph (they run on each
batch's values when the graph runs, see ``optimizers/base.py`` and ``metrics.py``).

The batch dimension a trace takes is Keras's: ``fit`` and ``evaluate`` trace on their data's
element spec (the batch size when every batch has it, else unknown, so the last, shorter batch
runs the same graph); ``predict`` and ``*_on_batch`` trace the first batch's size, then once
more with it unknown when a batch of another size comes (tf.function's ``reduce_retracing``),
so a ``print`` in ``call`` shows what it shows under TF. A step whose trace needs the batch
size (a stateful RNN, a layer that reads ``x.shape[0]`` as a number) is traced per batch size
instead. Random draws (dropout, augmentation) take the batch size when the graph runs. A step
that cannot be traced at all (an op without a graph form, Python control flow on tensor
values) runs eagerly.
"""

import copy

import numpy as np

from ...framework.tensor import Tensor, convert_to_tensor
from ...framework.tensor_spec import TensorSpec
from ...tracing import polymorphic_function
from ..layers.layer import _flatten, _map

_UNTRACEABLE = object()
FIRST_CALL = "first call"  # GraphStep.start: trace each call's batch size, then relax
_PER_BATCH_SIZE = object()  # traced again for each batch size


class GraphStep:
    """The model's ``step`` method (``"predict_step"``, ``"train_step"``, ``"test_step"``)
    traced per input structure, shapes and dtypes."""

    def __init__(self, model, step="predict_step"):
        self._model = model
        self._step = step
        self._token = None
        self._graphs = {}  # input key -> ConcreteFunction, _UNTRACEABLE or _PER_BATCH_SIZE
        self._first = set()  # input keys (batch sizes aside) traced once already
        self._batch = FIRST_CALL
        self.traces = 0    # graphs made (tests check that the graph path is taken)

    def __deepcopy__(self, memo):
        """A copied model traces steps of its own (these graphs use the original's
        variables)."""
        return GraphStep(copy.deepcopy(self._model, memo), self._step)

    def _structure_token(self):
        """What a traced graph baked in: the step method, the layers, their variables (and
        which are trainable), what ``compile`` made. A Sequential that gained a layer, a layer
        built anew, a frozen layer or a new ``compile`` makes the graphs stale."""
        model = self._model
        return (getattr(type(model), self._step), tuple(map(id, model._flatten_layers())),
                tuple(map(id, model.variables)), tuple(map(id, model.trainable_variables)),
                id(getattr(model, "_loss_tracker", None)))

    def start(self, batch_size=FIRST_CALL):
        """Called once per ``fit``/``evaluate``/``predict``: forget graphs the model has
        outgrown. ``batch_size`` is the batch dimension traces take: the data's, as Keras's
        train and test functions are traced on their dataset's element spec (an int when every
        batch has it, None when they differ), or ``FIRST_CALL`` (predict, ``*_on_batch``,
        which pass each batch itself): the first batch's, then any size once a batch of
        another size comes (tf.function's ``reduce_retracing``)."""
        token = self._structure_token()
        if token != self._token:
            self._token, self._graphs, self._first = token, {}, set()
        self._batch = batch_size

    def __call__(self, batch):
        """The step's outputs for ``batch`` from its graph, or ``None`` where it must run
        eagerly."""
        leaves = _flatten(batch)
        if any(type(t) is np.ndarray for t in leaves):  # from a generator or a PyDataset
            batch = _map(lambda a: convert_to_tensor(a) if type(a) is np.ndarray else a, batch)
            leaves = _flatten(batch)
        if not leaves or not all(isinstance(t, Tensor) and t.shape.rank for t in leaves):
            return None
        # a graph for any batch size is keyed by ``key``, one for given sizes by ``sized``;
        # Keras's per-batch calls (predict, *_on_batch) trace apart from its data loops
        key = (self._batch is FIRST_CALL, _structure(batch),
               tuple((t.shape[1:], t.dtype) for t in leaves))
        sized = key + (tuple(t.shape[0] for t in leaves),)
        graph = self._graphs.get(sized)
        if graph is None:
            graph = self._graphs.get(key)
            if graph is None and (type(self._batch) is int or
                                  self._batch is FIRST_CALL and key not in self._first):
                # traced with its batch size (a print in ``call`` shows TF's shapes)
                graph = self._add(sized, key, batch, per_batch_size=True)
            elif graph is None:
                # one graph for every size, unless the step needs its batch size
                graph = self._add(key, key, batch, per_batch_size=False)
            if graph is _PER_BATCH_SIZE:
                graph = self._add(sized, key, batch, per_batch_size=True)
        if graph is _UNTRACEABLE:
            return None
        return graph._call_flat(leaves)

    def _add(self, key, base, batch, per_batch_size):
        graph = self._trace(batch, per_batch_size)
        token = self._structure_token()
        if token != self._token:  # the trace built the model: graphs from before are stale
            self._token, self._graphs, self._first = token, {}, set()
        self._first.add(base)
        self._graphs[key] = graph
        if graph is _UNTRACEABLE:  # no batch size helps: this input kind runs eagerly from now
            self._graphs[base] = graph
        return graph

    def _trace(self, batch, per_batch_size):
        specs = _map(lambda t: TensorSpec((t.shape[0] if per_batch_size else None,) +
                                          tuple(t.shape[1:]), t.dtype), batch)
        try:
            fn = polymorphic_function.Function(getattr(self._model, self._step),
                                               autograph=False, name="one_step_on_data")
            concrete = fn.get_concrete_function(specs)
        except Exception:  # noqa: BLE001 - no graph form: the eager step gives its own errors
            return _UNTRACEABLE if per_batch_size else _PER_BATCH_SIZE
        self.traces += 1
        return concrete


def _structure(x):
    if isinstance(x, list | tuple):
        return (type(x), tuple(_structure(v) for v in x))
    if isinstance(x, dict):
        return (dict, tuple((k, _structure(v)) for k, v in x.items()))
    return None


def use_graph(model, steps=None):
    """Whether a loop runs its steps through a graph: as Keras, unless the model or
    ``tf.config.run_functions_eagerly`` says eagerly. ``predict`` passes its number of batches:
    a single one runs eagerly, where the trace (a few milliseconds) would not pay for itself."""
    return (not getattr(model, "run_eagerly", False) and
            not polymorphic_function.functions_run_eagerly() and
            (steps is None or steps > 1))
