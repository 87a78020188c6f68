"""A picture of a small model's tape: ops, shapes and dtypes, the watched variables shaded, the
path from them to the loss in red, and the place where a gradient path was cut (argmax) dashed.

Run with:  PYTHONPATH=src python3 examples/draw_tape.py [out.png|out.svg]
Writes tape.png (or the path given) when Graphviz is installed (pip install 'tapeflow[viz]' and
the Graphviz `dot` program); otherwise writes the DOT text to tape.dot and says how to install.
"""

import pathlib
import sys

import tapeflow as tf
from tapeflow.viz import draw_tape

tf.random.set_seed(0)
w = tf.Variable(tf.random.normal((3, 2)), name="w")
b = tf.Variable(tf.zeros(2), name="b")
x = tf.constant([[1.0, 2.0, 3.0]])

with tf.GradientTape() as tape:
    h = tf.nn.relu(x @ w + b)
    predicted = tf.argmax(h, axis=1)  # a class index: no gradient flows through it
    loss = tf.reduce_mean(h ** 2)

dw, db = tape.gradient(loss, [w, b])
print(f"loss = {float(loss):.4f}; gradient shapes: dw {dw.shape}, db {db.shape}")

out = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "tape.png")
try:
    written = draw_tape(tape, out, target=loss)  # works after the one gradient call too
    print(f"wrote {written.resolve()}")
except RuntimeError as e:
    dot = out.with_suffix(".dot")
    dot.write_text(tape.to_dot(loss))
    print(f"could not render: {e}")
    print(f"wrote the DOT text to {dot.resolve()} instead")
