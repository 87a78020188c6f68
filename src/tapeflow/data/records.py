"""``tf.data.TFRecordDataset``: the records of TFRecord files (see tapeflow/io/tfrecord.py)."""

import numpy as np

from ..framework import dtypes
from ..io.tfrecord import _compression, read_records
from ..module import TensorSpec
from .dataset import Dataset
from .readers import _names


def file_names(files):
    """The names of a list, or of a dataset of file names (read when iterated)."""
    if isinstance(files, Dataset):
        return [_names(f)[0] for f in files]
    return files


class TFRecordDatasetV2(Dataset):
    """``tf.data.TFRecordDataset``: each record of each file in turn, a scalar string."""

    def __init__(self, filenames, compression_type=None, buffer_size=None,
                 num_parallel_reads=None, name=None):
        self._files = filenames if isinstance(filenames, Dataset) else _names(filenames)
        self._compression = _compression(compression_type)

    def _elements(self):
        for path in file_names(self._files):
            for record in read_records(path, self._compression):
                yield np.array(record, dtype=object)

    def _spec(self):
        return TensorSpec((), dtypes.string)
