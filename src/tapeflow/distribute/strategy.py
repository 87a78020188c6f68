"""``tf.distribute``'s strategies in one process: the default strategy and the ones a TF
program names (``MirroredStrategy``, ``OneDeviceStrategy``, ``MultiWorkerMirroredStrategy``,
``experimental.CentralStorageStrategy``), with TF's contexts, distributed datasets and values.

A TF program written for a strategy runs unchanged: ``scope()`` decides where variables live,
``run`` calls the step in a replica context, ``reduce`` combines the replicas' results,
``experimental_distribute_dataset`` hands each replica its share of every batch. On a machine
without accelerators TF gives these strategies one replica, on the CPU, and so does tapeflow:
every replica-level operation is then the identity (an all-reduce of one value is that value),
and Keras's ``fit`` inside a scope trains as it does outside.

A ``MirroredStrategy`` given several devices (``devices=["cpu:0", "cpu:1"]``) has a replica
each: ``run`` calls the function once a replica, one after another, and returns ``PerReplica``
values (printed as TF prints them) that ``reduce``, ``gather`` and
``experimental_local_results`` take; a distributed dataset gives each replica its part of every
batch; a ``tf.random.Generator`` made in the scope or in a replica is mirrored as TF's (each
replica its own stream, ops/random_ops.py). What needs the replicas to run at once is not here:
``ReplicaContext.all_reduce`` over several replicas raises, and a variable is one copy that
every replica updates (an optimizer step inside ``run`` applies once a replica). Data
parallelism over processes is ``tapeflow.horovod``; a ``TF_CONFIG`` naming several workers is
refused with a pointer to it.
"""

import contextlib
import enum
import json
import os

import numpy as np

from ..framework import dtypes, nest, replica
from ..framework import variable as _variable
from ..framework.tensor import constant, convert_to_tensor
from ..framework.variable import ResourceVariable

_DEVICE = "/job:localhost/replica:0/task:0/device:"
CPU = _DEVICE + "CPU:0"


class ReduceOp(enum.Enum):
    """How the replicas' values combine: their sum, or their mean."""

    SUM = "SUM"
    MEAN = "MEAN"


def _reduce_op(op):
    return op if isinstance(op, ReduceOp) else ReduceOp(op)


def _horovod_instead(what):
    return NotImplementedError(
        f"{what}: tapeflow runs one process per worker. For data-parallel training over "
        "several processes or machines use tapeflow.horovod (DistributedGradientTape, "
        "DistributedOptimizer) under mpiexec or tapeflowrun.")


def _device_name(device):
    """A device's full name: ``cpu:1``, ``/device:CPU:1`` and ``/job:…/device:CPU:1`` alike."""
    last = str(device).rsplit("/", 1)[-1]
    kind, _, index = last.removeprefix("device:").partition(":")
    return f"{_DEVICE}{kind.upper()}:{index or 0}"


class DistributedValues:
    """A value per replica, in replica order (``values``)."""

    def __init__(self, values):
        self._values = tuple(values)

    @property
    def values(self):
        return self._values

    def __repr__(self):
        return _text(self, repr)

    def __str__(self):
        return _text(self, str)


def _text(distributed, show):
    """TF's print of a value per replica: ``PerReplica:{\n  0: ...,\n  1: ...\n}``."""
    rows = ",\n".join(f"  {i}: {show(v)}" for i, v in enumerate(distributed.values))
    return f"{type(distributed).__name__}:{{\n{rows}\n}}"


class PerReplica(DistributedValues):
    pass


class MirroredVariable(ResourceVariable):
    """A variable kept equal on every replica (TF's ``MirroredVariable``): here one storage,
    which every replica's copy in ``values`` reads and writes."""

    __slots__ = ("_replicas",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._replicas = get_strategy().num_replicas_in_sync  # made in its scope

    @property
    def values(self):
        """The replicas' copies, plain variables over the same storage, named as TF names
        them (``w:0``, ``w/replica_1:0``, ...)."""
        base = self._name.rpartition(":")[0]
        copies = []
        for i in range(self._replicas):
            copy = object.__new__(ResourceVariable)
            copy._handle = self._handle
            copy._name = self._name if i == 0 else f"{base}/replica_{i}:0"
            copies.append(copy)
        return tuple(copies)

    def __repr__(self):
        return _text(self, repr)

    def __str__(self):
        return _text(self, str)


def _per_replica(parts):
    """One structure of ``PerReplica`` values from the replicas' structures of values."""
    flat = [nest.flatten(p) for p in parts]
    return nest.pack_sequence_as(parts[0], [PerReplica(v) for v in zip(*flat)])


def _replica_value(value, i):
    """Replica ``i``'s part of ``value`` (a value that is not distributed is every replica's)."""
    if isinstance(value, DistributedValues | MirroredVariable):
        return value.values[i]
    return value


class InputContext:
    """What a ``dataset_fn`` of ``distribute_datasets_from_function`` is told about its
    input pipeline."""

    def __init__(self, num_input_pipelines=1, input_pipeline_id=0, num_replicas_in_sync=1):
        self._pipelines, self._id = num_input_pipelines, input_pipeline_id
        self._replicas = num_replicas_in_sync

    @property
    def num_input_pipelines(self):
        return self._pipelines

    @property
    def input_pipeline_id(self):
        return self._id

    @property
    def num_replicas_in_sync(self):
        return self._replicas

    def get_per_replica_batch_size(self, global_batch_size):
        if global_batch_size % self._replicas != 0:
            raise ValueError(f"The `global_batch_size` {global_batch_size} is not divisible by "
                             f"`num_replicas_in_sync` {self._replicas} ")
        return global_batch_size // self._replicas

    def __str__(self):
        return (f"tf.distribute.InputContext(input pipeline id {self._id}, total: "
                f"{self._pipelines})")


class ValueContext:
    """What a ``value_fn`` of ``experimental_distribute_values_from_function`` is told."""

    def __init__(self, replica_id_in_sync_group=0, num_replicas_in_sync=1):
        self._id, self._replicas = replica_id_in_sync_group, num_replicas_in_sync

    @property
    def replica_id_in_sync_group(self):
        return self._id

    @property
    def num_replicas_in_sync(self):
        return self._replicas

    def __str__(self):
        return (f"tf.distribute.ValueContext(replica id {self._id},  total replicas in sync: "
                f"{self._replicas})")


class InputOptions:
    """Options of ``experimental_distribute_dataset`` (kept; replicas on the host have no use
    for them)."""

    def __init__(self, experimental_fetch_to_device=None, experimental_replication_mode=None,
                 experimental_place_dataset_on_device=False,
                 experimental_per_replica_buffer_size=1):
        self.experimental_fetch_to_device = experimental_fetch_to_device
        self.experimental_replication_mode = experimental_replication_mode
        self.experimental_place_dataset_on_device = experimental_place_dataset_on_device
        self.experimental_per_replica_buffer_size = experimental_per_replica_buffer_size


@contextlib.contextmanager
def _state(**changes):
    """``replica.STATE`` changed for the block (the run counter only ever counts on)."""
    saved = {key: replica.STATE[key] for key in changes}
    replica.STATE.update(changes)
    try:
        yield
    finally:
        replica.STATE.update(saved)


class ReplicaContext:
    """The context ``strategy.run`` calls its function in (``get_replica_context()``)."""

    def __init__(self, strategy, replica_id_in_sync_group=0):
        self._strategy, self._id = strategy, replica_id_in_sync_group

    @property
    def strategy(self):
        return self._strategy

    @property
    def num_replicas_in_sync(self):
        return self._strategy.num_replicas_in_sync

    @property
    def replica_id_in_sync_group(self):
        return constant(self._id, dtypes.int32)

    def _one_replica(self, what):
        if self.num_replicas_in_sync > 1:
            raise NotImplementedError(
                f"tapeflow's MirroredStrategy runs the replicas one after another: "
                f"ReplicaContext.{what} over {self.num_replicas_in_sync} replicas is not "
                "available.")

    def all_reduce(self, reduce_op, value, options=None):
        """Every replica's ``value`` (a nest of tensors) summed or averaged: with one replica,
        the value itself."""
        _reduce_op(reduce_op)
        self._one_replica("all_reduce")
        return nest.map_structure(convert_to_tensor, value)

    def all_gather(self, value, axis, options=None):
        self._one_replica("all_gather")
        return nest.map_structure(convert_to_tensor, value)

    def merge_call(self, merge_fn, args=(), kwargs=None):
        """Call ``merge_fn(strategy, *args, **kwargs)`` in the cross-replica context."""
        self._one_replica("merge_call")
        with _state(replica=None):
            return merge_fn(self._strategy, *args, **(kwargs or {}))


class DistributedIterator:
    """An iterator over a distributed dataset: each element is every replica's share of one
    batch (with one replica, the batch)."""

    def __init__(self, dataset, replicas, split):
        self._dataset, self._replicas, self._split = dataset, replicas, split
        self._it = iter(dataset)

    def __iter__(self):
        return self

    def __next__(self):
        if self._replicas == 1:
            return next(self._it)
        if self._split:  # one global batch, its rows shared out in order
            return _split_batch(next(self._it), self._replicas)
        parts = [next(self._it)]  # a batch a replica; once the data ends, empty ones
        for _ in range(self._replicas - 1):
            try:
                parts.append(next(self._it))
            except StopIteration:
                parts.append(nest.map_structure(lambda t: t[:0], parts[0]))
        return _per_replica(parts)

    get_next = __next__

    def get_next_as_optional(self):
        return self._it.get_next_as_optional()

    @property
    def element_spec(self):
        return self._dataset.element_spec


def _split_batch(batch, replicas):
    """A batch's rows cut into ``replicas`` consecutive parts (the first ones a row longer where
    they do not divide), as TF's rebatching does."""
    from ..ops.manip_ops import split

    def cut(t):
        t = convert_to_tensor(t)
        rows = int(t.shape[0])
        sizes = [len(part) for part in np.array_split(np.arange(rows), replicas)]
        return PerReplica(split(t, sizes, axis=0))
    return nest.map_structure(cut, batch)


class DistributedDataset:
    """A dataset whose batches are shared among the replicas."""

    def __init__(self, dataset, replicas=1, split=True):
        self._dataset, self._replicas, self._split = dataset, replicas, split

    def __iter__(self):
        return DistributedIterator(self._dataset, self._replicas, self._split)

    @property
    def element_spec(self):
        return self._dataset.element_spec

    def reduce(self, initial_state, reduce_func):
        state = initial_state
        for element in self:
            state = reduce_func(state, element)
        return state


class StrategyExtended:
    """``strategy.extended``: the devices, and how updates reach them."""

    def __init__(self, devices):
        self._devices = tuple(devices)

    @property
    def worker_devices(self):
        return self._devices

    @property
    def parameter_devices(self):
        return self._devices

    @property
    def experimental_require_static_shapes(self):
        return False

    @contextlib.contextmanager
    def colocate_vars_with(self, colocate_with_variable):
        yield

    def update(self, var, fn, args=(), kwargs=None, group=True):
        """``fn(var, *args)``: the update of the variable's one storage."""
        return fn(var, *[_replica_value(a, 0) for a in args], **(kwargs or {}))

    def value_container(self, value):
        return value


class Strategy:
    """What every strategy does (``tf.distribute.Strategy``)."""

    _variable_class = ResourceVariable  # what tf.Variable makes in this strategy's scope

    def __init__(self, devices=(CPU,)):
        names = tuple(_device_name(d) for d in devices)
        if len(set(names)) != len(names):
            raise ValueError(f"No duplicates allowed in `devices` argument: {list(devices)}")
        self._extended = StrategyExtended(names)

    @property
    def extended(self):
        return self._extended

    @property
    def num_replicas_in_sync(self):
        return len(self._extended.worker_devices)

    @property
    def cluster_resolver(self):
        return None

    @contextlib.contextmanager
    def scope(self):
        """Variables made inside are this strategy's; ``get_strategy()`` returns it."""
        current = replica.current_strategy()
        if current is not None and current is not self:
            raise RuntimeError("Mixing different tf.distribute.Strategy objects: "
                               f"{current} is not {self}")
        made = _variable.variable_class
        _variable.variable_class = self._variable_class
        try:
            with _state(strategy=self, replica=None):
                yield self
        finally:
            _variable.variable_class = made

    def run(self, fn, args=(), kwargs=None, options=None):
        """``fn(*args, **kwargs)`` once a replica, in its replica context, each with its part
        of distributed arguments; several replicas' results come back as ``PerReplica``."""
        kwargs = kwargs or {}
        results = []
        replica.STATE["run"] += 1  # a run's number: a mirrored Generator starts each replica
        for i in range(self.num_replicas_in_sync):  # from the state the run found
            part = nest.map_structure(lambda v, i=i: _replica_value(v, i), (args, kwargs))
            with _state(strategy=self, replica=i):
                results.append(fn(*part[0], **part[1]))
        if len(results) == 1 or all(r is None for r in results):
            return results[0]
        return _per_replica(results)

    def reduce(self, reduce_op, value, axis):
        """The replicas' ``value`` combined by ``reduce_op``; with ``axis`` also reduced along
        that axis of each (so a MEAN is the mean over every replica's examples)."""
        from ..ops import array_ops, math_ops, reduction_ops
        op = _reduce_op(reduce_op)
        if not isinstance(value, DistributedValues | MirroredVariable):
            if self.num_replicas_in_sync > 1:  # every replica's: its mean
                if op is ReduceOp.SUM:
                    raise ValueError(f"A non-DistributedValues value {value!s} cannot be "
                                     "reduced with the given reduce op ReduceOp.SUM.")
                return value
            if axis is None:
                return self._reduce_one(op, value)
            values = (value,)
        else:
            values = value.values
        if axis is None:
            total, count = math_ops.add_n([convert_to_tensor(v) for v in values]), len(values)
        else:
            values = [convert_to_tensor(v) for v in values]
            total = math_ops.add_n([reduction_ops.reduce_sum(v, axis) for v in values])
            count = sum(int(v.shape[axis]) for v in values)
        if op is ReduceOp.SUM:
            return total
        return total / array_ops.cast(count, total.dtype)

    def _reduce_one(self, op, value):
        # one replica's plain value: a mirrored SUM makes it a tensor, a MEAN leaves it as given
        return convert_to_tensor(value) if op is ReduceOp.SUM else value

    def experimental_distribute_dataset(self, dataset, options=None):
        """Each replica's part of every batch (its rows, in order)."""
        return DistributedDataset(dataset, self.num_replicas_in_sync)

    def distribute_datasets_from_function(self, dataset_fn, options=None):
        """``dataset_fn``'s dataset (one input pipeline), a batch a replica in turn."""
        context = InputContext(1, 0, self.num_replicas_in_sync)
        return DistributedDataset(dataset_fn(context), self.num_replicas_in_sync, split=False)

    def experimental_distribute_values_from_function(self, value_fn):
        n = self.num_replicas_in_sync
        return _per_replica([value_fn(ValueContext(i, n)) for i in range(n)])

    def experimental_local_results(self, value):
        """Every replica's part of ``value``, as a tuple."""
        if isinstance(value, DistributedValues | MirroredVariable):
            return value.values
        return (value,)

    def gather(self, value, axis):
        """The replicas' values concatenated along ``axis``."""
        from ..ops.manip_ops import concat
        values = [convert_to_tensor(v) for v in self.experimental_local_results(value)]
        return values[0] if len(values) == 1 else concat(values, axis)


class _DefaultDistributionStrategy(Strategy):
    """The strategy in effect outside every scope: one replica, no distribution."""

    def _reduce_one(self, op, value):
        return value


class MirroredStrategy(Strategy):
    """Synchronous training on the devices of one machine: by default one replica, on the CPU;
    one a device when devices are given."""

    _variable_class = MirroredVariable

    def __init__(self, devices=None, cross_device_ops=None):
        super().__init__(devices or (CPU,))
        self._cross_device_ops = cross_device_ops


class OneDeviceStrategy(Strategy):
    """Everything on one device."""

    def __init__(self, device):
        super().__init__([device])


class MultiWorkerMirroredStrategy(MirroredStrategy):
    """Synchronous training on several workers; one worker here (a ``TF_CONFIG`` naming more is
    refused: see tapeflow.horovod)."""

    def __init__(self, cluster_resolver=None, communication_options=None):
        config = json.loads(os.environ.get("TF_CONFIG") or "{}")
        workers = config.get("cluster", {}).get("worker", [])
        if cluster_resolver is not None or len(workers) > 1:
            raise _horovod_instead("MultiWorkerMirroredStrategy over several workers")
        super().__init__()
        self._communication_options = communication_options


class CentralStorageStrategy(Strategy):
    """Variables on one device, computation mirrored (``tf.distribute.experimental``); one
    replica here."""

    def __init__(self, compute_devices=None, parameter_device=None):
        if compute_devices is not None and len(compute_devices) > 1:
            raise NotImplementedError(
                f"CentralStorageStrategy(compute_devices={list(compute_devices)}): tapeflow's "
                "central storage strategy has one replica")
        super().__init__()


class TPUStrategy(Strategy):
    def __init__(self, tpu_cluster_resolver=None, experimental_device_assignment=None,
                 experimental_spmd_xla_partitioning=False):
        raise ValueError("Please provide a TPU Name to connect to.")


class ParameterServerStrategy(Strategy):
    def __init__(self, cluster_resolver, variable_partitioner=None):
        raise _horovod_instead("ParameterServerStrategy")


_DEFAULT = _DefaultDistributionStrategy()


def get_strategy():
    """The strategy whose scope is entered (or whose replica runs), else the default one."""
    return replica.current_strategy() or _DEFAULT


def has_strategy():
    return replica.current_strategy() is not None


def experimental_set_strategy(strategy):
    """Enter ``strategy``'s scope for good (None: leave the one set so)."""
    global _set
    if _set is not None:
        _set.__exit__(None, None, None)
        _set = None
    if strategy is not None:
        _set = strategy.scope()
        _set.__enter__()


_set = None


def get_replica_context():
    """The replica context of the ``strategy.run`` under way, None in a strategy's
    cross-replica context (inside its scope, outside ``run``), else the default one."""
    strategy = replica.current_strategy()
    if strategy is None:
        return ReplicaContext(_DEFAULT, 0)
    if replica.STATE["replica"] is None:
        return None
    return ReplicaContext(strategy, replica.STATE["replica"])


def in_cross_replica_context():
    return replica.current_strategy() is not None and replica.STATE["replica"] is None


def get_loss_reduction():
    return ReduceOp.SUM if has_strategy() else ReduceOp.MEAN


class CrossDeviceOps:
    """How replicas' values are combined."""

    def reduce(self, reduce_op, per_replica_value, destinations, options=None):
        return _DEFAULT.reduce(reduce_op, per_replica_value, None)


class ReductionToOneDevice(CrossDeviceOps):
    def __init__(self, reduce_to_device=None, accumulation_fn=None):
        self.reduce_to_device, self.accumulation_fn = reduce_to_device, accumulation_fn


class _AllReduce(CrossDeviceOps):
    def __init__(self, num_packs=1):
        self.num_packs = num_packs


class NcclAllReduce(_AllReduce):
    pass


class HierarchicalCopyAllReduce(_AllReduce):
    pass


class CommunicationImplementation(enum.Enum):
    AUTO = "AUTO"
    RING = "RING"
    NCCL = "NCCL"


class CommunicationOptions:
    def __init__(self, bytes_per_pack=0, timeout_seconds=None,
                 implementation=CommunicationImplementation.AUTO):
        self.bytes_per_pack, self.timeout_seconds = bytes_per_pack, timeout_seconds
        self.implementation = implementation
