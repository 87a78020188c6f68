"""Tensor fusion and ``hvd.DistributedGradientTape``.

Gradients are reduced in fused buffers: they are packed by dtype into buckets of about
``HOROVOD_FUSION_THRESHOLD`` bytes (64 MiB by default), and each bucket goes out as one nonblocking
MPI allreduce as soon as it is full. To overlap communication with the backward pass, the
distributed tape puts a marker in front of each source's first use on the tape: the backward walk
(which runs the tape in reverse) reaches it exactly when that source's gradient is final, and
hands the gradient to the fusion buffer. The last layers' gradients are thus on the wire while the
first layers' are still being computed; every marker also drives MPI's progress.
"""

import os

import numpy as np

from ..engine.core import Primitive, state
from ..framework import nest
from ..framework.tensor import EagerTensor, Tensor, tape_id, value_of, wrap
from . import comm
from .collectives import grouped_allreduce
from .comm import Average, Sum
from .compression import Compression

# Horovod's default. Smaller buckets leave earlier, but each costs a negotiation and a collective
# that every rank must reach: in the MLP benchmark (2.7 MB of gradients, 2 ranks on 2 cores) one
# bucket made steps 8% faster than two of 1 MiB (interleaved, under load 6-7).
DEFAULT_THRESHOLD = 64 * 1024 * 1024


def fusion_threshold():
    return int(os.environ.get("HOROVOD_FUSION_THRESHOLD", DEFAULT_THRESHOLD))


class Fusion:
    """Collect arrays (keyed), reduce them in fused nonblocking collectives, return them."""

    def __init__(self, op=Average, compression=Compression.none, prescale=1.0, postscale=1.0,
                 threshold=None, name=None):
        self.op, self.compression = op, compression or Compression.none
        self.prescale, self.postscale = prescale, postscale
        self.threshold = fusion_threshold() if threshold is None else threshold
        self.name = name or comm.auto_name("fused")
        self.open = {}       # dtype str -> [keys, arrays, names, bytes]
        self.pending = []    # (Pending, keys, contexts)
        self.contexts = {}   # key -> compression context
        self.count = 0       # collectives started
        self.early = 0       # of which while gradients were still being added

    def add(self, key, value, name):
        """Queue ``value`` (a NumPy array) for reduction; sends its bucket once full."""
        if self.compression is Compression.none:
            self.contexts[key] = None
        else:
            value, self.contexts[key] = self._compress(value)
        bucket = self.open.get(value.dtype)
        if bucket is None:
            bucket = self.open[value.dtype] = [[], [], [], 0]
        bucket[0].append(key)
        bucket[1].append(value)
        bucket[2].append(name)
        bucket[3] += value.nbytes
        if bucket[3] >= self.threshold:
            self._launch(self.open.pop(value.dtype))
            self.early += 1
        if self.pending:
            self.poll()

    def add_all(self, keys, values, names):
        """Queue many arrays at once: the gradients a backward pass left for the end. One dtype
        that fits one bucket, uncompressed (a training step's usual case), makes that bucket
        as it is, without queueing array by array."""
        if self.compression is Compression.none and not self.open and values:
            dtype = values[0].dtype
            nbytes = sum([v.nbytes for v in values])
            if nbytes < self.threshold and all([v.dtype is dtype for v in values]):
                self.open[dtype] = [list(keys), list(values), list(names), nbytes]
                self.contexts.update(dict.fromkeys(keys))
                return
        for key, value, name in zip(keys, values, names):
            self.add(key, value, name)

    def repeat(self, plan, values, trusted=False):
        """Reduce ``values`` (one array per source of ``plan``, all present) in one blocking
        collective, as :meth:`add_all` and :meth:`finish` would, through the plan's
        :class:`comm.Repeated` allreduce: the reduced arrays, or None when compression is on,
        they are more than one buffer's worth, or they differ in dtype. ``trusted``: the values
        have their sources' shapes and dtype, which cannot change (gradients of such sources),
        so they are not compared with the plan's (5 us for 100)."""
        if self.compression is not Compression.none or plan.nbytes >= self.threshold:
            return None
        repeated = plan.repeated
        if repeated is None or not trusted and (
                [v.shape for v in values] != repeated.layout.shapes
                or values[0].dtype != plan.dtype):
            if len({v.dtype for v in values}) > 1:
                return None
            plan.nbytes, plan.dtype = sum([v.nbytes for v in values]), values[0].dtype
            repeated = plan.repeated = comm.Repeated(
                f"{self.name}.0", values, plan.names, op=self.op, prescale=self.prescale,
                postscale=self.postscale, blocking=True)
        self.count = 1
        active = comm.negotiate(repeated)
        return comm.start_allreduce(values, self.op, self.prescale, self.postscale,
                                    f"{self.name}.0", active, True, repeated.layout).wait()

    def _compress(self, value):
        tensor, ctx = self.compression.compress(wrap(value))
        return value_of(tensor), ctx

    def _launch(self, bucket, blocking=False):
        """Start one bucket's collective. Buckets sent while gradients are still being computed
        are nonblocking; the last ones, which are waited for at once, use MPI's blocking
        Allreduce (MPICH's shared-memory algorithms for it are faster)."""
        keys, arrays, names, _ = bucket
        name = f"{self.name}.{self.count}"
        self.count += 1
        active = comm.negotiate(comm.describe("allreduce", name, arrays, names, op=self.op,
                                              prescale=self.prescale, postscale=self.postscale,
                                              blocking=blocking))
        self.pending.append((comm.start_allreduce(arrays, self.op, self.prescale, self.postscale,
                                                  name, active, blocking), keys))

    def poll(self):
        for pending, _ in self.pending:
            pending.test()

    def finish(self):
        """Send what is left (by dtype, the same order on every rank); key -> reduced array."""
        for key in sorted(self.open, key=str):
            self._launch(self.open[key], blocking=True)
        self.open = {}
        out = {}
        for pending, keys in self.pending:
            if self.compression is Compression.none:
                out.update(zip(keys, pending.wait()))
                continue
            for key, value in zip(keys, pending.wait()):
                out[key] = value_of(self.compression.decompress(wrap(value), self.contexts[key]))
        self.pending = []
        return out


class Plan:
    """What a gradient call with the same sources as an earlier one (the next training step)
    finds worked out: the sources' names and bytes, whether it may take the repeated path (one
    dtype, each source once), and that path's :class:`comm.Repeated` allreduce."""

    __slots__ = ("names", "nbytes", "dtype", "fast", "fixed", "repeated")

    def __init__(self, flat, names=None):
        self.names = names or [_source_name(s, i) for i, s in enumerate(flat)]
        values = [value_of(s) for s in flat]
        self.nbytes = sum(v.nbytes for v in values)
        self.dtype = values[0].dtype if values else None
        self.fast = (len({tape_id(s) for s in flat}) == len(flat) and
                     len({v.dtype for v in values}) == 1)
        self.fixed = all(map(_fixed_shape, flat))
        self.repeated = None


def _fixed_shape(source):
    """Whether ``source`` keeps its shape: a tensor, or a Variable made without a shape of its
    own (one with ``shape=`` may be assigned values of other shapes)."""
    handle = getattr(source, "_handle", None)
    return type(source) is EagerTensor or handle is not None and handle.shape is None


_PLANS_KEPT = 16  # sets of sources whose plans are kept, per kind of distributed tape


def plan_for(config, keys, flat, names=None):
    """The :class:`Plan` for the sources ``flat`` (``keys``: their tape ids), kept in
    ``config``, the distributed tape's or optimizer's settings."""
    plans = config["plans"]
    key = tuple(keys)  # tape ids are never reused: the same ids are the same sources
    plan = plans.get(key)
    if plan is None:
        if len(plans) >= _PLANS_KEPT:
            plans.clear()
        plan = plans[key] = Plan(flat, names)
    return plan


def _ready_rule(g, ans, x, fusion, key, name, dtype):
    value = g._value if isinstance(g, Tensor) else g
    if value.dtype != dtype:
        value = np.asarray(value.real if value.dtype.kind == "c" else value, dtype)
    fusion.add(key, value, name)
    return None


# Not registered: it only ever lives on a tape, for the length of one gradient call.
_READY = Primitive("HorovodGradientReady", None, save=())
_READY.defvjp(_ready_rule)


def _source_name(source, index):
    name = getattr(source, "name", None) if not isinstance(source, Tensor) else None
    return name if isinstance(name, str) else f"gradient.{index}"


class _Distributed:
    """The methods a distributed tape overrides (mixed into the wrapped tape's class)."""

    def gradient(self, target, sources, output_gradients=None,
                 unconnected_gradients="none"):
        config = self._hvd_config
        if comm.size() == 1 and config["op"] in (Average, Sum):
            return super().gradient(target, sources, output_gradients, unconnected_gradients)
        flat = nest.flatten(sources)
        if state.stack:  # an outer tape records: reduce with the differentiable collective
            grads = super().gradient(target, sources, output_gradients, unconnected_gradients)
            return nest.pack_sequence_as(sources, self._reduce_recorded(nest.flatten(grads)))
        keys = [tape_id(s) for s in flat]
        plan = plan_for(config, keys, flat)
        fusion = Fusion(config["op"], config["compression"], config["prescale"],
                        config["postscale"])
        names = plan.names
        entries = self._entries
        # Markers only pay off when a bucket can fill before the end of the backward pass.
        early = entries and plan.nbytes > fusion.threshold
        hooked = self._with_markers(entries, flat, names, fusion) if early else None
        if hooked is not None:
            self._entries = hooked
        try:
            grads = nest.flatten(super().gradient(target, sources, output_gradients,
                                                  unconnected_gradients))
        finally:
            if hooked is not None:
                self._drop_markers(entries, hooked)
        if not early and plan.fast and all([g is not None for g in grads]):
            reduced = fusion.repeat(plan, [g._value for g in grads], plan.fixed)
            if reduced is not None:
                config["last"] = (1, 0)
                return nest.pack_sequence_as(sources, list(map(wrap, reduced)))
        seen = fusion.contexts
        rest = {key: (g._value, name) for key, g, name in zip(keys, grads, names)
                if g is not None and key not in seen}  # reached no marker (a source listed
        if rest:                                       # twice is reduced once)
            fusion.add_all(list(rest), *zip(*rest.values()))
        reduced = fusion.finish()
        config["last"] = (fusion.count, fusion.early)  # for tests and benchmarks
        out = [None if g is None else wrap(reduced[key]) for key, g in zip(keys, grads)]
        return nest.pack_sequence_as(sources, out)

    # The stack of recording tapes holds the wrapped tape: this one is equal to it.
    def __eq__(self, other):
        return getattr(other, "__dict__", None) is self.__dict__

    def __hash__(self):
        return id(self.__dict__)

    def _reduce_recorded(self, grads):
        config = self._hvd_config
        present = [g for g in grads if g is not None]
        reduced = iter(grouped_allreduce(present, compression=config["compression"],
                                         op=config["op"], prescale_factor=config["prescale"],
                                         postscale_factor=config["postscale"]))
        return [None if g is None else next(reduced) for g in grads]

    def _with_markers(self, entries, flat, names, fusion):
        """A copy of the tape's entries with a marker before each source's first use."""
        if self._persistent and self._recording:
            return None  # the gradient's own ops would be appended to the copy
        wanted = {}
        for s, name in zip(flat, names):
            wanted.setdefault(tape_id(s), (name, value_of(s).dtype))
        first = {}
        for k, e in enumerate(entries):
            for i in e[1]:
                if i in wanted and i not in first:
                    first[i] = k
        if not first:
            return None
        at = {}
        for sid, k in first.items():
            at.setdefault(k, []).append(sid)
        hooked = []
        for k, e in enumerate(entries):
            for sid in at.get(k, ()):
                name, dtype = wanted[sid]
                shape = value_of_shape(entries[k], sid)
                hooked.append((_READY, [sid], [shape], [sid], [(shape, dtype)], None, None,
                               {"fusion": fusion, "key": sid, "name": name, "dtype": dtype}))
            hooked.append(e)
        return hooked

    def _drop_markers(self, entries, hooked):
        if self._entries is hooked:  # persistent tape, or a failed call: the original again
            self._entries = entries
        graph = self._notes.graph  # a released tape keeps the entries' light part
        if graph:
            self._notes.graph = [e for e in graph if e[0] is not _READY]


def value_of_shape(entry, sid):
    """The shape an entry recorded for input ``sid``."""
    return entry[2][entry[1].index(sid)]


_CLASSES = {}


def DistributedGradientTape(gradtape, device_dense="", device_sparse="",
                            compression=Compression.none, sparse_as_dense=False, op=Average,
                            gradient_predivide_factor=1.0, num_groups=0, groups=None,
                            process_set=None, scale_local_gradients=True):
    """Wrap ``gradtape`` so that ``gradient()`` returns gradients reduced across ranks (averaged
    by default), in fused buffers that overlap with the backward pass.

    The result is the same tape (it shares its state) with a distributed ``gradient``.
    """
    if op not in (Average, Sum):
        raise ValueError("DistributedGradientTape reduces with op=hvd.Average or hvd.Sum")
    if gradient_predivide_factor != 1.0 and op != Average:
        raise ValueError("gradient_predivide_factor not supported with op != Average")
    compression = compression or Compression.none
    key = (type(gradtape), op, compression, float(gradient_predivide_factor))
    cls = _CLASSES.get(key)
    if cls is None:  # one class per kind of tape and settings: a training loop wraps every step
        config = {"op": op, "compression": compression,
                  "prescale": 1.0 / gradient_predivide_factor,
                  "postscale": float(gradient_predivide_factor), "plans": {}}
        base = type(gradtape)
        cls = _CLASSES[key] = type(base.__name__, (_Distributed, base), {"_hvd_config": config})
    tape = object.__new__(cls)
    tape.__dict__ = gradtape.__dict__  # one state: recording, entries and notes are shared
    return tape
