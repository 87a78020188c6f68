"""Linear algebra products and diagonals: matmul, einsum, tensordot, diag, band_part, trace, norm.

Matrix products, einsum and tensordot, diagonals, bands and traces, norms; the solvers and
decompositions are in decomposition_ops. Each primitive sits beside its public function with TF's
gradient formula (TF's ``linalg_grad.py``). The rules are written with primitives and operators
only, so they run on raw arrays or on Tensors alike and are themselves differentiable (second order
and beyond).
"""

import collections
import functools
import math
import string

import numpy as np

from ..engine.core import apply, apply2, primitive
from ..framework import dtypes, errors
from ..framework.tensor import EagerTensor, Tensor, wrap
from ..framework.variable import Variable
from . import _k
from ._helpers import NUMERIC, check_kind, dtype_mismatch, operands
from ._helpers import tensor as _tensor
from .array_ops import (BROADCAST_TO, EXPAND_DIMS, RESHAPE, TRANSPOSE,
                        expand_dims, eye, squeeze, transpose)  # noqa: F401 (eye: tf.linalg.eye)
from . import math_ops
from .math_ops import WHERE
from .reduction_ops import reduce_max, reduce_sum

# --- helpers shared by the rules (dual-mode: arrays or Tensors) ----------------------------------


def _t(x):
    """Swap the last two axes."""
    if not isinstance(x, Tensor) and x.ndim == 2:
        return x.T  # a raw matrix (rules on arrays): the view directly
    nd = len(_k.shape_of(x))
    return TRANSPOSE(x, perm=tuple(range(nd - 2)) + (nd - 1, nd - 2))


def _adj(x):
    """The conjugate transpose of the last two axes."""
    return _k.conj(_t(x))


_MATMUL_T = ("bfloat16, half, float, double, int32, int64, uint8, uint16, uint32, uint64, "
             "complex64, complex128")
_MATMUL_CPU = ("DT_INT64", "DT_INT32", "DT_INT16", "DT_DOUBLE", "DT_FLOAT", "DT_BFLOAT16",
               "DT_HALF", "DT_COMPLEX128", "DT_COMPLEX64")


def _check_matmul_dtype(np_dtype):
    """TF's MatMul: int8/int16 are not in its op definition, unsigned types have no CPU kernel."""
    name = dtypes.from_numpy(np_dtype)._op_name
    if np_dtype in (np.int8, np.int16):
        dts = ", ".join("DT_" + n.upper() for n in _MATMUL_T.split(", "))
        raise errors.op_error("MatMul", f"Value for attr 'T' of {name} is not in the list of "
                              f"allowed values: {_MATMUL_T}\n\t; NodeDef: {{{{node MatMul}}}}; "
                              "Op<name=MatMul; signature=a:T, b:T -> product:T; "
                              "attr=transpose_a:bool,default=false; attr=transpose_b:bool,"
                              f"default=false; attr=T:type,allowed=[{dts}]; attr=grad_a:bool,"
                              "default=false; attr=grad_b:bool,default=false>")
    if np_dtype.kind == "u":
        cpu = "".join(f"  device='CPU'; T in [{t}]\n" for t in _MATMUL_CPU)
        raise errors.op_error("MatMul", "Could not find device for node: {{node MatMul}} = "
                              f"MatMul[T=DT_{name.upper()}, grad_a=false, grad_b=false, "
                              "transpose_a=false, transpose_b=false]\nAll kernels registered for "
                              "op MatMul:\n  device='XLA_CPU_JIT'; T in [DT_FLOAT, DT_DOUBLE, "
                              "DT_INT32, DT_COMPLEX64, DT_INT64, DT_BFLOAT16, DT_COMPLEX128, "
                              f"DT_HALF]\n{cpu}", cls=errors.NotFoundError)


def _shape_text(shape):
    return "[" + ",".join(str(int(d)) for d in shape) + "]"


# --- matmul, matvec ------------------------------------------------------------------------------

# Batch dimensions broadcast; the engine sums the cotangents back to each operand's shape.
# Extra leading cotangent axes (a vectorized jacobian's rows) broadcast through np.matmul too.
_HALF = np.dtype(np.float16)


def _matmul(a, b):
    if a.dtype is _HALF:  # float32 sums through BLAS, as TF's CPU kernel (NumPy's half
        return np.matmul(a.astype(np.float32), b.astype(np.float32)).astype(np.float16)  # loop)
    out = np.matmul(a, b)
    return out if out.dtype == a.dtype else out.astype(a.dtype)  # bfloat16 multiplies to float32


MATMUL = primitive("MatMul", _matmul, save=("inputs",), batched=True).defvjp(
    lambda g, ans, a, b: MATMUL(g, _adj(b)),
    lambda g, ans, a, b: MATMUL(_adj(a), g))
MATMUL.defjvp(lambda t, ans, a, b: MATMUL(t, b), lambda t, ans, a, b: MATMUL(a, t))


def _rank(x):
    if type(x) is EagerTensor:
        return x._value.ndim
    shape = getattr(x, "shape", None)
    return len(shape) if shape is not None else np.ndim(x)


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           a_is_sparse=False, b_is_sparse=False, output_type=None, grad_a=False, grad_b=False,
           name=None):
    """``tf.linalg.matmul`` / ``a @ b``: (batched) matrix product of rank >= 2 tensors.

    Batch dimensions broadcast (TF's BatchMatMulV2). ``adjoint_*`` conjugates as well as
    transposes; for real tensors it is the same as ``transpose_*``.
    """
    if not (transpose_a or transpose_b or adjoint_a or adjoint_b):
        if isinstance(a, Variable):  # read in operand order, as operands() would
            a = a._dense_read()
        if isinstance(b, Variable):
            b = b._dense_read()
    if type(a) is EagerTensor and type(b) is EagerTensor and not (
            transpose_a or transpose_b or adjoint_a or adjoint_b):
        va, vb = a._value, b._value  # the hot path: two valid matrices of one numeric dtype
        if (va.ndim == 2 and vb.ndim == 2 and va.shape[1] == vb.shape[0]
                and va.dtype is vb.dtype and va.dtype.kind in "fc"):
            return apply2(MATMUL, a, b)
    for flag, value in (("transpose_a", transpose_a), ("transpose_b", transpose_b),
                        ("adjoint_a", adjoint_a), ("adjoint_b", adjoint_b)):
        if not isinstance(value, bool | np.bool_ | int):
            raise TypeError(f"Expected bool for argument '{flag}' not {value!r}.")
    if transpose_a and adjoint_a:
        raise ValueError("Only one of transpose_a and adjoint_a can be True.")
    if transpose_b and adjoint_b:
        raise ValueError("Only one of transpose_b and adjoint_b can be True.")
    batched = _rank(a) > 2 or _rank(b) > 2
    op_type = "BatchMatMulV2" if batched else "MatMul"
    # TF's CPU build runs unbatched float32 products in oneDNN's _MklMatMul kernel, and its
    # errors name that kernel ("__MklMatMul" in the function-node prefix).
    mkl = not batched and isinstance(a, Tensor | Variable) and a.dtype is dtypes.float32
    a, b = operands(a, b, op_type, hint=True, kernel="_MklMatMul" if mkl else None)
    check_kind(a, NUMERIC, op_type)
    if not batched:
        _check_matmul_dtype(a._value.dtype)
    sa, sb = a._value.shape, b._value.shape
    kernel = None if batched else "__MklMatMul" if mkl else True
    for i, s in enumerate((sa, sb)):
        if len(s) < 2:
            raise errors.op_error(op_type, f"In[{i}] ndims must be >= 2" + (
                f": {len(s)}" if batched else ""), kernel=kernel)
    ka = sa[-2] if transpose_a or adjoint_a else sa[-1]
    kb = sb[-1] if transpose_b or adjoint_b else sb[-2]
    traced = _k.symbolic(a) or _k.symbolic(b)  # example sizes: the static shapes decide
    if ka != kb and not traced:
        raise errors.op_error(op_type, f"Matrix size-incompatible: In[0]: {_shape_text(sa)}, "
                              f"In[1]: {_shape_text(sb)}", kernel=kernel)
    if batched and not traced:
        try:
            np.broadcast_shapes(sa[:-2], sb[:-2])
        except ValueError:
            raise errors.op_error(op_type, f"In[0] and In[1] must have compatible batch "
                                  f"dimensions: {_shape_text(sa)} vs. {_shape_text(sb)}") from None
    if transpose_a or adjoint_a:
        a = matrix_transpose(a, conjugate=adjoint_a)
    if transpose_b or adjoint_b:
        b = matrix_transpose(b, conjugate=adjoint_b)
    return apply(MATMUL, (a, b), {})


def _as_row(v):
    """(..., n) -> (..., 1, n)."""
    return EXPAND_DIMS(v, axis=(-2,))


# A matrix times vectors, as one op: ``a`` (m, n) times ``x`` (..., n), computed as x @ a^T so
# that leading axes on x, a jacobian's batched cotangents included, make one GEMM, where matmul on
# an expanded vector would loop over them.
MATVEC = primitive("MatVec", lambda a, x: _matmul(x, np.swapaxes(a, -1, -2)), save=("inputs",),
                   batched=True).defvjp(
    lambda g, ans, a, x: EXPAND_DIMS(g, axis=(-1,)) * _k.conj(_as_row(x)),
    lambda g, ans, a, x: MATVEC(_adj(a), g))
MATVEC.defjvp(lambda t, ans, a, x: MATVEC(t, x), lambda t, ans, a, x: MATVEC(a, t))


def matvec(a, b, transpose_a=False, adjoint_a=False, a_is_sparse=False, b_is_sparse=False,
           name=None):
    """``tf.linalg.matvec``: ``a @ b`` for a (batch of) matrix ``a`` and vector ``b``."""
    a, b = operands(a, b, "MatMul")
    va, vb = a._value, b._value
    if va.ndim == 2 and vb.ndim == 1 and va.shape[1] == vb.shape[0] and not (
            transpose_a or adjoint_a):
        return apply(MATVEC, (a, b), {})
    out = matmul(a, expand_dims(b, -1), transpose_a=transpose_a, adjoint_a=adjoint_a)
    return squeeze(out, -1)


def matrix_transpose(a, name="matrix_transpose", conjugate=False):
    """``tf.linalg.matrix_transpose``: swap the last two axes (and conjugate if asked)."""
    a = _tensor(a)
    nd = a._value.ndim
    if nd < 2:
        raise ValueError(f"Argument `a` should be a (batch) matrix with rank >= 2.  Received `a` = "
                         f"{a} with shape: {a.shape}")
    return transpose(a, perm=tuple(range(nd - 2)) + (nd - 1, nd - 2), conjugate=conjugate)


def adjoint(matrix, name=None):
    """``tf.linalg.adjoint``: the conjugate transpose of the last two axes."""
    return matrix_transpose(matrix, conjugate=True)


# --- einsum ---------------------------------------------------------------------------------------

def _worth_optimizing(ins, xs):
    """NumPy's contraction-path search costs ~15us: pay it only where BLAS can win it back."""
    if len(xs) < 2:
        return False
    if len(xs) > 2:
        return True
    sizes = {}
    for sub, x in zip(ins.split(","), xs, strict=True):
        sizes.update(zip(sub, x.shape, strict=True))
    return math.prod(sizes.values()) > 4096


def _einsum_forward(*xs, equation):
    """``np.einsum``, plus what TF's kernel adds: a label repeated in the output (``i->ii``)
    inflates a diagonal. Gradients of diagonal-taking equations need exactly that."""
    if xs[0].dtype.kind == "V" or xs[0].dtype is _HALF:  # bfloat16 has no NumPy loop,
        # float16's is slow and sums in 16 bits: float32 (BLAS), rounded once, as TF's kernels
        return _einsum_forward(*[x.astype(np.float32) for x in xs],
                               equation=equation).astype(xs[0].dtype)
    ins, out = equation.split("->")
    kept = "".join(dict.fromkeys(out))
    optimize = _worth_optimizing(ins, xs)
    if kept == out:
        return np.einsum(equation, *xs, optimize=optimize)
    small = np.asarray(np.einsum(f"{ins}->{kept}", *xs, optimize=optimize))
    size = dict(zip(kept, small.shape, strict=True))
    full = np.zeros([size[c] for c in out], dtype=small.dtype)
    np.einsum(f"{out}->{kept}", full)[...] = small  # a writable view of the diagonal
    return full


def _einsum_grad(i, g, ans, *xs, equation):
    """The cotangent of operand ``i``: einsum of ``g`` with the other operands (conjugated).

    Labels only operand ``i`` has are summed in the forward pass: ``g`` is broadcast along them
    first (TF's ``_GetGradReduced``). Repeated labels inflate the diagonal again. Extra leading
    axes of ``g`` (a vectorized jacobian's rows) get labels of their own and are kept.
    """
    ins, out = equation.split("->")
    subs = ins.split(",")
    mine = subs[i]
    others = [k for k in range(len(subs)) if k != i]
    gshape = tuple(_k.shape_of(g))
    nbatch = len(gshape) - len(out)
    rows = "".join([c for c in _LETTERS if c not in equation][:nbatch])
    present = set(out).union(*(subs[k] for k in others))
    reduced = "".join(dict.fromkeys(c for c in mine if c not in present))
    shape = tuple(_k.shape_of(xs[i]))
    if reduced and _k.symbolic(xs[i]):  # a traced graph: the reduced sizes when it runs
        from .array_ops import BROADCAST_LIKE, EXPAND_DIMS
        like = EINSUM(xs[i], equation=f"{mine}->{reduced}")  # its shape: the reduced dims
        g = BROADCAST_LIKE(EXPAND_DIMS(g, axis=tuple(range(-len(reduced), 0))), like,
                           lead=len(gshape))
        out = out + reduced
    elif reduced:
        dims = tuple(shape[mine.index(c)] for c in reduced)
        lead, rest = gshape[:nbatch], gshape[nbatch:]
        g = BROADCAST_TO(RESHAPE(g, shape=lead + (1,) * len(reduced) + rest),
                         shape=lead + dims + rest)
        out = reduced + out
    eq = ",".join([rows + out] + [subs[k] for k in others]) + "->" + rows + mine
    grad = EINSUM(g, *[_k.conj(xs[k]) for k in others], equation=eq)
    have, want = tuple(_k.shape_of(grad)), gshape[:nbatch] + shape
    if have != want:  # an operand broadcast along an ellipsis axis of size 1
        full = np.broadcast_shapes(have, want)
        if full != have:
            grad = BROADCAST_TO(grad, shape=full)
    return grad


def _einsum_tangent(i, t, ans, *xs, equation):
    """Einsum is linear in each operand: the same einsum with operand ``i`` replaced by ``t``."""
    return EINSUM(*xs[:i], t, *xs[i + 1:], equation=equation)


class _PerOperand:
    """Einsum takes any number of operands: ``rules[i]`` is the rule for operand ``i``."""

    def __init__(self, rule):
        self.rule = rule

    def __getitem__(self, i):
        return lambda g, ans, *xs, equation: self.rule(i, g, ans, *xs, equation=equation)


EINSUM = primitive("Einsum", _einsum_forward, save=("inputs",), batched=True)
EINSUM.vjps = _PerOperand(_einsum_grad)
EINSUM.jvps = _PerOperand(_einsum_tangent)

_LETTERS = string.ascii_letters


@functools.lru_cache(maxsize=256)
def _parse_einsum(equation, shapes):
    """Resolve ``equation`` for operands of ``shapes`` into explicit labels (no ``...``, an
    explicit output). Ellipsis axes get fresh letters and may broadcast; named axes may not."""
    eq = equation.replace(" ", "")
    if "->" in eq:
        lhs, out = eq.split("->", 1)
        if "->" in out:
            raise ValueError(f"Subscripts have incorrect format: {equation}")
    else:
        lhs, out = eq, None
    subs = lhs.split(",")
    if len(subs) != len(shapes):
        raise ValueError(f"Got {len(shapes)} arguments for equation \"{equation}\", expecting "
                         f"{len(subs)}")
    for s in subs + ([out] if out is not None else []):
        rest = s.replace("...", "")
        if s.count("...") > 1 or any(c not in _LETTERS for c in rest):
            raise ValueError(f"Subscripts have incorrect format: {equation}")
    used = set(eq)
    spare = [c for c in _LETTERS if c not in used]
    ell_rank = 0
    for k, (s, shape) in enumerate(zip(subs, shapes, strict=True)):
        named = len(s.replace("...", ""))
        if "..." in s:
            ell_rank = max(ell_rank, len(shape) - named)
        if ("..." in s and len(shape) < named) or ("..." not in s and len(shape) != named):
            at_least = "at least " if "..." in s else ""
            raise errors.op_error("Einsum", f"Expected input {k} to have rank "
                                  f"{at_least}{named} but got: {len(shape)}", kernel=True)
    if ell_rank > len(spare):
        raise ValueError(f"Too many dimensions in einsum equation: {equation}")
    ell = "".join(spare[:ell_rank])
    resolved = []
    for s, shape in zip(subs, shapes, strict=True):
        if "..." in s:
            n = len(shape) - len(s.replace("...", ""))
            s = s.replace("...", ell[ell_rank - n:])
        resolved.append(s)
    if out is None:
        counts = collections.Counter("".join(subs).replace("...", ""))
        out = ell + "".join(sorted(c for c, n in counts.items() if n == 1))
    elif "..." in out:
        out = out.replace("...", ell)
    elif ell_rank:
        raise errors.op_error("Einsum", f"Output contains {ell_rank} broadcasting dimension(s) "
                              "but no ellipsis (...) was found in the output subscripts.",
                              kernel=True)
    # Sizes: named labels must agree exactly; ellipsis labels broadcast.
    sizes = {}
    for s, shape in zip(resolved, shapes, strict=True):
        for c, d in zip(s, shape, strict=True):
            prev = sizes.get(c)
            if prev is None or (c in ell and prev == 1):
                sizes[c] = d
            elif prev != d and not (c in ell and d == 1):
                raise errors.op_error(
                    "Einsum", f"Expected dimension {prev} at axis {s.index(c)} of the input "
                    f"shaped {_shape_text(shape)} but got dimension {d}", kernel=True)
    for c in out:
        if c not in sizes:
            raise ValueError(f"Output subscript contains the label '{c}' not present in the "
                             f"input subscripts: {equation}")
    return ",".join(resolved) + "->" + out


def einsum(equation, *inputs, **kwargs):
    """``tf.einsum`` / ``tf.linalg.einsum``: Einstein summation.

    Supports implicit outputs, ``...`` (broadcasting), repeated labels within an operand
    (``'ii->i'`` diagonals, ``'ii'`` traces, ``'bxby->bxy'``) and any number of operands. The
    gradient is an einsum itself, so derivatives of every order are available.
    """
    unknown = set(kwargs) - {"name", "optimize"}
    if unknown:
        raise TypeError(f"Invalid keyword arguments for this function: "
                        f"{', '.join(sorted(unknown))}. Expected: name, optimize")
    xs = [_tensor(x) for x in inputs]
    for k, x in enumerate(xs[1:], 1):
        if x._value.dtype != xs[0]._value.dtype:
            raise dtype_mismatch("Einsum", k, xs[0]._value.dtype, x._value.dtype)
    if xs:
        check_kind(xs[0], NUMERIC, "Einsum")
    resolved = _parse_einsum(equation, tuple(x._value.shape for x in xs))
    return apply(EINSUM, tuple(xs), {"equation": resolved})


def tensordot(a, b, axes, name=None):
    """``tf.tensordot``: contract ``axes`` of ``a`` with ``axes`` of ``b``.

    ``axes`` is an int N (the last N axes of ``a`` with the first N of ``b``) or a pair of
    axis lists (or of single ints).
    """
    a, b = operands(a, b, "MatMul")
    ra, rb = a._value.ndim, b._value.ndim
    if isinstance(axes, Tensor):
        axes = np.asarray(axes).tolist()
    if isinstance(axes, str | bytes | float):  # TF converts a scalar axes to int32 first
        raise TypeError(f"Cannot convert {axes!r} to EagerTensor of dtype int32")
    if isinstance(axes, int | np.integer):
        if axes < 0:
            raise ValueError(f"`axes` must be at least 0. Received: {axes}.")
        if axes > ra:
            raise ValueError(f"`axes` must not be larger than the number of dimensions of tensor "
                             f"{a}.  Received {axes}, vs tensor dimensions {ra}.")
        a_axes, b_axes = list(range(ra - axes, ra)), list(range(axes))
    else:
        if len(axes) != 2:
            raise ValueError(f"`axes` must be an integer or have length 2. Received {axes}.")
        a_axes, b_axes = axes
        a_axes = [a_axes] if isinstance(a_axes, int | np.integer) else list(a_axes)
        b_axes = [b_axes] if isinstance(b_axes, int | np.integer) else list(b_axes)
        if len(a_axes) != len(b_axes):
            raise ValueError(f"Different number of contraction axes `a` and `b`, "
                             f"{len(a_axes)} != {len(b_axes)}.")
    a_axes = [int(i) % ra for i in a_axes]
    b_axes = [int(i) % rb for i in b_axes]
    sha, shb = a._value.shape, b._value.shape
    if any(sha[i] != shb[j] for i, j in zip(a_axes, b_axes, strict=True)):
        # TF reshapes both to matrices (free x contracted) and lets MatMul complain.
        rows = math.prod(d for i, d in enumerate(sha) if i not in a_axes)
        cols = math.prod(d for j, d in enumerate(shb) if j not in b_axes)
        inner_a, inner_b = math.prod(sha[i] for i in a_axes), math.prod(shb[j] for j in b_axes)
        raise errors.op_error("MatMul", f"Matrix size-incompatible: In[0]: [{rows},{inner_a}], "
                              f"In[1]: [{inner_b},{cols}]", kernel=True)
    letters = iter(_LETTERS)
    sa = [next(letters) for _ in range(ra)]
    sb = [next(letters) for _ in range(rb)]
    for i, j in zip(a_axes, b_axes, strict=True):
        sb[j] = sa[i]
    out = [c for k, c in enumerate(sa) if k not in a_axes] + \
          [c for k, c in enumerate(sb) if k not in b_axes]
    eq = f"{''.join(sa)},{''.join(sb)}->{''.join(out)}"
    return apply(EINSUM, (a, b), {"equation": eq})


# --- diagonals, bands, traces ---------------------------------------------------------------------

def _diag_forward(d, k, num_rows, num_cols, padding_value):
    out = np.full(d.shape[:-1] + (num_rows, num_cols), padding_value, dtype=d.dtype)
    i = np.arange(d.shape[-1])
    rows, cols = (i, i + k) if k >= 0 else (i - k, i)
    out[..., rows, cols] = d
    return out


# The diagonal ops and band_part act on the last axes only, so their rules are batched as is.
MATRIX_DIAG = primitive("MatrixDiagV3", _diag_forward, save=(), batched=True).defvjp(
    lambda g, ans, d, k, num_rows, num_cols, padding_value: MATRIX_DIAG_PART(g, k=k))
MATRIX_DIAG.defjvp(lambda t, ans, d, k, num_rows, num_cols, padding_value: MATRIX_DIAG(
    t, k=k, num_rows=num_rows, num_cols=num_cols, padding_value=0))

MATRIX_DIAG_PART = primitive(
    "MatrixDiagPartV3", lambda x, k: np.diagonal(x, k, -2, -1).copy(), save=(),
    batched=True).defvjp(
    lambda g, ans, x, k: MATRIX_DIAG(g, k=k, num_rows=_k.shape_of(x)[-2],
                                     num_cols=_k.shape_of(x)[-1], padding_value=0))
MATRIX_DIAG_PART.defjvp(lambda t, ans, x, k: MATRIX_DIAG_PART(t, k=k))


def _band_mask(shape, lower, upper):
    m, n = shape[-2:]
    i, j = np.arange(m)[:, None], np.arange(n)[None, :]
    return ((lower < 0) | (i - j <= lower)) & ((upper < 0) | (j - i <= upper))


BAND_PART = primitive(
    "MatrixBandPart",
    lambda x, lower, upper: np.where(_band_mask(x.shape, lower, upper), x, np.zeros((), x.dtype)),
    save=(), batched=True).defvjp(
    lambda g, ans, x, lower, upper: BAND_PART(g, lower=lower, upper=upper))
BAND_PART.defjvp(lambda t, ans, x, lower, upper: BAND_PART(t, lower=lower, upper=upper))


def _diag(x):
    """A (batch of) square matrix with ``x`` on the diagonal (for rules)."""
    n = _k.shape_of(x)[-1]
    return MATRIX_DIAG(x, k=0, num_rows=n, num_cols=n, padding_value=0)


def _int_k(k, op_type):
    if isinstance(k, Tensor):
        k = np.asarray(k).tolist()
    if isinstance(k, list | tuple):
        if len(k) == 1 or (len(k) == 2 and k[0] == k[1]):
            k = k[0]
        else:
            raise NotImplementedError(f"{op_type}: only a single diagonal (an int k) is supported")
    return int(k)


def diag(diagonal, name="diag", k=0, num_rows=-1, num_cols=-1, padding_value=0,
         align="RIGHT_LEFT"):
    """``tf.linalg.diag``: a (batch of) matrix with ``diagonal`` on diagonal ``k``."""
    d = _tensor(diagonal)
    if d._value.ndim < 1:
        raise errors.op_error("MatrixDiagV3", "diagonal must be at least 1-dim, but got: 0",
                              kernel=True)
    k = _int_k(k, "MatrixDiagV3")
    n = d._value.shape[-1]
    num_rows, num_cols = int(num_rows), int(num_cols)
    min_rows, min_cols = n + max(-k, 0), n + max(k, 0)
    if num_rows == -1 and num_cols == -1:
        num_rows = num_cols = max(min_rows, min_cols)
    elif num_rows == -1:
        num_rows = min_rows
    elif num_cols == -1:
        num_cols = min_cols
    if num_rows < min_rows or num_cols < min_cols or \
            min(num_rows - max(-k, 0), num_cols - max(k, 0)) != n:
        raise errors.op_error("MatrixDiagV3", f"The number of diagonal elements {n} does not fit "
                              f"a {num_rows}x{num_cols} matrix at diagonal {k}.", kernel=True)
    pad = np.asarray(padding_value, dtype=d._value.dtype)
    return apply(MATRIX_DIAG, (d,), {"k": k, "num_rows": num_rows, "num_cols": num_cols,
                                     "padding_value": pad})


def diag_part(input, name="diag_part", k=0, padding_value=0, align="RIGHT_LEFT"):  # noqa: A002
    """``tf.linalg.diag_part``: diagonal ``k`` of each innermost matrix."""
    x = _tensor(input)
    if x._value.ndim < 2:
        raise errors.op_error("MatrixDiagPartV3", f"input must be at least 2-dim, received shape: "
                              f"{_shape_text(x._value.shape)}", kernel=True)
    k = _int_k(k, "MatrixDiagPartV3")
    m, n = x._value.shape[-2:]
    if not (-m < k < n or (k == 0)):
        raise errors.op_error("MatrixDiagPartV3", f"Diagonal {k} is out of bounds of a {m}x{n} "
                              "matrix", kernel=True)
    return apply(MATRIX_DIAG_PART, (x,), {"k": k})


def set_diag(input, diagonal, name="set_diag", k=0, align="RIGHT_LEFT"):  # noqa: A002
    """``tf.linalg.set_diag``: ``input`` with diagonal ``k`` replaced by ``diagonal``."""
    x, d = operands(input, diagonal, "MatrixSetDiagV3")
    k = _int_k(k, "MatrixSetDiagV3")
    m, n = x._value.shape[-2:]
    full = diag(d, k=k, num_rows=m, num_cols=n)
    mask = _diag_forward(np.ones(d._value.shape[-1], np.bool_), k, m, n, False)
    return WHERE(wrap(mask), full, x)


def band_part(input, num_lower, num_upper, name=None):  # noqa: A002
    """``tf.linalg.band_part``: keep ``num_lower`` sub- and ``num_upper`` superdiagonals
    (a negative count keeps the whole triangle)."""
    x = _tensor(input)
    if x._value.ndim < 2:
        raise errors.op_error("MatrixBandPart", f"input must be at least 2-dim, received shape: "
                              f"{_shape_text(x._value.shape)}", kernel=True)
    for count in (num_lower, num_upper):
        if isinstance(count, float):
            raise TypeError(f"Cannot convert {count!r} to EagerTensor of dtype int64")
    return apply(BAND_PART, (x,), {"lower": int(num_lower), "upper": int(num_upper)})


def trace(x, name=None):
    """``tf.linalg.trace``: the sum of the main diagonal of each innermost matrix."""
    return reduce_sum(diag_part(x), axis=-1)


def tensor_diag(diagonal, name=None):
    """``tf.linalg.tensor_diag``: rank k -> rank 2k with ``diagonal`` on the diagonal."""
    d = _tensor(diagonal)
    labels = _LETTERS[:d._value.ndim]
    return einsum(f"{labels}->{labels}{labels}", d)


def tensor_diag_part(input, name=None):  # noqa: A002
    """``tf.linalg.tensor_diag_part``: rank 2k -> rank k, ``out[i, j] = input[i, j, i, j]``."""
    x = _tensor(input)
    nd = x._value.ndim
    if nd % 2 or x._value.shape[:nd // 2] != x._value.shape[nd // 2:]:
        raise errors.op_error("DiagPart", f"Input must have even rank and matching halves, got "
                              f"shape {_shape_text(x._value.shape)}", kernel=True)
    labels = _LETTERS[:nd // 2]
    return einsum(f"{labels}{labels}->{labels}", x)


# --- norms ----------------------------------------------------------------------------------------

def norm(tensor, ord="euclidean", axis=None, keepdims=None, name=None):  # noqa: A002, F811
    """``tf.norm`` / ``tf.linalg.norm``: vector norms (``'euclidean'``, 1, 2, ``np.inf``, any
    p > 0) and, for an ``axis`` pair, matrix norms (``'euclidean'``/``'fro'``, 1, 2, ``np.inf``).

    Composed as TF composes it, so the euclidean norm's gradient at zero is ``nan``.
    """
    is_matrix = isinstance(axis, tuple | list) and len(axis) == 2
    if is_matrix:
        axis = tuple(axis)
        if not all(isinstance(a, int) for a in axis) or axis[0] == axis[1]:
            raise ValueError(f"'axis' must be None, an integer, or a tuple of 2 unique integers, "
                             f"got {axis}")
        supported = ["euclidean", "fro", 1, 2, np.inf]
        if ord not in supported:
            raise ValueError(f"'ord' must be a supported matrix norm in {supported}, got {ord}")
    else:
        if not (isinstance(axis, int) or axis is None):
            raise ValueError(f"'axis' must be None, an integer, or a tuple of 2 unique integers, "
                             f"got {axis}")
        supported = ["euclidean", 1, 2, np.inf]
        if ord not in supported and (isinstance(ord, str) or not np.isreal(ord) or ord <= 0):
            raise ValueError(f"'ord' must be a supported vector norm, got {ord}")
        if axis is not None:
            axis = (axis,)
    x = _tensor(tensor)
    if is_matrix and ord == 2:
        from .decomposition_ops import svd  # not at the top: decomposition_ops imports this module
        nd = x._value.ndim
        pos = [a % nd for a in axis]
        before = [i for i in range(nd) if i not in pos] + pos
        s = svd(transpose(x, perm=before), compute_uv=False)
        top = expand_dims(reduce_max(math_ops.abs(s), axis=-1, keepdims=True), -1)
        result = transpose(top, perm=tuple(np.argsort(before)))
    elif ord in ("fro", "euclidean", 2):
        result = math_ops.sqrt(reduce_sum(x * _k.conj(x), axis, keepdims=True))
    else:
        result = math_ops.abs(x)
        if ord == 1:
            result = reduce_sum(result, None if axis is None else axis[0], keepdims=True)
            if is_matrix:
                result = reduce_max(result, axis[-1], keepdims=True)
        elif ord == np.inf:
            if is_matrix:
                result = reduce_sum(result, axis[1], keepdims=True)
            result = reduce_max(result, None if axis is None else axis[0], keepdims=True)
        else:
            result = math_ops.pow(reduce_sum(math_ops.pow(result, ord), axis, keepdims=True),
                                   1.0 / ord)
    if not keepdims:
        result = squeeze(result, axis)
    return result


EXPORTS = {
    "": ["einsum", "matmul", "norm", "tensordot"],
    "linalg": ["adjoint", "band_part", "diag", "diag_part", "einsum", ("eye", "eye"), "matmul",
               "matrix_transpose", "matvec", "norm", "set_diag", "tensor_diag", "tensor_diag_part",
               "tensordot", "trace"],
}
