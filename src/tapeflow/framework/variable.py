"""``tf.Variable``: mutable state whose every read is a fresh tensor the tapes can follow.

Reads take no lock: the stored array is never mutated, an update swaps in a new one. Updates
(assign*, scatter*) take the variable's own lock around their read-modify-write, so concurrent
``assign_add`` calls from several threads are never lost, as in TF.
"""

import functools
import threading

import numpy as np

from . import dtypes, errors
from .context import fp_quiet, fp_restore, note_export
from .shape import TensorShape
from .tensor import Reference, Tensor, _next_id, as_readonly_array, numpy_text, to_array, wrap
from ..engine import core


class _Handle:
    """The variable's storage. ``id`` is fixed (tapes use it as a leaf) and orders by creation."""

    __slots__ = ("value", "id", "trainable", "name", "shape", "lock", "__weakref__")

    def __init__(self, value, trainable, name, shape=None):
        self.value = value
        self.id = _next_id()
        self.trainable = trainable
        self.name = name
        self.shape = shape   # the declared TensorShape when partly unknown, else None
        self.lock = threading.Lock()

    def __deepcopy__(self, memo):
        """``copy.deepcopy`` of a variable (or of a model) makes a new variable of the same
        value, as TF does."""
        return _Handle(self.value.copy(), self.trainable, self.name, self.shape)


class Variable:
    """``tf.Variable``. Constructing one gives a :class:`ResourceVariable`, as in TensorFlow."""

    __slots__ = ()
    __array_priority__ = 100  # NumPy defers `ndarray (op) variable` to the reflected op, as for
    # tensors: the result is a Tensor the tape records, not an ndarray that cuts the gradient

    def __new__(cls, *args, **kwargs):
        if cls is Variable and _creators:
            return _create_through_creators(args, kwargs)
        return object.__new__(variable_class if cls is Variable else cls)


class ResourceVariable(Variable):
    __slots__ = ("_handle", "_name", "__weakref__")

    def __init__(self, initial_value=None, trainable=None, validate_shape=True, caching_device=None,
                 name=None, variable_def=None, dtype=None, import_scope=None, constraint=None,
                 synchronization=None, aggregation=None, shape=None,
                 experimental_enable_variable_lifting=True):
        if _made and _made[-1] is self:  # made by the creators already (Variable.__new__)
            _made.pop()
            return
        if initial_value is None:
            raise ValueError("The `initial_value` arg to `tf.Variable` must be specified except "
                             "when you are not providing a `variable_def`. You provided neither.")
        if callable(initial_value):
            initial_value = initial_value()
        if name is not None and not isinstance(name, str):
            raise ValueError("name for name_scope must be a string.")
        if dtype is not None:
            dtype = dtypes.as_dtype(dtype)
        if core.state.graph is not None:  # inside a tf.function being traced
            core.state.graph.creating_variable()
        try:
            value = _convert(initial_value, dtype)
        except ValueError as e:
            if isinstance(initial_value, Tensor):  # TF names the argument
                raise ValueError(f"initial_value: {e}") from None
            raise
        declared = None
        if shape is not None:
            declared = _as_shape(shape)
            if not declared.is_compatible_with(TensorShape(value.shape)):
                raise ValueError("In this `tf.Variable` creation, the initial value's shape "
                                 f"({value.shape}) is not compatible with the explicitly "
                                 f"supplied `shape` argument ({declared}).")
            if declared.is_fully_defined():
                declared = None
        self._handle = _Handle(value, True if trainable is None else bool(trainable),
                               f"{name if name is not None else 'Variable'}:0", declared)
        self._name = self._handle.name

    # --- reading -------------------------------------------------------------------------------
    def _dense_read(self):
        """A snapshot read: a new tensor sharing the current (never mutated) array."""
        h = self._handle
        t = wrap(h.value)
        if core.state.stack:
            core.record_read(self, t)
        return t

    def read_value(self):
        return self._dense_read()

    value = read_value

    def numpy(self):
        if core.state.stack:  # for tape.explain: the value leaves tapeflow
            note_export(self)
        v = self._handle.value
        return v[()] if v.ndim == 0 else v.copy()

    def __array__(self, dtype=None, copy=None):
        if core.state.stack:
            note_export(self)
        return as_readonly_array(self._handle.value, dtype, copy)

    # --- attributes ----------------------------------------------------------------------------
    @property
    def name(self):
        return self._name

    @property
    def dtype(self):
        return dtypes.from_numpy(self._handle.value.dtype)

    @property
    def shape(self):
        h = self._handle
        return TensorShape(h.value.shape) if h.shape is None else h.shape

    def get_shape(self):
        return self.shape

    @property
    def ndim(self):
        return self._handle.value.ndim

    @property
    def trainable(self):
        return self._handle.trainable

    @property
    def device(self):
        from .tensor import DEVICE
        return DEVICE

    @property
    def initial_value(self):
        raise RuntimeError("This property is not supported when eager execution is enabled.")

    @property
    def constraint(self):
        return None

    @property
    def handle(self):
        return self._handle

    def ref(self):
        return Reference(self)

    experimental_ref = ref

    # --- state changes (not differentiable: a tape notes them as cuts, for explain) -------------
    def assign(self, value, use_locking=None, name=None, read_value=True):
        h = self._handle
        if core.state.graph is not None:  # inside a tf.function being traced: an assign node
            out = core.state.graph.assign(self, value, None, "AssignVariableOp")
            if out is not None:
                return out if read_value else None
        new = self._operand(value)
        with h.lock:
            if not self.shape.is_compatible_with(TensorShape(new.shape)):
                raise ValueError(f"Cannot assign value to variable ' {h.name}': Shape mismatch."
                                 f"The variable shape {self.shape}, and the assigned "
                                 f"value shape {TensorShape(new.shape)} are incompatible.")
            h.value = new
        return self._unread() if read_value else None

    def assign_add(self, delta, use_locking=None, name=None, read_value=True):
        return self._update(delta, np.add, "AssignAddVariableOp", read_value)

    def assign_sub(self, delta, use_locking=None, name=None, read_value=True):
        return self._update(delta, np.subtract, "AssignSubVariableOp", read_value)

    def _operand(self, value):
        """``value`` as an array of this variable's dtype. A Variable or Tensor operand is read
        the recorded way (TF's tapes watch a Variable read by an assignment), and the tapes
        note the assignment as the place where a gradient path ends."""
        if isinstance(value, Variable) or isinstance(value, Tensor):
            from .tensor import convert_to_tensor
            t = convert_to_tensor(value)  # a recorded read for a Variable
            if core.state.stack:
                core.note_cut("assign", (t,), (self,))
            return _convert(t, self.dtype)
        return _convert(value, self.dtype)

    def _update(self, delta, op, op_type, read_value):
        if self._handle.value.dtype.kind in "bO":
            raise _no_update_kernel(op_type, self.dtype)
        if core.state.graph is not None:  # inside a tf.function being traced: an update node
            out = core.state.graph.assign(self, delta, op, op_type)
            if out is not None:
                return out if read_value else None
        d = self._operand(delta)

        def change(value):
            if d.shape != value.shape:  # the kernel never broadcasts, not even a scalar
                raise errors.op_error(op_type, f"Cannot update variable with shape "
                                      f"{list(value.shape)} using a Tensor with shape "
                                      f"{list(d.shape)}, shapes must be equal.", kernel=True)
            return np.asarray(op(value, d), dtype=value.dtype)
        self._modify(change)
        return self._unread() if read_value else None

    def _modify(self, change):
        """Replace the value by ``change(value)``, atomically: the variable's lock is held from
        the read to the write."""
        h = self._handle
        with h.lock:
            quiet = fp_quiet()  # inf/nan silently, as every op
            try:
                h.value = change(h.value)
            finally:
                fp_restore(quiet)

    def _unread(self):
        """What an update returns: the variable, unread; the tapes watch it as accessed (TF)."""
        if core.state.stack:
            core.record_access(self)
        return _UnreadVariable(self._handle)

    # --- Python protocols (operators are attached by tapeflow.ops) --------------------------------
    def __repr__(self):
        return (f"<tf.Variable '{self._name}' shape={self.shape} "
                f"dtype={self.dtype.name}, "
                f"numpy={numpy_text(self._handle.value)}>")

    __str__ = __repr__

    def __hash__(self):
        raise TypeError("Variable is unhashable. Instead, use variable.ref() as the key. "
                        f"(Variable: {self!r})")

    def __bool__(self):
        return bool(self._handle.value)

    def __float__(self):
        return float(self._scalar())

    def __int__(self):
        return int(self._scalar())

    def _scalar(self):
        """As Tensor._scalar: rank 0 only, whatever the NumPy version."""
        if core.state.stack:
            note_export(self)
        if self._handle.value.ndim:
            raise TypeError("only 0-dimensional arrays can be converted to Python scalars")
        return self._handle.value

    # TF's variables define no __len__, __index__ or __format__: len(v), [..][v] and
    # '{:.2f}'.format(v) raise TypeError there, so they do here too.
    def __iter__(self):
        return iter(self._dense_read())



# What ``tf.Variable(...)`` makes: a distribution strategy's scope swaps in its own kind
# (tapeflow.distribute's MirroredVariable).
variable_class = ResourceVariable

# tf.variable_creator_scope: the creators in effect, outermost first; variables they made, whose
# __init__ (which Python calls after __new__) must not run a second time
_creators = []
_made = []
_PARAMETERS = ("initial_value", "trainable", "validate_shape", "caching_device", "name",
               "variable_def", "dtype", "import_scope", "constraint", "synchronization",
               "aggregation", "shape", "experimental_enable_variable_lifting")


def _create_through_creators(args, kwargs):
    """``tf.Variable(*args, **kwargs)`` under creator scopes: the innermost creator is called
    with the constructor's arguments (all of them, by name) and a ``next_creator`` that calls
    the next one out, the last making the variable."""
    import inspect
    bound = inspect.signature(ResourceVariable.__init__).bind(None, *args, **kwargs)
    bound.apply_defaults()
    arguments = {k: bound.arguments[k] for k in _PARAMETERS}

    def make(**kw):
        v = object.__new__(variable_class)
        v.__init__(**kw)
        return v
    creator = make
    for outer in _creators:
        creator = functools.partial(outer, creator)  # outer(next_creator, **kwargs)
    made = creator(**arguments)
    if isinstance(made, Variable):
        _made.append(made)
    return made


class variable_creator_scope:  # noqa: N801 - TF's name
    """``tf.variable_creator_scope(creator)``: ``creator(next_creator, **kwargs)`` makes every
    ``tf.Variable`` made inside (nested scopes: the innermost first)."""

    def __init__(self, variable_creator):
        self._creator = variable_creator

    def __enter__(self):
        _creators.append(self._creator)
        return self

    def __exit__(self, *exc):
        _creators.pop()


class _UnreadVariable(ResourceVariable):
    """What ``assign*`` returns: the same variable, printed as ``'UnreadVariable'``."""

    __slots__ = ()

    def __init__(self, handle):
        self._handle = handle
        self._name = "UnreadVariable"


def _convert(value, dtype):
    if isinstance(value, Tensor) or isinstance(value, Variable):
        arr = value._value if isinstance(value, Tensor) else value._handle.value
        if dtype is not None and arr.dtype != dtype._np:
            from .tensor import convert_to_tensor
            convert_to_tensor(value, dtype)  # raises TF's "Tensor conversion requested dtype" error
        return arr
    return to_array(value, dtype)


_KERNEL_TYPES = ("COMPLEX128", "COMPLEX64", "DOUBLE", "FLOAT", "BFLOAT16", "HALF", "INT32", "INT8",
                 "UINT8", "INT16", "UINT16", "UINT32", "INT64", "UINT64")


def _no_update_kernel(op_type, dtype):
    """TF's error for assign_add/assign_sub of a variable whose dtype has no such kernel."""
    kernels = "".join(f"\n  device='{device}'; dtype in [DT_{t}]" for device in ("DEFAULT", "CPU")
                      for t in _KERNEL_TYPES)
    return errors.op_error(op_type, f"No OpKernel was registered to support Op '{op_type}' used "
                           f"by {{{{node {op_type}}}}} with these attrs: [dtype=DT_"
                           f"{dtype._op_name.upper()}]\nRegistered devices: [CPU]\nRegistered "
                           f"kernels:{kernels}\n  device='XLA_CPU_JIT'; dtype in [DT_FLOAT, "
                           "DT_DOUBLE, DT_INT32, DT_UINT8, DT_INT16, DT_INT8, DT_COMPLEX64, "
                           "DT_INT64, DT_BFLOAT16, DT_UINT16, DT_COMPLEX128, DT_HALF, DT_UINT32, "
                           f"DT_UINT64]\n\n\t [[{op_type}]]")


def _as_shape(shape):
    """A ``shape`` argument as a TensorShape, refused with TF's TypeError when it is none."""
    try:
        return TensorShape(shape)
    except (TypeError, ValueError):
        raise TypeError(f"Failed to convert '{shape!r}' to a shape: '{shape!r}'could not be "
                        "converted to a dimension. A shape should either be single dimension "
                        "(e.g. 10), or an iterable of dimensions (e.g. [1, 10, None]).") from None
