"""Summary writers, the default-writer stack, the global step and ``record_if``.

Event files are written by TensorBoard's own ``EventFileWriter`` (the optional extra
``tapeflow[tensorboard]``), so TensorBoard reads them as it reads TensorFlow's.
"""

import atexit
import contextlib
import threading
import time
import weakref

_open_writers = weakref.WeakSet()


class _State(threading.local):
    def __init__(self):
        self.writers = []      # the as_default() stack
        self.conditions = []   # the record_if() stack


_state = _State()
_step = [None]   # tf.summary.experimental.set_step: one for the whole program, as in TF


def _tensorboard():
    try:
        from tensorboard.compat.proto import event_pb2
        from tensorboard.summary.writer.event_file_writer import EventFileWriter
    except ImportError as e:  # the optional extra is missing
        raise ImportError("tf.summary writes TensorBoard event files with the `tensorboard` "
                          "package: pip install 'tapeflow[tensorboard]'") from e
    return EventFileWriter, event_pb2


class SummaryWriter:
    """``tf.summary.SummaryWriter``: what ``create_file_writer`` and ``create_noop_writer``
    return."""

    def as_default(self, step=None):
        return _default(self, step)

    def set_as_default(self, step=None):
        _state.writers.append(self)
        if step is not None:
            _step[0] = step

    def init(self):
        pass

    def flush(self):
        pass

    def close(self):
        pass

    def _write(self, summary, step):
        return False

    def _write_graph(self, graph_def):
        return False


class _ResourceSummaryWriter(SummaryWriter):
    def __init__(self, logdir, max_queue, flush_millis, filename_suffix):
        EventFileWriter, self._event_pb2 = _tensorboard()
        self._writer = EventFileWriter(str(logdir), max_queue_size=max_queue,
                                       flush_secs=flush_millis / 1000.0,
                                       filename_suffix=filename_suffix)
        self._closed = False
        self._lock = threading.Lock()
        _open_writers.add(self)

    def as_default(self, step=None):
        self._check_open()
        return super().as_default(step)

    def _check_open(self):
        if self._closed:
            raise RuntimeError(f"SummaryWriter {self!r} is already closed")

    def _write(self, summary, step):
        self._check_open()
        event = self._event_pb2.Event(wall_time=time.time(), step=int(step), summary=summary)
        with self._lock:
            self._writer.add_event(event)
        return True

    def _write_graph(self, graph_def):
        """An event whose ``graph_def`` is the serialized GraphDef (``tf.summary.graph``)."""
        self._check_open()
        event = self._event_pb2.Event(wall_time=time.time(), graph_def=graph_def)
        with self._lock:
            self._writer.add_event(event)
        return True

    def flush(self):
        if not self._closed:
            self._writer.flush()

    def close(self):
        if not self._closed:
            self._writer.close()
            self._closed = True


class _NoopSummaryWriter(SummaryWriter):
    pass


def create_file_writer(logdir, max_queue=None, flush_millis=None, filename_suffix=None,
                       name=None, experimental_trackable=False, experimental_mesh=None):
    """``tf.summary.create_file_writer``: event files in ``logdir`` (created if missing)."""
    if hasattr(logdir, "numpy"):
        logdir = logdir.numpy().decode()
    return _ResourceSummaryWriter(logdir, 10 if max_queue is None else int(max_queue),
                                  120_000 if flush_millis is None else int(flush_millis),
                                  ".v2" if filename_suffix is None else str(filename_suffix))


def create_noop_writer():
    return _NoopSummaryWriter()


@contextlib.contextmanager
def _default(writer, step):
    saved = _step[0]
    _state.writers.append(writer)
    if step is not None:
        _step[0] = step
    try:
        yield writer
    finally:
        _state.writers.pop()
        if step is not None:
            _step[0] = saved
        writer.flush()


def default_writer():
    return _state.writers[-1] if _state.writers else None


def flush(writer=None, name=None):
    writer = default_writer() if writer is None else writer
    if writer is not None:
        writer.flush()


@contextlib.contextmanager
def record_if(condition):
    """Write summaries only while ``condition`` (a bool, a tensor or a callable) holds."""
    _state.conditions.append(condition)
    try:
        yield
    finally:
        _state.conditions.pop()


def should_record_summaries():
    from ..framework.tensor import wrap
    import numpy as np
    return wrap(np.asarray(default_writer() is not None and _recording()))


def _recording():
    for condition in _state.conditions:
        value = condition() if callable(condition) else condition
        if not bool(value):
            return False
    return True


def set_step(step):
    _step[0] = step


def get_step():
    return _step[0]


def writer_and_step(step):
    """The writer to use and the step as an int, or (None, None) when nothing is recorded."""
    writer = default_writer()
    if writer is None or not _recording():
        return None, None
    if step is None:
        step = _step[0]
    if step is None:
        raise ValueError("No step set. Please specify one either through the `step` argument "
                         "or through tf.summary.experimental.set_step()")
    step = step.numpy() if hasattr(step, "numpy") else step
    return writer, int(step)


@atexit.register
def _close_all():
    for writer in list(_open_writers):
        writer.close()
