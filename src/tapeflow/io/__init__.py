"""``tf.io``: file and byte ops, TFRecord files, and ``tf.train.Example`` parsing (see
docs/io.md). The protobuf messages and CRC32C need the ``checkpoint`` extra."""

from ..ops.image_codecs import (  # noqa: F401 - TF keeps the image codecs in tf.io too
    decode_and_crop_jpeg, decode_bmp, decode_gif, decode_image, decode_jpeg, decode_png,
    decode_webp, encode_jpeg, encode_png, extract_jpeg_shape, is_jpeg)
from . import gfile  # noqa: F401
from ._basic import (  # noqa: F401
    decode_base64, decode_compressed, decode_json_example, decode_raw, deserialize_many_sparse,
    encode_base64, matching_files, parse_tensor, read_file, serialize_many_sparse,
    serialize_sparse, serialize_tensor, write_file)
from .tfrecord import TFRecordOptions, TFRecordWriter  # noqa: F401
from .parsing import (  # noqa: F401
    FixedLenFeature, FixedLenSequenceFeature, RaggedFeature, SparseFeature, VarLenFeature,
    parse_example,
    parse_sequence_example, parse_single_example, parse_single_sequence_example)
from .csv import decode_csv  # noqa: F401,E402
