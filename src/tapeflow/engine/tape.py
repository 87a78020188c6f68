"""``tf.GradientTape``: records the ops whose inputs it watches, then differentiates them."""

import contextlib
import enum

from ..framework import nest, tf_logging
from ..framework.tensor import Tensor
from ..framework.variable import Variable
from . import backprop
from .core import state
from .notes import Notes


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
_NO_PFOR_JACOBIAN = (  # TF's texts, double spaces included
    "GradientTape must be created with persistent=True to compute the jacobian with eager "
    "execution enabled and with  experimental_use_pfor set to False.")
_NO_PFOR_BATCH_JACOBIAN = (
    "GradientTape must be created with persistent=True to compute the batch_jacobian with eager "
    "execution enabled and  with experimental_use_pfor set to False.")
_PERSISTENT_INSIDE = (
    "Calling GradientTape.gradient on a persistent tape inside its context is significantly less "
    "efficient than calling it outside the context (it causes the gradient ops to be recorded on "
    "the tape, leading to increased CPU and memory usage). Only call GradientTape.gradient inside "
    "the context if you actually want to trace the gradient in order to compute higher order "
    "derivatives.")


def _check_differentiable_kind(x):
    """TF asks each target and source for its dtype first: its errors for what is no tensor."""
    if isinstance(x, Tensor | Variable):
        return
    if x is None or isinstance(x, str):
        raise TypeError(f"Cannot convert the argument `type_value`: {x!r} to a TensorFlow DType.")
    if not hasattr(x, "dtype"):
        raise AttributeError(f"'{type(x).__name__}' object has no attribute 'dtype'")


def _is_differentiable(value):
    return value.dtype.kind in "fcV"


class GradientTape:
    """Record operations for automatic differentiation (``tf.GradientTape``).

    A tape records an op when it is recording and one of the op's inputs is watched; the op's
    floating outputs then become watched too. ``entries`` is in execution order, so walking it
    backwards is a valid reverse topological order. An entry is
    ``(primitive, input ids, input shapes, output ids, output (shape, dtype)s, saved inputs,
    saved outputs, attrs)``; a non-persistent tape drops it after its one gradient, keeping only
    the array-free :class:`Notes` that ``explain`` and ``to_dot`` read.
    """

    def __init__(self, persistent=False, watch_accessed_variables=True):
        self._persistent = persistent
        self._watch_accessed_variables = watch_accessed_variables
        self._entries = None      # created on first entry; None again once released
        self._watched = None      # ids of watched tensors and variables
        self._variables = None    # handle id -> variable watched (for watched_variables())
        self._notes = None        # the light record: spans, cuts, and the graph once released
        self._recording = False
        self._stack = None        # the recorder stack (thread-local) this tape was pushed on

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
        self._notes = Notes(self._watched)

    def _push(self):
        self._stack = state.stack  # the entering thread's: exit may come from another thread
        self._stack.append(self)
        self._recording = True
        self._notes.open_span("recording")

    def _pop(self):
        if self in self._stack:
            self._stack.remove(self)
        self._recording = False
        self._notes.close_span()

    # --- recording (called by core.apply / core.record_read / core.note_cut) ----------------------
    def record(self, prim, inputs, outputs, attrs):
        watched = self._watched
        for t in inputs:
            if t._id in watched:
                break
        else:
            if self._notes.shadow:  # downstream of a cut: keep ids only, for explain
                self._notes.follow(inputs, outputs)
            return
        in_ids = []
        in_shapes = []
        for t in inputs:  # the hot path: plain loops, no helper calls
            value = t._value
            in_shapes.append(value.shape)
            if value.dtype.kind in "fcV":
                in_ids.append(t._id)
                if t._id not in watched:  # a constant operand: its dtype labels it in to_dot
                    self._notes.leaf_dtypes[t._id] = value.dtype
            else:
                in_ids.append(None)
        out_ids = []
        out_meta = []
        for o in outputs:
            value = o._value
            out_meta.append((value.shape, value.dtype))
            if value.dtype.kind in "fcV":
                watched.add(o._id)
                out_ids.append(o._id)
            else:  # e.g. a cast to an integer type: the gradient path ends here
                out_ids.append(None)
                self._notes.cut(f"{prim.name} to {value.dtype}", inputs, (o,))
        self._entries.append((prim, in_ids, in_shapes, out_ids, out_meta,
                              inputs if prim.save_inputs or state.graph is not None else None,
                              outputs if prim.save_output else None, attrs))

    def record_read(self, variable, tensor):
        handle = variable._handle
        if handle.id not in self._watched:
            if not (self._watch_accessed_variables and handle.trainable):
                return
            self._watch_variable(variable)
        value = tensor._value
        if _is_differentiable(value):
            self._watched.add(tensor._id)
            self._entries.append((backprop.READ, (handle.id,), (value.shape,), (tensor._id,),
                                  ((value.shape, value.dtype),), None, None, {}))

    def record_access(self, variable):
        handle = variable._handle
        if handle.id not in self._watched and self._watch_accessed_variables and handle.trainable:
            self._watch_variable(variable)

    def note_cut(self, kind, inputs, outputs):
        watched = self._watched
        for t in inputs:
            if isinstance(t, Variable):  # e.g. np.square(v): note it if the tape would watch v
                handle = t._handle
                if handle.id in watched or (self._watch_accessed_variables and handle.trainable):
                    break
            elif t._id in watched:
                break
        else:
            if self._notes.shadow:
                self._notes.follow(inputs, outputs)
            return
        self._notes.cut(kind, inputs, outputs)

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
                self._notes.leaf_dtypes[t._id] = value.dtype
            else:
                raise ValueError(f"Passed in object {t} of type '{type(t).__name__}', not "
                                 "tf.Tensor "
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
        index = self._stack.index(self)
        self._pop()
        self._notes.open_span("stop_recording")
        try:
            yield
        finally:
            self._notes.close_span()
            self._stack.insert(min(index, len(self._stack)), self)
            self._recording = True
            self._notes.open_span("recording")

    def reset(self):
        """Forget everything recorded and watched so far; recording goes on."""
        if not self._recording:
            raise ValueError("Tape is not recording.")
        self._new_record()
        self._notes.open_span("reset")

    def gradient(self, target, sources, output_gradients=None,
                 unconnected_gradients=UnconnectedGradients.NONE):
        """The gradient of the sum of ``target`` w.r.t. each of ``sources`` (same structure)."""
        self._begin_use(_ONE_SHOT)
        if target is None:
            raise TypeError("Argument `target` should be a list or nested structure of Tensors, "
                            "Variables or CompositeTensors to be differentiated, but received "
                            "None.")
        unconnected = unconnected_value(unconnected_gradients)
        flat_targets = nest.flatten(target)
        flat_sources = nest.flatten(sources)
        for t in flat_targets + flat_sources:
            _check_differentiable_kind(t)
        if output_gradients is not None:
            output_gradients = nest.flatten(output_gradients)
        # Like TF, the record is released only after a successful backward pass: a call that
        # raised (bad source, missing gradient) leaves a non-persistent tape usable.
        grads = backprop.gradients(self._entries, flat_targets, flat_sources, output_gradients,
                                   unconnected is UnconnectedGradients.ZERO, self._watched)
        self._end_use()
        if _explain_none_gradients[0] and any(g is None for g in grads):
            self._log_explanations(target, flat_sources, grads)
        return nest.pack_sequence_as(sources, grads)

    def jacobian(self, target, sources, unconnected_gradients=UnconnectedGradients.NONE,
                 parallel_iterations=None, experimental_use_pfor=True):
        """Full Jacobian of ``target`` w.r.t. each source: shape ``target.shape + source.shape``.

        One backward pass with a batched cotangent (the rows of an identity) when every op on the
        path has batch-aware rules; otherwise, or with ``experimental_use_pfor=False``, one
        backward pass per target element. Both give the same numbers.
        """
        if not experimental_use_pfor and not self._persistent:
            raise RuntimeError(_NO_PFOR_JACOBIAN)
        self._begin_use(_ONE_SHOT)
        if not isinstance(target, Tensor | Variable):
            raise AttributeError(f"'{type(target).__name__}' object has no attribute 'shape'")
        unconnected = unconnected_value(unconnected_gradients)
        flat_sources = nest.flatten(sources)
        try:
            for s in flat_sources:
                _check_differentiable_kind(s)
        except TypeError as e:  # TF raises it from inside its pfor function
            raise TypeError(f"in user code:\n\n\n    TypeError: {e}\n") from None
        result = backprop.jacobian(self._entries, target, flat_sources, self._watched,
                                   unconnected is UnconnectedGradients.ZERO,
                                   vectorize=experimental_use_pfor)
        self._end_use()
        return nest.pack_sequence_as(sources, result)

    def batch_jacobian(self, target, source, unconnected_gradients=UnconnectedGradients.NONE,
                       parallel_iterations=None, experimental_use_pfor=True):
        """Per-example Jacobians: ``result[i]`` is d target[i] / d source[i], for targets whose
        examples depend only on their own source example (others are summed over the batch)."""
        if not experimental_use_pfor and not self._persistent:
            raise RuntimeError(_NO_PFOR_BATCH_JACOBIAN)
        self._begin_use(_ONE_SHOT.replace("used to compute", "used tocompute"))
        for t in (target, source):
            if len(t.shape) < 2:
                raise ValueError(f"Shape {t.shape} must have rank at least 2")
        if target.shape[0] != source.shape[0]:
            raise ValueError(f"Need first dimension of target shape ({target.shape}) and source "
                             f"shape ({source.shape}) to match.")
        unconnected_value(unconnected_gradients)
        result = backprop.batch_jacobian(self._entries, target, source, self._watched,
                                         vectorize=experimental_use_pfor)
        self._end_use()
        return result

    def _begin_use(self, one_shot_message):
        if self._entries is None:
            raise RuntimeError(one_shot_message)
        if self._recording:
            if self._persistent:
                tf_logging.log_first_n("persistent-inside", _PERSISTENT_INSIDE, 1)  # TF: once
            else:
                self._pop()

    def _end_use(self):
        if not self._persistent:  # release what the backward pass needed, keep watched_variables
            self._notes.release(self._entries)
            self._entries = None
            self._watched = None

    # --- beyond TensorFlow: why a gradient is None, and a picture of the tape ---------------------
    def explain(self, target, sources):
        """For each source, ``None`` if it gets a gradient, else one sentence saying why not.

        Works after a non-persistent tape's ``gradient`` call too (it reads the light record).
        """
        from .explain import explain
        return nest.pack_sequence_as(sources, explain(self, nest.flatten(target),
                                                      nest.flatten(sources)))

    def to_dot(self, target=None):
        """Graphviz DOT text of what this tape recorded (the path to ``target`` highlighted)."""
        from .dot import to_dot
        return to_dot(self, target)

    def _log_explanations(self, target, flat_sources, grads):
        from .explain import explain
        reasons = explain(self, nest.flatten(target), flat_sources)
        for g, reason in zip(grads, reasons):
            if g is None and reason:
                tf_logging.warning(f"tape.gradient returned None: {reason}")


_explain_none_gradients = [False]


def explain_none_gradients(enabled=True):
    """``tf.debugging.explain_none_gradients``: log why each ``None`` gradient is ``None``."""
    _explain_none_gradients[0] = bool(enabled)
