"""``tf.audio``: 16-bit PCM WAV files to and from float32 samples in [-1, 1], as TF's codec
writes and reads them (the 44-byte RIFF header, samples interleaved by channel)."""

import collections
import struct

import numpy as np

from ..framework import dtypes, errors
from ..framework.tensor import Tensor, convert_to_tensor, wrap

DecodeWav = collections.namedtuple("DecodeWav", ["audio", "sample_rate"])
_HEADER = struct.Struct("<4sI4s4sIHHIIHH4sI")


def encode_wav(audio, sample_rate, name=None):
    """``tf.audio.encode_wav``: ``[frames, channels]`` floats to a scalar string of WAV bytes.
    Each sample is ``x * 32768`` rounded half away from zero and clipped to int16."""
    x = audio if isinstance(audio, Tensor) else convert_to_tensor(audio, dtypes.float32)
    if x.dtype != dtypes.float32:
        raise errors.op_error("EncodeWav", "cannot compute EncodeWav as input #0(zero-based) was "
                              f"expected to be a float tensor but is a {x.dtype._op_name} tensor")
    samples = np.asarray(x._trace_value())  # read by value (guarded in a graph)
    if samples.ndim != 2:
        dims = ",".join(map(str, samples.shape))
        raise errors.op_error("EncodeWav", f"audio must be 2-dimensional[{dims}]", kernel=True)
    rate = int(np.asarray(convert_to_tensor(sample_rate)._trace_value()))
    scaled = np.nan_to_num(samples.astype(np.float64) * 32768.0, nan=0.0)
    pcm = np.clip(np.sign(scaled) * np.floor(np.abs(scaled) + 0.5), -32768, 32767)
    data = pcm.astype("<i2").tobytes()
    channels = samples.shape[1]
    header = _HEADER.pack(b"RIFF", 36 + len(data), b"WAVE", b"fmt ", 16, 1, channels, rate,
                          rate * channels * 2, channels * 2, 16, b"data", len(data))
    return wrap(np.asarray(header + data, object))


def decode_wav(contents, desired_channels=-1, desired_samples=-1, name=None):
    """``tf.audio.decode_wav``: ``(audio [frames, channels] float32, sample_rate int32)``.
    Extra channels repeat the last one; missing samples are zeros."""
    raw = np.asarray(convert_to_tensor(contents)._trace_value(), object).item()
    if len(raw) < 12 or raw[:4] != b"RIFF":
        raise _bad(f"Header mismatch: Expected RIFF but found {raw[:4].decode('latin-1')}")
    if raw[8:12] != b"WAVE":
        raise _bad(f"Header mismatch: Expected WAVE but found {raw[8:12].decode('latin-1')}")
    channels = rate = None
    pcm = None
    pos = 12
    while pos + 8 <= len(raw):
        chunk, size = raw[pos:pos + 4], struct.unpack("<I", raw[pos + 4:pos + 8])[0]
        body = raw[pos + 8:pos + 8 + size]
        if chunk == b"fmt ":
            fmt, channels, rate = struct.unpack("<HHI", body[:8])
            bits = struct.unpack("<H", body[14:16])[0]
            if fmt != 1:
                raise _bad(f"Bad audio format for WAV: Expected 1 (PCM), but got{fmt}")
            if bits != 16:
                raise _bad(f"Can only read 16-bit WAV files, but received {bits}")
        elif chunk == b"data":
            if channels is None:
                raise _bad("Unexpected data chunk before the format chunk")
            pcm = np.frombuffer(body[: len(body) // 2 * 2], "<i2")
        pos += 8 + size + (size & 1)
    if pcm is None:
        raise _bad("No data chunk found in WAV")
    audio = (pcm.astype(np.float32) / 32768.0).reshape(-1, channels)
    want = int(desired_channels)
    if want > 0 and want != channels:
        audio = audio[:, :want] if want < channels else np.concatenate(
            [audio, np.repeat(audio[:, -1:], want - channels, axis=1)], axis=1)
    frames = int(desired_samples)
    if frames >= 0 and frames != audio.shape[0]:
        audio = audio[:frames] if frames < audio.shape[0] else np.concatenate(
            [audio, np.zeros((frames - audio.shape[0], audio.shape[1]), np.float32)])
    return DecodeWav(wrap(np.ascontiguousarray(audio)), wrap(np.int32(rate)))


def _bad(text):
    return errors.op_error("DecodeWav", text, kernel=True)


EXPORTS = {"audio": ["decode_wav", "encode_wav"]}
