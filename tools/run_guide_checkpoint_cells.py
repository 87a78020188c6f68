"""Acceptance run (not a test): TensorFlow's guide cells that save checkpoints, run unchanged
under tapeflow, and the files they write restored by real TensorFlow.

    /work/tfenv/bin/python tools/run_guide_checkpoint_cells.py [tapeflow's python]

The cells are read from the guide notebooks at run time (/work/tfdocs, or TAPEFLOW_TFDOCS);
nothing of them is stored here. ``import tensorflow as tf`` becomes ``import tapeflow as tf``,
shell (``!``) and magic (``%``) lines are dropped; each cell's last expression is printed.
"""

import ast
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCS = os.environ.get("TAPEFLOW_TFDOCS", "/work/tfdocs/site/en/guide")

# notebook -> code cells (indices into the notebook's cell list) forming the checkpoint story
CELLS = {"intro_to_modules.ipynb": [5, 11, 13, 18, 19, 22, 26, 28],
         # 10 (save_weights without .weights.h5) and 43/45 (key 'net/l1/kernel', which Keras 3
         # names 'net/l1/_kernel') fail under TF 2.21 itself
         "checkpoint.ipynb": [6, 7, 8, 17, 18, 20, 23, 24, 27, 29, 34, 36, 39, 41, 47, 49]}


def cell_sources(notebook, indices):
    with open(os.path.join(DOCS, notebook)) as f:
        cells = json.load(f)["cells"]
    for i in indices:
        lines = [ln for ln in "".join(cells[i]["source"]).splitlines()
                 if not ln.lstrip().startswith(("!", "%")) and ln.strip() != "import keras"]
        yield i, "\n".join(lines)


RUNNER = """
import ast, json, sys
cells = json.loads(sys.stdin.read())
env = {}
for i, src in cells:
    src = src.replace("import tensorflow as tf", "import tapeflow as tf")
    tree = ast.parse(src)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, f"cell {i}", "exec"), env)
    if last is not None:
        value = eval(compile(ast.Expression(last.value), f"cell {i}", "eval"), env)
        if value is not None:
            print(f"[cell {i}]", value)
"""


def main():
    python = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".venv", "bin", "python")
    work = tempfile.mkdtemp(prefix="tapeflow-guide-")
    for notebook, indices in CELLS.items():
        cells = list(cell_sources(notebook, indices))
        run = subprocess.run([python, "-c", RUNNER], input=json.dumps(cells), cwd=work,
                             capture_output=True, text=True)
        print(f"== {notebook} under tapeflow (exit {run.returncode})")
        print(run.stdout + run.stderr[-2000:])
        if run.returncode:
            sys.exit(1)

    # TensorFlow restores the file the modules guide wrote into its own lazily built model.
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import numpy as np
    import tensorflow as tf
    env = {"tf": tf}
    for _, src in cell_sources("intro_to_modules.ipynb", [18, 19]):
        tree = ast.parse(src)
        exec(compile(tree, "cell", "exec"), env)
    model = env["MySequentialModule"]()
    tf.train.Checkpoint(model=model).restore(os.path.join(work, "my_checkpoint"))
    out = model(tf.constant([[2.0, 2.0, 2.0]]))
    reader = tf.train.load_checkpoint(os.path.join(work, "my_checkpoint"))
    np.testing.assert_array_equal(
        model.dense_1.w.numpy(), reader.get_tensor("model/dense_1/w/.ATTRIBUTES/VARIABLE_VALUE"))
    print("== TensorFlow", tf.__version__, "restored tapeflow's my_checkpoint (deferred, built "
          "on first call):", out.numpy())
    # ... and the training loop's checkpoints, into the guide's own objects built with TF.
    env = {"tf": tf}
    for _, src in cell_sources("checkpoint.ipynb", [7, 8, 17, 18, 20]):
        exec(compile(src.replace("./tf_ckpts", os.path.join(work, "tf_ckpts")), "cell",
                     "exec"), env)
    latest = env["manager"].latest_checkpoint
    # built first: TF 2.21's deferred restore skips a Dense's _kernel built later (it restores
    # the bias only; tapeflow restores both)
    env["net"](tf.ones([1, 1]))
    status = env["ckpt"].restore(latest)
    status.assert_existing_objects_matched()
    reader = tf.train.load_checkpoint(latest)
    env["opt"].build(env["net"].trainable_variables)  # the slots: a deferred restore
    for var, key in [(env["net"].l1.kernel, "net/l1/_kernel"), (env["net"].l1.bias, "net/l1/bias"),
                     (env["opt"].variables[2], "optimizer/_variables/2")]:
        np.testing.assert_array_equal(var.numpy(),
                                      reader.get_tensor(key + "/.ATTRIBUTES/VARIABLE_VALUE"))
    print("== TensorFlow restored", os.path.basename(latest), "of the training loop tapeflow ran:"
          " step", int(env["ckpt"].step), "save_counter", int(env["ckpt"].save_counter),
          "checkpoints", [os.path.basename(p) for p in env["manager"].checkpoints])
    listed = [tf.Variable(0.0), tf.Variable(0.0)]
    tf.train.Checkpoint(listed=listed).read(
        os.path.join(work, "tf_list_example-1")).expect_partial()
    assert [float(v) for v in listed] == [1.0, 2.0]
    print("== TensorFlow restored the checkpoint guide's list example tapeflow saved")


if __name__ == "__main__":
    main()
