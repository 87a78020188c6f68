"""Train a small MLP on scikit-learn's bundled 8x8 digits with a GradientTape loop.

Adam updates the weights, a tf.data pipeline feeds the batches and tf.summary writes a
TensorBoard run (``tensorboard --logdir logs``). Needs scikit-learn (the digits ship inside it,
nothing is downloaded) and tensorboard: ``pip install 'tapeflow[tensorboard]' scikit-learn``.

    python examples/train_digits.py [--epochs N] [--logdir DIR]
"""

import argparse

import numpy as np
from sklearn.datasets import load_digits

import tapeflow as tf


class MLP(tf.Module):
    def __init__(self, sizes, name=None):
        super().__init__(name=name)
        self.layers = []
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            limit = np.sqrt(6.0 / (n_in + n_out))  # Glorot uniform
            w = tf.Variable(tf.random.uniform([n_in, n_out], -limit, limit), name=f"w{i}")
            b = tf.Variable(tf.zeros([n_out]), name=f"b{i}")
            self.layers.append((w, b))

    def __call__(self, x):
        for i, (w, b) in enumerate(self.layers):
            x = x @ w + b
            if i < len(self.layers) - 1:
                x = tf.nn.relu(x)
        return x


def split_digits(test_fraction=0.2, seed=0):
    digits = load_digits()
    x = (digits.data / 16.0).astype(np.float32)
    y = digits.target.astype(np.int64)
    order = np.random.default_rng(seed).permutation(len(x))
    n_test = int(len(x) * test_fraction)
    test, train = order[:n_test], order[n_test:]
    return (x[train], y[train]), (x[test], y[test]), digits.images


def accuracy(model, x, y):
    predicted = tf.argmax(model(x), axis=1)
    return float(tf.reduce_mean(tf.cast(predicted == y, tf.float32)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--logdir", default="logs/digits")
    args = parser.parse_args()

    tf.random.set_seed(0)
    (x_train, y_train), (x_test, y_test), images = split_digits()
    train = (tf.data.Dataset.from_tensor_slices((x_train, y_train))
             .shuffle(len(x_train), seed=1)
             .batch(32)
             .prefetch(tf.data.AUTOTUNE))
    model = MLP([64, 128, 10])
    optimizer = tf.keras.optimizers.Adam(learning_rate=3e-3)
    loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)

    writer = tf.summary.create_file_writer(args.logdir)
    with writer.as_default():
        tf.summary.image("digits", images[:6, :, :, None] / 16.0, step=0, max_outputs=6)
        tf.summary.text("config", f"MLP 64-128-10, Adam(3e-3), batch 32, "
                                  f"{len(x_train)} train / {len(x_test)} test", step=0)
        step = 0
        for epoch in range(1, args.epochs + 1):
            losses = []
            for x, y in train:
                with tf.GradientTape() as tape:
                    loss = loss_fn(y, model(x))
                grads = tape.gradient(loss, model.trainable_variables)
                optimizer.apply_gradients(zip(grads, model.trainable_variables))
                losses.append(float(loss))
                tf.summary.scalar("batch_loss", loss, step=step)
                step += 1
            train_acc, test_acc = accuracy(model, x_train, y_train), accuracy(model, x_test,
                                                                             y_test)
            tf.summary.scalar("loss", np.mean(losses), step=epoch)
            tf.summary.scalar("accuracy/train", train_acc, step=epoch)
            tf.summary.scalar("accuracy/test", test_acc, step=epoch)
            for variable in model.trainable_variables:
                tf.summary.histogram(variable.name.split(":")[0], variable, step=epoch)
            if epoch % 5 == 0 or epoch == args.epochs:
                print(f"epoch {epoch:2d}: loss {np.mean(losses):.4f}  train accuracy "
                      f"{train_acc:.4f}  test accuracy {test_acc:.4f}")
    writer.close()
    print(f"test accuracy: {test_acc:.4f}")
    print(f"TensorBoard run written to {args.logdir}")


if __name__ == "__main__":
    main()
