"""``keras.preprocessing``: the dataset and sequence helpers (also in ``keras.utils``)."""

from . import sequence, text  # noqa: F401
from ..utils._data import timeseries_dataset_from_array  # noqa: F401
