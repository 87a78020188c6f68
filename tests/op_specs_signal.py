"""Op-table rows for tf.signal (tapeflow/ops/signal_ops.py; collected by op_specs.py)."""

import tapeflow as tf

from op_spec_base import OpSpec


def _re(z):
    """A real function of a complex result that sees both parts."""
    return tf.math.real(z) + 0.5 * tf.math.imag(z)


def _z(a, b):
    return tf.complex(a, b)


PAIR4 = [((4,), (4,))]
SPECS = [
    OpSpec("fft", lambda a, b: _re(tf.signal.fft(_z(a, b))), [((4,), (4,)), ((2, 3), (2, 3))]),
    OpSpec("ifft", lambda a, b: _re(tf.signal.ifft(_z(a, b))), PAIR4),
    OpSpec("fft2d", lambda a, b: _re(tf.signal.fft2d(_z(a, b))), [((2, 3), (2, 3))]),
    OpSpec("ifft2d", lambda a, b: _re(tf.signal.ifft2d(_z(a, b))), [((2, 3), (2, 3))]),
    OpSpec("fft3d", lambda a, b: _re(tf.signal.fft3d(_z(a, b))), [((2, 2, 2), (2, 2, 2))]),
    OpSpec("ifft3d", lambda a, b: _re(tf.signal.ifft3d(_z(a, b))), [((2, 2, 2), (2, 2, 2))]),
    OpSpec("rfft", lambda x: _re(tf.signal.rfft(x)), [((6,),), ((2, 5),)]),
    OpSpec("rfft_len", lambda x: _re(tf.signal.rfft(x, [5])), [((4,),)]),
    OpSpec("irfft", lambda a, b: tf.signal.irfft(_z(a, b)), PAIR4),
    OpSpec("irfft_odd", lambda a, b: tf.signal.irfft(_z(a, b), [7]), PAIR4),
    OpSpec("rfft2d", lambda x: _re(tf.signal.rfft2d(x)), [((2, 4),)]),
    OpSpec("irfft2d", lambda a, b: tf.signal.irfft2d(_z(a, b)), [((2, 3), (2, 3))]),
    OpSpec("rfft3d", lambda x: _re(tf.signal.rfft3d(x)), [((2, 2, 3),)]),
    OpSpec("irfft3d", lambda a, b: tf.signal.irfft3d(_z(a, b)), [((2, 2, 2), (2, 2, 2))]),
    OpSpec("fftshift", lambda x: tf.signal.fftshift(x) * tf.range(1.0, 6.0, dtype=x.dtype),
           [((5,),)]),
    OpSpec("frame", lambda x: tf.signal.frame(x, 3, 2, pad_end=True), [((6,),)]),
    OpSpec("overlap_and_add", lambda x: tf.signal.overlap_and_add(x, 2), [((3, 4),)]),
    OpSpec("stft", lambda x: _re(tf.signal.stft(x, 4, 2)), [((8,),)]),
    OpSpec("inverse_stft", lambda a, b: tf.signal.inverse_stft(_z(a, b), 4, 2),
           [((2, 3), (2, 3))]),
    OpSpec("dct1", lambda x: tf.signal.dct(x, type=1), [((4,),)]),
    OpSpec("dct2_ortho", lambda x: tf.signal.dct(x, norm="ortho"), [((2, 4),)]),
    OpSpec("idct3", lambda x: tf.signal.idct(x, type=3), [((4,),)]),
    OpSpec("dct4_n", lambda x: tf.signal.dct(x, type=4, n=5), [((4,),)]),
    OpSpec("mdct", lambda x: tf.signal.mdct(x, 4), [((8,),)]),
    OpSpec("inverse_mdct", lambda x: tf.signal.inverse_mdct(x), [((3, 2),)]),
    OpSpec("mfccs", tf.signal.mfccs_from_log_mel_spectrograms, [((2, 4),)]),
]
