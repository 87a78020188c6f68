"""keras.tree, keras.utils and keras.config against reprs recorded from real Keras 3; keras.random's seeding contract (an int
seed repeats, a SeedGenerator advances), dtypes, shapes and distributions."""

import ast
import json
import pathlib

import numpy as np
import pytest

import tapeflow as tf

from keras_ops_cases import TREE_CASES, UTILS_CASES, plain

TREES = json.loads((pathlib.Path(__file__).parent / "fixtures" / "keras_ops" /
                    "results.json").read_text())["tree"]


@pytest.mark.parametrize("name", sorted(TREE_CASES))
def test_keras_tree_matches_keras(name):
    expected = TREES[name]
    if "error" in expected:
        with pytest.raises(Exception) as info:
            TREE_CASES[name](tf.keras.tree)
        assert type(info.value).__name__ == expected["error"]
    else:
        assert repr(TREE_CASES[name](tf.keras.tree)) == expected["repr"]


@pytest.mark.parametrize("name", sorted(UTILS_CASES))
def test_keras_utils_config_match_keras(name):
    expected = TREES["utils:" + name]
    if "error" in expected:
        with pytest.raises(Exception) as info:
            UTILS_CASES[name](tf.keras)
        assert type(info.value).__name__ == expected["error"]
    else:
        _assert_close(plain(UTILS_CASES[name](tf.keras)), ast.literal_eval(expected["repr"]))


def _assert_close(got, want, path="result"):
    """Equal structures; floats to float32 rounding (resized images, losses)."""
    if isinstance(want, float):
        assert isinstance(got, float) and abs(got - want) <= 1e-4 * max(1.0, abs(want)), (
            path, got, want)
    elif isinstance(want, (list, tuple, dict)):
        assert type(got) is type(want) and len(got) == len(want), (path, got, want)
        pairs = zip(got.values(), want.values()) if isinstance(want, dict) else zip(got, want)
        if isinstance(want, dict):
            assert got.keys() == want.keys(), (path, got, want)
        for i, (g, w) in enumerate(pairs):
            _assert_close(g, w, f"{path}[{i}]")
    else:
        assert got == want and type(got) is type(want), (path, got, want)


def test_tree_keeps_namedtuples_and_rejects_bad_lengths():
    import collections
    Point = collections.namedtuple("Point", "x y")
    out = tf.keras.tree.map_structure(lambda v: v * 2, Point(1, [2]))
    assert out == Point(2, [4]) and type(out) is Point
    with pytest.raises(ValueError):
        tf.keras.tree.pack_sequence_as([1, 2], [1])


R = tf.keras.random
SAMPLERS = {
    "normal": lambda seed: R.normal((400,), seed=seed),
    "uniform": lambda seed: R.uniform((400,), 2.0, 4.0, seed=seed),
    "truncated_normal": lambda seed: R.truncated_normal((400,), seed=seed),
    "randint": lambda seed: R.randint((400,), 3, 7, seed=seed),
    "categorical": lambda seed: R.categorical(np.log([[0.2, 0.8]]), 400, seed=seed),
    "gamma": lambda seed: R.gamma((400,), 2.0, seed=seed),
    "binomial": lambda seed: R.binomial((400,), 10.0, 0.3, seed=seed),
    "beta": lambda seed: R.beta((400,), 2.0, 6.0, seed=seed),
    "shuffle": lambda seed: R.shuffle(np.arange(400), seed=seed),
    "dropout": lambda seed: R.dropout(np.ones(400, "float32"), 0.25, seed=seed),
}
# (dtype, mean, tolerance of the mean) as Keras's functions have them
EXPECTED = {"normal": ("float32", 0.0, 0.2), "uniform": ("float32", 3.0, 0.1),
            "truncated_normal": ("float32", 0.0, 0.15), "randint": ("int32", 4.5, 0.2),
            "categorical": ("int32", 0.8, 0.08), "gamma": ("float32", 2.0, 0.3),
            "binomial": ("float32", 3.0, 0.3), "beta": ("float32", 0.25, 0.04),
            "shuffle": ("int64", 199.5, 1e-9), "dropout": ("float32", 1.0, 0.15)}


@pytest.mark.parametrize("name", sorted(SAMPLERS))
def test_random_int_seed_repeats_and_generator_advances(name):
    sample = SAMPLERS[name]
    a, b = sample(3).numpy(), sample(3).numpy()
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, sample(4).numpy())
    gen = R.SeedGenerator(5)
    first, second = sample(gen).numpy(), sample(gen).numpy()
    assert not np.array_equal(first, second)
    again = R.SeedGenerator(5)
    np.testing.assert_array_equal(sample(again).numpy(), first)
    dtype, mean, tol = EXPECTED[name]
    assert sample(None).dtype.name == dtype
    assert abs(a.mean() - mean) <= tol, a.mean()


def test_random_ranges_and_errors():
    assert np.all(np.abs(R.truncated_normal((500,), seed=1).numpy()) <= 2.0)
    u = R.randint((500,), 3, 7, dtype="int8", seed=1)
    assert u.dtype.name == "int8" and set(np.unique(u.numpy())) == {3, 4, 5, 6}
    assert sorted(R.shuffle(np.arange(10), seed=2).numpy().tolist()) == list(range(10))
    kept = R.dropout(np.ones((50, 4), "float32"), 0.5, noise_shape=(50, 1), seed=3).numpy()
    assert np.all(kept == kept[:, :1]) and set(np.unique(kept)) == {0.0, 2.0}
    with pytest.raises(ValueError, match="must be either an integer"):
        R.normal((2,), seed="x")
    with pytest.raises(ValueError, match="must be an integer"):
        R.SeedGenerator(1.5)
