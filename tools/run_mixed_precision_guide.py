"""Run the cells of TensorFlow's mixed precision guide under TensorFlow and under tapeflow and
show where their printed output differs (numbers and timings masked). The notebook is read from
the TensorFlow docs checkout; nothing of it is copied here. ``nvidia-smi`` is skipped, and
``keras.datasets.mnist.load_data`` gives the same seeded synthetic digits under both (no
download).

    python tools/run_mixed_precision_guide.py [--tf /work/tfenv/bin/python] [--docs DIR]
"""

import argparse
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from run_keras_guide_cells import RUNNER, masked  # noqa: E402

SETUP = """
import numpy as _np
def _synthetic_mnist(path=None):
    rng = _np.random.default_rng(0)
    x = rng.integers(0, 256, (70000, 28, 28), dtype=_np.uint8)
    y = rng.integers(0, 10, 70000).astype(_np.uint8)
    return (x[:60000], y[:60000]), (x[60000:], y[60000:])
keras.datasets.mnist.load_data = _synthetic_mnist
"""


def cells(path, module):
    out = []
    for cell in json.loads(path.read_text())["cells"]:
        if cell["cell_type"] != "code":
            continue
        src = "".join(cell["source"])
        src = "\n".join(line for line in src.splitlines() if not line.lstrip().startswith("!"))
        if module == "tapeflow":
            src = src.replace("import tensorflow as tf", "import tapeflow as tf")
            src = re.sub(r"\bfrom tensorflow(\.keras)? import", r"from tapeflow\1 import", src)
        if "from tensorflow" in src or "from tapeflow" in src:
            src += "\n" + SETUP
        out.append(src)
    return out


def run(python, path, module, workdir):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(cells(path, module), f)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONPATH=os.pathsep.join(sys.path))
    proc = subprocess.run([python, "-c", RUNNER, f.name], capture_output=True, text=True,
                          cwd=workdir, env=env, timeout=900)
    os.unlink(f.name)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tf", default="/work/tfenv/bin/python")
    parser.add_argument("--docs", default="/work/tfdocs/site/en/guide")
    args = parser.parse_args()
    path = pathlib.Path(args.docs) / "mixed_precision.ipynb"
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        theirs = run(args.tf, path, "tensorflow", a)
        mine = run(sys.executable, path, "tapeflow", b)
    same = 0
    for i, (t, m) in enumerate(zip(theirs, mine)):
        if masked(t) == masked(m):
            same += 1
            continue
        print(f"--- code cell {i}\n  TF:       {t[:600]!r}\n  tapeflow: {m[:600]!r}")
    print(f"{same}/{len(theirs)} cells print the same (numbers masked)")


if __name__ == "__main__":
    main()
