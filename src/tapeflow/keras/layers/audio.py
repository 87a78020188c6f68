"""``MelSpectrogram``: audio signals to (decibel) mel-scale spectrograms, as Keras computes them
(a centred STFT, magnitudes to the power ``mag_exp``, HTK-style triangular mel filters)."""

import numpy as np

import tapeflow as tf

from ..ops._core import stft
from .layer import Layer, base_config

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
