"""One compute thread per core: ranks that share a machine must not oversubscribe it.

NumPy's BLAS (OpenBLAS in its wheels) starts one thread per core in every process. With several
ranks on one machine that makes ranks x cores threads, and OpenBLAS's idle threads spin while they
wait for work: on the 2-core development machine two ranks of the MLP benchmark took about 250 ms
per step instead of 6 (and one process with two BLAS threads suffered too once the machine was
busy). So, unless the user chose (``OMP_NUM_THREADS``, ``OPENBLAS_NUM_THREADS`` or
``MKL_NUM_THREADS`` set):

* ``tapeflowrun`` starts every rank with those variables at cores / ranks on its machine;
* ``hvd.init()`` (for plain ``mpiexec``) caps the OpenBLAS already loaded in the process at the
  same number, through OpenBLAS's own ``openblas_set_num_threads``.
"""

import os

from ..framework.blas import limit_loaded_blas

THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
# how launchers tell a rank how many ranks share its machine (MPICH's Hydra, Open MPI)
_LOCAL_SIZE_VARS = ("MPI_LOCALNRANKS", "OMPI_COMM_WORLD_LOCAL_SIZE")


def user_chose(env=None):
    env = os.environ if env is None else env
    return any(env.get(v) for v in THREAD_VARS)


def per_rank(local_size):
    """Compute threads for each of ``local_size`` ranks sharing this machine's cores."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, (cores or 1) // max(1, local_size))


def rank_environment(env):
    """``env`` for a rank started by a launcher: the thread variables set to this machine's
    share, unless the user set one of them or the launcher did not say how many ranks share it."""
    local = next((env[v] for v in _LOCAL_SIZE_VARS if env.get(v, "").isdigit()), None)
    if local is None or user_chose(env):
        return env
    n = str(per_rank(int(local)))
    return dict(env, **{v: n for v in THREAD_VARS})


def share_cores(local_size):
    """hvd.init()'s part: when several ranks share this machine and the user set no thread
    variable, cap the loaded BLAS at this rank's share of the cores."""
    if local_size > 1 and not user_chose():
        limit_loaded_blas(per_rank(local_size))
