"""The thread-local execution context: the stack of active recorders (tapes, accumulators).

It lives in ``framework`` so that tensors and variables can ask "is anyone recording?" without
importing the engine.
"""

import functools
import threading

import numpy as np


class _State(threading.local):
    def __init__(self):
        self.stack = []  # active recorders (tapes, accumulators) in entry order
        self.batch = 0   # leading cotangent axes during a vectorized jacobian (rules keep them)
        self.graph = None  # the graph builder while a tf.function is being traced, else None


state = _State()

# What ``tf.summary.trace_on`` collects: while the list is not empty, each ConcreteFunction run
# hands itself to every callable in it (for every thread, as TF's trace is process-wide).
graph_collectors = []


def note_export(tensor):
    """A tensor's value left for NumPy/Python while recording: tell the recorders (explain)."""
    if state.stack:
        from ..engine.core import note_cut
        note_cut("numpy", (tensor,), ())


# NumPy's floating-point warnings ("invalid value encountered", overflow, …) never reach the user:
# TF returns inf/nan silently. Every op's forward runs between ``fp_quiet()`` and
# ``fp_restore(token)``, which set NumPy's error state to "ignore" for the current context only
# (the user's own NumPy calls keep theirs). NumPy keeps that state in a context variable; setting
# it directly costs a fraction of ``np.errstate``'s context manager, which matters on the hot path.
try:
    from numpy._core._ufunc_config import _extobj_contextvar, _make_extobj
    fp_quiet = functools.partial(_extobj_contextvar.set, _make_extobj(all="ignore"))
    fp_restore = _extobj_contextvar.reset
except ImportError:  # another NumPy layout: the public context manager
    def fp_quiet():
        quiet = np.errstate(all="ignore")
        quiet.__enter__()
        return quiet

    def fp_restore(quiet):
        quiet.__exit__(None, None, None)
