"""The audio preprocessing layers: ``MelSpectrogram`` (audio signals to (decibel) mel-scale
spectrograms, as Keras computes them: a centred STFT, magnitudes to the power ``mag_exp``,
HTK-style triangular mel filters) and ``STFTSpectrogram`` (spectrograms by convolution with
Fourier kernels, ``keras.initializers.STFT``)."""

import math
import warnings

import numpy as np

import tapeflow as tf

from ..initializers import STFT, get_window
from ..ops._core import stft
from .layer import InputSpec, Layer, base_config

_MEL_BREAK_HZ, _MEL_HIGH_Q = 700.0, 1127.0


def _hertz_to_mel(hertz):
    return _MEL_HIGH_Q * np.log(1.0 + hertz / np.float32(_MEL_BREAK_HZ))


def mel_weight_matrix(num_mel_bins, num_spectrogram_bins, sampling_rate, lower_hz, upper_hz):
    """[num_spectrogram_bins, num_mel_bins] float32 weights: triangles with peak 1, linear in
    mels, over ``[lower_hz, upper_hz]``; the DC bin gets no weight (HTK's convention)."""
    f32 = np.float32
    nyquist = f32(sampling_rate) / f32(2.0)
    bins_mel = _hertz_to_mel(np.linspace(f32(0), nyquist, num_spectrogram_bins,
                                         dtype=f32)[1:])[:, None]
    edges = np.linspace(_hertz_to_mel(f32(lower_hz)), _hertz_to_mel(f32(upper_hz)),
                        num_mel_bins + 2, dtype=f32)
    lower, center, upper = edges[:-2][None], edges[1:-1][None], edges[2:][None]
    rising = (bins_mel - lower) / (center - lower)
    falling = (upper - bins_mel) / (upper - center)
    weights = np.maximum(f32(0), np.minimum(rising, falling))
    return np.pad(weights, [[1, 0], [0, 0]]).astype(f32)


class MelSpectrogram(Layer):
    """Raw audio (``[samples]`` or ``[batch, samples]``) to mel spectrograms
    (``[..., num_mel_bins, frames]``), in decibels when ``power_to_db``."""

    def __init__(self, fft_length=2048, sequence_stride=512, sequence_length=None,
                 window="hann", sampling_rate=16000, num_mel_bins=128, min_freq=20.0,
                 max_freq=None, power_to_db=True, top_db=80.0, mag_exp=2.0, min_power=1e-10,
                 ref_power=1.0, **kwargs):
        self.fft_length, self.sequence_stride = fft_length, sequence_stride
        self.sequence_length = sequence_length or fft_length
        if self.fft_length < self.sequence_length:
            raise ValueError(f"`fft_length` must be greater than or equal to   "
                             f"`sequence_length`. Received: `sequence_length`="
                             f"{self.sequence_length}, `fft_length`={self.fft_length}.")
        self.window, self.sampling_rate, self.num_mel_bins = window, sampling_rate, num_mel_bins
        self.min_freq, self.max_freq = min_freq, max_freq or int(sampling_rate / 2)
        self.power_to_db, self.top_db, self.mag_exp = power_to_db, top_db, mag_exp
        self.min_power, self.ref_power = min_power, ref_power
        super().__init__(**kwargs)
        self.built = True

    def __call__(self, inputs, *args, **kwargs):
        if isinstance(inputs, list | tuple):
            inputs = np.asarray(inputs)
        return super().__call__(inputs, *args, **kwargs)

    def call(self, inputs):
        dtype = self.dtype if self.dtype in ("float32", "float64") else "float32"
        x = tf.cast(inputs, dtype)
        real, imag = stft(x, self.sequence_length, self.sequence_stride, self.fft_length,
                          self.window, center=True)
        spectrum = tf.pow(tf.sqrt(tf.square(real) + tf.square(imag)), self.mag_exp)
        matrix = mel_weight_matrix(self.num_mel_bins, spectrum.shape[-1], self.sampling_rate,
                                   self.min_freq, self.max_freq)
        mel = tf.tensordot(spectrum, tf.constant(matrix.astype(dtype)), 1)
        if self.power_to_db:
            mel = self._decibels(mel)
        return tf.cast(tf.linalg.matrix_transpose(mel), self.dtype)

    def _decibels(self, power):
        def db(value):
            return 10.0 * tf.math.log(tf.maximum(value, tf.cast(self.min_power, value.dtype))) \
                / tf.math.log(tf.constant(10.0, value.dtype))
        out = db(power) - db(tf.abs(tf.constant(self.ref_power, power.dtype)))
        return tf.maximum(out, tf.reduce_max(out) - self.top_db)

    def compute_output_shape(self, input_shape):
        time = input_shape[-1]
        frames = None if time is None else (time + self.sequence_stride + 1) // \
            self.sequence_stride
        return tuple(input_shape[:-1]) + (self.num_mel_bins, frames)

    def get_config(self):
        return {**base_config(self), "fft_length": self.fft_length,
                "sequence_stride": self.sequence_stride,
                "sequence_length": self.sequence_length, "window": self.window,
                "sampling_rate": self.sampling_rate, "num_mel_bins": self.num_mel_bins,
                "min_freq": self.min_freq, "max_freq": self.max_freq,
                "power_to_db": self.power_to_db, "top_db": self.top_db,
                "mag_exp": self.mag_exp, "min_power": self.min_power,
                "ref_power": self.ref_power}


class STFTSpectrogram(Layer):
    """Spectrograms of ``[batch, time, channels]`` signals (``channels_last``) by convolution
    with (trainable) Fourier kernels: ``mode`` "log", "magnitude", "psd", "real", "imag",
    "angle" or "stft" (real and imaginary parts side by side)."""

    _MODES = ("log", "magnitude", "psd", "real", "imag", "angle", "stft")

    def __init__(self, mode="log", frame_length=256, frame_step=None, fft_length=None,
                 window="hann", periodic=False, scaling="density", padding="valid",
                 expand_dims=False, data_format=None, **kwargs):
        if frame_step is not None and (frame_step > frame_length or frame_step < 1):
            raise ValueError(f"`frame_step` should be a positive integer not greater than "
                             f"`frame_length`. Received frame_step={frame_step}, "
                             f"frame_length={frame_length}")
        if fft_length is not None and fft_length < frame_length:
            raise ValueError(f"`fft_length` should be not less than `frame_length`. Received "
                             f"fft_length={fft_length}, frame_length={frame_length}")
        if fft_length is not None and (fft_length & -fft_length) != fft_length:
            warnings.warn(f"`fft_length` is recommended to be a power of two. Received "
                          f"fft_length={fft_length}", stacklevel=2)
        if mode not in self._MODES:
            raise ValueError(f"Output mode is invalid, it must be one of "
                             f"{', '.join(self._MODES)}. Received: mode={mode}")
        if scaling is not None and scaling not in ("density", "spectrum"):
            raise ValueError(f"Scaling is invalid, it must be `None`, 'density' or 'spectrum'. "
                             f"Received scaling={scaling}")
        if padding not in ("valid", "same"):
            raise ValueError(f"Padding is invalid, it should be 'valid', 'same'. Received: "
                             f"padding={padding}")
        if isinstance(window, str):
            get_window(window, 1)
        super().__init__(**kwargs)
        self.mode, self.frame_length, self.frame_step = mode, frame_length, frame_step
        self._frame_step = frame_step or frame_length // 2
        self.fft_length = fft_length
        self._fft_length = fft_length or 2 ** int(math.ceil(math.log2(frame_length)))
        self.window, self.periodic, self.scaling = window, periodic, scaling
        self.padding, self.expand_dims = padding, expand_dims
        self.data_format = data_format or tf.keras.config.image_data_format()
        self.input_spec = InputSpec(ndim=3)

    def build(self, input_shape):
        shape = (self.frame_length, 1, self._fft_length // 2 + 1)
        for side in ("real", "imag"):
            if self.mode != {"real": "imag", "imag": "real"}[side]:
                setattr(self, f"{side}_kernel", self.add_weight(
                    shape, STFT(side, self.window, self.scaling, self.periodic),
                    name=f"{side}_kernel"))
        self.built = True

    def _transform(self, inputs, kernel):
        """[batch, channels, bins, frames]: each channel convolved with ``kernel``."""
        last = self.data_format == "channels_last"
        signals = tf.transpose(inputs, [0, 2, 1]) if last else inputs
        channels, time = signals.shape[1], tf.shape(signals)[2]
        out = tf.nn.conv1d(tf.reshape(signals, [-1, time, 1]), tf.cast(kernel, inputs.dtype),
                           self._frame_step, self.padding.upper())
        bins = out.shape[-1]
        return tf.reshape(tf.transpose(out, [0, 2, 1]), [-1, channels, bins, tf.shape(out)[1]])

    def _arrange(self, outputs):
        """[batch, channels, bins, frames] in the layer's output layout."""
        channels, bins = outputs.shape[1], outputs.shape[2]
        if self.expand_dims:
            return tf.transpose(outputs, [0, 3, 2, 1] if self.data_format == "channels_last"
                                else [0, 1, 3, 2])
        merged = tf.reshape(outputs, [-1, channels * bins, tf.shape(outputs)[3]])
        return tf.transpose(merged, [0, 2, 1]) if self.data_format == "channels_last" else \
            merged

    def call(self, inputs):
        if inputs.dtype.name not in ("float16", "float32", "float64"):
            raise TypeError(f"Invalid input type. Expected `float16`, `float32` or `float64`. "
                            f"Received: input type={inputs.dtype.name}")
        real = None if self.mode == "imag" else self._transform(inputs, self.real_kernel)
        imag = None if self.mode == "real" else self._transform(inputs, self.imag_kernel)
        if self.mode in ("real", "imag"):
            return self._arrange(real if self.mode == "real" else imag)
        if self.mode == "angle":
            return self._arrange(tf.math.atan2(imag, real))
        if self.mode == "stft":
            return self._arrange(tf.concat([real, imag], axis=2))
        power = tf.square(real) + tf.square(imag)
        if self.mode == "psd":  # the bins but the first and last count twice (one-sided)
            return self._arrange(power + tf.pad(power[:, :, 1:-1, :],
                                                [[0, 0], [0, 0], [1, 1], [0, 0]]))
        eps = tf.keras.backend.epsilon()
        magnitude = self._arrange(tf.sqrt(tf.maximum(power, eps)))
        return magnitude if self.mode == "magnitude" else tf.math.log(
            tf.maximum(magnitude, eps))

    def compute_output_shape(self, input_shape):
        last = self.data_format == "channels_last"
        batch, channels, time = (input_shape[0], input_shape[2], input_shape[1]) if last else \
            tuple(input_shape)
        bins = (self._fft_length // 2 + 1) * (2 if self.mode == "stft" else 1)
        if time is not None:
            time = -(-time // self._frame_step) if self.padding == "same" else \
                (time - self.frame_length) // self._frame_step + 1
        if self.expand_dims:
            return (batch, time, bins, channels) if last else (batch, channels, time, bins)
        return (batch, time, bins * channels) if last else (batch, bins * channels, time)

    def get_config(self):
        return {**base_config(self), "mode": self.mode, "frame_length": self.frame_length,
                "frame_step": self.frame_step, "fft_length": self.fft_length,
                "window": self.window, "periodic": self.periodic, "scaling": self.scaling,
                "padding": self.padding, "data_format": self.data_format,
                "expand_dims": self.expand_dims}
