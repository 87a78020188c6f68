"""``tf.profiler.experimental``: a host-side timeline of what the program asked of tapeflow.

While the profiler runs, every call from the user's code into tapeflow (an op, a tf.function,
a Keras ``fit`` or layer call, each nested where it happens) and every ``Trace`` block becomes
one span. ``stop()`` writes them in the Chrome trace-event format (``ph: "X"`` complete
events) to ``<logdir>/plugins/profile/<date_time>/<host>.trace.json.gz``, which
``chrome://tracing`` and Perfetto open. TensorFlow writes its own ``.xplane.pb`` there instead,
with device and kernel detail that TensorBoard's profile plugin reads; tapeflow runs NumPy on
the host, so a Python-level timeline is what there is to show.
"""

import contextlib
import gzip
import json
import os
import socket
import sys
import threading
import time

from ..framework import errors

_PACKAGE = "tapeflow."
# Frames that only pass a call on (context managers' generators): their callees count as
# called from the user's code.
_PASSING = ("contextlib", "ast", __name__)
# AutoGraph's converted code calls the user's functions and tapeflow's through its operators:
# those are the user's calls; AutoGraph's own work is no span of its own.
_USERS = "tapeflow.tracing.autograph.operators"
_AUTOGRAPH = "tapeflow.tracing.autograph"


class ProfilerOptions:
    """``tf.profiler.experimental.ProfilerOptions`` (the levels are accepted and recorded)."""

    def __init__(self, host_tracer_level=2, python_tracer_level=0, device_tracer_level=1,
                 delay_ms=None):
        self.host_tracer_level = host_tracer_level
        self.python_tracer_level = python_tracer_level
        self.device_tracer_level = device_tracer_level
        self.delay_ms = delay_ms


class _Session:
    def __init__(self, logdir, options):
        self.logdir = os.fspath(logdir)
        self.options = options
        self.origin = time.perf_counter()
        self.events = []
        self.lock = threading.Lock()
        self.open = threading.local()  # per thread: the frames that opened a span, with starts

    def hook(self, frame, event, arg):
        if event == "call":
            back = frame.f_back
            module = frame.f_globals.get("__name__", "")
            caller = "" if back is None else back.f_globals.get("__name__", "")
            if (module.startswith(_PACKAGE) and module != __name__ and
                    not module.startswith(_AUTOGRAPH) and (
                        caller == _USERS or not caller.startswith(_PACKAGE) and
                        caller not in _PASSING)):
                stack = self._stack()
                stack.append((frame, time.perf_counter()))
        elif event == "return":
            stack = self._stack()
            if stack and stack[-1][0] is frame:
                _, start = stack.pop()
                self.span(_name(frame), start, frame.f_globals.get("__name__", ""))

    def _stack(self):
        stack = getattr(self.open, "stack", None)
        if stack is None:
            stack = self.open.stack = []
        return stack

    def span(self, name, start, category, args=None):
        end = time.perf_counter()
        event = {"name": name, "cat": category, "ph": "X", "pid": os.getpid(),
                 "tid": threading.get_ident(), "ts": (start - self.origin) * 1e6,
                 "dur": (end - start) * 1e6}
        if args:
            event["args"] = args
        with self.lock:
            self.events.append(event)

    def save(self):
        run = time.strftime("%Y_%m_%d_%H_%M_%S")
        folder = os.path.join(self.logdir, "plugins", "profile", run)
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, f"{socket.gethostname()}.trace.json.gz")
        with gzip.open(path, "wt") as f:
            json.dump({"displayTimeUnit": "ms", "traceEvents": self.events}, f)
        return path


def _name(frame):
    """A span's name: the primitive's op type for the op factories' shared closures
    (``unary_op``'s ``op``…), else the function's qualified name."""
    code = frame.f_code
    if code.co_name == "op":
        prim = frame.f_locals.get("prim")
        if prim is not None:
            return prim.name
    return getattr(code, "co_qualname", code.co_name)


_session = [None]
_guard = threading.Lock()


def start(logdir, options=None):
    """Start profiling; ``stop()`` writes the timeline under ``logdir``."""
    with _guard:
        if _session[0] is not None:
            raise errors.AlreadyExistsError(None, None, "Another profiler is running.")
        session = _session[0] = _Session(logdir, options)
    threading.setprofile(session.hook)
    sys.setprofile(session.hook)


def stop(save=True):
    """Stop profiling and (``save=True``) write the timeline; returns nothing, as TF."""
    with _guard:
        session, _session[0] = _session[0], None
    if session is None:
        raise errors.UnavailableError(None, None, "Cannot export profiling results. No profiler "
                                      "is running.")
    sys.setprofile(None)
    threading.setprofile(None)
    if save:
        session.save()


@contextlib.contextmanager
def Profile(logdir, options=None):  # noqa: N802 - TF's name
    """``with tf.profiler.experimental.Profile(logdir):`` — start on entry, stop on exit."""
    start(logdir, options)
    try:
        yield
    finally:
        stop()


class Trace:
    """``with tf.profiler.experimental.Trace("train", step_num=step):`` — a named span in the
    timeline (its keyword arguments shown with it); free when no profiler runs."""

    def __init__(self, name, **kwargs):
        self.name = name
        self.kwargs = kwargs
        self._start = None

    def __enter__(self):
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        session = _session[0]
        if session is not None:
            session.span(self.name, self._start, "Trace",
                         {k: str(v) for k, v in self.kwargs.items()} or None)
        return False

    def set_metadata(self, **kwargs):
        self.kwargs.update(kwargs)


class server:  # noqa: N801 - TF's module name
    @staticmethod
    def start(port):
        raise errors.UnimplementedError(
            None, None, "tapeflow has no profiler server: profile in process with "
            "tf.profiler.experimental.start(logdir)")


class client:  # noqa: N801 - TF's module name
    @staticmethod
    def trace(*args, **kwargs):
        raise errors.UnimplementedError(
            None, None, "tapeflow has no profiler server to trace: profile in process with "
            "tf.profiler.experimental.start(logdir)")

    monitor = trace
