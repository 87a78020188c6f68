"""Running one step on several replicas that meet: ``strategy.run`` over N replicas.

A replica's function may stop half-way to combine its values with the other replicas'
(``ReplicaContext.merge_call``, and everything built on it: ``all_reduce``, ``all_gather``, an
optimizer's step, an update of a mirrored variable). A plain loop that calls the function once a
replica cannot do that: the first replica would need the second's value before the second has
run. So, as TF's MirroredStrategy does, each replica runs in a thread of its own, and the
calling thread hands the turn to one replica at a time: it runs until it reaches a merge_call
(or returns), then the next one runs; once every replica waits at its merge_call, the calling
thread calls ``merge_fn`` once, in the cross-replica context, with the replicas' arguments
grouped into ``PerReplica`` values, and gives each replica its part of the result. Only one
thread ever runs at a time, so a run is deterministic and sees the same arithmetic, in the same
order, every time; NumPy and tapeflow's own state (variables' storage, the graph being traced)
are never touched by two threads at once. Threads (not generators) because the merge point may
be deep inside code that is not ours (a Keras layer, an optimizer): only a thread can stop
there and resume.

A variable that TF keeps one a replica (aggregation NONE: a BatchNormalization layer's moving
statistics, a Keras seed generator's state; and Keras metrics' on-read variables) is one storage
here; a replica that writes it gets its own value of it, which it keeps from run to run as TF's
copies drift apart (``_Views``, kept on the strategy: the calling thread swaps the replicas'
values in and out as it hands the turn). Outside the replicas, and in ``merge_fn``, the storage
holds what TF reads there: the first replica's copy, or a metric's sum over the replicas; a
write there is every replica's.

Each replica thread starts with the calling thread's graph being traced, if any (so that
``strategy.run`` inside a ``tf.function`` traces every replica's ops into that function, as in
TF), with an empty stack of tapes (tapes are per thread, in TF too), and in its replica
context.
"""

import threading

from ..framework import context, nest, replica


class _Stopped(BaseException):
    """Raised in a replica waiting at a merge_call when the run ends early (another replica
    failed): it unwinds the replica's code without being caught by ``except Exception``."""


class _Views:
    """Each replica's value of the variables that TF keeps one a replica, for those the
    replicas wrote: ``"first"`` ones (aggregation NONE), read outside as the first replica's,
    and ``"sum"`` ones (Keras metrics' on-read variables), read outside as the replicas' sum.
    A write outside is every replica's (a ``"sum"`` one's value shared out evenly, as TF)."""

    def __init__(self, n):
        self.n = n
        self.kinds = {}  # id(handle) -> (handle, "first" or "sum")
        self.values = [{} for _ in range(n)]  # per replica: id(handle) -> its value
        self.outside = {}  # id(handle) -> the value the storage held when the replicas left it

    @classmethod
    def of(cls, strategy, n):
        views = strategy.__dict__.get("_replica_views")
        if views is None:
            views = strategy.__dict__["_replica_views"] = cls(n)
        return views

    def touch(self, handle, index, kind):
        """Before replica ``index`` writes the variable of ``handle``: whether to leave the
        write out (see framework/replica.own_copy)."""
        if context.state.graph is not None:  # traced: the write runs when the graph does
            return kind == "first" and index > 0
        key = id(handle)
        if key not in self.kinds:
            self.kinds[key] = (handle, kind)
            self.outside[key] = handle.value
            share = self._share(handle, handle.value)
            for mine in self.values:
                mine[key] = share
            handle.value = share  # this replica's copy, until now as every replica's
        return False

    def _share(self, handle, value):
        """Each replica's part of a value written outside."""
        if self.kinds[id(handle)][1] == "sum":
            return (value / self.n).astype(value.dtype)
        return value

    def enter(self, i):
        """Replica ``i``'s values into the storage."""
        mine = self.values[i]
        for key, (handle, _) in self.kinds.items():
            handle.value = mine[key]

    def leave(self, i):
        mine = self.values[i]
        for key, (handle, _) in self.kinds.items():
            mine[key] = handle.value

    def to_outside(self):
        """The storage as read outside the replicas (in ``merge_fn``, after the run)."""
        for key, (handle, kind) in self.kinds.items():
            value = self.values[0][key]
            if kind == "sum":
                for mine in self.values[1:]:
                    value = value + mine[key]
            handle.value = self.outside[key] = value

    def from_outside(self):
        """What was written outside since the replicas left (by ``merge_fn``, or between
        runs) is every replica's."""
        for key, (handle, _) in self.kinds.items():
            if handle.value is not self.outside[key]:
                share = self._share(handle, handle.value)
                for mine in self.values:
                    mine[key] = share
                self.outside[key] = handle.value


class _Replica(threading.Thread):
    def __init__(self, strategy, index, fn, args, kwargs, graph, views):
        super().__init__(name=f"tapeflow-replica-{index}", daemon=True)
        self.strategy, self.index, self.graph, self.views = strategy, index, graph, views
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.turn = threading.Event()  # set by the caller: this replica runs on
        self.paused = threading.Event()  # set by the replica: it waits at a merge, or is done
        self.merge = None  # (merge_fn, args, kwargs) it waits at
        self.merged = None  # its part of the merge's result
        self.done = self.stop = False
        self.result = self.error = None

    def run(self):
        self._wait_turn()
        replica.STATE.update({"strategy": self.strategy, "replica": self.index})
        if self.graph is not None:
            context.state.graph, context.state.stack = self.graph, [self.graph]
        try:
            if not self.stop:
                self.result = self.fn(*self.args, **self.kwargs)
        except _Stopped:
            pass
        except BaseException as e:  # noqa: BLE001 - handed to the caller, which raises it
            self.error = e
        finally:
            self.done = True
            self.paused.set()

    def _wait_turn(self):
        self.turn.wait()
        self.turn.clear()

    def wait_at_merge(self, merge_fn, args, kwargs):
        """Stop here until every replica reached its merge; then this replica's part."""
        self.merge = (merge_fn, args, kwargs)
        self.paused.set()
        self._wait_turn()
        if self.stop:
            raise _Stopped()
        merged, self.merged, self.merge = self.merged, None, None
        return merged


def current():
    """The replica thread the caller runs in, or None."""
    thread = threading.current_thread()
    return thread if isinstance(thread, _Replica) else None


def run(strategy, fn, parts, cross_replica):
    """``fn(*args, **kwargs)`` for each ``(args, kwargs)`` of ``parts``, replica ``i`` with the
    ``i``-th, each in its thread; the results in replica order. ``cross_replica()`` gives the
    context manager ``merge_fn`` runs in."""
    from .strategy import regroup, select_replica
    views = _Views.of(strategy, len(parts))
    views.from_outside()  # written since the last run: every replica's
    replicas = [_Replica(strategy, i, fn, args, kwargs, context.state.graph, views)
                for i, (args, kwargs) in enumerate(parts)]
    for r in replicas:
        r.start()
    try:
        while True:
            for r in replicas:  # one at a time, in replica order
                views.enter(r.index)
                r.turn.set()
                r.paused.wait()
                r.paused.clear()
                views.leave(r.index)
                if r.error is not None:
                    raise r.error
            if all(r.done for r in replicas):
                return [r.result for r in replicas]
            if any(r.done for r in replicas):
                raise RuntimeError("Some replicas made a different number of "
                                   "replica_context().merge_call() calls.")
            merge_fn = replicas[0].merge[0]
            args = regroup([r.merge[1] for r in replicas])
            kwargs = regroup([r.merge[2] for r in replicas])
            views.to_outside()
            with cross_replica():
                merged = merge_fn(strategy, *args, **kwargs)
            views.from_outside()
            for r in replicas:
                r.merged = select_replica(r.index, merged)
    finally:
        for r in replicas:
            if not r.done:
                r.stop = True
                r.turn.set()
        for r in replicas:
            r.join()
        views.to_outside()


def merge_call(merge_fn, args, kwargs):
    """From a replica thread: wait for the others, have ``merge_fn`` called once, return this
    replica's part of its result."""
    return current().wait_at_merge(merge_fn, args, kwargs)


def regroup_structures(structures, wrap):
    """The replicas' structures (alike) as one, each leaf ``wrap(values)`` unless every
    replica's is the very same object (then that object)."""
    flat = [nest.flatten(s) for s in structures]
    leaves = [v[0] if all(x is v[0] for x in v) else wrap(v) for v in zip(*flat)]
    return nest.pack_sequence_as(structures[0], leaves)
