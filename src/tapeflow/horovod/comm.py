"""The MPI layer of ``tapeflow.horovod``: the only module that imports mpi4py.

Everything here works on NumPy arrays and Python objects; the differentiable Tensor collectives
are built on it in ``collectives.py``.

Every collective first *negotiates*: each rank sends a short description of what it is about to
reduce (kind, names, shapes, dtypes, op) to rank 0, which checks that all ranks agree and answers
each rank. Ranks that disagree (another shape, dtype, op or order) raise an error naming the
tensor instead of handing MPI buffers of different sizes, and rank 0 notices a rank that never
arrives. Waits poll nonblocking requests against a deadline (``TAPEFLOW_HVD_TIMEOUT`` seconds,
300 by default; a warning after ``TAPEFLOW_HVD_STALL_WARNING``, 60), and an exception that
escapes on any rank aborts the whole job with a message naming that rank, so a failure never
turns into a hang. Ranks that called :func:`join` keep answering the others' reductions with
zeros until every rank has joined.
"""

import atexit
import mmap
import os
import pickle
import re
import socket
import sys
import threading
import time

import numpy as np

from . import shared_memory, threads

try:
    import mpi4py
except ImportError as e:  # pragma: no cover - depends on the installed extras
    raise ImportError("tapeflow.horovod needs MPI through mpi4py: pip install 'tapeflow[mpi]' "
                      "(MPICH and mpi4py wheels), or mpi4py built against your system MPI") from e

mpi4py.rc.initialize = False   # hvd.init() decides when, and with which thread level
mpi4py.rc.finalize = False     # shutdown() (registered with atexit) does it
try:
    from mpi4py import MPI
except (RuntimeError, OSError) as e:  # mpi4py installed, but no MPI library it can load
    raise ImportError(f"tapeflow.horovod: mpi4py found no MPI library ({e}); pip install "
                      "'tapeflow[mpi]' for the MPICH wheels") from e


class HorovodInternalError(RuntimeError):
    """A collective could not complete: a rank stopped answering or the job is broken."""


# Reduction ops, with Horovod's names and values.
Average, Sum, Adasum, Min, Max, Product = 0, 1, 2, 3, 4, 5
_OP_NAMES = {Average: "Average", Sum: "Sum", Adasum: "Adasum", Min: "Min", Max: "Max",
             Product: "Product"}
_MPI_OPS = {Average: "SUM", Sum: "SUM", Min: "MIN", Max: "MAX", Product: "PROD"}

_NEGOTIATE, _REPLY = 1, 2  # tags on the control communicator


class _World:
    """What init() sets up: communicators and topology."""

    def __init__(self):
        self.data = MPI.COMM_WORLD.Dup()      # the collectives themselves
        self.ctrl = MPI.COMM_WORLD.Dup()      # negotiation messages
        self.rank = self.data.Get_rank()
        self.size = self.data.Get_size()
        local = self.data.Split_type(MPI.COMM_TYPE_SHARED, key=self.rank)
        self.local_rank, self.local_size = local.Get_rank(), local.Get_size()
        cross = self.data.Split(self.local_rank, self.rank)
        self.cross_rank, self.cross_size = cross.Get_rank(), cross.Get_size()
        local.Free()
        cross.Free()
        self.joined = set()                   # rank 0's view: ranks that called join()
        self.counters = {}
        self.agreed = {}                      # allreduce description key -> number
        self.agreed_list = []                 # the descriptions by number
        self.hosts = None
        self.shared = None                    # the shared-memory allreduce (one machine)
        # read once: os.environ lookups cost ~1 us each, and every wait would pay them
        self.timeout = float(os.environ.get("TAPEFLOW_HVD_TIMEOUT", "300"))
        self.stall_warning = float(os.environ.get("TAPEFLOW_HVD_STALL_WARNING", "60"))


_world = None


def _timeout():
    return _need().timeout


def init(comm=None, process_sets=None):
    """Initialize MPI (once) and the Horovod topology; install the abort-on-error hooks."""
    global _world
    if _world is not None:
        return
    if comm is not None and comm not in (MPI.COMM_WORLD, [], None):
        raise NotImplementedError("tapeflow.horovod runs on MPI.COMM_WORLD only")
    if not MPI.Is_initialized():
        MPI.Init_thread(MPI.THREAD_MULTIPLE)
    _world = _World()
    _world.hosts = _world.data.allgather((socket.gethostname(), os.getpid()))
    threads.share_cores(_world.local_size)
    limit = int(os.environ.get("TAPEFLOW_HVD_SHARED_LIMIT", _SHARED_LIMIT))
    if 1 < _world.size == _world.local_size and limit > 0:
        _world.shared = shared_memory.SharedMemoryReducer(_world.data, limit, _barrier)
    if _world.size > 1:  # one rank alone has nobody to leave hanging
        _install_abort_hooks()
    atexit.register(shutdown)


def shutdown():
    """Release the communicators and finalize MPI (a no-op when not initialized).

    Ranks first agree that they are all shutting down (as for a collective): a rank whose
    program ends while others still run collectives makes them fail at once, naming it, rather
    than wait for it.
    """
    global _world
    if _world is None:
        return
    if _world.size > 1:
        try:
            negotiate(describe("shutdown", "shutdown", []))
        except Exception as e:  # noqa: BLE001 - any failure here must end the whole job
            abort(f"{where()} could not shut down cleanly: {e}")
    world, _world = _world, None
    world.data.Free()
    world.ctrl.Free()
    if MPI.Is_initialized() and not MPI.Is_finalized():
        MPI.Finalize()


def is_initialized():
    return _world is not None


def _need():
    if _world is None:
        raise ValueError("Horovod has not been initialized; use hvd.init().")
    return _world


def _topology(field, doc):
    def get():
        return getattr(_need(), field)
    get.__name__, get.__qualname__, get.__doc__ = field, field, doc
    return get


rank = _topology("rank", "This process's rank: 0 to size() - 1.")
size = _topology("size", "The number of ranks.")
local_rank = _topology("local_rank", "This process's rank among those on its machine.")
local_size = _topology("local_size", "The number of ranks on this machine.")
cross_rank = _topology("cross_rank", "This machine's rank among those running this local rank.")
cross_size = _topology("cross_size", "The number of machines running this local rank.")


def mpi_threads_supported():
    return MPI.Query_thread() == MPI.THREAD_MULTIPLE


def _const(value, name):
    def answer():
        return value
    answer.__name__ = answer.__qualname__ = name
    return answer


# What this build has: MPI, no Gloo or NCCL.
mpi_built, mpi_enabled = _const(True, "mpi_built"), _const(True, "mpi_enabled")
gloo_built, gloo_enabled = _const(False, "gloo_built"), _const(False, "gloo_enabled")
nccl_built = _const(False, "nccl_built")


def where(r=None):
    """``"rank 1 (pid 1234 on host)"``: how messages name a rank."""
    w = _need()
    r = w.rank if r is None else r
    host, pid = w.hosts[r]
    return f"rank {r} (pid {pid} on {host})"


# --- failure handling ----------------------------------------------------------------------------

def abort(message, code=1):
    """Print ``message`` on this rank's stderr and end every rank of the job."""
    sys.stderr.write(f"tapeflow.horovod: {message}\n")
    sys.stdout.flush()
    sys.stderr.flush()
    time.sleep(0.5)  # MPI's launcher forwards output asynchronously: let it reach the user
    MPI.COMM_WORLD.Abort(code)


def _install_abort_hooks():
    previous = sys.excepthook

    def excepthook(kind, value, tb):
        previous(kind, value, tb)
        if _world is not None and not issubclass(kind, KeyboardInterrupt):
            abort(f"{where()} failed with {kind.__name__}: {value}; aborting all "
                  f"{_world.size} ranks")

    sys.excepthook = excepthook
    previous_thread = threading.excepthook

    def thread_hook(args):
        previous_thread(args)
        if _world is not None:
            abort(f"{where()} failed in thread {args.thread.name} with "
                  f"{args.exc_type.__name__}: {args.exc_value}; aborting all {_world.size} ranks")

    threading.excepthook = thread_hook


def wait_all(requests, what):
    """Complete ``requests``, driving MPI's progress, or raise after the deadline.

    MPI moves shared-memory data only inside MPI calls, so this polls Testall, busily at first,
    then sleeping between polls (see :func:`_pause`).
    """
    if MPI.Request.Testall(requests):
        return
    start = time.monotonic()
    w = _need()
    timeout, warn = w.timeout, w.stall_warning
    while not MPI.Request.Testall(requests):
        waited = _pause(start)
        if waited > warn:
            sys.stderr.write(f"tapeflow.horovod: {where()} has waited {waited:.0f} s for "
                             f"{what}\n")
            warn *= 2
        if waited > timeout:
            raise HorovodInternalError(f"{where()}: {what} did not complete within "
                                       f"{timeout:g} s (TAPEFLOW_HVD_TIMEOUT)")


_BUSY = 0.00005  # seconds of polling without yielding: a partner that is running is this close
_spin = float(os.environ.get("TAPEFLOW_HVD_SPIN", "1"))  # seconds of yielding before sleeping


def _pause(start):
    """Between two polls of a wait that began at ``start``; returns the seconds waited.

    The first 50 us poll without pause; then, up to ``TAPEFLOW_HVD_SPIN`` seconds (1), the wait
    yields the core between polls (``sched_yield``: free when nothing else wants the core); after
    that it sleeps between polls, a tenth of the time waited (50 us to 1 ms), so a rank waiting
    long for a slow one burns no core. Measured on the 2-core machine under load 6-7, interleaved:
    sleeping after 50 us, 200 us or 1 ms of polling made MLP steps (2 ranks) 6-23% slower than
    yielding (each wake-up comes late), polling without ever yielding 32-53% slower (the spinning
    rank keeps the core the rank it waits for needs); the first 50 us without yielding made 4-16
    MB allreduces 5-15% faster (the reply to a negotiation usually comes within them) and left
    the MLP step unchanged.
    """
    waited = time.monotonic() - start
    if waited < _BUSY:
        pass
    elif waited < _spin:
        os.sched_yield()
    else:
        time.sleep(min(0.001, max(0.00005, waited / 10)))
    return waited


# --- negotiation ---------------------------------------------------------------------------------

def describe(kind, name, arrays, names=None, **attrs):
    """What ranks must agree on before a collective: its kind, op and per-tensor shape/dtype."""
    names = names or [name] * len(arrays)
    d0 = arrays[0].dtype if arrays else None
    s0 = d0.str if arrays else None  # (dtype.str is slow; a fused bucket has one dtype)
    return (kind, name, tuple(sorted(attrs.items())),
            tuple([(n, a.shape, s0 if a.dtype is d0 else a.dtype.str)
                   for n, a in zip(names, arrays)]))


def auto_name(kind):
    """``allreduce.3``: the n-th unnamed collective of a kind (equal on all ranks that issue the
    same collectives in the same order)."""
    w = _need()
    n = w.counters.get(kind, 0)
    w.counters[kind] = n + 1
    return f"{kind}.{n}"


_AUTO = re.compile(r"[a-z_]+\.\d+")


def _same_name(a, b):
    """Names must match, except two automatic ones (``allreduce.3``, ``fused.2.1/grad``…): a
    rank that joined early skipped some, so their numbers may differ."""
    return a == b or bool(_AUTO.match(a) and _AUTO.match(b))


def _mismatch(a, ra, b, rb):
    """A sentence saying how two ranks' descriptions differ (a is rank ra's, b rank rb's)."""
    kind_a, name_a, attrs_a, ts_a = a
    kind_b, name_b, attrs_b, ts_b = b
    if kind_a != kind_b and "shutdown" in (kind_a, kind_b):
        ended, busy, busy_rank = (ra, b, rb) if kind_a == "shutdown" else (rb, a, ra)
        return (f"rank {ended} ended its program (hvd.shutdown) while rank {busy_rank} "
                f"submitted {busy[0]} '{busy[1]}'")
    if kind_a != kind_b or not _same_name(name_a, name_b):
        return (f"ranks issued collectives in a different order: rank {ra} submitted {kind_a} "
                f"'{name_a}' while rank {rb} submitted {kind_b} '{name_b}'")
    if attrs_a != attrs_b:
        return (f"mismatched arguments for {kind_a} '{name_a}': rank {ra} passed "
                f"{dict(attrs_a)}, rank {rb} passed {dict(attrs_b)}")
    if len(ts_a) != len(ts_b):
        return (f"mismatched number of tensors for {kind_a} '{name_a}': rank {ra} submitted "
                f"{len(ts_a)}, rank {rb} submitted {len(ts_b)}")
    for (na, sa, da), (nb, sb, db) in zip(ts_a, ts_b):
        if not _same_name(na, nb):
            return (f"ranks submitted tensors in a different order in {kind_a} '{name_a}': rank "
                    f"{ra} submitted '{na}' where rank {rb} submitted '{nb}'")
        if np.dtype(da) != np.dtype(db):
            return (f"mismatched {kind_a} tensor dtypes for '{na}': rank {ra} sent "
                    f"{np.dtype(da).name}, rank {rb} sent {np.dtype(db).name}")
        if sa != sb and not (kind_a in _RAGGED and sa[1:] == sb[1:]):
            return (f"mismatched {kind_a} tensor shapes for '{na}': rank {ra} sent shape "
                    f"{list(sa)}, rank {rb} sent shape {list(sb)}")
    return None


_RAGGED = ("allgather", "alltoall")  # first dimensions may differ between ranks
_JOIN = ("join", "join", (), ())
_AGREED_MAX = 4096  # descriptions remembered; later new ones are negotiated in full every time


def _agreed_key(desc):
    """The key under which an allreduce's description is remembered once agreed: an automatic
    name (``fused.12.0``) without its numbers, which every step changes and which negotiation
    does not compare (see _same_name). Other collectives are not remembered (None)."""
    if desc[0] != "allreduce":
        return None
    kind, name, attrs, tensors = desc
    if not _AUTO.match(name):
        return desc
    plain = _NUMBERS.sub("0", name)  # still an automatic name
    if tensors and tensors[0][0] == name:  # unnamed tensors are called after the collective
        tensors = tuple((plain if n == name else n, s, d) for n, s, d in tensors)
    return (kind, plain, attrs, tensors)


_NUMBERS = re.compile(r"\d+")


def _remember(w, key):
    w.agreed[key] = len(w.agreed_list)
    w.agreed_list.append(key)


class Repeated:
    """An allreduce that comes again with tensors of the same names, shapes and dtype (a
    training step's gradients), worked out once: its description, the key it is remembered under
    once agreed (and the number the ranks gave it then), and the :class:`~.shared_memory.Layout`
    of its buffer. For 100 tensors this saves about 30 us a call."""

    __slots__ = ("desc", "key", "number", "layout")

    def __init__(self, name, arrays, names, **attrs):
        self.desc = describe("allreduce", name, arrays, names, **attrs)
        self.key = _agreed_key(self.desc)
        self.number = None
        self.layout = shared_memory.Layout([a.shape for a in arrays], [a.size for a in arrays],
                                           kept=True)

    def agreed(self, w):
        """The number the ranks agreed on for it, or None."""
        number, key = self.number, self.key
        if number is None or number >= len(w.agreed_list) or w.agreed_list[number] is not key:
            number = self.number = w.agreed.get(key)  # not yet, or numbered in another init
        return number


def negotiate(desc):
    """Agree on ``desc`` (a description, or a :class:`Repeated` allreduce) with every rank that
    has not joined; return how many contribute.

    Raises ``InvalidArgumentError`` naming the tensor when ranks disagree (on every rank, so the
    program may go on), ``HorovodInternalError`` when a rank does not arrive in time.

    An allreduce description that all ranks agreed on before is sent as its number (Horovod's
    response cache): every rank numbers agreed descriptions in the same order, when rank 0 says
    so, so equal numbers mean equal descriptions, and rank 0 compares numbers instead of
    receiving and comparing a description per tensor (a training step sends the same buckets
    every time).
    """
    w = _need()
    if w.size == 1:
        return 1
    if type(desc) is Repeated:
        key, number, desc = desc.key, desc.agreed(w), desc.desc
    else:
        key = _agreed_key(desc)
        number = None if key is None else w.agreed.get(key)
    message = desc if number is None else number
    if w.rank == 0:
        reply = _coordinate(w, message)
    else:
        req = w.ctrl.isend(message, 0, _NEGOTIATE)
        reply = _receive_reply(w, desc)
        req.wait()
    status, value, remember = reply
    if remember:
        _remember(w, key)
    if status == "error":
        from ..framework import errors
        raise errors.InvalidArgumentError(None, None, value)
    return value


def _receive_reply(w, desc):
    start, timeout = time.monotonic(), _timeout()
    while True:
        msg = w.ctrl.improbe(0, _REPLY)
        if msg is not None:
            return msg.recv()
        if _pause(start) > timeout:
            what = "join" if desc == _JOIN else f"{desc[0]} '{desc[1]}'"
            raise HorovodInternalError(
                f"{where()}: rank 0 did not reach {what} within {timeout:g} s "
                "(TAPEFLOW_HVD_TIMEOUT)")


def _gather_descriptions(w, own):
    """Rank 0: the descriptions of every rank that has not joined (rank -> desc)."""
    got = {0: own}
    waiting = [r for r in range(1, w.size) if r not in w.joined]
    start, timeout = time.monotonic(), _timeout()
    while waiting:
        for r in list(waiting):
            msg = w.ctrl.improbe(r, _NEGOTIATE)
            if msg is not None:
                got[r] = msg.recv()
                waiting.remove(r)
        if waiting:
            if _pause(start) > timeout:
                names = ", ".join(where(r) for r in waiting)
                raise HorovodInternalError(
                    f"{names} did not reach {own[0]} '{own[1]}' within {timeout:g} s "
                    "(TAPEFLOW_HVD_TIMEOUT); rank 0 gives up")
    return got


def _coordinate(w, own):
    """Rank 0's side of a negotiation (``own`` is rank 0's description or its number, or _JOIN).
    Replies are (status, value, whether to remember the description)."""
    while True:
        got = _gather_descriptions(w, own)
        first = got[0] if 0 in got else None
        if type(first) is int and not w.joined and all(d == first for d in got.values()):
            _send_all(w, ("ok", len(got), False), got)  # all sent one remembered description
            return ("ok", len(got), False)
        got = {r: w.agreed_list[d] if type(d) is int else d for r, d in got.items()}
        joining = sorted(r for r, d in got.items() if d == _JOIN)
        w.joined.update(joining)
        working = {r: d for r, d in got.items() if d != _JOIN}
        if not working:  # every rank has joined: tell them who was last
            last = joining[-1] if joining else 0
            w.joined.clear()
            _send_all(w, ("done", last, False), range(1, w.size))
            return ("done", last, False)
        ref_rank = min(working)
        ref = working[ref_rank]
        error = None
        for r, d in working.items():
            error = error or (None if d == ref else _mismatch(ref, ref_rank, d, r))
        if error is None and w.joined and not (
                ref[0] == "broadcast" or ref[0] == "allreduce" and dict(ref[2])["op"] in (Sum,
                                                                                    Average)):
            error = (f"{ref[0]} '{ref[1]}' is not supported while ranks {sorted(w.joined)} have "
                     "joined (only Sum/Average allreduce and broadcast are)")
        active = len(working)
        key = _agreed_key(ref)
        remember = (not error and key is not None and key not in w.agreed and
                    len(w.agreed_list) < _AGREED_MAX)
        if error:
            _send_all(w, ("error", error, False), working)
        else:
            _send_all(w, ("ok", active, remember), working)
            _send_all(w, ("zeros", (ref, active), remember), w.joined - {0})
        if 0 in working:
            return ("error", error, False) if error else ("ok", active, remember)
        if not error:  # rank 0 joined: it contributes zeros, then coordinates again
            return ("zeros", (ref, active), remember)


def _send_all(w, reply, ranks):
    for r in ranks:
        if r != 0:
            w.ctrl.isend(reply, r, _REPLY).wait()


def join():
    """Say this rank has no more data: until all ranks join, it answers the others' allreduces
    and broadcasts with zeros. Returns the rank that joined last."""
    w = _need()
    if w.size == 1:
        return 0
    if w.rank != 0:
        w.ctrl.isend(_JOIN, 0, _NEGOTIATE).wait()
    while True:
        if w.rank == 0:
            status, value, remember = _coordinate(w, _JOIN)
        else:
            status, value, remember = _receive_reply(w, _JOIN)
        if status == "done":
            return value
        if remember:  # numbered on the working ranks: the same number here
            _remember(w, _agreed_key(value[0]))
        _contribute_zeros(*value)


def _contribute_zeros(desc, active):
    """A joined rank's part in a collective of the ``active`` working ranks: zeros."""
    kind, name, attrs, tensors = desc
    arrays = [np.zeros(shape, dtype) for _, shape, dtype in tensors]
    attrs = dict(attrs)
    if kind == "allreduce":
        # blocking and nonblocking collectives do not match: do as the contributing ranks do;
        # with the same scales (in shared memory every rank scales a chunk of the result)
        start_allreduce(arrays, attrs["op"], attrs["prescale"], attrs["postscale"], desc[1],
                        active, attrs["blocking"]).wait()
    else:
        flat = np.concatenate([a.reshape(-1) for a in arrays])
        broadcast_array(flat, attrs["root_rank"], name, negotiated=True)


# --- data collectives on NumPy arrays ------------------------------------------------------------

class Pending:
    """A started collective: ``wait()`` completes it and returns its result."""

    def __init__(self, requests, finish, what):
        self.requests = requests
        self.finish = finish
        self.what = what

    def test(self):
        return MPI.Request.Testall(self.requests)

    def wait(self):
        wait_all(self.requests, self.what)
        return self.finish()


def _mpi_op(op):
    if op not in _MPI_OPS:
        raise ValueError(f"Unsupported reduction op {_OP_NAMES.get(op, op)}")
    return getattr(MPI, _MPI_OPS[op])


class _Pool:
    """Output buffers of 256 KB and up, in memory of their own, reused once no tensor or view
    refers to them any more.

    Fresh memory costs page faults and zeroing: a quarter of an allreduce's time at 64 MB and up,
    and in the MLP benchmark's step (gradient buckets of 1 and 1.6 MB) about 800 page faults per
    step on a rank, 0.3-0.8 ms of CPU. Each buffer is its own anonymous mapping, advised for
    transparent huge pages (as NumPy advises its large arrays) and 2 MB-aligned: MPICH's
    shared-memory Allreduce into a 16 MB buffer of 4 KB pages (glibc serves large arrays from its
    heap once it has raised its mmap threshold, and NumPy's advice does not turn pages already
    there into huge ones) took 3.6-4.3 ms against 2.7-3.1 into huge pages. Buffers are handed
    out as views, and every view holds a reference to the array of the mapping's bytes, so a
    buffer whose array has no references but the pool's is free. Up to KEEP buffers are kept; a
    new size replaces the oldest free one.
    """

    SMALLEST, KEEP, HUGE = 1 << 18, 8, 1 << 21

    def __init__(self):
        self.buffers = []  # [the mapping's bytes, the aligned part handed out]

    def empty(self, n, dtype):
        dtype = np.dtype(dtype)
        nbytes = n * dtype.itemsize
        if nbytes < self.SMALLEST or not hasattr(mmap, "MAP_ANONYMOUS"):
            return np.empty(n, dtype)
        free = [i for i in range(len(self.buffers)) if self._free(i)]
        for i in free:
            if self.buffers[i][1].nbytes == nbytes:
                return self.buffers[i][1].view(dtype)
        if len(self.buffers) >= self.KEEP:
            if not free:
                return np.empty(n, dtype)
            del self.buffers[free[0]]
        self.buffers.append(self._mapping(nbytes))
        return self.buffers[-1][1].view(dtype)

    def _mapping(self, nbytes):
        pad = self.HUGE if nbytes >= self.HUGE else 0
        mapping = mmap.mmap(-1, nbytes + pad, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
        if hasattr(mmap, "MADV_HUGEPAGE"):
            mapping.madvise(mmap.MADV_HUGEPAGE)
        whole = np.frombuffer(mapping, np.uint8)  # keeps the mapping alive
        start = -whole.__array_interface__["data"][0] % self.HUGE if pad else 0
        return [whole, whole[start:start + nbytes]]

    def _free(self, i):
        # views of views refer to ``whole``; when free its references are the pool's list, the
        # aligned slice's base and getrefcount's argument
        return sys.getrefcount(self.buffers[i][0]) == 3


_pool = _Pool()


def start_allreduce(arrays, op, prescale, postscale, name, active, blocking=False, layout=None):
    """Begin one fused reduction of ``arrays`` (one dtype); ``wait()`` gives the reduced arrays.
    ``layout``: their :class:`~.shared_memory.Layout`, when the caller keeps one.

    ``active`` is how many ranks contribute (for Average; a joined rank adds zeros).
    ``blocking``: reduce now (safe after a negotiation, which has seen every rank arrive at this
    collective): through the memory the ranks share when they all run on one machine
    (shared_memory.py), else with MPI's blocking Allreduce (MPICH's shared-memory algorithms for
    it are faster than the nonblocking schedule).

    No pass over the data beyond the one copy MPI makes anyway: an unscaled single array is
    reduced out of place (MPI copies it into the result); otherwise the arrays are copied into the
    result here, and for floating Sum and Average the whole scale (prescale, postscale and the
    average's 1 / ranks) is applied by that copy, the sum of scaled values being the scaled sum.
    """
    w = _need()
    dtype = arrays[0].dtype
    if layout is None:
        layout = shared_memory.Layout([a.shape for a in arrays], [a.size for a in arrays])
    n = layout.n
    post = postscale / active if op == Average and active else postscale
    pre = prescale
    if op in (Sum, Average) and dtype.kind in "fc":
        pre, post = prescale * post, 1.0
    if blocking and w.shared is not None and n * dtype.itemsize >= _SHARED_FROM:
        views = _shared_allreduce(w, arrays, layout, dtype, op, pre, post)
        if views is not None:
            return Pending([], lambda: views, f"allreduce '{name}'")
    flat = _pool.empty(n, dtype)
    if len(arrays) == 1 and pre == 1.0 and w.size > 1:  # no packing: out of place
        send = np.ascontiguousarray(arrays[0]).reshape(-1)
    else:
        send = MPI.IN_PLACE
        _pack(arrays, layout, flat, pre)
    if w.size == 1:
        req = []
    elif blocking:
        w.data.Allreduce(send, flat, _mpi_op(op))
        req = []
    else:
        req = [w.data.Iallreduce(send, flat, _mpi_op(op))]

    def finish():
        if post != 1.0:
            _scale(flat, post)
        return shared_memory.split(flat, layout)

    return Pending(req, finish, f"allreduce '{name}'")


# Buffers from this size go through shared memory (when all ranks share one machine): below it
# MPI's Allreduce is faster (2 ranks on the 2-core machine, Average: 1 KB 23 us against 16, 16 KB
# 25 against 26, 64 KB 27 against 40, 1 MB 123 against 250).
_SHARED_FROM = int(os.environ.get("TAPEFLOW_HVD_SHARED_FROM", 1 << 14))
# ... and up to this size: the mapping, reserved for the rest of the job, holds ranks + 3 regions
# of the biggest buffer so far (5 x 64 MB for 2 ranks); bigger ones go through MPI's Allreduce.
_SHARED_LIMIT = 1 << 26
_UFUNCS = {Average: np.add, Sum: np.add, Min: np.minimum, Max: np.maximum, Product: np.multiply}


def _shared_allreduce(w, arrays, layout, dtype, op, pre, post):
    """The reduction through shared memory (the results), or None where it does not apply.
    For floating Sum and Average the whole scale is applied to this rank's chunk of the sum, not
    to the copies in (the chunk is 1 / ranks of the data); float16 aside, whose sum could
    overflow."""
    if dtype.kind not in "iufc" or op not in _UFUNCS:
        return None
    if op in (Sum, Average) and dtype.kind in "fc" and dtype.itemsize > 2:
        pre, post = 1.0, pre
    return w.shared.allreduce(arrays, layout, dtype, _UFUNCS[op], pre, _pack,
                              None if post == 1.0 else lambda chunk: _scale(chunk, post))


def _barrier():
    """The shared-memory allreduce's barrier. It polls as every wait here does (a blocking
    MPI_Barrier spins without yielding the core, which the rank it waits for may need)."""
    wait_all([_need().data.Ibarrier()], "the shared-memory allreduce")


def _scale(flat, factor):
    """``flat *= factor`` in place; integers are truncated back to their dtype."""
    if flat.dtype.kind in "iub":
        np.copyto(flat, (flat * factor).astype(flat.dtype), casting="unsafe")
    else:
        np.multiply(flat, flat.dtype.type(factor), out=flat)


def _pack(arrays, layout, flat, scale):
    """Copy ``arrays`` (laid out as ``layout`` says) one after the other into ``flat``, times
    ``scale``. Large arrays are scaled as they are copied (one pass over their bytes); runs of
    small ones are concatenated (one C loop, not one NumPy call per array: 100 arrays of 10 KB
    took 0.15 ms more one by one) and then scaled in place, while still in the cache."""
    scale = flat.dtype.type(scale)
    sizes = layout.sizes
    if len(arrays) > 1 and layout.largest < _BIG:
        _pack_run(arrays, flat, scale)
        return
    big = 0 if len(arrays) == 1 else _BIG
    pos = start = 0  # [start, pos): a run of small arrays not copied yet
    run = []
    for a, n in zip(arrays, sizes):
        if n < big:
            run.append(a)
            pos += n
            continue
        if run:
            _pack_run(run, flat[start:pos], scale)
            run = []
        part = flat[pos:pos + n].reshape(a.shape)
        if scale == 1:
            np.copyto(part, a, casting="unsafe")
        else:
            np.multiply(a, scale, out=part, casting="unsafe")
        pos += n
        start = pos
    if run:
        _pack_run(run, flat[start:pos], scale)


_BIG = 1 << 15  # elements: from here an array is copied (and scaled) by a NumPy call of its own


def _pack_run(arrays, flat, scale):
    np.concatenate(arrays, axis=None, out=flat, casting="unsafe")
    if scale != 1:
        np.multiply(flat, scale, out=flat, casting="unsafe")


def allreduce_arrays(arrays, op=Average, prescale=1.0, postscale=1.0, name=None, names=None):
    """Reduce NumPy arrays of one dtype across ranks in one fused collective (blocking)."""
    _mpi_op(op)
    name = name or auto_name("allreduce")
    active = negotiate(describe("allreduce", name, arrays, names, op=op, prescale=prescale,
                                postscale=postscale, blocking=True))
    return start_allreduce(arrays, op, prescale, postscale, name, active, blocking=True).wait()


def allgather_counts(x, name):
    """Negotiate an allgather of ``x`` and exchange first dimensions: the rows of each rank."""
    w = _need()
    if x.ndim == 0:
        raise ValueError("allgather needs a tensor of rank 1 or more")
    negotiate(describe("allgather", name, [x]))
    if w.size == 1:
        return [x.shape[0]]
    counts = np.empty(w.size, np.int64)
    wait_all([w.data.Iallgather(np.array([x.shape[0]], np.int64), counts)],
             f"allgather '{name}'")
    return [int(c) for c in counts]


def allgatherv(x, rows, name):
    """Every rank's ``x`` (``rows[r]`` rows from rank r), concatenated along the first axis."""
    w = _need()
    x, out, row = _ragged(x, rows)
    if w.size == 1:
        return x.copy()
    wait_all([w.data.Iallgatherv(x, (out, [r * row for r in rows]))], f"allgather '{name}'")
    return out


def _ragged(x, rows):
    """``x`` made contiguous, an empty result of ``sum(rows)`` rows like it, elements per row."""
    x = np.ascontiguousarray(x)
    return x, np.empty((sum(rows),) + x.shape[1:], x.dtype), int(np.prod(x.shape[1:]))


def allgather_array(x, name=None):
    """Concatenate every rank's ``x`` along the first axis (first dimensions may differ)."""
    name = name or auto_name("allgather")
    rows = allgather_counts(x, name)
    return allgatherv(x, rows, name), rows


def broadcast_array(x, root_rank, name=None, negotiated=False):
    """Rank ``root_rank``'s ``x`` on every rank."""
    w = _need()
    check_root(root_rank)
    name = name or auto_name("broadcast")
    x = np.ascontiguousarray(x)
    if not negotiated:
        negotiate(describe("broadcast", name, [x], root_rank=root_rank))
    out = x.copy()
    if w.size > 1:
        wait_all([w.data.Ibcast(out, root_rank)], f"broadcast '{name}'")
    return out


def check_root(root_rank):
    n = _need().size
    if not 0 <= root_rank < n:
        raise ValueError(f"root_rank {root_rank} is out of range for {n} ranks")


def alltoall_counts(x, splits, name):
    """Negotiate an alltoall and exchange row counts: (rows sent to each rank, rows received
    from each rank)."""
    w = _need()
    splits = alltoall_splits(x, splits)
    negotiate(describe("alltoall", name, [x]))
    if w.size == 1:
        return splits, splits
    recv = np.empty(w.size, np.int64)
    wait_all([w.data.Ialltoall(np.array(splits, np.int64), recv)], f"alltoall '{name}'")
    return splits, [int(r) for r in recv]


def alltoall_splits(x, splits):
    """The rows ``x`` sends to each rank (validated; None: an even split)."""
    w = _need()
    if x.ndim == 0:
        raise ValueError("alltoall needs a tensor of rank 1 or more")
    if splits is None:
        if x.shape[0] % w.size:
            raise ValueError(f"alltoall: the first dimension ({x.shape[0]}) is not divisible by "
                             f"the number of ranks ({w.size}); pass splits")
        splits = [x.shape[0] // w.size] * w.size
    splits = [int(s) for s in np.asarray(splits).reshape(-1)]
    if len(splits) != w.size or sum(splits) != x.shape[0] or min(splits) < 0:
        raise ValueError(f"alltoall: splits {splits} must have one non-negative entry per rank "
                         f"({w.size}) summing to the first dimension ({x.shape[0]})")
    return splits


def alltoallv(x, splits, received, name):
    """Rows ``splits[j]`` of ``x`` go to rank j; what arrives is concatenated by sender."""
    w = _need()
    x, out, row = _ragged(x, received)
    if w.size == 1:
        return x.copy()
    send = [s * row for s in splits]
    got = [r * row for r in received]
    wait_all([w.data.Ialltoallv((x, (send, _offsets(send))), (out, (got, _offsets(got))))],
             f"alltoall '{name}'")
    return out


def _offsets(counts):
    return [int(c) for c in np.cumsum([0] + counts[:-1])]


# --- Python objects ------------------------------------------------------------------------------

def broadcast_object(obj, root_rank=0, name=None):
    """Rank ``root_rank``'s picklable ``obj`` on every rank."""
    w = _need()
    name = name or auto_name("broadcast_object")
    data = np.frombuffer(pickle.dumps(obj), np.uint8) if w.rank == root_rank else None
    length = broadcast_array(np.array([0 if data is None else data.size], np.int64), root_rank,
                             name + ".size")
    buf = data if data is not None else np.empty(int(length[0]), np.uint8)
    return pickle.loads(broadcast_array(buf, root_rank, name, negotiated=True).tobytes())


def allgather_object(obj, name=None):
    """The list of every rank's picklable ``obj``, by rank."""
    name = name or auto_name("allgather_object")
    data = np.frombuffer(pickle.dumps(obj), np.uint8)
    out, rows = allgather_array(data, name)
    offsets = np.cumsum([0] + rows)
    return [pickle.loads(out[offsets[i]:offsets[i + 1]].tobytes()) for i in range(len(rows))]
