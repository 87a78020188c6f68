"""``tf.data.experimental``: the constants TF also keeps here."""

from ..framework import dtypes

from .dataset import INFINITE as INFINITE_CARDINALITY  # noqa: F401
from .dataset import UNKNOWN as UNKNOWN_CARDINALITY  # noqa: F401
from .iterator import AUTOTUNE  # noqa: F401


def cardinality(dataset):
    return dataset.cardinality()


def dense_to_ragged_batch(batch_size, drop_remainder=False, row_splits_dtype=dtypes.int64):
    """``tf.data.experimental.dense_to_ragged_batch``: ``Dataset.ragged_batch`` to ``apply``."""
    return lambda dataset: dataset.ragged_batch(batch_size, drop_remainder, row_splits_dtype)


def dense_to_sparse_batch(batch_size, row_shape):
    """``tf.data.experimental.dense_to_sparse_batch``: ``Dataset.sparse_batch`` to ``apply``."""
    return lambda dataset: dataset.sparse_batch(batch_size, row_shape)


from .csv import CsvDatasetV2 as CsvDataset, make_csv_dataset  # noqa: F401,E402
