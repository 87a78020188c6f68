"""``keras.random``: Keras 3's random functions, stateless as Keras's are.

An integer ``seed`` always gives the same values (it seeds tapeflow's ``tf.random.stateless_*``
ops with ``[seed, 0]``); a ``SeedGenerator`` gives new values on each call (its state advances);
``seed=None`` draws from a global ``SeedGenerator``. The stateless ops are TF's Philox streams, so
the values are TF's.
"""

import random as _random

import numpy as _np

import tapeflow as _tf

from ..ops._k import run_size as _run_size
from .ops._base import _FLOATX
from .ops._base import dtype_name as _dtype_name
from .ops._base import tensor as _t


def _default_seed():
    """A seed for what was given none, from Python's ``random`` (as Keras 3 draws it: after
    ``keras.utils.set_random_seed`` a model's unseeded initializers and dropout draw TF's
    values)."""
    return _random.randint(1, int(1e9))


class SeedGenerator:
    """A random state: each function given it as ``seed`` draws new values from it."""

    def __init__(self, seed=None, name=None, **kwargs):
        kwargs.pop("backend", None)
        if kwargs:
            raise ValueError(f"Unrecognized keyword arguments: {kwargs}")
        if name is None:
            from ._naming import auto_name  # counted with the layers' names (clear_session)
            name = auto_name("seed_generator")
        self.name = name
        self._initial_seed = seed
        if seed is None:
            seed = _default_seed()
        if not isinstance(seed, int):
            raise ValueError(f"Argument `seed` must be an integer. Received: seed={seed}")
        from .layers.layer import Variable  # a Keras variable, printed with its path as Keras's
        self.state = Variable(_np.array([seed, 0], "int64"), trainable=False,
                              name="seed_generator_state",
                              path=f"{name}/seed_generator_state", autocast=False)

    def next(self, ordered=True):
        value = _tf.identity(self.state)
        if ordered:
            self.state.assign_add(_tf.constant([0, 1], "int64"))
        else:
            self.state.assign((self.state + 1) * 5387 % 933199)
        return value

    def get_config(self):
        return {"seed": self._initial_seed, "name": self.name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


_global = []


def _draw(seed):
    if isinstance(seed, SeedGenerator):
        pair = seed.next()
    elif isinstance(seed, int) and not isinstance(seed, bool):
        pair = _tf.constant([seed, 0], "int64")
    elif seed is None:
        if not _global:
            _global.append(SeedGenerator(name="global_seed_generator"))
        pair = _global[0].next(ordered=False)
    else:
        raise ValueError("Argument `seed` must be either an integer or an instance of "
                         f"`SeedGenerator`. Received: seed={seed} (of type {type(seed)})")
    return _tf.cast(_tf.math.floormod(pair, 2 ** 31 - 2), "int32")


def _dtype(dtype):
    return _FLOATX[0] if dtype is None else _dtype_name(dtype)


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    return _tf.random.stateless_normal(shape, _draw(seed), mean, stddev, _dtype(dtype))


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    dtype = _dtype(dtype)
    return _tf.random.stateless_uniform(shape, _draw(seed), _tf.cast(minval, dtype),
                                        _tf.cast(maxval, dtype), dtype)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    return _tf.random.stateless_truncated_normal(shape, _draw(seed), mean, stddev,
                                                 _dtype(dtype))


def randint(shape, minval, maxval, dtype="int32", seed=None):
    dtype = _dtype_name(dtype)
    inner = dtype if dtype in ("int32", "int64") else "int64"
    out = _tf.random.stateless_uniform(shape, _draw(seed), minval, maxval, inner)
    return _tf.cast(out, dtype)


def categorical(logits, num_samples, dtype="int32", seed=None):
    out = _tf.random.stateless_categorical(_t(logits), num_samples, _draw(seed))
    return _tf.cast(out, _dtype_name(dtype))


def dropout(inputs, rate, noise_shape=None, seed=None):
    inputs = _t(inputs)
    if rate == 1.0:
        return _tf.zeros_like(inputs)
    if rate == 0.0:
        return inputs
    shape = _tf.shape(inputs) if noise_shape is None else \
        [d if d is not None else _tf.shape(inputs)[i] for i, d in enumerate(noise_shape)]
    # TF's stateless dropout: the inputs times 1 / (1 - rate) (rounded to their dtype), kept
    # where a uniform draw is at least ``rate``
    scaled = inputs * _tf.constant(1 / (1 - rate), inputs.dtype)
    keep = uniform(shape, dtype=inputs.dtype, seed=seed) >= rate
    return _tf.where(keep, scaled, _tf.zeros_like(inputs))


def shuffle(x, axis=0, seed=None):
    x = _t(x)
    order = _tf.argsort(uniform([_run_size(x, axis)], seed=seed))  # traced: when run
    return _tf.gather(x, order, axis=axis)


def gamma(shape, alpha, dtype=None, seed=None):
    dtype = _dtype(dtype)
    return _tf.random.stateless_gamma(shape, _draw(seed), alpha=alpha, dtype=dtype)


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    dtype = _dtype(dtype)
    return _tf.random.stateless_binomial(shape, _draw(seed), counts, probabilities,
                                         output_dtype=dtype)


def beta(shape, alpha, beta, dtype=None, seed=None):
    """``X / (X + Y)`` for ``X ~ Gamma(alpha)``, ``Y ~ Gamma(beta)`` from two seeds."""
    dtype = _dtype(dtype)
    pair = _draw(seed)
    first = _tf.random.stateless_gamma(shape, pair, alpha=alpha, dtype=dtype)
    second = _tf.random.stateless_gamma(shape, pair + _tf.constant([0, 1], "int32"),
                                        alpha=beta, dtype=dtype)
    return first / (first + second)
