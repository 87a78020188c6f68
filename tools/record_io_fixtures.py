"""Record what TensorFlow's tf.io / TFRecord / Example / CSV code does, for tests/test_io.py.

    /work/tfenv/bin/python tools/record_io_fixtures.py

Writes tests/fixtures/io/: a TFRecord file (plain and GZIP) of Examples TF serialized, and
cases.json: each case's inputs and TF's result (values, dtypes, shapes) or error (type, text).
The cases are plain data so that the test builds the same calls with tapeflow.
"""

import base64
import json
import os
import sys

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "io")


def example_specs():
    """Examples as {key: (kind, values)}; bytes values as str."""
    return [
        {"a": ["float_list", [1.0, 2.0, 3.0]], "b": ["int64_list", [7]],
         "s": ["bytes_list", ["x", "yy"]], "ix": ["int64_list", [2, 0, 1]]},
        {"a": ["float_list", [4.0, 5.5, -1.0]], "s": ["bytes_list", ["z"]],
         "seq": ["float_list", [1.0, 2.0, 3.0, 4.0]], "ix": ["int64_list", [4, 1, 0]]},
        {"a": ["float_list", [0.25, 0.5, 0.75]], "b": ["int64_list", [-3]],
         "s": ["bytes_list", []], "seq": ["float_list", [9.0, 8.0]],
         "ix": ["int64_list", [0, 1, 2]]},
    ]


def feature_cases():
    """(name, features {key: [kind, shape, dtype, default, allow_missing]}, batch of examples
    (indices into example_specs, or None for one scalar record))."""
    return [
        ("fixed", {"a": ["fixed", [3], "float32", None], "b": ["fixed", [], "int64", 0]}, None),
        ("fixed_batch", {"a": ["fixed", [3], "float32", None],
                         "b": ["fixed", [], "int64", 5]}, [0, 1, 2]),
        ("fixed_2d", {"a": ["fixed", [3, 1], "float32", None]}, [0, 1]),
        ("wrong_count", {"a": ["fixed", [2], "float32", None]}, None),
        ("wrong_count_batch", {"a": ["fixed", [2], "float32", None]}, [0, 1]),
        ("wrong_type", {"a": ["fixed", [3], "int64", None]}, None),
        ("wrong_type_batch", {"a": ["fixed", [3], "int64", None]}, [1, 0]),
        ("missing", {"zz": ["fixed", [3], "int64", None]}, None),
        ("missing_batch", {"b": ["fixed", [], "int64", None]}, [0, 1]),
        ("default_vector", {"zz": ["fixed", [2], "string", ["p", "q"]]}, [0, 1]),
        ("varlen", {"s": ["varlen", None, "string", None], "zz": ["varlen", None, "float32",
                                                                     None]}, None),
        ("varlen_batch", {"s": ["varlen", None, "string", None],
                          "b": ["varlen", None, "int64", None]}, [0, 1, 2]),
        ("varlen_wrong_type", {"s": ["varlen", None, "int64", None]}, [0]),
        ("seq", {"seq": ["seqfixed", [], "float32", None, True]}, None),
        ("seq_batch", {"seq": ["seqfixed", [2], "float32", -1.0, True]}, [0, 1, 2]),
        ("seq_indivisible", {"a": ["seqfixed", [2], "float32", None, True]}, [0]),
        ("mixed_order", {"s": ["varlen", None, "string", None], "b": ["fixed", [], "int64", 1],
                         "A": ["varlen", None, "float32", None],
                         "a": ["fixed", [3], "float32", None]}, [0, 2]),
        ("ragged_batch", {"a": ["ragged", None, "float32", None],
                          "s": ["ragged", None, "string", None]}, [0, 1, 2]),
        ("ragged_lengths", {"r": ["ragged", None, "float32", None, "a",
                                  [["RowLengths", "ix"]]]}, [0, 2]),
        ("ragged_uniform_single", {"r": ["ragged", None, "float32", None, "a",
                                         [["UniformRowLength", 3]]]}, None),
        ("ragged_rowids", {"r": ["ragged", None, "float32", None, "a",
                                 [["ValueRowIds", "ix"]]]}, [2]),
        ("ragged_two", {"r": ["ragged", None, "float32", None, "a",
                              [["UniformRowLength", 1], ["RowLengths", "ix"]]]}, [0, 2]),
        ("sparse_feature", {"sp": ["sparse", 5, "float32", None, "ix", "a"],
                            "b": ["varlen", None, "int64", None]}, [0, 1, 2]),
        ("sparse_feature_single", {"sp": ["sparse", 5, "float32", None, "ix", "a"]}, None),
        ("sparse_feature_2d", {"sp": ["sparse", [5, 8], "float32", None, ["ix", "ix"], "a"]},
         [1, 2]),
    ]


def csv_cases():
    """(name, records, record_defaults as [dtype, value or None], kwargs)."""
    return [
        ("basic", ["1,2.5,a", '3,,"b,c"'], [["int32", 0], ["float32", 1.0], ["string", "z"]], {}),
        ("required", ["1,,a"], [["int32", 0], ["float32", None], ["string", "z"]], {}),
        ("nfields", ["1,2"], [["int32", 0], ["float32", 1.0], ["string", "z"]], {}),
        ("bad_int", ["x,2,a"], [["int32", 0], ["float32", 1.0], ["string", "z"]], {}),
        ("bad_float", ["1,y,a"], [["int32", 0], ["float32", 1.0], ["string", "z"]], {}),
        ("int32_overflow", ["99999999999,x"], [["int32", 0], ["string", ""]], {}),
        ("int64", ["99999999999,x"], [["int64", 0], ["string", ""]], {}),
        ("float64", ["1.5,x", "-2e3,y"], [["float64", 0.0], ["string", ""]], {}),
        ("select", ["1,2,a", "4,5,b"], [["int32", 0], ["string", "z"]], {"select_cols": [0, 2]}),
        ("quotes", ['"a""b",x', '"",y'], [["string", ""], ["string", ""]], {}),
        ("bad_quote", ['"ab,x'], [["string", ""], ["string", ""]], {}),
        ("na_value", ["NA,x", "3,NA"], [["int32", 7], ["string", "d"]], {"na_value": "NA"}),
        ("delim", ["1|2", "3|4"], [["int64", 0], ["int64", 0]], {"field_delim": "|"}),
        ("no_quote", ['"a",b'], [["string", ""], ["string", ""]], {"use_quote_delim": False}),
        ("trailing", ["1,"], [["int32", 0], ["int32", 9]], {}),
        ("matrix", [["1,2", "3,4"], ["5,6", "7,8"]], [["int32", 0], ["float32", 0.0]], {}),
    ]


CSV_TEXT = ("name,age,fare,survived\n"
            "ann,22,7.25,0\n"
            "bob,38,71.2833,1\n"
            '"carl, jr",,8.05,1\n'
            "dee,35,53.1,0\n"
            "eve,4,16.7,1\n")
MISSING_CSV = "1,2,3,4\n,2,3,4\n1,,3,4\n1,2,,4\n1,2,3,\n,,,\n"


def describe(tf, value):
    """A TF value (tensor, SparseTensor, RaggedTensor, dict, list) as plain data."""
    import numpy as np
    if isinstance(value, tf.SparseTensor):
        return {"sparse": [describe(tf, value.indices), describe(tf, value.values),
                           describe(tf, value.dense_shape)]}
    if isinstance(value, tf.RaggedTensor):
        return {"ragged": [describe(tf, value.flat_values)] +
                [describe(tf, s) for s in value.nested_row_splits]}
    if isinstance(value, dict):
        return {"dict": [[k, describe(tf, v)] for k, v in value.items()]}
    if isinstance(value, list | tuple):
        return {"list": [describe(tf, v) for v in value]}
    arr = np.asarray(value.numpy(), object if value.dtype == tf.string else None)
    flat = arr.reshape(-1).tolist()
    if arr.dtype == object:
        flat = [v.decode("latin-1") for v in flat]
    elif arr.dtype.kind == "c":
        flat = [[v.real, v.imag] for v in flat]
    return {"dtype": value.dtype.name, "shape": list(arr.shape),
            "values": [None if isinstance(v, float) and np.isnan(v) else v for v in flat]}


def outcome(tf, fn):
    try:
        return {"result": describe(tf, fn())}
    except Exception as e:  # noqa: BLE001 - recording TF's error
        return {"error": [type(e).__name__, str(e)]}


def build_example(tf, spec):
    feature = {}
    for key, (kind, values) in spec.items():
        if kind == "bytes_list":
            values = [v.encode() for v in values]
        cls = {"float_list": tf.train.FloatList, "int64_list": tf.train.Int64List,
               "bytes_list": tf.train.BytesList}[kind]
        feature[key] = tf.train.Feature(**{kind: cls(value=values)})
    return tf.train.Example(features=tf.train.Features(feature=feature))


def build_features(tf, spec):
    out = {}
    for key, (kind, shape, dtype, default, *rest) in spec.items():
        dtype = tf.as_dtype(dtype)
        if kind == "fixed":
            out[key] = tf.io.FixedLenFeature(shape, dtype, default_value=default)
        elif kind == "varlen":
            out[key] = tf.io.VarLenFeature(dtype)
        elif kind == "ragged" and rest:
            partitions = [getattr(tf.io.RaggedFeature, p)(arg) for p, arg in rest[1]]
            out[key] = tf.io.RaggedFeature(dtype, rest[0], partitions)
        elif kind == "ragged":
            out[key] = tf.io.RaggedFeature(dtype)
        elif kind == "sparse":
            out[key] = tf.io.SparseFeature(rest[0], rest[1], dtype, shape)
        else:
            out[key] = tf.io.FixedLenSequenceFeature(shape, dtype, allow_missing=rest[0],
                                                     default_value=default)
    return out


def record_defaults(tf, spec):
    return [tf.constant([], tf.as_dtype(d)) if v is None else tf.constant([v], tf.as_dtype(d))
            for d, v in spec]


def run_cases(tf, tmp):
    """Every case's outcome under ``tf`` (TensorFlow here; tapeflow in the test)."""
    serialized = [build_example(tf, s).SerializeToString() for s in example_specs()]
    results = {}
    for name, spec, batch in feature_cases():
        features = build_features(tf, spec)
        if batch is None:
            call = lambda f=features: tf.io.parse_single_example(serialized[0], f)
        else:
            call = lambda f=features, b=batch: tf.io.parse_example([serialized[i] for i in b], f)
        results["parse/" + name] = outcome(tf, call)
    for name, records, defaults, kwargs in csv_cases():
        results["csv/" + name] = outcome(
            tf, lambda r=records, d=defaults, k=kwargs: tf.io.decode_csv(
                r, record_defaults(tf, d), **k))
    for name, out_type, data, kwargs in [("u8", "uint8", "Duck", {}),
                                         ("i16", "int16", ["abcd", "wxyz"], {}),
                                         ("i16_be", "int16", ["abcd"], {"little_endian": False}),
                                         ("f32", "float32", ["\x00\x00\x80?"], {}),
                                         ("ragged", "uint8", ["Duck", "abc"], {}),
                                         ("odd", "int16", ["abc"], {}),
                                         ("fixed", "uint8", ["Duck", "abc"], {"fixed_length": 4})]:
        data = data.encode("latin-1") if isinstance(data, str) else [d.encode("latin-1")
                                                                     for d in data]
        results["raw/" + name] = outcome(tf, lambda d=data, t=out_type, k=kwargs: tf.io.decode_raw(
            d, tf.as_dtype(t), **k))
    tensors = {"f32": ([[1.0, 2.0], [3.0, 4.5]], "float32"), "i32": (3, "int32"),
               "i64": ([1, -2, 3], "int64"), "str": (["a", "bc", ""], "string"),
               "bool": ([True, False], "bool"), "f16": ([0.5, -2.0], "float16"),
               "c64": ([1 + 2j], "complex64"), "u8": ([[255, 0, 7]], "uint8"),
               "empty": ([], "float64")}
    for name, (value, dtype) in tensors.items():
        results["serialize/" + name] = outcome(tf, lambda v=value, d=dtype: tf.io.serialize_tensor(
            tf.constant(v, tf.as_dtype(d))))
    results["b64/encode"] = outcome(tf, lambda: tf.io.encode_base64(["hello?>", "a", ""]))
    results["b64/encode_pad"] = outcome(tf, lambda: tf.io.encode_base64([["hello?>"], ["ab"]],
                                                                    pad=True))
    results["b64/decode"] = outcome(tf, lambda: tf.io.decode_base64(["aGVsbG8_Pg", "YWI="]))
    results["b64/decode_bad"] = outcome(tf, lambda: tf.io.decode_base64("a"))
    results["read_file/missing"] = outcome(tf, lambda: tf.io.read_file(
        os.path.join(tmp, "no-such-file")))
    results["parse_tensor/mismatch"] = outcome(tf, lambda: tf.io.parse_tensor(
        tf.io.serialize_tensor(tf.constant([1.0])), tf.float64))
    csv_path = os.path.join(tmp, "people.csv")
    missing_path = os.path.join(tmp, "missing.csv")
    results["csvds/missing"] = outcome(tf, lambda: list(tf.data.experimental.CsvDataset(
        missing_path, [999, 999, 999, 999]).map(lambda *items: tf.stack(items))))
    results["csvds/select"] = outcome(tf, lambda: list(tf.data.experimental.CsvDataset(
        missing_path, [999, 999], select_cols=[1, 3]).map(lambda *items: tf.stack(items))))
    results["csvds/header"] = outcome(tf, lambda: list(tf.data.experimental.CsvDataset(
        csv_path, [tf.string, tf.constant([0], tf.int32), tf.float32, tf.int64], header=True,
        na_value="")))
    results["csvds/required"] = outcome(tf, lambda: list(tf.data.experimental.CsvDataset(
        csv_path, [tf.string, tf.int32, tf.float32, tf.int64], header=True)))
    results["make_csv/label"] = outcome(tf, lambda: list(tf.data.experimental.make_csv_dataset(
        csv_path, batch_size=2, label_name="survived", shuffle=False, num_epochs=1)))
    results["make_csv/select"] = outcome(tf, lambda: list(tf.data.experimental.make_csv_dataset(
        csv_path, batch_size=3, select_columns=["fare", "name"], shuffle=False, num_epochs=1,
        column_defaults=["", 0.0])))
    results["make_csv/bad_defaults"] = outcome(tf, lambda: list(
        tf.data.experimental.make_csv_dataset(
            csv_path, batch_size=3, select_columns=["fare", "name"], shuffle=False, num_epochs=1,
        column_defaults=[0.0, ""])))
    results["make_csv/names"] = outcome(tf, lambda: list(tf.data.experimental.make_csv_dataset(
        missing_path, batch_size=4, column_names=["w", "x", "y", "z"], header=False,
        shuffle=False, num_epochs=1, column_defaults=[0, 0, 0, 0], label_name="z")))
    results["csvds/enum_spec"] = {"result": repr(tf.data.experimental.CsvDataset(
        missing_path, [1, 1.0, 3, 4]).element_spec)}
    results["csvds/enum_required"] = outcome(tf, lambda: list(tf.data.experimental.CsvDataset(
        missing_path, [1, 1.0, 3, 4])))
    results["make_csv/python_defaults"] = outcome(tf, lambda: list(
        tf.data.experimental.make_csv_dataset(
            missing_path, batch_size=4, column_names=list("abcd"), header=False,
            label_name="d", column_defaults=[float()] * 3 + [int()], num_epochs=1,
            shuffle=False)))
    bad_path = os.path.join(tmp, "bad.csv")
    for name, ignore in (("ignore_errors", True), ("bad_row", False)):
        results["make_csv/" + name] = outcome(tf, lambda i=ignore: list(
            tf.data.experimental.make_csv_dataset(bad_path, batch_size=5, column_defaults=[0, 0],
                                                  ignore_errors=i, num_epochs=1, shuffle=False)))
    results["make_csv/spec"] = {"result": repr(tf.data.experimental.make_csv_dataset(
        csv_path, batch_size=2, label_name="survived", shuffle=False, num_epochs=1).element_spec)}
    import gzip
    import zlib
    results["compressed/zlib"] = outcome(tf, lambda: tf.io.decode_compressed(
        [zlib.compress(b"hello"), zlib.compress(b"")], "ZLIB"))
    results["compressed/gzip"] = outcome(tf, lambda: tf.io.decode_compressed(
        gzip.compress(b"hello", mtime=0), "GZIP"))
    results["compressed/none"] = outcome(tf, lambda: tf.io.decode_compressed(b"hello"))
    results["compressed/bad"] = outcome(tf, lambda: tf.io.decode_compressed(b"hello", "ZLIB"))
    sp = tf.SparseTensor([[0, 1], [2, 0]], [1.5, 2.5], [3, 4])
    results["sparse/serialize"] = outcome(tf, lambda: tf.io.serialize_sparse(sp))
    results["sparse/serialize_many"] = outcome(tf, lambda: tf.io.serialize_many_sparse(sp))
    results["sparse/deserialize_many"] = outcome(tf, lambda: tf.io.deserialize_many_sparse(
        tf.io.serialize_many_sparse(sp), tf.float32))
    results["json/parse"] = outcome(tf, lambda: tf.io.parse_single_example(
        tf.io.decode_json_example(['{"features": {"feature": {"a": {"int64List": {"value": '
                                   '["1", 2]}}, "b": {"floatList": {"value": [0.5]}}}}}'])[0],
        {"a": tf.io.VarLenFeature(tf.int64), "b": tf.io.FixedLenFeature([1], tf.float32)}))
    results.update(gfile_cases(tf, tmp))
    return results, serialized


def gfile_cases(tf, tmp):
    """tf.io.gfile's answers and errors, the temporary folder written as TMP."""
    g, d = tf.io.gfile, os.path.join(tmp, "g")
    g.makedirs(d)
    with g.GFile(os.path.join(d, "a"), "w") as f:
        f.write("x\ny\n")
    calls = {
        "remove_missing": lambda: g.remove(d + "/nope"),
        "copy_exists": lambda: g.copy(d + "/a", d + "/a"),
        "copy_missing": lambda: g.copy(d + "/nope", d + "/b"),
        "rename_exists": lambda: g.rename(d + "/a", d + "/a"),
        "mkdir_exists": lambda: g.mkdir(d),
        "stat_missing": lambda: g.stat(d + "/nope"),
        "read_missing": lambda: g.GFile(d + "/nope").read(),
        "listdir_missing": lambda: g.listdir(d + "/nope"),
        "rmtree_missing": lambda: g.rmtree(d + "/nope"),
        "listdir": lambda: sorted(g.listdir(d)),
        "read": lambda: g.GFile(d + "/a").read(),
        "read_binary": lambda: g.GFile(d + "/a", "rb").read(),
        "readlines": lambda: g.GFile(d + "/a").readlines(),
        "iterate": lambda: list(g.GFile(d + "/a")),
        "size": lambda: g.GFile(d + "/a").size(),
        "glob": lambda: g.glob(d + "/*"),
        "walk": lambda: list(g.walk(d)),
        "exists_isdir": lambda: [g.isdir(d), g.isdir(d + "/a"), g.exists(d + "/nope")],
        "read_file_folder": lambda: tf.io.read_file(d),
    }
    out = {}
    for name, call in calls.items():
        try:
            out["gfile/" + name] = {"result": repr(call()).replace(tmp, "TMP")}
        except Exception as e:  # noqa: BLE001 - recording TF's error
            out["gfile/" + name] = {"error": [type(e).__name__, str(e).replace(tmp, "TMP")]}
    return out


def write_inputs(tmp):
    with open(os.path.join(tmp, "people.csv"), "w") as f:
        f.write(CSV_TEXT)
    with open(os.path.join(tmp, "missing.csv"), "w") as f:
        f.write(MISSING_CSV)
    with open(os.path.join(tmp, "bad.csv"), "w") as f:
        f.write("a,b\n1,2\nx,3\n4,5\n")


def main():
    import tempfile

    import tensorflow as tf
    os.makedirs(HERE, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        write_inputs(tmp)
        results, serialized = run_cases(tf, tmp)
    for suffix, options in (("", None), (".gz", "GZIP")):
        with tf.io.TFRecordWriter(os.path.join(HERE, "examples.tfrecord" + suffix),
                                  options) as w:
            for record in serialized:
                w.write(record)
    single = [build_example(tf, {k: v}).SerializeToString()
              for spec in example_specs() for k, v in sorted(spec.items())]
    protos = {}
    for name, (value, dtype, shape) in {
            "float_fill": (5.0, "float32", [3]), "int_vals": ([1, 2, 3], "int32", [3]),
            "int64_fill": ([4, 5], "int64", [2, 2]), "half": ([0.5, 1.5], "float16", [2]),
            "strings": (["ab", "c"], "string", [2, 1]), "bool": (True, "bool", [2]),
            "double": ([2.5], "float64", None), "complex": ([1 + 2j], "complex64", [1])}.items():
        proto = tf.make_tensor_proto(value, tf.as_dtype(dtype), shape)
        if name in ("int_vals", "double"):  # TF writes small lists as tensor_content: use *_val
            proto = tf.make_tensor_proto(value, tf.as_dtype(dtype), shape)
            proto.ClearField("tensor_content")
            getattr(proto, {"int_vals": "int_val", "double": "double_val"}[name]).extend(value)
        data = proto.SerializeToString()
        protos[name] = [base64.b64encode(data).decode(), dtype,
                        outcome(tf, lambda d=data, t=dtype: tf.io.parse_tensor(d,
                                                                             tf.as_dtype(t)))]
    out = {"results": results, "tensor_protos": protos,
           "serialized": [base64.b64encode(s).decode() for s in serialized],
           "single_feature_examples": [base64.b64encode(s).decode() for s in single],
           "tf_version": tf.__version__}
    with open(os.path.join(HERE, "cases.json"), "w") as f:
        json.dump(out, f, indent=0, sort_keys=True)
    print(f"{len(results)} cases written to {HERE}", file=sys.stderr)


if __name__ == "__main__":
    main()
