"""The protocol-buffer messages of ``tf.io`` and ``tf.train``, declared by TF's own field numbers
(tensor.proto, tensor_shape.proto, feature.proto, example.proto) so that their bytes are TF's.

    TensorProto       ``tf.io.serialize_tensor``'s bytes
    Example           a map of named features; ``SequenceExample`` adds lists of them
    Feature           one of BytesList, FloatList, Int64List
"""

from ..train._protos import build_messages

# descriptor.proto's field types and labels
_DBL, _FLOAT, _I64, _U64, _I32, _BOOL, _STR, _BYTES, _U32 = 1, 2, 3, 4, 5, 8, 9, 12, 13
_ONE, _MANY = 1, 3

_MESSAGES = {
    "Dim": [("size", 1, _I64, _ONE), ("name", 2, _STR, _ONE)],
    "TensorShapeProto": [("dim", 2, "Dim", _MANY), ("unknown_rank", 3, _BOOL, _ONE)],
    "TensorProto": [("dtype", 1, _I32, _ONE), ("tensor_shape", 2, "TensorShapeProto", _ONE),
                    ("version_number", 3, _I32, _ONE), ("tensor_content", 4, _BYTES, _ONE),
                    ("half_val", 13, _I32, _MANY), ("float_val", 5, _FLOAT, _MANY),
                    ("double_val", 6, _DBL, _MANY), ("int_val", 7, _I32, _MANY),
                    ("string_val", 8, _BYTES, _MANY), ("scomplex_val", 9, _FLOAT, _MANY),
                    ("int64_val", 10, _I64, _MANY), ("bool_val", 11, _BOOL, _MANY),
                    ("dcomplex_val", 12, _DBL, _MANY), ("uint32_val", 16, _U32, _MANY),
                    ("uint64_val", 17, _U64, _MANY), ("float8_val", 18, _BYTES, _ONE)],
    "BytesList": [("value", 1, _BYTES, _MANY)],
    "FloatList": [("value", 1, _FLOAT, _MANY)],
    "Int64List": [("value", 1, _I64, _MANY)],
    "Feature": [("bytes_list", 1, "BytesList", _ONE, "kind"),
                ("float_list", 2, "FloatList", _ONE, "kind"),
                ("int64_list", 3, "Int64List", _ONE, "kind")],
    "Features": [("feature", 1, ("map", _STR, "Feature"), _MANY)],
    "FeatureList": [("feature", 1, "Feature", _MANY)],
    "FeatureLists": [("feature_list", 1, ("map", _STR, "FeatureList"), _MANY)],
    "Example": [("features", 1, "Features", _ONE)],
    "SequenceExample": [("context", 1, "Features", _ONE),
                        ("feature_lists", 2, "FeatureLists", _ONE)],
}

_CLASSES = build_messages("tapeflow/example.proto", "tensorflow", _MESSAGES)
TensorProto = _CLASSES["TensorProto"]
BytesList, FloatList, Int64List = (_CLASSES[n] for n in ("BytesList", "FloatList", "Int64List"))
Feature, Features = _CLASSES["Feature"], _CLASSES["Features"]
FeatureList, FeatureLists = _CLASSES["FeatureList"], _CLASSES["FeatureLists"]
Example, SequenceExample = _CLASSES["Example"], _CLASSES["SequenceExample"]

# the classes' types print as TF's do (<class 'tensorflow.core.example.example_pb2.Example'>)
for _cls in (Example, SequenceExample):
    _cls.__module__ = "tensorflow.core.example.example_pb2"
for _cls in (BytesList, FloatList, Int64List, Feature, Features, FeatureList, FeatureLists):
    _cls.__module__ = "tensorflow.core.example.feature_pb2"
TensorProto.__module__ = "tensorflow.core.framework.tensor_pb2"
