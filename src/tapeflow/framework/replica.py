"""Where a ``tf.distribute`` strategy stands: the strategy whose scope is entered and, while
``strategy.run`` calls the function for one replica, that replica's id and the run's number.
Kept down here so that ops (a mirrored ``tf.random.Generator``) can read it without importing
``tapeflow.distribute``.

The strategy and the replica are the calling thread's (as TF keeps its strategy stack per
thread): ``strategy.run`` over several replicas runs each in a thread of its own
(distribute/replicas.py), which starts in that replica's context. The run counter is shared.
"""

import threading


class _State(threading.local):
    def __init__(self):
        self.strategy = None
        self.replica = None

    def __getitem__(self, key):
        return getattr(self, key)

    def __setitem__(self, key, value):
        setattr(self, key, value)

    def update(self, changes):
        for key, value in changes.items():
            setattr(self, key, value)


STATE = _State()
RUNS = [0]  # how many strategy.run calls have started (a run's number)


def own_copy(variable, kind="first"):
    """Called before a replica of several writes ``variable`` where TF gives each replica a copy
    of its own (``"first"``: aggregation NONE, read outside as the first replica's; ``"sum"``: a
    Keras metric's on-read variable, read outside as the replicas' sum): eagerly, the run keeps
    one value a replica (distribute/replicas.py); in a graph being traced, True for a
    ``"first"`` one in a replica but the first, whose write is to be left out (it would run after
    the first's, on the one storage, and only the first replica's copy outlives the run).
    Elsewhere (one replica) False."""
    thread = threading.current_thread()
    views = getattr(thread, "views", None)
    return False if views is None else views.touch(variable._handle, thread.index, kind)


def current_strategy():
    """The strategy in whose scope (or replica context) the code runs, or None."""
    return STATE.strategy


def replica_of(strategy):
    """``(replica id, run number)`` while ``strategy.run`` calls a replica, else None."""
    if strategy is not None and STATE.strategy is strategy and STATE.replica is not None:
        return STATE.replica, RUNS[0]
    return None
