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

import ctypes
import os

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


def _loaded_openblas():
    """Paths of the OpenBLAS libraries mapped into this process."""
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split(None, 5)[-1].strip() for line in f if "openblas" in line.lower()}
    except OSError:  # not Linux: nothing to do
        return []
    return sorted(p for p in paths if p.startswith("/"))


def _openblas_functions(name):
    """OpenBLAS's function ``name`` (e.g. ``openblas_set_num_threads``) in every loaded OpenBLAS,
    under the names its builds export (NumPy's wheels add a prefix and a suffix)."""
    found = []
    for path in _loaded_openblas():
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix in ("", "scipy_"):
            for suffix in ("", "64_", "_64"):
                if hasattr(lib, f"{prefix}{name}{suffix}"):
                    found.append(getattr(lib, f"{prefix}{name}{suffix}"))
                    break
            else:
                continue
            break
    return found


def blas_threads():
    """The thread count of every loaded OpenBLAS."""
    return [get() for get in _openblas_functions("openblas_get_num_threads")]


def limit_loaded_blas(n):
    """Cap every loaded OpenBLAS at ``n`` threads; returns how many libraries were capped."""
    setters = _openblas_functions("openblas_set_num_threads")
    for setter in setters:
        setter.argtypes = [ctypes.c_int]
        setter(n)
    return len(setters)


def share_cores(local_size):
    """hvd.init()'s part: when several ranks share this machine and the user set no thread
    variable, cap the loaded BLAS at this rank's share of the cores."""
    if local_size > 1 and not user_chose():
        limit_loaded_blas(per_rank(local_size))
