"""tapeflow.horovod: one-rank behaviour here; several ranks through MPI's launcher (the MPICH
wheel's mpiexec next to this Python, or tapeflowrun), over loopback, with hard timeouts.

tests/hvd_worker.py holds the multi-process checks; each launch runs several of them (MPI start-up
costs about a second).
"""

import contextlib
import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest

import tapeflow as tf

hvd = pytest.importorskip("tapeflow.horovod")

BIN = pathlib.Path(sys.executable).parent
MPIEXEC = BIN / "mpiexec"
WORKER = str(pathlib.Path(__file__).with_name("hvd_worker.py"))
need_mpiexec = pytest.mark.skipif(not MPIEXEC.exists(), reason="no mpiexec beside this Python "
                                  "(pip install 'tapeflow[mpi]')")


def launch(n, *scenarios, runner=False, env=None, timeout=90):
    """Run the worker on n ranks; returns (exit code, stdout + stderr)."""
    if runner:
        cmd = [str(BIN / "tapeflowrun"), "-np", str(n), "-H", f"localhost:{n}", sys.executable,
               WORKER, *scenarios]
    else:
        cmd = [str(MPIEXEC), "-n", str(n), sys.executable, WORKER, *scenarios]
    full_env = dict(os.environ, **(env or {}))
    full_env.pop("HOROVOD_FUSION_THRESHOLD", None)
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=full_env)
    if proc.returncode != 0:
        remove_stale_mpich_segments()
    return proc.returncode, proc.stdout + proc.stderr


def remove_stale_mpich_segments():
    """MPICH leaves its shared-memory segment (/dev/shm/mpich_shm_*, 2 MB) behind when a job is
    aborted, as the fault tests do: remove the ones no running process maps, so that running the
    suite does not fill the machine's memory over time."""
    shm = pathlib.Path("/dev/shm")
    segments = {str(p) for p in shm.glob("mpich_shm_*")} if shm.is_dir() else set()
    if not segments:
        return
    for maps in pathlib.Path("/proc").glob("[0-9]*/maps"):
        try:
            segments -= {path for path in segments if path in maps.read_text()}
        except OSError:  # the process ended, or is not ours to read
            continue
    for path in segments:
        with contextlib.suppress(OSError):
            os.unlink(path)


@need_mpiexec
def test_three_ranks_collectives_gradients_errors_join_and_training():
    code, out = launch(3, "values", "gradvalues", "mismatch", "join", "rows", "fusion")
    assert code == 0, out
    for check in ("values", "gradient values", "mismatches", "join", "gradient rows",
                  "3 ranks x 50 Adam steps == 1 process (DistributedGradientTape, 256",
                  "fusion, fp16 compression, second order"):
        assert f"PASS {check}" in out, out


@need_mpiexec
def test_two_ranks_through_tapeflowrun_training_optimizer_and_callbacks():
    code, out = launch(2, "values", "training", "optimizer", "callbacks", "fit", runner=True)
    assert code == 0, out
    for check in ("values", "2 ranks x 50 Adam steps == 1 process (DistributedGradientTape",
                  "2 ranks x 50 Adam steps == 1 process (DistributedOptimizer",
                  "DistributedOptimizer op=Sum reduces once", "callbacks", "fit"):
        assert f"PASS {check}" in out, out
    # fit's progress bar and epoch lines come from rank 0 only
    assert out.count("Epoch 1/2") == 1 and out.count("Epoch 2/2") == 1, out


@need_mpiexec
def test_shared_memory_allreduce_and_every_allreduce_through_it():
    code, out = launch(3, "shared", "repeated")
    assert code == 0, out
    assert "PASS shared memory" in out and "PASS repeated steps" in out, out
    # the same checks as above with even the smallest buffers through shared memory
    code, out = launch(2, "values", "join", "gradvalues", "fusion", "shared", "repeated",
                       env={"TAPEFLOW_HVD_SHARED_FROM": "0"})
    assert code == 0, out
    for check in ("values", "join", "gradient values", "fusion, fp16 compression, second order",
                  "shared memory", "repeated steps"):
        assert f"PASS {check}" in out, out
    # and none of them: MPI's Allreduce throughout, by choice or because a rank cannot map
    code, out = launch(2, "values", "join", env={"TAPEFLOW_HVD_SHARED_LIMIT": "0"})
    assert code == 0 and "PASS join" in out, out
    code, out = launch(2, "nomap")
    assert code == 0 and "PASS no shared mapping" in out, out


@need_mpiexec
def test_a_rank_that_raises_stops_the_job_naming_it():
    code, out = launch(2, "raise", timeout=30)
    assert code != 0
    assert "rank one's data is bad" in out
    assert "tapeflow.horovod: rank 1 (pid" in out and "failed with ValueError" in out
    assert "UNREACHABLE" not in out


@need_mpiexec
def test_a_rank_that_dies_stops_the_job_naming_it():
    code, out = launch(2, "kill", runner=True, timeout=30)
    assert code != 0
    assert "tapeflowrun: rank 1 (pid" in out and "killed by signal 9 (SIGKILL)" in out
    assert "UNREACHABLE" not in out


@need_mpiexec
def test_a_rank_that_exits_early_stops_the_job_naming_it():
    code, out = launch(2, "exit", timeout=30)
    assert code != 0
    assert ("rank 1 ended its program (hvd.shutdown) while rank 0 submitted allreduce "
            "'after_fault'") in out
    assert "UNREACHABLE" not in out


@need_mpiexec
def test_a_rank_that_stalls_times_out_naming_it():
    code, out = launch(2, "stall", env={"TAPEFLOW_HVD_TIMEOUT": "2"}, timeout=30)
    assert code != 0
    assert "rank 1 (pid" in out and "did not reach allreduce 'after_fault' within 2 s" in out
    assert "UNREACHABLE" not in out


# --- one rank (this process) ---------------------------------------------------------------------

def test_one_rank_topology_and_identity_collectives():
    hvd.init()
    assert hvd.is_initialized() and (hvd.rank(), hvd.size()) == (0, 1)
    assert (hvd.local_rank(), hvd.local_size(), hvd.cross_rank(), hvd.cross_size()) == (0, 1, 0, 1)
    x = tf.constant([[1.0, 2.0]])
    for op in (hvd.Average, hvd.Sum, hvd.Min, hvd.Max, hvd.Product):
        y = hvd.allreduce(x, op=op)
        assert y.dtype == tf.float32 and y.numpy().tolist() == [[1.0, 2.0]]
    assert hvd.allreduce(x, op=hvd.Sum, prescale_factor=2.0, postscale_factor=0.5).numpy(
    ).tolist() == [[1.0, 2.0]]
    assert hvd.allgather(x).shape == (1, 2) and hvd.broadcast(x, 0).numpy().tolist() == [[1, 2]]
    out, splits = hvd.alltoall(tf.constant([1, 2, 3]))
    assert out.numpy().tolist() == [1, 2, 3] and splits.numpy().tolist() == [3]
    assert hvd.broadcast_object({"a": 1}) == {"a": 1} and hvd.allgather_object(5) == [5]
    assert hvd.join() == 0


def test_bad_arguments():
    x = tf.constant([1.0])
    with pytest.raises(ValueError, match="root_rank 1 is out of range for 1 ranks"):
        hvd.broadcast(x, 1)
    with pytest.raises(ValueError, match="Unsupported reduction op Adasum"):
        hvd.allreduce(x, op=hvd.Adasum)
    with pytest.raises(ValueError, match="op parameter supersedes average"):
        hvd.allreduce(x, average=True, op=hvd.Sum)
    with pytest.raises(ValueError, match="splits \\[2\\] must have one non-negative entry"):
        hvd.alltoall(x, splits=[2])
    with pytest.raises(ValueError, match="rank 1 or more"):
        hvd.allgather(tf.constant(1.0))


def test_distributed_tape_is_the_same_tape_and_keeps_its_record_clean():
    w = tf.Variable([1.0, 2.0])
    with tf.GradientTape(persistent=True) as tape:
        loss = tf.reduce_sum(w * w)
    dtape = hvd.DistributedGradientTape(tape, op=hvd.Sum)
    assert isinstance(dtape, tf.GradientTape) and dtape.watched_variables() == (w,)
    assert dtape.gradient(loss, w).numpy().tolist() == [2.0, 4.0]
    assert tape.gradient(loss, [w])[0].numpy().tolist() == [2.0, 4.0]
    assert "HorovodGradientReady" not in tape.to_dot()


def test_runner_builds_the_launcher_command(tmp_path):
    from tapeflow.horovod import runner
    args = runner._parser().parse_args(["-np", "4", "-H", "a:2,b:2", "--network-interface",
                                        "lo", "python", "train.py", "--lr", "0.1"])
    hydra = runner.build_command(args, "mpiexec", "hydra")
    assert hydra[:7] == ["mpiexec", "-n", "4", "-hosts", "a:2,b:2", "-iface", "lo"]
    assert hydra[-7:] == ["-m", "tapeflow.horovod.runner", "--guard", "python", "train.py",
                          "--lr", "0.1"]
    ompi = runner.build_command(args, "mpirun", "openmpi")
    assert ompi[3:5] == ["-H", "a:2,b:2"] and "btl_tcp_if_include" in ompi
    assert runner.find_mpiexec() in (str(MPIEXEC), os.environ.get("TAPEFLOW_MPIEXEC"))


def test_ranks_sharing_a_machine_get_their_share_of_the_cores():
    from tapeflow.framework import blas
    from tapeflow.horovod import threads
    cores = len(os.sched_getaffinity(0))
    env = threads.rank_environment({"MPI_LOCALNRANKS": "2", "PATH": "/bin"})
    share = str(max(1, cores // 2))
    assert env == {"MPI_LOCALNRANKS": "2", "PATH": "/bin", "OMP_NUM_THREADS": share,
                   "OPENBLAS_NUM_THREADS": share, "MKL_NUM_THREADS": share}
    chosen = {"OMPI_COMM_WORLD_LOCAL_SIZE": "4", "OMP_NUM_THREADS": "3"}
    assert threads.rank_environment(chosen) is chosen  # the user's choice stands
    assert threads.rank_environment({"PATH": "/bin"}) == {"PATH": "/bin"}  # no launcher
    before = blas.blas_threads()  # NumPy's OpenBLAS (and SciPy's, once loaded)
    n = len(before)
    assert n >= 1
    try:
        assert blas.limit_loaded_blas(1) == n and blas.blas_threads() == [1] * n
    finally:
        blas.limit_loaded_blas(before[0])
    assert blas.blas_threads() == [before[0]] * n


def test_compression_fp16_roundtrip():
    x = tf.constant(np.array([1.0, 1.0 / 3.0]), tf.float64)
    c, ctx = hvd.Compression.fp16.compress(x)
    assert c.dtype == tf.float16
    back = hvd.Compression.fp16.decompress(c, ctx)
    assert back.dtype == tf.float64 and abs(back.numpy()[1] - 1 / 3) < 1e-3
    same, none = hvd.Compression.none.compress(x)
    assert same is x and none is None


@need_mpiexec
def test_distributed_digits_example_matches_one_process(tmp_path):
    pytest.importorskip("sklearn")
    example = str(pathlib.Path(__file__).resolve().parent.parent / "examples" /
                  "distributed_digits.py")
    accuracy = {}
    for n, cmd in ((1, [sys.executable, example]),
                   (2, [str(MPIEXEC), "-n", "2", sys.executable, example])):
        proc = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        line = proc.stdout.strip().splitlines()[-1]
        assert line.startswith(f"{n} process(es): test accuracy ")
        accuracy[n] = float(line.rsplit(" ", 1)[1])
        assert proc.stdout.count("epoch 1:") == 1  # rank 0 alone prints
    assert accuracy[1] > 0.9 and accuracy[2] == accuracy[1]
    assert (tmp_path / "digits_mlp.npz").exists()
