"""Which OpenBLAS kernel family the benchmarks' NumPy processes (tapeflow and the floor) run.

NumPy's OpenBLAS picks its kernels from the CPU, unless ``OPENBLAS_CORETYPE`` names a family. This
project's machines set ``OPENBLAS_CORETYPE=Haswell`` (AVX2) in the environment, while their CPUs
have AVX-512 (OpenBLAS picks ``SkylakeX`` when left to itself), and there float32 GEMMs run at
about 60% of the speed TensorFlow's oneDNN kernels get from the same CPU. The variable is read when
OpenBLAS loads, so ``--openblas-core`` puts it in the environment of the child processes that time
the workloads; the family in use is recorded beside the results.
"""

import os
import subprocess
import sys

_PROBE = ("import numpy, threadpoolctl; print(' '.join(i.get('architecture') or '' for i in "
          "threadpoolctl.threadpool_info() if i['internal_api'] == 'openblas') or '?')")


def blas_env(core):
    """The environment entries for ``--openblas-core``: ``core`` ("" leaves the environment's
    choice, "auto" lets OpenBLAS detect the CPU)."""
    if not core:
        return {}
    # The environment's OPENBLAS_L2_SIZE goes with its core type: detection sets both.
    if core == "auto":
        return {"OPENBLAS_CORETYPE": None, "OPENBLAS_L2_SIZE": None}
    return {"OPENBLAS_CORETYPE": core}


def with_blas(env, core):
    """``env`` (a dict) with ``--openblas-core`` applied."""
    env = dict(env)
    for key, value in blas_env(core).items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def active_core(python=sys.executable, core=""):
    """The kernel family NumPy's OpenBLAS uses in ``python`` under ``core`` ('?' if unknown)."""
    out = subprocess.run([python, "-c", _PROBE], capture_output=True, text=True,
                         env=with_blas(os.environ, core))
    return out.stdout.strip() if out.returncode == 0 else "?"


if __name__ == "__main__":
    print("environment:", active_core(), "| detected:", active_core(core="auto"))
