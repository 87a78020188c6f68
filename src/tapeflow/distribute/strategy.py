"""``tf.distribute`` strategies on one replica: the default strategy and the ones a TF program
names (``MirroredStrategy``, ``OneDeviceStrategy``, ``MultiWorkerMirroredStrategy``,
``experimental.CentralStorageStrategy``), with TF's contexts, distributed datasets and values.

A TF program written for a strategy runs unchanged: ``scope()`` decides where variables live,
``run`` calls the step in a replica context, ``reduce`` combines the replicas' results,
``experimental_distribute_dataset`` hands each replica its share of every batch. On a machine
without accelerators TF gives these strategies one replica, on the CPU, and so does tapeflow:
every replica-level operation is then the identity (an all-reduce of one value is that value),
and Keras's ``fit`` inside a scope trains as it does outside. More than one replica in one
process (``MirroredStrategy(devices=[...])`` with several devices, a ``TF_CONFIG`` naming
several workers) is refused with a clear error: tapeflow's data parallelism runs one process per
replica, through ``tapeflow.horovod`` over MPI.
"""

import contextlib
import enum
import json
import os
import threading

from ..framework import variable as _variable
from ..framework import dtypes
from ..framework.tensor import constant, convert_to_tensor
from ..framework.variable import ResourceVariable
from ..framework import nest

CPU = "/job:localhost/replica:0/task:0/device:CPU:0"


class ReduceOp(enum.Enum):
    """How the replicas' values combine: their sum, or their mean."""

    SUM = "SUM"
    MEAN = "MEAN"


class _Stack(threading.local):
    def __init__(self):
        self.scopes = []    # the strategies whose scope() is entered, innermost last
        self.replica = []   # replica contexts of the strategy.run calls under way


_stack = _Stack()


def _one_replica_only(what):
    return NotImplementedError(
        f"{what}: tapeflow runs one replica per process. For data-parallel training over "
        "several processes or machines use tapeflow.horovod (DistributedGradientTape, "
        "DistributedOptimizer) under mpiexec or tapeflowrun.")


def _canonical_device(name):
    """``'/cpu:0'`` -> ``'/job:localhost/replica:0/task:0/device:CPU:0'``, as TF names it."""
    kind, _, index = str(name).strip("/").rpartition("/")[2].partition(":")
    kind = kind.replace("device", "").strip(":").upper() or "CPU"
    return f"/job:localhost/replica:0/task:0/device:{kind}:{index or 0}"


class DistributedValues:
    """A value per replica (here one): ``values`` holds them in replica order."""

    _kind = "DistributedValues"

    def __init__(self, values):
        self._values = tuple(values)

    @property
    def values(self):
        return self._values

    def __repr__(self):
        items = "".join(f"  {i}: {v!r}\n" for i, v in enumerate(self._values))
        return f"{self._kind}:{{\n{items}}}"


class PerReplica(DistributedValues):
    _kind = "PerReplica"


class MirroredVariable(ResourceVariable):
    """A variable kept equal on every replica (TF's ``MirroredVariable``); with one replica it
    is the variable itself, printed as TF prints a mirrored one."""

    __slots__ = ()

    @property
    def values(self):
        """The replicas' copies: one, a plain variable over the same storage."""
        copy = object.__new__(ResourceVariable)
        copy._handle, copy._name = self._handle, self._name
        return (copy,)

    def __repr__(self):
        return f"MirroredVariable:{{\n  0: {ResourceVariable.__repr__(self)}\n}}"

    __str__ = __repr__


def _local(value):
    """The one replica's value of a distributed value (any other value is its own)."""
    if isinstance(value, DistributedValues | MirroredVariable):
        return value.values[0]
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
    """Options of ``experimental_distribute_dataset`` (kept; one replica on the host has no
    use for them)."""

    def __init__(self, experimental_fetch_to_device=None, experimental_replication_mode=None,
                 experimental_place_dataset_on_device=False,
                 experimental_per_replica_buffer_size=1):
        self.experimental_fetch_to_device = experimental_fetch_to_device
        self.experimental_replication_mode = experimental_replication_mode
        self.experimental_place_dataset_on_device = experimental_place_dataset_on_device
        self.experimental_per_replica_buffer_size = experimental_per_replica_buffer_size


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

    def all_reduce(self, reduce_op, value, options=None):
        """Every replica's ``value`` (a nest of tensors) summed or averaged: with one replica,
        the value itself."""
        _reduce_op(reduce_op)
        return nest.map_structure(convert_to_tensor, value)

    def all_gather(self, value, axis, options=None):
        return nest.map_structure(convert_to_tensor, value)

    def merge_call(self, merge_fn, args=(), kwargs=None):
        """Call ``merge_fn(strategy, *args, **kwargs)`` in the cross-replica context."""
        _stack.replica.append(None)
        try:
            return merge_fn(self._strategy, *args, **(kwargs or {}))
        finally:
            _stack.replica.pop()


def _reduce_op(op):
    return op if isinstance(op, ReduceOp) else ReduceOp(op)


class DistributedIterator:
    """An iterator over a distributed dataset: each element is every replica's share of one
    batch (with one replica, the batch)."""

    def __init__(self, dataset):
        self._dataset = dataset
        self._it = iter(dataset)

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._it)

    def get_next(self):
        return next(self._it)

    def get_next_as_optional(self):
        return self._it.get_next_as_optional()

    @property
    def element_spec(self):
        return self._dataset.element_spec


class DistributedDataset:
    """A dataset whose batches are split among the replicas (one here: each batch whole)."""

    def __init__(self, dataset):
        self._dataset = dataset

    def __iter__(self):
        return DistributedIterator(self._dataset)

    @property
    def element_spec(self):
        return self._dataset.element_spec

    def reduce(self, initial_state, reduce_func):
        state = initial_state
        for element in self._dataset:
            state = reduce_func(state, element)
        return state


class StrategyExtended:
    """``strategy.extended``: the devices, and where variables are made."""

    def __init__(self, strategy, devices):
        self._strategy = strategy
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
        """``fn(var, *args)``: the update every replica's copy gets (one copy here)."""
        return fn(var, *map(_local, args), **(kwargs or {}))

    def value_container(self, value):
        return value


class Strategy:
    """What every strategy does (``tf.distribute.Strategy``); one replica."""

    _variable_class = ResourceVariable  # what tf.Variable makes in this strategy's scope

    def __init__(self, devices=(CPU,)):
        self._extended = StrategyExtended(self, devices)

    @property
    def extended(self):
        return self._extended

    @property
    def num_replicas_in_sync(self):
        return 1

    @property
    def cluster_resolver(self):
        return None

    @contextlib.contextmanager
    def scope(self):
        """Variables made inside are this strategy's; ``get_strategy()`` returns it."""
        if _stack.scopes and _stack.scopes[-1] is not self:
            raise RuntimeError("Mixing different tf.distribute.Strategy objects: "
                               f"{_stack.scopes[-1]} is not {self}")
        _stack.scopes.append(self)
        made = _variable.variable_class
        _variable.variable_class = self._variable_class
        try:
            yield self
        finally:
            _variable.variable_class = made
            _stack.scopes.pop()

    def run(self, fn, args=(), kwargs=None, options=None):
        """``fn(*args, **kwargs)`` on each replica, in its replica context; a distributed
        argument gives each replica its own value. One replica: its result as it is."""
        args = nest.map_structure(_local, args)
        kwargs = nest.map_structure(_local, kwargs or {})
        _stack.replica.append(ReplicaContext(self))
        try:
            return fn(*args, **kwargs)
        finally:
            _stack.replica.pop()

    def reduce(self, reduce_op, value, axis):
        """The replicas' ``value`` combined by ``reduce_op``; with ``axis`` also reduced along
        that axis of each (so a MEAN is the mean over every replica's examples)."""
        from ..ops import reduction_ops
        op = _reduce_op(reduce_op)
        value = _local(value)
        if axis is None:
            return self._reduce_replicas(op, value)
        reduce = reduction_ops.reduce_sum if op is ReduceOp.SUM else reduction_ops.reduce_mean
        return reduce(value, axis=axis)

    def _reduce_replicas(self, op, value):
        # a mirrored strategy sums one replica's value into a tensor; a mean leaves it as given
        return convert_to_tensor(value) if op is ReduceOp.SUM else value

    def experimental_distribute_dataset(self, dataset, options=None):
        return DistributedDataset(dataset)

    def distribute_datasets_from_function(self, dataset_fn, options=None):
        return DistributedDataset(dataset_fn(InputContext()))

    def experimental_distribute_values_from_function(self, value_fn):
        return nest.map_structure(lambda v: PerReplica([v]), value_fn(ValueContext()))

    def experimental_local_results(self, value):
        """Every replica's part of ``value``, as a tuple."""
        if isinstance(value, DistributedValues | MirroredVariable):
            return value.values
        return (value,)

    def gather(self, value, axis):
        """The replicas' values concatenated along ``axis`` (one replica: its value)."""
        return convert_to_tensor(_local(value))


class _DefaultDistributionStrategy(Strategy):
    """The strategy in effect outside every scope: one replica, no distribution."""

    def _reduce_replicas(self, op, value):
        return value


class MirroredStrategy(Strategy):
    """Synchronous training on the devices of one machine (here: one replica, on the CPU)."""

    _variable_class = MirroredVariable

    def __init__(self, devices=None, cross_device_ops=None):
        if devices is not None and len(devices) > 1:
            raise _one_replica_only(f"MirroredStrategy(devices={list(devices)})")
        super().__init__([_canonical_device(devices[0])] if devices else [CPU])
        self._cross_device_ops = cross_device_ops


class OneDeviceStrategy(Strategy):
    """Everything on one device."""

    def __init__(self, device):
        super().__init__([_canonical_device(device)])


class MultiWorkerMirroredStrategy(MirroredStrategy):
    """Synchronous training on several workers; one worker here (a ``TF_CONFIG`` naming more is
    refused: see tapeflow.horovod)."""

    def __init__(self, cluster_resolver=None, communication_options=None):
        config = json.loads(os.environ.get("TF_CONFIG") or "{}")
        workers = config.get("cluster", {}).get("worker", [])
        if cluster_resolver is not None or len(workers) > 1:
            raise _one_replica_only("MultiWorkerMirroredStrategy over several workers")
        super().__init__()
        self._communication_options = communication_options


class CentralStorageStrategy(Strategy):
    """Variables on one device, computation mirrored (``tf.distribute.experimental``)."""

    def __init__(self, compute_devices=None, parameter_device=None):
        if compute_devices is not None and len(compute_devices) > 1:
            raise _one_replica_only(f"CentralStorageStrategy(compute_devices="
                                    f"{list(compute_devices)})")
        super().__init__()


class TPUStrategy(Strategy):
    def __init__(self, tpu_cluster_resolver=None, experimental_device_assignment=None,
                 experimental_spmd_xla_partitioning=False):
        raise ValueError("Please provide a TPU Name to connect to.")


class ParameterServerStrategy(Strategy):
    def __init__(self, cluster_resolver, variable_partitioner=None):
        raise _one_replica_only("ParameterServerStrategy")


_DEFAULT = _DefaultDistributionStrategy()
_DEFAULT_REPLICA = ReplicaContext(_DEFAULT)


def get_strategy():
    """The strategy whose scope is entered, else the default strategy."""
    return _stack.scopes[-1] if _stack.scopes else _DEFAULT


def has_strategy():
    return bool(_stack.scopes)


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
    if _stack.replica:
        return _stack.replica[-1]
    return None if _stack.scopes else _DEFAULT_REPLICA


def in_cross_replica_context():
    return get_replica_context() is None


def get_loss_reduction():
    return ReduceOp.SUM if has_strategy() else ReduceOp.MEAN


class CrossDeviceOps:
    """How replicas' values are combined (kept: one replica combines nothing)."""

    def reduce(self, reduce_op, per_replica_value, destinations, options=None):
        return _local(per_replica_value)


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
