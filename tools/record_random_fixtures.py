"""Record TensorFlow's Philox draws for tests/test_philox_random.py (run with /work/tfenv).

    /work/tfenv/bin/python tools/record_random_fixtures.py

Writes tests/fixtures/random/philox.npz: stateless draws of every kind and dtype, a Generator's
draws, state after each and its splits, seeded stateful draws after ``tf.random.set_seed``, and
seeded Keras and tf initializers, seeded ``Dataset.shuffle`` orders and random image ops.
"""

import pathlib

import numpy as np
import tensorflow as tf

OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "random"


def main():
    rec = {}
    seed = [7, -3]
    for dt in ("float16", "float32", "float64"):
        rec[f"uniform_{dt}"] = tf.random.stateless_uniform([5, 3], seed, dtype=dt).numpy()
        rec[f"normal_{dt}"] = tf.random.stateless_normal([301], seed, dtype=dt).numpy()
        rec[f"truncated_{dt}"] = tf.random.stateless_truncated_normal([37], seed,
                                                                       dtype=dt).numpy()
    for dt in ("int32", "int64"):
        rec[f"int_{dt}"] = tf.random.stateless_uniform([9], seed, -5, 1000, dtype=dt).numpy()
        rec[f"full_{dt}"] = tf.random.stateless_uniform([5], seed, None, None, dtype=dt).numpy()
    import hashlib
    big = [tf.random.stateless_normal([100000], [5, 9]),  # large draws: SHA-256 of the bytes
           tf.random.stateless_truncated_normal([100003], [5, 9]),
           tf.random.stateless_truncated_normal([20001], [5, 9], dtype=tf.float64)]
    rec["big_digests"] = np.array([hashlib.sha256(t.numpy().tobytes()).hexdigest() for t in big])
    rec["split32"] = tf.random.split([1, 2]).numpy()
    rec["split64"] = tf.random.split(tf.constant([1, 2], tf.int64), 3).numpy()
    rec["fold_in"] = tf.random.fold_in([1, 2], tf.constant(7, tf.int64)).numpy()
    img = tf.constant(np.arange(2 * 3 * 4 * 3).reshape(2, 3, 4, 3).astype(np.float32) / 72.)
    rec["img_ops"] = np.concatenate([np.asarray(t).reshape(-1) for t in [
        tf.image.stateless_random_flip_left_right(img[0], [1, 2]),
        tf.image.stateless_random_flip_left_right(img, [3, 2]),
        tf.image.stateless_random_flip_up_down(img, [5, 2]),
        tf.image.random_flip_left_right(img, seed=4),
        tf.image.stateless_random_brightness(img[0], 0.2, [1, 2]),
        tf.image.stateless_random_crop(img, [1, 2, 2, 3], [4, 4]),
        tf.image.random_crop(img[0], [2, 2, 1], seed=9)]])
    g = tf.random.Generator.from_seed(1)
    rec["gen_normal"] = g.normal([2, 3]).numpy()
    rec["gen_state"] = g.state.numpy()
    rec["gen_splits"] = np.stack([s.state.numpy() for s in g.split(3)])
    rec["gen_after_split"] = g.normal([]).numpy()
    rec["gen_int"] = g.uniform([4], 0, 10, dtype=tf.int32).numpy()
    rec["gen_truncated"] = g.truncated_normal([3]).numpy()
    rec["gen_seeds"] = g.make_seeds(2).numpy()
    rec["gen_state_end"] = g.state.numpy()
    rec["big_state"] = tf.random.Generator.from_seed(2 ** 70 + 3).state.numpy()
    tf.random.set_seed(22)
    rec["seeded"] = np.concatenate([tf.random.uniform([3], seed=22).numpy(),
                                    tf.random.uniform([2], seed=22).numpy(),
                                    tf.random.normal([2]).numpy(), tf.random.normal([2]).numpy(),
                                    tf.random.truncated_normal([2], seed=1).numpy()])
    rec["seeded_int"] = tf.random.uniform([4], 0, 10, dtype=tf.int64, seed=4).numpy()
    rec["shuffles"] = np.stack([tf.random.shuffle(tf.range(9)).numpy() for _ in range(2)]
                               + [tf.random.shuffle(tf.range(9), seed=3).numpy()
                                  for _ in range(2)])
    rec["shuffle_rows"] = tf.random.shuffle(tf.reshape(tf.range(8), (4, 2)), seed=4).numpy()
    ds = tf.data.Dataset.range(30).shuffle(7)  # the global seed's next op seed
    rec["ds_global"] = np.array([[int(x) for x in ds] for _ in range(2)])
    tf.random.set_seed(None)
    rec["ds_fixed"] = np.array([int(x) for x in tf.data.Dataset.range(20).shuffle(
        5, seed=3, reshuffle_each_iteration=False)])
    ds = tf.data.Dataset.range(20).shuffle(50, seed=4)
    rec["ds_epochs"] = np.array([[int(x) for x in ds] for _ in range(3)])
    rec["ds_filtered"] = np.array([int(x) for x in tf.data.Dataset.range(40).filter(
        lambda x: x % 3 > 0).shuffle(6, seed=1)])
    rec["op_seed_only"] = tf.random.uniform([3], seed=5).numpy()
    import keras
    inits = [keras.initializers.GlorotUniform(seed=1), keras.initializers.HeNormal(seed=2),
             keras.initializers.RandomNormal(seed=3), keras.initializers.TruncatedNormal(seed=4),
             keras.initializers.RandomUniform(seed=5)]
    rec["keras_inits"] = np.stack([np.asarray(i((3, 2))) for i in inits])
    rec["tf_inits"] = np.stack([tf.random_normal_initializer(seed=3)((2,)).numpy(),
                                tf.random_uniform_initializer(seed=3)((2,)).numpy()])
    OUT.mkdir(parents=True, exist_ok=True)
    np.savez(OUT / "philox.npz", **rec)


if __name__ == "__main__":
    main()
