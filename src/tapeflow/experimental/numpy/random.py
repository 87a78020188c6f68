"""``tnp.random``: draws from tapeflow's global random state, in tnp's default float type."""

import numpy as np

import tapeflow as tf

from ._dtypes import tf_dtype


def _size(size):
    if size is None:
        return ()
    return (size,) if isinstance(size, (int, np.integer)) else tuple(size)


def seed(s):
    try:
        s = int(s)
    except TypeError:
        raise ValueError(
            f"Argument `s` got an invalid value {s}. Only integers are supported.") from None
    tf.random.set_seed(s)


def standard_normal(size=None):
    return tf.random.normal(_size(size), dtype=tf_dtype(np.float64))


def randn(*args):
    return standard_normal(size=args)


def uniform(low=0.0, high=1.0, size=None):
    from ._core import asarray
    dtype = tf_dtype(np.float64)
    low, high = asarray(low, dtype), asarray(high, dtype)
    if size is None:
        size = tf.broadcast_static_shape(low.shape, high.shape)
    return tf.random.uniform(_size(size), minval=low, maxval=high, dtype=dtype)


def random(size=None):
    return uniform(0.0, 1.0, size)


def rand(*size):
    return uniform(0.0, 1.0, size)


def randint(low, high=None, size=None, dtype=np.int64):
    if high is None:
        low, high = 0, low
    dtype = np.dtype(dtype)
    if dtype.kind not in "iu":
        raise ValueError(f"Invalid dtype {dtype} for randint")
    return tf.random.uniform(_size(size), minval=low, maxval=high, dtype=tf_dtype(dtype))


def poisson(lam=1.0, size=None):
    return tf.random.poisson(_size(size), lam, dtype=tf.int64)
