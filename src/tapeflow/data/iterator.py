"""Iterators over datasets, and the two background workers: prefetch and parallel map.

Both workers are plain generators that own their threads: closing the generator (which
happens when the iteration ends, when ``OwnedIterator`` is dropped, or on an error) stops
the threads and joins them, so no thread outlives its iterator.
"""

import collections
import concurrent.futures
import itertools
import os
import queue
import re
import threading

import numpy as np

from ..framework import errors
from . import structure

AUTOTUNE = -1


def workers(n):
    """The thread count for ``num_parallel_calls`` / ``buffer_size`` (AUTOTUNE: the cores)."""
    n = int(n)
    return max(1, os.cpu_count() or 1) if n == AUTOTUNE else n


class OwnedIterator:
    """What ``iter(dataset)`` returns: ``next()`` gives EagerTensors, then ``StopIteration``."""

    _CHECKPOINT_ATTRIBUTE = "ITERATOR_POSITION"

    def __init__(self, dataset):
        self._dataset = dataset
        self._epochs = [(s, s.epoch) for s in _seeds(dataset)]  # to replay the same draws
        self._elements = dataset._elements()
        self._position = 0  # elements handed out, what a checkpoint saves

    @property
    def element_spec(self):
        return self._dataset.element_spec

    def __iter__(self):
        return self

    def _trackable_children(self):
        """A checkpoint may hold the iterator (TF saves its state as a variant tensor,
        ITERATOR_STATE, which tapeflow cannot read; tapeflow saves how many elements it handed
        out, as int64 ITERATOR_POSITION, which TF leaves alone)."""
        return {}

    def _checkpoint_state(self):
        return np.asarray(self._position, np.int64)

    def _restore_checkpoint_state(self, position):
        """Start the pipeline over and skip what was handed out before the save: the same
        elements follow for a deterministic pipeline (seeded shuffles included)."""
        self.close()
        for seeds, epoch in self._epochs:
            seeds.epoch = epoch
        self._elements = self._dataset._elements()
        self._position = int(position)
        collections.deque(itertools.islice(self._elements, self._position), maxlen=0)

    def __next__(self):
        try:
            element = next(self._elements)
        except errors.OpError as e:
            raise _as_iterators(e, self._dataset) from None
        self._position += 1
        return structure.to_tensors(element)

    def next(self):
        """``iterator.next()``: the next element, as ``next(iterator)``."""
        return next(self)

    def get_next(self):
        """``tf.data.Iterator.get_next``: OutOfRangeError at the end, as TF raises it."""
        try:
            return next(self)
        except StopIteration:
            raise errors.op_error("IteratorGetNext", "End of sequence",
                                  cls=errors.OutOfRangeError,
                                  kernel="IteratorGetNext_output_types_1") from None

    def close(self):
        """Stop the pipeline's background threads now (dropping the iterator does it too)."""
        close = getattr(self._elements, "close", None)
        if close is not None:
            close()

    def __del__(self):
        if hasattr(self, "_elements"):
            self.close()

    def __repr__(self):
        return f"<tapeflow.data.ops.iterator_ops.OwnedIterator object at {id(self):#x}>"


_KERNEL = re.compile(r"__wrapped__IteratorGetNext_output_types_\d+_device")


def _as_iterators(error, dataset):
    """A pipeline's kernel error as TF's iterator reports it: its function node is named after
    the number of tensors the iterator gives (the outermost dataset's), wherever it arose."""
    n = len(structure.flatten(dataset.element_spec))
    text = _KERNEL.sub(f"__wrapped__IteratorGetNext_output_types_{n}_device", error.message, 1)
    if text == error.message:
        return error
    return type(error)(error.node_def, error.op, text)


def _seeds(dataset):
    """The seed keepers of the random transformations in ``dataset``'s pipeline."""
    from .dataset import Dataset
    found, stack, seen = [], [dataset], set()
    while stack:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        for value in vars(obj).values():
            if isinstance(value, dict):
                value = list(value.values())
            for v in value if isinstance(value, list | tuple) else [value]:
                if isinstance(v, Dataset):
                    stack.append(v)
                elif hasattr(v, "epoch") and hasattr(v, "rng"):
                    found.append(v)
    return found


class NumpyIterator(OwnedIterator):
    """What ``as_numpy_iterator()`` returns: the same elements as NumPy values."""

    def __next__(self):
        element = next(self._elements)
        self._position += 1
        return structure.to_numpy(element)

    def __repr__(self):
        return f"NumpyIterator(iterator={OwnedIterator.__repr__(self)})"


_DONE = object()


def prefetched(source, size):
    """Yield ``source``'s items, read ahead by a background thread into a bounded buffer."""
    buffer = queue.Queue(maxsize=max(1, size))
    stop = threading.Event()

    def fill():
        try:
            for item in source:
                while not stop.is_set():
                    try:
                        buffer.put((True, item), timeout=0.05)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            _put_final(buffer, stop, (True, _DONE))
        except BaseException as e:  # handed to the consumer, raised there
            _put_final(buffer, stop, (False, e))
        finally:
            close = getattr(source, "close", None)
            if close is not None:
                close()

    thread = threading.Thread(target=fill, name="tapeflow-prefetch", daemon=True)
    thread.start()
    try:
        while True:
            ok, item = buffer.get()
            if not ok:
                raise item
            if item is _DONE:
                return
            yield item
    finally:
        stop.set()
        thread.join()


def _put_final(buffer, stop, item):
    while not stop.is_set():
        try:
            buffer.put(item, timeout=0.05)
            return
        except queue.Full:
            continue


def parallel_map(fn, source, n, deterministic):
    """Yield ``fn(item)`` for ``source``'s items, computed by ``n`` threads at once.

    In order when ``deterministic``; otherwise as they finish."""
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=n, thread_name_prefix="tapeflow-map")
    pending = collections.deque()
    source = iter(source)
    exhausted = False
    try:
        while True:
            while not exhausted and len(pending) < 2 * n:
                try:
                    item = next(source)
                except StopIteration:
                    exhausted = True
                    break
                pending.append(pool.submit(fn, item))
            if not pending:
                return
            if deterministic:
                future = pending.popleft()
            else:
                done, _ = concurrent.futures.wait(
                    pending, return_when=concurrent.futures.FIRST_COMPLETED)
                future = next(f for f in pending if f in done)
                pending.remove(future)
            yield future.result()
    finally:
        for future in pending:
            future.cancel()
        pool.shutdown(wait=True)
