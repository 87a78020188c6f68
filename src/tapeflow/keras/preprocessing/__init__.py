"""``keras.preprocessing``: the dataset and sequence helpers (also in ``keras.utils``)."""

from . import image, sequence, text  # noqa: F401
from ..utils._data import timeseries_dataset_from_array  # noqa: F401
from ..utils._directory import (image_dataset_from_directory,  # noqa: F401
                                text_dataset_from_directory)
