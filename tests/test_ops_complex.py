"""Complex numbers end to end: tf.complex/real/imag/conj/angle/abs and TF's gradient convention
(spec 7.2), checked against TensorFlow 2.21."""

import numpy as np
import pytest

import tapeflow as tf

from grad_helpers import grads


def close(t, expected, dtype=None):
    if dtype is not None:
        assert t.dtype is dtype
    np.testing.assert_allclose(np.asarray(t), expected, rtol=1e-7, equal_nan=True)


def test_spec_7_2_numbers():
    close(grads(lambda z: z * z, 1 + 2j)[0], 2 - 4j, tf.complex128)
    close(grads(lambda z: tf.abs(z) ** 2, 3 + 4j)[0], 6 + 8j, tf.complex128)
    z = tf.constant(0.1j)
    with tf.GradientTape() as tape:
        tape.watch(z)
        y = z * z
    close(tape.gradient(y, z, output_gradients=tf.constant(1 + 0j)), -0.2j)


def test_complex_construction():
    c = tf.complex(tf.constant([1., 2.]), tf.constant(3.))
    close(c, [1 + 3j, 2 + 3j], tf.complex64)
    close(tf.complex(tf.constant(1., tf.float64), tf.constant(2., tf.float64)), 1 + 2j,
          tf.complex128)
    assert tf.complex(0., np.inf).numpy() == complex(0, np.inf)  # no nan from inf * 1j
    with pytest.raises(TypeError, match=r"The `real` and `imag` components have incorrect types: "
                                        r"float64 float32\. They must be consistent"):
        tf.complex(tf.constant(1., tf.float64), 2.)
    with pytest.raises(TypeError, match="int32 int32"):
        tf.complex(tf.constant(1), tf.constant(2))


def test_parts_of_complex_and_real_tensors():
    z = tf.constant([3 + 4j, 0j, -1 - 1j], tf.complex64)
    close(tf.math.real(z), [3., 0., -1.], tf.float32)
    close(tf.math.imag(z), [4., 0., -1.], tf.float32)
    close(tf.math.angle(z), [0.9272952079772949, 0.0, -2.356194496154785], tf.float32)
    close(tf.abs(z), [5., 0., 1.4142135381698608], tf.float32)
    close(tf.math.conj(z), [3 - 4j, 0j, -1 + 1j], tf.complex64)
    assert tf.abs(tf.constant([1j], tf.complex128)).dtype is tf.float64
    r = tf.constant([1., -2., 0.])
    assert tf.math.real(r) is r
    assert tf.math.conj(r) is r
    close(tf.math.imag(r), [0., 0., 0.], tf.float32)
    close(tf.math.angle(r), [0., np.pi, 0.], tf.float32)
    close(tf.math.conj([1., 2.]), [1., 2.], tf.float32)
    close(tf.math.conj(tf.constant([1])), [1], tf.int32)
    for bad in (tf.constant([True]), tf.constant(["a"])):
        with pytest.raises(TypeError, match="Expected numeric or variant tensor"):
            tf.math.conj(bad)
    with pytest.raises(TypeError, match="Cannot convert 3.14159"):
        tf.math.angle(tf.constant([1, -2]))


def test_gradients_of_parts():
    close(grads(tf.abs, [3 + 4j, 0j])[0], [0.6 + 0.8j, 0j])  # 0 at the origin (spec 7.1)
    close(grads(tf.math.angle, [3 + 4j, 0j])[0], [-0.16 + 0.12j, complex(np.nan, np.nan)])
    close(grads(tf.math.real, [3 + 4j])[0], [1 + 0j])
    close(grads(tf.math.imag, [3 + 4j])[0], [1j])
    close(grads(lambda z: tf.math.conj(z) * (1 + 2j), [3 + 4j])[0], [1 + 2j])
    assert grads(tf.math.imag, [3.]) == [None]
    assert grads(tf.math.angle, [3., -1.]) == [None]
    ga, gb = grads(lambda a, b: tf.abs(tf.complex(a, b)) ** 2, [3., 1.], [4., 2.])
    close(ga, [6., 2.], tf.float32)
    close(gb, [8., 4.], tf.float32)
    ga, gb = grads(tf.complex, [3., 1.], 4.)
    close(gb, 0., tf.float32)


def test_real_sources_get_the_real_part_in_their_dtype():
    close(grads(lambda x: tf.math.imag(tf.cast(x, tf.complex128) * (1 + 2j)), [1.])[0], [2.],
          tf.float32)
    close(grads(lambda x: tf.math.real(tf.exp(tf.complex(x, x))), [1.])[0],
          [-0.8186613321304321], tf.float32)
    close(grads(lambda x: tf.complex(x, x) * (1 + 2j), [1.])[0], [-1.], tf.float32)


def test_holomorphic_gradients_match_tf():
    close(grads(tf.sqrt, [3 + 4j])[0], [0.2 + 0.1j])
    close(grads(tf.exp, [1 + 1j])[0], [1.4686939399158851 - 2.2873552871788423j])
    close(grads(lambda z: tf.reduce_sum(z * z), [1 + 1j, 2j])[0], [2 - 2j, -4j])
    close(grads(tf.math.atanh, [0.5 + 0.5j])[0], [0.8 - 0.4j])
    close(grads(tf.math.asin, [0.5 + 0.5j])[0], [0.920442065259926 - 0.21728689675164015j])
    close(tf.math.acosh(tf.constant([0.5 + 0j])), [1.0471975511965976j])
    close(tf.math.log(tf.constant([-1 + 0j, 0j])), [np.pi * 1j, complex(-np.inf, 0)])
