"""Random tensors (``tf.random``) with TF's global/op seed semantics, reproducible in tapeflow.

``set_seed(s)`` resets every generator. An op with an explicit ``seed`` draws from a generator
keyed by (global seed, op seed), so re-running a program after ``set_seed`` repeats its values,
while successive calls still differ. ``stateless_*`` ops depend on their ``seed`` pair alone, and
``Generator`` objects carry their own state. The draws are NumPy's, not TF's bit patterns.

Random ops are non-differentiable value factories; only ``mean`` / ``stddev`` tensors given to
the normal distributions receive gradients, because the sample is scaled and shifted by them
with ordinary ops (as in TF).
"""

import copy
import zlib

import numpy as np

from ..engine.core import apply, not_differentiable, primitive
from ..framework import context, dtypes, errors
from ..framework.tensor import Tensor
from ..framework.shape import TensorShape
from ..framework.variable import Variable
from . import _k
from ._helpers import index_arg, tensor
from .array_ops import _check_dims, _shape_tuple
from .math_ops import add, multiply, subtract

_global_seed = None
_generators = {}


def set_seed(seed):
    """``tf.random.set_seed``."""
    global _global_seed
    if isinstance(seed, str | bytes):  # TF seeds Python's random with it: any string will do
        seed = zlib.crc32(seed.encode() if isinstance(seed, str) else seed)
    elif np.ndim(seed):
        raise TypeError("only 0-dimensional arrays can be converted to Python scalars")
    _global_seed = None if seed is None else int(seed)
    _generators.clear()


def _generator(seed):
    if seed is not None and type(seed) is not int:
        _ = seed % 0x7FFFFFFF  # TF folds op seeds so in Python: strings and lists fail there
    key = (_global_seed, seed)
    gen = _generators.get(key)
    if gen is None:
        gen = _generators[key] = generator_for(key)
    return gen


_origins = {}  # id(generator) -> (its seeds, the generator): saved_model saves the seeds


def generator_for(key):
    """A new generator for (global seed, op seed), as ``_generator`` makes it (a SavedModel's
    random op gets a fresh one from the seeds it was traced with, as a loaded TF op does)."""
    global_seed, seed = key
    if global_seed is None and seed is None:
        gen = np.random.default_rng()
    else:
        entropy = [_as_seed_word(global_seed or 0)]
        entropy += [0] if seed is None else [1, _as_seed_word(seed)]
        gen = np.random.default_rng(entropy)
    _origins[id(gen)] = (key, gen)
    return gen


def generator_key(gen):
    """The (global seed, op seed) ``gen`` was made from, or None for one made elsewhere."""
    found = _origins.get(id(gen))
    return found[0] if found is not None and found[1] is gen else None


def _as_seed_word(seed):
    """Any Python int (TF seeds may be negative) as the non-negative word NumPy requires."""
    return int(seed) & 0xFFFFFFFFFFFFFFFF


def _float_dtype(dtype):
    d = dtypes.as_dtype(dtype)
    if not d.is_floating:
        raise ValueError(f"Invalid dtype {d!r} for a floating-point random op.")
    return d._np


# --- the sampling primitives: no tensor inputs; ``rng`` is a NumPy Generator (stateful ops draw
# new values at every run) or a seed tuple (stateless ops draw the same ones) ---------------------

def _rng(rng):
    if not isinstance(rng, np.random.Generator):
        return np.random.default_rng(rng)
    if context.state.graph is not None:  # a trace's example values: as a TF trace, draw nothing
        return copy.deepcopy(rng)  # (the graph's node draws from ``rng`` when it runs)
    return rng


def _standard_normal(rng, shape, dtype):
    return _rng(rng).standard_normal(size=shape).astype(dtype)


def _truncated_standard_normal(rng, shape, dtype):
    gen = _rng(rng)
    sample = gen.standard_normal(size=shape)
    while True:  # redraw everything outside two standard deviations
        outside = np.abs(sample) > 2
        n = int(np.count_nonzero(outside))
        if not n:
            break
        sample[outside] = gen.standard_normal(size=n)
    return sample.astype(dtype)


def _standard_uniform(rng, shape, dtype):
    return _rng(rng).random(size=shape).astype(dtype)


def _uniform_int(rng, shape, minval, maxval, dtype):
    if maxval is None:  # the dtype's whole range, both ends included (stateless ops)
        return _rng(rng).integers(minval, np.iinfo(dtype).max, size=shape, endpoint=True,
                                  dtype=dtype)
    return _rng(rng).integers(minval, maxval, size=shape).astype(dtype)


RANDOM_NORMAL = not_differentiable(primitive("RandomStandardNormal", _standard_normal, save=()))
TRUNCATED_NORMAL = not_differentiable(primitive("TruncatedNormal", _truncated_standard_normal,
                                                save=()))
RANDOM_UNIFORM = not_differentiable(primitive("RandomUniform", _standard_uniform, save=()))
RANDOM_UNIFORM_INT = not_differentiable(primitive("RandomUniformInt", _uniform_int, save=()))


def _seeded(name, sampler):
    """A stateless sampler whose seed pair is an input read when the graph runs (a graph that
    computes its seed, as a Keras SeedGenerator's state, draws anew on every run)."""
    def forward(seed, **attrs):
        return sampler(tuple(_as_seed_word(s) for s in seed.reshape(-1)), **attrs)
    return not_differentiable(primitive(name, forward, save=()))


# TF's stateless ops, which take the seed as an input
_SEEDED = {RANDOM_NORMAL: _seeded("StatelessRandomNormal", _standard_normal),
           TRUNCATED_NORMAL: _seeded("StatelessTruncatedNormal", _truncated_standard_normal),
           RANDOM_UNIFORM: _seeded("StatelessRandomUniform", _standard_uniform),
           RANDOM_UNIFORM_INT: _seeded("StatelessRandomUniformInt", _uniform_int)}


class _RunSeed:
    """A stateless op's seed pair that only the running graph knows."""

    __slots__ = ("tensor",)

    def __init__(self, seed):
        self.tensor = seed


def _sample(prim, rng, shape, dtype, **attrs):
    if not isinstance(shape, TensorShape | tuple | list) or shape and isinstance(shape[0], list):
        arr = index_arg(shape, prim.name, "T", hint=False)
        if arr.ndim != 1:
            raise errors.op_error(prim.name, "shape must be a vector of {int32,int64}, got shape "
                                  f"[{','.join(map(str, arr.shape))}]", kernel=True)
    shape = _shape_tuple(shape, prim.name)
    _check_dims(shape, prim.name)
    if isinstance(rng, _RunSeed):
        from .array_ops import cast
        return apply(_SEEDED[prim], (cast(rng.tensor, dtypes.int64),),
                     {"shape": shape, "dtype": dtype._np, **attrs})
    return apply(prim, (), {"rng": rng, "shape": shape, "dtype": dtype._np, **attrs})


def _scaled(sample, mean, stddev):
    """``sample * stddev + mean`` with ops (so tensors ``mean``/``stddev`` get gradients)."""
    if not (type(stddev) in (int, float) and stddev == 1):
        sample = multiply(sample, stddev)
    if not (type(mean) in (int, float) and mean == 0):
        sample = add(sample, mean)
    return sample


def _normal(rng, shape, mean, stddev, dtype):
    d = dtypes.as_dtype(dtype)
    if d.is_integer:
        raise TypeError(f"Cannot convert {mean!r} to EagerTensor of dtype {d.name}")
    _float_dtype(d)
    return _scaled(_sample(RANDOM_NORMAL, rng, shape, d), mean, stddev)


def _truncated_normal(rng, shape, mean, stddev, dtype):
    d = dtypes.as_dtype(dtype)
    if not d.is_floating:
        raise TypeError(f"Cannot convert {mean!r} to EagerTensor of dtype {d.name}")
    return _scaled(_sample(TRUNCATED_NORMAL, rng, shape, d), mean, stddev)


_UNIFORM_DTYPES = (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64) + (
    (dtypes.bfloat16,) if hasattr(dtypes, "bfloat16") else ())


def _uniform(rng, shape, minval, maxval, dtype):
    d = dtypes.as_dtype(dtype)
    if d not in _UNIFORM_DTYPES:
        raise ValueError(f"Argument `dtype` got invalid value <dtype: '{d.name}'>. Accepted "
                         "dtypes are (tf.float16, tf.bfloat16, tf.float32, tf.float64, tf.int32, "
                         "tf.int64).")
    if d.is_integer:
        if maxval is None:
            raise ValueError("Must specify maxval for integer dtype " + repr(d))
        low, high = int(minval), int(maxval)
        if low >= high:
            raise errors.op_error("RandomUniformInt", f"Need minval < maxval, got {low} >= {high}",
                                  kernel=True)
        return _sample(RANDOM_UNIFORM_INT, rng, shape, d, minval=low, maxval=high)
    _float_dtype(d)
    maxval = 1 if maxval is None else maxval
    for bound in (minval, maxval):
        if isinstance(bound, str | bytes):
            raise TypeError(f"Cannot convert {bound!r} to EagerTensor of dtype {d._op_name}")
    u = _sample(RANDOM_UNIFORM, rng, shape, d)
    if isinstance(minval, Tensor | Variable) or isinstance(maxval, Tensor | Variable):
        return add(multiply(u, subtract(maxval, minval)), minval)  # as TF: differentiable
    return _scaled(u, minval, maxval - minval)


# --- stateful ops (global and op seeds) --------------------------------------------------------

def normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """``tf.random.normal``."""
    return _normal(_generator(seed), shape, mean, stddev, dtype)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """``tf.random.truncated_normal``: normal values redrawn until within two stddevs of mean."""
    return _truncated_normal(_generator(seed), shape, mean, stddev, dtype)


def uniform(shape, minval=0, maxval=None, dtype=dtypes.float32, seed=None, name=None):
    """``tf.random.uniform``: floats in [minval, maxval) (maxval defaults to 1), or integers."""
    return _uniform(_generator(seed), shape, minval, maxval, dtype)


def categorical(logits, num_samples, dtype=None, seed=None, name=None):
    """``tf.random.categorical``: ``num_samples`` class indices per row of 2-D ``logits``."""
    out = dtypes.int64 if dtype is None else dtypes.as_dtype(dtype)
    if out not in (dtypes.int32, dtypes.int64):
        raise ValueError(f"Argument `dtype` got invalid value {out}. Accepted dtypes are "
                         "(tf.int32, tf.int64).")
    values = tensor(logits)._value
    if values.dtype.kind != "f":
        raise errors.op_error("Multinomial", "Could not find device for node: {{node Multinomial}}"
                              f" = Multinomial[T=DT_{values.dtype.name.upper()}]",
                              cls=errors.NotFoundError)
    if values.ndim != 2:
        raise errors.op_error("Multinomial", "logits should be a matrix, got shape "
                              f"{list(values.shape)}", kernel=True)
    num_samples = int(index_arg(num_samples, "Multinomial", "T"))
    if num_samples < 0:
        raise errors.op_error("Multinomial", "num_samples should be non-negative, got "
                              f"{num_samples}", kernel=True)
    return apply(MULTINOMIAL, (tensor(logits),), {"rng": _generator(seed),
                                                  "num_samples": num_samples,
                                                  "dtype": out._np})


def _multinomial(logits, rng, num_samples, dtype):
    # Gumbel-max: the argmax of logits plus Gumbel noise is a draw from softmax(logits).
    noise = _rng(rng).gumbel(size=(logits.shape[0], num_samples, logits.shape[1]))
    picks = np.argmax(logits[:, None, :].astype(np.float64) + noise, axis=-1)
    return picks.astype(dtype)


def _shuffle(x, rng):
    return x if x.ndim == 0 else x[_rng(rng).permutation(x.shape[0])]


MULTINOMIAL = not_differentiable(primitive("Multinomial", _multinomial, save=()))
RANDOM_SHUFFLE = not_differentiable(primitive("RandomShuffle", _shuffle, save=()))


def shuffle(value, seed=None, name=None):
    """``tf.random.shuffle``: a random permutation along the first axis (not differentiable)."""
    return apply(RANDOM_SHUFFLE, (tensor(value),), {"rng": _generator(seed)})


# --- stateless ops -------------------------------------------------------------------------------

def _stateless_generator(seed, run_time=True):
    """The seed tuple the sampling primitives seed a fresh generator with; ``_RunSeed`` for a
    traced seed known only when the graph runs (``run_time``: the caller can take one)."""
    if run_time and not _k.trace_known(seed):
        dims = seed.shape.as_list() if seed.shape.rank is not None else [2]
        if dims != [2] and None not in dims:
            raise errors.op_error("StatelessRandomGetKeyCounter", "seed must have shape [2], "
                                  f"not [{','.join(map(str, dims))}]", kernel=True)
        if not seed.dtype.is_integer:
            index_arg(seed, "StatelessRandomGetKeyCounter", "Tseed")  # TF's dtype error
        return _RunSeed(seed)
    pair = index_arg(seed, "StatelessRandomGetKeyCounter", "Tseed")
    if pair.shape != (2,):
        raise errors.op_error("StatelessRandomGetKeyCounter", "seed must have shape [2], not "
                              f"[{','.join(map(str, pair.shape))}]", kernel=True,
                              name=None if pair.ndim else "")
    return tuple(_as_seed_word(s) for s in pair)  # the primitives seed a fresh generator


def stateless_normal(shape, seed, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None,
                     alg="auto_select"):
    """``tf.random.stateless_normal``: the same ``seed`` pair always gives the same values."""
    return _normal(_stateless_generator(seed), shape, mean, stddev, dtype)


def stateless_truncated_normal(shape, seed, mean=0.0, stddev=1.0, dtype=dtypes.float32,
                               name=None, alg="auto_select"):
    """``tf.random.stateless_truncated_normal``."""
    return _truncated_normal(_stateless_generator(seed), shape, mean, stddev, dtype)


def stateless_uniform(shape, seed, minval=0, maxval=None, dtype=dtypes.float32, name=None,
                      alg="auto_select"):
    """``tf.random.stateless_uniform``: integers need both bounds, or neither (full range)."""
    d = dtypes.as_dtype(dtype)
    gen = _stateless_generator(seed)
    if d.is_integer and maxval is None:
        if minval is not None:
            raise ValueError(f"For integer `dtype` argument {d}, argument `minval` and `maxval` "
                             f"must be both None or not None. Got `minval`={minval} and "
                             f"`maxval`={maxval}.")
        info = np.iinfo(d._np)
        return _sample(RANDOM_UNIFORM_INT, gen, shape, d, minval=info.min, maxval=None)
    return _uniform(gen, shape, 0 if minval is None else minval, maxval, d)


# --- tf.random.Generator -------------------------------------------------------------------------

class Generator:
    """``tf.random.Generator``: an object with its own random state (``from_seed`` repeats)."""

    def __init__(self, copy_from=None, state=None, alg=None):
        self._gen = np.random.default_rng(state)

    @classmethod
    def from_seed(cls, seed, alg=None):
        if isinstance(seed, str | bytes):
            raise errors.op_error("Cast", "Cast string to int64 is not supported",
                                  errors.UnimplementedError, kernel=True)
        return cls(state=_as_seed_word(seed))

    @classmethod
    def from_non_deterministic_state(cls, alg=None):
        return cls()

    def reset_from_seed(self, seed):
        self._gen = np.random.default_rng(_as_seed_word(seed))

    def normal(self, shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None):
        return _normal(self._gen, shape, mean, stddev, dtype)

    def truncated_normal(self, shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None):
        return _truncated_normal(self._gen, shape, mean, stddev, dtype)

    def uniform(self, shape, minval=0, maxval=None, dtype=dtypes.float32, name=None):
        return _uniform(self._gen, shape, minval, maxval, dtype)

    def split(self, count=1):
        """``count`` new generators with independent streams derived from this one."""
        return [Generator(state=int(s)) for s in self._gen.integers(0, 2 ** 63, size=count)]


EXPORTS = {
    "random": ["Generator", "categorical", "normal", "set_seed", "shuffle", "stateless_normal",
               "stateless_truncated_normal", "stateless_uniform", "truncated_normal", "uniform"],
}
