"""``tf.distribute``: TensorFlow's distribution strategies in one process (see strategy.py).
Data parallelism over several processes is ``tapeflow.horovod``."""

from . import experimental  # noqa: F401
from .strategy import (  # noqa: F401
    CrossDeviceOps, DistributedDataset, DistributedIterator, DistributedValues,
    HierarchicalCopyAllReduce, InputContext, InputOptions, MirroredStrategy,
    MultiWorkerMirroredStrategy, NcclAllReduce, OneDeviceStrategy, ReduceOp,
    ReductionToOneDevice, ReplicaContext, Strategy, StrategyExtended, TPUStrategy,
    experimental_set_strategy, get_loss_reduction, get_replica_context, get_strategy,
    has_strategy, in_cross_replica_context)
