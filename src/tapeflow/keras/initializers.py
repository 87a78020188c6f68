"""``keras.initializers``: classes called as ``init(shape, dtype)``, and ``get`` by name."""

import math

import numpy as np

from ..framework import dtypes
from ..framework.tensor import convert_to_tensor
from ..ops import array_ops
from . import _serial
from ._serial import Configurable, lookup


def _dtype(dtype):
    return dtypes.float32 if dtype is None else dtypes.as_dtype(dtype)


def _fans(shape):
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive = math.prod(shape[:-2])
    return shape[-2] * receptive, shape[-1] * receptive


class Initializer(Configurable):
    def __call__(self, shape, dtype=None):
        raise NotImplementedError


class Constant(Initializer):
    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape, dtype=None):
        return array_ops.fill(tuple(shape), convert_to_tensor(self.value, _dtype(dtype)))

    def get_config(self):
        return {"value": self.value}


class Zeros(Initializer):
    def __call__(self, shape, dtype=None):
        return array_ops.zeros(tuple(shape), _dtype(dtype))


class Ones(Initializer):
    def __call__(self, shape, dtype=None):
        return array_ops.ones(tuple(shape), _dtype(dtype))


class _Seeded(Initializer):
    """An initializer that draws random values, as Keras 3's do: with the seed given (an
    integer or a ``keras.random.SeedGenerator``), else with one drawn from Python's ``random``
    when the initializer is made (so ``keras.utils.set_random_seed`` before building a model
    gives TF's weights). ``get_config`` keeps the seed given."""

    def __init__(self, seed=None):
        from .random import SeedGenerator, _default_seed
        if isinstance(seed, bool) or (seed is not None
                                      and not isinstance(seed, int | SeedGenerator)):
            raise ValueError("`seed` argument should be an instance of `keras.random."
                             f"SeedGenerator()` or an integer. Received: seed={seed}")
        self.seed = seed
        self._seed = _default_seed() if seed is None else seed

    def _draw(self, kind, shape, a, b, dtype):
        """``kind`` (normal, truncated_normal: mean a, stddev b; uniform: [a, b)) values, drawn
        by ``keras.random`` (an integer seeds TF's stateless ops with ``[seed, 0]``: TF's values,
        the same on every call)."""
        from . import random
        return getattr(random, kind)(shape, a, b, dtype, seed=self._seed)

    def get_config(self):
        return {"seed": self.seed}


class RandomNormal(_Seeded):
    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(seed)
        self.mean, self.stddev = mean, stddev

    def __call__(self, shape, dtype=None):
        return self._draw("normal", tuple(shape), self.mean, self.stddev, _dtype(dtype))

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


class TruncatedNormal(RandomNormal):
    def __call__(self, shape, dtype=None):
        return self._draw("truncated_normal", tuple(shape), self.mean, self.stddev,
                          _dtype(dtype))


class RandomUniform(_Seeded):
    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        super().__init__(seed)
        self.minval, self.maxval = minval, maxval

    def __call__(self, shape, dtype=None):
        return self._draw("uniform", tuple(shape), self.minval, self.maxval, _dtype(dtype))

    def get_config(self):
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed}


class VarianceScaling(_Seeded):
    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None,
                 input_axes=None, output_axes=None):
        super().__init__(seed)
        self.input_axes, self.output_axes = input_axes, output_axes
        if scale <= 0.0:
            raise ValueError(f"Argument `scale` must be positive float. Received: scale={scale}")
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError(f"Invalid `mode` argument: {mode}")
        if distribution not in ("truncated_normal", "untruncated_normal", "uniform"):
            raise ValueError(f"Invalid `distribution` argument: {distribution}")
        self.scale, self.mode, self.distribution = scale, mode, distribution

    def __call__(self, shape, dtype=None):
        shape = tuple(shape)
        if self.input_axes is not None and self.output_axes is not None:
            fan_in = math.prod(shape[a] for a in self.input_axes)
            fan_out = math.prod(shape[a] for a in self.output_axes)
        else:
            fan_in, fan_out = _fans(shape)
        fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}
        scale = self.scale / max(1.0, fan[self.mode])
        dtype = _dtype(dtype)
        if self.distribution == "truncated_normal":
            stddev = math.sqrt(scale) / 0.87962566103423978  # std of a unit normal cut at 2
            return self._draw("truncated_normal", shape, 0.0, stddev, dtype)
        if self.distribution == "untruncated_normal":
            return self._draw("normal", shape, 0.0, math.sqrt(scale), dtype)
        limit = math.sqrt(3.0 * scale)
        return self._draw("uniform", shape, -limit, limit, dtype)

    def get_config(self):
        return {"seed": self.seed, "scale": self.scale, "mode": self.mode,
                "distribution": self.distribution, "input_axes": self.input_axes,
                "output_axes": self.output_axes}


def _variance(name, scale, mode, distribution):
    def __init__(self, seed=None, input_axes=None, output_axes=None):
        VarianceScaling.__init__(self, scale, mode, distribution, seed, input_axes, output_axes)

    def get_config(self):
        return {"seed": self.seed, "input_axes": self.input_axes,
                "output_axes": self.output_axes}
    return type(name, (VarianceScaling,), {"__init__": __init__, "get_config": get_config})


GlorotUniform = _variance("GlorotUniform", 1.0, "fan_avg", "uniform")
GlorotNormal = _variance("GlorotNormal", 1.0, "fan_avg", "truncated_normal")
HeUniform = _variance("HeUniform", 2.0, "fan_in", "uniform")
HeNormal = _variance("HeNormal", 2.0, "fan_in", "truncated_normal")
LecunUniform = _variance("LecunUniform", 1.0, "fan_in", "uniform")
LecunNormal = _variance("LecunNormal", 1.0, "fan_in", "truncated_normal")


class Identity(Initializer):
    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None):
        if len(shape) != 2:
            raise ValueError(f"Identity matrix initializer can only be used for 2D matrices. "
                             f"Received: shape={shape} of rank {len(shape)}.")
        return convert_to_tensor(self.gain * np.eye(*shape), _dtype(dtype))

    def get_config(self):
        return {"gain": self.gain}


class Orthogonal(_Seeded):
    def __init__(self, gain=1.0, seed=None):
        super().__init__(seed)
        self.gain = gain

    def __call__(self, shape, dtype=None):
        shape = tuple(shape)
        rows = math.prod(shape[:-1])
        cols = shape[-1]
        a = self._draw("normal", (max(rows, cols), min(rows, cols)), 0.0, 1.0,
                       dtypes.float32).numpy()
        q, r = np.linalg.qr(a)
        q = q * np.sign(np.diag(r))
        if rows < cols:
            q = q.T
        return convert_to_tensor(self.gain * q.reshape(shape), _dtype(dtype))

    def get_config(self):
        return {"gain": self.gain, "seed": self.seed}


_BY_NAME = {
    "constant": Constant, "zeros": Zeros, "ones": Ones, "random_normal": RandomNormal,
    "random_uniform": RandomUniform, "truncated_normal": TruncatedNormal,
    "variance_scaling": VarianceScaling, "glorot_uniform": GlorotUniform,
    "glorot_normal": GlorotNormal, "he_uniform": HeUniform, "he_normal": HeNormal,
    "lecun_uniform": LecunUniform, "lecun_normal": LecunNormal, "identity": Identity,
    "orthogonal": Orthogonal}
for _cls in list(_BY_NAME.values()):
    _BY_NAME[_cls.__name__] = _cls
# Keras's short aliases ("uniform" in its RNN guide's cell)
_BY_NAME.update(uniform=RandomUniform, normal=RandomNormal, one=Ones, zero=Zeros)

# lower-case aliases are the classes too, as in keras.initializers
constant, zeros, ones = Constant, Zeros, Ones
random_normal, random_uniform, truncated_normal = RandomNormal, RandomUniform, TruncatedNormal
glorot_uniform, glorot_normal, he_uniform, he_normal = GlorotUniform, GlorotNormal, HeUniform, \
    HeNormal
lecun_uniform, lecun_normal, identity, orthogonal = LecunUniform, LecunNormal, Identity, Orthogonal


def serialize(initializer):
    return _serial.serialize(initializer, "keras.initializers")


def deserialize(config):
    return get(config)


def get(identifier):
    return lookup("initializer", identifier, _BY_NAME)


# --- STFT: the Fourier kernels of keras.layers.STFTSpectrogram ----------------------------------

_COSINE_WINDOWS = {  # the cosine-sum windows, by their coefficients (as scipy.signal names them)
    "hann": (0.5, 0.5), "hanning": (0.5, 0.5), "hamming": (0.54, 0.46),
    "blackman": (0.42, 0.50, 0.08), "nuttall": (0.3635819, 0.4891775, 0.1365995, 0.0106411),
    "blackmanharris": (0.35875, 0.48829, 0.14128, 0.01168),
    "flattop": (0.21557895, 0.41663158, 0.277263158, 0.083578947, 0.006947368),
    "boxcar": (1.0,), "rectangular": (1.0,), "ones": (1.0,),
}


def get_window(window, length, periodic=False):
    """The window ``window`` (a name) of ``length`` samples, as ``scipy.signal.get_window`` makes
    it (float64; ``periodic``: one sample longer, the last dropped, for spectral analysis)."""
    if window not in _COSINE_WINDOWS and window not in ("bartlett", "cosine"):
        raise ValueError(f"Invalid window name {window!r} in parameter window={window!r}!")
    if length == 1:
        return np.ones(1)
    size = length + 1 if periodic else length
    if window == "bartlett":
        n = np.arange(size)
        w = np.where(n <= (size - 1) / 2.0, 2.0 * n / (size - 1), 2.0 - 2.0 * n / (size - 1))
    elif window == "cosine":
        w = np.sin(np.pi / size * (np.arange(size) + 0.5))
    else:
        phase = np.linspace(-np.pi, np.pi, size)
        w = sum(a * np.cos(k * phase) for k, a in enumerate(_COSINE_WINDOWS[window]))
    return w[:length]


class STFT(Initializer):
    """Kernels ``[frame_length, 1, bins]`` whose convolution with a signal is its short-time
    Fourier transform (``side``: the real or the imaginary part), windowed and scaled."""

    def __init__(self, side="real", window="hann", scaling="density", periodic=False):
        if side not in ("real", "imag"):
            raise ValueError(f"side should be 'real' or 'imag', not {side}")
        if isinstance(window, str):
            get_window(window, 1)
        if scaling is not None and scaling not in ("density", "spectrum"):
            raise ValueError(f"Scaling is invalid, it must be `None`, 'density' or 'spectrum'. "
                             f"Received scaling={scaling}")
        self.side, self.window, self.scaling, self.periodic = side, window, scaling, periodic

    def __call__(self, shape, dtype=None):
        dtype = _dtype(dtype)
        np_dtype = dtype.as_numpy_dtype
        frame_length, _, bins = shape
        time = np.arange(frame_length, dtype=np_dtype).reshape(frame_length, 1, 1)
        freq = np.arange(bins, dtype=np_dtype).reshape(1, 1, bins) / np_dtype((bins - 1) * 2)
        angle = (np_dtype(-2) * time * freq) * np.arccos(np_dtype(-1))
        kernel = (np.cos(angle) if self.side == "real" else np.sin(angle)).astype(np_dtype)
        if self.window is not None:
            win = self.window
            if isinstance(win, str):
                win = get_window(win, frame_length, self.periodic)
            win = np.asarray(win).astype(np_dtype)
            if win.ndim != 1 or win.shape[-1] != frame_length:
                raise ValueError(f"The shape of `window` must be equal to [frame_length]."
                                 f"Received: window shape={win.shape}")
            win = win.reshape(frame_length, 1, 1)
            scale = {"density": lambda: np.sqrt(np.sum(np.square(win))),
                     "spectrum": lambda: np.sum(np.abs(win)), None: lambda: 1}[self.scaling]()
            kernel = (kernel * win / scale).astype(np_dtype)
        return convert_to_tensor(kernel)

    def get_config(self):
        return {"side": self.side, "window": self.window, "periodic": self.periodic,
                "scaling": self.scaling}


STFTInitializer = stft = STFT
_BY_NAME.update(STFT=STFT, STFTInitializer=STFT, stft=STFT)
