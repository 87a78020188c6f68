"""``keras.preprocessing.image``: the image-file helpers (Keras 2's generators are not here)."""

from ..utils._images import (array_to_img, img_to_array, load_img, save_img,  # noqa: F401
                             smart_resize)
