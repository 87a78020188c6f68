"""Complex numbers: ``tf.complex``, real and imaginary parts, conjugate, angle and modulus.

Gradients follow TF's convention (spec 7.2): for a real-valued function ``L`` of ``z = x + iy``
the gradient is ``dL/dx + i dL/dy``, so ``real``'s cotangent is ``complex(g, 0)`` and
``imag``'s is ``complex(0, g)``.
"""

import numpy as np

from ..engine.core import apply, primitive, quiet
from ..framework.tensor import convert_to_tensor
from . import _k
from .math_ops import CONJ, RECIPROCAL, where
from .special_ops import DIV_NO_NAN
from ._helpers import tensor

_COMPLEX_OF = {np.dtype(np.float32): np.complex64, np.dtype(np.float64): np.complex128}


def _complex_forward(re, im):
    out = np.empty(np.broadcast_shapes(re.shape, im.shape), _COMPLEX_OF[re.dtype])
    # Assigned part by part: re + 1j * im would turn an infinite imaginary part into nan.
    out.real = re
    out.imag = im
    return out


COMPLEX = primitive("Complex", _complex_forward, save=()).defvjp(
    lambda g, ans, re, im: REAL(g),
    lambda g, ans, re, im: IMAG(g))

REAL = primitive("Real", lambda z: np.real(z).copy(), save=()).defvjp(
    lambda g, ans, z: COMPLEX(g, _k.zeros_like(g)))

IMAG = primitive("Imag", lambda z: np.imag(z).copy(), save=()).defvjp(
    lambda g, ans, z: COMPLEX(_k.zeros_like(g), g))


def _angle_grad(g, ans, z):
    # d angle = (-y dx + x dy) / |z|^2, i.e. -g / (y + ix); nan at z = 0 as in TF.
    return -COMPLEX(g, _k.zeros_like(g)) * RECIPROCAL(COMPLEX(IMAG(z), REAL(z)))


ANGLE = primitive("Angle", np.angle, save=("inputs",)).defvjp(_angle_grad)

COMPLEX_ABS = primitive("ComplexAbs", quiet(np.abs)).defvjp(
    # g * z / |z|, with 0 where z = 0 (spec 7.1).
    lambda g, ans, z: DIV_NO_NAN(COMPLEX(g, _k.zeros_like(g)) * z,
                                 COMPLEX(ans, _k.zeros_like(ans))))


def complex(real, imag, name=None):  # noqa: A001 - TF's name
    """``tf.complex``: float32 parts give complex64, float64 parts complex128 (broadcasting)."""
    re, im = convert_to_tensor(real), convert_to_tensor(imag)
    if re._value.dtype != im._value.dtype or re._value.dtype not in _COMPLEX_OF:
        raise TypeError(f"The `real` and `imag` components have incorrect types: {re.dtype.name} "
                        f"{im.dtype.name}. They must be consistent, and one of "
                        "[tf.float32, tf.float64]")
    return apply(COMPLEX, (re, im), {})


def _is_complex(x):
    return x._value.dtype.kind == "c"


def real(input, name=None):  # noqa: A002 - TF's name
    """``tf.math.real``: the real part; a real tensor is returned as it is."""
    x = tensor(input)
    return apply(REAL, (x,), {}) if _is_complex(x) else x


def imag(input, name=None):  # noqa: A002 - TF's name
    """``tf.math.imag``: the imaginary part; zeros (not connected) for a real tensor."""
    x = tensor(input)
    if _is_complex(x):
        return apply(IMAG, (x,), {})
    from .array_ops import zeros_like
    return zeros_like(x)


def conj(x, name=None):
    """``tf.math.conj``: the complex conjugate; a real or integer tensor is returned as it is."""
    x = tensor(x)
    if _is_complex(x):
        return apply(CONJ, (x,), {})
    if x._value.dtype.kind not in "fiu":
        raise TypeError(f"Expected numeric or variant tensor, got dtype {x.dtype!r}.")
    return x


def angle(input, name=None):  # noqa: A002 - TF's name
    """``tf.math.angle``: the argument of a complex tensor; pi for negative reals, else 0.

    For real input the result does not depend on ``input`` differentiably (gradient None)."""
    x = tensor(input)
    if _is_complex(x):
        return apply(ANGLE, (x,), {})
    if x._value.dtype.kind != "f":
        raise TypeError(f"Cannot convert {np.pi!r} to EagerTensor of dtype {x.dtype.name}")
    zero = _k.zeros_like(x)  # x's shape when a traced graph runs
    return where(x < 0, zero + np.pi, zero)


def complex_abs(x):
    """``tf.abs`` of a complex tensor (TF op ComplexAbs): a real tensor of the moduli."""
    return apply(COMPLEX_ABS, (tensor(x),), {})


EXPORTS = {
    "": ["complex"],
    "math": ["angle", "conj", "imag", "real"],
}
