"""``tf.keras.datasets``: Keras's small reference datasets, downloaded once from the same URLs
into the Keras cache (``~/.keras/datasets`` or ``$KERAS_HOME/datasets``) by
``tf.keras.utils.get_file`` and returned as the same NumPy arrays Keras returns."""

from . import boston_housing, california_housing, cifar10, cifar100  # noqa: F401
from . import fashion_mnist, imdb, mnist, reuters  # noqa: F401
