"""``make bench``: every workload for tapeflow, the NumPy floor and the installed peers, one table.

Peers (TensorFlow, PyTorch, JAX, HIPS autograd) are looked for in this interpreter and in the
interpreters listed in TAPEFLOW_BENCH_PYTHONS (colon-separated), so they can live in their own
virtual environments. Each measurement runs in its own process with one compute thread for every
framework (BLAS, OpenMP, TensorFlow and XLA pools), so the comparison is like for like and a busy
second core does not distort it. TAPEFLOW_BENCH_OPENBLAS_CORE chooses NumPy's OpenBLAS kernel
family (see blas_core.py; "auto": the detected one). Results are printed and written to
benchmarks/results/latest.json.
"""

import json
import os
import pathlib
import platform
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
FRAMEWORKS = {  # column -> module to import
    "numpy": "numpy", "tapeflow": "tapeflow", "torch": "torch", "tensorflow": "tensorflow",
    "jax": "jax", "autograd": "autograd"}
sys.path.insert(0, str(HERE))
from impls import WORKLOADS  # noqa: E402
from blas_core import active_core, with_blas  # noqa: E402

CORE = os.environ.get("TAPEFLOW_BENCH_OPENBLAS_CORE", "")

ONE_THREAD = {
    "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
    "TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1", "TF_CPP_MIN_LOG_LEVEL": "3",
    "XLA_FLAGS": "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1",
    "JAX_PLATFORMS": "cpu"}


def interpreters():
    extra = [p for p in os.environ.get("TAPEFLOW_BENCH_PYTHONS", "").split(":") if p]
    return [sys.executable] + extra


def find_python(module):
    for py in interpreters():
        if subprocess.run([py, "-c", f"import {module}"], capture_output=True).returncode == 0:
            return py
    return None


def run_one(py, framework, workload):
    env = with_blas(dict(os.environ, **ONE_THREAD), CORE)
    out = subprocess.run([py, str(HERE / "impls.py"), framework, workload], capture_output=True,
                         text=True, env=env, timeout=600)
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr else "failed"}
    return json.loads(out.stdout.strip().splitlines()[-1])


def import_seconds(py, module, rounds=5):
    """Best wall time of ``python -c "import module"`` minus that of ``python -c pass``, with
    bytecode caching on (as after an install) and written by a first, untimed run."""
    env = dict(os.environ, **ONE_THREAD)
    env.pop("PYTHONDONTWRITEBYTECODE", None)

    def best(code):
        subprocess.run([py, "-c", code], capture_output=True, env=env)
        times = []
        for _ in range(rounds):
            t0 = time.perf_counter()
            subprocess.run([py, "-c", code], capture_output=True, env=env)
            times.append(time.perf_counter() - t0)
        return min(times)
    return max(best(f"import {module}") - best("pass"), 0.0)


def fmt(value, kind):
    if value is None:
        return "—"
    if kind == "bytes":
        return f"{value / 2**20:.1f} MiB"
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if abs(value) >= scale:
            return f"{value / scale:.3g} {unit}"
    return f"{value:.3g} s"


def ratio(a, b):
    return f"{a / b:.2f}×" if a and b else "—"


def main():
    pythons = {fw: find_python(mod) for fw, mod in FRAMEWORKS.items()}
    missing = [fw for fw, py in pythons.items() if py is None]
    results = {}
    for workload in WORKLOADS:
        row = {}
        for fw, py in pythons.items():
            r = run_one(py, fw, workload) if py else {}
            row[fw] = r.get("value")
            if "paired_numpy" in r:
                row["numpy (timed beside tapeflow)"] = r["paired_numpy"]
            if "checkpointed" in r:
                row["tapeflow with recompute_grad"] = r["checkpointed"]
            if "error" in r:
                print(f"  {workload}/{fw}: {r['error']}", file=sys.stderr)
        results[workload] = row
    results["import"] = {fw: import_seconds(py, FRAMEWORKS[fw]) if py else None
                         for fw, py in pythons.items()}

    header = ["workload"] + list(FRAMEWORKS) + ["tapeflow / numpy", "tapeflow / torch",
                                                 "tensorflow / tapeflow"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for workload, row in results.items():
        kind = WORKLOADS.get(workload, {"kind": "time"})["kind"]
        unit = WORKLOADS[workload]["unit"] if workload in WORKLOADS else "python -c 'import …'"
        tf_ = row.get("tapeflow")
        cells = [f"{workload} ({unit})"] + [fmt(row.get(fw), kind) for fw in FRAMEWORKS]
        floor = row.get("numpy (timed beside tapeflow)", row.get("numpy"))
        cells += [ratio(tf_, floor), ratio(tf_, row.get("torch")),
                  ratio(row.get("tensorflow"), tf_)]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("\ntapeflow / numpy uses the NumPy floor timed in alternating rounds in "
                 "tapeflow's "
                 "own process (the numpy column is its separate run).")
    checkpointed = results["memory"].get("tapeflow with recompute_grad")
    if checkpointed:
        lines.append(f"memory with tf.recompute_grad over blocks of 10 layers: "
                     f"{fmt(checkpointed, 'bytes')} (without: "
                     f"{fmt(results['memory'].get('tapeflow'), 'bytes')})")
    overhead = results["overhead"]
    floor = overhead.get("numpy (timed beside tapeflow)", overhead.get("numpy"))
    if overhead.get("tapeflow") and floor:
        extra = overhead["tapeflow"] - floor
        lines.append(f"no-tape overhead over the bare NumPy call: {extra * 1e6:.2f} µs per op")
    if missing:
        lines.append(f"not installed: {', '.join(missing)} (their columns show —)")
    print("\n".join(lines))
    (HERE / "results").mkdir(exist_ok=True)
    payload = {"machine": platform.platform(), "python": platform.python_version(),
               "threads": 1, "openblas_core": active_core(core=CORE), "results": results}
    (HERE / "results" / "latest.json").write_text(json.dumps(payload, indent=2) + "\n")


if __name__ == "__main__":
    main()
