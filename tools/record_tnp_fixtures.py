"""Record what TF 2.21's tf.experimental.numpy returns for a broad set of calls.

    /work/tfenv/bin/python tools/record_tnp_fixtures.py

Writes tests/fixtures/tnp/calls.json: per expression (evaluated with ``tnp``, ``np`` and ``tf``
bound, NumPy behaviour on; then with prefer_float32, with
dtype_conversion_mode='off', and tnp.random's dtypes and shapes) the dtype, shape and
values of each returned tensor, or the exception type. tests/test_tnp.py replays them.
"""

import json
import pathlib

import numpy as np
import tensorflow as tf
import tensorflow.experimental.numpy as tnp

OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "tnp" / "calls.json"

A = "tnp.asarray([[1., -2.5, 3.], [4., 0.5, -6.]], tnp.float32)"
I = "tnp.asarray([[3, -1, 4], [1, 5, -9]], tnp.int32)"  # noqa: E741
V = "tnp.asarray([0.25, 0.5, 0.75], tnp.float64)"

CALLS = [
    "tnp.asarray(1)", "tnp.asarray(1.)", "tnp.asarray(True)", "tnp.asarray([1, 2.5])",
    "tnp.asarray(np.float32(2))", "tnp.asarray([[1, 2], [3, 4]], dtype=tnp.float32)",
    "tnp.array([1, 2], ndmin=3)", "tnp.array(1j)", "tnp.copy([1., 2.])",
    "tnp.zeros([2, 3])", "tnp.ones(3, tnp.int32)", "tnp.empty([2])", "tnp.eye(3, 4, 1)",
    "tnp.identity(2, tnp.int32)", "tnp.full([2, 2], 7)", "tnp.full([2], 1.5, tnp.float32)",
    f"tnp.zeros_like({I})", f"tnp.ones_like({A}, tnp.float64)", f"tnp.full_like({I}, 2.7)",
    f"tnp.empty_like({A})",
    "tnp.arange(5)", "tnp.arange(1, 4, 0.5)", "tnp.arange(5, dtype=tnp.float32)",
    "tnp.arange(10, 2, -3)", "tnp.linspace(0, 1, 5)", "tnp.linspace(0, 1, 4, endpoint=False)",
    "tnp.logspace(0, 2, 3)",
    "tnp.geomspace(1, 1000, 4)", "tnp.tri(3, 4, 1)", "tnp.tril(tnp.ones([3, 3]))",
    "tnp.triu(tnp.ones([3, 4]), 1)", "tnp.diag([1, 2, 3], 1)",
    f"tnp.diag({I})", f"tnp.diagonal({A})", "tnp.diagflat([[1, 2], [3, 4]])",
    "tnp.diag_indices(3)", "tnp.vander([1, 2, 3])", "tnp.vander([1., 2.], 3, True)",
    "tnp.meshgrid([1, 2], [3, 4, 5])", "tnp.ix_([0, 1], [2, 4])",
    # elementwise
    *[f"tnp.{f}({A})" for f in ("abs", "absolute", "ceil", "floor", "fix", "sign", "square",
                                "negative", "positive", "reciprocal", "fabs", "signbit",
                                "isfinite", "isnan", "isinf", "round", "cbrt", "conj", "real",
                                "imag", "angle", "sinc", "deg2rad", "rad2deg", "exp", "exp2",
                                "expm1", "sin", "cos", "tan", "sinh", "cosh", "tanh", "arctan",
                                "arcsinh")],
    *[f"tnp.{f}({V})" for f in ("log", "log2", "log10", "log1p", "sqrt", "arcsin", "arccos",
                                "arctanh")],
    *[f"tnp.{f}({I})" for f in ("abs", "ceil", "floor", "sign", "square", "sqrt", "exp",
                                "negative", "bitwise_not", "isnan", "sin", "fix")],
    "tnp.arccosh([1., 2., 3.])", "tnp.isneginf(tnp.asarray([-np.inf, 1, np.inf]))",
    "tnp.isposinf(tnp.asarray([-np.inf, 1, np.inf]))", "tnp.around([1.234, 5.678], 1)",
    "tnp.angle([1+1j, -1.])", "tnp.real([1+2j])",
    "tnp.imag([1+2j])", "tnp.iscomplex([1+1j, 1.])", "tnp.isreal([1+1j, 1.])",
    "tnp.iscomplexobj([1j])", "tnp.isrealobj(1.)", "tnp.isscalar(3.)", "tnp.isscalar([3.])",
    *[f"tnp.{f}({A}, {I})" for f in ("add", "subtract", "multiply", "divide", "true_divide",
                                     "power", "maximum", "minimum", "arctan2", "hypot",
                                     "logaddexp", "logaddexp2", "equal", "not_equal", "less",
                                     "less_equal", "greater", "greater_equal", "heaviside",
                                     "float_power", "nextafter", "mod", "floor_divide")],
    *[f"tnp.{f}({I}, 2)" for f in ("add", "multiply", "divide", "floor_divide", "mod",
                                   "remainder", "power", "maximum", "bitwise_and", "bitwise_or",
                                   "bitwise_xor", "gcd", "lcm", "divmod")],
    f"tnp.add({I}, 1.5)", f"tnp.add({A}, 1.5)", f"tnp.multiply({A}, 2)", "tnp.add(1, 2)",
    "tnp.add(1., 2.)", "tnp.add([True, False], [True, True])",
    "tnp.multiply([True, False], [True, True])", "tnp.divide(1, 2)",
    "tnp.logical_and([1, 0], [1, 1])", "tnp.logical_or([0, 0], [1, 0])",
    "tnp.logical_xor([1, 0], [1, 1])", "tnp.logical_not([0., 2.])",
    "tnp.gcd([12, 18], [8, 27])", "tnp.lcm([4, 6], [6, 8])",
    f"tnp.clip({A}, -1, 2)", f"tnp.clip({I}, 0, None)", f"tnp.clip({I}, 0.5, 2.5)",
    f"tnp.isclose({A}, {A} + 1e-9)", "tnp.allclose([1., 2.], [1., 2.000001])",
    "tnp.array_equal([1, 2], [1, 2])", "tnp.array_equal([1, 2], [1, 2, 3])",
    f"tnp.where({A} > 0, {A}, 0)", f"tnp.where({I})", f"tnp.where({I} > 0, 1., {I})",
    "tnp.select([tnp.asarray([True, False]), tnp.asarray([False, True])], [1, 2.5], 9)",
    # linear algebra
    f"tnp.matmul({A}, tnp.transpose({A}))", "tnp.matmul([1, 2], [[1, 2], [3, 4]])",
    "tnp.matmul([1., 2.], [3., 4.])", f"tnp.dot({A}, [1., 2., 3.])", "tnp.dot(2, [1, 2])",
    f"tnp.dot({A}, tnp.ones([3, 2]))", f"tnp.tensordot({A}, {A}, [[1], [1]])",
    f"tnp.inner({A}, {A})", "tnp.outer([1, 2], [3., 4., 5.])", "tnp.vdot([1, 2], [3, 4])",
    "tnp.kron([[1, 2], [3, 4]], [[1, 0], [0, 1]])", "tnp.cross([1, 2, 3], [4, 5, 6])",
    "tnp.cross([1, 2], [4, 5, 6])", "tnp.einsum('ij,jk->ik', [[1, 2]], [[3.], [4.]])",
    "tnp.polyval([1, 2, 3], [0., 1., 2.])", f"tnp.trace({I})", f"tnp.trace({A}, 1)",
    # reductions
    *[f"tnp.{f}({A})" for f in ("sum", "prod", "mean", "std", "var", "amax", "amin", "max",
                                "min", "ptp", "all", "any", "count_nonzero", "argmax",
                                "argmin", "cumsum", "cumprod", "average", "nansum", "nanprod",
                                "nanmean", "sort", "argsort")],
    *[f"tnp.{f}({I}, axis=1)" for f in ("sum", "prod", "mean", "std", "var", "amax", "amin",
                                        "ptp", "all", "any", "count_nonzero", "argmax",
                                        "argmin", "cumsum", "cumprod", "sort", "argsort")],
    f"tnp.sum({I}, axis=0, keepdims=True)", f"tnp.sum({A}, dtype=tnp.int32)",
    f"tnp.sum({I}, axis=(0, 1))", f"tnp.mean({I})", f"tnp.var({A}, axis=0)",
    f"tnp.average({A}, axis=1, weights=[1., 2., 3.])", "tnp.average([1, 2, 3], returned=True)",
    "tnp.nansum([1., np.nan, 2.])", "tnp.nanmean([1., np.nan, 2.])",
    "tnp.nanprod([3., np.nan, 2.])", "tnp.sum([True, True, False])",
    "tnp.cumsum([True, True])", "tnp.prod(tnp.asarray([2, 3], tnp.int8))",
    "tnp.sum(tnp.asarray([2, 3], tnp.uint8))", "tnp.diff([1, 4, 9, 16])",
    f"tnp.diff({I}, 2, axis=1)",
    # shapes
    f"tnp.shape({A})", f"tnp.ndim({A})", f"tnp.size({A})", f"tnp.size({A}, 1)",
    f"tnp.reshape({A}, [3, 2])", f"tnp.reshape({A}, -1, order='F')", f"tnp.ravel({I})",
    f"tnp.flatten({I})", f"tnp.transpose({A})", "tnp.transpose(tnp.ones([2, 3, 4]), (1, 0, 2))",
    "tnp.swapaxes(tnp.ones([2, 3, 4]), 0, 2)", "tnp.moveaxis(tnp.ones([2, 3, 4]), 0, -1)",
    "tnp.moveaxis(tnp.ones([2, 3, 4]), [0, 1], [-1, -2])", f"tnp.expand_dims({A}, 1)",
    "tnp.squeeze(tnp.ones([1, 2, 1]))", "tnp.squeeze(tnp.ones([1, 2, 1]), 2)",
    "tnp.atleast_1d(1.)", "tnp.atleast_2d([1, 2])", "tnp.atleast_3d([[1, 2]])",
    "tnp.atleast_1d(1, [2, 3])", "tnp.broadcast_to([1, 2], [3, 2])",
    "tnp.broadcast_arrays([1, 2], [[3], [4]])",
    f"tnp.concatenate([{A}, {I}])", f"tnp.concatenate([{A}, {A}], axis=None)",
    f"tnp.append({I}, [7, 8])", f"tnp.append({I}, {I}, axis=1)", f"tnp.stack([{A}, {I}], 1)",
    "tnp.hstack([[1, 2], [3.]])", "tnp.vstack([[1, 2], [3, 4]])", "tnp.dstack([[1, 2], [3, 4]])",
    "tnp.hstack([[[1], [2]], [[3], [4]]])",
    "tnp.split(tnp.arange(6), 3)", "tnp.split(tnp.arange(6), [1, 4])",
    "tnp.hsplit(tnp.ones([2, 4]), 2)", "tnp.vsplit(tnp.ones([4, 2]), [1])",
    "tnp.dsplit(tnp.ones([1, 2, 4]), 2)", f"tnp.tile({I}, 2)", "tnp.tile([1, 2], [2, 2])",
    f"tnp.repeat({I}, 2)", f"tnp.repeat({I}, [1, 2], axis=0)", f"tnp.flip({A})",
    f"tnp.flip({A}, 1)", f"tnp.fliplr({A})", f"tnp.flipud({A})", f"tnp.rot90({I})",
    f"tnp.rot90({I}, 2)", f"tnp.rot90({I}, 3)", f"tnp.rot90({I}, -1)",
    f"tnp.roll({I}, 1)", f"tnp.roll({I}, -1, axis=1)",
    f"tnp.pad({I}, 1, 'constant')",
    f"tnp.pad({I}, [[0, 1], [2, 0]], 'constant', constant_values=9)",
    f"tnp.pad({I}, [[1, 1], [1, 1]], 'reflect')", f"tnp.pad({I}, [[1, 1], [1, 1]], 'symmetric')",
    f"tnp.pad({I}, 1)",
    f"tnp.take({I}, [0, 5])", f"tnp.take({I}, [2, 0], axis=1)", f"tnp.take({I}, [7, -1])",
    f"tnp.take_along_axis({I}, tnp.argsort({I}, axis=1), axis=1)",
    f"tnp.take_along_axis({I}, tnp.asarray([[0], [2]]), axis=1)",
    f"tnp.compress([True, False, True], {I}, axis=1)", f"tnp.compress([0, 1], {I})",
    f"tnp.nonzero({I})", "tnp.nonzero([0, 3, 0, 4])",
    # dtypes
    "tnp.result_type(tnp.int32, tnp.float32)", "tnp.result_type(1, 2.)",
    "tnp.result_type(tnp.asarray(1, tnp.int8), 1.)", "tnp.promote_types(tnp.int8, tnp.uint8)",
    "tnp.issubdtype(tnp.float32, tnp.inexact)", "tnp.issubdtype(tnp.int32, tnp.inexact)",
    "tnp.finfo(tnp.float32).eps", "tnp.iinfo(tnp.int8).max",
    "[tnp.e, tnp.pi, tnp.inf, tnp.newaxis]",
    # bad input
    "tnp.reshape(tnp.ones([2, 3]), [4])", "tnp.matmul(1., 2.)", "tnp.concatenate([])",
    "tnp.where([True], 1)", "tnp.select([True], [1, 2])", "tnp.clip(1, None, None)",
    "tnp.random.seed('a')", "tnp.split(tnp.arange(5), 2)", "tnp.add([1, 2], [1, 2, 3])",
    "tnp.linspace(0, 1, -1)", "tnp.arange(0, 5, 0)", "tnp.swapaxes(tnp.ones([2]), 0, 3)",
    "tnp.sum(tnp.ones([2]), axis=3)", "tnp.diag(tnp.ones([2, 2, 2]))",
    "tnp.take(tnp.arange(3), [5], mode='raise')", "tnp.transpose(tnp.ones([2, 3]), [0])",
]

NUMPY_BEHAVIOR = [
    "tnp.asarray(1, tnp.int32) + tnp.asarray(1., tnp.float32)",
    "tnp.asarray(1, tnp.int64) + tnp.asarray(1., tnp.float32)",
    "tnp.asarray(1, tnp.int32) * tnp.asarray(2, tnp.int64)",
    "tf.constant([1, 2]) + 1.5", "tf.constant([1., 2.]) + 1", "tf.constant([1., 2.]) / 2",
    "tf.constant([1, 2]) / tf.constant([2, 2])", "tf.constant([1, 2]) < 1.5",
    "tf.constant([1., 2.]) + np.ones([2])", "2 ** tf.constant([1, 2])",
    "tf.constant([1, 2], tf.int32) @ tf.constant([[1.], [2.]], tf.float32)",
    f"{A}.T", f"{A}.ndim", f"{A}.size", f"{A}.reshape(3, 2)", f"{A}.reshape([-1])",
    f"{A}.reshape((3, 2))", f"{A}.astype(tnp.int32)", f"{A}.clip(0, 1)", f"{A}.ravel()",
    f"{A}.flatten()", f"{A}.transpose()", f"{A}.tolist()", f"{A}.max()", f"{A}.mean()",
    f"{A}.min(axis=0)", f"+{A}", f"round({V})",
    "tnp.arange(24).reshape(2, 3, 4)[1, tnp.newaxis, 1:3, ...]",
    "tnp.arange(24).reshape(2, 3, 4)[:, (True, False, True)]",
    "tnp.arange(24).reshape(2, 3, 4)[1, (0, 0, 1), tnp.asarray([0, 1, 1])]",
    "tnp.arange(12).reshape(3, 4)[[2, 0]]", "tnp.arange(12).reshape(3, 4)[:, [1, 3]]",
    "tnp.arange(12).reshape(3, 4)[tnp.arange(12).reshape(3, 4) > 6]",
    "tnp.asarray(1.).dtype", "tnp.add(1., 2.).dtype",
    "tf.Variable([1., 2.]) + 1", "tf.Variable([1., 2.]) * tf.constant(2)",
    "tf.Variable([[1., 2.]]).T", "tf.Variable([1., 2.])[[1, 0]]", "1.5 - tf.Variable([1, 2])",
    "tf.Variable([1, 2]) @ tf.constant([1., 2.])", "tf.Variable([[1., 2.]]).reshape(2, 1)",
]

# Recorded after experimental_enable_numpy_behavior(prefer_float32=True).
PREFER_FLOAT32 = [
    "tnp.asarray(1.)", "tnp.asarray([1, 2.5])", "tnp.add(1., 2.)", "tnp.ones([2])",
    "tnp.zeros(2)", "tnp.eye(2)", "tnp.arange(0., 1., 0.5)", "tnp.linspace(0, 1, 3)",
    "tnp.sqrt(4)", "tnp.mean([1, 2])", "tnp.divide(1, 2)", "tnp.asarray(1j)",
    "tnp.full([2], 1.5)", "tf.constant([1, 2]) + 1.5", "tnp.result_type(1, 1.)",
    "tnp.asarray(np.float64(1.))", "tnp.random.randn(2).dtype", "tnp.exp2(3)",
]

# Recorded after experimental_enable_numpy_behavior(dtype_conversion_mode="off").
CONVERSION_OFF = [
    "tf.constant(1) + tf.constant(1.)", "tf.constant([1., 2.]).T",
    "tf.constant([[1., 2.], [3., 4.]])[:, [1, 0]]", "tnp.asarray(1.)", "tf.constant(1) + 2",
]

# Draws differ from TF's: only dtypes and shapes are compared (recorded with legacy mode).
RANDOM = [
    "tnp.random.randn(2, 3)", "tnp.random.rand(3)", "tnp.random.random([2])",
    "tnp.random.standard_normal(4)", "tnp.random.standard_normal()", "tnp.random.uniform()",
    "tnp.random.uniform(1, 2, [3])", "tnp.random.uniform([0., 1.], 2.)",
    "tnp.random.randint(5, size=[2, 2])", "tnp.random.randint(1, 3, 4, tnp.int32)",
    "tnp.random.poisson(3., [2])", "tnp.random.seed(1)",
]

# d sum(f(x)) / dx at X, under GradientTape (TF's tnp is differentiable; so must tapeflow's be).

GRADIENTS = [
    "tnp.sin(x) * tnp.exp(x)", "tnp.sqrt(tnp.abs(x) + 1)", "tnp.log1p(tnp.square(x))",
    "tnp.matmul(x, tnp.transpose(x))", "tnp.dot(x, tnp.ones([3]))", "tnp.tanh(x).T",
    "tnp.mean(x, axis=0)", "tnp.std(x, axis=1)", "tnp.var(x)", "tnp.prod(x, axis=0)",
    "tnp.cumsum(x, axis=1)", "tnp.cumprod(x, axis=1)", "tnp.amax(x, axis=1)", "tnp.clip(x, -1, 1)",
    "tnp.where(x > 0, x, 2 * x)", "tnp.maximum(x, 0.5)", "tnp.power(tnp.abs(x), 1.5)",
    "tnp.logaddexp(x, 1.)", "tnp.hypot(x, 2.)", "tnp.arctan2(x, 2.)", "tnp.sinc(x)",
    "tnp.reshape(x, [3, 2]) * tnp.asarray([1., 2.])", "tnp.concatenate([x, 2 * x], 1)",
    "tnp.stack([x, x * x])", "tnp.tile(x, [2, 1])", "tnp.repeat(x, 2, axis=0)",
    "tnp.flip(x, 1) * tnp.arange(3.)", "tnp.roll(x, 1) * tnp.arange(6.).reshape(2, 3)",
    "tnp.pad(x, [[1, 0], [0, 2]], 'constant') ** 2", "tnp.take(x, [0, 2, 2], axis=1) ** 2",
    "tnp.take_along_axis(x, tnp.asarray([[2], [0]]), axis=1) ** 2", "tnp.diagonal(x) ** 3",
    "tnp.trace(x) ** 2", "tnp.outer(x[0], x[1])", "tnp.kron(x, x)", "tnp.tensordot(x, x, 2)",
    "tnp.einsum('ij,ij->i', x, x)", "tnp.cross(x, x[::-1])", "tnp.diff(x ** 2, axis=1)",
    "tnp.average(x, axis=1, weights=[1., 2., 3.])", "tnp.polyval([1., 2., 3.], x)",
    "tnp.vander(x[0], 3)", "tnp.triu(tnp.outer(x[0], x[0]))",
    "tnp.sort(x, axis=1) * tnp.arange(3.)",
    "x[:, [2, 0]] ** 2", "x[x > 0] ** 2", "x[1, tnp.newaxis, ::2] ** 2",
]


def gradients():
    out = []
    for expr in GRADIENTS:
        x = tnp.asarray([[0.3, -1.2, 2.0], [0.7, 1.5, -0.4]])
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tnp.sum(eval(expr, {"tnp": tnp, "x": x}))  # noqa: S307
        out.append({"expr": expr, "out": encode(tape.gradient(y, x))})
    return out


def encode(value):
    if isinstance(value, (tuple, list)):
        return {"seq": [encode(v) for v in value], "kind": type(value).__name__}
    if isinstance(value, tf.Tensor):
        arr = value.numpy()
        return {"dtype": value.dtype.name, "shape": list(arr.shape), "value": plain(arr)}
    if isinstance(value, tf.DType):
        return {"tfdtype": value.name}
    if isinstance(value, type):
        return {"type": np.dtype(value).name}
    if isinstance(value, np.dtype):
        return {"type": value.name}
    if value is None:
        return {"none": True}
    return {"python": type(value).__name__, "value": plain(np.asarray(value))}


def plain(arr):
    if arr.dtype.kind == "c":
        return {"real": plain(arr.real), "imag": plain(arr.imag)}
    if arr.dtype.kind == "f":
        return np.where(np.isfinite(arr), arr, 0).tolist() if np.isfinite(arr).all() else \
            [repr(x) for x in arr.ravel().tolist()]
    return arr.tolist()


def record(expressions):
    out = []
    scope = {"tnp": tnp, "np": np, "tf": tf}
    for expr in expressions:
        try:
            out.append({"expr": expr, "out": encode(eval(expr, scope))})  # noqa: S307
        except Exception as e:  # noqa: BLE001
            out.append({"expr": expr, "error": type(e).__name__, "message": str(e)})
    return out


def main():
    # Several of TF's tnp functions call NumPy methods on tensors (x.astype) and fail until
    # NumPy behaviour is on, as the guide turns it on first: all calls are recorded with it.
    tnp.experimental_enable_numpy_behavior()
    data = {"tensorflow": tf.__version__, "calls": record(CALLS),
            "numpy_behavior": record(NUMPY_BEHAVIOR)}
    tnp.experimental_enable_numpy_behavior(prefer_float32=True)
    data["prefer_float32"] = record(PREFER_FLOAT32)
    tnp.experimental_enable_numpy_behavior(dtype_conversion_mode="off")
    data["conversion_off"] = record(CONVERSION_OFF)
    tnp.experimental_enable_numpy_behavior()
    data["random"] = record(RANDOM)
    data["gradients"] = gradients()
    for call in data["random"]:
        if "value" in call.get("out", {}):
            del call["out"]["value"]
    OUT.write_text(json.dumps(data, indent=None, separators=(",", ":")) + "\n")
    sections = [k for k in data if k not in ("tensorflow", "gradients")]
    errors = [c["expr"] for k in sections for c in data[k] if "error" in c]
    print(f"{sum(len(data[k]) for k in sections)} calls; errors: {errors}")


if __name__ == "__main__":
    main()
