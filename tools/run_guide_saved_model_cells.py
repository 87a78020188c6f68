"""Acceptance run (not a test): the SavedModel cells of TensorFlow's guides, unchanged, under
tapeflow and under TensorFlow, outputs side by side.

    /work/tfenv/bin/python tools/run_guide_saved_model_cells.py [tapeflow's python]

Cells are read from the notebooks at run time (nothing of them is stored here). The core
quickstart downloads its data set: a synthetic table of the same shape stands in for that cell
(``SYNTHETIC``, ``SYNTHETIC_WDBC`` for the logistic regression), and a last cell compares
the loaded module's predictions with the original's.
"""

import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run_guide_checkpoint_cells import RUNNER, cell_sources  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SYNTHETIC = """
import numpy as np
_rng = np.random.default_rng(0)
_table = _rng.normal(size=(392, 8)).astype(np.float32) * 10 + 50
_table[:, 7] = _rng.integers(1, 4, size=392)
dataset_tf = tf.convert_to_tensor(_table, dtype=tf.float32)
"""
CHECK = """
import numpy as np
print("loaded == original:", np.array_equal(np.asarray(lin_reg_export(x_test)),
                                            np.asarray(test_preds)))
print("signatures:", list(lin_reg_loaded.signatures))
"""
SYNTHETIC_WDBC = """
import numpy as np, os, tempfile
_rng = np.random.default_rng(0)
_x = (_rng.normal(size=(569, 30)) * 5 + 20).astype(np.float32)
_y = (_x[:, 0] + _rng.normal(size=569) > 20).astype(np.float32)
x_train, y_train = tf.convert_to_tensor(_x[:426]), tf.convert_to_tensor(_y[:426])
x_test, y_test = tf.convert_to_tensor(_x[426:]), tf.convert_to_tensor(_y[426:])
"""
CHECK_WDBC = """
import numpy as np
print("loaded == original:", np.array_equal(np.asarray(log_reg_export(x_test)),
                                            np.asarray(test_preds)))
print("signatures:", list(log_reg_loaded.signatures))
"""
CHECK_INTRO = """
for x in ([[2.0, 2.0, 2.0]], [[[2.0, 2.0, 2.0], [2.0, 2.0, 2.0]]]):
    print("loaded == original:", (new_model(x).numpy() == my_model(x).numpy()).all())
try:
    new_model([[1.0, 2.0, 2.0]])
except ValueError as e:
    print(e)
"""
CELLS = {"basics.ipynb": [17, 18, 19, 20, 21, 22, 23, 24],
         "intro_to_modules.ipynb": [2, 4, 5, 14, 15, 18, 21, 22],
         "core/quickstart_core.ipynb": [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16],
         "core/logistic_regression_core.ipynb": [15, 17, 18, 19, 20, 21, 22, 23, 26, 27, 31,
                                                 32, 33, 34]}


def code_cells(notebook, indices):
    """Code cells by their index among the notebook's code cells."""
    with open(os.path.join(os.environ.get("TAPEFLOW_TFDOCS", "/work/tfdocs/site/en/guide"),
                           notebook)) as f:
        cells = json.load(f)["cells"]
    code = [n for n, c in enumerate(cells) if c["cell_type"] == "code"]
    return list(cell_sources(notebook, [code[i] for i in indices]))


def main():
    tapeflow_python = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".venv", "bin",
                                                                         "python")
    for notebook, indices in CELLS.items():
        cells = code_cells(notebook, indices)
        cells.insert(0, (-1, "import tensorflow as tf\n"))
        if "quickstart" in notebook:
            cells.insert(1, (-1, SYNTHETIC))
            cells.append((99, CHECK))
        if "intro" in notebook:
            cells.append((99, CHECK_INTRO))
        if "logistic" in notebook:
            cells.insert(1, (-1, SYNTHETIC_WDBC))
            cells.append((99, CHECK_WDBC))
        for label, python, runner in (("tapeflow", tapeflow_python, RUNNER),
                                      ("TF 2.21", sys.executable,
                                       RUNNER.replace('"import tapeflow as tf"',
                                                      '"import tensorflow as tf"'))):
            work = tempfile.mkdtemp(prefix="tapeflow-savedmodel-guide-")
            run = subprocess.run([python, "-c", runner], input=json.dumps(cells), cwd=work,
                                 capture_output=True, text=True,
                                 env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
            print(f"== {notebook} under {label} (exit {run.returncode})")
            print(run.stdout.rstrip())
            if run.returncode:
                print(run.stderr[-2000:])


if __name__ == "__main__":
    main()
