"""Reading the CIFAR-10/100 python-version batches: pickled dicts (bytes keys) holding
``data`` (n, 3072) uint8 rows, channel-major, and a list of labels."""

import os

import numpy as np

from ._common import ArrayUnpickler, fetch


def folder(name, file_hash):
    """The folder of batch files inside the archive ``cifar-<name>-python.tar.gz``, fetched and
    extracted into the cache."""
    inner = "cifar-10-batches-py" if name == "10" else f"cifar-{name}-python"
    base = fetch(f"{inner}-target", file_hash, extract=True,
                 origin=f"https://www.cs.toronto.edu/~kriz/cifar-{name}-python.tar.gz")
    return os.path.join(base, inner)


def read_batch(path, label_key="labels"):
    """``(images (n, 3, 32, 32), labels list)`` of one batch file."""
    with open(path, "rb") as f:
        batch = {k.decode("utf8"): v for k, v in ArrayUnpickler(f, encoding="bytes").load().items()}
    data = batch["data"]
    return data.reshape(data.shape[0], 3, 32, 32), batch[label_key]


def finish(x_train, y_train, x_test, y_test):
    """Labels as (n, 1) columns, images channels-last unless Keras is set to channels_first."""
    from ..config import image_data_format
    y_train = np.reshape(y_train, (len(y_train), 1))
    y_test = np.reshape(y_test, (len(y_test), 1))
    if image_data_format() == "channels_last":
        x_train, x_test = x_train.transpose(0, 2, 3, 1), x_test.transpose(0, 2, 3, 1)
    return (x_train, y_train), (x_test, y_test)
