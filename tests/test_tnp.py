"""tf.experimental.numpy against what TF 2.21 records (tests/fixtures/tnp, made by
tools/record_tnp_fixtures.py)."""

import json
import pathlib
import warnings

import numpy as np
import pytest

import tapeflow as tf
import tapeflow.experimental.numpy as tnp
from tapeflow.experimental.numpy import _behavior


@pytest.fixture
def numpy_behavior():
    tnp.experimental_enable_numpy_behavior()
    yield
    _behavior.disable()


def test_python_scalars_default_to_64_bits():
    assert tnp.asarray(1).dtype == tf.int64
    assert tnp.asarray(1.).dtype == tf.float64
    assert tnp.add(tnp.asarray(1, tnp.int32), 2.5).dtype == tf.float64
    assert tnp.add(tnp.asarray(1, tnp.float32), 2.5).dtype == tf.float32


def test_numpy_behavior_promotes_and_indexes(numpy_behavior):
    x = tnp.arange(24).reshape(2, 3, 4)
    np.testing.assert_array_equal(x[1, (0, 0, 1), tnp.asarray([0, 1, 1])], [12, 13, 17])
    assert (tnp.asarray(1, tnp.int32) + tnp.asarray(1., tnp.float32)).dtype == tf.float64
    assert x.T.shape == (4, 3, 2) and x.ndim == 3 and x.size == 24
    with pytest.raises(TypeError):
        x[0] = 1


def test_gradients_flow_through_tnp():
    w = tf.constant([[1., 2.], [3., 4.]])
    with tf.GradientTape() as tape:
        tape.watch(w)
        loss = tnp.sum(tnp.square(tnp.matmul(w, tnp.ones([2], tnp.float32))))
    np.testing.assert_allclose(tape.gradient(loss, w), [[6., 6.], [14., 14.]])


FIXTURE = json.loads((pathlib.Path(__file__).parent / "fixtures" / "tnp" / "calls.json").read_text())


def _plain(value):
    if isinstance(value, dict):
        return _plain(value["real"]) + 1j * _plain(value["imag"])
    value = np.asarray(value)
    return value.astype(float) if value.dtype.kind == "U" else value


def _check(got, want, expr):
    if "seq" in want:
        assert isinstance(got, (list, tuple)), expr
        assert len(got) == len(want["seq"]), expr
        for g, w in zip(got, want["seq"]):
            _check(g, w, expr)
    elif "dtype" in want:
        assert isinstance(got, tf.Tensor), expr
        assert (got.dtype.name, list(got.shape)) == (want["dtype"], want["shape"]), expr
        if "value" not in want:  # a random draw
            return
        expect = _plain(want["value"]).reshape(want["shape"])
        np.testing.assert_allclose(np.asarray(got), expect, rtol=1e-6, atol=1e-12, err_msg=expr)
    elif "tfdtype" in want:
        assert got.name == want["tfdtype"], expr
    elif "type" in want:
        assert np.dtype(got).name == want["type"], expr
    elif "none" in want:
        assert got is None, expr
    else:
        assert not isinstance(got, tf.Tensor), expr
        np.testing.assert_allclose(np.asarray(got), _plain(want["value"]), err_msg=expr)


SECTIONS = {"calls": {}, "numpy_behavior": {}, "random": {},
            "prefer_float32": {"prefer_float32": True},
            "conversion_off": {"dtype_conversion_mode": "off"}}
CASES = [(section, case) for section in SECTIONS for case in FIXTURE[section]]


@pytest.mark.parametrize("section,case", CASES, ids=[c["expr"][:60] for _, c in CASES])
def test_matches_tf(section, case, numpy_behavior):
    tnp.experimental_enable_numpy_behavior(**SECTIONS[section])
    scope = {"tnp": tnp, "np": np, "tf": tf}
    if "error" in case:
        with pytest.raises(Exception) as info:
            eval(case["expr"], scope)  # noqa: S307
        assert type(info.value).__name__ == case["error"], case["expr"]
        # TF adds an empty " name: " to a kernel's error on some of its dispatch paths only
        assert (str(info.value).removesuffix(" name: ")
                == case["message"].removesuffix(" name: ")), case["expr"]
        return
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = eval(case["expr"], scope)  # noqa: S307
    _check(got, case["out"], case["expr"])


@pytest.mark.parametrize("case", FIXTURE["gradients"], ids=[c["expr"] for c in FIXTURE["gradients"]])
def test_gradients_match_tf(case, numpy_behavior):
    x = tnp.asarray([[0.3, -1.2, 2.0], [0.7, 1.5, -0.4]])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tnp.sum(eval(case["expr"], {"tnp": tnp, "x": x}))  # noqa: S307
    _check(tape.gradient(y, x), case["out"], case["expr"])


def test_tnp_traces_in_tf_function_once(numpy_behavior):
    @tf.function
    def f(x, idx):
        y = tnp.sin(x).reshape(-1).astype(tnp.float32)
        return tnp.sum(y) + tnp.mean(x.T), x[x > 0], x[:, idx], tnp.clip(x, 0, 1)

    x = tnp.asarray([[1., 2.], [3., -4.]])
    for value, idx in ((x, [1, 0]), (-x, [0, -1])):
        got = f(value, tf.constant(idx))
        np.testing.assert_allclose(got[0], np.sin(value).sum() + np.mean(value), rtol=1e-6)
        np.testing.assert_array_equal(got[1], np.asarray(value)[np.asarray(value) > 0])
        np.testing.assert_array_equal(got[2], np.asarray(value)[:, idx])
        np.testing.assert_array_equal(got[3], np.clip(value, 0, 1))
    assert f.experimental_get_tracing_count() == 1


def test_modes():
    with pytest.raises(ValueError, match="promotion mode bogus does not exist"):
        tnp.experimental_enable_numpy_behavior(dtype_conversion_mode="bogus")


def test_numpy_methods_hint_until_enabled():
    t = tf.constant([[1, 2]])
    with pytest.raises(AttributeError, match="experimental_enable_numpy_behavior"):
        t.astype(tf.float32)
    assert not hasattr(t, "T") and hasattr(t, "ndim")
    tnp.experimental_enable_numpy_behavior()
    try:
        assert t.T.shape == (2, 1) and t.size == 2
    finally:
        _behavior.disable()
    assert not hasattr(t, "reshape")


UNKNOWN_DIMS = ["tnp.diagonal(x)", "tnp.diag(x[0], -1)", "tnp.tril(x)", "tnp.triu(x, 1)",
                "tnp.tile(x, 2)", "tnp.trace(x)", "tnp.size(x)", "tnp.clip(x, 0., 1.)",
                "tnp.std(x, 0)", "tnp.cumsum(x)", "tnp.split(x, [1], 1)", "tnp.moveaxis(x, 0, 1)",
                "tnp.roll(x, 1)", "tnp.average(x, 1)", "tnp.take(x, [0, 1], axis=1)"]


@pytest.mark.parametrize("expr", UNKNOWN_DIMS)
def test_traces_with_unknown_dimensions_as_numpy_computes(expr):
    value = np.arange(12.).reshape(4, 3) - 5
    f = tf.function(lambda x: eval(expr, {"tnp": tnp, "x": x}),  # noqa: S307
                    input_signature=[tf.TensorSpec([None, 3], tf.float64)])
    got = f(tf.constant(value))
    want = eval(expr, {"tnp": np, "x": value})  # noqa: S307
    for g, w in zip(tf.nest.flatten(got), tf.nest.flatten(want)):
        np.testing.assert_allclose(np.asarray(g), w, err_msg=expr)


def test_per_example_gradients_and_batch_jacobian(numpy_behavior):
    tnp.random.seed(3)
    w = (tnp.random.randn(4, 5).astype(tnp.float32), tnp.random.randn(5, 2).astype(tnp.float32))

    def predict(x):
        return tnp.matmul(tnp.maximum(tnp.matmul(x, w[0]), 0), w[1])

    def grads(x, y):
        with tf.GradientTape() as tape:
            tape.watch(w)
            loss = tnp.sum(tnp.square(predict(x) - y))
        return tape.gradient(loss, w)

    x = tnp.random.randn(6, 4).astype(tnp.float32)
    y = tnp.random.randn(6, 2).astype(tnp.float32)
    one = lambda a: grads(tnp.expand_dims(a[0], 0), tnp.expand_dims(a[1], 0))  # noqa: E731
    per_example = tf.function(lambda x, y: tf.vectorized_map(one, (x, y)))(x, y)
    mapped = tf.map_fn(one, (x, y), fn_output_signature=(tf.float32, tf.float32))
    assert [p.shape for p in per_example] == [(6, 4, 5), (6, 5, 2)]
    for p, m, total in zip(per_example, mapped, grads(x, y)):
        np.testing.assert_allclose(p, m, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(tnp.sum(p, 0), total, rtol=1e-5, atol=1e-5)
    with tf.GradientTape() as tape:
        tape.watch(x)
        out = predict(x)
    jac = tape.batch_jacobian(out, x)
    assert jac.shape == (6, 2, 4) and isinstance(jac, tnp.ndarray)
    relu = (np.asarray(x) @ np.asarray(w[0]) > 0).astype(np.float32)
    want = np.einsum("ij,bj,jk->bki", np.asarray(w[0]), relu, np.asarray(w[1]))
    np.testing.assert_allclose(jac, want, rtol=1e-5, atol=1e-6)


# tnp's values against NumPy's own for axis, offset and shape arguments (dtypes are TF's, in the
# fixture above). tnp.clip is TF's clip_by_value where a_min > a_max, so it is left out here.
AS_NUMPY = [
    "kron(a, b)", "kron(c, a)", "cross(a[:, :3], b[:3])", "tensordot(c, a, [[1, 2], [0, 1]])",
    "inner(c, b)", "dot(c, b)", "dot(c, a.T)", "matmul(c, a.T)", "matmul(b, a.T)",
    "moveaxis(c, [0, 2], [2, 0])", "swapaxes(c, 0, -1)", "rot90(c, 1, (1, 2))", "rot90(a, -3)",
    "diagonal(c, 1, 0, 2)", "diagonal(c, -1, 2, 1)", "trace(c, 0, 1, 2)",
    "take_along_axis(c, np.argsort(c, 0), 0)", "take(c, [[0, 1], [1, 0]], axis=2)",
    "compress([1, 0, 1], c, axis=1)", "append(c, c, axis=2)", "split(c, [1, 3], axis=2)",
    "vsplit(c, 2)", "dstack([a, a])", "hstack([c, c])", "tile(b, (2, 1, 2))",
    "repeat(c, [1, 2, 0], axis=1)", "roll(c, -2)", "roll(c, 1, axis=2)", "flip(c, (0, 2))",
    "pad(c, [[0, 1], [1, 0], [2, 2]], 'reflect')", "pad(a, [[1, 1], [2, 2]], 'symmetric')",
    "diff(c, 2, axis=0)", "cumsum(c, 1)", "cumprod(i)", "nansum(c, 1, keepdims=True)",
    "var(c, (0, 2))", "std(c, 1)", "mean(i, 0)", "ptp(c, 2)", "average(c, 1, [1., 2., 3.])",
    "average(c, None, np.ones_like(c))", "amax(c, (0, 2))", "argmax(c, 2)", "argmin(c)",
    "sort(c, 0)", "argsort(c, None)", "count_nonzero(i, 1)", "where(c > 0, c, a)",
    "select([c > 0, c < -1], [c, a], 5.)", "polyval(b, a)", "vander(b, 5, True)",
    "tri(3, 5, -1)", "tril(c, -1)", "triu(c, 2)", "eye(3, 5, -2)", "diag(b, 2)",
    "diagflat(a, -1)", "logaddexp2(a, b)", "hypot(c, b)", "heaviside(a, 0.5)",
    "float_power(np.abs(a), b)", "fix(c * 3)", "around(c, 2)", "around(i, -1)", "sinc(c)",
    "cbrt(c)", "exp2(a)", "log2(np.abs(a))", "isclose(a, a + 1e-7)", "gcd(i, 6)", "lcm(i, 4)",
    "floor_divide(i, 3)", "mod(i, -3)", "remainder(c, 0.7)", "divmod(i, 4)", "signbit(c)",
    "nonzero(i)", "ix_([0, 2], [1, 3])", "meshgrid(b, b[:2], indexing='ij')",
    "broadcast_arrays(a, b)", "atleast_3d(b)", "atleast_2d(c)", "linspace(a[0], b, 3, axis=1)",
    "geomspace(1., 256., 9)", "logspace(0., 2., 3, base=2.)", "reshape(c, (4, -1), order='F')",
    "squeeze(c[:1])", "expand_dims(c, -1)", "arange(2.5, 7.1, 1.2)", "arange(10, 1, -3)",
    "full((2, 2), [1, 2])", "full_like(a, 3)", "einsum('ijk,kj->i', c, a.T)", "outer(a, b)",
    "vdot(a, a)", "prod(i, 1)", "all(i, 0)", "any(c > 2)",
]


@pytest.mark.parametrize("expr", AS_NUMPY)
def test_values_as_numpy(expr, numpy_behavior):
    rng = np.random.default_rng(0)
    scope = {"np": np, "a": rng.normal(size=(3, 4)), "b": rng.normal(size=(4,)),
             "c": rng.normal(size=(2, 3, 4)), "i": rng.integers(-5, 9, size=(3, 4))}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = eval("tnp." + expr, dict(scope, tnp=tnp))  # noqa: S307
    want = eval("np." + expr, scope)  # noqa: S307
    pairs = zip(got, want) if isinstance(want, (tuple, list)) else [(got, want)]
    for g, w in pairs:
        assert np.shape(g) == np.shape(w), expr
        np.testing.assert_allclose(np.asarray(g), w, rtol=1e-7, atol=1e-12, err_msg=expr)


INDEX_KEYS = [
    "(1, (0, 0, 1), [0, 1, 1])", "(slice(None), (True, False, True))",
    "([1, 0], slice(None), [2, 3])", "(Ellipsis, [1, -1])", "(v > 50,)",
    "(1, v[0, :, :, 0] > 5)", "(1, slice(1, 3), [[0, 1], [2, 3]])",
    "(slice(None), [0, 2], [1, 3])", "([0], [1], [2], [3])",
    "(slice(None, None, -1), [2, 0], slice(1, 4, 2))", "([1, 0], Ellipsis, [4, 0])",
    "(np.array([[0, 1], [1, 0]]),)", "(slice(None), slice(None), [True, False, True, False])",
    "(Ellipsis, v[0, 0] > 7)", "([1, 0], 2)", "(0, Ellipsis, [1, 2])",
]


@pytest.mark.parametrize("key", INDEX_KEYS)
def test_numpy_indexing_as_numpy(key, numpy_behavior):
    v = np.arange(120).reshape(2, 3, 4, 5)
    k = eval(key, {"v": v, "np": np})  # noqa: S307
    tensor_key = tuple(tf.constant(i) if isinstance(i, np.ndarray) else i for i in k)
    got = tf.constant(v)[tensor_key]
    assert got.shape == v[k].shape
    np.testing.assert_array_equal(got, v[k])


def test_numpy_indexing_by_unknown_tensors_traces_once(numpy_behavior):
    v = np.arange(120).reshape(2, 3, 4, 5)
    f = tf.function(lambda x, i, j: x[1, i, ..., j])
    for i, j in (([0, 0, 1], [0, 1, 4]), ([2, 1, 0], [3, 3, -1])):
        np.testing.assert_array_equal(f(tf.constant(v), tf.constant(i), tf.constant(j)),
                                      v[1, i, ..., j])
    assert f.experimental_get_tracing_count() == 1
