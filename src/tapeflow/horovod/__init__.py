"""``import tapeflow.horovod as hvd``: Horovod's ``horovod.tensorflow`` API over MPI (mpi4py).

Start with ``mpiexec -n 4 python train.py`` or ``tapeflowrun -np 4 python train.py``; see
docs/distributed.md.
"""

from .comm import (  # noqa: F401
    Adasum, Average, HorovodInternalError, Max, Min, Product, Sum, cross_rank, cross_size,
    gloo_built, gloo_enabled, init, is_initialized, join, local_rank, local_size,
    mpi_built, mpi_enabled, mpi_threads_supported, nccl_built, rank, shutdown, size)
from .collectives import (  # noqa: F401
    allgather, allgather_object, allreduce, alltoall, broadcast, broadcast_object,
    broadcast_variables, grouped_allreduce)
from .compression import Compression  # noqa: F401
from .fusion import DistributedGradientTape  # noqa: F401
from .keras import DistributedOptimizer  # noqa: F401,E402
from . import callbacks  # noqa: F401,E402
