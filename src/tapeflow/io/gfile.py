"""``tf.io.gfile``: TF's file-system API on the local file system, with TF's errors."""

import glob as _glob
import os
import shutil

from ..framework import errors
from ._common import os_error_class


def _str(name):
    return os.fsdecode(name.numpy() if hasattr(name, "numpy") else name)


def _error(e, name):
    return os_error_class(e)(None, None, f"{name}; {e.strerror or e}")


class GFile:
    """``tf.io.gfile.GFile``: a file opened on first use; ``"r"`` reads str, ``"rb"`` bytes."""

    def __init__(self, name, mode="r"):
        self.name, self.mode = _str(name), mode
        self._f = None
        if "w" in mode or "a" in mode:
            self._open()

    def _open(self):
        if self._f is None:
            try:
                self._f = open(self.name, self.mode if "b" in self.mode else self.mode + "b")
            except OSError as e:
                raise _error(e, self.name) from None
        return self._f

    def _text(self, data):
        return data if "b" in self.mode else data.decode("utf-8")

    def read(self, n=-1):
        return self._text(self._open().read(n))

    def readline(self):
        return self._text(self._open().readline())

    def readlines(self):
        return [self._text(line) for line in self._open().readlines()]

    def __iter__(self):
        return iter(self.readline, self._text(b""))

    def write(self, data):
        self._open().write(data.encode("utf-8") if isinstance(data, str) else data)

    def seek(self, offset=None, whence=0, position=None):
        self._open().seek(position if offset is None else offset, whence)

    def tell(self):
        return self._open().tell()

    def size(self):
        return stat(self.name).length

    def seekable(self):
        return True

    def flush(self):
        if self._f is not None:
            self._f.flush()

    def close(self):
        if self._f is not None:
            self._f.close()
            self._f = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class FileStatistics:
    """What ``stat`` returns: ``length``, ``mtime_nsec`` and ``is_directory``."""

    def __init__(self, length, mtime_nsec, is_directory):
        self.length, self.mtime_nsec, self.is_directory = length, mtime_nsec, is_directory


def exists(path):
    return os.path.exists(_str(path))


def isdir(path):
    return os.path.isdir(_str(path))


def glob(pattern):
    patterns = [pattern] if isinstance(pattern, str | bytes) else pattern
    return sorted({f for p in patterns for f in _glob.glob(_str(p))})


def listdir(path):
    path = _str(path)
    if not os.path.isdir(path):
        raise errors.NotFoundError(None, None, f"Could not find directory {path}")
    return os.listdir(path)


def _do(fn, path, *args, **kwargs):
    """``fn(path, ...)`` with TF's error classes for what the file system refuses."""
    try:
        return fn(path, *args, **kwargs)
    except OSError as e:
        raise _error(e, path) from None


def makedirs(path):
    _do(os.makedirs, _str(path), exist_ok=True)


def mkdir(path):
    """Make one folder; an existing one is fine, as in TF."""
    if not os.path.isdir(_str(path)):
        _do(os.mkdir, _str(path))


def remove(path):
    _do(os.remove, _str(path))


def _move(fn, src, dst, overwrite):
    src, dst = _str(src), _str(dst)
    if not overwrite and os.path.exists(dst):
        raise errors.AlreadyExistsError(None, None, "file already exists")
    _do(fn, src, dst)


def rename(src, dst, overwrite=False):
    _move(os.replace, src, dst, overwrite)


def copy(src, dst, overwrite=False):
    _move(shutil.copyfile, src, dst, overwrite)


def rmtree(path):
    if not os.path.exists(_str(path)):
        raise errors.NotFoundError(None, None, f"{_str(path)} not found")
    _do(shutil.rmtree, _str(path))


def stat(path):
    s = _do(os.stat, _str(path))
    return FileStatistics(s.st_size, s.st_mtime_ns, os.path.isdir(_str(path)))


def walk(top, topdown=True, onerror=None):
    """(folder, subfolder names, file names) for ``top`` and every folder below it."""
    for folder, subdirs, files in os.walk(_str(top), topdown=topdown, onerror=onerror):
        yield folder, subdirs, files


def join(path, *paths):
    return os.path.join(_str(path), *map(_str, paths))


def get_registered_schemes():
    return ["file", ""]
