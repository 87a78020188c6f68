"""tf.data behaviour that a printout cannot show: streaming, shuffle semantics and seeds,
threads (overlap, bounded prefetch, clean shutdown), caches, errors and the tape."""

import itertools
import os
import pathlib
import subprocess
import sys
import threading
import tracemalloc

import numpy as np
import pytest

import tapeflow as tf

D = tf.data.Dataset
ROOT = pathlib.Path(__file__).resolve().parent.parent


def values(ds):
    return [int(x) for x in ds.as_numpy_iterator()]


def test_pipelines_stream_in_constant_memory():
    tracemalloc.start()
    batches = list(D.range(10**9).batch(32).take(2).as_numpy_iterator())
    small = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert [b.tolist() for b in batches] == [list(range(32)), list(range(32, 64))]
    assert small < 1_000_000
    first = next(iter(D.range(10**12).map(lambda x: x * 2).shuffle(4).repeat().skip(5)))
    assert first.dtype == tf.int64


def test_shuffle_keeps_tf_buffer_semantics():
    assert values(D.range(20).shuffle(1)) == list(range(20))
    for _ in range(5):
        out = values(D.range(50).shuffle(4))
        assert sorted(out) == list(range(50))
        # element i can leave only once it entered the 4-slot buffer
        assert all(x <= i + 3 for i, x in enumerate(out))
    full = [tuple(values(D.range(8).shuffle(8))) for _ in range(20)]
    assert len(set(full)) > 1


def test_shuffle_seeds_and_epochs():
    ds = D.range(30).shuffle(30, seed=7)
    first, second = values(ds), values(ds)
    assert first != second                                     # reshuffled each epoch
    assert values(D.range(30).shuffle(30, seed=7)) == first    # same seed, same order
    fixed = D.range(30).shuffle(30, seed=7, reshuffle_each_iteration=False)
    assert values(fixed) == values(fixed)
    epochs = values(D.range(5).shuffle(5, seed=1).repeat(3))
    assert [sorted(epochs[i:i + 5]) for i in (0, 5, 10)] == [list(range(5))] * 3
    tf.random.set_seed(3)
    a = values(D.range(30).shuffle(30))
    tf.random.set_seed(3)
    assert values(D.range(30).shuffle(30)) == a
    tf.random.set_seed(None)


SCRIPT = """
import tapeflow as tf
tf.random.set_seed(42)
print(list(tf.data.Dataset.range(12).shuffle(12).as_numpy_iterator()))
print(tf.random.normal([3]).numpy().tolist(), tf.random.uniform([2], seed=5).numpy().tolist())
tf.keras.utils.set_random_seed(42)  # Keras's initializers take their seeds from Python's random
print(tf.keras.initializers.GlorotUniform()([2, 2]).numpy().tolist())
"""


def test_set_seed_repeats_shuffles_and_initializers_run_to_run():
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    runs = [subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                           env=env, timeout=120) for _ in range(2)]
    assert runs[0].returncode == 0, runs[0].stderr
    assert runs[0].stdout == runs[1].stdout and runs[0].stdout.count("\n") == 3


def test_parallel_map_really_overlaps_calls():
    meet = threading.Barrier(3, timeout=30)  # three calls must be running at once to pass it

    def f(x):
        meet.wait()
        return x + 1

    out = values(D.range(6).map(f, num_parallel_calls=3))
    assert out == [1, 2, 3, 4, 5, 6]


def threads():
    return {t for t in threading.enumerate() if t.name.startswith("tapeflow")}


def test_background_threads_end_with_their_iterator():
    before = threads()
    ds = D.range(1000).map(lambda x: x * 2, num_parallel_calls=4).prefetch(3)
    assert values(ds.take(3)) == [0, 2, 4]
    assert threads() == before                 # the iteration ended early: all joined
    it = iter(ds)
    next(it)
    assert threads() - before                  # running while the iterator lives
    del it
    assert threads() == before
    for i, _ in enumerate(ds):                 # a for loop left by break
        if i == 2:
            break
    assert threads() == before
    assert len(values(ds)) == 1000 and threads() == before


def test_prefetch_fills_a_bounded_buffer_ahead():
    made = []

    def gen():
        for i in range(100):
            made.append(i)
            yield i

    ds = D.from_generator(gen, output_signature=tf.TensorSpec((), tf.int64)).prefetch(5)
    it = iter(ds)
    assert int(next(it)) == 0
    for _ in range(200):  # the producer stops by itself: at most buffer + one in hand ahead
        assert len(made) <= 1 + 5 + 1
        threading.Event().wait(0.001)
    assert [int(x) for x in it] == list(range(1, 100))


def test_errors_raised_in_background_reach_the_caller():
    def boom(x):
        if int(x) == 3:
            raise ValueError("bad element")
        return x

    for ds in (D.range(10).map(boom, num_parallel_calls=2), D.range(10).map(boom).prefetch(2)):
        with pytest.raises(ValueError, match="bad element"):
            values(ds)
    assert not threads()


def test_unordered_parallel_map_gives_every_result():
    out = values(D.range(50).map(lambda x: x * 3, num_parallel_calls=4, deterministic=False))
    assert sorted(out) == [3 * i for i in range(50)]


def test_iterator_end():
    it = iter(D.range(1))
    assert int(it.get_next()) == 0
    with pytest.raises(tf.errors.OutOfRangeError, match=r"End of sequence \[Op:IteratorGetNext\]"):
        it.get_next()
    with pytest.raises(StopIteration):
        next(it)


def counting_source(calls):
    def gen():
        calls.append(1)
        yield from range(4)
    return D.from_generator(gen, output_signature=tf.TensorSpec((), tf.int64))


def test_memory_cache_reads_its_source_once():
    calls = []
    ds = counting_source(calls).map(lambda x: x + 1).cache()
    assert values(ds) == values(ds) == [1, 2, 3, 4]
    assert len(calls) == 1
    part = counting_source(calls).cache()
    assert values(part.take(2)) == [0, 1] and values(part) == [0, 1, 2, 3]  # a partial pass
    assert len(calls) == 3                                                  # is not kept


def test_file_cache_serves_later_pipelines(tmp_path):
    calls = []
    name = str(tmp_path / "cache")
    assert values(counting_source(calls).cache(name)) == [0, 1, 2, 3]
    assert values(counting_source(calls).cache(name)) == [0, 1, 2, 3]
    assert len(calls) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["cache.tapeflow-cache"]


def test_dataset_functions_are_not_recorded_by_an_active_tape():
    w = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        ds = D.from_tensor_slices([1.0, 2.0]).map(lambda x: x * w)
        total = sum(ds)
    assert float(total) == 6.0
    assert tape.gradient(total, w) is None  # as in TF: the function ran outside the tape


def test_nested_elements_and_numpy_views():
    ds = D.from_tensor_slices({"img": np.zeros((5, 2, 2), np.uint8), "y": [0, 1, 0, 1, 1]})
    batch = next(iter(ds.batch(2)))
    assert batch["img"].shape == (2, 2, 2) and batch["img"].dtype == tf.uint8
    assert batch["y"].dtype == tf.int32
    assert list(next(iter(ds.map(lambda d: (d["img"], d["y"])))).__class__.__mro__)[0] is tuple
    rows = list(D.zip((D.range(3), D.range(3).map(lambda x: {"sq": x * x}))).as_numpy_iterator())
    assert rows[2] == (2, {"sq": 4})


def test_window_of_an_infinite_dataset_streams():
    windows = D.range(10**12).window(3, shift=1).flat_map(lambda w: w.batch(3)).take(2)
    assert [w.tolist() for w in windows.as_numpy_iterator()] == [[0, 1, 2], [1, 2, 3]]


def test_interleave_and_generator_args_use_dataset_cardinality_constants():
    assert tf.data.experimental.cardinality(D.range(3).repeat()) == tf.data.INFINITE_CARDINALITY
    ds = D.from_tensor_slices([1, 2, 3]).interleave(lambda x: D.range(x), cycle_length=1)
    assert values(ds) == list(itertools.chain(range(1), range(2), range(3)))


def test_sample_from_datasets_follows_weights_and_seeds():
    a, b = D.range(100), D.range(1000, 1100)
    only_a = values(D.sample_from_datasets([a, b], weights=[1.0, 0.0], seed=1).take(50))
    assert only_a == list(range(50))
    mixed = D.sample_from_datasets([a, b], seed=4)
    first = values(mixed)
    assert sorted(first) == list(range(100)) + list(range(1000, 1100))
    assert first != sorted(first)
    assert values(D.sample_from_datasets([a, b], seed=4)) == first
