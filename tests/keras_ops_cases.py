"""Calls of ``keras.ops`` on small fixed inputs, shared by tools/record_keras_ops_fixtures.py
(which runs them on real Keras 3 and stores the results) and tests/test_keras_ops.py (which runs
them on tapeflow and compares values and dtypes). Each case is ``lambda ops: ...``; only NumPy
inputs appear here, so the same module runs under both."""

import numpy as np

_rng = np.random.default_rng(7)
F = _rng.standard_normal((3, 4)).astype("float32")          # any sign
G = _rng.standard_normal((3, 4)).astype("float32")
P = _rng.uniform(0.2, 3.0, (3, 4)).astype("float32")        # positive
U = _rng.uniform(-0.9, 0.9, (3, 4)).astype("float32")       # inside (-1, 1)
N = _rng.integers(-5, 6, (3, 4)).astype("int32")
J = _rng.integers(1, 4, (3, 4)).astype("int32")
B = _rng.uniform(size=(3, 4)) > 0.5
N8 = N.astype("int8")
D = _rng.standard_normal((2, 3)).astype("float64")
M = (_rng.standard_normal((3, 3)) + 3 * np.eye(3)).astype("float32")   # well conditioned
SPD = (M @ M.T + np.eye(3, dtype="float32")).astype("float32")
V = _rng.standard_normal(4).astype("float32")
X4 = _rng.standard_normal((2, 5, 5, 3)).astype("float32")   # NHWC images
K4 = _rng.standard_normal((3, 3, 3, 2)).astype("float32")   # HWIO kernel
K4T = np.transpose(K4, (0, 1, 3, 2))                          # (h, w, out, in) for transposes
S3 = _rng.standard_normal((2, 6, 3)).astype("float32")      # (batch, steps, channels)
IMG = _rng.uniform(0, 1, (2, 6, 8, 3)).astype("float32")
NAN = np.array([[1.0, np.nan, 3.0], [np.nan, 5.0, -1.0]], "float32")
LOGITS = _rng.standard_normal((4, 5)).astype("float32")
LABELS = np.array([0, 3, 4, 1], "int32")
Q = _rng.standard_normal((2, 4, 2, 8)).astype("float32")    # (batch, len, heads, dim)

UNARY_FLOAT = ["abs", "absolute", "fabs", "sqrt", "exp", "expm1", "log", "log1p", "log2",
               "log10", "exp2", "cbrt", "sin", "cos", "tan", "sinh", "cosh", "tanh", "arctan",
               "arcsinh", "floor", "ceil", "round", "trunc", "sign", "negative", "square",
               "reciprocal", "deg2rad", "rad2deg", "sinc", "isfinite", "isnan", "isinf",
               "signbit", "real", "imag", "conj", "angle", "i0", "erf", "erfc", "rsqrt",
               "relu", "relu6", "sigmoid", "softplus", "softsign", "silu", "swish",
               "log_sigmoid", "hard_sigmoid", "hard_silu", "hard_swish", "hard_tanh",
               "hard_shrink", "soft_shrink", "tanh_shrink", "selu", "elu", "celu", "gelu",
               "sparse_plus", "squareplus", "sparse_sigmoid", "leaky_relu", "logical_not",
               "softmax", "log_softmax", "sparsemax", "ravel", "transpose", "copy",
               "zeros_like", "ones_like", "flip", "fliplr", "flipud", "rot90", "tril", "triu",
               "diagonal", "trace", "diag", "sort", "argsort", "cumsum", "cumprod", "diff",
               "count_nonzero", "nan_to_num", "size", "glu", "bitwise_invert"]
UNARY_INPUTS = {"sqrt": P, "log": P, "log1p": P, "log2": P, "log10": P, "rsqrt": P,
                "reciprocal": P, "bitwise_invert": N}
UNARY_INT = ["abs", "sqrt", "exp", "sin", "floor", "square", "sign", "negative", "round",
             "cumsum", "mean", "sum", "prod", "var", "std", "max", "min", "argmax", "argmin",
             "isnan", "trunc", "signbit", "real", "imag", "angle", "clip_0_2", "logical_not",
             "ravel", "sort", "argsort", "relu", "sigmoid", "count_nonzero", "abs_bool"]
REDUCE = ["sum", "prod", "mean", "var", "std", "max", "min", "amax", "amin", "ptp", "all",
          "any", "argmax", "argmin", "median", "logsumexp", "count_nonzero", "nansum",
          "nanmean", "nanmax", "nanmin", "nanstd", "nanvar", "nanprod", "nanmedian"]
BINARY = ["add", "subtract", "multiply", "divide", "true_divide", "maximum", "minimum",
          "power", "floor_divide", "mod", "fmod", "equal", "not_equal", "greater",
          "greater_equal", "less", "less_equal", "arctan2", "hypot", "logaddexp",
          "logaddexp2", "fmax", "fmin", "logical_and", "logical_or", "logical_xor",
          "isclose", "heaviside", "divide_no_nan"]

CASES = {}
for _n in UNARY_FLOAT:
    CASES[f"{_n}/f32"] = (lambda o, n=_n: getattr(o, n)(UNARY_INPUTS.get(n, F)))
for _n in UNARY_INT:
    if _n == "clip_0_2":
        CASES["clip/i32"] = lambda o: o.clip(N, 0, 2)
    elif _n == "abs_bool":
        CASES["abs/bool"] = lambda o: o.abs(B)
    else:
        CASES[f"{_n}/i32"] = (lambda o, n=_n: getattr(o, n)(J if n == "sqrt" else N))
        CASES[f"{_n}/i8"] = (lambda o, n=_n: getattr(o, n)(J.astype("int8") if n == "sqrt"
                                                              else N8))
for _n in REDUCE:
    _x = NAN if _n.startswith("nan") else F
    CASES[f"{_n}/all"] = (lambda o, n=_n, x=_x: getattr(o, n)(x))
    CASES[f"{_n}/axis1"] = (lambda o, n=_n, x=_x: getattr(o, n)(x, axis=1))
    if not _n.startswith("arg") and _n not in ("count_nonzero",):
        CASES[f"{_n}/axis0_keep"] = (lambda o, n=_n, x=_x: getattr(o, n)(x, axis=0,
                                                                         keepdims=True))
for _n in BINARY:
    CASES[f"{_n}/f32"] = (lambda o, n=_n: getattr(o, n)(F, G if n != "power" else J))
    CASES[f"{_n}/i32_f32"] = (lambda o, n=_n: getattr(o, n)(J, P))
    CASES[f"{_n}/i8_int"] = (lambda o, n=_n: getattr(o, n)(N8, 2))
    CASES[f"{_n}/i32_float"] = (lambda o, n=_n: getattr(o, n)(J, 1.5))
    CASES[f"{_n}/f64_i32"] = (lambda o, n=_n: getattr(o, n)(D, J[:2, :3]))

CASES.update({
    "arcsin": lambda o: o.arcsin(U), "arccos": lambda o: o.arccos(U),
    "arctanh": lambda o: o.arctanh(U), "arccosh": lambda o: o.arccosh(P + 1),
    "erfinv": lambda o: o.erfinv(U),
    "arange/int": lambda o: o.arange(5), "arange/float": lambda o: o.arange(1, 3, 0.5),
    "arange/dtype": lambda o: o.arange(2, 9, 3, dtype="int64"),
    "linspace": lambda o: o.linspace(0, 1, 5), "linspace/noend": lambda o: o.linspace(
        0.0, 2.0, 4, endpoint=False),
    "logspace": lambda o: o.logspace(0, 2, 3), "geomspace": lambda o: o.geomspace(1, 100, 3),
    "eye": lambda o: o.eye(3, 4, k=1), "identity": lambda o: o.identity(2),
    "tri": lambda o: o.tri(3, 4, -1), "zeros": lambda o: o.zeros((2, 3), "int32"),
    "ones": lambda o: o.ones(3), "full": lambda o: o.full((2,), 3),
    "full_like": lambda o: o.full_like(N, 7), "array": lambda o: o.array([1, 2]),
    "array/float": lambda o: o.array([1.0, 2]), "convert/f64": lambda o: o.convert_to_tensor(D),
    "hamming": lambda o: o.hamming(5), "hanning": lambda o: o.hanning(5),
    "bartlett": lambda o: o.bartlett(5), "blackman": lambda o: o.blackman(5),
    "kaiser": lambda o: o.kaiser(5, 2.0), "vander": lambda o: o.vander(V, 3),
    "reshape": lambda o: o.reshape(F, (4, 3)), "reshape/-1": lambda o: o.reshape(F, -1),
    "swapaxes": lambda o: o.swapaxes(X4, 1, 3), "moveaxis": lambda o: o.moveaxis(X4, 0, -1),
    "moveaxis/multi": lambda o: o.moveaxis(X4, [0, 1], [2, 3]),
    "expand_dims": lambda o: o.expand_dims(F, (0, 2)), "squeeze": lambda o: o.squeeze(
        F[None]), "broadcast_to": lambda o: o.broadcast_to(V, (2, 4)),
    "concatenate": lambda o: o.concatenate([F, G], axis=1),
    "concatenate/mixed": lambda o: o.concatenate([N, F]),
    "append": lambda o: o.append(F, V), "stack": lambda o: o.stack([F, G], axis=1),
    "hstack": lambda o: o.hstack([F, G]), "vstack": lambda o: o.vstack([V, V]),
    "dstack": lambda o: o.dstack([F, G]), "split": lambda o: o.split(F, 2, axis=1),
    "split/indices": lambda o: o.split(F, [1, 3], axis=1),
    "array_split": lambda o: o.array_split(F, 3, axis=1), "hsplit": lambda o: o.hsplit(F, 2),
    "vsplit": lambda o: o.vsplit(F, 3), "flip/axis": lambda o: o.flip(F, 1),
    "rot90/k3": lambda o: o.rot90(F, 3), "roll": lambda o: o.roll(F, 2),
    "roll/axis": lambda o: o.roll(F, -1, axis=1), "tile": lambda o: o.tile(V, (2, 2)),
    "repeat": lambda o: o.repeat(F, 2, axis=0), "repeat/flat": lambda o: o.repeat(V, 2),
    "pad": lambda o: o.pad(F, ((1, 0), (0, 2))), "pad/int": lambda o: o.pad(F, ((1, 1), (1, 1))),
    "pad/reflect": lambda o: o.pad(F, ((1, 1), (2, 2)), mode="reflect"),
    "pad/symmetric": lambda o: o.pad(F, ((1, 1), (0, 1)), mode="symmetric"),
    "pad/value": lambda o: o.pad(F, ((0, 1), (1, 0)), constant_values=9),
    "take": lambda o: o.take(F, [0, 2], axis=1), "take/flat": lambda o: o.take(F, [5, -1]),
    "take_along_axis": lambda o: o.take_along_axis(F, np.argsort(F, axis=1), axis=1),
    "get_item": lambda o: o.get_item(F, 1), "where": lambda o: o.where(F > 0, F, G),
    "where/scalar": lambda o: o.where(F > 0, F, 0), "where/one": lambda o: o.where(F > 0),
    "select": lambda o: o.select([F > 0.5, F < -0.5], [F, G], 7.0),
    "nonzero": lambda o: o.nonzero(N), "unravel_index": lambda o: o.unravel_index(
        np.array([3, 7]), (3, 4)), "diag/k": lambda o: o.diag(V, 1),
    "diagflat": lambda o: o.diagflat(V[:2]), "diagonal/off": lambda o: o.diagonal(F, 1),
    "trace/off": lambda o: o.trace(F, -1), "tril/k": lambda o: o.tril(F, 1),
    "triu/k": lambda o: o.triu(F, -1), "sort/axis0": lambda o: o.sort(F, axis=0),
    "argsort/axis0": lambda o: o.argsort(F, axis=0), "argpartition": lambda o: o.sort(
        o.argpartition(V, 2)), "searchsorted": lambda o: o.searchsorted(
        np.sort(V), F.reshape(-1)), "searchsorted/right": lambda o: o.searchsorted(
        np.array([1.0, 2.0, 2.0, 3.0], "float32"), np.array([2.0], "float32"), side="right"),
    "digitize": lambda o: o.digitize(F, np.array([-1.0, 0.0, 1.0], "float32")),
    "unique": lambda o: o.unique(N), "unique/all": lambda o: o.unique(
        N, return_inverse=True, return_counts=True),
    "bincount": lambda o: o.bincount(J.reshape(-1)),
    "bincount/weights": lambda o: o.bincount(J.reshape(-1), weights=F.reshape(-1)),
    "histogram": lambda o: o.histogram(F.reshape(-1), bins=4),
    "matmul": lambda o: o.matmul(F, G.T), "matmul/vec": lambda o: o.matmul(F, V),
    "matmul/int": lambda o: o.matmul(N, J.T), "dot": lambda o: o.dot(F, V),
    "dot/mat": lambda o: o.dot(F, G.T), "vdot": lambda o: o.vdot(F, G),
    "inner": lambda o: o.inner(F, G), "outer": lambda o: o.outer(V, V[:2]),
    "tensordot": lambda o: o.tensordot(F, G, axes=([1], [1])),
    "einsum": lambda o: o.einsum("ij,kj->ik", F, G), "kron": lambda o: o.kron(F[:2, :2], M),
    "cross": lambda o: o.cross(F[:, :3], G[:, :3]), "correlate": lambda o: o.correlate(
        V, V[:2], mode="full"), "corrcoef": lambda o: o.corrcoef(F),
    "diff/n2": lambda o: o.diff(F, 2, axis=0), "trapezoid": lambda o: o.trapezoid(F),
    "quantile": lambda o: o.quantile(F, 0.3, axis=1), "percentile": lambda o: o.percentile(
        F, [10, 90]), "quantile/keep": lambda o: o.quantile(X4, [0.2, 0.7], axis=(1, 2),
                                                             keepdims=True),
    "quantile/methods": lambda o: [o.quantile(F, 0.4, axis=0, method=m) for m in (
        "lower", "higher", "midpoint", "nearest")], "quantile/int": lambda o: o.quantile(N, 0.5), "nanquantile": lambda o: o.nanquantile(NAN, 0.5, axis=1),
    "average": lambda o: o.average(F, axis=1, weights=V),
    "nanargmax": lambda o: o.nanargmax(NAN, axis=1), "nancumsum": lambda o: o.nancumsum(NAN),
    "cumsum/axis": lambda o: o.cumsum(F, axis=1), "meshgrid": lambda o: o.meshgrid(V, V[:2]),
    "meshgrid/ij": lambda o: o.meshgrid(V, V[:2], indexing="ij"),
    "isin": lambda o: o.isin(N, [1, 2, 3]), "allclose": lambda o: o.allclose(F, F + 1e-9),
    "gcd": lambda o: o.gcd(N, J), "lcm": lambda o: o.lcm(N, J),
    "bitwise_and": lambda o: o.bitwise_and(N, J), "left_shift": lambda o: o.left_shift(J, 2),
    "right_shift": lambda o: o.right_shift(N, 1), "ldexp": lambda o: o.ldexp(F, J),
    "nextafter": lambda o: o.nextafter(F, G), "clip": lambda o: o.clip(F, -0.5, 0.5),
    "round/decimals": lambda o: o.round(F, 2), "isposinf": lambda o: o.isposinf(
        np.array([np.inf, -np.inf, 1.0], "float32")), "isneginf": lambda o: o.isneginf(
        np.array([np.inf, -np.inf, 1.0], "float32")),
    "shape": lambda o: np.array(o.shape(F)), "ndim": lambda o: np.array(o.ndim(F)),
    "cast": lambda o: o.cast(F, "int32"), "saturate_cast": lambda o: o.saturate_cast(
        F * 300, "uint8"), "dtype": lambda o: np.array(o.dtype(D)),
    "top_k": lambda o: o.top_k(V, 2), "in_top_k": lambda o: o.in_top_k(LABELS, LOGITS, 2),
    "segment_sum": lambda o: o.segment_sum(F, np.array([0, 0, 1])),
    "segment_max": lambda o: o.segment_max(F, np.array([0, 2, 2]), num_segments=3),
    "scatter": lambda o: o.scatter(np.array([[0], [2]]), np.array([1.0, 2.0]), (4,)),
    "scatter_update": lambda o: o.scatter_update(F, np.array([[0, 1], [2, 3]]),
                                                 np.array([9.0, 8.0], "float32")),
    "slice": lambda o: o.slice(F, (1, 1), (2, 2)),
    "slice_update": lambda o: o.slice_update(F, (1, 2), np.ones((2, 2), "float32")),
    "unstack": lambda o: o.unstack(F, axis=1), "cdist": lambda o: o.cdist(F, G),
    "extract_sequences": lambda o: o.extract_sequences(V, 2, 1),
    "rfft": lambda o: o.rfft(F), "irfft": lambda o: o.irfft(o.rfft(F)),
    "fft": lambda o: o.fft((F, G)), "fft2": lambda o: o.fft2((F, G)),
    "ifft2": lambda o: o.ifft2((F, G)),
    "stft": lambda o: o.stft(np.tile(V, 4), 4, 2, 8),
    "stft/nocenter": lambda o: o.stft(np.tile(V, 4), 4, 2, 4, center=False, window=None),
    "istft": lambda o: o.istft(o.stft(np.tile(V, 4), 4, 2, 8), 4, 2, 8),
    "istft/length": lambda o: o.istft(o.stft(np.tile(V, 4), 4, 2, 4, center=False), 4, 2, 4,
                                      length=12, center=False),
    "view_as_real": lambda o: o.view_as_real(o.view_as_complex(np.stack([F, G], -1))),
    "rearrange": lambda o: o.rearrange(X4, "b h w c -> b c (h w)"),
    "rearrange/split": lambda o: o.rearrange(F, "a (b c) -> c a b", b=2),
    "logdet": lambda o: o.logdet(SPD), "slogdet": lambda o: o.slogdet(M),
    # bad input: the same exception type as Keras
    "bad/reshape": lambda o: o.reshape(F, (5,)), "bad/split": lambda o: o.split(F, 3, axis=1),
    "bad/matmul": lambda o: o.matmul(F, F), "bad/inv": lambda o: o.inv(F),
    "bad/conv_padding": lambda o: o.conv(X4, K4, padding="full"),
    "bad/one_hot": lambda o: o.one_hot(LABELS, -1), "bad/take": lambda o: o.take(F, 9, axis=0),
    "bad/pad_mode": lambda o: o.pad(F, ((1, 1), (1, 1)), mode="edge", constant_values=1),
    "bad/glu": lambda o: o.glu(F[:3]), "bad/concatenate": lambda o: o.concatenate([F, V]),
    "bad/qr_mode": lambda o: o.qr(F, mode="full"), "bad/cholesky": lambda o: o.cholesky(F),
    # linalg
    "cholesky": lambda o: o.cholesky(SPD), "cholesky/upper": lambda o: o.linalg.cholesky(
        SPD, upper=True), "cholesky_inverse": lambda o: o.cholesky_inverse(
        np.linalg.cholesky(SPD)), "det": lambda o: o.det(M), "inv": lambda o: o.inv(M),
    "eigh": lambda o: o.eigh(SPD)[0], "solve": lambda o: o.solve(M, F[:, :2]),
    "solve_triangular": lambda o: o.solve_triangular(np.tril(M), F[:, :2], lower=True),
    "lstsq": lambda o: o.lstsq(F.T, V), "matrix_rank": lambda o: o.matrix_rank(F),
    "pinv": lambda o: o.pinv(F), "qr": lambda o: o.abs(o.qr(F.T)[1]),
    "svd/s": lambda o: o.svd(F, compute_uv=False),
    "norm": lambda o: o.norm(F), "norm/axis": lambda o: o.norm(F, axis=1),
    "norm/ord1": lambda o: o.norm(F, ord=1), "norm/inf": lambda o: o.norm(F, ord=np.inf),
    "norm/vec3": lambda o: o.norm(F, ord=3, axis=0), "norm/nuc": lambda o: o.norm(F, "nuc"),
    "norm/2": lambda o: o.norm(F, 2), "norm/keep": lambda o: o.norm(F, axis=(0, 1),
                                                                   keepdims=True),
    # nn
    "conv/2d": lambda o: o.conv(X4, K4, padding="same"),
    "conv/2d_stride": lambda o: o.conv(X4, K4, strides=2),
    "conv/2d_dilated": lambda o: o.conv(X4, K4, dilation_rate=2, padding="same"),
    "conv/1d": lambda o: o.conv(S3, K4[0], padding="valid"),
    "conv/first": lambda o: o.conv(np.transpose(X4, (0, 3, 1, 2)), K4,
                                   data_format="channels_first"),
    "depthwise_conv": lambda o: o.depthwise_conv(X4, K4[:, :, :, :1], padding="same"),
    "separable_conv": lambda o: o.separable_conv(X4, K4[:, :, :, :1], K4[:1, :1, :, :2]),
    "conv_transpose": lambda o: o.conv_transpose(X4, K4T, strides=2),
    "conv_transpose/same": lambda o: o.conv_transpose(X4, K4T, strides=2,
                                                      padding="same"),
    "max_pool": lambda o: o.max_pool(X4, 2), "max_pool/same": lambda o: o.max_pool(
        X4, 3, strides=2, padding="same"), "average_pool": lambda o: o.average_pool(
        X4, (2, 2), strides=(1, 2)), "average_pool/1d": lambda o: o.average_pool(S3, 2),
    "depth_to_space": lambda o: o.depth_to_space(np.tile(X4, (1, 1, 1, 4))[:, :, :, :12], 2),
    "space_to_depth": lambda o: o.space_to_depth(X4[:, :4, :4], 2),
    "moments": lambda o: o.moments(F, axes=[0]),
    "batch_normalization": lambda o: o.batch_normalization(F, V, P[0], axis=1, offset=V,
                                                           scale=P[1]),
    "layer_normalization": lambda o: o.layer_normalization(F),
    "rms_normalization": lambda o: o.rms_normalization(F, scale=V),
    "normalize": lambda o: o.normalize(F), "normalize/ord1": lambda o: o.normalize(F,
                                                                                  order=1),
    "one_hot": lambda o: o.one_hot(LABELS, 5), "one_hot/axis0": lambda o: o.one_hot(
        LABELS, 5, axis=0), "multi_hot": lambda o: o.multi_hot(np.array([[0, 2], [1, 1]]), 4),
    "binary_crossentropy": lambda o: o.binary_crossentropy(B.astype("float32"), 1 / (1 + np.exp(
        -F))), "binary_crossentropy/logits": lambda o: o.binary_crossentropy(
        B.astype("float32"), F, from_logits=True),
    "categorical_crossentropy": lambda o: o.categorical_crossentropy(
        np.eye(5, dtype="float32")[LABELS], LOGITS, from_logits=True),
    "categorical_crossentropy/probs": lambda o: o.categorical_crossentropy(
        np.eye(5, dtype="float32")[LABELS], np.exp(LOGITS) / np.exp(LOGITS).sum(
            -1, keepdims=True)),
    "sparse_categorical_crossentropy": lambda o: o.sparse_categorical_crossentropy(
        LABELS, LOGITS, from_logits=True),
    "psnr": lambda o: o.psnr(P, P + 0.1, 3.0), "polar": lambda o: o.view_as_real(o.polar(P, F)),
    "threshold": lambda o: o.threshold(F, 0.1, -1.0), "elu/alpha": lambda o: o.elu(F, 0.5),
    "celu/alpha": lambda o: o.celu(F, 2.0), "gelu/exact": lambda o: o.gelu(F, False),
    "leaky_relu/slope": lambda o: o.leaky_relu(F, 0.1), "softmax/axis0": lambda o: o.softmax(
        F, axis=0), "log_softmax/axes": lambda o: o.log_softmax(F, axis=(0, 1)),
    "sparsemax/axis0": lambda o: o.sparsemax(F, axis=0), "squareplus/b": lambda o: o.squareplus(
        F, 1), "glu/axis0": lambda o: o.glu(F[:2], axis=0),
    "dot_product_attention": lambda o: o.dot_product_attention(Q, Q[:, ::-1], Q * 2),
    "dot_product_attention/causal": lambda o: o.dot_product_attention(
        Q, Q, Q, is_causal=True, scale=0.5),
    "dot_product_attention/mask": lambda o: o.dot_product_attention(
        Q, Q, Q, mask=np.tril(np.ones((4, 4), bool))),
    "unfold": lambda o: o.unfold(np.transpose(X4, (0, 3, 1, 2)), 2, stride=2, padding=1),
    "fold": lambda o: o.fold(o.unfold(np.transpose(X4, (0, 3, 1, 2)), 2), (5, 5), 2),
    "ctc_loss": lambda o: o.ctc_loss(np.array([[1, 2], [2, 2]]), S3[:, :, :] * 2,
                                     np.array([2, 1]), np.array([6, 5])),
    # image
    "image.rgb_to_grayscale": lambda o: o.image.rgb_to_grayscale(IMG),
    "image.rgb_to_hsv": lambda o: o.image.rgb_to_hsv(IMG),
    "image.hsv_to_rgb": lambda o: o.image.hsv_to_rgb(IMG),
    "image.resize": lambda o: o.image.resize(IMG, (3, 5)),
    "image.resize/nearest": lambda o: o.image.resize(IMG, (12, 4), interpolation="nearest"),
    "image.resize/crop": lambda o: o.image.resize(IMG, (4, 4), crop_to_aspect_ratio=True),
    "image.resize/pad": lambda o: o.image.resize(IMG, (4, 4), pad_to_aspect_ratio=True),
    "image.pad_images": lambda o: o.image.pad_images(IMG, 1, 2, target_height=9,
                                                     target_width=11),
    "image.crop_images": lambda o: o.image.crop_images(IMG, 1, 2, 2, 1),
    "image.extract_patches": lambda o: o.image.extract_patches(IMG, 2),
    "image.gaussian_blur": lambda o: o.image.gaussian_blur(IMG),
    "image.affine_transform": lambda o: o.image.affine_transform(
        IMG, np.array([1, 0.1, 0.5, 0.05, 0.9, -0.5, 0, 0], "float32")),
    "image.affine_transform/nearest": lambda o: o.image.affine_transform(
        IMG[0], np.array([1.2, 0, -1, 0, 1, 0.5, 0, 0], "float32"), interpolation="nearest"),
    "image.map_coordinates": lambda o: o.image.map_coordinates(
        F, np.array([[0.5, 1.2, 2.7, -1.0], [0.1, 3.0, 1.5, 2.0]], "float32"), 1),
    "image.map_coordinates/0": lambda o: o.image.map_coordinates(
        F, np.array([[0.5, 1.2, 2.7], [0.1, 3.0, 1.5]], "float32"), 0, fill_mode="nearest"),
    "image.perspective_transform": lambda o: o.image.perspective_transform(
        IMG, np.array([[0, 0], [7, 0], [0, 5], [7, 5]], "float32"),
        np.array([[1, 0.5], [6, 0], [0.5, 5], [7, 4.5]], "float32")),
    "image.perspective_transform/nearest": lambda o: o.image.perspective_transform(
        IMG[0], np.array([[0, 0], [7, 0], [0, 5], [7, 5]], "float32"),
        np.array([[1, 1], [6, 0], [0, 4], [7, 5]], "float32"), interpolation="nearest",
        fill_value=0.5),
    "image.extract_patches_3d": lambda o: o.image.extract_patches_3d(
        np.stack([IMG[..., :2]] * 2, 1)[:, :, :4, :6], 2),
    "image.extract_patches_3d/strided": lambda o: o.image.extract_patches_3d(
        IMG[0, :4, :6, :, None], (2, 3, 2), strides=1, dilation_rate=(1, 1, 1)),
    "image.ssim": lambda o: o.image.ssim(IMG, IMG[::-1], filter_size=3),
    # control flow and trees of results
    "scan": lambda o: o.scan(lambda c, x: (c + x, c * x), np.float32(0), V),
    "scan/reverse": lambda o: o.scan(lambda c, x: (c + x, c), np.float32(1), V, reverse=True),
    "associative_scan": lambda o: o.associative_scan(lambda a, b: a + b, F, axis=1),
    "fori_loop": lambda o: o.fori_loop(0, 4, lambda i, v: v * 2, np.float32(1.5)),
    "while_loop": lambda o: o.while_loop(lambda i, s: i < 3, lambda i, s: (i + 1, s + i),
                                         (0, 0)),
    "map": lambda o: o.map(lambda r: r * 2, F), "cond": lambda o: o.cond(
        True, lambda: F, lambda: G), "switch": lambda o: o.switch(1, [
            lambda x: x + 1, lambda x: x - 1], F),
    "vectorized_map": lambda o: o.vectorized_map(lambda r: o.sum(r), F),
})

# keras.tree: each case returns a plain Python structure; its repr is compared
_NESTED = {"b": [1, (2, 3)], "a": {"y": None, "x": 4}}
TREE_CASES = {
    "flatten": lambda t: t.flatten(_NESTED),
    "flatten/leaf": lambda t: t.flatten(5),
    "flatten/none": lambda t: t.flatten(None),
    "flatten_with_path": lambda t: t.flatten_with_path(_NESTED),
    "is_nested": lambda t: [t.is_nested(x) for x in ([], (), {}, 1, None, "ab")],
    "map_structure": lambda t: t.map_structure(lambda v: None if v is None else v * 10,
                                               _NESTED),
    "map_structure/two": lambda t: t.map_structure(lambda a, b: (a, b), [1, (2,)], [3, (4,)]),
    "pack_sequence_as": lambda t: t.pack_sequence_as(_NESTED, list(range(5))),
    "lists_to_tuples": lambda t: t.lists_to_tuples([1, [2, {"k": [3]}]]),
    "map_shape_structure": lambda t: t.map_shape_structure(
        lambda s: sum(d for d in s if d), {"x": (2, 3), "y": [(None, 4), (1,)]}),
    "map_structure_up_to": lambda t: t.map_structure_up_to(
        [0, 0], lambda v: str(v), [1, [2, 3]]),
    "traverse/top_down": lambda t: t.traverse(
        lambda v: "short" if isinstance(v, tuple) else None, _NESTED),
    "traverse/bottom_up": lambda t: t.traverse(
        lambda v: v + 1 if isinstance(v, int) else None, [1, (2, [3])], top_down=False),
    "assert_same_structure/bad": lambda t: t.assert_same_structure([1, 2], [1, [2]]),
    "assert_same_structure/types": lambda t: t.assert_same_structure([1, 2], (1, 2)),
    "assert_same_paths/bad": lambda t: t.assert_same_paths({"a": 1}, {"b": 1}),
    "assert_same_paths": lambda t: t.assert_same_paths([1, 2], (3, 4)),
}

# keras.backend (the legacy API): each case gets the backend module; recorded as "backend:NAME"
BACKEND_CASES = {
    "argmax": lambda b: b.argmax(F), "argmin": lambda b: b.argmin(F, axis=0),
    "concatenate": lambda b: b.concatenate([b.constant(F), b.constant(G)]), "mean": lambda b: b.mean(b.constant(F), 1, True),
    "sum": lambda b: b.sum(N8), "max": lambda b: b.max(F, 0), "std": lambda b: b.std(b.constant(F)),
    "var": lambda b: b.var(b.constant(F), axis=1), "prod": lambda b: b.prod(J, 1),
    "cumsum": lambda b: b.cumsum(F), "cumprod": lambda b: b.cumprod(F, 1),
    "arange": lambda b: b.arange(5), "arange/range": lambda b: b.arange(1, 7, 2),
    "dot": lambda b: b.dot(b.constant(F), b.constant(G.T)), "dot/3d": lambda b: b.dot(b.constant(X4[0]), b.constant(K4[0, 0])),
    "batch_dot": lambda b: b.batch_dot(F, G, axes=1),
    "batch_dot/3d": lambda b: b.batch_dot(S3, S3, axes=(2, 2)),
    "batch_dot/default": lambda b: b.batch_dot(S3, np.transpose(S3, (0, 2, 1))),
    "batch_flatten": lambda b: b.batch_flatten(X4), "flatten": lambda b: b.flatten(F),
    "clip": lambda b: b.clip(F, -0.5, 0.5), "pow": lambda b: b.pow(P, 2),
    "one_hot": lambda b: b.one_hot(LABELS, 5), "repeat": lambda b: b.repeat(b.constant(F), 2),
    "repeat_elements": lambda b: b.repeat_elements(b.constant(F), 2, 1),
    "reverse": lambda b: b.reverse(F, 1), "permute_dimensions": lambda b: b.permute_dimensions(
        X4, (0, 3, 1, 2)), "expand_dims": lambda b: b.expand_dims(F),
    "squeeze": lambda b: b.squeeze(F[None], 0), "gather": lambda b: b.gather(F, [2, 0]),
    "switch": lambda b: b.switch(b.constant(F > 0, "bool"), b.constant(F), b.constant(G)), "l2_normalize": lambda b: b.l2_normalize(F, 1),
    "in_top_k": lambda b: b.in_top_k(LOGITS, LABELS, 2),
    "relu": lambda b: b.relu(F, 0.1, 0.5), "elu": lambda b: b.elu(F, 0.3),
    "softmax": lambda b: b.softmax(b.constant(F)), "hard_sigmoid": lambda b: b.hard_sigmoid(F),
    "binary_crossentropy": lambda b: b.binary_crossentropy(B.astype("float32"), F,
                                                           from_logits=True),
    "categorical_crossentropy": lambda b: b.categorical_crossentropy(
        np.eye(5, dtype="float32")[LABELS], LOGITS, from_logits=True),
    "sparse_categorical_crossentropy": lambda b: b.sparse_categorical_crossentropy(
        LABELS, LOGITS, from_logits=True),
    "binary_focal_crossentropy": lambda b: b.binary_focal_crossentropy(
        B.astype("float32"), 1 / (1 + np.exp(-F)), apply_class_balancing=True),
    "categorical_focal_crossentropy": lambda b: b.categorical_focal_crossentropy(
        np.eye(5, dtype="float32")[LABELS], LOGITS, from_logits=True),
    "bias_add": lambda b: b.bias_add(F, V), "conv2d": lambda b: b.conv2d(X4, K4),
    "conv1d": lambda b: b.conv1d(b.constant(S3), b.constant(K4[0]),
                                       padding="same"),
    "pool2d": lambda b: b.pool2d(X4, (2, 2), (2, 2), pool_mode="avg"),
    "temporal_padding": lambda b: b.temporal_padding(S3, (1, 2)),
    "spatial_2d_padding": lambda b: b.spatial_2d_padding(X4),
    "resize_images": lambda b: b.resize_images(b.constant(X4), 2, 1, "channels_last"),
    "int_shape": lambda b: np.array(b.int_shape(F)), "ndim": lambda b: np.array(b.ndim(b.constant(X4))),
    "dtype": lambda b: np.array(b.dtype(b.variable(D))), "count_params": lambda b: np.array(
        b.count_params(b.constant(F))), "cast_to_floatx": lambda b: b.cast_to_floatx([1, 2]),
    "constant": lambda b: b.constant([1, 2]), "zeros": lambda b: b.get_value(b.zeros((2, 3))),
    "eye": lambda b: b.get_value(b.eye(3)), "variable": lambda b: b.get_value(b.variable(D)),
    "result_type": lambda b: np.array(b.result_type("int8", "float16")),
    "standardize_dtype": lambda b: np.array(b.standardize_dtype("float64")),
    "is_float_dtype": lambda b: np.array([b.is_float_dtype("float16"),
                                          b.is_float_dtype("int32")]),
    "foldl": lambda b: b.foldl(lambda a, x: a + x, V), "map_fn": lambda b: b.map_fn(
        lambda r: r * 2, F), "epsilon": lambda b: np.array(b.epsilon()),
    "rnn": lambda b: b.rnn(lambda x, s: (x + s[0], [x + s[0]]), S3,
                           [np.zeros((2, 3), "float32")]),
}

def plain(x):
    """Tensors and arrays as nested lists, tuples/lists/datasets element by element."""
    if hasattr(x, "numpy") and callable(x.numpy):
        x = x.numpy()
    if isinstance(x, np.ndarray | np.generic):
        return x.tolist()
    if isinstance(x, list | tuple):
        return type(x)(plain(v) for v in x) if not hasattr(x, "_fields") else x
    if isinstance(x, dict):
        return {k: plain(v) for k, v in x.items()}
    return x


_TEXTS = ["The cat sat on the mat.", "The dog ate the cat!", "a dog, a cat"]


def _tokenizer(k, **kwargs):
    text = k.preprocessing.text
    tok = text.Tokenizer(**kwargs)
    tok.fit_on_texts(_TEXTS)
    again = text.tokenizer_from_json(tok.to_json())
    seqs = tok.texts_to_sequences(["the cat ate a fish", "mat mat dog"])
    return [sorted(tok.word_index.items()), seqs, tok.sequences_to_texts(seqs),
            [np.round(tok.texts_to_matrix(_TEXTS[:2], mode), 5)
             for mode in ("binary", "count", "freq", "tfidf")],
            again.texts_to_sequences(["the cat ate a fish"]), sorted(again.index_docs.items())]


def _config_object(cls):
    c = cls(a=1, b={"x": 2})
    c.d = 3
    seen = [repr(c), c.as_dict(), c.to_json(), c["a"], "a" in c, len(c), list(c.keys()),
            c.get("z", 5)]
    c.freeze()
    for attempt in (lambda: setattr(c, "e", 1), lambda: c.zz):
        try:
            attempt()
        except (ValueError, AttributeError) as e:
            seen.append((type(e).__name__, str(e)))
    c.unfreeze()
    c.pop("d")
    return seen + [repr(c), c.frozen]


def _folders():
    """A temporary folder tree: text/{cat,dog}/*.txt, sounds/{hi,lo}/*.wav and
    images/{blue,red}/*.png."""
    import os
    import tempfile

    from PIL import Image
    root = tempfile.mkdtemp(prefix="keras_dirs_")
    texts = {"cat/a.txt": "the cat", "cat/b.txt": "a cat sat", "cat/c.txt": "meow",
             "dog/d.txt": "woof woof", "dog/sub/e.txt": "the dog ran", "dog/skip.md": "no"}
    for name, text in texts.items():
        path = os.path.join(root, "text", name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
    import wave
    for i, (cls, length) in enumerate([("hi", 6), ("hi", 3), ("lo", 4), ("lo", 7), ("lo", 2)]):
        path = os.path.join(root, "sounds", cls, f"s{i}.wav")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with wave.open(path, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(8000)
            w.writeframes((np.arange(length, dtype="int16") * 1000 - 2000 * i).tobytes())
    rng = np.random.default_rng(5)
    for i, (cls, size) in enumerate([("red", (5, 7)), ("red", (6, 4)), ("blue", (8, 8)),
                                     ("blue", (3, 5)), ("blue", (4, 4))]):
        path = os.path.join(root, "images", cls, f"img{i}.png")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        Image.fromarray(rng.integers(0, 256, (*size, 3), dtype=np.uint8)).save(path)
    return root


def _from_dirs(k, kind, **kwargs):
    import os
    import shutil
    root = _folders()
    try:
        fn = {"text": k.utils.text_dataset_from_directory,
              "sounds": k.utils.audio_dataset_from_directory,
              "images": k.utils.image_dataset_from_directory}[kind]
        out = fn(os.path.join(root, kind), verbose=False, **kwargs)
        sets = out if isinstance(out, (tuple, list)) else (out,)
        return [([os.path.relpath(p, root) for p in getattr(d, "file_paths", [])],
                 d.class_names, [plain(batch) for batch in d]) for d in sets]
    finally:
        shutil.rmtree(root)


def _image_files(k):
    import os
    import tempfile
    u = k.utils
    x = np.random.default_rng(0).uniform(0, 300, (4, 5, 3)).astype("float32")
    out = [np.array(u.array_to_img(x)), np.array(u.array_to_img(x, scale=False)),
           u.array_to_img(x[..., :1]).mode, u.img_to_array(u.array_to_img(x)),
           u.img_to_array(u.array_to_img(x), data_format="channels_first").shape,
           k.preprocessing.image.smart_resize(x, (2, 3))]
    folder = tempfile.mkdtemp(prefix="keras_img_")
    path = os.path.join(folder, "x.png")
    u.save_img(path, x)
    out += [u.img_to_array(u.load_img(path, target_size=(2, 3))),
            u.img_to_array(u.load_img(path, color_mode="grayscale")),
            u.img_to_array(u.load_img(path, target_size=(2, 2), keep_aspect_ratio=True,
                                      interpolation="bilinear"))]
    os.remove(path)
    os.rmdir(folder)
    return out


def _fetched(k):
    """get_file from file:// URLs into a temporary cache: names, extraction, hashes."""
    import hashlib
    import io
    import os
    import shutil
    import tarfile
    import tempfile
    import zipfile
    root = tempfile.mkdtemp(prefix="keras_get_")
    try:
        src = os.path.join(root, "src")
        os.makedirs(src)
        with open(os.path.join(src, "data.txt"), "w") as f:
            f.write("hello")
        with tarfile.open(os.path.join(src, "pack.tar.gz"), "w:gz") as f:
            info = tarfile.TarInfo("inner/a.txt")
            info.size = 3
            f.addfile(info, io.BytesIO(b"abc"))
        with zipfile.ZipFile(os.path.join(src, "z.zip"), "w") as f:
            f.writestr("b.txt", "zzz")
        cache = os.path.join(root, "cache")
        os.makedirs(cache)  # Keras uses /tmp/.keras when the cache folder is not writable
        url = "file://" + src + "/"
        sha = hashlib.sha256(b"hello").hexdigest()
        paths = [k.utils.get_file("d.txt", url + "data.txt", cache_dir=cache, file_hash=sha),
                 k.utils.get_file(origin=url + "data.txt", cache_dir=cache, cache_subdir="x"),
                 k.utils.get_file("pack.tar.gz", url + "pack.tar.gz", cache_dir=cache,
                                  extract=True),
                 k.utils.get_file(origin=url + "z.zip", cache_dir=cache, extract=True),
                 k.utils.get_file("p2", url + "pack.tar.gz", cache_dir=cache, untar=True)]
        found = sorted(os.path.relpath(os.path.join(d, n), root)
                       for d, _, names in os.walk(cache) for n in names)
        try:
            k.utils.get_file("bad.txt", url + "data.txt", cache_dir=cache, md5_hash="0" * 32)
        except ValueError as e:
            found.append(str(e))
        return [os.path.relpath(p, root) for p in paths] + found
    finally:
        shutil.rmtree(root)


def _rounded(values, decimals=5):
    return [np.round(np.asarray(v), decimals) for v in values]


# keras.utils / keras.config / keras.preprocessing: each case gets tf.keras; its result is
# compared as plain Python (arrays and tensors as nested lists, datasets as lists of elements)
UTILS_CASES = {
    "pad_sequences": lambda k: k.utils.pad_sequences([[1, 2, 3], [4]], maxlen=2),
    "pad_sequences/post": lambda k: k.utils.pad_sequences(
        [[1.5, 2], [3]], dtype="float32", padding="post", truncating="post", value=-1),
    "pad_sequences/default": lambda k: k.preprocessing.sequence.pad_sequences([[1], [2, 3]]),
    "pack": lambda k: [k.utils.pack_x_y_sample_weight(1), k.utils.pack_x_y_sample_weight(1, 2),
                       k.utils.pack_x_y_sample_weight(1, 2, 3),
                       k.utils.pack_x_y_sample_weight((1, 2))],
    "unpack": lambda k: [k.utils.unpack_x_y_sample_weight((1,)),
                         k.utils.unpack_x_y_sample_weight([1, 2]),
                         k.utils.unpack_x_y_sample_weight(5)],
    "timeseries": lambda k: list(k.utils.timeseries_dataset_from_array(
        np.arange(10), np.arange(10) * 10, sequence_length=3, batch_size=4)),
    "timeseries/rate": lambda k: list(k.preprocessing.timeseries_dataset_from_array(
        np.arange(12), None, sequence_length=3, sequence_stride=2, sampling_rate=2,
        batch_size=2)),
    "split_dataset": lambda k: [list(d) for d in k.utils.split_dataset(
        (np.arange(6), np.arange(6) * 2), right_size=2)],
    "to_categorical": lambda k: k.utils.to_categorical([0, 2, 1], 4),
    "normalize": lambda k: k.utils.normalize(np.array([[3.0, 4.0], [0.0, 0.0]])),
    "standardize_dtype": lambda k: [k.utils.standardize_dtype(d) for d in
                                    ("float32", "int8", np.float64, "bool")],
    "config": lambda k: [k.config.floatx(), k.config.epsilon(), k.config.image_data_format(),
                         k.config.backend(), repr(k.config.dtype_policy()),
                         k.config.max_epochs(), k.config.is_nnx_enabled()],
    "dtype_policy": lambda k: [(p.name, p.compute_dtype, p.variable_dtype, repr(p),
                                p.get_config()) for p in (k.DTypePolicy("mixed_float16"),
                                                          k.DTypePolicy("float64"))],
    "version": lambda k: k.version(),
    "text.tokenizer": lambda k: _tokenizer(k, num_words=6, oov_token="<u>"),
    "text.tokenizer/plain": lambda k: _tokenizer(k),
    "text.tokenizer/chars": lambda k: _tokenizer(k, char_level=True),
    "text.words": lambda k: [k.preprocessing.text.text_to_word_sequence("Hi, there! a-b  c"),
                             k.preprocessing.text.hashing_trick("a b a", 7, "md5")],
    "config_object": lambda k: _config_object(k.utils.Config),
    "timeseries_generator": lambda k: [
        (len(g), g[0], g[len(g) - 1]) for g in (
            k.preprocessing.sequence.TimeseriesGenerator(
                np.arange(10), np.arange(10) * 10, length=3, batch_size=2),
            k.preprocessing.sequence.TimeseriesGenerator(
                np.arange(20).reshape(10, 2), np.arange(10), length=4, sampling_rate=2,
                stride=2, reverse=True, batch_size=3))],
    "text_dirs": lambda k: _from_dirs(k, "text", shuffle=False, batch_size=2),
    "text_dirs/categorical": lambda k: _from_dirs(k, "text", shuffle=False,
                                                  label_mode="categorical", max_length=4),
    "text_dirs/binary_split": lambda k: _from_dirs(k, "text", label_mode="binary", seed=3,
                                                   validation_split=0.4, subset="both"),
    "text_dirs/unlabeled": lambda k: _from_dirs(k, "text", labels=None, shuffle=False),
    "audio_dirs": lambda k: _from_dirs(k, "sounds", shuffle=False, batch_size=2),
    "audio_dirs/fixed": lambda k: _from_dirs(k, "sounds", shuffle=False,
                                             output_sequence_length=5,
                                             label_mode="categorical"),
    "image_dirs": lambda k: _from_dirs(k, "images", shuffle=False, image_size=(4, 3),
                                       batch_size=3),
    "image_dirs/gray_nearest": lambda k: _from_dirs(k, "images", shuffle=False,
                                                    image_size=(2, 2), color_mode="grayscale",
                                                    interpolation="nearest",
                                                    label_mode="categorical"),
    "image_dirs/split": lambda k: [d[:2] for d in _from_dirs(
        k, "images", image_size=(2, 2), seed=7, validation_split=0.2, subset="validation")],
    "images": lambda k: _image_files(k),
    "get_file": lambda k: _fetched(k),
    "sampling_table": lambda k: np.round(k.preprocessing.sequence.make_sampling_table(6), 6),
    "losses.ctc": lambda k: _rounded([
        k.losses.ctc(np.array([[1, 2, 0], [2, 0, 0]]), S3[:, :5] * 3),
        k.losses.CTC()(np.array([[1, 2, 0], [2, 0, 0]]), S3[:, :5] * 3)]),
    "losses.circle": lambda k: _rounded([
        k.losses.circle(LABELS % 2, F[:, :3].T[:4] / np.linalg.norm(F[:, :3].T[:4], axis=1,
                                                                      keepdims=True)),
        k.losses.Circle(gamma=10.0)(np.array([0, 1, 0, 1]), np.eye(4, 3, dtype="float32")),
        k.losses.Circle().get_config()]),
    "regularizers.orthogonal": lambda k: _rounded([
        k.regularizers.OrthogonalRegularizer(0.5)(F),
        k.regularizers.OrthogonalRegularizer(0.5, "columns")(k.ops.convert_to_tensor(F)),
        k.regularizers.get("orthogonal_regularizer").get_config()]),
    "metrics.from_losses": lambda k: _rounded([
        k.metrics.KLD(P, P[::-1]), k.metrics.hinge(np.sign(F), G),
        k.metrics.binary_crossentropy(B.astype("float32"), P / 3)]),
    "activations": lambda k: [k.activations.serialize(k.activations.get(n)) for n in (
        "celu", "hard_swish", "sparsemax", "squareplus", "tanh_shrink")],
}
