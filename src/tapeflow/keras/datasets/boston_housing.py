"""``tf.keras.datasets.boston_housing``: 506 Boston suburbs of the 1970s, 13 features each, and
the median home value (k$) to predict."""

import numpy as np

from ._common import ORIGIN, check_split, fetch, shuffled, split

_SHA256 = "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5"


def load_data(path="boston_housing.npz", test_split=0.2, seed=113):
    """``(x_train, y_train), (x_test, y_test)``: the file's features (n, 13) and targets (n,),
    shuffled by ``np.random.RandomState(seed)``, the last ``test_split`` for testing."""
    check_split(test_split)
    with np.load(fetch(path, _SHA256, origin=ORIGIN + "boston_housing.npz"),
                 allow_pickle=False) as f:
        x, y = f["x"], f["y"]
    return split(*shuffled(seed, x, y), test_split)
