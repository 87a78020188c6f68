"""``tf.data.experimental``: the constants TF also keeps here."""

from .dataset import INFINITE as INFINITE_CARDINALITY  # noqa: F401
from .dataset import UNKNOWN as UNKNOWN_CARDINALITY  # noqa: F401
from .iterator import AUTOTUNE  # noqa: F401


def cardinality(dataset):
    return dataset.cardinality()


from .csv import CsvDatasetV2 as CsvDataset, make_csv_dataset  # noqa: F401,E402
