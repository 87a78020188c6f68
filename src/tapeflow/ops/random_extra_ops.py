"""``tf.random``'s remaining samplers and seed tools: gamma, poisson, the stateless family
(binomial, categorical, gamma, poisson, parameterized truncated normal), fold_in/split,
create_rng_state, the global Generator, and the candidate samplers (also in ``tf.nn``) with
``compute_accidental_hits``, ``sampled_softmax_loss`` and ``nce_loss``.

As in tapeflow's other random ops the draws are NumPy's (the same numbers for the same seeds, call
after call, but not TF's bit patterns). Samples are not differentiable, except through ``beta``
(gamma) and the means/deviations, which scale them with ordinary ops.
"""

import enum
import math

import numpy as np

from ..engine.core import apply, not_differentiable, primitive
from ..framework import dtypes, errors
from ..framework.tensor import Tensor, wrap
from ._helpers import tensor
from .array_ops import _shape_tuple, reshape
from .index_ops import gather
from .math_ops import divide, log, multiply, subtract
from .manip_ops import concat, stack
from .random_ops import (Generator, _float_dtype, _generator, _rng, _stateless_generator,
                         stateless_uniform)


def stateless_rng(seed):
    """A NumPy Generator that depends on the stateless ``seed`` pair alone."""
    return _rng(_stateless_generator(seed, run_time=False))  # a traced seed is read as a value


class Algorithm(enum.Enum):
    """``tf.random.Algorithm``."""
    PHILOX = 1
    THREEFRY = 2
    AUTO_SELECT = 3


_STATE_SIZE = {Algorithm.PHILOX: 3, Algorithm.THREEFRY: 2, Algorithm.AUTO_SELECT: 3}


def _algorithm(alg):
    if isinstance(alg, Algorithm):
        return alg
    if isinstance(alg, str):
        try:
            return {"philox": Algorithm.PHILOX, "threefry": Algorithm.THREEFRY,
                    "auto_select": Algorithm.AUTO_SELECT}[alg.lower()]
        except KeyError:
            raise ValueError(f"Argument `alg` got unsupported value {alg}. Supported values are "
                             "philox for the Philox algorithm, threefry for the ThreeFry "
                             "algorithm, and auto_select for auto-selection.") from None
    return Algorithm(int(alg))


def create_rng_state(seed, alg):
    """``tf.random.create_rng_state``: the seed as an int64 state vector for ``alg``."""
    size = _STATE_SIZE[_algorithm(alg)]
    state = np.zeros(size, np.int64)
    state[0] = np.asarray(seed).astype(np.int64)
    return wrap(state)


_global = {}


def get_global_generator():
    """``tf.random.get_global_generator``: one Generator, created on first use."""
    if "gen" not in _global:
        _global["gen"] = Generator.from_non_deterministic_state()
    return _global["gen"]


def set_global_generator(generator):
    """``tf.random.set_global_generator``."""
    _global["gen"] = generator


def split(seed, num=2, alg="auto_select"):
    """``tf.random.split``: ``num`` new stateless seeds ``[num, 2]`` of the seed's dtype, drawn
    as TF draws them (full-range stateless integers)."""
    seed = tensor(seed)
    return stateless_uniform([int(num), 2], seed, None, None, seed.dtype, alg=alg)


def fold_in(seed, data, alg="auto_select"):
    """``tf.random.fold_in``: ``[a stateless draw from seed, data]`` in ``data``'s dtype."""
    data = tensor(data)
    first = stateless_uniform([], seed, None, None, data.dtype, alg=alg)
    return stack([first, data])


def _reparameterized_grad(g, ans, alpha, sample):
    """TF's implicit reparameterization: dx/dalpha = -(dP/dalpha) / density, summed over the
    sample's leading axes."""
    from .reduction_ops import SUM
    from .special_fn_ops import IGAMMA_GRAD_A, gamma_density
    from . import _k
    dx = -IGAMMA_GRAD_A(alpha + _k.zeros_like(ans), ans) / gamma_density(alpha, ans)
    lead = len(_k.shape_of(ans)) - len(_k.shape_of(alpha))
    total = g * dx
    return SUM(total, axis=tuple(range(lead)), keepdims=False) if lead else total


# The sample is drawn outside (NumPy) and passed in; the op returns it, so alpha gets TF's
# reparameterization gradient and the sample input none.
RANDOM_GAMMA = primitive("RandomGamma", lambda alpha, sample: sample, save=("inputs", "output"))
RANDOM_GAMMA.defvjp(_reparameterized_grad, lambda g, ans, alpha, sample: None)


def _draw(param, rng, lead, shape, dtype, kind):
    """Samples drawn when the op runs (a graph draws anew on each run): ``lead`` + the
    parameter's shape, or the given ``shape``."""
    full = tuple(lead) + param.shape if shape is None else tuple(shape)
    gen = _rng(rng)
    draw = gen.standard_gamma if kind == "gamma" else gen.poisson
    return draw(np.broadcast_to(param, full)).astype(dtype)


# The samplers: the parameter is an input, the generator (stateful) or seed (stateless) an attr.
_SAMPLE = not_differentiable(primitive("RandomSample", _draw, save=()))


def _gamma_sample(gen, shape, alpha, beta, dtype):
    np_dtype = _float_dtype(dtype)
    a = alpha if isinstance(alpha, Tensor) else tensor(np.asarray(alpha, np_dtype))
    if a._value.dtype != np_dtype:
        from .array_ops import cast
        a = cast(a, dtypes.as_dtype(dtype))
    b = None if beta is None else (beta if isinstance(beta, Tensor) else tensor(
        np.asarray(beta, np_dtype)))
    param_shape = a._value.shape if b is None else np.broadcast_shapes(a._value.shape,
                                                                       b._value.shape)
    if param_shape != a._value.shape:
        from .array_ops import broadcast_to
        a = broadcast_to(a, param_shape)
    sample = _SAMPLE(a, rng=gen, lead=_shape_tuple(shape), shape=None, dtype=np_dtype,
                     kind="gamma")
    out = apply(RANDOM_GAMMA, (a, sample), {})
    return out if b is None else divide(out, b)


def gamma(shape, alpha, beta=None, dtype=dtypes.float32, seed=None, name=None):
    """``tf.random.gamma``: samples of shape ``shape + broadcast(alpha, beta).shape``,
    differentiable in ``alpha`` (TF's implicit reparameterization) and ``beta``."""
    return _gamma_sample(_generator(seed), shape, alpha, beta, dtype)


def stateless_gamma(shape, seed, alpha, beta=None, dtype=dtypes.float32, name=None):
    """``tf.random.stateless_gamma``: ``shape`` must end with the parameters' shape."""
    ndim = len(tensor(alpha).shape)
    shape = _shape_tuple(shape)
    lead = shape[:len(shape) - ndim] if ndim else shape
    return _gamma_sample(_stateless_generator(seed, run_time=False), lead, alpha, beta, dtype)


def poisson(shape, lam, dtype=dtypes.float32, seed=None, name=None):
    """``tf.random.poisson``: samples of shape ``shape + lam.shape``."""
    return _SAMPLE(tensor(lam), rng=_generator(seed), lead=_shape_tuple(shape), shape=None,
                   dtype=dtypes.as_dtype(dtype)._np, kind="poisson")


def stateless_poisson(shape, seed, lam, dtype=dtypes.int32, name=None):
    """``tf.random.stateless_poisson``."""
    return _SAMPLE(tensor(lam), rng=_stateless_generator(seed, run_time=False), lead=(),
                   shape=_shape_tuple(shape), dtype=dtypes.as_dtype(dtype)._np, kind="poisson")


def stateless_binomial(shape, seed, counts, probs, output_dtype=dtypes.int32, name=None):
    """``tf.random.stateless_binomial``."""
    shape = _shape_tuple(shape)
    n, p = np.asarray(tensor(counts)), np.asarray(tensor(probs))  # read while tracing
    params = np.broadcast_shapes(n.shape, p.shape)
    if params and tuple(shape[len(shape) - len(params):]) != params:
        raise errors.op_error("StatelessRandomBinomial", "Shape passed in must end with "
                              "broadcasted shape.", kernel=True, name=None)
    n, p = np.broadcast_to(n, shape), np.broadcast_to(p, shape)
    return wrap(stateless_rng(seed).binomial(n.astype(np.int64), p).astype(
        dtypes.as_dtype(output_dtype)._np))


def stateless_categorical(logits, num_samples, seed, dtype=dtypes.int64, name=None):
    """``tf.random.stateless_categorical``: ``[batch, num_samples]`` class indices."""
    lg = np.asarray(tensor(logits), np.float64)  # read while tracing
    gen = stateless_rng(seed)
    shifted = lg - lg.max(-1, keepdims=True)
    p = np.exp(shifted)
    p /= p.sum(-1, keepdims=True)
    out = np.stack([gen.choice(lg.shape[-1], size=int(num_samples), p=row) for row in p])
    return wrap(out.astype(dtypes.as_dtype(dtype)._np))


def stateless_parameterized_truncated_normal(shape, seed, means=0.0, stddevs=1.0, minvals=-2.0,
                                             maxvals=2.0, name=None):
    """``tf.random.stateless_parameterized_truncated_normal``: normals redrawn until inside
    ``[minvals, maxvals]`` (elementwise bounds)."""
    shape = _shape_tuple(shape)
    mean, std, lo, hi = (np.broadcast_to(np.asarray(tensor(v), np.float64), shape)
                         for v in (means, stddevs, minvals, maxvals))
    dtype = tensor(means)._value.dtype if isinstance(means, Tensor) else np.float32
    gen = stateless_rng(seed)
    out = mean + std * gen.standard_normal(shape)
    for _ in range(1000):
        bad = (out < lo) | (out > hi)
        if not bad.any():
            break
        out[bad] = mean[bad] + std[bad] * gen.standard_normal(int(bad.sum()))
    return wrap(np.clip(out, lo, hi).astype(dtype))


# --- candidate samplers --------------------------------------------------------------------------

def _true_ids(true_classes, num_true):
    t = np.asarray(tensor(true_classes)._trace_value())
    if t.ndim != 2 or t.shape[1] != num_true:
        raise errors.InvalidArgumentError(None, None, "true_classes must be a matrix with "
                                          f"num_true={num_true} columns")
    return t


def _sample(probs, num_sampled, unique, gen):
    """(candidates, number of draws) from the class distribution ``probs``."""
    if not unique:
        return gen.choice(len(probs), size=num_sampled, p=probs), num_sampled
    picked, seen, tries = [], set(), 0
    while len(picked) < num_sampled:
        c = int(gen.choice(len(probs), p=probs))
        tries += 1
        if c not in seen:
            seen.add(c)
            picked.append(c)
    return np.asarray(picked), tries


def _expected(probs, ids, tries, unique):
    p = probs[ids]
    if unique:
        return -np.expm1(tries * np.log1p(-np.minimum(p, 1 - 1e-12)))
    return p * tries


def _candidates(probs, true_classes, num_true, num_sampled, unique, seed):
    true = _true_ids(true_classes, num_true)
    gen = _generator(seed)
    picked, tries = _sample(probs, int(num_sampled), bool(unique), gen)
    return (wrap(picked.astype(np.int64)),
            wrap(_expected(probs, true, tries, unique).astype(np.float32)),
            wrap(_expected(probs, picked, tries, unique).astype(np.float32)))


def uniform_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max,
                              seed=None, name=None):
    """``tf.random.uniform_candidate_sampler``: (sampled, true expected, sampled expected)."""
    probs = np.full(int(range_max), 1.0 / int(range_max))
    return _candidates(probs, true_classes, num_true, num_sampled, unique, seed)


def log_uniform_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max,
                                  seed=None, name=None):
    """``tf.random.log_uniform_candidate_sampler``: Zipfian P(k) = log((k+2)/(k+1)) /
    log(range_max + 1)."""
    k = np.arange(int(range_max), dtype=np.float64)
    probs = np.log((k + 2) / (k + 1)) / math.log(int(range_max) + 1)
    return _candidates(probs, true_classes, num_true, num_sampled, unique, seed)


def _unigram_probs(unigrams, range_max, distortion, num_reserved_ids=0):
    u = np.asarray(unigrams, np.float64) ** float(distortion)
    probs = np.zeros(int(range_max))
    probs[num_reserved_ids:num_reserved_ids + len(u)] = u
    return probs / probs.sum()


def fixed_unigram_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max,
                                    vocab_file="", distortion=1.0, num_reserved_ids=0,
                                    num_shards=1, shard=0, unigrams=(), seed=None, name=None):
    """``tf.random.fixed_unigram_candidate_sampler`` (``unigrams`` given in memory)."""
    if vocab_file:
        with open(vocab_file) as f:
            unigrams = [float(line.rsplit(",", 1)[-1]) for line in f if line.strip()]
    probs = _unigram_probs(unigrams, range_max, distortion, num_reserved_ids)
    return _candidates(probs, true_classes, num_true, num_sampled, unique, seed)


def learned_unigram_candidate_sampler(true_classes, num_true, num_sampled, unique, range_max,
                                      seed=None, name=None):
    """``tf.random.learned_unigram_candidate_sampler``: the unigram counts of the classes seen
    so far in this call's ``true_classes`` (tapeflow keeps no state between calls)."""
    true = _true_ids(true_classes, num_true)
    counts = np.bincount(true.reshape(-1), minlength=int(range_max))[:int(range_max)] + 1.0
    return _candidates(counts / counts.sum(), true_classes, num_true, num_sampled, unique, seed)


def all_candidate_sampler(true_classes, num_true, num_sampled, unique, seed=None, name=None):
    """``tf.random.all_candidate_sampler``: every class ``0 .. num_sampled - 1``, expected
    counts 1."""
    true = _true_ids(true_classes, num_true)
    n = int(num_sampled)
    return (wrap(np.arange(n, dtype=np.int64)), wrap(np.ones(true.shape, np.float32)),
            wrap(np.ones(n, np.float32)))


def compute_accidental_hits(true_classes, sampled_candidates, num_true, seed=None, name=None):
    """``tf.nn.compute_accidental_hits``: (row indices, sampled ids, -FLT_MAX weights) where a
    sampled candidate equals one of the row's true classes."""
    true = _true_ids(true_classes, num_true)
    sampled = np.asarray(tensor(sampled_candidates)._trace_value())
    rows, ids = np.nonzero((true[:, :, None] == sampled[None, None, :]).any(1))
    return (wrap(rows.astype(np.int32)), wrap(ids.astype(np.int64)),
            wrap(np.full(len(rows), -np.finfo(np.float32).max, np.float32)))


def _sampled_logits(weights, biases, labels, inputs, num_sampled, num_classes, num_true,
                    sampled_values, subtract_log_q, remove_accidental_hits, seed):
    from .linalg_ops import matmul
    from .manip_ops import concat as cat
    labels_np = np.asarray(tensor(labels)._trace_value()).astype(np.int64).reshape(-1, num_true)
    if sampled_values is None:
        sampled_values = log_uniform_candidate_sampler(labels_np, num_true, num_sampled, True,
                                                       num_classes, seed)
    sampled, true_expected, sampled_expected = sampled_values
    w = weights if not isinstance(weights, list | tuple) else cat(list(weights), 0)
    ids = np.concatenate([labels_np.reshape(-1), np.asarray(sampled._value).reshape(-1)])
    all_w = gather(w, ids)
    all_b = gather(biases, ids)
    x = tensor(inputs)
    n = labels_np.size
    true_w = reshape(all_w[:n], (-1, num_true, all_w.shape[-1]))
    true_logits = reduce_sum_last(multiply(x[:, None, :], true_w)) + reshape(
        all_b[:n], (-1, num_true))
    sampled_logits = matmul(x, all_w[n:], transpose_b=True) + all_b[n:]
    if remove_accidental_hits:
        rows, cols, weights_ = compute_accidental_hits(labels_np, sampled, num_true)
        mask = np.zeros(sampled_logits.shape, np.float32)
        mask[rows._value, cols._value] = weights_._value
        sampled_logits = sampled_logits + wrap(mask.astype(sampled_logits._value.dtype))
    if subtract_log_q:
        true_logits = subtract(true_logits, log(true_expected))
        sampled_logits = subtract(sampled_logits, log(sampled_expected))
    out_logits = concat([true_logits, sampled_logits], 1)
    out_labels = np.concatenate([np.full((x.shape[0], num_true), 1.0 / num_true),
                                 np.zeros(sampled_logits.shape)], 1)
    return out_logits, wrap(out_labels.astype(x._value.dtype))


def reduce_sum_last(x):
    from .reduction_ops import reduce_sum
    return reduce_sum(x, -1)


def sampled_softmax_loss(weights, biases, labels, inputs, num_sampled, num_classes, num_true=1,
                         sampled_values=None, remove_accidental_hits=True, seed=None,
                         name="sampled_softmax_loss"):
    """``tf.nn.sampled_softmax_loss``: softmax cross entropy over the true and sampled classes
    (differentiable in ``weights``, ``biases`` and ``inputs``)."""
    from .nn_ops import softmax_cross_entropy_with_logits
    logits, lab = _sampled_logits(weights, biases, labels, inputs, num_sampled, num_classes,
                                  num_true, sampled_values, True, remove_accidental_hits, seed)
    return softmax_cross_entropy_with_logits(lab, logits)


def nce_loss(weights, biases, labels, inputs, num_sampled, num_classes, num_true=1,
             sampled_values=None, remove_accidental_hits=False, name="nce_loss"):
    """``tf.nn.nce_loss``: noise-contrastive estimation, one sigmoid cross entropy per true and
    sampled class, summed per example."""
    from .nn_ops import sigmoid_cross_entropy_with_logits
    logits, lab = _sampled_logits(weights, biases, labels, inputs, num_sampled, num_classes,
                                  num_true, sampled_values, True, remove_accidental_hits, None)
    lab = lab * float(num_true)
    return reduce_sum_last(sigmoid_cross_entropy_with_logits(labels=lab, logits=logits))



_SAMPLERS = ["uniform_candidate_sampler", "log_uniform_candidate_sampler",
             "fixed_unigram_candidate_sampler", "learned_unigram_candidate_sampler",
             "all_candidate_sampler"]
EXPORTS = {
    "random": ["Algorithm", "create_rng_state", "get_global_generator", "set_global_generator",
               "split", "fold_in", "gamma", "stateless_gamma", "poisson", "stateless_poisson",
               "stateless_binomial", "stateless_categorical",
               "stateless_parameterized_truncated_normal"] + _SAMPLERS,
    "nn": _SAMPLERS + ["compute_accidental_hits", "sampled_softmax_loss", "nce_loss"],
}
