"""Data-parallel training with tapeflow.horovod: an MLP on scikit-learn's handwritten digits.

    python examples/distributed_digits.py                 # one process
    mpiexec -n 2 python examples/distributed_digits.py    # two processes, the same model
    tapeflowrun -np 2 python examples/distributed_digits.py

Every step takes a global batch of 64 examples; each of the N processes computes the gradient on
its 64/N of them, and DistributedGradientTape averages the gradients across processes, so the
processes end with the weights (and the accuracy) that one process gets on the full batches.
Only rank 0 prints and writes the checkpoint.
"""

import numpy as np
from sklearn.datasets import load_digits

import tapeflow as tf
import tapeflow.horovod as hvd

BATCH, EPOCHS, LEARNING_RATE = 64, 8, 0.5

hvd.init()
images, labels = load_digits(return_X_y=True)
order = np.random.default_rng(0).permutation(len(labels))
images, labels = (images[order] / 16.0).astype(np.float32), labels[order]
x_train, y_train, x_test, y_test = images[:1500], labels[:1500], images[1500:], labels[1500:]

rng = np.random.default_rng(hvd.rank())  # different on every rank: the broadcast fixes that
params = [tf.Variable(rng.normal(0, 0.1, (64, 64)).astype(np.float32)), tf.Variable(tf.zeros(64)),
          tf.Variable(rng.normal(0, 0.1, (64, 10)).astype(np.float32)), tf.Variable(tf.zeros(10))]
hvd.broadcast_variables(params, root_rank=0)  # every rank starts from rank 0's weights


def logits_of(x):
    w1, b1, w2, b2 = params
    return tf.nn.relu(x @ w1 + b1) @ w2 + b2


shuffle = np.random.default_rng(1)
for epoch in range(EPOCHS):
    perm = shuffle.permutation(len(y_train))
    for step in range(len(perm) // BATCH):
        mine = perm[step * BATCH:(step + 1) * BATCH][hvd.rank()::hvd.size()]  # my share
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
                y_train[mine], logits_of(tf.constant(x_train[mine]))))
        tape = hvd.DistributedGradientTape(tape)
        for p, g in zip(params, tape.gradient(loss, params)):
            p.assign_sub(LEARNING_RATE * g)
    mean_loss = hvd.allreduce(loss)  # the average over ranks of their last batch's loss
    if hvd.rank() == 0:
        print(f"epoch {epoch + 1}: loss {float(mean_loss):.4f}")

predicted = np.argmax(logits_of(tf.constant(x_test)).numpy(), axis=1)
accuracy = float(np.mean(predicted == y_test))
if hvd.rank() == 0:
    print(f"{hvd.size()} process(es): test accuracy {accuracy:.4f}")
    np.savez("digits_mlp.npz", *[p.numpy() for p in params])  # checkpoints: rank 0 only
