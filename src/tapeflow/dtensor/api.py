"""DTensors in one process: a tensor with a Layout over a Mesh of logical CPU devices.

A DTensor is an ordinary tapeflow tensor whose value is the global one; its layout says which
part of it each mesh device holds (its component), as TF's DTensor device keeps them. Ops run on
the global values (so gradients, tf.function and every op work unchanged); the engine's
``layout_hook`` gives each op output computed from DTensors the layout TF's SPMD expansion gives
it (rules.py). What differs from TF is in docs/dtensor.md.
"""

import contextlib
import weakref

import numpy as np

from ..engine import core
from ..framework import errors
from ..framework.context import state
from ..framework.tensor import EagerTensor, Tensor, convert_to_tensor, wrap
from ..framework.variable import ResourceVariable, Variable
from ..graph.script_ops import format_value
from ..ops.math_ops import identity
from .layout import UNSHARDED, Layout, Mesh, full_device_name
from .rules import output_specs

DEVICE_NAME = "/job:localhost/replica:0/task:0/device:CUSTOM:0"
_LAYOUTS = {}  # a DTensor's tensor id -> its Layout
_PACKED = {}  # a packed DTensor's id -> its components, where replicas of a shard disagree


class DTensor(EagerTensor):
    """A tensor with a layout (``dtensor.is_dtensor`` is true). Same slots as EagerTensor: an
    op's output becomes one in place, and a trace may turn one into a symbolic tensor."""

    __slots__ = ()

    @property
    def device(self):
        return DEVICE_NAME

    def numpy(self):
        _check_copyable(self)
        return super().numpy()

    def __array__(self, dtype=None, copy=None):
        _check_copyable(self)
        return super().__array__(dtype, copy)

    def _summarize_value(self):
        return summary(self._value, _LAYOUTS[self._id])

    def __str__(self):
        return f"tf.Tensor({self._summarize_value()}, shape={self.shape}, dtype={self.dtype.name})"

    def __repr__(self):
        return (f"<tf.Tensor: shape={self.shape}, dtype={self.dtype.name}, "
                f"value={self._summarize_value()}>")

    def __format__(self, spec):
        return format(self._summarize_value(), spec)  # TF formats the text (``:.2f`` fails)


# TF's DTensors are EagerTensors: so is their class's name.
DTensor.__name__ = DTensor.__qualname__ = "EagerTensor"
DTensor.__module__ = EagerTensor.__module__


def _mark(tensor, layout):
    """Make the plain eager ``tensor`` a DTensor of ``layout`` (in place). The engine's layout
    hook is on while some DTensor lives: other programs pay nothing for it."""
    if tensor.__class__ is EagerTensor:
        tensor.__class__ = DTensor
        weakref.finalize(tensor, _forget, tensor._id)
    _LAYOUTS[tensor._id] = layout
    core.layout_hook = _propagate
    return tensor


def _forget(tensor_id):
    _LAYOUTS.pop(tensor_id, None)
    _PACKED.pop(tensor_id, None)
    if not _LAYOUTS and not _default:
        core.layout_hook = None


def summary(value, layout):
    """TF's text of a DTensor's value: the value for a replicated one, else each device's
    component, then the layout."""
    if layout.is_fully_replicated():
        text = format_value(value)
    else:
        parts = [f'"{d.rsplit("device:", 1)[-1]}": {format_value(value[s])}'
                 for d, s in zip(layout.mesh.local_devices(), layout.shard_slices(value.shape))]
        text = "{" + ", ".join(parts) + "}"
    return f'{text}, layout="{layout.to_string()}"'


_TYPE_NAMES = {"float32": "float", "float64": "double", "float16": "half"}


def _check_copyable(t):
    layout = _LAYOUTS[t._id]
    if not layout.is_fully_replicated():
        name = t.dtype.name
        raise errors.UnimplementedError(
            None, None, "Trying to copy a non-single-device and non-replicated DTensor is not "
            f"supported. Input tensor is: DTensor({summary(t._value, layout)}, shape=["
            f"{','.join(map(str, t._value.shape))}], type={_TYPE_NAMES.get(name, name)})")


# --- layouts of op outputs -----------------------------------------------------------------------

def _propagate(prim, inputs, outputs, attrs):
    """The engine's layout hook: outputs of an op with a DTensor input become DTensors; under
    ``default_mesh``, so do those of an op whose inputs are all scalars or integers (shapes,
    seeds, fill values: TF runs it on the mesh, replicated)."""
    for t in inputs:
        if t.__class__ is DTensor:
            break
    else:
        if _default and state.graph is None and all(
                not t._value.ndim or t._value.dtype.kind in "iu" for t in inputs):
            mesh = _default[-1]
            for out in outputs:
                if out.__class__ is EagerTensor:
                    _mark(out, Layout.replicated(mesh, out._value.ndim))
        return
    if state.graph is not None:
        return
    layouts = [_LAYOUTS.get(t._id) if t.__class__ is DTensor else None for t in inputs]
    for i, (t, layout) in enumerate(zip(inputs, layouts)):
        value = t._value
        if layout is None and value.ndim and value.dtype.kind not in "iuOSU":
            raise errors.UnimplementedError(
                None, None, f"The op/function {prim.name} got a regular tensor for input {i}"
                f" (shape [{','.join(map(str, value.shape))}]) but was expecting a DTensor. "
                "Currently only scalars and small integer/string tensors are auto-broadcast to "
                "DTensors. For other tensors, please use copy_to_mesh to make a DTensor "
                "explicitly; note that this may be slow if it happens frequently. "
                f"[Op:{prim.name}] name: ")
    meshes = {lay.mesh for lay in layouts if lay is not None}
    if len(meshes) > 1:
        raise errors.UnknownError(
            None, None, f"'tf_device.cluster' op failed during mesh propagation. All inputs to "
            f"`tf_device.Cluster` must have same mesh configuration. [Op:{prim.name}]")
    mesh = meshes.pop()
    specs = [[UNSHARDED] * t._value.ndim if lay is None else lay.sharding_specs
             for t, lay in zip(inputs, layouts)]
    for out in outputs:
        if out.__class__ is EagerTensor:
            shape = out._value.shape
            _mark(out, Layout(output_specs(prim, inputs, specs, shape, attrs, mesh), mesh))


# --- the public API ------------------------------------------------------------------------------

def is_dtensor(tensor):
    """``dtensor.is_dtensor``: whether ``tensor`` is a DTensor."""
    return isinstance(tensor, DTensor) and tensor._id in _LAYOUTS


def fetch_layout(tensor):
    """``dtensor.fetch_layout``: the layout of a DTensor or DVariable."""
    if isinstance(tensor, DVariable):
        return tensor.layout
    if not is_dtensor(tensor):
        raise errors.InvalidArgumentError(
            None, None, "FetchLayout expects a tensor placed on the layout device.")
    return _LAYOUTS[tensor._id]


def check_layout(tensor, layout):
    """``dtensor.check_layout``: ValueError unless ``tensor`` has ``layout``."""
    actual = fetch_layout(tensor)
    if actual != layout:
        raise ValueError(f"Layout of tensor: {actual!r}, did not match expected layout: "
                         f"{layout!r}")


def checked(shape, layout, op="Relayout"):
    """TF's errors for a global ``shape`` that ``layout`` cannot split."""
    if len(shape) != layout.rank:
        raise errors.UnknownError(
            None, None, f"'tf.DTensorLayout' op requires matching rank for layout and input, but "
            f"got {layout.rank} as suggested rank from layout but {len(shape)} from shape. "
            f"[Op:{op}]")
    for i, (size, n) in enumerate(zip(shape, layout.shards())):
        if size % n:
            raise errors.UnknownError(
                None, None, f"'tf.DTensorLayout' op requires dimension {i} to be divisible by "
                "sharding specified in DTensorLayout, but got dimension size="
                f"{size} is not divisible by number of shards in layout for this dimension={n}."
                f" [Op:{op}]")


def _check_devices(mesh):
    """TF's error for a mesh naming a logical device that was not configured."""
    known = {full_device_name(d.name) for d in _logical(mesh.device_type())}
    for device in mesh.local_devices():
        if device not in known:
            raise errors.InternalError(
                None, None, "Unable to copy tensor value for broadcast. Original message: "
                f"{device} unknown device. [Op:Relayout] name: ")


def place(tensor, layout):
    """``tensor`` as a new DTensor of ``layout`` (recorded as an Identity, so gradients flow)."""
    if isinstance(tensor, Variable):
        tensor = tensor.read_value()
    elif not isinstance(tensor, Tensor):
        tensor = convert_to_tensor(tensor)
    _check_devices(layout.mesh)
    checked(tensor._value.shape, layout)
    source = _LAYOUTS.get(tensor._id) if tensor.__class__ is DTensor else None
    if source is not None and source.mesh != layout.mesh and not layout.is_fully_replicated():
        raise errors.UnknownError(
            None, None, "SPMD expansion resulted in op output inconsistent with the provided "
            "layout: a DTensor moves to another mesh only replicated. [Op:Relayout] name: ")
    out = identity(tensor)
    if out.__class__ is EagerTensor or out.__class__ is DTensor:
        _mark(out, layout)
    return out


def relayout(tensor, layout, name=None):
    """``dtensor.relayout``: the same global value, with ``layout``."""
    return place(tensor, layout)


def relayout_like(tensor, layout_tensor, name=None):
    return place(tensor, fetch_layout(layout_tensor))


def copy_to_mesh(tensor, layout, source_layout=None):
    """``dtensor.copy_to_mesh``: a plain tensor (or value) as a DTensor of ``layout``."""
    return place(tensor, layout)


def unpack(tensor):
    """``dtensor.unpack``: each mesh device's component, a tensor placed on that device."""
    if not is_dtensor(tensor):
        raise errors.InvalidArgumentError(
            None, None, f"DTensorUnpack expects a tensor placed on the DTensor device: "
            f"{DEVICE_NAME}, but input was placed on device: "
            f"{getattr(tensor, 'device', '') or full_device_name('CPU:0')}")
    layout = _LAYOUTS[tensor._id]
    value = tensor._value
    parts = _PACKED.get(tensor._id) or [value[i] for i in layout.shard_slices(value.shape)]
    out = []
    for device, part in zip(layout.mesh.local_devices(), parts):
        component = wrap(np.array(part))
        component.__class__ = _on_device(device)
        out.append(component)
    return out


def pack(tensors, layout):
    """``dtensor.pack``: one component per mesh device (in local device order) into a DTensor.
    Ops compute with the first device's copy of each shard, as TF's; unpack gives back each
    device's own."""
    mesh = layout.mesh
    _check_devices(mesh)
    if len(tensors) != mesh.num_local_devices():
        raise errors.InvalidArgumentError(
            None, None, f"The dtensor device {DEVICE_NAME} expected {mesh.num_local_devices()} "
            f"inputs to DTensorPack, but got {len(tensors)}")
    parts = [convert_to_tensor(t)._value for t in tensors]
    local = parts[0].shape
    for p in parts:
        if p.shape != local or p.dtype != parts[0].dtype:
            raise errors.InvalidArgumentError(
                None, None, "All input tensors to DTensorPack must have the same shape and "
                f"dtype, got {[tuple(q.shape) for q in parts]}")
    if len(local) != layout.rank:
        checked(local, layout, "DTensorPack")
    value = np.empty(layout.global_shape_from_local_shape(local), parts[0].dtype)
    slices = layout.shard_slices(value.shape)
    for p, index in zip(parts[::-1], slices[::-1]):  # the first device's copy of a shard wins
        value[index] = p
    out = _mark(wrap(value), layout)
    if any(not np.array_equal(p, value[index]) for p, index in zip(parts, slices)):
        _PACKED[out._id] = parts  # replicas that disagree: unpack gives each device's own
    return out


_DEVICE_CLASSES = {}


def _on_device(device):
    """An EagerTensor class whose tensors say they are on ``device`` (a component's class)."""
    cls = _DEVICE_CLASSES.get(device)
    if cls is None:
        cls = _DEVICE_CLASSES[device] = type("EagerTensor", (EagerTensor,), {
            "__slots__": (), "device": property(lambda self: device),
            "__module__": EagerTensor.__module__})
    return cls


# --- call_with_layout and the layout= arguments --------------------------------------------------

def call_with_layout(fn, layout, *args, **kwargs):
    """``dtensor.call_with_layout``: ``fn``'s result as a DTensor of ``layout`` (``fn`` as it is
    when ``layout`` is None). A stateless random op draws each shard on its own, as TF does."""
    if layout is None:
        return fn(*args, **kwargs)
    from .random import per_shard
    drawn = per_shard(fn, layout, args, kwargs)
    if drawn is not None:
        return drawn
    return place(fn(*args, **kwargs), layout)


# --- variables -----------------------------------------------------------------------------------

class DVariable(ResourceVariable):
    """``dtensor.DVariable``: a variable with a layout; its reads are DTensors."""

    __slots__ = ("_layout",)

    def __init__(self, initial_value, *args, dtype=None, name=None, layout=None, **kwargs):
        if callable(initial_value):
            initial_value = initial_value()
        if layout is None:
            if not is_dtensor(initial_value):
                raise errors.InvalidArgumentError(
                    None, None, "Neither layout nor DTensor initial value are provided.")
            layout = _LAYOUTS[initial_value._id]
        else:
            initial_value = place(initial_value, layout)
        super().__init__(initial_value, *args, dtype=dtype, name=name, **kwargs)
        self._layout = layout

    @property
    def layout(self):
        return self._layout

    @property
    def handle(self):
        """The resource handle as a replicated scalar DTensor of dtype resource (for printing)."""
        return _HandleTensor(self)

    def _dense_read(self):
        return _mark(super()._dense_read(), self._layout)

    def numpy(self):
        return self._dense_read().numpy()

    def assign(self, value, use_locking=None, name=None, read_value=True):
        mesh = _LAYOUTS[value._id].mesh if is_dtensor(value) else self._layout.mesh
        if mesh != self._layout.mesh:
            raise errors.UnknownError(
                None, None, f"Cannot assign a DTensor on mesh {mesh} to a DVariable "
                f"on mesh {self._layout.mesh}")
        return super().assign(value, use_locking, name, read_value)

    def __repr__(self):
        value = summary(self._handle.value, self._layout)
        return (f"<tf.Variable '{self.name}' shape={self.shape} dtype={self.dtype.name}, "
                f"value={value}>")

    __str__ = __repr__


class _HandleTensor:
    """What ``DVariable.handle`` prints: TF's text of a resource handle, with the layout."""

    def __init__(self, variable):
        name = variable.name.removesuffix(":0")
        dims = ",".join(str(d) for d in variable.shape.as_list())
        self._text = (f'<ResourceHandle(name="{name}/{variable._handle.id}", device="/job:'
                      'localhost/replica:0/task:0/device:CPU:0", container="Anonymous", type='
                      f'"tensorflow::Var", dtype and shapes : "[ DType enum: '
                      f'{variable.dtype.as_datatype_enum}, Shape: [{dims}] ]")>, layout="'
                      f'{variable.layout.to_string()}"')

    def __str__(self):
        return f"tf.Tensor({self._text}, shape=(), dtype=resource)"

    def __repr__(self):
        return f"<tf.Tensor: shape=(), dtype=resource, value={self._text}>"


# --- mesh defaults and the client ----------------------------------------------------------------

_default = []


@contextlib.contextmanager
def default_mesh(mesh):
    """``dtensor.default_mesh``: ``mesh`` is the default inside the block."""
    if not isinstance(mesh, Mesh):
        raise ValueError(f"Expect `mesh` to be `Mesh`, got {type(mesh)}")
    _default.append(mesh)
    core.layout_hook = _propagate
    try:
        yield
    finally:
        _default.pop()
        if not _LAYOUTS and not _default:
            core.layout_hook = None


run_on = default_mesh


def get_default_mesh():
    return _default[-1] if _default else None


def _logical(device_type):
    from ..framework.device_config import list_logical_devices
    return list_logical_devices(device_type)


def local_devices(device_type, for_client_id=None):
    """``dtensor.local_devices``: DeviceSpecs of this client's logical devices of a type."""
    from ..ops.framework_api import DeviceSpec
    return [DeviceSpec.from_string(full_device_name(d.name)) for d in _logical(device_type)]


def num_local_devices(device_type):
    return len(_logical(device_type))


num_global_devices = num_local_devices


def num_clients():
    return 1


def client_id():
    return 0


def job_name():
    return "localhost"


def full_job_name(task_id=None):
    return f"localhost/replica:0/task:{client_id() if task_id is None else task_id}"


def jobs():
    return []


def heartbeat_enabled():
    return False


def device_name():
    return DEVICE_NAME


def preferred_device_type():
    return "CPU"


def create_mesh(mesh_dims=None, mesh_name="", devices=None, device_type=None,
                use_xla_spmd=False):
    """``dtensor.create_mesh``: a mesh of ``mesh_dims`` (``[(name, size), ...]`` or a dict)
    over ``devices`` (default: every logical device of ``device_type``)."""
    if devices is None:
        devices = [d.name for d in _logical((device_type or "CPU").upper())]
    devices = [full_device_name(d) for d in devices]
    if mesh_dims is None:
        mesh_dims = [("x", len(devices))]
    elif isinstance(mesh_dims, dict):
        mesh_dims = list(mesh_dims.items())
    names = [n for n, _ in mesh_dims]
    shape = [int(s) for _, s in mesh_dims]
    if int(np.prod(shape)) != len(devices):
        raise ValueError(f"length of devices ({len(devices)}) must be equal to total size of "
                         f"the mesh of shape {shape}")
    ids = np.arange(len(devices)).reshape(shape)
    return Mesh(names, ids, list(range(len(devices))), devices, mesh_name,
                use_xla_spmd=use_xla_spmd)


def create_distributed_mesh(mesh_dims, mesh_name="", local_devices=None, device_type=None,
                            use_xla_spmd=False):
    """One client: the same as :func:`create_mesh`."""
    return create_mesh(mesh_dims, mesh_name, local_devices, device_type, use_xla_spmd)


def initialize_accelerator_system(device_type=None, enable_coordination_service=True,
                                  num_logical_cpu_devices=None, experimental_reset_context=False,
                                  experimental_enable_megcore=False):
    """Split the CPU into ``num_logical_cpu_devices`` logical devices (if given): the type."""
    from ..framework import device_config as config
    if num_logical_cpu_devices:
        config.set_logical_device_configuration(
            config.CPU, [config.LogicalDeviceConfiguration()] * num_logical_cpu_devices)
    return (device_type or "CPU").upper()


initialize_multi_client = initialize_tpu_system = initialize_accelerator_system


def shutdown_accelerator_system():
    """Nothing to release in one process."""


shutdown_tpu_system = shutdown_accelerator_system


def barrier(mesh, barrier_name=None, timeout_in_ms=None):
    """One client: nothing to wait for."""

