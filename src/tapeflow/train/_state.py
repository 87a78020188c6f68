"""The ``checkpoint`` state file (a text ``CheckpointState``) and the one rule of safe writing:
temporary name, flush, fsync, atomic rename, fsync the directory."""

import os

from . import _fault, _protos
from ._bundle import fsync_dir, index_path
from ._protos import text_format

STATE_FILE = "checkpoint"


def write_atomically(path, data):
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "wb") as f:
        f.write(data)
        _fault.step()
        f.flush()
        os.fsync(f.fileno())
    _fault.step()
    os.replace(tmp, path)
    _fault.step()
    fsync_dir(os.path.dirname(path) or ".")


def _relative(path, directory):
    rel = os.path.relpath(path, directory)
    return path if rel.startswith("..") else rel


def write_state(directory, latest, paths, timestamps=None, last_preserved=None,
                latest_filename=None):
    """Record ``latest`` and ``paths`` (relative to ``directory`` when inside it), as TF does."""
    state = _protos.CheckpointState(model_checkpoint_path=_relative(latest, directory))
    state.all_model_checkpoint_paths.extend(_relative(p, directory) for p in paths)
    if timestamps is not None:
        state.all_model_checkpoint_timestamps.extend(timestamps)
    if last_preserved is not None:
        state.last_preserved_timestamp = last_preserved
    path = os.path.join(directory, latest_filename or STATE_FILE)
    write_atomically(path, text_format.MessageToString(state).encode())


def read_state(directory, latest_filename=None):
    """The state in ``directory`` with its paths made whole, or ``None`` when there is none."""
    path = os.path.join(os.fspath(directory), latest_filename or STATE_FILE)
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (FileNotFoundError, NotADirectoryError):
        return None
    state = _protos.CheckpointState()
    try:
        text_format.Parse(text, state)
    except text_format.ParseError:
        return None  # TF logs the damage and answers as if there were no state file
    whole = [p if os.path.isabs(p) else os.path.join(directory, p)
             for p in state.all_model_checkpoint_paths]
    del state.all_model_checkpoint_paths[:]
    state.all_model_checkpoint_paths.extend(whole)
    p = state.model_checkpoint_path
    if p and not os.path.isabs(p):
        state.model_checkpoint_path = os.path.join(directory, p)
    return state


def latest_checkpoint(checkpoint_dir, latest_filename=None):
    """``tf.train.latest_checkpoint``: the newest complete checkpoint's prefix, or ``None``."""
    state = read_state(os.fspath(checkpoint_dir), latest_filename)
    if state is None or not state.model_checkpoint_path:
        return None
    prefix = state.model_checkpoint_path
    return prefix if os.path.exists(index_path(prefix)) else None
