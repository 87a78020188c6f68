"""``keras.utils``'s image-file helpers over Pillow (the optional ``codec`` extra):
``load_img``, ``save_img``, ``img_to_array``, ``array_to_img``, and ``smart_resize``."""

import numpy as np


def _pil():
    try:
        from PIL import Image
    except ImportError as e:
        raise ImportError("Could not import PIL.Image. The use of `array_to_img` requires PIL "
                          "(pip install pillow).") from e
    return Image


def _data_format(data_format):
    from .. import config
    data_format = data_format or config.image_data_format()
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError(f"Invalid data_format: {data_format}")
    return data_format


def array_to_img(x, data_format=None, scale=True, dtype=None):
    """A ``(h, w, 1|3|4)`` array as a PIL image (L, RGB or RGBA); ``scale`` maps its range to
    0-255 first."""
    x = np.asarray(x, dtype=dtype or "float32")
    if x.ndim != 3:
        raise ValueError("Expected image array to have rank 3 (single image). Got array with "
                         f"shape: {x.shape}")
    if _data_format(data_format) == "channels_first":
        x = x.transpose(1, 2, 0)
    if scale:
        x = x - np.min(x)
        top = np.max(x)
        if top != 0:
            x = x / top
        x = x * 255
    modes = {1: "L", 3: "RGB", 4: "RGBA"}
    if x.shape[2] not in modes:
        raise ValueError(f"Unsupported channel number: {x.shape[2]}")
    pixels = x.astype("uint8")
    return _pil().fromarray(pixels[:, :, 0] if x.shape[2] == 1 else pixels, modes[x.shape[2]])


def img_to_array(img, data_format=None, dtype=None):
    """A PIL image as a float32 ``(h, w, c)`` (or channels-first) array."""
    x = np.asarray(img, dtype=dtype or "float32")
    if x.ndim == 2:
        x = x[:, :, None]
    elif x.ndim != 3:
        raise ValueError(f"Unsupported image shape: {x.shape}")
    return x.transpose(2, 0, 1) if _data_format(data_format) == "channels_first" else x


def load_img(path, color_mode="rgb", target_size=None, interpolation="nearest",
             keep_aspect_ratio=False):
    """A PIL image read from ``path``, converted to ``color_mode`` and resized to
    ``target_size`` (height, width)."""
    image = _pil()
    with open(path, "rb") as f:
        img = image.open(f)
        img.load()
    mode = {"grayscale": "L", "rgb": "RGB", "rgba": "RGBA"}.get(color_mode)
    if mode is None:
        raise ValueError('color_mode must be "grayscale", "rgb", or "rgba"')
    if img.mode != mode:
        img = img.convert(mode)
    if target_size is not None:
        width, height = target_size[1], target_size[0]
        if img.size != (width, height):
            method = getattr(image.Resampling, interpolation.upper(), None)
            if method is None:
                raise ValueError(f"Invalid interpolation method {interpolation} specified.")
            box = None
            if keep_aspect_ratio:  # the central box of the target's aspect ratio
                w, h = img.size
                crop_w, crop_h = min(w, h * width // height), min(h, w * height // width)
                left, top = (w - crop_w) // 2, (h - crop_h) // 2
                box = (left, top, left + crop_w, top + crop_h)
            img = img.resize((width, height), method, box=box)
    return img


def save_img(path, x, data_format=None, file_format=None, scale=True, **kwargs):
    """Writes an image array to ``path`` (format from the file name or ``file_format``)."""
    img = array_to_img(x, data_format=data_format, scale=scale)
    if img.mode == "RGBA" and (file_format in ("jpg", "jpeg") or
                               str(path).lower().endswith((".jpg", ".jpeg"))):
        img = img.convert("RGB")
    img.save(path, format=file_format, **kwargs)


def smart_resize(x, size, interpolation="bilinear", data_format="channels_last", **kwargs):
    """Resizes to ``size`` after a central crop to its aspect ratio (NumPy in, NumPy out)."""
    from ..ops import image
    out = image.resize(x, size, interpolation=interpolation, crop_to_aspect_ratio=True,
                       data_format=data_format)
    return out.numpy() if isinstance(x, np.ndarray) else out
