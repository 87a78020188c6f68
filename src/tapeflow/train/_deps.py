"""The optional libraries the checkpoint file format needs (``pip install tapeflow[checkpoint]``),
imported on first use so that ``import tapeflow`` needs NumPy alone."""


def _missing(name):
    return ImportError(f"tf.train's checkpoint files need the optional package {name!r}: "
                       "pip install 'tapeflow[checkpoint]'")


def protobuf():
    try:
        from google.protobuf import descriptor_pb2, descriptor_pool, message_factory, text_format
    except ImportError as e:
        raise _missing("protobuf") from e
    return descriptor_pb2, descriptor_pool, message_factory, text_format


def crc32c():
    try:
        from crc32c import crc32c as extend  # hardware CRC32C over any buffer, no copy
    except ImportError as e:
        raise _missing("crc32c") from e
    return extend
