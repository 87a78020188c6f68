"""The protocol-buffer messages of TensorFlow's checkpoint files, declared here from their field
numbers (the wire contract) and built at run time with protobuf's descriptor API: no .proto
files, no protoc step.

    BundleHeaderProto     the ``.index`` file's header entry (key ``""``)
    BundleEntryProto      one tensor's place in the data shard: dtype, shape, offset, size, crc32c
    TrackableObjectGraph  the object graph under ``_CHECKPOINTABLE_OBJECT_GRAPH``
    CheckpointState       the text ``checkpoint`` state file
"""

from ._deps import protobuf

_descriptor_pb2, _pool_mod, _factory, text_format = protobuf()

# (field name, number, type, label, message type name or None)
_I32, _I64, _STR, _BOOL, _DBL, _F32, _ENUM, _MSG = 5, 3, 9, 8, 1, 7, 14, 11
_ONE, _MANY = 1, 3

_MESSAGES = {
    "VersionDef": [("producer", 1, _I32, _ONE), ("min_consumer", 2, _I32, _ONE),
                   ("bad_consumers", 3, _I32, _MANY)],
    "BundleHeaderProto": [("num_shards", 1, _I32, _ONE), ("endianness", 2, _I32, _ONE),
                          ("version", 3, "VersionDef", _ONE)],
    "Dim": [("size", 1, _I64, _ONE), ("name", 2, _STR, _ONE)],
    "TensorShapeProto": [("dim", 2, "Dim", _MANY), ("unknown_rank", 3, _BOOL, _ONE)],
    "Extent": [("start", 1, _I64, _ONE), ("length", 2, _I64, _ONE)],
    "TensorSliceProto": [("extent", 1, "Extent", _MANY)],
    "BundleEntryProto": [("dtype", 1, _I32, _ONE), ("shape", 2, "TensorShapeProto", _ONE),
                         ("shard_id", 3, _I32, _ONE), ("offset", 4, _I64, _ONE),
                         ("size", 5, _I64, _ONE), ("crc32c", 6, _F32, _ONE),
                         ("slices", 7, "TensorSliceProto", _MANY)],
    "ObjectReference": [("node_id", 1, _I32, _ONE), ("local_name", 2, _STR, _ONE)],
    "SerializedTensor": [("name", 1, _STR, _ONE), ("full_name", 2, _STR, _ONE),
                         ("checkpoint_key", 3, _STR, _ONE)],
    "SlotVariableReference": [("original_variable_node_id", 1, _I32, _ONE),
                              ("slot_name", 2, _STR, _ONE),
                              ("slot_variable_node_id", 3, _I32, _ONE)],
    "RegisteredSaver": [("name", 1, _STR, _ONE), ("object_name", 2, _STR, _ONE)],
    "BoolValue": [("value", 1, _BOOL, _ONE)],
    "TrackableObject": [("children", 1, "ObjectReference", _MANY),
                        ("attributes", 2, "SerializedTensor", _MANY),
                        ("slot_variables", 3, "SlotVariableReference", _MANY),
                        ("registered_saver", 4, "RegisteredSaver", _ONE),
                        ("has_checkpoint_values", 5, "BoolValue", _ONE)],
    "TrackableObjectGraph": [("nodes", 1, "TrackableObject", _MANY)],
    "CheckpointState": [("model_checkpoint_path", 1, _STR, _ONE),
                        ("all_model_checkpoint_paths", 2, _STR, _MANY),
                        ("all_model_checkpoint_timestamps", 3, _DBL, _MANY),
                        ("last_preserved_timestamp", 4, _DBL, _ONE)],
}

_PACKAGE = "tapeflow.checkpoint"


def build_messages(file_name, package, messages):
    """Message classes for ``messages`` ({name: [(field, number, type, label[, oneof])]}) in a
    private descriptor pool. A type ``("map", key_type, value_type)`` makes a map field; a
    5th item groups fields into that named oneof."""
    f = _descriptor_pb2.FileDescriptorProto(name=file_name, package=package, syntax="proto3")

    def set_type(d, kind):
        if isinstance(kind, str):
            d.type, d.type_name = _MSG, f".{package}.{kind}"
        else:
            d.type = kind

    for name, fields in messages.items():
        m = f.message_type.add(name=name)
        oneofs = []
        for field, number, kind, label, *oneof in fields:
            d = m.field.add(name=field, number=number, label=label)
            if isinstance(kind, tuple):  # map<key, value>: a nested repeated entry message
                entry = m.nested_type.add(name="".join(w.title() for w in field.split("_"))
                                          + "Entry")
                entry.options.map_entry = True
                set_type(entry.field.add(name="key", number=1, label=_ONE), kind[1])
                set_type(entry.field.add(name="value", number=2, label=_ONE), kind[2])
                d.type, d.type_name = _MSG, f".{package}.{name}.{entry.name}"
            else:
                set_type(d, kind)
            if oneof:
                if oneof[0] not in oneofs:
                    oneofs.append(oneof[0])
                    m.oneof_decl.add(name=oneof[0])
                d.oneof_index = oneofs.index(oneof[0])
    pool = _pool_mod.DescriptorPool()
    pool.Add(f)
    return {name: _factory.GetMessageClass(pool.FindMessageTypeByName(f"{package}.{name}"))
            for name in messages}


_CLASSES = build_messages("tapeflow/checkpoint.proto", _PACKAGE, _MESSAGES)
BundleHeaderProto = _CLASSES["BundleHeaderProto"]
BundleEntryProto = _CLASSES["BundleEntryProto"]
TrackableObjectGraph = _CLASSES["TrackableObjectGraph"]
CheckpointState = _CLASSES["CheckpointState"]
