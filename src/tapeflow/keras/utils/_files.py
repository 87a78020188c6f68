"""``keras.utils.get_file``: a file fetched from a URL into Keras's cache folder
(``$KERAS_HOME`` or ``~/.keras``, under ``cache_subdir``), checked against a hash, optionally
extracted (tar or zip). A cached file is not fetched again."""

import hashlib
import os
import shutil
import tarfile
import tempfile
import urllib.parse
import urllib.request
import zipfile


def _keras_home():
    return os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")


def _file_hash(path, algorithm):
    digest = hashlib.sha256() if algorithm == "sha256" else hashlib.md5()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def _matches(path, file_hash, algorithm):
    if algorithm == "auto":
        algorithm = "sha256" if len(file_hash) == 64 else "md5"
    return _file_hash(path, algorithm) == str(file_hash)


def _extract(archive, target, archive_format):
    formats = ["tar", "zip"] if archive_format == "auto" else \
        [archive_format] if isinstance(archive_format, str) else list(archive_format or [])
    for kind in formats:
        is_kind = tarfile.is_tarfile if kind == "tar" else zipfile.is_zipfile
        if not is_kind(archive):
            continue
        try:
            if kind == "tar":
                with tarfile.open(archive) as f:
                    f.extractall(target, filter="data")
            else:
                with zipfile.ZipFile(archive) as f:
                    f.extractall(target)
        except (tarfile.TarError, RuntimeError, KeyboardInterrupt, zipfile.BadZipFile):
            shutil.rmtree(target, ignore_errors=True)
            raise
        return True
    return False


def get_file(fname=None, origin=None, untar=False, md5_hash=None, file_hash=None,
             cache_subdir="datasets", hash_algorithm="auto", extract=False,
             archive_format="auto", cache_dir=None, force_download=False):
    """The local path of ``origin``'s file (or of the folder it was extracted to)."""
    from ..config import print_msg
    from .progbar import Progbar
    if origin is None:
        raise ValueError('Please specify the "origin" argument (URL of the file to download).')
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    base = os.path.expanduser(cache_dir or _keras_home())
    if not os.access(base, os.W_OK):  # missing or read-only: Keras falls back to /tmp
        base = os.path.join(tempfile.gettempdir(), ".keras")
    folder = os.path.join(base, cache_subdir)
    os.makedirs(folder, exist_ok=True)
    given = fname
    fname = os.fspath(fname) if fname else os.path.basename(urllib.parse.urlsplit(origin).path)
    if not fname:
        raise ValueError(f"Can't parse the file name from the origin provided: '{origin}'."
                         "Please specify the `fname` argument.")
    if given and os.sep in fname:
        raise ValueError("Paths are no longer accepted as the `fname` argument. To specify the "
                         "file's parent directory, use the `cache_dir` argument. Received: "
                         f"fname={fname}")
    archive_dir = None
    if extract or untar:
        stem = fname[:fname.find(".")] if given and "." in fname else fname
        if given and "." in fname:
            target, archive_dir = os.path.join(folder, fname), os.path.join(
                folder, f"{stem}_extracted")
        else:
            target, archive_dir = os.path.join(folder, f"{stem}_archive"), os.path.join(
                folder, stem)
    else:
        target = os.path.join(folder, fname)
    fetch = force_download or not os.path.exists(target)
    if not fetch and file_hash is not None and not _matches(target, file_hash, hash_algorithm):
        print_msg("A local file was found, but it seems to be incomplete or outdated because "
                  f"the {hash_algorithm} file hash does not match the original value of "
                  f"{file_hash} so we will re-download the data.")
        fetch = True
    if fetch:
        print_msg(f"Downloading data from {origin}")
        bar = []

        def progress(blocks, block_size, total):
            if not bar:
                bar.append(Progbar(None if total == -1 else total))
            done = blocks * block_size
            bar[0].update(min(done, total) if total != -1 else done)
        try:
            urllib.request.urlretrieve(origin, target, progress)
        except urllib.error.HTTPError as e:
            _remove(target)
            raise Exception(f"URL fetch failure on {origin}: {e.code} -- {e.msg}") from e
        except urllib.error.URLError as e:
            _remove(target)
            raise Exception(f"URL fetch failure on {origin}: {e.errno} -- {e.reason}") from e
        except BaseException:
            _remove(target)
            raise
        if file_hash is not None and not _matches(target, file_hash, hash_algorithm):
            raise ValueError(f"Incomplete or corrupted file detected. The {hash_algorithm} file "
                             f"hash does not match the provided value of {file_hash}.")
    if archive_dir is not None:
        if not _extract(target, archive_dir, "tar" if untar else archive_format):
            import warnings
            warnings.warn("Could not extract archive.", stacklevel=2)
        return archive_dir
    return target


def _remove(path):
    if os.path.exists(path):
        os.remove(path)
