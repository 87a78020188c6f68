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


class TimeseriesGenerator:
    """Batches of windows over ``data`` (each ``length`` steps back from a target index, every
    ``sampling_rate``-th step) with ``targets`` at that index; usable by ``Model.fit``."""

    def __init__(self, data, targets, length, sampling_rate=1, stride=1, start_index=0,
                 end_index=None, shuffle=False, reverse=False, batch_size=128):
        if len(data) != len(targets):
            raise ValueError("Data and targets have to be of same length. Data length is "
                             f"{len(data)} while target length is {len(targets)}")
        self.data, self.targets = data, targets
        self.length, self.sampling_rate, self.stride = length, sampling_rate, stride
        self.start_index = start_index + length
        self.end_index = len(data) - 1 if end_index is None else end_index
        self.shuffle, self.reverse, self.batch_size = shuffle, reverse, batch_size
        if self.start_index > self.end_index:
            raise ValueError(f"`start_index+length={self.start_index} > end_index="
                             f"{self.end_index}` is disallowed, as no part of the sequence "
                             "would be left to be used as current step.")

    def __len__(self):
        span = self.end_index - self.start_index + self.batch_size * self.stride
        return span // (self.batch_size * self.stride)

    def __getitem__(self, index):
        if self.shuffle:
            rows = _np.random.randint(self.start_index, self.end_index + 1,
                                      size=self.batch_size)
        else:
            first = self.start_index + self.batch_size * self.stride * index
            rows = _np.arange(first, min(first + self.batch_size * self.stride,
                                         self.end_index + 1), self.stride)
        windows = _np.array([self.data[row - self.length:row:self.sampling_rate]
                             for row in rows])
        if self.reverse:
            windows = windows[:, ::-1, ...]
        return windows, _np.array([self.targets[row] for row in rows])

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]
