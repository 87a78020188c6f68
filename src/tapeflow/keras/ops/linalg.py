"""``keras.ops.linalg``: Keras 3's linear algebra over tapeflow's ``tf.linalg``."""

import numpy as _np

import tapeflow as _tf

from ._base import make_symbolic as _make_symbolic
from ._base import floating as _floating
from ._base import promote as _promote
from ._base import tensor as _t


def _square(x):
    x = _floating(x)
    if x.shape.rank < 2 or x.shape[-1] != x.shape[-2]:
        raise ValueError("Input must be a square matrix (or a batch of them). Received: "
                         f"x.shape={tuple(x.shape)}")
    return x


def cholesky(x, upper=False):
    lower = _tf.linalg.cholesky(_square(x))
    return _tf.linalg.adjoint(lower) if upper else lower


def cholesky_inverse(x, upper=False):
    factor = _square(x)
    lower = _tf.linalg.adjoint(factor) if upper else factor
    eye = _tf.eye(lower.shape[-1], batch_shape=lower.shape[:-2], dtype=lower.dtype)
    return _tf.linalg.cholesky_solve(lower, eye)


def det(x):
    return _tf.linalg.det(_square(x))


def eig(x):
    return _tf.linalg.eig(_square(x))


def eigh(x):
    return _tf.linalg.eigh(_square(x))


def inv(x):
    return _tf.linalg.inv(_square(x))


def solve(a, b):
    a, b = _promote(_floating(a), _floating(b))
    return _tf.linalg.solve(a, b)


def solve_triangular(a, b, lower=False):
    a, b = _promote(_floating(a), _floating(b))
    vector = b.shape.rank == a.shape.rank - 1
    out = _tf.linalg.triangular_solve(a, _tf.expand_dims(b, -1) if vector else b, lower=lower)
    return _tf.squeeze(out, -1) if vector else out


def lstsq(a, b, rcond=None):
    a, b = _promote(_floating(a), _floating(b))
    vector = b.shape.rank == 1
    out = _tf.linalg.matmul(_tf.linalg.pinv(a, rcond=rcond),
                            _tf.expand_dims(b, -1) if vector else b)
    return _tf.squeeze(out, -1) if vector else out


def lu_factor(x):
    lu, pivots = _tf.linalg.lu(_square(x))
    return lu, pivots


def matrix_rank(x, tol=None):
    return _tf.cast(_tf.linalg.matrix_rank(_floating(x), tol=tol), "int32")


def pinv(x, rcond=None):
    return _tf.linalg.pinv(_floating(x), rcond=1e-15 if rcond is None else rcond)


def qr(x, mode="reduced"):
    if mode not in ("reduced", "complete"):
        raise ValueError("`mode` argument value not supported. Expected one of "
                         f"{{'reduced', 'complete'}}. Received: mode={mode}")
    return _tf.linalg.qr(_floating(x), full_matrices=mode == "complete")


def svd(x, full_matrices=True, compute_uv=True):
    x = _floating(x)
    if not compute_uv:
        return _tf.linalg.svd(x, full_matrices=full_matrices, compute_uv=False)
    s, u, v = _tf.linalg.svd(x, full_matrices=full_matrices)
    return u, s, _tf.linalg.adjoint(v)


def norm(x, ord=None, axis=None, keepdims=False):
    x = _floating(x)
    rank = x.shape.rank
    if axis is None:
        axis = tuple(range(rank))
    elif isinstance(axis, int):
        axis = (axis,)
    axis = tuple(a % rank for a in axis)
    if len(axis) == 1:
        a = axis[0]
        if ord is None or ord == 2:
            out = _tf.sqrt(_tf.reduce_sum(_tf.square(_tf.abs(x)), axis=a, keepdims=keepdims))
        elif ord == _np.inf:
            out = _tf.reduce_max(_tf.abs(x), axis=a, keepdims=keepdims)
        elif ord == -_np.inf:
            out = _tf.reduce_min(_tf.abs(x), axis=a, keepdims=keepdims)
        elif ord == 0:
            out = _tf.reduce_sum(_tf.cast(_tf.not_equal(x, 0), x.dtype), axis=a,
                                 keepdims=keepdims)
        elif isinstance(ord, str):
            raise ValueError(f"Invalid `ord` argument for vector norm. Received: ord={ord}")
        else:
            out = _tf.pow(_tf.reduce_sum(_tf.pow(_tf.abs(x), float(ord)), axis=a,
                                         keepdims=keepdims), 1.0 / ord)
        return out
    if len(axis) != 2:
        raise ValueError(f"Invalid axis for norm: {axis}")
    r, c = axis
    if ord is None or ord == "fro":
        return _tf.sqrt(_tf.reduce_sum(_tf.square(_tf.abs(x)), axis=list(axis),
                                       keepdims=keepdims))
    if ord in (1, -1):
        sums = _tf.reduce_sum(_tf.abs(x), axis=r, keepdims=True)
        pick = _tf.reduce_max if ord == 1 else _tf.reduce_min
        out = pick(sums, axis=c, keepdims=True)
    elif ord in (_np.inf, -_np.inf):
        sums = _tf.reduce_sum(_tf.abs(x), axis=c, keepdims=True)
        pick = _tf.reduce_max if ord == _np.inf else _tf.reduce_min
        out = pick(sums, axis=r, keepdims=True)
    elif ord in (2, -2, "nuc"):
        moved = _tf.transpose(x, [i for i in range(rank) if i not in axis] + [r, c])
        s = _tf.linalg.svd(moved, compute_uv=False)
        out = _tf.reduce_sum(s, -1) if ord == "nuc" else \
            _tf.reduce_max(s, -1) if ord == 2 else _tf.reduce_min(s, -1)
        if keepdims:
            out = _tf.expand_dims(_tf.expand_dims(out, min(axis)), max(axis))
        return out
    else:
        raise ValueError(f"Invalid `ord` argument for matrix norm. Received: ord={ord}")
    return out if keepdims else _tf.squeeze(out, axis=list(axis))


def jvp(fun, primals, tangents, has_aux=False):
    """``(fun(*primals), J @ tangents)`` (and ``aux``), by forward-mode autodiff."""
    primals = [_t(p) for p in primals]
    tangents = [_t(t) for t in tangents]
    with _tf.autodiff.ForwardAccumulator(primals, tangents) as acc:
        out = fun(*primals)
        aux = None
        if has_aux:
            out, aux = out
    jv = _tf.nest.map_structure(lambda o: acc.jvp(o, unconnected_gradients="zero"), out)
    return (out, jv, aux) if has_aux else (out, jv)


_make_symbolic(globals())
