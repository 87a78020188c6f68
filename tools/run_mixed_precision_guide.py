"""Run the cells of TensorFlow's mixed precision guide under TensorFlow and under tapeflow and
show where their printed output differs (numbers and timings masked). The notebook is read from
the TensorFlow docs checkout; nothing of it is copied here. ``nvidia-smi`` is skipped, and
``keras.datasets.mnist.load_data`` gives the same seeded synthetic digits under both (no
download).

    python tools/run_mixed_precision_guide.py [--tf /work/tfenv/bin/python] [--docs DIR]
"""

import argparse
import pathlib
import re
import sys

sys.path.insert(0, str(pathlib.Path(__file__).parent))
import run_keras_guide_cells as guide_cells  # noqa: E402

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
    """The guide's cells as run_keras_guide_cells prepares them, with the ``from tensorflow``
    imports renamed too and the synthetic mnist after the imports."""
    out = []
    for src in guide_cells.cells(path, module):
        if module == "tapeflow":
            src = re.sub(r"\bfrom tensorflow(\.keras)? import", r"from tapeflow\1 import", src)
        out.append(src + "\n" + SETUP if re.search(r"^from (tensorflow|tapeflow) import keras$",
                                                   src, flags=re.M) else src)
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tf", default="/work/tfenv/bin/python")
    parser.add_argument("--docs", default="/work/tfdocs/site/en/guide")
    args = parser.parse_args()
    same, total = guide_cells.compare(args.tf, pathlib.Path(args.docs) / "mixed_precision.ipynb",
                                      cells)
    print(f"{same}/{total} cells print the same (numbers masked)")

if __name__ == "__main__":
    main()
