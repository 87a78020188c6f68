"""The op table: one row per differentiable op, driving the automatic gradient checks.

Rows for the core ops are here; each op family adds its own file ``op_specs_<family>.py``
exposing ``SPECS``, collected below. ``test_op_gradients`` checks every row to second order
against finite differences in float64; ``test_registry_coverage`` fails when a registered
differentiable primitive is reached by no row.
"""

import importlib
import pathlib

import numpy as np  # noqa: F401

import tapeflow as tf

from op_spec_base import (  # noqa: F401
    BINARY, UNARY, OpSpec, away_from_zero, distinct, per_arg, uniform, _mask)

SPECS = [
    # --- elementwise unary ---------------------------------------------------------------------
    OpSpec("negative", tf.math.negative),
    OpSpec("abs", tf.math.abs, draw=away_from_zero()),
    OpSpec("sign", tf.math.sign, draw=away_from_zero()),
    OpSpec("square", tf.math.square),
    OpSpec("sqrt", tf.math.sqrt, draw=uniform(0.3, 3.0)),
    OpSpec("rsqrt", tf.math.rsqrt, draw=uniform(0.3, 3.0)),
    OpSpec("exp", tf.math.exp),
    OpSpec("expm1", tf.math.expm1),
    OpSpec("log", tf.math.log, draw=uniform(0.3, 3.0)),
    OpSpec("log1p", tf.math.log1p, draw=uniform(-0.5, 3.0)),
    OpSpec("reciprocal", tf.math.reciprocal, draw=away_from_zero(0.5, 2.0)),
    OpSpec("sin", tf.math.sin),
    OpSpec("cos", tf.math.cos),
    OpSpec("tan", tf.math.tan, draw=uniform(-1.0, 1.0)),
    OpSpec("tanh", tf.math.tanh),
    OpSpec("sinh", tf.math.sinh),
    OpSpec("cosh", tf.math.cosh),
    OpSpec("atan", tf.math.atan),
    OpSpec("sigmoid", tf.nn.sigmoid, draw=uniform(-4.0, 4.0)),
    OpSpec("softplus", tf.nn.softplus, draw=uniform(-4.0, 4.0)),
    OpSpec("relu", tf.nn.relu, draw=away_from_zero()),
    OpSpec("identity", tf.identity),
    OpSpec("check_numerics", lambda x: tf.debugging.check_numerics(x * x, "checked")),
    OpSpec("cast_through_complex", lambda x: tf.cast(tf.cast(x, tf.complex128) * (1 + 2j),
                                                     tf.float64)),
    # --- elementwise binary (broadcasting) ------------------------------------------------------
    OpSpec("add", tf.math.add, BINARY),
    OpSpec("subtract", tf.math.subtract, BINARY),
    OpSpec("multiply", tf.math.multiply, BINARY),
    OpSpec("truediv", tf.math.truediv, BINARY, draw=per_arg(uniform(-2, 2), away_from_zero(0.5, 2))),
    OpSpec("maximum", tf.math.maximum, BINARY, draw=distinct()),
    OpSpec("minimum", tf.math.minimum, BINARY, draw=distinct()),
    OpSpec("pow", tf.math.pow, BINARY, draw=per_arg(uniform(0.5, 2.0), uniform(-2.0, 2.0))),
    OpSpec("floormod", tf.math.floormod, BINARY, draw=per_arg(uniform(0.1, 0.9), uniform(1.1, 2.0))),
    OpSpec("where", lambda x, y: tf.where(_mask(x * y), x, y), BINARY),
    OpSpec("add_n", lambda x, y, z: tf.add_n([x, y, z]), [((2, 3), (2, 3), (2, 3))]),
    # --- linear algebra -------------------------------------------------------------------------
    OpSpec("matmul", tf.linalg.matmul, [((2, 3), (3, 4)), ((2, 2, 3), (3, 4)),
                                        ((1, 2, 3), (4, 3, 2))]),
    OpSpec("matmul_transpose_b", lambda a, b: tf.matmul(a, b, transpose_b=True),
           [((2, 3), (4, 3))]),
    # --- reductions and scans -------------------------------------------------------------------
    OpSpec("reduce_sum", lambda x: tf.reduce_sum(x), UNARY + [((2, 3, 4),)]),
    OpSpec("reduce_sum_axis", lambda x: tf.reduce_sum(x, axis=1, keepdims=True), [((2, 3, 4),)]),
    OpSpec("reduce_sum_axes", lambda x: tf.reduce_sum(x, axis=(0, -1)), [((2, 3, 4),)]),
    OpSpec("reduce_mean", lambda x: tf.reduce_mean(x, axis=0), [((2, 3),), ((4,),)]),
    OpSpec("reduce_max", lambda x: tf.reduce_max(x, axis=-1), [((2, 3),), ((4,),)],
           draw=distinct()),
    OpSpec("reduce_min", lambda x: tf.reduce_min(x, axis=0, keepdims=True), [((2, 3),)],
           draw=distinct()),
    OpSpec("reduce_prod", lambda x: tf.reduce_prod(x, axis=1), [((2, 3),), ((2, 3, 2),)],
           draw=away_from_zero(0.5, 1.5)),
    OpSpec("reduce_prod_all", lambda x: tf.reduce_prod(x), [((2, 3),)],
           draw=away_from_zero(0.5, 1.5)),
    OpSpec("cumsum", lambda x: tf.math.cumsum(x, axis=1, exclusive=True), [((2, 4),)]),
    OpSpec("cumsum_reverse", lambda x: tf.math.cumsum(x, axis=0, reverse=True), [((3, 2),)]),
    OpSpec("cumprod", lambda x: tf.math.cumprod(x, axis=1), [((2, 4),)],
           draw=away_from_zero(0.5, 1.5)),
    # --- shapes and slicing ---------------------------------------------------------------------
    OpSpec("reshape", lambda x: tf.reshape(x, (3, -1)), [((2, 3),), ((6,),)]),
    OpSpec("transpose", lambda x: tf.transpose(x, perm=(2, 0, 1)), [((2, 3, 4),)]),
    OpSpec("broadcast_to", lambda x: tf.broadcast_to(x, (2, 3)), [((3,),), ((2, 1),)]),
    OpSpec("expand_squeeze", lambda x: tf.squeeze(tf.expand_dims(x, 1) * 2.0), [((2, 3),)]),
    OpSpec("getitem", lambda x: x[1:, ::-2], [((3, 4),)]),
    OpSpec("getitem_newaxis", lambda x: x[..., None, 0], [((2, 3),)]),
    OpSpec("linspace", lambda a, b: tf.linspace(a, b, 5) ** 2, [((), ()), ((3,), (3,)), ((), (2,))]),
    OpSpec("linspace_axis", lambda a, b: tf.linspace(a, b, 4, axis=-1) ** 2, [((2,), (2,))]),
]


for _path in sorted(pathlib.Path(__file__).parent.glob("op_specs_*.py")):
    SPECS += importlib.import_module(_path.stem).SPECS
