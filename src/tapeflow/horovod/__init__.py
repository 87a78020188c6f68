"""``import tapeflow.horovod as hvd``: Horovod's ``horovod.tensorflow`` API over MPI (mpi4py).

Start with ``mpiexec -n 4 python train.py`` or ``tapeflowrun -np 4 python train.py``; see
docs/distributed.md.
"""

from .comm import (  # noqa: F401
    Adasum, Average, HorovodInternalError, Max, Min, Product, Sum, cross_rank, cross_size,
    gloo_built, gloo_enabled, is_initialized, join, local_rank, local_size,
    mpi_built, mpi_enabled, mpi_threads_supported, nccl_built, rank, shutdown, size)
from .collectives import (  # noqa: F401
    allgather, allgather_object, allreduce, alltoall, broadcast, broadcast_object,
    broadcast_variables, grouped_allreduce)
from .compression import Compression  # noqa: F401
from .fusion import DistributedGradientTape  # noqa: F401
from .keras import DistributedOptimizer  # noqa: F401,E402
from . import callbacks  # noqa: F401,E402
from . import comm as _comm
from .keras import quiet_other_ranks as _quiet_other_ranks


def init(comm=None, process_sets=None):
    """Initialize MPI and the Horovod topology (see ``comm.init``); Keras's progress bar and
    epoch lines then print on rank 0 only."""
    _comm.init(comm, process_sets)
    _quiet_other_ranks()
