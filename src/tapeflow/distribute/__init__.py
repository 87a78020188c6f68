"""``tf.distribute``: ``MirroredStrategy`` in one process.

The replicas of a ``strategy.run`` call run one after another on the CPU, each in its replica
context (``tf.distribute.get_replica_context().replica_id_in_sync_group``); their results come
back as ``PerReplica`` values (one result a replica, printed as TF prints them), which
``strategy.reduce`` and ``experimental_local_results`` take. A ``tf.random.Generator`` made in
the scope (or in a replica) is mirrored as TF's: each replica draws its own stream (the key
folded with the replica id) from the same state, and the state moves on once a run.

With one replica (the default: the CPU alone) a training loop runs as TF's:
``experimental_distribute_dataset``, ``distribute_datasets_from_function`` and
``ReplicaContext.all_reduce`` work there. Not built (see docs/guides-status.md): Variables made
in the scope stay plain Variables (TF makes ``MirroredVariable``s), so nothing is all-reduced
across several replicas (those three raise NotImplementedError then; ``merge_call``; gradients
summed by the optimizer); the other strategies.
"""

import contextlib
import enum

from ..framework import nest, replica
from ..framework.tensor import constant
from ..ops import array_ops, math_ops, reduction_ops

_DEVICE = "/job:localhost/replica:0/task:0/device:"


class ReduceOp(enum.Enum):
    SUM = "SUM"
    MEAN = "MEAN"


class PerReplica:
    """The values of one result, one a replica."""

    def __init__(self, values):
        self.values = tuple(values)

    def _text(self, show):
        rows = ",\n".join(f"  {i}: {show(v)}" for i, v in enumerate(self.values))
        return f"{type(self).__name__}:{{\n{rows}\n}}"

    def __repr__(self):
        return self._text(repr)

    def __str__(self):
        return self._text(str)


class ReplicaContext:
    """The context ``strategy.run`` calls a replica's function in."""

    def __init__(self, strategy, replica_id):
        self._strategy = strategy
        self._replica_id = replica_id

    @property
    def strategy(self):
        return self._strategy

    @property
    def num_replicas_in_sync(self):
        return self._strategy.num_replicas_in_sync

    @property
    def replica_id_in_sync_group(self):
        return constant(self._replica_id)

    def all_reduce(self, reduce_op, value, options=None):
        """The sum or mean over the replicas: with one replica, the value itself."""
        _one_replica(self._strategy, "ReplicaContext.all_reduce")
        return value


def _one_replica(strategy, what):
    if strategy.num_replicas_in_sync != 1:
        raise NotImplementedError(
            f"{what} works with one replica only in tapeflow: its MirroredStrategy runs the "
            "replicas one after another and reduces nothing across them.")


class InputContext:
    """What ``distribute_datasets_from_function`` passes the dataset function."""

    def __init__(self, num_replicas_in_sync):
        self.num_input_pipelines = 1
        self.input_pipeline_id = 0
        self.num_replicas_in_sync = num_replicas_in_sync

    def get_per_replica_batch_size(self, global_batch_size):
        if global_batch_size % self.num_replicas_in_sync:
            raise ValueError(f"The `global_batch_size` {global_batch_size} is not divisible by "
                             f"`num_replicas_in_sync` {self.num_replicas_in_sync}")
        return global_batch_size // self.num_replicas_in_sync


class DistributedDataset:
    """A dataset distributed over the replicas (one here): its elements as they are."""

    def __init__(self, dataset):
        self._dataset = dataset

    def __iter__(self):
        return iter(self._dataset)

    @property
    def element_spec(self):
        return self._dataset.element_spec



def _device_name(device):
    """A device's full name: ``cpu:1``, ``/device:CPU:1`` and ``/job:…/device:CPU:1`` alike."""
    last = str(device).rsplit("/", 1)[-1]
    kind, _, index = last.removeprefix("device:").partition(":")
    return f"{_DEVICE}{kind.upper()}:{index or 0}"


class Strategy:
    """A distribution strategy: its devices (one replica each), scope, run and reduce."""

    def __init__(self, devices=("CPU:0",)):
        self._devices = tuple(_device_name(d) for d in devices)
        if len(set(self._devices)) != len(self._devices):
            raise ValueError(f"No duplicates allowed in `devices` argument: {list(devices)}")
        self.extended = _Extended(self._devices)

    @property
    def num_replicas_in_sync(self):
        return len(self._devices)

    @contextlib.contextmanager
    def scope(self):
        saved = replica.STATE["strategy"], replica.STATE["replica"]
        replica.STATE.update(strategy=self, replica=None)
        try:
            yield self
        finally:
            replica.STATE.update(strategy=saved[0], replica=saved[1])

    def run(self, fn, args=(), kwargs=None, options=None):
        """``fn`` once a replica, each with its replica's parts of PerReplica arguments."""
        kwargs = kwargs or {}
        saved = replica.STATE["strategy"], replica.STATE["replica"]
        replica.STATE["run"] += 1  # a run's number: a mirrored Generator starts each replica
        results = []                # from the state the run found
        try:
            for i in range(self.num_replicas_in_sync):
                replica.STATE.update(strategy=self, replica=i)
                part = nest.map_structure(
                    lambda v, i=i: v.values[i] if isinstance(v, PerReplica) else v,
                    (args, kwargs))
                results.append(fn(*part[0], **part[1]))
        finally:
            replica.STATE.update(strategy=saved[0], replica=saved[1])
        if len(results) == 1 or all(r is None for r in results):
            return results[0]
        flat = [nest.flatten(r) for r in results]
        return nest.pack_sequence_as(results[0], [PerReplica(v) for v in zip(*flat)])

    def experimental_distribute_dataset(self, dataset, options=None):
        _one_replica(self, "experimental_distribute_dataset")
        return DistributedDataset(dataset)

    def distribute_datasets_from_function(self, dataset_fn, options=None):
        _one_replica(self, "distribute_datasets_from_function")
        return DistributedDataset(dataset_fn(InputContext(self.num_replicas_in_sync)))

    def experimental_local_results(self, value):
        if isinstance(value, PerReplica):
            return value.values
        return (value,)

    def reduce(self, reduce_op, value, axis):
        """The replicas' values summed or averaged (over ``axis`` of each too: a mean then
        divides by the number of all the elements along it)."""
        op = ReduceOp(reduce_op.value if isinstance(reduce_op, ReduceOp) else reduce_op)
        if not isinstance(value, PerReplica) and self.num_replicas_in_sync > 1:
            if op is ReduceOp.SUM:
                raise ValueError(f"A non-DistributedValues value {value!s} cannot be reduced "
                                 "with the given reduce op ReduceOp.SUM.")
            return value  # the same on every replica: its mean
        values = self.experimental_local_results(value)
        if axis is None:
            total = math_ops.add_n(list(values))
            count = len(values)
        else:
            total = math_ops.add_n([reduction_ops.reduce_sum(v, axis) for v in values])
            count = sum(int(v.shape[axis]) for v in values)
        if op is ReduceOp.SUM:
            return total
        return total / array_ops.cast(count, total.dtype)


class MirroredStrategy(Strategy):
    """``tf.distribute.MirroredStrategy``: one replica a device (by default every logical CPU:
    the CPU alone unless it was split into virtual devices)."""

    def __init__(self, devices=None, cross_device_ops=None):
        if not devices:
            from ..framework.device_config import list_logical_devices
            devices = [d.name for d in list_logical_devices("CPU")]
        super().__init__(devices)


class _Extended:
    def __init__(self, devices):
        self.worker_devices = devices


class _DefaultStrategy(Strategy):
    """What ``get_strategy`` gives outside every scope: one replica, no distribution."""


_DEFAULT = _DefaultStrategy()


def get_strategy():
    return replica.current_strategy() or _DEFAULT


def has_strategy():
    return replica.current_strategy() is not None


def in_cross_replica_context():
    return replica.current_strategy() is not None and replica.STATE["replica"] is None


def get_replica_context():
    """The replica's context inside ``strategy.run``; None in a scope outside it (the cross-
    replica context); the default one outside every strategy."""
    strategy = replica.current_strategy()
    if strategy is None:
        return ReplicaContext(_DEFAULT, 0)
    if replica.STATE["replica"] is None:
        return None
    return ReplicaContext(strategy, replica.STATE["replica"])

