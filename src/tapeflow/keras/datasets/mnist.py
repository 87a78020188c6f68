"""``tf.keras.datasets.mnist``: 60,000 + 10,000 28x28 grayscale handwritten digits."""

import numpy as np

from ._common import ORIGIN, fetch

_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"


def load_data(path="mnist.npz"):
    """``(x_train, y_train), (x_test, y_test)``: uint8 images (n, 28, 28) and uint8 labels 0-9.

    ``path`` is the file's name in the cache folder (``~/.keras/datasets``)."""
    with np.load(fetch(path, _SHA256, origin=ORIGIN + "mnist.npz"), allow_pickle=False) as f:
        return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])
