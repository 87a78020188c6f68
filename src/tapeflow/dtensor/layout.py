"""``tf.experimental.dtensor``'s Mesh (a grid of named dimensions over devices) and Layout (how
each axis of a tensor is split over the mesh's dimensions), with TF's string forms.

A mesh's text is ``name|x=3,y=2|global ids|local ids|local devices``; a layout's is
``sharding_specs:x,unsharded, mesh:<mesh text>``. Both print as ``Mesh.from_string(...)`` /
``Layout.from_string(...)``, as TF's do.
"""

import collections

import numpy as np

from ..framework.tensor import wrap

UNSHARDED = "unsharded"
MATCH = "match"
_JOB = "/job:localhost/replica:0/task:0/device:"


def full_device_name(device):
    """``'CPU:1'``, ``'/device:CPU:1'`` or a DeviceSpec as TF's full name
    ``/job:localhost/replica:0/task:0/device:CPU:1``."""
    text = device.to_string() if hasattr(device, "to_string") else str(device)
    if text.startswith("/job:"):
        return text
    kind_index = text.rsplit("device:", 1)[-1].lstrip("/")
    kind, _, index = kind_index.partition(":")
    return f"{_JOB}{kind.upper()}:{index or 0}"


MeshDimension = collections.namedtuple("MeshDimension", ["name", "size"])


class Mesh:
    """``dtensor.Mesh``: named dimensions over a set of devices (one client: all are local)."""

    def __init__(self, dim_names, global_device_ids, local_device_ids, local_devices,
                 mesh_name="", global_devices=None, use_xla_spmd=False):
        ids = np.asarray(global_device_ids)
        if len(dim_names) != ids.ndim:
            raise ValueError("Number of mesh dimensions does not match number of dimension names.")
        if len(set(dim_names)) != len(dim_names):
            raise ValueError(f"Mesh dimension names must be unique, got {list(dim_names)}")
        if len(local_device_ids) != len(local_devices):
            raise ValueError("Length of local_device_ids does not match length of local_devices.")
        self._dim_names = list(dim_names)
        self._ids = ids.astype(np.int64)
        self._local_ids = [int(i) for i in local_device_ids]
        self._local_devices = [full_device_name(d) for d in local_devices]
        self._global_devices = [full_device_name(d) for d in global_devices or []]
        self._name = mesh_name
        self._xla = bool(use_xla_spmd)
        kinds = {d.rsplit("device:", 1)[-1].split(":")[0] for d in self._local_devices}
        if len(kinds) > 1:
            raise ValueError(f"Devices containing multiple device_types : {sorted(kinds)}")
        self._type = kinds.pop() if kinds else "CPU"

    # --- TF's accessors ------------------------------------------------------------------------
    @property
    def dim_names(self):
        return list(self._dim_names)

    @property
    def name(self):
        return self._name

    @property
    def size(self):
        return int(self._ids.size)

    @property
    def strides(self):
        """Device-id steps along each dimension (the last one moves fastest)."""
        shape = self.shape()
        return [int(np.prod(shape[i + 1:], dtype=np.int64)) for i in range(len(shape))]

    def shape(self):
        return list(self._ids.shape)

    def dim_size(self, dim_name):
        if dim_name not in self._dim_names:
            raise ValueError(f"Dimension {dim_name} does not exist in mesh.Available dimensions: "
                             f"{','.join(self._dim_names)}")
        return self._ids.shape[self._dim_names.index(dim_name)]

    def contains_dim(self, dim_name):
        return dim_name in self._dim_names

    def device_type(self):
        return self._type

    def global_device_ids(self):
        return self._ids.copy()

    def local_device_ids(self):
        return list(self._local_ids)

    def local_devices(self):
        return list(self._local_devices)

    def global_devices(self):
        return list(self._global_devices)

    def num_local_devices(self):
        return len(self._local_ids)

    def min_global_device_id(self):
        return int(self._ids.min())

    def is_remote(self):
        return not self._local_ids

    def is_single_device(self):
        return False

    def use_xla_spmd(self):
        return self._xla

    def host_mesh(self):
        return self

    @property
    def single_device(self):
        return ""

    def device_location(self, device_id):
        """The device's index along each mesh dimension."""
        return [int(c) for c in np.argwhere(self._ids == device_id)[0]]

    def _location(self, device_id):
        return dict(zip(self._dim_names, self.device_location(device_id)))

    def local_device_locations(self):
        """Each local device's coordinates, ``{dim name: index}``, in local device order."""
        return [self._location(i) for i in self._local_ids]

    def unravel_index(self):
        """``{device id: {dim name: index}}`` for every device."""
        return {int(i): self._location(i) for i in self._ids.reshape(-1)}

    def coords(self, device_idx):
        """The device's coordinates as an int32 tensor."""
        return wrap(np.array(self.device_location(device_idx), np.int32))

    def __getitem__(self, dim_name):
        return MeshDimension(dim_name, self.dim_size(dim_name))

    def __contains__(self, dim_name):
        return dim_name in self._dim_names

    # --- text ----------------------------------------------------------------------------------
    def to_string(self):
        dims = ",".join(f"{n}={s}" for n, s in zip(self._dim_names, self._ids.shape))
        parts = [self._name, dims, ",".join(map(str, self._ids.reshape(-1))),
                 ",".join(map(str, self._local_ids)), ",".join(self._local_devices)]
        if self._global_devices:
            parts.append(",".join(self._global_devices))
        if self._xla:
            parts.append("use_xla_spmd")
        return "|".join(parts)

    @classmethod
    def from_string(cls, mesh_str):
        parts = mesh_str.split("|")
        xla = parts[-1] == "use_xla_spmd"
        if xla:
            parts = parts[:-1]
        if len(parts) not in (5, 6):
            raise ValueError(f"Expected mesh string of the form 'name|dims|global ids|local ids|"
                             f"local devices', got: {mesh_str}")
        name, dims, ids, local, devices = parts[:5]
        names, sizes = [], []
        for item in filter(None, dims.split(",")):
            n, _, s = item.partition("=")
            names.append(n)
            sizes.append(int(s))
        global_ids = np.array([int(i) for i in filter(None, ids.split(","))]).reshape(sizes)
        return cls(names, global_ids, [int(i) for i in filter(None, local.split(","))],
                   [d for d in devices.split(",") if d], name,
                   parts[5].split(",") if len(parts) == 6 else None, xla)

    def __repr__(self):
        return f"Mesh.from_string({self.to_string()})"

    __str__ = __repr__

    def __eq__(self, other):
        return isinstance(other, Mesh) and self.to_string() == other.to_string()

    def __hash__(self):
        return hash(self.to_string())

    # --- placement -----------------------------------------------------------------------------
    def coordinates(self):
        """Each local device's index along every mesh dimension, in local device order."""
        return [tuple(np.argwhere(self._ids == i)[0]) for i in self._local_ids]


class Layout:
    """``dtensor.Layout``: for each tensor axis, the mesh dimension it is split over (or
    ``UNSHARDED``)."""

    def __init__(self, sharding_specs, mesh):
        if not isinstance(mesh, Mesh):
            raise ValueError(f"mesh is not a valid Mesh object: {mesh!r}")
        specs = [str(s) for s in sharding_specs]
        used = set()
        for s in specs:
            if s in (UNSHARDED, MATCH):
                continue
            if s not in mesh.dim_names:
                raise ValueError(f"{s}: A dimension sharding must either be a valid mesh "
                                 "dimension or UNSHARDED.")
            if s in used:
                raise ValueError(f"Mesh dimension {s} was repeated in sharding specification "
                                 f"{specs}. Mesh dimensions must be unique in a layout.")
            used.add(s)
        self._specs = specs
        self._mesh = mesh

    @classmethod
    def replicated(cls, mesh, rank):
        return cls([UNSHARDED] * rank, mesh)

    @classmethod
    def batch_sharded(cls, mesh, batch_dim, rank, axis=0):
        specs = [UNSHARDED] * rank
        specs[axis] = batch_dim
        return cls(specs, mesh)

    @classmethod
    def inner_sharded(cls, mesh, inner_dim, rank):
        return cls.batch_sharded(mesh, inner_dim, rank, axis=rank - 1)

    def delete(self, dims):
        """The layout without the tensor axes ``dims``."""
        dropped = {d % self.rank for d in dims}
        return Layout([s for i, s in enumerate(self._specs) if i not in dropped], self._mesh)

    @property
    def sharding_specs(self):
        return list(self._specs)

    @property
    def mesh(self):
        return self._mesh

    @property
    def rank(self):
        return len(self._specs)

    @property
    def shape(self):
        """The mesh's shape (as TF's ``Layout.shape``)."""
        return self._mesh.shape()

    def shards(self):
        """The number of shards along each tensor axis."""
        return [self.num_shards(i) for i in range(self.rank)]

    def num_shards(self, idx):
        s = self._specs[idx]
        return 1 if s in (UNSHARDED, MATCH) else self._mesh.dim_size(s)

    def is_fully_replicated(self):
        return all(s == UNSHARDED for s in self._specs)

    def is_batch_parallel(self):
        return not self.is_fully_replicated() and all(s == UNSHARDED for s in self._specs[1:])

    def is_single_device(self):
        return False

    def to_string(self):
        specs = "".join(s + "," for s in self._specs)
        return f"sharding_specs:{specs} mesh:{self._mesh.to_string()}"

    @classmethod
    def from_string(cls, layout_str):
        head, sep, mesh_text = layout_str.partition(" mesh:")
        if not head.startswith("sharding_specs:") or not sep:
            raise ValueError(f"Invalid layout string: {layout_str}")
        specs = head[len("sharding_specs:"):]
        return cls([s for s in specs.split(",") if s], Mesh.from_string(mesh_text))

    def __repr__(self):
        return f"Layout.from_string({self.to_string()})"

    __str__ = __repr__

    def __eq__(self, other):
        return isinstance(other, Layout) and self.to_string() == other.to_string()

    def __hash__(self):
        return hash(self.to_string())

    # --- placement -----------------------------------------------------------------------------
    def local_shape_from_global_shape(self, global_shape):
        return tuple(d // n for d, n in zip(global_shape, self.shards()))

    def global_shape_from_local_shape(self, local_shape):
        return tuple(d * n for d, n in zip(local_shape, self.shards()))

    def offset_to_shard(self):
        """Per device, the shard index along each tensor axis."""
        names = self._mesh.dim_names
        return [tuple(0 if s in (UNSHARDED, MATCH) else int(c[names.index(s)])
                      for s in self._specs) for c in self._mesh.coordinates()]

    def offset_tuple_to_global_index(self, offset_tuple):
        """The index of a tuple of per-axis shard indices, the last axis fastest."""
        index = 0
        for i, n in zip(offset_tuple, self.shards()):
            index = index * n + int(i)
        return index

    def shard_slices(self, global_shape):
        """Per local device, the slices of the global value it holds."""
        names = self._mesh.dim_names
        out = []
        for coords in self._mesh.coordinates():
            index = []
            for size, spec in zip(global_shape, self._specs):
                if spec in (UNSHARDED, MATCH):
                    index.append(slice(None))
                    continue
                n = self._mesh.dim_size(spec)
                step = size // n
                c = coords[names.index(spec)]
                index.append(slice(c * step, (c + 1) * step))
            out.append(tuple(index))
        return out

    def _place(self, tensor):
        """``tensor`` (a DTensor or a plain one) as a DTensor of this layout: the ``layout=``
        argument of ``tf.ones`` and its kind."""
        from .api import place
        return place(tensor, self)
