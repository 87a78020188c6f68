"""Seeded random draws equal TensorFlow's bit for bit (fixtures: tools/record_random_fixtures.py
run under TF 2.21): the stateless ops, tf.random.Generator and op-seeded stateful ops."""

import hashlib
import pathlib

import numpy as np
import pytest

import tapeflow as tf
from tapeflow.ops import philox

FIX = np.load(pathlib.Path(__file__).parent / "fixtures" / "random" / "philox.npz")
SEED = [7, -3]


@pytest.fixture(autouse=True)
def fresh_streams():
    """No global seed and no stream left from other tests (TF: a fresh program)."""
    tf.random.set_seed(None)
    yield
    tf.random.set_seed(None)


def same(got, key):
    want = FIX[key]
    got = np.asarray(got)
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("dt", ["float16", "float32", "float64"])
def test_stateless_floats(dt):
    same(tf.random.stateless_uniform([5, 3], SEED, dtype=dt), f"uniform_{dt}")
    same(tf.random.stateless_normal([301], SEED, dtype=dt), f"normal_{dt}")
    same(tf.random.stateless_truncated_normal([37], SEED, dtype=dt), f"truncated_{dt}")


def test_large_draws_bit_for_bit():
    # every group of the truncated normal, including those that read past their first blocks
    big = [tf.random.stateless_normal([100000], [5, 9]),
           tf.random.stateless_truncated_normal([100003], [5, 9]),
           tf.random.stateless_truncated_normal([20001], [5, 9], dtype=tf.float64)]
    got = [hashlib.sha256(t.numpy().tobytes()).hexdigest() for t in big]
    assert got == FIX["big_digests"].tolist()


@pytest.mark.parametrize("dt", ["int32", "int64"])
def test_stateless_ints(dt):
    same(tf.random.stateless_uniform([9], SEED, -5, 1000, dtype=dt), f"int_{dt}")
    same(tf.random.stateless_uniform([5], SEED, None, None, dtype=dt), f"full_{dt}")


def test_split_and_fold_in():
    same(tf.random.split([1, 2]), "split32")
    same(tf.random.split(tf.constant([1, 2], tf.int64), 3), "split64")
    same(tf.random.fold_in([1, 2], tf.constant(7, tf.int64)), "fold_in")


def test_random_image_ops_draw_tf_values():
    img = tf.constant(np.arange(2 * 3 * 4 * 3).reshape(2, 3, 4, 3).astype(np.float32) / 72.)
    got = np.concatenate([np.asarray(t).reshape(-1) for t in [
        tf.image.stateless_random_flip_left_right(img[0], [1, 2]),
        tf.image.stateless_random_flip_left_right(img, [3, 2]),  # a batch: round(u) flips
        tf.image.stateless_random_flip_up_down(img, [5, 2]),
        tf.image.random_flip_left_right(img, seed=4),
        tf.image.stateless_random_brightness(img[0], 0.2, [1, 2]),
        tf.image.stateless_random_crop(img, [1, 2, 2, 3], [4, 4]),
        tf.image.random_crop(img[0], [2, 2, 1], seed=9)]])
    same(got, "img_ops")


def test_generator_stream_state_and_split():
    g = tf.random.Generator.from_seed(1)
    same(g.normal([2, 3]), "gen_normal")
    same(g.state.numpy(), "gen_state")  # 256 counter steps a value
    same(np.stack([s.state.numpy() for s in g.split(3)]), "gen_splits")
    same(g.normal([]), "gen_after_split")
    same(g.uniform([4], 0, 10, dtype=tf.int32), "gen_int")
    same(g.truncated_normal([3]), "gen_truncated")
    same(g.make_seeds(2), "gen_seeds")
    same(g.state.numpy(), "gen_state_end")
    same(tf.random.Generator.from_seed(2 ** 70 + 3).state.numpy(), "big_state")
    assert repr(g.state).startswith("<tf.Variable 'StateVar:0' shape=(3,) dtype=int64")


def test_generator_reset_traced_and_checkpoint(tmp_path):
    g = tf.random.Generator.from_seed(1)
    first = g.normal([]).numpy()
    g.reset_from_seed(1)
    assert g.normal([]).numpy() == first
    g.reset_from_seed(1)
    draw = tf.function(lambda: g.normal([]))
    assert draw().numpy() == first  # tracing uses no numbers up
    assert g.state.numpy()[0] == 1 + 256
    ckpt = tf.train.Checkpoint(generator=g)
    path = ckpt.write(str(tmp_path / "ck"))
    after = g.normal([]).numpy()
    g.normal([])
    ckpt.restore(path)
    assert g.normal([]).numpy() == after


def test_seeded_stateful_ops_follow_tf_seeds():
    tf.random.set_seed(22)
    got = np.concatenate([tf.random.uniform([3], seed=22), tf.random.uniform([2], seed=22),
                          tf.random.normal([2]), tf.random.normal([2]),
                          tf.random.truncated_normal([2], seed=1)])
    same(got, "seeded")
    same(tf.random.uniform([4], 0, 10, dtype=tf.int64, seed=4), "seeded_int")
    same(np.stack([tf.random.shuffle(tf.range(9)) for _ in range(2)]
                  + [tf.random.shuffle(tf.range(9), seed=3) for _ in range(2)]), "shuffles")
    same(tf.random.shuffle(tf.reshape(tf.range(8), (4, 2)), seed=4), "shuffle_rows")
    ds = tf.data.Dataset.range(30).shuffle(7)
    same(np.array([[int(x) for x in ds] for _ in range(2)]), "ds_global")
    tf.random.set_seed(None)
    same(tf.random.uniform([3], seed=5), "op_seed_only")
    tf.random.set_seed(22)  # set_seed restarts every stream
    np.testing.assert_array_equal(tf.random.uniform([3], seed=22), FIX["seeded"][:3])
    tf.random.set_seed(None)


def test_dataset_shuffle_orders():
    same(np.array([int(x) for x in tf.data.Dataset.range(20).shuffle(
        5, seed=3, reshuffle_each_iteration=False)]), "ds_fixed")
    ds = tf.data.Dataset.range(20).shuffle(50, seed=4)  # the buffer holds all: indexed path
    same(np.array([[int(x) for x in ds] for _ in range(3)]), "ds_epochs")
    same(np.array([int(x) for x in tf.data.Dataset.range(40).filter(
        lambda x: x % 3 > 0).shuffle(6, seed=1)]), "ds_filtered")


def test_generator_errors():
    with pytest.raises(AssertionError):
        tf.random.Generator(state=[1, 2, 3])
    g = tf.random.Generator.from_seed(3)
    with pytest.raises(ValueError, match=r"^For integer dtype <dtype: 'int32'>, minval and maxval "
                       r"must be both `None` or both non-`None`; got minval=0 and maxval=None$"):
        g.uniform([2], dtype=tf.int32)
    with pytest.raises(tf.errors.UnimplementedError, match="Cast string to int64"):
        tf.random.Generator.from_seed("a")


def test_seeded_initializers_draw_tf_values():
    k = tf.keras.initializers
    inits = [k.GlorotUniform(seed=1), k.HeNormal(seed=2), k.RandomNormal(seed=3),
             k.TruncatedNormal(seed=4), k.RandomUniform(seed=5)]
    got = np.stack([np.asarray(i((3, 2))) for i in inits])
    same(got, "keras_inits")
    np.testing.assert_array_equal(inits[0]((3, 2)), FIX["keras_inits"][0])  # every call alike
    same(np.stack([tf.random_normal_initializer(seed=3)((2,)),
                   tf.random_uniform_initializer(seed=3)((2,))]), "tf_inits")


def test_dropout_mask_is_tf_draw():
    # TF 2.21 prints these masks for the same calls
    assert tf.nn.dropout(tf.ones([6]), 0.5, seed=2).numpy().tolist() == [2, 2, 0, 0, 0, 2]
    tf.random.set_seed(1)
    assert tf.nn.dropout(tf.ones([6]), 0.5).numpy().tolist() == [0, 2, 2, 0, 0, 2]
    assert tf.nn.dropout(tf.ones([6]), 0.5).numpy().tolist() == [2, 0, 0, 2, 2, 0]
    tf.random.set_seed(None)


def test_threefry_fails_as_on_tf_cpu():
    prefix = "{{function_node __wrapped__%s_device_/job:localhost/replica:0/task:0/device:CPU:0}} "
    counter = ("counter must be a vector with length at least 2; got shape: [1]. (Note that "
               "batched counters are not supported yet.) [Op:%s] name: ")
    for call, op in [(lambda: tf.random.stateless_normal([2], SEED, alg="threefry"),
                      "StatelessRandomNormalV2"),
                     (lambda: tf.random.stateless_uniform([2], SEED, 0, 5, tf.int32, alg=2),
                      "StatelessRandomUniformIntV2")]:
        with pytest.raises(tf.errors.InvalidArgumentError) as info:
            call()
        assert str(info.value) == prefix % op + counter % op
    g = tf.random.Generator.from_seed(1, alg="threefry")
    assert g.state.numpy().tolist() == [1, 0]
    with pytest.raises(tf.errors.UnimplementedError, match="Non-XLA devices don't support the "
                       "ThreeFry algorithm. \\[Op:RngReadAndSkip\\]"):
        g.normal([2])
    with pytest.raises(ValueError, match="^Argument `alg` got unsupported value bad. Supported "
                       "values are philox for the Philox algorithm, threefry for the ThreeFry "
                       "algorithm, and auto_select for auto-selection.$"):
        tf.random.stateless_normal([2], SEED, alg="bad")


@pytest.mark.skipif(philox._LIBM is None, reason="no glibc")
def test_rounded_float64_shortcut_equals_glibc():
    rng = np.random.default_rng(0)
    words = rng.integers(0, 2 ** 32, 200000, dtype=np.uint64).astype(np.uint32)
    u = np.maximum(philox._to_float(words, np.float32), np.float32(1e-7))
    v = (2 * np.pi * u.astype(np.float64)).astype(np.float32)
    for index, fn, x in ((0, np.log, u), (1, np.sin, v), (2, np.cos, v)):
        glibc = np.array([philox._LIBM[index](float(a)) for a in x], np.float32)
        np.testing.assert_array_equal(philox._float_fn(x, index, fn), glibc)


def _philox_reference(key, counter):
    """One Philox-4x32-10 block in Python integers, from the published algorithm (Salmon et
    al., 2011): the check on the vectorized, chunked kernel."""
    c = list(counter)
    k0, k1 = key
    for _ in range(10):
        p0, p1 = 0xD2511F53 * c[0], 0xCD9E8D57 * c[2]
        c = [(p1 >> 32) ^ c[1] ^ k0, p1 & 0xFFFFFFFF, (p0 >> 32) ^ c[3] ^ k1, p0 & 0xFFFFFFFF]
        k0, k1 = (k0 + 0x9E3779B9) & 0xFFFFFFFF, (k1 + 0xBB67AE85) & 0xFFFFFFFF
    return c


@pytest.mark.parametrize("low", [5, 0xFFFFFFFF_FFFFFFF0])  # the second wraps into the high half
def test_philox_kernel_against_a_scalar_reference(low):
    key, high = [0x12345678, 0x9ABCDEF0], 0xFFFFFFFF_00000001
    counter = [low & 0xFFFFFFFF, low >> 32, high & 0xFFFFFFFF, high >> 32]
    n = philox._CHUNK + 40  # two chunks
    offsets = np.arange(n, dtype=np.uint64) * np.uint64(3)
    got = philox.philox_at(key, counter, offsets)
    for i in [0, 1, 2, 7, philox._CHUNK - 1, philox._CHUNK, n - 1]:
        value = low + 3 * i
        top = (high + (value >> 64)) & 0xFFFFFFFF_FFFFFFFF
        value &= 0xFFFFFFFF_FFFFFFFF
        words = [value & 0xFFFFFFFF, value >> 32, top & 0xFFFFFFFF, top >> 32]
        assert got[i].tolist() == _philox_reference(key, words), i
