"""Where a ``tf.distribute`` strategy stands: the strategy whose scope is entered and, while
``strategy.run`` calls the function for one replica, that replica's id and the run's number.
Kept down here so that ops (a mirrored ``tf.random.Generator``) can read it without importing
``tapeflow.distribute``."""

STATE = {"strategy": None, "replica": None, "run": 0}


def current_strategy():
    """The strategy in whose scope (or replica context) the code runs, or None."""
    return STATE["strategy"]


def replica_of(strategy):
    """``(replica id, run number)`` while ``strategy.run`` calls a replica, else None."""
    if strategy is not None and STATE["strategy"] is strategy and STATE["replica"] is not None:
        return STATE["replica"], STATE["run"]
    return None
