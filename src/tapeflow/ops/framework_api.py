"""The non-numeric names of TF's top level that eager code meets: enums (AggregationMethod,
VariableAggregation, VariableSynchronization), the TypeSpec family, DeviceSpec and ``tf.device``
(accepted; tapeflow computes on the CPU), ``tf.name_scope``, ``tf.executing_eagerly``,
``tf.gradients``/``tf.hessians`` (TF's eager-mode error), grouping no-ops, and the gradient
registry hooks ``tf.RegisterGradient`` / ``tf.no_gradient``."""

import abc
import contextlib
import enum
import logging
import re
import time

import numpy as np

from ..engine import core
from ..engine.custom_gradient import custom_gradient
from ..framework import dtypes
from ..framework.shape import TensorShape
from ..framework.tensor import Tensor, wrap
from ..framework.tensor_spec import TensorSpec
from ..framework.variable import Variable
from ._helpers import tensor
from .math_ops import identity


class AggregationMethod:
    """``tf.AggregationMethod``: how gradients of one tensor are summed (tapeflow always adds)."""
    ADD_N = 0
    DEFAULT = ADD_N
    EXPERIMENTAL_TREE = 1
    EXPERIMENTAL_ACCUMULATE_N = 2


class VariableAggregation(enum.Enum):
    NONE = 0
    SUM = 1
    MEAN = 2
    ONLY_FIRST_REPLICA = 3


VariableAggregation.__name__ = VariableAggregation.__qualname__ = "VariableAggregationV2"


class VariableSynchronization(enum.Enum):
    AUTO = 0
    NONE = 1
    ON_WRITE = 2
    ON_READ = 3


# --- type specs ----------------------------------------------------------------------------------

class TypeSpec(metaclass=abc.ABCMeta):  # noqa: B024 - an ABC only to register TensorSpec
    """``tf.TypeSpec``: the base of the value-type descriptions (``TensorSpec`` and friends)."""

    __slots__ = ()

    def _fields(self):
        return ()

    def __eq__(self, other):
        return type(self) is type(other) and self._fields() == other._fields()

    def __hash__(self):
        return hash((type(self).__name__,) + tuple(map(repr, self._fields())))

    def __repr__(self):
        return f"{type(self).__name__}({', '.join(map(repr, self._fields()))})"

    def most_specific_common_supertype(self, others):
        return self if all(self == o for o in others) else None


class NoneTensorSpec(TypeSpec):
    """``tf.NoneTensorSpec``: the spec of ``None``."""

    __slots__ = ()

    def is_compatible_with(self, value):
        return value is None or isinstance(value, NoneTensorSpec)


class IndexedSlicesSpec(TypeSpec):
    """``tf.IndexedSlicesSpec``: shape, dtype and index dtype of an ``IndexedSlices``."""

    __slots__ = ("_shape", "_dtype", "_indices_dtype", "_dense_shape_dtype", "_indices_shape")

    def __init__(self, shape=None, dtype=dtypes.float32, indices_dtype=dtypes.int64,
                 dense_shape_dtype=None, indices_shape=None):
        self._shape = TensorShape(shape)
        self._dtype = dtypes.as_dtype(dtype)
        self._indices_dtype = dtypes.as_dtype(indices_dtype)
        self._dense_shape_dtype = (None if dense_shape_dtype is None
                                   else dtypes.as_dtype(dense_shape_dtype))
        self._indices_shape = TensorShape(indices_shape if indices_shape is not None else [None])

    shape = property(lambda self: self._shape)
    dtype = property(lambda self: self._dtype)

    def _fields(self):
        return (self._shape, self._dtype, self._indices_dtype, self._dense_shape_dtype,
                self._indices_shape)


TypeSpec.register(TensorSpec)  # tf.TensorSpec is a TypeSpec too


def type_spec_from_value(value):
    """``tf.type_spec_from_value``: a TensorSpec for a tensor (or anything convertible)."""
    from .index_ops import IndexedSlices
    from .composite_ops import _spec_of
    if value is None:
        return NoneTensorSpec()
    spec = _spec_of(value)
    if spec is None:
        spec = getattr(value, "_type_spec", None)  # an ExtensionType's
    if spec is not None:
        return spec
    if isinstance(value, IndexedSlices):
        return IndexedSlicesSpec(value.values.shape, value.values.dtype, value.indices.dtype)
    t = value if isinstance(value, Tensor | Variable) else tensor(value)
    return TensorSpec(t.shape, t.dtype)


# --- devices -------------------------------------------------------------------------------------

_DEVICE_PART = re.compile(r"^(job|replica|task|device|cpu|gpu):?(.*)$", re.IGNORECASE)


_DEVICE_TYPES = ("CPU", "GPU", "TPU", "CUSTOM", "EPU")  # written bare, in any case


class DeviceSpec:
    """``tf.DeviceSpec``: a parsed device name (tapeflow runs everything on the CPU)."""

    __slots__ = ("_job", "_replica", "_task", "_device_type", "_device_index")

    def __init__(self, job=None, replica=None, task=None, device_type=None, device_index=None):
        self._job = job
        self._replica = None if replica is None else int(replica)
        self._task = None if task is None else int(task)
        self._device_type = None if device_type is None else (
            device_type.upper() if device_type.upper() in _DEVICE_TYPES else device_type)
        self._device_index = None if device_index is None else int(device_index)

    job = property(lambda self: self._job)
    replica = property(lambda self: self._replica)
    task = property(lambda self: self._task)
    device_type = property(lambda self: self._device_type)
    device_index = property(lambda self: self._device_index)

    @classmethod
    def from_string(cls, spec):
        fields = {}
        for part in (spec or "").split("/"):
            if not part:
                continue
            bits = part.split(":")
            key = bits[0].lower()
            if key in ("job", "replica", "task") and len(bits) == 2:
                fields[key] = bits[1]
            elif key == "device" and len(bits) in (2, 3):
                fields["device_type"] = bits[1]
                if len(bits) == 3 and bits[2] != "*":
                    fields["device_index"] = bits[2]
            elif key.upper() in _DEVICE_TYPES and len(bits) in (1, 2):  # "cpu", "GPU:1"
                fields["device_type"] = key
                if len(bits) == 2 and bits[1] != "*":
                    fields["device_index"] = bits[1]
            else:
                raise ValueError(f"Unknown attribute '{part}' is encountered while parsing the "
                                 f"device spec: '{spec}'.")
        return cls(**fields)

    def parse_from_string(self, spec):
        return DeviceSpec.from_string(spec)

    def replace(self, **kwargs):
        fields = dict(job=self._job, replica=self._replica, task=self._task,
                      device_type=self._device_type, device_index=self._device_index)
        fields.update(kwargs)
        return DeviceSpec(**fields)

    def make_merged_spec(self, dev):
        return self.replace(**{k: getattr(dev, k) for k in
                               ("job", "replica", "task", "device_type", "device_index")
                               if getattr(dev, k) is not None})

    def to_string(self):
        out = ""
        for key in ("job", "replica", "task"):
            if getattr(self, key) is not None:
                out += f"/{key}:{getattr(self, key)}"
        if self._device_type is not None:
            index = "*" if self._device_index is None else self._device_index
            out += f"/device:{self._device_type}:{index}"
        return out

    def __eq__(self, other):
        return isinstance(other, DeviceSpec) and self.to_string() == other.to_string()

    def __hash__(self):
        return hash(self.to_string())

    def __repr__(self):
        return (f"<DeviceSpec(job={self._job}, replica={self._replica}, task={self._task}, "
                f"device_type={self._device_type}, device_index={self._device_index})>")


@contextlib.contextmanager
def device(device_name):
    """``tf.device``: accepted and checked for syntax; tapeflow computes on the CPU anyway."""
    if device_name is not None and not callable(device_name):
        DeviceSpec.from_string(device_name.to_string() if isinstance(device_name, DeviceSpec)
                               else device_name)
    yield


# --- name scopes ---------------------------------------------------------------------------------

_scopes = []


class name_scope:  # noqa: N801 - TF's name
    """``tf.name_scope``: a context manager whose ``__enter__`` returns the scope ("a/b/")."""

    def __init__(self, name):
        if not isinstance(name, str) or not name:
            raise ValueError("name for name_scope must be a string.")
        self._name = name

    @property
    def name(self):
        return self._name

    def __enter__(self):
        current = _scopes[-1] if _scopes else ""
        _scopes.append(self._name if self._name.endswith("/") else f"{current}{self._name}/")
        return _scopes[-1]

    def __exit__(self, *exc):
        _scopes.pop()
        return False


def get_current_name_scope():
    """``tf.get_current_name_scope``: the open scopes, without the trailing slash."""
    return _scopes[-1].rstrip("/") if _scopes else ""


def executing_eagerly():
    """``tf.executing_eagerly``: True but while a ``tf.function`` (or a Keras layer called on
    Keras tensors) is traced, as in TF."""
    return core.state.graph is None


_GRADIENTS_ERROR = ("tf.gradients is not supported when eager execution is enabled. Use "
                    "tf.GradientTape instead.")


def gradients(ys, xs, grad_ys=None, name="gradients", gate_gradients=False,
              aggregation_method=None, stop_gradients=None,
              unconnected_gradients="none"):
    """``tf.gradients``: graph-mode only in TF (inside a tf.function: graph/gradients.py);
    eager code gets TF's RuntimeError."""
    if core.state.graph is None:
        raise RuntimeError(_GRADIENTS_ERROR)
    from ..engine.backprop import kernels
    return kernels["graph_gradients"](ys, xs, grad_ys, stop_gradients, unconnected_gradients)


def hessians(ys, xs, gate_gradients=False, aggregation_method=None, name="hessians"):
    """``tf.hessians``: built on ``tf.gradients``, so the same RuntimeError eagerly."""
    if core.state.graph is None:
        raise RuntimeError(_GRADIENTS_ERROR)
    from ..engine.backprop import kernels
    return kernels["graph_hessians"](ys, xs)


# --- grouping and small utilities ---------------------------------------------------------------

def no_op(name=None):
    """``tf.no_op``: nothing, eagerly (``None``)."""
    return None


def group(*inputs, **kwargs):
    """``tf.group``: in eager mode every input has already run, so ``None``."""
    return None


def tuple(tensors, name=None, control_inputs=None):  # noqa: A001 - TF's name
    """``tf.tuple``: the tensors (``None`` entries kept), each through ``identity``."""
    return [None if t is None else identity(t) for t in tensors]


def identity_n(input, name=None):  # noqa: A002 - TF's name
    """``tf.identity_n``: ``identity`` of each element of a list (gradient passes through)."""
    return [identity(t) for t in input]


def guarantee_const(input, name=None):  # noqa: A002 - TF's name
    """``tf.guarantee_const``: a promise to the graph optimizer; eagerly, ``identity``."""
    return identity(input)


def get_static_value(tensor_, partial=False):
    """``tf.get_static_value``: an eager tensor's NumPy value (``None`` stays ``None``)."""
    if tensor_ is None:
        return None
    if isinstance(tensor_, Tensor | Variable):
        return np.asarray(tensor_).copy()
    return tensor(tensor_).numpy()


def timestamp(name=None):
    """``tf.timestamp``: seconds since the epoch, a float64 scalar."""
    return wrap(np.asarray(time.time(), np.float64))


def get_logger():
    """``tf.get_logger``: the ``tensorflow`` logger of Python's logging module."""
    logger = logging.getLogger("tensorflow")
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.WARNING)
    return logger


def grad_pass_through(f):
    """``tf.grad_pass_through``: ``f``'s values, with the gradient of ``identity``."""
    @custom_gradient
    def pass_through(x):
        return f(x), lambda dy: dy

    def call(x):
        return pass_through(x)
    return call


def _registered_twice(op_type):
    return KeyError(f"Registering two gradient with name '{op_type}'! (Previous registration "
                    "was in tapeflow's op registry)")


_USER_GRADIENTS = {}


class RegisterGradient:
    """``tf.RegisterGradient``: TF's KeyError for an op type that already has a gradient.

    A gradient for another op type is recorded, but tapeflow has no way to create ops of such a
    type (no ``tf.raw_ops`` / custom kernels), so it is never called.
    """

    def __init__(self, op_type):
        if not isinstance(op_type, str):
            raise TypeError("op_type must be a string")
        self._op_type = op_type

    def __call__(self, f):
        _register(self._op_type, f)
        return f


def _register(op_type, f):
    prim = core.REGISTRY.get(op_type)
    if (prim is not None and prim.vjps is not None) or op_type in _USER_GRADIENTS:
        raise _registered_twice(op_type)
    _USER_GRADIENTS[op_type] = f


def no_gradient(op_type):
    """``tf.no_gradient``: declare an op type non-differentiable (TF's KeyError if it has a
    gradient already)."""
    if not isinstance(op_type, str):
        raise TypeError("op_type must be a string")
    _register(op_type, None)


EXPORTS = {
    "": ["AggregationMethod", "VariableAggregation", "VariableSynchronization", "TypeSpec",
         "NoneTensorSpec", "IndexedSlicesSpec", "type_spec_from_value", "DeviceSpec", "device",
         "name_scope", "get_current_name_scope", "executing_eagerly", "gradients", "hessians",
         "no_op", "group", "tuple", "identity_n", "guarantee_const", "get_static_value",
         "timestamp", "get_logger", "grad_pass_through", "RegisterGradient", "no_gradient"],
}
