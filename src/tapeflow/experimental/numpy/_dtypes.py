"""tnp's dtype rules: NumPy's promotion (Python scalars weak), float64 for Python floats unless
``prefer_float32`` is set, results as tapeflow DTypes."""

import numbers

import numpy as np

import tapeflow as tf

CONFIG = {"prefer_float32": False, "numpy_behavior": False, "promote": False, "mode": "off"}


def _leaves(x):
    if isinstance(x, (list, tuple)):
        for item in x:
            yield from _leaves(item)
    else:
        yield x


def _np_kind(x):
    """What np.result_type should see for ``x``: a dtype, or the Python scalar itself (weak)."""
    if isinstance(x, tf.DType):
        return x.as_numpy_dtype
    if isinstance(x, (tf.Tensor, tf.Variable)):
        return x.dtype.as_numpy_dtype
    # prefer_float32 reads Python float and complex values (np.float64 is a float) as 32-bit;
    # the Python types themselves (``float``, the creation functions' default) stay 64-bit.
    if isinstance(x, float) and CONFIG["prefer_float32"]:
        return np.float32
    if isinstance(x, complex) and CONFIG["prefer_float32"]:
        return np.complex64
    if isinstance(x, (bool, numbers.Number)) and not isinstance(x, np.generic):
        return x
    if isinstance(x, (np.ndarray, np.generic)):
        return x.dtype
    if isinstance(x, str):
        return np.dtype(x)
    return x


def np_result_type(*arrays_and_dtypes):
    kinds = [_np_kind(x) for x in _leaves(list(arrays_and_dtypes))]
    if not kinds:
        kinds = [np.asarray([])]
    return np.result_type(*kinds)


def result_type(*arrays_and_dtypes):
    """The dtype NumPy's promotion gives the arguments, as a NumPy type."""
    return np_result_type(*arrays_and_dtypes).type


def tnp_result_type(*arrays_and_dtypes):
    """``tnp.result_type``: the promoted dtype as a tf.DType."""
    return tf_dtype(result_type(*arrays_and_dtypes))


def tf_dtype(dtype):
    return dtype if isinstance(dtype, tf.DType) else tf.as_dtype(np.dtype(dtype).type)
