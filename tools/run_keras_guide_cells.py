"""Run the guides' cells (basics, basic_training_loops, intro_to_modules) under TensorFlow and
under tapeflow, and show where their printed output differs (numbers masked: the guides draw
random weights). The notebooks are read from the TensorFlow docs checkout; nothing of them is
copied here.

    python tools/run_keras_guide_cells.py [--tf /work/tfenv/bin/python] [--docs DIR]
"""

import argparse
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile

GUIDES = ("basics.ipynb", "basic_training_loops.ipynb", "intro_to_modules.ipynb")
RUNNER = r'''
import ast, contextlib, io, json, sys, traceback
import matplotlib
matplotlib.use("Agg")
cells = json.load(open(sys.argv[1]))
ns = {}
out = []
for src in cells:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(io.StringIO()):
        try:
            tree = ast.parse(src)
            last = tree.body[-1] if tree.body and isinstance(tree.body[-1], ast.Expr) else None
            if last is not None:
                tree.body.pop()
            exec(compile(tree, "<cell>", "exec"), ns)
            if last is not None:
                value = eval(compile(ast.Expression(last.value), "<cell>", "eval"), ns)
                if value is not None:
                    print(repr(value))
        except Exception as e:
            print(f"!! {type(e).__name__}: {e}")
    out.append(buf.getvalue())
print(json.dumps(out))
'''


def cells(path, module):
    out = []
    for cell in json.loads(path.read_text())["cells"]:
        if cell["cell_type"] != "code":
            continue
        src = "".join(cell["source"])
        src = "\n".join(line for line in src.splitlines() if not line.lstrip().startswith(("%",
                                                                                        "!")))
        if module == "tapeflow":
            src = src.replace("import tensorflow as tf", "import tapeflow as tf")
            src = re.sub(r"^import keras$", "from tapeflow import keras", src, flags=re.M)
        out.append(src)
    return out


def run(python, path, module, workdir, prepare=None):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump((prepare or cells)(path, module), f)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONPATH=os.pathsep.join(sys.path))
    proc = subprocess.run([python, "-c", RUNNER, f.name], capture_output=True, text=True,
                          cwd=workdir, env=env, timeout=900)
    os.unlink(f.name)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def masked(text):
    text = re.sub(r"\x1b\[[0-9;]*m|\x08+", "", text)
    text = re.sub(r"0x[0-9a-f]+", "0x?", text)
    text = re.sub(r"\d+(ms|us|s)(/step)?", "T", text)
    text = re.sub(r"-?\d+\.\d*(e[-+]?\d+)?", "#", text)
    text = re.sub(r" *([\[\],]) *", r"\1", text)  # alignment padding around numbers
    return re.sub(r" +", " ", text)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tf", default="/work/tfenv/bin/python")
    parser.add_argument("--docs", default="/work/tfdocs/site/en/guide")
    args = parser.parse_args()
    total = same = 0
    for name in GUIDES:
        alike, cells_run = compare(args.tf, pathlib.Path(args.docs) / name)
        same, total = same + alike, total + cells_run
    print(f"{same}/{total} cells print the same (numbers masked)")


def compare(tf_python, path, prepare=None):
    """Run the notebook at ``path`` under both; print the cells whose output differs. Returns
    how many cells printed the same, and how many ran."""
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        theirs = run(tf_python, path, "tensorflow", a, prepare)
        mine = run(sys.executable, path, "tapeflow", b, prepare)
    same = 0
    for i, (t, m) in enumerate(zip(theirs, mine)):
        if masked(t) == masked(m):
            same += 1
            continue
        print(f"--- {path.name} code cell {i}\n  TF:       {t[:400]!r}\n  tapeflow: {m[:400]!r}")
    return same, len(theirs)


if __name__ == "__main__":
    main()
