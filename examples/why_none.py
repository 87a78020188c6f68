"""Why is my gradient None? Each common cause, built on purpose, and tape.explain's answer.

Run with:  PYTHONPATH=src python3 examples/why_none.py
"""

import numpy as np

import tapeflow as tf


def show(title, tape, target, source):
    print(f"--- {title}")
    print(f"gradient: {tape.gradient(target, source)}")
    print(f"explain:  {tape.explain(target, source)}")
    print()


v = tf.Variable(2.0, name="v")

x = tf.constant(3.0)
with tf.GradientTape() as tape:
    y = x * x
show("a tensor that was never watched", tape, y, x)

frozen = tf.Variable(2.0, trainable=False, name="frozen")
with tf.GradientTape() as tape:
    y = frozen * frozen
show("a non-trainable variable", tape, y, frozen)

with tf.GradientTape(watch_accessed_variables=False) as tape:
    y = v * v
show("watch_accessed_variables=False", tape, y, v)

w = tf.Variable(2.0, name="w")
w = w + 1  # w is now a Tensor
with tf.GradientTape() as tape:
    y = w * w
show("a variable replaced by a tensor (w = w + 1)", tape, y, w)

with tf.GradientTape() as tape:
    a = v * 2
    y = tf.constant(np.sin(a.numpy())) * 3
show("the path left through NumPy", tape, y, v)

with tf.GradientTape() as tape:
    a = v * 2
y = a * 3
show("the target computed after the tape's `with` block", tape, y, v)

with tf.GradientTape() as tape:
    a = v * 2
    with tape.stop_recording():
        y = a * 3
show("the target computed inside stop_recording()", tape, y, v)

with tf.GradientTape() as tape:
    y = tf.cast(tf.cast(v, tf.int32), tf.float32) * 2.0
show("a cast to an integer dtype", tape, y, v)

with tf.GradientTape() as tape:
    y = tf.round(v) * 2.0
show("a non-differentiable op (round)", tape, y, v)

with tf.GradientTape() as tape:
    y = tf.stop_gradient(v * 2) * 3
show("tf.stop_gradient", tape, y, v)

total = tf.Variable(0.0, name="total")
with tf.GradientTape() as tape:
    total.assign_add(v * 2)
    y = total * 3
show("a Variable.assign_add (state is not differentiable)", tape, y, v)

u = tf.Variable(1.0, name="u")
with tf.GradientTape() as tape:
    u * 2  # read, but the result is not used
    y = v * 3
show("a source not connected to the target", tape, y, u)

print("--- tf.debugging.explain_none_gradients(True): tape.gradient logs each None")
tf.debugging.explain_none_gradients(True)
with tf.GradientTape() as tape:
    y = tf.stop_gradient(v * 2) * 3 + u
print(tape.gradient(y, {"v": v, "u": u}))
tf.debugging.explain_none_gradients(False)
