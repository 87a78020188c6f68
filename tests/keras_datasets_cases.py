"""Stand-ins for the files ``keras.datasets`` downloads (same names and formats, a few rows of
made-up data) and calls of the loaders on them, shared by tools/record_keras_datasets_fixtures.py
(real Keras 3) and tests/test_keras_datasets.py (tapeflow). ``write_cache(home)`` fills
``home/datasets`` as a download would; each case is ``lambda keras: ...``; ``describe`` turns a
result into JSON (arrays by dtype, shape and SHA-256 of their bytes, object arrays of lists in
full with their element types) so both sides compare exactly."""

import gzip
import hashlib
import io
import json
import os
import pickle
import tarfile

import numpy as np

# Every download fails the same way on both sides (the tests never touch the network).
NO_NETWORK = "stand-in: no network"


def _sequences(rng, n, top):
    return [[int(w) for w in rng.integers(1, top, rng.integers(1, 13))] for _ in range(n)]


def _objects(seqs):
    out = np.empty(len(seqs), dtype=object)
    out[:] = seqs
    return out


def _tar_gz(path, members):
    with tarfile.open(path, "w:gz", compresslevel=1) as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def _cifar_batch(data, **labels):
    # protocol 4 stores bytes natively (protocol 2 would need codecs.encode, which a
    # restricted unpickler refuses); the real files are Python 2 pickles of the same shape
    d = {b"data": data, b"batch_label": b"stand-in"}
    d.update((k.encode(), v) for k, v in labels.items())
    return pickle.dumps(d, protocol=4)


def _cifar10_train(b):
    # 10,000 images per batch as Keras expects, from a cheap pattern that differs per image
    i = np.arange(10000)[:, None]
    p = np.arange(3072)[None, :]
    data = ((i * 31 + p * 7 + b * 13) % 251).astype("uint8")
    return _cifar_batch(data, labels=[int(v) for v in (np.arange(10000) * 3 + b) % 10])


class _Gadget:
    """Pickles as a call of ``os.getcwd``: a tampered file's code, which loaders must refuse."""

    def __reduce__(self):
        return os.getcwd, ()


def _idx(path, array):
    magic = bytes([0, 0, 8, array.ndim])
    dims = b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    with gzip.open(path, "wb") as f:
        f.write(magic + dims + array.astype("uint8").tobytes())


def write_cache(home):
    """Fill ``home/datasets`` with every dataset's stand-in file, deterministically."""
    rng = np.random.default_rng(11)
    folder = os.path.join(home, "datasets")
    os.makedirs(os.path.join(folder, "fashion-mnist"), exist_ok=True)
    mnist = {"x_train": rng.integers(0, 256, (7, 28, 28)).astype("uint8"),
             "y_train": rng.integers(0, 10, 7).astype("uint8"),
             "x_test": rng.integers(0, 256, (3, 28, 28)).astype("uint8"),
             "y_test": rng.integers(0, 10, 3).astype("uint8")}
    np.savez_compressed(os.path.join(folder, "mnist.npz"), **mnist)
    mnist["x_train"] = mnist["x_train"][::-1]
    np.savez(os.path.join(folder, "my_mnist.npz"), **mnist)
    for part, n in (("train", 6), ("t10k", 4)):
        _idx(os.path.join(folder, "fashion-mnist", f"{part}-labels-idx1-ubyte.gz"),
             rng.integers(0, 10, n))
        _idx(os.path.join(folder, "fashion-mnist", f"{part}-images-idx3-ubyte.gz"),
             rng.integers(0, 256, (n, 28, 28)))
    test = rng.integers(0, 256, (5, 3072)).astype("uint8")
    members = {f"cifar-10-batches-py/data_batch_{b}": _cifar10_train(b) for b in range(1, 6)}
    members["cifar-10-batches-py/test_batch"] = _cifar_batch(
        test, labels=[int(v) for v in rng.integers(0, 10, 5)])
    _tar_gz(os.path.join(folder, "cifar-10-batches-py-target_archive"), members)
    members = {}
    for part, n in (("train", 6), ("test", 4)):
        members[f"cifar-100-python/{part}"] = _cifar_batch(
            rng.integers(0, 256, (n, 3072)).astype("uint8"),
            fine_labels=[int(v) for v in rng.integers(0, 100, n)],
            coarse_labels=[int(v) for v in rng.integers(0, 20, n)])
    _tar_gz(os.path.join(folder, "cifar-100-python-target_archive"), members)
    np.savez(os.path.join(folder, "imdb.npz"),
             x_train=_objects(_sequences(rng, 9, 40)), y_train=rng.integers(0, 2, 9),
             x_test=_objects(_sequences(rng, 6, 40)), y_test=rng.integers(0, 2, 6))
    np.savez(os.path.join(folder, "tampered.npz"), x_train=_objects([[1, 2], _Gadget()]),
             y_train=np.zeros(2, "int64"), x_test=_objects([[3]]), y_test=np.zeros(1, "int64"))
    np.savez(os.path.join(folder, "reuters.npz"), x=_objects(_sequences(rng, 17, 50)),
             y=rng.integers(0, 46, 17))
    for name in ("imdb", "reuters"):
        words = {f"{name}_w{i}": i + 1 for i in range(12)}
        with open(os.path.join(folder, f"{name}_word_index.json"), "w") as f:
            json.dump(words, f)
    np.savez(os.path.join(folder, "boston_housing.npz"), x=rng.standard_normal((21, 13)),
             y=rng.uniform(5, 50, 21))
    np.savez(os.path.join(folder, "california_housing.npz"),
             x=rng.standard_normal((640, 8)).astype("float32"),
             y=rng.uniform(1e4, 5e5, 640).astype("float32"))


def _channels_first(keras, load):
    old = keras.config.image_data_format()
    keras.config.set_image_data_format("channels_first")
    try:
        return load()
    finally:
        keras.config.set_image_data_format(old)


CASES = {
    "mnist": lambda k: k.datasets.mnist.load_data(),
    "mnist/path": lambda k: k.datasets.mnist.load_data(path="my_mnist.npz"),
    "mnist/missing": lambda k: k.datasets.mnist.load_data(path="not_cached.npz"),
    "fashion_mnist": lambda k: k.datasets.fashion_mnist.load_data(),
    "cifar10": lambda k: k.datasets.cifar10.load_data(),
    "cifar10/channels_first": lambda k: _channels_first(k, k.datasets.cifar10.load_data),
    "cifar100": lambda k: k.datasets.cifar100.load_data(),
    "cifar100/coarse": lambda k: k.datasets.cifar100.load_data(label_mode="coarse"),
    "cifar100/bad_mode": lambda k: k.datasets.cifar100.load_data(label_mode="middle"),
    "imdb": lambda k: k.datasets.imdb.load_data(),
    "imdb/vocab": lambda k: k.datasets.imdb.load_data(num_words=20, skip_top=5, seed=3),
    "imdb/maxlen": lambda k: k.datasets.imdb.load_data(maxlen=7, seed=113, oov_char=None,
                                                       num_words=25),
    "imdb/raw": lambda k: k.datasets.imdb.load_data(start_char=None, oov_char=None,
                                                    index_from=0),
    "imdb/shifted": lambda k: k.datasets.imdb.load_data(start_char=None, index_from=4,
                                                        skip_top=6, seed=0),
    "imdb/maxlen_too_small": lambda k: k.datasets.imdb.load_data(maxlen=2),
    "imdb/tampered": lambda k: k.datasets.imdb.load_data(path="tampered.npz"),
    "imdb/word_index": lambda k: k.datasets.imdb.get_word_index(),
    "reuters": lambda k: k.datasets.reuters.load_data(),
    "reuters/options": lambda k: k.datasets.reuters.load_data(
        num_words=30, skip_top=3, maxlen=10, test_split=0.5, seed=1),
    "reuters/raw": lambda k: k.datasets.reuters.load_data(start_char=None, index_from=0,
                                                          oov_char=None, num_words=20),
    "reuters/start_only": lambda k: k.datasets.reuters.load_data(start_char=7, index_from=0,
                                                                 test_split=0.0),
    "reuters/empty": lambda k: k.datasets.reuters.load_data(maxlen=1),
    "reuters/word_index": lambda k: k.datasets.reuters.get_word_index(),
    "reuters/labels": lambda k: k.datasets.reuters.get_label_names(),
    "boston_housing": lambda k: k.datasets.boston_housing.load_data(),
    "boston_housing/split": lambda k: k.datasets.boston_housing.load_data(test_split=0.35,
                                                                          seed=5),
    "boston_housing/bad_split": lambda k: k.datasets.boston_housing.load_data(test_split=1),
    "california_housing": lambda k: k.datasets.california_housing.load_data(),
    "california_housing/small": lambda k: k.datasets.california_housing.load_data(
        version="small", test_split=0.1, seed=0),
    "california_housing/bad_version": lambda k: k.datasets.california_housing.load_data(
        version="medium"),
    "california_housing/bad_split": lambda k: k.datasets.california_housing.load_data(
        test_split=-0.5),
}


def describe(value):
    """JSON for a loader's result (or the exception it raised)."""
    if isinstance(value, BaseException):
        return {"error": type(value).__name__, "message": str(value)}
    if isinstance(value, (tuple, list)):
        return {type(value).__name__: [describe(v) for v in value]}
    if isinstance(value, dict):
        return {"dict": [list(item) for item in sorted(value.items())]}
    if isinstance(value, str):
        return value
    a = value
    out = {"type": type(a).__name__, "dtype": str(a.dtype), "shape": list(a.shape)}
    if a.dtype == object:
        flat = [list(s) for s in a.reshape(-1)] if a.ndim == 1 else a.tolist()
        out["values"] = json.loads(json.dumps(flat, default=int))
        out["types"] = sorted({type(w).__name__ for s in a.reshape(-1) for w in
                               (s if isinstance(s, list) else [s])})
    else:
        out["sha256"] = hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()
        out["head"] = a.reshape(-1)[:4].tolist()
    return out


def run(keras, name):
    try:
        return describe(CASES[name](keras))
    except Exception as e:  # noqa: BLE001 - the error is part of what is compared
        return describe(e)
