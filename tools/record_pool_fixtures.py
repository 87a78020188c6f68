"""Record TF 2.21's max-pool forward, gradient and second gradient on tie-heavy, odd-sized and
padded inputs into tests/fixtures/pool/max_pool.npz (run with /work/tfenv/bin/python)."""
import pathlib

import numpy as np
import tensorflow as tf

CASES = [  # (input shape, ksize, strides, padding)
    ((2, 6, 6, 3), 2, 2, "VALID"),
    ((2, 7, 5, 2), 2, 2, "VALID"),
    ((2, 7, 5, 2), 2, 2, "SAME"),
    ((1, 5, 7, 2), 3, 2, "SAME"),
    ((1, 6, 5, 2), (3, 2), (1, 2), "VALID"),
    ((1, 4, 4, 1), 2, 1, "SAME"),
]


def main():
    rng = np.random.default_rng(7)
    out = {}
    for i, (shape, k, s, p) in enumerate(CASES):
        x = rng.integers(-2, 3, shape).astype(np.float32)  # few values: many tied maxima
        x_t = tf.constant(x)
        with tf.GradientTape() as tape:
            tape.watch(x_t)
            y = tf.nn.max_pool2d(x_t, k, s, p)
        g = rng.standard_normal(y.shape).astype(np.float32)
        dx = tape.gradient(y, x_t, output_gradients=tf.constant(g))
        gg = rng.standard_normal(shape).astype(np.float32)
        ddy = tf.raw_ops.MaxPoolGradGrad(
            orig_input=x_t, orig_output=y, grad=tf.constant(gg),
            ksize=[1, *np.broadcast_to(k, 2), 1], strides=[1, *np.broadcast_to(s, 2), 1],
            padding=p)
        out.update({f"{i}_x": x, f"{i}_y": y.numpy(), f"{i}_g": g, f"{i}_dx": dx.numpy(),
                    f"{i}_gg": gg, f"{i}_ddy": ddy.numpy()})
    path = pathlib.Path(__file__).parents[1] / "tests/fixtures/pool/max_pool.npz"
    np.savez_compressed(path, **out)


if __name__ == "__main__":
    main()
