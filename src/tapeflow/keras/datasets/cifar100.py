"""``tf.keras.datasets.cifar100``: 50,000 + 10,000 32x32 colour images in 100 fine classes
grouped into 20 coarse ones."""

import os

from ._cifar import finish, folder, read_batch

_SHA256 = "85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7"


def load_data(label_mode="fine"):
    """``(x_train, y_train), (x_test, y_test)``: uint8 images (n, 32, 32, 3) and int64 labels
    shaped (n, 1), the 100 fine classes or (``label_mode="coarse"``) the 20 superclasses."""
    if label_mode not in ("fine", "coarse"):
        raise ValueError('`label_mode` must be one of `"fine"`, `"coarse"`. '
                         f"Received: label_mode={label_mode}.")
    path = folder("100", _SHA256)
    x_train, y_train = read_batch(os.path.join(path, "train"), f"{label_mode}_labels")
    x_test, y_test = read_batch(os.path.join(path, "test"), f"{label_mode}_labels")
    return finish(x_train, y_train, x_test, y_test)
