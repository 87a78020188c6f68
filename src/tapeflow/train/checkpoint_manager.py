"""``tf.train.CheckpointManager``: numbered saves in one directory, old ones swept away.

Order of a save, so that a crash at any point leaves ``latest_checkpoint`` on a complete
checkpoint: write the new checkpoint (temporary names, synced, renamed), then the state file
that names it and the ones kept, and only then delete the checkpoints dropped from it.
"""

import collections
import glob
import os
import time

from . import _fault
from ._bundle import INDEX_SUFFIX
from ._state import read_state, write_state


def _delete(prefix):
    for path in [prefix + INDEX_SUFFIX] + glob.glob(glob.escape(prefix) + ".data-?????-of-?????"):
        try:
            os.remove(path)
        except FileNotFoundError:
            pass
        _fault.step()


class CheckpointManager:
    """Keeps the ``max_to_keep`` newest checkpoints of ``checkpoint`` in ``directory`` (plus one
    every ``keep_checkpoint_every_n_hours``) and tracks them in the ``checkpoint`` state file."""

    def __init__(self, checkpoint, directory, max_to_keep, keep_checkpoint_every_n_hours=None,
                 checkpoint_name="ckpt", step_counter=None, checkpoint_interval=None,
                 init_fn=None):
        if not directory:
            raise ValueError("directory must be specified, got None")
        if max_to_keep is not None and max_to_keep <= 0:
            raise ValueError(f"Expected a positive integer or `None` for `max_to_keep`, got "
                             f"{max_to_keep}.")
        if checkpoint_interval is not None and step_counter is None:
            raise ValueError("`step_counter` should be passed if `checkpoint_interval` is not "
                             "None.")
        self._checkpoint = checkpoint
        self._directory = os.fspath(directory)
        self._max_to_keep = max_to_keep
        self._keep_every_n_hours = keep_checkpoint_every_n_hours
        self._prefix = os.path.join(self._directory, checkpoint_name)
        self._step_counter = step_counter
        self._checkpoint_interval = checkpoint_interval
        self._init_fn = init_fn
        self._last_checkpoint_step = None
        self._maybe_delete = collections.OrderedDict()
        now = time.time()
        state = read_state(self._directory)
        if state is None:
            self._latest_checkpoint = None
            self._last_preserved = now
        else:
            self._latest_checkpoint = state.model_checkpoint_path or None
            self._last_preserved = min(state.last_preserved_timestamp, now)
            paths = list(state.all_model_checkpoint_paths)
            stamps = list(state.all_model_checkpoint_timestamps) or [self._last_preserved] * len(
                paths)
            for path, stamp in zip(paths, stamps):
                stamp = min(stamp, now)
                if stamp > self._last_preserved:
                    self._maybe_delete[path] = stamp

    @property
    def directory(self):
        return self._directory

    @property
    def checkpoint(self):
        return self._checkpoint

    @property
    def checkpoint_interval(self):
        return self._checkpoint_interval

    @property
    def latest_checkpoint(self):
        """The prefix of the newest checkpoint this manager knows, or ``None``."""
        return self._latest_checkpoint

    @property
    def checkpoints(self):
        """The prefixes of the checkpoints kept and not yet preserved, oldest first."""
        return list(self._maybe_delete)

    def save(self, checkpoint_number=None, check_interval=True, options=None):
        """Save ``<directory>/<checkpoint_name>-<n>`` (``n`` is ``checkpoint_number``, else the
        checkpoint's save counter), record it, sweep the old ones; returns the path, or ``None``
        when ``checkpoint_interval`` says it is not time yet."""
        if self._checkpoint_interval is not None:
            step = int(self._step_counter.numpy() if hasattr(self._step_counter, "numpy")
                       else self._step_counter)
            if (check_interval and self._last_checkpoint_step is not None
                    and step < self._last_checkpoint_step + self._checkpoint_interval):
                return None
            self._last_checkpoint_step = step
        counter = self._checkpoint.save_counter
        counter.assign_add(1)
        if checkpoint_number is None:
            checkpoint_number = counter
        number = int(checkpoint_number.numpy() if hasattr(checkpoint_number, "numpy")
                     else checkpoint_number)
        from .checkpoint import write_objects
        path = write_objects(self._checkpoint, f"{self._prefix}-{number}")
        self._latest_checkpoint = path
        self._maybe_delete.pop(path, None)
        self._maybe_delete[path] = time.time()
        doomed = self._sweep()
        self._record_state()
        for prefix in doomed:
            _delete(prefix)
        return path

    def _sweep(self):
        """Drop the oldest checkpoints past ``max_to_keep`` from the record; returns those to
        delete (the ones ``keep_checkpoint_every_n_hours`` preserves are forgotten, kept)."""
        doomed = []
        if not self._max_to_keep:
            return doomed
        while len(self._maybe_delete) > self._max_to_keep:
            path, stamp = self._maybe_delete.popitem(last=False)
            if (self._keep_every_n_hours is not None
                    and stamp - self._keep_every_n_hours * 3600.0 >= self._last_preserved):
                self._last_preserved = stamp
                continue
            doomed.append(path)
        return doomed

    def _record_state(self):
        write_state(self._directory, self._latest_checkpoint, list(self._maybe_delete),
                    list(self._maybe_delete.values()), self._last_preserved)

    def restore_or_initialize(self):
        """Restore the latest checkpoint and return its path; with none, run ``init_fn``."""
        if self._latest_checkpoint is not None:
            self._checkpoint.restore(self._latest_checkpoint)
            if self._checkpoint_interval is not None:
                self._last_checkpoint_step = int(self._step_counter.numpy())
            return self._latest_checkpoint
        if self._init_fn is not None:
            self._init_fn()
        return None

    def sync(self):
        """Saves are synchronous here: nothing to wait for."""

