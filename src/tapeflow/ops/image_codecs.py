"""``tf.image``'s codecs (PNG, JPEG, GIF, BMP, WebP) through Pillow, an optional extra
(``pip install tapeflow[image]``): NumPy alone cannot decode images. PNG, BMP and GIF decode
bit-exactly as in TF; JPEG decoding uses Pillow's libjpeg, whose IDCT and chroma upsampling can
differ from TF's libjpeg-turbo settings by a few levels per pixel.
"""

import io

import numpy as np

from ..framework import dtypes, errors
from ..framework.tensor import Tensor, wrap
from ._helpers import tensor
from .random_extra_ops import stateless_rng
from .random_ops import _generator


def _pil():
    try:
        from PIL import Image
    except ImportError as e:  # pragma: no cover - the extra is installed in tests
        raise ImportError("tf.image's codecs need Pillow: pip install 'tapeflow[image]'") from e
    return Image


def _bytes(contents):
    v = contents._trace_value() if isinstance(contents, Tensor) else contents
    v = np.asarray(v, object).item() if not isinstance(v, bytes) else v
    if not isinstance(v, bytes):
        raise TypeError("contents must be a scalar string tensor")
    return v


def _open(data, op_type):
    try:
        img = _pil().open(io.BytesIO(data))
        img.load()
        return img
    except Exception as e:  # noqa: BLE001 - Pillow raises many types for bad data
        raise errors.op_error(op_type, "Unknown image file format. One of JPEG, JPEG XL, PNG, "
                              "GIF, BMP, WebP required.", kernel=True, name=None) from e


_MODES = {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}


def _gray(rgb):
    """RGB to gray as TF's PNG decoder gets it from libpng: weights 0.299 and 0.587 in 1/32768
    fixed point (truncated), blue taking the rest, and the sum truncated."""
    r, g, b = (rgb[..., i].astype(np.int64) for i in range(3))
    return ((9797 * r + 19234 * g + 3737 * b) >> 15).astype(np.uint8)


def _array(img, channels):
    if channels in (1, 2) and img.mode in ("RGB", "RGBA"):
        arr = np.asarray(img)
        gray = _gray(arr)[..., None]
        return gray if channels == 1 else np.concatenate(
            [gray, arr[..., 3:] if img.mode == "RGBA" else np.full_like(gray, 255)], -1)
    if channels:
        img = img.convert(_MODES[channels]) if img.mode != _MODES[channels] else img
    elif img.mode not in ("L", "LA", "RGB", "RGBA", "I;16", "I;16B", "I"):
        img = img.convert("RGBA" if "A" in img.mode or "transparency" in img.info else "RGB")
    arr = np.asarray(img)
    return arr if arr.ndim == 3 else arr[..., None]


def decode_png(contents, channels=0, dtype=dtypes.uint8, name=None):
    """``tf.image.decode_png``: ``[height, width, channels]`` uint8 (or uint16)."""
    img = _open(_bytes(contents), "DecodePng")
    target = dtypes.as_dtype(dtype)
    if img.mode.startswith("I;16") or img.mode == "I":
        arr = np.asarray(img).astype(np.uint16)[..., None]
        return wrap(arr if target == dtypes.uint16 else (arr >> 8).astype(np.uint8))
    arr = _array(img, int(channels)).astype(np.uint8)
    return wrap(arr if target == dtypes.uint8 else (arr.astype(np.uint16) * 257))


def decode_jpeg(contents, channels=0, ratio=1, fancy_upscaling=True,
                try_recover_truncated=False, acceptable_fraction=1, dct_method="", name=None):
    """``tf.image.decode_jpeg``: ``[height, width, channels]`` uint8."""
    img = _open(_bytes(contents), "DecodeJpeg")
    if int(ratio) > 1:
        img = img.reduce(int(ratio))
    return wrap(_array(img, int(channels)).astype(np.uint8))


def decode_and_crop_jpeg(contents, crop_window, channels=0, ratio=1, fancy_upscaling=True,
                         try_recover_truncated=False, acceptable_fraction=1, dct_method="",
                         name=None):
    """``tf.image.decode_and_crop_jpeg``: ``crop_window`` is ``[y, x, height, width]``."""
    y, x, h, w = (int(v) for v in np.asarray(tensor(crop_window)._trace_value()))
    return wrap(decode_jpeg(contents, channels)._value[y:y + h, x:x + w])


def decode_bmp(contents, channels=0, name=None):
    return wrap(_array(_open(_bytes(contents), "DecodeBmp"), int(channels)).astype(np.uint8))


def decode_webp(contents, channels=0, expand_animations=True, dtype=dtypes.uint8, name=None):
    return wrap(_array(_open(_bytes(contents), "DecodeWebP"), int(channels)).astype(np.uint8))


def decode_gif(contents, name=None):
    """``tf.image.decode_gif``: every frame, ``[frames, height, width, 3]`` uint8."""
    img = _open(_bytes(contents), "DecodeGif")
    frames = []
    for i in range(getattr(img, "n_frames", 1)):
        img.seek(i)
        frames.append(np.asarray(img.convert("RGB")))
    return wrap(np.stack(frames).astype(np.uint8))


def decode_image(contents, channels=None, dtype=dtypes.uint8, name=None,
                 expand_animations=True):
    """``tf.image.decode_image``: any of the formats; GIFs are 4-D unless
    ``expand_animations=False`` (then the first frame)."""
    from .image_ops import convert_image_dtype
    data = _bytes(contents)
    if data[:6] in (b"GIF87a", b"GIF89a"):
        out = decode_gif(data)
        if not expand_animations:
            out = wrap(out._value[0])
    else:
        out = wrap(_array(_open(data, "DecodeImage"), int(channels or 0)).astype(np.uint8))
    return convert_image_dtype(out, dtype)


def is_jpeg(contents, name=None):
    """``tf.image.is_jpeg``: whether the bytes start with a JPEG marker."""
    return wrap(np.asarray(_bytes(contents)[:3] == b"\xff\xd8\xff"))


def extract_jpeg_shape(contents, output_type=dtypes.int32, name=None):
    """``tf.image.extract_jpeg_shape``: ``[height, width, channels]`` from the header."""
    img = _pil().open(io.BytesIO(_bytes(contents)))
    shape = (img.height, img.width, len(img.getbands()))
    return wrap(np.asarray(shape, dtypes.as_dtype(output_type)._np))


def _save(image, fmt, **options):
    arr = np.asarray(tensor(image))  # read by value (guarded in a graph)
    if arr.ndim != 3:
        raise ValueError(f"image must be 3-dimensional, got shape {arr.shape}")
    img = arr[..., 0] if arr.shape[-1] == 1 else arr
    if arr.dtype == np.uint16:
        pil = _pil().fromarray(img.astype(np.uint16), "I;16") if img.ndim == 2 else None
        if pil is None:
            raise NotImplementedError("16-bit colour PNGs are not supported by tapeflow")
    else:
        pil = _pil().fromarray(img.astype(np.uint8), _MODES[arr.shape[-1]])
    buf = io.BytesIO()
    pil.save(buf, fmt, **options)
    return wrap(np.asarray(buf.getvalue(), object))


def encode_png(image, compression=-1, name=None):
    """``tf.image.encode_png``: a scalar string of PNG bytes (decodes to the same pixels as
    TF's; the compressed bytes themselves differ)."""
    level = 6 if int(compression) < 0 else int(compression)
    return _save(image, "PNG", compress_level=level)


def encode_jpeg(image, format="", quality=95, progressive=False, optimize_size=False,  # noqa: A002
                chroma_downsampling=True, density_unit="in", x_density=300, y_density=300,
                xmp_metadata="", name=None):
    """``tf.image.encode_jpeg``: a scalar string of JPEG bytes."""
    return _save(image, "JPEG", quality=int(quality), progressive=bool(progressive),
                 optimize=bool(optimize_size), subsampling=2 if chroma_downsampling else 0,
                 dpi=(int(x_density), int(y_density)))


def adjust_jpeg_quality(image, jpeg_quality, dct_method="", name=None):
    """``tf.image.adjust_jpeg_quality``: encoded and decoded again at ``jpeg_quality``."""
    from .image_ops import convert_image_dtype
    x = tensor(image)
    u8 = convert_image_dtype(x, dtypes.uint8, saturate=True)
    back = decode_jpeg(encode_jpeg(u8, quality=int(np.asarray(jpeg_quality))),
                       channels=x._value.shape[-1])
    return convert_image_dtype(back, x.dtype)


def _quality_bounds(lo, hi):
    if lo < 0 or hi > 100 or lo >= hi:
        raise ValueError("jpeg_quality must be in [0, 100] and min_jpeg_quality < "
                         "max_jpeg_quality")


def random_jpeg_quality(image, min_jpeg_quality, max_jpeg_quality, seed=None):
    _quality_bounds(min_jpeg_quality, max_jpeg_quality)
    q = int(_generator(seed).integers(min_jpeg_quality, max_jpeg_quality))
    return adjust_jpeg_quality(image, q)


def stateless_random_jpeg_quality(image, min_jpeg_quality, max_jpeg_quality, seed):
    _quality_bounds(min_jpeg_quality, max_jpeg_quality)
    q = int(stateless_rng(seed).integers(min_jpeg_quality, max_jpeg_quality))
    return adjust_jpeg_quality(image, q)


EXPORTS = {
    "image": ["decode_png", "decode_jpeg", "decode_and_crop_jpeg", "decode_bmp", "decode_webp",
              "decode_gif", "decode_image", "is_jpeg", "extract_jpeg_shape", "encode_png",
              "encode_jpeg", "adjust_jpeg_quality", "random_jpeg_quality",
              "stateless_random_jpeg_quality"],
}
