"""``keras.preprocessing.sequence``: padding sequences to one length."""

from ..utils._data import pad_sequences  # noqa: F401

import numpy as _np


def make_sampling_table(size, sampling_factor=1e-5):
    """word2vec's subsampling table: for each word rank ``r`` (rank 0 counted as 1), the
    probability ``min(1, sqrt(sampling_factor * r_inv))`` of keeping it, where ``r_inv``
    approximates ``1 / frequency`` under Zipf's law as ``r (ln r + 0.577) + 1/2 - 1/(12 r)``."""
    gamma = 0.577
    rank = _np.arange(size)
    rank[0] = 1
    inv_fq = rank * (_np.log(rank) + gamma) + 0.5 - 1.0 / (12.0 * rank)
    return _np.minimum(1.0, _np.sqrt(sampling_factor * inv_fq))
