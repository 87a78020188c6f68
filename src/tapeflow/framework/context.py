"""The thread-local execution context: the stack of active recorders (tapes, accumulators).

It lives in ``framework`` so that tensors and variables can ask "is anyone recording?" without
importing the engine.
"""

import threading


class _State(threading.local):
    def __init__(self):
        self.stack = []  # active recorders (tapes, accumulators) in entry order
        self.batch = 0   # leading cotangent axes during a vectorized jacobian (rules keep them)
        self.graph = None  # the graph builder while a tf.function is being traced, else None


state = _State()


def note_export(tensor):
    """A tensor's value left for NumPy/Python while recording: tell the recorders (explain)."""
    if state.stack:
        from ..engine.core import note_cut
        note_cut("numpy", (tensor,), ())
