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
each: ``run`` runs the function on every replica, each in a thread of its own that takes its
turn (replicas.py), so that the replicas can meet: ``ReplicaContext.merge_call``,
``all_reduce``, ``all_gather``, ``extended.update`` and a mirrored variable's update in a
replica combine every replica's value, as TF's do. ``run`` returns ``PerReplica`` values
(printed as TF prints them) that ``reduce``, ``gather`` and ``experimental_local_results``
take; a distributed dataset gives each replica its part of every batch; a
``tf.random.Generator`` made in the scope or in a replica is mirrored as TF's (each replica its
own stream, ops/random_ops.py). A mirrored variable is one storage that every replica's copy
reads: what TF keeps equal on every device is here kept once. Data parallelism over processes
is ``tapeflow.horovod``; a ``TF_CONFIG`` naming several workers is refused with a pointer to it.
"""

import contextlib
import enum
import json
import os

import numpy as np

from ..framework import context, dtypes, nest, replica
from ..framework import variable as _variable
from ..framework.tensor import Tensor, constant, convert_to_tensor
from ..framework.variable import ResourceVariable
from . import replicas as _replicas

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


class Mirrored(DistributedValues):
    """Values equal on every replica (what ``extended.reduce_to`` gives)."""


def regroup(structures):
    """The replicas' structures of values as one structure of ``PerReplica`` values (a leaf
    that is the same object on every replica stays that object)."""
    return _replicas.regroup_structures(structures, PerReplica)


def select_replica(i, structure):
    """Replica ``i``'s part of a structure of values (what is not distributed is everyone's)."""
    return nest.map_structure(lambda v: v.values[i] if isinstance(v, DistributedValues) else v,
                              structure)


class MirroredVariable(ResourceVariable):
    """A variable kept equal on every replica (TF's ``MirroredVariable``): here one storage,
    which every replica's copy in ``values`` reads and writes.

    Updated in a replica (inside ``strategy.run`` over several replicas), it combines the
    replicas' values as its ``aggregation`` says, as TF's does: SUM and MEAN update it once by
    the replicas' sum or mean, ONLY_FIRST_REPLICA by the first replica's value; with NONE each
    replica updates a copy of its own for the rest of the run (replicas.py), and the storage
    keeps the first replica's."""

    __slots__ = ("_replicas", "_aggregation")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._replicas = get_strategy().num_replicas_in_sync  # made in its scope
        aggregation = kwargs.get("aggregation")
        self._aggregation = getattr(aggregation, "name", str(aggregation).upper())

    @property
    def aggregation(self):
        from ..ops.framework_api import VariableAggregation
        return VariableAggregation[self._aggregation]

    def assign(self, value, use_locking=None, name=None, read_value=True):
        return self._update_in_replica(ResourceVariable.assign, value, read_value)

    def assign_add(self, delta, use_locking=None, name=None, read_value=True):
        return self._update_in_replica(ResourceVariable.assign_add, delta, read_value)

    def assign_sub(self, delta, use_locking=None, name=None, read_value=True):
        return self._update_in_replica(ResourceVariable.assign_sub, delta, read_value)

    def _update_in_replica(self, method, value, read_value):
        ctx = get_replica_context()
        if ctx is None or ctx.num_replicas_in_sync == 1 or _replicas.current() is None:
            return method(self, value, read_value=read_value)
        kind = self._aggregation
        if kind == "NONE":  # each replica its own copy, as TF
            if replica.own_copy(self):
                return self.read_value() if read_value else None
            return method(self, value, read_value=read_value)

        def merge_fn(strategy, values):
            values = _local(strategy, values)
            one = values[0] if kind == "ONLY_FIRST_REPLICA" else _reduce_values(
                ReduceOp(kind), values)
            return method(self, one, read_value=read_value)
        return ctx.merge_call(merge_fn, args=(convert_to_tensor(value, self.dtype),))

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

    def _check(self):
        """TF's error where this context is used outside its replica (after its run, or in
        another strategy's scope)."""
        current = get_strategy()
        if current is not self._strategy:
            raise RuntimeError(f"Mismatching tf.distribute.Strategy objects: {current} is not "
                               f"{self._strategy}")

    def _several(self):
        """Whether this replica runs in a thread beside the others (several replicas)."""
        self._check()
        return self.num_replicas_in_sync > 1 and _replicas.current() is not None

    def all_reduce(self, reduce_op, value, options=None):
        """Every replica's ``value`` (a nest of tensors and ``IndexedSlices``) summed or
        averaged; each replica gets the result (with one replica, the value itself)."""
        op = _reduce_op(reduce_op)
        flat = [_tensor_or_slices(v) for v in nest.flatten(value)]
        if not self._several():
            return nest.pack_sequence_as(value, flat)

        def merge_fn(strategy, flat):
            return [_mirror(_reduce_values(op, _local(strategy, v))) for v in flat]

        def reduce(flat):
            return self.merge_call(merge_fn, args=(list(flat),))
        if context.state.stack and all(_differentiable(v) for v in flat):
            from ..engine.custom_gradient import custom_gradient

            @custom_gradient
            def all_reduce(*xs):  # TF's gradient: the upstream gradients reduced alike
                return reduce(xs), lambda *dys: reduce(dys)
            return nest.pack_sequence_as(value, all_reduce(*flat))
        return nest.pack_sequence_as(value, reduce(flat))

    def all_gather(self, value, axis, options=None):
        """Every replica's ``value`` (a nest of tensors) concatenated along ``axis``, in replica
        order; each replica gets the result."""
        from ..ops.manip_ops import concat
        flat = [convert_to_tensor(v) for v in nest.flatten(value)]
        if not self._several():
            return nest.pack_sequence_as(value, flat)

        def merge_fn(strategy, flat):
            return [_mirror(concat(list(_local(strategy, v)), axis)) for v in flat]
        return nest.pack_sequence_as(value, self.merge_call(merge_fn, args=(flat,)))

    def merge_call(self, merge_fn, args=(), kwargs=None):
        """``merge_fn(strategy, *args, **kwargs)`` called once, in the cross-replica context,
        with every replica's arguments as ``PerReplica`` values (an argument that is the same
        object on every replica stays itself); each replica gets its part of the result."""
        kwargs = kwargs or {}
        if self._several():
            return _replicas.merge_call(merge_fn, args, kwargs)
        with _state(replica=None):
            return merge_fn(self._strategy, *args, **kwargs)


def _tensor_or_slices(value):
    from ..ops.index_ops import IndexedSlices
    return value if isinstance(value, IndexedSlices) else convert_to_tensor(value)


def _differentiable(value):
    return isinstance(value, Tensor) and value.dtype.is_floating


def _local(strategy, value):
    """Every replica's part of a merged argument (one that is the same object on every
    replica: that object once a replica)."""
    if isinstance(value, DistributedValues):
        return value.values
    return (value,) * strategy.num_replicas_in_sync


def _mirror(value):
    """``value`` for every replica, each its own tensor (as TF gives each device a copy)."""
    from ..ops.math_ops import identity
    n = get_strategy().num_replicas_in_sync
    return Mirrored([value] + [_copy(value, identity) for _ in range(n - 1)])


def _copy(value, identity):
    from ..ops.index_ops import IndexedSlices
    if isinstance(value, IndexedSlices):
        return IndexedSlices(identity(value.values), value.indices, value.dense_shape)
    return identity(value)


def _reduce_values(op, values):
    """The replicas' ``values`` (tensors, or ``IndexedSlices`` as TF sums them: their rows put
    together) summed or averaged."""
    from ..ops import math_ops
    from ..ops.index_ops import IndexedSlices
    from ..ops.manip_ops import concat
    n = len(values)
    if any(isinstance(v, IndexedSlices) for v in values):
        values = [v if isinstance(v, IndexedSlices) else _as_slices(v) for v in values]
        rows = concat([v.values for v in values], 0)
        if op is ReduceOp.MEAN:
            rows = rows / n
        return IndexedSlices(rows, concat([v.indices for v in values], 0),
                             values[0].dense_shape)
    total = math_ops.add_n([convert_to_tensor(v) for v in values])
    return total if op is ReduceOp.SUM else total / n


def _as_slices(value):
    from ..ops import array_ops, math_ops
    from ..ops.index_ops import IndexedSlices
    value = convert_to_tensor(value)
    shape = array_ops.shape(value)
    return IndexedSlices(value, math_ops.range(shape[0]), shape)


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
        if t is None:
            return None
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
    """``strategy.extended``: the devices, and how values and updates reach them."""

    def __init__(self, devices, strategy=None):
        self._devices = tuple(devices)
        self._strategy = strategy

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
        """``fn(var, *args, **kwargs)``: the update of the variable's one storage, by the
        first replica's part of distributed arguments (in a replica, through ``merge_call``).
        With several replicas, as TF: their results as a tuple (``group=False``) or their
        values as ``Mirrored`` ones."""
        kwargs = kwargs or {}
        ctx = get_replica_context()
        if ctx is not None and self._strategy is not None and ctx._several():
            return ctx.merge_call(lambda s, *a, **k: s.extended.update(var, fn, a, k, group),
                                  args, kwargs)
        result = fn(var, *select_replica(0, tuple(args)), **select_replica(0, kwargs))
        n = len(self._devices)
        if n == 1:
            return result
        if group:  # the values, every replica's (eagerly TF's grouped update gives them)
            return nest.map_structure(lambda r: Mirrored([convert_to_tensor(r)] * n), result)
        return (result,) * n

    def call_for_each_replica(self, fn, args=(), kwargs=None):
        """``fn(*args, **kwargs)`` on every replica (``strategy.run`` without its options)."""
        return self._strategy.run(fn, args, kwargs)

    def reduce_to(self, reduce_op, value, destinations, options=None):
        """The replicas' ``value`` summed or averaged, on every device of ``destinations``
        (a ``Mirrored`` value where they are several, as TF)."""
        op = _reduce_op(reduce_op)
        n = len(self._devices)
        if isinstance(value, DistributedValues | MirroredVariable):
            reduced = _reduce_values(op, value.values)
        elif op is ReduceOp.SUM and n > 1:
            raise ValueError(f"A non-DistributedValues value {value} cannot be reduced with the "
                             "given reduce op ReduceOp.SUM.")
        else:
            reduced = value
        many = isinstance(destinations, DistributedValues | MirroredVariable)
        return Mirrored([reduced] * n) if many and n > 1 else reduced

    def batch_reduce_to(self, reduce_op, value_destination_pairs, options=None):
        return [self.reduce_to(reduce_op, v, d, options) for v, d in value_destination_pairs]

    def value_container(self, value):
        return value


class Strategy:
    """What every strategy does (``tf.distribute.Strategy``)."""

    _variable_class = ResourceVariable  # what tf.Variable makes in this strategy's scope

    def __init__(self, devices=(CPU,)):
        names = tuple(_device_name(d) for d in devices)
        if len(set(names)) != len(names):
            raise ValueError(f"No duplicates allowed in `devices` argument: {list(devices)}")
        self._extended = StrategyExtended(names, self)

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
            keep = replica.STATE.replica if current is self else None  # a replica stays one
            with _state(strategy=self, replica=keep):
                yield self
        finally:
            _variable.variable_class = made

    def run(self, fn, args=(), kwargs=None, options=None):
        """``fn(*args, **kwargs)`` on every replica, in its replica context, each with its part
        of distributed arguments; several replicas' results come back as ``PerReplica`` values
        (a result that is the same object on every replica, as itself). Several replicas run
        each in a thread, taking turns, so that they can meet (replicas.py)."""
        kwargs = kwargs or {}
        replica.RUNS[0] += 1  # a run's number: a mirrored Generator starts each replica from
        parts = [nest.map_structure(lambda v, i=i: _replica_value(v, i), (args, kwargs))
                 for i in range(self.num_replicas_in_sync)]  # the state the run found
        if len(parts) == 1:
            with _state(strategy=self, replica=0):
                return fn(*parts[0][0], **parts[0][1])
        with _state(strategy=self, replica=None):
            results = _replicas.run(self, fn, parts,
                                    lambda: _state(strategy=self, replica=None))
        if all(r is None for r in results):
            return None
        return regroup(results)

    def _cross_replica(self, message):
        if replica.STATE.replica is not None and replica.STATE.strategy is self:
            raise RuntimeError(message)

    def reduce(self, reduce_op, value, axis):
        """The replicas' ``value`` combined by ``reduce_op``; with ``axis`` also reduced along
        that axis of each (so a MEAN is the mean over every replica's examples)."""
        from ..ops import array_ops, math_ops, reduction_ops
        self._cross_replica("Method requires being in cross-replica context, use "
                            "get_replica_context().merge_call()")
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
        """Every replica's part of ``value``, as a tuple (of structures, for a structure)."""
        if isinstance(value, DistributedValues | MirroredVariable):
            return value.values
        if nest.is_nested(value):
            return tuple(select_replica(i, value) for i in range(self.num_replicas_in_sync))
        return (value,)

    def gather(self, value, axis):
        """The replicas' values concatenated along ``axis``."""
        from ..ops.manip_ops import concat
        self._cross_replica("tf.distribute.Strategy.gather method requires cross-replica "
                            "context, use get_replica_context().all_gather() instead")
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
