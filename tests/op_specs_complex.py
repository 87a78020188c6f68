"""Op-table rows for complex inputs (TF's convention dL/dx + i dL/dy) and complex_ops.py."""

import numpy as np

import tapeflow as tf

from op_spec_base import BINARY, UNARY, OpSpec, per_arg, uniform


def complex_draw(re=(-2.0, 2.0), im=(-2.0, 2.0)):
    return lambda rng, shape, i: (rng.uniform(*re, size=shape) + 1j * rng.uniform(*im, size=shape))


def away_from_origin(lo=0.5, hi=2.0):
    """Moduli in [lo, hi] at any angle: keeps |z| and angle(z) smooth."""
    def draw(rng, shape, i):
        return rng.uniform(lo, hi, size=shape) * np.exp(1j * rng.uniform(-np.pi, np.pi, size=shape))
    return draw


RIGHT_HALF = complex_draw(re=(0.5, 2.0), im=(-1.5, 1.5))  # clear of the log/sqrt branch cut
SMALL = complex_draw(re=(-0.6, 0.6), im=(-0.6, 0.6))      # clear of the asin/atanh branch points
C = np.complex128


def _spec(name, fn, shapes=UNARY, draw=complex_draw(), **kw):
    return OpSpec(f"complex_{name}", fn, shapes, draw=draw, dtype=C, **kw)


SPECS = [
    _spec("exp", tf.math.exp, draw=complex_draw(im=(-1.0, 1.0))),
    _spec("log", tf.math.log, draw=RIGHT_HALF),
    _spec("sin", tf.math.sin, draw=complex_draw(im=(-1.0, 1.0))),
    _spec("cos", tf.math.cos, draw=complex_draw(im=(-1.0, 1.0))),
    _spec("tanh", tf.math.tanh, draw=SMALL),
    _spec("sqrt", tf.math.sqrt, draw=RIGHT_HALF),
    _spec("square", tf.math.square),
    _spec("asin", tf.math.asin, draw=SMALL),
    _spec("asinh", tf.math.asinh, draw=SMALL),
    _spec("acosh", tf.math.acosh, draw=complex_draw(re=(1.5, 2.5), im=(0.3, 1.0))),
    _spec("atanh", tf.math.atanh, draw=SMALL),
    _spec("multiply", tf.math.multiply, BINARY),
    _spec("add", tf.math.add, BINARY),
    _spec("truediv", tf.math.truediv, BINARY, draw=per_arg(complex_draw(), away_from_origin())),
    _spec("divide_no_nan", tf.math.divide_no_nan, [((2, 3), (3,))],
          draw=per_arg(complex_draw(), away_from_origin())),
    _spec("matmul", tf.linalg.matmul, [((2, 3), (3, 4)), ((2, 2, 3), (3, 4))]),
    _spec("reduce_sum", lambda z: tf.reduce_sum(z * z, axis=0), [((2, 3),)]),
    _spec("real", tf.math.real),
    _spec("imag", tf.math.imag),
    _spec("conj", tf.math.conj),
    _spec("abs", tf.math.abs, draw=away_from_origin()),
    _spec("abs_squared", lambda z: tf.math.abs(z) ** 2, draw=away_from_origin()),
    _spec("angle", tf.math.angle, draw=away_from_origin()),
    _spec("euclidean_norm", lambda z: tf.abs(tf.math.reduce_euclidean_norm(z, axis=1)),
          [((2, 3),)], draw=away_from_origin()),
    _spec("reduce_variance", lambda z: tf.math.reduce_variance(z, axis=0), [((3, 2),)]),
    # Real inputs feeding complex ops: the gradient is the real part, in the source's dtype.
    OpSpec("complex_from_parts", tf.complex, BINARY),
    OpSpec("real_through_complex", lambda x: tf.math.real(tf.exp(tf.complex(x, 2.0 * x))),
           draw=uniform(-1.0, 1.0)),
]
