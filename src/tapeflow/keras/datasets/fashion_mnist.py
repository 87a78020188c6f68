"""``tf.keras.datasets.fashion_mnist``: 60,000 + 10,000 28x28 grayscale images of clothes in
10 classes (T-shirt/top, trouser, pullover, dress, coat, sandal, shirt, sneaker, bag, ankle
boot), read from the gzipped IDX files of Zalando's release."""

import gzip
import os

import numpy as np

from ._common import fetch


def _idx(path, header):
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), np.uint8, offset=header)


def load_data():
    """``(x_train, y_train), (x_test, y_test)``: uint8 images (n, 28, 28) and uint8 labels 0-9."""
    folder = os.path.join("datasets", "fashion-mnist")
    out = []
    for part in ("train", "t10k"):
        labels = _idx(fetch(f"{part}-labels-idx1-ubyte.gz", None, cache_subdir=folder), 8)
        images = _idx(fetch(f"{part}-images-idx3-ubyte.gz", None, cache_subdir=folder), 16)
        out.append((images.reshape(len(labels), 28, 28), labels))
    return tuple(out)
