"""``tf.keras.optimizers.Optimizer``: Keras 3's update loop, run on the variables' NumPy arrays.

The arithmetic follows Keras 3 on the TensorFlow backend operation by operation, in the
variables' dtype (float32 constants rounded from the same Python doubles), so every step gives
TensorFlow's numbers. The updates are not recorded on any tape (assignments are not
differentiable) and are done in place on an array that nothing else holds; an array that a
tensor, a view or the user still holds is copied first, so earlier reads never change.
"""

import copy
import re
import sys
import warnings

import numpy as np

from ...framework import errors, replica, trackable
from ...framework.shape import TensorShape
from ...framework.tensor import EagerTensor, Tensor, convert_to_tensor, wrap
from ...framework.variable import ResourceVariable
from ...framework import context
from .. import _registry
from .._naming import auto_name
from ..layers import Variable as KerasVariable
from . import schedules

_refcount = sys.getrefcount


def _owned_count():
    """What ``getrefcount`` says of an array held by one attribute and read into a local: the
    count meaning "nobody else holds it" (3 on CPython 3.10-3.13), measured, not assumed."""

    class Holder:
        pass

    holder = Holder()
    holder.value = np.empty(1)
    a = holder.value
    return _refcount(a)


_OWNED = _owned_count()


def writable(var):
    """``var``'s array, safe to update in place (a private copy when anything else holds it)."""
    h = var._handle
    a = h.value
    # h.value, `a` and getrefcount's argument, as _OWNED counts them.
    if _refcount(a) > _OWNED or a.base is not None or not a.flags.writeable:
        a = np.array(a)
        h.value = a
    return a


def _replica_context():
    """The replica context where this step runs in one replica of several (inside
    ``strategy.run``), else None."""
    if replica.STATE.replica is None:  # not inside strategy.run
        return None
    from ...distribute import get_replica_context
    ctx = get_replica_context()
    return ctx if ctx is not None and ctx._several() else None


def select_replica(i, value):
    from ...distribute.strategy import select_replica
    return select_replica(i, value)


def _grad_array(grad, dtype):
    if type(grad) is EagerTensor:
        a = grad._value
        if type(a) is np.ndarray and a.dtype == dtype:
            return a
    if isinstance(grad, ResourceVariable):
        a = grad._handle.value
    elif isinstance(grad, Tensor) and hasattr(grad, "_value"):
        a = grad._value
    else:
        a = convert_to_tensor(grad)._value  # IndexedSlices sum into a dense gradient
    if not isinstance(a, np.ndarray):
        a = np.asarray(a)
    return a if a.dtype == dtype else a.astype(dtype)


def _scalar(value, dtype):
    if isinstance(value, ResourceVariable):
        value = value._handle.value
    elif isinstance(value, Tensor):
        value = value._value
    return np.asarray(value).astype(dtype)[()]


# Caches of the fused update path: not state, so never checkpoint dependencies.
_UNTRACKED = ("_buffers", "_built_ids")
_CHECKPOINT_NAMES = {"_index": "_trainable_variables_indices"}


class Optimizer:
    """The base class: ``apply``/``apply_gradients`` filter, clip, decay and call the update rule.

    A subclass creates its slots in ``build`` with :meth:`add_optimizer_variables`, lists them
    in ``_slot_lists()``, returns its per-step scalars from ``_constants(t, lr)`` (``t`` the
    variables' NumPy scalar type) and updates arrays in place in ``_rule(g, w, slots, c)``: one
    variable at a time, or many small ones laid end to end (the fused step).
    """

    def __init__(self, learning_rate, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        if kwargs.pop("decay", None) is not None:
            warnings.warn("Argument `decay` is no longer supported and will be ignored.",
                          stacklevel=2)
        if kwargs:
            raise ValueError(f"Argument(s) not recognized: {kwargs}")
        self.name = auto_name(type(self).__name__) if name is None else name
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.global_clipnorm = global_clipnorm
        self.clipvalue = clipvalue
        self.use_ema = use_ema
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        if gradient_accumulation_steps and not gradient_accumulation_steps >= 2:
            raise ValueError("`gradient_accumulation_steps` must be an integer >= 2. Received: "
                             f"gradient_accumulation_steps={gradient_accumulation_steps}")
        if use_ema:
            if ema_momentum > 1 or ema_momentum < 0:
                raise ValueError("`ema_momentum` must be in the range [0, 1]. "
                                 f"Received: ema_momentum={ema_momentum}")
            if ema_overwrite_frequency and (not isinstance(ema_overwrite_frequency, int)
                                            or ema_overwrite_frequency < 1):
                raise ValueError("`ema_overwrite_frequency` must be an integer >= 1 or None. "
                                 f"Received: ema_overwrite_frequency={ema_overwrite_frequency}")
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        if sum(a is not None for a in (clipnorm, clipvalue, global_clipnorm)) > 1:
            raise ValueError("Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be "
                             f"set. Received: clipnorm={clipnorm}, clipvalue={clipvalue}, "
                             f"global_clipnorm={global_clipnorm}")
        self.built = False
        self._scope = ""  # a name scope around this optimizer's own (e.g. a wrapper's name)
        self._variables = []
        self._trainable_variables = []
        self._index = {}
        self._excluded = set()  # the handles of variables left out of weight decay
        self._exclude_pattern = None
        self._flat = None
        self._buffers = {}
        self._iterations = self._new_variable(np.int64(0), "iteration")
        if isinstance(learning_rate, schedules.LearningRateSchedule) or callable(learning_rate):
            self._learning_rate = learning_rate
        else:
            if not isinstance(learning_rate, float):
                raise ValueError(
                    "Argument `learning_rate` should be float, or an instance of "
                    "LearningRateSchedule, or a callable (that takes in the current iteration "
                    "value and returns the corresponding learning rate value). Received "
                    f"instead: learning_rate={learning_rate}")
            self._learning_rate = self._new_variable(np.float32(learning_rate), "learning_rate")

    # --- checkpoints (tf.train.Checkpoint finds these hooks by duck typing) ---------------------
    def __setattr__(self, name, value):
        object.__setattr__(self, name, value)
        if trackable._waiting:  # a restore waits for slots created later
            trackable.notify_dependency(self, _CHECKPOINT_NAMES.get(name, name), value)

    def _trackable_children(self):
        """Keras 3's dependency names: ``_variables`` (iterations, learning rate, then the slots
        in creation order), ``_trainable_variables``, ``_iterations``, ``_momentums``, ..."""
        return {_CHECKPOINT_NAMES.get(k, k): v
                for k, v in trackable.attribute_children(self, skip=_UNTRACKED).items()}

    def __deepcopy__(self, memo):
        """A copy (``copy.deepcopy`` of a compiled model makes one) that updates the copied
        variables: the maps keyed by variable ids are made anew for them, and the flat slot
        storage is planned again on the first step."""
        new = object.__new__(type(self))
        memo[id(self)] = new
        state = copy.deepcopy({k: v for k, v in vars(self).items() if k != "_flat"}, memo)
        variables = state["_trainable_variables"]
        state["_index"] = {v._handle.id: i for i, v in enumerate(variables)}
        if "_built_ids" in state:
            state["_built_ids"] = tuple(v._handle.id for v in variables)
        state["_flat"], state["_buffers"] = None, {}
        new.__dict__.update(state)
        return new

    # --- variables ---------------------------------------------------------------------------
    def _new_variable(self, value, name):
        var = KerasVariable(np.asarray(value), trainable=False, name=name,
                            path=f"{self._scope}{self.name}/{name}")
        self._variables.append(var)
        if trackable._waiting:
            trackable.notify_dependency(self._variables, str(len(self._variables) - 1), var)
        return var

    def add_variable(self, shape, initializer="zeros", dtype=None, aggregation="none",
                     layout=None, name=None):
        dtype = np.dtype("float32" if dtype is None else getattr(dtype, "as_numpy_dtype", dtype))
        value = _registry.initial_value(initializer, TensorShape(shape).as_list(), dtype)
        return self._new_variable(value, "variable" if name is None else name)

    def add_variable_from_reference(self, reference_variable, name=None, initializer="zeros"):
        name = name or "var"
        path = getattr(reference_variable, "path", None)
        if path is not None:
            prefix = path.replace("/", "_")
        else:
            prefix = str(reference_variable.name).replace("/", "_").replace(":", "_")
        return self.add_variable(reference_variable.shape, initializer,
                                 reference_variable.dtype, name=f"{prefix}_{name}")

    def add_optimizer_variables(self, trainable_variables, name, initializer="zeros"):
        """One slot per variable and name, per variable in turn (Keras's order)."""
        names = [name] if isinstance(name, str) else list(name)
        inits = initializer if isinstance(initializer, list | tuple) else [initializer] * len(names)
        if len(names) != len(inits):
            raise ValueError("The number of provided names must match the number of provided "
                             f"initializers.  Received name='{name}', initializer='{initializer}'")
        slots = tuple([] for _ in names)
        for var in trainable_variables:
            for k, (n, init) in enumerate(zip(names, inits)):
                slots[k].append(self.add_variable_from_reference(var, n, init))
        return slots[0] if isinstance(name, str) else slots

    def build(self, variables):
        variables = list(variables)
        if self.use_ema:
            self._model_variables_moving_average = self.add_optimizer_variables(
                variables, "average")
        if self.gradient_accumulation_steps:
            self._accumulated_gradients = []
        for i, var in enumerate(variables):
            self._index[var._handle.id] = i
            if self.gradient_accumulation_steps:
                self._accumulated_gradients.append(
                    self.add_variable_from_reference(var, "gradient_accumulator"))
        self._trainable_variables = variables[:]
        self._built_ids = tuple(v._handle.id for v in variables)
        self.built = True

    @property
    def variables(self):
        return self._variables[:]

    @property
    def iterations(self):
        if self.gradient_accumulation_steps:
            from ...ops import math_ops
            return math_ops.floordiv(self._iterations.read_value(),
                                     self.gradient_accumulation_steps)
        return self._iterations

    def _steps_done(self):
        n = int(self._iterations._handle.value)
        return n // self.gradient_accumulation_steps if self.gradient_accumulation_steps else n

    # --- learning rate -----------------------------------------------------------------------
    @property
    def learning_rate(self):
        lr = self._learning_rate
        if isinstance(lr, schedules.LearningRateSchedule):
            return lr(self._iterations)
        if isinstance(lr, ResourceVariable):
            return lr
        return lr() if callable(lr) else lr

    @learning_rate.setter
    def learning_rate(self, learning_rate):
        previous = self._learning_rate
        if not isinstance(previous, ResourceVariable):
            previous = None
        if isinstance(learning_rate, schedules.LearningRateSchedule) or callable(learning_rate):
            self._learning_rate = learning_rate
        else:
            if isinstance(self._learning_rate, schedules.LearningRateSchedule):
                raise TypeError(
                    "This optimizer was created with a `LearningRateSchedule` object as its "
                    "`learning_rate` constructor argument, hence its learning rate is not "
                    "settable. If you need the learning rate to be settable, you should "
                    "instantiate the optimizer with a float `learning_rate` argument.")
            self._learning_rate.assign(learning_rate)
        if previous is not None and not isinstance(self._learning_rate, ResourceVariable):
            self._variables = [v for v in self._variables if v is not previous]

    # --- applying gradients --------------------------------------------------------------------
    def apply_gradients(self, grads_and_vars):
        grads, trainable_variables = zip(*grads_and_vars)
        self.apply(grads, trainable_variables)
        return self._iterations

    def apply(self, grads, trainable_variables=None):
        grads = list(grads)
        if len(grads) == 0:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    "When passing `grads` without `variables`, the optimizer must already be "
                    "built on a list of variables. Call `optimizer.build(trainable_variables)` "
                    "first. ")
            if len(grads) != len(self._index):
                raise ValueError(
                    "When passing `grads` as a list of gradient tensors, the gradients must "
                    "match `optimizer.variables` one-to-on. Received a list of "
                    f"{len(grads)} gradients, but the optimizer is tracking "
                    f"{len(self._trainable_variables)} trainable variables.")
            trainable_variables = self._trainable_variables
        else:
            trainable_variables = list(trainable_variables)
            if not self.built:
                self.build(trainable_variables)
                self.built = True
            for v in trainable_variables:
                if v._handle.id not in self._index:
                    raise ValueError(
                        f"Unknown variable: {v}. This optimizer can only be called for the "
                        "variables it was originally built with. When working with a new set "
                        "of variables, you should recreate a new optimizer instance.")
        grads, trainable_variables = self._filter_empty_gradients(grads, trainable_variables)
        ctx = _replica_context()
        if ctx is not None:  # one replica of several: as Keras on TF, each replica's gradients
            grads = self._clip_in_replica(grads, trainable_variables)  # clipped, all summed,
            grads = ctx.all_reduce("SUM", grads)  # and applied once
            ctx.merge_call(lambda _, grads: self._apply_once(
                [select_replica(0, g) for g in grads], trainable_variables, clipped=True),
                args=(grads,))
        else:
            self._apply_once(grads, trainable_variables)

    def _apply_once(self, grads, trainable_variables, clipped=False):
        if getattr(context.state, "graph", None) is not None:  # inside a tf.function's trace
            self._apply_in_graph(grads, trainable_variables, clipped)
        else:
            with self._clipped(clipped):
                self._apply_now(grads, trainable_variables)

    def _clip_in_replica(self, grads, variables):
        """The gradients clipped as ``clipnorm``/``global_clipnorm``/``clipvalue`` say, where
        several replicas clip each its own before they are summed."""
        if not (self.clipnorm or self.global_clipnorm or self.clipvalue):
            return grads

        def clip(*arrays):
            return self._clip_gradients([_grad_array(a, v._handle.value.dtype)
                                         for a, v in zip(arrays, variables)])
        if getattr(context.state, "graph", None) is not None:
            from ...graph import script_ops
            return script_ops.numpy_function(clip, list(grads), Tout=[g.dtype for g in grads])
        return [wrap(a) for a in clip(*grads)]

    def _clipped(self, clipped):
        """While the summed gradients of several replicas, clipped already, are applied."""
        import contextlib

        @contextlib.contextmanager
        def unclipped_apply():
            self.__dict__["_keras_clipped"] = True
            try:
                yield
            finally:
                del self.__dict__["_keras_clipped"]
        return unclipped_apply() if clipped else contextlib.nullcontext()

    def _apply_in_graph(self, grads, variables, clipped=False):
        """Make the step a stateful node of the graph being traced: it runs, eagerly on the
        gradients' values, each time the graph runs (and not at trace time)."""
        from ...graph import script_ops  # present once tf.function traces graphs

        def step(*arrays):
            with self._clipped(clipped):
                self._apply_now(list(arrays), variables)
            return np.int64(0)

        script_ops.numpy_function(step, list(grads), Tout=self._iterations.dtype)

    def _apply_now(self, grads, trainable_variables):
        arrays = [_grad_array(g, v._handle.value.dtype)
                  for g, v in zip(grads, trainable_variables)]
        if self.loss_scale_factor is not None:
            arrays = [g / g.dtype.type(self.loss_scale_factor) for g in arrays]
        self._apply_arrays(arrays, trainable_variables)
        for var in trainable_variables:
            if var.constraint is not None:
                var.assign(var.constraint(var))
        h = self._iterations._handle
        h.value = np.asarray(h.value + 1)

    def _filter_empty_gradients(self, grads, variables):
        missing = [getattr(v, "path", None) or v.name for g, v in zip(grads, variables)
                   if g is None]
        if not missing:
            return grads, variables
        kept = [(g, v) for g, v in zip(grads, variables) if g is not None]
        if not kept:
            raise ValueError("No gradients provided for any variable.")
        warnings.warn(f"Gradients do not exist for variables {missing} when minimizing the loss."
                      " If using `model.compile()`, did you forget to provide a `loss` argument?",
                      stacklevel=3)
        return [g for g, _ in kept], [v for _, v in kept]

    def _apply_arrays(self, grads, variables):
        steps = self.gradient_accumulation_steps
        if steps:
            index = self._index
            accs = [self._accumulated_gradients[index[v._handle.id]] for v in variables]
            if (int(self._iterations._handle.value) + 1) % steps == 0:
                grads = [(g + a._handle.value) / g.dtype.type(steps) for g, a in zip(grads, accs)]
                self._update_all(grads, variables)
                for a in accs:
                    a._handle.value = np.zeros_like(a._handle.value)
            else:
                for g, a in zip(grads, accs):
                    a._handle.value = g + a._handle.value
        else:
            self._update_all(grads, variables)
        if self.use_ema:
            self._update_moving_averages()

    def _update_all(self, grads, variables):
        grads = self._clip_gradients(grads)
        lr = self.learning_rate
        self._apply_weight_decay(variables, lr)
        if type(self).update_step is not Optimizer.update_step:  # a user's Keras-style rule
            for g, var in zip(grads, variables):
                self.update_step(wrap(g), var, lr)
            return
        if self._fused_step(grads, variables, lr):
            return
        constants = {}
        index = self._index
        lists = self._slot_lists()
        rule = self._rule
        for g, var in zip(grads, variables):
            h = var._handle
            w = h.value
            t = w.dtype.type
            c = constants.get(t)
            if c is None:
                c = constants[t] = self._constants(t, _scalar(lr, w.dtype))
            if g.shape != w.shape:
                self._shape_error(g, var)
            w = None  # hold no reference, or `writable` would copy the array
            i = index[h.id]
            rule(g, writable(var), tuple(writable(s[i]) if s and s[i] is not None else None
                                         for s in lists), c)

    def update_step(self, gradient, variable, learning_rate):
        """Keras's per-variable hook: one update of ``variable`` by ``gradient``."""
        w = variable._handle.value
        g = _grad_array(gradient, w.dtype)
        if g.shape != w.shape:
            self._shape_error(g, variable)
        c = self._constants(w.dtype.type, _scalar(learning_rate, w.dtype))
        i = self._index[variable._handle.id]
        w = None
        self._rule(g, writable(variable),
                   tuple(writable(s[i]) if s and s[i] is not None else None
                         for s in self._slot_lists()), c)

    # --- what a Keras-style subclass's update_step uses ------------------------------------------
    def assign(self, variable, value):
        variable.assign(value)

    def assign_add(self, variable, value):
        variable.assign_add(value)

    def assign_sub(self, variable, value):
        variable.assign_sub(value)

    def _get_variable_index(self, variable):
        return self._index[variable._handle.id]

    def _constants(self, t, lr):
        return (lr,)

    def _scratch(self, like, k=0):
        """A reusable work array shaped like ``like`` (the ``k``-th of its shape)."""
        key = (like.shape, like.dtype, k)
        buf = self._buffers.get(key)
        if buf is None:
            buf = self._buffers[key] = np.empty_like(like)
        return buf

    def _slot_lists(self):
        """The slot variables, one list per kind (an empty list for a kind not in use)."""
        return ()

    def _rule(self, g, w, slots, c):
        """Update ``w`` and ``slots`` (arrays, in place) by the gradient ``g``."""
        raise NotImplementedError

    _fusable = True  # the rule is elementwise, so it may run over many variables at once

    # --- the fused step: many small variables as one flat array ------------------------------
    def _fused_step(self, grads, variables, lr):
        """Run the rule once over all variables laid end to end, when they are many and small.

        The variables and each kind of slot then live in one flat array (each variable's value a
        view into it), so a step is a few NumPy calls whatever the number of variables. Per
        element the arithmetic is the same as variable by variable.
        """
        if not self._fusable:
            return False
        flat = self._flat
        ids = tuple(v._handle.id for v in variables)
        if ids != self._built_ids:  # a subset or another order: the slots would not line up
            return False
        if flat is None or flat.ids != ids:
            flat = self._flat = _Flat.plan(ids, variables)
        if not flat.usable:
            return False
        for g, (_, _, shape) in zip(grads, flat.spans):
            if g.shape != shape:
                return False  # the per-variable path raises TF's error at the right variable
        w_all, *slots = flat.arrays([variables, *self._slot_lists()])
        g_all = np.concatenate([g.reshape(-1) for g in grads])
        dtype = flat.dtype
        self._rule(g_all, w_all, slots, self._constants(dtype.type, _scalar(lr, dtype)))
        return True

    # The first Keras op that meets a gradient of the wrong shape: the op, whether the gradient
    # is its first operand, and the error's ``name:`` suffix (None: TF prints none).
    _mismatch = ("Sub", True, None)

    def _shape_error(self, g, var):
        op, grad_first, name = self._mismatch
        gs = "[" + ",".join(map(str, g.shape)) + "]"
        vs = "[" + ",".join(map(str, var.shape)) + "]"
        if op.startswith("Assign"):
            text = (f"Cannot update variable with shape {vs} using a Tensor with shape {gs}, "
                    "shapes must be equal.")
        else:
            text = f"Incompatible shapes: {gs} vs. {vs}" if grad_first else \
                f"Incompatible shapes: {vs} vs. {gs}"
        raise errors.op_error(op, text, kernel=True, name=name)

    def _clip_gradients(self, grads):
        if self.__dict__.get("_keras_clipped"):  # each replica's, before they were summed
            return grads
        if self.clipnorm and self.clipnorm > 0:
            return [_clip_by_norm(g, self.clipnorm) for g in grads]
        if self.global_clipnorm and self.global_clipnorm > 0:
            return _clip_by_global_norm(grads, self.global_clipnorm)
        if self.clipvalue and self.clipvalue > 0:
            return [np.clip(g, g.dtype.type(-self.clipvalue), g.dtype.type(self.clipvalue))
                    for g in grads]
        return grads

    # --- weight decay ----------------------------------------------------------------------------
    def exclude_from_weight_decay(self, var_list=None, var_names=None):
        if self.built:
            raise ValueError("`exclude_from_weight_decay()` can only be configured before the "
                             "optimizer is built.")
        self._excluded = {v._handle for v in var_list} if var_list else set()
        self._exclude_pattern = re.compile("|".join(set(var_names))) if var_names else None

    def _use_weight_decay(self, var):
        if var._handle in self._excluded:
            return False
        return self._exclude_pattern is None or self._exclude_pattern.search(var.name) is None

    def _apply_weight_decay(self, variables, lr):
        if self.weight_decay is None:
            return
        for var in variables:
            if self._use_weight_decay(var):
                w = writable(var)
                t = w.dtype.type
                w -= w * t(self.weight_decay) * _scalar(lr, w.dtype)

    # --- moving averages (use_ema) -------------------------------------------------------------
    def _update_moving_averages(self):
        steps = self._steps_done()
        for var, avg in zip(self._trainable_variables, self._model_variables_moving_average):
            a = writable(avg)
            t = a.dtype.type
            momentum = t(steps != 0) * t(self.ema_momentum)
            new = momentum * a + (t(1) - momentum) * var._handle.value
            a[...] = new
        freq = self.ema_overwrite_frequency
        if freq and (steps + 1) % freq == 0:
            self._overwrite_model_variables_with_average_value(self._trainable_variables)

    def _overwrite_model_variables_with_average_value(self, trainable_variables):
        if len(trainable_variables) != len(self._model_variables_moving_average):
            raise ValueError(
                f"The length of model variables ({len(trainable_variables)}) to override does "
                "not match the length of model variables stored in the optimizer "
                f"({len(self._model_variables_moving_average)}). Please check if the "
                "optimizer was called on your model.")
        for var, avg in zip(trainable_variables, self._model_variables_moving_average):
            var.assign(avg)

    def finalize_variable_values(self, var_list):
        if self.use_ema:
            self._overwrite_model_variables_with_average_value(var_list)

    # --- the rest of Keras's surface -------------------------------------------------------------
    def scale_loss(self, loss):
        return loss if self.loss_scale_factor is None else loss * self.loss_scale_factor

    def set_weights(self, weights):
        if not self.built:
            raise ValueError(
                "You are calling `set_weights()` on an optimizer that has not yet been built. "
                "Please call `optimizer.build(trainable_variables)` to create the optimizer "
                "weights before calling `set_weights()`.")
        for var, weight in zip(self._variables, weights):
            if tuple(var.shape) != tuple(np.shape(weight)):
                raise ValueError(f"Optimizer variable {var._handle.id} has shape {var.shape} "
                                 f"not compatible with provided weight shape "
                                 f"{TensorShape(np.shape(weight))}.")
            var.assign(weight)

    def get_config(self):
        lr = self._learning_rate
        if isinstance(lr, schedules.LearningRateSchedule):
            lr = schedules.serialize(lr)
        elif isinstance(lr, ResourceVariable):
            lr = float(lr._handle.value)
        elif isinstance(lr, Tensor):
            lr = float(lr)
        return {"name": self.name, "learning_rate": lr, "weight_decay": self.weight_decay,
                "clipnorm": self.clipnorm, "global_clipnorm": self.global_clipnorm,
                "clipvalue": self.clipvalue, "use_ema": self.use_ema,
                "ema_momentum": self.ema_momentum,
                "ema_overwrite_frequency": self.ema_overwrite_frequency,
                "loss_scale_factor": self.loss_scale_factor,
                "gradient_accumulation_steps": self.gradient_accumulation_steps}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = schedules.deserialize(config["learning_rate"],
                                                            custom_objects)
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__module__}.{type(self).__name__} object at {hex(id(self))}>"


# Above this mean size per variable the per-variable loop is as fast as the fused step.
FUSE_MAX_MEAN_SIZE = 4096


class _Flat:
    """The flat arrays of the fused step: where each variable sits, and one array per kind
    (the variables themselves, then each kind of slot) whose views are the variables' values.
    """

    def __init__(self, ids, spans, dtype, usable):
        self.ids, self.spans, self.dtype, self.usable = ids, spans, dtype, usable
        self.flats = {}  # kind -> (flat array, [views])

    @classmethod
    def plan(cls, ids, variables):
        spans, start = [], 0
        for v in variables:
            shape = v._handle.value.shape
            size = int(np.prod(shape))
            spans.append((start, start + size, shape))
            start += size
        dtypes = {v._handle.value.dtype for v in variables}
        usable = (len(variables) > 1 and len(set(ids)) == len(ids) and len(dtypes) == 1
                  and start / len(variables) <= FUSE_MAX_MEAN_SIZE)
        return cls(ids, spans, dtypes.pop() if usable else None, usable)

    def arrays(self, lists):
        """The flat array of each kind, after making every variable's value a view into it.

        A value that was replaced (``assign``), or a flat array that anything else holds a view
        of (a tensor read earlier, ``np.asarray(v)``), is gathered into a new flat array: the
        update is in place only where nothing else can see it.
        """
        out = []
        for k, owners in enumerate(lists):
            if not owners:
                out.append(None)
                continue
            entry = self.flats.get(k)
            if entry is None or not self._intact(entry, owners):
                entry = self.flats[k] = self._gather(owners)
            out.append(entry[0])
        return out

    @staticmethod
    def _intact(entry, owners):
        flat, views = entry
        # References: the entry tuple, `flat`, the argument (as _OWNED), one per view (its base).
        if _refcount(flat) != _OWNED + len(views):
            return False
        for i in range(len(views)):  # (not zip: its reused tuple would hold a reference)
            view = views[i]
            # References: `views`, and the handle, `view` and the argument (as _OWNED).
            if owners[i]._handle.value is not view or _refcount(view) != _OWNED + 1:
                return False
        return True

    def _gather(self, owners):
        flat = np.concatenate([v._handle.value.reshape(-1) for v in owners]).astype(
            self.dtype, copy=False)
        views = []
        for var, (a, b, shape) in zip(owners, self.spans):
            view = flat[a:b].reshape(shape)
            var._handle.value = view
            views.append(view)
        return flat, views


def _clip_by_norm(g, clipnorm):
    """``tf.clip_by_norm``'s arithmetic: ``g * c / max(norm, c)`` (a zero norm stays zero)."""
    t = g.dtype.type
    l2sum = np.sum(g * g)
    norm = np.sqrt(l2sum) if l2sum > 0 else l2sum
    c = t(clipnorm)
    return g * c / max(norm, c)


def _clip_by_global_norm(grads, clipnorm):
    t = grads[0].dtype.type
    norm = np.sqrt(np.sum(np.stack([np.sum(g * g) for g in grads])))
    scale = t(clipnorm) * min(t(1) / norm, t(1.0 / clipnorm)) + (norm - norm)
    return [g * scale for g in grads]
