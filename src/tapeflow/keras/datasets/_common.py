"""What the ``tf.keras.datasets`` loaders share: the download folder, reading ``.npz`` files
whose ragged sequences are pickled object arrays without running arbitrary pickles, and the
seeded shuffle and train/test split Keras applies."""

import io
import pickle
import zipfile

import numpy as np

ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"

# The only pickle globals needed to rebuild a NumPy array (both spellings of NumPy's core
# module, so files pickled by NumPy 1 and 2 both load); anything else is refused.
_ARRAY_GLOBALS = {("numpy", "ndarray"), ("numpy", "dtype"),
                  ("numpy.core.multiarray", "_reconstruct"),
                  ("numpy._core.multiarray", "_reconstruct")}


class ArrayUnpickler(pickle.Unpickler):
    """An unpickler that builds NumPy arrays and plain Python values, nothing else."""

    def find_class(self, module, name):
        if (module, name) not in _ARRAY_GLOBALS:
            raise pickle.UnpicklingError(
                f"Refusing to deserialize `{module}.{name}` while loading a Keras dataset. "
                "The file may be corrupted or malicious.")
        return super().find_class(module, name)


def fetch(fname, file_hash, origin=None, **kwargs):
    """The cached path of ``fname`` (downloaded from Keras's dataset bucket if missing)."""
    from ..utils import get_file
    return get_file(fname, origin=origin or ORIGIN + fname, file_hash=file_hash, **kwargs)


def load_npz(path):
    """The arrays of an ``.npz`` file; object arrays go through ``ArrayUnpickler``."""
    arrays = {}
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            if member.endswith(".npy"):
                arrays[member[:-4]] = _read_npy(io.BytesIO(archive.read(member)))
    return arrays


def _read_npy(stream):
    version = np.lib.format.read_magic(stream)
    if version[0] == 1:
        shape, fortran, dtype = np.lib.format.read_array_header_1_0(stream)
    elif version[0] in (2, 3):  # 3.0 differs from 2.0 only in the header's text encoding
        shape, fortran, dtype = np.lib.format.read_array_header_2_0(stream)
    else:
        raise ValueError(f"Unsupported `.npy` file version: {version}.")
    if dtype.hasobject:
        return ArrayUnpickler(stream).load()
    stream.seek(0)
    return np.lib.format.read_array(stream, allow_pickle=False)


def shuffled(seed, *arrays):
    """``arrays`` in one order drawn from ``np.random.RandomState(seed)``, as Keras draws it."""
    order = np.random.RandomState(seed).permutation(len(arrays[0]))
    return tuple(a[order] for a in arrays)


def check_split(test_split):
    if not 0 <= test_split < 1:
        raise ValueError(f"Invalid `test_split` argument: {test_split}. It must be between 0 and "
                         "1 (exclusive of 1).")


def split(x, y, test_split):
    """``(x_train, y_train), (x_test, y_test)``: the first ``1 - test_split`` of the rows train."""
    cut = int(len(x) * (1 - test_split))
    return (np.array(x[:cut]), np.array(y[:cut])), (np.array(x[cut:]), np.array(y[cut:]))
