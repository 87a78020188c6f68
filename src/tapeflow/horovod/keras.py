"""Keras support: ``DistributedOptimizer`` and the ``hvd.callbacks`` (the only horovod module that
touches Keras).

An optimizer is anything with ``apply_gradients(grads_and_vars)`` (and optionally ``apply(grads,
variables)``), as in Keras 3; the callbacks derive from ``tf.keras.callbacks.Callback`` and read
``self.model.variables``, ``self.model.optimizer`` and its ``learning_rate``.
"""

import numpy as np

from ..framework import context
from ..framework.tensor import convert_to_tensor, tape_id, value_of, wrap
from ..keras import config as keras_config
from ..keras.callbacks import Callback, _set_lr
from . import comm
from .collectives import broadcast_variables
from .comm import Average, Sum
from .compression import Compression
from .fusion import Fusion, plan_for


def _reduce(grads, config, variables=None):
    """``grads`` reduced across ranks; ``variables``, when known, are theirs: a step that
    reduces the gradients of the same variables again takes the repeated path
    (:meth:`Fusion.repeat`)."""
    if context.state.graph is not None:  # a traced step (Keras fit): reduce when the graph runs
        return _reduce_when_run(grads, config, variables)
    fusion = Fusion(config["op"], config["compression"])
    if (variables is not None and len(variables) == len(grads)
            and all([g is not None for g in grads])):
        plan = plan_for(config, [tape_id(v) for v in variables], variables,
                        [f"gradient.{i}" for i in range(len(grads))])
        values = [np.asarray(value_of(g)) for g in grads]
        # gradients given by the caller may differ in dtype from their variables
        if plan.fast and len({v.dtype for v in values}) == 1:
            reduced = fusion.repeat(plan, values)
            if reduced is not None:
                return list(map(wrap, reduced))
    for i, g in enumerate(grads):
        if g is not None:
            fusion.add(i, np.asarray(value_of(g)), f"gradient.{i}")
    reduced = fusion.finish()
    return [None if g is None else wrap(reduced[i]) for i, g in enumerate(grads)]


def _reduce_when_run(grads, config, variables):
    """The reduction as one node of the graph being traced, on each run's gradient values."""
    from ..graph import script_ops
    present = [i for i, g in enumerate(grads) if g is not None]
    inputs = [convert_to_tensor(grads[i]) for i in present]
    if variables is not None and len(variables) == len(grads):
        variables = [variables[i] for i in present]

    def run(*arrays):
        return [value_of(g) for g in _reduce([wrap(a) for a in arrays], config, variables)]

    outs = script_ops.numpy_function(run, inputs, Tout=[t.dtype for t in inputs])
    reduced = list(grads)
    for i, out in zip(present, outs):
        reduced[i] = out
    return reduced


def _apply(self, grads, trainable_variables=None, *args, **kwargs):
    """Keras 3's ``apply`` (which ``apply_gradients`` calls): reduce, then apply."""
    variables = trainable_variables
    if variables is None and self.built:
        variables = getattr(self, "_trainable_variables", None)
    grads = _reduce(list(grads), self._hvd_config,
                    None if variables is None else list(variables))
    return super(type(self), self).apply(grads, trainable_variables, *args, **kwargs)


def _apply_gradients(self, grads_and_vars, *args, **kwargs):
    """For optimizers without ``apply``: reduce, then ``apply_gradients``."""
    pairs = list(grads_and_vars)
    grads = _reduce([g for g, _ in pairs], self._hvd_config, [v for _, v in pairs])
    return super(type(self), self).apply_gradients(list(zip(grads, [v for _, v in pairs])),
                                                   *args, **kwargs)


def DistributedOptimizer(optimizer, name=None, device_dense="", device_sparse="",
                         compression=Compression.none, sparse_as_dense=False,
                         backward_passes_per_step=1, op=Average, gradient_predivide_factor=1.0,
                         average_aggregated_gradients=False, num_groups=0, groups=None,
                         process_set=None, scale_local_gradients=True):
    """Wrap a Keras optimizer: gradients are averaged across ranks before they are applied.

    The result is the same optimizer (it shares its state) whose ``apply`` (or, lacking one,
    ``apply_gradients``) reduces first.
    """
    if op not in (Average, Sum):
        raise ValueError("DistributedOptimizer reduces with op=hvd.Average or hvd.Sum")
    if backward_passes_per_step != 1 or gradient_predivide_factor != 1.0:
        raise NotImplementedError("tapeflow.horovod's DistributedOptimizer supports "
                                  "backward_passes_per_step=1 and gradient_predivide_factor=1.0")
    base = type(optimizer)
    # Keras 3's apply_gradients calls apply: override only one, or gradients are reduced twice.
    method = {"apply": _apply} if hasattr(base, "apply") else {"apply_gradients": _apply_gradients}
    cls = type(base.__name__, (base,), {
        "_hvd_config": {"op": op, "compression": compression or Compression.none, "plans": {}},
        **method})
    wrapped = object.__new__(cls)
    wrapped.__dict__ = optimizer.__dict__
    return wrapped


def quiet_other_ranks():
    """Keras's progress output on rank 0 only (Horovod's users pass ``verbose=0`` elsewhere)."""
    if comm.rank() != 0:
        keras_config.disable_interactive_logging()


# --- callbacks -----------------------------------------------------------------------------------

def _optimizer_variables(optimizer):
    variables = getattr(optimizer, "variables", ())
    return list(variables() if callable(variables) else variables)


class BroadcastGlobalVariablesCallback(Callback):
    """Start every rank from rank ``root_rank``'s weights and optimizer state: broadcast them at
    the end of the first batch (after the optimizer has created its slots)."""

    def __init__(self, root_rank, device=""):
        super().__init__()
        self.root_rank = root_rank
        self.broadcast_done = False

    def on_batch_end(self, batch, logs=None):
        if self.broadcast_done:
            return
        variables = list(self.model.variables)
        optimizer = getattr(self.model, "optimizer", None)
        if optimizer is not None:
            variables += _optimizer_variables(optimizer)
        broadcast_variables(variables, root_rank=self.root_rank)
        self.broadcast_done = True

    on_train_batch_end = on_batch_end


class MetricAverageCallback(Callback):
    """At the end of each epoch, replace each metric in ``logs`` by its average over ranks."""

    def __init__(self, device=""):
        super().__init__()

    def on_epoch_end(self, epoch, logs=None):
        if not logs:
            return
        keys = sorted(logs)
        values = np.array([float(np.asarray(value_of(logs[k]) if hasattr(logs[k], "_value")
                                            else logs[k])) for k in keys], np.float64)
        averaged = comm.allreduce_arrays([values], Average, name=f"metric_average.{epoch}",
                                         names=[",".join(keys)])[0]
        for k, v in zip(keys, averaged):
            logs[k] = float(v)


def _get_lr(optimizer):
    lr = optimizer.learning_rate
    return float(np.asarray(value_of(lr) if hasattr(lr, "_handle") or hasattr(lr, "_value")
                            else lr))


class LearningRateWarmupCallback(Callback):
    """Ramp the learning rate from ``initial_lr / size`` up to ``initial_lr`` over the first
    ``warmup_epochs`` epochs, batch by batch (Goyal et al., "Accurate, Large Minibatch SGD")."""

    def __init__(self, initial_lr, warmup_epochs=5, momentum_correction=True,
                 steps_per_epoch=None, verbose=0, initial_lr_is_scaled=None):
        super().__init__()
        self.initial_lr = float(initial_lr)
        self.warmup_epochs = warmup_epochs
        self.momentum_correction = momentum_correction
        self.steps_per_epoch = steps_per_epoch
        self.verbose = verbose
        self.current_epoch = 0

    def _steps(self):
        steps = self.steps_per_epoch or (self.params or {}).get("steps")
        if not steps:
            raise ValueError("LearningRateWarmupCallback needs steps_per_epoch (fit's params "
                             "did not give the number of steps)")
        return steps

    def multiplier(self, epoch):
        """The learning rate's factor at (fractional) ``epoch``."""
        n = comm.size()
        return 1.0 / n * (epoch * (n - 1) / self.warmup_epochs + 1)

    def on_epoch_begin(self, epoch, logs=None):
        self.current_epoch = epoch

    def on_batch_begin(self, batch, logs=None):
        if self.current_epoch >= self.warmup_epochs:
            return
        epoch = self.current_epoch + float(batch) / self._steps()
        optimizer = self.model.optimizer
        new_lr = self.initial_lr * self.multiplier(epoch)
        old_lr = _get_lr(optimizer)
        _set_lr(optimizer, new_lr)
        if self.momentum_correction and hasattr(optimizer, "momentum") and old_lr:
            self._restore_momentum = optimizer.momentum
            optimizer.momentum = self._restore_momentum * new_lr / old_lr

    def on_batch_end(self, batch, logs=None):
        restore = getattr(self, "_restore_momentum", None)
        if restore is not None:
            self.model.optimizer.momentum = restore
            self._restore_momentum = None

    def on_epoch_end(self, epoch, logs=None):
        if epoch == self.warmup_epochs - 1:
            _set_lr(self.model.optimizer, self.initial_lr)
            if self.verbose and comm.rank() == 0:
                print(f"\nEpoch {epoch + 1}: finished gradual learning rate warmup to "
                      f"{self.initial_lr:g}.")
        if logs is not None:
            logs["lr"] = _get_lr(self.model.optimizer)

    on_train_batch_begin = on_batch_begin
    on_train_batch_end = on_batch_end
