"""One Hessian three ways: nested tapes, jacobian of a gradient, forward-over-backward.

    PYTHONPATH=src python3 examples/hessian.py     # prints a summary, writes hessian.png
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import tapeflow as tf  # noqa: E402


def f(x):
    """A small non-quadratic scalar function of a vector."""
    return tf.reduce_sum(tf.sin(x) * x ** 2) + tf.reduce_prod(tf.tanh(x))


x = tf.constant(np.linspace(-0.9, 1.6, 6))  # no exact zero: reduce_prod's 2nd derivative
# there is not symmetric, in TF and (matching it) here
n = x.shape[0]

# 1. Nested tapes: differentiate each component of the gradient separately.
rows = []
for i in range(n):
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = f(x)
        g = inner.gradient(y, x)
        gi = g[i]
    rows.append(outer.gradient(gi, x))
h_nested = tf.stack(rows)

# 2. The jacobian of the gradient.
with tf.GradientTape() as outer:
    outer.watch(x)
    with tf.GradientTape() as inner:
        inner.watch(x)
        y = f(x)
    g = inner.gradient(y, x)
h_jacobian = outer.jacobian(g, x)

# 3. Forward-over-backward: one Hessian-vector product per basis vector.
cols = []
for i in range(n):
    with tf.autodiff.ForwardAccumulator(x, tf.one_hot(i, n, dtype=tf.float64)) as acc:
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = f(x)
        g = tape.gradient(y, x)
    cols.append(acc.jvp(g))
h_forward = tf.stack(cols, axis=1)

np.testing.assert_allclose(h_jacobian.numpy(), h_nested.numpy(), rtol=1e-10, atol=1e-12)
np.testing.assert_allclose(h_forward.numpy(), h_nested.numpy(), rtol=1e-10, atol=1e-12)
assert np.allclose(h_nested.numpy(), h_nested.numpy().T)

print(f"f(x) at x = {np.round(x.numpy(), 2)}: {float(f(x)):.6f}")
print(f"Hessian {h_nested.shape}: nested tapes, jacobian(gradient) and forward-over-backward agree")
print("max |difference|:", float(np.max(np.abs(h_forward.numpy() - h_jacobian.numpy()))))
print("eigenvalues:", np.round(np.linalg.eigvalsh(h_nested.numpy()), 4))

fig, axes = plt.subplots(1, 3, figsize=(10, 3.4))
vmax = float(np.max(np.abs(h_nested.numpy())))
for ax, (title, h) in zip(axes, [("nested tapes", h_nested), ("jacobian of gradient", h_jacobian),
                                 ("forward over backward", h_forward)]):
    im = ax.imshow(h.numpy(), cmap="coolwarm", vmin=-vmax, vmax=vmax)
    ax.set_title(title)
    ax.set_xticks(range(n))
    ax.set_yticks(range(n))
fig.colorbar(im, ax=axes, shrink=0.8)
fig.suptitle("Hessian of sum(sin(x) x^2) + prod(tanh(x))")
fig.savefig("hessian.png", dpi=90)
print("saved hessian.png")
