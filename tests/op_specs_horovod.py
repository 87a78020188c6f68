"""Op-table rows for tapeflow.horovod's collectives (skipped when mpi4py is not installed).

In the suite they run in one process (one rank); tests/hvd_worker.py runs the same rows on
several ranks, with each rank's own inputs and directions.
"""


import tapeflow as tf

from op_spec_base import OpSpec, away_from_zero, distinct

try:
    import tapeflow.horovod as hvd
except ImportError:
    hvd = None


def _sq(ys):
    return [y * y for y in ys] if isinstance(ys, list | tuple) else ys * ys


def _splits(x):
    """Rows dealt round-robin to the ranks: rank j gets rows j, j + n, … (computed with ops
    where x's first dimension is a traced graph's None)."""
    n = hvd.size()
    rows = x.shape[0]
    if rows is None:
        rows = tf.shape(x)[0]
        return tf.stack([(rows - j + n - 1) // n for j in range(n)])
    return [len(range(j, rows, n)) for j in range(n)]


SPECS = [] if hvd is None else [
    OpSpec("hvd_allreduce", lambda x: _sq(hvd.allreduce(x))),
    OpSpec("hvd_allreduce_sum_scaled", lambda x: _sq(hvd.allreduce(
        x, op=hvd.Sum, prescale_factor=0.5, postscale_factor=3.0)), [((2, 3),)]),
    OpSpec("hvd_allreduce_max", lambda x: _sq(hvd.allreduce(x, op=hvd.Max)), [((2, 3),)],
           draw=distinct()),
    OpSpec("hvd_allreduce_min", lambda x: _sq(hvd.allreduce(x, op=hvd.Min)), [((3,),)],
           draw=distinct()),
    OpSpec("hvd_allreduce_product", lambda x: hvd.allreduce(x, op=hvd.Product), [((2, 2),)],
           draw=away_from_zero(0.5, 1.5)),
    OpSpec("hvd_grouped_allreduce", lambda x, y: _sq(hvd.grouped_allreduce([x, y])),
           [((2, 3), (3,))]),
    OpSpec("hvd_grouped_allreduce_max", lambda x, y: _sq(hvd.grouped_allreduce(
        [x, y], op=hvd.Max)), [((2,), (3,))], draw=distinct()),
    OpSpec("hvd_allgather", lambda x: _sq(hvd.allgather(x)), [((2, 3),), ((1,),)]),
    OpSpec("hvd_broadcast", lambda x: _sq(tf.add_n([hvd.broadcast(x, r) * (r + 1.0)
                                                    for r in range(hvd.size())])), [((2, 3),)]),
    OpSpec("hvd_alltoall", lambda x: _sq(hvd.alltoall(x, splits=_splits(x))[0]),
           [((4, 2),), ((5,),)]),
]

if hvd is not None:
    hvd.init()
