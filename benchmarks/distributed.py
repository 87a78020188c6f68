"""tapeflow.horovod over loopback: allreduce bandwidth, 2-process scaling, tensor fusion.

    python benchmarks/distributed.py            # starts its own mpiexec runs; prints a table and
                                                # writes benchmarks/results/distributed.json

Every rank runs one compute thread (OMP/OPENBLAS/MKL_NUM_THREADS=1, as tapeflowrun sets them on
a machine with as many cores as ranks). On a machine shared with other jobs, wall times drift
from second to second, so the alternatives are measured *interleaved* (round after round, each
round timing every alternative once), and the figures are medians over rounds of the per-round
ratios, with the best-of-rounds ratio beside them; CPU times (time.process_time) are per rank.

1. allreduce bandwidth, 4 to 256 MB of float32 on 2 ranks: ``hvd.allreduce`` (op Sum and the
   default Average) against mpi4py's raw ``Allreduce`` of the same buffers.
2. scaling: the MLP training step of benchmarks/impls.py (784-512-512-10, global batch 256,
   gradients + SGD update) in one 2-rank job, blocks of steps in turn:
     one process   rank 0 alone takes the whole batch with a plain tape, rank 1 sleeps;
     2 processes   each rank takes half the batch, DistributedGradientTape;
     no comm       each rank takes half the batch with a plain tape: the ceiling, what 2
                   processes would reach if averaging the gradients cost nothing.
   Samples per second of the whole batch; CPU time per step on each rank, and how much of it
   went to waiting for the other rank (negotiation and collective waits, which poll).
   A separate 1-process launch (``mpiexec -n 1``) checks the in-job baseline.
3. fusion: 100 gradients of 2,500 float32 each through the fusion buffer, as the distributed
   tape sends a step's gradients once it has seen their sources (Fusion.repeat), against one
   allreduce of the same 1 MB in one buffer (``hvd.allreduce``'s path), against one variable of
   that size sent as the tape sends it, against one allreduce per gradient, and against the
   general path of a first step; and the shared-memory reduction alone, 100
   arrays against one buffer: the floor of that ratio with NumPy (the 100 arrays must be
   concatenated, and their 100 result views cut: the fused path keeps them from step to
   step).
"""

import json
import os
import pathlib
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def interleaved(fns, rounds, warmup=2):
    """{name: [seconds per round]}: every round times each of ``fns`` once, in turn, each call
    started together on all ranks (a barrier). Each round starts with the next alternative (on
    the loaded machine the same 16 MB Allreduce timed third in a round took 8-10% longer than
    timed first)."""
    from mpi4py import MPI
    for fn in fns.values():
        for _ in range(warmup):  # page faults, MPI's shared-memory buffers, reused outputs
            fn()
    times = {name: [] for name in fns}
    order = list(fns.items())
    for i in range(rounds):
        for name, fn in order[i % len(order):] + order[:i % len(order)]:
            MPI.COMM_WORLD.Barrier()
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return times


def median(values):
    s = sorted(values)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def ratios(base, other):
    """How fast ``other`` is relative to ``base`` (base time / other time): the median of the
    per-round ratios and the ratio of the best rounds."""
    return median([b / o for b, o in zip(base, other)]), min(base) / min(other)


def _bandwidth_row(mb):
    import numpy as np
    from mpi4py import MPI

    import tapeflow as tf
    import tapeflow.horovod as hvd
    n = mb * 1024 * 1024 // 4
    send = np.full(n, hvd.rank() + 1.0, np.float32)
    recv = np.empty_like(send)
    tensor = tf.constant(send)
    t = interleaved({"raw": lambda: MPI.COMM_WORLD.Allreduce(send, recv, MPI.SUM),
                     "sum": lambda: hvd.allreduce(tensor, op=hvd.Sum),
                     "average": lambda: hvd.allreduce(tensor)}, 21 if mb <= 16 else 7)
    row = {"MB": mb}
    for name in t:
        row[f"{name}_GBps"] = mb / 1024 / median(t[name])
    for name in ("sum", "average"):
        row[f"{name}_vs_raw"], row[f"{name}_vs_raw_best"] = ratios(t["raw"], t[name])
    return row


def bandwidth():
    import tapeflow.horovod as hvd
    hvd.init()
    return [_bandwidth_row(mb) for mb in (4, 16, 64, 256)]


class _WaitClock:
    """CPU and wall time spent inside tapeflow.horovod's waits (patched around them)."""

    def __init__(self):
        from tapeflow.horovod import comm
        self.cpu = self.wall = 0.0
        for name in ("wait_all", "_receive_reply", "_gather_descriptions"):
            setattr(comm, name, self._timed(getattr(comm, name)))

    def _timed(self, fn):
        def timed(*args, **kwargs):
            cpu, wall = time.process_time(), time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.cpu += time.process_time() - cpu
                self.wall += time.perf_counter() - wall
        return timed


def _sleep_until_rank0_done():
    """Rank 1's part of a one-process block: sleep (no core used) until rank 0 is done."""
    from mpi4py import MPI
    req = MPI.COMM_WORLD.Ibarrier()
    while not req.Test():
        time.sleep(0.001)


def mlp_scaling(blocks=24, steps=10):
    from mpi4py import MPI

    import tapeflow as tf
    import tapeflow.horovod as hvd
    from tapeflow.framework import blas
    sys.path.insert(0, str(HERE))
    from impls import BATCH, _mlp_data
    hvd.init()
    world = MPI.COMM_WORLD
    x, labels, params = _mlp_data()
    whole = (tf.constant(x), tf.constant(labels), [tf.Variable(p) for p in params])
    mine = slice(hvd.rank(), None, hvd.size())
    half = (tf.constant(x[mine]), tf.constant(labels[mine]), [tf.Variable(p) for p in params])
    clock = _WaitClock()

    def step(data, distributed):
        x, labels, variables = data
        with tf.GradientTape() as tape:
            h = x
            for w, b in zip(variables[:-2:2], variables[1:-2:2]):  # the two hidden layers
                h = tf.nn.relu(h @ w + b)
            loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(
                labels, h @ variables[-2] + variables[-1]))
        if distributed:
            tape = hvd.DistributedGradientTape(tape)
        for v, g in zip(variables, tape.gradient(loss, variables)):
            v.assign_sub(0.01 * g)

    modes = {"one": (whole, False), "two": (half, True), "nocomm": (half, False)}
    record = {m: {"wall": [], "cpu": [], "wait_cpu": [], "wait_wall": []} for m in modes}
    order = list(modes.items())
    for block in range(blocks + 1):  # the first block warms up; each block starts elsewhere
        for mode, (data, distributed) in order[block % 3:] + order[:block % 3]:
            world.Barrier()
            if mode == "one" and hvd.rank() != 0:
                _sleep_until_rank0_done()
                continue
            clock.cpu = clock.wall = 0.0
            wall, cpu = time.perf_counter(), time.process_time()
            for _ in range(steps):
                step(data, distributed)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            if mode == "one":
                world.Ibarrier().Wait()
            if block:
                for key, value in (("wall", wall), ("cpu", cpu), ("wait_cpu", clock.cpu),
                                   ("wait_wall", clock.wall)):
                    record[mode][key].append(value / steps)
    everyone = world.gather(record, root=0)
    info = world.gather({"blas_threads": blas.blas_threads(),
                         "os_threads": len(os.listdir("/proc/self/task"))}, root=0)
    if hvd.rank() != 0:
        return None
    # a block of 2 ranks lasts as long as its slower rank
    wall = {m: [max(r[m]["wall"][i] for r in everyone if r[m]["wall"]) for i in range(blocks)]
            for m in modes}
    out = {"batch": BATCH, "steps_per_block": steps, "blocks": blocks, "ranks": info}
    for m in modes:
        out[m] = {"samples_per_s": BATCH / median(wall[m]),
                  "best_samples_per_s": BATCH / min(wall[m]),
                  "step_ms": 1e3 * median(wall[m]),
                  "cpu_step_ms": [1e3 * median(r[m]["cpu"]) for r in everyone if r[m]["cpu"]],
                  "wait_cpu_ms": [1e3 * median(r[m]["wait_cpu"]) for r in everyone
                                  if r[m]["cpu"]]}
    out["speedup"], out["best_speedup"] = ratios(wall["one"], wall["two"])
    out["ceiling"], _ = ratios(wall["one"], wall["nocomm"])
    return out


def mlp_alone(steps=100):
    """The baseline in a process of its own (``mpiexec -n 1``): seconds and CPU per step."""
    sys.path.insert(0, str(HERE))
    import tapeflow as tf
    from impls import BATCH, _mlp_data
    x, labels, params = _mlp_data()
    x, labels, variables = tf.constant(x), tf.constant(labels), [tf.Variable(p) for p in params]

    def step():
        with tf.GradientTape() as tape:
            h = x
            for w, b in zip(variables[:-2:2], variables[1:-2:2]):
                h = tf.nn.relu(h @ w + b)
            loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(
                labels, h @ variables[-2] + variables[-1]))
        for v, g in zip(variables, tape.gradient(loss, variables)):
            v.assign_sub(0.01 * g)

    for _ in range(10):
        step()
    per_step = []
    cpu = time.process_time()
    for _ in range(steps):
        start = time.perf_counter()
        step()
        per_step.append(time.perf_counter() - start)
    cpu = (time.process_time() - cpu) / steps
    return {"samples_per_s": BATCH / median(per_step), "step_ms": 1e3 * median(per_step),
            "cpu_step_ms": 1e3 * cpu}


def fusion():
    import numpy as np

    import tapeflow as tf
    import tapeflow.horovod as hvd
    from tapeflow.horovod import comm
    from tapeflow.horovod.fusion import Fusion, Plan
    from tapeflow.horovod.shared_memory import Layout
    hvd.init()
    grads = [np.full(2500, i + hvd.rank(), np.float32) for i in range(100)]
    one = [np.concatenate(grads)]

    keys, names = list(range(100)), [f"var{i}" for i in range(100)]
    plan = Plan([tf.Variable(g) for g in grads])  # the sources of a distributed tape
    one_plan = Plan([tf.Variable(one[0])])  # a model with one variable of the same bytes

    def fused():  # as DistributedGradientTape sends a step's gradients (its sources seen before)
        Fusion(hvd.Average).repeat(plan, grads, True)

    def one_planned():  # the same for the one variable
        Fusion(hvd.Average).repeat(one_plan, one, True)

    def first():  # the general path: a first step, a gradient missing, compression, markers
        f = Fusion(hvd.Average)
        f.add_all(keys, grads, names)
        f.finish()

    # The floor: the shared-memory reduction alone (no description, negotiation, bookkeeping
    # or result views), 100 arrays against one. The 100 are concatenated into the shared
    # input; the one buffer's own half is reduced from it in place, uncopied.
    shared = comm._need().shared
    dtype = one[0].dtype

    def transport(arrays):
        layout = Layout([a.shape for a in arrays], [a.size for a in arrays])
        return lambda: shared.allreduce(arrays, layout, dtype, np.add, 1.0, comm._pack,
                                        lambda chunk: comm._scale(chunk, 0.5))

    t = interleaved({"fused": fused, "first": first, "one_planned": one_planned,
                     "one": lambda: comm.allreduce_arrays(one, hvd.Average),
                     "fused_transport": transport(grads), "one_transport": transport(one)}, 200)
    unfused = interleaved({"unfused": lambda: [comm.allreduce_arrays([g], hvd.Average)
                                               for g in grads]}, 20)["unfused"]
    ratio, best = ratios(t["fused"], t["one"])  # fused time / one buffer's time
    return {"variables": 100, "bytes": 100 * 2500 * 4, "fused_ms": 1e3 * median(t["fused"]),
            "one_buffer_ms": 1e3 * median(t["one"]), "ratio": ratio, "best_ratio": best,
            "one_planned_ms": 1e3 * median(t["one_planned"]),
            "planned_ratio": ratios(t["fused"], t["one_planned"])[0],
            "first_ms": 1e3 * median(t["first"]),
            "first_ratio": ratios(t["first"], t["one"])[0],
            # what each variable adds: its copy into the buffer, its share of the description
            # and of the bookkeeping, its result view
            "per_variable_us": 1e6 * (median(t["fused"]) - median(t["one"])) / 100,
            "transport_ratio": ratios(t["fused_transport"], t["one_transport"])[0],
            "transport_ms": [1e3 * median(t["fused_transport"]),
                             1e3 * median(t["one_transport"])],
            "unfused_ms": 1e3 * median(unfused)}


def launch(n, what):
    env = dict(os.environ, **ONE_THREAD)
    mpiexec = pathlib.Path(sys.executable).parent / "mpiexec"
    cmd = [str(mpiexec), "-n", str(n), sys.executable, __file__, "--rank", what]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900)
    if out.returncode != 0:
        raise SystemExit(out.stdout + out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _load():
    return " ".join(open("/proc/loadavg").read().split()[:3])


def report(results):
    print(f"load average {results['load'][0]} at the start, {results['load'][1]} at the end; "
          "figures: median over interleaved rounds [best round]")
    print("allreduce over loopback, 2 ranks, float32 (GB/s of buffer; hvd / raw mpi4py):")
    print(f"{'MB':>5} {'mpi4py':>7} {'hvd Sum':>8} {'ratio':>12} {'hvd Avg':>8} {'ratio':>12}")
    for r in results["bandwidth"]:
        print(f"{r['MB']:>5} {r['raw_GBps']:>7.2f} {r['sum_GBps']:>8.2f} "
              f"{r['sum_vs_raw']:>5.2f} [{r['sum_vs_raw_best']:.2f}] {r['average_GBps']:>8.2f} "
              f"{r['average_vs_raw']:>5.2f} [{r['average_vs_raw_best']:.2f}]")
    s = results["scaling"]
    print(f"MLP step (784-512-512-10, batch {s['batch']}), one compute thread per process "
          f"(BLAS threads per rank {[r['blas_threads'] for r in s['ranks']]}, OS threads "
          f"{[r['os_threads'] for r in s['ranks']]}):")
    names = {"one": "1 process", "two": "2 processes", "nocomm": "2, no comm"}
    for m, name in names.items():
        r = s[m]
        cpu = ", ".join(f"{c:.2f}" for c in r["cpu_step_ms"])
        wait = ", ".join(f"{c:.2f}" for c in r["wait_cpu_ms"])
        print(f"  {name:<12} {r['samples_per_s']:>7.0f} samples/s [{r['best_samples_per_s']:.0f}]"
              f"  step {r['step_ms']:.2f} ms  CPU per step per rank {cpu} ms"
              + (f" (waiting {wait})" if m == "two" else ""))
    print(f"  2 processes / 1 process: {s['speedup']:.2f}x [{s['best_speedup']:.2f}x]; "
          f"without communication it would be {s['ceiling']:.2f}x")
    a = results["alone"]
    print(f"  1 process in a launch of its own: {a['samples_per_s']:.0f} samples/s, step "
          f"{a['step_ms']:.2f} ms, CPU {a['cpu_step_ms']:.2f} ms; 2 processes / that: "
          f"{s['two']['samples_per_s'] / a['samples_per_s']:.2f}x (not interleaved)")
    f = results["fusion"]
    print(f"fusion: 100 variables {f['fused_ms']:.3f} ms vs one buffer {f['one_buffer_ms']:.3f} "
          f"ms: {f['ratio']:.2f}x [{f['best_ratio']:.2f}x], {f['per_variable_us']:.2f} us per "
          f"variable (one allreduce per variable: {f['unfused_ms']:.3f} ms)")
    print(f"  against a model with one variable of the same bytes (its steps planned too): "
          f"{f['one_planned_ms']:.3f} ms, {f['planned_ratio']:.2f}x")
    print(f"  a first step (the general path): {f['first_ms']:.3f} ms, {f['first_ratio']:.2f}x")
    print(f"  the shared-memory reduction alone: 100 arrays {f['transport_ms'][0]:.3f} ms vs one "
          f"buffer {f['transport_ms'][1]:.3f} ms: {f['transport_ratio']:.2f}x")


def main():
    start = _load()
    results = {"bandwidth": launch(2, "bandwidth"), "scaling": launch(2, "mlp"),
               "alone": launch(1, "alone"), "fusion": launch(2, "fusion")}
    results["load"] = [start, _load()]
    report(results)
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "distributed.json").write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--rank"]:
        result = {"bandwidth": bandwidth, "mlp": mlp_scaling, "alone": mlp_alone,
                  "fusion": fusion}[sys.argv[2]]()
        if result is not None and os.environ.get("PMI_RANK", "0") == "0":
            print(json.dumps(result))
    else:
        main()
