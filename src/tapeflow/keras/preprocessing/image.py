"""``keras.preprocessing.image``: the image-file helpers and Keras 2's legacy generators."""

from ..utils._images import (array_to_img, img_to_array, load_img, save_img,  # noqa: F401
                             smart_resize)
from ._image_legacy import (DirectoryIterator, ImageDataGenerator, Iterator,  # noqa: F401
                           NumpyArrayIterator, apply_affine_transform, apply_brightness_shift,
                           apply_channel_shift, random_brightness, random_channel_shift,
                           random_rotation, random_shear, random_shift, random_zoom)
