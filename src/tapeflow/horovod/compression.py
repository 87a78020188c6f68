"""``hvd.Compression``: how gradients travel (as they are, or as float16)."""

from ..framework import dtypes
from ..ops.array_ops import cast


class NoneCompressor:
    """Send tensors unchanged."""

    @staticmethod
    def compress(tensor):
        return tensor, None

    @staticmethod
    def decompress(tensor, ctx):
        return tensor


class FP16Compressor:
    """Send floating tensors as float16 (half the bytes), restore their dtype on arrival."""

    @staticmethod
    def compress(tensor):
        dtype = tensor.dtype
        if dtype.is_floating and dtype != dtypes.float16:
            return cast(tensor, dtypes.float16), dtype
        return tensor, None

    @staticmethod
    def decompress(tensor, ctx):
        return tensor if ctx is None else cast(tensor, ctx)


class Compression:
    """Optional gradient compression: ``Compression.none`` or ``Compression.fp16``."""

    none = NoneCompressor
    fp16 = FP16Compressor
