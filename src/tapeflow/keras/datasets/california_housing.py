"""``tf.keras.datasets.california_housing``: 20,640 California census block groups (1990), 8
features each, and the median house value to predict."""

import numpy as np

from ._common import ORIGIN, check_split, fetch, shuffled, split

_SHA256 = "1a2e3a52e0398de6463aebe6f4a8da34fb21fbb6b934cf88c3425e766f2a1a6f"


def load_data(version="large", path="california_housing.npz", test_split=0.2, seed=113):
    """``(x_train, y_train), (x_test, y_test)``: the file's features (n, 8) and targets (n,),
    shuffled by ``np.random.RandomState(seed)``, the last ``test_split`` for testing;
    ``version="small"`` keeps only the first 600 block groups."""
    check_split(test_split)
    with np.load(fetch(path, _SHA256, origin=ORIGIN + "california_housing.npz"),
                 allow_pickle=False) as f:
        x, y = f["x"], f["y"]
    if version == "small":
        x, y = x[:600], y[:600]
    elif version != "large":
        raise ValueError("Argument `version` must be one of 'small', 'large'. Received: "
                         f"version={version}")
    return split(*shuffled(seed, x, y), test_split)
