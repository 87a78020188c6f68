"""File sources: ``tf.data.TextLineDataset`` and ``Dataset.list_files``."""

import glob
import os

import numpy as np

from ..framework import dtypes, errors
from ..module import TensorSpec
from . import structure
from .dataset import Dataset


def _names(value):
    """File names from a string, bytes, a list of them or a string tensor, as ``str``."""
    value = structure.normalize(value)
    return [v.decode() if isinstance(v, bytes) else str(v) for v in np.ravel(value).tolist()]


class TextLineDatasetV2(Dataset):
    """``tf.data.TextLineDataset``: the lines of each file in turn, without line endings."""

    def __init__(self, filenames, compression_type=None, buffer_size=None,
                 num_parallel_reads=None, name=None):
        self._files = _names(filenames)

    def _elements(self):
        for path in self._files:
            try:
                f = open(path, "rb")
            except OSError as e:
                raise errors.op_error("IteratorGetNext", f"{path}; {e.strerror}",
                                      cls=errors.NotFoundError,
                                      kernel="IteratorGetNext_output_types_1") from None
            with f:
                for line in f:
                    yield np.array(line.rstrip(b"\n").rstrip(b"\r"), dtype=object)

    def _spec(self):
        return TensorSpec((), dtypes.string)


def list_files(file_pattern, shuffle=None, seed=None, name=None):
    """``Dataset.list_files``: the matching file names, sorted, then shuffled unless
    ``shuffle=False``."""
    patterns = _names(file_pattern)
    found = sorted({path for pattern in patterns for path in glob.glob(pattern)})
    if not found:
        raise errors.InvalidArgumentError(
            None, None, "Expected 'tf.Tensor(False, shape=(), dtype=bool)' to be true. "
            f"Summarized data: b'No files matched pattern: {', '.join(patterns)}'")
    files = Dataset.from_tensor_slices(np.array([os.fsencode(p) for p in found], dtype=object))
    if shuffle is None or shuffle:
        files = files.shuffle(len(found), seed=seed)
    return files
