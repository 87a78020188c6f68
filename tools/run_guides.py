"""Run TF Core guide notebooks cell by cell under TensorFlow and under tapeflow; compare.

    /work/tfenv/bin/python tools/run_guides.py [--out report.json]

Each notebook runs twice in fresh processes of the same Python (one that has TensorFlow,
pandas, seaborn and scikit-learn): once as written, once with ``import tensorflow as tf`` read
as ``import tapeflow as tf`` (tapeflow from src/; ``tensorflow.*`` and ``keras`` name tapeflow's
modules). A cell prints what it prints plus, as
Jupyter shows it, the repr of its last expression. The URL data are replaced by local
stand-ins of the same format, generated here from a fixed seed: nothing is downloaded (the
UCI csv files, the photo ``core/matrix_core`` fetches with ``requests``, and the MNIST splits
``tensorflow_datasets.load`` gives ``core/mlp_core``: a smaller synthetic set of the same
dtypes and shapes, 11000 training and 1000 test images). Shell lines (``!pip ...``) are dropped.
Figures go to the Agg backend. TF runs twice: the report lists, per notebook, the
cells whose output is the same under both, those TF itself prints differently run to run
(unseeded draws), and the ones that differ, with both outputs.
"""

import argparse
import ast
import contextlib
import io
import json
import os
import pathlib
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
GUIDES = pathlib.Path(os.environ.get("TF_DOCS", "/work/tfdocs")) / "site" / "en" / "guide"
NOTEBOOKS = ["core/optimizers_core.ipynb", "core/logistic_regression_core.ipynb",
             "core/quickstart_core.ipynb", "basic_training_loops.ipynb"]
MORE = ["random_numbers.ipynb", "core/matrix_core.ipynb", "core/mlp_core.ipynb",
        "data_performance.ipynb", "graph_optimization.ipynb", "extension_type.ipynb"]
KERAS_CELLS = {"basic_training_loops.ipynb": {12, 13, 14}}  # the guide's Keras part


def stand_in_data(folder):
    """Local files in the formats of the two UCI data sets the guides read."""
    import numpy as np
    rng = np.random.default_rng(22)
    folder = pathlib.Path(folder)
    rows = []
    for i in range(569):
        malignant = rng.random() < 0.37
        base = rng.normal(1.0 if malignant else 0.0, 1.0, 10)
        values = np.concatenate([base, np.abs(base) * 0.1, base * 1.3]) + rng.normal(0, .3, 30)
        values = np.abs(values * 5 + 10)
        rows.append(",".join([str(842302 + i), "M" if malignant else "B"]
                             + [f"{v:.4g}" for v in values]))
    (folder / "wdbc.data").write_text("\n".join(rows) + "\n")
    lines = []
    for i in range(398):
        cyl = int(rng.choice([4, 6, 8]))
        disp = cyl * 40 + rng.normal(0, 15)
        hp = disp * 0.5 + rng.normal(0, 10)
        weight = 1500 + disp * 6 + rng.normal(0, 200)
        accel = 20 - hp / 25 + rng.normal(0, 1)
        year, origin = int(rng.integers(70, 83)), int(rng.choice([1, 2, 3]))
        mpg = 55 - weight / 120 + (year - 70) * 0.7 + rng.normal(0, 2)
        hp_text = "?" if i % 67 == 5 else f"{hp:.1f}"
        lines.append(f"{mpg:.1f}   {cyl}   {disp:.1f}      {hp_text}      {weight:.0f}.      "
                     f"{accel:.1f}   {year}  {origin}\t\"car {i}\"")
    (folder / "auto-mpg.data").write_text("\n".join(lines) + "\n")
    y, x = np.mgrid[0:256, 0:384] / 64.0
    photo = np.stack([np.sin(x + c) * np.cos(y * (c + 1)) for c in range(3)], -1)
    photo = (photo + rng.normal(0, .1, photo.shape) + 1.5) * 80
    import PIL.Image
    PIL.Image.fromarray(np.clip(photo, 0, 255).astype(np.uint8)).save(folder / "photo.png")
    proto = rng.integers(0, 256, (10, 28, 28, 1))  # one pattern a digit, noise on top
    for split, n in (("train", 11000), ("test", 1000)):
        labels = rng.integers(0, 10, n)
        images = np.clip(proto[labels] * .6 + rng.integers(0, 100, (n, 28, 28, 1)), 0, 255)
        np.savez(folder / f"mnist_{split}.npz", x=images.astype(np.uint8), y=labels)


def fake_tfds(data):
    """A ``tensorflow_datasets`` module whose ``load`` reads the local MNIST stand-in."""
    import re
    import types
    import numpy as np

    def load(name, split, batch_size=None, as_supervised=False, **kwargs):
        tf = sys.modules["tensorflow"]
        out = []
        for s in split:
            part, lo, hi = re.fullmatch(r"(\w+)(?:\[(\d*):?(\d*)\])?", s).groups()
            arrays = np.load(os.path.join(data, f"{name}_{part}.npz"))
            x, y = arrays["x"], arrays["y"]
            if lo is not None and ":" not in s:
                x, y = x[int(lo):int(lo) + 1], y[int(lo):int(lo) + 1]
            else:
                cut = slice(int(lo) if lo else None, int(hi) if hi else None)
                x, y = x[cut], y[cut]
            if batch_size == -1:
                out.append((tf.constant(x), tf.constant(y)))
                continue
            ds = tf.data.Dataset.from_tensor_slices((x, y))
            out.append(ds.batch(batch_size) if batch_size else ds)
        return out
    return types.SimpleNamespace(load=load)


def cells(notebook):
    nb = json.loads((GUIDES / notebook).read_text())
    out = []
    for i, cell in enumerate(c for c in nb["cells"] if c["cell_type"] == "code"):
        source = "".join(line for line in cell["source"] if not line.startswith(("!", "%")))
        if (not source.strip() or source.lstrip().startswith("#@title")
                or i in KERAS_CELLS.get(notebook, ())):
            continue
        out.append((i, source))
    return out


def run_cell(source, namespace):
    """Execute like Jupyter: print the repr of a final expression (unless it ends with ';')."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            tree = ast.parse(source)
            last = tree.body[-1] if tree.body else None
            show = isinstance(last, ast.Expr) and not source.rstrip().endswith(";")
            body = tree.body[:-1] if show else tree.body
            exec(compile(ast.Module(body, []), "<cell>", "exec"), namespace)
            if show:
                value = eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace)
                if value is not None:
                    print(repr(value))
        except Exception as e:  # the error is the cell's output
            print(f"!! {type(e).__name__}: {e}")
    return out.getvalue()


def child(notebook, use_tapeflow, data):
    """Run one notebook in this process; print its cells' outputs as JSON."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd
    plt.show = lambda *a, **k: plt.close("all")
    read_csv = pd.read_csv

    def local_csv(url, *args, **kwargs):
        return read_csv(os.path.join(data, str(url).rsplit("/", 1)[-1]), *args, **kwargs)

    pd.read_csv = local_csv
    import requests
    import types
    requests.get = lambda url, **kw: types.SimpleNamespace(
        raw=open(os.path.join(data, "photo.png"), "rb"))
    sys.modules["tensorflow_datasets"] = fake_tfds(data)
    if use_tapeflow:
        sys.path.insert(0, str(ROOT / "src"))
        import tapeflow
        import tapeflow.keras  # noqa: F401 - loaded, to be named as keras below
        # ``from tensorflow.keras import layers`` and ``import keras`` must reach tapeflow's
        # modules, not load second copies of them (or the real Keras) under other names.
        for name, module in list(sys.modules.items()):
            if name == "tapeflow" or name.startswith("tapeflow."):
                sys.modules["tensorflow" + name[len("tapeflow"):]] = module
            if name == "tapeflow.keras" or name.startswith("tapeflow.keras."):
                sys.modules[name[len("tapeflow."):]] = module
    os.chdir(tempfile.mkdtemp())
    namespace = {"__name__": "__main__"}
    results = [{"cell": i, "out": run_cell(src, namespace)} for i, src in cells(notebook)]
    print(json.dumps(results))


def compare(notebook, data):
    runs = []
    for flag in ("tf", "tapeflow", "tf"):
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", MPLBACKEND="Agg")
        done = subprocess.run([sys.executable, __file__, "--child", notebook, flag, data],
                              capture_output=True, text=True, env=env, timeout=1800)
        if done.returncode:
            raise RuntimeError(done.stderr)
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    report = {"notebook": notebook, "cells": len(runs[0]), "same": [], "random": [],
              "differ": [], "random_outputs": {}}
    for a, b, again in zip(*runs):
        if a["out"] == b["out"]:
            report["same"].append(a["cell"])
        elif a["out"] != again["out"]:  # TF itself prints other numbers on each run
            report["random"].append(a["cell"])
            report["random_outputs"][a["cell"]] = {"tf": a["out"], "tapeflow": b["out"]}
        else:
            report["differ"].append({"cell": a["cell"], "tf": a["out"], "tapeflow": b["out"]})
    return report


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3] == "tapeflow", sys.argv[4])
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=None)
    parser.add_argument("notebooks", nargs="*", default=NOTEBOOKS,
                        help=f"default: {' '.join(NOTEBOOKS)}; also {' '.join(MORE)}")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data:
        stand_in_data(data)
        report = [compare(nb, data) for nb in args.notebooks]
    for r in report:
        print(f"{r['notebook']}: {len(r['same'])}/{r['cells']} cells print the same; "
              f"random in TF too: {r['random']}; differ: {[d['cell'] for d in r['differ']]}")
    if args.out:
        pathlib.Path(args.out).write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
