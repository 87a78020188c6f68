"""``make bench``: every workload for tapeflow, the NumPy floor and the installed peers, one table.

Peers (TensorFlow, PyTorch, JAX, HIPS autograd) are looked for in this interpreter and in the
interpreters listed in TAPEFLOW_BENCH_PYTHONS (colon-separated), so they can live in their own
virtual environments. Results are printed and written to benchmarks/results/latest.json.
"""

import json
import os
import pathlib
import platform
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
FRAMEWORKS = {  # column -> module to import
    "numpy": "numpy", "tapeflow": "tapeflow", "torch": "torch", "tensorflow": "tensorflow",
    "jax": "jax", "autograd": "autograd"}
sys.path.insert(0, str(HERE))
from impls import WORKLOADS  # noqa: E402


def interpreters():
    extra = [p for p in os.environ.get("TAPEFLOW_BENCH_PYTHONS", "").split(":") if p]
    return [sys.executable] + extra


def find_python(module):
    for py in interpreters():
        ok = subprocess.run([py, "-c", f"import {module}"], capture_output=True).returncode == 0
        if ok:
            return py
    return None


def run_one(py, framework, workload):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", JAX_PLATFORMS="cpu")
    out = subprocess.run([py, str(HERE / "impls.py"), framework, workload], capture_output=True,
                         text=True, env=env, timeout=600)
    if out.returncode != 0:
        return {"error": out.stderr.strip().splitlines()[-1] if out.stderr else "failed"}
    return json.loads(out.stdout.strip().splitlines()[-1])


def fmt(seconds):
    if seconds is None:
        return "n/a"
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds:.3g} s"


def main():
    pythons = {fw: find_python(mod) for fw, mod in FRAMEWORKS.items()}
    results = {}
    for workload in WORKLOADS:
        row = {}
        for fw, py in pythons.items():
            if py is None:
                row[fw] = None
                continue
            r = run_one(py, fw, workload)
            row[fw] = r.get("seconds")
            if "error" in r:
                print(f"  {workload}/{fw}: {r['error']}", file=sys.stderr)
        results[workload] = row
    header = ["workload"] + list(FRAMEWORKS) + ["tapeflow / numpy", "tapeflow / torch",
                                                 "tensorflow / tapeflow"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for workload, row in results.items():
        tf_ = row.get("tapeflow")

        def ratio(a, b):
            return f"{a / b:.2f}×" if a and b else "n/a"
        cells = [f"{workload} ({WORKLOADS[workload]['unit']})"]
        cells += [fmt(row[fw]) if row[fw] is not None else "not installed" for fw in FRAMEWORKS]
        cells += [ratio(tf_, row.get("numpy")), ratio(tf_, row.get("torch")),
                  ratio(row.get("tensorflow"), tf_)]
        print("| " + " | ".join(cells) + " |")
    (HERE / "results").mkdir(exist_ok=True)
    payload = {"machine": platform.platform(), "python": platform.python_version(),
               "results": results}
    (HERE / "results" / "latest.json").write_text(json.dumps(payload, indent=2) + "\n")


if __name__ == "__main__":
    main()
