"""``tf.keras.applications.imagenet_utils``: the ImageNet input scalings (``preprocess_input``'s
"caffe", "tf" and "torch" modes) and ``decode_predictions``, which reads Keras's class-index
file from its cache folder (tapeflow does not download it)."""

import json as _json
import os as _os

import numpy as _np

from .. import config as _config
from ._common import cache_dir as _cache_dir

_CAFFE_MEAN = [103.939, 116.779, 123.68]  # ImageNet's mean pixel, in BGR order
_TORCH_MEAN = [0.485, 0.456, 0.406]
_TORCH_STD = [0.229, 0.224, 0.225]
_CLASS_INDEX_URL = ("https://storage.googleapis.com/download.tensorflow.org/data/"
                    "imagenet_class_index.json")
_class_index = {}  # path -> the file's {"0": [wnid, name], ...}


def preprocess_input(x, data_format=None, mode="caffe"):
    """Scale a batch of RGB images with values in [0, 255] as the ImageNet models expect:
    ``mode`` "caffe" (to BGR, minus ImageNet's mean pixel), "tf" (to [-1, 1]) or "torch" (to
    [0, 1], then normalized per channel). A NumPy float array is changed in place."""
    if mode not in {"caffe", "tf", "torch"}:
        raise ValueError("Expected mode to be one of `caffe`, `tf` or `torch`. Received: "
                         f"mode={mode}")
    if data_format is None:
        data_format = _config.image_data_format()
    elif data_format not in {"channels_first", "channels_last"}:
        raise ValueError("Expected data_format to be one of `channels_first` or "
                         f"`channels_last`. Received: data_format={data_format}")
    if isinstance(x, _np.ndarray):
        return _preprocess_array(x, data_format, mode)
    return _preprocess_tensor(x, data_format, mode)


def _channel_index(x, data_format, c):
    """The index of channel ``c`` of ``x`` (3D: one image, 4D: a batch)."""
    if data_format == "channels_last":
        return (Ellipsis, c)
    return (c,) if len(x.shape) == 3 else (slice(None), c)


def _bgr(x, data_format):
    if data_format == "channels_last":
        return x[..., ::-1]
    return x[::-1, ...] if len(x.shape) == 3 else x[:, ::-1, ...]


def _preprocess_array(x, data_format, mode):
    if not issubclass(x.dtype.type, _np.floating):
        x = x.astype(_config.floatx(), copy=False)
    if mode == "tf":
        x /= 127.5
        x -= 1.0
        return x
    if mode == "torch":
        x /= 255.0
        mean, std = _TORCH_MEAN, _TORCH_STD
    else:
        x, mean, std = _bgr(x, data_format), _CAFFE_MEAN, None
    for c in range(3):
        at = _channel_index(x, data_format, c)
        x[at] -= mean[c]
        if std is not None:
            x[at] /= std[c]
    return x


def _preprocess_tensor(x, data_format, mode):
    """Tensors (eager, in a graph, or a functional model's symbolic inputs): new tensors."""
    from ... import constant
    from ...ops import array_ops
    if mode == "tf":
        x = x / 127.5
        return x - 1.0
    if mode == "torch":
        x = x / 255.0
        mean = _TORCH_MEAN
    else:
        x, mean = _bgr(x, data_format), _CAFFE_MEAN
    ndim = len(x.shape)
    if data_format == "channels_last":
        shape = (1,) * (ndim - 1) + (3,)
    else:
        shape = (3, 1, 1) if ndim == 3 else (1, 3) + (1,) * (ndim - 2)
    x = x + array_ops.reshape(constant(-_np.array(mean), dtype=x.dtype), shape)
    if mode == "torch":
        x = x / array_ops.reshape(constant(_np.array(_TORCH_STD), dtype=x.dtype),
                                  (-1, 1, 1) if data_format == "channels_first" else (3,))
    return x


def _class_names():
    path = _os.path.join(_cache_dir(), "imagenet_class_index.json")
    if path not in _class_index:
        if not _os.path.exists(path):
            raise FileNotFoundError(
                "decode_predictions needs ImageNet's class index, imagenet_class_index.json, "
                f"which Keras downloads from {_CLASS_INDEX_URL}; tapeflow does not download: "
                f"place that file at {path}.")
        with open(path) as f:
            _class_index[path] = _json.load(f)
    return _class_index[path]


def decode_predictions(preds, top=5):
    """The ``top`` (class id, class name, score) triples of each row of ImageNet scores,
    highest first."""
    if len(preds.shape) != 2 or preds.shape[1] != 1000:
        raise ValueError("`decode_predictions` expects a batch of predictions (i.e. a 2D array "
                         "of shape (samples, 1000)). Received array with shape: "
                         f"{tuple(preds.shape)}")
    names = _class_names()
    out = []
    for row in _np.asarray(preds):
        best = row.argsort()[-top:][::-1]
        triples = [tuple(names[str(i)]) + (row[i],) for i in best]
        triples.sort(key=lambda t: t[2], reverse=True)
        out.append(triples)
    return out
