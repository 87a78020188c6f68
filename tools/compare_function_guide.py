"""Run a TF guide notebook cell by cell under TensorFlow and under tapeflow; count the cells
that print the same (the guide's code is read from the docs checkout, never stored here).

    python tools/compare_function_guide.py [notebook, default function.ipynb] [--random 59,70]

Runs the notebook twice, in fresh processes: with /work/tfenv/bin/python (TensorFlow), and with
this interpreter reading ``import tensorflow as tf`` as tapeflow. A cell's output is what it
prints plus the repr of its last expression. Compared after masking addresses, graph ids and
function-name numbers, keeping only the last line of tracebacks and ignoring TF's log lines and
the order of lines (tf.print writes to stderr, which TF emits outside Python's streams). Cells
named with --random are compared with their numbers masked (their values are random draws).
"""

import argparse
import ast
import contextlib
import difflib
import io
import json
import linecache
import os
import re
import subprocess
import sys
import tempfile

GUIDES = os.path.join(os.environ.get("TF_DOCS", "/work/tfdocs"), "site", "en", "guide")
TF_PYTHON = os.environ.get("TF_PYTHON", "/work/tfenv/bin/python")
NOISE = re.compile(r"^(WARNING: All log|I0000|W0000|E0000|To enable the following|WARNING:absl)")


def run_cells(path, as_tapeflow):
    """Print ``#### CELL i`` and each code cell's output (run in one namespace)."""
    if as_tapeflow:
        import tapeflow
        sys.modules["tensorflow"] = tapeflow
    ns = {}
    for i, cell in enumerate(json.load(open(path))["cells"]):
        if cell["cell_type"] != "code":
            continue
        src = "\n".join(line for line in "".join(cell["source"]).split("\n")
                        if not line.strip().startswith(("!", "%")))
        print(f"#### CELL {i}", flush=True)
        buf = io.StringIO()
        name = f"<cell{i}>"
        linecache.cache[name] = (len(src), None, src.splitlines(True), name)
        try:
            with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
                tree = ast.parse(src)
                last = None
                if tree.body and isinstance(tree.body[-1], ast.Expr):
                    last = ast.Expression(tree.body.pop().value)
                exec(compile(tree, name, "exec"), ns)  # noqa: S102 - the guide's cells
                if last is not None:
                    value = eval(compile(last, name, "eval"), ns)  # noqa: S307
                    if value is not None:
                        print(repr(value))
        except BaseException as e:  # noqa: BLE001 - a cell's error is its output
            buf.write(f"EXC: {type(e).__name__}: {str(e)[:500]}\n")
        sys.stdout.write(buf.getvalue())
        sys.stdout.flush()


def cells(text):
    out, cur = {}, None
    for line in text.splitlines():
        m = re.match(r"#### CELL (\d+)", line)
        if m:
            cur = int(m.group(1))
            out[cur] = []
        elif cur is not None:
            out[cur].append(line)
    return out


def normalize(lines, random):
    res, in_frame = [], False
    for line in lines:
        if NOISE.match(line) or line.startswith(("Traceback (most recent", "During handling",
                                                 "The above exception")):
            continue
        if re.match(r'^\s+File "', line):
            in_frame = True
            continue
        if in_frame and line.startswith("    ") and not line.strip().startswith(
                ("ValueError", "TypeError")):
            continue
        in_frame = False
        if re.match(r"^\s*[\^~]+\s*$", line) or not line.strip():
            continue
        line = re.sub(r"0x[0-9a-fA-F]+", "0xADDR", line)
        line = re.sub(r"id=\d+", "id=N", line)
        line = re.sub(r"(__inference_\w+?)_\d+", r"\1_N", line)
        line = re.sub(r"\b(tensorflow\.python\.[\w.]+|tapeflow\.[\w.]+)\.(\w+Error)", r"\2", line)
        line = re.sub(r"<class '[\w.]*?(\w+Error|Exception)'>", r"<class '\1'>", line)
        line = re.sub(r"maximum recursion depth exceeded.*", "maximum recursion depth exceeded",
                      line)
        if random:
            line = re.sub(r"\s+", "", re.sub(r"-?\d+\.\d+(e[-+]?\d+)?", "F", line))
        res.append(line.rstrip())
    return sorted(res)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("notebook", nargs="?", default="function.ipynb")
    parser.add_argument("--random", default="", help="cells whose values are random draws")
    parser.add_argument("--run", choices=["tf", "tapeflow"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    path = os.path.join(GUIDES, args.notebook)
    if args.run:
        run_cells(path, args.run == "tapeflow")
        return
    me = [os.path.abspath(__file__), args.notebook, "--run"]
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    # TF's tf.print writes to the process's stderr outside Python's streams: keep it in line
    # in a scratch folder: the guides write models, checkpoints and logs where they run
    scratch = tempfile.mkdtemp(prefix="guide-")
    run = dict(stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=scratch)
    tf_out = subprocess.run([TF_PYTHON, *me, "tf"], env=env, **run)
    tp_out = subprocess.run([sys.executable, *me, "tapeflow"], **run)
    a, b = cells(tf_out.stdout), cells(tp_out.stdout)
    random = {int(x) for x in args.random.split(",") if x}
    same = 0
    for k in a:
        na, nb = normalize(a[k], k in random), normalize(b.get(k, ["MISSING"]), k in random)
        if na == nb:
            same += 1
            continue
        print(f"--- cell {k} differs")
        for d in difflib.unified_diff(na, nb, "tensorflow", "tapeflow", lineterm="", n=0):
            print("   ", d[:200])
    print(f"{same}/{len(a)} cells print the same")


if __name__ == "__main__":
    main()
