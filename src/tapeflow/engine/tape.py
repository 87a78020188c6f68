"""``tf.GradientTape``: records the ops whose inputs it watches, then differentiates them."""

import contextlib
import enum

from ..framework import nest, tf_logging
from ..framework.tensor import Tensor
from ..framework.variable import Variable
from . import backprop
from .core import state


class UnconnectedGradients(enum.Enum):
    NONE = "none"
    ZERO = "zero"


def unconnected_value(value):
    try:
        return UnconnectedGradients(value)
    except ValueError:
        raise ValueError(f"Unknown value for unconnected_gradients: {value!r}") from None


_ONE_SHOT = ("A non-persistent GradientTape can only be used to compute one set of gradients "
             "(or jacobians)")
_PERSISTENT_INSIDE = (
    "Calling GradientTape.gradient on a persistent tape inside its context is significantly less "
    "efficient than calling it outside the context (it causes the gradient ops to be recorded on "
    "the tape, leading to increased CPU and memory usage). Only call GradientTape.gradient inside "
    "the context if you actually want to trace the gradient in order to compute higher order "
    "derivatives.")


def _is_differentiable(value):
    return value.dtype.kind in "fc"


class GradientTape:
    """Record operations for automatic differentiation (``tf.GradientTape``).

    A tape records an op when it is recording and one of the op's inputs is watched; the op's
    floating outputs then become watched too. ``entries`` is in execution order, so walking it
    backwards is a valid reverse topological order.
    """

    def __init__(self, persistent=False, watch_accessed_variables=True):
        self._persistent = persistent
        self._watch_accessed_variables = watch_accessed_variables
        self._entries = None      # created on first entry; None again once released
        self._watched = None      # ids of watched tensors and variables
        self._variables = None    # handle id -> variable watched (for watched_variables())
        self._recording = False

    # --- context ---------------------------------------------------------------------------------
    def __enter__(self):
        if self._recording:
            raise ValueError("Tape is still recording, This can happen if you try to re-enter an "
                             "already-active tape.")
        if self._entries is None:  # first entry, or the last record was released
            self._new_record()
        self._push()
        return self

    def __exit__(self, *exc):
        if self._recording:
            self._pop()
        return False

    def _new_record(self):
        self._entries = []
        self._watched = set()
        self._variables = {}

    def _push(self):
        state.stack.append(self)
        self._recording = True

    def _pop(self):
        state.stack.remove(self)
        self._recording = False

    # --- recording (called by core.apply / core.record_read) -------------------------------------
    def record(self, prim, inputs, outputs, attrs):
        watched = self._watched
        for t in inputs:
            if t._id in watched:
                break
        else:
            return
        in_ids = tuple([t._id if _is_differentiable(t._value) else None for t in inputs])
        in_shapes = tuple([t._value.shape for t in inputs])
        out_ids = []
        for o in outputs:
            if _is_differentiable(o._value):
                watched.add(o._id)
                out_ids.append(o._id)
            else:
                out_ids.append(None)
        self._entries.append((prim, in_ids, in_shapes, tuple(out_ids),
                              inputs if prim.save_inputs else None,
                              outputs if prim.save_output else None, attrs))

    def record_read(self, variable, tensor):
        handle = variable._handle
        if handle.id not in self._watched:
            if not (self._watch_accessed_variables and handle.trainable):
                return
            self._watch_variable(variable)
        if _is_differentiable(tensor._value):
            self._watched.add(tensor._id)
            self._entries.append((backprop.READ, (handle.id,), (tensor._value.shape,),
                                  (tensor._id,), None, None, {}))

    def _watch_variable(self, variable):
        hid = variable._handle.id
        self._watched.add(hid)
        self._variables.setdefault(hid, variable)

    # --- public API ------------------------------------------------------------------------------
    def watch(self, tensor):
        """Ensure ``tensor`` (a Tensor, Variable, or a nest of them) is traced by this tape."""
        if self._watched is None:
            raise AttributeError("'NoneType' object has no attribute '_tape'")
        for t in nest.flatten(tensor):
            if isinstance(t, Variable):
                self._watch_variable(t)
                value = t._handle.value
            elif isinstance(t, Tensor):
                self._watched.add(t._id)
                value = t._value
            else:
                raise ValueError(f"Passed in object {t} of type '{type(t).__name__}', not tf.Tensor "
                                 "or tf.Variable or ExtensionType.")
            if not _is_differentiable(value):
                tf_logging.log_first_n(
                    "watch-dtype", "The dtype of the watched tensor must be floating (e.g. "
                    f"tf.float32), got {t.dtype!r}", 5)

    def watched_variables(self):
        """The variables this tape watches, as a tuple in creation order."""
        variables = self._variables or {}
        return tuple(variables[hid] for hid in sorted(variables))

    @contextlib.contextmanager
    def stop_recording(self):
        """Temporarily stop recording on this tape (other tapes keep recording)."""
        if self._entries is None:
            raise RuntimeError("Trying to stop recording a tape which is not recording.")
        if not self._recording:
            raise ValueError("Tape is not recording.")
        index = state.stack.index(self)
        self._pop()
        try:
            yield
        finally:
            state.stack.insert(min(index, len(state.stack)), self)
            self._recording = True

    def reset(self):
        """Forget everything recorded and watched so far; recording goes on."""
        if not self._recording:
            raise ValueError("Tape is not recording.")
        self._new_record()

    def gradient(self, target, sources, output_gradients=None,
                 unconnected_gradients=UnconnectedGradients.NONE):
        """The gradient of the sum of ``target`` w.r.t. each of ``sources`` (same structure)."""
        self._begin_use()
        if target is None:
            raise TypeError("Argument `target` should be a list or nested structure of Tensors, "
                            "Variables or CompositeTensors to be differentiated, but received None.")
        unconnected = unconnected_value(unconnected_gradients)
        flat_targets = nest.flatten(target)
        flat_sources = nest.flatten(sources)
        if output_gradients is not None:
            output_gradients = nest.flatten(output_gradients)
        try:
            grads = backprop.gradients(self._entries, flat_targets, flat_sources, output_gradients,
                                       unconnected is UnconnectedGradients.ZERO)
        finally:
            self._end_use()
        return nest.pack_sequence_as(sources, grads)

    def _begin_use(self):
        if self._entries is None:
            raise RuntimeError(_ONE_SHOT)
        if self._recording:
            if self._persistent:
                tf_logging.warning(_PERSISTENT_INSIDE)
            else:
                self._pop()

    def _end_use(self):
        if not self._persistent:  # release what the backward pass needed, keep watched_variables
            self._entries = None
            self._watched = None
