"""``tf.math``'s remaining special functions, written with NumPy and the math module only (no
SciPy): erfinv/ndtri/erfcinv, the modified Bessel functions I0, I1 and their exponentially
scaled forms, the regularized incomplete gamma and beta functions, and Hurwitz's zeta.

Everything is evaluated in float64 and rounded to the input's dtype. Gradients follow TF's:
``igamma``/``igammac`` with respect to ``a`` through ``IgammaGradA`` (extrapolated central
differences; first order only, as TF's), ``betainc`` only with respect to ``x`` (TF: ``None``
for ``a``, ``b``), ``zeta`` only with respect to ``q`` (TF: ``None`` for ``x``).
"""

import math

import numpy as np

from ..engine.core import apply, batched, no_gradient, primitive
from . import _k
from ._helpers import REAL, binary_op, operands, tensor, unary_op
from .math_ops import EXP, LOG, RECIPROCAL, SIGN, SQUARE, WHERE
from .special_ops import LGAMMA, _hurwitz_zeta64

_SQRT_PI_2 = math.sqrt(math.pi) / 2


def _in64(fn):
    def forward(*xs):
        dtype = np.result_type(*xs)
        with np.errstate(all="ignore"):
            out = fn(*(np.asarray(x, np.float64) for x in xs))
        return np.asarray(out, np.float64).astype(dtype)
    return forward


_erf = np.vectorize(math.erf, otypes=[np.float64])


def _erfinv64(y):
    # Winitzki's closed-form start, then Newton steps on erf(z) = y.
    a = 0.147
    ln = np.log1p(-y * y)
    t = 2 / (np.pi * a) + ln / 2
    z = np.sign(y) * np.sqrt(np.sqrt(t * t - ln / a) - t)
    inside = np.abs(y) < 1
    z = np.where(inside, z, 0.0)
    for _ in range(4):
        z = z - np.where(inside, (_erf(z) - y) / (2 / np.sqrt(np.pi) * np.exp(-z * z)), 0.0)
    return np.where(np.abs(y) == 1, np.sign(y) * np.inf, np.where(inside, z, np.nan))


ERFINV = primitive("Erfinv", _in64(_erfinv64), save=("output",)).defvjp(
    lambda g, ans, x: g * (_SQRT_PI_2 * EXP(SQUARE(ans))))
erfinv = unary_op(ERFINV, REAL)


def ndtri(x, name=None):
    """``tf.math.ndtri``: the standard normal quantile, sqrt(2) erfinv(2x - 1)."""
    x = tensor(x)
    return math.sqrt(2.0) * erfinv(2.0 * x - 1.0)


def erfcinv(x, name=None):
    """``tf.math.erfcinv``: -ndtri(x / 2) / sqrt(2)."""
    x = tensor(x)
    return -ndtri(0.5 * x) * math.sqrt(0.5)


# --- modified Bessel functions of the first kind ------------------------------------------------

def _ive64(nu, x):
    """I_nu(x) exp(-|x|) for nu in (0, 1): power series for |x| <= 30, else the asymptotic
    expansion."""
    ax = np.abs(x)
    small = ax <= 30
    xs = np.where(small, ax, 0.0)
    term = (xs / 2) ** nu / math.factorial(nu)
    total = term.copy()
    for k in range(1, 120):
        term = term * (xs / 2) ** 2 / (k * (k + nu))
        total = total + term
    series = total * np.exp(-xs)
    xl = np.where(small, 1.0, ax)
    mu = 4.0 * nu * nu
    term = np.ones_like(xl)
    acc = term.copy()
    for k in range(1, 30):
        term = term * -(mu - (2 * k - 1) ** 2) / (k * 8 * xl)
        acc = acc + term
    asym = acc / np.sqrt(2 * np.pi * xl)
    out = np.where(small, series, asym)
    return out * np.sign(x) if nu == 1 else out


BESSEL_I0E = primitive("BesselI0e", _in64(lambda x: _ive64(0, x)), save=("inputs", "output"))
BESSEL_I1E = primitive("BesselI1e", _in64(lambda x: _ive64(1, x)), save=("inputs", "output"))
BESSEL_I0 = primitive("BesselI0", _in64(lambda x: _ive64(0, x) * np.exp(np.abs(x))),
                      save=("inputs",))
BESSEL_I1 = primitive("BesselI1", _in64(lambda x: _ive64(1, x) * np.exp(np.abs(x))),
                      save=("inputs", "output"))


def _safe(x):
    return WHERE(x == _k.zeros_like(x), _k.ones_like(x), x)


BESSEL_I0.defvjp(lambda g, ans, x: g * BESSEL_I1(x))
BESSEL_I0E.defvjp(lambda g, ans, x: g * (BESSEL_I1E(x) - SIGN(x) * ans))
BESSEL_I1.defvjp(lambda g, ans, x: g * WHERE(
    x == _k.zeros_like(x), 0.5 * _k.ones_like(x), BESSEL_I0(x) - ans * RECIPROCAL(_safe(x))))
BESSEL_I1E.defvjp(lambda g, ans, x: g * WHERE(
    x == _k.zeros_like(x), 0.5 * _k.ones_like(x),
    BESSEL_I0E(x) - ans * (SIGN(x) + RECIPROCAL(_safe(x)))))
bessel_i0 = unary_op(BESSEL_I0, REAL)
bessel_i0e = unary_op(BESSEL_I0E, REAL)
bessel_i1 = unary_op(BESSEL_I1, REAL)
bessel_i1e = unary_op(BESSEL_I1E, REAL)


# --- incomplete gamma and beta ------------------------------------------------------------------

def _gamma_p_scalar(a, x):
    """Regularized lower incomplete gamma P(a, x) (series, or 1 - continued fraction)."""
    if math.isnan(a) or math.isnan(x) or a <= 0 or x < 0:
        return math.nan
    if x == 0:
        return 0.0
    if math.isinf(x):
        return 1.0
    log_front = -x + a * math.log(x) - math.lgamma(a)
    if x < a + 1:
        term = total = 1.0 / a
        n = a
        for _ in range(2000):
            n += 1
            term *= x / n
            total += term
            if abs(term) < abs(total) * 1e-17:
                break
        return total * math.exp(log_front)
    # Q(a, x) by Lentz's continued fraction
    tiny = 1e-300
    b = x + 1 - a
    c = 1 / tiny
    d = 1 / b
    h = d
    for i in range(1, 2000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-16:
            break
    return 1.0 - math.exp(log_front) * h


_gamma_p = np.vectorize(_gamma_p_scalar, otypes=[np.float64])


def _gamma_p_da(a, x):
    """dP(a, x)/da by Richardson-extrapolated central differences in float64 (error ~1e-11)."""
    a, x = np.broadcast_arrays(np.asarray(a, np.float64), np.asarray(x, np.float64))
    h = 1e-3 * np.maximum(np.abs(a), 1.0)
    h = np.minimum(h, 0.5 * a)  # stay inside a > 0

    def central(step):
        return (_gamma_p(a + step, x) - _gamma_p(a - step, x)) / (2 * step)
    return (4 * central(h / 2) - central(h)) / 3


# TF's IgammaGradA has no gradient of its own: second derivatives in ``a`` raise LookupError.
IGAMMA_GRAD_A = no_gradient(primitive("IgammaGradA", _in64(_gamma_p_da), save=()))


def gamma_density(a, x):
    """The Gamma(a, 1) density at x (for gradient rules)."""
    return EXP(-x + (a - 1.0) * LOG(x) - LGAMMA(a))


IGAMMA = primitive("Igamma", _in64(_gamma_p), save=("inputs",)).defvjp(
    lambda g, ans, a, x: g * IGAMMA_GRAD_A(a, x), lambda g, ans, a, x: g * gamma_density(a, x))
IGAMMAC = primitive("Igammac", _in64(lambda a, x: 1.0 - _gamma_p(a, x)), save=("inputs",))
IGAMMAC.defvjp(lambda g, ans, a, x: -g * IGAMMA_GRAD_A(a, x),
               lambda g, ans, a, x: -g * gamma_density(a, x))
igamma = binary_op(IGAMMA, REAL)
igammac = binary_op(IGAMMAC, REAL)


def _beta_cf(a, b, x):
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1, a - 1
    c, d = 1.0, 1 - qab * x / qap
    d = 1 / (tiny if abs(d) < tiny else d)
    h = d
    for m in range(1, 3000):
        m2 = 2 * m
        for an in (m * (b - m) * x / ((qam + m2) * (a + m2)),
                   -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))):
            d = 1 + an * d
            d = 1 / (tiny if abs(d) < tiny else d)
            c = 1 + an / c
            c = tiny if abs(c) < tiny else c
            h *= d * c
        if abs(d * c - 1) < 1e-16:
            break
    return h


def _betainc_scalar(a, b, x):
    if math.isnan(a + b + x) or a <= 0 or b <= 0 or x < 0 or x > 1:
        return math.nan
    if x in (0.0, 1.0):
        return x
    log_front = (math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x)
                 + b * math.log1p(-x))
    if x < (a + 1) / (a + b + 2):
        return math.exp(log_front) * _beta_cf(a, b, x) / a
    return 1 - math.exp(log_front) * _beta_cf(b, a, 1 - x) / b


_betainc = np.vectorize(_betainc_scalar, otypes=[np.float64])

BETAINC = primitive("Betainc", _in64(_betainc), save=("inputs",)).defvjp(
    lambda g, ans, a, b, x: None, lambda g, ans, a, b, x: None,
    lambda g, ans, a, b, x: g * EXP((a - 1.0) * LOG(x) + (b - 1.0) * LOG(1.0 - x)
                                    + LGAMMA(a + b) - LGAMMA(a) - LGAMMA(b)))


def betainc(a, b, x, name=None):
    """``tf.math.betainc``: the regularized incomplete beta function I_x(a, b)."""
    a, x = operands(a, x, "Betainc")
    b, x = operands(b, x, "Betainc")
    return apply(BETAINC, (a, b, x), {})


def _zeta64(s, q):
    out = _hurwitz_zeta64(s, q)
    return np.where(s == 1, np.inf, np.where(s < 1, np.nan, out))


ZETA = primitive("Zeta", _in64(_zeta64), save=("inputs",)).defvjp(
    lambda g, ans, x, q: None, lambda g, ans, x, q: g * -x * ZETA(x + 1.0, q))
zeta = binary_op(ZETA, REAL)

EXPORTS = {
    "math": ["erfinv", "ndtri", "erfcinv", "bessel_i0", "bessel_i0e", "bessel_i1", "bessel_i1e",
             "sobol_sample",
             "igamma", "igammac", "betainc", "zeta"],
}

# Elementwise rules broadcast from the right, so extra leading cotangent axes pass through.
batched(ERFINV, BESSEL_I0, BESSEL_I0E, BESSEL_I1, BESSEL_I1E, IGAMMA, IGAMMAC, BETAINC, ZETA)


# --- Sobol sequences -----------------------------------------------------------------------------

# (degree s, polynomial coefficients a, initial direction numbers m) of dimensions 2..21, from
# Joe and Kuo's published table (the one TF uses); dimension 1 is the van der Corput sequence.
_SOBOL = ((1, 0, (1,)), (2, 1, (1, 3)), (3, 1, (1, 3, 1)), (3, 2, (1, 1, 1)),
          (4, 1, (1, 1, 3, 3)), (4, 4, (1, 3, 5, 13)), (5, 2, (1, 1, 5, 5, 17)),
          (5, 4, (1, 1, 5, 5, 5)), (5, 7, (1, 1, 7, 11, 19)), (5, 11, (1, 1, 5, 1, 1)),
          (5, 13, (1, 1, 1, 3, 11)), (5, 14, (1, 3, 5, 5, 31)), (6, 1, (1, 3, 3, 9, 7, 49)),
          (6, 13, (1, 1, 1, 15, 21, 21)), (6, 16, (1, 3, 1, 13, 27, 49)),
          (6, 19, (1, 1, 1, 15, 7, 5)), (6, 22, (1, 3, 1, 15, 13, 25)),
          (6, 25, (1, 1, 5, 5, 19, 61)), (7, 1, (1, 3, 7, 11, 23, 15, 103)),
          (7, 4, (1, 3, 7, 13, 13, 15, 69)))
_SOBOL_BITS = 32


def _sobol_directions(d):
    if d == 0:
        return [1 << (_SOBOL_BITS - k) for k in range(1, _SOBOL_BITS + 1)]
    s, a, m = _SOBOL[d - 1]
    v = [m[k] << (_SOBOL_BITS - 1 - k) for k in range(s)]
    for k in range(s, _SOBOL_BITS):
        x = v[k - s] ^ (v[k - s] >> s)
        for j in range(1, s):
            if (a >> (s - 1 - j)) & 1:
                x ^= v[k - j]
        v.append(x)
    return v


def sobol_sample(dim, num_results, skip=0, dtype=None, name=None):
    """``tf.math.sobol_sample``: ``[num_results, dim]`` points of the Sobol sequence (Gray-code
    order, the all-zero point left out), after skipping ``skip``; up to 21 dimensions."""
    from ..framework import dtypes
    from ..framework.tensor import wrap
    dim, n, skip = int(np.asarray(dim)), int(np.asarray(num_results)), int(np.asarray(skip))
    if dim < 1:
        from ..framework import errors
        raise errors.op_error("SobolSample", "dim must be at least one",
                              kernel=True)
    if dim > len(_SOBOL) + 1:
        raise NotImplementedError(f"tapeflow's Sobol table covers {len(_SOBOL) + 1} dimensions"
                                  f" (TF's covers 1111); got dim={dim}")
    v = np.array([_sobol_directions(d) for d in range(dim)], np.uint64)
    x = np.zeros(dim, np.uint64)
    out = np.empty((n, dim))
    for i in range(n + skip):
        c = 0
        while (i >> c) & 1:
            c += 1
        x ^= v[:, c]
        if i >= skip:
            out[i - skip] = x / 2.0 ** _SOBOL_BITS
    np_dtype = dtypes.as_dtype(dtype or dtypes.float32)._np
    return wrap(out.astype(np_dtype))
