"""``tf.config.threading``. tapeflow runs one op at a time in the calling thread (no inter-op
pool: that setting is kept and reported); within an op, NumPy's matrix products run in
OpenBLAS's threads, which the intra-op setting caps (0 leaves OpenBLAS as it is)."""

from . import blas

_threads = {"inter": 0, "intra": 0}


def get_inter_op_parallelism_threads():
    return _threads["inter"]


def set_inter_op_parallelism_threads(num_threads):
    _threads["inter"] = int(num_threads)


def get_intra_op_parallelism_threads():
    return _threads["intra"]


def set_intra_op_parallelism_threads(num_threads):
    _threads["intra"] = int(num_threads)
    if _threads["intra"] > 0:
        blas.limit_loaded_blas(_threads["intra"])
