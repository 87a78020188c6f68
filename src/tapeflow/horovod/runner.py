"""``tapeflowrun``: start a tapeflow.horovod job through MPI's own launcher (as ``horovodrun``).

    tapeflowrun -np 4 python train.py
    tapeflowrun -np 4 -H host1:2,host2:2 python train.py

It runs ``mpiexec`` (the one next to this Python, i.e. the MPICH wheel's in a venv, else the
first on PATH, or ``$TAPEFLOW_MPIEXEC``) with the right options for MPICH's Hydra or Open MPI.
Each rank runs under a small guard process that reports how the rank ended when it dies (a
signal or a non-zero exit), so the job's output names the rank that failed; MPI's launcher then
stops the other ranks.
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys

from . import threads

_RANK_VARS = ("PMI_RANK", "OMPI_COMM_WORLD_RANK", "PMIX_RANK")


def find_mpiexec():
    explicit = os.environ.get("TAPEFLOW_MPIEXEC")
    if explicit:
        return explicit
    beside = os.path.join(os.path.dirname(sys.executable), "mpiexec")
    if os.access(beside, os.X_OK):
        return beside
    found = shutil.which("mpiexec") or shutil.which("mpirun")
    if found is None:
        raise SystemExit("tapeflowrun: no mpiexec found; pip install 'tapeflow[mpi]' (MPICH "
                         "wheels) or install an MPI, or set TAPEFLOW_MPIEXEC")
    return found


def flavor(mpiexec):
    """``"openmpi"`` or ``"hydra"`` (MPICH, Intel MPI and the MPICH wheels)."""
    try:
        out = subprocess.run([mpiexec, "--version"], capture_output=True, text=True,
                             timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        out = ""
    return "openmpi" if "Open MPI" in out or "OpenRTE" in out else "hydra"


def _parser():
    p = argparse.ArgumentParser(
        prog="tapeflowrun", description="Run a tapeflow.horovod program on several processes "
        "(and machines) through MPI's launcher.")
    p.add_argument("-np", "--num-proc", type=int, required=True, dest="np",
                   help="total number of processes")
    p.add_argument("-H", "--hosts", help="hosts and slots, e.g. host1:2,host2:2 (default: "
                   "this machine)")
    p.add_argument("--hostfile", help="a host file in the MPI launcher's format")
    p.add_argument("--network-interface", help="interface MPI should use (e.g. eth0, lo)")
    p.add_argument("--mpi-args", default="", help="extra arguments for mpiexec (one string)")
    p.add_argument("--no-guard", action="store_true", help="run ranks without the guard that "
                   "reports a dying rank")
    p.add_argument("--verbose", action="store_true", help="print the mpiexec command")
    p.add_argument("command", nargs=argparse.REMAINDER, help="the program, e.g. python train.py")
    return p


def build_command(args, mpiexec, kind):
    cmd = [mpiexec, "-n", str(args.np)]
    if args.hosts:
        cmd += ["-H" if kind == "openmpi" else "-hosts", args.hosts]
    if args.hostfile:
        cmd += ["--hostfile" if kind == "openmpi" else "-f", args.hostfile]
    if args.network_interface:
        cmd += (["--mca", "btl_tcp_if_include", args.network_interface] if kind == "openmpi"
                else ["-iface", args.network_interface])
    if kind == "openmpi":  # Open MPI forwards only the variables it is told to
        for var in sorted(os.environ):
            if var.startswith(("TAPEFLOW_", "HOROVOD_", "PYTHON")) or var in (
                    "PATH", "LD_LIBRARY_PATH", "VIRTUAL_ENV"):
                cmd += ["-x", var]
    cmd += args.mpi_args.split()
    if not args.no_guard:
        cmd += [sys.executable, "-m", "tapeflow.horovod.runner", "--guard"]
    return cmd + list(args.command)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["--guard"]:
        return guard(argv[1:])
    args = _parser().parse_args(argv)
    if args.command[:1] == ["--"]:
        args.command = args.command[1:]
    if not args.command:
        _parser().error("give the program to run, e.g. tapeflowrun -np 2 python train.py")
    if args.np < 1:
        _parser().error("-np must be at least 1")
    mpiexec = find_mpiexec()
    cmd = build_command(args, mpiexec, flavor(mpiexec))
    if args.verbose:
        print("tapeflowrun:", " ".join(cmd), file=sys.stderr, flush=True)
    return subprocess.call(cmd)


def guard(command):
    """Run one rank's program as a child; report its death (naming the rank) if it dies."""
    rank = next((os.environ[v] for v in _RANK_VARS if v in os.environ), "?")
    keep = [int(os.environ["PMI_FD"])] if os.environ.get("PMI_FD", "").isdigit() else []
    child = subprocess.Popen(command, pass_fds=keep, env=threads.rank_environment(os.environ))
    for sig in (signal.SIGINT, signal.SIGTERM):  # pass the launcher's signals on
        signal.signal(sig, lambda s, frame: child.send_signal(s))
    code = child.wait()
    if code != 0:
        if code < 0:
            how = f"was killed by signal {-code} ({signal.Signals(-code).name})"
        else:
            how = f"exited with code {code}"
        sys.stderr.write(f"tapeflowrun: rank {rank} (pid {child.pid} on "
                         f"{socket.gethostname()}) {how}; stopping the job\n")
        sys.stderr.flush()
    return 128 - code if code < 0 else code


if __name__ == "__main__":
    sys.exit(main())
