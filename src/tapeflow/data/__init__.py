"""``tf.data``: input pipelines (``tf.data.Dataset``) on NumPy, streamed and lazy."""

from .dataset import INFINITE as INFINITE_CARDINALITY  # noqa: F401
from .dataset import UNKNOWN as UNKNOWN_CARDINALITY  # noqa: F401
from .dataset import Dataset  # noqa: F401
from .iterator import AUTOTUNE, NumpyIterator, OwnedIterator  # noqa: F401
from .iterator import OwnedIterator as Iterator  # noqa: F401
from .structure import DatasetSpec  # noqa: F401
from . import experimental  # noqa: F401
from .readers import TextLineDatasetV2 as TextLineDataset  # noqa: F401
from .records import TFRecordDatasetV2 as TFRecordDataset  # noqa: F401,E402
