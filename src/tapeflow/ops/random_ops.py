"""Random tensors (``tf.random``) with TF's global/op seed semantics, reproducible in tapeflow.

``set_seed(s)`` resets every generator. Seeded normal, truncated normal and uniform draws, the
``stateless_*`` ones and ``tf.random.Generator``'s are TF's own (Philox, see philox.py): the same
values bit for bit. An op's seeds are TF's (global seed, op seed), the op seed drawn from a Python
``random.Random(global seed)`` when not given, as eager TF does; each (seeds, op, dtype) keeps one
stream, as TF's cached kernel, so successive calls differ. Unseeded draws and the other samplers
(categorical, shuffle, gamma, ...) are NumPy's, keyed by (global seed, op seed).

Random ops are non-differentiable value factories; only ``mean`` / ``stddev`` tensors given to
the normal distributions receive gradients, because the sample is scaled and shifted by them
with ordinary ops (as in TF).
"""

import copy
import math
import random as _pyrandom
import zlib

import numpy as np

from ..engine.core import apply, not_differentiable, primitive
from ..framework import context, dtypes, errors, replica
from ..framework.tensor import Tensor
from ..framework.shape import TensorShape
from ..framework.variable import Variable
from . import _k
from ._helpers import index_arg, tensor
from .array_ops import _check_dims, _shape_tuple
from .math_ops import add, multiply, subtract
from .philox import RESERVED, Philox

_global_seed = None
_generators = {}
_op_seeds = None  # random.Random(global seed): an eager op's seed when it is given none
_MAXINT32 = 2 ** 31 - 1


def set_seed(seed):
    """``tf.random.set_seed``."""
    global _global_seed
    if isinstance(seed, str | bytes):  # TF seeds Python's random with it: any string will do
        seed = zlib.crc32(seed.encode() if isinstance(seed, str) else seed)
    elif np.ndim(seed):
        raise TypeError("only 0-dimensional arrays can be converted to Python scalars")
    global _op_seeds
    _global_seed = None if seed is None else int(seed)
    _op_seeds = None if seed is None else _pyrandom.Random(_global_seed)
    _generators.clear()


def op_seeds(seed):
    """TF's (seed, seed2) for an op given ``seed`` (``random_seed.get_seed``), or None."""
    if seed is not None and type(seed) is not int:
        _ = seed % 0x7FFFFFFF  # TF folds op seeds so in Python: strings and lists fail there
    if _global_seed is not None:
        if seed is None:
            seed = _op_seeds.randint(0, _MAXINT32)
        seeds = (_global_seed % _MAXINT32, int(seed) % _MAXINT32)
    elif seed is not None:
        seeds = (87654321, int(seed) % _MAXINT32)  # TF's default graph seed
    else:
        return None
    return (0, _MAXINT32) if seeds == (0, 0) else seeds


class _Seeds(tuple):
    """An op's (seed, seed2): ``_sample`` turns it into the op's Philox stream."""


class _RunOpSeed:
    """A traced op given no seed under a global seed: each run of the graph takes the next op
    seed, as the eager op would (TF's graph would take its op count, which tapeflow cannot
    know); the trace's example draws what the next run will, using nothing up."""

    def stream(self):
        from ..engine import core
        if _op_seeds is None:  # the global seed was unset since: an unseeded draw
            return Philox.from_seeds(*np.random.default_rng().integers(1, _MAXINT32, 2))
        source = copy.deepcopy(_op_seeds) if core.state.graph is not None else _op_seeds
        return Philox.from_seeds(_global_seed % _MAXINT32, source.randint(0, _MAXINT32))


RUN_OP_SEED = _RunOpSeed()


def _stateful(seed):
    """What a seeded op draws with: its seeds, or NumPy's generator for an unseeded program."""
    from ..engine import core
    if seed is None and _global_seed is not None and core.state.graph is not None:
        return RUN_OP_SEED
    seeds = op_seeds(seed)
    return _generator(None, False) if seeds is None else _Seeds(seeds)


def _stream(seeds, op, dtype):
    """The Philox stream of (seeds, op, dtype), one per program as TF's cached eager kernel (a
    traced graph's op gets its own)."""
    from ..engine import core
    if core.state.graph is not None:
        return Philox.from_seeds(*seeds)
    key = ("philox", seeds, op, np.dtype(dtype).name)
    stream = _generators.get(key)
    if stream is None:
        stream = _generators[key] = Philox.from_seeds(*seeds)
    return stream


def _generator(seed, count=True):
    """NumPy's generator for (global seed, op seed); an op without a seed draws its op seed as TF
    does (``count``), so the ops after it get TF's seeds."""
    if seed is not None and type(seed) is not int:
        _ = seed % 0x7FFFFFFF  # TF folds op seeds so in Python: strings and lists fail there
    if count and seed is None and _op_seeds is not None:
        _op_seeds.randint(0, _MAXINT32)
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


def _philox(rng, kind, shape, dtype, *args):
    """TF's draw of ``kind`` from a stateless seed pair (a tuple), a stateful op's Philox stream
    or a ``Generator``, or None for NumPy's generator. A stream moves on by 256 blocks a value,
    except while a graph is traced (the trace's example values do not use numbers up)."""
    if isinstance(rng, np.random.Generator):
        return None
    if isinstance(rng, tuple):
        return getattr(Philox.from_stateless(rng), kind)(shape, dtype, *args)
    if rng is RUN_OP_SEED:
        return getattr(rng.stream(), kind)(shape, dtype, *args)
    from ..engine import core
    stream = rng._philox() if isinstance(rng, Generator) else rng
    out = getattr(stream, kind)(shape, dtype, *args)
    if core.state.graph is None:
        stream.skip(RESERVED * math.prod(shape))
        if isinstance(rng, Generator):
            rng._set_state(stream.state())
    return out


def _standard_normal(rng, shape, dtype):
    out = _philox(rng, "normal", shape, dtype)
    return _rng(rng).standard_normal(size=shape).astype(dtype) if out is None else out


def _truncated_standard_normal(rng, shape, dtype):
    out = _philox(rng, "truncated_normal", shape, dtype)
    if out is not None:
        return out
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
    out = _philox(rng, "uniform", shape, dtype)
    return _rng(rng).random(size=shape).astype(dtype) if out is None else out


def _uniform_int(rng, shape, minval, maxval, dtype):
    out = _philox(rng, "full_int", shape, dtype) if maxval is None else _philox(
        rng, "uniform_int", shape, dtype, minval, maxval)
    if out is not None:
        return out
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


def _shaped(prim):
    """``prim`` with its shape an input read when the graph runs (the first), as TF's sampling
    ops take it: a traced graph's ``tf.shape(x)`` of an unknown batch draws each run's rows."""
    def forward(dims, *inputs, **attrs):
        return prim.fwd(*inputs, shape=tuple(dims.tolist()), **attrs)
    return not_differentiable(primitive(prim.name + "Shaped", forward, save=()))


_SHAPED = {p: _shaped(p) for p in (RANDOM_NORMAL, TRUNCATED_NORMAL, RANDOM_UNIFORM,
                                     RANDOM_UNIFORM_INT, *_SEEDED.values())}


class _RunSeed:
    """A stateless op's seed pair that only the running graph knows."""

    __slots__ = ("tensor",)

    def __init__(self, seed):
        self.tensor = seed


def _run_shape(shape, op):
    """A shape argument that the traced graph knows only when it runs, as an int64 vector
    (checked as TF checks it then); None for a shape known now."""
    from .array_ops import _run_time_shape, cast
    dims = _run_time_shape(shape)
    if dims is None:
        return None
    if dims.dtype not in (dtypes.int32, dtypes.int64):
        index_arg(dims, op, "T", hint=False)  # TF's dtype error
    if dims.shape.rank != 1:
        raise errors.op_error(op, "shape must be a vector of {int32,int64}, got shape "
                              f"{dims.shape}", kernel=True)
    return cast(dims, dtypes.int64)


def _sample(prim, rng, shape, dtype, **attrs):
    """Apply the sampling primitive ``prim``: its ``*Shaped`` form for a shape the traced graph
    knows only when it runs, its stateless form for a seed likewise."""
    dims = _run_shape(shape, prim.name)
    inputs = () if dims is None else (dims,)
    if dims is None:
        if not isinstance(shape, TensorShape | tuple | list) or shape and isinstance(shape[0],
                                                                                     list):
            arr = index_arg(shape, prim.name, "T", hint=False)
            if arr.ndim != 1:
                raise errors.op_error(prim.name, "shape must be a vector of {int32,int64}, got "
                                      f"shape [{','.join(map(str, arr.shape))}]", kernel=True)
        attrs["shape"] = _shape_tuple(shape, prim.name)
        _check_dims(attrs["shape"], prim.name)
    attrs["dtype"] = dtype._np
    if isinstance(rng, _Seeds):
        rng = _stream(rng, prim.name, dtype._np)
    if isinstance(rng, _RunSeed):
        from .array_ops import cast
        seeded = _SEEDED[prim]
        return apply(seeded if dims is None else _SHAPED[seeded],
                     inputs + (cast(rng.tensor, dtypes.int64),), attrs)
    return apply(prim if dims is None else _SHAPED[prim], inputs, {"rng": rng, **attrs})


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
    return _normal(_stateful(seed), shape, mean, stddev, dtype)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """``tf.random.truncated_normal``: normal values redrawn until within two stddevs of mean."""
    return _truncated_normal(_stateful(seed), shape, mean, stddev, dtype)


def uniform(shape, minval=0, maxval=None, dtype=dtypes.float32, seed=None, name=None):
    """``tf.random.uniform``: floats in [minval, maxval) (maxval defaults to 1), or integers."""
    return _uniform(_stateful(seed), shape, minval, maxval, dtype)


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
    if x.ndim == 0 or x.size <= 1 or x.shape[0] <= 1:
        return x  # TF draws nothing then
    if rng is RUN_OP_SEED:
        return x[rng.stream().permutation(x.shape[0])]
    if not isinstance(rng, Philox):
        return x[_rng(rng).permutation(x.shape[0])]
    from ..engine import core
    order = rng.permutation(x.shape[0])
    if core.state.graph is None:
        rng.skip(-(-(x.shape[0] - 1) // 4))  # a word per swap
    return x[order]


MULTINOMIAL = not_differentiable(primitive("Multinomial", _multinomial, save=()))
RANDOM_SHUFFLE = not_differentiable(primitive("RandomShuffle", _shuffle, save=()))


def shuffle(value, seed=None, name=None):
    """``tf.random.shuffle``: a random permutation along the first axis (not differentiable);
    seeded, TF's permutation."""
    value = tensor(value)
    rng = _stateful(seed)
    if isinstance(rng, _Seeds):
        rng = _stream(rng, "RandomShuffle", value._value.dtype)
    return apply(RANDOM_SHUFFLE, (value,), {"rng": rng})


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


def _check_alg(alg, op):
    """TF's CPU kernels draw Philox only: a ThreeFry key/counter fails in the op."""
    from .random_extra_ops import Algorithm, _algorithm
    if _algorithm("auto_select" if alg is None else alg) is Algorithm.THREEFRY:
        raise errors.op_error(op, "counter must be a vector with length at least 2; got shape: "
                              "[1]. (Note that batched counters are not supported yet.)",
                              kernel=True)


def stateless_normal(shape, seed, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None,
                     alg="auto_select"):
    """``tf.random.stateless_normal``: the same ``seed`` pair always gives the same values."""
    _check_alg(alg, "StatelessRandomNormalV2")
    return _normal(_stateless_generator(seed), shape, mean, stddev, dtype)


def stateless_truncated_normal(shape, seed, mean=0.0, stddev=1.0, dtype=dtypes.float32,
                               name=None, alg="auto_select"):
    """``tf.random.stateless_truncated_normal``."""
    _check_alg(alg, "StatelessTruncatedNormalV2")
    return _truncated_normal(_stateless_generator(seed), shape, mean, stddev, dtype)


def stateless_uniform(shape, seed, minval=0, maxval=None, dtype=dtypes.float32, name=None,
                      alg="auto_select"):
    """``tf.random.stateless_uniform``: integers need both bounds, or neither (full range)."""
    d = dtypes.as_dtype(dtype)
    _check_alg(alg, "StatelessRandomUniformV2" if not d.is_integer else
               "StatelessRandomUniformFullIntV2" if maxval is None else
               "StatelessRandomUniformIntV2")
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

def _state_words(seed, size):
    """TF's ``create_rng_state``: a Python int cut into ``size`` 64-bit words, lowest first (a
    negative one fills with ones); an array is cast to int64 and padded with zeros on the left."""
    if isinstance(seed, str | bytes):
        raise errors.op_error("Cast", "Cast string to int64 is not supported",
                              errors.UnimplementedError, kernel=True)
    if isinstance(seed, int | np.integer):
        seed = int(seed)
        return np.array([(seed >> (64 * i)) & 0xFFFFFFFFFFFFFFFF for i in range(size)],
                        np.uint64).view(np.int64)
    words = np.asarray(tensor(seed)._value).astype(np.int64).reshape(-1)[:size]
    return np.concatenate([np.zeros(size - len(words), np.int64), words])


def _state_size(alg):
    from .random_extra_ops import _STATE_SIZE, _algorithm
    return _STATE_SIZE[_algorithm(alg)]


class Generator:
    """``tf.random.Generator``: a Philox state Variable ``[counter low, counter high, key]``
    (int64) that each draw moves on by 256 counter steps a value, as TF's stateful kernels;
    ``from_seed(s)`` makes TF's state, so the draws are TF's bit for bit."""

    def __init__(self, copy_from=None, state=None, alg=None):
        from .random_extra_ops import Algorithm, _algorithm
        if copy_from is not None:
            state, alg = copy_from.state.numpy(), copy_from.algorithm
        elif state is None or alg is None:
            raise AssertionError()  # TF asserts both are given
        self._alg = _algorithm(alg)
        if self._alg is Algorithm.AUTO_SELECT:
            self._alg = Algorithm.PHILOX
        self._state_var = Variable(_state_words(state, _state_size(self._alg)),
                                   trainable=False, dtype=dtypes.int64, name="StateVar")
        # made in a tf.distribute scope or replica: mirrored (each replica its own stream)
        self._strategy = replica.current_strategy()
        self._run = None  # (run, state when the run's first replica drew, replicas seen)

    @classmethod
    def around(cls, variable, alg):
        """A generator drawing from (and moving on) an existing state Variable (a loaded
        SavedModel's)."""
        from .random_extra_ops import _algorithm
        gen = cls.__new__(cls)
        gen._alg, gen._state_var = _algorithm(alg), variable
        gen._strategy, gen._run = None, None
        return gen

    def _trackable_children(self):  # a checkpoint saves the state (TF's AutoTrackable)
        return {"_state_var": self._state_var}

    @classmethod
    def from_state(cls, state, alg):
        return cls(state=state, alg=alg)

    @classmethod
    def from_seed(cls, seed, alg=None):
        alg = "philox" if alg is None else alg
        return cls(state=_state_words(seed, _state_size(alg)), alg=alg)

    @classmethod
    def from_non_deterministic_state(cls, alg=None):
        alg = "philox" if alg is None else alg
        return cls(state=np.random.default_rng().integers(
            -2 ** 63, 2 ** 63, _state_size(alg), dtype=np.int64), alg=alg)

    @classmethod
    def from_key_counter(cls, key, counter, alg):
        counter = np.asarray(tensor(counter)._value, np.int64).reshape(-1)
        return cls(state=np.concatenate([counter, np.asarray(tensor(key)._value,
                                                             np.int64).reshape(-1)]), alg=alg)

    @property
    def state(self):
        return self._state_var

    @property
    def algorithm(self):
        return self._alg.value

    @property
    def key(self):
        return self._state_var[-1]

    def reset(self, state):
        self._state_var.assign(_state_words(state, _state_size(self._alg)))

    def reset_from_seed(self, seed):
        self.reset(_state_words(seed, _state_size(self._alg)))

    def reset_from_key_counter(self, key, counter):
        self.reset(Generator.from_key_counter(key, counter, self._alg).state.numpy())

    def skip(self, delta):
        stream = self._philox()
        stream.skip(int(np.asarray(tensor(delta)._value)) * RESERVED)
        self._set_state(stream.state())

    def _philox(self):
        from .random_extra_ops import Algorithm
        if self._alg is Algorithm.THREEFRY:
            raise errors.op_error("RngReadAndSkip", "Non-XLA devices don't support the ThreeFry "
                                  "algorithm.", errors.UnimplementedError, kernel=True)
        where = replica.replica_of(self._strategy)
        if where is None:
            return Philox.from_state(self._state_var._handle.value)
        return self._replica_stream(*where)

    def _replica_stream(self, replica_id, run):
        """A mirrored generator's stream in replica ``replica_id``: each replica starts the run
        from the same state (TF's per-replica copies, moved on alike), its key hashed with the
        replica id as TF's ``_preprocess_key`` does."""
        if self._run is None or self._run[0] != run:
            self._run = (run, self._state_var._handle.value.copy(), set())
        elif replica_id not in self._run[2]:
            self._state_var._handle.value = self._run[1].copy()
        self._run[2].add(replica_id)
        stream = Philox.from_state(self._state_var._handle.value)
        key = int(Philox(stream.key, [replica_id, 0, 0, 0]).full_int((1,), np.uint64)[0])
        stream.key = [key & 0xFFFFFFFF, key >> 32]
        return stream

    def _set_state(self, words):
        words = np.asarray(words, np.int64).copy()
        words[-1] = self._state_var._handle.value[-1]  # draws never change the key
        self._state_var._handle.value = words

    def normal(self, shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None):
        return _normal(self, shape, mean, stddev, dtype)

    def truncated_normal(self, shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None):
        return _truncated_normal(self, shape, mean, stddev, dtype)

    def uniform(self, shape, minval=0, maxval=None, dtype=dtypes.float32, name=None):
        d = dtypes.as_dtype(dtype)
        if d.is_integer and (minval is None) != (maxval is None):
            raise ValueError(f"For integer dtype {d}, minval and maxval must be both `None` or "
                             f"both non-`None`; got minval={minval} and maxval={maxval}")
        if d.is_integer and maxval is None:
            return self.uniform_full_int(shape, d)
        return _uniform(self, shape, minval, maxval, d)

    def uniform_full_int(self, shape, dtype=dtypes.uint64, name=None):
        d = dtypes.as_dtype(dtype)
        return _sample(RANDOM_UNIFORM_INT, self, shape, d, minval=0, maxval=None)

    def make_seeds(self, count=1):
        """``[2, count]`` int64 seeds for the stateless ops: new keys over zeros."""
        keys = self.uniform_full_int([count], dtypes.int64)._value
        from ._k import wrap
        return wrap(np.stack([keys, np.zeros_like(keys)]))

    def split(self, count=1):
        """``count`` new generators whose keys this one draws (their counters start at 0)."""
        keys = self.uniform_full_int([count], dtypes.int64)._value
        size = _state_size(self._alg)
        return [Generator(state=np.array([0] * (size - 1) + [k], np.int64), alg=self._alg)
                for k in keys]


EXPORTS = {
    "random": ["Generator", "categorical", "normal", "set_seed", "shuffle", "stateless_normal",
               "stateless_truncated_normal", "stateless_uniform", "truncated_normal", "uniform"],
}
