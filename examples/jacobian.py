"""Jacobians with tapeflow: full, batched, w.r.t. a layer's kernel, with and without pfor.

    PYTHONPATH=src python3 examples/jacobian.py
"""

import numpy as np

import tapeflow as tf

rng = np.random.default_rng(0)
x = tf.constant(rng.normal(size=(4, 3)).astype(np.float32))
layer = tf.keras.layers.Dense(2, activation=tf.nn.elu)

with tf.GradientTape(persistent=True) as tape:
    tape.watch(x)
    y = layer(x)

j = tape.jacobian(y, x)                                    # (4, 2, 4, 3)
j_loop = tape.jacobian(y, x, experimental_use_pfor=False)  # one backward pass per row
jb = tape.batch_jacobian(y, x)                             # (4, 2, 3)
jk = tape.jacobian(y, layer.kernel)                        # (4, 2, 3, 2)
g = tape.gradient(y, layer.kernel)

assert np.allclose(j.numpy(), j_loop.numpy(), atol=1e-7)
assert np.allclose(jb.numpy(), tf.einsum('bxby->bxy', j).numpy(), atol=1e-7)
assert np.allclose(tf.reduce_sum(jk, axis=[0, 1]).numpy(), g.numpy(), atol=1e-6)

print("y:", y.shape, " x:", x.shape, " kernel:", layer.kernel.shape)
print("jacobian(y, x):", j.shape, " (pfor and per-row loop agree)")
print("batch_jacobian(y, x):", jb.shape, " (the diagonal blocks of the full jacobian)")
print("jacobian(y, kernel):", jk.shape, " (summed over y's axes it is the gradient)")
print("d y[0] / d x[0]:")
print(jb[0].numpy())
