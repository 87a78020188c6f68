"""``compile`` / ``fit`` / ``evaluate`` / ``predict`` and the ``*_on_batch`` methods of a Model.

The optimizers, losses and metrics come from ``keras.optimizers``, ``keras.losses`` and
``keras.metrics`` (their ``get``); any object with their methods works.
"""

import importlib
import math
import warnings

import numpy as np

from ...engine.tape import GradientTape
from ...framework import replica
from ...framework.tensor import EagerTensor, Tensor, convert_to_tensor, wrap
from ...framework.variable import ResourceVariable
from ...ops import array_ops, math_ops
from ..layers.layer import Layer, _flatten, _map
from ..metrics import _graph_node
from .compiled_step import FIRST_CALL, GraphStep, use_graph
from ..losses import scale_loss_for_distribution, unscale_loss_for_distribution
from ..utils._data import PyDataset


def _get(module, identifier):
    if identifier is None or not isinstance(identifier, str | dict):
        return identifier
    mod = importlib.import_module(f"tapeflow.keras.{module}")
    return mod.get(identifier)


class _Tracker:
    """The running, batch-size-weighted mean of the loss that ``fit`` logs as ``loss``. In a
    traced step its update and result are graph nodes, run on each batch's values. Under a
    strategy of several replicas each replica keeps its own (as TF's on-read variables) and
    outside them it is over all."""

    _dtype = "float32"

    def __init__(self, name):
        self.name = name
        self.reset_state()

    def reset_state(self):
        self.parts = {}  # replica id (None: outside every replica) -> [total, count]

    def update_state(self, value, sample_weight=1):
        part = self.parts.setdefault(replica.STATE.replica, [0.0, 0.0])
        part[0] += float(np.asarray(value)) * float(sample_weight)
        part[1] += float(sample_weight)

    def result(self):
        mine = replica.STATE.replica
        parts = list(self.parts.values()) if mine is None else [self.parts.get(mine, [0., 0.])]
        total, count = sum(p[0] for p in parts), sum(p[1] for p in parts)
        return convert_to_tensor(np.float32(total / count if count else 0.0))

    update_state = _graph_node(update_state, "update_state")
    result = _graph_node(result, "result")


class _CompiledLoss:
    """The compiled loss(es): per output, weighted, plus the model's regularization losses."""

    def __init__(self, loss, loss_weights, output_names):
        self.output_names = output_names
        if isinstance(loss, dict):
            self.losses = [_as_loss(loss.get(n)) for n in output_names]
        elif isinstance(loss, list | tuple):
            self.losses = [_as_loss(x) for x in loss]
        else:
            self.losses = [_as_loss(loss)]
        if isinstance(loss_weights, dict):
            self.weights = [loss_weights.get(n, 1.0) for n in output_names]
        elif loss_weights is None:
            self.weights = [1.0] * len(self.losses)
        else:
            self.weights = list(loss_weights)
        self.per_output = {}

    def __call__(self, y_true, y_pred, sample_weight=None, regularization_losses=None):
        ys = _flatten(y_true) if len(self.losses) > 1 else [y_true]
        ps = _flatten(y_pred) if len(self.losses) > 1 else [y_pred]
        if len(self.losses) == 1 and isinstance(y_pred, list | tuple) and len(y_pred) == 1:
            ps = [y_pred[0]]
            ys = [y_true[0] if isinstance(y_true, list | tuple) else y_true]
        total = None
        self.per_output = {}
        for i, (fn, w, yt, yp) in enumerate(zip(self.losses, self.weights, ys, ps)):
            if fn is None:
                continue
            value = fn(yt, yp, sample_weight=sample_weight)
            if len(self.losses) > 1:
                self.per_output[f"{self.output_names[i]}_loss"] = value
            value = value * w if w != 1.0 else value
            total = value if total is None else total + value
        for reg in regularization_losses or ():
            reg = scale_loss_for_distribution(reg)
            total = reg if total is None else total + reg
        return total


def _as_loss(identifier):
    """A compiled loss as a ``Loss`` object: plain functions are wrapped, as Keras does (so
    ``y_true`` is squeezed or expanded to ``y_pred``'s rank, and the result reduced)."""
    fn = _get("losses", identifier)
    if fn is None or hasattr(fn, "reduction"):
        return fn
    losses = importlib.import_module("tapeflow.keras.losses")
    return losses.LossFunctionWrapper(fn, name=getattr(fn, "__name__", None))


class _CompiledMetrics:
    """The compiled metrics, resolved on first use (``"accuracy"`` picks binary, categorical
    or sparse categorical accuracy from the shapes, as Keras does)."""

    name = "compile_metrics"

    def __init__(self, metrics, output_names):
        self.output_names = output_names
        if isinstance(metrics, dict):
            self.spec = [list(_as_list(metrics.get(n))) for n in output_names]
        elif metrics and isinstance(metrics[0], list | tuple):
            self.spec = [list(m) for m in metrics]
        else:
            self.spec = [list(metrics or [])]
        self.metrics = None

    def _build(self, ys, ps):
        metrics = importlib.import_module("tapeflow.keras.metrics")
        self.metrics = []
        for i, (spec, yt, yp) in enumerate(zip(self.spec, ys, ps)):
            prefix = f"{self.output_names[i]}_" if len(self.spec) > 1 else ""
            for m in spec:
                if isinstance(m, str) and m.lower() in ("accuracy", "acc"):
                    if yp.shape[-1] == 1:
                        cls = metrics.BinaryAccuracy
                    elif len(yt.shape) < len(yp.shape) or yt.shape[-1] == 1:
                        cls = metrics.SparseCategoricalAccuracy
                    else:
                        cls = metrics.CategoricalAccuracy
                    obj = cls(name=prefix + m)
                else:
                    obj = _get("metrics", m)
                    if not hasattr(obj, "update_state"):
                        obj = metrics.MeanMetricWrapper(obj, name=prefix + getattr(
                            obj, "__name__", "metric"))
                    if isinstance(m, str):  # logged under the name it was asked by
                        obj.name = prefix + m
                self.metrics.append((i, obj))

    def update_state(self, y_true, y_pred, sample_weight=None):
        multi = len(self.spec) > 1
        ys = _flatten(y_true) if multi else [y_true]
        ps = _flatten(y_pred) if multi else [y_pred]
        if self.metrics is None:
            self._build(ys, ps)
        for i, m in self.metrics:
            m.update_state(ys[i], ps[i], sample_weight=sample_weight)

    def reset_state(self):
        for _, m in self.metrics or ():
            m.reset_state()

    def result(self):
        return {m.name: m.result() for _, m in self.metrics or ()}

    @property
    def variables(self):
        return [v for _, m in self.metrics or () for v in getattr(m, "variables", [])]


class _DeprecatedMetrics:
    def __init__(self, metrics):
        self._metrics = metrics

    def update_state(self, y_true, y_pred, sample_weight=None):
        warnings.warn("`model.compiled_metrics()` is deprecated. Instead, use e.g.:\n```\n"
                      "for metric in self.metrics:\n    metric.update_state(y, y_pred)\n```\n",
                      UserWarning, stacklevel=2)
        self._metrics.update_state(y_true, y_pred, sample_weight)

    def __getattr__(self, name):
        return getattr(self._metrics, name)


def _as_list(x):
    if x is None:
        return []
    return x if isinstance(x, list | tuple) else [x]


def _to_float(value):
    if isinstance(value, Tensor | ResourceVariable | np.ndarray | np.generic):
        value = np.asarray(value)
        return float(value) if value.size == 1 else value
    return value


def _pythonify(logs):
    out = {}
    for k in sorted(logs):
        v = logs[k]
        if isinstance(v, dict):
            out.update(_pythonify(v))
        else:
            out[k] = _to_float(v)
    return out


# --- data ---------------------------------------------------------------------------------------
def _is_array(x):
    return isinstance(x, np.ndarray | Tensor | ResourceVariable | list | tuple | dict)


def _as_numpy(x):
    def one(a):
        a = np.asarray(a)
        return a.astype(np.float32) if a.dtype == np.float64 else a
    return _map(one, x)


def _num_samples(x):
    return len(_flatten(x)[0])


def _batch(a, index):
    """The rows ``index`` of one array as a tensor, without a second copy: a shuffled batch
    (fancy indexing) is already a fresh array; a slice is wrapped as a read-only view of the
    data (converting would copy it again)."""
    if not isinstance(a, np.ndarray) or a.dtype.kind in "SUO":
        return convert_to_tensor(a[index])  # strings become bytes; others converted as before
    rows = a[index]
    if rows.base is not None:
        rows = rows.view()
        rows.flags.writeable = False
    return wrap(rows)


def _take(x, index):
    return _map(lambda a: _batch(a, index), x)


class _ArrayData:
    def __init__(self, x, y=None, sample_weight=None, batch_size=32, shuffle=False,
                 class_weight=None):
        self.x, self.y = _as_numpy(x), (None if y is None else _as_numpy(y))
        self.sw = None if sample_weight is None else np.asarray(sample_weight, np.float32)
        if class_weight is not None and self.y is not None:
            labels = np.asarray(_flatten(self.y)[0])
            labels = labels.argmax(-1) if labels.ndim > 1 and labels.shape[-1] > 1 else \
                labels.reshape(len(labels), -1)[:, 0]
            cw = np.array([class_weight.get(int(c), 1.0) for c in labels], np.float32)
            self.sw = cw if self.sw is None else self.sw * cw
        self.n = _num_samples(self.x)
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.steps = math.ceil(self.n / batch_size)

    def batch_spec(self):
        """The batch dimension of every batch (None where the last is shorter)."""
        return self.batch_size if self.n % self.batch_size == 0 else None

    def __iter__(self):
        order = np.random.permutation(self.n) if self.shuffle else None
        lone = isinstance(self.x, np.ndarray)
        for start in range(0, self.n, self.batch_size):
            stop = min(start + self.batch_size, self.n)
            index = order[start:stop] if order is not None else slice(start, stop)
            x = _batch(self.x, index) if lone else _take(self.x, index)
            y = None if self.y is None else _take(self.y, index)
            if self.sw is not None:
                yield x, y, _batch(self.sw, index)
            elif y is not None:
                yield x, y
            else:  # as Keras: the inputs alone, unless they are a tuple or list themselves
                yield (x,) if isinstance(x, list | tuple) else x

    def split(self, fraction):
        at = int(math.floor(self.n * (1.0 - fraction)))
        head = slice(0, at)
        tail = slice(at, self.n)
        pick = lambda data, s: None if data is None else _map(lambda a: a[s], data)  # noqa
        val = (pick(self.x, tail), pick(self.y, tail), None if self.sw is None else self.sw[tail])
        self.x, self.y = pick(self.x, head), pick(self.y, head)
        self.sw = None if self.sw is None else self.sw[head]
        self.n = at
        self.steps = math.ceil(self.n / self.batch_size)
        return val


class _IterableData:
    """A ``tf.data.Dataset`` or any re-iterable of ``(x, y[, sample_weight])`` batches."""

    def __init__(self, data, steps=None):
        self.data = data
        self.steps = steps
        if steps is None:
            try:
                n = len(data)
                self.steps = n if n >= 0 else None
            except TypeError:
                self.steps = None
        self._iterator = None

    def batch_spec(self):
        """A dataset's batch dimension, where its element spec fixes it for every part
        (``batch(n, drop_remainder=True)``); None otherwise (generators, PyDatasets)."""
        spec = getattr(self.data, "element_spec", None)
        dims = set()
        for leaf in _flatten(spec) if spec is not None else [None]:
            shape = getattr(leaf, "shape", None)
            dims.add(shape[0] if shape is not None and shape.rank else None)
        return dims.pop() if len(dims) == 1 else None

    def __iter__(self):
        data = self.data
        if isinstance(data, PyDataset):  # by index: a legacy image Iterator's own iter is endless
            data = PyDataset.__iter__(data)
        for element in data:
            yield tuple(element) if isinstance(element, tuple | list) else element


def _is_batches(x):
    if isinstance(x, list) and x and isinstance(x[0], tuple):
        return True  # a list of (x, y) batches
    return x is not None and not _is_array(x) and hasattr(x, "__iter__")


class _Execution:
    """Keras's ``steps_per_execution``: the batch callbacks come once per run of ``n`` steps,
    ``begin(first step)`` before it and ``end(first step + n - 1, [each step's logs])`` after it
    (the same last index for a shorter last run, as Keras reports it)."""

    def __init__(self, n, begin, end):
        self.n, self.begin, self.end = n, begin, end
        self.first, self.runs = None, []

    @property
    def closed(self):
        return self.first is None

    def before(self, step):
        if self.first is None:
            self.first = step
            self.begin(step)

    def after(self, step, logs):
        self.runs.append(logs)
        if step - self.first + 1 == self.n:
            self.close()

    def close(self):
        if self.first is not None:
            runs, last = self.runs, self.first + self.n - 1
            self.first, self.runs = None, []
            self.end(last, runs)


def _adapt(x, y, sample_weight, batch_size, shuffle, class_weight=None, steps=None):
    if _is_batches(x):
        if y is not None:
            raise ValueError("When providing `x` as a tf.data.Dataset, `y` should not be passed. "
                             "Instead, the targets should be included as part of the "
                             "tf.data.Dataset.")
        return _IterableData(x, steps)
    return _ArrayData(x, y, sample_weight, batch_size or 32, shuffle, class_weight)


def _unpack(data):
    if isinstance(data, tuple):
        if len(data) == 1:
            return data[0], None, None
        if len(data) == 2:
            return data[0], data[1], None
        return data[0], data[1], data[2]
    return data, None, None


def _concat(batches):
    first = batches[0]
    if isinstance(first, dict):
        return {k: _concat([b[k] for b in batches]) for k in first}
    if isinstance(first, list | tuple):
        return type(first)(_concat([b[i] for b in batches]) for i in range(len(first)))
    return np.concatenate([np.asarray(b) for b in batches])


def _step_function(kind):
    key = f"_keras_{kind}_function"  # tapeflow's cache names: not saved, not a sublayer
    return property(lambda self: self.__dict__.get(key),
                    lambda self, function: self.__dict__.__setitem__(key, function))


class Trainer:
    """What a Model adds to a Layer to train: see the module docstring."""

    def __init__(self):
        self.compiled = False
        self.optimizer = None
        self.loss = None
        self.stop_training = False
        self.history = None
        self._compiled_loss = None
        self._compiled_metrics = None
        self._loss_tracker = None
        self._initial_epoch = None
        from ... import distribute  # a model made in a strategy's scope trains under it
        self.__dict__["_keras_strategy"] = (distribute.get_strategy() if distribute.has_strategy()
                                            else None)

    @property
    def distribute_strategy(self):
        from ... import distribute
        return self.__dict__.get("_keras_strategy") or distribute.get_strategy()

    @property
    def trainable_variables(self):
        """During ``fit`` the list found when it started (walking the layers each step costs
        more than a small model's step)."""
        cached = self.__dict__.get("_keras_fit_trainable")
        return list(cached) if cached is not None else super().trainable_variables

    trainable_weights = trainable_variables

    # --- compile ------------------------------------------------------------------------------
    def get_compile_config(self):
        """What ``compile`` was given, serialized (Keras 3's ``compile_config``), or None for a
        model never compiled."""
        from ..saving import _compile_config
        return _compile_config(self) if getattr(self, "compiled", False) else None

    def compile_from_config(self, config):
        """``compile`` with a ``get_compile_config()`` result."""
        from ..saving import _compile_from_config
        _compile_from_config(self, config)

    def compile(self, optimizer="rmsprop", loss=None, loss_weights=None, metrics=None,
                weighted_metrics=None, run_eagerly=False, steps_per_execution=1,
                jit_compile="auto", auto_scale_loss=True):
        self.optimizer = _get("optimizers", optimizer)
        self._keras_compile_optimizer = self.optimizer  # what compile_config saves
        if auto_scale_loss:
            from .._autocast import maybe_scale_loss
            self.optimizer = maybe_scale_loss(self, self.optimizer)
        self.loss = loss
        self._keras_compile_args = {  # Keras 3's compile_config (keras/saving.py)
            "loss": loss, "loss_weights": loss_weights, "metrics": metrics,
            "weighted_metrics": weighted_metrics, "run_eagerly": run_eagerly,
            "steps_per_execution": steps_per_execution, "jit_compile": jit_compile is True}
        names = self._output_names()
        self._compiled_loss = None if loss is None else _CompiledLoss(loss, loss_weights, names)
        self._compiled_metrics = _CompiledMetrics(metrics, names) if metrics else None
        self._loss_tracker = _Tracker("loss")
        self.run_eagerly = run_eagerly
        for kind in ("train", "test", "predict"):  # made anew by the next fit/evaluate/predict
            self.__dict__.pop(f"_keras_{kind}_function", None)
        self.compiled = True

    def _output_names(self):
        outs = getattr(self, "outputs", None) if hasattr(self, "_graph") else None
        if outs is None:
            return ["output"]
        return [t._history[0].name for t in _flatten(outs)]

    @property
    def compiled_loss(self):
        """Keras 2's spelling, kept by Keras 3 with a deprecation warning."""
        def compiled_loss(y, y_pred, sample_weight=None, regularization_losses=None):
            warnings.warn("`model.compiled_loss()` is deprecated. Instead, use "
                          "`model.compute_loss(x, y, y_pred, sample_weight, training)`.",
                          UserWarning, stacklevel=2)
            return self._compiled_loss(y, y_pred, sample_weight,
                                       regularization_losses=regularization_losses)
        return None if self._compiled_loss is None else compiled_loss

    @property
    def compiled_metrics(self):
        """Keras 2's spelling, kept by Keras 3 with a deprecation warning."""
        return None if self._compiled_metrics is None else _DeprecatedMetrics(
            self._compiled_metrics)

    @property
    def metrics(self):
        out = []
        if self._loss_tracker is not None:
            out.append(self._loss_tracker)
        if self._compiled_metrics is not None:
            out.append(self._compiled_metrics)
        return out

    @property
    def metrics_names(self):
        return [m.name for m in self.metrics]

    def reset_metrics(self):
        for m in self.metrics:
            m.reset_state()

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        if self._compiled_loss is None:
            losses = self.losses
            if not losses:
                raise ValueError("No loss to compute. Provide a `loss` argument in `compile()`.")
            losses = [scale_loss_for_distribution(v) for v in losses]
            return math_ops.add_n(losses) if len(losses) > 1 else losses[0]
        return self._compiled_loss(y, y_pred, sample_weight, regularization_losses=self.losses)

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        if self._compiled_metrics is not None:
            self._compiled_metrics.update_state(y, y_pred, sample_weight)
        return self.get_metrics_result()

    def get_metrics_result(self):
        out = {}
        for m in self.metrics:
            r = m.result()
            if isinstance(r, dict):
                out.update(r)
            else:
                out[m.name] = r
        return out

    # --- steps --------------------------------------------------------------------------------
    def train_step(self, data):
        x, y, sample_weight = _unpack(data)
        with GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(x, y, y_pred, sample_weight)
            scale = getattr(self.optimizer, "scale_loss", None)  # LossScaleOptimizer's
            scaled = loss if scale is None else scale(loss)
        variables = self.trainable_variables  # after the call, which may have built the model
        if variables:
            grads = tape.gradient(scaled, variables)
            del tape  # what it recorded shares the weights' arrays: the update can be in place
            self._apply(grads, variables)
        else:
            warnings.warn("The model does not have any trainable weights.", stacklevel=2)
        self._loss_tracker.update_state(unscale_loss_for_distribution(loss), _batch_size(x))
        if self._compiled_loss is not None and self._compiled_loss.per_output:
            self._per_output(self._compiled_loss.per_output, x)
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def _per_output(self, values, x):
        trackers = self.__dict__.setdefault("_keras_output_trackers", {})
        for name, value in values.items():
            trackers.setdefault(name, _Tracker(name)).update_state(value, _batch_size(x))

    def _apply(self, grads, variables):
        opt = self.optimizer
        if hasattr(opt, "apply"):
            opt.apply(grads, variables)
        else:
            opt.apply_gradients(zip(grads, variables))
        for v in variables:
            constraint = getattr(v, "constraint", None)
            if constraint is not None:
                v.assign(constraint(v))

    def test_step(self, data):
        x, y, sample_weight = _unpack(data)
        y_pred = self(x, training=False)
        loss = self.compute_loss(x, y, y_pred, sample_weight, training=False)
        self._loss_tracker.update_state(unscale_loss_for_distribution(loss), _batch_size(x))
        if self._compiled_loss is not None and self._compiled_loss.per_output:
            self._per_output(self._compiled_loss.per_output, x)
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def predict_step(self, data):
        x, _, _ = _unpack(data)
        return self(x, training=False)

    def _logs(self, step_logs):
        logs = dict(step_logs)
        for name, tracker in self.__dict__.get("_keras_output_trackers", {}).items():
            logs[name] = tracker.result()
        return _pythonify(logs)

    def _final_logs(self, logs):
        """As Keras: under several replicas, whose steps log each replica's own metrics
        averaged, an epoch's (and evaluate's) logs are the metrics read over all replicas,
        where the logs are the metrics'."""
        strategy = self.__dict__.get("_keras_strategy")
        if strategy is None or strategy.num_replicas_in_sync == 1:
            return logs
        metrics = self._logs(self.get_metrics_result())
        return metrics if isinstance(logs, dict) and set(logs) == set(metrics) else logs

    def _reset_all(self):
        self.reset_metrics()
        for tracker in self.__dict__.get("_keras_output_trackers", {}).values():
            tracker.reset_state()

    def _require_compiled(self):
        if not self.compiled:
            raise ValueError("You must call `compile()` before using the model.")

    # --- fit ----------------------------------------------------------------------------------
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
            validation_batch_size=None, validation_freq=1):
        from ..callbacks import CallbackList
        self._require_compiled()
        data = _adapt(x, y, sample_weight, batch_size, shuffle, class_weight, steps_per_epoch)
        if validation_split and validation_data is None:
            if not isinstance(data, _ArrayData):
                raise ValueError("`validation_split` is only supported for Tensors or NumPy "
                                 "arrays.")
            validation_data = data.split(validation_split)
        val = None
        if validation_data is not None:
            if isinstance(validation_data, tuple) or (
                    isinstance(validation_data, list) and validation_data and
                    not isinstance(validation_data[0], tuple)):
                vx, vy, vsw = (tuple(validation_data) + (None,))[:3]
                val = _adapt(vx, vy, vsw, validation_batch_size or batch_size, False)
            else:
                val = _adapt(validation_data, None, None, None, False, steps=validation_steps)
        steps = steps_per_epoch if steps_per_epoch is not None else data.steps
        cbs = callbacks if isinstance(callbacks, CallbackList) else CallbackList(
            callbacks, add_history=True, add_progbar=verbose != 0, model=self,
            verbose=verbose, epochs=epochs, steps=steps)
        self.stop_training = False
        self._initial_epoch = None
        if not self.built and isinstance(data, _ArrayData) and _has_call(self):
            if hasattr(self, "_keras_stack") and isinstance(data.x, np.ndarray):
                self.build((None,) + data.x.shape[1:])  # a Sequential: batch size unknown
            else:
                self(_take(data.x, slice(0, data.batch_size)))
        self.__dict__["_keras_fit_trainable"] = None
        if self.built:
            self.__dict__["_keras_fit_trainable"] = self.trainable_variables
        try:
            return self._fit_loop(data, val, cbs, epochs, initial_epoch, steps_per_epoch,
                                  validation_steps, validation_freq)
        finally:
            self.__dict__["_keras_fit_trainable"] = None

    def _fit_loop(self, data, val, cbs, epochs, initial_epoch, steps_per_epoch,
                  validation_steps, validation_freq):
        cbs.on_train_begin()
        if self._initial_epoch is not None:
            initial_epoch = self._initial_epoch
        iterator = None
        logs = {}
        self.make_train_function()
        graph = self._graph_step("train_step", batch_size=data.batch_spec())
        for epoch in range(initial_epoch, epochs):
            self._reset_all()
            cbs.on_epoch_begin(epoch)
            if steps_per_epoch is None or iterator is None:
                iterator = iter(data)
            step = 0
            run = _Execution(self._execution_steps(), cbs.on_train_batch_begin,
                             lambda last, runs: cbs.on_train_batch_end(last, runs[-1]))
            while steps_per_epoch is None or step < steps_per_epoch:
                try:
                    batch = next(iterator)
                except StopIteration:
                    if steps_per_epoch is not None and step == 0:
                        iterator = iter(data)
                        continue
                    iterator = None
                    break
                run.before(step)
                logs = self._logs(self._run_step(graph, "train_step", batch))
                run.after(step, logs)
                step += 1
                if self.stop_training and run.closed:
                    break
            run.close()
            epoch_logs = dict(self._final_logs(logs))
            if val is not None and (epoch + 1) % validation_freq == 0:
                val_logs = self._evaluate_data(val, cbs, in_fit=True, steps=validation_steps)
                epoch_logs.update({f"val_{k}": v for k, v in val_logs.items()})
            cbs.on_epoch_end(epoch, epoch_logs)
            if self.stop_training:
                break
        if epochs > 0 and hasattr(self.optimizer, "finalize_variable_values"):
            self.optimizer.finalize_variable_values(self.trainable_weights)  # use_ema's averages
        cbs.on_train_end(logs)
        return cbs._history

    # --- evaluate / predict -------------------------------------------------------------------
    def _evaluate_data(self, data, cbs, in_fit=False, steps=None):
        self._reset_all()
        cbs.on_test_begin()
        logs = {}
        self.make_test_function()
        graph = self._graph_step("test_step", batch_size=data.batch_spec())
        run = _Execution(self._execution_steps(), cbs.on_test_batch_begin,
                         lambda last, runs: cbs.on_test_batch_end(last, runs[-1]))
        for step, batch in enumerate(data):
            if steps is not None and step >= steps:
                break
            run.before(step)
            logs = self._logs(self._run_step(graph, "test_step", batch))
            run.after(step, logs)
        run.close()
        logs = self._final_logs(logs)
        cbs.on_test_end(logs)
        return logs

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None,
                 steps=None, callbacks=None, return_dict=False, **kwargs):
        from ..callbacks import CallbackList
        self._require_compiled()
        data = _adapt(x, y, sample_weight, batch_size, False, steps=steps)
        cbs = callbacks if isinstance(callbacks, CallbackList) else CallbackList(
            callbacks, add_progbar=verbose != 0, model=self, verbose=verbose, epochs=1,
            steps=steps if steps is not None else data.steps)
        logs = self._evaluate_data(data, cbs, steps=steps)
        if return_dict:
            return logs
        ordered = [logs["loss"]] if "loss" in logs else []
        ordered += [v for k, v in logs.items() if k != "loss"]
        return ordered[0] if len(ordered) == 1 else ordered

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        from ..callbacks import CallbackList
        data = _adapt(x, None, None, batch_size, False, steps=steps)
        cbs = callbacks if isinstance(callbacks, CallbackList) else CallbackList(
            callbacks, add_progbar=verbose != 0, model=self, verbose=verbose, epochs=1,
            steps=steps if steps is not None else data.steps)
        cbs.on_predict_begin()
        outputs = []
        hooks = bool(cbs.callbacks)
        self.make_predict_function()
        graph = self._graph_step("predict_step", steps if steps is not None else data.steps)
        run = _Execution(self._execution_steps(), cbs.on_predict_batch_begin,
                         lambda last, runs: cbs.on_predict_batch_end(
                             last, {"outputs": runs[0] if len(runs) == 1 else _concat(runs)}))
        for step, batch in enumerate(data):
            if steps is not None and step >= steps:
                break
            if hooks:
                run.before(step)
            out = self._run_step(graph, "predict_step", batch)
            outputs.append(_map(np.asarray, out))  # views: _concat copies them once
            if hooks:
                run.after(step, out)
        run.close()
        cbs.on_predict_end()
        return _concat(outputs)

    def _execution_steps(self):
        """``compile``'s ``steps_per_execution``: the steps a run of batch callbacks spans."""
        args = self.__dict__.get("_keras_compile_args") or {}
        return max(1, int(args.get("steps_per_execution") or 1))

    def _graph_step(self, step, steps=None, batch_size=FIRST_CALL):
        """The traced ``step`` (a :class:`GraphStep` kept on the model) where it runs as a
        graph, else ``None``; ``batch_size`` as for ``GraphStep.start``."""
        if not use_graph(self, steps):
            return None
        graph = self.__dict__.get(f"_keras_{step}_graph")
        if graph is None:
            graph = self.__dict__[f"_keras_{step}_graph"] = GraphStep(self, step)
        graph.start(batch_size)
        return graph

    def _run_step(self, graph, step, batch):
        """``step`` on ``batch``: through ``graph`` where it has one, else eagerly; under a
        strategy of several replicas, on each replica's share of the batch."""
        strategy = self.__dict__.get("_keras_strategy")
        if strategy is not None and strategy.num_replicas_in_sync > 1:
            return _replicated(self, strategy, step, batch)
        out = graph(batch) if graph is not None and (self.built or not _has_call(self)) else None
        return getattr(self, step)(batch) if out is None else out

    # Keras's step functions: None until fit/evaluate/predict (or make_*_function) makes them,
    # dropped by compile. train_function/test_function run one step on an iterator's next batch
    # and return its logs; predict_function the outputs of the first of a list of batches.
    train_function = _step_function("train")
    test_function = _step_function("test")
    predict_function = _step_function("predict")

    def make_train_function(self, force=False):
        return self._make_function("train", force)

    def make_test_function(self, force=False):
        return self._make_function("test", force)

    def make_predict_function(self, force=False):
        return self._make_function("predict", force)

    def _make_function(self, kind, force):
        """As Keras: returns the function already made (unless ``force``), None when it makes
        one."""
        key, step = f"_keras_{kind}_function", f"{kind}_step"
        if self.__dict__.get(key) is not None and not force:
            return self.__dict__[key]
        if kind == "predict":
            def function(data):
                return self._run_step(self._graph_step(step), step, data[0])
        else:
            def function(iterator):
                return self._run_step(self._graph_step(step), step, next(iterator))
        self.__dict__[key] = function

    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None,
                       return_dict=False):
        self._require_compiled()
        self._reset_all()
        data = _ArrayData(x, y, sample_weight, _num_samples(_as_numpy(x)), False, class_weight)
        batch = next(iter(data))
        logs = self._logs(self._run_step(self._graph_step("train_step"), "train_step", batch))
        return self._result(logs, return_dict)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        self._require_compiled()
        self._reset_all()
        data = _ArrayData(x, y, sample_weight, _num_samples(_as_numpy(x)), False)
        batch = next(iter(data))
        logs = self._logs(self._run_step(self._graph_step("test_step"), "test_step", batch))
        return self._result(logs, return_dict)

    def predict_on_batch(self, x):
        out = self.predict_step((_map(lambda a: a if isinstance(a, EagerTensor) else
                                      convert_to_tensor(_as_numpy(a)), x),))
        return _map(lambda t: t.numpy(), out)

    @staticmethod
    def _result(logs, return_dict):
        if return_dict:
            return logs
        ordered = [logs["loss"]] if "loss" in logs else []
        ordered += [v for k, v in logs.items() if k != "loss"]
        return ordered[0] if len(ordered) == 1 else ordered


def _replicated(model, strategy, step, batch):
    """``step`` run by every replica of ``strategy`` on its rows of ``batch`` (as Keras on TF:
    ``strategy.run`` over the distributed batch). Predict's outputs are the replicas'
    concatenated; logs (each replica's own metrics) averaged over the replicas, as Keras
    does."""
    from ...distribute.strategy import DistributedValues, _split_batch
    from ...ops import manip_ops, reduction_ops
    out = strategy.run(getattr(model, step),
                       args=(_split_batch(batch, strategy.num_replicas_in_sync),))
    if step == "predict_step":
        return _map(lambda v: manip_ops.concat([convert_to_tensor(p) for p in v.values], 0)
                    if isinstance(v, DistributedValues) else v, out)
    return _map(lambda v: reduction_ops.reduce_mean(manip_ops.stack(
        [convert_to_tensor(p) for p in v.values]), axis=0)
        if isinstance(v, DistributedValues) else v, out)


def _has_call(model):
    """Whether ``model`` defines ``call`` (a subclassed model with only a custom ``train_step``,
    as a GAN's, has none: it is never called, so never built)."""
    return type(model).call is not Layer.call


def _batch_size(x):
    """The rows of ``x``: in a step traced with an unknown batch size, each batch's own."""
    first = _flatten(x)[0]
    if isinstance(first, Tensor) and first.shape.rank and first.shape[0] is None:
        return array_ops.shape(first)[0]
    return first.shape[0] if first.shape and first.shape[0] is not None else 1
