"""``tf.keras.datasets.cifar10``: 50,000 + 10,000 32x32 colour images in 10 classes (airplane,
automobile, bird, cat, deer, dog, frog, horse, ship, truck)."""

import os

import numpy as np

from ._cifar import finish, folder, read_batch

_SHA256 = "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce"


def load_data():
    """``(x_train, y_train), (x_test, y_test)``: uint8 images (n, 32, 32, 3) (channels first
    when ``image_data_format()`` says so) and uint8 labels shaped (n, 1)."""
    path = folder("10", _SHA256)
    x_train = np.empty((50000, 3, 32, 32), dtype="uint8")
    y_train = np.empty((50000,), dtype="uint8")
    for i in range(5):  # five training batches of 10,000 images
        rows = slice(i * 10000, (i + 1) * 10000)
        x_train[rows], y_train[rows] = read_batch(os.path.join(path, f"data_batch_{i + 1}"))
    x_test, y_test = read_batch(os.path.join(path, "test_batch"))
    return finish(x_train, y_train, x_test.astype("uint8"), np.asarray(y_test).astype("uint8"))
