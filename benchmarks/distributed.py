"""tapeflow.horovod over loopback: allreduce bandwidth, 2-process scaling, tensor fusion.

    python benchmarks/distributed.py            # starts its own mpiexec runs; prints a table and
                                                # writes benchmarks/results/distributed.json

1. allreduce bandwidth, 4 to 256 MB of float32 on 2 ranks: ``hvd.allreduce`` (op Sum and the
   default Average) against mpi4py's raw ``Allreduce`` on the same buffers (best of 5).
2. scaling: the MLP training step of benchmarks/impls.py (784-512-512-10, global batch 256,
   gradients + SGD update), one compute thread per process: samples/s on 2 ranks (128 examples
   each, DistributedGradientTape) over samples/s on 1 process (256 examples, plain tape).
3. fusion: 100 gradients of 2,500 float32 each through the fusion buffer (as the distributed
   tape sends them) against one allreduce of the same 1 MB in one buffer (and against one
   allreduce per gradient).

Timings are the fastest of several runs (the machine may be shared with other jobs).
"""

import json
import os
import pathlib
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def best(fn, rounds=7):
    """The fastest of ``rounds`` calls, each started together on all ranks (a barrier): on a
    machine shared with other jobs the minimum is the least disturbed run."""
    from mpi4py import MPI
    for _ in range(3):  # warm up (page faults, MPI's shared-memory buffers, reused outputs)
        fn()
    times = []
    for _ in range(rounds):
        MPI.COMM_WORLD.Barrier()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def _bandwidth_row(mb):
    import numpy as np
    from mpi4py import MPI

    import tapeflow as tf
    import tapeflow.horovod as hvd
    n = mb * 1024 * 1024 // 4
    send = np.full(n, hvd.rank() + 1.0, np.float32)
    recv = np.empty_like(send)
    tensor = tf.constant(send)
    rounds = 15 if mb <= 16 else 7
    raw = best(lambda: MPI.COMM_WORLD.Allreduce(send, recv, MPI.SUM), rounds)
    ours = best(lambda: hvd.allreduce(tensor, op=hvd.Sum), rounds)
    avg = best(lambda: hvd.allreduce(tensor), rounds)
    return {"MB": mb, "mpi4py_GBps": mb / 1024 / raw, "hvd_sum_GBps": mb / 1024 / ours,
            "hvd_average_GBps": mb / 1024 / avg, "sum_vs_raw": raw / ours,
            "average_vs_raw": raw / avg}


def bandwidth():
    import tapeflow.horovod as hvd
    hvd.init()
    return [_bandwidth_row(mb) for mb in (4, 16, 64, 256)]


def mlp_step_rate():
    import numpy as np

    import tapeflow as tf
    import tapeflow.horovod as hvd
    sys.path.insert(0, str(HERE))
    from impls import BATCH, _mlp_data
    hvd.init()
    x, labels, params = _mlp_data()
    mine = slice(hvd.rank(), None, hvd.size())
    x, labels = tf.constant(x[mine]), tf.constant(labels[mine])
    variables = [tf.Variable(p) for p in params]

    def step():
        with tf.GradientTape() as tape:
            h = x
            for w, b in zip(variables[:-2:2], variables[1:-2:2]):  # the two hidden layers
                h = tf.nn.relu(h @ w + b)
            loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(
                labels, h @ variables[-2] + variables[-1]))
        if hvd.size() > 1:
            tape = hvd.DistributedGradientTape(tape)
        for v, g in zip(variables, tape.gradient(loss, variables)):
            v.assign_sub(0.01 * g)

    seconds = best(step, rounds=40)
    cpu = time.process_time()
    for _ in range(20):
        step()
    cpu = (time.process_time() - cpu) / 20  # this process's CPU time per step (polls included)
    slowest = hvd.allreduce(np.array([seconds, cpu]), op=hvd.Max).numpy()
    return {"processes": hvd.size(), "step_s": float(slowest[0]),
            "samples_per_s": BATCH / slowest[0], "cpu_step_s": float(slowest[1])}


def fusion():
    import numpy as np

    import tapeflow.horovod as hvd
    from tapeflow.horovod import comm
    from tapeflow.horovod.fusion import Fusion
    hvd.init()
    grads = [np.full(2500, i + hvd.rank(), np.float32) for i in range(100)]
    one = [np.concatenate(grads)]

    def fused():
        f = Fusion(hvd.Average)
        for i, g in enumerate(grads):
            f.add(i, g, f"var{i}")
        f.finish()

    def single():
        comm.allreduce_arrays(one, hvd.Average)

    def unfused():
        for g in grads:
            comm.allreduce_arrays([g], hvd.Average)

    t_fused = best(fused, rounds=200)
    t_one = best(single, rounds=200)
    t_unfused = best(unfused, rounds=20)
    return {"variables": 100, "bytes": 100 * 2500 * 4, "fused_ms": t_fused * 1e3,
            "one_buffer_ms": t_one * 1e3, "ratio": t_fused / t_one,
            "unfused_ms": t_unfused * 1e3}


def launch(n, what):
    env = dict(os.environ, **ONE_THREAD)
    mpiexec = pathlib.Path(sys.executable).parent / "mpiexec"
    cmd = [str(mpiexec), "-n", str(n), sys.executable, __file__, "--rank", what]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900)
    if out.returncode != 0:
        raise SystemExit(out.stdout + out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    results = {"bandwidth": launch(2, "bandwidth")}
    one, two = launch(1, "mlp"), launch(2, "mlp")
    results["scaling"] = {"one": one, "two": two,
                          "speedup": two["samples_per_s"] / one["samples_per_s"],
                          "cpu_speedup": one["cpu_step_s"] / two["cpu_step_s"]}
    results["fusion"] = launch(2, "fusion")
    print("allreduce over loopback, 2 ranks (GB/s of buffer):")
    print(f"{'MB':>5} {'mpi4py':>8} {'hvd Sum':>8} {'ratio':>6} {'hvd Avg':>8} {'ratio':>6}")
    for r in results["bandwidth"]:
        print(f"{r['MB']:>5} {r['mpi4py_GBps']:>8.2f} {r['hvd_sum_GBps']:>8.2f} "
              f"{r['sum_vs_raw']:>6.2f} {r['hvd_average_GBps']:>8.2f} {r['average_vs_raw']:>6.2f}")
    s = results["scaling"]
    print(f"MLP step: 1 process {s['one']['samples_per_s']:.0f} samples/s, 2 processes "
          f"{s['two']['samples_per_s']:.0f} samples/s: {s['speedup']:.2f}x (CPU time per step: "
          f"{s['one']['cpu_step_s'] * 1e3:.1f} ms vs {s['two']['cpu_step_s'] * 1e3:.1f} ms per "
          f"rank: {s['cpu_speedup']:.2f}x)")
    f = results["fusion"]
    print(f"fusion: 100 variables {f['fused_ms']:.3f} ms vs one buffer {f['one_buffer_ms']:.3f} "
          f"ms: {f['ratio']:.2f}x (one allreduce per variable: {f['unfused_ms']:.3f} ms)")
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "distributed.json").write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--rank"]:
        result = {"bandwidth": bandwidth, "mlp": mlp_step_rate, "fusion": fusion}[sys.argv[2]]()
        import tapeflow.horovod as hvd
        if hvd.rank() == 0:
            print(json.dumps(result))
    else:
        main()
